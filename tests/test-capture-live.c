/* test-capture-live.c: `tcpladder capture` on this machine's kernel.
 *
 * Needs root with network namespaces, TUN and tracefs, as CI has; skips
 * with the reason otherwise.  Captures are kept short with --duration.
 *
 * - the default scenario, live: the bundle loads and shows the
 *   simultaneous open in the kernel's own state log;
 * - a capture killed with SIGTERM or SIGINT in the middle of its run
 *   leaves no namespace, TUN device, tracefs instance, process or
 *   directory behind;
 * - leftovers of a process that died without cleaning up (SIGKILL) are
 *   removed by the next capture (here: capture --cleanup).
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "tl-bundle.h"
#include "tl-compare.h"
#include "tl-pcap.h"

#define TRACEFS_INSTANCES "/sys/kernel/tracing/instances"

static char *skip_reason;

/* Whether captures can run here; if not, why (for g_test_skip). */
static gboolean
can_capture (void)
{
  static gsize checked = 0;

  if (g_once_init_enter (&checked))
    {
      const char *argv[] = { g_getenv ("TL_CLI"), "capture", "--check", NULL };
      g_autofree char *err = NULL;
      gint status = 0;

      if (geteuid () != 0)
        skip_reason = g_strdup ("live captures need root (network namespaces, TUN, tracefs)");
      else if (!g_spawn_sync ("/", (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                              NULL, &err, &status, NULL)
               || !g_spawn_check_wait_status (status, NULL))
        skip_reason = g_strdup_printf ("this machine cannot capture: %s", err ? g_strstrip (err) : "?");
      g_once_init_leave (&checked, 1);
    }
  if (skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }
  return TRUE;
}

static char *
default_scenario (void)
{
  return g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), "simultaneous-open-router-pause.scn", NULL);
}

static void
remove_bundle (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

/* Names under DIR starting with PREFIX. */
static guint
count_named (const char *dir,
             const char *prefix)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint n = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix))
      {
        g_test_message ("left over: %s/%s", dir, name);
        n++;
      }
  return n;
}

/* ---- the live capture ---- */

typedef struct
{
  guint      n;
  TlTcpState states[16];
} Path;

static void
socket_path (const TlTrace *trace,
             guint          host,
             Path          *path)
{
  memset (path, 0, sizeof *path);
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind != TL_REC_STATE || rec->host != host || rec->socket != 0)
        continue;
      g_assert_cmpuint (rec->inferred, ==, 0);
      if (path->n == 0)
        path->states[path->n++] = (TlTcpState) rec->old_state;
      if (path->n < G_N_ELEMENTS (path->states))
        path->states[path->n++] = (TlTcpState) rec->new_state;
    }
}

static void
test_live_simultaneous_open (void)
{
  g_autofree char *scenario = default_scenario ();
  g_autofree char *tmp = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = NULL;
  g_autofree char *pid_prefix = NULL;
  const char *argv[] = { g_getenv ("TL_CLI"), "capture", "--duration", "3500ms",
                         "-o", NULL, scenario, NULL };
  guint synacks[2] = { 0, 0 }, holds = 0;
  gint status;

  if (!can_capture ())
    return;
  tmp = g_dir_make_tmp ("test-capture-live-XXXXXX", &error);
  g_assert_no_error (error);
  bundle = g_build_filename (tmp, "default", NULL);
  argv[5] = bundle;

  g_spawn_sync ("/", (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_assert_no_error (error);
  if (WIFEXITED (status) && WEXITSTATUS (status) == 0)
    g_test_message ("stdout:\n%s\nstderr:\n%s", out, err);
  else
    g_printerr ("tcpladder capture failed\nstdout:\n%s\nstderr:\n%s", out, err);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);

  trace = tl_bundle_load (bundle, &error);
  g_assert_no_error (error);
  g_assert_cmpint (trace->source, ==, TL_TRACE_CAPTURE);
  g_assert_cmpstr (trace->title, ==, "simultaneous-open-router-pause");
  g_assert_true (trace->has_router);
  g_assert_cmpint (trace->end_time, >=, 3500 * G_GINT64_CONSTANT (1000000));

  /* The kernel's own log: both sides SYN-SENT -> SYN-RECEIVED -> ESTABLISHED. */
  for (guint h = 0; h < 2; h++)
    {
      Path path;
      socket_path (trace, h, &path);
      g_assert_cmpuint (path.n, >=, 4);
      g_assert_cmpint (path.states[0], ==, TL_STATE_CLOSED);
      g_assert_cmpint (path.states[1], ==, TL_STATE_SYN_SENT);
      g_assert_cmpint (path.states[2], ==, TL_STATE_SYN_RECEIVED);
      g_assert_cmpint (path.states[3], ==, TL_STATE_ESTABLISHED);
    }
  /* On the wire: SYNs held by the paused router, a SYN-ACK from each side. */
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_HOLD)
        {
          holds++;
          g_assert_cmpint (rec->time, <, 2500 * G_GINT64_CONSTANT (1000000));
        }
      if (rec->kind == TL_REC_SEND && rec->host < 2
          && (rec->seg.flags & 0x12) == 0x12)
        synacks[rec->host]++;
    }
  g_assert_cmpuint (holds, >=, 2);
  g_assert_cmpuint (synacks[0], ==, 1);
  g_assert_cmpuint (synacks[1], ==, 1);

  /* And the simulator, on this kernel's settings and timer phase, says
   * the same, segment for segment and state for state, up to where the
   * capture stopped. */
  {
    g_autoptr (TlScenario) s = tl_scenario_load (scenario, &error);
    g_autoptr (TlTrace) sim = tl_trace_new ();
    g_autoptr (TlCompareResult) result = NULL;
    g_autoptr (GString) diff = g_string_new (NULL);

    g_assert_no_error (error);
    tl_bundle_apply_settings (bundle, s, &error);
    g_assert_no_error (error);
    tl_scenario_run (s, sim);
    result = tl_compare_traces (sim, trace, NULL);
    /* Every row, so a failure in CI shows which segment or state and by
     * how much, not only that something differed. */
    tl_compare_result_format (result, sim, trace, TRUE, diff);
    if (tl_compare_result_is_match (result))
      g_test_message ("live compare:\n%s", diff->str);
    else
      g_printerr ("live compare (simulation on this kernel's settings vs the capture):\n%s",
                  diff->str);
    g_assert_cmpuint (result->segments_total, >=, 8);
    g_assert_true (tl_compare_result_is_match (result));
  }

  /* A bare pcap the harness wrote (what tcpdump on A would have shown)
   * loads on its own, states inferred, and exports as a ladder. */
  {
    g_autofree char *pcap = g_build_filename (bundle, "host-A.pcap", NULL);
    g_autofree char *ladder = g_build_filename (tmp, "host-A.txt", NULL);
    g_autofree char *text = NULL;
    g_autoptr (TlTrace) bare = tl_pcap_load (pcap, &error);
    const char *export_argv[] = { g_getenv ("TL_CLI"), "export", pcap, "-o", ladder, NULL };
    guint inferred = 0;

    g_assert_no_error (error);
    g_assert_cmpint (bare->source, ==, TL_TRACE_PCAP);
    g_assert_cmpuint (bare->n_packets, >=, 8);
    for (guint i = 0; i < tl_trace_get_n_records (bare); i++)
      inferred += tl_trace_get_record (bare, i)->kind == TL_REC_STATE
                  && tl_trace_get_record (bare, i)->inferred;
    g_assert_cmpuint (inferred, >=, 4);
    g_spawn_sync ("/", (char **) export_argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL,
                  &status, &error);
    g_assert_no_error (error);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
    g_file_get_contents (ladder, &text, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (strstr (text, "SYN-RECEIVED"));
    g_assert_nonnull (strstr (text, "<CTL=SYN,ACK>"));
    g_unlink (ladder);
  }

  /* Nothing of it is left. */
  g_assert_cmpuint (count_named ("/run/netns", "tcpladder-"), ==, 0);
  g_assert_cmpuint (count_named (TRACEFS_INSTANCES, "tcpladder-"), ==, 0);
  pid_prefix = g_strdup ("default.tmp-");
  g_assert_cmpuint (count_named (tmp, pid_prefix), ==, 0);

  remove_bundle (bundle);
  g_rmdir (tmp);
}

/* ---- killed in the middle ---- */

/* Whether any process is in, or holds an fd to, the namespace INODE. */
static gboolean
namespace_in_use (guint64 inode)
{
  g_autofree char *wanted = g_strdup_printf ("net:[%" G_GUINT64_FORMAT "]", inode);
  g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *pid;

  while ((pid = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *ns = g_build_filename ("/proc", pid, "ns", "net", NULL);
      g_autofree char *fds = g_build_filename ("/proc", pid, "fd", NULL);
      g_autofree char *target = NULL;
      g_autoptr (GDir) fd_dir = NULL;
      const char *fd;

      if (!g_ascii_isdigit (pid[0]))
        continue;
      target = g_file_read_link (ns, NULL);
      if (g_strcmp0 (target, wanted) == 0)
        {
          g_test_message ("process %s is still in %s", pid, wanted);
          return TRUE;
        }
      fd_dir = g_dir_open (fds, 0, NULL);
      while (fd_dir != NULL && (fd = g_dir_read_name (fd_dir)) != NULL)
        {
          g_autofree char *link = g_build_filename (fds, fd, NULL);
          g_autofree char *to = g_file_read_link (link, NULL);
          if (g_strcmp0 (to, wanted) == 0)
            {
              g_test_message ("process %s holds %s", pid, wanted);
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* Reads FD until a line containing NEEDLE, for at most TIMEOUT_S. */
static gboolean
wait_for_line (int         fd,
               const char *needle,
               guint       timeout_s,
               GString    *seen)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      GPollFD pfd = { fd, G_IO_IN, 0 };
      char buffer[512];
      gssize n;

      if (g_poll (&pfd, 1, 100) <= 0)
        continue;
      n = read (fd, buffer, sizeof buffer);
      if (n <= 0)
        return FALSE;
      g_string_append_len (seen, buffer, n);
      if (strstr (seen->str, needle) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
test_killed_mid_run (gconstpointer data)
{
  int signo = GPOINTER_TO_INT (data);
  g_autofree char *scenario = default_scenario ();
  g_autofree char *tmp = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *tmp_bundle = NULL;
  g_autofree char *instance = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GString) seen = g_string_new (NULL);
  const char *argv[] = { g_getenv ("TL_CLI"), "capture", "--duration", "30s",
                         "-o", NULL, scenario, NULL };
  guint64 inodes[2] = { 0, 0 };
  GPid pid;
  int err_fd, status;

  if (!can_capture ())
    return;
  tmp = g_dir_make_tmp ("test-capture-kill-XXXXXX", &error);
  g_assert_no_error (error);
  bundle = g_build_filename (tmp, "killed", NULL);
  argv[5] = bundle;

  g_spawn_async_with_pipes ("/", (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);

  /* Mid-run: the namespaces exist and the scenario clock is running. */
  if (!wait_for_line (err_fd, "running", 60, seen))
    {
      kill (pid, SIGKILL);
      g_error ("the capture never started running; it said:\n%s", seen->str);
    }
  g_usleep (700 * 1000);
  for (guint h = 0; h < 2; h++)
    {
      g_autofree char *ns = g_strdup_printf ("/run/netns/tcpladder-%d-%c", (int) pid, "ab"[h]);
      struct stat st;
      g_assert_cmpint (stat (ns, &st), ==, 0);
      inodes[h] = st.st_ino;
    }
  instance = g_strdup_printf (TRACEFS_INSTANCES "/tcpladder-%d", (int) pid);
  g_assert_true (g_file_test (instance, G_FILE_TEST_IS_DIR));
  tmp_bundle = g_strdup_printf ("%s.tmp-%d", bundle, (int) pid);
  g_assert_true (g_file_test (tmp_bundle, G_FILE_TEST_IS_DIR));

  g_assert_cmpint (kill (pid, signo), ==, 0);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  wait_for_line (err_fd, "\n\n", 1, seen);   /* whatever it said last */
  close (err_fd);
  g_test_message ("stderr:\n%s", seen->str);

  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 130);
  for (guint h = 0; h < 2; h++)
    {
      g_autofree char *ns = g_strdup_printf ("/run/netns/tcpladder-%d-%c", (int) pid, "ab"[h]);
      g_assert_false (g_file_test (ns, G_FILE_TEST_EXISTS));
      /* No process (no agent, no child) in it and no fd to it: the
       * namespace and the TUN device in it are gone. */
      g_assert_false (namespace_in_use (inodes[h]));
    }
  g_assert_false (g_file_test (instance, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (tmp_bundle, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (bundle, G_FILE_TEST_EXISTS));
  /* Nobody the capture started survives it. */
  {
    g_autoptr (GDir) proc = g_dir_open ("/proc", 0, NULL);
    const char *entry;
    g_autofree char *ppid_line = g_strdup_printf ("\nPPid:\t%d\n", (int) pid);
    while ((entry = g_dir_read_name (proc)) != NULL)
      {
        g_autofree char *path = g_build_filename ("/proc", entry, "status", NULL);
        g_autofree char *text = NULL;
        if (g_ascii_isdigit (entry[0]) && g_file_get_contents (path, &text, NULL, NULL))
          g_assert_null (strstr (text, ppid_line));
      }
  }
  g_rmdir (tmp);
}

/* ---- leftovers of a SIGKILLed capture ---- */

static int
dead_pid (void)
{
  pid_t pid = fork ();

  if (pid == 0)
    _exit (0);
  g_assert_cmpint (pid, >, 0);
  waitpid (pid, NULL, 0);
  return pid;
}

static void
test_stale_cleanup (void)
{
  int pid;
  g_autofree char *netns_name = NULL;
  g_autofree char *netns_path = NULL;
  g_autofree char *instance = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *bundle = NULL;
  g_autofree char *stale_dir = NULL;
  g_autofree char *stale_file = NULL;
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  const char *ip_argv[] = { "ip", "netns", "add", NULL, NULL };
  const char *argv[] = { g_getenv ("TL_CLI"), "capture", "--cleanup", "-o", NULL, NULL };
  g_autofree char *ip = NULL;
  gint status;

  if (!can_capture ())
    return;
  ip = g_find_program_in_path ("ip");
  if (ip == NULL)
    {
      g_test_skip ("iproute2's ip is not installed");
      return;
    }
  pid = dead_pid ();
  netns_name = g_strdup_printf ("tcpladder-%d-a", pid);
  netns_path = g_build_filename ("/run/netns", netns_name, NULL);
  instance = g_strdup_printf (TRACEFS_INSTANCES "/tcpladder-%d", pid);
  tmp = g_dir_make_tmp ("test-capture-stale-XXXXXX", &error);
  g_assert_no_error (error);
  bundle = g_build_filename (tmp, "bundle", NULL);
  stale_dir = g_strdup_printf ("%s.tmp-%d", bundle, pid);
  stale_file = g_build_filename (stale_dir, "host-A.pcap", NULL);

  /* What a capture killed with SIGKILL leaves. */
  ip_argv[3] = netns_name;
  g_spawn_sync ("/", (char **) ip_argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (netns_path, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_mkdir (instance, 0700), ==, 0);
  g_assert_cmpint (g_mkdir (stale_dir, 0755), ==, 0);
  g_file_set_contents (stale_file, "partial", -1, &error);
  g_assert_no_error (error);

  argv[4] = bundle;
  g_spawn_sync ("/", (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  {
    /* Ours at least; whatever else dead captures left counts too. */
    const char *said = strstr (out, "removed ");
    g_assert_nonnull (said);
    g_assert_cmpint (atoi (said + strlen ("removed ")), >=, 3);
  }
  g_assert_false (g_file_test (netns_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (instance, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (stale_dir, G_FILE_TEST_EXISTS));
  g_rmdir (tmp);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture-live/simultaneous-open", test_live_simultaneous_open);
  g_test_add_data_func ("/capture-live/killed/sigterm", GINT_TO_POINTER (SIGTERM), test_killed_mid_run);
  g_test_add_data_func ("/capture-live/killed/sigint", GINT_TO_POINTER (SIGINT), test_killed_mid_run);
  g_test_add_func ("/capture-live/stale-cleanup", test_stale_cleanup);

  return g_test_run ();
}

/* tl-capture.c: one capture from setup to teardown.
 *
 * One thread does everything, in one poll loop on one clock: reading
 * what the hosts send from their TUNs, the router's timed decisions and
 * writes, the socket calls at their times, connect() completions and
 * reads, and the tracepoint's state changes.  One thread means no locks
 * and one order of events; nothing it does blocks (every fd is
 * non-blocking), so it is late by microseconds, which meta.json reports.
 *
 * Everything made is named TL_CAPTURE_PREFIX + our PID and removed on
 * every way out: normal end, error, SIGINT/SIGTERM (taken through a
 * signalfd, so the loop finishes its step and cleans up).  What a SIGKILL
 * leaves behind, the next capture removes (tl_capture_cleanup_stale).
 */
#include "tl-capture-private.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define LOCK_DIR        "/run/tcpladder"
#define LOCK_PATH       LOCK_DIR "/capture.lock"
/* Time between the end of setup and the scenario's time 0, so the first
 * call does not run while the loop is still starting. */
#define START_MARGIN    TL_MSEC (100)
#define REALTIME_PRIORITY 10

G_DEFINE_QUARK (tl-capture-error-quark, tl_capture_error)

static const char *const netns_suffix[TL_MAX_HOSTS] = { "a", "b" };

void
tl_capture_options_init (TlCaptureOptions *options)
{
  memset (options, 0, sizeof *options);
  options->max_duration = TL_TIME_NEVER;
}

const char *
tl_capture_stop_to_string (TlCaptureStop stop)
{
  switch (stop)
    {
    case TL_CAPTURE_STOP_DURATION: return "duration";
    case TL_CAPTURE_STOP_LIMIT: return "max-duration";
    case TL_CAPTURE_STOP_QUIET: return "quiet";
    default: return "?";
    }
}

char *
tl_capture_default_scenario (void)
{
  static const char *const dirs[] = {
#ifdef TL_SOURCE_SCENARIOS_DIR
    TL_SOURCE_SCENARIOS_DIR,
#endif
#ifdef TL_INSTALLED_SCENARIOS_DIR
    TL_INSTALLED_SCENARIOS_DIR,
#endif
    NULL
  };

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      char *path = g_build_filename (dirs[i], "simultaneous-open-router-pause.scn", NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return path;
      g_free (path);
    }
  return NULL;
}

/* ---- small helpers the parts share ---- */

static TlTime
monotonic_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (TlTime) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static gint64
realtime_ns (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_REALTIME, &ts);
  return (gint64) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* One reading of /proc/timer_list: "now at N nsecs" (CLOCK_MONOTONIC) and
 * the first "jiffies: J" line after it. */
static gboolean
read_jiffies (TlTime  *now,
              guint64 *jiffies)
{
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/timer_list", &text, NULL, NULL))
    return FALSE;
  p = strstr (text, "now at ");
  if (p == NULL || sscanf (p, "now at %" G_GINT64_FORMAT " nsecs", now) != 1)
    return FALSE;
  p = strstr (p, "\njiffies: ");
  return p != NULL && sscanf (p, "\njiffies: %" G_GUINT64_FORMAT, jiffies) == 1;
}

/* Finds HZ from two readings 100 ms apart (rounded to a value the kernel
 * can be built with), and a reference reading for timer_phase_at_t0. */
static gboolean
measure_timer (TlCapture *capture,
               TlTime    *ref_now,
               guint64   *ref_jiffies)
{
  static const guint hz_values[] = { 100, 250, 300, 1000 };
  TlTime now1;
  guint64 j1;
  double rate;
  guint best = 0;

  if (!read_jiffies (&now1, &j1))
    {
      tl_capture_warn (capture, "cannot read /proc/timer_list: timer phase not recorded");
      return FALSE;
    }
  g_usleep (100000);
  if (!read_jiffies (ref_now, ref_jiffies) || *ref_now <= now1)
    return FALSE;
  rate = (double) (*ref_jiffies - j1) * 1e9 / (double) (*ref_now - now1);
  for (guint i = 1; i < G_N_ELEMENTS (hz_values); i++)
    if (ABS (rate - hz_values[i]) < ABS (rate - hz_values[best]))
      best = i;
  capture->timer_hz = hz_values[best];
  return TRUE;
}

/* The jiffies value and tick phase at t0: ticks fall on multiples of the
 * tick period of CLOCK_MONOTONIC. */
static void
timer_phase_at_t0 (TlCapture *capture,
                   TlTime     ref_now,
                   guint64    ref_jiffies)
{
  TlTime period = TL_SEC (1) / capture->timer_hz;

  capture->timer_jiffies = ref_jiffies + (guint64) (capture->t0 / period - ref_now / period);
  capture->timer_tick_offset = capture->t0 % period;
}

TlTime
tl_capture_now (const TlCapture *capture)
{
  return monotonic_ns () - capture->t0;
}

void
tl_capture_touch (TlCapture *capture,
                  TlTime     time)
{
  capture->last_activity = MAX (capture->last_activity, time);
}

void
tl_capture_fail (TlCapture *capture,
                 GError    *error)
{
  if (capture->failure == NULL)
    capture->failure = error;
  else
    g_error_free (error);
  capture->running = FALSE;
}

void
tl_capture_warn (TlCapture  *capture,
                 const char *format,
                 ...)
{
  va_list args;
  char *message;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (capture->warnings, message);
  tl_capture_progress (capture, "warning: %s", message);
}

void
tl_capture_progress (TlCapture  *capture,
                     const char *format,
                     ...)
{
  va_list args;
  g_autofree char *line = NULL;

  if (capture->options->progress == NULL)
    return;
  va_start (args, format);
  line = g_strdup_vprintf (format, args);
  va_end (args);
  capture->options->progress (line, capture->options->progress_data);
}

/* ---- the environment ---- */

/* Whether the effective capability set has CAP (from /proc, so no libcap). */
static gboolean
has_capability (guint cap)
{
  g_autofree char *status = NULL;
  const char *line;
  guint64 mask;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return geteuid () == 0;
  line = strstr (status, "\nCapEff:");
  if (line == NULL)
    return geteuid () == 0;
  mask = g_ascii_strtoull (line + strlen ("\nCapEff:"), NULL, 16);
  return (mask >> cap) & 1;
}

gboolean
tl_capture_check_environment (GError **error)
{
  g_autofree char *root = NULL;
  g_autoptr (GError) local = NULL;

  /* CAP_NET_ADMIN (12) for TUN devices and sysctls, CAP_SYS_ADMIN (21)
   * for namespaces, setns() and tracefs. */
  if (!has_capability (12) || !has_capability (21))
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT,
                   "capturing needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN) to create network "
                   "namespaces and TUN devices and to read kernel tracepoints; run it with sudo");
      return FALSE;
    }
  if (access ("/proc/self/ns/net", F_OK) < 0)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT,
                   "this kernel has no network namespaces (CONFIG_NET_NS)");
      return FALSE;
    }
  if (access ("/dev/net/tun", R_OK | W_OK) < 0)
    {
      int saved = errno;
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT,
                   "/dev/net/tun is not usable (%s): load the tun module (modprobe tun)",
                   g_strerror (saved));
      return FALSE;
    }
  root = tl_tracefs_find_root (&local);
  if (root == NULL)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- stale resources ---- */

static gboolean
pid_alive (int pid)
{
  return kill (pid, 0) == 0 || errno == EPERM;
}

/* The PID in "PREFIX<pid>SUFFIX", or -1 when NAME is not one of ours. */
static int
pid_in_name (const char *name,
             const char *prefix,
             const char *const *suffixes)
{
  const char *p;
  char *end;
  guint64 pid;

  if (!g_str_has_prefix (name, prefix))
    return -1;
  p = name + strlen (prefix);
  if (!g_ascii_isdigit (*p))
    return -1;
  pid = g_ascii_strtoull (p, &end, 10);
  if (pid == 0 || pid > G_MAXINT)
    return -1;
  for (guint i = 0; suffixes[i] != NULL; i++)
    if (g_str_equal (end, suffixes[i]))
      return (int) pid;
  return -1;
}

/* Removes the files of directory PATH and PATH itself.  Refuses (FALSE,
 * ENOTEMPTY) if it holds anything but regular files: a bundle never
 * does, so something else is there. */
static gboolean
remove_flat_dir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return errno == ENOENT;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) || g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        {
          errno = ENOTEMPTY;
          return FALSE;
        }
      if (unlink (child) < 0 && errno != ENOENT)
        return FALSE;
    }
  return rmdir (path) == 0 || errno == ENOENT;
}

gint
tl_capture_cleanup_stale (const char  *output,
                          GError     **error)
{
  static const char *const netns_suffixes[] = { "-a", "-b", NULL };
  static const char *const instance_suffixes[] = { "", NULL };
  static const char *const dir_suffixes[] = { "", NULL };
  g_autofree char *root = NULL;
  gint removed = 0;
  const char *name;

  if (!has_capability (21))
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT,
                   "removing leftovers of captures needs root");
      return -1;
    }

  {
    g_autoptr (GDir) dir = g_dir_open (TL_NETNS_DIR, 0, NULL);
    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        int pid = pid_in_name (name, TL_CAPTURE_PREFIX, netns_suffixes);
        if (pid > 0 && pid != getpid () && !pid_alive (pid))
          {
            if (tl_netns_remove_name (name))
              removed++;
            else
              g_warning ("capture: cannot remove the stale namespace %s: %s", name, g_strerror (errno));
          }
      }
  }

  root = tl_tracefs_find_root (NULL);
  if (root != NULL)
    {
      g_autofree char *instances = g_build_filename (root, "instances", NULL);
      g_autoptr (GDir) dir = g_dir_open (instances, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          int pid = pid_in_name (name, TL_CAPTURE_PREFIX, instance_suffixes);
          if (pid > 0 && pid != getpid () && !pid_alive (pid))
            {
              if (tl_tracefs_remove_instance (root, name))
                removed++;
              else
                g_warning ("capture: cannot remove the stale tracefs instance %s: %s",
                           name, g_strerror (errno));
            }
        }
    }

  /* Half-written bundles next to OUTPUT: OUTPUT.tmp-PID, OUTPUT.old-PID. */
  if (output != NULL)
    {
      g_autofree char *parent = g_path_get_dirname (output);
      g_autofree char *base = g_path_get_basename (output);
      g_autofree char *tmp_prefix = g_strconcat (base, ".tmp-", NULL);
      g_autofree char *old_prefix = g_strconcat (base, ".old-", NULL);
      g_autoptr (GDir) dir = g_dir_open (parent, 0, NULL);
      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          int pid = pid_in_name (name, tmp_prefix, dir_suffixes);
          if (pid < 0)
            pid = pid_in_name (name, old_prefix, dir_suffixes);
          if (pid > 0 && pid != getpid () && !pid_alive (pid))
            {
              g_autofree char *path = g_build_filename (parent, name, NULL);
              if (remove_flat_dir (path))
                removed++;
            }
        }
    }
  return removed;
}

/* ---- one capture at a time ---- */

/* The tracepoint is global: two captures of scenarios with the same ports
 * would see each other's sockets.  They take turns. */
static gboolean
take_lock (TlCapture  *capture,
           GError    **error)
{
  gboolean told = FALSE;

  g_mkdir_with_parents (LOCK_DIR, 0755);
  capture->lock_fd = open (LOCK_PATH, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (capture->lock_fd < 0)
    {
      int saved = errno;
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT,
                   "cannot open %s: %s", LOCK_PATH, g_strerror (saved));
      return FALSE;
    }
  while (flock (capture->lock_fd, LOCK_EX | LOCK_NB) < 0)
    {
      struct pollfd pfd = { capture->signal_fd, POLLIN, 0 };

      if (errno != EWOULDBLOCK && errno != EINTR)
        {
          int saved = errno;
          g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT,
                       "cannot lock %s: %s", LOCK_PATH, g_strerror (saved));
          return FALSE;
        }
      if (!told)
        {
          char holder[32] = "";
          ssize_t n = pread (capture->lock_fd, holder, sizeof holder - 1, 0);
          holder[MAX (n, 0)] = '\0';
          g_strchomp (holder);
          tl_capture_progress (capture, "waiting for another capture%s%s%s to finish",
                               *holder ? " (pid " : "", holder, *holder ? ")" : "");
          told = TRUE;
        }
      if (poll (&pfd, 1, 100) > 0)
        {
          capture->interrupted = TRUE;
          g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_INTERRUPTED,
                       "interrupted while waiting for another capture");
          return FALSE;
        }
    }
  {
    g_autofree char *pid = g_strdup_printf ("%d\n", capture->pid);
    if (ftruncate (capture->lock_fd, 0) == 0)
      (void) !pwrite (capture->lock_fd, pid, strlen (pid), 0);
  }
  return TRUE;
}

static void
drop_lock (TlCapture *capture)
{
  if (capture->lock_fd >= 0)
    {
      /* Emptied first, so a waiter never names a pid that is gone. */
      (void) !ftruncate (capture->lock_fd, 0);
      flock (capture->lock_fd, LOCK_UN);
      close (capture->lock_fd);
    }
  capture->lock_fd = -1;
}

/* ---- signals ---- */

static gboolean
catch_signals (TlCapture  *capture,
               GError    **error)
{
  sigset_t mask;

  sigemptyset (&mask);
  sigaddset (&mask, SIGINT);
  sigaddset (&mask, SIGTERM);
  sigaddset (&mask, SIGHUP);
  if (pthread_sigmask (SIG_BLOCK, &mask, &capture->saved_mask) != 0)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_FAILED, "cannot block signals");
      return FALSE;
    }
  capture->mask_saved = TRUE;
  capture->signal_fd = signalfd (-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
  if (capture->signal_fd < 0)
    {
      int saved = errno;
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_FAILED,
                   "cannot create a signalfd: %s", g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static void
release_signals (TlCapture *capture)
{
  if (capture->signal_fd >= 0)
    close (capture->signal_fd);
  capture->signal_fd = -1;
  if (capture->mask_saved)
    pthread_sigmask (SIG_SETMASK, &capture->saved_mask, NULL);
  capture->mask_saved = FALSE;
}

static gboolean
signal_pending (TlCapture *capture)
{
  struct signalfd_siginfo info;

  if (read (capture->signal_fd, &info, sizeof info) == (ssize_t) sizeof info)
    {
      tl_capture_progress (capture, "%s: stopping and cleaning up", strsignal ((int) info.ssi_signo));
      capture->interrupted = TRUE;
      capture->running = FALSE;
      return TRUE;
    }
  return FALSE;
}

/* ---- the hosts' kernels ---- */

static guint
running_kernel_version (void)
{
  struct utsname uts;
  guint major = 0, minor = 0;

  if (uname (&uts) < 0 || sscanf (uts.release, "%u.%u", &major, &minor) < 2)
    return 0;
  return major * 10000 + MIN (minor, 99) * 100;
}

static void
remember_sysctl (TlCaptureHost *host,
                 const char    *key)
{
  g_autofree char *value = tl_netns_sysctl_read (&host->ns, key, NULL);

  if (value == NULL)
    return;
  g_ptr_array_add (host->sysctl_keys, g_strdup (key));
  g_ptr_array_add (host->sysctl_values, g_steal_pointer (&value));
}

/* Sets KEY for SETTING; a key this kernel lacks is a warning when VALUE
 * differs from FALLBACK (what the kernel does without it), else nothing. */
static gboolean
apply_sysctl (TlCapture     *capture,
              TlCaptureHost *host,
              const char    *key,
              guint64        value,
              gboolean       optional,
              guint64        fallback,
              const char    *setting,
              GError       **error)
{
  g_autofree char *text = g_strdup_printf ("%" G_GUINT64_FORMAT, value);
  g_autoptr (GError) local = NULL;

  if (tl_netns_sysctl_write (&host->ns, key, text, &local))
    return TRUE;
  if (optional && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      if (value != fallback)
        tl_capture_warn (capture, "%s.%s = %s: this kernel has no /proc/sys/%s, so it is not honoured",
                         host->name, setting, text, key);
      return TRUE;
    }
  g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_SCENARIO,
               "%s.%s: %s", host->name, setting, local->message);
  return FALSE;
}

static gboolean
apply_rmem (TlCapture     *capture,
            TlCaptureHost *host,
            guint          rmem_max,
            GError       **error)
{
  g_autofree char *current = tl_netns_sysctl_read (&host->ns, "net/ipv4/tcp_rmem", NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  guint min = 4096, def = 131072, max = 0;

  if (rmem_max == 0)
    return TRUE;
  if (current != NULL)
    sscanf (current, "%u %u %u", &min, &def, &max);
  text = g_strdup_printf ("%u %u %u", MIN (min, rmem_max), MIN (def, rmem_max), rmem_max);
  if (!tl_netns_sysctl_write (&host->ns, "net/ipv4/tcp_rmem", text, &local))
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_SCENARIO,
                   "%s.rmem-max: %s", host->name, local->message);
      return FALSE;
    }
  return TRUE;
}

static void
warn_unsettable (TlCapture           *capture,
                 const TlCaptureHost *host,
                 const TlScenarioHost *sh)
{
  const TlHostSettings *s = &sh->settings;
  guint running = running_kernel_version ();

  if (s->rto_initial != 0 && s->rto_initial != TL_SEC (1))
    tl_capture_warn (capture, "%s.rto-initial: Linux always starts with 1 s", host->name);
  if (s->time_wait != 0 && s->time_wait != TL_SEC (60))
    tl_capture_warn (capture, "%s.time-wait: Linux always waits 60 s in TIME-WAIT", host->name);
  if (sh->fixed_isn)
    tl_capture_warn (capture, "%s.isn: Linux chooses its own initial sequence number", host->name);
  if (s->kernel_version != 0 && running != 0 && s->kernel_version / 100 != running / 100)
    tl_capture_warn (capture, "%s.kernel: the scenario models %u.%u, this kernel is %u.%u",
                     host->name, s->kernel_version / 10000, (s->kernel_version / 100) % 100,
                     running / 10000, (running / 100) % 100);
}

static gboolean
configure_kernel (TlCapture     *capture,
                  TlCaptureHost *host,
                  GError       **error)
{
  const TlScenarioHost *sh = &capture->scenario->hosts[host->index];
  const TlHostSettings *s = &sh->settings;
  static const char *const recorded[] = {
    "net/ipv4/tcp_syn_retries", "net/ipv4/tcp_syn_linear_timeouts", "net/ipv4/tcp_synack_retries",
    "net/ipv4/tcp_timestamps", "net/ipv4/tcp_sack", "net/ipv4/tcp_window_scaling",
    "net/ipv4/tcp_rmem", "net/ipv4/tcp_wmem", "net/ipv4/tcp_invalid_ratelimit",
    "net/ipv4/tcp_orphan_retries", "net/ipv4/tcp_rto_min_us", "net/ipv4/tcp_rto_max_ms",
    "net/ipv4/tcp_fin_timeout", "net/ipv4/tcp_ecn", "net/ipv4/tcp_syncookies",
    "net/ipv4/tcp_challenge_ack_limit",
  };

  /* No IPv6: no router solicitations or MLD reports in the captures. */
  tl_netns_sysctl_write (&host->ns, "net/ipv6/conf/all/disable_ipv6", "1", NULL);
  tl_netns_sysctl_write (&host->ns, "net/ipv6/conf/default/disable_ipv6", "1", NULL);

  if (!apply_sysctl (capture, host, "net/ipv4/tcp_syn_retries", s->syn_retries, FALSE, 0, "syn-retries", error)
      || !apply_sysctl (capture, host, "net/ipv4/tcp_synack_retries", s->synack_retries, FALSE, 0,
                        "synack-retries", error)
      || !apply_sysctl (capture, host, "net/ipv4/tcp_syn_linear_timeouts", s->syn_linear_timeouts, TRUE, 0,
                        "syn-linear-timeouts", error)
      || !apply_sysctl (capture, host, "net/ipv4/tcp_timestamps", s->timestamps ? 1 : 0, FALSE, 0,
                        "timestamps", error)
      || !apply_sysctl (capture, host, "net/ipv4/tcp_sack", s->sack ? 1 : 0, FALSE, 0, "sack", error)
      || !apply_sysctl (capture, host, "net/ipv4/tcp_window_scaling", s->window_scaling ? 1 : 0, FALSE, 0,
                        "window-scaling", error)
      || !apply_rmem (capture, host, s->rmem_max, error)
      || !apply_sysctl (capture, host, "net/ipv4/tcp_invalid_ratelimit",
                        (guint64) (s->invalid_ratelimit / TL_MSEC (1)), FALSE, 0, "invalid-ratelimit", error)
      || !apply_sysctl (capture, host, "net/ipv4/tcp_orphan_retries", s->orphan_retries, FALSE, 0,
                        "orphan-retries", error))
    return FALSE;
  if (s->rto_min > 0
      && !apply_sysctl (capture, host, "net/ipv4/tcp_rto_min_us", (guint64) (s->rto_min / TL_USEC (1)),
                        TRUE, 200000, "rto-min", error))
    return FALSE;
  if (s->rto_max > 0
      && !apply_sysctl (capture, host, "net/ipv4/tcp_rto_max_ms", (guint64) (s->rto_max / TL_MSEC (1)),
                        TRUE, 120000, "rto-max", error))
    return FALSE;
  if (s->invalid_ratelimit % TL_MSEC (1) != 0)
    tl_capture_warn (capture, "%s.invalid-ratelimit: Linux counts whole milliseconds", host->name);
  warn_unsettable (capture, host, sh);

  host->sysctl_keys = g_ptr_array_new_with_free_func (g_free);
  host->sysctl_values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (recorded); i++)
    remember_sysctl (host, recorded[i]);
  return TRUE;
}

static gboolean
setup_host (TlCapture  *capture,
            guint       index,
            GError    **error)
{
  TlCaptureHost *host = &capture->hosts[index];
  g_autofree char *ns_name = g_strdup_printf (TL_CAPTURE_PREFIX "%d-%s", capture->pid, netns_suffix[index]);
  g_autoptr (GError) local = NULL;

  if (!tl_netns_create (&host->ns, ns_name, &local)
      || !configure_kernel (capture, host, &local)
      || (host->tun_fd = tl_netns_open_tun (&host->ns, host->ifname, &local)) < 0
      || !tl_netns_configure_tun (&host->ns, host->ifname, host->addr, host->peer_addr, host->mtu, &local))
    {
      if (local->domain == TL_CAPTURE_ERROR)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT,
                     "host %s: %s", host->name, local->message);
      return FALSE;
    }
  return TRUE;
}

/* ---- the scenario ---- */

static gboolean
check_scenario (const TlScenario  *scenario,
                GError           **error)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      const TlScenarioHost *host = &scenario->hosts[h];
      const char *name = host->name != NULL ? host->name : (h == 0 ? "A" : "B");
      guint32 a = host->addr;

      if (a == 0 || (a >> 24) == 127 || (a >> 28) >= 14)
        {
          g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_SCENARIO,
                       "%s.addr: a capture needs an ordinary unicast address for each host, "
                       "not loopback, multicast or 0.0.0.0", name);
          return FALSE;
        }
      if (host->settings.mss != 0 && (host->settings.mss < 88 || host->settings.mss > 65495))
        {
          g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_SCENARIO,
                       "%s.mss: %u cannot be set on a real interface (88 to 65495)",
                       name, host->settings.mss);
          return FALSE;
        }
    }
  if (scenario->hosts[0].addr == scenario->hosts[1].addr)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_SCENARIO,
                   "the two hosts have the same address; a capture needs two");
      return FALSE;
    }
  if (scenario->hosts[0].port == 0 && scenario->hosts[1].port == 0)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_SCENARIO,
                   "neither host has a port: the tracepoint filter needs at least one");
      return FALSE;
    }
  return TRUE;
}

static void
init_hosts (TlCapture *capture)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      const TlScenarioHost *sh = &capture->scenario->hosts[h];
      TlCaptureHost *host = &capture->hosts[h];

      host->index = h;
      host->name = g_strdup (sh->name != NULL ? sh->name : (h == 0 ? "A" : "B"));
      host->addr = sh->addr;
      host->port = sh->port;
      host->peer_addr = capture->scenario->hosts[1 - h].addr;
      host->mtu = sh->settings.mss != 0 ? sh->settings.mss + 40 : 1500;
      host->ns.fd = -1;
      host->tun_fd = -1;
      g_snprintf (host->ifname, sizeof host->ifname, "tltun-%s", netns_suffix[h]);
      host->frames = g_array_new (FALSE, TRUE, sizeof (TlCaptureFrame));
    }
}

static void
clear_hosts (TlCapture *capture)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      TlCaptureHost *host = &capture->hosts[h];

      if (host->tun_fd >= 0)
        close (host->tun_fd);
      host->tun_fd = -1;
      tl_netns_destroy (&host->ns);
      if (host->frames != NULL)
        {
          for (guint i = 0; i < host->frames->len; i++)
            g_bytes_unref (g_array_index (host->frames, TlCaptureFrame, i).bytes);
          g_clear_pointer (&host->frames, g_array_unref);
        }
      g_clear_pointer (&host->sysctl_keys, g_ptr_array_unref);
      g_clear_pointer (&host->sysctl_values, g_ptr_array_unref);
      g_clear_pointer (&host->name, g_free);
    }
}

/* ---- the loop ---- */

static void
on_end (gpointer data,
        guint64  arg)
{
  TlCapture *capture = data;

  capture->stop = capture->end_reason;
  /* Like the simulator, the run includes what is scheduled at its end;
   * a call made then is a few microseconds later in real time. */
  capture->stop_time = MAX (capture->end, capture->last_activity);
  capture->running = FALSE;
}

static void
read_kernel_events (TlCapture *capture)
{
  g_autoptr (GError) local = NULL;
  guint before = capture->kernel_events->len;

  if (!capture->tracefs_open)
    return;
  if (!tl_tracefs_read (&capture->tracefs, capture->kernel_events, &capture->n_bad_trace_lines, &local))
    {
      tl_capture_fail (capture, g_error_new (TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_FAILED,
                                             "%s", local->message));
      return;
    }
  for (guint i = before; i < capture->kernel_events->len; i++)
    {
      TlStateEvent *event = &g_array_index (capture->kernel_events, TlStateEvent, i);
      event->time -= capture->t0;
      tl_capture_touch (capture, event->time);
    }
}

/* The stop rule: every call made, nothing in flight or held, every socket
 * CLOSED or TIME-WAIT; then the run ends TL_CAPTURE_QUIET_TIME after the
 * last thing that happened.  Returns that end, or TL_TIME_NEVER. */
static TlTime
quiet_end (TlCapture *capture)
{
  g_autoptr (GArray) states = NULL;
  gboolean finished = FALSE;

  if (capture->options->full_duration || !tl_capture_agent_done (capture) || capture->in_flight > 0)
    return TL_TIME_NEVER;
  states = tl_capture_states_build (capture, &finished);
  return finished ? capture->last_activity + TL_CAPTURE_QUIET_TIME : TL_TIME_NEVER;
}

static void
run_due_events (TlCapture *capture)
{
  TlEvent event;

  while (capture->running
         && tl_event_queue_peek_time (capture->queue) <= tl_capture_now (capture)
         && tl_event_queue_pop (capture->queue, &event))
    {
      capture->vnow = event.time;
      event.func (event.data, event.arg);
    }
}

static void
run_loop (TlCapture *capture)
{
  g_autoptr (GArray) pollfds = g_array_new (FALSE, FALSE, sizeof (struct pollfd));
  g_autoptr (GArray) tags = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_fixed;

  capture->running = TRUE;
  while (capture->running)
    {
      TlTime deadline, now, quiet;
      struct timespec timeout;

      run_due_events (capture);
      if (!capture->running)
        break;

      quiet = quiet_end (capture);
      now = tl_capture_now (capture);
      if (quiet != TL_TIME_NEVER && quiet < capture->end && now >= quiet)
        {
          capture->stop = TL_CAPTURE_STOP_QUIET;
          capture->stop_time = quiet;
          break;
        }

      g_array_set_size (pollfds, 0);
      g_array_set_size (tags, 0);
      {
        struct pollfd fixed[] = {
          { capture->signal_fd, POLLIN, 0 },
          { capture->hosts[0].tun_fd, POLLIN, 0 },
          { capture->hosts[1].tun_fd, POLLIN, 0 },
          { capture->tracefs.pipe_fd, POLLIN, 0 },
        };
        g_array_append_vals (pollfds, fixed, G_N_ELEMENTS (fixed));
        n_fixed = G_N_ELEMENTS (fixed);
      }
      tl_capture_agent_poll (capture, pollfds, tags);

      deadline = MIN (tl_event_queue_peek_time (capture->queue), quiet);
      if (deadline < now)
        deadline = now;
      timeout.tv_sec = (time_t) ((deadline - now) / 1000000000);
      timeout.tv_nsec = (long) ((deadline - now) % 1000000000);
      if (ppoll ((struct pollfd *) pollfds->data, pollfds->len,
                 deadline == TL_TIME_NEVER ? NULL : &timeout, NULL) < 0 && errno != EINTR)
        {
          int saved = errno;
          tl_capture_fail (capture, g_error_new (TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_FAILED,
                                                 "poll failed: %s", g_strerror (saved)));
          break;
        }

      {
        struct pollfd *p = (struct pollfd *) pollfds->data;
        if (p[0].revents && signal_pending (capture))
          break;
        /* Timed events first: a packet due now leaves before a new one is
         * read, as it would on a wire. */
        run_due_events (capture);
        if (!capture->running)
          break;
        for (guint h = 0; h < TL_MAX_HOSTS; h++)
          if (p[1 + h].revents)
            tl_capture_wire_read (capture, h);
        read_kernel_events (capture);
        for (guint i = n_fixed; i < pollfds->len && capture->running; i++)
          if (p[i].revents)
            tl_capture_agent_ready (capture, g_array_index (tags, guint, i - n_fixed), p[i].revents);
      }
    }
}

/* ---- the output directory ---- */

static gboolean
is_bundle_or_empty (const char *path)
{
  g_autofree char *meta = g_build_filename (path, "meta.json", NULL);
  g_autoptr (GDir) dir = NULL;

  if (g_file_test (meta, G_FILE_TEST_IS_REGULAR))
    return TRUE;
  dir = g_dir_open (path, 0, NULL);
  return dir != NULL && g_dir_read_name (dir) == NULL;
}

static gboolean
check_output (const char  *output,
              gboolean     force,
              GError     **error)
{
  g_autofree char *parent = g_path_get_dirname (output);

  if (!g_file_test (parent, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT,
                   "%s: the directory %s does not exist", output, parent);
      return FALSE;
    }
  if (g_file_test (output, G_FILE_TEST_EXISTS))
    {
      if (!force)
        {
          g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT,
                       "%s already exists (--force replaces it)", output);
          return FALSE;
        }
      if (!g_file_test (output, G_FILE_TEST_IS_DIR) || !is_bundle_or_empty (output))
        {
          g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT,
                       "%s exists and is not a capture bundle: not replacing it", output);
          return FALSE;
        }
    }
  return TRUE;
}

/* Puts TMP at OUTPUT; an existing bundle there is swapped out atomically
 * and then removed. */
static gboolean
publish (const char  *tmp,
         const char  *output,
         GError     **error)
{
  int saved;

  if (rename (tmp, output) == 0)
    return TRUE;
  if (errno == EEXIST || errno == ENOTEMPTY)
    {
      if (is_bundle_or_empty (output)
          && renameat2 (AT_FDCWD, tmp, AT_FDCWD, output, RENAME_EXCHANGE) == 0)
        {
          /* TMP now holds the old bundle. */
          if (!remove_flat_dir (tmp))
            g_warning ("capture: cannot remove the replaced bundle, now at %s", tmp);
          return TRUE;
        }
    }
  saved = errno;
  g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT,
               "cannot move the bundle to %s: %s", output, g_strerror (saved));
  return FALSE;
}

/* ---- the whole run ---- */

static gboolean
setup (TlCapture  *capture,
       const char *tmp_dir,
       GError    **error)
{
  g_autoptr (GError) local = NULL;
  g_autofree char *instance = NULL;
  guint16 ports[TL_MAX_HOSTS];
  guint n_ports = 0;
  gint removed;

  if (!take_lock (capture, error))
    return FALSE;
  removed = tl_capture_cleanup_stale (capture->options->output, NULL);
  if (removed > 0)
    tl_capture_progress (capture, "removed %d leftovers of earlier captures", removed);

  if (mkdir (tmp_dir, 0755) < 0)
    {
      int saved = errno;
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT,
                   "cannot create %s: %s", tmp_dir, g_strerror (saved));
      return FALSE;
    }

  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    if (!setup_host (capture, h, error))
      return FALSE;
  tl_capture_progress (capture, "namespaces %s (%s) and %s (%s) ready",
                       capture->hosts[0].ns.name, capture->hosts[0].name,
                       capture->hosts[1].ns.name, capture->hosts[1].name);

  capture->tracefs_root = tl_tracefs_find_root (&local);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    if (capture->hosts[h].port != 0
        && (n_ports == 0 || ports[0] != capture->hosts[h].port))
      ports[n_ports++] = capture->hosts[h].port;
  instance = g_strdup_printf (TL_CAPTURE_PREFIX "%d", capture->pid);
  if (capture->tracefs_root == NULL
      || !tl_tracefs_open (&capture->tracefs, capture->tracefs_root, instance, ports, n_ports, &local))
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_ENVIRONMENT, "%s", local->message);
      return FALSE;
    }
  capture->tracefs_open = TRUE;
  return TRUE;
}

static void
teardown (TlCapture *capture)
{
  tl_capture_agent_clear (capture);
  if (capture->tracefs_open)
    tl_tracefs_close (&capture->tracefs);
  capture->tracefs_open = FALSE;
  g_clear_pointer (&capture->tracefs_root, g_free);
  clear_hosts (capture);
  tl_capture_wire_clear (capture);
  g_clear_pointer (&capture->queue, tl_event_queue_free);
  g_clear_pointer (&capture->kernel_events, g_array_unref);
  drop_lock (capture);
  release_signals (capture);
}

/* Real-time priority keeps a busy machine from delaying packets by
 * milliseconds; where it is refused the capture still works. */
static gboolean
go_realtime (struct sched_param *saved_param,
             int                *saved_policy)
{
  struct sched_param param = { .sched_priority = REALTIME_PRIORITY };

  *saved_policy = sched_getscheduler (0);
  sched_getparam (0, saved_param);
  prctl (PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  return sched_setscheduler (0, SCHED_FIFO, &param) == 0;
}

gboolean
tl_capture_run (const TlScenario       *scenario,
                const TlCaptureOptions *options,
                TlCaptureSummary       *summary,
                GError                **error)
{
  TlCapture capture_storage = { 0 };
  TlCapture *capture = &capture_storage;
  g_autofree char *tmp_dir = NULL;
  g_autoptr (GArray) states = NULL;
  struct sched_param saved_param;
  int saved_policy = -1;
  gboolean ok = FALSE, tmp_made = FALSE, locked = FALSE;
  TlTime start_mono;
  TlTime timer_ref_now = 0;
  guint64 timer_ref_jiffies = 0;
  gboolean have_timer;

  g_return_val_if_fail (options != NULL && options->output != NULL, FALSE);

  capture->scenario = scenario;
  capture->options = options;
  capture->pid = getpid ();
  capture->signal_fd = -1;
  capture->lock_fd = -1;
  capture->tracefs.pipe_fd = -1;
  capture->warnings = g_ptr_array_new_with_free_func (g_free);
  capture->kernel_events = g_array_new (FALSE, FALSE, sizeof (TlStateEvent));
  capture->queue = tl_event_queue_new ();
  init_hosts (capture);
  tmp_dir = g_strdup_printf ("%s.tmp-%d", options->output, capture->pid);

  if (!check_scenario (scenario, error)
      || !tl_capture_check_environment (error)
      || !check_output (options->output, options->force, error)
      || !catch_signals (capture, error))
    goto out;
  tmp_made = TRUE;
  if (!setup (capture, tmp_dir, error))
    goto out;

  if (scenario->profile != TL_PROFILE_LINUX)
    tl_capture_warn (capture, "the scenario uses the %s profile; the capture shows what Linux does",
                     tl_profile_to_string (scenario->profile));

  capture->end = scenario->duration;
  capture->end_reason = TL_CAPTURE_STOP_DURATION;
  if (options->max_duration < capture->end)
    {
      capture->end = options->max_duration;
      capture->end_reason = TL_CAPTURE_STOP_LIMIT;
    }
  tl_capture_wire_init (capture);
  tl_capture_agent_init (capture);
  tl_event_queue_push (capture->queue, capture->end, on_end, capture, 0);

  /* No page faults in the middle of the run. */
  locked = mlockall (MCL_CURRENT | MCL_FUTURE) == 0;
  if (!go_realtime (&saved_param, &saved_policy))
    tl_capture_warn (capture, "could not use real-time scheduling; timing may suffer on a busy machine");

  have_timer = measure_timer (capture, &timer_ref_now, &timer_ref_jiffies);
  start_mono = monotonic_ns ();
  capture->t0_realtime = realtime_ns ();
  capture->t0 = monotonic_ns () + START_MARGIN;
  capture->t0_realtime += capture->t0 - start_mono;
  if (have_timer)
    timer_phase_at_t0 (capture, timer_ref_now, timer_ref_jiffies);
  {
    g_autofree char *until = tl_time_format (capture->end, 3);
    tl_capture_progress (capture, "running %s for at most %s", scenario->name ? scenario->name : "the scenario",
                         until);
  }

  run_loop (capture);

  if (saved_policy >= 0)
    sched_setscheduler (0, saved_policy, &saved_param);
  if (locked)
    munlockall ();

  if (capture->interrupted)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_INTERRUPTED,
                   "interrupted; nothing was kept");
      goto out;
    }
  if (capture->failure != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&capture->failure));
      goto out;
    }

  /* Whatever the kernel reported up to the end is in the buffer now. */
  read_kernel_events (capture);
  for (guint i = capture->kernel_events->len; i-- > 0;)
    if (g_array_index (capture->kernel_events, TlStateEvent, i).time > capture->stop_time)
      g_array_remove_index (capture->kernel_events, i);
  tl_capture_wire_finish (capture, capture->stop_time);
  states = tl_capture_states_build (capture, NULL);
  {
    g_autofree char *at = tl_time_format (capture->stop_time, 3);
    tl_capture_progress (capture, "stopped at %s (%s)", at, tl_capture_stop_to_string (capture->stop));
  }

  if (!tl_capture_write_bundle (capture, tmp_dir, states, error)
      || !publish (tmp_dir, options->output, error))
    goto out;
  tmp_made = FALSE;

  if (summary != NULL)
    {
      memset (summary, 0, sizeof *summary);
      summary->stop = capture->stop;
      summary->end_time = capture->stop_time;
      summary->n_states = states->len;
      summary->n_warnings = capture->warnings->len;
      for (guint h = 0; h < TL_MAX_HOSTS; h++)
        for (guint i = 0; i < capture->hosts[h].frames->len; i++)
          summary->n_packets[h] += g_array_index (capture->hosts[h].frames, TlCaptureFrame, i).outbound;
    }
  ok = TRUE;

out:
  if (capture->failure != NULL)
    g_error_free (capture->failure);
  teardown (capture);
  if (tmp_made && !remove_flat_dir (tmp_dir) && errno != ENOENT)
    g_warning ("capture: cannot remove %s: %s", tmp_dir, g_strerror (errno));
  g_ptr_array_unref (capture->warnings);
  return ok;
}

/* test-sweep-cli.c: `tcpladder sweep` and `tcpladder merge` as users run
 * them, on the bundled scenarios: outcome classification, shards merged
 * into exactly the unsharded output, Ctrl-C leaving valid partial files,
 * and errors that name the option at fault. */
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#include "tl-outcome.h"
#include "tl-test-dir.h"
#include "tl-scenario.h"

typedef struct
{
  int   status;   /* exit status, or -1 if killed */
  char *out;
  char *err;
} Result;

typedef struct
{
  char *dir;
} Fixture;

/* How many pieces SEPARATOR cuts TEXT into. */
static guint
count_parts (const char *text,
             const char *separator)
{
  g_auto (GStrv) parts = g_strsplit (text, separator, -1);
  return g_strv_length (parts);
}

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

static char *
scenario_path (const char *name)
{
  return g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), name, NULL);
}

static GPtrArray *
cli_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) g_getenv ("TL_CLI"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
run_cli (Result            *r,
         const char *const *args)
{
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out,
                &r->err, &wait_status, &error);
  g_assert_no_error (error);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

#define RUN(r, ...) run_cli ((r), (const char *const[]) { __VA_ARGS__, NULL })

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = tl_test_dir_new ("test-sweep-cli");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tl_test_dir_remove (f->dir);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* The outcome of each bundled scenario, classified from its trace. */
static const struct
{
  const char     *file;
  TlOpenOutcome   open;
  TlCloseOutcome  close;
  const char     *open_id;
} bundled[] = {
  { "normal-handshake.scn", TL_OPEN_NORMAL, TL_CLOSE_NORMAL, "normal-open" },
  { "simultaneous-open-router-pause.scn", TL_OPEN_SIMULTANEOUS, TL_CLOSE_NORMAL,
    "simultaneous-open" },
  { "simultaneous-open-delay.scn", TL_OPEN_SIMULTANEOUS, TL_CLOSE_SIMULTANEOUS,
    "simultaneous-open" },
  { "simultaneous-close.scn", TL_OPEN_NORMAL, TL_CLOSE_SIMULTANEOUS, "normal-open" },
  { "connect-refused.scn", TL_OPEN_REFUSED, TL_CLOSE_NONE, "refused" },
  { "syn-timeout.scn", TL_OPEN_TIMED_OUT, TL_CLOSE_NONE, "timed-out" },
};

static void
test_classify_bundled (void)
{
  g_autoptr(TlTrace) trace = tl_trace_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bundled); i++)
    {
      g_autofree char *path = scenario_path (bundled[i].file);
      g_autoptr(GError) error = NULL;
      g_autoptr(TlScenario) scenario = tl_scenario_load (path, &error);
      TlOutcome outcome;

      g_assert_no_error (error);
      tl_scenario_run (scenario, trace);
      tl_outcome_classify (trace, &outcome);
      if (outcome.open != bundled[i].open || outcome.close != bundled[i].close)
        g_error ("%s: %s, %s; expected %s, %s", bundled[i].file,
                 tl_open_outcome_to_string (outcome.open),
                 tl_close_outcome_to_string (outcome.close),
                 tl_open_outcome_to_string (bundled[i].open),
                 tl_close_outcome_to_string (bundled[i].close));
    }

  /* The refused connect and the timed-out one carry their errno. */
  {
    g_autofree char *path = scenario_path ("connect-refused.scn");
    g_autoptr(TlScenario) scenario = tl_scenario_load (path, NULL);
    TlOutcome outcome;

    tl_scenario_run (scenario, trace);
    tl_outcome_classify (trace, &outcome);
    g_assert_cmpint (outcome.connect_error[TL_HOST_A], ==, ECONNREFUSED);
    g_assert_cmpint (outcome.established_at[TL_HOST_A], ==, TL_TIME_NEVER);
  }
}

/* The same through `tcpladder sweep`: a one-point sweep of each scenario
 * writes the outcome the classifier gives. */
static void
test_sweep_bundled (Fixture       *f,
                    gconstpointer  data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bundled); i++)
    {
      g_autofree char *path = scenario_path (bundled[i].file);
      g_autofree char *csv = path_in (f, "one.csv");
      g_autofree char *text = NULL;
      g_auto(GStrv) lines = NULL;
      g_auto(GStrv) fields = NULL;
      Result r = { 0 };

      RUN (&r, "sweep", path, "--seeds", "1", "--csv", csv, "-q");
      g_assert_cmpstr (r.err, ==, "");
      g_assert_cmpint (r.status, ==, 0);
      text = tl_test_read_file (csv);
      lines = g_strsplit (text, "\n", -1);
      g_assert_cmpuint (g_strv_length (lines), ==, 3);
      fields = g_strsplit (lines[1], ",", -1);
      /* index,points,seed,open,close,... */
      g_assert_cmpstr (fields[0], ==, "0");
      g_assert_cmpstr (fields[1], ==, "1");
      g_assert_cmpstr (fields[2], ==, "0");
      g_assert_cmpstr (fields[3], ==, bundled[i].open_id);
      result_clear (&r);
    }
}

/* Sharded with any -j, merged in any order: byte for byte the unsharded
 * output, CSV and JSON lines. */
static void
test_shards_merge (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *scn = scenario_path ("simultaneous-open-delay.scn");
  g_autofree char *whole_csv = path_in (f, "whole.csv");
  g_autofree char *whole_jsonl = path_in (f, "whole.jsonl");
  g_autofree char *one_csv = path_in (f, "one-thread.csv");
  g_autofree char *merged_csv = path_in (f, "merged.csv");
  g_autofree char *merged_jsonl = path_in (f, "merged.jsonl");
  g_autofree char *map = path_in (f, "merged.svg");
  g_autofree char *whole = NULL;
  g_autofree char *merged = NULL;
  g_autofree char *one = NULL;
  g_autoptr(GPtrArray) merge_csv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) merge_jsonl = g_ptr_array_new_with_free_func (g_free);
  const char *const axes[] = {
    "--offset", "B.connect.at-A.connect.at=-300ms..300ms/50ms",
    "--vary", "A<->B.delay=10ms..300ms/10ms",
    "--set", "A->B.loss=5%", "--seeds", "3",
  };
  Result r = { 0 };

  {
    const char *args[] = { "sweep", scn, axes[0], axes[1], axes[2], axes[3], axes[4], axes[5],
                           axes[6], axes[7], "-j", "2", "-q", "--csv", whole_csv, "--jsonl",
                           whole_jsonl, NULL };
    run_cli (&r, args);
    g_assert_cmpstr (r.err, ==, "");
    g_assert_cmpint (r.status, ==, 0);
    result_clear (&r);
  }
  {
    const char *args[] = { "sweep", scn, axes[0], axes[1], axes[2], axes[3], axes[4], axes[5],
                           axes[6], axes[7], "-j1", "-q", "--csv", one_csv, NULL };
    run_cli (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    result_clear (&r);
  }
  whole = tl_test_read_file (whole_csv);
  one = tl_test_read_file (one_csv);
  /* 13 offsets x 30 delays x 3 seeds, plus the header. */
  g_assert_cmpuint (count_parts (whole, "\n"), ==, 13 * 30 * 3 + 2);
  g_assert_cmpstr (whole, ==, one);

  g_ptr_array_add (merge_csv, g_strdup ("merge"));
  g_ptr_array_add (merge_csv, g_strdup (merged_csv));
  g_ptr_array_add (merge_jsonl, g_strdup ("merge"));
  g_ptr_array_add (merge_jsonl, g_strdup (merged_jsonl));
  for (guint shard = 4; shard >= 1; shard--)
    {
      g_autofree char *spec = g_strdup_printf ("%u/4", shard);
      g_autofree char *csv = g_strdup_printf ("%s/shard-%u.csv", f->dir, shard);
      g_autofree char *jsonl = g_strdup_printf ("%s/shard-%u.jsonl", f->dir, shard);
      const char *args[] = { "sweep", scn, axes[0], axes[1], axes[2], axes[3], axes[4], axes[5],
                             axes[6], axes[7], "--shard", spec, "-j", shard % 2 ? "1" : "2",
                             "-q", "--csv", csv, "--jsonl", jsonl, NULL };

      run_cli (&r, args);
      g_assert_cmpint (r.status, ==, 0);
      result_clear (&r);
      g_ptr_array_add (merge_csv, g_steal_pointer (&csv));
      g_ptr_array_add (merge_jsonl, g_steal_pointer (&jsonl));
    }
  g_ptr_array_add (merge_csv, g_strdup ("--map"));
  g_ptr_array_add (merge_csv, g_strdup (map));
  g_ptr_array_add (merge_csv, NULL);
  g_ptr_array_add (merge_jsonl, NULL);

  run_cli (&r, (const char *const *) merge_csv->pdata);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  merged = tl_test_read_file (merged_csv);
  g_assert_cmpstr (merged, ==, whole);
  g_clear_pointer (&merged, g_free);
  g_assert_true (g_file_test (map, G_FILE_TEST_IS_REGULAR));

  run_cli (&r, (const char *const *) merge_jsonl->pdata);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  merged = tl_test_read_file (merged_jsonl);
  g_clear_pointer (&whole, g_free);
  whole = tl_test_read_file (whole_jsonl);
  g_assert_cmpstr (merged, ==, whole);
}

/* Ctrl-C in the middle: exit status 130, the output file holds the header
 * and the rows 0..k-1, each complete, and no temporary file is left. */
static void
test_interrupt (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *scn = scenario_path ("simultaneous-open-delay.scn");
  g_autofree char *csv = path_in (f, "big.csv");
  g_autofree char *merged = path_in (f, "merged.csv");
  const char *args[] = {
    "sweep", scn, "--offset", "B.connect.at-A.connect.at=-500ms..500ms/1us",
    "--vary", "A<->B.delay=1ms..400ms/1ms", "--csv", csv, "-q", NULL,
  };
  g_autoptr(GPtrArray) argv = cli_argv (args);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPid pid;
  int wait_status;
  gboolean saw_rows = FALSE;
  guint n_lines, n_fields;

  g_assert_true (g_spawn_async (NULL, (char **) argv->pdata, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);
  /* Wait until rows reach the temporary file (flushed as they complete). */
  for (guint tries = 0; tries < 3000 && !saw_rows; tries++)
    {
      g_autoptr(GDir) dir = g_dir_open (f->dir, 0, NULL);
      const char *name;

      g_usleep (10000);
      while ((name = g_dir_read_name (dir)) != NULL)
        if (g_str_has_prefix (name, ".big.csv."))
          {
            g_autofree char *temp = path_in (f, name);
            GStatBuf st;

            if (g_stat (temp, &st) == 0 && st.st_size > 20000)
              saw_rows = TRUE;
          }
    }
  g_assert_true (saw_rows);
  g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  kill (pid, SIGINT);
  g_assert_cmpint (waitpid (pid, &wait_status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (wait_status));
  g_assert_cmpint (WEXITSTATUS (wait_status), ==, 130);

  g_assert_cmpuint (tl_test_dir_count (f->dir), ==, 1);
  text = tl_test_read_file (csv);
  g_assert_true (g_str_has_suffix (text, "\n"));
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines) - 1;
  g_assert_cmpuint (n_lines, >, 100);
  n_fields = count_parts (lines[0], ",");
  for (guint i = 1; i < n_lines; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      g_autofree char *index = g_strdup_printf ("%u", i - 1);

      g_assert_cmpuint (g_strv_length (fields), ==, n_fields);
      g_assert_cmpstr (fields[0], ==, index);
      g_assert_cmpstr (fields[1], ==, "400000400");
    }

  /* Merging it alone says what is missing; --partial takes it. */
  {
    Result r = { 0 };

    RUN (&r, "merge", merged, csv);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "points are missing, the first being point"));
    g_assert_false (g_file_test (merged, G_FILE_TEST_EXISTS));
    result_clear (&r);
    RUN (&r, "merge", "--partial", merged, csv);
    g_assert_cmpint (r.status, ==, 0);
    result_clear (&r);
  }
}

/* Bad command lines exit 2 (bad input files 3, unwritable outputs 4) with
 * a message naming the option as typed, and write nothing. */
static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *scn = scenario_path ("simultaneous-open-delay.scn");
  g_autofree char *csv = path_in (f, "out.csv");
  g_autofree char *nowhere = path_in (f, "no/such/dir/out.csv");
  g_autofree char *missing = path_in (f, "missing.scn");
  const struct
  {
    const char *args[8];
    int         status;
    const char *message;
  } cases[] = {
    { { "--vary", "B.connect.at=0..1s" }, 2,
      "tcpladder sweep: --vary B.connect.at=0..1s: a range needs a step" },
    { { "--vary", "B.connect.at=1s..0s/1ms" }, 2,
      "--vary B.connect.at=1s..0s/1ms: FROM '1s' is after TO '0s'" },
    { { "--vary", "A<->B.dealy=1ms..2ms/1ms" }, 2,
      "--vary A<->B.dealy=1ms..2ms/1ms: A<->B.dealy=1ms: unknown key" },
    { { "--vary", "A<->B.delay=-1ms..2ms/1ms" }, 2,
      "--vary A<->B.delay=-1ms..2ms/1ms: A<->B.delay=-1ms:" },
    { { "--offset", "B.connect.at-A.listen.at=0ms..2ms/1ms" }, 2,
      "--offset B.connect.at-A.listen.at=0ms..2ms/1ms: A.listen.at is not a call time" },
    { { "--offset", "B.connect.at=0ms..2ms/1ms" }, 2,
      "--offset B.connect.at=0ms..2ms/1ms: expected KEY-REFERENCE" },
    { { "--vary", "seed=1,2", "--seeds", "3" }, 2,
      "--seeds 3: seed is already swept by --vary seed=1,2" },
    { { "--seeds", "lots" }, 2, "--seeds lots: expected a count" },
    { { "--seeds", "2", "--shard", "0/3" }, 2, "--shard 0/3: shards are numbered 1 to 3" },
    { { "--seeds", "2", "--map", "out.gif" }, 2, "--map out.gif: the map is written as .svg" },
    { { "--seeds", "2", "--map", "out.svg", "--shard", "1/2" }, 2, "tcpladder merge --map" },
    { { "--seeds", "2", "-j", "-3" }, 2, "--jobs -3" },
    { { "--seeds", "2", "--set", "A<->B.delay" }, 2, "--set A<->B.delay: expected KEY=VALUE" },
    { { "--seeds", "2", "--set", "bogus=1" }, 2, "--set bogus=1: " },
    { { "-q" }, 2, "nothing to sweep: give --vary, --offset or --seeds" },
    { { "--seeds", "2", "--csv", "-", "--jsonl", "-" }, 2, "cannot both go to standard output" },
    { { "--seeds", "2", "--csv", nowhere }, 4, nowhere },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[16] = { "sweep", scn };
      guint n = 2;
      Result r = { 0 };

      for (guint a = 0; cases[i].args[a] != NULL; a++)
        args[n++] = cases[i].args[a];
      run_cli (&r, args);
      if (r.status != cases[i].status || strstr (r.err, cases[i].message) == NULL)
        g_error ("case %u: status %d, \"%s\"; expected %d, \"...%s...\"", i, r.status, r.err,
                 cases[i].status, cases[i].message);
      g_assert_cmpstr (r.out, ==, "");
      result_clear (&r);
    }
  g_assert_cmpuint (tl_test_dir_count (f->dir), ==, 0);

  {
    Result r = { 0 };

    RUN (&r, "sweep", missing, "--seeds", "2", "--csv", csv);
    g_assert_cmpint (r.status, ==, 3);
    g_assert_nonnull (strstr (r.err, "missing.scn"));
    result_clear (&r);
    RUN (&r, "sweep");
    g_assert_cmpint (r.status, ==, 2);
    g_assert_nonnull (strstr (r.err, "which scenario?"));
    result_clear (&r);
    RUN (&r, "merge", csv);
    g_assert_cmpint (r.status, ==, 2);
    result_clear (&r);
    g_assert_cmpuint (tl_test_dir_count (f->dir), ==, 0);
  }
}

/* The summary, a map of a one-parameter sweep (a strip) and --csv -. */
static void
test_outputs (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *scn = scenario_path ("simultaneous-open-delay.scn");
  g_autofree char *png = path_in (f, "strip.png");
  Result r = { 0 };

  RUN (&r, "sweep", scn, "--offset", "B.connect.at-A.connect.at=-2s..2s/500ms", "--map", png,
       "--csv", "-");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_prefix (r.out, "index,points,B.connect.at-A.connect.at_ns,seed,"));
  g_assert_cmpuint (count_parts (r.out, "\n"), ==, 1 + 9 + 1);
  /* Rows on stdout: the summary goes to stderr. */
  g_assert_nonnull (strstr (r.err, "9 runs in"));
  g_assert_nonnull (strstr (r.err, "simultaneous open"));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  result_clear (&r);

  RUN (&r, "sweep", scn, "--vary", "A<->B.delay=1s,6s", "-j", "1");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "2 runs in"));
  g_assert_nonnull (strstr (r.out, "1 thread)"));
  result_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sweep/cli/classify-bundled", test_classify_bundled);
  g_test_add ("/sweep/cli/sweep-bundled", Fixture, NULL, fixture_setup, test_sweep_bundled,
              fixture_teardown);
  g_test_add ("/sweep/cli/shards-merge", Fixture, NULL, fixture_setup, test_shards_merge,
              fixture_teardown);
  g_test_add ("/sweep/cli/interrupt", Fixture, NULL, fixture_setup, test_interrupt,
              fixture_teardown);
  g_test_add ("/sweep/cli/errors", Fixture, NULL, fixture_setup, test_errors,
              fixture_teardown);
  g_test_add ("/sweep/cli/outputs", Fixture, NULL, fixture_setup, test_outputs,
              fixture_teardown);
  return g_test_run ();
}

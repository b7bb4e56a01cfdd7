/* test-cli.c: `tcpladder run` as a user runs it. */
#include <string.h>

#include <glib.h>

#include "tl-test-cli.h"

static void
test_run_default_scenario (void)
{
  g_autofree char *path = tl_test_scenario ("simultaneous-open-router-pause.scn");
  TlTestResult r = { 0 };

  tl_test_run_cli (&r, "run", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "A: SYN-SENT -> SYN-RECEIVED -> ESTABLISHED at 2.501 s (simultaneous open)"));
  g_assert_nonnull (strstr (r.out, "B: SYN-SENT -> SYN-RECEIVED -> ESTABLISHED at 2.501 s (simultaneous open)"));
  g_assert_nonnull (strstr (r.out, "hold #1 (router paused)"));
  g_assert_nonnull (strstr (r.out, "release #1"));
  /* The request and the hostname were exchanged. */
  g_assert_nonnull (strstr (r.out, "send() 8 bytes"));
  g_assert_nonnull (strstr (r.out, "send() 9 bytes"));
  g_assert_nonnull (strstr (r.out, "Outcome: simultaneous open"));
  tl_test_result_clear (&r);
}

static void
test_run_simultaneous_close (void)
{
  g_autofree char *path = tl_test_scenario ("simultaneous-close.scn");
  TlTestResult r = { 0 };

  tl_test_run_cli (&r, "run", "--quiet", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "simultaneous close"));
  g_assert_nonnull (strstr (r.out, "A: SYN-SENT -> ESTABLISHED"));
  g_assert_nonnull (strstr (r.out, "FIN-WAIT-1 -> CLOSING -> TIME-WAIT"));
  tl_test_result_clear (&r);
}

static void
test_run_set_changes_outcome (void)
{
  g_autofree char *path = tl_test_scenario ("simultaneous-open-router-pause.scn");
  TlTestResult r = { 0 };

  /* B connects 20 s late: A's SYN reaches a B with no socket: refused. */
  tl_test_run_cli (&r, "run", "--quiet", "--set", "B.connect.at=20s", "--set", "B.bind.at=20s", path, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "connection refused"));
  tl_test_result_clear (&r);
}

static void
test_run_relative_and_absolute_seq (void)
{
  g_autofree char *path = tl_test_scenario ("normal-handshake.scn");
  TlTestResult rel = { 0 }, abs = { 0 };

  tl_test_run_cli (&rel, "run", path, NULL);
  tl_test_run_cli (&abs, "run", "--absolute-seq", "--set", "A.isn=123456", path, NULL);
  g_assert_nonnull (strstr (rel.out, "SYN seq 0 win 64240"));
  g_assert_nonnull (strstr (abs.out, "SYN seq 123456 win 64240"));
  tl_test_result_clear (&rel);
  tl_test_result_clear (&abs);
}

static void
test_bad_inputs (void)
{
  g_autofree char *path = tl_test_scenario ("normal-handshake.scn");
  g_autofree char *bad = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "cli-bad.scn", NULL);
  TlTestResult r = { 0 };

  tl_test_run_cli (&r, "run", "/nonexistent/x.scn", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "/nonexistent/x.scn"));
  tl_test_result_clear (&r);

  g_file_set_contents (bad, "name x\nhost A {\n  port 99999\n}\n", -1, NULL);
  tl_test_run_cli (&r, "run", bad, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "cli-bad.scn:3:"));
  tl_test_result_clear (&r);

  tl_test_run_cli (&r, "run", "--set", "A<->B.delay=-5ms", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "A<->B.delay"));
  tl_test_result_clear (&r);

  tl_test_run_cli (&r, "run", "--set", "nonsense", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  tl_test_result_clear (&r);

  tl_test_run_cli (&r, "run", "--vantage", "moon", path, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--vantage"));
  tl_test_result_clear (&r);

  tl_test_run_cli (&r, "frobnicate", NULL);
  g_assert_cmpint (r.status, ==, 2);
  tl_test_result_clear (&r);

  tl_test_run_cli (&r, "run", "--json", "/nonexistent-dir/out.json", path, NULL);
  g_assert_cmpint (r.status, ==, 4);
  tl_test_result_clear (&r);
}

static void
test_help (void)
{
  static const char *const subcommands[] = { "run", "export", "capture", "compare", "sweep", "merge" };
  TlTestResult r = { 0 };

  tl_test_run_cli (&r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "Exit status"));
  tl_test_result_clear (&r);
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    {
      tl_test_run_cli (&r, subcommands[i], "--help", NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_nonnull (strstr (r.out, "Usage:"));
      tl_test_result_clear (&r);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/cli/run-default-scenario", test_run_default_scenario);
  g_test_add_func ("/cli/run-simultaneous-close", test_run_simultaneous_close);
  g_test_add_func ("/cli/run-set-changes-outcome", test_run_set_changes_outcome);
  g_test_add_func ("/cli/run-relative-and-absolute-seq", test_run_relative_and_absolute_seq);
  g_test_add_func ("/cli/bad-inputs", test_bad_inputs);
  g_test_add_func ("/cli/help", test_help);
  return g_test_run ();
}

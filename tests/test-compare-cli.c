/* test-compare-cli.c: `tcpladder compare` as a user (or a CI job) runs it. */
#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "test-io-traces.h"
#include "tl-json.h"
#include "tl-pcap.h"

typedef struct
{
  gint  status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static void
run_compare (Result *r,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *arg;
  va_list args;

  result_clear (r);
  g_ptr_array_add (argv, (gpointer) g_getenv ("TL_CLI"));
  g_ptr_array_add (argv, (gpointer) "compare");
  va_start (args, r);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               &r->out, &r->err, &r->status, &error));
  g_assert_no_error (error);
  r->status = WIFEXITED (r->status) ? WEXITSTATUS (r->status) : -1;
}

static char *
write_trace (TlTrace    *trace,
             const char *name)
{
  char *path = g_build_filename (test_tmpdir (), name, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_trace_write_json (trace, path, &error));
  g_assert_no_error (error);
  return path;
}

static char *
reference (void)
{
  g_autoptr(TlTrace) t = test_trace_simultaneous (1000, 2000);
  return write_trace (t, "reference.json");
}

static char *
changed (void)
{
  g_autoptr(TlTrace) t = test_trace_simultaneous (5, 0xfffffff0u);
  guint send = test_trace_find (t, TL_REC_SEND, 0, 3);
  guint32 packet = g_array_index (t->records, TlTraceRecord, send).packet;

  for (guint i = 0; i < t->records->len; i++)
    if (g_array_index (t->records, TlTraceRecord, i).packet == packet)
      g_array_index (t->records, TlTraceRecord, i).seg.flags = TL_TCP_ACK;
  return write_trace (t, "changed.json");
}

static void
test_match (void)
{
  g_autofree char *a = reference ();
  Result r = { 0 };

  run_compare (&r, a, a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_str_has_suffix (r.out, "\nMATCH\n"));
  g_assert_nonnull (strstr (r.out, "segments: 12 of 12 match; states: 12 of 12 match"));
  g_assert_cmpstr (r.err, ==, "");

  run_compare (&r, "--quiet", a, a, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, "");
  result_clear (&r);
}

static void
test_mismatch (void)
{
  g_autofree char *a = reference ();
  g_autofree char *b = changed ();
  g_autofree char *json_path = g_build_filename (test_tmpdir (), "result.json", NULL);
  g_autofree char *contents = NULL;
  Result r = { 0 };

  run_compare (&r, a, b, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "      flags: expected PSH,ACK, got ACK\n"));
  g_assert_true (g_str_has_suffix (r.out, "\nMISMATCH\n"));

  /* JSON to a file: written, and the diff still printed. */
  run_compare (&r, "--json", json_path, a, b, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "MISMATCH"));
  g_assert_true (g_file_get_contents (json_path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"field\": \"flags\""));

  /* JSON to standard output: nothing else there. */
  run_compare (&r, "--json=-", a, b, NULL);
  g_assert_cmpint (r.status, ==, 1);
  {
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(GError) error = NULL;
    JsonObject *root;

    g_assert_true (json_parser_load_from_data (parser, r.out, -1, &error));
    g_assert_no_error (error);
    root = json_node_get_object (json_parser_get_root (parser));
    g_assert_false (json_object_get_boolean_member (root, "match"));
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "mismatches")),
                      ==, 1);
  }

  /* A generous tolerance does not hide a wrong flag. */
  run_compare (&r, "--tolerance", "10s", "--relative", "50%", a, b, NULL);
  g_assert_cmpint (r.status, ==, 1);
  result_clear (&r);
}

static void
test_pcap_input (void)
{
  g_autoptr(TlTrace) t = test_trace_simultaneous (1000, 2000);
  g_autofree char *a = reference ();
  g_autofree char *pcap = g_build_filename (test_tmpdir (), "merged.pcap", NULL);
  g_autofree char *odd_name = g_build_filename (test_tmpdir (), "capture.json", NULL);
  Result r = { 0 };

  g_assert_true (tl_trace_write_pcap (t, pcap, TL_PCAP_VANTAGE_MERGED, NULL));
  /* One vantage point sees arrivals at send time: states are off by the
   * link delay, segments are the same. */
  run_compare (&r, a, pcap, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "segments: 12 of 12 match"));
  run_compare (&r, "--no-states", "--flow", "10.0.0.2:5000,10.0.0.1:40000", a, pcap, NULL);
  g_assert_cmpint (r.status, ==, 0);
  /* Content decides, not the name. */
  g_assert_true (g_rename (pcap, odd_name) == 0);
  run_compare (&r, "--no-states", a, odd_name, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
}

static void
test_profile_for_pcaps (void)
{
  /* A bare pcap's states are inferred the way the other trace's profile
   * reports them.  The hand-built normal open is a Linux trace: B's
   * accepted socket appears when A's first data (1.2 s after A's first
   * SYN, on the single vantage point of a merged pcap) completes the
   * handshake; RFC 9293 puts it at the first SYN, which a merged pcap shows
   * arriving although it was lost. */
  g_autoptr(TlTrace) t = test_trace_normal (1, 2);
  g_autofree char *json = write_trace (t, "linux.json");
  g_autofree char *pcap = g_build_filename (test_tmpdir (), "normal.pcap", NULL);
  Result r = { 0 };

  g_assert_cmpstr (t->profile, ==, "linux");
  g_assert_true (tl_trace_write_pcap (t, pcap, TL_PCAP_VANTAGE_MERGED, NULL));
  run_compare (&r, "--all", json, pcap, NULL);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.out, "1.100000    1.200000  SYN-RECEIVED"));
  run_compare (&r, "--all", pcap, json, NULL);
  g_assert_nonnull (strstr (r.out, "1.200000    1.100000  SYN-RECEIVED"));
  run_compare (&r, "--all", "--profile", "rfc9293", json, pcap, NULL);
  g_assert_nonnull (strstr (r.out, "1.100000    0.000000  SYN-RECEIVED"));
  result_clear (&r);
}

static void
test_scenario_input (void)
{
  g_autofree char *scn = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"),
                                           "simultaneous-close.scn", NULL);
  Result r = { 0 };

  if (!g_file_test (scn, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("data/scenarios/simultaneous-close.scn is not there");
      return;
    }
  /* The simulator is deterministic: a scenario matches itself. */
  run_compare (&r, scn, scn, NULL);
  g_assert_cmpint (r.status, ==, 0);
  run_compare (&r, "--profile", "rfc9293", scn, scn, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
}

static void
test_usage_errors (void)
{
  g_autofree char *a = reference ();
  static const char *const cases[][3] = {
    { "--tolerance", "fast", "--tolerance: 'fast'" },
    { "--tolerance", "-3ms", "--tolerance: '-3ms'" },
    { "--relative", "150%", "--relative: '150%' is not a percentage" },
    { "--align", "middle", "--align: 'middle'" },
    { "--profile", "bsd", "--profile: 'bsd' is not a profile" },
    { "--flow", "10.0.0.1", "--flow:" },
  };
  Result r = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      run_compare (&r, cases[i][0], cases[i][1], a, a, NULL);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_nonnull (strstr (r.err, cases[i][2]));
    }
  run_compare (&r, a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "expected two inputs, A and B, got 1"));
  run_compare (&r, a, a, a, NULL);
  g_assert_cmpint (r.status, ==, 2);
  run_compare (&r, "--colour", a, a, NULL);
  g_assert_cmpint (r.status, ==, 2);

  run_compare (&r, "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--tolerance=DURATION"));
  g_assert_nonnull (strstr (r.out, "Exit status: 0 the traces match, 1 they differ"));
  result_clear (&r);
}

static void
test_input_errors (void)
{
  g_autofree char *a = reference ();
  g_autofree char *missing = g_build_filename (test_tmpdir (), "missing.json", NULL);
  g_autofree char *bad = g_build_filename (test_tmpdir (), "bad.json", NULL);
  g_autofree char *dir = g_build_filename (test_tmpdir (), "not-a-bundle", NULL);
  g_autofree char *truncated = g_build_filename (test_tmpdir (), "short.pcap", NULL);
  g_autoptr(TlTrace) t = test_trace_refused (1);
  g_autofree char *contents = NULL;
  gsize length;
  Result r = { 0 };

  run_compare (&r, a, missing, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, missing));

  g_assert_true (g_file_set_contents (bad, "{\"format\": \"tcpladder-trace\",\n \"version\": 1,\n"
                                           " \"records\": [}", -1, NULL));
  run_compare (&r, bad, a, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "bad.json:3:"));

  g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
  run_compare (&r, a, dir, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "not-a-bundle"));
  g_rmdir (dir);

  g_assert_true (tl_trace_write_pcap (t, truncated, TL_PCAP_VANTAGE_MERGED, NULL));
  g_assert_true (g_file_get_contents (truncated, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (truncated, contents, (gssize) length - 3, NULL));
  run_compare (&r, truncated, a, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "short.pcap: packet 2:"));
  result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("TL_CLI") == NULL)
    {
      g_printerr ("TL_CLI must name the tcpladder executable (meson test sets it)\n");
      return 1;
    }
  g_test_add_func ("/io/compare-cli/match", test_match);
  g_test_add_func ("/io/compare-cli/mismatch", test_mismatch);
  g_test_add_func ("/io/compare-cli/pcap-input", test_pcap_input);
  g_test_add_func ("/io/compare-cli/profile-for-pcaps", test_profile_for_pcaps);
  g_test_add_func ("/io/compare-cli/scenario-input", test_scenario_input);
  g_test_add_func ("/io/compare-cli/usage-errors", test_usage_errors);
  g_test_add_func ("/io/compare-cli/input-errors", test_input_errors);
  return g_test_run ();
}

/* test-io-json.c: traces to JSON and back. */
#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "test-io-traces.h"
#include "tl-io-error.h"
#include "tl-json.h"
#include "tl-trace-equal.h"

typedef TlTrace *(*MakeTrace) (void);

static TlTrace *make_simultaneous (void) { return test_trace_simultaneous (1000, 0xfffffff0u); }
static TlTrace *make_normal (void) { return test_trace_normal (0x7fffffff, 42); }
static TlTrace *make_refused (void) { return test_trace_refused (123456789); }

static TlTrace *
make_odd (void)
{
  TlTrace *t = test_trace_refused (5);

  /* Text that needs escaping, non-ASCII, and bytes that are not UTF-8
   * (a file name can be anything). */
  g_free (t->title);
  t->title = g_strdup ("quote \" backslash \\ newline \n tab \t bell \a é ✓");
  g_free (t->caption);
  t->caption = NULL;
  g_free (t->profile);
  t->profile = NULL;
  t->source = TL_TRACE_PCAP;
  t->truncated = TRUE;
  /* An errno without a name in the table, and a negative time. */
  tl_trace_append (t, TL_REC_CALL_RESULT, t->end_time, 0)->error = 9999;
  g_array_index (t->records, TlTraceRecord, 0).time = -5;
  g_array_index (t->records, TlTraceRecord, 0).arg = G_MININT64;
  return t;
}

static const MakeTrace makers[] = { make_simultaneous, make_normal, make_refused, make_odd };

static void
test_round_trip (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (makers); i++)
    {
      g_autoptr(TlTrace) trace = makers[i] ();
      g_autofree char *json = tl_trace_to_json (trace);
      g_autoptr(GError) error = NULL;
      g_autoptr(TlTrace) back = tl_trace_parse_json (json, -1, "mem.json", &error);
      g_autoptr(GString) why = g_string_new (NULL);
      g_autofree char *again = NULL;

      g_assert_no_error (error);
      g_assert_nonnull (back);
      if (!tl_trace_equal (trace, back, why))
        g_error ("trace %u differs after a round trip: %s", i, why->str);
      /* Same bytes out of the loaded trace: nothing was lost or reordered. */
      again = tl_trace_to_json (back);
      g_assert_cmpstr (again, ==, json);
    }
}

static void
test_deterministic (void)
{
  g_autoptr(TlTrace) a = make_simultaneous ();
  g_autoptr(TlTrace) b = make_simultaneous ();
  g_autofree char *ja = tl_trace_to_json (a);
  g_autofree char *jb = tl_trace_to_json (b);
  g_autofree char *path = g_build_filename (test_tmpdir (), "det.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (ja, ==, jb);
  g_assert_null (strstr (ja, "."  "0,"));           /* no floats anywhere */
  g_assert_true (g_str_has_suffix (ja, "}\n"));
  g_assert_true (tl_trace_write_json (a, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, ja);
}

static void
test_payload_and_options (void)
{
  g_autoptr(TlTrace) trace = test_trace_normal (1, 2);
  g_autofree char *json = tl_trace_to_json (trace);
  g_autoptr(TlTrace) back = tl_trace_parse_json (json, -1, "x.json", NULL);
  guint total = 0;

  /* A's 3 bytes are "abc". */
  g_assert_nonnull (strstr (json, "\"payload\":\"YWJj\""));
  g_assert_nonnull (strstr (json, "\"present\":[\"mss\",\"wscale\",\"sackOK\",\"TS\"],"
                                  "\"layout\":\"linux\",\"mss\":1460,\"wscale\":10"));
  g_assert_nonnull (strstr (json, "\"flags\":\"PSH,ACK\""));
  /* Records of one packet share their payload bytes after loading. */
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    if (tl_trace_get_record (trace, i)->kind == TL_REC_SEND)
      total += tl_trace_get_record (trace, i)->seg.len;
  g_assert_nonnull (back);
  g_assert_cmpuint (back->bytes->len, ==, total);
}

typedef struct
{
  const char *name;
  const char *find;      /* replace this in a valid trace... */
  const char *replace;   /* ...with this */
  gint        code;
  const char *message;   /* the error must contain this */
} BadCase;

static const BadCase bad_cases[] = {
  { "syntax", "\"version\":1,", "\"version\":1,,", TL_IO_ERROR_PARSE, "bad.json:1:" },
  { "bad flag", "\"flags\":\"PSH,ACK\"", "\"flags\":\"PSH,AKC\"", TL_IO_ERROR_INVALID,
    ".seg.flags: \"PSH,AKC\" is not a list of TCP flags" },
  { "unknown key", "\"truncated\":false", "\"truncated\":false,\"colour\":1",
    TL_IO_ERROR_INVALID, "bad.json: colour: unknown key" },
  { "version", "\"version\":1", "\"version\":2", TL_IO_ERROR_UNSUPPORTED,
    "version 2 is not supported" },
  { "format", "tcpladder-trace", "something-else", TL_IO_ERROR_INVALID,
    "bad.json: format: \"something-else\" is not a tcpladder trace" },
  { "port range", "\"port\":40000", "\"port\":70000", TL_IO_ERROR_INVALID,
    "hosts[0].port: 70000 is out of range" },
  { "fraction", "\"end_time_ns\":3000000000", "\"end_time_ns\":3.5", TL_IO_ERROR_INVALID,
    "end_time_ns: expected an integer, got a fraction" },
  { "kind", "\"kind\":\"call\"", "\"kind\":\"cal\"", TL_IO_ERROR_INVALID,
    "records[0].kind: unknown value \"cal\"" },
  { "state name", "\"new_state\":\"LISTEN\"", "\"new_state\":\"LISTENING\"",
    TL_IO_ERROR_INVALID, "records[1].new_state: unknown value \"LISTENING\"" },
  { "address", "\"addr\":\"10.0.0.2\"", "\"addr\":\"10.0.0.256\"", TL_IO_ERROR_INVALID,
    "hosts[1].addr: \"10.0.0.256\" is not an IPv4 address" },
  { "payload length", "\"payload\":\"YWJj\"", "\"payload\":\"YWJjZA==\"", TL_IO_ERROR_INVALID,
    ".seg.payload: 4 bytes, but len is 3" },
  { "payload base64", "\"payload\":\"YWJj\"", "\"payload\":\"YW*j\"", TL_IO_ERROR_INVALID,
    ".seg.payload: not base64" },
  { "records missing", "\"records\":[", "\"recs\":[", TL_IO_ERROR_INVALID,
    "unknown key" },
  { "order", "{\"time_ns\":10000000,\"kind\":\"call\"", "{\"time_ns\":-1,\"kind\":\"call\"",
    TL_IO_ERROR_INVALID, "records[2].time_ns: earlier than the record before it" },
  { "host", "\"kind\":\"call\",\"host\":1", "\"kind\":\"call\",\"host\":3",
    TL_IO_ERROR_INVALID, "records[0].host: 3 is out of range" },
  { "error name", "\"error\":0", "\"error\":\"EWHAT\"", TL_IO_ERROR_INVALID,
    "records[0].error: unknown error name \"EWHAT\"" },
  { "sack block", "\"sack\":[]}", "\"sack\":[[1]]}", TL_IO_ERROR_INVALID,
    ".seg.options.sack[0]: expected [left, right]" },
};

static char *
replace_once (const char *text,
              const char *find,
              const char *replace)
{
  const char *at = strstr (text, find);

  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (at - text), text, replace, at + strlen (find));
}

static void
test_errors (void)
{
  g_autoptr(TlTrace) trace = test_trace_normal (1, 2);
  g_autofree char *json = tl_trace_to_json (trace);

  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      g_autofree char *bad = replace_once (json, c->find, c->replace);
      g_autoptr(GError) error = NULL;
      g_autoptr(TlTrace) loaded = NULL;

      g_test_message ("case: %s", c->name);
      loaded = tl_trace_parse_json (bad, -1, "bad.json", &error);
      g_assert_null (loaded);
      g_assert_nonnull (error);
      g_test_message ("  error: %s", error->message);
      g_assert_true (g_str_has_prefix (error->message, "bad.json"));
      g_assert_error (error, TL_IO_ERROR, c->code);
      g_assert_nonnull (strstr (error->message, c->message));
    }
}

static void
test_minimal_by_hand (void)
{
  /* People write small traces by hand: most keys may be left out. */
  static const char text[] =
    "{\"format\": \"tcpladder-trace\", \"version\": 1, \"records\": [\n"
    "  {\"time_ns\": 0, \"kind\": \"send\", \"host\": 0, \"packet\": 1,\n"
    "   \"seg\": {\"seq\": 7, \"flags\": \"syn\", \"len\": 2, \"payload\": \"aGk=\"}},\n"
    "  {\"time_ns\": 5, \"kind\": \"state\", \"host\": 1, \"new_state\": \"SYN-RECEIVED\"}\n"
    "]}";
  g_autoptr(GError) error = NULL;
  g_autoptr(TlTrace) t = tl_trace_parse_json (text, -1, "hand.json", &error);
  const TlTraceRecord *rec;

  g_assert_no_error (error);
  g_assert_cmpuint (tl_trace_get_n_records (t), ==, 2);
  g_assert_cmpuint (t->n_packets, ==, 1);
  rec = tl_trace_get_record (t, 0);
  g_assert_cmpuint (rec->seg.flags, ==, TL_TCP_SYN);
  g_assert_cmpuint (rec->seg.seq, ==, 7);
  g_assert_cmpmem (tl_trace_get_payload (t, &rec->seg), 2, "hi", 2);
  g_assert_cmpuint (tl_trace_get_record (t, 1)->new_state, ==, TL_STATE_SYN_RECEIVED);
}

static void
test_root_not_object (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (tl_trace_parse_json ("[1, 2]", -1, "arr.json", &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "arr.json: expected the trace object, got an array");
}

static void
test_packet_without_segment (void)
{
  static const char text[] =
    "{\"format\": \"tcpladder-trace\", \"version\": 1, \"records\": [\n"
    "  {\"time_ns\": 0, \"kind\": \"send\", \"host\": 0, \"packet\": 1}]}";
  g_autoptr(GError) error = NULL;

  g_assert_null (tl_trace_parse_json (text, -1, "p.json", &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "p.json: records[0]: a packet record needs \"seg\"");
}

static void
test_empty_and_missing_files (void)
{
  g_autofree char *empty = g_build_filename (test_tmpdir (), "empty.json", NULL);
  g_autofree char *missing = g_build_filename (test_tmpdir (), "missing.json", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_null (tl_trace_load_json (empty, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE);
  g_assert_nonnull (strstr (error->message, empty));
  g_clear_error (&error);

  g_assert_null (tl_trace_load_json (missing, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_READ);
  g_assert_nonnull (strstr (error->message, missing));
}

static void
test_write_atomic (void)
{
  g_autoptr(TlTrace) trace = make_refused ();
  g_autofree char *path = g_build_filename (test_tmpdir (), "atomic.json", NULL);
  g_autofree char *nodir = g_build_filename (test_tmpdir (), "no", "such", "dir.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  guint n_files = 0;

  g_assert_true (g_file_set_contents (path, "old contents", -1, NULL));
  g_assert_true (tl_trace_write_json (trace, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "{\"format\":\"tcpladder-trace\""));

  g_assert_false (tl_trace_write_json (trace, nodir, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, "dir.json"));

  /* No temporary files left behind. */
  dir = g_dir_open (test_tmpdir (), 0, NULL);
  for (const char *name; (name = g_dir_read_name (dir)) != NULL;)
    {
      g_assert_false (g_str_has_prefix (name, "atomic.json."));
      n_files++;
    }
  g_assert_cmpuint (n_files, >=, 1);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/json/round-trip", test_round_trip);
  g_test_add_func ("/io/json/deterministic", test_deterministic);
  g_test_add_func ("/io/json/payload-and-options", test_payload_and_options);
  g_test_add_func ("/io/json/errors", test_errors);
  g_test_add_func ("/io/json/minimal-by-hand", test_minimal_by_hand);
  g_test_add_func ("/io/json/root-not-object", test_root_not_object);
  g_test_add_func ("/io/json/packet-without-segment", test_packet_without_segment);
  g_test_add_func ("/io/json/empty-and-missing-files", test_empty_and_missing_files);
  g_test_add_func ("/io/json/write-atomic", test_write_atomic);
  return g_test_run ();
}

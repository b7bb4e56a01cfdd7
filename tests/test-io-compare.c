/* test-io-compare.c: comparing traces segment by segment. */
#include <string.h>

#include <json-glib/json-glib.h>

#include "test-io-traces.h"
#include "tl-compare.h"

static TlTraceRecord *
record (TlTrace *t,
        guint    index)
{
  return &g_array_index (t->records, TlTraceRecord, index);
}

/* Applies F to every record of the packet sent by the N-th SEND of HOST,
 * so the trace stays consistent; returns that SEND's index. */
static guint
edit_packet (TlTrace *t,
             guint    host,
             guint    n,
             void   (*f) (TlSegment *seg))
{
  guint send = test_trace_find (t, TL_REC_SEND, host, n);
  guint32 packet = record (t, send)->packet;

  for (guint i = 0; i < t->records->len; i++)
    if (record (t, i)->packet == packet)
      f (&record (t, i)->seg);
  return send;
}

static void
assert_match (const TlTrace *a,
              const TlTrace *b)
{
  g_autoptr(TlCompareResult) r = tl_compare_traces (a, b, NULL);

  if (!tl_compare_result_is_match (r))
    {
      g_autoptr(GString) diff = g_string_new (NULL);
      tl_compare_result_format (r, a, b, TRUE, diff);
      g_error ("expected a match:\n%s", diff->str);
    }
  g_assert_cmpuint (r->segments_matched, ==, r->segments_total);
  g_assert_cmpuint (r->states_matched, ==, r->states_total);
}

static const TlMismatch *
only_mismatch (const TlCompareResult *r)
{
  g_assert_cmpuint (r->mismatches->len, ==, 1);
  return &g_array_index (r->mismatches, TlMismatch, 0);
}

static void
test_identical (void)
{
  g_autoptr(TlTrace) a = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlTrace) b = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlCompareResult) r = tl_compare_traces (a, b, NULL);

  g_assert_true (tl_compare_result_is_match (r));
  /* 6 handshake, 2 data, 4 close segments; 6 states per host. */
  g_assert_cmpuint (r->segments_total, ==, 12);
  g_assert_cmpuint (r->segments_matched, ==, 12);
  g_assert_cmpuint (r->states_total, ==, 12);
  g_assert_cmpuint (r->states_matched, ==, 12);
  g_assert_cmpint (r->max_time_error, ==, 0);
  g_assert_cmpuint (r->pairs->len, ==, 24);
  g_assert_false (r->hosts_swapped);
  g_assert_cmpint (r->align, ==, TL_COMPARE_ALIGN_ZERO);
  for (guint i = 0; i < tl_trace_get_n_records (a); i++)
    {
      guint8 kind = tl_trace_get_record (a, i)->kind;
      TlCompareStatus s = tl_compare_result_get_status (r, 0, i);
      if (kind == TL_REC_SEND || kind == TL_REC_STATE)
        g_assert_cmpint (s, ==, TL_COMPARE_STATUS_MATCH);
      else
        g_assert_cmpint (s, ==, TL_COMPARE_STATUS_NOT_COMPARED);
    }
  assert_match (a, a);
}

static void drop_psh (TlSegment *seg) { seg->flags &= (guint8) ~TL_TCP_PSH; }
static void bump_ack (TlSegment *seg) { seg->ack += 1; }

static void
test_changed_flag (void)
{
  g_autoptr(TlTrace) a = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlTrace) b = test_trace_simultaneous (1000, 2000);
  guint send_b = edit_packet (b, 0, 3, drop_psh);      /* A's data segment */
  guint send_a = test_trace_find (a, TL_REC_SEND, 0, 3);
  g_autoptr(TlCompareResult) r = tl_compare_traces (a, b, NULL);
  const TlMismatch *m = only_mismatch (r);

  g_assert_cmpint (m->kind, ==, TL_MISMATCH_FIELD);
  g_assert_cmpint (m->item, ==, TL_COMPARE_SEGMENT);
  g_assert_cmpuint (m->host, ==, 0);
  g_assert_cmpuint (m->index_a, ==, 3);
  g_assert_cmpuint (m->index_b, ==, 3);
  g_assert_cmpuint (m->record_a, ==, send_a);
  g_assert_cmpuint (m->record_b, ==, send_b);
  g_assert_cmpstr (m->field, ==, "flags");
  g_assert_cmpstr (m->expected, ==, "PSH,ACK");
  g_assert_cmpstr (m->got, ==, "ACK");
  g_assert_cmpuint (r->segments_matched, ==, 11);
  g_assert_cmpuint (r->segments_total, ==, 12);
  g_assert_cmpint (tl_compare_result_get_status (r, 0, send_a), ==, TL_COMPARE_STATUS_DIFFERS);
  g_assert_cmpint (tl_compare_result_get_status (r, 1, send_b), ==, TL_COMPARE_STATUS_DIFFERS);
}

static void
test_changed_ack (void)
{
  g_autoptr(TlTrace) a = test_trace_normal (1, 2);
  g_autoptr(TlTrace) b = test_trace_normal (1, 2);
  guint send_b = edit_packet (b, 1, 2, bump_ack);       /* B's ACK of A's FIN */
  g_autoptr(TlCompareResult) r = tl_compare_traces (a, b, NULL);
  const TlMismatch *m = only_mismatch (r);

  g_assert_cmpstr (m->field, ==, "ack");
  g_assert_cmpstr (m->expected, ==, "5");
  g_assert_cmpstr (m->got, ==, "6");
  g_assert_cmpuint (m->host, ==, 1);
  g_assert_cmpuint (m->record_b, ==, send_b);
  g_assert_cmpuint (m->index_a, ==, 2);
}

static void
test_changed_time (void)
{
  g_autoptr(TlTrace) a = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlTrace) b = test_trace_simultaneous (1000, 2000);
  guint send = test_trace_find (b, TL_REC_SEND, 0, 3);  /* data at 1 s */
  g_autoptr(TlCompareResult) within = NULL, beyond = NULL;
  const TlMismatch *m;

  /* At t = 1 s the tolerance is max(2 ms, 1 % of 1 s) = 10 ms. */
  g_assert_cmpint (tl_compare_tolerance_at (&(TlCompareOptions) { .tolerance = TL_MSEC (2),
                                             .tolerance_ppm = 10000 }, TL_SEC (1)),
                   ==, TL_MSEC (10));
  record (b, send)->time += TL_MSEC (10);
  within = tl_compare_traces (a, b, NULL);
  g_assert_true (tl_compare_result_is_match (within));
  g_assert_cmpint (within->max_time_error, ==, TL_MSEC (10));
  g_assert_cmpuint (within->max_time_error_record_b, ==, send);

  record (b, send)->time += 1;
  beyond = tl_compare_traces (a, b, NULL);
  m = only_mismatch (beyond);
  g_assert_cmpstr (m->field, ==, "time");
  g_assert_cmpint (m->time_error, ==, TL_MSEC (10) + 1);
  g_assert_cmpstr (m->expected, ==, "1.000000 s");
  g_assert_cmpstr (m->got, ==, "1.010000 s");

  /* Early segments get the 2 ms floor. */
  {
    g_autoptr(TlTrace) c = test_trace_simultaneous (1000, 2000);
    g_autoptr(TlCompareResult) r = NULL;
    guint syn = test_trace_find (c, TL_REC_SEND, 1, 0);
    record (c, syn)->time += TL_USEC (2001);
    r = tl_compare_traces (a, c, NULL);
    g_assert_cmpstr (only_mismatch (r)->field, ==, "time");
  }
  /* ... and times can be left out. */
  {
    TlCompareOptions options;
    g_autoptr(TlCompareResult) r = NULL;
    tl_compare_options_init (&options);
    options.compare_times = FALSE;
    r = tl_compare_traces (a, b, &options);
    g_assert_true (tl_compare_result_is_match (r));
  }
}

static void
test_wraparound_isns (void)
{
  /* Sequence numbers that wrap past 2^32 during the connection, against
   * small ones: relative numbers are equal. */
  g_autoptr(TlTrace) a = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlTrace) b = test_trace_simultaneous (0xffffffffu, 0xffffff9cu);
  g_autoptr(TlTrace) c = test_trace_normal (0xfffffffdu, 0xfffffffeu);
  g_autoptr(TlTrace) d = test_trace_normal (7, 0);

  assert_match (a, b);
  assert_match (b, a);
  assert_match (c, d);
  /* D-SACK blocks are relative too: {0:1} in both. */
  {
    g_autoptr(TlCompareResult) r = tl_compare_traces (a, b, NULL);
    guint ack = test_trace_find (b, TL_REC_SEND, 0, 2);
    g_assert_cmpuint (tl_trace_get_record (b, ack)->seg.opts.sack[0].left, ==, 0xffffff9cu);
    g_assert_true (tl_compare_result_is_match (r));
  }
}

static void
test_missing_and_extra (void)
{
  g_autoptr(TlTrace) a = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlTrace) b = test_trace_simultaneous (1000, 2000);
  guint send_a = test_trace_find (a, TL_REC_SEND, 1, 2);   /* B's D-SACK ACK */
  guint32 packet = record (b, test_trace_find (b, TL_REC_SEND, 1, 2))->packet;
  g_autoptr(TlCompareResult) r = NULL, back = NULL;
  const TlMismatch *m;

  test_trace_remove_packet (b, packet);
  r = tl_compare_traces (a, b, NULL);
  m = only_mismatch (r);
  g_assert_cmpint (m->kind, ==, TL_MISMATCH_MISSING);
  g_assert_cmpstr (m->field, ==, "segment");
  g_assert_cmpuint (m->host, ==, 1);
  g_assert_cmpuint (m->record_a, ==, send_a);
  g_assert_cmpuint (m->record_b, ==, TL_COMPARE_NO_RECORD);
  g_assert_cmpuint (m->index_b, ==, TL_COMPARE_NO_RECORD);
  g_assert_null (m->got);
  g_assert_true (g_str_has_prefix (m->expected, "ACK seq 1 ack 1 len 0 win 63"));
  g_assert_nonnull (strstr (m->expected, "sack 1 {0:1}"));
  /* The alignment keeps every later segment paired. */
  g_assert_cmpuint (r->segments_matched, ==, 11);
  g_assert_cmpuint (r->segments_total, ==, 12);
  g_assert_cmpint (tl_compare_result_get_status (r, 0, send_a), ==, TL_COMPARE_STATUS_UNPAIRED);

  back = tl_compare_traces (b, a, NULL);
  m = only_mismatch (back);
  g_assert_cmpint (m->kind, ==, TL_MISMATCH_EXTRA);
  g_assert_cmpuint (m->record_a, ==, TL_COMPARE_NO_RECORD);
  g_assert_cmpuint (m->record_b, ==, send_a);
  g_assert_null (m->expected);
}

static void
test_options_and_window (void)
{
  g_autoptr(TlTrace) a = test_trace_normal (1, 2);
  g_autoptr(TlTrace) b = test_trace_normal (1, 2);
  guint syn = test_trace_find (b, TL_REC_SEND, 1, 0);      /* B's SYN,ACK */
  guint ack = test_trace_find (b, TL_REC_SEND, 1, 2);      /* a later ACK */
  g_autoptr(TlCompareResult) r = NULL;
  TlCompareOptions options;
  static const char *const fields[] = { "window", "mss", "wscale", "sackOK", "TS" };

  record (b, syn)->seg.window = 65160;
  record (b, syn)->seg.opts.mss = 1448;
  record (b, syn)->seg.opts.wscale = 7;
  record (b, syn)->seg.opts.present &= (guint8) ~TL_OPT_SACK_PERM;
  record (b, syn)->seg.opts.tsval += 12345;                /* values never compared */
  record (b, syn)->seg.opts.layout = TL_OPT_LAYOUT_RFC;    /* layout neither */
  record (b, ack)->seg.window = 1;                         /* not a SYN: ignored */
  record (b, ack)->seg.opts.present = 0;                   /* TS presence is compared */
  r = tl_compare_traces (a, b, NULL);
  g_assert_cmpuint (r->mismatches->len, ==, 5);
  for (guint i = 0; i < 4; i++)
    {
      const TlMismatch *m = &g_array_index (r->mismatches, TlMismatch, i);
      g_assert_cmpstr (m->field, ==, fields[i]);
      g_assert_cmpuint (m->record_b, ==, syn);
    }
  g_assert_cmpstr (g_array_index (r->mismatches, TlMismatch, 1).expected, ==, "1460");
  g_assert_cmpstr (g_array_index (r->mismatches, TlMismatch, 1).got, ==, "1448");
  g_assert_cmpstr (g_array_index (r->mismatches, TlMismatch, 3).got, ==, "absent");
  g_assert_cmpstr (g_array_index (r->mismatches, TlMismatch, 4).field, ==, fields[4]);
  g_assert_cmpuint (g_array_index (r->mismatches, TlMismatch, 4).record_b, ==, ack);

  tl_compare_options_init (&options);
  options.compare_windows = TRUE;
  g_clear_pointer (&r, tl_compare_result_free);
  r = tl_compare_traces (a, b, &options);
  g_assert_cmpuint (r->mismatches->len, ==, 6);
}

static void
test_states (void)
{
  g_autoptr(TlTrace) a = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlTrace) b = test_trace_simultaneous (1000, 2000);
  guint closing = test_trace_find (b, TL_REC_STATE, 1, 4);
  g_autoptr(TlCompareResult) r = NULL;
  const TlMismatch *m;
  TlCompareOptions options;

  g_assert_cmpuint (record (b, closing)->new_state, ==, TL_STATE_CLOSING);
  record (b, closing)->new_state = TL_STATE_FIN_WAIT_2;
  r = tl_compare_traces (a, b, NULL);
  m = only_mismatch (r);
  g_assert_cmpint (m->item, ==, TL_COMPARE_STATE);
  g_assert_cmpstr (m->field, ==, "state");
  g_assert_cmpstr (m->expected, ==, "CLOSING");
  g_assert_cmpstr (m->got, ==, "FIN-WAIT-2");
  g_assert_cmpuint (m->host, ==, 1);
  g_assert_cmpuint (m->index_a, ==, 4);
  g_assert_cmpuint (m->record_b, ==, closing);
  g_assert_cmpuint (r->states_matched, ==, 11);

  tl_compare_options_init (&options);
  options.compare_states = FALSE;
  g_clear_pointer (&r, tl_compare_result_free);
  r = tl_compare_traces (a, b, &options);
  g_assert_true (tl_compare_result_is_match (r));
  g_assert_cmpuint (r->states_total, ==, 0);
}

static void
test_inferred_states_filter (void)
{
  /* B's states are inferred: LISTEN, NONE and CLOSED are not compared. */
  g_autoptr(TlTrace) a = test_trace_normal (1, 2);
  g_autoptr(TlTrace) b = test_trace_normal (1, 2);
  g_autoptr(TlCompareResult) r = NULL;

  for (guint i = 0; i < b->records->len; i++)
    if (record (b, i)->kind == TL_REC_STATE)
      {
        record (b, i)->inferred = TRUE;
        if (record (b, i)->new_state == TL_STATE_LISTEN)
          record (b, i)->time += TL_SEC (1);      /* would differ if compared */
      }
  r = tl_compare_traces (a, b, NULL);
  g_assert_true (tl_compare_result_is_match (r));
  /* A: SYN-SENT, ESTABLISHED, FIN-WAIT-1, FIN-WAIT-2, TIME-WAIT; B:
   * SYN-RECEIVED, ESTABLISHED, CLOSE-WAIT, LAST-ACK. */
  g_assert_cmpuint (r->states_total, ==, 9);
}

static void
test_pcap_host_without_states (void)
{
  /* A bare pcap where B never got anything: B has no inferred states, but
   * its LISTEN in the reference is still not something to compare. */
  g_autoptr(TlTrace) a = test_trace_normal (1, 2);
  g_autoptr(TlTrace) b = test_trace_normal (1, 2);
  g_autoptr(TlCompareResult) r = NULL;

  for (guint i = b->records->len; i > 0; i--)
    if (record (b, i - 1)->kind == TL_REC_STATE && record (b, i - 1)->host == 1)
      g_array_remove_index (b->records, i - 1);
    else if (record (b, i - 1)->kind == TL_REC_STATE)
      record (b, i - 1)->inferred = TRUE;
  b->source = TL_TRACE_PCAP;
  for (guint i = a->records->len; i > 0; i--)
    if (record (a, i - 1)->kind == TL_REC_STATE && record (a, i - 1)->host == 1
        && record (a, i - 1)->new_state != TL_STATE_LISTEN
        && record (a, i - 1)->new_state != TL_STATE_CLOSED)
      g_array_remove_index (a->records, i - 1);
  r = tl_compare_traces (a, b, NULL);
  g_assert_true (tl_compare_result_is_match (r));
  g_assert_cmpuint (r->states_total, ==, 5);
}

static void
test_align_first_segment (void)
{
  g_autoptr(TlTrace) a = test_trace_refused (5);
  g_autoptr(TlTrace) b = test_trace_refused (5);
  g_autoptr(TlCompareResult) zero = NULL, first = NULL, autom = NULL;
  TlCompareOptions options;

  /* B's clock started 5 s earlier. */
  for (guint i = 0; i < b->records->len; i++)
    record (b, i)->time += TL_SEC (5);
  zero = tl_compare_traces (a, b, NULL);
  g_assert_false (tl_compare_result_is_match (zero));

  tl_compare_options_init (&options);
  options.align = TL_COMPARE_ALIGN_FIRST_SEGMENT;
  first = tl_compare_traces (a, b, &options);
  g_assert_true (tl_compare_result_is_match (first));
  g_assert_cmpint (first->origin_b, ==, TL_SEC (5));

  b->source = TL_TRACE_PCAP;      /* a bare pcap: AUTO picks the first segment */
  autom = tl_compare_traces (a, b, NULL);
  g_assert_cmpint (autom->align, ==, TL_COMPARE_ALIGN_FIRST_SEGMENT);
  g_assert_true (tl_compare_result_is_match (autom));
}

static void
test_format_and_json (void)
{
  g_autoptr(TlTrace) a = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlTrace) b = test_trace_simultaneous (1000, 2000);
  g_autoptr(TlCompareResult) r = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) all = g_string_new (NULL);
  g_autofree char *json = NULL, *json2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *summary, *first;

  edit_packet (b, 0, 3, drop_psh);
  r = tl_compare_traces (a, b, NULL);
  tl_compare_result_format (r, a, b, FALSE, text);
  g_assert_nonnull (strstr (text->str, "! A->B"));
  g_assert_nonnull (strstr (text->str, "      flags: expected PSH,ACK, got ACK\n"));
  g_assert_nonnull (strstr (text->str, "segments: 11 of 12 match; states: 12 of 12 match"));
  g_assert_true (g_str_has_suffix (text->str, "MISMATCH\n"));
  /* Only the differing line without ALL; every pair with it. */
  g_assert_null (strstr (text->str, "SYN,ACK seq 0 ack 1"));
  tl_compare_result_format (r, a, b, TRUE, all);
  g_assert_nonnull (strstr (all->str, "SYN,ACK seq 0 ack 1"));

  json = tl_compare_result_to_json (r);
  json2 = tl_compare_result_to_json (r);
  g_assert_cmpstr (json, ==, json2);
  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (root, "match"));
  g_assert_cmpstr (json_object_get_string_member (root, "align"), ==, "zero");
  summary = json_object_get_object_member (root, "summary");
  g_assert_cmpint (json_object_get_int_member (summary, "segments_matched"), ==, 11);
  g_assert_cmpint (json_object_get_int_member (summary, "segments_total"), ==, 12);
  first = json_array_get_object_element (json_object_get_array_member (root, "mismatches"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "field"), ==, "flags");
  g_assert_cmpstr (json_object_get_string_member (first, "expected"), ==, "PSH,ACK");
  g_assert_cmpint (json_object_get_int_member (first, "record_a"), ==,
                   test_trace_find (a, TL_REC_SEND, 0, 3));
}

static void
test_json_match (void)
{
  g_autoptr(TlTrace) a = test_trace_refused (5);
  g_autoptr(TlCompareResult) r = tl_compare_traces (a, a, NULL);
  g_autofree char *json = tl_compare_result_to_json (r);
  g_autoptr(GString) text = g_string_new (NULL);

  g_assert_nonnull (strstr (json, "\"match\": true"));
  g_assert_nonnull (strstr (json, "\"mismatches\": []"));
  tl_compare_result_format (r, a, a, FALSE, text);
  g_assert_true (g_str_has_suffix (text->str, "\nMATCH\n"));
}

static void
test_empty_traces (void)
{
  g_autoptr(TlTrace) a = tl_trace_new ();
  g_autoptr(TlTrace) b = test_trace_refused (5);
  g_autoptr(TlCompareResult) same = tl_compare_traces (a, a, NULL);
  g_autoptr(TlCompareResult) r = tl_compare_traces (a, b, NULL);

  g_assert_true (tl_compare_result_is_match (same));
  g_assert_cmpuint (same->segments_total, ==, 0);
  /* Everything in B is extra: 2 segments, 2 states. */
  g_assert_cmpuint (r->mismatches->len, ==, 4);
  for (guint i = 0; i < r->mismatches->len; i++)
    g_assert_cmpint (g_array_index (r->mismatches, TlMismatch, i).kind, ==, TL_MISMATCH_EXTRA);
}

static void
test_many_differences (void)
{
  /* Long lists whose middles differ everywhere still align without
   * blowing up (the position fallback), and small ones by cost. */
  g_autoptr(TlTrace) a = tl_trace_new ();
  g_autoptr(TlTrace) b = tl_trace_new ();
  g_autoptr(TlCompareResult) r = NULL;

  for (guint i = 0; i < 2500; i++)
    for (guint side = 0; side < 2; side++)
      {
        TlTrace *t = side == 0 ? a : b;
        TlTraceRecord *rec = tl_trace_append (t, TL_REC_SEND, TL_MSEC (i), 0);
        rec->packet = tl_trace_new_packet (t);
        rec->seg.flags = TL_TCP_ACK;
        rec->seg.seq = i * (side == 0 ? 1 : 2);
        rec->seg.ack = 1;
      }
  r = tl_compare_traces (a, b, NULL);
  g_assert_cmpuint (r->segments_total, ==, 2500);
  g_assert_cmpuint (r->segments_matched, ==, 1);          /* seq 0 */
  g_assert_cmpuint (r->mismatches->len, ==, 2499);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/compare/identical", test_identical);
  g_test_add_func ("/io/compare/changed-flag", test_changed_flag);
  g_test_add_func ("/io/compare/changed-ack", test_changed_ack);
  g_test_add_func ("/io/compare/changed-time", test_changed_time);
  g_test_add_func ("/io/compare/wraparound-isns", test_wraparound_isns);
  g_test_add_func ("/io/compare/missing-and-extra", test_missing_and_extra);
  g_test_add_func ("/io/compare/options-and-window", test_options_and_window);
  g_test_add_func ("/io/compare/states", test_states);
  g_test_add_func ("/io/compare/inferred-states-filter", test_inferred_states_filter);
  g_test_add_func ("/io/compare/pcap-host-without-states", test_pcap_host_without_states);
  g_test_add_func ("/io/compare/align-first-segment", test_align_first_segment);
  g_test_add_func ("/io/compare/format-and-json", test_format_and_json);
  g_test_add_func ("/io/compare/json-match", test_json_match);
  g_test_add_func ("/io/compare/empty-traces", test_empty_traces);
  g_test_add_func ("/io/compare/many-differences", test_many_differences);
  return g_test_run ();
}

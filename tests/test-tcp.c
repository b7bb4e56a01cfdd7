/* test-tcp.c: the endpoint state machine, scenario by scenario.
 *
 * Each test runs a bundled scenario (or a variant made with --set keys)
 * and checks the state transitions of RFC 9293 it must go through, the
 * segments on the wire, and the calls' results. */
#include <errno.h>
#include <string.h>

#include <glib.h>

#include "tl-outcome.h"
#include "tl-scenario.h"

static TlScenario *
load (const char *name,
      ...)
{
  g_autofree char *path = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), name, NULL);
  g_autoptr (GError) error = NULL;
  TlScenario *s = tl_scenario_load (path, &error);
  va_list args;
  const char *key;

  g_assert_no_error (error);
  va_start (args, name);
  while ((key = va_arg (args, const char *)) != NULL)
    {
      const char *value = va_arg (args, const char *);
      tl_scenario_set (s, key, value, &error);
      g_assert_no_error (error);
    }
  va_end (args);
  tl_scenario_validate (s, &error);
  g_assert_no_error (error);
  return s;
}

static TlTrace *
run (TlScenario *s)
{
  TlTrace *trace = tl_trace_new ();
  tl_scenario_run (s, trace);
  g_assert_false (trace->truncated);
  return trace;
}

/* "SYN-SENT SYN-RECEIVED ESTABLISHED ..." for one socket of HOST. */
static char *
state_path (const TlTrace *trace,
            guint          host,
            guint          socket)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_STATE && rec->host == host && rec->socket == socket)
        g_string_append_printf (s, "%s%s", s->len ? " " : "", tl_tcp_state_to_string (rec->new_state));
    }
  return g_string_free (s, FALSE);
}

/* The segments HOST sent, as "SYN SYN,ACK ACK ...". */
static char *
sent_flags (const TlTrace *trace,
            guint          host)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_SEND && rec->host == host)
        {
          if (s->len)
            g_string_append_c (s, ' ');
          tl_tcp_flags_format (rec->seg.flags, s);
        }
    }
  return g_string_free (s, FALSE);
}

static const TlTraceRecord *
nth_send (const TlTrace *trace,
          guint          host,
          guint          n)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_SEND && rec->host == host && n-- == 0)
        return rec;
    }
  g_assert_not_reached ();
  return NULL;
}

static void
test_normal_handshake (void)
{
  g_autoptr (TlScenario) s = load ("normal-handshake.scn", NULL);
  g_autoptr (TlTrace) t = run (s);
  g_autofree char *a = state_path (t, 0, 0);
  g_autofree char *b_listener = state_path (t, 1, 0);
  g_autofree char *b_child = state_path (t, 1, 1);
  TlOutcome o;

  g_assert_cmpstr (a, ==, "SYN-SENT ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT CLOSED");
  g_assert_cmpstr (b_listener, ==, "LISTEN CLOSED");
  /* Linux keeps the half-open connection as a request socket: the full
   * socket appears in SYN-RECV when the final ACK arrives. */
  g_assert_cmpstr (b_child, ==, "SYN-RECEIVED ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED");
  tl_outcome_classify (t, &o);
  g_assert_cmpint (o.open, ==, TL_OPEN_NORMAL);
  g_assert_cmpint (o.close, ==, TL_CLOSE_NORMAL);
  /* Request and reply both arrived. */
  g_assert_cmpuint (o.n_data_bytes[0], ==, strlen ("GET / HTTP/1.0\r\n\r\n"));
  g_assert_cmpuint (o.n_data_bytes[1], >, 0);
}

static void
test_normal_handshake_rfc9293 (void)
{
  g_autoptr (TlScenario) s = load ("normal-handshake.scn", "profile", "rfc9293", NULL);
  g_autoptr (TlTrace) t = run (s);
  g_autofree char *b_child = state_path (t, 1, 1);
  const TlTraceRecord *synack = nth_send (t, 1, 0);

  g_assert_cmpstr (b_child, ==, "SYN-RECEIVED ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED");
  /* The child enters SYN-RECEIVED when the SYN arrives (RFC 9293 3.10.7.2). */
  g_assert_cmpuint (synack->seg.flags, ==, TL_TCP_SYN | TL_TCP_ACK);
  g_assert_cmpuint (synack->seg.ack, ==, nth_send (t, 0, 0)->seg.seq + 1);
  /* No timestamps or SACK in the plain RFC profile: MSS only. */
  g_assert_cmpuint (synack->seg.opts.present, ==, TL_OPT_MSS);
}

/* RFC 9293 section 3.5, Figure 8: SYN-SENT -> SYN-RECEIVED -> ESTABLISHED
 * on both sides, SYN,ACKs with the original ISNs, no extra ACK. */
static void
test_simultaneous_open_rfc9293 (void)
{
  g_autoptr (TlScenario) s = load ("simultaneous-open-delay.scn", "profile", "rfc9293", NULL);
  g_autoptr (TlTrace) t = run (s);
  g_autofree char *a = state_path (t, 0, 0);
  g_autofree char *b = state_path (t, 1, 0);
  TlOutcome o;

  g_assert_true (g_str_has_prefix (a, "SYN-SENT SYN-RECEIVED ESTABLISHED"));
  g_assert_true (g_str_has_prefix (b, "SYN-SENT SYN-RECEIVED ESTABLISHED"));
  for (guint h = 0; h < 2; h++)
    {
      guint32 isn = nth_send (t, h, 0)->seg.seq;
      for (guint i = 0; i < tl_trace_get_n_records (t); i++)
        {
          const TlTraceRecord *rec = tl_trace_get_record (t, i);
          if (rec->kind == TL_REC_SEND && rec->host == h && (rec->seg.flags & TL_TCP_SYN))
            g_assert_cmpuint (rec->seg.seq, ==, isn);
        }
    }
  tl_outcome_classify (t, &o);
  g_assert_cmpint (o.open, ==, TL_OPEN_SIMULTANEOUS);
}

/* The default scenario on Linux >= 6.11: held SYNs released together; the
 * first gets SYN,ACK, the next a bare challenge ACK, later ones within
 * 500 ms nothing; the peer's SYN,ACK then gives ESTABLISHED and one ACK
 * with a D-SACK block for the duplicate SYN. */
static void
test_simultaneous_open_router_pause_linux (void)
{
  g_autoptr (TlScenario) s = load ("simultaneous-open-router-pause.scn", NULL);
  g_autoptr (TlTrace) t = run (s);
  TlOutcome o;

  for (guint h = 0; h < 2; h++)
    {
      g_autofree char *path = state_path (t, h, 0);
      g_autofree char *flags = sent_flags (t, h);
      const TlTraceRecord *dsack = nth_send (t, h, 5);

      g_assert_true (g_str_has_prefix (path, "SYN-SENT SYN-RECEIVED ESTABLISHED"));
      g_assert_true (g_str_has_prefix (flags, "SYN SYN SYN SYN,ACK ACK ACK "));
      g_assert_cmpuint (dsack->seg.opts.present & TL_OPT_SACK, !=, 0);
      g_assert_cmpuint (dsack->seg.opts.n_sack, ==, 1);
      /* The D-SACK block covers exactly the peer's SYN. */
      g_assert_cmpuint (dsack->seg.opts.sack[0].left, ==, nth_send (t, 1 - h, 0)->seg.seq);
      g_assert_cmpuint (dsack->seg.opts.sack[0].right, ==, nth_send (t, 1 - h, 0)->seg.seq + 1);
    }
  tl_outcome_classify (t, &o);
  g_assert_cmpint (o.open, ==, TL_OPEN_SIMULTANEOUS);
  g_assert_cmpuint (o.n_held, ==, 6);
  g_assert_cmpuint (o.n_data_bytes[0], ==, strlen ("request\n"));
  g_assert_cmpuint (o.n_data_bytes[1], ==, strlen ("hostname\n"));
}

/* Up to 6.10 the SYN,ACK in SYN-RECV got a challenge ACK, and the peer's
 * challenge ACK (which acks our SYN) made the socket ESTABLISHED. */
static void
test_simultaneous_open_linux_6_10 (void)
{
  g_autoptr (TlScenario) s = load ("simultaneous-open-router-pause.scn", "kernel", "6.10", NULL);
  g_autoptr (TlTrace) t = run (s);
  TlOutcome o;

  for (guint h = 0; h < 2; h++)
    {
      g_autofree char *path = state_path (t, h, 0);
      g_assert_true (g_str_has_prefix (path, "SYN-SENT SYN-RECEIVED ESTABLISHED"));
    }
  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    g_assert_cmpuint (tl_trace_get_record (t, i)->seg.opts.present & TL_OPT_SACK, ==, 0);
  tl_outcome_classify (t, &o);
  g_assert_cmpint (o.open, ==, TL_OPEN_SIMULTANEOUS);
}

/* RFC 9293 Figure 13: FINs cross, both CLOSING, both TIME-WAIT. */
static void
test_simultaneous_close (void)
{
  for (guint p = 0; p < 2; p++)
    {
      g_autoptr (TlScenario) s = load ("simultaneous-close.scn", "profile",
                                       p ? "rfc9293" : "linux", NULL);
      g_autoptr (TlTrace) t = run (s);
      g_autofree char *a = state_path (t, 0, 0);
      g_autofree char *b = state_path (t, 1, 1);
      TlOutcome o;

      /* RFC 9293's 2 MSL (240 s) outlasts the run; Linux's 60 s does not. */
      const char *end = p ? "ESTABLISHED FIN-WAIT-1 CLOSING TIME-WAIT"
                          : "ESTABLISHED FIN-WAIT-1 CLOSING TIME-WAIT CLOSED";
      g_assert_true (g_str_has_suffix (a, end));
      g_assert_true (g_str_has_suffix (b, end));
      tl_outcome_classify (t, &o);
      g_assert_cmpint (o.close, ==, TL_CLOSE_SIMULTANEOUS);
    }
}

static void
test_time_wait_length (void)
{
  g_autoptr (TlScenario) s = load ("simultaneous-close.scn", "time-wait", "30s", "hz", "0", NULL);
  g_autoptr (TlTrace) t = run (s);
  TlTime entered = -1, left = -1;

  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (t, i);
      if (rec->kind != TL_REC_STATE || rec->host != 0)
        continue;
      if (rec->new_state == TL_STATE_TIME_WAIT)
        entered = rec->time;
      if (rec->old_state == TL_STATE_TIME_WAIT)
        left = rec->time;
    }
  g_assert_cmpint (entered, >, 0);
  g_assert_cmpint (left - entered, ==, TL_SEC (30));
}

/* A SYN to a bound, not listening socket: <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>,
 * window 0, no options; connect() gets ECONNREFUSED. */
static void
test_connect_refused (void)
{
  g_autoptr (TlScenario) s = load ("connect-refused.scn", NULL);
  g_autoptr (TlTrace) t = run (s);
  const TlTraceRecord *syn = nth_send (t, 0, 0);
  const TlTraceRecord *rst = nth_send (t, 1, 0);
  g_autofree char *a = state_path (t, 0, 0);
  TlOutcome o;

  g_assert_cmpuint (rst->seg.flags, ==, TL_TCP_RST | TL_TCP_ACK);
  g_assert_cmpuint (rst->seg.seq, ==, 0);
  g_assert_cmpuint (rst->seg.ack, ==, syn->seg.seq + 1);
  g_assert_cmpuint (rst->seg.window, ==, 0);
  g_assert_cmpuint (rst->seg.opts.present, ==, 0);
  g_assert_cmpuint (rst->cause, ==, TL_CAUSE_NO_SOCKET);
  g_assert_cmpstr (a, ==, "SYN-SENT CLOSED");
  tl_outcome_classify (t, &o);
  g_assert_cmpint (o.open, ==, TL_OPEN_REFUSED);
  g_assert_cmpint (o.connect_error[0], ==, ECONNREFUSED);
}

/* The record of the Nth call of KIND by HOST. */
static const TlTraceRecord *
find_call (const TlTrace *trace,
           guint          host,
           TlCallKind     kind,
           guint          n)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_CALL && rec->host == host && rec->call == kind && n-- == 0)
        return rec;
    }
  g_assert_not_reached ();
}

/* B stopped reading: A's request waits unread, and B's close() sends
 * RST,ACK (SEQ=SND.NXT, ACK=RCV.NXT, with timestamps on Linux) instead of
 * a FIN and goes straight to CLOSED; A gets ECONNRESET.  The RFC 9293
 * profile sends the bare <SEQ=SND.NXT><CTL=RST> of an ABORT. */
static void
test_close_unread_data (void)
{
  const char *const profiles[] = { "linux", "rfc9293" };

  for (guint p = 0; p < G_N_ELEMENTS (profiles); p++)
    {
      g_autoptr (TlScenario) s = load ("close-unread-data.scn", "profile", profiles[p], NULL);
      g_autoptr (TlTrace) t = run (s);
      g_autofree char *b_sent = sent_flags (t, 1);
      g_autofree char *a = state_path (t, 0, 0);
      g_autofree char *b = state_path (t, 1, 1);
      const TlTraceRecord *request = nth_send (t, 0, 2);
      const TlTraceRecord *rst = nth_send (t, 1, 2);
      gboolean linux_profile = p == 0;
      TlOutcome o;

      g_assert_cmpuint (request->seg.len, ==, 18);
      g_assert_cmpstr (b_sent, ==, linux_profile ? "SYN,ACK ACK RST,ACK" : "SYN,ACK ACK RST");
      g_assert_cmpuint (rst->seg.seq, ==, nth_send (t, 1, 1)->seg.seq);
      if (linux_profile)
        {
          g_assert_cmpuint (rst->seg.ack, ==, request->seg.seq + 18);
          g_assert_true (rst->seg.opts.present & TL_OPT_TS);
        }
      g_assert_cmpuint (rst->cause, ==, TL_CAUSE_CALL);
      g_assert_cmpint (find_call (t, 1, TL_CALL_CLOSE, 0)->error, ==, 0);
      g_assert_cmpstr (b, ==, "SYN-RECEIVED ESTABLISHED CLOSED");
      g_assert_cmpstr (a, ==, "SYN-SENT ESTABLISHED CLOSED");
      tl_outcome_classify (t, &o);
      g_assert_cmpint (o.connect_error[0], ==, ECONNRESET);
      g_assert_cmpint (o.close, ==, TL_CLOSE_RESET);
    }
}

/* Reading what waits, before close(), makes it a normal close again: read
 * returns the 18 bytes, and B sends its FIN. */
static void
test_read_then_close (void)
{
  g_autoptr (TlScenario) s = load ("close-unread-data.scn", "B.close.1.at", "1.2s", NULL);
  g_autoptr (TlScenario) with_read = NULL;
  g_autoptr (TlTrace) t = NULL;
  g_autofree char *text = NULL;
  g_autofree char *b_sent = NULL;
  g_autoptr (GError) error = NULL;

  /* The same scenario with "at 1s B read" added, through the text. */
  text = tl_scenario_to_string (s);
  {
    g_autofree char *more = g_strconcat (text, "at 1s B read\n", NULL);
    with_read = tl_scenario_parse (more, -1, "read.scn", &error);
    g_assert_no_error (error);
  }
  t = run (with_read);
  g_assert_cmpint (find_call (t, 1, TL_CALL_READ, 0)->arg, ==, TL_READ_ARG_OFF);
  g_assert_cmpint (find_call (t, 1, TL_CALL_READ, 1)->arg, ==, 18);
  b_sent = sent_flags (t, 1);
  g_assert_null (strstr (b_sent, "RST"));
  g_assert_nonnull (strstr (b_sent, "FIN,ACK"));
}

/* A closed; data B sends later is answered with <SEQ=SEG.ACK><CTL=RST>,
 * no options, window 0 (as captured); A's connection ends at once and
 * B's in ECONNRESET, without a FIN from B. */
static void
test_data_after_close (void)
{
  g_autoptr (TlScenario) s = load ("data-after-close.scn", NULL);
  g_autoptr (TlTrace) t = run (s);
  g_autofree char *a_sent = sent_flags (t, 0);
  g_autofree char *a = state_path (t, 0, 0);
  g_autofree char *b = state_path (t, 1, 1);
  const TlTraceRecord *reply = nth_send (t, 1, 3);
  const TlTraceRecord *rst = nth_send (t, 0, 4);
  TlOutcome o;

  g_assert_cmpuint (reply->seg.len, ==, 24);
  g_assert_cmpstr (a_sent, ==, "SYN ACK PSH,ACK FIN,ACK RST");
  g_assert_cmpuint (rst->seg.seq, ==, reply->seg.ack);
  g_assert_cmpuint (rst->seg.window, ==, 0);
  g_assert_cmpuint (rst->seg.opts.present, ==, 0);
  g_assert_cmpuint (rst->cause, ==, TL_CAUSE_SEGMENT);
  g_assert_cmpstr (a, ==, "SYN-SENT ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 CLOSED");
  g_assert_cmpstr (b, ==, "SYN-RECEIVED ESTABLISHED CLOSE-WAIT CLOSED");
  tl_outcome_classify (t, &o);
  g_assert_cmpint (o.connect_error[1], ==, ECONNRESET);

  /* A half-close is not a close: after shutdown(SHUT_WR) A still reads,
   * ACKs the reply, and the connection ends with FINs both ways. */
  {
    g_autoptr (TlScenario) half = load ("data-after-close.scn", NULL);
    g_autoptr (TlScenario) edited = NULL;
    g_autoptr (TlTrace) t2 = NULL;
    g_autoptr (GError) error = NULL;
    g_autofree char *text = tl_scenario_to_string (half);
    g_autofree char *changed = NULL;
    g_autofree char *a2 = NULL;
    g_autofree char *a2_path = NULL;
    char *at = strstr (text, "A close");

    g_assert_nonnull (at);
    changed = g_strdup_printf ("%.*sA shutdown wr%s", (int) (at - text), text, at + strlen ("A close"));
    edited = tl_scenario_parse (changed, -1, "half.scn", &error);
    g_assert_no_error (error);
    t2 = run (edited);
    a2 = sent_flags (t2, 0);
    g_assert_null (strstr (a2, "RST"));
    a2_path = state_path (t2, 0, 0);
    g_assert_cmpstr (a2_path, ==, "SYN-SENT ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT CLOSED");
  }
}

static void
collect_syn_times (const TlTrace *t,
                   GArray        *times)
{
  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (t, i);
      if (rec->kind == TL_REC_SEND && rec->host == 0 && (rec->seg.flags & TL_TCP_SYN))
        g_array_append_val (times, rec->time);
    }
}

/* Linux >= 6.5 with exact timers: the first 4 retransmissions 1 s apart,
 * then doubling; TCP_SYNCNT 2 gives up at the first timeout after
 * (2^3 - 1) s: SYNs at 0, 1, 2, 3, 4, 5 s, ETIMEDOUT at 7 s (as captured on
 * 6.18).  RFC 6298 backoff and a retry count: 0, 1, 3 s, gives up at 7 s. */
static void
test_syn_timeout (void)
{
  static const TlTime linux_times[] = { 0, 1, 2, 3, 4, 5 };
  static const TlTime rfc_times[] = { 0, 1, 3 };

  for (guint p = 0; p < 2; p++)
    {
      g_autoptr (TlScenario) s = load ("syn-timeout.scn", "profile", p ? "rfc9293" : "linux",
                                       "hz", "0", NULL);
      g_autoptr (TlTrace) t = run (s);
      g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (TlTime));
      const TlTime *expected = p ? rfc_times : linux_times;
      guint n = p ? G_N_ELEMENTS (rfc_times) : G_N_ELEMENTS (linux_times);
      TlTime start = s->hosts[0].calls->len ? g_array_index (s->hosts[0].calls, TlScenarioCall, 0).at : 0;
      TlOutcome o;

      collect_syn_times (t, times);
      g_assert_cmpuint (times->len, ==, n);
      for (guint i = 0; i < n; i++)
        g_assert_cmpint (g_array_index (times, TlTime, i) - start, ==, TL_SEC (expected[i]));
      tl_outcome_classify (t, &o);
      g_assert_cmpint (o.open, ==, TL_OPEN_TIMED_OUT);
      g_assert_cmpint (o.connect_error[0], ==, ETIMEDOUT);
      for (guint i = 0; i < tl_trace_get_n_records (t); i++)
        {
          const TlTraceRecord *rec = tl_trace_get_record (t, i);
          if (rec->kind == TL_REC_CALL_RESULT)
            g_assert_cmpint (rec->time - start, ==, TL_SEC (7));
        }
    }
}

/* The default SYN retries on Linux 6.18: 0,1,2,3,4,5,7,11,19,35,67, then
 * ETIMEDOUT at 131 s (the capture adds jiffy slack to these). */
static void
test_syn_retries_default_linux (void)
{
  static const TlTime expected[] = { 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 };
  g_autoptr (TlScenario) s = load ("syn-timeout.scn", "A.setsockopt.1.value", "6",
                                   "duration", "200s", "hz", "0", NULL);
  g_autoptr (TlTrace) t = run (s);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (TlTime));

  collect_syn_times (t, times);
  g_assert_cmpuint (times->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (times, TlTime, i), ==, TL_SEC (expected[i]));
}

/* On the jiffies timer wheel (HZ 250, time 0 on a tick): a 1 s RTO re-armed
 * on a bucket edge waits 256 jiffies, 1.024 s; 2 s waits 504 jiffies;
 * the capture of syn-timeout shows exactly these steps. */
static void
test_timer_wheel (void)
{
  static const TlTime expected[] = { 0, 1024, 2048, 3072, 4096, 5120 };
  g_autoptr (TlScenario) s = load ("syn-timeout.scn", "hz", "250", "jiffies", "0",
                                   "tick-offset", "0", NULL);
  g_autoptr (TlTrace) t = run (s);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (TlTime));
  TlTime start = g_array_index (s->hosts[0].calls, TlScenarioCall, 0).at;

  collect_syn_times (t, times);
  g_assert_cmpuint (times->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpint (g_array_index (times, TlTime, i) - start, ==, TL_MSEC (expected[i]));
  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (t, i);
      if (rec->kind == TL_REC_CALL_RESULT)
        g_assert_cmpint (rec->time - start, ==, TL_MSEC (5120 + 2016));
    }
}

/* TIME-WAIT's 60 s lands on level 3 of the wheel: up to 2.048 s late. */
static void
test_time_wait_on_wheel (void)
{
  g_autoptr (TlScenario) s = load ("simultaneous-close.scn", "jiffies", "12345",
                                   "tick-offset", "1ms", NULL);
  g_autoptr (TlTrace) t = run (s);
  TlTime entered = -1, left = -1;

  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (t, i);
      if (rec->kind != TL_REC_STATE || rec->host != 0)
        continue;
      if (rec->new_state == TL_STATE_TIME_WAIT)
        entered = rec->time;
      if (rec->old_state == TL_STATE_TIME_WAIT)
        left = rec->time;
    }
  g_assert_cmpint (left - entered, >, TL_SEC (60));
  g_assert_cmpint (left - entered, <=, TL_SEC (60) + TL_MSEC (2048) + TL_MSEC (4));
  /* Timers fire on ticks: 1 ms after a multiple of 4 ms. */
  g_assert_cmpint ((left + TL_MSEC (1)) % TL_MSEC (4), ==, 0);
}

/* Sequence arithmetic wraps: ISNs just below 2^32 still connect, move
 * data and close. */
static void
test_isn_wraparound (void)
{
  g_autoptr (TlScenario) s = load ("normal-handshake.scn", "A.isn", "4294967290",
                                   "B.isn", "4294967295", "A.send.1.bytes", "30000", NULL);
  g_autoptr (TlTrace) t = run (s);
  TlOutcome o;
  guint32 last_ack = 0;

  tl_outcome_classify (t, &o);
  g_assert_cmpint (o.open, ==, TL_OPEN_NORMAL);
  g_assert_cmpint (o.close, ==, TL_CLOSE_NORMAL);
  g_assert_cmpuint (o.n_data_bytes[0], ==, 30000);
  g_assert_cmpuint (nth_send (t, 0, 0)->seg.seq, ==, 4294967290u);
  /* B's last ACK covers A's 30000 bytes and FIN, past the wrap. */
  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (t, i);
      if (rec->kind == TL_REC_SEND && rec->host == 1 && (rec->seg.flags & TL_TCP_ACK))
        last_ack = rec->seg.ack;
    }
  g_assert_cmpuint (last_ack, ==, (guint32) (4294967290u + 1 + 30000 + 1));
}

/* Data larger than the window goes out in MSS-sized segments. */
static void
test_bulk_data_segments (void)
{
  g_autoptr (TlScenario) s = load ("normal-handshake.scn", "A.send.1.bytes", "100000", NULL);
  g_autoptr (TlTrace) t = run (s);
  guint max_len = 0, total = 0;

  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (t, i);
      if (rec->kind == TL_REC_SEND && rec->host == 0 && rec->retransmit == 0)
        {
          max_len = MAX (max_len, rec->seg.len);
          total += rec->seg.len;
        }
    }
  g_assert_cmpuint (max_len, ==, 1448);   /* 1460 - 12 bytes of timestamps */
  g_assert_cmpuint (total, ==, 100000);
}

/* abort() on an established connection sends RST; the peer resets. */
static void
test_abort_resets (void)
{
  g_autoptr (TlScenario) s = load ("normal-handshake.scn", "A.close.1.at", "5s", NULL);
  g_autoptr (TlTrace) t = NULL;
  g_autoptr (GError) error = NULL;
  TlScenarioCall abort_call = { 0 };
  TlOutcome o;

  /* Turn A's close into an abort at 400 ms, before B closes. */
  for (guint i = 0; i < s->hosts[0].calls->len; i++)
    {
      TlScenarioCall *c = &g_array_index (s->hosts[0].calls, TlScenarioCall, i);
      if (c->kind == TL_CALL_CLOSE)
        {
          c->kind = TL_CALL_ABORT;
          c->at = TL_MSEC (400);
          abort_call = *c;
        }
    }
  g_assert_cmpint (abort_call.kind, ==, TL_CALL_ABORT);
  t = run (s);
  tl_outcome_classify (t, &o);
  g_assert_cmpint (o.close, ==, TL_CLOSE_RESET);
  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (t, i);
      if (rec->kind == TL_REC_SEND && rec->host == 0 && (rec->seg.flags & TL_TCP_RST))
        {
          g_assert_cmpint (rec->time, ==, TL_MSEC (400));
          return;
        }
    }
  g_assert_not_reached ();
}

/* SYN retransmissions lost on the way: the listener's SYN,ACK comes only
 * when one gets through, and its retransmissions back off. */
static void
test_lossy_handshake_is_deterministic (void)
{
  g_autoptr (TlScenario) s = load ("normal-handshake.scn", "A<->B.loss", "40%", "seed", "11", NULL);
  g_autoptr (TlTrace) t1 = run (s);
  g_autoptr (TlTrace) t2 = run (s);

  g_assert_cmpuint (tl_trace_get_n_records (t1), ==, tl_trace_get_n_records (t2));
  g_assert_cmpmem (t1->records->data, t1->records->len * sizeof (TlTraceRecord),
                   t2->records->data, t2->records->len * sizeof (TlTraceRecord));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/tcp/normal-handshake", test_normal_handshake);
  g_test_add_func ("/tcp/normal-handshake-rfc9293", test_normal_handshake_rfc9293);
  g_test_add_func ("/tcp/simultaneous-open-rfc9293", test_simultaneous_open_rfc9293);
  g_test_add_func ("/tcp/simultaneous-open-router-pause-linux", test_simultaneous_open_router_pause_linux);
  g_test_add_func ("/tcp/simultaneous-open-linux-6.10", test_simultaneous_open_linux_6_10);
  g_test_add_func ("/tcp/simultaneous-close", test_simultaneous_close);
  g_test_add_func ("/tcp/time-wait-length", test_time_wait_length);
  g_test_add_func ("/tcp/connect-refused", test_connect_refused);
  g_test_add_func ("/tcp/syn-timeout", test_syn_timeout);
  g_test_add_func ("/tcp/syn-retries-default-linux", test_syn_retries_default_linux);
  g_test_add_func ("/tcp/timer-wheel", test_timer_wheel);
  g_test_add_func ("/tcp/time-wait-on-wheel", test_time_wait_on_wheel);
  g_test_add_func ("/tcp/isn-wraparound", test_isn_wraparound);
  g_test_add_func ("/tcp/bulk-data-segments", test_bulk_data_segments);
  g_test_add_func ("/tcp/abort-resets", test_abort_resets);
  g_test_add_func ("/tcp/close-unread-data", test_close_unread_data);
  g_test_add_func ("/tcp/read-then-close", test_read_then_close);
  g_test_add_func ("/tcp/data-after-close", test_data_after_close);
  g_test_add_func ("/tcp/lossy-handshake-is-deterministic", test_lossy_handshake_is_deterministic);
  return g_test_run ();
}

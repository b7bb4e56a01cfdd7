/* test-render-samples.c: the hand-made traces (see the header). */
#include "test-render-samples.h"

#include <errno.h>

#define MS(x) ((TlTime) ((x) * 1000000.0 + 0.5))
#define ISN_A 1000u
#define ISN_B 5000u

static void
seg (TlTraceBuilder *b,
     guint           sender,
     double          send_ms,
     double          arrive_ms,
     guint8          flags,
     guint32         seq,
     guint32         ack,
     guint32         len)
{
  TlBuilderSegment s = { 0 };

  s.sender = sender;
  s.send = MS (send_ms);
  s.arrive = MS (arrive_ms);
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  s.len = len;
  s.syn_options = (flags & TL_TCP_SYN) != 0;
  tl_trace_builder_segment (b, &s);
}

TlTrace *
tl_sample_handshake_close (void)
{
  TlTraceBuilder *b = tl_trace_builder_new ("handshake-close",
                                            "A connects to listening B, sends 100 bytes and closes first; "
                                            "delay 10 ms each way, linux profile",
                                            FALSE);

  tl_trace_builder_call (b, 1, 0, TL_CALL_LISTEN, 0, 0);
  tl_trace_builder_state (b, 1, 0, 0, TL_STATE_LISTEN);
  tl_trace_builder_call (b, 0, MS (1), TL_CALL_CONNECT, 0, 0);
  tl_trace_builder_state (b, 0, 0, MS (1), TL_STATE_SYN_SENT);
  seg (b, 0, 1, 11, TL_TCP_SYN, ISN_A, 0, 0);
  tl_trace_builder_state (b, 1, 1, MS (11), TL_STATE_SYN_RECEIVED);
  seg (b, 1, 11, 21, TL_TCP_SYN | TL_TCP_ACK, ISN_B, ISN_A + 1, 0);
  tl_trace_builder_state (b, 0, 0, MS (21), TL_STATE_ESTABLISHED);
  tl_trace_builder_result (b, 0, MS (21), TL_CALL_CONNECT, 0);
  seg (b, 0, 21, 31, TL_TCP_ACK, ISN_A + 1, ISN_B + 1, 0);
  tl_trace_builder_state (b, 1, 1, MS (31), TL_STATE_ESTABLISHED);
  tl_trace_builder_result (b, 1, MS (31), TL_CALL_ACCEPT, 0);
  tl_trace_builder_call (b, 0, MS (41), TL_CALL_SEND, 100, 0);
  seg (b, 0, 41, 51, TL_TCP_PSH | TL_TCP_ACK, ISN_A + 1, ISN_B + 1, 100);
  tl_trace_builder_timer (b, 1, MS (55), TL_TIMER_DELAYED_ACK);
  seg (b, 1, 55, 65, TL_TCP_ACK, ISN_B + 1, ISN_A + 101, 0);
  tl_trace_builder_call (b, 0, MS (101), TL_CALL_CLOSE, 0, 0);
  tl_trace_builder_state (b, 0, 0, MS (101), TL_STATE_FIN_WAIT_1);
  seg (b, 0, 101, 111, TL_TCP_FIN | TL_TCP_ACK, ISN_A + 101, ISN_B + 1, 0);
  tl_trace_builder_state (b, 1, 1, MS (111), TL_STATE_CLOSE_WAIT);
  seg (b, 1, 111, 121, TL_TCP_ACK, ISN_B + 1, ISN_A + 102, 0);
  tl_trace_builder_state (b, 0, 0, MS (121), TL_STATE_FIN_WAIT_2);
  tl_trace_builder_call (b, 1, MS (151), TL_CALL_CLOSE, 0, 0);
  tl_trace_builder_state (b, 1, 1, MS (151), TL_STATE_LAST_ACK);
  seg (b, 1, 151, 161, TL_TCP_FIN | TL_TCP_ACK, ISN_B + 1, ISN_A + 102, 0);
  tl_trace_builder_state (b, 0, 0, MS (161), TL_STATE_TIME_WAIT);
  seg (b, 0, 161, 171, TL_TCP_ACK, ISN_A + 102, ISN_B + 2, 0);
  tl_trace_builder_state (b, 1, 1, MS (171), TL_STATE_CLOSED);
  tl_trace_builder_timer (b, 0, MS (60161), TL_TIMER_TIME_WAIT);
  tl_trace_builder_state (b, 0, 0, MS (60161), TL_STATE_CLOSED);
  tl_trace_builder_set_end (b, MS (60200));
  return tl_trace_builder_finish (b);
}

static void
routed (TlTraceBuilder *b,
        guint           sender,
        double          send_ms,
        double          router_ms,
        double          release_ms,   /* 0: not held */
        double          arrive_ms,
        guint8          flags,
        guint32         seq,
        guint32         ack,
        guint16         retransmit)
{
  TlBuilderSegment s = { 0 };

  s.sender = sender;
  s.send = MS (send_ms);
  s.router_in = MS (router_ms);
  s.held = release_ms > 0;
  s.release = MS (release_ms);
  s.arrive = MS (arrive_ms);
  s.flags = flags;
  s.seq = seq;
  s.ack = ack;
  s.retransmit = retransmit;
  s.syn_options = (flags & TL_TCP_SYN) != 0;
  tl_trace_builder_segment (b, &s);
}

TlTrace *
tl_sample_simultaneous_open (void)
{
  TlTraceBuilder *b = tl_trace_builder_new ("simultaneous-open-router-pause",
                                            "A and B connect to each other 0.3 ms apart while the router "
                                            "is paused; delay 5 ms per link; released after 1 s",
                                            TRUE);

  tl_trace_builder_pause (b, MS (2), MS (1000));
  tl_trace_builder_call (b, 0, 0, TL_CALL_CONNECT, 0, 0);
  tl_trace_builder_state (b, 0, 0, 0, TL_STATE_SYN_SENT);
  routed (b, 0, 0, 5, 1000, 1005, TL_TCP_SYN, ISN_A, 0, 0);
  tl_trace_builder_call (b, 1, MS (0.3), TL_CALL_CONNECT, 0, 0);
  tl_trace_builder_state (b, 1, 0, MS (0.3), TL_STATE_SYN_SENT);
  routed (b, 1, 0.3, 5.3, 1000.1, 1005.1, TL_TCP_SYN, ISN_B, 0, 0);
  tl_trace_builder_timer (b, 0, MS (1000), TL_TIMER_RETRANSMIT);
  routed (b, 0, 1000, 1005, 0, 1010, TL_TCP_SYN, ISN_A, 0, 1);
  tl_trace_builder_timer (b, 1, MS (1000.3), TL_TIMER_RETRANSMIT);
  routed (b, 1, 1000.3, 1005.3, 0, 1010.3, TL_TCP_SYN, ISN_B, 0, 1);
  tl_trace_builder_state (b, 1, 0, MS (1005), TL_STATE_SYN_RECEIVED);
  routed (b, 1, 1005, 1010, 0, 1015, TL_TCP_SYN | TL_TCP_ACK, ISN_B, ISN_A + 1, 0);
  tl_trace_builder_state (b, 0, 0, MS (1005.1), TL_STATE_SYN_RECEIVED);
  routed (b, 0, 1005.1, 1010.1, 0, 1015.1, TL_TCP_SYN | TL_TCP_ACK, ISN_A, ISN_B + 1, 0);
  routed (b, 1, 1010, 1015, 0, 1020, TL_TCP_ACK, ISN_B + 1, ISN_A + 1, 0);
  routed (b, 0, 1010.3, 1015.3, 0, 1020.3, TL_TCP_ACK, ISN_A + 1, ISN_B + 1, 0);
  tl_trace_builder_state (b, 0, 0, MS (1015), TL_STATE_ESTABLISHED);
  tl_trace_builder_result (b, 0, MS (1015), TL_CALL_CONNECT, 0);
  routed (b, 0, 1015, 1020, 0, 1025, TL_TCP_ACK, ISN_A + 1, ISN_B + 1, 0);
  tl_trace_builder_state (b, 1, 0, MS (1015.1), TL_STATE_ESTABLISHED);
  tl_trace_builder_result (b, 1, MS (1015.1), TL_CALL_CONNECT, 0);
  routed (b, 1, 1015.1, 1020.1, 0, 1025.1, TL_TCP_ACK, ISN_B + 1, ISN_A + 1, 0);
  tl_trace_builder_set_end (b, MS (1040));
  return tl_trace_builder_finish (b);
}

TlTrace *
tl_sample_refused (void)
{
  TlTraceBuilder *b = tl_trace_builder_new ("connect-refused",
                                            "A connects to B, which has no socket on the port; delay 1 ms",
                                            FALSE);

  tl_trace_builder_call (b, 0, 0, TL_CALL_CONNECT, 0, 0);
  tl_trace_builder_state (b, 0, 0, 0, TL_STATE_SYN_SENT);
  seg (b, 0, 0, 1, TL_TCP_SYN, ISN_A, 0, 0);
  seg (b, 1, 1, 2, TL_TCP_RST | TL_TCP_ACK, 0, ISN_A + 1, 0);
  tl_trace_builder_state (b, 0, 0, MS (2), TL_STATE_CLOSED);
  tl_trace_builder_result (b, 0, MS (2), TL_CALL_CONNECT, ECONNREFUSED);
  tl_trace_builder_set_end (b, MS (3));
  return tl_trace_builder_finish (b);
}

static void
lost (TlTraceBuilder *b,
      double          send_ms,
      guint16         retransmit)
{
  TlBuilderSegment s = { 0 };

  s.sender = 0;
  s.send = MS (send_ms);
  s.arrive = MS (send_ms + 5)   /* the engine records a loss halfway */;
  s.flags = TL_TCP_SYN;
  s.seq = ISN_A;
  s.retransmit = retransmit;
  s.syn_options = TRUE;
  s.drop = TL_DROP_LOSS;
  s.drop_host = 0;
  tl_trace_builder_segment (b, &s);
}

TlTrace *
tl_sample_syn_loss (void)
{
  TlTraceBuilder *b = tl_trace_builder_new ("syn-loss",
                                            "B listens; A's first two SYNs are lost, the third gets through; "
                                            "delay 10 ms, initial RTO 1 s",
                                            FALSE);
  TlBuilderSegment s = { 0 };

  tl_trace_builder_call (b, 1, 0, TL_CALL_LISTEN, 0, 0);
  tl_trace_builder_state (b, 1, 0, 0, TL_STATE_LISTEN);
  tl_trace_builder_call (b, 0, 0, TL_CALL_CONNECT, 0, 0);
  tl_trace_builder_state (b, 0, 0, 0, TL_STATE_SYN_SENT);
  lost (b, 0, 0);
  tl_trace_builder_timer (b, 0, MS (1000), TL_TIMER_RETRANSMIT);
  lost (b, 1000, 1);
  tl_trace_builder_timer (b, 0, MS (3000), TL_TIMER_RETRANSMIT);
  s.sender = 0;
  s.send = MS (3000);
  s.arrive = MS (3010);
  s.flags = TL_TCP_SYN;
  s.seq = ISN_A;
  s.retransmit = 2;
  s.syn_options = TRUE;
  tl_trace_builder_segment (b, &s);
  tl_trace_builder_state (b, 1, 1, MS (3010), TL_STATE_SYN_RECEIVED);
  seg (b, 1, 3010, 3020, TL_TCP_SYN | TL_TCP_ACK, ISN_B, ISN_A + 1, 0);
  tl_trace_builder_state (b, 0, 0, MS (3020), TL_STATE_ESTABLISHED);
  tl_trace_builder_result (b, 0, MS (3020), TL_CALL_CONNECT, 0);
  seg (b, 0, 3020, 3030, TL_TCP_ACK, ISN_A + 1, ISN_B + 1, 0);
  tl_trace_builder_state (b, 1, 1, MS (3030), TL_STATE_ESTABLISHED);
  tl_trace_builder_set_end (b, MS (3050));
  return tl_trace_builder_finish (b);
}

TlTrace *
tl_sample_simultaneous_close (void)
{
  TlTraceBuilder *b = tl_trace_builder_new ("simultaneous-close",
                                            "An established connection; A and B call close() 0.2 ms apart; "
                                            "delay 2 ms; TIME-WAIT 60 s",
                                            FALSE);

  tl_trace_builder_state (b, 0, 0, 0, TL_STATE_ESTABLISHED);
  tl_trace_builder_state (b, 1, 0, 0, TL_STATE_ESTABLISHED);
  tl_trace_builder_call (b, 0, MS (10), TL_CALL_CLOSE, 0, 0);
  tl_trace_builder_state (b, 0, 0, MS (10), TL_STATE_FIN_WAIT_1);
  seg (b, 0, 10, 12, TL_TCP_FIN | TL_TCP_ACK, ISN_A + 1, ISN_B + 1, 0);
  tl_trace_builder_call (b, 1, MS (10.2), TL_CALL_CLOSE, 0, 0);
  tl_trace_builder_state (b, 1, 0, MS (10.2), TL_STATE_FIN_WAIT_1);
  seg (b, 1, 10.2, 12.2, TL_TCP_FIN | TL_TCP_ACK, ISN_B + 1, ISN_A + 1, 0);
  tl_trace_builder_state (b, 1, 0, MS (12), TL_STATE_CLOSING);
  seg (b, 1, 12, 14, TL_TCP_ACK, ISN_B + 2, ISN_A + 2, 0);
  tl_trace_builder_state (b, 0, 0, MS (12.2), TL_STATE_CLOSING);
  seg (b, 0, 12.2, 14.2, TL_TCP_ACK, ISN_A + 2, ISN_B + 2, 0);
  tl_trace_builder_state (b, 0, 0, MS (14), TL_STATE_TIME_WAIT);
  tl_trace_builder_state (b, 1, 0, MS (14.2), TL_STATE_TIME_WAIT);
  tl_trace_builder_timer (b, 0, MS (60014), TL_TIMER_TIME_WAIT);
  tl_trace_builder_state (b, 0, 0, MS (60014), TL_STATE_CLOSED);
  tl_trace_builder_timer (b, 1, MS (60014.2), TL_TIMER_TIME_WAIT);
  tl_trace_builder_state (b, 1, 0, MS (60014.2), TL_STATE_CLOSED);
  tl_trace_builder_set_end (b, MS (60020));
  return tl_trace_builder_finish (b);
}

TlTrace *
tl_sample_burst (void)
{
  TlTraceBuilder *b = tl_trace_builder_new ("burst",
                                            "24 segments of 1448 bytes sent 0.1 ms apart, each ACKed; delay 2 ms",
                                            FALSE);

  tl_trace_builder_state (b, 0, 0, 0, TL_STATE_ESTABLISHED);
  tl_trace_builder_state (b, 1, 0, 0, TL_STATE_ESTABLISHED);
  tl_trace_builder_call (b, 0, MS (1), TL_CALL_SEND, 24 * 1448, 0);
  for (guint i = 0; i < 24; i++)
    {
      double t = 1 + 0.1 * i;
      seg (b, 0, t, t + 2, TL_TCP_ACK | (i == 23 ? TL_TCP_PSH : 0), ISN_A + 1 + 1448 * i, ISN_B + 1, 1448);
      seg (b, 1, t + 2, t + 4, TL_TCP_ACK, ISN_B + 1, ISN_A + 1 + 1448 * (i + 1), 0);
    }
  tl_trace_builder_set_end (b, MS (8));
  return tl_trace_builder_finish (b);
}

TlTrace *
tl_sample_bulk (guint n_segments)
{
  TlTraceBuilder *b = tl_trace_builder_new ("bulk", "synthetic bulk transfer for the benchmark", FALSE);

  tl_trace_builder_state (b, 0, 0, 0, TL_STATE_ESTABLISHED);
  tl_trace_builder_state (b, 1, 0, 0, TL_STATE_ESTABLISHED);
  for (guint i = 0; i < n_segments; i++)
    {
      TlBuilderSegment s = { 0 };
      s.sender = i % 2;
      s.send = TL_USEC (50) * i;
      s.arrive = s.send + TL_MSEC (2);
      s.flags = TL_TCP_ACK;
      s.seq = (s.sender == 0 ? ISN_A : ISN_B) + 1 + 1000 * (i / 2);
      s.ack = (s.sender == 0 ? ISN_B : ISN_A) + 1 + 1000 * (i / 2);
      s.len = s.sender == 0 ? 1000 : 0;
      s.retransmit = (i % 97 == 0) ? 1 : 0;
      tl_trace_builder_segment (b, &s);
    }
  return tl_trace_builder_finish (b);
}

const TlRenderSample tl_render_samples[] = {
  { "handshake-close", tl_sample_handshake_close, 9, 0 },
  /* 10 routed segments, two legs each, the held ones too. */
  { "simultaneous-open", tl_sample_simultaneous_open, 20, 4 },
  { "refused", tl_sample_refused, 2, 0 },
  { "syn-loss", tl_sample_syn_loss, 5, 2 },
  { "simultaneous-close", tl_sample_simultaneous_close, 4, 0 },
  { "burst", tl_sample_burst, 48, 0 },
};
const guint tl_render_n_samples = G_N_ELEMENTS (tl_render_samples);

/* tl-outcome.c: classifying a trace; the rules are in docs/outcomes.md. */
#include "tl-outcome.h"

#include <errno.h>

/* What one host went through, read from its STATE and CALL records. */
typedef struct
{
  gboolean syn_sent;            /* some socket entered SYN-SENT */
  gboolean crossed;             /* SYN-SENT -> SYN-RECEIVED: a SYN crossed ours */
  gboolean listened;
  gboolean closing;             /* passed CLOSING */
  gboolean fin_wait;            /* sent a FIN first (FIN-WAIT-1) */
  gboolean last_ack;
  gboolean time_wait;
  gboolean reset_after_open;    /* an established connection was reset */
  gint     conn_socket;         /* the socket that carried the connection */
  TlTcpState last_state[256];
} HostHistory;

static gboolean
is_open_state (TlTcpState s)
{
  return s == TL_STATE_ESTABLISHED || s == TL_STATE_FIN_WAIT_1 || s == TL_STATE_FIN_WAIT_2
         || s == TL_STATE_CLOSE_WAIT;
}

static void
read_state (HostHistory         *h,
            const TlTraceRecord *rec)
{
  TlTcpState from = rec->old_state, to = rec->new_state;

  h->last_state[rec->socket] = to;
  if (to == TL_STATE_SYN_SENT)
    {
      h->syn_sent = TRUE;
      h->conn_socket = rec->socket;
    }
  if (from == TL_STATE_SYN_SENT && to == TL_STATE_SYN_RECEIVED)
    h->crossed = TRUE;
  if (to == TL_STATE_LISTEN)
    h->listened = TRUE;
  if (to == TL_STATE_ESTABLISHED)
    h->conn_socket = rec->socket;
  if (to == TL_STATE_CLOSING)
    h->closing = TRUE;
  if (to == TL_STATE_FIN_WAIT_1)
    h->fin_wait = TRUE;
  if (to == TL_STATE_LAST_ACK)
    h->last_ack = TRUE;
  if (to == TL_STATE_TIME_WAIT)
    h->time_wait = TRUE;
  if (to == TL_STATE_CLOSED && is_open_state (from) && rec->cause == TL_CAUSE_SEGMENT)
    h->reset_after_open = TRUE;
}

static TlOpenOutcome
classify_open (const TlOutcome   *o,
               const HostHistory *h)
{
  gboolean both_open = o->established_at[0] != TL_TIME_NEVER
                       && o->established_at[1] != TL_TIME_NEVER;

  if (both_open && h[0].crossed && h[1].crossed)
    return TL_OPEN_SIMULTANEOUS;
  if (both_open && (h[0].listened || h[1].listened))
    return TL_OPEN_NORMAL;
  if (both_open)
    return TL_OPEN_MIXED;
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    if (o->connect_error[i] == ECONNREFUSED)
      return TL_OPEN_REFUSED;
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    if (o->connect_error[i] == ETIMEDOUT)
      return TL_OPEN_TIMED_OUT;
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    if (o->connect_error[i] == ECONNRESET)
      return TL_OPEN_RESET;
  if (h[0].syn_sent || h[1].syn_sent)
    return TL_OPEN_INCOMPLETE;
  return TL_OPEN_NONE;
}

static TlCloseOutcome
classify_close (const TlOutcome   *o,
                const HostHistory *h)
{
  if (o->established_at[0] == TL_TIME_NEVER && o->established_at[1] == TL_TIME_NEVER)
    return TL_CLOSE_NONE;
  if (h[0].reset_after_open || h[1].reset_after_open)
    return TL_CLOSE_RESET;
  if (h[0].closing && h[1].closing)
    return TL_CLOSE_SIMULTANEOUS;
  if ((h[0].time_wait && h[1].last_ack) || (h[1].time_wait && h[0].last_ack))
    {
      /* Both sides finished: the one in TIME-WAIT closed first. */
      if (o->final_state[0] != TL_STATE_LAST_ACK && o->final_state[1] != TL_STATE_LAST_ACK)
        return TL_CLOSE_NORMAL;
    }
  if (h[0].fin_wait || h[1].fin_wait || h[0].last_ack || h[1].last_ack)
    return TL_CLOSE_INCOMPLETE;
  return TL_CLOSE_NONE;
}

void
tl_outcome_classify (const TlTrace *trace,
                     TlOutcome     *o)
{
  HostHistory h[TL_MAX_HOSTS] = { 0 };

  *o = (TlOutcome) { 0 };
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      o->established_at[i] = TL_TIME_NEVER;
      o->final_state[i] = TL_STATE_CLOSED;
      h[i].conn_socket = -1;
    }

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      guint host = rec->host;

      switch ((TlRecordKind) rec->kind)
        {
        case TL_REC_SEND:
          o->n_segments++;
          if (rec->retransmit > 0)
            o->n_retransmissions++;
          if (host < TL_MAX_HOSTS)
            o->n_data_bytes[host] += rec->seg.len;
          break;
        case TL_REC_HOLD:
          o->n_held++;
          break;
        case TL_REC_DROP:
          o->n_dropped++;
          break;
        case TL_REC_STATE:
          if (host >= TL_MAX_HOSTS)
            break;
          read_state (&h[host], rec);
          if (rec->new_state == TL_STATE_ESTABLISHED && o->established_at[host] == TL_TIME_NEVER)
            o->established_at[host] = rec->time;
          break;
        case TL_REC_CALL:
          if (host < TL_MAX_HOSTS && rec->call == TL_CALL_CONNECT
              && rec->error != 0 && rec->error != EINPROGRESS)
            o->connect_error[host] = rec->error;
          break;
        case TL_REC_CALL_RESULT:
          if (host < TL_MAX_HOSTS && (rec->call == TL_CALL_CONNECT || rec->call == TL_CALL_NONE)
              && rec->error != 0 && o->connect_error[host] == 0)
            o->connect_error[host] = rec->error;
          break;
        case TL_REC_ROUTER_IN:
        case TL_REC_RELEASE:
        case TL_REC_DELIVER:
        case TL_REC_TIMER:
        case TL_REC_PAUSE:
        case TL_REC_RESUME:
        case TL_N_RECORD_KINDS:
        default:
          break;
        }
    }

  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      gint s = h[i].conn_socket;
      if (s >= 0)
        o->final_state[i] = h[i].last_state[s];
      else if (h[i].listened)
        o->final_state[i] = TL_STATE_LISTEN;
    }
  o->open = classify_open (o, h);
  o->close = classify_close (o, h);
}

const char *
tl_open_outcome_to_string (TlOpenOutcome open)
{
  static const char *const names[TL_N_OPEN_OUTCOMES] = {
    [TL_OPEN_NONE] = "no connection",
    [TL_OPEN_SIMULTANEOUS] = "simultaneous open",
    [TL_OPEN_NORMAL] = "normal open",
    [TL_OPEN_MIXED] = "half-simultaneous open",
    [TL_OPEN_REFUSED] = "connection refused",
    [TL_OPEN_TIMED_OUT] = "connection timed out",
    [TL_OPEN_RESET] = "reset during the handshake",
    [TL_OPEN_INCOMPLETE] = "handshake not finished",
  };
  return (guint) open < TL_N_OPEN_OUTCOMES ? names[open] : "?";
}

const char *
tl_open_outcome_to_id (TlOpenOutcome open)
{
  static const char *const ids[TL_N_OPEN_OUTCOMES] = {
    [TL_OPEN_NONE] = "none",
    [TL_OPEN_SIMULTANEOUS] = "simultaneous-open",
    [TL_OPEN_NORMAL] = "normal-open",
    [TL_OPEN_MIXED] = "half-simultaneous-open",
    [TL_OPEN_REFUSED] = "refused",
    [TL_OPEN_TIMED_OUT] = "timed-out",
    [TL_OPEN_RESET] = "reset",
    [TL_OPEN_INCOMPLETE] = "incomplete",
  };
  return (guint) open < TL_N_OPEN_OUTCOMES ? ids[open] : "?";
}

const char *
tl_close_outcome_to_string (TlCloseOutcome close)
{
  static const char *const names[TL_N_CLOSE_OUTCOMES] = {
    [TL_CLOSE_NONE] = "not closed",
    [TL_CLOSE_SIMULTANEOUS] = "simultaneous close",
    [TL_CLOSE_NORMAL] = "normal close",
    [TL_CLOSE_RESET] = "reset",
    [TL_CLOSE_INCOMPLETE] = "close not finished",
  };
  return (guint) close < TL_N_CLOSE_OUTCOMES ? names[close] : "?";
}

const char *
tl_close_outcome_to_id (TlCloseOutcome close)
{
  static const char *const ids[TL_N_CLOSE_OUTCOMES] = {
    [TL_CLOSE_NONE] = "none",
    [TL_CLOSE_SIMULTANEOUS] = "simultaneous-close",
    [TL_CLOSE_NORMAL] = "normal-close",
    [TL_CLOSE_RESET] = "reset",
    [TL_CLOSE_INCOMPLETE] = "incomplete",
  };
  return (guint) close < TL_N_CLOSE_OUTCOMES ? ids[close] : "?";
}

char *
tl_outcome_describe_host (const TlTrace   *trace,
                          const TlOutcome *outcome,
                          guint            host)
{
  GString *s = g_string_new (NULL);
  gboolean first = TRUE;
  gboolean open_done = FALSE;
  gint conn = -1;

  g_string_append_printf (s, "%s:", tl_trace_host_name (trace, host));
  /* Follow the connection socket: the one that reached SYN-SENT or
   * SYN-RECEIVED first (a listener's child), not the listener. */
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);

      if (rec->kind != TL_REC_STATE || rec->host != host)
        continue;
      if (conn < 0 && (rec->new_state == TL_STATE_SYN_SENT || rec->new_state == TL_STATE_SYN_RECEIVED))
        conn = rec->socket;
      if (conn < 0 || rec->socket != conn)
        continue;
      if (first)
        g_string_append_printf (s, " %s", tl_tcp_state_to_string (rec->new_state));
      else
        g_string_append_printf (s, " -> %s", tl_tcp_state_to_string (rec->new_state));
      first = FALSE;
      if (rec->new_state == TL_STATE_ESTABLISHED && !open_done)
        {
          g_autofree char *t = tl_time_format (rec->time, 3);
          g_string_append_printf (s, " at %s (%s)", t, tl_open_outcome_to_string (outcome->open));
          open_done = TRUE;
        }
    }
  if (first)
    g_string_append_printf (s, " %s", tl_tcp_state_to_string (outcome->final_state[host]));
  /* After the handshake the error is the connection's, not connect()'s. */
  if (outcome->connect_error[host] != 0)
    g_string_append_printf (s, "; %s failed with %s",
                            outcome->established_at[host] != TL_TIME_NEVER
                            ? "the connection" : "connect()",
                            tl_errno_to_string (outcome->connect_error[host]));
  return g_string_free (s, FALSE);
}

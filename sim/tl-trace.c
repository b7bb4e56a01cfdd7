/* tl-trace.c: the trace container and its vocabulary. */
#include "tl-trace.h"

#include <errno.h>
#include <string.h>

TlTrace *
tl_trace_new (void)
{
  TlTrace *trace = g_new0 (TlTrace, 1);

  trace->ref_count = 1;
  trace->records = g_array_sized_new (FALSE, FALSE, sizeof (TlTraceRecord), 128);
  trace->pauses = g_array_new (FALSE, FALSE, sizeof (TlTraceWindow));
  trace->bytes = g_byte_array_new ();
  return trace;
}

TlTrace *
tl_trace_ref (TlTrace *trace)
{
  g_return_val_if_fail (trace != NULL, NULL);
  g_atomic_int_inc (&trace->ref_count);
  return trace;
}

static void
clear_metadata (TlTrace *trace)
{
  g_clear_pointer (&trace->title, g_free);
  g_clear_pointer (&trace->caption, g_free);
  g_clear_pointer (&trace->profile, g_free);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      g_clear_pointer (&trace->hosts[i].name, g_free);
      trace->hosts[i].addr = 0;
      trace->hosts[i].port = 0;
    }
}

void
tl_trace_unref (TlTrace *trace)
{
  if (trace == NULL || !g_atomic_int_dec_and_test (&trace->ref_count))
    return;
  clear_metadata (trace);
  g_array_unref (trace->records);
  g_array_unref (trace->pauses);
  g_byte_array_unref (trace->bytes);
  g_free (trace);
}

void
tl_trace_clear (TlTrace *trace)
{
  clear_metadata (trace);
  g_array_set_size (trace->records, 0);
  g_array_set_size (trace->pauses, 0);
  g_byte_array_set_size (trace->bytes, 0);
  trace->n_packets = 0;
  trace->has_router = FALSE;
  trace->truncated = FALSE;
  trace->end_time = 0;
  trace->source = TL_TRACE_SIMULATION;
}

TlTraceRecord *
tl_trace_append (TlTrace      *trace,
                 TlRecordKind  kind,
                 TlTime        time,
                 guint         host)
{
  GArray *records = trace->records;
  TlTraceRecord *rec;

  g_array_set_size (records, records->len + 1);
  rec = &g_array_index (records, TlTraceRecord, records->len - 1);
  memset (rec, 0, sizeof *rec);
  rec->time = time;
  rec->kind = (guint8) kind;
  rec->host = (guint8) host;
  return rec;
}

guint32
tl_trace_new_packet (TlTrace *trace)
{
  return ++trace->n_packets;
}

guint32
tl_trace_store_bytes (TlTrace      *trace,
                      const guint8 *data,
                      gsize         length)
{
  guint32 offset = trace->bytes->len;

  if (data != NULL)
    g_byte_array_append (trace->bytes, data, (guint) length);
  else
    {
      g_byte_array_set_size (trace->bytes, offset + (guint) length);
      memset (trace->bytes->data + offset, 0, length);
    }
  return offset;
}

const guint8 *
tl_trace_get_payload (const TlTrace   *trace,
                      const TlSegment *seg)
{
  if (seg->len == 0 || (gsize) seg->payload_off + seg->len > trace->bytes->len)
    return NULL;
  return trace->bytes->data + seg->payload_off;
}

static const char *const state_names[TL_N_STATES] = {
  [TL_STATE_NONE] = "NONE",
  [TL_STATE_CLOSED] = "CLOSED",
  [TL_STATE_LISTEN] = "LISTEN",
  [TL_STATE_SYN_SENT] = "SYN-SENT",
  [TL_STATE_SYN_RECEIVED] = "SYN-RECEIVED",
  [TL_STATE_ESTABLISHED] = "ESTABLISHED",
  [TL_STATE_FIN_WAIT_1] = "FIN-WAIT-1",
  [TL_STATE_FIN_WAIT_2] = "FIN-WAIT-2",
  [TL_STATE_CLOSE_WAIT] = "CLOSE-WAIT",
  [TL_STATE_CLOSING] = "CLOSING",
  [TL_STATE_LAST_ACK] = "LAST-ACK",
  [TL_STATE_TIME_WAIT] = "TIME-WAIT",
};

const char *
tl_tcp_state_to_string (TlTcpState state)
{
  return (guint) state < TL_N_STATES ? state_names[state] : "?";
}

gboolean
tl_tcp_state_from_string (const char *text,
                          TlTcpState *out)
{
  for (guint i = 0; i < TL_N_STATES; i++)
    {
      /* Accept "SYN-SENT", "SYN_SENT" and "syn-sent". */
      const char *a = state_names[i], *b = text;
      while (*a && *b && (g_ascii_toupper (*b) == *a || (*a == '-' && *b == '_')))
        a++, b++;
      if (*a == '\0' && *b == '\0')
        {
          *out = (TlTcpState) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
tl_record_kind_to_string (TlRecordKind kind)
{
  static const char *const names[TL_N_RECORD_KINDS] = {
    [TL_REC_SEND] = "send",
    [TL_REC_ROUTER_IN] = "router-in",
    [TL_REC_HOLD] = "hold",
    [TL_REC_RELEASE] = "release",
    [TL_REC_DELIVER] = "deliver",
    [TL_REC_DROP] = "drop",
    [TL_REC_CALL] = "call",
    [TL_REC_CALL_RESULT] = "call-result",
    [TL_REC_STATE] = "state",
    [TL_REC_TIMER] = "timer",
    [TL_REC_PAUSE] = "pause",
    [TL_REC_RESUME] = "resume",
  };
  return (guint) kind < TL_N_RECORD_KINDS ? names[kind] : "?";
}

const char *
tl_call_to_string (TlCallKind call)
{
  static const char *const names[TL_N_CALLS] = {
    [TL_CALL_NONE] = "none",
    [TL_CALL_SETSOCKOPT] = "setsockopt",
    [TL_CALL_BIND] = "bind",
    [TL_CALL_LISTEN] = "listen",
    [TL_CALL_CONNECT] = "connect",
    [TL_CALL_ACCEPT] = "accept",
    [TL_CALL_SEND] = "send",
    [TL_CALL_SHUTDOWN] = "shutdown",
    [TL_CALL_CLOSE] = "close",
    [TL_CALL_ABORT] = "abort",
    [TL_CALL_READ] = "read",
  };
  return (guint) call < TL_N_CALLS ? names[call] : "?";
}

const char *
tl_timer_to_string (TlTimerKind timer)
{
  static const char *const names[TL_N_TIMERS] = {
    [TL_TIMER_NONE] = "none",
    [TL_TIMER_RETRANSMIT] = "retransmit",
    [TL_TIMER_DELAYED_ACK] = "delayed-ack",
    [TL_TIMER_TIME_WAIT] = "time-wait",
    [TL_TIMER_PERSIST] = "persist",
    [TL_TIMER_USER] = "user-timeout",
  };
  return (guint) timer < TL_N_TIMERS ? names[timer] : "?";
}

const char *
tl_drop_reason_to_string (TlDropReason reason)
{
  switch (reason)
    {
    case TL_DROP_NONE: return "none";
    case TL_DROP_LOSS: return "loss";
    case TL_DROP_QUEUE_FULL: return "queue-full";
    case TL_DROP_NO_ROUTE: return "no-route";
    case TL_DROP_END: return "end-of-run";
    default: return "?";
    }
}

const char *
tl_errno_to_string (gint error)
{
  switch (error)
    {
    case 0: return "OK";
    case ECONNREFUSED: return "ECONNREFUSED";
    case ETIMEDOUT: return "ETIMEDOUT";
    case ECONNRESET: return "ECONNRESET";
    case EPIPE: return "EPIPE";
    case ENOTCONN: return "ENOTCONN";
    case EISCONN: return "EISCONN";
    case EADDRINUSE: return "EADDRINUSE";
    case EINVAL: return "EINVAL";
    case EINPROGRESS: return "EINPROGRESS";
    case EALREADY: return "EALREADY";
    case EBADF: return "EBADF";
    case EHOSTUNREACH: return "EHOSTUNREACH";
    case ECONNABORTED: return "ECONNABORTED";
    default: return "EUNKNOWN";
    }
}

const char *
tl_trace_host_name (const TlTrace *trace,
                    guint          host)
{
  if (host == TL_HOST_ROUTER)
    return "router";
  if (host < TL_MAX_HOSTS && trace->hosts[host].name != NULL)
    return trace->hosts[host].name;
  return host == TL_HOST_A ? "A" : "B";
}

/* tl-trace-builder.c: hand-made traces. */
#include "tl-trace-builder.h"

#include <string.h>

struct _TlTraceBuilder
{
  TlTrace    *trace;
  TlTcpState  states[TL_MAX_HOSTS][8];
  TlTime      end;
};

TlTraceBuilder *
tl_trace_builder_new (const char *title,
                      const char *caption,
                      gboolean    has_router)
{
  TlTraceBuilder *b = g_new0 (TlTraceBuilder, 1);
  TlTrace *t = tl_trace_new ();

  t->source = TL_TRACE_SIMULATION;
  t->title = g_strdup (title);
  t->caption = g_strdup (caption);
  t->profile = g_strdup ("linux");
  t->has_router = has_router;
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      t->hosts[h].name = g_strdup (h == TL_HOST_A ? "A" : "B");
      t->hosts[h].addr = 0x0a000001 + h;   /* 10.0.0.1, 10.0.0.2 */
      t->hosts[h].port = 40000;
    }
  b->trace = t;
  b->end = -1;
  return b;
}

void
tl_trace_builder_free (TlTraceBuilder *builder)
{
  if (builder == NULL)
    return;
  tl_trace_unref (builder->trace);
  g_free (builder);
}

static TlTraceRecord *
append (TlTraceBuilder *b,
        TlRecordKind    kind,
        TlTime          time,
        guint           host)
{
  return tl_trace_append (b->trace, kind, time, host);
}

guint32
tl_trace_builder_segment (TlTraceBuilder         *b,
                          const TlBuilderSegment *s)
{
  TlTrace *t = b->trace;
  guint receiver = s->sender == TL_HOST_A ? TL_HOST_B : TL_HOST_A;
  guint32 id = tl_trace_new_packet (t);
  TlSegment seg = { 0 };
  TlTraceRecord *rec;
  gboolean routed = t->has_router && !(s->drop != TL_DROP_NONE && s->drop_host != TL_HOST_ROUTER
                                       && s->router_in == 0 && !s->held);
  TlTime router_in = s->router_in != 0 ? s->router_in : s->send + (s->arrive - s->send) / 2;

  seg.src_addr = t->hosts[s->sender].addr;
  seg.dst_addr = t->hosts[receiver].addr;
  seg.src_port = t->hosts[s->sender].port;
  seg.dst_port = t->hosts[receiver].port;
  seg.seq = s->seq;
  seg.ack = s->ack;
  seg.flags = s->flags;
  seg.window = (s->flags & TL_TCP_SYN) ? 64240 : 502;
  seg.len = s->len;
  if (s->len > 0)
    seg.payload_off = tl_trace_store_bytes (t, NULL, s->len);
  if (s->syn_options)
    {
      seg.opts.present = TL_OPT_MSS | TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE;
      seg.opts.layout = TL_OPT_LAYOUT_LINUX;
      seg.opts.mss = 1460;
      seg.opts.wscale = 7;
      seg.opts.tsval = (guint32) (s->send / TL_MSEC (1)) + 1000;
    }

  rec = append (b, TL_REC_SEND, s->send, s->sender);
  rec->packet = id;
  rec->retransmit = s->retransmit;
  rec->seg = seg;

  if (routed)
    {
      rec = append (b, TL_REC_ROUTER_IN, router_in, TL_HOST_ROUTER);
      rec->packet = id;
      rec->seg = seg;
      if (s->held)
        {
          rec = append (b, TL_REC_HOLD, router_in, TL_HOST_ROUTER);
          rec->packet = id;
          rec->seg = seg;
          if (s->release > 0)
            {
              rec = append (b, TL_REC_RELEASE, s->release, TL_HOST_ROUTER);
              rec->packet = id;
              rec->seg = seg;
            }
          else
            return id;
        }
    }

  if (s->drop != TL_DROP_NONE)
    {
      rec = append (b, TL_REC_DROP, s->arrive, s->drop_host);
      rec->drop_reason = (guint8) s->drop;
    }
  else
    rec = append (b, TL_REC_DELIVER, s->arrive, receiver);
  rec->packet = id;
  rec->seg = seg;
  return id;
}

void
tl_trace_builder_state (TlTraceBuilder *b,
                        guint           host,
                        guint           socket,
                        TlTime          time,
                        TlTcpState      state)
{
  TlTraceRecord *rec = append (b, TL_REC_STATE, time, host);

  socket = MIN (socket, 7);
  rec->socket = (guint8) socket;
  rec->old_state = (guint8) b->states[host][socket];
  rec->new_state = (guint8) state;
  b->states[host][socket] = state;
}

void
tl_trace_builder_call (TlTraceBuilder *b,
                       guint           host,
                       TlTime          time,
                       TlCallKind      call,
                       gint64          arg,
                       gint            error)
{
  TlTraceRecord *rec = append (b, TL_REC_CALL, time, host);

  rec->call = (guint8) call;
  rec->error = error;
  rec->arg = arg;
}

void
tl_trace_builder_result (TlTraceBuilder *b,
                         guint           host,
                         TlTime          time,
                         TlCallKind      call,
                         gint            error)
{
  TlTraceRecord *rec = append (b, TL_REC_CALL_RESULT, time, host);

  rec->call = (guint8) call;
  rec->error = error;
}

void
tl_trace_builder_timer (TlTraceBuilder *b,
                        guint           host,
                        TlTime          time,
                        TlTimerKind     timer)
{
  append (b, TL_REC_TIMER, time, host)->timer = (guint8) timer;
}

void
tl_trace_builder_pause (TlTraceBuilder *b,
                        TlTime          start,
                        TlTime          end)
{
  TlTraceWindow w = { start, end };

  g_array_append_val (b->trace->pauses, w);
  append (b, TL_REC_PAUSE, start, TL_HOST_ROUTER);
  append (b, TL_REC_RESUME, end, TL_HOST_ROUTER);
}

void
tl_trace_builder_set_end (TlTraceBuilder *b,
                          TlTime          end)
{
  b->end = end;
}

static gint
compare_records (gconstpointer a,
                 gconstpointer b)
{
  const TlTraceRecord *x = a, *y = b;

  return x->time < y->time ? -1 : x->time > y->time;
}

TlTrace *
tl_trace_builder_finish (TlTraceBuilder *b)
{
  TlTrace *t = b->trace;
  guint n = tl_trace_get_n_records (t);

  /* g_array_sort is stable (GLib >= 2.32): equal times keep their order. */
  g_array_sort (t->records, compare_records);
  t->end_time = b->end >= 0 ? b->end : (n > 0 ? tl_trace_get_record (t, n - 1)->time : 0);
  b->trace = NULL;
  g_free (b);
  return t;
}

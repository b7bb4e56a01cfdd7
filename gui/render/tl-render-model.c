/* tl-render-model.c: regroup a trace's records into packets, spans, marks. */
#include "tl-render-model-private.h"

#include <errno.h>
#include <string.h>

static TlRenderPacket *
packet_for (TlRenderModel *model,
            GHashTable    *by_id,
            guint32        id,
            TlTime         time)
{
  gpointer slot = g_hash_table_lookup (by_id, GUINT_TO_POINTER (id));
  TlRenderPacket packet;

  if (slot != NULL)
    return &g_array_index (model->packets, TlRenderPacket, GPOINTER_TO_UINT (slot) - 1);

  memset (&packet, 0, sizeof packet);
  packet.packet = id;
  packet.sender = TL_HOST_A;
  packet.receiver = TL_HOST_B;
  packet.end = TL_PACKET_IN_FLIGHT;
  packet.rec_send = packet.rec_router_in = packet.rec_hold = TL_RENDER_NONE_INDEX;
  packet.rec_release = packet.rec_end = TL_RENDER_NONE_INDEX;
  packet.t_send = time;
  g_array_append_val (model->packets, packet);
  g_hash_table_insert (by_id, GUINT_TO_POINTER (id), GUINT_TO_POINTER (model->packets->len));
  return &g_array_index (model->packets, TlRenderPacket, model->packets->len - 1);
}

/* Which host a segment was addressed to, when no DELIVER says it. */
static guint8
receiver_by_address (const TlTrace   *trace,
                     const TlSegment *seg,
                     guint8           sender)
{
  if (trace->hosts[0].addr != trace->hosts[1].addr)
    for (guint8 h = 0; h < TL_MAX_HOSTS; h++)
      if (trace->hosts[h].addr != 0 && trace->hosts[h].addr == seg->dst_addr
          && (trace->hosts[h].port == 0 || trace->hosts[h].port == seg->dst_port))
        return h;
  return sender == TL_HOST_A ? TL_HOST_B : TL_HOST_A;
}

static void
add_packet_record (TlRenderModel       *model,
                   GHashTable          *by_id,
                   const TlTraceRecord *rec,
                   guint                index)
{
  TlRenderPacket *p = packet_for (model, by_id, rec->packet, rec->time);

  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEND:
      if (p->rec_send != TL_RENDER_NONE_INDEX)
        return;  /* a second SEND of one id: keep the first */
      p->rec_send = index;
      p->t_send = rec->time;
      p->sender = rec->host < TL_MAX_HOSTS ? rec->host : TL_HOST_A;
      p->retransmit = rec->retransmit;
      if (rec->retransmit > 0)
        model->any_retransmit = TRUE;
      break;
    case TL_REC_ROUTER_IN:
      p->rec_router_in = index;
      p->t_router_in = rec->time;
      break;
    case TL_REC_HOLD:
      p->rec_hold = index;
      p->t_hold = rec->time;
      model->any_hold = TRUE;
      break;
    case TL_REC_RELEASE:
      p->rec_release = index;
      p->t_release = rec->time;
      break;
    case TL_REC_DELIVER:
      p->rec_end = index;
      p->t_end = rec->time;
      p->end = TL_PACKET_DELIVERED;
      if (rec->host < TL_MAX_HOSTS)
        p->receiver = rec->host;
      break;
    case TL_REC_DROP:
      p->rec_end = index;
      p->t_end = rec->time;
      p->drop_host = rec->host;
      p->drop_reason = rec->drop_reason;
      /* Still on the wire when the run stopped is not a loss. */
      p->end = rec->drop_reason == TL_DROP_END ? TL_PACKET_IN_FLIGHT : TL_PACKET_DROPPED;
      if (p->end == TL_PACKET_DROPPED)
        model->any_drop = TRUE;
      break;
    case TL_REC_CALL:
    case TL_REC_CALL_RESULT:
    case TL_REC_STATE:
    case TL_REC_TIMER:
    case TL_REC_PAUSE:
    case TL_REC_RESUME:
    case TL_N_RECORD_KINDS:
    default:
      break;
    }
}

static const char *
timer_mark_text (TlTimerKind timer)
{
  switch (timer)
    {
    case TL_TIMER_RETRANSMIT: return "RTO";
    case TL_TIMER_DELAYED_ACK: return "delayed ACK";
    case TL_TIMER_TIME_WAIT: return "TIME-WAIT over";
    case TL_TIMER_PERSIST: return "persist";
    case TL_TIMER_USER: return "gave up";
    case TL_TIMER_NONE:
    case TL_N_TIMERS:
    default: return "timer";
    }
}

static char *
call_mark_text (const TlTraceRecord *rec)
{
  const char *name = tl_call_to_string ((TlCallKind) rec->call);
  GString *s = g_string_new (name);

  /* An error the connection met by itself (a reset), no call's. */
  if (rec->call == TL_CALL_NONE)
    {
      g_string_assign (s, "error");
      g_string_append_printf (s, " \342\206\222 %s", tl_errno_to_string (rec->error));
      return g_string_free (s, FALSE);
    }
  switch ((TlCallKind) rec->call)
    {
    case TL_CALL_SHUTDOWN:
      g_string_append (s, rec->arg == 0 ? "(RD)" : rec->arg == 1 ? "(WR)" : "(RDWR)");
      break;
    case TL_CALL_SEND:
      g_string_append_printf (s, "(%" G_GINT64_FORMAT " B)", rec->arg);
      break;
    case TL_CALL_READ:
      if (rec->arg == TL_READ_ARG_OFF)
        g_string_append (s, " off");
      else if (rec->arg == TL_READ_ARG_ON)
        g_string_append (s, " on");
      else
        g_string_append_printf (s, "() = %" G_GINT64_FORMAT " B", rec->arg);
      break;
    case TL_CALL_NONE:
    case TL_CALL_SETSOCKOPT:
    case TL_CALL_BIND:
    case TL_CALL_LISTEN:
    case TL_CALL_CONNECT:
    case TL_CALL_ACCEPT:
    case TL_CALL_CLOSE:
    case TL_CALL_ABORT:
    case TL_N_CALLS:
    default:
      g_string_append (s, "()");
      break;
    }
  /* A non-blocking connect() says EINPROGRESS every time; its result
   * comes later. */
  if (rec->kind == TL_REC_CALL_RESULT || (rec->error != 0 && rec->error != EINPROGRESS))
    g_string_append_printf (s, " \342\206\222 %s", tl_errno_to_string (rec->error));
  return g_string_free (s, FALSE);
}

static void
add_mark (TlRenderModel       *model,
          const TlTraceRecord *rec,
          guint                index)
{
  TlRenderMark mark = { 0 };

  if (rec->host >= TL_MAX_HOSTS)
    return;
  mark.host = rec->host;
  mark.record = index;
  mark.time = rec->time;
  if (rec->kind == TL_REC_TIMER)
    {
      mark.kind = TL_MARK_TIMER;
      mark.text = g_strdup (timer_mark_text ((TlTimerKind) rec->timer));
      mark.is_error = rec->timer == TL_TIMER_USER;
    }
  else
    {
      mark.kind = rec->kind == TL_REC_CALL ? TL_MARK_CALL : TL_MARK_RESULT;
      mark.text = call_mark_text (rec);
      /* A non-blocking connect() returning EINPROGRESS is not a failure. */
      mark.is_error = rec->error != 0 && rec->error != EINPROGRESS;
    }
  g_array_append_val (model->marks, mark);
}

static void
add_state (TlRenderModel       *model,
           GArray              *open_spans,
           const TlTraceRecord *rec,
           guint                index)
{
  guint socket = MIN (rec->socket, TL_RENDER_MAX_SOCKETS - 1);
  guint slot = rec->host * TL_RENDER_MAX_SOCKETS + socket;
  guint *open = &g_array_index (open_spans, guint, slot);
  TlRenderSpan span = { 0 };

  if (rec->host >= TL_MAX_HOSTS)
    return;
  if (*open != TL_RENDER_NONE_INDEX)
    g_array_index (model->spans, TlRenderSpan, *open).t1 = rec->time;
  *open = TL_RENDER_NONE_INDEX;
  model->n_sockets[rec->host] = MAX (model->n_sockets[rec->host], socket + 1);
  if (rec->new_state == TL_STATE_NONE || rec->new_state >= TL_N_STATES)
    return;
  span.host = rec->host;
  span.socket = (guint8) socket;
  span.state = rec->new_state;
  span.inferred = rec->inferred != 0;
  span.record = index;
  span.t0 = span.t1 = rec->time;
  if (span.inferred)
    model->any_inferred = TRUE;
  g_array_append_val (model->spans, span);
  *open = model->spans->len - 1;
}

static gint
compare_spans (gconstpointer a,
               gconstpointer b)
{
  const TlRenderSpan *x = a, *y = b;

  if (x->host != y->host)
    return x->host < y->host ? -1 : 1;
  if (x->socket != y->socket)
    return x->socket < y->socket ? -1 : 1;
  return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

static void
find_listeners (TlRenderModel *model)
{
  gboolean listens[TL_MAX_HOSTS][TL_RENDER_MAX_SOCKETS] = { { FALSE } };
  gboolean other[TL_MAX_HOSTS][TL_RENDER_MAX_SOCKETS] = { { FALSE } };

  for (guint i = 0; i < model->spans->len; i++)
    {
      const TlRenderSpan *s = &g_array_index (model->spans, TlRenderSpan, i);
      if (s->state == TL_STATE_LISTEN)
        listens[s->host][s->socket] = TRUE;
      else if (s->state != TL_STATE_CLOSED)
        other[s->host][s->socket] = TRUE;
    }
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    for (guint s = 0; s < TL_RENDER_MAX_SOCKETS; s++)
      model->listener[h][s] = listens[h][s] && !other[h][s] && model->n_sockets[h] > 1;
}

static void
find_isns (TlRenderModel *model)
{
  gboolean from_syn[TL_MAX_HOSTS] = { FALSE, FALSE };

  for (guint i = 0; i < model->packets->len; i++)
    {
      const TlRenderPacket *p = &g_array_index (model->packets, TlRenderPacket, i);
      const TlSegment *seg = tl_render_model_segment (model, p);
      guint s = p->sender;

      if (seg == NULL || s >= TL_MAX_HOSTS || from_syn[s])
        continue;
      if (seg->flags & TL_TCP_SYN)
        {
          model->isn[s] = seg->seq;
          model->has_isn[s] = from_syn[s] = TRUE;
        }
      else if (!model->has_isn[s] && !(seg->flags & TL_TCP_RST))
        {
          /* A capture that starts mid-connection: count from what we see. */
          model->isn[s] = seg->seq;
          model->has_isn[s] = TRUE;
        }
    }
}

static gint
compare_times (gconstpointer a,
               gconstpointer b)
{
  TlTime x = *(const TlTime *) a, y = *(const TlTime *) b;
  return x < y ? -1 : x > y;
}

/* The median one-way link time of delivered segments: drops and segments
 * still in flight are drawn as if they travelled that long. */
static void
find_typical_flight (TlRenderModel *model)
{
  g_autoptr (GArray) flights = g_array_new (FALSE, FALSE, sizeof (TlTime));

  for (guint i = 0; i < model->packets->len; i++)
    {
      const TlRenderPacket *p = &g_array_index (model->packets, TlRenderPacket, i);
      TlTime link;

      if (p->end != TL_PACKET_DELIVERED || p->rec_send == TL_RENDER_NONE_INDEX)
        continue;
      link = p->t_end - p->t_send;
      if (p->rec_release != TL_RENDER_NONE_INDEX && p->rec_router_in != TL_RENDER_NONE_INDEX)
        link -= p->t_release - p->t_router_in;
      if (link > 0)
        g_array_append_val (flights, link);
    }
  if (flights->len == 0)
    {
      /* Nothing arrived (a link that loses everything): a loss on a link
       * is recorded halfway, so twice that is a flight. */
      for (guint i = 0; i < model->packets->len; i++)
        {
          const TlRenderPacket *p = &g_array_index (model->packets, TlRenderPacket, i);
          TlTime link = 2 * (p->t_end - p->t_send);
          if (p->end == TL_PACKET_DROPPED && p->drop_host != TL_HOST_ROUTER && link > 0
              && p->rec_router_in == TL_RENDER_NONE_INDEX)
            g_array_append_val (flights, link);
        }
    }
  if (flights->len > 0)
    {
      g_array_sort (flights, compare_times);
      model->typical_flight = g_array_index (flights, TlTime, flights->len / 2);
    }
  else
    model->typical_flight = MAX ((model->t_last - model->t_first) / 20, TL_USEC (1));
}

TlRenderModel *
tl_render_model_new (const TlTrace *trace)
{
  TlRenderModel *model = g_new0 (TlRenderModel, 1);
  g_autoptr (GHashTable) by_id = g_hash_table_new (NULL, NULL);
  g_autoptr (GArray) open_spans = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n = tl_trace_get_n_records (trace);

  model->trace = trace;
  model->packets = g_array_new (FALSE, FALSE, sizeof (TlRenderPacket));
  model->spans = g_array_new (FALSE, FALSE, sizeof (TlRenderSpan));
  model->marks = g_array_new (FALSE, FALSE, sizeof (TlRenderMark));
  g_array_set_size (open_spans, TL_MAX_HOSTS * TL_RENDER_MAX_SOCKETS);
  for (guint i = 0; i < open_spans->len; i++)
    g_array_index (open_spans, guint, i) = TL_RENDER_NONE_INDEX;

  for (guint i = 0; i < n; i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);

      switch ((TlRecordKind) rec->kind)
        {
        case TL_REC_SEND:
        case TL_REC_ROUTER_IN:
        case TL_REC_HOLD:
        case TL_REC_RELEASE:
        case TL_REC_DELIVER:
        case TL_REC_DROP:
          if (rec->packet != 0)
            add_packet_record (model, by_id, rec, i);
          break;
        case TL_REC_CALL:
        case TL_REC_CALL_RESULT:
        case TL_REC_TIMER:
          add_mark (model, rec, i);
          break;
        case TL_REC_STATE:
          add_state (model, open_spans, rec, i);
          break;
        case TL_REC_PAUSE:
        case TL_REC_RESUME:
        case TL_N_RECORD_KINDS:
        default:
          break;
        }
    }

  model->t_first = n > 0 ? tl_trace_get_record (trace, 0)->time : 0;
  model->t_last = n > 0 ? tl_trace_get_record (trace, n - 1)->time : 0;
  /* A simulation starts at 0 even if the first call comes later. */
  if (trace->source == TL_TRACE_SIMULATION && model->t_first > 0)
    model->t_first = 0;
  model->t_last = MAX (model->t_last, trace->end_time);
  for (guint i = 0; i < trace->pauses->len; i++)
    {
      const TlTraceWindow *w = &g_array_index (trace->pauses, TlTraceWindow, i);
      if (n > 0)
        model->t_first = MIN (model->t_first, w->start);
      model->t_last = MAX (model->t_last, w->end);
    }

  /* Spans still open run to the end of the trace. */
  for (guint i = 0; i < open_spans->len; i++)
    {
      guint open = g_array_index (open_spans, guint, i);
      if (open != TL_RENDER_NONE_INDEX)
        g_array_index (model->spans, TlRenderSpan, open).t1 = model->t_last;
    }
  g_array_sort (model->spans, compare_spans);

  /* Fill in what the trace left out: who a packet was for, when sent. */
  for (guint i = 0; i < model->packets->len; i++)
    {
      TlRenderPacket *p = &g_array_index (model->packets, TlRenderPacket, i);
      const TlSegment *seg = tl_render_model_segment (model, p);

      if (p->rec_send == TL_RENDER_NONE_INDEX && p->end == TL_PACKET_DELIVERED)
        p->sender = p->receiver == TL_HOST_A ? TL_HOST_B : TL_HOST_A;
      if (p->end != TL_PACKET_DELIVERED && seg != NULL)
        p->receiver = receiver_by_address (trace, seg, p->sender);
      if (p->receiver == p->sender)
        p->receiver = p->sender == TL_HOST_A ? TL_HOST_B : TL_HOST_A;
    }

  find_listeners (model);
  find_isns (model);
  find_typical_flight (model);
  return model;
}

void
tl_render_model_free (TlRenderModel *model)
{
  if (model == NULL)
    return;
  for (guint i = 0; i < model->marks->len; i++)
    g_free (g_array_index (model->marks, TlRenderMark, i).text);
  g_array_unref (model->packets);
  g_array_unref (model->spans);
  g_array_unref (model->marks);
  g_free (model);
}

const TlSegment *
tl_render_model_segment (const TlRenderModel  *model,
                         const TlRenderPacket *packet)
{
  guint index = packet->rec_send;

  if (index == TL_RENDER_NONE_INDEX)
    index = packet->rec_router_in != TL_RENDER_NONE_INDEX ? packet->rec_router_in : packet->rec_end;
  if (index == TL_RENDER_NONE_INDEX)
    return NULL;
  return &tl_trace_get_record (model->trace, index)->seg;
}

guint32
tl_render_model_seq (const TlRenderModel *model,
                     guint                sender,
                     guint32              seq,
                     TlSeqMode            mode)
{
  if (mode == TL_SEQ_ABSOLUTE || sender >= TL_MAX_HOSTS || !model->has_isn[sender])
    return seq;
  return seq - model->isn[sender];
}

guint32
tl_render_model_ack (const TlRenderModel *model,
                     guint                sender,
                     guint32              ack,
                     TlSeqMode            mode)
{
  guint peer = sender == TL_HOST_A ? TL_HOST_B : TL_HOST_A;

  if (mode == TL_SEQ_ABSOLUTE || sender >= TL_MAX_HOSTS || !model->has_isn[peer])
    return ack;
  return ack - model->isn[peer];
}

void
tl_render_model_label (const TlRenderModel  *model,
                       const TlRenderPacket *packet,
                       TlLabelDetail         detail,
                       TlSeqMode             mode,
                       gboolean              show_options,
                       GString              *line1,
                       GString              *line2)
{
  const TlSegment *seg = tl_render_model_segment (model, packet);

  g_string_truncate (line1, 0);
  g_string_truncate (line2, 0);
  if (seg == NULL)
    return;
  if (packet->retransmit > 0)
    g_string_append_printf (line1, detail == TL_LABELS_NONE ? "#%u" : "#%u ", packet->retransmit);
  if (detail == TL_LABELS_NONE)
    return;  /* bare arrows, but a retransmission keeps its number */
  tl_tcp_flags_format (seg->flags, line1);
  if (detail == TL_LABELS_FULL)
    {
      g_string_append_printf (line1, " seq=%u",
                              tl_render_model_seq (model, packet->sender, seg->seq, mode));
      if (seg->flags & TL_TCP_ACK)
        g_string_append_printf (line1, " ack=%u",
                                tl_render_model_ack (model, packet->sender, seg->ack, mode));
      if (seg->len > 0)
        g_string_append_printf (line1, " len=%u", seg->len);
    }
  if (show_options && seg->opts.present != 0)
    {
      g_string_append_c (line2, '<');
      tl_tcp_options_format (&seg->opts, line2);
      g_string_append_c (line2, '>');
    }
}

void
tl_render_host_address (const TlTrace *trace,
                        guint          host,
                        GString       *out)
{
  guint32 a;

  if (host >= TL_MAX_HOSTS || trace->hosts[host].addr == 0)
    return;
  a = trace->hosts[host].addr;
  g_string_append_printf (out, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
  if (trace->hosts[host].port != 0)
    g_string_append_printf (out, ":%u", trace->hosts[host].port);
}

const char *
tl_render_state_short_name (TlTcpState state)
{
  switch (state)
    {
    case TL_STATE_CLOSED: return "CLOSED";
    case TL_STATE_LISTEN: return "LISTEN";
    case TL_STATE_SYN_SENT: return "SYN-SENT";
    case TL_STATE_SYN_RECEIVED: return "SYN-RCVD";
    case TL_STATE_ESTABLISHED: return "ESTAB";
    case TL_STATE_FIN_WAIT_1: return "FIN-W1";
    case TL_STATE_FIN_WAIT_2: return "FIN-W2";
    case TL_STATE_CLOSE_WAIT: return "CL-WAIT";
    case TL_STATE_CLOSING: return "CLOSING";
    case TL_STATE_LAST_ACK: return "LAST-ACK";
    case TL_STATE_TIME_WAIT: return "TIME-W";
    case TL_STATE_NONE:
    case TL_N_STATES:
    default: return "";
    }
}

TlTime
tl_render_model_typical_flight (const TlRenderModel *model)
{
  return model->typical_flight;
}

static void
add_flight (GArray *flights,
            TlTime  t0,
            TlTime  t1)
{
  TlRenderInterval iv = { t0, t1 };

  if (t1 > t0)
    g_array_append_val (flights, iv);
}

void
tl_render_model_collect_times (const TlRenderModel *model,
                               TlTime               from,
                               TlTime               to,
                               GArray              *times,
                               GArray              *flights)
{
  const TlTrace *trace = model->trace;
  guint n = tl_trace_get_n_records (trace);

  for (guint i = 0; i < n; i++)
    {
      TlTime t = tl_trace_get_record (trace, i)->time;
      if (t >= from && t <= to)
        g_array_append_val (times, t);
    }
  for (guint i = 0; i < trace->pauses->len; i++)
    {
      const TlTraceWindow *w = &g_array_index (trace->pauses, TlTraceWindow, i);
      if (w->start >= from && w->start <= to)
        g_array_append_val (times, w->start);
      if (w->end >= from && w->end <= to)
        g_array_append_val (times, w->end);
    }

  for (guint i = 0; i < model->packets->len; i++)
    {
      const TlRenderPacket *p = &g_array_index (model->packets, TlRenderPacket, i);
      TlTime out;

      if (p->end != TL_PACKET_DELIVERED)
        {
          /* Drawn to the drop, or along the typical slope: keep that
           * stretch linear too. */
          add_flight (flights, p->t_send, MAX (p->t_end, p->t_send + model->typical_flight / 2));
          continue;
        }
      if (p->rec_router_in == TL_RENDER_NONE_INDEX)
        {
          add_flight (flights, p->t_send, p->t_end);
          continue;
        }
      add_flight (flights, p->t_send, p->t_router_in);
      out = p->rec_release != TL_RENDER_NONE_INDEX ? p->t_release : p->t_router_in;
      add_flight (flights, out, p->t_end);
    }
}

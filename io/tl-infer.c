/* tl-infer.c: a per-host RFC 9293 state machine driven by observed segments.
 *
 * It only knows what the wire shows, so it follows the segment processing
 * order of RFC 9293 section 3.10.7 in broad strokes: RST, then SYN, then
 * the ACK field, then FIN.  Two things a capture cannot show are guessed
 * by looking ahead at the host's next segment: whether a host that gets a
 * SYN was listening (it answers SYN,ACK) or had no socket (it answers RST).
 */
#include "tl-infer.h"

typedef struct
{
  TlTcpState state;
  gboolean   have_iss;
  guint32    iss;          /* our SYN's sequence number */
  gboolean   fin_sent;
  guint32    fin_end;      /* the ACK that acknowledges our FIN */
  gboolean   request;      /* Linux: answering a SYN from a request socket */
} HostMachine;

typedef struct
{
  const TlTrace *source;   /* records as they were */
  GArray        *out;      /* records with states added */
  HostMachine    hosts[TL_MAX_HOSTS];
  TlInferStyle   style;
  guint          added;
} Inference;

static gboolean
is_synchronized (TlTcpState state)
{
  return state >= TL_STATE_SYN_RECEIVED && state <= TL_STATE_TIME_WAIT;
}

static void
set_state (Inference           *inf,
           guint                host,
           TlTcpState           new_state,
           const TlTraceRecord *cause)
{
  HostMachine *m = &inf->hosts[host];
  TlTraceRecord rec = { 0 };

  if (m->state == new_state)
    return;
  rec.time = cause->time;
  rec.kind = TL_REC_STATE;
  rec.host = (guint8) host;
  rec.cause = TL_CAUSE_SEGMENT;
  rec.cause_ref = cause->packet;
  rec.old_state = (guint8) m->state;
  rec.new_state = (guint8) new_state;
  rec.inferred = TRUE;
  g_array_append_val (inf->out, rec);
  m->state = new_state;
  inf->added++;
}

/* The flags of HOST's next segment after record INDEX, or -1 if none. */
static gint
next_sent_flags (const Inference *inf,
                 guint            index,
                 guint            host)
{
  for (guint i = index + 1; i < tl_trace_get_n_records (inf->source); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (inf->source, i);
      if (rec->kind == TL_REC_SEND && rec->host == host)
        return rec->seg.flags;
    }
  return -1;
}

static void
on_send (Inference           *inf,
         const TlTraceRecord *rec)
{
  HostMachine *m = &inf->hosts[rec->host];
  const TlSegment *seg = &rec->seg;
  guint8 f = seg->flags;

  if (f & TL_TCP_RST)
    {
      /* A reset from a host without a connection is "no such socket". */
      if (m->state != TL_STATE_NONE && m->state != TL_STATE_CLOSED
          && m->state != TL_STATE_LISTEN)
        set_state (inf, rec->host, TL_STATE_CLOSED, rec);
      return;
    }
  if (f & TL_TCP_SYN)
    {
      if (!m->have_iss || m->state == TL_STATE_NONE || m->state == TL_STATE_CLOSED)
        {
          m->have_iss = TRUE;
          m->iss = seg->seq;
        }
      if (!(f & TL_TCP_ACK)
          && (m->state == TL_STATE_NONE || m->state == TL_STATE_CLOSED))
        set_state (inf, rec->host, TL_STATE_SYN_SENT, rec);
      else if ((f & TL_TCP_ACK) && !is_synchronized (m->state) && !m->request)
        set_state (inf, rec->host, TL_STATE_SYN_RECEIVED, rec);
    }
  else if (m->state == TL_STATE_NONE && !m->request)
    /* The capture began in the middle of a connection. */
    set_state (inf, rec->host, TL_STATE_ESTABLISHED, rec);

  if (f & TL_TCP_FIN)
    {
      m->fin_sent = TRUE;
      m->fin_end = seg->seq + tl_segment_seq_len (seg);
      if (m->state == TL_STATE_ESTABLISHED || m->state == TL_STATE_SYN_RECEIVED)
        set_state (inf, rec->host, TL_STATE_FIN_WAIT_1, rec);
      else if (m->state == TL_STATE_CLOSE_WAIT)
        set_state (inf, rec->host, TL_STATE_LAST_ACK, rec);
    }
}

static gboolean
acks_our_syn (const HostMachine *m,
              const TlSegment   *seg)
{
  return (seg->flags & TL_TCP_ACK) && m->have_iss && TL_SEQ_GT (seg->ack, m->iss);
}

static void
on_receive_ack_and_fin (Inference           *inf,
                        const TlTraceRecord *rec)
{
  HostMachine *m = &inf->hosts[rec->host];
  const TlSegment *seg = &rec->seg;

  if (m->state == TL_STATE_SYN_RECEIVED && acks_our_syn (m, seg))
    set_state (inf, rec->host, TL_STATE_ESTABLISHED, rec);

  if (m->fin_sent && (seg->flags & TL_TCP_ACK) && TL_SEQ_GEQ (seg->ack, m->fin_end))
    {
      if (m->state == TL_STATE_FIN_WAIT_1)
        set_state (inf, rec->host, TL_STATE_FIN_WAIT_2, rec);
      else if (m->state == TL_STATE_CLOSING)
        set_state (inf, rec->host, TL_STATE_TIME_WAIT, rec);
      else if (m->state == TL_STATE_LAST_ACK)
        set_state (inf, rec->host, TL_STATE_CLOSED, rec);
    }

  if (seg->flags & TL_TCP_FIN)
    {
      switch (m->state)
        {
        case TL_STATE_SYN_RECEIVED:
        case TL_STATE_ESTABLISHED:
          set_state (inf, rec->host, TL_STATE_CLOSE_WAIT, rec);
          break;
        case TL_STATE_FIN_WAIT_1:
          set_state (inf, rec->host, TL_STATE_CLOSING, rec);
          break;
        case TL_STATE_FIN_WAIT_2:
          set_state (inf, rec->host, TL_STATE_TIME_WAIT, rec);
          break;
        case TL_STATE_NONE:
        case TL_STATE_CLOSED:
        case TL_STATE_LISTEN:
        case TL_STATE_SYN_SENT:
        case TL_STATE_CLOSE_WAIT:
        case TL_STATE_CLOSING:
        case TL_STATE_LAST_ACK:
        case TL_STATE_TIME_WAIT:
        case TL_N_STATES:
          break;
        }
    }
}

static void
on_receive (Inference           *inf,
            const TlTraceRecord *rec,
            guint                index)
{
  HostMachine *m = &inf->hosts[rec->host];
  const TlSegment *seg = &rec->seg;
  guint8 f = seg->flags;
  gint reply;

  if (f & TL_TCP_RST)
    {
      m->request = FALSE;
      if (m->state == TL_STATE_SYN_SENT ? acks_our_syn (m, seg) : is_synchronized (m->state))
        set_state (inf, rec->host, TL_STATE_CLOSED, rec);
      return;
    }

  /* Linux: the handshake's last ACK turns the request into a socket. */
  if (m->request && !(f & TL_TCP_SYN))
    {
      if (!acks_our_syn (m, seg))
        return;
      m->request = FALSE;
      set_state (inf, rec->host, TL_STATE_SYN_RECEIVED, rec);
      set_state (inf, rec->host, TL_STATE_ESTABLISHED, rec);
      on_receive_ack_and_fin (inf, rec);
      return;
    }

  if (f & TL_TCP_SYN)
    {
      if (!(f & TL_TCP_ACK))
        {
          if (m->state == TL_STATE_SYN_SENT || m->state == TL_STATE_LISTEN)
            set_state (inf, rec->host, TL_STATE_SYN_RECEIVED, rec);
          else if ((m->state == TL_STATE_NONE || m->state == TL_STATE_CLOSED)
                   && (reply = next_sent_flags (inf, index, rec->host)) >= 0
                   && (reply & (TL_TCP_SYN | TL_TCP_ACK)) == (TL_TCP_SYN | TL_TCP_ACK))
            {
              if (inf->style == TL_INFER_LINUX)
                m->request = TRUE;
              else
                {
                  set_state (inf, rec->host, TL_STATE_LISTEN, rec);
                  set_state (inf, rec->host, TL_STATE_SYN_RECEIVED, rec);
                }
            }
          return;
        }
      /* SYN,ACK: our SYN acknowledged, in SYN-SENT or (simultaneous open)
       * SYN-RECEIVED. */
      if ((m->state == TL_STATE_SYN_SENT || m->state == TL_STATE_SYN_RECEIVED)
          && acks_our_syn (m, seg))
        set_state (inf, rec->host, TL_STATE_ESTABLISHED, rec);
      return;
    }

  if (m->state == TL_STATE_NONE)
    {
      /* Mid-connection capture, unless the host answers with a reset. */
      reply = next_sent_flags (inf, index, rec->host);
      if (reply < 0 || !(reply & TL_TCP_RST))
        set_state (inf, rec->host, TL_STATE_ESTABLISHED, rec);
      else
        return;
    }
  on_receive_ack_and_fin (inf, rec);
}

TlInferStyle
tl_infer_style_from_profile (const char *profile)
{
  return g_strcmp0 (profile, "linux") == 0 ? TL_INFER_LINUX : TL_INFER_RFC9293;
}

guint
tl_trace_infer_states (TlTrace *trace)
{
  return tl_trace_infer_states_full (trace, TL_INFER_RFC9293);
}

guint
tl_trace_infer_states_full (TlTrace      *trace,
                            TlInferStyle  style)
{
  Inference inf = { 0 };
  guint n = tl_trace_get_n_records (trace);

  inf.source = trace;
  inf.style = style;
  inf.out = g_array_sized_new (FALSE, FALSE, sizeof (TlTraceRecord), n + n / 4 + 8);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    inf.hosts[i].state = TL_STATE_NONE;

  for (guint i = 0; i < n; i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);

      if (rec->kind == TL_REC_SEND && rec->host < TL_MAX_HOSTS)
        on_send (&inf, rec);
      g_array_append_vals (inf.out, rec, 1);
      if (rec->kind == TL_REC_DELIVER && rec->host < TL_MAX_HOSTS)
        on_receive (&inf, rec, i);
    }

  g_array_unref (trace->records);
  trace->records = inf.out;
  return inf.added;
}

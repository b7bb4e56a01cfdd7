/* tl-tcp.c: the TCP endpoint, RFC 9293 with a Linux profile.
 *
 * One entry point per event: tl_tcp_input() for an arriving segment (one
 * switch on the state, as RFC 9293 section 3.10.7 reads), a function per
 * timer, and the calls the socket layer makes.  Where the profiles differ
 * the code asks tl_host_is_linux() and says which kernel behaviour it
 * models; /work/shared/linux-tcp-notes.md has the facts.
 */
#include "tl-tcp-private.h"

#include <errno.h>
#include <string.h>

#define TS_HZ 1000  /* timestamp clock: milliseconds, as Linux uses */

static void arm_retransmit   (TlSocket *sock);
static void output           (TlSocket *sock, TlWhy why);
static void on_retransmit    (gpointer data, guint64 arg);
static void on_delayed_ack   (gpointer data, guint64 arg);
static void on_time_wait     (gpointer data, guint64 arg);

static inline TlRun *
run_of (TlSocket *sock)
{
  return sock->host->run;
}

static inline TlTime
now_of (TlSocket *sock)
{
  return run_of (sock)->sim->now;
}

static inline const TlHostSettings *
settings_of (TlSocket *sock)
{
  return &sock->host->settings;
}

static inline gboolean
is_linux (TlSocket *sock)
{
  return tl_host_is_linux (sock->host);
}

static TlWhy
why_segment (guint32 packet)
{
  return (TlWhy) { TL_CAUSE_SEGMENT, packet };
}

/* ---- state and bookkeeping ------------------------------------------- */

void
tl_tcp_set_state (TlSocket   *sock,
                  TlTcpState  state,
                  TlWhy       why)
{
  TlTraceRecord *rec;

  if (sock->state == state)
    return;
  if (!sock->is_request)
    {
      rec = tl_trace_append (run_of (sock)->trace, TL_REC_STATE, now_of (sock),
                             sock->host->index);
      rec->old_state = (guint8) sock->state;
      rec->new_state = (guint8) state;
      rec->socket = sock->index;
      rec->cause = (guint8) why.cause;
      rec->cause_ref = why.ref;
    }
  sock->state = state;
}

static void
cancel_timers (TlSocket *sock)
{
  TlSim *sim = run_of (sock)->sim;

  tl_sim_cancel (sim, &sock->rtx_timer);
  tl_sim_cancel (sim, &sock->delack_timer);
  tl_sim_cancel (sim, &sock->tw_timer);
}

/* The TCB is deleted (RFC 9293: "delete the TCB, enter CLOSED").  The slot
 * stays allocated while the application still holds the socket. */
static void
enter_closed (TlSocket *sock,
              TlWhy     why)
{
  cancel_timers (sock);
  tl_tcp_set_state (sock, TL_STATE_CLOSED, why);
  if (sock->orphan || sock->is_request)
    tl_tcp_socket_reset (sock);
}

void
tl_tcp_socket_reset (TlSocket *sock)
{
  TlHost *host = sock->host;
  guint8 index = sock->index;
  GByteArray *sndbuf = sock->sndbuf;

  if (sndbuf != NULL)
    g_byte_array_set_size (sndbuf, 0);
  memset (sock, 0, sizeof *sock);
  sock->host = host;
  sock->index = index;
  sock->sndbuf = sndbuf;
  sock->listener = -1;
  sock->state = TL_STATE_CLOSED;
  sock->rtt_start = TL_TIME_NEVER;
  sock->last_oow_ack = TL_TIME_NEVER;
}

static guint32
ts_now (TlSocket *sock)
{
  return sock->ts_offset + (guint32) (now_of (sock) / (TL_SEC (1) / TS_HZ));
}

/* Linux: ilog2(max(tcp_rmem[2], rmem_max)) - 15, at most 14. */
static guint8
own_wscale (TlSocket *sock)
{
  guint space = settings_of (sock)->rmem_max;
  guint8 ws = 0;

  if (!settings_of (sock)->window_scaling)
    return 0;
  while (space > 65535 && ws < 14)
    {
      space >>= 1;
      ws++;
    }
  return ws;
}

/* The initial receive window: 65535 rounded down to whole segments, as
 * tcp_select_initial_window does (64240 = 44 * 1460; 65160 = 45 * 1448
 * when timestamps take 12 bytes of each segment). */
static guint32
initial_rcv_wnd (TlSocket *sock,
                 gboolean  with_ts)
{
  guint mss = settings_of (sock)->mss - (with_ts ? 12 : 0);

  if (!is_linux (sock))
    return 65535;
  return (65535 / mss) * mss;
}

static guint
effective_mss (TlSocket *sock)
{
  guint mss = MIN (settings_of (sock)->mss, sock->peer_mss ? sock->peer_mss : 536);

  return mss - (sock->ts_ok ? 12 : 0);
}

/* ---- building and sending segments ----------------------------------- */

typedef struct
{
  guint8             flags;
  guint32            seq;
  guint32            len;
  const guint8      *data;
  guint              retransmit;
  const TlSackBlock *dsack;      /* one D-SACK block, or NULL */
  gboolean           syn_options_echo;  /* a listener's SYN,ACK */
} OutSegment;

static void
fill_syn_options (TlSocket     *sock,
                  TlTcpOptions *opts,
                  gboolean      echo)
{
  const TlHostSettings *s = settings_of (sock);

  opts->present = TL_OPT_MSS;
  opts->mss = (guint16) s->mss;
  /* A listener's SYN,ACK offers an option only if the SYN did (the
   * tcp_openreq_init path); a SYN, and Linux's simultaneous-open SYN,ACK
   * built from the original SYN, carry the local settings. */
  if (s->window_scaling && (!echo || sock->ws_ok))
    {
      opts->present |= TL_OPT_WSCALE;
      opts->wscale = sock->rcv_wscale;
    }
  if (s->sack && (!echo || sock->sack_ok))
    opts->present |= TL_OPT_SACK_PERM;
  if (s->timestamps && (!echo || sock->ts_ok))
    {
      opts->present |= TL_OPT_TS;
      opts->tsval = ts_now (sock);
      /* Echo the peer's TSval once we have seen its SYN. */
      opts->tsecr = sock->irs_known ? sock->ts_recent : 0;
    }
}

static guint16
window_field (TlSocket *sock,
              gboolean  syn)
{
  guint32 wnd = sock->rcv_wnd;

  /* RFC 7323 section 2.2: the window in a SYN is never scaled. */
  if (syn || !sock->ws_ok)
    return (guint16) MIN (wnd, 65535u);
  /* Linux rounds the scaled window up to the scale's granularity and
   * keeps the rounded value (tcp_select_window), which later SYN,ACK
   * retransmissions then show unscaled (64512 rather than 64240). */
  if (is_linux (sock))
    {
      wnd = (wnd + (1u << sock->rcv_wscale) - 1) & ~((1u << sock->rcv_wscale) - 1);
      sock->rcv_wnd = wnd;
    }
  return (guint16) MIN (wnd >> sock->rcv_wscale, 65535u);
}

static guint32
emit (TlSocket         *sock,
      const OutSegment *out,
      TlWhy             why)
{
  TlRun *run = run_of (sock);
  TlSegment seg = { 0 };
  gboolean syn = (out->flags & TL_TCP_SYN) != 0;

  seg.src_addr = sock->laddr;
  seg.dst_addr = sock->raddr;
  seg.src_port = sock->lport;
  seg.dst_port = sock->rport;
  seg.seq = out->seq;
  seg.flags = out->flags;
  if (out->flags & TL_TCP_ACK)
    seg.ack = sock->rcv_nxt;
  seg.window = (out->flags & TL_TCP_RST) && !is_linux (sock) ? 0 : window_field (sock, syn);
  seg.opts.layout = is_linux (sock) ? TL_OPT_LAYOUT_LINUX : TL_OPT_LAYOUT_RFC;
  if (syn)
    fill_syn_options (sock, &seg.opts, out->syn_options_echo);
  /* A reset the connection sends itself goes out like any of its segments
   * on Linux (tcp_send_active_reset -> tcp_transmit_skb), timestamps
   * included, as the close-unread-data capture shows. */
  else if (sock->ts_ok && (!(out->flags & TL_TCP_RST) || is_linux (sock)))
    {
      seg.opts.present = TL_OPT_TS;
      seg.opts.tsval = ts_now (sock);
      seg.opts.tsecr = sock->ts_recent;
    }
  if (out->dsack != NULL)
    {
      seg.opts.present |= TL_OPT_SACK;
      seg.opts.n_sack = 1;
      seg.opts.sack[0] = *out->dsack;
    }
  if (out->len > 0)
    {
      seg.len = out->len;
      seg.payload_off = tl_trace_store_bytes (run->trace, out->data, out->len);
    }
  /* Any segment with ACK carries the current window and ack: a delayed ACK
   * it replaces is no longer due. */
  if (out->flags & TL_TCP_ACK)
    {
      sock->ack_pending = FALSE;
      tl_sim_cancel (run->sim, &sock->delack_timer);
    }
  return tl_network_send (run->net, sock->host->index, &seg, out->retransmit, why.cause, why.ref);
}

static void
send_ack (TlSocket          *sock,
          const TlSackBlock *dsack,
          TlWhy              why)
{
  OutSegment out = { .flags = TL_TCP_ACK, .seq = sock->snd_nxt, .dsack = dsack };

  emit (sock, &out, why);
}

/* RFC 5961 challenge ACK, and Linux's answers to out-of-window segments:
 * at most one per tcp_invalid_ratelimit per socket. */
static void
send_challenge_ack (TlSocket *sock,
                    TlWhy     why)
{
  TlTime limit = settings_of (sock)->invalid_ratelimit;
  TlTime now = now_of (sock);

  if (limit > 0 && sock->last_oow_ack != TL_TIME_NEVER && now - sock->last_oow_ack < limit)
    return;
  sock->last_oow_ack = now;
  send_ack (sock, NULL, why);
}

static void
send_syn (TlSocket *sock,
          guint     retransmit,
          TlWhy     why)
{
  OutSegment out = { .flags = TL_TCP_SYN, .seq = sock->iss, .retransmit = retransmit };

  if (sock->state == TL_STATE_SYN_RECEIVED)
    {
      out.flags |= TL_TCP_ACK;
      /* A listener's child answers with what the SYN offered; Linux's
       * simultaneous open resends its own SYN with ACK added. */
      out.syn_options_echo = sock->listener >= 0 || !is_linux (sock);
    }
  if (sock->rtt_start == TL_TIME_NEVER && retransmit == 0)
    {
      sock->rtt_seq = sock->iss + 1;
      sock->rtt_start = now_of (sock);
    }
  emit (sock, &out, why);
}

/* A reset answering SEG, for CAUSE (with its ref). */
static void
answer_with_reset (TlHost          *host,
                   const TlSegment *seg,
                   TlCause          cause,
                   guint32          ref)
{
  TlSegment rst = { 0 };

  if (seg->flags & TL_TCP_RST)
    return;
  rst.src_addr = seg->dst_addr;
  rst.dst_addr = seg->src_addr;
  rst.src_port = seg->dst_port;
  rst.dst_port = seg->src_port;
  rst.opts.layout = tl_host_is_linux (host) ? TL_OPT_LAYOUT_LINUX : TL_OPT_LAYOUT_RFC;
  /* RFC 9293 section 3.10.7.1: "If the ACK bit is off, sequence number
   * zero is used, <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>.  If the ACK
   * bit is on, <SEQ=SEG.ACK><CTL=RST>." */
  if (seg->flags & TL_TCP_ACK)
    {
      rst.seq = seg->ack;
      rst.flags = TL_TCP_RST;
    }
  else
    {
      rst.ack = seg->seq + tl_segment_seq_len (seg);
      rst.flags = TL_TCP_RST | TL_TCP_ACK;
    }
  tl_network_send (host->run->net, host->index, &rst, 0, cause, ref);
}

void
tl_tcp_send_reset_for (TlHost          *host,
                       const TlSegment *seg,
                       guint32          packet)
{
  answer_with_reset (host, seg, TL_CAUSE_NO_SOCKET, packet);
}

static void
send_reset (TlSocket *sock,
            TlWhy     why)
{
  OutSegment out = { .flags = TL_TCP_RST | TL_TCP_ACK, .seq = sock->snd_nxt };

  emit (sock, &out, why);
}

/* ---- timers ---------------------------------------------------------- */

/* How long a timer set now for TIMEOUT really waits.  Linux's TCP timers
 * (mod_timer) live on the jiffies timer wheel (kernel/time/timer.c): one
 * due in DELTA jiffies goes into level L, the first whose range holds it
 * (LVL_START(L) = 63 << 3(L-1)), whose buckets are 8^L jiffies wide; it
 * fires at the start of the bucket after the one its expiry falls in
 * (calc_index: "expires = (expires >> LVL_SHIFT(lvl)) + 1"), so never
 * early and up to one bucket late: a 1 s RTO at HZ=250 waits 1.004 s to
 * 1.032 s, and re-armed on a bucket edge exactly 1.024 s.  The bucket
 * edges are multiples of 8^L in absolute jiffies, hence the jiffies value
 * and tick phase at time 0, which a capture bundle records. */
static TlTime
timer_delay (TlSocket *sock,
             TlTime    timeout)
{
  const TlHostSettings *s = settings_of (sock);
  TlTime period, now;
  guint64 jnow, jtimeout, expires, fire;
  guint level = 0;

  if (!is_linux (sock) || s->hz == 0)
    return timeout;
  period = TL_SEC (1) / s->hz;
  now = now_of (sock);
  jnow = (guint64) s->jiffies + (guint64) ((now + s->tick_offset) / period);
  /* msecs_to_jiffies rounds up. */
  jtimeout = (guint64) ((timeout + period - 1) / period);
  expires = jnow + jtimeout;
  while (level < 8 && jtimeout >= (G_GUINT64_CONSTANT (63) << (3 * level)))
    level++;
  fire = ((expires >> (3 * level)) + 1) << (3 * level);
  return (TlTime) (fire - s->jiffies) * period - s->tick_offset - now;
}

/* ---- retransmission -------------------------------------------------- */

static void
arm_retransmit (TlSocket *sock)
{
  TlSim *sim = run_of (sock)->sim;

  tl_sim_cancel (sim, &sock->rtx_timer);
  sock->rtx_timer = tl_sim_schedule_in (sim, timer_delay (sock, sock->rto),
                                        on_retransmit, sock, 0);
}

static void
stop_retransmit (TlSocket *sock)
{
  tl_sim_cancel (run_of (sock)->sim, &sock->rtx_timer);
}

/* RFC 6298 section 2 with the profile's clamp; Linux keeps rttvar at least
 * rto_min, so its RTO is about srtt + 200 ms. */
static void
rtt_sample (TlSocket *sock,
            TlTime    rtt)
{
  const TlHostSettings *s = settings_of (sock);
  TlTime rto;

  if (sock->srtt == 0)
    {
      sock->srtt = rtt;
      sock->rttvar = rtt / 2;
    }
  else
    {
      TlTime delta = sock->srtt > rtt ? sock->srtt - rtt : rtt - sock->srtt;
      sock->rttvar = (3 * sock->rttvar + delta) / 4;
      sock->srtt = (7 * sock->srtt + rtt) / 8;
    }
  if (is_linux (sock))
    rto = sock->srtt + MAX (4 * sock->rttvar, s->rto_min);
  else
    rto = MAX (s->rto_min, sock->srtt + MAX (TL_MSEC (1), 4 * sock->rttvar));
  sock->rto = MIN (rto, s->rto_max);
}

/* RFC 6298 section 5.7 (and Linux's tcp_init_metrics): with no RTT sample
 * from the handshake, data starts with a 3 s RTO rather than 1 s. */
static void
settle_rto_after_handshake (TlSocket *sock)
{
  if (sock->srtt == 0)
    sock->rto = TL_SEC (3);
}

static guint
syn_retry_limit (TlSocket *sock)
{
  const TlHostSettings *s = settings_of (sock);
  guint limit = sock->syn_retries ? sock->syn_retries : s->syn_retries;

  if (sock->state == TL_STATE_SYN_RECEIVED && sock->listener >= 0)
    limit = s->synack_retries;
  return limit;
}

static guint
data_retry_limit (TlSocket *sock)
{
  /* tcp_retries2 is 15; an orphan gives up after tcp_orphan_retries
   * (0 means 8). */
  if (sock->orphan)
    return settings_of (sock)->orphan_retries ? settings_of (sock)->orphan_retries : 8;
  return 15;
}

/* Linux's tcp_model_timeout: how long BOUNDARY retransmissions starting
 * at RTO_BASE and doubling up to rto-max would take. */
static TlTime
linux_model_timeout (TlSocket *sock,
                     guint     boundary,
                     TlTime    rto_base)
{
  TlTime rto_max = settings_of (sock)->rto_max;
  guint thresh = 0;

  /* linear_backoff_thresh = ilog2 (TCP_RTO_MAX / rto_base) */
  while (rto_base > 0 && (rto_max / rto_base) >> (thresh + 1) != 0)
    thresh++;
  if (boundary <= thresh)
    return (TlTime) ((G_GUINT64_CONSTANT (2) << boundary) - 1) * rto_base;
  return (TlTime) ((G_GUINT64_CONSTANT (2) << thresh) - 1) * rto_base
         + (TlTime) (boundary - thresh) * rto_max;
}

/* Whether the retransmission timer should give up rather than send again.
 * RFC 9293 counts retransmissions (R2).  Linux (tcp_write_timeout ->
 * retransmits_timed_out) measures time since the first retransmission's
 * original: it gives up at the first timeout after the time BOUNDARY
 * doubling RTOs would take, (2^(n+1) - 1) s for n SYN retries (7 s for
 * TCP_SYNCNT 2, 127 s for the default 6), whatever the linear timeouts did. */
static gboolean
retries_exhausted (TlSocket *sock,
                   gboolean  handshake)
{
  const TlHostSettings *s = settings_of (sock);
  guint boundary = handshake ? syn_retry_limit (sock) : data_retry_limit (sock);

  if (!is_linux (sock))
    return sock->retransmits >= boundary;
  if (sock->retransmits == 0)
    return FALSE;
  return now_of (sock) - sock->retrans_stamp
         >= linux_model_timeout (sock, boundary, handshake ? s->rto_initial : s->rto_min);
}

static void
give_up (TlSocket *sock,
         TlWhy     why)
{
  gboolean was_connecting = sock->connect_pending;

  cancel_timers (sock);
  if (was_connecting)
    tl_host_connection_failed (sock, ETIMEDOUT, why);
  enter_closed (sock, why);
}

/* Bytes queued from snd_una on, and the first of them. */
static guint32
sndbuf_queued (const TlSocket *sock)
{
  return sock->sndbuf->len - sock->sndbuf_head;
}

static const guint8 *
sndbuf_at (const TlSocket *sock,
           guint32         offset,
           guint32         len)
{
  /* An empty GByteArray has no data pointer, and NULL + 0 is undefined. */
  return len > 0 ? sock->sndbuf->data + sock->sndbuf_head + offset : NULL;
}

/* Drops ACKED bytes from the front.  Moving the rest down on every ACK
 * would make a large send quadratic (a 16 MiB send with a small MSS took
 * seconds), so the front is only cut once it is at least half the buffer. */
static void
sndbuf_consume (TlSocket *sock,
                guint32   acked)
{
  sock->sndbuf_head += acked;
  if (sock->sndbuf_head == sock->sndbuf->len)
    {
      g_byte_array_set_size (sock->sndbuf, 0);
      sock->sndbuf_head = 0;
    }
  else if (sock->sndbuf_head >= 65536 && sock->sndbuf_head >= sock->sndbuf->len / 2)
    {
      g_byte_array_remove_range (sock->sndbuf, 0, sock->sndbuf_head);
      sock->sndbuf_head = 0;
    }
}

/* Sends the oldest unacknowledged data (and FIN if it is next). */
static void
retransmit_head (TlSocket *sock,
                 TlWhy     why)
{
  guint32 queued = sndbuf_queued (sock);
  guint32 len = MIN (queued, effective_mss (sock));
  OutSegment out = { .flags = TL_TCP_ACK, .seq = sock->snd_una, .len = len,
                     .data = sndbuf_at (sock, 0, len), .retransmit = sock->retransmits };

  if (len > 0 && len == queued)
    out.flags |= TL_TCP_PSH;
  if (sock->fin_sent && len == queued)
    out.flags |= TL_TCP_FIN;
  emit (sock, &out, why);
}

static void
on_retransmit (gpointer data,
               guint64  arg)
{
  TlSocket *sock = data;
  TlRun *run = run_of (sock);
  const TlHostSettings *s = settings_of (sock);
  TlTraceRecord *rec;
  TlWhy why;
  gboolean handshake;

  sock->rtx_timer = 0;
  why = (TlWhy) { TL_CAUSE_TIMER, tl_trace_get_n_records (run->trace) };
  rec = tl_trace_append (run->trace, TL_REC_TIMER, now_of (sock), sock->host->index);
  rec->timer = TL_TIMER_RETRANSMIT;
  rec->socket = sock->index;

  handshake = sock->state == TL_STATE_SYN_SENT || sock->state == TL_STATE_SYN_RECEIVED;
  if (retries_exhausted (sock, handshake))
    {
      give_up (sock, why);
      return;
    }
  sock->retransmits++;
  sock->total_rto++;
  sock->rtt_start = TL_TIME_NEVER;  /* Karn: no sample from a retransmission */

  if (handshake)
    send_syn (sock, sock->retransmits, why);
  else
    retransmit_head (sock, why);

  /* Linux >= 6.5 keeps the first tcp_syn_linear_timeouts SYN timeouts at
   * the initial RTO, then backs off exponentially (tcp_retransmit_timer). */
  if (!(sock->state == TL_STATE_SYN_SENT && is_linux (sock)
        && sock->total_rto <= s->syn_linear_timeouts))
    sock->rto = MIN (sock->rto * 2, s->rto_max);
  arm_retransmit (sock);
}

/* ---- delayed ACK ----------------------------------------------------- */

static void
on_delayed_ack (gpointer data,
                guint64  arg)
{
  TlSocket *sock = data;
  TlRun *run = run_of (sock);
  TlTraceRecord *rec;
  TlWhy why = { TL_CAUSE_TIMER, tl_trace_get_n_records (run->trace) };

  sock->delack_timer = 0;
  if (!sock->ack_pending)
    return;
  rec = tl_trace_append (run->trace, TL_REC_TIMER, now_of (sock), sock->host->index);
  rec->timer = TL_TIMER_DELAYED_ACK;
  rec->socket = sock->index;
  send_ack (sock, NULL, why);
}

/* Linux's delayed ACK: TCP_ATO_MIN (40 ms) once data has been received;
 * before that the ack timeout is zero and the timer fires on the next
 * tick (timer_delay adds the wheel's rounding to both). */
static TlTime
delayed_ack_timeout (TlSocket *sock)
{
  if (!is_linux (sock))
    return settings_of (sock)->delayed_ack;
  return sock->data_received ? settings_of (sock)->delayed_ack : 0;
}

static void
schedule_ack (TlSocket *sock,
              gboolean  immediate,
              TlWhy     why)
{
  TlSim *sim = run_of (sock)->sim;

  if (immediate)
    {
      send_ack (sock, NULL, why);
      return;
    }
  sock->ack_pending = TRUE;
  if (sock->delack_timer == 0)
    sock->delack_timer = tl_sim_schedule_in (sim, timer_delay (sock, delayed_ack_timeout (sock)),
                                             on_delayed_ack, sock, 0);
}

/* ---- TIME-WAIT ------------------------------------------------------- */

static void
on_time_wait (gpointer data,
              guint64  arg)
{
  TlSocket *sock = data;
  TlRun *run = run_of (sock);
  TlTraceRecord *rec;
  TlWhy why = { TL_CAUSE_TIMER, tl_trace_get_n_records (run->trace) };

  sock->tw_timer = 0;
  rec = tl_trace_append (run->trace, TL_REC_TIMER, now_of (sock), sock->host->index);
  rec->timer = TL_TIMER_TIME_WAIT;
  rec->socket = sock->index;
  sock->orphan = TRUE;  /* nothing is left for the application */
  enter_closed (sock, why);
}

static void
enter_time_wait (TlSocket *sock,
                 TlWhy     why)
{
  TlSim *sim = run_of (sock)->sim;

  tl_sim_cancel (sim, &sock->rtx_timer);
  tl_sim_cancel (sim, &sock->tw_timer);
  tl_tcp_set_state (sock, TL_STATE_TIME_WAIT, why);
  /* RFC 9293: 2*MSL; Linux: TCP_TIMEWAIT_LEN, a fixed 60 s. */
  sock->tw_timer = tl_sim_schedule_in (sim, timer_delay (sock, settings_of (sock)->time_wait),
                                       on_time_wait, sock, 0);
}

/* ---- sending data ---------------------------------------------------- */

static gboolean
can_send_data (TlSocket *sock)
{
  switch (sock->state)
    {
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
      return TRUE;
    case TL_STATE_NONE:
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RECEIVED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
    case TL_N_STATES:
    default:
      return FALSE;
    }
}

/* The state a FIN moves us to when the application closes writing. */
static TlTcpState
state_after_fin (TlTcpState state)
{
  return state == TL_STATE_CLOSE_WAIT ? TL_STATE_LAST_ACK : TL_STATE_FIN_WAIT_1;
}

/* Sends new data the window allows, then the FIN when it is due; the FIN
 * rides on the last data segment when both are pending. */
static void
output (TlSocket *sock,
        TlWhy     why)
{
  gboolean sent_any = FALSE;

  if (!can_send_data (sock) && !(sock->fin_sent == FALSE && sock->fin_queued
                                 && sock->state == TL_STATE_SYN_RECEIVED))
    return;

  for (;;)
    {
      guint32 offset = sock->snd_nxt - sock->snd_una;
      guint32 unsent = sndbuf_queued (sock) - offset;
      guint32 in_flight = offset;
      guint32 window = sock->snd_wnd > in_flight ? sock->snd_wnd - in_flight : 0;
      guint32 len = MIN (MIN (unsent, effective_mss (sock)), window);
      gboolean fin = sock->fin_queued && !sock->fin_sent && len == unsent;
      OutSegment out = { .flags = TL_TCP_ACK, .seq = sock->snd_nxt, .len = len,
                         .data = sndbuf_at (sock, offset, len) };

      if (len == 0 && !fin)
        break;
      if (len > 0 && len == unsent)
        out.flags |= TL_TCP_PSH;
      if (fin)
        {
          out.flags |= TL_TCP_FIN;
          sock->fin_sent = TRUE;
          sock->fin_seq = sock->snd_nxt + len;
          tl_tcp_set_state (sock, state_after_fin (sock->state), why);
        }
      if (sock->rtt_start == TL_TIME_NEVER)
        {
          sock->rtt_seq = sock->snd_nxt + len + (fin ? 1 : 0);
          sock->rtt_start = now_of (sock);
        }
      if (sock->snd_una == sock->snd_nxt)
        sock->retrans_stamp = now_of (sock);
      emit (sock, &out, why);
      sock->snd_nxt += len + (fin ? 1 : 0);
      sent_any = TRUE;
      if (fin)
        break;
    }
  if (sent_any && sock->rtx_timer == 0)
    arm_retransmit (sock);
}

/* ---- socket calls ---------------------------------------------------- */

void
tl_tcp_connect (TlSocket *sock,
                TlWhy     why)
{
  const TlHostSettings *s = settings_of (sock);

  sock->snd_una = sock->iss;
  sock->snd_nxt = sock->iss + 1;
  sock->rcv_wscale = own_wscale (sock);
  sock->rcv_wnd = initial_rcv_wnd (sock, FALSE);
  sock->rto = s->rto_initial;
  sock->connect_pending = TRUE;
  sock->retrans_stamp = now_of (sock);
  tl_tcp_set_state (sock, TL_STATE_SYN_SENT, why);
  send_syn (sock, 0, why);
  arm_retransmit (sock);
}

void
tl_tcp_send (TlSocket     *sock,
             const guint8 *data,
             gsize         length,
             TlWhy         why)
{
  if (data != NULL)
    g_byte_array_append (sock->sndbuf, data, (guint) length);
  else
    {
      guint old = sock->sndbuf->len;
      g_byte_array_set_size (sock->sndbuf, old + (guint) length);
      memset (sock->sndbuf->data + old, 0, length);
    }
  output (sock, why);
}

void
tl_tcp_shutdown_write (TlSocket *sock,
                       TlWhy     why)
{
  switch (sock->state)
    {
    case TL_STATE_SYN_SENT:
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
      /* Nothing was ever sent: the connection simply goes away. */
      cancel_timers (sock);
      if (sock->connect_pending)
        sock->connect_pending = FALSE;
      tl_tcp_set_state (sock, TL_STATE_CLOSED, why);
      return;
    case TL_STATE_SYN_RECEIVED:
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
      if (sock->fin_queued)
        return;
      sock->fin_queued = TRUE;
      if (sock->state == TL_STATE_SYN_RECEIVED)
        {
          /* RFC 9293: queue the FIN until ESTABLISHED is reached when
           * there is data; otherwise send it now.  Linux does the same. */
          if (sndbuf_queued (sock) > 0)
            return;
          sock->fin_sent = TRUE;
          sock->fin_seq = sock->snd_nxt;
          {
            OutSegment out = { .flags = TL_TCP_FIN | TL_TCP_ACK, .seq = sock->snd_nxt };
            tl_tcp_set_state (sock, TL_STATE_FIN_WAIT_1, why);
            emit (sock, &out, why);
          }
          sock->snd_nxt++;
          return;
        }
      output (sock, why);
      return;
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
    case TL_STATE_NONE:
    case TL_N_STATES:
    default:
      return;
    }
}

void
tl_tcp_close (TlSocket *sock,
              TlWhy     why)
{
  gboolean data_lost = sock->unread > 0;

  sock->orphan = TRUE;
  sock->rcv_shutdown = TRUE;
  sock->unread = 0;
  /* RFC 9293 section 3.6.1 (SHLD-3): "If such a host issues a CLOSE call
   * while received data is still pending in the TCP connection, ... its
   * TCP implementation SHOULD send a RST to show that data was lost."
   * Linux (tcp_close) does, checking unread data before SO_LINGER. */
  if (data_lost || sock->linger_zero)
    {
      tl_tcp_abort (sock, why);
      return;
    }
  switch (sock->state)
    {
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_CLOSED:
    case TL_STATE_NONE:
      sock->connect_pending = FALSE;
      enter_closed (sock, why);
      return;
    case TL_STATE_SYN_RECEIVED:
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
      tl_tcp_shutdown_write (sock, why);
      return;
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
    case TL_N_STATES:
    default:
      return;
    }
}

void
tl_tcp_abort (TlSocket *sock,
              TlWhy     why)
{
  sock->orphan = TRUE;
  switch (sock->state)
    {
    case TL_STATE_SYN_RECEIVED:
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSE_WAIT:
      /* RFC 9293 ABORT: "send a reset segment <SEQ=SND.NXT><CTL=RST>";
       * Linux's tcp_send_active_reset adds ACK. */
      if (is_linux (sock))
        send_reset (sock, why);
      else
        {
          OutSegment out = { .flags = TL_TCP_RST, .seq = sock->snd_nxt };
          emit (sock, &out, why);
        }
      break;
    case TL_STATE_NONE:
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
    case TL_N_STATES:
    default:
      break;
    }
  sock->connect_pending = FALSE;
  enter_closed (sock, why);
}

/* ---- segment arrival ------------------------------------------------- */

/* Takes the peer's options from a SYN or SYN,ACK. */
static void
learn_syn_options (TlSocket        *sock,
                   const TlSegment *seg)
{
  const TlHostSettings *s = settings_of (sock);
  const TlTcpOptions *o = &seg->opts;

  sock->peer_mss = (o->present & TL_OPT_MSS) ? o->mss : 536;
  sock->ws_ok = s->window_scaling && (o->present & TL_OPT_WSCALE);
  sock->snd_wscale = sock->ws_ok ? MIN (o->wscale, 14) : 0;
  if (!sock->ws_ok)
    sock->rcv_wscale = 0;
  sock->sack_ok = s->sack && (o->present & TL_OPT_SACK_PERM);
  sock->ts_ok = s->timestamps && (o->present & TL_OPT_TS);
  if (sock->ts_ok)
    sock->ts_recent = o->tsval;
}

static void
take_timestamp (TlSocket        *sock,
                const TlSegment *seg)
{
  /* RFC 7323 section 4.3: remember the peer's TSval from in-order
   * segments, to echo it. */
  if (sock->ts_ok && (seg->opts.present & TL_OPT_TS)
      && TL_SEQ_LEQ (seg->seq, sock->rcv_nxt))
    sock->ts_recent = seg->opts.tsval;
}

/* Processes SEG.ACK in a synchronized state (RFC 9293 section 3.10.7.4,
 * "fifth, check the ACK field").  Returns FALSE if the segment must be
 * dropped. */
static gboolean
process_ack (TlSocket        *sock,
             const TlSegment *seg,
             TlWhy            why)
{
  guint32 acked;

  if (TL_SEQ_GT (seg->ack, sock->snd_nxt))
    {
      /* "If the ACK acks something not yet sent (SEG.ACK > SND.NXT), then
       * send an ACK, drop the segment, and return." */
      send_challenge_ack (sock, why);
      return FALSE;
    }
  if (TL_SEQ_GT (seg->ack, sock->snd_una))
    {
      acked = seg->ack - sock->snd_una;
      /* Our SYN and FIN occupy sequence space but no buffer bytes. */
      if (TL_SEQ_LEQ (seg->ack, sock->iss) == FALSE && TL_SEQ_LEQ (sock->snd_una, sock->iss))
        acked--;
      if (sock->fin_sent && TL_SEQ_GT (seg->ack, sock->fin_seq))
        acked--;
      acked = MIN (acked, sndbuf_queued (sock));
      sndbuf_consume (sock, acked);
      if (sock->rtt_start != TL_TIME_NEVER && TL_SEQ_GEQ (seg->ack, sock->rtt_seq))
        {
          rtt_sample (sock, now_of (sock) - sock->rtt_start);
          sock->rtt_start = TL_TIME_NEVER;
        }
      else if (sock->rtt_start == TL_TIME_NEVER && is_linux (sock) && sock->ts_ok
               && (seg->opts.present & TL_OPT_TS) && seg->opts.tsecr != 0)
        {
          /* Karn's rule leaves no sample after a retransmission; Linux
           * then takes one from the echoed timestamp (tcp_rtt_tsopt_us). */
          guint32 ms = ts_now (sock) - seg->opts.tsecr;
          if (ms < G_MAXINT32)
            rtt_sample (sock, TL_MSEC (MAX (ms, 1u)));
        }
      sock->snd_una = seg->ack;
      sock->retransmits = 0;
      /* The new head of the queue was sent about now or earlier; the
       * give-up clock restarts from the acknowledgment. */
      sock->retrans_stamp = now_of (sock);
      if (sock->snd_una == sock->snd_nxt)
        stop_retransmit (sock);
      else
        arm_retransmit (sock);
    }
  /* "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated",
   * guarded by SND.WL1/WL2 against old segments. */
  if (TL_SEQ_LT (sock->snd_wl1, seg->seq)
      || (sock->snd_wl1 == seg->seq && TL_SEQ_LEQ (sock->snd_wl2, seg->ack)))
    {
      sock->snd_wnd = (guint32) seg->window << sock->snd_wscale;
      sock->snd_wl1 = seg->seq;
      sock->snd_wl2 = seg->ack;
    }
  return TRUE;
}

static gboolean
our_fin_acked (TlSocket *sock)
{
  return sock->fin_sent && TL_SEQ_GT (sock->snd_una, sock->fin_seq);
}

/* The RFC 9293 acceptability test (section 3.10.7.4, "first, check
 * sequence number"), on the segment after trimming what lies before
 * RCV.NXT.  *SEG is trimmed in place. */
static gboolean
trim_to_window (TlSocket  *sock,
                TlSegment *seg)
{
  guint32 wnd = MAX (sock->rcv_wnd, 1u);

  if (TL_SEQ_LT (seg->seq, sock->rcv_nxt))
    {
      guint32 before = sock->rcv_nxt - seg->seq;
      if (seg->flags & TL_TCP_SYN)
        {
          /* The SYN is the first octet and it is old: trim it. */
          seg->flags &= (guint8) ~TL_TCP_SYN;
          seg->seq++;
          before--;
        }
      if (before >= seg->len)
        {
          if (before > seg->len || (seg->flags & TL_TCP_FIN) == 0)
            {
              /* Entirely old: a duplicate.  A zero-length remainder at
               * exactly RCV.NXT is still acceptable (it carries an ACK). */
              if (!(before == seg->len && seg->len == 0 && seg->seq + before == sock->rcv_nxt))
                return FALSE;
            }
          if (before > seg->len)
            return FALSE;
        }
      seg->payload_off += MIN (before, seg->len);
      seg->len -= MIN (before, seg->len);
      seg->seq = sock->rcv_nxt;
    }
  if (tl_segment_seq_len (seg) == 0)
    return TL_SEQ_GEQ (seg->seq, sock->rcv_nxt) && TL_SEQ_LT (seg->seq, sock->rcv_nxt + wnd);
  return TL_SEQ_LT (seg->seq, sock->rcv_nxt + wnd);
}

/* A segment for a socket in SYN-SENT (RFC 9293 section 3.10.7.3). */
static void
synsent_input (TlSocket        *sock,
               const TlSegment *seg,
               TlWhy            why)
{
  gboolean has_ack = (seg->flags & TL_TCP_ACK) != 0;

  /* "first check the ACK bit: If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send
   * a reset (unless the RST bit is set, if so drop the segment)." */
  if (has_ack && (TL_SEQ_LEQ (seg->ack, sock->iss) || TL_SEQ_GT (seg->ack, sock->snd_nxt)))
    {
      if (!(seg->flags & TL_TCP_RST))
        tl_tcp_send_reset_for (sock->host, seg, why.ref);
      return;
    }
  /* "second check the RST bit: If the ACK was acceptable, then signal to
   * the user 'error: connection reset', drop the segment, enter CLOSED." */
  if (seg->flags & TL_TCP_RST)
    {
      if (has_ack)
        {
          tl_host_connection_failed (sock, ECONNREFUSED, why);
          enter_closed (sock, why);
        }
      return;
    }
  if (!(seg->flags & TL_TCP_SYN))
    return;

  /* "fourth check the SYN bit": RCV.NXT = SEG.SEQ+1, IRS = SEG.SEQ. */
  sock->irs = seg->seq;
  sock->irs_known = TRUE;
  sock->rcv_nxt = seg->seq + 1;
  learn_syn_options (sock, seg);
  sock->snd_wnd = seg->window;   /* unscaled in a SYN */
  sock->snd_wl1 = seg->seq;
  sock->snd_wl2 = seg->ack;

  if (has_ack)
    {
      /* Our SYN has been ACKed: "enter ESTABLISHED state, form an ACK
       * segment and send it." */
      process_ack (sock, seg, why);
      sock->snd_wl1 = seg->seq;
      tl_tcp_set_state (sock, TL_STATE_ESTABLISHED, why);
      settle_rto_after_handshake (sock);
      stop_retransmit (sock);
      send_ack (sock, NULL, why);
      tl_host_connection_ready (sock, why);
      output (sock, why);
      return;
    }

  /* Simultaneous open: "Otherwise, enter SYN-RECEIVED, form a SYN,ACK
   * segment <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it."  The SYN's
   * retransmission timer keeps running (Linux: with its current backoff). */
  tl_tcp_set_state (sock, TL_STATE_SYN_RECEIVED, why);
  send_syn (sock, 0, why);
  if (sock->rtx_timer == 0)
    arm_retransmit (sock);
}

/* New data for a socket whose application will not read any more (after
 * close() or shutdown(SHUT_RD)), in FIN-WAIT-1 or FIN-WAIT-2.  RFC 9293
 * section 3.6.1 (SHLD-3): "or if new data is received after CLOSE is
 * called, its TCP implementation SHOULD send a RST to show that data was
 * lost"; Linux (tcp_rcv_state_process, "RFC 1122 says we MUST send a
 * reset") answers the segment with a reset, <SEQ=SEG.ACK><CTL=RST>, and
 * the connection is gone. */
static gboolean
data_after_close (TlSocket        *sock,
                  const TlSegment *seg)
{
  return sock->rcv_shutdown && seg->len > 0
         && (sock->state == TL_STATE_FIN_WAIT_1 || sock->state == TL_STATE_FIN_WAIT_2)
         && TL_SEQ_GT (seg->seq + seg->len, sock->rcv_nxt);
}

static void
reset_on_data_after_close (TlSocket        *sock,
                           const TlSegment *seg,
                           TlWhy            why)
{
  answer_with_reset (sock->host, seg, why.cause, why.ref);
  if (!sock->orphan)
    tl_host_connection_failed (sock, ECONNRESET, why);
  sock->orphan = TRUE;
  enter_closed (sock, why);
}

/* Data and FIN of an acceptable segment (RFC 9293 "seventh" and "eighth"). */
static void
receive_text_and_fin (TlSocket        *sock,
                      const TlSegment *seg,
                      TlWhy            why)
{
  gboolean immediate = FALSE;
  gboolean need_ack = FALSE;

  if (data_after_close (sock, seg))
    {
      reset_on_data_after_close (sock, seg, why);
      return;
    }
  if (seg->len > 0)
    {
      if (seg->seq == sock->rcv_nxt)
        {
          gboolean first_data = !sock->data_received;
          sock->rcv_nxt += seg->len;
          sock->data_received = TRUE;
          /* The application takes it at once, unless it stopped reading. */
          if (sock->host->reads_off)
            sock->unread += seg->len;
          need_ack = TRUE;
          /* Linux: the first data of a connection starts quick-ACK mode
           * (tcp_event_data_recv -> tcp_incr_quickack): ACK at once. */
          if (first_data && is_linux (sock))
            sock->quick_acks = 16;
          if (is_linux (sock) && sock->quick_acks > 0 && !sock->pingpong)
            {
              sock->quick_acks--;
              immediate = TRUE;
            }
          /* RFC 9813/1122: ACK at least every second full segment. */
          if (sock->ack_pending && !is_linux (sock))
            immediate = TRUE;
        }
      else
        {
          /* Out of order: an immediate duplicate ACK. */
          send_challenge_ack (sock, why);
          return;
        }
    }

  if ((seg->flags & TL_TCP_FIN) && seg->seq + seg->len == sock->rcv_nxt)
    {
      sock->rcv_nxt++;
      switch (sock->state)
        {
        case TL_STATE_SYN_RECEIVED:
        case TL_STATE_ESTABLISHED:
          tl_tcp_set_state (sock, TL_STATE_CLOSE_WAIT, why);
          /* Linux: tcp_fin enters ping-pong mode; the ACK is delayed and
           * rides on our own FIN if the application closes first. */
          sock->pingpong = TRUE;
          need_ack = TRUE;
          immediate = !is_linux (sock);
          break;
        case TL_STATE_FIN_WAIT_1:
          /* Simultaneous close when our FIN is not yet acked. */
          if (our_fin_acked (sock))
            enter_time_wait (sock, why);
          else
            tl_tcp_set_state (sock, TL_STATE_CLOSING, why);
          need_ack = immediate = TRUE;
          break;
        case TL_STATE_FIN_WAIT_2:
          enter_time_wait (sock, why);
          need_ack = immediate = TRUE;
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
        default:
          break;
        }
    }
  if (need_ack)
    schedule_ack (sock, immediate, why);
}

/* A duplicate of the peer's FIN or SYN arriving late: answer with an ACK. */
static void
answer_duplicate (TlSocket        *sock,
                  const TlSegment *seg,
                  TlWhy            why)
{
  if (seg->flags & TL_TCP_RST)
    return;
  if (sock->state == TL_STATE_TIME_WAIT && (seg->flags & TL_TCP_FIN))
    {
      /* A retransmitted FIN: ACK it and restart the 2 MSL timeout. */
      send_ack (sock, NULL, why);
      enter_time_wait (sock, why);
      return;
    }
  send_challenge_ack (sock, why);
}

/* Linux >= 6.11: in SYN-RECV after a simultaneous open, the peer's
 * SYN,ACK (seq + 1 == rcv_nxt, ack == snd_nxt) completes the handshake,
 * answered by one ACK with a D-SACK block for the duplicate SYN. */
static gboolean
linux_synack_in_syn_recv (TlSocket        *sock,
                          const TlSegment *seg,
                          TlWhy            why)
{
  TlSackBlock dsack = { seg->seq, seg->seq + 1 };

  if ((seg->flags & (TL_TCP_SYN | TL_TCP_ACK)) != (TL_TCP_SYN | TL_TCP_ACK)
      || seg->seq + 1 != sock->rcv_nxt || seg->ack != sock->snd_nxt)
    return FALSE;
  if (settings_of (sock)->kernel_version < 61100)
    {
      /* Up to 6.10: a challenge ACK; ESTABLISHED comes with the peer's. */
      send_challenge_ack (sock, why);
      return TRUE;
    }
  take_timestamp (sock, seg);
  process_ack (sock, seg, why);
  sock->snd_wnd = (guint32) seg->window;   /* a SYN's window is unscaled */
  tl_tcp_set_state (sock, TL_STATE_ESTABLISHED, why);
  settle_rto_after_handshake (sock);
  stop_retransmit (sock);
  send_ack (sock, sock->sack_ok ? &dsack : NULL, why);
  tl_host_connection_ready (sock, why);
  output (sock, why);
  return TRUE;
}

static void
handle_rst (TlSocket        *sock,
            const TlSegment *seg,
            TlWhy            why)
{
  /* RFC 5961 section 3.2 (adopted by RFC 9293): reset only on an exact
   * match with RCV.NXT; in the window, a challenge ACK. */
  if (seg->seq != sock->rcv_nxt)
    {
      if (TL_SEQ_GEQ (seg->seq, sock->rcv_nxt)
          && TL_SEQ_LT (seg->seq, sock->rcv_nxt + MAX (sock->rcv_wnd, 1u)))
        send_challenge_ack (sock, why);
      return;
    }
  switch (sock->state)
    {
    case TL_STATE_SYN_RECEIVED:
      /* "If this connection was initiated with a passive OPEN, return
       * this connection to the LISTEN state"; from an active OPEN the
       * connection was refused. */
      if (sock->listener < 0)
        tl_host_connection_failed (sock, ECONNREFUSED, why);
      sock->orphan = sock->orphan || sock->listener >= 0;
      enter_closed (sock, why);
      return;
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSE_WAIT:
      tl_host_connection_failed (sock, ECONNRESET, why);
      enter_closed (sock, why);
      return;
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
      sock->orphan = TRUE;
      enter_closed (sock, why);
      return;
    case TL_STATE_NONE:
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_N_STATES:
    default:
      return;
    }
}

/* The ACK field's effect on the closing states ("fifth" in RFC 9293). */
static gboolean
ack_advances_state (TlSocket *sock,
                    TlWhy     why)
{
  switch (sock->state)
    {
    case TL_STATE_FIN_WAIT_1:
      if (our_fin_acked (sock))
        tl_tcp_set_state (sock, TL_STATE_FIN_WAIT_2, why);
      return TRUE;
    case TL_STATE_CLOSING:
      if (our_fin_acked (sock))
        enter_time_wait (sock, why);
      return TRUE;
    case TL_STATE_LAST_ACK:
      if (our_fin_acked (sock))
        {
          sock->orphan = TRUE;
          enter_closed (sock, why);
          return FALSE;
        }
      return TRUE;
    case TL_STATE_NONE:
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RECEIVED:
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_TIME_WAIT:
    case TL_N_STATES:
    default:
      return TRUE;
    }
}

/* Figure 8's exception, in SYN-RECEIVED only: anywhere else a SYN,ACK
 * repeating the peer's SYN is a late duplicate and gets a challenge ACK
 * (as Linux does in ESTABLISHED; its own SYN-RECV case is
 * linux_synack_in_syn_recv). */
static gboolean
is_old_syn_with_ack (TlSocket        *sock,
                     const TlSegment *seg)
{
  return sock->state == TL_STATE_SYN_RECEIVED && !is_linux (sock)
         && (seg->flags & TL_TCP_ACK) && sock->irs_known && seg->seq == sock->irs;
}

/* A segment for a socket in any state but LISTEN and SYN-SENT. */
static void
synchronized_input (TlSocket        *sock,
                    const TlSegment *arrived,
                    TlWhy            why)
{
  TlSegment seg = *arrived;

  if (sock->state == TL_STATE_SYN_RECEIVED && is_linux (sock)
      && linux_synack_in_syn_recv (sock, &seg, why))
    return;

  /* "first, check sequence number" */
  if (!trim_to_window (sock, &seg))
    {
      answer_duplicate (sock, &seg, why);
      return;
    }
  take_timestamp (sock, &seg);

  /* "second, check the RST bit" */
  if (seg.flags & TL_TCP_RST)
    {
      handle_rst (sock, &seg, why);
      return;
    }

  /* "fourth, check the SYN bit": "If the SYN bit is set, irrespective of
   * the sequence number, TCP endpoints MUST send a 'challenge ACK'" (RFC
   * 5961 section 4).  The one exception is section 3.5's simultaneous
   * open (Figure 8, line 6): the peer's SYN,ACK repeats the SYN we already
   * have (SEG.SEQ = IRS) and its ACK completes the handshake. */
  if ((arrived->flags & TL_TCP_SYN) && !is_old_syn_with_ack (sock, arrived))
    {
      send_challenge_ack (sock, why);
      return;
    }

  /* "fifth, check the ACK field" */
  if (!(seg.flags & TL_TCP_ACK))
    return;
  if (sock->state == TL_STATE_SYN_RECEIVED)
    {
      /* "If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state." */
      if (!(TL_SEQ_LT (sock->snd_una, seg.ack) && TL_SEQ_LEQ (seg.ack, sock->snd_nxt)))
        {
          tl_tcp_send_reset_for (sock->host, &seg, why.ref);
          return;
        }
      if (sock->is_request)
        {
          /* Linux's mini-socket becomes a full socket now: the tracepoint
           * shows it appear in SYN-RECV and move on at once. */
          sock->is_request = FALSE;
          sock->state = TL_STATE_NONE;
          tl_tcp_set_state (sock, TL_STATE_SYN_RECEIVED, why);
        }
      process_ack (sock, &seg, why);
      tl_tcp_set_state (sock, TL_STATE_ESTABLISHED, why);
      settle_rto_after_handshake (sock);
      tl_host_connection_ready (sock, why);
    }
  else if (sock->state == TL_STATE_TIME_WAIT)
    {
      /* Only a retransmitted FIN matters here (handled below). */
    }
  else
    {
      if (!process_ack (sock, &seg, why))
        return;
      if (!ack_advances_state (sock, why))
        return;
    }

  /* "seventh, process the segment text" and "eighth, check the FIN bit" */
  if (sock->state == TL_STATE_TIME_WAIT)
    {
      if (seg.flags & TL_TCP_FIN)
        answer_duplicate (sock, &seg, why);
      return;
    }
  receive_text_and_fin (sock, &seg, why);
  output (sock, why);
}

void
tl_tcp_input (TlSocket        *sock,
              const TlSegment *seg,
              guint32          packet)
{
  TlWhy why = why_segment (packet);

  switch (sock->state)
    {
    case TL_STATE_SYN_SENT:
      synsent_input (sock, seg, why);
      break;
    case TL_STATE_SYN_RECEIVED:
    case TL_STATE_ESTABLISHED:
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
      synchronized_input (sock, seg, why);
      break;
    case TL_STATE_LISTEN:
      tl_tcp_listen_input (sock, seg, packet);
      break;
    case TL_STATE_NONE:
    case TL_STATE_CLOSED:
    case TL_N_STATES:
    default:
      tl_tcp_send_reset_for (sock->host, seg, packet);
      break;
    }
}

/* RFC 9293 section 3.10.7.2, LISTEN: RST is ignored, an ACK gets a reset,
 * a SYN makes a new connection in SYN-RECEIVED answering with SYN,ACK. */
void
tl_tcp_listen_input (TlSocket        *listener,
                     const TlSegment *seg,
                     guint32          packet)
{
  TlWhy why = why_segment (packet);
  TlHost *host = listener->host;
  TlSocket *child;

  if (seg->flags & TL_TCP_RST)
    return;
  if (seg->flags & TL_TCP_ACK)
    {
      tl_tcp_send_reset_for (host, seg, packet);
      return;
    }
  if (!(seg->flags & TL_TCP_SYN))
    return;
  child = tl_host_new_socket (host);
  if (child == NULL)
    return;  /* backlog full: the SYN is dropped, as a full accept queue does */

  child->listener = listener->index;
  child->is_request = tl_host_is_linux (host);
  child->bound = TRUE;
  child->laddr = seg->dst_addr;
  child->lport = seg->dst_port;
  child->raddr = seg->src_addr;
  child->rport = seg->src_port;
  child->irs = seg->seq;
  child->irs_known = TRUE;
  child->rcv_nxt = seg->seq + 1;
  child->snd_una = child->iss;
  child->snd_nxt = child->iss + 1;
  child->rcv_wscale = own_wscale (child);
  learn_syn_options (child, seg);
  child->rcv_wnd = initial_rcv_wnd (child, child->ts_ok);
  child->snd_wnd = seg->window;
  child->snd_wl1 = seg->seq;
  child->rto = child->host->settings.rto_initial;
  child->retrans_stamp = now_of (child);
  child->state = TL_STATE_NONE;
  tl_tcp_set_state (child, TL_STATE_SYN_RECEIVED, why);
  send_syn (child, 0, why);
  arm_retransmit (child);
}

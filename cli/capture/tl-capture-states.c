/* tl-capture-states.c: the kernel's state changes as a per-socket state log.
 *
 * sock:inet_sock_set_state reports every change of a full socket, with
 * two things to know about Linux:
 *
 * - TIME-WAIT is never reported.  A socket that reaches it is replaced by
 *   a small "TIME-WAIT mini-socket" and the full socket goes to CLOSE: the
 *   tracepoint says CLOSING -> CLOSE or FIN_WAIT2 -> CLOSE.  That CLOSE is
 *   written as TIME-WAIT (unless a RST had just arrived, which really
 *   closes it).
 * - An orphaned socket (the application closed it) that reaches FIN-WAIT-2
 *   is also replaced by a mini-socket, at once, before the peer's FIN: the
 *   tracepoint says FIN_WAIT2 -> CLOSE although the connection is still in
 *   FIN-WAIT-2.  That line keeps FIN-WAIT-2; when the peer's FIN reaches
 *   the host later (seen in its pcap) an inferred FIN-WAIT-2 -> TIME-WAIT
 *   line is added at that moment, marked "inferred".
 *
 * A listener's half-open connections (request sockets) are not full
 * sockets and are not reported either: the accepted socket appears when
 * the handshake's last ACK arrives, as LISTEN -> SYN_RECV -> ESTABLISHED
 * within the same microsecond (the kernel makes it as a copy of the
 * listener).  Its first line is written NONE -> SYN-RECEIVED, as for any
 * socket that did not exist before.
 */
#include "tl-capture-private.h"

#include <string.h>

/* Tracepoint times are printed in microseconds; a call's own time can be
 * up to that much later than the state change it caused. */
#define TOLERANCE TL_USEC (2)

#define TCP_FIN 0x01
#define TCP_RST 0x04

typedef struct
{
  guint8     host;
  guint64    skaddr;
  guint16    sport;
  guint16    dport;
  guint32    daddr;
  gboolean   alive;
  guint      socket;
  TlTcpState state;
  TlTime     since;
} KernelSocket;

static TlTcpState
map_state (gint kernel)
{
  switch (kernel)
    {
    case TL_KSTATE_ESTABLISHED: return TL_STATE_ESTABLISHED;
    case TL_KSTATE_SYN_SENT: return TL_STATE_SYN_SENT;
    case TL_KSTATE_SYN_RECV: return TL_STATE_SYN_RECEIVED;
    case TL_KSTATE_NEW_SYN_RECV: return TL_STATE_SYN_RECEIVED;
    case TL_KSTATE_FIN_WAIT1: return TL_STATE_FIN_WAIT_1;
    case TL_KSTATE_FIN_WAIT2: return TL_STATE_FIN_WAIT_2;
    case TL_KSTATE_TIME_WAIT: return TL_STATE_TIME_WAIT;
    case TL_KSTATE_CLOSE: return TL_STATE_CLOSED;
    case TL_KSTATE_CLOSE_WAIT: return TL_STATE_CLOSE_WAIT;
    case TL_KSTATE_LAST_ACK: return TL_STATE_LAST_ACK;
    case TL_KSTATE_LISTEN: return TL_STATE_LISTEN;
    case TL_KSTATE_CLOSING: return TL_STATE_CLOSING;
    default: return TL_STATE_NONE;
    }
}

/* ---- what the host received, from its pcap ---- */

/* TCP flags of FRAME if it is a segment from PEER:PEER_PORT to
 * ADDR:PORT, else -1. */
static gint
frame_flags (const TlCaptureFrame *frame,
             guint32               peer,
             guint16               peer_port,
             guint32               addr,
             guint16               port)
{
  gsize length;
  const guint8 *p = g_bytes_get_data (frame->bytes, &length);
  gsize ihl;
  guint32 src, dst;

  if (length < 20 || (p[0] >> 4) != 4 || p[9] != 6)
    return -1;
  ihl = (gsize) (p[0] & 0x0f) * 4;
  if (length < ihl + 20)
    return -1;
  src = ((guint32) p[12] << 24) | ((guint32) p[13] << 16) | ((guint32) p[14] << 8) | p[15];
  dst = ((guint32) p[16] << 24) | ((guint32) p[17] << 16) | ((guint32) p[18] << 8) | p[19];
  if (src != peer || dst != addr
      || ((p[ihl] << 8) | p[ihl + 1]) != peer_port
      || ((p[ihl + 2] << 8) | p[ihl + 3]) != port)
    return -1;
  return p[ihl + 13];
}

/* The first segment with one of FLAGS on KS's connection in (AFTER,
 * UNTIL] that HOST received (or, OUTBOUND, sent): its flags, or 0 when
 * none. */
static gint
first_segment (const TlCapture    *capture,
               const KernelSocket *ks,
               gboolean            outbound,
               TlTime              after,
               TlTime              until,
               gint                flags,
               TlTime             *when)
{
  const TlCaptureHost *host = &capture->hosts[ks->host];

  for (guint i = 0; i < host->frames->len; i++)
    {
      const TlCaptureFrame *f = &g_array_index (host->frames, TlCaptureFrame, i);
      gint got;
      if (f->outbound != outbound || f->time <= after)
        continue;
      if (f->time > until)
        break;
      got = outbound ? frame_flags (f, host->addr, ks->sport, ks->daddr, ks->dport)
                     : frame_flags (f, ks->daddr, ks->dport, host->addr, ks->sport);
      if (got >= 0 && (got & flags))
        {
          if (when != NULL)
            *when = f->time;
          return got;
        }
    }
  return 0;
}

/* Whether the last segment HOST received on KS's connection by UNTIL was
 * a RST. */
static gboolean
last_received_is_rst (const TlCapture    *capture,
                      const KernelSocket *ks,
                      TlTime              until)
{
  const TlCaptureHost *host = &capture->hosts[ks->host];
  gint last = -1;

  for (guint i = 0; i < host->frames->len; i++)
    {
      const TlCaptureFrame *f = &g_array_index (host->frames, TlCaptureFrame, i);
      gint got;
      if (f->time > until)
        break;
      if (f->outbound)
        continue;
      got = frame_flags (f, ks->daddr, ks->dport, host->addr, ks->sport);
      if (got >= 0)
        last = got;
    }
  return last >= 0 && (last & TCP_RST);
}

/* ---- tying kernel sockets to the application's ---- */

static gint
find_host (const TlCapture    *capture,
           const TlStateEvent *event)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    if (event->saddr == capture->hosts[h].addr && event->sport == capture->hosts[h].port)
      return (gint) h;
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    if (event->saddr == capture->hosts[h].addr)
      return (gint) h;
  return -1;
}

/* Which application socket a kernel socket that starts with EVENT is:
 * the one whose connect(), listen() or accept() began it. */
static guint
match_socket (const TlCapture    *capture,
              guint               host,
              const TlStateEvent *event,
              gboolean           *used,
              guint              *n_extra)
{
  const TlCaptureHost *h = &capture->hosts[host];
  GArray *lives = h->lives;
  gint best = -1;

  if (event->new_state == TL_KSTATE_SYN_SENT || event->new_state == TL_KSTATE_LISTEN)
    {
      guint8 kind = event->new_state == TL_KSTATE_SYN_SENT ? TL_CALL_CONNECT : TL_CALL_LISTEN;
      /* The change happens inside the call: the latest such call before. */
      for (guint i = 0; i < lives->len; i++)
        {
          const TlCaptureLife *life = &g_array_index (lives, TlCaptureLife, i);
          if (life->kind == kind && !used[i] && life->time <= event->time + TOLERANCE)
            best = (gint) i;
        }
    }
  else
    {
      /* A connection the kernel made by itself (a listener's child): the
       * first accept() of that peer at or after it. */
      for (guint i = 0; i < lives->len && best < 0; i++)
        {
          const TlCaptureLife *life = &g_array_index (lives, TlCaptureLife, i);
          if (life->kind == TL_CALL_ACCEPT && !used[i]
              && life->peer_addr == event->daddr && life->peer_port == event->dport
              && life->time + TOLERANCE >= event->time)
            best = (gint) i;
        }
    }
  if (best >= 0)
    {
      used[best] = TRUE;
      return g_array_index (lives, TlCaptureLife, best).socket;
    }
  /* Never accepted, or began before anything we know: a socket of its
   * own, numbered after the application's. */
  return h->sockets->len + (*n_extra)++;
}

/* Whether EVENT, the first seen of its socket, is that socket's start:
 * made by a call (CLOSE -> SYN_SENT, LISTEN), or a listener's child (LISTEN
 * -> SYN_RECV).  Anything else comes from a socket this run did not make:
 * one left in a namespace of an earlier capture, which the kernel tears
 * down in the background seconds later, with the same addresses and
 * ports as ours (the tracepoint does not say which namespace). */
static gboolean
begins_in_this_run (const TlStateEvent *event)
{
  return event->old_state == TL_KSTATE_CLOSE || event->old_state == TL_KSTATE_LISTEN;
}

static KernelSocket *
find_alive (GArray             *ksocks,
            guint               host,
            const TlStateEvent *event)
{
  for (guint i = ksocks->len; i-- > 0;)
    {
      KernelSocket *ks = &g_array_index (ksocks, KernelSocket, i);
      if (!ks->alive || ks->host != host)
        continue;
      if (event->skaddr != 0 ? ks->skaddr == event->skaddr
                             : (ks->sport == event->sport && ks->dport == event->dport
                                && ks->daddr == event->daddr))
        return ks;
    }
  return NULL;
}

static gint
compare_events (gconstpointer a,
                gconstpointer b)
{
  const TlStateEvent *x = a, *y = b;

  return x->time < y->time ? -1 : x->time > y->time;
}

static gint
compare_states (gconstpointer a,
                gconstpointer b)
{
  const TlCaptureState *x = a, *y = b;

  return x->time < y->time ? -1 : x->time > y->time;
}

static void
add_line (GArray             *lines,
          const KernelSocket *ks,
          TlTime              time,
          TlTcpState          old_state,
          TlTcpState          new_state,
          gint                kernel_old,
          gint                kernel_new,
          gboolean            inferred,
          const char         *note)
{
  TlCaptureState line = { 0 };

  line.time = time;
  line.host = ks->host;
  line.socket = (guint8) MIN (ks->socket, G_MAXUINT8);
  line.old_state = (guint8) old_state;
  line.new_state = (guint8) new_state;
  line.kernel_old = (gint8) kernel_old;
  line.kernel_new = (gint8) kernel_new;
  line.inferred = inferred;
  line.sport = ks->sport;
  line.dport = ks->dport;
  line.note = note;
  g_array_append_val (lines, line);
}

/* KS went to CLOSE from CLOSING or FIN_WAIT2 at TIME: which it really is. */
static void
full_socket_closed (const TlCapture *capture,
                    KernelSocket    *ks,
                    const TlStateEvent *event,
                    GArray          *lines)
{
  TlTime when = 0, reset_sent;
  gint flags;

  if (last_received_is_rst (capture, ks, event->time + TOLERANCE))
    {
      add_line (lines, ks, event->time, ks->state, TL_STATE_CLOSED,
                event->old_state, event->new_state, FALSE, NULL);
      ks->state = TL_STATE_CLOSED;
      return;
    }
  if (event->old_state == TL_KSTATE_CLOSING
      || first_segment (capture, ks, FALSE, ks->since - 1, event->time + TOLERANCE, TCP_FIN, NULL))
    {
      add_line (lines, ks, event->time, ks->state, TL_STATE_TIME_WAIT,
                event->old_state, event->new_state, FALSE,
                "Linux reports CLOSE when the socket becomes a TIME-WAIT mini-socket");
      ks->state = TL_STATE_TIME_WAIT;
      return;
    }

  /* Orphaned in FIN-WAIT-2, no FIN yet: still FIN-WAIT-2, as a mini-socket. */
  add_line (lines, ks, event->time, TL_STATE_FIN_WAIT_2, TL_STATE_FIN_WAIT_2,
            event->old_state, event->new_state, FALSE,
            "the orphaned socket became a FIN-WAIT-2 mini-socket; Linux reports CLOSE");
  ks->state = TL_STATE_FIN_WAIT_2;
  flags = first_segment (capture, ks, FALSE, event->time, G_MAXINT64, TCP_FIN | TCP_RST, &when);
  /* New data reaching the mini-socket: it answers with a reset and is gone
   * (tcp_timewait_state_process: TCP_TW_RST). */
  if (first_segment (capture, ks, TRUE, event->time, G_MAXINT64, TCP_RST, &reset_sent)
      && (flags == 0 || reset_sent < when))
    {
      add_line (lines, ks, reset_sent, TL_STATE_FIN_WAIT_2, TL_STATE_CLOSED, -1, -1, TRUE,
                "the FIN-WAIT-2 mini-socket answered new data with a RST");
      ks->state = TL_STATE_CLOSED;
      return;
    }
  if (flags != 0)
    {
      TlTcpState next = (flags & TCP_RST) ? TL_STATE_CLOSED : TL_STATE_TIME_WAIT;
      add_line (lines, ks, when, TL_STATE_FIN_WAIT_2, next, -1, -1, TRUE,
                (flags & TCP_RST) ? "RST received by the FIN-WAIT-2 mini-socket"
                                  : "FIN received by the FIN-WAIT-2 mini-socket");
      ks->state = next;
    }
}

GArray *
tl_capture_states_build (const TlCapture *capture,
                         gboolean        *all_finished)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (TlCaptureState));
  g_autoptr (GArray) events = g_array_copy (capture->kernel_events);
  g_autoptr (GArray) ksocks = g_array_new (FALSE, TRUE, sizeof (KernelSocket));
  gboolean *used[TL_MAX_HOSTS] = { NULL };
  guint n_extra[TL_MAX_HOSTS] = { 0 };
  gboolean finished = TRUE;

  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    used[h] = g_new0 (gboolean, capture->hosts[h].lives->len + 1);
  /* trace_pipe merges the CPUs' buffers as it reads; sort to be sure. */
  g_array_sort (events, compare_events);

  for (guint i = 0; i < events->len; i++)
    {
      const TlStateEvent *event = &g_array_index (events, TlStateEvent, i);
      gint host = find_host (capture, event);
      KernelSocket *ks;

      if (host < 0)
        continue;
      ks = find_alive (ksocks, (guint) host, event);
      if (ks == NULL && !begins_in_this_run (event))
        continue;
      if (ks == NULL || event->old_state == TL_KSTATE_CLOSE)
        {
          KernelSocket fresh = { 0 };
          if (ks != NULL)
            ks->alive = FALSE;
          fresh.host = (guint8) host;
          fresh.skaddr = event->skaddr;
          fresh.sport = event->sport;
          fresh.dport = event->dport;
          fresh.daddr = event->daddr;
          fresh.alive = TRUE;
          fresh.since = event->time;
          fresh.state = map_state (event->old_state);
          fresh.socket = match_socket (capture, (guint) host, event, used[host], &n_extra[host]);
          g_array_append_val (ksocks, fresh);
          ks = &g_array_index (ksocks, KernelSocket, ksocks->len - 1);
        }
      /* A listener's child learns its peer only now. */
      if (ks->dport == 0 && event->dport != 0)
        {
          ks->dport = event->dport;
          ks->daddr = event->daddr;
        }

      if (event->new_state == TL_KSTATE_CLOSE
          && (event->old_state == TL_KSTATE_CLOSING || event->old_state == TL_KSTATE_FIN_WAIT2))
        full_socket_closed (capture, ks, event, lines);
      else if (ks->since == event->time && ks->state == TL_STATE_LISTEN
               && event->new_state == TL_KSTATE_SYN_RECV)
        {
          /* A listener's child: a new socket, which the kernel makes as a
           * copy of the listener, hence "LISTEN" as its old state. */
          add_line (lines, ks, event->time, TL_STATE_NONE, TL_STATE_SYN_RECEIVED,
                    event->old_state, event->new_state, FALSE,
                    "a new socket for a connection to the listener");
          ks->state = TL_STATE_SYN_RECEIVED;
        }
      else
        {
          TlTcpState next = map_state (event->new_state);
          add_line (lines, ks, event->time, ks->state, next,
                    event->old_state, event->new_state, FALSE, NULL);
          ks->state = next;
        }
    }

  for (guint i = 0; i < ksocks->len; i++)
    {
      const KernelSocket *ks = &g_array_index (ksocks, KernelSocket, i);
      if (ks->state != TL_STATE_CLOSED && ks->state != TL_STATE_TIME_WAIT)
        finished = FALSE;
    }
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    g_free (used[h]);

  /* Inferred lines were added out of order. */
  g_array_sort (lines, compare_states);
  if (all_finished != NULL)
    *all_finished = finished;
  return lines;
}

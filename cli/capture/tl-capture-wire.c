/* tl-capture-wire.c: the links and the pausable router, between two TUNs.
 *
 * The same decisions as the simulator's network (sim/tl-network.c), made
 * with the same pieces: TlLink for loss, jitter and serialization, TlRouter
 * for the hold queue, one TlRng on stream 3 of the scenario seed.  Given
 * the packets in the same order, a capture drops, holds and releases
 * exactly what a simulation does.  With a router a packet reaches it
 * delay/2 after leaving its sender and the receiver delay - delay/2 after
 * leaving the router.
 *
 * Router-in, hold and release are points in the model, not things a
 * kernel sees, so they are logged at the times the model gives them.  The
 * send and deliver times are real: when the packet was read from the
 * sender's TUN and written into the receiver's.
 */
#include "tl-capture-private.h"

#include <errno.h>
#include <unistd.h>

/* IPv4 header fields, read straight from the bytes. */
#define IP_VERSION(p)   ((p)[0] >> 4)
#define IP_DST(p)       (((guint32) (p)[16] << 24) | ((guint32) (p)[17] << 16) \
                         | ((guint32) (p)[18] << 8) | (p)[19])

#define MAX_PACKET 65536

static TlWirePacket *
packet_get (TlCapture *capture,
            guint32    id)
{
  return &g_array_index (capture->packets, TlWirePacket, id - 1);
}

static void
log_event (TlCapture    *capture,
           TlRecordKind  kind,
           TlTime        time,
           guint32       packet,
           guint32       frame)
{
  TlWireEvent event = { 0 };

  event.time = time;
  event.kind = (guint8) kind;
  event.packet = packet;
  event.frame = frame;
  g_array_append_val (capture->wire_log, event);
  if (kind != TL_REC_PAUSE && kind != TL_REC_RESUME)
    tl_capture_touch (capture, time);
}

static void
log_drop (TlCapture    *capture,
          TlTime        time,
          guint32       packet,
          guint         where,
          TlDropReason  reason)
{
  TlWireEvent *event;

  log_event (capture, TL_REC_DROP, time, packet, 0);
  event = &g_array_index (capture->wire_log, TlWireEvent, capture->wire_log->len - 1);
  event->where = (guint8) where;
  event->drop_reason = (guint8) reason;
}

static void
packet_done (TlCapture    *capture,
             TlWirePacket *p)
{
  p->where = TL_WIRE_FREE;
  g_clear_pointer (&p->bytes, g_bytes_unref);
  capture->in_flight--;
}

static guint32
add_frame (TlCaptureHost *host,
           TlTime         time,
           guint32        packet,
           gboolean       outbound,
           GBytes        *bytes)
{
  TlCaptureFrame frame = { time, packet, outbound, g_bytes_ref (bytes) };

  g_array_append_val (host->frames, frame);
  return host->frames->len;
}

/* ---- the last hop ---- */

static void
on_arrive_host (gpointer data,
                guint64  arg)
{
  TlCapture *capture = data;
  TlWirePacket *p = packet_get (capture, (guint32) arg);
  guint to = p->to;
  TlCaptureHost *dest = &capture->hosts[to];
  g_autoptr (GBytes) bytes = g_bytes_ref (p->bytes);
  gsize length;
  const guint8 *data_bytes = g_bytes_get_data (bytes, &length);
  TlTime now = tl_capture_now (capture);
  guint32 frame;
  ssize_t n;

  capture->max_deliver_late = MAX (capture->max_deliver_late, now - capture->vnow);
  /* Logged before the write: the kernel handles the packet inside it, so
   * a state change it causes comes after this time. */
  frame = add_frame (dest, now, p->id, FALSE, bytes);
  log_event (capture, TL_REC_DELIVER, now, p->id, frame);
  packet_done (capture, p);
  p = NULL;   /* reading below may grow the packet array */

  do
    n = write (dest->tun_fd, data_bytes, length);
  while (n < 0 && errno == EINTR);
  if (n != (ssize_t) length)
    {
      int saved = n < 0 ? errno : EIO;
      tl_capture_fail (capture,
                       g_error_new (TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_FAILED,
                                    "cannot write a packet into %s (host %s): %s",
                                    dest->ifname, dest->name, g_strerror (saved)));
      return;
    }
  /* The receiving kernel handles the packet inside write() and any answer
   * (a SYN-ACK, an ACK) is already waiting: take it at once, so its send
   * time is right. */
  tl_capture_wire_read (capture, to);
}

static void
start_last_hop (TlCapture    *capture,
                TlWirePacket *p)
{
  TlTime delay = capture->links[p->from].delay;

  p->where = TL_WIRE_TO_HOST;
  tl_event_queue_push (capture->queue, capture->vnow + (delay - delay / 2),
                       on_arrive_host, capture, p->id);
}

/* ---- the router ---- */

static void on_release (gpointer data, guint64 arg);

static void
release_next (TlCapture *capture)
{
  TlRouter *router = &capture->router;
  guint32 id;
  TlWirePacket *p;

  if (router->paused || !tl_router_release (router, &id))
    {
      router->draining = FALSE;
      return;
    }
  p = packet_get (capture, id);
  log_event (capture, TL_REC_RELEASE, capture->vnow, id, 0);
  start_last_hop (capture, p);

  if (router->len == 0)
    router->draining = FALSE;
  else if (router->release_gap > 0)
    {
      router->draining = TRUE;
      tl_event_queue_push (capture->queue, capture->vnow + router->release_gap,
                           on_release, capture, 0);
    }
  else
    release_next (capture);
}

static void
on_release (gpointer data,
            guint64  arg)
{
  release_next (data);
}

static void
on_pause (gpointer data,
          guint64  paused)
{
  TlCapture *capture = data;

  capture->router.paused = paused != 0;
  log_event (capture, paused ? TL_REC_PAUSE : TL_REC_RESUME, capture->vnow, 0, 0);
  if (!paused)
    release_next (capture);
}

static void
on_arrive_router (gpointer data,
                  guint64  arg)
{
  TlCapture *capture = data;
  TlWirePacket *p = packet_get (capture, (guint32) arg);

  log_event (capture, TL_REC_ROUTER_IN, capture->vnow, p->id, 0);
  switch (tl_router_arrive (&capture->router, p->id))
    {
    case TL_ROUTER_FORWARD:
      start_last_hop (capture, p);
      break;
    case TL_ROUTER_HOLD:
      p->where = TL_WIRE_HELD;
      log_event (capture, TL_REC_HOLD, capture->vnow, p->id, 0);
      break;
    case TL_ROUTER_DROP:
      log_drop (capture, capture->vnow, p->id, TL_HOST_ROUTER, TL_DROP_QUEUE_FULL);
      packet_done (capture, p);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
on_lost (gpointer data,
         guint64  arg)
{
  TlCapture *capture = data;
  TlWirePacket *p = packet_get (capture, (guint32) arg);

  /* Drawn as an arrow that stops half way, as the simulator records it. */
  log_drop (capture, capture->vnow, p->id,
            capture->has_router ? TL_HOST_ROUTER : p->to, TL_DROP_LOSS);
  packet_done (capture, p);
}

/* ---- the first hop ---- */

/* A packet HOST's kernel just sent at NOW. */
static void
wire_send (TlCapture *capture,
           guint      host,
           TlTime     now,
           GBytes    *bytes)
{
  TlWirePacket packet = { 0 };
  TlWirePacket *p;
  TlLink *link = &capture->links[host];
  gsize length;
  const guint8 *data = g_bytes_get_data (bytes, &length);
  TlTime depart, extra;
  guint32 frame;

  packet.id = capture->packets->len + 1;
  packet.from = (guint8) host;
  packet.to = (guint8) (1 - host);
  packet.where = TL_WIRE_TO_HOST;
  packet.bytes = g_bytes_ref (bytes);
  g_array_append_val (capture->packets, packet);
  p = packet_get (capture, packet.id);
  capture->in_flight++;

  frame = add_frame (&capture->hosts[host], now, p->id, TRUE, bytes);
  log_event (capture, TL_REC_SEND, now, p->id, frame);

  /* Only IPv4 to the peer has somewhere to go (IPv6 is off in the
   * namespaces, so nothing else is expected). */
  if (length < 20 || IP_VERSION (data) != 4 || IP_DST (data) != capture->hosts[1 - host].addr)
    {
      log_drop (capture, now, p->id, host, TL_DROP_NO_ROUTE);
      packet_done (capture, p);
      return;
    }

  if (!tl_link_enter (link, &capture->rng, now, (guint) length, &depart, &extra))
    {
      p->where = TL_WIRE_LOST;
      tl_event_queue_push (capture->queue, depart + extra + link->delay / 2, on_lost, capture, p->id);
      return;
    }
  if (capture->has_router)
    {
      p->where = TL_WIRE_TO_ROUTER;
      tl_event_queue_push (capture->queue, depart + extra + link->delay / 2,
                           on_arrive_router, capture, p->id);
    }
  else
    tl_event_queue_push (capture->queue, depart + extra + link->delay,
                         on_arrive_host, capture, p->id);
}

gboolean
tl_capture_wire_read (TlCapture *capture,
                      guint      host)
{
  TlCaptureHost *h = &capture->hosts[host];
  guint8 buffer[MAX_PACKET];

  for (;;)
    {
      ssize_t n = read (h->tun_fd, buffer, sizeof buffer);
      TlTime now = tl_capture_now (capture);
      g_autoptr (GBytes) bytes = NULL;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return TRUE;
      if (n <= 0)
        {
          int saved = n < 0 ? errno : EIO;
          tl_capture_fail (capture,
                           g_error_new (TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_FAILED,
                                        "cannot read from %s (host %s): %s",
                                        h->ifname, h->name, g_strerror (saved)));
          return FALSE;
        }
      bytes = g_bytes_new (buffer, (gsize) n);
      wire_send (capture, host, now, bytes);
    }
}

/* ---- setting up and finishing ---- */

void
tl_capture_wire_init (TlCapture *capture)
{
  const TlScenario *scenario = capture->scenario;

  capture->packets = g_array_new (FALSE, TRUE, sizeof (TlWirePacket));
  capture->wire_log = g_array_new (FALSE, TRUE, sizeof (TlWireEvent));
  for (guint d = 0; d < 2; d++)
    {
      TlLink *link = &capture->links[d];
      link->delay = scenario->links[d].delay;
      link->jitter = scenario->links[d].jitter;
      link->loss_ppm = scenario->links[d].loss_ppm;
      link->rate_bps = scenario->links[d].rate_bps;
      link->busy_until = 0;
    }
  /* Stream 3: what the simulator's network draws from. */
  tl_rng_init (&capture->rng, scenario->seed, 3);

  capture->has_router = scenario->has_router;
  if (scenario->has_router)
    {
      tl_router_init (&capture->router, scenario->router_queue, scenario->release_gap);
      for (guint i = 0; scenario->pauses != NULL && i < scenario->pauses->len; i++)
        {
          const TlPauseWindow *w = &g_array_index (scenario->pauses, TlPauseWindow, i);
          tl_event_queue_push (capture->queue, w->start, on_pause, capture, 1);
          tl_event_queue_push (capture->queue, w->end, on_pause, capture, 0);
        }
    }
}

void
tl_capture_wire_finish (TlCapture *capture,
                        TlTime     end)
{
  for (guint i = 0; capture->packets != NULL && i < capture->packets->len; i++)
    {
      TlWirePacket *p = &g_array_index (capture->packets, TlWirePacket, i);
      guint where;

      if (p->where == TL_WIRE_FREE)
        continue;
      where = p->where == TL_WIRE_HELD || (p->where == TL_WIRE_LOST && capture->has_router)
              ? TL_HOST_ROUTER : p->to;
      log_drop (capture, end, p->id, where,
                p->where == TL_WIRE_LOST ? TL_DROP_LOSS : TL_DROP_END);
      packet_done (capture, p);
    }
}

void
tl_capture_wire_clear (TlCapture *capture)
{
  if (capture->packets != NULL)
    {
      for (guint i = 0; i < capture->packets->len; i++)
        g_clear_pointer (&g_array_index (capture->packets, TlWirePacket, i).bytes, g_bytes_unref);
      g_clear_pointer (&capture->packets, g_array_unref);
    }
  g_clear_pointer (&capture->wire_log, g_array_unref);
  if (capture->has_router)
    tl_router_clear (&capture->router);
}

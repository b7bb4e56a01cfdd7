/* tl-network.c: moving packets between hosts through links and the router. */
#include "tl-network.h"

#include <string.h>

typedef enum
{
  PACKET_FREE,
  PACKET_TO_ROUTER,    /* on the first hop */
  PACKET_HELD,         /* queued in the paused router */
  PACKET_TO_HOST,      /* on the last (or only) hop */
  PACKET_LOST,         /* lost on the link, not yet half way */
} PacketWhere;

typedef struct
{
  TlSegment seg;
  guint32   id;
  guint8    from;
  guint8    to;
  guint8    where;
  guint32   next_free;
} Packet;

typedef struct
{
  guint32       addr;
  TlDeliverFunc deliver;
  gpointer      receiver;
} Endpoint;

struct _TlNetwork
{
  TlSim    *sim;
  Endpoint  hosts[TL_MAX_HOSTS];
  TlLink    links[2];
  TlRng     rng;
  gboolean  has_router;
  TlRouter  router;
  GArray   *packets;     /* Packet; index = handle */
  guint32   free_head;   /* G_MAXUINT32 when empty */
};

#define NO_PACKET G_MAXUINT32

TlNetwork *
tl_network_new (TlSim *sim)
{
  TlNetwork *net = g_new0 (TlNetwork, 1);

  net->sim = sim;
  net->packets = g_array_sized_new (FALSE, TRUE, sizeof (Packet), 64);
  net->free_head = NO_PACKET;
  return net;
}

void
tl_network_free (TlNetwork *net)
{
  if (net == NULL)
    return;
  tl_router_clear (&net->router);
  g_array_unref (net->packets);
  g_free (net);
}

void
tl_network_reset (TlNetwork *net,
                  guint64    seed)
{
  memset (net->hosts, 0, sizeof net->hosts);
  memset (net->links, 0, sizeof net->links);
  g_array_set_size (net->packets, 0);
  net->free_head = NO_PACKET;
  net->has_router = FALSE;
  /* Stream 3: the links' own randomness, apart from the hosts' ISNs. */
  tl_rng_init (&net->rng, seed, 3);
}

void
tl_network_attach_host (TlNetwork    *net,
                        guint         host,
                        guint32       addr,
                        TlDeliverFunc deliver,
                        gpointer      receiver)
{
  g_return_if_fail (host < TL_MAX_HOSTS);
  net->hosts[host] = (Endpoint) { addr, deliver, receiver };
}

void
tl_network_set_link (TlNetwork    *net,
                     guint         direction,
                     const TlLink *link)
{
  g_return_if_fail (direction < 2);
  net->links[direction] = *link;
  net->links[direction].busy_until = 0;
}

void
tl_network_set_router (TlNetwork *net,
                       guint      capacity,
                       TlTime     release_gap)
{
  net->has_router = TRUE;
  tl_router_init (&net->router, capacity, release_gap);
}

static guint32
packet_alloc (TlNetwork *net)
{
  guint32 handle;

  if (net->free_head != NO_PACKET)
    {
      handle = net->free_head;
      net->free_head = g_array_index (net->packets, Packet, handle).next_free;
      return handle;
    }
  g_array_set_size (net->packets, net->packets->len + 1);
  return net->packets->len - 1;
}

static inline Packet *
packet_get (TlNetwork *net,
            guint32    handle)
{
  return &g_array_index (net->packets, Packet, handle);
}

static void
packet_free (TlNetwork *net,
             guint32    handle)
{
  Packet *p = packet_get (net, handle);

  p->where = PACKET_FREE;
  p->next_free = net->free_head;
  net->free_head = handle;
}

static TlTraceRecord *
record_packet (TlNetwork    *net,
               TlRecordKind  kind,
               guint         where,
               const Packet *p)
{
  TlTraceRecord *rec = tl_trace_append (net->sim->trace, kind, net->sim->now, where);

  rec->packet = p->id;
  rec->seg = p->seg;
  return rec;
}

static gint
host_for_addr (TlNetwork *net,
               guint32    addr)
{
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    if (net->hosts[i].deliver != NULL && net->hosts[i].addr == addr)
      return (gint) i;
  return -1;
}

/* IPv4 + TCP headers and options, as the packet is on the wire. */
static guint
wire_bytes (const TlSegment *seg)
{
  return 20 + 20 + tl_tcp_options_length (&seg->opts) + seg->len;
}

static void on_arrive_host   (gpointer data, guint64 arg);
static void on_arrive_router (gpointer data, guint64 arg);
static void on_release       (gpointer data, guint64 arg);
static void on_lost          (gpointer data, guint64 arg);

static void
start_last_hop (TlNetwork *net,
                guint32    handle,
                TlTime     delay)
{
  packet_get (net, handle)->where = PACKET_TO_HOST;
  tl_sim_schedule_in (net->sim, delay, on_arrive_host, net, handle);
}

static TlTime
last_hop_delay (TlNetwork    *net,
                const Packet *p)
{
  TlTime delay = net->links[p->from].delay;

  return delay - delay / 2;
}

guint32
tl_network_send (TlNetwork       *net,
                 guint            host,
                 const TlSegment *seg,
                 guint            retransmit,
                 TlCause          cause,
                 guint32          cause_ref)
{
  TlLink *link = &net->links[host];
  guint32 handle = packet_alloc (net);
  Packet *p = packet_get (net, handle);
  TlTraceRecord *rec;
  TlTime depart, extra;
  gint to;

  p->seg = *seg;
  p->id = tl_trace_new_packet (net->sim->trace);
  p->from = (guint8) host;
  to = host_for_addr (net, seg->dst_addr);
  p->to = (guint8) (to < 0 ? (gint) (1 - host) : to);

  rec = record_packet (net, TL_REC_SEND, host, p);
  rec->retransmit = (guint16) MIN (retransmit, G_MAXUINT16);
  rec->cause = (guint8) cause;
  rec->cause_ref = cause_ref;

  if (to < 0 || to == (gint) host)
    {
      rec = record_packet (net, TL_REC_DROP, host, p);
      rec->drop_reason = TL_DROP_NO_ROUTE;
      packet_free (net, handle);
      return rec->packet;
    }

  if (!tl_link_enter (link, &net->rng, net->sim->now, wire_bytes (seg), &depart, &extra))
    {
      /* Drawn as an arrow that stops half way: the drop is recorded when
       * the packet would have been in the middle of the path. */
      p->where = PACKET_LOST;
      tl_sim_schedule (net->sim, depart + extra + link->delay / 2, on_lost, net, handle);
      return p->id;
    }

  if (net->has_router)
    {
      p->where = PACKET_TO_ROUTER;
      tl_sim_schedule (net->sim, depart + extra + link->delay / 2, on_arrive_router, net, handle);
    }
  else
    {
      p->where = PACKET_TO_HOST;
      tl_sim_schedule (net->sim, depart + extra + link->delay, on_arrive_host, net, handle);
    }
  return p->id;
}

static void
on_arrive_host (gpointer data,
                guint64  arg)
{
  TlNetwork *net = data;
  guint32 handle = (guint32) arg;
  Packet *p = packet_get (net, handle);
  Endpoint *dest = &net->hosts[p->to];
  TlSegment seg = p->seg;
  guint32 id = p->id;

  record_packet (net, TL_REC_DELIVER, p->to, p);
  /* Free before delivering: the receiver may send, which may reuse it. */
  packet_free (net, handle);
  dest->deliver (dest->receiver, &seg, id);
}

static void
on_lost (gpointer data,
         guint64  arg)
{
  TlNetwork *net = data;
  guint32 handle = (guint32) arg;
  Packet *p = packet_get (net, handle);
  TlTraceRecord *rec;

  rec = record_packet (net, TL_REC_DROP, net->has_router ? TL_HOST_ROUTER : p->to, p);
  rec->drop_reason = TL_DROP_LOSS;
  packet_free (net, handle);
}

static void
on_arrive_router (gpointer data,
                  guint64  arg)
{
  TlNetwork *net = data;
  guint32 handle = (guint32) arg;
  Packet *p = packet_get (net, handle);
  TlTraceRecord *rec;

  record_packet (net, TL_REC_ROUTER_IN, TL_HOST_ROUTER, p);
  switch (tl_router_arrive (&net->router, handle))
    {
    case TL_ROUTER_FORWARD:
      start_last_hop (net, handle, last_hop_delay (net, p));
      break;
    case TL_ROUTER_HOLD:
      p->where = PACKET_HELD;
      record_packet (net, TL_REC_HOLD, TL_HOST_ROUTER, p);
      break;
    case TL_ROUTER_DROP:
      rec = record_packet (net, TL_REC_DROP, TL_HOST_ROUTER, p);
      rec->drop_reason = TL_DROP_QUEUE_FULL;
      packet_free (net, handle);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* Lets the next held packet go; schedules the one after it when the router
 * spaces its releases. */
static void
release_next (TlNetwork *net)
{
  guint32 handle;
  Packet *p;

  if (net->router.paused || !tl_router_release (&net->router, &handle))
    {
      net->router.draining = FALSE;
      return;
    }
  p = packet_get (net, handle);
  record_packet (net, TL_REC_RELEASE, TL_HOST_ROUTER, p);
  start_last_hop (net, handle, last_hop_delay (net, p));

  if (net->router.len == 0)
    net->router.draining = FALSE;
  else if (net->router.release_gap > 0)
    {
      net->router.draining = TRUE;
      tl_sim_schedule_in (net->sim, net->router.release_gap, on_release, net, 0);
    }
  else
    release_next (net);
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
  TlNetwork *net = data;

  net->router.paused = paused != 0;
  tl_trace_append (net->sim->trace, paused ? TL_REC_PAUSE : TL_REC_RESUME,
                   net->sim->now, TL_HOST_ROUTER);
  if (!paused)
    release_next (net);
}

void
tl_network_add_pause (TlNetwork *net,
                      TlTime     start,
                      TlTime     end)
{
  TlTraceWindow window = { start, end };

  g_array_append_val (net->sim->trace->pauses, window);
  tl_sim_schedule (net->sim, start, on_pause, net, 1);
  tl_sim_schedule (net->sim, end, on_pause, net, 0);
}

void
tl_network_finish (TlNetwork *net,
                   TlTime     end)
{
  for (guint32 i = 0; i < net->packets->len; i++)
    {
      Packet *p = packet_get (net, i);
      TlTraceRecord *rec;

      if (p->where == PACKET_FREE)
        continue;
      rec = tl_trace_append (net->sim->trace, TL_REC_DROP, end,
                             p->where == PACKET_HELD || (p->where == PACKET_LOST && net->has_router)
                             ? TL_HOST_ROUTER : p->to);
      rec->packet = p->id;
      rec->seg = p->seg;
      rec->drop_reason = p->where == PACKET_LOST ? TL_DROP_LOSS : TL_DROP_END;
      p->where = PACKET_FREE;
    }
}

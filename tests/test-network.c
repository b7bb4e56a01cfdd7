/* test-network.c: links and the pausable router. */
#include <glib.h>

#include "tl-network.h"

typedef struct
{
  TlSim     *sim;
  TlNetwork *net;
  TlTrace   *trace;
  GArray    *arrivals[TL_MAX_HOSTS];   /* guint32 seq of each delivered segment */
} Fixture;

typedef struct
{
  Fixture *fixture;
  guint    host;
} Receiver;

static Receiver receivers[TL_MAX_HOSTS];

static void
deliver (gpointer         data,
         const TlSegment *seg,
         guint32          packet)
{
  Receiver *r = data;
  g_array_append_val (r->fixture->arrivals[r->host], seg->seq);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = tl_sim_new ();
  f->net = tl_network_new (f->sim);
  f->trace = tl_trace_new ();
  tl_sim_reset (f->sim, f->trace, 1000000);
  tl_network_reset (f->net, 1);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      f->arrivals[i] = g_array_new (FALSE, FALSE, sizeof (guint32));
      receivers[i] = (Receiver) { f, i };
      tl_network_attach_host (f->net, i, 0x0a000001 + i, deliver, &receivers[i]);
    }
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    g_array_unref (f->arrivals[i]);
  tl_network_free (f->net);
  tl_sim_free (f->sim);
  tl_trace_unref (f->trace);
}

static void
set_delay (Fixture *f,
           TlTime   delay)
{
  TlLink link = { .delay = delay };
  tl_network_set_link (f->net, 0, &link);
  tl_network_set_link (f->net, 1, &link);
}

/* Sends a SYN-like segment with SEQ from HOST at time AT. */
typedef struct
{
  Fixture *f;
  guint    host;
} SendCtx;

static SendCtx send_ctx[TL_MAX_HOSTS];

static void
on_send (gpointer data,
         guint64  seq)
{
  SendCtx *c = data;
  TlSegment seg = { 0 };

  seg.src_addr = 0x0a000001 + c->host;
  seg.dst_addr = 0x0a000001 + (1 - c->host);
  seg.seq = (guint32) seq;
  seg.flags = TL_TCP_SYN;
  tl_network_send (c->f->net, c->host, &seg, 0, TL_CAUSE_NONE, 0);
}

static void
send_at (Fixture *f,
         guint    host,
         TlTime   at,
         guint32  seq)
{
  send_ctx[host] = (SendCtx) { f, host };
  tl_sim_schedule (f->sim, at, on_send, &send_ctx[host], seq);
}

static guint
count_kind (Fixture      *f,
            TlRecordKind  kind)
{
  guint n = 0;
  for (guint i = 0; i < tl_trace_get_n_records (f->trace); i++)
    n += tl_trace_get_record (f->trace, i)->kind == kind;
  return n;
}

static const TlTraceRecord *
find_record (Fixture      *f,
             TlRecordKind  kind,
             guint32       packet)
{
  for (guint i = 0; i < tl_trace_get_n_records (f->trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (f->trace, i);
      if (rec->kind == kind && rec->packet == packet)
        return rec;
    }
  return NULL;
}

static void
test_direct_link_delay (Fixture       *f,
                        gconstpointer  data)
{
  set_delay (f, TL_SEC (5));
  send_at (f, 0, TL_MSEC (1), 100);
  tl_sim_run_until (f->sim, TL_TIME_NEVER);
  g_assert_cmpuint (f->arrivals[1]->len, ==, 1);
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 1)->time, ==, TL_MSEC (1) + TL_SEC (5));
  g_assert_cmpuint (count_kind (f, TL_REC_ROUTER_IN), ==, 0);
}

/* With a router, half the delay to it and the rest after it. */
static void
test_router_splits_delay (Fixture       *f,
                          gconstpointer  data)
{
  set_delay (f, TL_MSEC (3));
  tl_network_set_router (f->net, 10, 0);
  send_at (f, 1, 0, 1);
  tl_sim_run_until (f->sim, TL_TIME_NEVER);
  g_assert_cmpint (find_record (f, TL_REC_ROUTER_IN, 1)->time, ==, TL_USEC (1500));
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 1)->time, ==, TL_MSEC (3));
  g_assert_cmpuint (f->arrivals[0]->len, ==, 1);
}

/* Paused: everything is held in arrival order, released in that order at
 * the end of the window, from both directions interleaved. */
static void
test_router_holds_and_releases_in_order (Fixture       *f,
                                         gconstpointer  data)
{
  set_delay (f, TL_MSEC (2));
  tl_network_set_router (f->net, 100, 0);
  tl_network_add_pause (f->net, 0, TL_SEC (2));
  for (guint i = 0; i < 5; i++)
    {
      send_at (f, 0, TL_MSEC (100) * (2 * i), 10 + i);
      send_at (f, 1, TL_MSEC (100) * (2 * i + 1), 20 + i);
    }
  tl_sim_run_until (f->sim, TL_TIME_NEVER);
  g_assert_cmpuint (count_kind (f, TL_REC_HOLD), ==, 10);
  g_assert_cmpuint (count_kind (f, TL_REC_RELEASE), ==, 10);
  g_assert_cmpuint (count_kind (f, TL_REC_PAUSE), ==, 1);
  g_assert_cmpuint (count_kind (f, TL_REC_RESUME), ==, 1);
  for (guint i = 0; i < 5; i++)
    {
      g_assert_cmpuint (g_array_index (f->arrivals[1], guint32, i), ==, 10 + i);
      g_assert_cmpuint (g_array_index (f->arrivals[0], guint32, i), ==, 20 + i);
    }
  /* Release order is the hold order: packet ids 1..10 as sent. */
  {
    guint32 expected = 1;
    for (guint i = 0; i < tl_trace_get_n_records (f->trace); i++)
      {
        const TlTraceRecord *rec = tl_trace_get_record (f->trace, i);
        if (rec->kind != TL_REC_RELEASE)
          continue;
        g_assert_cmpint (rec->time, ==, TL_SEC (2));
        g_assert_cmpuint (rec->packet, ==, expected++);
      }
  }
  /* Each arrives one second-hop delay after the release. */
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 1)->time, ==, TL_SEC (2) + TL_MSEC (1));
}

static void
test_release_gap_and_late_arrivals (Fixture       *f,
                                    gconstpointer  data)
{
  set_delay (f, 0);
  tl_network_set_router (f->net, 100, TL_MSEC (10));
  tl_network_add_pause (f->net, 0, TL_SEC (1));
  send_at (f, 0, TL_MSEC (100), 1);
  send_at (f, 0, TL_MSEC (200), 2);
  send_at (f, 0, TL_MSEC (300), 3);
  /* Arrives while the release is still draining: must queue behind. */
  send_at (f, 1, TL_SEC (1) + TL_MSEC (5), 4);
  tl_sim_run_until (f->sim, TL_TIME_NEVER);
  g_assert_cmpint (find_record (f, TL_REC_RELEASE, 1)->time, ==, TL_SEC (1));
  g_assert_cmpint (find_record (f, TL_REC_RELEASE, 2)->time, ==, TL_SEC (1) + TL_MSEC (10));
  g_assert_cmpint (find_record (f, TL_REC_RELEASE, 3)->time, ==, TL_SEC (1) + TL_MSEC (20));
  g_assert_cmpint (find_record (f, TL_REC_RELEASE, 4)->time, ==, TL_SEC (1) + TL_MSEC (30));
  g_assert_nonnull (find_record (f, TL_REC_HOLD, 4));
}

static void
test_queue_full_drops_tail (Fixture       *f,
                            gconstpointer  data)
{
  const TlTraceRecord *drop;

  set_delay (f, 0);
  tl_network_set_router (f->net, 2, 0);
  tl_network_add_pause (f->net, 0, TL_SEC (1));
  for (guint i = 0; i < 4; i++)
    send_at (f, 0, TL_MSEC (10) * (i + 1), i);
  tl_sim_run_until (f->sim, TL_TIME_NEVER);
  g_assert_cmpuint (count_kind (f, TL_REC_HOLD), ==, 2);
  g_assert_cmpuint (count_kind (f, TL_REC_DROP), ==, 2);
  drop = find_record (f, TL_REC_DROP, 3);
  g_assert_nonnull (drop);
  g_assert_cmpuint (drop->drop_reason, ==, TL_DROP_QUEUE_FULL);
  g_assert_cmpuint (f->arrivals[1]->len, ==, 2);
  g_assert_cmpuint (g_array_index (f->arrivals[1], guint32, 0), ==, 0);
  g_assert_cmpuint (g_array_index (f->arrivals[1], guint32, 1), ==, 1);
}

static void
test_two_pause_windows (Fixture       *f,
                        gconstpointer  data)
{
  set_delay (f, 0);
  tl_network_set_router (f->net, 10, 0);
  tl_network_add_pause (f->net, TL_SEC (1), TL_SEC (2));
  tl_network_add_pause (f->net, TL_SEC (3), TL_SEC (4));
  send_at (f, 0, TL_MSEC (500), 1);     /* before: passes */
  send_at (f, 0, TL_MSEC (1500), 2);    /* held until 2 s */
  send_at (f, 0, TL_MSEC (2500), 3);    /* between: passes */
  send_at (f, 0, TL_MSEC (3500), 4);    /* held until 4 s */
  tl_sim_run_until (f->sim, TL_TIME_NEVER);
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 1)->time, ==, TL_MSEC (500));
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 2)->time, ==, TL_SEC (2));
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 3)->time, ==, TL_MSEC (2500));
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 4)->time, ==, TL_SEC (4));
  g_assert_cmpuint (f->trace->pauses->len, ==, 2);
}

static void
test_loss_is_seeded (Fixture       *f,
                     gconstpointer  data)
{
  TlLink lossy = { .delay = TL_MSEC (10), .loss_ppm = 300000 };
  guint delivered = 0, dropped = 0;

  tl_network_set_link (f->net, 0, &lossy);
  for (guint i = 0; i < 1000; i++)
    send_at (f, 0, TL_MSEC (1) * i, i);
  tl_sim_run_until (f->sim, TL_TIME_NEVER);
  delivered = f->arrivals[1]->len;
  dropped = count_kind (f, TL_REC_DROP);
  g_assert_cmpuint (delivered + dropped, ==, 1000);
  /* 30 % loss: far from 0 and from all. */
  g_assert_cmpuint (dropped, >, 220);
  g_assert_cmpuint (dropped, <, 380);
  /* Dropped half way along the path. */
  for (guint i = 0; i < tl_trace_get_n_records (f->trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (f->trace, i);
      if (rec->kind == TL_REC_DROP)
        {
          g_assert_cmpuint (rec->drop_reason, ==, TL_DROP_LOSS);
          g_assert_cmpint (rec->time, ==, find_record (f, TL_REC_SEND, rec->packet)->time + TL_MSEC (5));
        }
    }
}

static void
test_rate_serializes (Fixture       *f,
                      gconstpointer  data)
{
  /* 40-byte packets at 320 kbit/s: 1 ms each on the wire. */
  TlLink slow = { .delay = TL_MSEC (10), .rate_bps = 320000 };

  tl_network_set_link (f->net, 0, &slow);
  send_at (f, 0, 0, 1);
  send_at (f, 0, 0, 2);
  tl_sim_run_until (f->sim, TL_TIME_NEVER);
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 1)->time, ==, TL_MSEC (11));
  g_assert_cmpint (find_record (f, TL_REC_DELIVER, 2)->time, ==, TL_MSEC (12));
}

static void
test_in_flight_at_end_is_recorded (Fixture       *f,
                                   gconstpointer  data)
{
  set_delay (f, TL_SEC (10));
  send_at (f, 0, 0, 1);
  tl_sim_run_until (f->sim, TL_SEC (1));
  tl_network_finish (f->net, f->sim->now);
  g_assert_cmpuint (find_record (f, TL_REC_DROP, 1)->drop_reason, ==, TL_DROP_END);
  g_assert_cmpint (find_record (f, TL_REC_DROP, 1)->time, ==, TL_SEC (1));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) \
  g_test_add ("/network/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("direct-link-delay", test_direct_link_delay);
  ADD ("router-splits-delay", test_router_splits_delay);
  ADD ("router-holds-and-releases-in-order", test_router_holds_and_releases_in_order);
  ADD ("release-gap-and-late-arrivals", test_release_gap_and_late_arrivals);
  ADD ("queue-full-drops-tail", test_queue_full_drops_tail);
  ADD ("two-pause-windows", test_two_pause_windows);
  ADD ("loss-is-seeded", test_loss_is_seeded);
  ADD ("rate-serializes", test_rate_serializes);
  ADD ("in-flight-at-end-is-recorded", test_in_flight_at_end_is_recorded);
#undef ADD
  return g_test_run ();
}

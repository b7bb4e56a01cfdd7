/* test-io-traces.c: see test-io-traces.h. */
#include "test-io-traces.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#define DELAY TL_MSEC (100)

typedef struct
{
  TlTrace *trace;
  GArray  *order;      /* append order, to sort stably by time at the end */
  guint32  isn[2];
  guint32  ts_base[2];
  gboolean linux_layout;
} Builder;

static TlTraceRecord *
add (Builder      *b,
     TlRecordKind  kind,
     TlTime        time,
     guint         host)
{
  guint order = b->order->len;

  g_array_append_val (b->order, order);
  return tl_trace_append (b->trace, kind, time, host);
}

static void
builder_init (Builder    *b,
              const char *title,
              guint32     isn_a,
              guint32     isn_b)
{
  TlTrace *t = tl_trace_new ();

  b->trace = t;
  b->order = g_array_new (FALSE, FALSE, sizeof (guint));
  b->isn[0] = isn_a;
  b->isn[1] = isn_b;
  b->ts_base[0] = 1000;
  b->ts_base[1] = 777777;
  b->linux_layout = TRUE;
  t->source = TL_TRACE_SIMULATION;
  t->title = g_strdup (title);
  t->caption = g_strdup ("delay 100ms, hand-built");
  t->profile = g_strdup ("linux");
  t->hosts[0].name = g_strdup ("A");
  t->hosts[0].addr = TEST_ADDR_A;
  t->hosts[0].port = TEST_PORT_A;
  t->hosts[1].name = g_strdup ("B");
  t->hosts[1].addr = TEST_ADDR_B;
  t->hosts[1].port = TEST_PORT_B;
  t->has_router = TRUE;
}

typedef struct
{
  TlTime  t;
  guint   from;
  guint8  flags;
  guint32 seq;        /* relative to the sender's ISN */
  guint32 ack;        /* relative to the receiver's ISN */
  guint32 len;
  guint   n_dsack;    /* D-SACK block for the peer's SYN */
  gboolean lost;
  guint16 retransmit;
  guint32 cause_ref;
} Seg;

/* Puts the packet on the wire: SEND, ROUTER_IN at half way, then DELIVER
 * (or DROP on the second link), each a copy of the segment. */
static guint32
send_seg (Builder   *b,
          const Seg *s)
{
  TlTrace *t = b->trace;
  guint to = 1 - s->from;
  TlSegment seg = { 0 };
  TlTraceRecord *rec;
  guint32 packet = tl_trace_new_packet (t);

  seg.src_addr = t->hosts[s->from].addr;
  seg.src_port = t->hosts[s->from].port;
  seg.dst_addr = t->hosts[to].addr;
  seg.dst_port = t->hosts[to].port;
  seg.seq = b->isn[s->from] + s->seq;
  seg.ack = (s->flags & TL_TCP_ACK) ? b->isn[to] + s->ack : 0;
  seg.flags = s->flags;
  seg.len = s->len;
  seg.opts.layout = b->linux_layout ? TL_OPT_LAYOUT_LINUX : TL_OPT_LAYOUT_RFC;
  if (s->flags & TL_TCP_RST)
    seg.window = 0;
  else if (s->flags & TL_TCP_SYN)
    {
      seg.window = 64240;
      seg.opts.present = TL_OPT_MSS | TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE;
      seg.opts.mss = 1460;
      seg.opts.wscale = 10;
    }
  else
    {
      seg.window = 63;
      seg.opts.present = TL_OPT_TS;
    }
  if (seg.opts.present & TL_OPT_TS)
    {
      seg.opts.tsval = b->ts_base[s->from] + (guint32) (s->t / TL_MSEC (1));
      seg.opts.tsecr = (s->flags & TL_TCP_ACK) ? b->ts_base[to] + 5 : 0;
    }
  if (s->n_dsack > 0)
    {
      seg.opts.present |= TL_OPT_SACK;
      seg.opts.n_sack = 1;
      seg.opts.sack[0].left = b->isn[to];
      seg.opts.sack[0].right = b->isn[to] + 1;
    }
  if (s->len > 0)
    {
      g_autofree guint8 *data = g_malloc (s->len);
      for (guint i = 0; i < s->len; i++)
        data[i] = (guint8) ('a' + (i + s->from * 7) % 26);
      seg.payload_off = tl_trace_store_bytes (t, data, s->len);
    }

  rec = add (b, TL_REC_SEND, s->t, s->from);
  rec->packet = packet;
  rec->seg = seg;
  rec->retransmit = s->retransmit;
  rec->cause = s->cause_ref ? TL_CAUSE_SEGMENT : TL_CAUSE_CALL;
  rec->cause_ref = s->cause_ref;
  rec = add (b, TL_REC_ROUTER_IN, s->t + DELAY / 2, TL_HOST_ROUTER);
  rec->packet = packet;
  rec->seg = seg;
  if (s->lost)
    {
      rec = add (b, TL_REC_DROP, s->t + DELAY / 2, TL_HOST_ROUTER);
      rec->drop_reason = TL_DROP_LOSS;
    }
  else
    rec = add (b, TL_REC_DELIVER, s->t + DELAY, to);
  rec->packet = packet;
  rec->seg = seg;
  return packet;
}

static void
state (Builder    *b,
       TlTime      t,
       guint       host,
       TlTcpState  from,
       TlTcpState  to)
{
  TlTraceRecord *rec = add (b, TL_REC_STATE, t, host);
  rec->old_state = (guint8) from;
  rec->new_state = (guint8) to;
  rec->cause = TL_CAUSE_SEGMENT;
}

static void
call (Builder    *b,
      TlTime      t,
      guint       host,
      TlCallKind  kind,
      gint64      arg)
{
  TlTraceRecord *rec = add (b, TL_REC_CALL, t, host);
  rec->call = (guint8) kind;
  rec->arg = arg;
}

static TlTrace *
builder_finish (Builder *b,
                TlTime   end)
{
  TlTrace *t = b->trace;
  GArray *sorted = g_array_sized_new (FALSE, FALSE, sizeof (TlTraceRecord), t->records->len);
  g_autofree guint *index = g_new (guint, t->records->len);
  guint n = t->records->len;

  /* Insertion sort by (time, append order): stable and small. */
  for (guint i = 0; i < n; i++)
    {
      guint j = i;
      index[i] = i;
      while (j > 0 && tl_trace_get_record (t, index[j - 1])->time
                      > tl_trace_get_record (t, index[j])->time)
        {
          guint tmp = index[j];
          index[j] = index[j - 1];
          index[j - 1] = tmp;
          j--;
        }
    }
  for (guint i = 0; i < n; i++)
    g_array_append_vals (sorted, tl_trace_get_record (t, index[i]), 1);
  g_array_unref (t->records);
  t->records = sorted;
  t->end_time = end;
  g_array_unref (b->order);
  return t;
}

TlTrace *
test_trace_simultaneous (guint32 isn_a,
                         guint32 isn_b)
{
  Builder b;
  TlTime ms = TL_MSEC (1);
  TlTraceWindow pause = { TL_MSEC (3000), TL_MSEC (3500) };

  builder_init (&b, "simultaneous-open", isn_a, isn_b);
  g_array_append_val (b.trace->pauses, pause);
  for (guint h = 0; h < 2; h++)
    {
      call (&b, 0, h, TL_CALL_CONNECT, 0);
      state (&b, 0, h, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
      send_seg (&b, &(Seg) { .t = 0, .from = h, .flags = TL_TCP_SYN });
      /* The peer's SYN arrives in SYN-SENT. */
      state (&b, 100 * ms, h, TL_STATE_SYN_SENT, TL_STATE_SYN_RECEIVED);
      send_seg (&b, &(Seg) { .t = 100 * ms, .from = h, .flags = TL_TCP_SYN | TL_TCP_ACK,
                             .ack = 1 });
      state (&b, 200 * ms, h, TL_STATE_SYN_RECEIVED, TL_STATE_ESTABLISHED);
      send_seg (&b, &(Seg) { .t = 200 * ms, .from = h, .flags = TL_TCP_ACK, .seq = 1,
                             .ack = 1, .n_dsack = 1 });
    }
  call (&b, 1000 * ms, 0, TL_CALL_SEND, 100);
  send_seg (&b, &(Seg) { .t = 1000 * ms, .from = 0, .flags = TL_TCP_PSH | TL_TCP_ACK,
                         .seq = 1, .ack = 1, .len = 100 });
  send_seg (&b, &(Seg) { .t = 1100 * ms, .from = 1, .flags = TL_TCP_ACK, .seq = 1,
                         .ack = 101 });
  for (guint h = 0; h < 2; h++)
    {
      guint32 sent = h == 0 ? 100 : 0, got = h == 0 ? 0 : 100;
      call (&b, 2000 * ms, h, TL_CALL_CLOSE, 0);
      state (&b, 2000 * ms, h, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1);
      send_seg (&b, &(Seg) { .t = 2000 * ms, .from = h, .flags = TL_TCP_FIN | TL_TCP_ACK,
                             .seq = 1 + sent, .ack = 1 + got });
      state (&b, 2100 * ms, h, TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING);
      send_seg (&b, &(Seg) { .t = 2100 * ms, .from = h, .flags = TL_TCP_ACK,
                             .seq = 2 + sent, .ack = 2 + got });
      state (&b, 2200 * ms, h, TL_STATE_CLOSING, TL_STATE_TIME_WAIT);
    }
  {
    TlTraceRecord *rec = add (&b, TL_REC_TIMER, 2500 * ms, 0);
    rec->timer = TL_TIMER_DELAYED_ACK;
    rec = add (&b, TL_REC_PAUSE, 3000 * ms, TL_HOST_ROUTER);
    rec = add (&b, TL_REC_RESUME, 3500 * ms, TL_HOST_ROUTER);
  }
  return builder_finish (&b, 4000 * ms);
}

TlTrace *
test_trace_normal (guint32 isn_a,
                   guint32 isn_b)
{
  Builder b;
  TlTime ms = TL_MSEC (1);

  builder_init (&b, "normal-open", isn_a, isn_b);
  call (&b, 0, 1, TL_CALL_LISTEN, 0);
  state (&b, 0, 1, TL_STATE_CLOSED, TL_STATE_LISTEN);
  call (&b, 10 * ms, 0, TL_CALL_CONNECT, 0);
  state (&b, 10 * ms, 0, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  send_seg (&b, &(Seg) { .t = 10 * ms, .from = 0, .flags = TL_TCP_SYN, .lost = TRUE });
  send_seg (&b, &(Seg) { .t = 1010 * ms, .from = 0, .flags = TL_TCP_SYN, .retransmit = 1 });
  state (&b, 1110 * ms, 1, TL_STATE_LISTEN, TL_STATE_SYN_RECEIVED);
  send_seg (&b, &(Seg) { .t = 1110 * ms, .from = 1, .flags = TL_TCP_SYN | TL_TCP_ACK, .ack = 1 });
  state (&b, 1210 * ms, 0, TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED);
  send_seg (&b, &(Seg) { .t = 1210 * ms, .from = 0, .flags = TL_TCP_PSH | TL_TCP_ACK,
                         .seq = 1, .ack = 1, .len = 3 });
  state (&b, 1310 * ms, 1, TL_STATE_SYN_RECEIVED, TL_STATE_ESTABLISHED);
  send_seg (&b, &(Seg) { .t = 1310 * ms, .from = 1, .flags = TL_TCP_PSH | TL_TCP_ACK,
                         .seq = 1, .ack = 4, .len = 3 });
  state (&b, 1500 * ms, 0, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1);
  send_seg (&b, &(Seg) { .t = 1500 * ms, .from = 0, .flags = TL_TCP_FIN | TL_TCP_ACK,
                         .seq = 4, .ack = 4 });
  state (&b, 1600 * ms, 1, TL_STATE_ESTABLISHED, TL_STATE_CLOSE_WAIT);
  send_seg (&b, &(Seg) { .t = 1600 * ms, .from = 1, .flags = TL_TCP_ACK, .seq = 4, .ack = 5 });
  state (&b, 1700 * ms, 0, TL_STATE_FIN_WAIT_1, TL_STATE_FIN_WAIT_2);
  state (&b, 1800 * ms, 1, TL_STATE_CLOSE_WAIT, TL_STATE_LAST_ACK);
  send_seg (&b, &(Seg) { .t = 1800 * ms, .from = 1, .flags = TL_TCP_FIN | TL_TCP_ACK,
                         .seq = 4, .ack = 5 });
  state (&b, 1900 * ms, 0, TL_STATE_FIN_WAIT_2, TL_STATE_TIME_WAIT);
  send_seg (&b, &(Seg) { .t = 1900 * ms, .from = 0, .flags = TL_TCP_ACK, .seq = 5, .ack = 5 });
  state (&b, 2000 * ms, 1, TL_STATE_LAST_ACK, TL_STATE_CLOSED);
  return builder_finish (&b, 3000 * ms);
}

TlTrace *
test_trace_refused (guint32 isn_a)
{
  Builder b;
  TlTime ms = TL_MSEC (1);
  TlTraceRecord *rec;

  builder_init (&b, "refused", isn_a, 0);
  b.trace->has_router = FALSE;
  call (&b, 0, 0, TL_CALL_CONNECT, 0);
  state (&b, 0, 0, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  send_seg (&b, &(Seg) { .t = 0, .from = 0, .flags = TL_TCP_SYN });
  send_seg (&b, &(Seg) { .t = 100 * ms, .from = 1, .flags = TL_TCP_RST | TL_TCP_ACK,
                         .ack = 1 });
  state (&b, 200 * ms, 0, TL_STATE_SYN_SENT, TL_STATE_CLOSED);
  rec = add (&b, TL_REC_CALL_RESULT, 200 * ms, 0);
  rec->call = TL_CALL_CONNECT;
  rec->error = ECONNREFUSED;
  return builder_finish (&b, 300 * ms);
}

guint
test_trace_find (const TlTrace *trace,
                 TlRecordKind   kind,
                 guint          host,
                 guint          n)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == kind && rec->host == host && n-- == 0)
        return i;
    }
  g_error ("no record %u of kind %s on host %u", n, tl_record_kind_to_string (kind), host);
  return 0;
}

void
test_trace_remove_packet (TlTrace *trace,
                          guint32  packet)
{
  for (guint i = trace->records->len; i > 0; i--)
    if (tl_trace_get_record (trace, i - 1)->packet == packet)
      g_array_remove_index (trace->records, i - 1);
}

static char *tmpdir;

static void
remove_tmpdir (void)
{
  GDir *dir = g_dir_open (tmpdir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (tmpdir, name, NULL);
      g_unlink (path);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (tmpdir);
}

const char *
test_tmpdir (void)
{
  if (tmpdir == NULL)
    {
      tmpdir = g_dir_make_tmp ("tcpladder-io-XXXXXX", NULL);
      g_assert_nonnull (tmpdir);
      atexit (remove_tmpdir);
    }
  return tmpdir;
}

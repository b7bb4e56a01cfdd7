/* test-capture.c: the capture harness's pure parts and the bundle loader.
 *
 * Needs no privileges: the tracepoint parser, the state log built from
 * kernel events (TIME-WAIT mini-sockets, listener children, sockets tied
 * to calls), the bundle loader on hand-made bundles and on the committed
 * ones in data/captures, and the command line's refusals.  Live captures
 * are in test-capture-live.c.
 */
#include <errno.h>
#include <pcap/pcap.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "tl-bundle.h"
#include "tl-scenario.h"
#include "tl-capture-private.h"
#include "tl-io-error.h"
#include "tl-packet.h"

#define ADDR_A 0x0a000101u   /* 10.0.1.1 */
#define ADDR_B 0x0a000201u   /* 10.0.2.1 */
#define PORT_A 40000
#define PORT_B 8080

/* ---- the tracepoint's text ---- */

static void
test_parse_default_format (void)
{
  const char *line =
    "           proto-6701    [000] b..1.   659.673888: inet_sock_set_state: family=AF_INET "
    "protocol=IPPROTO_TCP sport=5000 dport=5001 saddr=10.0.0.1 daddr=10.0.0.2 "
    "saddrv6=::ffff:10.0.0.1 daddrv6=::ffff:10.0.0.2 oldstate=TCP_SYN_SENT newstate=TCP_SYN_RECV";
  TlStateEvent e;

  g_assert_true (tl_tracefs_parse_line (line, &e));
  g_assert_cmpint (e.time, ==, G_GINT64_CONSTANT (659673888000));
  g_assert_cmpint (e.old_state, ==, TL_KSTATE_SYN_SENT);
  g_assert_cmpint (e.new_state, ==, TL_KSTATE_SYN_RECV);
  g_assert_cmpuint (e.sport, ==, 5000);
  g_assert_cmpuint (e.dport, ==, 5001);
  g_assert_cmphex (e.saddr, ==, 0x0a000001);
  g_assert_cmphex (e.daddr, ==, 0x0a000002);
  g_assert_cmpuint (e.skaddr, ==, 0);
}

static void
test_parse_fields_format (void)
{
  /* The "fields" option: every field as hex with its decimal value. */
  const char *line =
    "         python3-7315    [001] .....   738.617909: inet_sock_set_state: "
    "skaddr=0xffff888102e1dc80 (-131387296195456) oldstate=0x7 (7) newstate=0x2 (2) "
    "sport=0x9c40 (40000) dport=0x1f90 (8080) family=0x2 (2) protocol=0x6 (6) "
    "saddr=0x101000a (16842762) daddr=0x102000a (16908298) saddr_v6=<INVALID-SIZE> daddr_v6=<INVALID-SIZE>";
  TlStateEvent e;

  g_assert_true (tl_tracefs_parse_line (line, &e));
  g_assert_cmpint (e.time, ==, G_GINT64_CONSTANT (738617909000));
  g_assert_cmpuint (e.skaddr, ==, G_GUINT64_CONSTANT (0xffff888102e1dc80));
  g_assert_cmpint (e.old_state, ==, TL_KSTATE_CLOSE);
  g_assert_cmpint (e.new_state, ==, TL_KSTATE_SYN_SENT);
  g_assert_cmpuint (e.sport, ==, 40000);
  g_assert_cmpuint (e.dport, ==, 8080);
  g_assert_cmphex (e.saddr, ==, ADDR_A);
  g_assert_cmphex (e.daddr, ==, ADDR_B);
}

static void
test_parse_rejects (void)
{
  static const char *const bad[] = {
    "",
    "CPU:1 [LOST 12 EVENTS]",
    "# tracer: nop",
    /* no new state */
    "x-1 [000] ..... 1.000001: inet_sock_set_state: sport=1 dport=2 saddr=1.2.3.4 daddr=1.2.3.5 oldstate=TCP_CLOSE",
    /* a state name the kernel does not have */
    "x-1 [000] ..... 1.000001: inet_sock_set_state: sport=1 dport=2 saddr=1.2.3.4 daddr=1.2.3.5 "
    "oldstate=TCP_CLOSE newstate=TCP_DANCING",
    /* no timestamp */
    "x-1 [000] ..... : inet_sock_set_state: sport=1 dport=2 saddr=1.2.3.4 daddr=1.2.3.5 "
    "oldstate=TCP_CLOSE newstate=TCP_LISTEN",
    /* an address that is not one */
    "x-1 [000] ..... 1.5: inet_sock_set_state: sport=1 dport=2 saddr=1.2.3.400 daddr=1.2.3.5 "
    "oldstate=TCP_CLOSE newstate=TCP_LISTEN",
    "x-1 [000] ..... 1.5: sched_switch: prev=a next=b",
  };
  TlStateEvent e;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (tl_tracefs_parse_line (bad[i], &e));
  g_assert_cmpstr (tl_kernel_state_to_string (TL_KSTATE_CLOSING), ==, "TCP_CLOSING");
  g_assert_cmpstr (tl_kernel_state_to_string (99), ==, "TCP_UNKNOWN");
}

/* ---- the state log ---- */

typedef struct
{
  TlCapture capture;
} StatesFixture;

static void
states_setup (StatesFixture *f,
              gconstpointer  data)
{
  TlCapture *c = &f->capture;
  const guint32 addrs[2] = { ADDR_A, ADDR_B };
  const guint16 ports[2] = { PORT_A, PORT_B };

  memset (f, 0, sizeof *f);
  c->kernel_events = g_array_new (FALSE, TRUE, sizeof (TlStateEvent));
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      c->hosts[h].index = h;
      c->hosts[h].addr = addrs[h];
      c->hosts[h].port = ports[h];
      c->hosts[h].frames = g_array_new (FALSE, TRUE, sizeof (TlCaptureFrame));
      c->hosts[h].lives = g_array_new (FALSE, TRUE, sizeof (TlCaptureLife));
      c->hosts[h].sockets = g_ptr_array_new ();
    }
}

static void
states_teardown (StatesFixture *f,
                 gconstpointer  data)
{
  TlCapture *c = &f->capture;

  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      for (guint i = 0; i < c->hosts[h].frames->len; i++)
        g_bytes_unref (g_array_index (c->hosts[h].frames, TlCaptureFrame, i).bytes);
      g_array_unref (c->hosts[h].frames);
      g_array_unref (c->hosts[h].lives);
      g_ptr_array_unref (c->hosts[h].sockets);
    }
  g_array_unref (c->kernel_events);
}

static void
add_event (StatesFixture *f,
           TlTime         time,
           guint          host,
           guint64        skaddr,
           gint           old_state,
           gint           new_state,
           gboolean       connected)
{
  TlCapture *c = &f->capture;
  TlStateEvent e = { 0 };

  e.time = time;
  e.skaddr = skaddr;
  e.old_state = old_state;
  e.new_state = new_state;
  e.saddr = c->hosts[host].addr;
  e.sport = c->hosts[host].port;
  if (connected)
    {
      e.daddr = c->hosts[1 - host].addr;
      e.dport = c->hosts[1 - host].port;
    }
  g_array_append_val (c->kernel_events, e);
}

static void
add_life (StatesFixture *f,
          guint          host,
          TlTime         time,
          TlCallKind     kind,
          guint          socket)
{
  TlCapture *c = &f->capture;
  TlCaptureLife life = { time, (guint8) kind, socket, 0, 0 };

  if (kind == TL_CALL_ACCEPT)
    {
      life.peer_addr = c->hosts[1 - host].addr;
      life.peer_port = c->hosts[1 - host].port;
    }
  g_array_append_val (c->hosts[host].lives, life);
  while (c->hosts[host].sockets->len <= socket)
    g_ptr_array_add (c->hosts[host].sockets, NULL);
}

/* A segment from HOST's peer arriving at HOST at TIME (or, OUTBOUND, one
 * HOST sent). */
static void
add_frame (StatesFixture *f,
           guint          host,
           gboolean       outbound,
           TlTime         time,
           guint8         flags)
{
  TlCapture *c = &f->capture;
  TlSegment seg = { 0 };
  guint8 bytes[TL_PACKET_HEADERS_MAX];
  gsize length;
  TlCaptureFrame frame = { 0 };
  guint from = outbound ? host : 1 - host;

  seg.src_addr = c->hosts[from].addr;
  seg.dst_addr = c->hosts[1 - from].addr;
  seg.src_port = c->hosts[from].port;
  seg.dst_port = c->hosts[1 - from].port;
  seg.flags = flags;
  seg.window = 64;
  length = tl_packet_build_ipv4 (&seg, NULL, 1, 64, bytes, sizeof bytes);
  g_assert_cmpuint (length, ==, 40);
  frame.time = time;
  frame.outbound = outbound;
  frame.bytes = g_bytes_new (bytes, length);
  g_array_append_val (c->hosts[host].frames, frame);
}

static void
add_received (StatesFixture *f,
              guint          host,
              TlTime         time,
              guint8         flags)
{
  add_frame (f, host, FALSE, time, flags);
}

static const TlCaptureState *
line_at (GArray *lines,
         guint   index)
{
  g_assert_cmpuint (index, <, lines->len);
  return &g_array_index (lines, TlCaptureState, index);
}

static void
assert_line (GArray     *lines,
             guint       index,
             guint       host,
             guint       socket,
             TlTcpState  old_state,
             TlTcpState  new_state)
{
  const TlCaptureState *s = line_at (lines, index);

  g_assert_cmpuint (s->host, ==, host);
  g_assert_cmpuint (s->socket, ==, socket);
  g_assert_cmpstr (tl_tcp_state_to_string (s->old_state), ==, tl_tcp_state_to_string (old_state));
  g_assert_cmpstr (tl_tcp_state_to_string (s->new_state), ==, tl_tcp_state_to_string (new_state));
}

static void
test_states_simultaneous_close (StatesFixture *f,
                                gconstpointer  data)
{
  g_autoptr (GArray) lines = NULL;
  gboolean finished = FALSE;

  add_life (f, 0, TL_MSEC (100), TL_CALL_CONNECT, 0);
  add_event (f, TL_MSEC (100) + 30, 0, 0xa0, TL_KSTATE_CLOSE, TL_KSTATE_SYN_SENT, TRUE);
  add_event (f, TL_MSEC (120), 0, 0xa0, TL_KSTATE_SYN_SENT, TL_KSTATE_ESTABLISHED, TRUE);
  add_event (f, TL_SEC (1), 0, 0xa0, TL_KSTATE_ESTABLISHED, TL_KSTATE_FIN_WAIT1, TRUE);
  add_received (f, 0, TL_MSEC (1020), 0x11);   /* the peer's FIN,ACK */
  add_event (f, TL_MSEC (1020), 0, 0xa0, TL_KSTATE_FIN_WAIT1, TL_KSTATE_CLOSING, TRUE);
  add_received (f, 0, TL_MSEC (1040), 0x10);
  add_event (f, TL_MSEC (1040), 0, 0xa0, TL_KSTATE_CLOSING, TL_KSTATE_CLOSE, TRUE);

  lines = tl_capture_states_build (&f->capture, &finished);
  g_assert_cmpuint (lines->len, ==, 5);
  assert_line (lines, 0, 0, 0, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  assert_line (lines, 3, 0, 0, TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING);
  /* Linux says CLOSE: the socket became a TIME-WAIT mini-socket. */
  assert_line (lines, 4, 0, 0, TL_STATE_CLOSING, TL_STATE_TIME_WAIT);
  g_assert_cmpint (line_at (lines, 4)->kernel_new, ==, TL_KSTATE_CLOSE);
  g_assert_false (line_at (lines, 4)->inferred);
  g_assert_true (finished);
}

static void
test_states_orphan_fin_wait_2 (StatesFixture *f,
                               gconstpointer  data)
{
  g_autoptr (GArray) before = NULL;
  g_autoptr (GArray) after = NULL;
  gboolean finished = TRUE;

  add_life (f, 0, 0, TL_CALL_CONNECT, 0);
  add_event (f, 10, 0, 0xa0, TL_KSTATE_CLOSE, TL_KSTATE_SYN_SENT, TRUE);
  add_event (f, TL_MSEC (20), 0, 0xa0, TL_KSTATE_SYN_SENT, TL_KSTATE_ESTABLISHED, TRUE);
  add_event (f, TL_MSEC (500), 0, 0xa0, TL_KSTATE_ESTABLISHED, TL_KSTATE_FIN_WAIT1, TRUE);
  add_received (f, 0, TL_MSEC (520), 0x10);    /* the ACK of our FIN, no FIN */
  add_event (f, TL_MSEC (520), 0, 0xa0, TL_KSTATE_FIN_WAIT1, TL_KSTATE_FIN_WAIT2, TRUE);
  add_event (f, TL_MSEC (520) + 5, 0, 0xa0, TL_KSTATE_FIN_WAIT2, TL_KSTATE_CLOSE, TRUE);

  /* No FIN yet: still FIN-WAIT-2, so the run is not over. */
  before = tl_capture_states_build (&f->capture, &finished);
  g_assert_false (finished);
  g_assert_cmpuint (before->len, ==, 5);
  assert_line (before, 4, 0, 0, TL_STATE_FIN_WAIT_2, TL_STATE_FIN_WAIT_2);
  g_assert_nonnull (line_at (before, 4)->note);

  /* The peer's FIN reaches the mini-socket later: inferred TIME-WAIT. */
  add_received (f, 0, TL_SEC (2), 0x11);
  after = tl_capture_states_build (&f->capture, &finished);
  g_assert_true (finished);
  g_assert_cmpuint (after->len, ==, 6);
  assert_line (after, 5, 0, 0, TL_STATE_FIN_WAIT_2, TL_STATE_TIME_WAIT);
  g_assert_true (line_at (after, 5)->inferred);
  g_assert_cmpint (line_at (after, 5)->time, ==, TL_SEC (2));
  g_assert_cmpint (line_at (after, 5)->kernel_old, ==, -1);
}

/* The orphaned FIN-WAIT-2 mini-socket answers the peer's late data with a
 * RST (no tracepoint says so): an inferred FIN-WAIT-2 -> CLOSED then. */
static void
test_states_mini_socket_resets (StatesFixture *f,
                                gconstpointer  data)
{
  g_autoptr (GArray) lines = NULL;
  gboolean finished = FALSE;

  add_life (f, 0, 0, TL_CALL_CONNECT, 0);
  add_event (f, 10, 0, 0xa0, TL_KSTATE_CLOSE, TL_KSTATE_SYN_SENT, TRUE);
  add_event (f, TL_MSEC (20), 0, 0xa0, TL_KSTATE_SYN_SENT, TL_KSTATE_ESTABLISHED, TRUE);
  add_event (f, TL_MSEC (500), 0, 0xa0, TL_KSTATE_ESTABLISHED, TL_KSTATE_FIN_WAIT1, TRUE);
  add_received (f, 0, TL_MSEC (560), 0x10);
  add_event (f, TL_MSEC (560), 0, 0xa0, TL_KSTATE_FIN_WAIT1, TL_KSTATE_FIN_WAIT2, TRUE);
  add_event (f, TL_MSEC (560) + 5, 0, 0xa0, TL_KSTATE_FIN_WAIT2, TL_KSTATE_CLOSE, TRUE);
  add_received (f, 0, TL_MSEC (1010), 0x18);   /* PSH,ACK: late data */
  add_frame (f, 0, TRUE, TL_MSEC (1010) + 40, 0x04);   /* the answer: RST */
  add_received (f, 0, TL_MSEC (1500), 0x11);   /* a FIN later changes nothing */

  lines = tl_capture_states_build (&f->capture, &finished);
  assert_line (lines, lines->len - 1, 0, 0, TL_STATE_FIN_WAIT_2, TL_STATE_CLOSED);
  g_assert_true (line_at (lines, lines->len - 1)->inferred);
  g_assert_cmpint (line_at (lines, lines->len - 1)->time, ==, TL_MSEC (1010) + 40);
  g_assert_true (finished);
}

static void
test_states_reset_closes (StatesFixture *f,
                          gconstpointer  data)
{
  g_autoptr (GArray) lines = NULL;
  gboolean finished = FALSE;

  add_life (f, 0, 0, TL_CALL_CONNECT, 0);
  add_event (f, 10, 0, 0xa0, TL_KSTATE_CLOSE, TL_KSTATE_SYN_SENT, TRUE);
  add_event (f, TL_MSEC (20), 0, 0xa0, TL_KSTATE_SYN_SENT, TL_KSTATE_ESTABLISHED, TRUE);
  add_event (f, TL_MSEC (500), 0, 0xa0, TL_KSTATE_ESTABLISHED, TL_KSTATE_FIN_WAIT1, TRUE);
  add_event (f, TL_MSEC (520), 0, 0xa0, TL_KSTATE_FIN_WAIT1, TL_KSTATE_FIN_WAIT2, TRUE);
  add_received (f, 0, TL_MSEC (900), 0x14);    /* RST,ACK */
  add_event (f, TL_MSEC (900) + 3000, 0, 0xa0, TL_KSTATE_FIN_WAIT2, TL_KSTATE_CLOSE, TRUE);

  lines = tl_capture_states_build (&f->capture, &finished);
  assert_line (lines, lines->len - 1, 0, 0, TL_STATE_FIN_WAIT_2, TL_STATE_CLOSED);
  g_assert_true (finished);
}

static void
test_states_listener_child (StatesFixture *f,
                            gconstpointer  data)
{
  g_autoptr (GArray) lines = NULL;
  gboolean finished = TRUE;

  /* B listens on socket 0; the connection's socket appears at the last
   * ACK of the handshake, and accept() hands it over as socket 1. */
  add_life (f, 1, 100, TL_CALL_LISTEN, 0);
  add_event (f, 150, 1, 0xb0, TL_KSTATE_CLOSE, TL_KSTATE_LISTEN, FALSE);
  add_event (f, TL_MSEC (130), 1, 0xb1, TL_KSTATE_LISTEN, TL_KSTATE_SYN_RECV, TRUE);
  add_event (f, TL_MSEC (130) + 20000, 1, 0xb1, TL_KSTATE_SYN_RECV, TL_KSTATE_ESTABLISHED, TRUE);
  add_life (f, 1, TL_MSEC (131), TL_CALL_ACCEPT, 1);

  lines = tl_capture_states_build (&f->capture, &finished);
  g_assert_cmpuint (lines->len, ==, 3);
  assert_line (lines, 0, 1, 0, TL_STATE_CLOSED, TL_STATE_LISTEN);
  assert_line (lines, 1, 1, 1, TL_STATE_NONE, TL_STATE_SYN_RECEIVED);
  g_assert_cmpint (line_at (lines, 1)->kernel_old, ==, TL_KSTATE_LISTEN);
  assert_line (lines, 2, 1, 1, TL_STATE_SYN_RECEIVED, TL_STATE_ESTABLISHED);
  /* A listener and an established connection: not over. */
  g_assert_false (finished);
}

static void
test_states_sockets_by_call (StatesFixture *f,
                             gconstpointer  data)
{
  g_autoptr (GArray) lines = NULL;

  /* Two connects on two sockets of A; the kernel reuses the freed
   * socket's address for the second (same skaddr). */
  add_life (f, 0, TL_MSEC (100), TL_CALL_CONNECT, 0);
  add_event (f, TL_MSEC (100) + 10, 0, 0xa0, TL_KSTATE_CLOSE, TL_KSTATE_SYN_SENT, TRUE);
  add_event (f, TL_MSEC (120), 0, 0xa0, TL_KSTATE_SYN_SENT, TL_KSTATE_CLOSE, TRUE);
  add_life (f, 0, TL_SEC (1), TL_CALL_CONNECT, 1);
  add_event (f, TL_SEC (1) + 10, 0, 0xa0, TL_KSTATE_CLOSE, TL_KSTATE_SYN_SENT, TRUE);
  /* An event for nobody of ours (another address) is ignored. */
  {
    TlStateEvent other = { TL_SEC (1), 0xcc, TL_KSTATE_CLOSE, TL_KSTATE_LISTEN, 0x7f000001, 0, 8080, 0 };
    g_array_append_val (f->capture.kernel_events, other);
  }

  lines = tl_capture_states_build (&f->capture, NULL);
  g_assert_cmpuint (lines->len, ==, 3);
  assert_line (lines, 0, 0, 0, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  assert_line (lines, 1, 0, 0, TL_STATE_SYN_SENT, TL_STATE_CLOSED);
  assert_line (lines, 2, 0, 1, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
}

static void
test_states_earlier_capture_ignored (StatesFixture *f,
                                     gconstpointer  data)
{
  g_autoptr (GArray) lines = NULL;
  gboolean finished = FALSE;

  /* As seen live: while this run's sockets wait in SYN-SENT, the kernel
   * tears down the namespaces of an earlier capture, whose sockets had the
   * same addresses and ports, and reports them going to CLOSE. */
  add_life (f, 0, TL_MSEC (100), TL_CALL_CONNECT, 0);
  add_event (f, TL_MSEC (100) + 30, 0, 0xa0, TL_KSTATE_CLOSE, TL_KSTATE_SYN_SENT, TRUE);
  add_life (f, 1, TL_MSEC (200), TL_CALL_CONNECT, 0);
  add_event (f, TL_MSEC (200) + 30, 1, 0xb0, TL_KSTATE_CLOSE, TL_KSTATE_SYN_SENT, TRUE);
  add_event (f, TL_MSEC (372), 1, 0xdead0, TL_KSTATE_ESTABLISHED, TL_KSTATE_CLOSE, TRUE);
  add_event (f, TL_MSEC (2420), 0, 0xdead1, TL_KSTATE_FIN_WAIT1, TL_KSTATE_CLOSE, TRUE);
  add_event (f, TL_MSEC (2420) + 60, 1, 0xdead2, TL_KSTATE_FIN_WAIT1, TL_KSTATE_CLOSE, TRUE);
  add_event (f, TL_MSEC (2500), 0, 0xa0, TL_KSTATE_SYN_SENT, TL_KSTATE_SYN_RECV, TRUE);
  add_event (f, TL_MSEC (2500) + 40, 1, 0xb0, TL_KSTATE_SYN_SENT, TL_KSTATE_SYN_RECV, TRUE);

  lines = tl_capture_states_build (&f->capture, &finished);
  g_assert_cmpuint (lines->len, ==, 4);
  assert_line (lines, 0, 0, 0, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  assert_line (lines, 1, 1, 0, TL_STATE_CLOSED, TL_STATE_SYN_SENT);
  assert_line (lines, 2, 0, 0, TL_STATE_SYN_SENT, TL_STATE_SYN_RECEIVED);
  assert_line (lines, 3, 1, 0, TL_STATE_SYN_SENT, TL_STATE_SYN_RECEIVED);
  /* Only this run's sockets count: both still opening, not over. */
  g_assert_false (finished);
}

/* ---- the bundle loader, on hand-made bundles ---- */

typedef struct
{
  char *dir;
} BundleFixture;

static const char meta_json[] =
  "{\n"
  "  \"format\": \"tcpladder-capture\", \"version\": 1, \"tcpladder_version\": \"0.1.0\",\n"
  "  \"scenario\": { \"name\": \"hand-made\", \"caption\": \"made by a test\",\n"
  "                \"router\": { \"queue\": 10, \"release_gap_ns\": 0,\n"
  "                            \"pauses\": [ { \"start_ns\": 0, \"end_ns\": 50000000 } ] } },\n"
  "  \"start\": { \"realtime_ns\": 1700000000000000000 },\n"
  "  \"end_ns\": 900000000, \"stop_reason\": \"quiet\",\n"
  "  \"hosts\": [ { \"name\": \"A\", \"addr\": \"10.0.1.1\", \"port\": 40000 },\n"
  "             { \"name\": \"B\", \"addr\": \"10.0.2.1\", \"port\": 8080 } ]\n"
  "}\n";

static void
write_file (const char *dir,
            const char *name,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

/* A pcap of FLAGS segments, the I-th at TIMES[I] ms after the start. */
static void
write_pcap (const char   *dir,
            const char   *name,
            guint         n,
            const guint8 *flags,
            const guint  *times_ms,
            const gboolean *from_a)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  pcap_t *dead = pcap_open_dead_with_tstamp_precision (DLT_RAW, 65535, PCAP_TSTAMP_PRECISION_NANO);
  pcap_dumper_t *dumper = pcap_dump_open (dead, path);

  g_assert_nonnull (dumper);
  for (guint i = 0; i < n; i++)
    {
      TlSegment seg = { 0 };
      guint8 bytes[TL_PACKET_HEADERS_MAX + 4];
      struct pcap_pkthdr header = { 0 };
      gint64 ns = G_GINT64_CONSTANT (1700000000000000000) + (gint64) times_ms[i] * 1000000;

      seg.src_addr = from_a[i] ? ADDR_A : ADDR_B;
      seg.dst_addr = from_a[i] ? ADDR_B : ADDR_A;
      seg.src_port = from_a[i] ? PORT_A : PORT_B;
      seg.dst_port = from_a[i] ? PORT_B : PORT_A;
      seg.seq = from_a[i] ? 1000 : 5000;
      seg.ack = (flags[i] & TL_TCP_ACK) ? 1001 : 0;
      seg.flags = flags[i];
      seg.window = 64240;
      header.ts.tv_sec = ns / 1000000000;
      header.ts.tv_usec = ns % 1000000000;
      header.len = header.caplen = (bpf_u_int32) tl_packet_build_ipv4 (&seg, NULL, (guint16) i, 64,
                                                                        bytes, sizeof bytes);
      pcap_dump ((u_char *) dumper, &header, bytes);
    }
  pcap_dump_close (dumper);
  pcap_close (dead);
}

static void
bundle_setup (BundleFixture *f,
              gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  /* A's view: its SYN at 10 ms, its retransmitted SYN at 30 ms, then B's
   * RST,ACK arriving at 70 ms.  B's view: A's SYN (first copy) arriving at
   * 60 ms and its RST,ACK leaving at 60 ms. */
  const guint8 flags_a[] = { TL_TCP_SYN, TL_TCP_SYN, TL_TCP_RST | TL_TCP_ACK };
  const guint times_a[] = { 10, 30, 70 };
  const gboolean from_a_a[] = { TRUE, TRUE, FALSE };
  const guint8 flags_b[] = { TL_TCP_SYN, TL_TCP_RST | TL_TCP_ACK };
  const guint times_b[] = { 60, 60 };
  const gboolean from_a_b[] = { TRUE, FALSE };

  f->dir = g_dir_make_tmp ("test-capture-XXXXXX", &error);
  g_assert_no_error (error);
  write_file (f->dir, "meta.json", meta_json);
  write_pcap (f->dir, "host-A.pcap", 3, flags_a, times_a, from_a_a);
  write_pcap (f->dir, "host-B.pcap", 2, flags_b, times_b, from_a_b);
  write_file (f->dir, "router.jsonl",
    "{\"time_ns\":0,\"event\":\"pause\"}\n"
    "{\"time_ns\":10000000,\"event\":\"send\",\"packet\":1,\"from\":\"A\",\"to\":\"B\",\"frame\":1}\n"
    "{\"time_ns\":15000000,\"event\":\"router-in\",\"packet\":1,\"from\":\"A\",\"to\":\"B\"}\n"
    "{\"time_ns\":15000000,\"event\":\"hold\",\"packet\":1,\"from\":\"A\",\"to\":\"B\"}\n"
    "{\"time_ns\":30000000,\"event\":\"send\",\"packet\":2,\"from\":\"A\",\"to\":\"B\",\"frame\":2}\n"
    "{\"time_ns\":35000000,\"event\":\"router-in\",\"packet\":2,\"from\":\"A\",\"to\":\"B\"}\n"
    "{\"time_ns\":35000000,\"event\":\"drop\",\"packet\":2,\"from\":\"A\",\"to\":\"B\",\"where\":\"router\",\"reason\":\"queue-full\"}\n"
    "\n"
    "{\"time_ns\":50000000,\"event\":\"resume\"}\n"
    "{\"time_ns\":50000000,\"event\":\"release\",\"packet\":1,\"from\":\"A\",\"to\":\"B\"}\n"
    "{\"time_ns\":60000000,\"event\":\"deliver\",\"packet\":1,\"from\":\"A\",\"to\":\"B\",\"frame\":1}\n"
    "{\"time_ns\":60000000,\"event\":\"send\",\"packet\":3,\"from\":\"B\",\"to\":\"A\",\"frame\":2}\n"
    "{\"time_ns\":65000000,\"event\":\"router-in\",\"packet\":3,\"from\":\"B\",\"to\":\"A\"}\n"
    "{\"time_ns\":70000000,\"event\":\"deliver\",\"packet\":3,\"from\":\"B\",\"to\":\"A\",\"frame\":3}\n");
  write_file (f->dir, "calls.jsonl",
    "{\"time_ns\":9000000,\"host\":\"A\",\"socket\":0,\"call\":\"connect\",\"event\":\"call\","
    "\"args\":{\"addr\":\"10.0.2.1\",\"port\":8080},\"result\":-1,\"errno\":115,\"error\":\"EINPROGRESS\"}\n"
    "{\"time_ns\":9500000,\"host\":\"B\",\"socket\":0,\"call\":\"none\",\"event\":\"read\",\"bytes\":3}\n"
    "{\"time_ns\":70100000,\"host\":\"A\",\"socket\":0,\"call\":\"connect\",\"event\":\"result\","
    "\"result\":-1,\"errno\":111,\"error\":\"ECONNREFUSED\"}\n"
    "{\"time_ns\":80000000,\"host\":\"A\",\"socket\":0,\"call\":\"send\",\"event\":\"call\","
    "\"args\":{\"bytes\":12},\"result\":-1,\"errno\":32,\"error\":\"EPIPE\"}\n");
  write_file (f->dir, "states.jsonl",
    "{\"time_ns\":9001000,\"host\":\"A\",\"socket\":0,\"old\":\"CLOSED\",\"new\":\"SYN-SENT\",\"sport\":40000,\"dport\":8080}\n"
    "{\"time_ns\":70050000,\"host\":\"A\",\"socket\":0,\"old\":\"SYN-SENT\",\"new\":\"CLOSED\",\"sport\":40000,\"dport\":8080}\n"
    "{\"time_ns\":80000000,\"host\":\"A\",\"socket\":0,\"old\":\"CLOSED\",\"new\":\"CLOSED\",\"note\":\"no change\"}\n");
  write_file (f->dir, "scenario.scn", "name hand-made\n");
}

static void
bundle_teardown (BundleFixture *f,
                 gconstpointer  data)
{
  g_autoptr (GDir) dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static const TlTraceRecord *
find_record (const TlTrace *trace,
             TlRecordKind   kind,
             guint          nth)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == kind && nth-- == 0)
        return rec;
    }
  return NULL;
}

static void
test_bundle_loads (BundleFixture *f,
                   gconstpointer  data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = tl_bundle_load (f->dir, &error);
  const TlTraceRecord *rec;
  TlTime last = G_MININT64;

  g_assert_no_error (error);
  g_assert_nonnull (trace);
  g_assert_true (tl_bundle_is_bundle (f->dir));
  g_assert_cmpint (trace->source, ==, TL_TRACE_CAPTURE);
  g_assert_cmpstr (trace->title, ==, "hand-made");
  g_assert_cmpstr (trace->caption, ==, "made by a test");
  g_assert_null (trace->profile);
  g_assert_cmpstr (trace->hosts[0].name, ==, "A");
  g_assert_cmphex (trace->hosts[1].addr, ==, ADDR_B);
  g_assert_cmpuint (trace->hosts[1].port, ==, PORT_B);
  g_assert_true (trace->has_router);
  g_assert_cmpuint (trace->pauses->len, ==, 1);
  g_assert_cmpint (g_array_index (trace->pauses, TlTraceWindow, 0).end, ==, TL_MSEC (50));
  g_assert_cmpint (trace->end_time, ==, TL_MSEC (900));
  g_assert_cmpuint (trace->n_packets, ==, 3);

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      g_assert_cmpint (tl_trace_get_record (trace, i)->time, >=, last);
      last = tl_trace_get_record (trace, i)->time;
    }

  /* SEND and DELIVER carry the pcaps' times and segments. */
  rec = find_record (trace, TL_REC_SEND, 0);
  g_assert_cmpint (rec->time, ==, TL_MSEC (10));
  g_assert_cmpuint (rec->host, ==, TL_HOST_A);
  g_assert_cmpuint (rec->seg.flags, ==, TL_TCP_SYN);
  g_assert_cmpuint (rec->seg.seq, ==, 1000);
  g_assert_cmpuint (rec->retransmit, ==, 0);
  rec = find_record (trace, TL_REC_SEND, 1);
  g_assert_cmpuint (rec->retransmit, ==, 1);
  rec = find_record (trace, TL_REC_DELIVER, 0);
  g_assert_cmpint (rec->time, ==, TL_MSEC (60));
  g_assert_cmpuint (rec->host, ==, TL_HOST_B);
  g_assert_cmpuint (rec->packet, ==, find_record (trace, TL_REC_SEND, 0)->packet);
  rec = find_record (trace, TL_REC_DELIVER, 1);
  g_assert_cmpuint (rec->host, ==, TL_HOST_A);
  g_assert_cmpuint (rec->seg.flags, ==, TL_TCP_RST | TL_TCP_ACK);

  /* The router's records from its log. */
  rec = find_record (trace, TL_REC_HOLD, 0);
  g_assert_cmpint (rec->time, ==, TL_MSEC (15));
  g_assert_cmpuint (rec->host, ==, TL_HOST_ROUTER);
  rec = find_record (trace, TL_REC_DROP, 0);
  g_assert_cmpuint (rec->drop_reason, ==, TL_DROP_QUEUE_FULL);
  g_assert_cmpuint (rec->packet, ==, find_record (trace, TL_REC_SEND, 1)->packet);
  g_assert_nonnull (find_record (trace, TL_REC_PAUSE, 0));
  g_assert_nonnull (find_record (trace, TL_REC_RESUME, 0));
  g_assert_nonnull (find_record (trace, TL_REC_RELEASE, 0));

  /* A connect in progress is no error; its result is. */
  rec = find_record (trace, TL_REC_CALL, 0);
  g_assert_cmpuint (rec->call, ==, TL_CALL_CONNECT);
  g_assert_cmpint (rec->error, ==, 0);
  rec = find_record (trace, TL_REC_CALL_RESULT, 0);
  g_assert_cmpint (rec->error, ==, ECONNREFUSED);
  rec = find_record (trace, TL_REC_CALL, 1);
  g_assert_cmpuint (rec->call, ==, TL_CALL_SEND);
  g_assert_cmpint (rec->arg, ==, 12);
  g_assert_cmpint (rec->error, ==, EPIPE);
  g_assert_null (find_record (trace, TL_REC_CALL, 2));   /* the read line is not a call */

  /* States as logged, the no-change line left out, none inferred. */
  rec = find_record (trace, TL_REC_STATE, 1);
  g_assert_cmpuint (rec->old_state, ==, TL_STATE_SYN_SENT);
  g_assert_cmpuint (rec->new_state, ==, TL_STATE_CLOSED);
  g_assert_cmpuint (rec->inferred, ==, 0);
  g_assert_null (find_record (trace, TL_REC_STATE, 2));
}

/* Replaces FILE of the bundle with TEXT, loads, expects an error
 * mentioning every string of NEEDLES. */
static void
expect_load_error (BundleFixture *f,
                   const char    *file,
                   const char    *text,
                   TlIoError      code,
                   const char    *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = NULL;

  if (text != NULL)
    write_file (f->dir, file, text);
  else
    {
      g_autofree char *path = g_build_filename (f->dir, file, NULL);
      g_unlink (path);
    }
  trace = tl_bundle_load (f->dir, &error);
  g_assert_null (trace);
  g_assert_error (error, TL_IO_ERROR, (gint) code);
  if (strstr (error->message, needle) == NULL)
    g_error ("expected \"%s\" in: %s", needle, error->message);
  g_assert_nonnull (strstr (error->message, f->dir));
}

static void
test_bundle_bad_router_json (BundleFixture *f,
                             gconstpointer  data)
{
  expect_load_error (f, "router.jsonl",
                     "{\"time_ns\":0,\"event\":\"pause\"}\n{\"time_ns\": 1,\n",
                     TL_IO_ERROR_PARSE, "router.jsonl:2:");
}

static void
test_bundle_bad_frame (BundleFixture *f,
                       gconstpointer  data)
{
  expect_load_error (f, "router.jsonl",
                     "{\"time_ns\":1,\"event\":\"send\",\"packet\":1,\"from\":\"A\",\"to\":\"B\",\"frame\":7}\n",
                     TL_IO_ERROR_INVALID, "router.jsonl:1: frame 7 is not in host-A.pcap (3 frames)");
}

static void
test_bundle_deliver_before_send (BundleFixture *f,
                                 gconstpointer  data)
{
  expect_load_error (f, "router.jsonl",
                     "{\"time_ns\":1,\"event\":\"deliver\",\"packet\":4,\"from\":\"A\",\"to\":\"B\",\"frame\":1}\n",
                     TL_IO_ERROR_INVALID, "packet 4 appears before its \"send\" line");
}

static void
test_bundle_wrong_frame (BundleFixture *f,
                         gconstpointer  data)
{
  /* B's frame 2 is B's RST, not A's SYN. */
  expect_load_error (f, "router.jsonl",
                     "{\"time_ns\":1,\"event\":\"send\",\"packet\":1,\"from\":\"A\",\"to\":\"B\",\"frame\":1}\n"
                     "{\"time_ns\":2,\"event\":\"deliver\",\"packet\":1,\"from\":\"A\",\"to\":\"B\",\"frame\":2}\n",
                     TL_IO_ERROR_INVALID, "router.jsonl:2: frame 2 of host-B.pcap is not the packet that was sent");
}

static void
test_bundle_bad_state (BundleFixture *f,
                       gconstpointer  data)
{
  expect_load_error (f, "states.jsonl",
                     "{\"time_ns\":1,\"host\":\"A\",\"old\":\"CLOSED\",\"new\":\"SYN-SENT\"}\n"
                     "{\"time_ns\":2,\"host\":\"A\",\"old\":\"SLEEPING\",\"new\":\"CLOSED\"}\n",
                     TL_IO_ERROR_INVALID, "states.jsonl:2: old:");
}

/* json-glib recurses once per level: a deep line must be refused before
 * it reaches the parser, in meta.json and in every JSON-lines file. */
static void
test_bundle_deep_nesting (BundleFixture *f,
                          gconstpointer  data)
{
  g_autofree char *deep = g_strnfill (300000, '[');
  g_autofree char *line = g_strconcat (deep, "\n", NULL);

  expect_load_error (f, "calls.jsonl", line, TL_IO_ERROR_PARSE,
                     "calls.jsonl:1: column 65: nested more than 64 levels deep");
}

static void
test_bundle_deep_meta (BundleFixture *f,
                       gconstpointer  data)
{
  g_autofree char *deep = g_strnfill (300000, '[');
  g_autofree char *text = g_strconcat ("{\n  \"format\": ", deep, "\n", NULL);

  expect_load_error (f, "meta.json", text, TL_IO_ERROR_PARSE,
                     "meta.json:2:76: nested more than 64 levels deep");
}

static void
test_bundle_bad_call (BundleFixture *f,
                      gconstpointer  data)
{
  expect_load_error (f, "calls.jsonl",
                     "{\"time_ns\":1,\"host\":\"C\",\"call\":\"connect\",\"event\":\"call\"}\n",
                     TL_IO_ERROR_INVALID, "calls.jsonl:1: host:");
}

static void
test_bundle_bad_meta (BundleFixture *f,
                      gconstpointer  data)
{
  expect_load_error (f, "meta.json", "{\"format\":\"something-else\",\"version\":1}\n",
                     TL_IO_ERROR_UNSUPPORTED, "meta.json: format");
}

static void
test_bundle_missing_pcap (BundleFixture *f,
                          gconstpointer  data)
{
  expect_load_error (f, "host-B.pcap", NULL, TL_IO_ERROR_READ, "host-B.pcap");
}

static void
test_bundle_garbage_pcap (BundleFixture *f,
                          gconstpointer  data)
{
  expect_load_error (f, "host-A.pcap", "this is no pcap\n", TL_IO_ERROR_READ, "host-A.pcap");
}

static void
test_bundle_not_a_directory (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_null (tl_bundle_load ("/nonexistent/bundle", &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_READ);
  g_assert_false (tl_bundle_is_bundle ("/nonexistent/bundle"));
}

/* ---- the committed bundles ---- */

typedef struct
{
  guint     n;
  TlTcpState path[12];
} StatePath;

/* The states socket SOCKET of HOST went through, in order. */
static void
state_path (const TlTrace *trace,
            guint          host,
            guint          socket,
            StatePath     *path)
{
  memset (path, 0, sizeof *path);
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind != TL_REC_STATE || rec->host != host || rec->socket != socket)
        continue;
      if (path->n == 0)
        path->path[path->n++] = (TlTcpState) rec->old_state;
      if (path->n < G_N_ELEMENTS (path->path))
        path->path[path->n++] = (TlTcpState) rec->new_state;
    }
}

static gboolean
path_has (const StatePath *path,
          const char      *expected)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < path->n; i++)
    g_string_append_printf (text, "%s%s", i ? " " : "", tl_tcp_state_to_string (path->path[i]));
  if (strstr (text->str, expected) == NULL)
    {
      g_test_message ("state path \"%s\" lacks \"%s\"", text->str, expected);
      return FALSE;
    }
  return TRUE;
}

static TlTrace *
load_committed (const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("TL_SOURCE_ROOT"), "data", "captures", name, NULL);
  g_autoptr (GError) error = NULL;
  TlTrace *trace;

  /* Committed with the sources: missing is a failure, not a skip. */
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    g_error ("%s is missing (sudo scripts/capture-all.sh makes it)", dir);
  trace = tl_bundle_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpint (trace->source, ==, TL_TRACE_CAPTURE);
  g_assert_cmpstr (trace->title, ==, name);
  return trace;
}

static const TlTraceRecord *
find_call_result (const TlTrace *trace,
                  guint          host,
                  TlCallKind     call)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_CALL_RESULT && rec->host == host && rec->call == call)
        return rec;
    }
  return NULL;
}

static void
test_committed_simultaneous_open (void)
{
  g_autoptr (TlTrace) trace = load_committed ("simultaneous-open-router-pause");
  StatePath path;

  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      state_path (trace, h, 0, &path);
      g_assert_true (path_has (&path, "CLOSED SYN-SENT SYN-RECEIVED ESTABLISHED"));
      g_assert_cmpint (find_call_result (trace, h, TL_CALL_CONNECT)->error, ==, 0);
    }
  g_assert_nonnull (find_record (trace, TL_REC_HOLD, 0));
  g_assert_nonnull (find_record (trace, TL_REC_RELEASE, 0));
}

static void
test_committed_simultaneous_open_delay (void)
{
  g_autoptr (TlTrace) trace = load_committed ("simultaneous-open-delay");
  StatePath path;

  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      state_path (trace, h, 0, &path);
      g_assert_true (path_has (&path, "SYN-SENT SYN-RECEIVED ESTABLISHED"));
    }
}

static void
test_committed_normal_handshake (void)
{
  g_autoptr (TlTrace) trace = load_committed ("normal-handshake");
  StatePath path;

  state_path (trace, TL_HOST_A, 0, &path);
  g_assert_true (path_has (&path, "CLOSED SYN-SENT ESTABLISHED FIN-WAIT-1 FIN-WAIT-2 TIME-WAIT"));
  state_path (trace, TL_HOST_B, 0, &path);
  g_assert_true (path_has (&path, "CLOSED LISTEN CLOSED"));
  state_path (trace, TL_HOST_B, 1, &path);
  g_assert_true (path_has (&path, "NONE SYN-RECEIVED ESTABLISHED CLOSE-WAIT LAST-ACK CLOSED"));
}

/* Applying a bundle to its scenario moves each call to the time the agent
 * really made it (calls.jsonl time_ns), and leaves calls it never made
 * where they were. */
static void
test_committed_call_times (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("TL_SOURCE_ROOT"), "data", "captures",
                                           "normal-handshake", NULL);
  g_autofree char *path = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), "normal-handshake.scn",
                                            NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) scenario = tl_scenario_load (path, &error);
  const TlScenarioCall *listen, *connect;

  g_assert_no_error (error);
  listen = &g_array_index (scenario->hosts[TL_HOST_B].calls, TlScenarioCall, 0);
  connect = &g_array_index (scenario->hosts[TL_HOST_A].calls, TlScenarioCall, 0);
  g_assert_cmpint (listen->at, ==, 0);
  g_assert_cmpint (connect->at, ==, TL_MSEC (100));
  g_assert_true (tl_bundle_apply_settings (dir, scenario, &error));
  g_assert_no_error (error);
  /* As calls.jsonl of that bundle records them. */
  g_assert_cmpint (listen->kind, ==, TL_CALL_LISTEN);
  g_assert_cmpint (listen->at, ==, 146855);
  g_assert_cmpint (connect->kind, ==, TL_CALL_CONNECT);
  g_assert_cmpint (connect->at, ==, 100109455);
}

static void
test_committed_simultaneous_close (void)
{
  g_autoptr (TlTrace) trace = load_committed ("simultaneous-close");
  StatePath path;

  state_path (trace, TL_HOST_A, 0, &path);
  g_assert_true (path_has (&path, "FIN-WAIT-1 CLOSING TIME-WAIT"));
  state_path (trace, TL_HOST_B, 1, &path);
  g_assert_true (path_has (&path, "FIN-WAIT-1 CLOSING TIME-WAIT"));
}

static void
test_committed_connect_refused (void)
{
  g_autoptr (TlTrace) trace = load_committed ("connect-refused");
  StatePath path;
  gboolean reset = FALSE;

  g_assert_cmpint (find_call_result (trace, TL_HOST_A, TL_CALL_CONNECT)->error, ==, ECONNREFUSED);
  state_path (trace, TL_HOST_A, 0, &path);
  g_assert_true (path_has (&path, "CLOSED SYN-SENT CLOSED"));
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_DELIVER && rec->host == TL_HOST_A && (rec->seg.flags & TL_TCP_RST))
        reset = TRUE;
    }
  g_assert_true (reset);
}

static void
test_committed_syn_timeout (void)
{
  g_autoptr (TlTrace) trace = load_committed ("syn-timeout");
  guint syns = 0, lost = 0;

  g_assert_cmpint (find_call_result (trace, TL_HOST_A, TL_CALL_CONNECT)->error, ==, ETIMEDOUT);
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_SEND && rec->host == TL_HOST_A && (rec->seg.flags & TL_TCP_SYN))
        syns++;
      if (rec->kind == TL_REC_DROP && rec->drop_reason == TL_DROP_LOSS)
        lost++;
      g_assert_false (rec->kind == TL_REC_DELIVER);
    }
  g_assert_cmpuint (syns, >, 1);
  g_assert_cmpuint (lost, ==, syns);
}

/* ---- the command line ---- */

typedef struct
{
  gint  status;
  char *out;
  char *err;
} Result;

static void
drop_privileges (gpointer data)
{
  /* nobody: what a user without CAP_NET_ADMIN gets */
  if (setgid (65534) != 0 || setuid (65534) != 0)
    _exit (99);
}

static void
run_cli (Result      *r,
         gboolean     unprivileged,
         const char  *first,
         ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) g_getenv ("TL_CLI"));
  g_ptr_array_add (argv, (gpointer) first);
  va_start (args, first);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync ("/", (char **) argv->pdata, NULL, G_SPAWN_DEFAULT,
                unprivileged && geteuid () == 0 ? drop_privileges : NULL, NULL,
                &r->out, &r->err, &r->status, &error);
  g_assert_no_error (error);
  r->status = WIFEXITED (r->status) ? WEXITSTATUS (r->status) : -1;
}

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static void
test_cli_help (void)
{
  Result r = { 0 };

  run_cli (&r, FALSE, "capture", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--duration"));
  g_assert_nonnull (strstr (r.out, "docs/capture-bundle.md"));
  g_assert_nonnull (strstr (r.out, "TIME-WAIT"));
  result_clear (&r);
}

static void
test_cli_bad_arguments (void)
{
  g_autofree char *scenario = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), "normal-handshake.scn", NULL);
  Result r = { 0 };

  run_cli (&r, FALSE, "capture", "--duration", "soon", scenario, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "--duration soon"));
  result_clear (&r);

  run_cli (&r, FALSE, "capture", "a.scn", "b.scn", NULL);
  g_assert_cmpint (r.status, ==, 2);
  result_clear (&r);

  run_cli (&r, FALSE, "capture", "/nonexistent/x.scn", NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "/nonexistent/x.scn"));
  result_clear (&r);

  run_cli (&r, FALSE, "capture", "--set", "A<->B.delay=-5ms", scenario, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "A<->B.delay"));
  result_clear (&r);
}

static void
test_cli_needs_privileges (void)
{
  g_autofree char *scenario = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), "normal-handshake.scn", NULL);
  g_autofree char *out = g_build_filename (g_get_tmp_dir (), "tl-unprivileged-capture", NULL);
  Result r = { 0 };

  /* As root the child drops to nobody first. */
  run_cli (&r, TRUE, "capture", "-o", out, scenario, NULL);
  g_assert_cmpint (r.status, ==, 5);
  g_assert_nonnull (strstr (r.err, "needs root"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  result_clear (&r);

  run_cli (&r, TRUE, "capture", "--check", NULL);
  g_assert_cmpint (r.status, ==, 5);
  result_clear (&r);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/capture/tracefs/default-format", test_parse_default_format);
  g_test_add_func ("/capture/tracefs/fields-format", test_parse_fields_format);
  g_test_add_func ("/capture/tracefs/rejects", test_parse_rejects);

#define STATES_TEST(path, func) \
  g_test_add (path, StatesFixture, NULL, states_setup, func, states_teardown)
  STATES_TEST ("/capture/states/simultaneous-close", test_states_simultaneous_close);
  STATES_TEST ("/capture/states/orphan-fin-wait-2", test_states_orphan_fin_wait_2);
  STATES_TEST ("/capture/states/reset-closes", test_states_reset_closes);
  STATES_TEST ("/capture/states/mini-socket-resets", test_states_mini_socket_resets);
  STATES_TEST ("/capture/states/listener-child", test_states_listener_child);
  STATES_TEST ("/capture/states/sockets-by-call", test_states_sockets_by_call);
  STATES_TEST ("/capture/states/earlier-capture-ignored", test_states_earlier_capture_ignored);

#define BUNDLE_TEST(path, func) \
  g_test_add (path, BundleFixture, NULL, bundle_setup, func, bundle_teardown)
  BUNDLE_TEST ("/capture/bundle/loads", test_bundle_loads);
  BUNDLE_TEST ("/capture/bundle/bad-router-json", test_bundle_bad_router_json);
  BUNDLE_TEST ("/capture/bundle/bad-frame", test_bundle_bad_frame);
  BUNDLE_TEST ("/capture/bundle/deliver-before-send", test_bundle_deliver_before_send);
  BUNDLE_TEST ("/capture/bundle/wrong-frame", test_bundle_wrong_frame);
  BUNDLE_TEST ("/capture/bundle/bad-state", test_bundle_bad_state);
  BUNDLE_TEST ("/capture/bundle/bad-call", test_bundle_bad_call);
  BUNDLE_TEST ("/capture/bundle/deep-nesting", test_bundle_deep_nesting);
  BUNDLE_TEST ("/capture/bundle/deep-meta", test_bundle_deep_meta);
  BUNDLE_TEST ("/capture/bundle/bad-meta", test_bundle_bad_meta);
  BUNDLE_TEST ("/capture/bundle/missing-pcap", test_bundle_missing_pcap);
  BUNDLE_TEST ("/capture/bundle/garbage-pcap", test_bundle_garbage_pcap);
  g_test_add_func ("/capture/bundle/not-a-directory", test_bundle_not_a_directory);

  g_test_add_func ("/capture/committed/simultaneous-open-router-pause", test_committed_simultaneous_open);
  g_test_add_func ("/capture/committed/simultaneous-open-delay", test_committed_simultaneous_open_delay);
  g_test_add_func ("/capture/committed/normal-handshake", test_committed_normal_handshake);
  g_test_add_func ("/capture/committed/call-times", test_committed_call_times);
  g_test_add_func ("/capture/committed/simultaneous-close", test_committed_simultaneous_close);
  g_test_add_func ("/capture/committed/connect-refused", test_committed_connect_refused);
  g_test_add_func ("/capture/committed/syn-timeout", test_committed_syn_timeout);

  g_test_add_func ("/capture/cli/help", test_cli_help);
  g_test_add_func ("/capture/cli/bad-arguments", test_cli_bad_arguments);
  g_test_add_func ("/capture/cli/needs-privileges", test_cli_needs_privileges);

  return g_test_run ();
}

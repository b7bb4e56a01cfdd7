/* test-io-packet.c: IPv4 + TCP bytes and their checksums. */
#include <string.h>

#include "tl-packet.h"

/* A Linux-style SYN, checksums verified good by tshark 4.0
 * (-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE). */
static const guint8 known_syn[60] = {
  0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0x9c, 0x5d, 0xc0, 0xa8, 0x00, 0x01,
  0xc0, 0xa8, 0x00, 0xc7, 0x9c, 0x40, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00,
  0xa0, 0x02, 0xfa, 0xf0, 0x28, 0x1c, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
  0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00, 0x01, 0x03, 0x03, 0x07,
};

/* PSH,ACK with "hello" (odd length: the checksum pads a zero byte). */
static const guint8 known_data[57] = {
  0x45, 0x00, 0x00, 0x39, 0x00, 0x07, 0x40, 0x00, 0x40, 0x06, 0x26, 0xb6, 0x0a, 0x00, 0x00, 0x01,
  0x0a, 0x00, 0x00, 0x02, 0x13, 0x88, 0x17, 0x70, 0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x07, 0xd0,
  0x80, 0x18, 0x01, 0xf6, 0xe6, 0x32, 0x00, 0x00, 0x01, 0x01, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x00, 0x00, 0x02, 0x68, 0x65, 0x6c, 0x6c, 0x6f,
};

static TlSegment
known_syn_segment (void)
{
  TlSegment s = { 0 };

  s.src_addr = 0xc0a80001;
  s.dst_addr = 0xc0a800c7;
  s.src_port = 40000;
  s.dst_port = 80;
  s.seq = 0x12345678;
  s.flags = TL_TCP_SYN;
  s.window = 64240;
  s.opts.layout = TL_OPT_LAYOUT_LINUX;
  s.opts.present = TL_OPT_MSS | TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE;
  s.opts.mss = 1460;
  s.opts.wscale = 7;
  s.opts.tsval = 0xdeadbeef;
  return s;
}

static void
test_rfc1071_example (void)
{
  /* RFC 1071 section 3: these bytes sum to 0xddf2. */
  static const guint8 bytes[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

  g_assert_cmphex (tl_inet_checksum (bytes, sizeof bytes), ==, (guint16) ~0xddf2);
}

static void
test_ip_header_checksum (void)
{
  /* The usual worked example: 192.168.0.1 -> 192.168.0.199, UDP. */
  guint8 header[20] = {
    0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
    0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
  };

  g_assert_cmphex (tl_inet_checksum (header, 20), ==, 0);
  header[10] = header[11] = 0;
  g_assert_cmphex (tl_inet_checksum (header, 20), ==, 0xb861);
}

static void
test_build_known_syn (void)
{
  TlSegment s = known_syn_segment ();
  guint8 out[TL_PACKET_HEADERS_MAX];

  g_assert_cmpuint (tl_packet_size (&s), ==, sizeof known_syn);
  g_assert_cmpuint (tl_packet_build_ipv4 (&s, NULL, 0x1c46, 64, out, sizeof out), ==,
                    sizeof known_syn);
  g_assert_cmpmem (out, sizeof known_syn, known_syn, sizeof known_syn);
  /* Too small a buffer is refused, not overrun. */
  g_assert_cmpuint (tl_packet_build_ipv4 (&s, NULL, 1, 64, out, 59), ==, 0);
}

static void
test_build_known_data (void)
{
  TlSegment s = { 0 };
  guint8 out[128];

  s.src_addr = 0x0a000001;
  s.dst_addr = 0x0a000002;
  s.src_port = 5000;
  s.dst_port = 6000;
  s.seq = 1000;
  s.ack = 2000;
  s.flags = TL_TCP_PSH | TL_TCP_ACK;
  s.window = 502;
  s.len = 5;
  s.opts.layout = TL_OPT_LAYOUT_LINUX;
  s.opts.present = TL_OPT_TS;
  s.opts.tsval = 1;
  s.opts.tsecr = 2;
  g_assert_cmpuint (tl_packet_build_ipv4 (&s, (const guint8 *) "hello", 7, 64, out, sizeof out),
                    ==, sizeof known_data);
  g_assert_cmpmem (out, sizeof known_data, known_data, sizeof known_data);
}

static void
test_parse_known (void)
{
  TlSegment expected = known_syn_segment ();
  TlPacketInfo info;
  const char *detail = NULL;

  g_assert_cmpint (tl_packet_parse_ipv4 (known_syn, sizeof known_syn, &info, &detail), ==,
                   TL_PACKET_TCP);
  g_assert_true (info.ip_checksum_ok);
  g_assert_true (info.tcp_checksum_ok);
  g_assert_true (info.dont_fragment);
  g_assert_cmpuint (info.ttl, ==, 64);
  g_assert_cmpuint (info.ip_id, ==, 0x1c46);
  g_assert_cmphex (info.seg.src_addr, ==, expected.src_addr);
  g_assert_cmphex (info.seg.dst_addr, ==, expected.dst_addr);
  g_assert_cmpuint (info.seg.src_port, ==, expected.src_port);
  g_assert_cmpuint (info.seg.dst_port, ==, expected.dst_port);
  g_assert_cmphex (info.seg.seq, ==, expected.seq);
  g_assert_cmphex (info.seg.ack, ==, expected.ack);
  g_assert_cmphex (info.seg.flags, ==, expected.flags);
  g_assert_cmpuint (info.seg.window, ==, expected.window);
  g_assert_cmpuint (info.seg.len, ==, 0);
  g_assert_cmpuint (info.seg.opts.present, ==, expected.opts.present);
  g_assert_cmpuint (info.seg.opts.layout, ==, TL_OPT_LAYOUT_LINUX);
  g_assert_cmpuint (info.seg.opts.mss, ==, 1460);
  g_assert_cmpuint (info.seg.opts.wscale, ==, 7);
  g_assert_cmphex (info.seg.opts.tsval, ==, 0xdeadbeef);
  g_assert_cmphex (info.seg.opts.tsecr, ==, 0);

  g_assert_cmpint (tl_packet_parse_ipv4 (known_data, sizeof known_data, &info, &detail), ==,
                   TL_PACKET_TCP);
  g_assert_true (info.tcp_checksum_ok);
  g_assert_cmpuint (info.seg.len, ==, 5);
  g_assert_cmpuint (info.payload_captured, ==, 5);
  g_assert_cmpmem (info.payload, 5, "hello", 5);
  g_assert_cmpuint (info.seg.opts.present, ==, TL_OPT_TS);

  /* A flipped payload bit breaks the TCP checksum only. */
  {
    guint8 copy[sizeof known_data];
    memcpy (copy, known_data, sizeof copy);
    copy[sizeof copy - 1] ^= 0x01;
    g_assert_cmpint (tl_packet_parse_ipv4 (copy, sizeof copy, &info, &detail), ==, TL_PACKET_TCP);
    g_assert_true (info.ip_checksum_ok);
    g_assert_false (info.tcp_checksum_ok);
  }
}

static void
test_parse_cut (void)
{
  /* Every prefix: headers cut short are malformed with a reason, a cut
   * payload is read with the captured part and no valid checksum. */
  for (gsize caplen = 0; caplen < sizeof known_data; caplen++)
    {
      TlPacketInfo info;
      const char *detail = NULL;
      TlPacketKind kind = tl_packet_parse_ipv4 (known_data, caplen, &info, &detail);

      if (caplen < 52)
        {
          g_assert_cmpint (kind, ==, TL_PACKET_MALFORMED);
          g_assert_nonnull (detail);
        }
      else
        {
          g_assert_cmpint (kind, ==, TL_PACKET_TCP);
          g_assert_cmpuint (info.seg.len, ==, 5);
          g_assert_cmpuint (info.payload_captured, ==, caplen - 52);
          g_assert_false (info.tcp_checksum_ok);
        }
    }
}

static void
test_parse_other (void)
{
  guint8 copy[sizeof known_syn];
  TlPacketInfo info;
  const char *detail = NULL;

  memcpy (copy, known_syn, sizeof copy);
  copy[9] = 17;                                   /* UDP */
  g_assert_cmpint (tl_packet_parse_ipv4 (copy, sizeof copy, &info, &detail), ==,
                   TL_PACKET_NOT_TCP);

  memcpy (copy, known_syn, sizeof copy);
  copy[6] = 0x20;                                 /* more fragments */
  g_assert_cmpint (tl_packet_parse_ipv4 (copy, sizeof copy, &info, &detail), ==,
                   TL_PACKET_FRAGMENT);

  memcpy (copy, known_syn, sizeof copy);
  copy[0] = 0x44;                                 /* IHL 16 bytes */
  g_assert_cmpint (tl_packet_parse_ipv4 (copy, sizeof copy, &info, &detail), ==,
                   TL_PACKET_MALFORMED);
  g_assert_cmpstr (detail, ==, "IPv4 header length below 20 bytes");

  memcpy (copy, known_syn, sizeof copy);
  copy[32] = 0xf0;                                /* data offset 60 > 40 */
  g_assert_cmpint (tl_packet_parse_ipv4 (copy, sizeof copy, &info, &detail), ==,
                   TL_PACKET_MALFORMED);
  g_assert_cmpstr (detail, ==, "TCP data offset outside the segment");

  memcpy (copy, known_syn, sizeof copy);
  copy[41] = 0x09;                                /* mss option length past the end */
  g_assert_cmpint (tl_packet_parse_ipv4 (copy, sizeof copy, &info, &detail), ==,
                   TL_PACKET_MALFORMED);
  g_assert_cmpstr (detail, ==, "malformed TCP options");

  /* Ethernet padding after the datagram is ignored. */
  {
    guint8 padded[sizeof known_data + 7] = { 0 };
    memcpy (padded, known_data, sizeof known_data);
    g_assert_cmpint (tl_packet_parse_ipv4 (padded, sizeof padded, &info, &detail), ==,
                     TL_PACKET_TCP);
    g_assert_cmpuint (info.seg.len, ==, 5);
    g_assert_true (info.tcp_checksum_ok);
  }
}

static void
test_too_big (void)
{
  TlSegment s = known_syn_segment ();
  g_autofree guint8 *out = g_malloc (70000);

  s.len = 65535 - 60 + 1;
  g_assert_cmpuint (tl_packet_build_ipv4 (&s, NULL, 1, 64, out, 70000), ==, 0);
  s.len = 65535 - 60;
  g_assert_cmpuint (tl_packet_build_ipv4 (&s, NULL, 1, 64, out, 70000), ==, 65535);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/packet/rfc1071-example", test_rfc1071_example);
  g_test_add_func ("/io/packet/ip-header-checksum", test_ip_header_checksum);
  g_test_add_func ("/io/packet/build-known-syn", test_build_known_syn);
  g_test_add_func ("/io/packet/build-known-data", test_build_known_data);
  g_test_add_func ("/io/packet/parse-known", test_parse_known);
  g_test_add_func ("/io/packet/parse-cut", test_parse_cut);
  g_test_add_func ("/io/packet/parse-other", test_parse_other);
  g_test_add_func ("/io/packet/too-big", test_too_big);
  return g_test_run ();
}

/* test-io-segment.c: TCP flags and options as text and wire bytes. */
#include <string.h>

#include "tl-segment.h"

static char *
flags_text (guint8 flags)
{
  GString *s = g_string_new (NULL);
  tl_tcp_flags_format (flags, s);
  return g_string_free (s, FALSE);
}

static void
test_flags_format (void)
{
  static const struct { guint8 flags; const char *text; } cases[] = {
    { TL_TCP_SYN, "SYN" },
    { TL_TCP_SYN | TL_TCP_ACK, "SYN,ACK" },
    { TL_TCP_FIN | TL_TCP_ACK, "FIN,ACK" },
    { TL_TCP_RST | TL_TCP_ACK, "RST,ACK" },
    { TL_TCP_PSH | TL_TCP_ACK, "PSH,ACK" },
    { TL_TCP_ACK, "ACK" },
    { 0, "none" },
    { 0xff, "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = flags_text (cases[i].flags);
      guint8 back = 0x5a;

      g_assert_cmpstr (text, ==, cases[i].text);
      g_assert_true (tl_tcp_flags_parse (text, &back));
      g_assert_cmpuint (back, ==, cases[i].flags);
    }
}

static void
test_flags_parse (void)
{
  guint8 flags = 0;

  g_assert_true (tl_tcp_flags_parse ("ack, syn", &flags));
  g_assert_cmpuint (flags, ==, TL_TCP_SYN | TL_TCP_ACK);
  g_assert_true (tl_tcp_flags_parse ("NONE", &flags));
  g_assert_cmpuint (flags, ==, 0);
  flags = 7;
  g_assert_false (tl_tcp_flags_parse ("SYN,ACKK", &flags));
  g_assert_false (tl_tcp_flags_parse ("", &flags));
  g_assert_false (tl_tcp_flags_parse ("SYN,", &flags));
  g_assert_cmpuint (flags, ==, 7);
}

static TlTcpOptions
syn_options (TlTcpOptionLayout layout)
{
  TlTcpOptions o = { 0 };

  o.present = TL_OPT_MSS | TL_OPT_SACK_PERM | TL_OPT_TS | TL_OPT_WSCALE;
  o.layout = layout;
  o.mss = 1460;
  o.wscale = 7;
  o.tsval = 0x01020304;
  o.tsecr = 0;
  return o;
}

/* What Linux puts in a SYN (tcp_options_write), byte for byte. */
static void
test_linux_syn_bytes (void)
{
  static const guint8 expected[20] = {
    0x02, 0x04, 0x05, 0xb4,                     /* mss 1460 */
    0x04, 0x02, 0x08, 0x0a,                     /* sackOK, TS kind+len */
    0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x03, 0x03, 0x07,                     /* nop, wscale 7 */
  };
  TlTcpOptions o = syn_options (TL_OPT_LAYOUT_LINUX);
  guint8 out[40];

  g_assert_cmpuint (tl_tcp_options_length (&o), ==, 20);
  g_assert_cmpuint (tl_tcp_options_write (&o, out), ==, 20);
  g_assert_cmpmem (out, 20, expected, sizeof expected);
}

static void
test_rfc_syn_bytes (void)
{
  static const guint8 expected[24] = {
    0x02, 0x04, 0x05, 0xb4,                     /* mss 1460 */
    0x01, 0x03, 0x03, 0x07,                     /* nop, wscale 7 */
    0x01, 0x01, 0x04, 0x02,                     /* nop, nop, sackOK */
    0x01, 0x01, 0x08, 0x0a,                     /* nop, nop, TS */
    0x01, 0x02, 0x03, 0x04, 0x00, 0x00, 0x00, 0x00,
  };
  TlTcpOptions o = syn_options (TL_OPT_LAYOUT_RFC);
  guint8 out[40];

  g_assert_cmpuint (tl_tcp_options_length (&o), ==, 24);
  g_assert_cmpuint (tl_tcp_options_write (&o, out), ==, 24);
  g_assert_cmpmem (out, 24, expected, sizeof expected);
}

static void
test_linux_other_layouts (void)
{
  /* Non-SYN with TS: nop, nop, TS. */
  static const guint8 ts_only[12] = {
    0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 9, 0, 0, 0, 8,
  };
  /* SYN without TS: mss, nop, nop, sackOK, nop, wscale. */
  static const guint8 no_ts[12] = {
    0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02, 0x01, 0x03, 0x03, 0x0a,
  };
  /* ACK with TS and a D-SACK block. */
  static const guint8 dsack[24] = {
    0x01, 0x01, 0x08, 0x0a, 0, 0, 0, 9, 0, 0, 0, 8,
    0x01, 0x01, 0x05, 0x0a, 0, 0, 0, 100, 0, 0, 0, 101,
  };
  TlTcpOptions o = { 0 };
  guint8 out[40];

  o.layout = TL_OPT_LAYOUT_LINUX;
  o.present = TL_OPT_TS;
  o.tsval = 9;
  o.tsecr = 8;
  g_assert_cmpuint (tl_tcp_options_write (&o, out), ==, 12);
  g_assert_cmpmem (out, 12, ts_only, sizeof ts_only);

  o.present |= TL_OPT_SACK;
  o.n_sack = 1;
  o.sack[0].left = 100;
  o.sack[0].right = 101;
  g_assert_cmpuint (tl_tcp_options_write (&o, out), ==, 24);
  g_assert_cmpmem (out, 24, dsack, sizeof dsack);

  memset (&o, 0, sizeof o);
  o.layout = TL_OPT_LAYOUT_LINUX;
  o.present = TL_OPT_MSS | TL_OPT_SACK_PERM | TL_OPT_WSCALE;
  o.mss = 1460;
  o.wscale = 10;
  g_assert_cmpuint (tl_tcp_options_write (&o, out), ==, 12);
  g_assert_cmpmem (out, 12, no_ts, sizeof no_ts);
}

/* Every combination of options, both layouts, 0 to 4 SACK blocks: the
 * bytes parse back to the same values and the same layout. */
static void
test_round_trip_all (void)
{
  guint checked = 0;

  for (guint layout = TL_OPT_LAYOUT_RFC; layout <= TL_OPT_LAYOUT_LINUX; layout++)
    for (guint present = 0; present < 32; present++)
      for (guint n_sack = 0; n_sack <= TL_MAX_SACK_BLOCKS; n_sack++)
        {
          TlTcpOptions o = { 0 }, back;
          guint8 out[40];
          guint length, fitting;

          if (!(present & TL_OPT_SACK) && n_sack > 0)
            continue;
          if ((present & TL_OPT_SACK) && n_sack == 0)
            continue;
          o.present = (guint8) present;
          o.layout = (guint8) layout;
          o.mss = 536 + present;
          o.wscale = (guint8) (present % 15);
          o.tsval = 0xfffffff0u + present;
          o.tsecr = 0x80000000u | n_sack;
          o.n_sack = (guint8) n_sack;
          for (guint b = 0; b < n_sack; b++)
            {
              o.sack[b].left = 0xfffffff0u + 100 * b;   /* wraps */
              o.sack[b].right = o.sack[b].left + 50;
            }

          length = tl_tcp_options_length (&o);
          g_assert_cmpuint (length % 4, ==, 0);
          g_assert_cmpuint (length, <=, 40);
          g_assert_cmpuint (tl_tcp_options_write (&o, out), ==, length);
          g_assert_true (tl_tcp_options_parse (out, length, &back));

          /* Blocks that do not fit are left out, never the fixed options. */
          fitting = back.n_sack;
          g_assert_cmpuint (fitting, <=, n_sack);
          if (n_sack > 0 && fitting == 0)
            {
              g_assert_cmpuint (length + 12, >, 40);
              o.present &= (guint8) ~TL_OPT_SACK;
            }
          else if (fitting < n_sack)
            g_assert_cmpuint (length + 8, >, 40);
          o.n_sack = (guint8) fitting;
          g_assert_cmpuint (back.present, ==, o.present);
          if (o.present & TL_OPT_MSS)
            g_assert_cmpuint (back.mss, ==, o.mss);
          if (o.present & TL_OPT_WSCALE)
            g_assert_cmpuint (back.wscale, ==, o.wscale);
          if (o.present & TL_OPT_TS)
            {
              g_assert_cmpuint (back.tsval, ==, o.tsval);
              g_assert_cmpuint (back.tsecr, ==, o.tsecr);
            }
          for (guint b = 0; b < fitting; b++)
            {
              g_assert_cmpuint (back.sack[b].left, ==, o.sack[b].left);
              g_assert_cmpuint (back.sack[b].right, ==, o.sack[b].right);
            }
          /* Layouts that produce different bytes are told apart. */
          {
            TlTcpOptions other = o;
            guint8 other_out[40];
            other.layout = (guint8) (1 - layout);
            if (tl_tcp_options_write (&other, other_out) != length
                || memcmp (other_out, out, length) != 0)
              g_assert_cmpuint (back.layout, ==, layout);
          }
          checked++;
        }
  g_assert_cmpuint (checked, >, 100);
}

static void
test_sack_limits (void)
{
  TlTcpOptions o = { 0 };
  guint8 out[40];

  /* Linux: three blocks next to a timestamp, four without. */
  o.layout = TL_OPT_LAYOUT_LINUX;
  o.present = TL_OPT_TS | TL_OPT_SACK;
  o.n_sack = 4;
  g_assert_cmpuint (tl_tcp_options_length (&o), ==, 12 + 4 + 3 * 8);
  g_assert_cmpuint (tl_tcp_options_write (&o, out), ==, 40);
  o.present = TL_OPT_SACK;
  g_assert_cmpuint (tl_tcp_options_length (&o), ==, 4 + 4 * 8);
}

static void
test_parse_malformed (void)
{
  static const struct { const char *name; guint8 bytes[12]; guint length; } cases[] = {
    { "length byte missing", { 0x02 }, 1 },
    { "length past the end", { 0x02, 0x04, 0x05 }, 3 },
    { "length below 2", { 0x05, 0x01, 0, 0 }, 4 },
    { "mss with length 3", { 0x02, 0x03, 0x05, 0x01 }, 4 },
    { "TS with length 8", { 0x08, 0x08, 0, 0, 0, 0, 0, 0 }, 8 },
    { "SACK with half a block", { 0x05, 0x06, 0, 0, 0, 0, 0x01, 0x01 }, 8 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TlTcpOptions o;
      g_test_message ("case: %s", cases[i].name);
      g_assert_false (tl_tcp_options_parse (cases[i].bytes, cases[i].length, &o));
    }
}

static void
test_parse_tolerant (void)
{
  /* Unknown options are skipped; EOL ends the list; padding after it is
   * ignored. */
  static const guint8 bytes[16] = {
    0x02, 0x04, 0x05, 0xb4,          /* mss 1460 */
    0x1e, 0x04, 0x20, 0x01,          /* MPTCP-ish kind 30, len 4 */
    0x01, 0x03, 0x03, 0x02,          /* nop, wscale 2 */
    0x00, 0x00, 0x00, 0x00,          /* eol + padding */
  };
  TlTcpOptions o;

  g_assert_true (tl_tcp_options_parse (bytes, sizeof bytes, &o));
  g_assert_cmpuint (o.present, ==, TL_OPT_MSS | TL_OPT_WSCALE);
  g_assert_cmpuint (o.mss, ==, 1460);
  g_assert_cmpuint (o.wscale, ==, 2);
  g_assert_true (tl_tcp_options_parse (bytes, 0, &o));
  g_assert_cmpuint (o.present, ==, 0);
}

static void
test_options_format (void)
{
  TlTcpOptions o = syn_options (TL_OPT_LAYOUT_LINUX);
  GString *s = g_string_new (NULL);

  o.tsval = 1;
  tl_tcp_options_format (&o, s);
  g_assert_cmpstr (s->str, ==, "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7");

  g_string_truncate (s, 0);
  o.layout = TL_OPT_LAYOUT_RFC;
  tl_tcp_options_format (&o, s);
  g_assert_cmpstr (s->str, ==, "mss 1460,nop,wscale 7,nop,nop,sackOK,nop,nop,TS val 1 ecr 0");

  g_string_truncate (s, 0);
  memset (&o, 0, sizeof o);
  o.layout = TL_OPT_LAYOUT_LINUX;
  o.present = TL_OPT_TS | TL_OPT_SACK;
  o.tsval = 5;
  o.tsecr = 6;
  o.n_sack = 2;
  o.sack[0] = (TlSackBlock) { 1, 2 };
  o.sack[1] = (TlSackBlock) { 10, 20 };
  tl_tcp_options_format (&o, s);
  g_assert_cmpstr (s->str, ==, "nop,nop,TS val 5 ecr 6,nop,nop,sack 2 {1:2}{10:20}");

  g_string_truncate (s, 0);
  memset (&o, 0, sizeof o);
  tl_tcp_options_format (&o, s);
  g_assert_cmpstr (s->str, ==, "");
  g_string_free (s, TRUE);
}

static void
test_seq_arithmetic (void)
{
  TlSegment seg = { 0 };

  g_assert_true (TL_SEQ_LT (0xfffffff0u, 5u));
  g_assert_true (TL_SEQ_GT (5u, 0xfffffff0u));
  seg.flags = TL_TCP_SYN | TL_TCP_FIN;
  seg.len = 10;
  g_assert_cmpuint (tl_segment_seq_len (&seg), ==, 12);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/segment/flags-format", test_flags_format);
  g_test_add_func ("/io/segment/flags-parse", test_flags_parse);
  g_test_add_func ("/io/segment/linux-syn-bytes", test_linux_syn_bytes);
  g_test_add_func ("/io/segment/rfc-syn-bytes", test_rfc_syn_bytes);
  g_test_add_func ("/io/segment/linux-other-layouts", test_linux_other_layouts);
  g_test_add_func ("/io/segment/round-trip-all", test_round_trip_all);
  g_test_add_func ("/io/segment/sack-limits", test_sack_limits);
  g_test_add_func ("/io/segment/parse-malformed", test_parse_malformed);
  g_test_add_func ("/io/segment/parse-tolerant", test_parse_tolerant);
  g_test_add_func ("/io/segment/options-format", test_options_format);
  g_test_add_func ("/io/segment/seq-arithmetic", test_seq_arithmetic);
  return g_test_run ();
}

/* test-io-pcap.c: pcap output, pcap/pcapng input, state inference. */
#include <string.h>

#include <glib/gstdio.h>
#include <pcap/pcap.h>

#include "test-io-traces.h"
#include "tl-compare.h"
#include "tl-infer.h"
#include "tl-io-error.h"
#include "tl-pcap.h"
#include "tl-trace-equal.h"

#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

#define EPOCH_NS (TL_PCAP_EPOCH_SEC * G_GINT64_CONSTANT (1000000000))

static char *
tmp_path (const char *name)
{
  return g_build_filename (test_tmpdir (), name, NULL);
}

static TlTrace *
make_trace (guint which)
{
  switch (which)
    {
    case 0: return test_trace_simultaneous (1000, 0xfffffff0u);
    case 1: return test_trace_normal (0xffffff00u, 7);
    default: return test_trace_refused (99);
    }
}

/* One captured packet, read back with libpcap itself. */
typedef struct
{
  gint64  time_ns;
  GBytes *data;
} RawPacket;

static void
raw_packet_clear (gpointer p)
{
  g_bytes_unref (((RawPacket *) p)->data);
}

static GArray *
read_raw (const char *path,
          int        *dlt)
{
  char errbuf[PCAP_ERRBUF_SIZE];
  pcap_t *p = pcap_open_offline_with_tstamp_precision (path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  GArray *packets = g_array_new (FALSE, FALSE, sizeof (RawPacket));
  struct pcap_pkthdr *h;
  const u_char *data;

  g_array_set_clear_func (packets, raw_packet_clear);
  if (p == NULL)
    g_error ("%s", errbuf);
  if (dlt != NULL)
    *dlt = pcap_datalink (p);
  while (pcap_next_ex (p, &h, &data) == 1)
    {
      RawPacket r = { (gint64) h->ts.tv_sec * 1000000000 + h->ts.tv_usec,
                      g_bytes_new (data, h->caplen) };
      g_assert_cmpuint (h->caplen, ==, h->len);
      g_array_append_val (packets, r);
    }
  pcap_close (p);
  return packets;
}

/* Files written on this (little-endian) machine. */
static guint32
read_le32 (const char *p)
{
  const guint8 *b = (const guint8 *) p;
  return (guint32) b[0] | (guint32) b[1] << 8 | (guint32) b[2] << 16 | (guint32) b[3] << 24;
}

static void
assert_same_segment (const TlTrace   *ta,
                     const TlSegment *a,
                     const TlTrace   *tb,
                     const TlSegment *b)
{
  g_assert_cmphex (a->src_addr, ==, b->src_addr);
  g_assert_cmphex (a->dst_addr, ==, b->dst_addr);
  g_assert_cmpuint (a->src_port, ==, b->src_port);
  g_assert_cmpuint (a->dst_port, ==, b->dst_port);
  g_assert_cmphex (a->seq, ==, b->seq);
  g_assert_cmphex (a->ack, ==, b->ack);
  g_assert_cmphex (a->flags, ==, b->flags);
  g_assert_cmpuint (a->window, ==, b->window);
  g_assert_cmpuint (a->len, ==, b->len);
  g_assert_cmpuint (a->opts.present, ==, b->opts.present);
  g_assert_cmpuint (a->opts.layout, ==, b->opts.layout);
  g_assert_cmpuint (a->opts.mss, ==, b->opts.mss);
  g_assert_cmpuint (a->opts.wscale, ==, b->opts.wscale);
  g_assert_cmpuint (a->opts.tsval, ==, b->opts.tsval);
  g_assert_cmpuint (a->opts.tsecr, ==, b->opts.tsecr);
  g_assert_cmpuint (a->opts.n_sack, ==, b->opts.n_sack);
  for (guint i = 0; i < a->opts.n_sack; i++)
    {
      g_assert_cmphex (a->opts.sack[i].left, ==, b->opts.sack[i].left);
      g_assert_cmphex (a->opts.sack[i].right, ==, b->opts.sack[i].right);
    }
  if (a->len > 0)
    g_assert_cmpmem (tl_trace_get_payload (ta, a), a->len, tl_trace_get_payload (tb, b), b->len);
}

/* Every SEND of A, in order, has a SEND in B with the same segment and,
 * when SAME_TIMES, at the same time. */
static void
assert_same_sends (const TlTrace *a,
                   const TlTrace *b,
                   gboolean       same_times)
{
  guint j = 0;

  for (guint i = 0; i < tl_trace_get_n_records (a); i++)
    {
      const TlTraceRecord *ra = tl_trace_get_record (a, i), *rb = NULL;

      if (ra->kind != TL_REC_SEND)
        continue;
      for (; j < tl_trace_get_n_records (b); j++)
        if (tl_trace_get_record (b, j)->kind == TL_REC_SEND)
          {
            rb = tl_trace_get_record (b, j++);
            break;
          }
      g_assert_nonnull (rb);
      g_assert_cmpuint (ra->host, ==, rb->host);
      if (same_times)
        g_assert_cmpint (ra->time, ==, rb->time);
      assert_same_segment (a, &ra->seg, b, &rb->seg);
    }
  for (; j < tl_trace_get_n_records (b); j++)
    g_assert_cmpuint (tl_trace_get_record (b, j)->kind, !=, TL_REC_SEND);
}

static guint
count_records (const TlTrace *t,
               TlRecordKind   kind,
               gint           host)
{
  guint n = 0;

  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    if (tl_trace_get_record (t, i)->kind == kind
        && (host < 0 || tl_trace_get_record (t, i)->host == (guint) host))
      n++;
  return n;
}

static void
test_write_read_merged (void)
{
  for (guint which = 0; which < 3; which++)
    {
      g_autoptr(TlTrace) trace = make_trace (which);
      g_autofree char *path = tmp_path ("merged.pcap");
      g_autoptr(GError) error = NULL;
      g_autoptr(TlTrace) back = NULL;

      g_assert_true (tl_trace_write_pcap (trace, path, TL_PCAP_VANTAGE_MERGED, &error));
      g_assert_no_error (error);
      back = tl_pcap_load (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (back->source, ==, TL_TRACE_PCAP);
      g_assert_cmpstr (back->title, ==, "merged.pcap");
      g_assert_cmphex (back->hosts[0].addr, ==, TEST_ADDR_A);
      g_assert_cmpuint (back->hosts[0].port, ==, TEST_PORT_A);
      g_assert_cmphex (back->hosts[1].addr, ==, TEST_ADDR_B);
      /* The pcap's clock starts at TL_PCAP_EPOCH: times come back as they were. */
      assert_same_sends (trace, back, TRUE);
      /* One vantage point: every packet also arrives when it was seen. */
      g_assert_cmpuint (count_records (back, TL_REC_DELIVER, -1), ==,
                        count_records (back, TL_REC_SEND, -1));
    }
}

static void
test_file_format (void)
{
  g_autoptr(TlTrace) trace = make_trace (0);
  g_autofree char *path = tmp_path ("format.pcap");
  g_autofree char *again = tmp_path ("format2.pcap");
  g_autofree char *c1 = NULL, *c2 = NULL;
  g_autoptr(GArray) raw = NULL;
  gsize l1, l2;
  guint16 next_id[2] = { 1, 1 };
  guint k = 0;
  int dlt;

  g_assert_true (tl_trace_write_pcap (trace, path, TL_PCAP_VANTAGE_MERGED, NULL));
  g_assert_true (tl_trace_write_pcap (trace, again, TL_PCAP_VANTAGE_MERGED, NULL));
  g_assert_true (g_file_get_contents (path, &c1, &l1, NULL));
  g_assert_true (g_file_get_contents (again, &c2, &l2, NULL));
  g_assert_cmpmem (c1, l1, c2, l2);                  /* deterministic */
  /* Nanosecond pcap magic, version 2.4, link type RAW (101). */
  g_assert_cmphex (read_le32 (c1), ==, 0xa1b23c4d);
  g_assert_cmpuint (((guint8 *) c1)[20] | ((guint8 *) c1)[23], ==, 101);

  raw = read_raw (path, &dlt);
  g_assert_cmpint (dlt, ==, DLT_RAW);
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      const RawPacket *r;
      const guint8 *ip;
      gsize size;

      if (rec->kind != TL_REC_SEND)
        continue;
      r = &g_array_index (raw, RawPacket, k++);
      ip = g_bytes_get_data (r->data, &size);
      g_assert_cmpint (r->time_ns, ==, EPOCH_NS + rec->time);
      g_assert_cmpuint (ip[8], ==, 64);                         /* TTL */
      g_assert_cmpuint (ip[6] & 0x40, ==, 0x40);                /* DF */
      /* IP IDs count up per sending host. */
      g_assert_cmpuint ((guint) (ip[4] << 8 | ip[5]), ==, next_id[rec->host]++);
      g_assert_cmpuint (size, ==, 40 + (rec->seg.flags & TL_TCP_SYN ? 20 : 12)
                                  + (rec->seg.opts.n_sack ? 12 : 0) + rec->seg.len);
    }
  g_assert_cmpuint (k, ==, raw->len);
}

static guint
expected_packets (const TlTrace *t,
                  TlPcapVantage  vantage)
{
  switch (vantage)
    {
    case TL_PCAP_VANTAGE_A:
      return count_records (t, TL_REC_SEND, 0) + count_records (t, TL_REC_DELIVER, 0);
    case TL_PCAP_VANTAGE_B:
      return count_records (t, TL_REC_SEND, 1) + count_records (t, TL_REC_DELIVER, 1);
    case TL_PCAP_VANTAGE_ROUTER:
      return count_records (t, TL_REC_ROUTER_IN, -1) + count_records (t, TL_REC_RELEASE, -1);
    case TL_PCAP_VANTAGE_MERGED:
    default:
      return count_records (t, TL_REC_SEND, -1);
    }
}

static void
test_vantages (void)
{
  g_autoptr(TlTrace) trace = make_trace (1);
  /* Hold one packet at the router so RELEASE shows up. */
  guint in = test_trace_find (trace, TL_REC_ROUTER_IN, TL_HOST_ROUTER, 2);
  TlTraceRecord *router_in = &g_array_index (trace->records, TlTraceRecord, in);
  TlTraceRecord release = *router_in;

  release.kind = TL_REC_RELEASE;
  g_array_insert_val (trace->records, in + 1, release);

  for (guint v = TL_PCAP_VANTAGE_A; v <= TL_PCAP_VANTAGE_MERGED; v++)
    {
      g_autofree char *name = g_strdup_printf ("vantage-%s.pcap", tl_pcap_vantage_to_string (v));
      g_autofree char *path = tmp_path (name);
      g_autoptr(GArray) raw = NULL;
      TlPcapVantage parsed;

      g_assert_true (tl_pcap_vantage_from_string (tl_pcap_vantage_to_string (v), &parsed));
      g_assert_cmpint (parsed, ==, v);
      g_assert_true (tl_trace_write_pcap (trace, path, v, NULL));
      raw = read_raw (path, NULL);
      g_assert_cmpuint (raw->len, ==, expected_packets (trace, v));
      g_assert_cmpuint (raw->len, >, 0);
    }
  /* At A: A's SYN leaves at 10 ms; B's SYN,ACK arrives at 1210 ms. */
  {
    g_autofree char *path = tmp_path ("vantage-a.pcap");
    g_autoptr(GArray) raw = read_raw (path, NULL);
    g_assert_cmpint (g_array_index (raw, RawPacket, 0).time_ns, ==, EPOCH_NS + TL_MSEC (10));
    g_assert_cmpint (g_array_index (raw, RawPacket, 2).time_ns, ==, EPOCH_NS + TL_MSEC (1210));
  }
  g_assert_false (tl_pcap_vantage_from_string ("left", &(TlPcapVantage) { 0 }));
}

/* ---- tshark ------------------------------------------------------------ */

static void
test_tshark_clean (void)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");

  if (tshark == NULL)
    {
      g_test_skip ("tshark is not installed (apt install tshark)");
      return;
    }
  for (guint which = 0; which < 3; which++)
    for (guint v = TL_PCAP_VANTAGE_A; v <= TL_PCAP_VANTAGE_MERGED; v++)
      {
        g_autoptr(TlTrace) trace = make_trace (which);
        g_autofree char *path = tmp_path ("tshark.pcap");
        g_autofree char *out = NULL, *err = NULL;
        g_auto(GStrv) lines = NULL;
        g_autoptr(GError) error = NULL;
        const char *argv[] = {
          tshark, "-n", "-r", path,
          "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
          "-T", "fields", "-E", "separator=|", "-E", "occurrence=f",
          "-e", "frame.number", "-e", "ip.checksum.status", "-e", "tcp.checksum.status",
          "-e", "_ws.malformed", "-e", "tcp.len", "-e", "tcp.options.mss_val",
          "-e", "tcp.flags.syn", NULL
        };
        int status;
        guint n = 0;

        g_assert_true (tl_trace_write_pcap (trace, path, v, NULL));
        g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                     &out, &err, &status, &error));
        g_assert_no_error (error);
        if (!g_spawn_check_wait_status (status, NULL))
          g_error ("tshark failed: %s", err);
        lines = g_strsplit (g_strchomp (out), "\n", -1);
        for (guint i = 0; lines[i] != NULL && lines[i][0] != '\0'; i++, n++)
          {
            g_auto(GStrv) f = g_strsplit (lines[i], "|", -1);
            g_assert_cmpuint (g_strv_length (f), ==, 7);
            /* Checksum status 1 is "Good". */
            g_assert_cmpstr (f[1], ==, "1");
            g_assert_cmpstr (f[2], ==, "1");
            g_assert_cmpstr (f[3], ==, "");           /* not malformed */
            if (strcmp (f[6], "1") == 0 && which != 2)
              g_assert_cmpstr (f[5], ==, "1460");
          }
        g_assert_cmpuint (n, ==, expected_packets (trace, v));
      }
}

/* ---- other link types, pcapng ------------------------------------------ */

static void
write_with_link (const char *path,
                 int         dlt,
                 GArray     *raw,
                 gboolean    vlan,
                 gboolean    junk)
{
  pcap_t *p = pcap_open_dead_with_tstamp_precision (dlt, 65535, PCAP_TSTAMP_PRECISION_NANO);
  pcap_dumper_t *d = pcap_dump_open (p, path);

  g_assert_nonnull (d);
  for (guint i = 0; i < raw->len; i++)
    {
      const RawPacket *r = &g_array_index (raw, RawPacket, i);
      gsize size;
      const guint8 *ip = g_bytes_get_data (r->data, &size);
      guint8 frame[2048];
      gsize head = 0;
      struct pcap_pkthdr h = { 0 };

      switch (dlt)
        {
        case DLT_EN10MB:
          memset (frame, 0x11, 12);
          head = 12;
          if (vlan)
            {
              frame[head++] = 0x81; frame[head++] = 0x00;
              frame[head++] = 0x00; frame[head++] = 0x05;
            }
          frame[head++] = 0x08; frame[head++] = 0x00;
          break;
        case DLT_LINUX_SLL:
          memset (frame, 0, 16);
          frame[14] = 0x08;
          head = 16;
          break;
        case DLT_LINUX_SLL2:
          memset (frame, 0, 20);
          frame[0] = 0x08;
          head = 20;
          break;
        case DLT_NULL:
          frame[0] = 2; frame[1] = frame[2] = frame[3] = 0;   /* little-endian AF_INET */
          head = 4;
          break;
        case DLT_LOOP:
          frame[0] = frame[1] = frame[2] = 0; frame[3] = 2;   /* big-endian AF_INET */
          head = 4;
          break;
        default:
          break;
        }
      memcpy (frame + head, ip, size);
      h.ts.tv_sec = r->time_ns / 1000000000;
      h.ts.tv_usec = r->time_ns % 1000000000;
      h.caplen = h.len = (bpf_u_int32) (head + size);
      pcap_dump ((u_char *) d, &h, frame);

      if (junk && i == 0)
        {
          /* The same SYN over IPv6 (next header TCP) and a UDP datagram:
           * both skipped. */
          guint8 other[128] = { 0 };
          memcpy (other, frame, head);
          if (dlt == DLT_EN10MB)
            {
              other[head - 2] = 0x86;
              other[head - 1] = 0xdd;
            }
          else if (dlt == DLT_LINUX_SLL)
            other[14] = 0x86, other[15] = 0xdd;
          else if (dlt == DLT_LINUX_SLL2)
            other[0] = 0x86, other[1] = 0xdd;
          else if (dlt == DLT_NULL)
            other[0] = 30;
          else if (dlt == DLT_LOOP)
            other[3] = 30;
          other[head] = 0x60;
          other[head + 6] = 6;
          h.caplen = h.len = (bpf_u_int32) (head + 60);
          pcap_dump ((u_char *) d, &h, other);

          memcpy (other, frame, head + 20);
          other[head + 9] = 17;
          h.caplen = h.len = (bpf_u_int32) (head + 28);
          pcap_dump ((u_char *) d, &h, other);
        }
    }
  pcap_dump_close (d);
  pcap_close (p);
}

static void
test_link_types (void)
{
  static const struct { int dlt; gboolean vlan; } links[] = {
    { DLT_EN10MB, FALSE }, { DLT_EN10MB, TRUE }, { DLT_LINUX_SLL, FALSE },
    { DLT_LINUX_SLL2, FALSE }, { DLT_NULL, FALSE }, { DLT_LOOP, FALSE }, { DLT_IPV4, FALSE },
  };
  g_autoptr(TlTrace) trace = make_trace (0);
  g_autofree char *merged = tmp_path ("link-raw.pcap");
  g_autofree char *path = tmp_path ("link.pcap");
  g_autoptr(GArray) raw = NULL;

  g_assert_true (tl_trace_write_pcap (trace, merged, TL_PCAP_VANTAGE_MERGED, NULL));
  raw = read_raw (merged, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (links); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlTrace) back = NULL;
      gboolean junk = links[i].dlt != DLT_IPV4;

      g_test_message ("link type %s%s", pcap_datalink_val_to_name (links[i].dlt),
                      links[i].vlan ? " with VLAN tag" : "");
      write_with_link (path, links[i].dlt, raw, links[i].vlan, junk);
      back = tl_pcap_load (path, &error);
      g_assert_no_error (error);
      assert_same_sends (trace, back, TRUE);
      if (junk)
        g_assert_nonnull (strstr (back->caption, "1 IPv6 packets skipped"));
    }
}

static void
put_le32 (GByteArray *b, guint32 v)
{
  guint8 x[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (b, x, 4);
}

static void
put_le16 (GByteArray *b, guint16 v)
{
  guint8 x[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (b, x, 2);
}

/* A pcapng file by hand (libpcap cannot write one): section header,
 * interface (RAW, nanosecond resolution), enhanced packet blocks. */
static GByteArray *
make_pcapng (GArray *raw)
{
  GByteArray *b = g_byte_array_new ();
  static const guint8 zero[4] = { 0 };

  put_le32 (b, 0x0a0d0d0a); put_le32 (b, 28); put_le32 (b, 0x1a2b3c4d);
  put_le16 (b, 1); put_le16 (b, 0);
  put_le32 (b, 0xffffffff); put_le32 (b, 0xffffffff);
  put_le32 (b, 28);

  /* IDB with if_tsresol = 9 (option 9, length 1, padded) and opt_endofopt. */
  put_le32 (b, 1); put_le32 (b, 32);
  put_le16 (b, 101); put_le16 (b, 0); put_le32 (b, 65535);
  put_le16 (b, 9); put_le16 (b, 1); g_byte_array_append (b, (guint8[]) { 9, 0, 0, 0 }, 4);
  put_le16 (b, 0); put_le16 (b, 0);
  put_le32 (b, 32);

  for (guint i = 0; i < raw->len; i++)
    {
      const RawPacket *r = &g_array_index (raw, RawPacket, i);
      gsize size;
      const guint8 *data = g_bytes_get_data (r->data, &size);
      guint padded = (guint) ((size + 3) & ~(gsize) 3);
      guint64 ts = (guint64) r->time_ns;

      put_le32 (b, 6); put_le32 (b, 32 + padded);
      put_le32 (b, 0);
      put_le32 (b, (guint32) (ts >> 32)); put_le32 (b, (guint32) ts);
      put_le32 (b, (guint32) size); put_le32 (b, (guint32) size);
      g_byte_array_append (b, data, (guint) size);
      g_byte_array_append (b, zero, padded - (guint) size);
      put_le32 (b, 32 + padded);
    }
  return b;
}

static void
test_pcapng (void)
{
  g_autoptr(TlTrace) trace = make_trace (1);
  g_autofree char *merged = tmp_path ("ng-raw.pcap");
  g_autofree char *path = tmp_path ("capture.pcapng");
  g_autoptr(GArray) raw = NULL;
  g_autoptr(GByteArray) ng = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlTrace) back = NULL;

  g_assert_true (tl_trace_write_pcap (trace, merged, TL_PCAP_VANTAGE_MERGED, NULL));
  raw = read_raw (merged, NULL);
  ng = make_pcapng (raw);
  g_assert_true (tl_pcap_sniff (ng->data, ng->len));
  g_assert_true (g_file_set_contents (path, (const char *) ng->data, ng->len, NULL));
  back = tl_pcap_load (path, &error);
  g_assert_no_error (error);
  assert_same_sends (trace, back, TRUE);
}

/* ---- broken captures ---------------------------------------------------- */

static void
test_truncated_everywhere (void)
{
  g_autoptr(TlTrace) trace = make_trace (1);
  g_autofree char *full = tmp_path ("full.pcap");
  g_autofree char *cut = tmp_path ("cut.pcap");
  g_autofree char *contents = NULL;
  g_autoptr(GArray) boundaries = g_array_new (FALSE, FALSE, sizeof (gsize));
  gsize length, offset = 24;

  g_assert_true (tl_trace_write_pcap (trace, full, TL_PCAP_VANTAGE_MERGED, NULL));
  g_assert_true (g_file_get_contents (full, &contents, &length, NULL));
  /* Where each record ends: 16-byte header + caplen (little-endian here). */
  while (offset < length)
    {
      guint32 caplen = read_le32 (contents + offset + 8);
      offset += 16 + caplen;
      g_array_append_val (boundaries, offset);
    }
  g_assert_cmpuint (offset, ==, length);

  for (gsize l = 0; l < length; l++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlTrace) back = NULL;
      guint complete = 0;
      gboolean at_boundary = l == 24;

      for (guint k = 0; k < boundaries->len; k++)
        {
          gsize end = g_array_index (boundaries, gsize, k);
          if (end <= l)
            complete = k + 1;
          if (end == l)
            at_boundary = TRUE;
        }
      g_assert_true (g_file_set_contents (cut, contents, (gssize) l, NULL));
      back = tl_pcap_load (cut, &error);
      if (at_boundary && complete > 0)
        {
          g_assert_no_error (error);
          g_assert_cmpuint (count_records (back, TL_REC_SEND, -1), ==, complete);
          continue;
        }
      g_assert_null (back);
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, cut));
      if (l < 24)
        g_assert_true (error->code == TL_IO_ERROR_PARSE);
      else if (at_boundary)
        g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_NO_TCP);
      else
        {
          g_autofree char *where = g_strdup_printf ("%s: packet %u: ", cut, complete + 1);
          g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE);
          if (!g_str_has_prefix (error->message, where))
            g_error ("at %" G_GSIZE_FORMAT ": %s", l, error->message);
        }
    }
}

static void
test_corrupt_everywhere (void)
{
  g_autoptr(TlTrace) trace = make_trace (2);
  g_autofree char *full = tmp_path ("whole.pcap");
  g_autofree char *bad = tmp_path ("corrupt.pcap");
  g_autofree char *contents = NULL;
  gsize length;
  guint ok = 0, failed = 0;

  g_assert_true (tl_trace_write_pcap (trace, full, TL_PCAP_VANTAGE_MERGED, NULL));
  g_assert_true (g_file_get_contents (full, &contents, &length, NULL));
  /* Every byte flipped in turn: a clear error or a trace, never a crash. */
  for (gsize i = 0; i < length; i++)
    for (guint pattern = 0; pattern < 2; pattern++)
      {
        g_autoptr(GError) error = NULL;
        g_autoptr(TlTrace) back = NULL;

        contents[i] ^= pattern == 0 ? 0xff : 0x80;
        g_assert_true (g_file_set_contents (bad, contents, (gssize) length, NULL));
        contents[i] ^= pattern == 0 ? 0xff : 0x80;
        back = tl_pcap_load (bad, &error);
        if (back != NULL)
          ok++;
        else
          {
            g_assert_nonnull (strstr (error->message, bad));
            failed++;
          }
      }
  g_assert_cmpuint (ok, >, 0);
  g_assert_cmpuint (failed, >, 0);
}

static void
test_malformed_packet (void)
{
  g_autoptr(TlTrace) trace = make_trace (0);
  g_autofree char *path = tmp_path ("malformed.pcap");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = NULL;
  gsize length, offset = 24;

  g_assert_true (tl_trace_write_pcap (trace, path, TL_PCAP_VANTAGE_MERGED, NULL));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  /* Packet 3's IP header length becomes 12 bytes. */
  for (guint k = 0; k < 2; k++)
    offset += 16 + read_le32 (contents + offset + 8);
  contents[offset + 16] = 0x43;
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  g_assert_null (tl_pcap_load (path, &error));
  expected = g_strdup_printf ("%s: packet 3: IPv4 header length below 20 bytes", path);
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_load_errors (void)
{
  g_autofree char *missing = tmp_path ("no-such.pcap");
  g_autofree char *text = tmp_path ("text.pcap");
  g_autofree char *wifi = tmp_path ("wifi.pcap");
  g_autofree char *udp = tmp_path ("udp.pcap");
  g_autoptr(GError) error = NULL;
  pcap_t *p;
  pcap_dumper_t *d;
  struct pcap_pkthdr h = { { 1, 0 }, 28, 28 };
  guint8 packet[28] = { 0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17 };

  g_assert_null (tl_pcap_load (missing, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_READ);
  g_assert_nonnull (strstr (error->message, missing));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (text, "this is not a capture, just text\n", -1, NULL));
  g_assert_null (tl_pcap_load (text, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE);
  g_assert_true (g_str_has_prefix (error->message, text));
  g_clear_error (&error);

  p = pcap_open_dead (DLT_IEEE802_11, 65535);
  d = pcap_dump_open (p, wifi);
  pcap_dump_close (d);
  pcap_close (p);
  g_assert_null (tl_pcap_load (wifi, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_UNSUPPORTED);
  g_assert_nonnull (strstr (error->message, "IEEE802_11"));
  g_clear_error (&error);

  p = pcap_open_dead (DLT_RAW, 65535);
  d = pcap_dump_open (p, udp);
  pcap_dump ((u_char *) d, &h, packet);
  pcap_dump_close (d);
  pcap_close (p);
  g_assert_null (tl_pcap_load (udp, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_NO_TCP);
  g_assert_cmpstr (strstr (error->message, ": no IPv4 TCP"), ==, ": no IPv4 TCP segments");
}

static void
test_conversations (void)
{
  g_autoptr(TlTrace) small = make_trace (2);
  g_autoptr(TlTrace) big = make_trace (0);
  g_autofree char *p_small = tmp_path ("conv-small.pcap");
  g_autofree char *p_big = tmp_path ("conv-big.pcap");
  g_autofree char *mixed = tmp_path ("mixed.pcap");
  g_autoptr(GArray) raw = NULL;
  g_autoptr(GArray) raw_big = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlTrace) busiest = NULL, chosen = NULL;
  TlPcapFilter filter;

  /* The small conversation on other addresses, then the big one. */
  for (guint i = 0; i < tl_trace_get_n_records (small); i++)
    {
      TlSegment *s = &g_array_index (small->records, TlTraceRecord, i).seg;
      if (s->src_addr != 0)
        s->src_addr += 0x100, s->dst_addr += 0x100;
    }
  g_assert_true (tl_trace_write_pcap (small, p_small, TL_PCAP_VANTAGE_MERGED, NULL));
  g_assert_true (tl_trace_write_pcap (big, p_big, TL_PCAP_VANTAGE_MERGED, NULL));
  raw = read_raw (p_small, NULL);
  raw_big = read_raw (p_big, NULL);
  g_array_append_vals (raw, raw_big->data, raw_big->len);
  g_array_set_clear_func (raw_big, NULL);          /* the bytes moved to RAW */
  write_with_link (mixed, DLT_RAW, raw, FALSE, FALSE);

  busiest = tl_pcap_load (mixed, &error);
  g_assert_no_error (error);
  assert_same_sends (big, busiest, TRUE);

  g_assert_true (tl_pcap_filter_parse ("10.0.1.2:5000,10.0.1.1:40000", &filter, &error));
  chosen = tl_pcap_load_filtered (mixed, &filter, &error);
  g_assert_no_error (error);
  assert_same_sends (small, chosen, TRUE);
  g_clear_pointer (&chosen, tl_trace_unref);

  g_assert_true (tl_pcap_filter_parse ("10.9.9.9:1,10.0.1.1:40000", &filter, &error));
  g_assert_null (tl_pcap_load_filtered (mixed, &filter, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_NO_TCP);
  g_assert_nonnull (strstr (error->message, "no TCP segments between 10.9.9.9:1,10.0.1.1:40000"));
  g_clear_error (&error);

  g_assert_false (tl_pcap_filter_parse ("10.0.0.1:5000", &filter, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (tl_pcap_filter_parse ("10.0.0.1:99999,10.0.0.2:1", &filter, NULL));
  g_assert_false (tl_pcap_filter_parse ("10.0.0:1,10.0.0.2:1", &filter, NULL));
}

static void
test_write_errors (void)
{
  g_autoptr(TlTrace) trace = make_trace (2);
  g_autofree char *nodir = g_build_filename (test_tmpdir (), "nope", "x.pcap", NULL);
  g_autoptr(GError) error = NULL;
  TlTraceRecord *rec;

  g_assert_false (tl_trace_write_pcap (trace, nodir, TL_PCAP_VANTAGE_MERGED, &error));
  g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE);
  g_assert_nonnull (strstr (error->message, nodir));
  g_clear_error (&error);

  /* A payload no IPv4 packet can carry: an error, and no file. */
  {
    g_autofree char *path = tmp_path ("huge.pcap");
    rec = &g_array_index (trace->records, TlTraceRecord,
                          test_trace_find (trace, TL_REC_SEND, 0, 0));
    rec->seg.len = 70000;
    g_assert_false (tl_trace_write_pcap (trace, path, TL_PCAP_VANTAGE_MERGED, &error));
    g_assert_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE);
    g_assert_nonnull (strstr (error->message, "does not fit"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
}

/* ---- two vantage points ------------------------------------------------- */

static GArray *
deliver_times (const TlTrace *t,
               guint          host)
{
  GArray *times = g_array_new (FALSE, FALSE, sizeof (TlTime));

  for (guint i = 0; i < tl_trace_get_n_records (t); i++)
    if (tl_trace_get_record (t, i)->kind == TL_REC_DELIVER
        && tl_trace_get_record (t, i)->host == host)
      g_array_append_val (times, tl_trace_get_record (t, i)->time);
  return times;
}

static void
test_pair (void)
{
  g_autoptr(TlTrace) trace = make_trace (1);      /* A's first SYN is lost */
  g_autofree char *pa = tmp_path ("pair-a.pcap");
  g_autofree char *pb = tmp_path ("pair-b.pcap");
  g_autoptr(GError) error = NULL;
  g_autoptr(TlTrace) pair = NULL, swapped = NULL;
  g_autoptr(TlCompareResult) result = NULL, result_swapped = NULL;
  guint drop;

  g_assert_true (tl_trace_write_pcap (trace, pa, TL_PCAP_VANTAGE_A, NULL));
  g_assert_true (tl_trace_write_pcap (trace, pb, TL_PCAP_VANTAGE_B, NULL));
  pair = tl_pcap_load_pair (pa, pb, &error);
  g_assert_no_error (error);
  g_assert_cmphex (pair->hosts[0].addr, ==, TEST_ADDR_A);
  assert_same_sends (trace, pair, TRUE);
  g_assert_cmpuint (count_records (pair, TL_REC_DROP, -1), ==, 1);
  drop = test_trace_find (pair, TL_REC_DROP, 0, 0);
  g_assert_cmphex (tl_trace_get_record (pair, drop)->seg.flags, ==, TL_TCP_SYN);
  /* Arrival times are the receiver's: every DELIVER matches the original. */
  for (guint host = 0; host < 2; host++)
    {
      g_autoptr(GArray) want = deliver_times (trace, host);
      g_autoptr(GArray) got = deliver_times (pair, host);
      g_assert_cmpmem (want->data, want->len * sizeof (TlTime),
                       got->data, got->len * sizeof (TlTime));
    }
  g_assert_nonnull (strstr (pair->caption, "1 never arrived"));

  /* The simulation and what the two captures show are the same story,
   * states included (inferred from the segments). */
  result = tl_compare_traces (trace, pair, NULL);
  if (!tl_compare_result_is_match (result))
    {
      g_autoptr(GString) diff = g_string_new (NULL);
      tl_compare_result_format (result, trace, pair, FALSE, diff);
      g_error ("%s", diff->str);
    }
  g_assert_cmpuint (result->states_total, ==, 9);

  /* Given the other way round, B is host 0 and compare maps the hosts. */
  swapped = tl_pcap_load_pair (pb, pa, &error);
  g_assert_no_error (error);
  g_assert_cmphex (swapped->hosts[0].addr, ==, TEST_ADDR_B);
  result_swapped = tl_compare_traces (trace, swapped, NULL);
  g_assert_true (result_swapped->hosts_swapped);
  g_assert_true (tl_compare_result_is_match (result_swapped));

  /* Against a Linux-style reference, Linux-style inference matches and
   * RFC-style inference puts B's SYN-RECEIVED 200 ms early. */
  {
    g_autoptr(TlTrace) linux_ref = make_trace (1);
    g_autoptr(TlTrace) linux_pair = tl_pcap_load_pair_full (pa, pb, NULL, TL_INFER_LINUX, &error);
    g_autoptr(TlCompareResult) good = NULL, bad = NULL;
    guint state;
    const TlMismatch *m;

    g_assert_no_error (error);
    /* B's passive open as Linux reports it: NONE -> SYN-RECEIVED at the ACK. */
    state = test_trace_find (linux_ref, TL_REC_STATE, 1, 1);
    g_assert_cmpuint (tl_trace_get_record (linux_ref, state)->new_state, ==,
                      TL_STATE_SYN_RECEIVED);
    g_array_index (linux_ref->records, TlTraceRecord, state).time = TL_MSEC (1310);
    good = tl_compare_traces (linux_ref, linux_pair, NULL);
    g_assert_true (tl_compare_result_is_match (good));
    bad = tl_compare_traces (linux_ref, pair, NULL);
    g_assert_cmpuint (bad->mismatches->len, ==, 1);
    m = &g_array_index (bad->mismatches, TlMismatch, 0);
    g_assert_cmpstr (m->field, ==, "time");
    g_assert_cmpint (m->time_error, ==, -TL_MSEC (200));
  }
}

/* ---- state inference ------------------------------------------------------ */

typedef struct
{
  guint      host;
  TlTime     time_ms;
  TlTcpState from;
  TlTcpState to;
} Expected;

static void
check_inference_style (TlTrace        *trace,
                       TlInferStyle    style,
                       const Expected *expected,
                       guint           n_expected)
{
  guint added, k = 0;

  /* Keep only what a capture shows. */
  for (guint i = trace->records->len; i > 0; i--)
    {
      guint8 kind = tl_trace_get_record (trace, i - 1)->kind;
      if (kind != TL_REC_SEND && kind != TL_REC_DELIVER && kind != TL_REC_DROP)
        g_array_remove_index (trace->records, i - 1);
    }
  added = tl_trace_infer_states_full (trace, style);
  g_assert_cmpuint (added, ==, n_expected);
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind != TL_REC_STATE)
        continue;
      g_assert_true (rec->inferred);
      g_assert_cmpuint (k, <, n_expected);
      g_assert_cmpuint (rec->host, ==, expected[k].host);
      g_assert_cmpint (rec->time, ==, TL_MSEC (expected[k].time_ms));
      g_assert_cmpstr (tl_tcp_state_to_string (rec->old_state), ==,
                       tl_tcp_state_to_string (expected[k].from));
      g_assert_cmpstr (tl_tcp_state_to_string (rec->new_state), ==,
                       tl_tcp_state_to_string (expected[k].to));
      k++;
    }
}

static void
check_inference (TlTrace        *trace,
                 const Expected *expected,
                 guint           n_expected)
{
  check_inference_style (trace, TL_INFER_RFC9293, expected, n_expected);
}

static void
test_infer_simultaneous (void)
{
  static const Expected expected[] = {
    { 0, 0, TL_STATE_NONE, TL_STATE_SYN_SENT },
    { 1, 0, TL_STATE_NONE, TL_STATE_SYN_SENT },
    { 1, 100, TL_STATE_SYN_SENT, TL_STATE_SYN_RECEIVED },
    { 0, 100, TL_STATE_SYN_SENT, TL_STATE_SYN_RECEIVED },
    { 1, 200, TL_STATE_SYN_RECEIVED, TL_STATE_ESTABLISHED },
    { 0, 200, TL_STATE_SYN_RECEIVED, TL_STATE_ESTABLISHED },
    { 0, 2000, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1 },
    { 1, 2000, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1 },
    { 1, 2100, TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING },
    { 0, 2100, TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING },
    { 1, 2200, TL_STATE_CLOSING, TL_STATE_TIME_WAIT },
    { 0, 2200, TL_STATE_CLOSING, TL_STATE_TIME_WAIT },
  };
  g_autoptr(TlTrace) trace = test_trace_simultaneous (0xfffffffeu, 3);

  check_inference (trace, expected, G_N_ELEMENTS (expected));
}

static void
test_infer_normal (void)
{
  static const Expected expected[] = {
    { 0, 10, TL_STATE_NONE, TL_STATE_SYN_SENT },
    { 1, 1110, TL_STATE_NONE, TL_STATE_LISTEN },
    { 1, 1110, TL_STATE_LISTEN, TL_STATE_SYN_RECEIVED },
    { 0, 1210, TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED },
    { 1, 1310, TL_STATE_SYN_RECEIVED, TL_STATE_ESTABLISHED },
    { 0, 1500, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1 },
    { 1, 1600, TL_STATE_ESTABLISHED, TL_STATE_CLOSE_WAIT },
    { 0, 1700, TL_STATE_FIN_WAIT_1, TL_STATE_FIN_WAIT_2 },
    { 1, 1800, TL_STATE_CLOSE_WAIT, TL_STATE_LAST_ACK },
    { 0, 1900, TL_STATE_FIN_WAIT_2, TL_STATE_TIME_WAIT },
    { 1, 2000, TL_STATE_LAST_ACK, TL_STATE_CLOSED },
  };
  g_autoptr(TlTrace) trace = test_trace_normal (100, 0x80000000u);

  check_inference (trace, expected, G_N_ELEMENTS (expected));
}

/* Linux: no LISTEN or SYN-RECEIVED at the SYN; the accepted socket shows
 * up when the handshake completes (here: A's first data, whose ACK covers
 * B's SYN). */
static void
test_infer_linux_passive_open (void)
{
  static const Expected expected[] = {
    { 0, 10, TL_STATE_NONE, TL_STATE_SYN_SENT },
    { 0, 1210, TL_STATE_SYN_SENT, TL_STATE_ESTABLISHED },
    { 1, 1310, TL_STATE_NONE, TL_STATE_SYN_RECEIVED },
    { 1, 1310, TL_STATE_SYN_RECEIVED, TL_STATE_ESTABLISHED },
    { 0, 1500, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1 },
    { 1, 1600, TL_STATE_ESTABLISHED, TL_STATE_CLOSE_WAIT },
    { 0, 1700, TL_STATE_FIN_WAIT_1, TL_STATE_FIN_WAIT_2 },
    { 1, 1800, TL_STATE_CLOSE_WAIT, TL_STATE_LAST_ACK },
    { 0, 1900, TL_STATE_FIN_WAIT_2, TL_STATE_TIME_WAIT },
    { 1, 2000, TL_STATE_LAST_ACK, TL_STATE_CLOSED },
  };
  g_autoptr(TlTrace) trace = test_trace_normal (100, 0x80000000u);

  g_assert_cmpint (tl_infer_style_from_profile ("linux"), ==, TL_INFER_LINUX);
  g_assert_cmpint (tl_infer_style_from_profile ("rfc9293"), ==, TL_INFER_RFC9293);
  g_assert_cmpint (tl_infer_style_from_profile (NULL), ==, TL_INFER_RFC9293);
  check_inference_style (trace, TL_INFER_LINUX, expected, G_N_ELEMENTS (expected));
}

static void
test_infer_linux_simultaneous (void)
{
  /* Simultaneous open looks the same either way. */
  g_autoptr(TlTrace) rfc = test_trace_simultaneous (1, 2);
  g_autoptr(TlTrace) lnx = test_trace_simultaneous (1, 2);
  g_autoptr(GString) why = g_string_new (NULL);

  for (guint i = rfc->records->len; i > 0; i--)
    if (tl_trace_get_record (rfc, i - 1)->kind == TL_REC_STATE)
      {
        g_array_remove_index (rfc->records, i - 1);
        g_array_remove_index (lnx->records, i - 1);
      }
  g_assert_cmpuint (tl_trace_infer_states_full (rfc, TL_INFER_RFC9293), ==, 12);
  g_assert_cmpuint (tl_trace_infer_states_full (lnx, TL_INFER_LINUX), ==, 12);
  g_assert_true (tl_trace_equal (rfc, lnx, why));
}

static void
test_infer_refused (void)
{
  static const Expected expected[] = {
    { 0, 0, TL_STATE_NONE, TL_STATE_SYN_SENT },
    { 0, 200, TL_STATE_SYN_SENT, TL_STATE_CLOSED },
  };
  g_autoptr(TlTrace) trace = test_trace_refused (1);

  check_inference (trace, expected, G_N_ELEMENTS (expected));
}

static void
test_infer_mid_connection (void)
{
  /* A capture started after the handshake: both ends are ESTABLISHED as
   * soon as they show up, and the close is followed from there. */
  static const Expected expected[] = {
    { 0, 1000, TL_STATE_NONE, TL_STATE_ESTABLISHED },
    { 1, 1100, TL_STATE_NONE, TL_STATE_ESTABLISHED },
    { 0, 2000, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1 },
    { 1, 2000, TL_STATE_ESTABLISHED, TL_STATE_FIN_WAIT_1 },
    { 1, 2100, TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING },
    { 0, 2100, TL_STATE_FIN_WAIT_1, TL_STATE_CLOSING },
    { 1, 2200, TL_STATE_CLOSING, TL_STATE_TIME_WAIT },
    { 0, 2200, TL_STATE_CLOSING, TL_STATE_TIME_WAIT },
  };
  g_autoptr(TlTrace) trace = test_trace_simultaneous (5, 6);

  /* Everything before the data segment at 1 s goes. */
  while (tl_trace_get_record (trace, 0)->time < TL_MSEC (1000))
    g_array_remove_index (trace->records, 0);
  check_inference (trace, expected, G_N_ELEMENTS (expected));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/io/pcap/write-read-merged", test_write_read_merged);
  g_test_add_func ("/io/pcap/file-format", test_file_format);
  g_test_add_func ("/io/pcap/vantages", test_vantages);
  g_test_add_func ("/io/pcap/tshark-clean", test_tshark_clean);
  g_test_add_func ("/io/pcap/link-types", test_link_types);
  g_test_add_func ("/io/pcap/pcapng", test_pcapng);
  g_test_add_func ("/io/pcap/truncated-everywhere", test_truncated_everywhere);
  g_test_add_func ("/io/pcap/corrupt-everywhere", test_corrupt_everywhere);
  g_test_add_func ("/io/pcap/malformed-packet", test_malformed_packet);
  g_test_add_func ("/io/pcap/load-errors", test_load_errors);
  g_test_add_func ("/io/pcap/conversations", test_conversations);
  g_test_add_func ("/io/pcap/write-errors", test_write_errors);
  g_test_add_func ("/io/pcap/pair", test_pair);
  g_test_add_func ("/io/pcap/infer-simultaneous", test_infer_simultaneous);
  g_test_add_func ("/io/pcap/infer-normal", test_infer_normal);
  g_test_add_func ("/io/pcap/infer-linux-passive-open", test_infer_linux_passive_open);
  g_test_add_func ("/io/pcap/infer-linux-simultaneous", test_infer_linux_simultaneous);
  g_test_add_func ("/io/pcap/infer-refused", test_infer_refused);
  g_test_add_func ("/io/pcap/infer-mid-connection", test_infer_mid_connection);
  return g_test_run ();
}

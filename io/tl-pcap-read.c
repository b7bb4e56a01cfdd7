/* tl-pcap-read.c: captures (pcap or pcapng) into traces.
 *
 * Reading takes two passes over each file: the first counts the TCP
 * conversations so the busiest one (or the one asked for) can be chosen,
 * the second keeps only that conversation's packets.  So a capture full of
 * other traffic costs time, not memory.
 *
 * From the chosen packets we build "wire packets" (a segment with a send
 * time and an arrival or drop time), turn them into SEND / DELIVER / DROP
 * records and let tl-infer.c add the states.
 */
#include "tl-pcap.h"

#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "tl-infer.h"
#include "tl-io-error.h"
#include "tl-io-private.h"
#include "tl-packet.h"

#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif
#ifndef DLT_IPV6
#define DLT_IPV6 229
#endif
#ifndef DLT_LINUX_SLL2
#define DLT_LINUX_SLL2 276
#endif

#define NSEC_PER_SEC G_GINT64_CONSTANT (1000000000)

/* ---- conversations ---------------------------------------------------- */

/* Endpoint 0 is the lower (address, port), so both directions share a key. */
typedef struct
{
  guint32 addr[2];
  guint16 port[2];
} FlowKey;

typedef struct
{
  FlowKey key;
  guint   count;
  guint   first;    /* when it was first seen, for ties */
} FlowStats;

static FlowKey
flow_key_of (const TlSegment *seg)
{
  FlowKey key;
  gboolean swap = seg->src_addr > seg->dst_addr
                  || (seg->src_addr == seg->dst_addr && seg->src_port > seg->dst_port);

  memset (&key, 0, sizeof key);
  key.addr[0] = swap ? seg->dst_addr : seg->src_addr;
  key.port[0] = swap ? seg->dst_port : seg->src_port;
  key.addr[1] = swap ? seg->src_addr : seg->dst_addr;
  key.port[1] = swap ? seg->src_port : seg->dst_port;
  return key;
}

static guint
flow_key_hash (gconstpointer p)
{
  const FlowKey *k = p;
  return k->addr[0] * 2654435761u ^ k->addr[1] * 40503u ^ ((guint) k->port[0] << 16 | k->port[1]);
}

static gboolean
flow_key_equal (gconstpointer a,
                gconstpointer b)
{
  return memcmp (a, b, sizeof (FlowKey)) == 0;
}

/* 0 or 1: which endpoint of KEY sent SEG. */
static guint
flow_sender (const FlowKey   *key,
             const TlSegment *seg)
{
  return seg->src_addr == key->addr[0] && seg->src_port == key->port[0] ? 0 : 1;
}

static void
format_endpoint (guint32  addr,
                 guint16  port,
                 GString *out)
{
  char text[16];

  tl_io_format_addr (addr, text);
  g_string_append_printf (out, "%s:%u", text, port);
}

static gboolean
parse_endpoint (const char *text,
                guint32    *addr,
                guint16    *port)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *colon = strrchr (copy, ':');
  guint64 value;
  char *end;

  if (colon == NULL)
    return FALSE;
  *colon = '\0';
  value = g_ascii_strtoull (colon + 1, &end, 10);
  if (end == colon + 1 || *end != '\0' || value > G_MAXUINT16)
    return FALSE;
  *port = (guint16) value;
  return tl_io_parse_addr (copy, addr);
}

gboolean
tl_pcap_filter_parse (const char    *text,
                      TlPcapFilter  *filter,
                      GError       **error)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  memset (filter, 0, sizeof *filter);
  if (g_strv_length (parts) != 2
      || !parse_endpoint (parts[0], &filter->addr[0], &filter->port[0])
      || !parse_endpoint (parts[1], &filter->addr[1], &filter->port[1]))
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_INVALID,
                   "\"%s\" is not a conversation: expected ADDR:PORT,ADDR:PORT "
                   "such as 10.0.0.1:40000,10.0.0.2:5000", text);
      return FALSE;
    }
  filter->set = TRUE;
  return TRUE;
}

static FlowKey
flow_key_of_filter (const TlPcapFilter *filter)
{
  TlSegment seg = { 0 };

  seg.src_addr = filter->addr[0];
  seg.src_port = filter->port[0];
  seg.dst_addr = filter->addr[1];
  seg.dst_port = filter->port[1];
  return flow_key_of (&seg);
}

/* ---- reading one file ------------------------------------------------- */

typedef struct
{
  const char *path;
  pcap_t     *pcap;
  int         dlt;
  guint       number;       /* packets read so far */
  guint       n_tcp;
  guint       n_ipv6;
  guint       n_fragments;
  guint       n_other;
} Reader;

typedef enum
{
  NET_IPV4,
  NET_IPV6,
  NET_OTHER,
} NetKind;

static gboolean
reader_open (Reader      *r,
             const char  *path,
             GError     **error)
{
  char errbuf[PCAP_ERRBUF_SIZE] = "";

  memset (r, 0, sizeof *r);
  r->path = path;
  r->pcap = pcap_open_offline_with_tstamp_precision (path, PCAP_TSTAMP_PRECISION_NANO,
                                                     errbuf);
  if (r->pcap == NULL)
    {
      gboolean named = g_str_has_prefix (errbuf, path);
      g_set_error (error, TL_IO_ERROR,
                   g_file_test (path, G_FILE_TEST_EXISTS) ? TL_IO_ERROR_PARSE : TL_IO_ERROR_READ,
                   "%s%s%s", named ? "" : path, named ? "" : ": ", errbuf);
      return FALSE;
    }
  r->dlt = pcap_datalink (r->pcap);
  switch (r->dlt)
    {
    case DLT_EN10MB:
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
    case DLT_LINUX_SLL:
    case DLT_LINUX_SLL2:
    case DLT_NULL:
    case DLT_LOOP:
      return TRUE;
    default:
      {
        const char *name = pcap_datalink_val_to_name (r->dlt);
        g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_UNSUPPORTED,
                     "%s: link type %s (%d) is not supported (tcpladder reads EN10MB, "
                     "RAW, IPV4, LINUX_SLL, LINUX_SLL2, NULL and LOOP)",
                     path, name != NULL ? name : "unknown", r->dlt);
        pcap_close (r->pcap);
        r->pcap = NULL;
        return FALSE;
      }
    }
}

static void
reader_close (Reader *r)
{
  g_clear_pointer (&r->pcap, pcap_close);
}

static NetKind
net_kind_of_ethertype (guint type)
{
  return type == 0x0800 ? NET_IPV4 : type == 0x86dd ? NET_IPV6 : NET_OTHER;
}

static NetKind
net_kind_of_version (const guint8 *data,
                     gsize         length)
{
  if (length < 1)
    return NET_OTHER;
  return (data[0] >> 4) == 4 ? NET_IPV4 : (data[0] >> 4) == 6 ? NET_IPV6 : NET_OTHER;
}

/* BSD address families: AF_INET is 2 everywhere; AF_INET6 is 24, 28 or 30. */
static NetKind
net_kind_of_family (guint32 family)
{
  if (family == 2)
    return NET_IPV4;
  if (family == 24 || family == 28 || family == 30 || family == 10)
    return NET_IPV6;
  return NET_OTHER;
}

/* Strips the link header: *OFFSET is where the network header begins. */
static NetKind
strip_link (int           dlt,
            const guint8 *data,
            gsize         length,
            gsize        *offset)
{
  *offset = 0;
  switch (dlt)
    {
    case DLT_EN10MB:
      {
        gsize off = 12;
        guint type;

        if (length < 14)
          return NET_OTHER;
        type = (guint) (data[off] << 8 | data[off + 1]);
        /* 802.1Q / 802.1ad VLAN tags, stacked or not. */
        while ((type == 0x8100 || type == 0x88a8 || type == 0x9100) && off + 6 <= length)
          {
            off += 4;
            type = (guint) (data[off] << 8 | data[off + 1]);
          }
        *offset = off + 2;
        return net_kind_of_ethertype (type);
      }
    case DLT_RAW:
    case DLT_IPV4:
    case DLT_IPV6:
      return net_kind_of_version (data, length);
    case DLT_LINUX_SLL:
      if (length < 16)
        return NET_OTHER;
      *offset = 16;
      return net_kind_of_ethertype ((guint) (data[14] << 8 | data[15]));
    case DLT_LINUX_SLL2:
      if (length < 20)
        return NET_OTHER;
      *offset = 20;
      return net_kind_of_ethertype ((guint) (data[0] << 8 | data[1]));
    case DLT_NULL:
      {
        guint32 family;

        if (length < 4)
          return NET_OTHER;
        *offset = 4;
        /* Host byte order of the machine that wrote it: try both. */
        family = (guint32) data[0] | (guint32) data[1] << 8 | (guint32) data[2] << 16
                 | (guint32) data[3] << 24;
        if (family > 0xffff)
          family = GUINT32_SWAP_LE_BE (family);
        return net_kind_of_family (family);
      }
    case DLT_LOOP:
      if (length < 4)
        return NET_OTHER;
      *offset = 4;
      return net_kind_of_family ((guint32) data[0] << 24 | (guint32) data[1] << 16
                                 | (guint32) data[2] << 8 | data[3]);
    default:
      return NET_OTHER;
    }
}

/* Next IPv4 TCP packet: 1 with INFO and TIME (ns since the Unix epoch),
 * 0 at the end, -1 with ERROR set.  INFO's payload points into libpcap's
 * buffer, valid until the next call. */
static int
reader_next (Reader        *r,
             TlPacketInfo  *info,
             TlTime        *time,
             GError       **error)
{
  for (;;)
    {
      struct pcap_pkthdr *header;
      const u_char *data;
      const char *detail = NULL;
      gsize offset;
      int status = pcap_next_ex (r->pcap, &header, &data);

      if (status == PCAP_ERROR_BREAK)
        return 0;
      if (status != 1)
        {
          g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE,
                       "%s: packet %u: %s", r->path, r->number + 1, pcap_geterr (r->pcap));
          return -1;
        }
      r->number++;

      switch (strip_link (r->dlt, data, header->caplen, &offset))
        {
        case NET_IPV6:
          r->n_ipv6++;
          continue;
        case NET_OTHER:
          r->n_other++;
          continue;
        case NET_IPV4:
          break;
        }
      switch (tl_packet_parse_ipv4 (data + offset, header->caplen - offset, info, &detail))
        {
        case TL_PACKET_TCP:
          break;
        case TL_PACKET_NOT_TCP:
          r->n_other++;
          continue;
        case TL_PACKET_FRAGMENT:
          r->n_fragments++;
          continue;
        case TL_PACKET_MALFORMED:
          g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE,
                       "%s: packet %u: %s", r->path, r->number, detail);
          return -1;
        }
      r->n_tcp++;
      /* In nanosecond mode libpcap puts nanoseconds in tv_usec. */
      *time = (TlTime) header->ts.tv_sec * NSEC_PER_SEC + (TlTime) header->ts.tv_usec;
      return 1;
    }
}

/* A packet of the chosen conversation, as captured in one file. */
typedef struct
{
  TlTime    time;      /* ns since the Unix epoch */
  guint     number;    /* in its file, from 1 */
  guint16   ip_id;
  TlSegment seg;       /* payload_off into Capture.bytes */
} CapPacket;

typedef struct
{
  const char *path;
  GArray     *packets;   /* CapPacket, sorted by time */
  GByteArray *bytes;
  guint       n_ipv6;
  guint       n_fragments;
  guint       n_tcp;
} Capture;

static void
capture_clear (Capture *cap)
{
  g_clear_pointer (&cap->packets, g_array_unref);
  g_clear_pointer (&cap->bytes, g_byte_array_unref);
}

/* Pass 1: how many packets each conversation has. */
static gboolean
count_flows (const char  *path,
             GHashTable  *flows,
             guint       *n_ipv6,
             GError     **error)
{
  Reader r;
  TlPacketInfo info;
  TlTime time;
  int status;

  if (!reader_open (&r, path, error))
    return FALSE;
  while ((status = reader_next (&r, &info, &time, error)) == 1)
    {
      FlowKey key = flow_key_of (&info.seg);
      FlowStats *stats = g_hash_table_lookup (flows, &key);

      if (stats == NULL)
        {
          stats = g_new0 (FlowStats, 1);
          stats->key = key;
          stats->first = g_hash_table_size (flows);
          g_hash_table_insert (flows, &stats->key, stats);
        }
      stats->count++;
    }
  *n_ipv6 += r.n_ipv6;
  reader_close (&r);
  return status == 0;
}

static gint
compare_cap_packets (gconstpointer a,
                     gconstpointer b)
{
  const CapPacket *pa = a, *pb = b;

  if (pa->time != pb->time)
    return pa->time < pb->time ? -1 : 1;
  return pa->number < pb->number ? -1 : pa->number > pb->number;
}

/* Pass 2: the packets of conversation KEY. */
static gboolean
collect_flow (const char     *path,
              const FlowKey  *key,
              Capture        *cap,
              GError        **error)
{
  Reader r;
  TlPacketInfo info;
  TlTime time;
  int status;

  memset (cap, 0, sizeof *cap);
  cap->path = path;
  cap->packets = g_array_new (FALSE, FALSE, sizeof (CapPacket));
  cap->bytes = g_byte_array_new ();
  if (!reader_open (&r, path, error))
    return FALSE;
  while ((status = reader_next (&r, &info, &time, error)) == 1)
    {
      FlowKey k = flow_key_of (&info.seg);
      CapPacket p = { 0 };

      if (!flow_key_equal (&k, key))
        continue;
      p.time = time;
      p.number = r.number;
      p.ip_id = info.ip_id;
      p.seg = info.seg;
      /* A payload the snapshot length cut is not stored at all: keeping
       * the missing bytes as zeros made a 490 KB capture of 64 KB
       * segments take 650 MB.  Lengths stay right; pcap output writes
       * zeros for it. */
      if (info.payload_captured >= info.seg.len)
        {
          p.seg.payload_off = cap->bytes->len;
          g_byte_array_append (cap->bytes, info.payload, info.seg.len);
        }
      else
        p.seg.payload_off = info.seg.len > 0 ? TL_PAYLOAD_NOT_STORED : 0;
      g_array_append_val (cap->packets, p);
    }
  cap->n_ipv6 = r.n_ipv6;
  cap->n_fragments = r.n_fragments;
  cap->n_tcp = r.n_tcp;
  reader_close (&r);
  /* pcapng files from several interfaces need not be in time order. */
  g_array_sort (cap->packets, compare_cap_packets);
  return status == 0;
}

static gboolean
choose_flow (GHashTable          *flows,
             const TlPcapFilter  *filter,
             const char          *what,
             guint                n_ipv6,
             FlowKey             *out,
             GError             **error)
{
  GHashTableIter iter;
  FlowStats *best = NULL, *stats;

  if (filter != NULL && filter->set)
    {
      FlowKey key = flow_key_of_filter (filter);
      if (g_hash_table_lookup (flows, &key) == NULL)
        {
          g_autoptr(GString) conv = g_string_new (NULL);
          format_endpoint (filter->addr[0], filter->port[0], conv);
          g_string_append (conv, ",");
          format_endpoint (filter->addr[1], filter->port[1], conv);
          g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_NO_TCP,
                       "%s: no TCP segments between %s", what, conv->str);
          return FALSE;
        }
      *out = key;
      return TRUE;
    }

  g_hash_table_iter_init (&iter, flows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &stats))
    if (best == NULL || stats->count > best->count
        || (stats->count == best->count && stats->first < best->first))
      best = stats;
  if (best == NULL)
    {
      if (n_ipv6 > 0)
        g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_NO_TCP,
                     "%s: no IPv4 TCP segments (%u IPv6 packets skipped: tcpladder "
                     "reads IPv4 only)", what, n_ipv6);
      else
        g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_NO_TCP,
                     "%s: no IPv4 TCP segments", what);
      return FALSE;
    }
  *out = best->key;
  return TRUE;
}

/* ---- building the trace ------------------------------------------------ */

/* One packet's journey: sent by SENDER at SENT, arrived at ARRIVED or was
 * lost (DROPPED, ARRIVED then being when it would have arrived). */
typedef struct
{
  TlSegment         seg;
  const GByteArray *bytes;      /* where seg.payload_off points */
  guint             sender;     /* host index */
  TlTime            sent;
  TlTime            arrived;
  gboolean          dropped;
  guint             order;      /* for ties */
} WirePacket;

static gint
compare_wire (gconstpointer a,
              gconstpointer b)
{
  const WirePacket *pa = a, *pb = b;

  if (pa->sent != pb->sent)
    return pa->sent < pb->sent ? -1 : 1;
  return pa->order < pb->order ? -1 : pa->order > pb->order;
}

typedef struct
{
  TlTraceRecord rec;
  guint         phase;   /* 0 SEND, 1 DELIVER or DROP */
} SortedRecord;

static gint
compare_records (gconstpointer a,
                 gconstpointer b)
{
  const SortedRecord *ra = a, *rb = b;

  if (ra->rec.time != rb->rec.time)
    return ra->rec.time < rb->rec.time ? -1 : 1;
  if (ra->rec.packet != rb->rec.packet)
    return ra->rec.packet < rb->rec.packet ? -1 : 1;
  return ra->phase < rb->phase ? -1 : ra->phase > rb->phase;
}

/* Capture timestamps become trace times: 0 is the first packet, except
 * for pcaps tcpladder wrote, whose clock starts at TL_PCAP_EPOCH. */
static TlTime
time_origin (TlTime first)
{
  TlTime epoch = TL_PCAP_EPOCH_SEC * NSEC_PER_SEC;

  if (first >= epoch && first < epoch + TL_SEC (86400))
    return epoch;
  return first;
}

/* The nth send of the same sequence number with the same SYN, ACK and FIN
 * flags is retransmission n.  (A SYN,ACK reusing the ISN of an earlier SYN,
 * as in a simultaneous open, is a new segment, not a retransmission.) */
static guint16
count_retransmit (GHashTable      *seen,
                  guint            sender,
                  const TlSegment *seg)
{
  guint64 key;
  guint count;

  if (tl_segment_seq_len (seg) == 0 || (seg->flags & TL_TCP_RST))
    return 0;
  key = (guint64) (seg->flags & (TL_TCP_SYN | TL_TCP_ACK | TL_TCP_FIN)) << 40
        | (guint64) sender << 32 | seg->seq;
  count = GPOINTER_TO_UINT (g_hash_table_lookup (seen, &key));
  if (count == 0)
    g_hash_table_insert (seen, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (1));
  else
    g_hash_table_insert (seen, g_memdup2 (&key, sizeof key), GUINT_TO_POINTER (count + 1));
  return (guint16) MIN (count, (guint) G_MAXUINT16);
}

static TlTrace *
build_trace (GArray        *wire,
             const FlowKey *key,
             guint          endpoint_of_a,
             TlInferStyle   style,
             const char    *title,
             const char    *caption)
{
  TlTrace *trace = tl_trace_new ();
  g_autoptr(GArray) records = g_array_sized_new (FALSE, FALSE, sizeof (SortedRecord),
                                                  wire->len * 2);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal,
                                                      g_free, NULL);
  TlTime origin;

  trace->source = TL_TRACE_PCAP;
  trace->title = g_strdup (title);
  trace->caption = g_strdup (caption);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      guint e = h == 0 ? endpoint_of_a : 1 - endpoint_of_a;
      trace->hosts[h].name = g_strdup (h == 0 ? "A" : "B");
      trace->hosts[h].addr = key->addr[e];
      trace->hosts[h].port = key->port[e];
    }

  g_array_sort (wire, compare_wire);
  origin = wire->len > 0 ? time_origin (g_array_index (wire, WirePacket, 0).sent) : 0;

  for (guint i = 0; i < wire->len; i++)
    {
      const WirePacket *w = &g_array_index (wire, WirePacket, i);
      SortedRecord send = { { 0 } }, arrive = { { 0 } };

      send.rec.kind = TL_REC_SEND;
      send.rec.time = w->sent - origin;
      send.rec.host = (guint8) w->sender;
      send.rec.packet = tl_trace_new_packet (trace);
      send.rec.seg = w->seg;
      send.rec.seg.payload_off = w->seg.len == 0 ? 0
        : w->seg.payload_off == TL_PAYLOAD_NOT_STORED ? TL_PAYLOAD_NOT_STORED
        : tl_trace_store_bytes (trace, w->bytes->data + w->seg.payload_off, w->seg.len);
      send.rec.retransmit = count_retransmit (seen, w->sender, &w->seg);
      send.phase = 0;

      arrive.rec = send.rec;
      arrive.rec.retransmit = 0;
      arrive.rec.time = w->arrived - origin;
      arrive.rec.kind = w->dropped ? TL_REC_DROP : TL_REC_DELIVER;
      arrive.rec.host = (guint8) (w->dropped ? w->sender : 1 - w->sender);
      arrive.rec.drop_reason = w->dropped ? TL_DROP_LOSS : TL_DROP_NONE;
      arrive.phase = 1;

      g_array_append_val (records, send);
      g_array_append_val (records, arrive);
    }
  g_array_sort (records, compare_records);
  for (guint i = 0; i < records->len; i++)
    {
      const SortedRecord *s = &g_array_index (records, SortedRecord, i);
      g_array_append_val (trace->records, s->rec);
      trace->end_time = MAX (trace->end_time, s->rec.time);
    }
  tl_trace_infer_states_full (trace, style);
  return trace;
}

static void
append_skipped (GString *caption,
                guint    n_ipv6,
                guint    n_fragments)
{
  if (n_ipv6 > 0)
    g_string_append_printf (caption, "; %u IPv6 packets skipped", n_ipv6);
  if (n_fragments > 0)
    g_string_append_printf (caption, "; %u IP fragments skipped", n_fragments);
}

static void
append_conversation (GString       *caption,
                     const FlowKey *key,
                     guint          endpoint_of_a)
{
  format_endpoint (key->addr[endpoint_of_a], key->port[endpoint_of_a], caption);
  g_string_append (caption, " <-> ");
  format_endpoint (key->addr[1 - endpoint_of_a], key->port[1 - endpoint_of_a], caption);
}

/* ---- one vantage point ------------------------------------------------ */

/* The side that sent the first SYN, or else the first packet. */
static guint
first_opener (const Capture *cap,
              const FlowKey *key)
{
  for (guint i = 0; i < cap->packets->len; i++)
    {
      const CapPacket *p = &g_array_index (cap->packets, CapPacket, i);
      if ((p->seg.flags & (TL_TCP_SYN | TL_TCP_ACK)) == TL_TCP_SYN)
        return flow_sender (key, &p->seg);
    }
  return cap->packets->len > 0
    ? flow_sender (key, &g_array_index (cap->packets, CapPacket, 0).seg) : 0;
}

TlTrace *
tl_pcap_load_full (const char          *path,
                   const TlPcapFilter  *filter,
                   TlInferStyle         style,
                   GError             **error)
{
  g_autoptr(GHashTable) flows = g_hash_table_new_full (flow_key_hash, flow_key_equal,
                                                       NULL, g_free);
  g_autoptr(GArray) wire = g_array_new (FALSE, FALSE, sizeof (WirePacket));
  g_autoptr(GString) caption = g_string_new ("pcap, one vantage point: ");
  g_autofree char *title = g_path_get_basename (path);
  Capture cap = { 0 };
  FlowKey key;
  guint n_ipv6 = 0, a;
  TlTrace *trace;

  if (!count_flows (path, flows, &n_ipv6, error)
      || !choose_flow (flows, filter, path, n_ipv6, &key, error))
    return NULL;
  if (!collect_flow (path, &key, &cap, error))
    {
      capture_clear (&cap);
      return NULL;
    }

  a = first_opener (&cap, &key);
  for (guint i = 0; i < cap.packets->len; i++)
    {
      const CapPacket *p = &g_array_index (cap.packets, CapPacket, i);
      WirePacket w = { 0 };

      w.seg = p->seg;
      w.bytes = cap.bytes;
      w.sender = flow_sender (&key, &p->seg) == a ? TL_HOST_A : TL_HOST_B;
      w.sent = w.arrived = p->time;
      w.order = i;
      g_array_append_val (wire, w);
    }
  append_conversation (caption, &key, a);
  g_string_append_printf (caption, ", %u packets, states inferred", cap.packets->len);
  append_skipped (caption, cap.n_ipv6, cap.n_fragments);

  trace = build_trace (wire, &key, a, style, title, caption->str);
  capture_clear (&cap);
  return trace;
}

TlTrace *
tl_pcap_load_filtered (const char          *path,
                       const TlPcapFilter  *filter,
                       GError             **error)
{
  return tl_pcap_load_full (path, filter, TL_INFER_RFC9293, error);
}

TlTrace *
tl_pcap_load (const char  *path,
              GError     **error)
{
  return tl_pcap_load_full (path, NULL, TL_INFER_RFC9293, error);
}

/* ---- two vantage points ------------------------------------------------ */

/* What identifies one packet on both captures: the sender is implied by
 * the direction, the rest is in the headers. */
typedef struct
{
  guint32 seq;
  guint32 ack;
  guint32 len;
  guint16 ip_id;
  guint8  flags;
  guint8  sender;   /* flow endpoint */
} MatchKey;

static MatchKey
match_key_of (const FlowKey   *flow,
              const CapPacket *p)
{
  MatchKey k;

  memset (&k, 0, sizeof k);
  k.seq = p->seg.seq;
  k.ack = p->seg.ack;
  k.len = p->seg.len;
  k.ip_id = p->ip_id;
  k.flags = p->seg.flags;
  k.sender = (guint8) flow_sender (flow, &p->seg);
  return k;
}

static guint
match_key_hash (gconstpointer p)
{
  const MatchKey *k = p;
  return k->seq * 2654435761u ^ k->ack * 40503u ^ k->len ^ ((guint) k->ip_id << 8)
         ^ k->flags ^ ((guint) k->sender << 24);
}

static gboolean
match_key_equal (gconstpointer a,
                 gconstpointer b)
{
  return memcmp (a, b, sizeof (MatchKey)) == 0;
}

/* Queues of packet indices in CAP by match key, in time order. */
static GHashTable *
index_packets (const Capture *cap,
               const FlowKey *flow)
{
  GHashTable *index = g_hash_table_new_full (match_key_hash, match_key_equal, g_free,
                                             (GDestroyNotify) g_queue_free);

  for (guint i = 0; i < cap->packets->len; i++)
    {
      MatchKey k = match_key_of (flow, &g_array_index (cap->packets, CapPacket, i));
      GQueue *queue = g_hash_table_lookup (index, &k);

      if (queue == NULL)
        {
          queue = g_queue_new ();
          g_hash_table_insert (index, g_memdup2 (&k, sizeof k), queue);
        }
      g_queue_push_tail (queue, GUINT_TO_POINTER (i));
    }
  return index;
}

/* Which flow endpoint was captured on host A?  A packet shows up first on
 * its sender's capture (one clock), and one seen on a single capture was
 * most likely sent there and lost. */
static guint
endpoint_local_to_a (const Capture *a,
                     const Capture *b,
                     const FlowKey *flow,
                     GHashTable    *index_b,
                     GHashTable    *index_a)
{
  /* votes[e]: evidence that endpoint e is A's (positive) or B's. */
  gint votes[2] = { 0, 0 };

  for (guint i = 0; i < a->packets->len; i++)
    {
      const CapPacket *p = &g_array_index (a->packets, CapPacket, i);
      MatchKey k = match_key_of (flow, p);
      GQueue *queue = g_hash_table_lookup (index_b, &k);

      if (queue == NULL)
        votes[k.sender]++;
      else
        {
          const CapPacket *q = &g_array_index (b->packets, CapPacket,
                                               GPOINTER_TO_UINT (g_queue_peek_head (queue)));
          if (p->time < q->time)
            votes[k.sender]++;
          else if (p->time > q->time)
            votes[k.sender]--;
        }
    }
  for (guint i = 0; i < b->packets->len; i++)
    {
      MatchKey k = match_key_of (flow, &g_array_index (b->packets, CapPacket, i));
      if (g_hash_table_lookup (index_a, &k) == NULL)
        votes[k.sender]--;
    }
  /* Endpoint 0 is A's if the evidence for it beats that for endpoint 1. */
  return votes[0] >= votes[1] ? 0 : 1;
}

static gint
compare_times (gconstpointer x,
               gconstpointer y)
{
  TlTime dx = *(const TlTime *) x, dy = *(const TlTime *) y;
  return dx < dy ? -1 : dx > dy;
}

static TlTime
median_delay (GArray *delays)
{
  if (delays->len == 0)
    return 0;
  g_array_sort (delays, compare_times);
  return g_array_index (delays, TlTime, delays->len / 2);
}

typedef struct
{
  guint n_matched;
  guint n_dropped;
  guint n_unseen_leaving;
} PairStats;

/* Packets ENDPOINT sent: leaving on capture FROM, arriving on capture TO. */
static void
match_direction (const Capture *from,
                 const Capture *to,
                 GHashTable    *index_to,
                 const FlowKey *flow,
                 guint          endpoint,
                 guint          host,
                 GArray        *wire,
                 PairStats     *stats)
{
  g_autoptr(GArray) delays = g_array_new (FALSE, FALSE, sizeof (TlTime));
  g_autofree gboolean *arrived = g_new0 (gboolean, to->packets->len + 1);
  guint first = wire->len;
  TlTime typical;

  for (guint i = 0; i < from->packets->len; i++)
    {
      const CapPacket *p = &g_array_index (from->packets, CapPacket, i);
      MatchKey k = match_key_of (flow, p);
      GQueue *queue;
      WirePacket w = { 0 };

      if (k.sender != endpoint)
        continue;
      w.seg = p->seg;
      w.bytes = from->bytes;
      w.sender = host;
      w.sent = p->time;
      w.order = wire->len;
      queue = g_hash_table_lookup (index_to, &k);
      if (queue != NULL && !g_queue_is_empty (queue))
        {
          guint j = GPOINTER_TO_UINT (g_queue_pop_head (queue));
          const CapPacket *q = &g_array_index (to->packets, CapPacket, j);

          arrived[j] = TRUE;
          /* One clock, but never let an arrival precede its departure. */
          TlTime delay;

          w.arrived = MAX (q->time, p->time);
          delay = w.arrived - w.sent;
          g_array_append_val (delays, delay);
          stats->n_matched++;
        }
      else
        {
          w.dropped = TRUE;
          stats->n_dropped++;
        }
      g_array_append_val (wire, w);
    }

  /* A lost packet is drawn to where it would have arrived. */
  typical = median_delay (delays);
  for (guint i = first; i < wire->len; i++)
    {
      WirePacket *w = &g_array_index (wire, WirePacket, i);
      if (w->dropped)
        w->arrived = w->sent + typical;
    }

  /* Arrivals never seen leaving (the sender's capture started late):
   * keep them, sent and delivered at the arrival time. */
  for (guint j = 0; j < to->packets->len; j++)
    {
      const CapPacket *q = &g_array_index (to->packets, CapPacket, j);
      WirePacket w = { 0 };

      if (arrived[j] || flow_sender (flow, &q->seg) != endpoint)
        continue;
      w.seg = q->seg;
      w.bytes = to->bytes;
      w.sender = host;
      w.sent = w.arrived = q->time;
      w.order = wire->len;
      g_array_append_val (wire, w);
      stats->n_unseen_leaving++;
    }
}

TlTrace *
tl_pcap_load_pair_full (const char          *path_a,
                        const char          *path_b,
                        const TlPcapFilter  *filter,
                        TlInferStyle         style,
                        GError             **error)
{
  g_autoptr(GHashTable) flows = g_hash_table_new_full (flow_key_hash, flow_key_equal,
                                                       NULL, g_free);
  g_autoptr(GHashTable) index_a = NULL, index_b = NULL;
  g_autoptr(GArray) wire = g_array_new (FALSE, FALSE, sizeof (WirePacket));
  g_autoptr(GString) caption = g_string_new ("pcap, two vantage points: ");
  g_autofree char *base_a = g_path_get_basename (path_a);
  g_autofree char *base_b = g_path_get_basename (path_b);
  g_autofree char *title = g_strdup_printf ("%s + %s", base_a, base_b);
  g_autofree char *both = g_strdup_printf ("%s and %s", path_a, path_b);
  Capture cap_a = { 0 }, cap_b = { 0 };
  PairStats stats = { 0 };
  FlowKey key;
  guint n_ipv6 = 0, a;
  TlTrace *trace = NULL;

  if (!count_flows (path_a, flows, &n_ipv6, error)
      || !count_flows (path_b, flows, &n_ipv6, error)
      || !choose_flow (flows, filter, both, n_ipv6, &key, error))
    return NULL;
  if (!collect_flow (path_a, &key, &cap_a, error)
      || !collect_flow (path_b, &key, &cap_b, error))
    goto out;

  index_a = index_packets (&cap_a, &key);
  index_b = index_packets (&cap_b, &key);
  a = endpoint_local_to_a (&cap_a, &cap_b, &key, index_b, index_a);
  match_direction (&cap_a, &cap_b, index_b, &key, a, TL_HOST_A, wire, &stats);
  match_direction (&cap_b, &cap_a, index_a, &key, 1 - a, TL_HOST_B, wire, &stats);

  append_conversation (caption, &key, a);
  g_string_append_printf (caption, ", %u packets", wire->len);
  if (stats.n_dropped > 0)
    g_string_append_printf (caption, ", %u never arrived", stats.n_dropped);
  if (stats.n_unseen_leaving > 0)
    g_string_append_printf (caption, ", %u never seen leaving", stats.n_unseen_leaving);
  g_string_append (caption, ", states inferred");
  append_skipped (caption, cap_a.n_ipv6 + cap_b.n_ipv6, cap_a.n_fragments + cap_b.n_fragments);

  trace = build_trace (wire, &key, a, style, title, caption->str);

out:
  capture_clear (&cap_a);
  capture_clear (&cap_b);
  return trace;
}

TlTrace *
tl_pcap_load_pair_filtered (const char          *path_a,
                            const char          *path_b,
                            const TlPcapFilter  *filter,
                            GError             **error)
{
  return tl_pcap_load_pair_full (path_a, path_b, filter, TL_INFER_RFC9293, error);
}

TlTrace *
tl_pcap_load_pair (const char  *path_a,
                   const char  *path_b,
                   GError     **error)
{
  return tl_pcap_load_pair_full (path_a, path_b, NULL, TL_INFER_RFC9293, error);
}

gboolean
tl_pcap_sniff (const guint8 *head,
               gsize         length)
{
  static const guint8 magics[][4] = {
    { 0xa1, 0xb2, 0xc3, 0xd4 }, { 0xd4, 0xc3, 0xb2, 0xa1 },   /* pcap, us */
    { 0xa1, 0xb2, 0x3c, 0x4d }, { 0x4d, 0x3c, 0xb2, 0xa1 },   /* pcap, ns */
    { 0x0a, 0x0d, 0x0d, 0x0a },                               /* pcapng SHB */
  };

  if (length < 4)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (magics); i++)
    if (memcmp (head, magics[i], 4) == 0)
      return TRUE;
  return FALSE;
}

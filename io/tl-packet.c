/* tl-packet.c: IPv4 + TCP packets, built and parsed byte by byte.
 *
 * Everything is written in network byte order by hand, so the code reads
 * the same on any host and never depends on struct packing.
 */
#include "tl-packet.h"

#include <string.h>

#define IP_HEADER   20
#define TCP_HEADER  20
#define IPPROTO_TCP_ 6
#define IP_DF       0x4000
#define IP_MF       0x2000
#define IP_OFFMASK  0x1fff

static void
put16 (guint8 *p, guint16 v)
{
  p[0] = (guint8) (v >> 8);
  p[1] = (guint8) v;
}

static void
put32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
}

static guint16
get16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static guint32
get32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

/* Sum of big-endian 16-bit words, odd byte padded with zero (RFC 1071). */
static guint32
sum_words (const guint8 *data,
           gsize         length,
           guint32       sum)
{
  gsize i;

  for (i = 0; i + 1 < length; i += 2)
    sum += (guint32) ((data[i] << 8) | data[i + 1]);
  if (i < length)
    sum += (guint32) (data[i] << 8);
  /* Fold as we go would cost more than this: 32 bits hold 65535 words. */
  return sum;
}

static guint16
fold (guint64 sum)
{
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (guint16) ~sum;
}

guint16
tl_inet_checksum (const guint8 *data,
                  gsize         length)
{
  guint64 sum = 0;

  /* Chunks keep the 32-bit partial sums from overflowing on big inputs. */
  while (length > 0)
    {
      gsize chunk = MIN (length, (gsize) 65536);
      sum += sum_words (data, chunk, 0);
      data += chunk;
      length -= chunk;
    }
  return fold (sum);
}

guint16
tl_tcp_checksum_ipv4 (guint32       src,
                      guint32       dst,
                      const guint8 *tcp,
                      gsize         length)
{
  guint8 pseudo[12];
  guint64 sum;

  put32 (pseudo, src);
  put32 (pseudo + 4, dst);
  pseudo[8] = 0;
  pseudo[9] = IPPROTO_TCP_;
  put16 (pseudo + 10, (guint16) length);
  sum = sum_words (pseudo, sizeof pseudo, 0);
  while (length > 0)
    {
      gsize chunk = MIN (length, (gsize) 65536);
      sum += sum_words (tcp, chunk, 0);
      tcp += chunk;
      length -= chunk;
    }
  return fold (sum);
}

gsize
tl_packet_size (const TlSegment *seg)
{
  return IP_HEADER + TCP_HEADER + tl_tcp_options_length (&seg->opts) + seg->len;
}

gsize
tl_packet_build_ipv4 (const TlSegment *seg,
                      const guint8    *payload,
                      guint16          ip_id,
                      guint8           ttl,
                      guint8          *out,
                      gsize            out_size)
{
  gsize size = tl_packet_size (seg);
  guint8 *ip = out, *tcp = out + IP_HEADER;
  guint options_length;

  if (size > G_MAXUINT16 || size > out_size)
    return 0;

  ip[0] = 0x45;                       /* version 4, 5 words */
  ip[1] = 0;                          /* DSCP/ECN */
  put16 (ip + 2, (guint16) size);
  put16 (ip + 4, ip_id);
  put16 (ip + 6, IP_DF);
  ip[8] = ttl;
  ip[9] = IPPROTO_TCP_;
  put16 (ip + 10, 0);
  put32 (ip + 12, seg->src_addr);
  put32 (ip + 16, seg->dst_addr);
  put16 (ip + 10, tl_inet_checksum (ip, IP_HEADER));

  options_length = tl_tcp_options_write (&seg->opts, tcp + TCP_HEADER);
  put16 (tcp, seg->src_port);
  put16 (tcp + 2, seg->dst_port);
  put32 (tcp + 4, seg->seq);
  put32 (tcp + 8, seg->ack);
  tcp[12] = (guint8) (((TCP_HEADER + options_length) / 4) << 4);
  tcp[13] = seg->flags;
  put16 (tcp + 14, seg->window);
  put16 (tcp + 16, 0);
  put16 (tcp + 18, 0);                /* urgent pointer: never used */
  if (seg->len > 0)
    {
      guint8 *data = tcp + TCP_HEADER + options_length;
      if (payload != NULL)
        memcpy (data, payload, seg->len);
      else
        memset (data, 0, seg->len);
    }
  put16 (tcp + 16, tl_tcp_checksum_ipv4 (seg->src_addr, seg->dst_addr, tcp,
                                         size - IP_HEADER));
  return size;
}

TlPacketKind
tl_packet_parse_ipv4 (const guint8  *data,
                      gsize          caplen,
                      TlPacketInfo  *info,
                      const char   **detail)
{
  guint ihl, total, frag, thl, options_length;
  const guint8 *tcp;
  gsize tcp_captured, tcp_length;

  memset (info, 0, sizeof *info);
  if (caplen < IP_HEADER)
    {
      *detail = "IPv4 header cut short by the capture";
      return TL_PACKET_MALFORMED;
    }
  if ((data[0] >> 4) != 4)
    {
      *detail = "not an IPv4 header (version is not 4)";
      return TL_PACKET_MALFORMED;
    }
  ihl = (guint) (data[0] & 0x0f) * 4;
  total = get16 (data + 2);
  if (ihl < IP_HEADER)
    {
      *detail = "IPv4 header length below 20 bytes";
      return TL_PACKET_MALFORMED;
    }
  if (total < ihl)
    {
      *detail = "IPv4 total length smaller than its header";
      return TL_PACKET_MALFORMED;
    }
  if (caplen < ihl)
    {
      *detail = "IPv4 options cut short by the capture";
      return TL_PACKET_MALFORMED;
    }
  if (data[9] != IPPROTO_TCP_)
    return TL_PACKET_NOT_TCP;
  frag = get16 (data + 6);
  if ((frag & IP_MF) || (frag & IP_OFFMASK))
    return TL_PACKET_FRAGMENT;

  info->ip_id = get16 (data + 4);
  info->ttl = data[8];
  info->dont_fragment = (frag & IP_DF) != 0;
  info->ip_checksum_ok = tl_inet_checksum (data, ihl) == 0;
  info->seg.src_addr = get32 (data + 12);
  info->seg.dst_addr = get32 (data + 16);

  /* Ethernet pads short frames: the IP total length says where we stop. */
  tcp = data + ihl;
  tcp_length = total - ihl;
  tcp_captured = MIN (caplen, (gsize) total) - ihl;
  if (tcp_length < TCP_HEADER)
    {
      *detail = "IPv4 datagram too short for a TCP header";
      return TL_PACKET_MALFORMED;
    }
  if (tcp_captured < TCP_HEADER)
    {
      *detail = "TCP header cut short by the capture";
      return TL_PACKET_MALFORMED;
    }
  thl = (guint) (tcp[12] >> 4) * 4;
  if (thl < TCP_HEADER || thl > tcp_length)
    {
      *detail = "TCP data offset outside the segment";
      return TL_PACKET_MALFORMED;
    }
  if (thl > tcp_captured)
    {
      *detail = "TCP options cut short by the capture";
      return TL_PACKET_MALFORMED;
    }
  options_length = thl - TCP_HEADER;
  if (!tl_tcp_options_parse (tcp + TCP_HEADER, options_length, &info->seg.opts))
    {
      *detail = "malformed TCP options";
      return TL_PACKET_MALFORMED;
    }

  info->seg.src_port = get16 (tcp);
  info->seg.dst_port = get16 (tcp + 2);
  info->seg.seq = get32 (tcp + 4);
  info->seg.ack = get32 (tcp + 8);
  info->seg.flags = tcp[13];
  info->seg.window = get16 (tcp + 14);
  info->seg.len = (guint32) (tcp_length - thl);
  info->payload_captured = (guint32) (tcp_captured - thl);
  info->payload = info->payload_captured > 0 ? tcp + thl : NULL;
  info->tcp_checksum_ok = tcp_captured == tcp_length
    && tl_tcp_checksum_ipv4 (info->seg.src_addr, info->seg.dst_addr,
                             tcp, tcp_length) == 0;
  return TL_PACKET_TCP;
}

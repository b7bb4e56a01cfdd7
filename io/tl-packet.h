/* tl-packet.h: TlSegment to and from IPv4 + TCP packet bytes.
 *
 * What pcap output writes and pcap input reads: a 20-byte IPv4 header (no
 * IP options when writing; TTL and DF as given; IP ID as given), the TCP
 * header with the options in the segment's layout, then the payload.  Both
 * checksums are filled in.
 */
#pragma once

#include <glib.h>

#include "tl-segment.h"

G_BEGIN_DECLS

/* IPv4 header without options + the largest TCP header. */
#define TL_PACKET_HEADERS_MAX (20 + 60)

typedef struct
{
  TlSegment     seg;              /* payload_off is 0: see payload */
  guint16       ip_id;
  guint8        ttl;
  gboolean      dont_fragment;
  const guint8 *payload;          /* points into the parsed bytes; NULL if none captured */
  guint32       payload_captured; /* < seg.len when the snapshot length cut it */
  gboolean      ip_checksum_ok;
  gboolean      tcp_checksum_ok;  /* also FALSE when the payload was cut */
} TlPacketInfo;

typedef enum
{
  TL_PACKET_TCP,        /* INFO is filled in */
  TL_PACKET_NOT_TCP,    /* another protocol over IPv4: skip it */
  TL_PACKET_FRAGMENT,   /* a fragment: tcpladder does not reassemble */
  TL_PACKET_MALFORMED,  /* *DETAIL says why */
} TlPacketKind;

/* RFC 1071 one's complement sum of DATA, folded and inverted.  A buffer
 * with a correct checksum field in it sums to 0. */
guint16      tl_inet_checksum     (const guint8 *data,
                                   gsize         length);
/* The TCP checksum over the IPv4 pseudo-header and TCP (header with a zero
 * checksum field + payload), SRC and DST in host byte order. */
guint16      tl_tcp_checksum_ipv4 (guint32       src,
                                   guint32       dst,
                                   const guint8 *tcp,
                                   gsize         length);
/* Bytes the packet of SEG takes. */
gsize        tl_packet_size       (const TlSegment *seg);
/* Writes the packet into OUT (at least tl_packet_size() bytes); PAYLOAD
 * may be NULL for zeros.  Returns the size, or 0 if the packet would be
 * larger than an IPv4 datagram can be. */
gsize        tl_packet_build_ipv4 (const TlSegment *seg,
                                   const guint8    *payload,
                                   guint16          ip_id,
                                   guint8           ttl,
                                   guint8          *out,
                                   gsize            out_size);
/* Reads an IPv4 packet of which CAPLEN bytes were captured. */
TlPacketKind tl_packet_parse_ipv4 (const guint8  *data,
                                   gsize          caplen,
                                   TlPacketInfo  *info,
                                   const char   **detail);

G_END_DECLS

/* tl-segment.h: one TCP segment as it travels between hosts.
 *
 * A plain value type: segments are copied by value through links, the
 * router and the trace.  Payload bytes live in the trace's byte store and
 * are referred to by offset, so a segment never owns memory.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TL_TCP_FIN = 0x01,
  TL_TCP_SYN = 0x02,
  TL_TCP_RST = 0x04,
  TL_TCP_PSH = 0x08,
  TL_TCP_ACK = 0x10,
  TL_TCP_URG = 0x20,
  TL_TCP_ECE = 0x40,
  TL_TCP_CWR = 0x80,
} TlTcpFlags;

/* Which options a segment carries (bits of TlTcpOptions.present). */
typedef enum
{
  TL_OPT_MSS       = 1 << 0,
  TL_OPT_WSCALE    = 1 << 1,
  TL_OPT_SACK_PERM = 1 << 2,
  TL_OPT_TS        = 1 << 3,
  TL_OPT_SACK      = 1 << 4,
} TlTcpOptionBits;

/* How the options are laid out in bytes.  Only matters for pcap output and
 * for header length; the values are the same. */
typedef enum
{
  TL_OPT_LAYOUT_RFC,    /* each option padded to 4 bytes with NOPs in front */
  TL_OPT_LAYOUT_LINUX,  /* mss, sackOK+TS packed, nop, wscale (tcp_options_write) */
} TlTcpOptionLayout;

#define TL_MAX_SACK_BLOCKS 4

typedef struct
{
  guint32 left;
  guint32 right;
} TlSackBlock;

typedef struct
{
  guint8      present;     /* TlTcpOptionBits */
  guint8      layout;      /* TlTcpOptionLayout */
  guint8      wscale;
  guint8      n_sack;
  guint16     mss;
  guint32     tsval;
  guint32     tsecr;
  TlSackBlock sack[TL_MAX_SACK_BLOCKS];
} TlTcpOptions;

typedef struct
{
  guint32      src_addr;     /* IPv4, host byte order */
  guint32      dst_addr;
  guint16      src_port;
  guint16      dst_port;
  guint32      seq;
  guint32      ack;
  guint8       flags;        /* TlTcpFlags */
  guint16      window;       /* the 16-bit field as sent (unscaled) */
  guint32      len;          /* payload length in bytes */
  guint32      payload_off;  /* offset of the payload in the trace byte store */
  TlTcpOptions opts;
} TlSegment;

/* Sequence-space length: payload plus one for SYN and one for FIN. */
static inline guint32
tl_segment_seq_len (const TlSegment *seg)
{
  return seg->len + ((seg->flags & TL_TCP_SYN) ? 1 : 0)
                  + ((seg->flags & TL_TCP_FIN) ? 1 : 0);
}

/* Wrap-safe sequence comparisons (RFC 9293 section 3.4: arithmetic is
 * modulo 2^32). */
#define TL_SEQ_LT(a, b)  ((gint32) ((guint32) (a) - (guint32) (b)) < 0)
#define TL_SEQ_LEQ(a, b) ((gint32) ((guint32) (a) - (guint32) (b)) <= 0)
#define TL_SEQ_GT(a, b)  ((gint32) ((guint32) (a) - (guint32) (b)) > 0)
#define TL_SEQ_GEQ(a, b) ((gint32) ((guint32) (a) - (guint32) (b)) >= 0)

/* "SYN,ACK", "FIN,ACK", "RST", "ACK", "PSH,ACK"...  Writes into OUT. */
void     tl_tcp_flags_format   (guint8   flags,
                                GString *out);
/* The reverse: "SYN,ACK" (any case, any order, "none" for no flags). */
gboolean tl_tcp_flags_parse    (const char *text,
                                guint8     *flags);
/* Short option list: "mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7". */
void     tl_tcp_options_format (const TlTcpOptions *opts,
                                GString            *out);
/* Bytes the options take on the wire, padded to 4 (0 to 40). */
guint    tl_tcp_options_length (const TlTcpOptions *opts);
/* Writes the option bytes in OUT (at least 40 bytes); returns length. */
guint    tl_tcp_options_write  (const TlTcpOptions *opts,
                                guint8             *out);
/* Parses raw option bytes (from a capture).  Returns FALSE on malformed
 * options, leaving what could be read in OPTS. */
gboolean tl_tcp_options_parse  (const guint8       *bytes,
                                gsize               length,
                                TlTcpOptions       *opts);

G_END_DECLS

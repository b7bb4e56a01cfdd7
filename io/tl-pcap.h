/* tl-pcap.h: traces to pcap files and pcap/pcapng captures to traces.
 *
 * Output is classic pcap with nanosecond timestamps, link type RAW (IPv4
 * without a link header), 20-byte IPv4 headers (TTL 64, DF, IP ID counting
 * per sending host) and TCP headers with correct checksums.  Trace time t
 * is written as TL_PCAP_EPOCH + t, so the same trace always gives the same
 * bytes.  Details in docs/pcap.md.
 */
#pragma once

#include <glib.h>

#include "tl-infer.h"
#include "tl-trace.h"

G_BEGIN_DECLS

/* 2023-11-14 22:13:20 UTC: trace time 0 in the pcaps tcpladder writes. */
#define TL_PCAP_EPOCH_SEC G_GINT64_CONSTANT (1700000000)

typedef enum
{
  TL_PCAP_VANTAGE_A,       /* what a capture on host A shows: its SENDs and DELIVERs to it */
  TL_PCAP_VANTAGE_B,       /* the same on host B */
  TL_PCAP_VANTAGE_ROUTER,  /* every packet at ROUTER_IN, held ones again at RELEASE */
  TL_PCAP_VANTAGE_MERGED,  /* every SEND at its send time */
} TlPcapVantage;

const char *tl_pcap_vantage_to_string   (TlPcapVantage  vantage);  /* "a", "router" */
gboolean    tl_pcap_vantage_from_string (const char    *text,
                                         TlPcapVantage *out);

/* Writes atomically (temp file next to PATH, then rename); "-" is standard
 * output.  Fails only on I/O errors or a segment too big for IPv4. */
gboolean    tl_trace_write_pcap         (const TlTrace  *trace,
                                         const char     *path,
                                         TlPcapVantage   vantage,
                                         GError        **error);

/* Which TCP conversation to load from a capture with several. */
typedef struct
{
  gboolean set;        /* FALSE: the conversation with the most packets */
  guint32  addr[2];    /* host byte order */
  guint16  port[2];
} TlPcapFilter;

/* "10.0.0.1:5000,10.0.0.2:6000" (either order). */
gboolean    tl_pcap_filter_parse        (const char    *text,
                                         TlPcapFilter  *filter,
                                         GError       **error);

/* One capture (pcap or pcapng; link types EN10MB, RAW, IPV4, LINUX_SLL,
 * LINUX_SLL2, NULL, LOOP).  Single vantage point: each packet is a SEND and
 * a DELIVER at its capture time.  hosts[0] is the side that sent the first
 * SYN (or the first packet); STATE records are inferred.  Trace time 0 is
 * the conversation's first packet (or TL_PCAP_EPOCH for pcaps written by
 * tcpladder, so they load back with their own times). */
TlTrace    *tl_pcap_load                (const char          *path,
                                         GError             **error);
TlTrace    *tl_pcap_load_filtered       (const char          *path,
                                         const TlPcapFilter  *filter,
                                         GError             **error);
/* FILTER may be NULL; STYLE decides how a passive open's states are
 * inferred (the others use TL_INFER_RFC9293). */
TlTrace    *tl_pcap_load_full           (const char          *path,
                                         const TlPcapFilter  *filter,
                                         TlInferStyle         style,
                                         GError             **error);

/* Two captures of one conversation, one taken on each host, on one clock.
 * hosts[0] is the host PATH_A was captured on.  A packet leaving one host
 * is matched with the same packet arriving at the other (same addresses,
 * ports, seq, ack, flags, length and IP ID), giving its send and arrival
 * times; a packet never seen arriving is a DROP. */
TlTrace    *tl_pcap_load_pair           (const char          *path_a,
                                         const char          *path_b,
                                         GError             **error);
TlTrace    *tl_pcap_load_pair_filtered  (const char          *path_a,
                                         const char          *path_b,
                                         const TlPcapFilter  *filter,
                                         GError             **error);
TlTrace    *tl_pcap_load_pair_full      (const char          *path_a,
                                         const char          *path_b,
                                         const TlPcapFilter  *filter,
                                         TlInferStyle         style,
                                         GError             **error);

/* Does the file start like a pcap or pcapng? (for dispatch by content) */
gboolean    tl_pcap_sniff               (const guint8 *head,
                                         gsize         length);

G_END_DECLS

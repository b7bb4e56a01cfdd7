/* tl-infer.h: TCP states inferred from the segments a host sends and gets.
 *
 * For captures without a state log (bare pcaps): a small RFC 9293 state
 * machine per host watches the SEND records of the host and the DELIVER
 * records to it, and adds STATE records with inferred = TRUE at the time
 * of the segment that caused them (right before a SEND, right after a
 * DELIVER).  The rules are listed in docs/pcap.md.
 */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

/* Whose way of reporting states to follow.  They differ in one place: a
 * passive open.  RFC 9293 has the listening socket go LISTEN ->
 * SYN-RECEIVED when the SYN arrives; Linux answers from a request socket
 * and the accepted socket only appears (SYN-RECEIVED, then ESTABLISHED at
 * once) when the handshake's final ACK arrives, which is what its
 * inet_sock_set_state tracepoint and tcpladder's linux profile show. */
typedef enum
{
  TL_INFER_RFC9293,
  TL_INFER_LINUX,
} TlInferStyle;

/* "linux" -> TL_INFER_LINUX; anything else (NULL, "rfc9293") -> RFC 9293. */
TlInferStyle tl_infer_style_from_profile (const char *profile);

/* Adds the inferred STATE records to TRACE, which should have none yet.
 * Returns how many were added.  RFC 9293 style. */
guint tl_trace_infer_states      (TlTrace      *trace);
guint tl_trace_infer_states_full (TlTrace      *trace,
                                  TlInferStyle  style);

G_END_DECLS

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

/* Adds the inferred STATE records to TRACE, which should have none yet.
 * Returns how many were added. */
guint tl_trace_infer_states (TlTrace *trace);

G_END_DECLS

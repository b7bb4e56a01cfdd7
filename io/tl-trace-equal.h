/* tl-trace-equal.h: are two traces the same record for record?
 *
 * Everything is compared except where payloads sit in the byte store
 * (payload_off): the payload bytes themselves are compared instead, so a
 * trace loaded from JSON equals the one that was written.
 */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

/* When they differ and WHY is not NULL, appends the first difference
 * ("records[4].seg.ack: 1 vs 2"). */
gboolean tl_trace_equal (const TlTrace *a,
                         const TlTrace *b,
                         GString       *why);

G_END_DECLS

/* tl-text-ladder.h: a trace as text, in the style of RFC 9293's figures.
 *
 *       time (s)  A 10.0.0.1:40000                              B 10.0.0.2:40000
 *   1.  0.000000  SYN-SENT      ──▶ <SEQ=0><CTL=SYN>       ···
 *   2.  0.000000                ··· <SEQ=0><CTL=SYN>       ◀── SYN-SENT
 *   3.  0.010000  SYN-RECEIVED  ◀── <SEQ=0><CTL=SYN>       ···
 *
 * One numbered row per event: a segment sent (arrow on the sender's side,
 * "···" on the side it is travelling to), held or released by the router,
 * delivered (arrow on the receiver's side) or dropped, a socket call, a
 * timer, a router pause.  A host's column shows its state after the row
 * when the row concerns it or changed it.  Pure C: no cairo needed.
 */
#pragma once

#include <glib.h>

#include "tl-render-options.h"
#include "tl-trace.h"

G_BEGIN_DECLS

/* Appends the ladder of TRACE to OUT.  Uses options->ascii, seq_mode,
 * labels (NONE counts as FLAGS: a text row needs its flags), show_options,
 * show_title and the time range. */
void tl_text_ladder_render (const TlTrace         *trace,
                            const TlRenderOptions *options,
                            GString               *out);

G_END_DECLS

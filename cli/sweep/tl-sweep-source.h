/* tl-sweep-source.h: what a sweep ran, as the first line of its JSON lines.
 *
 * `tcpladder sweep --jsonl` starts the file with one line that describes
 * the sweep, so that the rows can be traced back to runs:
 *
 *   {"sweep":{"format":"tcpladder-sweep","version":1,"points":80400,
 *    "axes":[{"kind":"offset","spec":"B.connect.at-A.connect.at=-500ms..500ms/5ms"},
 *            {"kind":"vary","spec":"A<->B.delay=1ms..400ms/1ms"},
 *            {"kind":"seeds","count":3}],
 *    "scenario":"...the base scenario, after --set, as a .scn text..."}}
 *
 * It names no shard and no path, so shards of one sweep start with the
 * same line and merge to the bytes of an unsharded run.  Reading it back
 * gives the same base scenario and plan, hence the very scenario any row
 * was run on (tcpladder-gtk opens a cell's run this way).
 */
#pragma once

#include <glib.h>

#include "tl-scenario.h"
#include "tl-sweep-plan.h"

G_BEGIN_DECLS

#define TL_SWEEP_SOURCE_FORMAT "tcpladder-sweep"
#define TL_SWEEP_SOURCE_VERSION 1

typedef struct
{
  TlScenario  *base;   /* after --set */
  TlSweepPlan *plan;   /* every axis, unsharded */
} TlSweepSource;

/* The line (no newline) for BASE swept by PLAN; PLAN's shard is left out. */
char          *tl_sweep_source_to_line  (const TlScenario  *base,
                                         const TlSweepPlan *plan);
/* Whether LINE (LENGTH bytes, no newline) is such a line rather than a row. */
gboolean       tl_sweep_source_is_line  (const char        *line,
                                         gsize              length);
/* Reads a line back.  Errors say "PATH:1: ..." and name the member. */
TlSweepSource *tl_sweep_source_parse    (const char        *line,
                                         gsize              length,
                                         const char        *path,
                                         GError           **error);
void           tl_sweep_source_free     (TlSweepSource     *source);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSweepSource, tl_sweep_source_free)

G_END_DECLS

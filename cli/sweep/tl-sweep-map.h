/* tl-sweep-map.h: filling an outcome map as a sweep runs. */
#pragma once

#include <glib.h>

#include "tl-outcome-map.h"
#include "tl-sweep-plan.h"
#include "tl-sweep-row.h"

G_BEGIN_DECLS

/* A map for PLAN: its first parameter across, its second (if any)
 * upwards; seeds fall in the same cell.  Fails unless PLAN sweeps one or
 * two parameters besides the seed. */
TlOutcomeMap *tl_sweep_map_new (const TlSweepPlan    *plan,
                                const char           *title,
                                const char           *caption,
                                GError              **error);
void          tl_sweep_map_add (TlOutcomeMap         *map,
                                const TlSweepPlan    *plan,
                                const TlSweepResult  *result);

G_END_DECLS

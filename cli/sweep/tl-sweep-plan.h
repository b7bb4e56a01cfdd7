/* tl-sweep-plan.h: every point of a sweep, in a fixed order, and shards.
 *
 * Points are numbered 0 .. n_points-1 like nested loops: the first axis is
 * the outermost loop, the seed axis (if any) the innermost.  A shard I of N
 * (1-based) runs the points whose number is I-1 modulo N: interleaved, so
 * expensive regions of the map spread evenly over the shards.
 */
#pragma once

#include <glib.h>

#include "tl-scenario.h"
#include "tl-sweep-axis.h"

G_BEGIN_DECLS

/* No sweep may have more points than this. */
#define TL_SWEEP_MAX_POINTS G_GUINT64_CONSTANT (1000000000000)

typedef struct
{
  GPtrArray *axes;       /* TlSweepAxis; a seed axis is always last */
  guint64   *strides;    /* points between two values of each axis */
  guint64    n_points;   /* in the whole sweep, every shard */
  guint      shard;      /* 0-based */
  guint      n_shards;
} TlSweepPlan;

TlSweepPlan *tl_sweep_plan_new          (void);
void         tl_sweep_plan_free         (TlSweepPlan  *plan);
/* Takes AXIS.  Fails if its key is already swept or the sweep grows
 * beyond TL_SWEEP_MAX_POINTS. */
gboolean     tl_sweep_plan_add_axis     (TlSweepPlan  *plan,
                                         TlSweepAxis  *axis,
                                         GError      **error);
/* Parses "I/N" as --shard gives it. */
gboolean     tl_sweep_plan_set_shard    (TlSweepPlan  *plan,
                                         const char   *text,
                                         GError      **error);
/* Points this shard runs, and the global number of its LOCAL-th point. */
guint64      tl_sweep_plan_get_n_local  (const TlSweepPlan *plan);
guint64      tl_sweep_plan_local_point  (const TlSweepPlan *plan,
                                         guint64            local);
/* Which value of axis AXIS point POINT takes. */
guint64      tl_sweep_plan_coordinate   (const TlSweepPlan *plan,
                                         guint64            point,
                                         guint              axis);
gint64       tl_sweep_plan_value        (const TlSweepPlan *plan,
                                         guint64            point,
                                         guint              axis);
/* Sets POINT's values in SCENARIO: --vary and --seeds values first, in
 * order, then --offset ones, which read their reference from SCENARIO. */
gboolean     tl_sweep_plan_apply        (const TlSweepPlan *plan,
                                         guint64            point,
                                         TlScenario        *scenario,
                                         GError           **error);
/* Axes a map can show: all but the seed axis. */
guint        tl_sweep_plan_get_n_map_axes (const TlSweepPlan *plan);
gboolean     tl_sweep_plan_has_seeds      (const TlSweepPlan *plan);

/* The current value of a time key of SCENARIO: "B.connect.at",
 * "B.connect.2.at" (second connect), "router.pause.1.start". */
gboolean     tl_sweep_scenario_get_time (const TlScenario  *scenario,
                                         const char        *key,
                                         TlTime            *out,
                                         GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSweepPlan, tl_sweep_plan_free)

G_END_DECLS

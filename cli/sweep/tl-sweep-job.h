/* tl-sweep-job.h: running the points of a sweep on a scenario.
 *
 * The worker side of `tcpladder sweep`, shared with the benchmark: each
 * worker thread keeps one TlTrace, reused run after run, and each point
 * runs on a fresh copy of the base scenario with the point's values set,
 * so a run never depends on what the thread ran before.
 */
#pragma once

#include <glib.h>

#include "tl-scenario.h"
#include "tl-sweep-plan.h"
#include "tl-sweep-row.h"

G_BEGIN_DECLS

typedef struct
{
  const TlScenario  *base;   /* after --set */
  const TlSweepPlan *plan;
} TlSweepJob;

/* The base scenario with POINT's values, validated.  Errors name the
 * option and the point. */
TlScenario *tl_sweep_job_scenario     (const TlSweepJob  *job,
                                       guint64            point,
                                       GError           **error);
/* For TlSweepRunConfig: USER_DATA is the TlSweepJob; the point numbers
 * run_point gets are the shard's own (0 .. n_local-1). */
gpointer    tl_sweep_job_worker_new   (gpointer           job);
void        tl_sweep_job_worker_free  (gpointer           worker);
gboolean    tl_sweep_job_run_point    (gpointer           worker,
                                       guint64            local,
                                       TlSweepResult     *result,
                                       GError           **error);
/* "B.connect.at-A.connect.at=-480ms A<->B.delay=3ms seed=2" */
char       *tl_sweep_describe_point   (const TlSweepPlan *plan,
                                       guint64            point);

G_END_DECLS

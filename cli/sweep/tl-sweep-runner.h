/* tl-sweep-runner.h: runs the points of a sweep on all cores, in order.
 *
 * Worker threads claim chunks of consecutive points from a shared counter
 * and put their results in a ring; the calling thread hands results to
 * EMIT strictly in point order, whatever order the threads finish in.
 * Workers never run further ahead of EMIT than the ring holds, so memory
 * stays bounded for any number of points.
 *
 * Stopping: when *STOP becomes nonzero (a signal handler sets it), no more
 * chunks are handed out, the chunks under way finish, and every result up
 * to the first missing one is emitted: the output is a complete prefix.
 */
#pragma once

#include <glib.h>
#include <signal.h>

#include "tl-sweep-row.h"

G_BEGIN_DECLS

typedef struct
{
  guint    n_threads;          /* 0: one per processor */
  guint64  n_points;           /* points 0 .. n_points-1 */
  gpointer user_data;
  /* Per worker thread: state reused from point to point. */
  gpointer (*worker_new)  (gpointer user_data);
  void     (*worker_free) (gpointer worker);
  /* In a worker thread.  Fills RESULT for POINT; FALSE stops the sweep. */
  gboolean (*run_point)   (gpointer       worker,
                           guint64        point,
                           TlSweepResult *result,
                           GError       **error);
  /* In the calling thread, in point order: N results, the first being
   * point FIRST.  FALSE stops the sweep. */
  gboolean (*emit)        (guint64              first,
                           const TlSweepResult *results,
                           guint                n,
                           gpointer             user_data,
                           GError             **error);
  /* In the calling thread, about ten times a second; may be NULL. */
  void     (*progress)    (guint64  n_done,
                           guint64  n_points,
                           gpointer user_data);
  const volatile sig_atomic_t *stop;  /* may be NULL */
} TlSweepRunConfig;

typedef enum
{
  TL_SWEEP_RUN_DONE,       /* every point emitted */
  TL_SWEEP_RUN_STOPPED,    /* *stop became nonzero: a prefix was emitted */
  TL_SWEEP_RUN_FAILED,     /* run_point or emit failed: *error is set */
} TlSweepRunStatus;

/* Returns how it ended; *N_EMITTED (may be NULL) counts emitted results. */
TlSweepRunStatus tl_sweep_run (const TlSweepRunConfig  *config,
                               guint64                 *n_emitted,
                               GError                 **error);

G_END_DECLS

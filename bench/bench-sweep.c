/* bench-sweep.c: sweep throughput, runs per second, on 1 and 2 threads.
 *
 * Sweeps B.connect.at of the default scenario over 50000 points exactly as
 * `tcpladder sweep` does (fresh scenario copy per point, values set and
 * validated, run, classified, CSV row formatted in point order) but without
 * writing the rows, so the disk does not blur the figures.  Prints medians
 * of several repetitions, the 2-thread/1-thread ratio, and where the time
 * of one run goes.  Target: >= 300000 runs/s on 2 cores.
 */
#include <stdio.h>
#include <stdlib.h>

#include "tl-outcome.h"
#include "tl-scenario.h"
#include "tl-sweep-job.h"
#include "tl-sweep-row.h"
#include "tl-sweep-runner.h"

#define N_POINTS     50000
#define REPETITIONS  7
#define TARGET_RATE  300000.0

typedef struct
{
  TlSweepJob        job;
  TlSweepRowWriter *rows;
  GString          *buffer;
  guint64           n_emitted;
} Bench;

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (double *values,
        guint   n)
{
  qsort (values, n, sizeof *values, compare_doubles);
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static gpointer
worker_new (gpointer user_data)
{
  Bench *bench = user_data;

  return tl_sweep_job_worker_new (&bench->job);
}

static gboolean
emit (guint64              first,
      const TlSweepResult *results,
      guint                n,
      gpointer             user_data,
      GError             **error)
{
  Bench *bench = user_data;

  g_string_truncate (bench->buffer, 0);
  for (guint i = 0; i < n; i++)
    tl_sweep_row_write (bench->rows, &results[i], bench->buffer);
  bench->n_emitted += n;
  return TRUE;
}

/* Runs per second of one whole sweep on N_THREADS. */
static double
sweep_rate (Bench *bench,
            guint  n_threads)
{
  TlSweepRunConfig config = {
    .n_threads = n_threads,
    .n_points = N_POINTS,
    .user_data = bench,
    .worker_new = worker_new,
    .worker_free = tl_sweep_job_worker_free,
    .run_point = tl_sweep_job_run_point,
    .emit = emit,
  };
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double seconds;

  bench->n_emitted = 0;
  if (tl_sweep_run (&config, NULL, &error) != TL_SWEEP_RUN_DONE)
    {
      fprintf (stderr, "bench-sweep: %s\n", error != NULL ? error->message : "stopped");
      exit (1);
    }
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_assert (bench->n_emitted == N_POINTS);
  return N_POINTS / seconds;
}

/* Where one point's time goes, in microseconds on this thread: copying
 * the base scenario, setting the point's values, validating, running,
 * classifying. */
typedef struct
{
  double copy, set, validate, run, classify;
} PointCost;

static void
split_cost (Bench     *bench,
            PointCost *cost)
{
  g_autoptr(TlTrace) trace = tl_trace_new ();
  guint n = N_POINTS / 5;
  g_autoptr(GPtrArray) scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_scenario_free);
  TlOutcome outcome;
  gint64 t0, t1, t2, t3;

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (scenarios, tl_scenario_copy (bench->job.base));
  t1 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    if (!tl_sweep_plan_apply (bench->job.plan, i, g_ptr_array_index (scenarios, i), NULL))
      g_error ("bench-sweep: point %u does not apply", i);
  t2 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    if (!tl_scenario_validate (g_ptr_array_index (scenarios, i), NULL))
      g_error ("bench-sweep: point %u is not valid", i);
  t3 = g_get_monotonic_time ();
  cost->copy = (double) (t1 - t0) / n;
  cost->set = (double) (t2 - t1) / n;
  cost->validate = (double) (t3 - t2) / n;

  t0 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    tl_scenario_run_bare (g_ptr_array_index (scenarios, i), trace);
  t1 = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    tl_outcome_classify (trace, &outcome);
  t2 = g_get_monotonic_time ();
  cost->run = (double) (t1 - t0) / n;
  cost->classify = (double) (t2 - t1) / n;
}

int
main (int    argc,
      char **argv)
{
  const char *path = argc > 1 ? argv[1] : TL_DEFAULT_SCENARIO;
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) scenario = tl_scenario_load (path, &error);
  g_autoptr(TlSweepPlan) plan = tl_sweep_plan_new ();
  Bench bench = { 0 };
  double rates[2][REPETITIONS], medians[2];
  PointCost cost;
  const char *hosts[TL_MAX_HOSTS];

  if (scenario == NULL)
    {
      fprintf (stderr, "bench-sweep: %s\n", error->message);
      return 1;
    }
  /* 50000 connect times for B, 2 us apart, around the scenario's 200 ms. */
  if (!tl_sweep_plan_add_axis (plan, tl_sweep_axis_parse (TL_SWEEP_AXIS_VARY,
                               "B.connect.at=150ms..249998us/2us", &error), &error))
    {
      fprintf (stderr, "bench-sweep: %s\n", error->message);
      return 1;
    }
  g_assert (plan->n_points == N_POINTS);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    hosts[h] = scenario->hosts[h].name;
  bench.job.base = scenario;
  bench.job.plan = plan;
  bench.rows = tl_sweep_row_writer_new (plan, hosts, TL_SWEEP_FORMAT_CSV);
  bench.buffer = g_string_new (NULL);

  sweep_rate (&bench, 2);  /* warm up: page faults, per-thread state */
  for (guint r = 0; r < REPETITIONS; r++)
    for (guint t = 0; t < 2; t++)
      rates[t][r] = sweep_rate (&bench, t + 1);
  for (guint t = 0; t < 2; t++)
    medians[t] = median (rates[t], REPETITIONS);
  split_cost (&bench, &cost);

  printf ("sweep of %s, %u points (B.connect.at), CSV rows formatted, %u processors:\n",
          scenario->name, N_POINTS, g_get_num_processors ());
  for (guint t = 0; t < 2; t++)
    printf ("  %u thread%s: median %8.0f runs/s (min %.0f, max %.0f, %u repetitions)\n", t + 1,
            t == 0 ? " " : "s", medians[t], rates[t][0], rates[t][REPETITIONS - 1], REPETITIONS);
  printf ("  scaling 2 threads / 1 thread: %.2f\n", medians[1] / medians[0]);
  printf ("  one point on one thread: copy %.2f us + set %.2f us + validate %.2f us + run %.2f us "
          "+ classify %.2f us = %.2f us\n", cost.copy, cost.set, cost.validate, cost.run,
          cost.classify, cost.copy + cost.set + cost.validate + cost.run + cost.classify);
  printf ("  target >= %.0f runs/s on 2 threads: %s\n", TARGET_RATE,
          medians[1] >= TARGET_RATE ? "met" : "NOT met");

  tl_sweep_row_writer_free (bench.rows);
  g_string_free (bench.buffer, TRUE);
  return 0;
}

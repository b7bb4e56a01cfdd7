/* bench-engine.c: event-queue throughput and whole-scenario run time.
 *
 * Prints medians over several repetitions (machines are noisy: compare
 * medians and ratios, never single runs):
 *  - the classic hold model: with N events pending, pop the earliest and
 *    push one at a random later time, N = 1000 and N = 100000;
 *  - microseconds per run of the default scenario (the trace is reused, as
 *    sweeps and the GUI do).
 */
#include <stdio.h>
#include <stdlib.h>

#include "tl-event-queue.h"
#include "tl-rng.h"
#include "tl-scenario.h"

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

static void
noop (gpointer data,
      guint64  arg)
{
}

/* Uniform delays up to about 134 ms: a mask, so the generator costs
 * little next to the queue being measured. */
#define DELAY_MASK ((G_GUINT64_CONSTANT (1) << 27) - 1)

/* Returns events per second for one hold-model pass. */
static double
hold_model (guint   pending,
            guint64 operations)
{
  TlEventQueue *queue = tl_event_queue_new ();
  TlRng rng;
  TlEvent event;
  gint64 start, elapsed;
  TlTime now = 0;

  tl_rng_init (&rng, 42, 0);
  for (guint i = 0; i < pending; i++)
    tl_event_queue_push (queue, (TlTime) (tl_rng_next (&rng) & DELAY_MASK), noop, NULL, i);

  start = g_get_monotonic_time ();
  for (guint64 i = 0; i < operations; i++)
    {
      tl_event_queue_pop (queue, &event);
      now = event.time;
      tl_event_queue_push (queue, now + (TlTime) (tl_rng_next (&rng) & DELAY_MASK),
                           noop, NULL, i);
    }
  elapsed = g_get_monotonic_time () - start;
  tl_event_queue_free (queue);
  /* Each hold operation is one event run (pop) and one scheduled (push). */
  return (double) operations / ((double) elapsed / 1e6);
}

static void
bench_hold (guint pending)
{
  double rates[9], mid;
  guint64 ops = 5000000;

  for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
    rates[r] = hold_model (pending, ops);
  mid = median (rates, G_N_ELEMENTS (rates));
  printf ("event queue, hold model, %6u pending: median %.1f M events/s (min %.1f, max %.1f, %u runs of %.0f M)\n",
          pending, mid / 1e6, rates[0] / 1e6, rates[G_N_ELEMENTS (rates) - 1] / 1e6,
          (guint) G_N_ELEMENTS (rates), (double) ops / 1e6);
}

static void
bench_scenario (const char *path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) scenario = tl_scenario_load (path, &error);
  g_autoptr (TlTrace) trace = tl_trace_new ();
  double per_run[9];
  guint runs = 20000;

  if (scenario == NULL)
    {
      fprintf (stderr, "bench-engine: %s\n", error->message);
      exit (1);
    }
  tl_scenario_run (scenario, trace);  /* warm the per-thread runner */
  for (guint r = 0; r < G_N_ELEMENTS (per_run); r++)
    {
      gint64 start = g_get_monotonic_time ();
      for (guint i = 0; i < runs; i++)
        tl_scenario_run (scenario, trace);
      per_run[r] = (double) (g_get_monotonic_time () - start) / runs;
    }
  double mid = median (per_run, G_N_ELEMENTS (per_run));
  printf ("default scenario (%s): median %.2f us per run (min %.2f), %u records, %u segments\n",
          scenario->name, mid, per_run[0],
          tl_trace_get_n_records (trace), trace->n_packets);
}

int
main (int    argc,
      char **argv)
{
  const char *scenario = argc > 1 ? argv[1] : TL_DEFAULT_SCENARIO;

  bench_hold (1000);
  bench_hold (100000);
  bench_scenario (scenario);
  return 0;
}

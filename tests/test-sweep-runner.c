/* test-sweep-runner.c: the threads run every point once and the results come
 * out in point order; a stop emits a complete prefix; a failure stops it. */
#include <string.h>

#include "tl-sweep-error.h"
#include "tl-sweep-runner.h"

typedef struct
{
  guint64       n_points;
  guint64       next;          /* the next point emit expects */
  guint64       n_emitted;
  guint64       stop_after;    /* raise *stop once this many are emitted */
  guint64       fail_at;       /* run_point fails on this point */
  gboolean      fail_emit;
  volatile sig_atomic_t stop;
  gint         *runs;          /* per point: times run */
  gint          n_workers_alive;
  guint         n_progress;
  guint64       last_progress;
} RunState;

static gpointer
worker_new (gpointer user_data)
{
  RunState *state = user_data;

  g_atomic_int_inc (&state->n_workers_alive);
  return g_rand_new_with_seed (GPOINTER_TO_UINT (g_thread_self ()));
}

static void
worker_free (gpointer worker)
{
  g_rand_free (worker);
}

/* Completion order is scrambled on purpose: random short sleeps. */
static gboolean
run_point (gpointer       worker,
           guint64        point,
           TlSweepResult *result,
           GError       **error)
{
  if (g_rand_int_range (worker, 0, 16) == 0)
    g_usleep ((gulong) g_rand_int_range (worker, 0, 300));
  result->seed = point * 7 + 3;
  result->outcome.n_segments = (guint) (point % 1000);
  return TRUE;
}

static RunState *current;

static gboolean
run_point_counting (gpointer       worker,
                    guint64        point,
                    TlSweepResult *result,
                    GError       **error)
{
  g_atomic_int_inc (&current->runs[point]);
  if (point == current->fail_at)
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_SCENARIO, "point %" G_GUINT64_FORMAT
                   " is bad", point);
      return FALSE;
    }
  return run_point (worker, point, result, error);
}

static gboolean
emit (guint64              first,
      const TlSweepResult *results,
      guint                n,
      gpointer             user_data,
      GError             **error)
{
  RunState *state = user_data;

  g_assert_cmpuint (first, ==, state->next);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (results[i].point, ==, first + i);
      g_assert_cmpuint (results[i].seed, ==, (first + i) * 7 + 3);
      g_assert_cmpuint (results[i].outcome.n_segments, ==, (first + i) % 1000);
    }
  state->next += n;
  state->n_emitted += n;
  if (state->stop_after > 0 && state->n_emitted >= state->stop_after)
    state->stop = 1;
  if (state->fail_emit && state->n_emitted > 100)
    {
      g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_OUTPUT, "disk full");
      return FALSE;
    }
  return TRUE;
}

static void
progress (guint64  done,
          guint64  total,
          gpointer user_data)
{
  RunState *state = user_data;

  g_assert_cmpuint (done, <=, total);
  g_assert_cmpuint (done, >=, state->last_progress);
  state->last_progress = done;
  state->n_progress++;
}

static TlSweepRunStatus
run (RunState *state,
     guint     n_threads,
     guint64  *n_emitted,
     GError  **error)
{
  TlSweepRunConfig config = {
    .n_threads = n_threads,
    .n_points = state->n_points,
    .user_data = state,
    .worker_new = worker_new,
    .worker_free = worker_free,
    .run_point = run_point_counting,
    .emit = emit,
    .progress = progress,
    .stop = &state->stop,
  };

  current = state;
  state->runs = g_new0 (gint, MAX (state->n_points, 1));
  return tl_sweep_run (&config, n_emitted, error);
}

static void
test_order (void)
{
  static const guint64 sizes[] = { 0, 1, 7, 1000, 100003 };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (guint threads = 1; threads <= 5; threads += 2)
      {
        RunState state = { .n_points = sizes[s], .fail_at = G_MAXUINT64 };
        g_autoptr(GError) error = NULL;
        guint64 n_emitted = 12345;

        g_assert_cmpint (run (&state, threads, &n_emitted, &error), ==, TL_SWEEP_RUN_DONE);
        g_assert_no_error (error);
        g_assert_cmpuint (n_emitted, ==, sizes[s]);
        g_assert_cmpuint (state.next, ==, sizes[s]);
        for (guint64 p = 0; p < sizes[s]; p++)
          g_assert_cmpint (state.runs[p], ==, 1);
        if (sizes[s] > 0)
          {
            /* Never more workers than points; the last report says "all". */
            g_assert_cmpint (state.n_workers_alive, ==, MIN (threads, sizes[s]));
            g_assert_cmpuint (state.last_progress, ==, sizes[s]);
            g_assert_cmpuint (state.n_progress, >=, 1);
          }
        g_free (state.runs);
      }
}

/* Stopping (what Ctrl-C does) emits a prefix 0..k-1 with k at least where
 * it was asked to stop, and far from everything. */
static void
test_stop (void)
{
  for (guint threads = 1; threads <= 4; threads++)
    {
      RunState state = { .n_points = 2000000, .stop_after = 5000, .fail_at = G_MAXUINT64 };
      g_autoptr(GError) error = NULL;
      guint64 n_emitted = 0;

      g_assert_cmpint (run (&state, threads, &n_emitted, &error), ==, TL_SWEEP_RUN_STOPPED);
      g_assert_no_error (error);
      g_assert_cmpuint (n_emitted, ==, state.next);
      g_assert_cmpuint (n_emitted, >=, 5000);
      g_assert_cmpuint (n_emitted, <, state.n_points);
      /* Nothing was run twice, and all that was emitted was run. */
      for (guint64 p = 0; p < state.n_points; p++)
        {
          g_assert_cmpint (state.runs[p], <=, 1);
          if (p < n_emitted)
            g_assert_cmpint (state.runs[p], ==, 1);
        }
      g_free (state.runs);
    }
}

static void
test_failure (void)
{
  RunState state = { .n_points = 50000, .fail_at = 31337 };
  RunState emit_state = { .n_points = 50000, .fail_at = G_MAXUINT64, .fail_emit = TRUE };
  g_autoptr(GError) error = NULL;
  guint64 n_emitted = 0;

  g_assert_cmpint (run (&state, 3, &n_emitted, &error), ==, TL_SWEEP_RUN_FAILED);
  g_assert_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_SCENARIO);
  g_assert_cmpstr (error->message, ==, "point 31337 is bad");
  g_assert_cmpuint (n_emitted, <=, 31337);
  g_free (state.runs);
  g_clear_error (&error);

  g_assert_cmpint (run (&emit_state, 2, &n_emitted, &error), ==, TL_SWEEP_RUN_FAILED);
  g_assert_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_OUTPUT);
  g_assert_cmpuint (n_emitted, <, emit_state.n_points);
  g_free (emit_state.runs);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sweep/runner/order", test_order);
  g_test_add_func ("/sweep/runner/stop", test_stop);
  g_test_add_func ("/sweep/runner/failure", test_failure);
  return g_test_run ();
}

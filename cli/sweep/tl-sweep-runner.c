/* tl-sweep-runner.c: worker threads, a ring of results, ordered output. */
#include "tl-sweep-runner.h"

#include <string.h>

#include "tl-sweep-error.h"

typedef struct
{
  const TlSweepRunConfig *config;
  GMutex         lock;
  GCond          ready;       /* a chunk finished, or a worker left */
  GCond          space;       /* the ring has room, or the sweep stops */
  guint64        chunk;       /* points claimed at a time */
  guint64        ring_size;
  TlSweepResult *ring;        /* result of point p is at p % ring_size */
  guint8        *done;        /* per ring slot: the result is there */
  guint64        next_claim;  /* first point nobody has claimed */
  guint64        emitted;     /* points handed to emit */
  guint          n_active;    /* workers still running */
  gboolean       stopping;    /* hand out no more chunks */
  GError        *error;       /* the first failure */
} TlSweepRunner;

static void
fail_locked (TlSweepRunner *runner,
             GError        *error)
{
  if (runner->error == NULL)
    runner->error = error;
  else
    g_error_free (error);
  runner->stopping = TRUE;
  g_cond_broadcast (&runner->space);
  g_cond_signal (&runner->ready);
}

/* Claims the next chunk once it fits in the ring; FALSE when done. */
static gboolean
claim_chunk (TlSweepRunner *runner,
             guint64       *start,
             guint64       *end)
{
  const guint64 n_points = runner->config->n_points;
  gboolean claimed = FALSE;

  g_mutex_lock (&runner->lock);
  while (!runner->stopping && runner->next_claim < n_points
         && MIN (runner->next_claim + runner->chunk, n_points)
            > runner->emitted + runner->ring_size)
    g_cond_wait (&runner->space, &runner->lock);
  if (!runner->stopping && runner->next_claim < n_points)
    {
      *start = runner->next_claim;
      *end = MIN (*start + runner->chunk, n_points);
      runner->next_claim = *end;
      claimed = TRUE;
    }
  g_mutex_unlock (&runner->lock);
  return claimed;
}

static gpointer
worker_main (gpointer data)
{
  TlSweepRunner *runner = data;
  const TlSweepRunConfig *config = runner->config;
  gpointer worker = config->worker_new != NULL ? config->worker_new (config->user_data) : NULL;
  guint64 start, end;

  while (claim_chunk (runner, &start, &end))
    {
      GError *error = NULL;
      guint64 p;

      for (p = start; p < end; p++)
        {
          TlSweepResult *result = &runner->ring[p % runner->ring_size];

          memset (result, 0, sizeof *result);
          result->point = p;
          if (!config->run_point (worker, p, result, &error))
            break;
        }
      g_mutex_lock (&runner->lock);
      if (p < end)
        fail_locked (runner, error != NULL ? error
                     : g_error_new_literal (TL_SWEEP_ERROR, TL_SWEEP_ERROR_SCENARIO,
                                            "a point failed without saying why"));
      else
        {
          for (p = start; p < end; p++)
            runner->done[p % runner->ring_size] = 1;
          g_cond_signal (&runner->ready);
        }
      g_mutex_unlock (&runner->lock);
    }

  if (config->worker_free != NULL)
    config->worker_free (worker);
  g_mutex_lock (&runner->lock);
  runner->n_active--;
  g_cond_signal (&runner->ready);
  g_mutex_unlock (&runner->lock);
  return NULL;
}

/* Results ready from EMITTED on, without passing the end of the ring. */
static guint
count_ready_locked (TlSweepRunner *runner)
{
  guint64 n = 0;
  guint64 slot = runner->emitted % runner->ring_size;
  guint64 limit = MIN (runner->ring_size - slot, runner->config->n_points - runner->emitted);

  while (n < limit && runner->done[slot + n])
    n++;
  return (guint) n;
}

static void
report_progress (TlSweepRunner *runner,
                 gint64        *last_report,
                 gboolean       force)
{
  const TlSweepRunConfig *config = runner->config;
  gint64 now = g_get_monotonic_time ();

  if (config->progress == NULL || (!force && now - *last_report < G_USEC_PER_SEC / 10))
    return;
  *last_report = now;
  config->progress (runner->emitted, config->n_points, config->user_data);
}

/* The calling thread: emits in order until everything is emitted, or the
 * sweep stops and the workers have left. */
static void
emit_loop (TlSweepRunner *runner)
{
  const TlSweepRunConfig *config = runner->config;
  gint64 last_report = 0;

  g_mutex_lock (&runner->lock);
  for (;;)
    {
      guint n_ready = count_ready_locked (runner);

      if (config->stop != NULL && *config->stop && !runner->stopping)
        {
          runner->stopping = TRUE;
          g_cond_broadcast (&runner->space);
        }
      if (n_ready > 0 && runner->error == NULL)
        {
          guint64 first = runner->emitted;
          const TlSweepResult *results = &runner->ring[first % runner->ring_size];
          GError *error = NULL;
          gboolean ok;

          g_mutex_unlock (&runner->lock);
          ok = config->emit (first, results, n_ready, config->user_data, &error);
          g_mutex_lock (&runner->lock);
          if (!ok)
            {
              fail_locked (runner, error);
              continue;
            }
          memset (&runner->done[first % runner->ring_size], 0, n_ready);
          runner->emitted += n_ready;
          g_cond_broadcast (&runner->space);
          g_mutex_unlock (&runner->lock);
          report_progress (runner, &last_report, FALSE);
          g_mutex_lock (&runner->lock);
          continue;
        }
      if (runner->emitted == config->n_points
          || ((runner->stopping || runner->error != NULL) && runner->n_active == 0))
        break;
      {
        gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 10;

        g_cond_wait_until (&runner->ready, &runner->lock, deadline);
      }
      g_mutex_unlock (&runner->lock);
      report_progress (runner, &last_report, FALSE);
      g_mutex_lock (&runner->lock);
    }
  runner->stopping = TRUE;
  g_cond_broadcast (&runner->space);
  g_mutex_unlock (&runner->lock);
  report_progress (runner, &last_report, TRUE);
}

TlSweepRunStatus
tl_sweep_run (const TlSweepRunConfig  *config,
              guint64                 *n_emitted,
              GError                 **error)
{
  TlSweepRunner runner = { 0 };
  guint n_threads = config->n_threads != 0 ? config->n_threads : g_get_num_processors ();
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  TlSweepRunStatus status;

  if (n_emitted != NULL)
    *n_emitted = 0;
  if (config->n_points == 0)
    return TL_SWEEP_RUN_DONE;

  n_threads = (guint) MIN ((guint64) n_threads, config->n_points);
  runner.config = config;
  g_mutex_init (&runner.lock);
  g_cond_init (&runner.ready);
  g_cond_init (&runner.space);
  /* Chunks small enough that all threads stay busy to the end and a stop
   * is quick, large enough that the lock is rarely contended. */
  runner.chunk = CLAMP (config->n_points / ((guint64) n_threads * 64), 1, 256);
  runner.ring_size = MIN (config->n_points, MAX (runner.chunk * n_threads * 16, 8192));
  runner.ring = g_new (TlSweepResult, runner.ring_size);
  runner.done = g_new0 (guint8, runner.ring_size);
  runner.n_active = n_threads;

  for (guint i = 0; i < n_threads; i++)
    {
      g_autofree char *name = g_strdup_printf ("sweep-%u", i);

      g_ptr_array_add (threads, g_thread_new (name, worker_main, &runner));
    }
  emit_loop (&runner);
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));

  if (runner.error != NULL)
    {
      g_propagate_error (error, runner.error);
      status = TL_SWEEP_RUN_FAILED;
    }
  else if (runner.emitted < config->n_points)
    status = TL_SWEEP_RUN_STOPPED;
  else
    status = TL_SWEEP_RUN_DONE;
  if (n_emitted != NULL)
    *n_emitted = runner.emitted;

  g_free (runner.ring);
  g_free (runner.done);
  g_cond_clear (&runner.space);
  g_cond_clear (&runner.ready);
  g_mutex_clear (&runner.lock);
  return status;
}

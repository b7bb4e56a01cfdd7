/* tl-sweep-job.c: one point, one run, one classified outcome. */
#include "tl-sweep-job.h"

#include "tl-outcome.h"
#include "tl-sweep-error.h"

typedef struct
{
  const TlSweepJob *job;
  TlTrace          *trace;
} SweepWorker;

char *
tl_sweep_describe_point (const TlSweepPlan *plan,
                         guint64            point)
{
  GString *text = g_string_new (NULL);

  for (guint a = 0; a < plan->axes->len; a++)
    {
      const TlSweepAxis *axis = g_ptr_array_index (plan->axes, a);

      g_string_append_printf (text, "%s%s=", a > 0 ? " " : "", axis->name);
      tl_sweep_value_format (tl_sweep_plan_value (plan, point, a), axis->unit, axis->decimals,
                             text);
    }
  return g_string_free (text, FALSE);
}

TlScenario *
tl_sweep_job_scenario (const TlSweepJob  *job,
                       guint64            point,
                       GError           **error)
{
  g_autoptr(TlScenario) scenario = tl_scenario_copy (job->base);
  g_autoptr(GError) local_error = NULL;

  if (!tl_sweep_plan_apply (job->plan, point, scenario, error))
    return NULL;
  if (!tl_scenario_validate (scenario, &local_error))
    {
      g_autofree char *where = tl_sweep_describe_point (job->plan, point);

      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_SCENARIO, "point %" G_GUINT64_FORMAT
                   " (%s): %s", point, where, local_error->message);
      return NULL;
    }
  return g_steal_pointer (&scenario);
}

gpointer
tl_sweep_job_worker_new (gpointer job)
{
  SweepWorker *worker = g_new0 (SweepWorker, 1);

  worker->job = job;
  worker->trace = tl_trace_new ();
  return worker;
}

void
tl_sweep_job_worker_free (gpointer data)
{
  SweepWorker *worker = data;

  tl_trace_unref (worker->trace);
  g_free (worker);
}

gboolean
tl_sweep_job_run_point (gpointer       data,
                        guint64        local,
                        TlSweepResult *result,
                        GError       **error)
{
  SweepWorker *worker = data;
  guint64 point = tl_sweep_plan_local_point (worker->job->plan, local);
  g_autoptr(TlScenario) scenario = tl_sweep_job_scenario (worker->job, point, error);

  if (scenario == NULL)
    return FALSE;
  tl_scenario_run_bare (scenario, worker->trace);
  tl_outcome_classify (worker->trace, &result->outcome);
  result->point = point;
  result->seed = scenario->seed;
  result->truncated = worker->trace->truncated;
  return TRUE;
}

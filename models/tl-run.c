/* tl-run.c: running a scenario in the simulator. */
#include "tl-tcp-private.h"

/* A run's machinery, kept per thread between runs so that sweeps and
 * benchmarks run scenario after scenario without allocating. */
typedef struct
{
  TlSim     *sim;
  TlNetwork *net;
  TlRun      run;
} TlRunner;

static void
runner_free (gpointer data)
{
  TlRunner *runner = data;

  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    for (guint i = 0; i < TL_HOST_MAX_SOCKETS; i++)
      if (runner->run.hosts[h].sockets[i].sndbuf != NULL)
        g_byte_array_unref (runner->run.hosts[h].sockets[i].sndbuf);
  tl_network_free (runner->net);
  tl_sim_free (runner->sim);
  g_free (runner);
}

static GPrivate runner_key = G_PRIVATE_INIT (runner_free);

static TlRunner *
get_runner (void)
{
  TlRunner *runner = g_private_get (&runner_key);

  if (runner == NULL)
    {
      runner = g_new0 (TlRunner, 1);
      runner->sim = tl_sim_new ();
      runner->net = tl_network_new (runner->sim);
      g_private_set (&runner_key, runner);
    }
  return runner;
}

static void
describe_trace (const TlScenario *scenario,
                TlTrace          *trace)
{
  trace->source = TL_TRACE_SIMULATION;
  trace->title = g_strdup (scenario->name != NULL ? scenario->name : "scenario");
  trace->caption = tl_scenario_describe (scenario);
  trace->profile = g_strdup (tl_profile_to_string (scenario->profile));
  trace->has_router = scenario->has_router;
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      trace->hosts[i].name = g_strdup (scenario->hosts[i].name);
      trace->hosts[i].addr = scenario->hosts[i].addr;
      trace->hosts[i].port = scenario->hosts[i].port;
    }
}

static void
setup_network (TlRun            *run,
               const TlScenario *scenario)
{
  for (guint d = 0; d < 2; d++)
    {
      const TlLinkConfig *c = &scenario->links[d];
      TlLink link = { c->delay, c->jitter, c->loss_ppm, c->rate_bps, 0 };
      tl_network_set_link (run->net, d, &link);
    }
  if (scenario->has_router)
    {
      tl_network_set_router (run->net, scenario->router_queue, scenario->release_gap);
      for (guint i = 0; scenario->pauses != NULL && i < scenario->pauses->len; i++)
        {
          const TlPauseWindow *w = &g_array_index (scenario->pauses, TlPauseWindow, i);
          tl_network_add_pause (run->net, w->start, w->end);
        }
    }
}

static void
run_scenario (const TlScenario *scenario,
              TlTrace          *trace,
              gboolean          describe)
{
  TlRunner *runner = get_runner ();
  TlRun *run = &runner->run;

  tl_trace_clear (trace);
  if (describe)
    describe_trace (scenario, trace);
  else
    {
      trace->has_router = scenario->has_router;
      for (guint i = 0; i < TL_MAX_HOSTS; i++)
        trace->hosts[i].addr = scenario->hosts[i].addr;
    }
  tl_sim_reset (runner->sim, trace, scenario->max_events ? scenario->max_events : G_MAXUINT64);
  tl_network_reset (runner->net, scenario->seed);

  run->sim = runner->sim;
  run->net = runner->net;
  run->trace = trace;
  run->scenario = scenario;
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      tl_host_init (&run->hosts[i], run, i, &scenario->hosts[i], scenario->profile,
                    scenario->seed);
      tl_network_attach_host (run->net, i, scenario->hosts[i].addr, tl_host_deliver,
                              &run->hosts[i]);
    }
  setup_network (run, scenario);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    tl_host_schedule_calls (&run->hosts[i]);

  tl_sim_run_until (runner->sim, scenario->duration);
  tl_network_finish (runner->net, runner->sim->now);
  trace->end_time = runner->sim->now;
}

void
tl_scenario_run (const TlScenario *scenario,
                 TlTrace          *trace)
{
  run_scenario (scenario, trace, TRUE);
}

void
tl_scenario_run_bare (const TlScenario *scenario,
                      TlTrace          *trace)
{
  run_scenario (scenario, trace, FALSE);
}

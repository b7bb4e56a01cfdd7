/* tl-sim.c: the event loop. */
#include "tl-sim.h"

TlSim *
tl_sim_new (void)
{
  TlSim *sim = g_new0 (TlSim, 1);

  sim->queue = tl_event_queue_new ();
  sim->max_events = G_MAXUINT64;
  return sim;
}

void
tl_sim_free (TlSim *sim)
{
  if (sim == NULL)
    return;
  tl_event_queue_free (sim->queue);
  g_free (sim);
}

void
tl_sim_reset (TlSim   *sim,
              TlTrace *trace,
              guint64  max_events)
{
  tl_event_queue_clear (sim->queue);
  sim->now = 0;
  sim->trace = trace;
  sim->n_events = 0;
  sim->max_events = max_events;
  sim->stopped = FALSE;
}

gboolean
tl_sim_step (TlSim *sim)
{
  TlEvent event;

  if (sim->stopped)
    return FALSE;
  if (sim->n_events >= sim->max_events)
    {
      /* A scenario that keeps generating events (a retransmission storm, a
       * loop between two hosts) ends here rather than running forever. */
      sim->stopped = TRUE;
      if (sim->trace != NULL)
        sim->trace->truncated = TRUE;
      return FALSE;
    }
  if (!tl_event_queue_pop (sim->queue, &event))
    return FALSE;
  g_assert (event.time >= sim->now);
  sim->now = event.time;
  sim->n_events++;
  event.func (event.data, event.arg);
  return TRUE;
}

void
tl_sim_run_until (TlSim  *sim,
                  TlTime  end)
{
  while (!sim->stopped && tl_event_queue_peek_time (sim->queue) <= end)
    if (!tl_sim_step (sim))
      break;
  if (end != TL_TIME_NEVER && !sim->stopped && sim->now < end)
    sim->now = end;
}

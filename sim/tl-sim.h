/* tl-sim.h: the simulation context: clock, event queue, trace, limits. */
#pragma once

#include <glib.h>

#include "tl-event-queue.h"
#include "tl-rng.h"
#include "tl-trace.h"

G_BEGIN_DECLS

typedef struct _TlSim TlSim;

struct _TlSim
{
  TlTime        now;
  TlEventQueue *queue;
  TlTrace      *trace;      /* borrowed: the caller owns it */
  guint64       n_events;   /* events run so far */
  guint64       max_events; /* runaway guard: the run stops here */
  gboolean      stopped;
};

TlSim         *tl_sim_new        (void);
void           tl_sim_free       (TlSim   *sim);
/* Resets the clock and queue for a new run writing into TRACE. */
void           tl_sim_reset      (TlSim   *sim,
                                  TlTrace *trace,
                                  guint64  max_events);

static inline TlEventHandle
tl_sim_schedule (TlSim       *sim,
                 TlTime       at,
                 TlEventFunc  func,
                 gpointer     data,
                 guint64      arg)
{
  return tl_event_queue_push (sim->queue, at, func, data, arg);
}

static inline TlEventHandle
tl_sim_schedule_in (TlSim       *sim,
                    TlTime       delay,
                    TlEventFunc  func,
                    gpointer     data,
                    guint64      arg)
{
  return tl_event_queue_push (sim->queue, sim->now + delay, func, data, arg);
}

/* Cancels *HANDLE if pending and sets it to 0. */
static inline void
tl_sim_cancel (TlSim         *sim,
               TlEventHandle *handle)
{
  if (*handle != 0)
    tl_event_queue_cancel (sim->queue, *handle);
  *handle = 0;
}

/* Runs one event; FALSE when there is none or the run is stopped. */
gboolean tl_sim_step       (TlSim  *sim);
/* Runs every event up to and including time END (TL_TIME_NEVER: until the
 * queue is empty), then sets the clock to END when it is finite.  Stops
 * early at max_events, marking the trace truncated. */
void     tl_sim_run_until  (TlSim  *sim,
                            TlTime  end);

G_END_DECLS

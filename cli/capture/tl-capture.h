/* tl-capture.h: run a scenario on real Linux sockets and record a bundle.
 *
 * The harness gives each host of the scenario its own network namespace
 * with a TUN device, and plays the links and the pausable router itself:
 * it reads every packet a host's kernel sends from that host's TUN and
 * writes it into the peer's TUN after the scenario's delay, holding it
 * while the router is paused.  The hosts' socket calls are made from the
 * same process at their scheduled times, and the kernel's own TCP state
 * changes come from the sock:inet_sock_set_state tracepoint.  Everything
 * is timed on CLOCK_MONOTONIC from one start.
 *
 * The bundle format is documented in docs/capture-bundle.md.
 */
#pragma once

#include <glib.h>

#include "tl-scenario.h"

G_BEGIN_DECLS

#define TL_CAPTURE_ERROR (tl_capture_error_quark ())
GQuark tl_capture_error_quark (void);

typedef enum
{
  TL_CAPTURE_ERROR_ENVIRONMENT,  /* no privileges, no namespaces, TUN or tracefs */
  TL_CAPTURE_ERROR_SCENARIO,     /* the scenario asks for what real sockets cannot do */
  TL_CAPTURE_ERROR_OUTPUT,       /* the bundle could not be written */
  TL_CAPTURE_ERROR_INTERRUPTED,  /* SIGINT or SIGTERM: nothing was kept */
  TL_CAPTURE_ERROR_FAILED,       /* a system call failed during the run */
} TlCaptureError;

/* Why the run ended; written to meta.json as "stop_reason". */
typedef enum
{
  TL_CAPTURE_STOP_DURATION,   /* the scenario's duration */
  TL_CAPTURE_STOP_LIMIT,      /* the --duration cap */
  TL_CAPTURE_STOP_QUIET,      /* all sockets closed or in TIME-WAIT: see the stop rule */
} TlCaptureStop;

/* The quiet time of the stop rule (docs/capture-bundle.md, "When a capture
 * stops"): the simulator ends its run by the same rule. */
#define TL_CAPTURE_QUIET_TIME TL_MSEC (500)

typedef struct
{
  const char *output;        /* the bundle directory to create */
  TlTime      max_duration;  /* cap on the run; TL_TIME_NEVER for none */
  gboolean    full_duration; /* ignore the stop rule, run the whole duration */
  gboolean    force;         /* replace an existing bundle */
  /* The scenario file as the user wrote it, copied to scenario.scn; NULL
   * writes tl_scenario_to_string() instead (after --set overrides). */
  const char *scenario_text;
  gsize       scenario_text_length;
  /* Progress lines ("namespaces ready", "running for 3 s"); may be NULL. */
  void      (*progress) (const char *line,
                         gpointer    data);
  gpointer    progress_data;
} TlCaptureOptions;

typedef struct
{
  TlCaptureStop stop;
  TlTime        end_time;       /* scenario time at which the run stopped */
  guint         n_packets[2];   /* packets each host sent */
  guint         n_states;       /* lines in states.jsonl */
  guint         n_warnings;     /* things the real run could not honour */
} TlCaptureSummary;

void     tl_capture_options_init (TlCaptureOptions       *options);

/* Runs SCENARIO and writes the bundle at OPTIONS->output.  Needs root
 * (CAP_NET_ADMIN and CAP_SYS_ADMIN); without it fails at once with
 * TL_CAPTURE_ERROR_ENVIRONMENT, touching nothing.  Every namespace, TUN
 * device and tracefs instance it made is gone when it returns, whatever
 * happened; SIGINT and SIGTERM end it with TL_CAPTURE_ERROR_INTERRUPTED. */
gboolean tl_capture_run          (const TlScenario       *scenario,
                                  const TlCaptureOptions *options,
                                  TlCaptureSummary       *summary,
                                  GError                **error);

/* Removes namespaces, tracefs instances and bundle temp directories that
 * captures of processes no longer alive left behind (after a SIGKILL).
 * Returns how many were removed; fails only without privileges. */
gint     tl_capture_cleanup_stale (const char            *output,
                                   GError               **error);

/* Checks that this process may capture (privileges, /dev/net/tun, tracefs
 * with the sock:inet_sock_set_state event); explains what is missing. */
gboolean tl_capture_check_environment (GError **error);

const char *tl_capture_stop_to_string (TlCaptureStop stop);

/* The bundled default scenario, simultaneous-open-router-pause.scn, from
 * the source tree when run uninstalled or from the installed data; NULL
 * when neither has it. */
char       *tl_capture_default_scenario (void);

G_END_DECLS

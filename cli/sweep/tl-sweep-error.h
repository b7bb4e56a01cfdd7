/* tl-sweep-error.h: the errors sweeps and merges report. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TL_SWEEP_ERROR (tl_sweep_error_quark ())
GQuark tl_sweep_error_quark (void);

typedef enum
{
  TL_SWEEP_ERROR_USAGE,     /* a bad option value; the message names the option */
  TL_SWEEP_ERROR_SCENARIO,  /* the scenario rejected a point's values */
  TL_SWEEP_ERROR_INPUT,     /* merge: an unreadable or inconsistent input */
  TL_SWEEP_ERROR_OUTPUT,    /* an output file could not be written */
} TlSweepError;

G_END_DECLS

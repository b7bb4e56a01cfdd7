/* tl-params.h: the parameters of a scenario that the side panel shows.
 *
 * Each parameter is one key of tl_scenario_set ("A->B.delay",
 * "B.connect.at", "router.pause.1.end", "A.syn-retries", "seed"...), with
 * the value the working copy holds and what the panel needs to offer it
 * (kind of widget, range, group, label).  Built from the public TlScenario
 * fields only, so the panel follows whatever the file describes: one row
 * per socket call, per pause window, per host.
 */
#pragma once

#include <glib.h>

#include "tl-scenario.h"

G_BEGIN_DECLS

typedef enum
{
  TL_PARAM_TIME,     /* a TlTime, edited in milliseconds */
  TL_PARAM_COUNT,    /* an unsigned integer */
  TL_PARAM_SWITCH,   /* on / off */
  TL_PARAM_CHOICE,   /* one of a few words (the profile) */
  TL_PARAM_TEXT,     /* free text checked by the scenario (the seed) */
} TlParamType;

typedef struct
{
  char         *key;          /* for tl_scenario_set */
  char         *group;        /* "Run", "Links", "Router", "Host A"... */
  char         *label;        /* "A → B delay" */
  char         *tooltip;
  TlParamType   type;
  gint64        value;        /* TIME (ns), COUNT, SWITCH (0/1), CHOICE index */
  gint64        min;
  gint64        max;
  const char * const *choices;  /* CHOICE: NULL-terminated */
  char         *text;         /* TEXT */
} TlParam;

void       tl_param_free              (TlParam          *param);
/* The parameters in panel order. */
GPtrArray *tl_params_from_scenario    (const TlScenario *scenario);
/* Whether two lists have the same keys in the same order: then the panel
 * only updates values instead of rebuilding. */
gboolean   tl_params_same_keys        (GPtrArray        *a,
                                       GPtrArray        *b);

/* Exact text for tl_scenario_set: "12.345ms", "250us", "3", "on", "linux". */
char      *tl_param_format_value      (const TlParam    *param,
                                       gint64            value);
char      *tl_param_format_time       (TlTime            t);

/* The key that moves a socket call: "B.connect.at" for the first connect
 * of host B, "B.close.2.at" for its second close. */
char      *tl_param_call_key          (const char       *host_name,
                                       TlCallKind        kind,
                                       guint             ordinal);
/* "router.pause.1.start" / ".end", N counted from 1. */
char      *tl_param_pause_key         (guint             n,
                                       gboolean          end);
/* "A->B.delay". */
char      *tl_param_link_key          (const TlScenario *scenario,
                                       guint             from,
                                       const char       *field);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlParam, tl_param_free)

G_END_DECLS

/* tl-params.c: which scenario values the side panel offers, and how. */
#include "tl-params.h"

#include <string.h>

static const char * const profile_choices[] = { "rfc9293", "linux", NULL };

/* The host settings worth turning while exploring timing, with the ranges
 * the scenario format accepts (docs/scenario-format.md). */
typedef struct
{
  const char  *key;
  const char  *label;
  const char  *tooltip;
  TlParamType  type;
  gsize        offset;
  gint64       min;
  gint64       max;
} HostSetting;

#define TIME_SETTING(key, label, tip, field, lo, hi) \
  { key, label, tip, TL_PARAM_TIME, G_STRUCT_OFFSET (TlHostSettings, field), lo, hi }
#define COUNT_SETTING(key, label, tip, field, lo, hi) \
  { key, label, tip, TL_PARAM_COUNT, G_STRUCT_OFFSET (TlHostSettings, field), lo, hi }
#define SWITCH_SETTING(key, label, tip, field) \
  { key, label, tip, TL_PARAM_SWITCH, G_STRUCT_OFFSET (TlHostSettings, field), 0, 1 }

static const HostSetting host_settings[] = {
  COUNT_SETTING ("syn-retries", "SYN retries",
                 "net.ipv4.tcp_syn_retries: SYN retransmissions before connect() fails",
                 syn_retries, 1, 127),
  COUNT_SETTING ("synack-retries", "SYN,ACK retries",
                 "net.ipv4.tcp_synack_retries: SYN,ACK retransmissions of a listener",
                 synack_retries, 0, 255),
  COUNT_SETTING ("syn-linear-timeouts", "Linear SYN timeouts",
                 "net.ipv4.tcp_syn_linear_timeouts (Linux 6.5+): SYN retransmissions 1 s apart before backing off",
                 syn_linear_timeouts, 0, 127),
  TIME_SETTING ("rto-initial", "Initial RTO",
                "Retransmission timeout before any RTT sample (RFC 6298: 1 s)",
                rto_initial, TL_MSEC (1), TL_SEC (3600)),
  TIME_SETTING ("rto-min", "Minimum RTO", "Lower bound of the retransmission timeout",
                rto_min, TL_MSEC (1), TL_SEC (3600)),
  TIME_SETTING ("rto-max", "Maximum RTO", "Upper bound of the retransmission timeout",
                rto_max, TL_MSEC (1), TL_SEC (3600)),
  TIME_SETTING ("delayed-ack", "Delayed ACK", "How long an ACK may wait for data to ride on",
                delayed_ack, 0, TL_SEC (10)),
  TIME_SETTING ("time-wait", "TIME-WAIT", "How long a socket stays in TIME-WAIT (Linux: 60 s)",
                time_wait, 0, TL_SEC (3600)),
  TIME_SETTING ("invalid-ratelimit", "Challenge ACK gap",
                "net.ipv4.tcp_invalid_ratelimit: at most one challenge/duplicate ACK per this interval",
                invalid_ratelimit, 0, TL_SEC (3600)),
  SWITCH_SETTING ("timestamps", "Timestamps", "net.ipv4.tcp_timestamps", timestamps),
  SWITCH_SETTING ("sack", "SACK", "net.ipv4.tcp_sack", sack),
  SWITCH_SETTING ("window-scaling", "Window scaling", "net.ipv4.tcp_window_scaling",
                  window_scaling),
};

#undef TIME_SETTING
#undef COUNT_SETTING
#undef SWITCH_SETTING

void
tl_param_free (TlParam *param)
{
  if (param == NULL)
    return;
  g_free (param->key);
  g_free (param->group);
  g_free (param->label);
  g_free (param->tooltip);
  g_free (param->text);
  g_free (param);
}

char *
tl_param_format_time (TlTime t)
{
  /* The largest unit that keeps the value an integer: exact, and what a
   * person would write in the file. */
  if (t % TL_MSEC (1) == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "ms", t / TL_MSEC (1));
  if (t % TL_USEC (1) == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT "us", t / TL_USEC (1));
  return g_strdup_printf ("%" G_GINT64_FORMAT "ns", t);
}

char *
tl_param_format_value (const TlParam *param,
                       gint64         value)
{
  switch (param->type)
    {
    case TL_PARAM_TIME:
      return tl_param_format_time (value);
    case TL_PARAM_COUNT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value);
    case TL_PARAM_SWITCH:
      return g_strdup (value ? "on" : "off");
    case TL_PARAM_CHOICE:
      return g_strdup (param->choices[value]);
    case TL_PARAM_TEXT:
      return g_strdup (param->text);
    default:
      g_return_val_if_reached (NULL);
    }
}

static const char *
host_name (const TlScenario *scenario,
           guint             host)
{
  const char *name = scenario->hosts[host].name;

  return name != NULL ? name : (host == TL_HOST_A ? "A" : "B");
}

char *
tl_param_call_key (const char *host,
                   TlCallKind  kind,
                   guint       ordinal)
{
  if (ordinal <= 1)
    return g_strdup_printf ("%s.%s.at", host, tl_call_to_string (kind));
  return g_strdup_printf ("%s.%s.%u.at", host, tl_call_to_string (kind), ordinal);
}

char *
tl_param_pause_key (guint    n,
                    gboolean end)
{
  return g_strdup_printf ("router.pause.%u.%s", n, end ? "end" : "start");
}

char *
tl_param_link_key (const TlScenario *scenario,
                   guint             from,
                   const char       *field)
{
  return g_strdup_printf ("%s->%s.%s", host_name (scenario, from),
                          host_name (scenario, 1 - from), field);
}

static TlParam *
add_param (GPtrArray   *params,
           const char  *group,
           char        *key,      /* taken */
           char        *label,    /* taken */
           const char  *tooltip,
           TlParamType  type,
           gint64       value,
           gint64       min,
           gint64       max)
{
  TlParam *param = g_new0 (TlParam, 1);

  param->key = key;
  param->group = g_strdup (group);
  param->label = label;
  param->tooltip = g_strdup (tooltip);
  param->type = type;
  param->value = value;
  param->min = min;
  param->max = max;
  g_ptr_array_add (params, param);
  return param;
}

static void
add_run_params (GPtrArray        *params,
                const TlScenario *scenario)
{
  TlParam *param;

  param = add_param (params, "Run", g_strdup ("profile"), g_strdup ("Profile"),
                     "rfc9293: the standard's behaviour; linux: what Linux 6.x does",
                     TL_PARAM_CHOICE, scenario->profile == TL_PROFILE_LINUX ? 1 : 0,
                     0, 1);
  param->choices = profile_choices;

  param = add_param (params, "Run", g_strdup ("seed"), g_strdup ("Seed"),
                     "Seeds the random numbers (ISNs, jitter, loss): same seed, same run",
                     TL_PARAM_TEXT, 0, 0, 0);
  param->text = g_strdup_printf ("%" G_GUINT64_FORMAT, scenario->seed);

  add_param (params, "Run", g_strdup ("duration"), g_strdup ("Duration"),
             "The simulation stops at this time", TL_PARAM_TIME,
             scenario->duration, TL_MSEC (1), TL_SEC (3600));
}

static void
add_link_params (GPtrArray        *params,
                 const TlScenario *scenario)
{
  for (guint from = 0; from < 2; from++)
    {
      const TlLinkConfig *link = &scenario->links[from];
      const char *a = host_name (scenario, from);
      const char *b = host_name (scenario, 1 - from);

      add_param (params, "Links", tl_param_link_key (scenario, from, "delay"),
                 g_strdup_printf ("%s → %s delay", a, b),
                 "One-way delay, through the router if there is one",
                 TL_PARAM_TIME, link->delay, 0, TL_SEC (60));
      add_param (params, "Links", tl_param_link_key (scenario, from, "jitter"),
                 g_strdup_printf ("%s → %s jitter", a, b),
                 "Each packet gets an extra random delay of up to this much",
                 TL_PARAM_TIME, link->jitter, 0, TL_SEC (60));
    }
}

static void
add_router_params (GPtrArray        *params,
                   const TlScenario *scenario)
{
  if (!scenario->has_router)
    return;

  for (guint i = 0; i < scenario->pauses->len; i++)
    {
      const TlPauseWindow *window = &g_array_index (scenario->pauses, TlPauseWindow, i);
      const char *which = scenario->pauses->len > 1 ? " " : "";
      g_autofree char *n = scenario->pauses->len > 1 ? g_strdup_printf ("%u", i + 1)
                                                     : g_strdup ("");

      add_param (params, "Router", tl_param_pause_key (i + 1, FALSE),
                 g_strdup_printf ("Pause%s%s from", which, n),
                 "The router holds every packet from this time…",
                 TL_PARAM_TIME, window->start, 0, scenario->duration);
      add_param (params, "Router", tl_param_pause_key (i + 1, TRUE),
                 g_strdup_printf ("Pause%s%s until", which, n),
                 "…and releases them, in order, at this time",
                 TL_PARAM_TIME, window->end, 0, scenario->duration);
    }
  add_param (params, "Router", g_strdup ("router.release-gap"),
             g_strdup ("Release gap"),
             "Time between packets released after a pause (0: back to back)",
             TL_PARAM_TIME, scenario->release_gap, 0, TL_SEC (10));
  add_param (params, "Router", g_strdup ("router.queue"), g_strdup ("Queue"),
             "Packets the paused router holds at most; more are dropped",
             TL_PARAM_COUNT, scenario->router_queue, 0, 1000000);
}

static char *
call_label (const TlScenarioCall *call,
            guint                 n_same_kind)
{
  const char *name = tl_call_to_string (call->kind);
  const char *which = call->on_listener ? " (listener)" : "";

  if (n_same_kind > 1)
    return g_strdup_printf ("%s()%s #%u at", name, which, call->ordinal);
  return g_strdup_printf ("%s()%s at", name, which);
}

static void
add_call_params (GPtrArray        *params,
                 const TlScenario *scenario,
                 guint             host,
                 TlCallKind        kind,
                 guint             n_of_kind)
{
  const TlScenarioHost *h = &scenario->hosts[host];
  const char *name = host_name (scenario, host);
  g_autofree char *group = g_strdup_printf ("Host %s", name);

  for (guint i = 0; n_of_kind > 0 && i < h->calls->len; i++)
    {
      const TlScenarioCall *call = &g_array_index (h->calls, TlScenarioCall, i);
      g_autofree char *tooltip = NULL;

      if (call->kind != kind)
        continue;
      tooltip = g_strdup_printf ("When %s calls %s()%s (line %u of the scenario); "
                                 "drag it on the diagram too",
                                 name, tl_call_to_string (call->kind),
                                 call->on_listener ? " on the listening socket" : "",
                                 call->line);
      add_param (params, group,
                 tl_param_call_key (name, call->kind, call->ordinal),
                 call_label (call, n_of_kind),
                 tooltip, TL_PARAM_TIME, call->at, 0, scenario->duration);
    }
}

static void
add_host_params (GPtrArray        *params,
                 const TlScenario *scenario,
                 guint             host)
{
  const TlScenarioHost *h = &scenario->hosts[host];
  const char *name = host_name (scenario, host);
  g_autofree char *group = g_strdup_printf ("Host %s", name);
  guint n_of_kind[TL_N_CALLS] = { 0 };

  for (guint i = 0; h->calls != NULL && i < h->calls->len; i++)
    {
      const TlScenarioCall *call = &g_array_index (h->calls, TlScenarioCall, i);

      if (call->kind < TL_N_CALLS)
        n_of_kind[call->kind]++;
    }

  /* Rows by kind, in the enum's lifecycle order (bind, listen, connect,
   * send, shutdown, close), then by ordinal: moving a call in time never
   * reorders the rows under the user's pointer. */
  for (guint kind = 0; kind < TL_N_CALLS; kind++)
    add_call_params (params, scenario, host, (TlCallKind) kind,
                     h->calls != NULL && kind < TL_N_CALLS ? n_of_kind[kind] : 0);

  for (guint i = 0; i < G_N_ELEMENTS (host_settings); i++)
    {
      const HostSetting *s = &host_settings[i];
      const guint8 *field = (const guint8 *) &h->settings + s->offset;
      gint64 value;

      switch (s->type)
        {
        case TL_PARAM_TIME:
          value = *(const TlTime *) field;
          break;
        case TL_PARAM_SWITCH:
          value = *(const gboolean *) field ? 1 : 0;
          break;
        case TL_PARAM_COUNT:
        case TL_PARAM_CHOICE:
        case TL_PARAM_TEXT:
        default:
          value = *(const guint *) field;
          break;
        }
      add_param (params, group, g_strdup_printf ("%s.%s", name, s->key),
                 g_strdup (s->label), s->tooltip, s->type, value, s->min, s->max);
    }
}

GPtrArray *
tl_params_from_scenario (const TlScenario *scenario)
{
  GPtrArray *params = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_param_free);

  g_return_val_if_fail (scenario != NULL, params);

  add_run_params (params, scenario);
  add_link_params (params, scenario);
  add_router_params (params, scenario);
  for (guint host = 0; host < TL_MAX_HOSTS; host++)
    add_host_params (params, scenario, host);
  return params;
}

gboolean
tl_params_same_keys (GPtrArray *a,
                     GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const TlParam *pa = g_ptr_array_index (a, i);
      const TlParam *pb = g_ptr_array_index (b, i);

      if (strcmp (pa->key, pb->key) != 0 || pa->type != pb->type
          || strcmp (pa->label, pb->label) != 0)
        return FALSE;
    }
  return TRUE;
}

/* tl-scenario-set.c: --set KEY=VALUE, one value of a parsed scenario.
 *
 * Keys name what the file names, joined with dots: "seed", "A.port",
 * "timestamps" (both hosts), "A->B.delay", "A<->B.loss", "router.queue",
 * "router.pause.1.end", "B.connect.at", "A.send.2.data".  Each set checks
 * its own value; rules that span fields (a call after the end of the run)
 * are left to tl_scenario_validate, which the caller runs after the last
 * set, so a series of sets may pass through an inconsistent state.
 */
#include "tl-scenario-private.h"

#include <string.h>

static const char * const top_keys[] = {
  "name", "description", "profile", "seed", "duration", "max-events", "router",
};
static const char * const host_keys[] = { "address", "port", "isn" };
static const char * const link_keys[] = { "delay", "jitter", "loss", "rate" };
static const char * const router_keys[] = { "queue", "release-gap", "pause" };

static gboolean G_GNUC_PRINTF (4, 5)
set_error (GError    **error,
           int         code,
           const char *key,
           const char *format,
           ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TL_SCENARIO_ERROR, code, "%s: %s", key, message);
  return FALSE;
}

/* A reader's message, put after the key. */
static gboolean
bad_value (GError    **error,
           const char *key,
           char       *message)
{
  set_error (error, TL_SCENARIO_ERROR_INVALID, key, "%s", message);
  g_free (message);
  return FALSE;
}

static gboolean
unknown_key (GError             **error,
             const char          *key,
             const char          *prefix,
             const char          *word,
             const char * const  *candidates,
             guint                n_candidates,
             const char          *hint)
{
  const char *suggestion = tl_scenario_suggest (word, candidates, n_candidates);
  g_autofree char *clipped = tl_scenario_clip (key);

  if (suggestion != NULL)
    g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_UNKNOWN_KEY,
                 "unknown key '%s' (did you mean '%s%s'?)", clipped, prefix, suggestion);
  else
    g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_UNKNOWN_KEY,
                 "unknown key '%s'%s%s", clipped, hint != NULL ? " " : "",
                 hint != NULL ? hint : "");
  return FALSE;
}

/* ---- profile ---- */

/* Settings still at the old profile's default follow the new profile;
 * values set on purpose stay. */
static void
change_profile (TlScenario  *scenario,
                TlProfileId  profile)
{
  TlHostSettings old_defaults, new_defaults;

  tl_host_settings_init (&old_defaults, scenario->profile);
  tl_host_settings_init (&new_defaults, profile);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    for (guint k = 0; k < TL_N_HOST_SETTINGS; k++)
      {
        const TlSettingInfo *info = &tl_setting_infos[k];
        TlHostSettings *settings = &scenario->hosts[i].settings;
        if (tl_setting_get (info, settings) == tl_setting_get (info, &old_defaults))
          tl_setting_set (info, settings, tl_setting_get (info, &new_defaults));
      }
  scenario->profile = profile;
}

/* ---- top level ---- */

static gboolean
set_top (TlScenario  *scenario,
         const char  *key,
         const char  *value,
         GError     **error)
{
  char *message = NULL;
  guint64 n;

  if (strcmp (key, "name") == 0)
    {
      g_autofree char *name = tl_scenario_normalize_text (value);
      if (name[0] == '\0' || !g_utf8_validate (name, -1, NULL))
        return set_error (error, TL_SCENARIO_ERROR_INVALID, key,
                          "a scenario name must be non-empty text");
      g_free (scenario->name);
      scenario->name = g_steal_pointer (&name);
      return TRUE;
    }
  if (strcmp (key, "description") == 0)
    {
      g_autofree char *text = tl_scenario_normalize_text (value);
      if (!g_utf8_validate (text, -1, NULL) || strstr (text, "\"\"\"") != NULL)
        return set_error (error, TL_SCENARIO_ERROR_INVALID, key,
                          "a description is UTF-8 text without \"\"\"");
      g_free (scenario->description);
      scenario->description = text[0] != '\0' ? g_steal_pointer (&text) : NULL;
      return TRUE;
    }
  if (strcmp (key, "profile") == 0)
    {
      TlProfileId profile;
      if (!tl_scenario_read_profile (value, &profile, &message))
        return bad_value (error, key, message);
      change_profile (scenario, profile);
      return TRUE;
    }
  if (strcmp (key, "seed") == 0)
    {
      if (!tl_scenario_read_uint (value, "seed", 0, G_MAXUINT64, &n, &message))
        return bad_value (error, key, message);
      scenario->seed = n;
      return TRUE;
    }
  if (strcmp (key, "duration") == 0)
    {
      TlTime t;
      if (!tl_scenario_read_time (value, &t, &message))
        return bad_value (error, key, message);
      if (t <= 0)
        return set_error (error, TL_SCENARIO_ERROR_INVALID, key,
                          "the duration must be longer than 0s");
      scenario->duration = t;
      return TRUE;
    }
  if (strcmp (key, "max-events") == 0)
    {
      if (!tl_scenario_read_uint (value, "max-events", 1, TL_SCENARIO_MAX_EVENTS_LIMIT,
                                  &n, &message))
        return bad_value (error, key, message);
      scenario->max_events = (guint) n;
      return TRUE;
    }
  if (strcmp (key, "router") == 0)
    {
      gboolean on;
      if (!tl_scenario_read_switch (value, &on, &message))
        return bad_value (error, key, message);
      scenario->has_router = on;
      if (!on)
        {
          g_array_set_size (scenario->pauses, 0);
          scenario->router_queue = TL_SCENARIO_DEFAULT_QUEUE;
          scenario->release_gap = 0;
        }
      return TRUE;
    }
  g_assert_not_reached ();
}

/* ---- router ---- */

static int
compare_windows (gconstpointer a,
                 gconstpointer b)
{
  const TlPauseWindow *x = a, *y = b;

  if (x->start != y->start)
    return x->start < y->start ? -1 : 1;
  return x->end < y->end ? -1 : x->end > y->end;
}

/* "0s..3s,5s..6s" or "none": all windows at once. */
static gboolean
set_all_pauses (TlScenario  *scenario,
                const char  *key,
                const char  *value,
                GError     **error)
{
  g_autoptr(GArray) windows = g_array_new (FALSE, FALSE, sizeof (TlPauseWindow));
  char *message = NULL;

  if (strcmp (value, "none") != 0)
    {
      g_auto(GStrv) parts = g_strsplit (value, ",", -1);
      for (guint i = 0; parts[i] != NULL; i++)
        {
          TlPauseWindow w;
          g_strstrip (parts[i]);
          if (!tl_scenario_read_window (parts[i], &w, &message))
            return bad_value (error, key, message);
          g_array_append_val (windows, w);
        }
      g_array_sort (windows, compare_windows);
      for (guint i = 1; i < windows->len; i++)
        if (g_array_index (windows, TlPauseWindow, i).start
            < g_array_index (windows, TlPauseWindow, i - 1).end)
          return set_error (error, TL_SCENARIO_ERROR_INVALID, key,
                            "pause windows overlap");
    }
  g_array_set_size (scenario->pauses, 0);
  g_array_append_vals (scenario->pauses, windows->data, windows->len);
  scenario->has_router = TRUE;
  return TRUE;
}

static gboolean
set_router (TlScenario  *scenario,
            const char  *key,
            char       **parts,
            const char  *value,
            GError     **error)
{
  guint n_parts = g_strv_length (parts);
  char *message = NULL;
  const char *sub = parts[1];

  if (n_parts == 2 && strcmp (sub, "queue") == 0)
    {
      guint64 n;
      if (!tl_scenario_read_uint (value, "queue", 0, TL_SCENARIO_MAX_QUEUE, &n, &message))
        return bad_value (error, key, message);
      scenario->router_queue = (guint) n;
    }
  else if (n_parts == 2 && strcmp (sub, "release-gap") == 0)
    {
      if (!tl_scenario_read_time (value, &scenario->release_gap, &message))
        return bad_value (error, key, message);
    }
  else if (n_parts == 2 && strcmp (sub, "pause") == 0)
    return set_all_pauses (scenario, key, value, error);
  else if (n_parts == 4 && strcmp (sub, "pause") == 0
           && (strcmp (parts[3], "start") == 0 || strcmp (parts[3], "end") == 0))
    {
      guint64 index;
      TlTime t;
      TlPauseWindow *w;

      if (!tl_scenario_read_uint (parts[2], "window number", 1, G_MAXUINT, &index, &message))
        return bad_value (error, key, message);
      if (index > scenario->pauses->len)
        return set_error (error, TL_SCENARIO_ERROR_INVALID, key,
                          "there %s only %u pause window%s (router.pause sets them all)",
                          scenario->pauses->len == 1 ? "is" : "are",
                          scenario->pauses->len, scenario->pauses->len == 1 ? "" : "s");
      if (!tl_scenario_read_time (value, &t, &message))
        return bad_value (error, key, message);
      w = &g_array_index (scenario->pauses, TlPauseWindow, index - 1);
      if (parts[3][0] == 's')
        w->start = t;
      else
        w->end = t;
    }
  else if (n_parts == 2)
    return unknown_key (error, key, "router.", sub, router_keys,
                        G_N_ELEMENTS (router_keys), NULL);
  else
    return unknown_key (error, key, "", "", NULL, 0,
                        "(router keys: router, router.queue, router.release-gap, "
                        "router.pause, router.pause.N.start, router.pause.N.end)");
  scenario->has_router = TRUE;
  return TRUE;
}

/* ---- links ---- */

static gboolean
set_link (TlScenario  *scenario,
          const char  *key,
          const char  *spec,
          const char  *sub,
          const char  *value,
          GError     **error)
{
  const char *arrow = strstr (spec, "<->");
  gboolean both = arrow != NULL;
  gsize arrow_len = both ? 3 : 2;
  g_autofree char *from = NULL;
  gint from_index, to_index;
  TlLinkConfig *links = scenario->links;
  char *message = NULL;
  gint field = -1;

  if (arrow == NULL)
    arrow = strstr (spec, "->");
  from = g_strndup (spec, (gsize) (arrow - spec));
  from_index = tl_scenario_find_host (scenario, from);
  to_index = tl_scenario_find_host (scenario, arrow + arrow_len);
  if (from_index < 0 || to_index < 0 || from_index == to_index)
    {
      g_autofree char *hint = NULL;
      if (scenario->hosts[0].name != NULL && scenario->hosts[1].name != NULL)
        hint = g_strdup_printf ("(the links are %s->%s, %s->%s and %s<->%s)",
                                scenario->hosts[0].name, scenario->hosts[1].name,
                                scenario->hosts[1].name, scenario->hosts[0].name,
                                scenario->hosts[0].name, scenario->hosts[1].name);
      return unknown_key (error, key, "", "", NULL, 0, hint);
    }
  if (sub == NULL)
    return unknown_key (error, key, "", "", NULL, 0,
                        "(link keys end in .delay, .jitter, .loss or .rate)");
  for (guint i = 0; i < G_N_ELEMENTS (link_keys); i++)
    if (strcmp (sub, link_keys[i]) == 0)
      field = (gint) i;
  if (field < 0)
    {
      g_autofree char *prefix = g_strdup_printf ("%s.", spec);
      return unknown_key (error, key, prefix, sub, link_keys, G_N_ELEMENTS (link_keys), NULL);
    }

  {
    TlLinkConfig update = links[from_index];
    switch (field)
      {
      case 0:
      case 1:
        {
          TlTime t;
          if (!tl_scenario_read_time (value, &t, &message))
            return bad_value (error, key, message);
          if (field == 0)
            update.delay = t;
          else
            update.jitter = t;
        }
        break;
      case 2:
        if (!tl_scenario_read_loss (value, &update.loss_ppm, &message))
          return bad_value (error, key, message);
        break;
      case 3:
        if (!tl_scenario_read_rate (value, &update.rate_bps, &message))
          return bad_value (error, key, message);
        break;
      default:
        g_assert_not_reached ();
      }
    for (guint dir = 0; dir < 2; dir++)
      {
        if (!both && (gint) dir != from_index)
          continue;
        switch (field)
          {
          case 0: links[dir].delay = update.delay; break;
          case 1: links[dir].jitter = update.jitter; break;
          case 2: links[dir].loss_ppm = update.loss_ppm; break;
          case 3: links[dir].rate_bps = update.rate_bps; break;
          default: g_assert_not_reached ();
          }
      }
  }
  return TRUE;
}

/* ---- host settings ---- */

static gboolean
set_setting (TlScenario          *scenario,
             gint                 host,     /* -1: both */
             const TlSettingInfo *info,
             const char          *key,
             const char          *value,
             GError             **error)
{
  gint64 v;
  char *message = NULL;

  if (!tl_setting_parse (info, value, &v, &message))
    return bad_value (error, key, message);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    if (host < 0 || (guint) host == i)
      tl_setting_set (info, &scenario->hosts[i].settings, v);
  return TRUE;
}

/* ---- calls ---- */

static TlScenarioCall *
find_call (TlScenarioHost *host,
           TlCallKind      kind,
           guint           ordinal,
           guint          *count)
{
  TlScenarioCall *found = NULL;

  *count = 0;
  for (guint i = 0; i < host->calls->len; i++)
    {
      TlScenarioCall *call = &g_array_index (host->calls, TlScenarioCall, i);
      if (call->kind == kind && ++*count == ordinal)
        found = call;
    }
  return found;
}

static char *
strip_quotes (const char *value)
{
  gsize len = strlen (value);

  if (len >= 2 && value[0] == '"' && value[len - 1] == '"')
    return g_strndup (value + 1, len - 2);
  return g_strdup (value);
}

/* "+100ms" and "-100ms" move the call; anything else is the new time. */
static gboolean
read_call_time (const char  *value,
                TlTime       current,
                TlTime      *out,
                char       **message)
{
  TlTime delta;

  if (value[0] != '+' && value[0] != '-')
    return tl_scenario_read_time (value, out, message);
  if (!tl_scenario_read_time (value + 1, &delta, message))
    return FALSE;
  if (value[0] == '-')
    delta = -delta;
  if (current + delta < 0)
    {
      g_autofree char *clipped = tl_scenario_clip (value);
      *message = g_strdup_printf ("moving the call by %s puts it before 0s", clipped);
      return FALSE;
    }
  *out = current + delta;
  return TRUE;
}

static gboolean
set_call_field (TlScenario      *scenario,
                guint            host,
                TlScenarioCall  *call,
                const char      *key,
                const char      *field,
                const char      *value,
                GError         **error)
{
  char *message = NULL;
  const char *call_name = tl_scenario_call_name (call->kind);

  if (strcmp (field, "at") == 0)
    {
      if (!read_call_time (value, call->at, &call->at, &message))
        return bad_value (error, key, message);
      tl_scenario_sort_calls (&scenario->hosts[host]);
      return TRUE;
    }
  if (strcmp (field, "data") == 0 && call->kind == TL_CALL_SEND)
    {
      g_autofree char *text = strip_quotes (value);
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      gsize error_at;

      if (!tl_scenario_unescape (text, strlen (text), bytes, &error_at, &message))
        return bad_value (error, key, message);
      if (bytes->len == 0 || bytes->len > TL_SCENARIO_MAX_SEND)
        return set_error (error, TL_SCENARIO_ERROR_INVALID, key,
                          "a send carries 1..%d bytes", TL_SCENARIO_MAX_SEND);
      g_clear_pointer (&call->data, g_bytes_unref);
      call->value = bytes->len;
      call->data = g_byte_array_free_to_bytes (g_steal_pointer (&bytes));
      return TRUE;
    }
  if (strcmp (field, "bytes") == 0 && call->kind == TL_CALL_SEND)
    {
      guint64 n;
      if (!tl_scenario_read_bytes (value, "send size", 1, TL_SCENARIO_MAX_SEND, &n, &message))
        return bad_value (error, key, message);
      g_clear_pointer (&call->data, g_bytes_unref);
      call->value = (gint64) n;
      return TRUE;
    }
  if (strcmp (field, "value") == 0 && call->kind == TL_CALL_SETSOCKOPT)
    {
      if (!tl_scenario_read_sockopt_value (call->option, value, &call->value, &message))
        return bad_value (error, key, message);
      return TRUE;
    }
  if (strcmp (field, "mode") == 0 && call->kind == TL_CALL_READ)
    {
      TlReadMode mode;

      if (!tl_scenario_read_read_mode (value, &mode, &message))
        return bad_value (error, key, message);
      call->value = mode;
      return TRUE;
    }
  if (strcmp (field, "how") == 0 && call->kind == TL_CALL_SHUTDOWN)
    {
      if (!tl_scenario_read_shut_how (value, &call->how, &message))
        return bad_value (error, key, message);
      call->value = call->how;
      return TRUE;
    }
  if (strcmp (field, "peer") == 0 && call->kind == TL_CALL_CONNECT)
    {
      gint peer = tl_scenario_find_host (scenario, value);
      if (peer < 0 || (guint) peer == host)
        return set_error (error, TL_SCENARIO_ERROR_INVALID, key,
                          "expected the other host's name, got '%s'", value);
      call->peer = peer;
      return TRUE;
    }
  {
    static const char * const send_fields[] = { "at", "data", "bytes" };
    static const char * const sockopt_fields[] = { "at", "value" };
    static const char * const shutdown_fields[] = { "at", "how" };
    static const char * const connect_fields[] = { "at", "peer" };
    static const char * const read_fields[] = { "at", "mode" };
    static const char * const other_fields[] = { "at" };
    const char * const *fields = other_fields;
    guint n_fields = 1;
    g_autofree char *prefix = g_strndup (key, strlen (key) - strlen (field));

    switch (call->kind)
      {
      case TL_CALL_SEND: fields = send_fields; n_fields = 3; break;
      case TL_CALL_SETSOCKOPT: fields = sockopt_fields; n_fields = 2; break;
      case TL_CALL_SHUTDOWN: fields = shutdown_fields; n_fields = 2; break;
      case TL_CALL_CONNECT: fields = connect_fields; n_fields = 2; break;
      case TL_CALL_READ: fields = read_fields; n_fields = 2; break;
      case TL_CALL_NONE:
      case TL_CALL_BIND:
      case TL_CALL_LISTEN:
      case TL_CALL_ACCEPT:
      case TL_CALL_CLOSE:
      case TL_CALL_ABORT:
      case TL_N_CALLS:
      default:
        break;
      }
    {
      g_autofree char *hint = g_strdup_printf ("(a %s call has %s%s%s)", call_name,
                                               n_fields == 1 ? "only ." : ".",
                                               fields[0],
                                               n_fields == 1 ? "" : " and more");
      return unknown_key (error, key, prefix, field, fields, n_fields, hint);
    }
  }
}

/* HOST.KIND.at, HOST.KIND.N.FIELD */
static gboolean
set_call (TlScenario  *scenario,
          guint        host,
          const char  *key,
          char       **parts,
          const char  *value,
          GError     **error)
{
  guint n_parts = g_strv_length (parts);
  TlCallKind kind = tl_scenario_call_from_name (parts[1]);
  guint64 ordinal = 1;
  const char *field;
  TlScenarioCall *call;
  guint count;
  char *message = NULL;

  if (n_parts == 3)
    field = parts[2];
  else if (n_parts == 4)
    {
      g_autofree char *what = g_strdup_printf ("%s number", parts[1]);
      if (!tl_scenario_read_uint (parts[2], what, 1, G_MAXUINT, &ordinal, &message))
        {
          g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_UNKNOWN_KEY,
                       "unknown key '%s': %s", key, message);
          g_free (message);
          return FALSE;
        }
      field = parts[3];
    }
  else
    return unknown_key (error, key, "", "", NULL, 0,
                        "(call keys look like A.connect.at or A.send.2.data)");

  call = find_call (&scenario->hosts[host], kind, (guint) ordinal, &count);
  if (call == NULL)
    return set_error (error, TL_SCENARIO_ERROR_INVALID, key,
                      "host %s has %s %s call%s", scenario->hosts[host].name,
                      count == 0 ? "no" : count == 1 ? "only one" : "fewer",
                      parts[1], count == 1 ? "" : "s");
  return set_call_field (scenario, host, call, key, field, value, error);
}

static gboolean
set_host (TlScenario  *scenario,
          guint        host,
          const char  *key,
          char       **parts,
          const char  *value,
          GError     **error)
{
  TlScenarioHost *h = &scenario->hosts[host];
  const char *sub = parts[1];
  guint n_parts = g_strv_length (parts);
  const TlSettingInfo *info;
  char *message = NULL;

  if (tl_scenario_call_from_name (sub) != TL_CALL_NONE && n_parts >= 3)
    return set_call (scenario, host, key, parts, value, error);
  if (n_parts != 2)
    goto unknown;

  if (strcmp (sub, "address") == 0)
    {
      if (!tl_scenario_read_address (value, &h->addr, &message))
        return bad_value (error, key, message);
      return TRUE;
    }
  if (strcmp (sub, "port") == 0)
    {
      guint64 n;
      if (!tl_scenario_read_uint (value, "port", 1, 65535, &n, &message))
        return bad_value (error, key, message);
      h->port = (guint16) n;
      return TRUE;
    }
  if (strcmp (sub, "isn") == 0)
    {
      guint64 n;
      if (strcmp (value, "random") == 0)
        {
          h->fixed_isn = FALSE;
          h->isn = 0;
          return TRUE;
        }
      if (!tl_scenario_read_uint (value, "isn", 0, G_MAXUINT32, &n, &message))
        return bad_value (error, key, message);
      h->fixed_isn = TRUE;
      h->isn = (guint32) n;
      return TRUE;
    }
  info = tl_setting_lookup (sub);
  if (info != NULL)
    return set_setting (scenario, (gint) host, info, key, value, error);

unknown:
  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    g_autofree char *prefix = g_strdup_printf ("%s.", h->name);

    for (guint i = 0; i < G_N_ELEMENTS (host_keys); i++)
      g_ptr_array_add (names, (gpointer) host_keys[i]);
    for (guint i = 0; i < TL_N_HOST_SETTINGS; i++)
      g_ptr_array_add (names, (gpointer) tl_setting_infos[i].key);
    if (n_parts == 2)
      return unknown_key (error, key, prefix, sub, (const char * const *) names->pdata,
                          names->len, NULL);
    if (tl_scenario_call_from_name (sub) != TL_CALL_NONE)
      return unknown_key (error, key, "", "", NULL, 0,
                          "(call keys look like A.connect.at or A.send.2.data)");
    return unknown_key (error, key, prefix, sub, tl_scenario_call_names,
                        tl_scenario_n_call_names, NULL);
  }
}

gboolean
tl_scenario_set (TlScenario  *scenario,
                 const char  *key,
                 const char  *value,
                 GError     **error)
{
  g_auto(GStrv) parts = NULL;
  guint n_parts;
  gint host;
  const TlSettingInfo *info;

  g_return_val_if_fail (scenario != NULL, FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  parts = g_strsplit (key, ".", -1);
  n_parts = g_strv_length (parts);
  if (n_parts == 0 || key[0] == '\0')
    return set_error (error, TL_SCENARIO_ERROR_UNKNOWN_KEY, "--set",
                      "empty key (expected KEY=VALUE, as in seed=3)");

  if (n_parts == 1)
    {
      for (guint i = 0; i < G_N_ELEMENTS (top_keys); i++)
        if (strcmp (key, top_keys[i]) == 0)
          return set_top (scenario, key, value, error);
      info = tl_setting_lookup (key);
      if (info != NULL)
        return set_setting (scenario, -1, info, key, value, error);
    }
  if (strcmp (parts[0], "router") == 0 && n_parts >= 2)
    return set_router (scenario, key, parts, value, error);
  if (strstr (parts[0], "->") != NULL)
    return set_link (scenario, key, parts[0], n_parts == 2 ? parts[1] : NULL,
                     value, error);
  host = tl_scenario_find_host (scenario, parts[0]);
  if (host >= 0 && n_parts >= 2)
    return set_host (scenario, (guint) host, key, parts, value, error);

  {
    g_autoptr(GPtrArray) names = g_ptr_array_new ();
    for (guint i = 0; i < G_N_ELEMENTS (top_keys); i++)
      g_ptr_array_add (names, (gpointer) top_keys[i]);
    for (guint i = 0; i < TL_N_HOST_SETTINGS; i++)
      g_ptr_array_add (names, (gpointer) tl_setting_infos[i].key);
    if (n_parts == 1)
      return unknown_key (error, key, "", key, (const char * const *) names->pdata,
                          names->len, NULL);
  }
  {
    g_autofree char *hint = NULL;
    const char *names[TL_MAX_HOSTS];
    guint n = 0;

    for (guint i = 0; i < TL_MAX_HOSTS; i++)
      if (scenario->hosts[i].name != NULL)
        names[n++] = scenario->hosts[i].name;
    if (n == 2)
      hint = g_strdup_printf ("(no host is called '%s'; the hosts are %s and %s)",
                              parts[0], names[0], names[1]);
    if (n_parts >= 2 && host < 0)
      {
        const char *suggestion = tl_scenario_suggest (parts[0], names, n);
        if (suggestion != NULL)
          {
            g_autofree char *rest = g_strjoinv (".", parts + 1);
            g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_UNKNOWN_KEY,
                         "unknown key '%s' (did you mean '%s.%s'?)", key, suggestion, rest);
            return FALSE;
          }
      }
    return unknown_key (error, key, "", "", NULL, 0, hint);
  }
}

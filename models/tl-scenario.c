/* tl-scenario.c: the scenario model: defaults, copying, loading, checking,
 * writing back and the one-line caption.
 *
 * The parser lives in tl-scenario-parse.c, --set in tl-scenario-set.c and
 * the single-value readers and writers in tl-scenario-values.c.
 */
#include "tl-scenario-private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <glib/gstdio.h>

G_DEFINE_QUARK (tl-scenario-error-quark, tl_scenario_error)

/* ---- profiles ---- */

const char *
tl_profile_to_string (TlProfileId profile)
{
  switch (profile)
    {
    case TL_PROFILE_RFC9293:
      return "rfc9293";
    case TL_PROFILE_LINUX:
      return "linux";
    default:
      return "?";
    }
}

gboolean
tl_profile_from_string (const char  *text,
                        TlProfileId *out)
{
  if (text == NULL)
    return FALSE;
  if (strcmp (text, "rfc9293") == 0)
    *out = TL_PROFILE_RFC9293;
  else if (strcmp (text, "linux") == 0)
    *out = TL_PROFILE_LINUX;
  else
    return FALSE;
  return TRUE;
}

void
tl_host_settings_init (TlHostSettings *settings,
                       TlProfileId     profile)
{
  memset (settings, 0, sizeof *settings);
  settings->syn_retries = 6;
  settings->synack_retries = 5;
  settings->mss = 1460;
  settings->rto_initial = TL_SEC (1);
  settings->orphan_retries = 0;

  switch (profile)
    {
    case TL_PROFILE_LINUX:
      settings->syn_linear_timeouts = 4;
      settings->timestamps = TRUE;
      settings->sack = TRUE;
      settings->window_scaling = TRUE;
      settings->rmem_max = 32 * 1024 * 1024;
      settings->rto_min = TL_MSEC (200);
      settings->rto_max = TL_SEC (120);
      settings->time_wait = TL_SEC (60);       /* TCP_TIMEWAIT_LEN */
      settings->delayed_ack = TL_MSEC (40);
      settings->invalid_ratelimit = TL_MSEC (500);
      settings->kernel_version = 61800;
      settings->hz = 250;
      break;
    case TL_PROFILE_RFC9293:
    default:
      settings->syn_linear_timeouts = 0;
      settings->timestamps = FALSE;
      settings->sack = FALSE;
      settings->window_scaling = FALSE;
      settings->rmem_max = 65535;
      settings->rto_min = TL_SEC (1);          /* RFC 6298 (2.4) */
      settings->rto_max = TL_SEC (60);
      settings->time_wait = TL_SEC (240);      /* 2 * MSL, MSL = 2 min */
      settings->delayed_ack = TL_MSEC (200);
      settings->invalid_ratelimit = 0;
      settings->kernel_version = 0;
      break;
    }
}

/* ---- calls ---- */

const char * const tl_scenario_call_names[] = {
  "bind", "listen", "connect", "send", "shutdown", "close", "abort", "setsockopt", "read",
};
const guint tl_scenario_n_call_names = G_N_ELEMENTS (tl_scenario_call_names);

static const TlCallKind call_kinds[] = {
  TL_CALL_BIND, TL_CALL_LISTEN, TL_CALL_CONNECT, TL_CALL_SEND, TL_CALL_SHUTDOWN,
  TL_CALL_CLOSE, TL_CALL_ABORT, TL_CALL_SETSOCKOPT, TL_CALL_READ,
};

G_STATIC_ASSERT (G_N_ELEMENTS (call_kinds) == G_N_ELEMENTS (tl_scenario_call_names));

TlCallKind
tl_scenario_call_from_name (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (call_kinds); i++)
    if (strcmp (name, tl_scenario_call_names[i]) == 0)
      return call_kinds[i];
  return TL_CALL_NONE;
}

const char *
tl_scenario_call_name (TlCallKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (call_kinds); i++)
    if (call_kinds[i] == kind)
      return tl_scenario_call_names[i];
  return NULL;
}

typedef struct
{
  TlScenarioCall call;
  guint          position;
} SortItem;

static int
compare_sort_items (const void *a,
                    const void *b)
{
  const SortItem *x = a, *y = b;

  if (x->call.at != y->call.at)
    return x->call.at < y->call.at ? -1 : 1;
  return x->position < y->position ? -1 : x->position > y->position;
}

void
tl_scenario_sort_calls (TlScenarioHost *host)
{
  GArray *calls = host->calls;
  g_autofree SortItem *items = NULL;
  guint counts[TL_N_CALLS] = { 0 };

  if (calls == NULL || calls->len == 0)
    return;
  /* qsort is not stable: the array position breaks ties. */
  items = g_new (SortItem, calls->len);
  for (guint i = 0; i < calls->len; i++)
    {
      items[i].call = g_array_index (calls, TlScenarioCall, i);
      items[i].position = i;
    }
  qsort (items, calls->len, sizeof *items, compare_sort_items);
  for (guint i = 0; i < calls->len; i++)
    {
      TlScenarioCall *call = &g_array_index (calls, TlScenarioCall, i);
      *call = items[i].call;
      if ((guint) call->kind < TL_N_CALLS)
        call->ordinal = ++counts[call->kind];
    }
}

/* ---- life cycle ---- */

static void
clear_call (gpointer data)
{
  TlScenarioCall *call = data;

  g_clear_pointer (&call->data, g_bytes_unref);
}

static GArray *
new_call_array (void)
{
  GArray *calls = g_array_new (FALSE, TRUE, sizeof (TlScenarioCall));

  g_array_set_clear_func (calls, clear_call);
  return calls;
}

TlScenario *
tl_scenario_new (void)
{
  TlScenario *scenario = g_new0 (TlScenario, 1);

  scenario->name = g_strdup ("untitled");
  scenario->profile = TL_PROFILE_RFC9293;
  scenario->seed = 0;
  scenario->duration = TL_SCENARIO_DEFAULT_DURATION;
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      tl_host_settings_init (&scenario->hosts[i].settings, scenario->profile);
      scenario->hosts[i].calls = new_call_array ();
    }
  scenario->has_router = FALSE;
  scenario->router_queue = TL_SCENARIO_DEFAULT_QUEUE;
  scenario->release_gap = 0;
  scenario->pauses = g_array_new (FALSE, TRUE, sizeof (TlPauseWindow));
  scenario->max_events = TL_SCENARIO_DEFAULT_MAX_EVENTS;
  return scenario;
}

void
tl_scenario_free (TlScenario *scenario)
{
  if (scenario == NULL)
    return;
  g_free (scenario->path);
  g_free (scenario->name);
  g_free (scenario->description);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      g_free (scenario->hosts[i].name);
      g_clear_pointer (&scenario->hosts[i].calls, g_array_unref);
    }
  g_clear_pointer (&scenario->pauses, g_array_unref);
  g_free (scenario);
}

TlScenario *
tl_scenario_copy (const TlScenario *scenario)
{
  TlScenario *copy;

  g_return_val_if_fail (scenario != NULL, NULL);

  copy = g_new0 (TlScenario, 1);
  *copy = *scenario;
  copy->path = g_strdup (scenario->path);
  copy->name = g_strdup (scenario->name);
  copy->description = g_strdup (scenario->description);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      const GArray *calls = scenario->hosts[i].calls;

      copy->hosts[i].name = g_strdup (scenario->hosts[i].name);
      copy->hosts[i].calls = new_call_array ();
      if (calls == NULL)
        continue;
      g_array_append_vals (copy->hosts[i].calls, calls->data, calls->len);
      for (guint j = 0; j < calls->len; j++)
        {
          TlScenarioCall *call = &g_array_index (copy->hosts[i].calls, TlScenarioCall, j);
          if (call->data != NULL)
            g_bytes_ref (call->data);
        }
    }
  copy->pauses = g_array_new (FALSE, TRUE, sizeof (TlPauseWindow));
  if (scenario->pauses != NULL)
    g_array_append_vals (copy->pauses, scenario->pauses->data, scenario->pauses->len);
  return copy;
}

const char *
tl_scenario_label (const TlScenario *scenario)
{
  return scenario->path != NULL ? scenario->path : "<string>";
}

gint
tl_scenario_find_host (const TlScenario *scenario,
                       const char       *name)
{
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    if (scenario->hosts[i].name != NULL && strcmp (scenario->hosts[i].name, name) == 0)
      return (gint) i;
  return -1;
}

/* ---- loading ---- */

/* Reads at most LIMIT + 1 bytes from a file that has no size to trust
 * (a pipe, /dev/stdin), so an endless stream cannot hang the reader. */
static gboolean
read_stream (const char  *path,
             GByteArray  *out,
             gsize        limit,
             GError     **error)
{
  FILE *file = fopen (path, "rb");
  guint8 buffer[16384];

  if (file == NULL)
    {
      int saved = errno;
      g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_IO,
                   "%s: cannot open: %s", path, g_strerror (saved));
      return FALSE;
    }
  while (out->len <= limit)
    {
      size_t n = fread (buffer, 1, sizeof buffer, file);
      if (n == 0)
        break;
      g_byte_array_append (out, buffer, (guint) n);
    }
  if (ferror (file))
    {
      int saved = errno;
      fclose (file);
      g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_IO,
                   "%s: cannot read: %s", path, g_strerror (saved));
      return FALSE;
    }
  fclose (file);
  return TRUE;
}

static gboolean
too_large (const char  *path,
           guint64      size,
           GError     **error)
{
  g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_LIMIT,
               "%s: the file is larger than 1 MiB (%" G_GUINT64_FORMAT
               " bytes); a scenario file is at most %d bytes",
               path, size, TL_SCENARIO_MAX_FILE_SIZE);
  return FALSE;
}

TlScenario *
tl_scenario_load (const char  *path,
                  GError     **error)
{
  GStatBuf st;
  g_autoptr(GError) local = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (g_stat (path, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_IO,
                   "%s: cannot open: %s", path, g_strerror (saved));
      return NULL;
    }
  if (S_ISDIR (st.st_mode))
    {
      g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_IO,
                   "%s: is a directory, not a scenario file", path);
      return NULL;
    }
  if (S_ISREG (st.st_mode))
    {
      if ((guint64) st.st_size > TL_SCENARIO_MAX_FILE_SIZE)
        {
          too_large (path, (guint64) st.st_size, error);
          return NULL;
        }
      if (!g_file_get_contents (path, &contents, &length, &local))
        {
          g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_IO,
                       "%s: cannot read: %s", path, local->message);
          return NULL;
        }
    }
  else
    {
      g_autoptr(GByteArray) bytes = g_byte_array_new ();
      if (!read_stream (path, bytes, TL_SCENARIO_MAX_FILE_SIZE, error))
        return NULL;
      length = bytes->len;
      contents = g_malloc (length + 1);
      /* An empty stream (/dev/null) leaves bytes->data NULL. */
      if (length > 0)
        memcpy (contents, bytes->data, length);
      contents[length] = '\0';
    }
  if (length > TL_SCENARIO_MAX_FILE_SIZE)
    {
      too_large (path, length, error);
      return NULL;
    }
  return tl_scenario_parse (contents, (gssize) length, path, error);
}

/* ---- validation ---- */

static gboolean G_GNUC_PRINTF (3, 4)
invalid (GError    **error,
         const char *label,
         const char *format,
         ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_INVALID,
               "%s: %s", label, message);
  return FALSE;
}

/* "file:12:1" when the call came from a file, otherwise "file: A's send #2". */
static char *
call_place (const TlScenario     *scenario,
            guint                 host,
            const TlScenarioCall *call)
{
  const char *label = tl_scenario_label (scenario);
  const char *name = tl_scenario_call_name (call->kind);

  if (call->line > 0)
    return g_strdup_printf ("%s:%u:%u", label, call->line, call->column);
  return g_strdup_printf ("%s: %s's %s #%u", label, scenario->hosts[host].name,
                          name != NULL ? name : "call", call->ordinal);
}

/* Like invalid(), naming the call; the place is only spelled out when
 * something is wrong, since sweeps validate on every run. */
static gboolean G_GNUC_PRINTF (5, 6)
invalid_call (GError               **error,
              const TlScenario      *scenario,
              guint                  host,
              const TlScenarioCall  *call,
              const char            *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;
  g_autofree char *place = NULL;

  if (error == NULL)
    return FALSE;
  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  place = call_place (scenario, host, call);
  g_set_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_INVALID, "%s: %s", place, message);
  return FALSE;
}

static gboolean
validate_hosts (TlScenario  *scenario,
                GError     **error)
{
  const char *label = tl_scenario_label (scenario);
  TlScenarioHost *hosts = scenario->hosts;
  g_autofree char *message = NULL;

  if (hosts[0].name == NULL)
    return invalid (error, label, "no hosts defined: a scenario needs two "
                    "'host NAME { ... }' blocks");
  if (hosts[1].name == NULL)
    return invalid (error, label, "only one host ('%s') defined: a scenario needs "
                    "two 'host NAME { ... }' blocks", hosts[0].name);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      if (!tl_scenario_host_name_valid (hosts[i].name, &message))
        return invalid (error, label, "%s", message);
      if (hosts[i].addr == 0)
        return invalid (error, label, "host '%s' has no address "
                        "(add 'address 10.0.0.1' to its block)", hosts[i].name);
      if (hosts[i].port == 0)
        return invalid (error, label, "host '%s' has no port "
                        "(add 'port 40000' to its block)", hosts[i].name);
      for (guint k = 0; k < TL_N_HOST_SETTINGS; k++)
        {
          const TlSettingInfo *info = &tl_setting_infos[k];
          gint64 value = tl_setting_get (info, &hosts[i].settings);
          g_autofree char *text = NULL;
          gint64 checked;

          /* In range is the common case; only a bad value is worth the
           * formatting that makes its message (sweeps validate per run). */
          if (info->type != TL_SETTING_KERNEL && info->type != TL_SETTING_SWITCH
              && value >= info->min && value <= info->max)
            continue;
          text = tl_setting_format (info, value);
          if (!tl_setting_parse (info, text, &checked, &message))
            return invalid (error, label, "host '%s': %s", hosts[i].name, message);
        }
      if (hosts[i].settings.rto_min > hosts[i].settings.rto_max)
        return invalid (error, label, "host '%s': rto-min is larger than rto-max",
                        hosts[i].name);
    }
  if (strcmp (hosts[0].name, hosts[1].name) == 0)
    return invalid (error, label, "both hosts are called '%s': the two host names "
                    "must differ", hosts[0].name);
  if (hosts[0].addr == hosts[1].addr)
    {
      g_autofree char *addr = tl_scenario_format_address (hosts[0].addr);
      return invalid (error, label, "hosts '%s' and '%s' have the same address %s",
                      hosts[0].name, hosts[1].name, addr);
    }
  return TRUE;
}

static gboolean
validate_call (TlScenario      *scenario,
               guint            host,
               TlScenarioCall  *call,
               GError         **error)
{
  g_autofree char *message = NULL;
  gint64 checked;

  if (tl_scenario_call_name (call->kind) == NULL)
    return invalid_call (error, scenario, host, call, "unsupported call kind %d", (int) call->kind);
  if (call->at < 0 || call->at > scenario->duration)
    {
      g_autofree char *at = tl_scenario_format_time (call->at);
      g_autofree char *end = tl_scenario_format_time (scenario->duration);
      return invalid_call (error, scenario, host, call, "the call at %s is outside the run "
                      "(0s..duration %s)", at, end);
    }
  switch (call->kind)
    {
    case TL_CALL_CONNECT:
      if (call->peer < 0 || call->peer >= TL_MAX_HOSTS || (guint) call->peer == host)
        return invalid_call (error, scenario, host, call, "%s must connect to the other host",
                        scenario->hosts[host].name);
      break;
    case TL_CALL_SEND:
      if (call->value < 1 || call->value > TL_SCENARIO_MAX_SEND)
        return invalid_call (error, scenario, host, call, "a send carries 1..%d bytes, not %" G_GINT64_FORMAT,
                        TL_SCENARIO_MAX_SEND, call->value);
      if (call->data != NULL && g_bytes_get_size (call->data) != (gsize) call->value)
        return invalid_call (error, scenario, host, call, "send: the byte count does not match the data");
      break;
    case TL_CALL_SHUTDOWN:
      if (call->how != TL_SHUT_RD && call->how != TL_SHUT_WR && call->how != TL_SHUT_RDWR)
        return invalid_call (error, scenario, host, call, "shutdown: unknown direction");
      break;
    case TL_CALL_READ:
      if (call->value != TL_READ_NOW && call->value != TL_READ_OFF && call->value != TL_READ_ON)
        return invalid_call (error, scenario, host, call, "read: unknown mode");
      break;
    case TL_CALL_SETSOCKOPT:
      {
        g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, call->value);
        if (!tl_scenario_read_sockopt_value (call->option, text, &checked, &message))
          return invalid_call (error, scenario, host, call, "setsockopt: %s", message);
      }
      break;
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
  if (call->on_listener && call->kind != TL_CALL_CLOSE)
    return invalid_call (error, scenario, host, call, "only close can apply to the listening socket");
  return TRUE;
}

static gboolean
validate_router (TlScenario  *scenario,
                 GError     **error)
{
  const char *label = tl_scenario_label (scenario);
  GArray *pauses = scenario->pauses;

  if (scenario->router_queue > TL_SCENARIO_MAX_QUEUE)
    return invalid (error, label, "router queue %u is out of range (0..%d)",
                    scenario->router_queue, TL_SCENARIO_MAX_QUEUE);
  if (scenario->release_gap < 0)
    return invalid (error, label, "router release-gap cannot be negative");
  if (pauses->len > 0 && !scenario->has_router)
    return invalid (error, label, "pause windows need a router (add a 'router { }' block)");
  for (guint i = 0; i < pauses->len; i++)
    {
      const TlPauseWindow *w = &g_array_index (pauses, TlPauseWindow, i);
      g_autofree char *start = tl_scenario_format_time (w->start);
      g_autofree char *end = tl_scenario_format_time (w->end);

      if (w->start < 0 || w->end <= w->start)
        return invalid (error, label, "router pause window %u (%s..%s) ends "
                        "before it starts", i + 1, start, end);
      if (w->end > scenario->duration)
        {
          g_autofree char *duration = tl_scenario_format_time (scenario->duration);
          return invalid (error, label, "router pause window %u (%s..%s) ends after "
                          "the run (duration %s)", i + 1, start, end, duration);
        }
      if (i > 0 && w->start < g_array_index (pauses, TlPauseWindow, i - 1).end)
        return invalid (error, label, "router pause windows %u and %u overlap or "
                        "are out of order", i, i + 1);
    }
  return TRUE;
}

gboolean
tl_scenario_validate (TlScenario  *scenario,
                      GError     **error)
{
  const char *label;

  g_return_val_if_fail (scenario != NULL, FALSE);
  label = tl_scenario_label (scenario);

  if (scenario->name == NULL || scenario->name[0] == '\0')
    return invalid (error, label, "the scenario has no name");
  if (scenario->duration <= 0)
    return invalid (error, label, "duration must be positive");
  if (scenario->max_events < 1 || scenario->max_events > TL_SCENARIO_MAX_EVENTS_LIMIT)
    return invalid (error, label, "max-events %u is out of range (1..%d)",
                    scenario->max_events, TL_SCENARIO_MAX_EVENTS_LIMIT);
  if (!validate_hosts (scenario, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (scenario->links); i++)
    {
      const TlLinkConfig *link = &scenario->links[i];
      if (link->delay < 0 || link->jitter < 0)
        return invalid (error, label, "link %s: delays cannot be negative",
                        i == 0 ? "A->B" : "B->A");
      if (link->loss_ppm > 1000000)
        return invalid (error, label, "link %s: loss is above 100%%",
                        i == 0 ? "A->B" : "B->A");
    }
  if (!validate_router (scenario, error))
    return FALSE;
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      GArray *calls = scenario->hosts[i].calls;
      guint64 sent = 0;

      tl_scenario_sort_calls (&scenario->hosts[i]);
      for (guint j = 0; j < calls->len; j++)
        {
          TlScenarioCall *call = &g_array_index (calls, TlScenarioCall, j);

          if (!validate_call (scenario, i, call, error))
            return FALSE;
          if (call->kind == TL_CALL_SEND)
            sent += (guint64) call->value;
          if (sent > TL_SCENARIO_MAX_SEND_TOTAL)
            return invalid_call (error, scenario, i, call,
                                 "with this send %s sends %" G_GUINT64_FORMAT " bytes in all; "
                                 "a host sends at most %d bytes (64 MiB) in a run",
                                 scenario->hosts[i].name, sent, TL_SCENARIO_MAX_SEND_TOTAL);
        }
    }
  return TRUE;
}

/* ---- writing ---- */

static void
append_key (GString    *out,
            const char *indent,
            const char *key,
            const char *value)
{
  g_string_append_printf (out, "%s%-*s %s\n", indent, indent[0] ? 14 : 11, key, value);
}

static void
append_text_value (GString    *out,
                   const char *text)
{
  if (tl_scenario_text_is_word (text))
    g_string_append (out, text);
  else
    tl_scenario_append_quoted (out, (const guint8 *) text, strlen (text));
}

static void
append_description (GString    *out,
                    const char *description)
{
  g_auto(GStrv) words = g_strsplit (description, " ", -1);
  gsize column = 0;

  g_string_append (out, "description \"\"\"\n");
  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize len = strlen (words[i]);
      if (column > 0 && column + 1 + len > 72)
        {
          g_string_append_c (out, '\n');
          column = 0;
        }
      else if (column > 0)
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += len;
    }
  g_string_append (out, "\n\"\"\"\n");
}

static void
append_host (GString          *out,
             const TlScenario *scenario,
             guint             index)
{
  const TlScenarioHost *host = &scenario->hosts[index];
  TlHostSettings defaults;
  g_autofree char *addr = tl_scenario_format_address (host->addr);
  g_autofree char *port = g_strdup_printf ("%u", host->port);

  tl_host_settings_init (&defaults, scenario->profile);
  g_string_append_printf (out, "host %s {%s\n", host->name,
                          index == 0 ? "            # the left host" : "            # the right host");
  append_key (out, "  ", "address", addr);
  append_key (out, "  ", "port", port);
  if (host->fixed_isn)
    {
      g_autofree char *isn = g_strdup_printf ("%u", host->isn);
      append_key (out, "  ", "isn", isn);
    }
  /* Only what differs from the profile: the profile line stays meaningful. */
  for (guint k = 0; k < TL_N_HOST_SETTINGS; k++)
    {
      const TlSettingInfo *info = &tl_setting_infos[k];
      gint64 value = tl_setting_get (info, &host->settings);
      if (value != tl_setting_get (info, &defaults))
        {
          g_autofree char *text = tl_setting_format (info, value);
          append_key (out, "  ", info->key, text);
        }
    }
  g_string_append (out, "}\n");
}

static gboolean
links_equal (const TlLinkConfig *a,
             const TlLinkConfig *b)
{
  return a->delay == b->delay && a->jitter == b->jitter
         && a->loss_ppm == b->loss_ppm && a->rate_bps == b->rate_bps;
}

static void
append_link (GString            *out,
             const char         *spec,
             const TlLinkConfig *link)
{
  g_autofree char *delay = tl_scenario_format_time (link->delay);

  g_string_append_printf (out, "link %s {\n", spec);
  append_key (out, "  ", "delay", delay);
  if (link->jitter != 0)
    {
      g_autofree char *jitter = tl_scenario_format_time (link->jitter);
      append_key (out, "  ", "jitter", jitter);
    }
  if (link->loss_ppm != 0)
    {
      g_autofree char *loss = tl_scenario_format_loss (link->loss_ppm);
      append_key (out, "  ", "loss", loss);
    }
  if (link->rate_bps != 0)
    {
      g_autofree char *rate = tl_scenario_format_rate (link->rate_bps);
      append_key (out, "  ", "rate", rate);
    }
  g_string_append (out, "}\n");
}

static void
append_router (GString          *out,
               const TlScenario *scenario)
{
  g_autofree char *queue = g_strdup_printf ("%u", scenario->router_queue);
  g_autofree char *gap = tl_scenario_format_time (scenario->release_gap);

  g_string_append (out, "router {\n");
  append_key (out, "  ", "queue", queue);
  append_key (out, "  ", "release-gap", gap);
  for (guint i = 0; i < scenario->pauses->len; i++)
    {
      const TlPauseWindow *w = &g_array_index (scenario->pauses, TlPauseWindow, i);
      g_autofree char *start = tl_scenario_format_time (w->start);
      g_autofree char *end = tl_scenario_format_time (w->end);
      g_autofree char *window = g_strdup_printf ("%s .. %s", start, end);
      append_key (out, "  ", "pause", window);
    }
  g_string_append (out, "}\n");
}

static void
append_call (GString              *out,
             const TlScenario     *scenario,
             guint                 host,
             const TlScenarioCall *call)
{
  g_autofree char *at = tl_scenario_format_time (call->at);
  const char *name = tl_scenario_call_name (call->kind);

  g_string_append_printf (out, "at %-7s %s %s", at, scenario->hosts[host].name,
                          name != NULL ? name : "?");
  switch (call->kind)
    {
    case TL_CALL_CONNECT:
      if (call->peer >= 0 && call->peer < TL_MAX_HOSTS)
        g_string_append_printf (out, " %s", scenario->hosts[call->peer].name);
      break;
    case TL_CALL_SEND:
      g_string_append_c (out, ' ');
      if (call->data != NULL)
        {
          gsize size;
          const guint8 *data = g_bytes_get_data (call->data, &size);
          tl_scenario_append_quoted (out, data, size);
        }
      else
        g_string_append_printf (out, "%" G_GINT64_FORMAT, call->value);
      break;
    case TL_CALL_SHUTDOWN:
      g_string_append_printf (out, " %s", tl_scenario_shut_how_name (call->how));
      break;
    case TL_CALL_CLOSE:
      if (call->on_listener)
        g_string_append (out, " listener");
      break;
    case TL_CALL_READ:
      if (call->value != TL_READ_NOW)
        g_string_append_printf (out, " %s", tl_scenario_read_mode_name ((TlReadMode) call->value));
      break;
    case TL_CALL_SETSOCKOPT:
      g_string_append_printf (out, " %s", tl_scenario_sockopt_name (call->option));
      if (call->option == TL_SOCKOPT_SYNCNT)
        g_string_append_printf (out, " %" G_GINT64_FORMAT, call->value);
      else if (call->value == 0)
        g_string_append (out, " off");
      break;
    case TL_CALL_NONE:
    case TL_CALL_BIND:
    case TL_CALL_LISTEN:
    case TL_CALL_ACCEPT:
    case TL_CALL_ABORT:
    case TL_N_CALLS:
    default:
      break;
    }
  g_string_append_c (out, '\n');
}

/* Both hosts' calls in one time-ordered list, A first at equal times. */
static void
append_calls (GString          *out,
              const TlScenario *scenario)
{
  guint next[TL_MAX_HOSTS] = { 0 };

  for (;;)
    {
      gint best = -1;
      const TlScenarioCall *best_call = NULL;

      for (guint i = 0; i < TL_MAX_HOSTS; i++)
        {
          GArray *calls = scenario->hosts[i].calls;
          const TlScenarioCall *call;

          if (calls == NULL || next[i] >= calls->len)
            continue;
          call = &g_array_index (calls, TlScenarioCall, next[i]);
          if (best_call == NULL || call->at < best_call->at)
            {
              best = (gint) i;
              best_call = call;
            }
        }
      if (best < 0)
        break;
      append_call (out, scenario, (guint) best, best_call);
      next[best]++;
    }
}

char *
tl_scenario_to_string (const TlScenario *scenario)
{
  GString *out;
  g_autofree char *seed = NULL, *duration = NULL, *max_events = NULL;

  g_return_val_if_fail (scenario != NULL, NULL);

  out = g_string_new ("# tcpladder scenario (docs/scenario-format.md)\n");
  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, scenario->seed);
  duration = tl_scenario_format_time (scenario->duration);
  max_events = g_strdup_printf ("%u", scenario->max_events);

  g_string_append (out, "name        ");
  append_text_value (out, scenario->name != NULL ? scenario->name : "untitled");
  g_string_append_c (out, '\n');
  if (scenario->description != NULL && scenario->description[0] != '\0')
    append_description (out, scenario->description);
  append_key (out, "", "profile", tl_profile_to_string (scenario->profile));
  append_key (out, "", "seed", seed);
  append_key (out, "", "duration", duration);
  if (scenario->max_events != TL_SCENARIO_DEFAULT_MAX_EVENTS)
    append_key (out, "", "max-events", max_events);

  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    if (scenario->hosts[i].name != NULL)
      {
        g_string_append_c (out, '\n');
        append_host (out, scenario, i);
      }

  if (scenario->hosts[0].name != NULL && scenario->hosts[1].name != NULL)
    {
      g_autofree char *both = g_strdup_printf ("%s<->%s", scenario->hosts[0].name,
                                               scenario->hosts[1].name);
      g_autofree char *ab = g_strdup_printf ("%s->%s", scenario->hosts[0].name,
                                             scenario->hosts[1].name);
      g_autofree char *ba = g_strdup_printf ("%s->%s", scenario->hosts[1].name,
                                             scenario->hosts[0].name);
      g_string_append_c (out, '\n');
      if (links_equal (&scenario->links[0], &scenario->links[1]))
        append_link (out, both, &scenario->links[0]);
      else
        {
          append_link (out, ab, &scenario->links[0]);
          append_link (out, ba, &scenario->links[1]);
        }
    }

  if (scenario->has_router)
    {
      g_string_append_c (out, '\n');
      append_router (out, scenario);
    }

  if (scenario->hosts[0].name != NULL && scenario->hosts[1].name != NULL)
    {
      g_string_append_c (out, '\n');
      append_calls (out, scenario);
    }
  return g_string_free (out, FALSE);
}

/* ---- caption ---- */

static void
append_link_caption (GString            *out,
                     const char         *from,
                     const char         *to,
                     const TlLinkConfig *link)
{
  g_autofree char *delay = tl_time_format (link->delay, 6);

  if (link->delay == 0)
    g_string_append_printf (out, ", %s->%s 0 s", from, to);
  else
    g_string_append_printf (out, ", %s->%s %s", from, to, delay);
  if (link->jitter != 0)
    {
      g_autofree char *jitter = tl_time_format (link->jitter, 6);
      g_string_append_printf (out, " jitter %s", jitter);
    }
  if (link->loss_ppm != 0)
    {
      g_autofree char *loss = tl_scenario_format_loss (link->loss_ppm);
      g_string_append_printf (out, " loss %s", loss);
    }
  if (link->rate_bps != 0)
    {
      g_autofree char *rate = tl_scenario_format_rate (link->rate_bps);
      g_string_append_printf (out, " rate %sbit/s", rate);
    }
}

char *
tl_scenario_describe (const TlScenario *scenario)
{
  GString *out = g_string_new (NULL);
  const char *a = scenario->hosts[0].name != NULL ? scenario->hosts[0].name : "A";
  const char *b = scenario->hosts[1].name != NULL ? scenario->hosts[1].name : "B";

  g_string_append_printf (out, "profile %s, seed %" G_GUINT64_FORMAT,
                          tl_profile_to_string (scenario->profile), scenario->seed);
  append_link_caption (out, a, b, &scenario->links[0]);
  append_link_caption (out, b, a, &scenario->links[1]);
  if (scenario->has_router)
    {
      if (scenario->pauses->len == 0)
        g_string_append (out, ", router");
      for (guint i = 0; i < scenario->pauses->len; i++)
        {
          const TlPauseWindow *w = &g_array_index (scenario->pauses, TlPauseWindow, i);
          g_autofree char *start = w->start == 0 ? g_strdup ("0 s") : tl_time_format (w->start, 6);
          g_autofree char *end = tl_time_format (w->end, 6);
          g_string_append_printf (out, "%s%s..%s", i == 0 ? ", router paused " : ", ",
                                  start, end);
        }
    }
  return g_string_free (out, FALSE);
}

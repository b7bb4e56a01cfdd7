/* tl-sweep-source.c: the describing first line of a sweep's JSON lines. */
#include "tl-sweep-source.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "tl-json.h"
#include "tl-sweep-error.h"
#include "tl-sweep-job.h"
#include "tl-sweep-row.h"

#define LINE_START "{\"sweep\":"

static const char *
kind_name (TlSweepAxisKind kind)
{
  switch (kind)
    {
    case TL_SWEEP_AXIS_VARY: return "vary";
    case TL_SWEEP_AXIS_OFFSET: return "offset";
    case TL_SWEEP_AXIS_SEED: return "seeds";
    default: g_assert_not_reached ();
    }
}

/* "--vary KEY=RANGE" -> "KEY=RANGE": the option's argument as typed. */
static const char *
axis_spec (const TlSweepAxis *axis)
{
  const char *space = strchr (axis->option, ' ');

  return space != NULL ? space + 1 : axis->option;
}

char *
tl_sweep_source_to_line (const TlScenario  *base,
                         const TlSweepPlan *plan)
{
  GString *line = g_string_new (LINE_START "{\"format\":");
  g_autofree char *text = tl_scenario_to_string (base);

  tl_sweep_json_append_string (line, TL_SWEEP_SOURCE_FORMAT);
  g_string_append_printf (line, ",\"version\":%d,\"points\":%" G_GUINT64_FORMAT ",\"axes\":[",
                          TL_SWEEP_SOURCE_VERSION, plan->n_points);
  for (guint a = 0; a < plan->axes->len; a++)
    {
      const TlSweepAxis *axis = g_ptr_array_index (plan->axes, a);

      g_string_append_printf (line, "%s{\"kind\":\"%s\",", a > 0 ? "," : "",
                              kind_name (axis->kind));
      if (axis->kind == TL_SWEEP_AXIS_SEED)
        g_string_append_printf (line, "\"count\":%" G_GUINT64_FORMAT "}", axis->n_values);
      else
        {
          g_string_append (line, "\"spec\":");
          tl_sweep_json_append_string (line, axis_spec (axis));
          g_string_append_c (line, '}');
        }
    }
  g_string_append (line, "],\"scenario\":");
  tl_sweep_json_append_string (line, text);
  g_string_append (line, "}}");
  return g_string_free (line, FALSE);
}

gboolean
tl_sweep_source_is_line (const char *line,
                         gsize       length)
{
  return length >= strlen (LINE_START) && memcmp (line, LINE_START, strlen (LINE_START)) == 0;
}

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError    **error,
      const char *path,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  /* Values quoted from a broken file may be broken UTF-8 themselves. */
  if (!g_utf8_validate (message, -1, NULL))
    {
      char *valid = g_utf8_make_valid (message, -1);

      g_free (message);
      message = valid;
    }
  g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT,
               "%s:1: the sweep's description: %s", path, message);
  return FALSE;
}

/* One member of "axes", added to PLAN. */
static gboolean
read_axis (JsonNode     *node,
           guint         index,
           TlSweepPlan  *plan,
           const char   *path,
           GError      **error)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  const char *kind = object != NULL ? tl_sweep_json_get_string (object, "kind") : NULL;
  g_autoptr(GError) local_error = NULL;
  TlSweepAxis *axis;

  if (kind == NULL)
    return fail (error, path, "axes[%u]: expected an object with a \"kind\" string", index);
  if (strcmp (kind, "seeds") == 0)
    {
      guint64 count;

      if (!tl_sweep_json_get_count (object, "count", &count) || count == 0)
        return fail (error, path, "axes[%u]: \"count\" must be a positive whole number", index);
      axis = tl_sweep_axis_new_seeds (count);
    }
  else if (strcmp (kind, "vary") == 0 || strcmp (kind, "offset") == 0)
    {
      const char *spec = tl_sweep_json_get_string (object, "spec");

      if (spec == NULL)
        return fail (error, path, "axes[%u]: \"spec\" must be a string", index);
      axis = tl_sweep_axis_parse (strcmp (kind, "vary") == 0 ? TL_SWEEP_AXIS_VARY
                                                              : TL_SWEEP_AXIS_OFFSET,
                                  spec, &local_error);
      if (axis == NULL)
        return fail (error, path, "axes[%u]: %s", index, local_error->message);
    }
  else
    return fail (error, path, "axes[%u]: unknown kind '%s' (vary, offset, seeds)", index, kind);

  if (!tl_sweep_plan_add_axis (plan, axis, &local_error))
    return fail (error, path, "axes[%u]: %s", index, local_error->message);
  return TRUE;
}

TlSweepSource *
tl_sweep_source_parse (const char  *line,
                       gsize        length,
                       const char  *path,
                       GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(TlSweepSource) source = g_new0 (TlSweepSource, 1);
  g_autofree char *scenario_label = NULL;
  JsonNode *root, *sweep, *axes;
  JsonObject *object;
  const char *format, *text;
  guint64 version, points;

  guint deep_line, column;

  if (tl_json_nesting_too_deep (line, length, &deep_line, &column))
    {
      fail (error, path, "column %u: nested more than %d levels deep", column,
            TL_JSON_MAX_NESTING);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, line, (gssize) length, &local_error))
    {
      fail (error, path, "%s", local_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  sweep = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
          ? json_object_get_member (json_node_get_object (root), "sweep") : NULL;
  if (sweep == NULL || !JSON_NODE_HOLDS_OBJECT (sweep))
    {
      fail (error, path, "expected {\"sweep\": {...}}");
      return NULL;
    }
  object = json_node_get_object (sweep);
  format = tl_sweep_json_get_string (object, "format");
  if (format == NULL || strcmp (format, TL_SWEEP_SOURCE_FORMAT) != 0)
    {
      fail (error, path, "\"format\" must be \"%s\"", TL_SWEEP_SOURCE_FORMAT);
      return NULL;
    }
  if (!tl_sweep_json_get_count (object, "version", &version))
    {
      fail (error, path, "\"version\" must be a whole number (this tcpladder reads %d)",
            TL_SWEEP_SOURCE_VERSION);
      return NULL;
    }
  if (version != TL_SWEEP_SOURCE_VERSION)
    {
      fail (error, path, "version %" G_GUINT64_FORMAT " is not one this tcpladder reads (%d): "
            "written by a newer tcpladder?", version, TL_SWEEP_SOURCE_VERSION);
      return NULL;
    }
  if (!tl_sweep_json_get_count (object, "points", &points) || points == 0)
    {
      fail (error, path, "\"points\" must be a positive whole number");
      return NULL;
    }
  text = tl_sweep_json_get_string (object, "scenario");
  if (text == NULL)
    {
      fail (error, path, "\"scenario\" must be the scenario's text");
      return NULL;
    }
  axes = json_object_get_member (object, "axes");
  if (axes == NULL || !JSON_NODE_HOLDS_ARRAY (axes))
    {
      fail (error, path, "\"axes\" must be an array");
      return NULL;
    }

  source->plan = tl_sweep_plan_new ();
  for (guint i = 0; i < json_array_get_length (json_node_get_array (axes)); i++)
    if (!read_axis (json_array_get_element (json_node_get_array (axes), i), i, source->plan,
                    path, error))
      return NULL;
  if (source->plan->axes->len == 0 || source->plan->n_points != points)
    {
      fail (error, path, "its axes give %" G_GUINT64_FORMAT " points, \"points\" says %"
            G_GUINT64_FORMAT, source->plan->axes->len > 0 ? source->plan->n_points : 0, points);
      return NULL;
    }
  scenario_label = g_strdup_printf ("%s (the swept scenario)", path);
  source->base = tl_scenario_parse (text, -1, scenario_label, &local_error);
  if (source->base == NULL)
    {
      fail (error, path, "%s", local_error->message);
      return NULL;
    }
  /* As the sweep itself does first: its keys fit the scenario. */
  {
    TlSweepJob job = { source->base, source->plan };
    g_autoptr(TlScenario) first = tl_sweep_job_scenario (&job, 0, &local_error);

    if (first == NULL)
      {
        fail (error, path, "%s", local_error->message);
        return NULL;
      }
  }
  return g_steal_pointer (&source);
}

void
tl_sweep_source_free (TlSweepSource *source)
{
  if (source == NULL)
    return;
  if (source->base != NULL)
    tl_scenario_free (source->base);
  if (source->plan != NULL)
    tl_sweep_plan_free (source->plan);
  g_free (source);
}

/* tl-sweep-row.c: writing sweep rows as CSV and JSON lines. */
#include "tl-sweep-row.h"

#include <string.h>

struct _TlSweepRowWriter
{
  const TlSweepPlan *plan;
  TlSweepFormat      format;
  char              *host_names[TL_MAX_HOSTS];
  char              *json_host_names[TL_MAX_HOSTS];  /* as JSON string literals */
  GPtrArray         *columns;       /* parameter column names, seed axis excluded */
  GPtrArray         *json_columns;  /* the same as JSON string literals */
};

TlSweepRowWriter *
tl_sweep_row_writer_new (const TlSweepPlan *plan,
                         const char *const *host_names,
                         TlSweepFormat      format)
{
  TlSweepRowWriter *writer = g_new0 (TlSweepRowWriter, 1);

  writer->plan = plan;
  writer->format = format;
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      GString *json = g_string_new (NULL);

      writer->host_names[h] = g_strdup (host_names != NULL && host_names[h] != NULL
                                        ? host_names[h] : h == 0 ? "A" : "B");
      tl_sweep_json_append_string (json, writer->host_names[h]);
      writer->json_host_names[h] = g_string_free (json, FALSE);
    }
  writer->columns = g_ptr_array_new_with_free_func (g_free);
  writer->json_columns = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < tl_sweep_plan_get_n_map_axes (plan); i++)
    {
      char *column = tl_sweep_axis_column (g_ptr_array_index (plan->axes, i));
      GString *json = g_string_new (NULL);

      tl_sweep_json_append_string (json, column);
      g_ptr_array_add (writer->columns, column);
      g_ptr_array_add (writer->json_columns, g_string_free (json, FALSE));
    }
  return writer;
}

void
tl_sweep_row_writer_free (TlSweepRowWriter *writer)
{
  if (writer == NULL)
    return;
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_free (writer->host_names[h]);
      g_free (writer->json_host_names[h]);
    }
  g_ptr_array_unref (writer->columns);
  g_ptr_array_unref (writer->json_columns);
  g_free (writer);
}

void
tl_sweep_csv_append_field (GString    *out,
                           const char *field)
{
  if (strpbrk (field, ",\"\r\n") == NULL)
    {
      g_string_append (out, field);
      return;
    }
  g_string_append_c (out, '"');
  for (const char *p = field; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

GPtrArray *
tl_sweep_csv_split (const char *line,
                    gsize       length)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = line, *end = line + length;

  for (;;)
    {
      GString *field = g_string_new (NULL);

      if (p < end && *p == '"')
        {
          for (p++;; p++)
            {
              if (p >= end)
                {
                  g_string_free (field, TRUE);
                  return NULL;
                }
              if (*p == '"')
                {
                  if (p + 1 < end && p[1] == '"')
                    p++;
                  else
                    break;
                }
              g_string_append_c (field, *p);
            }
          p++;
          if (p < end && *p != ',')
            {
              g_string_free (field, TRUE);
              return NULL;
            }
        }
      else
        {
          const char *start = p;

          while (p < end && *p != ',')
            {
              if (*p == '"')
                {
                  g_string_free (field, TRUE);
                  return NULL;
                }
              p++;
            }
          g_string_append_len (field, start, p - start);
        }
      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (p >= end)
        break;
      p++;  /* the comma */
    }
  return g_steal_pointer (&fields);
}

void
tl_sweep_json_append_string (GString    *out,
                             const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

gboolean
tl_sweep_format_from_path (const char    *path,
                           TlSweepFormat *out)
{
  if (g_str_has_suffix (path, ".csv"))
    *out = TL_SWEEP_FORMAT_CSV;
  else if (g_str_has_suffix (path, ".jsonl") || g_str_has_suffix (path, ".ndjson")
           || g_str_has_suffix (path, ".json"))
    *out = TL_SWEEP_FORMAT_JSONL;
  else
    return FALSE;
  return TRUE;
}

/* The per-host columns, in this order for each host in turn. */
static const char *const host_fields[] = {
  "final_state", "established_ns", "connect_error", "data_bytes",
};

static void
csv_header (TlSweepRowWriter *writer,
            GString          *out)
{
  g_string_append (out, "index,points");
  for (guint i = 0; i < writer->columns->len; i++)
    {
      g_string_append_c (out, ',');
      tl_sweep_csv_append_field (out, g_ptr_array_index (writer->columns, i));
    }
  g_string_append (out, ",seed,open,close");
  for (guint f = 0; f < G_N_ELEMENTS (host_fields); f++)
    for (guint h = 0; h < TL_MAX_HOSTS; h++)
      {
        g_autofree char *column = g_strdup_printf ("%s.%s", writer->host_names[h],
                                                   host_fields[f]);
        g_string_append_c (out, ',');
        tl_sweep_csv_append_field (out, column);
      }
  g_string_append (out, ",segments,retransmissions,held,dropped,truncated\n");
}

void
tl_sweep_row_write_header (TlSweepRowWriter *writer,
                           GString          *out)
{
  if (writer->format == TL_SWEEP_FORMAT_CSV)
    csv_header (writer, out);
}

static void
append_value (TlSweepRowWriter    *writer,
              const TlSweepResult *result,
              guint                axis_index,
              GString             *out)
{
  const TlSweepAxis *axis = g_ptr_array_index (writer->plan->axes, axis_index);

  tl_sweep_value_format_raw (tl_sweep_plan_value (writer->plan, result->point, axis_index),
                             axis->decimals, out);
}

static void
csv_row (TlSweepRowWriter    *writer,
         const TlSweepResult *result,
         GString             *out)
{
  const TlOutcome *o = &result->outcome;

  tl_sweep_append_uint (out, result->point);
  g_string_append_c (out, ',');
  tl_sweep_append_uint (out, writer->plan->n_points);
  for (guint i = 0; i < writer->columns->len; i++)
    {
      g_string_append_c (out, ',');
      append_value (writer, result, i, out);
    }
  g_string_append_c (out, ',');
  tl_sweep_append_uint (out, result->seed);
  g_string_append_c (out, ',');
  g_string_append (out, tl_open_outcome_to_id (o->open));
  g_string_append_c (out, ',');
  g_string_append (out, tl_close_outcome_to_id (o->close));
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_string_append_c (out, ',');
      g_string_append (out, tl_tcp_state_to_string (o->final_state[h]));
    }
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_string_append_c (out, ',');
      if (o->established_at[h] != TL_TIME_NEVER)
        tl_sweep_append_int (out, o->established_at[h]);
    }
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_string_append_c (out, ',');
      if (o->connect_error[h] != 0)
        g_string_append (out, tl_errno_to_string (o->connect_error[h]));
    }
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_string_append_c (out, ',');
      tl_sweep_append_uint (out, o->n_data_bytes[h]);
    }
  g_string_append_c (out, ',');
  tl_sweep_append_uint (out, o->n_segments);
  g_string_append_c (out, ',');
  tl_sweep_append_uint (out, o->n_retransmissions);
  g_string_append_c (out, ',');
  tl_sweep_append_uint (out, o->n_held);
  g_string_append_c (out, ',');
  tl_sweep_append_uint (out, o->n_dropped);
  g_string_append (out, result->truncated ? ",1\n" : ",0\n");
}

static void
json_member_uint (GString    *out,
                  const char *name,
                  guint64     value)
{
  g_string_append (out, name);
  tl_sweep_append_uint (out, value);
}

static void
json_row (TlSweepRowWriter    *writer,
          const TlSweepResult *result,
          GString             *out)
{
  const TlOutcome *o = &result->outcome;

  json_member_uint (out, "{\"index\":", result->point);
  json_member_uint (out, ",\"points\":", writer->plan->n_points);
  g_string_append (out, ",\"params\":{");
  for (guint i = 0; i < writer->json_columns->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, g_ptr_array_index (writer->json_columns, i));
      g_string_append_c (out, ':');
      append_value (writer, result, i, out);
    }
  json_member_uint (out, "},\"seed\":", result->seed);
  g_string_append (out, ",\"open\":\"");
  g_string_append (out, tl_open_outcome_to_id (o->open));
  g_string_append (out, "\",\"close\":\"");
  g_string_append (out, tl_close_outcome_to_id (o->close));
  g_string_append (out, "\",\"hosts\":[");
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_string_append (out, h > 0 ? ",{\"name\":" : "{\"name\":");
      g_string_append (out, writer->json_host_names[h]);
      g_string_append (out, ",\"final_state\":\"");
      g_string_append (out, tl_tcp_state_to_string (o->final_state[h]));
      g_string_append (out, "\",\"established_ns\":");
      if (o->established_at[h] != TL_TIME_NEVER)
        tl_sweep_append_int (out, o->established_at[h]);
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"connect_error\":");
      if (o->connect_error[h] != 0)
        {
          g_string_append_c (out, '"');
          g_string_append (out, tl_errno_to_string (o->connect_error[h]));
          g_string_append_c (out, '"');
        }
      else
        g_string_append (out, "null");
      json_member_uint (out, ",\"data_bytes\":", o->n_data_bytes[h]);
      g_string_append_c (out, '}');
    }
  json_member_uint (out, "],\"segments\":", o->n_segments);
  json_member_uint (out, ",\"retransmissions\":", o->n_retransmissions);
  json_member_uint (out, ",\"held\":", o->n_held);
  json_member_uint (out, ",\"dropped\":", o->n_dropped);
  g_string_append (out, result->truncated ? ",\"truncated\":true}\n" : ",\"truncated\":false}\n");
}

void
tl_sweep_row_write (TlSweepRowWriter    *writer,
                    const TlSweepResult *result,
                    GString             *out)
{
  if (writer->format == TL_SWEEP_FORMAT_CSV)
    csv_row (writer, result, out);
  else
    json_row (writer, result, out);
}

gboolean
tl_sweep_json_get_count (JsonObject *object,
                         const char *member,
                         guint64    *out)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64 || json_node_get_int (node) < 0)
    return FALSE;
  *out = (guint64) json_node_get_int (node);
  return TRUE;
}

const char *
tl_sweep_json_get_string (JsonObject *object,
                          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

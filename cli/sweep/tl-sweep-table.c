/* tl-sweep-table.c: reading, checking, ordering and re-writing sweep rows. */
#include "tl-sweep-table.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "tl-json.h"
#include "tl-sweep-error.h"
#include "tl-sweep-output.h"
#include "tl-sweep-source.h"
#include "tl-sweep-value.h"

typedef struct
{
  guint64     index;
  const char *text;     /* the line in its mapped file */
  gsize       length;   /* with its newline */
  guint       file;
  guint       line;     /* 1-based */
} TableRow;

struct _TlSweepTable
{
  gboolean      has_format;
  TlSweepFormat format;
  char         *header;          /* the header line, no newline: CSV's column
                                  * names, JSON lines' description (or NULL) */
  guint         n_fields;        /* CSV: fields per line */
  GPtrArray    *param_names;     /* parameter columns or members, in order */
  guint         open_field;      /* CSV: where open and close are */
  guint         close_field;
  guint64       n_points;        /* 0 until a row says */
  GPtrArray    *files;           /* GMappedFile */
  GPtrArray    *paths;
  GArray       *rows;            /* TableRow */
};

TlSweepTable *
tl_sweep_table_new (void)
{
  TlSweepTable *table = g_new0 (TlSweepTable, 1);

  table->files = g_ptr_array_new_with_free_func ((GDestroyNotify) g_mapped_file_unref);
  table->paths = g_ptr_array_new_with_free_func (g_free);
  table->rows = g_array_new (FALSE, FALSE, sizeof (TableRow));
  return table;
}

void
tl_sweep_table_free (TlSweepTable *table)
{
  if (table == NULL)
    return;
  g_free (table->header);
  if (table->param_names != NULL)
    g_ptr_array_unref (table->param_names);
  g_array_unref (table->rows);
  g_ptr_array_unref (table->files);
  g_ptr_array_unref (table->paths);
  g_free (table);
}

TlSweepFormat
tl_sweep_table_get_format (const TlSweepTable *table)
{
  return table->format;
}

guint64
tl_sweep_table_get_n_rows (const TlSweepTable *table)
{
  return table->rows->len;
}

guint64
tl_sweep_table_get_n_points (const TlSweepTable *table)
{
  return table->n_points;
}

static gboolean G_GNUC_PRINTF (4, 5)
fail_at (GError    **error,
         const char *path,
         guint       line,
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
  if (line > 0)
    g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT, "%s:%u: %s", path, line, message);
  else
    g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT, "%s: %s", path, message);
  return FALSE;
}

static gboolean
parse_count (const char *text,
             guint64    *out)
{
  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, NULL);
}

static gint
find_field (GPtrArray  *fields,
            const char *name)
{
  for (guint i = 0; i < fields->len; i++)
    if (strcmp (g_ptr_array_index (fields, i), name) == 0)
      return (gint) i;
  return -1;
}

/* The first file's header sets the columns; later ones must match. */
static gboolean
take_csv_header (TlSweepTable *table,
                 const char   *path,
                 const char   *line,
                 gsize         length)
{
  g_autoptr(GPtrArray) fields = tl_sweep_csv_split (line, length);
  gint seed, open, close;

  if (table->header != NULL)
    return strlen (table->header) == length && memcmp (table->header, line, length) == 0;
  if (fields == NULL || fields->len < 5 || find_field (fields, "index") != 0
      || find_field (fields, "points") != 1)
    return FALSE;
  seed = find_field (fields, "seed");
  open = find_field (fields, "open");
  close = find_field (fields, "close");
  if (seed < 2 || open < 0 || close < 0)
    return FALSE;
  table->header = g_strndup (line, length);
  table->n_fields = fields->len;
  table->open_field = (guint) open;
  table->close_field = (guint) close;
  table->param_names = g_ptr_array_new_with_free_func (g_free);
  for (gint i = 2; i < seed; i++)
    g_ptr_array_add (table->param_names, g_strdup (g_ptr_array_index (fields, i)));
  return TRUE;
}

/* The first line of a JSON-lines file, if it describes the sweep
 * (tl-sweep-source.h): every file must have the first file's, or none. */
static gboolean
take_json_header (TlSweepTable *table,
                  const char   *path,
                  const char   *line,
                  gsize         length,
                  gboolean     *is_header,
                  GError      **error)
{
  gboolean first_file = table->files->len == 0;
  g_autoptr(TlSweepSource) source = NULL;

  *is_header = tl_sweep_source_is_line (line, length);
  if (!*is_header)
    {
      if (!first_file && table->header != NULL)
        return fail_at (error, path, 1, "no line describing the sweep, unlike %s: "
                        "not the same sweep", (char *) g_ptr_array_index (table->paths, 0));
      return TRUE;
    }
  if (!first_file)
    {
      if (table->header == NULL)
        return fail_at (error, path, 1, "a line describing the sweep, unlike %s: "
                        "not the same sweep", (char *) g_ptr_array_index (table->paths, 0));
      if (strlen (table->header) != length || memcmp (table->header, line, length) != 0)
        return fail_at (error, path, 1, "its sweep (first line) differs from %s's: "
                        "not the same sweep", (char *) g_ptr_array_index (table->paths, 0));
      return TRUE;
    }
  source = tl_sweep_source_parse (line, length, path, error);
  if (source == NULL)
    return FALSE;
  table->header = g_strndup (line, length);
  table->n_points = source->plan->n_points;
  return TRUE;
}

static gboolean
check_points (TlSweepTable *table,
              const char   *path,
              guint         line,
              guint64       index,
              guint64       points,
              GError      **error)
{
  if (table->n_points == 0)
    table->n_points = points;
  if (points != table->n_points)
    return fail_at (error, path, line, "this row belongs to a sweep of %" G_GUINT64_FORMAT
                    " points, earlier rows to one of %" G_GUINT64_FORMAT,
                    points, table->n_points);
  if (index >= points)
    return fail_at (error, path, line, "index %" G_GUINT64_FORMAT " is beyond the %"
                    G_GUINT64_FORMAT " points of the sweep", index, points);
  return TRUE;
}

static gboolean
open_from_id (const char    *id,
              TlOpenOutcome *out)
{
  for (guint o = 0; o < TL_N_OPEN_OUTCOMES; o++)
    if (strcmp (id, tl_open_outcome_to_id ((TlOpenOutcome) o)) == 0)
      {
        *out = (TlOpenOutcome) o;
        return TRUE;
      }
  return FALSE;
}

static gboolean
close_from_id (const char     *id,
               TlCloseOutcome *out)
{
  for (guint c = 0; c < TL_N_CLOSE_OUTCOMES; c++)
    if (strcmp (id, tl_close_outcome_to_id ((TlCloseOutcome) c)) == 0)
      {
        *out = (TlCloseOutcome) c;
        return TRUE;
      }
  return FALSE;
}

/* The open and close columns hold outcome ids. */
static gboolean
check_outcomes (const char  *path,
                guint        line,
                const char  *open_id,
                const char  *close_id,
                GError     **error)
{
  TlOpenOutcome open;
  TlCloseOutcome close;

  if (open_id == NULL || !open_from_id (open_id, &open))
    return fail_at (error, path, line, "unknown open outcome '%s'", open_id != NULL ? open_id : "");
  if (close_id == NULL || !close_from_id (close_id, &close))
    return fail_at (error, path, line, "unknown close outcome '%s'",
                    close_id != NULL ? close_id : "");
  return TRUE;
}

static gboolean
read_csv_row (TlSweepTable *table,
              const char   *path,
              guint         line_number,
              const char   *line,
              gsize         length,
              guint64      *index,
              GError      **error)
{
  g_autoptr(GPtrArray) fields = tl_sweep_csv_split (line, length);
  guint64 points;

  if (fields == NULL)
    return fail_at (error, path, line_number, "broken quoting");
  if (fields->len != table->n_fields)
    return fail_at (error, path, line_number, "%u fields where the header has %u",
                    fields->len, table->n_fields);
  if (!parse_count (g_ptr_array_index (fields, 0), index)
      || !parse_count (g_ptr_array_index (fields, 1), &points) || points == 0)
    return fail_at (error, path, line_number, "the index and points columns must be numbers");
  if (!check_outcomes (path, line_number, g_ptr_array_index (fields, table->open_field),
                       g_ptr_array_index (fields, table->close_field), error))
    return FALSE;
  return check_points (table, path, line_number, *index, points, error);
}

static JsonObject *
parse_json_row (const char  *line,
                gsize        length,
                JsonParser  *parser,
                GError     **error)
{
  JsonNode *root;
  guint deep_line, column;

  if (tl_json_nesting_too_deep (line, length, &deep_line, &column))
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT,
                   "column %u: nested more than %d levels deep: not a row of a sweep",
                   column, TL_JSON_MAX_NESTING);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, line, (gssize) length, error))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT, "not a JSON object");
      return NULL;
    }
  return json_node_get_object (root);
}

static gboolean
same_names (GPtrArray *names,
            GList     *members)
{
  guint i = 0;

  for (GList *l = members; l != NULL; l = l->next, i++)
    if (i >= names->len || strcmp (g_ptr_array_index (names, i), l->data) != 0)
      return FALSE;
  return i == names->len;
}

static gboolean
read_json_row (TlSweepTable *table,
               JsonParser   *parser,
               const char   *path,
               guint         line_number,
               const char   *line,
               gsize         length,
               guint64      *index,
               GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *object = parse_json_row (line, length, parser, &local_error);
  JsonNode *params;
  g_autoptr(GList) members = NULL;
  guint64 points;

  if (object == NULL)
    return fail_at (error, path, line_number, "%s", local_error->message);
  if (!tl_sweep_json_get_count (object, "index", index)
      || !tl_sweep_json_get_count (object, "points", &points)
      || points == 0)
    return fail_at (error, path, line_number, "a row needs \"index\" and \"points\" counts");
  params = json_object_get_member (object, "params");
  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params)
      || !json_object_has_member (object, "open") || !json_object_has_member (object, "close"))
    return fail_at (error, path, line_number, "a row needs \"params\", \"open\" and \"close\"");
  if (!check_outcomes (path, line_number,
                       tl_sweep_json_get_string (object, "open"),
                       tl_sweep_json_get_string (object, "close"), error))
    return FALSE;
  members = json_object_get_members (json_node_get_object (params));
  if (table->param_names == NULL)
    {
      table->param_names = g_ptr_array_new_with_free_func (g_free);
      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (table->param_names, g_strdup (l->data));
    }
  else if (!same_names (table->param_names, members))
    return fail_at (error, path, line_number,
                    "its parameters differ from earlier rows: not the same sweep");
  return check_points (table, path, line_number, *index, points, error);
}

gboolean
tl_sweep_table_add_file (TlSweepTable  *table,
                         const char    *path,
                         GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GMappedFile) file = g_mapped_file_new (path, FALSE, &local_error);
  g_autoptr(JsonParser) parser = NULL;
  const char *contents, *end, *p;
  TlSweepFormat format;
  guint file_index = table->files->len;
  guint line_number = 0;

  if (file == NULL)
    return fail_at (error, path, 0, "%s", local_error->message);
  /* Empty: JSON lines of a shard with no points, or stopped before any. */
  if (g_mapped_file_get_length (file) == 0)
    return TRUE;
  contents = g_mapped_file_get_contents (file);
  end = contents + g_mapped_file_get_length (file);
  if (end[-1] != '\n')
    {
      guint n = 1;

      for (p = contents; p < end; p++)
        n += *p == '\n';
      return fail_at (error, path, n, "the last line is incomplete: was the file cut short?");
    }

  format = contents[0] == '{' ? TL_SWEEP_FORMAT_JSONL : TL_SWEEP_FORMAT_CSV;
  if (table->has_format && format != table->format)
    return fail_at (error, path, 0, "a %s file cannot be merged with %s ones",
                    format == TL_SWEEP_FORMAT_CSV ? "CSV" : "JSON lines",
                    table->format == TL_SWEEP_FORMAT_CSV ? "CSV" : "JSON lines");
  table->format = format;
  table->has_format = TRUE;
  if (format == TL_SWEEP_FORMAT_JSONL)
    parser = json_parser_new_immutable ();

  for (p = contents; p < end;)
    {
      const char *newline = memchr (p, '\n', (gsize) (end - p));
      gsize length = (gsize) (newline - p);
      TableRow row = { 0 };

      line_number++;
      if (length > 0 && p[length - 1] == '\r')
        return fail_at (error, path, line_number, "CRLF line endings: not written by a sweep");
      if (format == TL_SWEEP_FORMAT_JSONL && line_number == 1)
        {
          gboolean is_header;

          if (!take_json_header (table, path, p, length, &is_header, error))
            return FALSE;
          if (is_header)
            {
              p = newline + 1;
              continue;
            }
        }
      if (format == TL_SWEEP_FORMAT_CSV && line_number == 1)
        {
          if (!take_csv_header (table, path, p, length))
            return fail_at (error, path, 1, table->header != NULL
                            ? "its header differs from the first file's: not the same sweep"
                            : "not the header of a sweep (index,points,...,seed,open,close,...)");
          p = newline + 1;
          continue;
        }
      if (format == TL_SWEEP_FORMAT_CSV
          ? !read_csv_row (table, path, line_number, p, length, &row.index, error)
          : !read_json_row (table, parser, path, line_number, p, length, &row.index, error))
        return FALSE;
      row.text = p;
      row.length = length + 1;
      row.file = file_index;
      row.line = line_number;
      g_array_append_val (table->rows, row);
      p = newline + 1;
    }

  g_ptr_array_add (table->files, g_steal_pointer (&file));
  g_ptr_array_add (table->paths, g_strdup (path));
  return TRUE;
}

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  const TableRow *ra = a, *rb = b;

  return ra->index < rb->index ? -1 : ra->index > rb->index;
}

gboolean
tl_sweep_table_finish (TlSweepTable  *table,
                       gboolean       allow_missing,
                       GError       **error)
{
  guint64 first_missing = table->rows->len, missing;

  g_array_sort (table->rows, compare_rows);
  for (guint i = 0; i < table->rows->len; i++)
    {
      const TableRow *row = &g_array_index (table->rows, TableRow, i);
      const TableRow *prev = i > 0 ? &g_array_index (table->rows, TableRow, i - 1) : NULL;
      guint64 expected = prev != NULL ? prev->index + 1 : 0;

      if (prev != NULL && row->index == prev->index)
        {
          g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT,
                       "point %" G_GUINT64_FORMAT " appears twice: %s:%u and %s:%u "
                       "(the same shard given twice?)", row->index,
                       (char *) g_ptr_array_index (table->paths, prev->file), prev->line,
                       (char *) g_ptr_array_index (table->paths, row->file), row->line);
          return FALSE;
        }
      if (row->index > expected && first_missing == table->rows->len)
        first_missing = expected;
    }
  /* Indices are distinct and below n_points, so this counts the gaps. */
  missing = table->n_points - table->rows->len;
  if (allow_missing)
    return TRUE;
  if (table->rows->len == 0)
    {
      g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT,
                           "no rows in any input (--partial merges what there is)");
      return FALSE;
    }
  if (missing > 0)
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT,
                   "%" G_GUINT64_FORMAT " of the %" G_GUINT64_FORMAT " points are missing, "
                   "the first being point %" G_GUINT64_FORMAT ": are all shards there, and "
                   "complete? (--partial merges what there is)", missing, table->n_points,
                   first_missing);
      return FALSE;
    }
  return TRUE;
}

gboolean
tl_sweep_table_write (const TlSweepTable  *table,
                      const char          *path,
                      GError             **error)
{
  TlSweepOutput *output = tl_sweep_output_open (path, error);
  g_autoptr(GString) buffer = g_string_new (NULL);

  if (output == NULL)
    return FALSE;
  if (table->header != NULL)
    {
      g_string_append (buffer, table->header);
      g_string_append_c (buffer, '\n');
    }
  for (guint i = 0; i < table->rows->len; i++)
    {
      const TableRow *row = &g_array_index (table->rows, TableRow, i);

      g_string_append_len (buffer, row->text, (gssize) row->length);
      if (buffer->len >= 1 << 16 || i + 1 == table->rows->len)
        {
          if (!tl_sweep_output_write (output, buffer->str, buffer->len, error))
            {
              tl_sweep_output_abort (output);
              return FALSE;
            }
          g_string_truncate (buffer, 0);
        }
    }
  if (buffer->len > 0 && !tl_sweep_output_write (output, buffer->str, buffer->len, error))
    {
      tl_sweep_output_abort (output);
      return FALSE;
    }
  return tl_sweep_output_commit (output, error);
}

/* Maps */

typedef struct
{
  char       *label;       /* the name without its unit suffix */
  TlMapUnit   unit;
  guint       decimals;    /* the most any row has */
  GArray     *raw;         /* per row: mantissa with raw_decimals */
  GArray     *raw_decimals;
  GArray     *values;      /* distinct values, first seen first */
  GArray     *coords;      /* per row: index into values */
} MapColumn;

static void
map_column_clear (MapColumn *column)
{
  g_free (column->label);
  g_clear_pointer (&column->raw, g_array_unref);
  g_clear_pointer (&column->raw_decimals, g_array_unref);
  g_clear_pointer (&column->values, g_array_unref);
  g_clear_pointer (&column->coords, g_array_unref);
}

static void
map_column_init (MapColumn  *column,
                 const char *name)
{
  if (g_str_has_suffix (name, "_ns"))
    {
      column->unit = TL_MAP_UNIT_TIME;
      column->label = g_strndup (name, strlen (name) - 3);
    }
  else if (g_str_has_suffix (name, "_pct"))
    {
      column->unit = TL_MAP_UNIT_PERCENT;
      column->label = g_strndup (name, strlen (name) - 4);
    }
  else
    {
      column->unit = TL_MAP_UNIT_NUMBER;
      column->label = g_strdup (name);
    }
  column->raw = g_array_new (FALSE, FALSE, sizeof (gint64));
  column->raw_decimals = g_array_new (FALSE, FALSE, sizeof (guint));
  column->values = g_array_new (FALSE, FALSE, sizeof (gint64));
  column->coords = g_array_new (FALSE, FALSE, sizeof (guint));
}

/* Brings every value to the column's decimals and numbers the distinct
 * ones in the order they first appear: the sweep order. */
static gboolean
map_column_index (MapColumn  *column,
                  GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint r = 0; r < column->raw->len; r++)
    {
      gint64 v = g_array_index (column->raw, gint64, r);
      guint d = g_array_index (column->raw_decimals, guint, r);
      gpointer found;
      guint coord;

      for (; d < column->decimals; d++)
        v *= 10;
      if (!g_hash_table_lookup_extended (seen, &v, NULL, &found))
        {
          gint64 *key = g_new (gint64, 1);

          *key = v;
          coord = column->values->len;
          g_array_append_val (column->values, v);
          g_hash_table_insert (seen, key, GUINT_TO_POINTER (coord));
          if (column->values->len > 100000)
            {
              g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT,
                           "%s takes more than 100000 values: too many for a map",
                           column->label);
              return FALSE;
            }
        }
      else
        coord = GPOINTER_TO_UINT (found);
      g_array_append_val (column->coords, coord);
    }
  return TRUE;
}

static gboolean
add_raw_value (MapColumn  *column,
               const char *text)
{
  gint64 mantissa;
  guint decimals;

  if (!tl_sweep_value_parse_raw (text, &mantissa, &decimals))
    return FALSE;
  column->decimals = MAX (column->decimals, decimals);
  g_array_append_val (column->raw, mantissa);
  g_array_append_val (column->raw_decimals, decimals);
  return TRUE;
}

/* A JSON number as the decimal text it was written as. */
static char *
json_number_text (JsonNode *node)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    /* At most 15 significant digits come back exactly as written. */
    return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.15g", json_node_get_double (node)));
  return NULL;
}

/* One row's parameter values and outcome. */
static gboolean
read_map_row (const TlSweepTable *table,
              const TableRow     *row,
              JsonParser         *parser,
              MapColumn          *columns,
              guint               n_columns,
              TlOpenOutcome      *open,
              TlCloseOutcome     *close,
              GError            **error)
{
  const char *path = g_ptr_array_index (table->paths, row->file);
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *open_id = NULL;
  g_autofree char *close_id = NULL;

  if (table->format == TL_SWEEP_FORMAT_CSV)
    {
      g_autoptr(GPtrArray) fields = tl_sweep_csv_split (row->text, row->length - 1);

      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (texts, g_strdup (g_ptr_array_index (fields, 2 + c)));
      open_id = g_strdup (g_ptr_array_index (fields, table->open_field));
      close_id = g_strdup (g_ptr_array_index (fields, table->close_field));
    }
  else
    {
      JsonObject *object = parse_json_row (row->text, row->length - 1, parser, error);
      JsonObject *params = json_object_get_object_member (object, "params");

      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (texts, json_number_text (json_object_get_member (
                                  params, g_ptr_array_index (table->param_names, c))));
      open_id = g_strdup (tl_sweep_json_get_string (object, "open"));
      close_id = g_strdup (tl_sweep_json_get_string (object, "close"));
    }

  for (guint c = 0; c < n_columns; c++)
    {
      const char *text = g_ptr_array_index (texts, c);

      if (text == NULL || !add_raw_value (&columns[c], text))
        return fail_at (error, path, row->line, "%s: '%s' is not a number",
                        (char *) g_ptr_array_index (table->param_names, c),
                        text != NULL ? text : "");
    }
  return check_outcomes (path, row->line, open_id, close_id, error)
         && open_from_id (open_id, open) && close_from_id (close_id, close);
  return TRUE;
}

TlOutcomeMap *
tl_sweep_table_to_map (const TlSweepTable  *table,
                       GError             **error)
{
  guint n_columns = table->param_names != NULL ? table->param_names->len : 0;
  MapColumn columns[2] = { { 0 } };
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autofree TlOpenOutcome *opens = NULL;
  g_autofree TlCloseOutcome *closes = NULL;
  TlOutcomeMap *map = NULL;

  if (n_columns < 1 || n_columns > 2)
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                   "a map shows one or two swept parameters; these rows have %u", n_columns);
      return NULL;
    }
  if (table->rows->len == 0)
    {
      g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT, "no rows to draw");
      return NULL;
    }

  opens = g_new (TlOpenOutcome, table->rows->len);
  closes = g_new (TlCloseOutcome, table->rows->len);
  for (guint c = 0; c < n_columns; c++)
    map_column_init (&columns[c], g_ptr_array_index (table->param_names, c));
  for (guint r = 0; r < table->rows->len; r++)
    if (!read_map_row (table, &g_array_index (table->rows, TableRow, r), parser, columns,
                       n_columns, &opens[r], &closes[r], error))
      goto out;
  for (guint c = 0; c < n_columns; c++)
    if (!map_column_index (&columns[c], error))
      goto out;

  map = tl_outcome_map_new (columns[0].values->len,
                            n_columns == 2 ? columns[1].values->len : 0);
  for (guint c = 0; c < n_columns; c++)
    tl_outcome_map_set_axis (map, c, columns[c].label, columns[c].unit, columns[c].decimals,
                             (const gint64 *) (gpointer) columns[c].values->data);
  for (guint r = 0; r < table->rows->len; r++)
    tl_outcome_map_add_run (map, g_array_index (columns[0].coords, guint, r),
                            n_columns == 2 ? g_array_index (columns[1].coords, guint, r) : 0,
                            opens[r], closes[r]);

out:
  for (guint c = 0; c < n_columns; c++)
    map_column_clear (&columns[c]);
  return map;
}

const char *
tl_sweep_table_get_source_line (const TlSweepTable *table)
{
  return table->format == TL_SWEEP_FORMAT_JSONL ? table->header : NULL;
}

gboolean
tl_sweep_table_get_outcome (const TlSweepTable  *table,
                            guint                row_number,
                            guint64             *index,
                            TlOpenOutcome       *open,
                            TlCloseOutcome      *close,
                            GError             **error)
{
  const TableRow *row;
  const char *path;
  g_autofree char *open_id = NULL;
  g_autofree char *close_id = NULL;

  g_return_val_if_fail (row_number < table->rows->len, FALSE);
  row = &g_array_index (table->rows, TableRow, row_number);
  path = g_ptr_array_index (table->paths, row->file);
  *index = row->index;
  if (table->format == TL_SWEEP_FORMAT_CSV)
    {
      g_autoptr(GPtrArray) fields = tl_sweep_csv_split (row->text, row->length - 1);

      open_id = g_strdup (g_ptr_array_index (fields, table->open_field));
      close_id = g_strdup (g_ptr_array_index (fields, table->close_field));
    }
  else
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      JsonObject *object = parse_json_row (row->text, row->length - 1, parser, error);

      if (object == NULL)
        return FALSE;
      open_id = g_strdup (tl_sweep_json_get_string (object, "open"));
      close_id = g_strdup (tl_sweep_json_get_string (object, "close"));
    }
  return check_outcomes (path, row->line, open_id, close_id, error)
         && open_from_id (open_id, open) && close_from_id (close_id, close);
  return TRUE;
}

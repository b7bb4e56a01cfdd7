/* tl-outcome-map.c: drawing the outcome map of a sweep with cairo + pango. */
#include "tl-outcome-map.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

#define NO_CATEGORY 0xff

typedef struct
{
  char      *label;
  TlMapUnit  unit;
  guint      decimals;
  gint64    *values;
  guint      n;
} MapAxis;

typedef struct
{
  guint8  category;   /* of the first run, NO_CATEGORY before any */
  guint8  mixed;      /* runs disagree: counts are in map->mixed_counts */
  guint32 n_runs;
} MapCell;

struct _TlOutcomeMap
{
  char       *title;
  char       *caption;
  gboolean    strip;
  MapAxis     axes[2];
  MapCell    *cells;          /* x + y * n_x */
  GHashTable *mixed_counts;   /* cell index -> guint32[TL_MAP_N_CATEGORIES] */
  guint64     category_runs[TL_MAP_N_CATEGORIES];
  guint64     n_runs;
};

/* Where everything goes, in points.  Computed from the map alone, so
 * get_size, draw and cell_rect agree. */
typedef struct
{
  double width, height;
  double title_y, caption_y;
  double plot_x, plot_y, plot_w, plot_h;
  double legend_x, legend_y;
} MapLayout;

enum
{
  WIDTH = 1000,
  MARGIN = 20,
  LEGEND_W = 300,
  PLOT_H = 480,
  STRIP_H = 56,
  Y_AXIS_W = 76,
  X_AXIS_H = 54,
  LEGEND_ROW = 22,
  SWATCH = 15,
};

static const char *const font_title = "Sans Bold 15px";
static const char *const font_text = "Sans 12px";
static const char *const font_small = "Sans 11px";

TlOutcomeMap *
tl_outcome_map_new (guint n_x,
                    guint n_y)
{
  TlOutcomeMap *map = g_new0 (TlOutcomeMap, 1);
  gsize n_cells;

  g_return_val_if_fail (n_x > 0, NULL);

  map->strip = n_y == 0;
  map->axes[0].n = n_x;
  map->axes[1].n = MAX (n_y, 1);
  for (guint a = 0; a < 2; a++)
    {
      map->axes[a].values = g_new0 (gint64, map->axes[a].n);
      for (guint i = 0; i < map->axes[a].n; i++)
        map->axes[a].values[i] = i;
    }
  n_cells = (gsize) map->axes[0].n * map->axes[1].n;
  map->cells = g_new (MapCell, n_cells);
  for (gsize i = 0; i < n_cells; i++)
    map->cells[i] = (MapCell) { NO_CATEGORY, 0, 0 };
  map->mixed_counts = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  return map;
}

void
tl_outcome_map_free (TlOutcomeMap *map)
{
  if (map == NULL)
    return;
  g_free (map->title);
  g_free (map->caption);
  for (guint a = 0; a < 2; a++)
    {
      g_free (map->axes[a].label);
      g_free (map->axes[a].values);
    }
  g_free (map->cells);
  g_hash_table_unref (map->mixed_counts);
  g_free (map);
}

void
tl_outcome_map_set_title (TlOutcomeMap *map,
                          const char   *title,
                          const char   *caption)
{
  g_free (map->title);
  g_free (map->caption);
  map->title = g_strdup (title);
  map->caption = g_strdup (caption);
}

void
tl_outcome_map_set_axis (TlOutcomeMap *map,
                         guint         axis,
                         const char   *label,
                         TlMapUnit     unit,
                         guint         decimals,
                         const gint64 *values)
{
  MapAxis *a;

  g_return_if_fail (axis < 2 && decimals <= 18);
  a = &map->axes[axis];
  g_free (a->label);
  a->label = g_strdup (label);
  a->unit = unit;
  a->decimals = unit == TL_MAP_UNIT_TIME ? 0 : decimals;
  memcpy (a->values, values, sizeof (gint64) * a->n);
}

static guint
cell_index (const TlOutcomeMap *map,
            guint               x,
            guint               y)
{
  return x + y * map->axes[0].n;
}

void
tl_outcome_map_add_run (TlOutcomeMap   *map,
                        guint           x,
                        guint           y,
                        TlOpenOutcome   open,
                        TlCloseOutcome  close)
{
  guint category = (guint) open * TL_N_CLOSE_OUTCOMES + (guint) close;
  guint index;
  MapCell *cell;

  g_return_if_fail (x < map->axes[0].n && y < map->axes[1].n);
  g_return_if_fail ((guint) open < TL_N_OPEN_OUTCOMES && (guint) close < TL_N_CLOSE_OUTCOMES);

  index = cell_index (map, x, y);
  cell = &map->cells[index];
  if (cell->n_runs == 0)
    cell->category = (guint8) category;
  else if (!cell->mixed && cell->category != category)
    {
      guint32 *counts = g_new0 (guint32, TL_MAP_N_CATEGORIES);

      counts[cell->category] = cell->n_runs;
      g_hash_table_insert (map->mixed_counts, GUINT_TO_POINTER (index), counts);
      cell->mixed = TRUE;
    }
  if (cell->mixed)
    ((guint32 *) g_hash_table_lookup (map->mixed_counts, GUINT_TO_POINTER (index)))[category]++;
  cell->n_runs++;
  map->category_runs[category]++;
  map->n_runs++;
}

guint
tl_outcome_map_get_category (const TlOutcomeMap *map,
                             guint               x,
                             guint               y,
                             gboolean           *mixed)
{
  guint index = cell_index (map, x, y);
  const MapCell *cell = &map->cells[index];
  const guint32 *counts;
  guint best = 0;

  if (mixed != NULL)
    *mixed = cell->mixed;
  if (cell->n_runs == 0)
    return TL_MAP_NO_RUN;
  if (!cell->mixed)
    return cell->category;
  counts = g_hash_table_lookup (map->mixed_counts, GUINT_TO_POINTER (index));
  for (guint c = 1; c < TL_MAP_N_CATEGORIES; c++)
    if (counts[c] > counts[best])
      best = c;
  return best;
}

/* Colours: the open outcome picks the hue (colour-blind safe where it
 * matters: simultaneous orange, normal blue, refused vermilion), the close
 * outcome the shade. */
static const double open_colors[TL_N_OPEN_OUTCOMES][3] = {
  [TL_OPEN_NONE]         = { 0.80, 0.80, 0.80 },
  [TL_OPEN_SIMULTANEOUS] = { 0.902, 0.624, 0.0 },
  [TL_OPEN_NORMAL]       = { 0.0, 0.447, 0.698 },
  [TL_OPEN_MIXED]        = { 0.580, 0.404, 0.741 },
  [TL_OPEN_REFUSED]      = { 0.835, 0.259, 0.173 },
  [TL_OPEN_TIMED_OUT]    = { 0.42, 0.42, 0.42 },
  [TL_OPEN_RESET]        = { 0.549, 0.337, 0.294 },
  [TL_OPEN_INCOMPLETE]   = { 0.337, 0.706, 0.914 },
};

void
tl_outcome_map_category_color (guint   category,
                               double *rgb)
{
  guint open = category / TL_N_CLOSE_OUTCOMES;
  guint close = category % TL_N_CLOSE_OUTCOMES;
  /* > 0: towards white, < 0: towards black. */
  static const double shade[TL_N_CLOSE_OUTCOMES] = {
    [TL_CLOSE_NONE] = 0.0,
    [TL_CLOSE_SIMULTANEOUS] = -0.35,
    [TL_CLOSE_NORMAL] = 0.45,
    [TL_CLOSE_RESET] = -0.6,
    [TL_CLOSE_INCOMPLETE] = 0.72,
  };

  g_return_if_fail (category < TL_MAP_N_CATEGORIES);
  for (guint i = 0; i < 3; i++)
    {
      double c = open_colors[open][i];

      rgb[i] = shade[close] >= 0 ? c + (1.0 - c) * shade[close] : c * (1.0 + shade[close]);
    }
}

static char *
category_label (guint category)
{
  TlOpenOutcome open = (TlOpenOutcome) (category / TL_N_CLOSE_OUTCOMES);
  TlCloseOutcome close = (TlCloseOutcome) (category % TL_N_CLOSE_OUTCOMES);

  if (close == TL_CLOSE_NONE)
    return g_strdup (tl_open_outcome_to_string (open));
  return g_strdup_printf ("%s, %s", tl_open_outcome_to_string (open),
                          tl_close_outcome_to_string (close));
}

/* Text */

static PangoLayout *
make_layout (cairo_t    *cr,
             const char *font,
             const char *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (layout, text, -1);
  return layout;
}

static void
text_size (cairo_t    *cr,
           const char *font,
           const char *text,
           double      wrap_width,
           double     *width,
           double     *height)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, font, text);
  int w, h;

  if (wrap_width > 0)
    {
      pango_layout_set_width (layout, (int) (wrap_width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;
}

/* Draws TEXT with its anchor point at (X, Y): XALIGN/YALIGN 0 = left/top,
 * 0.5 = centre, 1 = right/bottom. */
static void
draw_text (cairo_t    *cr,
           const char *font,
           const char *text,
           double      x,
           double      y,
           double      xalign,
           double      yalign,
           double      wrap_width)
{
  g_autoptr(PangoLayout) layout = make_layout (cr, font, text);
  int w, h;

  if (wrap_width > 0)
    {
      pango_layout_set_width (layout, (int) (wrap_width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - xalign * w, y - yalign * h);
  pango_cairo_show_layout (cr, layout);
}

/* Layout */

static guint
n_legend_rows (const TlOutcomeMap *map)
{
  guint rows = 0;

  for (guint c = 0; c < TL_MAP_N_CATEGORIES; c++)
    if (map->category_runs[c] > 0)
      rows++;
  if (g_hash_table_size (map->mixed_counts) > 0)
    rows++;
  for (guint i = 0; i < map->axes[0].n * map->axes[1].n; i++)
    if (map->cells[i].n_runs == 0)
      {
        rows++;
        break;
      }
  return rows;
}

static void
compute_layout (const TlOutcomeMap *map,
                MapLayout          *l)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (surface);
  double title_h = 0, caption_h = 0, legend_h;

  l->width = WIDTH;
  text_size (cr, font_title, map->title != NULL ? map->title : "Outcome map", 0, NULL, &title_h);
  if (map->caption != NULL && *map->caption)
    text_size (cr, font_small, map->caption, WIDTH - 2 * MARGIN, NULL, &caption_h);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  l->title_y = MARGIN;
  l->caption_y = l->title_y + title_h + 4;
  l->plot_y = l->caption_y + caption_h + 22;
  l->plot_x = MARGIN + (map->strip ? 12 : Y_AXIS_W);
  l->plot_w = WIDTH - MARGIN - LEGEND_W - 24 - l->plot_x;
  l->plot_h = map->strip ? STRIP_H : PLOT_H;
  l->legend_x = l->plot_x + l->plot_w + 24;
  l->legend_y = l->plot_y;
  legend_h = 24 + n_legend_rows (map) * LEGEND_ROW;
  l->height = ceil (MAX (l->plot_y + l->plot_h + X_AXIS_H, l->legend_y + legend_h) + MARGIN);
}

void
tl_outcome_map_get_size (const TlOutcomeMap *map,
                         int                *width,
                         int                *height)
{
  MapLayout l;

  compute_layout (map, &l);
  *width = (int) l.width;
  *height = (int) l.height;
}

static double
cell_left (const MapLayout    *l,
           const TlOutcomeMap *map,
           guint               x)
{
  /* Whole units: neighbouring cells share an exact pixel edge, so no
   * seam shows between them and borders land on pixel boundaries. */
  return round (l->plot_x + l->plot_w * x / map->axes[0].n);
}

/* Upwards: the first value at the bottom. */
static double
cell_top (const MapLayout    *l,
          const TlOutcomeMap *map,
          guint               y)
{
  return round (l->plot_y + l->plot_h * (map->axes[1].n - y - 1) / map->axes[1].n);
}

static double
cell_bottom (const MapLayout    *l,
             const TlOutcomeMap *map,
             guint               y)
{
  return round (l->plot_y + l->plot_h * (map->axes[1].n - y) / map->axes[1].n);
}

static void
layout_cell_rect (const MapLayout    *l,
                  const TlOutcomeMap *map,
                  guint               x,
                  guint               y,
                  cairo_rectangle_t  *rect)
{
  rect->x = cell_left (l, map, x);
  rect->y = cell_top (l, map, y);
  rect->width = cell_left (l, map, x + 1) - rect->x;
  rect->height = cell_bottom (l, map, y) - rect->y;
}

void
tl_outcome_map_cell_rect (const TlOutcomeMap *map,
                          guint               x,
                          guint               y,
                          cairo_rectangle_t  *rect)
{
  MapLayout l;

  compute_layout (map, &l);
  layout_cell_rect (&l, map, x, y, rect);
}

/* The index I in 0..N-1 with EDGE (I) <= P < EDGE (I + 1), from a first
 * guess by proportion corrected for the rounding of the edges. */
static gboolean
find_cell (double        p,
           double        start,
           double        length,
           guint         n,
           double      (*edge) (const MapLayout *, const TlOutcomeMap *, guint),
           const MapLayout    *l,
           const TlOutcomeMap *map,
           guint        *out)
{
  gint64 i;

  if (length <= 0 || n == 0)
    return FALSE;
  i = (gint64) floor ((p - start) * n / length);
  i = CLAMP (i, 0, (gint64) n - 1);
  while (i > 0 && p < edge (l, map, (guint) i))
    i--;
  while (i + 1 < (gint64) n && p >= edge (l, map, (guint) i + 1))
    i++;
  if (p < edge (l, map, (guint) i) || p >= edge (l, map, (guint) i + 1))
    return FALSE;
  *out = (guint) i;
  return TRUE;
}

/* Rows counted from the top, for find_cell. */
static double
row_top (const MapLayout    *l,
         const TlOutcomeMap *map,
         guint               row)
{
  return cell_bottom (l, map, map->axes[1].n - row);
}

gboolean
tl_outcome_map_cell_at (const TlOutcomeMap *map,
                        double              px,
                        double              py,
                        guint              *x,
                        guint              *y)
{
  MapLayout l;
  guint row;

  g_return_val_if_fail (map != NULL && x != NULL && y != NULL, FALSE);

  compute_layout (map, &l);
  if (!find_cell (px, l.plot_x, l.plot_w, map->axes[0].n, cell_left, &l, map, x)
      || !find_cell (py, l.plot_y, l.plot_h, map->axes[1].n, row_top, &l, map, &row))
    return FALSE;
  *y = map->axes[1].n - 1 - row;
  return TRUE;
}

/* Cells */

/* Adds the cells of column X whose category is CATEGORY (and mixed or not
 * as MIXED says, -1: either) to the path, one rectangle per run. */
static void
path_column_runs (cairo_t            *cr,
                  const MapLayout    *l,
                  const TlOutcomeMap *map,
                  const guint        *categories,
                  const guint8       *mixed,
                  guint               x,
                  guint               category,
                  int                 want_mixed)
{
  guint n_y = map->axes[1].n;
  double left = cell_left (l, map, x), right = cell_left (l, map, x + 1);

  for (guint y = 0; y < n_y;)
    {
      guint i = cell_index (map, x, y);
      guint end = y;

      if (categories[i] != category || (want_mixed >= 0 && mixed[i] != want_mixed))
        {
          y++;
          continue;
        }
      while (end < n_y && categories[cell_index (map, x, end)] == category
             && (want_mixed < 0 || mixed[cell_index (map, x, end)] == want_mixed))
        end++;
      /* Rows go upwards: END-1 is the top of the run. */
      cairo_rectangle (cr, left, cell_top (l, map, end - 1), right - left,
                       cell_bottom (l, map, y) - cell_top (l, map, end - 1));
      y = end;
    }
}

/* Diagonal lines on a tile: DARK over a cell's colour (seeds disagree),
 * grey on white (nothing ran there). */
static cairo_pattern_t *
hatch_pattern (gboolean over_colour)
{
  cairo_surface_t *tile = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 6, 6);
  cairo_t *cr = cairo_create (tile);
  cairo_pattern_t *pattern;

  if (!over_colour)
    {
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_paint (cr);
    }
  if (over_colour)
    cairo_set_source_rgba (cr, 0.05, 0.05, 0.05, 0.42);
  else
    cairo_set_source_rgb (cr, 0.62, 0.62, 0.62);
  cairo_set_line_width (cr, 1.3);
  /* Three strokes so the lines join across tile edges. */
  for (int offset = -6; offset <= 6; offset += 6)
    {
      cairo_move_to (cr, offset - 1, 7);
      cairo_line_to (cr, offset + 7, -1);
    }
  cairo_stroke (cr);
  cairo_destroy (cr);
  pattern = cairo_pattern_create_for_surface (tile);
  cairo_pattern_set_extend (pattern, CAIRO_EXTEND_REPEAT);
  cairo_surface_destroy (tile);
  return pattern;
}

static void
draw_cells (cairo_t            *cr,
            const MapLayout    *l,
            const TlOutcomeMap *map,
            const guint        *categories,
            const guint8       *mixed)
{
  guint n_x = map->axes[0].n;
  cairo_pattern_t *hatch;

  /* One fill per category: no seams between cells of the same colour. */
  for (guint c = 0; c < TL_MAP_N_CATEGORIES; c++)
    {
      double rgb[3];

      if (map->category_runs[c] == 0)
        continue;
      for (guint x = 0; x < n_x; x++)
        path_column_runs (cr, l, map, categories, mixed, x, c, -1);
      tl_outcome_map_category_color (c, rgb);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill (cr);
    }

  /* Seeds that disagree: hatched over the most common outcome's colour. */
  for (guint c = 0; c < TL_MAP_N_CATEGORIES; c++)
    if (map->category_runs[c] > 0)
      for (guint x = 0; x < n_x; x++)
        path_column_runs (cr, l, map, categories, mixed, x, c, 1);
  hatch = hatch_pattern (TRUE);
  cairo_set_source (cr, hatch);
  cairo_fill (cr);
  cairo_pattern_destroy (hatch);

  for (guint x = 0; x < n_x; x++)
    path_column_runs (cr, l, map, categories, mixed, x, TL_MAP_NO_RUN, -1);
  hatch = hatch_pattern (FALSE);
  cairo_set_source (cr, hatch);
  cairo_fill (cr);
  cairo_pattern_destroy (hatch);
}

/* A line on every edge between cells of different categories, as long
 * straight runs so the path stays small. */
static void
draw_boundaries (cairo_t            *cr,
                 const MapLayout    *l,
                 const TlOutcomeMap *map,
                 const guint        *categories)
{
  guint n_x = map->axes[0].n, n_y = map->axes[1].n;

  /* Vertical edges: between column x-1 and x. */
  for (guint x = 1; x < n_x; x++)
    {
      double edge = cell_left (l, map, x);

      for (guint y = 0; y < n_y;)
        {
          guint end = y;

          while (end < n_y && categories[cell_index (map, x - 1, end)]
                              != categories[cell_index (map, x, end)])
            end++;
          if (end > y)
            {
              cairo_move_to (cr, edge, cell_bottom (l, map, y));
              cairo_line_to (cr, edge, cell_top (l, map, end - 1));
              y = end;
            }
          else
            y++;
        }
    }
  /* Horizontal edges: between row y-1 and y. */
  for (guint y = 1; y < n_y; y++)
    {
      double edge = cell_bottom (l, map, y);

      for (guint x = 0; x < n_x;)
        {
          guint end = x;

          while (end < n_x && categories[cell_index (map, end, y - 1)]
                              != categories[cell_index (map, end, y)])
            end++;
          if (end > x)
            {
              cairo_move_to (cr, cell_left (l, map, x), edge);
              cairo_line_to (cr, cell_left (l, map, end), edge);
              x = end;
            }
          else
            x++;
        }
    }
  /* Two units wide: whatever the fractional position, the pixel the edge
   * falls in is fully dark. */
  cairo_set_source_rgb (cr, 0.08, 0.08, 0.08);
  cairo_set_line_width (cr, 2.0);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_SQUARE);
  cairo_stroke (cr);
}

/* Axes */

/* The unit a time axis is labelled in: the largest that keeps values at
 * or above one. */
static void
display_unit (const MapAxis *axis,
              guint         *decimals,
              const char   **suffix)
{
  static const struct { guint decimals; const char *suffix; } time_units[] = {
    { 9, "s" }, { 6, "ms" }, { 3, "µs" }, { 0, "ns" },
  };
  guint64 largest = 0;

  switch (axis->unit)
    {
    case TL_MAP_UNIT_TIME:
      for (guint i = 0; i < axis->n; i++)
        largest = MAX (largest, (guint64) ABS (axis->values[i]));
      for (guint u = 0; u < G_N_ELEMENTS (time_units); u++)
        {
          guint64 scale = 1;

          for (guint d = 0; d < time_units[u].decimals; d++)
            scale *= 10;
          if (largest >= scale || time_units[u].decimals == 0)
            {
              *decimals = time_units[u].decimals;
              *suffix = time_units[u].suffix;
              return;
            }
        }
      break;
    case TL_MAP_UNIT_PERCENT:
      *decimals = axis->decimals;
      *suffix = "%";
      return;
    case TL_MAP_UNIT_NUMBER:
    default:
      *decimals = axis->decimals;
      *suffix = NULL;
      return;
    }
}

/* MANTISSA / 10^DECIMALS, exactly, without trailing zeros. */
static char *
format_decimal (gint64 mantissa,
                guint  decimals)
{
  guint64 magnitude = mantissa < 0 ? (guint64) -(mantissa + 1) + 1 : (guint64) mantissa;
  guint64 scale = 1;
  GString *s = g_string_new (mantissa < 0 ? "−" : "");
  guint64 fraction;
  char digits[20];
  guint n = decimals;

  for (guint d = 0; d < decimals; d++)
    scale *= 10;
  g_string_append_printf (s, "%" G_GUINT64_FORMAT, magnitude / scale);
  fraction = magnitude % scale;
  if (fraction != 0)
    {
      for (guint i = decimals; i > 0; i--)
        {
          digits[i - 1] = (char) ('0' + fraction % 10);
          fraction /= 10;
        }
      while (n > 0 && digits[n - 1] == '0')
        n--;
      g_string_append_c (s, '.');
      g_string_append_len (s, digits, n);
    }
  return g_string_free (s, FALSE);
}

static gboolean
increasing (const MapAxis *axis)
{
  for (guint i = 1; i < axis->n; i++)
    if (axis->values[i] <= axis->values[i - 1])
      return FALSE;
  return TRUE;
}

/* Where value V falls, in cells from the first cell's centre. */
static double
value_position (const MapAxis *axis,
                gint64         v)
{
  guint lo = 0, hi = axis->n - 1;

  if (axis->n == 1)
    return 0;
  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (axis->values[mid] <= v)
        lo = mid;
      else
        hi = mid;
    }
  return lo + (double) (v - axis->values[lo])
              / (double) (axis->values[lo + 1] - axis->values[lo]);
}

typedef void (*TickFunc) (cairo_t *cr, const MapLayout *l, const TlOutcomeMap *map,
                          double position, const char *label);

/* Calls TICK for round values on the axis: the smallest step of 1, 2 or 5
 * times a power of ten giving at most MAX_TICKS ticks.  An axis whose
 * values are not increasing (a --vary list) gets a tick per value,
 * thinned to fit. */
static void
for_each_tick (cairo_t            *cr,
               const MapLayout    *l,
               const TlOutcomeMap *map,
               const MapAxis      *axis,
               guint               max_ticks,
               guint               label_decimals,
               TickFunc            tick)
{
  gint64 lo = axis->values[0], hi = axis->values[axis->n - 1];

  if (!increasing (axis) || axis->n <= 2)
    {
      guint every = (axis->n + max_ticks - 1) / MAX (max_ticks, 1);

      for (guint i = 0; i < axis->n; i += MAX (every, 1))
        {
          g_autofree char *label = format_decimal (axis->values[i], label_decimals);

          tick (cr, l, map, i, label);
        }
      return;
    }
  for (gint64 power = 1;; power *= 10)
    {
      static const gint64 factors[] = { 1, 2, 5 };

      for (guint f = 0; f < G_N_ELEMENTS (factors); f++)
        {
          gint64 step = power * factors[f];
          /* First multiple of STEP at or after LO (LO may be negative). */
          gint64 first = lo >= 0 ? (lo + step - 1) / step * step : -((-lo) / step * step);
          guint64 count = first > hi ? 0 : (guint64) ((hi - first) / step) + 1;

          if (count > max_ticks)
            continue;
          for (gint64 v = first; v <= hi; v += step)
            {
              g_autofree char *label = format_decimal (v, label_decimals);

              tick (cr, l, map, value_position (axis, v), label);
            }
          return;
        }
      if (power > G_MAXINT64 / 100)
        return;
    }
}

static void
x_tick (cairo_t            *cr,
        const MapLayout    *l,
        const TlOutcomeMap *map,
        double              position,
        const char         *label)
{
  double x = l->plot_x + (position + 0.5) * l->plot_w / map->axes[0].n;
  double bottom = l->plot_y + l->plot_h;

  cairo_move_to (cr, x, bottom);
  cairo_line_to (cr, x, bottom + 5);
  cairo_stroke (cr);
  draw_text (cr, font_small, label, x, bottom + 7, 0.5, 0, 0);
}

static void
y_tick (cairo_t            *cr,
        const MapLayout    *l,
        const TlOutcomeMap *map,
        double              position,
        const char         *label)
{
  double y = l->plot_y + l->plot_h - (position + 0.5) * l->plot_h / map->axes[1].n;

  cairo_move_to (cr, l->plot_x, y);
  cairo_line_to (cr, l->plot_x - 5, y);
  cairo_stroke (cr);
  draw_text (cr, font_small, label, l->plot_x - 7, y, 1, 0.5, 0);
}

static char *
axis_title (const MapAxis *axis)
{
  guint decimals;
  const char *suffix;
  const char *label = axis->label != NULL ? axis->label : "";

  display_unit (axis, &decimals, &suffix);
  return suffix != NULL ? g_strdup_printf ("%s (%s)", label, suffix) : g_strdup (label);
}

/* "B.connect.at-A.connect.at" reads better as "B.connect.at − A.connect.at";
 * arrows ("A<->B", "A->B") stay as they are. */
static char *
pretty_label (const char *label)
{
  GString *s = g_string_new (NULL);

  for (const char *p = label; *p; p++)
    {
      if (*p == '-' && p[1] != '>')
        g_string_append (s, " − ");
      else
        g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

static void
draw_axes (cairo_t            *cr,
           const MapLayout    *l,
           const TlOutcomeMap *map)
{
  guint decimals;
  const char *suffix;
  g_autofree char *x_title = NULL;

  cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
  cairo_set_line_width (cr, 1);

  display_unit (&map->axes[0], &decimals, &suffix);
  for_each_tick (cr, l, map, &map->axes[0], (guint) (l->plot_w / 64), decimals, x_tick);
  x_title = axis_title (&map->axes[0]);
  {
    g_autofree char *pretty = pretty_label (x_title);
    draw_text (cr, font_text, pretty, l->plot_x + l->plot_w / 2, l->plot_y + l->plot_h + 28,
               0.5, 0, 0);
  }

  if (!map->strip)
    {
      g_autofree char *y_title = axis_title (&map->axes[1]);
      g_autofree char *pretty = pretty_label (y_title);

      display_unit (&map->axes[1], &decimals, &suffix);
      for_each_tick (cr, l, map, &map->axes[1], (guint) (l->plot_h / 36), decimals, y_tick);
      cairo_save (cr);
      cairo_translate (cr, MARGIN, l->plot_y + l->plot_h / 2);
      cairo_rotate (cr, -G_PI / 2);
      draw_text (cr, font_text, pretty, 0, 0, 0.5, 0, 0);
      cairo_restore (cr);
    }

  cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
  cairo_rectangle (cr, l->plot_x - 0.5, l->plot_y - 0.5, l->plot_w + 1, l->plot_h + 1);
  cairo_stroke (cr);
}

/* Legend */

static void
legend_swatch (cairo_t *cr,
               double   x,
               double   y)
{
  cairo_rectangle (cr, x + 0.5, y + 0.5, SWATCH, SWATCH);
}

static void
draw_legend (cairo_t            *cr,
             const MapLayout    *l,
             const TlOutcomeMap *map)
{
  double x = l->legend_x, y = l->legend_y;
  gboolean any_missing = FALSE;

  cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
  {
    g_autofree char *heading = g_strdup_printf ("Outcome (%" G_GUINT64_FORMAT " run%s)",
                                                map->n_runs, map->n_runs == 1 ? "" : "s");
    draw_text (cr, font_text, heading, x, y, 0, 0, LEGEND_W);
  }
  y += 24;

  for (guint c = 0; c < TL_MAP_N_CATEGORIES; c++)
    {
      double rgb[3];
      g_autofree char *label = NULL;
      g_autofree char *text = NULL;
      double share;

      if (map->category_runs[c] == 0)
        continue;
      tl_outcome_map_category_color (c, rgb);
      legend_swatch (cr, x, y);
      cairo_set_source_rgb (cr, rgb[0], rgb[1], rgb[2]);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0.08, 0.08, 0.08);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      label = category_label (c);
      share = 100.0 * (double) map->category_runs[c] / (double) map->n_runs;
      text = g_strdup_printf ("%s  %.1f%%", label, share);
      draw_text (cr, font_small, text, x + SWATCH + 8, y + SWATCH / 2.0 + 0.5, 0, 0.5,
                 LEGEND_W - SWATCH - 8);
      y += LEGEND_ROW;
    }

  if (g_hash_table_size (map->mixed_counts) > 0)
    {
      cairo_pattern_t *hatch = hatch_pattern (TRUE);

      legend_swatch (cr, x, y);
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_fill_preserve (cr);
      cairo_set_source (cr, hatch);
      cairo_fill_preserve (cr);
      cairo_pattern_destroy (hatch);
      cairo_set_source_rgb (cr, 0.08, 0.08, 0.08);
      cairo_stroke (cr);
      draw_text (cr, font_small, "hatched: seeds disagree (colour: the most common)",
                 x + SWATCH + 8, y + SWATCH / 2.0 + 0.5, 0, 0.5, LEGEND_W - SWATCH - 8);
      y += LEGEND_ROW;
    }

  for (guint i = 0; i < map->axes[0].n * map->axes[1].n && !any_missing; i++)
    any_missing = map->cells[i].n_runs == 0;
  if (any_missing)
    {
      cairo_pattern_t *hatch = hatch_pattern (FALSE);

      legend_swatch (cr, x, y);
      cairo_set_source (cr, hatch);
      cairo_fill_preserve (cr);
      cairo_pattern_destroy (hatch);
      cairo_set_source_rgb (cr, 0.08, 0.08, 0.08);
      cairo_stroke (cr);
      draw_text (cr, font_small, "not run", x + SWATCH + 8, y + SWATCH / 2.0 + 0.5, 0, 0.5, 0);
    }
}

void
tl_outcome_map_draw (const TlOutcomeMap *map,
                     cairo_t            *cr)
{
  MapLayout l;
  guint n_cells = map->axes[0].n * map->axes[1].n;
  g_autofree guint *categories = g_new (guint, n_cells);
  g_autofree guint8 *mixed = g_new (guint8, n_cells);

  compute_layout (map, &l);
  for (guint y = 0; y < map->axes[1].n; y++)
    for (guint x = 0; x < map->axes[0].n; x++)
      {
        gboolean m;
        guint i = cell_index (map, x, y);

        categories[i] = tl_outcome_map_get_category (map, x, y, &m);
        mixed[i] = (guint8) m;
      }

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);

  cairo_set_source_rgb (cr, 0.05, 0.05, 0.05);
  draw_text (cr, font_title, map->title != NULL ? map->title : "Outcome map",
             MARGIN, l.title_y, 0, 0, 0);
  if (map->caption != NULL && *map->caption)
    {
      cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
      draw_text (cr, font_small, map->caption, MARGIN, l.caption_y, 0, 0, WIDTH - 2 * MARGIN);
    }

  /* Crisp cell edges: neighbouring fills must not bleed into each other. */
  cairo_save (cr);
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  draw_cells (cr, &l, map, categories, mixed);
  cairo_restore (cr);
  draw_boundaries (cr, &l, map, categories);
  draw_axes (cr, &l, map);
  draw_legend (cr, &l, map);
  cairo_restore (cr);
}

/* Saving */

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

gboolean
tl_outcome_map_path_supported (const char *path)
{
  return g_str_has_suffix (path, ".svg") || g_str_has_suffix (path, ".png")
         || g_str_has_suffix (path, ".pdf");
}

gboolean
tl_outcome_map_save (const TlOutcomeMap *map,
                     const char         *path,
                     GError            **error)
{
  g_autoptr(GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  int width, height;

  tl_outcome_map_get_size (map, &width, &height);
  if (g_str_has_suffix (path, ".svg"))
    surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width, height);
  else if (g_str_has_suffix (path, ".pdf"))
    surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, width, height);
  else if (g_str_has_suffix (path, ".png"))
    surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  else
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                   "%s: the map is written as .svg, .png or .pdf", path);
      return FALSE;
    }

  cr = cairo_create (surface);
  tl_outcome_map_draw (map, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS && g_str_has_suffix (path, ".png"))
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_FAILED, "%s: drawing failed: %s", path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return g_file_set_contents (path, (const char *) bytes->data, (gssize) bytes->len, error);
}

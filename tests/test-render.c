/* test-render.c: the ladder renderer (gui/render/).
 *
 * Pictures are checked by structure, not by eye: SVG must parse as XML and
 * hold one stroked path per arrow in an arrow colour (the legend, which has
 * sample arrows, is switched off there); PNG must have the requested size
 * and mostly non-background pixels where the ladder is; labels must not
 * overlap each other or cover an arrow end; the same input must give the
 * same bytes.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "test-render-samples.h"
#include "tl-render-private.h"
#include "tl-render.h"
#include "tl-time-map.h"

/* ---- helpers ------------------------------------------------------------- */

static TlRenderOptions
default_options (void)
{
  TlRenderOptions o;

  tl_render_options_init (&o);
  return o;
}

static GBytes *
render_bytes (TlTrace               *trace,
              const TlRenderOptions *options,
              TlRenderFormat         format)
{
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, options);
  g_autoptr (GError) error = NULL;
  GBytes *bytes = tl_render_layout_to_bytes (layout, format, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  return bytes;
}

/* SVG paths that are stroked (fill:none) in a given colour: cairo writes
 * colours as percentages, "stroke:rgb(4%,36.1%,83.9%)". */
typedef struct
{
  const TlRenderPalette *palette;
  guint                  n_elements;
  guint                  n_arrows;
  guint                  n_dashed;
  guint                  depth;
  guint                  max_depth;
  gboolean               saw_svg_root;
} SvgCount;

static gboolean
parse_rgb_percent (const char *style,
                   const char *key,
                   double      rgb[3])
{
  const char *p = strstr (style, key);

  if (p == NULL)
    return FALSE;
  p += strlen (key);
  for (guint i = 0; i < 3; i++)
    {
      char *end;
      rgb[i] = g_ascii_strtod (p, &end) / 100.0;
      if (end == p || *end != '%')
        return FALSE;
      p = end + 1;
      if (i < 2 && *p++ != ',')
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_color (const double rgb[3],
            const TlRgb *c)
{
  return fabs (rgb[0] - c->r) < 0.004 && fabs (rgb[1] - c->g) < 0.004 && fabs (rgb[2] - c->b) < 0.004;
}

static void
svg_start (GMarkupParseContext *context,
           const char          *element,
           const char         **names,
           const char         **values,
           gpointer             data,
           GError             **error)
{
  SvgCount *count = data;
  const char *style = NULL;
  double rgb[3];

  count->n_elements++;
  count->depth++;
  count->max_depth = MAX (count->max_depth, count->depth);
  if (strcmp (element, "svg") == 0 && count->depth == 1)
    count->saw_svg_root = TRUE;
  if (strcmp (element, "path") != 0)
    return;
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (names[i], "style") == 0)
      style = values[i];
  if (style == NULL || strstr (style, "fill:none") == NULL
      || !parse_rgb_percent (style, "stroke:rgb(", rgb))
    return;
  for (guint c = 0; c < TL_N_ARROW_COLORS; c++)
    if (same_color (rgb, &count->palette->arrow[c]))
      {
        count->n_arrows++;
        if (strstr (style, "stroke-dasharray") != NULL)
          count->n_dashed++;
        break;
      }
}

static void
svg_end (GMarkupParseContext *context,
         const char          *element,
         gpointer             data,
         GError             **error)
{
  ((SvgCount *) data)->depth--;
}

static SvgCount
parse_svg (GBytes        *bytes,
           TlRenderTheme  theme)
{
  static const GMarkupParser parser = { svg_start, svg_end, NULL, NULL, NULL };
  SvgCount count = { tl_render_palette (theme) };
  g_autoptr (GError) error = NULL;
  GMarkupParseContext *context = g_markup_parse_context_new (&parser, 0, &count, NULL);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  g_assert_true (g_markup_parse_context_parse (context, data, (gssize) length, &error));
  g_assert_no_error (error);
  g_assert_true (g_markup_parse_context_end_parse (context, &error));
  g_assert_no_error (error);
  g_markup_parse_context_free (context);
  g_assert_true (count.saw_svg_root);
  g_assert_cmpuint (count.depth, ==, 0);
  return count;
}

typedef struct
{
  GBytes *bytes;
  gsize   offset;
} PngReader;

static cairo_status_t
read_png (void          *closure,
          unsigned char *data,
          unsigned int   length)
{
  PngReader *reader = closure;
  gsize size;
  const guint8 *bytes = g_bytes_get_data (reader->bytes, &size);

  if (reader->offset + length > size)
    return CAIRO_STATUS_READ_ERROR;
  memcpy (data, bytes + reader->offset, length);
  reader->offset += length;
  return CAIRO_STATUS_SUCCESS;
}

static cairo_surface_t *
load_png (GBytes *bytes)
{
  PngReader reader = { bytes, 0 };
  cairo_surface_t *surface = cairo_image_surface_create_from_png_stream (read_png, &reader);

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  return surface;
}

/* Share of pixels in a rectangle that differ from the background. */
static double
ink_ratio (cairo_surface_t *surface,
           const TlRgb     *background,
           int x0, int y0, int x1, int y1)
{
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  guint64 ink = 0, total = 0;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      {
        guint32 px = *(const guint32 *) (data + (gsize) y * stride + (gsize) x * 4);
        int r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;
        if (abs (r - (int) (background->r * 255 + 0.5)) + abs (g - (int) (background->g * 255 + 0.5))
            + abs (b - (int) (background->b * 255 + 0.5)) > 24)
          ink++;
        total++;
      }
  return total > 0 ? (double) ink / (double) total : 0;
}

/* ---- the time map ----------------------------------------------------------- */

static void
test_time_map_pieces (void)
{
  g_autoptr (TlTimeMap) map = tl_time_map_new (TL_MSEC (10), 100);

  tl_time_map_append_linear (map, TL_MSEC (20), 10000);   /* 10 px per ms */
  tl_time_map_append_break (map, TL_SEC (60), 30);
  tl_time_map_append_linear (map, TL_SEC (60) + TL_MSEC (5), 10000);

  g_assert_cmpuint (tl_time_map_get_n_pieces (map), ==, 3);
  g_assert_cmpuint (tl_time_map_get_n_breaks (map), ==, 1);
  g_assert_cmpfloat_with_epsilon (tl_time_map_get_scale (map), 10000, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_map_to_y (map, TL_MSEC (10)), 100, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_map_to_y (map, TL_MSEC (15)), 150, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_map_to_y (map, TL_MSEC (20)), 200, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_map_to_y (map, TL_SEC (60)), 230, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_map_to_y (map, TL_SEC (60) + TL_MSEC (5)), 280, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_map_get_y_end (map), 280, 1e-9);
  /* Outside: the linear scale goes on, so clipped arrows keep their slope. */
  g_assert_cmpfloat_with_epsilon (tl_time_map_to_y (map, TL_MSEC (9)), 90, 1e-9);
  g_assert_cmpfloat_with_epsilon (tl_time_map_to_y (map, TL_SEC (60) + TL_MSEC (6)), 290, 1e-9);
  /* Monotonic through the break. */
  g_assert_cmpfloat (tl_time_map_to_y (map, TL_SEC (30)), >, 200);
  g_assert_cmpfloat (tl_time_map_to_y (map, TL_SEC (30)), <, 230);
  /* Boundaries belong to the later piece; outside is -1. */
  g_assert_cmpint (tl_time_map_find_piece (map, TL_MSEC (20)), ==, 1);
  g_assert_cmpint (tl_time_map_find_piece (map, TL_MSEC (19)), ==, 0);
  g_assert_cmpint (tl_time_map_find_piece (map, TL_SEC (61)), ==, -1);
  g_assert_true (tl_time_map_get_piece (map, 1)->is_break);
}

static void
test_time_map_inverse (void)
{
  g_autoptr (TlTimeMap) map = tl_time_map_new (0, 0);
  TlTime samples[] = { 0, 1, TL_USEC (3), TL_MSEC (7), TL_MSEC (10), TL_SEC (2), TL_SEC (5) + 17 };

  tl_time_map_append_linear (map, TL_MSEC (10), 8000);
  tl_time_map_append_break (map, TL_SEC (5), 34);
  tl_time_map_append_linear (map, TL_SEC (6), 8000);
  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    {
      TlTime back = tl_time_map_to_time (map, tl_time_map_to_y (map, samples[i]));
      const TlTimeMapPiece *piece = tl_time_map_get_piece (map, (guint) tl_time_map_find_piece (map, samples[i]));
      /* Exact to the pixel's worth of time: 125 ns at 8000 px/s in linear
       * pieces; a break squeezes seconds into pixels, so less there. */
      double tolerance = piece->is_break ? 2e6 : 200;
      g_assert_cmpfloat (fabs ((double) (back - samples[i])), <=, tolerance);
    }
}

/* ---- layouts ------------------------------------------------------------------ */

static void
test_sample_arrows (gconstpointer data)
{
  const TlRenderSample *sample = data;
  g_autoptr (TlTrace) trace = sample->build ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
  guint dashed = 0, labelled = 0;

  g_assert_cmpuint (tl_render_layout_get_n_arrows (layout), ==, sample->n_arrows);
  for (guint i = 0; i < layout->legs->len; i++)
    dashed += g_array_index (layout->legs, TlLeg, i).dashed;
  g_assert_cmpuint (dashed, ==, sample->n_dashed);

  /* Every segment is labelled: along its arrow or by a call-out. */
  for (guint i = 0; i < layout->panes[0].model->packets->len; i++)
    labelled += layout->panes[0].packet_first_leg[i] != TL_RENDER_NONE_INDEX;
  g_assert_cmpuint (tl_render_layout_get_n_labels (layout) + tl_render_layout_get_n_callouts (layout),
                    ==, labelled);
  g_assert_cmpuint (tl_render_layout_get_n_hidden_labels (layout), ==, 0);
}

static void
sample_points (const TlLabel *label,
               double         xs[15],
               double         ys[15])
{
  guint n = 0;

  for (int i = -2; i <= 2; i++)
    for (int j = -1; j <= 1; j++)
      {
        double lx = label->hw * i / 2.0 * 0.98, ly = label->hh * j * 0.98;
        xs[n] = label->cx + lx * label->ux - ly * label->uy;
        ys[n] = label->cy + lx * label->uy + ly * label->ux;
        n++;
      }
}

static void
test_sample_labels_clear (gconstpointer data)
{
  const TlRenderSample *sample = data;
  g_autoptr (TlTrace) trace = sample->build ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = NULL;

  o.show_options = g_str_equal (sample->name, "simultaneous-open");
  layout = tl_render_layout_new (trace, &o);
  for (guint i = 0; i < layout->labels->len; i++)
    {
      const TlLabel *a = &g_array_index (layout->labels, TlLabel, i);
      double xs[15], ys[15];

      sample_points (a, xs, ys);
      for (guint j = 0; j < layout->labels->len; j++)
        {
          const TlLabel *b = &g_array_index (layout->labels, TlLabel, j);
          if (i == j)
            continue;
          for (guint k = 0; k < 15; k++)
            g_assert_false (tl_render_label_hits_point (b, xs[k], ys[k]));
        }
      /* No arrow end under a label: heads and tails stay readable. */
      for (guint l = 0; l < layout->legs->len; l++)
        {
          const TlLeg *leg = &g_array_index (layout->legs, TlLeg, l);
          g_assert_false (tl_render_label_hits_point (a, leg->x0, leg->y0));
          g_assert_false (tl_render_label_hits_point (a, leg->x1, leg->y1));
        }
      /* Inside the picture, between the lifelines. */
      g_assert_cmpfloat (a->cx, >, layout->panes[0].host_x[TL_HOST_A]);
      g_assert_cmpfloat (a->cx, <, layout->panes[0].host_x[TL_HOST_B]);
    }
}

static gboolean
segments_cross (const TlLeg *a,
                const TlLeg *b)
{
  double d1x = a->x1 - a->x0, d1y = a->y1 - a->y0, d2x = b->x1 - b->x0, d2y = b->y1 - b->y0;
  double den = d1x * d2y - d1y * d2x, t, u;

  if (fabs (den) < 1e-9)
    return FALSE;
  t = ((b->x0 - a->x0) * d2y - (b->y0 - a->y0) * d2x) / den;
  u = ((b->x0 - a->x0) * d1y - (b->y0 - a->y0) * d1x) / den;
  return t > 0 && t < 1 && u > 0 && u < 1;
}

/* The point of the picture: FINs sent 0.2 ms apart from both ends cross. */
static void
test_crossing (void)
{
  g_autoptr (TlTrace) trace = tl_sample_simultaneous_close ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
  const TlLeg *fin_a = &g_array_index (layout->legs, TlLeg, 0);
  const TlLeg *fin_b = &g_array_index (layout->legs, TlLeg, 1);

  g_assert_cmpuint (layout->legs->len, ==, 4);
  g_assert_cmpfloat (fin_a->x0, <, fin_a->x1);   /* A -> B goes right */
  g_assert_cmpfloat (fin_b->x0, >, fin_b->x1);
  g_assert_cmpfloat (fin_a->y1, >, fin_a->y0);   /* time flows down */
  g_assert_true (segments_cross (fin_a, fin_b));
  /* Slopes are the link delay: 2 ms flights get the same height. */
  g_assert_cmpfloat_with_epsilon (fin_a->y1 - fin_a->y0, fin_b->y1 - fin_b->y0, 0.01);
}

static void
test_router_legs (void)
{
  g_autoptr (TlTrace) trace = tl_sample_simultaneous_open ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
  double xr = tl_render_layout_get_lifeline_x (layout, 0, TL_HOST_ROUTER);
  const TlLeg *first = &g_array_index (layout->legs, TlLeg, 0);
  const TlLeg *second = &g_array_index (layout->legs, TlLeg, 1);
  const TlTimeMap *map = tl_render_layout_get_time_map (layout);

  g_assert_cmpfloat (xr, >, tl_render_layout_get_lifeline_x (layout, 0, TL_HOST_A));
  g_assert_cmpfloat (xr, <, tl_render_layout_get_lifeline_x (layout, 0, TL_HOST_B));
  /* A's first SYN: to the router at 5 ms, held, out at 1 s. */
  g_assert_cmpfloat_with_epsilon (first->x1, xr, 1e-9);
  g_assert_cmpfloat_with_epsilon (first->y1, tl_time_map_to_y (map, TL_MSEC (5)), 1e-6);
  g_assert_cmpfloat_with_epsilon (second->x0, xr, 1e-9);
  g_assert_cmpfloat_with_epsilon (second->y0, tl_time_map_to_y (map, TL_SEC (1)), 1e-6);
  g_assert_cmpuint (layout->holds->len, ==, 2);
  g_assert_cmpuint (layout->pauses->len, ==, 1);
  /* The 1 s pause is squeezed: the picture stays short. */
  g_assert_cmpuint (tl_time_map_get_n_breaks (map), >=, 1);
  {
    double w, h;
    tl_render_layout_get_size (layout, &w, &h);
    g_assert_cmpfloat (h, <, 1500);
  }
}

static void
test_drops_and_retransmissions (void)
{
  g_autoptr (TlTrace) trace = tl_sample_syn_loss ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
  double xa = tl_render_layout_get_lifeline_x (layout, 0, TL_HOST_A);
  double xb = tl_render_layout_get_lifeline_x (layout, 0, TL_HOST_B);
  guint crosses = 0;

  for (guint i = 0; i < layout->legs->len; i++)
    {
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);
      if (!leg->cross)
        continue;
      crosses++;
      /* A lost segment stops halfway. */
      g_assert_cmpfloat_with_epsilon (leg->x1, (xa + xb) / 2, 0.5);
      g_assert_false (leg->head);
    }
  g_assert_cmpuint (crosses, ==, 2);
  /* Labels carry the retransmission number. */
  for (guint i = 0; i < layout->labels->len; i++)
    {
      const TlLabel *label = &g_array_index (layout->labels, TlLabel, i);
      const TlRenderPacket *p = &g_array_index (layout->panes[0].model->packets, TlRenderPacket, label->packet);
      if (p->retransmit > 0)
        {
          g_autofree char *prefix = g_strdup_printf ("#%u ", p->retransmit);
          g_assert_true (g_str_has_prefix (label->line1, prefix));
        }
    }
}

static void
test_relative_and_absolute_seq (void)
{
  g_autoptr (TlTrace) trace = tl_sample_handshake_close ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) rel = tl_render_layout_new (trace, &o);
  g_autoptr (TlRenderLayout) abs_layout = NULL;
  const TlLabel *synack;

  synack = &g_array_index (rel->labels, TlLabel, 1);
  g_assert_cmpstr (synack->line1, ==, "SYN,ACK seq=0 ack=1");
  g_assert_null (synack->line2);
  o.seq_mode = TL_SEQ_ABSOLUTE;
  o.show_options = TRUE;
  abs_layout = tl_render_layout_new (trace, &o);
  synack = &g_array_index (abs_layout->labels, TlLabel, 1);
  if (synack->callout == 0)
    g_assert_cmpstr (synack->line1, ==, "SYN,ACK seq=5000 ack=1001");
  g_assert_nonnull (synack->line2);
  g_assert_true (strstr (synack->line2, "mss 1460") != NULL);

  o.labels = TL_LABELS_FLAGS;
  {
    g_autoptr (TlRenderLayout) flags = tl_render_layout_new (trace, &o);
    g_assert_cmpstr (g_array_index (flags->labels, TlLabel, 1).line1, ==, "SYN,ACK");
  }
  o.labels = TL_LABELS_NONE;
  {
    g_autoptr (TlRenderLayout) none = tl_render_layout_new (trace, &o);
    g_assert_cmpuint (none->labels->len, ==, 0);
  }
}

static void
test_dense_callouts (void)
{
  g_autoptr (TlTrace) trace = tl_sample_burst ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = NULL;
  guint legend_callouts = 0;

  /* Squeeze 48 arrows into a small picture: labels must give way to
   * numbered call-outs listed in the legend. */
  o.width = 700;
  o.height = 600;
  layout = tl_render_layout_new (trace, &o);
  g_assert_cmpuint (tl_render_layout_get_n_callouts (layout), >, 0);
  g_assert_cmpuint (tl_render_layout_get_n_labels (layout) + tl_render_layout_get_n_callouts (layout)
                    + tl_render_layout_get_n_hidden_labels (layout), ==, 48);
  for (guint i = 0; i < layout->legend->len; i++)
    legend_callouts += g_array_index (layout->legend, TlLegendItem, i).kind == TL_LEGEND_CALLOUT;
  g_assert_cmpuint (legend_callouts, ==, tl_render_layout_get_n_callouts (layout));
  {
    double w, h;
    tl_render_layout_get_size (layout, &w, &h);
    g_assert_cmpfloat (w, ==, 700);
    g_assert_cmpfloat (h, ==, 600);
  }
}

static void
test_too_dense_for_labels (void)
{
  g_autoptr (TlTrace) trace = tl_sample_bulk (5000);
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
  double w, h;

  g_assert_cmpuint (tl_render_layout_get_n_arrows (layout), ==, 5000);
  g_assert_cmpuint (tl_render_layout_get_n_labels (layout), ==, 0);
  g_assert_cmpuint (tl_render_layout_get_n_hidden_labels (layout), ==, 5000);
  tl_render_layout_get_size (layout, &w, &h);
  g_assert_cmpfloat (h, <=, 6000);
}

static void
test_compression (void)
{
  g_autoptr (TlTrace) trace = tl_sample_handshake_close ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) squeezed = tl_render_layout_new (trace, &o);
  g_autoptr (TlRenderLayout) linear = NULL;
  const TlTimeMap *map = tl_render_layout_get_time_map (squeezed);
  gboolean saw_time_wait = FALSE;

  /* The 60 s TIME-WAIT is one break; the 171 ms of handshake are linear. */
  g_assert_cmpuint (tl_time_map_get_n_breaks (map), >=, 1);
  for (guint i = 0; i < tl_time_map_get_n_pieces (map); i++)
    {
      const TlTimeMapPiece *p = tl_time_map_get_piece (map, i);
      if (p->is_break && p->t1 - p->t0 > TL_SEC (59))
        saw_time_wait = TRUE;
      if (!p->is_break)
        g_assert_cmpfloat_with_epsilon ((p->y1 - p->y0) / ((double) (p->t1 - p->t0) / 1e9),
                                        tl_time_map_get_scale (map), 1e-6 * tl_time_map_get_scale (map));
    }
  g_assert_true (saw_time_wait);

  o.compress = FALSE;
  linear = tl_render_layout_new (trace, &o);
  g_assert_cmpuint (tl_time_map_get_n_breaks (tl_render_layout_get_time_map (linear)), ==, 0);
  g_assert_cmpuint (tl_time_map_get_n_pieces (tl_render_layout_get_time_map (linear)), ==, 1);
}

static void
test_time_range (void)
{
  g_autoptr (TlTrace) trace = tl_sample_handshake_close ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = NULL;

  /* 95 to 175 ms: the close only (FIN, ACK, FIN, ACK). */
  o.time_from = TL_MSEC (95);
  o.time_to = TL_MSEC (175);
  layout = tl_render_layout_new (trace, &o);
  g_assert_cmpuint (tl_render_layout_get_n_arrows (layout), ==, 4);
  g_assert_cmpint (tl_time_map_get_start (tl_render_layout_get_time_map (layout)), ==, TL_MSEC (95));
  g_assert_cmpint (tl_time_map_get_end (tl_render_layout_get_time_map (layout)), ==, TL_MSEC (175));
}

static void
test_hit_test (void)
{
  g_autoptr (TlTrace) trace = tl_sample_handshake_close ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
  const TlLeg *syn = &g_array_index (layout->legs, TlLeg, 0);
  const TlStateBox *box = NULL;
  TlRenderHit hit;

  g_assert_true (tl_render_hit_test (layout, (syn->x0 + syn->x1) / 2 + 1, (syn->y0 + syn->y1) / 2, &hit));
  g_assert_cmpint (hit.kind, ==, TL_RENDER_HIT_SEGMENT);
  g_assert_cmpuint (hit.packet, ==, 1);
  g_assert_cmpuint (hit.host, ==, TL_HOST_A);
  g_assert_cmpint (tl_trace_get_record (trace, hit.record)->kind, ==, TL_REC_SEND);
  g_assert_cmpint (hit.start, ==, TL_MSEC (1));
  g_assert_cmpint (hit.end, ==, TL_MSEC (11));

  for (guint i = 0; i < layout->states->len; i++)
    {
      const TlStateBox *b = &g_array_index (layout->states, TlStateBox, i);
      const TlRenderSpan *span = &g_array_index (layout->panes[0].model->spans, TlRenderSpan, b->span);
      if (span->host == TL_HOST_A && span->state == TL_STATE_ESTABLISHED)
        box = b;
    }
  g_assert_nonnull (box);
  g_assert_true (tl_render_hit_test (layout, (box->x0 + box->x1) / 2, (box->y0 + box->y1) / 2 + 3, &hit));
  g_assert_cmpint (hit.kind, ==, TL_RENDER_HIT_STATE);
  g_assert_cmpint (hit.state, ==, TL_STATE_ESTABLISHED);
  g_assert_cmpint (hit.start, ==, TL_MSEC (21));
  g_assert_cmpint (tl_trace_get_record (trace, hit.record)->kind, ==, TL_REC_STATE);

  /* Time under the pointer follows the map. */
  g_assert_false (tl_render_hit_test (layout, 3, 3, &hit));
  g_assert_cmpint (hit.kind, ==, TL_RENDER_HIT_NONE);
  {
    double y = tl_time_map_to_y (tl_render_layout_get_time_map (layout), TL_MSEC (80));
    tl_render_hit_test (layout, layout->width - 20, y, &hit);
    g_assert_cmpint (llabs (hit.time - TL_MSEC (80)), <, TL_USEC (200));
  }
}

static void
test_pair (void)
{
  g_autoptr (TlTrace) a = tl_sample_simultaneous_close ();
  g_autoptr (TlTrace) b = tl_sample_handshake_close ();
  TlRenderMismatch mismatches[] = {
    { 4, 4, "first segment: FIN,ACK vs SYN" },
    { TL_RENDER_NO_RECORD, 30, "only on the right" },
  };
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new_pair (a, b, mismatches, 2, &o);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) svg = NULL;
  guint listed = 0;
  double w, h, xa0, xa1;
  TlRenderHit hit;

  tl_render_layout_get_size (layout, &w, &h);
  g_assert_cmpfloat (w, ==, 2000);
  xa0 = tl_render_layout_get_lifeline_x (layout, 0, TL_HOST_B);
  xa1 = tl_render_layout_get_lifeline_x (layout, 1, TL_HOST_A);
  g_assert_cmpfloat (xa0, <, xa1);
  g_assert_cmpuint (tl_render_layout_get_n_arrows (layout), ==, 4 + 9);
  /* Marked on the side that has the record, listed once each. */
  g_assert_cmpuint (layout->mismatches->len, >=, 2);
  for (guint i = 0; i < layout->legend->len; i++)
    listed += g_array_index (layout->legend, TlLegendItem, i).kind == TL_LEGEND_MISMATCH;
  g_assert_cmpuint (listed, ==, 2);

  /* The right-hand ladder answers hit tests as pane 1. */
  {
    const TlLeg *leg = NULL;
    for (guint i = 0; i < layout->legs->len && leg == NULL; i++)
      if (g_array_index (layout->legs, TlLeg, i).pane == 1)
        leg = &g_array_index (layout->legs, TlLeg, i);
    g_assert_nonnull (leg);
    g_assert_true (tl_render_hit_test (layout, (leg->x0 + leg->x1) / 2, (leg->y0 + leg->y1) / 2, &hit));
    g_assert_cmpuint (hit.pane, ==, 1);
  }
  svg = tl_render_layout_to_bytes (layout, TL_RENDER_FORMAT_SVG, &error);
  g_assert_no_error (error);
  parse_svg (svg, o.theme);
}

/* ---- output formats ------------------------------------------------------------ */

static void
test_svg_structure (gconstpointer data)
{
  const TlRenderSample *sample = data;
  g_autoptr (TlTrace) trace = sample->build ();
  TlRenderOptions o = default_options ();
  g_autoptr (GBytes) svg = NULL;
  SvgCount count;

  o.show_legend = FALSE;   /* its sample arrows would count */
  for (guint theme = 0; theme < 2; theme++)
    {
      o.theme = theme;
      svg = render_bytes (trace, &o, TL_RENDER_FORMAT_SVG);
      count = parse_svg (svg, o.theme);
      g_assert_cmpuint (count.n_arrows, ==, sample->n_arrows);
      g_assert_cmpuint (count.n_dashed, ==, sample->n_dashed);
      g_assert_cmpuint (count.n_elements, >, sample->n_arrows * 2);
      g_clear_pointer (&svg, g_bytes_unref);
    }
}

static void
test_png_size_and_ink (void)
{
  g_autoptr (TlTrace) trace = tl_sample_simultaneous_open ();
  TlRenderOptions o = default_options ();

  o.width = 800;
  o.height = 600;
  for (guint theme = 0; theme < 2; theme++)
    for (guint scale = 1; scale <= 2; scale++)
      {
        g_autoptr (GBytes) png = NULL;
        cairo_surface_t *surface;
        const TlRgb *bg = &tl_render_palette (theme)->background;
        double top, bottom;

        o.theme = theme;
        o.dpi = 96 * scale;
        png = render_bytes (trace, &o, TL_RENDER_FORMAT_PNG);
        surface = load_png (png);
        g_assert_cmpint (cairo_image_surface_get_width (surface), ==, 800 * scale);
        g_assert_cmpint (cairo_image_surface_get_height (surface), ==, 600 * scale);
        /* Background in the corner, ink in the ladder. */
        g_assert_cmpfloat (ink_ratio (surface, bg, 0, 0, 4, 4), ==, 0);
        {
          g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
          tl_render_layout_get_ladder_extent (layout, &top, &bottom);
        }
        g_assert_cmpfloat (ink_ratio (surface, bg, 0, (int) (top * scale), 800 * scale,
                                      (int) (bottom * scale)), >, 0.08);
        g_assert_cmpfloat (ink_ratio (surface, bg, 0, 0, 800 * scale, 600 * scale), <, 0.9);
        cairo_surface_destroy (surface);
      }
}

static void
test_pdf_output (void)
{
  g_autoptr (TlTrace) trace = tl_sample_refused ();
  TlRenderOptions o = default_options ();
  g_autoptr (GBytes) pdf = render_bytes (trace, &o, TL_RENDER_FORMAT_PDF);
  gsize length;
  const char *data = g_bytes_get_data (pdf, &length);

  g_assert_cmpuint (length, >, 1000);
  g_assert_true (memcmp (data, "%PDF-", 5) == 0);
  g_assert_null (memmem (data, length, "/CreationDate", 13));
  g_assert_nonnull (memmem (data, length, "/Creator (tcpladder)", 20));
}

static void
test_determinism (gconstpointer data)
{
  const TlRenderSample *sample = data;
  TlRenderOptions o = default_options ();

  o.show_options = TRUE;
  for (TlRenderFormat f = TL_RENDER_FORMAT_SVG; f <= TL_RENDER_FORMAT_PDF; f++)
    {
      g_autoptr (TlTrace) t1 = sample->build ();
      g_autoptr (TlTrace) t2 = sample->build ();
      g_autoptr (GBytes) b1 = render_bytes (t1, &o, f);
      g_autoptr (GBytes) b2 = NULL;
      /* Other surfaces in between move cairo's global counters. */
      g_autoptr (GBytes) noise = render_bytes (t1, &o, TL_RENDER_FORMAT_SVG);

      b2 = render_bytes (t2, &o, f);
      g_assert_true (g_bytes_equal (b1, b2));
    }
}

static void
test_empty_trace (void)
{
  g_autoptr (TlTrace) trace = tl_trace_new ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
  g_autoptr (GBytes) png = NULL;
  TlRenderHit hit;

  g_assert_cmpuint (tl_render_layout_get_n_arrows (layout), ==, 0);
  png = render_bytes (trace, &o, TL_RENDER_FORMAT_PNG);
  g_assert_cmpuint (g_bytes_get_size (png), >, 100);
  tl_render_hit_test (layout, 500, 200, &hit);
}

static void
test_options_check (void)
{
  TlRenderOptions o = default_options ();
  g_autoptr (GError) error = NULL;

  g_assert_true (tl_render_options_check (&o, &error));
  o.width = 50;
  g_assert_false (tl_render_options_check (&o, &error));
  g_assert_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID);
  g_assert_true (strstr (error->message, "width") != NULL);
  g_clear_error (&error);
  o = default_options ();
  o.dpi = 5000;
  g_assert_false (tl_render_options_check (&o, &error));
  g_assert_true (strstr (error->message, "dpi") != NULL);
  g_clear_error (&error);
  o = default_options ();
  o.time_from = TL_SEC (2);
  o.time_to = TL_SEC (1);
  g_assert_false (tl_render_options_check (&o, &error));
  g_assert_true (strstr (error->message, "time range") != NULL);
}

static void
test_option_names (void)
{
  TlRenderFormat f;
  TlRenderTheme t;
  TlLabelDetail d;

  g_assert_true (tl_render_format_from_path ("out/ladder.SVG", &f) && f == TL_RENDER_FORMAT_SVG);
  g_assert_true (tl_render_format_from_path ("a.b/ladder.txt", &f) && f == TL_RENDER_FORMAT_TEXT);
  g_assert_false (tl_render_format_from_path ("a.png/ladder", &f));
  g_assert_false (tl_render_format_from_path ("ladder.gif", &f));
  g_assert_true (tl_render_format_from_string ("pdf", &f) && f == TL_RENDER_FORMAT_PDF);
  g_assert_true (tl_render_theme_from_string ("Dark", &t) && t == TL_RENDER_THEME_DARK);
  g_assert_false (tl_render_theme_from_string ("blue", &t));
  g_assert_true (tl_label_detail_from_string ("flags", &d) && d == TL_LABELS_FLAGS);
  g_assert_false (tl_label_detail_from_string ("some", &d));
}

static void
test_export_atomic (void)
{
  g_autoptr (TlTrace) trace = tl_sample_refused ();
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-render-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "ladder.png", NULL);
  g_autofree char *missing = g_build_filename (dir, "no", "such", "ladder.svg", NULL);
  TlRenderOptions o = default_options ();
  GDir *listing;
  guint n_files = 0;

  g_assert_true (tl_render_export (trace, &o, path, TL_RENDER_FORMAT_PNG, &error));
  g_assert_no_error (error);
  /* Overwrite: still one file, no temporary left behind. */
  g_assert_true (tl_render_export (trace, &o, path, TL_RENDER_FORMAT_PNG, &error));
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing) != NULL)
    n_files++;
  g_dir_close (listing);
  g_assert_cmpuint (n_files, ==, 1);

  g_assert_false (tl_render_export (trace, &o, missing, TL_RENDER_FORMAT_SVG, &error));
  g_assert_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_WRITE);
  g_clear_error (&error);

  o.width = 10;
  g_assert_false (tl_render_export (trace, &o, path, TL_RENDER_FORMAT_SVG, &error));
  g_assert_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID);
  g_clear_error (&error);

  o = default_options ();
  o.dpi = 1200;
  o.height = 30000;
  g_assert_false (tl_render_export (trace, &o, path, TL_RENDER_FORMAT_PNG, &error));
  g_assert_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_TOO_LARGE);

  g_remove (path);
  g_rmdir (dir);
}

static void
test_state_colors_distinct (void)
{
  for (guint theme = 0; theme < 2; theme++)
    {
      const TlRenderPalette *p = tl_render_palette (theme);
      for (guint a = TL_STATE_CLOSED; a < TL_N_STATES; a++)
        {
          /* Text readable on its bar: luminance contrast. */
          double la = 0.2126 * p->state[a].r + 0.7152 * p->state[a].g + 0.0722 * p->state[a].b;
          double lt = 0.2126 * p->state_text[a].r + 0.7152 * p->state_text[a].g + 0.0722 * p->state_text[a].b;
          g_assert_cmpfloat (fabs (la - lt), >, 0.4);
          for (guint b = a + 1; b < TL_N_STATES; b++)
            {
              double d = fabs (p->state[a].r - p->state[b].r) + fabs (p->state[a].g - p->state[b].g)
                         + fabs (p->state[a].b - p->state[b].b);
              g_assert_cmpfloat (d, >, 0.15);
            }
        }
    }
}

static void
test_highlight_draws (void)
{
  g_autoptr (TlTrace) trace = tl_sample_simultaneous_open ();
  TlRenderOptions o = default_options ();
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, &o);
  cairo_surface_t *plain = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1100, 900);
  cairo_surface_t *marked = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 1100, 900);
  const TlLeg *leg = &g_array_index (layout->legs, TlLeg, 0);
  TlRenderHit hit;
  cairo_t *cr;

  g_assert_true (tl_render_hit_test (layout, (leg->x0 + leg->x1) / 2, (leg->y0 + leg->y1) / 2, &hit));
  cr = cairo_create (plain);
  tl_render_draw (layout, cr);
  cairo_destroy (cr);
  cr = cairo_create (marked);
  tl_render_draw (layout, cr);
  tl_render_draw_highlight (layout, cr, &hit);
  cairo_destroy (cr);
  cairo_surface_flush (plain);
  cairo_surface_flush (marked);
  g_assert_true (memcmp (cairo_image_surface_get_data (plain), cairo_image_surface_get_data (marked),
                         (gsize) cairo_image_surface_get_stride (plain) * 900) != 0);
  cairo_surface_destroy (plain);
  cairo_surface_destroy (marked);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/render/time-map/pieces", test_time_map_pieces);
  g_test_add_func ("/render/time-map/inverse", test_time_map_inverse);
  for (guint i = 0; i < tl_render_n_samples; i++)
    {
      const TlRenderSample *s = &tl_render_samples[i];
      g_autofree char *arrows = g_strdup_printf ("/render/layout/arrows/%s", s->name);
      g_autofree char *labels = g_strdup_printf ("/render/layout/labels-clear/%s", s->name);
      g_autofree char *svg = g_strdup_printf ("/render/svg/%s", s->name);
      g_autofree char *same = g_strdup_printf ("/render/determinism/%s", s->name);
      g_test_add_data_func (arrows, s, test_sample_arrows);
      g_test_add_data_func (labels, s, test_sample_labels_clear);
      g_test_add_data_func (svg, s, test_svg_structure);
      g_test_add_data_func (same, s, test_determinism);
    }
  g_test_add_func ("/render/layout/crossing", test_crossing);
  g_test_add_func ("/render/layout/router", test_router_legs);
  g_test_add_func ("/render/layout/drops", test_drops_and_retransmissions);
  g_test_add_func ("/render/layout/seq", test_relative_and_absolute_seq);
  g_test_add_func ("/render/layout/callouts", test_dense_callouts);
  g_test_add_func ("/render/layout/too-dense", test_too_dense_for_labels);
  g_test_add_func ("/render/layout/compression", test_compression);
  g_test_add_func ("/render/layout/time-range", test_time_range);
  g_test_add_func ("/render/layout/empty", test_empty_trace);
  g_test_add_func ("/render/hit-test", test_hit_test);
  g_test_add_func ("/render/highlight", test_highlight_draws);
  g_test_add_func ("/render/pair", test_pair);
  g_test_add_func ("/render/png", test_png_size_and_ink);
  g_test_add_func ("/render/pdf", test_pdf_output);
  g_test_add_func ("/render/options/check", test_options_check);
  g_test_add_func ("/render/options/names", test_option_names);
  g_test_add_func ("/render/export/atomic", test_export_atomic);
  g_test_add_func ("/render/palette", test_state_colors_distinct);
  return g_test_run ();
}

/* tl-render-layout.c: where everything goes.
 *
 * Horizontally a pane is, from the left: A's call column, A's state bar,
 * A's lifeline, (router lifeline), B's lifeline, B's state bar, B's call
 * column; a time axis runs down the left edge.  Vertically the title and
 * host names come first, then the ladder (a TlTimeMap from time to y),
 * then the legend.
 */
#include "tl-render-private.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (tl-render-error-quark, tl_render_error)

#define MARGIN          14.0
#define AXIS_WIDTH      70.0
#define PAIR_GUTTER     30.0
#define LANE_GAP        6.0
#define HEADER_HEIGHT   40.0
#define LADDER_PAD      16.0
#define MAX_AUTO_HEIGHT 6000.0
#define MIN_LADDER      220.0
#define FLIGHT_PX       84.0    /* a typical flight gets this much height */
#define SEND_GAP_PX     24.0    /* room between two sends of one host */
#define MAX_BREAKS      48
#define LEGEND_ROW      19.0

/* ---- text ---------------------------------------------------------- */

typedef struct
{
  const char *family;
  double      px;
  PangoWeight weight;
  PangoStyle  style;
} TlFontSpec;

static const TlFontSpec font_specs[TL_N_FONTS] = {
  [TL_FONT_TITLE] = { "DejaVu Sans, Sans", 17, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
  [TL_FONT_CAPTION] = { "DejaVu Sans, Sans", 12, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [TL_FONT_HOST] = { "DejaVu Sans, Sans", 14, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
  [TL_FONT_LABEL] = { "DejaVu Sans, Sans", TL_LABEL_FONT_PX, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [TL_FONT_OPTIONS] = { "DejaVu Sans Condensed, Sans", TL_LABEL_OPT_PX, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [TL_FONT_SMALL] = { "DejaVu Sans, Sans", TL_SMALL_FONT_PX, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
  [TL_FONT_SMALL_BOLD] = { "DejaVu Sans, Sans", TL_SMALL_FONT_PX, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
  [TL_FONT_STATE] = { "DejaVu Sans Condensed, Sans", 10, PANGO_WEIGHT_BOLD, PANGO_STYLE_NORMAL },
  [TL_FONT_ITALIC] = { "DejaVu Sans, Sans", TL_SMALL_FONT_PX, PANGO_WEIGHT_NORMAL, PANGO_STYLE_ITALIC },
  [TL_FONT_MARK] = { "DejaVu Sans Condensed, Sans", 10.5, PANGO_WEIGHT_NORMAL, PANGO_STYLE_NORMAL },
};

static PangoContext *
create_pango_context (void)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoContext *context = pango_font_map_create_context (map);
  cairo_font_options_t *fo = cairo_font_options_create ();

  /* Unhinted metrics: text measures the same on every surface, so a
   * layout made once draws identically to PNG, SVG, PDF and the screen. */
  cairo_font_options_set_hint_metrics (fo, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (fo, CAIRO_HINT_STYLE_NONE);
  cairo_font_options_set_antialias (fo, CAIRO_ANTIALIAS_GRAY);
  pango_cairo_context_set_font_options (context, fo);
  pango_cairo_context_set_resolution (context, 96);
  pango_context_set_round_glyph_positions (context, FALSE);
  cairo_font_options_destroy (fo);
  return context;
}

PangoLayout *
tl_render_text_layout (TlRenderLayout *layout,
                       TlFont          font,
                       const char     *text)
{
  PangoLayout *pl = pango_layout_new (layout->pango);
  PangoFontDescription *desc = pango_font_description_from_string (font_specs[font].family);

  pango_font_description_set_absolute_size (desc, font_specs[font].px * PANGO_SCALE);
  pango_font_description_set_weight (desc, font_specs[font].weight);
  pango_font_description_set_style (desc, font_specs[font].style);
  pango_layout_set_font_description (pl, desc);
  pango_font_description_free (desc);
  pango_layout_set_text (pl, text, -1);
  return pl;
}

PangoLayout *
tl_render_text_layout_wrapped (TlRenderLayout *layout,
                               TlFont          font,
                               const char     *text,
                               double          max_width,
                               gboolean        align_right)
{
  PangoLayout *pl = tl_render_text_layout (layout, font, text);

  pango_layout_set_width (pl, (int) (max_width * PANGO_SCALE));
  pango_layout_set_wrap (pl, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_height (pl, -2);   /* at most two lines, then "…" */
  pango_layout_set_ellipsize (pl, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (pl, align_right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  return pl;
}

void
tl_render_text_measure (TlRenderLayout *layout,
                        TlFont          font,
                        const char     *text,
                        double         *width,
                        double         *height)
{
  g_autoptr (PangoLayout) pl = tl_render_text_layout (layout, font, text);
  PangoRectangle logical;

  pango_layout_get_extents (pl, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

/* ---- options ------------------------------------------------------- */

gboolean
tl_render_options_check (const TlRenderOptions *options,
                         GError               **error)
{
  if (!(options->width == 0 || (options->width >= 320 && options->width <= 20000)))
    {
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID,
                   "width must be between 320 and 20000 pixels (or 0 for automatic), not %g",
                   options->width);
      return FALSE;
    }
  if (!(options->height == 0 || (options->height >= 200 && options->height <= 30000)))
    {
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID,
                   "height must be between 200 and 30000 pixels (or 0 for automatic), not %g",
                   options->height);
      return FALSE;
    }
  if (!(options->dpi == 0 || (options->dpi >= 24 && options->dpi <= 1200)))
    {
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID,
                   "dpi must be between 24 and 1200, not %g", options->dpi);
      return FALSE;
    }
  if (options->time_from != TL_RENDER_TIME_START && options->time_to != TL_RENDER_TIME_END
      && options->time_to <= options->time_from)
    {
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID,
                   "the time range is empty: 'to' must be after 'from'");
      return FALSE;
    }
  if (options->px_per_second < 0 || isnan (options->px_per_second))
    {
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID,
                   "the time scale must be positive");
      return FALSE;
    }
  return TRUE;
}

static void
sanitize_options (TlRenderOptions *o,
                  guint            n_panes)
{
  if (!(o->width >= 320))
    o->width = n_panes > 1 ? 2000 : 1100;
  o->width = MIN (o->width, 20000);
  if (!(o->height > 0))
    o->height = 0;
  else
    o->height = CLAMP (o->height, 200, 30000);
  if (!(o->dpi >= 24 && o->dpi <= 1200))
    o->dpi = 96;
  if (!(o->px_per_second > 0) || isnan (o->px_per_second))
    o->px_per_second = 0;
}

/* ---- the time map -------------------------------------------------- */

static gint
compare_time (gconstpointer a,
              gconstpointer b)
{
  TlTime x = *(const TlTime *) a, y = *(const TlTime *) b;
  return x < y ? -1 : x > y;
}

static gint
compare_interval (gconstpointer a,
                  gconstpointer b)
{
  const TlRenderInterval *x = a, *y = b;
  return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

static gint
compare_interval_length_desc (gconstpointer a,
                              gconstpointer b)
{
  const TlRenderInterval *x = a, *y = b;
  TlTime lx = x->t1 - x->t0, ly = y->t1 - y->t0;

  if (lx != ly)
    return lx > ly ? -1 : 1;
  return x->t0 < y->t0 ? -1 : x->t0 > y->t0;
}

static void
merge_intervals (GArray *intervals)
{
  guint out = 0;

  g_array_sort (intervals, compare_interval);
  for (guint i = 0; i < intervals->len; i++)
    {
      TlRenderInterval iv = g_array_index (intervals, TlRenderInterval, i);
      if (out > 0 && iv.t0 <= g_array_index (intervals, TlRenderInterval, out - 1).t1)
        {
          TlRenderInterval *last = &g_array_index (intervals, TlRenderInterval, out - 1);
          last->t1 = MAX (last->t1, iv.t1);
        }
      else
        g_array_index (intervals, TlRenderInterval, out++) = iv;
    }
  g_array_set_size (intervals, out);
}

static TlTime
reference_flight (TlRenderLayout *layout)
{
  TlTime ref = 0;

  for (guint p = 0; p < layout->n_panes; p++)
    {
      TlTime f = tl_render_model_typical_flight (layout->panes[p].model);
      if (f > 0 && (ref == 0 || f < ref))
        ref = f;
    }
  if (ref <= 0)
    ref = MAX ((layout->to - layout->from) / 20, 1);
  return ref;
}

/* Idle stretches worth squeezing: between two consecutive event times,
 * with no segment on a link, much longer than a flight. */
static GArray *
find_breaks (TlRenderLayout *layout,
             GArray         *times,
             GArray         *flights,
             TlTime          ref,
             guint           max_breaks)
{
  GArray *breaks = g_array_new (FALSE, FALSE, sizeof (TlRenderInterval));
  guint f = 0;

  if (!layout->options.compress)
    return breaks;
  for (guint i = 0; i + 1 < times->len; i++)
    {
      TlTime a = g_array_index (times, TlTime, i);
      TlTime b = g_array_index (times, TlTime, i + 1);
      TlRenderInterval br;

      while (f < flights->len && g_array_index (flights, TlRenderInterval, f).t1 <= a)
        f++;
      if (f < flights->len && g_array_index (flights, TlRenderInterval, f).t0 < b)
        continue;  /* something is on the wire */
      if (b - a <= 3 * ref)
        continue;
      /* Keep half a flight of real time on each side of the break. */
      br.t0 = a + ref / 2;
      br.t1 = b - ref / 2;
      g_array_append_val (breaks, br);
    }
  if (breaks->len > max_breaks)
    {
      /* Too many to draw: keep the longest ones. */
      g_array_sort (breaks, compare_interval_length_desc);
      g_array_set_size (breaks, max_breaks);
      g_array_sort (breaks, compare_interval);
    }
  return breaks;
}

/* The shortest time between two sends of one host: labels start there. */
static TlTime
min_send_gap (TlRenderLayout *layout)
{
  TlTime best = 0;

  for (guint p = 0; p < layout->n_panes; p++)
    {
      GArray *packets = layout->panes[p].model->packets;
      TlTime last[TL_MAX_HOSTS] = { G_MININT64, G_MININT64 };

      for (guint i = 0; i < packets->len; i++)
        {
          const TlRenderPacket *pk = &g_array_index (packets, TlRenderPacket, i);
          TlTime gap;

          if (pk->sender >= TL_MAX_HOSTS || pk->t_send < layout->from || pk->t_send > layout->to)
            continue;
          if (last[pk->sender] != G_MININT64)
            {
              gap = pk->t_send - last[pk->sender];
              if (gap > 0 && (best == 0 || gap < best))
                best = gap;
            }
          last[pk->sender] = pk->t_send;
        }
    }
  return best;
}

static void
build_time_map (TlRenderLayout *layout,
                double          y_start,
                double          ladder_px,     /* 0: choose */
                double          max_ladder_px)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (TlTime));
  g_autoptr (GArray) flights = g_array_new (FALSE, FALSE, sizeof (TlRenderInterval));
  g_autoptr (GArray) breaks = NULL;
  TlTime ref = reference_flight (layout);
  TlTime busy, cursor;
  double scale;   /* px per ns */
  guint n_unique = 0, max_breaks;

  for (guint p = 0; p < layout->n_panes; p++)
    tl_render_model_collect_times (layout->panes[p].model, layout->from, layout->to,
                                   times, flights);
  g_array_append_val (times, layout->from);
  g_array_append_val (times, layout->to);
  g_array_sort (times, compare_time);
  for (guint i = 0; i < times->len; i++)
    if (n_unique == 0 || g_array_index (times, TlTime, i) != g_array_index (times, TlTime, n_unique - 1))
      g_array_index (times, TlTime, n_unique++) = g_array_index (times, TlTime, i);
  g_array_set_size (times, n_unique);
  merge_intervals (flights);

  max_breaks = MAX_BREAKS;
  if (ladder_px > 0)
    max_breaks = MIN (max_breaks, (guint) MAX (0.0, ladder_px / 3 / TL_BREAK_HEIGHT));
  breaks = find_breaks (layout, times, flights, ref, max_breaks);

  busy = layout->to - layout->from;
  for (guint i = 0; i < breaks->len; i++)
    busy -= g_array_index (breaks, TlRenderInterval, i).t1 - g_array_index (breaks, TlRenderInterval, i).t0;
  busy = MAX (busy, 1);

  if (layout->options.px_per_second > 0)
    scale = layout->options.px_per_second / 1e9;
  else if (ladder_px > 0)
    scale = MAX (ladder_px - breaks->len * TL_BREAK_HEIGHT, 40.0) / (double) busy;
  else
    {
      double s_flight = FLIGHT_PX / (double) ref;
      TlTime gap = min_send_gap (layout);
      double s_gap = gap > 0 ? SEND_GAP_PX / (double) gap : s_flight;
      double fixed = breaks->len * TL_BREAK_HEIGHT;

      scale = MAX (s_flight, MIN (s_gap, 2 * s_flight));
      if ((double) busy * scale + fixed < MIN_LADDER)
        scale = (MIN_LADDER - fixed) / (double) busy;
      if ((double) busy * scale + fixed > max_ladder_px)
        scale = MAX (max_ladder_px - fixed, max_ladder_px / 2) / (double) busy;
    }

  layout->map = tl_time_map_new (layout->from, y_start);
  cursor = layout->from;
  for (guint i = 0; i < breaks->len; i++)
    {
      const TlRenderInterval *br = &g_array_index (breaks, TlRenderInterval, i);
      if (br->t0 > cursor)
        tl_time_map_append_linear (layout->map, br->t0, scale * 1e9);
      tl_time_map_append_break (layout->map, br->t1, TL_BREAK_HEIGHT);
      cursor = br->t1;
    }
  if (layout->to > cursor)
    tl_time_map_append_linear (layout->map, layout->to, scale * 1e9);
}

static double
ty (const TlRenderLayout *layout,
    TlTime                t)
{
  return tl_time_map_to_y (layout->map, t);
}

/* ---- horizontal geometry ------------------------------------------- */

static void
place_columns (TlRenderLayout *layout)
{
  double width = layout->width;
  guint n = layout->n_panes;
  double pane_w = (width - AXIS_WIDTH - MARGIN - (n - 1) * PAIR_GUTTER) / n;
  double calls_w = CLAMP (pane_w * 0.165, 64, 190);
  double lane_w = CLAMP (pane_w * 0.1, 40, 106);

  layout->axis_x1 = AXIS_WIDTH;
  for (guint p = 0; p < n; p++)
    {
      TlPane *pane = &layout->panes[p];

      pane->x0 = AXIS_WIDTH + p * (pane_w + PAIR_GUTTER);
      pane->x1 = pane->x0 + pane_w;
      pane->calls_x0[TL_HOST_A] = pane->x0;
      pane->calls_x1[TL_HOST_A] = pane->x0 + calls_w;
      pane->lane_x0[TL_HOST_A] = pane->calls_x1[TL_HOST_A];
      pane->lane_x1[TL_HOST_A] = pane->lane_x0[TL_HOST_A] + lane_w;
      pane->host_x[TL_HOST_A] = pane->lane_x1[TL_HOST_A] + LANE_GAP;
      pane->calls_x1[TL_HOST_B] = pane->x1;
      pane->calls_x0[TL_HOST_B] = pane->x1 - calls_w;
      pane->lane_x1[TL_HOST_B] = pane->calls_x0[TL_HOST_B];
      pane->lane_x0[TL_HOST_B] = pane->lane_x1[TL_HOST_B] - lane_w;
      pane->host_x[TL_HOST_B] = pane->lane_x0[TL_HOST_B] - LANE_GAP;
      pane->host_x[TL_HOST_ROUTER] = (pane->host_x[TL_HOST_A] + pane->host_x[TL_HOST_B]) / 2;
    }
}

/* ---- items ---------------------------------------------------------- */

static gboolean
overlaps_range (const TlRenderLayout *layout,
                TlTime                t0,
                TlTime                t1)
{
  return t1 >= layout->from && t0 <= layout->to;
}

static guint8
arrow_color (const TlRenderModel  *model,
             const TlRenderPacket *p)
{
  const TlSegment *seg = tl_render_model_segment (model, p);

  if (seg != NULL && (seg->flags & TL_TCP_RST))
    return TL_ARROW_RST;
  return p->sender == TL_HOST_B ? TL_ARROW_FROM_B : TL_ARROW_FROM_A;
}

static void
add_leg (TlRenderLayout *layout,
         TlPane         *pane,
         guint           pane_index,
         guint           packet,
         const TlLeg    *proto,
         double x0, double y0, double x1, double y1)
{
  TlLeg leg = *proto;

  leg.x0 = x0;
  leg.y0 = y0;
  leg.x1 = x1;
  leg.y1 = y1;
  leg.packet = packet;
  leg.pane = (guint8) pane_index;
  if (pane->packet_first_leg[packet] == TL_RENDER_NONE_INDEX)
    pane->packet_first_leg[packet] = layout->legs->len;
  g_array_append_val (layout->legs, leg);
}

/* A leg whose end the trace does not give: along the typical slope for
 * FRACTION of the way (drops stop halfway, segments in flight stop at the
 * end of the trace). */
static void
add_partial_leg (TlRenderLayout *layout,
                 TlPane         *pane,
                 guint           pane_index,
                 guint           packet,
                 TlLeg          *proto,
                 double          x_from,
                 double          x_to,
                 TlTime          t_from,
                 TlTime          duration,
                 double          fraction)
{
  TlTime t_to = t_from + (TlTime) ((double) duration * fraction);

  add_leg (layout, pane, pane_index, packet, proto,
           x_from, ty (layout, t_from),
           x_from + (x_to - x_from) * fraction, ty (layout, t_to));
}

static void
layout_packet (TlRenderLayout *layout,
               guint           pane_index,
               guint           index,
               GArray         *hold_ends)
{
  TlPane *pane = &layout->panes[pane_index];
  const TlRenderModel *model = pane->model;
  const TlRenderPacket *p = &g_array_index (model->packets, TlRenderPacket, index);
  gboolean routed = pane->trace->has_router && p->rec_router_in != TL_RENDER_NONE_INDEX;
  double xs = pane->host_x[p->sender], xr = pane->host_x[p->receiver];
  double xm = pane->host_x[TL_HOST_ROUTER];
  TlTime flight = model->typical_flight;
  TlTime t_last_known = p->end != TL_PACKET_IN_FLIGHT ? p->t_end : model->t_last;
  TlLeg proto = { 0 };

  if (!overlaps_range (layout, p->t_send, MAX (t_last_known, p->t_send + flight)))
    return;
  proto.color = arrow_color (model, p);
  proto.dashed = p->retransmit > 0;

  if (!routed)
    {
      gboolean at_router = pane->trace->has_router && p->drop_host == TL_HOST_ROUTER;
      double xt = pane->trace->has_router ? xm : xr;

      switch ((TlPacketEnd) p->end)
        {
        case TL_PACKET_DELIVERED:
          proto.head = TRUE;
          add_leg (layout, pane, pane_index, index, &proto,
                   xs, ty (layout, p->t_send), xr, ty (layout, p->t_end));
          break;
        case TL_PACKET_DROPPED:
          proto.cross = TRUE;
          if (at_router)
            add_leg (layout, pane, pane_index, index, &proto,
                     xs, ty (layout, p->t_send), xm, ty (layout, MAX (p->t_end, p->t_send)));
          else if (p->t_end > p->t_send)
            /* Lost on the link: the cross halfway, at the time of the loss. */
            add_leg (layout, pane, pane_index, index, &proto,
                     xs, ty (layout, p->t_send), (xs + xt) / 2, ty (layout, p->t_end));
          else
            add_partial_leg (layout, pane, pane_index, index, &proto, xs, xt, p->t_send,
                             pane->trace->has_router ? flight / 2 : flight, 0.5);
          break;
        case TL_PACKET_IN_FLIGHT:
        default:
          proto.fade = TRUE;
          add_partial_leg (layout, pane, pane_index, index, &proto, xs, xt, p->t_send,
                           pane->trace->has_router ? flight / 2 : flight,
                           CLAMP ((double) (model->t_last - p->t_send)
                                  / (double) MAX (pane->trace->has_router ? flight / 2 : flight, 1),
                                  0.0, 1.0));
          break;
        }
      return;
    }

  /* Sender -> router. */
  {
    gboolean dropped_here = p->end == TL_PACKET_DROPPED && p->drop_host == TL_HOST_ROUTER
                            && p->rec_release == TL_RENDER_NONE_INDEX;
    TlLeg first = proto;
    first.head = !dropped_here;
    first.cross = dropped_here;
    add_leg (layout, pane, pane_index, index, &first,
             xs, ty (layout, p->t_send), xm, ty (layout, p->t_router_in));
    if (dropped_here)
      return;
  }

  /* Waiting in the paused router. */
  if (p->rec_hold != TL_RENDER_NONE_INDEX)
    {
      TlHoldBar bar = { 0 };
      TlTime end = p->rec_release != TL_RENDER_NONE_INDEX ? p->t_release : model->t_last;
      guint column = 0;

      /* Parallel bars for segments held at the same time. */
      while (column < hold_ends->len && g_array_index (hold_ends, TlTime, column) > p->t_hold)
        column++;
      if (column == hold_ends->len)
        g_array_append_val (hold_ends, end);
      else
        g_array_index (hold_ends, TlTime, column) = end;
      bar.x = xm + 5 + column * 5.5;
      bar.y0 = ty (layout, p->t_hold);
      bar.y1 = ty (layout, end);
      bar.packet = index;
      bar.pane = (guint8) pane_index;
      bar.open = p->rec_release == TL_RENDER_NONE_INDEX;
      if (overlaps_range (layout, p->t_hold, end))
        g_array_append_val (layout->holds, bar);
      if (bar.open)
        return;
    }

  /* Router -> receiver. */
  {
    TlTime out = p->rec_release != TL_RENDER_NONE_INDEX ? p->t_release : p->t_router_in;
    TlLeg second = proto;
    second.second = TRUE;

    switch ((TlPacketEnd) p->end)
      {
      case TL_PACKET_DELIVERED:
        second.head = TRUE;
        add_leg (layout, pane, pane_index, index, &second,
                 xm, ty (layout, out), xr, ty (layout, p->t_end));
        break;
      case TL_PACKET_DROPPED:
        second.cross = TRUE;
        if (p->t_end > out)
          add_leg (layout, pane, pane_index, index, &second,
                   xm, ty (layout, out), (xm + xr) / 2, ty (layout, p->t_end));
        else
          add_partial_leg (layout, pane, pane_index, index, &second, xm, xr, out, flight / 2, 0.5);
        break;
      case TL_PACKET_IN_FLIGHT:
      default:
        second.fade = TRUE;
        add_partial_leg (layout, pane, pane_index, index, &second, xm, xr, out, flight / 2,
                         CLAMP ((double) (model->t_last - out) / (double) MAX (flight / 2, 1),
                                0.0, 1.0));
        break;
      }
  }
}

static void
layout_states (TlRenderLayout *layout,
               guint           pane_index)
{
  TlPane *pane = &layout->panes[pane_index];
  const TlRenderModel *model = pane->model;

  for (guint host = 0; host < TL_MAX_HOSTS; host++)
    {
      guint n = MAX (model->n_sockets[host], 1);
      double lane0 = pane->lane_x0[host], lane1 = pane->lane_x1[host];
      double sub_x0[TL_RENDER_MAX_SOCKETS], sub_x1[TL_RENDER_MAX_SOCKETS];
      guint n_wide = 0, n_narrow = 0;
      double narrow_w = 14, wide_w, x;

      for (guint s = 0; s < n; s++)
        model->listener[host][s] ? n_narrow++ : n_wide++;
      if (n_wide == 0)
        {
          n_wide = n_narrow;
          n_narrow = 0;
        }
      wide_w = (lane1 - lane0 - n_narrow * (narrow_w + 2) - (n_wide - 1) * 2) / n_wide;
      /* Listener strips and sockets from the outer edge inwards. */
      x = host == TL_HOST_A ? lane0 : lane1;
      for (guint s = 0; s < n; s++)
        {
          double w = (n_narrow > 0 && model->listener[host][s]) ? narrow_w : wide_w;
          if (host == TL_HOST_A)
            {
              sub_x0[s] = x;
              sub_x1[s] = x + w;
              x += w + 2;
            }
          else
            {
              sub_x1[s] = x;
              sub_x0[s] = x - w;
              x -= w + 2;
            }
        }

      for (guint i = 0; i < model->spans->len; i++)
        {
          const TlRenderSpan *span = &g_array_index (model->spans, TlRenderSpan, i);
          TlStateBox box = { 0 };

          if (span->host != host || !overlaps_range (layout, span->t0, span->t1))
            continue;
          box.x0 = sub_x0[MIN (span->socket, n - 1)];
          box.x1 = sub_x1[MIN (span->socket, n - 1)];
          box.y0 = ty (layout, MAX (span->t0, layout->from));
          box.y1 = ty (layout, MIN (span->t1, layout->to));
          box.span = i;
          box.pane = (guint8) pane_index;
          box.narrow = n_narrow > 0 && model->listener[host][MIN (span->socket, n - 1)];
          g_array_append_val (layout->states, box);
        }
    }
}

static void
layout_marks (TlRenderLayout *layout,
              guint           pane_index)
{
  TlPane *pane = &layout->panes[pane_index];
  const TlRenderModel *model = pane->model;

  for (guint host = 0; host < TL_MAX_HOSTS; host++)
    {
      double bottom = -G_MAXDOUBLE;
      double max_w = pane->calls_x1[host] - pane->calls_x0[host] - 10;

      for (guint i = 0; i < model->marks->len; i++)
        {
          const TlRenderMark *mark = &g_array_index (model->marks, TlRenderMark, i);
          TlMarkBox box = { 0 };
          double w, h;

          if (mark->host != host || mark->time < layout->from || mark->time > layout->to)
            continue;
          {
            /* Long results ("connect() → ECONNREFUSED") wrap onto a second
             * line in narrow pictures rather than lose their end. */
            g_autoptr (PangoLayout) pl = tl_render_text_layout_wrapped (
                layout, mark->kind == TL_MARK_TIMER ? TL_FONT_ITALIC : TL_FONT_MARK,
                mark->text, max_w, host == TL_HOST_A);
            PangoRectangle ink, logical;
            pango_layout_get_extents (pl, &ink, &logical);
            w = MIN ((double) logical.width / PANGO_SCALE, max_w);
            if (pango_layout_get_line_count (pl) > 1)
              w = max_w;
            h = (double) logical.height / PANGO_SCALE;
          }
          box.y = ty (layout, mark->time);
          box.text_w = w;
          box.text_h = h;
          /* Stack marks that would overlap; a leader shows the true time. */
          box.text_y = MAX (box.y - h / 2, bottom + 1);
          bottom = box.text_y + h;
          if (host == TL_HOST_A)
            {
              box.text_x = pane->calls_x1[host] - 6 - box.text_w;
              box.tick_x0 = pane->lane_x0[host];
              box.tick_x1 = pane->host_x[host];
            }
          else
            {
              box.text_x = pane->calls_x0[host] + 6;
              box.tick_x0 = pane->host_x[host];
              box.tick_x1 = pane->lane_x1[host];
            }
          box.mark = i;
          box.pane = (guint8) pane_index;
          g_array_append_val (layout->marks, box);
        }
    }
}

/* How many arrows and held bars a text box at (X, Y) would sit on. */
static guint
count_crossings (const TlRenderLayout *layout,
                 guint                 pane,
                 double x, double y, double w, double h)
{
  guint n = 0;

  for (guint i = 0; i < layout->legs->len; i++)
    {
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);
      double y0 = MIN (leg->y0, leg->y1), y1 = MAX (leg->y0, leg->y1);
      if (leg->pane != pane || y1 < y - 1 || y0 > y + h + 1)
        continue;
      /* Sample the leg across the box's height: legs are straight, and
       * the box is small. */
      for (guint k = 0; k <= 8; k++)
        {
          double t = k / 8.0;
          double yy = y - 1 + (h + 2) * t;
          double f = leg->y1 != leg->y0 ? (yy - leg->y0) / (leg->y1 - leg->y0) : 0;
          double xx;
          if (f < 0 || f > 1)
            continue;
          xx = leg->x0 + (leg->x1 - leg->x0) * f;
          if (xx >= x - 2 && xx <= x + w + 2)
            {
              n++;
              break;
            }
        }
    }
  for (guint i = 0; i < layout->holds->len; i++)
    {
      const TlHoldBar *bar = &g_array_index (layout->holds, TlHoldBar, i);
      if (bar->pane == pane && bar->x >= x - 3 && bar->x <= x + w + 3 && bar->y1 >= y && bar->y0 <= y + h)
        n++;
    }
  return n;
}

/* Puts a pause window's time where it crosses the fewest arrows: inside
 * the window, above or below it, or to either side. */
static void
place_pause_text (TlRenderLayout *layout,
                  TlPauseBox     *box,
                  guint           k,
                  gboolean        at_end)
{
  double w = box->text_w[k], h = box->text_h, xm = (box->x0 + box->x1) / 2;
  double ys[2], xs[3];
  guint best = G_MAXUINT;

  ys[0] = at_end ? box->y1 - h - 2 : box->y0 + 2;     /* inside */
  ys[1] = at_end ? box->y1 + 2 : box->y0 - h - 2;     /* outside */
  xs[0] = xm - w / 2;
  xs[1] = box->x0 - 4 - w;
  xs[2] = box->x1 + 4;
  for (guint yi = (box->n_texts == 1 ? 1 : 0); yi < 2; yi++)
    for (guint xi = 0; xi < 3; xi++)
      {
        guint n = count_crossings (layout, box->pane, xs[xi], ys[yi], w, h);
        if (n < best)
          {
            best = n;
            box->text_x[k] = xs[xi];
            box->text_y[k] = ys[yi];
          }
      }
}

static void
layout_pauses (TlRenderLayout *layout,
               guint           pane_index)
{
  TlPane *pane = &layout->panes[pane_index];
  const TlTrace *trace = pane->trace;
  double xm = pane->host_x[TL_HOST_ROUTER];
  double half = MIN (40, (pane->host_x[TL_HOST_B] - pane->host_x[TL_HOST_A]) / 8);

  if (!trace->has_router)
    return;
  for (guint i = 0; i < trace->pauses->len; i++)
    {
      const TlTraceWindow *w = &g_array_index (trace->pauses, TlTraceWindow, i);
      TlPauseBox box = { 0 };
      g_autofree char *start = NULL, *end = NULL;
      double h;

      if (!overlaps_range (layout, w->start, w->end))
        continue;
      box.t0 = w->start;
      box.t1 = w->end;
      box.x0 = xm - half;
      box.x1 = xm + half;
      box.y0 = ty (layout, MAX (w->start, layout->from));
      box.y1 = ty (layout, MIN (w->end, layout->to));
      box.window = i;
      box.pane = (guint8) pane_index;
      start = w->start == 0 ? g_strdup ("0 s") : tl_time_format (w->start, 3);
      end = w->end == 0 ? g_strdup ("0 s") : tl_time_format (w->end, 3);
      tl_render_text_measure (layout, TL_FONT_SMALL, "0", NULL, &h);
      box.text_h = h;
      if (box.y1 - box.y0 >= 2 * h + 8)
        {
          box.n_texts = 2;
          box.text[0] = g_strdup_printf ("paused at %s", start);
          box.text[1] = g_strdup_printf ("resumed at %s", end);
        }
      else
        {
          box.n_texts = 1;
          box.text[0] = g_strdup_printf ("paused %s \342\200\223 %s", start, end);
        }
      for (guint k = 0; k < box.n_texts; k++)
        {
          tl_render_text_measure (layout, TL_FONT_SMALL, box.text[k], &box.text_w[k], NULL);
          place_pause_text (layout, &box, k, k == 1);
        }
      g_array_append_val (layout->pauses, box);
    }
}

/* ---- the time axis --------------------------------------------------- */

static TlTime
unit_for (TlTime magnitude)
{
  if (magnitude >= TL_SEC (1))
    return TL_SEC (1);
  if (magnitude >= TL_MSEC (1))
    return TL_MSEC (1);
  if (magnitude >= TL_USEC (1))
    return TL_USEC (1);
  return 1;
}

static const char *
unit_name (TlTime unit)
{
  return unit == TL_SEC (1) ? "s" : unit == TL_MSEC (1) ? "ms" : unit == TL_USEC (1) ? "µs" : "ns";
}

/* T in UNIT with exactly DECIMALS decimals, integer arithmetic only. */
static char *
format_tick (TlTime t,
             TlTime unit,
             guint  decimals)
{
  guint64 mag = t < 0 ? (guint64) -(t + 1) + 1 : (guint64) t;
  guint64 whole = mag / (guint64) unit, rest = mag % (guint64) unit;
  guint64 pow10 = 1;

  for (guint i = 0; i < decimals; i++)
    pow10 *= 10;
  if (decimals == 0)
    return g_strdup_printf ("%s%" G_GUINT64_FORMAT " %s", t < 0 ? "-" : "", whole, unit_name (unit));
  return g_strdup_printf ("%s%" G_GUINT64_FORMAT ".%0*" G_GUINT64_FORMAT " %s", t < 0 ? "-" : "",
                          whole, (int) decimals,
                          (guint64) ((__uint128_t) rest * pow10 / (guint64) unit),
                          unit_name (unit));
}

static void
add_tick (TlRenderLayout *layout,
          double          y,
          char           *text,
          gboolean        below)
{
  TlTick tick = { y, text, below };

  g_array_append_val (layout->ticks, tick);
}

static void
layout_ticks (TlRenderLayout *layout)
{
  const TlTimeMap *map = layout->map;
  double scale = tl_time_map_get_scale (map) / 1e9;   /* px per ns */
  TlTime step = 1;

  if (scale <= 0)
    return;
  /* 1-2-5 steps, at least 56 px apart. */
  for (TlTime decade = 1; decade <= TL_SEC (100000); decade *= 10)
    {
      static const int mult[] = { 1, 2, 5 };
      gboolean found = FALSE;
      for (guint m = 0; m < G_N_ELEMENTS (mult) && !found; m++)
        if ((double) (decade * mult[m]) * scale >= 56)
          {
            step = decade * mult[m];
            found = TRUE;
          }
      if (found)
        break;
    }

  for (guint i = 0; i < tl_time_map_get_n_pieces (map); i++)
    {
      const TlTimeMapPiece *piece = tl_time_map_get_piece (map, i);
      gboolean after_break = i > 0 && tl_time_map_get_piece (map, i - 1)->is_break;
      TlTime unit = unit_for (MAX (piece->t1 < 0 ? -piece->t1 : piece->t1, step));
      guint decimals = 0;
      TlTime first;

      if (piece->is_break)
        continue;
      while (decimals < 9)
        {
          guint64 scaled = (guint64) step;
          for (guint d = 0; d < decimals; d++)
            scaled *= 10;
          if (scaled % (guint64) unit == 0)
            break;
          decimals++;
        }
      if (after_break)
        add_tick (layout, piece->y0, tl_time_format (piece->t0, 4), TRUE);
      first = piece->t0 - (piece->t0 % step + step) % step;
      for (TlTime t = first; t <= piece->t1; t += step)
        {
          double y = tl_time_map_to_y (map, t);
          if (t < piece->t0)
            continue;
          if ((i > 0 && y < piece->y0 + 22) || (i + 1 < tl_time_map_get_n_pieces (map) && y > piece->y1 - 8))
            continue;  /* leave the edges of a break to its labels */
          add_tick (layout, y, format_tick (t, unit, decimals), FALSE);
        }
    }
}

/* ---- legend ----------------------------------------------------------- */

static void
legend_add (TlRenderLayout *layout,
            TlLegendKind    kind,
            guint8          arg,
            guint           number,
            char           *text)
{
  TlLegendItem item = { 0 };

  item.kind = (guint8) kind;
  item.arg = arg;
  item.number = number;
  item.text = text;
  g_array_append_val (layout->legend, item);
}

static void
build_legend (TlRenderLayout         *layout,
              const TlRenderMismatch *mismatches,
              guint                   n_mismatches)
{
  gboolean states[TL_N_STATES] = { FALSE };
  gboolean any_rst = FALSE, any_retransmit = FALSE, any_drop = FALSE, any_hold = FALSE;
  gboolean any_from[2] = { FALSE, FALSE };
  gboolean any_pause = layout->pauses->len > 0, any_inferred = FALSE;

  for (guint i = 0; i < layout->states->len; i++)
    {
      const TlStateBox *box = &g_array_index (layout->states, TlStateBox, i);
      const TlRenderSpan *span = &g_array_index (layout->panes[box->pane].model->spans, TlRenderSpan, box->span);
      /* Only colours one can see: a state left at the instant it was
       * entered draws nothing. */
      if (box->y1 - box->y0 < 1)
        continue;
      states[span->state] = TRUE;
      any_inferred |= span->inferred;
    }
  for (guint i = 0; i < layout->legs->len; i++)
    {
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);
      any_rst |= leg->color == TL_ARROW_RST;
      if (leg->color == TL_ARROW_FROM_A || leg->color == TL_ARROW_FROM_B)
        any_from[leg->color] = TRUE;
      any_retransmit |= leg->dashed;
      any_drop |= leg->cross;
    }
  any_hold = layout->holds->len > 0;

  if (layout->states->len > 0)
    {
      legend_add (layout, TL_LEGEND_HEADING, 0, 0, g_strdup ("States"));
      for (guint s = TL_STATE_CLOSED; s < TL_N_STATES; s++)
        if (states[s])
          legend_add (layout, TL_LEGEND_STATE, (guint8) s, 0,
                      g_strdup (tl_tcp_state_to_string ((TlTcpState) s)));
      if (any_inferred)
        legend_add (layout, TL_LEGEND_INFERRED, 0, 0, g_strdup ("inferred from segments"));
    }
  if (layout->legs->len > 0 || any_pause || tl_time_map_get_n_breaks (layout->map) > 0)
    {
      const TlTrace *t = layout->panes[0].trace;
      legend_add (layout, TL_LEGEND_HEADING, 0, 0, g_strdup ("Segments"));
      if (any_from[TL_ARROW_FROM_A])
        legend_add (layout, TL_LEGEND_ARROW, TL_ARROW_FROM_A, 0,
                    g_strdup_printf ("%s \342\206\222 %s", tl_trace_host_name (t, 0), tl_trace_host_name (t, 1)));
      if (any_from[TL_ARROW_FROM_B])
        legend_add (layout, TL_LEGEND_ARROW, TL_ARROW_FROM_B, 0,
                    g_strdup_printf ("%s \342\206\222 %s", tl_trace_host_name (t, 1), tl_trace_host_name (t, 0)));
      if (any_rst)
        legend_add (layout, TL_LEGEND_ARROW, TL_ARROW_RST, 0, g_strdup ("RST"));
      if (any_retransmit)
        legend_add (layout, TL_LEGEND_RETRANSMIT, 0, 0, g_strdup ("retransmission #n"));
      if (any_drop)
        legend_add (layout, TL_LEGEND_DROP, 0, 0, g_strdup ("dropped"));
      if (any_hold)
        legend_add (layout, TL_LEGEND_HOLD, 0, 0, g_strdup ("held by the paused router"));
      if (any_pause)
        legend_add (layout, TL_LEGEND_PAUSE, 0, 0, g_strdup ("router paused"));
      if (tl_time_map_get_n_breaks (layout->map) > 0)
        legend_add (layout, TL_LEGEND_BREAK, 0, 0, g_strdup ("idle time left out"));
    }
  if (layout->n_callouts > 0)
    {
      legend_add (layout, TL_LEGEND_HEADING, 0, 0, g_strdup ("Labels"));
      for (guint i = 0; i < layout->labels->len; i++)
        {
          const TlLabel *label = &g_array_index (layout->labels, TlLabel, i);
          if (label->callout == 0)
            continue;
          legend_add (layout, TL_LEGEND_CALLOUT, (guint8) label->pane, label->callout,
                      label->line2 != NULL ? g_strdup_printf ("%s  %s", label->line1, label->line2)
                                           : g_strdup (label->line1));
        }
    }
  if (n_mismatches > 0)
    {
      legend_add (layout, TL_LEGEND_HEADING, 0, 0, g_strdup ("Differences"));
      for (guint i = 0; i < n_mismatches; i++)
        legend_add (layout, TL_LEGEND_MISMATCH, 0, i + 1, g_strdup (mismatches[i].text ? mismatches[i].text : ""));
    }
  if (layout->n_hidden_labels > 0)
    legend_add (layout, TL_LEGEND_NOTE, 0, 0,
                g_strdup_printf ("%u labels left out: too dense at this scale; "
                                 "narrow the time range or give more height",
                                 layout->n_hidden_labels));
  for (guint p = 0; p < layout->n_panes; p++)
    if (layout->panes[p].trace->truncated)
      legend_add (layout, TL_LEGEND_NOTE, 0, 0,
                  g_strdup ("the run hit its event limit: the trace is truncated"));
}

/* Flows the legend items into rows; returns the height used. */
static double
flow_legend (TlRenderLayout *layout,
             double          top)
{
  double x0 = MARGIN, x1 = layout->width - MARGIN;
  double x = x0, y = top;
  double row_h = LEGEND_ROW;

  for (guint i = 0; i < layout->legend->len; i++)
    {
      TlLegendItem *item = &g_array_index (layout->legend, TlLegendItem, i);
      TlFont font = item->kind == TL_LEGEND_HEADING ? TL_FONT_SMALL_BOLD
                    : item->kind == TL_LEGEND_NOTE ? TL_FONT_ITALIC : TL_FONT_SMALL;
      double swatch = 0, w;
      gboolean own_row = item->kind == TL_LEGEND_HEADING || item->kind == TL_LEGEND_MISMATCH
                         || item->kind == TL_LEGEND_NOTE;

      switch ((TlLegendKind) item->kind)
        {
        case TL_LEGEND_STATE: case TL_LEGEND_INFERRED: case TL_LEGEND_PAUSE:
          swatch = 26;
          break;
        case TL_LEGEND_ARROW: case TL_LEGEND_RETRANSMIT: case TL_LEGEND_DROP:
        case TL_LEGEND_HOLD: case TL_LEGEND_BREAK:
          swatch = 38;
          break;
        case TL_LEGEND_CALLOUT: case TL_LEGEND_MISMATCH:
          swatch = 20;
          break;
        case TL_LEGEND_HEADING: case TL_LEGEND_NOTE:
        default:
          swatch = 0;
          break;
        }
      tl_render_text_measure (layout, font, item->text, &item->text_w, NULL);
      item->text_w = MIN (item->text_w, x1 - x0 - swatch - 8);
      w = swatch + (swatch > 0 ? 6 : 0) + item->text_w;
      if (item->kind == TL_LEGEND_HEADING)
        {
          if (x > x0)
            y += row_h;
          if (i > 0)
            y += 4;
          x = x0;
        }
      else if (own_row || x + w > x1)
        {
          if (x > x0)
            {
              y += row_h;
              x = x0;
            }
        }
      item->x = x;
      item->y = y;
      item->w = w;
      item->h = row_h;
      x += w + 20;
      if (own_row)
        {
          y += row_h;
          x = x0;
        }
    }
  if (x > x0)
    y += row_h;
  return y - top;
}

/* ---- mismatches ------------------------------------------------------- */

static void
zone_of_record (TlRenderLayout *layout,
                guint           pane_index,
                guint           record,
                TlMismatchMark *mark)
{
  TlPane *pane = &layout->panes[pane_index];
  const TlRenderModel *model = pane->model;
  const TlTraceRecord *rec;

  mark->x0 = 1;
  mark->x1 = 0;
  if (record == TL_RENDER_NO_RECORD || record >= tl_trace_get_n_records (pane->trace))
    return;
  rec = tl_trace_get_record (pane->trace, record);
  if (rec->packet != 0)
    {
      for (guint i = 0; i < model->packets->len; i++)
        if (g_array_index (model->packets, TlRenderPacket, i).packet == rec->packet)
          {
            guint first = pane->packet_first_leg[i];
            mark->x0 = G_MAXDOUBLE;
            mark->x1 = -G_MAXDOUBLE;
            mark->y0 = G_MAXDOUBLE;
            mark->y1 = -G_MAXDOUBLE;
            mark->first_leg = first;
            for (guint l = first; l != TL_RENDER_NONE_INDEX && l < layout->legs->len; l++)
              {
                const TlLeg *leg = &g_array_index (layout->legs, TlLeg, l);
                if (leg->pane != pane_index || leg->packet != i)
                  break;
                mark->n_legs++;
                mark->x0 = MIN (mark->x0, MIN (leg->x0, leg->x1));
                mark->x1 = MAX (mark->x1, MAX (leg->x0, leg->x1));
                mark->y0 = MIN (mark->y0, MIN (leg->y0, leg->y1));
                mark->y1 = MAX (mark->y1, MAX (leg->y0, leg->y1));
              }
            if (mark->x0 > mark->x1)
              {
                mark->x0 = 1;
                mark->x1 = 0;
              }
            return;
          }
      return;
    }
  if (rec->host < TL_MAX_HOSTS)
    {
      double y = ty (layout, rec->time);
      mark->x0 = MIN (pane->calls_x0[rec->host], pane->host_x[rec->host]);
      mark->x1 = MAX (pane->calls_x1[rec->host], pane->host_x[rec->host]);
      if (rec->host == TL_HOST_A)
        mark->x0 = pane->lane_x0[rec->host] - 2;
      else
        mark->x1 = pane->lane_x1[rec->host] + 2;
      mark->y0 = y - 6;
      mark->y1 = y + 6;
    }
}

static void
layout_mismatches (TlRenderLayout         *layout,
                   const TlRenderMismatch *mismatches,
                   guint                   n_mismatches)
{
  for (guint i = 0; i < n_mismatches && layout->n_panes == 2; i++)
    for (guint p = 0; p < 2; p++)
      {
        TlMismatchMark mark = { 0 };
        zone_of_record (layout, p, p == 0 ? mismatches[i].record_a : mismatches[i].record_b, &mark);
        mark.pane = (guint8) p;
        mark.number = i + 1;
        if (mark.x0 <= mark.x1)
          g_array_append_val (layout->mismatches, mark);
      }
}

/* ---- building --------------------------------------------------------- */

static void
clear_geometry (TlRenderLayout *layout)
{
  for (guint i = 0; i < layout->pauses->len; i++)
    {
      TlPauseBox *box = &g_array_index (layout->pauses, TlPauseBox, i);
      g_free (box->text[0]);
      g_free (box->text[1]);
    }
  for (guint i = 0; i < layout->labels->len; i++)
    {
      TlLabel *label = &g_array_index (layout->labels, TlLabel, i);
      g_free (label->line1);
      g_free (label->line2);
    }
  for (guint i = 0; i < layout->ticks->len; i++)
    g_free (g_array_index (layout->ticks, TlTick, i).text);
  for (guint i = 0; i < layout->legend->len; i++)
    g_free (g_array_index (layout->legend, TlLegendItem, i).text);
  g_array_set_size (layout->legs, 0);
  g_array_set_size (layout->holds, 0);
  g_array_set_size (layout->states, 0);
  g_array_set_size (layout->marks, 0);
  g_array_set_size (layout->pauses, 0);
  g_array_set_size (layout->labels, 0);
  g_array_set_size (layout->ticks, 0);
  g_array_set_size (layout->legend, 0);
  g_array_set_size (layout->mismatches, 0);
  g_clear_pointer (&layout->map, tl_time_map_unref);
  layout->n_labels = layout->n_callouts = layout->n_hidden_labels = 0;
  layout->labels_suppressed = FALSE;
}

static double
layout_header (TlRenderLayout *layout)
{
  double y = MARGIN;

  layout->title_y = layout->caption_y = y;
  if (layout->options.show_title)
    {
      double h;
      if (layout->title != NULL)
        {
          tl_render_text_measure (layout, TL_FONT_TITLE, layout->title, NULL, &h);
          layout->title_y = y;
          y += h + 2;
        }
      if (layout->caption != NULL)
        {
          g_autoptr (PangoLayout) pl = tl_render_text_layout (layout, TL_FONT_CAPTION, layout->caption);
          PangoRectangle logical;
          pango_layout_set_width (pl, (int) ((layout->width - 2 * MARGIN) * PANGO_SCALE));
          pango_layout_set_wrap (pl, PANGO_WRAP_WORD_CHAR);
          pango_layout_get_extents (pl, NULL, &logical);
          layout->caption_y = y;
          y += (double) logical.height / PANGO_SCALE;
        }
      y += 10;
    }
  layout->header_y = y;
  /* A pair names its two traces above their host names. */
  return y + HEADER_HEIGHT + (layout->n_panes > 1 ? 20 : 0);
}

static void
arrange (TlRenderLayout         *layout,
         const TlRenderMismatch *mismatches,
         guint                   n_mismatches,
         double                  legend_reserve)
{
  double map_top, legend_h = 0, ladder_px = 0;

  clear_geometry (layout);
  place_columns (layout);
  layout->ladder_top = layout_header (layout);
  map_top = layout->ladder_top + LADDER_PAD;

  if (layout->options.height > 0 && layout->options.px_per_second <= 0)
    ladder_px = MAX (layout->options.height - map_top - LADDER_PAD - MARGIN - legend_reserve, 80.0);
  build_time_map (layout, map_top, ladder_px,
                  MAX_AUTO_HEIGHT - map_top - LADDER_PAD - MARGIN - legend_reserve);
  layout->ladder_bottom = tl_time_map_get_y_end (layout->map) + LADDER_PAD;

  for (guint p = 0; p < layout->n_panes; p++)
    {
      TlPane *pane = &layout->panes[p];
      g_autoptr (GArray) hold_ends = g_array_new (FALSE, FALSE, sizeof (TlTime));
      guint n_packets = pane->model->packets->len;

      g_free (pane->packet_label);
      g_free (pane->packet_first_leg);
      pane->packet_label = g_new (guint, MAX (n_packets, 1));
      pane->packet_first_leg = g_new (guint, MAX (n_packets, 1));
      for (guint i = 0; i < n_packets; i++)
        pane->packet_label[i] = pane->packet_first_leg[i] = TL_RENDER_NONE_INDEX;
      layout_states (layout, p);
      for (guint i = 0; i < n_packets; i++)
        layout_packet (layout, p, i, hold_ends);
      layout_pauses (layout, p);
      layout_marks (layout, p);
    }
  layout_mismatches (layout, mismatches, n_mismatches);
  tl_render_place_labels (layout);
  layout_ticks (layout);

  if (layout->options.show_legend)
    build_legend (layout, mismatches, n_mismatches);
  else if (layout->n_callouts > 0 || n_mismatches > 0)
    {
      /* Call-outs and differences mean nothing without their list. */
      build_legend (layout, mismatches, n_mismatches);
      for (guint i = 0; i < layout->legend->len; i++)
        {
          TlLegendItem *item = &g_array_index (layout->legend, TlLegendItem, i);
          if (item->kind != TL_LEGEND_CALLOUT && item->kind != TL_LEGEND_MISMATCH
              && !(item->kind == TL_LEGEND_HEADING
                   && (g_str_equal (item->text, "Labels") || g_str_equal (item->text, "Differences"))))
            {
              g_free (item->text);
              g_array_remove_index (layout->legend, i--);
            }
        }
    }
  layout->legend_top = layout->ladder_bottom + 8;
  if (layout->legend->len > 0)
    legend_h = flow_legend (layout, layout->legend_top);
  layout->content_height = ceil (layout->legend_top + legend_h + MARGIN);
  layout->height = layout->options.height > 0 ? layout->options.height : layout->content_height;
}

static TlRenderLayout *
layout_new (TlTrace               **traces,
            guint                   n_traces,
            const TlRenderMismatch *mismatches,
            guint                   n_mismatches,
            const TlRenderOptions  *options)
{
  TlRenderLayout *layout = g_new0 (TlRenderLayout, 1);
  TlTime t_first = G_MAXINT64, t_last = G_MININT64;

  layout->ref_count = 1;
  if (options != NULL)
    layout->options = *options;
  else
    tl_render_options_init (&layout->options);
  sanitize_options (&layout->options, n_traces);
  layout->palette = tl_render_palette (layout->options.theme);
  layout->pango = create_pango_context ();
  layout->n_panes = n_traces;
  layout->width = layout->options.width;
  layout->legs = g_array_new (FALSE, FALSE, sizeof (TlLeg));
  layout->holds = g_array_new (FALSE, FALSE, sizeof (TlHoldBar));
  layout->states = g_array_new (FALSE, FALSE, sizeof (TlStateBox));
  layout->marks = g_array_new (FALSE, FALSE, sizeof (TlMarkBox));
  layout->pauses = g_array_new (FALSE, FALSE, sizeof (TlPauseBox));
  layout->labels = g_array_new (FALSE, FALSE, sizeof (TlLabel));
  layout->ticks = g_array_new (FALSE, FALSE, sizeof (TlTick));
  layout->legend = g_array_new (FALSE, FALSE, sizeof (TlLegendItem));
  layout->mismatches = g_array_new (FALSE, FALSE, sizeof (TlMismatchMark));

  for (guint p = 0; p < n_traces; p++)
    {
      layout->panes[p].trace = tl_trace_ref (traces[p]);
      layout->panes[p].model = tl_render_model_new (traces[p]);
      t_first = MIN (t_first, layout->panes[p].model->t_first);
      t_last = MAX (t_last, layout->panes[p].model->t_last);
    }
  layout->from = layout->options.time_from == TL_RENDER_TIME_START ? t_first : layout->options.time_from;
  if (layout->options.time_to == TL_RENDER_TIME_END)
    {
      /* Stop a little after the last record, not at a far end of run
       * where nothing happens. */
      TlTime last_record = t_first, flight = G_MAXINT64;
      for (guint p = 0; p < n_traces; p++)
        {
          guint n = tl_trace_get_n_records (traces[p]);
          if (n > 0)
            last_record = MAX (last_record, tl_trace_get_record (traces[p], n - 1)->time);
          flight = MIN (flight, MAX (tl_render_model_typical_flight (layout->panes[p].model), 1));
        }
      layout->to = MIN (t_last, last_record + flight);
      if (layout->to <= layout->from)
        layout->to = t_last;
    }
  else
    layout->to = layout->options.time_to;
  if (layout->to <= layout->from)
    layout->to = layout->from + TL_MSEC (1);

  if (n_traces == 1)
    {
      layout->title = g_strdup (traces[0]->title);
      layout->caption = g_strdup (traces[0]->caption);
    }
  else
    {
      layout->title = g_strdup_printf ("%s  \342\206\224  %s",
                                       traces[0]->title ? traces[0]->title : "trace A",
                                       traces[1]->title ? traces[1]->title : "trace B");
      if (n_mismatches > 0)
        layout->caption = g_strdup_printf ("%u difference%s, numbered on both sides and listed below",
                                           n_mismatches, n_mismatches == 1 ? "" : "s");
      else
        layout->caption = g_strdup ("no differences");
    }

  {
    double reserve = 0;

    arrange (layout, mismatches, n_mismatches, reserve);
    /* A fixed height (or the automatic one's ceiling) has to make room
     * for the legend, whose call-out list depends on how the labels fared
     * at the previous try. */
    double limit = layout->options.height > 0 ? layout->options.height
                   : layout->options.px_per_second > 0 ? G_MAXDOUBLE : MAX_AUTO_HEIGHT;
    for (guint round = 0; round < 3; round++)
      {
        double overflow = layout->content_height - limit;
        if (overflow <= 1)
          break;
        reserve += overflow + 2;
        arrange (layout, mismatches, n_mismatches, reserve);
      }
  }
  return layout;
}

TlRenderLayout *
tl_render_layout_new (TlTrace               *trace,
                      const TlRenderOptions *options)
{
  g_return_val_if_fail (trace != NULL, NULL);
  return layout_new (&trace, 1, NULL, 0, options);
}

TlRenderLayout *
tl_render_layout_new_pair (TlTrace                *trace_a,
                           TlTrace                *trace_b,
                           const TlRenderMismatch *mismatches,
                           guint                   n_mismatches,
                           const TlRenderOptions  *options)
{
  TlTrace *traces[2] = { trace_a, trace_b };

  g_return_val_if_fail (trace_a != NULL && trace_b != NULL, NULL);
  g_return_val_if_fail (mismatches != NULL || n_mismatches == 0, NULL);
  return layout_new (traces, 2, mismatches, n_mismatches, options);
}

TlRenderLayout *
tl_render_layout_ref (TlRenderLayout *layout)
{
  g_return_val_if_fail (layout != NULL, NULL);
  g_atomic_int_inc (&layout->ref_count);
  return layout;
}

void
tl_render_layout_unref (TlRenderLayout *layout)
{
  if (layout == NULL || !g_atomic_int_dec_and_test (&layout->ref_count))
    return;
  clear_geometry (layout);
  for (guint p = 0; p < layout->n_panes; p++)
    {
      tl_render_model_free (layout->panes[p].model);
      tl_trace_unref (layout->panes[p].trace);
      g_free (layout->panes[p].packet_label);
      g_free (layout->panes[p].packet_first_leg);
    }
  g_array_unref (layout->legs);
  g_array_unref (layout->holds);
  g_array_unref (layout->states);
  g_array_unref (layout->marks);
  g_array_unref (layout->pauses);
  g_array_unref (layout->labels);
  g_array_unref (layout->ticks);
  g_array_unref (layout->legend);
  g_array_unref (layout->mismatches);
  g_object_unref (layout->pango);
  g_free (layout->title);
  g_free (layout->caption);
  g_free (layout);
}

/* ---- queries ------------------------------------------------------------ */

void
tl_render_layout_get_size (const TlRenderLayout *layout,
                           double               *width,
                           double               *height)
{
  if (width != NULL)
    *width = layout->width;
  if (height != NULL)
    *height = layout->height;
}

const TlTimeMap *
tl_render_layout_get_time_map (const TlRenderLayout *layout)
{
  return layout->map;
}

double
tl_render_layout_get_lifeline_x (const TlRenderLayout *layout,
                                 guint                 pane,
                                 guint                 host)
{
  g_return_val_if_fail (pane < layout->n_panes && host <= TL_HOST_ROUTER, 0);
  return layout->panes[pane].host_x[host];
}

void
tl_render_layout_get_ladder_extent (const TlRenderLayout *layout,
                                    double               *top,
                                    double               *bottom)
{
  if (top != NULL)
    *top = layout->ladder_top;
  if (bottom != NULL)
    *bottom = layout->ladder_bottom;
}

guint
tl_render_layout_get_n_arrows (const TlRenderLayout *layout)
{
  return layout->legs->len;
}

guint
tl_render_layout_get_n_labels (const TlRenderLayout *layout)
{
  return layout->n_labels;
}

guint
tl_render_layout_get_n_callouts (const TlRenderLayout *layout)
{
  return layout->n_callouts;
}

guint
tl_render_layout_get_n_hidden_labels (const TlRenderLayout *layout)
{
  return layout->n_hidden_labels;
}

/* ---- hit testing ----------------------------------------------------------- */

double
tl_render_segment_distance (double x0, double y0,
                            double x1, double y1,
                            double px, double py)
{
  double dx = x1 - x0, dy = y1 - y0;
  double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((px - x0) * dx + (py - y0) * dy) / len2 : 0;

  t = CLAMP (t, 0.0, 1.0);
  return hypot (px - (x0 + t * dx), py - (y0 + t * dy));
}

static void
hit_packet (const TlRenderLayout *layout,
            guint                 pane,
            guint                 packet,
            TlRenderHitKind       kind,
            TlRenderHit          *hit)
{
  const TlRenderPacket *p = &g_array_index (layout->panes[pane].model->packets, TlRenderPacket, packet);

  hit->kind = kind;
  hit->pane = pane;
  hit->host = kind == TL_RENDER_HIT_HOLD ? TL_HOST_ROUTER : p->sender;
  hit->packet = p->packet;
  if (kind == TL_RENDER_HIT_HOLD)
    {
      hit->record = p->rec_hold;
      hit->start = p->t_hold;
      hit->end = p->rec_release != TL_RENDER_NONE_INDEX ? p->t_release : layout->panes[pane].model->t_last;
    }
  else
    {
      hit->record = p->rec_send != TL_RENDER_NONE_INDEX ? p->rec_send : p->rec_end;
      hit->start = p->t_send;
      hit->end = p->end != TL_PACKET_IN_FLIGHT ? p->t_end : layout->panes[pane].model->t_last;
    }
}

gboolean
tl_render_hit_test (const TlRenderLayout *layout,
                    double                x,
                    double                y,
                    TlRenderHit          *hit)
{
  double best = 4.5;
  guint best_leg = TL_RENDER_NONE_INDEX;

  memset (hit, 0, sizeof *hit);
  hit->kind = TL_RENDER_HIT_NONE;
  hit->record = TL_RENDER_NO_RECORD;
  hit->time = tl_time_map_to_time (layout->map, y);
  if (y < layout->ladder_top || y > layout->ladder_bottom)
    return FALSE;

  /* Arrows first: they are thin, everything else is under them. */
  for (guint i = 0; i < layout->legs->len; i++)
    {
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);
      double d;
      if (y < MIN (leg->y0, leg->y1) - best || y > MAX (leg->y0, leg->y1) + best
          || x < MIN (leg->x0, leg->x1) - best || x > MAX (leg->x0, leg->x1) + best)
        continue;
      d = tl_render_segment_distance (leg->x0, leg->y0, leg->x1, leg->y1, x, y);
      if (d < best)
        {
          best = d;
          best_leg = i;
        }
    }
  if (best_leg != TL_RENDER_NONE_INDEX)
    {
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, best_leg);
      hit_packet (layout, leg->pane, leg->packet, TL_RENDER_HIT_SEGMENT, hit);
      return TRUE;
    }

  for (guint i = 0; i < layout->labels->len; i++)
    {
      const TlLabel *label = &g_array_index (layout->labels, TlLabel, i);
      if (tl_render_label_hits_point (label, x, y))
        {
          hit_packet (layout, label->pane, label->packet, TL_RENDER_HIT_SEGMENT, hit);
          return TRUE;
        }
    }

  for (guint i = 0; i < layout->holds->len; i++)
    {
      const TlHoldBar *bar = &g_array_index (layout->holds, TlHoldBar, i);
      if (fabs (x - bar->x) <= 3.5 && y >= bar->y0 - 2 && y <= bar->y1 + 2)
        {
          hit_packet (layout, bar->pane, bar->packet, TL_RENDER_HIT_HOLD, hit);
          return TRUE;
        }
    }

  for (guint i = 0; i < layout->marks->len; i++)
    {
      const TlMarkBox *box = &g_array_index (layout->marks, TlMarkBox, i);
      const TlRenderMark *mark = &g_array_index (layout->panes[box->pane].model->marks, TlRenderMark, box->mark);
      gboolean on_text = x >= box->text_x - 2 && x <= box->text_x + box->text_w + 2
                         && y >= box->text_y && y <= box->text_y + box->text_h;
      gboolean on_tick = x >= box->tick_x0 && x <= box->tick_x1 && fabs (y - box->y) <= 2.5;
      if (on_text || on_tick)
        {
          hit->kind = mark->kind == TL_MARK_TIMER ? TL_RENDER_HIT_TIMER : TL_RENDER_HIT_CALL;
          hit->pane = box->pane;
          hit->host = mark->host;
          hit->record = mark->record;
          hit->start = hit->end = mark->time;
          return TRUE;
        }
    }

  for (guint i = 0; i < layout->states->len; i++)
    {
      const TlStateBox *box = &g_array_index (layout->states, TlStateBox, i);
      if (x >= box->x0 && x <= box->x1 && y >= box->y0 && y <= box->y1)
        {
          const TlRenderSpan *span = &g_array_index (layout->panes[box->pane].model->spans,
                                                     TlRenderSpan, box->span);
          hit->kind = TL_RENDER_HIT_STATE;
          hit->pane = box->pane;
          hit->host = span->host;
          hit->record = span->record;
          hit->state = (TlTcpState) span->state;
          hit->start = span->t0;
          hit->end = span->t1;
          return TRUE;
        }
    }

  for (guint i = 0; i < layout->pauses->len; i++)
    {
      const TlPauseBox *box = &g_array_index (layout->pauses, TlPauseBox, i);
      if (x >= box->x0 && x <= box->x1 && y >= box->y0 && y <= box->y1)
        {
          const TlTrace *trace = layout->panes[box->pane].trace;
          hit->kind = TL_RENDER_HIT_PAUSE;
          hit->pane = box->pane;
          hit->host = TL_HOST_ROUTER;
          for (guint r = 0; r < tl_trace_get_n_records (trace); r++)
            {
              const TlTraceRecord *rec = tl_trace_get_record (trace, r);
              if (rec->kind == TL_REC_PAUSE && rec->time == box->t0)
                {
                  hit->record = r;
                  break;
                }
            }
          hit->start = box->t0;
          hit->end = box->t1;
          return TRUE;
        }
    }
  return FALSE;
}

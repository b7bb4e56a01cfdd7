/* tl-render-draw.c: painting a layout with cairo.
 *
 * Back to front: background, grid and pause windows, state bars,
 * lifelines, held segments, arrows, break bands, the time axis, calls,
 * labels, difference marks, legend.  Every segment arrow is one stroked
 * path in an arrow colour (its head and drop cross are filled), which is
 * what the SVG tests count.
 */
#include "tl-render-private.h"

#include <math.h>

typedef struct
{
  double x0, y0, x1, y1;
} Clip;

static void
set_rgb (cairo_t     *cr,
         const TlRgb *c)
{
  cairo_set_source_rgb (cr, c->r, c->g, c->b);
}

static void
set_rgba (cairo_t     *cr,
          const TlRgb *c,
          double       alpha)
{
  cairo_set_source_rgba (cr, c->r, c->g, c->b, alpha);
}

static gboolean
visible (const Clip *clip,
         double x0, double y0, double x1, double y1)
{
  return MAX (x0, x1) >= clip->x0 && MIN (x0, x1) <= clip->x1
         && MAX (y0, y1) >= clip->y0 && MIN (y0, y1) <= clip->y1;
}

typedef enum
{
  ALIGN_LEFT,
  ALIGN_CENTER,
  ALIGN_RIGHT,
} Align;

/* Draws TEXT with its top at Y; X is its left, centre or right edge. */
static void
draw_text (TlRenderLayout *layout,
           cairo_t        *cr,
           TlFont          font,
           const char     *text,
           double          x,
           double          y,
           Align           align,
           double          max_width,
           const TlRgb    *color)
{
  g_autoptr (PangoLayout) pl = tl_render_text_layout (layout, font, text);
  PangoRectangle logical;
  double w;

  if (max_width > 0)
    {
      pango_layout_set_width (pl, (int) (max_width * PANGO_SCALE));
      pango_layout_set_ellipsize (pl, PANGO_ELLIPSIZE_END);
    }
  pango_layout_get_extents (pl, NULL, &logical);
  w = (double) logical.width / PANGO_SCALE;
  if (align == ALIGN_CENTER)
    x -= w / 2;
  else if (align == ALIGN_RIGHT)
    x -= w;
  set_rgb (cr, color);
  cairo_move_to (cr, x - (double) logical.x / PANGO_SCALE, y);
  pango_cairo_show_layout (cr, pl);
}

static void
rounded_rect (cairo_t *cr,
              double x, double y, double w, double h, double r)
{
  r = MIN (r, MIN (w, h) / 2);
  cairo_new_sub_path (cr);
  cairo_arc (cr, x + w - r, y + r, r, -G_PI / 2, 0);
  cairo_arc (cr, x + w - r, y + h - r, r, 0, G_PI / 2);
  cairo_arc (cr, x + r, y + h - r, r, G_PI / 2, G_PI);
  cairo_arc (cr, x + r, y + r, r, G_PI, 3 * G_PI / 2);
  cairo_close_path (cr);
}

static void
zigzag (cairo_t *cr,
        double   x0,
        double   x1,
        double   y,
        double   amplitude)
{
  const double period = 8;
  gboolean up = TRUE;

  cairo_move_to (cr, x0, y);
  for (double x = x0 + period / 2; x < x1; x += period / 2)
    {
      cairo_line_to (cr, x, y + (up ? -amplitude : amplitude));
      up = !up;
    }
  cairo_line_to (cr, x1, y);
}

/* Diagonal lines over a rectangle (pause windows, inferred states). */
static void
hatch (cairo_t     *cr,
       double x0, double y0, double x1, double y1,
       double       spacing,
       const TlRgb *color,
       double       alpha)
{
  cairo_save (cr);
  cairo_rectangle (cr, x0, y0, x1 - x0, y1 - y0);
  cairo_clip (cr);
  for (double d = -(y1 - y0); d < x1 - x0; d += spacing)
    {
      cairo_move_to (cr, x0 + d, y1);
      cairo_line_to (cr, x0 + d + (y1 - y0), y0);
    }
  set_rgba (cr, color, alpha);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static void
arrow_head_path (cairo_t *cr,
                 double   x1,
                 double   y1,
                 double   ux,
                 double   uy)
{
  double bx = x1 - ux * TL_ARROW_HEAD_LEN, by = y1 - uy * TL_ARROW_HEAD_LEN;

  cairo_move_to (cr, x1, y1);
  cairo_line_to (cr, bx - uy * TL_ARROW_HEAD_HALF, by + ux * TL_ARROW_HEAD_HALF);
  cairo_line_to (cr, bx + uy * TL_ARROW_HEAD_HALF, by - ux * TL_ARROW_HEAD_HALF);
  cairo_close_path (cr);
}

static void
arrow_head (cairo_t *cr,
            double   x1,
            double   y1,
            double   ux,
            double   uy)
{
  arrow_head_path (cr, x1, y1, ux, uy);
  cairo_fill (cr);
}

/* A filled X: two thin rotated bars. */
static void
drop_cross_path (cairo_t *cr,
                 double   x,
                 double   y,
                 double   size)
{
  const double t = 1.3;

  for (guint k = 0; k < 2; k++)
    {
      double ax = k == 0 ? G_SQRT2 / 2 : -G_SQRT2 / 2, ay = G_SQRT2 / 2;
      double nx = -ay * t, ny = ax * t;
      cairo_move_to (cr, x - ax * size + nx, y - ay * size + ny);
      cairo_line_to (cr, x + ax * size + nx, y + ay * size + ny);
      cairo_line_to (cr, x + ax * size - nx, y + ay * size - ny);
      cairo_line_to (cr, x - ax * size - nx, y - ay * size - ny);
      cairo_close_path (cr);
    }
}

static void
drop_cross (cairo_t *cr,
            double   x,
            double   y,
            double   size)
{
  drop_cross_path (cr, x, y, size);
  cairo_fill (cr);
}

static void
stroke_leg_path (cairo_t     *cr,
                 const TlLeg *leg)
{
  double dx = leg->x1 - leg->x0, dy = leg->y1 - leg->y0;
  double len = hypot (dx, dy);
  double ux = len > 0 ? dx / len : 1, uy = len > 0 ? dy / len : 0;
  /* Stop the shaft inside the head so its tip stays sharp. */
  double shorten = leg->head ? MIN (TL_ARROW_HEAD_LEN - 2, len) : 0;

  cairo_move_to (cr, leg->x0, leg->y0);
  cairo_line_to (cr, leg->x1 - ux * shorten, leg->y1 - uy * shorten);
  cairo_stroke (cr);
}

static void
set_leg_style (cairo_t     *cr,
               const TlLeg *leg)
{
  static const double dash_retransmit[] = { 6, 3.5 };
  static const double dash_fade[] = { 1.5, 3 };

  if (leg->fade)
    cairo_set_dash (cr, dash_fade, 2, 0);
  else if (leg->dashed)
    cairo_set_dash (cr, dash_retransmit, 2, 0);
  else
    cairo_set_dash (cr, NULL, 0, 0);
}

static guint
leg_style (const TlLeg *leg)
{
  return leg->color * 3 + (leg->fade ? 2 : leg->dashed ? 1 : 0);
}

static void
add_shaft (cairo_t     *cr,
           const TlLeg *leg)
{
  double dx = leg->x1 - leg->x0, dy = leg->y1 - leg->y0;
  double len = hypot (dx, dy);
  double shorten = leg->head ? MIN (TL_ARROW_HEAD_LEN - 2, len) : 0;

  cairo_move_to (cr, leg->x0, leg->y0);
  cairo_line_to (cr, leg->x1 - (len > 0 ? dx / len : 0) * shorten,
                 leg->y1 - (len > 0 ? dy / len : 0) * shorten);
}

static void
add_decoration (cairo_t     *cr,
                const TlLeg *leg,
                gboolean     crosses)
{
  double dx = leg->x1 - leg->x0, dy = leg->y1 - leg->y0;
  double len = hypot (dx, dy);

  if (crosses && leg->cross)
    drop_cross_path (cr, leg->x1, leg->y1, 5.5);
  else if (!crosses && leg->head && len > 0)
    arrow_head_path (cr, leg->x1, leg->y1, dx / len, dy / len);
}

/* Vector surfaces: every arrow is its own path (shaft stroked, head
 * filled), in time order, so an SVG reader can pick it. */
static void
draw_legs_vector (TlRenderLayout *layout,
                  cairo_t        *cr,
                  const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;

  for (guint i = 0; i < layout->legs->len; i++)
    {
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);

      if (!visible (clip, leg->x0, leg->y0 - 8, leg->x1, leg->y1 + 8))
        continue;
      set_rgb (cr, &pal->arrow[leg->color]);
      set_leg_style (cr, leg);
      add_shaft (cr, leg);
      cairo_stroke (cr);
      add_decoration (cr, leg, FALSE);
      cairo_fill (cr);
      if (leg->cross)
        {
          set_rgb (cr, &pal->drop);
          add_decoration (cr, leg, TRUE);
          cairo_fill (cr);
        }
    }
}

/* Raster surfaces: one style at a time, many arrows per path, and arrows
 * that would land on the same pixels as the previous one of their style
 * skipped.  With 100000 arrows this is what keeps a PNG under a second;
 * the picture looks the same. */
static void
draw_legs_raster (TlRenderLayout *layout,
                  cairo_t        *cr,
                  const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;
  guint *order = g_new (guint, MAX (layout->legs->len, 1));

  for (guint style = 0; style < TL_N_ARROW_COLORS * 3; style++)
    {
      guint n = 0;
      const TlLeg *last = NULL;

      for (guint i = 0; i < layout->legs->len; i++)
        {
          const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);
          if (leg_style (leg) != style || !visible (clip, leg->x0, leg->y0 - 8, leg->x1, leg->y1 + 8))
            continue;
          if (last != NULL && fabs (leg->y0 - last->y0) < 0.3 && fabs (leg->y1 - last->y1) < 0.3
              && fabs (leg->x0 - last->x0) < 0.3 && fabs (leg->x1 - last->x1) < 0.3
              && leg->head == last->head && leg->cross == last->cross)
            continue;
          order[n++] = i;
          last = leg;
        }
      if (n == 0)
        continue;
      set_leg_style (cr, &g_array_index (layout->legs, TlLeg, order[0]));
      for (guint pass = 0; pass < 3; pass++)
        {
          gboolean any = FALSE;
          set_rgb (cr, pass == 2 ? &pal->drop : &pal->arrow[style / 3]);
          for (guint k = 0; k < n; k++)
            {
              const TlLeg *leg = &g_array_index (layout->legs, TlLeg, order[k]);
              if (pass == 0)
                add_shaft (cr, leg);
              else
                add_decoration (cr, leg, pass == 2);
              any = TRUE;
              /* Keep paths a manageable size. */
              if ((k + 1) % 1024 == 0)
                {
                  if (pass == 0)
                    cairo_stroke (cr);
                  else
                    cairo_fill (cr);
                }
            }
          if (any && pass == 0)
            cairo_stroke (cr);
          else if (any)
            cairo_fill (cr);
        }
    }
  g_free (order);
}

static void
draw_legs (TlRenderLayout *layout,
           cairo_t        *cr,
           const Clip     *clip)
{
  cairo_surface_type_t type = cairo_surface_get_type (cairo_get_target (cr));
  gboolean vector = type == CAIRO_SURFACE_TYPE_SVG || type == CAIRO_SURFACE_TYPE_PDF
                    || type == CAIRO_SURFACE_TYPE_PS || type == CAIRO_SURFACE_TYPE_RECORDING
                    || type == CAIRO_SURFACE_TYPE_SCRIPT;

  cairo_save (cr);
  cairo_set_line_width (cr, TL_ARROW_WIDTH);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_BUTT);
  if (vector)
    draw_legs_vector (layout, cr, clip);
  else
    draw_legs_raster (layout, cr, clip);
  cairo_restore (cr);
}

static void
draw_holds (TlRenderLayout *layout,
            cairo_t        *cr,
            const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;

  for (guint i = 0; i < layout->holds->len; i++)
    {
      const TlHoldBar *bar = &g_array_index (layout->holds, TlHoldBar, i);
      if (!visible (clip, bar->x - 3, bar->y0, bar->x + 3, bar->y1))
        continue;
      set_rgb (cr, &pal->hold);
      cairo_rectangle (cr, bar->x - 1.75, bar->y0, 3.5, MAX (bar->y1 - bar->y0, 1.5));
      cairo_fill (cr);
      /* Caps: where it was queued and let go. */
      cairo_rectangle (cr, bar->x - 3, bar->y0 - 0.75, 6, 1.5);
      if (!bar->open)
        cairo_rectangle (cr, bar->x - 3, bar->y1 - 0.75, 6, 1.5);
      cairo_fill (cr);
    }
}

static void
draw_states (TlRenderLayout *layout,
             cairo_t        *cr,
             const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;

  for (guint i = 0; i < layout->states->len; i++)
    {
      const TlStateBox *box = &g_array_index (layout->states, TlStateBox, i);
      const TlRenderSpan *span = &g_array_index (layout->panes[box->pane].model->spans,
                                                 TlRenderSpan, box->span);
      double h = box->y1 - box->y0, w = box->x1 - box->x0;

      if (!visible (clip, box->x0, box->y0, box->x1, box->y1) || h <= 0)
        continue;
      set_rgb (cr, &pal->state[span->state]);
      cairo_rectangle (cr, box->x0, box->y0, w, h);
      cairo_fill (cr);
      if (span->inferred)
        hatch (cr, box->x0, box->y0, box->x1, box->y1, 6, &pal->state_text[span->state], 0.25);
      /* A thin line where the state begins. */
      set_rgba (cr, &pal->background, 0.9);
      cairo_rectangle (cr, box->x0, box->y0, w, 1);
      cairo_fill (cr);
    }

  /* Names on top, once the bars are all down. */
  for (guint i = 0; i < layout->states->len; i++)
    {
      const TlStateBox *box = &g_array_index (layout->states, TlStateBox, i);
      const TlRenderSpan *span = &g_array_index (layout->panes[box->pane].model->spans,
                                                 TlRenderSpan, box->span);
      const char *name = tl_tcp_state_to_string ((TlTcpState) span->state);
      double h = box->y1 - box->y0, w = box->x1 - box->x0, tw, th;

      if (!visible (clip, box->x0, box->y0, box->x1, box->y1) || h < 11)
        continue;
      if (box->narrow)
        {
          /* Listener strip: the name runs down the strip. */
          tl_render_text_measure (layout, TL_FONT_STATE, name, &tw, &th);
          if (tw + 6 > h || th > w + 3)
            continue;
          cairo_save (cr);
          cairo_translate (cr, (box->x0 + box->x1) / 2 + th / 2, box->y0 + 3);
          cairo_rotate (cr, G_PI / 2);
          draw_text (layout, cr, TL_FONT_STATE, name, 0, 0, ALIGN_LEFT, 0, &pal->state_text[span->state]);
          cairo_restore (cr);
          continue;
        }
      tl_render_text_measure (layout, TL_FONT_STATE, name, &tw, &th);
      if (tw + 6 > w)
        {
          name = tl_render_state_short_name ((TlTcpState) span->state);
          tl_render_text_measure (layout, TL_FONT_STATE, name, &tw, &th);
          if (tw + 4 > w)
            continue;
        }
      if (th + 2 > h)
        continue;
      /* At the top of the span, where the change happened; in the middle
       * when the span is short. */
      draw_text (layout, cr, TL_FONT_STATE, name, (box->x0 + box->x1) / 2,
                 h < 2 * th + 6 ? box->y0 + (h - th) / 2 : box->y0 + 3,
                 ALIGN_CENTER, 0, &pal->state_text[span->state]);
    }
}

static void
draw_lifelines (TlRenderLayout *layout,
                cairo_t        *cr)
{
  const TlRenderPalette *pal = layout->palette;
  double y0 = layout->ladder_top + 2, y1 = layout->ladder_bottom;

  for (guint p = 0; p < layout->n_panes; p++)
    {
      const TlPane *pane = &layout->panes[p];
      for (guint h = 0; h < TL_MAX_HOSTS; h++)
        {
          set_rgb (cr, &pal->lifeline);
          cairo_set_line_width (cr, 1.4);
          cairo_move_to (cr, pane->host_x[h], y0);
          cairo_line_to (cr, pane->host_x[h], y1);
          cairo_stroke (cr);
        }
      if (pane->trace->has_router)
        {
          static const double dash[] = { 4, 3 };
          set_rgba (cr, &pal->lifeline, 0.8);
          cairo_set_line_width (cr, 1.2);
          cairo_set_dash (cr, dash, 2, 0);
          cairo_move_to (cr, pane->host_x[TL_HOST_ROUTER], y0);
          cairo_line_to (cr, pane->host_x[TL_HOST_ROUTER], y1);
          cairo_stroke (cr);
          cairo_set_dash (cr, NULL, 0, 0);
        }
    }
}

static void
draw_pauses (TlRenderLayout *layout,
             cairo_t        *cr,
             const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;
  static const double dash[] = { 3, 2 };

  for (guint i = 0; i < layout->pauses->len; i++)
    {
      const TlPauseBox *box = &g_array_index (layout->pauses, TlPauseBox, i);
      if (!visible (clip, box->x0 - 200, box->y0 - 20, box->x1, box->y1 + 20))
        continue;
      set_rgb (cr, &pal->pause);
      cairo_rectangle (cr, box->x0, box->y0, box->x1 - box->x0, box->y1 - box->y0);
      cairo_fill (cr);
      hatch (cr, box->x0, box->y0, box->x1, box->y1, 7, &pal->pause_edge, 0.22);
      set_rgba (cr, &pal->pause_edge, 0.9);
      cairo_set_line_width (cr, 1);
      cairo_set_dash (cr, dash, 2, 0);
      cairo_rectangle (cr, box->x0 + 0.5, box->y0 + 0.5, box->x1 - box->x0 - 1, box->y1 - box->y0 - 1);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
    }
}

static void
draw_pause_texts (TlRenderLayout *layout,
                  cairo_t        *cr,
                  const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;

  for (guint i = 0; i < layout->pauses->len; i++)
    {
      const TlPauseBox *box = &g_array_index (layout->pauses, TlPauseBox, i);
      for (guint k = 0; k < box->n_texts; k++)
        {
          if (!visible (clip, box->text_x[k], box->text_y[k], box->text_x[k] + box->text_w[k],
                        box->text_y[k] + box->text_h))
            continue;
          set_rgba (cr, &pal->background, 0.85);
          cairo_rectangle (cr, box->text_x[k] - 2, box->text_y[k], box->text_w[k] + 4, box->text_h);
          cairo_fill (cr);
          draw_text (layout, cr, TL_FONT_SMALL, box->text[k], box->text_x[k], box->text_y[k],
                     ALIGN_LEFT, 0, &pal->pause_edge);
        }
    }
}

static void
draw_grid (TlRenderLayout *layout,
           cairo_t        *cr,
           const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;

  set_rgb (cr, &pal->grid);
  cairo_set_line_width (cr, 1);
  for (guint i = 0; i < layout->ticks->len; i++)
    {
      double y = floor (g_array_index (layout->ticks, TlTick, i).y) + 0.5;
      if (y < clip->y0 - 1 || y > clip->y1 + 1)
        continue;
      cairo_move_to (cr, layout->axis_x1, y);
      cairo_line_to (cr, layout->width - 8, y);
    }
  cairo_stroke (cr);
}

static void
draw_axis (TlRenderLayout *layout,
           cairo_t        *cr,
           const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;
  double x = layout->axis_x1 - 4;

  set_rgb (cr, &pal->muted);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x + 0.5, layout->ladder_top + 4);
  cairo_line_to (cr, x + 0.5, layout->ladder_bottom - 4);
  cairo_stroke (cr);
  for (guint i = 0; i < layout->ticks->len; i++)
    {
      const TlTick *tick = &g_array_index (layout->ticks, TlTick, i);
      double th;
      if (tick->y < clip->y0 - 10 || tick->y > clip->y1 + 10)
        continue;
      set_rgb (cr, &pal->muted);
      cairo_move_to (cr, x - 4, floor (tick->y) + 0.5);
      cairo_line_to (cr, x + 0.5, floor (tick->y) + 0.5);
      cairo_stroke (cr);
      tl_render_text_measure (layout, TL_FONT_SMALL, tick->text, NULL, &th);
      draw_text (layout, cr, TL_FONT_SMALL, tick->text, x - 6, tick->below ? tick->y + 1 : tick->y - th / 2,
                 ALIGN_RIGHT,
                 layout->axis_x1 - 14, &pal->muted);
    }
}

static void
draw_breaks (TlRenderLayout *layout,
             cairo_t        *cr,
             const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;
  const TlTimeMap *map = layout->map;
  double x0 = layout->axis_x1 - 22, x1 = layout->width - 8;

  for (guint i = 0; i < tl_time_map_get_n_pieces (map); i++)
    {
      const TlTimeMapPiece *piece = tl_time_map_get_piece (map, i);
      g_autofree char *skipped = NULL;
      double th, ym;

      if (!piece->is_break || !visible (clip, x0, piece->y0 - 4, x1, piece->y1 + 4))
        continue;
      /* The band lets what runs through it (state bars, lifelines,
       * holds) show faintly: it still goes on, just not to scale. */
      set_rgba (cr, &pal->break_band, 0.82);
      cairo_rectangle (cr, x0, piece->y0 + 3, x1 - x0, piece->y1 - piece->y0 - 6);
      cairo_fill (cr);
      set_rgb (cr, &pal->muted);
      cairo_set_line_width (cr, 1);
      zigzag (cr, x0, x1, piece->y0 + 3, 2.5);
      cairo_stroke (cr);
      zigzag (cr, x0, x1, piece->y1 - 3, 2.5);
      cairo_stroke (cr);

      skipped = tl_time_format (piece->t1 - piece->t0, 3);
      {
        g_autofree char *text = g_strdup_printf ("%s idle", skipped);
        tl_render_text_measure (layout, TL_FONT_ITALIC, text, NULL, &th);
        ym = (piece->y0 + piece->y1) / 2 - th / 2;
        for (guint p = 0; p < layout->n_panes; p++)
          {
            const TlPane *pane = &layout->panes[p];
            double xc = pane->trace->has_router
                        ? (pane->host_x[TL_HOST_A] + pane->host_x[TL_HOST_ROUTER]) / 2
                        : (pane->host_x[TL_HOST_A] + pane->host_x[TL_HOST_B]) / 2;
            double tw;
            tl_render_text_measure (layout, TL_FONT_ITALIC, text, &tw, NULL);
            set_rgba (cr, &pal->break_band, 1);
            cairo_rectangle (cr, xc - tw / 2 - 4, ym - 1, tw + 8, th + 2);
            cairo_fill (cr);
            draw_text (layout, cr, TL_FONT_ITALIC, text, xc, ym, ALIGN_CENTER, 0, &pal->muted);
          }
      }
    }
}

static void
draw_marks (TlRenderLayout *layout,
            cairo_t        *cr,
            const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;

  for (guint i = 0; i < layout->marks->len; i++)
    {
      const TlMarkBox *box = &g_array_index (layout->marks, TlMarkBox, i);
      const TlPane *pane = &layout->panes[box->pane];
      const TlRenderMark *mark = &g_array_index (pane->model->marks, TlRenderMark, box->mark);
      const TlRgb *color = mark->kind == TL_MARK_TIMER ? &pal->timer
                           : mark->is_error ? &pal->error
                           : mark->kind == TL_MARK_RESULT ? &pal->ok : &pal->foreground;
      double hx = pane->host_x[mark->host];
      double text_mid = box->text_y + box->text_h / 2;
      gboolean left = mark->host == TL_HOST_A;

      if (!visible (clip, MIN (box->text_x, box->tick_x0), MIN (box->y, box->text_y) - 4,
                    MAX (box->text_x + box->text_w, box->tick_x1), MAX (box->y, box->text_y + box->text_h) + 4))
        continue;

      /* A tick across the state bar to the lifeline... */
      set_rgba (cr, color, 0.75);
      cairo_set_line_width (cr, 1);
      cairo_move_to (cr, box->tick_x0, box->y);
      cairo_line_to (cr, box->tick_x1, box->y);
      cairo_stroke (cr);
      /* ...a leader when stacking moved the text away from its time... */
      if (fabs (text_mid - box->y) > 1.5)
        {
          double tx = left ? box->text_x + box->text_w + 2 : box->text_x - 2;
          double lx = left ? pane->lane_x0[mark->host] : pane->lane_x1[mark->host];
          cairo_move_to (cr, tx, text_mid);
          cairo_line_to (cr, (tx + lx) / 2, text_mid);
          cairo_line_to (cr, lx, box->y);
          cairo_stroke (cr);
        }
      /* ...a dot on the lifeline: filled for calls, a ring for results,
       * a diamond for timers. */
      set_rgb (cr, color);
      if (mark->kind == TL_MARK_TIMER)
        {
          cairo_move_to (cr, hx, box->y - 4);
          cairo_line_to (cr, hx + 4, box->y);
          cairo_line_to (cr, hx, box->y + 4);
          cairo_line_to (cr, hx - 4, box->y);
          cairo_close_path (cr);
          cairo_fill (cr);
        }
      else if (mark->kind == TL_MARK_RESULT)
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, hx, box->y, 3.2, 0, 2 * G_PI);
          set_rgb (cr, &pal->background);
          cairo_fill_preserve (cr);
          set_rgb (cr, color);
          cairo_set_line_width (cr, 1.5);
          cairo_stroke (cr);
        }
      else
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, hx, box->y, 3.2, 0, 2 * G_PI);
          cairo_fill (cr);
        }
      {
        g_autoptr (PangoLayout) pl = tl_render_text_layout_wrapped (
            layout, mark->kind == TL_MARK_TIMER ? TL_FONT_ITALIC : TL_FONT_MARK, mark->text,
            box->text_w + 0.5, left);
        set_rgb (cr, color);
        cairo_move_to (cr, box->text_x, box->text_y);
        pango_cairo_show_layout (cr, pl);
      }
    }
}

static void
draw_labels (TlRenderLayout *layout,
             cairo_t        *cr,
             const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;

  for (guint i = 0; i < layout->labels->len; i++)
    {
      const TlLabel *label = &g_array_index (layout->labels, TlLabel, i);
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, label->leg);
      const TlRgb *color = &pal->arrow[leg->color];
      double r = MAX (label->hw, label->hh) + 2;

      if (!visible (clip, label->cx - r, label->cy - r, label->cx + r, label->cy + r))
        continue;
      if (label->callout > 0)
        {
          g_autofree char *number = g_strdup_printf ("%u", label->callout);
          double th;
          cairo_new_sub_path (cr);
          cairo_arc (cr, label->cx, label->cy, label->hw, 0, 2 * G_PI);
          set_rgb (cr, &pal->background);
          cairo_fill_preserve (cr);
          set_rgb (cr, &pal->foreground);
          cairo_set_line_width (cr, 1.1);
          cairo_stroke (cr);
          tl_render_text_measure (layout, TL_FONT_SMALL_BOLD, number, NULL, &th);
          draw_text (layout, cr, label->callout >= 100 ? TL_FONT_SMALL : TL_FONT_SMALL_BOLD,
                     number, label->cx, label->cy - th / 2, ALIGN_CENTER, 0, &pal->foreground);
          continue;
        }
      cairo_save (cr);
      cairo_translate (cr, label->cx, label->cy);
      cairo_rotate (cr, atan2 (label->uy, label->ux));
      rounded_rect (cr, -label->hw, -label->hh, 2 * label->hw, 2 * label->hh, 3);
      set_rgba (cr, &pal->label_bg, 0.88);
      cairo_fill (cr);
      draw_text (layout, cr, TL_FONT_LABEL, label->line1, 0, -label->hh + 0.5, ALIGN_CENTER, 0, color);
      if (label->line2 != NULL)
        draw_text (layout, cr, TL_FONT_OPTIONS, label->line2, 0, -label->hh + 0.5 + label->h1,
                   ALIGN_CENTER, 0, &pal->muted);
      cairo_restore (cr);
    }
}

static void
badge (TlRenderLayout *layout,
       cairo_t        *cr,
       double          x,
       double          y,
       guint           number,
       const TlRgb    *fill)
{
  g_autofree char *text = g_strdup_printf ("%u", number);
  double tw, th, r;

  tl_render_text_measure (layout, TL_FONT_SMALL_BOLD, text, &tw, &th);
  r = MAX (th, tw + 6) / 2;
  rounded_rect (cr, x - r, y - th / 2 - 1, 2 * r, th + 2, (th + 2) / 2);
  set_rgb (cr, fill);
  cairo_fill (cr);
  {
    static const TlRgb white = { 1, 1, 1 };
    draw_text (layout, cr, TL_FONT_SMALL_BOLD, text, x, y - th / 2, ALIGN_CENTER, 0, &white);
  }
}

static void
draw_mismatches (TlRenderLayout *layout,
                 cairo_t        *cr)
{
  const TlRenderPalette *pal = layout->palette;

  for (guint i = 0; i < layout->mismatches->len; i++)
    {
      const TlMismatchMark *m = &g_array_index (layout->mismatches, TlMismatchMark, i);
      if (m->n_legs > 0)
        {
          /* A segment: trace its arrows in a wide translucent stroke and
           * number it near where it was sent. */
          const TlLeg *first = &g_array_index (layout->legs, TlLeg, m->first_leg);
          double dx = first->x1 - first->x0, dy = first->y1 - first->y0;
          double len = MAX (hypot (dx, dy), 1);
          cairo_save (cr);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          cairo_set_line_width (cr, 8);
          set_rgba (cr, &pal->mismatch, 0.35);
          for (guint l = m->first_leg; l < m->first_leg + m->n_legs; l++)
            {
              const TlLeg *leg = &g_array_index (layout->legs, TlLeg, l);
              cairo_move_to (cr, leg->x0, leg->y0);
              cairo_line_to (cr, leg->x1, leg->y1);
            }
          cairo_stroke (cr);
          cairo_restore (cr);
          badge (layout, cr, first->x0 + dx / len * 28 + dy / len * 10,
                 first->y0 + dy / len * 28 - fabs (dx / len) * 10, m->number, &pal->mismatch);
          continue;
        }
      rounded_rect (cr, m->x0 - 5, m->y0 - 5, m->x1 - m->x0 + 10, m->y1 - m->y0 + 10, 5);
      set_rgba (cr, &pal->mismatch, 0.10);
      cairo_fill_preserve (cr);
      set_rgba (cr, &pal->mismatch, 0.9);
      cairo_set_line_width (cr, 1.6);
      cairo_stroke (cr);
      badge (layout, cr, m->x1 + 5, m->y0 - 5, m->number, &pal->mismatch);
    }
}

static void
draw_header (TlRenderLayout *layout,
             cairo_t        *cr)
{
  const TlRenderPalette *pal = layout->palette;
  g_autoptr (GString) addr = g_string_new (NULL);
  double y = layout->header_y;

  if (layout->options.show_title)
    {
      if (layout->title != NULL)
        draw_text (layout, cr, TL_FONT_TITLE, layout->title, 14, layout->title_y, ALIGN_LEFT,
                   layout->width - 28, &pal->foreground);
      if (layout->caption != NULL)
        {
          g_autoptr (PangoLayout) pl = tl_render_text_layout (layout, TL_FONT_CAPTION, layout->caption);
          pango_layout_set_width (pl, (int) ((layout->width - 28) * PANGO_SCALE));
          pango_layout_set_wrap (pl, PANGO_WRAP_WORD_CHAR);
          set_rgb (cr, &pal->muted);
          cairo_move_to (cr, 14, layout->caption_y);
          pango_cairo_show_layout (cr, pl);
        }
    }

  for (guint p = 0; p < layout->n_panes; p++)
    {
      const TlPane *pane = &layout->panes[p];
      double hy = y;

      if (layout->n_panes > 1)
        {
          const char *name = pane->trace->title ? pane->trace->title : (p == 0 ? "left" : "right");
          draw_text (layout, cr, TL_FONT_SMALL_BOLD, name, (pane->x0 + pane->x1) / 2, y, ALIGN_CENTER,
                     pane->x1 - pane->x0, &pal->muted);
          hy += 20;
        }
      for (guint h = 0; h <= TL_HOST_ROUTER; h++)
        {
          if (h == TL_HOST_ROUTER && !pane->trace->has_router)
            continue;
          draw_text (layout, cr, TL_FONT_HOST, tl_trace_host_name (pane->trace, h), pane->host_x[h], hy,
                     ALIGN_CENTER, 0, &pal->foreground);
          g_string_truncate (addr, 0);
          tl_render_host_address (pane->trace, h, addr);
          if (addr->len > 0)
            draw_text (layout, cr, TL_FONT_SMALL, addr->str, pane->host_x[h], hy + 19, ALIGN_CENTER, 0,
                       &pal->muted);
        }
    }
}

static void
draw_legend_swatch (TlRenderLayout     *layout,
                    cairo_t            *cr,
                    const TlLegendItem *item)
{
  const TlRenderPalette *pal = layout->palette;
  double x = item->x, ym = item->y + item->h / 2;

  switch ((TlLegendKind) item->kind)
    {
    case TL_LEGEND_STATE:
      set_rgb (cr, &pal->state[item->arg]);
      cairo_rectangle (cr, x, ym - 6, 26, 12);
      cairo_fill (cr);
      break;
    case TL_LEGEND_INFERRED:
      set_rgb (cr, &pal->state[TL_STATE_ESTABLISHED]);
      cairo_rectangle (cr, x, ym - 6, 26, 12);
      cairo_fill (cr);
      hatch (cr, x, ym - 6, x + 26, ym + 6, 6, &pal->state_text[TL_STATE_ESTABLISHED], 0.25);
      break;
    case TL_LEGEND_PAUSE:
      set_rgb (cr, &pal->pause);
      cairo_rectangle (cr, x, ym - 6, 26, 12);
      cairo_fill (cr);
      hatch (cr, x, ym - 6, x + 26, ym + 6, 7, &pal->pause_edge, 0.3);
      break;
    case TL_LEGEND_ARROW:
    case TL_LEGEND_RETRANSMIT:
    case TL_LEGEND_DROP:
      {
        static const double dash[] = { 6, 3.5 };
        TlLeg sample = { x, ym, x + 36, ym, 0, 0, item->arg, 0, TRUE, FALSE, FALSE, FALSE };
        if (item->kind == TL_LEGEND_RETRANSMIT)
          cairo_set_dash (cr, dash, 2, 0);
        if (item->kind == TL_LEGEND_DROP)
          {
            sample.x1 = x + 24;
            sample.head = FALSE;
          }
        set_rgb (cr, &pal->arrow[item->kind == TL_LEGEND_ARROW ? item->arg : TL_ARROW_FROM_A]);
        cairo_set_line_width (cr, TL_ARROW_WIDTH);
        stroke_leg_path (cr, &sample);
        cairo_set_dash (cr, NULL, 0, 0);
        if (sample.head)
          arrow_head (cr, sample.x1, ym, 1, 0);
        else
          {
            set_rgb (cr, &pal->drop);
            drop_cross (cr, sample.x1, ym, 5);
          }
      }
      break;
    case TL_LEGEND_HOLD:
      set_rgb (cr, &pal->hold);
      cairo_rectangle (cr, x + 2, ym - 1.75, 32, 3.5);
      cairo_rectangle (cr, x + 1, ym - 4, 1.5, 8);
      cairo_rectangle (cr, x + 33.5, ym - 4, 1.5, 8);
      cairo_fill (cr);
      break;
    case TL_LEGEND_BREAK:
      set_rgb (cr, &pal->muted);
      cairo_set_line_width (cr, 1);
      zigzag (cr, x, x + 36, ym - 3, 2.5);
      cairo_stroke (cr);
      zigzag (cr, x, x + 36, ym + 3, 2.5);
      cairo_stroke (cr);
      break;
    case TL_LEGEND_CALLOUT:
      {
        g_autofree char *number = g_strdup_printf ("%u", item->number);
        double th;
        cairo_new_sub_path (cr);
        cairo_arc (cr, x + 8, ym, 7.5, 0, 2 * G_PI);
        set_rgb (cr, &pal->foreground);
        cairo_set_line_width (cr, 1.1);
        cairo_stroke (cr);
        tl_render_text_measure (layout, TL_FONT_SMALL_BOLD, number, NULL, &th);
        draw_text (layout, cr, item->number >= 100 ? TL_FONT_SMALL : TL_FONT_SMALL_BOLD, number,
                   x + 8, ym - th / 2, ALIGN_CENTER, 0, &pal->foreground);
      }
      break;
    case TL_LEGEND_MISMATCH:
      badge (layout, cr, x + 9, ym, item->number, &pal->mismatch);
      break;
    case TL_LEGEND_HEADING:
    case TL_LEGEND_NOTE:
    default:
      break;
    }
}

static void
draw_legend (TlRenderLayout *layout,
             cairo_t        *cr,
             const Clip     *clip)
{
  const TlRenderPalette *pal = layout->palette;

  if (layout->legend->len > 0 && visible (clip, 0, layout->legend_top - 8, layout->width, layout->legend_top))
    {
      set_rgb (cr, &pal->grid);
      cairo_rectangle (cr, 14, layout->legend_top - 4, layout->width - 28, 1);
      cairo_fill (cr);
    }
  for (guint i = 0; i < layout->legend->len; i++)
    {
      const TlLegendItem *item = &g_array_index (layout->legend, TlLegendItem, i);
      double text_x = item->x + (item->w - item->text_w);
      double th;

      if (!visible (clip, item->x, item->y, item->x + item->w, item->y + item->h))
        continue;
      draw_legend_swatch (layout, cr, item);
      tl_render_text_measure (layout, TL_FONT_SMALL, "Ag", NULL, &th);
      draw_text (layout, cr,
                 item->kind == TL_LEGEND_HEADING ? TL_FONT_SMALL_BOLD
                 : item->kind == TL_LEGEND_NOTE ? TL_FONT_ITALIC : TL_FONT_SMALL,
                 item->text, text_x, item->y + (item->h - th) / 2, ALIGN_LEFT, item->text_w + 0.5,
                 item->kind == TL_LEGEND_NOTE ? &pal->muted : &pal->foreground);
    }
}

void
tl_render_draw (TlRenderLayout *layout,
                cairo_t        *cr)
{
  const TlRenderPalette *pal;
  Clip clip;

  g_return_if_fail (layout != NULL && cr != NULL);
  pal = layout->palette;
  cairo_save (cr);
  cairo_clip_extents (cr, &clip.x0, &clip.y0, &clip.x1, &clip.y1);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);

  set_rgb (cr, &pal->background);
  cairo_rectangle (cr, 0, 0, layout->width, layout->height);
  cairo_fill (cr);

  draw_header (layout, cr);

  cairo_save (cr);
  cairo_rectangle (cr, 0, layout->ladder_top, layout->width, layout->ladder_bottom - layout->ladder_top);
  cairo_clip (cr);
  draw_grid (layout, cr, &clip);
  draw_pauses (layout, cr, &clip);
  draw_states (layout, cr, &clip);
  draw_lifelines (layout, cr);
  draw_holds (layout, cr, &clip);
  draw_legs (layout, cr, &clip);
  draw_breaks (layout, cr, &clip);
  draw_pause_texts (layout, cr, &clip);
  draw_marks (layout, cr, &clip);
  draw_labels (layout, cr, &clip);
  draw_mismatches (layout, cr);
  cairo_restore (cr);

  draw_axis (layout, cr, &clip);
  draw_legend (layout, cr, &clip);
  cairo_restore (cr);
}

void
tl_render_draw_highlight (TlRenderLayout    *layout,
                          cairo_t           *cr,
                          const TlRenderHit *hit)
{
  const TlRenderPalette *pal;

  g_return_if_fail (layout != NULL && cr != NULL && hit != NULL);
  pal = layout->palette;
  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  switch (hit->kind)
    {
    case TL_RENDER_HIT_SEGMENT:
    case TL_RENDER_HIT_HOLD:
      for (guint i = 0; i < layout->legs->len; i++)
        {
          const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);
          const TlRenderPacket *p = &g_array_index (layout->panes[leg->pane].model->packets,
                                                    TlRenderPacket, leg->packet);
          if (leg->pane != hit->pane || p->packet != hit->packet)
            continue;
          set_rgba (cr, &pal->highlight, 0.55);
          cairo_set_line_width (cr, 7);
          cairo_move_to (cr, leg->x0, leg->y0);
          cairo_line_to (cr, leg->x1, leg->y1);
          cairo_stroke (cr);
        }
      for (guint i = 0; i < layout->holds->len; i++)
        {
          const TlHoldBar *bar = &g_array_index (layout->holds, TlHoldBar, i);
          const TlRenderPacket *p = &g_array_index (layout->panes[bar->pane].model->packets,
                                                    TlRenderPacket, bar->packet);
          if (bar->pane != hit->pane || p->packet != hit->packet)
            continue;
          set_rgba (cr, &pal->highlight, 0.55);
          cairo_set_line_width (cr, 8);
          cairo_move_to (cr, bar->x, bar->y0);
          cairo_line_to (cr, bar->x, bar->y1);
          cairo_stroke (cr);
        }
      break;
    case TL_RENDER_HIT_STATE:
      for (guint i = 0; i < layout->states->len; i++)
        {
          const TlStateBox *box = &g_array_index (layout->states, TlStateBox, i);
          const TlRenderSpan *span = &g_array_index (layout->panes[box->pane].model->spans,
                                                     TlRenderSpan, box->span);
          if (box->pane != hit->pane || span->record != hit->record)
            continue;
          set_rgba (cr, &pal->highlight, 0.9);
          cairo_set_line_width (cr, 2.5);
          cairo_rectangle (cr, box->x0 - 1, box->y0 - 1, box->x1 - box->x0 + 2, box->y1 - box->y0 + 2);
          cairo_stroke (cr);
        }
      break;
    case TL_RENDER_HIT_CALL:
    case TL_RENDER_HIT_TIMER:
      for (guint i = 0; i < layout->marks->len; i++)
        {
          const TlMarkBox *box = &g_array_index (layout->marks, TlMarkBox, i);
          const TlRenderMark *mark = &g_array_index (layout->panes[box->pane].model->marks,
                                                     TlRenderMark, box->mark);
          if (box->pane != hit->pane || mark->record != hit->record)
            continue;
          set_rgba (cr, &pal->highlight, 0.9);
          cairo_set_line_width (cr, 2);
          rounded_rect (cr, box->text_x - 3, box->text_y - 2, box->text_w + 6, box->text_h + 4, 3);
          cairo_stroke (cr);
        }
      break;
    case TL_RENDER_HIT_PAUSE:
      for (guint i = 0; i < layout->pauses->len; i++)
        {
          const TlPauseBox *box = &g_array_index (layout->pauses, TlPauseBox, i);
          if (box->pane != hit->pane || box->t0 != hit->start)
            continue;
          set_rgba (cr, &pal->highlight, 0.9);
          cairo_set_line_width (cr, 2.5);
          cairo_rectangle (cr, box->x0, box->y0, box->x1 - box->x0, box->y1 - box->y0);
          cairo_stroke (cr);
        }
      break;
    case TL_RENDER_HIT_NONE:
    default:
      break;
    }
  cairo_restore (cr);
}

void
tl_render_draw_pair (cairo_t                *cr,
                     TlTrace                *trace_a,
                     TlTrace                *trace_b,
                     const TlRenderMismatch *mismatches,
                     guint                   n_mismatches,
                     const TlRenderOptions  *options)
{
  g_autoptr (TlRenderLayout) layout = tl_render_layout_new_pair (trace_a, trace_b, mismatches,
                                                                 n_mismatches, options);
  tl_render_draw (layout, cr);
}

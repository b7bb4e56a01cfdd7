/* tl-render-labels.c: putting arrow labels where they can be read.
 *
 * Each label is a box turned to run along its arrow, just above or below
 * it.  For every labelled segment, in time order, candidate spots along
 * each of its legs are scored: touching another label, an arrow end, a
 * held-segment bar or the router lifeline is forbidden; crossing another
 * arrow costs; straying from the middle costs a little.  The cheapest
 * allowed spot wins.  A segment with no allowed spot gets a numbered
 * call-out marker on its arrow and its label goes to the legend.
 *
 * A uniform grid of cells indexes what is placed, so each candidate only
 * looks at its neighbourhood.  Pictures too dense for any label (thousands
 * of arrows) skip placement and say so in the legend.
 */
#include "tl-render-private.h"

#include <math.h>

#define END_MARGIN       11.0   /* keep labels off arrow ends */
#define LABEL_GAP        2.5    /* between an arrow and its label */
#define END_BOX          7.0    /* half size of the zone around an arrow end */
#define CALLOUT_RADIUS   7.5
#define MAX_LABELLED_LEGS 3000
#define MAX_CALLOUTS     150
#define N_POSITIONS      11
#define CELL             48.0

typedef struct
{
  double cx, cy;
  double ux, uy;
  double hw, hh;
} Obb;

enum
{
  ITEM_LABEL,
  ITEM_OBSTACLE,
  ITEM_LEG,
  N_ITEM_KINDS
};

typedef struct
{
  guint    cols, rows;
  GArray **cells;                  /* guint: kind << 28 | index */
  guint   *stamps[N_ITEM_KINDS];
  guint    stamp_len[N_ITEM_KINDS];
  guint    query;
} Grid;

typedef struct
{
  TlRenderLayout *layout;
  Grid            grid;
  GArray         *placed;      /* Obb of labels and call-out markers */
  GArray         *obstacles;   /* Obb */
  double          y_min, y_max;
} Placer;

/* ---- oriented boxes ---------------------------------------------------- */

static void
obb_corners (const Obb *o,
             double     xs[4],
             double     ys[4])
{
  double vx = -o->uy, vy = o->ux;

  for (guint i = 0; i < 4; i++)
    {
      double su = (i == 0 || i == 3) ? -o->hw : o->hw;
      double sv = (i < 2) ? -o->hh : o->hh;
      xs[i] = o->cx + su * o->ux + sv * vx;
      ys[i] = o->cy + su * o->uy + sv * vy;
    }
}

static void
obb_bounds (const Obb *o,
            double    *x0,
            double    *y0,
            double    *x1,
            double    *y1)
{
  double ex = fabs (o->ux) * o->hw + fabs (o->uy) * o->hh;
  double ey = fabs (o->uy) * o->hw + fabs (o->ux) * o->hh;

  *x0 = o->cx - ex;
  *x1 = o->cx + ex;
  *y0 = o->cy - ey;
  *y1 = o->cy + ey;
}

/* Separating axis test on the four edge normals. */
static gboolean
obb_overlap (const Obb *a,
             const Obb *b)
{
  const Obb *boxes[2] = { a, b };
  double ax[4], ay[4], bx[4], by[4];

  obb_corners (a, ax, ay);
  obb_corners (b, bx, by);
  for (guint k = 0; k < 2; k++)
    for (guint axis = 0; axis < 2; axis++)
      {
        double nx = axis == 0 ? boxes[k]->ux : -boxes[k]->uy;
        double ny = axis == 0 ? boxes[k]->uy : boxes[k]->ux;
        double amin = G_MAXDOUBLE, amax = -G_MAXDOUBLE, bmin = G_MAXDOUBLE, bmax = -G_MAXDOUBLE;
        for (guint i = 0; i < 4; i++)
          {
            double pa = ax[i] * nx + ay[i] * ny, pb = bx[i] * nx + by[i] * ny;
            amin = MIN (amin, pa);
            amax = MAX (amax, pa);
            bmin = MIN (bmin, pb);
            bmax = MAX (bmax, pb);
          }
        if (amax <= bmin || bmax <= amin)
          return FALSE;
      }
  return TRUE;
}

/* Does the segment cross the box?  Liang-Barsky in the box's frame. */
static gboolean
obb_hits_segment (const Obb *o,
                  double     x0,
                  double     y0,
                  double     x1,
                  double     y1)
{
  double vx = -o->uy, vy = o->ux;
  double px = (x0 - o->cx) * o->ux + (y0 - o->cy) * o->uy;
  double py = (x0 - o->cx) * vx + (y0 - o->cy) * vy;
  double qx = (x1 - o->cx) * o->ux + (y1 - o->cy) * o->uy;
  double qy = (x1 - o->cx) * vx + (y1 - o->cy) * vy;
  double dx = qx - px, dy = qy - py;
  double t0 = 0, t1 = 1;
  double p[4] = { -dx, dx, -dy, dy };
  double q[4] = { px + o->hw, o->hw - px, py + o->hh, o->hh - py };

  for (guint i = 0; i < 4; i++)
    {
      if (p[i] == 0)
        {
          if (q[i] < 0)
            return FALSE;
          continue;
        }
      double r = q[i] / p[i];
      if (p[i] < 0)
        t0 = MAX (t0, r);
      else
        t1 = MIN (t1, r);
      if (t0 > t1)
        return FALSE;
    }
  return TRUE;
}

gboolean
tl_render_label_hits_point (const TlLabel *label,
                            double         x,
                            double         y)
{
  double lx = (x - label->cx) * label->ux + (y - label->cy) * label->uy;
  double ly = (x - label->cx) * -label->uy + (y - label->cy) * label->ux;

  return fabs (lx) <= label->hw && fabs (ly) <= label->hh;
}

/* ---- the grid -------------------------------------------------------------- */

static void
grid_init (Grid   *grid,
           double  width,
           double  height)
{
  grid->cols = (guint) (MAX (width, 1) / CELL) + 1;
  grid->rows = (guint) (MAX (height, 1) / CELL) + 1;
  grid->cells = g_new0 (GArray *, (gsize) grid->cols * grid->rows);
}

static void
grid_clear (Grid *grid)
{
  for (gsize i = 0; i < (gsize) grid->cols * grid->rows; i++)
    if (grid->cells[i] != NULL)
      g_array_unref (grid->cells[i]);
  g_free (grid->cells);
  for (guint k = 0; k < N_ITEM_KINDS; k++)
    g_free (grid->stamps[k]);
}

static void
grid_range (const Grid *grid,
            double x0, double y0, double x1, double y1,
            guint *c0, guint *r0, guint *c1, guint *r1)
{
  *c0 = (guint) CLAMP (floor (x0 / CELL), 0, grid->cols - 1);
  *c1 = (guint) CLAMP (floor (x1 / CELL), 0, grid->cols - 1);
  *r0 = (guint) CLAMP (floor (y0 / CELL), 0, grid->rows - 1);
  *r1 = (guint) CLAMP (floor (y1 / CELL), 0, grid->rows - 1);
}

static void
grid_insert (Grid   *grid,
             guint   kind,
             guint   index,
             double x0, double y0, double x1, double y1)
{
  guint c0, r0, c1, r1;
  guint id = kind << 28 | index;

  grid_range (grid, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
  for (guint r = r0; r <= r1; r++)
    for (guint c = c0; c <= c1; c++)
      {
        GArray **cell = &grid->cells[(gsize) r * grid->cols + c];
        if (*cell == NULL)
          *cell = g_array_new (FALSE, FALSE, sizeof (guint));
        g_array_append_val (*cell, id);
      }
  if (index >= grid->stamp_len[kind])
    {
      guint len = MAX (index + 1, grid->stamp_len[kind] * 2);
      grid->stamps[kind] = g_renew (guint, grid->stamps[kind], len);
      for (guint i = grid->stamp_len[kind]; i < len; i++)
        grid->stamps[kind][i] = 0;
      grid->stamp_len[kind] = len;
    }
}

/* Calls FUNC once for each item whose cells meet the rectangle. */
typedef gboolean (*GridVisit) (Placer *placer, guint kind, guint index, gpointer data);

static void
grid_visit (Placer   *placer,
            double x0, double y0, double x1, double y1,
            GridVisit visit,
            gpointer  data)
{
  Grid *grid = &placer->grid;
  guint c0, r0, c1, r1;

  grid->query++;
  grid_range (grid, x0, y0, x1, y1, &c0, &r0, &c1, &r1);
  for (guint r = r0; r <= r1; r++)
    for (guint c = c0; c <= c1; c++)
      {
        GArray *cell = grid->cells[(gsize) r * grid->cols + c];
        if (cell == NULL)
          continue;
        for (guint i = 0; i < cell->len; i++)
          {
            guint id = g_array_index (cell, guint, i);
            guint kind = id >> 28, index = id & 0x0fffffff;
            if (grid->stamps[kind][index] == grid->query)
              continue;
            grid->stamps[kind][index] = grid->query;
            if (!visit (placer, kind, index, data))
              return;
          }
      }
}

/* ---- scoring -------------------------------------------------------------- */

typedef struct
{
  const Obb *box;
  guint      pane;
  guint      packet;     /* its own legs do not count */
  guint      hard;
  guint      soft;
} Probe;

static gboolean
probe_visit (Placer  *placer,
             guint    kind,
             guint    index,
             gpointer data)
{
  Probe *probe = data;

  switch (kind)
    {
    case ITEM_LABEL:
      if (obb_overlap (probe->box, &g_array_index (placer->placed, Obb, index)))
        probe->hard++;
      break;
    case ITEM_OBSTACLE:
      if (obb_overlap (probe->box, &g_array_index (placer->obstacles, Obb, index)))
        probe->hard++;
      break;
    case ITEM_LEG:
      {
        const TlLeg *leg = &g_array_index (placer->layout->legs, TlLeg, index);
        if (leg->pane == probe->pane && leg->packet == probe->packet)
          break;
        if (obb_hits_segment (probe->box, leg->x0, leg->y0, leg->x1, leg->y1))
          probe->soft++;
      }
      break;
    default:
      break;
    }
  return TRUE;
}

static void
probe_box (Placer    *placer,
           const Obb *box,
           guint      pane,
           guint      packet,
           guint     *hard,
           guint     *soft)
{
  Probe probe = { box, pane, packet, 0, 0 };
  double x0, y0, x1, y1;

  obb_bounds (box, &x0, &y0, &x1, &y1);
  if (y0 < placer->y_min || y1 > placer->y_max || x0 < 0 || x1 > placer->layout->width)
    probe.hard++;
  grid_visit (placer, x0, y0, x1, y1, probe_visit, &probe);
  *hard = probe.hard;
  *soft = probe.soft;
}

static void
add_obstacle (Placer *placer,
              double  x0,
              double  y0,
              double  x1,
              double  y1)
{
  Obb box = { (x0 + x1) / 2, (y0 + y1) / 2, 1, 0, (x1 - x0) / 2, (y1 - y0) / 2 };

  g_array_append_val (placer->obstacles, box);
  grid_insert (&placer->grid, ITEM_OBSTACLE, placer->obstacles->len - 1, x0, y0, x1, y1);
}

static void
add_placed (Placer    *placer,
            const Obb *box)
{
  double x0, y0, x1, y1;

  obb_bounds (box, &x0, &y0, &x1, &y1);
  g_array_append_val (placer->placed, *box);
  grid_insert (&placer->grid, ITEM_LABEL, placer->placed->len - 1, x0, y0, x1, y1);
}

static void
collect_obstacles (Placer *placer)
{
  TlRenderLayout *layout = placer->layout;

  for (guint i = 0; i < layout->legs->len; i++)
    {
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);
      add_obstacle (placer, leg->x0 - END_BOX, leg->y0 - END_BOX, leg->x0 + END_BOX, leg->y0 + END_BOX);
      add_obstacle (placer, leg->x1 - END_BOX, leg->y1 - END_BOX, leg->x1 + END_BOX, leg->y1 + END_BOX);
      grid_insert (&placer->grid, ITEM_LEG, i, MIN (leg->x0, leg->x1), MIN (leg->y0, leg->y1),
                   MAX (leg->x0, leg->x1), MAX (leg->y0, leg->y1));
    }
  for (guint i = 0; i < layout->holds->len; i++)
    {
      const TlHoldBar *bar = &g_array_index (layout->holds, TlHoldBar, i);
      add_obstacle (placer, bar->x - 3, bar->y0 - 2, bar->x + 3, bar->y1 + 2);
    }
  for (guint i = 0; i < layout->pauses->len; i++)
    {
      const TlPauseBox *box = &g_array_index (layout->pauses, TlPauseBox, i);
      for (guint k = 0; k < box->n_texts; k++)
        add_obstacle (placer, box->text_x[k] - 2, box->text_y[k], box->text_x[k] + box->text_w[k] + 2,
                      box->text_y[k] + box->text_h);
    }
  for (guint p = 0; p < layout->n_panes; p++)
    if (layout->panes[p].trace->has_router)
      {
        double x = layout->panes[p].host_x[TL_HOST_ROUTER];
        add_obstacle (placer, x - 1.5, placer->y_min, x + 1.5, placer->y_max);
      }
}

/* ---- placing ---------------------------------------------------------------- */

typedef struct
{
  Obb    box;
  double cost;
  guint  hard;
  guint  leg;
} Spot;

static void
unit_along (const TlLeg *leg,
            double      *ux,
            double      *uy,
            double      *length)
{
  double dx = leg->x1 - leg->x0, dy = leg->y1 - leg->y0;

  *length = hypot (dx, dy);
  if (*length <= 0)
    {
      *ux = 1;
      *uy = 0;
      return;
    }
  *ux = dx / *length;
  *uy = dy / *length;
}

static void
try_label_spots (Placer       *placer,
                 guint         leg_index,
                 double        hw,
                 double        hh,
                 Spot         *best)
{
  const TlLeg *leg = &g_array_index (placer->layout->legs, TlLeg, leg_index);
  double ux, uy, length, fmin, fmax;
  double tx, ty, vx, vy;

  unit_along (leg, &ux, &uy, &length);
  fmin = (hw + END_MARGIN) / MAX (length, 1);
  fmax = 1 - fmin;
  if (fmin > fmax)
    return;  /* the label is longer than the arrow */
  /* Text reads left to right whichever way the arrow goes. */
  tx = ux >= 0 ? ux : -ux;
  ty = ux >= 0 ? uy : -uy;
  vx = -ty;
  vy = tx;

  for (guint k = 0; k < N_POSITIONS; k++)
    for (guint side = 0; side < 2; side++)
      {
        double f = fmin + (fmax - fmin) * k / (N_POSITIONS - 1);
        double off = (side == 0 ? -1 : 1) * (hh + LABEL_GAP);
        Spot spot;
        guint soft;

        spot.box.cx = leg->x0 + (leg->x1 - leg->x0) * f + vx * off;
        spot.box.cy = leg->y0 + (leg->y1 - leg->y0) * f + vy * off;
        spot.box.ux = tx;
        spot.box.uy = ty;
        spot.box.hw = hw;
        spot.box.hh = hh;
        spot.leg = leg_index;
        probe_box (placer, &spot.box, leg->pane, leg->packet, &spot.hard, &soft);
        /* Above the line and near the middle read best; the second leg of
         * a routed segment is the less natural place. */
        spot.cost = spot.hard * 1000.0 + soft * 25.0 + fabs (f - 0.5) * 6 + side * 2.0
                    + (leg->second ? 3.0 : 0.0);
        if (best->cost < 0 || spot.cost < best->cost)
          *best = spot;
      }
}

/* A call-out marker sits on its arrow, or touches it from either side. */
static void
try_callout_spots (Placer *placer,
                   guint   leg_index,
                   Spot   *best)
{
  const TlLeg *leg = &g_array_index (placer->layout->legs, TlLeg, leg_index);
  double ux, uy, length;
  const guint n = 21;

  unit_along (leg, &ux, &uy, &length);
  for (guint side = 0; side < 3; side++)
    for (guint k = 0; k < n; k++)
      {
        /* From the middle outwards: 0.5, 0.46, 0.54, 0.42... */
        double f = 0.5 + ((k + 1) / 2) * 0.04 * ((k % 2) ? -1 : 1);
        double off = side == 0 ? 0 : (side == 1 ? -1 : 1) * (CALLOUT_RADIUS + 1.5);
        Spot spot;
        guint soft;

        if (f * length < END_MARGIN || (1 - f) * length < END_MARGIN)
          continue;
        spot.box.cx = leg->x0 + (leg->x1 - leg->x0) * f - uy * off;
        spot.box.cy = leg->y0 + (leg->y1 - leg->y0) * f + ux * off;
        spot.box.ux = 1;
        spot.box.uy = 0;
        spot.box.hw = spot.box.hh = CALLOUT_RADIUS;
        spot.leg = leg_index;
        probe_box (placer, &spot.box, leg->pane, leg->packet, &spot.hard, &soft);
        spot.cost = spot.hard * 1000.0 + soft * 5.0 + k * 0.5 + side * 4;
        if (best->cost < 0 || spot.cost < best->cost)
          *best = spot;
      }
}

static void
store_label (TlRenderLayout *layout,
             const Spot     *spot,
             guint           callout,
             GString        *line1,
             GString        *line2,
             double w1, double h1, double w2, double h2)
{
  const TlLeg *leg = &g_array_index (layout->legs, TlLeg, spot->leg);
  TlLabel label = { 0 };

  label.cx = spot->box.cx;
  label.cy = spot->box.cy;
  label.ux = spot->box.ux;
  label.uy = spot->box.uy;
  label.hw = spot->box.hw;
  label.hh = spot->box.hh;
  label.leg = spot->leg;
  label.packet = leg->packet;
  label.pane = leg->pane;
  label.callout = callout;
  label.line1 = g_strdup (line1->str);
  label.line2 = line2->len > 0 ? g_strdup (line2->str) : NULL;
  label.w1 = w1;
  label.h1 = h1;
  label.w2 = w2;
  label.h2 = h2;
  layout->panes[leg->pane].packet_label[leg->packet] = layout->labels->len;
  g_array_append_val (layout->labels, label);
}

static void
place_packet (Placer  *placer,
              guint    first_leg,
              guint    n_legs,
              GString *line1,
              GString *line2)
{
  TlRenderLayout *layout = placer->layout;
  double w1 = 0, h1 = 0, w2 = 0, h2 = 0, hw, hh;
  Spot best = { .cost = -1 };

  tl_render_text_measure (layout, TL_FONT_LABEL, line1->str, &w1, &h1);
  if (line2->len > 0)
    tl_render_text_measure (layout, TL_FONT_OPTIONS, line2->str, &w2, &h2);
  hw = MAX (w1, w2) / 2 + 3;
  hh = (h1 + h2) / 2 + 0.5;

  for (guint i = 0; i < n_legs; i++)
    try_label_spots (placer, first_leg + i, hw, hh, &best);
  if (best.cost >= 0 && best.hard == 0)
    {
      add_placed (placer, &best.box);
      store_label (layout, &best, 0, line1, line2, w1, h1, w2, h2);
      layout->n_labels++;
      return;
    }

  if (layout->n_callouts >= MAX_CALLOUTS)
    {
      layout->n_hidden_labels++;
      return;
    }
  best.cost = -1;
  for (guint i = 0; i < n_legs; i++)
    try_callout_spots (placer, first_leg + i, &best);
  if (best.cost < 0 || best.hard > 0)
    {
      /* Not even a marker fits without covering something. */
      layout->n_hidden_labels++;
      return;
    }
  add_placed (placer, &best.box);
  store_label (layout, &best, ++layout->n_callouts, line1, line2, w1, h1, w2, h2);
}

void
tl_render_place_labels (TlRenderLayout *layout)
{
  g_autoptr (GString) line1 = g_string_new (NULL);
  g_autoptr (GString) line2 = g_string_new (NULL);
  const TlRenderOptions *o = &layout->options;
  Placer placer = { layout };
  guint i = 0;

  if (layout->legs->len == 0)
    return;
  if (layout->legs->len > MAX_LABELLED_LEGS)
    {
      /* Thousands of arrows: no label could be read anyway. */
      layout->labels_suppressed = TRUE;
      for (guint p = 0; p < layout->n_panes; p++)
        for (guint k = 0; k < layout->panes[p].model->packets->len; k++)
          if (layout->panes[p].packet_first_leg[k] != TL_RENDER_NONE_INDEX
              && (o->labels != TL_LABELS_NONE
                  || g_array_index (layout->panes[p].model->packets, TlRenderPacket, k).retransmit > 0))
            layout->n_hidden_labels++;
      return;
    }

  placer.y_min = tl_time_map_get_y_start (layout->map) - 2;
  placer.y_max = tl_time_map_get_y_end (layout->map) + 2;
  placer.placed = g_array_new (FALSE, FALSE, sizeof (Obb));
  placer.obstacles = g_array_new (FALSE, FALSE, sizeof (Obb));
  grid_init (&placer.grid, layout->width, layout->ladder_bottom + CELL);
  collect_obstacles (&placer);

  /* Legs are in packet order within each pane; place packet by packet. */
  while (i < layout->legs->len)
    {
      const TlLeg *leg = &g_array_index (layout->legs, TlLeg, i);
      TlPane *pane = &layout->panes[leg->pane];
      const TlRenderPacket *packet = &g_array_index (pane->model->packets, TlRenderPacket, leg->packet);
      guint n = 1;

      while (i + n < layout->legs->len
             && g_array_index (layout->legs, TlLeg, i + n).packet == leg->packet
             && g_array_index (layout->legs, TlLeg, i + n).pane == leg->pane)
        n++;
      tl_render_model_label (pane->model, packet, o->labels, o->seq_mode, o->show_options,
                             line1, line2);
      if (line1->len > 0)
        place_packet (&placer, i, n, line1, line2);
      i += n;
    }

  grid_clear (&placer.grid);
  g_array_unref (placer.placed);
  g_array_unref (placer.obstacles);
}

/* tl-ladder-view.c: the interactive ladder diagram. */
#include "tl-ladder-view.h"

#include <math.h>
#include <string.h>

#include "tl-params.h"

/* Picture strips cached as render nodes; panning redraws only new ones. */
#define TILE_HEIGHT      256.0
#define MAX_TILES        96
/* Below this the picture gets a horizontal scrollbar instead of squeezing. */
#define MIN_SINGLE_WIDTH 640.0
#define MIN_PAIR_WIDTH   960.0
/* Zoom limits in pixels per simulated second: a pixel for a minute to a
 * pixel for a nanosecond. */
#define MIN_SCALE        (1.0 / 60.0)
#define MAX_SCALE        1e9
/* How close (pixels) the pointer must be to grab an edge or the cursor. */
#define GRAB_DISTANCE    6.0
/* A press that moves less than this is a click. */
#define CLICK_SLOP       4.0

typedef enum
{
  DRAG_NONE,
  DRAG_PAN,
  DRAG_CURSOR,
  DRAG_RANGE,
  DRAG_PAUSE_START,
  DRAG_PAUSE_END,
  DRAG_PAUSE_MOVE,
  DRAG_CALL,
} DragMode;

/* One stretch of a packet's life for the animation: on a link between two
 * places (hosts or the router), or waiting at the paused router. */
typedef struct
{
  TlTime   t0;
  TlTime   t1;
  guint32  packet;
  guint8   from;       /* 0, 1 or TL_HOST_ROUTER */
  guint8   to;
  guint8   flags;      /* TCP flags, for the colour */
  guint8   held;       /* waiting at the router */
  guint8   dropped;    /* lost on the way: stops half-way */
} Leg;

typedef struct
{
  TlTrace *trace;
  GArray  *legs;       /* Leg, sorted by t0 */
  TlTime   max_leg;    /* longest leg, to bound the search */
} Pane;

struct _TlLadderView
{
  GtkWidget           parent_instance;

  GtkAdjustment      *hadjustment;
  GtkAdjustment      *vadjustment;
  guint               hscroll_policy : 1;
  guint               vscroll_policy : 1;

  Pane                panes[2];
  guint               n_panes;
  GArray             *mismatches;     /* TlRenderMismatch, texts owned */
  TlDocument         *document;

  TlRenderOptions     options;
  double              scale;          /* px per second; 0: fit the height */
  gboolean            dark;
  TlRenderLayout     *layout;
  gboolean            layout_dirty;
  double              layout_for_width;
  double              layout_for_height;
  double              content_width;
  double              content_height;
  GHashTable         *tiles;          /* tile index -> GskRenderNode */

  /* A zoom waits for the next layout to put this time back at this y. */
  gboolean            has_anchor;
  TlTime              anchor_time;
  double              anchor_y;
  gboolean            has_range_target;
  TlTime              range_from;
  TlTime              range_to;

  TlTime              cursor;
  gboolean            playing;
  double              play_speed;
  guint               tick_id;
  gint64              last_frame_time;
  double              play_y;         /* cursor position while playing */

  gboolean            has_selection;
  TlRenderHit         selection;

  /* Pointer and drags. */
  double              pointer_x;
  double              pointer_y;
  DragMode            drag_mode;
  double              drag_x0;
  double              drag_y0;
  double              drag_h0;
  double              drag_v0;
  double              drag_scale;     /* px/s when the drag began */
  TlTime              drag_t0;        /* the dragged thing's time(s) at start */
  TlTime              drag_t1;
  char               *drag_key;       /* call: its tl_scenario_set key */
  guint               drag_host;      /* call: whose */
  TlCallKind          drag_call;      /* call: which kind */
  guint               drag_pause;     /* pause window number, from 1 */
  TlTime              drag_last_set;
  TlTime              range_t0;
  TlTime              range_t1;
  double              zoom_base;
  double              zoom_anchor_y;
};

static void tl_ladder_view_scrollable_init (GtkScrollableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TlLadderView, tl_ladder_view, GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SCROLLABLE,
                                                      tl_ladder_view_scrollable_init))

enum
{
  PROP_0,
  PROP_HADJUSTMENT,
  PROP_VADJUSTMENT,
  PROP_HSCROLL_POLICY,
  PROP_VSCROLL_POLICY,
  PROP_CURSOR,
  PROP_PLAYING,
  PROP_SCALE,
  PROP_COMPRESS,
  N_PROPS
};

enum
{
  SELECTION_CHANGED,
  EDIT_FAILED,
  LAYOUT_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Geometry helpers ---------------------------------------------------- */

static void ensure_layout (TlLadderView *self);
static void apply_anchor (TlLadderView *self);

static double
hvalue (TlLadderView *self)
{
  return self->hadjustment != NULL ? gtk_adjustment_get_value (self->hadjustment) : 0.0;
}

static double
vvalue (TlLadderView *self)
{
  return self->vadjustment != NULL ? gtk_adjustment_get_value (self->vadjustment) : 0.0;
}

/* Where the picture starts in the widget when it is narrower than it. */
static double
x_offset (TlLadderView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));

  return self->content_width < width ? floor ((width - self->content_width) / 2) : 0.0;
}

static const TlTimeMap *
time_map (TlLadderView *self)
{
  ensure_layout (self);
  return self->layout != NULL ? tl_render_layout_get_time_map (self->layout) : NULL;
}

/* Widget y of time T. */
static double
time_to_widget_y (TlLadderView *self,
                  TlTime        t)
{
  const TlTimeMap *map = time_map (self);

  return map != NULL ? tl_time_map_to_y (map, t) - vvalue (self) : 0.0;
}

static TlTime
widget_y_to_time (TlLadderView *self,
                  double        y)
{
  const TlTimeMap *map = time_map (self);

  return map != NULL ? tl_time_map_to_time (map, y + vvalue (self)) : 0;
}

static double
lifeline_widget_x (TlLadderView *self,
                   guint         pane,
                   guint         host)
{
  ensure_layout (self);
  if (self->layout == NULL)
    return 0.0;
  return tl_render_layout_get_lifeline_x (self->layout, pane, host)
         - hvalue (self) + x_offset (self);
}

static gboolean
has_router (TlLadderView *self,
            guint         pane)
{
  return pane < self->n_panes && self->panes[pane].trace->has_router;
}

/* Animation legs -------------------------------------------------------- */

typedef struct
{
  TlTime  time;
  guint8  where;
  guint8  sender;
  guint8  seen;
  guint8  flags;
  TlTime  held_since;
} PacketCursor;

static gint
compare_legs (gconstpointer a,
              gconstpointer b)
{
  const Leg *la = a, *lb = b;

  return (la->t0 > lb->t0) - (la->t0 < lb->t0);
}

static void
add_leg (Pane   *pane,
         TlTime  t0,
         TlTime  t1,
         guint32 packet,
         guint   from,
         guint   to,
         guint8  flags,
         gboolean held,
         gboolean dropped)
{
  Leg leg = { t0, t1, packet, (guint8) from, (guint8) to, flags,
              (guint8) held, (guint8) dropped };

  if (t1 < t0)
    return;
  g_array_append_val (pane->legs, leg);
  pane->max_leg = MAX (pane->max_leg, t1 - t0);
}

/* Cuts every packet's life into legs, from the records alone. */
static void
build_legs (Pane *pane)
{
  const TlTrace *trace = pane->trace;
  g_autofree PacketCursor *cursors = g_new0 (PacketCursor, (gsize) trace->n_packets + 1);

  g_array_set_size (pane->legs, 0);
  pane->max_leg = 0;

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      PacketCursor *pc;
      guint toward;

      if (rec->packet == 0 || rec->packet > trace->n_packets)
        continue;
      pc = &cursors[rec->packet];

      switch ((TlRecordKind) rec->kind)
        {
        case TL_REC_SEND:
          pc->time = rec->time;
          pc->where = rec->host;
          pc->sender = MIN (rec->host, 1);
          pc->flags = rec->seg.flags;
          pc->seen = TRUE;
          break;
        case TL_REC_ROUTER_IN:
          if (pc->seen)
            add_leg (pane, pc->time, rec->time, rec->packet, pc->where,
                     TL_HOST_ROUTER, pc->flags, FALSE, FALSE);
          pc->time = rec->time;
          pc->where = TL_HOST_ROUTER;
          break;
        case TL_REC_HOLD:
          pc->held_since = rec->time;
          pc->time = rec->time;
          pc->where = TL_HOST_ROUTER;
          break;
        case TL_REC_RELEASE:
          if (pc->seen)
            add_leg (pane, pc->held_since, rec->time, rec->packet, TL_HOST_ROUTER,
                     TL_HOST_ROUTER, pc->flags, TRUE, FALSE);
          pc->time = rec->time;
          pc->where = TL_HOST_ROUTER;
          break;
        case TL_REC_DELIVER:
          if (pc->seen)
            add_leg (pane, pc->time, rec->time, rec->packet, pc->where,
                     rec->host, pc->flags, FALSE, FALSE);
          pc->seen = FALSE;
          break;
        case TL_REC_DROP:
          if (pc->seen)
            {
              toward = (trace->has_router && pc->where != TL_HOST_ROUTER)
                       ? TL_HOST_ROUTER : (guint) (1 - pc->sender);
              add_leg (pane, pc->time, rec->time, rec->packet, pc->where,
                       toward, pc->flags, FALSE, TRUE);
            }
          pc->seen = FALSE;
          break;
        case TL_REC_CALL:
        case TL_REC_CALL_RESULT:
        case TL_REC_STATE:
        case TL_REC_TIMER:
        case TL_REC_PAUSE:
        case TL_REC_RESUME:
        case TL_N_RECORD_KINDS:
        default:
          break;
        }
    }
  g_array_sort (pane->legs, compare_legs);
}

/* Index of the first leg starting at or after T. */
static guint
first_leg_from (const Pane *pane,
                TlTime      t)
{
  guint lo = 0, hi = pane->legs->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (pane->legs, Leg, mid).t0 < t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

typedef void (*LegFunc) (TlLadderView *self,
                         guint         pane,
                         const Leg    *leg,
                         guint         queue_position,
                         gpointer      data);

/* Calls FUNC for every leg under way at time T. */
static void
foreach_leg_at (TlLadderView *self,
                guint         pane_index,
                TlTime        t,
                LegFunc       func,
                gpointer      data)
{
  const Pane *pane = &self->panes[pane_index];
  guint queue = 0;
  TlTime from;
  guint start, end;

  if (pane->legs == NULL || pane->legs->len == 0)
    return;
  from = t - pane->max_leg;
  start = first_leg_from (pane, from > t ? G_MININT64 : from);
  end = first_leg_from (pane, t == G_MAXINT64 ? t : t + 1);
  for (guint i = start; i < end; i++)
    {
      const Leg *leg = &g_array_index (pane->legs, Leg, i);

      if (leg->t0 <= t && t < leg->t1)
        func (self, pane_index, leg, leg->held ? queue++ : 0, data);
    }
}

/* Layout ---------------------------------------------------------------- */

static void
drop_tiles (TlLadderView *self)
{
  g_hash_table_remove_all (self->tiles);
}

static void
invalidate_layout (TlLadderView *self)
{
  self->layout_dirty = TRUE;
  drop_tiles (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

static void
configure_adjustments (TlLadderView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->hadjustment != NULL)
    gtk_adjustment_configure (self->hadjustment,
                              CLAMP (gtk_adjustment_get_value (self->hadjustment), 0,
                                     MAX (0, self->content_width - width)),
                              0, MAX (self->content_width, width),
                              width * 0.1, width * 0.9, width);
  if (self->vadjustment != NULL)
    gtk_adjustment_configure (self->vadjustment,
                              CLAMP (gtk_adjustment_get_value (self->vadjustment), 0,
                                     MAX (0, self->content_height - height)),
                              0, MAX (self->content_height, height),
                              height * 0.1, height * 0.9, height);
}

static double
picture_width (TlLadderView *self,
               double        widget_width)
{
  double min = self->n_panes > 1 ? MIN_PAIR_WIDTH : MIN_SINGLE_WIDTH;

  return MAX (widget_width, min);
}

/* The scale that makes [FROM, TO] take HEIGHT pixels, from the pieces of
 * LAYOUT's time map: linear pieces grow with the scale, breaks keep their
 * height (which breaks there are does not depend on the scale). */
static double
scale_for_range (TlRenderLayout *layout,
                 TlTime          from,
                 TlTime          to,
                 double          height)
{
  const TlTimeMap *map = tl_render_layout_get_time_map (layout);
  double fixed = 0, linear_ns = 0;

  for (guint i = 0; i < tl_time_map_get_n_pieces (map); i++)
    {
      const TlTimeMapPiece *piece = tl_time_map_get_piece (map, i);
      TlTime t0 = MAX (piece->t0, from);
      TlTime t1 = MIN (piece->t1, to);

      if (t1 <= t0)
        continue;
      if (piece->is_break)
        fixed += (piece->y1 - piece->y0) * (double) (t1 - t0) / (double) (piece->t1 - piece->t0);
      else
        linear_ns += (double) (t1 - t0);
    }
  if (linear_ns <= 0)
    return (double) height / ((double) MAX (to - from, 1) / 1e9);
  return MAX (height - fixed, height * 0.25) / (linear_ns / 1e9);
}

static TlRenderLayout *
build_layout (TlLadderView *self,
              double        width,
              double        height,
              double        scale)
{
  TlRenderOptions options = self->options;

  options.width = width;
  options.theme = self->dark ? TL_RENDER_THEME_DARK : TL_RENDER_THEME_LIGHT;
  options.px_per_second = scale;
  /* Fit: as tall as the window; zoomed: as tall as the scale needs. */
  options.height = scale > 0 ? 0 : MAX (height, 200);
  options.dpi = 0;

  if (self->n_panes > 1)
    return tl_render_layout_new_pair (self->panes[0].trace, self->panes[1].trace,
                                      (const TlRenderMismatch *) self->mismatches->data,
                                      self->mismatches->len, &options);
  return tl_render_layout_new (self->panes[0].trace, &options);
}

static void
ensure_layout (TlLadderView *self)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double want_width;

  if (self->n_panes == 0)
    {
      g_clear_pointer (&self->layout, tl_render_layout_unref);
      self->content_width = self->content_height = 0;
      return;
    }
  if (width <= 0 || height <= 0)
    {
      width = MAX (width, 800);
      height = MAX (height, 600);
    }
  want_width = picture_width (self, width);
  if (!self->layout_dirty && self->layout != NULL
      && self->layout_for_width == want_width
      && (self->scale > 0 || self->layout_for_height == height))
    return;

  if (self->has_range_target)
    {
      g_autoptr(TlRenderLayout) probe = build_layout (self, want_width, height,
                                                      self->scale > 0 ? self->scale : 1000.0);

      self->scale = CLAMP (scale_for_range (probe, self->range_from, self->range_to,
                                            height * 0.95), MIN_SCALE, MAX_SCALE);
    }

  g_clear_pointer (&self->layout, tl_render_layout_unref);
  self->layout = build_layout (self, want_width, height, self->scale);
  self->layout_for_width = want_width;
  self->layout_for_height = height;
  self->layout_dirty = FALSE;
  drop_tiles (self);
  tl_render_layout_get_size (self->layout, &self->content_width, &self->content_height);
  /* Scroll to where the zoom asked right away, not at the next frame:
   * whoever asks for a position next gets the new one. */
  if (gtk_widget_get_width (GTK_WIDGET (self)) > 0)
    {
      configure_adjustments (self);
      apply_anchor (self);
    }
  g_signal_emit (self, signals[LAYOUT_CHANGED], 0);
}

/* Puts back the time a zoom anchored, once the new layout exists. */
static void
apply_anchor (TlLadderView *self)
{
  const TlTimeMap *map;
  double y;

  if (self->layout == NULL || self->vadjustment == NULL)
    return;
  map = tl_render_layout_get_time_map (self->layout);
  if (self->has_range_target)
    {
      double top = tl_time_map_to_y (map, self->range_from);
      double bottom = tl_time_map_to_y (map, self->range_to);
      double height = gtk_widget_get_height (GTK_WIDGET (self));

      gtk_adjustment_set_value (self->vadjustment, (top + bottom - height) / 2);
      self->has_range_target = FALSE;
    }
  else if (self->has_anchor)
    {
      y = tl_time_map_to_y (map, self->anchor_time);
      gtk_adjustment_set_value (self->vadjustment, y - self->anchor_y);
      self->has_anchor = FALSE;
    }
}

/* GtkWidget ------------------------------------------------------------- */

static void
tl_ladder_view_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  /* Scrollable: the scrolled window decides; ask for a sensible window. */
  *minimum = 100;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 900 : 700;
}

static void
tl_ladder_view_size_allocate (GtkWidget *widget,
                              int        width,
                              int        height,
                              int        baseline)
{
  TlLadderView *self = TL_LADDER_VIEW (widget);

  ensure_layout (self);
  configure_adjustments (self);
  apply_anchor (self);
}

/* The picture strip INDEX (TILE_HEIGHT tall) as a render node. */
static GskRenderNode *
get_tile (TlLadderView *self,
          gint64        index)
{
  GskRenderNode *node = g_hash_table_lookup (self->tiles, &index);
  GtkSnapshot *snapshot;
  graphene_rect_t bounds;
  cairo_t *cr;
  gint64 *key;

  if (node != NULL)
    return node;

  if (g_hash_table_size (self->tiles) >= MAX_TILES)
    drop_tiles (self);

  snapshot = gtk_snapshot_new ();
  graphene_rect_init (&bounds, 0, 0, (float) self->content_width, (float) TILE_HEIGHT);
  cr = gtk_snapshot_append_cairo (snapshot, &bounds);
  /* The large offset stays in cairo's double matrix: graphene's floats
   * would lose pixels far down a long trace. */
  cairo_translate (cr, 0, -(double) index * TILE_HEIGHT);
  tl_render_draw (self->layout, cr);
  cairo_destroy (cr);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return NULL;

  key = g_new (gint64, 1);
  *key = index;
  g_hash_table_insert (self->tiles, key, node);
  return node;
}

static void
snapshot_picture (TlLadderView *self,
                  GtkSnapshot  *snapshot)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double top = vvalue (self);
  double left = hvalue (self) - x_offset (self);
  gint64 first = (gint64) floor (top / TILE_HEIGHT);
  gint64 last = (gint64) floor ((top + height) / TILE_HEIGHT);

  for (gint64 i = MAX (first, 0); i <= last; i++)
    {
      GskRenderNode *tile;

      if ((double) i * TILE_HEIGHT >= self->content_height)
        break;
      tile = get_tile (self, i);
      if (tile == NULL)
        continue;
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot,
                              &GRAPHENE_POINT_INIT ((float) -left,
                                                    (float) ((double) i * TILE_HEIGHT - top)));
      gtk_snapshot_append_node (snapshot, tile);
      gtk_snapshot_restore (snapshot);
    }
}

static void
snapshot_highlight (TlLadderView *self,
                    GtkSnapshot  *snapshot)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  cairo_t *cr;

  if (!self->has_selection)
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) width,
                                                                 (float) height));
  cairo_translate (cr, x_offset (self) - hvalue (self), -vvalue (self));
  tl_render_draw_highlight (self->layout, cr, &self->selection);
  cairo_destroy (cr);
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             double         x,
             double         y,
             double         w,
             double         h)
{
  gtk_snapshot_append_color (snapshot, color,
                             &GRAPHENE_RECT_INIT ((float) x, (float) y, (float) w, (float) h));
}

static void
append_dot (GtkSnapshot   *snapshot,
            const GdkRGBA *fill,
            const GdkRGBA *ring,
            double         x,
            double         y,
            double         radius)
{
  GskRoundedRect outer;
  GskRoundedRect inner;

  gsk_rounded_rect_init_from_rect (&outer,
                                   &GRAPHENE_RECT_INIT ((float) (x - radius - 1.5),
                                                        (float) (y - radius - 1.5),
                                                        (float) (2 * radius + 3),
                                                        (float) (2 * radius + 3)),
                                   (float) (radius + 1.5));
  gtk_snapshot_push_rounded_clip (snapshot, &outer);
  gtk_snapshot_append_color (snapshot, ring, &outer.bounds);
  gtk_snapshot_pop (snapshot);
  gsk_rounded_rect_init_from_rect (&inner,
                                   &GRAPHENE_RECT_INIT ((float) (x - radius), (float) (y - radius),
                                                        (float) (2 * radius), (float) (2 * radius)),
                                   (float) radius);
  gtk_snapshot_push_rounded_clip (snapshot, &inner);
  gtk_snapshot_append_color (snapshot, fill, &inner.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
packet_color (guint8   flags,
              GdkRGBA *color)
{
  if (flags & TL_TCP_RST)
    gdk_rgba_parse (color, "#e01b24");
  else if (flags & TL_TCP_SYN)
    gdk_rgba_parse (color, "#3584e4");
  else if (flags & TL_TCP_FIN)
    gdk_rgba_parse (color, "#9141ac");
  else
    gdk_rgba_parse (color, "#e66100");
}

typedef struct
{
  GtkSnapshot *snapshot;
  double       y;
  GdkRGBA      ring;
  guint        n_flying;
  guint        n_held;
} DotContext;

static void
draw_leg_dot (TlLadderView *self,
              guint         pane,
              const Leg    *leg,
              guint         queue_position,
              gpointer      data)
{
  DotContext *ctx = data;
  GdkRGBA fill;
  double x0 = lifeline_widget_x (self, pane, leg->from);
  double x1 = lifeline_widget_x (self, pane, leg->to);
  double frac;

  if (leg->held)
    {
      /* Queued at the router: a column of squares beside its lifeline,
       * oldest nearest. */
      ctx->n_held++;
      if (ctx->snapshot == NULL)
        return;
      packet_color (leg->flags, &fill);
      append_rect (ctx->snapshot, &ctx->ring, x0 + 8 + queue_position * 12 - 1,
                   ctx->y - 6, 12, 12);
      append_rect (ctx->snapshot, &fill, x0 + 8 + queue_position * 12, ctx->y - 5, 10, 10);
      return;
    }

  ctx->n_flying++;
  if (ctx->snapshot == NULL)
    return;
  frac = leg->t1 > leg->t0 ? (double) (self->cursor - leg->t0) / (double) (leg->t1 - leg->t0)
                           : 1.0;
  if (leg->dropped)
    frac *= 0.5;
  packet_color (leg->flags, &fill);
  append_dot (ctx->snapshot, &fill, &ctx->ring, x0 + (x1 - x0) * frac, ctx->y, 5.0);
}

static void
snapshot_cursor (TlLadderView *self,
                 GtkSnapshot  *snapshot)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double y = time_to_widget_y (self, self->cursor);
  g_autofree char *text = NULL;
  PangoLayout *layout;
  DotContext ctx = { snapshot, y, { 0 }, 0, 0 };
  GdkRGBA line;
  GdkRGBA label_bg;
  int lw, lh;

  if (y < -20 || y > height + 20)
    return;

  gdk_rgba_parse (&line, self->dark ? "rgba(255,255,255,0.75)" : "rgba(0,0,0,0.7)");
  gdk_rgba_parse (&ctx.ring, self->dark ? "#1e1e1e" : "#ffffff");
  gdk_rgba_parse (&label_bg, self->dark ? "rgba(60,60,60,0.92)" : "rgba(255,255,255,0.92)");
  append_rect (snapshot, &line, 0, floor (y), width, 1);

  for (guint pane = 0; pane < self->n_panes; pane++)
    foreach_leg_at (self, pane, self->cursor, draw_leg_dot, &ctx);

  text = tl_time_format (self->cursor, 6);
  if (ctx.n_held > 0)
    {
      char *with_held = g_strdup_printf ("%s · %u held", text, ctx.n_held);
      g_free (text);
      text = with_held;
    }
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  pango_layout_get_pixel_size (layout, &lw, &lh);
  append_rect (snapshot, &label_bg, width - lw - 14, floor (y) - lh - 4, lw + 8, lh + 2);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) (width - lw - 10),
                                                          (float) (floor (y) - lh - 3)));
  gtk_snapshot_append_layout (snapshot, layout, &line);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
snapshot_range (TlLadderView *self,
                GtkSnapshot  *snapshot)
{
  double width = gtk_widget_get_width (GTK_WIDGET (self));
  double y0, y1;
  GdkRGBA fill;
  GdkRGBA edge;

  if (self->drag_mode != DRAG_RANGE)
    return;
  y0 = time_to_widget_y (self, MIN (self->range_t0, self->range_t1));
  y1 = time_to_widget_y (self, MAX (self->range_t0, self->range_t1));
  gdk_rgba_parse (&fill, "rgba(53,132,228,0.18)");
  gdk_rgba_parse (&edge, "rgba(53,132,228,0.9)");
  append_rect (snapshot, &fill, 0, y0, width, y1 - y0);
  append_rect (snapshot, &edge, 0, y0, width, 1);
  append_rect (snapshot, &edge, 0, y1, width, 1);
}

static void
tl_ladder_view_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  TlLadderView *self = TL_LADDER_VIEW (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);

  ensure_layout (self);
  if (self->layout == NULL)
    return;

  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));
  snapshot_picture (self, snapshot);
  snapshot_highlight (self, snapshot);
  snapshot_range (self, snapshot);
  snapshot_cursor (self, snapshot);
  gtk_snapshot_pop (snapshot);
}

static void
update_theme (TlLadderView *self)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  GdkRGBA fg;
  gboolean dark;

  /* Light text means a dark theme, whatever the theme is called. */
  gtk_style_context_get_color (context, &fg);
  dark = (0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue) > 0.5;
  if (dark != self->dark)
    {
      self->dark = dark;
      invalidate_layout (self);
    }
}

static void
tl_ladder_view_css_changed (GtkWidget         *widget,
                            GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (tl_ladder_view_parent_class)->css_changed (widget, change);
  update_theme (TL_LADDER_VIEW (widget));
}

/* Selection --------------------------------------------------------------- */

/* The hit the renderer would report for record INDEX of the pane's trace. */
static gboolean
hit_for_record (TlLadderView *self,
                guint         pane,
                guint         index,
                TlRenderHit  *hit)
{
  const TlTrace *trace;
  const TlTraceRecord *rec;

  if (pane >= self->n_panes)
    return FALSE;
  trace = self->panes[pane].trace;
  if (index >= tl_trace_get_n_records (trace))
    return FALSE;
  rec = tl_trace_get_record (trace, index);

  memset (hit, 0, sizeof *hit);
  hit->pane = pane;
  hit->host = rec->host;
  hit->record = index;
  hit->time = rec->time;
  hit->start = rec->time;
  hit->end = rec->time;
  hit->packet = rec->packet;

  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEND:
    case TL_REC_ROUTER_IN:
    case TL_REC_RELEASE:
    case TL_REC_DELIVER:
    case TL_REC_DROP:
    case TL_REC_HOLD:
      hit->kind = rec->kind == TL_REC_HOLD ? TL_RENDER_HIT_HOLD : TL_RENDER_HIT_SEGMENT;
      /* Segments are named by their SEND record, and span their flight. */
      for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
        {
          const TlTraceRecord *r = tl_trace_get_record (trace, i);

          if (r->packet != rec->packet)
            continue;
          if (r->kind == TL_REC_SEND)
            {
              hit->record = i;
              hit->host = r->host;
              hit->start = r->time;
            }
          hit->end = MAX (hit->end, r->time);
        }
      if (rec->kind == TL_REC_HOLD)
        hit->record = index;
      break;
    case TL_REC_STATE:
      hit->kind = TL_RENDER_HIT_STATE;
      hit->state = rec->new_state;
      hit->end = trace->end_time;
      for (guint i = index + 1; i < tl_trace_get_n_records (trace); i++)
        {
          const TlTraceRecord *r = tl_trace_get_record (trace, i);

          if (r->kind == TL_REC_STATE && r->host == rec->host && r->socket == rec->socket)
            {
              hit->end = r->time;
              break;
            }
        }
      break;
    case TL_REC_CALL:
    case TL_REC_CALL_RESULT:
      hit->kind = TL_RENDER_HIT_CALL;
      break;
    case TL_REC_TIMER:
      hit->kind = TL_RENDER_HIT_TIMER;
      break;
    case TL_REC_PAUSE:
    case TL_REC_RESUME:
      hit->kind = TL_RENDER_HIT_PAUSE;
      hit->host = TL_HOST_ROUTER;
      break;
    case TL_N_RECORD_KINDS:
    default:
      return FALSE;
    }
  return TRUE;
}

static void
set_selection (TlLadderView      *self,
               const TlRenderHit *hit)
{
  if (hit == NULL || hit->kind == TL_RENDER_HIT_NONE || hit->record == TL_RENDER_NO_RECORD)
    {
      if (!self->has_selection)
        return;
      self->has_selection = FALSE;
    }
  else
    {
      self->selection = *hit;
      self->has_selection = TRUE;
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

gboolean
tl_ladder_view_get_selection (TlLadderView *self,
                              guint        *pane,
                              guint        *record)
{
  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), FALSE);

  if (!self->has_selection)
    return FALSE;
  if (pane != NULL)
    *pane = self->selection.pane;
  if (record != NULL)
    *record = self->selection.record;
  return TRUE;
}

void
tl_ladder_view_select_record (TlLadderView *self,
                              guint         pane,
                              guint         record)
{
  TlRenderHit hit;

  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  if (hit_for_record (self, pane, record, &hit))
    {
      /* Keep the record asked for (a DELIVER, a CALL_RESULT): the
       * inspector shows that one, the highlight the whole item. */
      set_selection (self, &hit);
      self->selection.record = record;
    }
  else
    set_selection (self, NULL);
}

void
tl_ladder_view_clear_selection (TlLadderView *self)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));
  set_selection (self, NULL);
}

static gboolean
hit_at (TlLadderView *self,
        double        x,
        double        y,
        TlRenderHit  *hit)
{
  ensure_layout (self);
  if (self->layout == NULL)
    return FALSE;
  return tl_render_hit_test (self->layout, x + hvalue (self) - x_offset (self),
                             y + vvalue (self), hit)
         && hit->kind != TL_RENDER_HIT_NONE;
}

gboolean
tl_ladder_view_select_at (TlLadderView *self,
                          double        x,
                          double        y)
{
  TlRenderHit hit;

  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), FALSE);

  if (hit_at (self, x, y, &hit) && hit.record != TL_RENDER_NO_RECORD)
    {
      set_selection (self, &hit);
      return TRUE;
    }
  set_selection (self, NULL);
  return FALSE;
}

/* After a new trace, keep showing "the same" thing: the packet with the
 * same id, the same record otherwise when it still exists. */
static void
reselect (TlLadderView *self)
{
  TlRenderHit hit;
  guint record = self->selection.record;

  if (!self->has_selection)
    return;
  if (self->selection.pane >= self->n_panes)
    {
      set_selection (self, NULL);
      return;
    }
  if (self->selection.packet != 0
      && (self->selection.kind == TL_RENDER_HIT_SEGMENT
          || self->selection.kind == TL_RENDER_HIT_HOLD))
    {
      const TlTrace *trace = self->panes[self->selection.pane].trace;

      for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
        if (tl_trace_get_record (trace, i)->packet == self->selection.packet)
          {
            tl_ladder_view_select_record (self, self->selection.pane, i);
            return;
          }
      set_selection (self, NULL);
      return;
    }
  if (hit_for_record (self, self->selection.pane, record, &hit)
      && hit.kind == self->selection.kind && hit.host == self->selection.host)
    set_selection (self, &hit);
  else
    set_selection (self, NULL);
}

/* Traces ---------------------------------------------------------------- */

static void
clear_pane (Pane *pane)
{
  g_clear_pointer (&pane->trace, tl_trace_unref);
  g_clear_pointer (&pane->legs, g_array_unref);
  pane->max_leg = 0;
}

static void
set_pane (Pane    *pane,
          TlTrace *trace)
{
  if (pane->trace == trace && pane->legs != NULL)
    return;
  clear_pane (pane);
  pane->trace = tl_trace_ref (trace);
  pane->legs = g_array_new (FALSE, FALSE, sizeof (Leg));
  build_legs (pane);
}

static void
clear_mismatches (TlLadderView *self)
{
  for (guint i = 0; i < self->mismatches->len; i++)
    g_free ((char *) g_array_index (self->mismatches, TlRenderMismatch, i).text);
  g_array_set_size (self->mismatches, 0);
}

static void
traces_changed (TlLadderView *self)
{
  invalidate_layout (self);
  reselect (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tl_ladder_view_set_trace (TlLadderView *self,
                          TlTrace      *trace)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  clear_mismatches (self);
  clear_pane (&self->panes[1]);
  if (trace != NULL)
    {
      set_pane (&self->panes[0], trace);
      self->n_panes = 1;
    }
  else
    {
      clear_pane (&self->panes[0]);
      self->n_panes = 0;
    }
  traces_changed (self);
}

void
tl_ladder_view_set_pair (TlLadderView           *self,
                         TlTrace                *trace_a,
                         TlTrace                *trace_b,
                         const TlRenderMismatch *mismatches,
                         guint                   n_mismatches)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));
  g_return_if_fail (trace_a != NULL && trace_b != NULL);

  clear_mismatches (self);
  for (guint i = 0; i < n_mismatches; i++)
    {
      TlRenderMismatch copy = mismatches[i];

      copy.text = g_strdup (mismatches[i].text);
      g_array_append_val (self->mismatches, copy);
    }
  set_pane (&self->panes[0], trace_a);
  set_pane (&self->panes[1], trace_b);
  self->n_panes = 2;
  traces_changed (self);
}

TlTrace *
tl_ladder_view_get_trace (TlLadderView *self,
                          guint         pane)
{
  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), NULL);
  return pane < self->n_panes ? self->panes[pane].trace : NULL;
}

gboolean
tl_ladder_view_get_is_pair (TlLadderView *self)
{
  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), FALSE);
  return self->n_panes > 1;
}

void
tl_ladder_view_set_document (TlLadderView *self,
                             TlDocument   *document)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));
  g_set_object (&self->document, document);
}

TlRenderLayout *
tl_ladder_view_get_layout (TlLadderView *self)
{
  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), NULL);
  ensure_layout (self);
  return self->layout;
}

/* Options and zoom ------------------------------------------------------ */

void
tl_ladder_view_set_options (TlLadderView          *self,
                            const TlRenderOptions *options)
{
  gboolean compress_changed;

  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  compress_changed = self->options.compress != options->compress;
  self->options = *options;
  if (compress_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPRESS]);
  invalidate_layout (self);
}

void
tl_ladder_view_get_options (TlLadderView    *self,
                            TlRenderOptions *options)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));
  *options = self->options;
}

/* Keeps the time at widget y ANCHOR_Y (negative: the middle) in place
 * across the next layout. */
static void
set_anchor (TlLadderView *self,
            double        anchor_y)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));

  if (self->layout == NULL)
    return;
  if (anchor_y < 0)
    anchor_y = height / 2;
  self->anchor_y = anchor_y;
  self->anchor_time = widget_y_to_time (self, anchor_y);
  self->has_anchor = TRUE;
}

void
tl_ladder_view_set_compress (TlLadderView *self,
                             gboolean      compress)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  compress = !!compress;
  if (self->options.compress == compress)
    return;
  set_anchor (self, -1);
  self->options.compress = compress;
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPRESS]);
}

gboolean
tl_ladder_view_get_compress (TlLadderView *self)
{
  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), FALSE);
  return self->options.compress;
}

double
tl_ladder_view_get_scale (TlLadderView *self)
{
  const TlTimeMap *map;

  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), 0);
  map = time_map (self);
  return map != NULL ? tl_time_map_get_scale (map) : 0;
}

static void
set_scale (TlLadderView *self,
           double        scale)
{
  scale = CLAMP (scale, MIN_SCALE, MAX_SCALE);
  if (scale == self->scale)
    return;
  self->scale = scale;
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

void
tl_ladder_view_zoom (TlLadderView *self,
                     double        factor,
                     double        anchor_y)
{
  double current;

  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  current = tl_ladder_view_get_scale (self);
  if (current <= 0 || !(factor > 0))
    return;
  set_anchor (self, anchor_y);
  set_scale (self, current * factor);
}

void
tl_ladder_view_zoom_to_fit (TlLadderView *self)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  self->scale = 0;
  self->has_anchor = FALSE;
  if (self->vadjustment != NULL)
    gtk_adjustment_set_value (self->vadjustment, 0);
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

void
tl_ladder_view_zoom_to_range (TlLadderView *self,
                              TlTime        from,
                              TlTime        to)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  if (to < from)
    {
      TlTime swap = from;
      from = to;
      to = swap;
    }
  if (to == from)
    return;
  self->range_from = from;
  self->range_to = to;
  self->has_range_target = TRUE;
  self->has_anchor = FALSE;
  invalidate_layout (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SCALE]);
}

/* Cursor and playback ------------------------------------------------- */

TlTime
tl_ladder_view_get_cursor (TlLadderView *self)
{
  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), 0);
  return self->cursor;
}

void
tl_ladder_view_set_cursor (TlLadderView *self,
                           TlTime        time)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  if (time < 0)
    time = 0;
  if (time == self->cursor)
    return;
  self->cursor = time;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
}

/* Keeps the cursor inside the visible part while it moves on its own. */
static void
follow_cursor (TlLadderView *self)
{
  double height = gtk_widget_get_height (GTK_WIDGET (self));
  double y = time_to_widget_y (self, self->cursor);

  if (self->vadjustment == NULL)
    return;
  if (y > height * 0.85 || y < 0)
    gtk_adjustment_set_value (self->vadjustment,
                              vvalue (self) + y - height * 0.25);
}

static TlTime
end_time (TlLadderView *self)
{
  TlTime end = 0;

  for (guint i = 0; i < self->n_panes; i++)
    {
      const TlTrace *trace = self->panes[i].trace;
      guint n = tl_trace_get_n_records (trace);

      end = MAX (end, trace->end_time);
      if (n > 0)
        end = MAX (end, tl_trace_get_record (trace, n - 1)->time);
    }
  return end;
}

static gboolean
play_tick (GtkWidget     *widget,
           GdkFrameClock *clock,
           gpointer       user_data)
{
  TlLadderView *self = TL_LADDER_VIEW (widget);
  const TlTimeMap *map = time_map (self);
  gint64 now = gdk_frame_clock_get_frame_time (clock);
  double dt;
  TlTime t;

  if (map == NULL)
    {
      tl_ladder_view_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  if (self->last_frame_time == 0)
    {
      self->last_frame_time = now;
      self->play_y = tl_time_map_to_y (map, self->cursor);
      return G_SOURCE_CONTINUE;
    }
  dt = (double) (now - self->last_frame_time) / G_USEC_PER_SEC;
  self->last_frame_time = now;

  /* Move at a steady speed over the picture, not over simulated time:
   * busy stretches play slowly enough to follow, idle breaks fly by. */
  self->play_y += self->play_speed * dt;
  t = tl_time_map_to_time (map, self->play_y);
  if (t <= self->cursor)
    t = self->cursor + 1;
  if (t >= end_time (self))
    {
      tl_ladder_view_set_cursor (self, end_time (self));
      self->tick_id = 0;
      tl_ladder_view_set_playing (self, FALSE);
      return G_SOURCE_REMOVE;
    }
  tl_ladder_view_set_cursor (self, t);
  follow_cursor (self);
  return G_SOURCE_CONTINUE;
}

void
tl_ladder_view_set_playing (TlLadderView *self,
                            gboolean      playing)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));

  playing = !!playing;
  if (playing == self->playing)
    return;
  if (playing && self->n_panes == 0)
    return;
  self->playing = playing;
  if (playing)
    {
      /* At the end, play starts again from the top. */
      if (self->cursor >= end_time (self))
        tl_ladder_view_set_cursor (self, 0);
      self->last_frame_time = 0;
      self->tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), play_tick, NULL, NULL);
    }
  else if (self->tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->tick_id);
      self->tick_id = 0;
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAYING]);
}

gboolean
tl_ladder_view_get_playing (TlLadderView *self)
{
  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), FALSE);
  return self->playing;
}

void
tl_ladder_view_set_play_speed (TlLadderView *self,
                               double        px_per_second)
{
  g_return_if_fail (TL_IS_LADDER_VIEW (self));
  self->play_speed = CLAMP (px_per_second, 1.0, 100000.0);
}

typedef struct
{
  guint n_flying;
  guint n_held;
} CountContext;

static void
count_leg (TlLadderView *self,
           guint         pane,
           const Leg    *leg,
           guint         queue_position,
           gpointer      data)
{
  CountContext *ctx = data;

  if (leg->held)
    ctx->n_held++;
  else
    ctx->n_flying++;
}

guint
tl_ladder_view_count_in_flight (TlLadderView *self,
                                guint        *n_held)
{
  CountContext ctx = { 0, 0 };

  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), 0);

  for (guint pane = 0; pane < self->n_panes; pane++)
    foreach_leg_at (self, pane, self->cursor, count_leg, &ctx);
  if (n_held != NULL)
    *n_held = ctx.n_held;
  return ctx.n_flying;
}

/* First record of the trace in PANE with time > T (or < T going back). */
static gboolean
find_step (const TlTrace *trace,
           TlTime         t,
           int            direction,
           guint         *index)
{
  guint n = tl_trace_get_n_records (trace);
  guint lo = 0, hi = n;

  /* lo: first record with time > t. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (tl_trace_get_record (trace, mid)->time <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (direction > 0)
    {
      if (lo >= n)
        return FALSE;
      *index = lo;
      return TRUE;
    }
  /* Back: the last record strictly before t, the first of its instant. */
  while (lo > 0 && tl_trace_get_record (trace, lo - 1)->time >= t)
    lo--;
  if (lo == 0)
    return FALSE;
  *index = lo - 1;
  while (*index > 0 && tl_trace_get_record (trace, *index - 1)->time
                       == tl_trace_get_record (trace, *index)->time)
    (*index)--;
  return TRUE;
}

gboolean
tl_ladder_view_step (TlLadderView *self,
                     int           direction)
{
  guint index;
  TlTrace *trace;

  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), FALSE);

  if (self->n_panes == 0)
    return FALSE;
  trace = self->panes[0].trace;
  if (!find_step (trace, self->cursor, direction, &index))
    return FALSE;
  tl_ladder_view_set_playing (self, FALSE);
  tl_ladder_view_set_cursor (self, tl_trace_get_record (trace, index)->time);
  tl_ladder_view_select_record (self, 0, index);
  follow_cursor (self);
  return TRUE;
}

gboolean
tl_ladder_view_time_to_point (TlLadderView *self,
                              guint         pane,
                              guint         host,
                              TlTime        t,
                              double       *x,
                              double       *y)
{
  g_return_val_if_fail (TL_IS_LADDER_VIEW (self), FALSE);

  ensure_layout (self);
  if (self->layout == NULL || pane >= self->n_panes
      || (host == TL_HOST_ROUTER && !has_router (self, pane)))
    return FALSE;
  *x = lifeline_widget_x (self, pane, host);
  *y = time_to_widget_y (self, t);
  return TRUE;
}

/* Editing by dragging ------------------------------------------------- */

static gboolean
editable (TlLadderView *self)
{
  return self->document != NULL
         && tl_document_get_kind (self->document) == TL_DOCUMENT_SCENARIO
         && self->n_panes > 0
         && tl_document_get_trace (self->document) == self->panes[0].trace;
}

/* The pause window (numbered from 1) whose start or end edge is within
 * GRAB_DISTANCE of widget y Y near the router's lifeline. */
static guint
pause_edge_at (TlLadderView *self,
               double        x,
               double        y,
               gboolean     *end)
{
  const TlTrace *trace;
  double router_x;

  if (!editable (self) || !has_router (self, 0))
    return 0;
  trace = self->panes[0].trace;
  router_x = lifeline_widget_x (self, 0, TL_HOST_ROUTER);
  if (fabs (x - router_x) > 60)
    return 0;
  for (guint i = 0; i < trace->pauses->len; i++)
    {
      const TlTraceWindow *w = &g_array_index (trace->pauses, TlTraceWindow, i);

      if (fabs (y - time_to_widget_y (self, w->start)) <= GRAB_DISTANCE)
        {
          *end = FALSE;
          return i + 1;
        }
      if (fabs (y - time_to_widget_y (self, w->end)) <= GRAB_DISTANCE)
        {
          *end = TRUE;
          return i + 1;
        }
    }
  return 0;
}

static guint
pause_number (const TlTrace *trace,
              TlTime         start)
{
  for (guint i = 0; i < trace->pauses->len; i++)
    if (g_array_index (trace->pauses, TlTraceWindow, i).start == start)
      return i + 1;
  return 0;
}

/* The scenario key that moves the call of record INDEX. */
static char *
call_key_for_record (TlLadderView *self,
                     guint         index)
{
  const TlTrace *trace = self->panes[0].trace;
  const TlScenario *scenario = tl_document_get_scenario (self->document);
  const TlTraceRecord *rec;
  guint ordinal = 0;

  if (scenario == NULL || index >= tl_trace_get_n_records (trace))
    return NULL;
  rec = tl_trace_get_record (trace, index);
  if (rec->kind != TL_REC_CALL || rec->host >= TL_MAX_HOSTS)
    return NULL;
  for (guint i = 0; i <= index; i++)
    {
      const TlTraceRecord *r = tl_trace_get_record (trace, i);

      if (r->kind == TL_REC_CALL && r->host == rec->host && r->call == rec->call)
        ordinal++;
    }
  return tl_param_call_key (scenario->hosts[rec->host].name != NULL
                            ? scenario->hosts[rec->host].name
                            : tl_trace_host_name (trace, rec->host),
                            rec->call, ordinal);
}

/* The smallest "round" step worth a pixel at SCALE: drags land on tidy
 * values (1 ms, 100 us...) rather than on 1.2345678 ms. */
static TlTime
drag_resolution (double scale)
{
  double ns_per_px = 1e9 / MAX (scale, 1e-9);
  TlTime step = 1;

  while ((double) step * 10 <= ns_per_px && step < TL_SEC (1))
    step *= 10;
  return step;
}

static TlTime
drag_time (TlLadderView *self,
           TlTime        origin,
           double        dy)
{
  TlTime step = drag_resolution (self->drag_scale);
  double delta_ns = dy / self->drag_scale * 1e9;
  TlTime t = origin + (TlTime) llround (delta_ns);

  t = (TlTime) llround ((double) t / (double) step) * step;
  return MAX (t, 0);
}

/* The scenario renumbers a host's calls by time: a call dragged past
 * another of its kind changes its ordinal, and so the key that moves it. */
static void
follow_moved_call (TlLadderView *self,
                   TlTime        t)
{
  const TlScenario *scenario = tl_document_get_scenario (self->document);
  const TlScenarioHost *host;
  guint ordinal = 0;

  if (scenario == NULL || self->drag_host >= TL_MAX_HOSTS)
    return;
  host = &scenario->hosts[self->drag_host];
  for (guint i = 0; i < host->calls->len; i++)
    {
      const TlScenarioCall *call = &g_array_index (host->calls, TlScenarioCall, i);

      if (call->kind != self->drag_call)
        continue;
      ordinal++;
      if (call->at == t)
        {
          g_free (self->drag_key);
          self->drag_key = tl_param_call_key (host->name, self->drag_call, ordinal);
          return;
        }
    }
}

static gboolean
set_doc_time (TlLadderView *self,
              const char   *key,
              TlTime        t)
{
  g_autofree char *value = tl_param_format_time (t);
  g_autoptr(GError) error = NULL;

  if (!tl_document_set_value (self->document, key, value, NULL, &error))
    {
      g_signal_emit (self, signals[EDIT_FAILED], 0, key, error->message);
      return FALSE;
    }
  return TRUE;
}

static void
drag_edit_update (TlLadderView *self,
                  double        dy)
{
  g_autofree char *start_key = NULL;
  g_autofree char *end_key = NULL;
  TlTime t;

  switch (self->drag_mode)
    {
    case DRAG_CALL:
      t = drag_time (self, self->drag_t0, dy);
      if (t != self->drag_last_set && set_doc_time (self, self->drag_key, t))
        {
          self->drag_last_set = t;
          follow_moved_call (self, t);
        }
      break;
    case DRAG_PAUSE_START:
    case DRAG_PAUSE_END:
      t = drag_time (self, self->drag_mode == DRAG_PAUSE_START ? self->drag_t0
                                                              : self->drag_t1, dy);
      if (t != self->drag_last_set
          && set_doc_time (self, self->drag_key, t))
        self->drag_last_set = t;
      break;
    case DRAG_PAUSE_MOVE:
      t = drag_time (self, self->drag_t0, dy);
      if (t == self->drag_last_set)
        break;
      start_key = tl_param_pause_key (self->drag_pause, FALSE);
      end_key = tl_param_pause_key (self->drag_pause, TRUE);
      {
        const TlScenario *scenario = tl_document_get_scenario (self->document);
        const TlPauseWindow *w;
        TlTime length = self->drag_t1 - self->drag_t0;

        if (scenario == NULL || self->drag_pause > scenario->pauses->len)
          break;
        w = &g_array_index (scenario->pauses, TlPauseWindow, self->drag_pause - 1);
        /* Move the leading edge first so the window never turns inside
         * out on the way. */
        if (t > w->start)
          {
            if (set_doc_time (self, end_key, t + length))
              set_doc_time (self, start_key, t);
          }
        else if (set_doc_time (self, start_key, t))
          set_doc_time (self, end_key, t + length);
      }
      self->drag_last_set = t;
      break;
    case DRAG_NONE:
    case DRAG_PAN:
    case DRAG_CURSOR:
    case DRAG_RANGE:
    default:
      break;
    }
}

/* Pointer input --------------------------------------------------------- */

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TlLadderView   *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  TlRenderHit hit;
  gboolean end = FALSE;
  guint pause;

  self->drag_x0 = x;
  self->drag_y0 = y;
  self->drag_h0 = hvalue (self);
  self->drag_v0 = vvalue (self);
  self->drag_scale = tl_ladder_view_get_scale (self);
  g_clear_pointer (&self->drag_key, g_free);
  self->drag_last_set = -1;

  if (self->layout == NULL)
    {
      self->drag_mode = DRAG_NONE;
      return;
    }

  if (state & GDK_SHIFT_MASK)
    {
      self->drag_mode = DRAG_RANGE;
      self->range_t0 = self->range_t1 = widget_y_to_time (self, y);
      return;
    }
  if (fabs (y - time_to_widget_y (self, self->cursor)) <= GRAB_DISTANCE / 2 + 1)
    {
      self->drag_mode = DRAG_CURSOR;
      tl_ladder_view_set_playing (self, FALSE);
      return;
    }
  if ((pause = pause_edge_at (self, x, y, &end)) != 0)
    {
      const TlTraceWindow *w = &g_array_index (self->panes[0].trace->pauses,
                                               TlTraceWindow, pause - 1);

      self->drag_mode = end ? DRAG_PAUSE_END : DRAG_PAUSE_START;
      self->drag_pause = pause;
      self->drag_t0 = w->start;
      self->drag_t1 = w->end;
      self->drag_key = tl_param_pause_key (pause, end);
      tl_document_begin_group (self->document, end ? "Move pause end" : "Move pause start");
      return;
    }
  if (editable (self) && hit_at (self, x, y, &hit) && hit.pane == 0)
    {
      if (hit.kind == TL_RENDER_HIT_CALL
          && (self->drag_key = call_key_for_record (self, hit.record)) != NULL)
        {
          const TlTraceRecord *rec = tl_trace_get_record (self->panes[0].trace, hit.record);

          self->drag_mode = DRAG_CALL;
          self->drag_t0 = rec->time;
          self->drag_host = rec->host;
          self->drag_call = rec->call;
          tl_document_begin_group (self->document, "Move socket call");
          set_selection (self, &hit);
          return;
        }
      if (hit.kind == TL_RENDER_HIT_PAUSE
          && (pause = pause_number (self->panes[0].trace, hit.start)) != 0)
        {
          self->drag_mode = DRAG_PAUSE_MOVE;
          self->drag_pause = pause;
          self->drag_t0 = hit.start;
          self->drag_t1 = hit.end;
          tl_document_begin_group (self->document, "Move pause window");
          return;
        }
    }
  self->drag_mode = DRAG_PAN;
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TlLadderView   *self)
{
  switch (self->drag_mode)
    {
    case DRAG_PAN:
      if (fabs (dx) < CLICK_SLOP && fabs (dy) < CLICK_SLOP)
        break;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "grabbing");
      if (self->hadjustment != NULL)
        gtk_adjustment_set_value (self->hadjustment, self->drag_h0 - dx);
      if (self->vadjustment != NULL)
        gtk_adjustment_set_value (self->vadjustment, self->drag_v0 - dy);
      break;
    case DRAG_CURSOR:
      tl_ladder_view_set_cursor (self, widget_y_to_time (self, self->drag_y0 + dy));
      break;
    case DRAG_RANGE:
      self->range_t1 = widget_y_to_time (self, self->drag_y0 + dy);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DRAG_CALL:
    case DRAG_PAUSE_START:
    case DRAG_PAUSE_END:
    case DRAG_PAUSE_MOVE:
      drag_edit_update (self, dy);
      break;
    case DRAG_NONE:
    default:
      break;
    }
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             TlLadderView   *self)
{
  gboolean click = fabs (dx) < CLICK_SLOP && fabs (dy) < CLICK_SLOP;
  DragMode mode = self->drag_mode;

  self->drag_mode = DRAG_NONE;
  gtk_widget_set_cursor (GTK_WIDGET (self), NULL);

  switch (mode)
    {
    case DRAG_PAN:
      if (click)
        {
          /* A click: select what is there, or put the cursor there. */
          if (!tl_ladder_view_select_at (self, self->drag_x0, self->drag_y0))
            tl_ladder_view_set_cursor (self, widget_y_to_time (self, self->drag_y0));
        }
      break;
    case DRAG_RANGE:
      if (!click && self->range_t0 != self->range_t1)
        tl_ladder_view_zoom_to_range (self, self->range_t0, self->range_t1);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case DRAG_CALL:
    case DRAG_PAUSE_START:
    case DRAG_PAUSE_END:
    case DRAG_PAUSE_MOVE:
      tl_document_end_group (self->document);
      if (click && mode != DRAG_CALL)
        tl_ladder_view_select_at (self, self->drag_x0, self->drag_y0);
      break;
    case DRAG_NONE:
    case DRAG_CURSOR:
    default:
      break;
    }
}

static void
on_motion (GtkEventControllerMotion *motion,
           double                    x,
           double                    y,
           TlLadderView             *self)
{
  TlRenderHit hit;
  gboolean end;
  const char *cursor = NULL;

  self->pointer_x = x;
  self->pointer_y = y;
  if (self->drag_mode != DRAG_NONE || self->layout == NULL)
    return;

  if (fabs (y - time_to_widget_y (self, self->cursor)) <= GRAB_DISTANCE / 2 + 1
      || pause_edge_at (self, x, y, &end) != 0)
    cursor = "row-resize";
  else if (hit_at (self, x, y, &hit))
    {
      if (editable (self) && hit.pane == 0
          && (hit.kind == TL_RENDER_HIT_CALL || hit.kind == TL_RENDER_HIT_PAUSE))
        cursor = "ns-resize";
      else
        cursor = "pointer";
    }
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), cursor);
}

static gboolean
on_scroll (GtkEventControllerScroll *scroll,
           double                    dx,
           double                    dy,
           TlLadderView             *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (scroll));

  if ((state & GDK_CONTROL_MASK) == 0)
    return FALSE;   /* plain scrolling pans: the scrolled window's job */
  tl_ladder_view_zoom (self, pow (1.15, -dy), self->pointer_y);
  return TRUE;
}

static void
on_zoom_begin (GtkGesture       *gesture,
               GdkEventSequence *sequence,
               TlLadderView     *self)
{
  double x, y;

  self->zoom_base = tl_ladder_view_get_scale (self);
  if (gtk_gesture_get_bounding_box_center (gesture, &x, &y))
    self->zoom_anchor_y = y;
  else
    self->zoom_anchor_y = -1;
}

static void
on_zoom_scale_changed (GtkGestureZoom *gesture,
                       double          scale,
                       TlLadderView   *self)
{
  double current = tl_ladder_view_get_scale (self);

  if (self->zoom_base <= 0 || current <= 0)
    return;
  tl_ladder_view_zoom (self, self->zoom_base * scale / current, self->zoom_anchor_y);
}

static gboolean
tl_ladder_view_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard,
                              GtkTooltip *tooltip)
{
  TlLadderView *self = TL_LADDER_VIEW (widget);
  TlRenderHit hit;
  g_autofree char *text = NULL;
  g_autofree char *start = NULL;
  g_autofree char *length = NULL;
  const TlTrace *trace;

  if (keyboard || self->drag_mode != DRAG_NONE || !hit_at (self, x, y, &hit)
      || hit.pane >= self->n_panes)
    return FALSE;
  trace = self->panes[hit.pane].trace;
  start = tl_time_format (hit.start, 6);
  length = tl_time_format (hit.end - hit.start, 3);

  switch (hit.kind)
    {
    case TL_RENDER_HIT_SEGMENT:
      if (hit.record < tl_trace_get_n_records (trace))
        {
          GString *flags = g_string_new (NULL);

          tl_tcp_flags_format (tl_trace_get_record (trace, hit.record)->seg.flags, flags);
          text = g_strdup_printf ("Packet %u, %s: sent at %s, %s on the way",
                                  hit.packet, flags->str, start, length);
          g_string_free (flags, TRUE);
        }
      break;
    case TL_RENDER_HIT_HOLD:
      text = g_strdup_printf ("Packet %u held by the router for %s", hit.packet, length);
      break;
    case TL_RENDER_HIT_STATE:
      text = g_strdup_printf ("%s: %s from %s for %s", tl_trace_host_name (trace, hit.host),
                              tl_tcp_state_to_string (hit.state), start, length);
      break;
    case TL_RENDER_HIT_CALL:
      if (hit.record < tl_trace_get_n_records (trace))
        text = g_strdup_printf ("%s() by %s at %s%s",
                                tl_call_to_string (tl_trace_get_record (trace, hit.record)->call),
                                tl_trace_host_name (trace, hit.host), start,
                                editable (self) && hit.pane == 0 ? " — drag to move it" : "");
      break;
    case TL_RENDER_HIT_TIMER:
      if (hit.record < tl_trace_get_n_records (trace))
        text = g_strdup_printf ("%s timer of %s at %s",
                                tl_timer_to_string (tl_trace_get_record (trace, hit.record)->timer),
                                tl_trace_host_name (trace, hit.host), start);
      break;
    case TL_RENDER_HIT_PAUSE:
      text = g_strdup_printf ("Router paused from %s for %s%s", start, length,
                              editable (self) && hit.pane == 0
                              ? " — drag to move it, drag its edges to resize it" : "");
      break;
    case TL_RENDER_HIT_NONE:
    default:
      break;
    }
  if (text == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* GtkScrollable ----------------------------------------------------------- */

static void
on_adjustment_value_changed (GtkAdjustment *adjustment,
                             TlLadderView  *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
set_adjustment (TlLadderView   *self,
                GtkAdjustment **slot,
                GtkAdjustment  *adjustment)
{
  if (*slot == adjustment && adjustment != NULL)
    return;
  if (*slot != NULL)
    {
      g_signal_handlers_disconnect_by_func (*slot, on_adjustment_value_changed, self);
      g_object_unref (*slot);
    }
  if (adjustment == NULL)
    adjustment = gtk_adjustment_new (0, 0, 0, 0, 0, 0);
  *slot = g_object_ref_sink (adjustment);
  g_signal_connect (adjustment, "value-changed",
                    G_CALLBACK (on_adjustment_value_changed), self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
}

static void
tl_ladder_view_scrollable_init (GtkScrollableInterface *iface)
{
}

/* GObject ------------------------------------------------------------- */

static void
tl_ladder_view_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TlLadderView *self = TL_LADDER_VIEW (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      g_value_set_object (value, self->hadjustment);
      break;
    case PROP_VADJUSTMENT:
      g_value_set_object (value, self->vadjustment);
      break;
    case PROP_HSCROLL_POLICY:
      g_value_set_enum (value, self->hscroll_policy);
      break;
    case PROP_VSCROLL_POLICY:
      g_value_set_enum (value, self->vscroll_policy);
      break;
    case PROP_CURSOR:
      g_value_set_int64 (value, self->cursor);
      break;
    case PROP_PLAYING:
      g_value_set_boolean (value, self->playing);
      break;
    case PROP_SCALE:
      g_value_set_double (value, tl_ladder_view_get_scale (self));
      break;
    case PROP_COMPRESS:
      g_value_set_boolean (value, self->options.compress);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_ladder_view_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TlLadderView *self = TL_LADDER_VIEW (object);

  switch (prop_id)
    {
    case PROP_HADJUSTMENT:
      set_adjustment (self, &self->hadjustment, g_value_get_object (value));
      break;
    case PROP_VADJUSTMENT:
      set_adjustment (self, &self->vadjustment, g_value_get_object (value));
      break;
    case PROP_HSCROLL_POLICY:
      self->hscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_VSCROLL_POLICY:
      self->vscroll_policy = g_value_get_enum (value);
      gtk_widget_queue_resize (GTK_WIDGET (self));
      break;
    case PROP_CURSOR:
      tl_ladder_view_set_cursor (self, g_value_get_int64 (value));
      break;
    case PROP_PLAYING:
      tl_ladder_view_set_playing (self, g_value_get_boolean (value));
      break;
    case PROP_COMPRESS:
      tl_ladder_view_set_compress (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_ladder_view_dispose (GObject *object)
{
  TlLadderView *self = TL_LADDER_VIEW (object);

  tl_ladder_view_set_playing (self, FALSE);
  if (self->hadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->hadjustment, on_adjustment_value_changed, self);
      g_clear_object (&self->hadjustment);
    }
  if (self->vadjustment != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->vadjustment, on_adjustment_value_changed, self);
      g_clear_object (&self->vadjustment);
    }
  g_clear_object (&self->document);
  clear_pane (&self->panes[0]);
  clear_pane (&self->panes[1]);
  self->n_panes = 0;
  g_clear_pointer (&self->layout, tl_render_layout_unref);
  if (self->tiles != NULL)
    drop_tiles (self);
  G_OBJECT_CLASS (tl_ladder_view_parent_class)->dispose (object);
}

static void
tl_ladder_view_finalize (GObject *object)
{
  TlLadderView *self = TL_LADDER_VIEW (object);

  clear_mismatches (self);
  g_array_unref (self->mismatches);
  g_hash_table_unref (self->tiles);
  g_free (self->drag_key);
  G_OBJECT_CLASS (tl_ladder_view_parent_class)->finalize (object);
}

static void
tl_ladder_view_class_init (TlLadderViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tl_ladder_view_get_property;
  object_class->set_property = tl_ladder_view_set_property;
  object_class->dispose = tl_ladder_view_dispose;
  object_class->finalize = tl_ladder_view_finalize;

  widget_class->measure = tl_ladder_view_measure;
  widget_class->size_allocate = tl_ladder_view_size_allocate;
  widget_class->snapshot = tl_ladder_view_snapshot;
  widget_class->css_changed = tl_ladder_view_css_changed;
  widget_class->query_tooltip = tl_ladder_view_query_tooltip;

  g_object_class_override_property (object_class, PROP_HADJUSTMENT, "hadjustment");
  g_object_class_override_property (object_class, PROP_VADJUSTMENT, "vadjustment");
  g_object_class_override_property (object_class, PROP_HSCROLL_POLICY, "hscroll-policy");
  g_object_class_override_property (object_class, PROP_VSCROLL_POLICY, "vscroll-policy");

  properties[PROP_CURSOR] =
    g_param_spec_int64 ("cursor", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLAYING] =
    g_param_spec_boolean ("playing", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SCALE] =
    g_param_spec_double ("scale", NULL, NULL, 0, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_COMPRESS] =
    g_param_spec_boolean ("compress", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_property (object_class, PROP_CURSOR, properties[PROP_CURSOR]);
  g_object_class_install_property (object_class, PROP_PLAYING, properties[PROP_PLAYING]);
  g_object_class_install_property (object_class, PROP_SCALE, properties[PROP_SCALE]);
  g_object_class_install_property (object_class, PROP_COMPRESS, properties[PROP_COMPRESS]);

  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A drag asked for a value the scenario refused: (key, message). */
  signals[EDIT_FAILED] =
    g_signal_new ("edit-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  /* A new layout was built (trace, zoom, size or options changed). */
  signals[LAYOUT_CHANGED] =
    g_signal_new ("layout-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "tlladderview");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tl_ladder_view_init (TlLadderView *self)
{
  GtkGesture *drag;
  GtkGesture *zoom;
  GtkEventController *motion;
  GtkEventController *scroll;

  self->mismatches = g_array_new (FALSE, FALSE, sizeof (TlRenderMismatch));
  self->tiles = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                       (GDestroyNotify) gsk_render_node_unref);
  tl_render_options_init (&self->options);
  self->options.show_title = FALSE;
  self->play_speed = 120.0;
  self->layout_dirty = TRUE;

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));

  zoom = gtk_gesture_zoom_new ();
  g_signal_connect (zoom, "begin", G_CALLBACK (on_zoom_begin), self);
  g_signal_connect (zoom, "scale-changed", G_CALLBACK (on_zoom_scale_changed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (zoom));

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  scroll = gtk_event_controller_scroll_new (GTK_EVENT_CONTROLLER_SCROLL_VERTICAL);
  g_signal_connect (scroll, "scroll", G_CALLBACK (on_scroll), self);
  gtk_widget_add_controller (GTK_WIDGET (self), scroll);

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

GtkWidget *
tl_ladder_view_new (void)
{
  return g_object_new (TL_TYPE_LADDER_VIEW, NULL);
}

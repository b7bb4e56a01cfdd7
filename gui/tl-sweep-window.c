/* tl-sweep-window.c: the outcome map of a sweep, each cell opening its run. */
#include "tl-sweep-window.h"

#include <math.h>
#include <string.h>

#include "tl-sweep-error.h"
#include "tl-sweep-job.h"
#include "tl-sweep-map.h"
#include "tl-sweep-source.h"
#include "tl-sweep-table.h"

/* Enough of a file to tell sweep output from scenarios and traces. */
#define SNIFF_BYTES 64

typedef struct
{
  guint64 point;
  guint8  open;
  guint8  close;
} PointOutcome;

struct _TlSweepWindow
{
  GtkApplicationWindow parent_instance;

  GFile          *file;
  TlSweepSource  *source;
  TlOutcomeMap   *map;
  GArray         *outcomes;     /* PointOutcome, in point order */
  guint           n_x, n_y;     /* cells; n_y is 1 for a strip */

  GtkWidget      *area;
  GtkWidget      *status;
  char           *status_text;

  /* The map drawn once at its own size; scaled to the area when shown. */
  cairo_surface_t *picture;
  int              picture_width, picture_height;
  double           scale, offset_x, offset_y;

  gboolean        has_mark;
  guint           mark_x, mark_y;
};

G_DEFINE_FINAL_TYPE (TlSweepWindow, tl_sweep_window, GTK_TYPE_APPLICATION_WINDOW)

/* Telling sweep files apart --------------------------------------------- */

gboolean
tl_sweep_window_file_is_sweep (GFile *file)
{
  g_autoptr(GFileInputStream) stream = g_file_read (file, NULL, NULL);
  char head[SNIFF_BYTES + 1] = { 0 };
  gsize got = 0;

  if (stream == NULL
      || !g_input_stream_read_all (G_INPUT_STREAM (stream), head, SNIFF_BYTES, &got, NULL, NULL))
    return FALSE;
  head[got] = '\0';
  return g_str_has_prefix (head, "{\"sweep\":") || g_str_has_prefix (head, "{\"index\":")
         || g_str_has_prefix (head, "index,points,");
}

/* Reading ----------------------------------------------------------------- */

static gboolean
read_sweep (TlSweepWindow  *self,
            GError        **error)
{
  g_autofree char *path = g_file_get_path (self->file);
  g_autofree char *name = g_file_get_basename (self->file);
  g_autoptr(TlSweepTable) table = tl_sweep_table_new ();
  const char *line;
  guint n_axes;

  if (path == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s: not a local file", name);
      return FALSE;
    }
  /* A partial sweep (interrupted, or one shard) shows what there is. */
  if (!tl_sweep_table_add_file (table, path, error) || !tl_sweep_table_finish (table, TRUE, error))
    return FALSE;
  line = tl_sweep_table_get_source_line (table);
  if (line == NULL)
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT,
                   "%s:1: these rows do not say what was swept; the app opens the JSON lines "
                   "of `tcpladder sweep --jsonl FILE`, whose first line does", path);
      return FALSE;
    }
  self->source = tl_sweep_source_parse (line, strlen (line), path, error);
  if (self->source == NULL)
    return FALSE;
  n_axes = tl_sweep_plan_get_n_map_axes (self->source->plan);
  {
    g_autofree char *caption = g_strdup_printf ("%s: %u of %" G_GUINT64_FORMAT " runs",
                                                name, (guint) tl_sweep_table_get_n_rows (table),
                                                self->source->plan->n_points);
    self->map = tl_sweep_map_new (self->source->plan, self->source->base->name, caption, error);
  }
  if (self->map == NULL)
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  self->n_x = (guint) tl_sweep_axis_get_n_values (g_ptr_array_index (self->source->plan->axes, 0));
  self->n_y = n_axes == 2
              ? (guint) tl_sweep_axis_get_n_values (g_ptr_array_index (self->source->plan->axes, 1))
              : 1;

  for (guint r = 0; r < tl_sweep_table_get_n_rows (table); r++)
    {
      TlSweepResult result = { 0 };
      PointOutcome po;

      if (!tl_sweep_table_get_outcome (table, r, &result.point, &result.outcome.open,
                                       &result.outcome.close, error))
        return FALSE;
      tl_sweep_map_add (self->map, self->source->plan, &result);
      po.point = result.point;
      po.open = (guint8) result.outcome.open;
      po.close = (guint8) result.outcome.close;
      g_array_append_val (self->outcomes, po);
    }
  return TRUE;
}

/* The outcome recorded for POINT, or NULL if the file has no such row. */
static const PointOutcome *
find_outcome (TlSweepWindow *self,
              guint64        point)
{
  guint lo = 0, hi = self->outcomes->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const PointOutcome *po = &g_array_index (self->outcomes, PointOutcome, mid);

      if (po->point == point)
        return po;
      if (po->point < point)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

/* Cells and points -------------------------------------------------------- */

guint64
tl_sweep_window_cell_point (TlSweepWindow *self,
                            guint          x,
                            guint          y)
{
  const TlSweepPlan *plan = self->source->plan;
  guint64 first = x * plan->strides[0]
                  + (tl_sweep_plan_get_n_map_axes (plan) == 2 ? y * plan->strides[1] : 0);
  guint category = tl_outcome_map_get_category (self->map, x, y, NULL);

  if (tl_sweep_plan_has_seeds (plan) && category != TL_MAP_NO_RUN)
    {
      guint seed_axis = plan->axes->len - 1;
      guint64 n_seeds = tl_sweep_axis_get_n_values (g_ptr_array_index (plan->axes, seed_axis));

      for (guint64 s = 0; s < n_seeds; s++)
        {
          guint64 point = first + s * plan->strides[seed_axis];
          const PointOutcome *po = find_outcome (self, point);

          if (po != NULL && (guint) po->open * TL_N_CLOSE_OUTCOMES + po->close == category)
            return point;
        }
    }
  return first;
}

static void
set_status (TlSweepWindow *self,
            const char    *text)
{
  g_free (self->status_text);
  self->status_text = g_strdup (text);
  gtk_label_set_text (GTK_LABEL (self->status), text);
}

static void
describe_cell (TlSweepWindow *self,
               guint          x,
               guint          y)
{
  guint64 point = tl_sweep_window_cell_point (self, x, y);
  const PointOutcome *po = find_outcome (self, point);
  g_autofree char *where = tl_sweep_describe_point (self->source->plan, point);
  g_autofree char *text = NULL;
  gboolean mixed = FALSE;

  tl_outcome_map_get_category (self->map, x, y, &mixed);
  if (po == NULL)
    text = g_strdup_printf ("Point %" G_GUINT64_FORMAT ": %s — not run in this file. "
                            "Click to simulate it.", point, where);
  else
    text = g_strdup_printf ("Point %" G_GUINT64_FORMAT ": %s — %s, %s%s. Click to open this run.",
                            point, where, tl_open_outcome_to_string (po->open),
                            tl_close_outcome_to_string (po->close),
                            mixed ? " (the seeds of this cell disagree)" : "");
  set_status (self, text);
}

gboolean
tl_sweep_window_select_cell (TlSweepWindow *self,
                             guint          x,
                             guint          y)
{
  g_return_val_if_fail (TL_IS_SWEEP_WINDOW (self), FALSE);

  if (x >= self->n_x || y >= self->n_y)
    return FALSE;
  if (!self->has_mark || self->mark_x != x || self->mark_y != y)
    {
      self->has_mark = TRUE;
      self->mark_x = x;
      self->mark_y = y;
      describe_cell (self, x, y);
      gtk_widget_queue_draw (self->area);
    }
  return TRUE;
}

static void
clear_mark (TlSweepWindow *self)
{
  if (!self->has_mark)
    return;
  self->has_mark = FALSE;
  set_status (self, "Point at a cell to see its values and outcome; click it to open its run.");
  gtk_widget_queue_draw (self->area);
}

TlWindow *
tl_sweep_window_open_cell (TlSweepWindow  *self,
                           guint           x,
                           guint           y,
                           GError        **error)
{
  TlSweepJob job;
  guint64 point;
  g_autoptr(TlScenario) scenario = NULL;
  g_autofree char *where = NULL;
  g_autofree char *name = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GError) local_error = NULL;
  TlWindow *window;

  g_return_val_if_fail (TL_IS_SWEEP_WINDOW (self), NULL);
  g_return_val_if_fail (x < self->n_x && y < self->n_y, NULL);

  job.base = self->source->base;
  job.plan = self->source->plan;
  point = tl_sweep_window_cell_point (self, x, y);
  scenario = tl_sweep_job_scenario (&job, point, &local_error);
  if (scenario == NULL)
    {
      set_status (self, local_error->message);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  where = tl_sweep_describe_point (job.plan, point);
  name = g_file_get_basename (self->file);
  note = g_strdup_printf ("Point %" G_GUINT64_FORMAT " of %s: %s", point, name, where);
  window = tl_window_new (gtk_window_get_application (GTK_WINDOW (self)));
  tl_window_open_scenario (window, g_steal_pointer (&scenario), note);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

/* Drawing ------------------------------------------------------------------ */

/* The map is drawn once, at its own size (times the display's scale), and
 * scaled when shown: drawing it straight at a fractional scale would let
 * the background show through as hairlines between cells. */
static void
update_picture (TlSweepWindow *self,
                int            width,
                int            height)
{
  int map_width, map_height;
  int device_scale = MAX (1, gtk_widget_get_scale_factor (self->area));
  cairo_t *cr;

  tl_outcome_map_get_size (self->map, &map_width, &map_height);
  /* Fit, centred, never blown up beyond twice its size. */
  self->scale = MIN (2.0, MIN ((double) width / map_width, (double) height / map_height));
  self->offset_x = floor ((width - map_width * self->scale) / 2);
  self->offset_y = floor ((height - map_height * self->scale) / 2);
  if (self->picture != NULL && self->picture_width == map_width * device_scale)
    return;
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  self->picture_width = map_width * device_scale;
  self->picture_height = map_height * device_scale;
  self->picture = cairo_image_surface_create (CAIRO_FORMAT_RGB24, self->picture_width,
                                              self->picture_height);
  cr = cairo_create (self->picture);
  cairo_scale (cr, device_scale, device_scale);
  tl_outcome_map_draw (self->map, cr);
  cairo_destroy (cr);
  cairo_surface_set_device_scale (self->picture, device_scale, device_scale);
}

static void
draw_area (GtkDrawingArea *area,
           cairo_t        *cr,
           int             width,
           int             height,
           gpointer        user_data)
{
  TlSweepWindow *self = user_data;
  cairo_rectangle_t r;

  if (width <= 0 || height <= 0)
    return;
  update_picture (self, width, height);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_translate (cr, self->offset_x, self->offset_y);
  cairo_scale (cr, self->scale, self->scale);
  cairo_set_source_surface (cr, self->picture, 0, 0);
  cairo_pattern_set_filter (cairo_get_source (cr), CAIRO_FILTER_GOOD);
  cairo_paint (cr);
  if (!self->has_mark)
    return;

  /* The marked cell: a ring that shows on every outcome colour. */
  tl_outcome_map_cell_rect (self->map, self->mark_x, self->mark_y, &r);
  cairo_rectangle (cr, r.x - 2, r.y - 2, MAX (r.width, 1) + 4, MAX (r.height, 1) + 4);
  cairo_set_line_width (cr, 3 / self->scale);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_stroke_preserve (cr);
  cairo_set_line_width (cr, 1.5 / self->scale);
  cairo_set_source_rgb (cr, 0.1, 0.3, 0.9);
  cairo_stroke (cr);
}

/* The cell under widget coordinates (WX, WY). */
static gboolean
cell_at (TlSweepWindow *self,
         double         wx,
         double         wy,
         guint         *x,
         guint         *y)
{
  if (self->map == NULL || self->scale <= 0)
    return FALSE;
  return tl_outcome_map_cell_at (self->map, (wx - self->offset_x) / self->scale,
                                 (wy - self->offset_y) / self->scale, x, y);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    wx,
           double                    wy,
           gpointer                  user_data)
{
  TlSweepWindow *self = user_data;
  guint x, y;

  if (cell_at (self, wx, wy, &x, &y))
    {
      tl_sweep_window_select_cell (self, x, y);
      gtk_widget_set_cursor_from_name (self->area, "pointer");
    }
  else
    {
      clear_mark (self);
      gtk_widget_set_cursor (self->area, NULL);
    }
}

static void
on_leave (GtkEventControllerMotion *controller,
          gpointer                  user_data)
{
  clear_mark (TL_SWEEP_WINDOW (user_data));
}

static void
on_released (GtkGestureClick *gesture,
             int              n_press,
             double           wx,
             double           wy,
             gpointer         user_data)
{
  TlSweepWindow *self = user_data;
  guint x, y;

  if (cell_at (self, wx, wy, &x, &y))
    tl_sweep_window_open_cell (self, x, y, NULL);
}

/* The window ----------------------------------------------------------------- */

const TlOutcomeMap *
tl_sweep_window_get_map (TlSweepWindow *self)
{
  g_return_val_if_fail (TL_IS_SWEEP_WINDOW (self), NULL);
  return self->map;
}

guint
tl_sweep_window_get_n_rows (TlSweepWindow *self)
{
  g_return_val_if_fail (TL_IS_SWEEP_WINDOW (self), 0);
  return self->outcomes->len;
}

guint64
tl_sweep_window_get_n_points (TlSweepWindow *self)
{
  g_return_val_if_fail (TL_IS_SWEEP_WINDOW (self), 0);
  return self->source->plan->n_points;
}

const char *
tl_sweep_window_get_status (TlSweepWindow *self)
{
  g_return_val_if_fail (TL_IS_SWEEP_WINDOW (self), NULL);
  return self->status_text;
}

static void
tl_sweep_window_finalize (GObject *object)
{
  TlSweepWindow *self = TL_SWEEP_WINDOW (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->source, tl_sweep_source_free);
  g_clear_pointer (&self->map, tl_outcome_map_free);
  g_clear_pointer (&self->outcomes, g_array_unref);
  g_clear_pointer (&self->picture, cairo_surface_destroy);
  g_free (self->status_text);
  G_OBJECT_CLASS (tl_sweep_window_parent_class)->finalize (object);
}

static void
tl_sweep_window_class_init (TlSweepWindowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tl_sweep_window_finalize;
}

static void
tl_sweep_window_init (TlSweepWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkEventController *motion = gtk_event_controller_motion_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  self->outcomes = g_array_new (FALSE, FALSE, sizeof (PointOutcome));
  gtk_window_set_titlebar (GTK_WINDOW (self), gtk_header_bar_new ());
  gtk_window_set_default_size (GTK_WINDOW (self), 1100, 720);

  self->area = gtk_drawing_area_new ();
  gtk_widget_set_vexpand (self->area, TRUE);
  gtk_widget_set_hexpand (self->area, TRUE);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->area), draw_area, self, NULL);
  g_signal_connect (motion, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (motion, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (self->area, motion);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (self->area, GTK_EVENT_CONTROLLER (click));

  self->status = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->status), 0);
  gtk_label_set_wrap (GTK_LABEL (self->status), TRUE);
  gtk_widget_set_margin_start (self->status, 12);
  gtk_widget_set_margin_end (self->status, 12);
  gtk_widget_set_margin_top (self->status, 6);
  gtk_widget_set_margin_bottom (self->status, 8);

  gtk_box_append (GTK_BOX (box), self->area);
  gtk_box_append (GTK_BOX (box), gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
  gtk_box_append (GTK_BOX (box), self->status);
  gtk_window_set_child (GTK_WINDOW (self), box);
  set_status (self, "Point at a cell to see its values and outcome; click it to open its run.");
}

TlSweepWindow *
tl_sweep_window_new (GtkApplication  *application,
                     GFile           *file,
                     GError         **error)
{
  TlSweepWindow *self;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  /* Like any window, kept alive by GTK until destroyed. */
  self = g_object_new (TL_TYPE_SWEEP_WINDOW, "application", application, NULL);
  self->file = g_object_ref (file);
  if (!read_sweep (self, error))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  name = g_file_get_basename (file);
  title = g_strdup_printf ("%s — outcome map", name);
  gtk_window_set_title (GTK_WINDOW (self), title);
  return self;
}

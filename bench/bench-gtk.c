/* bench-gtk.c: how fast tcpladder-gtk answers.
 *
 * 1. Edit to frame: the time from setting a parameter's spin button in the
 *    window (default scenario) to the end of painting the first frame that
 *    shows the new simulation (GdkFrameClock::after-paint).  Target: a
 *    median under 16 ms.
 * 2. Panning: the frame time (before-paint to after-paint) while scrolling
 *    through a synthetic 100 000-segment trace at a scale where every
 *    frame brings new picture into view.  Target: a median under 16 ms.
 *
 * Needs a display: `meson benchmark` runs it through
 * tests/run-under-xvfb.sh.  GSK_RENDERER picks the renderer (the wrapper
 * defaults to cairo; try GSK_RENDERER=gl).  BENCH_VERBOSE=1 prints where
 * each edit's time goes (trace shown, layout, paint).
 */
#include <gtk/gtk.h>
#include <stdio.h>
#include <stdlib.h>

#include "tl-ladder-view.h"
#include "tl-param-panel.h"
#include "tl-window.h"

#define EDIT_ROUNDS   60
#define PAN_FRAMES    300
#define PAN_SEGMENTS  100000
#define PAN_STEP_PX   48.0

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (GArray *values,
            double  p)
{
  guint index;

  g_array_sort (values, compare_doubles);
  index = (guint) ((values->len - 1) * p + 0.5);
  return g_array_index (values, double, index);
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }
}

/* 1. Edit to frame ------------------------------------------------------ */

typedef struct
{
  TlDocument *document;
  guint       wanted_serial;
  gboolean    shown;       /* the window took the new trace */
  gint64      start;
  gint64      shown_at;
  gint64      layout_at;
  gint64      paint_at;
  double      elapsed_ms;  /* < 0 while waiting */
} EditProbe;

static void
on_trace_changed (TlDocument *document,
                  EditProbe  *probe)
{
  /* Connected after the window's own handler: the view has the trace. */
  if (tl_document_get_trace_serial (document) >= probe->wanted_serial && !probe->shown)
    {
      probe->shown = TRUE;
      probe->shown_at = g_get_monotonic_time ();
    }
}

static void
on_layout (GdkFrameClock *clock,
           EditProbe     *probe)
{
  if (probe->shown && probe->elapsed_ms < 0)
    probe->layout_at = g_get_monotonic_time ();
}

static void
on_paint (GdkFrameClock *clock,
          EditProbe     *probe)
{
  if (probe->shown && probe->elapsed_ms < 0)
    probe->paint_at = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                EditProbe     *probe)
{
  if (probe->shown && probe->elapsed_ms < 0)
    probe->elapsed_ms = (double) (g_get_monotonic_time () - probe->start) / 1000.0;
}

static void
bench_edit (void)
{
  TlWindow *window = tl_window_new (NULL);
  TlDocument *document = tl_window_get_document (window);
  GtkWidget *field;
  GdkFrameClock *clock;
  EditProbe probe = { document, 0, FALSE, 0, -1 };
  g_autoptr(GArray) latency = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sim = g_array_new (FALSE, FALSE, sizeof (double));

  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  gtk_window_present (GTK_WINDOW (window));
  if (!tl_window_open_default (window))
    {
      fprintf (stderr, "bench-gtk: the default scenario is missing\n");
      exit (1);
    }
  while (tl_document_get_trace (document) == NULL || !gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  spin (300);

  field = tl_param_panel_get_field (tl_window_get_param_panel (window), "A->B.delay");
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect_after (document, "trace-changed", G_CALLBACK (on_trace_changed), &probe);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &probe);
  g_signal_connect (clock, "layout", G_CALLBACK (on_layout), &probe);
  g_signal_connect (clock, "paint", G_CALLBACK (on_paint), &probe);

  for (guint round = 0; round < EDIT_ROUNDS; round++)
    {
      double delay_ms = 1.0 + (round % 7) * 0.5;

      /* Let the frame clock go idle, as it is when a person edits. */
      spin (40);
      probe.wanted_serial = tl_document_get_trace_serial (document) + 1;
      probe.shown = FALSE;
      probe.elapsed_ms = -1;
      probe.start = g_get_monotonic_time ();
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (field), delay_ms == 1.0 ? 9.0 : delay_ms);
      if (g_getenv ("BENCH_VERBOSE"))
        printf ("  set_value returned +%.2f ms\n", (g_get_monotonic_time () - probe.start) / 1000.0);
      while (probe.elapsed_ms < 0)
        g_main_context_iteration (NULL, TRUE);
      g_array_append_val (latency, probe.elapsed_ms);
      if (g_getenv ("BENCH_VERBOSE"))
        printf ("  shown +%.2f, layout +%.2f, paint +%.2f, done +%.2f ms\n",
                (probe.shown_at - probe.start) / 1000.0, (probe.layout_at - probe.start) / 1000.0,
                (probe.paint_at - probe.start) / 1000.0, probe.elapsed_ms);
      {
        double run_ms = (double) tl_document_get_last_run_usec (document) / 1000.0;
        g_array_append_val (sim, run_ms);
      }
    }

  printf ("edit to redrawn frame (default scenario, %u edits, renderer %s):\n",
          EDIT_ROUNDS, G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  printf ("  median %.2f ms, 90th percentile %.2f ms (target < 16 ms)\n",
          percentile (latency, 0.5), percentile (latency, 0.9));
  printf ("  of which simulation: median %.3f ms\n", percentile (sim, 0.5));

  g_signal_handlers_disconnect_by_data (clock, &probe);
  g_signal_handlers_disconnect_by_data (document, &probe);
  while (tl_document_get_can_undo (document))
    tl_document_undo (document);
  while (tl_document_get_running (document))
    g_main_context_iteration (NULL, TRUE);
  gtk_window_destroy (GTK_WINDOW (window));
}

/* 2. Panning a large trace ------------------------------------------------ */

/* Two hosts exchanging N data segments over a 300 us link, one every
 * millisecond, alternating direction. */
static TlTrace *
synthetic_trace (guint n_segments)
{
  TlTrace *trace = tl_trace_new ();
  guint32 seq[2] = { 1000, 5000 };
  TlTraceRecord *rec;

  trace->title = g_strdup ("synthetic");
  trace->hosts[0].name = g_strdup ("A");
  trace->hosts[0].addr = 0x0a000001;
  trace->hosts[0].port = 40000;
  trace->hosts[1].name = g_strdup ("B");
  trace->hosts[1].addr = 0x0a000002;
  trace->hosts[1].port = 8080;
  for (guint host = 0; host < 2; host++)
    {
      rec = tl_trace_append (trace, TL_REC_STATE, 0, host);
      rec->old_state = TL_STATE_NONE;
      rec->new_state = TL_STATE_ESTABLISHED;
    }
  for (guint i = 0; i < n_segments; i++)
    {
      guint from = i % 2;
      TlTime t = TL_MSEC (1) * (i + 1);
      guint32 packet = tl_trace_new_packet (trace);
      TlSegment seg = { 0 };

      seg.src_addr = trace->hosts[from].addr;
      seg.dst_addr = trace->hosts[1 - from].addr;
      seg.src_port = trace->hosts[from].port;
      seg.dst_port = trace->hosts[1 - from].port;
      seg.seq = seq[from];
      seg.ack = seq[1 - from];
      seg.flags = TL_TCP_ACK | TL_TCP_PSH;
      seg.window = 502;
      seg.len = 100;
      seq[from] += 100;

      rec = tl_trace_append (trace, TL_REC_SEND, t, from);
      rec->packet = packet;
      rec->seg = seg;
      rec = tl_trace_append (trace, TL_REC_DELIVER, t + TL_USEC (300), 1 - from);
      rec->packet = packet;
      rec->seg = seg;
    }
  trace->end_time = TL_MSEC (1) * (n_segments + 2);
  return trace;
}

typedef struct
{
  GtkAdjustment *vadj;
  gint64         frame_start;
  GArray        *frame_ms;
  guint          frames;
  gboolean       done;
} PanProbe;

static void
on_pan_before_paint (GdkFrameClock *clock,
                     PanProbe      *probe)
{
  probe->frame_start = g_get_monotonic_time ();
}

static void
on_pan_after_paint (GdkFrameClock *clock,
                    PanProbe      *probe)
{
  double ms;

  if (probe->frame_start == 0 || probe->done)
    return;
  ms = (double) (g_get_monotonic_time () - probe->frame_start) / 1000.0;
  g_array_append_val (probe->frame_ms, ms);
  probe->frame_start = 0;
}

static gboolean
pan_tick (GtkWidget     *widget,
          GdkFrameClock *clock,
          gpointer       user_data)
{
  PanProbe *probe = user_data;
  double value = gtk_adjustment_get_value (probe->vadj) + PAN_STEP_PX;

  if (++probe->frames > PAN_FRAMES)
    {
      probe->done = TRUE;
      return G_SOURCE_REMOVE;
    }
  gtk_adjustment_set_value (probe->vadj, value);
  return G_SOURCE_CONTINUE;
}

static void
bench_pan (void)
{
  g_autoptr(TlTrace) trace = synthetic_trace (PAN_SEGMENTS);
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *view = tl_ladder_view_new ();
  PanProbe probe = { 0 };
  GdkFrameClock *clock;
  gint64 start;
  double layout_ms, width, height;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
  gtk_window_set_child (GTK_WINDOW (window), scroller);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (view) || gtk_widget_get_height (view) <= 0)
    g_main_context_iteration (NULL, TRUE);

  start = g_get_monotonic_time ();
  tl_ladder_view_set_trace (TL_LADDER_VIEW (view), trace);
  /* 1 ms (one segment) = 40 px: every label has room, 4 million pixels. */
  tl_ladder_view_zoom_to_range (TL_LADDER_VIEW (view), 0, TL_MSEC (20));
  tl_render_layout_get_size (tl_ladder_view_get_layout (TL_LADDER_VIEW (view)), &width, &height);
  layout_ms = (double) (g_get_monotonic_time () - start) / 1000.0;
  spin (200);

  probe.vadj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  probe.frame_ms = g_array_new (FALSE, FALSE, sizeof (double));
  gtk_adjustment_set_value (probe.vadj, gtk_adjustment_get_upper (probe.vadj) * 0.3);
  clock = gtk_widget_get_frame_clock (view);
  g_signal_connect (clock, "before-paint", G_CALLBACK (on_pan_before_paint), &probe);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_pan_after_paint), &probe);
  gtk_widget_add_tick_callback (view, pan_tick, &probe, NULL);
  while (!probe.done)
    g_main_context_iteration (NULL, TRUE);

  printf ("panning a %u-segment trace (%.0f x %.0f px picture, %.1f px/s, %.0f px a frame, renderer %s):\n",
          PAN_SEGMENTS, width, height, tl_ladder_view_get_scale (TL_LADDER_VIEW (view)),
          PAN_STEP_PX, G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))));
  printf ("  layout of the whole trace (once, on load or zoom): %.1f ms\n", layout_ms);
  printf ("  frame time: median %.2f ms, 90th percentile %.2f ms, max %.2f ms over %u frames (target < 16 ms)\n",
          percentile (probe.frame_ms, 0.5), percentile (probe.frame_ms, 0.9),
          percentile (probe.frame_ms, 1.0), probe.frame_ms->len);

  g_signal_handlers_disconnect_by_data (clock, &probe);
  g_array_unref (probe.frame_ms);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("GTK_A11Y", "none", TRUE);
  if (!gtk_init_check ())
    {
      printf ("bench-gtk: no display, skipped (run it through tests/run-under-xvfb.sh)\n");
      return 0;
    }
  bench_edit ();
  bench_pan ();
  return 0;
}

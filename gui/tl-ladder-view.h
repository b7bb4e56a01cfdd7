/* tl-ladder-view.h: the ladder diagram, interactive.
 *
 * Draws what the renderer (gui/render/tl-render.h) lays out, in tiles
 * cached as render nodes so panning a huge trace only draws the strip that
 * scrolls into view.  On top of the picture, drawn here each frame: the
 * time cursor, the packets in flight at the cursor time (moving along the
 * links while playing, queued at a paused router), the selection and the
 * range being dragged.
 *
 * Zoom changes the renderer's pixels per second and lays the trace out
 * again, keeping the time under the pointer in place.  Scrolling is
 * GtkScrollable: put the view in a GtkScrolledWindow.
 *
 * With a scenario document attached, the router's pause windows and the
 * socket calls can be dragged along the time axis: each move is a
 * tl_document_set_value, one undo step per drag.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-document.h"
#include "tl-render.h"

G_BEGIN_DECLS

#define TL_TYPE_LADDER_VIEW (tl_ladder_view_get_type ())
G_DECLARE_FINAL_TYPE (TlLadderView, tl_ladder_view, TL, LADDER_VIEW, GtkWidget)

GtkWidget       *tl_ladder_view_new             (void);

/* One trace, or a pair side by side with their mismatches (copied). */
void             tl_ladder_view_set_trace       (TlLadderView           *self,
                                                 TlTrace                *trace);
void             tl_ladder_view_set_pair        (TlLadderView           *self,
                                                 TlTrace                *trace_a,
                                                 TlTrace                *trace_b,
                                                 const TlRenderMismatch *mismatches,
                                                 guint                   n_mismatches);
TlTrace         *tl_ladder_view_get_trace       (TlLadderView           *self,
                                                 guint                   pane);
gboolean         tl_ladder_view_get_is_pair     (TlLadderView           *self);
/* Lets drags on the diagram edit the scenario. */
void             tl_ladder_view_set_document    (TlLadderView           *self,
                                                 TlDocument             *document);
/* The current layout (built on demand); NULL without a trace. */
TlRenderLayout  *tl_ladder_view_get_layout      (TlLadderView           *self);

/* Display options the renderer takes; size, zoom and theme are the
 * view's own business and are ignored here. */
void             tl_ladder_view_set_options     (TlLadderView           *self,
                                                 const TlRenderOptions  *options);
void             tl_ladder_view_get_options     (TlLadderView           *self,
                                                 TlRenderOptions        *options);
void             tl_ladder_view_set_compress    (TlLadderView           *self,
                                                 gboolean                compress);
gboolean         tl_ladder_view_get_compress    (TlLadderView           *self);

/* Zoom: FACTOR > 1 zooms in.  ANCHOR_Y is a y in widget coordinates that
 * keeps showing the same time (negative: the middle). */
void             tl_ladder_view_zoom            (TlLadderView           *self,
                                                 double                  factor,
                                                 double                  anchor_y);
void             tl_ladder_view_zoom_to_fit     (TlLadderView           *self);
void             tl_ladder_view_zoom_to_range   (TlLadderView           *self,
                                                 TlTime                  from,
                                                 TlTime                  to);
/* Pixels per simulated second of the linear stretches. */
double           tl_ladder_view_get_scale       (TlLadderView           *self);

/* The time cursor. */
TlTime           tl_ladder_view_get_cursor      (TlLadderView           *self);
void             tl_ladder_view_set_cursor      (TlLadderView           *self,
                                                 TlTime                  time);
/* Moves the cursor to the next (DIRECTION > 0) or previous record's time
 * and selects that record; FALSE at either end. */
gboolean         tl_ladder_view_step            (TlLadderView           *self,
                                                 int                     direction);
void             tl_ladder_view_set_playing     (TlLadderView           *self,
                                                 gboolean                playing);
gboolean         tl_ladder_view_get_playing     (TlLadderView           *self);
/* Playback speed, in picture pixels per second of wall time. */
void             tl_ladder_view_set_play_speed  (TlLadderView           *self,
                                                 double                  px_per_second);
/* How many packets are drawn in flight / held at the cursor (tests). */
guint            tl_ladder_view_count_in_flight (TlLadderView           *self,
                                                 guint                  *n_held);

/* Selection: a record of the trace in PANE (0, or 1 for the right-hand
 * trace of a pair).  FALSE when nothing is selected. */
gboolean         tl_ladder_view_get_selection   (TlLadderView           *self,
                                                 guint                  *pane,
                                                 guint                  *record);
void             tl_ladder_view_select_record   (TlLadderView           *self,
                                                 guint                   pane,
                                                 guint                   record);
void             tl_ladder_view_clear_selection (TlLadderView           *self);
/* Selects what lies at (X, Y) in widget coordinates, as a click does. */
gboolean         tl_ladder_view_select_at       (TlLadderView           *self,
                                                 double                  x,
                                                 double                  y);
/* Widget coordinates of time T on the lifeline of HOST in PANE (for tests
 * and for scrolling something into view). */
gboolean         tl_ladder_view_time_to_point   (TlLadderView           *self,
                                                 guint                   pane,
                                                 guint                   host,
                                                 TlTime                  t,
                                                 double                 *x,
                                                 double                 *y);

G_END_DECLS

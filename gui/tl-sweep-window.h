/* tl-sweep-window.h: a window showing the outcome map of a finished sweep.
 *
 * Opens the JSON lines `tcpladder sweep --jsonl` writes (the first line
 * says what was swept, see cli/sweep/tl-sweep-source.h), draws the map with
 * the shared renderer, names the point and outcome under the pointer, and
 * opens the run of a clicked cell in a main window: the base scenario with
 * that point's values, exactly as the sweep ran it, ready to explore.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-outcome-map.h"
#include "tl-window.h"

G_BEGIN_DECLS

#define TL_TYPE_SWEEP_WINDOW (tl_sweep_window_get_type ())
G_DECLARE_FINAL_TYPE (TlSweepWindow, tl_sweep_window, TL, SWEEP_WINDOW, GtkApplicationWindow)

/* Whether FILE looks like sweep output (JSON lines or CSV rows) rather
 * than a scenario or a trace, by its first bytes. */
gboolean            tl_sweep_window_file_is_sweep (GFile          *file);

/* A new window showing FILE, or NULL and ERROR (naming the file and line)
 * if it cannot be shown: CSV rows (they do not say what was swept), a
 * broken line, more than two swept parameters. */
TlSweepWindow      *tl_sweep_window_new          (GtkApplication *application,
                                                  GFile          *file,
                                                  GError        **error);

const TlOutcomeMap *tl_sweep_window_get_map      (TlSweepWindow  *self);
/* Rows read, and the points of the whole sweep. */
guint               tl_sweep_window_get_n_rows   (TlSweepWindow  *self);
guint64             tl_sweep_window_get_n_points (TlSweepWindow  *self);

/* Marks cell (X, Y) as the pointer would, and says what it holds in the
 * status line.  FALSE if there is no such cell. */
gboolean            tl_sweep_window_select_cell  (TlSweepWindow  *self,
                                                  guint           x,
                                                  guint           y);
const char         *tl_sweep_window_get_status   (TlSweepWindow  *self);
/* The point a click on cell (X, Y) opens: among the cell's runs (one per
 * seed) the first whose outcome is the one the cell shows. */
guint64             tl_sweep_window_cell_point   (TlSweepWindow  *self,
                                                  guint           x,
                                                  guint           y);
/* What a click on cell (X, Y) does: a new main window simulating that
 * cell's run.  NULL (and the error shown in the status line) if the
 * point's scenario cannot be made. */
TlWindow           *tl_sweep_window_open_cell    (TlSweepWindow  *self,
                                                  guint           x,
                                                  guint           y,
                                                  GError        **error);

G_END_DECLS

/* tl-window.h: one main window, showing one document.
 *
 * Header bar (open, recent files, undo/redo, export, save, compare, main
 * menu), an error banner, the outcome banner, and three panes: the
 * timing parameters, the ladder with its playback bar, the inspector.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-document.h"
#include "tl-inspector.h"
#include "tl-ladder-view.h"
#include "tl-param-panel.h"

G_BEGIN_DECLS

#define TL_TYPE_WINDOW (tl_window_get_type ())
G_DECLARE_FINAL_TYPE (TlWindow, tl_window, TL, WINDOW, GtkApplicationWindow)

TlWindow     *tl_window_new               (GtkApplication *application);

/* Opens FILE (scenario, capture bundle, pcap or JSON trace) in this
 * window.  On failure the window shows why and keeps what it had;
 * returns FALSE. */
gboolean      tl_window_open_file         (TlWindow    *self,
                                           GFile       *file);
/* Shows SCENARIO (taken, valid) as a new unsaved scenario, with NOTE (may
 * be NULL) in the info banner: how it came about. */
void          tl_window_open_scenario     (TlWindow    *self,
                                           TlScenario  *scenario,
                                           const char  *note);
/* Opens the default scenario (simultaneous-open-router-pause.scn). */
gboolean      tl_window_open_default      (TlWindow    *self);
/* Loads FILE as the capture to compare with; FALSE and a banner on error. */
gboolean      tl_window_open_reference    (TlWindow    *self,
                                           GFile       *file);
/* Nothing opened by the user yet and nothing changed: a new file may
 * replace it instead of opening another window. */
gboolean      tl_window_is_pristine       (TlWindow    *self);

TlDocument   *tl_window_get_document      (TlWindow    *self);
TlLadderView *tl_window_get_ladder_view   (TlWindow    *self);
TlParamPanel *tl_window_get_param_panel   (TlWindow    *self);
TlInspector  *tl_window_get_inspector     (TlWindow    *self);

/* The banner: shown with MESSAGE (an error) or hidden with NULL. */
void          tl_window_show_error        (TlWindow    *self,
                                           const char  *message);
void          tl_window_show_info         (TlWindow    *self,
                                           const char  *message);
/* What the banners say now; NULL when the error banner is hidden. */
const char   *tl_window_get_error_text    (TlWindow    *self);
/* The question asked before opening a large capture, while it is open. */
GtkWidget    *tl_window_get_size_prompt   (TlWindow    *self);
const char   *tl_window_get_outcome_text  (TlWindow    *self);

/* Renders the window as it is on screen to a PNG at PATH (the window must
 * be mapped).  Used for the screenshots in docs/screenshots. */
gboolean      tl_window_save_screenshot   (TlWindow    *self,
                                           const char  *path,
                                           GError     **error);

/* The default scenario: installed, or in the source tree when running
 * uninstalled.  NULL if neither exists. */
GFile        *tl_window_find_default_scenario (void);

/* Renders WINDOW as it is on screen to a PNG at PATH, atomically. */
gboolean      tl_save_window_png          (GtkWindow   *window,
                                           const char  *path,
                                           GError     **error);

G_END_DECLS

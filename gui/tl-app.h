/* tl-app.h: the tcpladder-gtk application.
 *
 * One GtkApplication (io.github.tcpladder.TcpLadder): opens files given on
 * the command line or by the desktop, one window per file (a window still
 * showing the untouched default scenario is reused), the default scenario
 * without a file.  App-wide: accelerators, the style sheet, the colour
 * scheme, About, and the options used to take the screenshots in
 * docs/screenshots (--compare, --cursor, --select, --size, --screenshot).
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TL_TYPE_APP (tl_app_get_type ())
G_DECLARE_FINAL_TYPE (TlApp, tl_app, TL, APP, GtkApplication)

TlApp *tl_app_new (void);

G_END_DECLS

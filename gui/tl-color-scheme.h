/* tl-color-scheme.h: light or dark, following the desktop.
 *
 * GTK 4.8 does not read the desktop's colour-scheme preference itself
 * (libadwaita does, but is not needed for anything else), so this asks the
 * XDG settings portal (org.freedesktop.appearance color-scheme) and keeps
 * listening, and sets GtkSettings:gtk-application-prefer-dark-theme.  The
 * user can override it; the choice is kept in
 * $XDG_CONFIG_HOME/tcpladder/gtk.ini.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TL_COLOR_SCHEME_SYSTEM,
  TL_COLOR_SCHEME_LIGHT,
  TL_COLOR_SCHEME_DARK,
} TlColorScheme;

/* Reads the saved choice and starts following the portal.  Call once
 * GTK is initialised. */
void          tl_color_scheme_init          (void);
void          tl_color_scheme_shutdown      (void);
TlColorScheme tl_color_scheme_get_choice    (void);
/* Applies and saves the choice. */
void          tl_color_scheme_set_choice    (TlColorScheme scheme);
const char   *tl_color_scheme_to_string     (TlColorScheme scheme);  /* "system" */
gboolean      tl_color_scheme_from_string   (const char    *text,
                                             TlColorScheme *out);
/* Whether the app is dark now. */
gboolean      tl_color_scheme_is_dark       (void);

G_END_DECLS

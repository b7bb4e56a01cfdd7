/* tl-param-panel.h: every timing parameter of the scenario, editable.
 *
 * One row per parameter of tl_params_from_scenario: spin buttons for
 * times (in milliseconds) and counts, switches, a drop-down for the
 * profile, an entry for the seed.  Any change goes straight to the
 * document (tl_document_set_value), which re-simulates; a value the
 * scenario refuses marks the field with the "error" style class and is
 * reported through the "error" signal for the window's banner.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-document.h"

G_BEGIN_DECLS

#define TL_TYPE_PARAM_PANEL (tl_param_panel_get_type ())
G_DECLARE_FINAL_TYPE (TlParamPanel, tl_param_panel, TL, PARAM_PANEL, GtkWidget)

GtkWidget  *tl_param_panel_new          (void);
void        tl_param_panel_set_document (TlParamPanel *self,
                                         TlDocument   *document);
/* The editing widget of KEY (a GtkSpinButton, GtkSwitch, GtkDropDown or
 * GtkEntry), or NULL; for tests and for focusing a field from an error. */
GtkWidget  *tl_param_panel_get_field    (TlParamPanel *self,
                                         const char   *key);
/* Clears the error style of every field. */
void        tl_param_panel_clear_errors (TlParamPanel *self);

G_END_DECLS

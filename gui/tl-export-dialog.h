/* tl-export-dialog.h: export the diagram as SVG, PNG, PDF or text.
 *
 * Offers every option of the renderer (size, resolution, theme, labels,
 * sequence numbers, options, title, legend, idle compression) and the time
 * range (the whole run or the part in view), then asks where to write and
 * writes atomically through tl_render_export.  With a reference capture,
 * the side-by-side comparison can be exported instead.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-render.h"

G_BEGIN_DECLS

#define TL_TYPE_EXPORT_DIALOG (tl_export_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TlExportDialog, tl_export_dialog, TL, EXPORT_DIALOG, GtkWindow)

/* OPTIONS: the view's display options, the starting point.  REFERENCE and
 * MISMATCHES may be NULL / 0.  [VISIBLE_FROM, VISIBLE_TO] is the part in
 * view.  BASENAME suggests the file name (without extension). */
TlExportDialog *tl_export_dialog_new        (GtkWindow              *parent,
                                             TlTrace                *trace,
                                             TlTrace                *reference,
                                             const TlRenderMismatch *mismatches,
                                             guint                   n_mismatches,
                                             const TlRenderOptions  *options,
                                             TlTime                  visible_from,
                                             TlTime                  visible_to,
                                             const char             *basename);
/* The options as the form stands (tests). */
void            tl_export_dialog_get_options (TlExportDialog  *self,
                                              TlRenderOptions *options,
                                              TlRenderFormat  *format,
                                              gboolean        *pair);
/* Writes to PATH with the form's options; the dialog's own "Export" does
 * this after asking for a file. */
gboolean        tl_export_dialog_export_to   (TlExportDialog  *self,
                                              const char      *path,
                                              GError         **error);

G_END_DECLS

/* tl-sweep-output.h: an output file written atomically, a chunk at a time.
 *
 * Rows go to a temporary file next to the destination and are flushed as
 * they complete; commit renames it into place, abort removes it.  An
 * interrupted sweep commits what it has, so the file holds complete rows
 * only.  "-" writes to standard output instead.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _TlSweepOutput TlSweepOutput;

TlSweepOutput *tl_sweep_output_open   (const char     *path,
                                       GError        **error);
gboolean       tl_sweep_output_write  (TlSweepOutput  *output,
                                       const char     *data,
                                       gsize           length,
                                       GError        **error);
gboolean       tl_sweep_output_flush  (TlSweepOutput  *output,
                                       GError        **error);
/* Flushes, syncs and renames into place; frees OUTPUT either way. */
gboolean       tl_sweep_output_commit (TlSweepOutput  *output,
                                       GError        **error);
/* Removes the temporary file; frees OUTPUT.  NULL is fine. */
void           tl_sweep_output_abort  (TlSweepOutput  *output);
const char    *tl_sweep_output_get_path (const TlSweepOutput *output);

G_END_DECLS

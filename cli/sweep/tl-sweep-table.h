/* tl-sweep-table.h: reading sweep outputs back, for merge and for maps.
 *
 * The rows of one or more CSV or JSON-lines files written by `tcpladder
 * sweep` (shards of one sweep, or a whole one), checked for consistency
 * and put in point order.  Rows are kept as the exact bytes read, so a
 * merge writes precisely what an unsharded run writes.
 */
#pragma once

#include <glib.h>

#include "tl-outcome-map.h"
#include "tl-sweep-row.h"

G_BEGIN_DECLS

typedef struct _TlSweepTable TlSweepTable;

TlSweepTable *tl_sweep_table_new        (void);
void          tl_sweep_table_free       (TlSweepTable  *table);
/* Reads every row of PATH.  Fails on a row that is not what a sweep
 * writes, or a file from a different sweep than the ones before. */
gboolean      tl_sweep_table_add_file   (TlSweepTable  *table,
                                         const char    *path,
                                         GError       **error);
/* Puts the rows in point order.  Fails if a point appears twice, or,
 * unless ALLOW_MISSING, if a point of the sweep is missing. */
gboolean      tl_sweep_table_finish     (TlSweepTable  *table,
                                         gboolean       allow_missing,
                                         GError       **error);
TlSweepFormat tl_sweep_table_get_format (const TlSweepTable *table);
guint64       tl_sweep_table_get_n_rows (const TlSweepTable *table);
/* The points of the whole sweep (0 if no file had a row). */
guint64       tl_sweep_table_get_n_points (const TlSweepTable *table);
/* Writes the header and the rows in order, atomically ("-": stdout). */
gboolean      tl_sweep_table_write      (const TlSweepTable *table,
                                         const char         *path,
                                         GError            **error);
/* The outcome map of the rows: needs one or two parameter columns. */
TlOutcomeMap *tl_sweep_table_to_map     (const TlSweepTable *table,
                                         GError            **error);

/* The JSON lines' first line describing the sweep (tl-sweep-source.h),
 * without its newline; NULL for CSV or rows written without one. */
const char   *tl_sweep_table_get_source_line (const TlSweepTable *table);
/* Row ROW_NUMBER (in point order once finished): its point and outcome. */
gboolean      tl_sweep_table_get_outcome (const TlSweepTable  *table,
                                          guint                row_number,
                                          guint64             *index,
                                          TlOpenOutcome       *open,
                                          TlCloseOutcome      *close,
                                          GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSweepTable, tl_sweep_table_free)

G_END_DECLS

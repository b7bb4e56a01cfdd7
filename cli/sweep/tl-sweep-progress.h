/* tl-sweep-progress.h: a one-line progress bar on a terminal.
 *
 *   [##########..........]  45.1%  18180/40400  126k runs/s  ETA 0:02
 */
#pragma once

#include <glib.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _TlSweepProgress TlSweepProgress;

/* NULL unless OUT is a terminal: a bar in a log file is only noise. */
TlSweepProgress *tl_sweep_progress_new    (FILE            *out);
void             tl_sweep_progress_update (TlSweepProgress *progress,
                                           guint64          done,
                                           guint64          total);
/* Erases the bar. */
void             tl_sweep_progress_free   (TlSweepProgress *progress);
/* "126k", "1.2M": a rate that fits a narrow column. */
char            *tl_sweep_format_rate     (double           per_second);
/* "0:42", "1:02:03". */
char            *tl_sweep_format_duration (gint64           seconds);

G_END_DECLS

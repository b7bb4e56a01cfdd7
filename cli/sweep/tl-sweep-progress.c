/* tl-sweep-progress.c: the progress bar. */
#include "tl-sweep-progress.h"

#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

struct _TlSweepProgress
{
  FILE   *out;
  gint64  start;     /* monotonic, microseconds */
  guint   columns;   /* terminal width */
};

TlSweepProgress *
tl_sweep_progress_new (FILE *out)
{
  TlSweepProgress *progress;
  struct winsize size;

  if (!isatty (fileno (out)))
    return NULL;
  progress = g_new0 (TlSweepProgress, 1);
  progress->out = out;
  progress->start = g_get_monotonic_time ();
  progress->columns = 80;
  if (ioctl (fileno (out), TIOCGWINSZ, &size) == 0 && size.ws_col >= 40)
    progress->columns = size.ws_col;
  return progress;
}

char *
tl_sweep_format_rate (double per_second)
{
  if (per_second >= 10e6)
    return g_strdup_printf ("%.0fM", per_second / 1e6);
  if (per_second >= 1e6)
    return g_strdup_printf ("%.1fM", per_second / 1e6);
  if (per_second >= 10e3)
    return g_strdup_printf ("%.0fk", per_second / 1e3);
  if (per_second >= 1e3)
    return g_strdup_printf ("%.1fk", per_second / 1e3);
  return g_strdup_printf ("%.0f", per_second);
}

char *
tl_sweep_format_duration (gint64 seconds)
{
  if (seconds >= 3600)
    return g_strdup_printf ("%" G_GINT64_FORMAT ":%02d:%02d", seconds / 3600,
                            (int) (seconds / 60 % 60), (int) (seconds % 60));
  return g_strdup_printf ("%d:%02d", (int) (seconds / 60), (int) (seconds % 60));
}

void
tl_sweep_progress_update (TlSweepProgress *progress,
                          guint64          done,
                          guint64          total)
{
  double elapsed, rate, fraction;
  g_autofree char *rate_text = NULL;
  g_autofree char *eta_text = NULL;
  g_autofree char *tail = NULL;
  GString *line;
  guint bar_width, filled;

  if (progress == NULL || total == 0)
    return;
  elapsed = (double) (g_get_monotonic_time () - progress->start) / G_USEC_PER_SEC;
  rate = elapsed > 0 ? (double) done / elapsed : 0;
  fraction = (double) done / (double) total;
  rate_text = tl_sweep_format_rate (rate);
  eta_text = rate > 0 ? tl_sweep_format_duration ((gint64) ((double) (total - done) / rate + 0.5))
                      : g_strdup ("?");
  tail = g_strdup_printf (" %5.1f%%  %" G_GUINT64_FORMAT "/%" G_GUINT64_FORMAT
                          "  %s runs/s  ETA %s", 100.0 * fraction, done, total,
                          rate_text, eta_text);
  bar_width = progress->columns > strlen (tail) + 12
              ? MIN (40, progress->columns - (guint) strlen (tail) - 3) : 10;
  filled = (guint) (fraction * bar_width);

  line = g_string_new ("\r[");
  for (guint i = 0; i < bar_width; i++)
    g_string_append_c (line, i < filled ? '#' : '.');
  g_string_append_c (line, ']');
  g_string_append (line, tail);
  g_string_append (line, "\033[K");
  fputs (line->str, progress->out);
  fflush (progress->out);
  g_string_free (line, TRUE);
}

void
tl_sweep_progress_free (TlSweepProgress *progress)
{
  if (progress == NULL)
    return;
  fputs ("\r\033[K", progress->out);
  fflush (progress->out);
  g_free (progress);
}

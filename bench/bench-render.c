/* bench-render.c: how long a large ladder takes to export.
 *
 * A synthetic trace of 100000 segments (bulk data one way, ACKs back, some
 * retransmissions) is exported to PNG (target: under 1 s) and SVG (under
 * 2 s) several times; the medians are printed, with the layout alone and
 * the text ladder for reference.  Usage: bench-render [N_SEGMENTS [RUNS]]
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "test-render-samples.h"
#include "tl-render.h"
#include "tl-text-ladder.h"

static gint
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *samples)
{
  g_array_sort (samples, compare_double);
  return g_array_index (samples, double, samples->len / 2);
}

typedef enum
{
  JOB_LAYOUT,
  JOB_PNG,
  JOB_SVG,
  JOB_TEXT,
} Job;

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Returns the wall-clock seconds; adds the CPU seconds to *CPU.  The
 * machine may be shared: CPU time says what the code costs, wall time
 * what the user waits. */
static double
run_once (TlTrace    *trace,
          Job         job,
          const char *dir,
          double     *cpu)
{
  TlRenderOptions options;
  g_autoptr (GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double cpu_start = cpu_seconds ();

  tl_render_options_init (&options);
  switch (job)
    {
    case JOB_LAYOUT:
      tl_render_layout_unref (tl_render_layout_new (trace, &options));
      break;
    case JOB_PNG:
    case JOB_SVG:
      {
        g_autofree char *path = g_build_filename (dir, job == JOB_PNG ? "bench.png" : "bench.svg", NULL);
        if (!tl_render_export (trace, &options, path, job == JOB_PNG ? TL_RENDER_FORMAT_PNG
                                                                      : TL_RENDER_FORMAT_SVG, &error))
          {
            fprintf (stderr, "bench-render: %s\n", error->message);
            exit (1);
          }
        g_remove (path);
      }
      break;
    case JOB_TEXT:
      {
        g_autoptr (GString) out = g_string_new (NULL);
        tl_text_ladder_render (trace, &options, out);
      }
      break;
    default:
      break;
    }
  *cpu = cpu_seconds () - cpu_start;
  return (double) (g_get_monotonic_time () - start) / 1e6;
}

int
main (int argc, char **argv)
{
  static const struct { Job job; const char *name; double target; } jobs[] = {
    { JOB_LAYOUT, "layout only", 0 },
    { JOB_PNG, "export PNG", 1.0 },
    { JOB_SVG, "export SVG", 2.0 },
    { JOB_TEXT, "text ladder", 0 },
  };
  guint n_segments = argc > 1 ? (guint) atoi (argv[1]) : 100000;
  guint runs = argc > 2 ? (guint) atoi (argv[2]) : 5;
  g_autofree char *dir = g_dir_make_tmp ("bench-render-XXXXXX", NULL);
  g_autoptr (TlTrace) trace = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean all_met = TRUE;

  trace = tl_sample_bulk (n_segments);
  printf ("bench-render: %u segments, %u records (built in %.3f s), median of %u runs\n",
          n_segments, tl_trace_get_n_records (trace),
          (double) (g_get_monotonic_time () - start) / 1e6, runs);
  for (guint j = 0; j < G_N_ELEMENTS (jobs); j++)
    {
      g_autoptr (GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
      double m, c;

      for (guint r = 0; r < runs; r++)
        {
          double cs, s = run_once (trace, jobs[j].job, dir, &cs);
          g_array_append_val (wall, s);
          g_array_append_val (cpu, cs);
        }
      m = median (wall);
      c = median (cpu);
      if (jobs[j].target > 0)
        {
          printf ("  %-12s %8.3f s wall %8.3f s cpu   (target < %.0f s: %s)\n", jobs[j].name, m, c,
                  jobs[j].target, m < jobs[j].target ? "met" : "MISSED");
          all_met &= m < jobs[j].target;
        }
      else
        printf ("  %-12s %8.3f s wall %8.3f s cpu\n", jobs[j].name, m, c);
    }
  g_rmdir (dir);
  return all_met ? 0 : 1;
}

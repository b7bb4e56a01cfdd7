/* tl-cli-sweep.c: `tcpladder sweep` and `tcpladder merge`.
 *
 * sweep runs one scenario over a grid of parameter values on all cores and
 * writes one row per point (CSV, JSON lines) and an outcome map; merge joins
 * the outputs of sharded sweeps into what one unsharded sweep writes.  The
 * pieces live in cli/sweep/; docs/sweeps.md is the user's guide.
 */
#include "tl-cli.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tl-outcome-map.h"
#include "tl-scenario.h"
#include "sweep/tl-sweep-axis.h"
#include "sweep/tl-sweep-error.h"
#include "sweep/tl-sweep-job.h"
#include "sweep/tl-sweep-map.h"
#include "sweep/tl-sweep-output.h"
#include "sweep/tl-sweep-plan.h"
#include "sweep/tl-sweep-progress.h"
#include "sweep/tl-sweep-row.h"
#include "sweep/tl-sweep-runner.h"
#include "sweep/tl-sweep-source.h"
#include "sweep/tl-sweep-table.h"

/* Signals */

/* Set by SIGINT or SIGTERM: the number of the signal. */
static volatile sig_atomic_t stop_signal;

static void
on_stop_signal (int signo)
{
  stop_signal = signo;
}

typedef struct
{
  struct sigaction old_int;
  struct sigaction old_term;
} SavedSignals;

/* The first Ctrl-C stops the sweep cleanly; SA_RESETHAND makes a second
 * one kill at once, as users expect when the first seems slow. */
static void
catch_stop_signals (SavedSignals *saved)
{
  struct sigaction action = { 0 };

  stop_signal = 0;
  action.sa_handler = on_stop_signal;
  action.sa_flags = SA_RESETHAND;
  sigemptyset (&action.sa_mask);
  sigaction (SIGINT, &action, &saved->old_int);
  sigaction (SIGTERM, &action, &saved->old_term);
}

static void
restore_signals (const SavedSignals *saved)
{
  sigaction (SIGINT, &saved->old_int, NULL);
  sigaction (SIGTERM, &saved->old_term, NULL);
}

static int
exit_code_for (const GError *error)
{
  if (error->domain == TL_SWEEP_ERROR)
    switch ((TlSweepError) error->code)
      {
      case TL_SWEEP_ERROR_USAGE:
      case TL_SWEEP_ERROR_SCENARIO:
        return TL_EXIT_USAGE;
      case TL_SWEEP_ERROR_INPUT:
        return TL_EXIT_INPUT;
      case TL_SWEEP_ERROR_OUTPUT:
        return TL_EXIT_OUTPUT;
      default:
        break;
      }
  if (error->domain == TL_SCENARIO_ERROR)
    return error->code == TL_SCENARIO_ERROR_IO || error->code == TL_SCENARIO_ERROR_SYNTAX
           ? TL_EXIT_INPUT : TL_EXIT_USAGE;
  if (error->domain == G_FILE_ERROR)
    return TL_EXIT_OUTPUT;
  return TL_EXIT_USAGE;
}

/* Options */

typedef struct
{
  GPtrArray *axes;      /* TlSweepAxis, in command-line order */
  GError    *error;     /* the first bad --vary or --offset */
  char     **sets;
  char      *seeds;
  int        jobs;
  char      *csv_path;
  char      *jsonl_path;
  char      *map_path;
  char      *shard;
  char      *title;
  gboolean   quiet;
} SweepOptions;

static SweepOptions *current_options;

/* --vary and --offset go to one list, so the order they are given in is
 * the order of the axes (the first across the map, the second up). */
static gboolean
add_axis_option (const char  *option_name,
                 const char  *value,
                 gpointer     data,
                 GError     **error)
{
  SweepOptions *options = current_options;
  TlSweepAxisKind kind = strcmp (option_name, "--offset") == 0 ? TL_SWEEP_AXIS_OFFSET
                                                                : TL_SWEEP_AXIS_VARY;
  TlSweepAxis *axis = tl_sweep_axis_parse (kind, value, error);

  if (axis == NULL)
    return FALSE;
  g_ptr_array_add (options->axes, axis);
  return TRUE;
}

static void
sweep_options_clear (SweepOptions *options)
{
  g_ptr_array_unref (options->axes);
  g_strfreev (options->sets);
  g_free (options->seeds);
  g_free (options->csv_path);
  g_free (options->jsonl_path);
  g_free (options->map_path);
  g_free (options->shard);
  g_free (options->title);
}

static const char sweep_description[] =
  "Runs SCENARIO once for every combination of the swept values, on all cores,\n"
  "and writes one row per run (CSV or JSON lines) and an outcome map.\n"
  "\n"
  "Ranges: FROM..TO/STEP (TO included when a whole number of steps away) or\n"
  "a list V1,V2,...; values are durations (10ms, 1.5s), numbers (3, 0.25) or\n"
  "percentages (2.5%), all with exact integer arithmetic.\n"
  "\n"
  "  --vary B.connect.at=0ms..1s/10ms       B's connect() call time\n"
  "  --vary A<->B.delay=1ms..400ms/1ms      one-way delay, both directions\n"
  "  --vary A->B.loss=0%..10%/0.5% --seeds 20\n"
  "  --offset B.connect.at-A.connect.at=-500ms..500ms/10ms\n"
  "      B connects this long after A (before A when negative); when that\n"
  "      would be before time zero, both calls move later together.\n"
  "\n"
  "Points are numbered like nested loops, the first swept parameter outermost\n"
  "and the seed innermost; rows always come out in that order.  --shard I/N\n"
  "runs points I-1, I-1+N, I-1+2N, ...; `tcpladder merge` joins the shards.\n"
  "Ctrl-C stops cleanly: the rows done so far are kept, exit status 130.\n"
  "See docs/sweeps.md.";

static gboolean
parse_sweep_options (int            *argc,
                     char         ***argv,
                     SweepOptions   *options,
                     GError        **error)
{
  const GOptionEntry entries[] = {
    { "vary", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) add_axis_option,
      "Sweep KEY over a range or list of values", "KEY=FROM..TO/STEP" },
    { "offset", 0, 0, G_OPTION_ARG_CALLBACK, (gpointer) add_axis_option,
      "Sweep KEY relative to REF: KEY = REF + offset", "KEY-REF=FROM..TO/STEP" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &options->sets,
      "Set a scenario value for every run", "KEY=VALUE" },
    { "seeds", 0, 0, G_OPTION_ARG_STRING, &options->seeds,
      "Run every point with seeds 0 to N-1", "N" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &options->jobs,
      "Worker threads (default: one per processor)", "N" },
    { "csv", 0, 0, G_OPTION_ARG_FILENAME, &options->csv_path,
      "Write one CSV row per run (- for standard output)", "FILE" },
    { "jsonl", 0, 0, G_OPTION_ARG_FILENAME, &options->jsonl_path,
      "Write one JSON object per line per run", "FILE" },
    { "map", 0, 0, G_OPTION_ARG_FILENAME, &options->map_path,
      "Draw the outcome map (.svg, .png or .pdf)", "FILE" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &options->shard,
      "Run only the I-th of N interleaved slices", "I/N" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &options->title,
      "Title of the map (default: the scenario's name)", "TEXT" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &options->quiet,
      "No progress bar and no summary", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("SCENARIO");

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_description (context, sweep_description);
  g_option_context_set_summary (context, "Run a scenario over ranges of parameters, on all cores.");
  current_options = options;
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  if (*argc != 2)
    {
      if (*argc < 2)
        g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                             "which scenario? (tcpladder sweep SCENARIO --vary ...)");
      else
        g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                     "one scenario at a time ('%s' is extra)", (*argv)[2]);
      return FALSE;
    }
  if (options->jobs < 0 || options->jobs > 4096)
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                   "--jobs %d: between 1 and 4096 (0: one per processor)", options->jobs);
      return FALSE;
    }
  return TRUE;
}

/* Sweep state */

typedef struct
{
  TlSweepJob        job;       /* base scenario and plan, for the workers */
  const TlScenario *base;
  TlSweepPlan      *plan;
  TlSweepRowWriter *csv_rows;
  TlSweepRowWriter *jsonl_rows;
  TlSweepOutput    *csv;
  TlSweepOutput    *jsonl;
  TlOutcomeMap     *map;
  TlSweepProgress  *progress;
  GString          *buffer;
  guint64           category_runs[TL_MAP_N_CATEGORIES];
  guint64           n_truncated;
} Sweep;

static gpointer
sweep_worker_new (gpointer user_data)
{
  Sweep *sweep = user_data;

  return tl_sweep_job_worker_new (&sweep->job);
}

static gboolean
write_rows (TlSweepOutput       *output,
            TlSweepRowWriter    *rows,
            GString             *buffer,
            const TlSweepResult *results,
            guint                n,
            GError             **error)
{
  if (output == NULL)
    return TRUE;
  g_string_truncate (buffer, 0);
  for (guint i = 0; i < n; i++)
    tl_sweep_row_write (rows, &results[i], buffer);
  /* Flushed at once: an interrupted or killed sweep keeps these rows. */
  return tl_sweep_output_write (output, buffer->str, buffer->len, error)
         && tl_sweep_output_flush (output, error);
}

static gboolean
emit_results (guint64              first,
              const TlSweepResult *results,
              guint                n,
              gpointer             user_data,
              GError             **error)
{
  Sweep *sweep = user_data;

  if (!write_rows (sweep->csv, sweep->csv_rows, sweep->buffer, results, n, error)
      || !write_rows (sweep->jsonl, sweep->jsonl_rows, sweep->buffer, results, n, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const TlOutcome *outcome = &results[i].outcome;

      sweep->category_runs[outcome->open * TL_N_CLOSE_OUTCOMES + outcome->close]++;
      sweep->n_truncated += results[i].truncated ? 1 : 0;
      if (sweep->map != NULL)
        tl_sweep_map_add (sweep->map, sweep->plan, &results[i]);
    }
  return TRUE;
}

static void
show_progress (guint64  done,
               guint64  total,
               gpointer user_data)
{
  Sweep *sweep = user_data;

  tl_sweep_progress_update (sweep->progress, done, total);
}

/* Setting up */

static TlScenario *
load_scenario (const char          *path,
               const SweepOptions  *options,
               GError             **error)
{
  g_autoptr(GError) load_error = NULL;
  g_autoptr(TlScenario) scenario = tl_scenario_load (path, &load_error);

  /* Whatever is wrong with the file itself is bad input (exit 3). */
  if (scenario == NULL)
    {
      g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT, load_error->message);
      return NULL;
    }
  for (guint i = 0; options->sets != NULL && options->sets[i] != NULL; i++)
    {
      const char *equals = strchr (options->sets[i], '=');
      g_autofree char *key = NULL;
      g_autoptr(GError) local_error = NULL;

      if (equals == NULL)
        {
          g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                       "--set %s: expected KEY=VALUE", options->sets[i]);
          return NULL;
        }
      key = g_strndup (options->sets[i], (gsize) (equals - options->sets[i]));
      if (!tl_scenario_set (scenario, key, equals + 1, &local_error))
        {
          g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE, "--set %s: %s",
                       options->sets[i], local_error->message);
          return NULL;
        }
    }
  if (options->sets != NULL && !tl_scenario_validate (scenario, &load_error))
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE, "after --set: %s",
                   load_error->message);
      return NULL;
    }
  return g_steal_pointer (&scenario);
}

static TlSweepPlan *
build_plan (SweepOptions  *options,
            GError       **error)
{
  g_autoptr(TlSweepPlan) plan = tl_sweep_plan_new ();

  for (guint i = 0; i < options->axes->len; i++)
    if (!tl_sweep_plan_add_axis (plan, g_ptr_array_steal_index (options->axes, i--), error))
      return NULL;
  if (options->seeds != NULL)
    {
      guint64 n_seeds;

      if (!g_ascii_string_to_unsigned (options->seeds, 10, 1, TL_SWEEP_MAX_AXIS_VALUES,
                                       &n_seeds, NULL))
        {
          g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                       "--seeds %s: expected a count from 1 to %" G_GUINT64_FORMAT,
                       options->seeds, TL_SWEEP_MAX_AXIS_VALUES);
          return NULL;
        }
      if (!tl_sweep_plan_add_axis (plan, tl_sweep_axis_new_seeds (n_seeds), error))
        return NULL;
    }
  if (plan->axes->len == 0)
    {
      g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                           "nothing to sweep: give --vary, --offset or --seeds");
      return NULL;
    }
  if (options->shard != NULL && !tl_sweep_plan_set_shard (plan, options->shard, error))
    return NULL;
  return g_steal_pointer (&plan);
}

/* Fails before any work when the first or last point is not a valid
 * scenario: bad ranges show up at once, not after an hour. */
static gboolean
check_extreme_points (const Sweep  *sweep,
                      GError      **error)
{
  guint64 points[2] = { 0, sweep->plan->n_points - 1 };

  for (guint i = 0; i < G_N_ELEMENTS (points); i++)
    {
      g_autoptr(TlScenario) scenario = tl_sweep_job_scenario (&sweep->job, points[i], error);

      if (scenario == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
check_output_options (const SweepOptions  *options,
                      GError             **error)
{
  if (options->csv_path != NULL && options->jsonl_path != NULL
      && strcmp (options->csv_path, "-") == 0 && strcmp (options->jsonl_path, "-") == 0)
    {
      g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                           "--csv - and --jsonl - cannot both go to standard output");
      return FALSE;
    }
  if (options->map_path != NULL && !tl_outcome_map_path_supported (options->map_path))
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                   "--map %s: the map is written as .svg, .png or .pdf", options->map_path);
      return FALSE;
    }
  if (options->map_path != NULL && options->shard != NULL)
    {
      g_set_error_literal (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                           "--map with --shard would draw a slice: write --csv or --jsonl and "
                           "draw the map when merging (tcpladder merge --map)");
      return FALSE;
    }
  return TRUE;
}

static char *
map_caption (const TlScenario   *base,
             const TlSweepPlan  *plan)
{
  g_autofree char *description = tl_scenario_describe (base);
  GString *caption = g_string_new (NULL);

  /* The swept values override the base ones: say which is which. */
  if (description != NULL && *description)
    g_string_append_printf (caption, "Base scenario: %s\n", description);
  g_string_append (caption, "Swept:");
  for (guint a = 0; a < plan->axes->len; a++)
    {
      const TlSweepAxis *axis = g_ptr_array_index (plan->axes, a);

      g_string_append_printf (caption, "%s %s", a > 0 ? "," : "", axis->option);
    }
  return g_string_free (caption, FALSE);
}

static gboolean
open_outputs (Sweep               *sweep,
              const SweepOptions  *options,
              GError             **error)
{
  const char *host_names[TL_MAX_HOSTS];
  g_autoptr(GString) header = g_string_new (NULL);

  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    host_names[h] = sweep->base->hosts[h].name;
  if (options->csv_path != NULL)
    {
      sweep->csv_rows = tl_sweep_row_writer_new (sweep->plan, host_names, TL_SWEEP_FORMAT_CSV);
      sweep->csv = tl_sweep_output_open (options->csv_path, error);
      if (sweep->csv == NULL)
        return FALSE;
      tl_sweep_row_write_header (sweep->csv_rows, header);
      if (!tl_sweep_output_write (sweep->csv, header->str, header->len, error)
          || !tl_sweep_output_flush (sweep->csv, error))
        return FALSE;
    }
  if (options->jsonl_path != NULL)
    {
      sweep->jsonl_rows = tl_sweep_row_writer_new (sweep->plan, host_names,
                                                   TL_SWEEP_FORMAT_JSONL);
      sweep->jsonl = tl_sweep_output_open (options->jsonl_path, error);
      if (sweep->jsonl == NULL)
        return FALSE;
      /* The first line says what was swept (tl-sweep-source.h). */
      {
        g_autofree char *line = tl_sweep_source_to_line (sweep->base, sweep->plan);

        g_string_assign (header, line);
        g_string_append_c (header, '\n');
        if (!tl_sweep_output_write (sweep->jsonl, header->str, header->len, error)
            || !tl_sweep_output_flush (sweep->jsonl, error))
          return FALSE;
      }
    }
  return TRUE;
}

static gboolean
commit_outputs (Sweep   *sweep,
                GError **error)
{
  gboolean ok = TRUE;

  if (sweep->csv != NULL)
    ok = tl_sweep_output_commit (g_steal_pointer (&sweep->csv), error);
  if (sweep->jsonl != NULL)
    {
      if (ok)
        ok = tl_sweep_output_commit (g_steal_pointer (&sweep->jsonl), error);
      else
        tl_sweep_output_abort (g_steal_pointer (&sweep->jsonl));
    }
  return ok;
}

static void
sweep_clear (Sweep *sweep)
{
  tl_sweep_output_abort (sweep->csv);
  tl_sweep_output_abort (sweep->jsonl);
  g_clear_pointer (&sweep->csv_rows, tl_sweep_row_writer_free);
  g_clear_pointer (&sweep->jsonl_rows, tl_sweep_row_writer_free);
  g_clear_pointer (&sweep->map, tl_outcome_map_free);
  g_clear_pointer (&sweep->plan, tl_sweep_plan_free);
  g_clear_pointer (&sweep->progress, tl_sweep_progress_free);
  if (sweep->buffer != NULL)
    g_string_free (sweep->buffer, TRUE);
}

static char *
category_label (guint category)
{
  TlOpenOutcome open = (TlOpenOutcome) (category / TL_N_CLOSE_OUTCOMES);
  TlCloseOutcome close = (TlCloseOutcome) (category % TL_N_CLOSE_OUTCOMES);

  if (close == TL_CLOSE_NONE)
    return g_strdup (tl_open_outcome_to_string (open));
  return g_strdup_printf ("%s, %s", tl_open_outcome_to_string (open),
                          tl_close_outcome_to_string (close));
}

static void
print_summary (const Sweep *sweep,
               FILE        *out,
               guint64      n_done,
               double       seconds,
               guint        n_threads)
{
  g_autofree char *rate = tl_sweep_format_rate (seconds > 0 ? (double) n_done / seconds : 0);

  fprintf (out, "%" G_GUINT64_FORMAT " runs in %.2f s (%s runs/s, %u thread%s)\n", n_done,
           seconds, rate, n_threads, n_threads == 1 ? "" : "s");
  for (guint c = 0; c < TL_MAP_N_CATEGORIES; c++)
    if (sweep->category_runs[c] > 0)
      {
        g_autofree char *label = category_label (c);

        fprintf (out, "  %-48s %10" G_GUINT64_FORMAT "  %5.1f%%\n", label,
                 sweep->category_runs[c],
                 100.0 * (double) sweep->category_runs[c] / (double) MAX (n_done, 1));
      }
  if (sweep->n_truncated > 0)
    fprintf (out, "  %" G_GUINT64_FORMAT " runs hit the scenario's event limit (truncated)\n",
             sweep->n_truncated);
}

static int
sweep_main (SweepOptions *options,
            const char   *scenario_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) base = NULL;
  Sweep sweep = { 0 };
  TlSweepRunConfig config = { 0 };
  SavedSignals saved;
  TlSweepRunStatus status;
  guint64 n_done = 0;
  gint64 start;
  double seconds;
  gboolean to_stdout = (options->csv_path != NULL && strcmp (options->csv_path, "-") == 0)
                       || (options->jsonl_path != NULL && strcmp (options->jsonl_path, "-") == 0);
  guint n_threads = options->jobs > 0 ? (guint) options->jobs : g_get_num_processors ();
  gboolean caught = FALSE;
  int code = TL_EXIT_OK;

  if (!check_output_options (options, &error)
      || (sweep.plan = build_plan (options, &error)) == NULL)
    goto failed;
  base = load_scenario (scenario_path, options, &error);
  if (base == NULL)
    goto failed;
  sweep.base = base;
  sweep.job.base = base;
  sweep.job.plan = sweep.plan;
  if (!check_extreme_points (&sweep, &error))
    goto failed;
  if (options->map_path != NULL)
    {
      g_autofree char *caption = map_caption (base, sweep.plan);
      const char *title = options->title != NULL ? options->title
                          : base->name != NULL ? base->name : scenario_path;

      sweep.map = tl_sweep_map_new (sweep.plan, title, caption, &error);
      if (sweep.map == NULL)
        goto failed;
    }
  /* From the first temporary file on, Ctrl-C must end cleanly. */
  catch_stop_signals (&saved);
  caught = TRUE;
  if (!open_outputs (&sweep, options, &error))
    goto failed;

  sweep.buffer = g_string_new (NULL);
  if (!options->quiet)
    sweep.progress = tl_sweep_progress_new (stderr);
  config.n_threads = n_threads;
  config.n_points = tl_sweep_plan_get_n_local (sweep.plan);
  config.user_data = &sweep;
  /* The workers get the job; emit and progress the whole sweep. */
  config.worker_new = sweep_worker_new;
  config.worker_free = tl_sweep_job_worker_free;
  config.run_point = tl_sweep_job_run_point;
  config.emit = emit_results;
  config.progress = show_progress;
  config.stop = &stop_signal;

  start = g_get_monotonic_time ();
  status = tl_sweep_run (&config, &n_done, &error);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  g_clear_pointer (&sweep.progress, tl_sweep_progress_free);

  if (status == TL_SWEEP_RUN_FAILED)
    goto failed;
  /* Stopped or done: what was written is complete rows, in order. */
  if (!commit_outputs (&sweep, &error))
    goto failed;
  if (sweep.map != NULL && !tl_outcome_map_save (sweep.map, options->map_path, &error))
    goto failed;
  if (status == TL_SWEEP_RUN_STOPPED)
    {
      tl_cli_error ("sweep", "interrupted after %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT
                    " runs; the outputs hold those rows", n_done, config.n_points);
      code = stop_signal == SIGTERM ? 128 + SIGTERM : TL_EXIT_INTERRUPTED;
    }
  if (!options->quiet)
    print_summary (&sweep, to_stdout ? stderr : stdout, n_done, seconds,
                   (guint) MIN ((guint64) n_threads, MAX (config.n_points, 1)));
  sweep_clear (&sweep);
  restore_signals (&saved);
  return code;

failed:
  tl_cli_error ("sweep", "%s", error->message);
  code = exit_code_for (error);
  sweep_clear (&sweep);
  if (caught)
    restore_signals (&saved);
  return code;
}

/* GOption wants "-j 4"; people type "-j4" as for make. */
static GPtrArray *
split_glued_jobs (int    argc,
                  char **argv)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; i < argc; i++)
    {
      const char *arg = argv[i];

      if (i > 0 && g_str_has_prefix (arg, "-j") && g_ascii_isdigit (arg[2]))
        {
          g_ptr_array_add (args, g_strdup ("-j"));
          g_ptr_array_add (args, g_strdup (arg + 2));
        }
      else
        g_ptr_array_add (args, g_strdup (arg));
      if (strcmp (arg, "--") == 0)
        {
          for (i++; i < argc; i++)
            g_ptr_array_add (args, g_strdup (argv[i]));
          break;
        }
    }
  g_ptr_array_add (args, NULL);
  return args;
}

int
tl_cli_sweep (int    argc,
              char **argv)
{
  SweepOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) args = split_glued_jobs (argc, argv);
  /* GOption reorders and removes entries: parse a copy of the pointers. */
  g_autofree char **parse_argv = g_memdup2 (args->pdata, sizeof (char *) * args->len);
  int code;

  argc = (int) args->len - 1;
  argv = parse_argv;
  options.axes = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_sweep_axis_free);
  if (!parse_sweep_options (&argc, &argv, &options, &error))
    {
      tl_cli_error ("sweep", "%s", error->message);
      sweep_options_clear (&options);
      return TL_EXIT_USAGE;
    }
  code = sweep_main (&options, argv[1]);
  sweep_options_clear (&options);
  return code;
}

/* Merge */

static const char merge_description[] =
  "Joins the CSV or JSON-lines outputs of the shards of one sweep (tcpladder\n"
  "sweep --shard I/N) into OUT, byte for byte what the unsharded sweep\n"
  "writes.  Fails if the inputs come from different sweeps, if a point\n"
  "appears twice or, without --partial, if a point is missing.  With --map\n"
  "it also draws the outcome map (OUT the same as a single IN just draws it).\n"
  "OUT may be one of the inputs, or - for standard output.";

int
tl_cli_merge (int    argc,
              char **argv)
{
  g_autofree char *map_path = NULL;
  g_autofree char *title = NULL;
  gboolean partial = FALSE;
  const GOptionEntry entries[] = {
    { "map", 0, 0, G_OPTION_ARG_FILENAME, &map_path,
      "Also draw the outcome map (.svg, .png or .pdf)", "FILE" },
    { "title", 0, 0, G_OPTION_ARG_STRING, &title, "Title of the map", "TEXT" },
    { "partial", 0, 0, G_OPTION_ARG_NONE, &partial,
      "Merge even if points are missing (interrupted shards)", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("OUT IN...");
  g_autoptr(GError) error = NULL;
  g_autoptr(TlSweepTable) table = tl_sweep_table_new ();
  g_autoptr(TlOutcomeMap) map = NULL;
  TlSweepFormat out_format;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Join the outputs of sharded sweeps.");
  g_option_context_set_description (context, merge_description);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      tl_cli_error ("merge", "%s", error->message);
      return TL_EXIT_USAGE;
    }
  if (argc < 3)
    {
      tl_cli_error ("merge", "expected OUT and at least one IN (tcpladder merge all.csv "
                    "shard-*.csv)");
      return TL_EXIT_USAGE;
    }
  if (map_path != NULL && !tl_outcome_map_path_supported (map_path))
    {
      tl_cli_error ("merge", "--map %s: the map is written as .svg, .png or .pdf", map_path);
      return TL_EXIT_USAGE;
    }

  for (int i = 2; i < argc; i++)
    if (!tl_sweep_table_add_file (table, argv[i], &error))
      goto failed;
  if (!tl_sweep_table_finish (table, partial, &error))
    goto failed;
  if (strcmp (argv[1], "-") != 0 && tl_sweep_format_from_path (argv[1], &out_format)
      && out_format != tl_sweep_table_get_format (table))
    {
      tl_cli_error ("merge", "%s: the inputs are %s; name the output accordingly", argv[1],
                    tl_sweep_table_get_format (table) == TL_SWEEP_FORMAT_CSV ? "CSV"
                                                                           : "JSON lines");
      return TL_EXIT_USAGE;
    }
  if (map_path != NULL)
    {
      map = tl_sweep_table_to_map (table, &error);
      if (map == NULL)
        goto failed;
      g_autoptr(GString) caption = g_string_new ("Merged from");

      for (int i = 2; i < argc; i++)
        g_string_append_printf (caption, "%s %s", i > 2 ? "," : "", argv[i]);
      tl_outcome_map_set_title (map, title != NULL ? title : "Outcome map", caption->str);
    }
  if (!tl_sweep_table_write (table, argv[1], &error))
    goto failed;
  if (map != NULL && !tl_outcome_map_save (map, map_path, &error))
    goto failed;
  return TL_EXIT_OK;

failed:
  tl_cli_error ("merge", "%s", error->message);
  return exit_code_for (error);
}

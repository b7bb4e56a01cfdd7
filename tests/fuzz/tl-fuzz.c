/* tl-fuzz.c: what each fuzz target does with its input (see tl-fuzz.h).
 *
 * Loaders that only read files (pcaps, bundles) get the input written to a
 * private directory made once per process; everything else is fed from
 * memory.  Runs of accepted scenarios are capped at FUZZ_MAX_EVENTS so one
 * input cannot take seconds; the cap is the scenario's own max-events
 * guard, so the capped path is the one users reach too.
 */
#include "tl-fuzz.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "tl-bundle.h"
#include "tl-io-error.h"
#include "tl-json.h"
#include "tl-outcome.h"
#include "tl-pcap.h"
#include "tl-scenario.h"
#include "tl-sweep-axis.h"
#include "tl-sweep-error.h"
#include "tl-sweep-job.h"
#include "tl-sweep-map.h"
#include "tl-sweep-plan.h"
#include "tl-sweep-source.h"
#include "tl-sweep-table.h"
#include "tl-text-ladder.h"
#include "tl-trace-equal.h"

#ifndef TL_FUZZ_DEFAULT_SCENARIO
#error "TL_FUZZ_DEFAULT_SCENARIO must name the default scenario file"
#endif

#define FUZZ_MAX_EVENTS   2000
/* --set lines read from one input: more finds nothing new, only slows. */
#define FUZZ_MAX_SETS     8

/* ---- shared helpers ---- */

/* The private directory inputs are written to, made on first use. */
static const char *
work_dir (void)
{
  static char *dir = NULL;

  if (dir == NULL)
    {
      g_autoptr(GError) error = NULL;
      dir = g_dir_make_tmp ("tl-fuzz-XXXXXX", &error);
      if (dir == NULL)
        g_error ("cannot make a temporary directory: %s", error->message);
    }
  return dir;
}

static void
write_file (const char   *path,
            const guint8 *data,
            gsize         size)
{
  FILE *file = fopen (path, "wb");

  if (file == NULL || (size > 0 && fwrite (data, 1, size, file) != size) || fclose (file) != 0)
    g_error ("cannot write %s: %s", path, g_strerror (errno));
}

static const TlScenario *
default_scenario (void)
{
  static TlScenario *scenario = NULL;

  if (scenario == NULL)
    {
      g_autoptr(GError) error = NULL;
      scenario = tl_scenario_load (TL_FUZZ_DEFAULT_SCENARIO, &error);
      if (scenario == NULL)
        g_error ("cannot load the default scenario: %s", error->message);
    }
  return scenario;
}

/* What a user does with a trace once it is loaded: classify it, print it
 * as a ladder, save it as JSON and load that back unchanged. */
static void
use_trace (const TlTrace *trace)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) why = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlTrace) again = NULL;
  g_autofree char *json = NULL;
  TlRenderOptions options;
  TlOutcome outcome;

  tl_outcome_classify (trace, &outcome);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    g_free (tl_outcome_describe_host (trace, &outcome, h));
  tl_render_options_init (&options);
  tl_text_ladder_render (trace, &options, out);

  json = tl_trace_to_json (trace);
  again = tl_trace_parse_json (json, -1, "written.json", &error);
  if (again == NULL)
    g_error ("a trace written as JSON does not load back: %s", error->message);
  if (!tl_trace_equal (trace, again, why))
    g_error ("a trace written as JSON loads back different: %s", why->str);
}

/* Saving a scenario and opening the file again gives the same scenario:
 * the GUI's Save must never write a file that Open refuses. */
static void
check_round_trip (const TlScenario *scenario)
{
  g_autofree char *text = tl_scenario_to_string (scenario);
  g_autofree char *text2 = NULL;
  g_autoptr(TlScenario) again = NULL;
  g_autoptr(TlScenario) copy = tl_scenario_copy (scenario);
  g_autoptr(GError) error = NULL;

  again = tl_scenario_parse (text, -1, "saved.scn", &error);
  if (again == NULL)
    g_error ("a saved scenario does not load back: %s\n--- saved text ---\n%s", error->message, text);
  text2 = tl_scenario_to_string (again);
  if (strcmp (text, text2) != 0)
    g_error ("a saved scenario loads back different:\n--- first ---\n%s\n--- second ---\n%s",
             text, text2);
  g_free (tl_scenario_describe (copy));
}

static void
run_capped (TlScenario *scenario)
{
  g_autoptr(TlTrace) trace = tl_trace_new ();

  scenario->max_events = MIN (scenario->max_events, FUZZ_MAX_EVENTS);
  tl_scenario_run (scenario, trace);
  use_trace (trace);
}

/* ---- scenario files ---- */

gboolean
tl_fuzz_scenario (const guint8  *data,
                  gsize          size,
                  GError       **error)
{
  g_autoptr(TlScenario) scenario = tl_scenario_parse ((const char *) data, (gssize) size,
                                                      "fuzz.scn", error);

  if (scenario == NULL)
    return FALSE;
  check_round_trip (scenario);
  run_capped (scenario);
  return TRUE;
}

/* ---- --set KEY=VALUE ---- */

gboolean
tl_fuzz_set (const guint8  *data,
             gsize          size,
             GError       **error)
{
  g_autoptr(TlScenario) scenario = tl_scenario_copy (default_scenario ());
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_auto(GStrv) lines = NULL;

  /* Command-line arguments are NUL-free, and GOption hands over UTF-8. */
  if (memchr (data, '\0', size) != NULL || !g_utf8_validate (text, -1, NULL))
    return TRUE;
  lines = g_strsplit (text, "\n", FUZZ_MAX_SETS + 1);
  for (guint i = 0; lines[i] != NULL && i < FUZZ_MAX_SETS; i++)
    {
      const char *eq = strchr (lines[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL)
        continue;   /* the CLI refuses these itself, before any set */
      key = g_strndup (lines[i], (gsize) (eq - lines[i]));
      if (!tl_scenario_set (scenario, key, eq + 1, error))
        return FALSE;
    }
  if (!tl_scenario_validate (scenario, error))
    return FALSE;
  check_round_trip (scenario);
  run_capped (scenario);
  return TRUE;
}

/* ---- --vary and --offset ---- */

gboolean
tl_fuzz_vary (const guint8  *data,
              gsize          size,
              GError       **error)
{
  g_autofree char *text = NULL;
  g_autoptr(TlSweepPlan) plan = tl_sweep_plan_new ();
  TlSweepAxisKind kind;
  TlSweepAxis *axis;
  guint64 n;

  if (size == 0)
    return TRUE;
  /* The first byte picks the option; the rest is its argument. */
  kind = (data[0] & 1) ? TL_SWEEP_AXIS_OFFSET : TL_SWEEP_AXIS_VARY;
  text = g_strndup ((const char *) data + 1, size - 1);
  if (memchr (data + 1, '\0', size - 1) != NULL || !g_utf8_validate (text, -1, NULL))
    return TRUE;

  axis = tl_sweep_axis_parse (kind, text, error);
  if (axis == NULL)
    return FALSE;
  g_free (tl_sweep_axis_column (axis));
  if (!tl_sweep_plan_add_axis (plan, axis, error))
    return FALSE;
  n = plan->n_points;
  for (guint i = 0; i < 3; i++)
    {
      /* First, last and middle point, on a fresh scenario each. */
      guint64 point = i == 0 ? 0 : i == 1 ? n - 1 : n / 2;
      g_autoptr(TlScenario) scenario = tl_scenario_copy (default_scenario ());

      if (!tl_sweep_plan_apply (plan, point, scenario, error)
          || !tl_scenario_validate (scenario, error))
        return FALSE;
      if (i == 0)
        run_capped (scenario);
    }
  return TRUE;
}

/* ---- JSON traces ---- */

gboolean
tl_fuzz_json (const guint8  *data,
              gsize          size,
              GError       **error)
{
  g_autoptr(TlTrace) trace = tl_trace_parse_json ((const char *) data, (gssize) size,
                                                  "fuzz.json", error);

  if (trace == NULL)
    return FALSE;
  use_trace (trace);
  return TRUE;
}

/* ---- pcap and pcapng ---- */

gboolean
tl_fuzz_pcap (const guint8  *data,
              gsize          size,
              GError       **error)
{
  g_autofree char *path = g_build_filename (work_dir (), "fuzz-input.pcap", NULL);
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(TlTrace) pair = NULL;

  write_file (path, data, size);
  trace = tl_pcap_load (path, error);
  if (trace == NULL)
    return FALSE;
  use_trace (trace);
  /* Loaded as both vantage points of a pair: every packet is matched. */
  pair = tl_pcap_load_pair (path, path, error);
  if (pair == NULL)
    return FALSE;
  use_trace (pair);
  return TRUE;
}

/* ---- capture bundles ----
 *
 * The input is a bundle packed into one file: sections that each start
 * with a line "@@ NAME" (at the start of the input or after a newline)
 * and hold that file's bytes up to the newline before the next section.
 * NAME is one of the bundle's files; others are ignored.  A file without
 * a section is absent from the bundle. */

static const char * const bundle_files[] = {
  "meta.json", "host-A.pcap", "host-B.pcap", "router.jsonl", "calls.jsonl", "states.jsonl",
};

/* The name of the section after P ("@@ NAME" at P or after a newline
 * from P on), or NULL. */
static const guint8 *
next_section (const guint8 *start,
              const guint8 *p,
              const guint8 *end)
{
  if (p == start && end - p >= 3 && memcmp (p, "@@ ", 3) == 0)
    return p + 3;
  for (; end - p >= 4; p++)
    if (memcmp (p, "\n@@ ", 4) == 0)
      return p + 4;
  return NULL;
}

gboolean
tl_fuzz_bundle (const guint8  *data,
                gsize          size,
                GError       **error)
{
  g_autofree char *dir = g_build_filename (work_dir (), "fuzz-bundle", NULL);
  const guint8 *end = data + size, *name;
  g_autoptr(TlTrace) trace = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    g_error ("cannot make %s: %s", dir, g_strerror (errno));
  for (guint i = 0; i < G_N_ELEMENTS (bundle_files); i++)
    {
      g_autofree char *path = g_build_filename (dir, bundle_files[i], NULL);
      g_unlink (path);
    }
  name = next_section (data, data, end);
  while (name != NULL)
    {
      const guint8 *name_end = memchr (name, '\n', (gsize) (end - name));
      const guint8 *body, *next, *body_end;
      g_autofree char *name_text = NULL;

      if (name_end == NULL)
        break;
      body = name_end + 1;
      next = next_section (data, name_end, end);
      body_end = next != NULL ? next - 4 : end;
      name_text = g_strndup ((const char *) name, (gsize) (name_end - name));
      for (guint i = 0; i < G_N_ELEMENTS (bundle_files); i++)
        if (strcmp (name_text, bundle_files[i]) == 0)
          {
            g_autofree char *path = g_build_filename (dir, bundle_files[i], NULL);
            write_file (path, body, body_end > body ? (gsize) (body_end - body) : 0);
          }
      name = next;
    }

  trace = tl_bundle_load (dir, error);
  if (trace == NULL)
    return FALSE;
  use_trace (trace);
  return TRUE;
}

/* ---- sweep output ---- */

/* What `tcpladder merge` and tcpladder-gtk do with a sweep's rows: read
 * and order them, rebuild the sweep from its describing line (the app's
 * map, every row's outcome on it, the run of the first point), or draw
 * the map from the rows alone, and write them again. */
gboolean
tl_fuzz_sweep (const guint8  *data,
               gsize          size,
               GError       **error)
{
  g_autofree char *path = g_build_filename (work_dir (), "fuzz-sweep.jsonl", NULL);
  g_autofree char *out = g_build_filename (work_dir (), "fuzz-sweep-merged", NULL);
  g_autoptr(TlSweepTable) table = tl_sweep_table_new ();
  g_autoptr(TlSweepSource) source = NULL;
  g_autoptr(TlOutcomeMap) map = NULL;
  g_autoptr(GError) local = NULL;
  const char *line;

  write_file (path, data, size);
  if (!tl_sweep_table_add_file (table, path, error) || !tl_sweep_table_finish (table, TRUE, error))
    return FALSE;
  line = tl_sweep_table_get_source_line (table);
  if (line != NULL)
    {
      TlSweepJob job;
      g_autoptr(TlScenario) first = NULL;

      source = tl_sweep_source_parse (line, strlen (line), path, error);
      if (source == NULL)
        return FALSE;
      job.base = source->base;
      job.plan = source->plan;
      first = tl_sweep_job_scenario (&job, 0, &local);
      if (first == NULL)
        g_error ("the describing line was read, but its first point fails: %s", local->message);
      run_capped (first);
      map = tl_sweep_map_new (source->plan, "fuzz", NULL, NULL);
    }
  else
    map = tl_sweep_table_to_map (table, NULL);
  for (guint r = 0; r < tl_sweep_table_get_n_rows (table); r++)
    {
      TlSweepResult result = { 0 };

      if (!tl_sweep_table_get_outcome (table, r, &result.point, &result.outcome.open,
                                       &result.outcome.close, &local))
        g_error ("row %u was read, but its outcome is not: %s", r, local->message);
      if (map != NULL && source != NULL)
        {
          if (result.point >= source->plan->n_points)
            g_error ("row %u: point %" G_GUINT64_FORMAT " is beyond the sweep", r, result.point);
          tl_sweep_map_add (map, source->plan, &result);
        }
    }
  if (!tl_sweep_table_write (table, out, &local))
    g_error ("rows that were read cannot be written: %s", local->message);
  return TRUE;
}

/* ---- checking a rejection ---- */

const TlFuzzTarget tl_fuzz_targets[] = {
  { "scenario", tl_fuzz_scenario, "fuzz.scn:" },
  { "set",      tl_fuzz_set,      NULL },
  { "vary",     tl_fuzz_vary,     NULL },
  { "json",     tl_fuzz_json,     "fuzz.json" },
  { "pcap",     tl_fuzz_pcap,     "fuzz-input.pcap" },
  { "bundle",   tl_fuzz_bundle,   "fuzz-bundle" },
  { "sweep",    tl_fuzz_sweep,    "fuzz-sweep.jsonl" },
  { NULL, NULL, NULL },
};

const TlFuzzTarget *
tl_fuzz_target_lookup (const char *name)
{
  for (const TlFuzzTarget *t = tl_fuzz_targets; t->name != NULL; t++)
    if (strcmp (t->name, name) == 0)
      return t;
  return NULL;
}

static gboolean
expected_domain (const TlFuzzTarget *target,
                 GQuark              domain)
{
  if (strcmp (target->name, "scenario") == 0 || strcmp (target->name, "set") == 0)
    return domain == TL_SCENARIO_ERROR;
  if (strcmp (target->name, "vary") == 0)
    return domain == TL_SWEEP_ERROR || domain == TL_SCENARIO_ERROR;
  if (strcmp (target->name, "sweep") == 0)
    return domain == TL_SWEEP_ERROR;
  return domain == TL_IO_ERROR;
}

gboolean
tl_fuzz_check_error (const TlFuzzTarget *target,
                     gboolean            ok,
                     const GError       *error,
                     char              **why)
{
  if (ok && error != NULL)
    *why = g_strdup_printf ("accepted the input but set an error: %s", error->message);
  else if (!ok && error == NULL)
    *why = g_strdup ("refused the input without an error");
  else if (ok)
    return TRUE;
  else if (!expected_domain (target, error->domain))
    *why = g_strdup_printf ("error from the unexpected domain %s: %s",
                            g_quark_to_string (error->domain), error->message);
  else if (error->message == NULL || error->message[0] == '\0')
    *why = g_strdup ("an empty error message");
  else if (!g_utf8_validate (error->message, -1, NULL))
    *why = g_strdup ("an error message that is not UTF-8");
  else if (target->label != NULL && strstr (error->message, target->label) == NULL)
    *why = g_strdup_printf ("an error message that does not name the input (%s): %s",
                            target->label, error->message);
  else
    return TRUE;
  return FALSE;
}

void
tl_fuzz_run_one (const char   *name,
                 const guint8 *data,
                 gsize         size)
{
  const TlFuzzTarget *target = tl_fuzz_target_lookup (name);
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;
  gboolean ok;

  g_assert (target != NULL);
  ok = target->entry (data, size, &error);
  /* TL_FUZZ_VERBOSE=1 fuzz-TARGET FILE... says what became of each input. */
  if (g_getenv ("TL_FUZZ_VERBOSE") != NULL)
    g_printerr ("fuzz-%s: %s\n", name, ok ? "accepted" : error != NULL ? error->message : "refused");
  if (!tl_fuzz_check_error (target, ok, error, &why))
    g_error ("fuzz-%s: %s", name, why);
}

/* g_error() and fatal criticals stop with SIGTRAP, which libFuzzer does not
 * treat as a crash: make it an abort, so the input is saved. */
static void
abort_on_trap (int signal_number)
{
  abort ();
}

void
tl_fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_ERROR);
  signal (SIGTRAP, abort_on_trap);
}

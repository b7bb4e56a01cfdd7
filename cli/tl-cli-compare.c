/* tl-cli-compare.c: `tcpladder compare A B`, segment by segment.
 *
 * A is the reference, B is checked against it.  Each may be a scenario
 * (simulated here), a JSON trace, a pcap/pcapng or a capture bundle; the
 * kind is found from the content (tl_trace_load_any).  The exit status
 * says whether they match, so scripts and CI can use it directly.
 */
#include "tl-cli.h"

#include <stdio.h>
#include <string.h>

#include "tl-compare.h"
#include "tl-io-error.h"
#include "tl-load.h"
#include "tl-scenario.h"

typedef struct
{
  char     *tolerance;
  char     *relative;
  char     *align;
  char     *profile;
  char     *flow;
  char     *json;
  gboolean  windows;
  gboolean  no_times;
  gboolean  no_states;
  gboolean  all;
  gboolean  quiet;
} CompareArgs;

static void
compare_args_clear (CompareArgs *args)
{
  g_free (args->tolerance);
  g_free (args->relative);
  g_free (args->align);
  g_free (args->profile);
  g_free (args->flow);
  g_free (args->json);
}

/* "1%", "0.5%", "2": a percentage as parts per million, exactly. */
static gboolean
parse_percent (const char *text,
               guint      *ppm)
{
  guint64 whole = 0, frac = 0, scale = 10000;   /* 1 % = 10000 ppm */
  const char *p = text;
  gboolean digits = FALSE;

  for (; g_ascii_isdigit (*p); p++, digits = TRUE)
    {
      whole = whole * 10 + (guint64) (*p - '0');
      if (whole > 100)
        return FALSE;
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++, digits = TRUE)
      if (scale > 1)
        {
          scale /= 10;
          frac += (guint64) (*p - '0') * scale;
        }
  if (*p == '%')
    p++;
  if (!digits || *p != '\0' || whole * 10000 + frac > 1000000)
    return FALSE;
  *ppm = (guint) (whole * 10000 + frac);
  return TRUE;
}

static int
usage_error (GOptionContext *context,
             const char     *format,
             ...) G_GNUC_PRINTF (2, 3);

static int
usage_error (GOptionContext *context,
             const char     *format,
             ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  tl_cli_error ("compare", "%s", message);
  fprintf (stderr, "Try 'tcpladder compare --help'.\n");
  return TL_EXIT_USAGE;
}

/* Turns the command-line strings into compare and load options. */
static int
resolve_options (GOptionContext   *context,
                 const CompareArgs *args,
                 TlCompareOptions *compare,
                 TlLoadOptions    *load)
{
  const char *detail = NULL;
  g_autoptr(GError) error = NULL;

  tl_compare_options_init (compare);
  memset (load, 0, sizeof *load);

  if (args->tolerance != NULL
      && (!tl_time_parse (args->tolerance, &compare->tolerance, &detail)
          || compare->tolerance < 0))
    return usage_error (context, "--tolerance: '%s': %s", args->tolerance,
                        detail != NULL ? detail : "must not be negative");
  if (args->relative != NULL && !parse_percent (args->relative, &compare->tolerance_ppm))
    return usage_error (context, "--relative: '%s' is not a percentage from 0%% to 100%%",
                        args->relative);
  if (args->align != NULL && !tl_compare_align_from_string (args->align, &compare->align))
    return usage_error (context, "--align: '%s' is not auto, zero or first-segment",
                        args->align);
  if (args->profile != NULL)
    {
      TlProfileId id;
      if (!tl_profile_from_string (args->profile, &id))
        return usage_error (context, "--profile: '%s' is not a profile (rfc9293, linux)",
                            args->profile);
      load->profile = args->profile;
    }
  if (args->flow != NULL && !tl_pcap_filter_parse (args->flow, &load->filter, &error))
    return usage_error (context, "--flow: %s", error->message);
  compare->compare_windows = args->windows;
  compare->compare_times = !args->no_times;
  compare->compare_states = !args->no_states;
  return TL_EXIT_OK;
}

static TlTrace *
load_input (const char          *path,
            const TlLoadOptions *load)
{
  g_autoptr(GError) error = NULL;
  TlTrace *trace = tl_trace_load_any_full (path, load, &error);

  if (trace == NULL)
    tl_cli_error ("compare", "%s", error->message);
  return trace;
}

/* Loads A and B into TRACES.  A bare pcap's states are inferred the way
 * the other trace's profile reports them (a Linux simulation against a
 * capture of Linux), unless --profile names one; so pcaps load last. */
static gboolean
load_inputs (char               **inputs,
             const TlLoadOptions *load,
             TlTrace            **traces)
{
  TlInputKind kinds[2];

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      if (!tl_input_detect (inputs[i], &kinds[i], &error))
        {
          tl_cli_error ("compare", "%s", error->message);
          return FALSE;
        }
    }
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < 2; i++)
      {
        TlLoadOptions options = *load;
        const TlTrace *other = traces[1 - i];

        if ((kinds[i] == TL_INPUT_PCAP) != (pass == 1))
          continue;
        if (kinds[i] == TL_INPUT_PCAP && options.profile == NULL && other != NULL)
          options.profile = other->profile;
        /* A scenario compared with a capture bundle is simulated on the
         * bundle's kernel: its sysctls and timer phase. */
        if (kinds[i] == TL_INPUT_SCENARIO && kinds[1 - i] == TL_INPUT_BUNDLE)
          options.settings_from = inputs[1 - i];
        traces[i] = load_input (inputs[i], &options);
        if (traces[i] == NULL)
          return FALSE;
      }
  return TRUE;
}

static int
write_json (const TlCompareResult *result,
            const char            *path)
{
  g_autofree char *json = tl_compare_result_to_json (result);
  g_autoptr(GError) error = NULL;

  if (strcmp (path, "-") == 0)
    {
      if (fputs (json, stdout) == EOF || fflush (stdout) != 0)
        {
          tl_cli_error ("compare", "standard output: write failed");
          return TL_EXIT_OUTPUT;
        }
      return TL_EXIT_OK;
    }
  if (!g_file_set_contents (path, json, -1, &error))
    {
      tl_cli_error ("compare", "%s", error->message);
      return TL_EXIT_OUTPUT;
    }
  return TL_EXIT_OK;
}

int
tl_cli_compare (int    argc,
                char **argv)
{
  CompareArgs args = { 0 };
  g_auto(GStrv) inputs = NULL;
  const GOptionEntry entries[] = {
    { "tolerance", 't', 0, G_OPTION_ARG_STRING, &args.tolerance,
      "Timing tolerance floor (default 2ms)", "DURATION" },
    { "relative", 'r', 0, G_OPTION_ARG_STRING, &args.relative,
      "Tolerance as a share of the time since the origin (default 1%)", "PERCENT" },
    { "align", 0, 0, G_OPTION_ARG_STRING, &args.align,
      "Time origin: auto (default), zero, first-segment", "MODE" },
    { "windows", 'w', 0, G_OPTION_ARG_NONE, &args.windows,
      "Also compare the window of segments other than SYNs", NULL },
    { "no-times", 0, 0, G_OPTION_ARG_NONE, &args.no_times,
      "Do not compare times", NULL },
    { "no-states", 0, 0, G_OPTION_ARG_NONE, &args.no_states,
      "Do not compare TCP states", NULL },
    { "profile", 'p', 0, G_OPTION_ARG_STRING, &args.profile,
      "Profile for simulating scenarios and inferring pcap states (rfc9293, linux; "
      "default: the scenario's, for pcaps the other trace's)", "NAME" },
    { "flow", 0, 0, G_OPTION_ARG_STRING, &args.flow,
      "Conversation to read from pcaps (default: the busiest)", "ADDR:PORT,ADDR:PORT" },
    { "json", 'j', 0, G_OPTION_ARG_FILENAME, &args.json,
      "Write the result as JSON to FILE ('-': standard output, no text diff)", "FILE" },
    { "all", 'a', 0, G_OPTION_ARG_NONE, &args.all,
      "List matching segments and states too", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &args.quiet,
      "Print no diff; the exit status tells", NULL },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &inputs, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("A B");
  g_autoptr(GError) error = NULL;
  TlTrace *traces[2] = { NULL, NULL };
  g_autoptr(TlCompareResult) result = NULL;
  TlCompareOptions compare;
  TlLoadOptions load;
  int status;

  g_option_context_set_summary (context,
    "Compare two traces segment by segment and state by state.\n"
    "\n"
    "A is the reference (expected), B is checked against it (got).  Each is a\n"
    "scenario file (simulated), a JSON trace, a pcap or pcapng capture, or a\n"
    "capture bundle directory; the kind is found from the content.");
  g_option_context_set_description (context,
    "Segments are paired per direction in order, with sequence numbers relative\n"
    "to each side's ISN; flags, seq, ack, length, SYN windows, option kinds and\n"
    "values (MSS, wscale, sackOK, TS presence, SACK blocks) and send times are\n"
    "compared.  A time matches when |t_B - t_A| <= max(tolerance, relative * t_A).\n"
    "See docs/pcap.md.\n"
    "\n"
    "Exit status: 0 the traces match, 1 they differ, 2 bad command line,\n"
    "3 bad or unreadable input, 4 the JSON output could not be written.");
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      status = usage_error (context, "%s", error->message);
      goto out;
    }
  if (inputs == NULL || g_strv_length (inputs) != 2)
    {
      status = usage_error (context, "expected two inputs, A and B, got %u",
                            inputs != NULL ? g_strv_length (inputs) : 0);
      goto out;
    }
  status = resolve_options (context, &args, &compare, &load);
  if (status != TL_EXIT_OK)
    goto out;

  if (!load_inputs (inputs, &load, traces))
    {
      status = TL_EXIT_INPUT;
      goto out;
    }

  result = tl_compare_traces (traces[0], traces[1], &compare);
  if (!args.quiet && g_strcmp0 (args.json, "-") != 0)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      tl_compare_result_format (result, traces[0], traces[1], args.all, text);
      fputs (text->str, stdout);
    }
  if (args.json != NULL)
    {
      status = write_json (result, args.json);
      if (status != TL_EXIT_OK)
        goto out;
    }
  status = tl_compare_result_is_match (result) ? TL_EXIT_OK : TL_EXIT_MISMATCH;

out:
  g_clear_pointer (&traces[0], tl_trace_unref);
  g_clear_pointer (&traces[1], tl_trace_unref);
  compare_args_clear (&args);
  return status;
}

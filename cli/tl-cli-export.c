/* tl-cli-export.c: `tcpladder export FILE -o OUT`: draw a ladder diagram.
 *
 * FILE is a scenario (simulated here, so --set works) or anything
 * tl_trace_load_any() reads: a JSON trace, a pcap, a capture bundle.  The
 * output format comes from OUT's extension or --format.
 */
#include "tl-cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tl-load.h"
#include "tl-render.h"
#include "tl-scenario.h"
#include "tl-text-ladder.h"

typedef struct
{
  char     *output;
  char     *format;
  char     *width;
  char     *height;
  char     *dpi;
  char     *from;
  char     *to;
  char     *theme;
  char     *labels;
  char     *profile;
  char    **sets;
  gboolean  no_compress;
  gboolean  absolute_seq;
  gboolean  show_options;
  gboolean  ascii;
  gboolean  no_title;
  gboolean  no_legend;
} ExportArgs;

static void
export_args_clear (ExportArgs *args)
{
  g_free (args->output);
  g_free (args->format);
  g_free (args->width);
  g_free (args->height);
  g_free (args->dpi);
  g_free (args->from);
  g_free (args->to);
  g_free (args->theme);
  g_free (args->labels);
  g_free (args->profile);
  g_strfreev (args->sets);
}

/* A number within [MIN, MAX]; "auto" or 0 gives 0 when ALLOW_AUTO. */
static gboolean
parse_number (const char *option,
              const char *text,
              double      min,
              double      max,
              gboolean    allow_auto,
              double     *out)
{
  char *end = NULL;
  double value;

  if (allow_auto && g_ascii_strcasecmp (text, "auto") == 0)
    {
      *out = 0;
      return TRUE;
    }
  value = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0' || !(value == value))
    {
      tl_cli_error ("export", "--%s: expected a number%s, got '%s'", option,
                    allow_auto ? " or 'auto'" : "", text);
      return FALSE;
    }
  if (allow_auto && value == 0)
    {
      *out = 0;
      return TRUE;
    }
  if (value < min || value > max)
    {
      tl_cli_error ("export", "--%s: %s is out of range (%g to %g%s)", option, text, min, max,
                    allow_auto ? ", or auto" : "");
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
parse_time (const char *option,
            const char *text,
            TlTime     *out)
{
  const char *detail = NULL;

  if (!tl_time_parse (text, out, &detail))
    {
      tl_cli_error ("export", "--%s: '%s': %s", option, text, detail);
      return FALSE;
    }
  return TRUE;
}

/* Fills OPTIONS and FORMAT from the command line; FALSE after printing
 * what is wrong. */
static gboolean
build_options (const ExportArgs *args,
               TlRenderOptions  *options,
               TlRenderFormat   *format)
{
  tl_render_options_init (options);

  if (args->format != NULL)
    {
      if (!tl_render_format_from_string (args->format, format))
        {
          tl_cli_error ("export", "--format: expected svg, png, pdf or txt, got '%s'", args->format);
          return FALSE;
        }
    }
  else if (g_strcmp0 (args->output, "-") == 0)
    {
      tl_cli_error ("export", "writing to standard output needs --format");
      return FALSE;
    }
  else if (!tl_render_format_from_path (args->output, format))
    {
      tl_cli_error ("export", "cannot tell the format of '%s' from its extension: "
                    "use .svg, .png, .pdf or .txt, or give --format", args->output);
      return FALSE;
    }

  if (args->width != NULL && !parse_number ("width", args->width, 320, 20000, TRUE, &options->width))
    return FALSE;
  if (args->height != NULL && !parse_number ("height", args->height, 200, 30000, TRUE, &options->height))
    return FALSE;
  if (args->dpi != NULL && !parse_number ("dpi", args->dpi, 24, 1200, FALSE, &options->dpi))
    return FALSE;
  if (args->from != NULL && !parse_time ("from", args->from, &options->time_from))
    return FALSE;
  if (args->to != NULL && !parse_time ("to", args->to, &options->time_to))
    return FALSE;
  if (args->from != NULL && args->to != NULL && options->time_to <= options->time_from)
    {
      tl_cli_error ("export", "--to %s must be after --from %s", args->to, args->from);
      return FALSE;
    }
  if (args->theme != NULL && !tl_render_theme_from_string (args->theme, &options->theme))
    {
      tl_cli_error ("export", "--theme: expected light or dark, got '%s'", args->theme);
      return FALSE;
    }
  if (args->labels != NULL && !tl_label_detail_from_string (args->labels, &options->labels))
    {
      tl_cli_error ("export", "--labels: expected none, flags or full, got '%s'", args->labels);
      return FALSE;
    }
  options->compress = !args->no_compress;
  options->seq_mode = args->absolute_seq ? TL_SEQ_ABSOLUTE : TL_SEQ_RELATIVE;
  options->show_options = args->show_options;
  options->ascii = args->ascii;
  options->show_title = !args->no_title;
  options->show_legend = !args->no_legend;
  return TRUE;
}

static TlTrace *
simulate (const char  *path,
          const ExportArgs *args,
          int         *exit_code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) scenario = tl_scenario_load (path, &error);
  TlTrace *trace;

  if (scenario == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      *exit_code = TL_EXIT_INPUT;
      return NULL;
    }
  if (args->profile != NULL)
    {
      TlProfileId profile;
      if (!tl_profile_from_string (args->profile, &profile))
        {
          tl_cli_error ("export", "--profile: expected rfc9293 or linux, got '%s'", args->profile);
          *exit_code = TL_EXIT_USAGE;
          return NULL;
        }
      scenario->profile = profile;
    }
  for (guint i = 0; args->sets != NULL && args->sets[i] != NULL; i++)
    {
      const char *eq = strchr (args->sets[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL)
        {
          tl_cli_error ("export", "--set %s: expected KEY=VALUE", args->sets[i]);
          *exit_code = TL_EXIT_USAGE;
          return NULL;
        }
      key = g_strndup (args->sets[i], (gsize) (eq - args->sets[i]));
      if (!tl_scenario_set (scenario, key, eq + 1, &error))
        {
          tl_cli_error ("export", "--set: %s", error->message);
          *exit_code = TL_EXIT_USAGE;
          return NULL;
        }
    }
  if (!tl_scenario_validate (scenario, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      *exit_code = TL_EXIT_INPUT;
      return NULL;
    }
  trace = tl_trace_new ();
  tl_scenario_run (scenario, trace);
  return trace;
}

static TlTrace *
load_input (const char       *path,
            const ExportArgs *args,
            int              *exit_code)
{
  g_autoptr (GError) error = NULL;
  TlInputKind kind;
  TlLoadOptions load = { 0 };
  TlTrace *trace;

  if (!tl_input_detect (path, &kind, &error))
    {
      tl_cli_error ("export", "%s", error->message);
      *exit_code = TL_EXIT_INPUT;
      return NULL;
    }
  if (kind == TL_INPUT_SCENARIO)
    return simulate (path, args, exit_code);
  if (args->sets != NULL || args->profile != NULL)
    {
      tl_cli_error ("export", "--set and --profile apply to scenarios; '%s' is a %s",
                    path, tl_input_kind_to_string (kind));
      *exit_code = TL_EXIT_USAGE;
      return NULL;
    }
  trace = tl_trace_load_any_full (path, &load, &error);
  if (trace == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      *exit_code = TL_EXIT_INPUT;
    }
  return trace;
}

static gboolean
write_stdout (const void *data,
              gsize       length)
{
  return fwrite (data, 1, length, stdout) == length && fflush (stdout) == 0;
}

static int
export_trace (TlTrace               *trace,
              const TlRenderOptions *options,
              TlRenderFormat         format,
              const char            *output)
{
  g_autoptr (GError) error = NULL;

  if (strcmp (output, "-") != 0)
    {
      if (!tl_render_export (trace, options, output, format, &error))
        {
          tl_cli_error ("export", "%s: %s", output, error->message);
          return g_error_matches (error, TL_RENDER_ERROR, TL_RENDER_ERROR_WRITE) ? TL_EXIT_OUTPUT
                                                                                 : TL_EXIT_USAGE;
        }
      return TL_EXIT_OK;
    }

  if (format == TL_RENDER_FORMAT_TEXT)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      tl_text_ladder_render (trace, options, text);
      return write_stdout (text->str, text->len) ? TL_EXIT_OK : TL_EXIT_OUTPUT;
    }
  {
    g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, options);
    g_autoptr (GBytes) bytes = tl_render_layout_to_bytes (layout, format, &error);
    gsize length;
    gconstpointer data;

    if (bytes == NULL)
      {
        tl_cli_error ("export", "%s", error->message);
        return g_error_matches (error, TL_RENDER_ERROR, TL_RENDER_ERROR_WRITE) ? TL_EXIT_OUTPUT
                                                                               : TL_EXIT_USAGE;
      }
    data = g_bytes_get_data (bytes, &length);
    return write_stdout (data, length) ? TL_EXIT_OK : TL_EXIT_OUTPUT;
  }
}

int
tl_cli_export (int argc, char **argv)
{
  ExportArgs args = { 0 };
  TlRenderOptions options;
  TlRenderFormat format = TL_RENDER_FORMAT_SVG;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = NULL;
  int code = TL_EXIT_OK;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &args.output,
      "Write the picture to FILE (.svg, .png, .pdf or .txt; - for standard output)", "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &args.format,
      "svg, png, pdf or txt, whatever the file name says", "FORMAT" },
    { "width", 'w', 0, G_OPTION_ARG_STRING, &args.width,
      "Width in pixels (1/96 inch), 320 to 20000 (default: 1100)", "PX" },
    { "height", 0, 0, G_OPTION_ARG_STRING, &args.height,
      "Height in pixels, 200 to 30000, or auto: as tall as the ladder needs (default)", "PX" },
    { "dpi", 0, 0, G_OPTION_ARG_STRING, &args.dpi,
      "PNG resolution: 192 doubles the pixels (default 96)", "DPI" },
    { "from", 0, 0, G_OPTION_ARG_STRING, &args.from,
      "Start the picture at this time, e.g. 2.5s or 990ms", "TIME" },
    { "to", 0, 0, G_OPTION_ARG_STRING, &args.to,
      "End the picture at this time", "TIME" },
    { "no-compress", 0, 0, G_OPTION_ARG_NONE, &args.no_compress,
      "Keep idle stretches to scale instead of squeezing them into breaks", NULL },
    { "absolute-seq", 'S', 0, G_OPTION_ARG_NONE, &args.absolute_seq,
      "Absolute sequence numbers (default: relative to each side's ISN)", NULL },
    { "theme", 0, 0, G_OPTION_ARG_STRING, &args.theme,
      "light or dark (default light)", "THEME" },
    { "labels", 0, 0, G_OPTION_ARG_STRING, &args.labels,
      "What arrows say: none, flags or full (default full)", "DETAIL" },
    { "options", 0, 0, G_OPTION_ARG_NONE, &args.show_options,
      "Add the TCP options (mss, sackOK, TS, wscale, sack) to each label", NULL },
    { "ascii", 0, 0, G_OPTION_ARG_NONE, &args.ascii,
      "Text ladder in plain ASCII, no box drawing", NULL },
    { "no-title", 0, 0, G_OPTION_ARG_NONE, &args.no_title,
      "Leave out the title and caption", NULL },
    { "no-legend", 0, 0, G_OPTION_ARG_NONE, &args.no_legend,
      "Leave out the legend (call-outs are still listed)", NULL },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &args.sets,
      "Scenarios: override a value (repeatable), e.g. --set A<->B.delay=20ms", "KEY=VALUE" },
    { "profile", 0, 0, G_OPTION_ARG_STRING, &args.profile,
      "Scenarios: simulate with this profile (rfc9293 or linux)", "NAME" },
    { NULL }
  };

  context = g_option_context_new ("FILE - draw a ladder diagram");
  g_option_context_set_help_enabled (context, TRUE);
  g_option_context_set_summary (context,
    "Draws the ladder diagram of FILE: a scenario (simulated first), a JSON\n"
    "trace, a pcap or a capture bundle.  Segments are slanted arrows from\n"
    "sender to receiver, time flows down, each host has a state timeline.");
  g_option_context_set_description (context,
    "Examples:\n"
    "  tcpladder export data/scenarios/simultaneous-open-router-pause.scn -o open.svg\n"
    "  tcpladder export capture/ -o capture.png --theme dark --dpi 192\n"
    "  tcpladder export run.json -o - --format txt --ascii\n"
    "\n"
    "Exit status: 0 on success, 2 for a bad command line, 3 for an unreadable\n"
    "or bad input, 4 when the output cannot be written.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      tl_cli_error ("export", "%s", error->message);
      export_args_clear (&args);
      return TL_EXIT_USAGE;
    }
  if (argc != 2)
    {
      tl_cli_error ("export", argc < 2 ? "expected an input FILE (see --help)"
                                       : "expected exactly one input FILE (see --help)");
      export_args_clear (&args);
      return TL_EXIT_USAGE;
    }
  if (args.output == NULL)
    {
      tl_cli_error ("export", "missing -o FILE: where should the picture go?");
      export_args_clear (&args);
      return TL_EXIT_USAGE;
    }
  if (!build_options (&args, &options, &format))
    {
      export_args_clear (&args);
      return TL_EXIT_USAGE;
    }

  trace = load_input (argv[1], &args, &code);
  if (trace != NULL)
    code = export_trace (trace, &options, format, args.output);
  export_args_clear (&args);
  return code;
}

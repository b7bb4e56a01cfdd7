/* tl-cli-capture.c: `tcpladder capture [FILE]`: a scenario on real sockets. */
#include "tl-cli.h"

#include <stdio.h>
#include <string.h>

#include "tl-bundle.h"
#include "tl-capture.h"
#include "tl-scenario.h"

static void
print_progress (const char *line,
                gpointer    data)
{
  fprintf (stderr, "tcpladder capture: %s\n", line);
}

static int
exit_code_for (const GError *error)
{
  if (error->domain == TL_CAPTURE_ERROR)
    switch ((TlCaptureError) error->code)
      {
      case TL_CAPTURE_ERROR_ENVIRONMENT: return TL_EXIT_ENVIRONMENT;
      case TL_CAPTURE_ERROR_SCENARIO: return TL_EXIT_INPUT;
      case TL_CAPTURE_ERROR_OUTPUT: return TL_EXIT_OUTPUT;
      case TL_CAPTURE_ERROR_INTERRUPTED: return TL_EXIT_INTERRUPTED;
      case TL_CAPTURE_ERROR_FAILED: return TL_EXIT_ENVIRONMENT;
      default: break;
      }
  return TL_EXIT_ENVIRONMENT;
}

/* "A: CLOSED -> SYN-SENT -> SYN-RECEIVED -> ESTABLISHED" per socket, read
 * back from the bundle just written, so what is printed is what loads. */
static void
print_states (const char *bundle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) trace = tl_bundle_load (bundle, &error);
  GString *paths[TL_MAX_HOSTS][8] = { { NULL } };
  guint n_sent[TL_MAX_HOSTS] = { 0 };

  if (trace == NULL)
    {
      tl_cli_error ("capture", "the bundle does not load back: %s", error->message);
      return;
    }
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      GString **path;

      if (rec->kind == TL_REC_SEND && rec->host < TL_MAX_HOSTS)
        n_sent[rec->host]++;
      if (rec->kind != TL_REC_STATE || rec->host >= TL_MAX_HOSTS || rec->socket >= 8)
        continue;
      path = &paths[rec->host][rec->socket];
      if (*path == NULL)
        *path = g_string_new (tl_tcp_state_to_string ((TlTcpState) rec->old_state));
      g_string_append_printf (*path, " -> %s", tl_tcp_state_to_string ((TlTcpState) rec->new_state));
    }
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      printf ("%s sent %u segment%s\n", tl_trace_host_name (trace, h), n_sent[h], n_sent[h] == 1 ? "" : "s");
      for (guint s = 0; s < 8; s++)
        if (paths[h][s] != NULL)
          {
            printf ("  socket %u: %s\n", s, paths[h][s]->str);
            g_string_free (paths[h][s], TRUE);
          }
    }
}

static gboolean
apply_sets (TlScenario  *scenario,
            char       **sets,
            GError     **error)
{
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strchr (sets[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--set %s: expected KEY=VALUE", sets[i]);
          return FALSE;
        }
      key = g_strndup (sets[i], (gsize) (eq - sets[i]));
      if (!tl_scenario_set (scenario, key, eq + 1, error))
        return FALSE;
    }
  return TRUE;
}

int
tl_cli_capture (int    argc,
                char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) scenario = NULL;
  g_autofree char *output = NULL;
  g_autofree char *duration_text = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) sets = NULL;
  gboolean full = FALSE, force = FALSE, quiet = FALSE, cleanup = FALSE, check = FALSE;
  TlCaptureOptions options;
  TlCaptureSummary summary;
  gsize length = 0;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      "Write the bundle to DIR (default: ./NAME, NAME being the scenario's name)", "DIR" },
    { "duration", 'd', 0, G_OPTION_ARG_STRING, &duration_text,
      "Stop after TIME at most, e.g. 5s (default: the scenario's duration)", "TIME" },
    { "full", 0, 0, G_OPTION_ARG_NONE, &full,
      "Run the whole duration even once every socket is closed or in TIME-WAIT", NULL },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a scenario value (repeatable), e.g. --set A<->B.delay=20ms", "KEY=VALUE" },
    { "force", 'f', 0, G_OPTION_ARG_NONE, &force,
      "Replace an existing bundle at DIR", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet,
      "Print nothing but errors", NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      "Only check that this machine can capture, then exit", NULL },
    { "cleanup", 0, 0, G_OPTION_ARG_NONE, &cleanup,
      "Only remove what killed captures left behind (namespaces, tracefs instances), then exit", NULL },
    { NULL }
  };

  tl_capture_options_init (&options);
  context = g_option_context_new ("[FILE] - run a scenario on real Linux sockets");
  g_option_context_set_summary (context,
    "Runs the scenario FILE (default: the bundled simultaneous-open-router-pause)\n"
    "on real Linux TCP sockets: each host gets a network namespace with a TUN\n"
    "device, tcpladder itself is the link and the pausable router between them,\n"
    "and the kernel's own state changes come from the sock:inet_sock_set_state\n"
    "tracepoint.  Writes a capture bundle: a pcap per host, the router's log, the\n"
    "socket calls, the state changes and the machine's settings.");
  g_option_context_set_description (context,
    "The run ends at the scenario's duration, at --duration, or earlier once every\n"
    "call is made, nothing is in flight or held, and every socket is CLOSED or in\n"
    "TIME-WAIT: then 500 ms after the last packet, call or state change (--full\n"
    "turns this off).  SIGINT or SIGTERM stop it, remove everything it made and\n"
    "keep no bundle.  The format is described in docs/capture-bundle.md.\n"
    "\n"
    "Needs root (CAP_NET_ADMIN and CAP_SYS_ADMIN), TUN and tracefs.  One capture\n"
    "runs at a time; others wait.\n"
    "\n"
    "Exit status: 0 on success, 2 for a bad command line, 3 for a bad scenario,\n"
    "4 when the bundle cannot be written, 5 without privileges or kernel\n"
    "features, 130 when interrupted.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      tl_cli_error ("capture", "%s", error->message);
      return TL_EXIT_USAGE;
    }
  if (argc > 2)
    {
      tl_cli_error ("capture", "expected at most one scenario FILE (see --help)");
      return TL_EXIT_USAGE;
    }
  if (duration_text != NULL)
    {
      const char *detail = NULL;
      if (!tl_time_parse (duration_text, &options.max_duration, &detail) || options.max_duration <= 0)
        {
          tl_cli_error ("capture", "--duration %s: %s", duration_text,
                        detail != NULL ? detail : "expected a positive time such as 5s");
          return TL_EXIT_USAGE;
        }
    }

  if (check || cleanup)
    {
      gint removed;
      if (!tl_capture_check_environment (&error))
        {
          tl_cli_error ("capture", "%s", error->message);
          return TL_EXIT_ENVIRONMENT;
        }
      if (check)
        {
          if (!quiet)
            printf ("this machine can capture\n");
          return TL_EXIT_OK;
        }
      removed = tl_capture_cleanup_stale (output, &error);
      if (removed < 0)
        {
          tl_cli_error ("capture", "%s", error->message);
          return TL_EXIT_ENVIRONMENT;
        }
      if (!quiet)
        printf ("removed %d leftovers of earlier captures\n", removed);
      return TL_EXIT_OK;
    }

  path = argc == 2 ? g_strdup (argv[1]) : tl_capture_default_scenario ();
  if (path == NULL)
    {
      tl_cli_error ("capture", "no scenario FILE given and the bundled default "
                    "simultaneous-open-router-pause.scn is not installed");
      return TL_EXIT_USAGE;
    }
  scenario = tl_scenario_load (path, &error);
  if (scenario == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return TL_EXIT_INPUT;
    }
  if (!apply_sets (scenario, sets, &error))
    {
      tl_cli_error ("capture", "%s", error->message);
      return TL_EXIT_USAGE;
    }
  if (!tl_scenario_validate (scenario, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return TL_EXIT_INPUT;
    }
  /* scenario.scn is the file as written, unless --set changed it. */
  if (sets == NULL && !g_file_get_contents (path, &text, &length, &error))
    {
      tl_cli_error ("capture", "%s", error->message);
      return TL_EXIT_INPUT;
    }

  if (output == NULL)
    output = g_strdup (scenario->name != NULL && *scenario->name != '\0' ? scenario->name : "capture");
  options.output = output;
  options.full_duration = full;
  options.force = force;
  options.scenario_text = text;
  options.scenario_text_length = length;
  if (!quiet)
    options.progress = print_progress;

  if (!tl_capture_run (scenario, &options, &summary, &error))
    {
      tl_cli_error ("capture", "%s", error->message);
      return exit_code_for (error);
    }
  if (!quiet)
    {
      g_autofree char *end = tl_time_format (summary.end_time, 3);
      printf ("wrote %s: stopped at %s (%s)%s\n", output, end, tl_capture_stop_to_string (summary.stop),
              summary.n_warnings > 0 ? ", with warnings (see meta.json)" : "");
      print_states (output);
    }
  return TL_EXIT_OK;
}

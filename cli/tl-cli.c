/* tl-cli.c: `tcpladder`, one command with subcommands. */
#include "tl-cli.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  const char *name;
  int       (*main) (int argc, char **argv);
  const char *summary;
} TlSubcommand;

static const TlSubcommand subcommands[] = {
  { "run",     tl_cli_run,     "simulate a scenario and print its ladder, JSON or pcap" },
  { "export",  tl_cli_export,  "draw a ladder diagram as SVG, PNG, PDF or text" },
  { "capture", tl_cli_capture, "run a scenario on real Linux sockets and record a bundle" },
  { "compare", tl_cli_compare, "compare two traces segment by segment and state by state" },
  { "sweep",   tl_cli_sweep,   "run a scenario over ranges of parameters, on all cores" },
  { "merge",   tl_cli_merge,   "join the outputs of sharded sweeps" },
};

static void
print_usage (FILE *out)
{
  fprintf (out,
           "Usage: tcpladder SUBCOMMAND [OPTION...] ARGS\n"
           "\n"
           "See what happens on the wire when two TCP endpoints act at nearly the same time.\n"
           "\n"
           "Subcommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    fprintf (out, "  %-9s %s\n", subcommands[i].name, subcommands[i].summary);
  fprintf (out,
           "\n"
           "`tcpladder SUBCOMMAND --help` describes each one.\n"
           "\n"
           "Exit status:\n"
           "  0    success\n"
           "  1    compare: the traces differ\n"
           "  2    bad command line\n"
           "  3    bad or unreadable input file\n"
           "  4    an output file could not be written\n"
           "  5    missing privileges or kernel features (capture)\n"
           "  130  interrupted\n");
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");

  if (argc < 2 || strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0
      || strcmp (argv[1], "help") == 0)
    {
      print_usage (argc < 2 ? stderr : stdout);
      return argc < 2 ? TL_EXIT_USAGE : TL_EXIT_OK;
    }
  if (strcmp (argv[1], "--version") == 0)
    {
      printf ("tcpladder " TL_VERSION "\n");
      return TL_EXIT_OK;
    }

  for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
    if (strcmp (argv[1], subcommands[i].name) == 0)
      {
        g_autofree char *prgname = g_strdup_printf ("tcpladder %s", argv[1]);
        g_set_prgname (prgname);
        argv[1] = prgname;
        return subcommands[i].main (argc - 1, argv + 1);
      }

  fprintf (stderr, "tcpladder: unknown subcommand '%s'\n\n", argv[1]);
  print_usage (stderr);
  return TL_EXIT_USAGE;
}

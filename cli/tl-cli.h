/* tl-cli.h: the `tcpladder` subcommands and the exit codes they share. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit codes, documented in `tcpladder --help` and the README. */
typedef enum
{
  TL_EXIT_OK = 0,
  TL_EXIT_MISMATCH = 1,     /* compare: the traces differ */
  TL_EXIT_USAGE = 2,        /* bad command line */
  TL_EXIT_INPUT = 3,        /* bad or unreadable input file */
  TL_EXIT_OUTPUT = 4,       /* could not write an output file */
  TL_EXIT_ENVIRONMENT = 5,  /* missing privileges or kernel features */
  TL_EXIT_INTERRUPTED = 130,
} TlExitCode;

/* Each takes the arguments after the subcommand name, argv[0] being
 * "tcpladder SUBCOMMAND", and returns a TlExitCode. */
int tl_cli_run     (int argc, char **argv);
int tl_cli_export  (int argc, char **argv);
int tl_cli_capture (int argc, char **argv);
int tl_cli_compare (int argc, char **argv);
int tl_cli_sweep   (int argc, char **argv);
int tl_cli_merge   (int argc, char **argv);

/* Helpers shared by the subcommands (tl-cli-common.c). */

/* Prints "tcpladder SUB: MESSAGE" to stderr. */
void tl_cli_error (const char *subcommand,
                   const char *format,
                   ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS

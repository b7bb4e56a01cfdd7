/* tl-cli-common.c: small helpers every subcommand uses. */
#include "tl-cli.h"

#include <stdarg.h>
#include <stdio.h>

void
tl_cli_error (const char *subcommand,
              const char *format,
              ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "tcpladder %s: %s\n", subcommand, message);
}

/* tl-cli-export.c: being written by its owner; placeholder so the tree builds. */
#include "tl-cli.h"

int
tl_cli_export (int argc, char **argv)
{
  tl_cli_error ("export", "not built yet");
  return TL_EXIT_USAGE;
}


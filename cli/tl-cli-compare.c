/* tl-cli-compare.c: being written by its owner; placeholder so the tree builds. */
#include "tl-cli.h"

int
tl_cli_compare (int argc, char **argv)
{
  tl_cli_error ("compare", "not built yet");
  return TL_EXIT_USAGE;
}


/* tl-cli-sweep.c: being written by its owner; placeholder so the tree builds. */
#include "tl-cli.h"

int
tl_cli_sweep (int argc, char **argv)
{
  tl_cli_error ("sweep", "not built yet");
  return TL_EXIT_USAGE;
}

int
tl_cli_merge (int argc, char **argv)
{
  tl_cli_error ("merge", "not built yet");
  return TL_EXIT_USAGE;
}


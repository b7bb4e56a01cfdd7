/* tl-cli-capture.c: being written by its owner; placeholder so the tree builds. */
#include "tl-cli.h"

int
tl_cli_capture (int argc, char **argv)
{
  tl_cli_error ("capture", "not built yet");
  return TL_EXIT_USAGE;
}


/* fuzz-target.c: the libFuzzer entry points, built once per target with
 * TL_FUZZ_TARGET naming it ("scenario", "set", "vary", "json", "pcap",
 * "bundle", "sweep").  What each target does with its input is in tl-fuzz.c; run
 * them with scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>

#include "tl-fuzz.h"

#ifndef TL_FUZZ_TARGET
#error "build with -DTL_FUZZ_TARGET=\"NAME\""
#endif

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  tl_fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  tl_fuzz_run_one (TL_FUZZ_TARGET, data, size);
  return 0;
}

/* fuzz-vary.c: libFuzzer target for a --vary or --offset argument (tl_sweep_axis_parse and the plan).
 * What the input goes through is in tl-fuzz.c; run it with scripts/fuzz.sh. */
#include <stddef.h>
#include <stdint.h>

#include "tl-fuzz.h"

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
  tl_fuzz_run_one ("vary", data, size);
  return 0;
}

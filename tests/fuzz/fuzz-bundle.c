/* fuzz-bundle.c: libFuzzer target for a capture bundle packed as "@@ FILE" sections (tl_bundle_load).
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
  tl_fuzz_run_one ("bundle", data, size);
  return 0;
}

/* fuzz-pcap.c: libFuzzer target for a pcap or pcapng capture (tl_pcap_load, tl_pcap_load_pair).
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
  tl_fuzz_run_one ("pcap", data, size);
  return 0;
}

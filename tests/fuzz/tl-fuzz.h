/* tl-fuzz.h: the entry points shared by the libFuzzer targets and the
 * regression test (tests/test-fuzz-regressions.c).
 *
 * Each entry takes one raw input, feeds it to the loader or parser a user
 * would reach with it, and returns TRUE if the input was accepted or FALSE
 * with ERROR set.  Accepted inputs go on through what a user does next
 * (run the scenario, save and reload it, write and re-read the trace, draw
 * the text ladder), and the properties that must hold there are checked
 * with g_error(), so a broken promise is a crash the fuzzer reports.
 *
 * tl_fuzz_check_error() checks a rejection: an error is set exactly when
 * the entry failed, it is from the expected domain, and its message is
 * non-empty UTF-8 naming the input (the file name, for file inputs).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gboolean (*TlFuzzEntry) (const guint8  *data,
                                 gsize          size,
                                 GError       **error);

typedef struct
{
  const char  *name;         /* "scenario": regressions/NAME/, fuzz-NAME */
  TlFuzzEntry  entry;
  const char  *label;        /* what the message must contain, or NULL */
} TlFuzzTarget;

/* A scenario file: tl_scenario_parse, then save/reload and a run. */
gboolean tl_fuzz_scenario (const guint8 *data, gsize size, GError **error);
/* Lines of KEY=VALUE: tl_scenario_set on the default scenario, then
 * tl_scenario_validate, save/reload and a run. */
gboolean tl_fuzz_set      (const guint8 *data, gsize size, GError **error);
/* A pcap or pcapng file: tl_pcap_load, tl_pcap_load_pair with itself. */
gboolean tl_fuzz_pcap     (const guint8 *data, gsize size, GError **error);
/* A JSON trace: tl_trace_parse_json, then write and re-read. */
gboolean tl_fuzz_json     (const guint8 *data, gsize size, GError **error);
/* A --vary / --offset argument: tl_sweep_axis_parse, then a plan applying
 * the first and last points to the default scenario. */
gboolean tl_fuzz_vary     (const guint8 *data, gsize size, GError **error);
/* A capture bundle packed as "@@ FILE" sections (see tl-fuzz.c). */
gboolean tl_fuzz_bundle   (const guint8 *data, gsize size, GError **error);
/* A sweep's JSON lines or CSV rows (tcpladder merge, tcpladder-gtk). */
gboolean tl_fuzz_sweep    (const guint8 *data, gsize size, GError **error);

/* Every target, for the regression test; NULL-terminated. */
extern const TlFuzzTarget tl_fuzz_targets[];
const TlFuzzTarget *tl_fuzz_target_lookup (const char *name);

/* FALSE with WHY set when the outcome of TARGET's entry is not sensible. */
gboolean tl_fuzz_check_error (const TlFuzzTarget *target,
                              gboolean            ok,
                              const GError       *error,
                              char              **why);

/* For LLVMFuzzerTestOneInput: runs TARGET's entry and aborts with a
 * message when the rejection is not sensible. */
void     tl_fuzz_run_one     (const char   *name,
                              const guint8 *data,
                              gsize         size);

/* For LLVMFuzzerInitialize: criticals become fatal, and fatal GLib
 * messages abort so that libFuzzer keeps the input. */
void     tl_fuzz_init        (void);

G_END_DECLS

/* tl-bundle.h: capture bundles (what `tcpladder capture` writes) as traces.
 *
 * A bundle is a directory: host-A.pcap and host-B.pcap (each host's own
 * view), router.jsonl (every packet's way through the links and the
 * router, naming its frame in each pcap), calls.jsonl, states.jsonl (the
 * kernel's own state changes) and meta.json.  The format is documented in
 * docs/capture-bundle.md.
 *
 * The loaded trace has source TL_TRACE_CAPTURE: SEND and DELIVER records
 * carry the segments and times of the pcaps, ROUTER_IN / HOLD / RELEASE /
 * DROP / PAUSE / RESUME come from router.jsonl, CALL / CALL_RESULT from
 * calls.jsonl and STATE from states.jsonl (observed, not inferred, except
 * the lines the harness itself marked inferred).
 */
#pragma once

#include <glib.h>

#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_BUNDLE_FORMAT  "tcpladder-capture"
#define TL_BUNDLE_VERSION 1

/* Errors are TL_IO_ERROR and name the file, and the line or frame. */
TlTrace  *tl_bundle_load      (const char *dir,
                               GError    **error);
/* Sets SCENARIO's host settings to the kernel the bundle was captured on:
 * the sysctls of meta.json (syn retries, linear timeouts, timestamps,
 * SACK, window scaling, tcp_rmem, invalid ratelimit, RTO bounds), the
 * kernel version and the timer wheel's HZ, jiffies and tick phase, so a
 * `linux` simulation can be compared with the capture.  Hosts are matched
 * by name. */
gboolean  tl_bundle_apply_settings (const char  *dir,
                                    TlScenario  *scenario,
                                    GError     **error);
/* Whether DIR looks like a bundle (a directory with a meta.json). */
gboolean  tl_bundle_is_bundle (const char *dir);

G_END_DECLS

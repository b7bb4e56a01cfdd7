/* tl-load.h: a trace from whatever file the user names.
 *
 * Used by `tcpladder compare`, `run`, `export` and the GUI.  The kind of
 * input is decided by content, not by extension: a directory is a capture
 * bundle, a file starting with a pcap or pcapng magic number is a capture,
 * one starting with '{' a JSON trace, and anything else a scenario, which
 * is simulated.
 */
#pragma once

#include <glib.h>

#include "tl-pcap.h"
#include "tl-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TL_INPUT_SCENARIO,
  TL_INPUT_JSON,
  TL_INPUT_PCAP,
  TL_INPUT_BUNDLE,
} TlInputKind;

typedef struct
{
  const char   *profile;   /* scenarios: simulate with this profile (NULL: the file's);
                            * pcaps: infer states the way this profile's stack
                            * reports them (NULL: RFC 9293), see tl-infer.h */
  TlPcapFilter  filter;    /* pcaps: which conversation; unset: the busiest */
  const char   *settings_from;  /* scenarios: a capture bundle whose kernel
                                 * settings (sysctls, timer phase) to simulate
                                 * with (tl_bundle_apply_settings); NULL: none */
} TlLoadOptions;

const char *tl_input_kind_to_string (TlInputKind kind);   /* "scenario", "pcap" */
/* Fails only if PATH cannot be read. */
gboolean    tl_input_detect         (const char   *path,
                                     TlInputKind  *kind,
                                     GError      **error);
TlTrace    *tl_trace_load_any       (const char   *path,
                                     GError      **error);
/* OPTIONS may be NULL. */
TlTrace    *tl_trace_load_any_full  (const char          *path,
                                     const TlLoadOptions *options,
                                     GError             **error);

G_END_DECLS

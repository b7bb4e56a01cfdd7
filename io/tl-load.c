/* tl-load.c: dispatch by content to the loaders of io/ and models/. */
#include "tl-load.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tl-bundle.h"
#include "tl-io-error.h"
#include "tl-json.h"
#include "tl-scenario.h"

const char *
tl_input_kind_to_string (TlInputKind kind)
{
  switch (kind)
    {
    case TL_INPUT_SCENARIO: return "scenario";
    case TL_INPUT_JSON: return "JSON trace";
    case TL_INPUT_PCAP: return "pcap";
    case TL_INPUT_BUNDLE: return "capture bundle";
    default: return "?";
    }
}

gboolean
tl_input_detect (const char   *path,
                 TlInputKind  *kind,
                 GError      **error)
{
  guint8 head[64];
  gsize length, i;
  FILE *file;

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      *kind = TL_INPUT_BUNDLE;
      return TRUE;
    }
  file = fopen (path, "rb");
  if (file == NULL)
    {
      int saved = errno;
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_READ, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }
  length = fread (head, 1, sizeof head, file);
  fclose (file);

  if (tl_pcap_sniff (head, length))
    {
      *kind = TL_INPUT_PCAP;
      return TRUE;
    }
  for (i = 0; i < length && g_ascii_isspace (head[i]); i++)
    ;
  /* A UTF-8 byte order mark may precede a JSON document. */
  if (i + 3 <= length && head[i] == 0xef && head[i + 1] == 0xbb && head[i + 2] == 0xbf)
    i += 3;
  *kind = i < length && head[i] == '{' ? TL_INPUT_JSON : TL_INPUT_SCENARIO;
  return TRUE;
}

static TlTrace *
simulate (const char   *path,
          const char   *profile,
          const char   *settings_from,
          GError      **error)
{
  g_autoptr(TlScenario) scenario = tl_scenario_load (path, error);
  TlTrace *trace;

  if (scenario == NULL)
    return NULL;
  if (profile != NULL && !tl_scenario_set (scenario, "profile", profile, error))
    return NULL;
  if (settings_from != NULL && !tl_bundle_apply_settings (settings_from, scenario, error))
    return NULL;
  trace = tl_trace_new ();
  tl_scenario_run (scenario, trace);
  return trace;
}

TlTrace *
tl_trace_load_any_full (const char          *path,
                        const TlLoadOptions *options,
                        GError             **error)
{
  TlInputKind kind;

  if (!tl_input_detect (path, &kind, error))
    return NULL;
  switch (kind)
    {
    case TL_INPUT_BUNDLE:
      return tl_bundle_load (path, error);
    case TL_INPUT_PCAP:
      return tl_pcap_load_full (path, options != NULL ? &options->filter : NULL,
                                tl_infer_style_from_profile (options != NULL
                                                             ? options->profile : NULL),
                                error);
    case TL_INPUT_JSON:
      return tl_trace_load_json (path, error);
    case TL_INPUT_SCENARIO:
      return simulate (path, options != NULL ? options->profile : NULL,
                       options != NULL ? options->settings_from : NULL, error);
    default:
      g_assert_not_reached ();
    }
}

TlTrace *
tl_trace_load_any (const char  *path,
                   GError     **error)
{
  return tl_trace_load_any_full (path, NULL, error);
}

/* tl-json.h: traces as JSON, documented in docs/trace-json.md.
 *
 * The output is deterministic: the same trace gives the same bytes (fixed
 * key order, integers only, times in nanoseconds).  Loading what was
 * written gives back an equal trace (tl_trace_equal in tl-trace-equal.h).
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_TRACE_JSON_FORMAT  "tcpladder-trace"
#define TL_TRACE_JSON_VERSION 1

/* The whole trace as a JSON document, ending in a newline. */
char    *tl_trace_to_json     (const TlTrace *trace);
/* Writes atomically (temp file + rename); PATH "-" is standard output. */
gboolean tl_trace_write_json  (const TlTrace *trace,
                               const char    *path,
                               GError       **error);
TlTrace *tl_trace_load_json   (const char    *path,
                               GError       **error);
/* FILENAME only names the input in error messages. */
TlTrace *tl_trace_parse_json  (const char    *text,
                               gssize         length,
                               const char    *filename,
                               GError       **error);

/* Our JSON nests a few levels deep; json-glib recurses once per level, so
 * a hostile line of a hundred thousand brackets would overflow the stack.
 * Every reader of untrusted JSON asks this first: TRUE if TEXT nests
 * deeper than TL_JSON_MAX_NESTING, with the place (1-based line, column)
 * where it does.  Brackets inside strings do not count. */
#define TL_JSON_MAX_NESTING 64
gboolean tl_json_nesting_too_deep (const char *text,
                                   gsize       length,
                                   guint      *line,
                                   guint      *column);

/* json_parser_load_from_data, but deep nesting refused first and errors
 * (TL_IO_ERROR_PARSE) naming NAME: "NAME:LINE:COLUMN: ...". */
gboolean tl_json_parser_load      (JsonParser *parser,
                                   const char *text,
                                   gssize      length,
                                   const char *name,
                                   GError    **error);

G_END_DECLS

/* tl-json-builder.h: JsonBuilder members in one call each.
 *
 * Shared by the trace writer (tl-json.c) and the capture harness's
 * meta.json writer, so both spell values the same way. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

void tl_json_add_int    (JsonBuilder *builder,
                         const char  *key,
                         gint64       value);
/* TEXT NULL writes null. */
void tl_json_add_string (JsonBuilder *builder,
                         const char  *key,
                         const char  *text);
void tl_json_add_bool   (JsonBuilder *builder,
                         const char  *key,
                         gboolean     value);
/* An IPv4 address, host byte order, as "10.0.0.1". */
void tl_json_add_addr   (JsonBuilder *builder,
                         const char  *key,
                         guint32      addr);

G_END_DECLS

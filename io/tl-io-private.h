/* tl-io-private.h: helpers shared inside io/. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes DATA to PATH atomically (temp file in the same directory, then
 * rename); PATH "-" writes to standard output. */
gboolean tl_io_write_file (const char  *path,
                           const char  *data,
                           gsize        length,
                           GError     **error);

/* "10.0.0.1" from a host-order address, in a static-free way. */
void     tl_io_format_addr (guint32  addr,
                            char     out[16]);
/* Strict dotted quad. */
gboolean tl_io_parse_addr  (const char *text,
                            guint32    *out);

/* Appends TEXT as a JSON string literal ("null" for NULL); invalid UTF-8
 * is replaced, so the output always parses. */
void     tl_io_append_json_string (GString    *out,
                                   const char *text);

G_END_DECLS

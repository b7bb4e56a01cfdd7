/* tl-io-error.h: the error domain of everything that reads or writes traces.
 *
 * Messages always name the file, and where it helps the packet number, the
 * JSON path ("records[12].seg.flags") or the line and column.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TL_IO_ERROR (tl_io_error_quark ())
GQuark tl_io_error_quark (void);

typedef enum
{
  TL_IO_ERROR_READ,         /* the file could not be opened or read */
  TL_IO_ERROR_WRITE,        /* the file could not be written */
  TL_IO_ERROR_PARSE,        /* malformed content: JSON syntax, truncated pcap */
  TL_IO_ERROR_INVALID,      /* well-formed but a value is wrong */
  TL_IO_ERROR_UNSUPPORTED,  /* a link type, format version or input kind we do not read */
  TL_IO_ERROR_NO_TCP,       /* a capture without the TCP conversation asked for */
} TlIoError;

G_END_DECLS

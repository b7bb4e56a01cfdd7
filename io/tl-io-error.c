/* tl-io-error.c: the io error domain and small shared helpers. */
#include "tl-io-error.h"
#include "tl-io-private.h"

#include <stdio.h>
#include <errno.h>
#include <string.h>

G_DEFINE_QUARK (tl-io-error-quark, tl_io_error)

gboolean
tl_io_write_file (const char  *path,
                  const char  *data,
                  gsize        length,
                  GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (g_strcmp0 (path, "-") == 0)
    {
      if (fwrite (data, 1, length, stdout) != length || fflush (stdout) != 0)
        {
          int saved = errno;
          g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE,
                       "standard output: %s", g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }
  /* g_file_set_contents writes a temp file next to PATH and renames it. */
  if (!g_file_set_contents_full (path, data, (gssize) length,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0666, &local))
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

void
tl_io_format_addr (guint32 addr,
                   char    out[16])
{
  g_snprintf (out, 16, "%u.%u.%u.%u",
              addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff);
}

gboolean
tl_io_parse_addr (const char *text,
                  guint32    *out)
{
  guint32 addr = 0;
  const char *p = text;

  for (guint part = 0; part < 4; part++)
    {
      guint value = 0, digits = 0;

      while (g_ascii_isdigit (*p) && digits < 4)
        {
          value = value * 10 + (guint) (*p++ - '0');
          digits++;
        }
      if (digits == 0 || digits > 3 || value > 255)
        return FALSE;
      addr = (addr << 8) | value;
      if (part < 3 && *p++ != '.')
        return FALSE;
    }
  if (*p != '\0')
    return FALSE;
  *out = addr;
  return TRUE;
}

void
tl_io_append_json_string (GString    *out,
                          const char *text)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  /* File names can be any bytes; JSON must be UTF-8. */
  valid = g_utf8_make_valid (text, -1);
  g_string_append_c (out, '"');
  for (const char *p = valid; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (c < 0x20 || c == 0x7f)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

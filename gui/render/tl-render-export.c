/* tl-render-export.c: a layout to SVG, PNG or PDF bytes, and files.
 *
 * Output is deterministic: PNG has no timestamp, PDF gets no creation
 * date, and cairo's SVG surface ids (which come from a process-wide
 * counter) are renumbered in order of appearance.
 */
#include "tl-render-private.h"
#include "tl-text-ladder.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <math.h>
#include <string.h>

/* cairo refuses images wider or taller than this. */
#define MAX_RASTER_SIDE   32767
#define MAX_RASTER_PIXELS (256.0 * 1024 * 1024)

static cairo_status_t
append_bytes (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

/* "surface123" ids in cairo SVG depend on how many surfaces the process
 * made before; number them 1, 2, ... as they first appear instead. */
static GByteArray *
normalize_svg_ids (GByteArray *in)
{
  static const char needle[] = "surface";
  GByteArray *out = g_byte_array_sized_new (in->len + 64);
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const guint8 *p = in->data, *end = in->data + in->len;

  while (p < end)
    {
      const guint8 *hit = memmem (p, (gsize) (end - p), needle, sizeof needle - 1);
      const guint8 *digits;
      gboolean is_id;

      if (hit == NULL)
        {
          g_byte_array_append (out, p, (guint) (end - p));
          break;
        }
      digits = hit + sizeof needle - 1;
      is_id = hit > in->data && (hit[-1] == '"' || hit[-1] == '#')
              && digits < end && g_ascii_isdigit (*digits);
      g_byte_array_append (out, p, (guint) (digits - p));
      p = digits;
      if (!is_id)
        continue;
      {
        const guint8 *q = digits;
        g_autofree char *old = NULL;
        char number[16];
        gpointer value;

        while (q < end && g_ascii_isdigit (*q))
          q++;
        old = g_strndup ((const char *) digits, (gsize) (q - digits));
        if (!g_hash_table_lookup_extended (ids, old, NULL, &value))
          {
            value = GUINT_TO_POINTER (g_hash_table_size (ids) + 1);
            g_hash_table_insert (ids, g_steal_pointer (&old), value);
          }
        g_snprintf (number, sizeof number, "%u", GPOINTER_TO_UINT (value));
        g_byte_array_append (out, (const guint8 *) number, (guint) strlen (number));
        p = q;
      }
    }
  return out;
}

static gboolean
check_surface (cairo_surface_t *surface,
               const char      *what,
               GError         **error)
{
  cairo_status_t status = cairo_surface_status (surface);

  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_WRITE, "could not draw the %s: %s",
               what, cairo_status_to_string (status));
  return FALSE;
}

static gboolean
draw_to_surface (TlRenderLayout  *layout,
                 cairo_surface_t *surface,
                 double           scale,
                 const char      *what,
                 GError         **error)
{
  cairo_t *cr;
  cairo_status_t status;

  if (!check_surface (surface, what, error))
    return FALSE;
  cr = cairo_create (surface);
  cairo_scale (cr, scale, scale);
  tl_render_draw (layout, cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_WRITE, "could not draw the %s: %s",
                   what, cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

static GBytes *
render_svg (TlRenderLayout *layout,
            GError        **error)
{
  g_autoptr (GByteArray) raw = g_byte_array_new ();
  cairo_surface_t *surface;
  gboolean ok;

  surface = cairo_svg_surface_create_for_stream (append_bytes, raw, layout->width, layout->height);
  cairo_svg_surface_set_document_unit (surface, CAIRO_SVG_UNIT_PX);
  ok = draw_to_surface (layout, surface, 1.0, "SVG", error);
  cairo_surface_destroy (surface);
  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes (normalize_svg_ids (raw));
}

static GBytes *
render_pdf (TlRenderLayout *layout,
            GError        **error)
{
  GByteArray *raw = g_byte_array_new ();
  cairo_surface_t *surface;
  gboolean ok;

  /* PDF pages are in points: 96 CSS pixels to 72 points. */
  surface = cairo_pdf_surface_create_for_stream (append_bytes, raw, layout->width * 0.75,
                                                 layout->height * 0.75);
  if (cairo_surface_status (surface) == CAIRO_STATUS_SUCCESS)
    {
      /* An empty date leaves CreationDate out: same input, same bytes. */
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATE_DATE, "");
      cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, "tcpladder");
      if (layout->title != NULL)
        cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, layout->title);
    }
  ok = draw_to_surface (layout, surface, 0.75, "PDF", error);
  cairo_surface_destroy (surface);
  if (!ok)
    {
      g_byte_array_unref (raw);
      return NULL;
    }
  return g_byte_array_free_to_bytes (raw);
}

static GBytes *
render_png (TlRenderLayout *layout,
            GError        **error)
{
  double scale = layout->options.dpi / 96.0;
  double w = ceil (layout->width * scale), h = ceil (layout->height * scale);
  GByteArray *raw;
  cairo_surface_t *surface;
  cairo_status_t status;

  if (w > MAX_RASTER_SIDE || h > MAX_RASTER_SIDE || w * h > MAX_RASTER_PIXELS)
    {
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_TOO_LARGE,
                   "a %.0f x %.0f pixel PNG is too large (at most %d pixels a side and %.0f "
                   "megapixels): lower the dpi, set a height or a time range, or use SVG or PDF",
                   w, h, MAX_RASTER_SIDE, MAX_RASTER_PIXELS / (1024 * 1024));
      return NULL;
    }
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, (int) w, (int) h);
  if (!check_surface (surface, "PNG", error))
    {
      cairo_surface_destroy (surface);
      return NULL;
    }
  {
    cairo_t *cr = cairo_create (surface);
    cairo_scale (cr, scale, scale);
    tl_render_draw (layout, cr);
    status = cairo_status (cr);
    cairo_destroy (cr);
  }
  raw = g_byte_array_new ();
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, raw);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_WRITE, "could not draw the PNG: %s",
                   cairo_status_to_string (status));
      g_byte_array_unref (raw);
      return NULL;
    }
  return g_byte_array_free_to_bytes (raw);
}

GBytes *
tl_render_layout_to_bytes (TlRenderLayout *layout,
                           TlRenderFormat  format,
                           GError        **error)
{
  g_return_val_if_fail (layout != NULL, NULL);

  switch (format)
    {
    case TL_RENDER_FORMAT_SVG:
      return render_svg (layout, error);
    case TL_RENDER_FORMAT_PNG:
      return render_png (layout, error);
    case TL_RENDER_FORMAT_PDF:
      return render_pdf (layout, error);
    case TL_RENDER_FORMAT_TEXT:
    default:
      g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_INVALID,
                   "a layout has no text form: use tl_text_ladder_render() on the trace");
      return NULL;
    }
}

static gboolean
write_atomically (const char *path,
                  const void *data,
                  gsize       length,
                  GError    **error)
{
  g_autoptr (GError) local = NULL;

  /* Writes a temporary file beside PATH, syncs it and renames it over. */
  if (g_file_set_contents_full (path, data, (gssize) length,
                                G_FILE_SET_CONTENTS_CONSISTENT, 0666, &local))
    return TRUE;
  g_set_error (error, TL_RENDER_ERROR, TL_RENDER_ERROR_WRITE, "%s", local->message);
  return FALSE;
}

gboolean
tl_render_export_layout (TlRenderLayout *layout,
                         const char     *path,
                         TlRenderFormat  format,
                         GError        **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize length;
  gconstpointer data;

  g_return_val_if_fail (layout != NULL && path != NULL, FALSE);
  bytes = tl_render_layout_to_bytes (layout, format, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &length);
  return write_atomically (path, data, length, error);
}

gboolean
tl_render_export (TlTrace               *trace,
                  const TlRenderOptions *options,
                  const char            *path,
                  TlRenderFormat         format,
                  GError               **error)
{
  TlRenderOptions defaults;

  g_return_val_if_fail (trace != NULL && path != NULL, FALSE);
  if (options == NULL)
    {
      tl_render_options_init (&defaults);
      options = &defaults;
    }
  if (!tl_render_options_check (options, error))
    return FALSE;

  if (format == TL_RENDER_FORMAT_TEXT)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      tl_text_ladder_render (trace, options, text);
      return write_atomically (path, text->str, text->len, error);
    }
  {
    g_autoptr (TlRenderLayout) layout = tl_render_layout_new (trace, options);
    return tl_render_export_layout (layout, path, format, error);
  }
}

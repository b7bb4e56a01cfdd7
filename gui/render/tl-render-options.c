/* tl-render-options.c: defaults and names of the rendering options. */
#include "tl-render-options.h"

#include <string.h>

void
tl_render_options_init (TlRenderOptions *options)
{
  memset (options, 0, sizeof *options);
  options->width = 0;
  options->height = 0;
  options->dpi = 96;
  options->theme = TL_RENDER_THEME_LIGHT;
  options->time_from = TL_RENDER_TIME_START;
  options->time_to = TL_RENDER_TIME_END;
  options->compress = TRUE;
  options->seq_mode = TL_SEQ_RELATIVE;
  options->labels = TL_LABELS_FULL;
  options->show_options = FALSE;
  options->show_title = TRUE;
  options->show_legend = TRUE;
  options->px_per_second = 0;
  options->ascii = FALSE;
}

gboolean
tl_render_theme_from_string (const char    *text,
                             TlRenderTheme *out)
{
  if (g_ascii_strcasecmp (text, "light") == 0)
    *out = TL_RENDER_THEME_LIGHT;
  else if (g_ascii_strcasecmp (text, "dark") == 0)
    *out = TL_RENDER_THEME_DARK;
  else
    return FALSE;
  return TRUE;
}

gboolean
tl_label_detail_from_string (const char    *text,
                             TlLabelDetail *out)
{
  if (g_ascii_strcasecmp (text, "none") == 0)
    *out = TL_LABELS_NONE;
  else if (g_ascii_strcasecmp (text, "flags") == 0)
    *out = TL_LABELS_FLAGS;
  else if (g_ascii_strcasecmp (text, "full") == 0)
    *out = TL_LABELS_FULL;
  else
    return FALSE;
  return TRUE;
}

gboolean
tl_render_format_from_string (const char     *text,
                              TlRenderFormat *out)
{
  if (g_ascii_strcasecmp (text, "svg") == 0)
    *out = TL_RENDER_FORMAT_SVG;
  else if (g_ascii_strcasecmp (text, "png") == 0)
    *out = TL_RENDER_FORMAT_PNG;
  else if (g_ascii_strcasecmp (text, "pdf") == 0)
    *out = TL_RENDER_FORMAT_PDF;
  else if (g_ascii_strcasecmp (text, "txt") == 0 || g_ascii_strcasecmp (text, "text") == 0)
    *out = TL_RENDER_FORMAT_TEXT;
  else
    return FALSE;
  return TRUE;
}

gboolean
tl_render_format_from_path (const char     *path,
                            TlRenderFormat *out)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *dot = strrchr (base, '.');

  return dot != NULL && dot != base && tl_render_format_from_string (dot + 1, out);
}

const char *
tl_render_format_to_string (TlRenderFormat format)
{
  switch (format)
    {
    case TL_RENDER_FORMAT_SVG: return "svg";
    case TL_RENDER_FORMAT_PNG: return "png";
    case TL_RENDER_FORMAT_PDF: return "pdf";
    case TL_RENDER_FORMAT_TEXT: return "txt";
    default: return "?";
    }
}

/* tl-render-options.h: what a ladder picture or text ladder should show.
 *
 * Shared by the cairo renderer (tl-render.h), the text ladder
 * (tl-text-ladder.h), `tcpladder export`, `tcpladder run --ladder` and the
 * GTK app.  Plain C, no cairo: the text ladder needs only this header.
 */
#pragma once

#include <glib.h>

#include "tl-time.h"

G_BEGIN_DECLS

typedef enum
{
  TL_RENDER_THEME_LIGHT,
  TL_RENDER_THEME_DARK,
} TlRenderTheme;

/* How much each segment arrow says. */
typedef enum
{
  TL_LABELS_NONE,    /* bare arrows */
  TL_LABELS_FLAGS,   /* "SYN,ACK" */
  TL_LABELS_FULL,    /* "SYN,ACK seq=0 ack=1 len=100" */
} TlLabelDetail;

typedef enum
{
  TL_SEQ_RELATIVE,   /* relative to each side's ISN (the seq of its first SYN) */
  TL_SEQ_ABSOLUTE,   /* the 32-bit numbers as on the wire */
} TlSeqMode;

typedef enum
{
  TL_RENDER_FORMAT_SVG,
  TL_RENDER_FORMAT_PNG,
  TL_RENDER_FORMAT_PDF,
  TL_RENDER_FORMAT_TEXT,
} TlRenderFormat;

/* Open ends of the time range: "from the first record", "to the end". */
#define TL_RENDER_TIME_START G_MININT64
#define TL_RENDER_TIME_END   G_MAXINT64

typedef struct
{
  /* Size in CSS pixels (1/96 inch).  width 0: 1100 for one ladder, 2000
   * for a pair.  height 0: as tall as the trace needs (every flight gets
   * room for its label), at most 6000 unless px_per_second is given. */
  double        width;
  double        height;
  /* Raster resolution: a PNG is width * dpi / 96 pixels wide.  0 = 96.
   * Vector formats ignore it. */
  double        dpi;
  TlRenderTheme theme;
  /* Only what happens in [time_from, time_to] is drawn. */
  TlTime        time_from;
  TlTime        time_to;
  /* Squeeze idle stretches (no packet on a link) into a break mark. */
  gboolean      compress;
  TlSeqMode     seq_mode;
  TlLabelDetail labels;
  gboolean      show_options;   /* add the TCP option summary to labels */
  gboolean      show_title;     /* title and caption on top */
  gboolean      show_legend;    /* states, arrow kinds, call-outs below */
  /* Vertical scale of busy stretches in pixels per simulated second; 0
   * chooses one from the trace and the height.  The GTK app zooms by
   * setting it and building a new layout. */
  double        px_per_second;
  /* Text ladder: plain ASCII instead of Unicode arrows. */
  gboolean      ascii;
} TlRenderOptions;

/* Defaults: auto size, 96 dpi, light, whole trace, compressed, relative
 * seq, full labels, no options, title and legend on, Unicode. */
void        tl_render_options_init (TlRenderOptions *options);

/* Parsing for command lines and settings; FALSE on an unknown name. */
gboolean    tl_render_theme_from_string   (const char    *text,
                                           TlRenderTheme *out);  /* light, dark */
gboolean    tl_label_detail_from_string   (const char    *text,
                                           TlLabelDetail *out);  /* none, flags, full */
gboolean    tl_render_format_from_string  (const char     *text,
                                           TlRenderFormat *out); /* svg, png, pdf, txt|text */
/* The format a file name asks for by its extension (case-insensitive). */
gboolean    tl_render_format_from_path    (const char     *path,
                                           TlRenderFormat *out);
const char *tl_render_format_to_string    (TlRenderFormat  format);

G_END_DECLS

/* tl-render.h: ladder diagrams and state timelines with cairo and pango.
 *
 * Building a picture has two steps:
 *
 *   layout = tl_render_layout_new (trace, &options);   where everything goes
 *   tl_render_draw (layout, cr);                        paint it, any surface
 *
 * The layout is immutable and reference counted: the GTK app keeps one per
 * trace and zoom level, draws it in its snapshot and asks it what is under
 * the pointer (tl_render_hit_test).  All coordinates are CSS pixels from the
 * top-left corner of the picture; tl_render_layout_get_size() gives its
 * extent.  Time maps to y through a TlTimeMap (tl-time-map.h), host
 * lifelines sit at fixed x.
 *
 * What a picture shows: one lifeline per host (A left, B right) and one
 * for the router when the trace has one; each segment an arrow from its
 * send time on the sender to its arrival on the receiver (through the
 * router, where held segments wait on a thick bar); drops end in a cross;
 * retransmissions are dashed and numbered.  Beside each lifeline a bar
 * coloured by TCP state, with socket calls, their results and timers.
 * Idle stretches are squeezed into zig-zag breaks.
 *
 * No GTK here: the CLI links this library too.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "tl-render-options.h"
#include "tl-time-map.h"
#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_RENDER_ERROR (tl_render_error_quark ())
GQuark tl_render_error_quark (void);

typedef enum
{
  TL_RENDER_ERROR_INVALID,    /* bad options (size, dpi, empty time range) */
  TL_RENDER_ERROR_TOO_LARGE,  /* the raster would exceed 32767 pixels a side */
  TL_RENDER_ERROR_WRITE,      /* cairo or the file system failed */
} TlRenderError;

typedef struct _TlRenderLayout TlRenderLayout;

/* One difference found by a trace comparison, for side-by-side pictures:
 * the records it concerns in each trace (TL_RENDER_NO_RECORD when one
 * side has no counterpart) and a one-line explanation. */
#define TL_RENDER_NO_RECORD G_MAXUINT

typedef struct
{
  guint       record_a;
  guint       record_b;
  const char *text;
} TlRenderMismatch;

typedef enum
{
  TL_RENDER_HIT_NONE,
  TL_RENDER_HIT_SEGMENT,   /* an arrow, its label or call-out */
  TL_RENDER_HIT_HOLD,      /* a segment held by the paused router */
  TL_RENDER_HIT_STATE,     /* a state bar */
  TL_RENDER_HIT_CALL,      /* a socket call or its result */
  TL_RENDER_HIT_TIMER,     /* a timer that fired */
  TL_RENDER_HIT_PAUSE,     /* a router pause window */
} TlRenderHitKind;

typedef struct
{
  TlRenderHitKind kind;
  guint           pane;     /* 0; 1 for the right-hand trace of a pair */
  guint           host;     /* 0 A, 1 B, TL_HOST_ROUTER */
  /* The record: SEND of a segment or hold, STATE, CALL / CALL_RESULT,
   * TIMER, PAUSE; TL_RENDER_NO_RECORD when there is none. */
  guint           record;
  guint32         packet;   /* segments and holds */
  TlTcpState      state;    /* state bars */
  TlTime          time;     /* the time under the point */
  TlTime          start;    /* the item's extent: flight, hold, state, pause */
  TlTime          end;
} TlRenderHit;

/* Lays TRACE out (it is referenced, not copied).  Never fails: bad values
 * in OPTIONS are clamped; use tl_render_options_check() to report them. */
TlRenderLayout  *tl_render_layout_new        (TlTrace                *trace,
                                              const TlRenderOptions  *options);
/* Two ladders side by side on one time axis, the mismatches highlighted
 * and listed in the legend.  MISMATCHES may be NULL when N_MISMATCHES is 0;
 * their texts are copied. */
TlRenderLayout  *tl_render_layout_new_pair   (TlTrace                *trace_a,
                                              TlTrace                *trace_b,
                                              const TlRenderMismatch *mismatches,
                                              guint                   n_mismatches,
                                              const TlRenderOptions  *options);
TlRenderLayout  *tl_render_layout_ref        (TlRenderLayout *layout);
void             tl_render_layout_unref      (TlRenderLayout *layout);

void             tl_render_layout_get_size   (const TlRenderLayout *layout,
                                              double               *width,
                                              double               *height);
const TlTimeMap *tl_render_layout_get_time_map (const TlRenderLayout *layout);
/* x of a host's lifeline in PANE (TL_HOST_ROUTER only with a router). */
double           tl_render_layout_get_lifeline_x (const TlRenderLayout *layout,
                                                  guint                 pane,
                                                  guint                 host);
/* The vertical extent of the ladder (between title and legend). */
void             tl_render_layout_get_ladder_extent (const TlRenderLayout *layout,
                                                     double               *top,
                                                     double               *bottom);

/* Counts, for tests and status bars: arrow strokes drawn (a routed segment
 * makes two, sender -> router -> receiver), labels placed along arrows,
 * labels moved to numbered call-outs, labels left out because the picture
 * is too dense (zoom in with a time range or a larger height). */
guint            tl_render_layout_get_n_arrows       (const TlRenderLayout *layout);
guint            tl_render_layout_get_n_labels       (const TlRenderLayout *layout);
guint            tl_render_layout_get_n_callouts     (const TlRenderLayout *layout);
guint            tl_render_layout_get_n_hidden_labels (const TlRenderLayout *layout);

/* Paints the whole picture, background included, in layout coordinates.
 * Only what meets the clip of CR is drawn, so a scrolled view is cheap. */
void             tl_render_draw              (TlRenderLayout *layout,
                                              cairo_t        *cr);
/* Emphasises a hit item (a selection) over a picture drawn by
 * tl_render_draw(). */
void             tl_render_draw_highlight    (TlRenderLayout    *layout,
                                              cairo_t           *cr,
                                              const TlRenderHit *hit);
/* What lies at (X, Y): arrows within a few pixels win over labels, holds,
 * calls, state bars and pause windows.  FALSE (and kind NONE) on nothing. */
gboolean         tl_render_hit_test          (const TlRenderLayout *layout,
                                              double                x,
                                              double                y,
                                              TlRenderHit          *hit);

/* Reports the first bad value in OPTIONS naming it ("width must be ...").
 * tl_render_export() calls it. */
gboolean         tl_render_options_check     (const TlRenderOptions *options,
                                              GError               **error);

/* Writes TRACE to PATH as FORMAT (TL_RENDER_FORMAT_TEXT gives the text
 * ladder).  Atomic: written to a temporary file beside PATH, then renamed.
 * The same trace and options give the same bytes for SVG, PNG and text
 * (and PDF: no creation date is written). */
gboolean         tl_render_export            (TlTrace               *trace,
                                              const TlRenderOptions *options,
                                              const char            *path,
                                              TlRenderFormat         format,
                                              GError               **error);
/* The same for an existing layout (not for TL_RENDER_FORMAT_TEXT). */
gboolean         tl_render_export_layout     (TlRenderLayout        *layout,
                                              const char            *path,
                                              TlRenderFormat         format,
                                              GError               **error);
/* Renders to memory instead of a file (SVG, PNG, PDF). */
GBytes          *tl_render_layout_to_bytes   (TlRenderLayout        *layout,
                                              TlRenderFormat         format,
                                              GError               **error);

/* Convenience for a one-off pair picture on any cairo context. */
void             tl_render_draw_pair         (cairo_t                *cr,
                                              TlTrace                *trace_a,
                                              TlTrace                *trace_b,
                                              const TlRenderMismatch *mismatches,
                                              guint                   n_mismatches,
                                              const TlRenderOptions  *options);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlRenderLayout, tl_render_layout_unref)

G_END_DECLS

/* tl-render-private.h: the layout's insides, shared by the renderer's files.
 *
 * tl-render-layout.c fills a TlRenderLayout (geometry of every item),
 * tl-render-labels.c places the arrow labels, tl-render-draw.c paints,
 * tl-render-export.c writes files.  Tests include this header for the
 * palette (to recognise arrows in SVG output) and the geometry.
 */
#pragma once

#include <pango/pangocairo.h>

#include "tl-render.h"
#include "tl-render-model-private.h"

G_BEGIN_DECLS

typedef struct
{
  double r, g, b;
} TlRgb;

/* Arrow colours by kind: the stroke colour of every segment arrow is one
 * of arrow[TL_ARROW_*], and nothing else in the ladder is stroked with
 * them (the legend's sample arrows aside). */
enum
{
  TL_ARROW_FROM_A,
  TL_ARROW_FROM_B,
  TL_ARROW_RST,
  TL_N_ARROW_COLORS
};

typedef struct
{
  TlRgb background;
  TlRgb foreground;
  TlRgb muted;
  TlRgb grid;
  TlRgb lifeline;
  TlRgb arrow[TL_N_ARROW_COLORS];
  TlRgb drop;
  TlRgb hold;
  TlRgb pause;
  TlRgb pause_edge;
  TlRgb label_bg;
  TlRgb error;
  TlRgb ok;
  TlRgb timer;
  TlRgb state[TL_N_STATES];
  TlRgb state_text[TL_N_STATES];
  TlRgb mismatch;
  TlRgb break_band;
  TlRgb highlight;
} TlRenderPalette;

const TlRenderPalette *tl_render_palette (TlRenderTheme theme);

/* Sizes in CSS pixels. */
#define TL_ARROW_WIDTH      1.6
#define TL_ARROW_HEAD_LEN   9.0
#define TL_ARROW_HEAD_HALF  3.6
#define TL_BREAK_HEIGHT     34.0
#define TL_LABEL_FONT_PX    11.0
#define TL_LABEL_OPT_PX     9.5
#define TL_SMALL_FONT_PX    10.0

typedef struct
{
  double   x0, y0, x1, y1;
  guint    packet;     /* index in the pane's model->packets */
  guint8   pane;
  guint8   color;      /* TL_ARROW_* */
  guint8   dashed;     /* a retransmission */
  guint8   head;       /* arrowhead at (x1, y1) */
  guint8   cross;      /* ends in a drop cross */
  guint8   fade;       /* still in flight when the trace ends */
  guint8   second;     /* router -> receiver leg */
} TlLeg;

typedef struct
{
  double  x, y0, y1;
  guint   packet;
  guint8  pane;
  guint8  open;        /* never released */
} TlHoldBar;

typedef struct
{
  double  x0, x1, y0, y1;
  guint   span;        /* index in the pane's model->spans */
  guint8  pane;
  guint8  narrow;      /* a listener strip: vertical text */
} TlStateBox;

typedef struct
{
  double  y;           /* the time of the mark */
  double  text_x, text_y, text_w, text_h;   /* after stacking */
  double  tick_x0, tick_x1;                 /* across the state bar */
  guint   mark;        /* index in the pane's model->marks */
  guint8  pane;
} TlMarkBox;

typedef struct
{
  double  x0, x1, y0, y1;
  TlTime  t0, t1;
  guint   window;      /* index in trace->pauses */
  guint8  pane;
  guint8  n_texts;     /* 1: one line "paused a – b" above, 2: top and bottom */
  double  text_x[2], text_y[2], text_w[2], text_h;
  char   *text[2];
} TlPauseBox;

typedef struct
{
  double  cx, cy;      /* centre */
  double  ux, uy;      /* unit vector along the text */
  double  hw, hh;      /* half extents */
  guint   leg;
  guint   packet;
  guint8  pane;
  guint   callout;     /* 0: text along the arrow; n: call-out marker n */
  char   *line1;
  char   *line2;       /* NULL: no option line */
  double  w1, w2;      /* text widths */
  double  h1, h2;
} TlLabel;

typedef struct
{
  double   y;
  char    *text;
  gboolean below;   /* the text hangs below the tick (after a break) */
} TlTick;

typedef struct
{
  double  x0, y0, x1, y1;   /* zone to outline; x0 > x1 if none */
  guint   first_leg;        /* a segment: its arrows are traced instead */
  guint   n_legs;
  guint8  pane;
  guint   number;
} TlMismatchMark;

typedef struct
{
  TlTrace       *trace;
  TlRenderModel *model;
  double         x0, x1;            /* pane extent */
  double         host_x[3];         /* lifelines: A, B, router */
  double         lane_x0[TL_MAX_HOSTS], lane_x1[TL_MAX_HOSTS];
  double         calls_x0[TL_MAX_HOSTS], calls_x1[TL_MAX_HOSTS];
  guint         *packet_label;      /* per packet: index in labels or NONE */
  guint         *packet_first_leg;  /* per packet: first leg or NONE */
} TlPane;

/* A legend entry: a swatch (state colour, arrow sample...) and text. */
typedef enum
{
  TL_LEGEND_HEADING,
  TL_LEGEND_STATE,
  TL_LEGEND_ARROW,
  TL_LEGEND_RETRANSMIT,
  TL_LEGEND_DROP,
  TL_LEGEND_HOLD,
  TL_LEGEND_PAUSE,
  TL_LEGEND_BREAK,
  TL_LEGEND_INFERRED,
  TL_LEGEND_CALLOUT,
  TL_LEGEND_MISMATCH,
  TL_LEGEND_NOTE,
} TlLegendKind;

typedef struct
{
  guint8  kind;        /* TlLegendKind */
  guint8  arg;         /* state, arrow colour */
  guint   number;      /* call-out or mismatch number */
  double  x, y, w, h;  /* the whole entry */
  double  text_w;
  char   *text;
} TlLegendItem;

struct _TlRenderLayout
{
  gint                   ref_count;
  TlRenderOptions        options;
  const TlRenderPalette *palette;
  PangoContext          *pango;
  guint                  n_panes;
  TlPane                 panes[2];
  TlTimeMap             *map;
  TlTime                 from, to;     /* the time range shown */
  double                 width, height;
  double                 axis_x1;      /* right edge of the time axis */
  double                 title_y, caption_y, header_y;
  double                 ladder_top, ladder_bottom;
  double                 legend_top;
  double                 content_height;  /* what the picture needs */
  char                  *title;
  char                  *caption;
  GArray                *legs;         /* TlLeg */
  GArray                *holds;        /* TlHoldBar */
  GArray                *states;       /* TlStateBox */
  GArray                *marks;        /* TlMarkBox */
  GArray                *pauses;       /* TlPauseBox */
  GArray                *labels;       /* TlLabel */
  GArray                *ticks;        /* TlTick */
  GArray                *legend;       /* TlLegendItem */
  GArray                *mismatches;   /* TlMismatchMark */
  guint                  n_labels;
  guint                  n_callouts;
  guint                  n_hidden_labels;
  gboolean               labels_suppressed;  /* too dense for any label */
};

/* Text measuring and drawing with the layout's fonts. */
typedef enum
{
  TL_FONT_TITLE,
  TL_FONT_CAPTION,
  TL_FONT_HOST,
  TL_FONT_LABEL,
  TL_FONT_OPTIONS,
  TL_FONT_SMALL,
  TL_FONT_SMALL_BOLD,
  TL_FONT_STATE,
  TL_FONT_ITALIC,
  TL_FONT_MARK,       /* socket calls beside the state bars */
  TL_N_FONTS
} TlFont;

PangoLayout *tl_render_text_layout  (TlRenderLayout *layout,
                                     TlFont          font,
                                     const char     *text);
/* Wrapped to MAX_WIDTH, two lines at most. */
PangoLayout *tl_render_text_layout_wrapped (TlRenderLayout *layout,
                                            TlFont          font,
                                            const char     *text,
                                            double          max_width,
                                            gboolean        align_right);
void         tl_render_text_measure (TlRenderLayout *layout,
                                     TlFont          font,
                                     const char     *text,
                                     double         *width,
                                     double         *height);

/* Places the labels of the layout's legs (tl-render-labels.c). */
void         tl_render_place_labels (TlRenderLayout *layout);

/* Geometry helpers shared by placement and hit testing. */
gboolean     tl_render_label_hits_point (const TlLabel *label,
                                         double         x,
                                         double         y);
double       tl_render_segment_distance (double x0, double y0,
                                         double x1, double y1,
                                         double px, double py);

G_END_DECLS

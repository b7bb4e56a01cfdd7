/* tl-outcome-map.h: a picture of which outcome each point of a sweep had.
 *
 * Two swept parameters give a heat map (first parameter across, second
 * upwards), one gives a strip.  Each cell takes the colour of its outcome
 * (open outcome by hue, close outcome by shade), thick lines mark every
 * border between cells of different outcomes, and the legend lists the
 * outcomes present with their share of the runs.  When several runs fall in
 * one cell (--seeds), the cell shows the most common outcome, hatched if
 * the runs disagree.  cairo + pango only: used by `tcpladder sweep` and
 * `tcpladder merge` and drawable in the GUI.
 */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "tl-outcome.h"

G_BEGIN_DECLS

typedef enum
{
  TL_MAP_UNIT_NUMBER,
  TL_MAP_UNIT_TIME,      /* values in nanoseconds */
  TL_MAP_UNIT_PERCENT,
} TlMapUnit;

/* A cell's outcome category: open * TL_N_CLOSE_OUTCOMES + close. */
#define TL_MAP_N_CATEGORIES (TL_N_OPEN_OUTCOMES * TL_N_CLOSE_OUTCOMES)
#define TL_MAP_NO_RUN       G_MAXUINT

typedef struct _TlOutcomeMap TlOutcomeMap;

/* N_X values across and N_Y upwards; N_Y = 0 makes a strip. */
TlOutcomeMap *tl_outcome_map_new          (guint              n_x,
                                           guint              n_y);
void          tl_outcome_map_free         (TlOutcomeMap      *map);
void          tl_outcome_map_set_title    (TlOutcomeMap      *map,
                                           const char        *title,
                                           const char        *caption);
/* AXIS 0 is across, 1 upwards.  VALUES (as many as the axis has cells)
 * are mantissas with DECIMALS decimals; times are nanoseconds with no
 * decimals.  LABEL names the parameter ("A<->B.delay"); the unit is added. */
void          tl_outcome_map_set_axis     (TlOutcomeMap      *map,
                                           guint              axis,
                                           const char        *label,
                                           TlMapUnit          unit,
                                           guint              decimals,
                                           const gint64      *values);
/* Counts one run with outcome OPEN/CLOSE in cell (X, Y). */
void          tl_outcome_map_add_run      (TlOutcomeMap      *map,
                                           guint              x,
                                           guint              y,
                                           TlOpenOutcome      open,
                                           TlCloseOutcome     close);
/* The most common category of a cell (ties: the lowest), TL_MAP_NO_RUN if
 * nothing ran there; *MIXED (may be NULL) tells if its runs disagreed. */
guint         tl_outcome_map_get_category (const TlOutcomeMap *map,
                                           guint              x,
                                           guint              y,
                                           gboolean          *mixed);
/* The fill colour of a category, components 0..1. */
void          tl_outcome_map_category_color (guint            category,
                                             double          *rgb);

/* The size the picture is drawn at, in points (SVG, PDF) or pixels. */
void          tl_outcome_map_get_size     (const TlOutcomeMap *map,
                                           int               *width,
                                           int               *height);
void          tl_outcome_map_draw         (const TlOutcomeMap *map,
                                           cairo_t           *cr);
/* Where cell (X, Y) is drawn, for hit testing and tests. */
void          tl_outcome_map_cell_rect    (const TlOutcomeMap *map,
                                           guint              x,
                                           guint              y,
                                           cairo_rectangle_t *rect);
/* The cell drawn at (PX, PY) in the picture's coordinates; FALSE outside
 * the plot.  The inverse of tl_outcome_map_cell_rect. */
gboolean      tl_outcome_map_cell_at      (const TlOutcomeMap *map,
                                           double              px,
                                           double              py,
                                           guint              *x,
                                           guint              *y);
/* Writes SVG, PNG or PDF, chosen by PATH's extension, atomically. */
gboolean      tl_outcome_map_save         (const TlOutcomeMap *map,
                                           const char        *path,
                                           GError           **error);
/* TRUE if PATH ends in .svg, .png or .pdf. */
gboolean      tl_outcome_map_path_supported (const char      *path);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlOutcomeMap, tl_outcome_map_free)

G_END_DECLS

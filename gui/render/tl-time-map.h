/* tl-time-map.h: simulated time to a vertical pixel position and back.
 *
 * A ladder spans nanoseconds (crossing SYNs) and minutes (TIME-WAIT) at
 * once, so time maps to y piece by piece: linear pieces all share one
 * scale, so slopes stay comparable, and "break" pieces squeeze an idle
 * stretch into a fixed height drawn with a zig-zag.  Time is integer
 * nanoseconds in, pixels (double) out.
 *
 * The map is immutable once built and reference counted, so a layout, the
 * GTK view and a hit test can share it.
 */
#pragma once

#include <glib.h>

#include "tl-time.h"

G_BEGIN_DECLS

typedef struct
{
  TlTime   t0, t1;    /* t0 < t1, except a map of one instant */
  double   y0, y1;    /* y0 <= y1 */
  gboolean is_break;  /* squeezed idle time, not to scale */
} TlTimeMapPiece;

typedef struct _TlTimeMap TlTimeMap;

/* An empty map starting at time START at pixel Y_START; append pieces in
 * time order. */
TlTimeMap            *tl_time_map_new            (TlTime     start,
                                                  double     y_start);
TlTimeMap            *tl_time_map_ref            (TlTimeMap *map);
void                  tl_time_map_unref          (TlTimeMap *map);
/* Extends the map to END at PX_PER_SECOND.  END must be after the current
 * end. */
void                  tl_time_map_append_linear  (TlTimeMap *map,
                                                  TlTime     end,
                                                  double     px_per_second);
/* Extends the map to END, the whole stretch taking HEIGHT pixels. */
void                  tl_time_map_append_break   (TlTimeMap *map,
                                                  TlTime     end,
                                                  double     height);

/* Times before the start or after the end extrapolate with the scale of
 * the first or last linear piece, so an arrow leaving the range still
 * points the right way. */
double                tl_time_map_to_y           (const TlTimeMap *map,
                                                  TlTime           t);
/* The inverse; inside a break it interpolates through the skipped time. */
TlTime                tl_time_map_to_time        (const TlTimeMap *map,
                                                  double           y);

TlTime                tl_time_map_get_start      (const TlTimeMap *map);
TlTime                tl_time_map_get_end        (const TlTimeMap *map);
double                tl_time_map_get_y_start    (const TlTimeMap *map);
double                tl_time_map_get_y_end      (const TlTimeMap *map);
/* Pixels per second of the linear pieces (they all share one). */
double                tl_time_map_get_scale      (const TlTimeMap *map);
guint                 tl_time_map_get_n_pieces   (const TlTimeMap *map);
const TlTimeMapPiece *tl_time_map_get_piece      (const TlTimeMap *map,
                                                  guint            index);
/* The piece holding T (the later one at a boundary); -1 outside. */
gint                  tl_time_map_find_piece     (const TlTimeMap *map,
                                                  TlTime           t);
guint                 tl_time_map_get_n_breaks   (const TlTimeMap *map);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlTimeMap, tl_time_map_unref)

G_END_DECLS

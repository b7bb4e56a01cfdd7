/* tl-time-map.c: piecewise linear time -> y. */
#include "tl-time-map.h"

#include <math.h>

struct _TlTimeMap
{
  gint    ref_count;
  TlTime  start;
  double  y_start;
  double  scale;    /* px per ns of the linear pieces, 0 until one exists */
  GArray *pieces;   /* TlTimeMapPiece */
  guint   n_breaks;
};

TlTimeMap *
tl_time_map_new (TlTime start,
                 double y_start)
{
  TlTimeMap *map = g_new0 (TlTimeMap, 1);

  map->ref_count = 1;
  map->start = start;
  map->y_start = y_start;
  map->pieces = g_array_new (FALSE, FALSE, sizeof (TlTimeMapPiece));
  return map;
}

TlTimeMap *
tl_time_map_ref (TlTimeMap *map)
{
  g_return_val_if_fail (map != NULL, NULL);
  g_atomic_int_inc (&map->ref_count);
  return map;
}

void
tl_time_map_unref (TlTimeMap *map)
{
  if (map == NULL || !g_atomic_int_dec_and_test (&map->ref_count))
    return;
  g_array_unref (map->pieces);
  g_free (map);
}

static void
current_end (const TlTimeMap *map,
             TlTime          *t,
             double          *y)
{
  if (map->pieces->len == 0)
    {
      *t = map->start;
      *y = map->y_start;
      return;
    }
  const TlTimeMapPiece *last = &g_array_index (map->pieces, TlTimeMapPiece,
                                               map->pieces->len - 1);
  *t = last->t1;
  *y = last->y1;
}

static void
append_piece (TlTimeMap *map,
              TlTime     end,
              double     height,
              gboolean   is_break)
{
  TlTimeMapPiece piece;

  current_end (map, &piece.t0, &piece.y0);
  g_return_if_fail (end > piece.t0);
  piece.t1 = end;
  piece.y1 = piece.y0 + MAX (height, 0.0);
  piece.is_break = is_break;
  g_array_append_val (map->pieces, piece);
  if (is_break)
    map->n_breaks++;
}

void
tl_time_map_append_linear (TlTimeMap *map,
                           TlTime     end,
                           double     px_per_second)
{
  TlTime t0;
  double y0;

  g_return_if_fail (map != NULL);
  g_return_if_fail (px_per_second > 0);
  current_end (map, &t0, &y0);
  map->scale = px_per_second / 1e9;
  append_piece (map, end, (double) (end - t0) * map->scale, FALSE);
}

void
tl_time_map_append_break (TlTimeMap *map,
                          TlTime     end,
                          double     height)
{
  g_return_if_fail (map != NULL);
  append_piece (map, end, height, TRUE);
}

static const TlTimeMapPiece *
piece_at (const TlTimeMap *map,
          guint            index)
{
  return &g_array_index (map->pieces, TlTimeMapPiece, index);
}

gint
tl_time_map_find_piece (const TlTimeMap *map,
                        TlTime           t)
{
  guint lo = 0, hi = map->pieces->len;

  if (hi == 0 || t < map->start || t > piece_at (map, hi - 1)->t1)
    return -1;
  /* First piece whose end is after T; the last piece takes its own end. */
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (piece_at (map, mid)->t1 <= t)
        lo = mid + 1;
      else
        hi = mid;
    }
  return (gint) MIN (lo, map->pieces->len - 1);
}

static double
piece_y (const TlTimeMapPiece *p,
         TlTime                t)
{
  if (p->t1 == p->t0)
    return p->y0;
  return p->y0 + (p->y1 - p->y0) * ((double) (t - p->t0) / (double) (p->t1 - p->t0));
}

double
tl_time_map_to_y (const TlTimeMap *map,
                  TlTime           t)
{
  guint n = map->pieces->len;
  gint i;

  if (n == 0)
    return map->y_start;
  if (t < map->start)
    return map->y_start - (double) (map->start - t) * map->scale;
  if (t > piece_at (map, n - 1)->t1)
    return piece_at (map, n - 1)->y1 + (double) (t - piece_at (map, n - 1)->t1) * map->scale;
  i = tl_time_map_find_piece (map, t);
  return piece_y (piece_at (map, (guint) i), t);
}

TlTime
tl_time_map_to_time (const TlTimeMap *map,
                     double           y)
{
  guint n = map->pieces->len, lo = 0, hi;
  const TlTimeMapPiece *p;

  if (n == 0 || map->scale <= 0)
    return map->start;
  if (y <= map->y_start)
    return map->start - (TlTime) llround ((map->y_start - y) / map->scale);
  p = piece_at (map, n - 1);
  if (y >= p->y1)
    return p->t1 + (TlTime) llround ((y - p->y1) / map->scale);
  hi = n;
  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      if (piece_at (map, mid)->y1 <= y)
        lo = mid + 1;
      else
        hi = mid;
    }
  p = piece_at (map, MIN (lo, n - 1));
  if (p->y1 <= p->y0)
    return p->t0;
  return p->t0 + (TlTime) llround ((double) (p->t1 - p->t0) * ((y - p->y0) / (p->y1 - p->y0)));
}

TlTime
tl_time_map_get_start (const TlTimeMap *map)
{
  return map->start;
}

TlTime
tl_time_map_get_end (const TlTimeMap *map)
{
  TlTime t;
  double y;

  current_end (map, &t, &y);
  return t;
}

double
tl_time_map_get_y_start (const TlTimeMap *map)
{
  return map->y_start;
}

double
tl_time_map_get_y_end (const TlTimeMap *map)
{
  TlTime t;
  double y;

  current_end (map, &t, &y);
  return y;
}

double
tl_time_map_get_scale (const TlTimeMap *map)
{
  return map->scale * 1e9;
}

guint
tl_time_map_get_n_pieces (const TlTimeMap *map)
{
  return map->pieces->len;
}

const TlTimeMapPiece *
tl_time_map_get_piece (const TlTimeMap *map,
                       guint            index)
{
  g_return_val_if_fail (index < map->pieces->len, NULL);
  return piece_at (map, index);
}

guint
tl_time_map_get_n_breaks (const TlTimeMap *map)
{
  return map->n_breaks;
}

/* tl-sweep-axis.h: one dimension of a sweep, parsed from the command line.
 *
 *   --vary KEY=FROM..TO/STEP      KEY takes FROM, FROM+STEP, ... up to TO
 *   --vary KEY=V1,V2,V3           KEY takes each value in turn
 *   --offset KEY-REF=FROM..TO/STEP
 *                                 KEY is set to REF's value plus the offset
 *   --seeds N                     "seed" takes 0 .. N-1
 */
#pragma once

#include <glib.h>

#include "tl-sweep-value.h"

G_BEGIN_DECLS

typedef enum
{
  TL_SWEEP_AXIS_VARY,
  TL_SWEEP_AXIS_OFFSET,
  TL_SWEEP_AXIS_SEED,
} TlSweepAxisKind;

/* No axis may have more values than this. */
#define TL_SWEEP_MAX_AXIS_VALUES G_GUINT64_CONSTANT (1000000000)

typedef struct
{
  TlSweepAxisKind kind;
  char           *option;     /* "--vary A<->B.delay=1ms..400ms/1ms", for messages */
  char           *key;        /* the key that is set ("B.connect.at", "seed") */
  char           *reference;  /* OFFSET: the key it is relative to ("A.connect.at") */
  char           *name;       /* "A<->B.delay", "B.connect.at-A.connect.at" */
  TlSweepUnit     unit;
  guint           decimals;
  /* The values, in sweep order: FROM + i * STEP for a range (computed,
   * never summed), or the listed ones. */
  guint64         n_values;
  gint64          from;
  gint64          step;
  GArray         *list;       /* gint64 mantissas, or NULL for a range */
} TlSweepAxis;

/* KIND is VARY or OFFSET; TEXT is the option's argument. */
TlSweepAxis *tl_sweep_axis_parse      (TlSweepAxisKind   kind,
                                       const char       *text,
                                       GError          **error);
TlSweepAxis *tl_sweep_axis_new_seeds  (guint64           n_seeds);
void         tl_sweep_axis_free       (TlSweepAxis      *axis);

static inline guint64
tl_sweep_axis_get_n_values (const TlSweepAxis *axis)
{
  return axis->n_values;
}

static inline gint64
tl_sweep_axis_get_value (const TlSweepAxis *axis,
                         guint64            i)
{
  if (axis->list != NULL)
    return g_array_index (axis->list, gint64, i);
  /* In unsigned arithmetic: FROM may be negative, the sum never passes TO. */
  return (gint64) ((guint64) axis->from + i * (guint64) axis->step);
}

/* Column name in CSV and JSON: NAME plus "_ns" for durations and "_pct"
 * for percentages. */
char        *tl_sweep_axis_column     (const TlSweepAxis *axis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSweepAxis, tl_sweep_axis_free)

G_END_DECLS

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
#define TL_SWEEP_MAX_AXIS_VALUES G_GUINT64_CONSTANT (100000000)

typedef struct
{
  TlSweepAxisKind kind;
  char           *option;     /* "--vary A<->B.delay=1ms..400ms/1ms", for messages */
  char           *key;        /* the key that is set ("B.connect.at", "seed") */
  char           *reference;  /* OFFSET: the key it is relative to ("A.connect.at") */
  char           *name;       /* "A<->B.delay", "B.connect.at-A.connect.at" */
  TlSweepUnit     unit;
  guint           decimals;
  GArray         *values;     /* gint64 mantissas, in sweep order */
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
  return axis->values->len;
}

static inline gint64
tl_sweep_axis_get_value (const TlSweepAxis *axis,
                         guint64            i)
{
  return g_array_index (axis->values, gint64, i);
}

/* Column name in CSV and JSON: NAME plus "_ns" for durations and "_pct"
 * for percentages. */
char        *tl_sweep_axis_column     (const TlSweepAxis *axis);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSweepAxis, tl_sweep_axis_free)

G_END_DECLS

/* tl-sweep-map.c: from sweep axes and results to an outcome map. */
#include "tl-sweep-map.h"

#include "tl-sweep-error.h"

/* Beyond this a cell is smaller than a pixel on any picture we draw. */
#define MAX_MAP_VALUES 100000

static TlMapUnit
map_unit (TlSweepUnit unit)
{
  switch (unit)
    {
    case TL_SWEEP_UNIT_TIME: return TL_MAP_UNIT_TIME;
    case TL_SWEEP_UNIT_PERCENT: return TL_MAP_UNIT_PERCENT;
    case TL_SWEEP_UNIT_NUMBER:
    default: return TL_MAP_UNIT_NUMBER;
    }
}

TlOutcomeMap *
tl_sweep_map_new (const TlSweepPlan  *plan,
                  const char         *title,
                  const char         *caption,
                  GError            **error)
{
  guint n_axes = tl_sweep_plan_get_n_map_axes (plan);
  TlOutcomeMap *map;

  if (n_axes < 1 || n_axes > 2)
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                   "--map shows one or two swept parameters, not %u "
                   "(write --csv and draw slices with `tcpladder merge --map`)", n_axes);
      return NULL;
    }
  for (guint a = 0; a < n_axes; a++)
    {
      const TlSweepAxis *axis = g_ptr_array_index (plan->axes, a);

      if (tl_sweep_axis_get_n_values (axis) > MAX_MAP_VALUES)
        {
          g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                       "--map: %s takes %" G_GUINT64_FORMAT " values; a map shows at most %u",
                       axis->name, tl_sweep_axis_get_n_values (axis), MAX_MAP_VALUES);
          return NULL;
        }
    }

  map = tl_outcome_map_new ((guint) tl_sweep_axis_get_n_values (g_ptr_array_index (plan->axes, 0)),
                            n_axes == 2
                            ? (guint) tl_sweep_axis_get_n_values (g_ptr_array_index (plan->axes, 1))
                            : 0);
  tl_outcome_map_set_title (map, title, caption);
  for (guint a = 0; a < n_axes; a++)
    {
      const TlSweepAxis *axis = g_ptr_array_index (plan->axes, a);
      guint n = (guint) tl_sweep_axis_get_n_values (axis);
      g_autofree gint64 *values = g_new (gint64, n);

      for (guint i = 0; i < n; i++)
        values[i] = tl_sweep_axis_get_value (axis, i);
      tl_outcome_map_set_axis (map, a, axis->name, map_unit (axis->unit), axis->decimals, values);
    }
  return map;
}

void
tl_sweep_map_add (TlOutcomeMap        *map,
                  const TlSweepPlan   *plan,
                  const TlSweepResult *result)
{
  guint x = (guint) tl_sweep_plan_coordinate (plan, result->point, 0);
  guint y = tl_sweep_plan_get_n_map_axes (plan) == 2
            ? (guint) tl_sweep_plan_coordinate (plan, result->point, 1) : 0;

  tl_outcome_map_add_run (map, x, y, result->outcome.open, result->outcome.close);
}

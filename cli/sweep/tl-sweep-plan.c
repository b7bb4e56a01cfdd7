/* tl-sweep-plan.c: numbering the points of a sweep and applying them. */
#include "tl-sweep-plan.h"

#include <errno.h>
#include <string.h>

#include "tl-sweep-error.h"

TlSweepPlan *
tl_sweep_plan_new (void)
{
  TlSweepPlan *plan = g_new0 (TlSweepPlan, 1);

  plan->axes = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_sweep_axis_free);
  plan->n_points = 1;
  plan->n_shards = 1;
  return plan;
}

void
tl_sweep_plan_free (TlSweepPlan *plan)
{
  if (plan == NULL)
    return;
  g_ptr_array_unref (plan->axes);
  g_free (plan->strides);
  g_free (plan);
}

static const TlSweepAxis *
plan_axis (const TlSweepPlan *plan,
           guint              i)
{
  return g_ptr_array_index (plan->axes, i);
}

static gboolean
sets_key (const TlSweepAxis *axis,
          const char        *key)
{
  return strcmp (axis->key, key) == 0;
}

static void
compute_strides (TlSweepPlan *plan)
{
  guint64 stride = 1;

  g_free (plan->strides);
  plan->strides = g_new (guint64, MAX (plan->axes->len, 1));
  for (guint i = plan->axes->len; i-- > 0;)
    {
      plan->strides[i] = stride;
      stride *= tl_sweep_axis_get_n_values (plan_axis (plan, i));
    }
}

gboolean
tl_sweep_plan_add_axis (TlSweepPlan  *plan,
                        TlSweepAxis  *axis,
                        GError      **error)
{
  g_autoptr(TlSweepAxis) owned = axis;
  guint64 n = tl_sweep_axis_get_n_values (axis);
  guint position = plan->axes->len;

  for (guint i = 0; i < plan->axes->len; i++)
    {
      const TlSweepAxis *other = plan_axis (plan, i);

      if (sets_key (other, axis->key))
        {
          g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                       "%s: %s is already swept by %s", axis->option, axis->key,
                       other->option);
          return FALSE;
        }
      if (other->kind == TL_SWEEP_AXIS_SEED)
        position = i;
    }
  if (n == 0 || plan->n_points > TL_SWEEP_MAX_POINTS / n)
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                   "%s: the sweep would have more than %" G_GUINT64_FORMAT " points",
                   axis->option, TL_SWEEP_MAX_POINTS);
      return FALSE;
    }
  plan->n_points *= n;
  g_ptr_array_insert (plan->axes, (gint) position, g_steal_pointer (&owned));
  compute_strides (plan);
  return TRUE;
}

static gboolean
parse_uint (const char *text,
            guint64     max,
            guint64    *out)
{
  guint64 value;

  return g_ascii_string_to_unsigned (text, 10, 0, max, &value, NULL)
         && (*out = value, TRUE);
}

gboolean
tl_sweep_plan_set_shard (TlSweepPlan  *plan,
                         const char   *text,
                         GError      **error)
{
  const char *slash = strchr (text, '/');
  g_autofree char *index_text = NULL;
  guint64 index, count;

  if (slash == NULL)
    goto bad;
  index_text = g_strndup (text, (gsize) (slash - text));
  if (!parse_uint (index_text, G_MAXUINT, &index) || !parse_uint (slash + 1, G_MAXUINT, &count)
      || count == 0)
    goto bad;
  if (index == 0 || index > count)
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
                   "--shard %s: shards are numbered 1 to %" G_GUINT64_FORMAT, text, count);
      return FALSE;
    }
  plan->shard = (guint) (index - 1);
  plan->n_shards = (guint) count;
  return TRUE;

bad:
  g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
               "--shard %s: expected I/N, such as 2/8 for the second of eight shards", text);
  return FALSE;
}

guint64
tl_sweep_plan_get_n_local (const TlSweepPlan *plan)
{
  if (plan->shard >= plan->n_points)
    return 0;
  return (plan->n_points - plan->shard + plan->n_shards - 1) / plan->n_shards;
}

guint64
tl_sweep_plan_local_point (const TlSweepPlan *plan,
                           guint64            local)
{
  return plan->shard + local * plan->n_shards;
}

guint64
tl_sweep_plan_coordinate (const TlSweepPlan *plan,
                          guint64            point,
                          guint              axis)
{
  return point / plan->strides[axis] % tl_sweep_axis_get_n_values (plan_axis (plan, axis));
}

gint64
tl_sweep_plan_value (const TlSweepPlan *plan,
                     guint64            point,
                     guint              axis)
{
  return tl_sweep_axis_get_value (plan_axis (plan, axis),
                                  tl_sweep_plan_coordinate (plan, point, axis));
}

guint
tl_sweep_plan_get_n_map_axes (const TlSweepPlan *plan)
{
  return plan->axes->len - (tl_sweep_plan_has_seeds (plan) ? 1 : 0);
}

gboolean
tl_sweep_plan_has_seeds (const TlSweepPlan *plan)
{
  return plan->axes->len > 0
         && plan_axis (plan, plan->axes->len - 1)->kind == TL_SWEEP_AXIS_SEED;
}

static gboolean
set_value (TlScenario        *scenario,
           const TlSweepAxis *axis,
           const char        *key,
           gint64             mantissa,
           GError           **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) local_error = NULL;

  tl_sweep_value_format (mantissa, axis->unit, axis->decimals, text);
  if (tl_scenario_set (scenario, key, text->str, &local_error))
    return TRUE;
  g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_SCENARIO, "%s: %s=%s: %s",
               axis->option, key, text->str, local_error->message);
  return FALSE;
}

/* KEY = REFERENCE + OFFSET; when that is before time zero, both move later
 * by the same amount so that KEY is at zero and the offset holds. */
static gboolean
apply_offset (TlScenario        *scenario,
              const TlSweepAxis *axis,
              gint64             offset,
              GError           **error)
{
  TlTime reference, key_time;
  g_autoptr(GError) local_error = NULL;

  if (!tl_sweep_scenario_get_time (scenario, axis->reference, &reference, &local_error))
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE, "%s: %s", axis->option,
                   local_error->message);
      return FALSE;
    }
  if (__builtin_add_overflow (reference, offset, &key_time))
    {
      g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE, "%s: time out of range",
                   axis->option);
      return FALSE;
    }
  if (key_time < 0)
    {
      reference -= key_time;
      key_time = 0;
    }
  return set_value (scenario, axis, axis->reference, reference, error)
         && set_value (scenario, axis, axis->key, key_time, error);
}

gboolean
tl_sweep_plan_apply (const TlSweepPlan *plan,
                     guint64            point,
                     TlScenario        *scenario,
                     GError           **error)
{
  for (guint i = 0; i < plan->axes->len; i++)
    {
      const TlSweepAxis *axis = plan_axis (plan, i);

      if (axis->kind != TL_SWEEP_AXIS_OFFSET
          && !set_value (scenario, axis, axis->key, tl_sweep_plan_value (plan, point, i), error))
        return FALSE;
    }
  for (guint i = 0; i < plan->axes->len; i++)
    {
      const TlSweepAxis *axis = plan_axis (plan, i);

      if (axis->kind == TL_SWEEP_AXIS_OFFSET
          && !apply_offset (scenario, axis, tl_sweep_plan_value (plan, point, i), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
find_call_kind (const char *name,
                TlCallKind *out)
{
  for (guint k = TL_CALL_NONE + 1; k < TL_N_CALLS; k++)
    if (strcmp (name, tl_call_to_string ((TlCallKind) k)) == 0)
      {
        *out = (TlCallKind) k;
        return TRUE;
      }
  return FALSE;
}

static gboolean
get_call_time (const TlScenario *scenario,
               char            **parts,
               guint             n_parts,
               TlTime           *out)
{
  TlCallKind kind;
  guint64 ordinal = 1;

  if (strcmp (parts[n_parts - 1], "at") != 0 || (n_parts != 3 && n_parts != 4)
      || !find_call_kind (parts[1], &kind)
      || (n_parts == 4 && (!parse_uint (parts[2], G_MAXUINT, &ordinal) || ordinal == 0)))
    return FALSE;
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      const TlScenarioHost *host = &scenario->hosts[h];

      if (host->name == NULL || strcmp (host->name, parts[0]) != 0 || host->calls == NULL)
        continue;
      /* The N-th call of that kind in time order, as tl_scenario_set
       * counts them. */
      guint64 count = 0;

      for (guint c = 0; c < host->calls->len; c++)
        {
          const TlScenarioCall *call = &g_array_index (host->calls, TlScenarioCall, c);

          if (call->kind == kind && ++count == ordinal)
            {
              *out = call->at;
              return TRUE;
            }
        }
    }
  return FALSE;
}

static gboolean
get_pause_time (const TlScenario *scenario,
                char            **parts,
                guint             n_parts,
                TlTime           *out)
{
  guint64 n;
  const TlPauseWindow *window;

  if (n_parts != 4 || strcmp (parts[0], "router") != 0 || strcmp (parts[1], "pause") != 0
      || !parse_uint (parts[2], G_MAXUINT, &n) || n == 0 || scenario->pauses == NULL
      || n > scenario->pauses->len)
    return FALSE;
  window = &g_array_index (scenario->pauses, TlPauseWindow, n - 1);
  if (strcmp (parts[3], "start") == 0)
    *out = window->start;
  else if (strcmp (parts[3], "end") == 0)
    *out = window->end;
  else
    return FALSE;
  return TRUE;
}

gboolean
tl_sweep_scenario_get_time (const TlScenario  *scenario,
                            const char        *key,
                            TlTime            *out,
                            GError           **error)
{
  g_auto(GStrv) parts = g_strsplit (key, ".", -1);
  guint n_parts = g_strv_length (parts);

  if (n_parts >= 3
      && (get_call_time (scenario, parts, n_parts, out)
          || get_pause_time (scenario, parts, n_parts, out)))
    return TRUE;
  g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE,
               "%s is not a call time or a pause time of this scenario (an offset is "
               "relative to a key such as A.connect.at or router.pause.1.start)", key);
  return FALSE;
}

/* tl-sweep-axis.c: parsing --vary, --offset and --seeds. */
#include "tl-sweep-axis.h"

#include <string.h>

#include "tl-sweep-error.h"

G_DEFINE_QUARK (tl-sweep-error-quark, tl_sweep_error)

void
tl_sweep_axis_free (TlSweepAxis *axis)
{
  if (axis == NULL)
    return;
  g_free (axis->option);
  g_free (axis->key);
  g_free (axis->reference);
  g_free (axis->name);
  if (axis->list != NULL)
    g_array_unref (axis->list);
  g_free (axis);
}

static TlSweepAxis *
axis_new (TlSweepAxisKind kind)
{
  TlSweepAxis *axis = g_new0 (TlSweepAxis, 1);

  axis->kind = kind;
  return axis;
}

static const char *
option_name (TlSweepAxisKind kind)
{
  switch (kind)
    {
    case TL_SWEEP_AXIS_VARY: return "--vary";
    case TL_SWEEP_AXIS_OFFSET: return "--offset";
    case TL_SWEEP_AXIS_SEED: return "--seeds";
    default: return "?";
    }
}

/* Sets ERROR to "--vary TEXT: MESSAGE". */
static gboolean G_GNUC_PRINTF (3, 4)
fail (GError          **error,
      const TlSweepAxis *axis,
      const char       *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE, "%s: %s", axis->option, message);
  return FALSE;
}

/* Finds the '-' between KEY and REF in "B.connect.at-A.connect.at",
 * skipping the arrows of link keys ("A->B.delay", "A<->B.delay"). */
static const char *
find_offset_minus (const char *keys)
{
  const char *found = NULL;

  for (const char *p = keys; *p; p++)
    if (*p == '-' && p[1] != '>')
      {
        if (found != NULL)
          return NULL;
        found = p;
      }
  return found;
}

static gboolean
parse_keys (TlSweepAxis  *axis,
            const char   *keys,
            GError      **error)
{
  if (axis->kind == TL_SWEEP_AXIS_VARY)
    {
      if (*keys == '\0')
        return fail (error, axis, "expected KEY=FROM..TO/STEP; the key is empty");
      axis->key = g_strdup (keys);
      axis->name = g_strdup (keys);
      return TRUE;
    }
  else
    {
      const char *minus = find_offset_minus (keys);

      if (minus == NULL || minus == keys || minus[1] == '\0')
        return fail (error, axis,
                     "expected KEY-REFERENCE=FROM..TO/STEP, such as "
                     "B.connect.at-A.connect.at=-500ms..500ms/10ms");
      axis->key = g_strndup (keys, (gsize) (minus - keys));
      axis->reference = g_strdup (minus + 1);
      if (strcmp (axis->key, axis->reference) == 0)
        return fail (error, axis, "%s cannot be offset from itself", axis->key);
      axis->name = g_strdup (keys);
      return TRUE;
    }
}

static gboolean
parse_value (TlSweepAxis   *axis,
             const char    *what,
             const char    *text,
             TlSweepValue  *out,
             GError       **error)
{
  const char *detail = NULL;

  if (!tl_sweep_value_parse (text, out, &detail))
    return fail (error, axis, "%s '%s': %s", what, text, detail);
  return TRUE;
}

/* Picks the unit all VALUES share (a bare zero fits any) and the most
 * decimals any of them has, and converts them all to it. */
static gboolean
unify (TlSweepAxis   *axis,
       TlSweepValue  *values,
       const char   **texts,
       guint          n,
       GError       **error)
{
  TlSweepUnit unit = TL_SWEEP_UNIT_NUMBER;
  const char *unit_text = NULL;
  guint decimals = 0;

  for (guint i = 0; i < n; i++)
    {
      gboolean bare_zero = values[i].unit == TL_SWEEP_UNIT_NUMBER && values[i].mantissa == 0;

      if (bare_zero)
        continue;
      if (unit_text != NULL && values[i].unit != unit)
        return fail (error, axis, "'%s' is a %s but '%s' is a %s", unit_text,
                     tl_sweep_unit_to_string (unit), texts[i],
                     tl_sweep_unit_to_string (values[i].unit));
      unit = values[i].unit;
      unit_text = texts[i];
    }
  if (axis->kind == TL_SWEEP_AXIS_OFFSET)
    {
      if (unit_text != NULL && unit != TL_SWEEP_UNIT_TIME)
        return fail (error, axis, "an offset is a duration such as -500ms, not '%s'", unit_text);
      unit = TL_SWEEP_UNIT_TIME;
    }
  for (guint i = 0; i < n; i++)
    decimals = MAX (decimals, values[i].decimals);
  for (guint i = 0; i < n; i++)
    if (!tl_sweep_value_convert (&values[i], unit, decimals))
      return fail (error, axis, "'%s' is too large", texts[i]);
  axis->unit = unit;
  axis->decimals = decimals;
  return TRUE;
}

static gboolean
parse_range (TlSweepAxis  *axis,
             const char   *spec,
             const char   *dots,
             GError      **error)
{
  g_autofree char *from_text = g_strndup (spec, (gsize) (dots - spec));
  const char *slash = strrchr (dots + 2, '/');
  g_autofree char *to_text = NULL;
  const char *texts[3];
  TlSweepValue v[3];
  guint64 span, n;

  if (slash == NULL)
    return fail (error, axis, "a range needs a step: FROM..TO/STEP, such as 0ms..1s/10ms");
  to_text = g_strndup (dots + 2, (gsize) (slash - (dots + 2)));
  texts[0] = from_text;
  texts[1] = to_text;
  texts[2] = slash + 1;
  if (!parse_value (axis, "FROM", texts[0], &v[0], error)
      || !parse_value (axis, "TO", texts[1], &v[1], error)
      || !parse_value (axis, "STEP", texts[2], &v[2], error)
      || !unify (axis, v, texts, 3, error))
    return FALSE;

  if (v[2].mantissa <= 0)
    return fail (error, axis, "the step must be positive, not '%s'", texts[2]);
  if (v[0].mantissa > v[1].mantissa)
    return fail (error, axis, "FROM '%s' is after TO '%s'", texts[0], texts[1]);

  /* TO - FROM fits in 64 unsigned bits even when FROM is very negative. */
  span = (guint64) v[1].mantissa - (guint64) v[0].mantissa;
  n = span / (guint64) v[2].mantissa + 1;
  if (n > TL_SWEEP_MAX_AXIS_VALUES)
    return fail (error, axis, "%" G_GUINT64_FORMAT " values; at most %" G_GUINT64_FORMAT
                 " per parameter (use a larger step)", n, TL_SWEEP_MAX_AXIS_VALUES);

  axis->n_values = n;
  axis->from = v[0].mantissa;
  axis->step = v[2].mantissa;
  return TRUE;
}

static gboolean
parse_list (TlSweepAxis  *axis,
            const char   *spec,
            GError      **error)
{
  g_auto(GStrv) texts = g_strsplit (spec, ",", -1);
  guint n = g_strv_length (texts);
  g_autofree TlSweepValue *v = g_new0 (TlSweepValue, MAX (n, 1));
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);

  if (n > TL_SWEEP_MAX_AXIS_VALUES)
    return fail (error, axis, "too many values");
  for (guint i = 0; i < n; i++)
    if (!parse_value (axis, "value", texts[i], &v[i], error))
      return FALSE;
  if (!unify (axis, v, (const char **) texts, n, error))
    return FALSE;
  axis->list = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  g_array_set_size (axis->list, n);
  axis->n_values = n;
  for (guint i = 0; i < n; i++)
    {
      g_array_index (axis->list, gint64, i) = v[i].mantissa;
      if (!g_hash_table_add (seen, &g_array_index (axis->list, gint64, i)))
        return fail (error, axis, "'%s' is listed twice", texts[i]);
    }
  return TRUE;
}

TlSweepAxis *
tl_sweep_axis_parse (TlSweepAxisKind   kind,
                     const char       *text,
                     GError          **error)
{
  g_autoptr(TlSweepAxis) axis = axis_new (kind);
  const char *equals = strchr (text, '=');
  g_autofree char *keys = NULL;
  const char *spec;
  const char *dots;

  g_return_val_if_fail (kind == TL_SWEEP_AXIS_VARY || kind == TL_SWEEP_AXIS_OFFSET, NULL);

  axis->option = g_strdup_printf ("%s %s", option_name (kind), text);
  if (equals == NULL)
    {
      fail (error, axis, kind == TL_SWEEP_AXIS_VARY
            ? "expected KEY=FROM..TO/STEP or KEY=V1,V2,..."
            : "expected KEY-REFERENCE=FROM..TO/STEP");
      return NULL;
    }
  keys = g_strndup (text, (gsize) (equals - text));
  spec = equals + 1;
  if (!parse_keys (axis, keys, error))
    return NULL;
  if (*spec == '\0')
    {
      fail (error, axis, "no values after '='");
      return NULL;
    }

  dots = strstr (spec, "..");
  if (dots != NULL ? !parse_range (axis, spec, dots, error) : !parse_list (axis, spec, error))
    return NULL;
  return g_steal_pointer (&axis);
}

TlSweepAxis *
tl_sweep_axis_new_seeds (guint64 n_seeds)
{
  TlSweepAxis *axis = axis_new (TL_SWEEP_AXIS_SEED);

  axis->option = g_strdup_printf ("--seeds %" G_GUINT64_FORMAT, n_seeds);
  axis->key = g_strdup ("seed");
  axis->name = g_strdup ("seed");
  axis->unit = TL_SWEEP_UNIT_NUMBER;
  axis->n_values = n_seeds;
  axis->from = 0;
  axis->step = 1;
  return axis;
}

char *
tl_sweep_axis_column (const TlSweepAxis *axis)
{
  switch (axis->unit)
    {
    case TL_SWEEP_UNIT_TIME: return g_strconcat (axis->name, "_ns", NULL);
    case TL_SWEEP_UNIT_PERCENT: return g_strconcat (axis->name, "_pct", NULL);
    case TL_SWEEP_UNIT_NUMBER: return g_strdup (axis->name);
    default: g_assert_not_reached ();
    }
}

/* test-sweep-plan.c: sweep values, --vary/--offset/--seeds parsing, point
 * numbering, shards, and applying points to a scenario. */
#include <string.h>

#include "tl-scenario.h"
#include "tl-sweep-axis.h"
#include "tl-sweep-error.h"
#include "tl-sweep-plan.h"
#include "tl-sweep-value.h"

static void
test_value_parse (void)
{
  static const struct
  {
    const char *text;
    TlSweepUnit unit;
    gint64      mantissa;
    guint       decimals;
  } cases[] = {
    { "250ms", TL_SWEEP_UNIT_TIME, 250000000, 0 },
    { "-1.5s", TL_SWEEP_UNIT_TIME, -1500000000, 0 },
    { "17ns", TL_SWEEP_UNIT_TIME, 17, 0 },
    { "0", TL_SWEEP_UNIT_NUMBER, 0, 0 },
    { "3", TL_SWEEP_UNIT_NUMBER, 3, 0 },
    { "-0.25", TL_SWEEP_UNIT_NUMBER, -25, 2 },
    { "2.5%", TL_SWEEP_UNIT_PERCENT, 25, 1 },
    { "0.0001%", TL_SWEEP_UNIT_PERCENT, 1, 4 },
    { "100%", TL_SWEEP_UNIT_PERCENT, 100, 0 },
  };
  static const char *const bad[] = { "", "ms", "1.2.3", "5x", "%", "1.0000000001", "10" "000000000000000000000" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TlSweepValue v;
      const char *detail = NULL;

      g_assert_true (tl_sweep_value_parse (cases[i].text, &v, &detail));
      g_assert_cmpint (v.unit, ==, cases[i].unit);
      g_assert_cmpint (v.mantissa, ==, cases[i].mantissa);
      g_assert_cmpuint (v.decimals, ==, cases[i].decimals);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      TlSweepValue v;
      const char *detail = NULL;

      g_assert_false (tl_sweep_value_parse (bad[i], &v, &detail));
      g_assert_nonnull (detail);
    }
}

static void
test_value_format (void)
{
  static const struct
  {
    gint64      mantissa;
    TlSweepUnit unit;
    guint       decimals;
    const char *scenario;   /* what tl_scenario_set reads */
    const char *raw;        /* what CSV and JSON carry */
  } cases[] = {
    { 250000000, TL_SWEEP_UNIT_TIME, 0, "250ms", "250000000" },
    { 1000000000, TL_SWEEP_UNIT_TIME, 0, "1s", "1000000000" },
    { 1500000, TL_SWEEP_UNIT_TIME, 0, "1500us", "1500000" },
    { 1001, TL_SWEEP_UNIT_TIME, 0, "1001ns", "1001" },
    { 0, TL_SWEEP_UNIT_TIME, 0, "0", "0" },
    { -500000000, TL_SWEEP_UNIT_TIME, 0, "-500ms", "-500000000" },
    { 150, TL_SWEEP_UNIT_NUMBER, 2, "1.5", "1.5" },
    { -5, TL_SWEEP_UNIT_NUMBER, 1, "-0.5", "-0.5" },
    { 25, TL_SWEEP_UNIT_PERCENT, 1, "2.5%", "2.5" },
    { 300, TL_SWEEP_UNIT_PERCENT, 2, "3%", "3" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) scenario = g_string_new (NULL);
      g_autoptr(GString) raw = g_string_new (NULL);
      gint64 mantissa;
      guint decimals;

      tl_sweep_value_format (cases[i].mantissa, cases[i].unit, cases[i].decimals, scenario);
      tl_sweep_value_format_raw (cases[i].mantissa, cases[i].decimals, raw);
      g_assert_cmpstr (scenario->str, ==, cases[i].scenario);
      g_assert_cmpstr (raw->str, ==, cases[i].raw);
      /* And back. */
      g_assert_true (tl_sweep_value_parse_raw (raw->str, &mantissa, &decimals));
      while (decimals < cases[i].decimals)
        mantissa *= 10, decimals++;
      g_assert_cmpint (mantissa, ==, cases[i].mantissa);
    }
}

static TlSweepAxis *
parse_ok (TlSweepAxisKind kind,
          const char     *text)
{
  g_autoptr(GError) error = NULL;
  TlSweepAxis *axis = tl_sweep_axis_parse (kind, text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (axis);
  return axis;
}

static void
assert_values (const TlSweepAxis *axis,
               const gint64      *expected,
               guint              n)
{
  g_assert_cmpuint (tl_sweep_axis_get_n_values (axis), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (tl_sweep_axis_get_value (axis, i), ==, expected[i]);
}

static void
test_axis_ranges (void)
{
  g_autoptr(TlSweepAxis) delay = parse_ok (TL_SWEEP_AXIS_VARY, "A<->B.delay=1ms..4ms/1ms");
  g_autoptr(TlSweepAxis) uneven = parse_ok (TL_SWEEP_AXIS_VARY, "B.connect.at=0..1s/300ms");
  g_autoptr(TlSweepAxis) loss = parse_ok (TL_SWEEP_AXIS_VARY, "A->B.loss=0%..1%/0.25%");
  g_autoptr(TlSweepAxis) numbers = parse_ok (TL_SWEEP_AXIS_VARY, "seed=5,1,3");
  g_autoptr(TlSweepAxis) offset = parse_ok (TL_SWEEP_AXIS_OFFSET,
                                            "B.connect.at-A.connect.at=-20ms..20ms/10ms");
  g_autoptr(TlSweepAxis) link_offset = parse_ok (TL_SWEEP_AXIS_OFFSET,
                                                 "router.pause.1.end-router.pause.1.start=1s..2s/1s");
  g_autoptr(TlSweepAxis) seeds = tl_sweep_axis_new_seeds (3);
  g_autoptr(TlSweepAxis) tiny = parse_ok (TL_SWEEP_AXIS_VARY, "x=0.1..0.3/0.1");
  const gint64 ms = 1000000;
  const gint64 delay_values[] = { 1 * ms, 2 * ms, 3 * ms, 4 * ms };
  const gint64 uneven_values[] = { 0, 300 * ms, 600 * ms, 900 * ms };
  const gint64 loss_values[] = { 0, 25, 50, 75, 100 };
  const gint64 number_values[] = { 5, 1, 3 };
  const gint64 offset_values[] = { -20 * ms, -10 * ms, 0, 10 * ms, 20 * ms };
  const gint64 seed_values[] = { 0, 1, 2 };
  /* 0.1 + 2 * 0.1 in doubles is 0.30000000000000004: here it is 3/10. */
  const gint64 tiny_values[] = { 1, 2, 3 };
  g_autofree char *column = NULL;

  assert_values (delay, delay_values, G_N_ELEMENTS (delay_values));
  g_assert_cmpint (delay->unit, ==, TL_SWEEP_UNIT_TIME);
  g_assert_cmpstr (delay->key, ==, "A<->B.delay");
  assert_values (uneven, uneven_values, G_N_ELEMENTS (uneven_values));
  assert_values (loss, loss_values, G_N_ELEMENTS (loss_values));
  g_assert_cmpint (loss->unit, ==, TL_SWEEP_UNIT_PERCENT);
  g_assert_cmpuint (loss->decimals, ==, 2);
  assert_values (numbers, number_values, G_N_ELEMENTS (number_values));
  assert_values (offset, offset_values, G_N_ELEMENTS (offset_values));
  g_assert_cmpstr (offset->key, ==, "B.connect.at");
  g_assert_cmpstr (offset->reference, ==, "A.connect.at");
  g_assert_cmpstr (offset->name, ==, "B.connect.at-A.connect.at");
  g_assert_cmpstr (link_offset->key, ==, "router.pause.1.end");
  assert_values (seeds, seed_values, G_N_ELEMENTS (seed_values));
  assert_values (tiny, tiny_values, G_N_ELEMENTS (tiny_values));
  g_assert_cmpuint (tiny->decimals, ==, 1);

  column = tl_sweep_axis_column (delay);
  g_assert_cmpstr (column, ==, "A<->B.delay_ns");
  g_free (column);
  column = tl_sweep_axis_column (loss);
  g_assert_cmpstr (column, ==, "A->B.loss_pct");
  g_free (column);
  column = tl_sweep_axis_column (numbers);
  g_assert_cmpstr (column, ==, "seed");
}

/* Every bad range is refused with a message naming the option, as typed,
 * and saying what is wrong. */
static void
test_axis_errors (void)
{
  static const struct
  {
    TlSweepAxisKind kind;
    const char     *text;
    const char     *expected;
  } cases[] = {
    { TL_SWEEP_AXIS_VARY, "B.connect.at", "expected KEY=FROM..TO/STEP" },
    { TL_SWEEP_AXIS_VARY, "=1ms..2ms/1ms", "the key is empty" },
    { TL_SWEEP_AXIS_VARY, "B.connect.at=", "no values" },
    { TL_SWEEP_AXIS_VARY, "B.connect.at=0ms..1s", "needs a step" },
    { TL_SWEEP_AXIS_VARY, "B.connect.at=0ms..1s/0ms", "step must be positive" },
    { TL_SWEEP_AXIS_VARY, "B.connect.at=0ms..1s/-1ms", "step must be positive" },
    { TL_SWEEP_AXIS_VARY, "B.connect.at=1s..0s/1ms", "is after TO" },
    { TL_SWEEP_AXIS_VARY, "B.connect.at=0ms..1s/1%", "is a duration but '1%' is a percentage" },
    { TL_SWEEP_AXIS_VARY, "A<->B.delay=1ms..2/1ms", "is a duration but '2' is a number" },
    { TL_SWEEP_AXIS_VARY, "A<->B.delay=1qs..2ms/1ms", "FROM '1qs'" },
    { TL_SWEEP_AXIS_VARY, "A<->B.delay=1ms..2ms/1", "is a duration but '1' is a number" },
    { TL_SWEEP_AXIS_VARY, "A<->B.delay=0ns..10s/1ns", "at most 1000000000" },
    { TL_SWEEP_AXIS_VARY, "seed=1,2,1", "'1' is listed twice" },
    { TL_SWEEP_AXIS_VARY, "seed=1,,2", "empty value" },
    { TL_SWEEP_AXIS_OFFSET, "B.connect.at=-1s..1s/1ms", "expected KEY-REFERENCE" },
    { TL_SWEEP_AXIS_OFFSET, "B.connect.at-B.connect.at=0ms..1ms/1ms", "from itself" },
    { TL_SWEEP_AXIS_OFFSET, "B.connect.at-A.connect.at=0..3/1", "an offset is a duration" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlSweepAxis) axis = tl_sweep_axis_parse (cases[i].kind, cases[i].text, &error);
      g_autofree char *option = g_strdup_printf ("%s %s: ", cases[i].kind == TL_SWEEP_AXIS_VARY
                                                 ? "--vary" : "--offset", cases[i].text);

      g_assert_null (axis);
      g_assert_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE);
      if (!g_str_has_prefix (error->message, option) || !strstr (error->message, cases[i].expected))
        g_error ("'%s': got \"%s\", expected \"%s...%s...\"", cases[i].text, error->message,
                 option, cases[i].expected);
    }
}

static TlSweepPlan *
plan_of (const char *first,
         const char *second,
         guint       n_seeds)
{
  TlSweepPlan *plan = tl_sweep_plan_new ();
  g_autoptr(GError) error = NULL;

  if (first != NULL)
    g_assert_true (tl_sweep_plan_add_axis (plan, parse_ok (TL_SWEEP_AXIS_VARY, first), &error));
  if (n_seeds > 0)
    g_assert_true (tl_sweep_plan_add_axis (plan, tl_sweep_axis_new_seeds (n_seeds), &error));
  /* Added after the seeds, it still goes before them. */
  if (second != NULL)
    g_assert_true (tl_sweep_plan_add_axis (plan, parse_ok (TL_SWEEP_AXIS_VARY, second), &error));
  g_assert_no_error (error);
  return plan;
}

static void
test_plan_order (void)
{
  g_autoptr(TlSweepPlan) plan = plan_of ("x=1,2,3", "y=10,20", 2);
  guint64 point = 0;

  g_assert_cmpuint (plan->n_points, ==, 12);
  g_assert_true (tl_sweep_plan_has_seeds (plan));
  g_assert_cmpuint (tl_sweep_plan_get_n_map_axes (plan), ==, 2);
  /* Nested loops: x outermost, then y, the seed innermost. */
  for (gint64 x = 1; x <= 3; x++)
    for (gint64 y = 10; y <= 20; y += 10)
      for (gint64 seed = 0; seed < 2; seed++, point++)
        {
          g_assert_cmpint (tl_sweep_plan_value (plan, point, 0), ==, x);
          g_assert_cmpint (tl_sweep_plan_value (plan, point, 1), ==, y);
          g_assert_cmpint (tl_sweep_plan_value (plan, point, 2), ==, seed);
        }
}

static void
test_plan_shards (void)
{
  for (guint n_points = 1; n_points <= 23; n_points += 11)
    for (guint n_shards = 1; n_shards <= 7; n_shards++)
      {
        g_autofree char *range = g_strdup_printf ("x=1..%u/1", n_points);
        g_autofree guint *seen = g_new0 (guint, n_points);
        guint64 total = 0;

        for (guint shard = 1; shard <= n_shards; shard++)
          {
            g_autoptr(TlSweepPlan) plan = plan_of (range, NULL, 0);
            g_autofree char *spec = g_strdup_printf ("%u/%u", shard, n_shards);
            g_autoptr(GError) error = NULL;
            guint64 previous = 0;

            g_assert_true (tl_sweep_plan_set_shard (plan, spec, &error));
            g_assert_no_error (error);
            for (guint64 local = 0; local < tl_sweep_plan_get_n_local (plan); local++)
              {
                guint64 point = tl_sweep_plan_local_point (plan, local);

                g_assert_cmpuint (point, <, n_points);
                /* Interleaved: shard I has the points I-1 modulo N, in order. */
                g_assert_cmpuint (point % n_shards, ==, shard - 1);
                g_assert_true (local == 0 || point > previous);
                previous = point;
                seen[point]++;
              }
            total += tl_sweep_plan_get_n_local (plan);
          }
        g_assert_cmpuint (total, ==, n_points);
        for (guint p = 0; p < n_points; p++)
          g_assert_cmpuint (seen[p], ==, 1);
      }
}

static void
test_plan_errors (void)
{
  static const struct
  {
    const char *shard;
    const char *expected;
  } shards[] = {
    { "0/4", "--shard 0/4: shards are numbered 1 to 4" },
    { "5/4", "--shard 5/4: shards are numbered 1 to 4" },
    { "1/0", "--shard 1/0: expected I/N" },
    { "two/4", "--shard two/4: expected I/N" },
    { "3", "--shard 3: expected I/N" },
    { "-1/4", "--shard -1/4: expected I/N" },
  };
  g_autoptr(TlSweepPlan) plan = plan_of ("A<->B.delay=1ms..2ms/1ms", NULL, 0);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (shards); i++)
    {
      g_assert_false (tl_sweep_plan_set_shard (plan, shards[i].shard, &error));
      g_assert_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE);
      g_assert_true (g_str_has_prefix (error->message, shards[i].expected));
      g_clear_error (&error);
    }

  /* The same key twice. */
  g_assert_false (tl_sweep_plan_add_axis (plan, parse_ok (TL_SWEEP_AXIS_VARY,
                                                          "A<->B.delay=5ms,6ms"), &error));
  g_assert_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "already swept by --vary A<->B.delay=1ms..2ms/1ms"));
  g_clear_error (&error);

  /* Too many points in all. */
  g_assert_true (tl_sweep_plan_add_axis (plan, parse_ok (TL_SWEEP_AXIS_VARY,
                                                         "x=1..100000000/1"), &error));
  g_assert_true (tl_sweep_plan_add_axis (plan, parse_ok (TL_SWEEP_AXIS_VARY,
                                                         "y=1..1000/1"), &error));
  g_assert_false (tl_sweep_plan_add_axis (plan, parse_ok (TL_SWEEP_AXIS_VARY,
                                                          "z=1..10000/1"), &error));
  g_assert_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_USAGE);
  g_assert_nonnull (strstr (error->message, "more than"));
}

static TlScenario *
load_bundled (const char *name)
{
  const char *dir = g_getenv ("TL_SCENARIOS_DIR");
  g_autofree char *path = g_build_filename (dir != NULL ? dir : ".", name, NULL);
  g_autoptr(GError) error = NULL;
  TlScenario *scenario = tl_scenario_load (path, &error);

  g_assert_no_error (error);
  return scenario;
}

static TlTime
time_of (const TlScenario *scenario,
         const char       *key)
{
  g_autoptr(GError) error = NULL;
  TlTime t = -1;

  g_assert_true (tl_sweep_scenario_get_time (scenario, key, &t, &error));
  g_assert_no_error (error);
  return t;
}

/* --offset: B = A + offset, both moved later when B would be negative. */
static void
test_plan_apply_offset (void)
{
  g_autoptr(TlScenario) base = load_bundled ("simultaneous-open-delay.scn");
  g_autoptr(TlSweepPlan) plan = tl_sweep_plan_new ();
  g_autoptr(GError) error = NULL;
  const TlTime ms = TL_MSEC (1);
  static const struct { TlTime a, b; } expected[] = {
    { 300, 0 }, { 0, 0 }, { 0, 200 },
  };

  g_assert_cmpint (time_of (base, "A.connect.at"), ==, 0);
  g_assert_cmpint (time_of (base, "B.connect.at"), ==, 500 * ms);
  g_assert_true (tl_sweep_plan_add_axis (plan, parse_ok (TL_SWEEP_AXIS_OFFSET,
                                         "B.connect.at-A.connect.at=-300ms,0ms,200ms"), &error));
  g_assert_true (tl_sweep_plan_add_axis (plan, parse_ok (TL_SWEEP_AXIS_VARY,
                                         "A<->B.delay=1ms,7ms"), &error));
  for (guint64 point = 0; point < plan->n_points; point++)
    {
      g_autoptr(TlScenario) scenario = tl_scenario_copy (base);

      g_assert_true (tl_sweep_plan_apply (plan, point, scenario, &error));
      g_assert_no_error (error);
      g_assert_true (tl_scenario_validate (scenario, &error));
      g_assert_cmpint (time_of (scenario, "A.connect.at"), ==, expected[point / 2].a * ms);
      g_assert_cmpint (time_of (scenario, "B.connect.at"), ==, expected[point / 2].b * ms);
      g_assert_cmpint (scenario->links[0].delay, ==, (point % 2 ? 7 : 1) * ms);
      g_assert_cmpint (scenario->links[1].delay, ==, (point % 2 ? 7 : 1) * ms);
    }
}

static void
test_plan_apply_errors (void)
{
  g_autoptr(TlScenario) base = load_bundled ("simultaneous-open-delay.scn");
  static const struct
  {
    TlSweepAxisKind kind;
    const char     *text;
    const char     *expected;
  } cases[] = {
    { TL_SWEEP_AXIS_VARY, "A<->B.dealy=1ms,2ms", "--vary A<->B.dealy=1ms,2ms: A<->B.dealy=1ms: " },
    { TL_SWEEP_AXIS_VARY, "B.listen.at=1ms,2ms", "--vary B.listen.at=1ms,2ms: B.listen.at=1ms: " },
    { TL_SWEEP_AXIS_OFFSET, "B.connect.at-A.listen.at=1ms,2ms",
      "--offset B.connect.at-A.listen.at=1ms,2ms: A.listen.at is not a call time" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(TlSweepPlan) plan = tl_sweep_plan_new ();
      g_autoptr(TlScenario) scenario = tl_scenario_copy (base);
      g_autoptr(GError) error = NULL;

      g_assert_true (tl_sweep_plan_add_axis (plan, parse_ok (cases[i].kind, cases[i].text), &error));
      g_assert_false (tl_sweep_plan_apply (plan, 0, scenario, &error));
      g_assert_nonnull (error);
      if (!g_str_has_prefix (error->message, cases[i].expected))
        g_error ("got \"%s\", expected \"%s...\"", error->message, cases[i].expected);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sweep/value/parse", test_value_parse);
  g_test_add_func ("/sweep/value/format", test_value_format);
  g_test_add_func ("/sweep/axis/ranges", test_axis_ranges);
  g_test_add_func ("/sweep/axis/errors", test_axis_errors);
  g_test_add_func ("/sweep/plan/order", test_plan_order);
  g_test_add_func ("/sweep/plan/shards", test_plan_shards);
  g_test_add_func ("/sweep/plan/errors", test_plan_errors);
  g_test_add_func ("/sweep/plan/apply-offset", test_plan_apply_offset);
  g_test_add_func ("/sweep/plan/apply-errors", test_plan_apply_errors);
  return g_test_run ();
}

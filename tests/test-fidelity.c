/* test-fidelity.c: the `linux` profile against real Linux.
 *
 * For every bundled scenario, the simulation (on the kernel settings and
 * timer phase its committed capture bundle recorded) must match the
 * capture segment for segment and state for state, within the default
 * tolerance.  The summary of each comparison is printed as a TAP comment. */
#include <glib.h>

#include "tl-compare.h"
#include "tl-load.h"

static void
test_matches_capture (gconstpointer data)
{
  const char *name = data;
  g_autofree char *file = g_strdup_printf ("%s.scn", name);
  g_autofree char *scenario = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), file, NULL);
  g_autofree char *bundle = g_build_filename (g_getenv ("TL_SOURCE_ROOT"), "data", "captures",
                                              name, NULL);
  TlLoadOptions options = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (TlTrace) real = NULL;
  g_autoptr (TlTrace) sim = NULL;
  g_autoptr (TlCompareResult) result = NULL;
  g_autoptr (GString) diff = g_string_new (NULL);
  g_autofree char *worst = NULL;

  real = tl_trace_load_any_full (bundle, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (real->source, ==, TL_TRACE_CAPTURE);
  options.settings_from = bundle;
  sim = tl_trace_load_any_full (scenario, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sim->profile, ==, "linux");

  result = tl_compare_traces (sim, real, NULL);
  worst = tl_time_format (result->max_time_error, 3);
  g_test_message ("%s: segments %u/%u, states %u/%u, largest timing error %s",
                  name, result->segments_matched, result->segments_total,
                  result->states_matched, result->states_total, worst);
  if (!tl_compare_result_is_match (result))
    {
      tl_compare_result_format (result, sim, real, FALSE, diff);
      g_test_message ("%s", diff->str);
    }
  g_assert_true (tl_compare_result_is_match (result));
  /* A comparison of nothing would match trivially. */
  g_assert_cmpuint (result->segments_total, >=, 2);
  g_assert_cmpuint (result->states_total, >=, 2);
}

int
main (int    argc,
      char **argv)
{
  static const char *const scenarios[] = {
    "normal-handshake", "simultaneous-open-delay", "simultaneous-open-router-pause",
    "simultaneous-close", "connect-refused", "syn-timeout", "close-unread-data",
    "data-after-close",
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *path = g_strdup_printf ("/fidelity/%s", scenarios[i]);
      g_test_add_data_func (path, scenarios[i], test_matches_capture);
    }
  return g_test_run ();
}

/* test-determinism.c: the same input gives the same JSON bytes. */
#include <string.h>

#include <glib.h>

#include "tl-json.h"
#include "tl-scenario.h"

static void
test_same_json_bytes (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"), name, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) s1 = tl_scenario_load (path, &error);
  g_autoptr (TlScenario) s2 = NULL;
  g_autoptr (TlTrace) t1 = tl_trace_new ();
  g_autoptr (TlTrace) t2 = tl_trace_new ();
  g_autoptr (TlTrace) t3 = tl_trace_new ();
  g_autofree char *j1 = NULL, *j2 = NULL, *j3 = NULL;

  g_assert_no_error (error);
  s2 = tl_scenario_load (path, &error);
  g_assert_no_error (error);
  tl_scenario_run (s1, t1);
  /* A different scenario in between must leave nothing behind. */
  tl_scenario_set (s2, "seed", "99", &error);
  g_assert_no_error (error);
  tl_scenario_run (s2, t3);
  tl_scenario_run (s1, t2);
  j1 = tl_trace_to_json (t1);
  j2 = tl_trace_to_json (t2);
  j3 = tl_trace_to_json (t3);
  g_assert_cmpuint (strlen (j1), >, 1000);
  g_assert_cmpstr (j1, ==, j2);
  /* And the seed matters: another seed, other ISNs. */
  g_assert_cmpstr (j1, !=, j3);
}

/* Runs on two threads at once give the same bytes as one alone. */
static gpointer
run_in_thread (gpointer data)
{
  TlScenario *s = data;
  TlTrace *t = tl_trace_new ();
  char *json;

  tl_scenario_run (s, t);
  json = tl_trace_to_json (t);
  tl_trace_unref (t);
  return json;
}

static void
test_threads_agree (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"),
                                            "simultaneous-open-router-pause.scn", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) s = tl_scenario_load (path, &error);
  GThread *a, *b;
  g_autofree char *ja = NULL, *jb = NULL;

  g_assert_no_error (error);
  a = g_thread_new ("a", run_in_thread, s);
  b = g_thread_new ("b", run_in_thread, s);
  ja = g_thread_join (a);
  jb = g_thread_join (b);
  g_assert_cmpstr (ja, ==, jb);
}

/* A run leaves nothing behind for the next on the same thread's runner,
 * whatever the scenarios: every bundled one after every other gives what
 * it gives on a fresh thread (a "read off" once leaked this way). */
static void
test_runner_forgets (void)
{
  const char *dir = g_getenv ("TL_SCENARIOS_DIR");
  g_autoptr (GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) scenarios = g_ptr_array_new_with_free_func ((GDestroyNotify) tl_scenario_free);
  g_autoptr (GPtrArray) fresh = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".scn"))
      {
        g_autofree char *path = g_build_filename (dir, name, NULL);
        g_autoptr (GError) error = NULL;
        TlScenario *scenario = tl_scenario_load (path, &error);

        g_assert_no_error (error);
        g_ptr_array_add (scenarios, scenario);
      }
  g_assert_cmpuint (scenarios->len, >=, 8);
  for (guint i = 0; i < scenarios->len; i++)
    {
      GThread *thread = g_thread_new ("fresh", run_in_thread, scenarios->pdata[i]);

      g_ptr_array_add (fresh, g_thread_join (thread));
    }
  for (guint before = 0; before < scenarios->len; before++)
    for (guint i = 0; i < scenarios->len; i++)
      {
        g_autofree char *first = run_in_thread (scenarios->pdata[before]);
        g_autofree char *then = run_in_thread (scenarios->pdata[i]);

        if (strcmp (then, fresh->pdata[i]) != 0)
          g_error ("scenario %u run after scenario %u differs from a fresh run", i, before);
      }
}

int
main (int    argc,
      char **argv)
{
  static const char *const scenarios[] = {
    "normal-handshake.scn", "simultaneous-open-delay.scn",
    "simultaneous-open-router-pause.scn", "simultaneous-close.scn",
    "connect-refused.scn", "syn-timeout.scn", "close-unread-data.scn",
    "data-after-close.scn",
  };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    {
      g_autofree char *p = g_strdup_printf ("/determinism/same-json-bytes/%s", scenarios[i]);
      g_test_add_data_func (p, scenarios[i], test_same_json_bytes);
    }
  g_test_add_func ("/determinism/threads-agree", test_threads_agree);
  g_test_add_func ("/determinism/runner-forgets", test_runner_forgets);
  return g_test_run ();
}

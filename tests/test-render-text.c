/* test-render-text.c: the text ladder against golden files.
 *
 * tests/golden/sample-NAME.txt holds the ladder of each hand-made trace,
 * tests/golden/NAME.txt the ladder of each bundled scenario
 * (data/scenarios/NAME.scn, simulated).  TL_UPDATE_GOLDEN=1 rewrites them
 * instead of comparing; review the diff before committing.
 */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "test-render-samples.h"
#include "tl-scenario.h"
#include "tl-text-ladder.h"

static char *
golden_path (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.txt", name);

  return g_build_filename (g_getenv ("G_TEST_SRCDIR") ? g_getenv ("G_TEST_SRCDIR") : ".",
                           "golden", file, NULL);
}

static void
check_golden (const char *name,
              const char *text)
{
  g_autofree char *path = golden_path (name);
  g_autofree char *expected = NULL;
  g_autoptr (GError) error = NULL;

  if (g_strcmp0 (g_getenv ("TL_UPDATE_GOLDEN"), "1") == 0)
    {
      g_assert_true (g_file_set_contents (path, text, -1, &error));
      g_assert_no_error (error);
      g_test_message ("rewrote %s", path);
      return;
    }
  if (!g_file_get_contents (path, &expected, NULL, &error))
    {
      g_test_message ("%s: %s; run the test with TL_UPDATE_GOLDEN=1 to create it",
                      path, error->message);
      g_test_fail ();
      return;
    }
  if (strcmp (expected, text) != 0)
    {
      g_autofree char *actual_path = g_strdup_printf ("%s.actual", path);
      g_file_set_contents (actual_path, text, -1, NULL);
      g_test_message ("%s differs from the ladder now produced (written to %s); "
                      "if the change is intended, run with TL_UPDATE_GOLDEN=1",
                      path, actual_path);
      g_test_fail ();
    }
}

static char *
ladder (const TlTrace *trace,
        gboolean       ascii)
{
  TlRenderOptions o;
  GString *out = g_string_new (NULL);

  tl_render_options_init (&o);
  o.ascii = ascii;
  tl_text_ladder_render (trace, &o, out);
  return g_string_free (out, FALSE);
}

static void
test_sample_golden (gconstpointer data)
{
  const TlRenderSample *sample = data;
  g_autoptr (TlTrace) trace = sample->build ();
  g_autofree char *text = ladder (trace, FALSE);
  g_autofree char *name = g_strdup_printf ("sample-%s", sample->name);

  check_golden (name, text);
}

static void
test_ascii (void)
{
  g_autoptr (TlTrace) trace = tl_sample_simultaneous_open ();
  g_autofree char *text = ladder (trace, TRUE);
  g_autofree char *unicode = ladder (trace, FALSE);

  for (const char *p = text; *p; p++)
    g_assert_cmpint ((guchar) *p, <, 128);
  g_assert_nonnull (strstr (text, "--> <SEQ=0><CTL=SYN>"));
  g_assert_nonnull (strstr (text, "<-- <SEQ=0><ACK=1><CTL=SYN,ACK>"));
  g_assert_nonnull (strstr (unicode, "\342\224\200\342\224\200\342\226\266 <SEQ=0><CTL=SYN>"));
  /* Same rows either way. */
  {
    g_auto (GStrv) text_rows = g_strsplit (text, "\n", -1);
    g_auto (GStrv) unicode_rows = g_strsplit (unicode, "\n", -1);
    g_assert_cmpuint (g_strv_length (text_rows), ==, g_strv_length (unicode_rows));
  }
  check_golden ("sample-simultaneous-open.ascii", text);
}

static void
test_rows (void)
{
  g_autoptr (TlTrace) trace = tl_sample_refused ();
  g_autofree char *text = ladder (trace, TRUE);
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  guint rows = 0;

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_regex_match_simple ("^ +[0-9]+\\. ", lines[i], 0, 0))
      rows++;
  /* connect, SYN sent, SYN arrives, RST sent, RST arrives, the result. */
  g_assert_cmpuint (rows, ==, 6);
  g_assert_nonnull (strstr (text, "connect() -> ECONNREFUSED"));
  g_assert_nonnull (strstr (text, "<SEQ=0><ACK=1><CTL=RST,ACK>"));
  g_assert_nonnull (strstr (text, "CLOSED"));
}

static void
test_options_and_range (void)
{
  g_autoptr (TlTrace) trace = tl_sample_handshake_close ();
  TlRenderOptions o;
  g_autoptr (GString) out = g_string_new (NULL);

  tl_render_options_init (&o);
  o.seq_mode = TL_SEQ_ABSOLUTE;
  o.show_options = TRUE;
  o.time_from = TL_MSEC (5);
  o.time_to = TL_MSEC (25);
  tl_text_ladder_render (trace, &o, out);
  g_assert_nonnull (strstr (out->str, "<SEQ=5000><ACK=1001><CTL=SYN,ACK>"));
  g_assert_nonnull (strstr (out->str, "mss 1460"));
  g_assert_null (strstr (out->str, "FIN"));
  g_assert_null (strstr (out->str, " 0.001000 "));

  g_string_truncate (out, 0);
  tl_render_options_init (&o);
  o.labels = TL_LABELS_FLAGS;
  tl_text_ladder_render (trace, &o, out);
  g_assert_nonnull (strstr (out->str, "<CTL=SYN,ACK>"));
  g_assert_null (strstr (out->str, "<SEQ="));
}

static void
test_scenario_golden (gconstpointer data)
{
  const char *path = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) scenario = tl_scenario_load (path, &error);
  g_autoptr (TlTrace) trace = tl_trace_new ();
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *text = NULL, *again = NULL;

  g_assert_no_error (error);
  tl_scenario_run (scenario, trace);
  text = ladder (trace, FALSE);
  again = ladder (trace, FALSE);
  g_assert_cmpstr (text, ==, again);
  base[strlen (base) - 4] = '\0';
  check_golden (base, text);
}

static gint
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(char *const *) a, *(char *const *) b);
}

static GPtrArray *
bundled_scenarios (void)
{
  const char *dir = g_getenv ("TL_SCENARIOS_DIR");
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  GDir *listing;
  const char *name;

  if (dir == NULL || (listing = g_dir_open (dir, 0, NULL)) == NULL)
    return paths;
  while ((name = g_dir_read_name (listing)) != NULL)
    if (g_str_has_suffix (name, ".scn"))
      g_ptr_array_add (paths, g_build_filename (dir, name, NULL));
  g_dir_close (listing);
  g_ptr_array_sort (paths, compare_paths);
  return paths;
}

static void
test_no_scenarios (void)
{
  g_test_skip ("TL_SCENARIOS_DIR has no scenarios");
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) scenarios = NULL;

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < tl_render_n_samples; i++)
    {
      g_autofree char *name = g_strdup_printf ("/text-ladder/sample/%s", tl_render_samples[i].name);
      g_test_add_data_func (name, &tl_render_samples[i], test_sample_golden);
    }
  g_test_add_func ("/text-ladder/ascii", test_ascii);
  g_test_add_func ("/text-ladder/rows", test_rows);
  g_test_add_func ("/text-ladder/options-and-range", test_options_and_range);

  scenarios = bundled_scenarios ();
  for (guint i = 0; i < scenarios->len; i++)
    {
      g_autofree char *base = g_path_get_basename (scenarios->pdata[i]);
      g_autofree char *name = g_strdup_printf ("/text-ladder/scenario/%s", base);
      g_test_add_data_func (name, scenarios->pdata[i], test_scenario_golden);
    }
  if (scenarios->len == 0)
    g_test_add_func ("/text-ladder/scenario/none", test_no_scenarios);
  return g_test_run ();
}

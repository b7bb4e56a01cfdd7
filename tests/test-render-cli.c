/* test-render-cli.c: `tcpladder export` as a user runs it (TL_CLI). */
#include <glib.h>

#include "tl-test-cli.h"
#include <glib/gstdio.h>
#include <string.h>
#include <sys/wait.h>

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  f->dir = g_dir_make_tmp ("tl-export-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  GDir *dir = g_dir_open (f->dir, 0, NULL);
  const char *name;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_remove (path);
    }
  g_dir_close (dir);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
test_formats (Fixture      *f,
              gconstpointer data)
{
  static const struct { const char *ext; const char *magic; gsize len; } formats[] = {
    { "svg", "<?xml", 5 },
    { "png", "\211PNG", 4 },
    { "pdf", "%PDF-", 5 },
    { "txt", "simultaneous-open-router-pause\n", 31 },
  };
  g_autofree char *input = tl_test_scenario ("simultaneous-open-router-pause.scn");

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autofree char *out = g_strdup_printf ("%s/ladder.%s", f->dir, formats[i].ext);
      g_autofree char *contents = NULL;
      g_autofree char *second = NULL;
      gsize len = 0, len2 = 0;
      TlTestResult r = { 0 };

      tl_test_run_cli (&r, "export", input, "-o", out, NULL);
      g_assert_cmpstr (r.err, ==, "");
      g_assert_cmpint (r.status, ==, 0);
      g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
      g_assert_cmpuint (len, >, formats[i].len);
      g_assert_true (memcmp (contents, formats[i].magic, formats[i].len) == 0);
      tl_test_result_clear (&r);

      /* Same input, same options: same bytes. */
      tl_test_run_cli (&r, "export", input, "-o", out, NULL);
      g_assert_cmpint (r.status, ==, 0);
      g_assert_true (g_file_get_contents (out, &second, &len2, NULL));
      g_assert_cmpuint (len, ==, len2);
      g_assert_true (memcmp (contents, second, len) == 0);
      tl_test_result_clear (&r);
    }
}

static void
test_options (Fixture      *f,
              gconstpointer data)
{
  g_autofree char *input = tl_test_scenario ("simultaneous-close.scn");
  g_autofree char *out = g_build_filename (f->dir, "picture", NULL);
  g_autofree char *contents = NULL;
  gsize len;
  TlTestResult r = { 0 };

  /* --format wins over a missing extension; every option at once. */
  tl_test_run_cli (&r, "export", input, "-o", out, "--format", "png", "--width", "800", "--height", "600",
           "--dpi", "192", "--theme", "dark", "--labels", "flags", "--options", "--absolute-seq",
           "--no-compress", "--from", "0", "--to", "1s", "--no-legend", "--no-title", NULL);
  g_assert_cmpstr (r.err, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_true (g_file_get_contents (out, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 24);
  /* 800 x 600 at 192 dpi: 1600 x 1200 pixels (big-endian in IHDR). */
  g_assert_cmpuint (((guchar) contents[16] << 24 | (guchar) contents[17] << 16
                     | (guchar) contents[18] << 8 | (guchar) contents[19]), ==, 1600);
  g_assert_cmpuint (((guchar) contents[20] << 24 | (guchar) contents[21] << 16
                     | (guchar) contents[22] << 8 | (guchar) contents[23]), ==, 1200);
  tl_test_result_clear (&r);
}

static void
test_text_to_stdout (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *input = tl_test_scenario ("simultaneous-close.scn");
  TlTestResult r = { 0 }, r2 = { 0 };

  tl_test_run_cli (&r, "export", input, "-o", "-", "--format", "txt", "--ascii", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--> <SEQ="));
  g_assert_nonnull (strstr (r.out, "CLOSING"));
  g_assert_nonnull (strstr (r.out, "TIME-WAIT"));
  for (const char *p = r.out; *p; p++)
    g_assert_cmpint ((guchar) *p, <, 128);

  /* --set changes the scenario before it runs. */
  tl_test_run_cli (&r2, "export", input, "-o", "-", "--format", "txt", "--ascii", "--set", "seed=77", NULL);
  g_assert_cmpint (r2.status, ==, 0);
  tl_test_result_clear (&r);
  tl_test_result_clear (&r2);
}

static void
test_errors (Fixture      *f,
             gconstpointer data)
{
  static const struct
  {
    const char *args[6];
    int         status;
    const char *message;
  } cases[] = {
    { { "--width", "wide" }, 2, "--width" },
    { { "--width", "10" }, 2, "--width" },
    { { "--height", "-3" }, 2, "--height" },
    { { "--dpi", "0" }, 2, "--dpi" },
    { { "--theme", "blue" }, 2, "--theme" },
    { { "--labels", "some" }, 2, "--labels" },
    { { "--from", "yesterday" }, 2, "--from" },
    { { "--from", "2s", "--to", "1s" }, 2, "--to" },
    { { "--format", "gif" }, 2, "--format" },
    { { "--set", "nonsense" }, 2, "--set" },
  };
  g_autofree char *input = tl_test_scenario ("connect-refused.scn");
  g_autofree char *out = g_build_filename (f->dir, "x.svg", NULL);
  g_autofree char *bad_ext = g_build_filename (f->dir, "x.gif", NULL);
  g_autofree char *unwritable = g_build_filename (f->dir, "missing", "x.svg", NULL);
  TlTestResult r = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *const *a = cases[i].args;
      tl_test_run_cli (&r, "export", input, "-o", out, a[0], a[1], a[2], a[3], NULL);
      g_assert_cmpint (r.status, ==, cases[i].status);
      g_assert_nonnull (strstr (r.err, cases[i].message));
      g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
      tl_test_result_clear (&r);
    }

  tl_test_run_cli (&r, "export", input, "-o", bad_ext, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "extension"));
  tl_test_result_clear (&r);

  tl_test_run_cli (&r, "export", input, NULL);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "-o"));
  tl_test_result_clear (&r);

  tl_test_run_cli (&r, "export", "/nonexistent/scenario.scn", "-o", out, NULL);
  g_assert_cmpint (r.status, ==, 3);
  g_assert_nonnull (strstr (r.err, "/nonexistent/scenario.scn"));
  tl_test_result_clear (&r);

  tl_test_run_cli (&r, "export", input, "-o", unwritable, NULL);
  g_assert_cmpint (r.status, ==, 4);
  g_assert_nonnull (strstr (r.err, unwritable));
  tl_test_result_clear (&r);
}

static void
test_skipped (void)
{
  g_test_skip ("TL_CLI and TL_SCENARIOS_DIR must name the tcpladder executable and the scenarios");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  if (g_getenv ("TL_CLI") == NULL || g_getenv ("TL_SCENARIOS_DIR") == NULL)
    {
      g_test_add_func ("/export/skipped", test_skipped);
      return g_test_run ();
    }
  g_test_add ("/export/formats", Fixture, NULL, fixture_set_up, test_formats, fixture_tear_down);
  g_test_add ("/export/options", Fixture, NULL, fixture_set_up, test_options, fixture_tear_down);
  g_test_add ("/export/stdout", Fixture, NULL, fixture_set_up, test_text_to_stdout, fixture_tear_down);
  g_test_add ("/export/errors", Fixture, NULL, fixture_set_up, test_errors, fixture_tear_down);
  return g_test_run ();
}

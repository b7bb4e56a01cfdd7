/* test-fuzz-regressions.c: every input the fuzzers ever broke something
 * with, replayed through the same entry points (tests/fuzz/tl-fuzz.c).
 *
 * Inputs live in tests/fuzz/regressions/TARGET/ (one file each; a README.md
 * there says what they were), the fuzzers' seeds in tests/fuzz/seeds/TARGET/.
 * Each input runs in a subprocess, so a crash fails that one test and names
 * the input; the child checks that the input was either accepted or refused
 * with a sensible GError (tl_fuzz_check_error).
 *
 * tests/fuzz/regressions/KNOWN-BUGS lists inputs that still break code
 * another developer owns.  While such an input fails, its test is reported
 * as TODO (not ok # TODO, which does not fail the suite) with the reason;
 * once it passes, the test says so and the line should go.  Their
 * sanitizer reports go to this test's log, not to scripts/sanitize.sh's
 * report directory.  With TL_FUZZ_STRICT=1 known bugs fail like any other.
 */
#include <glib.h>
#include <string.h>

#include "fuzz/tl-fuzz.h"

typedef struct
{
  const TlFuzzTarget *target;
  char               *path;
  char               *known_bug;   /* why it still fails, or NULL */
} Case;

static void
case_free (gpointer data)
{
  Case *c = data;

  g_free (c->path);
  g_free (c->known_bug);
  g_free (c);
}

/* "TARGET/FILE  reason..." per line; '#' starts a comment. */
static GHashTable *
load_known_bugs (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, "KNOWN-BUGS", NULL);
  g_autofree char *text = NULL;
  GHashTable *bugs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return bugs;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *space;

      if (*line == '\0' || *line == '#')
        continue;
      space = strpbrk (line, " \t");
      g_hash_table_insert (bugs, g_strndup (line, space ? (gsize) (space - line) : strlen (line)),
                           g_strdup (space ? g_strstrip (space) : "known bug"));
    }
  return bugs;
}

static void
restore_env (const char *name,
             const char *value)
{
  if (value != NULL)
    g_setenv (name, value, TRUE);
  else
    g_unsetenv (name);
}

static void
replay (gconstpointer data)
{
  const Case *c = data;

  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *contents = NULL;
      g_autofree char *why = NULL;
      gsize length;
      gboolean ok;

      g_assert_true (g_file_get_contents (c->path, &contents, &length, NULL));
      ok = c->target->entry ((const guint8 *) contents, length, &error);
      if (!tl_fuzz_check_error (c->target, ok, error, &why))
        g_error ("%s: %s", c->path, why);
      if (error != NULL)
        g_test_message ("refused: %s", error->message);
      return;
    }

  if (c->known_bug != NULL && g_getenv ("TL_FUZZ_STRICT") == NULL)
    {
      /* scripts/sanitize.sh fails on any report in its log directory; a
       * known bug reports to this test's log instead. */
      g_autofree char *asan = g_strdup (g_getenv ("ASAN_OPTIONS"));
      g_autofree char *ubsan = g_strdup (g_getenv ("UBSAN_OPTIONS"));
      g_autofree char *asan_here = g_strconcat (asan ? asan : "", ":log_path=stderr", NULL);
      g_autofree char *ubsan_here = g_strconcat (ubsan ? ubsan : "", ":log_path=stderr", NULL);

      g_setenv ("ASAN_OPTIONS", asan_here, TRUE);
      g_setenv ("UBSAN_OPTIONS", ubsan_here, TRUE);
      g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      restore_env ("ASAN_OPTIONS", asan);
      restore_env ("UBSAN_OPTIONS", ubsan);
      if (g_test_trap_has_passed ())
        g_test_message ("%s passes now: remove it from tests/fuzz/regressions/KNOWN-BUGS",
                        c->path);
      else
        g_test_incomplete_printf ("known bug, not fixed yet: %s", c->known_bug);
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* g_ptr_array_sort passes pointers to the elements. */
static gint
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static guint
add_cases (const char *root,
           const char *kind,
           GHashTable *known_bugs,
           GPtrArray  *keep)
{
  guint n = 0;

  for (const TlFuzzTarget *t = tl_fuzz_targets; t->name != NULL; t++)
    {
      g_autofree char *dir = g_build_filename (root, kind, t->name, NULL);
      g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
      g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
      const char *name;

      if (listing == NULL)
        continue;
      while ((name = g_dir_read_name (listing)) != NULL)
        if (!g_str_has_suffix (name, ".md") && name[0] != '.')
          g_ptr_array_add (names, g_strdup (name));
      g_ptr_array_sort (names, compare_names);
      for (guint i = 0; i < names->len; i++)
        {
          const char *file = g_ptr_array_index (names, i);
          g_autofree char *key = g_strdup_printf ("%s/%s", t->name, file);
          g_autofree char *test_path = g_strdup_printf ("/robustness/%s/%s/%s", kind, t->name, file);
          Case *c = g_new0 (Case, 1);

          c->target = t;
          c->path = g_build_filename (dir, file, NULL);
          c->known_bug = g_strdup (g_hash_table_lookup (known_bugs, key));
          g_ptr_array_add (keep, c);
          g_test_add_data_func (test_path, c, replay);
          n++;
        }
    }
  return n;
}

/* The committed inputs must not silently vanish: a misplaced directory
 * would turn this whole test into a no-op. */
static void
test_inputs_present (gconstpointer data)
{
  const guint *n_seeds = data;

  g_assert_cmpuint (*n_seeds, >, 0);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) cases = g_ptr_array_new_with_free_func (case_free);
  g_autoptr(GHashTable) known_bugs = NULL;
  g_autofree char *root = NULL;
  static guint n_seeds;

  g_test_init (&argc, &argv, NULL);
  /* One broken input fails its own test; the others still run. */
  g_test_set_nonfatal_assertions ();
  root = g_test_build_filename (G_TEST_DIST, "fuzz", NULL);
  {
    g_autofree char *regressions = g_build_filename (root, "regressions", NULL);
    known_bugs = load_known_bugs (regressions);
  }
  add_cases (root, "regressions", known_bugs, cases);
  n_seeds = add_cases (root, "seeds", known_bugs, cases);
  g_test_add_data_func ("/robustness/inputs-present", &n_seeds, test_inputs_present);
  return g_test_run ();
}

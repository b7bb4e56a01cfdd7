/* test-sweep-map.c: the outcome map from synthetic runs: cells, seeds,
 * colours where the cells are drawn, outcome borders, files. */
#include <glib/gstdio.h>
#include <string.h>

#include "tl-outcome-map.h"

/* 10 x 6 cells: simultaneous open below the diagonal band, refused above. */
static TlOutcomeMap *
make_map (void)
{
  TlOutcomeMap *map = tl_outcome_map_new (10, 6);
  gint64 offsets[10], delays[6];

  for (guint i = 0; i < 10; i++)
    offsets[i] = ((gint64) i - 5) * 100000000;   /* -500 ms .. 400 ms */
  for (guint i = 0; i < 6; i++)
    delays[i] = ((gint64) i + 1) * 50000000;     /* 50 ms .. 300 ms */
  tl_outcome_map_set_title (map, "simultaneous-open-delay", "synthetic");
  tl_outcome_map_set_axis (map, 0, "B.connect.at-A.connect.at", TL_MAP_UNIT_TIME, 0, offsets);
  tl_outcome_map_set_axis (map, 1, "A<->B.delay", TL_MAP_UNIT_TIME, 0, delays);
  for (guint x = 0; x < 10; x++)
    for (guint y = 0; y < 6; y++)
      {
        gboolean crossing = ABS (offsets[x]) < delays[y];

        tl_outcome_map_add_run (map, x, y,
                                crossing ? TL_OPEN_SIMULTANEOUS : TL_OPEN_REFUSED,
                                crossing ? TL_CLOSE_SIMULTANEOUS : TL_CLOSE_NONE);
      }
  return map;
}

static guint
category (TlOpenOutcome  open,
          TlCloseOutcome close)
{
  return open * TL_N_CLOSE_OUTCOMES + close;
}

static void
test_cells (void)
{
  g_autoptr(TlOutcomeMap) map = tl_outcome_map_new (3, 0);
  gboolean mixed = TRUE;

  g_assert_cmpuint (tl_outcome_map_get_category (map, 0, 0, &mixed), ==, TL_MAP_NO_RUN);
  g_assert_false (mixed);

  tl_outcome_map_add_run (map, 0, 0, TL_OPEN_NORMAL, TL_CLOSE_NORMAL);
  tl_outcome_map_add_run (map, 0, 0, TL_OPEN_NORMAL, TL_CLOSE_NORMAL);
  g_assert_cmpuint (tl_outcome_map_get_category (map, 0, 0, &mixed), ==,
                    category (TL_OPEN_NORMAL, TL_CLOSE_NORMAL));
  g_assert_false (mixed);

  /* Seeds that disagree: the most common wins, ties to the lowest. */
  tl_outcome_map_add_run (map, 1, 0, TL_OPEN_TIMED_OUT, TL_CLOSE_NONE);
  tl_outcome_map_add_run (map, 1, 0, TL_OPEN_NORMAL, TL_CLOSE_NORMAL);
  g_assert_cmpuint (tl_outcome_map_get_category (map, 1, 0, &mixed), ==,
                    category (TL_OPEN_NORMAL, TL_CLOSE_NORMAL));
  g_assert_true (mixed);
  tl_outcome_map_add_run (map, 1, 0, TL_OPEN_TIMED_OUT, TL_CLOSE_NONE);
  g_assert_cmpuint (tl_outcome_map_get_category (map, 1, 0, &mixed), ==,
                    category (TL_OPEN_TIMED_OUT, TL_CLOSE_NONE));
  g_assert_true (mixed);
}

/* Every category has its own colour. */
static void
test_colors_distinct (void)
{
  for (guint a = 0; a < TL_MAP_N_CATEGORIES; a++)
    for (guint b = a + 1; b < TL_MAP_N_CATEGORIES; b++)
      {
        double ca[3], cb[3];

        tl_outcome_map_category_color (a, ca);
        tl_outcome_map_category_color (b, cb);
        g_assert_true (ABS (ca[0] - cb[0]) + ABS (ca[1] - cb[1]) + ABS (ca[2] - cb[2]) > 0.05);
      }
}

static void
pixel_at (cairo_surface_t *surface,
          double           x,
          double           y,
          double          *rgb)
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 pixel = *(const guint32 *) (data + (int) y * stride + (int) x * 4);

  rgb[0] = ((pixel >> 16) & 0xff) / 255.0;
  rgb[1] = ((pixel >> 8) & 0xff) / 255.0;
  rgb[2] = (pixel & 0xff) / 255.0;
}

static void
assert_color (const double *got,
              const double *want)
{
  for (guint i = 0; i < 3; i++)
    g_assert_cmpfloat_with_epsilon (got[i], want[i], 1.5 / 255);
}

/* Cells are drawn in their category's colour where cell_rect says, and a
 * dark line runs exactly along the borders between outcomes, and only
 * there. */
static void
test_draw (void)
{
  g_autoptr(TlOutcomeMap) map = make_map ();
  cairo_surface_t *surface;
  cairo_t *cr;
  int width, height;
  double dark[3] = { 0.08, 0.08, 0.08 };

  tl_outcome_map_get_size (map, &width, &height);
  g_assert_cmpint (width, >, 400);
  g_assert_cmpint (height, >, 300);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  tl_outcome_map_draw (map, cr);
  g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  for (guint x = 0; x < 10; x++)
    for (guint y = 0; y < 6; y++)
      {
        cairo_rectangle_t r;
        double want[3], got[3];
        guint c = tl_outcome_map_get_category (map, x, y, NULL);

        tl_outcome_map_cell_rect (map, x, y, &r);
        g_assert_cmpfloat (r.width, >, 10);
        g_assert_cmpfloat (r.height, >, 10);
        tl_outcome_map_category_color (c, want);
        pixel_at (surface, r.x + r.width / 2, r.y + r.height / 2, got);
        assert_color (got, want);

        /* The right edge: a border line if the neighbour differs. */
        if (x + 1 < 10)
          {
            guint right = tl_outcome_map_get_category (map, x + 1, y, NULL);

            pixel_at (surface, r.x + r.width, r.y + r.height / 2, got);
            if (right != c)
              assert_color (got, dark);
            else
              assert_color (got, want);
          }
        /* The top edge, likewise (y goes upwards). */
        if (y + 1 < 6)
          {
            guint above = tl_outcome_map_get_category (map, x, y + 1, NULL);

            pixel_at (surface, r.x + r.width / 2, r.y, got);
            if (above != c)
              assert_color (got, dark);
            else
              assert_color (got, want);
          }
      }

  /* Up is up: the cell of the largest delay is above the smallest's. */
  {
    cairo_rectangle_t low, high, left, right;

    tl_outcome_map_cell_rect (map, 0, 0, &low);
    tl_outcome_map_cell_rect (map, 0, 5, &high);
    tl_outcome_map_cell_rect (map, 0, 0, &left);
    tl_outcome_map_cell_rect (map, 9, 0, &right);
    g_assert_cmpfloat (high.y, <, low.y);
    g_assert_cmpfloat (left.x, <, right.x);
  }
  cairo_surface_destroy (surface);
}

/* Hit testing is the inverse of cell_rect: every pixel of a cell, its
 * edges included, finds that cell, on a heat map and on a strip; points
 * outside the plot find none. */
/* Cells near the ends and in the middle, every one when there are few:
 * each probe lays the picture out again, which is slow under ASan. */
static gboolean
worth_probing (guint i,
               guint n)
{
  return n <= 40 || i < 6 || i + 6 >= n || (i > n / 2 - 4 && i < n / 2 + 4);
}

static void
assert_hits (const TlOutcomeMap *map,
             guint               n_x,
             guint               n_y)
{
  for (guint x = 0; x < n_x; x++)
    for (guint y = 0; y < n_y; y++)
      {
        cairo_rectangle_t r;
        const double probes[][2] = { { 0.5, 0.5 }, { 0, 0 }, { 0.999, 0.999 }, { 0, 0.999 } };

        if (!worth_probing (x, n_x) || !worth_probing (y, n_y))
          continue;
        tl_outcome_map_cell_rect (map, x, y, &r);
        /* With more values than pixels some cells are drawn 0 wide. */
        if (r.width < 1 || r.height < 1)
          {
            g_assert_cmpuint (n_x * n_y, >, 10000);
            continue;
          }
        for (guint p = 0; p < G_N_ELEMENTS (probes); p++)
          {
            guint hx = G_MAXUINT, hy = G_MAXUINT;

            g_assert_true (tl_outcome_map_cell_at (map, r.x + probes[p][0] * r.width,
                                                   r.y + probes[p][1] * r.height, &hx, &hy));
            g_assert_cmpuint (hx, ==, x);
            g_assert_cmpuint (hy, ==, y);
          }
      }
  {
    cairo_rectangle_t first, last;
    guint hx, hy;

    tl_outcome_map_cell_rect (map, 0, 0, &first);
    tl_outcome_map_cell_rect (map, n_x - 1, n_y - 1, &last);
    g_assert_false (tl_outcome_map_cell_at (map, first.x - 1, first.y + 1, &hx, &hy));
    g_assert_false (tl_outcome_map_cell_at (map, last.x + last.width + 1, last.y + 1, &hx, &hy));
    g_assert_false (tl_outcome_map_cell_at (map, first.x + 1, first.y + first.height + 1,
                                            &hx, &hy));
    g_assert_false (tl_outcome_map_cell_at (map, last.x + 1, last.y - 1, &hx, &hy));
    g_assert_false (tl_outcome_map_cell_at (map, -5, -5, &hx, &hy));
  }
}

static void
test_cell_at (void)
{
  g_autoptr(TlOutcomeMap) map = make_map ();
  g_autoptr(TlOutcomeMap) strip = tl_outcome_map_new (333, 0);
  g_autoptr(TlOutcomeMap) fine = tl_outcome_map_new (701, 97);

  assert_hits (map, 10, 6);
  assert_hits (strip, 333, 1);
  assert_hits (fine, 701, 97);
}

static void
test_save (void)
{
  g_autoptr(TlOutcomeMap) map = make_map ();
  g_autoptr(TlOutcomeMap) strip = tl_outcome_map_new (50, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("test-sweep-map-XXXXXX", &error);
  static const char *const names[] = { "map.svg", "map.png", "map.pdf", "strip.png" };
  gint64 loss[50];

  for (guint i = 0; i < 50; i++)
    {
      loss[i] = i * 25;  /* 0% .. 12.25% with 2 decimals */
      tl_outcome_map_add_run (strip, i, 0, i < 20 ? TL_OPEN_NORMAL : TL_OPEN_TIMED_OUT,
                              i < 20 ? TL_CLOSE_NORMAL : TL_CLOSE_NONE);
    }
  tl_outcome_map_set_axis (strip, 0, "A->B.loss", TL_MAP_UNIT_PERCENT, 2, loss);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (dir, names[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      g_assert_true (tl_outcome_map_path_supported (path));
      g_assert_true (tl_outcome_map_save (i < 3 ? map : strip, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_cmpuint (length, >, 1000);
      if (g_str_has_suffix (path, ".svg"))
        g_assert_true (g_str_has_prefix (contents, "<?xml"));
      else if (g_str_has_suffix (path, ".png"))
        g_assert_cmpint (memcmp (contents, "\x89PNG", 4), ==, 0);
      else
        g_assert_true (g_str_has_prefix (contents, "%PDF"));
      g_unlink (path);
    }

  /* A strip is short and wide. */
  {
    int w, h, w2, h2;

    tl_outcome_map_get_size (strip, &w, &h);
    tl_outcome_map_get_size (map, &w2, &h2);
    g_assert_cmpint (h, <, h2);
  }

  {
    g_autofree char *path = g_build_filename (dir, "map.gif", NULL);

    g_assert_false (tl_outcome_map_path_supported (path));
    g_assert_false (tl_outcome_map_save (map, path, &error));
    g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_INVAL);
    g_assert_nonnull (strstr (error->message, ".svg, .png or .pdf"));
    g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  }
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sweep/map/cells", test_cells);
  g_test_add_func ("/sweep/map/colors", test_colors_distinct);
  g_test_add_func ("/sweep/map/draw", test_draw);
  g_test_add_func ("/sweep/map/save", test_save);
  g_test_add_func ("/sweep/map/cell-at", test_cell_at);
  return g_test_run ();
}

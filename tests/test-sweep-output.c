/* test-sweep-output.c: rows as CSV and JSON lines, atomic output files, and
 * merging shard outputs back into exactly what one unsharded run writes. */
#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tl-test-dir.h"

#include "tl-sweep-error.h"
#include "tl-sweep-output.h"
#include "tl-sweep-job.h"
#include "tl-sweep-plan.h"
#include "tl-sweep-row.h"
#include "tl-sweep-source.h"
#include "tl-sweep-table.h"

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->dir = tl_test_dir_new ("test-sweep-output");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  tl_test_dir_remove (f->dir);
}

static char *
path_in (Fixture    *f,
         const char *name)
{
  return g_build_filename (f->dir, name, NULL);
}

/* A sweep of offsets against a percentage, with 2 seeds: 3 x 2 x 2. */
static TlSweepPlan *
make_plan (const char *shard)
{
  TlSweepPlan *plan = tl_sweep_plan_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_sweep_plan_add_axis (plan, tl_sweep_axis_parse (
    TL_SWEEP_AXIS_OFFSET, "B.connect.at-A.connect.at=-10ms..10ms/10ms", &error), &error));
  g_assert_true (tl_sweep_plan_add_axis (plan, tl_sweep_axis_parse (
    TL_SWEEP_AXIS_VARY, "A->B.loss=0.5%,1.25%", &error), &error));
  g_assert_true (tl_sweep_plan_add_axis (plan, tl_sweep_axis_new_seeds (2), &error));
  if (shard != NULL)
    g_assert_true (tl_sweep_plan_set_shard (plan, shard, &error));
  g_assert_no_error (error);
  return plan;
}

/* A made-up run result that depends on the point only. */
static void
fake_result (guint64        point,
             TlSweepResult *result)
{
  TlOutcome *o = &result->outcome;

  memset (result, 0, sizeof *result);
  result->point = point;
  result->seed = point % 2;
  result->truncated = point == 5;
  o->open = point % 3 == 0 ? TL_OPEN_SIMULTANEOUS : point % 3 == 1 ? TL_OPEN_REFUSED
                                                                   : TL_OPEN_NORMAL;
  o->close = o->open == TL_OPEN_REFUSED ? TL_CLOSE_NONE : TL_CLOSE_SIMULTANEOUS;
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      o->final_state[h] = o->open == TL_OPEN_REFUSED ? TL_STATE_CLOSED : TL_STATE_TIME_WAIT;
      o->established_at[h] = o->open == TL_OPEN_REFUSED ? TL_TIME_NEVER
                                                        : TL_MSEC (2) + (TlTime) point + h;
      o->connect_error[h] = o->open == TL_OPEN_REFUSED && h == 0 ? ECONNREFUSED : 0;
      o->n_data_bytes[h] = 8 * h;
    }
  o->n_segments = 6 + (guint) point;
  o->n_retransmissions = (guint) point % 2;
  o->n_held = 0;
  o->n_dropped = (guint) point / 4;
}

/* Writes the rows of PLAN's points (a shard's or all) as a sweep would. */
static char *
write_output (Fixture       *f,
              const char    *name,
              TlSweepFormat  format,
              const char    *shard)
{
  g_autoptr(TlSweepPlan) plan = make_plan (shard);
  const char *hosts[] = { "A", "B" };
  g_autoptr(TlSweepRowWriter) rows = tl_sweep_row_writer_new (plan, hosts, format);
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  char *path = path_in (f, name);
  TlSweepOutput *output = tl_sweep_output_open (path, &error);

  g_assert_no_error (error);
  tl_sweep_row_write_header (rows, text);
  for (guint64 local = 0; local < tl_sweep_plan_get_n_local (plan); local++)
    {
      TlSweepResult result;

      fake_result (tl_sweep_plan_local_point (plan, local), &result);
      tl_sweep_row_write (rows, &result, text);
    }
  g_assert_true (tl_sweep_output_write (output, text->str, text->len, &error));
  g_assert_true (tl_sweep_output_commit (output, &error));
  g_assert_no_error (error);
  return path;
}

static void
test_csv_rows (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *path = write_output (f, "all.csv", TL_SWEEP_FORMAT_CSV, NULL);
  g_autofree char *contents = tl_test_read_file (path);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 12 + 1);
  g_assert_cmpstr (lines[0], ==,
                   "index,points,B.connect.at-A.connect.at_ns,A->B.loss_pct,seed,open,close,"
                   "A.final_state,B.final_state,A.established_ns,B.established_ns,"
                   "A.connect_error,B.connect_error,A.data_bytes,B.data_bytes,"
                   "segments,retransmissions,held,dropped,truncated");
  g_assert_cmpstr (lines[1], ==,
                   "0,12,-10000000,0.5,0,simultaneous-open,simultaneous-close,TIME-WAIT,TIME-WAIT,"
                   "2000000,2000001,,,0,8,6,0,0,0,0");
  g_assert_cmpstr (lines[2], ==,
                   "1,12,-10000000,0.5,1,refused,none,CLOSED,CLOSED,,,ECONNREFUSED,,0,8,7,1,0,0,0");
  g_assert_cmpstr (lines[4], ==,
                   "3,12,-10000000,1.25,1,simultaneous-open,simultaneous-close,TIME-WAIT,TIME-WAIT,"
                   "2000003,2000004,,,0,8,9,1,0,0,0");
  g_assert_cmpstr (lines[6], ==,
                   "5,12,0,0.5,1,normal-open,simultaneous-close,TIME-WAIT,TIME-WAIT,"
                   "2000005,2000006,,,0,8,11,1,0,1,1");
  g_assert_cmpstr (lines[12], ==,
                   "11,12,10000000,1.25,1,normal-open,simultaneous-close,TIME-WAIT,TIME-WAIT,"
                   "2000011,2000012,,,0,8,17,1,0,2,0");
  g_assert_cmpstr (lines[13], ==, "");
}

static void
test_jsonl_rows (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *path = write_output (f, "all.jsonl", TL_SWEEP_FORMAT_JSONL, NULL);
  g_autofree char *contents = tl_test_read_file (path);
  g_auto(GStrv) lines = g_strsplit (contents, "\n", -1);

  g_assert_cmpuint (g_strv_length (lines), ==, 12 + 1);
  g_assert_cmpstr (lines[1], ==,
                   "{\"index\":1,\"points\":12,\"params\":{\"B.connect.at-A.connect.at_ns\":-10000000,"
                   "\"A->B.loss_pct\":0.5},\"seed\":1,\"open\":\"refused\",\"close\":\"none\","
                   "\"hosts\":[{\"name\":\"A\",\"final_state\":\"CLOSED\",\"established_ns\":null,"
                   "\"connect_error\":\"ECONNREFUSED\",\"data_bytes\":0},{\"name\":\"B\","
                   "\"final_state\":\"CLOSED\",\"established_ns\":null,\"connect_error\":null,"
                   "\"data_bytes\":8}],\"segments\":7,\"retransmissions\":1,\"held\":0,"
                   "\"dropped\":0,\"truncated\":false}");
  /* Every line is a JSON object a standard parser reads. */
  for (guint i = 0; i < 12; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;
      JsonObject *object;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      object = json_node_get_object (json_parser_get_root (parser));
      g_assert_cmpint (json_object_get_int_member (object, "index"), ==, i);
      g_assert_cmpint (json_object_get_boolean_member (object, "truncated"), ==, i == 5);
    }
}

static void
test_csv_quoting (void)
{
  static const char *const fields[] = { "plain", "a,b", "say \"hi\"", "", "line\nbreak" };
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GPtrArray) back = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (i > 0)
        g_string_append_c (line, ',');
      tl_sweep_csv_append_field (line, fields[i]);
    }
  g_assert_cmpstr (line->str, ==, "plain,\"a,b\",\"say \"\"hi\"\"\",,\"line\nbreak\"");
  back = tl_sweep_csv_split (line->str, line->len);
  g_assert_nonnull (back);
  g_assert_cmpuint (back->len, ==, G_N_ELEMENTS (fields));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_cmpstr (g_ptr_array_index (back, i), ==, fields[i]);
  g_assert_null (tl_sweep_csv_split ("\"open", 5));
  g_assert_null (tl_sweep_csv_split ("a\"b", 3));
}

/* Until commit nothing is at the destination; abort leaves nothing, not
 * even the old file touched. */
static void
test_output_atomic (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = path_in (f, "out.csv");
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  TlSweepOutput *output;

  g_assert_true (g_file_set_contents (path, "old\n", -1, &error));
  output = tl_sweep_output_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (tl_sweep_output_write (output, "new\n", 4, &error));
  g_assert_true (tl_sweep_output_flush (output, &error));
  g_assert_cmpuint (tl_test_dir_count (f->dir), ==, 2);  /* out.csv and its temporary */
  contents = tl_test_read_file (path);
  g_assert_cmpstr (contents, ==, "old\n");
  g_free (contents);
  tl_sweep_output_abort (output);
  g_assert_cmpuint (tl_test_dir_count (f->dir), ==, 1);
  contents = tl_test_read_file (path);
  g_assert_cmpstr (contents, ==, "old\n");
  g_free (contents);

  output = tl_sweep_output_open (path, &error);
  g_assert_true (tl_sweep_output_write (output, "new\n", 4, &error));
  g_assert_true (tl_sweep_output_commit (output, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tl_test_dir_count (f->dir), ==, 1);
  contents = tl_test_read_file (path);
  g_assert_cmpstr (contents, ==, "new\n");
}

static void
test_output_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = path_in (f, "no-such-dir/out.csv");
  g_autoptr(GError) error = NULL;

  g_assert_null (tl_sweep_output_open (path, &error));
  g_assert_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_OUTPUT);
  g_assert_true (g_str_has_prefix (error->message, path));
}

static char *
merge (Fixture      *f,
       const char   *out_name,
       GStrv         inputs,
       gboolean      allow_missing,
       GError      **error)
{
  g_autoptr(TlSweepTable) table = tl_sweep_table_new ();
  char *out = path_in (f, out_name);

  for (guint i = 0; inputs[i] != NULL; i++)
    if (!tl_sweep_table_add_file (table, inputs[i], error))
      {
        g_free (out);
        return NULL;
      }
  if (!tl_sweep_table_finish (table, allow_missing, error)
      || !tl_sweep_table_write (table, out, error))
    {
      g_free (out);
      return NULL;
    }
  return out;
}

/* Shards of every count, given in any order, merge into the very bytes of
 * the unsharded output, for both formats. */
static void
test_merge_identical (Fixture       *f,
                      gconstpointer  data)
{
  for (guint format = TL_SWEEP_FORMAT_CSV; format <= TL_SWEEP_FORMAT_JSONL; format++)
    {
      const char *ext = format == TL_SWEEP_FORMAT_CSV ? "csv" : "jsonl";
      g_autofree char *whole_name = g_strdup_printf ("whole.%s", ext);
      g_autofree char *whole_path = write_output (f, whole_name, format, NULL);
      g_autofree char *whole = tl_test_read_file (whole_path);

      for (guint n = 1; n <= 13; n += 4)
        {
          g_autoptr(GPtrArray) inputs = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *merged_path = NULL;
          g_autofree char *merged = NULL;
          g_autoptr(GError) error = NULL;

          /* Last shard first: the order of the inputs does not matter. */
          for (guint i = n; i >= 1; i--)
            {
              g_autofree char *name = g_strdup_printf ("shard-%u-of-%u.%s", i, n, ext);
              g_autofree char *shard = g_strdup_printf ("%u/%u", i, n);

              g_ptr_array_add (inputs, write_output (f, name, format, shard));
            }
          g_ptr_array_add (inputs, NULL);
          merged_path = merge (f, "merged", (GStrv) inputs->pdata, FALSE, &error);
          g_assert_no_error (error);
          merged = tl_test_read_file (merged_path);
          g_assert_cmpstr (merged, ==, whole);
        }
    }
}

static void
expect_merge_error (Fixture    *f,
                    GStrv       inputs,
                    const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = merge (f, "merged.csv", inputs, FALSE, &error);
  g_autofree char *merged_path = path_in (f, "merged.csv");

  g_assert_null (out);
  g_assert_nonnull (error);
  if (strstr (error->message, expected) == NULL)
    g_error ("got \"%s\", expected \"...%s...\"", error->message, expected);
  /* Nothing written on failure. */
  g_assert_false (g_file_test (merged_path, G_FILE_TEST_EXISTS));
}

static void
test_merge_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *s1 = write_output (f, "s1.csv", TL_SWEEP_FORMAT_CSV, "1/3");
  g_autofree char *s2 = write_output (f, "s2.csv", TL_SWEEP_FORMAT_CSV, "2/3");
  g_autofree char *s3 = write_output (f, "s3.csv", TL_SWEEP_FORMAT_CSV, "3/3");
  g_autofree char *j1 = write_output (f, "s1.jsonl", TL_SWEEP_FORMAT_JSONL, "1/3");
  g_autofree char *other = path_in (f, "other.csv");
  g_autofree char *cut = path_in (f, "cut.csv");
  g_autofree char *garbage = path_in (f, "garbage.csv");
  g_autofree char *s3_text = tl_test_read_file (s3);
  g_autofree char *missing = path_in (f, "missing.csv");
  g_autoptr(GError) error = NULL;
  char *s1_twice[] = { s1, s2, s3, s1, NULL };
  char *missing_shard[] = { s1, s3, NULL };
  char *mixed[] = { s1, j1, NULL };
  char *different[] = { s1, other, NULL };
  char *torn[] = { s1, s2, cut, NULL };
  char *bad[] = { garbage, NULL };
  char *absent[] = { missing, NULL };
  char *last_row_gone[] = { s1, s2, cut, NULL };

  /* Another sweep: a different parameter column. */
  {
    g_autofree char *text = tl_test_read_file (s2);
    char *comma = strstr (text, "A->B.loss_pct");

    memcpy (comma, "B->A", 4);
    g_assert_true (g_file_set_contents (other, text, -1, &error));
  }
  /* A shard whose last line was cut short. */
  g_assert_true (g_file_set_contents (cut, s3_text, (gssize) strlen (s3_text) - 3, &error));
  g_assert_true (g_file_set_contents (garbage, "hello,world\n1,2\n", -1, &error));

  expect_merge_error (f, s1_twice, "appears twice");
  expect_merge_error (f, s1_twice, "(the same shard given twice?)");
  expect_merge_error (f, missing_shard, "4 of the 12 points are missing, the first being point 1");
  expect_merge_error (f, mixed, "cannot be merged with CSV ones");
  expect_merge_error (f, different, "other.csv:1: its header differs");
  expect_merge_error (f, torn, "cut.csv:5: the last line is incomplete");
  expect_merge_error (f, bad, "garbage.csv:1: not the header of a sweep");
  expect_merge_error (f, absent, "missing.csv");

  /* The cut file with its last row dropped cleanly: an interrupted shard. */
  {
    char *last = strrchr (s3_text, '\n');

    *last = '\0';
    last = strrchr (s3_text, '\n');
    last[1] = '\0';
    g_assert_true (g_file_set_contents (cut, s3_text, -1, &error));
  }
  /* Point 11 is missing although every other index is there. */
  expect_merge_error (f, last_row_gone, "1 of the 12 points are missing, the first being point 11");
  {
    g_autofree char *out = merge (f, "partial.csv", last_row_gone, TRUE, &error);
    g_autofree char *text = NULL;

    g_assert_no_error (error);
    text = tl_test_read_file (out);
    g_assert_cmpuint (strlen (text), >, 0);
    g_assert_true (g_str_has_suffix (text, "\n"));
    g_assert_null (strstr (text, "\n11,12,"));
    g_assert_nonnull (strstr (text, "\n10,12,"));
  }
}

/* The map drawn from merged rows has the sweep's axes and outcomes. */
static void
test_table_map (Fixture       *f,
                gconstpointer  data)
{
  for (guint format = TL_SWEEP_FORMAT_CSV; format <= TL_SWEEP_FORMAT_JSONL; format++)
    {
      g_autofree char *path = write_output (f, format == TL_SWEEP_FORMAT_CSV ? "m.csv" : "m.jsonl",
                                            format, NULL);
      g_autoptr(TlSweepTable) table = tl_sweep_table_new ();
      g_autoptr(TlOutcomeMap) map = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (tl_sweep_table_add_file (table, path, &error));
      g_assert_true (tl_sweep_table_finish (table, FALSE, &error));
      map = tl_sweep_table_to_map (table, &error);
      g_assert_no_error (error);
      g_assert_nonnull (map);
      /* Cell (x, y) holds points 4x + 2y and 4x + 2y + 1 (the two seeds). */
      for (guint x = 0; x < 3; x++)
        for (guint y = 0; y < 2; y++)
          {
            TlSweepResult a, b;
            gboolean mixed;
            guint category = tl_outcome_map_get_category (map, x, y, &mixed);

            fake_result (4 * x + 2 * y, &a);
            fake_result (4 * x + 2 * y + 1, &b);
            g_assert_true (mixed);  /* the fake outcome cycles with period 3 */
            /* Ties go to the lowest category. */
            g_assert_cmpuint (category, ==,
                              MIN (a.outcome.open * TL_N_CLOSE_OUTCOMES + a.outcome.close,
                                   b.outcome.open * TL_N_CLOSE_OUTCOMES + b.outcome.close));
          }
    }
}

/* The scenario make_plan's axes fit. */
static TlScenario *
load_base (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"),
                                            "simultaneous-open-delay.scn", NULL);
  g_autoptr(GError) error = NULL;
  TlScenario *base = tl_scenario_load (path, &error);

  g_assert_no_error (error);
  return base;
}

/* The describing line reads back as the same sweep: every point gives the
 * very scenario the sweep ran, whatever shard wrote the line. */
static void
test_source_round_trip (void)
{
  g_autoptr(TlScenario) base = load_base ();
  g_autoptr(TlSweepPlan) plan = make_plan ("2/3");
  g_autoptr(TlSweepPlan) unsharded = make_plan (NULL);
  g_autofree char *line = NULL;
  g_autofree char *line_unsharded = NULL;
  g_autoptr(TlSweepSource) source = NULL;
  g_autoptr(GError) error = NULL;
  TlSweepJob job = { base, unsharded }, again;

  tl_scenario_set (base, "A.syn-retries", "3", &error);
  g_assert_no_error (error);
  line = tl_sweep_source_to_line (base, plan);
  line_unsharded = tl_sweep_source_to_line (base, unsharded);
  g_assert_cmpstr (line, ==, line_unsharded);
  g_assert_null (strchr (line, '\n'));
  g_assert_true (tl_sweep_source_is_line (line, strlen (line)));
  g_assert_false (tl_sweep_source_is_line ("{\"index\":0", 10));

  source = tl_sweep_source_parse (line, strlen (line), "x.jsonl", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (source->plan->n_points, ==, 12);
  g_assert_cmpuint (source->plan->axes->len, ==, 3);
  g_assert_true (tl_sweep_plan_has_seeds (source->plan));
  again.base = source->base;
  again.plan = source->plan;
  for (guint64 point = 0; point < 12; point++)
    {
      g_autoptr(TlScenario) want = tl_sweep_job_scenario (&job, point, &error);
      g_autoptr(TlScenario) got = tl_sweep_job_scenario (&again, point, &error);
      g_autofree char *want_text = NULL;
      g_autofree char *got_text = NULL;

      g_assert_no_error (error);
      want_text = tl_scenario_to_string (want);
      got_text = tl_scenario_to_string (got);
      g_assert_cmpstr (got_text, ==, want_text);
      g_assert_cmpuint (got->hosts[0].settings.syn_retries, ==, 3);
    }

  /* A key the scenario does not have is found when the line is read. */
  {
    g_autoptr(TlSweepPlan) typo = tl_sweep_plan_new ();
    g_autofree char *typo_line = NULL;
    g_autoptr(TlSweepSource) none = NULL;

    g_assert_true (tl_sweep_plan_add_axis (typo, tl_sweep_axis_parse (
      TL_SWEEP_AXIS_VARY, "A<->B.dealy=1ms,2ms", &error), &error));
    typo_line = tl_sweep_source_to_line (base, typo);
    none = tl_sweep_source_parse (typo_line, strlen (typo_line), "typo.jsonl", &error);
    g_assert_null (none);
    g_assert_error (error, TL_SWEEP_ERROR, TL_SWEEP_ERROR_INPUT);
    g_assert_nonnull (strstr (error->message, "typo.jsonl:1: the sweep's description: "));
    g_assert_nonnull (strstr (error->message, "A<->B.dealy"));
  }
}

static void
test_source_errors (void)
{
  static const struct { const char *line; const char *expected; } cases[] = {
    { "{\"sweep\":", "x.jsonl:1: the sweep's description: " },
    { "{\"sweep\":[]}", "expected {\"sweep\": {...}}" },
    { "{\"sweep\":{\"format\":\"csv\"}}", "\"format\" must be \"tcpladder-sweep\"" },
    { "{\"sweep\":{\"format\":\"tcpladder-sweep\",\"version\":2}}", "version 2 is not one this tcpladder reads (1)" },
    { "{\"sweep\":{\"format\":\"tcpladder-sweep\",\"version\":1,\"points\":0}}",
      "\"points\" must be a positive" },
    { "{\"sweep\":{\"format\":\"tcpladder-sweep\",\"version\":1,\"points\":2,\"axes\":[{\"kind\":\"seeds\",\"count\":2}],"
      "\"scenario\":\"host A {\\n  addres 1\\n}\\n\"}}",
      "x.jsonl (the swept scenario):2:" },
    { "{\"sweep\":{\"format\":\"tcpladder-sweep\",\"version\":1,\"points\":2,\"axes\":[{\"kind\":\"vary\",\"spec\":\"B.connect.at=1s..0s/1ms\"}],"
      "\"scenario\":\"\"}}", "axes[0]: --vary B.connect.at=1s..0s/1ms: FROM '1s' is after TO '0s'" },
    { "{\"sweep\":{\"format\":\"tcpladder-sweep\",\"version\":1,\"points\":2,\"axes\":[{\"kind\":\"spin\"}],"
      "\"scenario\":\"\"}}", "axes[0]: unknown kind 'spin'" },
    { "{\"sweep\":{\"format\":\"tcpladder-sweep\",\"version\":1,\"points\":3,\"axes\":[{\"kind\":\"seeds\",\"count\":2}],"
      "\"scenario\":\"\"}}", "its axes give 2 points, \"points\" says 3" },
  };

  /* Deep nesting is refused before json-glib would recurse through it. */
  {
    g_autofree char *deep = g_strnfill (300000, '[');
    g_autofree char *line = g_strconcat ("{\"sweep\":", deep, NULL);
    g_autoptr(GError) error = NULL;
    g_autoptr(TlSweepSource) none = tl_sweep_source_parse (line, strlen (line), "x.jsonl", &error);

    g_assert_null (none);
    g_assert_nonnull (strstr (error->message, "x.jsonl:1: the sweep's description: column 73: "
                                              "nested more than 64 levels deep"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TlSweepSource) source = tl_sweep_source_parse (cases[i].line,
                                                                strlen (cases[i].line),
                                                                "x.jsonl", &error);

      g_assert_null (source);
      g_assert_nonnull (error);
      if (strstr (error->message, cases[i].expected) == NULL)
        g_error ("case %u: got \"%s\", expected \"...%s...\"", i, error->message,
                 cases[i].expected);
      g_assert_true (g_str_has_prefix (error->message, "x.jsonl"));
    }
}

/* Writes JSON lines for SHARD with the describing line first. */
static char *
write_described (Fixture    *f,
                 const char *name,
                 const char *shard,
                 const char *line)
{
  g_autofree char *rows_path = write_output (f, name, TL_SWEEP_FORMAT_JSONL, shard);
  g_autofree char *rows = tl_test_read_file (rows_path);
  g_autofree char *text = g_strconcat (line, "\n", rows, NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (rows_path, text, -1, &error));
  return g_steal_pointer (&rows_path);
}

/* Shards carrying the line merge with it, once, and keep it first; a
 * shard with another line or none is not the same sweep.  The table gives
 * each row's point and outcome back. */
static void
test_source_merge (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(TlScenario) base = load_base ();
  g_autoptr(TlSweepPlan) plan = make_plan (NULL);
  g_autofree char *line = tl_sweep_source_to_line (base, plan);
  g_autofree char *other_line = NULL;
  g_autofree char *s1 = write_described (f, "s1.jsonl", "1/2", line);
  g_autofree char *s2 = write_described (f, "s2.jsonl", "2/2", line);
  g_autofree char *bare = write_output (f, "bare.jsonl", TL_SWEEP_FORMAT_JSONL, "2/2");
  g_autofree char *other = NULL;
  g_autofree char *merged_path = NULL;
  g_autofree char *merged = NULL;
  g_autoptr(GError) error = NULL;
  char *both[] = { s2, s1, NULL };
  char *with_bare[] = { s1, bare, NULL };
  char *bare_first[] = { bare, s1, NULL };
  char *with_other[] = { s1, NULL, NULL };

  merged_path = merge (f, "merged.jsonl", both, FALSE, &error);
  g_assert_no_error (error);
  merged = tl_test_read_file (merged_path);
  g_assert_true (g_str_has_prefix (merged, line));
  g_assert_null (strstr (merged + strlen (line), "{\"sweep\""));
  g_assert_nonnull (strstr (merged, "\n{\"index\":0,"));

  tl_scenario_set (base, "A.syn-retries", "2", &error);
  other_line = tl_sweep_source_to_line (base, plan);
  other = write_described (f, "other.jsonl", "2/2", other_line);
  with_other[1] = other;
  expect_merge_error (f, with_bare, "bare.jsonl:1: no line describing the sweep, unlike");
  expect_merge_error (f, bare_first, "s1.jsonl:1: a line describing the sweep, unlike");
  expect_merge_error (f, with_other, "other.jsonl:1: its sweep (first line) differs");

  {
    g_autoptr(TlSweepTable) table = tl_sweep_table_new ();

    g_assert_true (tl_sweep_table_add_file (table, merged_path, &error));
    g_assert_true (tl_sweep_table_finish (table, FALSE, &error));
    g_assert_no_error (error);
    g_assert_cmpstr (tl_sweep_table_get_source_line (table), ==, line);
    g_assert_cmpuint (tl_sweep_table_get_n_rows (table), ==, 12);
    for (guint r = 0; r < 12; r++)
      {
        TlSweepResult want;
        TlOpenOutcome open;
        TlCloseOutcome close;
        guint64 index;

        g_assert_true (tl_sweep_table_get_outcome (table, r, &index, &open, &close, &error));
        fake_result (r, &want);
        g_assert_cmpuint (index, ==, r);
        g_assert_cmpint (open, ==, want.outcome.open);
        g_assert_cmpint (close, ==, want.outcome.close);
      }
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/sweep/output/csv-rows", Fixture, NULL, fixture_setup, test_csv_rows,
              fixture_teardown);
  g_test_add ("/sweep/output/jsonl-rows", Fixture, NULL, fixture_setup, test_jsonl_rows,
              fixture_teardown);
  g_test_add_func ("/sweep/output/csv-quoting", test_csv_quoting);
  g_test_add ("/sweep/output/atomic", Fixture, NULL, fixture_setup, test_output_atomic,
              fixture_teardown);
  g_test_add ("/sweep/output/errors", Fixture, NULL, fixture_setup, test_output_errors,
              fixture_teardown);
  g_test_add ("/sweep/merge/identical", Fixture, NULL, fixture_setup, test_merge_identical,
              fixture_teardown);
  g_test_add ("/sweep/merge/errors", Fixture, NULL, fixture_setup, test_merge_errors,
              fixture_teardown);
  g_test_add_func ("/sweep/source/round-trip", test_source_round_trip);
  g_test_add_func ("/sweep/source/errors", test_source_errors);
  g_test_add ("/sweep/source/merge", Fixture, NULL, fixture_setup, test_source_merge,
              fixture_teardown);
  g_test_add ("/sweep/merge/map", Fixture, NULL, fixture_setup, test_table_map,
              fixture_teardown);
  return g_test_run ();
}

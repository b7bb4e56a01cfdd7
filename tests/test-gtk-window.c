/* test-gtk-window.c: tcpladder-gtk driven through its widgets.
 *
 * Runs under a display (tests/run-under-xvfb.sh).  Each test opens a real
 * TlWindow on the default scenario, changes things the way a user would
 * (setting a spin button, undo, opening a bad file, stepping, exporting)
 * and checks what the document, the trace, the banners and the inspector
 * say afterwards.
 */
#include <gtk/gtk.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tl-document.h"
#include "tl-export-dialog.h"
#include "tl-inspector.h"
#include "tl-json.h"
#include "tl-ladder-view.h"
#include "tl-param-panel.h"
#include "tl-params.h"
#include "tl-sweep-window.h"
#include "tl-window.h"

#define WAIT_TIMEOUT_USEC (20 * G_USEC_PER_SEC)

typedef struct
{
  TlWindow     *window;
  TlDocument   *document;
  TlParamPanel *panel;
  TlLadderView *view;
  char         *tmpdir;
} Fixture;

/* Runs the main loop until CONDITION holds or the timeout passes. */
#define WAIT_UNTIL(condition)                                                \
  G_STMT_START {                                                             \
    gint64 deadline_ = g_get_monotonic_time () + WAIT_TIMEOUT_USEC;          \
    while (!(condition))                                                     \
      {                                                                      \
        if (g_get_monotonic_time () > deadline_)                             \
          g_error ("timed out waiting for %s", #condition);                  \
        g_main_context_iteration (NULL, FALSE);                              \
        g_usleep (1000);                                                     \
      }                                                                      \
  } G_STMT_END

/* Waits for a simulation newer than SERIAL to be shown. */
static void
wait_for_trace (Fixture *fixture,
                guint    serial)
{
  WAIT_UNTIL (tl_document_get_trace_serial (fixture->document) > serial
              && !tl_document_get_running (fixture->document));
  /* Let the window react (banner, view) before checking it. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = tl_window_new (NULL);
  fixture->document = tl_window_get_document (fixture->window);
  fixture->panel = tl_window_get_param_panel (fixture->window);
  fixture->view = tl_window_get_ladder_view (fixture->window);
  fixture->tmpdir = g_dir_make_tmp ("test-gtk-XXXXXX", NULL);
  g_assert_nonnull (fixture->tmpdir);

  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1400, 900);
  gtk_window_present (GTK_WINDOW (fixture->window));
  g_assert_true (tl_window_open_default (fixture->window));
  wait_for_trace (fixture, 0);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (fixture->view))
              && gtk_widget_get_width (GTK_WIDGET (fixture->view)) > 0);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Throw changes away: the test's window must close without asking. */
  while (tl_document_get_can_undo (fixture->document))
    tl_document_undo (fixture->document);
  WAIT_UNTIL (!tl_document_get_running (fixture->document));
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  remove_tree (fixture->tmpdir);
  g_free (fixture->tmpdir);
}

static GtkSpinButton *
spin_for (Fixture    *fixture,
          const char *key)
{
  GtkWidget *field = tl_param_panel_get_field (fixture->panel, key);

  g_assert_nonnull (field);
  g_assert_true (GTK_IS_SPIN_BUTTON (field));
  return GTK_SPIN_BUTTON (field);
}

static const TlTraceRecord *
find_record (const TlTrace *trace,
             TlRecordKind   kind,
             guint          host,
             guint          nth)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);

      if (rec->kind == kind && rec->host == host && nth-- == 0)
        return rec;
    }
  return NULL;
}

static guint
find_record_index (const TlTrace *trace,
                   TlRecordKind   kind,
                   guint          host)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);

      if (rec->kind == kind && rec->host == host)
        return i;
    }
  g_assert_not_reached ();
}

/* The default scenario opens, simulates and shows its outcome. */
static void
test_default_scenario (Fixture       *fixture,
                       gconstpointer  data)
{
  TlTrace *trace = tl_document_get_trace (fixture->document);
  const TlOutcome *outcome = tl_document_get_outcome (fixture->document);
  const TlScenario *scenario = tl_document_get_scenario (fixture->document);

  g_assert_cmpint (tl_document_get_kind (fixture->document), ==, TL_DOCUMENT_SCENARIO);
  g_assert_nonnull (trace);
  g_assert_cmpuint (tl_trace_get_n_records (trace), >, 10);
  g_assert_cmpint (outcome->open, ==, TL_OPEN_SIMULTANEOUS);
  g_assert_true (g_str_has_prefix (tl_window_get_outcome_text (fixture->window),
                                   "Simultaneous open"));
  g_assert_null (tl_window_get_error_text (fixture->window));
  g_assert_false (tl_document_get_modified (fixture->document));

  /* Every timing parameter has its field, holding the scenario's value. */
  g_assert_cmpfloat (gtk_spin_button_get_value (spin_for (fixture, "A->B.delay")), ==,
                     (double) scenario->links[0].delay / TL_MSEC (1));
  g_assert_cmpfloat (gtk_spin_button_get_value (spin_for (fixture, "router.pause.1.end")), ==,
                     2500.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin_for (fixture, "B.connect.at")), ==, 200.0);
  g_assert_nonnull (tl_param_panel_get_field (fixture->panel, "A.syn-retries"));
  g_assert_true (GTK_IS_ENTRY (tl_param_panel_get_field (fixture->panel, "seed")));
  g_assert_true (GTK_IS_DROP_DOWN (tl_param_panel_get_field (fixture->panel, "profile")));

  /* The view laid the trace out. */
  g_assert_true (tl_ladder_view_get_trace (fixture->view, 0) == trace);
  g_assert_nonnull (tl_ladder_view_get_layout (fixture->view));
  g_assert_cmpfloat (tl_ladder_view_get_scale (fixture->view), >, 0);
}

/* Setting a spin button re-simulates: the trace and the outcome follow. */
static void
test_change_parameter (Fixture       *fixture,
                       gconstpointer  data)
{
  TlTrace *before = tl_trace_ref (tl_document_get_trace (fixture->document));
  guint serial = tl_document_get_trace_serial (fixture->document);
  const TlTraceRecord *send, *deliver;
  TlTrace *after;

  /* A 500 ms link instead of 1 ms: A's first SYN arrives 500 ms after it
   * left the router (it is held there until 2.5 s). */
  gtk_spin_button_set_value (spin_for (fixture, "A->B.delay"), 500.0);
  wait_for_trace (fixture, serial);

  after = tl_document_get_trace (fixture->document);
  g_assert_true (after != before);
  g_assert_cmpint (tl_document_get_scenario (fixture->document)->links[0].delay, ==,
                   TL_MSEC (500));
  g_assert_true (tl_document_get_modified (fixture->document));
  g_assert_true (tl_document_get_can_undo (fixture->document));
  send = find_record (after, TL_REC_SEND, TL_HOST_A, 0);
  deliver = NULL;
  for (guint i = 0; i < tl_trace_get_n_records (after); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (after, i);

      if (rec->kind == TL_REC_DELIVER && rec->packet == send->packet)
        deliver = rec;
    }
  g_assert_nonnull (deliver);
  g_assert_cmpint (deliver->time - send->time, >=, TL_MSEC (500));
  g_assert_true (tl_ladder_view_get_trace (fixture->view, 0) == after);

  /* Ending the pause before anybody sends: A's SYN finds B without a
   * socket and is refused; the banner says so. */
  serial = tl_document_get_trace_serial (fixture->document);
  gtk_spin_button_set_value (spin_for (fixture, "A->B.delay"), 1.0);
  gtk_spin_button_set_value (spin_for (fixture, "router.pause.1.end"), 50.0);
  wait_for_trace (fixture, serial);
  g_assert_cmpint (tl_document_get_outcome (fixture->document)->open, ==, TL_OPEN_REFUSED);
  g_assert_cmpint (tl_document_get_outcome (fixture->document)->connect_error[TL_HOST_A], !=, 0);
  g_assert_nonnull (strstr (tl_window_get_outcome_text (fixture->window), "efused"));
  g_assert_cmpuint (tl_trace_get_n_records (tl_document_get_trace (fixture->document)), !=,
                    tl_trace_get_n_records (before));
  tl_trace_unref (before);
}

/* Undo and redo walk the edits back and forth, each re-simulating. */
static void
test_undo_redo (Fixture       *fixture,
                gconstpointer  data)
{
  guint serial = tl_document_get_trace_serial (fixture->document);
  TlOpenOutcome original = tl_document_get_outcome (fixture->document)->open;

  gtk_spin_button_set_value (spin_for (fixture, "router.pause.1.end"), 50.0);
  wait_for_trace (fixture, serial);
  g_assert_cmpint (tl_document_get_outcome (fixture->document)->open, !=, original);

  serial = tl_document_get_trace_serial (fixture->document);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "undo"));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "undo", NULL);
  wait_for_trace (fixture, serial);
  g_assert_cmpint (tl_document_get_outcome (fixture->document)->open, ==, original);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin_for (fixture, "router.pause.1.end")), ==,
                     2500.0);
  g_assert_false (tl_document_get_modified (fixture->document));
  g_assert_true (tl_document_get_can_redo (fixture->document));

  serial = tl_document_get_trace_serial (fixture->document);
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "redo", NULL);
  wait_for_trace (fixture, serial);
  g_assert_cmpint (tl_document_get_outcome (fixture->document)->open, !=, original);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin_for (fixture, "router.pause.1.end")), ==,
                     50.0);
  g_assert_true (tl_document_get_modified (fixture->document));
}

/* Quick edits of one field are one undo step; edits of another are not. */
static void
test_undo_coalescing (Fixture       *fixture,
                      gconstpointer  data)
{
  TlDocument *document = fixture->document;
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_document_set_value (document, "A->B.delay", "2ms", NULL, &error));
  g_assert_true (tl_document_set_value (document, "A->B.delay", "3ms", NULL, &error));
  g_assert_true (tl_document_set_value (document, "B->A.delay", "4ms", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (tl_document_undo (document));
  g_assert_cmpint (tl_document_get_scenario (document)->links[1].delay, ==, TL_MSEC (1));
  g_assert_cmpint (tl_document_get_scenario (document)->links[0].delay, ==, TL_MSEC (3));
  g_assert_true (tl_document_undo (document));
  g_assert_cmpint (tl_document_get_scenario (document)->links[0].delay, ==, TL_MSEC (1));
  g_assert_false (tl_document_get_can_undo (document));

  /* A drag is one step however many values it passes through. */
  tl_document_begin_group (document, "Move pause end");
  for (int ms = 2400; ms >= 2000; ms -= 100)
    {
      g_autofree char *value = g_strdup_printf ("%dms", ms);

      g_assert_true (tl_document_set_value (document, "router.pause.1.end", value, NULL, &error));
    }
  tl_document_end_group (document);
  g_assert_cmpstr (tl_document_get_undo_label (document), ==, "Move pause end");
  g_assert_true (tl_document_undo (document));
  g_assert_false (tl_document_get_can_undo (document));
  g_assert_cmpint (g_array_index (tl_document_get_scenario (document)->pauses,
                                  TlPauseWindow, 0).end, ==, TL_MSEC (2500));
}

/* A value the scenario refuses marks the field and shows the banner, and
 * leaves the document as it was. */
static void
test_bad_value (Fixture       *fixture,
                gconstpointer  data)
{
  guint serial = tl_document_get_trace_serial (fixture->document);
  GtkSpinButton *start = spin_for (fixture, "router.pause.1.start");
  const char *error;

  /* A window starting after its end. */
  gtk_spin_button_set_value (start, 3000.0);
  error = tl_window_get_error_text (fixture->window);
  g_assert_nonnull (error);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (start), "error"));
  g_assert_cmpint (g_array_index (tl_document_get_scenario (fixture->document)->pauses,
                                  TlPauseWindow, 0).start, ==, 0);
  g_assert_false (tl_document_get_modified (fixture->document));
  g_assert_cmpuint (tl_document_get_trace_serial (fixture->document), ==, serial);

  /* A good value clears both. */
  gtk_spin_button_set_value (start, 10.0);
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (start), "error"));
  g_assert_null (tl_window_get_error_text (fixture->window));
  wait_for_trace (fixture, serial);
  g_assert_cmpint (g_array_index (tl_document_get_scenario (fixture->document)->pauses,
                                  TlPauseWindow, 0).start, ==, TL_MSEC (10));

  /* The seed entry takes text: a word is refused the same way. */
  {
    GtkWidget *seed = tl_param_panel_get_field (fixture->panel, "seed");

    gtk_editable_set_text (GTK_EDITABLE (seed), "twelve");
    g_signal_emit_by_name (seed, "activate");
    g_assert_true (gtk_widget_has_css_class (seed, "error"));
    g_assert_nonnull (strstr (tl_window_get_error_text (fixture->window), "seed"));
    g_assert_cmpuint (tl_document_get_scenario (fixture->document)->seed, ==, 1);
  }
}

static char *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  char *path = g_build_filename (fixture->tmpdir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

/* Malformed files: the window names the problem and keeps working. */
static void
test_malformed_file (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *scn = write_file (fixture, "broken.scn",
                                     "name broken\nlink A<->B {\n  delay fast\n}\n", -1);
  static const guint8 pcap_head[] = { 0xd4, 0xc3, 0xb2, 0xa1, 0x02, 0x00, 0x04 };
  g_autofree char *pcap = write_file (fixture, "truncated.pcap", (const char *) pcap_head,
                                      sizeof pcap_head);
  g_autoptr(GFile) scn_file = g_file_new_for_path (scn);
  g_autoptr(GFile) pcap_file = g_file_new_for_path (pcap);
  g_autoptr(GFile) missing = g_file_new_for_path ("/nonexistent/nothing.scn");
  TlTrace *trace = tl_document_get_trace (fixture->document);
  guint serial;
  const char *error;

  g_assert_false (tl_window_open_file (fixture->window, scn_file));
  error = tl_window_get_error_text (fixture->window);
  g_assert_nonnull (error);
  /* The parser's message names file, line and column. */
  g_assert_nonnull (strstr (error, "broken.scn:"));
  g_assert_true (tl_document_get_trace (fixture->document) == trace);
  g_assert_cmpint (tl_document_get_kind (fixture->document), ==, TL_DOCUMENT_SCENARIO);

  g_assert_false (tl_window_open_file (fixture->window, pcap_file));
  g_assert_nonnull (strstr (tl_window_get_error_text (fixture->window), "truncated.pcap"));
  g_assert_false (tl_window_open_file (fixture->window, missing));
  g_assert_nonnull (strstr (tl_window_get_error_text (fixture->window), "nothing.scn"));

  /* Still alive: an edit still re-simulates. */
  serial = tl_document_get_trace_serial (fixture->document);
  gtk_spin_button_set_value (spin_for (fixture, "B->A.delay"), 5.0);
  wait_for_trace (fixture, serial);
  g_assert_cmpint (tl_document_get_scenario (fixture->document)->links[1].delay, ==,
                   TL_MSEC (5));
}

/* Save writes a scenario that loads back with the edit. */
static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "saved.scn", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) loaded = NULL;
  guint serial = tl_document_get_trace_serial (fixture->document);

  gtk_spin_button_set_value (spin_for (fixture, "B.connect.at"), 250.0);
  wait_for_trace (fixture, serial);
  g_assert_true (tl_document_get_modified (fixture->document));
  g_assert_true (tl_document_save (fixture->document, file, &error));
  g_assert_no_error (error);
  g_assert_false (tl_document_get_modified (fixture->document));
  g_assert_true (g_file_equal (tl_document_get_file (fixture->document), file));

  loaded = tl_scenario_load (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_array_index (loaded->hosts[TL_HOST_B].calls, TlScenarioCall, 1).at, ==,
                   TL_MSEC (250));

  /* Saving where nothing can be written fails with a message. */
  {
    g_autoptr(GFile) bad = g_file_new_for_path ("/nonexistent/dir/x.scn");
    g_autoptr(GError) save_error = NULL;

    g_assert_false (tl_document_save (fixture->document, bad, &save_error));
    g_assert_nonnull (save_error);
  }
}

/* Stepping moves the cursor event by event and shows each in the
 * inspector; the cursor during the pause finds SYNs held at the router. */
static void
test_step_and_inspect (Fixture       *fixture,
                       gconstpointer  data)
{
  TlTrace *trace = tl_document_get_trace (fixture->document);
  TlInspector *inspector = tl_window_get_inspector (fixture->window);
  guint pane, record, held = 0;
  TlTime before;
  g_autoptr(GPtrArray) sections = NULL;
  const char *cause;

  tl_ladder_view_set_cursor (fixture->view, 0);
  g_assert_true (tl_ladder_view_step (fixture->view, 1));
  g_assert_true (tl_ladder_view_get_selection (fixture->view, &pane, &record));
  g_assert_cmpuint (pane, ==, 0);
  /* The first event after the cursor's time 0 (the router's pause is at
   * 0 itself). */
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    if (tl_trace_get_record (trace, i)->time > 0)
      {
        g_assert_cmpint (tl_ladder_view_get_cursor (fixture->view), ==,
                         tl_trace_get_record (trace, i)->time);
        g_assert_cmpuint (record, ==, i);
        break;
      }
  g_assert_cmpuint (tl_inspector_get_record (inspector), ==, record);

  before = tl_ladder_view_get_cursor (fixture->view);
  g_assert_true (tl_ladder_view_step (fixture->view, 1));
  g_assert_cmpint (tl_ladder_view_get_cursor (fixture->view), >, before);
  g_assert_true (tl_ladder_view_step (fixture->view, -1));
  g_assert_cmpint (tl_ladder_view_get_cursor (fixture->view), ==, before);

  /* At 1 s the paused router holds the SYNs of both sides. */
  tl_ladder_view_set_cursor (fixture->view, TL_SEC (1));
  tl_ladder_view_count_in_flight (fixture->view, &held);
  g_assert_cmpuint (held, >=, 2);
  /* Just after the release they are on their way to the hosts. */
  tl_ladder_view_set_cursor (fixture->view, TL_MSEC (2500) + TL_USEC (500));
  g_assert_cmpuint (tl_ladder_view_count_in_flight (fixture->view, NULL), >=, 2);

  /* A's first SYN: every header field, and its cause. */
  tl_ladder_view_select_record (fixture->view, 0, find_record_index (trace, TL_REC_SEND, TL_HOST_A));
  sections = tl_inspector_describe (trace, tl_inspector_get_record (inspector));
  g_assert_cmpstr (tl_inspector_sections_lookup (sections, "Packet 1", "Flags"), ==, "SYN");
  g_assert_nonnull (tl_inspector_sections_lookup (sections, "Packet 1", "MSS"));
  g_assert_nonnull (tl_inspector_sections_lookup (sections, "Packet 1", "Window scale"));
  g_assert_nonnull (tl_inspector_sections_lookup (sections, "Journey", "Held"));
  g_assert_nonnull (tl_inspector_sections_lookup (sections, "Journey", "Delivered"));
  cause = tl_inspector_sections_lookup (sections, "Caused by", "Cause");
  g_assert_nonnull (cause);
  g_assert_nonnull (strstr (cause, "connect()"));
  /* Its arrival moved B out of SYN-SENT. */
  g_assert_nonnull (strstr (tl_inspector_sections_lookup (sections, "On arrival", "State"),
                            "SYN-SENT → SYN-RECEIVED"));
}

/* Zoom in and out, fit, and zoom to a range. */
static void
test_zoom (Fixture       *fixture,
           gconstpointer  data)
{
  double fit, zoomed;

  tl_ladder_view_zoom_to_fit (fixture->view);
  fit = tl_ladder_view_get_scale (fixture->view);
  g_assert_cmpfloat (fit, >, 0);

  tl_ladder_view_zoom (fixture->view, 2.0, -1);
  zoomed = tl_ladder_view_get_scale (fixture->view);
  g_assert_cmpfloat (fabs (zoomed - 2 * fit), <, fit * 1e-6);

  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "zoom-out", NULL);
  g_assert_cmpfloat (tl_ladder_view_get_scale (fixture->view), <, zoomed);

  /* The release burst: 2.5 s to 2.51 s fills most of the view. */
  tl_ladder_view_zoom_to_range (fixture->view, TL_MSEC (2500), TL_MSEC (2510));
  g_assert_cmpfloat (tl_ladder_view_get_scale (fixture->view), >, 10 * fit);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    double x, y0, y1;
    double height = gtk_widget_get_height (GTK_WIDGET (fixture->view));

    g_assert_true (tl_ladder_view_time_to_point (fixture->view, 0, TL_HOST_A, TL_MSEC (2500), &x, &y0));
    g_assert_true (tl_ladder_view_time_to_point (fixture->view, 0, TL_HOST_A, TL_MSEC (2510), &x, &y1));
    g_assert_cmpfloat (y0, >=, -1);
    g_assert_cmpfloat (y1, <=, height + 1);
    g_assert_cmpfloat (y1 - y0, >, height * 0.5);
  }

  /* Idle compression is a toggle of the window. */
  g_assert_true (tl_ladder_view_get_compress (fixture->view));
  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "compress-idle", NULL);
  g_assert_false (tl_ladder_view_get_compress (fixture->view));
}

/* A reference trace is compared with every simulation. */
static void
test_compare (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "reference.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  const TlCompareResult *result;
  guint serial;

  /* The simulation itself as the "capture": everything matches. */
  g_assert_true (tl_trace_write_json (tl_document_get_trace (fixture->document), path, &error));
  g_assert_no_error (error);
  g_assert_true (tl_window_open_reference (fixture->window, file));
  g_assert_true (tl_ladder_view_get_is_pair (fixture->view));
  result = tl_document_get_comparison (fixture->document);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->mismatches->len, ==, 0);

  /* Move B's connect well away: the simulation no longer matches. */
  serial = tl_document_get_trace_serial (fixture->document);
  gtk_spin_button_set_value (spin_for (fixture, "router.pause.1.end"), 1200.0);
  wait_for_trace (fixture, serial);
  result = tl_document_get_comparison (fixture->document);
  g_assert_nonnull (result);
  g_assert_cmpuint (result->mismatches->len, >, 0);
  g_assert_true (tl_ladder_view_get_is_pair (fixture->view));

  g_action_group_activate_action (G_ACTION_GROUP (fixture->window), "close-reference", NULL);
  g_assert_false (tl_ladder_view_get_is_pair (fixture->view));
  g_assert_null (tl_document_get_comparison (fixture->document));

  /* A bad reference is an error in the banner, not a crash. */
  {
    g_autofree char *bad = write_file (fixture, "bad.json", "{ \"format\": 12", -1);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad);

    g_assert_false (tl_window_open_reference (fixture->window, bad_file));
    g_assert_nonnull (strstr (tl_window_get_error_text (fixture->window), "bad.json"));
  }
}

/* A recorded trace opens read-only. */
static void
test_open_trace (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "run.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  guint n = tl_trace_get_n_records (tl_document_get_trace (fixture->document));

  g_assert_true (tl_trace_write_json (tl_document_get_trace (fixture->document), path, &error));
  g_assert_true (tl_window_open_file (fixture->window, file));
  g_assert_cmpint (tl_document_get_kind (fixture->document), ==, TL_DOCUMENT_TRACE);
  g_assert_cmpuint (tl_trace_get_n_records (tl_document_get_trace (fixture->document)), ==, n);
  g_assert_null (tl_document_get_scenario (fixture->document));
  g_assert_null (tl_param_panel_get_field (fixture->panel, "A->B.delay"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "save"));
  g_assert_false (tl_document_set_value (fixture->document, "seed", "2", NULL, &error));
  g_assert_nonnull (error);
}

/* A capture above the size limit is opened only when the user says so;
 * the limit is lowered to 0 MB so a small JSON trace counts as large. */
static void
test_large_capture_asks (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->tmpdir, "big.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  TlTrace *before = tl_document_get_trace (fixture->document);
  GtkWidget *prompt;

  g_assert_true (tl_trace_write_json (before, path, &error));
  g_setenv ("TCPLADDER_CAPTURE_WARN_MB", "0", TRUE);

  /* Cancel: nothing changes. */
  g_assert_false (tl_window_open_file (fixture->window, file));
  prompt = tl_window_get_size_prompt (fixture->window);
  g_assert_nonnull (prompt);
  g_assert_true (tl_document_get_trace (fixture->document) == before);
  gtk_dialog_response (GTK_DIALOG (prompt), GTK_RESPONSE_CANCEL);
  g_assert_null (tl_window_get_size_prompt (fixture->window));
  g_assert_cmpint (tl_document_get_kind (fixture->document), ==, TL_DOCUMENT_SCENARIO);

  /* Open anyway: it opens. */
  g_assert_false (tl_window_open_file (fixture->window, file));
  prompt = tl_window_get_size_prompt (fixture->window);
  g_assert_nonnull (prompt);
  gtk_dialog_response (GTK_DIALOG (prompt), GTK_RESPONSE_ACCEPT);
  g_assert_null (tl_window_get_size_prompt (fixture->window));
  g_assert_cmpint (tl_document_get_kind (fixture->document), ==, TL_DOCUMENT_TRACE);

  g_unsetenv ("TCPLADDER_CAPTURE_WARN_MB");
}

/* The first drop-down in WIDGET's tree, depth first: the format. */
static GtkWidget *
find_first_dropdown (GtkWidget *widget)
{
  if (GTK_IS_DROP_DOWN (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_first_dropdown (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The export dialog writes the formats the renderer knows. */
static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  TlRenderOptions options;
  TlExportDialog *dialog;
  g_autoptr(GError) error = NULL;
  const char *names[] = { "out.svg", "out.png", "out.pdf", "out.txt" };
  const char *magic[] = { "<?xml", "\x89PNG", "%PDF", NULL };

  tl_render_options_init (&options);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (fixture->tmpdir, names[i], NULL);
      g_autofree char *contents = NULL;
      gsize length;

      dialog = tl_export_dialog_new (GTK_WINDOW (fixture->window),
                                     tl_document_get_trace (fixture->document), NULL, NULL, 0,
                                     &options, 0, TL_SEC (3), "out");
      /* Pick the format the way the user does, in the drop-down. */
      {
        TlRenderOptions got;
        TlRenderFormat format;
        gboolean pair;
        GtkWidget *dropdown = find_first_dropdown (GTK_WIDGET (dialog));

        g_assert_nonnull (dropdown);
        gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), i);
        tl_export_dialog_get_options (dialog, &got, &format, &pair);
        g_assert_cmpint (format, ==, (TlRenderFormat) i);
        g_assert_false (pair);
      }
      g_assert_true (tl_export_dialog_export_to (dialog, path, &error));
      g_assert_no_error (error);
      g_assert_true (g_file_get_contents (path, &contents, &length, &error));
      g_assert_cmpuint (length, >, 100);
      if (magic[i] != NULL)
        g_assert_true (memcmp (contents, magic[i], strlen (magic[i])) == 0);
      else
        g_assert_nonnull (strstr (contents, "SYN"));
      gtk_window_destroy (GTK_WINDOW (dialog));
    }
}

static GtkWidget *
find_prompt (TlWindow *window)
{
  GListModel *toplevels = gtk_window_get_toplevels ();   /* not ours */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) toplevel = g_list_model_get_item (toplevels, i);

      if (GTK_IS_MESSAGE_DIALOG (toplevel)
          && gtk_window_get_transient_for (toplevel) == GTK_WINDOW (window))
        return GTK_WIDGET (toplevel);
    }
  return NULL;
}

/* Closing with unsaved changes asks first; Cancel keeps the window,
 * Discard closes it. */
static void
test_close_prompt (void)
{
  TlWindow *window = tl_window_new (NULL);
  TlDocument *document = tl_window_get_document (window);
  g_autoptr(GError) error = NULL;
  GtkWidget *prompt;
  gboolean destroyed = FALSE;

  g_signal_connect_swapped (window, "destroy", G_CALLBACK (g_nullify_pointer), &window);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (tl_window_open_default (window));
  WAIT_UNTIL (tl_document_get_trace (document) != NULL);
  g_assert_true (tl_document_set_value (document, "seed", "7", NULL, &error));

  gtk_window_close (GTK_WINDOW (window));
  prompt = find_prompt (window);
  g_assert_nonnull (window);
  g_assert_nonnull (prompt);
  gtk_dialog_response (GTK_DIALOG (prompt), GTK_RESPONSE_CANCEL);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_nonnull (window);
  g_assert_null (find_prompt (window));

  gtk_window_close (GTK_WINDOW (window));
  prompt = find_prompt (window);
  g_assert_nonnull (prompt);
  gtk_dialog_response (GTK_DIALOG (prompt), GTK_RESPONSE_REJECT);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  destroyed = window == NULL;
  g_assert_true (destroyed);
}

/* The keys the diagram drags use are the ones the scenario knows. */
static void
test_drag_keys (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *call = tl_param_call_key ("B", TL_CALL_CONNECT, 1);
  g_autofree char *second = tl_param_call_key ("A", TL_CALL_CLOSE, 2);
  g_autofree char *pause = tl_param_pause_key (1, TRUE);
  g_autoptr(GError) error = NULL;
  guint serial = tl_document_get_trace_serial (fixture->document);

  g_assert_cmpstr (call, ==, "B.connect.at");
  g_assert_cmpstr (second, ==, "A.close.2.at");
  g_assert_cmpstr (pause, ==, "router.pause.1.end");
  g_assert_true (tl_document_set_value (fixture->document, call, "150ms", NULL, &error));
  g_assert_true (tl_document_set_value (fixture->document, pause, "2s", NULL, &error));
  g_assert_no_error (error);
  wait_for_trace (fixture, serial);
  /* The panel follows edits made elsewhere. */
  g_assert_cmpfloat (gtk_spin_button_get_value (spin_for (fixture, "B.connect.at")), ==, 150.0);
  g_assert_cmpfloat (gtk_spin_button_get_value (spin_for (fixture, "router.pause.1.end")), ==,
                     2000.0);
}

/* Sweeps ------------------------------------------------------------------- */

/* `tcpladder sweep` over B's connect offset (-40..40 ms, 5 values, across)
 * and the one-way delay (10..30 ms, 3 values, up), 2 seeds: JSON lines in
 * DIR.  SYNs cross exactly where |offset| <= delay. */
static char *
write_sweep (const char *dir)
{
  g_autofree char *scenario = g_build_filename (g_getenv ("TL_SCENARIOS_DIR"),
                                                "simultaneous-open-delay.scn", NULL);
  char *path = g_build_filename (dir, "sweep.jsonl", NULL);
  const char *argv[] = { g_getenv ("TL_CLI"), "sweep", scenario,
                         "--offset", "B.connect.at-A.connect.at=-40ms..40ms/20ms",
                         "--vary", "A<->B.delay=10ms..30ms/10ms", "--seeds", "2",
                         "--jsonl", path, "-q", NULL };
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (argv[0]);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return path;
}

static void
wait_for_window_trace (TlWindow *window)
{
  TlDocument *document = tl_window_get_document (window);

  WAIT_UNTIL (tl_document_get_trace (document) != NULL && !tl_document_get_running (document));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The map shows every row's outcome where the sweep put it, and a cell
 * opens its run: the base scenario with that point's values, simulated
 * to the outcome the row records. */
static void
test_sweep_open_cell (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = write_sweep (fixture->tmpdir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  TlSweepWindow *sweep;
  const TlOutcomeMap *map;
  TlWindow *run;
  const TlScenario *scenario;
  const TlOutcome *outcome;
  const guint sim_open = TL_OPEN_SIMULTANEOUS * TL_N_CLOSE_OUTCOMES + TL_CLOSE_NORMAL;

  g_assert_true (tl_sweep_window_file_is_sweep (file));
  sweep = tl_sweep_window_new (NULL, file, &error);
  g_assert_no_error (error);
  gtk_window_present (GTK_WINDOW (sweep));
  g_assert_cmpuint (tl_sweep_window_get_n_rows (sweep), ==, 30);
  g_assert_cmpuint (tl_sweep_window_get_n_points (sweep), ==, 30);
  map = tl_sweep_window_get_map (sweep);
  for (guint x = 0; x < 5; x++)
    for (guint y = 0; y < 3; y++)
      {
        gint offset_ms = -40 + 20 * (gint) x;
        gint delay_ms = 10 + 10 * (gint) y;
        guint category = tl_outcome_map_get_category (map, x, y, NULL);

        /* At |offset| = delay B's connect() and A's SYN are at one
         * instant: the call comes first, so the SYNs still cross. */
        if (ABS (offset_ms) <= delay_ms)
          g_assert_cmpuint (category, ==, sim_open);
        else
          g_assert_cmpuint (category, !=, sim_open);
        /* Point = x * 6 + y * 2 + seed. */
        g_assert_cmpuint (tl_sweep_window_cell_point (sweep, x, y), ==, x * 6 + y * 2);
      }
  g_assert_false (tl_sweep_window_select_cell (sweep, 5, 0));
  g_assert_true (tl_sweep_window_select_cell (sweep, 2, 1));
  g_test_message ("status: %s", tl_sweep_window_get_status (sweep));
  g_assert_nonnull (strstr (tl_sweep_window_get_status (sweep),
                            "Point 14: B.connect.at-A.connect.at=0 A<->B.delay=20ms seed=0 — "
                            "simultaneous open, normal close"));
  g_assert_true (tl_sweep_window_select_cell (sweep, 4, 0));
  g_assert_nonnull (strstr (tl_sweep_window_get_status (sweep), "connection refused"));

  /* Cell (2, 1): offset 0, delay 20 ms. */
  run = tl_sweep_window_open_cell (sweep, 2, 1, &error);
  g_assert_no_error (error);
  g_assert_nonnull (run);
  wait_for_window_trace (run);
  scenario = tl_document_get_scenario (tl_window_get_document (run));
  g_assert_nonnull (scenario);
  g_assert_null (tl_document_get_file (tl_window_get_document (run)));
  g_assert_cmpint (scenario->links[0].delay, ==, TL_MSEC (20));
  g_assert_cmpint (scenario->links[1].delay, ==, TL_MSEC (20));
  outcome = tl_document_get_outcome (tl_window_get_document (run));
  g_assert_cmpint (outcome->open, ==, TL_OPEN_SIMULTANEOUS);
  g_assert_cmpint (outcome->close, ==, TL_CLOSE_NORMAL);
  gtk_window_destroy (GTK_WINDOW (run));

  /* Cell (4, 0): B 40 ms after A over 10 ms: A's SYN finds B's port shut. */
  run = tl_sweep_window_open_cell (sweep, 4, 0, &error);
  g_assert_no_error (error);
  wait_for_window_trace (run);
  outcome = tl_document_get_outcome (tl_window_get_document (run));
  g_assert_cmpint (outcome->open, ==, TL_OPEN_REFUSED);
  gtk_window_destroy (GTK_WINDOW (run));
  gtk_window_destroy (GTK_WINDOW (sweep));

  /* Opened from a main window (file chooser, drag and drop, recent
   * files), a sweep gets a window of its own; the main window stays. */
  {
    guint before = g_list_length (gtk_window_list_toplevels ());

    g_assert_true (tl_window_open_file (fixture->window, file));
    g_assert_null (tl_window_get_error_text (fixture->window));
    g_assert_cmpuint (g_list_length (gtk_window_list_toplevels ()), ==, before + 1);
    g_assert_true (tl_window_is_pristine (fixture->window));
    for (GList *l = gtk_window_list_toplevels (); l != NULL; l = g_list_delete_link (l, l))
      if (TL_IS_SWEEP_WINDOW (l->data))
        gtk_window_destroy (GTK_WINDOW (l->data));
  }
}

/* Rows that do not say what was swept, or a broken first line: an error
 * naming the file and line, shown in the window, which carries on. */
static void
test_sweep_bad_files (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = write_sweep (fixture->tmpdir);
  g_autofree char *text = NULL;
  g_autofree char *csv = g_build_filename (fixture->tmpdir, "rows.csv", NULL);
  g_autofree char *bare = g_build_filename (fixture->tmpdir, "bare.jsonl", NULL);
  g_autofree char *broken = g_build_filename (fixture->tmpdir, "broken.jsonl", NULL);
  const struct { const char *path; const char *expected; } cases[] = {
    { csv, "rows.csv:1: these rows do not say what was swept" },
    { bare, "bare.jsonl:1: these rows do not say what was swept" },
    { broken, "broken.jsonl:1: the sweep's description: version 7 is not one" },
  };
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_true (g_file_set_contents (csv, "index,points,x_ns,seed,open,close\n"
                                      "0,1,5,0,refused,none\n", -1, &error));
  g_assert_true (g_file_set_contents (bare, strchr (text, '\n') + 1, -1, &error));
  {
    g_autofree char *bad = g_strdup (text);
    char *version = strstr (bad, "\"version\":1");

    version[10] = '7';
    g_assert_true (g_file_set_contents (broken, bad, -1, &error));
  }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GFile) file = g_file_new_for_path (cases[i].path);
      g_autoptr(GError) local_error = NULL;
      const char *shown;

      g_assert_true (tl_sweep_window_file_is_sweep (file));
      g_assert_null (tl_sweep_window_new (NULL, file, &local_error));
      g_assert_nonnull (local_error);
      g_assert_nonnull (strstr (local_error->message, cases[i].expected));

      g_assert_false (tl_window_open_file (fixture->window, file));
      shown = tl_window_get_error_text (fixture->window);
      g_assert_nonnull (shown);
      g_assert_nonnull (strstr (shown, cases[i].expected));
      /* The default scenario is still there and still simulates. */
      g_assert_nonnull (tl_document_get_trace (fixture->document));
    }
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *home = g_dir_make_tmp ("test-gtk-home-XXXXXX", NULL);
  const char *const xdg[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME",
                              "XDG_STATE_HOME" };
  int status;

  /* One private XDG tree for the whole run, not one per test: GTK's recent
   * files manager is a singleton that keeps writing where it started. */
  g_assert_nonnull (home);
  for (guint i = 0; i < G_N_ELEMENTS (xdg); i++)
    {
      g_autofree char *dir = g_build_filename (home, xdg[i], NULL);

      g_mkdir (dir, 0700);
      g_setenv (xdg[i], dir, TRUE);
    }
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);

  if (!gtk_init_check ())
    {
      /* run-under-xvfb.sh gives us a display; without one, skip. */
      g_print ("1..0 # SKIP no display\n");
      return 0;
    }
  if (tl_window_find_default_scenario () == NULL)
    {
      g_printerr ("the default scenario is missing\n");
      return 1;
    }

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/gtk/window/default-scenario", test_default_scenario);
  ADD ("/gtk/window/change-parameter", test_change_parameter);
  ADD ("/gtk/window/undo-redo", test_undo_redo);
  ADD ("/gtk/window/undo-coalescing", test_undo_coalescing);
  ADD ("/gtk/window/bad-value", test_bad_value);
  ADD ("/gtk/window/malformed-file", test_malformed_file);
  ADD ("/gtk/window/save", test_save);
  ADD ("/gtk/window/open-trace", test_open_trace);
  ADD ("/gtk/window/large-capture-asks", test_large_capture_asks);
  ADD ("/gtk/window/compare", test_compare);
  ADD ("/gtk/window/export", test_export);
  ADD ("/gtk/ladder/step-and-inspect", test_step_and_inspect);
  ADD ("/gtk/ladder/zoom", test_zoom);
  ADD ("/gtk/ladder/drag-keys", test_drag_keys);
  ADD ("/gtk/sweep/open-cell", test_sweep_open_cell);
  ADD ("/gtk/sweep/bad-files", test_sweep_bad_files);
#undef ADD
  g_test_add_func ("/gtk/window/close-prompt", test_close_prompt);

  status = g_test_run ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  {
    g_autofree char *rm = g_strdup_printf ("rm -rf '%s'", home);

    /* Best effort: the tree holds only what GTK wrote for this run. */
    if (system (rm) != 0)
      g_printerr ("could not remove %s\n", home);
  }
  return status;
}

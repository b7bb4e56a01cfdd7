/* tl-window.c: the main window. */
#include "tl-window.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "tl-color-scheme.h"
#include "tl-export-dialog.h"
#include "tl-sweep-window.h"

/* From the generated tl-gtk-resources.c: referencing it keeps the linker
 * from dropping the resources out of the static library. */
GResource *tl_gtk_get_resource (void);

#define DEFAULT_SCENARIO "simultaneous-open-router-pause.scn"

/* What to do once the user agreed to lose (or saved) unsaved changes. */
typedef void (*Continuation) (TlWindow *self,
                              gpointer  data);

struct _TlWindow
{
  GtkApplicationWindow  parent_instance;

  /* Template children. */
  GtkWidget            *title_label;
  GtkWidget            *subtitle_label;
  GtkWidget            *recent_button;
  GtkWidget            *undo_button;
  GtkWidget            *redo_button;
  GtkWidget            *error_bar;
  GtkWidget            *error_label;
  GtkWidget            *outcome_box;
  GtkWidget            *outcome_icon;
  GtkWidget            *outcome_label;
  GtkWidget            *running_spinner;
  GtkWidget            *stats_label;
  GtkWidget            *hosts_label;
  GtkWidget            *compare_label;
  GtkWidget            *outer_paned;
  GtkWidget            *inner_paned;
  GtkWidget            *params_scroller;
  GtkWidget            *inspector_scroller;
  GtkWidget            *ladder_scroller;
  GtkWidget            *play_button;
  GtkWidget            *speed_dropdown;
  GtkWidget            *time_scale;
  GtkWidget            *time_label;
  GtkAdjustment        *time_adjustment;
  TlParamPanel         *param_panel;
  TlLadderView         *ladder_view;
  TlInspector          *inspector;

  TlDocument           *document;
  gboolean              pristine;
  gboolean              close_confirmed;
  gboolean              updating_time;
  gboolean              error_visible;
  gboolean              inspector_auto_hidden;  /* for the side-by-side view */
  char                 *error_key;     /* the field the error is about */
  gboolean              fit_next_trace;
  GtkFileChooserNative *chooser;
  GtkWidget            *prompt;
  GtkWidget            *size_prompt;     /* "this capture is large: open it?" */
  gboolean              size_confirmed;  /* the next open skips that question */

  Continuation          pending;
  gpointer              pending_data;
  GDestroyNotify        pending_destroy;
};

G_DEFINE_FINAL_TYPE (TlWindow, tl_window, GTK_TYPE_APPLICATION_WINDOW)

static void update_title (TlWindow *self);
static void update_actions (TlWindow *self);
static GFile *bundle_scenario (TlWindow *self);

/* Banners -------------------------------------------------------------- */

static void
show_banner (TlWindow       *self,
             GtkMessageType  type,
             const char     *message)
{
  if (message == NULL)
    {
      gtk_info_bar_set_revealed (GTK_INFO_BAR (self->error_bar), FALSE);
      self->error_visible = FALSE;
      g_clear_pointer (&self->error_key, g_free);
      return;
    }
  gtk_info_bar_set_message_type (GTK_INFO_BAR (self->error_bar), type);
  gtk_label_set_text (GTK_LABEL (self->error_label), message);
  gtk_info_bar_set_revealed (GTK_INFO_BAR (self->error_bar), TRUE);
  self->error_visible = type == GTK_MESSAGE_ERROR;
}

void
tl_window_show_error (TlWindow   *self,
                      const char *message)
{
  g_return_if_fail (TL_IS_WINDOW (self));

  g_clear_pointer (&self->error_key, g_free);
  show_banner (self, GTK_MESSAGE_ERROR, message);
}

void
tl_window_show_info (TlWindow   *self,
                     const char *message)
{
  g_return_if_fail (TL_IS_WINDOW (self));

  g_clear_pointer (&self->error_key, g_free);
  show_banner (self, GTK_MESSAGE_INFO, message);
}

const char *
tl_window_get_error_text (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  return self->error_visible ? gtk_label_get_text (GTK_LABEL (self->error_label)) : NULL;
}

const char *
tl_window_get_outcome_text (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->outcome_label));
}

static void
on_error_bar_response (GtkInfoBar *bar,
                       int         response,
                       TlWindow   *self)
{
  show_banner (self, GTK_MESSAGE_ERROR, NULL);
}

static void
on_param_error (TlParamPanel *panel,
                const char   *key,
                const char   *message,
                TlWindow     *self)
{
  show_banner (self, GTK_MESSAGE_ERROR, message);
  g_free (self->error_key);
  self->error_key = g_strdup (key);
}

static void
on_param_error_cleared (TlParamPanel *panel,
                        const char   *key,
                        TlWindow     *self)
{
  if (self->error_visible && g_strcmp0 (self->error_key, key) == 0)
    show_banner (self, GTK_MESSAGE_ERROR, NULL);
}

static void
on_edit_failed (TlLadderView *view,
                const char   *key,
                const char   *message,
                TlWindow     *self)
{
  show_banner (self, GTK_MESSAGE_ERROR, message);
}

/* Outcome -------------------------------------------------------------- */

static char *
capitalize (const char *text)
{
  char *copy = g_strdup (text);

  if (copy[0] != '\0')
    copy[0] = g_ascii_toupper (copy[0]);
  return copy;
}

static const char *
outcome_class (const TlOutcome *outcome,
               const TlTrace   *trace)
{
  if (trace->truncated)
    return "warning";
  switch (outcome->open)
    {
    case TL_OPEN_SIMULTANEOUS:
    case TL_OPEN_NORMAL:
    case TL_OPEN_MIXED:
      return outcome->close == TL_CLOSE_RESET || outcome->close == TL_CLOSE_INCOMPLETE
             ? "warning" : "success";
    case TL_OPEN_REFUSED:
    case TL_OPEN_TIMED_OUT:
    case TL_OPEN_RESET:
      return "error";
    case TL_OPEN_INCOMPLETE:
      return "warning";
    case TL_OPEN_NONE:
    case TL_N_OPEN_OUTCOMES:
    default:
      return "neutral";
    }
}

static void
set_outcome_class (TlWindow   *self,
                   const char *name)
{
  static const char *const classes[] = { "success", "warning", "error", "neutral" };
  static const char *const icons[] = {
    "emblem-ok-symbolic", "dialog-warning-symbolic", "dialog-error-symbolic",
    "dialog-information-symbolic",
  };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    {
      if (g_strcmp0 (classes[i], name) == 0)
        {
          gtk_widget_add_css_class (self->outcome_box, classes[i]);
          gtk_image_set_from_icon_name (GTK_IMAGE (self->outcome_icon), icons[i]);
        }
      else
        gtk_widget_remove_css_class (self->outcome_box, classes[i]);
    }
}

static void
update_outcome (TlWindow *self)
{
  TlTrace *trace = tl_document_get_trace (self->document);
  const TlOutcome *outcome = tl_document_get_outcome (self->document);
  g_autofree char *open = NULL;
  g_autofree char *title = NULL;
  g_autoptr(GString) stats = g_string_new (NULL);
  g_autoptr(GString) hosts = g_string_new (NULL);

  if (trace == NULL || outcome == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->outcome_label),
                          tl_document_get_running (self->document) ? "Simulating…"
                                                                   : "Nothing to show");
      gtk_label_set_text (GTK_LABEL (self->stats_label), "");
      gtk_label_set_text (GTK_LABEL (self->hosts_label), "");
      set_outcome_class (self, "neutral");
      return;
    }

  if (outcome->open == TL_OPEN_NONE)
    title = g_strdup ("No connection was attempted");
  else
    {
      open = capitalize (tl_open_outcome_to_string (outcome->open));
      if (outcome->close != TL_CLOSE_NONE)
        title = g_strdup_printf ("%s, then %s", open, tl_close_outcome_to_string (outcome->close));
      else
        title = g_strdup (open);
    }
  if (trace->truncated)
    {
      char *longer = g_strdup_printf ("%s (the run stopped at its event limit)", title);
      g_free (title);
      title = longer;
    }
  gtk_label_set_text (GTK_LABEL (self->outcome_label), title);
  set_outcome_class (self, outcome_class (outcome, trace));

  g_string_append_printf (stats, "%u segments", outcome->n_segments);
  if (outcome->n_retransmissions > 0)
    g_string_append_printf (stats, " · %u retransmitted", outcome->n_retransmissions);
  if (outcome->n_held > 0)
    g_string_append_printf (stats, " · %u held", outcome->n_held);
  if (outcome->n_dropped > 0)
    g_string_append_printf (stats, " · %u dropped", outcome->n_dropped);
  if (tl_document_get_kind (self->document) == TL_DOCUMENT_SCENARIO)
    {
      gint64 usec = tl_document_get_last_run_usec (self->document);

      g_string_append_printf (stats, " · simulated in %.1f ms", (double) usec / 1000.0);
    }
  gtk_label_set_text (GTK_LABEL (self->stats_label), stats->str);

  for (guint host = 0; host < TL_MAX_HOSTS; host++)
    {
      g_autofree char *line = tl_outcome_describe_host (trace, outcome, host);

      if (hosts->len > 0)
        g_string_append_c (hosts, '\n');
      g_string_append (hosts, line);
    }
  gtk_label_set_text (GTK_LABEL (self->hosts_label), hosts->str);
}

/* Comparison ------------------------------------------------------------ */

static char *
describe_mismatch (const TlMismatch *m)
{
  const char *item = m->item == TL_COMPARE_SEGMENT ? "segment" : "state";

  switch (m->kind)
    {
    case TL_MISMATCH_MISSING:
      return g_strdup_printf ("%s only in the capture: %s", item,
                              m->expected != NULL ? m->expected : "");
    case TL_MISMATCH_EXTRA:
      return g_strdup_printf ("%s only in the simulation: %s", item,
                              m->got != NULL ? m->got : "");
    case TL_MISMATCH_FIELD:
    default:
      return g_strdup_printf ("%s %s: capture %s, simulation %s", item, m->field,
                              m->expected != NULL ? m->expected : "?",
                              m->got != NULL ? m->got : "?");
    }
}

/* The comparison's mismatches for the pair picture, whose left trace is
 * the simulation (compare side B) and right one the capture (side A). */
static GArray *
build_render_mismatches (const TlCompareResult *result)
{
  GArray *list = g_array_new (FALSE, FALSE, sizeof (TlRenderMismatch));

  g_array_set_clear_func (list, NULL);
  for (guint i = 0; result != NULL && i < result->mismatches->len; i++)
    {
      const TlMismatch *m = &g_array_index (result->mismatches, TlMismatch, i);
      TlRenderMismatch rm;

      rm.record_a = m->record_b == TL_COMPARE_NO_RECORD ? TL_RENDER_NO_RECORD : m->record_b;
      rm.record_b = m->record_a == TL_COMPARE_NO_RECORD ? TL_RENDER_NO_RECORD : m->record_a;
      rm.text = describe_mismatch (m);
      g_array_append_val (list, rm);
    }
  return list;
}

static void
free_render_mismatches (GArray *list)
{
  for (guint i = 0; i < list->len; i++)
    g_free ((char *) g_array_index (list, TlRenderMismatch, i).text);
  g_array_unref (list);
}

static void
update_compare_label (TlWindow *self)
{
  const TlCompareResult *result = tl_document_get_comparison (self->document);
  GFile *file = tl_document_get_reference_file (self->document);
  g_autofree char *name = file != NULL ? g_file_get_basename (file) : g_strdup ("the capture");
  g_autofree char *max_error = NULL;
  g_autofree char *text = NULL;

  if (result == NULL)
    {
      gtk_widget_set_visible (self->compare_label, FALSE);
      return;
    }
  max_error = tl_time_format (result->max_time_error, 3);
  text = g_strdup_printf ("Compared with %s (left: simulation, right: capture): "
                          "%u of %u segments and %u of %u states match, "
                          "%u mismatches, largest time difference %s",
                          name, result->segments_matched, result->segments_total,
                          result->states_matched, result->states_total,
                          result->mismatches->len, max_error);
  gtk_label_set_text (GTK_LABEL (self->compare_label), text);
  gtk_widget_set_visible (self->compare_label, TRUE);
}

/* Trace shown ------------------------------------------------------------ */

static void
update_time_range (TlWindow *self)
{
  TlTrace *trace = tl_document_get_trace (self->document);
  double end = 1.0;

  if (trace != NULL)
    {
      guint n = tl_trace_get_n_records (trace);

      end = MAX ((double) trace->end_time,
                 n > 0 ? (double) tl_trace_get_record (trace, n - 1)->time : 0.0);
      end = MAX (end / 1e6, 1.0);   /* the scale works in milliseconds */
    }
  self->updating_time = TRUE;
  gtk_adjustment_configure (self->time_adjustment,
                            MIN (gtk_adjustment_get_value (self->time_adjustment), end),
                            0, end, end / 1000, end / 50, 0);
  self->updating_time = FALSE;
}

static void
show_document_trace (TlWindow *self)
{
  TlTrace *trace = tl_document_get_trace (self->document);
  TlTrace *reference = tl_document_get_reference (self->document);

  if (trace != NULL && reference != NULL)
    {
      GArray *mismatches = build_render_mismatches (tl_document_get_comparison (self->document));

      /* Two ladders need the width: the inspector makes way (Shift+F9
       * brings it back). */
      if (!tl_ladder_view_get_is_pair (self->ladder_view)
          && gtk_widget_get_visible (self->inspector_scroller))
        {
          g_action_group_change_action_state (G_ACTION_GROUP (self), "show-inspector",
                                              g_variant_new_boolean (FALSE));
          self->inspector_auto_hidden = TRUE;
        }

      tl_ladder_view_set_pair (self->ladder_view, trace, reference,
                               (const TlRenderMismatch *) mismatches->data, mismatches->len);
      free_render_mismatches (mismatches);
    }
  else
    {
      tl_ladder_view_set_trace (self->ladder_view, trace);
      if (self->inspector_auto_hidden)
        {
          self->inspector_auto_hidden = FALSE;
          g_action_group_change_action_state (G_ACTION_GROUP (self), "show-inspector",
                                              g_variant_new_boolean (TRUE));
        }
    }

  update_outcome (self);
  update_compare_label (self);
  update_time_range (self);
  update_actions (self);
}

static void
on_trace_changed (TlDocument *document,
                  TlWindow   *self)
{
  show_document_trace (self);
  /* A file just opened starts fitted; an edit keeps the zoom and the
   * place, so the change can be seen in context. */
  if (self->fit_next_trace)
    {
      self->fit_next_trace = FALSE;
      tl_ladder_view_zoom_to_fit (self->ladder_view);
    }
}

static void
on_running_changed (TlDocument *document,
                    GParamSpec *pspec,
                    TlWindow   *self)
{
  gboolean running = tl_document_get_running (document);

  gtk_spinner_set_spinning (GTK_SPINNER (self->running_spinner), running);
  if (tl_document_get_trace (document) == NULL)
    update_outcome (self);
}

static void
on_scenario_changed (TlDocument *document,
                     TlWindow   *self)
{
  update_title (self);
  update_actions (self);
}

static void
on_history_changed (TlDocument *document,
                    GParamSpec *pspec,
                    TlWindow   *self)
{
  update_title (self);
  update_actions (self);
}

/* Cursor, playback, selection ------------------------------------------ */

static void
on_cursor_changed (TlLadderView *view,
                   GParamSpec   *pspec,
                   TlWindow     *self)
{
  TlTime cursor = tl_ladder_view_get_cursor (view);
  g_autofree char *text = tl_time_format (cursor, 6);

  gtk_label_set_text (GTK_LABEL (self->time_label), text);
  self->updating_time = TRUE;
  gtk_adjustment_set_value (self->time_adjustment, (double) cursor / 1e6);
  self->updating_time = FALSE;
}

static void
on_time_adjustment_changed (GtkAdjustment *adjustment,
                            TlWindow      *self)
{
  if (self->updating_time)
    return;
  tl_ladder_view_set_cursor (self->ladder_view,
                             (TlTime) (gtk_adjustment_get_value (adjustment) * 1e6));
}

static void
on_playing_changed (TlLadderView *view,
                    GParamSpec   *pspec,
                    TlWindow     *self)
{
  gboolean playing = tl_ladder_view_get_playing (view);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "play");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (playing));
  gtk_button_set_icon_name (GTK_BUTTON (self->play_button),
                            playing ? "media-playback-pause-symbolic"
                                    : "media-playback-start-symbolic");
}

static void
on_speed_selected (GtkDropDown *dropdown,
                   GParamSpec  *pspec,
                   TlWindow    *self)
{
  static const double speeds[] = { 0.25, 0.5, 1, 2, 4, 8 };
  guint index = gtk_drop_down_get_selected (dropdown);

  if (index < G_N_ELEMENTS (speeds))
    tl_ladder_view_set_play_speed (self->ladder_view, 120.0 * speeds[index]);
}

static void
on_selection_changed (TlLadderView *view,
                      TlWindow     *self)
{
  guint pane, record;

  if (tl_ladder_view_get_selection (view, &pane, &record))
    tl_inspector_show (self->inspector, tl_ladder_view_get_trace (view, pane), record);
  else
    tl_inspector_show (self->inspector, tl_ladder_view_get_trace (view, 0), G_MAXUINT);
}

static void
on_record_activated (TlInspector *inspector,
                     guint        record,
                     TlWindow    *self)
{
  guint pane = 0;
  TlTrace *trace;

  tl_ladder_view_get_selection (self->ladder_view, &pane, NULL);
  trace = tl_ladder_view_get_trace (self->ladder_view, pane);
  if (trace == NULL || record >= tl_trace_get_n_records (trace))
    return;
  tl_ladder_view_select_record (self->ladder_view, pane, record);
  tl_ladder_view_set_cursor (self->ladder_view, tl_trace_get_record (trace, record)->time);
}

/* Title and actions ------------------------------------------------------ */

static void
update_title (TlWindow *self)
{
  g_autofree char *name = tl_document_dup_title (self->document);
  GFile *file = tl_document_get_file (self->document);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  gboolean modified = tl_document_get_modified (self->document);

  if (tl_document_get_kind (self->document) == TL_DOCUMENT_EMPTY)
    {
      g_free (name);
      name = g_strdup ("tcpladder");
    }
  title = g_strdup_printf ("%s%s", modified ? "• " : "", name);
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  gtk_window_set_title (GTK_WINDOW (self), title);

  if (file != NULL)
    {
      g_autoptr(GFile) parent = g_file_get_parent (file);

      subtitle = parent != NULL ? g_file_get_parse_name (parent) : NULL;
    }
  else if (tl_document_get_kind (self->document) == TL_DOCUMENT_SCENARIO)
    subtitle = g_strdup ("not saved");
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), subtitle != NULL ? subtitle : "");
  gtk_widget_set_visible (self->subtitle_label, subtitle != NULL);
}

static void
enable (TlWindow   *self,
        const char *name,
        gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static void
update_actions (TlWindow *self)
{
  TlDocumentKind kind = tl_document_get_kind (self->document);
  gboolean has_trace = tl_document_get_trace (self->document) != NULL;
  gboolean has_reference = tl_document_get_reference (self->document) != NULL;
  GAction *compare = g_action_map_lookup_action (G_ACTION_MAP (self), "compare");
  const char *undo = tl_document_get_undo_label (self->document);
  const char *redo = tl_document_get_redo_label (self->document);
  g_autofree char *undo_tip = undo != NULL ? g_strdup_printf ("Undo: %s (Ctrl+Z)", undo)
                                           : g_strdup ("Undo (Ctrl+Z)");
  g_autofree char *redo_tip = redo != NULL ? g_strdup_printf ("Redo: %s (Ctrl+Shift+Z)", redo)
                                           : g_strdup ("Redo (Ctrl+Shift+Z)");

  enable (self, "undo", tl_document_get_can_undo (self->document));
  enable (self, "redo", tl_document_get_can_redo (self->document));
  enable (self, "save", kind == TL_DOCUMENT_SCENARIO);
  enable (self, "save-as", kind == TL_DOCUMENT_SCENARIO);
  enable (self, "export", has_trace);
  enable (self, "open-reference", kind == TL_DOCUMENT_SCENARIO);
  enable (self, "close-reference", has_reference);
  enable (self, "compare", kind == TL_DOCUMENT_SCENARIO);
  {
    g_autoptr(GFile) scenario = bundle_scenario (self);

    enable (self, "simulate-bundle", scenario != NULL);
  }
  g_simple_action_set_state (G_SIMPLE_ACTION (compare), g_variant_new_boolean (has_reference));
  enable (self, "play", has_trace);
  enable (self, "step-forward", has_trace);
  enable (self, "step-back", has_trace);

  gtk_widget_set_tooltip_text (self->undo_button, undo_tip);
  gtk_widget_set_tooltip_text (self->redo_button, redo_tip);
}

/* Files ------------------------------------------------------------------ */

static void
add_recent (GFile *file)
{
  g_autofree char *uri = g_file_get_uri (file);

  gtk_recent_manager_add_item (gtk_recent_manager_get_default (), uri);
}

static char *
describe_open_error (GFile        *file,
                     const GError *error)
{
  g_autofree char *name = g_file_get_parse_name (file);

  /* Parser messages already start with "file:line:col:"; do not repeat
   * the name in front of them. */
  if (strstr (error->message, name) != NULL)
    return g_strdup_printf ("Could not open the file. %s", error->message);
  return g_strdup_printf ("Could not open %s: %s", name, error->message);
}

/* Captures above this size are opened only after a question: drawing costs
 * about 3 KB of memory and 10 us per segment (docs/bad-input.md), so 100 MB
 * of capture means gigabytes and seconds.  TCPLADDER_CAPTURE_WARN_MB
 * changes it (tests use it to try the question on a small file). */
#define CAPTURE_WARN_MB 100

static guint64
capture_warn_bytes (void)
{
  const char *env = g_getenv ("TCPLADDER_CAPTURE_WARN_MB");
  guint64 mb = env != NULL ? g_ascii_strtoull (env, NULL, 10) : CAPTURE_WARN_MB;

  return mb * 1000 * 1000;
}

/* The bytes FILE holds: a capture bundle (a directory) counts its files. */
static guint64
input_size (GFile *file)
{
  g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE ","
                                                 G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                                 G_FILE_QUERY_INFO_NONE, NULL, NULL);
  g_autoptr(GFileEnumerator) children = NULL;
  guint64 total = 0;
  GFileInfo *child;

  if (info == NULL)
    return 0;
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    return (guint64) g_file_info_get_size (info);
  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        G_FILE_QUERY_INFO_NONE, NULL, NULL);
  while (children != NULL
         && (child = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
    {
      total += (guint64) g_file_info_get_size (child);
      g_object_unref (child);
    }
  return total;
}

static void
on_size_prompt_response (GtkDialog *dialog,
                         int        response,
                         gpointer   user_data)
{
  TlWindow *self = user_data;
  g_autoptr(GFile) file = g_object_steal_data (G_OBJECT (dialog), "file");

  self->size_prompt = NULL;
  gtk_window_destroy (GTK_WINDOW (dialog));
  if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    {
      self->size_confirmed = TRUE;
      tl_window_open_file (self, file);
    }
}

static void
ask_open_large (TlWindow *self,
                GFile    *file,
                guint64   size)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *size_text = g_format_size (size);
  GtkWidget *dialog;

  if (self->size_prompt != NULL)
    gtk_window_destroy (GTK_WINDOW (self->size_prompt));
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_WARNING, GTK_BUTTONS_NONE,
                                   "“%s” is a large capture (%s)", name, size_text);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            "Captures above %d MB may take many seconds to "
                                            "open and several gigabytes of memory to draw. "
                                            "`tcpladder export` draws them without the window.",
                                            CAPTURE_WARN_MB);
  gtk_dialog_add_buttons (GTK_DIALOG (dialog),
                          "_Cancel", GTK_RESPONSE_CANCEL,
                          "_Open Anyway", GTK_RESPONSE_ACCEPT,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_CANCEL);
  g_object_set_data_full (G_OBJECT (dialog), "file", g_object_ref (file), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_size_prompt_response), self);
  self->size_prompt = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

GtkWidget *
tl_window_get_size_prompt (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  return self->size_prompt;
}

gboolean
tl_window_open_file (TlWindow *self,
                     GFile    *file)
{
  g_autoptr(GError) error = NULL;
  guint64 size;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  /* A sweep's rows get a window of their own: the outcome map. */
  if (tl_sweep_window_file_is_sweep (file))
    {
      TlSweepWindow *sweep = tl_sweep_window_new (gtk_window_get_application (GTK_WINDOW (self)),
                                                  file, &error);

      if (sweep == NULL)
        {
          tl_window_show_error (self, error->message);
          return FALSE;
        }
      add_recent (file);
      gtk_window_present (GTK_WINDOW (sweep));
      return TRUE;
    }

  /* Returns FALSE for now; the answer opens it or not. */
  if (!self->size_confirmed && (size = input_size (file)) > capture_warn_bytes ())
    {
      ask_open_large (self, file, size);
      return FALSE;
    }
  self->size_confirmed = FALSE;
  tl_ladder_view_set_playing (self->ladder_view, FALSE);
  self->fit_next_trace = TRUE;
  if (!tl_document_load (self->document, file, &error))
    {
      g_autofree char *message = describe_open_error (file, error);

      self->fit_next_trace = FALSE;
      tl_window_show_error (self, message);
      return FALSE;
    }
  self->pristine = FALSE;
  tl_window_show_error (self, NULL);
  tl_param_panel_clear_errors (self->param_panel);
  tl_ladder_view_clear_selection (self->ladder_view);
  tl_ladder_view_set_cursor (self->ladder_view, 0);
  add_recent (file);
  update_title (self);
  update_actions (self);
  return TRUE;
}

void
tl_window_open_scenario (TlWindow   *self,
                         TlScenario *scenario,
                         const char *note)
{
  g_return_if_fail (TL_IS_WINDOW (self));
  g_return_if_fail (scenario != NULL);

  tl_ladder_view_set_playing (self->ladder_view, FALSE);
  self->fit_next_trace = TRUE;
  tl_document_take_scenario (self->document, scenario);
  self->pristine = FALSE;
  tl_window_show_error (self, NULL);
  if (note != NULL)
    tl_window_show_info (self, note);
  /* The diagram, not the note's label, takes the keyboard. */
  gtk_widget_grab_focus (GTK_WIDGET (self->ladder_view));
  tl_param_panel_clear_errors (self->param_panel);
  tl_ladder_view_clear_selection (self->ladder_view);
  tl_ladder_view_set_cursor (self->ladder_view, 0);
  update_title (self);
  update_actions (self);
}

GFile *
tl_window_find_default_scenario (void)
{
  const char *dirs[] = { g_getenv ("TCPLADDER_SCENARIO_DIR"), TL_SCENARIO_DIR,
                         TL_SOURCE_SCENARIO_DIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = NULL;

      if (dirs[i] == NULL)
        continue;
      path = g_build_filename (dirs[i], DEFAULT_SCENARIO, NULL);
      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_file_new_for_path (path);
    }
  return NULL;
}

gboolean
tl_window_open_default (TlWindow *self)
{
  g_autoptr(GFile) file = tl_window_find_default_scenario ();
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);

  if (file == NULL)
    {
      tl_window_show_error (self, "The default scenario " DEFAULT_SCENARIO " is not installed "
                            "(looked in " TL_SCENARIO_DIR "). Open a scenario with Ctrl+O.");
      return FALSE;
    }
  self->fit_next_trace = TRUE;
  if (!tl_document_load (self->document, file, &error))
    {
      g_autofree char *message = describe_open_error (file, error);

      self->fit_next_trace = FALSE;
      tl_window_show_error (self, message);
      return FALSE;
    }
  /* Still pristine: opening a file replaces the default scenario. */
  self->pristine = TRUE;
  update_title (self);
  update_actions (self);
  return TRUE;
}

gboolean
tl_window_open_reference (TlWindow *self,
                          GFile    *file)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);

  if (tl_document_get_kind (self->document) != TL_DOCUMENT_SCENARIO)
    {
      tl_window_show_error (self, "Open a scenario first: a capture is compared with its simulation.");
      return FALSE;
    }
  if (!tl_document_load_reference (self->document, file, &error))
    {
      g_autofree char *message = describe_open_error (file, error);

      tl_window_show_error (self, message);
      update_actions (self);
      return FALSE;
    }
  tl_window_show_error (self, NULL);
  add_recent (file);
  show_document_trace (self);
  tl_ladder_view_zoom_to_fit (self->ladder_view);
  return TRUE;
}

gboolean
tl_window_is_pristine (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);
  return (self->pristine || tl_document_get_kind (self->document) == TL_DOCUMENT_EMPTY)
         && !tl_document_get_modified (self->document);
}

/* Unsaved changes ---------------------------------------------------------- */

static void
clear_pending (TlWindow *self)
{
  if (self->pending_destroy != NULL && self->pending_data != NULL)
    self->pending_destroy (self->pending_data);
  self->pending = NULL;
  self->pending_data = NULL;
  self->pending_destroy = NULL;
}

static void
run_pending (TlWindow *self)
{
  Continuation pending = self->pending;
  gpointer data = self->pending_data;
  GDestroyNotify destroy = self->pending_destroy;

  self->pending = NULL;
  self->pending_data = NULL;
  self->pending_destroy = NULL;
  if (pending != NULL)
    pending (self, data);
  if (destroy != NULL && data != NULL)
    destroy (data);
}

static void save_as (TlWindow *self);

/* Saves to the document's file; without one, asks for a name.  The
 * pending continuation runs once the file is written. */
static void
save (TlWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (tl_document_get_file (self->document) == NULL)
    {
      save_as (self);
      return;
    }
  if (!tl_document_save (self->document, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf ("Could not save: %s", error->message);

      tl_window_show_error (self, message);
      clear_pending (self);
      return;
    }
  add_recent (tl_document_get_file (self->document));
  update_title (self);
  run_pending (self);
}

static void
on_prompt_response (GtkDialog *dialog,
                    int        response,
                    TlWindow  *self)
{
  self->prompt = NULL;
  /* The continuation may close this window: the dialog, still alive
   * until its signal returns, must not point at it any more. */
  gtk_window_set_transient_for (GTK_WINDOW (dialog), NULL);
  gtk_window_destroy (GTK_WINDOW (dialog));

  switch (response)
    {
    case GTK_RESPONSE_ACCEPT:
      save (self);
      break;
    case GTK_RESPONSE_REJECT:
      run_pending (self);
      break;
    default:
      clear_pending (self);
      break;
    }
}

/* Runs CONTINUATION now if nothing would be lost, or after the user chose
 * to save or discard the changes. */
static void
confirm_discard (TlWindow       *self,
                 const char     *verb,
                 Continuation    continuation,
                 gpointer        data,
                 GDestroyNotify  destroy)
{
  g_autofree char *name = NULL;
  GtkWidget *dialog;

  clear_pending (self);
  self->pending = continuation;
  self->pending_data = data;
  self->pending_destroy = destroy;
  if (!tl_document_get_modified (self->document))
    {
      run_pending (self);
      return;
    }
  if (self->prompt != NULL)
    {
      gtk_window_present (GTK_WINDOW (self->prompt));
      return;
    }

  name = tl_document_dup_title (self->document);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   "Save changes to “%s” before %s?", name, verb);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            "The parameters you changed will be lost otherwise.");
  gtk_dialog_add_buttons (GTK_DIALOG (dialog),
                          "_Cancel", GTK_RESPONSE_CANCEL,
                          "_Discard", GTK_RESPONSE_REJECT,
                          "_Save", GTK_RESPONSE_ACCEPT,
                          NULL);
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                GTK_RESPONSE_REJECT),
                            "destructive-action");
  gtk_widget_add_css_class (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog),
                                                                GTK_RESPONSE_ACCEPT),
                            "suggested-action");
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect (dialog, "response", G_CALLBACK (on_prompt_response), self);
  self->prompt = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
open_file_continuation (TlWindow *self,
                        gpointer  data)
{
  tl_window_open_file (self, G_FILE (data));
}

static void
open_confirmed (TlWindow *self,
                GFile    *file)
{
  confirm_discard (self, "opening another file", open_file_continuation,
                   g_object_ref (file), g_object_unref);
}

/* File choosers ---------------------------------------------------------- */

static void
add_filter (GtkFileChooser     *chooser,
            const char         *name,
            const char * const *patterns,
            gboolean            select)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; patterns[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, patterns[i]);
  gtk_file_chooser_add_filter (chooser, filter);
  if (select)
    gtk_file_chooser_set_filter (chooser, filter);
  g_object_unref (filter);
}

static void
add_open_filters (GtkFileChooser *chooser,
                  gboolean        scenarios)
{
  static const char *const all_patterns[] = { "*.scn", "*.pcap", "*.pcapng", "*.json",
                                               "*.jsonl", NULL };
  static const char *const scn_patterns[] = { "*.scn", NULL };
  static const char *const trace_patterns[] = { "*.pcap", "*.pcapng", "*.json", NULL };
  static const char *const sweep_patterns[] = { "*.jsonl", NULL };
  static const char *const any[] = { "*", NULL };

  if (scenarios)
    {
      add_filter (chooser, "Scenarios, traces and sweeps", all_patterns, TRUE);
      add_filter (chooser, "Scenarios", scn_patterns, FALSE);
    }
  add_filter (chooser, "Captures and JSON traces", trace_patterns, !scenarios);
  /* A sweep's JSON lines open as its outcome map (tl-sweep-window.h). */
  if (scenarios)
    add_filter (chooser, "Sweep results (tcpladder sweep --jsonl)", sweep_patterns, FALSE);
  add_filter (chooser, "All files", any, FALSE);
}

static void
set_chooser_folder (TlWindow       *self,
                    GtkFileChooser *chooser)
{
  GFile *file = tl_document_get_file (self->document);
  g_autoptr(GFile) folder = file != NULL ? g_file_get_parent (file) : NULL;

  if (folder != NULL)
    gtk_file_chooser_set_current_folder (chooser, folder, NULL);
}

static void
on_open_response (GtkNativeDialog *native,
                  int              response,
                  TlWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_clear_object (&self->chooser);
  if (file != NULL)
    open_confirmed (self, file);
}

static void
run_chooser (TlWindow             *self,
             GtkFileChooserNative *chooser,
             GCallback             response)
{
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  self->chooser = chooser;
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", response, self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
action_open (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TlWindow *self = user_data;
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new ("Open Scenario or Capture", GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_OPEN, "_Open", "_Cancel");

  add_open_filters (GTK_FILE_CHOOSER (chooser), TRUE);
  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser));
  run_chooser (self, chooser, G_CALLBACK (on_open_response));
}

static void
action_open_bundle (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TlWindow *self = user_data;
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new ("Open Capture Bundle", GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, "_Open", "_Cancel");

  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser));
  run_chooser (self, chooser, G_CALLBACK (on_open_response));
}

/* The scenario a capture bundle was recorded from (its scenario.scn). */
static GFile *
bundle_scenario (TlWindow *self)
{
  GFile *file = tl_document_get_file (self->document);
  g_autoptr(GFile) scenario = NULL;

  if (file == NULL || tl_document_get_kind (self->document) != TL_DOCUMENT_TRACE
      || g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) != G_FILE_TYPE_DIRECTORY)
    return NULL;
  scenario = g_file_get_child (file, "scenario.scn");
  if (!g_file_query_exists (scenario, NULL))
    return NULL;
  return g_steal_pointer (&scenario);
}

static void
action_simulate_bundle (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  TlWindow *self = user_data;
  g_autoptr(GFile) scenario = bundle_scenario (self);
  g_autoptr(GFile) bundle = NULL;

  if (scenario == NULL)
    return;
  bundle = g_object_ref (tl_document_get_file (self->document));
  /* The capture stays on the right, the simulation of what it ran on the
   * left, with every parameter to play with. */
  if (tl_window_open_file (self, scenario))
    tl_window_open_reference (self, bundle);
}

static void
action_open_recent (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  TlWindow *self = user_data;
  g_autoptr(GFile) file = g_file_new_for_uri (g_variant_get_string (param, NULL));

  open_confirmed (self, file);
}

static void
on_reference_response (GtkNativeDialog *native,
                       int              response,
                       TlWindow        *self)
{
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_clear_object (&self->chooser);
  if (file != NULL)
    tl_window_open_reference (self, file);
  update_actions (self);
}

static void
open_reference_dialog (TlWindow *self,
                       gboolean  folder)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new (folder ? "Compare with a Capture Bundle"
                                        : "Compare with a Capture",
                                 GTK_WINDOW (self),
                                 folder ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                        : GTK_FILE_CHOOSER_ACTION_OPEN,
                                 "_Compare", "_Cancel");

  if (!folder)
    add_open_filters (GTK_FILE_CHOOSER (chooser), FALSE);
  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser));
  run_chooser (self, chooser, G_CALLBACK (on_reference_response));
}

static void
action_open_reference (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  /* Capture bundles are directories: the folder chooser picks them. */
  open_reference_dialog (user_data, TRUE);
}

static void
action_open_reference_file (GSimpleAction *action,
                            GVariant      *param,
                            gpointer       user_data)
{
  open_reference_dialog (user_data, FALSE);
}

static void
action_close_reference (GSimpleAction *action,
                        GVariant      *param,
                        gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_document_set_reference (self->document, NULL, NULL);
  show_document_trace (self);
}

static void
action_compare (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  TlWindow *self = user_data;

  if (tl_document_get_reference (self->document) != NULL)
    action_close_reference (action, NULL, self);
  else
    {
      /* Keep the toggle up until a capture is really loaded. */
      update_actions (self);
      open_reference_dialog (self, TRUE);
    }
}

static void
on_save_as_response (GtkNativeDialog *native,
                     int              response,
                     TlWindow        *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (native));
  g_clear_object (&self->chooser);
  if (file == NULL)
    {
      clear_pending (self);
      return;
    }
  if (!tl_document_save (self->document, file, &error))
    {
      g_autofree char *message = g_strdup_printf ("Could not save: %s", error->message);

      tl_window_show_error (self, message);
      clear_pending (self);
      return;
    }
  self->pristine = FALSE;
  add_recent (file);
  update_title (self);
  run_pending (self);
}

static void
save_as (TlWindow *self)
{
  GtkFileChooserNative *chooser =
    gtk_file_chooser_native_new ("Save Scenario", GTK_WINDOW (self),
                                 GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel");
  GFile *file = tl_document_get_file (self->document);
  g_autofree char *name = NULL;

  if (file != NULL)
    name = g_file_get_basename (file);
  else
    name = g_strdup_printf ("%s.scn", tl_document_get_scenario (self->document)->name != NULL
                                      ? tl_document_get_scenario (self->document)->name
                                      : "scenario");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  set_chooser_folder (self, GTK_FILE_CHOOSER (chooser));
  run_chooser (self, chooser, G_CALLBACK (on_save_as_response));
}

static void
action_save (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TlWindow *self = user_data;

  clear_pending (self);
  save (self);
}

static void
action_save_as (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  TlWindow *self = user_data;

  clear_pending (self);
  save_as (self);
}

static void
on_exported (TlExportDialog *dialog,
             const char     *path,
             TlWindow       *self)
{
  g_autofree char *message = g_strdup_printf ("Exported the diagram to %s", path);

  tl_window_show_info (self, message);
}

static void
action_export (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  TlWindow *self = user_data;
  TlTrace *trace = tl_document_get_trace (self->document);
  TlTrace *reference = tl_document_get_reference (self->document);
  TlRenderOptions options;
  g_autofree char *title = NULL;
  char *dot;
  GArray *mismatches;
  TlExportDialog *dialog;
  double x, top, bottom;
  TlTime from = 0, to = 0;

  if (trace == NULL)
    return;
  tl_ladder_view_get_options (self->ladder_view, &options);
  options.theme = tl_color_scheme_is_dark () ? TL_RENDER_THEME_DARK : TL_RENDER_THEME_LIGHT;
  options.width = 0;
  options.height = 0;

  /* What is in view, for "the part in view". */
  if (tl_ladder_view_time_to_point (self->ladder_view, 0, 0, 0, &x, &top))
    {
      const TlTimeMap *map = tl_render_layout_get_time_map (tl_ladder_view_get_layout (self->ladder_view));
      GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->ladder_scroller));

      top = gtk_adjustment_get_value (v);
      bottom = top + gtk_adjustment_get_page_size (v);
      from = MAX (tl_time_map_to_time (map, top), 0);
      to = tl_time_map_to_time (map, bottom);
    }

  title = tl_document_dup_title (self->document);
  if ((dot = strrchr (title, '.')) != NULL && dot != title)
    *dot = '\0';
  mismatches = build_render_mismatches (tl_document_get_comparison (self->document));
  dialog = tl_export_dialog_new (GTK_WINDOW (self), trace, reference,
                                 (const TlRenderMismatch *) mismatches->data, mismatches->len,
                                 &options, from, to, title);
  free_render_mismatches (mismatches);
  g_signal_connect (dialog, "exported", G_CALLBACK (on_exported), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Editing and view actions ------------------------------------------------ */

static void
action_undo (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_document_undo (self->document);
  tl_window_show_error (self, NULL);
}

static void
action_redo (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_document_redo (self->document);
  tl_window_show_error (self, NULL);
}

static void
action_zoom_in (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_ladder_view_zoom (self->ladder_view, 1.5, -1);
}

static void
action_zoom_out (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_ladder_view_zoom (self->ladder_view, 1 / 1.5, -1);
}

static void
action_zoom_fit (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_ladder_view_zoom_to_fit (self->ladder_view);
}

static void
change_boolean_state (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  g_simple_action_set_state (action, value);
}

static void
action_toggle (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  g_autoptr(GVariant) state = g_action_get_state (G_ACTION (action));

  g_action_change_state (G_ACTION (action),
                         g_variant_new_boolean (!g_variant_get_boolean (state)));
}

static void
change_compress (GSimpleAction *action,
                 GVariant      *value,
                 gpointer       user_data)
{
  TlWindow *self = user_data;

  g_simple_action_set_state (action, value);
  tl_ladder_view_set_compress (self->ladder_view, g_variant_get_boolean (value));
}

static void
change_render_option (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  TlWindow *self = user_data;
  TlRenderOptions options;
  const char *name = g_action_get_name (G_ACTION (action));

  g_simple_action_set_state (action, value);
  tl_ladder_view_get_options (self->ladder_view, &options);
  if (strcmp (name, "show-options") == 0)
    options.show_options = g_variant_get_boolean (value);
  else if (strcmp (name, "absolute-seq") == 0)
    options.seq_mode = g_variant_get_boolean (value) ? TL_SEQ_ABSOLUTE : TL_SEQ_RELATIVE;
  else if (strcmp (name, "labels") == 0)
    {
      TlLabelDetail detail;

      if (!tl_label_detail_from_string (g_variant_get_string (value, NULL), &detail))
        return;
      options.labels = detail;
    }
  tl_ladder_view_set_options (self->ladder_view, &options);
}

static void
change_panel_visible (GSimpleAction *action,
                      GVariant      *value,
                      gpointer       user_data)
{
  TlWindow *self = user_data;
  gboolean params = strcmp (g_action_get_name (G_ACTION (action)), "show-params") == 0;

  g_simple_action_set_state (action, value);
  gtk_widget_set_visible (params ? self->params_scroller : self->inspector_scroller,
                          g_variant_get_boolean (value));
  if (!params)
    self->inspector_auto_hidden = FALSE;
}

static void
change_play (GSimpleAction *action,
             GVariant      *value,
             gpointer       user_data)
{
  TlWindow *self = user_data;

  g_simple_action_set_state (action, value);
  tl_ladder_view_set_playing (self->ladder_view, g_variant_get_boolean (value));
}

static void
action_step_forward (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_ladder_view_step (self->ladder_view, 1);
}

static void
action_step_back (GSimpleAction *action,
                  GVariant      *param,
                  gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_ladder_view_step (self->ladder_view, -1);
}

static void
action_cursor_start (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_ladder_view_set_cursor (self->ladder_view, 0);
}

static void
action_cursor_end (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  TlWindow *self = user_data;

  tl_ladder_view_set_cursor (self->ladder_view,
                             (TlTime) (gtk_adjustment_get_upper (self->time_adjustment) * 1e6));
}

static void
action_close (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static const GActionEntry win_entries[] = {
  { "open", action_open },
  { "open-recent", action_open_recent, "s" },
  { "open-bundle", action_open_bundle },
  { "simulate-bundle", action_simulate_bundle },
  { "open-reference", action_open_reference },
  { "open-reference-file", action_open_reference_file },
  { "close-reference", action_close_reference },
  { "compare", action_compare, NULL, "false", change_boolean_state },
  { "save", action_save },
  { "save-as", action_save_as },
  { "export", action_export },
  { "undo", action_undo },
  { "redo", action_redo },
  { "zoom-in", action_zoom_in },
  { "zoom-out", action_zoom_out },
  { "zoom-fit", action_zoom_fit },
  { "compress-idle", action_toggle, NULL, "true", change_compress },
  { "labels", NULL, "s", "'full'", change_render_option },
  { "show-options", action_toggle, NULL, "false", change_render_option },
  { "absolute-seq", action_toggle, NULL, "false", change_render_option },
  { "show-params", action_toggle, NULL, "true", change_panel_visible },
  { "show-inspector", action_toggle, NULL, "true", change_panel_visible },
  { "play", action_toggle, NULL, "false", change_play },
  { "step-forward", action_step_forward },
  { "step-back", action_step_back },
  { "cursor-start", action_cursor_start },
  { "cursor-end", action_cursor_end },
  { "close", action_close },
};

/* Recent files ------------------------------------------------------------ */

static void
on_recent_popover_show (GtkPopover *popover,
                        TlWindow   *self)
{
  GtkRecentManager *manager = gtk_recent_manager_get_default ();
  GList *items = gtk_recent_manager_get_items (manager);
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();
  const char *app_name = g_get_application_name ();
  guint n = 0;

  for (GList *l = items; l != NULL && n < 10; l = l->next)
    {
      GtkRecentInfo *info = l->data;
      g_autoptr(GMenuItem) item = NULL;

      if (!gtk_recent_info_has_application (info, app_name) || !gtk_recent_info_exists (info))
        continue;
      item = g_menu_item_new (gtk_recent_info_get_display_name (info), NULL);
      g_menu_item_set_action_and_target (item, "win.open-recent", "s",
                                         gtk_recent_info_get_uri (info));
      g_menu_append_item (section, item);
      n++;
    }
  g_list_free_full (items, (GDestroyNotify) gtk_recent_info_unref);

  if (n == 0)
    {
      g_autoptr(GMenuItem) none = g_menu_item_new ("No recent files", "win.no-recent");
      g_menu_append_item (section, none);
    }
  g_menu_append_section (menu, "Recent Files", G_MENU_MODEL (section));
  {
    g_autoptr(GMenu) more = g_menu_new ();

    g_menu_append (more, "Compare with Capture Bundle…", "win.open-reference");
    g_menu_append (more, "Compare with pcap or JSON Trace…", "win.open-reference-file");
    g_menu_append_section (menu, NULL, G_MENU_MODEL (more));
  }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (popover), G_MENU_MODEL (menu));
}

static void
setup_recent_menu (TlWindow *self)
{
  GtkWidget *popover = gtk_popover_menu_new_from_model (NULL);

  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->recent_button), popover);
  g_signal_connect (popover, "show", G_CALLBACK (on_recent_popover_show), self);
}

/* Drag and drop -------------------------------------------------------------- */

static gboolean
on_drop (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         TlWindow      *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;

  /* A capture dropped on a scenario is compared with it; anything else
   * is opened. */
  if (tl_document_get_kind (self->document) == TL_DOCUMENT_SCENARIO
      && !tl_document_file_is_scenario (files->data))
    {
      tl_window_open_reference (self, files->data);
      return TRUE;
    }
  open_confirmed (self, files->data);
  return TRUE;
}

/* Closing ------------------------------------------------------------------- */

static void
close_continuation (TlWindow *self,
                    gpointer  data)
{
  self->close_confirmed = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

static gboolean
tl_window_close_request (GtkWindow *window)
{
  TlWindow *self = TL_WINDOW (window);

  if (self->close_confirmed || !tl_document_get_modified (self->document))
    {
      tl_ladder_view_set_playing (self->ladder_view, FALSE);
      return GTK_WINDOW_CLASS (tl_window_parent_class)->close_request (window);
    }
  confirm_discard (self, "closing", close_continuation, NULL, NULL);
  return TRUE;
}

/* Keyboard -------------------------------------------------------------------- */

static void
add_key (GtkShortcutController *controller,
         guint                  key,
         GdkModifierType        modifiers,
         const char            *action)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (key, modifiers),
                                                          gtk_named_action_new (action)));
}

/* Single keys act only when no entry or spin button wants them: a bubble
 * phase controller sees them after the focused widget. */
static void
setup_plain_keys (TlWindow *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();
  GtkShortcutController *shortcuts = GTK_SHORTCUT_CONTROLLER (controller);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_BUBBLE);
  add_key (shortcuts, GDK_KEY_space, 0, "win.play");
  add_key (shortcuts, GDK_KEY_Right, 0, "win.step-forward");
  add_key (shortcuts, GDK_KEY_Left, 0, "win.step-back");
  add_key (shortcuts, GDK_KEY_Home, 0, "win.cursor-start");
  add_key (shortcuts, GDK_KEY_End, 0, "win.cursor-end");
  add_key (shortcuts, GDK_KEY_plus, 0, "win.zoom-in");
  add_key (shortcuts, GDK_KEY_KP_Add, 0, "win.zoom-in");
  add_key (shortcuts, GDK_KEY_equal, 0, "win.zoom-in");
  add_key (shortcuts, GDK_KEY_minus, 0, "win.zoom-out");
  add_key (shortcuts, GDK_KEY_KP_Subtract, 0, "win.zoom-out");
  gtk_widget_add_controller (GTK_WIDGET (self), controller);
}

/* GObject --------------------------------------------------------------------- */

static void
tl_window_dispose (GObject *object)
{
  TlWindow *self = TL_WINDOW (object);

  clear_pending (self);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  if (self->document != NULL)
    g_signal_handlers_disconnect_by_data (self->document, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TL_TYPE_WINDOW);
  g_clear_object (&self->document);
  G_OBJECT_CLASS (tl_window_parent_class)->dispose (object);
}

static void
tl_window_finalize (GObject *object)
{
  TlWindow *self = TL_WINDOW (object);

  g_free (self->error_key);
  G_OBJECT_CLASS (tl_window_parent_class)->finalize (object);
}

static void
tl_window_class_init (TlWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tl_window_dispose;
  object_class->finalize = tl_window_finalize;
  window_class->close_request = tl_window_close_request;

  g_type_ensure (TL_TYPE_PARAM_PANEL);
  g_type_ensure (TL_TYPE_LADDER_VIEW);
  g_type_ensure (TL_TYPE_INSPECTOR);
  (void) tl_gtk_get_resource ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tcpladder/TcpLadder/tl-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TlWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, recent_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, undo_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, redo_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, error_bar);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, outcome_box);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, outcome_icon);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, outcome_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, running_spinner);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, stats_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, hosts_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, compare_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, outer_paned);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, inner_paned);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, params_scroller);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, inspector_scroller);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, ladder_scroller);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, play_button);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, speed_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, time_scale);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, time_label);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, time_adjustment);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, param_panel);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, ladder_view);
  gtk_widget_class_bind_template_child (widget_class, TlWindow, inspector);
}

static void
tl_window_init (TlWindow *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->document = tl_document_new ();
  g_signal_connect (self->document, "trace-changed", G_CALLBACK (on_trace_changed), self);
  g_signal_connect (self->document, "scenario-changed", G_CALLBACK (on_scenario_changed), self);
  g_signal_connect (self->document, "notify::running", G_CALLBACK (on_running_changed), self);
  g_signal_connect (self->document, "notify::modified", G_CALLBACK (on_history_changed), self);
  g_signal_connect (self->document, "notify::can-undo", G_CALLBACK (on_history_changed), self);
  g_signal_connect (self->document, "notify::file", G_CALLBACK (on_history_changed), self);

  tl_param_panel_set_document (self->param_panel, self->document);
  tl_ladder_view_set_document (self->ladder_view, self->document);

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries,
                                   G_N_ELEMENTS (win_entries), self);

  g_signal_connect (self->error_bar, "response", G_CALLBACK (on_error_bar_response), self);
  g_signal_connect (self->param_panel, "error", G_CALLBACK (on_param_error), self);
  g_signal_connect (self->param_panel, "error-cleared", G_CALLBACK (on_param_error_cleared), self);
  g_signal_connect (self->ladder_view, "edit-failed", G_CALLBACK (on_edit_failed), self);
  g_signal_connect (self->ladder_view, "notify::cursor", G_CALLBACK (on_cursor_changed), self);
  g_signal_connect (self->ladder_view, "notify::playing", G_CALLBACK (on_playing_changed), self);
  g_signal_connect (self->ladder_view, "selection-changed", G_CALLBACK (on_selection_changed), self);
  g_signal_connect (self->inspector, "record-activated", G_CALLBACK (on_record_activated), self);
  g_signal_connect (self->time_adjustment, "value-changed",
                    G_CALLBACK (on_time_adjustment_changed), self);
  g_signal_connect (self->speed_dropdown, "notify::selected", G_CALLBACK (on_speed_selected), self);

  gtk_paned_set_position (GTK_PANED (self->inner_paned), 720);
  setup_recent_menu (self);
  setup_plain_keys (self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop));

  on_cursor_changed (self->ladder_view, NULL, self);
  update_title (self);
  update_outcome (self);
  update_actions (self);
}

TlWindow *
tl_window_new (GtkApplication *application)
{
  return g_object_new (TL_TYPE_WINDOW, "application", application, NULL);
}

TlDocument *
tl_window_get_document (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  return self->document;
}

TlLadderView *
tl_window_get_ladder_view (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  return self->ladder_view;
}

TlParamPanel *
tl_window_get_param_panel (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  return self->param_panel;
}

TlInspector *
tl_window_get_inspector (TlWindow *self)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), NULL);
  return self->inspector;
}

gboolean
tl_window_save_screenshot (TlWindow    *self,
                           const char  *path,
                           GError     **error)
{
  g_return_val_if_fail (TL_IS_WINDOW (self), FALSE);

  return tl_save_window_png (GTK_WINDOW (self), path, error);
}

gboolean
tl_save_window_png (GtkWindow   *window,
                    const char  *path,
                    GError     **error)
{
  GtkWidget *widget = GTK_WIDGET (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autofree char *tmp = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  int width, height;

  g_return_val_if_fail (GTK_IS_WINDOW (window), FALSE);

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  width = gtk_widget_get_width (widget);
  height = gtk_widget_get_height (widget);
  if (renderer == NULL || width <= 0 || height <= 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s: the window is not on screen yet", path);
      return FALSE;
    }

  /* The window's own render nodes, drawn by its own renderer: exactly
   * what is on screen, without a screen grabber. */
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: nothing to draw", path);
      return FALSE;
    }
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, (float) width, (float) height));

  /* Written beside the target and renamed over it: atomic. */
  tmp = g_strdup_printf ("%s.tmp-%d", path, (int) getpid ());
  if (!gdk_texture_save_to_png (texture, tmp))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: could not write the PNG", tmp);
      g_unlink (tmp);
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "%s: %s", path, g_strerror (saved));
      g_unlink (tmp);
      return FALSE;
    }
  return TRUE;
}

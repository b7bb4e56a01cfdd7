/* tl-document.c: an open scenario or trace, its simulation and undo. */
#include "tl-document.h"

#include <string.h>

#include "tl-compare.h"
#include "tl-load.h"

/* Edits of the same field closer together than this are one undo step:
 * holding a spin button's arrow should not fill the history. */
#define COALESCE_USEC (G_USEC_PER_SEC)
/* Runs faster than this are done on the spot (see request_run). */
#define QUICK_RUN_USEC 3000

typedef struct
{
  TlScenario *scenario;
  guint       state_id;   /* which saved state this is, for "modified" */
  char       *label;      /* "Change A->B delay" */
  char       *key;        /* the field, for coalescing; NULL for groups */
  gint64      when;       /* monotonic time of the last merged edit */
} UndoStep;

typedef struct
{
  TlScenario *scenario;
  TlTrace    *trace;
  TlOutcome   outcome;
  guint       generation;
  gint64      elapsed_usec;
} RunJob;

struct _TlDocument
{
  GObject         parent_instance;

  TlDocumentKind  kind;
  GFile          *file;
  TlScenario     *scenario;      /* working copy */
  guint           state_id;      /* identifies the working copy's content */
  guint           next_state_id;
  guint           saved_state_id;

  GPtrArray      *undo;          /* UndoStep, newest last */
  GPtrArray      *redo;
  gboolean        in_group;
  gboolean        group_recorded;
  char           *group_label;
  gboolean        may_coalesce;  /* false right after undo, redo, save */

  TlTrace        *trace;
  TlOutcome       outcome;
  guint           trace_serial;
  gint64          last_run_usec;
  guint           wanted_generation;
  guint           shown_generation;
  gboolean        running;

  TlTrace        *reference;
  GFile          *reference_file;
  TlCompareResult *comparison;   /* reference (A) against the trace (B) */
};

G_DEFINE_FINAL_TYPE (TlDocument, tl_document, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_KIND,
  PROP_FILE,
  PROP_MODIFIED,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_RUNNING,
  PROP_REFERENCE,
  N_PROPS
};

enum
{
  SCENARIO_CHANGED,
  TRACE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
undo_step_free (gpointer data)
{
  UndoStep *step = data;

  tl_scenario_free (step->scenario);
  g_free (step->label);
  g_free (step->key);
  g_free (step);
}

static void
run_job_free (gpointer data)
{
  RunJob *job = data;

  g_clear_pointer (&job->scenario, tl_scenario_free);
  g_clear_pointer (&job->trace, tl_trace_unref);
  g_free (job);
}

static void
tl_document_finalize (GObject *object)
{
  TlDocument *self = TL_DOCUMENT (object);

  g_clear_object (&self->file);
  g_clear_pointer (&self->scenario, tl_scenario_free);
  g_ptr_array_unref (self->undo);
  g_ptr_array_unref (self->redo);
  g_free (self->group_label);
  g_clear_pointer (&self->trace, tl_trace_unref);
  g_clear_pointer (&self->reference, tl_trace_unref);
  g_clear_object (&self->reference_file);
  g_clear_pointer (&self->comparison, tl_compare_result_free);

  G_OBJECT_CLASS (tl_document_parent_class)->finalize (object);
}

static void
tl_document_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TlDocument *self = TL_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;
    case PROP_MODIFIED:
      g_value_set_boolean (value, tl_document_get_modified (self));
      break;
    case PROP_CAN_UNDO:
      g_value_set_boolean (value, tl_document_get_can_undo (self));
      break;
    case PROP_CAN_REDO:
      g_value_set_boolean (value, tl_document_get_can_redo (self));
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_REFERENCE:
      g_value_set_boolean (value, self->reference != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tl_document_class_init (TlDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tl_document_finalize;
  object_class->get_property = tl_document_get_property;

  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL,
                      TL_DOCUMENT_EMPTY, TL_DOCUMENT_TRACE, TL_DOCUMENT_EMPTY,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MODIFIED] =
    g_param_spec_boolean ("modified", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_REFERENCE] =
    g_param_spec_boolean ("has-reference", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The working copy changed (edit, undo, redo, load): widgets showing
   * parameter values refresh. */
  signals[SCENARIO_CHANGED] =
    g_signal_new ("scenario-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* A new trace (or reference) is there to draw. */
  signals[TRACE_CHANGED] =
    g_signal_new ("trace-changed", G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tl_document_init (TlDocument *self)
{
  self->undo = g_ptr_array_new_with_free_func (undo_step_free);
  self->redo = g_ptr_array_new_with_free_func (undo_step_free);
  self->next_state_id = 1;
}

TlDocument *
tl_document_new (void)
{
  return g_object_new (TL_TYPE_DOCUMENT, NULL);
}

/* Notifies the properties derived from the undo stacks all at once. */
static void
notify_history (TlDocument *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
}

/* Simulation ---------------------------------------------------------- */

static void start_run (TlDocument *self);

static void
run_in_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RunJob *job = task_data;
  gint64 start = g_get_monotonic_time ();

  tl_scenario_run (job->scenario, job->trace);
  tl_outcome_classify (job->trace, &job->outcome);
  job->elapsed_usec = g_get_monotonic_time () - start;
  g_task_return_boolean (task, TRUE);
}

#define SIMULATION_PREFIX "Simulation: "
#define CAPTURE_PREFIX    "Capture: "

/* Side-by-side pictures title each ladder with its trace's title: say
 * which is which.  PREFIX NULL takes the simulation's prefix off again. */
static void
set_title_prefix (TlTrace    *trace,
                  const char *prefix)
{
  const char *title = trace->title != NULL ? trace->title : "";
  char *renamed = NULL;

  if (g_str_has_prefix (title, SIMULATION_PREFIX))
    title += strlen (SIMULATION_PREFIX);
  else if (g_str_has_prefix (title, CAPTURE_PREFIX))
    title += strlen (CAPTURE_PREFIX);
  renamed = prefix != NULL ? g_strconcat (prefix, title, NULL) : g_strdup (title);
  g_free (trace->title);
  trace->title = renamed;
}

/* The capture is what real Linux did: it is the expected side. */
static void
update_comparison (TlDocument *self)
{
  g_clear_pointer (&self->comparison, tl_compare_result_free);
  if (self->trace != NULL)
    set_title_prefix (self->trace, self->reference != NULL ? SIMULATION_PREFIX : NULL);
  if (self->reference != NULL)
    set_title_prefix (self->reference, CAPTURE_PREFIX);
  if (self->reference != NULL && self->trace != NULL)
    self->comparison = tl_compare_traces (self->reference, self->trace, NULL);
}

static void
show_trace (TlDocument      *self,
            TlTrace         *trace,
            const TlOutcome *outcome)
{
  g_clear_pointer (&self->trace, tl_trace_unref);
  self->trace = trace;
  if (outcome != NULL)
    self->outcome = *outcome;
  else if (trace != NULL)
    tl_outcome_classify (trace, &self->outcome);
  else
    memset (&self->outcome, 0, sizeof self->outcome);
  update_comparison (self);
  self->trace_serial++;
  g_signal_emit (self, signals[TRACE_CHANGED], 0);
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  TlDocument *self = TL_DOCUMENT (source);
  RunJob *job = g_task_get_task_data (G_TASK (result));

  self->running = FALSE;
  /* A load since the run started makes its result meaningless. */
  if (self->kind == TL_DOCUMENT_SCENARIO
      && job->generation > self->shown_generation)
    {
      self->shown_generation = job->generation;
      self->last_run_usec = job->elapsed_usec;
      show_trace (self, g_steal_pointer (&job->trace), &job->outcome);
    }
  if (self->kind == TL_DOCUMENT_SCENARIO
      && self->wanted_generation > self->shown_generation)
    start_run (self);
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

static void
start_run (TlDocument *self)
{
  g_autoptr(GTask) task = NULL;
  RunJob *job = g_new0 (RunJob, 1);

  job->scenario = tl_scenario_copy (self->scenario);
  job->trace = tl_trace_new ();
  job->generation = self->wanted_generation;

  self->running = TRUE;
  task = g_task_new (self, NULL, run_done, NULL);
  g_task_set_source_tag (task, start_run);
  g_task_set_task_data (task, job, run_job_free);
  g_task_run_in_thread (task, run_in_thread);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

/* Runs the working copy here and now: for runs so short that a thread
 * hop would cost more than the run, and would let a frame show the new
 * parameters with the old trace. */
static void
run_now (TlDocument *self)
{
  TlTrace *trace = tl_trace_new ();
  TlOutcome outcome;
  gint64 start = g_get_monotonic_time ();

  tl_scenario_run (self->scenario, trace);
  tl_outcome_classify (trace, &outcome);
  self->last_run_usec = g_get_monotonic_time () - start;
  self->shown_generation = self->wanted_generation;
  show_trace (self, trace, &outcome);
}

/* Asks for a simulation of the current working copy.  A scenario whose
 * last run was quick runs at once; a slow one runs in the worker thread,
 * now or right after the run in progress, so the window never stalls. */
static void
request_run (TlDocument *self)
{
  self->wanted_generation++;
  if (self->running)
    return;
  if (self->trace != NULL && self->last_run_usec < QUICK_RUN_USEC)
    run_now (self);
  else
    start_run (self);
}

/* Loading ------------------------------------------------------------- */

static void
reset_history (TlDocument *self)
{
  g_ptr_array_set_size (self->undo, 0);
  g_ptr_array_set_size (self->redo, 0);
  self->in_group = FALSE;
  self->group_recorded = FALSE;
  self->may_coalesce = FALSE;
  self->state_id = self->next_state_id++;
  self->saved_state_id = self->state_id;
}

static void
take_scenario (TlDocument *self,
               TlScenario *scenario,
               GFile      *file)
{
  g_clear_pointer (&self->scenario, tl_scenario_free);
  self->scenario = scenario;
  self->kind = TL_DOCUMENT_SCENARIO;
  g_set_object (&self->file, file);
  reset_history (self);

  /* Whatever was shown belongs to another file. */
  self->shown_generation = self->wanted_generation;
  g_clear_pointer (&self->trace, tl_trace_unref);
  memset (&self->outcome, 0, sizeof self->outcome);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  notify_history (self);
  g_signal_emit (self, signals[SCENARIO_CHANGED], 0);
  request_run (self);
}

void
tl_document_take_scenario (TlDocument *self,
                           TlScenario *scenario)
{
  g_return_if_fail (TL_IS_DOCUMENT (self));
  g_return_if_fail (scenario != NULL);

  take_scenario (self, scenario, NULL);
}

gboolean
tl_document_file_is_scenario (GFile *file)
{
  g_autofree char *path = g_file_get_path (file);
  TlInputKind kind;

  /* By content, as the CLI decides: a directory is a capture bundle, a
   * pcap magic a capture, '{' a JSON trace, anything else a scenario.  An
   * unreadable file counts as a scenario so the error names it as one. */
  if (path == NULL || !tl_input_detect (path, &kind, NULL))
    return TRUE;
  return kind == TL_INPUT_SCENARIO;
}

gboolean
tl_document_load_scenario_text (TlDocument  *self,
                                const char  *text,
                                const char  *filename,
                                GError     **error)
{
  TlScenario *scenario;

  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);

  scenario = tl_scenario_parse (text, -1, filename, error);
  if (scenario == NULL)
    return FALSE;
  if (!tl_scenario_validate (scenario, error))
    {
      tl_scenario_free (scenario);
      return FALSE;
    }
  take_scenario (self, scenario, NULL);
  return TRUE;
}

void
tl_document_set_trace (TlDocument *self,
                       TlTrace    *trace,
                       GFile      *file)
{
  g_return_if_fail (TL_IS_DOCUMENT (self));
  g_return_if_fail (trace != NULL);

  g_clear_pointer (&self->scenario, tl_scenario_free);
  self->kind = TL_DOCUMENT_TRACE;
  g_set_object (&self->file, file);
  reset_history (self);
  self->shown_generation = self->wanted_generation;
  tl_document_set_reference (self, NULL, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  notify_history (self);
  g_signal_emit (self, signals[SCENARIO_CHANGED], 0);
  show_trace (self, tl_trace_ref (trace), NULL);
}

gboolean
tl_document_load (TlDocument  *self,
                  GFile       *file,
                  GError     **error)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);

  if (tl_document_file_is_scenario (file))
    {
      g_autofree char *path = g_file_get_path (file);
      TlScenario *scenario;

      if (path == NULL)
        {
          g_autofree char *uri = g_file_get_uri (file);

          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "%s: only local files can be opened", uri);
          return FALSE;
        }
      scenario = tl_scenario_load (path, error);
      if (scenario == NULL)
        return FALSE;
      if (!tl_scenario_validate (scenario, error))
        {
          tl_scenario_free (scenario);
          return FALSE;
        }
      take_scenario (self, scenario, file);
      return TRUE;
    }
  else
    {
      g_autoptr(TlTrace) trace = tl_document_read_trace (file, error);

      if (trace == NULL)
        return FALSE;
      tl_document_set_trace (self, trace, file);
      return TRUE;
    }
}

/* Accessors ----------------------------------------------------------- */

TlDocumentKind
tl_document_get_kind (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), TL_DOCUMENT_EMPTY);
  return self->kind;
}

GFile *
tl_document_get_file (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return self->file;
}

char *
tl_document_dup_title (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);

  if (self->file != NULL)
    return g_file_get_basename (self->file);
  if (self->scenario != NULL && self->scenario->name != NULL)
    return g_strdup (self->scenario->name);
  if (self->trace != NULL && self->trace->title != NULL)
    return g_strdup (self->trace->title);
  return g_strdup ("Untitled");
}

const TlScenario *
tl_document_get_scenario (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return self->scenario;
}

TlTrace *
tl_document_get_trace (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return self->trace;
}

const TlOutcome *
tl_document_get_outcome (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return self->trace != NULL ? &self->outcome : NULL;
}

gboolean
tl_document_get_running (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);
  return self->running;
}

guint
tl_document_get_trace_serial (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), 0);
  return self->trace_serial;
}

gint64
tl_document_get_last_run_usec (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), 0);
  return self->last_run_usec;
}

/* Editing and undo ---------------------------------------------------- */

static UndoStep *
undo_step_new (const TlScenario *scenario,
               guint             state_id,
               const char       *label,
               const char       *key)
{
  UndoStep *step = g_new0 (UndoStep, 1);

  step->scenario = tl_scenario_copy (scenario);
  step->state_id = state_id;
  step->label = g_strdup (label);
  step->key = g_strdup (key);
  step->when = g_get_monotonic_time ();
  return step;
}

/* Whether an edit of KEY continues the newest undo step. */
static gboolean
continues_last_step (TlDocument *self,
                     const char *key)
{
  UndoStep *last;

  if (!self->may_coalesce || self->undo->len == 0 || key == NULL)
    return FALSE;
  last = g_ptr_array_index (self->undo, self->undo->len - 1);
  return last->key != NULL && strcmp (last->key, key) == 0
         && g_get_monotonic_time () - last->when < COALESCE_USEC;
}

static void
record_undo (TlDocument *self,
             const char *key,
             const char *label)
{
  if (self->in_group)
    {
      if (self->group_recorded)
        return;
      g_ptr_array_add (self->undo,
                       undo_step_new (self->scenario, self->state_id,
                                      self->group_label, NULL));
      self->group_recorded = TRUE;
    }
  else if (continues_last_step (self, key))
    {
      UndoStep *last = g_ptr_array_index (self->undo, self->undo->len - 1);

      last->when = g_get_monotonic_time ();
    }
  else
    {
      g_ptr_array_add (self->undo,
                       undo_step_new (self->scenario, self->state_id,
                                      label, key));
    }
  g_ptr_array_set_size (self->redo, 0);
}

gboolean
tl_document_set_value (TlDocument  *self,
                       const char  *key,
                       const char  *value,
                       const char  *label,
                       GError     **error)
{
  g_autoptr(TlScenario) edited = NULL;
  g_autofree char *default_label = NULL;

  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);
  g_return_val_if_fail (key != NULL && value != NULL, FALSE);

  if (self->kind != TL_DOCUMENT_SCENARIO)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: a recorded trace has no parameters to change", key);
      return FALSE;
    }

  edited = tl_scenario_copy (self->scenario);
  if (!tl_scenario_set (edited, key, value, error)
      || !tl_scenario_validate (edited, error))
    return FALSE;

  if (label == NULL)
    label = default_label = g_strdup_printf ("Change %s", key);
  record_undo (self, key, label);
  self->may_coalesce = TRUE;

  tl_scenario_free (self->scenario);
  self->scenario = g_steal_pointer (&edited);
  self->state_id = self->next_state_id++;

  notify_history (self);
  g_signal_emit (self, signals[SCENARIO_CHANGED], 0);
  request_run (self);
  return TRUE;
}

void
tl_document_begin_group (TlDocument *self,
                         const char *label)
{
  g_return_if_fail (TL_IS_DOCUMENT (self));

  g_free (self->group_label);
  self->group_label = g_strdup (label);
  self->in_group = TRUE;
  self->group_recorded = FALSE;
}

void
tl_document_end_group (TlDocument *self)
{
  g_return_if_fail (TL_IS_DOCUMENT (self));

  self->in_group = FALSE;
  self->group_recorded = FALSE;
  /* The next edit, even of the same field, is a step of its own. */
  self->may_coalesce = FALSE;
}

gboolean
tl_document_get_can_undo (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);
  return self->undo->len > 0;
}

gboolean
tl_document_get_can_redo (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);
  return self->redo->len > 0;
}

static const char *
top_label (GPtrArray *stack)
{
  UndoStep *step;

  if (stack->len == 0)
    return NULL;
  step = g_ptr_array_index (stack, stack->len - 1);
  return step->label;
}

const char *
tl_document_get_undo_label (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return top_label (self->undo);
}

const char *
tl_document_get_redo_label (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return top_label (self->redo);
}

/* Moves the newest step of FROM to the working copy, and the working copy
 * onto TO under the same label. */
static gboolean
travel (TlDocument *self,
        GPtrArray  *from,
        GPtrArray  *to)
{
  UndoStep *step;
  UndoStep *current;

  if (from->len == 0 || self->kind != TL_DOCUMENT_SCENARIO)
    return FALSE;

  step = g_ptr_array_steal_index (from, from->len - 1);
  current = g_new0 (UndoStep, 1);
  current->scenario = self->scenario;
  current->state_id = self->state_id;
  current->label = g_strdup (step->label);
  current->key = g_strdup (step->key);
  g_ptr_array_add (to, current);

  self->scenario = g_steal_pointer (&step->scenario);
  self->state_id = step->state_id;
  undo_step_free (step);
  self->may_coalesce = FALSE;
  self->in_group = FALSE;

  notify_history (self);
  g_signal_emit (self, signals[SCENARIO_CHANGED], 0);
  request_run (self);
  return TRUE;
}

gboolean
tl_document_undo (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);
  return travel (self, self->undo, self->redo);
}

gboolean
tl_document_redo (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);
  return travel (self, self->redo, self->undo);
}

gboolean
tl_document_get_modified (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);
  return self->kind == TL_DOCUMENT_SCENARIO
         && self->state_id != self->saved_state_id;
}

gboolean
tl_document_save (TlDocument  *self,
                  GFile       *file,
                  GError     **error)
{
  g_autofree char *text = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);

  if (self->kind != TL_DOCUMENT_SCENARIO)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           "Only scenarios can be saved; export a recorded trace instead");
      return FALSE;
    }
  if (file == NULL)
    file = self->file;
  if (file == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_FILENAME,
                           "No file name to save to");
      return FALSE;
    }
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: only local files can be written", uri);
      return FALSE;
    }

  text = tl_scenario_to_string (self->scenario);
  /* g_file_set_contents writes a temporary file and renames it over the
   * old one: a crash or a full disk never leaves half a scenario. */
  if (!g_file_set_contents (path, text, -1, error))
    return FALSE;

  g_set_object (&self->file, file);
  g_free (self->scenario->path);
  self->scenario->path = g_strdup (path);
  self->saved_state_id = self->state_id;
  self->may_coalesce = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED]);
  return TRUE;
}

/* Reference trace ----------------------------------------------------- */

void
tl_document_set_reference (TlDocument *self,
                           TlTrace    *reference,
                           GFile      *file)
{
  g_return_if_fail (TL_IS_DOCUMENT (self));

  if (reference == self->reference)
    return;
  g_clear_pointer (&self->reference, tl_trace_unref);
  if (reference != NULL)
    self->reference = tl_trace_ref (reference);
  if (reference == NULL)
    file = NULL;
  g_set_object (&self->reference_file, file);
  update_comparison (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REFERENCE]);
  if (self->trace != NULL)
    g_signal_emit (self, signals[TRACE_CHANGED], 0);
}

gboolean
tl_document_load_reference (TlDocument  *self,
                            GFile       *file,
                            GError     **error)
{
  g_autoptr(TlTrace) trace = NULL;

  g_return_val_if_fail (TL_IS_DOCUMENT (self), FALSE);

  trace = tl_document_read_trace (file, error);
  if (trace == NULL)
    return FALSE;
  tl_document_set_reference (self, trace, file);
  return TRUE;
}

TlTrace *
tl_document_get_reference (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return self->reference;
}

GFile *
tl_document_get_reference_file (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return self->reference_file;
}

const TlCompareResult *
tl_document_get_comparison (TlDocument *self)
{
  g_return_val_if_fail (TL_IS_DOCUMENT (self), NULL);
  return self->comparison;
}

/* Reading traces ------------------------------------------------------ */

TlTrace *
tl_document_read_trace (GFile   *file,
                        GError **error)
{
  g_autofree char *path = g_file_get_path (file);

  if (path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "%s: only local files can be opened", uri);
      return NULL;
    }
  /* A scenario given here is simulated: comparing two scenarios is as
   * legitimate as comparing with a capture. */
  return tl_trace_load_any (path, error);
}

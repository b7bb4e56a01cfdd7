/* tl-document.h: one open file in the app.
 *
 * Either a scenario being explored (an editable working copy, its latest
 * simulation and the undo history of the edits) or a recorded trace
 * (a capture bundle, a pcap or a JSON trace) that can only be looked at.
 * A scenario document may also hold a reference trace, a real capture of
 * the same scenario, which is compared with every new simulation.
 *
 * The first simulation of a file runs in a worker thread, and so does
 * every later one when that took more than a few milliseconds, so that
 * dragging a spin button never stalls the window; requests made while one
 * runs are coalesced into one more run with the newest parameters.  Quick
 * scenarios (all the bundled ones) re-run on the spot, so the frame after
 * an edit already shows its outcome.
 */
#pragma once

#include <gio/gio.h>

#include "tl-compare.h"
#include "tl-outcome.h"
#include "tl-scenario.h"
#include "tl-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TL_DOCUMENT_EMPTY,
  TL_DOCUMENT_SCENARIO,
  TL_DOCUMENT_TRACE,
} TlDocumentKind;

#define TL_TYPE_DOCUMENT (tl_document_get_type ())
G_DECLARE_FINAL_TYPE (TlDocument, tl_document, TL, DOCUMENT, GObject)

TlDocument       *tl_document_new                (void);

/* Loading replaces whatever the document held, and forgets the undo
 * history.  On error the document is left as it was. */
gboolean          tl_document_load               (TlDocument  *self,
                                                  GFile       *file,
                                                  GError     **error);
gboolean          tl_document_load_scenario_text (TlDocument  *self,
                                                  const char  *text,
                                                  const char  *filename,
                                                  GError     **error);
/* Takes SCENARIO (valid) as a new, unsaved scenario document. */
void              tl_document_take_scenario      (TlDocument  *self,
                                                  TlScenario  *scenario);
/* Takes a reference; the document shows TRACE as it is. */
void              tl_document_set_trace          (TlDocument  *self,
                                                  TlTrace     *trace,
                                                  GFile       *file);

TlDocumentKind    tl_document_get_kind           (TlDocument  *self);
GFile            *tl_document_get_file           (TlDocument  *self);
/* "simultaneous-open-router-pause.scn", or the scenario name. */
char             *tl_document_dup_title          (TlDocument  *self);
/* The working copy; NULL unless the document is a scenario. */
const TlScenario *tl_document_get_scenario       (TlDocument  *self);
/* The newest finished simulation, or the loaded trace; NULL before the
 * first run finished. */
TlTrace          *tl_document_get_trace          (TlDocument  *self);
const TlOutcome  *tl_document_get_outcome        (TlDocument  *self);
gboolean          tl_document_get_running        (TlDocument  *self);
/* Counts the traces shown so far; lets callers wait for a fresh one. */
guint             tl_document_get_trace_serial   (TlDocument  *self);
/* How long the last simulation took, in microseconds. */
gint64            tl_document_get_last_run_usec  (TlDocument  *self);

/* Sets one scenario value by key (see tl_scenario_set), validates the
 * result, records an undo step and re-simulates.  A bad value leaves the
 * working copy unchanged and sets ERROR. */
gboolean          tl_document_set_value          (TlDocument  *self,
                                                  const char  *key,
                                                  const char  *value,
                                                  const char  *label,
                                                  GError     **error);
/* Between begin and end (a drag on the diagram), every set_value makes
 * a single undo step. */
void              tl_document_begin_group        (TlDocument  *self,
                                                  const char  *label);
void              tl_document_end_group          (TlDocument  *self);

gboolean          tl_document_get_can_undo       (TlDocument  *self);
gboolean          tl_document_get_can_redo       (TlDocument  *self);
const char       *tl_document_get_undo_label     (TlDocument  *self);
const char       *tl_document_get_redo_label     (TlDocument  *self);
gboolean          tl_document_undo               (TlDocument  *self);
gboolean          tl_document_redo               (TlDocument  *self);

gboolean          tl_document_get_modified       (TlDocument  *self);
/* Writes the working copy atomically to FILE (the document's own file
 * when NULL) and marks the document saved. */
gboolean          tl_document_save               (TlDocument  *self,
                                                  GFile       *file,
                                                  GError     **error);

/* The reference trace compared with every simulation: a real capture of
 * the same scenario.  NULL to stop comparing. */
gboolean          tl_document_load_reference     (TlDocument  *self,
                                                  GFile       *file,
                                                  GError     **error);
void              tl_document_set_reference      (TlDocument  *self,
                                                  TlTrace     *reference,
                                                  GFile       *file);
TlTrace          *tl_document_get_reference      (TlDocument  *self);
GFile            *tl_document_get_reference_file (TlDocument  *self);
/* The reference (side A, what real Linux did) compared with the newest
 * trace (side B); NULL without a reference or a trace. */
const TlCompareResult *tl_document_get_comparison (TlDocument *self);

/* Reads a trace from any format the io library knows (capture bundle,
 * pcap, JSON).  Kept here so the app and the tests load the same way. */
TlTrace          *tl_document_read_trace         (GFile       *file,
                                                  GError     **error);
/* Whether FILE looks like a scenario rather than a recorded trace. */
gboolean          tl_document_file_is_scenario   (GFile       *file);

G_END_DECLS

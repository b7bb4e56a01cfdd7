/* tl-inspector.h: everything the trace knows about one record.
 *
 * For a segment: every header field and option, its whole life (sent,
 * reached the router, held, released, delivered or dropped), what caused
 * it (a socket call, a timer, a received segment) and what its arrival
 * changed (state changes, segments sent in reply).  For a state bar: the
 * transition and its cause.  For a call or a timer: what it led to.
 * Causes and effects are links; following one selects that record.
 */
#pragma once

#include <gtk/gtk.h>

#include "tl-trace.h"

G_BEGIN_DECLS

typedef struct
{
  char *name;     /* "Seq" */
  char *value;    /* Pango markup, may hold <a href="record:N"> links */
} TlInspectorField;

typedef struct
{
  char      *title;   /* "Cause" */
  GPtrArray *fields;  /* TlInspectorField */
} TlInspectorSection;

/* The sections shown for record INDEX of TRACE; also what tests check. */
GPtrArray *tl_inspector_describe (const TlTrace *trace,
                                  guint          index);
/* Finds a field by section and name; NULL if absent. */
const char *tl_inspector_sections_lookup (GPtrArray  *sections,
                                          const char *section,
                                          const char *name);

#define TL_TYPE_INSPECTOR (tl_inspector_get_type ())
G_DECLARE_FINAL_TYPE (TlInspector, tl_inspector, TL, INSPECTOR, GtkWidget)

GtkWidget *tl_inspector_new        (void);
/* Shows record INDEX of TRACE (G_MAXUINT: nothing selected). */
void       tl_inspector_show       (TlInspector *self,
                                    TlTrace     *trace,
                                    guint        index);
guint      tl_inspector_get_record (TlInspector *self);

G_END_DECLS

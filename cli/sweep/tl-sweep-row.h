/* tl-sweep-row.h: one line of sweep output per point, CSV or JSON lines.
 *
 * A row depends only on the point and its run, never on threads or shards,
 * so the rows of shards put in order are byte for byte the rows of one
 * unsharded run.  Columns (CSV) and members (JSON), see docs/sweeps.md:
 *
 *   index, points, one per swept parameter, seed, open, close,
 *   A.final_state, B.final_state, A.established_ns, B.established_ns,
 *   A.connect_error, B.connect_error, A.data_bytes, B.data_bytes,
 *   segments, retransmissions, held, dropped, truncated
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tl-outcome.h"
#include "tl-sweep-plan.h"

G_BEGIN_DECLS

typedef enum
{
  TL_SWEEP_FORMAT_CSV,
  TL_SWEEP_FORMAT_JSONL,
} TlSweepFormat;

/* What one run of one point gave. */
typedef struct
{
  guint64   point;
  guint64   seed;
  gboolean  truncated;   /* the run hit the scenario's event limit */
  TlOutcome outcome;
} TlSweepResult;

typedef struct _TlSweepRowWriter TlSweepRowWriter;

/* PLAN gives the parameter columns; HOST_NAMES the names of hosts 0 and 1
 * (NULL entries: "A", "B"). */
TlSweepRowWriter *tl_sweep_row_writer_new    (const TlSweepPlan  *plan,
                                              const char *const  *host_names,
                                              TlSweepFormat       format);
void              tl_sweep_row_writer_free   (TlSweepRowWriter   *writer);
/* The CSV header line with its newline; nothing for JSON lines. */
void              tl_sweep_row_write_header  (TlSweepRowWriter   *writer,
                                              GString            *out);
/* One row with its newline. */
void              tl_sweep_row_write         (TlSweepRowWriter   *writer,
                                              const TlSweepResult *result,
                                              GString            *out);

/* Guesses the format from a file name: ".csv" or ".jsonl"/".ndjson"/".json".
 * FALSE when the name says neither. */
gboolean          tl_sweep_format_from_path  (const char         *path,
                                              TlSweepFormat      *out);

/* CSV field quoting (RFC 4180): quoted only when needed. */
void              tl_sweep_csv_append_field  (GString            *out,
                                              const char         *field);
/* Splits one CSV line (no newline) into fields.  NULL if the quoting is
 * broken. */
GPtrArray        *tl_sweep_csv_split         (const char         *line,
                                              gsize               length);
/* A JSON string literal. */
void              tl_sweep_json_append_string (GString           *out,
                                               const char        *text);
/* MEMBER of OBJECT as a count (a whole number >= 0) or a string; FALSE or
 * NULL when it is missing or of another type (json-glib's own getters
 * complain about other types). */
gboolean          tl_sweep_json_get_count    (JsonObject         *object,
                                              const char         *member,
                                              guint64            *out);
const char       *tl_sweep_json_get_string   (JsonObject         *object,
                                              const char         *member);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlSweepRowWriter, tl_sweep_row_writer_free)

G_END_DECLS

/* tl-compare.h: do two traces show the same conversation?
 *
 * Trace A is the reference ("expected"), trace B is checked against it
 * ("got"): typically a simulation against a capture.  Segments (SEND
 * records) are compared per direction, states (STATE records) per host;
 * each list is aligned in order like a diff, so one missing segment shows
 * up as one mismatch rather than shifting every later one.  What is
 * compared, and the timing tolerance, is documented in docs/pcap.md
 * ("Comparing traces").
 *
 * For a renderer drawing A and B side by side: every mismatch and every
 * aligned pair names the record index in A and in B
 * (TL_COMPARE_NO_RECORD where one side has nothing), and
 * tl_compare_result_get_status() says how any record of either trace fared.
 */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_COMPARE_NO_RECORD G_MAXUINT

typedef enum
{
  TL_COMPARE_ALIGN_AUTO,           /* FIRST_SEGMENT if either trace is a bare pcap, else ZERO */
  TL_COMPARE_ALIGN_ZERO,           /* both traces' time 0 are the same instant */
  TL_COMPARE_ALIGN_FIRST_SEGMENT,  /* each trace's first SEND is the same instant */
} TlCompareAlign;

typedef struct
{
  /* A time matches when |t_B - t_A| <= max (tolerance, t_A * tolerance_ppm
   * / 1e6), t_A counted from the alignment origin.  Defaults: 2 ms and
   * 10000 ppm (1 %). */
  TlTime         tolerance;
  guint          tolerance_ppm;
  gboolean       compare_times;    /* default TRUE */
  gboolean       compare_states;   /* default TRUE */
  gboolean       compare_windows;  /* every segment's window; SYNs' always.  Default FALSE */
  TlCompareAlign align;
} TlCompareOptions;

typedef enum
{
  TL_COMPARE_SEGMENT,
  TL_COMPARE_STATE,
} TlCompareItem;

typedef enum
{
  TL_MISMATCH_FIELD,    /* paired, but FIELD differs */
  TL_MISMATCH_MISSING,  /* in A, nothing in B pairs with it */
  TL_MISMATCH_EXTRA,    /* in B, nothing in A pairs with it */
} TlMismatchKind;

typedef struct
{
  TlMismatchKind kind;
  TlCompareItem  item;
  guint          host;      /* segments: the sender; states: the host (A's numbering) */
  guint          index_a;   /* n-th segment of that direction / state of that host in A */
  guint          index_b;   /* ... in B; TL_COMPARE_NO_RECORD if none */
  guint          record_a;  /* index into A's records, or TL_COMPARE_NO_RECORD */
  guint          record_b;
  const char    *field;     /* "flags", "seq", "ack", "len", "window", "mss", "wscale",
                             * "sackOK", "TS", "sack", "time", "state"; for MISSING and
                             * EXTRA "segment" or "state" */
  char          *expected;  /* A's value as text; NULL for EXTRA */
  char          *got;       /* B's value as text; NULL for MISSING */
  TlTime         time_error;/* t_B - t_A, for "time" */
} TlMismatch;

/* One step of the alignment: a pair, or an item only one side has. */
typedef struct
{
  TlCompareItem item;
  guint         host;
  guint         record_a;   /* TL_COMPARE_NO_RECORD if only in B */
  guint         record_b;   /* TL_COMPARE_NO_RECORD if only in A */
  TlTime        time_a;     /* from the origins; meaningless without the record */
  TlTime        time_b;
  gboolean      equal;      /* paired, and no field or time differs */
  char         *description;/* "SYN,ACK seq 0 ack 1 len 0 ..." (relative numbers) or
                             * "SYN-SENT", from A (from B if only in B) */
  guint         first_mismatch; /* its mismatches: [first, first + n) in mismatches */
  guint         n_mismatches;
} TlComparePair;

typedef enum
{
  TL_COMPARE_STATUS_NOT_COMPARED,  /* a record kind compare does not look at */
  TL_COMPARE_STATUS_MATCH,
  TL_COMPARE_STATUS_DIFFERS,       /* paired, some field differs */
  TL_COMPARE_STATUS_UNPAIRED,      /* missing from the other trace */
} TlCompareStatus;

typedef struct
{
  TlCompareOptions options;
  TlCompareAlign   align;            /* the alignment used (never AUTO) */
  gboolean         hosts_swapped;    /* B's host 0 is A's host 1 (found by address) */
  TlTime           origin_a;         /* where time 0 of the comparison is, per trace */
  TlTime           origin_b;
  GArray          *pairs;            /* TlComparePair, in time order */
  GArray          *mismatches;       /* TlMismatch, in the order of the pairs */
  guint            segments_matched; /* pairs with nothing different */
  guint            segments_total;   /* pairs + unpaired segments of either side */
  guint            states_matched;
  guint            states_total;
  TlTime           max_time_error;   /* largest |t_B - t_A| over paired items */
  guint            max_time_error_record_a;
  guint            max_time_error_record_b;
  /* private */
  guint8          *status_a;
  guint8          *status_b;
  guint            n_records_a;
  guint            n_records_b;
} TlCompareResult;

void             tl_compare_options_init      (TlCompareOptions *options);
/* OPTIONS NULL means the defaults. */
TlCompareResult *tl_compare_traces            (const TlTrace          *a,
                                               const TlTrace          *b,
                                               const TlCompareOptions *options);
void             tl_compare_result_free       (TlCompareResult *result);
gboolean         tl_compare_result_is_match   (const TlCompareResult *result);
/* SIDE 0 is trace A, 1 is trace B. */
TlCompareStatus  tl_compare_result_get_status (const TlCompareResult *result,
                                               guint                  side,
                                               guint                  record);
/* The tolerance that applies at time T_A (from the origin). */
TlTime           tl_compare_tolerance_at      (const TlCompareOptions *options,
                                               TlTime                  t_a);

/* A readable diff: one line per differing item (every item with ALL),
 * the fields that differ under it, then a summary. */
void             tl_compare_result_format     (const TlCompareResult *result,
                                               const TlTrace         *a,
                                               const TlTrace         *b,
                                               gboolean               all,
                                               GString               *out);
/* Deterministic JSON, documented in docs/pcap.md. */
char            *tl_compare_result_to_json    (const TlCompareResult *result);

const char      *tl_compare_align_to_string   (TlCompareAlign  align);
gboolean         tl_compare_align_from_string (const char     *text,
                                               TlCompareAlign *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlCompareResult, tl_compare_result_free)

G_END_DECLS

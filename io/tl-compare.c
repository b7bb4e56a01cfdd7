/* tl-compare.c: segment-by-segment, state-by-state comparison of traces.
 *
 * Steps: map B's hosts onto A's (by address), pick each trace's time
 * origin, turn SEND records into per-direction lists of segments with
 * sequence numbers relative to each side's ISN, and STATE records into
 * per-host lists; align each pair of lists like a diff (equal keys pair at
 * no cost, a pair with different keys costs one, a gap costs one); then
 * compare the fields of every pair and sort everything by time.
 */
#include "tl-compare.h"

#include <string.h>

#include "tl-io-private.h"

/* Above this many cells in the alignment matrix, lists are paired by
 * position instead (after stripping their common head and tail). */
#define ALIGN_MAX_CELLS (4u * 1000u * 1000u)

void
tl_compare_options_init (TlCompareOptions *options)
{
  memset (options, 0, sizeof *options);
  options->tolerance = TL_MSEC (2);
  options->tolerance_ppm = 10000;
  options->compare_times = TRUE;
  options->compare_states = TRUE;
  options->compare_windows = FALSE;
  options->align = TL_COMPARE_ALIGN_AUTO;
}

TlTime
tl_compare_tolerance_at (const TlCompareOptions *options,
                         TlTime                  t_a)
{
  guint64 magnitude = t_a < 0 ? (guint64) -(t_a + 1) + 1 : (guint64) t_a;
  TlTime relative = (TlTime) (magnitude / 1000000 * options->tolerance_ppm
                              + magnitude % 1000000 * options->tolerance_ppm / 1000000);

  return MAX (options->tolerance, relative);
}

static const char *const align_names[] = {
  [TL_COMPARE_ALIGN_AUTO] = "auto",
  [TL_COMPARE_ALIGN_ZERO] = "zero",
  [TL_COMPARE_ALIGN_FIRST_SEGMENT] = "first-segment",
};

const char *
tl_compare_align_to_string (TlCompareAlign align)
{
  return (guint) align < G_N_ELEMENTS (align_names) ? align_names[align] : "?";
}

gboolean
tl_compare_align_from_string (const char     *text,
                              TlCompareAlign *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (align_names); i++)
    if (g_ascii_strcasecmp (text, align_names[i]) == 0)
      {
        *out = (TlCompareAlign) i;
        return TRUE;
      }
  return FALSE;
}

/* ---- views of a trace ---------------------------------------------------- */

typedef struct
{
  guint        record;
  TlTime       time;      /* from the origin */
  guint8       flags;
  guint32      seq;       /* relative to the sender's ISN */
  guint32      ack;       /* relative to the receiver's ISN */
  guint32      len;
  guint16      window;
  TlTcpOptions opts;      /* SACK blocks relative to the receiver's ISN */
} SegView;

typedef struct
{
  guint  record;
  TlTime time;
  guint8 state;
} StateView;

typedef struct
{
  const TlTrace *trace;
  guint          map[TL_MAX_HOSTS];     /* this trace's host -> A's numbering */
  TlTime         origin;
  TlTime         until;                 /* from the origin: later records are left out */
  gboolean       have_isn[TL_MAX_HOSTS];/* A's numbering */
  guint32        isn[TL_MAX_HOSTS];
  GArray        *segments[TL_MAX_HOSTS];/* SegView per sender (A's numbering) */
  GArray        *states[TL_MAX_HOSTS];  /* StateView per host (A's numbering) */
  gboolean       inferred;              /* states inferred from segments */
} View;

static void
view_clear (View *v)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_clear_pointer (&v->segments[h], g_array_unref);
      g_clear_pointer (&v->states[h], g_array_unref);
    }
}

static TlTime
first_send_time (const TlTrace *trace)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    if (tl_trace_get_record (trace, i)->kind == TL_REC_SEND)
      return tl_trace_get_record (trace, i)->time;
  return 0;
}

/* A host's ISN: the sequence number of its first SYN, or of its first
 * segment if it never sent one (a host answering with RST). */
static void
find_isns (View *v)
{
  gboolean from_syn[TL_MAX_HOSTS] = { FALSE, FALSE };

  for (guint i = 0; i < tl_trace_get_n_records (v->trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (v->trace, i);
      guint h;

      if (rec->kind != TL_REC_SEND || rec->host >= TL_MAX_HOSTS)
        continue;
      h = v->map[rec->host];
      if ((rec->seg.flags & TL_TCP_SYN) && !from_syn[h])
        {
          from_syn[h] = TRUE;
          v->have_isn[h] = TRUE;
          v->isn[h] = rec->seg.seq;
        }
      else if (!v->have_isn[h])
        {
          v->have_isn[h] = TRUE;
          v->isn[h] = rec->seg.seq;
        }
    }
}

static void
build_views (View *v)
{
  /* A bare pcap's states are inferred even for a host that got none. */
  v->inferred = v->trace->source == TL_TRACE_PCAP;
  find_isns (v);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      v->segments[h] = g_array_new (FALSE, FALSE, sizeof (SegView));
      v->states[h] = g_array_new (FALSE, FALSE, sizeof (StateView));
    }
  for (guint i = 0; i < tl_trace_get_n_records (v->trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (v->trace, i);
      guint h, peer;

      if (rec->host >= TL_MAX_HOSTS || rec->time - v->origin > v->until)
        continue;
      h = v->map[rec->host];
      peer = 1 - h;
      if (rec->kind == TL_REC_SEND)
        {
          SegView s = { 0 };
          guint32 peer_isn = v->have_isn[peer] ? v->isn[peer] : 0;

          s.record = i;
          s.time = rec->time - v->origin;
          s.flags = rec->seg.flags;
          s.seq = rec->seg.seq - v->isn[h];
          s.ack = rec->seg.ack - peer_isn;
          s.len = rec->seg.len;
          s.window = rec->seg.window;
          s.opts = rec->seg.opts;
          for (guint b = 0; b < s.opts.n_sack && b < TL_MAX_SACK_BLOCKS; b++)
            {
              s.opts.sack[b].left -= peer_isn;
              s.opts.sack[b].right -= peer_isn;
            }
          g_array_append_val (v->segments[h], s);
        }
      else if (rec->kind == TL_REC_STATE)
        {
          StateView s = { i, rec->time - v->origin, rec->new_state };
          if (rec->inferred)
            v->inferred = TRUE;
          g_array_append_val (v->states[h], s);
        }
    }
}

/* Captures cannot show LISTEN, socket creation or most entries into
 * CLOSED (timeouts, close() in SYN-SENT, TIME-WAIT expiry): when either
 * trace inferred its states (or is a bare pcap), those are left out on
 * both sides. */
static void
drop_unobservable_states (GArray *states)
{
  guint kept = 0;

  for (guint i = 0; i < states->len; i++)
    {
      StateView s = g_array_index (states, StateView, i);
      if (s.state == TL_STATE_NONE || s.state == TL_STATE_CLOSED || s.state == TL_STATE_LISTEN)
        continue;
      g_array_index (states, StateView, kept++) = s;
    }
  g_array_set_size (states, kept);
}

/* B's hosts are A's in the other order when the addresses say so. */
static gboolean
hosts_swapped (const TlTrace *a,
               const TlTrace *b)
{
  const TlTraceHost *ha = a->hosts, *hb = b->hosts;
  gboolean same = ha[0].addr == hb[0].addr && ha[0].port == hb[0].port
                  && ha[1].addr == hb[1].addr && ha[1].port == hb[1].port;
  gboolean crossed = ha[0].addr == hb[1].addr && ha[0].port == hb[1].port
                     && ha[1].addr == hb[0].addr && ha[1].port == hb[0].port;

  return crossed && !same;
}

/* ---- alignment --------------------------------------------------------- */

typedef gboolean (*KeyEqualFunc) (GArray *a, guint i, GArray *b, guint j);

typedef struct
{
  guint i;   /* TL_COMPARE_NO_RECORD: nothing from A */
  guint j;
} Step;

static void
push_step (GArray *steps, guint i, guint j)
{
  Step s = { i, j };
  g_array_append_val (steps, s);
}

enum { FROM_DIAG, FROM_UP, FROM_LEFT };

/* Levenshtein alignment of A[lo_a, hi_a) with B[lo_b, hi_b). */
static void
align_middle (GArray       *a,
              guint         lo_a,
              guint         hi_a,
              GArray       *b,
              guint         lo_b,
              guint         hi_b,
              KeyEqualFunc  equal,
              GArray       *steps)
{
  guint n = hi_a - lo_a, m = hi_b - lo_b;
  g_autofree guint8 *from = NULL;
  g_autofree guint *prev = NULL, *cur = NULL;
  g_autoptr(GArray) reversed = NULL;
  guint i, j;

  if ((guint64) (n + 1) * (m + 1) > ALIGN_MAX_CELLS)
    {
      for (i = 0; i < MAX (n, m); i++)
        push_step (steps, i < n ? lo_a + i : TL_COMPARE_NO_RECORD,
                   i < m ? lo_b + i : TL_COMPARE_NO_RECORD);
      return;
    }

  from = g_new (guint8, (gsize) (n + 1) * (m + 1));
  prev = g_new (guint, m + 1);
  cur = g_new (guint, m + 1);
  for (j = 0; j <= m; j++)
    {
      prev[j] = j;
      from[j] = FROM_LEFT;
    }
  for (i = 1; i <= n; i++)
    {
      cur[0] = i;
      from[(gsize) i * (m + 1)] = FROM_UP;
      for (j = 1; j <= m; j++)
        {
          guint diag = prev[j - 1] + (equal (a, lo_a + i - 1, b, lo_b + j - 1) ? 0 : 1);
          guint up = prev[j] + 1, left = cur[j - 1] + 1;
          guint8 f = FROM_DIAG;
          guint best = diag;

          if (up < best)
            best = up, f = FROM_UP;
          if (left < best)
            best = left, f = FROM_LEFT;
          cur[j] = best;
          from[(gsize) i * (m + 1) + j] = f;
        }
      memcpy (prev, cur, (m + 1) * sizeof (guint));
    }

  reversed = g_array_new (FALSE, FALSE, sizeof (Step));
  for (i = n, j = m; i > 0 || j > 0;)
    {
      guint8 f = from[(gsize) i * (m + 1) + j];
      if (i > 0 && j > 0 && f == FROM_DIAG)
        push_step (reversed, lo_a + --i, lo_b + --j);
      else if (i > 0 && (j == 0 || f == FROM_UP))
        push_step (reversed, lo_a + --i, TL_COMPARE_NO_RECORD);
      else
        push_step (reversed, TL_COMPARE_NO_RECORD, lo_b + --j);
    }
  for (guint k = reversed->len; k > 0; k--)
    g_array_append_val (steps, g_array_index (reversed, Step, k - 1));
}

static GArray *
align (GArray       *a,
       GArray       *b,
       KeyEqualFunc  equal)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (Step));
  guint head = 0, tail = 0;

  while (head < a->len && head < b->len && equal (a, head, b, head))
    head++;
  while (tail < a->len - head && tail < b->len - head
         && equal (a, a->len - 1 - tail, b, b->len - 1 - tail))
    tail++;
  for (guint k = 0; k < head; k++)
    push_step (steps, k, k);
  align_middle (a, head, a->len - tail, b, head, b->len - tail, equal, steps);
  for (guint k = tail; k > 0; k--)
    push_step (steps, a->len - k, b->len - k);
  return steps;
}

static gboolean
segment_keys_equal (GArray *a, guint i, GArray *b, guint j)
{
  const SegView *x = &g_array_index (a, SegView, i), *y = &g_array_index (b, SegView, j);

  return x->flags == y->flags && x->seq == y->seq && x->len == y->len
         && (!(x->flags & TL_TCP_ACK) || x->ack == y->ack);
}

static gboolean
state_keys_equal (GArray *a, guint i, GArray *b, guint j)
{
  return g_array_index (a, StateView, i).state == g_array_index (b, StateView, j).state;
}

/* ---- comparing pairs --------------------------------------------------- */

typedef struct
{
  TlCompareItem    item;
  guint            host;
  guint            index_a, index_b;
  const SegView   *seg_a, *seg_b;
  const StateView *state_a, *state_b;
} PendingPair;

static TlTime
pending_time (const PendingPair *p)
{
  if (p->item == TL_COMPARE_SEGMENT)
    return p->seg_a != NULL ? p->seg_a->time : p->seg_b->time;
  return p->state_a != NULL ? p->state_a->time : p->state_b->time;
}

static gint
compare_pending (gconstpointer x,
                 gconstpointer y)
{
  const PendingPair *p = x, *q = y;
  TlTime tp = pending_time (p), tq = pending_time (q);

  if (tp != tq)
    return tp < tq ? -1 : 1;
  if (p->item != q->item)
    return p->item < q->item ? -1 : 1;
  if (p->host != q->host)
    return p->host < q->host ? -1 : 1;
  /* Within one list, alignment order; A's side first. */
  if (p->index_a != q->index_a)
    return p->index_a < q->index_a ? -1 : 1;
  return p->index_b < q->index_b ? -1 : p->index_b > q->index_b;
}

static void
describe_segment (const SegView *s,
                  GString       *out)
{
  tl_tcp_flags_format (s->flags, out);
  g_string_append_printf (out, " seq %u", s->seq);
  if (s->flags & TL_TCP_ACK)
    g_string_append_printf (out, " ack %u", s->ack);
  g_string_append_printf (out, " len %u win %u", s->len, s->window);
  if (s->opts.present)
    {
      g_string_append (out, " <");
      tl_tcp_options_format (&s->opts, out);
      g_string_append_c (out, '>');
    }
}

static char *
format_time (TlTime t)
{
  GString *s = g_string_new (NULL);
  tl_time_format_seconds (t, s);
  g_string_append (s, " s");
  return g_string_free (s, FALSE);
}

static char *
format_sack (const TlTcpOptions *opts)
{
  GString *s;

  if (!(opts->present & TL_OPT_SACK) || opts->n_sack == 0)
    return g_strdup ("none");
  s = g_string_new (NULL);
  for (guint b = 0; b < opts->n_sack && b < TL_MAX_SACK_BLOCKS; b++)
    g_string_append_printf (s, "{%u:%u}", opts->sack[b].left, opts->sack[b].right);
  return g_string_free (s, FALSE);
}

static char *
format_option_value (const TlTcpOptions *o,
                     guint8              bit)
{
  if (!(o->present & bit))
    return g_strdup ("absent");
  if (bit == TL_OPT_MSS)
    return g_strdup_printf ("%u", o->mss);
  if (bit == TL_OPT_WSCALE)
    return g_strdup_printf ("%u", o->wscale);
  return g_strdup ("present");
}

typedef struct
{
  TlCompareResult *result;
  TlComparePair   *pair;
  const PendingPair *pending;
} PairContext;

static void
add_mismatch (PairContext    *ctx,
              TlMismatchKind  kind,
              const char     *field,
              char           *expected,
              char           *got,
              TlTime          time_error)
{
  TlMismatch m = { 0 };

  m.kind = kind;
  m.item = ctx->pair->item;
  m.host = ctx->pair->host;
  m.index_a = ctx->pending->index_a;
  m.index_b = ctx->pending->index_b;
  m.record_a = ctx->pair->record_a;
  m.record_b = ctx->pair->record_b;
  m.field = field;
  m.expected = expected;
  m.got = got;
  m.time_error = time_error;
  g_array_append_val (ctx->result->mismatches, m);
  ctx->pair->equal = FALSE;
}

static void
check_number (PairContext *ctx,
              const char  *field,
              guint32      a,
              guint32      b)
{
  if (a != b)
    add_mismatch (ctx, TL_MISMATCH_FIELD, field, g_strdup_printf ("%u", a),
                  g_strdup_printf ("%u", b), 0);
}

static void
check_time (PairContext *ctx,
            TlTime       a,
            TlTime       b)
{
  TlCompareResult *r = ctx->result;
  TlTime dt = b - a, magnitude = dt < 0 ? -dt : dt;

  if (magnitude > r->max_time_error
      || r->max_time_error_record_a == TL_COMPARE_NO_RECORD)
    {
      r->max_time_error = magnitude;
      r->max_time_error_record_a = ctx->pair->record_a;
      r->max_time_error_record_b = ctx->pair->record_b;
    }
  if (r->options.compare_times && magnitude > tl_compare_tolerance_at (&r->options, a))
    add_mismatch (ctx, TL_MISMATCH_FIELD, "time", format_time (a), format_time (b), dt);
}

static void
check_option (PairContext        *ctx,
              const char         *field,
              const TlTcpOptions *a,
              const TlTcpOptions *b,
              guint8              bit)
{
  gboolean differ = (a->present & bit) != (b->present & bit);

  if (!differ && (a->present & bit))
    differ = (bit == TL_OPT_MSS && a->mss != b->mss)
             || (bit == TL_OPT_WSCALE && a->wscale != b->wscale);
  if (differ)
    add_mismatch (ctx, TL_MISMATCH_FIELD, field, format_option_value (a, bit),
                  format_option_value (b, bit), 0);
}

static void
check_segments (PairContext   *ctx,
                const SegView *a,
                const SegView *b)
{
  g_autofree char *sack_a = format_sack (&a->opts);
  g_autofree char *sack_b = format_sack (&b->opts);

  if (a->flags != b->flags)
    {
      GString *fa = g_string_new (NULL), *fb = g_string_new (NULL);
      tl_tcp_flags_format (a->flags, fa);
      tl_tcp_flags_format (b->flags, fb);
      add_mismatch (ctx, TL_MISMATCH_FIELD, "flags", g_string_free (fa, FALSE),
                    g_string_free (fb, FALSE), 0);
    }
  check_number (ctx, "seq", a->seq, b->seq);
  /* The ack field means nothing without the ACK flag. */
  if ((a->flags & TL_TCP_ACK) && (b->flags & TL_TCP_ACK))
    check_number (ctx, "ack", a->ack, b->ack);
  check_number (ctx, "len", a->len, b->len);
  /* A SYN's window is unscaled and deterministic; later windows depend on
   * buffer autotuning, so they are only compared on request. */
  if ((a->flags & TL_TCP_SYN) || ctx->result->options.compare_windows)
    check_number (ctx, "window", a->window, b->window);
  check_option (ctx, "mss", &a->opts, &b->opts, TL_OPT_MSS);
  check_option (ctx, "wscale", &a->opts, &b->opts, TL_OPT_WSCALE);
  check_option (ctx, "sackOK", &a->opts, &b->opts, TL_OPT_SACK_PERM);
  check_option (ctx, "TS", &a->opts, &b->opts, TL_OPT_TS);
  if (strcmp (sack_a, sack_b) != 0)
    add_mismatch (ctx, TL_MISMATCH_FIELD, "sack", g_steal_pointer (&sack_a),
                  g_steal_pointer (&sack_b), 0);
  check_time (ctx, a->time, b->time);
}

static void
check_states (PairContext     *ctx,
              const StateView *a,
              const StateView *b)
{
  if (a->state != b->state)
    add_mismatch (ctx, TL_MISMATCH_FIELD, "state",
                  g_strdup (tl_tcp_state_to_string (a->state)),
                  g_strdup (tl_tcp_state_to_string (b->state)), 0);
  check_time (ctx, a->time, b->time);
}

static char *
describe_pending (const PendingPair *p)
{
  GString *s = g_string_new (NULL);

  if (p->item == TL_COMPARE_SEGMENT)
    describe_segment (p->seg_a != NULL ? p->seg_a : p->seg_b, s);
  else
    g_string_append (s, tl_tcp_state_to_string ((p->state_a != NULL ? p->state_a
                                                 : p->state_b)->state));
  return g_string_free (s, FALSE);
}

static void
set_status (guint8 *status,
            guint   n,
            guint   record,
            guint8  value)
{
  if (record != TL_COMPARE_NO_RECORD && record < n)
    status[record] = value;
}

static void
resolve_pair (TlCompareResult   *result,
              const PendingPair *p)
{
  TlComparePair pair = { 0 };
  PairContext ctx = { result, &pair, p };
  gboolean is_segment = p->item == TL_COMPARE_SEGMENT;
  gboolean in_a = is_segment ? p->seg_a != NULL : p->state_a != NULL;
  gboolean in_b = is_segment ? p->seg_b != NULL : p->state_b != NULL;
  guint8 status;

  pair.item = p->item;
  pair.host = p->host;
  pair.record_a = !in_a ? TL_COMPARE_NO_RECORD : is_segment ? p->seg_a->record : p->state_a->record;
  pair.record_b = !in_b ? TL_COMPARE_NO_RECORD : is_segment ? p->seg_b->record : p->state_b->record;
  pair.time_a = !in_a ? 0 : is_segment ? p->seg_a->time : p->state_a->time;
  pair.time_b = !in_b ? 0 : is_segment ? p->seg_b->time : p->state_b->time;
  pair.equal = TRUE;
  pair.description = describe_pending (p);
  pair.first_mismatch = result->mismatches->len;

  if (in_a && in_b)
    {
      if (is_segment)
        check_segments (&ctx, p->seg_a, p->seg_b);
      else
        check_states (&ctx, p->state_a, p->state_b);
    }
  else
    add_mismatch (&ctx, in_a ? TL_MISMATCH_MISSING : TL_MISMATCH_EXTRA,
                  is_segment ? "segment" : "state",
                  in_a ? g_strdup (pair.description) : NULL,
                  in_b ? g_strdup (pair.description) : NULL, 0);

  pair.n_mismatches = result->mismatches->len - pair.first_mismatch;
  if (is_segment)
    {
      result->segments_total++;
      result->segments_matched += pair.equal ? 1 : 0;
    }
  else
    {
      result->states_total++;
      result->states_matched += pair.equal ? 1 : 0;
    }
  status = pair.equal ? TL_COMPARE_STATUS_MATCH
           : in_a && in_b ? TL_COMPARE_STATUS_DIFFERS : TL_COMPARE_STATUS_UNPAIRED;
  set_status (result->status_a, result->n_records_a, pair.record_a, status);
  set_status (result->status_b, result->n_records_b, pair.record_b, status);
  g_array_append_val (result->pairs, pair);
}

static void
queue_alignment (GArray       *pending,
                 TlCompareItem item,
                 guint         host,
                 GArray       *list_a,
                 GArray       *list_b)
{
  g_autoptr(GArray) steps = align (list_a, list_b, item == TL_COMPARE_SEGMENT
                                   ? segment_keys_equal : state_keys_equal);

  for (guint k = 0; k < steps->len; k++)
    {
      const Step *s = &g_array_index (steps, Step, k);
      PendingPair p = { 0 };

      p.item = item;
      p.host = host;
      p.index_a = s->i;
      p.index_b = s->j;
      if (item == TL_COMPARE_SEGMENT)
        {
          p.seg_a = s->i != TL_COMPARE_NO_RECORD ? &g_array_index (list_a, SegView, s->i) : NULL;
          p.seg_b = s->j != TL_COMPARE_NO_RECORD ? &g_array_index (list_b, SegView, s->j) : NULL;
        }
      else
        {
          p.state_a = s->i != TL_COMPARE_NO_RECORD ? &g_array_index (list_a, StateView, s->i) : NULL;
          p.state_b = s->j != TL_COMPARE_NO_RECORD ? &g_array_index (list_b, StateView, s->j) : NULL;
        }
      g_array_append_val (pending, p);
    }
}

static void
clear_pair (gpointer data)
{
  g_free (((TlComparePair *) data)->description);
}

static void
clear_mismatch (gpointer data)
{
  TlMismatch *m = data;
  g_free (m->expected);
  g_free (m->got);
}

TlCompareResult *
tl_compare_traces (const TlTrace          *a,
                   const TlTrace          *b,
                   const TlCompareOptions *options)
{
  TlCompareResult *result = g_new0 (TlCompareResult, 1);
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (PendingPair));
  View va = { a, { 0, 1 } }, vb = { b, { 0, 1 } };
  TlCompareAlign align_mode;

  if (options != NULL)
    result->options = *options;
  else
    tl_compare_options_init (&result->options);
  result->pairs = g_array_new (FALSE, FALSE, sizeof (TlComparePair));
  g_array_set_clear_func (result->pairs, clear_pair);
  result->mismatches = g_array_new (FALSE, FALSE, sizeof (TlMismatch));
  g_array_set_clear_func (result->mismatches, clear_mismatch);
  result->n_records_a = tl_trace_get_n_records (a);
  result->n_records_b = tl_trace_get_n_records (b);
  result->status_a = g_new0 (guint8, result->n_records_a + 1);
  result->status_b = g_new0 (guint8, result->n_records_b + 1);
  result->max_time_error_record_a = TL_COMPARE_NO_RECORD;
  result->max_time_error_record_b = TL_COMPARE_NO_RECORD;

  result->hosts_swapped = hosts_swapped (a, b);
  if (result->hosts_swapped)
    {
      vb.map[0] = 1;
      vb.map[1] = 0;
    }
  align_mode = result->options.align;
  if (align_mode == TL_COMPARE_ALIGN_AUTO)
    align_mode = a->source == TL_TRACE_PCAP || b->source == TL_TRACE_PCAP
                 ? TL_COMPARE_ALIGN_FIRST_SEGMENT : TL_COMPARE_ALIGN_ZERO;
  if (align_mode == TL_COMPARE_ALIGN_FIRST_SEGMENT)
    {
      va.origin = first_send_time (a);
      vb.origin = first_send_time (b);
    }
  result->align = align_mode;
  result->origin_a = va.origin;
  result->origin_b = vb.origin;
  /* A capture stops once nothing is left to happen but timers (TIME-WAIT
   * expiry, say); what the other trace shows after that is not compared. */
  va.until = vb.until = TL_TIME_NEVER;
  if (a->source == TL_TRACE_CAPTURE)
    va.until = vb.until = MIN (va.until, a->end_time - va.origin);
  if (b->source == TL_TRACE_CAPTURE)
    va.until = vb.until = MIN (va.until, b->end_time - vb.origin);

  build_views (&va);
  build_views (&vb);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    queue_alignment (pending, TL_COMPARE_SEGMENT, h, va.segments[h], vb.segments[h]);
  if (result->options.compare_states)
    for (guint h = 0; h < TL_MAX_HOSTS; h++)
      {
        if (va.inferred || vb.inferred)
          {
            drop_unobservable_states (va.states[h]);
            drop_unobservable_states (vb.states[h]);
          }
        queue_alignment (pending, TL_COMPARE_STATE, h, va.states[h], vb.states[h]);
      }

  g_array_sort (pending, compare_pending);
  for (guint k = 0; k < pending->len; k++)
    resolve_pair (result, &g_array_index (pending, PendingPair, k));

  view_clear (&va);
  view_clear (&vb);
  return result;
}

void
tl_compare_result_free (TlCompareResult *result)
{
  if (result == NULL)
    return;
  g_array_unref (result->pairs);
  g_array_unref (result->mismatches);
  g_free (result->status_a);
  g_free (result->status_b);
  g_free (result);
}

gboolean
tl_compare_result_is_match (const TlCompareResult *result)
{
  return result->mismatches->len == 0;
}

TlCompareStatus
tl_compare_result_get_status (const TlCompareResult *result,
                              guint                  side,
                              guint                  record)
{
  if (side == 0 && record < result->n_records_a)
    return (TlCompareStatus) result->status_a[record];
  if (side == 1 && record < result->n_records_b)
    return (TlCompareStatus) result->status_b[record];
  return TL_COMPARE_STATUS_NOT_COMPARED;
}

/* ---- output ------------------------------------------------------------ */

static void
append_label (GString             *out,
              const TlTrace       *a,
              const TlComparePair *pair)
{
  if (pair->item == TL_COMPARE_SEGMENT)
    g_string_append_printf (out, "%s->%s", tl_trace_host_name (a, pair->host),
                            tl_trace_host_name (a, 1 - pair->host));
  else
    g_string_append_printf (out, "%s state", tl_trace_host_name (a, pair->host));
}

static void
append_pair_time (GString *out,
                  gboolean present,
                  TlTime   t)
{
  if (present)
    {
      GString *s = g_string_new (NULL);
      tl_time_format_seconds (t, s);
      g_string_append_printf (out, "%12s", s->str);
      g_string_free (s, TRUE);
    }
  else
    g_string_append_printf (out, "%12s", "-");
}

static const char *
trace_source_name (const TlTrace *t)
{
  switch (t->source)
    {
    case TL_TRACE_SIMULATION: return "simulation";
    case TL_TRACE_CAPTURE: return "capture";
    case TL_TRACE_PCAP: return "pcap";
    default: return "?";
    }
}

void
tl_compare_result_format (const TlCompareResult *result,
                          const TlTrace         *a,
                          const TlTrace         *b,
                          gboolean               all,
                          GString               *out)
{
  g_autofree char *tolerance = tl_time_format (result->options.tolerance, 3);
  g_autofree char *largest = tl_time_format (result->max_time_error, 3);

  g_string_append_printf (out, "A: %s (%s)\nB: %s (%s)\n",
                          a->title ? a->title : "(untitled)", trace_source_name (a),
                          b->title ? b->title : "(untitled)", trace_source_name (b));
  if (result->hosts_swapped)
    g_string_append (out, "B's hosts are in the other order; matched by address\n");
  g_string_append_printf (out, "%-2s%-14s%12s%12s  %s\n", "", "", "time in A", "time in B",
                          "segment or state (sequence numbers relative to each ISN)");

  for (guint k = 0; k < result->pairs->len; k++)
    {
      const TlComparePair *pair = &g_array_index (result->pairs, TlComparePair, k);
      gboolean in_a = pair->record_a != TL_COMPARE_NO_RECORD;
      gboolean in_b = pair->record_b != TL_COMPARE_NO_RECORD;
      GString *label = g_string_new (NULL);
      const char *mark = pair->equal ? " " : !in_b ? "-" : !in_a ? "+" : "!";

      if (pair->equal && !all)
        {
          g_string_free (label, TRUE);
          continue;
        }
      append_label (label, a, pair);
      g_string_append_printf (out, "%-2s%-14s", mark, label->str);
      append_pair_time (out, in_a, pair->time_a);
      append_pair_time (out, in_b, pair->time_b);
      g_string_append_printf (out, "  %s%s\n", pair->description,
                              !in_b ? "  (only in A)" : !in_a ? "  (only in B)" : "");
      for (guint i = pair->first_mismatch;
           i < pair->first_mismatch + pair->n_mismatches && in_a && in_b; i++)
        {
          const TlMismatch *mm = &g_array_index (result->mismatches, TlMismatch, i);
          g_string_append_printf (out, "      %s: expected %s, got %s", mm->field,
                                  mm->expected, mm->got);
          if (strcmp (mm->field, "time") == 0)
            {
              g_autofree char *err = tl_time_format (mm->time_error, 3);
              g_autofree char *tol = tl_time_format (
                tl_compare_tolerance_at (&result->options, pair->time_a), 3);
              g_string_append_printf (out, " (off by %s, tolerance %s)", err, tol);
            }
          g_string_append_c (out, '\n');
        }
      g_string_free (label, TRUE);
    }

  g_string_append_printf (out,
                          "segments: %u of %u match; states: %u of %u match; "
                          "largest timing error %s (tolerance max(%s, %g%% of t), "
                          "t from %s)\n",
                          result->segments_matched, result->segments_total,
                          result->states_matched, result->states_total, largest,
                          tolerance, result->options.tolerance_ppm / 10000.0,
                          result->align == TL_COMPARE_ALIGN_FIRST_SEGMENT
                          ? "each trace's first segment" : "time 0");
  g_string_append_printf (out, "%s\n", tl_compare_result_is_match (result)
                          ? "MATCH" : "MISMATCH");
}

static const char *
mismatch_kind_name (TlMismatchKind kind)
{
  switch (kind)
    {
    case TL_MISMATCH_FIELD: return "field";
    case TL_MISMATCH_MISSING: return "missing";
    case TL_MISMATCH_EXTRA: return "extra";
    default: return "?";
    }
}

static void
append_index (GString    *out,
              const char *key,
              guint       value)
{
  if (value == TL_COMPARE_NO_RECORD)
    g_string_append_printf (out, ", \"%s\": null", key);
  else
    g_string_append_printf (out, ", \"%s\": %u", key, value);
}

char *
tl_compare_result_to_json (const TlCompareResult *result)
{
  GString *out = g_string_new ("{\n");

  g_string_append_printf (out, "  \"format\": \"tcpladder-compare\",\n  \"version\": 1,\n");
  g_string_append_printf (out, "  \"match\": %s,\n",
                          tl_compare_result_is_match (result) ? "true" : "false");
  g_string_append_printf (out, "  \"tolerance_ns\": %" G_GINT64_FORMAT ",\n"
                          "  \"tolerance_ppm\": %u,\n",
                          result->options.tolerance, result->options.tolerance_ppm);
  g_string_append_printf (out, "  \"align\": \"%s\",\n",
                          tl_compare_align_to_string (result->align));
  g_string_append_printf (out, "  \"hosts_swapped\": %s,\n",
                          result->hosts_swapped ? "true" : "false");
  g_string_append_printf (out, "  \"origin_a_ns\": %" G_GINT64_FORMAT ",\n"
                          "  \"origin_b_ns\": %" G_GINT64_FORMAT ",\n",
                          result->origin_a, result->origin_b);
  g_string_append_printf (out, "  \"summary\": {\"segments_matched\": %u, \"segments_total\": %u, "
                          "\"states_matched\": %u, \"states_total\": %u, "
                          "\"max_time_error_ns\": %" G_GINT64_FORMAT "},\n",
                          result->segments_matched, result->segments_total,
                          result->states_matched, result->states_total,
                          result->max_time_error);
  g_string_append (out, "  \"mismatches\": [");
  for (guint i = 0; i < result->mismatches->len; i++)
    {
      const TlMismatch *m = &g_array_index (result->mismatches, TlMismatch, i);

      g_string_append (out, i > 0 ? ",\n    {" : "\n    {");
      g_string_append_printf (out, "\"item\": \"%s\", \"kind\": \"%s\", \"host\": %u",
                              m->item == TL_COMPARE_SEGMENT ? "segment" : "state",
                              mismatch_kind_name (m->kind), m->host);
      append_index (out, "index_a", m->index_a);
      append_index (out, "index_b", m->index_b);
      append_index (out, "record_a", m->record_a);
      append_index (out, "record_b", m->record_b);
      g_string_append (out, ", \"field\": ");
      tl_io_append_json_string (out, m->field);
      g_string_append (out, ", \"expected\": ");
      tl_io_append_json_string (out, m->expected);
      g_string_append (out, ", \"got\": ");
      tl_io_append_json_string (out, m->got);
      g_string_append_printf (out, ", \"time_error_ns\": %" G_GINT64_FORMAT "}", m->time_error);
    }
  g_string_append (out, result->mismatches->len > 0 ? "\n  ]\n}\n" : "]\n}\n");
  return g_string_free (out, FALSE);
}

/* tl-text-ladder.c: the RFC 9293 figure style ladder, as text. */
#include "tl-text-ladder.h"
#include "tl-render-model-private.h"

#include <errno.h>
#include <string.h>

#define NO_STATE   (-1)
#define NO_HOST    0xff

typedef enum
{
  ROW_ARROW,    /* PREFIX BODY ....... SUFFIX */
  ROW_LEFT,     /* text on A's side */
  ROW_RIGHT,    /* text on B's side */
  ROW_CENTER,   /* the router */
  ROW_EMPTY,    /* only states */
} RowLayout;

typedef struct
{
  TlTime      time;
  RowLayout   kind;
  guint8      host;           /* acting host, NO_HOST for the router */
  int         state[TL_MAX_HOSTS];
  const char *prefix;
  const char *suffix;
  char       *body;
} Row;

typedef struct
{
  const char *arrow_right;
  const char *arrow_left;
  const char *dots;
  const char *drop_right;
  const char *drop_left;
  const char *to;
  const char *rule;
} Glyphs;

static const Glyphs unicode_glyphs = {
  "\342\224\200\342\224\200\342\226\266",   /* ──▶ */
  "\342\227\200\342\224\200\342\224\200",   /* ◀── */
  "\302\267\302\267\302\267",               /* ··· */
  "\342\224\200\342\224\200\342\234\225",   /* ──✕ */
  "\342\234\225\342\224\200\342\224\200",   /* ✕── */
  "\342\206\222",                           /* → */
  "\342\224\200\342\224\200",               /* ── */
};

static const Glyphs ascii_glyphs = {
  "-->", "<--", "...", "--x", "x--", "->", "--",
};

static glong
display_width (const char *text)
{
  return g_utf8_strlen (text, -1);
}

static void
pad (GString *out,
     glong    n)
{
  for (glong i = 0; i < n; i++)
    g_string_append_c (out, ' ');
}

static Row *
add_row (GArray *rows,
         TlTime  time,
         RowLayout kind,
         guint8  host)
{
  Row row = { 0 };

  row.time = time;
  row.kind = kind;
  row.host = host;
  row.state[0] = row.state[1] = NO_STATE;
  g_array_append_val (rows, row);
  return &g_array_index (rows, Row, rows->len - 1);
}

/* <SEQ=100><ACK=301><CTL=SYN,ACK><LEN=5> and the extras. */
static char *
segment_text (const TlRenderModel   *model,
              const TlRenderPacket  *packet,
              const TlRenderOptions *o)
{
  const TlSegment *seg = tl_render_model_segment (model, packet);
  GString *s = g_string_new (NULL);

  if (seg == NULL)
    return g_string_free (s, FALSE);
  if (o->labels == TL_LABELS_FULL)
    {
      g_string_append_printf (s, "<SEQ=%u>", tl_render_model_seq (model, packet->sender, seg->seq,
                                                                 o->seq_mode));
      if (seg->flags & TL_TCP_ACK)
        g_string_append_printf (s, "<ACK=%u>", tl_render_model_ack (model, packet->sender, seg->ack,
                                                                   o->seq_mode));
    }
  g_string_append (s, "<CTL=");
  tl_tcp_flags_format (seg->flags, s);
  g_string_append_c (s, '>');
  if (o->labels == TL_LABELS_FULL && seg->len > 0)
    g_string_append_printf (s, "<LEN=%u>", seg->len);
  if (o->show_options && seg->opts.present != 0)
    {
      g_string_append (s, " {");
      tl_tcp_options_format (&seg->opts, s);
      g_string_append_c (s, '}');
    }
  if (packet->retransmit > 0)
    g_string_append_printf (s, " #%u", packet->retransmit);
  return g_string_free (s, FALSE);
}

static const char *
timer_text (TlTimerKind timer)
{
  switch (timer)
    {
    case TL_TIMER_RETRANSMIT: return "retransmission timeout";
    case TL_TIMER_DELAYED_ACK: return "delayed ACK timer";
    case TL_TIMER_TIME_WAIT: return "TIME-WAIT timer expired";
    case TL_TIMER_PERSIST: return "persist timer";
    case TL_TIMER_USER: return "connect gave up";
    case TL_TIMER_NONE:
    case TL_N_TIMERS:
    default: return "timer";
    }
}

static char *
call_text (const TlTraceRecord *rec,
           const Glyphs        *g)
{
  GString *s = g_string_new (tl_call_to_string ((TlCallKind) rec->call));

  /* An error the connection met by itself (a reset), no call's. */
  if (rec->call == TL_CALL_NONE)
    {
      g_string_printf (s, "error %s %s", g->to, tl_errno_to_string (rec->error));
      return g_string_free (s, FALSE);
    }
  if (rec->call == TL_CALL_SHUTDOWN)
    g_string_append (s, rec->arg == 0 ? "(SHUT_RD)" : rec->arg == 1 ? "(SHUT_WR)" : "(SHUT_RDWR)");
  else if (rec->call == TL_CALL_SEND)
    g_string_append_printf (s, "(%" G_GINT64_FORMAT " bytes)", rec->arg);
  else if (rec->call == TL_CALL_READ && rec->arg < 0)
    g_string_append (s, rec->arg == TL_READ_ARG_OFF ? "(off)" : "(on)");
  else if (rec->call == TL_CALL_READ && rec->kind == TL_REC_CALL && rec->error == 0)
    g_string_append_printf (s, "() = %" G_GINT64_FORMAT " bytes", rec->arg);
  else
    g_string_append (s, "()");
  if (rec->kind == TL_REC_CALL_RESULT || (rec->error != 0 && rec->error != EINPROGRESS))
    g_string_append_printf (s, " %s %s", g->to, tl_errno_to_string (rec->error));
  return g_string_free (s, FALSE);
}

static const TlRenderPacket *
find_packet (const TlRenderModel *model,
             GHashTable          *by_id,
             guint32              id)
{
  gpointer slot = g_hash_table_lookup (by_id, GUINT_TO_POINTER (id));

  if (slot == NULL)
    return NULL;
  return &g_array_index (model->packets, TlRenderPacket, GPOINTER_TO_UINT (slot) - 1);
}

static void
packet_row (GArray                *rows,
            const TlTrace         *trace,
            const TlRenderModel   *model,
            const TlRenderPacket  *p,
            const TlTraceRecord   *rec,
            const TlRenderOptions *o,
            const Glyphs          *g,
            const int             *current)
{
  gboolean rightward = p->sender == TL_HOST_A;
  char *body = segment_text (model, p, o);
  Row *row;

  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEND:
      row = add_row (rows, rec->time, ROW_ARROW, p->sender);
      row->prefix = rightward ? g->arrow_right : g->dots;
      row->suffix = rightward ? g->dots : g->arrow_left;
      row->state[p->sender] = current[p->sender];
      break;
    case TL_REC_DELIVER:
      row = add_row (rows, rec->time, ROW_ARROW, p->receiver);
      row->prefix = rightward ? g->dots : g->arrow_left;
      row->suffix = rightward ? g->arrow_right : g->dots;
      row->state[p->receiver] = current[p->receiver];
      break;
    case TL_REC_HOLD:
    case TL_REC_RELEASE:
      row = add_row (rows, rec->time, ROW_ARROW, NO_HOST);
      row->prefix = row->suffix = g->dots;
      {
        char *more = g_strdup_printf ("%s %s by router (%s %s %s)", body,
                                      rec->kind == TL_REC_HOLD ? "held" : "released",
                                      tl_trace_host_name (trace, p->sender), g->to,
                                      tl_trace_host_name (trace, p->receiver));
        g_free (body);
        body = more;
      }
      break;
    case TL_REC_DROP:
      row = add_row (rows, rec->time, ROW_ARROW, NO_HOST);
      {
        gboolean in_flight = rec->drop_reason == TL_DROP_END;
        char *more = in_flight
                     ? g_strdup_printf ("%s still in flight at the end", body)
                     : g_strdup_printf ("%s dropped%s (%s)", body,
                                        rec->host == TL_HOST_ROUTER ? " by router" : "",
                                        tl_drop_reason_to_string ((TlDropReason) rec->drop_reason));
        g_free (body);
        body = more;
        row->prefix = rightward || in_flight ? g->dots : g->drop_left;
        row->suffix = !rightward || in_flight ? g->dots : g->drop_right;
      }
      break;
    case TL_REC_ROUTER_IN:
    case TL_REC_CALL:
    case TL_REC_CALL_RESULT:
    case TL_REC_STATE:
    case TL_REC_TIMER:
    case TL_REC_PAUSE:
    case TL_REC_RESUME:
    case TL_N_RECORD_KINDS:
    default:
      g_free (body);
      return;
    }
  row->body = body;
}

static void
side_row (GArray     *rows,
          TlTime      time,
          guint8      host,
          char       *text,
          const int  *current)
{
  Row *row = add_row (rows, time, host == TL_HOST_A ? ROW_LEFT : ROW_RIGHT, host);

  row->body = text;
  row->state[host] = current[host];
}

/* A state change shows on the row it belongs to: the latest row at the
 * same moment that concerns the host, or a row of its own. */
static void
apply_state (GArray              *rows,
             const TlTraceRecord *rec,
             int                 *current,
             gboolean             in_range)
{
  current[rec->host] = rec->new_state == TL_STATE_NONE ? TL_STATE_CLOSED : rec->new_state;
  if (!in_range)
    return;
  for (guint i = rows->len; i > 0; i--)
    {
      Row *row = &g_array_index (rows, Row, i - 1);
      if (row->time != rec->time)
        break;
      if (row->host == rec->host)
        {
          row->state[rec->host] = current[rec->host];
          return;
        }
    }
  add_row (rows, rec->time, ROW_EMPTY, rec->host)->state[rec->host] = current[rec->host];
}

static void
build_rows (const TlTrace         *trace,
            const TlRenderModel   *model,
            const TlRenderOptions *o,
            const Glyphs          *g,
            GArray                *rows)
{
  g_autoptr (GHashTable) by_id = g_hash_table_new (NULL, NULL);
  int current[TL_MAX_HOSTS] = { NO_STATE, NO_STATE };

  for (guint i = 0; i < model->packets->len; i++)
    g_hash_table_insert (by_id, GUINT_TO_POINTER (g_array_index (model->packets, TlRenderPacket, i).packet),
                         GUINT_TO_POINTER (i + 1));

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      gboolean in_range = rec->time >= o->time_from && rec->time <= o->time_to;

      if (rec->kind == TL_REC_STATE)
        {
          if (rec->host < TL_MAX_HOSTS)
            apply_state (rows, rec, current, in_range);
          continue;
        }
      if (!in_range)
        continue;
      switch ((TlRecordKind) rec->kind)
        {
        case TL_REC_SEND:
        case TL_REC_HOLD:
        case TL_REC_RELEASE:
        case TL_REC_DELIVER:
        case TL_REC_DROP:
          {
            const TlRenderPacket *p = find_packet (model, by_id, rec->packet);
            if (p != NULL)
              packet_row (rows, trace, model, p, rec, o, g, current);
          }
          break;
        case TL_REC_CALL:
        case TL_REC_CALL_RESULT:
          if (rec->host < TL_MAX_HOSTS)
            side_row (rows, rec->time, rec->host, call_text (rec, g), current);
          break;
        case TL_REC_TIMER:
          if (rec->host < TL_MAX_HOSTS)
            side_row (rows, rec->time, rec->host,
                      g_strdup_printf ("(%s)", timer_text ((TlTimerKind) rec->timer)), current);
          break;
        case TL_REC_PAUSE:
        case TL_REC_RESUME:
          {
            Row *row = add_row (rows, rec->time, ROW_CENTER, NO_HOST);
            row->body = g_strdup_printf ("%s router %s %s", g->rule,
                                         rec->kind == TL_REC_PAUSE ? "paused" : "resumed", g->rule);
          }
          break;
        case TL_REC_ROUTER_IN:
        case TL_REC_STATE:
        case TL_N_RECORD_KINDS:
        default:
          break;
        }
    }
}

static const char *
state_name (int state)
{
  return state == NO_STATE ? "" : tl_tcp_state_to_string ((TlTcpState) state);
}

static void
compose_middle (const Row *row,
                glong      width,
                GString   *out)
{
  glong used;

  switch (row->kind)
    {
    case ROW_ARROW:
      {
        g_autofree char *left = g_strdup_printf ("%s %s", row->prefix, row->body);
        g_string_append (out, left);
        used = display_width (left);
        pad (out, MAX (1, width - used - display_width (row->suffix)));
        g_string_append (out, row->suffix);
      }
      break;
    case ROW_LEFT:
      g_string_append (out, row->body);
      pad (out, width - display_width (row->body));
      break;
    case ROW_RIGHT:
      pad (out, width - display_width (row->body));
      g_string_append (out, row->body);
      break;
    case ROW_CENTER:
      used = display_width (row->body);
      pad (out, (width - used) / 2);
      g_string_append (out, row->body);
      pad (out, width - used - (width - used) / 2);
      break;
    case ROW_EMPTY:
    default:
      pad (out, width);
      break;
    }
}

static void
trim_trailing_spaces (GString *line)
{
  while (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
}

/* "A 10.0.0.1:40000" */
static void
host_head (const TlTrace *trace,
           guint          host,
           GString       *out)
{
  g_autoptr (GString) addr = g_string_new (NULL);

  g_string_append (out, tl_trace_host_name (trace, host));
  tl_render_host_address (trace, host, addr);
  if (addr->len > 0)
    g_string_append_printf (out, " %s", addr->str);
}

void
tl_text_ladder_render (const TlTrace         *trace,
                       const TlRenderOptions *options,
                       GString               *out)
{
  TlRenderOptions o;
  const Glyphs *g;
  TlRenderModel *model;
  g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (Row));
  g_autoptr (GString) line = g_string_new (NULL);
  g_autoptr (GString) head_a = g_string_new (NULL);
  g_autoptr (GString) head_b = g_string_new (NULL);
  glong num_w, time_w = 8, state_w = 12, mid_w = 36;

  g_return_if_fail (trace != NULL && out != NULL);
  if (options != NULL)
    o = *options;
  else
    tl_render_options_init (&o);
  if (o.labels == TL_LABELS_NONE)
    o.labels = TL_LABELS_FLAGS;
  g = o.ascii ? &ascii_glyphs : &unicode_glyphs;

  model = tl_render_model_new (trace);
  build_rows (trace, model, &o, g, rows);

  num_w = 3;
  for (guint n = rows->len; n >= 1000; n /= 10)
    num_w++;
  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      g_autoptr (GString) t = g_string_new (NULL);
      glong w = 0;

      tl_time_format_seconds (row->time, t);
      time_w = MAX (time_w, (glong) t->len);
      for (guint h = 0; h < TL_MAX_HOSTS; h++)
        state_w = MAX (state_w, display_width (state_name (row->state[h])));
      if (row->kind == ROW_ARROW)
        w = display_width (row->prefix) + 1 + display_width (row->body) + 2 + display_width (row->suffix);
      else if (row->body != NULL)
        w = display_width (row->body);
      mid_w = MAX (mid_w, w);
    }

  if (o.show_title && trace->title != NULL)
    g_string_append_printf (out, "%s\n", trace->title);
  if (o.show_title && trace->caption != NULL)
    g_string_append_printf (out, "%s\n", trace->caption);
  if (o.show_title && (trace->title != NULL || trace->caption != NULL))
    g_string_append_c (out, '\n');

  /* Column heads: the host names above their state columns. */
  host_head (trace, TL_HOST_A, head_a);
  host_head (trace, TL_HOST_B, head_b);
  g_string_truncate (line, 0);
  pad (line, num_w + 2);
  g_string_append (line, "time (s)");
  pad (line, time_w - 8 + 2);
  g_string_append (line, head_a->str);
  pad (line, MAX (2, state_w + 2 + mid_w + 2 - display_width (head_a->str)));
  g_string_append (line, head_b->str);
  g_string_append_printf (out, "%s\n", line->str);

  for (guint i = 0; i < rows->len; i++)
    {
      const Row *row = &g_array_index (rows, Row, i);
      g_autoptr (GString) t = g_string_new (NULL);
      g_autofree char *num = g_strdup_printf ("%u.", i + 1);

      tl_time_format_seconds (row->time, t);
      g_string_truncate (line, 0);
      pad (line, num_w + 1 - (glong) strlen (num));
      g_string_append (line, num);
      g_string_append_c (line, ' ');
      pad (line, time_w - (glong) t->len);
      g_string_append (line, t->str);
      g_string_append (line, "  ");
      g_string_append (line, state_name (row->state[TL_HOST_A]));
      pad (line, state_w - display_width (state_name (row->state[TL_HOST_A])) + 2);
      compose_middle (row, mid_w, line);
      g_string_append (line, "  ");
      g_string_append (line, state_name (row->state[TL_HOST_B]));
      trim_trailing_spaces (line);
      g_string_append_printf (out, "%s\n", line->str);
    }
  if (trace->truncated)
    g_string_append (out, "(the run hit its event limit: the trace is truncated)\n");

  for (guint i = 0; i < rows->len; i++)
    g_free (g_array_index (rows, Row, i).body);
  tl_render_model_free (model);
}

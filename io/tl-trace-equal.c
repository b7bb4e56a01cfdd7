/* tl-trace-equal.c: field-by-field trace comparison (tests, round trips). */
#include "tl-trace-equal.h"

#include <string.h>

static gboolean
differ (GString    *why,
        const char *where,
        gint64      a,
        gint64      b)
{
  if (why != NULL)
    g_string_append_printf (why, "%s: %" G_GINT64_FORMAT " vs %" G_GINT64_FORMAT,
                            where, a, b);
  return FALSE;
}

static gboolean
differ_text (GString    *why,
             const char *where,
             const char *a,
             const char *b)
{
  if (why != NULL)
    g_string_append_printf (why, "%s: \"%s\" vs \"%s\"", where,
                            a ? a : "(null)", b ? b : "(null)");
  return FALSE;
}

#define SAME(what, x, y)                                                 \
  G_STMT_START {                                                         \
    if ((gint64) (x) != (gint64) (y))                                    \
      {                                                                  \
        g_autofree char *w_ = g_strdup_printf ("%s%s", prefix, what);   \
        return differ (why, w_, (gint64) (x), (gint64) (y));            \
      }                                                                  \
  } G_STMT_END

static gboolean
options_equal (const TlTcpOptions *a,
               const TlTcpOptions *b,
               const char         *prefix,
               GString            *why)
{
  SAME ("opts.present", a->present, b->present);
  SAME ("opts.layout", a->layout, b->layout);
  SAME ("opts.wscale", a->wscale, b->wscale);
  SAME ("opts.mss", a->mss, b->mss);
  SAME ("opts.tsval", a->tsval, b->tsval);
  SAME ("opts.tsecr", a->tsecr, b->tsecr);
  SAME ("opts.n_sack", a->n_sack, b->n_sack);
  for (guint i = 0; i < a->n_sack && i < TL_MAX_SACK_BLOCKS; i++)
    {
      SAME ("opts.sack.left", a->sack[i].left, b->sack[i].left);
      SAME ("opts.sack.right", a->sack[i].right, b->sack[i].right);
    }
  return TRUE;
}

static gboolean
segments_equal (const TlTrace   *ta,
                const TlSegment *a,
                const TlTrace   *tb,
                const TlSegment *b,
                const char      *prefix,
                GString         *why)
{
  const guint8 *pa, *pb;

  SAME ("seg.src_addr", a->src_addr, b->src_addr);
  SAME ("seg.dst_addr", a->dst_addr, b->dst_addr);
  SAME ("seg.src_port", a->src_port, b->src_port);
  SAME ("seg.dst_port", a->dst_port, b->dst_port);
  SAME ("seg.seq", a->seq, b->seq);
  SAME ("seg.ack", a->ack, b->ack);
  SAME ("seg.flags", a->flags, b->flags);
  SAME ("seg.window", a->window, b->window);
  SAME ("seg.len", a->len, b->len);
  pa = tl_trace_get_payload (ta, a);
  pb = tl_trace_get_payload (tb, b);
  SAME ("seg.payload present", pa != NULL, pb != NULL);
  if (pa != NULL && memcmp (pa, pb, a->len) != 0)
    return differ_text (why, prefix, "payload bytes", "other payload bytes");
  return options_equal (&a->opts, &b->opts, prefix, why);
}

static gboolean
records_equal (const TlTrace       *ta,
               const TlTraceRecord *a,
               const TlTrace       *tb,
               const TlTraceRecord *b,
               const char          *prefix,
               GString             *why)
{
  SAME ("time", a->time, b->time);
  SAME ("kind", a->kind, b->kind);
  SAME ("host", a->host, b->host);
  SAME ("cause", a->cause, b->cause);
  SAME ("drop_reason", a->drop_reason, b->drop_reason);
  SAME ("cause_ref", a->cause_ref, b->cause_ref);
  SAME ("packet", a->packet, b->packet);
  SAME ("retransmit", a->retransmit, b->retransmit);
  SAME ("old_state", a->old_state, b->old_state);
  SAME ("new_state", a->new_state, b->new_state);
  SAME ("call", a->call, b->call);
  SAME ("timer", a->timer, b->timer);
  SAME ("inferred", a->inferred, b->inferred);
  SAME ("socket", a->socket, b->socket);
  SAME ("error", a->error, b->error);
  SAME ("arg", a->arg, b->arg);
  return segments_equal (ta, &a->seg, tb, &b->seg, prefix, why);
}

gboolean
tl_trace_equal (const TlTrace *a,
                const TlTrace *b,
                GString       *why)
{
  const char *prefix = "";

  SAME ("source", a->source, b->source);
  if (g_strcmp0 (a->title, b->title) != 0)
    return differ_text (why, "title", a->title, b->title);
  if (g_strcmp0 (a->caption, b->caption) != 0)
    return differ_text (why, "caption", a->caption, b->caption);
  if (g_strcmp0 (a->profile, b->profile) != 0)
    return differ_text (why, "profile", a->profile, b->profile);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      if (g_strcmp0 (a->hosts[i].name, b->hosts[i].name) != 0)
        return differ_text (why, "hosts.name", a->hosts[i].name, b->hosts[i].name);
      SAME ("hosts.addr", a->hosts[i].addr, b->hosts[i].addr);
      SAME ("hosts.port", a->hosts[i].port, b->hosts[i].port);
    }
  SAME ("has_router", a->has_router, b->has_router);
  SAME ("pauses", a->pauses->len, b->pauses->len);
  for (guint i = 0; i < a->pauses->len; i++)
    {
      SAME ("pauses.start", g_array_index (a->pauses, TlTraceWindow, i).start,
            g_array_index (b->pauses, TlTraceWindow, i).start);
      SAME ("pauses.end", g_array_index (a->pauses, TlTraceWindow, i).end,
            g_array_index (b->pauses, TlTraceWindow, i).end);
    }
  SAME ("end_time", a->end_time, b->end_time);
  SAME ("n_packets", a->n_packets, b->n_packets);
  SAME ("truncated", a->truncated, b->truncated);
  SAME ("number of records", a->records->len, b->records->len);
  for (guint i = 0; i < a->records->len; i++)
    {
      g_autofree char *where = g_strdup_printf ("records[%u].", i);
      if (!records_equal (a, tl_trace_get_record (a, i), b, tl_trace_get_record (b, i),
                          where, why))
        return FALSE;
    }
  return TRUE;
}

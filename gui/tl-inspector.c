/* tl-inspector.c: the details of one record, its causes and effects. */
#include "tl-inspector.h"

#include <stdlib.h>
#include <string.h>

/* Describing ---------------------------------------------------------- */

static void
field_free (gpointer data)
{
  TlInspectorField *field = data;

  g_free (field->name);
  g_free (field->value);
  g_free (field);
}

static void
section_free (gpointer data)
{
  TlInspectorSection *section = data;

  g_free (section->title);
  g_ptr_array_unref (section->fields);
  g_free (section);
}

static TlInspectorSection *
add_section (GPtrArray  *sections,
             const char *title)
{
  TlInspectorSection *section = g_new0 (TlInspectorSection, 1);

  section->title = g_strdup (title);
  section->fields = g_ptr_array_new_with_free_func (field_free);
  g_ptr_array_add (sections, section);
  return section;
}

/* Adds a field whose value is already markup. */
static void
add_markup (TlInspectorSection *section,
            const char         *name,
            char               *markup)   /* taken */
{
  TlInspectorField *field = g_new0 (TlInspectorField, 1);

  field->name = g_strdup (name);
  field->value = markup;
  g_ptr_array_add (section->fields, field);
}

static void add_text (TlInspectorSection *section,
                      const char         *name,
                      const char         *format,
                      ...) G_GNUC_PRINTF (3, 4);

/* Adds a field of plain text (escaped here). */
static void
add_text (TlInspectorSection *section,
          const char         *name,
          const char         *format,
          ...)
{
  va_list args;
  g_autofree char *text = NULL;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  add_markup (section, name, g_markup_escape_text (text, -1));
}

static char *
format_time (TlTime t)
{
  GString *out = g_string_new (NULL);

  tl_time_format_seconds (t, out);
  g_string_append (out, " s");
  return g_string_free (out, FALSE);
}

static char *
format_flags (guint8 flags)
{
  GString *out = g_string_new (NULL);

  tl_tcp_flags_format (flags, out);
  return g_string_free (out, FALSE);
}

static char *
format_addr (guint32 addr,
             guint16 port)
{
  return g_strdup_printf ("%u.%u.%u.%u:%u", addr >> 24, (addr >> 16) & 0xff,
                          (addr >> 8) & 0xff, addr & 0xff, port);
}

/* "<a href="record:12">packet 3 (SYN)</a>". */
static char *
link_to (guint       index,
         const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);

  return g_strdup_printf ("<a href=\"record:%u\">%s</a>", index, escaped);
}

static guint
find_packet_record (const TlTrace *trace,
                    guint32        packet,
                    TlRecordKind   kind,
                    gint           host)    /* -1: any */
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);

      if (rec->packet == packet && rec->kind == kind
          && (host < 0 || rec->host == (guint) host))
        return i;
    }
  return G_MAXUINT;
}

/* The sequence number of HOST's first SYN, to show relative numbers the
 * way tcpdump and Wireshark do. */
static gboolean
find_isn (const TlTrace *trace,
          guint          host,
          guint32       *isn)
{
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);

      if (rec->kind == TL_REC_SEND && rec->host == host
          && (rec->seg.flags & TL_TCP_SYN) != 0)
        {
          *isn = rec->seg.seq;
          return TRUE;
        }
    }
  return FALSE;
}

static char *
describe_packet_short (const TlTrace       *trace,
                       const TlTraceRecord *rec)
{
  g_autofree char *flags = format_flags (rec->seg.flags);

  return g_strdup_printf ("packet %u (%s %s → %s)", rec->packet, flags,
                          tl_trace_host_name (trace, rec->host),
                          tl_trace_host_name (trace, 1 - MIN (rec->host, 1)));
}

/* A link to the record that CAUSE and CAUSE_REF name, as seen on HOST. */
static char *
describe_cause (const TlTrace *trace,
                guint          cause,
                guint32        cause_ref,
                guint          host)
{
  switch ((TlCause) cause)
    {
    case TL_CAUSE_NONE:
      return g_strdup ("—");
    case TL_CAUSE_CALL:
      if (cause_ref < tl_trace_get_n_records (trace))
        {
          const TlTraceRecord *call = tl_trace_get_record (trace, cause_ref);
          g_autofree char *when = format_time (call->time);
          g_autofree char *text = g_strdup_printf ("%s() by %s at %s",
                                                   tl_call_to_string (call->call),
                                                   tl_trace_host_name (trace, call->host),
                                                   when);
          return link_to (cause_ref, text);
        }
      return g_strdup ("a socket call");
    case TL_CAUSE_TIMER:
      if (cause_ref < tl_trace_get_n_records (trace))
        {
          const TlTraceRecord *timer = tl_trace_get_record (trace, cause_ref);
          g_autofree char *when = format_time (timer->time);
          g_autofree char *text = g_strdup_printf ("%s timer of %s at %s",
                                                   tl_timer_to_string (timer->timer),
                                                   tl_trace_host_name (trace, timer->host),
                                                   when);
          return link_to (cause_ref, text);
        }
      return g_strdup ("a timer");
    case TL_CAUSE_SEGMENT:
    case TL_CAUSE_NO_SOCKET:
      {
        guint deliver = find_packet_record (trace, cause_ref, TL_REC_DELIVER, (gint) host);
        const char *prefix = cause == TL_CAUSE_NO_SOCKET
                             ? "no socket for " : "received ";

        if (deliver == G_MAXUINT)
          deliver = find_packet_record (trace, cause_ref, TL_REC_SEND, -1);
        if (deliver != G_MAXUINT)
          {
            const TlTraceRecord *rec = tl_trace_get_record (trace, deliver);
            g_autofree char *what = describe_packet_short (trace, rec);
            g_autofree char *link = link_to (deliver, what);
            g_autofree char *escaped = g_markup_escape_text (prefix, -1);

            return g_strconcat (escaped, link, NULL);
          }
        return g_strdup_printf ("%spacket %u", prefix, cause_ref);
      }
    default:
      return g_strdup ("unknown");
    }
}

/* Records caused by WHAT: sends and state changes with that cause. */
static void
add_effects (const TlTrace      *trace,
             TlInspectorSection *section,
             TlCause             cause,
             guint32             cause_ref,
             guint               only_host)  /* G_MAXUINT: any host */
{
  guint n = 0;

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      g_autofree char *when = NULL;
      g_autofree char *text = NULL;

      if (rec->cause != cause || rec->cause_ref != cause_ref
          || (only_host != G_MAXUINT && rec->host != only_host))
        continue;

      when = format_time (rec->time);
      if (rec->kind == TL_REC_STATE)
        text = g_strdup_printf ("%s: %s → %s at %s", tl_trace_host_name (trace, rec->host),
                                tl_tcp_state_to_string (rec->old_state),
                                tl_tcp_state_to_string (rec->new_state), when);
      else if (rec->kind == TL_REC_SEND)
        {
          g_autofree char *what = describe_packet_short (trace, rec);
          text = g_strdup_printf ("sent %s at %s", what, when);
        }
      else
        continue;
      add_markup (section, rec->kind == TL_REC_STATE ? "State" : "Reply",
                  link_to (i, text));
      n++;
    }
  if (n == 0)
    add_text (section, "Effect", "none");
}

static void
add_header (const TlTrace       *trace,
            GPtrArray           *sections,
            const TlTraceRecord *rec)
{
  const TlSegment *seg = &rec->seg;
  g_autofree char *title = g_strdup_printf ("Packet %u", rec->packet);
  TlInspectorSection *s = add_section (sections, title);
  g_autofree char *src = format_addr (seg->src_addr, seg->src_port);
  g_autofree char *dst = format_addr (seg->dst_addr, seg->dst_port);
  g_autofree char *flags = format_flags (seg->flags);
  guint sender = rec->kind == TL_REC_SEND ? rec->host : G_MAXUINT;
  guint32 isn;
  guint opt_len = tl_tcp_options_length (&seg->opts);

  /* Work out the sender from the SEND record of the same packet. */
  if (sender == G_MAXUINT)
    {
      guint send = find_packet_record (trace, rec->packet, TL_REC_SEND, -1);
      if (send != G_MAXUINT)
        sender = tl_trace_get_record (trace, send)->host;
    }

  if (sender < TL_MAX_HOSTS)
    add_text (s, "Direction", "%s → %s", tl_trace_host_name (trace, sender),
              tl_trace_host_name (trace, 1 - sender));
  add_text (s, "Source", "%s", src);
  add_text (s, "Destination", "%s", dst);
  add_text (s, "Flags", "%s", flags);
  if (sender < TL_MAX_HOSTS && find_isn (trace, sender, &isn))
    add_text (s, "Seq", "%u (relative %u)", seg->seq, seg->seq - isn);
  else
    add_text (s, "Seq", "%u", seg->seq);
  if (seg->flags & TL_TCP_ACK)
    {
      if (sender < TL_MAX_HOSTS && find_isn (trace, 1 - sender, &isn))
        add_text (s, "Ack", "%u (relative %u)", seg->ack, seg->ack - isn);
      else
        add_text (s, "Ack", "%u", seg->ack);
    }
  else
    add_text (s, "Ack", "%u (ACK flag not set)", seg->ack);
  add_text (s, "Window", "%u", seg->window);
  add_text (s, "Header", "%u bytes (%u of options)", 20 + opt_len, opt_len);
  add_text (s, "Payload", "%u bytes", seg->len);
  if (seg->len > 0)
    add_text (s, "Next seq", "%u", seg->seq + tl_segment_seq_len (seg));

  if (seg->opts.present & TL_OPT_MSS)
    add_text (s, "MSS", "%u", seg->opts.mss);
  if (seg->opts.present & TL_OPT_WSCALE)
    add_text (s, "Window scale", "%u (×%u)", seg->opts.wscale, 1u << MIN (seg->opts.wscale, 14));
  if (seg->opts.present & TL_OPT_SACK_PERM)
    add_text (s, "SACK permitted", "yes");
  if (seg->opts.present & TL_OPT_TS)
    add_text (s, "Timestamps", "val %u, ecr %u", seg->opts.tsval, seg->opts.tsecr);
  for (guint i = 0; (seg->opts.present & TL_OPT_SACK) && i < seg->opts.n_sack
                    && i < TL_MAX_SACK_BLOCKS; i++)
    add_text (s, "SACK block", "%u–%u", seg->opts.sack[i].left, seg->opts.sack[i].right);
  if (seg->opts.present != 0)
    {
      GString *all = g_string_new (NULL);

      tl_tcp_options_format (&seg->opts, all);
      add_text (s, "Options", "%s", all->str);
      g_string_free (all, TRUE);
    }
  if (rec->retransmit > 0)
    add_text (s, "Retransmission", "%u", rec->retransmit);
}

static const char *
journey_name (const TlTraceRecord *rec)
{
  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEND:      return "Sent";
    case TL_REC_ROUTER_IN: return "At router";
    case TL_REC_HOLD:      return "Held";
    case TL_REC_RELEASE:   return "Released";
    case TL_REC_DELIVER:   return "Delivered";
    case TL_REC_DROP:      return "Dropped";
    case TL_REC_CALL:
    case TL_REC_CALL_RESULT:
    case TL_REC_STATE:
    case TL_REC_TIMER:
    case TL_REC_PAUSE:
    case TL_REC_RESUME:
    case TL_N_RECORD_KINDS:
    default:
      return NULL;
    }
}

static void
describe_packet (const TlTrace       *trace,
                 GPtrArray           *sections,
                 guint                index)
{
  const TlTraceRecord *rec = tl_trace_get_record (trace, index);
  TlInspectorSection *journey;
  TlInspectorSection *cause;
  TlInspectorSection *effect;
  guint send = G_MAXUINT;
  guint deliver = G_MAXUINT;
  TlTime sent_at = 0;

  add_header (trace, sections, rec);

  journey = add_section (sections, "Journey");
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *r = tl_trace_get_record (trace, i);
      const char *name;
      g_autofree char *when = NULL;
      g_autofree char *text = NULL;

      if (r->packet != rec->packet || (name = journey_name (r)) == NULL)
        continue;
      when = format_time (r->time);
      if (r->kind == TL_REC_SEND)
        {
          send = i;
          sent_at = r->time;
          text = g_strdup_printf ("%s by %s", when, tl_trace_host_name (trace, r->host));
        }
      else if (r->kind == TL_REC_DROP)
        text = g_strdup_printf ("%s (%s)", when, tl_drop_reason_to_string (r->drop_reason));
      else if (send != G_MAXUINT)
        {
          g_autofree char *later = tl_time_format (r->time - sent_at, 3);
          text = g_strdup_printf ("%s (+%s)", when, later);
        }
      else
        text = g_strdup (when);
      if (r->kind == TL_REC_DELIVER)
        deliver = i;
      add_markup (journey, name, i == index ? g_markup_printf_escaped ("<b>%s</b>", text)
                                            : link_to (i, text));
    }

  cause = add_section (sections, "Caused by");
  if (send != G_MAXUINT)
    {
      const TlTraceRecord *s = tl_trace_get_record (trace, send);

      add_markup (cause, "Cause", describe_cause (trace, s->cause, s->cause_ref, s->host));
    }
  else
    add_text (cause, "Cause", "not recorded");

  effect = add_section (sections, "On arrival");
  if (deliver != G_MAXUINT)
    add_effects (trace, effect, TL_CAUSE_SEGMENT, rec->packet,
                 tl_trace_get_record (trace, deliver)->host);
  else
    add_text (effect, "Effect", "never arrived");
  /* Replies to a segment nobody had a socket for (RST). */
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *r = tl_trace_get_record (trace, i);

      if (r->kind == TL_REC_SEND && r->cause == TL_CAUSE_NO_SOCKET
          && r->cause_ref == rec->packet)
        {
          g_autofree char *what = describe_packet_short (trace, r);
          g_autofree char *text = g_strdup_printf ("no socket: %s", what);
          add_markup (effect, "Reply", link_to (i, text));
        }
    }
}

static void
describe_state (const TlTrace *trace,
                GPtrArray     *sections,
                guint          index)
{
  const TlTraceRecord *rec = tl_trace_get_record (trace, index);
  TlInspectorSection *s = add_section (sections, "State change");
  TlInspectorSection *cause;
  g_autofree char *when = format_time (rec->time);
  TlTime until = TL_TIME_NEVER;

  add_text (s, "Host", "%s (socket %u)", tl_trace_host_name (trace, rec->host), rec->socket);
  add_text (s, "From", "%s", tl_tcp_state_to_string (rec->old_state));
  add_text (s, "To", "%s", tl_tcp_state_to_string (rec->new_state));
  add_text (s, "At", "%s", when);
  for (guint i = index + 1; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *r = tl_trace_get_record (trace, i);

      if (r->kind == TL_REC_STATE && r->host == rec->host && r->socket == rec->socket)
        {
          g_autofree char *next = g_strdup_printf ("%s", tl_tcp_state_to_string (r->new_state));
          g_autofree char *dur = tl_time_format (r->time - rec->time, 3);
          g_autofree char *text = g_strdup_printf ("%s, then %s", dur, next);

          add_markup (s, "Lasted", link_to (i, text));
          until = r->time;
          break;
        }
    }
  if (until == TL_TIME_NEVER)
    add_text (s, "Lasted", "until the end of the run");
  if (rec->inferred)
    add_text (s, "Observed", "no: inferred from the segments");

  cause = add_section (sections, "Caused by");
  add_markup (cause, "Cause", describe_cause (trace, rec->cause, rec->cause_ref, rec->host));
}

static void
describe_call (const TlTrace *trace,
               GPtrArray     *sections,
               guint          index)
{
  const TlTraceRecord *rec = tl_trace_get_record (trace, index);
  TlInspectorSection *s;
  TlInspectorSection *effect;
  g_autofree char *when = format_time (rec->time);

  s = add_section (sections, rec->kind == TL_REC_CALL ? "Socket call" : "Call result");
  add_text (s, "Host", "%s (socket %u)", tl_trace_host_name (trace, rec->host), rec->socket);
  add_text (s, "Call", "%s()", tl_call_to_string (rec->call));
  add_text (s, "At", "%s", when);
  if (rec->call == TL_CALL_SEND)
    add_text (s, "Bytes", "%" G_GINT64_FORMAT, rec->arg);
  else if (rec->arg != 0)
    add_text (s, "Argument", "%" G_GINT64_FORMAT, rec->arg);
  add_text (s, "Result", "%s", rec->error != 0 ? tl_errno_to_string (rec->error) : "OK");

  if (rec->kind == TL_REC_CALL)
    {
      /* A call that completes later (connect) reports in a CALL_RESULT. */
      for (guint i = index + 1; i < tl_trace_get_n_records (trace); i++)
        {
          const TlTraceRecord *r = tl_trace_get_record (trace, i);

          if (r->kind == TL_REC_CALL_RESULT && r->host == rec->host && r->call == rec->call)
            {
              g_autofree char *at = format_time (r->time);
              g_autofree char *text = g_strdup_printf ("%s at %s",
                                                       r->error != 0 ? tl_errno_to_string (r->error)
                                                                     : "completed", at);
              add_markup (s, "Completed", link_to (i, text));
              break;
            }
          if (r->kind == TL_REC_CALL && r->host == rec->host && r->call == rec->call)
            break;
        }
      effect = add_section (sections, "Led to");
      add_effects (trace, effect, TL_CAUSE_CALL, index, G_MAXUINT);
    }
  else
    {
      TlInspectorSection *cause = add_section (sections, "Caused by");

      add_markup (cause, "Cause", describe_cause (trace, rec->cause, rec->cause_ref, rec->host));
    }
}

static void
describe_timer (const TlTrace *trace,
                GPtrArray     *sections,
                guint          index)
{
  const TlTraceRecord *rec = tl_trace_get_record (trace, index);
  TlInspectorSection *s = add_section (sections, "Timer");
  g_autofree char *when = format_time (rec->time);

  add_text (s, "Host", "%s", tl_trace_host_name (trace, rec->host));
  add_text (s, "Timer", "%s", tl_timer_to_string (rec->timer));
  add_text (s, "Fired at", "%s", when);
  add_effects (trace, add_section (sections, "Led to"), TL_CAUSE_TIMER, index, G_MAXUINT);
}

static void
describe_router (const TlTrace *trace,
                 GPtrArray     *sections,
                 guint          index)
{
  const TlTraceRecord *rec = tl_trace_get_record (trace, index);
  TlInspectorSection *s = add_section (sections, "Router");
  g_autofree char *when = format_time (rec->time);
  guint n = 0;

  add_text (s, "Event", "%s", rec->kind == TL_REC_PAUSE ? "paused" : "resumed");
  add_text (s, "At", "%s", when);
  if (rec->kind == TL_REC_PAUSE)
    {
      /* Count what the pause caught, up to the matching resume. */
      for (guint i = index + 1; i < tl_trace_get_n_records (trace); i++)
        {
          const TlTraceRecord *r = tl_trace_get_record (trace, i);

          if (r->kind == TL_REC_RESUME)
            break;
          if (r->kind == TL_REC_HOLD)
            n++;
        }
      add_text (s, "Held", "%u packets", n);
    }
}

GPtrArray *
tl_inspector_describe (const TlTrace *trace,
                       guint          index)
{
  GPtrArray *sections = g_ptr_array_new_with_free_func (section_free);
  const TlTraceRecord *rec;

  if (trace == NULL || index >= tl_trace_get_n_records (trace))
    return sections;

  rec = tl_trace_get_record (trace, index);
  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEND:
    case TL_REC_ROUTER_IN:
    case TL_REC_HOLD:
    case TL_REC_RELEASE:
    case TL_REC_DELIVER:
    case TL_REC_DROP:
      describe_packet (trace, sections, index);
      break;
    case TL_REC_STATE:
      describe_state (trace, sections, index);
      break;
    case TL_REC_CALL:
    case TL_REC_CALL_RESULT:
      describe_call (trace, sections, index);
      break;
    case TL_REC_TIMER:
      describe_timer (trace, sections, index);
      break;
    case TL_REC_PAUSE:
    case TL_REC_RESUME:
      describe_router (trace, sections, index);
      break;
    case TL_N_RECORD_KINDS:
    default:
      break;
    }
  return sections;
}

const char *
tl_inspector_sections_lookup (GPtrArray  *sections,
                              const char *section,
                              const char *name)
{
  for (guint i = 0; i < sections->len; i++)
    {
      TlInspectorSection *s = g_ptr_array_index (sections, i);

      if (g_strcmp0 (s->title, section) != 0)
        continue;
      for (guint j = 0; j < s->fields->len; j++)
        {
          TlInspectorField *f = g_ptr_array_index (s->fields, j);

          if (g_strcmp0 (f->name, name) == 0)
            return f->value;
        }
    }
  return NULL;
}

/* The widget ---------------------------------------------------------- */

struct _TlInspector
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  TlTrace   *trace;
  guint      record;
};

G_DEFINE_FINAL_TYPE (TlInspector, tl_inspector, GTK_TYPE_WIDGET)

enum
{
  RECORD_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static gboolean
on_activate_link (GtkLabel    *label,
                  const char  *uri,
                  TlInspector *self)
{
  char *end = NULL;
  guint64 index;

  if (!g_str_has_prefix (uri, "record:"))
    return FALSE;   /* a real URI: let GTK open it */
  index = g_ascii_strtoull (uri + strlen ("record:"), &end, 10);
  if (end != NULL && *end == '\0' && self->trace != NULL
      && index < tl_trace_get_n_records (self->trace))
    g_signal_emit (self, signals[RECORD_ACTIVATED], 0, (guint) index);
  return TRUE;
}

static GtkWidget *
make_value_label (TlInspector *self,
                  const char  *markup)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_markup (GTK_LABEL (label), markup);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);
  g_signal_connect (label, "activate-link", G_CALLBACK (on_activate_link), self);
  return label;
}

static void
rebuild (TlInspector *self)
{
  g_autoptr(GPtrArray) sections = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->box)) != NULL)
    gtk_box_remove (GTK_BOX (self->box), child);

  sections = tl_inspector_describe (self->trace, self->record);
  if (sections->len == 0)
    {
      GtkWidget *hint = gtk_label_new ("Click a segment, a state bar, a call or a timer to see its details.");

      gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
      gtk_label_set_justify (GTK_LABEL (hint), GTK_JUSTIFY_CENTER);
      gtk_widget_add_css_class (hint, "dim-label");
      gtk_widget_set_vexpand (hint, TRUE);
      gtk_box_append (GTK_BOX (self->box), hint);
      return;
    }

  for (guint i = 0; i < sections->len; i++)
    {
      TlInspectorSection *section = g_ptr_array_index (sections, i);
      GtkWidget *heading = gtk_label_new (section->title);
      GtkWidget *grid = gtk_grid_new ();

      gtk_widget_add_css_class (heading, "heading");
      gtk_label_set_xalign (GTK_LABEL (heading), 0.0);
      gtk_widget_set_margin_top (heading, i == 0 ? 0 : 12);
      gtk_box_append (GTK_BOX (self->box), heading);

      gtk_grid_set_row_spacing (GTK_GRID (grid), 2);
      gtk_grid_set_column_spacing (GTK_GRID (grid), 12);
      for (guint j = 0; j < section->fields->len; j++)
        {
          TlInspectorField *field = g_ptr_array_index (section->fields, j);
          GtkWidget *name = gtk_label_new (field->name);

          gtk_label_set_xalign (GTK_LABEL (name), 0.0);
          gtk_label_set_yalign (GTK_LABEL (name), 0.0);
          gtk_widget_add_css_class (name, "dim-label");
          gtk_grid_attach (GTK_GRID (grid), name, 0, (int) j, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), make_value_label (self, field->value),
                           1, (int) j, 1, 1);
        }
      gtk_box_append (GTK_BOX (self->box), grid);
    }
}

void
tl_inspector_show (TlInspector *self,
                   TlTrace     *trace,
                   guint        index)
{
  g_return_if_fail (TL_IS_INSPECTOR (self));

  if (trace != self->trace)
    {
      g_clear_pointer (&self->trace, tl_trace_unref);
      self->trace = trace != NULL ? tl_trace_ref (trace) : NULL;
    }
  self->record = index;
  rebuild (self);
}

guint
tl_inspector_get_record (TlInspector *self)
{
  g_return_val_if_fail (TL_IS_INSPECTOR (self), G_MAXUINT);
  return self->record;
}

GtkWidget *
tl_inspector_new (void)
{
  return g_object_new (TL_TYPE_INSPECTOR, NULL);
}

static void
tl_inspector_dispose (GObject *object)
{
  TlInspector *self = TL_INSPECTOR (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_pointer (&self->trace, tl_trace_unref);
  G_OBJECT_CLASS (tl_inspector_parent_class)->dispose (object);
}

static void
tl_inspector_class_init (TlInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tl_inspector_dispose;

  /* A cause or effect link was followed: (record index). */
  signals[RECORD_ACTIVATED] =
    g_signal_new ("record-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "tlinspector");
}

static void
tl_inspector_init (TlInspector *self)
{
  self->record = G_MAXUINT;
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  gtk_widget_set_margin_start (self->box, 12);
  gtk_widget_set_margin_end (self->box, 12);
  gtk_widget_set_margin_top (self->box, 12);
  gtk_widget_set_margin_bottom (self->box, 12);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  rebuild (self);
}

/* tl-json.c: traces to JSON and back.
 *
 * Written by hand rather than through JsonGenerator so that every record
 * sits on one line (diffable, and a tenth of the size of a pretty-printed
 * tree) and the key order is fixed by this file, not by a library.  Read
 * with JsonParser, checking every key and value, so a bad file gets an
 * error naming the file and the JSON path of the offending field.
 */
#include "tl-json.h"

#include <errno.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "tl-io-error.h"
#include "tl-io-private.h"
#include "tl-json-builder.h"

/* ---- names shared by writer and reader -------------------------------- */

static const char *const source_names[] = {
  [TL_TRACE_SIMULATION] = "simulation",
  [TL_TRACE_CAPTURE] = "capture",
  [TL_TRACE_PCAP] = "pcap",
};

static const char *const cause_names[] = {
  [TL_CAUSE_NONE] = "none",
  [TL_CAUSE_CALL] = "call",
  [TL_CAUSE_SEGMENT] = "segment",
  [TL_CAUSE_TIMER] = "timer",
  [TL_CAUSE_NO_SOCKET] = "no-socket",
};

static const char *const layout_names[] = {
  [TL_OPT_LAYOUT_RFC] = "rfc",
  [TL_OPT_LAYOUT_LINUX] = "linux",
};

static const struct
{
  guint8      bit;
  const char *name;
} option_names[] = {
  { TL_OPT_MSS, "mss" },
  { TL_OPT_WSCALE, "wscale" },
  { TL_OPT_SACK_PERM, "sackOK" },
  { TL_OPT_TS, "TS" },
  { TL_OPT_SACK, "sack" },
};

/* The errno values traces use, by name, so files do not depend on the
 * numbering of the machine that wrote them. */
static const int known_errnos[] = {
  ECONNREFUSED, ETIMEDOUT, ECONNRESET, EPIPE, ENOTCONN, EISCONN, EADDRINUSE,
  EINVAL, EINPROGRESS, EALREADY, EBADF, EHOSTUNREACH, ECONNABORTED,
};

static const char *
name_or (const char *const *names,
         guint              n_names,
         guint              value)
{
  return value < n_names && names[value] != NULL ? names[value] : NULL;
}

/* ---- writing ---------------------------------------------------------- */

/* Values go through JsonBuilder and json_to_string (escaping, numbers);
 * this file only decides the layout: the header on one line, then one
 * record per line, diffable and a tenth of the size of a pretty-printed
 * tree.  JsonObject keeps members in insertion order, so the key order is
 * the order below and the bytes are the same for the same trace. */

static void
add_error (JsonBuilder *b,
           gint32       error)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_errnos); i++)
    if (known_errnos[i] == error)
      {
        tl_json_add_string (b, "error", tl_errno_to_string (error));
        return;
      }
  tl_json_add_int (b, "error", error);
}

static void
add_options (JsonBuilder        *b,
             const TlTcpOptions *opts)
{
  json_builder_set_member_name (b, "options");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "present");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (option_names); i++)
    if (opts->present & option_names[i].bit)
      json_builder_add_string_value (b, option_names[i].name);
  json_builder_end_array (b);
  tl_json_add_string (b, "layout", name_or (layout_names, G_N_ELEMENTS (layout_names), opts->layout));
  tl_json_add_int (b, "mss", opts->mss);
  tl_json_add_int (b, "wscale", opts->wscale);
  tl_json_add_int (b, "tsval", opts->tsval);
  tl_json_add_int (b, "tsecr", opts->tsecr);
  json_builder_set_member_name (b, "sack");
  json_builder_begin_array (b);
  for (guint i = 0; i < opts->n_sack && i < TL_MAX_SACK_BLOCKS; i++)
    {
      json_builder_begin_array (b);
      json_builder_add_int_value (b, opts->sack[i].left);
      json_builder_add_int_value (b, opts->sack[i].right);
      json_builder_end_array (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

static void
add_payload (JsonBuilder     *b,
             const TlTrace   *trace,
             const TlSegment *seg)
{
  const guint8 *payload = tl_trace_get_payload (trace, seg);

  if (seg->len == 0)
    tl_json_add_string (b, "payload", "");
  else if (payload == NULL)
    tl_json_add_string (b, "payload", NULL);   /* the store does not have the bytes */
  else
    {
      g_autofree char *b64 = g_base64_encode (payload, seg->len);
      tl_json_add_string (b, "payload", b64);
    }
}

static void
add_segment (JsonBuilder     *b,
             const TlTrace   *trace,
             const TlSegment *seg)
{
  g_autoptr (GString) flags = g_string_new (NULL);

  tl_tcp_flags_format (seg->flags, flags);
  json_builder_begin_object (b);
  tl_json_add_addr (b, "src", seg->src_addr);
  tl_json_add_int (b, "sport", seg->src_port);
  tl_json_add_addr (b, "dst", seg->dst_addr);
  tl_json_add_int (b, "dport", seg->dst_port);
  tl_json_add_int (b, "seq", seg->seq);
  tl_json_add_int (b, "ack", seg->ack);
  tl_json_add_string (b, "flags", flags->str);
  tl_json_add_int (b, "window", seg->window);
  tl_json_add_int (b, "len", seg->len);
  add_payload (b, trace, seg);
  add_options (b, &seg->opts);
  json_builder_end_object (b);
}

static gboolean
segment_is_zero (const TlSegment *seg)
{
  static const TlSegment zero;
  return memcmp (seg, &zero, sizeof zero) == 0;
}

static void
add_record (JsonBuilder         *b,
            const TlTrace       *trace,
            const TlTraceRecord *rec)
{
  json_builder_begin_object (b);
  tl_json_add_int (b, "time_ns", rec->time);
  tl_json_add_string (b, "kind", tl_record_kind_to_string (rec->kind));
  tl_json_add_int (b, "host", rec->host);
  tl_json_add_int (b, "socket", rec->socket);
  tl_json_add_int (b, "packet", rec->packet);
  tl_json_add_int (b, "retransmit", rec->retransmit);
  tl_json_add_string (b, "cause", name_or (cause_names, G_N_ELEMENTS (cause_names), rec->cause));
  tl_json_add_int (b, "cause_ref", rec->cause_ref);
  tl_json_add_string (b, "drop_reason", tl_drop_reason_to_string (rec->drop_reason));
  tl_json_add_string (b, "old_state", tl_tcp_state_to_string (rec->old_state));
  tl_json_add_string (b, "new_state", tl_tcp_state_to_string (rec->new_state));
  tl_json_add_string (b, "call", tl_call_to_string (rec->call));
  tl_json_add_string (b, "timer", tl_timer_to_string (rec->timer));
  tl_json_add_bool (b, "inferred", rec->inferred);
  add_error (b, rec->error);
  tl_json_add_int (b, "arg", rec->arg);
  json_builder_set_member_name (b, "seg");
  if (rec->packet == 0 && segment_is_zero (&rec->seg))
    json_builder_add_null_value (b);
  else
    add_segment (b, trace, &rec->seg);
  json_builder_end_object (b);
}

/* Appends what B built, as one line of JSON. */
static void
append_built (GString     *out,
              JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = json_to_string (root, FALSE);

  g_string_append (out, text);
  json_builder_reset (b);
}

static void
add_header (JsonBuilder   *b,
            const TlTrace *trace)
{
  tl_json_add_string (b, "format", TL_TRACE_JSON_FORMAT);
  tl_json_add_int (b, "version", TL_TRACE_JSON_VERSION);
  tl_json_add_string (b, "source", name_or (source_names, G_N_ELEMENTS (source_names), trace->source));
  tl_json_add_string (b, "title", trace->title);
  tl_json_add_string (b, "caption", trace->caption);
  tl_json_add_string (b, "profile", trace->profile);
  json_builder_set_member_name (b, "hosts");
  json_builder_begin_array (b);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      json_builder_begin_object (b);
      tl_json_add_string (b, "name", trace->hosts[i].name);
      tl_json_add_addr (b, "addr", trace->hosts[i].addr);
      tl_json_add_int (b, "port", trace->hosts[i].port);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  tl_json_add_bool (b, "has_router", trace->has_router);
  json_builder_set_member_name (b, "pauses");
  json_builder_begin_array (b);
  for (guint i = 0; i < trace->pauses->len; i++)
    {
      const TlTraceWindow *w = &g_array_index (trace->pauses, TlTraceWindow, i);
      json_builder_begin_object (b);
      tl_json_add_int (b, "start_ns", w->start);
      tl_json_add_int (b, "end_ns", w->end);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  tl_json_add_int (b, "end_time_ns", trace->end_time);
  tl_json_add_int (b, "n_packets", trace->n_packets);
  tl_json_add_bool (b, "truncated", trace->truncated);
}

char *
tl_trace_to_json (const TlTrace *trace)
{
  g_autoptr (JsonBuilder) b = json_builder_new_immutable ();
  GString *out = g_string_sized_new (256 + 600 * trace->records->len);

  /* The header as an object whose last member is an empty records array;
   * the records then go inside that array, one per line. */
  json_builder_begin_object (b);
  add_header (b, trace);
  json_builder_set_member_name (b, "records");
  json_builder_begin_array (b);
  json_builder_end_array (b);
  json_builder_end_object (b);
  append_built (out, b);
  g_assert (g_str_has_suffix (out->str, "[]}"));
  g_string_truncate (out, out->len - 2);
  for (guint i = 0; i < trace->records->len; i++)
    {
      g_string_append (out, i > 0 ? ",\n" : "\n");
      add_record (b, trace, tl_trace_get_record (trace, i));
      append_built (out, b);
    }
  g_string_append (out, trace->records->len > 0 ? "\n]}\n" : "]}\n");
  return g_string_free (out, FALSE);
}

gboolean
tl_trace_write_json (const TlTrace *trace,
                     const char    *path,
                     GError       **error)
{
  g_autofree char *text = tl_trace_to_json (trace);

  return tl_io_write_file (path, text, strlen (text), error);
}

/* ---- reading ---------------------------------------------------------- */

/* Where we are in the file, for error messages: "file: records[3].seg.seq". */
typedef struct
{
  const char *file;
  GString    *path;
  GError    **error;
} Reader;

static gboolean G_GNUC_PRINTF (2, 3)
fail (Reader     *r,
      const char *format,
      ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (r->error, TL_IO_ERROR, TL_IO_ERROR_INVALID, "%s: %s%s%s",
               r->file, r->path->str, r->path->len > 0 ? ": " : "", message);
  return FALSE;
}

/* Enters KEY (or [INDEX] if KEY is NULL); returns the old length for leave(). */
static gsize
enter (Reader     *r,
       const char *key,
       guint       index)
{
  gsize old = r->path->len;

  if (key != NULL)
    g_string_append_printf (r->path, "%s%s", old > 0 ? "." : "", key);
  else
    g_string_append_printf (r->path, "[%u]", index);
  return old;
}

static void
leave (Reader *r,
       gsize   old)
{
  g_string_truncate (r->path, old);
}

static const char *
node_type_name (JsonNode *node)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT: return "an object";
    case JSON_NODE_ARRAY: return "an array";
    case JSON_NODE_NULL: return "null";
    case JSON_NODE_VALUE:
      {
        GType t = json_node_get_value_type (node);
        if (t == G_TYPE_STRING) return "a string";
        if (t == G_TYPE_BOOLEAN) return "a boolean";
        if (t == G_TYPE_DOUBLE) return "a fraction";
        return "a number";
      }
    default: return "something else";
    }
}

/* Rejects keys the format does not have: a typo must not pass silently. */
static gboolean
check_keys (Reader            *r,
            JsonObject        *obj,
            const char *const *allowed)
{
  g_autoptr(GList) members = json_object_get_members (obj);

  for (GList *l = members; l != NULL; l = l->next)
    {
      gboolean ok = FALSE;
      for (guint i = 0; allowed[i] != NULL && !ok; i++)
        ok = strcmp (allowed[i], l->data) == 0;
      if (!ok)
        {
          gsize old = enter (r, l->data, 0);
          fail (r, "unknown key");
          leave (r, old);
          return FALSE;
        }
    }
  return TRUE;
}

/* Times are kept within 2^62 ns (146 years) either way, so differences of
 * two of them never overflow anywhere downstream; json-glib would also
 * quietly saturate anything beyond 64 bits. */
#define MAX_TIME_NS (G_GINT64_CONSTANT (1) << 62)

static gboolean
read_int_node (Reader   *r,
               JsonNode *node,
               gint64    min,
               gint64    max,
               gint64   *out)
{
  gint64 value;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return fail (r, "expected an integer, got %s", node_type_name (node));
  value = json_node_get_int (node);
  if (value < min || value > max)
    return fail (r, "%" G_GINT64_FORMAT " is out of range (%" G_GINT64_FORMAT
                 " to %" G_GINT64_FORMAT ")", value, min, max);
  *out = value;
  return TRUE;
}

/* Optional members keep *OUT as it is (zero) when absent. */
static gboolean
read_int (Reader     *r,
          JsonObject *obj,
          const char *key,
          gboolean    required,
          gint64      min,
          gint64      max,
          gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, key);
  gsize old;
  gboolean ok;

  if (node == NULL)
    return required ? fail (r, "missing key \"%s\"", key) : TRUE;
  old = enter (r, key, 0);
  ok = read_int_node (r, node, min, max, out);
  leave (r, old);
  return ok;
}

#define READ_FIELD(r, obj, key, min, max, field)                         \
  G_STMT_START {                                                         \
    gint64 v_ = (field);                                                 \
    if (!read_int ((r), (obj), (key), FALSE, (min), (max), &v_))         \
      return FALSE;                                                      \
    (field) = v_;                                                        \
  } G_STMT_END

static gboolean
read_bool (Reader     *r,
           JsonObject *obj,
           const char *key,
           gboolean   *out)
{
  JsonNode *node = json_object_get_member (obj, key);
  gsize old;

  if (node == NULL)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      old = enter (r, key, 0);
      fail (r, "expected true or false, got %s", node_type_name (node));
      leave (r, old);
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

/* A string or null: *OUT stays NULL for null or absent. */
static gboolean
read_string (Reader      *r,
             JsonObject  *obj,
             const char  *key,
             gboolean     required,
             const char **out)
{
  JsonNode *node = json_object_get_member (obj, key);
  gsize old;

  *out = NULL;
  if (node == NULL)
    return required ? fail (r, "missing key \"%s\"", key) : TRUE;
  if (JSON_NODE_HOLDS_NULL (node) && !required)
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      old = enter (r, key, 0);
      fail (r, "expected a string, got %s", node_type_name (node));
      leave (r, old);
      return FALSE;
    }
  *out = json_node_get_string (node);
  return TRUE;
}

typedef const char *(*ToStringFunc) (guint value);

/* Names that an enum's to_string gives back, for COUNT values. */
static gboolean
read_enum (Reader       *r,
           JsonObject   *obj,
           const char   *key,
           ToStringFunc  to_string,
           guint         count,
           guint8       *out)
{
  const char *text;
  gsize old;

  if (!read_string (r, obj, key, FALSE, &text))
    return FALSE;
  if (text == NULL)
    return TRUE;
  for (guint i = 0; i < count; i++)
    if (strcmp (to_string (i), text) == 0)
      {
        *out = (guint8) i;
        return TRUE;
      }
  old = enter (r, key, 0);
  fail (r, "unknown value \"%s\"", text);
  leave (r, old);
  return FALSE;
}

static const char *kind_name (guint v) { return tl_record_kind_to_string ((TlRecordKind) v); }
static const char *state_name (guint v) { return tl_tcp_state_to_string ((TlTcpState) v); }
static const char *call_name (guint v) { return tl_call_to_string ((TlCallKind) v); }
static const char *timer_name (guint v) { return tl_timer_to_string ((TlTimerKind) v); }
static const char *drop_name (guint v) { return tl_drop_reason_to_string ((TlDropReason) v); }
static const char *cause_name (guint v) { return cause_names[v]; }
static const char *layout_name (guint v) { return layout_names[v]; }
static const char *source_name (guint v) { return source_names[v]; }

static gboolean
read_addr (Reader     *r,
           JsonObject *obj,
           const char *key,
           guint32    *out)
{
  const char *text;
  gsize old;

  if (!read_string (r, obj, key, FALSE, &text))
    return FALSE;
  if (text == NULL || tl_io_parse_addr (text, out))
    return TRUE;
  old = enter (r, key, 0);
  fail (r, "\"%s\" is not an IPv4 address", text);
  leave (r, old);
  return FALSE;
}

static JsonObject *
get_object (Reader     *r,
            JsonNode   *node,
            const char *what)
{
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (r, "expected %s object, got %s", what, node_type_name (node));
      return NULL;
    }
  return json_node_get_object (node);
}

/* Looks up an optional array member; NULL with no error when absent. */
static gboolean
get_array (Reader      *r,
           JsonObject  *obj,
           const char  *key,
           gboolean     required,
           JsonArray  **out)
{
  JsonNode *node = json_object_get_member (obj, key);
  gsize old;

  *out = NULL;
  if (node == NULL)
    return required ? fail (r, "missing key \"%s\"", key) : TRUE;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      old = enter (r, key, 0);
      fail (r, "expected an array, got %s", node_type_name (node));
      leave (r, old);
      return FALSE;
    }
  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
read_sack_blocks (Reader       *r,
                  JsonArray    *blocks,
                  TlTcpOptions *opts)
{
  guint n = json_array_get_length (blocks);

  if (n > TL_MAX_SACK_BLOCKS)
    return fail (r, "%u SACK blocks, at most %u fit", n, TL_MAX_SACK_BLOCKS);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (blocks, i);
      gsize old = enter (r, NULL, i);
      JsonArray *pair;
      gint64 left, right;

      if (!JSON_NODE_HOLDS_ARRAY (node)
          || json_array_get_length (pair = json_node_get_array (node)) != 2)
        return fail (r, "expected [left, right]");
      if (!read_int_node (r, json_array_get_element (pair, 0), 0, G_MAXUINT32, &left)
          || !read_int_node (r, json_array_get_element (pair, 1), 0, G_MAXUINT32, &right))
        return FALSE;
      opts->sack[i].left = (guint32) left;
      opts->sack[i].right = (guint32) right;
      leave (r, old);
    }
  opts->n_sack = (guint8) n;
  return TRUE;
}

static gboolean
read_options (Reader       *r,
              JsonNode     *node,
              TlTcpOptions *opts)
{
  static const char *const keys[] = {
    "present", "layout", "mss", "wscale", "tsval", "tsecr", "sack", NULL
  };
  JsonObject *obj = get_object (r, node, "an options");
  JsonArray *present, *sack;

  if (obj == NULL || !check_keys (r, obj, keys))
    return FALSE;
  if (!get_array (r, obj, "present", FALSE, &present))
    return FALSE;
  for (guint i = 0; present != NULL && i < json_array_get_length (present); i++)
    {
      JsonNode *item = json_array_get_element (present, i);
      const char *name = JSON_NODE_HOLDS_VALUE (item)
                         && json_node_get_value_type (item) == G_TYPE_STRING
                         ? json_node_get_string (item) : NULL;
      guint j;

      for (j = 0; name != NULL && j < G_N_ELEMENTS (option_names); j++)
        if (strcmp (name, option_names[j].name) == 0)
          break;
      if (name == NULL || j == G_N_ELEMENTS (option_names))
        {
          gsize old = enter (r, "present", 0);
          enter (r, NULL, i);
          fail (r, "expected one of mss, wscale, sackOK, TS, sack");
          leave (r, old);
          return FALSE;
        }
      opts->present |= option_names[j].bit;
    }
  if (!read_enum (r, obj, "layout", layout_name, G_N_ELEMENTS (layout_names), &opts->layout))
    return FALSE;
  READ_FIELD (r, obj, "mss", 0, G_MAXUINT16, opts->mss);
  READ_FIELD (r, obj, "wscale", 0, G_MAXUINT8, opts->wscale);
  READ_FIELD (r, obj, "tsval", 0, G_MAXUINT32, opts->tsval);
  READ_FIELD (r, obj, "tsecr", 0, G_MAXUINT32, opts->tsecr);
  if (!get_array (r, obj, "sack", FALSE, &sack))
    return FALSE;
  if (sack != NULL)
    {
      gsize old = enter (r, "sack", 0);
      if (!read_sack_blocks (r, sack, opts))
        return FALSE;
      leave (r, old);
    }
  return TRUE;
}

/* Payloads already stored, by packet id: all records of one packet share
 * the bytes, as they do in a trace the simulator wrote. */
typedef struct
{
  guint32 offset;
  guint32 length;
} StoredPayload;

static gboolean
read_payload (Reader      *r,
              JsonObject  *obj,
              TlTrace     *trace,
              GHashTable  *stored,
              guint32      packet,
              TlSegment   *seg)
{
  JsonNode *node = json_object_get_member (obj, "payload");
  g_autofree guint8 *bytes = NULL;
  gsize length = 0;
  const char *text;
  StoredPayload *known;
  gsize old;

  seg->payload_off = 0;
  if (seg->len == 0)
    return TRUE;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      /* The writer had no bytes for this segment: keep it that way. */
      seg->payload_off = TL_PAYLOAD_NOT_STORED;
      return TRUE;
    }
  if (!read_string (r, obj, "payload", FALSE, &text))
    return FALSE;
  old = enter (r, "payload", 0);
  for (const char *p = text; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '+' && *p != '/' && *p != '=')
      return fail (r, "not base64");
  bytes = g_base64_decode (text, &length);
  if (length != seg->len)
    return fail (r, "%" G_GSIZE_FORMAT " bytes, but len is %u", length, seg->len);
  leave (r, old);

  known = packet != 0 ? g_hash_table_lookup (stored, GUINT_TO_POINTER (packet)) : NULL;
  if (known != NULL && known->length == length
      && memcmp (trace->bytes->data + known->offset, bytes, length) == 0)
    {
      seg->payload_off = known->offset;
      return TRUE;
    }
  seg->payload_off = tl_trace_store_bytes (trace, bytes, length);
  if (packet != 0 && known == NULL)
    {
      known = g_new (StoredPayload, 1);
      known->offset = seg->payload_off;
      known->length = (guint32) length;
      g_hash_table_insert (stored, GUINT_TO_POINTER (packet), known);
    }
  return TRUE;
}

static gboolean
read_segment (Reader     *r,
              JsonNode   *node,
              TlTrace    *trace,
              GHashTable *stored,
              guint32     packet,
              TlSegment  *seg)
{
  static const char *const keys[] = {
    "src", "sport", "dst", "dport", "seq", "ack", "flags", "window", "len",
    "payload", "options", NULL
  };
  JsonObject *obj = get_object (r, node, "a segment");
  JsonNode *options;
  const char *flags;

  if (obj == NULL || !check_keys (r, obj, keys))
    return FALSE;
  if (!read_addr (r, obj, "src", &seg->src_addr) || !read_addr (r, obj, "dst", &seg->dst_addr))
    return FALSE;
  READ_FIELD (r, obj, "sport", 0, G_MAXUINT16, seg->src_port);
  READ_FIELD (r, obj, "dport", 0, G_MAXUINT16, seg->dst_port);
  READ_FIELD (r, obj, "seq", 0, G_MAXUINT32, seg->seq);
  READ_FIELD (r, obj, "ack", 0, G_MAXUINT32, seg->ack);
  READ_FIELD (r, obj, "window", 0, G_MAXUINT16, seg->window);
  /* An IPv4 datagram cannot carry more. */
  READ_FIELD (r, obj, "len", 0, 65535 - 40, seg->len);
  if (!read_string (r, obj, "flags", FALSE, &flags))
    return FALSE;
  if (flags != NULL && !tl_tcp_flags_parse (flags, &seg->flags))
    {
      gsize old = enter (r, "flags", 0);
      fail (r, "\"%s\" is not a list of TCP flags such as \"SYN,ACK\"", flags);
      leave (r, old);
      return FALSE;
    }
  if (!read_payload (r, obj, trace, stored, packet, seg))
    return FALSE;
  options = json_object_get_member (obj, "options");
  if (options != NULL)
    {
      gsize old = enter (r, "options", 0);
      if (!read_options (r, options, &seg->opts))
        return FALSE;
      leave (r, old);
    }
  return TRUE;
}

static gboolean
read_error_code (Reader     *r,
                 JsonObject *obj,
                 gint32     *out)
{
  JsonNode *node = json_object_get_member (obj, "error");
  gsize old;
  gint64 value = 0;

  if (node == NULL)
    return TRUE;
  old = enter (r, "error", 0);
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *name = json_node_get_string (node);
      guint i;

      for (i = 0; i < G_N_ELEMENTS (known_errnos); i++)
        if (strcmp (name, tl_errno_to_string (known_errnos[i])) == 0)
          break;
      if (strcmp (name, "OK") == 0)
        value = 0;
      else if (i < G_N_ELEMENTS (known_errnos))
        value = known_errnos[i];
      else
        return fail (r, "unknown error name \"%s\"", name);
    }
  else if (!read_int_node (r, node, G_MININT32, G_MAXINT32, &value))
    return FALSE;
  *out = (gint32) value;
  leave (r, old);
  return TRUE;
}

static gboolean
read_record (Reader        *r,
             JsonNode      *node,
             TlTrace       *trace,
             GHashTable    *stored,
             TlTraceRecord *rec)
{
  static const char *const keys[] = {
    "time_ns", "kind", "host", "socket", "packet", "retransmit", "cause",
    "cause_ref", "drop_reason", "old_state", "new_state", "call", "timer",
    "inferred", "error", "arg", "seg", NULL
  };
  JsonObject *obj = get_object (r, node, "a record");
  JsonNode *seg;
  gboolean inferred = FALSE;
  gint64 host = 0;

  if (obj == NULL || !check_keys (r, obj, keys))
    return FALSE;
  if (!read_int (r, obj, "time_ns", TRUE, -MAX_TIME_NS, MAX_TIME_NS, &rec->time))
    return FALSE;
  if (json_object_get_member (obj, "kind") == NULL)
    return fail (r, "missing key \"kind\"");
  if (!read_enum (r, obj, "kind", kind_name, TL_N_RECORD_KINDS, &rec->kind))
    return FALSE;
  if (!read_int (r, obj, "host", TRUE, 0, TL_HOST_ROUTER, &host))
    return FALSE;
  rec->host = (guint8) host;
  READ_FIELD (r, obj, "socket", 0, G_MAXUINT8, rec->socket);
  READ_FIELD (r, obj, "packet", 0, G_MAXUINT32, rec->packet);
  READ_FIELD (r, obj, "retransmit", 0, G_MAXUINT16, rec->retransmit);
  READ_FIELD (r, obj, "cause_ref", 0, G_MAXUINT32, rec->cause_ref);
  READ_FIELD (r, obj, "arg", G_MININT64, G_MAXINT64, rec->arg);
  if (!read_enum (r, obj, "cause", cause_name, G_N_ELEMENTS (cause_names), &rec->cause)
      || !read_enum (r, obj, "drop_reason", drop_name, TL_DROP_END + 1, &rec->drop_reason)
      || !read_enum (r, obj, "old_state", state_name, TL_N_STATES, &rec->old_state)
      || !read_enum (r, obj, "new_state", state_name, TL_N_STATES, &rec->new_state)
      || !read_enum (r, obj, "call", call_name, TL_N_CALLS, &rec->call)
      || !read_enum (r, obj, "timer", timer_name, TL_N_TIMERS, &rec->timer)
      || !read_bool (r, obj, "inferred", &inferred)
      || !read_error_code (r, obj, &rec->error))
    return FALSE;
  rec->inferred = inferred ? 1 : 0;

  seg = json_object_get_member (obj, "seg");
  if (seg != NULL && !JSON_NODE_HOLDS_NULL (seg))
    {
      gsize old = enter (r, "seg", 0);
      if (!read_segment (r, seg, trace, stored, rec->packet, &rec->seg))
        return FALSE;
      leave (r, old);
    }
  else if (rec->packet != 0)
    return fail (r, "a packet record needs \"seg\"");
  return TRUE;
}

static gboolean
read_records (Reader     *r,
              JsonArray  *records,
              TlTrace    *trace)
{
  g_autoptr(GHashTable) stored = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  guint32 max_packet = 0;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      TlTraceRecord rec = { 0 };
      gsize old = enter (r, NULL, i);

      if (!read_record (r, json_array_get_element (records, i), trace, stored, &rec))
        return FALSE;
      if (i > 0 && rec.time < tl_trace_get_record (trace, i - 1)->time)
        {
          enter (r, "time_ns", 0);
          return fail (r, "earlier than the record before it (records are in time order)");
        }
      leave (r, old);
      max_packet = MAX (max_packet, rec.packet);
      g_array_append_val (trace->records, rec);
    }
  /* Hand-written files may leave n_packets out. */
  trace->n_packets = MAX (trace->n_packets, max_packet);
  return TRUE;
}

static gboolean
read_hosts (Reader    *r,
            JsonArray *hosts,
            TlTrace   *trace)
{
  static const char *const keys[] = { "name", "addr", "port", NULL };

  if (json_array_get_length (hosts) != TL_MAX_HOSTS)
    return fail (r, "expected %d hosts, got %u", TL_MAX_HOSTS, json_array_get_length (hosts));
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      gsize old = enter (r, NULL, i);
      JsonObject *obj = get_object (r, json_array_get_element (hosts, i), "a host");
      const char *name;

      if (obj == NULL || !check_keys (r, obj, keys)
          || !read_string (r, obj, "name", FALSE, &name)
          || !read_addr (r, obj, "addr", &trace->hosts[i].addr))
        return FALSE;
      READ_FIELD (r, obj, "port", 0, G_MAXUINT16, trace->hosts[i].port);
      trace->hosts[i].name = g_strdup (name);
      leave (r, old);
    }
  return TRUE;
}

static gboolean
read_pauses (Reader    *r,
             JsonArray *pauses,
             TlTrace   *trace)
{
  static const char *const keys[] = { "start_ns", "end_ns", NULL };

  for (guint i = 0; i < json_array_get_length (pauses); i++)
    {
      gsize old = enter (r, NULL, i);
      JsonObject *obj = get_object (r, json_array_get_element (pauses, i), "a pause");
      TlTraceWindow w = { 0 };

      if (obj == NULL || !check_keys (r, obj, keys)
          || !read_int (r, obj, "start_ns", TRUE, -MAX_TIME_NS, MAX_TIME_NS, &w.start)
          || !read_int (r, obj, "end_ns", TRUE, -MAX_TIME_NS, MAX_TIME_NS, &w.end))
        return FALSE;
      if (w.end < w.start)
        return fail (r, "ends before it starts");
      g_array_append_val (trace->pauses, w);
      leave (r, old);
    }
  return TRUE;
}

static gboolean
read_trace (Reader   *r,
            JsonNode *root,
            TlTrace  *trace)
{
  static const char *const keys[] = {
    "format", "version", "source", "title", "caption", "profile", "hosts",
    "has_router", "pauses", "end_time_ns", "n_packets", "truncated", "records", NULL
  };
  JsonObject *obj = get_object (r, root, "the trace");
  const char *format, *text;
  JsonArray *array;
  gint64 version = 0;
  gboolean flag;
  guint8 source = TL_TRACE_SIMULATION;

  if (obj == NULL)
    return FALSE;
  if (!read_string (r, obj, "format", TRUE, &format))
    return FALSE;
  if (strcmp (format, TL_TRACE_JSON_FORMAT) != 0)
    {
      enter (r, "format", 0);
      return fail (r, "\"%s\" is not a tcpladder trace (\"%s\")", format,
                   TL_TRACE_JSON_FORMAT);
    }
  if (!read_int (r, obj, "version", TRUE, 0, G_MAXINT32, &version))
    return FALSE;
  if (version != TL_TRACE_JSON_VERSION)
    {
      g_set_error (r->error, TL_IO_ERROR, TL_IO_ERROR_UNSUPPORTED,
                   "%s: version: trace format version %" G_GINT64_FORMAT
                   " is not supported (this tcpladder reads version %d)",
                   r->file, version, TL_TRACE_JSON_VERSION);
      return FALSE;
    }
  if (!check_keys (r, obj, keys))
    return FALSE;
  if (!read_enum (r, obj, "source", source_name, G_N_ELEMENTS (source_names), &source))
    return FALSE;
  trace->source = source;
  if (!read_string (r, obj, "title", FALSE, &text))
    return FALSE;
  trace->title = g_strdup (text);
  if (!read_string (r, obj, "caption", FALSE, &text))
    return FALSE;
  trace->caption = g_strdup (text);
  if (!read_string (r, obj, "profile", FALSE, &text))
    return FALSE;
  trace->profile = g_strdup (text);

  if (!get_array (r, obj, "hosts", FALSE, &array))
    return FALSE;
  if (array != NULL)
    {
      gsize old = enter (r, "hosts", 0);
      if (!read_hosts (r, array, trace))
        return FALSE;
      leave (r, old);
    }
  flag = FALSE;
  if (!read_bool (r, obj, "has_router", &flag))
    return FALSE;
  trace->has_router = flag;
  if (!get_array (r, obj, "pauses", FALSE, &array))
    return FALSE;
  if (array != NULL)
    {
      gsize old = enter (r, "pauses", 0);
      if (!read_pauses (r, array, trace))
        return FALSE;
      leave (r, old);
    }
  if (!read_int (r, obj, "end_time_ns", FALSE, -MAX_TIME_NS, MAX_TIME_NS, &trace->end_time))
    return FALSE;
  READ_FIELD (r, obj, "n_packets", 0, G_MAXUINT32, trace->n_packets);
  flag = FALSE;
  if (!read_bool (r, obj, "truncated", &flag))
    return FALSE;
  trace->truncated = flag;

  if (!get_array (r, obj, "records", TRUE, &array))
    return FALSE;
  {
    gsize old = enter (r, "records", 0);
    if (!read_records (r, array, trace))
      return FALSE;
    leave (r, old);
  }
  return TRUE;
}

gboolean
tl_json_nesting_too_deep (const char *text,
                          gsize       length,
                          guint      *line,
                          guint      *column)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  *line = 1;
  *column = 0;
  for (gsize i = 0; i < length && text[i] != '\0'; i++)
    {
      char c = text[i];

      (*column)++;
      if (c == '\n')
        {
          (*line)++;
          *column = 0;
        }
      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }
      if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > TL_JSON_MAX_NESTING)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}

gboolean
tl_json_parser_load (JsonParser  *parser,
                     const char  *text,
                     gssize       length,
                     const char  *name,
                     GError     **error)
{
  g_autoptr(GError) local = NULL;
  guint line, column;

  if (tl_json_nesting_too_deep (text, length < 0 ? strlen (text) : (gsize) length, &line, &column))
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE, "%s:%u:%u: nested more than %d levels deep",
                   name, line, column, TL_JSON_MAX_NESTING);
      return FALSE;
    }
  if (!json_parser_load_from_data (parser, text, length, &local))
    {
      /* json-glib says "<data>:LINE:COL: Parse error: ..."; name the file. */
      const char *message = local->message;

      if (g_str_has_prefix (message, "<data>:"))
        message += strlen ("<data>:");
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE, "%s:%s", name, message);
      return FALSE;
    }
  return TRUE;
}

TlTrace *
tl_trace_parse_json (const char  *text,
                     gssize       length,
                     const char  *filename,
                     GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(TlTrace) trace = NULL;
  g_autoptr(GString) path = g_string_new (NULL);
  Reader r = { filename != NULL ? filename : "<trace>", path, error };

  if (!tl_json_parser_load (parser, text, length, r.file, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_PARSE, "%s: empty file", r.file);
      return NULL;
    }
  trace = tl_trace_new ();
  if (!read_trace (&r, json_parser_get_root (parser), trace))
    return NULL;
  return g_steal_pointer (&trace);
}

TlTrace *
tl_trace_load_json (const char  *path,
                    GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, &local))
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_READ, "%s", local->message);
      return NULL;
    }
  return tl_trace_parse_json (text, (gssize) length, path, error);
}

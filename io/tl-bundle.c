/* tl-bundle.c: capture bundles into traces.
 *
 * The pcaps are read frame by frame: router.jsonl names, for each packet,
 * its frame in the sender's pcap ("send") and in the receiver's
 * ("deliver"), so nothing has to be matched by content and retransmitted
 * look-alikes cannot be confused.  Times in the pcaps are wall-clock;
 * meta.json's start.realtime_ns brings them back to scenario time, the
 * time every other file of the bundle uses.
 */
#include "tl-bundle.h"

#include <errno.h>
#include <json-glib/json-glib.h>
#include <pcap/pcap.h>
#include <stdarg.h>
#include <string.h>

#include "tl-io-error.h"
#include "tl-io-private.h"
#include "tl-json.h"
#include "tl-packet.h"

#ifndef DLT_IPV4
#define DLT_IPV4 228
#endif

typedef struct
{
  TlTime  time;
  GBytes *bytes;
} Frame;

/* What a bundle packet id became in the trace. */
typedef struct
{
  guint32   id;         /* trace packet id; 0: not loaded yet */
  gboolean  skipped;    /* not TCP: left out of the trace */
  guint8    from;
  guint8    to;
  TlSegment seg;
} Packet;

typedef struct
{
  TlTraceRecord rec;
  guint         order;  /* file order, for a stable sort */
} Pending;

typedef struct
{
  const char *dir;
  TlTrace    *trace;
  char       *names[TL_MAX_HOSTS];
  gint64      realtime;
  GArray     *frames[TL_MAX_HOSTS];
  GArray     *packets;      /* Packet, index = bundle id - 1 */
  GArray     *pending;      /* Pending */
  GArray     *sent[TL_MAX_HOSTS];  /* TlSegment already sent, for retransmit counts */
} Loader;

static const char *const pcap_files[TL_MAX_HOSTS] = { "host-A.pcap", "host-B.pcap" };

/* ---- errors ---- */

static gboolean G_GNUC_PRINTF (6, 7)
fail (Loader      *loader,
      GError     **error,
      TlIoError    code,
      const char  *file,
      guint        line,
      const char  *format,
      ...)
{
  g_autofree char *message = NULL;
  g_autofree char *path = g_build_filename (loader->dir, file, NULL);
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  if (line > 0)
    g_set_error (error, TL_IO_ERROR, code, "%s:%u: %s", path, line, message);
  else
    g_set_error (error, TL_IO_ERROR, code, "%s: %s", path, message);
  return FALSE;
}

/* ---- JSON helpers ---- */

static gboolean
member_int (JsonObject *obj,
            const char *key,
            gint64     *out)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);
  return TRUE;
}

static const char *
member_string (JsonObject *obj,
               const char *key)
{
  JsonNode *node = json_object_get_member (obj, key);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
member_bool (JsonObject *obj,
             const char *key)
{
  JsonNode *node = json_object_get_member (obj, key);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

static gint
host_index (Loader     *loader,
            const char *name)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    if (g_strcmp0 (loader->names[h], name) == 0)
      return (gint) h;
  return -1;
}

static TlTraceRecord *
add_record (Loader       *loader,
            TlRecordKind  kind,
            TlTime        time,
            guint         host)
{
  Pending p = { 0 };

  p.rec.time = time;
  p.rec.kind = (guint8) kind;
  p.rec.host = (guint8) host;
  p.order = loader->pending->len;
  g_array_append_val (loader->pending, p);
  return &g_array_index (loader->pending, Pending, loader->pending->len - 1).rec;
}

/* ---- meta.json ---- */

/* Reads and parses the JSON file PATH.  Read errors come as they are
 * (G_FILE_ERROR); a parse error or too deep nesting as TL_IO_ERROR_PARSE
 * with "PATH:LINE:COLUMN: ...". */
static gboolean
load_json_file (JsonParser  *parser,
                const char  *path,
                GError     **error)
{
  g_autofree char *text = NULL;
  gsize length;

  if (!g_file_get_contents (path, &text, &length, error))
    return FALSE;
  return tl_json_parser_load (parser, text, (gssize) length, path, error);
}

/* The last nanosecond a pcap's unsigned 32-bit seconds reach. */
#define PCAP_TIME_MAX_NS (G_GINT64_CONSTANT (4294967295) * 1000000000 + 999999999)

static gboolean
load_meta (Loader  *loader,
           GError **error)
{
  g_autofree char *path = g_build_filename (loader->dir, "meta.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  JsonObject *root, *start, *scenario;
  JsonArray *hosts;
  JsonNode *router;
  const char *format, *text;
  gint64 version, end;
  TlTrace *trace = loader->trace;

  if (!load_json_file (parser, path, &local))
    {
      if (local->domain == TL_IO_ERROR)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (g_error_matches (local, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return fail (loader, error, TL_IO_ERROR_READ, "meta.json", 0,
                     "no such file: not a capture bundle (one holds meta.json, host-A.pcap, "
                     "host-B.pcap, router.jsonl, calls.jsonl and states.jsonl)");
      return fail (loader, error, local->domain == G_FILE_ERROR ? TL_IO_ERROR_READ
                                                                : TL_IO_ERROR_PARSE,
                   "meta.json", 0, "%s", local->message);
    }
  /* An empty file parses to no root at all. */
  if (json_parser_get_root (parser) == NULL || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return fail (loader, error, TL_IO_ERROR_PARSE, "meta.json", 0, "not a JSON object");
  root = json_node_get_object (json_parser_get_root (parser));

  format = member_string (root, "format");
  if (g_strcmp0 (format, TL_BUNDLE_FORMAT) != 0)
    return fail (loader, error, TL_IO_ERROR_UNSUPPORTED, "meta.json", 0,
                 "format: expected \"%s\"", TL_BUNDLE_FORMAT);
  if (!member_int (root, "version", &version) || version < 1 || version > TL_BUNDLE_VERSION)
    return fail (loader, error, TL_IO_ERROR_UNSUPPORTED, "meta.json", 0,
                 "version: this tcpladder reads bundles of version %d", TL_BUNDLE_VERSION);

  hosts = json_object_has_member (root, "hosts") && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "hosts"))
          ? json_object_get_array_member (root, "hosts") : NULL;
  if (hosts == NULL || json_array_get_length (hosts) != TL_MAX_HOSTS)
    return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0, "hosts: expected two hosts");
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      JsonNode *node = json_array_get_element (hosts, h);
      JsonObject *host;
      const char *name, *addr;
      gint64 port;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0, "hosts[%u]: not an object", h);
      host = json_node_get_object (node);
      name = member_string (host, "name");
      addr = member_string (host, "addr");
      if (name == NULL || *name == '\0')
        return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0, "hosts[%u].name: missing", h);
      if (addr == NULL || !tl_io_parse_addr (addr, &trace->hosts[h].addr))
        return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0,
                     "hosts[%u].addr: expected an IPv4 address such as 10.0.0.1", h);
      if (!member_int (host, "port", &port) || port < 0 || port > G_MAXUINT16)
        return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0,
                     "hosts[%u].port: expected 0 to 65535", h);
      trace->hosts[h].name = g_strdup (name);
      trace->hosts[h].port = (guint16) port;
      loader->names[h] = g_strdup (name);
    }
  if (g_str_equal (loader->names[0], loader->names[1]))
    return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0, "hosts: both are named %s",
                 loader->names[0]);

  start = json_object_has_member (root, "start") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "start"))
          ? json_object_get_object_member (root, "start") : NULL;
  if (start == NULL || !member_int (start, "realtime_ns", &loader->realtime))
    return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0, "start.realtime_ns: missing");
  /* Within what a pcap can time (32-bit seconds), so that frame times,
   * which are pcap times minus this, cannot overflow. */
  if (loader->realtime < 0 || loader->realtime > PCAP_TIME_MAX_NS)
    return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0,
                 "start.realtime_ns: %" G_GINT64_FORMAT " is not a time a pcap can hold "
                 "(0 to %" G_GINT64_FORMAT " ns since 1970)", loader->realtime, PCAP_TIME_MAX_NS);
  if (!member_int (root, "end_ns", &end) || end < 0)
    return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0, "end_ns: missing or negative");
  trace->end_time = end;

  scenario = json_object_has_member (root, "scenario")
             && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "scenario"))
             ? json_object_get_object_member (root, "scenario") : NULL;
  if (scenario == NULL)
    return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0, "scenario: missing");
  text = member_string (scenario, "name");
  trace->title = text != NULL ? g_strdup (text) : g_path_get_basename (loader->dir);
  text = member_string (scenario, "caption");
  trace->caption = text != NULL ? g_strdup (text) : NULL;

  router = json_object_get_member (scenario, "router");
  if (router != NULL && JSON_NODE_HOLDS_OBJECT (router))
    {
      JsonObject *r = json_node_get_object (router);
      JsonNode *pauses = json_object_get_member (r, "pauses");

      trace->has_router = TRUE;
      if (pauses != NULL && !JSON_NODE_HOLDS_ARRAY (pauses))
        return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0, "scenario.router.pauses: not an array");
      for (guint i = 0; pauses != NULL && i < json_array_get_length (json_node_get_array (pauses)); i++)
        {
          JsonNode *node = json_array_get_element (json_node_get_array (pauses), i);
          TlTraceWindow window;
          if (!JSON_NODE_HOLDS_OBJECT (node)
              || !member_int (json_node_get_object (node), "start_ns", &window.start)
              || !member_int (json_node_get_object (node), "end_ns", &window.end)
              || window.end < window.start)
            return fail (loader, error, TL_IO_ERROR_INVALID, "meta.json", 0,
                         "scenario.router.pauses[%u]: expected start_ns <= end_ns", i);
          g_array_append_val (trace->pauses, window);
        }
    }
  return TRUE;
}

/* ---- the pcaps ---- */

static gboolean
load_pcap (Loader  *loader,
           guint    host,
           GError **error)
{
  g_autofree char *path = g_build_filename (loader->dir, pcap_files[host], NULL);
  char errbuf[PCAP_ERRBUF_SIZE] = "";
  struct pcap_pkthdr *header;
  const u_char *data;
  pcap_t *pcap;
  int link, r;

  pcap = pcap_open_offline_with_tstamp_precision (path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
  if (pcap == NULL)
    return fail (loader, error, TL_IO_ERROR_READ, pcap_files[host], 0, "%s", errbuf);
  link = pcap_datalink (pcap);
  if (link != DLT_RAW && link != DLT_IPV4)
    {
      pcap_close (pcap);
      return fail (loader, error, TL_IO_ERROR_UNSUPPORTED, pcap_files[host], 0,
                   "link type %d; a bundle's pcaps hold raw IPv4", link);
    }
  while ((r = pcap_next_ex (pcap, &header, &data)) == 1)
    {
      Frame frame;
      frame.time = (gint64) header->ts.tv_sec * 1000000000 + header->ts.tv_usec - loader->realtime;
      frame.bytes = g_bytes_new (data, header->caplen);
      g_array_append_val (loader->frames[host], frame);
    }
  if (r == -1)
    {
      g_autofree char *message = g_strdup (pcap_geterr (pcap));
      pcap_close (pcap);
      return fail (loader, error, TL_IO_ERROR_PARSE, pcap_files[host], 0,
                   "after frame %u: %s", loader->frames[host]->len, message);
    }
  pcap_close (pcap);
  return TRUE;
}

/* Parses frame FRAME (1-based) of HOST into *INFO.  FALSE with an error
 * for a frame that does not exist or is broken; *IS_TCP FALSE for a
 * packet that is fine but not a TCP segment. */
static gboolean
parse_frame (Loader        *loader,
             guint          host,
             gint64         frame,
             guint          line,
             TlPacketInfo  *info,
             TlTime        *time,
             gboolean      *is_tcp,
             GError       **error)
{
  const Frame *f;
  const char *detail = NULL;
  gsize length;
  const guint8 *bytes;

  if (frame < 1 || frame > (gint64) loader->frames[host]->len)
    return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line,
                 "frame %" G_GINT64_FORMAT " is not in %s (%u frames)",
                 frame, pcap_files[host], loader->frames[host]->len);
  f = &g_array_index (loader->frames[host], Frame, frame - 1);
  bytes = g_bytes_get_data (f->bytes, &length);
  *time = f->time;
  switch (tl_packet_parse_ipv4 (bytes, length, info, &detail))
    {
    case TL_PACKET_TCP:
      *is_tcp = TRUE;
      return TRUE;
    case TL_PACKET_NOT_TCP:
    case TL_PACKET_FRAGMENT:
      *is_tcp = FALSE;
      return TRUE;
    case TL_PACKET_MALFORMED:
    default:
      return fail (loader, error, TL_IO_ERROR_PARSE, pcap_files[host], 0,
                   "frame %" G_GINT64_FORMAT ": %s", frame, detail ? detail : "malformed packet");
    }
}

/* ---- router.jsonl ---- */

/* How many times HOST already sent this segment's sequence space with
 * the same SYN/FIN/RST flags: the retransmission number. */
static guint
count_retransmit (Loader          *loader,
                  guint            host,
                  const TlSegment *seg)
{
  const guint8 mask = TL_TCP_SYN | TL_TCP_FIN | TL_TCP_RST;
  guint count = 0;

  if (tl_segment_seq_len (seg) == 0)
    return 0;   /* pure ACKs are never retransmitted as such */
  for (guint i = 0; i < loader->sent[host]->len; i++)
    {
      const TlSegment *old = &g_array_index (loader->sent[host], TlSegment, i);
      if (old->seq == seg->seq && old->len == seg->len && (old->flags & mask) == (seg->flags & mask)
          && old->src_port == seg->src_port && old->dst_port == seg->dst_port)
        count++;
    }
  g_array_append_val (loader->sent[host], *seg);
  return count;
}

static TlDropReason
drop_reason_from_string (const char *text)
{
  for (guint r = TL_DROP_NONE; r <= TL_DROP_END; r++)
    if (g_strcmp0 (tl_drop_reason_to_string ((TlDropReason) r), text) == 0)
      return (TlDropReason) r;
  return TL_DROP_NONE;
}

static Packet *
lookup_packet (Loader     *loader,
               JsonObject *obj,
               guint       line,
               gboolean    create,
               GError    **error)
{
  gint64 id;

  if (!member_int (obj, "packet", &id) || id < 1 || id > G_MAXINT32)
    {
      fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line, "packet: expected a positive number");
      return NULL;
    }
  /* Packets are numbered from 1 in the order of their "send" lines, so a
   * new one cannot have a number above its line's: a larger one would
   * only make us allocate for packets that do not exist. */
  if (create && id > (gint64) line)
    {
      fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line,
            "packet %" G_GINT64_FORMAT ": larger than the number of lines so far", id);
      return NULL;
    }
  if (create && id > (gint64) loader->packets->len)
    g_array_set_size (loader->packets, (guint) id);
  if (id > (gint64) loader->packets->len
      || (!create && g_array_index (loader->packets, Packet, id - 1).id == 0
          && !g_array_index (loader->packets, Packet, id - 1).skipped))
    {
      fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line,
            "packet %" G_GINT64_FORMAT " appears before its \"send\" line", id);
      return NULL;
    }
  return &g_array_index (loader->packets, Packet, id - 1);
}

static gboolean
router_send (Loader     *loader,
             JsonObject *obj,
             guint       line,
             GError    **error)
{
  Packet *p = lookup_packet (loader, obj, line, TRUE, error);
  const char *from_name = member_string (obj, "from");
  const char *to_name = member_string (obj, "to");
  gint from = host_index (loader, from_name), to = host_index (loader, to_name);
  TlPacketInfo info;
  TlTraceRecord *rec;
  gboolean is_tcp;
  guint retransmit;
  gint64 frame;
  TlTime time;

  if (p == NULL)
    return FALSE;
  if (p->id != 0 || p->skipped)
    return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line, "packet sent twice");
  if (from < 0 || to < 0 || from == to)
    return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line,
                 "from/to: expected the two hosts of meta.json");
  if (!member_int (obj, "frame", &frame))
    return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line, "frame: missing");
  if (!parse_frame (loader, (guint) from, frame, line, &info, &time, &is_tcp, error))
    return FALSE;
  p->from = (guint8) from;
  p->to = (guint8) to;
  if (!is_tcp)
    {
      p->skipped = TRUE;
      return TRUE;
    }
  p->id = tl_trace_new_packet (loader->trace);
  p->seg = info.seg;
  /* A payload the snapshot cut is not stored (see tl-pcap-read.c). */
  if (info.seg.len > 0)
    p->seg.payload_off = info.payload_captured >= info.seg.len
                         ? tl_trace_store_bytes (loader->trace, info.payload, info.seg.len)
                         : TL_PAYLOAD_NOT_STORED;
  retransmit = count_retransmit (loader, p->from, &p->seg);
  rec = add_record (loader, TL_REC_SEND, time, p->from);
  rec->packet = p->id;
  rec->seg = p->seg;
  rec->retransmit = (guint16) MIN (retransmit, G_MAXUINT16);
  return TRUE;
}

static gboolean
router_line (Loader     *loader,
             JsonObject *obj,
             guint       line,
             GError    **error)
{
  const char *event = member_string (obj, "event");
  TlTraceRecord *rec;
  Packet *p;
  gint64 time;

  if (event == NULL)
    return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line, "event: missing");
  if (!member_int (obj, "time_ns", &time))
    return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line, "time_ns: missing");

  if (g_str_equal (event, "send"))
    return router_send (loader, obj, line, error);
  if (g_str_equal (event, "pause") || g_str_equal (event, "resume"))
    {
      add_record (loader, g_str_equal (event, "pause") ? TL_REC_PAUSE : TL_REC_RESUME,
                  time, TL_HOST_ROUTER);
      return TRUE;
    }

  p = lookup_packet (loader, obj, line, FALSE, error);
  if (p == NULL)
    return FALSE;
  if (p->skipped)
    return TRUE;

  if (g_str_equal (event, "deliver"))
    {
      TlPacketInfo info;
      gboolean is_tcp;
      gint64 frame;
      TlTime at;

      if (!member_int (obj, "frame", &frame))
        return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line, "frame: missing");
      if (!parse_frame (loader, p->to, frame, line, &info, &at, &is_tcp, error))
        return FALSE;
      if (!is_tcp || info.seg.seq != p->seg.seq || info.seg.flags != p->seg.flags
          || info.seg.src_port != p->seg.src_port)
        return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line,
                     "frame %" G_GINT64_FORMAT " of %s is not the packet that was sent",
                     frame, pcap_files[p->to]);
      rec = add_record (loader, TL_REC_DELIVER, at, p->to);
    }
  else if (g_str_equal (event, "router-in"))
    rec = add_record (loader, TL_REC_ROUTER_IN, time, TL_HOST_ROUTER);
  else if (g_str_equal (event, "hold"))
    rec = add_record (loader, TL_REC_HOLD, time, TL_HOST_ROUTER);
  else if (g_str_equal (event, "release"))
    rec = add_record (loader, TL_REC_RELEASE, time, TL_HOST_ROUTER);
  else if (g_str_equal (event, "drop"))
    {
      const char *where = member_string (obj, "where");
      TlDropReason reason = drop_reason_from_string (member_string (obj, "reason"));
      gint host = g_strcmp0 (where, "router") == 0 ? TL_HOST_ROUTER : host_index (loader, where);

      if (host < 0)
        return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line,
                     "where: expected \"router\" or a host name");
      if (reason == TL_DROP_NONE)
        return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line,
                     "reason: expected loss, queue-full, no-route or end-of-run");
      rec = add_record (loader, TL_REC_DROP, time, (guint) host);
      rec->drop_reason = (guint8) reason;
    }
  else
    return fail (loader, error, TL_IO_ERROR_INVALID, "router.jsonl", line,
                 "event: unknown \"%s\"", event);

  rec->packet = p->id;
  rec->seg = p->seg;
  return TRUE;
}

/* ---- calls.jsonl ---- */

static TlCallKind
call_from_string (const char *text)
{
  for (guint c = TL_CALL_NONE + 1; c < TL_N_CALLS; c++)
    if (g_strcmp0 (tl_call_to_string ((TlCallKind) c), text) == 0)
      return (TlCallKind) c;
  return TL_CALL_NONE;
}

static gint64
call_arg (TlCallKind  call,
          JsonObject *obj)
{
  JsonNode *node = json_object_get_member (obj, "args");
  JsonObject *args;
  gint64 value = 0;
  const char *how;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  args = json_node_get_object (node);
  switch (call)
    {
    case TL_CALL_SEND:
      member_int (args, "bytes", &value);
      return value;
    case TL_CALL_SETSOCKOPT:
      member_int (args, "value", &value);
      return value;
    case TL_CALL_SHUTDOWN:
      how = member_string (args, "how");
      return g_strcmp0 (how, "SHUT_RD") == 0 ? 0 : g_strcmp0 (how, "SHUT_WR") == 0 ? 1 : 2;
    case TL_CALL_READ:
      how = member_string (args, "mode");
      if (g_strcmp0 (how, "off") == 0)
        return TL_READ_ARG_OFF;
      if (g_strcmp0 (how, "on") == 0)
        return TL_READ_ARG_ON;
      member_int (args, "bytes", &value);
      return value;
    case TL_CALL_NONE:
    case TL_CALL_BIND:
    case TL_CALL_LISTEN:
    case TL_CALL_CONNECT:
    case TL_CALL_ACCEPT:
    case TL_CALL_CLOSE:
    case TL_CALL_ABORT:
    case TL_N_CALLS:
    default:
      return 0;
    }
}

static gboolean
calls_line (Loader     *loader,
            JsonObject *obj,
            guint       line,
            GError    **error)
{
  const char *event = member_string (obj, "event");
  const char *name = member_string (obj, "call");
  gint host = host_index (loader, member_string (obj, "host"));
  gint64 time, err = 0, socket = 0;
  TlTraceRecord *rec;
  TlCallKind call;

  if (event == NULL)
    return fail (loader, error, TL_IO_ERROR_INVALID, "calls.jsonl", line, "event: missing");
  /* Reads, end of file and late errors say what the application saw; the
   * trace has no record for them. */
  if (!g_str_equal (event, "call") && !g_str_equal (event, "result"))
    return TRUE;
  if (!member_int (obj, "time_ns", &time))
    return fail (loader, error, TL_IO_ERROR_INVALID, "calls.jsonl", line, "time_ns: missing");
  if (host < 0)
    return fail (loader, error, TL_IO_ERROR_INVALID, "calls.jsonl", line,
                 "host: expected one of the hosts of meta.json");
  call = call_from_string (name);
  if (call == TL_CALL_NONE)
    return fail (loader, error, TL_IO_ERROR_INVALID, "calls.jsonl", line,
                 "call: unknown \"%s\"", name ? name : "");
  if (json_object_has_member (obj, "errno") && (!member_int (obj, "errno", &err) || err < 0 || err > 4095))
    return fail (loader, error, TL_IO_ERROR_INVALID, "calls.jsonl", line, "errno: expected 0 to 4095");
  if (json_object_has_member (obj, "socket") && (!member_int (obj, "socket", &socket) || socket < 0))
    return fail (loader, error, TL_IO_ERROR_INVALID, "calls.jsonl", line, "socket: expected a socket number");

  if (g_str_equal (event, "call"))
    {
      rec = add_record (loader, TL_REC_CALL, time, (guint) host);
      /* A connect in progress or an accept waiting for a connection has
       * not failed: its "result" line says how it ends. */
      rec->error = (err == EINPROGRESS || member_bool (obj, "pending")) ? 0 : (gint32) err;
      rec->arg = call_arg (call, obj);
    }
  else
    {
      rec = add_record (loader, TL_REC_CALL_RESULT, time, (guint) host);
      rec->error = (gint32) err;
    }
  rec->call = (guint8) call;
  rec->socket = (guint8) MIN (socket, G_MAXUINT8);
  return TRUE;
}

/* ---- states.jsonl ---- */

static gboolean
states_line (Loader     *loader,
             JsonObject *obj,
             guint       line,
             GError    **error)
{
  gint host = host_index (loader, member_string (obj, "host"));
  const char *old_name = member_string (obj, "old");
  const char *new_name = member_string (obj, "new");
  TlTcpState old_state, new_state;
  gint64 time, socket = 0;
  TlTraceRecord *rec;

  if (!member_int (obj, "time_ns", &time))
    return fail (loader, error, TL_IO_ERROR_INVALID, "states.jsonl", line, "time_ns: missing");
  if (host < 0)
    return fail (loader, error, TL_IO_ERROR_INVALID, "states.jsonl", line,
                 "host: expected one of the hosts of meta.json");
  if (old_name == NULL || !tl_tcp_state_from_string (old_name, &old_state))
    return fail (loader, error, TL_IO_ERROR_INVALID, "states.jsonl", line,
                 "old: expected a TCP state such as SYN-SENT");
  if (new_name == NULL || !tl_tcp_state_from_string (new_name, &new_state))
    return fail (loader, error, TL_IO_ERROR_INVALID, "states.jsonl", line,
                 "new: expected a TCP state such as ESTABLISHED");
  if (json_object_has_member (obj, "socket") && (!member_int (obj, "socket", &socket) || socket < 0))
    return fail (loader, error, TL_IO_ERROR_INVALID, "states.jsonl", line, "socket: expected a socket number");
  /* A kernel event that is no change of TCP state (an orphaned FIN-WAIT-2
   * socket becoming a mini-socket). */
  if (old_state == new_state)
    return TRUE;

  rec = add_record (loader, TL_REC_STATE, time, (guint) host);
  rec->old_state = (guint8) old_state;
  rec->new_state = (guint8) new_state;
  rec->socket = (guint8) MIN (socket, G_MAXUINT8);
  rec->inferred = member_bool (obj, "inferred") ? 1 : 0;
  return TRUE;
}

/* ---- JSON lines ---- */

typedef gboolean (*LineFunc) (Loader     *loader,
                              JsonObject *obj,
                              guint       line,
                              GError    **error);

static gboolean
load_jsonl (Loader      *loader,
            const char  *file,
            LineFunc     func,
            GError     **error)
{
  g_autofree char *path = g_build_filename (loader->dir, file, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) local = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize length;
  char *line, *next;
  guint number = 0;

  if (!g_file_get_contents (path, &text, &length, &local))
    return fail (loader, error, TL_IO_ERROR_READ, file, 0, "%s", local->message);
  if (memchr (text, '\0', length) != NULL)
    return fail (loader, error, TL_IO_ERROR_PARSE, file, 0, "contains NUL bytes: not a text file");

  for (line = text; line != NULL && *line != '\0'; line = next)
    {
      JsonNode *root;

      number++;
      next = strchr (line, '\n');
      if (next != NULL)
        *next++ = '\0';
      g_strstrip (line);
      if (*line == '\0')
        continue;
      {
        guint deep_line, column;

        if (tl_json_nesting_too_deep (line, strlen (line), &deep_line, &column))
          return fail (loader, error, TL_IO_ERROR_PARSE, file, number,
                       "column %u: nested more than %d levels deep", column, TL_JSON_MAX_NESTING);
      }
      if (!json_parser_load_from_data (parser, line, -1, &local))
        return fail (loader, error, TL_IO_ERROR_PARSE, file, number, "%s", local->message);
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        return fail (loader, error, TL_IO_ERROR_PARSE, file, number, "expected one JSON object per line");
      if (!func (loader, json_node_get_object (root), number, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- putting it together ---- */

static gint
compare_pending (gconstpointer a,
                 gconstpointer b)
{
  const Pending *x = a, *y = b;

  if (x->rec.time != y->rec.time)
    return x->rec.time < y->rec.time ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

gboolean
tl_bundle_is_bundle (const char *dir)
{
  g_autofree char *meta = g_build_filename (dir, "meta.json", NULL);

  return g_file_test (dir, G_FILE_TEST_IS_DIR) && g_file_test (meta, G_FILE_TEST_IS_REGULAR);
}

static void
loader_clear (Loader *loader)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_free (loader->names[h]);
      if (loader->frames[h] != NULL)
        {
          for (guint i = 0; i < loader->frames[h]->len; i++)
            g_bytes_unref (g_array_index (loader->frames[h], Frame, i).bytes);
          g_array_unref (loader->frames[h]);
        }
      if (loader->sent[h] != NULL)
        g_array_unref (loader->sent[h]);
    }
  g_clear_pointer (&loader->packets, g_array_unref);
  g_clear_pointer (&loader->pending, g_array_unref);
}

TlTrace *
tl_bundle_load (const char  *dir,
                GError     **error)
{
  Loader loader = { 0 };
  g_autoptr (TlTrace) trace = tl_trace_new ();
  gboolean ok;

  g_return_val_if_fail (dir != NULL, NULL);

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_READ, "%s: not a capture bundle directory", dir);
      return NULL;
    }
  loader.dir = dir;
  loader.trace = trace;
  loader.packets = g_array_new (FALSE, TRUE, sizeof (Packet));
  loader.pending = g_array_new (FALSE, TRUE, sizeof (Pending));
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      loader.frames[h] = g_array_new (FALSE, TRUE, sizeof (Frame));
      loader.sent[h] = g_array_new (FALSE, TRUE, sizeof (TlSegment));
    }
  trace->source = TL_TRACE_CAPTURE;

  ok = load_meta (&loader, error)
       && load_pcap (&loader, TL_HOST_A, error)
       && load_pcap (&loader, TL_HOST_B, error)
       && load_jsonl (&loader, "router.jsonl", router_line, error)
       && load_jsonl (&loader, "calls.jsonl", calls_line, error)
       && load_jsonl (&loader, "states.jsonl", states_line, error);

  if (ok)
    {
      g_array_sort (loader.pending, compare_pending);
      for (guint i = 0; i < loader.pending->len; i++)
        {
          const TlTraceRecord *src = &g_array_index (loader.pending, Pending, i).rec;
          TlTraceRecord *rec = tl_trace_append (trace, (TlRecordKind) src->kind, src->time, src->host);
          *rec = *src;
        }
    }
  loader_clear (&loader);
  return ok ? g_steal_pointer (&trace) : NULL;
}

/* ---- the kernel a bundle was captured on, as scenario settings ---- */

/* A sysctl of meta.json and the scenario key it becomes; SUFFIX is the
 * unit its number is in, for keys whose values are durations. */
typedef struct
{
  const char *sysctl;
  const char *key;
  const char *suffix;
} SysctlKey;

static const SysctlKey sysctl_keys[] = {
  { "net.ipv4.tcp_syn_retries",         "syn-retries",         "" },
  { "net.ipv4.tcp_syn_linear_timeouts", "syn-linear-timeouts", "" },
  { "net.ipv4.tcp_synack_retries",      "synack-retries",      "" },
  { "net.ipv4.tcp_timestamps",          "timestamps",          "" },
  { "net.ipv4.tcp_sack",                "sack",                "" },
  { "net.ipv4.tcp_window_scaling",      "window-scaling",      "" },
  { "net.ipv4.tcp_invalid_ratelimit",   "invalid-ratelimit",   "ms" },
  { "net.ipv4.tcp_orphan_retries",      "orphan-retries",      "" },
  { "net.ipv4.tcp_rto_min_us",          "rto-min",             "us" },
  { "net.ipv4.tcp_rto_max_ms",          "rto-max",             "ms" },
};

static gboolean
set_host_key (TlScenario  *scenario,
              guint        host,
              const char  *key,
              const char  *value,
              const char  *dir,
              GError     **error)
{
  g_autofree char *full = g_strdup_printf ("%s.%s", scenario->hosts[host].name, key);
  g_autoptr (GError) local = NULL;

  if (tl_scenario_set (scenario, full, value, &local))
    return TRUE;
  g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_INVALID, "%s/meta.json: %s", dir, local->message);
  return FALSE;
}

/* Switches: Linux writes 1 or 2 for "on" (tcp_timestamps 2 is on without
 * random offsets), 0 for off. */
static const char *
sysctl_value (const SysctlKey *k,
              const char      *raw,
              char            *buffer,
              gsize            size)
{
  if (g_str_equal (k->key, "timestamps") || g_str_equal (k->key, "sack")
      || g_str_equal (k->key, "window-scaling"))
    return g_str_equal (raw, "0") ? "off" : "on";
  g_snprintf (buffer, size, "%s%s", raw, k->suffix);
  return buffer;
}

static gboolean
apply_host_sysctls (TlScenario  *scenario,
                    guint        host,
                    JsonObject  *sysctls,
                    const char  *dir,
                    GError     **error)
{
  char buffer[64];

  for (guint i = 0; i < G_N_ELEMENTS (sysctl_keys); i++)
    {
      const char *raw = member_string (sysctls, sysctl_keys[i].sysctl);
      if (raw == NULL)
        continue;
      if (!set_host_key (scenario, host, sysctl_keys[i].key,
                         sysctl_value (&sysctl_keys[i], raw, buffer, sizeof buffer), dir, error))
        return FALSE;
    }
  /* tcp_rmem is "min default max": the window scale comes from max. */
  {
    const char *rmem = member_string (sysctls, "net.ipv4.tcp_rmem");
    g_auto (GStrv) fields = rmem != NULL ? g_strsplit_set (rmem, " \t", -1) : NULL;
    guint n = fields != NULL ? g_strv_length (fields) : 0;
    if (n >= 3 && !set_host_key (scenario, host, "rmem-max", fields[n - 1], dir, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
apply_timer (TlScenario  *scenario,
             JsonObject  *timer,
             const char  *dir,
             GError     **error)
{
  gint64 hz, jiffies, offset;
  char hz_text[32], jiffies_text[32], offset_text[32];

  if (!member_int (timer, "hz", &hz) || !member_int (timer, "jiffies_at_start", &jiffies)
      || !member_int (timer, "tick_offset_ns", &offset) || hz <= 0 || offset < 0)
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_INVALID,
                   "%s/meta.json: timer: expected hz, jiffies_at_start and tick_offset_ns", dir);
      return FALSE;
    }
  g_snprintf (hz_text, sizeof hz_text, "%" G_GINT64_FORMAT, hz);
  /* The wheel's bucket edges only depend on the low bits. */
  g_snprintf (jiffies_text, sizeof jiffies_text, "%" G_GUINT64_FORMAT,
              (guint64) jiffies & G_MAXUINT32);
  g_snprintf (offset_text, sizeof offset_text, "%" G_GINT64_FORMAT "ns", offset);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    if (!set_host_key (scenario, h, "hz", hz_text, dir, error)
        || !set_host_key (scenario, h, "jiffies", jiffies_text, dir, error)
        || !set_host_key (scenario, h, "tick-offset", offset_text, dir, error))
      return FALSE;
  return TRUE;
}

/* The scenario's calls at the times the capture made them, a little after
 * the scheduled ones.  What the kernel did from there is what is compared,
 * not how late the agent was; and a timer a call arms must start from the
 * same jiffy as the kernel's: a tick between the two times would put them
 * in timer-wheel buckets 32 ms apart. */
static gboolean
apply_call_times (const char  *dir,
                  TlScenario  *scenario,
                  GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "calls.jsonl", NULL);
  g_autofree char *text = NULL;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) moved = g_ptr_array_new_with_free_func (g_free);

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return TRUE;   /* nothing recorded: the scheduled times stand */
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    g_ptr_array_add (moved, g_new0 (gboolean, scenario->hosts[h].calls != NULL
                                              ? scenario->hosts[h].calls->len + 1 : 1));
  lines = g_strsplit (text, "\n", -1);
  for (guint n = 0; lines[n] != NULL; n++)
    {
      JsonNode *root;
      JsonObject *obj;
      const char *host_name;
      gint64 when, scheduled;
      TlCallKind kind;
      gint host = -1;
      gboolean *host_moved;

      if (*lines[n] == '\0')
        continue;
      if (!tl_json_parser_load (parser, lines[n], -1, path, error))
        return FALSE;
      root = json_parser_get_root (parser);
      obj = root != NULL && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
      if (obj == NULL || g_strcmp0 (member_string (obj, "event"), "call") != 0
          || !member_int (obj, "time_ns", &when) || !member_int (obj, "scheduled_ns", &scheduled)
          || when < scheduled)
        continue;
      host_name = member_string (obj, "host");
      for (guint h = 0; host_name != NULL && h < TL_MAX_HOSTS; h++)
        if (g_strcmp0 (scenario->hosts[h].name, host_name) == 0)
          host = (gint) h;
      kind = call_from_string (member_string (obj, "call"));
      if (host < 0 || kind == TL_CALL_NONE || scenario->hosts[host].calls == NULL)
        continue;
      host_moved = g_ptr_array_index (moved, host);
      /* The first call of that kind scheduled then, not yet moved. */
      for (guint c = 0; c < scenario->hosts[host].calls->len; c++)
        {
          TlScenarioCall *call = &g_array_index (scenario->hosts[host].calls, TlScenarioCall, c);

          if (!host_moved[c] && call->kind == kind && call->at == scheduled)
            {
              call->at = when;
              host_moved[c] = TRUE;
              break;
            }
        }
    }
  return TRUE;
}

gboolean
tl_bundle_apply_settings (const char  *dir,
                          TlScenario  *scenario,
                          GError     **error)
{
  g_autofree char *path = g_build_filename (dir, "meta.json", NULL);
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) local = NULL;
  JsonObject *root, *kernel, *timer;
  JsonArray *hosts;
  gint64 version;

  if (!load_json_file (parser, path, &local))
    {
      if (local->domain == TL_IO_ERROR)
        g_propagate_error (error, g_steal_pointer (&local));
      else
        g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_READ, "%s: %s", path, local->message);
      return FALSE;
    }
  root = json_parser_get_root (parser) != NULL && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
         ? json_node_get_object (json_parser_get_root (parser)) : NULL;
  hosts = root != NULL && json_object_has_member (root, "hosts")
          && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "hosts"))
          ? json_object_get_array_member (root, "hosts") : NULL;
  if (hosts == NULL || json_array_get_length (hosts) != TL_MAX_HOSTS)
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_INVALID, "%s: hosts: expected two hosts", path);
      return FALSE;
    }
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      JsonNode *node = json_array_get_element (hosts, h);
      JsonObject *host = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *sysctls = host != NULL ? json_object_get_member (host, "sysctls") : NULL;
      const char *name = host != NULL ? member_string (host, "name") : NULL;
      guint target = h;

      /* Match hosts by name: the scenario may list them in another order. */
      for (guint s = 0; name != NULL && s < TL_MAX_HOSTS; s++)
        if (g_strcmp0 (scenario->hosts[s].name, name) == 0)
          target = s;
      if (sysctls != NULL && JSON_NODE_HOLDS_OBJECT (sysctls)
          && !apply_host_sysctls (scenario, target, json_node_get_object (sysctls), dir, error))
        return FALSE;
    }
  kernel = json_object_has_member (root, "kernel")
           && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "kernel"))
           ? json_object_get_object_member (root, "kernel") : NULL;
  if (kernel != NULL && member_int (kernel, "kernel_version", &version) && version > 0)
    {
      char text[32];
      g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT,
                  version / 10000, (version / 100) % 100);
      for (guint h = 0; h < TL_MAX_HOSTS; h++)
        if (!set_host_key (scenario, h, "kernel", text, dir, error))
          return FALSE;
    }
  timer = json_object_has_member (root, "timer")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "timer"))
          ? json_object_get_object_member (root, "timer") : NULL;
  if (timer != NULL && !apply_timer (scenario, timer, dir, error))
    return FALSE;
  if (!apply_call_times (dir, scenario, error))
    return FALSE;
  return tl_scenario_validate (scenario, error);
}

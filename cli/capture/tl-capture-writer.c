/* tl-capture-writer.c: the capture bundle on disk (docs/capture-bundle.md).
 *
 * Everything goes into the temporary directory the caller renames into
 * place at the end; each file is itself written to a temporary name and
 * renamed, so no reader ever sees half a file.
 */
#include "tl-capture-private.h"
#include "tl-json-builder.h"

#include <errno.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#ifndef TL_VERSION
#define TL_VERSION "unknown"
#endif

#define SNAPLEN 262144

static const char *const pcap_names[TL_MAX_HOSTS] = { "host-A.pcap", "host-B.pcap" };

/* ---- pcaps ---- */

static gboolean
write_pcap (TlCapture            *capture,
            const TlCaptureHost  *host,
            const char           *path,
            GError              **error)
{
  g_autofree char *part = g_strconcat (path, ".part", NULL);
  pcap_t *dead;
  pcap_dumper_t *dumper;
  gboolean ok = TRUE;

  /* LINKTYPE_RAW: the TUN hands over bare IP packets. */
  dead = pcap_open_dead_with_tstamp_precision (DLT_RAW, SNAPLEN, PCAP_TSTAMP_PRECISION_NANO);
  if (dead == NULL)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT,
                   "%s: libpcap cannot make a raw-IP capture", path);
      return FALSE;
    }
  dumper = pcap_dump_open (dead, part);
  if (dumper == NULL)
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT,
                   "%s: %s", path, pcap_geterr (dead));
      pcap_close (dead);
      return FALSE;
    }
  for (guint i = 0; i < host->frames->len; i++)
    {
      const TlCaptureFrame *frame = &g_array_index (host->frames, TlCaptureFrame, i);
      struct pcap_pkthdr header = { 0 };
      gsize length;
      const guint8 *bytes = g_bytes_get_data (frame->bytes, &length);
      /* Wall-clock times, so Wireshark shows when the capture ran;
       * meta.json's start.realtime_ns takes them back to scenario time. */
      gint64 ns = capture->t0_realtime + frame->time;

      header.ts.tv_sec = (time_t) (ns / 1000000000);
      header.ts.tv_usec = (suseconds_t) (ns % 1000000000);   /* nanoseconds in a nano pcap */
      header.caplen = (bpf_u_int32) MIN (length, SNAPLEN);
      header.len = (bpf_u_int32) length;
      pcap_dump ((u_char *) dumper, &header, bytes);
    }
  if (pcap_dump_flush (dumper) != 0)
    ok = FALSE;
  pcap_dump_close (dumper);
  pcap_close (dead);
  if (ok && rename (part, path) < 0)
    ok = FALSE;
  if (!ok)
    {
      int saved = errno;
      unlink (part);
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT,
                   "cannot write %s: %s", path, g_strerror (saved));
    }
  return ok;
}

/* ---- text files ---- */

static gboolean
write_text (const char  *dir,
            const char  *name,
            const char  *text,
            gssize       length,
            GError     **error)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) local = NULL;

  if (!g_file_set_contents (path, text, length, &local))
    {
      g_set_error (error, TL_CAPTURE_ERROR, TL_CAPTURE_ERROR_OUTPUT, "%s", local->message);
      return FALSE;
    }
  return TRUE;
}

static const char *
where_name (const TlCapture *capture,
            guint            where)
{
  return where == TL_HOST_ROUTER ? "router" : capture->hosts[where].name;
}

static char *
router_log (TlCapture *capture)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < capture->wire_log->len; i++)
    {
      const TlWireEvent *e = &g_array_index (capture->wire_log, TlWireEvent, i);

      g_string_append_printf (out, "{\"time_ns\":%" G_GINT64_FORMAT ",\"event\":\"%s\"",
                              e->time, tl_record_kind_to_string (e->kind));
      if (e->packet != 0)
        {
          const TlWirePacket *p = &g_array_index (capture->packets, TlWirePacket, e->packet - 1);
          g_string_append_printf (out, ",\"packet\":%u,\"from\":", e->packet);
          tl_json_append_string (out, capture->hosts[p->from].name);
          g_string_append (out, ",\"to\":");
          tl_json_append_string (out, capture->hosts[p->to].name);
        }
      if (e->kind == TL_REC_SEND || e->kind == TL_REC_DELIVER)
        g_string_append_printf (out, ",\"frame\":%u", e->frame);
      if (e->kind == TL_REC_DROP)
        {
          g_string_append (out, ",\"where\":");
          tl_json_append_string (out, where_name (capture, e->where));
          g_string_append_printf (out, ",\"reason\":\"%s\"",
                                  tl_drop_reason_to_string (e->drop_reason));
        }
      g_string_append (out, "}\n");
    }
  return g_string_free (out, FALSE);
}

static char *
states_log (TlCapture *capture,
            GArray    *states)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < states->len; i++)
    {
      const TlCaptureState *s = &g_array_index (states, TlCaptureState, i);

      g_string_append_printf (out, "{\"time_ns\":%" G_GINT64_FORMAT ",\"host\":", s->time);
      tl_json_append_string (out, capture->hosts[s->host].name);
      g_string_append_printf (out, ",\"socket\":%u,\"old\":\"%s\",\"new\":\"%s\",\"sport\":%u,\"dport\":%u",
                              s->socket, tl_tcp_state_to_string (s->old_state),
                              tl_tcp_state_to_string (s->new_state), s->sport, s->dport);
      if (s->kernel_old >= 0)
        g_string_append_printf (out, ",\"kernel_old\":\"%s\",\"kernel_new\":\"%s\"",
                                tl_kernel_state_to_string (s->kernel_old),
                                tl_kernel_state_to_string (s->kernel_new));
      if (s->inferred)
        g_string_append (out, ",\"inferred\":true");
      if (s->note != NULL)
        {
          g_string_append (out, ",\"note\":");
          tl_json_append_string (out, s->note);
        }
      g_string_append (out, "}\n");
    }
  return g_string_free (out, FALSE);
}

/* ---- meta.json ---- */

/* "6.18.44-fc" -> 61800, the encoding of TlHostSettings.kernel_version. */
static guint
kernel_version_number (const char *release)
{
  guint major = 0, minor = 0;

  if (sscanf (release, "%u.%u", &major, &minor) < 2)
    return 0;
  return major * 10000 + MIN (minor, 99) * 100;
}

static void
add_scenario (JsonBuilder     *b,
              const TlCapture *capture)
{
  const TlScenario *scenario = capture->scenario;
  g_autofree char *caption = tl_scenario_describe (scenario);

  json_builder_set_member_name (b, "scenario");
  json_builder_begin_object (b);
  tl_json_add_string (b, "name", scenario->name);
  tl_json_add_string (b, "description", scenario->description);
  tl_json_add_string (b, "caption", caption);
  tl_json_add_string (b, "file", "scenario.scn");
  tl_json_add_string (b, "profile", tl_profile_to_string (scenario->profile));
  json_builder_set_member_name (b, "seed");
  /* Seeds use all 64 bits: as a string, JSON numbers are doubles to many. */
  {
    g_autofree char *seed = g_strdup_printf ("%" G_GUINT64_FORMAT, scenario->seed);
    json_builder_add_string_value (b, seed);
  }
  tl_json_add_int (b, "duration_ns", scenario->duration);

  json_builder_set_member_name (b, "links");
  json_builder_begin_array (b);
  for (guint d = 0; d < 2; d++)
    {
      const TlLinkConfig *link = &scenario->links[d];
      json_builder_begin_object (b);
      tl_json_add_string (b, "from", capture->hosts[d].name);
      tl_json_add_string (b, "to", capture->hosts[1 - d].name);
      tl_json_add_int (b, "delay_ns", link->delay);
      tl_json_add_int (b, "jitter_ns", link->jitter);
      tl_json_add_int (b, "loss_ppm", link->loss_ppm);
      tl_json_add_int (b, "rate_bps", (gint64) MIN (link->rate_bps, (guint64) G_MAXINT64));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "router");
  if (!scenario->has_router)
    json_builder_add_null_value (b);
  else
    {
      json_builder_begin_object (b);
      tl_json_add_int (b, "queue", scenario->router_queue);
      tl_json_add_int (b, "release_gap_ns", scenario->release_gap);
      json_builder_set_member_name (b, "pauses");
      json_builder_begin_array (b);
      for (guint i = 0; scenario->pauses != NULL && i < scenario->pauses->len; i++)
        {
          const TlPauseWindow *w = &g_array_index (scenario->pauses, TlPauseWindow, i);
          json_builder_begin_object (b);
          tl_json_add_int (b, "start_ns", w->start);
          tl_json_add_int (b, "end_ns", w->end);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
}

static char *
meta_json (TlCapture *capture,
           GArray    *states)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) start = NULL;
  g_autofree char *start_text = NULL;
  struct utsname uts;

  if (uname (&uts) < 0)
    memset (&uts, 0, sizeof uts);
  start = g_date_time_new_from_unix_utc (capture->t0_realtime / 1000000000);
  if (start != NULL)
    {
      g_autoptr (GDateTime) precise =
        g_date_time_add (start, (capture->t0_realtime % 1000000000) / 1000);
      start_text = g_date_time_format (precise, "%Y-%m-%dT%H:%M:%S.%fZ");
    }

  json_builder_begin_object (b);
  tl_json_add_string (b, "format", "tcpladder-capture");
  tl_json_add_int (b, "version", 1);
  tl_json_add_string (b, "tcpladder_version", TL_VERSION);

  add_scenario (b, capture);

  json_builder_set_member_name (b, "start");
  json_builder_begin_object (b);
  tl_json_add_int (b, "realtime_ns", capture->t0_realtime);
  tl_json_add_string (b, "utc", start_text);
  tl_json_add_int (b, "monotonic_ns", capture->t0);
  json_builder_end_object (b);
  tl_json_add_int (b, "end_ns", capture->stop_time);
  tl_json_add_string (b, "stop_reason", tl_capture_stop_to_string (capture->stop));
  tl_json_add_int (b, "quiet_time_ns", TL_CAPTURE_QUIET_TIME);
  if (capture->options->max_duration != TL_TIME_NEVER)
    tl_json_add_int (b, "max_duration_ns", capture->options->max_duration);
  tl_json_add_string (b, "clock", "CLOCK_MONOTONIC");
  if (capture->timer_hz != 0)
    {
      json_builder_set_member_name (b, "timer");
      json_builder_begin_object (b);
      tl_json_add_int (b, "hz", capture->timer_hz);
      tl_json_add_int (b, "jiffies_at_start", (gint64) capture->timer_jiffies);
      tl_json_add_int (b, "tick_offset_ns", capture->timer_tick_offset);
      json_builder_end_object (b);
    }
  tl_json_add_int (b, "state_resolution_ns", 1000);

  json_builder_set_member_name (b, "kernel");
  json_builder_begin_object (b);
  tl_json_add_string (b, "sysname", uts.sysname);
  tl_json_add_string (b, "release", uts.release);
  tl_json_add_string (b, "version", uts.version);
  tl_json_add_string (b, "machine", uts.machine);
  tl_json_add_int (b, "kernel_version", kernel_version_number (uts.release));
  json_builder_end_object (b);

  json_builder_set_member_name (b, "hosts");
  json_builder_begin_array (b);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      const TlCaptureHost *host = &capture->hosts[h];
      guint n_sent = 0;

      for (guint i = 0; i < host->frames->len; i++)
        n_sent += g_array_index (host->frames, TlCaptureFrame, i).outbound;
      json_builder_begin_object (b);
      tl_json_add_string (b, "name", host->name);
      tl_json_add_addr (b, "addr", host->addr);
      tl_json_add_int (b, "port", host->port);
      tl_json_add_string (b, "pcap", pcap_names[h]);
      tl_json_add_string (b, "netns", host->ns.name);
      tl_json_add_string (b, "interface", host->ifname);
      tl_json_add_int (b, "mtu", host->mtu);
      tl_json_add_int (b, "frames", host->frames->len);
      tl_json_add_int (b, "sent", n_sent);
      json_builder_set_member_name (b, "sysctls");
      json_builder_begin_object (b);
      for (guint i = 0; host->sysctl_keys != NULL && i < host->sysctl_keys->len; i++)
        {
          g_autofree char *key = g_strdup (g_ptr_array_index (host->sysctl_keys, i));
          g_strdelimit (key, "/", '.');
          tl_json_add_string (b, key, g_ptr_array_index (host->sysctl_values, i));
        }
      json_builder_end_object (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  json_builder_set_member_name (b, "timing");
  json_builder_begin_object (b);
  tl_json_add_int (b, "max_call_late_ns", capture->max_call_late);
  tl_json_add_int (b, "max_deliver_late_ns", capture->max_deliver_late);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "counts");
  json_builder_begin_object (b);
  tl_json_add_int (b, "packets", capture->packets->len);
  tl_json_add_int (b, "router_events", capture->wire_log->len);
  tl_json_add_int (b, "kernel_events", capture->kernel_events->len);
  tl_json_add_int (b, "states", states->len);
  tl_json_add_int (b, "unparsed_trace_lines", capture->n_bad_trace_lines);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "warnings");
  json_builder_begin_array (b);
  for (guint i = 0; i < capture->warnings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (capture->warnings, i));
  json_builder_end_array (b);

  json_builder_set_member_name (b, "files");
  json_builder_begin_object (b);
  tl_json_add_string (b, "pcaps", "host-A.pcap, host-B.pcap: each host's own view, raw IPv4, ns timestamps");
  tl_json_add_string (b, "router", "router.jsonl");
  tl_json_add_string (b, "calls", "calls.jsonl");
  tl_json_add_string (b, "states", "states.jsonl");
  tl_json_add_bool (b, "scenario_copy", TRUE);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  {
    g_autofree char *text = json_generator_to_data (gen, NULL);
    return g_strconcat (text, "\n", NULL);
  }
}

gboolean
tl_capture_write_bundle (TlCapture   *capture,
                         const char  *tmp_dir,
                         GArray      *states,
                         GError     **error)
{
  g_autofree char *router = router_log (capture);
  g_autofree char *state_text = states_log (capture, states);
  g_autofree char *meta = meta_json (capture, states);
  g_autofree char *scenario_text = NULL;

  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      g_autofree char *path = g_build_filename (tmp_dir, pcap_names[h], NULL);
      if (!write_pcap (capture, &capture->hosts[h], path, error))
        return FALSE;
    }
  if (capture->options->scenario_text != NULL)
    scenario_text = g_strndup (capture->options->scenario_text, capture->options->scenario_text_length);
  else
    scenario_text = tl_scenario_to_string (capture->scenario);

  return write_text (tmp_dir, "router.jsonl", router, -1, error)
         && write_text (tmp_dir, "calls.jsonl", capture->calls_log->str,
                        (gssize) capture->calls_log->len, error)
         && write_text (tmp_dir, "states.jsonl", state_text, -1, error)
         && write_text (tmp_dir, "scenario.scn", scenario_text, -1, error)
         /* Last: a bundle with meta.json is complete. */
         && write_text (tmp_dir, "meta.json", meta, -1, error);
}

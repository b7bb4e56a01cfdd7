/* tl-cli-run.c: `tcpladder run FILE`: simulate and print the ladder. */
#include "tl-cli.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tl-json.h"
#include "tl-load.h"
#include "tl-outcome.h"
#include "tl-pcap.h"
#include "tl-scenario.h"
#include "tl-text-ladder.h"

typedef struct
{
  gboolean absolute_seq;
  gboolean show_options;
  gboolean quiet;
  gboolean ladder;
  gboolean ascii;
} RunOptions;

/* Sequence numbers relative to each host's first SYN (its ISN). */
typedef struct
{
  gboolean known[TL_MAX_HOSTS];
  guint32  isn[TL_MAX_HOSTS];
} SeqBase;

static void
find_isns (const TlTrace *trace,
           SeqBase       *base)
{
  memset (base, 0, sizeof *base);
  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      if (rec->kind == TL_REC_SEND && rec->host < TL_MAX_HOSTS
          && (rec->seg.flags & TL_TCP_SYN) && !base->known[rec->host])
        {
          base->known[rec->host] = TRUE;
          base->isn[rec->host] = rec->seg.seq;
        }
    }
}

static guint
sender_of (const TlTrace   *trace,
           const TlSegment *seg)
{
  return seg->src_addr == trace->hosts[TL_HOST_B].addr ? TL_HOST_B : TL_HOST_A;
}

static void
format_segment (const TlTrace    *trace,
                const TlSegment  *seg,
                const SeqBase    *base,
                const RunOptions *opts,
                GString          *out)
{
  guint from = sender_of (trace, seg), to = 1 - from;
  guint32 seq = seg->seq, ack = seg->ack;

  if (!opts->absolute_seq)
    {
      if (base->known[from])
        seq -= base->isn[from];
      if (base->known[to])
        ack -= base->isn[to];
    }
  tl_tcp_flags_format (seg->flags, out);
  g_string_append_printf (out, " seq %u", seq);
  if (seg->flags & TL_TCP_ACK)
    g_string_append_printf (out, " ack %u", ack);
  g_string_append_printf (out, " win %u", seg->window);
  if (seg->len > 0)
    g_string_append_printf (out, " len %u", seg->len);
  if (opts->show_options && seg->opts.present != 0)
    {
      g_string_append (out, " <");
      tl_tcp_options_format (&seg->opts, out);
      g_string_append_c (out, '>');
    }
  else if (seg->opts.present & TL_OPT_SACK)
    {
      g_string_append_printf (out, " sack %u:%u",
                              seg->opts.sack[0].left - (opts->absolute_seq || !base->known[to] ? 0 : base->isn[to]),
                              seg->opts.sack[0].right - (opts->absolute_seq || !base->known[to] ? 0 : base->isn[to]));
    }
}

static const char *
arrow_for (guint from)
{
  return from == TL_HOST_A ? "-->" : "<--";
}

static void
format_record (const TlTrace       *trace,
               const TlTraceRecord *rec,
               const SeqBase       *base,
               const RunOptions    *opts,
               GString             *out)
{
  const char *host = tl_trace_host_name (trace, rec->host);

  tl_time_format_seconds (rec->time, out);
  g_string_append_printf (out, "  %-6s  ", host);
  switch ((TlRecordKind) rec->kind)
    {
    case TL_REC_SEND:
      g_string_append_printf (out, "%s send    #%-3u ", arrow_for (rec->host), rec->packet);
      format_segment (trace, &rec->seg, base, opts, out);
      if (rec->retransmit > 0)
        g_string_append_printf (out, "  (retransmission %u)", rec->retransmit);
      break;
    case TL_REC_DELIVER:
      g_string_append_printf (out, "%s arrive  #%-3u ", arrow_for (sender_of (trace, &rec->seg)),
                              rec->packet);
      format_segment (trace, &rec->seg, base, opts, out);
      break;
    case TL_REC_ROUTER_IN:
      g_string_append_printf (out, "    at router #%u", rec->packet);
      break;
    case TL_REC_HOLD:
      g_string_append_printf (out, "    hold #%u (router paused)", rec->packet);
      break;
    case TL_REC_RELEASE:
      g_string_append_printf (out, "    release #%u", rec->packet);
      break;
    case TL_REC_DROP:
      g_string_append_printf (out, "  x drop #%u (%s)", rec->packet,
                              tl_drop_reason_to_string (rec->drop_reason));
      break;
    case TL_REC_CALL:
      g_string_append_printf (out, "  %s()", tl_call_to_string (rec->call));
      if (rec->call == TL_CALL_SEND)
        g_string_append_printf (out, " %" G_GINT64_FORMAT " bytes", rec->arg);
      else if (rec->call == TL_CALL_READ && rec->arg < 0)
        g_string_append (out, rec->arg == TL_READ_ARG_OFF ? " off: data now waits to be read"
                                                          : " on: data is read as it arrives");
      else if (rec->call == TL_CALL_READ && rec->error == 0)
        g_string_append_printf (out, " %" G_GINT64_FORMAT " bytes", rec->arg);
      if (rec->error != 0)
        g_string_append_printf (out, " = %s", tl_errno_to_string (rec->error));
      break;
    case TL_REC_CALL_RESULT:
      g_string_append_printf (out, "  %s() completes: %s",
                              rec->call == TL_CALL_NONE ? "socket error" : tl_call_to_string (rec->call),
                              tl_errno_to_string (rec->error));
      break;
    case TL_REC_STATE:
      g_string_append_printf (out, "  %s -> %s", tl_tcp_state_to_string (rec->old_state),
                              tl_tcp_state_to_string (rec->new_state));
      break;
    case TL_REC_TIMER:
      g_string_append_printf (out, "  %s timer fires", tl_timer_to_string (rec->timer));
      break;
    case TL_REC_PAUSE:
      g_string_append (out, "  router paused");
      break;
    case TL_REC_RESUME:
      g_string_append (out, "  router resumed");
      break;
    case TL_N_RECORD_KINDS:
    default:
      g_string_append (out, "  ?");
      break;
    }
  g_string_append_c (out, '\n');
}

/* Router arrivals of packets that pass straight through add nothing for a
 * reader; holds and releases do. */
static gboolean
worth_a_line (const TlTrace       *trace,
              const TlTraceRecord *rec)
{
  return rec->kind != TL_REC_ROUTER_IN && rec->kind != TL_REC_TIMER;
}

static void
print_header (const TlTrace *trace,
              GString       *out)
{
  g_string_append_printf (out, "%s  (%s)\n", trace->title, trace->caption ? trace->caption : "");
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    g_string_append_printf (out, "  %s = %u.%u.%u.%u:%u\n", tl_trace_host_name (trace, i),
                            trace->hosts[i].addr >> 24, (trace->hosts[i].addr >> 16) & 0xff,
                            (trace->hosts[i].addr >> 8) & 0xff, trace->hosts[i].addr & 0xff,
                            trace->hosts[i].port);
  g_string_append (out, "\n    time (s)  where   event\n");
}

static void
print_summary (const TlTrace *trace,
               GString       *out)
{
  TlOutcome outcome;

  tl_outcome_classify (trace, &outcome);
  g_string_append_printf (out, "\nOutcome: %s, %s\n", tl_open_outcome_to_string (outcome.open),
                          tl_close_outcome_to_string (outcome.close));
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      g_autofree char *line = tl_outcome_describe_host (trace, &outcome, i);
      g_string_append_printf (out, "  %s\n", line);
    }
  g_string_append_printf (out, "  %u segments (%u retransmissions), %u held by the router, %u dropped\n",
                          outcome.n_segments, outcome.n_retransmissions, outcome.n_held,
                          outcome.n_dropped);
  if (trace->truncated)
    g_string_append (out, "  WARNING: the run hit its event limit (max-events) and was cut short\n");
}

int
tl_cli_run (int    argc,
            char **argv)
{
  RunOptions opts = { 0 };
  g_auto (GStrv) sets = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *pcap_path = NULL;
  g_autofree char *vantage_name = NULL;
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TlScenario) scenario = NULL;
  g_autoptr (TlTrace) trace = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  TlPcapVantage vantage = TL_PCAP_VANTAGE_MERGED;
  GOptionEntry entries[] = {
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a scenario value (repeatable), e.g. --set A<->B.delay=20ms", "KEY=VALUE" },
    { "json", 'j', 0, G_OPTION_ARG_FILENAME, &json_path,
      "Write the whole trace as JSON to FILE (- for standard output)", "FILE" },
    { "pcap", 'p', 0, G_OPTION_ARG_FILENAME, &pcap_path,
      "Write the segments as a pcap file that Wireshark and tshark open", "FILE" },
    { "vantage", 0, 0, G_OPTION_ARG_STRING, &vantage_name,
      "Where the pcap is captured: a, b, router or merged (default: merged, every segment at its send time)", "WHERE" },
    { "absolute-seq", 'S', 0, G_OPTION_ARG_NONE, &opts.absolute_seq,
      "Show absolute sequence numbers (default: relative to each side's ISN)", NULL },
    { "options", 'o', 0, G_OPTION_ARG_NONE, &opts.show_options,
      "Show every TCP option of each segment", NULL },
    { "ladder", 'l', 0, G_OPTION_ARG_NONE, &opts.ladder,
      "Print the two-column ladder figure instead of the event list", NULL },
    { "ascii", 0, 0, G_OPTION_ARG_NONE, &opts.ascii,
      "With --ladder: ASCII only, no box drawing", NULL },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opts.quiet,
      "Print only the outcome summary", NULL },
    { NULL }
  };

  context = g_option_context_new ("FILE - simulate a scenario");
  g_option_context_set_summary (context,
    "Runs the scenario FILE in the simulator and prints every segment, router\n"
    "hold and release, socket call and state change, then the outcome.");
  g_option_context_set_description (context,
    "Exit status: 0 on success, 2 for a bad command line, 3 for a bad scenario,\n"
    "4 when an output file cannot be written.  Keys for --set are listed in\n"
    "docs/scenario-format.md.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      tl_cli_error ("run", "%s", error->message);
      return TL_EXIT_USAGE;
    }
  if (argc != 2)
    {
      tl_cli_error ("run", "expected exactly one scenario FILE (see --help)");
      return TL_EXIT_USAGE;
    }
  if (vantage_name != NULL && !tl_pcap_vantage_from_string (vantage_name, &vantage))
    {
      tl_cli_error ("run", "--vantage: expected a, b, router or merged, got '%s'", vantage_name);
      return TL_EXIT_USAGE;
    }

  /* `run` simulates; a recorded trace is for export and compare. */
  {
    TlInputKind kind;
    if (tl_input_detect (argv[1], &kind, NULL) && kind != TL_INPUT_SCENARIO)
      {
        fprintf (stderr, "%s: this is a %s, not a scenario: `tcpladder export %s -o FILE` "
                 "draws it and `tcpladder compare` compares it\n",
                 argv[1], tl_input_kind_to_string (kind), argv[1]);
        return TL_EXIT_INPUT;
      }
  }
  scenario = tl_scenario_load (argv[1], &error);
  if (scenario == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return TL_EXIT_INPUT;
    }
  for (guint i = 0; sets != NULL && sets[i] != NULL; i++)
    {
      const char *eq = strchr (sets[i], '=');
      g_autofree char *key = NULL;

      if (eq == NULL)
        {
          tl_cli_error ("run", "--set %s: expected KEY=VALUE", sets[i]);
          return TL_EXIT_USAGE;
        }
      key = g_strndup (sets[i], (gsize) (eq - sets[i]));
      if (!tl_scenario_set (scenario, key, eq + 1, &error))
        {
          tl_cli_error ("run", "--set: %s", error->message);
          return TL_EXIT_USAGE;
        }
    }
  if (!tl_scenario_validate (scenario, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return TL_EXIT_INPUT;
    }

  trace = tl_trace_new ();
  tl_scenario_run (scenario, trace);

  if (opts.ladder && !opts.quiet)
    {
      TlRenderOptions ropts;
      tl_render_options_init (&ropts);
      ropts.ascii = opts.ascii;
      ropts.seq_mode = opts.absolute_seq ? TL_SEQ_ABSOLUTE : TL_SEQ_RELATIVE;
      ropts.show_options = opts.show_options;
      tl_text_ladder_render (trace, &ropts, out);
    }
  else if (!opts.quiet)
    {
      SeqBase base;
      find_isns (trace, &base);
      print_header (trace, out);
      for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
        {
          const TlTraceRecord *rec = tl_trace_get_record (trace, i);
          if (worth_a_line (trace, rec))
            format_record (trace, rec, &base, &opts, out);
        }
    }
  print_summary (trace, out);
  fwrite (out->str, 1, out->len, stdout);

  if (json_path != NULL && !tl_trace_write_json (trace, json_path, &error))
    {
      tl_cli_error ("run", "%s", error->message);
      return TL_EXIT_OUTPUT;
    }
  if (pcap_path != NULL && !tl_trace_write_pcap (trace, pcap_path, vantage, &error))
    {
      tl_cli_error ("run", "%s", error->message);
      return TL_EXIT_OUTPUT;
    }
  return TL_EXIT_OK;
}

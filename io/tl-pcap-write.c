/* tl-pcap-write.c: a trace as the pcap a capture at one vantage point
 * would give.
 *
 * libpcap writes the file (pcap_dump), into a temporary file in the
 * destination directory that is renamed over the target only once every
 * packet is on disk, so a failed write never leaves half a pcap behind.
 */
#include "tl-pcap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <pcap/pcap.h>

#include "tl-io-error.h"
#include "tl-packet.h"

#define TL_PCAP_SNAPLEN 65535
#define TL_PCAP_TTL     64

static const char *const vantage_names[] = {
  [TL_PCAP_VANTAGE_A] = "a",
  [TL_PCAP_VANTAGE_B] = "b",
  [TL_PCAP_VANTAGE_ROUTER] = "router",
  [TL_PCAP_VANTAGE_MERGED] = "merged",
};

const char *
tl_pcap_vantage_to_string (TlPcapVantage vantage)
{
  return (guint) vantage < G_N_ELEMENTS (vantage_names) ? vantage_names[vantage] : "?";
}

gboolean
tl_pcap_vantage_from_string (const char    *text,
                             TlPcapVantage *out)
{
  for (guint i = 0; i < G_N_ELEMENTS (vantage_names); i++)
    if (g_ascii_strcasecmp (text, vantage_names[i]) == 0)
      {
        *out = (TlPcapVantage) i;
        return TRUE;
      }
  return FALSE;
}

/* Does record REC appear in a capture taken at VANTAGE? */
static gboolean
seen_at (const TlTraceRecord *rec,
         TlPcapVantage        vantage)
{
  switch (vantage)
    {
    case TL_PCAP_VANTAGE_A:
    case TL_PCAP_VANTAGE_B:
      {
        guint host = vantage == TL_PCAP_VANTAGE_A ? TL_HOST_A : TL_HOST_B;
        return (rec->kind == TL_REC_SEND || rec->kind == TL_REC_DELIVER) && rec->host == host;
      }
    case TL_PCAP_VANTAGE_ROUTER:
      return rec->kind == TL_REC_ROUTER_IN || rec->kind == TL_REC_RELEASE;
    case TL_PCAP_VANTAGE_MERGED:
      return rec->kind == TL_REC_SEND;
    default:
      return FALSE;
    }
}

/* IP IDs as the senders would have chosen them: each host counts its own
 * packets from 1, in the order it sends them.  Every vantage point shows
 * a packet with the same ID, which is what lets captures taken at two
 * points be matched. */
static GHashTable *
assign_ip_ids (const TlTrace *trace)
{
  GHashTable *ids = g_hash_table_new (NULL, NULL);
  guint16 next[TL_HOST_ROUTER + 1] = { 1, 1, 1 };

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      guint host = MIN (rec->host, (guint) TL_HOST_ROUTER);

      if (rec->kind != TL_REC_SEND || rec->packet == 0
          || g_hash_table_contains (ids, GUINT_TO_POINTER (rec->packet)))
        continue;
      g_hash_table_insert (ids, GUINT_TO_POINTER (rec->packet),
                           GUINT_TO_POINTER ((guint) next[host]));
      next[host]++;
      if (next[host] == 0)
        next[host] = 1;
    }
  return ids;
}

typedef struct
{
  const char    *path;       /* for messages */
  FILE          *file;
  pcap_t        *pcap;
  pcap_dumper_t *dumper;
} PcapOut;

static gboolean
open_output (PcapOut     *out,
             FILE        *file,
             GError     **error)
{
  out->file = file;
  out->pcap = pcap_open_dead_with_tstamp_precision (DLT_RAW, TL_PCAP_SNAPLEN,
                                                    PCAP_TSTAMP_PRECISION_NANO);
  if (out->pcap == NULL)
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE,
                   "%s: libpcap could not set up a pcap writer", out->path);
      return FALSE;
    }
  out->dumper = pcap_dump_fopen (out->pcap, file);
  if (out->dumper == NULL)
    {
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE, "%s: %s",
                   out->path, pcap_geterr (out->pcap));
      return FALSE;
    }
  return TRUE;
}

static gboolean
dump_records (PcapOut        *out,
              const TlTrace  *trace,
              TlPcapVantage   vantage,
              GError        **error)
{
  g_autoptr(GHashTable) ids = assign_ip_ids (trace);
  g_autofree guint8 *buffer = g_malloc (TL_PCAP_SNAPLEN);

  for (guint i = 0; i < tl_trace_get_n_records (trace); i++)
    {
      const TlTraceRecord *rec = tl_trace_get_record (trace, i);
      struct pcap_pkthdr header = { 0 };
      gint64 ns;
      gsize size;

      if (!seen_at (rec, vantage))
        continue;
      size = tl_packet_build_ipv4 (&rec->seg, tl_trace_get_payload (trace, &rec->seg),
                                   (guint16) GPOINTER_TO_UINT (g_hash_table_lookup (
                                     ids, GUINT_TO_POINTER (rec->packet))),
                                   TL_PCAP_TTL, buffer, TL_PCAP_SNAPLEN);
      if (size == 0)
        {
          g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE,
                       "%s: record %u (packet %u): a %u-byte payload does not fit in "
                       "an IPv4 packet", out->path, i, rec->packet, rec->seg.len);
          return FALSE;
        }
      /* With nanosecond precision libpcap takes nanoseconds in tv_usec. */
      ns = TL_PCAP_EPOCH_SEC * G_GINT64_CONSTANT (1000000000) + rec->time;
      header.ts.tv_sec = (time_t) (ns / 1000000000);
      header.ts.tv_usec = (suseconds_t) (ns % 1000000000);
      header.caplen = (bpf_u_int32) size;
      header.len = (bpf_u_int32) size;
      pcap_dump ((u_char *) out->dumper, &header, buffer);
    }
  if (pcap_dump_flush (out->dumper) != 0 || ferror (out->file))
    {
      int saved = errno;
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE, "%s: %s",
                   out->path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_to_stdout (const TlTrace  *trace,
                 TlPcapVantage   vantage,
                 GError        **error)
{
  PcapOut out = { "standard output" };
  gboolean ok = open_output (&out, stdout, error)
                && dump_records (&out, trace, vantage, error);

  /* pcap_dump_close would fclose stdout: flush and let go instead. */
  if (out.pcap != NULL)
    pcap_close (out.pcap);
  return ok;
}

gboolean
tl_trace_write_pcap (const TlTrace  *trace,
                     const char     *path,
                     TlPcapVantage   vantage,
                     GError        **error)
{
  g_autofree char *tmp = NULL;
  PcapOut out = { path };
  FILE *file;
  gboolean ok;
  int fd;

  if (g_strcmp0 (path, "-") == 0)
    return write_to_stdout (trace, vantage, error);

  tmp = g_strdup_printf ("%s.XXXXXX", path);
  /* 0666 through the umask, like any file the user asked for. */
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE,
                   "%s: cannot create a file next to it: %s", path, g_strerror (saved));
      return FALSE;
    }
  file = fdopen (fd, "wb");
  if (file == NULL)
    {
      int saved = errno;
      close (fd);
      g_unlink (tmp);
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE, "%s: %s", path, g_strerror (saved));
      return FALSE;
    }

  ok = open_output (&out, file, error) && dump_records (&out, trace, vantage, error);
  if (ok && fsync (fileno (file)) != 0)
    {
      int saved = errno;
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE, "%s: %s", path, g_strerror (saved));
      ok = FALSE;
    }
  if (out.dumper != NULL)
    pcap_dump_close (out.dumper);   /* closes FILE */
  else
    fclose (file);
  if (out.pcap != NULL)
    pcap_close (out.pcap);

  if (ok && g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_set_error (error, TL_IO_ERROR, TL_IO_ERROR_WRITE, "%s: %s", path, g_strerror (saved));
      ok = FALSE;
    }
  if (!ok)
    g_unlink (tmp);
  return ok;
}

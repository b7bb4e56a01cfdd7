/* tl-segment.c: TCP flags and options, as text and as wire bytes.
 *
 * Two option layouts produce the same values in different bytes:
 *
 *   Linux (tcp_options_write in net/ipv4/tcp_output.c):
 *     mss                     02 04 mm mm
 *     sackOK + TS, packed     04 02 08 0a tsval tsecr      (12 bytes)
 *     TS without sackOK       01 01 08 0a tsval tsecr      (12 bytes)
 *     sackOK without TS       01 01 04 02
 *     wscale                  01 03 03 ws
 *     SACK blocks             01 01 05 len blocks...
 *
 *   RFC (every option aligned on its own with NOPs in front):
 *     mss, nop+wscale, nop+nop+sackOK, nop+nop+TS, nop+nop+SACK
 *
 * SACK blocks are the only variable part: when they would push the options
 * past 40 bytes, the blocks that do not fit are left out, as Linux does
 * (three blocks next to a timestamp, four without).
 */
#include "tl-segment.h"

#include <string.h>

#define TL_TCP_MAX_OPTIONS 40

enum
{
  OPT_EOL = 0,
  OPT_NOP = 1,
  OPT_MSS = 2,
  OPT_WSCALE = 3,
  OPT_SACK_PERM = 4,
  OPT_SACK = 5,
  OPT_TIMESTAMP = 8,
};

/* ---- flags ---------------------------------------------------------- */

/* SYN and FIN first, as people say them ("SYN,ACK", "FIN,ACK"). */
static const struct
{
  guint8      bit;
  const char *name;
} flag_names[] = {
  { TL_TCP_SYN, "SYN" },
  { TL_TCP_FIN, "FIN" },
  { TL_TCP_RST, "RST" },
  { TL_TCP_PSH, "PSH" },
  { TL_TCP_ACK, "ACK" },
  { TL_TCP_URG, "URG" },
  { TL_TCP_ECE, "ECE" },
  { TL_TCP_CWR, "CWR" },
};

void
tl_tcp_flags_format (guint8   flags,
                     GString *out)
{
  gboolean first = TRUE;

  if (flags == 0)
    {
      g_string_append (out, "none");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
    if (flags & flag_names[i].bit)
      {
        if (!first)
          g_string_append_c (out, ',');
        g_string_append (out, flag_names[i].name);
        first = FALSE;
      }
}

gboolean
tl_tcp_flags_parse (const char *text,
                    guint8     *flags)
{
  g_auto(GStrv) names = NULL;
  guint8 result = 0;

  if (text == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (text, "none") == 0)
    {
      *flags = 0;
      return TRUE;
    }
  names = g_strsplit (text, ",", -1);
  if (names[0] == NULL)
    return FALSE;
  for (guint n = 0; names[n] != NULL; n++)
    {
      const char *name = g_strstrip (names[n]);
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++)
        if (g_ascii_strcasecmp (name, flag_names[i].name) == 0)
          {
            result |= flag_names[i].bit;
            known = TRUE;
          }
      if (!known)
        return FALSE;
    }
  *flags = result;
  return TRUE;
}

/* ---- option layout ---------------------------------------------------- */

/* The fixed part: everything but SACK blocks. */
static guint
fixed_length (const TlTcpOptions *opts)
{
  guint8 p = opts->present;
  guint length = 0;

  if (p & TL_OPT_MSS)
    length += 4;
  if (p & TL_OPT_TS)
    length += 12;
  if (opts->layout == TL_OPT_LAYOUT_LINUX)
    {
      /* sackOK rides in the timestamp's NOPs when both are there. */
      if ((p & TL_OPT_SACK_PERM) && !(p & TL_OPT_TS))
        length += 4;
    }
  else if (p & TL_OPT_SACK_PERM)
    length += 4;
  if (p & TL_OPT_WSCALE)
    length += 4;
  return length;
}

/* How many SACK blocks fit next to the fixed options. */
static guint
sack_blocks_that_fit (const TlTcpOptions *opts)
{
  guint room, n;

  if (!(opts->present & TL_OPT_SACK) || opts->n_sack == 0)
    return 0;
  room = TL_TCP_MAX_OPTIONS - MIN (fixed_length (opts), TL_TCP_MAX_OPTIONS);
  if (room < 4 + 8)
    return 0;
  n = MIN ((guint) opts->n_sack, (room - 4) / 8);
  return MIN (n, TL_MAX_SACK_BLOCKS);
}

guint
tl_tcp_options_length (const TlTcpOptions *opts)
{
  guint n_sack = sack_blocks_that_fit (opts);
  guint length = fixed_length (opts);

  if (n_sack > 0)
    length += 4 + 8 * n_sack;
  return length;
}

static guint8 *
put16 (guint8 *p, guint16 v)
{
  p[0] = (guint8) (v >> 8);
  p[1] = (guint8) v;
  return p + 2;
}

static guint8 *
put32 (guint8 *p, guint32 v)
{
  p[0] = (guint8) (v >> 24);
  p[1] = (guint8) (v >> 16);
  p[2] = (guint8) (v >> 8);
  p[3] = (guint8) v;
  return p + 4;
}

static guint16
get16 (const guint8 *p)
{
  return (guint16) ((p[0] << 8) | p[1]);
}

static guint32
get32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint8 *
write_mss (const TlTcpOptions *opts, guint8 *p)
{
  *p++ = OPT_MSS;
  *p++ = 4;
  return put16 (p, opts->mss);
}

static guint8 *
write_wscale (const TlTcpOptions *opts, guint8 *p)
{
  *p++ = OPT_NOP;
  *p++ = OPT_WSCALE;
  *p++ = 3;
  *p++ = opts->wscale;
  return p;
}

static guint8 *
write_sack_perm (guint8 *p)
{
  *p++ = OPT_NOP;
  *p++ = OPT_NOP;
  *p++ = OPT_SACK_PERM;
  *p++ = 2;
  return p;
}

/* LEAD is two NOPs, or sackOK (04 02) in the Linux packing. */
static guint8 *
write_timestamp (const TlTcpOptions *opts, gboolean sack_perm_in_front, guint8 *p)
{
  if (sack_perm_in_front)
    {
      *p++ = OPT_SACK_PERM;
      *p++ = 2;
    }
  else
    {
      *p++ = OPT_NOP;
      *p++ = OPT_NOP;
    }
  *p++ = OPT_TIMESTAMP;
  *p++ = 10;
  p = put32 (p, opts->tsval);
  return put32 (p, opts->tsecr);
}

static guint8 *
write_sack (const TlTcpOptions *opts, guint n_sack, guint8 *p)
{
  *p++ = OPT_NOP;
  *p++ = OPT_NOP;
  *p++ = OPT_SACK;
  *p++ = (guint8) (2 + 8 * n_sack);
  for (guint i = 0; i < n_sack; i++)
    {
      p = put32 (p, opts->sack[i].left);
      p = put32 (p, opts->sack[i].right);
    }
  return p;
}

guint
tl_tcp_options_write (const TlTcpOptions *opts,
                      guint8             *out)
{
  guint8 p_bits = opts->present;
  guint n_sack = sack_blocks_that_fit (opts);
  guint8 *p = out;

  if (p_bits & TL_OPT_MSS)
    p = write_mss (opts, p);
  if (opts->layout == TL_OPT_LAYOUT_LINUX)
    {
      if (p_bits & TL_OPT_TS)
        p = write_timestamp (opts, (p_bits & TL_OPT_SACK_PERM) != 0, p);
      else if (p_bits & TL_OPT_SACK_PERM)
        p = write_sack_perm (p);
      if (p_bits & TL_OPT_WSCALE)
        p = write_wscale (opts, p);
    }
  else
    {
      if (p_bits & TL_OPT_WSCALE)
        p = write_wscale (opts, p);
      if (p_bits & TL_OPT_SACK_PERM)
        p = write_sack_perm (p);
      if (p_bits & TL_OPT_TS)
        p = write_timestamp (opts, FALSE, p);
    }
  if (n_sack > 0)
    p = write_sack (opts, n_sack, p);

  g_assert ((guint) (p - out) == tl_tcp_options_length (opts));
  return (guint) (p - out);
}

/* ---- parsing ---------------------------------------------------------- */

/* Which layout writes exactly BYTES back for OPTS?  Linux wins a tie (an
 * MSS alone is the same in both), since captures mostly come from Linux. */
static guint8
detect_layout (TlTcpOptions *opts,
               const guint8 *bytes,
               gsize         length)
{
  static const guint8 layouts[] = { TL_OPT_LAYOUT_LINUX, TL_OPT_LAYOUT_RFC };
  guint8 buffer[TL_TCP_MAX_OPTIONS];

  for (guint i = 0; i < G_N_ELEMENTS (layouts); i++)
    {
      opts->layout = layouts[i];
      if (tl_tcp_options_length (opts) == length
          && tl_tcp_options_write (opts, buffer) == length
          && memcmp (buffer, bytes, length) == 0)
        return layouts[i];
    }
  return TL_OPT_LAYOUT_LINUX;
}

gboolean
tl_tcp_options_parse (const guint8 *bytes,
                      gsize         length,
                      TlTcpOptions *opts)
{
  gsize i = 0, used = 0;

  memset (opts, 0, sizeof *opts);
  while (i < length)
    {
      guint8 kind = bytes[i], olen;

      if (kind == OPT_EOL)
        break;
      if (kind == OPT_NOP)
        {
          i++;
          used = i;
          continue;
        }
      if (i + 1 >= length)
        return FALSE;
      olen = bytes[i + 1];
      if (olen < 2 || i + olen > length)
        return FALSE;

      switch (kind)
        {
        case OPT_MSS:
          if (olen != 4)
            return FALSE;
          opts->present |= TL_OPT_MSS;
          opts->mss = get16 (bytes + i + 2);
          break;
        case OPT_WSCALE:
          if (olen != 3)
            return FALSE;
          opts->present |= TL_OPT_WSCALE;
          opts->wscale = bytes[i + 2];
          break;
        case OPT_SACK_PERM:
          if (olen != 2)
            return FALSE;
          opts->present |= TL_OPT_SACK_PERM;
          break;
        case OPT_TIMESTAMP:
          if (olen != 10)
            return FALSE;
          opts->present |= TL_OPT_TS;
          opts->tsval = get32 (bytes + i + 2);
          opts->tsecr = get32 (bytes + i + 6);
          break;
        case OPT_SACK:
          if ((olen - 2) % 8 != 0 || olen < 10 || (olen - 2) / 8 > TL_MAX_SACK_BLOCKS)
            return FALSE;
          opts->present |= TL_OPT_SACK;
          opts->n_sack = (guint8) ((olen - 2) / 8);
          for (guint b = 0; b < opts->n_sack; b++)
            {
              opts->sack[b].left = get32 (bytes + i + 2 + 8 * b);
              opts->sack[b].right = get32 (bytes + i + 6 + 8 * b);
            }
          break;
        default:
          /* MD5, TFO, MPTCP...: not modelled, skipped by their length. */
          break;
        }
      i += olen;
      used = i;
    }

  /* Trailing EOL padding does not belong to either layout. */
  opts->layout = detect_layout (opts, bytes, used);
  return TRUE;
}

/* ---- text ------------------------------------------------------------- */

/* Formats wire bytes the way tcpdump does, NOPs included, so the text shows
 * the layout as well as the values. */
static void
format_option_bytes (const guint8 *bytes,
                     gsize         length,
                     GString      *out)
{
  gsize i = 0;
  gboolean first = TRUE;

  while (i < length)
    {
      guint8 kind = bytes[i];
      guint8 olen = kind <= OPT_NOP ? 1 : (i + 1 < length ? bytes[i + 1] : 0);

      if (!first)
        g_string_append_c (out, ',');
      first = FALSE;
      if (kind == OPT_EOL)
        {
          g_string_append (out, "eol");
          break;
        }
      if (kind == OPT_NOP)
        {
          g_string_append (out, "nop");
          i++;
          continue;
        }
      if (olen < 2 || i + olen > length)
        {
          g_string_append (out, "bad-opt");
          break;
        }
      switch (kind)
        {
        case OPT_MSS:
          g_string_append_printf (out, "mss %u", get16 (bytes + i + 2));
          break;
        case OPT_WSCALE:
          g_string_append_printf (out, "wscale %u", bytes[i + 2]);
          break;
        case OPT_SACK_PERM:
          g_string_append (out, "sackOK");
          break;
        case OPT_TIMESTAMP:
          g_string_append_printf (out, "TS val %u ecr %u",
                                  get32 (bytes + i + 2), get32 (bytes + i + 6));
          break;
        case OPT_SACK:
          g_string_append_printf (out, "sack %u ", (olen - 2) / 8);
          for (guint b = 0; b + 8 <= (guint) olen - 2; b += 8)
            g_string_append_printf (out, "{%u:%u}",
                                    get32 (bytes + i + 2 + b), get32 (bytes + i + 6 + b));
          break;
        default:
          g_string_append_printf (out, "opt-%u:len %u", kind, olen);
          break;
        }
      i += olen;
    }
}

void
tl_tcp_options_format (const TlTcpOptions *opts,
                       GString            *out)
{
  guint8 bytes[TL_TCP_MAX_OPTIONS];
  guint length = tl_tcp_options_write (opts, bytes);

  format_option_bytes (bytes, length, out);
}

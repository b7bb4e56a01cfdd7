/* tl-scenario-values.c: reading and writing single scenario values.
 *
 * Each reader is exact (integer arithmetic only) and each writer is its
 * inverse, so a scenario written by tl_scenario_to_string reads back equal.
 */
#include "tl-scenario-private.h"

#include <string.h>

#define SETTING(k, t, field, lo, hi) \
  { k, TL_SETTING_##t, G_STRUCT_OFFSET (TlHostSettings, field), lo, hi }

/* Ranges follow what the kernel accepts where it has a limit (syn-retries
 * 1..127 like tcp_syn_retries) and otherwise keep a run sane. */
const TlSettingInfo tl_setting_infos[TL_N_HOST_SETTINGS] = {
  SETTING ("syn-retries",         COUNT,    syn_retries,         1, TL_SCENARIO_MAX_SYNCNT),
  SETTING ("synack-retries",      COUNT,    synack_retries,      0, 255),
  SETTING ("syn-linear-timeouts", COUNT,    syn_linear_timeouts, 0, TL_SCENARIO_MAX_SYNCNT),
  SETTING ("timestamps",          SWITCH,   timestamps,          0, 1),
  SETTING ("sack",                SWITCH,   sack,                0, 1),
  SETTING ("window-scaling",      SWITCH,   window_scaling,      0, 1),
  SETTING ("rmem-max",            BYTES,    rmem_max,            256, 1073741824),
  SETTING ("mss",                 COUNT,    mss,                 88, 65495),
  SETTING ("rto-initial",         DURATION, rto_initial,         TL_MSEC (1), TL_SEC (3600)),
  SETTING ("rto-min",             DURATION, rto_min,             TL_MSEC (1), TL_SEC (3600)),
  SETTING ("rto-max",             DURATION, rto_max,             TL_MSEC (1), TL_SEC (3600)),
  SETTING ("time-wait",           DURATION, time_wait,           0, TL_SEC (3600)),
  SETTING ("delayed-ack",         DURATION, delayed_ack,         0, TL_SEC (10)),
  SETTING ("invalid-ratelimit",   DURATION, invalid_ratelimit,   0, TL_SEC (3600)),
  SETTING ("kernel",              KERNEL,   kernel_version,      0, 999999),
  SETTING ("orphan-retries",      COUNT,    orphan_retries,      0, 255),
  SETTING ("hz",                  COUNT,    hz,                  0, 1000),
  SETTING ("jiffies",             COUNT,    jiffies,             0, G_MAXUINT32),
  SETTING ("tick-offset",         DURATION, tick_offset,         0, TL_SEC (1)),
};

#undef SETTING

const TlSettingInfo *
tl_setting_lookup (const char *key)
{
  for (guint i = 0; i < TL_N_HOST_SETTINGS; i++)
    if (strcmp (tl_setting_infos[i].key, key) == 0)
      return &tl_setting_infos[i];
  return NULL;
}

gint64
tl_setting_get (const TlSettingInfo  *info,
                const TlHostSettings *settings)
{
  const guint8 *base = (const guint8 *) settings + info->offset;

  switch (info->type)
    {
    case TL_SETTING_COUNT:
    case TL_SETTING_BYTES:
    case TL_SETTING_KERNEL:
      return *(const guint *) base;
    case TL_SETTING_SWITCH:
      return *(const gboolean *) base ? 1 : 0;
    case TL_SETTING_DURATION:
      return *(const TlTime *) base;
    default:
      g_assert_not_reached ();
    }
}

void
tl_setting_set (const TlSettingInfo *info,
                TlHostSettings      *settings,
                gint64               value)
{
  guint8 *base = (guint8 *) settings + info->offset;

  switch (info->type)
    {
    case TL_SETTING_COUNT:
    case TL_SETTING_BYTES:
    case TL_SETTING_KERNEL:
      *(guint *) base = (guint) value;
      break;
    case TL_SETTING_SWITCH:
      *(gboolean *) base = value != 0;
      break;
    case TL_SETTING_DURATION:
      *(TlTime *) base = value;
      break;
    default:
      g_assert_not_reached ();
    }
}

static gboolean
check_time_range (const TlSettingInfo *info,
                  TlTime               t,
                  char               **message)
{
  if (t >= info->min && t <= info->max)
    return TRUE;
  {
    g_autofree char *value = tl_scenario_format_time (t);
    g_autofree char *lo = tl_scenario_format_time (info->min);
    g_autofree char *hi = tl_scenario_format_time (info->max);
    *message = g_strdup_printf ("%s %s is out of range (%s..%s)",
                                info->key, value, lo, hi);
  }
  return FALSE;
}

gboolean
tl_setting_parse (const TlSettingInfo  *info,
                  const char           *text,
                  gint64               *out,
                  char                **message)
{
  guint64 n;
  TlTime t;
  gboolean b;

  switch (info->type)
    {
    case TL_SETTING_COUNT:
      if (!tl_scenario_read_uint (text, info->key, (guint64) info->min,
                                  (guint64) info->max, &n, message))
        return FALSE;
      *out = (gint64) n;
      return TRUE;
    case TL_SETTING_BYTES:
      if (!tl_scenario_read_bytes (text, info->key, (guint64) info->min,
                                   (guint64) info->max, &n, message))
        return FALSE;
      *out = (gint64) n;
      return TRUE;
    case TL_SETTING_KERNEL:
      if (!tl_scenario_read_kernel (text, &n, message))
        return FALSE;
      *out = (gint64) n;
      return TRUE;
    case TL_SETTING_SWITCH:
      if (!tl_scenario_read_switch (text, &b, message))
        return FALSE;
      *out = b ? 1 : 0;
      return TRUE;
    case TL_SETTING_DURATION:
      if (!tl_scenario_read_time (text, &t, message)
          || !check_time_range (info, t, message))
        return FALSE;
      *out = t;
      return TRUE;
    default:
      g_assert_not_reached ();
    }
}

char *
tl_setting_format (const TlSettingInfo *info,
                   gint64               value)
{
  switch (info->type)
    {
    case TL_SETTING_COUNT:
      return g_strdup_printf ("%" G_GINT64_FORMAT, value);
    case TL_SETTING_BYTES:
      return tl_scenario_format_bytes ((guint64) value);
    case TL_SETTING_KERNEL:
      return tl_scenario_format_kernel ((guint) value);
    case TL_SETTING_SWITCH:
      return g_strdup (value ? "on" : "off");
    case TL_SETTING_DURATION:
      return tl_scenario_format_time (value);
    default:
      g_assert_not_reached ();
    }
}

/* ---- messages ---- */

char *
tl_scenario_clip (const char *text)
{
  const glong max_chars = 40;

  if (!g_utf8_validate (text, -1, NULL))
    return g_strdup ("(invalid UTF-8)");
  if (g_utf8_strlen (text, -1) <= max_chars)
    return g_strdup (text);
  {
    const char *cut = g_utf8_offset_to_pointer (text, max_chars);
    return g_strdup_printf ("%.*s...", (int) (cut - text), text);
  }
}

char *
tl_scenario_normalize_text (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      /* Control characters cannot stand in a file's text: they go too. */
      if (g_ascii_isspace (*p) || (guchar) *p < 0x20 || (guchar) *p == 0x7f)
        {
          pending_space = out->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (out, ' ');
      pending_space = FALSE;
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

/* ---- numbers ---- */

/* Reads the leading decimal digits of TEXT.  Returns the number of digits,
 * or -1 on overflow. */
static int
read_digits (const char *text,
             guint64    *out)
{
  guint64 n = 0;
  int count = 0;

  for (const char *p = text; g_ascii_isdigit (*p); p++, count++)
    {
      guint d = (guint) (*p - '0');
      if (n > (G_MAXUINT64 - d) / 10)
        return -1;
      n = n * 10 + d;
    }
  *out = n;
  return count;
}

static char *
out_of_range (const char *what,
              const char *text,
              guint64     min,
              guint64     max)
{
  g_autofree char *clipped = tl_scenario_clip (text);

  return g_strdup_printf ("%s %s is out of range (%" G_GUINT64_FORMAT
                          "..%" G_GUINT64_FORMAT ")",
                          what, clipped, min, max);
}

gboolean
tl_scenario_read_uint (const char  *text,
                       const char  *what,
                       guint64      min,
                       guint64      max,
                       guint64     *out,
                       char       **message)
{
  guint64 n;
  int digits = read_digits (text, &n);

  if (text[0] == '-' && g_ascii_isdigit (text[1]))
    {
      g_autofree char *clipped = tl_scenario_clip (text);
      *message = g_strdup_printf ("%s cannot be negative, got '%s'", what, clipped);
      return FALSE;
    }
  if (digits == 0 || (digits > 0 && text[digits] != '\0'))
    {
      g_autofree char *clipped = tl_scenario_clip (text);
      *message = g_strdup_printf ("expected a whole number for %s, got '%s'",
                                  what, clipped);
      return FALSE;
    }
  if (digits < 0 || n < min || n > max)
    {
      *message = out_of_range (what, text, min, max);
      return FALSE;
    }
  *out = n;
  return TRUE;
}

gboolean
tl_scenario_read_time (const char  *text,
                       TlTime      *out,
                       char       **message)
{
  const char *detail = NULL;
  g_autofree char *clipped = tl_scenario_clip (text);
  TlTime t;

  if (text[0] == '-')
    {
      *message = g_strdup_printf ("times and durations cannot be negative, got '%s'",
                                  clipped);
      return FALSE;
    }
  if (!tl_time_parse (text, &t, &detail))
    {
      *message = g_strdup_printf ("%s, got '%s'", detail, clipped);
      return FALSE;
    }
  *out = t;
  return TRUE;
}

gboolean
tl_scenario_read_switch (const char  *text,
                         gboolean    *out,
                         char       **message)
{
  if (strcmp (text, "on") == 0 || strcmp (text, "yes") == 0
      || strcmp (text, "true") == 0 || strcmp (text, "1") == 0)
    *out = TRUE;
  else if (strcmp (text, "off") == 0 || strcmp (text, "no") == 0
           || strcmp (text, "false") == 0 || strcmp (text, "0") == 0)
    *out = FALSE;
  else
    {
      g_autofree char *clipped = tl_scenario_clip (text);
      *message = g_strdup_printf ("expected on or off, got '%s'", clipped);
      return FALSE;
    }
  return TRUE;
}

gboolean
tl_scenario_read_bytes (const char  *text,
                        const char  *what,
                        guint64      min,
                        guint64      max,
                        guint64     *out,
                        char       **message)
{
  static const struct { const char *suffix; guint64 scale; } units[] = {
    { "", 1 }, { "B", 1 }, { "KiB", 1024 }, { "MiB", 1024 * 1024 },
    { "GiB", 1024 * 1024 * 1024 },
  };
  guint64 n;
  int digits = read_digits (text, &n);

  if (digits == 0)
    goto bad;
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (digits > 0 && strcmp (text + digits, units[i].suffix) == 0)
      {
        if (n > max / units[i].scale || n * units[i].scale < min)
          {
            *message = out_of_range (what, text, min, max);
            return FALSE;
          }
        *out = n * units[i].scale;
        return TRUE;
      }
  if (digits < 0)
    {
      *message = out_of_range (what, text, min, max);
      return FALSE;
    }

bad:
  {
    g_autofree char *clipped = tl_scenario_clip (text);
    *message = g_strdup_printf ("expected a size in bytes such as 65535, 64KiB "
                                "or 32MiB for %s, got '%s'", what, clipped);
  }
  return FALSE;
}

gboolean
tl_scenario_read_kernel (const char  *text,
                         guint64     *out,
                         char       **message)
{
  guint64 parts[3] = { 0, 0, 0 };
  const char *p = text;
  guint n_parts = 0;

  if (strcmp (text, "none") == 0 || strcmp (text, "0") == 0)
    {
      *out = 0;
      return TRUE;
    }
  while (n_parts < 3)
    {
      int digits = read_digits (p, &parts[n_parts]);
      if (digits <= 0 || digits > 2)
        goto bad;
      n_parts++;
      p += digits;
      if (*p != '.')
        break;
      p++;
    }
  if (*p != '\0' || n_parts < 2 || parts[0] == 0 || parts[1] > 99 || parts[2] > 99)
    goto bad;
  *out = parts[0] * 10000 + parts[1] * 100 + parts[2];
  return TRUE;

bad:
  {
    g_autofree char *clipped = tl_scenario_clip (text);
    *message = g_strdup_printf ("expected a kernel version such as 6.18 or "
                                "6.1.55 (or none), got '%s'", clipped);
  }
  return FALSE;
}

gboolean
tl_scenario_read_address (const char  *text,
                          guint32     *out,
                          char       **message)
{
  guint32 addr = 0;
  const char *p = text;

  for (guint i = 0; i < 4; i++)
    {
      guint64 octet;
      int digits = read_digits (p, &octet);

      if (digits <= 0 || digits > 3 || octet > 255
          || (digits > 1 && p[0] == '0'))
        goto bad;
      addr = (addr << 8) | (guint32) octet;
      p += digits;
      if (i < 3)
        {
          if (*p != '.')
            goto bad;
          p++;
        }
    }
  if (*p != '\0')
    goto bad;
  if (addr == 0 || addr == G_MAXUINT32 || (addr >> 28) == 0xe
      || (addr >> 24) == 0)
    {
      *message = g_strdup_printf ("%s is not a unicast host address", text);
      return FALSE;
    }
  *out = addr;
  return TRUE;

bad:
  {
    g_autofree char *clipped = tl_scenario_clip (text);
    *message = g_strdup_printf ("expected an IPv4 address such as 10.0.0.1, got '%s'",
                                clipped);
  }
  return FALSE;
}

gboolean
tl_scenario_read_loss (const char  *text,
                       guint32     *out_ppm,
                       char       **message)
{
  guint64 whole, frac = 0;
  int digits = read_digits (text, &whole);
  const char *p = text + MAX (digits, 0);
  int frac_digits = 0;

  if (digits <= 0)
    goto bad;
  if (*p == '.')
    {
      p++;
      frac_digits = read_digits (p, &frac);
      if (frac_digits <= 0)
        goto bad;
      if (frac_digits > 4)
        {
          g_autofree char *clipped = tl_scenario_clip (text);
          *message = g_strdup_printf ("loss takes at most 4 decimals "
                                      "(0.0001%% steps), got '%s'", clipped);
          return FALSE;
        }
      p += frac_digits;
      for (int i = frac_digits; i < 4; i++)
        frac *= 10;
    }
  if (strcmp (p, "%") != 0)
    goto bad;
  if (whole > 100 || (whole == 100 && frac > 0))
    {
      g_autofree char *clipped = tl_scenario_clip (text);
      *message = g_strdup_printf ("loss %s is out of range (0%%..100%%)", clipped);
      return FALSE;
    }
  *out_ppm = (guint32) (whole * 10000 + frac);
  return TRUE;

bad:
  {
    g_autofree char *clipped = tl_scenario_clip (text);
    *message = g_strdup_printf ("expected a percentage such as 0%%, 1.5%% or 100%%, "
                                "got '%s'", clipped);
  }
  return FALSE;
}

gboolean
tl_scenario_read_rate (const char  *text,
                       guint64     *out_bps,
                       char       **message)
{
  static const struct { const char *suffix; guint64 scale; } units[] = {
    { "", 1 }, { "k", 1000 }, { "M", 1000000 }, { "G", 1000000000 },
  };
  guint64 whole, frac = 0, frac_scale = 1;
  int digits = read_digits (text, &whole);
  const char *p = text + MAX (digits, 0);

  if (digits < 0)
    goto too_large;
  if (digits == 0)
    goto bad;
  if (*p == '.')
    {
      int frac_digits;
      p++;
      frac_digits = read_digits (p, &frac);
      if (frac_digits <= 0 || frac_digits > 9)
        goto bad;
      p += frac_digits;
      for (int i = 0; i < frac_digits; i++)
        frac_scale *= 10;
    }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (p, units[i].suffix) == 0)
      {
        guint64 scale = units[i].scale;
        if (whole > G_MAXINT64 / scale)
          goto too_large;
        if ((frac * scale) % frac_scale != 0)
          {
            g_autofree char *clipped = tl_scenario_clip (text);
            *message = g_strdup_printf ("rate %s is not a whole number of bits/s",
                                        clipped);
            return FALSE;
          }
        *out_bps = whole * scale + frac * scale / frac_scale;
        return TRUE;
      }

bad:
  {
    g_autofree char *clipped = tl_scenario_clip (text);
    *message = g_strdup_printf ("expected a rate in bits/s such as 0, 64k, 10M "
                                "or 1G, got '%s'", clipped);
  }
  return FALSE;

too_large:
  {
    g_autofree char *clipped = tl_scenario_clip (text);
    *message = g_strdup_printf ("rate %s is too large", clipped);
  }
  return FALSE;
}

gboolean
tl_scenario_read_profile (const char  *text,
                          TlProfileId *out,
                          char       **message)
{
  static const char * const names[] = { "rfc9293", "linux" };
  const char *suggestion;

  if (tl_profile_from_string (text, out))
    return TRUE;
  suggestion = tl_scenario_suggest (text, names, G_N_ELEMENTS (names));
  {
    g_autofree char *clipped = tl_scenario_clip (text);
    if (suggestion != NULL)
      *message = g_strdup_printf ("unknown profile '%s' (did you mean '%s'?)",
                                  clipped, suggestion);
    else
      *message = g_strdup_printf ("unknown profile '%s' (use rfc9293 or linux)",
                                  clipped);
  }
  return FALSE;
}

static const char * const shut_names[] = {
  [TL_SHUT_RD] = "rd", [TL_SHUT_WR] = "wr", [TL_SHUT_RDWR] = "rdwr",
};

static const char * const sockopt_names[] = {
  [TL_SOCKOPT_SYNCNT] = "syncnt",
  [TL_SOCKOPT_LINGER_ZERO] = "linger-zero",
  [TL_SOCKOPT_NODELAY] = "nodelay",
};

static const char * const read_mode_names[] = {
  [TL_READ_NOW] = "now",
  [TL_READ_OFF] = "off",
  [TL_READ_ON] = "on",
};

const char *
tl_scenario_read_mode_name (TlReadMode mode)
{
  return (guint) mode < G_N_ELEMENTS (read_mode_names) ? read_mode_names[mode] : "?";
}

const char *
tl_scenario_shut_how_name (TlShutHow how)
{
  return (guint) how < G_N_ELEMENTS (shut_names) ? shut_names[how] : "?";
}

const char *
tl_scenario_sockopt_name (TlSockopt option)
{
  return (guint) option < G_N_ELEMENTS (sockopt_names) ? sockopt_names[option] : "?";
}

static gboolean
read_name (const char          *text,
           const char * const  *names,
           guint                n_names,
           const char          *what,
           const char          *choices,
           guint               *out,
           char               **message)
{
  const char *suggestion;
  g_autofree char *clipped = NULL;

  for (guint i = 0; i < n_names; i++)
    if (strcmp (text, names[i]) == 0)
      {
        *out = i;
        return TRUE;
      }
  clipped = tl_scenario_clip (text);
  suggestion = tl_scenario_suggest (text, names, n_names);
  if (suggestion != NULL)
    *message = g_strdup_printf ("unknown %s '%s' (did you mean '%s'?)",
                                what, clipped, suggestion);
  else
    *message = g_strdup_printf ("unknown %s '%s' (use %s)", what, clipped, choices);
  return FALSE;
}

gboolean
tl_scenario_read_shut_how (const char  *text,
                           TlShutHow   *out,
                           char       **message)
{
  guint i;

  if (!read_name (text, shut_names, G_N_ELEMENTS (shut_names), "shutdown direction",
                  "rd, wr or rdwr", &i, message))
    return FALSE;
  *out = (TlShutHow) i;
  return TRUE;
}

gboolean
tl_scenario_read_read_mode (const char  *text,
                            TlReadMode  *out,
                            char       **message)
{
  guint i;

  if (!read_name (text, read_mode_names, G_N_ELEMENTS (read_mode_names), "read mode",
                  "now, off or on", &i, message))
    return FALSE;
  *out = (TlReadMode) i;
  return TRUE;
}

gboolean
tl_scenario_read_sockopt (const char  *text,
                          TlSockopt   *out,
                          char       **message)
{
  guint i;

  if (!read_name (text, sockopt_names, G_N_ELEMENTS (sockopt_names),
                  "socket option", "syncnt, linger-zero or nodelay", &i, message))
    return FALSE;
  *out = (TlSockopt) i;
  return TRUE;
}

gboolean
tl_scenario_read_sockopt_value (TlSockopt   option,
                                const char *text,
                                gint64     *out,
                                char      **message)
{
  guint64 n;
  gboolean b;

  switch (option)
    {
    case TL_SOCKOPT_SYNCNT:
      if (!tl_scenario_read_uint (text, "syncnt", 1, TL_SCENARIO_MAX_SYNCNT, &n, message))
        return FALSE;
      *out = (gint64) n;
      return TRUE;
    case TL_SOCKOPT_LINGER_ZERO:
    case TL_SOCKOPT_NODELAY:
      if (!tl_scenario_read_switch (text, &b, message))
        return FALSE;
      *out = b ? 1 : 0;
      return TRUE;
    default:
      *message = g_strdup ("unknown socket option");
      return FALSE;
    }
}

gboolean
tl_scenario_read_window (const char    *text,
                         TlPauseWindow *out,
                         char         **message)
{
  const char *dots = strstr (text, "..");
  g_autofree char *start = NULL, *end = NULL;

  if (dots == NULL)
    {
      g_autofree char *clipped = tl_scenario_clip (text);
      *message = g_strdup_printf ("expected a window such as 0s..2.5s, got '%s'",
                                  clipped);
      return FALSE;
    }
  start = g_strstrip (g_strndup (text, (gsize) (dots - text)));
  end = g_strstrip (g_strdup (dots + 2));
  if (!tl_scenario_read_time (start, &out->start, message)
      || !tl_scenario_read_time (end, &out->end, message))
    return FALSE;
  if (out->end <= out->start)
    {
      *message = g_strdup_printf ("pause window %s..%s ends before it starts "
                                  "(or is empty)", start, end);
      return FALSE;
    }
  return TRUE;
}

/* ---- strings ---- */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

gboolean
tl_scenario_unescape (const char  *text,
                      gsize        length,
                      GByteArray  *out,
                      gsize       *error_at,
                      char       **message)
{
  for (gsize i = 0; i < length; i++)
    {
      guint8 byte;

      if (text[i] != '\\')
        {
          g_byte_array_append (out, (const guint8 *) &text[i], 1);
          continue;
        }
      if (i + 1 >= length)
        {
          *error_at = i;
          *message = g_strdup ("a string cannot end with a lone '\\'");
          return FALSE;
        }
      switch (text[i + 1])
        {
        case 'n': byte = '\n'; break;
        case 'r': byte = '\r'; break;
        case 't': byte = '\t'; break;
        case '\\': byte = '\\'; break;
        case '"': byte = '"'; break;
        case '0': byte = '\0'; break;
        case 'x':
          {
            int hi = i + 2 < length ? hex_value (text[i + 2]) : -1;
            int lo = i + 3 < length ? hex_value (text[i + 3]) : -1;
            if (hi < 0 || lo < 0)
              {
                *error_at = i;
                *message = g_strdup ("expected two hex digits after \\x, as in \\x0a");
                return FALSE;
              }
            byte = (guint8) (hi * 16 + lo);
            g_byte_array_append (out, &byte, 1);
            i += 3;
            continue;
          }
        default:
          *error_at = i;
          if ((guchar) text[i + 1] >= 0x20 && (guchar) text[i + 1] < 0x7f)
            *message = g_strdup_printf ("unknown escape '\\%c' (use \\n \\r \\t "
                                        "\\\\ \\\" \\0 or \\xHH)", text[i + 1]);
          else
            *message = g_strdup ("unknown escape (use \\n \\r \\t \\\\ \\\" \\0 or \\xHH)");
          return FALSE;
        }
      g_byte_array_append (out, &byte, 1);
      i++;
    }
  return TRUE;
}

void
tl_scenario_append_quoted (GString      *out,
                           const guint8 *data,
                           gsize         length)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      guint8 c = data[i];
      switch (c)
        {
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '"': g_string_append (out, "\\\""); break;
        default:
          if (c < 0x20 || c >= 0x7f)
            g_string_append_printf (out, "\\x%02x", c);
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

static gboolean
is_name_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

gboolean
tl_scenario_host_name_valid (const char  *name,
                             char       **message)
{
  gsize len = strlen (name);
  g_autofree char *clipped = tl_scenario_clip (name);

  if (len == 0)
    {
      *message = g_strdup ("a host name cannot be empty");
      return FALSE;
    }
  for (const char *p = name; *p != '\0'; p++)
    if (!is_name_char (*p))
      {
        *message = g_strdup_printf ("host name '%s' may contain only letters, "
                                    "digits, '-' and '_'", clipped);
        return FALSE;
      }
  if (len > TL_SCENARIO_MAX_HOST_NAME)
    {
      *message = g_strdup_printf ("host name '%s' is longer than %d characters",
                                  clipped, TL_SCENARIO_MAX_HOST_NAME);
      return FALSE;
    }
  if (strcmp (name, "router") == 0)
    {
      *message = g_strdup ("'router' is reserved for the router and cannot "
                           "name a host");
      return FALSE;
    }
  return TRUE;
}

/* A name or other value that needs no quotes in a file. */
gboolean
tl_scenario_text_is_word (const char *text)
{
  if (*text == '\0')
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar) *p <= ' ' || *p == '#' || *p == '"' || *p == '{' || *p == '}'
        || (guchar) *p == 0x7f)
      return FALSE;
  return TRUE;
}

/* ---- writers ---- */

char *
tl_scenario_format_time (TlTime t)
{
  static const struct { TlTime scale; const char *unit; } units[] = {
    { TL_SEC (1), "s" }, { TL_MSEC (1), "ms" }, { TL_USEC (1), "us" }, { 1, "ns" },
  };
  guint u = 0;
  GString *out = g_string_new (NULL);

  if (t == 0)
    return g_string_free (g_string_append (out, "0s"), FALSE);
  if (t < 0)
    {
      g_string_append_c (out, '-');
      t = t == G_MININT64 ? G_MAXINT64 : -t;
    }
  while (u + 1 < G_N_ELEMENTS (units) && t < units[u].scale)
    u++;
  {
    TlTime scale = units[u].scale;
    TlTime rest = t % scale;

    g_string_append_printf (out, "%" G_GINT64_FORMAT, t / scale);
    if (rest != 0)
      {
        g_string_append_c (out, '.');
        for (TlTime step = scale / 10; step > 0 && rest != 0; step /= 10)
          {
            g_string_append_c (out, (char) ('0' + rest / step));
            rest %= step;
          }
      }
    g_string_append (out, units[u].unit);
  }
  return g_string_free (out, FALSE);
}

char *
tl_scenario_format_bytes (guint64 bytes)
{
  if (bytes != 0 && bytes % (1024 * 1024) == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "MiB", bytes / (1024 * 1024));
  if (bytes != 0 && bytes % 1024 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "KiB", bytes / 1024);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, bytes);
}

char *
tl_scenario_format_kernel (guint version)
{
  if (version == 0)
    return g_strdup ("none");
  if (version % 100 == 0)
    return g_strdup_printf ("%u.%u", version / 10000, version / 100 % 100);
  return g_strdup_printf ("%u.%u.%u", version / 10000, version / 100 % 100,
                          version % 100);
}

char *
tl_scenario_format_address (guint32 addr)
{
  return g_strdup_printf ("%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff,
                          (addr >> 8) & 0xff, addr & 0xff);
}

char *
tl_scenario_format_loss (guint32 ppm)
{
  guint whole = ppm / 10000, frac = ppm % 10000;
  char digits[8];
  int n;

  if (frac == 0)
    return g_strdup_printf ("%u%%", whole);
  n = g_snprintf (digits, sizeof digits, "%04u", frac);
  while (n > 0 && digits[n - 1] == '0')
    digits[--n] = '\0';
  return g_strdup_printf ("%u.%s%%", whole, digits);
}

char *
tl_scenario_format_rate (guint64 bps)
{
  if (bps != 0 && bps % 1000000000 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "G", bps / 1000000000);
  if (bps != 0 && bps % 1000000 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "M", bps / 1000000);
  if (bps != 0 && bps % 1000 == 0)
    return g_strdup_printf ("%" G_GUINT64_FORMAT "k", bps / 1000);
  return g_strdup_printf ("%" G_GUINT64_FORMAT, bps);
}

/* ---- suggestions ---- */

static guint
edit_distance (const char *a,
               const char *b)
{
  gsize la = strlen (a), lb = strlen (b);
  g_autofree guint *row = NULL;

  if (la > 64 || lb > 64)
    return G_MAXUINT;
  row = g_new (guint, lb + 1);
  for (gsize j = 0; j <= lb; j++)
    row[j] = (guint) j;
  for (gsize i = 1; i <= la; i++)
    {
      guint diagonal = row[0];
      row[0] = (guint) i;
      for (gsize j = 1; j <= lb; j++)
        {
          guint above = row[j];
          guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;
          row[j] = MIN (MIN (row[j] + 1, row[j - 1] + 1), diagonal + cost);
          diagonal = above;
        }
    }
  return row[lb];
}

const char *
tl_scenario_suggest (const char         *word,
                     const char * const *candidates,
                     guint               n_candidates)
{
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  for (guint i = 0; i < n_candidates; i++)
    {
      guint d = edit_distance (word, candidates[i]);
      gsize longer = MAX (strlen (word), strlen (candidates[i]));
      /* Close enough to be a typo: a third or so of the letters differ. */
      if (d < best_distance && d <= MIN (3, longer / 2 + 1) && d < longer)
        {
          best = candidates[i];
          best_distance = d;
        }
    }
  return best;
}

/* tl-time.c: parsing and printing integer-nanosecond times. */
#include "tl-time.h"

#include <string.h>

typedef struct
{
  const char *suffix;
  TlTime      scale;
} TlTimeUnit;

/* Longest suffix first, so "ms" is not read as "m" + "s". */
static const TlTimeUnit time_units[] = {
  { "min", TL_SEC (60) },
  { "ns",  1 },
  { "us",  TL_USEC (1) },
  { "ms",  TL_MSEC (1) },
  { "s",   TL_SEC (1) },
};

static const TlTimeUnit *
find_unit (const char *suffix)
{
  for (guint i = 0; i < G_N_ELEMENTS (time_units); i++)
    if (strcmp (suffix, time_units[i].suffix) == 0)
      return &time_units[i];
  return NULL;
}

gboolean
tl_time_parse (const char  *text,
               TlTime      *out,
               const char **error_detail)
{
  const char *p = text;
  gboolean negative = FALSE;
  guint64 whole = 0, frac = 0, frac_scale = 1;
  gboolean any_digit = FALSE;
  const TlTimeUnit *unit;
  const char *dummy;

  if (error_detail == NULL)
    error_detail = &dummy;

  if (*p == '-' || *p == '+')
    negative = (*p++ == '-');
  for (; g_ascii_isdigit (*p); p++)
    {
      if (whole > G_MAXINT64 / 10)
        goto too_large;
      whole = whole * 10 + (guint64) (*p - '0');
      any_digit = TRUE;
    }
  if (*p == '.')
    {
      p++;
      for (; g_ascii_isdigit (*p); p++)
        {
          any_digit = TRUE;
          /* Digits beyond nanoseconds cannot matter: ignore them. */
          if (frac_scale < G_GUINT64_CONSTANT (1000000000000))
            {
              frac = frac * 10 + (guint64) (*p - '0');
              frac_scale *= 10;
            }
        }
    }
  if (!any_digit)
    {
      *error_detail = "expected a duration such as 100ms, 2.5s or 250us";
      return FALSE;
    }
  if (*p == '\0')
    {
      if (whole == 0 && frac == 0)
        {
          *out = 0;
          return TRUE;
        }
      *error_detail = "a duration needs a unit: ns, us, ms, s or min";
      return FALSE;
    }
  unit = find_unit (p);
  if (unit == NULL)
    {
      *error_detail = "unknown time unit (use ns, us, ms, s or min)";
      return FALSE;
    }
  if (whole > (guint64) G_MAXINT64 / (guint64) unit->scale)
    goto too_large;
  {
    guint64 ns = whole * (guint64) unit->scale;
    /* frac / frac_scale * scale, exactly: scale and frac_scale are powers of
     * ten (or 60e9), so this stays integral where it matters and truncates
     * below a nanosecond. */
    guint64 frac_ns = (guint64) ((__uint128_t) frac * (guint64) unit->scale / frac_scale);
    if (ns > (guint64) G_MAXINT64 - frac_ns)
      goto too_large;
    ns += frac_ns;
    *out = negative ? -(TlTime) ns : (TlTime) ns;
  }
  return TRUE;

too_large:
  *error_detail = "duration too large";
  return FALSE;
}

char *
tl_time_format (TlTime t,
                guint  digits)
{
  static const struct { TlTime scale; const char *name; } units[] = {
    { TL_SEC (1), "s" }, { TL_MSEC (1), "ms" }, { TL_USEC (1), "us" }, { 1, "ns" },
  };
  guint64 mag = t < 0 ? (guint64) -(t + 1) + 1 : (guint64) t;
  GString *s = g_string_new (t < 0 ? "-" : "");
  guint u = 0;

  while (u + 1 < G_N_ELEMENTS (units) && mag < (guint64) units[u].scale)
    u++;
  {
    guint64 scale = (guint64) units[u].scale;
    guint64 whole = mag / scale;
    guint64 rest = mag % scale;
    char frac[16];
    guint n = 0;

    g_string_append_printf (s, "%" G_GUINT64_FORMAT, whole);
    for (guint64 step = scale / 10; step > 0 && n < digits; step /= 10)
      {
        frac[n++] = (char) ('0' + rest / step);
        rest %= step;
      }
    while (n > 0 && frac[n - 1] == '0')
      n--;
    if (n > 0)
      {
        g_string_append_c (s, '.');
        g_string_append_len (s, frac, n);
      }
    g_string_append_printf (s, " %s", units[u].name);
  }
  return g_string_free (s, FALSE);
}

void
tl_time_format_seconds (TlTime   t,
                        GString *out)
{
  guint64 mag = t < 0 ? (guint64) -(t + 1) + 1 : (guint64) t;

  g_string_append_printf (out, "%s%" G_GUINT64_FORMAT ".%06" G_GUINT64_FORMAT,
                          t < 0 ? "-" : "",
                          mag / 1000000000, (mag % 1000000000) / 1000);
}

/* tl-sweep-value.c: parsing and printing exact sweep values. */
#include "tl-sweep-value.h"

#include <string.h>

#include "tl-time.h"

static const gint64 powers_of_ten[] = {
  1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000,
};

/* Reads [+-]DIGITS[.DIGITS] from the whole of TEXT[0..length). */
static gboolean
parse_decimal (const char  *text,
               gsize        length,
               gint64      *mantissa,
               guint       *decimals,
               const char **detail)
{
  const char *p = text, *end = text + length;
  gboolean negative = FALSE, any_digit = FALSE, in_fraction = FALSE;
  guint64 m = 0;
  guint d = 0;

  if (p < end && (*p == '-' || *p == '+'))
    negative = (*p++ == '-');
  for (; p < end; p++)
    {
      if (*p == '.' && !in_fraction)
        {
          in_fraction = TRUE;
          continue;
        }
      if (!g_ascii_isdigit (*p))
        {
          *detail = "expected a number such as 3, 0.25 or -2";
          return FALSE;
        }
      if (in_fraction && ++d > TL_SWEEP_MAX_DECIMALS)
        {
          *detail = "too many decimals (at most 9)";
          return FALSE;
        }
      if (m > ((guint64) G_MAXINT64 - 9) / 10)
        {
          *detail = "number too large";
          return FALSE;
        }
      m = m * 10 + (guint64) (*p - '0');
      any_digit = TRUE;
    }
  if (!any_digit)
    {
      *detail = "expected a number, a duration such as 10ms or a percentage such as 1.5%";
      return FALSE;
    }
  *mantissa = negative ? -(gint64) m : (gint64) m;
  *decimals = d;
  return TRUE;
}

static gboolean
looks_numeric (const char *text)
{
  for (const char *p = text; *p; p++)
    if (!g_ascii_isdigit (*p) && *p != '.' && *p != '-' && *p != '+')
      return FALSE;
  return TRUE;
}

gboolean
tl_sweep_value_parse (const char    *text,
                      TlSweepValue  *out,
                      const char   **detail)
{
  gsize length = strlen (text);
  const char *dummy;

  if (detail == NULL)
    detail = &dummy;
  if (length == 0)
    {
      *detail = "empty value";
      return FALSE;
    }
  if (text[length - 1] == '%')
    {
      out->unit = TL_SWEEP_UNIT_PERCENT;
      return parse_decimal (text, length - 1, &out->mantissa, &out->decimals, detail);
    }
  if (looks_numeric (text))
    {
      out->unit = TL_SWEEP_UNIT_NUMBER;
      return parse_decimal (text, length, &out->mantissa, &out->decimals, detail);
    }
  out->unit = TL_SWEEP_UNIT_TIME;
  out->decimals = 0;
  return tl_time_parse (text, &out->mantissa, detail);
}

gboolean
tl_sweep_value_convert (TlSweepValue *value,
                        TlSweepUnit   unit,
                        guint         decimals)
{
  gint64 factor;

  if (value->unit != unit)
    {
      if (value->unit != TL_SWEEP_UNIT_NUMBER || value->mantissa != 0)
        return FALSE;
      value->unit = unit;
      value->decimals = 0;
    }
  if (decimals < value->decimals || decimals > TL_SWEEP_MAX_DECIMALS)
    return FALSE;
  factor = powers_of_ten[decimals - value->decimals];
  if (value->mantissa > G_MAXINT64 / factor || value->mantissa < G_MININT64 / factor)
    return FALSE;
  value->mantissa *= factor;
  value->decimals = decimals;
  return TRUE;
}

void
tl_sweep_append_uint (GString *out,
                      guint64  value)
{
  char digits[20];
  guint n = 0;

  do
    {
      digits[sizeof digits - ++n] = (char) ('0' + value % 10);
      value /= 10;
    }
  while (value > 0);
  g_string_append_len (out, digits + sizeof digits - n, n);
}

void
tl_sweep_append_int (GString *out,
                     gint64   value)
{
  if (value < 0)
    {
      g_string_append_c (out, '-');
      tl_sweep_append_uint (out, (guint64) -(value + 1) + 1);
    }
  else
    tl_sweep_append_uint (out, (guint64) value);
}

void
tl_sweep_value_format_raw (gint64   mantissa,
                           guint    decimals,
                           GString *out)
{
  guint64 magnitude = mantissa < 0 ? (guint64) -(mantissa + 1) + 1 : (guint64) mantissa;
  guint64 scale;
  guint64 fraction;
  char digits[TL_SWEEP_MAX_DECIMALS + 1];
  guint n;

  g_return_if_fail (decimals <= TL_SWEEP_MAX_DECIMALS);

  scale = (guint64) powers_of_ten[decimals];
  if (mantissa < 0)
    g_string_append_c (out, '-');
  tl_sweep_append_uint (out, magnitude / scale);
  fraction = magnitude % scale;
  if (fraction == 0)
    return;
  /* Write all DECIMALS digits, then drop trailing zeros: 1.50 -> 1.5. */
  for (n = decimals; n > 0; n--)
    {
      digits[n - 1] = (char) ('0' + fraction % 10);
      fraction /= 10;
    }
  n = decimals;
  while (n > 0 && digits[n - 1] == '0')
    n--;
  g_string_append_c (out, '.');
  g_string_append_len (out, digits, n);
}

gboolean
tl_sweep_value_parse_raw (const char *text,
                          gint64     *mantissa,
                          guint      *decimals)
{
  const char *detail;

  return parse_decimal (text, strlen (text), mantissa, decimals, &detail);
}

static void
format_time (TlTime   t,
             GString *out)
{
  static const struct { TlTime scale; const char *suffix; } units[] = {
    { TL_SEC (1), "s" }, { TL_MSEC (1), "ms" }, { TL_USEC (1), "us" },
  };

  if (t == 0)
    {
      g_string_append_c (out, '0');
      return;
    }
  /* The largest unit that divides exactly: "250ms", never "0.25s". */
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (t % units[i].scale == 0)
      {
        tl_sweep_append_int (out, t / units[i].scale);
        g_string_append (out, units[i].suffix);
        return;
      }
  tl_sweep_append_int (out, t);
  g_string_append (out, "ns");
}

void
tl_sweep_value_format (gint64       mantissa,
                       TlSweepUnit  unit,
                       guint        decimals,
                       GString     *out)
{
  switch (unit)
    {
    case TL_SWEEP_UNIT_TIME:
      format_time (mantissa, out);
      break;
    case TL_SWEEP_UNIT_NUMBER:
      tl_sweep_value_format_raw (mantissa, decimals, out);
      break;
    case TL_SWEEP_UNIT_PERCENT:
      tl_sweep_value_format_raw (mantissa, decimals, out);
      g_string_append_c (out, '%');
      break;
    default:
      g_assert_not_reached ();
    }
}

const char *
tl_sweep_unit_to_string (TlSweepUnit unit)
{
  switch (unit)
    {
    case TL_SWEEP_UNIT_NUMBER: return "number";
    case TL_SWEEP_UNIT_TIME: return "duration";
    case TL_SWEEP_UNIT_PERCENT: return "percentage";
    default: return "?";
    }
}

/* tl-sweep-value.h: exact values of a swept parameter.
 *
 * A sweep steps through values with integer arithmetic only: a duration is
 * a count of nanoseconds, a number or a percentage is a decimal mantissa
 * with a fixed count of decimals ("2.25" is 225 with 2 decimals).  Point k
 * of a range is FROM + k * STEP, computed afresh, so nothing accumulates.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  TL_SWEEP_UNIT_NUMBER,   /* a plain decimal number: seeds, retries, sizes */
  TL_SWEEP_UNIT_TIME,     /* a duration, in nanoseconds (decimals is 0) */
  TL_SWEEP_UNIT_PERCENT,  /* a percentage: "2.5%" is 25 with 1 decimal */
} TlSweepUnit;

/* The most decimals a number or a percentage may have. */
#define TL_SWEEP_MAX_DECIMALS 9

typedef struct
{
  TlSweepUnit unit;
  gint64      mantissa;   /* value = mantissa / 10^decimals */
  guint       decimals;
} TlSweepValue;

/* Parses "250ms", "-1.5s", "0", "3", "0.25", "2.5%".  A bare number is a
 * NUMBER; tl_sweep_value_convert() turns a bare zero into any unit.  On
 * failure returns FALSE and sets *detail to a static explanation. */
gboolean    tl_sweep_value_parse      (const char    *text,
                                       TlSweepValue  *out,
                                       const char   **detail);
/* Brings VALUE to UNIT and DECIMALS (more decimals only: never rounds).
 * A NUMBER equal to zero converts to any unit.  FALSE if the units differ
 * or the mantissa would overflow. */
gboolean    tl_sweep_value_convert    (TlSweepValue  *value,
                                       TlSweepUnit    unit,
                                       guint          decimals);
/* The value as the scenario parser reads it: "250ms", "1.5", "2.5%". */
void        tl_sweep_value_format     (gint64         mantissa,
                                       TlSweepUnit    unit,
                                       guint          decimals,
                                       GString       *out);
/* The value as CSV and JSON carry it: nanoseconds for times, the decimal
 * for numbers and percentages ("-500000000", "1.25"). */
void        tl_sweep_value_format_raw (gint64         mantissa,
                                       guint          decimals,
                                       GString       *out);
/* Reads back what tl_sweep_value_format_raw() wrote (any count of
 * decimals up to TL_SWEEP_MAX_DECIMALS). */
gboolean    tl_sweep_value_parse_raw  (const char    *text,
                                       gint64        *mantissa,
                                       guint         *decimals);
/* Decimal integers, without printf's overhead: rows are written by the
 * hundred thousand per second. */
void        tl_sweep_append_uint      (GString       *out,
                                       guint64        value);
void        tl_sweep_append_int       (GString       *out,
                                       gint64         value);
/* "time", "number", "percent". */
const char *tl_sweep_unit_to_string   (TlSweepUnit    unit);

G_END_DECLS

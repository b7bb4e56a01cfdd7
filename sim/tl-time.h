/* tl-time.h: simulated time, always integer nanoseconds.
 *
 * Doubles never carry time in tcpladder: two runs of the same scenario must
 * give the same bytes, and a double drifts as soon as it is summed.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 TlTime;

#define TL_NSEC(n) ((TlTime) (n))
#define TL_USEC(n) ((TlTime) (n) * G_GINT64_CONSTANT (1000))
#define TL_MSEC(n) ((TlTime) (n) * G_GINT64_CONSTANT (1000000))
#define TL_SEC(n)  ((TlTime) (n) * G_GINT64_CONSTANT (1000000000))

/* A time that never comes: "no deadline", "timer not armed". */
#define TL_TIME_NEVER G_MAXINT64

/* Parses "100ms", "2.5s", "250us", "17ns", "1min", "0".  Exact: the decimal
 * part is converted with integer arithmetic.  A bare number without a unit
 * is only accepted when it is zero.  Returns FALSE and sets *error_detail to
 * a static description when TEXT is not a duration. */
gboolean tl_time_parse (const char  *text,
                        TlTime      *out,
                        const char **error_detail);

/* Formats T with the unit that keeps it readable: "17 ns", "250 us",
 * "12.5 ms", "2.313 s".  At most DIGITS decimals (trailing zeros dropped). */
char    *tl_time_format (TlTime t,
                         guint  digits);

/* Writes seconds with exactly 6 decimals ("2.313000"), the ladder's column. */
void     tl_time_format_seconds (TlTime   t,
                                 GString *out);

G_END_DECLS

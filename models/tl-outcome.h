/* tl-outcome.h: what happened in a trace, in a few words.
 *
 * Used by `tcpladder run` for its summary, by sweeps for their maps and by
 * the GUI banner.  The rules are documented in docs/outcomes.md.
 */
#pragma once

#include "tl-trace.h"

G_BEGIN_DECLS

typedef enum
{
  TL_OPEN_NONE,           /* no connection was attempted */
  TL_OPEN_SIMULTANEOUS,   /* both SYN-SENT, both through SYN-RECEIVED to ESTABLISHED */
  TL_OPEN_NORMAL,         /* one side listened, the other connected */
  TL_OPEN_MIXED,          /* established, one side via SYN-RECEIVED from SYN-SENT only */
  TL_OPEN_REFUSED,        /* a connect() got ECONNREFUSED */
  TL_OPEN_TIMED_OUT,      /* a connect() got ETIMEDOUT */
  TL_OPEN_RESET,          /* reset during the handshake */
  TL_OPEN_INCOMPLETE,     /* still opening when the run ended */
  TL_N_OPEN_OUTCOMES
} TlOpenOutcome;

typedef enum
{
  TL_CLOSE_NONE,          /* never established, or never closed */
  TL_CLOSE_SIMULTANEOUS,  /* both FINs crossed: both went through CLOSING */
  TL_CLOSE_NORMAL,        /* one side closed first, the other followed */
  TL_CLOSE_RESET,         /* an established connection was reset */
  TL_CLOSE_INCOMPLETE,    /* a FIN was sent but the close did not finish */
  TL_N_CLOSE_OUTCOMES
} TlCloseOutcome;

typedef struct
{
  TlOpenOutcome  open;
  TlCloseOutcome close;
  TlTcpState     final_state[TL_MAX_HOSTS];
  TlTime         established_at[TL_MAX_HOSTS];  /* TL_TIME_NEVER if never */
  gint32         connect_error[TL_MAX_HOSTS];   /* errno the connect() got, 0 */
  guint          n_segments;                    /* SEND records */
  guint          n_retransmissions;
  guint          n_held;
  guint          n_dropped;
  guint          n_data_bytes[TL_MAX_HOSTS];    /* payload bytes each host sent */
} TlOutcome;

void        tl_outcome_classify        (const TlTrace *trace,
                                        TlOutcome     *outcome);
const char *tl_open_outcome_to_string  (TlOpenOutcome  open);   /* "simultaneous open" */
const char *tl_close_outcome_to_string (TlCloseOutcome close);  /* "simultaneous close" */
/* Stable identifiers for CSV/JSON: "simultaneous-open". */
const char *tl_open_outcome_to_id      (TlOpenOutcome  open);
const char *tl_close_outcome_to_id     (TlCloseOutcome close);
/* "A: SYN-SENT -> SYN-RECEIVED -> ESTABLISHED at 2.313 s (simultaneous open)" */
char       *tl_outcome_describe_host   (const TlTrace   *trace,
                                        const TlOutcome *outcome,
                                        guint            host);

G_END_DECLS

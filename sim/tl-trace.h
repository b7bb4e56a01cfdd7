/* tl-trace.h: the record of a run, the single source for every output.
 *
 * A trace is a flat, time-ordered array of records plus a little metadata
 * (hosts, router, pause windows, where the trace came from).  The simulator
 * appends to it; captures and pcaps are loaded into the same model, so the
 * text ladder, the renderer, JSON, pcap export, compare and the GUI all read
 * one thing.
 *
 * Packets: every segment put on the wire gets a packet id (1, 2, ...).  Its
 * life is a SEND record, optional ROUTER_IN / HOLD / RELEASE records, then
 * DELIVER or DROP, all carrying the same id and a copy of the segment.
 */
#pragma once

#include <glib.h>

#include "tl-segment.h"
#include "tl-time.h"

G_BEGIN_DECLS

/* RFC 9293 section 3.3.2: the eleven connection states.  NONE is "no socket
 * yet", used as the old state of a socket's first record. */
typedef enum
{
  TL_STATE_NONE,
  TL_STATE_CLOSED,
  TL_STATE_LISTEN,
  TL_STATE_SYN_SENT,
  TL_STATE_SYN_RECEIVED,
  TL_STATE_ESTABLISHED,
  TL_STATE_FIN_WAIT_1,
  TL_STATE_FIN_WAIT_2,
  TL_STATE_CLOSE_WAIT,
  TL_STATE_CLOSING,
  TL_STATE_LAST_ACK,
  TL_STATE_TIME_WAIT,
  TL_N_STATES
} TlTcpState;

typedef enum
{
  TL_REC_SEND,         /* a host put the segment on its link */
  TL_REC_ROUTER_IN,    /* the segment reached the router */
  TL_REC_HOLD,         /* the paused router queued it */
  TL_REC_RELEASE,      /* the router let a held segment go */
  TL_REC_DELIVER,      /* the segment reached the destination host */
  TL_REC_DROP,         /* lost on a link or dropped by a full router queue */
  TL_REC_CALL,         /* the application made a socket call */
  TL_REC_CALL_RESULT,  /* a call completed later (connect) or failed */
  TL_REC_STATE,        /* a socket changed state */
  TL_REC_TIMER,        /* a TCP timer fired */
  TL_REC_PAUSE,        /* the router was paused */
  TL_REC_RESUME,       /* the router was resumed */
  TL_N_RECORD_KINDS
} TlRecordKind;

typedef enum
{
  TL_CALL_NONE,
  TL_CALL_SETSOCKOPT,
  TL_CALL_BIND,
  TL_CALL_LISTEN,
  TL_CALL_CONNECT,
  TL_CALL_ACCEPT,
  TL_CALL_SEND,
  TL_CALL_SHUTDOWN,
  TL_CALL_CLOSE,
  TL_CALL_ABORT,
  TL_CALL_READ,        /* the application reads, or stops or resumes reading */
  TL_N_CALLS
} TlCallKind;

/* A read call's arg when it stops or resumes reading rather than reads. */
#define TL_READ_ARG_OFF (-1)
#define TL_READ_ARG_ON  (-2)

typedef enum
{
  TL_TIMER_NONE,
  TL_TIMER_RETRANSMIT,
  TL_TIMER_DELAYED_ACK,
  TL_TIMER_TIME_WAIT,
  TL_TIMER_PERSIST,
  TL_TIMER_USER,       /* connect gave up: ETIMEDOUT */
  TL_N_TIMERS
} TlTimerKind;

/* Why a host sent a segment or changed state: the inspector's "caused by". */
typedef enum
{
  TL_CAUSE_NONE,
  TL_CAUSE_CALL,       /* cause_ref: index of the CALL record */
  TL_CAUSE_SEGMENT,    /* cause_ref: packet id of the segment received */
  TL_CAUSE_TIMER,      /* cause_ref: index of the TIMER record */
  TL_CAUSE_NO_SOCKET,  /* reply to a segment for which no socket exists */
} TlCause;

typedef enum
{
  TL_DROP_NONE,
  TL_DROP_LOSS,        /* random loss on the link */
  TL_DROP_QUEUE_FULL,  /* router queue full while paused */
  TL_DROP_NO_ROUTE,    /* nobody has the destination address */
  TL_DROP_END,         /* still in flight when the run ended */
} TlDropReason;

/* The router has host index TL_HOST_ROUTER; A is 0, B is 1. */
#define TL_HOST_A      0
#define TL_HOST_B      1
#define TL_HOST_ROUTER 2
#define TL_MAX_HOSTS   2

typedef struct
{
  TlTime       time;
  guint8       kind;          /* TlRecordKind */
  guint8       host;          /* where it happened: 0, 1 or TL_HOST_ROUTER */
  guint8       cause;         /* TlCause */
  guint8       drop_reason;   /* TlDropReason, for DROP */
  guint32      cause_ref;
  guint32      packet;        /* packet id, 0 if not a packet record */
  guint16      retransmit;    /* SEND: 0 original, n the n-th retransmission */
  guint8       old_state;     /* STATE: TlTcpState */
  guint8       new_state;
  guint8       call;          /* CALL, CALL_RESULT: TlCallKind */
  guint8       timer;         /* TIMER: TlTimerKind */
  guint8       inferred;      /* STATE: inferred from segments, not observed */
  guint8       socket;        /* which socket of the host (0 first) */
  gint32       error;         /* CALL, CALL_RESULT: 0 or an errno value */
  gint64       arg;           /* CALL: bytes for send, how for shutdown, value;
                               * read: bytes read, or TL_READ_ARG_OFF / _ON */
  TlSegment    seg;           /* packet records */
} TlTraceRecord;

typedef enum
{
  TL_TRACE_SIMULATION,
  TL_TRACE_CAPTURE,    /* a capture bundle: real sockets with a state log */
  TL_TRACE_PCAP,       /* a bare pcap: states inferred */
} TlTraceSource;

typedef struct
{
  char    *name;
  guint32  addr;
  guint16  port;
} TlTraceHost;

typedef struct
{
  TlTime start;
  TlTime end;
} TlTraceWindow;

typedef struct _TlTrace TlTrace;

struct _TlTrace
{
  gint           ref_count;
  TlTraceSource  source;
  char          *title;        /* scenario name or file name */
  char          *caption;      /* key parameters, one line */
  char          *profile;      /* "rfc9293", "linux", or NULL for captures */
  TlTraceHost    hosts[TL_MAX_HOSTS];
  gboolean       has_router;
  GArray        *pauses;       /* TlTraceWindow, the router's pause windows */
  TlTime         end_time;     /* where the run stopped */
  GArray        *records;      /* TlTraceRecord, ordered by time then append order */
  GByteArray    *bytes;        /* payload store */
  guint32        n_packets;    /* packet ids used so far */
  gboolean       truncated;    /* the run hit the event limit */
};

TlTrace             *tl_trace_new          (void);
TlTrace             *tl_trace_ref          (TlTrace *trace);
void                 tl_trace_unref        (TlTrace *trace);
/* Forgets records, packets and bytes but keeps the allocations, so a sweep
 * or benchmark can run scenario after scenario without malloc. */
void                 tl_trace_clear        (TlTrace *trace);

static inline guint
tl_trace_get_n_records (const TlTrace *trace)
{
  return trace->records->len;
}

static inline const TlTraceRecord *
tl_trace_get_record (const TlTrace *trace,
                     guint          index)
{
  return &g_array_index (trace->records, TlTraceRecord, index);
}

/* Appends a zeroed record of KIND at TIME on HOST; returns it for filling
 * in.  The pointer is valid until the next append. */
TlTraceRecord       *tl_trace_append       (TlTrace      *trace,
                                            TlRecordKind  kind,
                                            TlTime        time,
                                            guint         host);
guint32              tl_trace_new_packet   (TlTrace      *trace);
/* payload_off of a segment whose bytes the trace does not have (a capture
 * cut them off): readers see tl_trace_get_payload () return NULL. */
#define TL_PAYLOAD_NOT_STORED G_MAXUINT32

/* Stores payload bytes; returns their offset for TlSegment.payload_off. */
guint32              tl_trace_store_bytes  (TlTrace      *trace,
                                            const guint8 *data,
                                            gsize         length);
const guint8        *tl_trace_get_payload  (const TlTrace   *trace,
                                            const TlSegment *seg);

const char          *tl_tcp_state_to_string   (TlTcpState state);  /* "SYN-SENT" */
gboolean             tl_tcp_state_from_string (const char *text,
                                               TlTcpState *out);
const char          *tl_record_kind_to_string (TlRecordKind kind); /* "send" */
const char          *tl_call_to_string        (TlCallKind call);   /* "connect" */
const char          *tl_timer_to_string       (TlTimerKind timer);
const char          *tl_drop_reason_to_string (TlDropReason reason);
const char          *tl_errno_to_string       (gint error);        /* "ECONNREFUSED" */
const char          *tl_trace_host_name       (const TlTrace *trace,
                                               guint          host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlTrace, tl_trace_unref)

G_END_DECLS

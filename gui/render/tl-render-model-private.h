/* tl-render-model-private.h: a trace regrouped for drawing.
 *
 * The trace is a flat list of records; a picture needs packets (with all
 * the records of one packet's life together), state spans per socket and
 * point marks (calls, results, timers).  No cairo here: the text ladder
 * uses the same sequence-number bases.
 */
#pragma once

#include <glib.h>

#include "tl-render-options.h"
#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_RENDER_NONE_INDEX G_MAXUINT

/* How a packet's life ended. */
typedef enum
{
  TL_PACKET_DELIVERED,
  TL_PACKET_DROPPED,
  TL_PACKET_IN_FLIGHT,  /* no DELIVER or DROP in the trace */
} TlPacketEnd;

typedef struct
{
  guint32     packet;
  guint8      sender;
  guint8      receiver;
  guint8      end;          /* TlPacketEnd */
  guint8      drop_host;    /* DROP: where (sender's link or the router) */
  guint8      drop_reason;
  guint16     retransmit;
  guint       rec_send;     /* record indices, TL_RENDER_NONE_INDEX if absent */
  guint       rec_router_in;
  guint       rec_hold;
  guint       rec_release;
  guint       rec_end;
  TlTime      t_send;
  TlTime      t_router_in;
  TlTime      t_hold;
  TlTime      t_release;
  TlTime      t_end;
} TlRenderPacket;

typedef struct
{
  guint8  host;
  guint8  socket;
  guint8  state;      /* TlTcpState */
  guint8  inferred;
  guint   record;     /* the STATE record that entered it */
  TlTime  t0;
  TlTime  t1;         /* the next change or the end of the trace */
} TlRenderSpan;

typedef enum
{
  TL_MARK_CALL,
  TL_MARK_RESULT,
  TL_MARK_TIMER,
} TlMarkKind;

typedef struct
{
  guint8  kind;       /* TlMarkKind */
  guint8  host;
  guint8  is_error;
  guint   record;
  TlTime  time;
  char   *text;       /* "connect()", "connect() → ECONNREFUSED", "RTO" */
} TlRenderMark;

#define TL_RENDER_MAX_SOCKETS 4

typedef struct
{
  const TlTrace *trace;
  GArray        *packets;   /* TlRenderPacket, by send time */
  GArray        *spans;     /* TlRenderSpan, by host, socket, time */
  GArray        *marks;     /* TlRenderMark, by time */
  guint          n_sockets[TL_MAX_HOSTS];
  gboolean       listener[TL_MAX_HOSTS][TL_RENDER_MAX_SOCKETS];
  gboolean       has_isn[TL_MAX_HOSTS];
  guint32        isn[TL_MAX_HOSTS];
  gboolean       any_inferred;
  gboolean       any_retransmit;
  gboolean       any_drop;
  gboolean       any_hold;
  TlTime         typical_flight;
  TlTime         t_first;   /* first record (0 for an empty trace) */
  TlTime         t_last;    /* max of the last record and end_time */
} TlRenderModel;

TlRenderModel *tl_render_model_new   (const TlTrace *trace);
void           tl_render_model_free  (TlRenderModel *model);

/* The segment of a packet (the copy in its first record). */
const TlSegment *tl_render_model_segment (const TlRenderModel  *model,
                                          const TlRenderPacket *packet);

/* SEQ of a segment sent by HOST and ACK of a segment received by HOST, as
 * MODE asks. */
guint32        tl_render_model_seq   (const TlRenderModel *model,
                                      guint                sender,
                                      guint32              seq,
                                      TlSeqMode            mode);
guint32        tl_render_model_ack   (const TlRenderModel *model,
                                      guint                sender,
                                      guint32              ack,
                                      TlSeqMode            mode);

/* The arrow label: "#1 SYN,ACK seq=0 ack=1 len=100" on LINE1 and, with
 * SHOW_OPTIONS, "<mss 1460,sackOK,...>" on LINE2 (left empty otherwise). */
void           tl_render_model_label (const TlRenderModel  *model,
                                      const TlRenderPacket *packet,
                                      TlLabelDetail         detail,
                                      TlSeqMode             mode,
                                      gboolean              show_options,
                                      GString              *line1,
                                      GString              *line2);

/* "10.0.0.1:40000", or "" when the trace has no address for HOST. */
void           tl_render_host_address (const TlTrace *trace,
                                       guint          host,
                                       GString       *out);

/* Short state names for narrow bars: "SYN-RCVD", "ESTAB", "FIN-W1". */
const char    *tl_render_state_short_name (TlTcpState state);

/* A stretch of time: a segment on a link, a gap. */
typedef struct
{
  TlTime t0;
  TlTime t1;
} TlRenderInterval;

/* Appends to TIMES (TlTime) the time of every record in [FROM, TO] and to
 * FLIGHTS (TlRenderInterval) every stretch a segment spends on a link, so
 * the time map never squeezes a slanted arrow.  Unsorted. */
void           tl_render_model_collect_times (const TlRenderModel *model,
                                              TlTime               from,
                                              TlTime               to,
                                              GArray              *times,
                                              GArray              *flights);

/* Where a leg of a packet ends when the trace does not say (dropped on a
 * link, still in flight): the typical one-way flight time of the trace. */
TlTime         tl_render_model_typical_flight (const TlRenderModel *model);

G_END_DECLS

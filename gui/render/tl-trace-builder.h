/* tl-trace-builder.h: traces written by hand, for tests, benchmarks and
 * demos of the renderer.
 *
 * Describe each segment's life in one call (sent when, arriving when,
 * through the router, held, dropped) and state changes, calls, timers and
 * pauses in others, in any order; tl_trace_builder_finish() sorts the
 * records by time (records at the same time keep the order they were
 * added in) and hands over the trace.
 */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

typedef struct _TlTraceBuilder TlTraceBuilder;

typedef struct
{
  guint        sender;       /* TL_HOST_A or TL_HOST_B */
  TlTime       send;
  TlTime       arrive;       /* delivered (or dropped) at */
  guint8       flags;        /* TlTcpFlags */
  guint32      seq;
  guint32      ack;
  guint32      len;
  guint16      retransmit;
  gboolean     syn_options;  /* mss 1460, sackOK, TS, wscale 7 */
  /* With a router: when it reached the router (0: halfway between send
   * and arrive), and for a held segment when it was released. */
  TlTime       router_in;
  gboolean     held;
  TlTime       release;
  TlDropReason drop;         /* TL_DROP_NONE: delivered */
  guint        drop_host;    /* the sender (on its link) or TL_HOST_ROUTER */
} TlBuilderSegment;

/* Hosts "A" 10.0.0.1:40000 and "B" 10.0.0.2:40000. */
TlTraceBuilder *tl_trace_builder_new     (const char *title,
                                          const char *caption,
                                          gboolean    has_router);
void            tl_trace_builder_free    (TlTraceBuilder *builder);
/* Returns the packet id. */
guint32         tl_trace_builder_segment (TlTraceBuilder         *builder,
                                          const TlBuilderSegment *segment);
void            tl_trace_builder_state   (TlTraceBuilder *builder,
                                          guint           host,
                                          guint           socket,
                                          TlTime          time,
                                          TlTcpState      state);
/* ARG: bytes for send, how for shutdown (TlShutHow), 0 otherwise. */
void            tl_trace_builder_call    (TlTraceBuilder *builder,
                                          guint           host,
                                          TlTime          time,
                                          TlCallKind      call,
                                          gint64          arg,
                                          gint            error);
void            tl_trace_builder_result  (TlTraceBuilder *builder,
                                          guint           host,
                                          TlTime          time,
                                          TlCallKind      call,
                                          gint            error);
void            tl_trace_builder_timer   (TlTraceBuilder *builder,
                                          guint           host,
                                          TlTime          time,
                                          TlTimerKind     timer);
void            tl_trace_builder_pause   (TlTraceBuilder *builder,
                                          TlTime          start,
                                          TlTime          end);
/* The end of the run (default: the last record). */
void            tl_trace_builder_set_end (TlTraceBuilder *builder,
                                          TlTime          end);
/* Sorts the records and returns the trace; frees the builder. */
TlTrace        *tl_trace_builder_finish  (TlTraceBuilder *builder);

G_END_DECLS

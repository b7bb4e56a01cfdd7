/* tl-event-queue.h: the scheduler's priority queue.
 *
 * Events are ordered by (time, insertion sequence): two events at the same
 * nanosecond run in the order they were scheduled, so a run is repeatable
 * bit for bit.  A 4-ary implicit heap keeps keys inline for cache-friendly
 * sift operations; each event has a handle that can cancel it in O(log n).
 */
#pragma once

#include <glib.h>

#include "tl-time.h"

G_BEGIN_DECLS

typedef struct _TlEventQueue TlEventQueue;

typedef void (*TlEventFunc) (gpointer data,
                             guint64  arg);

/* 0 is never a valid handle: use it for "not scheduled". */
typedef guint64 TlEventHandle;

typedef struct
{
  TlTime      time;
  TlEventFunc func;
  gpointer    data;
  guint64     arg;
} TlEvent;

TlEventQueue  *tl_event_queue_new        (void);
void           tl_event_queue_free       (TlEventQueue *queue);
/* Drops every pending event; keeps the memory for the next run. */
void           tl_event_queue_clear      (TlEventQueue *queue);
TlEventHandle  tl_event_queue_push       (TlEventQueue *queue,
                                          TlTime        time,
                                          TlEventFunc   func,
                                          gpointer      data,
                                          guint64       arg);
/* Returns FALSE when the event already ran or was cancelled. */
gboolean       tl_event_queue_cancel     (TlEventQueue  *queue,
                                          TlEventHandle  handle);
/* Removes the earliest event into *EVENT; FALSE when empty. */
gboolean       tl_event_queue_pop        (TlEventQueue *queue,
                                          TlEvent      *event);
/* TL_TIME_NEVER when empty. */
TlTime         tl_event_queue_peek_time  (const TlEventQueue *queue);
guint          tl_event_queue_get_length (const TlEventQueue *queue);

G_END_DECLS

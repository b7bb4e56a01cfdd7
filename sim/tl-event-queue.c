/* tl-event-queue.c: 4-ary heap of (time, sequence) keys with handles. */
#include "tl-event-queue.h"

#include <string.h>

/* A heap entry: the key inline, and the slot holding the payload. */
typedef struct
{
  TlTime  time;
  guint64 seq;
  guint32 slot;
} HeapEntry;

/* Where an event's payload lives while it is pending.  HEAP_POS tracks the
 * entry so cancel can find it; GENERATION makes stale handles harmless. */
typedef struct
{
  TlEventFunc func;
  gpointer    data;
  guint64     arg;
  guint32     heap_pos;
  guint32     generation;
} Slot;

#define NOT_IN_HEAP G_MAXUINT32
#define ARITY 4

struct _TlEventQueue
{
  HeapEntry *heap;
  guint      len;
  guint      cap;
  Slot      *slots;
  guint32   *free_slots;
  guint      n_free;
  guint      n_slots;
  guint      slots_cap;
  guint64    next_seq;
};

TlEventQueue *
tl_event_queue_new (void)
{
  return g_new0 (TlEventQueue, 1);
}

void
tl_event_queue_free (TlEventQueue *queue)
{
  if (queue == NULL)
    return;
  g_free (queue->heap);
  g_free (queue->slots);
  g_free (queue->free_slots);
  g_free (queue);
}

void
tl_event_queue_clear (TlEventQueue *queue)
{
  /* Bump every generation so handles from the previous run stay dead. */
  for (guint i = 0; i < queue->n_slots; i++)
    {
      queue->slots[i].generation++;
      queue->slots[i].heap_pos = NOT_IN_HEAP;
    }
  queue->len = 0;
  queue->n_free = 0;
  for (guint i = queue->n_slots; i > 0; i--)
    queue->free_slots[queue->n_free++] = i - 1;
  queue->next_seq = 0;
}

static inline gboolean
entry_before (const HeapEntry *a,
              const HeapEntry *b)
{
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static inline void
place (TlEventQueue    *queue,
       guint            pos,
       const HeapEntry *entry)
{
  queue->heap[pos] = *entry;
  queue->slots[entry->slot].heap_pos = pos;
}

static void
sift_up (TlEventQueue *queue,
         guint         pos,
         HeapEntry     entry)
{
  while (pos > 0)
    {
      guint parent = (pos - 1) / ARITY;
      if (!entry_before (&entry, &queue->heap[parent]))
        break;
      place (queue, pos, &queue->heap[parent]);
      pos = parent;
    }
  place (queue, pos, &entry);
}

static void
sift_down (TlEventQueue *queue,
           guint         pos,
           HeapEntry     entry)
{
  HeapEntry *heap = queue->heap;
  guint len = queue->len;

  for (;;)
    {
      guint first = pos * ARITY + 1;
      guint best, last;

      if (first >= len)
        break;
      best = first;
      last = MIN (first + ARITY, len);
      for (guint c = first + 1; c < last; c++)
        if (entry_before (&heap[c], &heap[best]))
          best = c;
      if (!entry_before (&heap[best], &entry))
        break;
      place (queue, pos, &heap[best]);
      pos = best;
    }
  place (queue, pos, &entry);
}

static guint32
alloc_slot (TlEventQueue *queue)
{
  if (queue->n_free > 0)
    return queue->free_slots[--queue->n_free];
  if (queue->n_slots == queue->slots_cap)
    {
      queue->slots_cap = MAX (64, queue->slots_cap * 2);
      queue->slots = g_renew (Slot, queue->slots, queue->slots_cap);
      queue->free_slots = g_renew (guint32, queue->free_slots, queue->slots_cap);
    }
  queue->slots[queue->n_slots].generation = 1;
  return queue->n_slots++;
}

static inline TlEventHandle
make_handle (guint32 slot,
             guint32 generation)
{
  return ((guint64) generation << 32) | ((guint64) slot + 1);
}

TlEventHandle
tl_event_queue_push (TlEventQueue *queue,
                     TlTime        time,
                     TlEventFunc   func,
                     gpointer      data,
                     guint64       arg)
{
  guint32 slot = alloc_slot (queue);
  Slot *s = &queue->slots[slot];
  HeapEntry entry = { time, queue->next_seq++, slot };

  s->func = func;
  s->data = data;
  s->arg = arg;
  if (queue->len == queue->cap)
    {
      queue->cap = MAX (64, queue->cap * 2);
      queue->heap = g_renew (HeapEntry, queue->heap, queue->cap);
    }
  queue->len++;
  sift_up (queue, queue->len - 1, entry);
  return make_handle (slot, s->generation);
}

static void
release_slot (TlEventQueue *queue,
              guint32       slot)
{
  queue->slots[slot].heap_pos = NOT_IN_HEAP;
  queue->slots[slot].generation++;
  queue->free_slots[queue->n_free++] = slot;
}

/* Removes the entry at POS, refilling the hole with the last entry. */
static void
remove_at (TlEventQueue *queue,
           guint         pos)
{
  HeapEntry last = queue->heap[--queue->len];

  if (pos == queue->len)
    return;
  if (pos > 0 && entry_before (&last, &queue->heap[(pos - 1) / ARITY]))
    sift_up (queue, pos, last);
  else
    sift_down (queue, pos, last);
}

gboolean
tl_event_queue_cancel (TlEventQueue  *queue,
                       TlEventHandle  handle)
{
  guint32 slot, generation;

  if (handle == 0)
    return FALSE;
  slot = (guint32) (handle & 0xffffffffu) - 1;
  generation = (guint32) (handle >> 32);
  if (slot >= queue->n_slots || queue->slots[slot].generation != generation
      || queue->slots[slot].heap_pos == NOT_IN_HEAP)
    return FALSE;
  remove_at (queue, queue->slots[slot].heap_pos);
  release_slot (queue, slot);
  return TRUE;
}

gboolean
tl_event_queue_pop (TlEventQueue *queue,
                    TlEvent      *event)
{
  guint32 slot;
  const Slot *s;

  if (queue->len == 0)
    return FALSE;
  slot = queue->heap[0].slot;
  s = &queue->slots[slot];
  event->time = queue->heap[0].time;
  event->func = s->func;
  event->data = s->data;
  event->arg = s->arg;
  remove_at (queue, 0);
  release_slot (queue, slot);
  return TRUE;
}

TlTime
tl_event_queue_peek_time (const TlEventQueue *queue)
{
  return queue->len > 0 ? queue->heap[0].time : TL_TIME_NEVER;
}

guint
tl_event_queue_get_length (const TlEventQueue *queue)
{
  return queue->len;
}

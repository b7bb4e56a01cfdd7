/* tl-event-queue.c: a radix heap over (time, sequence) keys.
 *
 * Simulated time never goes backwards: every event is scheduled at or
 * after the last one taken out.  That makes a radix heap possible (Ahuja,
 * Mehlhorn, Orlin and Tarjan, 1990): an event goes into the bucket named
 * by the highest bit in which its key differs from the last key taken out.
 * Bucket 0 then holds exactly the next event; when it is empty, the lowest
 * non-empty bucket is spread over the buckets below it around its minimum.
 * Each event moves down a few times at most, by plain appends, so there is
 * no sifting and no unpredictable branching: insert is O(1) and taking the
 * minimum O(log C) amortised for keys spanning C.
 *
 * The key is 128 bits: the time (sign bit flipped so that the order of
 * signed times is the order of the unsigned keys) above the insertion
 * sequence number and the payload slot, so events at the same nanosecond
 * come out in the order they were scheduled, and all keys are distinct.
 *
 * Cancelling is O(1): the slot is marked dead, and the entry is discarded
 * when a redistribution or a pop meets it.
 */
#include "tl-event-queue.h"

#include <string.h>

#define SLOT_BITS 24
#define SLOT_MASK ((G_GUINT64_CONSTANT (1) << SLOT_BITS) - 1)
#define MAX_SLOTS (1u << SLOT_BITS)
#define N_BUCKETS 129   /* bucket 0, then one per differing bit of 128 */

typedef unsigned __int128 Key;

typedef struct
{
  Key   *keys;
  guint  len;
  guint  cap;
} Bucket;

typedef struct
{
  TlEventFunc func;     /* NULL: cancelled, waiting to be discarded */
  gpointer    data;
  guint64     arg;
  guint32     generation;
  gboolean    pending;
} Slot;

struct _TlEventQueue
{
  Bucket    buckets[N_BUCKETS];
  guint64   nonempty[3];  /* bit i: bucket i has entries */
  Key       last;         /* the last key taken out (or the floor) */
  guint     n_entries;    /* entries in buckets, dead ones included */
  guint     n_live;
  Slot     *slots;
  guint32  *free_slots;
  guint     n_free;
  guint     n_slots;
  guint     slots_cap;
  guint64   next_seq;
};

static inline Key
make_key (TlTime  time,
          guint64 seq_slot)
{
  return ((Key) ((guint64) time ^ G_GUINT64_CONSTANT (0x8000000000000000)) << 64) | seq_slot;
}

static inline TlTime
key_time (Key key)
{
  return (TlTime) ((guint64) (key >> 64) ^ G_GUINT64_CONSTANT (0x8000000000000000));
}

static inline guint32
key_slot (Key key)
{
  return (guint32) ((guint64) key & SLOT_MASK);
}

/* The bucket for KEY given the last key out: 0 when equal, else one more
 * than the index of the highest differing bit. */
static inline guint
bucket_for (Key key,
            Key last)
{
  Key diff = key ^ last;
  guint64 high = (guint64) (diff >> 64), low = (guint64) diff;

  if (high != 0)
    return 128 - (guint) __builtin_clzll (high);
  if (low != 0)
    return 64 - (guint) __builtin_clzll (low);
  return 0;
}

static inline void
bucket_append (TlEventQueue *queue,
               guint         index,
               Key           key)
{
  Bucket *b = &queue->buckets[index];

  if (G_UNLIKELY (b->len == b->cap))
    {
      b->cap = MAX (16, b->cap * 2);
      b->keys = g_renew (Key, b->keys, b->cap);
    }
  b->keys[b->len++] = key;
  queue->nonempty[index >> 6] |= G_GUINT64_CONSTANT (1) << (index & 63);
}

static inline void
mark_empty (TlEventQueue *queue,
            guint         index)
{
  queue->nonempty[index >> 6] &= ~(G_GUINT64_CONSTANT (1) << (index & 63));
}

/* The lowest non-empty bucket, or N_BUCKETS. */
static inline guint
lowest_bucket (const TlEventQueue *queue)
{
  for (guint w = 0; w < 3; w++)
    if (queue->nonempty[w] != 0)
      return w * 64 + (guint) __builtin_ctzll (queue->nonempty[w]);
  return N_BUCKETS;
}

TlEventQueue *
tl_event_queue_new (void)
{
  TlEventQueue *queue = g_new0 (TlEventQueue, 1);

  queue->last = make_key (G_MININT64, 0);
  return queue;
}

void
tl_event_queue_free (TlEventQueue *queue)
{
  if (queue == NULL)
    return;
  for (guint i = 0; i < N_BUCKETS; i++)
    g_free (queue->buckets[i].keys);
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
      queue->slots[i].pending = FALSE;
    }
  for (guint i = 0; i < N_BUCKETS; i++)
    queue->buckets[i].len = 0;
  memset (queue->nonempty, 0, sizeof queue->nonempty);
  queue->last = make_key (G_MININT64, 0);
  queue->n_entries = 0;
  queue->n_live = 0;
  queue->n_free = 0;
  for (guint i = queue->n_slots; i > 0; i--)
    queue->free_slots[queue->n_free++] = i - 1;
  queue->next_seq = 0;
}

static guint32
alloc_slot (TlEventQueue *queue)
{
  if (G_LIKELY (queue->n_free > 0))
    return queue->free_slots[--queue->n_free];
  if (queue->n_slots == queue->slots_cap)
    {
      queue->slots_cap = MAX (64, queue->slots_cap * 2);
      if (queue->slots_cap > MAX_SLOTS)
        g_error ("tl-event-queue: more than %u pending events", MAX_SLOTS);
      queue->slots = g_renew (Slot, queue->slots, queue->slots_cap);
      queue->free_slots = g_renew (guint32, queue->free_slots, queue->slots_cap);
    }
  queue->slots[queue->n_slots].generation = 1;
  return queue->n_slots++;
}

static inline void
release_slot (TlEventQueue *queue,
              guint32       slot)
{
  queue->slots[slot].pending = FALSE;
  queue->slots[slot].generation++;
  queue->free_slots[queue->n_free++] = slot;
}

static void
lower_floor (TlEventQueue *queue,
             Key           floor)
{
  GArray *all = g_array_sized_new (FALSE, FALSE, sizeof (Key), queue->n_entries);

  for (guint i = 0; i < N_BUCKETS; i++)
    {
      g_array_append_vals (all, queue->buckets[i].keys, queue->buckets[i].len);
      queue->buckets[i].len = 0;
    }
  memset (queue->nonempty, 0, sizeof queue->nonempty);
  queue->last = floor;
  for (guint i = 0; i < all->len; i++)
    bucket_append (queue, bucket_for (g_array_index (all, Key, i), floor),
                   g_array_index (all, Key, i));
  g_array_unref (all);
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
  Key key = make_key (time, (queue->next_seq++ << SLOT_BITS) | slot);

  /* A peek may have raised the floor past the current time (the next
   * event lies beyond a run_until limit); an event scheduled below it
   * lowers the floor again, which re-buckets what is pending.  Rare. */
  if (G_UNLIKELY (key < queue->last))
    lower_floor (queue, key);
  s->func = func;
  s->data = data;
  s->arg = arg;
  s->pending = TRUE;
  bucket_append (queue, bucket_for (key, queue->last), key);
  queue->n_entries++;
  queue->n_live++;
  return ((guint64) s->generation << 32) | ((guint64) slot + 1);
}

gboolean
tl_event_queue_cancel (TlEventQueue  *queue,
                       TlEventHandle  handle)
{
  guint32 slot, generation;
  Slot *s;

  if (handle == 0)
    return FALSE;
  slot = (guint32) (handle & 0xffffffffu) - 1;
  generation = (guint32) (handle >> 32);
  if (slot >= queue->n_slots)
    return FALSE;
  s = &queue->slots[slot];
  if (s->generation != generation || !s->pending || s->func == NULL)
    return FALSE;
  s->func = NULL;
  queue->n_live--;
  return TRUE;
}

/* Spreads the lowest non-empty bucket around its smallest live key, so
 * that key lands alone in bucket 0.  Dead entries met on the way are
 * dropped.  Returns FALSE when no live entry is left. */
static gboolean
refill_bucket_zero (TlEventQueue *queue)
{
  for (;;)
    {
      guint index = lowest_bucket (queue);
      Bucket *b;
      Key min = ~(Key) 0;
      guint live = 0;

      if (index == N_BUCKETS)
        return FALSE;
      b = &queue->buckets[index];
      for (guint i = 0; i < b->len; i++)
        {
          Key k = b->keys[i];
          if (queue->slots[key_slot (k)].func == NULL)
            continue;
          live++;
          min = k < min ? k : min;
        }
      mark_empty (queue, index);
      if (live == 0)
        {
          for (guint i = 0; i < b->len; i++)
            release_slot (queue, key_slot (b->keys[i]));
          queue->n_entries -= b->len;
          b->len = 0;
          continue;
        }
      queue->last = min;
      {
        guint n = b->len;
        b->len = 0;
        for (guint i = 0; i < n; i++)
          {
            Key k = b->keys[i];
            if (queue->slots[key_slot (k)].func == NULL)
              {
                release_slot (queue, key_slot (k));
                queue->n_entries--;
                continue;
              }
            /* Every key of bucket INDEX differs from MIN below bit
             * INDEX - 1, so it moves to a lower bucket (MIN to 0). */
            bucket_append (queue, bucket_for (k, min), k);
          }
      }
      return TRUE;
    }
}

/* Makes bucket 0 hold the next live event; FALSE when there is none. */
static gboolean
settle (TlEventQueue *queue)
{
  Bucket *zero = &queue->buckets[0];

  while (zero->len > 0)
    {
      Key k = zero->keys[zero->len - 1];
      if (queue->slots[key_slot (k)].func != NULL)
        return TRUE;
      zero->len--;
      queue->n_entries--;
      release_slot (queue, key_slot (k));
    }
  mark_empty (queue, 0);
  return refill_bucket_zero (queue);
}

gboolean
tl_event_queue_pop (TlEventQueue *queue,
                    TlEvent      *event)
{
  Bucket *zero = &queue->buckets[0];
  guint32 slot;
  const Slot *s;
  Key key;

  if (!settle (queue))
    return FALSE;
  /* Keys are distinct, so bucket 0 holds exactly one entry. */
  key = zero->keys[--zero->len];
  mark_empty (queue, 0);
  slot = key_slot (key);
  s = &queue->slots[slot];
  event->time = key_time (key);
  event->func = s->func;
  event->data = s->data;
  event->arg = s->arg;
  release_slot (queue, slot);
  queue->n_entries--;
  queue->n_live--;
  return TRUE;
}

TlTime
tl_event_queue_peek_time (const TlEventQueue *queue)
{
  /* Settling moves entries between buckets and drops dead ones; no
   * observable state changes, so the queue is logically const here. */
  TlEventQueue *q = (TlEventQueue *) queue;

  if (!settle (q))
    return TL_TIME_NEVER;
  return key_time (q->buckets[0].keys[0]);
}

guint
tl_event_queue_get_length (const TlEventQueue *queue)
{
  return queue->n_live;
}

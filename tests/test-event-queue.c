/* test-event-queue.c: ordering, ties, cancellation, reuse. */
#include <glib.h>

#include "tl-event-queue.h"
#include "tl-rng.h"

static void
noop (gpointer data,
      guint64  arg)
{
}

static void
test_time_order (void)
{
  TlEventQueue *q = tl_event_queue_new ();
  TlTime times[] = { 50, 10, 40, 20, 30, 0, TL_SEC (100), 15 };
  TlTime expected[] = { 0, 10, 15, 20, 30, 40, 50, TL_SEC (100) };
  TlEvent ev;

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    tl_event_queue_push (q, times[i], noop, NULL, i);
  g_assert_cmpuint (tl_event_queue_get_length (q), ==, G_N_ELEMENTS (times));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpint (tl_event_queue_peek_time (q), ==, expected[i]);
      g_assert_true (tl_event_queue_pop (q, &ev));
      g_assert_cmpint (ev.time, ==, expected[i]);
    }
  g_assert_false (tl_event_queue_pop (q, &ev));
  g_assert_cmpint (tl_event_queue_peek_time (q), ==, TL_TIME_NEVER);
  tl_event_queue_free (q);
}

/* Events at the same nanosecond run in the order they were scheduled,
 * including those scheduled while the tie is being processed. */
static void
test_ties_in_insertion_order (void)
{
  TlEventQueue *q = tl_event_queue_new ();
  TlEvent ev;

  for (guint i = 0; i < 100; i++)
    tl_event_queue_push (q, i % 2 ? 7 : 5, noop, NULL, i);
  for (guint i = 0; i < 100; i += 2)
    {
      g_assert_true (tl_event_queue_pop (q, &ev));
      g_assert_cmpint (ev.time, ==, 5);
      g_assert_cmpuint (ev.arg, ==, i);
    }
  /* Scheduled "now" (7) while the 7s are pending: goes after them. */
  tl_event_queue_push (q, 7, noop, NULL, 1000);
  for (guint i = 1; i < 100; i += 2)
    {
      g_assert_true (tl_event_queue_pop (q, &ev));
      g_assert_cmpint (ev.time, ==, 7);
      g_assert_cmpuint (ev.arg, ==, i);
    }
  g_assert_true (tl_event_queue_pop (q, &ev));
  g_assert_cmpuint (ev.arg, ==, 1000);
  tl_event_queue_free (q);
}

static void
test_cancel (void)
{
  TlEventQueue *q = tl_event_queue_new ();
  TlEventHandle h[10];
  TlEvent ev;

  for (guint i = 0; i < 10; i++)
    h[i] = tl_event_queue_push (q, (TlTime) i * 10, noop, NULL, i);
  g_assert_true (tl_event_queue_cancel (q, h[0]));
  g_assert_true (tl_event_queue_cancel (q, h[5]));
  g_assert_false (tl_event_queue_cancel (q, h[5]));   /* twice */
  g_assert_false (tl_event_queue_cancel (q, 0));
  g_assert_cmpuint (tl_event_queue_get_length (q), ==, 8);
  g_assert_cmpint (tl_event_queue_peek_time (q), ==, 10);
  for (guint i = 1; i < 10; i++)
    {
      if (i == 5)
        continue;
      g_assert_true (tl_event_queue_pop (q, &ev));
      g_assert_cmpuint (ev.arg, ==, i);
    }
  g_assert_false (tl_event_queue_pop (q, &ev));
  /* A handle whose event already ran cannot cancel the slot's next use. */
  {
    TlEventHandle again = tl_event_queue_push (q, 200, noop, NULL, 77);
    g_assert_false (tl_event_queue_cancel (q, h[1]));
    g_assert_cmpuint (tl_event_queue_get_length (q), ==, 1);
    g_assert_true (tl_event_queue_cancel (q, again));
  }
  g_assert_false (tl_event_queue_pop (q, &ev));
  tl_event_queue_free (q);
}

static void
test_clear_kills_handles (void)
{
  TlEventQueue *q = tl_event_queue_new ();
  TlEventHandle h = tl_event_queue_push (q, 100, noop, NULL, 1);
  TlEvent ev;

  tl_event_queue_pop (q, &ev);
  tl_event_queue_push (q, 300, noop, NULL, 2);
  tl_event_queue_clear (q);
  g_assert_cmpuint (tl_event_queue_get_length (q), ==, 0);
  /* After a clear, time may start again from zero. */
  tl_event_queue_push (q, 0, noop, NULL, 3);
  g_assert_false (tl_event_queue_cancel (q, h));
  g_assert_true (tl_event_queue_pop (q, &ev));
  g_assert_cmpuint (ev.arg, ==, 3);
  tl_event_queue_free (q);
}

/* A peek may look past the time a caller then schedules at. */
static void
test_schedule_below_peeked (void)
{
  TlEventQueue *q = tl_event_queue_new ();
  TlEvent ev;

  tl_event_queue_push (q, TL_SEC (60), noop, NULL, 1);
  tl_event_queue_push (q, TL_SEC (90), noop, NULL, 2);
  g_assert_cmpint (tl_event_queue_peek_time (q), ==, TL_SEC (60));
  tl_event_queue_push (q, TL_SEC (10), noop, NULL, 3);
  g_assert_true (tl_event_queue_pop (q, &ev));
  g_assert_cmpuint (ev.arg, ==, 3);
  g_assert_true (tl_event_queue_pop (q, &ev));
  g_assert_cmpuint (ev.arg, ==, 1);
  g_assert_true (tl_event_queue_pop (q, &ev));
  g_assert_cmpuint (ev.arg, ==, 2);
  tl_event_queue_free (q);
}

/* Random pushes, pops and cancels against a plain sorted model. */
typedef struct
{
  TlTime        time;
  guint64       seq;
  TlEventHandle handle;
  gboolean      live;
} ModelEvent;

static void
test_random_against_model (void)
{
  TlEventQueue *q = tl_event_queue_new ();
  GArray *model = g_array_new (FALSE, FALSE, sizeof (ModelEvent));
  TlRng rng;
  TlTime now = 0;
  guint64 seq = 0;
  TlEvent ev;

  tl_rng_init (&rng, 7, 0);
  for (guint step = 0; step < 200000; step++)
    {
      guint64 r = tl_rng_below (&rng, 10);

      if (r < 5 || model->len == 0)
        {
          /* Few distinct times, so ties are common. */
          ModelEvent m = { now + (TlTime) tl_rng_below (&rng, 8) * 1000, seq, 0, TRUE };
          m.handle = tl_event_queue_push (q, m.time, noop, NULL, seq);
          seq++;
          g_array_append_val (model, m);
        }
      else if (r < 7)
        {
          guint i = (guint) tl_rng_below (&rng, model->len);
          ModelEvent *m = &g_array_index (model, ModelEvent, i);
          g_assert_cmpint (tl_event_queue_cancel (q, m->handle), ==, m->live);
          g_array_remove_index_fast (model, i);
        }
      else
        {
          guint best = G_MAXUINT;
          for (guint i = 0; i < model->len; i++)
            {
              ModelEvent *m = &g_array_index (model, ModelEvent, i);
              ModelEvent *b = best == G_MAXUINT ? NULL : &g_array_index (model, ModelEvent, best);
              if (b == NULL || m->time < b->time || (m->time == b->time && m->seq < b->seq))
                best = i;
            }
          g_assert_true (tl_event_queue_pop (q, &ev));
          g_assert_cmpint (ev.time, ==, g_array_index (model, ModelEvent, best).time);
          g_assert_cmpuint (ev.arg, ==, g_array_index (model, ModelEvent, best).seq);
          now = ev.time;
          g_array_remove_index_fast (model, best);
        }
      g_assert_cmpuint (tl_event_queue_get_length (q), ==, model->len);
    }
  g_array_unref (model);
  tl_event_queue_free (q);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/event-queue/time-order", test_time_order);
  g_test_add_func ("/event-queue/ties-in-insertion-order", test_ties_in_insertion_order);
  g_test_add_func ("/event-queue/cancel", test_cancel);
  g_test_add_func ("/event-queue/clear-kills-handles", test_clear_kills_handles);
  g_test_add_func ("/event-queue/schedule-below-peeked", test_schedule_below_peeked);
  g_test_add_func ("/event-queue/random-against-model", test_random_against_model);
  return g_test_run ();
}

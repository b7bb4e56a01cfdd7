/* test-scenario.c: the scenario file format, its parser, --set keys, the
 * writer and the bundled scenarios. */
#include "tl-scenario.h"

#include <string.h>
#include <glib/gstdio.h>

#define MIB (1024 * 1024)

static const char * const bundled_names[] = {
  "normal-handshake",
  "simultaneous-open-delay",
  "simultaneous-open-router-pause",
  "simultaneous-close",
  "connect-refused",
  "syn-timeout",
  "close-unread-data",
  "data-after-close",
};

static char *
bundled_path (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".scn", NULL);

  return g_build_filename (TL_SCENARIOS_DIR, file, NULL);
}

static TlScenario *
load_bundled (const char *name)
{
  g_autofree char *path = bundled_path (name);
  g_autoptr(GError) error = NULL;
  TlScenario *scenario = tl_scenario_load (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  return scenario;
}

static TlScenario *
parse_ok (const char *text)
{
  g_autoptr(GError) error = NULL;
  TlScenario *scenario = tl_scenario_parse (text, -1, "test.scn", &error);

  g_assert_no_error (error);
  g_assert_nonnull (scenario);
  return scenario;
}

static void
assert_parse_error (const char *text,
                    int         code,
                    const char *message)
{
  g_autoptr(GError) error = NULL;
  TlScenario *scenario = tl_scenario_parse (text, -1, "test.scn", &error);

  g_assert_null (scenario);
  g_assert_error (error, TL_SCENARIO_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static guint32
ipv4 (guint a, guint b, guint c, guint d)
{
  return (a << 24) | (b << 16) | (c << 8) | d;
}

static const TlScenarioCall *
call_at (const TlScenario *scenario,
         guint             host,
         guint             index)
{
  g_assert_cmpuint (index, <, scenario->hosts[host].calls->len);
  return &g_array_index (scenario->hosts[host].calls, TlScenarioCall, index);
}

static void
assert_call (const TlScenario *scenario,
             guint             host,
             guint             index,
             TlTime            at,
             TlCallKind        kind,
             guint             ordinal)
{
  const TlScenarioCall *call = call_at (scenario, host, index);

  g_assert_cmpint (call->at, ==, at);
  g_assert_cmpint (call->kind, ==, kind);
  g_assert_cmpuint (call->ordinal, ==, ordinal);
}

static void
assert_send_text (const TlScenarioCall *call,
                  const char           *text)
{
  gsize size;
  const char *data;

  g_assert_cmpint (call->kind, ==, TL_CALL_SEND);
  g_assert_nonnull (call->data);
  data = g_bytes_get_data (call->data, &size);
  g_assert_cmpint (call->value, ==, (gint64) strlen (text));
  g_assert_cmpmem (data, size, text, strlen (text));
}

static void
assert_symmetric_link (const TlScenario *scenario,
                       TlTime            delay)
{
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpint (scenario->links[i].delay, ==, delay);
      g_assert_cmpint (scenario->links[i].jitter, ==, 0);
      g_assert_cmpuint (scenario->links[i].loss_ppm, ==, 0);
      g_assert_cmpuint (scenario->links[i].rate_bps, ==, 0);
    }
}

static void
assert_host (const TlScenario *scenario,
             guint             index,
             const char       *name,
             guint32           addr,
             guint16           port)
{
  g_assert_cmpstr (scenario->hosts[index].name, ==, name);
  g_assert_cmphex (scenario->hosts[index].addr, ==, addr);
  g_assert_cmpuint (scenario->hosts[index].port, ==, port);
  g_assert_false (scenario->hosts[index].fixed_isn);
}

/* Field by field, everything but where the scenario came from and where
 * each call stood in its file. */
static void
assert_scenarios_equal (const TlScenario *a,
                        const TlScenario *b)
{
  g_assert_cmpstr (a->name, ==, b->name);
  g_assert_cmpstr (a->description, ==, b->description);
  g_assert_cmpint (a->profile, ==, b->profile);
  g_assert_cmpuint (a->seed, ==, b->seed);
  g_assert_cmpint (a->duration, ==, b->duration);
  g_assert_cmpuint (a->max_events, ==, b->max_events);
  g_assert_cmpint (a->has_router, ==, b->has_router);
  g_assert_cmpuint (a->router_queue, ==, b->router_queue);
  g_assert_cmpint (a->release_gap, ==, b->release_gap);
  g_assert_cmpmem (a->pauses->data, a->pauses->len * sizeof (TlPauseWindow),
                   b->pauses->data, b->pauses->len * sizeof (TlPauseWindow));
  g_assert_cmpmem (a->links, sizeof a->links, b->links, sizeof b->links);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      const TlScenarioHost *x = &a->hosts[h], *y = &b->hosts[h];

      g_assert_cmpstr (x->name, ==, y->name);
      g_assert_cmphex (x->addr, ==, y->addr);
      g_assert_cmpuint (x->port, ==, y->port);
      g_assert_cmpint (x->fixed_isn, ==, y->fixed_isn);
      g_assert_cmpuint (x->isn, ==, y->isn);
      g_assert_cmpmem (&x->settings, sizeof x->settings, &y->settings, sizeof y->settings);
      g_assert_cmpuint (x->calls->len, ==, y->calls->len);
      for (guint i = 0; i < x->calls->len; i++)
        {
          const TlScenarioCall *c = &g_array_index (x->calls, TlScenarioCall, i);
          const TlScenarioCall *d = &g_array_index (y->calls, TlScenarioCall, i);

          g_assert_cmpint (c->at, ==, d->at);
          g_assert_cmpint (c->kind, ==, d->kind);
          g_assert_cmpuint (c->ordinal, ==, d->ordinal);
          g_assert_cmpint (c->peer, ==, d->peer);
          g_assert_cmpint (c->how, ==, d->how);
          g_assert_cmpint (c->option, ==, d->option);
          g_assert_cmpint (c->value, ==, d->value);
          g_assert_cmpint (c->on_listener, ==, d->on_listener);
          g_assert_true ((c->data == NULL) == (d->data == NULL));
          if (c->data != NULL)
            g_assert_true (g_bytes_equal (c->data, d->data));
        }
    }
}

/* ---- profiles and defaults ---- */

static void
test_profile_defaults (void)
{
  TlHostSettings s;
  TlProfileId id;

  tl_host_settings_init (&s, TL_PROFILE_RFC9293);
  g_assert_cmpuint (s.syn_retries, ==, 6);
  g_assert_cmpuint (s.synack_retries, ==, 5);
  g_assert_cmpuint (s.syn_linear_timeouts, ==, 0);
  g_assert_false (s.timestamps);
  g_assert_false (s.sack);
  g_assert_false (s.window_scaling);
  g_assert_cmpuint (s.rmem_max, ==, 65535);
  g_assert_cmpuint (s.mss, ==, 1460);
  g_assert_cmpint (s.rto_initial, ==, TL_SEC (1));
  g_assert_cmpint (s.rto_min, ==, TL_SEC (1));
  g_assert_cmpint (s.rto_max, ==, TL_SEC (60));
  g_assert_cmpint (s.time_wait, ==, TL_SEC (240));
  g_assert_cmpint (s.delayed_ack, ==, TL_MSEC (200));
  g_assert_cmpint (s.invalid_ratelimit, ==, 0);
  g_assert_cmpuint (s.kernel_version, ==, 0);
  g_assert_cmpuint (s.orphan_retries, ==, 0);

  tl_host_settings_init (&s, TL_PROFILE_LINUX);
  g_assert_cmpuint (s.syn_retries, ==, 6);
  g_assert_cmpuint (s.synack_retries, ==, 5);
  g_assert_cmpuint (s.syn_linear_timeouts, ==, 4);
  g_assert_true (s.timestamps);
  g_assert_true (s.sack);
  g_assert_true (s.window_scaling);
  g_assert_cmpuint (s.rmem_max, ==, 33554432);
  g_assert_cmpuint (s.mss, ==, 1460);
  g_assert_cmpint (s.rto_initial, ==, TL_SEC (1));
  g_assert_cmpint (s.rto_min, ==, TL_MSEC (200));
  g_assert_cmpint (s.rto_max, ==, TL_SEC (120));
  g_assert_cmpint (s.time_wait, ==, TL_SEC (60));
  g_assert_cmpint (s.delayed_ack, ==, TL_MSEC (40));
  g_assert_cmpint (s.invalid_ratelimit, ==, TL_MSEC (500));
  g_assert_cmpuint (s.kernel_version, ==, 61800);
  g_assert_cmpuint (s.orphan_retries, ==, 0);

  g_assert_cmpstr (tl_profile_to_string (TL_PROFILE_RFC9293), ==, "rfc9293");
  g_assert_cmpstr (tl_profile_to_string (TL_PROFILE_LINUX), ==, "linux");
  g_assert_true (tl_profile_from_string ("linux", &id));
  g_assert_cmpint (id, ==, TL_PROFILE_LINUX);
  g_assert_true (tl_profile_from_string ("rfc9293", &id));
  g_assert_cmpint (id, ==, TL_PROFILE_RFC9293);
  g_assert_false (tl_profile_from_string ("Linux", &id));
  g_assert_false (tl_profile_from_string ("", &id));
}

static void
test_new_defaults (void)
{
  g_autoptr(TlScenario) s = tl_scenario_new ();
  TlHostSettings rfc;

  tl_host_settings_init (&rfc, TL_PROFILE_RFC9293);
  g_assert_cmpint (s->profile, ==, TL_PROFILE_RFC9293);
  g_assert_cmpuint (s->seed, ==, 0);
  g_assert_cmpint (s->duration, ==, TL_SEC (300));
  g_assert_cmpuint (s->max_events, ==, 1000000);
  g_assert_false (s->has_router);
  g_assert_cmpuint (s->router_queue, ==, 1000);
  g_assert_cmpint (s->release_gap, ==, 0);
  g_assert_cmpuint (s->pauses->len, ==, 0);
  for (guint i = 0; i < TL_MAX_HOSTS; i++)
    {
      g_assert_null (s->hosts[i].name);
      g_assert_cmpuint (s->hosts[i].calls->len, ==, 0);
      g_assert_cmpmem (&s->hosts[i].settings, sizeof rfc, &rfc, sizeof rfc);
      g_assert_cmpint (s->links[i].delay, ==, 0);
    }
}

/* The profile line may come after the blocks: profile defaults first, then
 * defaults { }, then the host's own keys. */
static void
test_settings_precedence (void)
{
  g_autoptr(TlScenario) s = parse_ok (
    "defaults {\n"
    "  syn-retries 3\n"
    "  rmem-max    6MiB\n"
    "  timestamps  off\n"
    "}\n"
    "host A {\n"
    "  address 10.0.0.1\n"
    "  port 1\n"
    "  syn-retries 2\n"
    "  kernel 6.1.55\n"
    "  rto-min 300ms\n"
    "}\n"
    "host B {\n"
    "  address 10.0.0.2\n"
    "  port 2\n"
    "}\n"
    "profile linux\n");
  const TlHostSettings *a = &s->hosts[0].settings, *b = &s->hosts[1].settings;

  g_assert_cmpint (s->profile, ==, TL_PROFILE_LINUX);
  g_assert_cmpuint (a->syn_retries, ==, 2);
  g_assert_cmpuint (b->syn_retries, ==, 3);
  g_assert_cmpuint (a->rmem_max, ==, 6 * MIB);
  g_assert_cmpuint (b->rmem_max, ==, 6 * MIB);
  g_assert_false (a->timestamps);
  g_assert_false (b->timestamps);
  g_assert_true (a->sack);                    /* linux default, not rfc9293 */
  g_assert_cmpuint (a->kernel_version, ==, 60155);
  g_assert_cmpuint (b->kernel_version, ==, 61800);
  g_assert_cmpint (a->rto_min, ==, TL_MSEC (300));
  g_assert_cmpint (b->rto_min, ==, TL_MSEC (200));
  g_assert_cmpint (b->time_wait, ==, TL_SEC (60));
}

/* ---- bundled scenarios ---- */

static void
test_bundled_normal_handshake (void)
{
  g_autoptr(TlScenario) s = load_bundled ("normal-handshake");

  g_assert_cmpstr (s->name, ==, "normal-handshake");
  g_assert_nonnull (s->description);
  g_assert_cmpint (s->profile, ==, TL_PROFILE_LINUX);
  g_assert_cmpuint (s->seed, ==, 2);
  g_assert_cmpint (s->duration, ==, TL_SEC (70));
  assert_host (s, 0, "A", ipv4 (10, 0, 1, 1), 40000);
  assert_host (s, 1, "B", ipv4 (10, 0, 2, 1), 8080);
  assert_symmetric_link (s, TL_MSEC (10));
  g_assert_false (s->has_router);

  g_assert_cmpuint (s->hosts[0].calls->len, ==, 3);
  assert_call (s, 0, 0, TL_MSEC (100), TL_CALL_CONNECT, 1);
  g_assert_cmpint (call_at (s, 0, 0)->peer, ==, 1);
  assert_call (s, 0, 1, TL_MSEC (300), TL_CALL_SEND, 1);
  assert_send_text (call_at (s, 0, 1), "GET / HTTP/1.0\r\n\r\n");
  assert_call (s, 0, 2, TL_MSEC (500), TL_CALL_CLOSE, 1);

  g_assert_cmpuint (s->hosts[1].calls->len, ==, 4);
  assert_call (s, 1, 0, 0, TL_CALL_LISTEN, 1);
  assert_call (s, 1, 1, TL_MSEC (350), TL_CALL_SEND, 1);
  assert_send_text (call_at (s, 1, 1), "HTTP/1.0 200 OK\r\n\r\nhello\n");
  assert_call (s, 1, 2, TL_MSEC (550), TL_CALL_CLOSE, 1);
  g_assert_false (call_at (s, 1, 2)->on_listener);
  assert_call (s, 1, 3, TL_MSEC (600), TL_CALL_CLOSE, 2);
  g_assert_true (call_at (s, 1, 3)->on_listener);
}

static void
test_bundled_simultaneous_open_delay (void)
{
  g_autoptr(TlScenario) s = load_bundled ("simultaneous-open-delay");

  g_assert_cmpuint (s->seed, ==, 0);
  g_assert_cmpint (s->duration, ==, TL_SEC (100));
  assert_host (s, 0, "A", ipv4 (10, 1, 0, 1), 44444);
  assert_host (s, 1, "B", ipv4 (10, 2, 0, 1), 55555);
  assert_symmetric_link (s, TL_SEC (5));
  g_assert_false (s->has_router);

  g_assert_cmpuint (s->hosts[0].calls->len, ==, 4);
  assert_call (s, 0, 0, 0, TL_CALL_BIND, 1);
  assert_call (s, 0, 1, 0, TL_CALL_CONNECT, 1);
  g_assert_cmpint (call_at (s, 0, 1)->peer, ==, 1);
  assert_call (s, 0, 2, TL_SEC (20), TL_CALL_SEND, 1);
  assert_send_text (call_at (s, 0, 2), "hello from A\n");
  assert_call (s, 0, 3, TL_SEC (25), TL_CALL_CLOSE, 1);

  g_assert_cmpuint (s->hosts[1].calls->len, ==, 3);
  assert_call (s, 1, 0, TL_MSEC (500), TL_CALL_BIND, 1);
  assert_call (s, 1, 1, TL_MSEC (500), TL_CALL_CONNECT, 1);
  g_assert_cmpint (call_at (s, 1, 1)->peer, ==, 0);
  assert_call (s, 1, 2, TL_MSEC (25500), TL_CALL_CLOSE, 1);
}

static void
test_bundled_router_pause (void)
{
  g_autoptr(TlScenario) s = load_bundled ("simultaneous-open-router-pause");
  const TlPauseWindow *w;

  g_assert_cmpstr (s->name, ==, "simultaneous-open-router-pause");
  g_assert_cmpuint (s->seed, ==, 1);
  g_assert_cmpint (s->duration, ==, TL_SEC (80));
  assert_host (s, 0, "A", ipv4 (10, 22, 5, 3), 44444);
  assert_host (s, 1, "B", ipv4 (10, 16, 56, 2), 55555);
  assert_symmetric_link (s, TL_MSEC (1));
  g_assert_true (s->has_router);
  g_assert_cmpuint (s->router_queue, ==, 1000);
  g_assert_cmpint (s->release_gap, ==, 0);
  g_assert_cmpuint (s->pauses->len, ==, 1);
  w = &g_array_index (s->pauses, TlPauseWindow, 0);
  g_assert_cmpint (w->start, ==, 0);
  g_assert_cmpint (w->end, ==, TL_MSEC (2500));

  g_assert_cmpuint (s->hosts[0].calls->len, ==, 5);
  assert_call (s, 0, 0, TL_MSEC (100), TL_CALL_BIND, 1);
  assert_call (s, 0, 1, TL_MSEC (100), TL_CALL_CONNECT, 1);
  assert_call (s, 0, 2, TL_SEC (4), TL_CALL_SEND, 1);
  assert_send_text (call_at (s, 0, 2), "request\n");
  assert_call (s, 0, 3, TL_SEC (6), TL_CALL_SHUTDOWN, 1);
  g_assert_cmpint (call_at (s, 0, 3)->how, ==, TL_SHUT_WR);
  assert_call (s, 0, 4, TL_SEC (7), TL_CALL_CLOSE, 1);

  g_assert_cmpuint (s->hosts[1].calls->len, ==, 4);
  assert_call (s, 1, 0, TL_MSEC (200), TL_CALL_BIND, 1);
  assert_call (s, 1, 1, TL_MSEC (200), TL_CALL_CONNECT, 1);
  assert_call (s, 1, 2, TL_MSEC (4500), TL_CALL_SEND, 1);
  assert_send_text (call_at (s, 1, 2), "hostname\n");
  assert_call (s, 1, 3, TL_MSEC (6500), TL_CALL_CLOSE, 1);

  /* Calls remember where they stand in the file. */
  g_assert_cmpuint (call_at (s, 0, 0)->line, >, 0);
  g_assert_cmpuint (call_at (s, 0, 0)->column, ==, 1);
  g_assert_cmpuint (call_at (s, 0, 1)->line, ==, call_at (s, 0, 0)->line + 1);
}

static void
test_bundled_simultaneous_close (void)
{
  g_autoptr(TlScenario) s = load_bundled ("simultaneous-close");

  g_assert_cmpuint (s->seed, ==, 3);
  g_assert_cmpint (s->duration, ==, TL_SEC (70));
  assert_host (s, 0, "A", ipv4 (10, 0, 1, 1), 40000);
  assert_host (s, 1, "B", ipv4 (10, 0, 2, 1), 8080);
  assert_symmetric_link (s, TL_MSEC (20));

  g_assert_cmpuint (s->hosts[0].calls->len, ==, 4);
  assert_call (s, 0, 0, TL_MSEC (100), TL_CALL_CONNECT, 1);
  assert_call (s, 0, 1, TL_MSEC (300), TL_CALL_SEND, 1);
  assert_send_text (call_at (s, 0, 1), "ping\n");
  assert_call (s, 0, 2, TL_SEC (1), TL_CALL_SHUTDOWN, 1);
  g_assert_cmpint (call_at (s, 0, 2)->how, ==, TL_SHUT_WR);
  assert_call (s, 0, 3, TL_MSEC (1500), TL_CALL_CLOSE, 1);

  g_assert_cmpuint (s->hosts[1].calls->len, ==, 5);
  assert_call (s, 1, 0, 0, TL_CALL_LISTEN, 1);
  assert_call (s, 1, 1, TL_MSEC (400), TL_CALL_SEND, 1);
  assert_send_text (call_at (s, 1, 1), "pong\n");
  assert_call (s, 1, 2, TL_SEC (1), TL_CALL_SHUTDOWN, 1);
  assert_call (s, 1, 3, TL_MSEC (1500), TL_CALL_CLOSE, 1);
  g_assert_false (call_at (s, 1, 3)->on_listener);
  assert_call (s, 1, 4, TL_MSEC (1500), TL_CALL_CLOSE, 2);
  g_assert_true (call_at (s, 1, 4)->on_listener);
}

static void
test_bundled_connect_refused (void)
{
  g_autoptr(TlScenario) s = load_bundled ("connect-refused");

  g_assert_cmpuint (s->seed, ==, 4);
  g_assert_cmpint (s->duration, ==, TL_SEC (5));
  assert_host (s, 0, "A", ipv4 (10, 0, 1, 1), 40000);
  assert_host (s, 1, "B", ipv4 (10, 0, 2, 1), 8080);
  assert_symmetric_link (s, TL_MSEC (10));
  g_assert_cmpuint (s->hosts[0].calls->len, ==, 1);
  assert_call (s, 0, 0, TL_MSEC (100), TL_CALL_CONNECT, 1);
  g_assert_cmpuint (s->hosts[1].calls->len, ==, 1);
  assert_call (s, 1, 0, 0, TL_CALL_BIND, 1);
}

static void
test_bundled_syn_timeout (void)
{
  g_autoptr(TlScenario) s = load_bundled ("syn-timeout");

  g_assert_cmpuint (s->seed, ==, 5);
  g_assert_cmpint (s->duration, ==, TL_SEC (30));
  assert_host (s, 0, "A", ipv4 (10, 0, 1, 1), 40000);
  assert_host (s, 1, "B", ipv4 (10, 0, 2, 1), 8080);
  g_assert_cmpint (s->links[0].delay, ==, TL_MSEC (10));
  g_assert_cmpuint (s->links[0].loss_ppm, ==, 1000000);
  g_assert_cmpint (s->links[1].delay, ==, TL_MSEC (10));
  g_assert_cmpuint (s->links[1].loss_ppm, ==, 0);

  g_assert_cmpuint (s->hosts[0].calls->len, ==, 2);
  assert_call (s, 0, 0, 0, TL_CALL_SETSOCKOPT, 1);
  g_assert_cmpint (call_at (s, 0, 0)->option, ==, TL_SOCKOPT_SYNCNT);
  g_assert_cmpint (call_at (s, 0, 0)->value, ==, 2);
  assert_call (s, 0, 1, 0, TL_CALL_CONNECT, 1);
  g_assert_cmpuint (s->hosts[1].calls->len, ==, 1);
  assert_call (s, 1, 0, 0, TL_CALL_LISTEN, 1);
}

/* Every bundled scenario has a description and passes validation. */
static void
test_bundled_all_valid (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bundled_names); i++)
    {
      g_autoptr(TlScenario) s = load_bundled (bundled_names[i]);
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (s->name, ==, bundled_names[i]);
      g_assert_nonnull (s->description);
      g_assert_cmpuint (strlen (s->description), >, 80);
      g_assert_null (strchr (s->description, '\n'));
      g_assert_true (tl_scenario_validate (s, &error));
      g_assert_no_error (error);
    }
}

static void
test_describe (void)
{
  g_autoptr(TlScenario) s = load_bundled ("simultaneous-open-router-pause");
  g_autoptr(TlScenario) t = load_bundled ("syn-timeout");
  g_autofree char *caption = tl_scenario_describe (s);
  g_autofree char *caption2 = tl_scenario_describe (t);

  g_assert_cmpstr (caption, ==,
                   "profile linux, seed 1, A->B 1 ms, B->A 1 ms, router paused 0 s..2.5 s");
  g_assert_cmpstr (caption2, ==,
                   "profile linux, seed 5, A->B 10 ms loss 100%, B->A 10 ms");
}

/* ---- round trip ---- */

static void
assert_round_trip (const TlScenario *s)
{
  g_autofree char *text = tl_scenario_to_string (s);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) back = tl_scenario_parse (text, -1, NULL, &error);
  g_autofree char *again = NULL;

  if (error != NULL)
    g_test_message ("written text:\n%s", text);
  g_assert_no_error (error);
  assert_scenarios_equal (s, back);
  again = tl_scenario_to_string (back);
  g_assert_cmpstr (text, ==, again);
}

static void
test_round_trip_bundled (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bundled_names); i++)
    {
      g_autoptr(TlScenario) s = load_bundled (bundled_names[i]);
      assert_round_trip (s);
    }
}

/* Everything the writer has to express, off the defaults. */
static const char rich_scenario[] =
  "name \"a name with spaces\"\n"
  "description Plain words   on one line, \"a quoted  part\" too # a comment\n"
  "profile rfc9293\n"
  "seed 18446744073709551615\n"
  "duration 1min\n"
  "max-events 2000\n"
  "defaults { timestamps on }\n"
  "host left-1 {\n"
  "  address 192.168.0.1\n"
  "  port 1\n"
  "  isn 4294967295\n"
  "  syn-retries 127\n"
  "  synack-retries 0\n"
  "  syn-linear-timeouts 2\n"
  "  sack on\n"
  "  window-scaling on\n"
  "  rmem-max 100000\n"
  "  mss 536\n"
  "  rto-initial 3s\n"
  "  rto-min 1.5ms\n"
  "  rto-max 2min\n"
  "  time-wait 0\n"
  "  delayed-ack 0.25s\n"
  "  invalid-ratelimit 1234567ns\n"
  "  kernel 5.10.2\n"
  "  orphan-retries 255\n"
  "}\n"
  "host right_2 {\n"
  "  address 172.16.0.9\n"
  "  port 65535\n"
  "  isn 0\n"
  "  timestamps off\n"
  "}\n"
  "link left-1->right_2 { delay 1.000001s }\n"
  "link right_2->left-1 {\n"
  "  delay 7us\n"
  "  jitter 3ms\n"
  "  loss 0.0001%\n"
  "  rate 1.5M\n"
  "}\n"
  "router {\n"
  "  queue 0\n"
  "  release-gap 17ns\n"
  "  pause 5s..6s\n"
  "  pause 1s .. 2s\n"
  "}\n"
  "at 50s right_2 abort\n"
  "at 0s left-1 setsockopt nodelay off\n"
  "at 0s left-1 setsockopt linger-zero\n"
  "at 0s left-1 setsockopt syncnt 127\n"
  "at 1s left-1 send \"\\x00\\xff\\t\\\"\\\\ \\r\\n\"\n"
  "at 1s left-1 send 64KiB\n"
  "at 2s left-1 shutdown rd\n"
  "at 2s left-1 shutdown rdwr\n"
  "at 3s right_2 send \"\"\"\n"
  "raw text\n"
  "  over lines\"\"\"\n"
  "at 60s right_2 close listener\n";

static void
test_round_trip_rich (void)
{
  g_autoptr(TlScenario) s = parse_ok (rich_scenario);
  const TlScenarioCall *call;

  /* A few spot checks that the rich file means what it says. */
  g_assert_cmpstr (s->name, ==, "a name with spaces");
  g_assert_cmpstr (s->description, ==,
                   "Plain words on one line, a quoted part too");
  g_assert_cmpuint (s->seed, ==, G_MAXUINT64);
  g_assert_true (s->hosts[0].fixed_isn);
  g_assert_cmpuint (s->hosts[0].isn, ==, G_MAXUINT32);
  g_assert_true (s->hosts[1].fixed_isn);
  g_assert_cmpuint (s->hosts[1].isn, ==, 0);
  g_assert_true (s->hosts[0].settings.timestamps);
  g_assert_false (s->hosts[1].settings.timestamps);
  g_assert_cmpint (s->links[0].delay, ==, TL_SEC (1) + TL_USEC (1));
  g_assert_cmpuint (s->links[1].loss_ppm, ==, 1);
  g_assert_cmpuint (s->links[1].rate_bps, ==, 1500000);
  g_assert_cmpuint (s->pauses->len, ==, 2);
  g_assert_cmpint (g_array_index (s->pauses, TlPauseWindow, 0).start, ==, TL_SEC (1));
  call = call_at (s, 0, 3);
  g_assert_cmpint (call->kind, ==, TL_CALL_SEND);
  g_assert_cmpmem (g_bytes_get_data (call->data, NULL), g_bytes_get_size (call->data),
                   "\0\xff\t\"\\ \r\n", 8);
  call = call_at (s, 0, 4);
  g_assert_null (call->data);
  g_assert_cmpint (call->value, ==, 65536);
  g_assert_cmpuint (call->ordinal, ==, 2);
  assert_send_text (call_at (s, 1, 0), "raw text\n  over lines");

  assert_round_trip (s);
}

/* ---- calls ---- */

static const char two_hosts[] =
  "host A {\n  address 10.0.0.1\n  port 1\n}\n"
  "host B {\n  address 10.0.0.2\n  port 2\n}\n";

static TlScenario *
parse_with_hosts (const char *rest)
{
  g_autofree char *text = g_strconcat (two_hosts, rest, NULL);

  return parse_ok (text);
}

static void
test_call_order (void)
{
  /* Out of time order in the file; equal times keep file order. */
  g_autoptr(TlScenario) s = parse_with_hosts (
    "at 3s  A send 1\n"
    "at 1s  A send 2\n"
    "at 1s  A close\n"
    "at 1s  A send 3\n"
    "at 0s  A bind\n"
    "at 2s  B listen\n");

  g_assert_cmpuint (s->hosts[0].calls->len, ==, 5);
  assert_call (s, 0, 0, 0, TL_CALL_BIND, 1);
  assert_call (s, 0, 1, TL_SEC (1), TL_CALL_SEND, 1);
  g_assert_cmpint (call_at (s, 0, 1)->value, ==, 2);
  assert_call (s, 0, 2, TL_SEC (1), TL_CALL_CLOSE, 1);
  assert_call (s, 0, 3, TL_SEC (1), TL_CALL_SEND, 2);
  g_assert_cmpint (call_at (s, 0, 3)->value, ==, 3);
  assert_call (s, 0, 4, TL_SEC (3), TL_CALL_SEND, 3);
  g_assert_cmpint (call_at (s, 0, 4)->value, ==, 1);
  g_assert_cmpuint (call_at (s, 0, 4)->line, ==, 9);
  g_assert_cmpuint (call_at (s, 0, 4)->column, ==, 1);
  assert_call (s, 1, 0, TL_SEC (2), TL_CALL_LISTEN, 1);
}

static void
test_syntax_variants (void)
{
  g_autoptr(TlScenario) s = parse_ok (
    "\xef\xbb\xbf# leading comment\r\n"
    "name  x   # trailing comment\r\n"
    "host A {\r\n"
    "\taddress\t10.0.0.1 # tabs\r\n"
    "  port 1\r\n"
    "}\r\n"
    "host B {\n  address 10.0.0.2\n  port 2\n}\n"
    "link A->B { }\n"
    "link A<->B { delay 2ms }\n"
    "link B->A { jitter 1ms }\n"
    "router {\n"
    "  pause 1s ..2s\n"
    "  pause 3s.. 4s\n"
    "  pause 5s..6s\n"
    "}\n"
    "at 0s A send \"# not a comment\" # a comment\n");

  g_assert_cmpstr (s->name, ==, "x");
  g_assert_cmpint (s->links[0].delay, ==, TL_MSEC (2));
  g_assert_cmpint (s->links[1].delay, ==, TL_MSEC (2));
  g_assert_cmpint (s->links[0].jitter, ==, 0);
  g_assert_cmpint (s->links[1].jitter, ==, TL_MSEC (1));
  g_assert_cmpuint (s->pauses->len, ==, 3);
  g_assert_cmpint (g_array_index (s->pauses, TlPauseWindow, 1).start, ==, TL_SEC (3));
  g_assert_cmpint (g_array_index (s->pauses, TlPauseWindow, 1).end, ==, TL_SEC (4));
  assert_send_text (call_at (s, 0, 0), "# not a comment");
}

/* Without a name line, a file is called after itself. */
static void
test_name_from_file (void)
{
  g_autofree char *text = g_strconcat (two_hosts, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) s = tl_scenario_parse (text, -1, "/some/dir/my-case.scn", &error);

  g_assert_no_error (error);
  g_assert_cmpstr (s->name, ==, "my-case");
  g_assert_cmpstr (s->path, ==, "/some/dir/my-case.scn");
}

static void
test_isn_limits (void)
{
  g_autoptr(TlScenario) s = parse_ok (
    "host A {\n  address 10.0.0.1\n  port 1\n  isn 4294967295\n}\n"
    "host B {\n  address 10.0.0.2\n  port 2\n  isn 4294967294\n}\n");

  g_assert_true (s->hosts[0].fixed_isn);
  g_assert_cmpuint (s->hosts[0].isn, ==, 4294967295u);
  g_assert_cmpuint (s->hosts[1].isn, ==, 4294967294u);
  assert_parse_error ("host A {\n  address 10.0.0.1\n  port 1\n  isn 4294967296\n}\n",
                      TL_SCENARIO_ERROR_INVALID,
                      "test.scn:4:7: isn 4294967296 is out of range (0..4294967295)");
  assert_parse_error ("host A {\n  isn 99999999999999999999999\n}\n",
                      TL_SCENARIO_ERROR_INVALID,
                      "test.scn:2:7: isn 99999999999999999999999 is out of range "
                      "(0..4294967295)");
  assert_parse_error ("host A {\n  isn -1\n}\n", TL_SCENARIO_ERROR_INVALID,
                      "test.scn:2:7: isn cannot be negative, got '-1'");
}

/* Parse errors from inline text, beyond the files in bad-scenarios/. */
static void
test_inline_errors (void)
{
  assert_parse_error ("", TL_SCENARIO_ERROR_INVALID,
                      "test.scn: no hosts defined: a scenario needs two "
                      "'host NAME { ... }' blocks");
  assert_parse_error ("name a\nname b\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:2:1: duplicate 'name' (first set at line 1)");
  assert_parse_error ("router {\n}\nrouter { }\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:3:1: duplicate 'router' block (first set at line 1)");
  assert_parse_error ("seed\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:1:6: expected a whole number after 'seed'");
  assert_parse_error ("host A\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:1:8: expected '{' to open the host block");
  assert_parse_error ("}\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:1:1: unexpected '}': no block is open");
  assert_parse_error ("host A { port 1\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:1:17: expected '}' at the end of the one-line block "
                      "(or put the keys on the lines after '{')");
  assert_parse_error ("hots A {\n}\n", TL_SCENARIO_ERROR_UNKNOWN_KEY,
                      "test.scn:1:1: unknown block 'hots' (did you mean 'host'?)");
  assert_parse_error ("router {\n  queue 1000001\n}\n", TL_SCENARIO_ERROR_INVALID,
                      "test.scn:2:9: queue 1000001 is out of range (0..1000000)");
  assert_parse_error ("router {\n  pause 1s 2s\n}\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:2:12: expected '..' between the start and the end "
                      "of the window");
  assert_parse_error ("host A {\n  rmem-max 32MB\n}\n", TL_SCENARIO_ERROR_INVALID,
                      "test.scn:2:12: expected a size in bytes such as 65535, 64KiB "
                      "or 32MiB for rmem-max, got '32MB'");
  assert_parse_error ("host A {\n  timestamps maybe\n}\n", TL_SCENARIO_ERROR_INVALID,
                      "test.scn:2:14: expected on or off, got 'maybe'");
  assert_parse_error ("host A {\n  kernel 6\n}\n", TL_SCENARIO_ERROR_INVALID,
                      "test.scn:2:10: expected a kernel version such as 6.18 or "
                      "6.1.55 (or none), got '6'");
  assert_parse_error ("host router {\n}\n", TL_SCENARIO_ERROR_INVALID,
                      "test.scn:1:6: 'router' is reserved for the router and cannot "
                      "name a host");
  assert_parse_error ("host a.b {\n}\n", TL_SCENARIO_ERROR_INVALID,
                      "test.scn:1:6: host name 'a.b' may contain only letters, "
                      "digits, '-' and '_'");
  assert_parse_error ("name \"x\"y\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:1:9: expected a space after the closing '\"'");
  assert_parse_error ("name a\x01\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:1:7: unexpected control character 0x01");
  assert_parse_error ("name ok\nname\xc3\xa9 \xff\n", TL_SCENARIO_ERROR_SYNTAX,
                      "test.scn:2:7: invalid UTF-8");
  {
    static const char nul[] = "name a\0b\n";
    g_autoptr(GError) error = NULL;
    g_assert_null (tl_scenario_parse (nul, sizeof nul - 1, NULL, &error));
    g_assert_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_SYNTAX);
    g_assert_cmpstr (error->message, ==, "<string>:1:7: unexpected NUL byte");
  }
  {
    g_autofree char *text = g_strconcat (two_hosts,
                                         "link A->B { rate 1.5 }\n", NULL);
    assert_parse_error (text, TL_SCENARIO_ERROR_INVALID,
                        "test.scn:9:18: rate 1.5 is not a whole number of bits/s");
  }
  {
    g_autofree char *text = g_strconcat (two_hosts,
                                         "at 0s A setsockopt syncnt 128\n", NULL);
    assert_parse_error (text, TL_SCENARIO_ERROR_INVALID,
                        "test.scn:9:27: syncnt 128 is out of range (1..127)");
  }
  {
    g_autofree char *text = g_strconcat (two_hosts, "at 0s A send \"\"\n", NULL);
    assert_parse_error (text, TL_SCENARIO_ERROR_INVALID,
                        "test.scn:9:14: an empty send does nothing: give at least "
                        "one byte");
  }
  {
    g_autofree char *text = g_strconcat (two_hosts, "at 0s A close socket\n", NULL);
    assert_parse_error (text, TL_SCENARIO_ERROR_SYNTAX,
                        "test.scn:9:15: expected nothing or 'listener' after "
                        "'close', got 'socket'");
  }
}

/* ---- bad files ---- */

static char *
expected_message (const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  const char *prefix = "# expect: ";
  char *end;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (contents, prefix));
  end = strchr (contents, '\n');
  g_assert_nonnull (end);
  return g_strndup (contents + strlen (prefix), (gsize) (end - contents) - strlen (prefix));
}

static void
test_bad_file (gconstpointer data)
{
  const char *path = data;
  g_autofree char *expect = expected_message (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *full = g_strconcat (dir, G_DIR_SEPARATOR_S, expect, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TlScenario) scenario = tl_scenario_load (path, &error);

  g_assert_null (scenario);
  g_assert_nonnull (error);
  g_assert_true (error->domain == TL_SCENARIO_ERROR);
  g_assert_cmpint (error->code, !=, TL_SCENARIO_ERROR_IO);
  g_assert_cmpstr (error->message, ==, full);
}

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
list_bad_files (void)
{
  g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "bad-scenarios", NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  GPtrArray *files = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    return files;
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (name, ".scn"))
      g_ptr_array_add (files, g_build_filename (dir_path, name, NULL));
  g_ptr_array_sort (files, compare_paths);
  return files;
}

static GPtrArray *bad_files;

static void
test_bad_files_present (void)
{
  g_assert_cmpuint (bad_files->len, >=, 20);
}

/* ---- --set ---- */

static void
assert_set (TlScenario *s,
            const char *key,
            const char *value)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (tl_scenario_set (s, key, value, &error));
  g_assert_no_error (error);
}

static void
assert_set_fails (TlScenario *s,
                  const char *key,
                  const char *value,
                  int         code,
                  const char *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_scenario_set (s, key, value, &error));
  g_assert_error (error, TL_SCENARIO_ERROR, code);
  g_assert_cmpstr (error->message, ==, message);
}

static void
test_set_good (void)
{
  g_autoptr(TlScenario) s = load_bundled ("simultaneous-open-router-pause");
  g_autoptr(GError) error = NULL;
  const TlPauseWindow *w;

  assert_set (s, "name", "  renamed   case ");
  g_assert_cmpstr (s->name, ==, "renamed case");
  assert_set (s, "description", "new\ntext");
  g_assert_cmpstr (s->description, ==, "new text");
  assert_set (s, "seed", "42");
  g_assert_cmpuint (s->seed, ==, 42);
  assert_set (s, "duration", "90s");
  g_assert_cmpint (s->duration, ==, TL_SEC (90));
  assert_set (s, "max-events", "5000");
  g_assert_cmpuint (s->max_events, ==, 5000);

  assert_set (s, "A.address", "192.0.2.1");
  g_assert_cmphex (s->hosts[0].addr, ==, ipv4 (192, 0, 2, 1));
  assert_set (s, "B.port", "65535");
  g_assert_cmpuint (s->hosts[1].port, ==, 65535);
  assert_set (s, "A.isn", "4294967295");
  g_assert_true (s->hosts[0].fixed_isn);
  g_assert_cmpuint (s->hosts[0].isn, ==, G_MAXUINT32);
  assert_set (s, "A.isn", "random");
  g_assert_false (s->hosts[0].fixed_isn);
  assert_set (s, "A.syn-retries", "2");
  g_assert_cmpuint (s->hosts[0].settings.syn_retries, ==, 2);
  g_assert_cmpuint (s->hosts[1].settings.syn_retries, ==, 6);
  assert_set (s, "timestamps", "off");
  g_assert_false (s->hosts[0].settings.timestamps);
  g_assert_false (s->hosts[1].settings.timestamps);
  assert_set (s, "B.rto-min", "1s");
  g_assert_cmpint (s->hosts[1].settings.rto_min, ==, TL_SEC (1));

  assert_set (s, "A->B.delay", "30ms");
  g_assert_cmpint (s->links[0].delay, ==, TL_MSEC (30));
  g_assert_cmpint (s->links[1].delay, ==, TL_MSEC (1));
  assert_set (s, "B->A.loss", "2.5%");
  g_assert_cmpuint (s->links[1].loss_ppm, ==, 25000);
  g_assert_cmpuint (s->links[0].loss_ppm, ==, 0);
  assert_set (s, "A<->B.jitter", "1ms");
  g_assert_cmpint (s->links[0].jitter, ==, TL_MSEC (1));
  g_assert_cmpint (s->links[1].jitter, ==, TL_MSEC (1));
  assert_set (s, "B<->A.rate", "10M");
  g_assert_cmpuint (s->links[0].rate_bps, ==, 10000000);
  g_assert_cmpuint (s->links[1].rate_bps, ==, 10000000);

  assert_set (s, "router.queue", "5");
  g_assert_cmpuint (s->router_queue, ==, 5);
  assert_set (s, "router.release-gap", "10us");
  g_assert_cmpint (s->release_gap, ==, TL_USEC (10));
  assert_set (s, "router.pause", "5s..6s, 0s..3s");
  g_assert_cmpuint (s->pauses->len, ==, 2);
  w = &g_array_index (s->pauses, TlPauseWindow, 0);
  g_assert_cmpint (w->start, ==, 0);
  g_assert_cmpint (w->end, ==, TL_SEC (3));
  assert_set (s, "router.pause.2.end", "7s");
  g_assert_cmpint (g_array_index (s->pauses, TlPauseWindow, 1).end, ==, TL_SEC (7));
  assert_set (s, "router.pause.1.start", "500ms");
  g_assert_cmpint (g_array_index (s->pauses, TlPauseWindow, 0).start, ==, TL_MSEC (500));

  /* Calls: the first connect, the n-th send, the setsockopt value. */
  assert_set (s, "B.connect.at", "150ms");
  g_assert_cmpint (call_at (s, 1, 0)->kind, ==, TL_CALL_CONNECT);   /* now before bind */
  g_assert_cmpint (call_at (s, 1, 0)->at, ==, TL_MSEC (150));
  assert_set (s, "A.send.1.data", "GET\\r\\n");
  assert_send_text (call_at (s, 0, 2), "GET\r\n");
  assert_set (s, "A.send.1.data", "\"quoted\\x21\"");
  assert_send_text (call_at (s, 0, 2), "quoted!");
  assert_set (s, "A.send.1.bytes", "1000");
  g_assert_null (call_at (s, 0, 2)->data);
  g_assert_cmpint (call_at (s, 0, 2)->value, ==, 1000);
  assert_set (s, "A.shutdown.1.how", "rdwr");
  g_assert_cmpint (call_at (s, 0, 3)->how, ==, TL_SHUT_RDWR);
  assert_set (s, "A.close.at", "+1s");
  g_assert_cmpint (call_at (s, 0, 4)->at, ==, TL_SEC (8));
  assert_set (s, "A.close.1.at", "-7950ms");
  g_assert_cmpint (call_at (s, 0, 0)->kind, ==, TL_CALL_CLOSE);     /* re-sorted */
  g_assert_cmpint (call_at (s, 0, 0)->at, ==, TL_MSEC (50));

  g_assert_true (tl_scenario_validate (s, &error));
  g_assert_no_error (error);
  assert_round_trip (s);

  /* router=off forgets the windows; router.pause creates the router. */
  assert_set (s, "router", "off");
  g_assert_false (s->has_router);
  g_assert_cmpuint (s->pauses->len, ==, 0);
  assert_set (s, "router.pause", "1s..2s");
  g_assert_true (s->has_router);
  assert_set (s, "router.pause", "none");
  g_assert_true (s->has_router);
  g_assert_cmpuint (s->pauses->len, ==, 0);
}

static void
test_set_setsockopt (void)
{
  g_autoptr(TlScenario) s = load_bundled ("syn-timeout");

  assert_set (s, "A.setsockopt.1.value", "5");
  g_assert_cmpint (call_at (s, 0, 0)->value, ==, 5);
  assert_set_fails (s, "A.setsockopt.1.value", "0", TL_SCENARIO_ERROR_INVALID,
                    "A.setsockopt.1.value: syncnt 0 is out of range (1..127)");
  assert_set_fails (s, "A.setsockopt.2.value", "3", TL_SCENARIO_ERROR_INVALID,
                    "A.setsockopt.2.value: host A has only one setsockopt call");
}

/* read: the mode is a call field (read.N.mode), saved as written. */
static void
test_set_read (void)
{
  g_autoptr(TlScenario) s = load_bundled ("close-unread-data");
  g_autofree char *text = NULL;

  g_assert_cmpint (call_at (s, 1, 0)->kind, ==, TL_CALL_READ);
  g_assert_cmpint (call_at (s, 1, 0)->value, ==, TL_READ_OFF);
  assert_set (s, "B.read.1.mode", "on");
  g_assert_cmpint (call_at (s, 1, 0)->value, ==, TL_READ_ON);
  text = tl_scenario_to_string (s);
  g_assert_nonnull (strstr (text, "B read on"));
  assert_round_trip (s);
  assert_set (s, "B.read.1.mode", "now");
  g_free (text);
  text = tl_scenario_to_string (s);
  g_assert_nonnull (strstr (text, "B read\n"));
  assert_round_trip (s);
  assert_set_fails (s, "B.read.1.mode", "maybe", TL_SCENARIO_ERROR_INVALID,
                    "B.read.1.mode: unknown read mode 'maybe' (use now, off or on)");
  assert_set_fails (s, "B.read.1.how", "off", TL_SCENARIO_ERROR_UNKNOWN_KEY,
                    "unknown key 'B.read.1.how' (did you mean 'B.read.1.mode'?)");
}

/* A profile change moves the settings still at the old defaults. */
static void
test_set_profile (void)
{
  g_autoptr(TlScenario) s = load_bundled ("normal-handshake");

  assert_set (s, "A.time-wait", "30s");
  assert_set (s, "profile", "rfc9293");
  g_assert_cmpint (s->profile, ==, TL_PROFILE_RFC9293);
  g_assert_cmpint (s->hosts[0].settings.time_wait, ==, TL_SEC (30));
  g_assert_cmpint (s->hosts[1].settings.time_wait, ==, TL_SEC (240));
  g_assert_false (s->hosts[0].settings.timestamps);
  assert_round_trip (s);
}

static void
test_set_bad (void)
{
  g_autoptr(TlScenario) s = load_bundled ("simultaneous-open-router-pause");
  g_autofree char *before = tl_scenario_to_string (s);
  g_autofree char *after = NULL;
  static const struct { const char *key, *value; int code; const char *message; } cases[] = {
    { "A.foo", "1", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'A.foo' (did you mean 'A.port'?)" },
    { "B.connect.at", "abc", TL_SCENARIO_ERROR_INVALID,
      "B.connect.at: expected a duration such as 100ms, 2.5s or 250us, got 'abc'" },
    { "sead", "1", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'sead' (did you mean 'seed'?)" },
    { "C.port", "1", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'C.port' (no host is called 'C'; the hosts are A and B)" },
    { "a.port", "1", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'a.port' (did you mean 'A.port'?)" },
    { "A.port", "0", TL_SCENARIO_ERROR_INVALID,
      "A.port: port 0 is out of range (1..65535)" },
    { "A.address", "10.0.0", TL_SCENARIO_ERROR_INVALID,
      "A.address: expected an IPv4 address such as 10.0.0.1, got '10.0.0'" },
    { "seed", "-1", TL_SCENARIO_ERROR_INVALID,
      "seed: seed cannot be negative, got '-1'" },
    { "duration", "0s", TL_SCENARIO_ERROR_INVALID,
      "duration: the duration must be longer than 0s" },
    { "A->B.delay", "-1ms", TL_SCENARIO_ERROR_INVALID,
      "A->B.delay: times and durations cannot be negative, got '-1ms'" },
    { "A->B.dealy", "1ms", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'A->B.dealy' (did you mean 'A->B.delay'?)" },
    { "A->C.delay", "1ms", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'A->C.delay' (the links are A->B, B->A and A<->B)" },
    { "B->A.loss", "101%", TL_SCENARIO_ERROR_INVALID,
      "B->A.loss: loss 101% is out of range (0%..100%)" },
    { "router.pause", "3s..1s", TL_SCENARIO_ERROR_INVALID,
      "router.pause: pause window 3s..1s ends before it starts (or is empty)" },
    { "router.pause", "0s..2s,1s..3s", TL_SCENARIO_ERROR_INVALID,
      "router.pause: pause windows overlap" },
    { "router.pause.2.start", "1s", TL_SCENARIO_ERROR_INVALID,
      "router.pause.2.start: there is only 1 pause window (router.pause sets them all)" },
    { "router.qeue", "1", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'router.qeue' (did you mean 'router.queue'?)" },
    { "A.send.2.at", "1s", TL_SCENARIO_ERROR_INVALID,
      "A.send.2.at: host A has only one send call" },
    { "A.listen.at", "1s", TL_SCENARIO_ERROR_INVALID,
      "A.listen.at: host A has no listen calls" },
    { "A.send.1.dta", "x", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'A.send.1.dta' (did you mean 'A.send.1.data'?)" },
    { "A.send.1.data", "a\\q", TL_SCENARIO_ERROR_INVALID,
      "A.send.1.data: unknown escape '\\q' (use \\n \\r \\t \\\\ \\\" \\0 or \\xHH)" },
    { "A.send.1.data", "", TL_SCENARIO_ERROR_INVALID,
      "A.send.1.data: a send carries 1..16777216 bytes" },
    { "A.send.x.at", "1s", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "unknown key 'A.send.x.at': expected a whole number for send number, got 'x'" },
    { "A.connect.at", "-1s", TL_SCENARIO_ERROR_INVALID,
      "A.connect.at: moving the call by -1s puts it before 0s" },
    { "A.connect.1.peer", "A", TL_SCENARIO_ERROR_INVALID,
      "A.connect.1.peer: expected the other host's name, got 'A'" },
    { "profile", "bsd", TL_SCENARIO_ERROR_INVALID,
      "profile: unknown profile 'bsd' (use rfc9293 or linux)" },
    { "timestamps", "yes please", TL_SCENARIO_ERROR_INVALID,
      "timestamps: expected on or off, got 'yes please'" },
    { "max-events", "100000001", TL_SCENARIO_ERROR_INVALID,
      "max-events: max-events 100000001 is out of range (1..100000000)" },
    { "", "1", TL_SCENARIO_ERROR_UNKNOWN_KEY,
      "--set: empty key (expected KEY=VALUE, as in seed=3)" },
    { "description", "a \"\"\" b", TL_SCENARIO_ERROR_INVALID,
      "description: a description is UTF-8 text without \"\"\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    assert_set_fails (s, cases[i].key, cases[i].value, cases[i].code, cases[i].message);
  /* Failed sets change nothing. */
  after = tl_scenario_to_string (s);
  g_assert_cmpstr (before, ==, after);
}

/* Sets may pass through inconsistent states; validate catches what is
 * left, naming the call by its place in the file. */
static void
test_validate_after_set (void)
{
  g_autoptr(TlScenario) s = load_bundled ("simultaneous-open-router-pause");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = bundled_path ("simultaneous-open-router-pause");
  g_autofree char *expected = NULL;

  assert_set (s, "duration", "5s");
  g_assert_false (tl_scenario_validate (s, &error));
  g_assert_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_INVALID);
  expected = g_strdup_printf ("%s:%u:1: the call at 6s is outside the run (0s..duration 5s)",
                              path, call_at (s, 0, 3)->line);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  assert_set (s, "duration", "80s");
  assert_set (s, "router.pause", "1s..2s,3s..4s");
  assert_set (s, "router.pause.1.end", "3.5s");
  g_assert_false (tl_scenario_validate (s, &error));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: router pause windows 1 and 2 overlap or are out of order",
                              path);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  assert_set (s, "router", "off");
  assert_set (s, "B.address", "10.22.5.3");
  g_assert_false (tl_scenario_validate (s, &error));
  g_clear_pointer (&expected, g_free);
  expected = g_strdup_printf ("%s: hosts 'A' and 'B' have the same address 10.22.5.3",
                              path);
  g_assert_cmpstr (error->message, ==, expected);
}

static void
test_validate_new (void)
{
  g_autoptr(TlScenario) s = tl_scenario_new ();
  g_autoptr(GError) error = NULL;

  g_assert_false (tl_scenario_validate (s, &error));
  g_assert_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_INVALID);
  g_assert_cmpstr (error->message, ==, "<string>: no hosts defined: a scenario needs "
                   "two 'host NAME { ... }' blocks");
  /* Keys naming hosts fail cleanly when there are none. */
  g_clear_error (&error);
  g_assert_false (tl_scenario_set (s, "A.port", "1", &error));
  g_assert_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_UNKNOWN_KEY);
}

/* ---- copy ---- */

static void
test_copy (void)
{
  g_autoptr(TlScenario) s = parse_ok (rich_scenario);
  g_autoptr(TlScenario) copy = tl_scenario_copy (s);

  assert_scenarios_equal (s, copy);
  g_assert_true (copy->name != s->name);
  g_assert_true (copy->hosts[0].calls != s->hosts[0].calls);
  g_assert_true (copy->pauses != s->pauses);
  /* Changing the copy leaves the original alone. */
  assert_set (copy, "left-1.send.1.data", "changed");
  assert_set (copy, "router.pause.1.start", "0s");
  assert_set (copy, "left-1.port", "9");
  g_assert_cmpuint (s->hosts[0].port, ==, 1);
  g_assert_cmpint (g_array_index (s->pauses, TlPauseWindow, 0).start, ==, TL_SEC (1));
  g_assert_cmpmem (g_bytes_get_data (call_at (s, 0, 3)->data, NULL), 8,
                   "\0\xff\t\"\\ \r\n", 8);
  g_clear_pointer (&s, tl_scenario_free);
  assert_send_text (call_at (copy, 0, 3), "changed");
}

/* ---- files and limits ---- */

static void
test_load_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("tl-scenario-XXXXXX", &error);
  g_autofree char *missing = g_build_filename (dir, "missing.scn", NULL);
  g_autofree char *expected = NULL;

  g_assert_no_error (error);
  g_assert_null (tl_scenario_load (missing, &error));
  g_assert_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_IO);
  expected = g_strdup_printf ("%s: cannot open: No such file or directory", missing);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  g_assert_null (tl_scenario_load (dir, &error));
  g_assert_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_IO);
  g_assert_true (g_str_has_prefix (error->message, dir));
  g_clear_error (&error);
  g_rmdir (dir);
}

static void
test_size_limit (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GString) text = g_string_new (two_hosts);
  TlScenario *s;
  int fd;

  /* Exactly 1 MiB (padded with comments) is still read. */
  while (text->len < MIB - 64)
    g_string_append (text, "# padding padding padding padding padding padding\n");
  while (text->len < MIB - 1)
    g_string_append_c (text, '#');
  g_string_append_c (text, '\n');
  g_assert_cmpuint (text->len, ==, MIB);
  s = tl_scenario_parse (text->str, (gssize) text->len, "big.scn", &error);
  g_assert_no_error (error);
  tl_scenario_free (s);

  g_string_append_c (text, '\n');
  g_assert_null (tl_scenario_parse (text->str, (gssize) text->len, "big.scn", &error));
  g_assert_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_LIMIT);
  g_assert_cmpstr (error->message, ==, "big.scn: the file is larger than 1 MiB "
                   "(1048577 bytes); a scenario file is at most 1048576 bytes");
  g_clear_error (&error);

  /* From a file, the size is checked before reading. */
  fd = g_file_open_tmp ("tl-big-XXXXXX.scn", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, text->str, (gssize) text->len, &error);
  g_assert_no_error (error);
  g_assert_null (tl_scenario_load (path, &error));
  g_assert_error (error, TL_SCENARIO_ERROR, TL_SCENARIO_ERROR_LIMIT);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_unlink (path);
}

/* A message is "file:line:col: what" or, without a place, "file: what". */
static void
assert_well_formed_error (const GError *error,
                          const char   *file)
{
  g_autofree char *pattern = g_strdup_printf ("^%s(:[1-9][0-9]*:[1-9][0-9]*)?: .+$", file);

  g_assert_true (error->domain == TL_SCENARIO_ERROR);
  if (!g_regex_match_simple (pattern, error->message, G_REGEX_DOTALL, 0))
    g_error ("badly formed message: %s", error->message);
}

/* Truncating a valid file anywhere gives a clean error or a scenario. */
static void
test_truncation (void)
{
  g_autofree char *path = bundled_path ("simultaneous-open-router-pause");
  g_autofree char *text = NULL;
  gsize length;
  guint n_ok = 0, n_errors = 0;

  g_file_get_contents (path, &text, &length, NULL);
  g_assert_nonnull (text);
  for (gsize cut = 0; cut <= length; cut++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *prefix = g_strndup (text, cut);
      g_autoptr(TlScenario) s = tl_scenario_parse (prefix, (gssize) cut, "trunc", &error);

      if (s != NULL)
        {
          g_assert_no_error (error);
          n_ok++;
        }
      else
        {
          assert_well_formed_error (error, "trunc");
          n_errors++;
        }
    }
  /* Early cuts lack hosts; cuts after the last call line parse. */
  g_assert_cmpuint (n_errors, >, length / 2);
  g_assert_cmpuint (n_ok, >, 0);
}

/* Random byte damage, reproducible by seed: never a crash or a bad
 * message. */
static void
test_mutation (void)
{
  g_autofree char *path = bundled_path ("simultaneous-open-router-pause");
  g_autofree char *text = NULL;
  gsize length;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20240601);
  static const char alphabet[] = "{}\"#\\.\n 0a-><%x\xff\xc3";

  g_file_get_contents (path, &text, &length, NULL);
  g_assert_nonnull (text);
  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *copy = g_memdup2 (text, length + 1);
      g_autoptr(GError) error = NULL;
      g_autoptr(TlScenario) s = NULL;
      guint n = (guint) g_rand_int_range (rand, 1, 4);

      for (guint i = 0; i < n; i++)
        copy[g_rand_int_range (rand, 0, (gint32) length)]
          = alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      s = tl_scenario_parse (copy, (gssize) length, "mut", &error);
      if (s == NULL)
        assert_well_formed_error (error, "mut");
      else
        {
          /* Whatever parses also writes back and reads again. */
          g_autofree char *written = tl_scenario_to_string (s);
          g_autoptr(TlScenario) back = tl_scenario_parse (written, -1, NULL, &error);
          g_assert_no_error (error);
          assert_scenarios_equal (s, back);
        }
    }
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/scenario/profile-defaults", test_profile_defaults);
  g_test_add_func ("/scenario/new-defaults", test_new_defaults);
  g_test_add_func ("/scenario/settings-precedence", test_settings_precedence);
  g_test_add_func ("/scenario/bundled/normal-handshake", test_bundled_normal_handshake);
  g_test_add_func ("/scenario/bundled/simultaneous-open-delay",
                   test_bundled_simultaneous_open_delay);
  g_test_add_func ("/scenario/bundled/simultaneous-open-router-pause",
                   test_bundled_router_pause);
  g_test_add_func ("/scenario/bundled/simultaneous-close", test_bundled_simultaneous_close);
  g_test_add_func ("/scenario/bundled/connect-refused", test_bundled_connect_refused);
  g_test_add_func ("/scenario/bundled/syn-timeout", test_bundled_syn_timeout);
  g_test_add_func ("/scenario/bundled/all-valid", test_bundled_all_valid);
  g_test_add_func ("/scenario/describe", test_describe);
  g_test_add_func ("/scenario/round-trip/bundled", test_round_trip_bundled);
  g_test_add_func ("/scenario/round-trip/rich", test_round_trip_rich);
  g_test_add_func ("/scenario/call-order", test_call_order);
  g_test_add_func ("/scenario/syntax-variants", test_syntax_variants);
  g_test_add_func ("/scenario/name-from-file", test_name_from_file);
  g_test_add_func ("/scenario/isn-limits", test_isn_limits);
  g_test_add_func ("/scenario/inline-errors", test_inline_errors);
  g_test_add_func ("/scenario/set/good", test_set_good);
  g_test_add_func ("/scenario/set/setsockopt", test_set_setsockopt);
  g_test_add_func ("/scenario/set/read", test_set_read);
  g_test_add_func ("/scenario/set/profile", test_set_profile);
  g_test_add_func ("/scenario/set/bad", test_set_bad);
  g_test_add_func ("/scenario/validate/after-set", test_validate_after_set);
  g_test_add_func ("/scenario/validate/new", test_validate_new);
  g_test_add_func ("/scenario/copy", test_copy);
  g_test_add_func ("/scenario/load-errors", test_load_errors);
  g_test_add_func ("/scenario/size-limit", test_size_limit);
  g_test_add_func ("/scenario/fuzz/truncation", test_truncation);
  g_test_add_func ("/scenario/fuzz/mutation", test_mutation);

  bad_files = list_bad_files ();
  g_test_add_func ("/scenario/bad-file/count", test_bad_files_present);
  for (guint i = 0; i < bad_files->len; i++)
    {
      const char *file = g_ptr_array_index (bad_files, i);
      g_autofree char *base = g_path_get_basename (file);
      g_autofree char *name = g_strdup_printf ("/scenario/bad-file/%s", base);
      g_test_add_data_func (name, file, test_bad_file);
    }

  status = g_test_run ();
  g_ptr_array_unref (bad_files);
  return status;
}

/* tl-router.c: the hold queue of the pausable router. */
#include "tl-router.h"

void
tl_router_init (TlRouter *router,
                guint     capacity,
                TlTime    release_gap)
{
  if (router->capacity != capacity)
    {
      g_free (router->ring);
      router->ring = g_new (guint32, MAX (capacity, 1));
    }
  router->capacity = capacity;
  router->release_gap = release_gap;
  router->paused = FALSE;
  router->draining = FALSE;
  router->head = 0;
  router->len = 0;
}

void
tl_router_clear (TlRouter *router)
{
  g_clear_pointer (&router->ring, g_free);
  router->capacity = 0;
  router->len = 0;
}

TlRouterVerdict
tl_router_arrive (TlRouter *router,
                  guint32   packet)
{
  if (!router->paused && !router->draining && router->len == 0)
    return TL_ROUTER_FORWARD;
  if (router->len >= router->capacity)
    return TL_ROUTER_DROP;
  router->ring[(router->head + router->len) % router->capacity] = packet;
  router->len++;
  return TL_ROUTER_HOLD;
}

gboolean
tl_router_release (TlRouter *router,
                   guint32  *packet)
{
  if (router->len == 0)
    return FALSE;
  *packet = router->ring[router->head];
  router->head = (router->head + 1) % router->capacity;
  router->len--;
  return TRUE;
}

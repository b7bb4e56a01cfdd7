/* tl-router.h: a router that can be paused.
 *
 * While paused it holds every packet in arrival order (a bounded FIFO,
 * drop-tail); on resume it releases them in that order, back to back or
 * spaced by a fixed gap.  Packets arriving while a release is still
 * draining queue behind, so order is always preserved.
 */
#pragma once

#include <glib.h>

#include "tl-time.h"

G_BEGIN_DECLS

typedef enum
{
  TL_ROUTER_FORWARD,   /* not paused, nothing queued: pass through now */
  TL_ROUTER_HOLD,      /* queued */
  TL_ROUTER_DROP,      /* queue full */
} TlRouterVerdict;

typedef struct
{
  gboolean  paused;
  gboolean  draining;     /* released packets still leaving, one per gap */
  guint     capacity;
  TlTime    release_gap;
  guint32  *ring;         /* held packet handles (opaque to the router) */
  guint     head;
  guint     len;
} TlRouter;

void            tl_router_init    (TlRouter *router,
                                   guint     capacity,
                                   TlTime    release_gap);
void            tl_router_clear   (TlRouter *router);
TlRouterVerdict tl_router_arrive  (TlRouter *router,
                                   guint32   packet);
/* Takes the next held packet to release; FALSE when none is left. */
gboolean        tl_router_release (TlRouter *router,
                                   guint32  *packet);

G_END_DECLS

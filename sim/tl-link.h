/* tl-link.h: one direction of a path between two hosts. */
#pragma once

#include "tl-rng.h"
#include "tl-time.h"

G_BEGIN_DECLS

typedef struct
{
  TlTime  delay;        /* propagation, sender to receiver */
  TlTime  jitter;       /* extra uniform [0, jitter] per packet */
  guint32 loss_ppm;     /* loss probability, parts per million */
  guint64 rate_bps;     /* serialization rate; 0 = infinite */
  TlTime  busy_until;   /* the sender's line is busy serializing until then */
} TlLink;

/* Decides what happens to a packet of WIRE_BYTES entering LINK at NOW.
 * Returns FALSE when it is lost.  Otherwise *DEPART is when its last bit
 * has left the sender (after queueing behind earlier packets at RATE) and
 * *EXTRA the jitter it gets; propagation is added by the caller, which may
 * split it around a router. */
gboolean tl_link_enter (TlLink  *link,
                        TlRng   *rng,
                        TlTime   now,
                        guint    wire_bytes,
                        TlTime  *depart,
                        TlTime  *extra);

G_END_DECLS

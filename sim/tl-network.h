/* tl-network.h: two hosts, the paths between them, and the optional router.
 *
 * With a router, a packet on a path of one-way delay D reaches the router
 * after D/2 (plus jitter and serialization), may be held there, and reaches
 * the receiver D - D/2 after it leaves the router.  The real capture
 * harness splits its delay the same way, so the two can be compared.
 */
#pragma once

#include "tl-link.h"
#include "tl-router.h"
#include "tl-sim.h"

G_BEGIN_DECLS

typedef void (*TlDeliverFunc) (gpointer         receiver,
                               const TlSegment *seg,
                               guint32          packet);

typedef struct _TlNetwork TlNetwork;

TlNetwork *tl_network_new          (TlSim        *sim);
void       tl_network_free         (TlNetwork    *net);
/* Forgets packets, pauses and hosts, keeping memory, for the next run. */
void       tl_network_reset        (TlNetwork    *net,
                                    guint64       seed);
void       tl_network_attach_host  (TlNetwork    *net,
                                    guint         host,
                                    guint32       addr,
                                    TlDeliverFunc deliver,
                                    gpointer      receiver);
/* DIRECTION 0 is A->B, 1 is B->A. */
void       tl_network_set_link     (TlNetwork    *net,
                                    guint         direction,
                                    const TlLink *link);
void       tl_network_set_router   (TlNetwork    *net,
                                    guint         capacity,
                                    TlTime        release_gap);
/* Schedules a pause of the router over [START, END). */
void       tl_network_add_pause    (TlNetwork    *net,
                                    TlTime        start,
                                    TlTime        end);
/* Puts SEG on the wire from HOST now.  Records SEND (with RETRANSMIT and
 * the cause) and returns the packet id. */
guint32    tl_network_send         (TlNetwork       *net,
                                    guint            host,
                                    const TlSegment *seg,
                                    guint            retransmit,
                                    TlCause          cause,
                                    guint32          cause_ref);
/* Records every packet still in flight or held as dropped at END. */
void       tl_network_finish       (TlNetwork    *net,
                                    TlTime        end);

G_END_DECLS

/* tl-rng.h: a small seeded generator (xoshiro256**, seeded by splitmix64).
 *
 * Our own rather than GRand so a seed gives the same run on every GLib
 * version, and so each consumer (ISNs of A, ISNs of B, link loss) can have
 * its own stream: changing the loss rate must not change the ISNs.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint64 s[4];
} TlRng;

/* STREAM separates independent sequences drawn from one scenario seed. */
void    tl_rng_init   (TlRng   *rng,
                       guint64  seed,
                       guint64  stream);
guint64 tl_rng_next   (TlRng   *rng);
/* Uniform in [0, bound), without modulo bias; bound 0 gives 0. */
guint64 tl_rng_below  (TlRng   *rng,
                       guint64  bound);

G_END_DECLS

/* tl-link.c: loss, jitter and serialization on one direction of a path. */
#include "tl-link.h"

gboolean
tl_link_enter (TlLink  *link,
               TlRng   *rng,
               TlTime   now,
               guint    wire_bytes,
               TlTime  *depart,
               TlTime  *extra)
{
  TlTime start = MAX (now, link->busy_until);
  TlTime serialization = 0;

  /* The line is occupied even by a packet that is then lost on the way. */
  if (link->rate_bps > 0)
    serialization = (TlTime) ((guint64) wire_bytes * 8 * G_GUINT64_CONSTANT (1000000000)
                              / link->rate_bps);
  link->busy_until = start + serialization;
  *depart = start + serialization;
  *extra = 0;

  /* Draw from the RNG only when loss or jitter is configured, so adding
   * jitter to one link never changes another's random sequence. */
  if (link->loss_ppm >= 1000000
      || (link->loss_ppm > 0 && tl_rng_below (rng, 1000000) < link->loss_ppm))
    return FALSE;
  if (link->jitter > 0)
    *extra = (TlTime) tl_rng_below (rng, (guint64) link->jitter + 1);
  return TRUE;
}

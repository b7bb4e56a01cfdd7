/* tl-rng.c: xoshiro256** (Blackman and Vigna), public domain algorithm. */
#include "tl-rng.h"

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

void
tl_rng_init (TlRng   *rng,
             guint64  seed,
             guint64  stream)
{
  guint64 state = seed ^ (stream * G_GUINT64_CONSTANT (0xd1342543de82ef95));

  for (guint i = 0; i < 4; i++)
    rng->s[i] = splitmix64 (&state);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

guint64
tl_rng_next (TlRng *rng)
{
  guint64 *s = rng->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;

  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

guint64
tl_rng_below (TlRng   *rng,
              guint64  bound)
{
  guint64 threshold, r;

  if (bound == 0)
    return 0;
  /* Reject the few values that would make the low residues more likely. */
  threshold = -bound % bound;
  do
    r = tl_rng_next (rng);
  while (r < threshold);
  return r % bound;
}

/* test-render-samples.h: hand-made traces for the renderer's tests and
 * benchmark, written with TlTraceBuilder before the simulator ran and kept
 * because each exercises one drawing feature on purpose. */
#pragma once

#include "tl-trace-builder.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  TlTrace  *(*build) (void);
  guint       n_arrows;       /* arrow strokes the picture must have */
  guint       n_dashed;       /* of which retransmissions */
} TlRenderSample;

/* Normal open, 100 bytes, normal close, 60 s TIME-WAIT. */
TlTrace *tl_sample_handshake_close        (void);
/* Crossing SYNs held by a paused router, a retransmission, SYN,ACKs crossing. */
TlTrace *tl_sample_simultaneous_open      (void);
/* SYN to a closed port: RST,ACK and ECONNREFUSED. */
TlTrace *tl_sample_refused                (void);
/* Two lost SYNs, RTO doubling, then a handshake: drops and long gaps. */
TlTrace *tl_sample_syn_loss               (void);
/* Crossing FINs: both CLOSING, both TIME-WAIT. */
TlTrace *tl_sample_simultaneous_close     (void);
/* A burst of 24 data segments and their ACKs within a few ms. */
TlTrace *tl_sample_burst                  (void);
/* N data segments, one every 50 us, for the benchmark. */
TlTrace *tl_sample_bulk                   (guint n_segments);

extern const TlRenderSample tl_render_samples[];
extern const guint          tl_render_n_samples;

G_END_DECLS

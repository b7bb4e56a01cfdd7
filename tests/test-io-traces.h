/* test-io-traces.h: hand-built traces for the io tests (until the engine
 * runs, and afterwards as fixed references that do not move with it). */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

#define TEST_ADDR_A 0x0a000001u   /* 10.0.0.1 */
#define TEST_ADDR_B 0x0a000002u   /* 10.0.0.2 */
#define TEST_PORT_A 40000
#define TEST_PORT_B 5000

/* Linux 6.11+ simultaneous open (S, S., . with D-SACK on each side), 100
 * bytes from A, then a simultaneous close; 100 ms one-way delay through a
 * router that holds nothing. */
TlTrace *test_trace_simultaneous (guint32 isn_a,
                                  guint32 isn_b);
/* B listens, A connects; A's first SYN is lost on the link and
 * retransmitted after 1 s; 3 bytes each way; A closes first. */
TlTrace *test_trace_normal (guint32 isn_a,
                            guint32 isn_b);
/* A's SYN to a port of B without a socket: R. back, ECONNREFUSED. */
TlTrace *test_trace_refused (guint32 isn_a);

/* Index of the N-th (from 0) record of KIND sent by / happening at HOST. */
guint    test_trace_find   (const TlTrace *trace,
                            TlRecordKind   kind,
                            guint          host,
                            guint          n);
/* Removes every record of PACKET. */
void     test_trace_remove_packet (TlTrace *trace,
                                   guint32  packet);
/* A scratch directory removed at exit of the test program. */
const char *test_tmpdir    (void);

G_END_DECLS

/* tl-tcp-private.h: the TCB, the host and the run context, shared by
 * tl-tcp.c (segment arrival and timers), tl-host.c (demultiplexing and
 * socket calls) and tl-run.c (setting a run up). */
#pragma once

#include "tl-network.h"
#include "tl-scenario.h"
#include "tl-sim.h"

G_BEGIN_DECLS

#define TL_HOST_MAX_SOCKETS 8

typedef struct _TlHost   TlHost;
typedef struct _TlSocket TlSocket;

/* Why something is sent or changes: carried from the entry point (a call,
 * a segment, a timer) down to the records it produces. */
typedef struct
{
  TlCause cause;
  guint32 ref;
} TlWhy;

struct _TlSocket
{
  TlHost       *host;
  guint8        index;
  gboolean      in_use;
  TlTcpState    state;
  /* A Linux request socket: a listener's half-open connection that the
   * kernel keeps as a mini-socket.  It shows no state changes until the
   * final ACK makes it a full socket. */
  gboolean      is_request;
  gint          listener;        /* index of the listener that made it, or -1 */
  gboolean      bound;
  guint32       laddr, raddr;
  guint16       lport, rport;

  /* Send sequence space (RFC 9293 section 3.3.1). */
  guint32       iss, snd_una, snd_nxt, snd_wnd, snd_wl1, snd_wl2;
  GByteArray   *sndbuf;          /* from sndbuf_head on: bytes from snd_una onward, unsent included */
  guint32       sndbuf_head;     /* acknowledged bytes still at the front, dropped in bulk */
  gboolean      fin_queued;      /* the application shut down writing */
  gboolean      fin_sent;
  guint32       fin_seq;         /* sequence number of our FIN */

  /* Receive sequence space. */
  guint32       irs, rcv_nxt, rcv_wnd;
  gboolean      irs_known;
  gboolean      data_received;   /* decides the delayed-ACK delay */
  guint         quick_acks;      /* Linux quick-ACK mode budget */
  gboolean      pingpong;        /* Linux: interactive mode, ACKs delayed */
  gboolean      ack_pending;

  /* Options, as negotiated. */
  gboolean      ts_ok, sack_ok, ws_ok;
  guint8        snd_wscale, rcv_wscale;
  guint16       peer_mss;
  guint32       ts_offset, ts_recent;

  /* Retransmission (RFC 6298). */
  TlTime        rto, srtt, rttvar;
  guint32       rtt_seq;
  TlTime        rtt_start;       /* TL_TIME_NEVER: no sample running */
  guint         retransmits;     /* consecutive timeouts of the head segment */
  guint         total_rto;       /* timeouts since the SYN (linear timeouts) */
  guint         syn_retries;     /* TCP_SYNCNT, 0 = the host setting */
  TlTime        retrans_stamp;   /* first sent, the oldest unacknowledged segment */
  TlTime        last_oow_ack;    /* Linux rate limit of challenge/dup ACKs */

  TlEventHandle rtx_timer, delack_timer, tw_timer;

  /* The application side. */
  gboolean      orphan;          /* close() called: no one will read */
  gboolean      rcv_shutdown;    /* close() or shutdown(SHUT_RD): new data is refused */
  guint64       unread;          /* bytes received in order that the application has not read */
  gboolean      linger_zero;
  gboolean      connect_pending; /* connect() waits for an answer */
  guint32       connect_call;    /* trace index of that CALL record */
};

struct _TlHost
{
  struct _TlRun        *run;
  guint                 index;
  const TlScenarioHost *config;
  TlHostSettings        settings;
  TlProfileId           profile;
  TlRng                 rng;
  TlSocket              sockets[TL_HOST_MAX_SOCKETS];
  gint                  app_socket;  /* the socket scripted calls act on */
  gint                  listener;    /* the listening socket, or -1 */
  gboolean              reads_off;   /* read off: data waits in the socket for read */
};

typedef struct _TlRun
{
  TlSim            *sim;
  TlNetwork        *net;
  TlTrace          *trace;
  const TlScenario *scenario;
  TlHost            hosts[TL_MAX_HOSTS];
} TlRun;

/* tl-tcp.c */
void      tl_tcp_input          (TlSocket        *sock,
                                 const TlSegment *seg,
                                 guint32          packet);
void      tl_tcp_listen_input   (TlSocket        *listener,
                                 const TlSegment *seg,
                                 guint32          packet);
void      tl_tcp_connect        (TlSocket *sock,
                                 TlWhy     why);
void      tl_tcp_send           (TlSocket     *sock,
                                 const guint8 *data,
                                 gsize         length,
                                 TlWhy         why);
void      tl_tcp_shutdown_write (TlSocket *sock,
                                 TlWhy     why);
void      tl_tcp_close          (TlSocket *sock,
                                 TlWhy     why);
void      tl_tcp_abort          (TlSocket *sock,
                                 TlWhy     why);
void      tl_tcp_set_state      (TlSocket   *sock,
                                 TlTcpState  state,
                                 TlWhy       why);
void      tl_tcp_socket_reset   (TlSocket *sock);
/* A reply to a segment no socket wants (RFC 9293 section 3.10.7.1). */
void      tl_tcp_send_reset_for (TlHost          *host,
                                 const TlSegment *seg,
                                 guint32          packet);

/* tl-host.c */
void      tl_host_init          (TlHost               *host,
                                 TlRun                *run,
                                 guint                 index,
                                 const TlScenarioHost *config,
                                 TlProfileId           profile,
                                 guint64               seed);
void      tl_host_deliver       (gpointer         host,
                                 const TlSegment *seg,
                                 guint32          packet);
void      tl_host_schedule_calls (TlHost *host);
TlSocket *tl_host_new_socket    (TlHost *host);
/* The connection socket became ESTABLISHED: accept it if it came from a
 * listener, and complete a pending connect(). */
void      tl_host_connection_ready (TlSocket *sock,
                                    TlWhy     why);
/* connect() failed (refused, reset, timed out). */
void      tl_host_connection_failed (TlSocket *sock,
                                     gint      error,
                                     TlWhy     why);

static inline TlTime
tl_host_now (const TlHost *host)
{
  return host->run->sim->now;
}

static inline gboolean
tl_host_is_linux (const TlHost *host)
{
  return host->profile == TL_PROFILE_LINUX;
}

G_END_DECLS

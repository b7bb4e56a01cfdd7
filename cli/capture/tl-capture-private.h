/* tl-capture-private.h: the state of one capture, shared by its parts.
 *
 *   tl-capture.c          setup, the main loop, the stop rule, teardown
 *   tl-capture-wire.c     the links and the pausable router between TUNs
 *   tl-capture-agent.c    the hosts' socket calls and the call log
 *   tl-capture-states.c   kernel state changes -> per-socket state log
 *   tl-capture-writer.c   the bundle on disk
 *
 * Times are scenario times: nanoseconds on CLOCK_MONOTONIC since t0.
 */
#pragma once

#include <glib.h>
#include <signal.h>

#include "tl-capture.h"
#include "tl-capture-netns.h"
#include "tl-capture-tracefs.h"
#include "tl-event-queue.h"
#include "tl-link.h"
#include "tl-rng.h"
#include "tl-router.h"

G_BEGIN_DECLS

/* One packet as a host's vantage point saw it: read from its TUN (the
 * host sent it) or written into it (the host received it). */
typedef struct
{
  TlTime   time;
  guint32  packet;     /* router packet id */
  gboolean outbound;
  GBytes  *bytes;      /* the IP packet */
} TlCaptureFrame;

/* A packet between the hosts, as the wire sees it. */
typedef enum
{
  TL_WIRE_FREE,
  TL_WIRE_TO_ROUTER,
  TL_WIRE_HELD,
  TL_WIRE_TO_HOST,
  TL_WIRE_LOST,
} TlWireWhere;

typedef struct
{
  guint32  id;
  guint8   from;
  guint8   to;
  guint8   where;      /* TlWireWhere */
  GBytes  *bytes;
} TlWirePacket;

/* A line of router.jsonl. */
typedef struct
{
  TlTime   time;
  guint8   kind;       /* TlRecordKind: SEND, ROUTER_IN, HOLD, RELEASE, DELIVER, DROP, PAUSE, RESUME */
  guint8   drop_reason;
  guint8   where;      /* DROP: host index or TL_HOST_ROUTER */
  guint32  packet;     /* 0 for PAUSE/RESUME */
  guint32  frame;      /* SEND, DELIVER: 1-based frame in the host's pcap */
} TlWireEvent;

typedef struct
{
  guint       index;         /* per host, in creation order */
  int         fd;            /* -1 once closed */
  gboolean    bound;
  gboolean    listening;
  gboolean    connecting;    /* connect() in progress */
  gboolean    connected;     /* established from the application's view */
  gboolean    read_done;     /* EOF or an error was read */
  gboolean    accepted;      /* came from accept() */
  guint32     peer_addr;
  guint16     peer_port;
  GByteArray *unsent;        /* send() data the kernel has not taken yet */
  guint       send_call;     /* ordinal of the send that left it */
  guint64     bytes_read;
} TlCaptureSocket;

/* When a socket began a life the kernel reports: used to tie tracepoint
 * events to the application's sockets. */
typedef struct
{
  TlTime   time;
  guint8   kind;       /* TL_CALL_CONNECT, TL_CALL_LISTEN, TL_CALL_ACCEPT */
  guint    socket;
  guint32  peer_addr;  /* ACCEPT */
  guint16  peer_port;
} TlCaptureLife;

typedef struct
{
  guint             index;
  char             *name;
  guint32           addr;
  guint16           port;
  guint32           peer_addr;
  guint             mtu;
  TlNetns           ns;
  int               tun_fd;
  char              ifname[16];
  GArray           *frames;      /* TlCaptureFrame */
  GPtrArray        *sockets;     /* TlCaptureSocket* */
  TlCaptureSocket  *main;        /* the socket bind/listen/connect use */
  TlCaptureSocket  *listener;
  TlCaptureSocket  *conn;        /* the latest accepted socket */
  GArray           *lives;       /* TlCaptureLife */
  gboolean          auto_accept; /* no accept call in the scenario */
  gboolean           reads_off;     /* read off: data waits in the socket for read */
  guint             pending_accepts;
  guint             calls_left;
  GPtrArray        *sysctl_keys;
  GPtrArray        *sysctl_values;
} TlCaptureHost;

/* A line of states.jsonl. */
typedef struct
{
  TlTime      time;
  guint8      host;
  guint8      socket;
  guint8      old_state;     /* TlTcpState */
  guint8      new_state;
  gint8       kernel_old;    /* TlKernelState; -1 for inferred lines */
  gint8       kernel_new;
  gboolean    inferred;
  guint16     sport;
  guint16     dport;
  const char *note;          /* static text or NULL */
} TlCaptureState;

typedef struct _TlCapture TlCapture;

struct _TlCapture
{
  const TlScenario       *scenario;
  const TlCaptureOptions *options;
  int                     pid;
  TlTime                  t0;           /* CLOCK_MONOTONIC at scenario time 0 */
  /* The kernel's timer wheel at t0 (0 when /proc/timer_list is unreadable):
   * what the simulator needs to round TCP timers exactly as this kernel. */
  guint                   timer_hz;
  guint64                 timer_jiffies;      /* jiffies at t0 */
  TlTime                  timer_tick_offset;  /* t0 is this long after that tick */
  gint64                  t0_realtime;  /* CLOCK_REALTIME at the same moment */
  TlTime                  end;          /* planned end: duration or cap */
  TlCaptureStop           end_reason;
  TlTime                  vnow;         /* the due time of the event being run */

  TlEventQueue           *queue;
  int                     signal_fd;
  sigset_t                saved_mask;
  gboolean                mask_saved;
  int                     lock_fd;

  gboolean                running;
  gboolean                interrupted;
  TlCaptureStop           stop;
  TlTime                  stop_time;
  GError                 *failure;      /* first error inside the loop */

  TlCaptureHost           hosts[TL_MAX_HOSTS];

  /* the wire */
  TlLink                  links[2];
  TlRng                   rng;
  gboolean                has_router;
  TlRouter                router;
  GArray                 *packets;      /* TlWirePacket, index = id - 1 */
  GArray                 *wire_log;     /* TlWireEvent */
  guint                   in_flight;    /* packets not yet delivered or dropped */
  TlTime                  max_deliver_late;

  /* the kernel's state changes */
  char                   *tracefs_root;
  TlTracefs               tracefs;
  gboolean                tracefs_open;
  GArray                 *kernel_events; /* TlStateEvent, times already scenario times */
  guint                   n_bad_trace_lines;

  /* the application */
  GString                *calls_log;    /* calls.jsonl */
  TlTime                  max_call_late;
  TlTime                  last_activity; /* time of the latest record, for the stop rule */

  GPtrArray              *warnings;     /* char* */
};

/* tl-capture.c */
TlTime   tl_capture_now          (const TlCapture *capture);
void     tl_capture_fail         (TlCapture       *capture,
                                  GError          *error);
void     tl_capture_warn         (TlCapture       *capture,
                                  const char      *format,
                                  ...) G_GNUC_PRINTF (2, 3);
void     tl_capture_progress     (TlCapture       *capture,
                                  const char      *format,
                                  ...) G_GNUC_PRINTF (2, 3);
void     tl_capture_touch        (TlCapture       *capture,
                                  TlTime           time);

/* tl-capture-wire.c */
void     tl_capture_wire_init    (TlCapture       *capture);
void     tl_capture_wire_clear   (TlCapture       *capture);
/* Reads what host HOST sent; FALSE when the TUN failed. */
gboolean tl_capture_wire_read    (TlCapture       *capture,
                                  guint            host);
/* Records what is still in flight or held as dropped at END. */
void     tl_capture_wire_finish  (TlCapture       *capture,
                                  TlTime           end);

/* tl-capture-agent.c */
void     tl_capture_agent_init   (TlCapture       *capture);
void     tl_capture_agent_clear  (TlCapture       *capture);
/* Adds the pollfds the sockets need; TAGS gets (host << 16 | socket). */
void     tl_capture_agent_poll   (TlCapture       *capture,
                                  GArray          *pollfds,
                                  GArray          *tags);
void     tl_capture_agent_ready  (TlCapture       *capture,
                                  guint            tag,
                                  short            revents);
/* TRUE when every scheduled call has been made. */
gboolean tl_capture_agent_done   (const TlCapture *capture);
const char *tl_capture_errno_name (int error);
void     tl_json_append_string   (GString         *out,
                                  const char      *text);

/* tl-capture-states.c */
/* Builds the state log (TlCaptureState) from the kernel events so far. */
GArray  *tl_capture_states_build (const TlCapture *capture,
                                  gboolean        *all_finished);

/* tl-capture-writer.c */
gboolean tl_capture_write_bundle (TlCapture       *capture,
                                  const char      *tmp_dir,
                                  GArray          *states,
                                  GError         **error);

G_END_DECLS

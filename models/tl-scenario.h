/* tl-scenario.h: what a scenario file describes, parsed.
 *
 * The same TlScenario drives the simulator (tl_scenario_run) and the real
 * capture harness (tcpladder capture), so both perform the same calls at
 * the same times over links with the same delays.
 */
#pragma once

#include <glib.h>

#include "tl-trace.h"

G_BEGIN_DECLS

#define TL_SCENARIO_ERROR (tl_scenario_error_quark ())
GQuark tl_scenario_error_quark (void);

typedef enum
{
  TL_SCENARIO_ERROR_SYNTAX,     /* message is "file:line:col: ..." */
  TL_SCENARIO_ERROR_INVALID,    /* a value out of range or inconsistent */
  TL_SCENARIO_ERROR_UNKNOWN_KEY,
  TL_SCENARIO_ERROR_IO,
  TL_SCENARIO_ERROR_LIMIT,
} TlScenarioError;

typedef enum
{
  TL_PROFILE_RFC9293,
  TL_PROFILE_LINUX,
} TlProfileId;

typedef enum
{
  TL_SHUT_RD   = 0,
  TL_SHUT_WR   = 1,
  TL_SHUT_RDWR = 2,
} TlShutHow;

/* read: read what has arrived now, or stop or resume reading data as it
 * arrives (the default).  Unread data makes close() send a RST. */
typedef enum
{
  TL_READ_NOW = 0,
  TL_READ_OFF = 1,
  TL_READ_ON  = 2,
} TlReadMode;

typedef enum
{
  TL_SOCKOPT_SYNCNT,        /* TCP_SYNCNT: SYN retries for this socket */
  TL_SOCKOPT_LINGER_ZERO,   /* SO_LINGER {1, 0}: close() sends RST */
  TL_SOCKOPT_NODELAY,
} TlSockopt;

/* Kernel-like settings, per host (the sysctls a capture bundle records). */
typedef struct
{
  guint    syn_retries;          /* net.ipv4.tcp_syn_retries */
  guint    synack_retries;       /* net.ipv4.tcp_synack_retries */
  guint    syn_linear_timeouts;  /* net.ipv4.tcp_syn_linear_timeouts (linux >= 6.5) */
  gboolean timestamps;           /* net.ipv4.tcp_timestamps */
  gboolean sack;                 /* net.ipv4.tcp_sack */
  gboolean window_scaling;       /* net.ipv4.tcp_window_scaling */
  guint    rmem_max;             /* tcp_rmem[2]: decides the window scale */
  guint    mss;                  /* advertised MSS (MTU 1500: 1460) */
  TlTime   rto_initial;          /* 1 s (RFC 6298, TCP_TIMEOUT_INIT) */
  TlTime   rto_min;              /* 200 ms on Linux, 1 s in RFC 6298 */
  TlTime   rto_max;              /* 120 s on Linux, >= 60 s in RFC 6298 */
  TlTime   time_wait;            /* 2*MSL; Linux uses a fixed 60 s */
  TlTime   delayed_ack;          /* how long an ACK may wait */
  TlTime   invalid_ratelimit;    /* net.ipv4.tcp_invalid_ratelimit */
  guint    kernel_version;       /* e.g. 61800 for 6.18; decides version quirks */
  guint    orphan_retries;       /* net.ipv4.tcp_orphan_retries, 0 = 8 */
  /* Linux timers run on the jiffies timer wheel: they fire on ticks, and
   * the further away they are, the coarser the tick they are rounded up
   * to (32 ms for a 1 s RTO at HZ=250).  hz 0 means exact timers. */
  guint    hz;                   /* CONFIG_HZ */
  guint    jiffies;              /* the jiffies counter at time 0 (low 32 bits) */
  TlTime   tick_offset;          /* time 0 is this long after that tick */
} TlHostSettings;

typedef struct
{
  TlTime     at;           /* when the application makes the call */
  TlCallKind kind;
  guint      line;         /* where the call stands in the file */
  guint      column;
  guint      ordinal;      /* 1 for the first call of this kind on the host */
  gint       peer;         /* connect: host index */
  TlShutHow  how;          /* shutdown */
  TlSockopt  option;       /* setsockopt */
  gint64     value;        /* setsockopt value; send: byte count; read: TlReadMode */
  GBytes    *data;         /* send: the bytes (NULL: VALUE zero bytes) */
  gboolean   on_listener;  /* close: the listening socket, not the accepted one */
} TlScenarioCall;

typedef struct
{
  char           *name;         /* "A", "B": how the file and the ladder call it */
  guint32         addr;         /* IPv4, host byte order */
  guint16         port;
  gboolean        fixed_isn;
  guint32         isn;
  TlHostSettings  settings;
  GArray         *calls;        /* TlScenarioCall, ordered by time then file order */
} TlScenarioHost;

typedef struct
{
  TlTime  delay;      /* one-way, sender to receiver, through the router if any */
  TlTime  jitter;     /* each packet gets an extra uniform [0, jitter] delay */
  guint32 loss_ppm;   /* loss probability in parts per million */
  guint64 rate_bps;   /* bits per second, 0 = no serialization delay */
} TlLinkConfig;

typedef struct
{
  TlTime start;
  TlTime end;
} TlPauseWindow;

typedef struct
{
  char           *path;          /* the file it came from, or NULL */
  char           *name;
  char           *description;
  TlProfileId     profile;
  guint64         seed;
  TlTime          duration;      /* the run stops here */
  TlScenarioHost  hosts[TL_MAX_HOSTS];
  TlLinkConfig    links[2];      /* [0] A->B, [1] B->A */
  gboolean        has_router;
  guint           router_queue;  /* packets held at most while paused */
  TlTime          release_gap;   /* between released packets; 0 = back to back */
  GArray         *pauses;        /* TlPauseWindow, sorted, not overlapping */
  guint           max_events;    /* runaway guard */
} TlScenario;

TlScenario *tl_scenario_new          (void);   /* defaults, no hosts named */
void        tl_scenario_free         (TlScenario *scenario);
TlScenario *tl_scenario_copy         (const TlScenario *scenario);
TlScenario *tl_scenario_load         (const char  *path,
                                      GError     **error);
TlScenario *tl_scenario_parse        (const char  *text,
                                      gssize       length,
                                      const char  *filename,
                                      GError     **error);
/* Serialises back to the file format (for Save in the GUI). */
char       *tl_scenario_to_string    (const TlScenario *scenario);
/* Sets one value by key, as --set KEY=VALUE does.  Keys are documented in
 * docs/scenario-format.md ("seed", "A->B.delay", "B.connect.at", ...). */
gboolean    tl_scenario_set          (TlScenario  *scenario,
                                      const char  *key,
                                      const char  *value,
                                      GError     **error);
/* Checks cross-field rules (overlapping windows, unknown peers...). */
gboolean    tl_scenario_validate     (TlScenario  *scenario,
                                      GError     **error);
/* The defaults of a profile, as a scenario without settings gets them. */
void        tl_host_settings_init    (TlHostSettings *settings,
                                      TlProfileId     profile);
const char *tl_profile_to_string     (TlProfileId profile);
gboolean    tl_profile_from_string   (const char  *text,
                                      TlProfileId *out);
/* One-line summary of the key parameters, for captions. */
char       *tl_scenario_describe     (const TlScenario *scenario);

/* Runs the scenario in the simulator.  Appends to TRACE (cleared first).
 * Never fails on a valid scenario; a run hitting max_events is marked
 * truncated in the trace. */
void        tl_scenario_run          (const TlScenario *scenario,
                                      TlTrace          *trace);

/* The same run without the text meant for people (title, caption, host
 * names, profile): the records are identical.  For sweeps and benchmarks,
 * where formatting the caption would cost a fifth of the run. */
void        tl_scenario_run_bare     (const TlScenario *scenario,
                                      TlTrace          *trace);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TlScenario, tl_scenario_free)

G_END_DECLS

/* tl-capture-tracefs.h: the kernel's own TCP state changes.
 *
 * A private tracefs instance (instances/tcpladder-PID) with only the
 * sock:inet_sock_set_state event enabled, filtered on the scenario's ports,
 * its clock set to "mono" so the timestamps are CLOCK_MONOTONIC like
 * everything else the harness records.  The text of trace_pipe prints them
 * with microsecond resolution.
 */
#pragma once

#include <glib.h>

#include "tl-time.h"

G_BEGIN_DECLS

/* The kernel's numbering (include/net/tcp_states.h). */
typedef enum
{
  TL_KSTATE_ESTABLISHED = 1,
  TL_KSTATE_SYN_SENT,
  TL_KSTATE_SYN_RECV,
  TL_KSTATE_FIN_WAIT1,
  TL_KSTATE_FIN_WAIT2,
  TL_KSTATE_TIME_WAIT,
  TL_KSTATE_CLOSE,
  TL_KSTATE_CLOSE_WAIT,
  TL_KSTATE_LAST_ACK,
  TL_KSTATE_LISTEN,
  TL_KSTATE_CLOSING,
  TL_KSTATE_NEW_SYN_RECV,
} TlKernelState;

typedef struct
{
  TlTime  time;       /* CLOCK_MONOTONIC, absolute */
  guint64 skaddr;     /* the kernel socket, 0 if the kernel did not say */
  gint    old_state;  /* TlKernelState */
  gint    new_state;
  guint32 saddr;      /* host byte order */
  guint32 daddr;
  guint16 sport;
  guint16 dport;
} TlStateEvent;

typedef struct
{
  char    *root;      /* "/sys/kernel/tracing" */
  char    *dir;       /* root + "/instances/" + name */
  int      pipe_fd;   /* trace_pipe, non-blocking; -1 when closed */
  GString *partial;   /* a line not complete yet */
} TlTracefs;

/* Finds (mounting it if nobody has) the tracefs root and checks the event
 * exists.  Returns a newly allocated path. */
char       *tl_tracefs_find_root       (GError        **error);
gboolean    tl_tracefs_open            (TlTracefs      *tracefs,
                                        const char     *root,
                                        const char     *name,
                                        const guint16  *ports,
                                        guint           n_ports,
                                        GError        **error);
/* Appends the events trace_pipe has now to EVENTS (TlStateEvent); never
 * blocks.  Lines it cannot read are skipped and counted in *N_BAD. */
gboolean    tl_tracefs_read            (TlTracefs      *tracefs,
                                        GArray         *events,
                                        guint          *n_bad,
                                        GError        **error);
/* Disables the event, closes the pipe and removes the instance. */
void        tl_tracefs_close           (TlTracefs      *tracefs);
/* Removes instance NAME under ROOT (leftover of a dead capture). */
gboolean    tl_tracefs_remove_instance (const char     *root,
                                        const char     *name);

/* Parses one trace_pipe line; exposed for tests. */
gboolean    tl_tracefs_parse_line      (const char     *line,
                                        TlStateEvent   *event);
/* "TCP_SYN_SENT" */
const char *tl_kernel_state_to_string  (gint            state);

G_END_DECLS

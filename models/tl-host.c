/* tl-host.c: a host: its sockets, demultiplexing, and the socket calls a
 * scenario script makes. */
#include "tl-tcp-private.h"

#include <errno.h>
#include <string.h>

void
tl_host_init (TlHost               *host,
              TlRun                *run,
              guint                 index,
              const TlScenarioHost *config,
              TlProfileId           profile,
              guint64               seed)
{
  host->run = run;
  host->index = index;
  host->config = config;
  host->settings = config->settings;
  host->profile = profile;
  /* Streams 1 and 2: each host's ISNs and timestamp offsets, so they do
   * not depend on what the links draw. */
  tl_rng_init (&host->rng, seed, 1 + index);
  /* Only mark the slots free: tl_host_new_socket clears a slot when it
   * is taken, so a run pays only for the sockets it uses. */
  for (guint i = 0; i < TL_HOST_MAX_SOCKETS; i++)
    {
      TlSocket *sock = &host->sockets[i];

      sock->host = host;
      sock->index = (guint8) i;
      if (sock->sndbuf == NULL)
        sock->sndbuf = g_byte_array_new ();
      sock->in_use = FALSE;
      sock->state = TL_STATE_CLOSED;
    }
  host->app_socket = -1;
  host->listener = -1;
  /* The runner reuses its hosts run after run: nothing may carry over. */
  host->reads_off = FALSE;
}

TlSocket *
tl_host_new_socket (TlHost *host)
{
  for (guint i = 0; i < TL_HOST_MAX_SOCKETS; i++)
    {
      TlSocket *sock = &host->sockets[i];

      if (sock->in_use)
        continue;
      tl_tcp_socket_reset (sock);
      sock->in_use = TRUE;
      sock->laddr = host->config->addr;
      sock->iss = host->config->fixed_isn && i == 0
                  ? host->config->isn : (guint32) tl_rng_next (&host->rng);
      sock->ts_offset = (guint32) tl_rng_next (&host->rng);
      return sock;
    }
  return NULL;
}

/* The slot of a socket that reached CLOSED and that nobody holds becomes
 * free again (tl_tcp_socket_reset cleared in_use). */

static TlSocket *
find_connection (TlHost          *host,
                 const TlSegment *seg)
{
  for (guint i = 0; i < TL_HOST_MAX_SOCKETS; i++)
    {
      TlSocket *sock = &host->sockets[i];

      if (!sock->in_use || sock->state == TL_STATE_CLOSED || sock->state == TL_STATE_LISTEN
          || sock->state == TL_STATE_NONE)
        continue;
      if (sock->lport == seg->dst_port && sock->rport == seg->src_port
          && sock->raddr == seg->src_addr && sock->laddr == seg->dst_addr)
        return sock;
    }
  return NULL;
}

static TlSocket *
find_listener (TlHost          *host,
               const TlSegment *seg)
{
  for (guint i = 0; i < TL_HOST_MAX_SOCKETS; i++)
    {
      TlSocket *sock = &host->sockets[i];

      if (sock->in_use && sock->state == TL_STATE_LISTEN && sock->lport == seg->dst_port)
        return sock;
    }
  return NULL;
}

void
tl_host_deliver (gpointer         data,
                 const TlSegment *seg,
                 guint32          packet)
{
  TlHost *host = data;
  TlSocket *sock = find_connection (host, seg);

  if (sock != NULL)
    {
      tl_tcp_input (sock, seg, packet);
      return;
    }
  sock = find_listener (host, seg);
  if (sock != NULL)
    {
      tl_tcp_listen_input (sock, seg, packet);
      return;
    }
  /* No socket, a socket only bound, or one in SYN-SENT towards another
   * peer: "If the state is CLOSED (i.e., TCB does not exist), then ... a
   * reset is sent in response to any incoming segment except another
   * reset." */
  tl_tcp_send_reset_for (host, seg, packet);
}

/* ---- call results ---------------------------------------------------- */

static void
record_result (TlSocket   *sock,
               TlCallKind  call,
               gint        error,
               TlWhy       why)
{
  TlTraceRecord *rec = tl_trace_append (sock->host->run->trace, TL_REC_CALL_RESULT,
                                        tl_host_now (sock->host), sock->host->index);

  rec->call = (guint8) call;
  rec->error = error;
  rec->socket = sock->index;
  rec->cause = (guint8) why.cause;
  rec->cause_ref = why.ref;
}

void
tl_host_connection_ready (TlSocket *sock,
                          TlWhy     why)
{
  TlHost *host = sock->host;

  if (sock->connect_pending)
    {
      sock->connect_pending = FALSE;
      record_result (sock, TL_CALL_CONNECT, 0, why);
    }
  if (sock->listener >= 0 && (host->app_socket < 0 || host->app_socket == sock->listener))
    {
      TlTraceRecord *rec;

      /* The application accepts the first connection as soon as it is
       * there, as `nc -l` and a blocking accept() loop do. */
      host->app_socket = sock->index;
      rec = tl_trace_append (host->run->trace, TL_REC_CALL, tl_host_now (host), host->index);
      rec->call = TL_CALL_ACCEPT;
      rec->socket = sock->index;
      rec->cause = (guint8) why.cause;
      rec->cause_ref = why.ref;
    }
}

void
tl_host_connection_failed (TlSocket *sock,
                           gint      error,
                           TlWhy     why)
{
  if (sock->connect_pending)
    {
      sock->connect_pending = FALSE;
      record_result (sock, TL_CALL_CONNECT, error, why);
    }
  else if (sock->index == sock->host->app_socket)
    record_result (sock, TL_CALL_NONE, error, why);
}

/* ---- socket calls ---------------------------------------------------- */

static TlSocket *
app_socket (TlHost *host,
            gboolean create)
{
  TlSocket *sock;

  if (host->app_socket >= 0)
    {
      sock = &host->sockets[host->app_socket];
      if (sock->in_use)
        return sock;
    }
  if (!create)
    return NULL;
  sock = tl_host_new_socket (host);
  if (sock == NULL)
    return NULL;
  host->app_socket = sock->index;
  return sock;
}

static gboolean
port_in_use (TlHost  *host,
             guint16  port,
             TlSocket *except)
{
  for (guint i = 0; i < TL_HOST_MAX_SOCKETS; i++)
    {
      TlSocket *s = &host->sockets[i];
      if (s != except && s->in_use && s->bound && s->lport == port
          && s->state != TL_STATE_TIME_WAIT)
        return TRUE;
    }
  return FALSE;
}

static gint
do_bind (TlHost   *host,
         TlSocket *sock)
{
  if (sock->bound)
    return EINVAL;
  /* SO_REUSEADDR is set, as the capture agent does: TIME-WAIT does not
   * block the port, a live socket does. */
  if (port_in_use (host, host->config->port, sock))
    return EADDRINUSE;
  sock->bound = TRUE;
  sock->lport = host->config->port;
  return 0;
}

static gint
do_connect (TlHost               *host,
            TlSocket             *sock,
            const TlScenarioCall *call,
            TlWhy                 why)
{
  const TlScenarioHost *peer;
  gint error;

  if (sock->state != TL_STATE_CLOSED)
    return sock->state == TL_STATE_SYN_SENT ? EALREADY : EISCONN;
  if (!sock->bound && (error = do_bind (host, sock)) != 0)
    return error;
  peer = &host->run->scenario->hosts[call->peer];
  sock->raddr = peer->addr;
  sock->rport = peer->port;
  tl_tcp_connect (sock, why);
  return EINPROGRESS;
}

static gint
do_listen (TlHost   *host,
           TlSocket *sock,
           TlWhy     why)
{
  gint error;

  if (sock->state != TL_STATE_CLOSED)
    return EINVAL;
  if (!sock->bound && (error = do_bind (host, sock)) != 0)
    return error;
  host->listener = sock->index;
  tl_tcp_set_state (sock, TL_STATE_LISTEN, why);
  return 0;
}

static gint
do_send (TlSocket             *sock,
         const TlScenarioCall *call,
         TlWhy                 why)
{
  gsize length = call->data != NULL ? g_bytes_get_size (call->data) : (gsize) call->value;
  const guint8 *data = call->data != NULL ? g_bytes_get_data (call->data, NULL) : NULL;

  switch (sock->state)
    {
    case TL_STATE_ESTABLISHED:
    case TL_STATE_CLOSE_WAIT:
    case TL_STATE_SYN_SENT:
    case TL_STATE_SYN_RECEIVED:
      if (sock->fin_queued)
        return EPIPE;
      tl_tcp_send (sock, data, length, why);
      return 0;
    case TL_STATE_NONE:
    case TL_STATE_CLOSED:
    case TL_STATE_LISTEN:
      return ENOTCONN;
    case TL_STATE_FIN_WAIT_1:
    case TL_STATE_FIN_WAIT_2:
    case TL_STATE_CLOSING:
    case TL_STATE_LAST_ACK:
    case TL_STATE_TIME_WAIT:
    case TL_N_STATES:
    default:
      return EPIPE;
    }
}

static TlSocket *
close_target (TlHost               *host,
              const TlScenarioCall *call)
{
  if (call->on_listener)
    return host->listener >= 0 ? &host->sockets[host->listener] : NULL;
  return app_socket (host, FALSE);
}

/* read: what has arrived is taken now (*BYTES_READ), or reading as data
 * arrives stops or resumes.  Resuming reads what waits. */
static gint
do_read (TlHost               *host,
         const TlScenarioCall *call,
         guint8               *socket_index,
         gint64               *bytes_read)
{
  TlSocket *sock = app_socket (host, FALSE);

  if (call->value != TL_READ_NOW)
    {
      host->reads_off = call->value == TL_READ_OFF;
      *bytes_read = host->reads_off ? TL_READ_ARG_OFF : TL_READ_ARG_ON;
      if (sock != NULL)
        {
          *socket_index = sock->index;
          if (!host->reads_off)
            sock->unread = 0;
        }
      return 0;
    }
  if (sock == NULL)
    return EBADF;
  *socket_index = sock->index;
  if (sock->state == TL_STATE_LISTEN || sock->state == TL_STATE_SYN_SENT
      || (sock->state == TL_STATE_CLOSED && !sock->irs_known))
    return ENOTCONN;
  *bytes_read = (gint64) sock->unread;
  sock->unread = 0;
  return 0;
}

static gint
perform (TlHost               *host,
         const TlScenarioCall *call,
         TlWhy                 why,
         guint8               *socket_index,
         gint64               *bytes_read)
{
  TlSocket *sock;

  switch (call->kind)
    {
    case TL_CALL_SETSOCKOPT:
      sock = app_socket (host, TRUE);
      if (sock == NULL)
        return EMFILE;
      *socket_index = sock->index;
      if (call->option == TL_SOCKOPT_SYNCNT)
        {
          if (call->value < 1 || call->value > 127)
            return EINVAL;
          sock->syn_retries = (guint) call->value;
        }
      else if (call->option == TL_SOCKOPT_LINGER_ZERO)
        sock->linger_zero = TRUE;
      return 0;
    case TL_CALL_BIND:
      sock = app_socket (host, TRUE);
      if (sock == NULL)
        return EMFILE;
      *socket_index = sock->index;
      return do_bind (host, sock);
    case TL_CALL_LISTEN:
      sock = app_socket (host, TRUE);
      if (sock == NULL)
        return EMFILE;
      *socket_index = sock->index;
      return do_listen (host, sock, why);
    case TL_CALL_CONNECT:
      sock = app_socket (host, TRUE);
      if (sock == NULL)
        return EMFILE;
      *socket_index = sock->index;
      return do_connect (host, sock, call, why);
    case TL_CALL_SEND:
      sock = app_socket (host, FALSE);
      if (sock == NULL)
        return EBADF;
      *socket_index = sock->index;
      return do_send (sock, call, why);
    case TL_CALL_SHUTDOWN:
      sock = app_socket (host, FALSE);
      if (sock == NULL)
        return EBADF;
      *socket_index = sock->index;
      if (sock->state == TL_STATE_CLOSED || sock->state == TL_STATE_LISTEN)
        return ENOTCONN;
      if (call->how != TL_SHUT_WR)
        sock->rcv_shutdown = TRUE;
      if (call->how != TL_SHUT_RD)
        tl_tcp_shutdown_write (sock, why);
      return 0;
    case TL_CALL_READ:
      return do_read (host, call, socket_index, bytes_read);
    case TL_CALL_CLOSE:
    case TL_CALL_ABORT:
      sock = close_target (host, call);
      if (sock == NULL)
        return EBADF;
      *socket_index = sock->index;
      if (call->kind == TL_CALL_ABORT)
        tl_tcp_abort (sock, why);
      else
        tl_tcp_close (sock, why);
      /* The descriptor is gone: later calls act on no socket, and the
       * slot is reused once the connection has fully ended. */
      if (host->app_socket == sock->index)
        host->app_socket = -1;
      if (host->listener == sock->index)
        host->listener = -1;
      if (sock->state == TL_STATE_CLOSED)
        tl_tcp_socket_reset (sock);
      return 0;
    case TL_CALL_NONE:
    case TL_CALL_ACCEPT:
    case TL_N_CALLS:
    default:
      return EINVAL;
    }
}

static void
on_call (gpointer data,
         guint64  arg)
{
  TlHost *host = data;
  const TlScenarioCall *call = &g_array_index (host->config->calls, TlScenarioCall, arg);
  TlTrace *trace = host->run->trace;
  guint32 index = tl_trace_get_n_records (trace);
  TlTraceRecord *rec;
  TlWhy why = { TL_CAUSE_CALL, index };
  guint8 socket_index = 0;
  gint64 bytes_read = 0;
  gint error;

  rec = tl_trace_append (trace, TL_REC_CALL, tl_host_now (host), host->index);
  rec->call = (guint8) call->kind;
  rec->arg = call->kind == TL_CALL_SEND ? call->value
             : call->kind == TL_CALL_SHUTDOWN ? call->how
             : call->kind == TL_CALL_SETSOCKOPT ? call->value : 0;
  error = perform (host, call, why, &socket_index, &bytes_read);
  /* The record may have moved if the call appended records. */
  rec = &g_array_index (trace->records, TlTraceRecord, index);
  if (call->kind == TL_CALL_READ)
    rec->arg = bytes_read;
  rec->error = error;
  rec->socket = socket_index;
  if (call->kind == TL_CALL_CONNECT && error == EINPROGRESS)
    {
      host->sockets[socket_index].connect_call = index;
    }
}

void
tl_host_schedule_calls (TlHost *host)
{
  GArray *calls = host->config->calls;

  for (guint i = 0; calls != NULL && i < calls->len; i++)
    tl_sim_schedule (host->run->sim, g_array_index (calls, TlScenarioCall, i).at,
                     on_call, host, i);
}

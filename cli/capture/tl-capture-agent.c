/* tl-capture-agent.c: the hosts' applications: socket calls on time.
 *
 * Each scheduled call runs when its time comes, in this process, on
 * sockets created inside the host's namespace (a socket belongs to the
 * namespace it was created in, whichever thread uses it later).  Every
 * socket is non-blocking: a connect() that is in progress finishes when
 * poll() says the socket is writable, and SO_ERROR tells how.  A listener
 * accepts connections as they come when the scenario has no accept call
 * of its own.  Received data is always read, so a close() never turns
 * into a RST because data was left unread.
 *
 * Each call, completion, read and error is a line of calls.jsonl.
 */
#include "tl-capture-private.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define LISTEN_BACKLOG 16

/* ---- the log ---- */

void
tl_json_append_string (GString    *out,
                       const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;
      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

const char *
tl_capture_errno_name (int error)
{
  const char *name = tl_errno_to_string (error);

  if (g_str_equal (name, "EUNKNOWN") && error != 0)
    {
      const char *libc = strerrorname_np (error);
      if (libc != NULL)
        return libc;
    }
  return name;
}

static void
format_addr (guint32 addr,
             char    out[16])
{
  g_snprintf (out, 16, "%u.%u.%u.%u", addr >> 24, (addr >> 16) & 0xff, (addr >> 8) & 0xff, addr & 0xff);
}

/* Starts a line: {"time_ns":T,"host":"A","socket":N,"call":"connect","event":"call" */
static GString *
log_begin (TlCapture     *capture,
           TlTime         time,
           TlCaptureHost *host,
           gint           socket,
           TlCallKind     call,
           const char    *event)
{
  GString *out = capture->calls_log;

  g_string_append_printf (out, "{\"time_ns\":%" G_GINT64_FORMAT ",\"host\":", time);
  tl_json_append_string (out, host->name);
  if (socket >= 0)
    g_string_append_printf (out, ",\"socket\":%d", socket);
  g_string_append_printf (out, ",\"call\":\"%s\",\"event\":\"%s\"", tl_call_to_string (call), event);
  tl_capture_touch (capture, time);
  return out;
}

static void
log_result (GString *out,
            gint64   result,
            int      error)
{
  g_string_append_printf (out, ",\"result\":%" G_GINT64_FORMAT ",\"errno\":%d,\"error\":\"%s\"}\n",
                          result, error, tl_capture_errno_name (error));
}

/* ---- sockets ---- */

static TlCaptureSocket *
socket_new (TlCaptureHost *host,
            int            fd)
{
  TlCaptureSocket *sock = g_new0 (TlCaptureSocket, 1);

  sock->index = host->sockets->len;
  sock->fd = fd;
  g_ptr_array_add (host->sockets, sock);
  return sock;
}

static void
socket_free (gpointer data)
{
  TlCaptureSocket *sock = data;

  if (sock->fd >= 0)
    close (sock->fd);
  if (sock->unsent != NULL)
    g_byte_array_unref (sock->unsent);
  g_free (sock);
}

static void
socket_close (TlCaptureSocket *sock)
{
  if (sock->fd >= 0)
    close (sock->fd);
  sock->fd = -1;
  sock->connecting = FALSE;
  g_clear_pointer (&sock->unsent, g_byte_array_unref);
}

/* The socket bind, listen and connect use; made on first need, with
 * SO_REUSEADDR like any server or simultaneous-open program sets. */
static TlCaptureSocket *
main_socket (TlCapture     *capture,
             TlCaptureHost *host,
             int           *error)
{
  int fd, one = 1;

  if (host->main != NULL && host->main->fd >= 0)
    return host->main;
  fd = tl_netns_socket (&host->ns, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP);
  if (fd < 0)
    {
      *error = errno;
      return NULL;
    }
  setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  host->main = socket_new (host, fd);
  return host->main;
}

/* Where send, shutdown, close and abort go: the accepted connection if
 * there is one, else the socket that connected. */
static TlCaptureSocket *
connection_socket (TlCaptureHost *host)
{
  return host->conn != NULL ? host->conn : host->main;
}

static struct sockaddr_in
make_sockaddr (guint32 addr,
               guint16 port)
{
  struct sockaddr_in sin = { 0 };

  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl (addr);
  sin.sin_port = htons (port);
  return sin;
}

static int
do_bind (TlCaptureHost   *host,
         TlCaptureSocket *sock)
{
  struct sockaddr_in sin = make_sockaddr (host->addr, host->port);

  if (bind (sock->fd, (struct sockaddr *) &sin, sizeof sin) < 0)
    return errno;
  sock->bound = TRUE;
  return 0;
}

static void
note_life (TlCaptureHost   *host,
           TlTime           time,
           TlCallKind       kind,
           TlCaptureSocket *sock)
{
  TlCaptureLife life = { time, (guint8) kind, sock->index, sock->peer_addr, sock->peer_port };

  g_array_append_val (host->lives, life);
}

/* ---- the calls ---- */

static int
set_option (TlCaptureSocket      *sock,
            const TlScenarioCall *call)
{
  int value = (int) CLAMP (call->value, G_MININT, G_MAXINT);
  struct linger linger = { call->value != 0, 0 };
  int r;

  switch (call->option)
    {
    case TL_SOCKOPT_SYNCNT:
      r = setsockopt (sock->fd, IPPROTO_TCP, TCP_SYNCNT, &value, sizeof value);
      break;
    case TL_SOCKOPT_LINGER_ZERO:
      r = setsockopt (sock->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
      break;
    case TL_SOCKOPT_NODELAY:
      r = setsockopt (sock->fd, IPPROTO_TCP, TCP_NODELAY, &value, sizeof value);
      break;
    default:
      return EINVAL;
    }
  return r < 0 ? errno : 0;
}

static const char *
option_name (TlSockopt option)
{
  switch (option)
    {
    case TL_SOCKOPT_SYNCNT: return "TCP_SYNCNT";
    case TL_SOCKOPT_LINGER_ZERO: return "SO_LINGER";
    case TL_SOCKOPT_NODELAY: return "TCP_NODELAY";
    default: return "?";
    }
}

static void
accept_ready (TlCapture     *capture,
              TlCaptureHost *host,
              gboolean       automatic);

/* Sends what is left of SOCK's data; returns bytes taken or -errno. */
static gssize
flush_unsent (TlCaptureSocket *sock)
{
  gssize total = 0;

  while (sock->unsent != NULL && sock->unsent->len > 0)
    {
      ssize_t n = send (sock->fd, sock->unsent->data, sock->unsent->len, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return errno == EAGAIN ? total : -errno;
      g_byte_array_remove_range (sock->unsent, 0, (guint) n);
      total += n;
    }
  return total;
}

static guint64 drain      (TlCaptureSocket *sock,
                           gboolean        *eof,
                           int             *error);
static void    read_ready (TlCapture       *capture,
                           TlCaptureHost   *host,
                           TlCaptureSocket *sock);

static void
run_call (TlCapture            *capture,
          TlCaptureHost        *host,
          const TlScenarioCall *call)
{
  TlCaptureSocket *sock = NULL;
  GString *out;
  gint64 result = 0;
  int error = 0;
  TlTime now;
  char addr[16];

  switch (call->kind)
    {
    case TL_CALL_SETSOCKOPT:
      sock = host->conn != NULL && host->conn->fd >= 0 ? host->conn : main_socket (capture, host, &error);
      now = tl_capture_now (capture);
      if (sock != NULL)
        error = set_option (sock, call);
      out = log_begin (capture, now, host, sock ? (gint) sock->index : -1, call->kind, "call");
      g_string_append_printf (out, ",\"args\":{\"option\":\"%s\",\"value\":%" G_GINT64_FORMAT "}",
                              option_name (call->option), call->value);
      break;

    case TL_CALL_BIND:
      sock = main_socket (capture, host, &error);
      now = tl_capture_now (capture);
      if (sock != NULL)
        error = do_bind (host, sock);
      out = log_begin (capture, now, host, sock ? (gint) sock->index : -1, call->kind, "call");
      format_addr (host->addr, addr);
      g_string_append_printf (out, ",\"args\":{\"addr\":\"%s\",\"port\":%u}", addr, host->port);
      break;

    case TL_CALL_LISTEN:
      {
        gboolean implicit = FALSE;
        sock = main_socket (capture, host, &error);
        if (sock != NULL && !sock->bound)
          {
            /* Listening on the host's port means binding it first. */
            implicit = TRUE;
            error = do_bind (host, sock);
          }
        now = tl_capture_now (capture);
        if (sock != NULL && error == 0)
          {
            error = listen (sock->fd, LISTEN_BACKLOG) < 0 ? errno : 0;
            if (error == 0)
              {
                sock->listening = TRUE;
                host->listener = sock;
                note_life (host, now, TL_CALL_LISTEN, sock);
              }
          }
        out = log_begin (capture, now, host, sock ? (gint) sock->index : -1, call->kind, "call");
        g_string_append_printf (out, ",\"args\":{\"backlog\":%d,\"implicit_bind\":%s}",
                                LISTEN_BACKLOG, implicit ? "true" : "false");
        break;
      }

    case TL_CALL_CONNECT:
      {
        const TlCaptureHost *peer = &capture->hosts[CLAMP (call->peer, 0, TL_MAX_HOSTS - 1)];
        struct sockaddr_in sin = make_sockaddr (peer->addr, peer->port);
        gboolean implicit = FALSE;

        sock = main_socket (capture, host, &error);
        if (sock != NULL && !sock->bound)
          {
            /* The scenario's host has one port: connect from it, as the
             * simulator does, rather than from an ephemeral one. */
            implicit = TRUE;
            error = do_bind (host, sock);
          }
        now = tl_capture_now (capture);
        if (sock != NULL && error == 0)
          {
            sock->peer_addr = peer->addr;
            sock->peer_port = peer->port;
            note_life (host, now, TL_CALL_CONNECT, sock);
            if (connect (sock->fd, (struct sockaddr *) &sin, sizeof sin) < 0)
              error = errno;
            if (error == EINPROGRESS)
              sock->connecting = TRUE;
            else if (error == 0)
              sock->connected = TRUE;
          }
        out = log_begin (capture, now, host, sock ? (gint) sock->index : -1, call->kind, "call");
        format_addr (peer->addr, addr);
        g_string_append_printf (out, ",\"args\":{\"addr\":\"%s\",\"port\":%u,\"implicit_bind\":%s}",
                                addr, peer->port, implicit ? "true" : "false");
        result = error == 0 ? 0 : -1;
        break;
      }

    case TL_CALL_ACCEPT:
      now = tl_capture_now (capture);
      if (host->listener == NULL || host->listener->fd < 0)
        {
          error = host->listener == NULL ? EINVAL : EBADF;
          out = log_begin (capture, now, host, -1, call->kind, "call");
          result = -1;
          break;
        }
      /* Logged as made now; the connection comes with a "result" line
       * (at once if one is already waiting). */
      out = log_begin (capture, now, host, (gint) host->listener->index, call->kind, "call");
      g_string_append_printf (out, ",\"args\":{},\"pending\":true,\"scheduled_ns\":%" G_GINT64_FORMAT, call->at);
      log_result (out, 0, 0);
      host->pending_accepts++;
      accept_ready (capture, host, FALSE);
      return;

    case TL_CALL_SEND:
      {
        gsize length = call->data != NULL ? g_bytes_get_size (call->data) : (gsize) MAX (call->value, 0);
        gssize taken;

        sock = connection_socket (host);
        now = tl_capture_now (capture);
        if (sock == NULL || sock->fd < 0)
          error = EBADF;
        else
          {
            if (sock->unsent == NULL)
              sock->unsent = g_byte_array_new ();
            if (call->data != NULL)
              g_byte_array_append (sock->unsent, g_bytes_get_data (call->data, NULL), (guint) length);
            else
              {
                guint old = sock->unsent->len;
                g_byte_array_set_size (sock->unsent, old + (guint) length);
                memset (sock->unsent->data + old, 0, length);
              }
            taken = flush_unsent (sock);
            if (taken < 0)
              {
                error = (int) -taken;
                g_byte_array_set_size (sock->unsent, 0);
              }
            else
              result = taken;
            sock->send_call = call->ordinal;
          }
        out = log_begin (capture, now, host, sock ? (gint) sock->index : -1, call->kind, "call");
        g_string_append_printf (out, ",\"args\":{\"bytes\":%" G_GSIZE_FORMAT "}", length);
        if (error != 0)
          result = -1;
        break;
      }

    case TL_CALL_SHUTDOWN:
      {
        static const int hows[] = { SHUT_RD, SHUT_WR, SHUT_RDWR };
        static const char *const how_names[] = { "SHUT_RD", "SHUT_WR", "SHUT_RDWR" };
        guint how = MIN ((guint) call->how, 2);

        sock = connection_socket (host);
        now = tl_capture_now (capture);
        if (sock == NULL || sock->fd < 0)
          error = EBADF;
        else if (shutdown (sock->fd, hows[how]) < 0)
          error = errno;
        out = log_begin (capture, now, host, sock ? (gint) sock->index : -1, call->kind, "call");
        g_string_append_printf (out, ",\"args\":{\"how\":\"%s\"}", how_names[how]);
        result = error == 0 ? 0 : -1;
        break;
      }

    case TL_CALL_CLOSE:
    case TL_CALL_ABORT:
      sock = call->on_listener ? host->listener : connection_socket (host);
      if (sock != NULL && sock->fd >= 0 && call->kind == TL_CALL_ABORT)
        {
          /* An abort is close() with SO_LINGER {1, 0}: a RST, no FIN. */
          struct linger linger = { 1, 0 };
          setsockopt (sock->fd, SOL_SOCKET, SO_LINGER, &linger, sizeof linger);
        }
      now = tl_capture_now (capture);
      if (sock == NULL || sock->fd < 0)
        error = EBADF;
      else
        {
          if (close (sock->fd) < 0)
            error = errno;
          sock->fd = -1;
          socket_close (sock);
        }
      out = log_begin (capture, now, host, sock ? (gint) sock->index : -1, call->kind, "call");
      g_string_append_printf (out, ",\"args\":{\"listener\":%s}", call->on_listener ? "true" : "false");
      result = error == 0 ? 0 : -1;
      break;

    case TL_CALL_READ:
      {
        static const char *const mode_names[] = { "now", "off", "on" };
        guint64 bytes = 0;
        gboolean eof = FALSE;

        sock = connection_socket (host);
        now = tl_capture_now (capture);
        if (call->value != TL_READ_NOW)
          host->reads_off = call->value == TL_READ_OFF;
        else if (sock == NULL || sock->fd < 0)
          error = EBADF;
        else if (!sock->read_done)
          {
            bytes = drain (sock, &eof, &error);
            sock->read_done = eof || error != 0;
          }
        out = log_begin (capture, now, host, sock ? (gint) sock->index : -1, call->kind, "call");
        g_string_append_printf (out, ",\"args\":{\"mode\":\"%s\"",
                                mode_names[CLAMP (call->value, 0, 2)]);
        if (call->value == TL_READ_NOW)
          g_string_append_printf (out, ",\"bytes\":%" G_GUINT64_FORMAT, bytes);
        g_string_append_c (out, '}');
        result = error == 0 ? 0 : -1;
        /* Resuming reads what waits, as data arriving would be. */
        if (call->value == TL_READ_ON && sock != NULL && sock->fd >= 0 && sock->connected
            && !sock->read_done)
          read_ready (capture, host, sock);
        break;
      }

    case TL_CALL_NONE:
    case TL_N_CALLS:
    default:
      now = tl_capture_now (capture);
      out = log_begin (capture, now, host, -1, call->kind, "call");
      error = EINVAL;
      result = -1;
      break;
    }

  g_string_append_printf (out, ",\"scheduled_ns\":%" G_GINT64_FORMAT, call->at);
  if (result < 0 && error == 0)
    error = EINVAL;
  log_result (out, error != 0 ? -1 : result, error);
  capture->max_call_late = MAX (capture->max_call_late, now - call->at);
}

static void
on_call (gpointer data,
         guint64  arg)
{
  TlCapture *capture = data;
  TlCaptureHost *host = &capture->hosts[arg >> 32];
  guint index = (guint) (arg & 0xffffffffu);
  const TlScenarioCall *call = &g_array_index (capture->scenario->hosts[host->index].calls,
                                               TlScenarioCall, index);

  run_call (capture, host, call);
  host->calls_left--;
  /* The kernel sends inside the call (a SYN inside connect(), a FIN inside
   * close()): take it now, so its time is when it was sent. */
  tl_capture_wire_read (capture, host->index);
}

/* ---- what poll() reports ---- */

static void
accept_ready (TlCapture     *capture,
              TlCaptureHost *host,
              gboolean       automatic)
{
  TlCaptureSocket *listener = host->listener;

  while (listener != NULL && listener->fd >= 0 && (automatic || host->pending_accepts > 0))
    {
      struct sockaddr_in peer;
      socklen_t peer_len = sizeof peer;
      int fd = accept4 (listener->fd, (struct sockaddr *) &peer, &peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      TlTime now = tl_capture_now (capture);
      TlCaptureSocket *sock;
      GString *out;
      char addr[16];

      if (fd < 0 && (errno == EAGAIN || errno == EINTR))
        return;
      if (fd < 0)
        {
          int error = errno;
          out = log_begin (capture, now, host, (gint) listener->index, TL_CALL_ACCEPT,
                           automatic ? "call" : "result");
          if (automatic)
            g_string_append (out, ",\"auto\":true");
          log_result (out, -1, error);
          if (!automatic)
            host->pending_accepts--;
          /* ECONNABORTED and friends: the next connection may still come. */
          if (error != ECONNABORTED && error != EPROTO)
            return;
          continue;
        }
      sock = socket_new (host, fd);
      sock->accepted = TRUE;
      sock->connected = TRUE;
      sock->bound = TRUE;
      sock->peer_addr = ntohl (peer.sin_addr.s_addr);
      sock->peer_port = ntohs (peer.sin_port);
      host->conn = sock;
      note_life (host, now, TL_CALL_ACCEPT, sock);

      format_addr (sock->peer_addr, addr);
      if (automatic)
        {
          /* No accept call in the scenario: the harness accepts on its
           * behalf, logged as an accept call made now. */
          out = log_begin (capture, now, host, (gint) listener->index, TL_CALL_ACCEPT, "call");
          g_string_append_printf (out, ",\"auto\":true,\"args\":{}");
        }
      else
        {
          out = log_begin (capture, now, host, (gint) listener->index, TL_CALL_ACCEPT, "result");
          host->pending_accepts--;
        }
      g_string_append_printf (out, ",\"new_socket\":%u,\"peer\":{\"addr\":\"%s\",\"port\":%u}",
                              sock->index, addr, sock->peer_port);
      log_result (out, sock->index, 0);
    }
}

static void
connect_done (TlCapture       *capture,
              TlCaptureHost   *host,
              TlCaptureSocket *sock)
{
  int error = 0;
  socklen_t length = sizeof error;
  TlTime now = tl_capture_now (capture);
  GString *out;

  if (getsockopt (sock->fd, SOL_SOCKET, SO_ERROR, &error, &length) < 0)
    error = errno;
  sock->connecting = FALSE;
  sock->connected = error == 0;
  out = log_begin (capture, now, host, (gint) sock->index, TL_CALL_CONNECT, "result");
  log_result (out, error == 0 ? 0 : -1, error);
}

/* Reads all SOCK holds now: the byte count, and whether the stream ended
 * (*EOF) or failed (*ERROR). */
static guint64
drain (TlCaptureSocket *sock,
       gboolean        *eof,
       int             *error)
{
  guint8 buffer[65536];
  guint64 total = 0;

  *eof = FALSE;
  *error = 0;
  for (;;)
    {
      ssize_t n = recv (sock->fd, buffer, sizeof buffer, MSG_DONTWAIT);
      if (n > 0)
        {
          total += (guint64) n;
          continue;
        }
      if (n == 0)
        *eof = TRUE;
      else if (errno == EINTR)
        continue;
      else if (errno != EAGAIN)
        *error = errno;
      break;
    }
  sock->bytes_read += total;
  return total;
}

static void
read_ready (TlCapture       *capture,
            TlCaptureHost   *host,
            TlCaptureSocket *sock)
{
  int error;
  gboolean eof;
  TlTime now = tl_capture_now (capture);
  guint64 total = drain (sock, &eof, &error);
  GString *out;

  if (total > 0)
    {
      out = log_begin (capture, now, host, (gint) sock->index, TL_CALL_NONE, "read");
      g_string_append_printf (out, ",\"bytes\":%" G_GUINT64_FORMAT "}\n", total);
    }
  if (eof || error != 0)
    {
      /* Both stick: stop asking, or poll() would report them forever. */
      sock->read_done = TRUE;
      out = log_begin (capture, now, host, (gint) sock->index, TL_CALL_NONE, eof ? "eof" : "error");
      if (eof)
        g_string_append (out, "}\n");
      else
        log_result (out, -1, error);
    }
}

static void
write_ready (TlCapture       *capture,
             TlCaptureHost   *host,
             TlCaptureSocket *sock)
{
  gssize taken = flush_unsent (sock);
  GString *out;

  if (taken < 0)
    {
      out = log_begin (capture, tl_capture_now (capture), host, (gint) sock->index, TL_CALL_SEND, "error");
      log_result (out, -1, (int) -taken);
      g_byte_array_set_size (sock->unsent, 0);
    }
}

void
tl_capture_agent_poll (TlCapture *capture,
                       GArray    *pollfds,
                       GArray    *tags)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      TlCaptureHost *host = &capture->hosts[h];

      for (guint i = 0; i < host->sockets->len; i++)
        {
          TlCaptureSocket *sock = g_ptr_array_index (host->sockets, i);
          struct pollfd pfd = { sock->fd, 0, 0 };
          guint tag = (h << 16) | i;

          if (sock->fd < 0)
            continue;
          if (sock->connecting)
            pfd.events |= POLLOUT;
          else if (sock->listening)
            {
              if (host->auto_accept || host->pending_accepts > 0)
                pfd.events |= POLLIN;
            }
          else if (sock->connected)
            {
              if (!sock->read_done && !host->reads_off)
                pfd.events |= POLLIN;
              if (sock->unsent != NULL && sock->unsent->len > 0)
                pfd.events |= POLLOUT;
            }
          if (pfd.events == 0)
            continue;
          g_array_append_val (pollfds, pfd);
          g_array_append_val (tags, tag);
        }
    }
}

void
tl_capture_agent_ready (TlCapture *capture,
                        guint      tag,
                        short      revents)
{
  TlCaptureHost *host = &capture->hosts[tag >> 16];
  TlCaptureSocket *sock = g_ptr_array_index (host->sockets, tag & 0xffff);

  if (sock->fd < 0)
    return;
  if (sock->connecting)
    {
      if (revents & (POLLOUT | POLLERR | POLLHUP))
        connect_done (capture, host, sock);
      return;
    }
  if (sock->listening)
    {
      accept_ready (capture, host, host->auto_accept);
      return;
    }
  if ((revents & (POLLIN | POLLERR | POLLHUP)) && !sock->read_done && !host->reads_off)
    read_ready (capture, host, sock);
  if ((revents & POLLOUT) && sock->fd >= 0 && sock->unsent != NULL && sock->unsent->len > 0)
    write_ready (capture, host, sock);
}

/* ---- setting up ---- */

/* Makes the first call on time: the first bind() in a namespace costs
 * the kernel a quarter of a millisecond, and creating a socket means two
 * setns().  Both are done before time 0, where nobody sees them (neither
 * makes a packet or a state change). */
static void
prepare_socket (TlCapture     *capture,
                TlCaptureHost *host)
{
  int error = 0;
  int fd = tl_netns_socket (&host->ns, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, IPPROTO_TCP);

  if (fd >= 0)
    {
      struct sockaddr_in sin = make_sockaddr (host->addr, host->port);
      int one = 1;
      setsockopt (fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
      (void) !bind (fd, (struct sockaddr *) &sin, sizeof sin);
      close (fd);
    }
  main_socket (capture, host, &error);
}

void
tl_capture_agent_init (TlCapture *capture)
{
  const TlScenario *scenario = capture->scenario;

  capture->calls_log = g_string_new (NULL);
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      TlCaptureHost *host = &capture->hosts[h];
      GArray *calls = scenario->hosts[h].calls;

      host->sockets = g_ptr_array_new_with_free_func (socket_free);
      host->lives = g_array_new (FALSE, FALSE, sizeof (TlCaptureLife));
      host->auto_accept = TRUE;
      host->calls_left = calls != NULL ? calls->len : 0;
      if (host->calls_left > 0)
        prepare_socket (capture, host);
      for (guint i = 0; calls != NULL && i < calls->len; i++)
        {
          const TlScenarioCall *call = &g_array_index (calls, TlScenarioCall, i);
          if (call->kind == TL_CALL_ACCEPT)
            host->auto_accept = FALSE;
          tl_event_queue_push (capture->queue, call->at, on_call, capture, ((guint64) h << 32) | i);
        }
    }
}

gboolean
tl_capture_agent_done (const TlCapture *capture)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    if (capture->hosts[h].calls_left > 0)
      return FALSE;
  return TRUE;
}

void
tl_capture_agent_clear (TlCapture *capture)
{
  for (guint h = 0; h < TL_MAX_HOSTS; h++)
    {
      TlCaptureHost *host = &capture->hosts[h];
      g_clear_pointer (&host->sockets, g_ptr_array_unref);
      g_clear_pointer (&host->lives, g_array_unref);
      host->main = host->listener = host->conn = NULL;
    }
  if (capture->calls_log != NULL)
    g_string_free (capture->calls_log, TRUE);
  capture->calls_log = NULL;
}

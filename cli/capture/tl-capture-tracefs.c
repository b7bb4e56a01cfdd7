/* tl-capture-tracefs.c: sock:inet_sock_set_state through a tracefs instance. */
#include "tl-capture-tracefs.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#define EVENT_DIR "events/sock/inet_sock_set_state"

static const char *const kernel_state_names[] = {
  [TL_KSTATE_ESTABLISHED] = "TCP_ESTABLISHED",
  [TL_KSTATE_SYN_SENT] = "TCP_SYN_SENT",
  [TL_KSTATE_SYN_RECV] = "TCP_SYN_RECV",
  [TL_KSTATE_FIN_WAIT1] = "TCP_FIN_WAIT1",
  [TL_KSTATE_FIN_WAIT2] = "TCP_FIN_WAIT2",
  [TL_KSTATE_TIME_WAIT] = "TCP_TIME_WAIT",
  [TL_KSTATE_CLOSE] = "TCP_CLOSE",
  [TL_KSTATE_CLOSE_WAIT] = "TCP_CLOSE_WAIT",
  [TL_KSTATE_LAST_ACK] = "TCP_LAST_ACK",
  [TL_KSTATE_LISTEN] = "TCP_LISTEN",
  [TL_KSTATE_CLOSING] = "TCP_CLOSING",
  [TL_KSTATE_NEW_SYN_RECV] = "TCP_NEW_SYN_RECV",
};

const char *
tl_kernel_state_to_string (gint state)
{
  if (state > 0 && state < (gint) G_N_ELEMENTS (kernel_state_names))
    return kernel_state_names[state];
  return "TCP_UNKNOWN";
}

static gint
kernel_state_from_string (const char *name)
{
  for (guint i = 1; i < G_N_ELEMENTS (kernel_state_names); i++)
    if (g_strcmp0 (kernel_state_names[i], name) == 0)
      return (gint) i;
  return -1;
}

/* ---- finding and setting up ---- */

static gboolean
has_event (const char *root)
{
  g_autofree char *path = g_build_filename (root, EVENT_DIR, NULL);

  return g_file_test (path, G_FILE_TEST_IS_DIR);
}

char *
tl_tracefs_find_root (GError **error)
{
  static const char *const candidates[] = { "/sys/kernel/tracing", "/sys/kernel/debug/tracing" };

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *instances = g_build_filename (candidates[i], "instances", NULL);
      if (g_file_test (instances, G_FILE_TEST_IS_DIR))
        {
          if (has_event (candidates[i]))
            return g_strdup (candidates[i]);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "the kernel has no sock:inet_sock_set_state tracepoint (%s/%s is missing)",
                       candidates[i], EVENT_DIR);
          return NULL;
        }
    }

  /* Nobody mounted tracefs: do it where the kernel documents it.  It stays
   * mounted, like after any tracing tool; that changes nothing else. */
  if (mount ("tracefs", "/sys/kernel/tracing", "tracefs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "tracefs is not mounted and mounting it on /sys/kernel/tracing failed: %s",
                   g_strerror (saved));
      return NULL;
    }
  if (!has_event ("/sys/kernel/tracing"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   "the kernel has no sock:inet_sock_set_state tracepoint");
      return NULL;
    }
  return g_strdup ("/sys/kernel/tracing");
}

/* Writes VALUE to DIR/FILE.  Sets errno. */
static gboolean
write_control (const char *dir,
               const char *file,
               const char *value)
{
  g_autofree char *path = g_build_filename (dir, file, NULL);
  gsize length = strlen (value);
  ssize_t n;
  int fd, saved;

  fd = open (path, O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0)
    return FALSE;
  n = write (fd, value, length);
  saved = errno;
  close (fd);
  errno = n < 0 ? saved : EIO;
  return n == (ssize_t) length;
}

static char *
build_filter (const guint16 *ports,
              guint          n_ports)
{
  GString *filter = g_string_new ("family == 2 && protocol == 6 && (");

  for (guint i = 0; i < n_ports; i++)
    g_string_append_printf (filter, "%ssport == %u || dport == %u",
                            i > 0 ? " || " : "", ports[i], ports[i]);
  g_string_append (filter, ")");
  return g_string_free (filter, FALSE);
}

gboolean
tl_tracefs_open (TlTracefs      *tracefs,
                 const char     *root,
                 const char     *name,
                 const guint16  *ports,
                 guint           n_ports,
                 GError        **error)
{
  g_autofree char *filter = build_filter (ports, n_ports);
  g_autofree char *pipe_path = NULL;
  const char *step;

  tracefs->pipe_fd = -1;
  tracefs->partial = g_string_new (NULL);
  tracefs->root = g_strdup (root);
  tracefs->dir = g_build_filename (root, "instances", name, NULL);

  if (mkdir (tracefs->dir, 0700) < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create the tracefs instance %s: %s", tracefs->dir, g_strerror (saved));
      g_clear_pointer (&tracefs->dir, g_free);
      return FALSE;
    }

  step = "trace_clock";
  if (!write_control (tracefs->dir, "trace_clock", "mono"))
    goto fail;
  step = "buffer_size_kb";
  if (!write_control (tracefs->dir, "buffer_size_kb", "512"))
    goto fail;
  /* Wake a reader at the first event, not when the buffer is half full;
   * older kernels have no such file, and poll less eagerly there. */
  write_control (tracefs->dir, "buffer_percent", "0");
  /* "fields" prints every field, the socket's address among them, which
   * tells two sockets with the same ports apart.  Optional too. */
  write_control (tracefs->dir, "trace_options", "fields");
  step = "the event filter";
  if (!write_control (tracefs->dir, EVENT_DIR "/filter", filter))
    goto fail;
  step = "enabling the event";
  if (!write_control (tracefs->dir, EVENT_DIR "/enable", "1"))
    goto fail;

  pipe_path = g_build_filename (tracefs->dir, "trace_pipe", NULL);
  tracefs->pipe_fd = open (pipe_path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  step = "trace_pipe";
  if (tracefs->pipe_fd < 0)
    goto fail;
  return TRUE;

fail:
  {
    int saved = errno;
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "cannot set up the tracefs instance %s (%s): %s",
                 tracefs->dir, step, g_strerror (saved));
    tl_tracefs_close (tracefs);
    return FALSE;
  }
}

gboolean
tl_tracefs_remove_instance (const char *root,
                            const char *name)
{
  g_autofree char *dir = g_build_filename (root, "instances", name, NULL);

  write_control (dir, EVENT_DIR "/enable", "0");
  /* The instance is busy for a moment after its last reader closed. */
  for (guint attempt = 0; attempt < 50; attempt++)
    {
      if (rmdir (dir) == 0 || errno == ENOENT)
        return TRUE;
      if (errno != EBUSY)
        return FALSE;
      g_usleep (20000);
    }
  return FALSE;
}

void
tl_tracefs_close (TlTracefs *tracefs)
{
  if (tracefs->pipe_fd >= 0)
    close (tracefs->pipe_fd);
  tracefs->pipe_fd = -1;
  if (tracefs->dir != NULL)
    {
      g_autofree char *name = g_path_get_basename (tracefs->dir);
      if (!tl_tracefs_remove_instance (tracefs->root, name))
        g_warning ("capture: cannot remove the tracefs instance %s: %s",
                   tracefs->dir, g_strerror (errno));
    }
  g_clear_pointer (&tracefs->dir, g_free);
  g_clear_pointer (&tracefs->root, g_free);
  if (tracefs->partial != NULL)
    g_string_free (tracefs->partial, TRUE);
  tracefs->partial = NULL;
}

/* ---- reading ---- */

/* "659.673888" -> nanoseconds; any number of decimals up to 9. */
static gboolean
parse_timestamp (const char *text,
                 gsize       length,
                 TlTime     *out)
{
  guint64 seconds = 0, fraction = 0;
  guint digits = 0;
  gsize i = 0;

  if (length == 0)
    return FALSE;
  for (; i < length && g_ascii_isdigit (text[i]); i++)
    seconds = seconds * 10 + (guint64) (text[i] - '0');
  if (i == 0 || i >= length || text[i] != '.')
    return FALSE;
  for (i++; i < length && g_ascii_isdigit (text[i]); i++, digits++)
    if (digits < 9)
      fraction = fraction * 10 + (guint64) (text[i] - '0');
  if (i != length || digits == 0)
    return FALSE;
  for (; digits < 9; digits++)
    fraction *= 10;
  *out = (TlTime) (seconds * G_GUINT64_CONSTANT (1000000000) + fraction);
  return TRUE;
}

/* An IPv4 address as "10.0.0.1" or as the 4-byte array printed as a
 * number by the "fields" option (the bytes in memory order). */
static gboolean
parse_address (const char *value,
               guint32    *out)
{
  if (g_str_has_prefix (value, "0x"))
    {
      guint32 raw = (guint32) g_ascii_strtoull (value + 2, NULL, 16);
      guint8 b[4];
      memcpy (b, &raw, 4);
      *out = ((guint32) b[0] << 24) | ((guint32) b[1] << 16) | ((guint32) b[2] << 8) | b[3];
      return TRUE;
    }
  else
    {
      guint a, b, c, d;
      char tail;
      if (sscanf (value, "%u.%u.%u.%u%c", &a, &b, &c, &d, &tail) != 4
          || a > 255 || b > 255 || c > 255 || d > 255)
        return FALSE;
      *out = (a << 24) | (b << 16) | (c << 8) | d;
      return TRUE;
    }
}

/* A number as "0x1f" ("fields") or "31" (the default format). */
static gboolean
parse_number (const char *value,
              guint64    *out)
{
  char *end;

  if (g_str_has_prefix (value, "0x"))
    *out = g_ascii_strtoull (value + 2, &end, 16);
  else
    *out = g_ascii_strtoull (value, &end, 10);
  return end != value && *end == '\0';
}

static gboolean
parse_state (const char *value,
             gint       *out)
{
  guint64 number;

  if (g_str_has_prefix (value, "TCP_"))
    *out = kernel_state_from_string (value);
  else if (parse_number (value, &number) && number < 64)
    *out = (gint) number;
  else
    return FALSE;
  return *out > 0;
}

gboolean
tl_tracefs_parse_line (const char   *line,
                       TlStateEvent *event)
{
  static const char marker[] = ": inet_sock_set_state: ";
  const char *at = strstr (line, marker);
  const char *stamp;
  g_auto (GStrv) tokens = NULL;
  guint seen = 0;
  guint64 number;

  memset (event, 0, sizeof *event);
  if (at == NULL)
    return FALSE;
  /* The timestamp is the last word before the marker. */
  for (stamp = at; stamp > line && stamp[-1] != ' '; stamp--)
    ;
  if (!parse_timestamp (stamp, (gsize) (at - stamp), &event->time))
    return FALSE;

  tokens = g_strsplit (at + strlen (marker), " ", -1);
  for (guint i = 0; tokens[i] != NULL; i++)
    {
      char *eq = strchr (tokens[i], '=');
      const char *key, *value;
      if (eq == NULL)
        continue;   /* "(123)", the decimal echo of the "fields" option */
      *eq = '\0';
      key = tokens[i];
      value = eq + 1;
      if (g_str_equal (key, "skaddr") && parse_number (value, &number))
        event->skaddr = number;
      else if (g_str_equal (key, "oldstate") && parse_state (value, &event->old_state))
        seen |= 1;
      else if (g_str_equal (key, "newstate") && parse_state (value, &event->new_state))
        seen |= 2;
      else if (g_str_equal (key, "sport") && parse_number (value, &number) && number <= G_MAXUINT16)
        event->sport = (guint16) number, seen |= 4;
      else if (g_str_equal (key, "dport") && parse_number (value, &number) && number <= G_MAXUINT16)
        event->dport = (guint16) number, seen |= 8;
      else if (g_str_equal (key, "saddr") && parse_address (value, &event->saddr))
        seen |= 16;
      else if (g_str_equal (key, "daddr") && parse_address (value, &event->daddr))
        seen |= 32;
    }
  return seen == 63;
}

gboolean
tl_tracefs_read (TlTracefs  *tracefs,
                 GArray     *events,
                 guint      *n_bad,
                 GError    **error)
{
  char buffer[8192];

  if (tracefs->pipe_fd < 0)
    return TRUE;
  for (;;)
    {
      ssize_t n = read (tracefs->pipe_fd, buffer, sizeof buffer);
      char *line, *newline;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && errno == EAGAIN)
        return TRUE;
      if (n < 0)
        {
          int saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "cannot read %s/trace_pipe: %s", tracefs->dir, g_strerror (saved));
          return FALSE;
        }
      if (n == 0)
        return TRUE;
      g_string_append_len (tracefs->partial, buffer, n);

      line = tracefs->partial->str;
      while ((newline = strchr (line, '\n')) != NULL)
        {
          TlStateEvent event;
          *newline = '\0';
          if (tl_tracefs_parse_line (line, &event))
            g_array_append_val (events, event);
          else if (*line != '\0' && n_bad != NULL)
            (*n_bad)++;
          line = newline + 1;
        }
      g_string_erase (tracefs->partial, 0, line - tracefs->partial->str);
    }
}

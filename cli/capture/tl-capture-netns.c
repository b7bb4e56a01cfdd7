/* tl-capture-netns.c: named network namespaces, TUN devices and sysctls. */
#include "tl-capture-netns.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define SELF_NETNS "/proc/thread-self/ns/net"

/* ---- visiting a namespace ---- */

/* Moves this thread into NS; *HOME keeps the way back.  Sets errno. */
static gboolean
visit_begin (const TlNetns *ns,
             int           *home)
{
  int saved;

  *home = open (SELF_NETNS, O_RDONLY | O_CLOEXEC);
  if (*home < 0)
    return FALSE;
  if (setns (ns->fd, CLONE_NEWNET) < 0)
    {
      saved = errno;
      close (*home);
      errno = saved;
      return FALSE;
    }
  return TRUE;
}

/* Comes back, keeping errno from what was done inside. */
static void
visit_end (int home)
{
  int saved = errno;

  /* Going back to where we came from cannot fail short of a kernel bug,
   * and going on in a host's namespace would put the next host's sockets
   * in the wrong place: better stop. */
  if (setns (home, CLONE_NEWNET) < 0)
    g_error ("capture: cannot return to the original network namespace: %s",
             g_strerror (errno));
  close (home);
  errno = saved;
}

/* ---- creating and removing ---- */

/* /run/netns as `ip netns` sets it up: a shared mount, so a namespace
 * mounted in it is seen from every mount namespace. */
static gboolean
ensure_netns_dir (GError **error)
{
  gboolean bound = FALSE;

  if (g_mkdir_with_parents (TL_NETNS_DIR, 0755) < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create %s: %s", TL_NETNS_DIR, g_strerror (saved));
      return FALSE;
    }
  while (mount ("", TL_NETNS_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
    {
      int saved = errno;
      if (saved != EINVAL || bound)
        {
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "cannot make %s a shared mount: %s", TL_NETNS_DIR, g_strerror (saved));
          return FALSE;
        }
      /* Not a mount point yet: bind it on itself first. */
      if (mount (TL_NETNS_DIR, TL_NETNS_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
        {
          saved = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       "cannot bind-mount %s: %s", TL_NETNS_DIR, g_strerror (saved));
          return FALSE;
        }
      bound = TRUE;
    }
  return TRUE;
}

gboolean
tl_netns_create (TlNetns     *ns,
                 const char  *name,
                 GError     **error)
{
  g_autofree char *path = g_build_filename (TL_NETNS_DIR, name, NULL);
  int home, fd, saved;

  ns->fd = -1;
  if (!ensure_netns_dir (error))
    return FALSE;

  fd = open (path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  close (fd);

  home = open (SELF_NETNS, O_RDONLY | O_CLOEXEC);
  if (home < 0 || unshare (CLONE_NEWNET) < 0)
    {
      saved = errno;
      if (home >= 0)
        close (home);
      unlink (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create a network namespace: %s", g_strerror (saved));
      return FALSE;
    }
  /* This thread is now in the new namespace: pin it by name, keep an fd. */
  if (mount (SELF_NETNS, path, "none", MS_BIND, NULL) < 0
      || (ns->fd = open (SELF_NETNS, O_RDONLY | O_CLOEXEC)) < 0)
    {
      saved = errno;
      visit_end (home);
      umount2 (path, MNT_DETACH);
      unlink (path);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot mount the network namespace on %s: %s", path, g_strerror (saved));
      return FALSE;
    }
  visit_end (home);

  ns->name = g_strdup (name);
  ns->path = g_steal_pointer (&path);
  return TRUE;
}

gboolean
tl_netns_remove_name (const char *name)
{
  g_autofree char *path = g_build_filename (TL_NETNS_DIR, name, NULL);

  /* EINVAL: not mounted any more, the unlink still has to happen. */
  if (umount2 (path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
    return FALSE;
  if (unlink (path) < 0 && errno != ENOENT)
    return FALSE;
  return TRUE;
}

void
tl_netns_destroy (TlNetns *ns)
{
  if (ns->name != NULL && !tl_netns_remove_name (ns->name))
    g_warning ("capture: cannot remove %s: %s", ns->path, g_strerror (errno));
  if (ns->fd >= 0)
    close (ns->fd);
  ns->fd = -1;
  g_clear_pointer (&ns->name, g_free);
  g_clear_pointer (&ns->path, g_free);
}

/* ---- things made inside ---- */

int
tl_netns_socket (const TlNetns *ns,
                 int            domain,
                 int            type,
                 int            protocol)
{
  int home, fd;

  if (!visit_begin (ns, &home))
    return -1;
  fd = socket (domain, type | SOCK_CLOEXEC, protocol);
  visit_end (home);
  return fd;
}

int
tl_netns_open_tun (const TlNetns *ns,
                   const char    *ifname,
                   GError       **error)
{
  struct ifreq ifr;
  int home, fd, saved;

  if (strlen (ifname) >= IFNAMSIZ)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "interface name %s is too long", ifname);
      return -1;
    }
  if (!visit_begin (ns, &home))
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot enter %s: %s", ns->name, g_strerror (saved));
      return -1;
    }
  fd = open ("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd >= 0)
    {
      memset (&ifr, 0, sizeof ifr);
      /* IFF_NO_PI: bare IP packets; no IFF_VNET_HDR, so no offloads: the
       * kernel hands over every segment exactly as it would put it on a
       * wire. */
      ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
      memcpy (ifr.ifr_name, ifname, strlen (ifname) + 1);
      if (ioctl (fd, TUNSETIFF, &ifr) < 0)
        {
          saved = errno;
          close (fd);
          fd = -1;
          errno = saved;
        }
    }
  visit_end (home);
  if (fd < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot create TUN device %s in %s: %s", ifname, ns->name, g_strerror (saved));
    }
  return fd;
}

static void
set_sockaddr (struct sockaddr *sa,
              guint32          addr)
{
  struct sockaddr_in sin = { 0 };

  sin.sin_family = AF_INET;
  sin.sin_addr.s_addr = htonl (addr);
  memcpy (sa, &sin, sizeof sin);
}

/* Brings IFNAME up through the ioctl socket FD. */
static gboolean
interface_up (int         fd,
              const char *ifname)
{
  struct ifreq ifr = { 0 };

  g_strlcpy (ifr.ifr_name, ifname, sizeof ifr.ifr_name);
  if (ioctl (fd, SIOCGIFFLAGS, &ifr) < 0)
    return FALSE;
  ifr.ifr_flags |= IFF_UP;
  return ioctl (fd, SIOCSIFFLAGS, &ifr) == 0;
}

gboolean
tl_netns_configure_tun (const TlNetns *ns,
                        const char    *ifname,
                        guint32        addr,
                        guint32        peer,
                        guint          mtu,
                        GError       **error)
{
  struct ifreq ifr;
  const char *step = "socket";
  int fd, saved;
  gboolean ok = FALSE;

  fd = tl_netns_socket (ns, AF_INET, SOCK_DGRAM, 0);
  if (fd < 0)
    goto out;

  memset (&ifr, 0, sizeof ifr);
  g_strlcpy (ifr.ifr_name, ifname, sizeof ifr.ifr_name);
  step = "SIOCSIFADDR";
  set_sockaddr (&ifr.ifr_addr, addr);
  if (ioctl (fd, SIOCSIFADDR, &ifr) < 0)
    goto out;
  /* A point-to-point /32: the kernel adds the route to the peer itself. */
  step = "SIOCSIFDSTADDR";
  set_sockaddr (&ifr.ifr_dstaddr, peer);
  if (ioctl (fd, SIOCSIFDSTADDR, &ifr) < 0)
    goto out;
  step = "SIOCSIFNETMASK";
  set_sockaddr (&ifr.ifr_netmask, 0xffffffffu);
  if (ioctl (fd, SIOCSIFNETMASK, &ifr) < 0)
    goto out;
  step = "SIOCSIFMTU";
  ifr.ifr_mtu = (int) mtu;
  if (ioctl (fd, SIOCSIFMTU, &ifr) < 0)
    goto out;
  step = "bringing the device up";
  if (!interface_up (fd, ifname))
    goto out;
  step = "bringing lo up";
  if (!interface_up (fd, "lo"))
    goto out;
  ok = TRUE;

out:
  saved = errno;
  if (fd >= 0)
    close (fd);
  if (!ok)
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                 "cannot configure %s in %s (%s): %s", ifname, ns->name, step, g_strerror (saved));
  return ok;
}

/* ---- sysctls ---- */

char *
tl_netns_sysctl_read (const TlNetns *ns,
                      const char    *key,
                      GError       **error)
{
  g_autofree char *path = g_build_filename ("/proc/sys", key, NULL);
  char buffer[256];
  ssize_t n = -1;
  int home, fd = -1, saved;

  if (visit_begin (ns, &home))
    {
      /* /proc/sys/net shows the namespace of whoever opens it. */
      fd = open (path, O_RDONLY | O_CLOEXEC);
      visit_end (home);
    }
  if (fd >= 0)
    {
      n = read (fd, buffer, sizeof buffer - 1);
      saved = errno;
      close (fd);
      errno = saved;
    }
  if (n < 0)
    {
      saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot read %s in %s: %s", path, ns->name, g_strerror (saved));
      return NULL;
    }
  buffer[n] = '\0';
  g_strchomp (buffer);
  g_strdelimit (buffer, "\t", ' ');
  return g_strdup (buffer);
}

gboolean
tl_netns_sysctl_write (const TlNetns *ns,
                       const char    *key,
                       const char    *value,
                       GError       **error)
{
  g_autofree char *path = g_build_filename ("/proc/sys", key, NULL);
  gsize length = strlen (value);
  ssize_t n = -1;
  int home, fd = -1, saved;

  if (visit_begin (ns, &home))
    {
      fd = open (path, O_WRONLY | O_CLOEXEC);
      visit_end (home);
    }
  if (fd >= 0)
    {
      n = write (fd, value, length);
      saved = errno;
      close (fd);
      errno = saved;
    }
  if (n != (ssize_t) length)
    {
      saved = n < 0 ? errno : EIO;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   "cannot set %s to '%s' in %s: %s", path, value, ns->name,
                   saved == EINVAL ? "the kernel rejects this value" : g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

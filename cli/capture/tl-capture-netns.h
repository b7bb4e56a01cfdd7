/* tl-capture-netns.h: named network namespaces, TUN devices and sysctls.
 *
 * Namespaces are made the way `ip netns add` makes them (a bind mount of
 * the namespace on /run/netns/NAME), so `ip netns list` shows a running
 * capture and `ip netns exec` can look inside it.  The process itself
 * never stays in another namespace: each helper enters, does one thing
 * (open the TUN, create a socket, write a sysctl) and comes back.  What was
 * created there (sockets, the TUN) keeps belonging to that namespace.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every resource a capture makes is named with this prefix and the PID of
 * the capturing process, so a later capture can tell leftovers of dead
 * processes from those of a live one. */
#define TL_CAPTURE_PREFIX "tcpladder-"
#define TL_NETNS_DIR      "/run/netns"

typedef struct
{
  char *name;   /* "tcpladder-1234-a" */
  char *path;   /* "/run/netns/tcpladder-1234-a" */
  int   fd;     /* the namespace, for setns(); -1 when not made */
} TlNetns;

gboolean tl_netns_create          (TlNetns     *ns,
                                   const char  *name,
                                   GError     **error);
/* Unmounts and unlinks the name and closes the fd; the namespace dies with
 * the last socket or TUN fd in it.  Safe on a half-made or cleared TlNetns. */
void     tl_netns_destroy         (TlNetns     *ns);
/* Removes a leftover /run/netns/NAME; FALSE with errno set on failure. */
gboolean tl_netns_remove_name     (const char  *name);

/* socket() inside the namespace; -1 with errno set on failure. */
int      tl_netns_socket          (const TlNetns *ns,
                                   int            domain,
                                   int            type,
                                   int            protocol);

/* Creates the TUN device IFNAME inside NS and returns its non-blocking fd
 * (no packet information header, so reads and writes are bare IPv4). */
int      tl_netns_open_tun        (const TlNetns *ns,
                                   const char    *ifname,
                                   GError       **error);
/* Gives IFNAME the point-to-point address ADDR with peer PEER (a /32 and
 * a route to the peer through it), the MTU, and brings it and lo up. */
gboolean tl_netns_configure_tun   (const TlNetns *ns,
                                   const char    *ifname,
                                   guint32        addr,
                                   guint32        peer,
                                   guint          mtu,
                                   GError       **error);

/* Reads or writes /proc/sys/KEY (KEY like "net/ipv4/tcp_sack") as seen
 * from inside NS.  Reading strips the newline and turns tabs into spaces;
 * a missing key gives G_IO_ERROR_NOT_FOUND. */
char    *tl_netns_sysctl_read     (const TlNetns *ns,
                                   const char    *key,
                                   GError       **error);
gboolean tl_netns_sysctl_write    (const TlNetns *ns,
                                   const char    *key,
                                   const char    *value,
                                   GError       **error);

G_END_DECLS

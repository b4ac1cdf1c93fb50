/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of a conet interface (conet.c): a backend that carries the
 * guest's Ethernet frames, each with the virtio-net header in front
 * (struct virtio_net_hdr_v1, 12 bytes), so that checksum and segmentation
 * offloads pass through.  Backends: net-tap.c (a TAP interface, through
 * net-fd.c), net-slirp.c (user-mode NAT).
 */
#ifndef COLINUX_DAEMON_NET_H
#define COLINUX_DAEMON_NET_H

#include <stdint.h>
#include <poll.h>
#include <sys/types.h>
#include <sys/uio.h>

#define NET_HDR_SIZE	12		/* struct virtio_net_hdr_v1 */
#define NET_ETH_MTU	1500		/* an Ethernet LAN's */
#define NET_MAX_MTU	65520		/* an IP datagram and headers in 64 KiB */

/* ethN=MODE,...: how the interface reaches the host. */
enum net_mode {
	NET_NONE,
	NET_TAP,		/* a TAP interface, optionally on a bridge */
	NET_NAT,		/* user-mode networking (libslirp) */
};

/* The guest's address on a nat network (slirp's DHCP gives it). */
#define NET_NAT_GUEST		"10.0.2.15"
#define NET_MAX_HOSTFWD		8

/* hostfwd=tcp:ADDR:PORT-:GPORT: the host's ADDR:PORT reaches the guest's GPORT. */
struct net_hostfwd {
	int udp;
	uint32_t host_addr;		/* network byte order; 0: any */
	uint16_t host_port, guest_port;
};

/*
 * ethN=tap[,ifname=NAME][,bridge=BRIDGE][,mac=MAC]
 * ethN=nat[,hostfwd=...][,mac=MAC]
 */
struct net_config {
	enum net_mode mode;
	const char *ifname;		/* tap: NULL, the kernel names it */
	const char *bridge;		/* tap: NULL, none */
	uint8_t mac[6];
	int mac_given;
	unsigned int nr_hostfwd;	/* nat */
	struct net_hostfwd hostfwd[NET_MAX_HOSTFWD];
};

/* Offloads the guest takes frames with (TUN_F_* of <linux/if_tun.h>). */
#define NET_OFFLOAD_CSUM	1
#define NET_OFFLOAD_TSO4	2
#define NET_OFFLOAD_TSO6	4

struct net_backend;

/*
 * A backend, called on conet's thread only.  Frames both ways carry the
 * virtio-net header in front.
 */
struct net_backend_ops {
	/* Checksum and segmentation offloads pass through the header. */
	int offloads;
	/*
	 * Or only this one: the frames it hands the guest carry checksums it
	 * made itself, marked VIRTIO_NET_HDR_F_DATA_VALID so that the guest
	 * does not check them again (VIRTIO_NET_F_GUEST_CSUM).
	 */
	int rx_data_valid;
	/*
	 * The largest IP datagram it carries in one frame, which the guest is
	 * told (VIRTIO_NET_F_MTU): 1500 for a TAP on an Ethernet LAN, far more
	 * for nat, where every frame costs the daemon's TCP stack the same.
	 */
	unsigned int mtu;
	/* A frame of the guest (checked by conet): 0, or -1 if it was refused. */
	int (*send)(struct net_backend *nb, const struct iovec *iov, unsigned int n);
	/*
	 * The next frame for the guest into iov: its length (more than iov
	 * holds when it did not fit), or -1 with errno EAGAIN when none waits.
	 */
	ssize_t (*receive)(struct net_backend *nb, const struct iovec *iov,
			   unsigned int n);
	/*
	 * Before conet's thread sleeps: the backend's descriptors into fds (at
	 * most max; want_rx: the guest has a buffer for a frame), and maybe a
	 * shorter *timeout_ms.  Returns how many.  After the sleep, poll_done
	 * sees what they said.
	 */
	unsigned int (*poll_fill)(struct net_backend *nb, struct pollfd *fds,
				  unsigned int max, int want_rx, int *timeout_ms);
	void (*poll_done)(struct net_backend *nb, const struct pollfd *fds,
			  unsigned int n);
	/* What the backend may hand the guest (NET_OFFLOAD_*): 0, or -1. */
	int (*set_offloads)(struct net_backend *nb, unsigned int offloads);
	void (*close)(struct net_backend *nb);
};

struct net_backend {
	const struct net_backend_ops *ops;
	int fd;				/* net-fd.c's backends: frames on it */
	void *state;			/* others' own */
	char ifname[16];		/* for messages */
};

/* Frames on one descriptor, one frame per read or write (net-fd.c). */
int net_fd__send(struct net_backend *nb, const struct iovec *iov, unsigned int n);
ssize_t net_fd__receive(struct net_backend *nb, const struct iovec *iov,
			unsigned int n);
unsigned int net_fd__poll_fill(struct net_backend *nb, struct pollfd *fds,
			       unsigned int max, int want_rx, int *timeout_ms);
void net_fd__poll_done(struct net_backend *nb, const struct pollfd *fds,
		       unsigned int n);

/* The backend cfg names, open (net.c): 0, or -1 after a message. */
int net__open(struct net_backend *nb, const struct net_config *cfg,
	      const char *owner);
int net_tap__open(struct net_backend *nb, const struct net_config *cfg,
		  const char *owner);
int net_slirp__open(struct net_backend *nb, const struct net_config *cfg,
		    const char *owner);

#endif /* COLINUX_DAEMON_NET_H */

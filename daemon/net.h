/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host side of a conet interface (conet.c): a backend that carries the
 * guest's Ethernet frames, each with the virtio-net header in front
 * (struct virtio_net_hdr_v1, 12 bytes), so that checksum and segmentation
 * offloads pass through.  Backends: net-tap.c (a TAP interface).
 */
#ifndef COLINUX_DAEMON_NET_H
#define COLINUX_DAEMON_NET_H

#include <stdint.h>
#include <sys/uio.h>

#define NET_HDR_SIZE	12		/* struct virtio_net_hdr_v1 */

/* ethN=MODE,...: how the interface reaches the host. */
enum net_mode {
	NET_NONE,
	NET_TAP,		/* a TAP interface, optionally on a bridge */
};

/* ethN=tap[,ifname=NAME][,bridge=BRIDGE][,mac=MAC] */
struct net_config {
	enum net_mode mode;
	const char *ifname;		/* NULL: the kernel names it */
	const char *bridge;		/* NULL: none */
	uint8_t mac[6];
	int mac_given;
};

/* Offloads the guest takes frames with (TUN_F_* of <linux/if_tun.h>). */
#define NET_OFFLOAD_CSUM	1
#define NET_OFFLOAD_TSO4	2
#define NET_OFFLOAD_TSO6	4

struct net_backend;

struct net_backend_ops {
	/* What the backend may hand the guest (NET_OFFLOAD_*): 0, or -1. */
	int (*set_offloads)(struct net_backend *nb, unsigned int offloads);
	void (*close)(struct net_backend *nb);
};

struct net_backend {
	const struct net_backend_ops *ops;
	/*
	 * Non-blocking; one frame per read or write, each with its header:
	 * readable when a frame for the guest waits.
	 */
	int fd;
	char ifname[16];		/* for messages */
};

int net_tap__open(struct net_backend *nb, const struct net_config *cfg,
		  const char *owner);

#endif /* COLINUX_DAEMON_NET_H */

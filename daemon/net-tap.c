// SPDX-License-Identifier: GPL-2.0
/*
 * The TAP backend of conet (net.h): a TAP interface with the virtio-net
 * header (IFF_VNET_HDR), so that the guest's frames go to the host's
 * network stack as they are, offloads included, and the kernel checks
 * the header.  The interface is created here (or an existing persistent
 * one is taken), brought up, and put on a bridge if one is named; it
 * goes away with the daemon unless it was persistent.  Needs
 * CAP_NET_ADMIN.
 */
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_tun.h>
#include <linux/sockios.h>

#include "net.h"
#include "util.h"

static int if_ioctl(unsigned long request, struct ifreq *ifr)
{
	int sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), r, saved;

	if (sock < 0)
		return -1;
	r = ioctl(sock, request, ifr);
	saved = errno;
	close(sock);
	errno = saved;
	return r < 0 ? -1 : 0;
}

static int bring_up(const char *ifname)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (if_ioctl(SIOCGIFFLAGS, &ifr))
		return -1;
	ifr.ifr_flags |= IFF_UP;
	return if_ioctl(SIOCSIFFLAGS, &ifr);
}

static int add_to_bridge(const char *bridge, const char *ifname)
{
	struct ifreq ifr = { 0 };

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", bridge);
	ifr.ifr_ifindex = (int)if_nametoindex(ifname);
	if (!ifr.ifr_ifindex)
		return -1;
	return if_ioctl(SIOCBRADDIF, &ifr);
}

static int tap_set_offloads(struct net_backend *nb, unsigned int offloads);
static void tap_close(struct net_backend *nb);

static const struct net_backend_ops tap_ops = {
	.offloads = 1,
	.send = net_fd__send,
	.receive = net_fd__receive,
	.poll_fill = net_fd__poll_fill,
	.poll_done = net_fd__poll_done,
	.set_offloads = tap_set_offloads,
	.close = tap_close,
};

int net_tap__open(struct net_backend *nb, const struct net_config *cfg,
		  const char *owner)
{
	struct ifreq ifr = { 0 };
	int hdr_size = NET_HDR_SIZE;
	unsigned int features;

	nb->ops = &tap_ops;
	nb->fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (nb->fd < 0) {
		pr_err("%s: cannot open /dev/net/tun: %s", owner, strerror(errno));
		return -1;
	}
	if (ioctl(nb->fd, TUNGETFEATURES, &features) || !(features & IFF_VNET_HDR)) {
		pr_err("%s: this kernel's TAP has no virtio-net header", owner);
		goto err;
	}
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (cfg->ifname)
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", cfg->ifname);
	if (ioctl(nb->fd, TUNSETIFF, &ifr)) {
		pr_err("%s: cannot create the TAP interface %s: %s%s", owner,
		       cfg->ifname ? cfg->ifname : "", strerror(errno),
		       errno == EPERM ? " (tap needs root or CAP_NET_ADMIN; "
		       "nat does not)" : "");
		goto err;
	}
	snprintf(nb->ifname, sizeof(nb->ifname), "%s", ifr.ifr_name);
	if (ioctl(nb->fd, TUNSETVNETHDRSZ, &hdr_size)) {
		pr_err("%s: %s: cannot set the virtio-net header size: %s", owner,
		       nb->ifname, strerror(errno));
		goto err;
	}
	if (bring_up(nb->ifname)) {
		pr_err("%s: cannot bring %s up: %s", owner, nb->ifname,
		       strerror(errno));
		goto err;
	}
	if (cfg->bridge && add_to_bridge(cfg->bridge, nb->ifname)) {
		pr_err("%s: cannot put %s on the bridge %s: %s", owner, nb->ifname,
		       cfg->bridge, strerror(errno));
		goto err;
	}
	return tap_set_offloads(nb, 0) ? -1 : 0;
err:
	close(nb->fd);
	nb->fd = -1;
	return -1;
}

/* What the kernel may hand the guest: what the guest said it takes. */
static int tap_set_offloads(struct net_backend *nb, unsigned int offloads)
{
	unsigned int flags = 0;

	if (offloads & NET_OFFLOAD_CSUM) {
		flags |= TUN_F_CSUM;
		if (offloads & NET_OFFLOAD_TSO4)
			flags |= TUN_F_TSO4;
		if (offloads & NET_OFFLOAD_TSO6)
			flags |= TUN_F_TSO6;
	}
	if (ioctl(nb->fd, TUNSETOFFLOAD, flags)) {
		pr_err("%s: cannot set its offloads: %s", nb->ifname, strerror(errno));
		return -1;
	}
	return 0;
}

static void tap_close(struct net_backend *nb)
{
	if (nb->fd >= 0)
		close(nb->fd);
	nb->fd = -1;
}

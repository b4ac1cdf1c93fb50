/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conet: a network interface for the guest, a virtio-net device over a
 * backend of net.h, served on a thread of its own.
 */
#ifndef COLINUX_DAEMON_CONET_H
#define COLINUX_DAEMON_CONET_H

#include "devices.h"
#include "net.h"

#define CO_MAX_CONET 8		/* eth0 .. eth7 */

struct conet;

struct conet_counts {
	uint64_t tx_frames, rx_frames;	/* passed between guest and backend */
	uint64_t tx_dropped;		/* bad frames of the guest */
	uint64_t rx_dropped;		/* frames lost on the way to the guest */
};

/* ethN as cfg says, over its backend (net__open()); NULL after a message. */
struct conet *conet__new(const struct net_config *cfg, unsigned int unit,
			 const char *vm_name, const struct net_backend *nb);
void conet__close(struct conet *conet);
struct guest_device *conet__add(struct device_table *table, struct conet *conet);
/* Logs what was dropped; counts, if not NULL, gets the numbers. */
void conet__report(const struct conet *conet, struct conet_counts *counts);

#endif /* COLINUX_DAEMON_CONET_H */

// SPDX-License-Identifier: GPL-2.0
/* Opening the backend of a conet interface that its ethN= names (net.h). */
#include "net.h"
#include "util.h"

int net__open(struct net_backend *nb, const struct net_config *cfg,
	      const char *owner)
{
	switch (cfg->mode) {
	case NET_TAP:
		return net_tap__open(nb, cfg, owner);
	case NET_NAT:
		return net_slirp__open(nb, cfg, owner);
	default:
		pr_err("%s: no such network mode", owner);
		return -1;
	}
}

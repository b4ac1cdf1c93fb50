/* SPDX-License-Identifier: GPL-2.0 */
/* The power button device that 'colinux stop' presses. */
#ifndef COLINUX_DAEMON_POWER_H
#define COLINUX_DAEMON_POWER_H

#include "devices.h"

struct guest_device *power__add(struct device_table *table);
void power__press(struct guest_device *dev, unsigned int press);

#endif /* COLINUX_DAEMON_POWER_H */

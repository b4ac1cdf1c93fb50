/* SPDX-License-Identifier: GPL-2.0 */
/* cocon, the console device, over the terminal backend. */
#ifndef COLINUX_DAEMON_COCON_H
#define COLINUX_DAEMON_COCON_H

#include "devices.h"
#include "term.h"

struct guest_device *cocon__add(struct device_table *table, struct term *term);

#endif /* COLINUX_DAEMON_COCON_H */

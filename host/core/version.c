// SPDX-License-Identifier: GPL-2.0
/*
 * What the module reports about itself to the daemon.  The release string
 * comes from the top-level VERSION file through the build (CO_RELEASE).
 */
#include "core.h"
#include "types.h"

#ifndef CO_RELEASE
#error "CO_RELEASE must be set by the build (see host/Kbuild)"
#endif

void co_core_version(struct co_version *out)
{
	static const char release[] = CO_RELEASE;
	unsigned int i;

	_Static_assert(sizeof(release) <= sizeof(out->module_version),
		       "release string too long for struct co_version");
	for (i = 0; i < sizeof(out->module_version); i++)
		out->module_version[i] = i < sizeof(release) ? release[i] : 0;
	out->abi_version = CO_ABI_VERSION;
	out->reserved = 0;
}

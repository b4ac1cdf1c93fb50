// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's side of /dev/colinux: open it with an error message that
 * says what to do, then make sure the module and this binary agree on the
 * ABI before any other ioctl is sent.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "control.h"
#include "util.h"

/* Returns the fd, or -1 after printing why the device cannot be used. */
int control__open(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);

	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
		pr_err("%s does not exist: the colinux module is not loaded "
		       "(load colinux.ko, or try it safely with 'make sandbox')",
		       path);
		break;
	case EACCES:
	case EPERM:
		pr_err("cannot open %s: %s; running a guest needs root, "
		       "because the guest kernel runs in ring 0",
		       path, strerror(errno));
		break;
	default:
		pr_err("cannot open %s: %s", path, strerror(errno));
	}
	return -1;
}

int control__query_version(int fd, struct co_version *version)
{
	memset(version, 0, sizeof(*version));
	if (ioctl(fd, CO_IOC_VERSION, version) < 0) {
		pr_err("the module did not answer the version query: %s "
		       "(is %s really the colinux device?)",
		       strerror(errno), CO_DEVICE_PATH);
		return -1;
	}
	version->module_version[sizeof(version->module_version) - 1] = '\0';
	return 0;
}

/* 0 when the module speaks our ABI; otherwise -1 and a reason in why. */
int control__check_abi(const struct co_version *version, char *why,
		      unsigned long why_len)
{
	if (version->abi_version == CO_EXPECTED_ABI)
		return 0;
	snprintf(why, why_len,
		 "ABI mismatch: the loaded colinux.ko (release %s) speaks ABI %u "
		 "but this colinux speaks ABI %u; load the colinux.ko built "
		 "together with this program",
		 version->module_version, version->abi_version,
		 (unsigned int)CO_EXPECTED_ABI);
	return -1;
}

/* Open and verify the ABI; the fd is ready for any ioctl, or -1. */
int control__open_checked(const char *path)
{
	struct co_version version;
	char why[256];
	int fd = control__open(path);

	if (fd < 0)
		return -1;
	if (control__query_version(fd, &version))
		goto err_close;
	if (control__check_abi(&version, why, sizeof(why))) {
		pr_err("%s", why);
		goto err_close;
	}
	return fd;

err_close:
	close(fd);
	return -1;
}

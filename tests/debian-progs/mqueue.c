// SPDX-License-Identifier: GPL-2.0
/*
 * Compiled by gcc inside the Debian guest (vm/debian-boot): a message sent
 * through a POSIX message queue comes back (systemd mounts /dev/mqueue; the
 * guest kernel needs CONFIG_POSIX_MQUEUE).
 */
#include <fcntl.h>
#include <mqueue.h>
#include <stdio.h>
#include <string.h>

int main(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	const char *sent = "hello through /colinux-test";
	char got[64] = "";
	mqd_t q = mq_open("/colinux-test", O_CREAT | O_RDWR, 0600, &attr);

	if (q == (mqd_t)-1) {
		perror("mqueue: mq_open");
		return 1;
	}
	if (mq_send(q, sent, strlen(sent) + 1, 1) || mq_receive(q, got, sizeof(got), NULL) < 0) {
		perror("mqueue: send/receive");
		return 1;
	}
	mq_close(q);
	mq_unlink("/colinux-test");
	printf("mqueue: received '%s'\n", got);
	return strcmp(sent, got) != 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness of the profile parser (user/knobs/profile.c): the input
 * is a profile file. profile_load() reads a path, so the input goes into a
 * memfd and the parser reads /proc/self/fd/N. It must return 0 or an
 * errno with a message, and what it loads must be names and values.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include "knobs/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	struct changeset cs = { 0 };
	char path[64], why[512];
	size_t i;
	int ret;

	if (fd < 0)
		fd = memfd_create("profile", MFD_CLOEXEC);
	if (fd < 0 || ftruncate(fd, 0) ||
	    pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	why[0] = '\0';
	ret = profile_load(path, &cs, why, sizeof(why));
	if (ret && (ret > 0 || !why[0]))
		abort();
	for (i = 0; i < cs.n; i++)
		if (!cs.items[i].name || !cs.items[i].value)
			abort();
	changeset_free(&cs);
	return 0;
}

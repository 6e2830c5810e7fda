// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The clock of tests/ostune-fake (linked with --wrap=monotonic_ns,
 * --wrap=monotonic_ms): CLOCK_MONOTONIC plus the milliseconds written in
 * the file $OSTUNE_FAKE_CLOCK names. A test's target adds to that file,
 * so a window lasts as long as the test says however slow the machine is,
 * and a time budget is spent the same way on every run.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/clock.h"

int64_t __real_monotonic_ns(void);
int64_t __wrap_monotonic_ns(void);
int64_t __wrap_monotonic_ms(void);

static int64_t fake_offset_ms(void)
{
	/* a file being replaced may read as nothing: never step back */
	static int64_t offset;
	const char *path = getenv("OSTUNE_FAKE_CLOCK");
	long long ms;
	FILE *f;

	if (!path)
		return 0;
	f = fopen(path, "r");
	if (!f)
		return offset;
	if (fscanf(f, "%lld", &ms) == 1 && ms > offset)
		offset = ms;
	fclose(f);
	return offset;
}

int64_t __wrap_monotonic_ns(void)
{
	return __real_monotonic_ns() + fake_offset_ms() * 1000000;
}

int64_t __wrap_monotonic_ms(void)
{
	return __wrap_monotonic_ns() / 1000000;
}

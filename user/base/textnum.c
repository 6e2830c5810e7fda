// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Number formatting and the suffixed numbers workloads print.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/textnum.h"

void format_number(double v, char *buf, size_t len)
{
	int precision;

	if (v == trunc(v) && fabs(v) < 0x1p53) {
		snprintf(buf, len, "%.0f", v);
		return;
	}
	for (precision = 1; precision <= 17; precision++) {
		snprintf(buf, len, "%.*g", precision, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

struct suffix {
	const char *text;
	double factor;
};

/* The number, then a suffix from the table (exact match, "" allowed). */
static int parse_suffixed(const char *text, const struct suffix *table,
			  double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(text, &end);
	if (errno || end == text || !isfinite(v))
		return -EINVAL;
	for (; table->text; table++) {
		if (!strcmp(end, table->text)) {
			*out = v * table->factor;
			return 0;
		}
	}
	return -EINVAL;
}

int parse_time_us(const char *text, double *out)
{
	static const struct suffix time[] = {
		{ "ns", 1e-3 }, { "us", 1 }, { "ms", 1e3 }, { "s", 1e6 },
		{ "m", 60e6 }, { "h", 3600e6 }, { "", 1 }, { NULL, 0 }
	};

	return parse_suffixed(text, time, out);
}

int parse_size_mib(const char *text, double *out)
{
	static const struct suffix size[] = {
		{ "B", 1.0 / 1048576 }, { "KB", 1.0 / 1024 }, { "MB", 1 },
		{ "GB", 1024 }, { "TB", 1048576 }, { "", 1 }, { NULL, 0 }
	};

	return parse_suffixed(text, size, out);
}

int parse_count(const char *text, double *out)
{
	static const struct suffix count[] = {
		{ "", 1 }, { "k", 1e3 }, { "M", 1e6 }, { "G", 1e9 },
		{ NULL, 0 }
	};

	return parse_suffixed(text, count, out);
}

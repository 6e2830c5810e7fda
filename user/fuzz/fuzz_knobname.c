// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * libFuzzer harness of the knob-name parser (user/knobs/knobname.c): the
 * input, split at its first NUL, is a name or pattern and a second name. Every
 * function must return without a sanitizer report, and must agree with
 * itself: a name knob_name_check() accepts has a class knob_class_lookup()
 * finds, and a well-formed pattern without wildcards matches itself.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "knobs/knobname.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *a = malloc(size + 1), *b, why[256];
	enum knob_class cls, found;
	unsigned int index;
	size_t alen;

	if (!a)
		return 0;
	memcpy(a, data, size);
	a[size] = '\0';
	alen = strlen(a);
	b = alen < size ? a + alen + 1 : a + alen;

	if (!knob_name_check(a, &cls, why, sizeof(why))) {
		if (knob_class_lookup(a, &found) || found != cls)
			abort();
		if (knob_is_qos(a) && cls != KNOB_CLASS_PMQOS &&
		    cls != KNOB_CLASS_FREQ)
			abort();
	}
	knob_class_lookup(a, &found);
	knob_parse_index(a, b, &index);
	knob_parse_index(a, "", &index);
	knob_parse_index(a, "cpu", &index);
	if (knob_is_pattern(a) && !knob_pattern_check(a, why, sizeof(why))) {
		knob_pattern_match(a, b);
		knob_pattern_match(a, a);
	} else if (!knob_is_pattern(a) && !knob_pattern_check(a, why, sizeof(why)) &&
		   !knob_pattern_match(a, a)) {
		abort();
	}
	free(a);
	return 0;
}

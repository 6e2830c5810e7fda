/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles: JSON files {"knobs": {"NAME or PATTERN": VALUE, ...}}, other
 * top-level keys ignored. Values are strings, integers or reals; numbers
 * become the text a person would write (10, 0.25).
 */
#ifndef OSTUNE_PROFILE_H
#define OSTUNE_PROFILE_H

#include <stddef.h>

#include "knobs/changeset.h"

/*
 * Adds the profile's knobs to out in file order. -EINVAL with why filled
 * ("FILE:LINE:COLUMN: ..." for bad JSON) or -ENOMEM.
 */
int profile_load(const char *path, struct changeset *out, char *why,
		 size_t len);

#endif /* OSTUNE_PROFILE_H */

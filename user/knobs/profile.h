/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Profiles: JSON files {"knobs": {"NAME or PATTERN": VALUE, ...}}, other
 * top-level keys ignored. Values are strings, integers or reals; numbers
 * become the text a person would write (10, 0.25). The one format of
 * `ostune apply`, best.json and `ostune export --format profile`: what
 * profile_write() writes, profile_load() reads back as it was.
 */
#ifndef OSTUNE_PROFILE_H
#define OSTUNE_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "knobs/changeset.h"

/*
 * Adds the profile's knobs to out in file order. -EINVAL with why filled
 * ("FILE:LINE:COLUMN: ..." for bad JSON) or -ENOMEM.
 */
int profile_load(const char *path, struct changeset *out, char *why,
		 size_t len);

/*
 * cs as a profile on out: {"knobs": {NAME: "VALUE", ...}} in cs's order,
 * values as strings, then each (key, text) pair of notes (NULL-terminated
 * list; the keys must not be "knobs"), indented. 0, -ENOMEM or -EIO.
 */
int profile_write(const struct changeset *cs, const char *const *notes,
		  FILE *out);

/*
 * Several profiles as one: each path is a profile, or a directory whose
 * *.json profiles are taken in byte order of their names (10-net.json
 * before 20-irq.json), as the files of sysctl.d are. All of them go into
 * out in order, so a later profile's value for a knob wins. With
 * missing_ok, paths that do not exist are skipped; an empty directory
 * adds nothing. -ENOENT with why filled when that leaves no profile at
 * all; otherwise as profile_load().
 */
int profile_load_all(char *const *paths, size_t n, bool missing_ok,
		     struct changeset *out, char *why, size_t len);

#endif /* OSTUNE_PROFILE_H */

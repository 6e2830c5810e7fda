/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The config's "fixed" knobs on this host: set for the whole run with
 * every configuration and the baseline, never searched. The config
 * checks their form (tune_config.c); this, before anything runs, that
 * the host has them and that they can take their values.
 */
#ifndef OSTUNE_FIXED_H
#define OSTUNE_FIXED_H

#include <stddef.h>

#include <jansson.h>

#include "knobs/discover.h"

/*
 * Each knob of fixed ({"knob": "text"}) known, taking a value now and
 * that value as far as discovery can tell; a pattern must match at least
 * one such knob. 0, or -EINVAL with why filled.
 */
int fixed_check(const json_t *fixed, const struct knob_list *known, char *why,
		size_t len);

#endif /* OSTUNE_FIXED_H */

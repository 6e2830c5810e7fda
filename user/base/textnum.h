/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Numbers as people read and write them in configs, knob values, history
 * and parsed workload output.
 */
#ifndef OSTUNE_TEXTNUM_H
#define OSTUNE_TEXTNUM_H

#include <stddef.h>

/*
 * As a person writes it: whole numbers without point or exponent (1e6 is
 * 1000000, as a sysctl wants it), others the shortest text that reads
 * back as the same double (0.1, not 0.1000000000000000055).
 */
void format_number(double v, char *buf, size_t len);

/*
 * A number followed by a unit suffix, scaled to the unit wanted: "1.66ms"
 * as microseconds is 1660, "2.40MB" as MiB is 2.4. Time suffixes ns, us,
 * ms, s, m, h; size suffixes B, KB, MB, GB, TB (binary, as wrk prints
 * them); a bare number is taken as already in the wanted unit, or scaled
 * by k/M/G when followed by one (as wrk prints counts: "2.96k").
 * 0 and *out set, or -EINVAL.
 */
int parse_time_us(const char *text, double *out);
int parse_size_mib(const char *text, double *out);
int parse_count(const char *text, double *out);

#endif /* OSTUNE_TEXTNUM_H */

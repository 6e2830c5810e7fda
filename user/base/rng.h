/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small seeded random number generator (xoshiro256**, seeded through
 * splitmix64), so that a tuning run is reproducible from its seed on any
 * libc. One struct per user; no global state.
 */
#ifndef OSTUNE_RNG_H
#define OSTUNE_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, 1), 53 bits. */
double rng_uniform(struct rng *r);
/* Uniform in [0, n), n > 0, without modulo bias. */
uint64_t rng_below(struct rng *r, uint64_t n);
/* Mixes two numbers into one seed: independent streams per (seed, index). */
uint64_t rng_mix(uint64_t seed, uint64_t index);

#endif /* OSTUNE_RNG_H */

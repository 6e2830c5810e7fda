// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The random tuner: first a Latin hypercube of "initial" points (every
 * knob's range cut into that many strata, each stratum used once, in a
 * random pairing across knobs), which covers the space far more evenly
 * than independent draws; then independent uniform points.
 *
 * Stateless: suggestion k (counting the history's suggested observations)
 * is computed from the seed and k alone, so a resumed run goes on with
 * exactly the points the interrupted one would have measured.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/rng.h"
#include "search/tuner.h"

/* Separate streams for the permutations, the jitter and the tail. */
#define STREAM_PERMUTATION	0x7065726dULL
#define STREAM_JITTER		0x6a697474ULL
#define STREAM_UNIFORM		0x756e6966ULL

struct random_tuner {
	unsigned int initial;
	double *u;		/* one point in the unit cube */
};

static int random_init(struct tuner *t, char *why, size_t len)
{
	const struct tuner_problem *p = t->problem;
	const json_t *initial = json_object_get(p->options, "initial");
	struct random_tuner *r;
	unsigned int n;

	if (initial && (!json_is_integer(initial) ||
			json_integer_value(initial) < 0 ||
			json_integer_value(initial) > 100000)) {
		snprintf(why, len, "tuner random: \"initial\" is the number of Latin hypercube points, 0 to 100000");
		return -EINVAL;
	}
	if (initial) {
		n = (unsigned int)json_integer_value(initial);
	} else {
		/* Twice the dimensions, as space-filling designs usually take. */
		n = 2 * (unsigned int)p->space->n;
		if (n < 4)
			n = 4;
		if (p->budget && n > p->budget)
			n = p->budget;
	}
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->initial = n;
	r->u = calloc(p->space->n ? p->space->n : 1, sizeof(*r->u));
	if (!r->u) {
		free(r);
		return -ENOMEM;
	}
	t->priv = r;
	return 0;
}

/* The stratum knob j takes in point k of the hypercube: π_j(k). */
static unsigned int stratum(uint64_t seed, size_t j, unsigned int n,
			    unsigned int k, unsigned int *perm)
{
	struct rng rng;
	unsigned int i;

	rng_seed(&rng, rng_mix(seed ^ STREAM_PERMUTATION, j));
	for (i = 0; i < n; i++)
		perm[i] = i;
	for (i = n - 1; i > 0; i--) {
		unsigned int s = (unsigned int)rng_below(&rng, i + 1);
		unsigned int tmp = perm[i];

		perm[i] = perm[s];
		perm[s] = tmp;
	}
	return perm[k];
}

static int hypercube_point(const struct tuner *t, unsigned int k, double *u)
{
	const struct tuner_problem *p = t->problem;
	const struct random_tuner *r = t->priv;
	unsigned int *perm = calloc(r->initial, sizeof(*perm));
	struct rng jitter;
	size_t j;

	if (!perm)
		return -ENOMEM;
	rng_seed(&jitter, rng_mix(p->seed ^ STREAM_JITTER, k));
	for (j = 0; j < p->space->n; j++)
		u[j] = (stratum(p->seed, j, r->initial, k, perm) +
			rng_uniform(&jitter)) / r->initial;
	free(perm);
	return 0;
}

static void uniform_point(const struct tuner *t, unsigned int k, double *u)
{
	const struct tuner_problem *p = t->problem;
	struct rng rng;
	size_t j;

	rng_seed(&rng, rng_mix(p->seed ^ STREAM_UNIFORM, k));
	for (j = 0; j < p->space->n; j++)
		u[j] = rng_uniform(&rng);
}

static int random_suggest(struct tuner *t, const struct tuner_history *h,
			  struct tuner_suggestion *out, size_t n)
{
	const struct random_tuner *r = t->priv;
	const struct space *s = t->problem->space;
	unsigned int k = (unsigned int)tuner_history_suggested(h);
	size_t i;

	for (i = 0; i < n; i++, k++) {
		if (k < r->initial) {
			if (hypercube_point(t, k, r->u))
				return -ENOMEM;
			snprintf(out[i].why, sizeof(out[i].why),
				 "latin hypercube point %u of %u", k + 1,
				 r->initial);
		} else {
			uniform_point(t, k, r->u);
			snprintf(out[i].why, sizeof(out[i].why),
				 "uniform random point %u", k + 1 - r->initial);
		}
		space_from_unit(s, r->u, out[i].x);
	}
	return (int)n;
}

static void random_fini(struct tuner *t)
{
	struct random_tuner *r = t->priv;

	if (r)
		free(r->u);
	free(r);
	t->priv = NULL;
}

static const char *const random_options[] = { "initial", NULL };

const struct tuner_ops tuner_random_ops = {
	.objectives2 = true,
	.name = "random",
	.options = random_options,
	.summary = "a seeded Latin hypercube, then uniform random points",
	.init = random_init,
	.suggest = random_suggest,
	.fini = random_fini,
};

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tuner registry and the checks every suggestion goes through.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/tuner.h"

static const struct tuner_ops *const tuners[] = {
	&tuner_fixed_ops,
	&tuner_random_ops,
	&tuner_grid_ops,
	&tuner_coordinate_ops,
	&tuner_bo_ops,
	&tuner_llm_ops,
	&tuner_llm_bo_ops,
};

#define NUM_TUNERS (sizeof(tuners) / sizeof(tuners[0]))

const struct tuner_ops *tuner_find(const char *name)
{
	size_t i;

	for (i = 0; i < NUM_TUNERS; i++)
		if (!strcmp(tuners[i]->name, name))
			return tuners[i];
	return NULL;
}

const char *tuner_names(void)
{
	return "fixed, random, grid, coordinate, bo, llm, llm+bo";
}

static bool takes(const struct tuner_ops *ops, const char *key)
{
	const char *const *k;

	if (!strcmp(key, "name"))
		return true;
	for (k = ops->options; k && *k; k++)
		if (!strcmp(*k, key))
			return true;
	return false;
}

/* A misspelt option would otherwise leave its default silently in force. */
static int check_options(const struct tuner_ops *ops, const json_t *options,
			 char *why, size_t len)
{
	const char *key, *const *k;
	const json_t *v;
	size_t used;

	json_object_foreach((json_t *)options, key, v) {
		if (takes(ops, key))
			continue;
		used = (size_t)snprintf(why, len,
					"tuner %s: unknown option '%s' (it takes: ",
					ops->name, key);
		for (k = ops->options; k && *k && used < len; k++)
			used += (size_t)snprintf(why + used, len - used, "%s%s",
						 k == ops->options ? "" : ", ", *k);
		if (used < len)
			snprintf(why + used, len - used, "%s)",
				 ops->options && *ops->options ? "" : "no options");
		return -EINVAL;
	}
	return 0;
}

int tuner_create(struct tuner *t, const char *name,
		 const struct tuner_problem *problem, char *why, size_t len)
{
	int ret;

	memset(t, 0, sizeof(*t));
	t->ops = tuner_find(name);
	if (!t->ops) {
		snprintf(why, len, "tuner: unknown tuner '%s' (there are: %s)",
			 name, tuner_names());
		return -ENOENT;
	}
	t->problem = problem;
	if (problem->nobjectives > 1 && !t->ops->objectives2) {
		snprintf(why, len, "tuner %s optimises one objective; with two, use bo (ParEGO), random, grid or fixed",
			 name);
		t->ops = NULL;
		return -EINVAL;
	}
	ret = check_options(t->ops, problem->options, why, len);
	if (ret) {
		t->ops = NULL;
		return ret;
	}
	return t->ops->init ? t->ops->init(t, why, len) : 0;
}

int tuner_suggest(struct tuner *t, const struct tuner_history *h,
		  struct tuner_suggestion *out, size_t n, char *why,
		  size_t len)
{
	int got = t->ops->suggest(t, h, out, n);
	int i;

	for (i = 0; i < got; i++) {
		if (space_check(t->problem->space, out[i].x, why, len)) {
			size_t used = strlen(why);

			snprintf(why + used, len - used,
				 " (suggested by tuner %s: a bug)", t->ops->name);
			return -EPROTO;
		}
	}
	return got;
}

static bool same_point(const struct tuner_problem *p, const double *a,
		       const double *b)
{
	return !memcmp(a, b, p->space->n * sizeof(*a));
}

int tuner_rank_by(const struct tuner_problem *p, const struct tuner_history *h,
		  const double *key, size_t *idx, size_t k)
{
	size_t n = 0, i, best;
	double bs;
	bool *used = calloc(h->n + 1, sizeof(*used));

	if (!used)
		return -ENOMEM;
	while (n < k) {
		best = h->n;
		bs = INFINITY;
		for (i = 0; i < h->n; i++) {
			if (used[i] || h->obs[i].baseline)
				continue;
			if (key[i] < bs) {
				bs = key[i];
				best = i;
			}
		}
		if (best == h->n)
			break;
		/* one slot per point: its repeats are spent with it */
		for (i = 0; i < h->n; i++)
			used[i] = used[i] ||
				  same_point(p, h->obs[i].x, h->obs[best].x);
		idx[n++] = best;
	}
	free(used);
	return (int)n;
}

int tuner_rank_observed(const struct tuner_problem *p,
			const struct tuner_history *h, size_t *idx, size_t k)
{
	double *key = malloc((h->n + 1) * sizeof(*key));
	size_t i;
	int ret;

	if (!key)
		return -ENOMEM;
	for (i = 0; i < h->n; i++)
		key[i] = tuner_obs_score(p, &h->obs[i], 0);
	ret = tuner_rank_by(p, h, key, idx, k);
	free(key);
	return ret;
}

int tuner_rank(struct tuner *t, const struct tuner_history *h, size_t *idx,
	       size_t k)
{
	if (t->ops->rank)
		return t->ops->rank(t, h, idx, k);
	return tuner_rank_observed(t->problem, h, idx, k);
}

json_t *tuner_stats(struct tuner *t)
{
	return t->ops && t->ops->stats ? t->ops->stats(t) : NULL;
}

void tuner_destroy(struct tuner *t)
{
	if (t->ops && t->ops->fini)
		t->ops->fini(t);
	t->ops = NULL;
}

double tuner_obs_score(const struct tuner_problem *p,
		       const struct tuner_observation *o, size_t k)
{
	double v;

	if (o->failed || !o->feasible || k >= p->nobjectives)
		return INFINITY;
	v = objective_score(&p->objectives[k], o->objectives[k]);
	return isnan(v) ? INFINITY : v;
}

size_t tuner_history_suggested(const struct tuner_history *h)
{
	size_t i, n = 0;

	for (i = 0; i < h->n; i++)
		if (!h->obs[i].baseline)
			n++;
	return n;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The bo tuner: Gaussian-process Bayesian optimisation.
 *
 * First a maximin Latin hypercube ("initial" points, default twice the
 * knobs, three times where steps are mostly local, at least 5), then each
 * suggestion maximises the acquisition of acquisition.h on GPs (gp.h) of
 * the history: one for the objective score and one per constraint. With
 * three or more knobs and one unconstrained objective, two steps in three
 * use a local model of the points nearest the incumbent instead
 * (local_model.h, local_step()). Two objectives are scalarised ParEGO-style
 * (Knowles 2006): both normalised to [0, 1] over the history, then
 * max_k w_k f_k + 0.05 sum_k w_k f_k with fresh seeded weights per step,
 * so that successive steps fill out the Pareto front (pareto.h reports it).
 * A batch is filled by the kriging believer: each chosen point joins the
 * GPs with its predicted value as if measured, which pushes the next
 * choice elsewhere.
 *
 * Noise (one objective): each configuration's median carries the known
 * noise variance of a median of its windows, pi/2 s^2 y^2 / w for w
 * windows of relative spread s (one window: s^2 y^2), carried through the
 * output warping by its slope; s^2 is the configuration's own spread
 * shrunk toward the mean s^2 of all configurations (3 windows say little
 * alone: their spread's square has a median of 0.38 of its mean). The GP
 * learns an extra noise term on top (gp.h). A configuration measured
 * again is one more observation of the same point.
 *
 * The incumbent is the observed configuration with the best posterior
 * mean, not the luckiest median: expected improvement is over what the
 * model believes was reached. rank() orders the measured configurations
 * by the same posterior mean.
 *
 * Failed configurations join the objective's GP at the worst score seen,
 * but with a noise variance as large as the targets' variance: a hint to
 * stay away, not a cliff that bends the model around it. A constraint
 * whose metric is missing is taken at its worst value.
 *
 * Options ("tuner" object of the config):
 *   "initial":  size of the space-filling design
 *   "max_step": a trust region, the largest change of a numeric knob per
 *               step as a fraction of its (log) range; at most one
 *               categorical knob changes per step
 *
 * Determinism: the hyperparameters are refitted at checkpoints of the
 * number of observations (every one up to 20, then every 10%), each fit
 * warm-started from the previous checkpoint's, with a seeded stream per
 * checkpoint. A tuner that meets a history it has not followed (a resumed
 * run) replays the chain, so the suggestions depend on the history alone.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "search/acquisition.h"
#include "search/gp.h"
#include "search/local_model.h"
#include "search/tuner.h"
#include "search/ucube.h"
#include "search/warp.h"

#define STREAM_DESIGN	0x64657369ULL
#define STREAM_FIT	0x6669740aULL
#define STREAM_ACQ	0x61637175ULL
#define STREAM_WEIGHT	0x77656967ULL
#define STREAM_LOCAL	0x6c6f6361ULL
/* ParEGO's augmentation: keeps weakly dominated points from tying */
#define PAREGO_RHO	0.05
/* good observed points the acquisition search starts from */
#define NSTARTS		5
/* below this leave-one-out R^2, explore (spread_out()) */
#define LOO_R2_MIN	0.2
/*
 * The local model's neighbourhood (local_model.h) and its fit's extra
 * starts, and how often a step stays global. Measured on bench/tuners
 * (Hartmann6, 40 seeds, to 5% of the optimum at 5/10/20% noise): 20
 * points, one step in 2 global: 34/23/8 seeds; one in 3: 31/29/13; one
 * in 4: 32/23/16; 25 points, one in 2: 35/24 at 5/10%; 35 points fewer;
 * every step local fewer still (7 of 20 at 10%).
 */
#define LOCAL_POINTS	20
#define LOCAL_RESTARTS	3
#define GLOBAL_EVERY	3
/*
 * In one or two knobs a few dozen points cover the space and the global
 * model resolves the basin itself: local steps there cost evaluations
 * (Branin, 10% noise: 2% of the optimum in 44 evaluations, median, not 37).
 */
#define LOCAL_MIN_DIMS	3

/* One GP and the checkpoint its hyperparameters were fitted at. */
struct model {
	struct gp *gp;
	size_t fitted;		/* 0: prior defaults */
	uint64_t prefix_hash;	/* of the data the chain was fitted on */
};

struct bo {
	unsigned int initial;
	double max_step;	/* 0: no trust region */
	double *design;		/* initial x n coordinates */
	size_t nmodels;		/* objective, then constraints */
	struct model *models;
	/* per call: the usable observations as coordinates and targets */
	size_t m;
	double *u;		/* m x n */
	double *score;		/* m x nobjectives, NaN when failed */
	double *cons;		/* m x nconstraints, as "value <= bound" */
	bool *feasible;
	double *spread;		/* m: the objective's relative spread */
	unsigned int *windows;	/* m */
	size_t *hidx;		/* m: index into the history */
	double *y;		/* one model's targets */
	double *noise;		/* one model's known noise variances */
	double *bound;		/* nconstraints, as "value <= bound" */
	struct warp warp;	/* of the objective's latest targets */
};

static size_t dims(const struct tuner *t)
{
	return t->problem->space->n;
}

/*
 * Whether model steps are mostly local (local_step()): with three or more
 * knobs, one objective, no constraints and no user trust region.
 */
static bool takes_local_steps(const struct tuner *t, const struct bo *b)
{
	const struct tuner_problem *p = t->problem;

	return dims(t) >= LOCAL_MIN_DIMS && p->nobjectives == 1 &&
	       !p->nconstraints && !(b->max_step > 0);
}

static int parse_options(struct tuner *t, struct bo *b, char *why,
			 size_t len)
{
	const struct tuner_problem *p = t->problem;
	const json_t *initial = json_object_get(p->options, "initial");
	const json_t *step = json_object_get(p->options, "max_step");
	unsigned int n;

	if (initial && (!json_is_integer(initial) ||
			json_integer_value(initial) < 1 ||
			json_integer_value(initial) > 1000)) {
		snprintf(why, len, "tuner bo: \"initial\" is the size of the space-filling design, 1 to 1000");
		return -EINVAL;
	}
	if (step && (!json_is_number(step) || !(json_number_value(step) > 0) ||
		     json_number_value(step) > 1)) {
		snprintf(why, len, "tuner bo: \"max_step\" is a fraction of each knob's range, above 0 and at most 1");
		return -EINVAL;
	}
	b->max_step = step ? json_number_value(step) : 0;
	if (initial) {
		n = (unsigned int)json_integer_value(initial);
	} else {
		/*
		 * Where two model steps in three stay near the incumbent,
		 * the design is most of what looks for the right basin:
		 * Hartmann6, 40 seeds, to 5% at 5/10/20% noise, 35/32/18
		 * seeds with 3 x knobs, 31/29/13 with 2 x, 35/25/16 with 4 x.
		 * Branin (two knobs, global steps) lost with 3 x: 1% of the
		 * optimum in 31.5 evaluations, median, not 29.
		 */
		n = (takes_local_steps(t, b) ? 3 : 2) * (unsigned int)dims(t);
		if (n < 5)
			n = 5;
		/* leave the model at least half the budget */
		if (p->budget && n > p->budget / 2)
			n = p->budget / 2 ? p->budget / 2 : 1;
	}
	b->initial = n;
	return 0;
}

static void bo_fini(struct tuner *t)
{
	struct bo *b = t->priv;
	size_t i;

	if (!b)
		return;
	for (i = 0; b->models && i < b->nmodels; i++)
		gp_free(b->models[i].gp);
	free(b->models);
	free(b->design);
	free(b->u);
	free(b->score);
	free(b->cons);
	free(b->feasible);
	free(b->spread);
	free(b->windows);
	free(b->hidx);
	free(b->y);
	free(b->noise);
	free(b->bound);
	free(b);
	t->priv = NULL;
}

/* A constraint's value in "<= bound" form: negated for >= and >. */
static double cons_value(const struct constraint *c, double v)
{
	return c->op == CMP_LE || c->op == CMP_LT ? v : -v;
}

/* A GP over the space's coordinates, categorical ones marked. */
static struct gp *new_gp(const struct tuner *t)
{
	size_t n = dims(t), i;
	bool cat[n ? n : 1];

	for (i = 0; i < n; i++)
		cat[i] = ucube_is_cat(t->problem->space, i);
	return gp_new(n, cat);
}

static int bo_init(struct tuner *t, char *why, size_t len)
{
	const struct tuner_problem *p = t->problem;
	size_t n = dims(t), i;
	struct rng rng;
	struct bo *b;
	int ret;

	b = calloc(1, sizeof(*b));
	if (!b)
		return -ENOMEM;
	t->priv = b;
	ret = parse_options(t, b, why, len);
	if (ret)
		return ret;
	b->nmodels = 1 + p->nconstraints;
	b->models = calloc(b->nmodels, sizeof(*b->models));
	b->design = calloc(b->initial * n + 1, sizeof(*b->design));
	b->bound = calloc(p->nconstraints + 1, sizeof(*b->bound));
	if (!b->models || !b->design || !b->bound)
		return -ENOMEM;
	for (i = 0; i < b->nmodels; i++) {
		b->models[i].gp = new_gp(t);
		if (!b->models[i].gp)
			return -ENOMEM;
	}
	for (i = 0; i < p->nconstraints; i++) {
		const struct constraint *c = &p->constraints[i];

		b->bound[i] = cons_value(c, c->bound);
	}
	rng_seed(&rng, rng_mix(p->seed ^ STREAM_DESIGN, 0));
	return ucube_lhs(p->space, b->initial, 50, &rng, b->design);
}

/* The usable observations (those whose point lies in the space). */
static int collect(struct tuner *t, const struct tuner_history *h)
{
	const struct tuner_problem *p = t->problem;
	struct bo *b = t->priv;
	size_t n = dims(t), nc = p->nconstraints, no = p->nobjectives;
	size_t i, j, m = 0;

	free(b->u);
	free(b->score);
	free(b->cons);
	free(b->feasible);
	free(b->spread);
	free(b->windows);
	free(b->hidx);
	free(b->y);
	free(b->noise);
	b->u = malloc((h->n * n + 1) * sizeof(*b->u));
	b->score = malloc((h->n * no + 1) * sizeof(*b->score));
	b->cons = malloc((h->n * nc + 1) * sizeof(*b->cons));
	b->feasible = malloc((h->n + 1) * sizeof(*b->feasible));
	b->spread = malloc((h->n + 1) * sizeof(*b->spread));
	b->windows = malloc((h->n + 1) * sizeof(*b->windows));
	b->hidx = malloc((h->n + 1) * sizeof(*b->hidx));
	b->y = malloc((h->n + 1) * sizeof(*b->y));
	b->noise = malloc((h->n + 1) * sizeof(*b->noise));
	if (!b->u || !b->score || !b->cons || !b->feasible || !b->spread ||
	    !b->windows || !b->hidx || !b->y || !b->noise)
		return -ENOMEM;
	for (i = 0; i < h->n; i++) {
		const struct tuner_observation *o = &h->obs[i];
		bool ok = true;

		for (j = 0; j < n; j++)
			ok = ok && isfinite(o->x[j]);
		if (!ok)
			continue;
		ucube_from_point(p->space, o->x, b->u + m * n);
		for (j = 0; j < no; j++)
			b->score[m * no + j] = o->failed ? NAN :
				objective_score(&p->objectives[j],
						o->objectives[j]);
		for (j = 0; j < nc; j++)
			b->cons[m * nc + j] = o->failed ||
					      !o->constraint_values ? NAN :
				cons_value(&p->constraints[j],
					   o->constraint_values[j]);
		b->feasible[m] = !o->failed && o->feasible;
		b->spread[m] = o->spread;
		b->windows[m] = o->windows;
		b->hidx[m] = i;
		m++;
	}
	b->m = m;
	return 0;
}

/* Column col (stride) of the first c rows, NaN replaced by the worst. */
static void column(const double *v, size_t stride, size_t col, size_t c,
		   double *y)
{
	double worst = -INFINITY;
	size_t i;

	for (i = 0; i < c; i++) {
		y[i] = v[i * stride + col];
		if (isfinite(y[i]) && y[i] > worst)
			worst = y[i];
	}
	for (i = 0; i < c; i++)
		if (!isfinite(y[i]))
			y[i] = isfinite(worst) ? worst : 0;
}

/* ParEGO's weight of the first objective at step s. */
static double weight(const struct tuner *t, size_t s)
{
	struct rng rng;

	rng_seed(&rng, rng_mix(t->problem->seed ^ STREAM_WEIGHT, s));
	return rng_uniform(&rng);
}

/* Objective j of the first c observations, scaled to [0, 1]. */
static void normalised(const struct bo *b, size_t j, size_t c, double *f)
{
	double lo = INFINITY, hi = -INFINITY;
	size_t i;

	column(b->score, 2, j, c, f);
	for (i = 0; i < c; i++) {
		lo = fmin(lo, f[i]);
		hi = fmax(hi, f[i]);
	}
	for (i = 0; i < c; i++)
		f[i] = hi > lo ? (f[i] - lo) / (hi - lo) : 0;
}

/* Shrinks a configuration's own relative variance toward the pooled one. */
#define POOL_WINDOWS 6.0

/*
 * The known noise variance of each of the first c scores (b->y, raw),
 * before warping; failed ones (NaN score) get 0 here, warped() sets them.
 */
static void known_noise(struct bo *b, size_t c)
{
	double pooled = 0, rv, w, s;
	size_t i, np = 0;

	for (i = 0; i < c; i++) {
		if (isfinite(b->score[i]) && b->windows[i] >= 2 &&
		    isfinite(b->spread[i])) {
			pooled += b->spread[i] * b->spread[i];
			np++;
		}
	}
	pooled = np ? pooled / np : NAN;
	for (i = 0; i < c; i++) {
		b->noise[i] = 0;
		if (!isfinite(b->score[i]))
			continue;
		w = b->windows[i] > 1 ? b->windows[i] : 1;
		s = b->spread[i];
		if (w >= 2 && isfinite(s) && np)
			rv = (w * s * s + POOL_WINDOWS * pooled) /
			     (w + POOL_WINDOWS);
		else if (w >= 2 && isfinite(s))
			rv = s * s;
		else
			rv = np ? pooled : 0;
		/* the variance of a median: pi/2 sigma^2 / w for w > 1 */
		b->noise[i] = rv * b->y[i] * b->y[i] * (w > 1 ? M_PI_2 / w : 1);
	}
}

/* Warps the targets and carries the known noise through the warp. */
static int warped(struct bo *b, size_t c)
{
	double s = 0, ss = 0, var, slope;
	size_t i, ok = 0;

	warp_fit(&b->warp, b->y, c);
	for (i = 0; i < c; i++) {
		slope = warp_slope(&b->warp, b->y[i]);
		b->noise[i] *= slope * slope;
		b->y[i] = warp_apply(&b->warp, b->y[i]);
		if (isfinite(b->score[i])) {
			s += b->y[i];
			ss += b->y[i] * b->y[i];
			ok++;
		}
	}
	var = ok ? ss / ok - (s / ok) * (s / ok) : 0;
	for (i = 0; i < c; i++)
		if (!isfinite(b->score[i]))
			b->noise[i] = var > 0 ? var : 1;
	return 0;
}

/*
 * Targets of model k (0: objective, warped) over the first c
 * observations.
 */
static int targets(struct tuner *t, size_t k, size_t c)
{
	const struct tuner_problem *p = t->problem;
	struct bo *b = t->priv;
	double w = weight(t, c), *f0, *f1;
	size_t i;

	if (k > 0) {
		column(b->cons, p->nconstraints, k - 1, c, b->y);
		return 0;
	}
	if (p->nobjectives < 2) {
		column(b->score, p->nobjectives, 0, c, b->y);
		known_noise(b, c);
		return warped(b, c);
	}
	f0 = malloc((2 * c + 1) * sizeof(*f0));
	if (!f0)
		return -ENOMEM;
	f1 = f0 + c;
	normalised(b, 0, c, f0);
	normalised(b, 1, c, f1);
	for (i = 0; i < c; i++) {
		b->y[i] = fmax(w * f0[i], (1 - w) * f1[i]) +
			  PAREGO_RHO * (w * f0[i] + (1 - w) * f1[i]);
		b->noise[i] = 0;
	}
	free(f0);
	return warped(b, c);
}

/* Checkpoints: 2, 3, ..., 20, 22, 24, ..., then every 10%. */
static size_t next_checkpoint(size_t c)
{
	if (c < 2)
		return 2;
	return c + (c / 10 > 1 ? c / 10 : 1);
}

/* FNV-1a over the first c observations' coordinates and measurements. */
static uint64_t prefix_hash(const struct tuner *t, size_t c)
{
	const struct tuner_problem *p = t->problem;
	const struct bo *b = t->priv;
	const unsigned char *parts[3] = {
		(const void *)b->u, (const void *)b->score,
		(const void *)b->cons,
	};
	size_t sizes[3] = {
		c * dims(t) * sizeof(double),
		c * p->nobjectives * sizeof(double),
		c * p->nconstraints * sizeof(double),
	};
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; j < sizes[i]; j++)
			h = (h ^ parts[i][j]) * 0x100000001b3ULL;
	return h;
}

/*
 * Fits cost O(n^3) per step: fewer restarts and steps past 120 points.
 * Below that, a warm start alone sometimes slid into a wrong mode (two
 * knobs called irrelevant, 6-D with noise) and the ranking followed it.
 */
static void fit_effort(size_t c, unsigned int *restarts, unsigned int *evals)
{
	if (c <= 20) {
		*restarts = 2;
		*evals = 150;
	} else if (c <= 120) {
		*restarts = 2;
		*evals = 100;
	} else {
		/*
		 * A warm start moves little with 10% more data; 12 steps keep
		 * a refit at 200 observations near 25 ms of CPU.
		 */
		*restarts = 0;
		*evals = 12;
	}
}

/* Model k's known noise: the objective's, one objective only. */
static const double *noise_of(const struct tuner *t, size_t k)
{
	const struct bo *b = t->priv;

	return k == 0 && t->problem->nobjectives == 1 ? b->noise : NULL;
}

/*
 * Brings model k's hyperparameters to the last checkpoint at or below m,
 * replaying the chain when the history is not the one it followed, then
 * sets all m observations with room for `extra` believed points.
 */
static int update_model(struct tuner *t, size_t k, size_t extra)
{
	const struct tuner_problem *p = t->problem;
	struct bo *b = t->priv;
	struct model *md = &b->models[k];
	unsigned int restarts, evals;
	size_t m = b->m, c;
	struct rng rng;
	int ret;

	if (md->fitted && (md->fitted > m ||
			   prefix_hash(t, md->fitted) != md->prefix_hash)) {
		gp_free(md->gp);
		md->gp = new_gp(t);
		md->fitted = 0;
		if (!md->gp)
			return -ENOMEM;
	}
	for (c = next_checkpoint(md->fitted); c <= m; c = next_checkpoint(c)) {
		ret = targets(t, k, c);
		if (!ret)
			ret = gp_set_data(md->gp, b->u, b->y, noise_of(t, k),
					  c, 0);
		if (ret)
			return ret;
		fit_effort(c, &restarts, &evals);
		rng_seed(&rng, rng_mix(p->seed ^ STREAM_FIT, c * b->nmodels + k));
		ret = gp_fit(md->gp, &rng, restarts, evals);
		if (ret)
			return ret;
		md->fitted = c;
	}
	md->prefix_hash = prefix_hash(t, md->fitted);
	ret = targets(t, k, m);
	return ret ? ret : gp_set_data(md->gp, b->u, b->y, noise_of(t, k), m,
				       extra);
}

/* The trust region's centre for the first suggestion: the host's values. */
static const double *first_center(const struct tuner *t, double *buf)
{
	const struct tuner_problem *p = t->problem;
	const struct bo *b = t->priv;
	size_t i;

	if (b->m)
		return b->u + (b->m - 1) * dims(t);
	if (!p->baseline)
		return NULL;
	for (i = 0; i < dims(t); i++)
		if (!isfinite(p->baseline[i]))
			return NULL;
	ucube_from_point(p->space, p->baseline, buf);
	return buf;
}

static int design_phase(struct tuner *t, size_t k,
			struct tuner_suggestion *out, size_t nout)
{
	const struct space *s = t->problem->space;
	struct bo *b = t->priv;
	double u[dims(t) ? dims(t) : 1], cbuf[dims(t) ? dims(t) : 1];
	const double *center = first_center(t, cbuf);
	struct rng rng;
	size_t i;

	for (i = 0; i < nout && k + i < b->initial; i++) {
		memcpy(u, b->design + (k + i) * dims(t), sizeof(u));
		if (b->max_step > 0 && center) {
			/* the hypercube spans the space, a step may not */
			rng_seed(&rng, rng_mix(t->problem->seed ^ STREAM_DESIGN,
					       k + i + 1));
			ucube_random_near(s, center, b->max_step, &rng, u);
			snprintf(out[i].why, sizeof(out[i].why),
				 "bo: initial point %zu of %u, within the trust region",
				 k + i + 1, b->initial);
		} else {
			snprintf(out[i].why, sizeof(out[i].why),
				 "bo: latin hypercube point %zu of %u",
				 k + i + 1, b->initial);
		}
		ucube_to_point(s, u, out[i].x);
		ucube_from_point(s, out[i].x, cbuf);
		center = cbuf;
	}
	return (int)i;
}

static bool any_feasible(const struct bo *b)
{
	size_t i;

	for (i = 0; i < b->m; i++)
		if (b->feasible[i])
			return true;
	return false;
}

/*
 * The incumbent of augmented EI: among feasible observations, the one
 * with the lowest posterior mean (not the luckiest measurement); that
 * mean is the level to improve on. Fills starts with the best of them (up
 * to NSTARTS), returns how many.
 */
static size_t incumbent(struct tuner *t, double *best, double *starts)
{
	struct bo *b = t->priv;
	struct gp *gp = b->models[0].gp;
	double key[NSTARTS], mu, var, e;
	size_t n = dims(t), i, j, ns = 0;
	bool any = any_feasible(b);

	*best = INFINITY;
	for (i = 0; i < b->m; i++) {
		if (any && !b->feasible[i])
			continue;
		gp_predict(gp, b->u + i * n, &mu, &var, NULL, NULL);
		e = mu;
		/* insertion into the sorted list of starts */
		for (j = ns; j > 0 && key[j - 1] > e; j--) {
			if (j < NSTARTS) {
				key[j] = key[j - 1];
				memcpy(starts + j * n, starts + (j - 1) * n,
				       n * sizeof(*starts));
			}
		}
		if (j < NSTARTS) {
			key[j] = e;
			memcpy(starts + j * n, b->u + i * n, n * sizeof(*starts));
			if (ns < NSTARTS)
				ns++;
			if (j == 0)
				*best = mu;
		}
	}
	return ns;
}

/* "why" for a chosen point: the model's view of it. */
static void explain(const struct tuner *t, const struct acq *a,
		    const double *u, char *why, size_t len)
{
	const struct tuner_problem *p = t->problem;
	const struct objective *o = &p->objectives[0];
	const struct bo *b = t->priv;
	double mu, var, pof = 1, cm, cv, w;
	size_t c;
	int used;

	for (c = 0; c < a->ncons; c++) {
		gp_predict(a->cons[c], u, &cm, &cv, NULL, NULL);
		pof *= exp(acq_log_pof(cm, sqrt(cv), a->bound[c], NULL, NULL));
	}
	if (!a->obj) {
		snprintf(why, len, "bo: no feasible point yet; P(feasible) %.2f",
			 pof);
		return;
	}
	gp_predict(a->obj, u, &mu, &var, NULL, NULL);
	if (p->nobjectives > 1) {
		w = weight(t, b->m);
		used = snprintf(why, len,
				"bo: ParEGO weights %.2f/%.2f, EI %.3g over %zu points",
				w, 1 - w, acq_ei(mu, sqrt(var), a->best), b->m);
	} else {
		double sign = o->goal == GOAL_MAXIMIZE ? -1 : 1;

		/* one standard deviation each way, in the metric's units */
		used = snprintf(why, len,
				"bo: EI %.3g, %s predicted %.4g (%.4g to %.4g) over %zu points",
				acq_ei(mu, sqrt(var), a->best), o->metric,
				sign * warp_inverse(&b->warp, mu),
				sign * warp_inverse(&b->warp, mu - sign * sqrt(var)),
				sign * warp_inverse(&b->warp, mu + sign * sqrt(var)),
				b->m);
	}
	if (a->ncons && used > 0 && (size_t)used < len)
		snprintf(why + used, len - used, ", P(feasible) %.2f", pof);
}

/*
 * A model that cannot be factorised even with jitter (a degenerate
 * history) must not end the run: random points, said so.
 */
static int fallback(struct tuner *t, size_t k, struct tuner_suggestion *out,
		    size_t nout)
{
	const struct space *s = t->problem->space;
	const struct bo *b = t->priv;
	double u[s->n ? s->n : 1];
	struct rng rng;
	size_t i;

	rng_seed(&rng, rng_mix(t->problem->seed ^ STREAM_ACQ, k));
	for (i = 0; i < nout; i++) {
		if (b->max_step > 0)
			ucube_random_near(s, b->u + (b->m - 1) * s->n,
					  b->max_step, &rng, u);
		else
			ucube_random(s, &rng, u);
		ucube_to_point(s, u, out[i].x);
		snprintf(out[i].why, sizeof(out[i].why),
			 "bo: the model could not be fitted; a random point");
	}
	return (int)nout;
}

/*
 * While the model cannot predict a measurement from the others (leave-one-
 * out R^2 low: noise, or a landscape rougher than the points are dense),
 * EI would only re-measure the luckiest configuration: cover the space
 * instead (up to half the budget), each point the farthest from
 * everything measured of a seeded random pool.
 */
static int spread_out(struct tuner *t, size_t k, double r2,
		      struct tuner_suggestion *out, size_t nout)
{
	const struct space *s = t->problem->space;
	const struct bo *b = t->priv;
	size_t n = s->n, i, j, c, m = b->m;
	double u[n ? n : 1], best[n ? n : 1], *chosen, d, far, near;
	struct rng rng;

	chosen = malloc((nout * n + 1) * sizeof(*chosen));
	if (!chosen)
		return -ENOMEM;
	rng_seed(&rng, rng_mix(t->problem->seed ^ STREAM_DESIGN, k + 1));
	for (i = 0; i < nout; i++) {
		far = -1;
		for (c = 0; c < 256; c++) {
			if (b->max_step > 0)
				ucube_random_near(s, i ? chosen + (i - 1) * n :
						  b->u + (m - 1) * n,
						  b->max_step, &rng, u);
			else
				ucube_random(s, &rng, u);
			near = INFINITY;
			for (j = 0; j < m + i; j++) {
				d = ucube_dist2(s, u, j < m ? b->u + j * n :
						chosen + (j - m) * n);
				near = d < near ? d : near;
			}
			if (near > far) {
				far = near;
				memcpy(best, u, sizeof(best));
			}
		}
		memcpy(chosen + i * n, best, sizeof(best));
		ucube_to_point(s, best, out[i].x);
		snprintf(out[i].why, sizeof(out[i].why),
			 "bo: the model predicts left-out measurements poorly (R2 %.2f); a space-filling point",
			 r2);
	}
	free(chosen);
	return (int)nout;
}

/*
 * Two steps in every GLOBAL_EVERY once the global model has had a few
 * steps of its own (a quarter of the design's size), one objective, no
 * constraints and no user trust region (what was measured): EI on a
 * local model (local_model.h) of the points nearest the incumbent,
 * maximised in the box the model knows, its incumbent the local model's
 * best posterior mean there. The global steps in between keep looking
 * for other basins. The number of points the local model took and the
 * point in u; 0 when it is not a local step (or the local model could not
 * be fitted, or its points are all at the incumbent); or -ENOMEM.
 */
static int local_step(struct tuner *t, size_t k, const double *incumbent,
		      struct rng *rng, double *u)
{
	const struct tuner_problem *p = t->problem;
	struct bo *b = t->priv;
	size_t n = dims(t), taken[LOCAL_POINTS], i;
	double center[n ? n : 1], mu, var;
	struct acq a = { .space = p->space, .center = center, .best = INFINITY };
	struct rng fit;
	int ret;

	if (!takes_local_steps(t, b) || k < b->initial + b->initial / 4 ||
	    k % GLOBAL_EVERY == 0)
		return 0;
	a.obj = new_gp(t);
	if (!a.obj)
		return -ENOMEM;
	ret = targets(t, 0, b->m);
	if (ret)
		goto out;
	rng_seed(&fit, rng_mix(p->seed ^ STREAM_LOCAL, k));
	ret = local_model_fit(a.obj, p->space, b->u, b->y, b->noise, b->m,
			      incumbent, LOCAL_POINTS, &fit, LOCAL_RESTARTS,
			      &a.radius, taken);
	if (ret < 0) {
		ret = ret == -ENOMEM ? ret : 0;
		goto out;
	}
	/* all of them at the incumbent (repeats): no box to search, go global */
	if (!(a.radius > 0)) {
		ret = 0;
		goto out;
	}
	for (i = 0; i < (size_t)ret; i++) {
		gp_predict(a.obj, b->u + taken[i] * n, &mu, &var, NULL, NULL);
		a.best = fmin(a.best, mu);
	}
	memcpy(center, incumbent, sizeof(center));
	acq_maximise(&a, rng, incumbent, 1, 128 + 32 * n, 3, u);
out:
	gp_free(a.obj);
	return ret;
}

static int model_phase(struct tuner *t, size_t k,
		       struct tuner_suggestion *out, size_t nout)
{
	const struct tuner_problem *p = t->problem;
	struct bo *b = t->priv;
	size_t n = dims(t), i, j, ns, used;
	double u[n ? n : 1], center[n ? n : 1], starts[NSTARTS * (n ? n : 1)];
	double mu, var, r2;
	struct gp *cons[p->nconstraints + 1];
	struct acq a = {
		.space = p->space,
		.cons = cons,
		.bound = b->bound,
		.ncons = p->nconstraints,
		.center = center,
		.radius = b->max_step,
	};
	struct rng rng;
	int ret;

	for (j = 0; j < b->nmodels; j++) {
		ret = update_model(t, j, nout);
		if (ret == -EDOM)
			return fallback(t, k, out, nout);
		if (ret)
			return ret;
	}
	if (k < (p->budget ? p->budget / 2 : 4 * (size_t)b->initial)) {
		r2 = gp_loo_r2(b->models[0].gp);
		if (r2 < LOO_R2_MIN)
			return spread_out(t, k, r2, out, nout);
	}
	for (j = 0; j < p->nconstraints; j++)
		cons[j] = b->models[j + 1].gp;
	ns = incumbent(t, &a.best, starts);
	/* with no feasible point yet, feasibility is all that is sought */
	a.obj = p->nconstraints && !any_feasible(b) ? NULL : b->models[0].gp;
	memcpy(center, b->u + (b->m - 1) * n, n * sizeof(*center));
	rng_seed(&rng, rng_mix(p->seed ^ STREAM_ACQ, k));
	for (i = 0; i < nout; i++) {
		ret = i || !ns ? 0 : local_step(t, k, starts, &rng, u);
		if (ret < 0)
			return ret;
		if (!ret)
			acq_maximise(&a, &rng, starts, ns, 128 + 32 * n, 3, u);
		explain(t, &a, u, out[i].why, sizeof(out[i].why));
		used = strlen(out[i].why);
		if (ret)
			snprintf(out[i].why + used, sizeof(out[i].why) - used,
				 "; chosen by the local model of the %d points nearest the incumbent",
				 ret);
		ucube_to_point(p->space, u, out[i].x);
		if (i + 1 == nout)
			break;
		/* kriging believer: as if u had measured what is expected */
		for (j = 0; j < b->nmodels; j++) {
			gp_predict(b->models[j].gp, u, &mu, &var, NULL, NULL);
			ret = gp_add_point(b->models[j].gp, u, mu);
			if (ret)
				return ret;
		}
		/* the trust region bounds each step, from the previous point */
		memcpy(center, u, n * sizeof(*center));
	}
	return (int)nout;
}

static int bo_suggest(struct tuner *t, const struct tuner_history *h,
		      struct tuner_suggestion *out, size_t nout)
{
	struct bo *b = t->priv;
	size_t k = tuner_history_suggested(h);
	int ret;

	if (!nout)
		return 0;
	ret = collect(t, h);
	if (ret)
		return ret;
	if (k < b->initial || !b->m)
		return design_phase(t, k < b->initial ? k : 0, out, nout);
	return model_phase(t, k, out, nout);
}

static const char *const bo_options[] = { "initial", "max_step", NULL };

/*
 * The measured configurations by the objective's posterior mean: a point
 * measured once with a lucky median is not crowned over one whose many
 * windows agree. Two objectives have no single mean: observed order.
 */
static int bo_rank(struct tuner *t, const struct tuner_history *h,
		   size_t *idx, size_t k)
{
	const struct tuner_problem *p = t->problem;
	struct bo *b = t->priv;
	double *key, mu, var;
	size_t i;
	int ret;

	if (p->nobjectives > 1)
		return tuner_rank_observed(p, h, idx, k);
	ret = collect(t, h);
	if (ret)
		return ret;
	if (!b->m)
		return tuner_rank_observed(p, h, idx, k);
	ret = update_model(t, 0, 0);
	if (ret == -EDOM)
		return tuner_rank_observed(p, h, idx, k);
	if (ret)
		return ret;
	key = malloc((h->n + 1) * sizeof(*key));
	if (!key)
		return -ENOMEM;
	for (i = 0; i < h->n; i++)
		key[i] = INFINITY;
	for (i = 0; i < b->m; i++) {
		if (!isfinite(tuner_obs_score(p, &h->obs[b->hidx[i]], 0)))
			continue;
		gp_predict(b->models[0].gp, b->u + i * dims(t), &mu, &var,
			   NULL, NULL);
		key[b->hidx[i]] = mu;
	}
	ret = tuner_rank_by(p, h, key, idx, k);
	free(key);
	return ret;
}

const struct tuner_ops tuner_bo_ops = {
	.objectives2 = true,
	.name = "bo",
	.options = bo_options,
	.summary = "Gaussian-process Bayesian optimisation (expected improvement, constraints, two objectives)",
	.init = bo_init,
	.suggest = bo_suggest,
	.rank = bo_rank,
	.fini = bo_fini,
};

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Expected improvement, probability of feasibility, and the multi-start
 * search that maximises their product over the unit cube.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <nlopt.h>

#include "search/acquisition.h"
#include "search/ucube.h"

/* Local searches stop here: the pool already found the right basin. */
#define LOCAL_MAXEVAL 60
#define POLISH_ROUNDS 8

double acq_ei(double mu, double sigma, double best)
{
	double z = (best - mu) / sigma;

	return (best - mu) * gsl_cdf_ugaussian_P(z) +
	       sigma * gsl_ran_ugaussian_pdf(z);
}

static double log_phi(double z)
{
	return -0.5 * z * z - 0.5 * log(2 * M_PI);
}

/*
 * log h(z), h(z) = phi(z) + z Phi(z) = EI / sigma, and g = d log h / dz =
 * Phi(z) / h(z). For z < 0 both terms of h nearly cancel; with the
 * inverse Mills ratio lambda = phi(z) / Phi(z) = hazard(-z):
 * h = phi (1 + z / lambda) and g = 1 / (lambda + z).
 */
static double log_h(double z, double *g)
{
	double lambda, t;

	if (z > -1) {
		double cdf = gsl_cdf_ugaussian_P(z);
		double h = gsl_ran_ugaussian_pdf(z) + z * cdf;

		*g = cdf / h;
		return log(h);
	}
	t = -z;
	if (t > 1e4) {
		/* lambda + z ~ 1/t; the series keeps its first term */
		*g = t;
		return log_phi(z) - 2 * log(t);
	}
	lambda = gsl_sf_hazard(t);
	*g = 1 / (lambda + z);
	return log_phi(z) + log1p(z / lambda);
}

double acq_log_ei(double mu, double sigma, double best, double *d_mu,
		  double *d_sigma)
{
	double z = (best - mu) / sigma, g, v;

	v = log(sigma) + log_h(z, &g);
	if (d_mu)
		*d_mu = -g / sigma;
	if (d_sigma)
		*d_sigma = (1 - z * g) / sigma;
	return v;
}

double acq_log_pof(double mu, double sigma, double bound, double *d_mu,
		   double *d_sigma)
{
	double z = (bound - mu) / sigma, lambda = gsl_sf_hazard(-z);

	if (d_mu)
		*d_mu = -lambda / sigma;
	if (d_sigma)
		*d_sigma = -lambda * z / sigma;
	return gsl_sf_log_erfc(-z / M_SQRT2) - M_LN2;
}

/* Adds d(val)/dx = dv_dmu dmu + dv_dsigma dvar / (2 sigma) to grad. */
static void chain(double *grad, size_t dim, double dv_dmu, double dv_dsigma,
		  double sigma, const double *dmu, const double *dvar)
{
	size_t d;

	for (d = 0; d < dim; d++)
		grad[d] += dv_dmu * dmu[d] + dv_dsigma * dvar[d] / (2 * sigma);
}

double acq_eval(const struct acq *a, const double *x, double *grad)
{
	double mu, var, sigma, dm, ds, val = 0, sn2, f, df;
	double dmu[a->space->n], dvar[a->space->n];
	bool g = grad != NULL;
	size_t c;

	if (g)
		memset(grad, 0, a->space->n * sizeof(*grad));
	if (a->obj) {
		gp_predict(a->obj, x, &mu, &var, g ? dmu : NULL,
			   g ? dvar : NULL);
		sigma = sqrt(var);
		val = acq_log_ei(mu, sigma, a->best, &dm, &ds);
		/*
		 * Augmented EI's factor 1 - sn / sqrt(var + sn2): where the
		 * remaining uncertainty is mostly noise, measuring again
		 * teaches little.
		 */
		sn2 = gp_noise_var(a->obj);
		f = 1 - sqrt(sn2 / (var + sn2));
		df = sqrt(sn2) * sigma / pow(var + sn2, 1.5);
		val += log(f);
		ds += df / f;
		if (g)
			chain(grad, a->space->n, dm, ds, sigma, dmu, dvar);
	}
	for (c = 0; c < a->ncons; c++) {
		gp_predict(a->cons[c], x, &mu, &var, g ? dmu : NULL,
			   g ? dvar : NULL);
		sigma = sqrt(var);
		val += acq_log_pof(mu, sigma, a->bound[c], &dm, &ds);
		if (g)
			chain(grad, a->space->n, dm, ds, sigma, dmu, dvar);
	}
	return val;
}

/* Valid, and inside the trust region when there is one. */
static void legalise(const struct acq *a, double *x)
{
	if (a->radius > 0)
		ucube_clip(a->space, a->center, a->radius, x);
	else
		ucube_project(a->space, x);
}

/* The local search's view: numeric coordinates only. */
struct local {
	const struct acq *a;
	double *x;		/* the full point; categorical ones fixed */
	size_t *axis;		/* numeric coordinate -> index in x */
	double *grad;
};

static double local_obj(unsigned int n, const double *z, double *grad,
			void *data)
{
	struct local *l = data;
	double v;
	unsigned int i;

	for (i = 0; i < n; i++)
		l->x[l->axis[i]] = z[i];
	v = acq_eval(l->a, l->x, grad ? l->grad : NULL);
	if (grad)
		for (i = 0; i < n; i++)
			grad[i] = l->grad[l->axis[i]];
	return isfinite(v) ? v : -1e300;
}

/*
 * L-BFGS over the numeric coordinates (integers relaxed, rounded after):
 * the acquisition at the rounded point is what counts, as if the kernel
 * itself rounded.
 */
static double local_search(const struct acq *a, double *x)
{
	size_t dim = a->space->n, axis[dim], n = 0, i;
	double z[dim], lo[dim], hi[dim], grad[dim], start[dim], val;
	struct local l = { a, x, axis, grad };
	nlopt_opt opt;

	for (i = 0; i < dim; i++) {
		if (ucube_is_cat(a->space, i))
			continue;
		axis[n] = i;
		z[n] = x[i];
		lo[n] = 0;
		hi[n] = 1;
		if (a->radius > 0) {
			lo[n] = fmax(0, a->center[i] - a->radius);
			hi[n] = fmin(1, a->center[i] + a->radius);
		}
		z[n] = fmin(hi[n], fmax(lo[n], z[n]));
		n++;
	}
	memcpy(start, x, sizeof(start));
	if (n) {
		opt = nlopt_create(NLOPT_LD_LBFGS, n);
		if (opt) {
			nlopt_set_lower_bounds(opt, lo);
			nlopt_set_upper_bounds(opt, hi);
			nlopt_set_max_objective(opt, local_obj, &l);
			nlopt_set_maxeval(opt, LOCAL_MAXEVAL);
			nlopt_set_xtol_rel(opt, 1e-6);
			nlopt_optimize(opt, z, &val);
			nlopt_destroy(opt);
			for (i = 0; i < n; i++)
				x[axis[i]] = z[i];
		}
	}
	legalise(a, x);
	val = acq_eval(a, x, NULL);
	/* rounding may lose what the relaxed search found */
	if (!(val >= acq_eval(a, start, NULL))) {
		memcpy(x, start, sizeof(start));
		val = acq_eval(a, x, NULL);
	}
	return val;
}

/* One discrete move: integer knob by step, or categorical to value v. */
static bool move(const struct acq *a, const double *x, size_t d, double v,
		 double *y)
{
	const struct dim *dim = &a->space->dims[d];
	size_t n = a->space->n;

	memcpy(y, x, n * sizeof(*y));
	if (dim->type == DIM_INT) {
		double nat = dim_from_unit(dim, x[d]) + v;

		if (nat < dim->min || nat > dim->max)
			return false;
		y[d] = dim_to_unit(dim, nat);
	} else {
		y[d] = v;
	}
	legalise(a, y);
	return memcmp(x, y, n * sizeof(*y)) != 0;
}

/* Greedy best-improvement over discrete moves. */
static double polish(const struct acq *a, double *x, double val)
{
	size_t n = a->space->n, d;
	double y[n], best[n], bestval, v;
	unsigned int round, k;

	for (round = 0; round < POLISH_ROUNDS; round++) {
		bestval = val;
		for (d = 0; d < n; d++) {
			const struct dim *dim = &a->space->dims[d];
			size_t nmoves = dim->type == DIM_INT ? 2 :
					dim->type == DIM_CATEGORICAL ?
					dim->nvalues : 0;

			for (k = 0; k < nmoves; k++) {
				double step = dim->type == DIM_INT ?
					      (k ? 1.0 : -1.0) : (double)k;

				if (!move(a, x, d, step, y))
					continue;
				v = acq_eval(a, y, NULL);
				if (v > bestval) {
					bestval = v;
					memcpy(best, y, sizeof(best));
				}
			}
		}
		if (bestval <= val)
			break;
		val = bestval;
		memcpy(x, best, sizeof(best));
	}
	return val;
}

static void perturb(const struct acq *a, const double *from, struct rng *rng,
		    double *x)
{
	/* mixed step sizes: near refinements and wider hops */
	double scale = rng_uniform(rng) < 0.5 ? 0.02 : 0.15;
	size_t n = a->space->n, d;

	for (d = 0; d < n; d++) {
		if (ucube_is_cat(a->space, d)) {
			x[d] = from[d];
			if (rng_uniform(rng) * n < 1)
				x[d] = (double)rng_below(rng,
						a->space->dims[d].nvalues);
			continue;
		}
		x[d] = from[d] + scale * ucube_gaussian(rng);
	}
	legalise(a, x);
}

/* Candidate i of the pool: every other one a perturbed start. */
static void candidate(const struct acq *a, struct rng *rng,
		      const double *starts, size_t nstarts, size_t i,
		      double *x)
{
	if (nstarts && i % 2)
		perturb(a, starts + (i / 2 % nstarts) * a->space->n, rng, x);
	else if (a->radius > 0)
		ucube_random_near(a->space, a->center, a->radius, rng, x);
	else
		ucube_random(a->space, rng, x);
}

double acq_maximise(const struct acq *a, struct rng *rng, const double *starts,
		    size_t nstarts, size_t pool, size_t nlocal, double *x)
{
	double *cand = malloc((pool + nstarts) * a->space->n * sizeof(*cand));
	double *val = malloc((pool + nstarts) * sizeof(*val));
	size_t *top = calloc(nlocal + 2, sizeof(*top));
	size_t total = pool + nstarts, i, k, ntop = 0;
	double y[a->space->n], v, bestval = -INFINITY;

	if (!nlocal)
		nlocal = 1;

	if (!cand || !val || !top) {
		/* still a valid suggestion */
		candidate(a, rng, NULL, 0, 0, x);
		bestval = acq_eval(a, x, NULL);
		goto out;
	}
	for (i = 0; i < total; i++) {
		double *c = cand + i * a->space->n;

		if (i < nstarts) {
			memcpy(c, starts + i * a->space->n, a->space->n * sizeof(*c));
			legalise(a, c);
		} else {
			candidate(a, rng, starts, nstarts, i - nstarts, c);
		}
		val[i] = acq_eval(a, c, NULL);
		/* insertion into the sorted top list */
		for (k = ntop; k > 0 && val[top[k - 1]] < val[i]; k--)
			if (k < nlocal)
				top[k] = top[k - 1];
		if (k < nlocal) {
			top[k] = i;
			if (ntop < nlocal)
				ntop++;
		}
	}
	for (k = 0; k < ntop; k++) {
		memcpy(y, cand + top[k] * a->space->n, sizeof(y));
		v = local_search(a, y);
		v = polish(a, y, v);
		if (v > bestval || k == 0) {
			bestval = v;
			memcpy(x, y, sizeof(y));
		}
	}
out:
	free(cand);
	free(val);
	free(top);
	return bestval;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Gaussian-process regression on GSL's Cholesky, hyperparameters by NLopt.
 * Formulas: Rasmussen & Williams, "Gaussian Processes for Machine
 * Learning", ch. 2 (prediction) and 5.4 (marginal likelihood, gradient).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <nlopt.h>

#include "search/gp.h"

/* Bounds of the log hyperparameters, in unit-cube and standardised units. */
#define LOG_LS_MIN log(1e-3)
#define LOG_LS_MAX log(1e2)
#define LOG_SF2_MIN log(1e-3)
#define LOG_SF2_MAX log(1e3)
/* a floor under the noise keeps exact data factorisable */
#define LOG_SN2_MIN log(1e-6)
#define LOG_SN2_MAX log(2.0)
/*
 * Priors on the logs (standard deviations, and the learned noise's
 * centre). The length scales' is the one that matters with few points.
 * The learned noise's is centred at 1e-4 of the targets' variance, three
 * e-folds wide, off the floor: centred on the floor (1e-6) the fit called
 * 70% noise "signal" with absurdly short length scales (6-D, 10% noise);
 * centred at 1e-2 (two e-folds) exact data could not pull it down and
 * Branin without noise took 33 evaluations to 1% instead of 26-29.
 */
#define LS_PRIOR_SD 1.0
#define SF2_PRIOR_SD 1.0
#define SN2_PRIOR_SD 3.0
#define SN2_PRIOR_MEAN log(1e-4)

struct gp {
	size_t dim, n, cap;
	bool *cat;
	double *x;		/* cap x dim */
	double *y;		/* cap, standardised */
	double ymean, ysd;
	double *noise;		/* cap known noise variances, standardised */
	double noise_median;	/* of the data's, standardised */
	double *theta;		/* dim log length scales, log sf2, log sn2 */
	double ls_prior_mean;
	gsl_matrix *chol;	/* cap x cap; lower triangle of the n x n view */
	double *alpha;		/* (K + sn2 I)^-1 y */
	double *kstar, *v, *dk;	/* prediction scratch: n, n, n x dim */
};

/*
 * Matern 5/2 as a function of s = sqrt(5) r: k = sf2 (1 + s + s^2/3) e^-s.
 * Its derivative: dk/d(r^2) = -(5/6) sf2 (1 + s) e^-s; deriv() returns
 * g = (5/3) sf2 (1 + s) e^-s, so that
 *   dk/dlog(l_d) = g delta_d^2 / l_d^2  and  dk/dx_d = -g delta_d / l_d^2.
 */
static double matern(double r2, double sf2)
{
	double s = sqrt(5 * r2);

	return sf2 * (1 + s + s * s / 3) * exp(-s);
}

static double deriv(double r2, double sf2)
{
	double s = sqrt(5 * r2);

	return sf2 * (5.0 / 3) * (1 + s) * exp(-s);
}

static double delta(const struct gp *gp, size_t d, double a, double b)
{
	if (gp->cat[d])
		return a != b;
	return a - b;
}

/* Squared scaled distance with inverse squared length scales il2. */
static double dist2(const struct gp *gp, const double *a, const double *b,
		    const double *il2)
{
	double s = 0, e;
	size_t d;

	for (d = 0; d < gp->dim; d++) {
		e = delta(gp, d, a[d], b[d]);
		s += e * e * il2[d];
	}
	return s;
}

static void inv_ls2(const struct gp *gp, const double *theta, double *il2)
{
	size_t d;

	for (d = 0; d < gp->dim; d++)
		il2[d] = exp(-2 * theta[d]);
}

struct gp *gp_new(size_t dim, const bool *cat)
{
	struct gp *gp = calloc(1, sizeof(*gp));
	size_t d;

	if (!gp)
		return NULL;
	/*
	 * GSL's default error handler aborts the process, and a matrix that is
	 * not positive definite is an expected outcome here, handled by
	 * return codes. The handler is process-wide; ostune uses GSL nowhere
	 * that relies on the abort.
	 */
	gsl_set_error_handler_off();
	gp->dim = dim;
	gp->cat = calloc(dim ? dim : 1, sizeof(*gp->cat));
	gp->theta = calloc(dim + 2, sizeof(*gp->theta));
	if (!gp->cat || !gp->theta) {
		gp_free(gp);
		return NULL;
	}
	/*
	 * Longer length scales in more dimensions keep the prior's typical
	 * correlation between random points about the same (Hvarfner et al.,
	 * "Vanilla Bayesian optimization performs great in high dimensions").
	 */
	gp->ls_prior_mean = log(0.3 * sqrt(dim ? dim : 1));
	for (d = 0; d < dim; d++) {
		gp->cat[d] = cat && cat[d];
		gp->theta[d] = gp->ls_prior_mean;
	}
	gp->theta[dim] = 0;
	gp->theta[dim + 1] = SN2_PRIOR_MEAN;
	gp->ymean = 0;
	gp->ysd = 1;
	return gp;
}

static void free_data(struct gp *gp)
{
	free(gp->x);
	free(gp->y);
	free(gp->noise);
	free(gp->alpha);
	free(gp->kstar);
	free(gp->v);
	free(gp->dk);
	if (gp->chol)
		gsl_matrix_free(gp->chol);
	gp->x = gp->y = gp->noise = gp->alpha = gp->kstar = gp->v = NULL;
	gp->dk = NULL;
	gp->chol = NULL;
	gp->n = gp->cap = 0;
}

void gp_free(struct gp *gp)
{
	if (!gp)
		return;
	free_data(gp);
	free(gp->cat);
	free(gp->theta);
	free(gp);
}

size_t gp_count(const struct gp *gp)
{
	return gp->n;
}

/*
 * K + sn2 I + diag(noise) for theta into the n x n view m (lower triangle
 * and diagonal),
 * factorised in place. A failed factorisation is retried with growing
 * jitter: points closer than the noise floor can make K singular.
 */
static int factorise(const struct gp *gp, const double *theta, gsl_matrix *m,
		     size_t n)
{
	double il2[gp->dim], sf2 = exp(theta[gp->dim]);
	double sn2 = exp(theta[gp->dim + 1]), jitter = 0;
	gsl_matrix_view v = gsl_matrix_submatrix(m, 0, 0, n, n);
	size_t i, j, tries;

	inv_ls2(gp, theta, il2);
	for (tries = 0; tries < 6; tries++) {
		for (i = 0; i < n; i++) {
			const double *xi = gp->x + i * gp->dim;

			for (j = 0; j < i; j++)
				gsl_matrix_set(&v.matrix, i, j,
					       matern(dist2(gp, xi,
							    gp->x + j * gp->dim,
							    il2), sf2));
			gsl_matrix_set(&v.matrix, i, i,
				       sf2 + sn2 + gp->noise[i] + jitter);
		}
		if (!gsl_linalg_cholesky_decomp1(&v.matrix))
			return 0;
		jitter = jitter ? jitter * 10 : 1e-8 * sf2;
	}
	return -EDOM;
}

/* alpha = (K + sn2 I)^-1 y from the factor. */
static void solve_alpha(struct gp *gp)
{
	gsl_matrix_view l = gsl_matrix_submatrix(gp->chol, 0, 0, gp->n, gp->n);
	gsl_vector_view a = gsl_vector_view_array(gp->alpha, gp->n);

	memcpy(gp->alpha, gp->y, gp->n * sizeof(*gp->alpha));
	gsl_linalg_cholesky_svx(&l.matrix, &a.vector);
}

static int refactorise(struct gp *gp)
{
	int err = factorise(gp, gp->theta, gp->chol, gp->n);

	if (!err)
		solve_alpha(gp);
	return err;
}

/* The median of the known noise, for gp_noise_var(). */
static int noise_median(struct gp *gp)
{
	double *v = malloc(gp->n * sizeof(*v));

	if (!v)
		return -ENOMEM;
	memcpy(v, gp->noise, gp->n * sizeof(*v));
	gsl_sort(v, 1, gp->n);
	gp->noise_median = gsl_stats_median_from_sorted_data(v, 1, gp->n);
	free(v);
	return 0;
}

int gp_set_data(struct gp *gp, const double *x, const double *y,
		const double *noise, size_t n, size_t extra)
{
	size_t cap = n + extra, i;
	double s = 0, ss = 0;

	if (!n)
		return -EINVAL;
	for (i = 0; noise && i < n; i++)
		if (!(noise[i] >= 0))
			return -EINVAL;
	free_data(gp);
	gp->x = malloc(cap * (gp->dim ? gp->dim : 1) * sizeof(*gp->x));
	gp->y = malloc(cap * sizeof(*gp->y));
	gp->noise = calloc(cap, sizeof(*gp->noise));
	gp->alpha = malloc(cap * sizeof(*gp->alpha));
	gp->kstar = malloc(cap * sizeof(*gp->kstar));
	gp->v = malloc(cap * sizeof(*gp->v));
	gp->dk = malloc(cap * (gp->dim ? gp->dim : 1) * sizeof(*gp->dk));
	gp->chol = gsl_matrix_alloc(cap, cap);
	if (!gp->x || !gp->y || !gp->noise || !gp->alpha || !gp->kstar || !gp->v ||
	    !gp->dk || !gp->chol) {
		free_data(gp);
		return -ENOMEM;
	}
	gp->n = n;
	gp->cap = cap;
	memcpy(gp->x, x, n * gp->dim * sizeof(*x));
	for (i = 0; i < n; i++)
		s += y[i];
	gp->ymean = s / n;
	for (i = 0; i < n; i++)
		ss += (y[i] - gp->ymean) * (y[i] - gp->ymean);
	/* population sd; constant targets keep unit scale */
	gp->ysd = ss > 0 ? sqrt(ss / n) : 1;
	for (i = 0; i < n; i++) {
		gp->y[i] = (y[i] - gp->ymean) / gp->ysd;
		if (noise)
			gp->noise[i] = noise[i] / (gp->ysd * gp->ysd);
	}
	if (noise_median(gp)) {
		free_data(gp);
		return -ENOMEM;
	}
	return refactorise(gp);
}

static double log_det_half(const gsl_matrix *l, size_t n)
{
	double s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += log(gsl_matrix_get(l, i, i));
	return s;
}

double gp_lml(const struct gp *gp)
{
	gsl_vector_const_view y = gsl_vector_const_view_array(gp->y, gp->n);
	gsl_vector_const_view a = gsl_vector_const_view_array(gp->alpha, gp->n);
	double fit;

	gsl_blas_ddot(&y.vector, &a.vector, &fit);
	return -0.5 * fit - log_det_half(gp->chol, gp->n) -
	       0.5 * gp->n * log(2 * M_PI);
}

double gp_loo_r2(const struct gp *gp)
{
	gsl_matrix *inv = gsl_matrix_alloc(gp->n, gp->n);
	gsl_matrix_const_view l = gsl_matrix_const_submatrix(gp->chol, 0, 0,
							     gp->n, gp->n);
	double res = 0, tot = 0, noise = 0, r;
	double sn2 = exp(gp->theta[gp->dim + 1]);
	size_t i;

	if (!inv)
		return NAN;
	gsl_matrix_memcpy(inv, &l.matrix);
	gsl_linalg_cholesky_invert(inv);
	/* the residual of point i left out: alpha_i / [K^-1]_ii */
	for (i = 0; i < gp->n; i++) {
		r = gp->alpha[i] / gsl_matrix_get(inv, i, i);
		res += r * r;
		tot += gp->y[i] * gp->y[i];
		noise += sn2 + gp->noise[i];
	}
	gsl_matrix_free(inv);
	/* a residual carries its point's noise, which no model predicts */
	return tot > noise ? 1 - (res - noise) / (tot - noise) : NAN;
}

/* Workspace of one hyperparameter fit. */
struct fit {
	struct gp *gp;
	gsl_matrix *k;		/* factor, then its inverse */
	double *r2;		/* per pair: n x n x dim squared deltas */
	double *alpha;
};

static double log_prior(const struct gp *gp, const double *theta, double *grad)
{
	double lp = 0, z;
	size_t d;

	for (d = 0; d < gp->dim; d++) {
		z = (theta[d] - gp->ls_prior_mean) / LS_PRIOR_SD;
		lp -= 0.5 * z * z;
		grad[d] = -z / LS_PRIOR_SD;
	}
	z = theta[gp->dim] / SF2_PRIOR_SD;
	lp -= 0.5 * z * z;
	grad[gp->dim] = -z / SF2_PRIOR_SD;
	z = (theta[gp->dim + 1] - SN2_PRIOR_MEAN) / SN2_PRIOR_SD;
	lp -= 0.5 * z * z;
	grad[gp->dim + 1] = -z / SN2_PRIOR_SD;
	return lp;
}

/*
 * Log posterior of the hyperparameters and its gradient:
 *   dL/dtheta_j = 1/2 tr((alpha alpha^T - K^-1) dK/dtheta_j).
 */
static double objective(unsigned int np, const double *theta, double *grad,
			void *data)
{
	struct fit *f = data;
	struct gp *gp = f->gp;
	size_t n = gp->n, dim = gp->dim, i, j, d;
	double il2[dim], sf2 = exp(theta[dim]), sn2 = exp(theta[dim + 1]);
	double pgrad[dim + 2], lp, fit = 0, w, kij, g, r2;
	gsl_matrix_view kv = gsl_matrix_submatrix(f->k, 0, 0, n, n);
	gsl_vector_view av = gsl_vector_view_array(f->alpha, n);

	(void)np;
	lp = log_prior(gp, theta, pgrad);
	if (factorise(gp, theta, f->k, n)) {
		/* unreachable in practice (jitter); steer toward more noise */
		if (grad) {
			memset(grad, 0, (dim + 2) * sizeof(*grad));
			grad[dim + 1] = 1;
		}
		return -1e300;
	}
	memcpy(f->alpha, gp->y, n * sizeof(*f->alpha));
	gsl_linalg_cholesky_svx(&kv.matrix, &av.vector);
	for (i = 0; i < n; i++)
		fit += gp->y[i] * f->alpha[i];
	lp += -0.5 * fit - log_det_half(&kv.matrix, n) -
	      0.5 * n * log(2 * M_PI);
	if (!grad)
		return lp;

	memcpy(grad, pgrad, sizeof(pgrad));
	gsl_linalg_cholesky_invert(&kv.matrix);
	inv_ls2(gp, theta, il2);
	for (i = 0; i < n; i++) {
		for (j = 0; j <= i; j++) {
			const double *dd = f->r2 + (i * n + j) * dim;
			/* W_ij, counted twice off the diagonal (symmetry) */
			w = f->alpha[i] * f->alpha[j] -
			    gsl_matrix_get(&kv.matrix, i, j);
			if (i != j)
				w *= 2;
			r2 = 0;
			for (d = 0; d < dim; d++)
				r2 += dd[d] * il2[d];
			kij = matern(r2, sf2);
			grad[dim] += 0.5 * w * kij;
			if (i == j) {
				grad[dim + 1] += 0.5 * w * sn2;
				continue;
			}
			g = deriv(r2, sf2);
			for (d = 0; d < dim; d++)
				grad[d] += 0.5 * w * g * dd[d] * il2[d];
		}
	}
	return lp;
}

static double clampd(double v, double lo, double hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void bounds(const struct gp *gp, double *lo, double *hi)
{
	size_t d;

	for (d = 0; d < gp->dim; d++) {
		lo[d] = LOG_LS_MIN;
		hi[d] = LOG_LS_MAX;
	}
	lo[gp->dim] = LOG_SF2_MIN;
	hi[gp->dim] = LOG_SF2_MAX;
	lo[gp->dim + 1] = LOG_SN2_MIN;
	hi[gp->dim + 1] = LOG_SN2_MAX;
}

/*
 * A restart's point: length scales and signal from the prior, the noise
 * log-uniform over its whole range, since whether the data are nearly
 * exact or noisy is what a single start most often gets wrong.
 */
static void draw_start(const struct gp *gp, struct rng *rng,
		       const double *lo, const double *hi, double *theta)
{
	size_t d;

	for (d = 0; d < gp->dim; d++)
		theta[d] = gp->ls_prior_mean +
			   LS_PRIOR_SD * (2 * rng_uniform(rng) - 1);
	theta[gp->dim] = SF2_PRIOR_SD * (2 * rng_uniform(rng) - 1);
	theta[gp->dim + 1] = LOG_SN2_MIN + (LOG_SN2_MAX - LOG_SN2_MIN) *
					   rng_uniform(rng);
	for (d = 0; d < gp->dim + 2; d++)
		theta[d] = clampd(theta[d], lo[d], hi[d]);
}

static void fill_r2(struct fit *f)
{
	struct gp *gp = f->gp;
	size_t n = gp->n, dim = gp->dim, i, j, d;
	double e;

	for (i = 0; i < n; i++)
		for (j = 0; j <= i; j++)
			for (d = 0; d < dim; d++) {
				e = delta(gp, d, gp->x[i * dim + d],
					  gp->x[j * dim + d]);
				f->r2[(i * n + j) * dim + d] = e * e;
			}
}

int gp_fit(struct gp *gp, struct rng *rng, unsigned int restarts,
	   unsigned int maxeval)
{
	size_t np = gp->dim + 2, n = gp->n;
	double lo[np], hi[np], start[np], best[np], val, bestval = -INFINITY;
	struct fit f = { .gp = gp };
	nlopt_opt opt;
	unsigned int s;
	int err = -ENOMEM;

	if (!n)
		return -EINVAL;
	bounds(gp, lo, hi);
	f.k = gsl_matrix_alloc(n, n);
	f.r2 = malloc(n * n * (gp->dim ? gp->dim : 1) * sizeof(*f.r2));
	f.alpha = malloc(n * sizeof(*f.alpha));
	opt = nlopt_create(NLOPT_LD_LBFGS, np);
	if (!f.k || !f.r2 || !f.alpha || !opt)
		goto out;
	fill_r2(&f);
	nlopt_set_lower_bounds(opt, lo);
	nlopt_set_upper_bounds(opt, hi);
	nlopt_set_max_objective(opt, objective, &f);
	nlopt_set_maxeval(opt, maxeval);
	nlopt_set_ftol_rel(opt, 1e-7);
	nlopt_set_xtol_rel(opt, 1e-5);
	memcpy(best, gp->theta, sizeof(best));
	for (s = 0; s <= restarts; s++) {
		size_t d;

		if (s)
			draw_start(gp, rng, lo, hi, start);
		else
			for (d = 0; d < np; d++)
				start[d] = clampd(gp->theta[d], lo[d], hi[d]);
		/* a stop at maxeval or roundoff still leaves a usable point */
		if (nlopt_optimize(opt, start, &val) < 0 && !isfinite(val))
			continue;
		if (val > bestval) {
			bestval = val;
			memcpy(best, start, sizeof(best));
		}
	}
	memcpy(gp->theta, best, sizeof(best));
	err = refactorise(gp);
out:
	if (opt)
		nlopt_destroy(opt);
	if (f.k)
		gsl_matrix_free(f.k);
	free(f.r2);
	free(f.alpha);
	return err;
}

int gp_add_point(struct gp *gp, const double *x, double y)
{
	double il2[gp->dim], sf2 = exp(gp->theta[gp->dim]);
	double sn2 = exp(gp->theta[gp->dim + 1]), ll, d2;
	size_t n = gp->n, i;

	if (n >= gp->cap)
		return -ENOSPC;
	inv_ls2(gp, gp->theta, il2);
	memcpy(gp->x + n * gp->dim, x, gp->dim * sizeof(*x));
	gp->y[n] = (y - gp->ymean) / gp->ysd;
	gp->noise[n] = 0;
	/* new row of the factor: l = L^-1 k, diagonal sqrt(k0 - l.l) */
	for (i = 0; i < n; i++)
		gp->v[i] = matern(dist2(gp, x, gp->x + i * gp->dim, il2), sf2);
	{
		gsl_matrix_view l = gsl_matrix_submatrix(gp->chol, 0, 0, n, n);
		gsl_vector_view v = gsl_vector_view_array(gp->v, n);

		gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit,
			       &l.matrix, &v.vector);
		gsl_blas_ddot(&v.vector, &v.vector, &ll);
	}
	d2 = sf2 + sn2 - ll;
	/* a repeated point with tiny noise: keep the factor valid */
	if (d2 < 1e-10 * sf2)
		d2 = 1e-10 * sf2;
	for (i = 0; i < n; i++)
		gsl_matrix_set(gp->chol, n, i, gp->v[i]);
	gsl_matrix_set(gp->chol, n, n, sqrt(d2));
	gp->n = n + 1;
	solve_alpha(gp);
	return 0;
}

void gp_predict(struct gp *gp, const double *x, double *mean, double *var,
		double *dmean, double *dvar)
{
	size_t n = gp->n, dim = gp->dim, i, d;
	double il2[dim], sf2 = exp(gp->theta[dim]), r2, m = 0, vv, g, e;
	gsl_matrix_view l = gsl_matrix_submatrix(gp->chol, 0, 0, n, n);
	gsl_vector_view v = gsl_vector_view_array(gp->v, n);
	double s2 = gp->ysd * gp->ysd;

	inv_ls2(gp, gp->theta, il2);
	if (dmean)
		memset(dmean, 0, dim * sizeof(*dmean));
	for (i = 0; i < n; i++) {
		const double *xi = gp->x + i * dim;

		r2 = dist2(gp, x, xi, il2);
		gp->kstar[i] = matern(r2, sf2);
		m += gp->kstar[i] * gp->alpha[i];
		if (!dmean)
			continue;
		g = deriv(r2, sf2);
		for (d = 0; d < dim; d++) {
			e = gp->cat[d] ? 0 : -g * (x[d] - xi[d]) * il2[d];
			gp->dk[i * dim + d] = e;
			dmean[d] += e * gp->alpha[i];
		}
	}
	memcpy(gp->v, gp->kstar, n * sizeof(*gp->v));
	gsl_blas_dtrsv(CblasLower, CblasNoTrans, CblasNonUnit, &l.matrix,
		       &v.vector);
	gsl_blas_ddot(&v.vector, &v.vector, &vv);
	*mean = gp->ymean + gp->ysd * m;
	*var = (sf2 - vv > 1e-12 * sf2 ? sf2 - vv : 1e-12 * sf2) * s2;
	if (!dmean)
		return;
	for (d = 0; d < dim; d++)
		dmean[d] *= gp->ysd;
	/* dvar = -2 dk^T K^-1 k*, with K^-1 k* = L^-T v */
	gsl_blas_dtrsv(CblasLower, CblasTrans, CblasNonUnit, &l.matrix,
		       &v.vector);
	for (d = 0; d < dim; d++) {
		e = 0;
		for (i = 0; i < n; i++)
			e += gp->dk[i * dim + d] * gp->v[i];
		dvar[d] = -2 * e * s2;
	}
}

double gp_noise_var(const struct gp *gp)
{
	return (exp(gp->theta[gp->dim + 1]) + gp->noise_median) * gp->ysd *
	       gp->ysd;
}

void gp_get_hyper(const struct gp *gp, double *ls, double *sf2, double *sn2)
{
	size_t d;

	for (d = 0; d < gp->dim; d++)
		ls[d] = exp(gp->theta[d]);
	*sf2 = exp(gp->theta[gp->dim]);
	*sn2 = exp(gp->theta[gp->dim + 1]);
}

int gp_set_hyper(struct gp *gp, const double *ls, double sf2, double sn2)
{
	size_t d;

	for (d = 0; d < gp->dim; d++)
		if (!(ls[d] > 0))
			return -EINVAL;
	if (!(sf2 > 0) || !(sn2 > 0))
		return -EINVAL;
	for (d = 0; d < gp->dim; d++)
		gp->theta[d] = log(ls[d]);
	gp->theta[gp->dim] = log(sf2);
	gp->theta[gp->dim + 1] = log(sn2);
	return gp->n ? refactorise(gp) : 0;
}

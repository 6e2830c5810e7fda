// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Paired, interleaved A/B statistics and the sequential recommend-or-not
 * decision (verify.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>

#include "base/stats.h"
#include "tune/verify.h"

/*
 * Alpha spending: Hwang-Shih-DeCani with gamma -2, between Pocock's
 * (which spends early and leaves little for the planned last look) and
 * O'Brien-Fleming's (which almost never stops early); bench/verify
 * compares them.
 */
#define SPEND_GAMMA (-2.0)
/*
 * Why a margin: the boundaries are computed for normal statistics and
 * applied to t statistics (each look's nominal level against the t
 * distribution's p-value). That is exact for one look, but over many
 * looks the t statistics cross about 9% more often than the normal ones
 * would (at 20 rounds; measured by simulation, as bench/verify does), so
 * a design spending all of alpha would recommend more than alpha of the
 * candidates that are not better. With more than one look the design
 * therefore spends this share of alpha. Without the futility look (the
 * plain design, verify_pair.c's tests) less margin made the rate about
 * alpha: 0.85 recommended 0.0503 of null single candidates at 5% noise
 * (10000 runs a cell, SE 0.002), so 0.8 keeps a margin below it.
 */
#define T_MARGIN 0.8
/*
 * A design with a futility look at 3 rounds (a t statistic of 2 degrees
 * of freedom) leans on the normal theory harder: with 0.8 its false
 * recommendations came to alpha with 6 and 10 planned rounds (0.050 at
 * 40000 runs a cell, SE 0.0011). With this, at most 0.047 at 5, 6, 7 and
 * 10 planned rounds, and at most 0.044 of null or slightly worse
 * candidates in every cell of 20 planned rounds (0 to 20% window noise
 * with drift, 1 and 3 candidates, 10000 runs a cell; bench/verify,
 * docs/tuners.md has the table).
 */
#define T_MARGIN_FUTILITY 0.75
/*
 * Futility, binding: a candidate whose statistic at an interim look falls
 * below the futility boundary is out for good, and the efficacy
 * boundaries are computed knowing that the paths below it stop, so they
 * are lower than without it. The futility boundaries spend beta = 0.2 by
 * a Hwang-Shih-DeCani function under the effect the planned rounds detect
 * with power 1 - beta: the rounds a user plans size what is worth
 * finding, and a candidate whose rounds so far make that effect unlikely
 * is given up, its rounds saved. Gamma -1 spends beta a little earlier
 * than alpha's -2: at 20 rounds a null candidate is given up after 9
 * rounds on average instead of 20, a 5% gain at 5% noise found 0.84 of
 * the time in 13 rounds instead of 0.86 in 14, and for the same windows
 * on average the verdict finds a 5% gain at 10% noise 2.0 times as often
 * as the old fixed 5-round test (bench/verify; gamma -2 kept more of the
 * first, 1 and 2 saved more rounds but lost 3-8% of that power).
 */
#define FUTILITY_BETA 0.2
#define FUTILITY_GAMMA (-1.0)
/* The grid of the boundary integration, on the z scale. */
#define GRID_Z 8.0
#define GRID_STEP 0.02
#define GRID_N ((size_t)(2 * GRID_Z / GRID_STEP) + 1)

void verify_round_order(size_t ncand, size_t round, int *order)
{
	size_t j;

	for (j = 0; j <= ncand; j++)
		order[j] = (int)j - 1;
	if (round % 2)
		for (j = 0; j <= ncand; j++)
			order[j] = (int)(ncand - j) - 1;
}

/*
 * Every other round, then about every 15% more: looks cost power (each
 * spends alpha), and late ones add little information.
 */
static size_t next_look(size_t n)
{
	size_t step = n * 15 / 100;

	return n + (step < 2 ? 2 : step);
}

bool verify_is_look(size_t n, size_t max)
{
	size_t k;

	if (n < VERIFY_FIRST_LOOK)
		return false;
	if (n == max)
		return true;
	if (n < VERIFY_FIRST_DECISION)
		return false;
	for (k = VERIFY_FIRST_DECISION; k < n; k = next_look(k))
		;
	return k == n;
}

static double spent_by(double alpha, double t, double gamma)
{
	if (t >= 1)
		return alpha;
	return alpha * -expm1(-gamma * t) / -expm1(-gamma);
}

static double spent(double alpha, double t)
{
	return spent_by(alpha, t, SPEND_GAMMA);
}

/*
 * Trapezoid integral of g on the grid below c (linear between points):
 * the mass of the paths that have not crossed.
 */
static double below(const double *g, double c)
{
	double s = 0, z, u;
	size_t i;

	for (i = 0; i + 1 < GRID_N; i++) {
		z = -GRID_Z + i * GRID_STEP;
		if (z + GRID_STEP <= c) {
			s += GRID_STEP * (g[i] + g[i + 1]) / 2;
			continue;
		}
		if (z < c) {
			u = (c - z) / GRID_STEP;
			s += (c - z) * (g[i] * (1 - u / 2) + g[i + 1] * u / 2);
		}
		break;
	}
	return s;
}

/* The boundary c above which mass `cross` of g lies. */
static double boundary(const double *g, double cross)
{
	double lo = -GRID_Z, hi = GRID_Z, total = below(g, GRID_Z);
	int i;

	if (cross <= 1e-12)
		return INFINITY;
	for (i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;

		if (total - below(g, mid) > cross)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* The boundary a below which mass `cross` of g lies. */
static double lower_boundary(const double *g, double cross)
{
	double lo = -GRID_Z, hi = GRID_Z;
	int i;

	if (cross <= 1e-12)
		return -INFINITY;
	for (i = 0; i < 60; i++) {
		double mid = (lo + hi) / 2;

		if (below(g, mid) < cross)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2;
}

/* g at z, linear between the grid's points */
static double interpolated(const double *g, double z)
{
	double x = (z + GRID_Z) / GRID_STEP;
	size_t i;

	if (x <= 0 || x >= GRID_N - 1)
		return 0;
	i = (size_t)x;
	return g[i] + (x - i) * (g[i + 1] - g[i]);
}

/*
 * The density of Z at the next look (m rounds) from that of the paths not
 * stopped at this one (n rounds, between a and c): Z' sqrt(m) = Z sqrt(n)
 * + a normal increment of mean drift (m - n) and variance m - n; drift is
 * the effect per round in units of a round's sd (0: the null).
 */
static void propagate(const double *g, double a, double c, size_t n,
		      size_t m, double drift, double *next)
{
	double sn = sqrt((double)n), sm = sqrt((double)m);
	double sd = sqrt((double)(m - n)), reach = GRID_Z * sd / sn;
	double shift = drift * (double)(m - n), lo, hi, z, prev, f, fprev, s;
	/* the kernel along the grid: k(i + 1) = k(i) r(i), r(i + 1) = r(i) q */
	double d = sn * GRID_STEP, q = exp(-d * d / (sd * sd)), x, k, r;
	size_t i, j, first;

	for (j = 0; j < GRID_N; j++) {
		double zn = -GRID_Z + j * GRID_STEP, mid = (zn * sm - shift) / sn;

		/* the kernel is negligible beyond 8 of its sds */
		lo = fmax(fmax(a, -GRID_Z), mid - reach);
		hi = fmin(fmin(c, GRID_Z), mid + reach);
		s = 0;
		if (lo < hi) {
			/* trapezoids over lo, the grid's points between, hi */
			prev = lo;
			fprev = interpolated(g, lo) * gsl_ran_gaussian_pdf(zn * sm - shift - lo * sn, sd);
			first = (size_t)((lo + GRID_Z) / GRID_STEP) + 1;
			x = zn * sm - shift - (-GRID_Z + first * GRID_STEP) * sn;
			k = gsl_ran_gaussian_pdf(x, sd);
			r = exp((2 * x * d - d * d) / (2 * sd * sd));
			for (i = first;; i++) {
				z = -GRID_Z + i * GRID_STEP;
				if (z >= hi) {
					z = hi;
					f = interpolated(g, z) *
					    gsl_ran_gaussian_pdf(zn * sm - shift - z * sn, sd);
				} else {
					f = g[i] * k;
					k *= r;
					r *= q;
				}
				s += (z - prev) * (f + fprev) / 2;
				if (z == hi)
					break;
				prev = z;
				fprev = f;
			}
		}
		next[j] = s * sm;
	}
}

int verify_levels(const size_t *n, size_t k, size_t max, bool last,
		  double alpha, double *level)
{
	double *g, *next, c = INFINITY, before = 0, now;
	size_t i, j;

	if (!k || !max || !(alpha > 0 && alpha < 1))
		return -EINVAL;
	for (i = 0; i < k; i++)
		if (!n[i] || (i && n[i] <= n[i - 1]))
			return -EINVAL;
	g = calloc(GRID_N, sizeof(*g));
	next = calloc(GRID_N, sizeof(*next));
	if (!g || !next) {
		free(g);
		free(next);
		return -ENOMEM;
	}
	if (k > 1)
		alpha *= T_MARGIN;
	for (j = 0; j < GRID_N; j++)
		g[j] = gsl_ran_ugaussian_pdf(-GRID_Z + j * GRID_STEP);
	for (i = 0; i < k; i++) {
		if (i) {
			propagate(g, -INFINITY, c, n[i - 1], n[i], 0, next);
			memcpy(g, next, GRID_N * sizeof(*g));
		}
		now = last && i == k - 1 ? alpha : spent(alpha, (double)n[i] / max);
		c = boundary(g, now - before);
		before = now;
		level[i] = isfinite(c) ? gsl_cdf_ugaussian_Q(c) : 0;
	}
	free(g);
	free(next);
	return 0;
}

/* The "better" test's looks and what each spends (verify_better_levels()). */
struct better_looks {
	const size_t *n;
	const bool *efficacy;
	size_t k, max;
	bool last;
	double alpha;
	const double *given;	/* futility p-values to use, or NULL */
};

/* The densities of the paths still going, under the null and under theta. */
struct paths {
	double *g0, *g1, *next;
};

/*
 * One pass over the looks for an effect theta per round (in a round's
 * sds): the efficacy boundaries c[] for the null, the futility ones a[]
 * (given, or spending beta under theta); returns the chance that a path
 * of effect theta ends without crossing (not computed under given).
 */
static double better_pass(const struct better_looks *l, double theta,
			  struct paths *w, double *c, double *a)
{
	double alpha_before = 0, beta_before = 0, now, stop = 0;
	size_t i, j;

	for (j = 0; j < GRID_N; j++) {
		double z = -GRID_Z + j * GRID_STEP;

		w->g0[j] = gsl_ran_ugaussian_pdf(z);
		w->g1[j] = gsl_ran_ugaussian_pdf(z - theta * sqrt((double)l->n[0]));
	}
	for (i = 0; i < l->k; i++) {
		bool final = i == l->k - 1;
		double t = (double)l->n[i] / l->max;

		if (i) {
			propagate(w->g0, a[i - 1], c[i - 1], l->n[i - 1], l->n[i],
				  0, w->next);
			memcpy(w->g0, w->next, GRID_N * sizeof(*w->g0));
			if (!l->given) {
				propagate(w->g1, a[i - 1], c[i - 1], l->n[i - 1],
					  l->n[i], theta, w->next);
				memcpy(w->g1, w->next, GRID_N * sizeof(*w->g1));
			}
		}
		c[i] = INFINITY;
		if (l->efficacy[i] || final) {
			now = final && l->last ? l->alpha : spent(l->alpha, t);
			c[i] = boundary(w->g0, now - alpha_before);
			alpha_before = now;
		}
		if (final) {
			a[i] = c[i];
		} else if (l->given) {
			a[i] = fmin(l->given[i] >= 1 ? -INFINITY :
				    gsl_cdf_ugaussian_Qinv(l->given[i]), c[i]);
		} else {
			now = spent_by(FUTILITY_BETA, t, FUTILITY_GAMMA);
			a[i] = fmin(lower_boundary(w->g1, now - beta_before), c[i]);
			beta_before = now;
		}
		if (!l->given)
			stop += below(w->g1, a[i]);
	}
	return stop;
}

int verify_better_levels(const size_t *n, const bool *efficacy, size_t k,
			 size_t max, bool last, double alpha,
			 const double *given, double *level, double *futility)
{
	struct better_looks l = {
		.n = n, .efficacy = efficacy, .k = k, .max = max, .last = last,
		.alpha = alpha, .given = given,
	};
	double c[k ? k : 1], a[k ? k : 1], lo = 0, hi;
	struct paths w;
	size_t i;
	int it, ret = 0;

	if (!k || !max || !(alpha > 0 && alpha < 1))
		return -EINVAL;
	for (i = 0; i < k; i++)
		if (!n[i] || (i && n[i] <= n[i - 1]))
			return -EINVAL;
	w.g0 = calloc(GRID_N, sizeof(*w.g0));
	w.g1 = calloc(GRID_N, sizeof(*w.g1));
	w.next = calloc(GRID_N, sizeof(*w.next));
	if (!w.g0 || !w.g1 || !w.next) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < k && efficacy[i]; i++)
		;
	if (i < k)
		l.alpha *= T_MARGIN_FUTILITY;
	else if (k > 1)
		l.alpha *= T_MARGIN;
	if (given) {
		better_pass(&l, 0, &w, c, a);
	} else {
		/*
		 * The effect these looks detect with power 1 - beta: the
		 * futility boundaries move with it, so by bisection; an
		 * effect of 12 sds over all the rounds is found always.
		 */
		hi = 12 / sqrt((double)n[k - 1]);
		for (it = 0; it < 24; it++) {
			double mid = (lo + hi) / 2;

			if (better_pass(&l, mid, &w, c, a) > FUTILITY_BETA)
				lo = mid;
			else
				hi = mid;
		}
		better_pass(&l, hi, &w, c, a);
	}
	for (i = 0; i < k; i++) {
		level[i] = isfinite(c[i]) ? gsl_cdf_ugaussian_Q(c[i]) : 0;
		futility[i] = i == k - 1 || !isfinite(a[i]) ? 1 :
			      gsl_cdf_ugaussian_Q(a[i]);
	}
out:
	free(w.g0);
	free(w.g1);
	free(w.next);
	return ret;
}

/* The "better" test's looks: the plan's, and a futility look before them. */
static int better_design(struct verify_plan *p)
{
	size_t i, d;
	int ret = 0;

	p->better_looks = calloc(p->nlooks + 1, sizeof(*p->better_looks));
	p->better_tests = calloc(p->nlooks + 1, sizeof(*p->better_tests));
	p->better_level = calloc(p->ncand * (p->nlooks + 1),
				 sizeof(*p->better_level));
	p->futility = calloc(p->nlooks + 1, sizeof(*p->futility));
	if (!p->better_looks || !p->better_tests || !p->better_level ||
	    !p->futility)
		return -ENOMEM;
	if (p->looks[0] > VERIFY_FIRST_LOOK) {
		p->better_tests[p->nbetter] = false;
		p->better_looks[p->nbetter++] = VERIFY_FIRST_LOOK;
	}
	for (i = 0; i < p->nlooks; i++) {
		p->better_tests[p->nbetter] = true;
		p->better_looks[p->nbetter++] = p->looks[i];
	}
	ret = verify_better_levels(p->better_looks, p->better_tests, p->nbetter,
				   p->max_rounds, false, p->alpha, NULL,
				   p->better_level, p->futility);
	for (d = 2; d <= p->ncand && !ret; d++) {
		double unused[p->nbetter];

		ret = verify_better_levels(p->better_looks, p->better_tests,
					   p->nbetter, p->max_rounds, false,
					   p->alpha / d, p->futility,
					   &p->better_level[(d - 1) * p->nbetter],
					   unused);
	}
	return ret;
}

int verify_plan_init(struct verify_plan *p, size_t max_rounds, size_t ncand,
		     double alpha)
{
	size_t n, d;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	if (max_rounds < VERIFY_FIRST_LOOK || !ncand || !(alpha > 0 && alpha < 1))
		return -EINVAL;
	p->max_rounds = max_rounds;
	p->ncand = ncand;
	p->alpha = alpha;
	p->looks = calloc(max_rounds, sizeof(*p->looks));
	for (n = VERIFY_FIRST_LOOK; p->looks && n <= max_rounds; n++)
		if (verify_is_look(n, max_rounds))
			p->looks[p->nlooks++] = n;
	p->level = calloc(ncand * (p->nlooks ? p->nlooks : 1), sizeof(*p->level));
	if (!p->looks || !p->level)
		ret = -ENOMEM;
	for (d = 1; d <= ncand && !ret; d++)
		ret = verify_levels(p->looks, p->nlooks, max_rounds, false,
				    alpha / d, &p->level[(d - 1) * p->nlooks]);
	ret = ret ?: better_design(p);
	if (ret)
		verify_plan_free(p);
	return ret;
}

void verify_plan_free(struct verify_plan *p)
{
	free(p->looks);
	free(p->level);
	free(p->better_looks);
	free(p->better_tests);
	free(p->better_level);
	free(p->futility);
	memset(p, 0, sizeof(*p));
}

static void mean_sd(const double *v, size_t n, double *mean, double *sd)
{
	double s = 0, ss = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += v[i];
	*mean = n ? s / n : NAN;
	for (i = 0; i < n; i++)
		ss += (v[i] - *mean) * (v[i] - *mean);
	*sd = n > 1 ? sqrt(ss / (n - 1)) : NAN;
}

static double covariance(const double *a, const double *b, size_t n)
{
	double ma, mb, sd, s = 0;
	size_t i;

	mean_sd(a, n, &ma, &sd);
	mean_sd(b, n, &mb, &sd);
	for (i = 0; i < n; i++)
		s += (a[i] - ma) * (b[i] - mb);
	return n > 1 ? s / (n - 1) : NAN;
}

/* A candidate's rounds, paired: failed ones stand at its worst. */
struct pairs {
	double *b, *c;
	size_t n;
	bool logs;	/* every value positive: compare log ratios */
};

static double sign_of(enum goal goal)
{
	return goal == GOAL_MINIMIZE ? -1 : 1;
}

/*
 * The rounds where the baseline's window succeeded. A round where the
 * candidate's failed counts, at the candidate's worst paired result (the
 * worst ratio for positive metrics, else the worst value): a failure is
 * not a free pass.
 */
static void pair_up(const struct verify_input *in, size_t j,
		    struct pairs *p, struct verify_candidate *vc)
{
	const double *c = in->candidates + j * in->plan->max_rounds;
	double s = sign_of(in->goal), worst = NAN, e;
	size_t r;

	p->n = 0;
	p->logs = true;
	for (r = 0; r < in->rounds; r++) {
		vc->base_failed += !isfinite(in->baseline[r]);
		vc->failed += !isfinite(c[r]);
		if (isfinite(in->baseline[r]) && isfinite(c[r]))
			p->logs = p->logs && in->baseline[r] > 0 && c[r] > 0;
	}
	for (r = 0; r < in->rounds; r++) {
		if (!isfinite(in->baseline[r]) || !isfinite(c[r]))
			continue;
		e = s * (p->logs ? log(c[r] / in->baseline[r]) : c[r]);
		if (isnan(worst) || e < worst)
			worst = e;
	}
	for (r = 0; r < in->rounds; r++) {
		if (!isfinite(in->baseline[r]) || (!isfinite(c[r]) && isnan(worst)))
			continue;
		p->b[p->n] = in->baseline[r];
		if (isfinite(c[r]))
			p->c[p->n] = c[r];
		else
			p->c[p->n] = p->logs ? in->baseline[r] * exp(s * worst) :
					       s * worst;
		p->n++;
	}
}

/*
 * The per-round effects e, positive when the candidate is better by more
 * than min_effect: s log(c/b) - log(1 + m) for ratios, else the paired
 * difference from theta b, theta the ratio of means at the threshold.
 */
static void effects(const struct verify_input *in, const struct pairs *p,
		    double *e)
{
	double s = sign_of(in->goal), m = in->min_effect, mb, sd, theta;
	size_t i;

	if (p->logs) {
		for (i = 0; i < p->n; i++)
			e[i] = s * log(p->c[i] / p->b[i]) - log1p(m);
		return;
	}
	mean_sd(p->b, p->n, &mb, &sd);
	/* better by m of |mean b|: c > b + m |b| (maximising) */
	theta = 1 + s * m * (mb < 0 ? -1 : 1);
	for (i = 0; i < p->n; i++)
		e[i] = s * (p->c[i] - theta * p->b[i]);
}

/* mean(c) / mean(b) */
static double ratio_of_means(const struct pairs *p)
{
	double mb, mc, sd;

	mean_sd(p->b, p->n, &mb, &sd);
	mean_sd(p->c, p->n, &mc, &sd);
	return mb ? mc / mb : NAN;
}

/*
 * Fieller's interval for mean(c) / mean(b) of paired samples, each end a
 * one-sided bound with quantile t: NaN ends when the baseline's mean is not
 * clearly away from 0 (the set is then unbounded).
 */
static void fieller(const struct pairs *p, double t, double *low,
		    double *high)
{
	double mb, mc, sd, q = t * t / p->n, a, b, c, disc;

	mean_sd(p->b, p->n, &mb, &sd);
	mean_sd(p->c, p->n, &mc, &sd);
	a = mb * mb - q * covariance(p->b, p->b, p->n);
	b = mb * mc - q * covariance(p->b, p->c, p->n);
	c = mc * mc - q * covariance(p->c, p->c, p->n);
	disc = b * b - a * c;
	*low = *high = NAN;
	if (!(a > 0) || disc < 0)
		return;
	*low = (b - sqrt(disc)) / a;
	*high = (b + sqrt(disc)) / a;
}

/* The constraints, on the median of the candidate's windows as in the search. */
static void check_constraints(const struct verify_input *in, size_t j,
			      struct verify_candidate *vc)
{
	const double *obj = in->candidates + j * in->plan->max_rounds;
	double v[in->rounds ? in->rounds : 1];
	size_t c, r, nc = in->nconstraints;

	vc->feasible = true;
	for (c = 0; c < nc && vc->feasible; c++) {
		for (r = 0; r < in->rounds; r++)
			v[r] = isfinite(obj[r]) ?
			       in->constraint_values[(j * in->plan->max_rounds + r) * nc + c] : NAN;
		if (!constraint_holds(&in->constraints[c],
				      stats_median(v, in->rounds))) {
			vc->feasible = false;
			constraint_format(&in->constraints[c], vc->violated,
					  sizeof(vc->violated));
		}
	}
}

/* The effect, its p-value and interval at one-sided level `level`. */
static void judge(const struct verify_input *in, size_t j, double level,
		  double futility_level, struct verify_candidate *vc)
{
	double b[in->rounds ? in->rounds : 1], c[in->rounds ? in->rounds : 1];
	double e[in->rounds ? in->rounds : 1], s = sign_of(in->goal);
	double mean, sd, se, t, lo, hi, df;
	struct pairs p = { .b = b, .c = c };

	memset(vc, 0, sizeof(*vc));
	check_constraints(in, j, vc);
	pair_up(in, j, &p, vc);
	vc->pairs = p.n;
	vc->fieller = !p.logs;
	vc->ratio = vc->low = vc->high = NAN;
	vc->p_value = 1;
	if (!p.n)
		return;
	effects(in, &p, e);
	mean_sd(e, p.n, &mean, &sd);
	vc->ratio = p.logs ? exp(s * (mean + log1p(in->min_effect))) :
			     ratio_of_means(&p);
	if (p.n < VERIFY_FIRST_LOOK)
		return;		/* too few pairs for an interval worth the name */
	se = sd / sqrt((double)p.n);
	df = (double)(p.n - 1);
	if (!(se > 0)) {
		/* every pair agreed exactly */
		vc->low = vc->high = vc->ratio;
		vc->p_value = mean > 0 ? 0 : 1;
		vc->futile = !(mean > 0);
	} else {
		vc->p_value = gsl_cdf_tdist_Q(mean / se, df);
		vc->futile = gsl_cdf_tdist_P(mean / se, df) <= futility_level;
		t = level > 0 ? gsl_cdf_tdist_Qinv(level, df) : INFINITY;
		if (p.logs && isfinite(t)) {
			lo = exp(s * (mean - t * se + log1p(in->min_effect)));
			hi = exp(s * (mean + t * se + log1p(in->min_effect)));
			vc->low = fmin(lo, hi);
			vc->high = fmax(lo, hi);
		} else if (isfinite(t)) {
			fieller(&p, t, &vc->low, &vc->high);
		}
	}
}

/*
 * Is candidate a's ratio better than b's? A ratio of means to a negative
 * baseline mean runs the other way: -2 is above -10 (maximised, better)
 * but its ratio to -10 is the smaller.
 */
static bool beats(const struct verify_input *in, double a, double b)
{
	double sum = 0;
	bool lower;
	size_t r;

	for (r = 0; r < in->rounds; r++)
		if (isfinite(in->baseline[r]))
			sum += in->baseline[r];
	lower = (in->goal == GOAL_MINIMIZE) != (sum < 0);
	return lower ? a < b : a > b;
}

void verify_format_ratio(double ratio, double low, double high, double conf,
			 char *buf, size_t len)
{
	if (!isfinite(ratio))
		snprintf(buf, len, "no ratio");
	else if (!isfinite(low) || !isfinite(high))
		snprintf(buf, len, "%.3gx, inconclusive (unbounded ≥%.0f%% CI)",
			 ratio, conf);
	else if (low <= 1 && high >= 1)
		snprintf(buf, len, "%.3gx, inconclusive (≥%.0f%% CI %.3gx-%.3gx)",
			 ratio, conf, low, high);
	else
		snprintf(buf, len, "%.3gx, ≥%.0f%% CI %.3gx-%.3gx", ratio, conf,
			 low, high);
}

/*
 * The plan's level when the look is planned (or the last planned before,
 * for a look not planned), computed here when the rounds ran out before
 * the plan's end.
 */
int verify_look_level(const struct verify_plan *p, size_t rounds, size_t d,
		      bool forced, double *level)
{
	size_t looks[p->nlooks + 1], k = 0, i;
	double lv[p->nlooks + 1];
	int ret;

	if (!d || d > p->ncand)
		return -EINVAL;
	if (!forced) {
		for (i = 0; i + 1 < p->nlooks && p->looks[i + 1] <= rounds; i++)
			;
		*level = p->level[(d - 1) * p->nlooks + i];
		return 0;
	}
	for (i = 0; i < p->nlooks && p->looks[i] < rounds; i++)
		looks[k++] = p->looks[i];
	looks[k++] = rounds;
	ret = verify_levels(looks, k, p->max_rounds, true, p->alpha / d, lv);
	*level = lv[k - 1];
	return ret;
}

/* Is n rounds a look of the "better" test, and one that tests efficacy? */
static bool better_look(const struct verify_plan *p, size_t n, bool *efficacy)
{
	size_t i;

	for (i = 0; i < p->nbetter; i++)
		if (p->better_looks[i] == n) {
			*efficacy = p->better_tests[i];
			return true;
		}
	*efficacy = false;
	return false;
}

/*
 * The "better" test's nominal level after `rounds` for family level
 * alpha / d, as verify_look_level() does for the plain design: forced,
 * the earlier looks' futility boundaries stand (they were applied) and
 * this look spends what is left.
 */
static int look_level(const struct verify_input *in, size_t d, bool forced,
		      double *level)
{
	const struct verify_plan *p = in->plan;
	size_t k = 0, i, looks[p->nbetter + 1];
	double lv[p->nbetter + 1], fut[p->nbetter + 1], unused[p->nbetter + 1];
	bool efficacy[p->nbetter + 1];
	int ret;

	if (in->no_futility)
		return verify_look_level(p, in->rounds, d, forced, level);
	if (!forced) {
		for (i = 0; i + 1 < p->nbetter && p->better_looks[i + 1] <= in->rounds; i++)
			;
		*level = p->better_level[(d - 1) * p->nbetter + i];
		return 0;
	}
	for (i = 0; i < p->nbetter && p->better_looks[i] < in->rounds; i++) {
		efficacy[k] = p->better_tests[i];
		fut[k] = p->futility[i];
		looks[k++] = p->better_looks[i];
	}
	efficacy[k] = true;
	looks[k++] = in->rounds;
	ret = verify_better_levels(looks, efficacy, k, p->max_rounds, true,
				   p->alpha / d, fut, lv, unused);
	*level = lv[k - 1];
	return ret;
}

/*
 * Given up for good: the rounds of the first look of the "better" test
 * before the last, up to these rounds, where the candidate's one-sided
 * p-value was above the futility boundary's; 0: none. The levels were
 * computed for these stops, so they hold whatever later rounds show.
 * With fewer than VERIFY_FIRST_LOOK pairs at a look (the baseline's
 * windows failed) there is no p-value to stop on and the candidate goes
 * on: a stop the levels counted on and that did not happen, which can
 * only add to alpha a share of the chance of passing that look's futility
 * boundary (p > 0.84 at 3 of 20 rounds) with so few pairs.
 */
static size_t given_up_at(const struct verify_input *in, size_t j)
{
	const struct verify_plan *p = in->plan;
	struct verify_input at = *in;
	struct verify_candidate vc;
	size_t i;

	for (i = 0; !in->no_futility && i + 1 < p->nbetter &&
		    p->better_looks[i] <= in->rounds; i++) {
		if (p->futility[i] >= 1)
			continue;
		at.rounds = p->better_looks[i];
		judge(&at, j, 0, 0, &vc);
		if (vc.pairs >= VERIFY_FIRST_LOOK && vc.p_value > p->futility[i])
			return at.rounds;
	}
	return 0;
}

/* The candidates given up step last, then by p-value. */
static int by_p(const void *a, const void *b, void *arg)
{
	const struct verify_candidate *c = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	if (!c[x].given_up != !c[y].given_up)
		return c[x].given_up ? 1 : -1;
	return (c[x].p_value > c[y].p_value) - (c[x].p_value < c[y].p_value);
}

/*
 * Holm's step-down at this look: the i-th smallest p-value against the
 * nominal level of family level alpha / (K - i), until one is not below.
 * Each candidate's interval is at the level of its step, so that what is
 * shown agrees with the test. A candidate given up at an earlier look
 * (binding futility: the levels assume it stops) is rejected at no level;
 * one clearly not better is futile too, which needs no correction
 * (stopping for it only makes a recommendation rarer).
 */
static int holm(const struct verify_input *in, bool forced,
		struct verify_candidate *cand)
{
	size_t K = in->ncand, order[K], after[K], i;
	struct verify_input cut = *in;
	double futility, level;
	bool open = true;
	int ret;

	ret = look_level(in, 1, forced, &futility);
	for (i = 0; i < K && !ret; i++) {
		after[i] = given_up_at(in, i);
		judge(in, i, futility, futility, &cand[i]);
		cand[i].given_up = after[i];
		order[i] = i;
	}
	if (ret)
		return ret;
	qsort_r(order, K, sizeof(*order), by_p, cand);
	for (i = 0; i < K; i++) {
		size_t j = order[i];

		ret = look_level(in, K - i, forced, &level);
		if (ret)
			return ret;
		if (after[j]) {
			/*
			 * Its test ended: rejected at no level. It is shown as
			 * the verdict saw it, on the rounds up to the look that
			 * gave it up (no later one is measured), its interval
			 * at alpha / K for that look alone (a futility look has
			 * no level of its own).
			 */
			cut.rounds = after[j];
			judge(&cut, j, in->plan->alpha / K, 0, &cand[j]);
			cand[j].given_up = after[j];
			cand[j].futile = true;
			open = false;
		} else {
			judge(in, j, level, futility, &cand[j]);
			open = open && level > 0 && cand[j].p_value <= level;
		}
		cand[j].better = open;
	}
	return 0;
}

/* Which candidate the verdict shows: a better one, else one not given up. */
static int rank(const struct verify_candidate *c)
{
	return c->better ? 2 : !c->given_up;
}

static bool fails_more(const struct verify_candidate *c)
{
	return c->failed > c->base_failed;
}

static void explain(const struct verify_input *in, struct verify_result *out,
		    int shown)
{
	double conf = 100 * (1 - 2 * in->plan->alpha);
	const struct verify_candidate *c = shown >= 0 ? &out->cand[shown] : NULL;
	char ratio[128];

	if (c)
		verify_format_ratio(c->ratio, c->low, c->high, conf, ratio,
				    sizeof(ratio));
	if (!c)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: no candidate to verify");
	else if (out->decision == VERIFY_BETTER)
		snprintf(out->why, sizeof(out->why),
			 "candidate %d is better than the baseline: %s (%zu rounds)",
			 shown + 1, ratio, in->rounds);
	else if (c->better && !c->feasible)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: candidate %d is better (%s) but breaks %s when measured again",
			 shown + 1, ratio, c->violated);
	else if (fails_more(c))
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: candidate %d failed %zu windows, the baseline %zu",
			 shown + 1, c->failed, c->base_failed);
	else if (c->pairs < VERIFY_FIRST_LOOK && in->out_of_time)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: the time budget left room for %zu of the %d paired rounds a verdict needs",
			 c->pairs, VERIFY_FIRST_LOOK);
	else if (c->pairs < VERIFY_FIRST_LOOK)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: only %zu paired rounds succeeded, %d needed",
			 c->pairs, VERIFY_FIRST_LOOK);
	else if (out->decision == VERIFY_NOT_BETTER && c->given_up)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: no candidate is better than the baseline%s; the best, candidate %d: %s (given up after %zu rounds: a gain the planned %zu rounds could show is unlikely)",
			 in->min_effect > 0 ? " by min_effect" : "", shown + 1,
			 ratio, c->given_up, in->plan->max_rounds);
	else if (out->decision == VERIFY_NOT_BETTER)
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: no candidate is better than the baseline%s; the best, candidate %d: %s (%zu rounds)",
			 in->min_effect > 0 ? " by min_effect" : "", shown + 1,
			 ratio, in->rounds);
	else
		snprintf(out->why, sizeof(out->why),
			 "defaults stand: inconclusive after %zu rounds; the best, candidate %d: %s",
			 in->rounds, shown + 1, ratio);
}

int verify_decide(const struct verify_input *in, struct verify_result *out)
{
	const struct verify_plan *p = in->plan;
	bool last, look, tests, forced, done = true;
	int best = -1, shown = -1, ret;
	size_t j;

	if (!p || !in->baseline || !in->candidates || !out->cand ||
	    in->ncand > p->ncand || in->rounds > p->max_rounds ||
	    !(in->min_effect > -1) ||
	    (in->nconstraints && !in->constraint_values))
		return -EINVAL;
	last = in->last || in->rounds >= p->max_rounds;
	if (in->no_futility)
		look = tests = verify_is_look(in->rounds, p->max_rounds);
	else
		look = better_look(p, in->rounds, &tests);
	/* the last round, off the looks that test: it spends what is left */
	forced = last && !tests;
	look = look || last;
	out->chosen = -1;
	out->decision = VERIFY_CONTINUE;
	if (!in->ncand) {
		out->decision = VERIFY_NOT_BETTER;
		explain(in, out, -1);
		return 0;
	}
	if (in->rounds < VERIFY_FIRST_LOOK)
		for (j = 0; j < in->ncand; j++)
			judge(in, j, 0, 0, &out->cand[j]);
	else {
		ret = holm(in, forced, out->cand);
		if (ret)
			return ret;
	}
	for (j = 0; j < in->ncand; j++) {
		const struct verify_candidate *c = &out->cand[j];

		if (c->better && c->feasible && !fails_more(c) &&
		    (best < 0 || beats(in, c->ratio, out->cand[best].ratio)))
			best = (int)j;
		done = done && (c->futile || fails_more(c));
		/* shown: a better one first, then one going on, then the best ratio */
		if (shown < 0 || rank(c) > rank(&out->cand[shown]) ||
		    (rank(c) == rank(&out->cand[shown]) &&
		     beats(in, c->ratio, out->cand[shown].ratio)))
			shown = (int)j;
	}
	if (look && best >= 0) {
		out->chosen = best;
		out->decision = VERIFY_BETTER;
	} else if (look && done && (in->rounds >= VERIFY_FIRST_LOOK || last)) {
		out->decision = VERIFY_NOT_BETTER;
	} else if (last) {
		out->decision = VERIFY_INCONCLUSIVE;
	}
	explain(in, out, out->chosen >= 0 ? out->chosen : shown);
	return 0;
}

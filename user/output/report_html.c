// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The report page: what was run, the verdict, the objective window by
 * window, each knob against the objective, the Pareto front of a run with
 * two objectives, and every configuration. No scripts, no external
 * resources: one file that opens anywhere.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "output/report.h"
#include "output/report_svg.h"
#include "search/pareto.h"
#include "tune/anchors.h"
#include "tune/verify.h"

static const char style[] =
	"body{font:14px/1.45 system-ui,sans-serif;color:#222;max-width:1060px;margin:24px auto;padding:0 16px}"
	"h1{font-size:22px;margin-bottom:4px}h2{font-size:17px;margin-top:30px;border-bottom:1px solid #ddd}"
	"table{border-collapse:collapse;margin:8px 0}td,th{padding:3px 10px;border-bottom:1px solid #eee;text-align:left}"
	"td.n{text-align:right;font-variant-numeric:tabular-nums}tr.changed td{font-weight:600}"
	".meta{color:#555;margin:2px 0}.verdict{padding:10px 14px;border-left:4px solid #228833;background:#f2f9f4}"
	".verdict.none{border-color:#dd8800;background:#fdf7ec}"
	"svg{display:block;margin:4px 0}svg text{font:11px sans-serif;fill:#333}"
	".grid{stroke:#eee}.frame{fill:none;stroke:#999}"
	".win,.cfg{fill:#4477aa;fill-opacity:.6}.warm,.noisy{fill:none;stroke:#4477aa;stroke-opacity:.6}"
	".basewin,.cfgbase{fill:#dd8800}.best{fill:none;stroke:#228833;stroke-width:2.5}"
	".bestline{fill:none;stroke:#228833;stroke-width:2}.band{fill:#dd8800;fill-opacity:.13}"
	".baseline{stroke:#dd8800;stroke-dasharray:5 3}.front{fill:none;stroke:#aa3377;stroke-width:2}"
	".onfront{fill:#aa3377}.cfgfaint{fill:#4477aa;fill-opacity:.35}"
	".pick{fill:none;stroke:#228833;stroke-width:2.5}.ci{stroke:#4477aa;stroke-width:3;stroke-opacity:.6}"
	".cichosen{stroke:#228833;stroke-width:3}.onci{fill:#228833}.zero{stroke:#999}"
	".anchor{fill:#fff;stroke:#aa3377;stroke-width:2}.anchorline{fill:none;stroke:#aa3377;stroke-width:1.5}"
	".knobs{display:flex;flex-wrap:wrap;gap:6px 18px}"
	".legend{color:#444;font-size:13px}.legend i{display:inline-block;width:10px;height:10px;"
	"border-radius:50%;margin:0 4px 0 12px;vertical-align:-1px}";

/* "1.094 s" */
static void value_text(const struct report_data *d, double v, char *buf,
		       size_t len)
{
	if (isfinite(v))
		snprintf(buf, len, "%.4g%s%s", v, d->unit[0] ? " " : "", d->unit);
	else
		snprintf(buf, len, "-");
}

static void text_el(FILE *out, const char *tag, const char *attrs,
		    const char *text)
{
	fprintf(out, "<%s%s>", tag, attrs);
	html_text(out, text);
	fprintf(out, "</%s>", tag);
}

/* What the config held for the whole run: fixed knobs, pinned CPUs. */
static void held_text(FILE *out, const json_t *config)
{
	const json_t *fixed = json_object_get(config, "fixed"), *v;
	const char *cpus = json_string_value(json_object_get(json_object_get(config,
								   "target"), "cpus"));
	char line[1024], *all = NULL;
	size_t used = 0;
	const char *name;
	FILE *f;

	/* as long as it takes: a line cut short would misstate a value */
	if (json_object_size(fixed) && (f = open_memstream(&all, &used))) {
		fputs("fixed for the baseline and every configuration:", f);
		json_object_foreach((json_t *)fixed, name, v)
			fprintf(f, " %s = %s;", name, json_string_value(v) ?: "?");
		if (!fclose(f))
			text_el(out, "p", " class=\"meta\"", all);
		free(all);
	}
	if (cpus) {
		snprintf(line, sizeof(line), "the target pinned to CPUs %s, ostune kept off them", cpus);
		text_el(out, "p", " class=\"meta\"", line);
	}
}

static void header(FILE *out, const struct run_dir *rd,
		   const struct report_data *d)
{
	const json_t *s = rd->summary, *target = json_object_get(rd->config, "target");
	const json_t *tuner = json_object_get(rd->config, "tuner");
	char line[512];

	fputs("<h1>ostune tuning report</h1>\n", out);
	text_el(out, "p", " class=\"meta\"", rd->path);
	snprintf(line, sizeof(line), "target %s; %s %s; tuner %s, seed %lld",
		 json_string_value(json_object_get(target, "type")) ?: "?",
		 d->objectives[0].goal == GOAL_MAXIMIZE ? "maximize" : "minimize",
		 d->objectives[0].metric,
		 json_string_value(json_object_get(tuner, "name")) ?: "?",
		 json_integer_value(json_object_get(rd->config, "seed")));
	text_el(out, "p", " class=\"meta\"", line);
	if (s)
		snprintf(line, sizeof(line), "%s to %s (%.0f s), stopped: %s; %lld configurations, %lld windows, %lld failed",
			 json_string_value(json_object_get(s, "started")) ?: "?",
			 json_string_value(json_object_get(s, "finished")) ?: "?",
			 json_number_value(json_object_get(s, "elapsed_s")),
			 json_string_value(json_object_get(s, "stopped")) ?: "?",
			 json_integer_value(json_object_get(s, "configurations")),
			 json_integer_value(json_object_get(s, "windows")),
			 json_integer_value(json_object_get(s, "failed_windows")));
	else
		snprintf(line, sizeof(line), "no summary.json: the run did not finish; %zu configurations, %zu windows so far",
			 d->nconfigs, d->nwindows);
	text_el(out, "p", " class=\"meta\"", line);
	held_text(out, rd->config);
}

static void knob_table(FILE *out, const struct report_data *d)
{
	const char *name;
	const json_t *v;

	fputs("<table><tr><th>knob</th><th>baseline</th><th>recommended</th></tr>\n", out);
	json_object_foreach((json_t *)d->best->knobs, name, v) {
		const char *was = json_string_value(json_object_get(d->baseline ?
					d->baseline->knobs : NULL, name));
		const char *now = json_string_value(v);

		fprintf(out, "<tr%s>", was && now && !strcmp(was, now) ? "" :
			" class=\"changed\"");
		text_el(out, "td", "", name);
		text_el(out, "td", " class=\"n\"", was ?: "?");
		text_el(out, "td", " class=\"n\"", now ?: "?");
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void verdict(FILE *out, const struct run_dir *rd,
		    const struct report_data *d)
{
	const json_t *pct = json_object_get(rd->summary, "improvement_pct");
	double spread = json_number_value(json_object_get(rd->summary,
							   "improvement_spread_pct"));
	const json_t *verified = json_object_get(rd->summary, "verification");
	const char *why = json_string_value(json_object_get(verified, "why"));
	char line[1280], best[64], base[64];

	fputs("<h2 id=\"recommendation\">Recommendation</h2>\n", out);
	if (why && !d->best) {
		snprintf(line, sizeof(line), "No recommendation: measured again against the baseline, %s. The host's own values stand.",
			 why);
		text_el(out, "p", " class=\"verdict none\"", line);
		return;
	}
	if (!d->best) {
		text_el(out, "p", " class=\"verdict none\"",
			"No recommendation: no configuration was measured, feasible and steady. The host's own values stand.");
		return;
	}
	if (d->best == d->baseline) {
		text_el(out, "p", " class=\"verdict none\"",
			"The baseline is the best measured: the host's own values stand.");
		return;
	}
	value_text(d, d->best->objective, best, sizeof(best));
	value_text(d, d->baseline ? d->baseline->objective : NAN, base, sizeof(base));
	if (why)
		snprintf(line, sizeof(line), "Recommended: iteration %u (%s), measured again against the baseline: %s. Apply it with: ostune apply %s/best.json",
			 d->best->iteration, d->best->why ?: "", why, rd->path);
	else if (json_is_number(pct))
		snprintf(line, sizeof(line), "Recommended: iteration %u (%s). %s %s against the baseline's %s: %.1f%% ± %.1f%% %s. Apply it with: ostune apply %s/best.json",
			 d->best->iteration, d->best->why ?: "", d->objectives[0].metric,
			 best, base, fabs(json_number_value(pct)), isfinite(spread) ? spread : 0,
			 json_number_value(pct) >= 0 ? "better" : "worse", rd->path);
	else
		snprintf(line, sizeof(line), "Best so far: iteration %u (%s). %s %s against the baseline's %s.",
			 d->best->iteration, d->best->why ?: "", d->objectives[0].metric,
			 best, base);
	text_el(out, "p", " class=\"verdict\"", line);
	knob_table(out, d);
}

/* "%.5g", or "-" for a missing number */
static void number_text(const json_t *v, char *buf, size_t len)
{
	if (json_is_number(v))
		snprintf(buf, len, "%.5g", json_number_value(v));
	else
		snprintf(buf, len, "-");
}

/*
 * summary.json's "phases": each load phase's median for the baseline and
 * the recommended configuration (or the search's best when there is
 * none), and their ratio.
 */
static void phases_table(FILE *out, const json_t *summary)
{
	const json_t *phases = json_object_get(summary, "phases"), *ph;
	const char *score = json_string_value(json_object_get(summary, "score"));
	char line[512], a[32], b[32], ratio[32];
	size_t i;

	if (!json_array_size(phases))
		return;
	fputs("<h2 id=\"phases\">Load phases</h2>\n", out);
	snprintf(line, sizeof(line), "Every configuration was measured in each phase; its value is the %s of its ratios to the baseline's medians (1: as the baseline). The windows chart below shows each phase's own values.",
		 score ? score : "mean");
	text_el(out, "p", " class=\"meta\"", line);
	fputs("<table><tr><th>phase</th><th>baseline</th><th>recommended</th><th>ratio</th></tr>\n", out);
	json_array_foreach((json_t *)phases, i, ph) {
		const json_t *rec = json_object_get(ph, "recommended");

		if (json_is_null(rec))
			rec = json_object_get(ph, "best");
		number_text(json_object_get(json_object_get(ph, "baseline"), "median"),
			    a, sizeof(a));
		number_text(json_object_get(rec, "median"), b, sizeof(b));
		number_text(json_object_get(ph, "ratio"), ratio, sizeof(ratio));
		fputs("<tr>", out);
		text_el(out, "td", "", json_string_value(json_object_get(ph, "name")) ?: "?");
		text_el(out, "td", " class=\"n\"", a);
		text_el(out, "td", " class=\"n\"", b);
		text_el(out, "td", " class=\"n\"", ratio);
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void legend(FILE *out, const char *const *items)
{
	fputs("<p class=\"legend\">", out);
	for (; *items; items += 2) {
		fprintf(out, "<i style=\"%s\"></i>", items[0]);
		html_text(out, items[1]);
	}
	fputs("</p>\n", out);
}

#define MAX_CANDIDATES 16

static double num(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* The factor a candidate must beat: 1 + min_effect, or its inverse when minimising. */
static double needed_ratio(const struct run_dir *rd, const json_t *v)
{
	const char *goal = json_string_value(json_object_get(
		json_object_get(rd->summary, "objective"), "goal"));
	double need = 1 + num(v, "min_effect");

	return goal && !strcmp(goal, "minimize") ? 1 / need : need;
}

/*
 * The least coverage of a candidate's interval, in percent: its own
 * "confidence" (a two-objective pick's is its "better" test's, at
 * alpha / 2), else the verification's (a run from before), else 90.
 */
static double cand_confidence(const json_t *v, const json_t *cand)
{
	double conf = 100 * num(cand, "confidence");

	if (!isfinite(conf))
		conf = 100 * num(v, "confidence");
	return isfinite(conf) ? conf : 90;
}

/* Each candidate's ratio to the baseline, with its interval. */
static void verification_chart(FILE *out, const struct run_dir *rd,
			       const json_t *v, const json_t *cands,
			       long long chosen)
{
	static const char *const items[] = {
		"background:#4477aa;opacity:.6", "candidate: ratio to the baseline and its interval",
		"background:#228833", "recommended",
		"background:#dd8800;border-radius:0;width:2px", "the ratio required",
		NULL
	};
	char names[MAX_CANDIDATES][32], tip[200], text[128];
	const char *cats[MAX_CANDIDATES];
	struct svg_axis x = { .label = "candidate / baseline (ratio), measured again" };
	struct svg_axis y = { .label = "" };
	double need = needed_ratio(rd, v);
	struct svg_chart c;
	const json_t *cand;
	size_t i, n = json_array_size(cands);

	n = n < MAX_CANDIDATES ? n : MAX_CANDIDATES;
	x.lo = fmin(1, need);
	x.hi = fmax(1, need);
	for (i = 0; i < n; i++) {
		cand = json_array_get(cands, i);
		snprintf(names[i], sizeof(names[i]), "iteration %lld",
			 json_integer_value(json_object_get(cand, "iteration")));
		cats[i] = names[i];
		x.lo = fmin(x.lo, fmin(num(cand, "ratio"), num(cand, "low")));
		x.hi = fmax(x.hi, fmax(num(cand, "ratio"), num(cand, "high")));
	}
	y.categories = cats;
	y.ncategories = n;
	svg_pad_range(&x.lo, &x.hi, false);
	svg_begin(&c, out, 700, 70 + 34 * n, "verification of the candidates", &x, &y);
	svg_vline(&c, 1, "zero");
	svg_vline(&c, need, "baseline");
	for (i = 0; i < n; i++) {
		double lh[2], at[2] = { i, i };
		bool is = json_integer_value(json_object_get(json_array_get(cands, i),
							     "iteration")) == chosen;

		cand = json_array_get(cands, i);
		lh[0] = num(cand, "low");
		lh[1] = num(cand, "high");
		verify_format_ratio(num(cand, "ratio"), lh[0], lh[1],
				    cand_confidence(v, cand), text, sizeof(text));
		snprintf(tip, sizeof(tip), "%s: %s, %lld pairs", names[i], text,
			 json_integer_value(json_object_get(cand, "pairs")));
		if (isfinite(lh[0]) && isfinite(lh[1]))
			svg_line(&c, lh, at, 2, false, is ? "cichosen" : "ci");
		svg_point(&c, num(cand, "ratio"), i, 5, is ? "onci" : "cfg", tip);
	}
	svg_end(&c);
	legend(out, items);
}

/*
 * The test that weighed the other side of a two-objective verdict on this
 * objective (summary.json's "not_worse" or "subject_to"), or "" when none.
 */
static void other_test(const json_t *o, enum goal goal, char *buf, size_t len)
{
	const json_t *nw = json_object_get(o, "not_worse");
	const json_t *st = json_object_get(o, "subject_to");
	const char *state;
	enum verify_decision d;
	double conf;
	char text[200];

	buf[0] = '\0';
	if (json_is_object(nw)) {
		state = json_string_value(json_object_get(nw, "decision")) ?: "";
		d = !strcmp(state, "shown") ? VERIFY_BETTER :
		    !strcmp(state, "refuted") ? VERIFY_NOT_BETTER : VERIFY_CONTINUE;
		conf = 100 * num(nw, "confidence");
		verify_format_not_worse(num(nw, "low"), num(nw, "high"),
					isfinite(conf) ? conf : 90,
					goal, num(nw, "max_loss"), text,
					sizeof(text));
		snprintf(buf, len, "not worse by more than %.3g%%: %s: %s",
			 100 * num(nw, "max_loss"), text, verify_not_worse_name(d));
	} else if (json_is_object(st)) {
		conf = 100 * num(st, "confidence");
		verify_format_bound(json_string_value(json_object_get(st, "constraint")) ?: "?",
				    !strcmp(json_string_value(json_object_get(st, "side")) ?: "",
					    "upper"),
				    !strcmp(json_string_value(json_object_get(st, "statistic")) ?: "",
					    "median"),
				    num(st, "bound"), conf, text, sizeof(text));
		snprintf(buf, len, "%s: %s", text,
			 json_string_value(json_object_get(st, "state")) ?: "?");
	}
}

/*
 * With two objectives, the pick's ratio to the baseline on each of them
 * (summary.json's verification "objectives"), each at its own test's
 * level (better: alpha / 2 on each), and the test that weighed the other
 * side: the verdict weighs both.
 */
static void verification_objectives(FILE *out, const struct report_data *d,
				    const json_t *v, double conf)
{
	const json_t *objs = json_object_get(v, "objectives"), *o;
	const char *metric;
	char cell[128], other[320];
	enum goal goal;
	double c;
	size_t k;

	if (!json_object_size(objs))
		return;
	fputs("<table>\n<tr><th>objective</th><th>the pick's ratio to the baseline</th>"
	      "<th>the other side's test</th><th>pairs</th></tr>\n", out);
	json_object_foreach((json_t *)objs, metric, o) {
		goal = GOAL_MINIMIZE;
		for (k = 0; k < d->nobjectives; k++)
			if (d->objectives[k].metric && !strcmp(d->objectives[k].metric, metric))
				goal = d->objectives[k].goal;
		/* a run before "confidence" was per objective: its better test's */
		c = 100 * num(o, "confidence");
		if (!isfinite(c))
			c = 100 - (100 - conf) / 2;
		fputs("<tr>", out);
		text_el(out, "td", "", metric);
		verify_format_ratio(num(o, "ratio"), num(o, "low"), num(o, "high"),
				    c, cell, sizeof(cell));
		text_el(out, "td", " class=\"n\"", cell);
		other_test(o, goal, other, sizeof(other));
		text_el(out, "td", "", other[0] ? other : "-");
		fprintf(out, "<td class=\"n\">%lld</td></tr>\n",
			json_integer_value(json_object_get(o, "pairs")));
	}
	fputs("</table>\n", out);
}

/*
 * summary.json's "verification": after the search the baseline and the
 * best candidates were measured again, round by round, until the
 * sequential test decided, and a candidate recommended only when better
 * with confidence.
 */
static void verification(FILE *out, const struct run_dir *rd,
			 const struct report_data *d)
{
	const json_t *v = json_object_get(rd->summary, "verification");
	const json_t *cands = json_object_get(v, "candidates"), *cand;
	long long chosen = json_integer_value(json_object_get(
		json_object_get(rd->summary, "recommended"), "iteration"));
	double conf = 100 * num(v, "confidence");
	char line[2048], cell[128];
	bool given_up = false;
	size_t i;

	if (!json_is_object(v))
		return;
	if (!json_is_true(json_object_get(v, "recommended")))
		chosen = -1;
	if (!isfinite(conf))
		conf = 90;
	json_array_foreach(cands, i, cand)
		given_up |= json_is_true(json_object_get(cand, "given_up"));
	fputs("<h2 id=\"verification\">Verification</h2>\n", out);
	snprintf(line, sizeof(line), "After the search, the baseline and the %zu best candidates were measured again, interleaved, in %lld rounds of at most %lld: each candidate's windows paired with the baseline's of the same round, until the sequential test could decide%s. A candidate is recommended only when it is better than the baseline by a factor of %.3g with %.0f%% confidence (whatever the number of rounds and candidates) and its constraints still hold. Intervals cover at least %.0f%%: each end a one-sided bound at the level of the look that decided, so with repeated looks the coverage is %.0f%% or more, not exactly. The verdict: %s.",
		 json_array_size(cands), json_integer_value(json_object_get(v, "rounds")),
		 json_integer_value(json_object_get(v, "max_rounds")),
		 given_up ? " (a candidate whose first rounds made a gain the planned rounds could show unlikely was given up, and not measured again)" : "",
		 1 + num(v, "min_effect"), 100 * (1 - num(v, "alpha")), conf, conf,
		 json_string_value(json_object_get(v, "why")) ?: "?");
	text_el(out, "p", "", line);
	verification_objectives(out, d, v, conf);
	if (!json_array_size(cands))
		return;
	verification_chart(out, rd, v, cands, chosen);
	fputs("<table>\n<tr><th>candidate</th><th>ratio to the baseline</th>"
	      "<th>pairs</th><th>p-value</th><th>constraints</th><th></th></tr>\n", out);
	json_array_foreach(cands, i, cand) {
		long long it = json_integer_value(json_object_get(cand, "iteration"));

		fprintf(out, "<tr%s><td>iteration %lld</td>", it == chosen ?
			" class=\"changed\"" : "", it);
		verify_format_ratio(num(cand, "ratio"), num(cand, "low"),
				    num(cand, "high"), cand_confidence(v, cand), cell,
				    sizeof(cell));
		text_el(out, "td", " class=\"n\"", cell);
		fprintf(out, "<td class=\"n\">%lld</td><td class=\"n\">%.3g</td><td>%s</td><td>%s</td></tr>\n",
			json_integer_value(json_object_get(cand, "pairs")),
			num(cand, "p_value"),
			json_is_true(json_object_get(cand, "feasible")) ? "hold" : "broken",
			it == chosen ? "recommended" :
			json_is_true(json_object_get(cand, "given_up")) ? "given up" : "");
	}
	fputs("</table>\n", out);
}

/* Range of objective k over the configurations and, with windows, over
 * every window too. */
static void objective_range(const struct report_data *d, size_t k,
			    bool windows, double *lo, double *hi)
{
	size_t i;

	*lo = INFINITY;
	*hi = -INFINITY;
	for (i = 0; windows && i < d->nwindows; i++) {
		if (isfinite(d->windows[i].value[k])) {
			*lo = fmin(*lo, d->windows[i].value[k]);
			*hi = fmax(*hi, d->windows[i].value[k]);
		}
	}
	for (i = 0; i < d->nconfigs; i++) {
		double v = k ? d->configs[i].second : d->configs[i].objective;

		if (isfinite(v)) {
			*lo = fmin(*lo, v);
			*hi = fmax(*hi, v);
		}
	}
}

static void window_points(struct svg_chart *c, const struct report_data *d)
{
	char tip[160], value[64];
	size_t i;

	for (i = 0; i < d->nwindows; i++) {
		const struct report_window *w = &d->windows[i];

		value_text(d, w->value[0], value, sizeof(value));
		snprintf(tip, sizeof(tip), "window %zu, iteration %u%s%s: %s", i + 1,
			 w->iteration, w->baseline ? " (baseline)" : "",
			 w->warmup ? " (warm-up, not counted)" : "", value);
		svg_point(c, i + 1, w->value[0], 3.5,
			  w->warmup ? "warm" : w->baseline ? "basewin" : "win", tip);
	}
}

/* The best trusted objective after each configuration, as a step line. */
static void best_so_far(struct svg_chart *c, const struct report_data *d)
{
	double *x = calloc(d->nconfigs + 1, sizeof(double));
	double *y = calloc(d->nconfigs + 1, sizeof(double));
	double best = NAN;
	size_t i, n = 0;

	if (!x || !y)
		goto out;
	for (i = 0; i < d->nconfigs; i++) {
		const struct report_config *cf = &d->configs[i];

		if (report_config_trusted(cf) &&
		    (!isfinite(best) || report_better(d, 0, cf->objective, best)))
			best = cf->objective;
		x[n] = cf->last_window;
		y[n++] = best;
	}
	x[n] = d->nwindows + 0.5;
	y[n] = best;
	svg_line(c, x, y, n + 1, true, "bestline");
out:
	free(x);
	free(y);
}

/*
 * The baseline anchors (summary.json): the host's own values measured
 * again over the run, at their windows; the drift between them is what
 * the configurations' scores were corrected for.
 */
static void anchor_marks(struct svg_chart *c, const struct report_data *d,
			 const json_t *anchors)
{
	size_t n = json_array_size(anchors), i;
	double x[n + 1], y[n + 1];
	char tip[160], value[64];
	const json_t *a;

	json_array_foreach(anchors, i, a) {
		x[i] = json_number_value(json_object_get(a, "window"));
		y[i] = json_number_value(json_object_get(a, "objective"));
	}
	svg_line(c, x, y, n, false, "anchorline");
	for (i = 0; i < n; i++) {
		value_text(d, y[i], value, sizeof(value));
		snprintf(tip, sizeof(tip), "baseline anchor %zu, around window %.0f: %s",
			 i + 1, x[i], value);
		svg_point(c, x[i], y[i], 5, "anchor", tip);
	}
}

/* anchors_failed: the anchors the kernel refused, left out */
static void failed_anchors_text(FILE *out, const json_t *summary)
{
	json_int_t failed = json_integer_value(json_object_get(summary, "anchors_failed"));

	if (failed > 0)
		fprintf(out, "<p class=\"meta\">Baseline anchors refused by the kernel (the baseline's values applied again): %lld, left out of the drift correction.</p>\n",
			(long long)failed);
}

/*
 * A paragraph on the drift summary.json's prefix_* fields show (drift:
 * the objective's, drift2: the second objective's), why it was not
 * corrected as the run decided (prefix_not_corrected).
 */
static void drift_paragraph(FILE *out, const json_t *summary, const char *prefix,
			    const char *what)
{
	char key[48];
	const json_t *drift, *noise, *why, *windows;
	size_t n = json_array_size(json_object_get(summary, "anchors"));
	double largest;

#define GET(name) (snprintf(key, sizeof(key), "%s_%s", prefix, name), \
		   json_object_get(summary, key))
	drift = GET("pct");
	noise = GET("noise_pct");
	why = GET("not_corrected");
	windows = GET("anchor_windows");
	largest = json_number_value(GET("largest_pct"));
	if (!json_is_number(drift))
		return;
	/* a run from before the choice always corrected */
	if (!json_is_false(GET("corrected")))
		fprintf(out, "<p class=\"meta\">%s drift: %+.1f%% over %zu anchors (largest %+.1f%%); each configuration is scored against the baseline interpolated between its anchors.</p>\n",
			what, json_number_value(drift), n, largest);
	else if (json_is_string(why) && !strcmp(json_string_value(why), "windows"))
		fprintf(out, "<p class=\"meta\">%s drift not corrected: %lld anchor windows, %d needed (%+.1f%% over %zu anchors, largest %+.1f%%); configurations are scored as measured.</p>\n",
			what, (long long)json_integer_value(windows), ANCHORS_MIN_WINDOWS,
			json_number_value(drift), n, largest);
	else if (json_is_string(why) && !strcmp(json_string_value(why), "anchors"))
		fprintf(out, "<p class=\"meta\">%s drift not corrected: no noise estimate (anchors of one window, or their windows all alike), %d anchors needed (%+.1f%% over %zu anchors, largest %+.1f%%); configurations are scored as measured.</p>\n",
			what, ANCHORS_MIN_SUCCESSIVE, json_number_value(drift), n, largest);
	else
		fprintf(out, "<p class=\"meta\">%s drift not corrected: the anchors' noise (±%.1f%%) exceeds the drift they show (largest %+.1f%% over %zu anchors); configurations are scored as measured.</p>\n",
			what, json_number_value(noise), largest, n);
#undef GET
}

static void drift_text(FILE *out, const json_t *summary)
{
	failed_anchors_text(out, summary);
	drift_paragraph(out, summary, "drift", "Baseline");
	drift_paragraph(out, summary, "drift2", "Second objective's baseline");
}

static void windows_chart(FILE *out, const struct run_dir *rd,
			  const struct report_data *d)
{
	static const char *const items[] = {
		"background:#dd8800", "baseline window",
		"background:#4477aa;opacity:.6", "measured window",
		"border:1px solid #4477aa", "warm-up (not counted)",
		"background:#228833;border-radius:0;height:3px", "best so far",
		"background:#dd8800;opacity:.25;border-radius:0", "baseline median ± spread",
		"border:2px solid #aa3377", "baseline anchor",
		NULL
	};
	static const char *const phase_items[] = {
		"background:#dd8800", "baseline window",
		"background:#4477aa;opacity:.6", "measured window",
		"border:1px solid #4477aa", "warm-up (not counted)",
		NULL
	};
	const json_t *anchors = json_object_get(rd->summary, "anchors");
	struct svg_axis x = { .lo = 1, .hi = d->nwindows, .label = "window" };
	struct svg_axis y = { .label = d->ylabel };
	const struct report_config *b = d->baseline;
	/*
	 * With load phases, windows have each phase's own values while
	 * configurations, anchors and the best have scores (1: the
	 * baseline): only the windows are drawn, on their own scale.
	 */
	bool phases = json_array_size(json_object_get(rd->summary, "phases")) > 0;
	struct svg_chart c;
	size_t i;

	fputs("<h2 id=\"windows\">The objective, window by window</h2>\n", out);
	objective_range(d, 0, true, &y.lo, &y.hi);
	if (phases) {
		y.lo = INFINITY;
		y.hi = -INFINITY;
		for (i = 0; i < d->nwindows; i++)
			if (isfinite(d->windows[i].value[0])) {
				y.lo = fmin(y.lo, d->windows[i].value[0]);
				y.hi = fmax(y.hi, d->windows[i].value[0]);
			}
	}
	svg_pad_range(&x.lo, &x.hi, false);
	svg_pad_range(&y.lo, &y.hi, false);
	svg_begin(&c, out, 1000, 320, "objective per window", &x, &y);
	if (phases) {
		window_points(&c, d);
		svg_end(&c);
		legend(out, phase_items);
		fputs("<p class=\"meta\">Each load phase's own values: the configurations' scores are in the tables.</p>\n", out);
		return;
	}
	if (b && isfinite(b->objective)) {
		double s = isfinite(b->spread) ? b->spread : 0;

		svg_band(&c, b->objective * (1 - s), b->objective * (1 + s), "band");
		svg_hline(&c, b->objective, "baseline");
	}
	best_so_far(&c, d);
	window_points(&c, d);
	anchor_marks(&c, d, anchors);
	svg_end(&c);
	legend(out, items);
	drift_text(out, rd->summary);
}

/* Where a configuration's value of a knob sits on the knob's axis. */
static double knob_x(const json_t *spec, const json_t *knobs, const char *name)
{
	const char *v = json_string_value(json_object_get(knobs, name));
	const json_t *values = json_object_get(spec, "values"), *item;
	size_t i;

	if (!v)
		return NAN;
	if (!values)
		return strtod(v, NULL);
	json_array_foreach(values, i, item)
		if (json_is_string(item) && !strcmp(json_string_value(item), v))
			return i;
	return NAN;
}

static void knob_chart(FILE *out, const struct report_data *d, const char *name,
		       const json_t *spec)
{
	const json_t *values = json_object_get(spec, "values");
	const char *cats[64];
	struct svg_axis x = { .lo = INFINITY, .hi = -INFINITY, .label = name };
	struct svg_axis y = { .label = d->ylabel };
	const char *scale = json_string_value(json_object_get(spec, "scale"));
	struct svg_chart c;
	char tip[512], value[64];
	size_t i;

	x.log = scale && !strcmp(scale, "log");
	if (values) {
		x.ncategories = json_array_size(values) < 64 ? json_array_size(values) : 64;
		for (i = 0; i < x.ncategories; i++)
			cats[i] = json_string_value(json_array_get(values, i)) ?: "?";
		x.categories = cats;
	}
	for (i = 0; i < d->nconfigs; i++) {
		double v = knob_x(spec, d->configs[i].knobs, name);

		if (isfinite(v)) {
			x.lo = fmin(x.lo, v);
			x.hi = fmax(x.hi, v);
		}
	}
	svg_pad_range(&x.lo, &x.hi, x.log);
	objective_range(d, 0, false, &y.lo, &y.hi);
	svg_pad_range(&y.lo, &y.hi, false);
	svg_begin(&c, out, 330, 230, name, &x, &y);
	for (i = 0; i < d->nconfigs; i++) {
		const struct report_config *cf = &d->configs[i];
		double kx = knob_x(spec, cf->knobs, name);

		value_text(d, cf->objective, value, sizeof(value));
		snprintf(tip, sizeof(tip), "iteration %u: %s = %s, %s%s", cf->iteration,
			 name, json_string_value(json_object_get(cf->knobs, name)) ?: "?",
			 value, report_config_trusted(cf) ? "" : " (noisy or infeasible)");
		svg_point(&c, kx, cf->objective, 4, cf->baseline ? "cfgbase" :
			  report_config_trusted(cf) ? "cfg" : "noisy", tip);
		if (cf == d->best)
			svg_point(&c, kx, cf->objective, 7, "best", tip);
	}
	svg_end(&c);
}

static void knob_charts(FILE *out, const struct report_data *d)
{
	static const char *const items[] = {
		"background:#dd8800", "baseline",
		"background:#4477aa;opacity:.6", "configuration",
		"border:1px solid #4477aa", "noisy or infeasible",
		"border:2px solid #228833", "recommended",
		NULL
	};
	const char *name;
	const json_t *spec;

	fputs("<h2 id=\"knobs\">Each knob against the objective</h2>\n"
	      "<p>One point per configuration: its median over the counted windows.</p>\n"
	      "<div class=\"knobs\">\n", out);
	json_object_foreach((json_t *)d->space, name, spec)
		knob_chart(out, d, name, spec);
	fputs("</div>\n", out);
	legend(out, items);
}

/* The configurations that can be on the front, and their scores. */
static size_t front_candidates(const struct report_data *d, size_t *which,
			       double *f)
{
	size_t i, k, n = 0;

	for (i = 0; i < d->nconfigs; i++) {
		const struct report_config *c = &d->configs[i];

		if (c->failed || !c->feasible || !isfinite(c->objective) ||
		    !isfinite(c->second))
			continue;
		/* scores: lower is better */
		for (k = 0; k < 2; k++)
			f[2 * n + k] = (k ? c->second : c->objective) *
				       (d->objectives[k].goal == GOAL_MAXIMIZE ? -1 : 1);
		which[n++] = i;
	}
	return n;
}

static const struct report_config *config_of(const struct report_data *d,
					     const json_t *point)
{
	json_int_t it = json_integer_value(json_object_get(point, "iteration"));
	size_t i;

	for (i = 0; point && i < d->nconfigs; i++)
		if (d->configs[i].iteration == it)
			return &d->configs[i];
	return NULL;
}

/*
 * The front, best on the first objective first, into front: the run's
 * own (pareto.json), else (a run before it) computed from the
 * configurations. How many, or -ENOMEM.
 */
static int front_of(const struct run_dir *rd, const struct report_data *d,
		    const struct report_config **front)
{
	const json_t *list = json_object_get(rd->pareto, "front"), *p;
	size_t *which, *idx, i, n = 0;
	double *f;
	int nf;

	/* a hand-edited pareto.json may list more points than configurations */
	json_array_foreach(list, i, p)
		if (n < d->nconfigs && (front[n] = config_of(d, p)))
			n++;
	if (list)
		return (int)n;
	which = calloc(d->nconfigs + 1, sizeof(*which));
	idx = calloc(d->nconfigs + 1, sizeof(*idx));
	f = calloc(2 * d->nconfigs + 2, sizeof(*f));
	nf = which && idx && f ?
	     pareto_front(f, front_candidates(d, which, f), idx) : -ENOMEM;
	for (i = 0; nf > 0 && i < (size_t)nf; i++)
		front[i] = &d->configs[which[idx[i]]];
	free(which);
	free(idx);
	free(f);
	return nf;
}

/* "latency_p99_us (us, minimize)" */
static void axis_label(const struct report_data *d, size_t k, char *buf,
		       size_t len)
{
	const char *unit = k ? d->unit2 : d->unit;

	snprintf(buf, len, "%s (%s%s%s)", d->objectives[k].metric, unit,
		 unit[0] ? ", " : "",
		 d->objectives[k].goal == GOAL_MAXIMIZE ? "maximize" : "minimize");
}

static void pareto_chart(FILE *out, const struct run_dir *rd,
			 const struct report_data *d)
{
	static const char *const items[] = {
		"background:#4477aa;opacity:.35", "a configuration",
		"background:#aa3377", "on the front",
		"background:#dd8800", "baseline",
		"border:2px solid #228833", "the pick",
		NULL
	};
	const struct report_config **front = calloc(d->nconfigs + 1, sizeof(*front));
	const struct report_config *pick = config_of(d, json_object_get(rd->pareto, "pick"));
	double *fx = calloc(d->nconfigs + 1, sizeof(double));
	double *fy = calloc(d->nconfigs + 1, sizeof(double));
	char xlabel[160], ylabel[160], tip[200];
	struct svg_axis x = { .label = xlabel };
	struct svg_axis y = { .label = ylabel };
	const char *why = json_string_value(json_object_get(rd->pareto, "why"));
	struct svg_chart c;
	int nfront = front && fx && fy ? front_of(rd, d, front) : -ENOMEM;
	size_t i, n = 0;

	if (nfront < 0)
		goto out;
	axis_label(d, 0, xlabel, sizeof(xlabel));
	axis_label(d, 1, ylabel, sizeof(ylabel));
	for (i = 0; i < d->nconfigs; i++)
		n += isfinite(d->configs[i].objective) && isfinite(d->configs[i].second);
	fputs("<h2 id=\"pareto\">Pareto front of the two objectives</h2>\n", out);
	fprintf(out, "<p>%d of %zu configurations are on the front: no other one is better on both.",
		nfront, n);
	if (why) {
		fputs(" The pick: ", out);
		html_text(out, why);
		fputs(".", out);
	}
	fputs("</p>\n", out);
	objective_range(d, 0, false, &x.lo, &x.hi);
	objective_range(d, 1, false, &y.lo, &y.hi);
	svg_pad_range(&x.lo, &x.hi, false);
	svg_pad_range(&y.lo, &y.hi, false);
	svg_begin(&c, out, 600, 400, "Pareto front", &x, &y);
	for (i = 0; i < d->nconfigs; i++) {
		const struct report_config *cf = &d->configs[i];

		snprintf(tip, sizeof(tip), "iteration %u: %s %.4g, %s %.4g", cf->iteration,
			 d->objectives[0].metric, cf->objective, d->objectives[1].metric,
			 cf->second);
		if (!cf->baseline && isfinite(cf->objective) && isfinite(cf->second))
			svg_point(&c, cf->objective, cf->second, 3, "cfgfaint", tip);
	}
	for (i = 0; i < (size_t)nfront; i++) {
		fx[i] = front[i]->objective;
		fy[i] = front[i]->second;
	}
	svg_line(&c, fx, fy, (size_t)nfront, false, "front");
	for (i = 0; i < (size_t)nfront; i++)
		svg_point(&c, fx[i], fy[i], 5, "onfront", "on the front");
	if (d->baseline)
		svg_point(&c, d->baseline->objective, d->baseline->second, 6,
			  "cfgbase", "the baseline: the host's values");
	if (pick)
		svg_point(&c, pick->objective, pick->second, 9, "pick", "the pick");
	svg_end(&c);
	legend(out, items);
out:
	free(front);
	free(fx);
	free(fy);
}

static const char *status_text(const struct report_data *d,
			       const struct report_config *c)
{
	if (c->failed)
		return "failed";
	if (c == d->best)
		return c->baseline ? "baseline, best" : "best";
	if (c->baseline)
		return "baseline";
	if (!c->feasible)
		return "infeasible";
	return c->noisy ? "noisy" : "";
}

/* The knobs a configuration sets differently from the baseline. */
static void changes(FILE *out, const struct report_data *d,
		    const struct report_config *c)
{
	const char *name, *sep = "";
	const json_t *v;

	json_object_foreach((json_t *)c->knobs, name, v) {
		const char *was = json_string_value(json_object_get(d->baseline ?
					d->baseline->knobs : NULL, name));

		if (was && json_string_value(v) && !strcmp(was, json_string_value(v)))
			continue;
		fputs(sep, out);
		html_text(out, name);
		fputs("=", out);
		html_text(out, json_string_value(v));
		sep = " ";
	}
}

static void config_table(FILE *out, const struct report_data *d)
{
	char value[64], spread[32];
	size_t i;

	fputs("<h2 id=\"configurations\">Every configuration</h2>\n<table>\n"
	      "<tr><th>iteration</th><th>why</th><th>objective</th><th>spread</th>", out);
	/* two objectives: the second's median too */
	if (d->nobjectives == 2)
		text_el(out, "th", "", d->objectives[1].metric);
	fputs("<th>status</th><th>changed from the baseline</th></tr>\n", out);
	for (i = 0; i < d->nconfigs; i++) {
		const struct report_config *c = &d->configs[i];

		value_text(d, c->objective, value, sizeof(value));
		if (isfinite(c->spread))
			snprintf(spread, sizeof(spread), "±%.1f%%", 100 * c->spread);
		else
			snprintf(spread, sizeof(spread), "-");
		fprintf(out, "<tr><td class=\"n\">%u</td>", c->iteration);
		text_el(out, "td", "", c->why ?: "");
		text_el(out, "td", " class=\"n\"", value);
		text_el(out, "td", " class=\"n\"", spread);
		if (d->nobjectives == 2) {
			snprintf(value, sizeof(value), "%.5g", c->second);
			text_el(out, "td", " class=\"n\"", isfinite(c->second) ? value : "-");
		}
		text_el(out, "td", "", status_text(d, c));
		fputs("<td>", out);
		changes(out, d, c);
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
}

int report_write(const struct run_dir *rd, const struct report_data *d,
		 FILE *out)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width\">\n<title>ostune report: ", out);
	html_text(out, rd->path);
	fprintf(out, "</title>\n<style>%s</style></head>\n<body>\n", style);
	header(out, rd, d);
	verdict(out, rd, d);
	phases_table(out, rd->summary);
	verification(out, rd, d);
	windows_chart(out, rd, d);
	knob_charts(out, d);
	if (d->nobjectives == 2)
		pareto_chart(out, rd, d);
	config_table(out, d);
	fputs("<p class=\"meta\">Generated by ostune " OSTUNE_VERSION ".</p>\n</body></html>\n", out);
	return ferror(out) ? -EIO : 0;
}

int report_file(const char *dir, const char *path, char *why, size_t len)
{
	struct report_data d;
	struct run_dir rd;
	FILE *out = stdout;
	int ret;

	ret = run_dir_load(dir, &rd, why, len);
	if (ret)
		return ret;
	ret = report_data_build(&rd, &d, why, len);
	if (!ret && strcmp(path, "-")) {
		out = fopen(path, "w");
		if (!out) {
			snprintf(why, len, "%s: %s", path, strerror(errno));
			ret = -EIO;
		}
	}
	if (!ret) {
		ret = report_write(&rd, &d, out);
		if (out != stdout && fclose(out) && !ret)
			ret = -errno;
		if (ret) {
			snprintf(why, len, "%s: %s", path, strerror(-ret));
			ret = -EIO;
		}
		report_data_free(&d);
	}
	run_dir_free(&rd);
	return ret;
}

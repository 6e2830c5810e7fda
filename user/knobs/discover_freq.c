// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * freq: freq.policy<N>.min_khz and .max_khz for every cpufreq policy in
 * SYSROOT/sys/devices/system/cpu/cpufreq/policy<N>/. The knobs are the
 * module's own freq QoS requests, so they read "none" here; the limits
 * that are in force, and what the hardware can do, are details.
 *
 * And the attributes the module writes as they are: each policy's
 * governor and energy performance preference (epp), their domain what the
 * policy offers; cpufreq/boost where the driver has boost; intel_pstate's
 * no_turbo, min_perf_pct and max_perf_pct. An inactive policy's (all its
 * CPUs offline) cannot be read, and are not listed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/ostune.h>

#include "knobs/discover_class.h"

#define CPUFREQ_DIR CPU_DIR "/cpufreq"
#define PSTATE_DIR CPU_DIR "/intel_pstate"
/* scaling_available_frequencies can be long; it is only shown */
#define LIST_MAX 1024

struct policy_facts {
	char domain[64];
	char effective[64];
	char available[LIST_MAX];
	char driver[64];
	char cpus[LIST_MAX];
	bool inactive;
};

static bool read_policy(int rootfd, unsigned int policy, const char *file,
			char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), CPUFREQ_DIR "/policy%u/%s", policy, file);
	return read_text_at(rootfd, path, buf, size);
}

/* "800000 1200000" -> "800000,1200000", one word in the DETAIL column */
static void spaces_to_commas(char *s)
{
	for (; *s; s++)
		if (*s == ' ')
			*s = ',';
}

static void read_facts(int rootfd, unsigned int policy,
		       struct policy_facts *f)
{
	char lo[24], hi[24];

	/*
	 * A policy whose CPUs are all offline is inactive: its attributes
	 * fail to read (EBUSY), and the module takes no new value for it,
	 * only "none" to drop a request it holds there.
	 */
	f->inactive = !read_policy(rootfd, policy, "cpuinfo_min_freq", lo,
				   sizeof(lo)) ||
		      !read_policy(rootfd, policy, "cpuinfo_max_freq", hi,
				   sizeof(hi));
	if (f->inactive)
		snprintf(f->domain, sizeof(f->domain), "none");
	else
		snprintf(f->domain, sizeof(f->domain), "none|%s..%s", lo, hi);
	f->effective[0] = '\0';
	if (read_policy(rootfd, policy, "scaling_min_freq", lo, sizeof(lo)) &&
	    read_policy(rootfd, policy, "scaling_max_freq", hi, sizeof(hi)))
		snprintf(f->effective, sizeof(f->effective), "%s..%s", lo, hi);
	if (read_policy(rootfd, policy, "scaling_available_frequencies",
			f->available, sizeof(f->available)))
		spaces_to_commas(f->available);
	else
		f->available[0] = '\0';
	if (!read_policy(rootfd, policy, "scaling_driver", f->driver,
			 sizeof(f->driver)))
		f->driver[0] = '\0';
	if (!read_policy(rootfd, policy, "related_cpus", f->cpus,
			 sizeof(f->cpus)) || !words_to_cpulist(f->cpus))
		f->cpus[0] = '\0';
}

static const char *or_null(const char *s)
{
	return *s ? s : NULL;
}

static void add_knob(struct discovery *d, unsigned int policy,
		     const char *which, const struct policy_facts *f)
{
	char name[OSTUNE_NAME_MAX];
	struct knob *k;

	snprintf(name, sizeof(name), "freq.policy%u.%s", policy, which);
	k = discovery_add(d, name, KNOB_CLASS_FREQ, "none", f->domain);
	discovery_detail(d, k, "effective", NULL, or_null(f->effective));
	discovery_detail(d, k, "available", NULL, or_null(f->available));
	discovery_detail(d, k, "driver", NULL, or_null(f->driver));
	discovery_detail(d, k, "cpus", NULL, or_null(f->cpus));
	if (f->inactive)
		discovery_fix(d, k, "inactive");
}

/* "performance schedutil" -> "performance|schedutil", a domain */
static void spaces_to_bars(char *s)
{
	for (; *s; s++)
		if (*s == ' ')
			*s = '|';
}

/*
 * freq.policy<N>.<which>: the value of file, the words of offered its
 * domain. Nothing when the file cannot be read (no such attribute, or an
 * inactive policy).
 */
static void add_attr_knob(struct discovery *d, unsigned int policy,
			  const char *which, const char *file,
			  const char *offered, const struct policy_facts *f)
{
	char name[OSTUNE_NAME_MAX], value[OSTUNE_VALUE_MAX];
	char domain[OSTUNE_VALUE_MAX];
	struct knob *k;

	if (!read_policy(d->rootfd, policy, file, value, sizeof(value)))
		return;
	if (read_policy(d->rootfd, policy, offered, domain, sizeof(domain)))
		spaces_to_bars(domain);
	else
		domain[0] = '\0';
	snprintf(name, sizeof(name), "freq.policy%u.%s", policy, which);
	k = discovery_add(d, name, KNOB_CLASS_FREQ, value, or_null(domain));
	discovery_detail(d, k, "driver", NULL, or_null(f->driver));
	discovery_detail(d, k, "cpus", NULL, or_null(f->cpus));
}

/* freq.<which>, a global file, when it can be read. */
static void add_global_knob(struct discovery *d, const char *which,
			    const char *path, const char *domain)
{
	char name[OSTUNE_NAME_MAX], value[OSTUNE_VALUE_MAX];

	if (!read_text_at(d->rootfd, path, value, sizeof(value)))
		return;
	snprintf(name, sizeof(name), "freq.%s", which);
	discovery_add(d, name, KNOB_CLASS_FREQ, value, domain);
}

void discover_freq(struct discovery *d)
{
	unsigned int *policies;
	struct policy_facts facts;
	size_t n, i;
	int ret;

	ret = list_indexes_at(d->rootfd, CPUFREQ_DIR, "policy", &policies,
			      &n);
	if (ret) {
		discovery_fail(d, ret);
		return;
	}
	for (i = 0; i < n; i++) {
		read_facts(d->rootfd, policies[i], &facts);
		add_knob(d, policies[i], "min_khz", &facts);
		add_knob(d, policies[i], "max_khz", &facts);
		add_attr_knob(d, policies[i], "governor", "scaling_governor",
			      "scaling_available_governors", &facts);
		add_attr_knob(d, policies[i], "epp",
			      "energy_performance_preference",
			      "energy_performance_available_preferences",
			      &facts);
	}
	free(policies);
	add_global_knob(d, "boost", CPUFREQ_DIR "/boost", "0|1");
	add_global_knob(d, "pstate.no_turbo", PSTATE_DIR "/no_turbo", "0|1");
	add_global_knob(d, "pstate.min_perf_pct", PSTATE_DIR "/min_perf_pct",
			"0..100");
	add_global_knob(d, "pstate.max_perf_pct", PSTATE_DIR "/max_perf_pct",
			"0..100");
}

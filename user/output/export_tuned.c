// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune export --format tuned: the tuned.conf of a TuneD profile.
 *
 *   sysctl.*                     [sysctl] NAME=VALUE
 *   sched.* TuneD knows          [scheduler] sched_FILE / numa_balancing_FILE
 *                                (it finds them in debugfs or /proc/sys)
 *   pmqos.cpu_latency_us         [cpu] force_latency (TuneD holds
 *                                /dev/cpu_dma_latency open)
 *   mm.thp.enabled, mm.thp.defrag
 *                                [vm] transparent_hugepages,
 *                                transparent_hugepage.defrag
 *   freq.pstate.*                [cpu] no_turbo, min_perf_pct, max_perf_pct
 *   freq.policyN.governor, epp   [cpu] governor, energy_performance_
 *                                preference when every policy of this
 *                                host gets the same (TuneD sets all CPUs);
 *                                else [sysfs] per policy
 *   other sched, idle, per-CPU   [sysfs] FILE=VALUE, the file a host
 *   resume latency, freq, the    without ostune keeps them in (the
 *   other mm, wq.cpumask         workqueue mask in hex)
 *   irq.*                        left out: TuneD's sysfs plugin writes
 *                                only under /sys, and no plugin sets an
 *                                IRQ's mask
 *   nic.* (RPS, XPS)             [sysfs] the queue's attribute, a CPU list
 *                                as the hex mask sysfs takes: TuneD's net
 *                                plugin has no RPS or XPS option
 *   nic.IF.<coalescing, ring>    a [net_IF] unit per device (type=net,
 *                                devices=IF): coalesce=rx-usecs N ...,
 *                                ring=rx N tx N, ethtool's words (TuneD
 *                                runs ethtool -C / -G with them); an
 *                                interface name TuneD's devices= would
 *                                read as a pattern or a list is left out
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "knobs/knobname.h"
#include "output/export.h"

enum section {
	SEC_SYSCTL,
	SEC_SCHEDULER,
	SEC_CPU,
	SEC_VM,
	SEC_SYSFS,
	SEC_LEFT_OUT,
	/* said by another knob's line ([cpu] governor for all policies) */
	SEC_MERGED,
	/* a nic coalescing or ring knob: its device's [net_IF] unit */
	SEC_NET,
};

static const char *const section_names[SEC_LEFT_OUT] = {
	"sysctl", "scheduler", "cpu", "vm", "sysfs"
};

/* The [scheduler] options of TuneD 2.20 that are debugfs sched knobs. */
static const char *const scheduler_knobs[] = {
	"min_granularity_ns", "latency_ns", "wakeup_granularity_ns",
	"migration_cost_ns", "nr_migrate", "numa_balancing.scan_delay_ms",
	"numa_balancing.scan_period_min_ms", "numa_balancing.scan_period_max_ms",
	"numa_balancing.scan_size_mb", NULL
};

struct tuned_line {
	char key[300];
	char value[300];	/* or why it is left out */
};

static bool scheduler_knob(const char *sub)
{
	size_t i;

	for (i = 0; scheduler_knobs[i]; i++)
		if (!strcmp(scheduler_knobs[i], sub))
			return true;
	return false;
}

/*
 * freq.policyN.<which> ("governor", "epp"): is every such knob of this
 * host in cs with one value? Then TuneD's [cpu] option says it.
 */
static bool same_on_every_policy(const struct export_source *src,
				 const char *which)
{
	const char *value = NULL;
	unsigned int policy;
	const char *rest;
	size_t i, j;

	if (!src->known)
		return false;
	for (i = 0; i < src->known->n; i++) {
		const char *name = src->known->items[i].name;

		if (strncmp(name, "freq.", 5) ||
		    !(rest = knob_parse_index(name + 5, "policy", &policy)) ||
		    strcmp(rest, which))
			continue;
		for (j = 0; j < src->knobs->n; j++)
			if (!strcmp(src->knobs->items[j].name, name))
				break;
		if (j == src->knobs->n ||
		    (value && strcmp(value, src->knobs->items[j].value)))
			return false;
		value = src->knobs->items[j].value;
	}
	return value;
}

/* The first freq.policyN.<which> of cs is the one that says it. */
static bool first_of_policies(const struct changeset *cs,
			      const struct change *c, const char *which)
{
	unsigned int policy;
	const char *rest;
	size_t i;

	for (i = 0; &cs->items[i] != c; i++)
		if (!strncmp(cs->items[i].name, "freq.", 5) &&
		    (rest = knob_parse_index(cs->items[i].name + 5, "policy",
					     &policy)) &&
		    !strcmp(rest, which))
			return false;
	return true;
}

static enum section classify(const struct export_source *src,
			     const struct change *c, struct tuned_line *l)
{
	static const struct {
		const char *which, *option;
	} policy_options[] = {
		{ "governor", "governor" },
		{ "epp", "energy_performance_preference" },
	};
	unsigned int policy;
	const char *sub;
	char *dot;
	size_t i;

	if (!strncmp(c->name, "sysctl.", 7)) {
		snprintf(l->key, sizeof(l->key), "%s", c->name + 7);
		snprintf(l->value, sizeof(l->value), "%s", c->value);
		return SEC_SYSCTL;
	}
	sub = c->name + 6;
	if (!strncmp(c->name, "sched.", 6) && scheduler_knob(sub)) {
		snprintf(l->key, sizeof(l->key), "%s%s",
			 strncmp(sub, "numa_balancing.", 15) ? "sched_" : "", sub);
		dot = strchr(l->key, '.');
		if (dot)
			*dot = '_';
		snprintf(l->value, sizeof(l->value), "%s", c->value);
		return SEC_SCHEDULER;
	}
	if (!strcmp(c->name, "pmqos.cpu_latency_us")) {
		if (!strcmp(c->value, "none")) {
			snprintf(l->value, sizeof(l->value), "none: no request to hold");
			return SEC_LEFT_OUT;
		}
		snprintf(l->key, sizeof(l->key), "force_latency");
		snprintf(l->value, sizeof(l->value), "%s", c->value);
		return SEC_CPU;
	}
	if (!strcmp(c->name, "mm.thp.enabled") ||
	    !strcmp(c->name, "mm.thp.defrag")) {
		snprintf(l->key, sizeof(l->key), "%s",
			 c->name[7] == 'e' ? "transparent_hugepages" :
			 "transparent_hugepage.defrag");
		snprintf(l->value, sizeof(l->value), "%s", c->value);
		return SEC_VM;
	}
	if (!strncmp(c->name, "freq.pstate.", 12)) {
		snprintf(l->key, sizeof(l->key), "%s", c->name + 12);
		snprintf(l->value, sizeof(l->value), "%s", c->value);
		return SEC_CPU;
	}
	sub = !strncmp(c->name, "freq.", 5) ?
	      knob_parse_index(c->name + 5, "policy", &policy) : NULL;
	for (i = 0; sub && i < sizeof(policy_options) / sizeof(policy_options[0]); i++) {
		if (strcmp(sub, policy_options[i].which) ||
		    !same_on_every_policy(src, sub))
			continue;
		if (!first_of_policies(src->knobs, c, sub))
			return SEC_MERGED;
		snprintf(l->key, sizeof(l->key), "%s", policy_options[i].option);
		snprintf(l->value, sizeof(l->value), "%s", c->value);
		return SEC_CPU;
	}
	if (export_ethtool_knob(c->name, l->key, NULL)) {
		/* TuneD matches devices= as comma-separated fnmatch patterns */
		if (strspn(l->key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") != strlen(l->key)) {
			snprintf(l->value, sizeof(l->value), "TuneD's devices= would read the interface name as a pattern or a list");
			return SEC_LEFT_OUT;
		}
		return SEC_NET;
	}
	if (!strncmp(c->name, "irq.", 4)) {
		snprintf(l->value, sizeof(l->value), "TuneD has no plugin that sets an IRQ's CPU mask");
		return SEC_LEFT_OUT;
	}
	if (export_plain_file(c->name, c->value, l->key, sizeof(l->key), l->value,
			      sizeof(l->value), l->value, sizeof(l->value)))
		return SEC_LEFT_OUT;
	return SEC_SYSFS;
}

/*
 * "rx-usecs 50 tx-usecs 16" for coalesce (-C), "rx 512 tx 256" for ring
 * (-G): the knobs of ifname with that ethtool option, in cs order.
 */
static void net_option(const struct changeset *cs, const char *ifname,
		       const char *opt, const char *key, FILE *out)
{
	const struct knob_nic_coal_param *param;
	char dev[KNOB_IFNAMSIZ];
	size_t i, n = 0;

	for (i = 0; i < cs->n; i++) {
		if (!export_ethtool_knob(cs->items[i].name, dev, &param) ||
		    strcmp(dev, ifname) || strcmp(param->ethtool_opt, opt))
			continue;
		fprintf(out, "%s%s %s", n++ ? " " : key, param->ethtool_word,
			export_ethtool_value(param, cs->items[i].value));
	}
	if (n)
		fputc('\n', out);
}

/* One [net_IF] unit per device, in the order its first knob comes. */
static void net_units(const struct export_source *src, FILE *out)
{
	const struct changeset *cs = src->knobs;
	struct tuned_line l, earlier;
	size_t i, j;

	for (i = 0; i < cs->n; i++) {
		if (classify(src, &cs->items[i], &l) != SEC_NET)
			continue;
		for (j = 0; j < i; j++)
			if (classify(src, &cs->items[j], &earlier) == SEC_NET &&
			    !strcmp(earlier.key, l.key))
				break;
		if (j < i)
			continue;
		fprintf(out, "\n[net_%s]\ntype=net\ndevices=%s\n", l.key, l.key);
		net_option(cs, l.key, "-C", "coalesce=", out);
		net_option(cs, l.key, "-G", "ring=", out);
	}
}

int export_tuned(const struct export_source *src, FILE *out)
{
	const struct changeset *cs = src->knobs;
	struct tuned_line l;
	enum section sec;
	size_t i, n;

	export_header(src, "# ", "A TuneD profile: copy its directory to /etc/tuned/ and 'tuned-adm profile ostune'.", out);
	for (i = 0, n = 0; i < cs->n; i++) {
		if (classify(src, &cs->items[i], &l) != SEC_LEFT_OUT)
			continue;
		if (!n++)
			fprintf(out, "#\n# Left out, TuneD cannot set them:\n");
		fprintf(out, "#   %s = %s: %s\n", cs->items[i].name,
			cs->items[i].value, l.value);
	}
	fprintf(out, "\n[main]\nsummary=ostune: tuned in %s\n", src->dir);
	for (sec = 0; sec < SEC_LEFT_OUT; sec++) {
		for (i = 0, n = 0; i < cs->n; i++) {
			if (classify(src, &cs->items[i], &l) != sec)
				continue;
			if (!n++)
				fprintf(out, "\n[%s]\n", section_names[sec]);
			fprintf(out, "%s=%s\n", l.key, l.value);
		}
	}
	net_units(src, out);
	return 0;
}

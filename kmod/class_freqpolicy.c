// SPDX-License-Identifier: GPL-2.0
/*
 * The freq knobs cpufreq has no in-kernel setter for, written through their
 * sysfs attributes under the module's own sysfs mount (their stores apply
 * the driver's and the core's rules) and read back:
 *
 *	freq.policy<N>.governor	policy N's scaling_governor
 *	freq.policy<N>.epp	policy N's energy_performance_preference
 *	freq.boost		cpufreq/boost, when the driver has boost
 *	freq.pstate.no_turbo, freq.pstate.min_perf_pct,
 *	freq.pstate.max_perf_pct	intel_pstate's globals
 *
 * Values are checked before anything is written against what the policy
 * offers (scaling_available_governors, energy_performance_available_
 * preferences), as the stores would load a governor module by name.
 *
 * A policy, and the boost file, go away with their driver, and a driver
 * loaded again makes new ones under the same names: a held knob must not
 * write its original into those. A policy notifier counts the removals of
 * each policy; a knob opened after a removal names another object
 * (ostune_ident), and its restore lets it go. freq.policy<N>.min_khz and
 * max_khz are class_freq.c's, which owns the other freq names.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/cpufreq.h>
#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/string.h>
#ifdef CONFIG_X86
#include <asm/cpufeature.h>
#endif

#include "ostune.h"

#define CPUFREQ_SYSFS	"devices/system/cpu/cpufreq"
#define PSTATE_SYSFS	"devices/system/cpu/intel_pstate"

enum freqpol_kind {
	FREQPOL_GOVERNOR,
	FREQPOL_EPP,
	FREQPOL_BOOST,
	FREQPOL_NO_TURBO,
	FREQPOL_MIN_PERF_PCT,
	FREQPOL_MAX_PERF_PCT,
};

/* The knob names after "freq." without a policy, and their files. */
static const struct {
	const char *sub;
	const char *path;
} freqpol_globals[] = {
	[FREQPOL_BOOST]		= { "boost", CPUFREQ_SYSFS "/boost" },
	[FREQPOL_NO_TURBO]	= { "pstate.no_turbo", PSTATE_SYSFS "/no_turbo" },
	[FREQPOL_MIN_PERF_PCT]	= { "pstate.min_perf_pct",
				    PSTATE_SYSFS "/min_perf_pct" },
	[FREQPOL_MAX_PERF_PCT]	= { "pstate.max_perf_pct",
				    PSTATE_SYSFS "/max_perf_pct" },
};

/* Removals of policy<N>, by N; and of any policy, for the boost file. */
static DEFINE_PER_CPU(atomic_t, freqpol_gone);
static atomic_t freqpol_any_gone;
static bool freqpol_notifier_on;

/* policy<N>.governor, policy<N>.epp, or one of freqpol_globals */
static int freqpol_parse(const char *sub, enum freqpol_kind *kind,
			 unsigned int *policy)
{
	const char *rest = ostune_parse_index(sub, "policy", policy);
	unsigned int i;

	if (rest) {
		if (!strcmp(rest, "governor"))
			*kind = FREQPOL_GOVERNOR;
		else if (!strcmp(rest, "epp"))
			*kind = FREQPOL_EPP;
		else
			return -EINVAL;
		return 0;
	}
	for (i = FREQPOL_BOOST; i < ARRAY_SIZE(freqpol_globals); i++) {
		if (!strcmp(sub, freqpol_globals[i].sub)) {
			*kind = i;
			return 0;
		}
	}
	return -EINVAL;
}

static bool freqpol_owns(const char *sub)
{
	enum freqpol_kind kind;
	unsigned int policy;

	return !freqpol_parse(sub, &kind, &policy);
}

static const char *const freqpol_policy_file[] = {
	[FREQPOL_GOVERNOR]	= "scaling_governor",
	[FREQPOL_EPP]		= "energy_performance_preference",
};

/* Reads policy<N>/file, folded, into buf. */
static int freqpol_read_policy_file(unsigned int policy, const char *file,
				    char *buf, size_t size)
{
	struct ostune_knob_file kf = {};
	char *path;
	int ret;

	path = kasprintf(GFP_KERNEL, CPUFREQ_SYSFS "/policy%u/%s", policy,
			 file);
	if (!path)
		return -ENOMEM;
	ret = ostune_text_open(&kf, OSTUNE_FS_SYSFS, path, false);
	kfree(path);
	if (ret)
		return ret;
	ret = ostune_text_read(&kf, buf, size);
	ostune_text_close(&kf);
	return ret;
}

static int freqpol_open_policy(struct ostune_knob_file *kf,
			       enum freqpol_kind kind, unsigned int policy,
			       bool write, char *why, size_t len)
{
	char driver[CPUFREQ_NAME_LEN];
	char *path;
	int ret;

	/*
	 * Before the open: a policy removed in between makes the ident
	 * older than the file, so a later open finds another object.
	 */
	kf->ident.v[0] = atomic_read(per_cpu_ptr(&freqpol_gone, policy));
	path = kasprintf(GFP_KERNEL, CPUFREQ_SYSFS "/policy%u/%s", policy,
			 freqpol_policy_file[kind]);
	if (!path)
		return -ENOMEM;
	ret = ostune_text_open(kf, OSTUNE_FS_SYSFS, path, write);
	kfree(path);
	if (ret != -ENOENT) {
		if (ret)
			snprintf(why, len, "cannot open: error %d", ret);
		return ret;
	}
	if (freqpol_read_policy_file(policy, "scaling_driver", driver,
				     sizeof(driver)))
		snprintf(why, len, "no policy%u (no cpufreq driver?)", policy);
	else if (kind == FREQPOL_EPP)
		snprintf(why, len, "policy%u's driver %s has no EPP", policy,
			 driver);
	else
		snprintf(why, len, "policy%u has no %s", policy,
			 freqpol_policy_file[kind]);
	return -ENOENT;
}

static int freqpol_open(struct ostune_knob_file *kf, bool write, char *why,
			size_t len)
{
	enum freqpol_kind kind;
	unsigned int policy;
	int ret;

	if (freqpol_parse(kf->knob->sub, &kind, &policy))
		return -EINVAL;
	if ((kind == FREQPOL_GOVERNOR || kind == FREQPOL_EPP) &&
	    (policy >= nr_cpu_ids || !cpu_possible(policy))) {
		snprintf(why, len, "no cpu%u, so no policy%u, on this host",
			 policy, policy);
		return -ENOENT;
	}
	if (!freqpol_notifier_on) {
		snprintf(why, len, "cpufreq is disabled on this host (cpufreq.off=1?)");
		return -ENODEV;
	}
	if (kind == FREQPOL_GOVERNOR || kind == FREQPOL_EPP)
		return freqpol_open_policy(kf, kind, policy, write, why, len);

	/*
	 * The boost file goes with the driver; intel_pstate's stay across
	 * its mode switches (a driver unregistered and registered again).
	 */
	if (kind == FREQPOL_BOOST)
		kf->ident.v[0] = atomic_read(&freqpol_any_gone);
	ret = ostune_text_open(kf, OSTUNE_FS_SYSFS,
			       freqpol_globals[kind].path, write);
	if (ret == -ENOENT && kind == FREQPOL_BOOST)
		snprintf(why, len, "the cpufreq driver has no boost (or there is none)");
	else if (ret == -ENOENT)
		snprintf(why, len, "no intel_pstate driver on this host");
	else if (ret)
		snprintf(why, len, "cannot open: error %d", ret);
	return ret;
}

/* Whether word is one of the blank-separated words of list. */
static bool word_in(const char *word, const char *list)
{
	size_t n = strlen(word);
	const char *p = list;

	while ((p = strstr(p, word))) {
		if ((p == list || p[-1] == ' ') && (!p[n] || p[n] == ' '))
			return true;
		p += n;
	}
	return false;
}

/* A canonical decimal (no sign, no leading zero) from 0 to max. */
static bool decimal_upto(const char *value, unsigned int max)
{
	unsigned int v;

	if (!isdigit(*value) || (*value == '0' && value[1]))
		return false;
	return !kstrtouint(value, 10, &v) && v <= max;
}

/*
 * intel_pstate (and intel_cpufreq, its passive mode) take a raw EPP from
 * 0 to 255 where the CPU has HWP EPP; amd-pstate takes only its words.
 */
static bool freqpol_raw_epp(const char *driver)
{
#ifdef CONFIG_X86
	return (!strcmp(driver, "intel_pstate") ||
		!strcmp(driver, "intel_cpufreq")) &&
	       boot_cpu_has(X86_FEATURE_HWP_EPP);
#else
	return false;
#endif
}

static int freqpol_check_policy(enum freqpol_kind kind, unsigned int policy,
				const char *value, char *why, size_t len)
{
	const char *offered = kind == FREQPOL_GOVERNOR ?
			      "scaling_available_governors" :
			      "energy_performance_available_preferences";
	char driver[CPUFREQ_NAME_LEN];
	char *list;
	int ret;

	list = kmalloc(OSTUNE_VALUE_MAX, GFP_KERNEL);
	if (!list)
		return -ENOMEM;
	ret = freqpol_read_policy_file(policy, offered, list,
				       OSTUNE_VALUE_MAX);
	if (ret == -EBUSY) {
		snprintf(why, len, "policy%u is inactive (its CPUs offline)",
			 policy);
		goto out;
	}
	if (ret) {
		snprintf(why, len, "cannot read policy%u's %s: error %d",
			 policy, kind == FREQPOL_GOVERNOR ? "governors" : "EPPs",
			 ret);
		goto out;
	}
	if (strchr(value, ' ') || !word_in(value, list)) {
		ret = -EINVAL;
		if (kind == FREQPOL_EPP && decimal_upto(value, 255) &&
		    !freqpol_read_policy_file(policy, "scaling_driver", driver,
					      sizeof(driver)) &&
		    freqpol_raw_epp(driver))
			ret = 0;
		else if (kind == FREQPOL_EPP && decimal_upto(value, 255))
			snprintf(why, len,
				 "'%.16s' not offered by policy%u (no raw EPP): %.30s",
				 value, policy, list);
		else
			snprintf(why, len, "'%.16s' not offered by policy%u: %.40s",
				 value, policy, list);
	}
out:
	kfree(list);
	return ret;
}

static int freqpol_check_value(const struct ostune_knob *knob,
			       const char *value, char *why, size_t len)
{
	enum freqpol_kind kind;
	unsigned int policy;

	if (freqpol_parse(knob->sub, &kind, &policy))
		return -EINVAL;
	switch (kind) {
	case FREQPOL_GOVERNOR:
	case FREQPOL_EPP:
		return freqpol_check_policy(kind, policy, value, why, len);
	case FREQPOL_BOOST:
	case FREQPOL_NO_TURBO:
		if (strcmp(value, "0") && strcmp(value, "1")) {
			snprintf(why, len, "'%.16s' is not 0 or 1", value);
			return -EINVAL;
		}
		return 0;
	default:
		if (!decimal_upto(value, 100)) {
			snprintf(why, len, "'%.16s' is not a percentage 0..100",
				 value);
			return -EINVAL;
		}
		return 0;
	}
}

/* An EPP waits for the governors: some drivers refuse it under one. */
static int freqpol_apply_late(struct ostune_knob_file *kf, const char *value)
{
	enum freqpol_kind kind;
	unsigned int policy;

	return !freqpol_parse(kf->knob->sub, &kind, &policy) &&
	       kind == FREQPOL_EPP;
}

/* "policy12": 12 */
static int policy_number(struct cpufreq_policy *policy, unsigned int *n)
{
	const char *name = kobject_name(&policy->kobj);

	if (!name || !ostune_parse_index(name, "policy", n) || *n >= nr_cpu_ids)
		return -EINVAL;
	return 0;
}

static int freqpol_policy_event(struct notifier_block *nb,
				unsigned long event, void *data)
{
	unsigned int n;

	if (event != CPUFREQ_REMOVE_POLICY)
		return NOTIFY_DONE;
	atomic_inc(&freqpol_any_gone);
	if (!policy_number(data, &n))
		atomic_inc(per_cpu_ptr(&freqpol_gone, n));
	return NOTIFY_OK;
}

static struct notifier_block freqpol_policy_nb = {
	.notifier_call = freqpol_policy_event,
};

/* As class_freq.c: without cpufreq the knobs are refused, saying why. */
static int freqpol_init(void)
{
	freqpol_notifier_on = !cpufreq_register_notifier(&freqpol_policy_nb,
						CPUFREQ_POLICY_NOTIFIER);
	return 0;
}

static void freqpol_exit(void)
{
	if (freqpol_notifier_on)
		cpufreq_unregister_notifier(&freqpol_policy_nb,
					    CPUFREQ_POLICY_NOTIFIER);
	freqpol_notifier_on = false;
}

const struct ostune_class ostune_freqpolicy_class = {
	.prefix		= "freq",
	.owns		= freqpol_owns,
	.open		= freqpol_open,
	.close		= ostune_text_close,
	.check_value	= freqpol_check_value,
	.read		= ostune_text_read,
	.write		= ostune_text_write,
	.apply_late	= freqpol_apply_late,
	.absent_is_gone	= true,
	.init		= freqpol_init,
	.exit		= freqpol_exit,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * freq.policy<N>.min_khz, freq.policy<N>.max_khz: freq QoS requests held by
 * the module on cpufreq policy N (named, as in sysfs, after the policy's
 * first CPU). The value is the module's own request, "none" without one;
 * cpufreq aggregates it with the other requests, so restoring to "none"
 * gives the limits back to everyone else.
 *
 * When a cpufreq driver goes away its policies are freed, and requests
 * still on them must go first: a policy notifier drops ours. The held knob
 * then reads "none", and its restore reports it as changed externally.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpufreq.h>
#include <linux/kernel.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/pm_qos.h>
#include <linux/string.h>

#include "ostune.h"

/*
 * Indexed by the policy's first CPU. Not under ostune_lock: the policy
 * notifier runs under the CPU hotplug lock, which sysctl writes made under
 * ostune_lock may take.
 */
static DEFINE_MUTEX(freq_lock);
static DEFINE_PER_CPU(struct freq_qos_request, freq_min_req);
static DEFINE_PER_CPU(struct freq_qos_request, freq_max_req);
/* The policy notifier is registered: without it, no request is safe. */
static bool freq_notifier_on;

/* policy<N>.min_khz or policy<N>.max_khz */
static int freq_parse(const char *sub, unsigned int *cpu,
		      enum freq_qos_req_type *type)
{
	const char *rest = ostune_parse_index(sub, "policy", cpu);

	if (!rest)
		return -EINVAL;
	if (!strcmp(rest, "min_khz"))
		*type = FREQ_QOS_MIN;
	else if (!strcmp(rest, "max_khz"))
		*type = FREQ_QOS_MAX;
	else
		return -EINVAL;
	return 0;
}

static struct freq_qos_request *freq_req(unsigned int cpu,
					 enum freq_qos_req_type type)
{
	return per_cpu_ptr(type == FREQ_QOS_MIN ? &freq_min_req : &freq_max_req,
			   cpu);
}

/*
 * The active policy named policy<cpu>, with a reference, or NULL. The
 * policy keeps its name while CPU cpu is offline and another CPU of it
 * runs, so it is looked for through every online CPU.
 */
static struct cpufreq_policy *freq_policy(unsigned int cpu)
{
	struct cpufreq_policy *policy;
	unsigned int other;

	for_each_online_cpu(other) {
		policy = cpufreq_cpu_get(other);
		if (!policy)
			continue;
		if (cpumask_first(policy->related_cpus) == cpu)
			return policy;
		cpufreq_cpu_put(policy);
	}
	return NULL;
}

/*
 * Any policy a CPU of this host could have opens: one without a request of
 * ours reads "none", whether it is active, inactive or gone with its driver,
 * so a held knob can always be read and restored. New values need an active
 * policy, which freq_check_value() asks for.
 */
static int freq_open(struct ostune_knob_file *kf, bool write, char *why,
		     size_t len)
{
	enum freq_qos_req_type type;
	unsigned int cpu;

	if (freq_parse(kf->knob->sub, &cpu, &type)) {
		snprintf(why, len,
			 "bad freq name (policyN.min_khz|max_khz|governor|epp, boost, pstate.*)");
		return -EINVAL;
	}
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
		snprintf(why, len, "no cpu%u, so no policy%u, on this host", cpu,
			 cpu);
		return -ENOENT;
	}
	if (!freq_notifier_on) {
		snprintf(why, len, "cpufreq is disabled on this host (cpufreq.off=1?)");
		return -ENODEV;
	}
	kf->data = freq_req(cpu, type);
	return 0;
}

static int freq_check_value(const struct ostune_knob *knob, const char *value,
			    char *why, size_t len)
{
	struct cpufreq_policy *policy;
	enum freq_qos_req_type type;
	unsigned int cpu;
	int ret;
	s32 v;

	if (freq_parse(knob->sub, &cpu, &type))
		return -EINVAL;
	ret = ostune_parse_qos_value(value, FREQ_QOS_MAX_DEFAULT_VALUE - 1, &v,
				     why, len);
	if (ret || v < 0)
		return ret;
	policy = freq_policy(cpu);
	if (!policy) {
		snprintf(why, len,
			 "no active policy%u (CPUs offline, shared or no driver?)",
			 cpu);
		return -ENOENT;
	}
	if (v < policy->cpuinfo.min_freq || v > policy->cpuinfo.max_freq) {
		snprintf(why, len, "%d kHz is outside policy%u's %u..%u kHz", v,
			 cpu, policy->cpuinfo.min_freq, policy->cpuinfo.max_freq);
		ret = -ERANGE;
	}
	cpufreq_cpu_put(policy);
	return ret;
}

static int freq_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	struct freq_qos_request *req = kf->data;

	mutex_lock(&freq_lock);
	if (freq_qos_request_active(req))
		snprintf(buf, size, "%d", req->pnode.prio);
	else
		strscpy(buf, "none", size);
	mutex_unlock(&freq_lock);
	return 0;
}

static int freq_write(struct ostune_knob_file *kf, const char *value)
{
	struct freq_qos_request *req = kf->data;
	struct cpufreq_policy *policy;
	enum freq_qos_req_type type;
	char why[OSTUNE_MSG_MAX];
	unsigned int cpu;
	int ret;
	s32 v;

	if (freq_parse(kf->knob->sub, &cpu, &type))
		return -EINVAL;
	ret = ostune_parse_qos_value(value, FREQ_QOS_MAX_DEFAULT_VALUE - 1, &v,
				     why, sizeof(why));
	if (ret)
		return ret;

	mutex_lock(&freq_lock);
	if (v < 0) {
		ret = freq_qos_request_active(req) ?
		      freq_qos_remove_request(req) : 0;
	} else if (freq_qos_request_active(req)) {
		ret = freq_qos_update_request(req, v);
	} else {
		policy = freq_policy(cpu);
		if (policy) {
			ret = freq_qos_add_request(&policy->constraints, req,
						   type, v);
			cpufreq_cpu_put(policy);
		} else {
			ret = -ENODEV;
		}
	}
	mutex_unlock(&freq_lock);
	/* 1 only says the aggregate value changed. */
	return ret < 0 ? ret : 0;
}

/*
 * So that min never exceeds max on the way: raise a maximum and lower a
 * minimum first, raise a minimum and lower a maximum after.
 */
static int freq_apply_late(struct ostune_knob_file *kf, const char *value)
{
	struct cpufreq_policy *policy;
	enum freq_qos_req_type type;
	char why[OSTUNE_MSG_MAX];
	unsigned int cpu;
	int late = 0;
	s32 v;

	if (freq_parse(kf->knob->sub, &cpu, &type) ||
	    ostune_parse_qos_value(value, FREQ_QOS_MAX_DEFAULT_VALUE - 1, &v,
				   why, sizeof(why)) || v < 0)
		return 0;
	policy = freq_policy(cpu);
	if (!policy)
		return 0;
	if (type == FREQ_QOS_MIN)
		late = v > policy->min;
	else
		late = v < policy->max;
	cpufreq_cpu_put(policy);
	return late;
}

static void freq_drop(struct freq_qos_request *req, struct cpufreq_policy *policy)
{
	if (freq_qos_request_active(req) &&
	    (!policy || req->qos == &policy->constraints))
		freq_qos_remove_request(req);
}

static int freq_policy_event(struct notifier_block *nb, unsigned long event,
			     void *data)
{
	struct cpufreq_policy *policy = data;
	unsigned int cpu = cpumask_first(policy->related_cpus);

	if (event != CPUFREQ_REMOVE_POLICY)
		return NOTIFY_DONE;
	mutex_lock(&freq_lock);
	freq_drop(freq_req(cpu, FREQ_QOS_MIN), policy);
	freq_drop(freq_req(cpu, FREQ_QOS_MAX), policy);
	mutex_unlock(&freq_lock);
	return NOTIFY_OK;
}

static struct notifier_block freq_policy_nb = {
	.notifier_call = freq_policy_event,
};

/*
 * Without cpufreq (cpufreq.off=1, or a kernel without it) the notifier
 * cannot be registered: the class then refuses its knobs, and the rest of
 * the module works.
 */
static int freq_init(void)
{
	int ret = cpufreq_register_notifier(&freq_policy_nb,
					    CPUFREQ_POLICY_NOTIFIER);

	freq_notifier_on = !ret;
	if (ret)
		pr_info("no freq knobs: cpufreq refused its policy notifier (error %d)\n",
			ret);
	return 0;
}

/*
 * Requests first, notifier last: a driver that goes away in between
 * still finds the notifier, which takes freq_lock and so waits for the
 * drop, and after the drop there is nothing left on its policies.
 */
static void freq_exit(void)
{
	unsigned int cpu;

	mutex_lock(&freq_lock);
	for_each_possible_cpu(cpu) {
		freq_drop(freq_req(cpu, FREQ_QOS_MIN), NULL);
		freq_drop(freq_req(cpu, FREQ_QOS_MAX), NULL);
	}
	mutex_unlock(&freq_lock);
	if (freq_notifier_on)
		cpufreq_unregister_notifier(&freq_policy_nb,
					    CPUFREQ_POLICY_NOTIFIER);
	freq_notifier_on = false;
}

const struct ostune_class ostune_freq_class = {
	.prefix		= "freq",
	.open		= freq_open,
	.check_value	= freq_check_value,
	.read		= freq_read,
	.write		= freq_write,
	.apply_late	= freq_apply_late,
	.init		= freq_init,
	.exit		= freq_exit,
};

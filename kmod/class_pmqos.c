// SPDX-License-Identifier: GPL-2.0
/*
 * pmqos.*: PM QoS requests held by the module itself.
 *
 *   pmqos.cpu_latency_us			a CPU-latency QoS request
 *   pmqos.cpu<N>.resume_latency_us	a resume-latency dev_pm_qos request on
 *					CPU N's device
 *
 * A knob's value is the module's own request, "none" when it has none; the
 * kernel aggregates it with everyone else's. Restoring to "none" drops the
 * request, so the effective constraint returns to what the others ask for.
 */
#include <linux/cpu.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/pm_qos.h>
#include <linux/string.h>

#include "ostune.h"

/* Both protected by ostune_lock. */
static struct pm_qos_request cpu_latency_req;
static DEFINE_PER_CPU(struct dev_pm_qos_request, resume_latency_req);

static int pmqos_parse(const char *sub, int *cpu)
{
	unsigned int n;
	const char *rest;

	if (!strcmp(sub, "cpu_latency_us")) {
		*cpu = -1;
		return 0;
	}
	rest = ostune_parse_index(sub, "cpu", &n);
	if (!rest || strcmp(rest, "resume_latency_us") || n > INT_MAX)
		return -EINVAL;
	*cpu = n;
	return 0;
}

static s32 pmqos_max(int cpu)
{
	/* A resume latency of S32_MAX means no constraint: use "none". */
	return cpu < 0 ? PM_QOS_CPU_LATENCY_DEFAULT_VALUE :
			 PM_QOS_RESUME_LATENCY_NO_CONSTRAINT - 1;
}

static int pmqos_open(struct ostune_knob_file *kf, bool write, char *why,
		      size_t len)
{
	int cpu;

	if (pmqos_parse(kf->knob->sub, &cpu)) {
		snprintf(why, len,
			 "bad pmqos name (want cpu_latency_us or cpuN.resume_latency_us)");
		return -EINVAL;
	}
	if (cpu >= 0 && (cpu >= nr_cpu_ids || !get_cpu_device(cpu))) {
		snprintf(why, len, "no cpu%d on this host", cpu);
		return -ENOENT;
	}
	/* The CPU, -1 for the CPU-latency request. */
	kf->data = (void *)(long)cpu;
	return 0;
}

static int pmqos_cpu(const struct ostune_knob_file *kf)
{
	return (long)kf->data;
}

static int pmqos_check_value(const struct ostune_knob *knob, const char *value,
			     char *why, size_t len)
{
	int ret, cpu;
	s32 v;

	if (pmqos_parse(knob->sub, &cpu))
		return -EINVAL;
	ret = ostune_parse_qos_value(value, pmqos_max(cpu), &v, why, len);
	if (!ret && cpu >= 0 && !cpu_online(cpu)) {
		snprintf(why, len, "cpu%d is offline", cpu);
		ret = -EINVAL;
	}
	return ret;
}

static int pmqos_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	int cpu = pmqos_cpu(kf);
	struct dev_pm_qos_request *req;

	lockdep_assert_held(&ostune_lock);
	if (cpu < 0) {
		if (!cpu_latency_qos_request_active(&cpu_latency_req))
			goto none;
		snprintf(buf, size, "%d", cpu_latency_req.node.prio);
		return 0;
	}
	req = per_cpu_ptr(&resume_latency_req, cpu);
	if (!dev_pm_qos_request_active(req))
		goto none;
	snprintf(buf, size, "%d", req->data.pnode.prio);
	return 0;
none:
	strscpy(buf, "none", size);
	return 0;
}

static int cpu_latency_write(s32 v)
{
	struct pm_qos_request *req = &cpu_latency_req;

	if (v < 0) {
		if (cpu_latency_qos_request_active(req))
			cpu_latency_qos_remove_request(req);
	} else if (cpu_latency_qos_request_active(req)) {
		cpu_latency_qos_update_request(req, v);
	} else {
		cpu_latency_qos_add_request(req, v);
	}
	return 0;
}

static int resume_latency_write(int cpu, s32 v)
{
	struct dev_pm_qos_request *req = per_cpu_ptr(&resume_latency_req, cpu);
	int ret;

	if (v < 0)
		ret = dev_pm_qos_request_active(req) ?
		      dev_pm_qos_remove_request(req) : 0;
	else if (dev_pm_qos_request_active(req))
		ret = dev_pm_qos_update_request(req, v);
	else
		ret = dev_pm_qos_add_request(get_cpu_device(cpu), req,
					     DEV_PM_QOS_RESUME_LATENCY, v);
	/* 1 only says the aggregate value changed. */
	return ret < 0 ? ret : 0;
}

static int pmqos_write(struct ostune_knob_file *kf, const char *value)
{
	char why[OSTUNE_MSG_MAX];
	int cpu = pmqos_cpu(kf);
	s32 v;
	int ret;

	lockdep_assert_held(&ostune_lock);
	ret = ostune_parse_qos_value(value, pmqos_max(cpu), &v, why,
				     sizeof(why));
	if (ret)
		return ret;
	return cpu < 0 ? cpu_latency_write(v) : resume_latency_write(cpu, v);
}

/* Whatever restores could not drop must not outlive the module. */
static void pmqos_exit(void)
{
	unsigned int cpu;

	if (cpu_latency_qos_request_active(&cpu_latency_req))
		cpu_latency_qos_remove_request(&cpu_latency_req);
	for_each_possible_cpu(cpu) {
		struct dev_pm_qos_request *req;

		req = per_cpu_ptr(&resume_latency_req, cpu);
		if (dev_pm_qos_request_active(req))
			dev_pm_qos_remove_request(req);
	}
}

const struct ostune_class ostune_pmqos_class = {
	.prefix		= "pmqos",
	.open		= pmqos_open,
	.check_value	= pmqos_check_value,
	.read		= pmqos_read,
	.write		= pmqos_write,
	.exit		= pmqos_exit,
};

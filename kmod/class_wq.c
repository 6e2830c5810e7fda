// SPDX-License-Identifier: GPL-2.0
/*
 * wq.cpumask: the CPUs unbound workqueues may run on, as a CPU list
 * ("0-3,8"). workqueue_set_unbound_cpumask() is not exported (6.1, 6.12),
 * so the knob is /sys/devices/virtual/workqueue/cpumask, written in hex
 * through the module's own sysfs mount and read back. Offline CPUs may be
 * in the mask (the kernel's default is every possible CPU, and a restore
 * must be able to put that back), but a new mask must name at least one
 * online CPU and no CPU this host cannot have.
 */
#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ostune.h"

#define WQ_CPUMASK_PATH	"devices/virtual/workqueue/cpumask"

static int wq_open(struct ostune_knob_file *kf, bool write, char *why,
		   size_t len)
{
	int ret;

	if (strcmp(kf->knob->sub, "cpumask")) {
		snprintf(why, len, "unknown wq knob (want wq.cpumask)");
		return -EINVAL;
	}
	ret = ostune_text_open(kf, OSTUNE_FS_SYSFS, WQ_CPUMASK_PATH, write);
	if (ret)
		snprintf(why, len, "cannot open %s: error %d", WQ_CPUMASK_PATH,
			 ret);
	return ret;
}

static int wq_check_value(const struct ostune_knob *knob, const char *value,
			  char *why, size_t len)
{
	cpumask_var_t mask;
	int ret;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	ret = ostune_parse_cpulist(value, false, mask, why, len);
	if (!ret && !cpumask_subset(mask, cpu_possible_mask)) {
		snprintf(why, len, "'%.24s' names CPUs absent from this host",
			 value);
		ret = -EINVAL;
	} else if (!ret && !cpumask_intersects(mask, cpu_online_mask)) {
		snprintf(why, len, "'%.24s' names only offline CPUs", value);
		ret = -EINVAL;
	}
	free_cpumask_var(mask);
	return ret;
}

/* The file shows a hex mask; the knob is its CPU list. */
static int wq_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	char hex[OSTUNE_VALUE_MAX];
	cpumask_var_t mask;
	int ret;

	ret = ostune_text_read(kf, hex, sizeof(hex));
	if (ret)
		return ret;
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	ret = cpumask_parse(hex, mask);
	if (!ret && snprintf(buf, size, "%*pbl", cpumask_pr_args(mask)) >= size)
		ret = -EOVERFLOW;
	free_cpumask_var(mask);
	return ret;
}

static int wq_write(struct ostune_knob_file *kf, const char *value)
{
	char why[OSTUNE_MSG_MAX];
	cpumask_var_t mask;
	char *hex = NULL;
	int ret;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	ret = ostune_parse_cpulist(value, false, mask, why, sizeof(why));
	if (!ret) {
		hex = kasprintf(GFP_KERNEL, "%*pb", cpumask_pr_args(mask));
		ret = hex ? ostune_text_write(kf, hex) : -ENOMEM;
	}
	kfree(hex);
	free_cpumask_var(mask);
	return ret;
}

const struct ostune_class ostune_wq_class = {
	.prefix		= "wq",
	.open		= wq_open,
	.close		= ostune_text_close,
	.check_value	= wq_check_value,
	.read		= wq_read,
	.write		= wq_write,
};

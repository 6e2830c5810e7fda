// SPDX-License-Identifier: GPL-2.0
/*
 * irq.<N>.affinity: the affinity of interrupt N as a CPU list ("0-3,8"),
 * set with irq_set_affinity(). Only interrupts user space could move
 * through /proc/irq are knobs: not per-CPU, not kernel-managed, with
 * balancing allowed and a chip that can move them. A new mask must be
 * non-empty and name only online CPUs; a restore puts back the exact mask
 * found, which the kernel intersects with the CPUs online at that time.
 *
 * An interrupt number is only a name: when a device frees its interrupt,
 * the number can come back for another one. The module looks the
 * descriptor up afresh for every access, under RCU (descriptors are freed
 * after a grace period), and tells interrupts apart by their domain and
 * hardware number, so a held knob is never restored onto the interrupt
 * that took the number over; one whose interrupt is gone is let go.
 */
#include <linux/cpumask.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdesc.h>
#include <linux/kernel.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ostune.h"

static int irq_parse(const char *sub, unsigned int *irq)
{
	const char *rest = ostune_parse_index(sub, "", irq);

	return rest && !strcmp(rest, "affinity") ? 0 : -EINVAL;
}

static unsigned int irq_of(const struct ostune_knob_file *kf)
{
	return (unsigned long)kf->data;
}

static bool irq_movable(struct irq_data *d)
{
	return irqd_can_balance(d) && !irqd_affinity_is_managed(d) &&
	       d->chip && d->chip->irq_set_affinity;
}

static void irq_ident(struct irq_data *d, struct ostune_ident *ident)
{
	ident->v[0] = (unsigned long)d->domain;
	ident->v[1] = d->hwirq;
}

/*
 * What is true of interrupt irq now, under RCU: whether it exists,
 * whether it is movable, and which interrupt it is.
 */
static int irq_look(unsigned int irq, bool *movable, struct ostune_ident *ident)
{
	struct irq_data *d;
	int ret = 0;

	rcu_read_lock();
	d = irq_get_irq_data(irq);
	if (d) {
		*movable = irq_movable(d);
		irq_ident(d, ident);
	} else {
		ret = -ENOENT;
	}
	rcu_read_unlock();
	return ret;
}

static int irq_open(struct ostune_knob_file *kf, bool write, char *why,
		    size_t len)
{
	unsigned int irq;
	bool movable;

	if (irq_parse(kf->knob->sub, &irq)) {
		snprintf(why, len, "bad irq name (want irq.N.affinity)");
		return -EINVAL;
	}
	if (irq_look(irq, &movable, &kf->ident)) {
		snprintf(why, len, "no irq %u on this host", irq);
		return -ENOENT;
	}
	if (write && !movable) {
		snprintf(why, len, "irq %u cannot be moved (per-CPU or managed)",
			 irq);
		return -EINVAL;
	}
	kf->data = (void *)(unsigned long)irq;
	return 0;
}

/* The interrupt kf was opened on is still the one with its number. */
static int irq_same(struct ostune_knob_file *kf)
{
	struct ostune_ident now;
	bool movable;

	if (irq_look(irq_of(kf), &movable, &now) ||
	    memcmp(&now, &kf->ident, sizeof(now)))
		return -ENODEV;
	return 0;
}

static bool irq_fixed(struct ostune_knob_file *kf)
{
	struct ostune_ident now;
	bool movable;

	return irq_look(irq_of(kf), &movable, &now) || !movable;
}

static int irq_check_value(const struct ostune_knob *knob, const char *value,
			   char *why, size_t len)
{
	return ostune_check_cpulist(value, false, why, len);
}

/*
 * The mask /proc/irq/N/smp_affinity shows: an interrupt that cannot move
 * from process context (IO-APIC) keeps a new mask pending until it next
 * fires, and reading the old one back would look like a refused write.
 */
static const struct cpumask *irq_mask(struct irq_data *d)
{
#ifdef CONFIG_GENERIC_PENDING_IRQ
	if (irqd_is_setaffinity_pending(d))
		return irq_data_to_desc(d)->pending_mask;
#endif
	return irq_data_get_affinity_mask(d);
}

static int irq_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	struct ostune_ident now;
	struct irq_data *d;
	int ret = -ENODEV;

	rcu_read_lock();
	d = irq_get_irq_data(irq_of(kf));
	if (d) {
		irq_ident(d, &now);
		if (!memcmp(&now, &kf->ident, sizeof(now))) {
			snprintf(buf, size, "%*pbl", cpumask_pr_args(irq_mask(d)));
			ret = 0;
		}
	}
	rcu_read_unlock();
	return ret;
}

static int irq_write(struct ostune_knob_file *kf, const char *value)
{
	char why[OSTUNE_MSG_MAX];
	cpumask_var_t mask;
	int ret;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	ret = ostune_parse_cpulist(value, false, mask, why, sizeof(why));
	/*
	 * irq_set_affinity() finds the descriptor by number itself; the
	 * check just before it narrows the window for a reuse to the few
	 * instructions between the two.
	 */
	if (!ret)
		ret = irq_same(kf);
	if (!ret)
		ret = irq_set_affinity(irq_of(kf), mask);
	free_cpumask_var(mask);
	return ret;
}

const struct ostune_class ostune_irq_class = {
	.prefix		= "irq",
	.open		= irq_open,
	.check_value	= irq_check_value,
	.read		= irq_read,
	.write		= irq_write,
	.fixed		= irq_fixed,
	.absent_is_gone	= true,
};

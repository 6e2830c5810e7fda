/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Knob names: the checks ostune.ko makes, done early so that a typo is a
 * usage error, and patterns that expand against the discovered knobs.
 */
#ifndef OSTUNE_KNOBNAME_H
#define OSTUNE_KNOBNAME_H

#include <stdbool.h>
#include <stddef.h>

enum knob_class {
	KNOB_CLASS_SCHED,
	KNOB_CLASS_SYSCTL,
	KNOB_CLASS_IDLE,
	KNOB_CLASS_PMQOS,
	KNOB_CLASS_FREQ,
	KNOB_CLASS_IRQ,
	KNOB_CLASS_MM,
	KNOB_CLASS_WQ,
	KNOB_CLASS_NIC,
	KNOB_NUM_CLASSES
};

const char *knob_class_name(enum knob_class cls);

/*
 * QoS knobs (pmqos.*, freq.policyN.min_khz and max_khz) read as the
 * module's own request, "none" when it has none, rather than as a value
 * the host shows in a file. name is a valid knob name.
 */
bool knob_is_qos(const char *name);

/*
 * "cpu12.state3" with prefix "cpu": *index = 12, returns "state3". NULL
 * unless prefix is followed by a canonical decimal (no sign, no leading
 * zero, at most UINT_MAX) and then '.' (skipped) or the end (returns "").
 * As the kernel's ostune_parse_index().
 */
const char *knob_parse_index(const char *s, const char *prefix,
			     unsigned int *index);

/* IFNAMSIZ: an interface name is shorter. */
#define KNOB_IFNAMSIZ 16

/*
 * The parts of a nic queue knob's name after "nic.", read from the right
 * (interface names may hold dots: eth0.100): the parameter, the queue,
 * and what is left is the interface. param points into sub.
 */
struct knob_nic_name {
	char ifname[KNOB_IFNAMSIZ];
	unsigned int queue;
	bool tx;
	const char *param;
};

/*
 * 0, or -EINVAL when sub is not IFNAME.rxQ.rps_cpus, IFNAME.rxQ.rps_flow_cnt
 * or IFNAME.txQ.xps_cpus.
 */
int knob_nic_parse(const char *sub, struct knob_nic_name *out);

/*
 * A nic coalescing or ring knob (kmod/class_niccoal.c): IFNAME.PARAM, read
 * from the right, PARAM one of knob_nic_coal_params. 0 with ifname filled
 * and *param its entry, or -EINVAL.
 */
struct knob_nic_coal_param {
	const char *name;	/* rx_usecs */
	/* ethtool's option (-C, or -G for a ring) and its word (rx-usecs) */
	const char *ethtool_opt;
	const char *ethtool_word;
};

/* sized so that a table and its users cannot disagree (knobname.c) */
#define KNOB_NIC_COAL_NPARAMS 24
extern const struct knob_nic_coal_param knob_nic_coal_params[KNOB_NIC_COAL_NPARAMS];
extern const size_t knob_nic_coal_nparams;
int knob_nic_coal_parse(const char *sub, char *ifname,
			const struct knob_nic_coal_param **param);

/* The class named before the first '.' of name (or a pattern): 0 or -ENOENT. */
int knob_class_lookup(const char *name, enum knob_class *cls);

/*
 * 0 with *cls set when the kernel would accept the name's form; otherwise
 * -EINVAL (malformed), -ENOENT (unknown class) or -EACCES (a sysctl outside
 * the allowlist), with why filled. cls and why may be NULL.
 */
int knob_name_check(const char *name, enum knob_class *cls, char *why,
		    size_t len);

/*
 * A pattern has a '*' (any run of characters within one dotted component)
 * or a numeric range component PREFIXa-b (PREFIXa ... PREFIXb), e.g.
 * "idle.cpu0-3.state*.disable", or is an IRQ action name
 * ("irq.action:virtio0-input.0.affinity", knobs/irqaction.h): all of them
 * stand for the discovered knobs they match.
 */
bool knob_is_pattern(const char *name);

/*
 * A sysctl's file from the part of its name after "sysctl.":
 * "net.core.somaxconn" -> "proc/sys/net/core/somaxconn", relative, for
 * openat() under a sysroot.
 */
void sysctl_proc_path(const char *sub, char *buf, size_t len);
/*
 * "irq.action:HANDLER.affinity": the IRQs with a handler HANDLER (an
 * fnmatch(3) pattern) matches, resolved by discovery (knobs/irqaction.h).
 */
#define IRQ_ACTION_PREFIX "irq.action:"
#define IRQ_ACTION_SUFFIX ".affinity"

/* Is name of the form irq.action:GLOB.affinity (well formed or not)? */
bool knob_is_irq_action(const char *name);
/*
 * 0 when GLOB is a usable fnmatch(3) pattern: not empty, printable, no
 * ',' (it separates the handlers of a shared IRQ); else -EINVAL with why
 * filled (why may be NULL).
 */
int knob_irq_action_check(const char *name, char *why, size_t len);
/* The GLOB of such a name into glob: its length, or -1 if not of the form. */
int knob_irq_action_glob(const char *name, char *glob, size_t len);

/* 0 if pattern is well formed, else -EINVAL with why filled. */
int knob_pattern_check(const char *pattern, char *why, size_t len);
/* Does name match the (well formed) pattern, component by component? */
bool knob_pattern_match(const char *pattern, const char *name);

#endif /* OSTUNE_KNOBNAME_H */

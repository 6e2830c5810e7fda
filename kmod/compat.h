/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels ostune builds against (6.1 and later).
 */
#ifndef _OSTUNE_COMPAT_H
#define _OSTUNE_COMPAT_H

#include <linux/netlink.h>
#include <linux/sched.h>

/* 6.2 added NL_SET_ERR_MSG_FMT() and its buffer in the extack. */
#ifdef NL_SET_ERR_MSG_FMT

/* The extack carries its own buffer for formatted messages. */
static inline void ostune_extack_msg(struct netlink_ext_ack *extack,
				     const char *msg)
{
	NL_SET_ERR_MSG_FMT(extack, "%.79s", msg);
}

#else

/*
 * extack->_msg must outlive the handler: it is read when the ack is built,
 * after the handler returns. See compat.c.
 */
void ostune_extack_msg(struct netlink_ext_ack *extack, const char *msg);

#endif

/*
 * fail-nth (/proc/thread-self/fail-nth) counts the allocations of one
 * task; a request's work runs on the module's worker while the requester
 * waits, so its count is carried there and back, and a fault injected
 * into a request reaches the allocations made for it.
 */
#ifdef CONFIG_FAULT_INJECTION
static inline unsigned int ostune_fail_nth_take(void)
{
	unsigned int n = current->fail_nth;

	current->fail_nth = 0;
	return n;
}

static inline void ostune_fail_nth_give(unsigned int n)
{
	current->fail_nth = n;
}
#else
static inline unsigned int ostune_fail_nth_take(void)
{
	return 0;
}

static inline void ostune_fail_nth_give(unsigned int n)
{
}
#endif

/*
 * Static, but visible to the KUnit suites (kmod/tests/) in kernels with KUnit: the definition of
 * <kunit/visibility.h>, which not every 6.1 has. Being the same, the two
 * definitions may meet.
 */
#ifndef VISIBLE_IF_KUNIT
#if IS_ENABLED(CONFIG_KUNIT)
#define VISIBLE_IF_KUNIT
#else
#define VISIBLE_IF_KUNIT static
#endif
#endif

#endif /* _OSTUNE_COMPAT_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * Every change the module makes is one kernel-log line and one message on
 * the "events" multicast group, saying what, old -> new, who and why. The
 * group is for CAP_SYS_ADMIN only: events carry values.
 *
 * Events are sent from the worker with ostune_lock held, so clearing
 * events_on under that lock before the family goes away guarantees that
 * none is sent into a group the family no longer owns.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "ostune.h"

static const char *const reason_names[] = {
	[OSTUNE_REASON_APPLY]		= "apply",
	[OSTUNE_REASON_REQUEST]		= "request",
	[OSTUNE_REASON_SESSION_CLOSE]	= "session-close",
	[OSTUNE_REASON_SOCKET_CLOSE]	= "socket-close",
	[OSTUNE_REASON_WATCHDOG]	= "watchdog",
	[OSTUNE_REASON_UNLOAD]		= "unload",
	[OSTUNE_REASON_RETRY]		= "retry",
	[OSTUNE_REASON_GONE]		= "gone",
};

/* Protected by ostune_lock. */
static bool events_on = true;

/*
 * One line per change, but a caller looping over transactions must not
 * flood the log: a burst as large as a full transaction and its restore,
 * then the kernel's own "callbacks suppressed" line says what was left
 * out. The events carry every change regardless.
 */
static DEFINE_RATELIMIT_STATE(change_log_rs, 5 * HZ,
			      2 * OSTUNE_TXN_MAX_ENTRIES);

const char *ostune_reason_name(enum ostune_reason reason)
{
	if (reason < ARRAY_SIZE(reason_names) && reason_names[reason])
		return reason_names[reason];
	return "unknown";
}

void ostune_actor_current(struct ostune_actor *who, enum ostune_reason reason)
{
	who->pid = task_tgid_nr(current);
	get_task_comm(who->comm, current);
	who->reason = reason;
	who->txn_id = 0;
}

void ostune_events_stop(void)
{
	mutex_lock(&ostune_lock);
	events_on = false;
	mutex_unlock(&ostune_lock);
}

static void send_event(const struct ostune_actor *who, const char *name,
		       const char *old, const char *new, u32 flags)
{
	struct sk_buff *skb;
	struct nlattr *nest;
	void *hdr;

	lockdep_assert_held(&ostune_lock);
	if (!events_on || !genl_has_listeners(&ostune_nl_family, &init_net, 0))
		return;
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &ostune_nl_family, 0, OSTUNE_CMD_EVENT);
	if (!hdr)
		goto drop;
	if (nla_put_u32(skb, OSTUNE_A_REASON, who->reason) ||
	    (who->txn_id && nla_put_u32(skb, OSTUNE_A_TXN_ID, who->txn_id)) ||
	    nla_put_u32(skb, OSTUNE_A_PID, who->pid) ||
	    nla_put_string(skb, OSTUNE_A_COMM, who->comm))
		goto drop;
	nest = nla_nest_start(skb, OSTUNE_A_KNOB);
	if (!nest ||
	    nla_put_string(skb, OSTUNE_A_KNOB_NAME, name) ||
	    nla_put_string(skb, OSTUNE_A_KNOB_OLD, old) ||
	    nla_put_string(skb, OSTUNE_A_KNOB_VALUE, new) ||
	    nla_put_u32(skb, OSTUNE_A_KNOB_FLAGS, flags))
		goto drop;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	genlmsg_multicast(&ostune_nl_family, skb, 0, 0, GFP_KERNEL);
	return;
drop:
	nlmsg_free(skb);
}

void ostune_report_change(const struct ostune_actor *who, const char *name,
			  const char *old, const char *new)
{
	bool log = __ratelimit(&change_log_rs);

	if (log && who->reason == OSTUNE_REASON_APPLY)
		pr_info("%s: %s -> %s (pid %d %s, txn %u)\n", name, old, new,
			who->pid, who->comm, who->txn_id);
	else if (log)
		pr_info("%s: %s -> %s (pid %d %s, restore: %s)\n", name, old,
			new, who->pid, who->comm,
			ostune_reason_name(who->reason));
	send_event(who, name, old, new, 0);
}

void ostune_report_external(const struct ostune_actor *who, const char *name,
			    const char *current_value, const char *written)
{
	pr_info("%s: left at %s, changed externally (ostune wrote %s; restore: %s)\n",
		name, current_value, written, ostune_reason_name(who->reason));
	send_event(who, name, written, current_value, OSTUNE_KNOB_F_EXTERNAL);
}

void ostune_report_gone(const struct ostune_actor *who, const char *name)
{
	pr_info("%s: names another object now, original not restored (restore: %s)\n",
		name, ostune_reason_name(who->reason));
	send_event(who, name, "", "", OSTUNE_KNOB_F_GONE);
}

void ostune_report_failure(const struct ostune_actor *who, const char *name,
			   const char *wanted, int err)
{
	pr_warn("%s: could not restore %s: error %d (restore: %s)\n", name,
		wanted, err, ostune_reason_name(who->reason));
}

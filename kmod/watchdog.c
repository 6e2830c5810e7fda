// SPDX-License-Identifier: GPL-2.0
/*
 * The writer session: who owns it, its watchdog lease, and what happens when
 * the owner stops answering or its socket goes away.
 *
 * Undoing a session means file I/O on /proc/sys and debugfs. A task that is
 * exiting has already dropped its fs and namespaces when its sockets are
 * released, so the undo always runs on the module's workqueue; the release
 * notifier waits for it, so the undo is done before the exiting task is
 * reaped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "compat.h"
#include "ostune.h"

struct ostune_session {
	bool active;
	/* the owner's socket closed; the undo is queued */
	bool orphaned;
	u32 id;
	u32 portid;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u32 lease_ms;
	unsigned long deadline;
};

/*
 * A socket whose session the watchdog ended. It is refused until it
 * closes, so a tuner waking from a stall cannot go on making changes that
 * would now be kept.
 */
struct ostune_fence {
	struct list_head node;
	u32 portid;
	u32 lease_ms;
};

/* All of this is protected by ostune_lock. */
static struct ostune_session session;
static u32 session_last_id;
/* Allocated with the session, so an expiry never needs memory. */
static struct ostune_fence *session_fence;
static LIST_HEAD(fences);

static struct workqueue_struct *ostune_wq;
static void watchdog_expired(struct work_struct *work);
static DECLARE_DELAYED_WORK(watchdog_work, watchdog_expired);
static void owner_released(struct work_struct *work);
static DECLARE_WORK(release_work, owner_released);

VISIBLE_IF_KUNIT u32 lease_or_default(u32 watchdog_ms)
{
	if (!watchdog_ms)
		watchdog_ms = ostune_default_watchdog_ms;
	return clamp_t(u32, watchdog_ms, OSTUNE_WATCHDOG_MIN_MS,
		       OSTUNE_WATCHDOG_MAX_MS);
}

static void lease_renew(u32 lease_ms)
{
	unsigned long delay = msecs_to_jiffies(lease_ms);

	session.lease_ms = lease_ms;
	session.deadline = jiffies + delay;
	mod_delayed_work(ostune_wq, &watchdog_work, delay);
}

static void session_end(enum ostune_reason reason)
{
	struct ostune_actor who = {
		.pid = session.pid,
		.reason = reason,
	};

	lockdep_assert_held(&ostune_lock);
	memcpy(who.comm, session.comm, sizeof(who.comm));
	pr_info("session %u of pid %d (%s) ends: %s\n", session.id,
		session.pid, session.comm, ostune_reason_name(reason));
	ostune_undo_session(&who);
	session.active = false;
	session.orphaned = false;
	cancel_delayed_work(&watchdog_work);
	if (reason == OSTUNE_REASON_WATCHDOG) {
		session_fence->portid = session.portid;
		session_fence->lease_ms = session.lease_ms;
		list_add(&session_fence->node, &fences);
	} else {
		kfree(session_fence);
	}
	session_fence = NULL;
}

static struct ostune_fence *fence_find(u32 portid)
{
	struct ostune_fence *fence;

	list_for_each_entry(fence, &fences, node)
		if (fence->portid == portid)
			return fence;
	return NULL;
}

static void watchdog_expired(struct work_struct *work)
{
	mutex_lock(&ostune_lock);
	if (session.active && !session.orphaned) {
		if (time_before(jiffies, session.deadline)) {
			/* A heartbeat raced with this run. */
			mod_delayed_work(ostune_wq, &watchdog_work,
					 session.deadline - jiffies);
		} else {
			session_end(OSTUNE_REASON_WATCHDOG);
		}
	}
	mutex_unlock(&ostune_lock);
}

static void owner_released(struct work_struct *work)
{
	mutex_lock(&ostune_lock);
	if (session.active && session.orphaned)
		session_end(OSTUNE_REASON_SOCKET_CLOSE);
	mutex_unlock(&ostune_lock);
}

static int socket_released(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct netlink_notify *n = ptr;
	struct ostune_fence *fence;
	bool owner;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;

	mutex_lock(&ostune_lock);
	fence = fence_find(n->portid);
	if (fence) {
		list_del(&fence->node);
		kfree(fence);
	}
	owner = session.active && !session.orphaned &&
		session.portid == n->portid;
	if (owner)
		session.orphaned = true;
	mutex_unlock(&ostune_lock);

	if (owner) {
		queue_work(ostune_wq, &release_work);
		flush_work(&release_work);
	}
	return NOTIFY_OK;
}

static struct notifier_block release_notifier = {
	.notifier_call = socket_released,
};

int ostune_session_check_writer(u32 portid, bool *owner,
				struct ostune_err *err)
{
	struct ostune_fence *fence;

	lockdep_assert_held(&ostune_lock);
	*owner = false;
	fence = fence_find(portid);
	if (fence) {
		ostune_err_set(err, NULL,
			       "session expired: its %u ms watchdog lease ran out, changes undone",
			       fence->lease_ms);
		return -ETIMEDOUT;
	}
	if (!session.active)
		return 0;
	if (session.portid == portid && !session.orphaned) {
		*owner = true;
		return 0;
	}
	ostune_err_set(err, NULL, "session held by pid %d (%s)", session.pid,
		       session.comm);
	return -EBUSY;
}

/* The session must exist and belong to portid. */
static int check_owner(u32 portid, struct ostune_err *err)
{
	bool owner;
	int ret;

	ret = ostune_session_check_writer(portid, &owner, err);
	if (ret)
		return ret;
	if (!owner) {
		ostune_err_set(err, NULL, "no session is open");
		return -ENOENT;
	}
	return 0;
}

int ostune_session_open(u32 portid, u32 watchdog_ms, u32 *id,
			struct ostune_err *err)
{
	bool owner;
	int ret;

	ret = ostune_session_check_writer(portid, &owner, err);
	if (ret)
		return ret;
	if (owner) {
		ostune_err_set(err, NULL, "this socket already owns session %u",
			       session.id);
		return -EBUSY;
	}
	session_fence = kzalloc(sizeof(*session_fence), GFP_KERNEL);
	if (!session_fence) {
		ostune_err_set(err, NULL, "out of memory for the session");
		return -ENOMEM;
	}
	if (!++session_last_id)
		++session_last_id;
	session.id = session_last_id;
	session.portid = portid;
	session.pid = task_tgid_nr(current);
	get_task_comm(session.comm, current);
	session.active = true;
	session.orphaned = false;
	lease_renew(lease_or_default(watchdog_ms));
	*id = session.id;
	pr_info("session %u opened by pid %d (%s), watchdog %u ms\n",
		session.id, session.pid, session.comm, session.lease_ms);
	return 0;
}

int ostune_session_close(u32 portid, struct ostune_err *err)
{
	int ret = check_owner(portid, err);

	if (ret)
		return ret;
	session_end(OSTUNE_REASON_SESSION_CLOSE);
	return 0;
}

int ostune_session_heartbeat(u32 portid, u32 watchdog_ms,
			     struct ostune_err *err)
{
	int ret = check_owner(portid, err);

	if (ret)
		return ret;
	lease_renew(watchdog_ms ? lease_or_default(watchdog_ms) :
		    session.lease_ms);
	return 0;
}

bool ostune_session_get(struct ostune_session_info *info)
{
	lockdep_assert_held(&ostune_lock);
	if (!session.active)
		return false;
	info->id = session.id;
	info->pid = session.pid;
	memcpy(info->comm, session.comm, sizeof(info->comm));
	info->portid = session.portid;
	info->watchdog_ms = session.lease_ms;
	info->remaining_ms = time_after(session.deadline, jiffies) ?
			     jiffies_to_msecs(session.deadline - jiffies) : 0;
	return true;
}

/* Ends the session and forgets the fences: no socket can reach us now. */
void ostune_session_unload(void)
{
	struct ostune_fence *fence, *tmp;

	lockdep_assert_held(&ostune_lock);
	if (session.active)
		session_end(OSTUNE_REASON_UNLOAD);
	list_for_each_entry_safe(fence, tmp, &fences, node) {
		list_del(&fence->node);
		kfree(fence);
	}
}

int ostune_session_init(void)
{
	int ret;

	ostune_wq = alloc_ordered_workqueue("ostune", 0);
	if (!ostune_wq)
		return -ENOMEM;
	ret = netlink_register_notifier(&release_notifier);
	if (ret)
		destroy_workqueue(ostune_wq);
	return ret;
}

/* After the family is gone: no request can start a session any more. */
void ostune_session_exit(void)
{
	netlink_unregister_notifier(&release_notifier);
	cancel_delayed_work_sync(&watchdog_work);
	cancel_work_sync(&release_work);
	destroy_workqueue(ostune_wq);
}


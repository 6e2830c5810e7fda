// SPDX-License-Identifier: GPL-2.0
/*
 * The writer session: who owns it, its watchdog lease, and what happens when
 * the owner stops answering or its socket goes away.
 *
 * The session's state has a lock of its own, session_lock, which is never
 * held across knob I/O: a heartbeat takes nothing else, so no request,
 * privileged or not, can make the owner's heartbeat wait. Ending a session
 * (close, watchdog, socket close, unload) marks it ended under
 * session_lock, then undoes its changes on the worker under ostune_lock.
 * Lock order: ostune_lock, then session_lock.
 *
 * A socket is told apart by its struct sock as well as its port id: a
 * closing socket leaves the port table before NETLINK_URELEASE is sent,
 * and a new socket may bind the same port id in between; it is neither
 * the owner nor fenced. The notifier only says which port id closed, so a
 * session such a new socket opened in that window is ended with the old
 * socket: undone early, never kept.
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
	struct ostune_caller owner;
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
	struct ostune_caller caller;
	u32 lease_ms;
};

/* Protects everything below; never held across knob I/O. */
static DEFINE_MUTEX(session_lock);
static struct ostune_session session;
static u32 session_last_id;
/* Allocated with the session, so an expiry never needs memory. */
static struct ostune_fence *session_fence;
static LIST_HEAD(fences);

static void watchdog_expired(struct work_struct *work);
static DECLARE_DELAYED_WORK(watchdog_work, watchdog_expired);
static void owner_released(struct work_struct *work);
static DECLARE_WORK(release_work, owner_released);

static bool same_caller(const struct ostune_caller *a,
			const struct ostune_caller *b)
{
	return a->sk == b->sk && a->portid == b->portid;
}

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

/*
 * Marks the session ended, with session_lock held; who says on whose
 * behalf its changes are undone, which the caller does next.
 */
static void session_end(enum ostune_reason reason, struct ostune_actor *who)
{
	lockdep_assert_held(&session_lock);
	memset(who, 0, sizeof(*who));
	who->pid = session.pid;
	who->reason = reason;
	memcpy(who->comm, session.comm, sizeof(who->comm));
	pr_info("session %u of pid %d (%s) ends: %s\n", session.id,
		session.pid, session.comm, ostune_reason_name(reason));
	session.active = false;
	session.orphaned = false;
	cancel_delayed_work(&watchdog_work);
	if (reason == OSTUNE_REASON_WATCHDOG) {
		session_fence->caller = session.owner;
		session_fence->lease_ms = session.lease_ms;
		list_add(&session_fence->node, &fences);
	} else {
		kfree(session_fence);
	}
	session_fence = NULL;
}

static struct ostune_fence *fence_find(const struct ostune_caller *caller)
{
	struct ostune_fence *fence;

	list_for_each_entry(fence, &fences, node)
		if (same_caller(&fence->caller, caller))
			return fence;
	return NULL;
}

/* On the worker. */
static void watchdog_expired(struct work_struct *work)
{
	struct ostune_actor who;
	bool ended = false;

	mutex_lock(&ostune_lock);
	mutex_lock(&session_lock);
	if (session.active && !session.orphaned) {
		if (time_before(jiffies, session.deadline)) {
			/* A heartbeat raced with this run. */
			mod_delayed_work(ostune_wq, &watchdog_work,
					 session.deadline - jiffies);
		} else {
			session_end(OSTUNE_REASON_WATCHDOG, &who);
			ended = true;
		}
	}
	mutex_unlock(&session_lock);
	if (ended)
		ostune_undo_session(&who);
	mutex_unlock(&ostune_lock);
}

/* On the worker. */
static void owner_released(struct work_struct *work)
{
	struct ostune_actor who;
	bool ended = false;

	mutex_lock(&ostune_lock);
	mutex_lock(&session_lock);
	if (session.active && session.orphaned) {
		session_end(OSTUNE_REASON_SOCKET_CLOSE, &who);
		ended = true;
	}
	mutex_unlock(&session_lock);
	if (ended)
		ostune_undo_session(&who);
	mutex_unlock(&ostune_lock);
}

/*
 * Any NETLINK_GENERIC socket of init_net closing. Only the owner's close
 * waits: for its undo, so that it is done before the exiting owner is
 * reaped.
 */
static int socket_released(struct notifier_block *nb, unsigned long event,
			   void *ptr)
{
	struct netlink_notify *n = ptr;
	struct ostune_fence *fence, *tmp;
	bool owner;

	if (event != NETLINK_URELEASE || n->protocol != NETLINK_GENERIC ||
	    !net_eq(n->net, &init_net))
		return NOTIFY_DONE;

	mutex_lock(&session_lock);
	list_for_each_entry_safe(fence, tmp, &fences, node) {
		if (fence->caller.portid != n->portid)
			continue;
		list_del(&fence->node);
		kfree(fence);
	}
	owner = session.active && !session.orphaned &&
		session.owner.portid == n->portid;
	if (owner)
		session.orphaned = true;
	mutex_unlock(&session_lock);

	if (owner) {
		queue_work(ostune_wq, &release_work);
		flush_work(&release_work);
	}
	return NOTIFY_OK;
}

static struct notifier_block release_notifier = {
	.notifier_call = socket_released,
};

static int check_writer(const struct ostune_caller *caller, bool *owner,
			struct ostune_err *err)
{
	struct ostune_fence *fence;

	lockdep_assert_held(&session_lock);
	*owner = false;
	fence = fence_find(caller);
	if (fence) {
		ostune_err_set(err, NULL,
			       "session expired: its %u ms watchdog lease ran out, changes undone",
			       fence->lease_ms);
		return -ETIMEDOUT;
	}
	if (!session.active)
		return 0;
	if (same_caller(&session.owner, caller) && !session.orphaned) {
		*owner = true;
		return 0;
	}
	ostune_err_set(err, NULL, "session held by pid %d (%s)", session.pid,
		       session.comm);
	return -EBUSY;
}

int ostune_session_check_writer(const struct ostune_caller *caller,
				bool *owner, struct ostune_err *err)
{
	int ret;

	mutex_lock(&session_lock);
	ret = check_writer(caller, owner, err);
	mutex_unlock(&session_lock);
	return ret;
}

/* The session must exist and belong to caller. */
static int check_owner(const struct ostune_caller *caller,
		       struct ostune_err *err)
{
	bool owner;
	int ret;

	ret = check_writer(caller, &owner, err);
	if (ret)
		return ret;
	if (!owner) {
		ostune_err_set(err, NULL, "no session is open");
		return -ENOENT;
	}
	return 0;
}

static void session_info(struct ostune_session_info *info)
{
	info->id = session.id;
	info->pid = session.pid;
	memcpy(info->comm, session.comm, sizeof(info->comm));
	info->portid = session.owner.portid;
	info->watchdog_ms = session.lease_ms;
	info->remaining_ms = time_after(session.deadline, jiffies) ?
			     jiffies_to_msecs(session.deadline - jiffies) : 0;
}

/* In the requester's context: the session records who opened it. */
int ostune_session_open(const struct ostune_caller *caller, u32 watchdog_ms,
			struct ostune_session_info *info,
			struct ostune_err *err)
{
	struct ostune_fence *fence;
	bool owner;
	int ret;

	fence = kzalloc(sizeof(*fence), GFP_KERNEL);
	if (!fence) {
		ostune_err_set(err, NULL, "out of memory for the session");
		return -ENOMEM;
	}
	mutex_lock(&session_lock);
	ret = check_writer(caller, &owner, err);
	if (!ret && owner) {
		ostune_err_set(err, NULL, "this socket already owns session %u",
			       session.id);
		ret = -EBUSY;
	}
	if (ret) {
		mutex_unlock(&session_lock);
		kfree(fence);
		return ret;
	}
	session_fence = fence;
	if (!++session_last_id)
		++session_last_id;
	session.id = session_last_id;
	session.owner = *caller;
	session.pid = task_tgid_nr(current);
	get_task_comm(session.comm, current);
	session.active = true;
	session.orphaned = false;
	lease_renew(lease_or_default(watchdog_ms));
	session_info(info);
	mutex_unlock(&session_lock);
	pr_info("session %u opened by pid %d (%s), watchdog %u ms\n",
		info->id, info->pid, info->comm, info->watchdog_ms);
	return 0;
}

/* On the worker. */
int ostune_session_close(const struct ostune_caller *caller,
			 struct ostune_err *err)
{
	struct ostune_actor who;
	int ret;

	lockdep_assert_held(&ostune_lock);
	mutex_lock(&session_lock);
	ret = check_owner(caller, err);
	if (!ret)
		session_end(OSTUNE_REASON_SESSION_CLOSE, &who);
	mutex_unlock(&session_lock);
	if (!ret)
		ostune_undo_session(&who);
	return ret;
}

int ostune_session_heartbeat(const struct ostune_caller *caller,
			     u32 watchdog_ms, struct ostune_err *err)
{
	int ret;

	mutex_lock(&session_lock);
	ret = check_owner(caller, err);
	if (!ret)
		lease_renew(watchdog_ms ? lease_or_default(watchdog_ms) :
			    session.lease_ms);
	mutex_unlock(&session_lock);
	return ret;
}

bool ostune_session_get(struct ostune_session_info *info)
{
	bool active;

	mutex_lock(&session_lock);
	active = session.active;
	if (active)
		session_info(info);
	mutex_unlock(&session_lock);
	return active;
}

/*
 * On the worker, at unload, once no request or socket can reach us: ends
 * the session, undone on behalf of who unloads, and forgets the fences.
 */
void ostune_session_unload(const struct ostune_actor *who)
{
	struct ostune_fence *fence, *tmp;
	struct ostune_actor owner;
	bool ended = false;

	lockdep_assert_held(&ostune_lock);
	mutex_lock(&session_lock);
	if (session.active) {
		session_end(OSTUNE_REASON_UNLOAD, &owner);
		ended = true;
	}
	list_for_each_entry_safe(fence, tmp, &fences, node) {
		list_del(&fence->node);
		kfree(fence);
	}
	mutex_unlock(&session_lock);
	if (ended)
		ostune_undo_session(who);
}

int ostune_session_init(void)
{
	return netlink_register_notifier(&release_notifier);
}

/*
 * After the family is gone: no request can start a session any more, and
 * once the notifier is off no socket close can queue an undo.
 */
void ostune_session_exit(void)
{
	netlink_unregister_notifier(&release_notifier);
	cancel_delayed_work_sync(&watchdog_work);
	cancel_work_sync(&release_work);
}

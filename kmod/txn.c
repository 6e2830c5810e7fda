// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions and originals.
 *
 * The first change of a knob records its original. A transaction is
 * validated whole, its memory reserved, then written entry by entry; the
 * first failed write rolls back what this transaction changed, the failed
 * entry included when reading it back shows it moved. Restores walk the
 * held knobs in reverse order of first change and leave alone any knob
 * someone else changed after ostune's last write.
 *
 * Nothing is dropped on a failure: a knob that a rollback, undo or restore
 * could not put back stays held with the value ostune owes it, status
 * shows it, and the worker retries it with a growing delay until it lands,
 * someone else changes the knob, or a restore or unload takes over.
 *
 * Everything here runs on the module's worker with ostune_lock held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "ostune.h"

LIST_HEAD(ostune_held_list);
unsigned int ostune_held_count;
static u32 ostune_last_txn_id;

/* The first retry of an owed write; each later one waits twice as long. */
VISIBLE_IF_KUNIT unsigned int owed_retry_ms = 1000;
module_param(owed_retry_ms, uint, 0644);
MODULE_PARM_DESC(owed_retry_ms,
		 "First retry of a knob a rollback or restore could not put back (ms; 0: only restore retries)");
#define OWED_RETRY_MAX_MS	60000

static void retry_owed_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(retry_work, retry_owed_work);
static unsigned int retry_delay_ms;

struct txn_slot {
	struct ostune_knob knob;
	struct ostune_knob_file kf;
	struct ostune_held *held;	/* already held, or NULL */
	struct ostune_held *fresh;	/* reserved for a first change */
	/* the class wants it applied after the rest */
	bool late;
	/* the transaction may have changed it, and must put prev back */
	bool touched;
	/* putting prev back failed: it stays held, owed prev */
	bool stuck;
	char prev[OSTUNE_VALUE_MAX];
	/* what it read after the write (or after a failed one) */
	char written[OSTUNE_VALUE_MAX];
};

static struct ostune_held *held_find(const char *name)
{
	struct ostune_held *h;

	list_for_each_entry(h, &ostune_held_list, node)
		if (!strcmp(h->knob.name, name))
			return h;
	return NULL;
}

static void held_drop(struct ostune_held *h)
{
	ostune_knob_close(&h->kf);
	list_del(&h->node);
	ostune_held_count--;
	kfree(h);
}

/*
 * Holds the knob of slot s, found at prev, in the memory reserved for it;
 * the slot's open file goes with it.
 */
static struct ostune_held *held_add(struct txn_slot *s)
{
	struct ostune_held *h = s->fresh;

	s->fresh = NULL;
	h->knob = s->knob;
	h->knob.sub = h->knob.name + (s->knob.sub - s->knob.name);
	h->kf = s->kf;
	h->kf.knob = &h->knob;
	s->kf.knob = NULL;
	h->ident = s->kf.ident;
	strscpy(h->original, s->prev, sizeof(h->original));
	list_add_tail(&h->node, &ostune_held_list);
	ostune_held_count++;
	return h;
}

/* The retry work runs: it schedules its next run itself. */
static bool retrying;

static void owe(struct ostune_held *h, const char *value)
{
	h->owes = true;
	strscpy(h->owed, value, sizeof(h->owed));
	if (!owed_retry_ms || retrying || delayed_work_pending(&retry_work))
		return;
	retry_delay_ms = owed_retry_ms;
	queue_delayed_work(ostune_wq, &retry_work,
			   msecs_to_jiffies(retry_delay_ms));
}

static int txn_validate(struct txn_slot *slots,
			const struct ostune_apply_entry *entries,
			unsigned int count, struct ostune_err *err)
{
	char why[OSTUNE_MSG_MAX];
	unsigned int i, j, fresh = 0;
	int ret;

	for (i = 0; i < count; i++) {
		const struct ostune_apply_entry *e = &entries[i];
		struct txn_slot *s = &slots[i];

		ret = ostune_knob_parse(&s->knob, e->name, why, sizeof(why));
		if (!ret)
			ret = ostune_knob_open(&s->kf, &s->knob, true, why,
					       sizeof(why));
		if (ret) {
			ostune_err_set(err, e->nest, "entry %u (%s): %s",
				       i + 1, e->name, why);
			return ret;
		}
		for (j = 0; j < i; j++) {
			if (!strcmp(slots[j].knob.name, s->knob.name)) {
				ostune_err_set(err, e->nest,
					       "entry %u (%s): also entry %u",
					       i + 1, e->name, j + 1);
				return -EINVAL;
			}
		}
		ret = s->knob.class->check_value(&s->knob, e->value, why,
						 sizeof(why));
		if (ret) {
			ostune_err_set(err, e->nest, "entry %u (%s): %s",
				       i + 1, e->name, why);
			return ret;
		}
		if (s->knob.class->apply_late)
			s->late = s->knob.class->apply_late(&s->kf, e->value);
		s->held = held_find(s->knob.name);
		if (!s->held) {
			fresh++;
		} else if (memcmp(&s->held->ident, &s->kf.ident,
				  sizeof(s->kf.ident))) {
			ostune_err_set(err, e->nest,
				       "entry %u (%s): names another object now; restore it first",
				       i + 1, e->name);
			return -ESTALE;
		}
	}
	if (ostune_held_count + fresh > OSTUNE_MAX_HELD) {
		ostune_err_set(err, NULL, "would hold more than %d knobs",
			       OSTUNE_MAX_HELD);
		return -ENOSPC;
	}
	return 0;
}

static int txn_reserve(struct txn_slot *slots, unsigned int count,
		       struct ostune_err *err)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		if (slots[i].held)
			continue;
		slots[i].fresh = kzalloc(sizeof(*slots[i].fresh), GFP_KERNEL);
		if (!slots[i].fresh) {
			ostune_err_set(err, NULL, "out of memory for originals");
			return -ENOMEM;
		}
	}
	return 0;
}

/* Entries in the order they are written: request order, late ones last. */
static void txn_order(const struct txn_slot *slots, unsigned int count,
		      unsigned int *order)
{
	unsigned int i, n = 0;

	for (i = 0; i < count; i++)
		if (!slots[i].late)
			order[n++] = i;
	for (i = 0; i < count; i++)
		if (slots[i].late)
			order[n++] = i;
}

/*
 * After a refused write: did the knob move all the same? A sysctl vector
 * handler stores element by element and fails on a later one. Unreadable
 * counts as moved: putting prev back is then the safe side.
 */
static bool txn_moved(struct txn_slot *s)
{
	const struct ostune_class *class = s->knob.class;

	return class->read(&s->kf, s->written, sizeof(s->written)) ||
	       strcmp(s->written, s->prev);
}

/*
 * Puts prev back, newest first, into every entry of the first done of
 * order that the transaction touched, and reads it back. Returns how many
 * were written back; *stuck counts those that could not be put back,
 * which are marked stuck.
 */
static unsigned int txn_rollback(struct txn_slot *slots,
				 const unsigned int *order, unsigned int done,
				 unsigned int *stuck)
{
	unsigned int rolled = 0;

	*stuck = 0;
	while (done--) {
		struct txn_slot *s = &slots[order[done]];
		const struct ostune_class *class = s->knob.class;
		int ret;

		if (!s->touched)
			continue;
		rolled++;
		ret = class->write(&s->kf, s->prev);
		if (!ret && !txn_moved(s))
			continue;
		s->stuck = true;
		(*stuck)++;
		pr_err("%s: rollback to %s failed (error %d), now %s: held, retrying\n",
		       s->knob.name, s->prev, ret, s->written);
	}
	return rolled;
}

/* Keeps every knob a rollback could not put back, owed its prev. */
static void txn_keep_stuck(struct txn_slot *slots, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count; i++) {
		struct txn_slot *s = &slots[i];
		struct ostune_held *h;

		if (!s->stuck)
			continue;
		h = s->held ?: held_add(s);
		strscpy(h->last_written, s->written, sizeof(h->last_written));
		owe(h, s->prev);
	}
}

static int txn_write(struct txn_slot *slots,
		     const struct ostune_apply_entry *entries,
		     const unsigned int *order, unsigned int count,
		     struct ostune_err *err)
{
	unsigned int n, i = 0, rolled, stuck;
	const char *what;
	int ret;

	for (n = 0; n < count; n++) {
		struct txn_slot *s = &slots[order[n]];
		const struct ostune_class *class = s->knob.class;

		i = order[n];
		what = "cannot read current value";
		ret = class->read(&s->kf, s->prev, sizeof(s->prev));
		if (ret)
			goto fail;
		what = "kernel refused the value";
		ret = class->write(&s->kf, entries[i].value);
		if (ret) {
			/* e.g. a huge page pool the kernel could not grow */
			if (ret == -ENOMEM)
				what = "kernel is short of memory";
			s->touched = txn_moved(s);
			goto fail;
		}
		s->touched = true;
		what = "cannot read back the value";
		ret = class->read(&s->kf, s->written, sizeof(s->written));
		if (ret)
			goto fail;
	}
	return 0;
fail:
	rolled = txn_rollback(slots, order, n + 1, &stuck);
	txn_keep_stuck(slots, count);
	if (stuck)
		ostune_err_set(err, entries[i].nest,
			       "entry %u (%s): %s (error %d); %u not undone, retrying",
			       i + 1, entries[i].name, what, ret, stuck);
	else
		ostune_err_set(err, entries[i].nest, "entry %u (%s): %s (error %d)",
			       i + 1, entries[i].name, what, ret);
	pr_info("transaction aborted at entry %u (%s), %u write(s) rolled back\n",
		i + 1, entries[i].name, rolled);
	return ret;
}

static void txn_commit(struct txn_slot *slots, const unsigned int *order,
		       unsigned int count, bool in_session,
		       struct ostune_actor *who)
{
	unsigned int n;

	for (n = 0; n < count; n++) {
		struct txn_slot *s = &slots[order[n]];
		struct ostune_held *h = s->held ?: held_add(s);

		strscpy(h->last_written, s->written, sizeof(h->last_written));
		/*
		 * A session undoes to what the knob should have been when
		 * it began: what ostune still owed it, if anything.
		 */
		if (in_session && !h->in_session) {
			h->in_session = true;
			strscpy(h->session_prev, h->owes ? h->owed : s->prev,
				sizeof(h->session_prev));
		}
		h->owes = false;
		ostune_report_change(who, h->knob.name, s->prev, s->written);
	}
}

/* who: the requester, as the handler saw it (this runs on the worker). */
int ostune_txn_apply(const struct ostune_apply_entry *entries,
		     unsigned int count, bool in_session,
		     struct ostune_actor *who, u32 *txn_id,
		     struct ostune_err *err)
{
	struct txn_slot *slots;
	unsigned int *order;
	unsigned int i;
	int ret;

	lockdep_assert_held(&ostune_lock);
	slots = kvcalloc(count, sizeof(*slots), GFP_KERNEL);
	order = kcalloc(count, sizeof(*order), GFP_KERNEL);
	if (!slots || !order) {
		kvfree(slots);
		kfree(order);
		ostune_err_set(err, NULL, "out of memory for the transaction");
		return -ENOMEM;
	}
	ret = txn_validate(slots, entries, count, err);
	if (!ret)
		ret = txn_reserve(slots, count, err);
	if (!ret) {
		txn_order(slots, count, order);
		ret = txn_write(slots, entries, order, count, err);
	}
	if (!ret) {
		if (!++ostune_last_txn_id)
			++ostune_last_txn_id;
		who->txn_id = ostune_last_txn_id;
		*txn_id = who->txn_id;
		txn_commit(slots, order, count, in_session, who);
	}
	for (i = 0; i < count; i++) {
		ostune_knob_close(&slots[i].kf);
		kfree(slots[i].fresh);
	}
	kfree(order);
	kvfree(slots);
	return ret;
}

/*
 * Puts a held knob back to target unless someone else changed it since
 * ostune's last write, or its name now stands for another object. Returns
 * 0 when restored, 1 when left alone (changed externally, or gone), or a
 * negative errno when it could not be restored; a failed write that moved
 * the knob all the same updates last_written, so that a retry still tells
 * ostune's doing from someone else's.
 */
static int restore_one(struct ostune_held *h, const char *target,
		       const struct ostune_actor *who)
{
	const struct ostune_class *class = h->knob.class;
	struct ostune_knob_file *kf = &h->kf;
	char cur[OSTUNE_VALUE_MAX];
	char why[OSTUNE_MSG_MAX];
	int ret;

	/*
	 * Through the file kept open since the first change; when there is
	 * none, or it fails (its object went away, perhaps to come back),
	 * through the knob opened anew, if it is still the same object.
	 */
	ret = kf->knob ? class->read(kf, cur, sizeof(cur)) : -EBADF;
	if (ret) {
		ostune_knob_close(kf);
		ret = ostune_knob_open(kf, &h->knob, true, why, sizeof(why));
		if ((ret == -ENOENT && class->absent_is_gone) ||
		    (!ret && memcmp(&kf->ident, &h->ident, sizeof(kf->ident)))) {
			ostune_knob_close(kf);
			ostune_report_gone(who, h->knob.name);
			return 1;
		}
		if (!ret)
			ret = class->read(kf, cur, sizeof(cur));
	}
	if (ret)
		goto fail;
	if (strcmp(cur, h->last_written)) {
		ostune_report_external(who, h->knob.name, cur, h->last_written);
		return 1;
	}
	ret = class->write(kf, target);
	if (ret) {
		if (!class->read(kf, cur, sizeof(cur)))
			strscpy(h->last_written, cur, sizeof(h->last_written));
		goto fail;
	}
	/*
	 * Back at its original, a knob is let go. One that stays held (a
	 * session undone to a value kept before it) needs what the kernel
	 * made of the value, to tell later changes apart.
	 */
	if (strcmp(target, h->original) &&
	    class->read(kf, h->last_written, sizeof(h->last_written)))
		strscpy(h->last_written, target, sizeof(h->last_written));
	ostune_report_change(who, h->knob.name, cur, target);
	return 0;
fail:
	ostune_knob_close(kf);
	ostune_report_failure(who, h->knob.name, target, ret);
	return ret;
}

/*
 * Restores h to its original. Let go when that is done (or someone else
 * took the knob over); otherwise kept, owed its original.
 */
static int restore_original(struct ostune_held *h,
			    const struct ostune_actor *who)
{
	int ret = restore_one(h, h->original, who);

	if (ret >= 0)
		held_drop(h);
	else
		owe(h, h->original);
	return ret;
}

int ostune_restore_all(const struct ostune_actor *who)
{
	struct ostune_held *h, *tmp;
	int ret, first_err = 0;

	lockdep_assert_held(&ostune_lock);
	list_for_each_entry_safe_reverse(h, tmp, &ostune_held_list, node) {
		ret = restore_original(h, who);
		if (ret < 0 && !first_err)
			first_err = ret;
	}
	return first_err;
}

static bool name_listed(const char *name, const char *const *names,
			unsigned int count)
{
	while (count--)
		if (!strcmp(names[count], name))
			return true;
	return false;
}

int ostune_restore_named(const struct nlattr *const *nests,
			 const char *const *names, unsigned int count,
			 const struct ostune_actor *who, struct ostune_err *err)
{
	struct ostune_held *h, *tmp;
	int ret, first_err = 0;
	unsigned int i;

	lockdep_assert_held(&ostune_lock);
	for (i = 0; i < count; i++) {
		if (!held_find(names[i])) {
			ostune_err_set(err, nests[i], "entry %u (%s): not held by ostune",
				       i + 1, names[i]);
			return -ENOENT;
		}
	}
	list_for_each_entry_safe_reverse(h, tmp, &ostune_held_list, node) {
		if (!name_listed(h->knob.name, names, count))
			continue;
		ret = restore_original(h, who);
		if (ret < 0 && !first_err) {
			first_err = ret;
			ostune_err_set(err, NULL,
				       "%s: restore failed (error %d): held, retrying",
				       h->knob.name, ret);
		}
	}
	return first_err;
}

/*
 * Puts h to the value it is owed, or what a session found; let go when
 * that is its original or someone else took it over, owed it otherwise.
 */
static void restore_to(struct ostune_held *h, const char *target,
		       const struct ostune_actor *who)
{
	char want[OSTUNE_VALUE_MAX];
	int ret;

	strscpy(want, target, sizeof(want));
	ret = restore_one(h, want, who);
	if (ret > 0 || (!ret && !strcmp(want, h->original)))
		held_drop(h);
	else if (ret)
		owe(h, want);
	else
		h->owes = false;
}

void ostune_undo_session(const struct ostune_actor *who)
{
	struct ostune_held *h, *tmp;

	lockdep_assert_held(&ostune_lock);
	list_for_each_entry_safe_reverse(h, tmp, &ostune_held_list, node) {
		if (!h->in_session)
			continue;
		h->in_session = false;
		restore_to(h, h->session_prev, who);
	}
}

/* Tries every owed write once; true when some are still owed. */
VISIBLE_IF_KUNIT bool retry_owed(void)
{
	struct ostune_actor who = {
		.comm = "ostune",
		.reason = OSTUNE_REASON_RETRY,
	};
	struct ostune_held *h, *tmp;
	bool left = false;

	lockdep_assert_held(&ostune_lock);
	list_for_each_entry_safe_reverse(h, tmp, &ostune_held_list, node) {
		if (!h->owes)
			continue;
		restore_to(h, h->owed, &who);
	}
	list_for_each_entry(h, &ostune_held_list, node)
		left |= h->owes;
	return left;
}

static void retry_owed_work(struct work_struct *work)
{
	bool left;

	mutex_lock(&ostune_lock);
	retrying = true;
	left = retry_owed();
	retrying = false;
	if (left) {
		retry_delay_ms = min_t(unsigned int, 2 * retry_delay_ms,
				       OWED_RETRY_MAX_MS);
		queue_delayed_work(ostune_wq, &retry_work,
				   msecs_to_jiffies(retry_delay_ms));
	}
	mutex_unlock(&ostune_lock);
}

/*
 * At unload, after every request and session is gone: the last restore,
 * a few more tries for what it could not do, then the log keeps what is
 * left.
 */
#define UNLOAD_TRIES	3

void ostune_txn_exit(const struct ostune_actor *who)
{
	struct ostune_held *h;
	unsigned int tries = 0;

	cancel_delayed_work_sync(&retry_work);
	mutex_lock(&ostune_lock);
	while (ostune_restore_all(who) && ++tries < UNLOAD_TRIES) {
		mutex_unlock(&ostune_lock);
		msleep(100 * tries);
		mutex_lock(&ostune_lock);
	}
	list_for_each_entry(h, &ostune_held_list, node)
		pr_err("%s: could not restore %s, left at %s\n", h->knob.name,
		       h->original, h->last_written);
	ostune_forget(NULL);
	mutex_unlock(&ostune_lock);
	/* owe() queued it again. */
	cancel_delayed_work_sync(&retry_work);
}

/*
 * Lets go of the held knobs of class whose object gone() says went away,
 * writing nothing: one each knob's file no longer reaches. Each is
 * reported as gone.
 */
void ostune_drop_gone(const struct ostune_class *class,
		      bool (*gone)(struct ostune_knob_file *kf),
		      const struct ostune_actor *who)
{
	struct ostune_held *h, *tmp;

	lockdep_assert_held(&ostune_lock);
	list_for_each_entry_safe(h, tmp, &ostune_held_list, node) {
		if (h->knob.class != class || !h->kf.knob || !gone(&h->kf))
			continue;
		ostune_report_gone(who, h->knob.name);
		held_drop(h);
	}
}

/* Drops the held knobs of class, or all with NULL, restoring nothing. */
void ostune_forget(const struct ostune_class *class)
{
	struct ostune_held *h, *tmp;

	lockdep_assert_held(&ostune_lock);
	list_for_each_entry_safe(h, tmp, &ostune_held_list, node)
		if (!class || h->knob.class == class)
			held_drop(h);
}

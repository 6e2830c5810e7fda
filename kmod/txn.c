// SPDX-License-Identifier: GPL-2.0
/*
 * Transactions and originals.
 *
 * The first change of a knob records its original. A transaction is
 * validated whole, its memory reserved, then written entry by entry; the
 * first failed write rolls back what this transaction wrote. Restores walk
 * the held knobs in reverse order of first change and leave alone any knob
 * someone else changed after ostune's last write.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ostune.h"

/* Held by every request that reads or changes sessions and held knobs. */
DEFINE_MUTEX(ostune_lock);
LIST_HEAD(ostune_held_list);
unsigned int ostune_held_count;
static u32 ostune_last_txn_id;

struct txn_slot {
	struct ostune_knob knob;
	struct ostune_knob_file kf;
	struct ostune_held *held;	/* already held, or NULL */
	struct ostune_held *fresh;	/* reserved for a first change */
	/* the class wants it applied after the rest */
	bool late;
	char prev[OSTUNE_VALUE_MAX];
	char written[OSTUNE_VALUE_MAX];
};

void ostune_err_set(struct ostune_err *err, const struct nlattr *attr,
		    const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, args);
	va_end(args);
	err->attr = attr;
}

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
	list_del(&h->node);
	ostune_held_count--;
	kfree(h);
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
		if (!s->held)
			fresh++;
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

/* Writes back, newest first, the first done entries of order. */
static void txn_rollback(struct txn_slot *slots, const unsigned int *order,
			 unsigned int done)
{
	while (done--) {
		struct txn_slot *s = &slots[order[done]];
		int ret = s->knob.class->write(&s->kf, s->prev);

		if (ret)
			pr_err("%s: rollback to %s failed: error %d\n",
			       s->knob.name, s->prev, ret);
	}
}

static int txn_write(struct txn_slot *slots,
		     const struct ostune_apply_entry *entries,
		     const unsigned int *order, unsigned int count,
		     struct ostune_err *err)
{
	unsigned int n, i = 0, undo;
	const char *what;
	int ret;

	for (n = 0; n < count; n++) {
		struct txn_slot *s = &slots[order[n]];
		const struct ostune_class *class = s->knob.class;

		i = order[n];
		undo = n;
		what = "cannot read current value";
		ret = class->read(&s->kf, s->prev, sizeof(s->prev));
		if (ret)
			goto fail;
		what = "kernel refused the value";
		ret = class->write(&s->kf, entries[i].value);
		if (ret)
			goto fail;
		undo = n + 1;
		what = "cannot read back the value";
		ret = class->read(&s->kf, s->written, sizeof(s->written));
		if (ret)
			goto fail;
	}
	return 0;
fail:
	txn_rollback(slots, order, undo);
	ostune_err_set(err, entries[i].nest, "entry %u (%s): %s (error %d)",
		       i + 1, entries[i].name, what, ret);
	pr_info("transaction aborted at entry %u (%s), %u write(s) rolled back\n",
		i + 1, entries[i].name, undo);
	return ret;
}

static void txn_commit(struct txn_slot *slots, const unsigned int *order,
		       unsigned int count, bool in_session,
		       struct ostune_actor *who)
{
	unsigned int n;

	for (n = 0; n < count; n++) {
		struct txn_slot *s = &slots[order[n]];
		struct ostune_held *h = s->held;

		if (!h) {
			h = s->fresh;
			s->fresh = NULL;
			h->knob = s->knob;
			h->knob.sub = h->knob.name + (s->knob.sub - s->knob.name);
			strscpy(h->original, s->prev, sizeof(h->original));
			list_add_tail(&h->node, &ostune_held_list);
			ostune_held_count++;
		}
		strscpy(h->last_written, s->written, sizeof(h->last_written));
		if (in_session && !h->in_session) {
			h->in_session = true;
			strscpy(h->session_prev, s->prev, sizeof(h->session_prev));
		}
		ostune_report_change(who, h->knob.name, s->prev, s->written);
	}
}

int ostune_txn_apply(const struct ostune_apply_entry *entries,
		     unsigned int count, bool in_session, u32 *txn_id,
		     struct ostune_err *err)
{
	struct ostune_actor who;
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
		ostune_actor_current(&who, OSTUNE_REASON_APPLY);
		if (!++ostune_last_txn_id)
			++ostune_last_txn_id;
		who.txn_id = ostune_last_txn_id;
		*txn_id = who.txn_id;
		txn_commit(slots, order, count, in_session, &who);
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
 * ostune's last write. Returns 0 when restored, 1 when left alone as
 * changed externally, or a negative errno when it could not be restored.
 */
static int restore_one(struct ostune_held *h, const char *target,
		       const struct ostune_actor *who)
{
	const struct ostune_class *class = h->knob.class;
	struct ostune_knob_file kf;
	char cur[OSTUNE_VALUE_MAX];
	char why[OSTUNE_MSG_MAX];
	int ret;

	ret = ostune_knob_open(&kf, &h->knob, true, why, sizeof(why));
	if (ret)
		goto fail;
	ret = class->read(&kf, cur, sizeof(cur));
	if (ret)
		goto fail;
	if (strcmp(cur, h->last_written)) {
		ostune_knob_close(&kf);
		ostune_report_external(who, h->knob.name, cur, h->last_written);
		return 1;
	}
	ret = class->write(&kf, target);
	if (ret)
		goto fail;
	/*
	 * Back at its original, a knob is let go. One that stays held (a
	 * session undone to a value kept before it) needs what the kernel
	 * made of the value, to tell later changes apart.
	 */
	if (strcmp(target, h->original) &&
	    class->read(&kf, h->last_written, sizeof(h->last_written)))
		strscpy(h->last_written, target, sizeof(h->last_written));
	ostune_knob_close(&kf);
	ostune_report_change(who, h->knob.name, cur, target);
	return 0;
fail:
	ostune_knob_close(&kf);
	ostune_report_failure(who, h->knob.name, target, ret);
	return ret;
}

int ostune_restore_all(const struct ostune_actor *who)
{
	struct ostune_held *h, *tmp;
	int ret, first_err = 0;

	lockdep_assert_held(&ostune_lock);
	list_for_each_entry_safe_reverse(h, tmp, &ostune_held_list, node) {
		ret = restore_one(h, h->original, who);
		if (ret >= 0)
			held_drop(h);
		else if (!first_err)
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
		ret = restore_one(h, h->original, who);
		if (ret >= 0) {
			held_drop(h);
		} else if (!first_err) {
			first_err = ret;
			ostune_err_set(err, NULL, "%s: restore failed: error %d",
				       h->knob.name, ret);
		}
	}
	return first_err;
}

void ostune_undo_session(const struct ostune_actor *who)
{
	struct ostune_held *h, *tmp;
	int ret;

	lockdep_assert_held(&ostune_lock);
	list_for_each_entry_safe_reverse(h, tmp, &ostune_held_list, node) {
		if (!h->in_session)
			continue;
		h->in_session = false;
		ret = restore_one(h, h->session_prev, who);
		/* Back at the original, or taken over by an admin: let go. */
		if (ret > 0 || (!ret && !strcmp(h->session_prev, h->original)))
			held_drop(h);
	}
}

void ostune_forget_all(void)
{
	struct ostune_held *h, *tmp;

	lockdep_assert_held(&ostune_lock);
	list_for_each_entry_safe(h, tmp, &ostune_held_list, node)
		held_drop(h);
}

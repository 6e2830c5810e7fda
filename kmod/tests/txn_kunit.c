// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit: transactions, originals, restores, drift and owed writes
 * (txn.c), on the "kunit" class below: stand-in knobs that live in
 * memory, log every write and fail on request, so rollback is tested
 * without touching a real tunable. The class refuses every name unless a
 * test of this file is running.
 *
 * Built into ostune.ko only when the kernel has KUnit (see Kbuild). The
 * suites run when the module is loaded, before its init function: no
 * netlink family, worker, mounts or class init exist yet, so nothing here
 * may need them.
 */
#include <kunit/test.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/string.h>

#include "../compat.h"
#include "../ostune.h"

#define FAKE_KNOBS	4
#define FAKE_LOG	512

struct fake_knob {
	char value[OSTUNE_VALUE_MAX];
	/* written after the others of its transaction */
	bool late;
	/* fail the read or write that brings this down to 0 */
	int reads_left;
	int writes_left;
	/* a failing write stores the value all the same (a vector sysctl) */
	bool half;
};

/* Knobs kunit.a .. kunit.d, and every write made to them in order. */
struct fake_state {
	struct fake_knob knobs[FAKE_KNOBS];
	char log[FAKE_LOG];
};

/* Only set while a test of the txn suite runs. */
static struct fake_state *fake;

static int fake_open(struct ostune_knob_file *kf, bool write, char *why,
		     size_t len)
{
	const char *sub = kf->knob->sub;

	if (!fake || sub[0] < 'a' || sub[0] >= 'a' + FAKE_KNOBS || sub[1]) {
		snprintf(why, len, "no such kunit knob");
		return -ENOENT;
	}
	kf->data = &fake->knobs[sub[0] - 'a'];
	return 0;
}

static int fake_check_value(const struct ostune_knob *knob, const char *value,
			    char *why, size_t len)
{
	if (!strcmp(value, "bad")) {
		snprintf(why, len, "bad value");
		return -EINVAL;
	}
	return 0;
}

static bool fake_fails(int *left)
{
	return *left > 0 && --*left == 0;
}

static int fake_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	struct fake_knob *k = kf->data;

	if (fake_fails(&k->reads_left))
		return -EIO;
	strscpy(buf, k->value, size);
	return 0;
}

/* Canonicalises as many kernel handlers do: leading blanks go. */
static int fake_write(struct ostune_knob_file *kf, const char *value)
{
	struct fake_knob *k = kf->data;
	size_t n = strlen(fake->log);

	snprintf(fake->log + n, FAKE_LOG - n, "%s%s=%s", n ? " " : "",
		 kf->knob->sub, value);
	if (fake_fails(&k->writes_left)) {
		if (k->half)
			strscpy(k->value, skip_spaces(value), sizeof(k->value));
		return -EIO;
	}
	strscpy(k->value, skip_spaces(value), sizeof(k->value));
	return 0;
}

static int fake_apply_late(struct ostune_knob_file *kf, const char *value)
{
	return ((struct fake_knob *)kf->data)->late;
}

const struct ostune_class ostune_kunit_class = {
	.prefix		= "kunit",
	.open		= fake_open,
	.check_value	= fake_check_value,
	.read		= fake_read,
	.write		= fake_write,
	.apply_late	= fake_apply_late,
};

/* What owed_retry_ms was: the suites retry owed writes themselves. */
static unsigned int saved_retry_ms;

static int txn_test_init(struct kunit *test)
{
	unsigned int i;

	saved_retry_ms = owed_retry_ms;
	owed_retry_ms = 0;
	fake = kunit_kzalloc(test, sizeof(*fake), GFP_KERNEL);
	if (!fake)
		return -ENOMEM;
	for (i = 0; i < FAKE_KNOBS; i++)
		snprintf(fake->knobs[i].value, OSTUNE_VALUE_MAX, "%u", i + 1);
	return 0;
}

static void txn_test_exit(struct kunit *test)
{
	/* A failed test may leave its own knobs held, and only those go. */
	mutex_lock(&ostune_lock);
	ostune_forget(&ostune_kunit_class);
	mutex_unlock(&ostune_lock);
	owed_retry_ms = saved_retry_ms;
	fake = NULL;
}

static struct fake_knob *knob_of(char c)
{
	return &fake->knobs[c - 'a'];
}

static const char *value_of(char c)
{
	return knob_of(c)->value;
}

/* "kunit.b=7 kunit.a=x": entries of one transaction, nests from nests[]. */
struct txn {
	struct ostune_apply_entry e[FAKE_KNOBS + 1];
	char names[FAKE_KNOBS + 1][OSTUNE_NAME_MAX];
	char values[FAKE_KNOBS + 1][OSTUNE_VALUE_MAX];
	struct nlattr nests[FAKE_KNOBS + 1];
	unsigned int n;
	struct ostune_err err;
	struct ostune_actor who;
	u32 txn_id;
};

static void txn_add(struct txn *t, const char *name, const char *value)
{
	strscpy(t->names[t->n], name, OSTUNE_NAME_MAX);
	strscpy(t->values[t->n], value, OSTUNE_VALUE_MAX);
	t->e[t->n].nest = &t->nests[t->n];
	t->e[t->n].name = t->names[t->n];
	t->e[t->n].value = t->values[t->n];
	t->n++;
}

/*
 * The lock is taken per call, not per test: a failed assertion ends the
 * test's thread, and a mutex must not die with its owner.
 */
static int txn_run(struct txn *t, bool in_session)
{
	int ret;

	memset(&t->err, 0, sizeof(t->err));
	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	ret = ostune_txn_apply(t->e, t->n, in_session, &t->who, &t->txn_id,
			       &t->err);
	mutex_unlock(&ostune_lock);
	return ret;
}

static struct ostune_held *held_nth(unsigned int n)
{
	struct ostune_held *h;

	list_for_each_entry(h, &ostune_held_list, node)
		if (!n--)
			return h;
	return NULL;
}

static const char *held_name(unsigned int n)
{
	struct ostune_held *h = held_nth(n);

	return h ? h->knob.name : "(not held)";
}

static struct ostune_held *held_named(const char *name)
{
	struct ostune_held *h;

	list_for_each_entry(h, &ostune_held_list, node)
		if (!strcmp(h->knob.name, name))
			return h;
	return NULL;
}

static const struct ostune_actor restorer = {
	.pid = 1,
	.comm = "kunit",
	.reason = OSTUNE_REASON_REQUEST,
};

static int restore_all(void)
{
	int ret;

	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	ret = ostune_restore_all(&restorer);
	mutex_unlock(&ostune_lock);
	return ret;
}

static int restore_named(const struct nlattr *const *nests,
			 const char *const *names, unsigned int count,
			 struct ostune_err *err)
{
	int ret;

	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	ret = ostune_restore_named(nests, names, count, &restorer, err);
	mutex_unlock(&ostune_lock);
	return ret;
}

static void undo_session(void)
{
	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	ostune_undo_session(&restorer);
	mutex_unlock(&ostune_lock);
}

/* Late entries go after the others, each group in request order. */
static void txn_order_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('a')->late = true;
	knob_of('c')->late = true;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	txn_add(t, "kunit.d", "40");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "b=20 d=40 a=10 c=30");
	KUNIT_EXPECT_NE(test, t->txn_id, 0U);

	/* Held in order of first change; restore walks it backwards. */
	KUNIT_ASSERT_EQ(test, ostune_held_count, 4U);
	KUNIT_EXPECT_STREQ(test, held_name(0), "kunit.b");
	KUNIT_EXPECT_STREQ(test, held_name(1), "kunit.d");
	KUNIT_EXPECT_STREQ(test, held_name(2), "kunit.a");
	KUNIT_EXPECT_STREQ(test, held_name(3), "kunit.c");
	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "c=3 a=1 d=4 b=2");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
	KUNIT_EXPECT_TRUE(test, list_empty(&ostune_held_list));
}

static void txn_ids_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	u32 first;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	first = t->txn_id;
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	KUNIT_EXPECT_EQ(test, t->txn_id, first + 1);
}

/*
 * A write fails at entry fail_at of the write order: everything this
 * transaction wrote before goes back, newest first, and nothing is held.
 */
static void txn_rollback_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('c')->writes_left = 1;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	txn_add(t, "kunit.d", "40");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=10 b=20 c=30 b=2 a=1");
	KUNIT_EXPECT_STREQ(test, t->err.msg,
			   "entry 3 (kunit.c): kernel refused the value (error -5)");
	KUNIT_EXPECT_PTR_EQ(test, t->err.attr, &t->nests[2]);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_EXPECT_STREQ(test, value_of('c'), "3");
	KUNIT_EXPECT_STREQ(test, value_of('d'), "4");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* A late entry fails: the early ones written before it are undone too. */
static void txn_rollback_late_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('a')->late = true;
	knob_of('a')->writes_left = 1;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "b=20 c=30 a=10 c=3 b=2");
	KUNIT_EXPECT_PTR_EQ(test, t->err.attr, &t->nests[0]);
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_EXPECT_STREQ(test, value_of('c'), "3");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* Reading the old value fails: nothing of the failing entry was written. */
static void txn_read_failure_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('b')->reads_left = 1;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=10 a=1");
	KUNIT_EXPECT_STREQ(test, t->err.msg,
			   "entry 2 (kunit.b): cannot read current value (error -5)");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* The value was written but cannot be read back: it is undone as well. */
static void txn_readback_failure_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	/* The first read is of the old value, the second the read-back. */
	knob_of('b')->reads_left = 2;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=10 b=20 b=2 a=1");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* A failed transaction leaves the knobs an earlier one holds as they were. */
static void txn_rollback_keeps_held_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	t->n = 0;
	txn_add(t, "kunit.a", "11");
	txn_add(t, "kunit.b", "20");
	knob_of('b')->writes_left = 1;
	KUNIT_EXPECT_EQ(test, txn_run(t, true), -EIO);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "10");
	KUNIT_ASSERT_EQ(test, ostune_held_count, 1U);
	h = held_nth(0);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");
	KUNIT_EXPECT_FALSE(test, h->in_session);
}

/*
 * A write fails after storing part of the value (a vector sysctl fails on
 * a later element): reading it back shows it moved, and it is put back
 * with the rest.
 */
static void txn_half_write_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	knob_of('b')->writes_left = 1;
	knob_of('b')->half = true;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=10 b=20 b=2 a=1");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/*
 * The rollback of an entry fails: that knob stays held, owed the value it
 * had, and shows what it is at now; the others are rolled back and free.
 * A retry that works lets it go.
 */
static void txn_failed_rollback_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	/* a's write works, its rollback (the 2nd write) fails */
	knob_of('a')->writes_left = 2;
	knob_of('b')->writes_left = 1;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EIO);
	KUNIT_EXPECT_STREQ(test, t->err.msg,
			   "entry 2 (kunit.b): kernel refused the value (error -5); 1 not undone, retrying");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "10");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_EXPECT_STREQ(test, value_of('c'), "3");
	KUNIT_ASSERT_EQ(test, ostune_held_count, 1U);
	h = held_nth(0);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_STREQ(test, h->knob.name, "kunit.a");
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");
	KUNIT_EXPECT_TRUE(test, h->owes);
	KUNIT_EXPECT_STREQ(test, h->owed, "1");

	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	KUNIT_EXPECT_FALSE(test, retry_owed());
	mutex_unlock(&ostune_lock);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=1");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* Validation refuses before anything is written. */
static void txn_validation_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.a", "30");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EINVAL);
	KUNIT_EXPECT_STREQ(test, t->err.msg, "entry 3 (kunit.a): also entry 1");
	KUNIT_EXPECT_PTR_EQ(test, t->err.attr, &t->nests[2]);

	t->n = 0;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "bad");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -EINVAL);
	KUNIT_EXPECT_STREQ(test, t->err.msg, "entry 2 (kunit.b): bad value");

	t->n = 0;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.z", "1");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -ENOENT);
	KUNIT_EXPECT_STREQ(test, t->err.msg,
			   "entry 2 (kunit.z): no such kunit knob");

	t->n = 0;
	txn_add(t, "kunit.a", "10");
	txn_add(t, "nosuchclass.x", "1");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -ENOENT);
	KUNIT_EXPECT_PTR_EQ(test, t->err.attr, &t->nests[1]);

	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* No more than OSTUNE_MAX_HELD originals, counting the new ones only. */
static void txn_held_limit_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned int saved;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	/* As if OSTUNE_MAX_HELD - 1 other knobs were held too. */
	saved = ostune_held_count;
	ostune_held_count = OSTUNE_MAX_HELD;
	t->n = 0;
	txn_add(t, "kunit.a", "11");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), 0);
	txn_add(t, "kunit.b", "20");
	KUNIT_EXPECT_EQ(test, txn_run(t, false), -ENOSPC);
	ostune_held_count = saved;
	KUNIT_EXPECT_STREQ(test, value_of('a'), "11");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
}

/*
 * The original is the value before the first change, whatever came
 * after; last written is what the knob read back (canonicalised).
 */
static void originals_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "  10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	h = held_named("kunit.a");
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");
	KUNIT_EXPECT_STREQ(test, h->knob.sub, "a");
	KUNIT_EXPECT_PTR_EQ(test, h->knob.sub, h->knob.name + strlen("kunit."));

	t->n = 0;
	txn_add(t, "kunit.a", "20");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	KUNIT_EXPECT_PTR_EQ(test, held_named("kunit.a"), h);
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "20");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 1U);

	/* Restored to the original, the knob is let go. */
	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/*
 * A session's changes go back to what the session found (a kept value),
 * and the kept change stays held; restore goes to the originals.
 */
static void session_undo_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	t->n = 0;
	txn_add(t, "kunit.a", "11");
	txn_add(t, "kunit.b", "20");
	KUNIT_ASSERT_EQ(test, txn_run(t, true), 0);
	t->n = 0;
	txn_add(t, "kunit.a", "12");
	KUNIT_ASSERT_EQ(test, txn_run(t, true), 0);
	h = held_named("kunit.a");
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_TRUE(test, h->in_session);
	KUNIT_EXPECT_STREQ(test, h->session_prev, "10");

	undo_session();
	KUNIT_EXPECT_STREQ(test, fake->log, "b=2 a=10");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "10");
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	/* b went back to its original and is let go; a is still kept. */
	KUNIT_ASSERT_EQ(test, ostune_held_count, 1U);
	KUNIT_EXPECT_FALSE(test, h->in_session);
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");

	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/*
 * A session's undo fails: the knob is not silently kept at the session's
 * value but owed what the session found, until a retry puts it back.
 */
static void session_undo_failure_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, true), 0);
	knob_of('a')->writes_left = 1;
	undo_session();
	KUNIT_EXPECT_STREQ(test, value_of('a'), "10");
	KUNIT_ASSERT_EQ(test, ostune_held_count, 1U);
	h = held_nth(0);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_FALSE(test, h->in_session);
	KUNIT_EXPECT_TRUE(test, h->owes);
	KUNIT_EXPECT_STREQ(test, h->owed, "1");

	/* Someone else changes it meanwhile: theirs wins, and it is let go. */
	strscpy(knob_of('a')->value, "77", OSTUNE_VALUE_MAX);
	fake->log[0] = '\0';
	mutex_lock(&ostune_lock);
	KUNIT_EXPECT_FALSE(test, retry_owed());
	mutex_unlock(&ostune_lock);
	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "77");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/*
 * Someone else changed the knob after ostune's last write: restore
 * leaves it alone and lets it go; so does a session undo.
 */
static void drift_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	strscpy(knob_of('a')->value, "99", OSTUNE_VALUE_MAX);
	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "b=2");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "99");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);

	t->n = 0;
	txn_add(t, "kunit.c", "30");
	KUNIT_ASSERT_EQ(test, txn_run(t, true), 0);
	strscpy(knob_of('c')->value, "3", OSTUNE_VALUE_MAX);
	undo_session();
	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/* A restore that cannot write keeps the original for a later one. */
static void restore_failure_keeps_original_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	struct ostune_held *h;

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	knob_of('a')->writes_left = 1;
	KUNIT_EXPECT_EQ(test, restore_all(), -EIO);
	KUNIT_EXPECT_STREQ(test, value_of('b'), "2");
	KUNIT_ASSERT_EQ(test, ostune_held_count, 1U);
	h = held_nth(0);
	KUNIT_ASSERT_NOT_NULL(test, h);
	KUNIT_EXPECT_STREQ(test, h->knob.name, "kunit.a");
	KUNIT_EXPECT_STREQ(test, h->original, "1");
	KUNIT_EXPECT_STREQ(test, h->last_written, "10");
	KUNIT_EXPECT_TRUE(test, h->owes);

	/* Its file was closed by the failure: a read fails after opening it. */
	knob_of('a')->reads_left = 1;
	KUNIT_EXPECT_EQ(test, restore_all(), -EIO);
	KUNIT_EXPECT_EQ(test, ostune_held_count, 1U);

	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

/*
 * The file kept open since the first change fails a read (its object went
 * away and came back): the knob is opened anew and restored.
 */
static void restore_reopens_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	txn_add(t, "kunit.a", "10");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);
	knob_of('a')->reads_left = 1;
	KUNIT_EXPECT_EQ(test, restore_all(), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "a=1");
	KUNIT_EXPECT_STREQ(test, value_of('a'), "1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 0U);
}

static void restore_named_test(struct kunit *test)
{
	struct txn *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	static const char *const names[] = { "kunit.a", "kunit.c" };
	static const char *const held_and_not[] = { "kunit.b", "kunit.c" };
	const struct nlattr *nests[2];
	struct ostune_err err = {};

	KUNIT_ASSERT_NOT_NULL(test, t);
	nests[0] = &t->nests[0];
	nests[1] = &t->nests[1];
	txn_add(t, "kunit.a", "10");
	txn_add(t, "kunit.b", "20");
	txn_add(t, "kunit.c", "30");
	KUNIT_ASSERT_EQ(test, txn_run(t, false), 0);

	KUNIT_EXPECT_EQ(test, restore_named(nests, names, 2, &err), 0);
	KUNIT_EXPECT_STREQ(test, fake->log, "c=3 a=1");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 1U);
	KUNIT_EXPECT_STREQ(test, held_name(0), "kunit.b");

	/* Not held: refused whole, nothing restored. */
	KUNIT_EXPECT_EQ(test, restore_named(nests, held_and_not, 2, &err),
			-ENOENT);
	KUNIT_EXPECT_STREQ(test, err.msg, "entry 2 (kunit.c): not held by ostune");
	KUNIT_EXPECT_PTR_EQ(test, err.attr, nests[1]);
	KUNIT_EXPECT_STREQ(test, fake->log, "");
	KUNIT_EXPECT_EQ(test, ostune_held_count, 1U);
}

static struct kunit_case txn_cases[] = {
	KUNIT_CASE(txn_order_test),
	KUNIT_CASE(txn_ids_test),
	KUNIT_CASE(txn_rollback_test),
	KUNIT_CASE(txn_rollback_late_test),
	KUNIT_CASE(txn_read_failure_test),
	KUNIT_CASE(txn_readback_failure_test),
	KUNIT_CASE(txn_rollback_keeps_held_test),
	KUNIT_CASE(txn_half_write_test),
	KUNIT_CASE(txn_failed_rollback_test),
	KUNIT_CASE(txn_validation_test),
	KUNIT_CASE(txn_held_limit_test),
	{}
};

static struct kunit_suite txn_suite = {
	.name = "ostune_txn",
	.init = txn_test_init,
	.exit = txn_test_exit,
	.test_cases = txn_cases,
};

static struct kunit_case originals_cases[] = {
	KUNIT_CASE(originals_test),
	KUNIT_CASE(session_undo_test),
	KUNIT_CASE(session_undo_failure_test),
	KUNIT_CASE(drift_test),
	KUNIT_CASE(restore_failure_keeps_original_test),
	KUNIT_CASE(restore_reopens_test),
	KUNIT_CASE(restore_named_test),
	{}
};

static struct kunit_suite originals_suite = {
	.name = "ostune_originals",
	.init = txn_test_init,
	.exit = txn_test_exit,
	.test_cases = originals_cases,
};

kunit_test_suites(&txn_suite, &originals_suite);

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the selftest programs share: errno names, the assertions on a
 * client call's errno and extack message, and the fixture steps every
 * program takes. Macros, so that a failure names the test's own line.
 * Include after kselftest_harness.h and util.h.
 */
#ifndef OSTUNE_HARNESS_CHECKS_H
#define OSTUNE_HARNESS_CHECKS_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static inline const char *errname(int ret)
{
	const char *n;

	if (!ret)
		return "success";
	n = strerrorname_np(ret < 0 ? -ret : ret);
	return n ? n : "?";
}

static inline bool has(const char *msg, const char *sub)
{
	return !sub || strstr(msg, sub);
}

/* expr, a client call on c, succeeds. */
#define OK(c, expr) do {						\
	int __r = (expr);						\
	ASSERT_EQ(0, __r) TH_LOG("%s: %s, extack '%s'", #expr,		\
				 errname(__r), (c)->err_msg);		\
} while (0)

/* errno, a non-empty extack message, and (when given) text in it */
#define CHECK_ERR(c, expr, want, sub) do {				\
	int __r = (expr);						\
	EXPECT_EQ(-(want), __r) TH_LOG("%s: got %s, want %s; extack '%s'", \
		#expr, errname(__r), errname(want), (c)->err_msg);	\
	EXPECT_NE(0, (c)->err_msg[0]) TH_LOG("%s: no extack message", #expr); \
	EXPECT_TRUE(has((c)->err_msg, sub))				\
		TH_LOG("extack '%s' does not mention '%s'", (c)->err_msg, sub); \
} while (0)

/*
 * The macros below use the test's fixture (self): its client c and its
 * snapshot before, and where a test uses them, a second client c2 with c2_open, an events client ev
 * with ev_open, and kmsg, for the teardown to close.
 */

/* Every test knob still has the value it had when the test started. */
#define ASSERT_UNCHANGED() do {						\
	struct snap __now;						\
	char __d[700];							\
	snap_take(&__now);						\
	ASSERT_TRUE(snap_diff(&self->before, &__now, __d, sizeof(__d)) == NULL) \
		TH_LOG("a knob changed: %s", __d);			\
} while (0)

/* The module holds nothing and has no session. */
#define ASSERT_IDLE(c) do {						\
	struct ostune_status __st;					\
	OK(c, ostune_get_status(c, &__st));				\
	EXPECT_EQ(0, __st.has_session) TH_LOG("a session is open (pid %u)", \
					     __st.session_pid);		\
	EXPECT_EQ(0U, __st.nheld) TH_LOG("%zu knobs held, first %s",	\
		__st.nheld, __st.nheld ? __st.held[0].name : "");	\
	ostune_status_free(&__st);					\
} while (0)

#define OPEN_C2() do {							\
	int __r = ostune_client_open(&self->c2);			\
	ASSERT_EQ(0, __r) TH_LOG("second client: %s", errname(__r));	\
	self->c2_open = true;						\
} while (0)

#define SUBSCRIBE() do {						\
	int __r = ostune_client_open(&self->ev);			\
	ASSERT_EQ(0, __r) TH_LOG("events client: %s", errname(__r));	\
	self->ev_open = true;						\
	__r = ostune_subscribe_events(&self->ev);			\
	ASSERT_EQ(0, __r) TH_LOG("subscribe: %s", errname(__r));	\
} while (0)

/* /dev/kmsg from now on, for kmsg_find(). */
#define KMSG() do {							\
	self->kmsg = kmsg_open_end();					\
	ASSERT_LE(0, self->kmsg) TH_LOG("/dev/kmsg: %s", errname(self->kmsg)); \
} while (0)

/* After an unload: the module back, and a client on it. */
#define RELOAD() do {							\
	int __r = mod_load();						\
	ASSERT_EQ(0, __r) TH_LOG("insmod %s: %s", getenv("OSTUNE_KO") ?: "", \
				 errname(__r));				\
	ostune_client_close(&self->c);					\
	__r = ostune_client_open(&self->c);				\
	ASSERT_EQ(0, __r) TH_LOG("client after reload: %s", errname(__r)); \
} while (0)

#endif /* OSTUNE_HARNESS_CHECKS_H */

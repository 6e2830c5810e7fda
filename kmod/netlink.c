// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink front: policies, request parsing, replies, and the
 * translation of errors into extack messages.
 *
 * Handlers run in parallel (parallel_ops), without genl_mutex. Whatever
 * touches a knob or the held knobs runs on the module's worker through
 * ostune_call(), never here; the handler parses, checks privilege, says
 * who is asking, and builds the reply. Anything that returns a value, and
 * the events group, needs the privilege that changing it needs: an
 * unprivileged caller only learns the versions, the session and how many
 * knobs are held, which takes no lock a writer holds through I/O.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/kernel.h>
#include <linux/netlink.h>
#include <linux/slab.h>
#include <net/genetlink.h>

#include "compat.h"
#include "ostune.h"

static const struct nla_policy knob_entry_policy[OSTUNE_A_KNOB_VALUE + 1] = {
	[OSTUNE_A_KNOB_NAME]	= { .type = NLA_NUL_STRING,
				    .len = OSTUNE_NAME_MAX - 1 },
	[OSTUNE_A_KNOB_VALUE]	= { .type = NLA_NUL_STRING,
				    .len = OSTUNE_VALUE_MAX - 1 },
};

static const struct nla_policy knob_name_policy[OSTUNE_A_KNOB_NAME + 1] = {
	[OSTUNE_A_KNOB_NAME]	= { .type = NLA_NUL_STRING,
				    .len = OSTUNE_NAME_MAX - 1 },
};

static struct netlink_range_validation watchdog_range = {
	.min = OSTUNE_WATCHDOG_MIN_MS,
	.max = OSTUNE_WATCHDOG_MAX_MS,
};

static const struct nla_policy apply_policy[OSTUNE_A_KNOB + 1] = {
	[OSTUNE_A_KNOB]		= NLA_POLICY_NESTED(knob_entry_policy),
};

static const struct nla_policy knob_names_policy[OSTUNE_A_KNOB + 1] = {
	[OSTUNE_A_KNOB]		= NLA_POLICY_NESTED(knob_name_policy),
};

static const struct nla_policy watchdog_policy[OSTUNE_A_WATCHDOG_MS + 1] = {
	[OSTUNE_A_WATCHDOG_MS]	= NLA_POLICY_FULL_RANGE(NLA_U32, &watchdog_range),
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

static void set_error(struct genl_info *info, const struct ostune_err *err)
{
	if (err->attr)
		NL_SET_BAD_ATTR(info->extack, err->attr);
	ostune_extack_msg(info->extack, err->msg);
}

/* GENL_ADMIN_PERM has checked CAP_NET_ADMIN; tunables need more. */
static bool sys_admin(const struct sk_buff *skb)
{
	return netlink_capable(skb, CAP_SYS_ADMIN);
}

static int require_sys_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (sys_admin(skb))
		return 0;
	GENL_SET_ERR_MSG(info, "needs CAP_SYS_ADMIN in the initial user namespace");
	return -EPERM;
}

static void caller_of(struct sk_buff *skb, struct genl_info *info,
		      struct ostune_caller *caller)
{
	caller->sk = NETLINK_CB(skb).sk;
	caller->portid = info->snd_portid;
}

/*
 * Sends a reply for a change already made. The change stands whatever
 * happens to the reply (a full receive queue): the request succeeded, and
 * its ack says so.
 */
static int reply_committed(struct sk_buff *msg, struct genl_info *info)
{
	if (genlmsg_reply(msg, info))
		pr_debug("reply to port %u lost; the change was made\n",
			 info->snd_portid);
	return 0;
}

/*
 * Collects the KNOB nests of a request, parsed against policy, with NAME
 * (and VALUE when want_value) required in each.
 */
static int collect_knobs(struct genl_info *info,
			 const struct nla_policy *policy, unsigned int maxtype,
			 bool want_value, struct ostune_apply_entry **out,
			 unsigned int *count)
{
	struct nlattr *tb[OSTUNE_A_KNOB_VALUE + 1];
	struct ostune_apply_entry *entries;
	struct ostune_err err = {};
	const struct nlattr *attr;
	unsigned int n = 0;
	int rem, ret;

	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem)
		if (nla_type(attr) == OSTUNE_A_KNOB)
			n++;
	if (n > OSTUNE_TXN_MAX_ENTRIES) {
		ostune_err_set(&err, NULL, "%u entries, at most %d allowed", n,
			       OSTUNE_TXN_MAX_ENTRIES);
		set_error(info, &err);
		return -E2BIG;
	}
	entries = kcalloc(n, sizeof(*entries), GFP_KERNEL);
	if (!entries)
		return -ENOMEM;

	n = 0;
	nla_for_each_attr(attr, genlmsg_data(info->genlhdr),
			  genlmsg_len(info->genlhdr), rem) {
		if (nla_type(attr) != OSTUNE_A_KNOB)
			continue;
		memset(tb, 0, sizeof(tb));
		ret = nla_parse_nested(tb, maxtype, attr, policy, info->extack);
		if (ret)
			goto fail;
		if (!tb[OSTUNE_A_KNOB_NAME] ||
		    (want_value && !tb[OSTUNE_A_KNOB_VALUE])) {
			int missing = tb[OSTUNE_A_KNOB_NAME] ?
				      OSTUNE_A_KNOB_VALUE : OSTUNE_A_KNOB_NAME;

			NL_SET_ERR_ATTR_MISS(info->extack, attr, missing);
			ostune_err_set(&err, attr, "entry %u: missing %s", n + 1,
				       missing == OSTUNE_A_KNOB_NAME ? "NAME" : "VALUE");
			set_error(info, &err);
			ret = -EINVAL;
			goto fail;
		}
		entries[n].nest = attr;
		entries[n].name = nla_data(tb[OSTUNE_A_KNOB_NAME]);
		if (want_value)
			entries[n].value = nla_data(tb[OSTUNE_A_KNOB_VALUE]);
		n++;
	}
	*out = entries;
	*count = n;
	return 0;
fail:
	kfree(entries);
	return ret;
}

/* A request handed to the worker: what it needs, and what it answers. */
struct knob_req {
	struct ostune_caller caller;
	struct ostune_actor who;
	struct ostune_apply_entry *entries;
	unsigned int count;
	struct sk_buff *msg;
	u32 txn_id;
	struct ostune_err err;
};

static int apply_on_worker(void *arg)
{
	struct knob_req *r = arg;
	bool owner;
	int ret;

	mutex_lock(&ostune_lock);
	ret = ostune_session_check_writer(&r->caller, &owner, &r->err);
	if (!ret)
		ret = ostune_txn_apply(r->entries, r->count, owner, &r->who,
				       &r->txn_id, &r->err);
	mutex_unlock(&ostune_lock);
	return ret;
}

static int ostune_nl_apply(struct sk_buff *skb, struct genl_info *info)
{
	struct knob_req r = {};
	void *hdr;
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, OSTUNE_A_KNOB)) {
		GENL_SET_ERR_MSG(info, "no KNOB entries to apply");
		return -EINVAL;
	}
	ret = collect_knobs(info, knob_entry_policy, OSTUNE_A_KNOB_VALUE, true,
			    &r.entries, &r.count);
	if (ret)
		return ret;
	r.msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!r.msg) {
		ret = -ENOMEM;
		goto out;
	}
	caller_of(skb, info, &r.caller);
	ostune_actor_current(&r.who, OSTUNE_REASON_APPLY);
	ret = ostune_call(apply_on_worker, &r);
	if (ret) {
		set_error(info, &r.err);
		nlmsg_free(r.msg);
		goto out;
	}
	hdr = genlmsg_put_reply(r.msg, info, &ostune_nl_family, 0,
				OSTUNE_CMD_APPLY);
	if (!hdr || nla_put_u32(r.msg, OSTUNE_A_TXN_ID, r.txn_id)) {
		nlmsg_free(r.msg);
		goto out;
	}
	genlmsg_end(r.msg, hdr);
	ret = reply_committed(r.msg, info);
out:
	kfree(r.entries);
	return ret;
}

static int restore_on_worker(void *arg)
{
	struct knob_req *r = arg;
	const struct nlattr **nests = NULL;
	const char **names = NULL;
	unsigned int i;
	bool owner;
	int ret;

	if (r->count) {
		nests = kcalloc(r->count, sizeof(*nests), GFP_KERNEL);
		names = kcalloc(r->count, sizeof(*names), GFP_KERNEL);
		if (!nests || !names) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < r->count; i++) {
			nests[i] = r->entries[i].nest;
			names[i] = r->entries[i].name;
		}
	}
	mutex_lock(&ostune_lock);
	ret = ostune_session_check_writer(&r->caller, &owner, &r->err);
	if (!ret && r->count) {
		ret = ostune_restore_named(nests, names, r->count, &r->who,
					   &r->err);
	} else if (!ret) {
		ret = ostune_restore_all(&r->who);
		if (ret)
			ostune_err_set(&r->err, NULL,
				       "some knobs could not be restored (error %d): held, retrying",
				       ret);
	}
	mutex_unlock(&ostune_lock);
out:
	kfree(names);
	kfree(nests);
	return ret;
}

static int ostune_nl_restore(struct sk_buff *skb, struct genl_info *info)
{
	struct knob_req r = {};
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	if (info->attrs[OSTUNE_A_KNOB]) {
		ret = collect_knobs(info, knob_name_policy, OSTUNE_A_KNOB_NAME,
				    false, &r.entries, &r.count);
		if (ret)
			return ret;
	}
	caller_of(skb, info, &r.caller);
	ostune_actor_current(&r.who, OSTUNE_REASON_REQUEST);
	ret = ostune_call(restore_on_worker, &r);
	if (ret)
		set_error(info, &r.err);
	kfree(r.entries);
	return ret;
}

static int ostune_nl_session_open(struct sk_buff *skb, struct genl_info *info)
{
	struct ostune_session_info session;
	struct ostune_caller caller;
	struct ostune_err err = {};
	u32 watchdog_ms = 0;
	struct nlattr *nest;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	if (info->attrs[OSTUNE_A_WATCHDOG_MS])
		watchdog_ms = nla_get_u32(info->attrs[OSTUNE_A_WATCHDOG_MS]);
	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	caller_of(skb, info, &caller);
	ret = ostune_session_open(&caller, watchdog_ms, &session, &err);
	if (ret) {
		set_error(info, &err);
		nlmsg_free(msg);
		return ret;
	}

	hdr = genlmsg_put_reply(msg, info, &ostune_nl_family, 0,
				OSTUNE_CMD_SESSION_OPEN);
	if (!hdr)
		goto lost;
	nest = nla_nest_start(msg, OSTUNE_A_SESSION);
	if (!nest ||
	    nla_put_u32(msg, OSTUNE_A_SESSION_ID, session.id) ||
	    nla_put_u32(msg, OSTUNE_A_SESSION_WATCHDOG_MS, session.watchdog_ms))
		goto lost;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return reply_committed(msg, info);
lost:
	nlmsg_free(msg);
	return 0;
}

static int session_close_on_worker(void *arg)
{
	struct knob_req *r = arg;
	int ret;

	mutex_lock(&ostune_lock);
	ret = ostune_session_close(&r->caller, &r->err);
	mutex_unlock(&ostune_lock);
	return ret;
}

static int ostune_nl_session_close(struct sk_buff *skb, struct genl_info *info)
{
	struct knob_req r = {};
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	caller_of(skb, info, &r.caller);
	ret = ostune_call(session_close_on_worker, &r);
	if (ret)
		set_error(info, &r.err);
	return ret;
}

/* Takes only the session's own lock: nothing can make it wait on I/O. */
static int ostune_nl_heartbeat(struct sk_buff *skb, struct genl_info *info)
{
	struct ostune_caller caller;
	struct ostune_err err = {};
	u32 watchdog_ms = 0;
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	if (info->attrs[OSTUNE_A_WATCHDOG_MS])
		watchdog_ms = nla_get_u32(info->attrs[OSTUNE_A_WATCHDOG_MS]);
	caller_of(skb, info, &caller);
	ret = ostune_session_heartbeat(&caller, watchdog_ms, &err);
	if (ret)
		set_error(info, &err);
	return ret;
}

static int get_knobs_on_worker(void *arg)
{
	struct knob_req *r = arg;
	char value[OSTUNE_VALUE_MAX];
	char why[OSTUNE_MSG_MAX];
	struct ostune_knob_file kf;
	struct ostune_knob knob;
	struct nlattr *nest;
	unsigned int i;
	u32 flags = 0;
	int ret = 0;

	/* Values the module holds itself (QoS requests) change under it. */
	mutex_lock(&ostune_lock);
	for (i = 0; i < r->count; i++) {
		ret = ostune_knob_parse(&knob, r->entries[i].name, why,
					sizeof(why));
		if (!ret)
			ret = ostune_knob_open(&kf, &knob, false, why,
					       sizeof(why));
		if (!ret) {
			ret = knob.class->read(&kf, value, sizeof(value));
			flags = knob.class->fixed && knob.class->fixed(&kf) ?
				OSTUNE_KNOB_F_FIXED : 0;
			ostune_knob_close(&kf);
			if (ret)
				snprintf(why, sizeof(why),
					 "cannot read (error %d)", ret);
		}
		if (ret) {
			ostune_err_set(&r->err, r->entries[i].nest,
				       "entry %u (%s): %s", i + 1,
				       r->entries[i].name, why);
			break;
		}
		nest = nla_nest_start(r->msg, OSTUNE_A_KNOB);
		if (!nest ||
		    nla_put_string(r->msg, OSTUNE_A_KNOB_NAME, knob.name) ||
		    nla_put_string(r->msg, OSTUNE_A_KNOB_VALUE, value) ||
		    (flags && nla_put_u32(r->msg, OSTUNE_A_KNOB_FLAGS, flags))) {
			ret = -EMSGSIZE;
			break;
		}
		nla_nest_end(r->msg, nest);
	}
	mutex_unlock(&ostune_lock);
	return ret;
}

static int ostune_nl_get_knobs(struct sk_buff *skb, struct genl_info *info)
{
	struct knob_req r = {};
	void *hdr;
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, OSTUNE_A_KNOB)) {
		GENL_SET_ERR_MSG(info, "no KNOB entries to read");
		return -EINVAL;
	}
	ret = collect_knobs(info, knob_name_policy, OSTUNE_A_KNOB_NAME, false,
			    &r.entries, &r.count);
	if (ret)
		return ret;
	r.msg = genlmsg_new(r.count * (nla_total_size(0) +
				       nla_total_size(OSTUNE_NAME_MAX) +
				       nla_total_size(OSTUNE_VALUE_MAX) +
				       nla_total_size(sizeof(u32))) + GENL_HDRLEN,
			    GFP_KERNEL);
	if (!r.msg) {
		ret = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(r.msg, info, &ostune_nl_family, 0,
				OSTUNE_CMD_GET_KNOBS);
	ret = hdr ? ostune_call(get_knobs_on_worker, &r) : -EMSGSIZE;
	if (ret) {
		if (!r.err.msg[0])
			ostune_err_set(&r.err, NULL,
				       "the values do not fit in a reply (error %d)",
				       ret);
		set_error(info, &r.err);
		nlmsg_free(r.msg);
		goto out;
	}
	genlmsg_end(r.msg, hdr);
	ret = genlmsg_reply(r.msg, info);
out:
	kfree(r.entries);
	return ret;
}

static int put_status_summary(struct sk_buff *skb)
{
	struct ostune_session_info session;
	struct nlattr *nest;

	if (nla_put_u32(skb, OSTUNE_A_VERSION, OSTUNE_FAMILY_VERSION) ||
	    nla_put_string(skb, OSTUNE_A_MODULE_VERSION, OSTUNE_MODULE_VERSION) ||
	    nla_put_u32(skb, OSTUNE_A_HELD_COUNT, READ_ONCE(ostune_held_count)))
		return -EMSGSIZE;
	if (!ostune_session_get(&session))
		return 0;
	nest = nla_nest_start(skb, OSTUNE_A_SESSION);
	if (!nest ||
	    nla_put_u32(skb, OSTUNE_A_SESSION_ID, session.id) ||
	    nla_put_u32(skb, OSTUNE_A_SESSION_PID, session.pid) ||
	    nla_put_string(skb, OSTUNE_A_SESSION_COMM, session.comm) ||
	    nla_put_u32(skb, OSTUNE_A_SESSION_PORTID, session.portid) ||
	    nla_put_u32(skb, OSTUNE_A_SESSION_WATCHDOG_MS, session.watchdog_ms) ||
	    nla_put_u32(skb, OSTUNE_A_SESSION_REMAINING_MS, session.remaining_ms))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

static int put_held_knob(struct sk_buff *skb, const struct ostune_held *h)
{
	char cur[OSTUNE_VALUE_MAX];
	struct nlattr *nest;
	u32 flags = 0;

	if (h->in_session)
		flags |= OSTUNE_KNOB_F_SESSION;
	if (h->owes)
		flags |= OSTUNE_KNOB_F_OWED;
	if (ostune_knob_read_once(&h->knob, cur, sizeof(cur)))
		cur[0] = '\0';
	else if (strcmp(cur, h->last_written))
		flags |= OSTUNE_KNOB_F_DRIFT;

	nest = nla_nest_start(skb, OSTUNE_A_KNOB);
	if (!nest ||
	    nla_put_string(skb, OSTUNE_A_KNOB_NAME, h->knob.name) ||
	    nla_put_string(skb, OSTUNE_A_KNOB_ORIGINAL, h->original) ||
	    nla_put_string(skb, OSTUNE_A_KNOB_LAST_WRITTEN, h->last_written) ||
	    nla_put_string(skb, OSTUNE_A_KNOB_VALUE, cur) ||
	    nla_put_u32(skb, OSTUNE_A_KNOB_FLAGS, flags))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

struct status_req {
	struct sk_buff *skb;
	struct netlink_callback *cb;
};

/*
 * One message per held knob, from the cb->args[0]-th message on; skb->len
 * while some are left for the next round, 0 when all are out.
 */
static int status_held_on_worker(void *arg)
{
	struct status_req *r = arg;
	struct netlink_callback *cb = r->cb;
	const struct ostune_held *h;
	unsigned long sent = 0;
	void *hdr;

	mutex_lock(&ostune_lock);
	list_for_each_entry(h, &ostune_held_list, node) {
		if (++sent < cb->args[0])
			continue;
		hdr = genlmsg_put(r->skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ostune_nl_family,
				  NLM_F_MULTI, OSTUNE_CMD_GET_STATUS);
		if (!hdr)
			goto full;
		if (put_held_knob(r->skb, h)) {
			genlmsg_cancel(r->skb, hdr);
			goto full;
		}
		genlmsg_end(r->skb, hdr);
		cb->args[0]++;
	}
	mutex_unlock(&ostune_lock);
	return 0;
full:
	mutex_unlock(&ostune_lock);
	return r->skb->len;
}

/*
 * A dump: one summary message (versions, session, count), then, to
 * CAP_SYS_ADMIN only, one message per held knob in order of first change.
 * cb->args[0] counts the messages already sent, cb->args[1] says whether
 * the caller may see values. A dump that returns 0 is over at once, so an
 * unprivileged caller who never reads the answer pins nothing.
 */
static int ostune_nl_status_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	struct status_req r = { .skb = skb, .cb = cb };
	void *hdr;

	if (!cb->args[0]) {
		cb->args[1] = netlink_capable(cb->skb, CAP_NET_ADMIN) &&
			      sys_admin(cb->skb);
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ostune_nl_family,
				  NLM_F_MULTI, OSTUNE_CMD_GET_STATUS);
		if (!hdr || put_status_summary(skb))
			return -EMSGSIZE;
		genlmsg_end(skb, hdr);
		cb->args[0] = 1;
	}
	if (!cb->args[1])
		return 0;
	return ostune_call(status_held_on_worker, &r);
}

static const struct genl_ops ostune_nl_ops[] = {
	{
		.cmd	= OSTUNE_CMD_GET_STATUS,
		.dumpit	= ostune_nl_status_dump,
	},
	{
		.cmd	= OSTUNE_CMD_GET_KNOBS,
		.doit	= ostune_nl_get_knobs,
		.policy	= knob_names_policy,
		.maxattr = ARRAY_SIZE(knob_names_policy) - 1,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= OSTUNE_CMD_SESSION_OPEN,
		.doit	= ostune_nl_session_open,
		.policy	= watchdog_policy,
		.maxattr = ARRAY_SIZE(watchdog_policy) - 1,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= OSTUNE_CMD_SESSION_CLOSE,
		.doit	= ostune_nl_session_close,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= OSTUNE_CMD_HEARTBEAT,
		.doit	= ostune_nl_heartbeat,
		.policy	= watchdog_policy,
		.maxattr = ARRAY_SIZE(watchdog_policy) - 1,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= OSTUNE_CMD_APPLY,
		.doit	= ostune_nl_apply,
		.policy	= apply_policy,
		.maxattr = ARRAY_SIZE(apply_policy) - 1,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= OSTUNE_CMD_RESTORE,
		.doit	= ostune_nl_restore,
		.policy	= knob_names_policy,
		.maxattr = ARRAY_SIZE(knob_names_policy) - 1,
		.flags	= GENL_ADMIN_PERM,
	},
};

static const struct genl_multicast_group ostune_nl_mcgrps[] = {
	{ .name = OSTUNE_MCGRP_EVENTS, .flags = GENL_MCAST_CAP_SYS_ADMIN },
};

struct genl_family ostune_nl_family __ro_after_init = {
	.name		= OSTUNE_FAMILY_NAME,
	.version	= OSTUNE_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.parallel_ops	= true,
	.ops		= ostune_nl_ops,
	.n_ops		= ARRAY_SIZE(ostune_nl_ops),
	.resv_start_op	= OSTUNE_CMD_GET_STATUS,
	.mcgrps		= ostune_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ostune_nl_mcgrps),
};

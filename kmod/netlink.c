// SPDX-License-Identifier: GPL-2.0
/*
 * The generic netlink front: policies, request parsing, replies, and the
 * translation of errors into extack messages.
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

static void set_error(struct genl_info *info, const struct ostune_err *err)
{
	if (err->attr)
		NL_SET_BAD_ATTR(info->extack, err->attr);
	ostune_extack_msg(info->extack, err->msg);
}

/* GENL_ADMIN_PERM has checked CAP_NET_ADMIN; changing tunables needs more. */
static int require_sys_admin(struct sk_buff *skb, struct genl_info *info)
{
	if (netlink_capable(skb, CAP_SYS_ADMIN))
		return 0;
	GENL_SET_ERR_MSG(info, "needs CAP_SYS_ADMIN in the initial user namespace");
	return -EPERM;
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

static int ostune_nl_apply(struct sk_buff *skb, struct genl_info *info)
{
	struct ostune_apply_entry *entries;
	struct ostune_err err = {};
	unsigned int count;
	struct sk_buff *msg;
	bool owner;
	u32 txn_id;
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
			    &entries, &count);
	if (ret)
		return ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	mutex_lock(&ostune_lock);
	ret = ostune_session_check_writer(info->snd_portid, &owner, &err);
	if (!ret)
		ret = ostune_txn_apply(entries, count, owner, &txn_id, &err);
	mutex_unlock(&ostune_lock);
	if (ret) {
		set_error(info, &err);
		nlmsg_free(msg);
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &ostune_nl_family, 0,
				OSTUNE_CMD_APPLY);
	if (!hdr || nla_put_u32(msg, OSTUNE_A_TXN_ID, txn_id)) {
		nlmsg_free(msg);
		ret = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	kfree(entries);
	return ret;
}

static int ostune_nl_restore(struct sk_buff *skb, struct genl_info *info)
{
	struct ostune_apply_entry *entries = NULL;
	const struct nlattr **nests = NULL;
	const char **names = NULL;
	struct ostune_err err = {};
	struct ostune_actor who;
	unsigned int count = 0, i;
	bool owner;
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	if (info->attrs[OSTUNE_A_KNOB]) {
		ret = collect_knobs(info, knob_name_policy, OSTUNE_A_KNOB_NAME,
				    false, &entries, &count);
		if (ret)
			return ret;
		nests = kcalloc(count, sizeof(*nests), GFP_KERNEL);
		names = kcalloc(count, sizeof(*names), GFP_KERNEL);
		if (!nests || !names) {
			ret = -ENOMEM;
			goto out;
		}
		for (i = 0; i < count; i++) {
			nests[i] = entries[i].nest;
			names[i] = entries[i].name;
		}
	}

	ostune_actor_current(&who, OSTUNE_REASON_REQUEST);
	mutex_lock(&ostune_lock);
	ret = ostune_session_check_writer(info->snd_portid, &owner, &err);
	if (!ret && count) {
		ret = ostune_restore_named(nests, names, count, &who, &err);
	} else if (!ret) {
		ret = ostune_restore_all(&who);
		if (ret)
			ostune_err_set(&err, NULL,
				       "some knobs could not be restored (error %d), see the kernel log",
				       ret);
	}
	mutex_unlock(&ostune_lock);
	if (ret)
		set_error(info, &err);
out:
	kfree(names);
	kfree(nests);
	kfree(entries);
	return ret;
}

static int ostune_nl_session_open(struct sk_buff *skb, struct genl_info *info)
{
	struct ostune_session_info session;
	struct ostune_err err = {};
	u32 watchdog_ms = 0, id;
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

	mutex_lock(&ostune_lock);
	ret = ostune_session_open(info->snd_portid, watchdog_ms, &id, &err);
	if (!ret)
		ostune_session_get(&session);
	mutex_unlock(&ostune_lock);
	if (ret) {
		set_error(info, &err);
		nlmsg_free(msg);
		return ret;
	}

	hdr = genlmsg_put_reply(msg, info, &ostune_nl_family, 0,
				OSTUNE_CMD_SESSION_OPEN);
	if (!hdr)
		goto too_big;
	nest = nla_nest_start(msg, OSTUNE_A_SESSION);
	if (!nest ||
	    nla_put_u32(msg, OSTUNE_A_SESSION_ID, id) ||
	    nla_put_u32(msg, OSTUNE_A_SESSION_WATCHDOG_MS, session.watchdog_ms))
		goto too_big;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
too_big:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int ostune_nl_session_close(struct sk_buff *skb, struct genl_info *info)
{
	struct ostune_err err = {};
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	mutex_lock(&ostune_lock);
	ret = ostune_session_close(info->snd_portid, &err);
	mutex_unlock(&ostune_lock);
	if (ret)
		set_error(info, &err);
	return ret;
}

static int ostune_nl_heartbeat(struct sk_buff *skb, struct genl_info *info)
{
	struct ostune_err err = {};
	u32 watchdog_ms = 0;
	int ret;

	ret = require_sys_admin(skb, info);
	if (ret)
		return ret;
	if (info->attrs[OSTUNE_A_WATCHDOG_MS])
		watchdog_ms = nla_get_u32(info->attrs[OSTUNE_A_WATCHDOG_MS]);
	mutex_lock(&ostune_lock);
	ret = ostune_session_heartbeat(info->snd_portid, watchdog_ms, &err);
	mutex_unlock(&ostune_lock);
	if (ret)
		set_error(info, &err);
	return ret;
}

static int ostune_nl_get_knobs(struct sk_buff *skb, struct genl_info *info)
{
	struct ostune_apply_entry *entries;
	char value[OSTUNE_VALUE_MAX];
	char why[OSTUNE_MSG_MAX];
	struct ostune_err err = {};
	struct ostune_knob_file kf;
	struct ostune_knob knob;
	unsigned int count, i;
	struct nlattr *nest;
	struct sk_buff *msg;
	u32 flags = 0;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, OSTUNE_A_KNOB)) {
		GENL_SET_ERR_MSG(info, "no KNOB entries to read");
		return -EINVAL;
	}
	ret = collect_knobs(info, knob_name_policy, OSTUNE_A_KNOB_NAME, false,
			    &entries, &count);
	if (ret)
		return ret;
	msg = genlmsg_new(count * (nla_total_size(0) +
				   nla_total_size(OSTUNE_NAME_MAX) +
				   nla_total_size(OSTUNE_VALUE_MAX) +
				   nla_total_size(sizeof(u32))) + GENL_HDRLEN,
			  GFP_KERNEL);
	if (!msg) {
		ret = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &ostune_nl_family, 0,
				OSTUNE_CMD_GET_KNOBS);
	if (!hdr)
		goto too_big;
	/* Values the module holds itself (QoS requests) change under it. */
	mutex_lock(&ostune_lock);
	for (i = 0; i < count; i++) {
		ret = ostune_knob_parse(&knob, entries[i].name, why,
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
			mutex_unlock(&ostune_lock);
			ostune_err_set(&err, entries[i].nest,
				       "entry %u (%s): %s", i + 1,
				       entries[i].name, why);
			set_error(info, &err);
			nlmsg_free(msg);
			goto out;
		}
		nest = nla_nest_start(msg, OSTUNE_A_KNOB);
		if (!nest ||
		    nla_put_string(msg, OSTUNE_A_KNOB_NAME, knob.name) ||
		    nla_put_string(msg, OSTUNE_A_KNOB_VALUE, value) ||
		    (flags && nla_put_u32(msg, OSTUNE_A_KNOB_FLAGS, flags))) {
			mutex_unlock(&ostune_lock);
			goto too_big;
		}
		nla_nest_end(msg, nest);
	}
	mutex_unlock(&ostune_lock);
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
	goto out;
too_big:
	nlmsg_free(msg);
	ret = -EMSGSIZE;
out:
	kfree(entries);
	return ret;
}

static int put_status_summary(struct sk_buff *skb)
{
	struct ostune_session_info session;
	struct nlattr *nest;

	if (nla_put_u32(skb, OSTUNE_A_VERSION, OSTUNE_FAMILY_VERSION) ||
	    nla_put_string(skb, OSTUNE_A_MODULE_VERSION, OSTUNE_MODULE_VERSION) ||
	    nla_put_u32(skb, OSTUNE_A_HELD_COUNT, ostune_held_count))
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

/*
 * A dump: one summary message (versions, session, count), then one message
 * per held knob in order of first change. cb->args[0] counts the messages
 * already sent.
 */
static int ostune_nl_status_dump(struct sk_buff *skb,
				 struct netlink_callback *cb)
{
	const struct ostune_held *h;
	unsigned long sent = 0;
	void *hdr;
	int ret = 0;

	mutex_lock(&ostune_lock);
	if (!cb->args[0]) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ostune_nl_family,
				  NLM_F_MULTI, OSTUNE_CMD_GET_STATUS);
		if (!hdr || put_status_summary(skb)) {
			ret = -EMSGSIZE;
			goto unlock;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = 1;
	}
	list_for_each_entry(h, &ostune_held_list, node) {
		if (++sent < cb->args[0])
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ostune_nl_family,
				  NLM_F_MULTI, OSTUNE_CMD_GET_STATUS);
		if (!hdr)
			break;
		if (put_held_knob(skb, h)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	ret = skb->len;
unlock:
	mutex_unlock(&ostune_lock);
	return ret;
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
	{ .name = OSTUNE_MCGRP_EVENTS },
};

struct genl_family ostune_nl_family __ro_after_init = {
	.name		= OSTUNE_FAMILY_NAME,
	.version	= OSTUNE_FAMILY_VERSION,
	.module		= THIS_MODULE,
	.ops		= ostune_nl_ops,
	.n_ops		= ARRAY_SIZE(ostune_nl_ops),
	.resv_start_op	= OSTUNE_CMD_GET_STATUS,
	.mcgrps		= ostune_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ostune_nl_mcgrps),
};

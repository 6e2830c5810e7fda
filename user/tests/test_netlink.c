// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The client's message decoding on hand-built buffers: extended acks and
 * events; and how the monitor prints events.
 */
#include <errno.h>
#include <stdlib.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "knobs/eventfmt.h"
#include "lib/client.h"
#include "unit.h"

#define FAMILY_ID 0x1f

/* An APPLY request with two entries; *value_offs: the 2nd entry's VALUE. */
static struct nlmsghdr *build_apply(void *buf, uint32_t *value_offs)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;
	struct nlattr *nest;

	nlh->nlmsg_type = FAMILY_ID;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = 7;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = OSTUNE_CMD_APPLY;
	genl->version = OSTUNE_FAMILY_VERSION;
	nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, "sysctl.vm.swappiness");
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, "10");
	mnl_attr_nest_end(nlh, nest);
	nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, "sched.nr_migrate");
	*value_offs = nlh->nlmsg_len;
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, "-1");
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

/* The kernel's answer; echo_request: as without NETLINK_CAP_ACK. */
static struct nlmsghdr *build_error(void *buf, const struct nlmsghdr *req,
				    int error, const char *msg,
				    uint32_t offs, bool echo_request)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	size_t echoed = echo_request ? req->nlmsg_len - sizeof(*req) : 0;
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = echo_request ? 0 : NLM_F_CAPPED;
	nlh->nlmsg_seq = req->nlmsg_seq;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err) + echoed);
	err->error = error;
	err->msg = *req;
	memcpy(err + 1, (const char *)req + sizeof(*req), echoed);
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, offs);
	}
	return nlh;
}

static void extack_message_and_attr(struct test_ctx *t)
{
	char req_buf[1024], ack_buf[2048];
	struct ostune_client c = { 0 };
	struct nlmsghdr *req, *ack;
	uint32_t offs;

	req = build_apply(req_buf, &offs);
	ack = build_error(ack_buf, req, -ERANGE,
			  "entry 1 (sched.nr_migrate): '-1' is out of range",
			  offs, false);
	CHECK_INT(t, ostune_parse_ack(&c, ack, req), -ERANGE);
	CHECK_STR(t, c.err_msg,
		  "entry 1 (sched.nr_migrate): '-1' is out of range");
	CHECK_INT(t, c.err_attr_type, OSTUNE_A_KNOB_VALUE);
}

static void extack_after_echoed_request(struct test_ctx *t)
{
	char req_buf[1024], ack_buf[2048];
	struct ostune_client c = { 0 };
	struct nlmsghdr *req, *ack;
	uint32_t offs;

	req = build_apply(req_buf, &offs);
	/* the nest: its header and its NAME (24 bytes) before the VALUE */
	ack = build_error(ack_buf, req, -EINVAL, "entry 1: bad", offs - 28,
			  true);
	CHECK_INT(t, ostune_parse_ack(&c, ack, req), -EINVAL);
	CHECK_STR(t, c.err_msg, "entry 1: bad");
	CHECK_INT(t, c.err_attr_type, OSTUNE_A_KNOB);
}

static void success_ack_has_no_error(struct test_ctx *t)
{
	char req_buf[1024], ack_buf[2048];
	struct ostune_client c = { 0 };
	struct nlmsghdr *req, *ack;
	uint32_t offs;

	strcpy(c.err_msg, "stale");
	c.err_attr_type = 3;
	req = build_apply(req_buf, &offs);
	ack = build_error(ack_buf, req, 0, NULL, 0, false);
	CHECK_INT(t, ostune_parse_ack(&c, ack, req), 0);
	CHECK_STR(t, c.err_msg, "");
	CHECK_INT(t, c.err_attr_type, 0);
}

static void error_without_extack(struct test_ctx *t)
{
	char req_buf[1024], ack_buf[2048];
	struct ostune_client c = { 0 };
	struct nlmsghdr *req, *ack;
	uint32_t offs;

	req = build_apply(req_buf, &offs);
	ack = build_error(ack_buf, req, -EPERM, NULL, 0, false);
	CHECK_INT(t, ostune_parse_ack(&c, ack, req), -EPERM);
	CHECK_STR(t, c.err_msg, "");
	CHECK_INT(t, c.err_attr_type, 0);
}

static void offset_outside_request_ignored(struct test_ctx *t)
{
	char req_buf[1024], ack_buf[2048];
	struct ostune_client c = { 0 };
	struct nlmsghdr *req, *ack;
	uint32_t offs;

	req = build_apply(req_buf, &offs);
	ack = build_error(ack_buf, req, -EINVAL, "bad", req->nlmsg_len, false);
	CHECK_INT(t, ostune_parse_ack(&c, ack, req), -EINVAL);
	CHECK_STR(t, c.err_msg, "bad");
	CHECK_INT(t, c.err_attr_type, 0);
}

static void dump_done_carries_error(struct test_ctx *t)
{
	char buf[256];
	struct ostune_client c = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int *error;

	nlh->nlmsg_type = NLMSG_DONE;
	nlh->nlmsg_flags = NLM_F_MULTI | NLM_F_ACK_TLVS;
	error = mnl_nlmsg_put_extra_header(nlh, sizeof(*error));
	*error = -ENOSPC;
	mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, "too many");
	CHECK_INT(t, ostune_parse_ack(&c, nlh, NULL), -ENOSPC);
	CHECK_STR(t, c.err_msg, "too many");
}

static struct nlmsghdr *build_event(void *buf, uint32_t reason,
				    uint32_t txn, uint32_t flags)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;
	struct nlattr *nest;

	nlh->nlmsg_type = FAMILY_ID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = OSTUNE_CMD_EVENT;
	mnl_attr_put_u32(nlh, OSTUNE_A_REASON, reason);
	if (txn)
		mnl_attr_put_u32(nlh, OSTUNE_A_TXN_ID, txn);
	mnl_attr_put_u32(nlh, OSTUNE_A_PID, 812);
	mnl_attr_put_strz(nlh, OSTUNE_A_COMM, "ostune");
	nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, "sysctl.vm.swappiness");
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_OLD, "60");
	mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, "10");
	mnl_attr_put_u32(nlh, OSTUNE_A_KNOB_FLAGS, flags);
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static void event_decoded(struct test_ctx *t)
{
	char buf[1024];
	struct ostune_event ev;

	CHECK_INT(t, ostune_event_parse(build_event(buf, OSTUNE_REASON_APPLY,
						    3, 0), &ev), 0);
	CHECK_INT(t, ev.reason, OSTUNE_REASON_APPLY);
	CHECK_INT(t, ev.txn_id, 3);
	CHECK_INT(t, ev.pid, 812);
	CHECK_STR(t, ev.comm, "ostune");
	CHECK_STR(t, ev.name, "sysctl.vm.swappiness");
	CHECK_STR(t, ev.old, "60");
	CHECK_STR(t, ev.value, "10");
	CHECK_INT(t, ev.flags, 0);
}

static void non_event_refused(struct test_ctx *t)
{
	char buf[1024];
	struct ostune_event ev;
	struct nlmsghdr *nlh = build_event(buf, OSTUNE_REASON_APPLY, 3, 0);
	struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);

	genl->cmd = OSTUNE_CMD_GET_STATUS;
	CHECK_INT(t, ostune_event_parse(nlh, &ev), -EPROTO);
}

static const struct timespec noon = { .tv_sec = 1700049600,
				      .tv_nsec = 42000000 };

static void event_text_lines(struct test_ctx *t)
{
	char buf[1024], line[512];
	struct ostune_event ev;

	ostune_event_parse(build_event(buf, OSTUNE_REASON_APPLY, 3, 0), &ev);
	event_format_text(&ev, &noon, line, sizeof(line));
	CHECK_STR(t, line, "12:00:00.042 sysctl.vm.swappiness: 60 -> 10 "
		  "(pid 812 ostune, txn 3)");
	ostune_event_parse(build_event(buf, OSTUNE_REASON_WATCHDOG, 0, 0),
			   &ev);
	event_format_text(&ev, &noon, line, sizeof(line));
	CHECK_STR(t, line, "12:00:00.042 sysctl.vm.swappiness: 60 -> 10 "
		  "(pid 812 ostune, restore: watchdog)");
	ostune_event_parse(build_event(buf, OSTUNE_REASON_SOCKET_CLOSE, 0,
				       OSTUNE_KNOB_F_EXTERNAL), &ev);
	event_format_text(&ev, &noon, line, sizeof(line));
	CHECK_STR(t, line, "12:00:00.042 sysctl.vm.swappiness: left at 10, "
		  "changed externally (ostune wrote 60; restore: socket-close)");
}

static void event_json_keys(struct test_ctx *t)
{
	char buf[1024], *text;
	struct ostune_event ev;
	json_t *doc;

	ostune_event_parse(build_event(buf, OSTUNE_REASON_REQUEST, 0, 0), &ev);
	doc = event_to_json(&ev, &noon);
	text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	CHECK_STR(t, text, "{\"time\":\"2023-11-15T12:00:00.042Z\","
		  "\"reason\":\"request\",\"txn_id\":null,\"pid\":812,"
		  "\"comm\":\"ostune\",\"name\":\"sysctl.vm.swappiness\","
		  "\"old\":\"60\",\"value\":\"10\",\"external\":false,\"gone\":false}");
	free(text);
}

SUITE(netlink_suite, "netlink decoding and events",
	CASE(extack_message_and_attr),
	CASE(extack_after_echoed_request),
	CASE(success_ack_has_no_error),
	CASE(error_without_extack),
	CASE(offset_outside_request_ignored),
	CASE(dump_done_carries_error),
	CASE(event_decoded),
	CASE(non_event_refused),
	CASE(event_text_lines),
	CASE(event_json_keys),
);

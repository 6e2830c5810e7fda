// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Client for the ostune generic netlink family, on libmnl.
 *
 * Every request goes out with NLM_F_ACK and is answered by replies followed
 * by an ack (or, for a dump, NLMSG_DONE). The socket has NETLINK_EXT_ACK so
 * errors carry the module's message and the offset of the attribute it is
 * about, and NETLINK_CAP_ACK so the kernel does not echo our (possibly
 * large) request back: we keep the request and look the offset up in it.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>

#include <libmnl/libmnl.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "client.h"

struct ostune_pending_event {
	struct ostune_pending_event *next;
	struct ostune_event ev;
};

/* Requests built on the stack start zeroed: padding goes out as sent. */
#define ATTR_SPACE(payload)	MNL_ALIGN(MNL_ATTR_HDRLEN + (payload))
#define REQUEST_SPACE(attrs)	\
	(MNL_NLMSG_HDRLEN + MNL_ALIGN(sizeof(struct genlmsghdr)) + (attrs))

/* Copies a string attribute, failing on one without its NUL. */
static int copy_str_attr(char *dst, size_t size, const struct nlattr *attr)
{
	const char *s;
	size_t len;

	if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
		return -1;
	s = mnl_attr_get_str(attr);
	len = strnlen(s, size - 1);
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int get_u32_attr(uint32_t *dst, const struct nlattr *attr)
{
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return -1;
	*dst = mnl_attr_get_u32(attr);
	return 0;
}

/* Reports a malformed reply from inside an mnl callback. */
static int cb_fail(int err)
{
	errno = err;
	return MNL_CB_ERROR;
}

static uint32_t next_seq(struct ostune_client *c)
{
	/* seq 0 is what multicast messages carry; never use it for requests */
	if (++c->seq == 0)
		c->seq = 1;
	return c->seq;
}

/* ---- extended acks ---- */

int ostune_parse_ack(struct ostune_client *c, const struct nlmsghdr *ack,
		     const struct nlmsghdr *request)
{
	uint32_t offs;
	int error;

	error = ostune_nlmsg_error(ack, c->err_msg, sizeof(c->err_msg), &offs);
	c->err_attr_type = 0;
	/* 0 (no offset) is inside the header, so it names nothing */
	if (request && offs >= MNL_NLMSG_HDRLEN &&
	    offs <= request->nlmsg_len - MNL_ATTR_HDRLEN) {
		const struct nlattr *bad = (const void *)
			((const char *)request + offs);

		c->err_attr_type = mnl_attr_get_type(bad);
	}
	return error;
}

/* ---- receiving ---- */

/*
 * Reads one datagram into a buffer of its exact size (peeked first), so
 * that no reply is ever truncated however many knobs it lists.
 */
static ssize_t recv_datagram(struct ostune_client *c, void **bufp)
{
	int fd = mnl_socket_get_fd(c->sock);
	ssize_t len;
	void *buf;

	for (;;) {
		len = recv(fd, NULL, 0, MSG_PEEK | MSG_TRUNC);
		if (len < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		buf = malloc(len ? len : 1);
		if (!buf)
			return -ENOMEM;
		len = recv(fd, buf, len, 0);
		if (len >= 0) {
			*bufp = buf;
			return len;
		}
		free(buf);
		if (errno != EINTR)
			return -errno;
	}
}

static bool is_event(const struct ostune_client *c, const struct nlmsghdr *nlh)
{
	const struct genlmsghdr *genl;

	if (nlh->nlmsg_type != c->family_id ||
	    mnl_nlmsg_get_payload_len(nlh) < sizeof(*genl))
		return false;
	genl = mnl_nlmsg_get_payload(nlh);
	return genl->cmd == OSTUNE_CMD_EVENT;
}

static int event_knob_attr(const struct nlattr *attr, void *data)
{
	struct ostune_event *ev = data;
	int bad = 0;

	switch (mnl_attr_get_type(attr)) {
	case OSTUNE_A_KNOB_NAME:
		bad = copy_str_attr(ev->name, sizeof(ev->name), attr);
		break;
	case OSTUNE_A_KNOB_OLD:
		bad = copy_str_attr(ev->old, sizeof(ev->old), attr);
		break;
	case OSTUNE_A_KNOB_VALUE:
		bad = copy_str_attr(ev->value, sizeof(ev->value), attr);
		break;
	case OSTUNE_A_KNOB_FLAGS:
		bad = get_u32_attr(&ev->flags, attr);
		break;
	}
	return bad ? cb_fail(EPROTO) : MNL_CB_OK;
}

static int event_attr(const struct nlattr *attr, void *data)
{
	struct ostune_event *ev = data;
	int bad = 0;

	switch (mnl_attr_get_type(attr)) {
	case OSTUNE_A_REASON:
		bad = get_u32_attr(&ev->reason, attr);
		break;
	case OSTUNE_A_TXN_ID:
		bad = get_u32_attr(&ev->txn_id, attr);
		break;
	case OSTUNE_A_PID:
		bad = get_u32_attr(&ev->pid, attr);
		break;
	case OSTUNE_A_COMM:
		bad = copy_str_attr(ev->comm, sizeof(ev->comm), attr);
		break;
	case OSTUNE_A_KNOB:
		bad = mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		      mnl_attr_parse_nested(attr, event_knob_attr, ev) < 0;
		break;
	}
	return bad ? cb_fail(EPROTO) : MNL_CB_OK;
}

int ostune_event_parse(const struct nlmsghdr *nlh, struct ostune_event *ev)
{
	const struct genlmsghdr *genl;

	memset(ev, 0, sizeof(*ev));
	if (nlh->nlmsg_len < MNL_NLMSG_HDRLEN + sizeof(*genl))
		return -EPROTO;
	genl = mnl_nlmsg_get_payload(nlh);
	if (genl->cmd != OSTUNE_CMD_EVENT)
		return -EPROTO;
	if (mnl_attr_parse(nlh, sizeof(*genl), event_attr, ev) < 0 ||
	    !ev->name[0])
		return -EPROTO;
	return 0;
}

static void queue_event(struct ostune_client *c, const struct nlmsghdr *nlh)
{
	struct ostune_pending_event *p = calloc(1, sizeof(*p));

	/* A malformed or unstorable event is dropped like an overrun one. */
	if (!p)
		return;
	if (ostune_event_parse(nlh, &p->ev)) {
		free(p);
		return;
	}
	if (c->pending_tail)
		c->pending_tail->next = p;
	else
		c->pending_head = p;
	c->pending_tail = p;
}

static bool pop_event(struct ostune_client *c, struct ostune_event *ev)
{
	struct ostune_pending_event *p = c->pending_head;

	if (!p)
		return false;
	c->pending_head = p->next;
	if (!c->pending_head)
		c->pending_tail = NULL;
	*ev = p->ev;
	free(p);
	return true;
}

/* ---- requests ---- */

struct reply_state {
	const struct nlmsghdr *request;
	int (*cb)(const struct nlmsghdr *nlh, void *data);
	void *data;
	bool cb_stopped;
	int cb_error;
	bool finished;
	int result;
};

static void handle_reply(struct ostune_client *c, struct reply_state *st,
			 const struct nlmsghdr *nlh)
{
	int ret;

	switch (nlh->nlmsg_type) {
	case NLMSG_ERROR:
	case NLMSG_DONE:
		st->result = ostune_parse_ack(c, nlh, st->request);
		st->finished = true;
		return;
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		return;
	}
	if (!st->cb || st->cb_stopped || st->cb_error)
		return;
	errno = 0;
	ret = st->cb(nlh, st->data);
	if (ret == MNL_CB_STOP)
		st->cb_stopped = true;
	else if (ret < MNL_CB_STOP)
		st->cb_error = errno ? -errno : -EPROTO;
}

int ostune_transact(struct ostune_client *c, struct nlmsghdr *nlh,
		    int (*cb)(const struct nlmsghdr *nlh, void *data),
		    void *data)
{
	struct reply_state st = { .request = nlh, .cb = cb, .data = data };

	c->err_msg[0] = '\0';
	c->err_attr_type = 0;
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (mnl_socket_sendto(c->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;

	while (!st.finished) {
		const struct nlmsghdr *reply;
		void *buf;
		ssize_t len = recv_datagram(c, &buf);
		int left;

		/* An overrun by multicast events; our reply may still come. */
		if (len == -ENOBUFS)
			continue;
		if (len < 0)
			return len;
		left = len;
		for (reply = buf; mnl_nlmsg_ok(reply, left) && !st.finished;
		     reply = mnl_nlmsg_next(reply, &left)) {
			if (is_event(c, reply))
				queue_event(c, reply);
			/* Leftovers of an earlier, abandoned request. */
			else if (reply->nlmsg_seq == nlh->nlmsg_seq &&
				 reply->nlmsg_pid == c->portid)
				handle_reply(c, &st, reply);
		}
		free(buf);
	}
	return st.result ? st.result : st.cb_error;
}

struct nlmsghdr *ostune_msg_start(struct ostune_client *c, void *buf,
				  uint8_t cmd)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = c->family_id;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = next_seq(c);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = OSTUNE_FAMILY_VERSION;
	return nlh;
}


/*
 * A request of KNOB nests, sized from its strings: a transaction of 256
 * long values is far bigger than MNL_SOCKET_BUFFER_SIZE. values may be
 * NULL for name-only nests. Limits are the kernel's to enforce, so that
 * tests can see them enforced. Free *bufp.
 */
static struct nlmsghdr *knob_request(struct ostune_client *c, uint8_t cmd,
				     const char *const *names,
				     const char *const *values, size_t n,
				     void **bufp)
{
	size_t size = REQUEST_SPACE(0);
	struct nlmsghdr *nlh;
	size_t i;

	for (i = 0; i < n; i++) {
		size += ATTR_SPACE(0) + ATTR_SPACE(strlen(names[i]) + 1);
		if (values)
			size += ATTR_SPACE(strlen(values[i]) + 1);
	}
	*bufp = calloc(1, size);
	if (!*bufp)
		return NULL;
	nlh = ostune_msg_start(c, *bufp, cmd);
	for (i = 0; i < n; i++) {
		struct nlattr *nest = mnl_attr_nest_start(nlh, OSTUNE_A_KNOB);

		mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_NAME, names[i]);
		if (values)
			mnl_attr_put_strz(nlh, OSTUNE_A_KNOB_VALUE, values[i]);
		mnl_attr_nest_end(nlh, nest);
	}
	return nlh;
}

static int simple_request(struct ostune_client *c, uint8_t cmd)
{
	char buf[REQUEST_SPACE(0)] = { 0 };

	return ostune_transact(c, ostune_msg_start(c, buf, cmd), NULL, NULL);
}

/* ---- family resolution ---- */

struct mcast_lookup {
	const char *name;
	uint32_t id;
	bool named;
};

static int mcast_group_attr(const struct nlattr *attr, void *data)
{
	struct mcast_lookup *grp = data;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_MCAST_GRP_NAME:
		if (mnl_attr_validate(attr, MNL_TYPE_NUL_STRING) < 0)
			return cb_fail(EPROTO);
		grp->named = !strcmp(mnl_attr_get_str(attr), grp->name);
		break;
	case CTRL_ATTR_MCAST_GRP_ID:
		if (get_u32_attr(&grp->id, attr))
			return cb_fail(EPROTO);
		break;
	}
	return MNL_CB_OK;
}

static int family_attr(const struct nlattr *attr, void *data)
{
	struct ostune_client *c = data;
	const struct nlattr *group;

	switch (mnl_attr_get_type(attr)) {
	case CTRL_ATTR_FAMILY_ID:
		if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
			return cb_fail(EPROTO);
		c->family_id = mnl_attr_get_u16(attr);
		break;
	case CTRL_ATTR_MCAST_GROUPS:
		mnl_attr_for_each_nested(group, attr) {
			struct mcast_lookup grp = {
				.name = OSTUNE_MCGRP_EVENTS
			};

			if (mnl_attr_parse_nested(group, mcast_group_attr,
						  &grp) < 0)
				return MNL_CB_ERROR;
			if (grp.named)
				c->events_group = grp.id;
		}
		break;
	}
	return MNL_CB_OK;
}

static int family_reply(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), family_attr,
			      data);
}

static int resolve_family(struct ostune_client *c)
{
	char buf[REQUEST_SPACE(ATTR_SPACE(sizeof(OSTUNE_FAMILY_NAME)))] = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;
	int ret;

	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_seq = next_seq(c);
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = CTRL_CMD_GETFAMILY;
	genl->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, OSTUNE_FAMILY_NAME);
	ret = ostune_transact(c, nlh, family_reply, c);
	if (!ret && !c->family_id)
		ret = -EPROTO;
	return ret;
}

/* ---- connection ---- */

const int ostune_client_writes_sysroot;

int ostune_client_open(struct ostune_client *c)
{
	static const int options[] = { NETLINK_EXT_ACK, NETLINK_CAP_ACK };
	int one = 1;
	size_t i;
	int ret;

	memset(c, 0, sizeof(*c));
	c->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!c->sock)
		return -errno;
	for (i = 0; i < sizeof(options) / sizeof(options[0]); i++) {
		if (mnl_socket_setsockopt(c->sock, options[i], &one,
					  sizeof(one)) < 0)
			goto fail_errno;
	}
	if (mnl_socket_bind(c->sock, 0, MNL_SOCKET_AUTOPID) < 0)
		goto fail_errno;
	c->portid = mnl_socket_get_portid(c->sock);
	ret = resolve_family(c);
	if (ret)
		goto fail;
	return 0;

fail_errno:
	ret = -errno;
fail:
	ostune_client_close(c);
	return ret;
}

void ostune_client_close(struct ostune_client *c)
{
	struct ostune_event discard;

	while (pop_event(c, &discard))
		;
	if (c->sock)
		mnl_socket_close(c->sock);
	c->sock = NULL;
}

int ostune_client_fd(const struct ostune_client *c)
{
	return mnl_socket_get_fd(c->sock);
}

/* ---- status ---- */

static int session_attr(const struct nlattr *attr, void *data)
{
	struct ostune_status *st = data;
	int bad = 0;

	switch (mnl_attr_get_type(attr)) {
	case OSTUNE_A_SESSION_ID:
		bad = get_u32_attr(&st->session_id, attr);
		break;
	case OSTUNE_A_SESSION_PID:
		bad = get_u32_attr(&st->session_pid, attr);
		break;
	case OSTUNE_A_SESSION_COMM:
		bad = copy_str_attr(st->session_comm, sizeof(st->session_comm),
				    attr);
		break;
	case OSTUNE_A_SESSION_PORTID:
		bad = get_u32_attr(&st->session_portid, attr);
		break;
	case OSTUNE_A_SESSION_WATCHDOG_MS:
		bad = get_u32_attr(&st->watchdog_ms, attr);
		break;
	case OSTUNE_A_SESSION_REMAINING_MS:
		bad = get_u32_attr(&st->remaining_ms, attr);
		break;
	}
	return bad ? cb_fail(EPROTO) : MNL_CB_OK;
}

static int held_knob_attr(const struct nlattr *attr, void *data)
{
	struct ostune_held_knob *k = data;
	int bad = 0;

	switch (mnl_attr_get_type(attr)) {
	case OSTUNE_A_KNOB_NAME:
		bad = copy_str_attr(k->name, sizeof(k->name), attr);
		break;
	case OSTUNE_A_KNOB_ORIGINAL:
		bad = copy_str_attr(k->original, sizeof(k->original), attr);
		break;
	case OSTUNE_A_KNOB_LAST_WRITTEN:
		bad = copy_str_attr(k->last_written, sizeof(k->last_written),
				    attr);
		break;
	case OSTUNE_A_KNOB_VALUE:
		bad = copy_str_attr(k->current, sizeof(k->current), attr);
		break;
	case OSTUNE_A_KNOB_FLAGS:
		bad = get_u32_attr(&k->flags, attr);
		break;
	}
	return bad ? cb_fail(EPROTO) : MNL_CB_OK;
}

static int add_held_knob(struct ostune_status *st, const struct nlattr *nest)
{
	struct ostune_held_knob *grown;

	grown = realloc(st->held, (st->nheld + 1) * sizeof(*st->held));
	if (!grown)
		return cb_fail(ENOMEM);
	st->held = grown;
	memset(&st->held[st->nheld], 0, sizeof(*st->held));
	if (mnl_attr_validate(nest, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(nest, held_knob_attr,
				  &st->held[st->nheld]) < 0)
		return cb_fail(EPROTO);
	st->nheld++;
	return MNL_CB_OK;
}

static int status_attr(const struct nlattr *attr, void *data)
{
	struct ostune_status *st = data;
	int bad = 0;

	switch (mnl_attr_get_type(attr)) {
	case OSTUNE_A_VERSION:
		bad = get_u32_attr(&st->version, attr);
		break;
	case OSTUNE_A_MODULE_VERSION:
		bad = copy_str_attr(st->module_version,
				    sizeof(st->module_version), attr);
		break;
	case OSTUNE_A_HELD_COUNT:
		bad = get_u32_attr(&st->held_count, attr);
		break;
	case OSTUNE_A_SESSION:
		st->has_session = 1;
		bad = mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
		      mnl_attr_parse_nested(attr, session_attr, st) < 0;
		break;
	case OSTUNE_A_KNOB:
		return add_held_knob(st, attr);
	}
	return bad ? cb_fail(EPROTO) : MNL_CB_OK;
}

/* A dumped status comes in several messages; each adds to st. */
static int status_reply(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), status_attr,
			      data);
}

/* The module serves status as a dump: a summary, then one message per
 * held knob, so any number of held knobs fits.
 */
int ostune_get_status(struct ostune_client *c, struct ostune_status *st)
{
	char buf[REQUEST_SPACE(0)] = { 0 };
	struct nlmsghdr *nlh = ostune_msg_start(c, buf, OSTUNE_CMD_GET_STATUS);
	int ret;

	memset(st, 0, sizeof(*st));
	nlh->nlmsg_flags |= NLM_F_DUMP;
	ret = ostune_transact(c, nlh, status_reply, st);
	if (ret)
		ostune_status_free(st);
	return ret;
}

void ostune_status_free(struct ostune_status *st)
{
	free(st->held);
	st->held = NULL;
	st->nheld = 0;
}

/* ---- knob values ---- */

struct knob_values {
	struct ostune_knob_value *out;
	size_t n;
	size_t got;
};

static int knob_value_attr(const struct nlattr *attr, void *data)
{
	struct ostune_knob_value *kv = data;
	int bad = 0;

	switch (mnl_attr_get_type(attr)) {
	case OSTUNE_A_KNOB_NAME:
		bad = copy_str_attr(kv->name, sizeof(kv->name), attr);
		break;
	case OSTUNE_A_KNOB_VALUE:
		bad = copy_str_attr(kv->value, sizeof(kv->value), attr);
		break;
	case OSTUNE_A_KNOB_FLAGS:
		bad = get_u32_attr(&kv->flags, attr);
		break;
	}
	return bad ? cb_fail(EPROTO) : MNL_CB_OK;
}

static int knob_values_attr(const struct nlattr *attr, void *data)
{
	struct knob_values *kv = data;

	if (mnl_attr_get_type(attr) != OSTUNE_A_KNOB)
		return MNL_CB_OK;
	if (kv->got == kv->n || mnl_attr_validate(attr, MNL_TYPE_NESTED) < 0 ||
	    mnl_attr_parse_nested(attr, knob_value_attr,
				  &kv->out[kv->got]) < 0)
		return cb_fail(EPROTO);
	kv->got++;
	return MNL_CB_OK;
}

static int knob_values_reply(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), knob_values_attr,
			      data);
}

int ostune_get_knobs(struct ostune_client *c, const char *const *names,
		     size_t n, struct ostune_knob_value *out)
{
	struct knob_values kv = { .out = out, .n = n };
	struct nlmsghdr *nlh;
	void *buf;
	int ret;

	if (n)
		memset(out, 0, n * sizeof(*out));
	nlh = knob_request(c, OSTUNE_CMD_GET_KNOBS, names, NULL, n, &buf);
	if (!nlh)
		return -ENOMEM;
	ret = ostune_transact(c, nlh, knob_values_reply, &kv);
	free(buf);
	if (!ret && kv.got != n)
		ret = -EPROTO;
	return ret;
}

/* ---- writers ---- */

int ostune_session_open(struct ostune_client *c, uint32_t watchdog_ms)
{
	char buf[REQUEST_SPACE(ATTR_SPACE(sizeof(uint32_t)))] = { 0 };
	struct nlmsghdr *nlh = ostune_msg_start(c, buf, OSTUNE_CMD_SESSION_OPEN);

	/* 0 leaves the lease to the module's default_watchdog_ms */
	if (watchdog_ms)
		mnl_attr_put_u32(nlh, OSTUNE_A_WATCHDOG_MS, watchdog_ms);
	return ostune_transact(c, nlh, NULL, NULL);
}

int ostune_session_close(struct ostune_client *c)
{
	return simple_request(c, OSTUNE_CMD_SESSION_CLOSE);
}

int ostune_heartbeat(struct ostune_client *c)
{
	return simple_request(c, OSTUNE_CMD_HEARTBEAT);
}

static int txn_id_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) != OSTUNE_A_TXN_ID)
		return MNL_CB_OK;
	return get_u32_attr(data, attr) ? cb_fail(EPROTO) : MNL_CB_OK;
}

static int txn_id_reply(const struct nlmsghdr *nlh, void *data)
{
	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), txn_id_attr,
			      data);
}

int ostune_apply(struct ostune_client *c, const struct ostune_kv *entries,
		 size_t n, uint32_t *txn_id)
{
	const char **names = calloc(n ? n : 1, sizeof(*names));
	const char **values = calloc(n ? n : 1, sizeof(*values));
	struct nlmsghdr *nlh = NULL;
	uint32_t id = 0;
	void *buf = NULL;
	size_t i;
	int ret = -ENOMEM;

	if (!names || !values)
		goto out;
	for (i = 0; i < n; i++) {
		names[i] = entries[i].name;
		values[i] = entries[i].value;
	}
	nlh = knob_request(c, OSTUNE_CMD_APPLY, names, values, n, &buf);
	if (!nlh)
		goto out;
	ret = ostune_transact(c, nlh, txn_id_reply, &id);
	if (!ret && txn_id)
		*txn_id = id;
out:
	free(buf);
	free(names);
	free(values);
	return ret;
}

int ostune_restore(struct ostune_client *c, const char *const *names, size_t n)
{
	struct nlmsghdr *nlh;
	void *buf;
	int ret;

	nlh = knob_request(c, OSTUNE_CMD_RESTORE, names, NULL, n, &buf);
	if (!nlh)
		return -ENOMEM;
	ret = ostune_transact(c, nlh, NULL, NULL);
	free(buf);
	return ret;
}

/* ---- events ---- */

int ostune_subscribe_events(struct ostune_client *c)
{
	if (!c->events_group)
		return -ENOENT;
	if (mnl_socket_setsockopt(c->sock, NETLINK_ADD_MEMBERSHIP,
				  &c->events_group,
				  sizeof(c->events_group)) < 0)
		return -errno;
	return 0;
}

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int ostune_next_event(struct ostune_client *c, struct ostune_event *ev,
		      int timeout_ms)
{
	int64_t deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	struct pollfd pfd = { .fd = mnl_socket_get_fd(c->sock),
			      .events = POLLIN };

	for (;;) {
		const struct nlmsghdr *nlh;
		int wait = -1;
		ssize_t len;
		void *buf;
		int left;

		if (pop_event(c, ev))
			return 1;
		if (timeout_ms >= 0) {
			int64_t left_ms = deadline - now_ms();

			wait = left_ms > 0 ? (int)left_ms : 0;
		}
		switch (poll(&pfd, 1, wait)) {
		case -1:
			return -errno;
		case 0:
			return 0;
		}
		len = recv_datagram(c, &buf);
		if (len < 0)
			return len;
		left = len;
		for (nlh = buf; mnl_nlmsg_ok(nlh, left);
		     nlh = mnl_nlmsg_next(nlh, &left)) {
			if (is_event(c, nlh))
				queue_event(c, nlh);
		}
		free(buf);
	}
}

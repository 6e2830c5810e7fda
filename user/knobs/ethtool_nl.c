// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The coalescing parameters and ring sizes of a network device, from the
 * kernel's ethtool generic netlink family (libmnl): what `ethtool -c` and
 * `ethtool -g` show, without running ethtool. The attribute numbers are
 * the uapi's, the same on every kernel since 5.6; attributes a later
 * kernel adds (6.12's CQE modes, profiles) are not knobs and are skipped.
 * Reading an answer (ethtool_nl_parse) is apart from the socket, so the
 * unit tests give it replies built by hand.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>

#include "knobs/ethtool_nl.h"
#include "lib/client.h"

struct ethtool_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
	/* why the last open or query failed: ethtool_nl_message() */
	char msg[256];
};

/*
 * ETHTOOL_A_COALESCE_* to the module's names, with the type the uapi gives
 * each: a reply's attribute must be exactly that size.
 */
static const struct {
	uint16_t attr;
	enum mnl_attr_data_type type;
	const char *param;
} coalesce_attrs[] = {
	{ ETHTOOL_A_COALESCE_RX_USECS, MNL_TYPE_U32, "rx_usecs" },
	{ ETHTOOL_A_COALESCE_RX_MAX_FRAMES, MNL_TYPE_U32, "rx_frames" },
	{ ETHTOOL_A_COALESCE_RX_USECS_IRQ, MNL_TYPE_U32, "rx_usecs_irq" },
	{ ETHTOOL_A_COALESCE_RX_MAX_FRAMES_IRQ, MNL_TYPE_U32, "rx_frames_irq" },
	{ ETHTOOL_A_COALESCE_TX_USECS, MNL_TYPE_U32, "tx_usecs" },
	{ ETHTOOL_A_COALESCE_TX_MAX_FRAMES, MNL_TYPE_U32, "tx_frames" },
	{ ETHTOOL_A_COALESCE_TX_USECS_IRQ, MNL_TYPE_U32, "tx_usecs_irq" },
	{ ETHTOOL_A_COALESCE_TX_MAX_FRAMES_IRQ, MNL_TYPE_U32, "tx_frames_irq" },
	{ ETHTOOL_A_COALESCE_STATS_BLOCK_USECS, MNL_TYPE_U32,
	  "stats_block_usecs" },
	{ ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, MNL_TYPE_U8, "adaptive_rx" },
	{ ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX, MNL_TYPE_U8, "adaptive_tx" },
	{ ETHTOOL_A_COALESCE_PKT_RATE_LOW, MNL_TYPE_U32, "pkt_rate_low" },
	{ ETHTOOL_A_COALESCE_RX_USECS_LOW, MNL_TYPE_U32, "rx_usecs_low" },
	{ ETHTOOL_A_COALESCE_RX_MAX_FRAMES_LOW, MNL_TYPE_U32, "rx_frames_low" },
	{ ETHTOOL_A_COALESCE_TX_USECS_LOW, MNL_TYPE_U32, "tx_usecs_low" },
	{ ETHTOOL_A_COALESCE_TX_MAX_FRAMES_LOW, MNL_TYPE_U32, "tx_frames_low" },
	{ ETHTOOL_A_COALESCE_PKT_RATE_HIGH, MNL_TYPE_U32, "pkt_rate_high" },
	{ ETHTOOL_A_COALESCE_RX_USECS_HIGH, MNL_TYPE_U32, "rx_usecs_high" },
	{ ETHTOOL_A_COALESCE_RX_MAX_FRAMES_HIGH, MNL_TYPE_U32,
	  "rx_frames_high" },
	{ ETHTOOL_A_COALESCE_TX_USECS_HIGH, MNL_TYPE_U32, "tx_usecs_high" },
	{ ETHTOOL_A_COALESCE_TX_MAX_FRAMES_HIGH, MNL_TYPE_U32,
	  "tx_frames_high" },
	{ ETHTOOL_A_COALESCE_RATE_SAMPLE_INTERVAL, MNL_TYPE_U32,
	  "sample_interval" },
};

bool nic_coal_answer_set(struct nic_coal_answer *a, const char *param,
			 uint32_t value, uint32_t max)
{
	size_t i;

	for (i = 0; i < KNOB_NIC_COAL_NPARAMS; i++) {
		if (strcmp(knob_nic_coal_params[i].name, param))
			continue;
		a->params[i].present = true;
		a->params[i].value = value;
		a->params[i].max = max;
		return true;
	}
	return false;
}

/*
 * One reply being read: what the attribute callback fills, where the
 * attributes read so far end, and what was wrong with the reply.
 */
struct parse {
	mnl_attr_cb_t attr_cb;
	void *data;
	const char *end;
	char *msg;
	size_t msglen;
};

/* Fails the reply from inside a callback, saying why in p->msg. */
static int malformed(struct parse *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int malformed(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->msg, p->msglen, fmt, ap);
	va_end(ap);
	errno = EPROTO;
	return MNL_CB_ERROR;
}

/*
 * A reply's u32 or u8 attribute (type) as a number. The size must be the
 * type's: a u32 attribute with a 1-byte payload is not a small number but
 * a reply this code cannot read, so it fails the reply.
 */
static int attr_number(struct parse *p, const struct nlattr *attr,
		       enum mnl_attr_data_type type, const char *param,
		       uint32_t *v)
{
	size_t want = type == MNL_TYPE_U8 ? 1 : 4;

	if (mnl_attr_validate(attr, type) < 0)
		return malformed(p, "attribute %u (%s) has a %u-byte payload, not %zu",
				 mnl_attr_get_type(attr), param,
				 mnl_attr_get_payload_len(attr), want);
	*v = type == MNL_TYPE_U8 ? mnl_attr_get_u8(attr) :
				   mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

/*
 * COALESCE_GET_REPLY: each parameter in coalesce_attrs present with its
 * value. Others (the header, 6.12's CQE modes, aggregation, nested DIM
 * profiles) are not knobs and are skipped unread.
 */
static int coalesce_attr(const struct nlattr *attr, void *data)
{
	struct parse *p = data;
	uint16_t type = mnl_attr_get_type(attr);
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(coalesce_attrs) / sizeof(coalesce_attrs[0]); i++) {
		if (coalesce_attrs[i].attr != type)
			continue;
		if (attr_number(p, attr, coalesce_attrs[i].type,
				coalesce_attrs[i].param, &v) != MNL_CB_OK)
			return MNL_CB_ERROR;
		nic_coal_answer_set(p->data, coalesce_attrs[i].param, v, 0);
	}
	return MNL_CB_OK;
}

/* The rings' sizes and maxima as they come, then as answers. */
struct rings {
	uint32_t rx, rx_max, tx, tx_max;
};

static int rings_attr(const struct nlattr *attr, void *data)
{
	struct parse *p = data;
	struct rings *r = p->data;
	uint32_t *field = NULL;
	const char *name = NULL;

	switch (mnl_attr_get_type(attr)) {
	case ETHTOOL_A_RINGS_RX:
		field = &r->rx;
		name = "rx";
		break;
	case ETHTOOL_A_RINGS_RX_MAX:
		field = &r->rx_max;
		name = "rx_max";
		break;
	case ETHTOOL_A_RINGS_TX:
		field = &r->tx;
		name = "tx";
		break;
	case ETHTOOL_A_RINGS_TX_MAX:
		field = &r->tx_max;
		name = "tx_max";
		break;
	}
	return field ? attr_number(p, attr, MNL_TYPE_U32, name, field) :
		       MNL_CB_OK;
}

static int family_attr(const struct nlattr *attr, void *data)
{
	struct parse *p = data;
	uint16_t *family = p->data;

	if (mnl_attr_get_type(attr) != CTRL_ATTR_FAMILY_ID)
		return MNL_CB_OK;
	if (mnl_attr_validate(attr, MNL_TYPE_U16) < 0)
		return malformed(p, "the family id has a %u-byte payload, not 2",
				 mnl_attr_get_payload_len(attr));
	*family = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

/* Notes where the attributes read so far end, then reads this one. */
static int walk_attr(const struct nlattr *attr, void *data)
{
	struct parse *p = data;

	p->end = (const char *)attr + MNL_ALIGN(attr->nla_len);
	return p->attr_cb(attr, data);
}

/*
 * What a reply must be: the family's message type and reply command, and
 * the sequence number and port of the request it answers.
 */
struct expect {
	uint16_t type;
	uint8_t cmd;
	uint32_t seq;
	uint32_t portid;
};

/*
 * The reply's attributes, each to p->attr_cb. mnl_attr_parse() stops
 * quietly at an attribute that is shorter than its header or runs past
 * the message, so the end of the last one read is checked against the
 * message's: a truncated attribute fails the reply rather than hiding
 * the rest.
 */
static int parse_attrs(const struct nlmsghdr *nlh, struct parse *p)
{
	const char *tail = mnl_nlmsg_get_payload_tail(nlh);

	p->end = mnl_nlmsg_get_payload_offset(nlh, GENL_HDRLEN);
	if (mnl_attr_parse(nlh, GENL_HDRLEN, walk_attr, p) < 0)
		return -EPROTO;
	if (p->end != tail) {
		snprintf(p->msg, p->msglen,
			 "a truncated attribute at byte %td of %u",
			 p->end - (const char *)nlh, nlh->nlmsg_len);
		return -EPROTO;
	}
	return 0;
}

/* One message of the answer: 1 the reply read, 0 none, or -errno. */
static int parse_msg(const struct nlmsghdr *nlh, const struct expect *x,
		     struct parse *p)
{
	const struct genlmsghdr *genl = mnl_nlmsg_get_payload(nlh);
	uint32_t offs;

	/* no multicast group is joined: everything answers this request */
	if (nlh->nlmsg_seq != x->seq || nlh->nlmsg_pid != x->portid) {
		snprintf(p->msg, p->msglen,
			 "a message for sequence %u port %u, not %u port %u",
			 nlh->nlmsg_seq, nlh->nlmsg_pid, x->seq, x->portid);
		return -EPROTO;
	}
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
		return 0;
	case NLMSG_ERROR:
		if (mnl_nlmsg_get_payload_len(nlh) < sizeof(struct nlmsgerr)) {
			snprintf(p->msg, p->msglen,
				 "an error message too short for its error");
			return -EPROTO;
		}
		/* 0, an ack, is no reply; an error ends the answer */
		return ostune_nlmsg_error(nlh, p->msg, p->msglen, &offs);
	}
	if (nlh->nlmsg_type != x->type) {
		snprintf(p->msg, p->msglen, "a message of type %u, not %u",
			 nlh->nlmsg_type, x->type);
		return -EPROTO;
	}
	if (mnl_nlmsg_get_payload_len(nlh) < GENL_HDRLEN) {
		snprintf(p->msg, p->msglen, "a reply without its genetlink header");
		return -EPROTO;
	}
	if (genl->cmd != x->cmd) {
		snprintf(p->msg, p->msglen, "a reply of command %u, not %u",
			 genl->cmd, x->cmd);
		return -EPROTO;
	}
	return parse_attrs(nlh, p) < 0 ? -EPROTO : 1;
}

/*
 * The answer to one request (buf, len: one datagram) through p: 0 once
 * its reply is read, or -errno: the kernel's error (with its extack
 * message in p->msg), or -EPROTO when the answer is not a reply that
 * can be read (p->msg says why).
 */
static int parse_answer(const void *buf, size_t len, const struct expect *x,
			struct parse *p)
{
	const struct nlmsghdr *nlh = buf;
	int left = (int)len;
	bool replied = false;
	int ret;

	p->msg[0] = '\0';
	/* libmnl counts what is left in an int */
	if (len > INT_MAX) {
		snprintf(p->msg, p->msglen, "an answer of %zu bytes", len);
		return -EPROTO;
	}
	for (; mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left)) {
		/* libmnl walks attributes to the padded end, not nlmsg_len */
		if (MNL_ALIGN(nlh->nlmsg_len) > (unsigned int)left) {
			snprintf(p->msg, p->msglen,
				 "a message of %u bytes without its padding",
				 nlh->nlmsg_len);
			return -EPROTO;
		}
		ret = parse_msg(nlh, x, p);
		if (ret < 0)
			return ret;
		replied |= ret;
	}
	if (left > 0) {
		snprintf(p->msg, p->msglen,
			 "a message truncated: %d of %zu bytes left unread",
			 left, len);
		return -EPROTO;
	}
	if (!replied) {
		snprintf(p->msg, p->msglen, "no reply");
		return -EPROTO;
	}
	return 0;
}

int ethtool_nl_parse(const void *buf, size_t len,
		     const struct ethtool_nl_request *req,
		     struct nic_coal_answer *a, char *msg, size_t msglen)
{
	struct nic_coal_answer got = *a;
	struct rings rings = { 0 };
	struct expect x = { req->family, 0, req->seq, req->portid };
	struct parse p = { coalesce_attr, &got, NULL, msg, msglen };
	int ret;

	switch (req->cmd) {
	case ETHTOOL_MSG_COALESCE_GET:
		x.cmd = ETHTOOL_MSG_COALESCE_GET_REPLY;
		break;
	case ETHTOOL_MSG_RINGS_GET:
		x.cmd = ETHTOOL_MSG_RINGS_GET_REPLY;
		p.attr_cb = rings_attr;
		p.data = &rings;
		break;
	default:
		snprintf(msg, msglen, "command %u is not asked here", req->cmd);
		return -EINVAL;
	}
	ret = parse_answer(buf, len, &x, &p);
	if (ret)
		return ret;
	if (rings.rx_max)
		nic_coal_answer_set(&got, "rx_ring", rings.rx, rings.rx_max);
	if (rings.tx_max)
		nic_coal_answer_set(&got, "tx_ring", rings.tx, rings.tx_max);
	*a = got;
	return 0;
}

/*
 * Sends one request (cmd with a nested header naming the device, or the
 * controller's family lookup) and receives its answer into buf
 * (MNL_SOCKET_BUFFER_SIZE bytes): its length, or -errno.
 */
static ssize_t transact(struct ethtool_nl *e, uint16_t type, uint8_t cmd,
			uint16_t attr, const char *text, uint32_t seq, void *buf)
{
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	ssize_t n;

	/* zeroed: libmnl leaves an attribute's alignment padding as it finds it */
	memset(buf, 0, MNL_SOCKET_BUFFER_SIZE);
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = type;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = seq;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = type == GENL_ID_CTRL ? 1 : ETHTOOL_GENL_VERSION;
	if (type == GENL_ID_CTRL) {
		mnl_attr_put_strz(nlh, attr, text);
	} else {
		nest = mnl_attr_nest_start(nlh, attr);
		mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, text);
		mnl_attr_nest_end(nlh, nest);
	}
	if (mnl_socket_sendto(e->sock, nlh, nlh->nlmsg_len) < 0)
		return -errno;
	n = mnl_socket_recvfrom(e->sock, buf, MNL_SOCKET_BUFFER_SIZE);
	return n < 0 ? -errno : n;
}

/* The next request's sequence number: never 0, which a reply never has. */
static uint32_t next_seq(struct ethtool_nl *e)
{
	if (++e->seq == 0)
		e->seq = 1;
	return e->seq;
}

/* Asks ifname's cmd and reads the answer into a: 0 or -errno. */
static int ask(struct ethtool_nl *e, void *buf, uint8_t cmd, uint16_t attr,
	       const char *ifname, struct nic_coal_answer *a, char *msg,
	       size_t msglen)
{
	struct ethtool_nl_request req = { e->family, cmd, next_seq(e),
					  e->portid };
	ssize_t n;

	msg[0] = '\0';
	n = transact(e, e->family, cmd, attr, ifname, req.seq, buf);
	if (n < 0)
		return n;
	return ethtool_nl_parse(buf, n, &req, a, msg, msglen);
}

int ethtool_nl_open(struct ethtool_nl **out)
{
	struct ethtool_nl *e = calloc(1, sizeof(*e));
	struct parse p = { family_attr, NULL, NULL, NULL, 0 };
	struct expect x = { GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, 0, 0 };
	int on = 1;
	void *buf;
	ssize_t n;
	int ret;

	if (!e)
		return -ENOMEM;
	p.data = &e->family;
	p.msg = e->msg;
	p.msglen = sizeof(e->msg);
	e->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!e->sock || mnl_socket_bind(e->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		ethtool_nl_close(e);
		return ret;
	}
	e->portid = mnl_socket_get_portid(e->sock);
	/*
	 * The kernel's message with each error (extack), and our request
	 * not echoed in it. Both options are older than ethtool netlink
	 * (5.6): where they fail, only the messages are lost.
	 */
	mnl_socket_setsockopt(e->sock, NETLINK_EXT_ACK, &on, sizeof(on));
	mnl_socket_setsockopt(e->sock, NETLINK_CAP_ACK, &on, sizeof(on));
	buf = malloc(MNL_SOCKET_BUFFER_SIZE);
	x.seq = next_seq(e);
	x.portid = e->portid;
	n = buf ? transact(e, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
			   CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME, x.seq,
			   buf) : -ENOMEM;
	ret = n < 0 ? n : parse_answer(buf, n, &x, &p);
	free(buf);
	if (!ret && !e->family)
		ret = -EPROTO;
	if (ret) {
		ethtool_nl_close(e);
		return ret;
	}
	*out = e;
	return 0;
}

void ethtool_nl_close(struct ethtool_nl *e)
{
	if (!e)
		return;
	if (e->sock)
		mnl_socket_close(e->sock);
	free(e);
}

int ethtool_nl_query(void *ctx, const char *ifname, struct nic_coal_answer *a)
{
	struct ethtool_nl *e = ctx;
	struct nic_coal_answer got = *a;
	char ring_msg[sizeof(e->msg)];
	int coal_ret, ring_ret;
	void *buf;

	e->msg[0] = '\0';
	buf = malloc(MNL_SOCKET_BUFFER_SIZE);
	if (!buf)
		return -ENOMEM;
	coal_ret = ask(e, buf, ETHTOOL_MSG_COALESCE_GET,
		       ETHTOOL_A_COALESCE_HEADER, ifname, &got, e->msg,
		       sizeof(e->msg));
	ring_ret = ask(e, buf, ETHTOOL_MSG_RINGS_GET, ETHTOOL_A_RINGS_HEADER,
		       ifname, &got, ring_msg, sizeof(ring_msg));
	free(buf);
	/*
	 * A device may say no to one question (lo has no coalescing), but a
	 * reply that cannot be read makes neither answer trusted.
	 */
	if (ring_ret == -EPROTO && coal_ret != -EPROTO) {
		memcpy(e->msg, ring_msg, sizeof(e->msg));
		return ring_ret;
	}
	if (coal_ret == -EPROTO || (coal_ret && ring_ret))
		return coal_ret;
	e->msg[0] = '\0';
	*a = got;
	return 0;
}

const char *ethtool_nl_message(const struct ethtool_nl *e)
{
	return e->msg;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ethtool netlink client's reading of the kernel's answers
 * (knobs/ethtool_nl.c, ethtool_nl_parse) on replies built by hand as
 * net/ethtool/ builds them: values read back exactly, kernel errors with
 * their extack message, and every answer that is not a readable reply
 * refused with a unchanged. The live socket is tested in test_hwdiscover.c.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "knobs/ethtool_nl.h"
#include "unit.h"

/* the ethtool family's id as the controller gave it, and the request's */
#define FAMILY 0x14
#define SEQ 7
#define PORTID 4242

/*
 * 6.12's coalescing attributes (after 6.1's USE_CQE_MODE_RX, 25), which
 * the 6.1 uapi headers these tests build with do not name.
 */
#define COALESCE_TX_AGGR_MAX_BYTES	26
#define COALESCE_RX_PROFILE		29
#define PROFILE_IRQ_MODERATION		1
#define IRQ_MODERATION_USEC		1
#define IRQ_MODERATION_PKTS		2
#define IRQ_MODERATION_COMPS		3

static const struct ethtool_nl_request coalesce_req = {
	FAMILY, ETHTOOL_MSG_COALESCE_GET, SEQ, PORTID
};
static const struct ethtool_nl_request rings_req = {
	FAMILY, ETHTOOL_MSG_RINGS_GET, SEQ, PORTID
};

/* Room for an answer, zeroed: libmnl leaves padding as it finds it. */
struct answer_buf {
	union {
		char bytes[2048];
		struct nlmsghdr align;
	};
};

/* A nest as the kernel's nla_nest_start() makes it: NLA_F_NESTED set. */
static struct nlattr *nest_start(struct nlmsghdr *nlh, uint16_t type)
{
	struct nlattr *nest = mnl_attr_nest_start(nlh, type);

	nest->nla_type |= NLA_F_NESTED;
	return nest;
}

/*
 * A reply's start, as ethnl_default_doit() builds it for this socket:
 * the family, the reply command, the request's sequence and port, and
 * the device's header nest (header_attr).
 */
static struct nlmsghdr *reply_start(void *buf, uint8_t cmd,
				    uint16_t header_attr)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct genlmsghdr *genl;
	struct nlattr *nest;

	nlh->nlmsg_type = FAMILY;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	genl = mnl_nlmsg_put_extra_header(nlh, sizeof(*genl));
	genl->cmd = cmd;
	genl->version = ETHTOOL_GENL_VERSION;
	nest = nest_start(nlh, header_attr);
	mnl_attr_put_u32(nlh, ETHTOOL_A_HEADER_DEV_INDEX, 2);
	mnl_attr_put_strz(nlh, ETHTOOL_A_HEADER_DEV_NAME, "eth0");
	mnl_attr_nest_end(nlh, nest);
	return nlh;
}

static struct nlmsghdr *coalesce_start(void *buf)
{
	return reply_start(buf, ETHTOOL_MSG_COALESCE_GET_REPLY,
			   ETHTOOL_A_COALESCE_HEADER);
}

/*
 * An e1000e-like COALESCE_GET reply: rx_usecs 3, rx_frames 0 (present:
 * supported), tx_usecs 70000, adaptive rx on, adaptive tx off, and
 * sample_interval at the u32's top, read back as it is.
 */
static struct nlmsghdr *good_coalesce(void *buf)
{
	struct nlmsghdr *nlh = coalesce_start(buf);

	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_RX_USECS, 3);
	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_RX_MAX_FRAMES, 0);
	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_TX_USECS, 70000);
	mnl_attr_put_u8(nlh, ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, 1);
	mnl_attr_put_u8(nlh, ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX, 0);
	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_RATE_SAMPLE_INTERVAL,
			 UINT32_MAX);
	return nlh;
}

/* A RINGS_GET reply: rx 256 of 4096, tx 248 of 1024, and what 6.1 adds. */
static struct nlmsghdr *good_rings(void *buf)
{
	struct nlmsghdr *nlh = reply_start(buf, ETHTOOL_MSG_RINGS_GET_REPLY,
					   ETHTOOL_A_RINGS_HEADER);

	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_RX_MAX, 4096);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_TX_MAX, 1024);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_RX, 256);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_TX, 248);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_RX_BUF_LEN, 2048);
	mnl_attr_put_u8(nlh, ETHTOOL_A_RINGS_TCP_DATA_SPLIT, 1);
	mnl_attr_put_u8(nlh, ETHTOOL_A_RINGS_TX_PUSH, 0);
	return nlh;
}

/*
 * The kernel's error for the request (seq, port) as netlink_ack() sends
 * it to a socket with NETLINK_EXT_ACK: capped (NETLINK_CAP_ACK), or with
 * the request echoed, here a header and a 20-byte payload. Either way
 * its copy of the request's header keeps the request's whole length.
 */
static struct nlmsghdr *build_error(void *buf, int error, const char *msg,
				    bool capped)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	size_t echoed = capped ? 0 : 20;
	struct nlmsgerr *err;

	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_flags = capped ? NLM_F_CAPPED : 0;
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = PORTID;
	err = mnl_nlmsg_put_extra_header(nlh, sizeof(*err) + echoed);
	err->error = error;
	err->msg.nlmsg_len = sizeof(err->msg) + 20;
	err->msg.nlmsg_type = FAMILY;
	err->msg.nlmsg_flags = NLM_F_REQUEST;
	err->msg.nlmsg_seq = SEQ;
	err->msg.nlmsg_pid = PORTID;
	if (msg) {
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
		mnl_attr_put_strz(nlh, NLMSGERR_ATTR_MSG, msg);
		mnl_attr_put_u32(nlh, NLMSGERR_ATTR_OFFS, 24);
	}
	return nlh;
}

static size_t param_index(const char *name)
{
	size_t i;

	for (i = 0; i < KNOB_NIC_COAL_NPARAMS; i++)
		if (!strcmp(knob_nic_coal_params[i].name, name))
			break;
	return i;
}

#define PARAM(a, name) ((a)->params[param_index(name)])

static size_t count_present(const struct nic_coal_answer *a)
{
	size_t i, n = 0;

	for (i = 0; i < KNOB_NIC_COAL_NPARAMS; i++)
		n += a->params[i].present;
	return n;
}

/*
 * What an answer that must be refused finds in a: a ring from an earlier
 * reply, which must stay as it was.
 */
static void earlier_answer(struct nic_coal_answer *a)
{
	memset(a, 0, sizeof(*a));
	nic_coal_answer_set(a, "tx_ring", 100, 512);
}

/* Parses as for req and checks -EPROTO with a unchanged and why. */
static void check_refused(struct test_ctx *t, const void *buf, size_t len,
			  const struct ethtool_nl_request *req,
			  const char *why)
{
	struct nic_coal_answer a, before;
	char msg[256];

	earlier_answer(&a);
	before = a;
	CHECK_INT(t, ethtool_nl_parse(buf, len, req, &a, msg, sizeof(msg)),
		  -EPROTO);
	CHECK(t, !memcmp(&a, &before, sizeof(a)));
	CHECK_CONTAINS(t, msg, why);
}

static void niccoal_reply_coalesce_values(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_coalesce(b.bytes);
	struct nic_coal_answer a;
	char msg[256] = "stale";

	earlier_answer(&a);
	CHECK_INT(t, ethtool_nl_parse(nlh, nlh->nlmsg_len, &coalesce_req, &a,
				      msg, sizeof(msg)), 0);
	CHECK_STR(t, msg, "");
	CHECK(t, PARAM(&a, "rx_usecs").present);
	CHECK_INT(t, PARAM(&a, "rx_usecs").value, 3);
	CHECK_INT(t, PARAM(&a, "rx_usecs").max, 0);
	CHECK(t, PARAM(&a, "rx_frames").present);
	CHECK_INT(t, PARAM(&a, "rx_frames").value, 0);
	CHECK_INT(t, PARAM(&a, "tx_usecs").value, 70000);
	CHECK(t, PARAM(&a, "adaptive_rx").present);
	CHECK_INT(t, PARAM(&a, "adaptive_rx").value, 1);
	CHECK(t, PARAM(&a, "adaptive_tx").present);
	CHECK_INT(t, PARAM(&a, "adaptive_tx").value, 0);
	CHECK_INT(t, PARAM(&a, "sample_interval").value, UINT32_MAX);
	/* what the reply does not have is not there; the ring stays */
	CHECK(t, !PARAM(&a, "tx_frames").present);
	CHECK(t, !PARAM(&a, "rx_ring").present);
	CHECK_INT(t, PARAM(&a, "tx_ring").value, 100);
	CHECK_INT(t, PARAM(&a, "tx_ring").max, 512);
	CHECK_INT(t, count_present(&a), 7);
}

static void niccoal_reply_rings_values(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_rings(b.bytes);
	struct nic_coal_answer a = { 0 };
	char msg[256];

	CHECK_INT(t, ethtool_nl_parse(nlh, nlh->nlmsg_len, &rings_req, &a,
				      msg, sizeof(msg)), 0);
	CHECK(t, PARAM(&a, "rx_ring").present);
	CHECK_INT(t, PARAM(&a, "rx_ring").value, 256);
	CHECK_INT(t, PARAM(&a, "rx_ring").max, 4096);
	CHECK(t, PARAM(&a, "tx_ring").present);
	CHECK_INT(t, PARAM(&a, "tx_ring").value, 248);
	CHECK_INT(t, PARAM(&a, "tx_ring").max, 1024);
	CHECK_INT(t, count_present(&a), 2);

	/* a ring without a maximum (the kernel leaves both out) is none */
	memset(&b, 0, sizeof(b));
	nlh = reply_start(b.bytes, ETHTOOL_MSG_RINGS_GET_REPLY,
			  ETHTOOL_A_RINGS_HEADER);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_TX_MAX, 64);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_TX, 64);
	memset(&a, 0, sizeof(a));
	CHECK_INT(t, ethtool_nl_parse(nlh, nlh->nlmsg_len, &rings_req, &a,
				      msg, sizeof(msg)), 0);
	CHECK(t, !PARAM(&a, "rx_ring").present);
	CHECK_INT(t, PARAM(&a, "tx_ring").value, 64);
	CHECK_INT(t, count_present(&a), 1);
}

/* Both answers for one device, one after the other, as the query reads them. */
static void niccoal_reply_coalesce_then_rings(struct test_ctx *t)
{
	struct answer_buf c = { 0 }, r = { 0 };
	struct nlmsghdr *coal = good_coalesce(c.bytes);
	struct nlmsghdr *rings = good_rings(r.bytes);
	struct nic_coal_answer a = { 0 };
	char msg[256];

	CHECK_INT(t, ethtool_nl_parse(coal, coal->nlmsg_len, &coalesce_req,
				      &a, msg, sizeof(msg)), 0);
	CHECK_INT(t, ethtool_nl_parse(rings, rings->nlmsg_len, &rings_req,
				      &a, msg, sizeof(msg)), 0);
	CHECK_INT(t, count_present(&a), 8);
	CHECK_INT(t, PARAM(&a, "rx_usecs").value, 3);
	CHECK_INT(t, PARAM(&a, "rx_ring").value, 256);
}

/*
 * 6.12's reply: CQE modes, tx aggregation and the nested DIM profile
 * (RX_PROFILE: IRQ_MODERATION nests of usec, pkts, comps) come after
 * the knobs, and are skipped whole.
 */
static void niccoal_reply_unknown_nested_skipped(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_coalesce(b.bytes);
	struct nlattr *profile, *moder;
	struct nic_coal_answer a = { 0 };
	char msg[256];
	int i;

	mnl_attr_put_u8(nlh, ETHTOOL_A_COALESCE_USE_CQE_MODE_TX, 0);
	mnl_attr_put_u8(nlh, ETHTOOL_A_COALESCE_USE_CQE_MODE_RX, 1);
	mnl_attr_put_u32(nlh, COALESCE_TX_AGGR_MAX_BYTES, 0);
	profile = nest_start(nlh, COALESCE_RX_PROFILE);
	for (i = 0; i < 5; i++) {
		moder = nest_start(nlh, PROFILE_IRQ_MODERATION);
		mnl_attr_put_u32(nlh, IRQ_MODERATION_USEC, 2 << i);
		mnl_attr_put_u32(nlh, IRQ_MODERATION_PKTS, 256);
		mnl_attr_put_u32(nlh, IRQ_MODERATION_COMPS, 1);
		mnl_attr_nest_end(nlh, moder);
	}
	mnl_attr_nest_end(nlh, profile);
	CHECK_INT(t, ethtool_nl_parse(nlh, nlh->nlmsg_len, &coalesce_req, &a,
				      msg, sizeof(msg)), 0);
	CHECK_STR(t, msg, "");
	CHECK_INT(t, count_present(&a), 6);
	CHECK_INT(t, PARAM(&a, "rx_usecs").value, 3);
	CHECK_INT(t, PARAM(&a, "sample_interval").value, UINT32_MAX);
}

/*
 * A u32 with a 1-byte payload was read as a u8 (200 rx-usecs); one of
 * 2 bytes, or a ring's of 1, dropped without a word; a u8 with 4 bytes
 * read as a u32. Each is a reply this code cannot read.
 */
static void niccoal_reply_attribute_size_refused(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = coalesce_start(b.bytes);
	uint8_t one = 200;
	uint16_t two = 300;

	mnl_attr_put(nlh, ETHTOOL_A_COALESCE_RX_USECS, sizeof(one), &one);
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "attribute 2 (rx_usecs) has a 1-byte payload, not 4");
	memset(&b, 0, sizeof(b));
	nlh = coalesce_start(b.bytes);
	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_RX_USECS, 3);
	mnl_attr_put(nlh, ETHTOOL_A_COALESCE_TX_USECS, sizeof(two), &two);
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "attribute 6 (tx_usecs) has a 2-byte payload, not 4");
	memset(&b, 0, sizeof(b));
	nlh = coalesce_start(b.bytes);
	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, 0x101);
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "attribute 11 (adaptive_rx) has a 4-byte payload, not 1");
	memset(&b, 0, sizeof(b));
	nlh = reply_start(b.bytes, ETHTOOL_MSG_RINGS_GET_REPLY,
			  ETHTOOL_A_RINGS_HEADER);
	mnl_attr_put_u32(nlh, ETHTOOL_A_RINGS_RX_MAX, 4096);
	mnl_attr_put(nlh, ETHTOOL_A_RINGS_RX, sizeof(one), &one);
	check_refused(t, nlh, nlh->nlmsg_len, &rings_req,
		      "(rx) has a 1-byte payload, not 4");
}

/*
 * An attribute that runs past its message, or is shorter than its own
 * header, ended the attributes without a word: what came before it was
 * taken as the whole reply.
 */
static void niccoal_reply_truncated_attribute(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_coalesce(b.bytes);
	struct nlattr *attr;

	/* the last attribute (8 bytes) cut after its header */
	nlh->nlmsg_len -= 4;
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "a truncated attribute at byte");

	/* a 2-byte attribute in the middle, a good one after it */
	memset(&b, 0, sizeof(b));
	nlh = coalesce_start(b.bytes);
	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_RX_USECS, 3);
	attr = mnl_nlmsg_get_payload_tail(nlh);
	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_TX_USECS, 16);
	attr->nla_len = 2;
	mnl_attr_put_u32(nlh, ETHTOOL_A_COALESCE_TX_MAX_FRAMES, 8);
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "a truncated attribute at byte 52 of 68");
}

/* The kernel's refusal: its errno, and its extack message as it gave it. */
static void niccoal_reply_kernel_error_and_extack(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh;
	struct nic_coal_answer a, before;
	char msg[256];

	earlier_answer(&a);
	before = a;
	nlh = build_error(b.bytes, -ENODEV, "no device matches name", true);
	CHECK_INT(t, ethtool_nl_parse(nlh, nlh->nlmsg_len, &coalesce_req, &a,
				      msg, sizeof(msg)), -ENODEV);
	CHECK_STR(t, msg, "no device matches name");
	CHECK(t, !memcmp(&a, &before, sizeof(a)));

	/* without NETLINK_CAP_ACK the request comes back before the extack */
	memset(&b, 0, sizeof(b));
	nlh = build_error(b.bytes, -EINVAL, "request header missing", false);
	CHECK_INT(t, ethtool_nl_parse(nlh, nlh->nlmsg_len, &rings_req, &a,
				      msg, sizeof(msg)), -EINVAL);
	CHECK_STR(t, msg, "request header missing");

	/* lo: no message, the errno alone */
	memset(&b, 0, sizeof(b));
	nlh = build_error(b.bytes, -EOPNOTSUPP, NULL, true);
	strcpy(msg, "stale");
	CHECK_INT(t, ethtool_nl_parse(nlh, nlh->nlmsg_len, &coalesce_req, &a,
				      msg, sizeof(msg)), -EOPNOTSUPP);
	CHECK_STR(t, msg, "");
	CHECK(t, !memcmp(&a, &before, sizeof(a)));

	/* an error message too short to hold its error */
	memset(&b, 0, sizeof(b));
	nlh = build_error(b.bytes, -ENODEV, NULL, true);
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	check_refused(t, nlh, MNL_ALIGN(nlh->nlmsg_len), &coalesce_req,
		      "an error message too short");
}

/*
 * One datagram of several messages: a reply and an ack is the reply; a
 * reply and an error is the error; an ack alone answers nothing.
 */
static void niccoal_reply_several_messages(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_coalesce(b.bytes);
	size_t len = nlh->nlmsg_len;
	struct nic_coal_answer a, before;
	char msg[256];

	build_error(b.bytes + len, 0, NULL, true);
	len += ((struct nlmsghdr *)(b.bytes + len))->nlmsg_len;
	memset(&a, 0, sizeof(a));
	CHECK_INT(t, ethtool_nl_parse(b.bytes, len, &coalesce_req, &a, msg,
				      sizeof(msg)), 0);
	CHECK_INT(t, PARAM(&a, "tx_usecs").value, 70000);

	len = nlh->nlmsg_len;
	build_error(b.bytes + len, -EMSGSIZE, "reply too big", true);
	len += ((struct nlmsghdr *)(b.bytes + len))->nlmsg_len;
	earlier_answer(&a);
	before = a;
	CHECK_INT(t, ethtool_nl_parse(b.bytes, len, &coalesce_req, &a, msg,
				      sizeof(msg)), -EMSGSIZE);
	CHECK_STR(t, msg, "reply too big");
	CHECK(t, !memcmp(&a, &before, sizeof(a)));

	memset(&b, 0, sizeof(b));
	nlh = build_error(b.bytes, 0, NULL, true);
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req, "no reply");
	check_refused(t, b.bytes, 0, &coalesce_req, "no reply");
}

/*
 * Another family's message, or another command's reply, was read as
 * this one: a RINGS_GET reply given for COALESCE_GET set rx_usecs to
 * rx_max (both attribute 2).
 */
static void niccoal_reply_other_family_or_command(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_coalesce(b.bytes);
	struct genlmsghdr *genl;

	nlh->nlmsg_type = FAMILY + 1;
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "a message of type 21, not 20");
	nlh->nlmsg_type = NLMSG_DONE;
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "a message of type 3, not 20");

	memset(&b, 0, sizeof(b));
	nlh = good_rings(b.bytes);
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "a reply of command");
	/* the request's own command is not the reply's */
	genl = mnl_nlmsg_get_payload(nlh);
	genl->cmd = ETHTOOL_MSG_RINGS_GET;
	check_refused(t, nlh, nlh->nlmsg_len, &rings_req, "a reply of command");

	/* a reply without its genetlink header */
	nlh->nlmsg_len = MNL_NLMSG_HDRLEN + 2;
	check_refused(t, nlh, MNL_ALIGN(nlh->nlmsg_len), &rings_req,
		      "without its genetlink header");
}

/*
 * An answer to another request: libmnl let a message with sequence or
 * port 0 through (as multicast has), but this socket joins no group.
 */
static void niccoal_reply_other_sequence_or_port(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_coalesce(b.bytes);

	nlh->nlmsg_seq = SEQ + 1;
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "a message for sequence 8 port 4242, not 7 port 4242");
	nlh->nlmsg_seq = 0;
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "a message for sequence 0");
	nlh->nlmsg_seq = SEQ;
	nlh->nlmsg_pid = 0;
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "a message for sequence 7 port 0");
	nlh->nlmsg_pid = PORTID + 1;
	check_refused(t, nlh, nlh->nlmsg_len, &coalesce_req,
		      "port 4243, not 7 port 4242");
}

/*
 * A datagram that ends inside a message's header, or before the length
 * its header gives, was an answer of nothing, taken as success.
 */
static void niccoal_reply_truncated_message(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_coalesce(b.bytes);
	size_t len = nlh->nlmsg_len;

	check_refused(t, nlh, 10, &coalesce_req,
		      "a message truncated: 10 of 10 bytes left unread");
	check_refused(t, nlh, len - 8, &coalesce_req,
		      "a message truncated");
	/* a whole reply, then a second header cut short */
	check_refused(t, nlh, len + 6, &coalesce_req,
		      "6 of");
	/* the last message's padding missing: libmnl would read past it */
	nlh->nlmsg_len = len - 3;
	check_refused(t, nlh, len - 3, &coalesce_req,
		      "a message of ");
	nlh->nlmsg_len = len;
	/* a header whose length is less than a header's */
	nlh->nlmsg_len = 8;
	check_refused(t, nlh, len, &coalesce_req, "a message truncated");
}

/* A question the parser is not for is the caller's mistake. */
static void niccoal_reply_unknown_command(struct test_ctx *t)
{
	struct answer_buf b = { 0 };
	struct nlmsghdr *nlh = good_coalesce(b.bytes);
	struct ethtool_nl_request req = coalesce_req;
	struct nic_coal_answer a = { 0 };
	char msg[256];

	req.cmd = ETHTOOL_MSG_PAUSE_GET;
	CHECK_INT(t, ethtool_nl_parse(nlh, nlh->nlmsg_len, &req, &a, msg,
				      sizeof(msg)), -EINVAL);
	CHECK_INT(t, count_present(&a), 0);
}

SUITE(ethtool_nl_suite, "ethtool netlink replies",
	CASE(niccoal_reply_coalesce_values),
	CASE(niccoal_reply_rings_values),
	CASE(niccoal_reply_coalesce_then_rings),
	CASE(niccoal_reply_unknown_nested_skipped),
	CASE(niccoal_reply_attribute_size_refused),
	CASE(niccoal_reply_truncated_attribute),
	CASE(niccoal_reply_kernel_error_and_extack),
	CASE(niccoal_reply_several_messages),
	CASE(niccoal_reply_other_family_or_command),
	CASE(niccoal_reply_other_sequence_or_port),
	CASE(niccoal_reply_truncated_message),
	CASE(niccoal_reply_unknown_command),
);

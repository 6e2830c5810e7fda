// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The coalescing parameters and ring sizes of a network device, from the
 * kernel's ethtool generic netlink family (libmnl): what `ethtool -c` and
 * `ethtool -g` show, without running ethtool. The attribute numbers are
 * the uapi's, the same on every kernel since 5.6; attributes a later
 * kernel adds (6.12's CQE modes, profiles) are not knobs and are skipped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/ethtool_netlink.h>
#include <linux/genetlink.h>

#include "knobs/ethtool_nl.h"

struct ethtool_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;
	uint16_t family;
};

/* ETHTOOL_A_COALESCE_* to the module's names; the two adaptive ones are u8. */
static const struct {
	uint16_t attr;
	const char *param;
} coalesce_attrs[] = {
	{ ETHTOOL_A_COALESCE_RX_USECS, "rx_usecs" },
	{ ETHTOOL_A_COALESCE_RX_MAX_FRAMES, "rx_frames" },
	{ ETHTOOL_A_COALESCE_RX_USECS_IRQ, "rx_usecs_irq" },
	{ ETHTOOL_A_COALESCE_RX_MAX_FRAMES_IRQ, "rx_frames_irq" },
	{ ETHTOOL_A_COALESCE_TX_USECS, "tx_usecs" },
	{ ETHTOOL_A_COALESCE_TX_MAX_FRAMES, "tx_frames" },
	{ ETHTOOL_A_COALESCE_TX_USECS_IRQ, "tx_usecs_irq" },
	{ ETHTOOL_A_COALESCE_TX_MAX_FRAMES_IRQ, "tx_frames_irq" },
	{ ETHTOOL_A_COALESCE_STATS_BLOCK_USECS, "stats_block_usecs" },
	{ ETHTOOL_A_COALESCE_USE_ADAPTIVE_RX, "adaptive_rx" },
	{ ETHTOOL_A_COALESCE_USE_ADAPTIVE_TX, "adaptive_tx" },
	{ ETHTOOL_A_COALESCE_PKT_RATE_LOW, "pkt_rate_low" },
	{ ETHTOOL_A_COALESCE_RX_USECS_LOW, "rx_usecs_low" },
	{ ETHTOOL_A_COALESCE_RX_MAX_FRAMES_LOW, "rx_frames_low" },
	{ ETHTOOL_A_COALESCE_TX_USECS_LOW, "tx_usecs_low" },
	{ ETHTOOL_A_COALESCE_TX_MAX_FRAMES_LOW, "tx_frames_low" },
	{ ETHTOOL_A_COALESCE_PKT_RATE_HIGH, "pkt_rate_high" },
	{ ETHTOOL_A_COALESCE_RX_USECS_HIGH, "rx_usecs_high" },
	{ ETHTOOL_A_COALESCE_RX_MAX_FRAMES_HIGH, "rx_frames_high" },
	{ ETHTOOL_A_COALESCE_TX_USECS_HIGH, "tx_usecs_high" },
	{ ETHTOOL_A_COALESCE_TX_MAX_FRAMES_HIGH, "tx_frames_high" },
	{ ETHTOOL_A_COALESCE_RATE_SAMPLE_INTERVAL, "sample_interval" },
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

/* A reply's u32 or u8 attribute as a number; false when malformed. */
static bool attr_number(const struct nlattr *attr, uint32_t *v)
{
	if (mnl_attr_get_payload_len(attr) == sizeof(uint8_t)) {
		*v = mnl_attr_get_u8(attr);
		return true;
	}
	if (mnl_attr_validate(attr, MNL_TYPE_U32) < 0)
		return false;
	*v = mnl_attr_get_u32(attr);
	return true;
}

static int coalesce_attr(const struct nlattr *attr, void *data)
{
	uint16_t type = mnl_attr_get_type(attr);
	uint32_t v;
	size_t i;

	for (i = 0; i < sizeof(coalesce_attrs) / sizeof(coalesce_attrs[0]); i++)
		if (coalesce_attrs[i].attr == type && attr_number(attr, &v))
			nic_coal_answer_set(data, coalesce_attrs[i].param, v, 0);
	return MNL_CB_OK;
}

/* The rings' sizes and maxima as they come, then as answers. */
struct rings {
	uint32_t rx, rx_max, tx, tx_max;
};

static int rings_attr(const struct nlattr *attr, void *data)
{
	struct rings *r = data;
	uint32_t *field = NULL;

	switch (mnl_attr_get_type(attr)) {
	case ETHTOOL_A_RINGS_RX:
		field = &r->rx;
		break;
	case ETHTOOL_A_RINGS_RX_MAX:
		field = &r->rx_max;
		break;
	case ETHTOOL_A_RINGS_TX:
		field = &r->tx;
		break;
	case ETHTOOL_A_RINGS_TX_MAX:
		field = &r->tx_max;
		break;
	}
	if (field && mnl_attr_validate(attr, MNL_TYPE_U32) == 0)
		*field = mnl_attr_get_u32(attr);
	return MNL_CB_OK;
}

struct reply {
	mnl_attr_cb_t attr_cb;
	void *data;
};

static int reply_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct reply *r = data;

	return mnl_attr_parse(nlh, sizeof(struct genlmsghdr), r->attr_cb,
			      r->data) < 0 ? MNL_CB_ERROR : MNL_CB_OK;
}

/*
 * Sends one request (cmd with a nested header naming the device, or the
 * controller's family lookup) and parses its one reply: 0 or -errno,
 * the kernel's error when it refused.
 */
static int transact(struct ethtool_nl *e, uint16_t type, uint8_t cmd,
		    uint16_t attr, const char *text, struct reply *r)
{
	/* zeroed: libmnl leaves an attribute's alignment padding as it finds it */
	char *buf = calloc(1, MNL_SOCKET_BUFFER_SIZE);
	struct genlmsghdr *genl;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	uint32_t seq = ++e->seq;
	ssize_t n;
	int ret;

	if (!buf)
		return -ENOMEM;
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
	ret = mnl_socket_sendto(e->sock, nlh, nlh->nlmsg_len) < 0 ? -errno : 0;
	if (!ret) {
		n = mnl_socket_recvfrom(e->sock, buf, MNL_SOCKET_BUFFER_SIZE);
		ret = n < 0 ? -errno :
		      mnl_cb_run(buf, n, seq, e->portid, reply_cb, r) < 0 ?
		      -errno : 0;
	}
	free(buf);
	return ret;
}

static int family_attr(const struct nlattr *attr, void *data)
{
	if (mnl_attr_get_type(attr) == CTRL_ATTR_FAMILY_ID &&
	    mnl_attr_validate(attr, MNL_TYPE_U16) == 0)
		*(uint16_t *)data = mnl_attr_get_u16(attr);
	return MNL_CB_OK;
}

int ethtool_nl_open(struct ethtool_nl **out)
{
	struct ethtool_nl *e = calloc(1, sizeof(*e));
	struct reply r = { family_attr, NULL };
	int ret;

	if (!e)
		return -ENOMEM;
	r.data = &e->family;
	e->sock = mnl_socket_open2(NETLINK_GENERIC, SOCK_CLOEXEC);
	if (!e->sock || mnl_socket_bind(e->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		ethtool_nl_close(e);
		return ret;
	}
	e->portid = mnl_socket_get_portid(e->sock);
	ret = transact(e, GENL_ID_CTRL, CTRL_CMD_GETFAMILY,
		       CTRL_ATTR_FAMILY_NAME, ETHTOOL_GENL_NAME, &r);
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
	struct rings rings = { 0 };
	struct reply coalesce = { coalesce_attr, a };
	struct reply ring = { rings_attr, &rings };
	int coal_ret, ring_ret;

	coal_ret = transact(e, e->family, ETHTOOL_MSG_COALESCE_GET,
			    ETHTOOL_A_COALESCE_HEADER, ifname, &coalesce);
	ring_ret = transact(e, e->family, ETHTOOL_MSG_RINGS_GET,
			    ETHTOOL_A_RINGS_HEADER, ifname, &ring);
	if (rings.rx_max)
		nic_coal_answer_set(a, "rx_ring", rings.rx, rings.rx_max);
	if (rings.tx_max)
		nic_coal_answer_set(a, "tx_ring", rings.tx, rings.tx_max);
	return coal_ret && ring_ret ? coal_ret : 0;
}

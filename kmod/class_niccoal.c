// SPDX-License-Identifier: GPL-2.0
/*
 * Interrupt coalescing and ring sizes of a network device of the initial
 * network namespace, through the device's own ethtool operations:
 *
 *   nic.<ifname>.rx_usecs, tx_usecs, rx_frames, tx_frames, the _irq,
 *   _low and _high variants, stats_block_usecs, pkt_rate_low/high,
 *   sample_interval                  struct ethtool_coalesce, a decimal u32
 *   nic.<ifname>.adaptive_rx/_tx     0 or 1
 *   nic.<ifname>.rx_ring, tx_ring    descriptors, 1 to the driver's maximum
 *
 * A name is read from the right, as the queue class (class_nic.c) reads
 * its own: the last part is the parameter, the rest the interface name,
 * dots and all (eth0.100). This class owns the names whose last part is
 * one of its parameters, and the queue class the rest of "nic.".
 *
 * A coalescing parameter exists only when the driver lists it in its
 * ethtool_ops->supported_coalesce_params (the kernel's own ethtool
 * handlers refuse the others), a ring only with get_ringparam and
 * set_ringparam. Every access takes rtnl_lock() and finds the device again
 * by its ifindex, checks that it is still the one the knob was opened on
 * (class_nic.c's record, which its netdevice notifier marks gone), reads
 * the whole structure, changes one field and hands it back to the driver,
 * whose own checks apply, as the ethtool handlers do: between the
 * driver's begin() and complete(), with an extack whose message, if the
 * driver gives one, goes to the kernel log. A change is announced with
 * ethtool_notify(), so `ethtool --monitor` sees it as one made by ethtool.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ethtool.h>
#include <linux/ethtool_netlink.h>
#include <linux/kernel.h>
#include <linux/netdevice.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "ostune.h"

enum coal_kind {
	COAL_U32,	/* a field of struct ethtool_coalesce */
	COAL_BOOL,	/* the same, 0 or 1 */
	COAL_RING,	/* a field of struct ethtool_ringparam */
};

struct coal_param {
	const char *name;
	enum coal_kind kind;
	/* for COAL_RING, of struct ethtool_ringparam */
	size_t offset;
	/* for COAL_RING, of its maximum */
	size_t max_offset;
	u32 supported;		/* ETHTOOL_COALESCE_* */
};

#define COAL_OF(n, kind, field, bit) \
	{ n, kind, offsetof(struct ethtool_coalesce, field), 0, \
	  ETHTOOL_COALESCE_##bit }
#define COAL(n, field, bit)	COAL_OF(n, COAL_U32, field, bit)
#define COAL_B(n, field, bit)	COAL_OF(n, COAL_BOOL, field, bit)

/* The first eight are the ones most drivers offer. */
static const struct coal_param coal_params[] = {
	COAL("rx_usecs", rx_coalesce_usecs, RX_USECS),
	COAL("tx_usecs", tx_coalesce_usecs, TX_USECS),
	COAL("rx_frames", rx_max_coalesced_frames, RX_MAX_FRAMES),
	COAL("tx_frames", tx_max_coalesced_frames, TX_MAX_FRAMES),
	COAL_B("adaptive_rx", use_adaptive_rx_coalesce, USE_ADAPTIVE_RX),
	COAL_B("adaptive_tx", use_adaptive_tx_coalesce, USE_ADAPTIVE_TX),
	{ "rx_ring", COAL_RING, offsetof(struct ethtool_ringparam, rx_pending),
	  offsetof(struct ethtool_ringparam, rx_max_pending) },
	{ "tx_ring", COAL_RING, offsetof(struct ethtool_ringparam, tx_pending),
	  offsetof(struct ethtool_ringparam, tx_max_pending) },
	COAL("rx_usecs_irq", rx_coalesce_usecs_irq, RX_USECS_IRQ),
	COAL("rx_frames_irq", rx_max_coalesced_frames_irq, RX_MAX_FRAMES_IRQ),
	COAL("tx_usecs_irq", tx_coalesce_usecs_irq, TX_USECS_IRQ),
	COAL("tx_frames_irq", tx_max_coalesced_frames_irq, TX_MAX_FRAMES_IRQ),
	COAL("stats_block_usecs", stats_block_coalesce_usecs,
	     STATS_BLOCK_USECS),
	COAL("pkt_rate_low", pkt_rate_low, PKT_RATE_LOW),
	COAL("rx_usecs_low", rx_coalesce_usecs_low, RX_USECS_LOW),
	COAL("rx_frames_low", rx_max_coalesced_frames_low, RX_MAX_FRAMES_LOW),
	COAL("tx_usecs_low", tx_coalesce_usecs_low, TX_USECS_LOW),
	COAL("tx_frames_low", tx_max_coalesced_frames_low, TX_MAX_FRAMES_LOW),
	COAL("pkt_rate_high", pkt_rate_high, PKT_RATE_HIGH),
	COAL("rx_usecs_high", rx_coalesce_usecs_high, RX_USECS_HIGH),
	COAL("rx_frames_high", rx_max_coalesced_frames_high,
	     RX_MAX_FRAMES_HIGH),
	COAL("tx_usecs_high", tx_coalesce_usecs_high, TX_USECS_HIGH),
	COAL("tx_frames_high", tx_max_coalesced_frames_high,
	     TX_MAX_FRAMES_HIGH),
	COAL("sample_interval", rate_sample_interval, RATE_SAMPLE_INTERVAL),
};

struct coal_name {
	char ifname[IFNAMSIZ];
	const struct coal_param *param;
};

static const struct coal_param *coal_param_of(const char *sub)
{
	const char *last = strrchr(sub, '.');
	unsigned int i;

	if (!last)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(coal_params); i++)
		if (!strcmp(last + 1, coal_params[i].name))
			return &coal_params[i];
	return NULL;
}

static bool coal_owns(const char *sub)
{
	return coal_param_of(sub);
}

/* "<ifname>.<param>", read from the right. */
static int coal_parse(const char *sub, struct coal_name *n)
{
	size_t len = strrchr(sub, '.') - sub;

	n->param = coal_param_of(sub);
	if (!n->param || !len || len >= IFNAMSIZ)
		return -EINVAL;
	memcpy(n->ifname, sub, len);
	n->ifname[len] = '\0';
	return dev_valid_name(n->ifname) ? 0 : -EINVAL;
}

/* Does dev's driver offer param? Under rtnl. */
static bool coal_supported(const struct net_device *dev,
			   const struct coal_param *param)
{
	const struct ethtool_ops *ops = dev->ethtool_ops;

	if (param->kind == COAL_RING)
		return ops->get_ringparam && ops->set_ringparam;
	return ops->get_coalesce && ops->set_coalesce &&
	       (ops->supported_coalesce_params & param->supported);
}

static const char *coal_driver(const struct net_device *dev)
{
	const struct device_driver *drv = dev->dev.parent ?
					  dev->dev.parent->driver : NULL;

	return drv ? drv->name : netdev_name(dev);
}

static int coal_open(struct ostune_knob_file *kf, bool write, char *why,
		     size_t len)
{
	struct net_device *dev;
	struct coal_name n;
	struct nic_dev *nd;

	if (coal_parse(kf->knob->sub, &n)) {
		snprintf(why, len, "bad nic name (want IF.%s)",
			 coal_param_of(kf->knob->sub) ?
			 coal_param_of(kf->knob->sub)->name : "rx_usecs");
		return -EINVAL;
	}
	rtnl_lock();
	dev = ostune_nic_lookup(n.ifname, why, len);
	if (!dev) {
		rtnl_unlock();
		return -ENOENT;
	}
	if (!coal_supported(dev, n.param)) {
		snprintf(why, len, "%s (%.16s) does not support %s", n.ifname,
			 coal_driver(dev), n.param->name);
		rtnl_unlock();
		return -EOPNOTSUPP;
	}
	nd = ostune_nic_dev_get(dev);
	kf->ident.v[0] = dev->ifindex;
	rtnl_unlock();
	if (!nd)
		return -ENOMEM;
	kf->data = nd;
	kf->ident.v[1] = ostune_nic_dev_serial(nd);
	return 0;
}

static void coal_close(struct ostune_knob_file *kf)
{
	ostune_nic_dev_put(kf->data);
}

/*
 * The device of kf, under rtnl, found again by its ifindex and still the
 * one kf was opened on; NULL once it went away.
 */
static struct net_device *coal_dev(struct ostune_knob_file *kf)
{
	struct net_device *dev;

	ASSERT_RTNL();
	dev = __dev_get_by_index(&init_net, kf->ident.v[0]);
	if (!dev || !ostune_nic_dev_is(kf->data, dev))
		return NULL;
	return dev;
}

/* As the kernel's ethtool handlers bracket a driver's operations. */
static int coal_begin(struct net_device *dev)
{
	if (!netif_device_present(dev))
		return -ENODEV;
	return dev->ethtool_ops->begin ? dev->ethtool_ops->begin(dev) : 0;
}

static void coal_complete(struct net_device *dev)
{
	if (dev->ethtool_ops->complete)
		dev->ethtool_ops->complete(dev);
}

static void coal_get_ring(struct net_device *dev, struct ethtool_ringparam *rp,
			  struct kernel_ethtool_ringparam *krp)
{
	memset(rp, 0, sizeof(*rp));
	memset(krp, 0, sizeof(*krp));
	rp->cmd = ETHTOOL_GRINGPARAM;
	dev->ethtool_ops->get_ringparam(dev, rp, krp, NULL);
}

static u32 *coal_field(void *base, size_t offset)
{
	return (u32 *)((char *)base + offset);
}

/* The parameter's value, and with max a ring's maximum, under rtnl. */
static int coal_get(struct net_device *dev, const struct coal_param *param,
		    u32 *v, u32 *max)
{
	struct kernel_ethtool_coalesce kec = {};
	struct kernel_ethtool_ringparam krp;
	struct ethtool_coalesce ec = {};
	struct ethtool_ringparam rp;
	int ret;

	if (param->kind == COAL_RING) {
		coal_get_ring(dev, &rp, &krp);
		*v = *coal_field(&rp, param->offset);
		if (max)
			*max = *coal_field(&rp, param->max_offset);
		return 0;
	}
	ec.cmd = ETHTOOL_GCOALESCE;
	ret = dev->ethtool_ops->get_coalesce(dev, &ec, &kec, NULL);
	if (!ret)
		*v = *coal_field(&ec, param->offset);
	return ret;
}

/* The driver's own words on a refusal, for the log. */
static void coal_log_refusal(const struct net_device *dev,
			     const struct coal_param *param, u32 v, int err,
			     const struct netlink_ext_ack *extack)
{
	pr_info("nic: %s (%s) refused %s %u (error %d)%s%s\n",
		netdev_name(dev), coal_driver(dev), param->name, v, err,
		extack->_msg ? ": " : "", extack->_msg ?: "");
}

/*
 * Reads the whole structure, changes one field, hands it back. Under rtnl,
 * between begin() and complete().
 */
static int coal_set(struct net_device *dev, const struct coal_param *param,
		    u32 v)
{
	struct kernel_ethtool_coalesce kec = {};
	struct kernel_ethtool_ringparam krp;
	struct netlink_ext_ack extack = {};
	struct ethtool_coalesce ec = {};
	struct ethtool_ringparam rp;
	unsigned int ntf;
	int ret;

	if (param->kind == COAL_RING) {
		coal_get_ring(dev, &rp, &krp);
		/* as the ethtool handlers check before set_ringparam */
		if (!v || v > *coal_field(&rp, param->max_offset))
			return -ERANGE;
		*coal_field(&rp, param->offset) = v;
		rp.cmd = ETHTOOL_SRINGPARAM;
		ret = dev->ethtool_ops->set_ringparam(dev, &rp, &krp, &extack);
		ntf = ETHTOOL_MSG_RINGS_NTF;
	} else {
		ec.cmd = ETHTOOL_GCOALESCE;
		ret = dev->ethtool_ops->get_coalesce(dev, &ec, &kec, NULL);
		if (ret)
			return ret;
		*coal_field(&ec, param->offset) = v;
		ec.cmd = ETHTOOL_SCOALESCE;
		ret = dev->ethtool_ops->set_coalesce(dev, &ec, &kec, &extack);
		ntf = ETHTOOL_MSG_COALESCE_NTF;
	}
	if (ret) {
		coal_log_refusal(dev, param, v, ret, &extack);
		return ret;
	}
	ethtool_notify(dev, ntf, NULL);
	return 0;
}

/*
 * With max, the current value and a ring's maximum; otherwise writes
 * *v. On the device kf was opened on, never another.
 */
static int coal_access(struct ostune_knob_file *kf, u32 *v, u32 *max,
		       bool write)
{
	struct net_device *dev;
	struct coal_name n;
	int ret;

	if (coal_parse(kf->knob->sub, &n))
		return -EINVAL;
	rtnl_lock();
	dev = coal_dev(kf);
	ret = dev ? coal_begin(dev) : -ENODEV;
	if (!ret) {
		ret = write ? coal_set(dev, n.param, *v) :
			      coal_get(dev, n.param, v, max);
		coal_complete(dev);
	}
	rtnl_unlock();
	return ret;
}

static int coal_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	u32 v;
	int ret = coal_access(kf, &v, NULL, false);

	if (ret)
		return ret;
	return snprintf(buf, size, "%u", v) < size ? 0 : -EOVERFLOW;
}

/*
 * Values come checked, or are what a read gave: a ring's maximum is
 * checked again here, under the same rtnl as the write.
 */
static int coal_write(struct ostune_knob_file *kf, const char *value)
{
	u32 v;
	int ret = ostune_nic_parse_u32(value, &v);

	return ret ? ret : coal_access(kf, &v, NULL, true);
}

/* A ring's maximum, from the device the name stands for now. */
static int coal_ring_max(const struct ostune_knob *knob, u32 *max)
{
	struct ostune_knob_file kf;
	char why[OSTUNE_MSG_MAX];
	u32 v;
	int ret;

	ret = ostune_knob_open(&kf, knob, false, why, sizeof(why));
	if (ret)
		return ret;
	ret = coal_access(&kf, &v, max, false);
	ostune_knob_close(&kf);
	return ret;
}

static int coal_check_value(const struct ostune_knob *knob, const char *value,
			    char *why, size_t len)
{
	struct coal_name n;
	u32 v, max;
	int ret;

	if (coal_parse(knob->sub, &n))
		return -EINVAL;
	ret = ostune_nic_parse_u32(value, &v);
	if (ret == -ERANGE) {
		snprintf(why, len, "'%.16s' is outside 0..%u", value, U32_MAX);
		return ret;
	}
	if (ret) {
		snprintf(why, len, "'%.16s' is not a decimal%s", value,
			 n.param->kind == COAL_BOOL ? " 0 or 1" : "");
		return ret;
	}
	if (n.param->kind == COAL_BOOL && v > 1) {
		snprintf(why, len, "'%.16s' is not 0 or 1", value);
		return -EINVAL;
	}
	if (n.param->kind != COAL_RING)
		return 0;
	ret = coal_ring_max(knob, &max);
	if (ret) {
		snprintf(why, len, "cannot read the ring's maximum (error %d)",
			 ret);
		return ret;
	}
	if (!v || v > max) {
		snprintf(why, len, "'%.16s' is outside 1..%u (the ring's maximum)",
			 value, max);
		return -ERANGE;
	}
	return 0;
}

const struct ostune_class ostune_niccoal_class = {
	.prefix		= "nic",
	.owns		= coal_owns,
	.open		= coal_open,
	.close		= coal_close,
	.check_value	= coal_check_value,
	.read		= coal_read,
	.write		= coal_write,
	.absent_is_gone	= true,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * The queues of a network device of the initial network namespace:
 *
 *   nic.<ifname>.rx<Q>.rps_cpus      CPU list ("0-3,8"), "none" for no RPS
 *   nic.<ifname>.rx<Q>.rps_flow_cnt  entries of the queue's RFS flow table
 *   nic.<ifname>.tx<Q>.xps_cpus      CPU list, "none" for no XPS map
 *
 * An interface name may hold dots (eth0.100), so a name is read from the
 * right: the last part is the parameter, which says whether a queue part
 * comes before it; what is left is the interface name.
 *
 * The kernel exports no setter for an RPS map or a flow table, and none
 * to read an XPS map, so all three go through the queue's sysfs attribute
 * under the module's own sysfs mount (made on the worker, so it shows
 * init_net's devices), whose handlers parse, check and apply the value as
 * for an administrator; the module reads back what the kernel made of it
 * (offline and isolated CPUs dropped from an RPS map, a flow count rounded
 * up to a power of two).
 *
 * A name is looked up in init_net each time a knob is opened, under rtnl,
 * and the attribute's path is the device's own kobject path, never one
 * built from what the caller wrote. Each device a knob is opened on gets a
 * record; a netdevice notifier marks it gone when the device is
 * unregistered, renamed or moved to another namespace, after which its
 * open files write nothing, and the held knobs on it are let go (logged,
 * reason "gone"). A device that takes the name later is another record, so
 * a held knob is never restored onto it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/netdevice.h>
#include <linux/notifier.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/workqueue.h>
#include <net/net_namespace.h>

#include "ostune.h"

/*
 * Larger tables only cost memory (8 bytes an entry, vmalloc'd per queue);
 * the kernel's own rps_sock_flow_entries advice is 32768 for a host.
 */
#define NIC_FLOW_CNT_MAX	1048576U

enum nic_param {
	NIC_RPS_CPUS,
	NIC_RPS_FLOW_CNT,
	NIC_XPS_CPUS,
};

static const struct {
	const char *name;	/* also the queue's sysfs attribute */
	bool tx;
	bool cpus;
} nic_params[] = {
	[NIC_RPS_CPUS]		= { "rps_cpus", false, true },
	[NIC_RPS_FLOW_CNT]	= { "rps_flow_cnt", false, false },
	[NIC_XPS_CPUS]		= { "xps_cpus", true, true },
};

struct nic_name {
	char ifname[IFNAMSIZ];
	enum nic_param param;
	unsigned int queue;
};

/*
 * A device knobs were opened on, as long as one is open; shared with the
 * coalescing class (class_niccoal.c), whose knobs this notifier lets go too.
 */
struct nic_dev {
	struct list_head node;
	/* compared with the notifier's device, never dereferenced */
	const struct net_device *dev;
	char ifname[IFNAMSIZ];
	unsigned long serial;
	unsigned int users;
	bool gone;
};

/*
 * The records and their gone flags. Taken under rtnl (the notifier, and
 * open), so never held while waiting for rtnl.
 */
static DEFINE_MUTEX(nic_lock);
static LIST_HEAD(nic_devs);
static unsigned long nic_serial;

static void nic_drop_work_fn(struct work_struct *work);
static DECLARE_WORK(nic_drop_work, nic_drop_work_fn);

/* "<ifname>.rx<Q>.<param>", read from the right. */
static int nic_parse(const char *sub, struct nic_name *n)
{
	const char *param = strrchr(sub, '.');
	const char *q, *rest;
	unsigned int i;
	size_t len;

	if (!param)
		return -EINVAL;
	for (i = 0; i < ARRAY_SIZE(nic_params); i++)
		if (!strcmp(param + 1, nic_params[i].name))
			break;
	if (i == ARRAY_SIZE(nic_params))
		return -EINVAL;
	n->param = i;
	for (q = param; q > sub && q[-1] != '.'; q--)
		;
	if (q == sub)
		return -EINVAL;
	rest = ostune_parse_index(q, nic_params[i].tx ? "tx" : "rx", &n->queue);
	if (rest != param + 1)
		return -EINVAL;
	len = q - 1 - sub;
	if (!len || len >= IFNAMSIZ)
		return -EINVAL;
	memcpy(n->ifname, sub, len);
	n->ifname[len] = '\0';
	return dev_valid_name(n->ifname) ? 0 : -EINVAL;
}

/*
 * The record of dev, made if it has none; NULL when out of memory. With
 * rtnl held, so the device can be neither unregistered nor renamed before
 * its record exists (after which the notifier sees it).
 */
struct nic_dev *ostune_nic_dev_get(const struct net_device *dev)
{
	struct nic_dev *nd;

	ASSERT_RTNL();
	mutex_lock(&nic_lock);
	list_for_each_entry(nd, &nic_devs, node) {
		if (nd->dev == dev && !nd->gone) {
			nd->users++;
			goto out;
		}
	}
	nd = kzalloc(sizeof(*nd), GFP_KERNEL);
	if (!nd)
		goto out;
	nd->dev = dev;
	strscpy(nd->ifname, dev->name, sizeof(nd->ifname));
	nd->serial = ++nic_serial;
	nd->users = 1;
	list_add(&nd->node, &nic_devs);
out:
	mutex_unlock(&nic_lock);
	return nd;
}

/* Under rtnl: the device called ifname in the initial namespace. */
struct net_device *ostune_nic_lookup(const char *ifname, char *why,
				     size_t len)
{
	struct net_device *dev;

	ASSERT_RTNL();
	dev = __dev_get_by_name(&init_net, ifname);
	if (!dev)
		snprintf(why, len, "no network device %s (in the initial namespace)",
			 ifname);
	return dev;
}

unsigned long ostune_nic_dev_serial(const struct nic_dev *nd)
{
	return nd->serial;
}

/*
 * With rtnl held, under which the notifier marks a record: dev is the
 * record's device and it is still there, in the initial namespace, under
 * the same name.
 */
bool ostune_nic_dev_is(struct nic_dev *nd, const struct net_device *dev)
{
	bool same;

	ASSERT_RTNL();
	mutex_lock(&nic_lock);
	same = !nd->gone && nd->dev == dev;
	mutex_unlock(&nic_lock);
	return same;
}

void ostune_nic_dev_put(struct nic_dev *nd)
{
	mutex_lock(&nic_lock);
	if (!--nd->users) {
		list_del(&nd->node);
		kfree(nd);
	}
	mutex_unlock(&nic_lock);
}

/*
 * With rtnl held, so the device can be neither unregistered nor renamed
 * before its record exists (after which the notifier sees it): the queue
 * attribute's path below the device's own sysfs directory.
 */
static char *nic_attr_path(struct net_device *dev, const struct nic_name *n,
			   char *why, size_t len, int *err)
{
	unsigned int count = nic_params[n->param].tx ?
			     dev->real_num_tx_queues : dev->real_num_rx_queues;
	const char *dir = nic_params[n->param].tx ? "tx" : "rx";
	char *kpath, *path;

	*err = -ENOENT;
	if (n->queue >= count) {
		snprintf(why, len, "%s has no %s queue %u (it has %u)",
			 n->ifname, dir, n->queue, count);
		return NULL;
	}
	/* as the kernel's own xps_cpus does: one queue has no XPS */
	if (n->param == NIC_XPS_CPUS && !netif_is_multiqueue(dev)) {
		snprintf(why, len, "%s has one tx queue: no XPS", n->ifname);
		return NULL;
	}
	*err = -ENOMEM;
	kpath = kobject_get_path(&dev->dev.kobj, GFP_KERNEL);
	if (!kpath)
		return NULL;
	path = kasprintf(GFP_KERNEL, "%s/queues/%s-%u/%s", kpath + 1, dir,
			 n->queue, nic_params[n->param].name);
	kfree(kpath);
	return path;
}

static int nic_open(struct ostune_knob_file *kf, bool write, char *why,
		    size_t len)
{
	struct net_device *dev;
	struct nic_name n;
	struct nic_dev *nd;
	char *path;
	int ret;

	if (nic_parse(kf->knob->sub, &n)) {
		snprintf(why, len,
			 "bad nic name (want IF.rxN.rps_cpus/rps_flow_cnt, IF.txN.xps_cpus)");
		return -EINVAL;
	}
	rtnl_lock();
	dev = ostune_nic_lookup(n.ifname, why, len);
	if (!dev) {
		rtnl_unlock();
		return -ENOENT;
	}
	path = nic_attr_path(dev, &n, why, len, &ret);
	if (!path) {
		rtnl_unlock();
		return ret;
	}
	ret = ostune_text_open(kf, OSTUNE_FS_SYSFS, path, write);
	kfree(path);
	if (ret) {
		rtnl_unlock();
		if (ret == -ENOENT)
			snprintf(why, len, "%s has no %s (kernel without RPS/XPS?)",
				 n.ifname, nic_params[n.param].name);
		else
			snprintf(why, len, "cannot open: error %d", ret);
		return ret;
	}
	nd = ostune_nic_dev_get(dev);
	kf->ident.v[0] = dev->ifindex;
	rtnl_unlock();
	if (!nd) {
		ostune_text_close(kf);
		return -ENOMEM;
	}
	kf->data = nd;
	kf->ident.v[1] = nd->serial;
	return 0;
}

static void nic_close(struct ostune_knob_file *kf)
{
	ostune_text_close(kf);
	ostune_nic_dev_put(kf->data);
}

/*
 * A decimal, as the kernel prints it: digits only (kstrtouint() would
 * take a sign and a newline), no leading zero. -ERANGE past U32_MAX.
 */
int ostune_nic_parse_u32(const char *value, u32 *v)
{
	if (!*value || (value[0] == '0' && value[1]) ||
	    strspn(value, "0123456789") != strlen(value))
		return -EINVAL;
	return kstrtou32(value, 10, v);
}

static int nic_check_value(const struct ostune_knob *knob, const char *value,
			   char *why, size_t len)
{
	struct nic_name n;
	u32 count;
	int ret;

	if (nic_parse(knob->sub, &n))
		return -EINVAL;
	if (!nic_params[n.param].cpus) {
		ret = ostune_nic_parse_u32(value, &count);
		if (!ret && count > NIC_FLOW_CNT_MAX)
			ret = -ERANGE;
		if (ret == -ERANGE)
			snprintf(why, len, "'%.16s' is outside 0..%u", value,
				 NIC_FLOW_CNT_MAX);
		else if (ret)
			snprintf(why, len, "'%.16s' is not a decimal count", value);
		return ret;
	}
	return ostune_check_cpulist(value, true, why, len);
}

/*
 * The attribute, through the file opened on the device of kf's record;
 * nothing once the record is gone. Under nic_lock, so the notifier, which
 * marks it, waits for an access already under way.
 */
static int nic_attr_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	struct nic_dev *nd = kf->data;
	int ret = -ENODEV;

	mutex_lock(&nic_lock);
	if (!nd->gone)
		ret = ostune_text_read(kf, buf, size);
	mutex_unlock(&nic_lock);
	return ret;
}

static int nic_attr_write(struct ostune_knob_file *kf, const char *value)
{
	struct nic_dev *nd = kf->data;
	int ret = -ENODEV;

	mutex_lock(&nic_lock);
	if (!nd->gone)
		ret = ostune_text_write(kf, value);
	mutex_unlock(&nic_lock);
	return ret;
}

static bool nic_is_cpus(const struct ostune_knob_file *kf)
{
	struct nic_name n;

	return !nic_parse(kf->knob->sub, &n) && nic_params[n.param].cpus;
}

/* A mask as sysfs shows it ("00000000,0000000f") is read as a CPU list. */
static int nic_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	cpumask_var_t mask;
	char *raw;
	int ret, n;

	if (!nic_is_cpus(kf))
		return nic_attr_read(kf, buf, size);
	raw = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!raw)
		return -ENOMEM;
	ret = -ENOMEM;
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		goto out;
	ret = nic_attr_read(kf, raw, PAGE_SIZE);
	if (!ret)
		ret = cpumask_parse(raw, mask);
	if (!ret && cpumask_empty(mask)) {
		strscpy(buf, "none", size);
	} else if (!ret) {
		n = snprintf(buf, size, "%*pbl", cpumask_pr_args(mask));
		if (n >= size)
			ret = -EOVERFLOW;
	}
	free_cpumask_var(mask);
out:
	kfree(raw);
	return ret;
}

/*
 * A CPU list is written as the mask sysfs takes. Values come checked, or
 * are what a read gave: no range check here, so an original set outside
 * the limits of check_value goes back as it was.
 */
static int nic_write(struct ostune_knob_file *kf, const char *value)
{
	char why[OSTUNE_MSG_MAX];
	cpumask_var_t mask;
	u32 count;
	char *hex;
	int ret;

	if (!nic_is_cpus(kf)) {
		ret = ostune_nic_parse_u32(value, &count);
		return ret ? ret : nic_attr_write(kf, value);
	}
	hex = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!hex)
		return -ENOMEM;
	ret = -ENOMEM;
	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		goto out;
	ret = ostune_parse_cpulist(value, true, mask, why, sizeof(why));
	if (!ret) {
		snprintf(hex, PAGE_SIZE, "%*pb", cpumask_pr_args(mask));
		ret = nic_attr_write(kf, hex);
	}
	free_cpumask_var(mask);
out:
	kfree(hex);
	return ret;
}

/* For both classes, whose open knobs' data is their device's record. */
static bool nic_kf_gone(struct ostune_knob_file *kf)
{
	struct nic_dev *nd = kf->data;
	bool gone;

	mutex_lock(&nic_lock);
	gone = nd->gone;
	mutex_unlock(&nic_lock);
	return gone;
}

/* On the worker, where held knobs may be touched. */
static void nic_drop_work_fn(struct work_struct *work)
{
	struct ostune_actor who = {
		.comm = "ostune",
		.reason = OSTUNE_REASON_GONE,
	};

	mutex_lock(&ostune_lock);
	ostune_drop_gone(&ostune_nic_class, nic_kf_gone, &who);
	ostune_drop_gone(&ostune_niccoal_class, nic_kf_gone, &who);
	mutex_unlock(&ostune_lock);
}

/*
 * Under rtnl, where ostune_lock may not be taken (the worker holds it
 * while sysctl handlers take rtnl): the records are marked here, and the
 * held knobs let go by the drop work.
 */
static int nic_netdev_event(struct notifier_block *nb, unsigned long event,
			    void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	const char *what;
	struct nic_dev *nd;
	bool found = false;

	if (event == NETDEV_UNREGISTER)
		what = "was unregistered or left the initial namespace";
	else if (event == NETDEV_CHANGENAME)
		what = "was renamed";
	else
		return NOTIFY_DONE;
	if (!net_eq(dev_net(dev), &init_net))
		return NOTIFY_DONE;
	mutex_lock(&nic_lock);
	list_for_each_entry(nd, &nic_devs, node) {
		if (nd->dev != dev || nd->gone)
			continue;
		nd->gone = true;
		found = true;
		pr_info("nic: %s %s (now %s): its held knobs are let go, nothing restored\n",
			nd->ifname, what, dev->name);
	}
	mutex_unlock(&nic_lock);
	if (found)
		queue_work(ostune_wq, &nic_drop_work);
	return NOTIFY_OK;
}

static struct notifier_block nic_netdev_nb = {
	.notifier_call = nic_netdev_event,
};

static int nic_init(void)
{
	return register_netdevice_notifier(&nic_netdev_nb);
}

/*
 * After the last restore, which let go of every held knob: no record is
 * left, and no drop work may run once the module is gone.
 */
static void nic_exit(void)
{
	unregister_netdevice_notifier(&nic_netdev_nb);
	cancel_work_sync(&nic_drop_work);
	WARN_ON(!list_empty(&nic_devs));
}

const struct ostune_class ostune_nic_class = {
	.prefix		= "nic",
	.open		= nic_open,
	.close		= nic_close,
	.check_value	= nic_check_value,
	.read		= nic_read,
	.write		= nic_write,
	.absent_is_gone	= true,
	.init		= nic_init,
	.exit		= nic_exit,
};

// SPDX-License-Identifier: GPL-2.0
/*
 * Knob names: "<class>.<rest>", dispatched to the class that owns the
 * prefix. Plus the helpers every class shares.
 */
#include <linux/cpumask.h>
#include <linux/ctype.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/sched/signal.h>
#include <linux/string.h>

#include "compat.h"
#include "ostune.h"

static const struct ostune_class *const ostune_classes[] = {
	&ostune_sched_class,
	&ostune_sysctl_class,
	&ostune_idle_class,
	&ostune_pmqos_class,
	/* before ostune_freq_class, which takes the freq names it leaves */
	&ostune_freqpolicy_class,
	&ostune_freq_class,
	&ostune_irq_class,
	&ostune_mm_class,
	&ostune_wq_class,
	/* before ostune_nic_class, which takes the nic names it leaves */
	&ostune_niccoal_class,
	&ostune_nic_class,
#if IS_ENABLED(CONFIG_KUNIT)
	/* Refuses every name unless a test of tests/txn_kunit.c runs. */
	&ostune_kunit_class,
#endif
};

int ostune_classes_init(void)
{
	unsigned int i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(ostune_classes); i++) {
		if (!ostune_classes[i]->init)
			continue;
		ret = ostune_classes[i]->init();
		if (ret) {
			while (i--)
				if (ostune_classes[i]->exit)
					ostune_classes[i]->exit();
			return ret;
		}
	}
	return 0;
}

void ostune_classes_exit(void)
{
	unsigned int i = ARRAY_SIZE(ostune_classes);

	while (i--)
		if (ostune_classes[i]->exit)
			ostune_classes[i]->exit();
}

/*
 * "cpu12.state3" with prefix "cpu": index 12, returns "state3". Returns
 * NULL unless prefix is followed by a canonical decimal (no sign, no
 * leading zero) and then '.' or the end.
 */
const char *ostune_parse_index(const char *s, const char *prefix,
			       unsigned int *index)
{
	size_t n = strlen(prefix);
	unsigned long v = 0;
	const char *p;

	if (strncmp(s, prefix, n))
		return NULL;
	p = s + n;
	if (!isdigit(*p) || (*p == '0' && isdigit(p[1])))
		return NULL;
	for (; isdigit(*p); p++) {
		v = v * 10 + (*p - '0');
		if (v > UINT_MAX)
			return NULL;
	}
	if (*p && *p != '.')
		return NULL;
	*index = v;
	return *p ? p + 1 : p;
}

/* "none" (no request: -1 in out) or a decimal from 0 to max. */
int ostune_parse_qos_value(const char *value, s32 max, s32 *out,
			   char *why, size_t len)
{
	int ret;

	if (!strcmp(value, "none")) {
		*out = -1;
		return 0;
	}
	ret = kstrtos32(value, 10, out);
	if (!ret && (*out < 0 || *out > max))
		ret = -ERANGE;
	if (ret == -ERANGE)
		snprintf(why, len, "'%.16s' is outside 0..%d", value, max);
	else if (ret)
		snprintf(why, len, "'%.16s' is neither a number nor 'none'",
			 value);
	return ret;
}

/*
 * A CPU list ("0-3,8") as a mask; with none_ok, "none" is the empty mask,
 * which a list cannot be. why says what is wrong.
 */
int ostune_parse_cpulist(const char *value, bool none_ok,
			 struct cpumask *mask, char *why, size_t len)
{
	int ret;

	if (none_ok && !strcmp(value, "none")) {
		cpumask_clear(mask);
		return 0;
	}
	ret = cpulist_parse(value, mask);
	/* a CPU from nr_cpu_ids up */
	if (ret == -ERANGE) {
		snprintf(why, len, "'%.24s' names CPUs absent from this host",
			 value);
		return -EINVAL;
	}
	if (ret) {
		snprintf(why, len, "'%.24s' is not a CPU list%s", value,
			 none_ok ? " or 'none'" : "");
		return -EINVAL;
	}
	if (cpumask_empty(mask)) {
		snprintf(why, len, "empty CPU list%s", none_ok ? " (say 'none')" : "");
		return -EINVAL;
	}
	return 0;
}

/* A new value that is a CPU list: only online CPUs. */
int ostune_check_cpulist(const char *value, bool none_ok, char *why,
			 size_t len)
{
	cpumask_var_t mask;
	int ret;

	if (!zalloc_cpumask_var(&mask, GFP_KERNEL))
		return -ENOMEM;
	ret = ostune_parse_cpulist(value, none_ok, mask, why, len);
	if (!ret && !cpumask_subset(mask, cpu_online_mask)) {
		snprintf(why, len, "'%.24s' names CPUs that are offline or absent",
			 value);
		ret = -EINVAL;
	}
	free_cpumask_var(mask);
	return ret;
}

int ostune_knob_parse(struct ostune_knob *knob, const char *name, char *why,
		      size_t len)
{
	const char *dot = strchr(name, '.');
	size_t prefix_len;
	unsigned int i;

	if (strscpy(knob->name, name, sizeof(knob->name)) < 0) {
		snprintf(why, len, "name longer than %d bytes",
			 OSTUNE_NAME_MAX - 1);
		return -EINVAL;
	}
	if (!dot || !dot[1]) {
		snprintf(why, len, "not a knob name (want CLASS.NAME)");
		return -EINVAL;
	}
	prefix_len = dot - name;
	for (i = 0; i < ARRAY_SIZE(ostune_classes); i++) {
		const struct ostune_class *class = ostune_classes[i];

		if (strlen(class->prefix) != prefix_len ||
		    strncmp(class->prefix, name, prefix_len) ||
		    (class->owns && !class->owns(dot + 1)))
			continue;
		knob->class = class;
		knob->sub = knob->name + prefix_len + 1;
		return 0;
	}
	snprintf(why, len, "unknown knob class '%.*s'",
		 (int)min_t(size_t, prefix_len, 16), name);
	return -ENOENT;
}

int ostune_knob_open(struct ostune_knob_file *kf,
		     const struct ostune_knob *knob, bool write, char *why,
		     size_t len)
{
	int ret;

	kf->knob = knob;
	kf->file = NULL;
	kf->data = NULL;
	memset(&kf->ident, 0, sizeof(kf->ident));
	ret = knob->class->open(kf, write, why, len);
	if (ret)
		kf->knob = NULL;
	return ret;
}

void ostune_knob_close(struct ostune_knob_file *kf)
{
	if (!kf->knob)
		return;
	if (kf->knob->class->close)
		kf->knob->class->close(kf);
	kf->knob = NULL;
}

/* For a look at a knob that is already known to exist. */
int ostune_knob_read_once(const struct ostune_knob *knob, char *buf,
			  size_t size)
{
	struct ostune_knob_file kf;
	char why[OSTUNE_MSG_MAX];
	int ret;

	ret = ostune_knob_open(&kf, knob, false, why, sizeof(why));
	if (ret)
		return ret;
	ret = knob->class->read(&kf, buf, size);
	ostune_knob_close(&kf);
	return ret;
}

bool ostune_value_printable(const char *value)
{
	if (!*value)
		return false;
	for (; *value; value++)
		if (!isprint(*value) && *value != '\t')
			return false;
	return true;
}

/* Fold whitespace runs to one space and trim, so "4096\t87380\n" and
 * "4096 87380" compare equal.
 */
VISIBLE_IF_KUNIT void value_fold(char *buf)
{
	char *out = buf;
	const char *in;
	bool space = false;

	for (in = buf; *in; in++) {
		if (isspace(*in)) {
			space = out != buf;
			continue;
		}
		if (space)
			*out++ = ' ';
		space = false;
		*out++ = *in;
	}
	*out = '\0';
}

/*
 * Knobs that are small text files with read_iter/write_iter (procfs
 * sysctls, sysfs attributes), under one of the module's own mounts, read
 * and written whole through the file's own handlers, which parse and
 * check the value.
 */
int ostune_text_open(struct ostune_knob_file *kf, enum ostune_fs_id fs,
		     const char *path, bool write)
{
	struct file *file = ostune_fs_open(fs, path, write);

	if (IS_ERR(file))
		return PTR_ERR(file);
	kf->file = file;
	return 0;
}

void ostune_text_close(struct ostune_knob_file *kf)
{
	filp_close(kf->file, NULL);
}

/*
 * A few handlers, readers too (xps_cpus), ask for the system call to be
 * restarted when a lock they need is contended (rtnl_trylock() and
 * restart_syscall()); that marks the worker as signalled. Clear the mark,
 * let the lock holder run, try again; past a few tries say "busy" rather
 * than leak a restart code.
 */
#define TEXT_WRITE_TRIES	5

static bool restart_code(ssize_t n)
{
	return n == -ERESTARTSYS || n == -ERESTARTNOINTR ||
	       n == -ERESTARTNOHAND || n == -ERESTART_RESTARTBLOCK;
}

/*
 * kernel_write() of wbuf, or else kernel_read() into rbuf, of the whole
 * file from its start.
 */
static ssize_t text_io(struct file *file, const char *wbuf, char *rbuf,
		       size_t len)
{
	unsigned int tries = 0;
	loff_t pos;
	ssize_t n;

	do {
		if (tries)
			msleep(tries);
		pos = 0;
		n = wbuf ? kernel_write(file, wbuf, len, &pos) :
			   kernel_read(file, rbuf, len, &pos);
		if (restart_code(n))
			flush_signals(current);
	} while (restart_code(n) && ++tries < TEXT_WRITE_TRIES);
	return restart_code(n) ? -EBUSY : n;
}

/* Reads the whole value; -EOVERFLOW if it does not fit in buf. */
int ostune_text_read(struct ostune_knob_file *kf, char *buf, size_t size)
{
	ssize_t n = text_io(kf->file, NULL, buf, size);

	if (n < 0)
		return n;
	if (n >= size)
		return -EOVERFLOW;
	buf[n] = '\0';
	value_fold(buf);
	return 0;
}

/*
 * A write the file took only part of is a value refused, not an I/O
 * error: a sysctl's handler stores the numbers its vector holds and says
 * how far it parsed, so "1 0" to a single int, or a fourth number to
 * tcp_rmem, stores the first and leaves the rest. The caller rolls back
 * what the handler did store.
 */
int ostune_text_write(struct ostune_knob_file *kf, const char *value)
{
	size_t len = strlen(value);
	ssize_t n = text_io(kf->file, value, NULL, len);

	if (n < 0)
		return n;
	return n == len ? 0 : -EINVAL;
}

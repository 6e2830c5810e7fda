// SPDX-License-Identifier: GPL-2.0
/*
 * Knob names: "<class>.<rest>", dispatched to the class that owns the
 * prefix. Plus the helpers every class shares.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "ostune.h"

static const struct ostune_class *const ostune_classes[] = {
	&ostune_sched_class,
	&ostune_sysctl_class,
};

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
		    strncmp(class->prefix, name, prefix_len))
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
	ret = knob->class->open(kf, write, why, len);
	if (ret)
		kf->knob = NULL;
	return ret;
}

void ostune_knob_close(struct ostune_knob_file *kf)
{
	if (!kf->knob)
		return;
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
static void value_fold(char *buf)
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

/* Reads a small text file whole; -EOVERFLOW if it does not fit in buf. */
int ostune_read_text(struct file *file, char *buf, size_t size)
{
	loff_t pos = 0;
	ssize_t n;

	n = kernel_read(file, buf, size, &pos);
	if (n < 0)
		return n;
	if (n >= size)
		return -EOVERFLOW;
	buf[n] = '\0';
	value_fold(buf);
	return 0;
}

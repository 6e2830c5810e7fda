// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The module layer (module.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "knobs/module.h"

int module_op_failed(const struct ostune_client *c, const char *op, int err)
{
	if (c && c->err_msg[0])
		fprintf(stderr, "ostune: %s: %s: %s\n", op, strerror(-err),
			c->err_msg);
	else if (err == -EPERM)
		/* genetlink's own refusal, which carries no message */
		fprintf(stderr, "ostune: %s: %s: run as root (CAP_SYS_ADMIN and CAP_NET_ADMIN): knob values and events are shown only to who may change them\n",
			op, strerror(-err));
	else
		fprintf(stderr, "ostune: %s: %s\n", op, strerror(-err));
	return CLI_FAILED;
}

int module_connect(struct ostune_client *c)
{
	int ret = ostune_client_open(c);

	if (ret == -ENOENT)
		fputs("ostune: ostune.ko is not loaded: run 'insmod kmod/ostune.ko' or 'modprobe ostune'\n",
		      stderr);
	else if (ret)
		module_op_failed(NULL, "connect", ret);
	return ret;
}

int module_apply(struct ostune_client *c, const struct changeset *cs,
		 uint32_t *txn_id)
{
	struct ostune_kv *entries = calloc(cs->n ? cs->n : 1, sizeof(*entries));
	size_t i;
	int ret;

	if (!entries)
		return -ENOMEM;
	for (i = 0; i < cs->n; i++) {
		entries[i].name = cs->items[i].name;
		entries[i].value = cs->items[i].value;
	}
	ret = ostune_apply(c, entries, cs->n, txn_id);
	free(entries);
	return ret;
}

/* ostune_get_knobs() for any number of names. */
static int get_knobs_chunked(struct ostune_client *c, const char **names,
			     size_t n, struct ostune_knob_value *values)
{
	size_t done;
	int ret = 0;

	for (done = 0; done < n && !ret; done += OSTUNE_TXN_MAX_ENTRIES) {
		size_t chunk = n - done;

		if (chunk > OSTUNE_TXN_MAX_ENTRIES)
			chunk = OSTUNE_TXN_MAX_ENTRIES;
		ret = ostune_get_knobs(c, names + done, chunk, values + done);
	}
	return ret;
}

int module_current_values(struct ostune_client *c, const struct changeset *cs,
		       struct ostune_knob_value **out)
{
	const char **names = calloc(cs->n ? cs->n : 1, sizeof(*names));
	struct ostune_knob_value *values;
	size_t i;
	int ret;

	values = calloc(cs->n ? cs->n : 1, sizeof(*values));
	if (!names || !values) {
		free(names);
		free(values);
		return -ENOMEM;
	}
	for (i = 0; i < cs->n; i++)
		names[i] = cs->items[i].name;
	ret = get_knobs_chunked(c, names, cs->n, values);
	free(names);
	if (ret) {
		free(values);
		return ret;
	}
	*out = values;
	return 0;
}

/* The IRQ part of module_discover(). */
static int mark_fixed(const char *sysroot, struct knob_list *known)
{
	struct ostune_knob_value *values = NULL;
	struct knob **asked = NULL;
	const char **names = NULL;
	struct ostune_client c;
	size_t i, n = 0;
	int ret;

	for (i = 0; i < known->n; i++)
		n += known->items[i].cls == KNOB_CLASS_IRQ &&
		     !known->items[i].fixed;
	if (!n || strcmp(sysroot, "/") || ostune_client_open(&c))
		return 0;
	names = calloc(n, sizeof(*names));
	asked = calloc(n, sizeof(*asked));
	values = calloc(n, sizeof(*values));
	ret = names && asked && values ? 0 : -ENOMEM;
	for (i = 0, n = 0; !ret && i < known->n; i++) {
		if (known->items[i].cls != KNOB_CLASS_IRQ ||
		    known->items[i].fixed)
			continue;
		asked[n] = &known->items[i];
		names[n++] = known->items[i].name;
	}
	if (!ret)
		ret = get_knobs_chunked(&c, names, n, values);
	for (i = 0; !ret && i < n; i++)
		if (values[i].flags & OSTUNE_KNOB_F_FIXED)
			ret = knob_mark_fixed(asked[i]);
	ostune_client_close(&c);
	free(values);
	free(asked);
	free(names);
	/* An IRQ gone since discovery, say: the module's refusal will tell. */
	return ret == -ENOMEM ? ret : 0;
}

int module_discover(const char *sysroot, struct knob_list *out)
{
	int ret = discover_knobs(sysroot, out);

	return ret ?: mark_fixed(sysroot, out);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune knobs [PATTERN] [--json]: the knobs this host has, by discovery,
 * with their domains and details; works without the module. With it,
 * QoS knobs it holds show its request.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/table.h"
#include "knobs/discover.h"

/* Room for every detail of a knob, quoted. */
#define DETAIL_TEXT_MAX 4096

static bool needs_quotes(const char *s)
{
	return !*s || strpbrk(s, " \t\"\\=");
}

/* Appends to buf at *len; what does not fit is cut. */
static void append(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);

	if (*len + 1 >= size)
		return;
	if (n > size - *len - 1)
		n = size - *len - 1;
	memcpy(buf + *len, s, n);
	*len += n;
	buf[*len] = '\0';
}

static void append_quoted(char *buf, size_t size, size_t *len, const char *s)
{
	append(buf, size, len, "\"");
	for (; *s; s++) {
		char ch[3] = { *s, '\0', '\0' };

		if (*s == '"' || *s == '\\') {
			ch[0] = '\\';
			ch[1] = *s;
		}
		append(buf, size, len, ch);
	}
	append(buf, size, len, "\"");
}

/* "name=FAKE-C2 latency=50us residency=150us desc=\"FAKE C2\"" */
static void details_text(const struct knob *k, char *buf, size_t size)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < k->ndetails; i++) {
		const struct knob_detail *d = &k->details[i];

		if (i)
			append(buf, size, &len, " ");
		append(buf, size, &len, d->key);
		append(buf, size, &len, "=");
		if (needs_quotes(d->value))
			append_quoted(buf, size, &len, d->value);
		else
			append(buf, size, &len, d->value);
		if (d->unit)
			append(buf, size, &len, d->unit);
	}
}

static void print_text(const struct knob *const *knobs, size_t n)
{
	char details[DETAIL_TEXT_MAX];
	struct table t;
	size_t i;

	table_init(&t, 5);
	table_add(&t, (const char *[]){ "NAME", "CLASS", "VALUE", "DOMAIN",
					"DETAIL" });
	for (i = 0; i < n; i++) {
		details_text(knobs[i], details, sizeof(details));
		table_add(&t, (const char *[]){
			knobs[i]->name, knob_class_name(knobs[i]->cls),
			knobs[i]->value, knob_domain(knobs[i]), details });
	}
	table_print(&t, stdout);
	table_free(&t);
}

/* {"latency_us": "50", ...}: the unit joins the key, the value stays text. */
static json_t *details_json(const struct knob *k)
{
	json_t *obj = json_object();
	char key[64];
	size_t i;

	for (i = 0; i < k->ndetails; i++) {
		const struct knob_detail *d = &k->details[i];

		if (d->unit)
			snprintf(key, sizeof(key), "%s_%s", d->key, d->unit);
		else
			snprintf(key, sizeof(key), "%s", d->key);
		json_object_set_new(obj, key, json_string(d->value));
	}
	return obj;
}

static void print_json(const struct knob *const *knobs, size_t n)
{
	json_t *list = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		const char *domain = knob_domain(knobs[i]);

		json_array_append_new(list, json_pack(
			"{s:s, s:s, s:s, s:o, s:o}",
			"name", knobs[i]->name,
			"class", knob_class_name(knobs[i]->cls),
			"value", knobs[i]->value,
			"domain", domain ? json_string(domain) : json_null(),
			"details", details_json(knobs[i])));
	}
	cli_print_json(json_pack("{s:o}", "knobs", list));
}

static bool is_held(const struct ostune_status *st, const char *name)
{
	size_t i;

	for (i = 0; i < st->nheld; i++)
		if (!strcmp(st->held[i].name, name))
			return true;
	return false;
}

/* The shown QoS knobs the module holds, by index into shown. */
static int held_qos_knobs(const struct ostune_status *st,
			  const struct knob *const *shown, size_t n,
			  struct changeset *out, size_t *index)
{
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		if (!knob_is_qos(shown[i]->name) ||
		    !is_held(st, shown[i]->name))
			continue;
		ret = changeset_set(out, shown[i]->name, NULL);
		if (ret)
			return ret;
		index[out->n - 1] = i;
	}
	return 0;
}

static bool any_qos(const struct knob *const *shown, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (knob_is_qos(shown[i]->name))
			return true;
	return false;
}

static int replace_values(struct knob_list *known,
			  const struct knob *const *shown,
			  const struct changeset *held, const size_t *index,
			  const struct ostune_knob_value *values)
{
	size_t i;

	for (i = 0; i < held->n; i++) {
		struct knob *k = &known->items[shown[index[i]] - known->items];
		char *value = strdup(values[i].value);

		if (!value)
			return -ENOMEM;
		free(k->value);
		k->value = value;
	}
	return 0;
}

static void warn_no_requests(const struct ostune_client *c, int err)
{
	fprintf(stderr,
		"ostune: warning: cannot read the module's requests: %s%s%s; QoS knobs show \"none\"\n",
		strerror(-err), c->err_msg[0] ? ": " : "", c->err_msg);
}

/*
 * QoS knobs read as the module's own request, which no file shows, so
 * discovery says "none": true without the module, and for every knob it
 * does not hold. The module is asked for the others; if that fails, a
 * warning says so. known owns what shown points to. 0 or -ENOMEM.
 */
static int show_module_requests(struct knob_list *known,
				const struct knob *const *shown, size_t n)
{
	struct ostune_knob_value *values = NULL;
	struct changeset held = { 0 };
	struct ostune_client c;
	struct ostune_status st;
	size_t *index;
	int ret;

	if (!any_qos(shown, n) || ostune_client_open(&c))
		return 0;
	index = calloc(n, sizeof(*index));
	ret = index ? ostune_get_status(&c, &st) : -ENOMEM;
	if (!ret) {
		ret = held_qos_knobs(&st, shown, n, &held, index);
		ostune_status_free(&st);
	}
	if (!ret && held.n)
		ret = module_current_values(&c, &held, &values);
	if (!ret && held.n)
		ret = replace_values(known, shown, &held, index, values);
	if (ret && ret != -ENOMEM) {
		warn_no_requests(&c, ret);
		ret = 0;
	}
	free(values);
	changeset_free(&held);
	free(index);
	ostune_client_close(&c);
	return ret;
}

/* Why a pattern of this class may match nothing on a host. */
static const char *no_match_hint(const char *pattern)
{
	enum knob_class cls;

	if (knob_class_lookup(pattern, &cls))
		return "";
	switch (cls) {
	case KNOB_CLASS_SCHED:
		return " (sched knobs need root and debugfs mounted at /sys/kernel/debug)";
	case KNOB_CLASS_IDLE:
		return " (idle knobs need a cpuidle driver: see 'ostune doctor')";
	case KNOB_CLASS_FREQ:
		return " (freq knobs need a cpufreq driver: see 'ostune doctor')";
	case KNOB_CLASS_MM:
		return " (mm knobs have three parts: mm.thp.*, mm.ksm.*, mm.node*.*)";
	case KNOB_CLASS_NIC:
		return " (a '*' stays within one dotted component: 'nic.*.*.*' is every queue knob of the devices without a dot in their name)";
	default:
		return "";
	}
}

int cmd_knobs(const struct cli *cli, int argc, char **argv)
{
	const struct knob **shown;
	struct knob_list known;
	const char *pattern = NULL;
	bool json = false;
	char why[256];
	size_t n;
	int opt, ret;

	opt = cli_json_options(cli, argc, argv, &json);
	if (opt >= 0)
		return opt;
	if (argc - optind > 1)
		return cli_usage_error(cli, "one PATTERN at most");
	if (optind < argc) {
		pattern = argv[optind];
		if (knob_pattern_check(pattern, why, sizeof(why)))
			return cli_input_error("%s", why);
	}

	ret = module_discover(cli->sysroot, &known);
	if (ret) {
		knob_list_free(&known);
		return module_op_failed(NULL, "discover", ret);
	}
	shown = calloc(known.n ? known.n : 1, sizeof(*shown));
	if (!shown) {
		knob_list_free(&known);
		return module_op_failed(NULL, "discover", -ENOMEM);
	}
	if (pattern) {
		n = knob_list_match(&known, pattern, shown);
	} else {
		for (n = 0; n < known.n; n++)
			shown[n] = &known.items[n];
	}
	if (pattern && !n) {
		ret = cli_input_error("%s: pattern matches no knob on this host%s",
				      pattern, no_match_hint(pattern));
	} else if ((ret = show_module_requests(&known, shown, n))) {
		ret = module_op_failed(NULL, "knobs", ret);
	} else {
		if (json)
			print_json(shown, n);
		else
			print_text(shown, n);
		ret = CLI_OK;
	}
	free(shown);
	knob_list_free(&known);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune doctor [--json]: the prerequisites, one line each, and which knob
 * classes this host supports. Exits 0 when the module is loaded (or not
 * checked, with a sysroot) and at least one class can work, else 1.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cli.h"
#include "knobs/doctor.h"

/* The module is the running kernel's: a sysroot is another host's files. */
static bool sysroot_is_host(const char *sysroot)
{
	char *real = realpath(sysroot, NULL);
	bool host = real && !strcmp(real, "/");

	free(real);
	return host;
}

static void ask_module(const char *sysroot, struct doctor_module *m)
{
	struct ostune_client c;
	struct ostune_status st;
	int ret;

	memset(m, 0, sizeof(*m));
	if (!sysroot_is_host(sysroot)) {
		m->state = DOCTOR_MODULE_NOT_CHECKED;
		return;
	}
	ret = ostune_client_open(&c);
	if (ret) {
		m->state = ret == -ENOENT ? DOCTOR_MODULE_ABSENT
					  : DOCTOR_MODULE_ERROR;
		m->error = ret;
		return;
	}
	ret = ostune_get_status(&c, &st);
	ostune_client_close(&c);
	if (ret) {
		m->state = DOCTOR_MODULE_ERROR;
		m->error = ret;
		return;
	}
	m->state = DOCTOR_MODULE_LOADED;
	m->family_version = st.version;
	snprintf(m->version, sizeof(m->version), "%s", st.module_version);
	ostune_status_free(&st);
}

static void print_classes(const struct doctor_report *r)
{
	const char *sep = "; unavailable: ";
	bool any = false;
	size_t i;

	printf("classes:");
	for (i = 0; i < KNOB_NUM_CLASSES; i++)
		if (!r->unavailable[i]) {
			printf(" %s", knob_class_name(i));
			any = true;
		}
	if (!any)
		printf(" none");
	for (i = 0; i < KNOB_NUM_CLASSES; i++)
		if (r->unavailable[i]) {
			printf("%s%s (%s)", sep, knob_class_name(i),
			       r->unavailable[i]);
			sep = ", ";
		}
	putchar('\n');
}

/* "warn  cpuidle       no cpuidle driver; idle knobs need one: ..." */
static void print_text(const struct doctor_report *r)
{
	size_t i;

	for (i = 0; i < r->nchecks; i++) {
		const struct doctor_check *c = &r->checks[i];

		printf("%-4s  %-12s  %s%s%s\n", doctor_status_name(c->status),
		       c->name, c->message, c->hint ? "; " : "",
		       c->hint ? c->hint : "");
	}
	print_classes(r);
}

static void print_json(const struct doctor_report *r)
{
	json_t *checks = json_array(), *available = json_array();
	json_t *missing = json_object();
	size_t i;

	for (i = 0; i < r->nchecks; i++) {
		const struct doctor_check *c = &r->checks[i];

		json_array_append_new(checks, json_pack(
			"{s:s, s:s, s:s, s:o}",
			"name", c->name,
			"status", doctor_status_name(c->status),
			"message", c->message,
			"hint", c->hint ? json_string(c->hint) : json_null()));
	}
	for (i = 0; i < KNOB_NUM_CLASSES; i++) {
		if (r->unavailable[i])
			json_object_set_new(missing, knob_class_name(i),
					    json_string(r->unavailable[i]));
		else
			json_array_append_new(available,
					      json_string(knob_class_name(i)));
	}
	cli_print_json(json_pack("{s:b, s:o, s:o, s:o}",
				 "ok", r->ok,
				 "checks", checks,
				 "classes", available,
				 "unavailable", missing));
}

int cmd_doctor(const struct cli *cli, int argc, char **argv)
{
	struct doctor_report report;
	struct doctor_module module;
	struct knob_list known;
	bool json = false;
	int opt, ret;

	opt = cli_json_only(cli, argc, argv, &json);
	if (opt >= 0)
		return opt;

	ask_module(cli->sysroot, &module);
	ret = module_discover(cli->sysroot, &known);
	if (!ret)
		ret = doctor_run(cli->sysroot, OSTUNE_VERSION, &module, &known,
				 &report);
	knob_list_free(&known);
	if (ret)
		return module_op_failed(NULL, "doctor", ret);
	if (json)
		print_json(&report);
	else
		print_text(&report);
	return report.ok ? CLI_OK : CLI_FAILED;
}

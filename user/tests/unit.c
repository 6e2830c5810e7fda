// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Runs every suite, one line per case, and ends with "N passed, N failed".
 * An optional argument runs only the cases whose name contains it.
 */
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/wait.h>

#include "unit.h"

static const struct test_suite *const suites[] = {
	&knobname_suite,
	&pattern_suite,
	&changeset_suite,
	&profile_suite,
	&discover_suite,
	&hwdiscover_suite,
	&ethtool_nl_suite,
	&mmdiscover_suite,
	&doctor_suite,
	&netlink_suite,
	&cli_suite,
	&commands_suite,
	&boot_suite,
	&ucube_suite,
	&gp_suite,
	&acquisition_suite,
	&model_tuners_suite,
	&verify_suite,
	&parsers_suite,
	&presets_suite,
	&tuner_suite,
	&llm_suite,
	&pool_suite,
	&tune_suite,
	&status_version_suite,
	&export_suite,
	&report_suite,
	&watch_suite,
};

void test_fail(struct test_ctx *t, const char *file, int line,
	       const char *fmt, ...)
{
	va_list ap;
	int n;

	t->failed = true;
	n = snprintf(t->where, sizeof(t->where), "%s:%d: ", file, line);
	va_start(ap, fmt);
	vsnprintf(t->where + n, sizeof(t->where) - n, fmt, ap);
	va_end(ap);
}

static int remove_entry(const char *path, const struct stat *st, int type,
			struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	return remove(path);
}

static bool run_case(const struct test_case *tc)
{
	struct test_ctx t = { 0 };

	snprintf(t.tmpdir, sizeof(t.tmpdir), "/tmp/ostune-unit.XXXXXX");
	if (!mkdtemp(t.tmpdir)) {
		perror("mkdtemp");
		exit(2);
	}
	tc->run(&t);
	/* a failed check returns early: what it started must not outlive it */
	if (t.started > 0) {
		kill(-t.started, SIGKILL);
		waitpid(t.started, NULL, 0);
	}
	nftw(t.tmpdir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	if (t.failed)
		printf("FAIL %s\n     %s\n", tc->name, t.where);
	else
		printf("ok   %s\n", tc->name);
	return !t.failed;
}

int main(int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned int passed = 0, failed = 0;
	size_t s, c;

	/* Event times in the tests are written in UTC. */
	setenv("TZ", "UTC", 1);
	for (s = 0; s < sizeof(suites) / sizeof(suites[0]); s++) {
		printf("# %s\n", suites[s]->name);
		for (c = 0; c < suites[s]->ncases; c++) {
			const struct test_case *tc = &suites[s]->cases[c];

			if (filter && !strstr(tc->name, filter))
				continue;
			fflush(stdout);
			if (run_case(tc))
				passed++;
			else
				failed++;
		}
	}
	printf("%u passed, %u failed\n", passed, failed);
	return failed ? 1 : 0;
}

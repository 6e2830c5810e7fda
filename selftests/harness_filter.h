/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test selection for programs built on kselftest_harness.h, whose 6.1
 * version has none: `-t SUBSTRING` (repeatable) or OSTUNE_TEST_FILTER
 * (comma-separated) keep the tests whose "fixture.test" name contains one
 * of the substrings, `-l` lists them. Include after kselftest_harness.h.
 */
#ifndef OSTUNE_HARNESS_FILTER_H
#define OSTUNE_HARNESS_FILTER_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HARNESS_FILTER_MAX 64

struct harness_filter {
	const char *pattern[HARNESS_FILTER_MAX];
	int count;
	bool list_only;
};

static bool harness_filter_wants(const struct harness_filter *hf,
				 const char *fixture, const char *test)
{
	char full[256];
	int i;

	if (!hf->count)
		return true;
	snprintf(full, sizeof(full), "%s.%s", fixture, test);
	for (i = 0; i < hf->count; i++)
		if (strstr(full, hf->pattern[i]))
			return true;
	return false;
}

/* Unlinks the tests no pattern matches from the harness's lists. */
static void harness_filter_apply(const struct harness_filter *hf)
{
	struct __fixture_metadata *f;

	for (f = __fixture_list; f; f = f->next) {
		struct __test_metadata *t, *next, *head = NULL, *tail = NULL;

		for (t = f->tests; t; t = next) {
			next = t->next;
			if (!harness_filter_wants(hf, f->name, t->name))
				continue;
			if (hf->list_only)
				printf("%s.%s\n", f->name, t->name);
			t->next = NULL;
			if (tail) {
				tail->next = t;
				t->prev = tail;
			} else {
				head = t;
			}
			tail = t;
		}
		if (head)
			head->prev = tail;
		f->tests = head;
	}
}

/*
 * Reads the options and the environment and drops the tests not wanted.
 * Returns -1 to go on running them, or the exit status to end with: 0
 * after -l, 2 on a usage error.
 */
static int harness_filter_setup(struct harness_filter *hf, int argc,
				char **argv)
{
	char *env = getenv("OSTUNE_TEST_FILTER");
	int opt;

	memset(hf, 0, sizeof(*hf));
	if (env && *env) {
		char *tok, *save = NULL;

		for (tok = strtok_r(env, ",", &save);
		     tok && hf->count < HARNESS_FILTER_MAX;
		     tok = strtok_r(NULL, ",", &save))
			hf->pattern[hf->count++] = tok;
	}
	while ((opt = getopt(argc, argv, "t:l")) != -1) {
		switch (opt) {
		case 't':
			if (hf->count < HARNESS_FILTER_MAX)
				hf->pattern[hf->count++] = optarg;
			break;
		case 'l':
			hf->list_only = true;
			break;
		default:
			fprintf(stderr, "usage: %s [-l] [-t SUBSTRING]...\n",
				argv[0]);
			return 2;
		}
	}
	harness_filter_apply(hf);
	return hf->list_only ? 0 : -1;
}

/*
 * A main() of one's own replaces TEST_HARNESS_MAIN, which also sets the
 * order in which the tests register: this does that part.
 */
#define HARNESS_CONSTRUCTOR_ORDER()					\
static void __attribute__((constructor)) __constructor_order_last(void) \
{									\
	if (!__constructor_order)					\
		__constructor_order = _CONSTRUCTOR_ORDER_BACKWARD;	\
}

#endif /* OSTUNE_HARNESS_FILTER_H */

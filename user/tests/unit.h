/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small unit test runner: suites of cases, each case stops at its first
 * failed check. The last line printed is "N passed, N failed".
 */
#ifndef OSTUNE_UNIT_H
#define OSTUNE_UNIT_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/types.h>

struct test_ctx {
	bool failed;
	char where[512];
	/* a fresh directory per case, removed afterwards */
	char tmpdir[256];
	/* a CLI started and not yet collected: killed after the case */
	pid_t started;
};

struct test_case {
	const char *name;
	void (*run)(struct test_ctx *t);
};

struct test_suite {
	const char *name;
	const struct test_case *cases;
	size_t ncases;
};

#define SUITE(var, label, ...)						\
	static const struct test_case var##_cases[] = { __VA_ARGS__ };	\
	const struct test_suite var = {					\
		label, var##_cases,					\
		sizeof(var##_cases) / sizeof(var##_cases[0])		\
	}

#define CASE(fn) { #fn, fn }

void test_fail(struct test_ctx *t, const char *file, int line,
	       const char *fmt, ...) __attribute__((format(printf, 4, 5)));

#define CHECK(t, cond)							\
	do {								\
		if (!(cond)) {						\
			test_fail(t, __FILE__, __LINE__, "%s", #cond);	\
			return;						\
		}							\
	} while (0)

#define CHECK_INT(t, got, want)						\
	do {								\
		long long got_ = (got), want_ = (want);			\
		if (got_ != want_) {					\
			test_fail(t, __FILE__, __LINE__,		\
				  "%s is %lld, want %lld", #got, got_,	\
				  want_);				\
			return;						\
		}							\
	} while (0)

#define CHECK_STR(t, got, want)						\
	do {								\
		const char *got_ = (got), *want_ = (want);		\
		if (!got_ || strcmp(got_, want_)) {			\
			test_fail(t, __FILE__, __LINE__,		\
				  "%s is \"%s\", want \"%s\"", #got,	\
				  got_ ? got_ : "(null)", want_);	\
			return;						\
		}							\
	} while (0)

#define CHECK_CONTAINS(t, haystack, needle)				\
	do {								\
		const char *h_ = (haystack), *n_ = (needle);		\
		if (!h_ || !strstr(h_, n_)) {				\
			test_fail(t, __FILE__, __LINE__,		\
				  "%s (\"%s\") lacks \"%s\"", #haystack,	\
				  h_ ? h_ : "(null)", n_);		\
			return;						\
		}							\
	} while (0)

/* fixture.c: files under t->tmpdir */

/* Writes PATH (relative to tmpdir, parents made) with content and mode. */
void fixture_file(struct test_ctx *t, const char *path, const char *content,
		  unsigned int mode);
void fixture_dir(struct test_ctx *t, const char *path);
/* tmpdir/name, in a static buffer good until the next call. */
const char *fixture_path(struct test_ctx *t, const char *name);

/*
 * hwtree.c: hardware knobs under t->tmpdir. idle: cpu0 and cpu1 with
 * state0..2 (POLL, FAKE-C1 2/10 us, FAKE-C2 50/150 us; cpu1's state2
 * disabled) and a current_driver. freq: policy0 (CPUs 0-3, 800000..2400000
 * kHz, limits 1600000..2400000, five available frequencies) and policy4
 * (CPUs 4-5,7, 1000000..3000000, limits 1000000..2000000, no frequency
 * table). pmqos: dev/cpu_dma_latency as text ("20"), resume latencies on
 * cpu0 ("0"), cpu1 ("n/a"), cpu10 ("100"). irq: /proc/interrupts with
 * IRQs 0, 8, 26, 36 (fixed), 40 (shared), 41 (no handler), 99 (no
 * /proc/irq entry), NMI, LOC, ERR, MIS; CPUs 0-7 online (so cpu10 is
 * offline).
 */
void fixture_idle_tree(struct test_ctx *t);
void fixture_freq_tree(struct test_ctx *t);
void fixture_freqpolicy_tree(struct test_ctx *t);
void fixture_pmqos_tree(struct test_ctx *t);
void fixture_irq_tree(struct test_ctx *t);
void fixture_nic_tree(struct test_ctx *t);
void fixture_hw_tree(struct test_ctx *t);

/*
 * mmtree.c: the mm and wq knobs under t->tmpdir. THP enabled "always
 * [madvise] never", defrag "always defer defer+madvise [madvise] never",
 * khugepaged defrag 1; KSM run 0, pages_to_scan 100; node0 with 2048 kB
 * (16 pages, 12 free) and 1048576 kB pools, node1 with 2048 kB and a
 * non-canonical "02048kB"; CPUs 0-7 possible; wq cpumask "ff".
 */
void fixture_mm_tree(struct test_ctx *t);

/* The result of running the built ostune. */
struct cli_run {
	int status;	/* exit code, or 128+signal */
	char out[65536];
	char err[8192];
	char log[8192];	/* what the client double was asked to do */
};

/* Runs $OSTUNE_BIN with the NULL-terminated args; output captured. */
void run_ostune(struct test_ctx *t, struct cli_run *r, ...)
	__attribute__((sentinel));
/* The same with $OSTUNE_FAKE_BIN, ostune on tests/fake/fake_client.c. */
void run_fake(struct test_ctx *t, struct cli_run *r, ...)
	__attribute__((sentinel));
/* Starts $OSTUNE_FAKE_BIN without waiting; finish_cli() collects it. */
pid_t start_fake(struct test_ctx *t, ...) __attribute__((sentinel));
void finish_cli(struct test_ctx *t, struct cli_run *r, pid_t pid);

extern const struct test_suite knobname_suite;
extern const struct test_suite pattern_suite;
extern const struct test_suite changeset_suite;
extern const struct test_suite profile_suite;
extern const struct test_suite discover_suite;
extern const struct test_suite hwdiscover_suite;
extern const struct test_suite ethtool_nl_suite;
extern const struct test_suite mmdiscover_suite;
extern const struct test_suite doctor_suite;
extern const struct test_suite netlink_suite;
extern const struct test_suite cli_suite;
extern const struct test_suite commands_suite;
extern const struct test_suite boot_suite;
extern const struct test_suite ucube_suite;
extern const struct test_suite gp_suite;
extern const struct test_suite acquisition_suite;
extern const struct test_suite model_tuners_suite;
extern const struct test_suite verify_suite;

extern const struct test_suite parsers_suite;
extern const struct test_suite presets_suite;
extern const struct test_suite tuner_suite;
extern const struct test_suite llm_suite;
extern const struct test_suite pool_suite;
extern const struct test_suite tune_suite;
extern const struct test_suite status_version_suite;
extern const struct test_suite export_suite;
extern const struct test_suite report_suite;
extern const struct test_suite watch_suite;

#endif /* OSTUNE_UNIT_H */

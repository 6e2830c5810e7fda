/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers for the ostune selftests: direct knob file I/O (never through
 * the module), snapshots, module load/unload, /dev/kmsg, child processes,
 * raw netlink requests with full extack parsing.
 *
 * Nothing here includes kselftest_harness.h (it may only be included by
 * one translation unit); these helpers report failure by return value.
 */
#ifndef OSTUNE_SELFTEST_UTIL_H
#define OSTUNE_SELFTEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/ostune.h>
#include "client.h"

#define SCHED_DIR	"/sys/kernel/debug/sched"
#define SYSCTL_DIR	"/proc/sys"
#define CPU_DIR		"/sys/devices/system/cpu"
#define IRQ_DIR		"/proc/irq"
#define OSTUNE_MOD_DIR	"/sys/module/ostune"

#define VALBUF		512
#define MSGBUF_SIZE	(64 * 1024)

/* ---- knob files ---------------------------------------------------- */

/*
 * Path of a knob's file; 0 or -EINVAL for a name we cannot map. Besides
 * sched.* and sysctl.*, the file-backed hardware knobs map too:
 * idle.cpuN.stateK.disable to its cpuidle "disable" attribute and
 * irq.N.affinity to /proc/irq/N/smp_affinity_list. The QoS classes (pmqos,
 * freq) have no file of their own: their effective values are elsewhere.
 */
int knob_path(const char *name, char *path, size_t len);
bool knob_exists(const char *name);
/* Reads a knob file; trailing newline stripped. 0 or -errno. */
int knob_read(const char *name, char *buf, size_t len);
/* Writes a knob file directly (the "admin" of the drift tests). */
int knob_write(const char *name, const char *val);
int file_read(const char *path, char *buf, size_t len);
int file_write(const char *path, const char *val);
/* Compares two values ignoring whitespace differences (sysctl vectors). */
bool val_eq(const char *a, const char *b);
/* First candidate whose value differs from the knob's current value. */
const char *pick_other(const char *name, const char *const *cands);

/* ---- snapshots of every knob the tests may touch ------------------- */

#define SNAP_MAX 48
struct snap {
	size_t n;
	char name[SNAP_MAX][OSTUNE_NAME_MAX];
	char val[SNAP_MAX][VALBUF];
};

extern const char *const all_test_knobs[];
void snap_take(struct snap *s);
/* Name of the first knob that differs (NULL when equal). */
const char *snap_diff(const struct snap *a, const struct snap *b,
		      char *detail, size_t len);
/* A knob's value in the snapshot, NULL if absent. */
const char *snap_get(const struct snap *s, const char *name);
/* Writes every differing knob of @want back directly; returns count. */
int snap_force(const struct snap *want);

/* ---- module -------------------------------------------------------- */

bool mod_loaded(void);
int mod_unload(void);		/* delete_module("ostune"), 0 or -errno */
int mod_load(void);		/* finit_module($OSTUNE_KO), 0 or -errno */
int mod_ensure_loaded(void);
/* default_watchdog_ms as the module reports it, or 10000. */
unsigned int mod_default_watchdog_ms(void);

/* ---- fixture modules, CPUs ----------------------------------------- */

/* /sys/module/NAME exists. */
bool module_present(const char *name);
/*
 * finit_module($OSTUNE_FIXTURES/NAME.ko) with module parameters params
 * (NULL: none), default directory /ostune/fixtures; 0 also when it is
 * loaded already, else -errno.
 */
int fixture_load(const char *name, const char *params);
/* delete_module(NAME), retried while busy; 0 or -errno. */
int fixture_unload(const char *name);
/* 1 online, 0 offline, -errno (cpu0 without an "online" file: 1). */
int cpu_online_get(unsigned int cpu);
/* Writes cpuN/online; 0 also when it already was. */
int cpu_online_set(unsigned int cpu, bool online);

/* ---- time ---------------------------------------------------------- */

uint64_t now_ms(void);
void sleep_ms(unsigned int ms);
/* Polls until knob's value equals want (val_eq) or timeout; 0 when it does. */
int wait_knob(const char *name, const char *want, unsigned int timeout_ms);

/* ---- kmsg ---------------------------------------------------------- */

/* Opens /dev/kmsg positioned at its end; -errno on failure. */
int kmsg_open_end(void);
/*
 * Looks for a kernel log line containing @needle among the records read
 * from fd since it was opened, reading more for at most timeout_ms; copies
 * the line to @line. 1 found, 0 not. Lines may be looked for in any order.
 */
int kmsg_find(int fd, const char *needle, char *line, size_t len,
	      unsigned int timeout_ms);

/* ---- events -------------------------------------------------------- */

/* Collects up to max events, waiting at most timeout_ms for each. */
int events_collect(struct ostune_client *c, struct ostune_event *ev,
		   int max, int want, unsigned int timeout_ms);

/* The event of ev[0..n) about knob name for reason, or NULL. */
const struct ostune_event *event_find(const struct ostune_event *ev, int n,
				      const char *name, uint32_t reason);

/* ---- clients ------------------------------------------------------- */

/* APPLY of one knob. */
int apply1(struct ostune_client *c, const char *name, const char *val);
/* The module's value of a knob (GET_KNOBS), into buf. */
int getk(struct ostune_client *c, const char *name, char *buf, size_t len);

/* Status helpers. */
const struct ostune_held_knob *status_find(const struct ostune_status *st,
					   const char *name);
/* Opens a client and RESTOREs everything (cleanup); never fails loudly. */
void cleanup_restore_all(void);
/* Waits until no session is open (a dying owner); 0 when none. */
int wait_no_session(unsigned int timeout_ms);

/* Message building. */
void put_knob(struct nlmsghdr *nlh, const char *name, const char *value);

/* Raw request on a private socket, with the full ack parsed. */
struct xack {
	int err;		/* 0 or -errno */
	char msg[256];
	bool has_offs;
	uint32_t offs;		/* bad-attribute offset from nlmsghdr start */
	uint16_t attr_type;	/* nla_type at offs (NLA_TYPE_MASK'd), 0 if none */
};
int xt_transact(uint16_t family_id, struct nlmsghdr *nlh, struct xack *ack);

/* ---- children ------------------------------------------------------ */

/*
 * A session owner in a child process: opens a client, SESSION_OPEN with
 * watchdog_ms, applies kvs (held), reports to the parent, then obeys
 * one-byte commands on its pipe: 'h' heartbeat, 'c' session close,
 * 'x' exit (without closing: the socket closes with the process).
 * Every command is answered with a one-byte status (0 ok, else errno).
 */
struct owner {
	pid_t pid;
	int cmd_fd;	/* parent writes commands */
	int res_fd;	/* parent reads results */
};
/* 0 and the child running, or -errno the child reported (child reaped). */
int owner_start(struct owner *o, uint32_t watchdog_ms,
		const struct ostune_kv *kvs, size_t n, bool session);
int owner_cmd(struct owner *o, char cmd);
/* SIGKILLs (if running) and reaps; returns the wait status. */
int owner_kill(struct owner *o);

/* Runs a program, capturing stdout and stderr; returns wait status or -errno. */
int run_capture(char *const argv[], char *out, size_t outlen,
		char *err, size_t errlen, unsigned int timeout_ms);
/* Exit code of a finished run_capture (-1 when it did not exit). */
int exit_code(int status);

/* The CLI binary: $OSTUNE_CLI, default /ostune/bin/ostune. */
const char *cli_path(void);

/* In a test: skip it when there is no CLI to run. */
#define NEED_CLI() do {							\
	if (access(cli_path(), X_OK))					\
		SKIP(return, "no CLI at %s", cli_path());		\
} while (0)

/*
 * Runs the CLI with the arguments given, stdout and stderr into the
 * caller's char arrays out and err; the exit code.
 */
#define CLI(...) ({							\
	char *__argv[] = { (char *)cli_path(), __VA_ARGS__, NULL };	\
	int __st = run_capture(__argv, out, sizeof(out), err, sizeof(err), 20000); \
	exit_code(__st); })

/*
 * Results a child process hands back through shared memory: up to
 * CRES_MAX return codes, extack messages and values.
 */
#define CRES_MAX 8
struct cres {
	int ret[CRES_MAX];
	char msg[CRES_MAX][256];
	char val[CRES_MAX][VALBUF];
	int ready;
};
/* A zeroed shared page for struct cres; munmap'd by cres_free(). */
struct cres *cres_new(void);
void cres_free(struct cres *r);
/* Runs fn(r, arg) in a child; returns its wait status or -errno. */
int run_in_child(void (*fn)(struct cres *r, void *arg), void *arg,
		 struct cres *r);

/* Up to max distinct writable, readable sysctl knob names ("sysctl.x.y"). */
int collect_sysctl_names(char (*names)[OSTUNE_NAME_MAX], int max);

/*
 * Drops to nobody (65534) with no capabilities and checks that nothing of
 * root is left; 0 or -errno (-EPERM: the drop did not take).
 */
int drop_to_nobody(void);
/* Stays uid 0 but drops CAP_SYS_ADMIN from every set; 0 or -errno. */
int drop_cap_sys_admin(void);

/* Own comm, as the module will report it. */
void self_comm(char *buf, size_t len);

#endif /* OSTUNE_SELFTEST_UTIL_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Child processes (the loop's workloads, servers and load generators;
 * exec's command) and waiting for them without ever missing a heartbeat
 * or a Ctrl-C.
 *
 * The caller blocks SIGCHLD and its stop signals (SIGINT, SIGTERM, SIGHUP)
 * and waits only in sigtimedwait(), so a wait ends on a child's exit, a
 * stop request or its deadline, and beats the session's watchdog on the
 * way. No signal handlers, no global state.
 */
#ifndef OSTUNE_CHILD_H
#define OSTUNE_CHILD_H

#include <sched.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/clock.h"

struct waiter {
	sigset_t signals;	/* SIGCHLD and the stop signals, blocked */
	sigset_t child_mask;	/* the mask children start with */
	/* the CPUs proc_spawn()'s children run on; NULL: ours */
	const cpu_set_t *child_cpus;
	int64_t beat_ms;	/* heartbeat interval, 0 for none */
	int64_t next_beat;
	/* The heartbeat; non-zero (a -errno) ends every wait with it. */
	int (*beat)(void *arg);
	void *arg;
	int stop_signal;	/* the stop signal received, 0 if none */
	int stop_code;		/* and its si_code */
};


/*
 * Blocks the signals (keeping the old mask for children) and sets the
 * heartbeat. waiter_release() puts the old mask back.
 */
void waiter_init(struct waiter *w, int64_t beat_ms, int (*beat)(void *arg),
		 void *arg);
void waiter_release(struct waiter *w);
/* Beats if one is due. 0 or the heartbeat's error. */
int waiter_tick(struct waiter *w);
/*
 * Sleeps until monotonic time until_ms, beating on the way. 0, -EINTR
 * when asked to stop (w->stop_signal says by what), or the heartbeat's
 * error.
 */
int waiter_sleep_until(struct waiter *w, int64_t until_ms);
/* Has a stop signal arrived (without waiting)? */
bool waiter_stopped(struct waiter *w);

struct proc {
	pid_t pid;		/* 0 when not running */
	pid_t pgid;		/* its process group, until proc_stop() */
	int status;		/* wait status once it ended */
};

/*
 * Starts argv (looked up in PATH) in a process group of its own, stdin
 * from /dev/null, stdout and stderr to the files given (truncated; NULL:
 * /dev/null). 0, or -errno with why filled when it cannot be run.
 */
int proc_spawn(struct proc *p, char *const argv[], const char *out_path,
	       const char *err_path, const struct waiter *w, char *why,
	       size_t len);
/*
 * Starts argv (looked up in PATH) as the user's own command: in our
 * process group, with our stdin, stdout and stderr. 0 or -errno.
 */
int proc_spawn_foreground(struct proc *p, char *const argv[],
			  const struct waiter *w);
/*
 * Passes the stop signal w received on to p, and forgets it, so that p
 * decides whether to stop. Not when the terminal sent it to the whole
 * foreground group, p's too: a program that takes a second Ctrl-C as
 * "force quit" would.
 */
void proc_forward_stop(struct proc *p, struct waiter *w);
/*
 * Waits for the child's exit until deadline_ms. 0 when it exited
 * (p->status), -ETIMEDOUT, -EINTR on a stop request, or the heartbeat's
 * error. The child keeps running on anything but 0.
 */
int proc_wait(struct proc *p, struct waiter *w, int64_t deadline_ms);
/* Has it ended (reaped, p->status set)? */
bool proc_ended(struct proc *p);
/* SIGTERM to its group, SIGKILL after grace_ms, reaped. */
void proc_stop(struct proc *p, int64_t grace_ms);
/* "exited 3", "killed by signal 9 (Killed)". */
void proc_describe(int status, char *buf, size_t len);

/* Is program (a name looked up in PATH, or a path) executable? */
bool program_exists(const char *program);

#endif /* OSTUNE_CHILD_H */

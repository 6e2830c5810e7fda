// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Spawning and supervising child processes (child.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "base/child.h"

void waiter_init(struct waiter *w, int64_t beat_ms, int (*beat)(void *arg),
		 void *arg)
{
	memset(w, 0, sizeof(*w));
	sigemptyset(&w->signals);
	sigaddset(&w->signals, SIGCHLD);
	sigaddset(&w->signals, SIGINT);
	sigaddset(&w->signals, SIGTERM);
	sigaddset(&w->signals, SIGHUP);
	sigprocmask(SIG_BLOCK, &w->signals, &w->child_mask);
	w->beat_ms = beat_ms;
	w->beat = beat;
	w->arg = arg;
	w->next_beat = monotonic_ms() + beat_ms;
}

void waiter_release(struct waiter *w)
{
	sigprocmask(SIG_SETMASK, &w->child_mask, NULL);
}

int waiter_tick(struct waiter *w)
{
	int64_t now = monotonic_ms();
	int ret;

	if (!w->beat || now < w->next_beat)
		return 0;
	ret = w->beat(w->arg);
	w->next_beat = now + w->beat_ms;
	return ret;
}

/*
 * One wait for a signal, at most until until_ms and the next beat.
 * 1 for SIGCHLD, 0 for a timeout, -EINTR for a stop signal, or the
 * heartbeat's error.
 */
static int wait_once(struct waiter *w, int64_t until_ms)
{
	int64_t now = monotonic_ms(), wake = until_ms;
	struct timespec timeout;
	siginfo_t info;
	int ret = waiter_tick(w);

	if (ret)
		return ret;
	if (w->beat && w->next_beat < wake)
		wake = w->next_beat;
	if (wake < now)
		wake = now;
	timeout.tv_sec = (wake - now) / 1000;
	timeout.tv_nsec = ((wake - now) % 1000) * 1000000;
	ret = sigtimedwait(&w->signals, &info, &timeout);
	if (ret < 0)
		return 0;
	if (ret == SIGCHLD)
		return 1;
	w->stop_signal = ret;
	w->stop_code = info.si_code;
	return -EINTR;
}

int waiter_sleep_until(struct waiter *w, int64_t until_ms)
{
	while (monotonic_ms() < until_ms) {
		int ret = wait_once(w, until_ms);

		if (ret < 0)
			return ret;
	}
	return waiter_tick(w);
}

bool waiter_stopped(struct waiter *w)
{
	sigset_t stops = w->signals, pending;
	struct timespec now = { 0 };
	int sig;

	if (w->stop_signal)
		return true;
	sigdelset(&stops, SIGCHLD);
	sigpending(&pending);
	for (sig = 1; sig < NSIG; sig++) {
		if (sigismember(&stops, sig) == 1 &&
		    sigismember(&pending, sig) == 1) {
			siginfo_t info;
			sigset_t one;

			sigemptyset(&one);
			sigaddset(&one, sig);
			if (sigtimedwait(&one, &info, &now) == sig) {
				w->stop_signal = sig;
				w->stop_code = info.si_code;
				return true;
			}
		}
	}
	return false;
}

/*
 * posix_spawn() rather than fork(): glibc's clones without copying the
 * page tables (vfork semantics), which keeps ostune's own CPU time during
 * a window to a minimum, even for a big process and under emulation.
 * posix_spawn() has no CPU affinity attribute, so a pinned child gets
 * its CPUs by inheritance: ostune moves onto them for the spawn and back
 * (single-threaded, nothing else runs meanwhile), and the child has them
 * from its first instruction, before anything it starts could escape.
 */
int proc_spawn(struct proc *p, char *const argv[], const char *out_path,
	       const char *err_path, const struct waiter *w, char *why,
	       size_t len)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	cpu_set_t own;
	int err;

	if (w->child_cpus && (sched_getaffinity(0, sizeof(own), &own) ||
			      sched_setaffinity(0, sizeof(*w->child_cpus),
						w->child_cpus))) {
		err = errno;
		snprintf(why, len, "cannot run %s on its CPUs: %s", argv[0],
			 strerror(err));
		return -err;
	}

	fflush(NULL);
	p->status = 0;
	p->pid = 0;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null",
					 O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO,
					 out_path ? out_path : "/dev/null",
					 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	/* One file for both: one open file description, one offset. */
	if (out_path && err_path && !strcmp(out_path, err_path))
		posix_spawn_file_actions_adddup2(&fa, STDOUT_FILENO, STDERR_FILENO);
	else
		posix_spawn_file_actions_addopen(&fa, STDERR_FILENO,
						 err_path ? err_path : "/dev/null",
						 O_WRONLY | O_CREAT | O_TRUNC, 0644);
	/* Its own group: a timeout or a stop kills the whole tree. */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigmask(&attr, &w->child_mask);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
				 POSIX_SPAWN_SETSIGMASK);
	err = posix_spawnp(&p->pid, argv[0], &fa, &attr, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	if (w->child_cpus && sched_setaffinity(0, sizeof(own), &own) && !err) {
		snprintf(why, len, "cannot move ostune off %s's CPUs: %s",
			 argv[0], strerror(errno));
		kill(-p->pid, SIGKILL);
		waitpid(p->pid, &p->status, 0);
		p->pid = 0;
		return -EPERM;
	}
	if (err) {
		p->pid = 0;
		snprintf(why, len, "cannot run %s: %s", argv[0], strerror(err));
		return -err;
	}
	p->pgid = p->pid;
	return 0;
}

int proc_spawn_foreground(struct proc *p, char *const argv[],
			  const struct waiter *w)
{
	posix_spawnattr_t attr;
	int err;

	fflush(NULL);
	p->status = 0;
	posix_spawnattr_init(&attr);
	posix_spawnattr_setsigmask(&attr, &w->child_mask);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	err = posix_spawnp(&p->pid, argv[0], NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	if (err) {
		p->pid = 0;
		return -err;
	}
	/* Not its own group: proc_stop() is not for the user's command. */
	p->pgid = 0;
	return 0;
}

void proc_forward_stop(struct proc *p, struct waiter *w)
{
	if (p->pid && !(w->stop_code == SI_KERNEL &&
			getpgid(p->pid) == getpgrp()))
		kill(p->pid, w->stop_signal);
	w->stop_signal = 0;
}

bool proc_ended(struct proc *p)
{
	if (!p->pid)
		return true;
	if (waitpid(p->pid, &p->status, WNOHANG) != p->pid)
		return false;
	p->pid = 0;
	return true;
}

int proc_wait(struct proc *p, struct waiter *w, int64_t deadline_ms)
{
	for (;;) {
		int ret;

		if (proc_ended(p))
			return 0;
		if (monotonic_ms() >= deadline_ms)
			return -ETIMEDOUT;
		ret = wait_once(w, deadline_ms);
		if (ret < 0)
			return ret;
	}
}

void proc_stop(struct proc *p, int64_t grace_ms)
{
	int64_t until = monotonic_ms() + grace_ms;
	struct timespec tick = { 0, 10 * 1000000 };

	if (!p->pgid)
		return;
	if (!proc_ended(p)) {
		kill(-p->pgid, SIGTERM);
		while (!proc_ended(p) && monotonic_ms() < until)
			nanosleep(&tick, NULL);
		if (p->pid) {
			kill(-p->pgid, SIGKILL);
			waitpid(p->pid, &p->status, 0);
			p->pid = 0;
		}
	}
	/* The leader is gone; what it started may not be. */
	kill(-p->pgid, SIGKILL);
	p->pgid = 0;
}

void proc_describe(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "exited %d", WEXITSTATUS(status));
}

bool program_exists(const char *program)
{
	const char *path = getenv("PATH");
	char candidate[4096];

	if (strchr(program, '/'))
		return access(program, X_OK) == 0;
	if (!path)
		path = "/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		snprintf(candidate, sizeof(candidate), "%.*s/%s", (int)n,
			 n ? path : ".", program);
		if (access(candidate, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune exec [--watchdog S] -s KNOB=VALUE... -- CMD ARGS...
 *
 * Opens a held session, applies the knobs as one transaction, runs CMD and
 * closes the session (which restores) when CMD ends. If ostune dies the
 * socket closes and the kernel restores; if it stalls, the lease runs out
 * and the kernel restores. So ostune only has to heartbeat while it waits.
 *
 * All waiting is sigtimedwait() on blocked signals: SIGCHLD ends it,
 * SIGINT/SIGTERM/SIGHUP are passed on to CMD, and the timeout is the next
 * heartbeat. No handlers, no global state.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "cli.h"

#define DEFAULT_LEASE_MS	10000

struct supervisor {
	struct ostune_client *client;
	pid_t child;
	uint32_t lease_ms;
	bool heartbeat_failed;
};

static int64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int parse_lease(const char *arg, uint32_t *ms)
{
	double seconds;
	char *end;

	errno = 0;
	seconds = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(seconds) ||
	    seconds * 1000 < OSTUNE_WATCHDOG_MIN_MS ||
	    seconds * 1000 > OSTUNE_WATCHDOG_MAX_MS)
		return -1;
	*ms = (uint32_t)llround(seconds * 1000);
	return 0;
}

static void heartbeat(struct supervisor *s)
{
	int ret = ostune_heartbeat(s->client);

	/* Said once; later beats keep trying in case it was transient. */
	if (ret && !s->heartbeat_failed) {
		cli_op_failed(s->client, "heartbeat", ret);
		s->heartbeat_failed = true;
	}
}

/*
 * A signal the terminal sent to the whole foreground process group has
 * reached the child already when it shares our group; sending it again
 * would make a program that treats a second Ctrl-C as "force quit" do so.
 */
static void forward(const struct supervisor *s, const siginfo_t *info)
{
	if (info->si_code == SI_KERNEL && getpgid(s->child) == getpgrp())
		return;
	kill(s->child, info->si_signo);
}

/* Returns the child's wait status. */
static int supervise(struct supervisor *s, const sigset_t *signals)
{
	int64_t interval = s->lease_ms / 3;
	int64_t next_beat = monotonic_ms() + interval;

	for (;;) {
		struct timespec timeout;
		siginfo_t info;
		int64_t wait_ms;
		int status;

		if (waitpid(s->child, &status, WNOHANG) == s->child)
			return status;
		wait_ms = next_beat - monotonic_ms();
		if (wait_ms <= 0) {
			heartbeat(s);
			next_beat = monotonic_ms() + interval;
			continue;
		}
		timeout.tv_sec = wait_ms / 1000;
		timeout.tv_nsec = (wait_ms % 1000) * 1000000;
		if (sigtimedwait(signals, &info, &timeout) > 0 &&
		    info.si_signo != SIGCHLD)
			forward(s, &info);
	}
}

static void run_child(char **command, const sigset_t *mask)
{
	int err;

	sigprocmask(SIG_SETMASK, mask, NULL);
	execvp(command[0], command);
	err = errno;
	fprintf(stderr, "ostune: exec: %s: %s\n", command[0], strerror(err));
	_exit(err == ENOENT ? 127 : 126);
}

static int exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* With the session open and the knobs applied: run and wait. */
static int run(struct supervisor *s, char **command, const sigset_t *signals,
	       const sigset_t *saved)
{
	sigset_t stops = *signals;
	struct timespec now = { 0 };
	siginfo_t info;

	/* Asked to stop while applying: do not start the command at all. */
	sigdelset(&stops, SIGCHLD);
	if (sigtimedwait(&stops, &info, &now) > 0)
		return 128 + info.si_signo;

	fflush(NULL);
	s->child = fork();
	if (s->child < 0)
		return cli_op_failed(NULL, "fork", -errno);
	if (!s->child)
		run_child(command, saved);
	return exit_code(supervise(s, signals));
}

static int held_session(const struct changeset *cs, uint32_t lease_ms,
			char **command, const sigset_t *signals,
			const sigset_t *saved)
{
	struct ostune_client c;
	struct supervisor s = { .client = &c, .lease_ms = lease_ms };
	struct ostune_kv *entries;
	int ret, close_ret;

	entries = calloc(cs->n, sizeof(*entries));
	if (!entries)
		return cli_op_failed(NULL, "exec", -ENOMEM);
	changeset_to_kv(cs, entries);
	if (cli_connect(&c)) {
		free(entries);
		return CLI_FAILED;
	}
	ret = ostune_session_open(&c, lease_ms);
	if (ret) {
		ret = cli_op_failed(&c, "session open", ret);
		goto out;
	}
	ret = ostune_apply(&c, entries, cs->n, NULL);
	if (ret)
		ret = cli_op_failed(&c, "apply", ret);
	else
		ret = run(&s, command, signals, saved);

	/*
	 * Closing the socket would restore too; closing the session first
	 * makes the restore finish before we exit and report its errors.
	 * A lease that ran out (said by the failed heartbeat) was restored
	 * by the kernel already.
	 */
	close_ret = ostune_session_close(&c);
	if (close_ret && !(s.heartbeat_failed && close_ret == -ETIMEDOUT))
		cli_op_failed(&c, "session close", close_ret);
out:
	ostune_client_close(&c);
	free(entries);
	return ret;
}

int cmd_exec(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "watchdog", required_argument, NULL, 'w' },
		{ "set", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct changeset requested = { 0 }, cs;
	uint32_t lease_ms = DEFAULT_LEASE_MS;
	sigset_t signals, saved;
	char why[256];
	int opt, ret;

	/* '+': options end at CMD, whose own options are not ours. */
	while ((opt = getopt_long(argc, argv, "+:w:s:h", options, NULL)) != -1) {
		switch (opt) {
		case 'w':
			if (parse_lease(optarg, &lease_ms)) {
				changeset_free(&requested);
				return cli_usage_error(cli,
					"--watchdog wants seconds between %g and %g, not '%s'",
					OSTUNE_WATCHDOG_MIN_MS / 1000.0,
					OSTUNE_WATCHDOG_MAX_MS / 1000.0,
					optarg);
			}
			break;
		case 's':
			ret = changeset_add_assignment(&requested, optarg, why,
						       sizeof(why));
			if (ret) {
				changeset_free(&requested);
				if (ret == -ENOMEM)
					return cli_op_failed(NULL, "exec", ret);
				return cli_input_error("%s", why);
			}
			break;
		case 'h':
			changeset_free(&requested);
			return cli_command_help(cli);
		default:
			changeset_free(&requested);
			return cli_option_error(cli, opt, argv);
		}
	}
	if (!requested.n)
		ret = cli_usage_error(cli, "give at least one -s KNOB=VALUE");
	else if (optind == argc)
		ret = cli_usage_error(cli, "give the command to run after '--'");
	else
		ret = cli_resolve(cli, &requested, &cs);
	changeset_free(&requested);
	if (ret)
		return ret;

	sigemptyset(&signals);
	sigaddset(&signals, SIGINT);
	sigaddset(&signals, SIGTERM);
	sigaddset(&signals, SIGHUP);
	sigaddset(&signals, SIGCHLD);
	sigprocmask(SIG_BLOCK, &signals, &saved);
	ret = held_session(&cs, lease_ms, argv + optind, &signals, &saved);
	sigprocmask(SIG_SETMASK, &saved, NULL);
	changeset_free(&cs);
	return ret;
}

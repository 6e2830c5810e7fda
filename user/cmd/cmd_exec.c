// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune exec [--watchdog S] -s KNOB=VALUE... -- CMD ARGS...
 *
 * Opens a held session, applies the knobs as one transaction, runs CMD and
 * closes the session (which restores) when CMD ends. If ostune dies the
 * socket closes and the kernel restores; if it stalls, the lease runs out
 * and the kernel restores. So ostune only has to heartbeat while it waits.
 *
 * The waiting is base/child.c's, as for the tune loop's workloads: SIGCHLD
 * ends it, SIGINT/SIGTERM/SIGHUP are passed on to CMD, and the heartbeat
 * is beaten on the way. No handlers, no global state.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "base/child.h"
#include "cmd/cli.h"

#define DEFAULT_LEASE_MS	10000

/* The session's heartbeat, beaten by the waiter while the command runs. */
struct heartbeat {
	struct ostune_client *client;
	bool failed;
};

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

static int beat(void *arg)
{
	struct heartbeat *h = arg;
	int ret = ostune_heartbeat(h->client);

	/* Said once; later beats keep trying in case it was transient. */
	if (ret && !h->failed) {
		module_op_failed(h->client, "heartbeat", ret);
		h->failed = true;
	}
	/* The command runs on: the kernel restores if the lease runs out. */
	return 0;
}

static int exit_code(int status)
{
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* With the session open and the knobs applied: run and wait. */
static int run(struct waiter *w, char **command)
{
	struct proc p = { 0 };
	int ret;

	/* Asked to stop while applying: do not start the command at all. */
	if (waiter_stopped(w))
		return 128 + w->stop_signal;
	ret = proc_spawn_foreground(&p, command, w);
	if (ret == -EAGAIN || ret == -ENOMEM)
		return module_op_failed(NULL, "fork", ret);
	if (ret) {
		fprintf(stderr, "ostune: exec: %s: %s\n", command[0], strerror(-ret));
		return ret == -ENOENT ? 127 : 126;
	}
	/* Stop signals are the command's to act on; the heartbeat never ends a wait. */
	while (proc_wait(&p, w, INT64_MAX) == -EINTR)
		proc_forward_stop(&p, w);
	return exit_code(p.status);
}

static int held_session(const struct changeset *cs, uint32_t lease_ms,
			char **command)
{
	struct ostune_client c;
	struct heartbeat h = { .client = &c };
	struct waiter w;
	int ret, close_ret;

	/*
	 * From here a Ctrl-C waits until the session can be closed (and the
	 * command, if it started, ends).
	 */
	waiter_init(&w, lease_ms / 3, beat, &h);
	if (module_connect(&c)) {
		waiter_release(&w);
		return CLI_FAILED;
	}
	ret = ostune_session_open(&c, lease_ms);
	if (ret) {
		ret = module_op_failed(&c, "session open", ret);
		goto out;
	}
	ret = module_apply(&c, cs, NULL);
	if (ret)
		ret = module_op_failed(&c, "apply", ret);
	else
		ret = run(&w, command);

	/*
	 * Closing the socket would restore too; closing the session first
	 * makes the restore finish before we exit and report its errors.
	 * A lease that ran out (said by the failed heartbeat) was restored
	 * by the kernel already.
	 */
	close_ret = ostune_session_close(&c);
	if (close_ret && !(h.failed && close_ret == -ETIMEDOUT))
		module_op_failed(&c, "session close", close_ret);
out:
	ostune_client_close(&c);
	waiter_release(&w);
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
					return module_op_failed(NULL, "exec", ret);
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

	ret = held_session(&cs, lease_ms, argv + optind);
	changeset_free(&cs);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune monitor [--json] [--count N]: one line per knob change, until
 * SIGINT/SIGTERM or N events. Signals arrive through a signalfd polled
 * beside the socket, so no handler and no global flag are needed.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/signalfd.h>

#include "cmd/cli.h"
#include "knobs/eventfmt.h"

struct monitor {
	bool json;
	unsigned long limit;	/* 0: no limit */
	unsigned long seen;
};

static void show(struct monitor *m, const struct ostune_event *ev)
{
	struct timespec now;

	clock_gettime(CLOCK_REALTIME, &now);
	if (m->json) {
		cli_print_json(event_to_json(ev, &now));
	} else {
		char line[1024];

		event_format_text(ev, &now, line, sizeof(line));
		puts(line);
	}
	/* Whoever reads a pipe from us wants each event as it happens. */
	fflush(stdout);
	m->seen++;
}

/* Until the limit or a signal; returns an enum cli_exit. */
static int watch(struct monitor *m, struct ostune_client *c, int signal_fd)
{
	struct pollfd fds[] = {
		{ .fd = ostune_client_fd(c), .events = POLLIN },
		{ .fd = signal_fd, .events = POLLIN },
	};
	struct ostune_event ev;
	int ret;

	for (;;) {
		while ((ret = ostune_next_event(c, &ev, 0)) == 1) {
			show(m, &ev);
			if (m->limit && m->seen == m->limit)
				return CLI_OK;
		}
		if (ret == -ENOBUFS) {
			fputs("ostune: monitor: events were lost (receive buffer overrun)\n",
			      stderr);
			continue;
		}
		if (ret < 0)
			return module_op_failed(c, "monitor", ret);
		if (poll(fds, 2, -1) < 0 && errno != EINTR)
			return module_op_failed(c, "monitor", -errno);
		if (fds[1].revents & POLLIN) {
			struct signalfd_siginfo si;

			/* Consumed, so that unblocking does not deliver it. */
			if (read(signal_fd, &si, sizeof(si)) < 0)
				return module_op_failed(NULL, "monitor", -errno);
			return CLI_OK;
		}
	}
}

static int parse_count(const char *arg, unsigned long *count)
{
	char *end;

	errno = 0;
	*count = strtoul(arg, &end, 10);
	return errno || end == arg || *end || !*count || *arg == '-' ? -1 : 0;
}

int cmd_monitor(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct monitor m = { 0 };
	struct ostune_client c;
	sigset_t stop, saved;
	int opt, ret, signal_fd;

	while ((opt = getopt_long(argc, argv, ":jn:h", options, NULL)) != -1) {
		switch (opt) {
		case 'j':
			m.json = true;
			break;
		case 'n':
			if (parse_count(optarg, &m.limit))
				return cli_usage_error(cli,
					"--count wants a positive number, not '%s'",
					optarg);
			break;
		case 'h':
			return cli_command_help(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	if (optind < argc)
		return cli_usage_error(cli, "unexpected argument '%s'",
				       argv[optind]);

	if (module_connect(&c))
		return CLI_FAILED;
	ret = ostune_subscribe_events(&c);
	if (ret) {
		ret = module_op_failed(&c, "subscribe", ret);
		goto out;
	}
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, &saved);
	signal_fd = signalfd(-1, &stop, SFD_CLOEXEC);
	if (signal_fd < 0) {
		ret = module_op_failed(NULL, "signalfd", -errno);
	} else {
		ret = watch(&m, &c, signal_fd);
		close(signal_fd);
	}
	sigprocmask(SIG_SETMASK, &saved, NULL);
out:
	ostune_client_close(&c);
	return ret;
}

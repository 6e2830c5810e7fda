// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test fixtures: files in the case's temporary directory, and running the
 * built CLI with its output captured.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "unit.h"

const char *fixture_path(struct test_ctx *t, const char *name)
{
	static char path[1024];

	snprintf(path, sizeof(path), "%s/%s", t->tmpdir, name);
	return path;
}

static void make_parents(char *path)
{
	char *slash;

	for (slash = strchr(path + 1, '/'); slash;
	     slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
}

void fixture_dir(struct test_ctx *t, const char *path)
{
	char full[1024];

	snprintf(full, sizeof(full), "%s/%s/", t->tmpdir, path);
	make_parents(full);
}

void fixture_file(struct test_ctx *t, const char *path, const char *content,
		  unsigned int mode)
{
	char full[1024];
	FILE *f;

	snprintf(full, sizeof(full), "%s/%s", t->tmpdir, path);
	make_parents(full);
	f = fopen(full, "w");
	if (!f) {
		perror(full);
		exit(2);
	}
	fputs(content, f);
	fclose(f);
	chmod(full, mode);
}

static void slurp(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? 0 : read(fd, buf, size - 1);

	buf[n > 0 ? n : 0] = '\0';
	if (fd >= 0)
		close(fd);
}

static pid_t start(struct test_ctx *t, const char *bin, va_list ap)
{
	char out_path[512], err_path[512], log_path[512];
	char *argv[32];
	int argc = 0;
	pid_t pid, parent;

	argv[argc++] = (char *)bin;
	while (argc < 31 && (argv[argc] = va_arg(ap, char *)))
		argc++;
	argv[argc] = NULL;
	snprintf(out_path, sizeof(out_path), "%s/.stdout", t->tmpdir);
	snprintf(err_path, sizeof(err_path), "%s/.stderr", t->tmpdir);
	snprintf(log_path, sizeof(log_path), "%s/.fake.log", t->tmpdir);

	fflush(NULL);
	parent = getpid();
	pid = fork();
	if (pid == 0) {
		int out = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		/* a group of its own, so that a hung run can be killed whole */
		setpgid(0, 0);
		/* a runner killed outright takes its daemons with it */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		/* as from a terminal, whatever make or CI ignored */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		dup2(out, STDOUT_FILENO);
		dup2(err, STDERR_FILENO);
		setenv("OSTUNE_FAKE_LOG", log_path, 1);
		execv(argv[0], argv);
		_exit(127);
	}
	if (pid > 0) {
		/* here too, so that the group is there before the child runs */
		setpgid(pid, pid);
		t->started = pid;
	}
	return pid;
}

/* a CLI that hangs; generous: the unit tests run under valgrind beside VMs */
#define RUN_TIMEOUT_MS 30000

void finish_cli(struct test_ctx *t, struct cli_run *r, pid_t pid)
{
	struct timespec tick = { 0, 10 * 1000000 };
	char path[512];
	int status, waited;

	for (waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited += 10) {
		if (waited >= RUN_TIMEOUT_MS) {
			kill(-pid, SIGKILL);
			waitpid(pid, &status, 0);
			test_fail(t, __FILE__, __LINE__,
				  "ostune still running after %d ms",
				  RUN_TIMEOUT_MS);
			break;
		}
		nanosleep(&tick, NULL);
	}
	t->started = 0;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status)
				      : 128 + WTERMSIG(status);
	snprintf(path, sizeof(path), "%s/.stdout", t->tmpdir);
	slurp(path, r->out, sizeof(r->out));
	snprintf(path, sizeof(path), "%s/.stderr", t->tmpdir);
	slurp(path, r->err, sizeof(r->err));
	snprintf(path, sizeof(path), "%s/.fake.log", t->tmpdir);
	slurp(path, r->log, sizeof(r->log));
}

static const char *binary(const char *env, const char *fallback)
{
	const char *bin = getenv(env);

	return bin ? bin : fallback;
}

void run_ostune(struct test_ctx *t, struct cli_run *r, ...)
{
	va_list ap;
	pid_t pid;

	va_start(ap, r);
	pid = start(t, binary("OSTUNE_BIN", "./ostune"), ap);
	va_end(ap);
	finish_cli(t, r, pid);
}

void run_fake(struct test_ctx *t, struct cli_run *r, ...)
{
	va_list ap;
	pid_t pid;

	va_start(ap, r);
	pid = start(t, binary("OSTUNE_FAKE_BIN", "tests/ostune-fake"), ap);
	va_end(ap);
	finish_cli(t, r, pid);
}

pid_t start_fake(struct test_ctx *t, ...)
{
	va_list ap;
	pid_t pid;

	va_start(ap, t);
	pid = start(t, binary("OSTUNE_FAKE_BIN", "tests/ostune-fake"), ap);
	va_end(ap);
	return pid;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune export DIR --format tuned|sysctl|profile|shell|cmdline
 * [--output PATH] [--unverified] [--isolate CPUS]: the configuration a
 * tuning run recommends (or the search's best, which its verification did
 * not confirm), for other tools.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/ostune.h>

#include "cmd/cli.h"
#include "output/export.h"
#include "knobs/sysread.h"
#include "output/rundir.h"

/* mkdir -p */
static int make_dirs(const char *path)
{
	char buf[4096];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(buf, 0755) && errno != EEXIST ? -errno : 0;
}

/* text (len bytes) into file, "-" for stdout. 0 or -errno. */
static int put_file(const char *file, const char *text, size_t len, mode_t mode)
{
	FILE *out = strcmp(file, "-") ? fopen(file, "w") : stdout;
	int ret = 0;

	if (!out)
		return -errno;
	if (fwrite(text, 1, len, out) != len || fflush(out))
		ret = -errno;
	if (out != stdout && fclose(out) && !ret)
		ret = -errno;
	if (!ret && out != stdout && mode && chmod(file, mode))
		ret = -errno;
	return ret;
}

/*
 * Writes the export to path ("-": stdout); for tuned, path is the
 * profile's directory. Nothing is written unless all of it can be.
 * Prints the file written. CLI_*.
 */
static int write_export(enum export_format f, const struct export_source *src,
			const char *path)
{
	char file[4096], why[1024], *text = NULL;
	size_t len = 0;
	FILE *mem;
	int ret;

	if ((size_t)snprintf(file, sizeof(file), "%s%s", path,
			     f == EXPORT_TUNED && strcmp(path, "-") ?
			     "/tuned.conf" : "") >= sizeof(file))
		return cli_input_error("%s: path too long", path);
	mem = open_memstream(&text, &len);
	if (!mem)
		return module_op_failed(NULL, "export", -ENOMEM);
	ret = export_write(f, src, mem, why, sizeof(why));
	if (fclose(mem) && !ret)
		ret = -ENOMEM;
	if (ret == -EINVAL) {
		ret = cli_input_error("%s", why);
	} else if (ret == -ENOENT) {
		fprintf(stderr, "ostune: %s\n", why);
		ret = CLI_FAILED;
	} else if (ret) {
		fprintf(stderr, "ostune: export: %s\n", why);
		ret = CLI_FAILED;
	} else {
		const char *failed = path;

		ret = f == EXPORT_TUNED && strcmp(path, "-") ? make_dirs(path) : 0;
		if (!ret) {
			failed = file;
			ret = put_file(file, text, len,
				       f == EXPORT_SHELL ? 0755 : 0);
		}
		if (ret) {
			fprintf(stderr, "ostune: %s: %s\n", failed, strerror(-ret));
			ret = CLI_FAILED;
		} else if (strcmp(file, "-")) {
			printf("%s\n", file);
		}
	}
	free(text);
	return ret;
}

/*
 * The knobs the patterns of a run's space match on this host, as `ostune
 * apply` of its profile would set them; cli_resolve() reports errors.
 * CLI_*.
 */
static int expand_patterns(const struct cli *cli, struct changeset *cs)
{
	struct changeset expanded = { 0 };
	int ret;

	if (!changeset_has_patterns(cs))
		return CLI_OK;
	ret = cli_resolve(cli, cs, &expanded);
	if (ret == CLI_OK) {
		changeset_free(cs);
		*cs = expanded;
	}
	return ret;
}

/*
 * The knobs of this host (under the sysroot), for the formats that name
 * what it has: the profile's IRQ handlers, cmdline's idle states. CLI_*.
 */
static int discover_for(const struct cli *cli, enum export_format f,
			struct knob_list *known)
{
	int ret;

	if (f != EXPORT_PROFILE && f != EXPORT_CMDLINE)
		return CLI_OK;
	ret = discover_knobs(cli->sysroot, known);
	return ret ? module_op_failed(NULL, "discover", ret) : CLI_OK;
}

/*
 * What cmdline checks against: the CPUs this host may bring online
 * (possible, else online) and its cpuidle driver; "" when unknown.
 */
static void host_facts(const struct cli *cli, char *cpus, size_t clen,
		       char *driver, size_t dlen)
{
	int fd = open(cli->sysroot, O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 ||
	    (!read_text_at(fd, "sys/devices/system/cpu/possible", cpus, clen) &&
	     !read_text_at(fd, "sys/devices/system/cpu/online", cpus, clen)))
		cpus[0] = '\0';
	if (fd < 0 ||
	    !read_text_at(fd, "sys/devices/system/cpu/cpuidle/current_driver",
			  driver, dlen))
		driver[0] = '\0';
	if (fd >= 0)
		close(fd);
}

int cmd_export(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "unverified", no_argument, NULL, 'u' },
		{ "isolate", required_argument, NULL, 'i' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *format = NULL, *output = NULL, *isolate = NULL, *dir;
	char host_cpus[OSTUNE_VALUE_MAX], idle_driver[64];
	char why[1024], about[512], path[4096];
	struct knob_list known = { 0 };
	struct export_source src;
	enum export_format f;
	struct changeset cs;
	struct run_dir rd;
	bool unverified = false;
	int opt, ret;

	while ((opt = getopt_long(argc, argv, ":f:o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'u':
			unverified = true;
			break;
		case 'i':
			isolate = optarg;
			break;
		case 'h':
			return cli_command_help(cli);
		default:
			return cli_option_error(cli, opt, argv);
		}
	}
	ret = cli_run_dir_operand(cli, argc, argv, &dir);
	if (ret >= 0)
		return ret;
	if (!format)
		return cli_usage_error(cli, "give --format tuned, sysctl, profile, shell or cmdline");
	if (export_format_parse(format, &f))
		return cli_usage_error(cli, "unknown format '%s' (tuned, sysctl, profile, shell, cmdline)",
				       format);
	if (isolate && f != EXPORT_CMDLINE)
		return cli_usage_error(cli, "--isolate is for --format cmdline");
	if (run_dir_load(dir, &rd, why, sizeof(why)))
		return cli_input_error("%s", why);
	ret = run_dir_choice(&rd, unverified, &cs, about, sizeof(about), why,
			     sizeof(why));
	if (ret == -ENOENT) {
		fprintf(stderr, "ostune: nothing to export: %s%s\n", why,
			unverified ? "" : " (--unverified exports the search's best)");
		ret = CLI_FAILED;
	} else if (ret) {
		ret = cli_input_error("%s", why);
	} else if ((ret = expand_patterns(cli, &cs)) == CLI_OK &&
		   (ret = discover_for(cli, f, &known)) == CLI_OK) {
		host_facts(cli, host_cpus, sizeof(host_cpus), idle_driver,
			   sizeof(idle_driver));
		src = (struct export_source){
			.dir = rd.path, .about = about, .knobs = &cs,
			.known = &known, .isolate = isolate,
			.host_cpus = host_cpus[0] ? host_cpus : NULL,
			.idle_driver = idle_driver[0] ? idle_driver : NULL,
		};
		if (!export_default_name(f))
			snprintf(path, sizeof(path), "-");
		else if ((size_t)snprintf(path, sizeof(path), "%s/%s", rd.path,
					  export_default_name(f)) >= sizeof(path))
			ret = cli_input_error("%s: path too long", rd.path);
		if (ret == CLI_OK)
			ret = write_export(f, &src, output ? output : path);
	}
	changeset_free(&cs);
	knob_list_free(&known);
	run_dir_free(&rd);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ostune export DIR --format tuned|sysctl|profile|shell [--output PATH]
 * [--unverified]: the configuration a tuning run recommends (or the
 * search's best, which its verification did not confirm), for other tools.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/cli.h"
#include "output/export.h"
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

/*
 * Writes the export to path ("-": stdout); for tuned, path is the
 * profile's directory. Prints the file written. CLI_*.
 */
static int write_export(enum export_format f, const struct export_source *src,
			const char *path)
{
	char file[4096], why[512];
	FILE *out = stdout;
	int ret;

	if ((size_t)snprintf(file, sizeof(file), "%s%s", path,
			     f == EXPORT_TUNED ? "/tuned.conf" : "") >= sizeof(file))
		return cli_input_error("%s: path too long", path);
	if (strcmp(path, "-")) {
		ret = f == EXPORT_TUNED ? make_dirs(path) : 0;
		if (ret) {
			fprintf(stderr, "ostune: %s: %s\n", path, strerror(-ret));
			return CLI_FAILED;
		}
		out = fopen(file, "w");
		if (!out) {
			fprintf(stderr, "ostune: %s: %s\n", file, strerror(errno));
			return CLI_FAILED;
		}
	}
	ret = export_write(f, src, out, why, sizeof(why));
	if (out != stdout) {
		if (fclose(out) && !ret)
			ret = -errno;
		if (!ret && f == EXPORT_SHELL && chmod(file, 0755))
			ret = -errno;
	}
	if (ret == -EINVAL)
		return cli_input_error("%s", why);
	if (ret) {
		fprintf(stderr, "ostune: %s: %s\n", file, strerror(-ret));
		return CLI_FAILED;
	}
	if (out != stdout)
		printf("%s\n", file);
	return CLI_OK;
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

int cmd_export(const struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "unverified", no_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *format = NULL, *output = NULL, *dir;
	char why[1024], about[512], path[4096];
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
		return cli_usage_error(cli, "give --format tuned, sysctl, profile or shell");
	if (export_format_parse(format, &f))
		return cli_usage_error(cli, "unknown format '%s' (tuned, sysctl, profile, shell)",
				       format);
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
	} else if ((ret = expand_patterns(cli, &cs)) == CLI_OK) {
		src = (struct export_source){ .dir = rd.path, .about = about,
					      .knobs = &cs };
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", rd.path,
				     export_default_name(f)) >= sizeof(path))
			ret = cli_input_error("%s: path too long", rd.path);
		else
			ret = write_export(f, &src, output ? output : path);
	}
	changeset_free(&cs);
	run_dir_free(&rd);
	return ret;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * `ostune export`: a configuration (knob name -> value) written for other
 * tools: a TuneD profile, a sysctl.d file, an `ostune apply` profile, a
 * plain shell script. Each says where it came from and lists the knobs
 * it cannot express instead of dropping them silently.
 */
#ifndef OSTUNE_EXPORT_H
#define OSTUNE_EXPORT_H

#include <stdio.h>

#include "knobs/changeset.h"
#include "knobs/knobname.h"

enum export_format {
	EXPORT_TUNED,		/* DIR/tuned.conf of a TuneD profile */
	EXPORT_SYSCTL,		/* a sysctl.d(5) file */
	EXPORT_PROFILE,		/* {"knobs": {...}} for ostune apply */
	EXPORT_SHELL,		/* #!/bin/sh writing /proc and /sys */
	EXPORT_CMDLINE,		/* /etc/default/grub.d/ostune.cfg */
};

/* "tuned", ...: 0, or -EINVAL. */
int export_format_parse(const char *name, enum export_format *f);
/*
 * Where it goes in the run's directory by default: a directory for
 * tuned ("tuned/ostune"), a file for the others; NULL for cmdline, which
 * goes to stdout (a file for GRUB to be put in place by hand).
 */
const char *export_default_name(enum export_format f);

struct export_source {
	const char *dir;	/* the tuning run */
	const char *about;	/* which configuration, how good */
	const struct changeset *knobs;	/* plain names, checked */
	/*
	 * This host's knobs (IRQ handlers, CPUs, idle states), or NULL:
	 * profile names IRQs by handler, cmdline checks CPUs against it.
	 */
	const struct knob_list *known;
	/* cmdline: --isolate's CPU list or NULL; this host's possible CPUs
	 * ("0-7") and cpuidle driver, NULL when unknown */
	const char *isolate;
	const char *host_cpus;
	const char *idle_driver;
};

/*
 * The file of format f (for tuned, its tuned.conf) on out. 0; -EINVAL
 * when a knob is not a plain name the module would take, or (cmdline) a
 * CPU list is not one of this host's CPUs (why filled); -ENOENT when
 * cmdline has nothing to write (why filled); -EIO when out fails.
 */
int export_write(enum export_format f, const struct export_source *src,
		 FILE *out, char *why, size_t len);

/*
 * Where a host without ostune keeps the knob, and the text to write
 * there for value: "/proc/sys/vm/swappiness", "10". 0; -ENOENT with why
 * filled when no file holds it (the CPU latency request lives only while
 * a process keeps /dev/cpu_dma_latency open; a frequency limit of "none"
 * is no limit at all).
 */
int export_plain_file(const char *name, const char *value, char *path,
		      size_t plen, char *text, size_t tlen, char *why,
		      size_t len);

/*
 * Is name a nic coalescing or ring knob? Then ifname (KNOB_IFNAMSIZ) is
 * filled and, when param is not NULL, *param is its ethtool option and
 * word.
 */
bool export_ethtool_knob(const char *name, char *ifname,
			 const struct knob_nic_coal_param **param);
/* The value as ethtool's command line takes it: adaptive 0/1 as off/on. */
const char *export_ethtool_value(const struct knob_nic_coal_param *param,
				 const char *value);

/* export_tuned.c, export_shell.c: the writers of those formats. */
int export_tuned(const struct export_source *src, FILE *out);
int export_shell(const struct export_source *src, FILE *out);
/* export_cmdline.c: 0, or as export_write(), nothing written on error. */
int export_cmdline(const struct export_source *src, FILE *out, char *why,
		   size_t len);
/* The header comment every format starts with, each line after prefix. */
void export_header(const struct export_source *src, const char *prefix,
		   const char *what, FILE *out);

#endif /* OSTUNE_EXPORT_H */

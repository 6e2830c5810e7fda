/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Reading the small files of sysfs and procfs relative to a directory
 * descriptor, so that discovery and doctor work on any sysroot.
 */
#ifndef OSTUNE_SYSREAD_H
#define OSTUNE_SYSREAD_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Reads dirfd/path whole into buf (size bytes, NUL included), whitespace
 * runs folded to one space, ends trimmed. false when it is missing,
 * unreadable, or does not fit.
 */
bool read_text_at(int dirfd, const char *path, char *buf, size_t size);

/* A regular file the owner may read and write (no symlink followed). */
bool owner_rw_file_at(int dirfd, const char *path);
/* A regular file the owner may write. */
bool owner_writable_at(int dirfd, const char *path);
/* Exists, of any type. */
bool exists_at(int dirfd, const char *path);
/* A directory (symlinks followed, as sysfs has them). */
bool is_dir_at(int dirfd, const char *path);

/*
 * The N of the entries named PREFIX<N> (canonical decimal) in the
 * directory dirfd/path, ascending, in *out (malloc'd, NULL when none).
 * A missing or unreadable directory has none. 0 or -ENOMEM.
 */
int list_indexes_at(int dirfd, const char *path, const char *prefix,
		    unsigned int **out, size_t *n);

/*
 * "0 1 2 3 8" or "0,1,2,3,8" (sysfs lists) to the CPU list "0-3,8", in
 * place (never longer). Words that are not numbers leave s unchanged;
 * false then.
 */
bool words_to_cpulist(char *s);

/* Does the CPU list ("0-3,8") name cpu? false for a malformed list. */
bool cpulist_has(const char *list, unsigned int cpu);

/*
 * The CPU list ("0-3,8") as a set of n CPUs: set[cpu] true for each CPU
 * it names, the others false. 0; -EINVAL when malformed (empty, a range
 * going down); -ERANGE when it names a CPU from n up (*bad: the first).
 */
int cpulist_parse(const char *list, bool *set, size_t n, unsigned long *bad);

/* The CPUs of set (n of them) as a CPU list ("0-3,8"); "" for none. */
void cpulist_format(const bool *set, size_t n, char *buf, size_t len);

/*
 * A hex CPU mask as sysfs shows it ("f", "ff,00000001") to the CPU list
 * ("0-3"), in place; false, s unchanged, for anything else.
 */
bool hexmask_to_cpulist(char *s, size_t size);

/*
 * The CPU list ("0,32-39") as the hex mask sysfs takes ("ff,00000001");
 * false for a malformed or empty list.
 */
bool cpulist_to_hexmask(const char *list, char *buf, size_t size);

/* In place: whitespace runs to one space, leading/trailing dropped. */
void fold_whitespace(char *s);

#endif /* OSTUNE_SYSREAD_H */

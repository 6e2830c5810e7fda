# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Shared helpers for the test scripts; sourced, never run.
#
# Everything downloaded or unpacked lives in OSTUNE_CACHE, outside the
# clone, so a fresh clone (as CI uses) reuses it and `make clean` keeps it.

OSTUNE_CACHE=${OSTUNE_CACHE:-/var/cache/ostune}
OSTUNE_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OSTUNE_BUILD=${OSTUNE_BUILD:-$OSTUNE_TOP/build}
# Debian's kernel source (package linux-source-6.1), unpacked by
# tests/deps.sh: checkpatch.pl, and kselftest_harness.h for the selftests.
OSTUNE_LINUX_SRC=$OSTUNE_CACHE/linux-source-6.1
export OSTUNE_CACHE OSTUNE_TOP OSTUNE_BUILD OSTUNE_LINUX_SRC
# The kernel's YNL netlink tools and schemas from Debian's linux-source-6.12
# (tools/net/ynl, Documentation/netlink), unpacked by tests/ynl-source.sh.
OSTUNE_YNL_SRC=$OSTUNE_CACHE/linux-source-6.12
export OSTUNE_YNL_SRC

# The kernels we test against, as the suffix of Debian's meta packages
# linux-image-<suffix> and linux-headers-<suffix>: bookworm's own 6.1 and
# the 6.12 backport. Add a flavour here and every tier picks it up.
OSTUNE_KERNEL_METAS=${OSTUNE_KERNEL_METAS:-"amd64 6.12-amd64"}

ostune_log()
{
	printf '%s: %s\n' "${0##*/}" "$*" >&2
}

ostune_die()
{
	ostune_log "error: $*"
	exit 1
}

# "<meta package> <kernel release>" for each linux-image-<suffix> and
# linux-headers-<suffix>, e.g. "linux-image-amd64 6.1.0-56-amd64"; nothing
# for a package apt's lists do not know (fresh machine before apt-get
# update). One apt-cache call: each takes half a second.
ostune_meta_kvers()
{
	local suffix
	local -a metas=()

	for suffix in $OSTUNE_KERNEL_METAS; do
		metas+=("linux-image-$suffix" "linux-headers-$suffix")
	done
	apt-cache depends "${metas[@]}" 2>/dev/null |
		awk '/^[^ ]/ { pkg = $1; match(pkg, /^linux-[a-z]+-/); prefix = substr(pkg, 1, RLENGTH) }
		     $1 == "Depends:" && index($2, prefix) == 1 && !(pkg in seen) {
			seen[pkg] = 1; print pkg, substr($2, length(prefix) + 1) }'
}

# One kernel release per line. The image and the headers meta packages
# must agree, or a module built against the headers would not load into
# the image we boot (vermagic, symbol CRCs).
ostune_kvers()
{
	local map suffix img hdr

	map=$(ostune_meta_kvers)
	for suffix in $OSTUNE_KERNEL_METAS; do
		img=$(awk -v p="linux-image-$suffix" '$1 == p { print $2 }' <<<"$map")
		hdr=$(awk -v p="linux-headers-$suffix" '$1 == p { print $2 }' <<<"$map")
		[ -n "$img" ] || ostune_die "apt does not know linux-image-$suffix (run tests/deps.sh)"
		[ "$img" = "$hdr" ] ||
			ostune_die "linux-image-$suffix -> $img but linux-headers-$suffix -> $hdr"
		printf '%s\n' "$img"
	done
}

ostune_kdir()
{
	printf '/usr/src/linux-headers-%s\n' "$1"
}

# Installed version of a package, empty when it is not installed.
ostune_pkg_version()
{
	dpkg-query -W -f '${db:Status-Abbrev} ${Version}\n' "$1" 2>/dev/null |
		awk '$1 == "ii" { print $2 }'
}

# Copy the shared libraries BINARY needs into the tree ROOT, at the paths
# ldd reports (the dynamic loader looks exactly there).
ostune_install_libs()
{
	local root=$1 bin=$2 lib

	for lib in $(ldd "$bin" 2>/dev/null | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i }'); do
		mkdir -p "$root${lib%/*}"
		cp -L "$lib" "$root$lib"
	done
}

# Record one test case for tests/check.sh to count: STATUS is PASS, FAIL or
# SKIP; a REASON says why it failed or was skipped. Also echoed to the log.
ostune_result()
{
	local status=$1 name=$2 reason=${3:-}

	printf '%s\t%s\t%s\n' "$status" "$name" "$reason" >>"${OSTUNE_RESULTS:?}"
	printf '%s: %s%s\n' "$status" "$name" "${reason:+ ($reason)}"
}

# Copy the build inputs under SRC (Kbuild, Makefiles, C and assembler
# sources) into DST, which may hold objects of an earlier build. Sources
# are replaced wholesale, so a file deleted from the tree disappears here
# too; timestamps are kept, so Kbuild rebuilds only what changed.
ostune_mirror_sources()
{
	local src=$1 dst=$2

	mkdir -p "$dst"
	find "$dst" -type f \( -name Kbuild -o -name Makefile -o -name '*.[chS]' \) -delete
	(cd "$src" && find . -type f \( -name Kbuild -o -name Makefile -o -name '*.[chS]' \) \
		! -name '*.mod.c' -print0) |
		(cd "$src" && cpio -0 -pdm --quiet "$dst")
}

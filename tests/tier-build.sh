#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier 2, the build matrix. For every kernel in tests/kernels.sh:
#   - the module (and selftests/fixtures/, when it exists) builds with W=1
#     and -Werror, with no modpost warning, and with the vermagic of the
#     image we boot;
#   - sparse (C=2) reports nothing about our files.
# Then checkpatch.pl --strict from Debian's 6.1 source tree, once, and
# the layers of user/: no folder includes from one above it
# (tests/check-layers.sh).
#
# Each kernel builds in its own copy of the tree, build/<release>/, so the
# objects of one kernel never meet the other's: build/<release>/kmod/ostune.ko
# is what the VM tier boots with.
#
# Usage: tests/tier-build.sh  (results to $OSTUNE_RESULTS, see tests/lib.sh)

set -euo pipefail

. "$(dirname "$0")/lib.sh"

JOBS=${JOBS:-$(nproc)}
FIXTURES=selftests/fixtures

# Put this tree's module sources into build/<release>/, laid out as in the
# tree, so relative include paths in the Kbuild files keep working.
prepare_tree()
{
	local bdir=$1

	mkdir -p "$bdir"
	cp -p "$OSTUNE_TOP/Kbuild" "$bdir/Kbuild"
	cp -p "$OSTUNE_TOP/VERSION" "$bdir/VERSION"
	ostune_mirror_sources "$OSTUNE_TOP/kmod" "$bdir/kmod"
	ostune_mirror_sources "$OSTUNE_TOP/include" "$bdir/include"
	if [ -d "$OSTUNE_TOP/$FIXTURES" ]; then
		ostune_mirror_sources "$OSTUNE_TOP/$FIXTURES" "$bdir/$FIXTURES"
	else
		rm -rf "${bdir:?}/$FIXTURES"
	fi
}

# kbuild KDIR M [ARGS...]: one external-module build with the flags of
# every build here; sparse reuses them so it does not force a recompile.
kbuild()
{
	local kdir=$1 m=$2

	shift 2
	make -C "$kdir" M="$m" W=1 KCFLAGS=-Werror -j"$JOBS" "$@"
}

# vermagic of a module shipped in the image we boot (tests/kernels.sh).
image_vermagic()
{
	local kver=$1 ko

	ko=$(find "$OSTUNE_CACHE/kernels/$kver/lib/modules/$kver/kernel" -name '*.ko*' -print -quit)
	modinfo -F vermagic "$ko"
}

# build_case NAME LOG KDIR M [KO]: build, and pass if the build has no
# warning (compiler warnings are errors already; modpost's are not), KO was
# built, and every module built has the vermagic of the image.
build_case()
{
	local name=$1 log=$2 kdir=$3 m=$4 ko=${5:-} kver want got warning

	kver=${kdir##*/linux-headers-}
	if ! kbuild "$kdir" "$m" modules >"$log" 2>&1; then
		ostune_result FAIL "$name" "see $log: $(grep -m1 -E 'error|Error' "$log" || tail -n1 "$log")"
		return 1
	fi
	# make's own warnings (e.g. about a parent's jobserver) are not ours.
	warning=$(grep -i 'warning:' "$log" | grep -v -E '^make(\[[0-9]+\])?: ' | head -n1)
	if [ -n "$warning" ]; then
		ostune_result FAIL "$name" "$warning"
		return 1
	fi
	if [ -n "$ko" ] && [ ! -f "$ko" ]; then
		ostune_result FAIL "$name" "no $ko after the build"
		return 1
	fi
	want=$(image_vermagic "$kver")
	# modules.order names every module of this build: .ko until 6.1,
	# the .o it is linked from since 6.2.
	for ko in $(sed -e 's/\.o$/.ko/' "$m/modules.order"); do
		got=$(modinfo -F vermagic "$ko")
		if [ "$got" != "$want" ]; then
			ostune_result FAIL "$name" "${ko##*/} has vermagic '$got', the image '$want'"
			return 1
		fi
	done
	ostune_result PASS "$name"
}

# Diagnostics of sparse's (file:line:col: warning|error: ...) whose file is
# one of ours, i.e. exists in the build copy, not in the kernel headers.
our_sparse_diagnostics()
{
	local bdir=$1 log=$2 file

	grep -E '^[^ :]+:[0-9]+:[0-9]+: (warning|error):' "$log" |
		while IFS= read -r line; do
			file=${line%%:*}
			file=${file#"$bdir"/}
			case $file in
			/*) ;;
			*) [ -f "$bdir/$file" ] && printf '%s\n' "$line" ;;
			esac
		done || true
}

sparse_case()
{
	local name=$1 log=$2 kdir=$3 m=$4 bdir=$5 ours

	# C=2 checks every source, also the ones already compiled (which,
	# built with the same flags, are not compiled again).
	if ! kbuild "$kdir" "$m" C=2 CHECK=sparse modules >"$log" 2>&1; then
		ostune_result FAIL "$name" "sparse build failed, see $log"
		return 1
	fi
	ours=$(our_sparse_diagnostics "$bdir" "$log")
	if [ -n "$ours" ]; then
		printf '%s\n' "$ours"
		ostune_result FAIL "$name" "$(printf '%s\n' "$ours" | wc -l) sparse diagnostics, first: $(printf '%s\n' "$ours" | head -n1)"
		return 1
	fi
	ostune_result PASS "$name"
}

matrix_kernel()
{
	local kver=$1 kdir bdir logs fixtures_ok=yes

	kdir=$(ostune_kdir "$kver")
	bdir=$OSTUNE_BUILD/$kver
	logs=$OSTUNE_BUILD/logs/$kver
	mkdir -p "$logs"
	prepare_tree "$bdir"

	if build_case "module builds on $kver (W=1, -Werror)" "$logs/build.log" \
		"$kdir" "$bdir" "$bdir/kmod/ostune.ko"; then
		sparse_case "sparse clean on $kver" "$logs/sparse.log" "$kdir" "$bdir" "$bdir"
	else
		ostune_result FAIL "sparse clean on $kver" "not run: the module did not build"
	fi

	[ -d "$bdir/$FIXTURES" ] || return 0
	# The fixture modules are tests' tools, held to the module's standard.
	build_case "selftest fixtures build on $kver (W=1, -Werror)" "$logs/fixtures.log" \
		"$kdir" "$bdir/$FIXTURES" || fixtures_ok=no
	if [ "$fixtures_ok" = yes ]; then
		sparse_case "sparse clean on $kver fixtures" "$logs/fixtures-sparse.log" \
			"$kdir" "$bdir/$FIXTURES" "$bdir"
	else
		ostune_result FAIL "sparse clean on $kver fixtures" "not run: the fixtures did not build"
	fi
}

checkpatch_case()
{
	local name="checkpatch --strict clean" log=$OSTUNE_BUILD/logs/checkpatch.log
	local -a files

	mkdir -p "${log%/*}"
	cd "$OSTUNE_TOP"
	shopt -s nullglob
	files=(kmod/*.[ch] kmod/tests/*.[ch] include/uapi/linux/ostune.h "$FIXTURES"/*.[ch])
	shopt -u nullglob
	if ! "$OSTUNE_LINUX_SRC/scripts/checkpatch.pl" --strict --no-tree --terse \
		--show-types -f "${files[@]}" >"$log" 2>&1 ||
	   grep -q -E ': (ERROR|WARNING|CHECK):' "$log"; then
		cat "$log"
		ostune_result FAIL "$name" "$(grep -c -E ': (ERROR|WARNING|CHECK):' "$log") reported, first: $(grep -m1 -E ': (ERROR|WARNING|CHECK):' "$log" || tail -n1 "$log")"
		return 0
	fi
	ostune_result PASS "$name"
}

layers_case()
{
	local name="user/ layers include only from below" out

	if out=$("$OSTUNE_TOP/tests/check-layers.sh" 2>&1); then
		ostune_result PASS "$name"
		return 0
	fi
	printf '%s\n' "$out"
	ostune_result FAIL "$name" "$(printf '%s\n' "$out" | wc -l) reported, first: $(printf '%s\n' "$out" | head -n1)"
}

# Assigned first: a failure inside $(...) in a for list would go unnoticed.
kvers=$(ostune_kvers)
for kver in $kvers; do
	matrix_kernel "$kver"
done
checkpatch_case
layers_case

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug tier's kernel, once: x86_64 tinyconfig of Debian's
# linux-source-6.1 (unpacked by tests/deps.sh) plus tests/debug-kernel.config,
# out of tree (O=) in the cache, keyed by a hash of the fragment and the
# source version:
#
#	$OSTUNE_CACHE/debug-kernel/<key>/arch/x86/boot/bzImage
#
# The directory is a full kernel build tree: modules build against it
# with M=. A finished build is marked with .ostune-built; an interrupted
# one is resumed by make. Prints the build directory.
#
# Usage: tests/debug-kernel.sh  (JOBS: parallel jobs, default nproc)

set -euo pipefail

. "$(dirname "$0")/lib.sh"

JOBS=${JOBS:-$(nproc)}
fragment=$OSTUNE_TOP/tests/debug-kernel.config
src=$OSTUNE_LINUX_SRC

[ -f "$src/.ostune-version" ] || ostune_die "no kernel source in $src (run tests/deps.sh)"
key=$(cat "$fragment" "$src/.ostune-version" | sha256sum | cut -c1-16)
out=$OSTUNE_CACHE/debug-kernel/$key
kmake=(make -C "$src" O="$out" ARCH=x86_64)

# Every line of the fragment must have survived Kconfig: a symbol whose
# dependencies are missing would silently drop a check we rely on.
check_config()
{
	local line sym missing=0

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*) sym=$line ;;
		"# CONFIG_"*" is not set") sym=$line ;;
		*) continue ;;
		esac
		if ! grep -q -x -F "$sym" "$out/.config"; then
			ostune_log "not in the resulting .config: $sym"
			missing=1
		fi
	done <"$fragment"
	return $missing
}

if [ -f "$out/.ostune-built" ]; then
	printf '%s\n' "$out"
	exit 0
fi

start=$SECONDS
mkdir -p "$out"
ostune_log "building the debug kernel in $out (the first time takes a while)"
if [ ! -f "$out/.config" ] || ! check_config 2>/dev/null; then
	"${kmake[@]}" -s tinyconfig >&2
	"$src/scripts/kconfig/merge_config.sh" -m -O "$out" "$out/.config" "$fragment" >&2
	"${kmake[@]}" -s olddefconfig >&2
	check_config || ostune_die "tests/debug-kernel.config does not apply to $src"
fi
# vmlinux, bzImage and Module.symvers, which M= builds need.
"${kmake[@]}" -j"$JOBS" all >&2
touch "$out/.ostune-built"
ostune_log "debug kernel built in $((SECONDS - start))s"
printf '%s\n' "$out"

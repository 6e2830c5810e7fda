#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what the test tiers need on a Debian 12 machine, and unpack the
# kernel source tree into the cache. Idempotent: when everything is there
# it only asks dpkg and apt's local lists, and touches no network.

set -euo pipefail

. "$(dirname "$0")/lib.sh"

# Not a package: what missing_packages says when apt's lists are too old.
NEED_UPDATE="(apt-get update)"

# Packages from deps.list plus the versioned kernel headers that are not
# installed, or (headers) not at the version apt would install: the image
# tests/kernels.sh downloads is at the headers' version, and apt must
# still have it.
missing_packages()
{
	local pkg map
	local -a headers=()

	for pkg in $(sed -e 's/#.*//' "$OSTUNE_TOP/tests/deps.list"); do
		[ -n "$(ostune_pkg_version "$pkg")" ] || printf '%s\n' "$pkg"
	done

	map=$(ostune_meta_kvers)
	if [ -z "$map" ]; then
		# apt's lists are empty or do not know the kernels: what is
		# "missing" then is the update.
		printf '%s\n' "$NEED_UPDATE"
		return 0
	fi
	mapfile -t headers < <(awk '$1 ~ /^linux-image-/ { print "linux-headers-" $2 }' <<<"$map")
	apt-cache policy "${headers[@]}" |
		awk '/^[^ ]/ { pkg = $1; sub(/:$/, "", pkg) } $1 == "Candidate:" { print pkg, $2 }' |
		while read -r pkg want; do
			[ "$(ostune_pkg_version "$pkg")" = "$want" ] || printf '%s\n' "$pkg"
		done
}

install_packages()
{
	local missing

	missing=$(missing_packages | sort -u)
	[ -n "$missing" ] || return 0

	ostune_log "missing: ${missing//$'\n'/ }"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q
	# The lists just changed: the meta packages may point elsewhere now.
	missing=$(missing_packages | sort -u)
	if grep -q -x -F "$NEED_UPDATE" <<<"$missing"; then
		ostune_die "apt does not know the kernel packages for: $OSTUNE_KERNEL_METAS"
	fi
	[ -n "$missing" ] || return 0
	# shellcheck disable=SC2086 # one word per package
	apt-get install -y -q --no-install-recommends $missing
}

# checkpatch.pl, and kselftest_harness.h for the selftests, come from the
# Debian source tree. Unpack to a temporary name and rename, so an
# interrupted run never leaves a half tree that looks complete.
unpack_linux_source()
{
	local pkg=${OSTUNE_LINUX_SRC##*/} version stamp tmp

	version=$(ostune_pkg_version "$pkg")
	stamp=$OSTUNE_LINUX_SRC/.ostune-version
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
		return 0
	fi

	ostune_log "unpacking /usr/src/$pkg.tar.xz into $OSTUNE_CACHE"
	mkdir -p "$OSTUNE_CACHE"
	tmp=$(mktemp -d "$OSTUNE_CACHE/.unpack.XXXXXX")
	tar -xJf "/usr/src/$pkg.tar.xz" -C "$tmp"
	printf '%s\n' "$version" >"$tmp/$pkg/.ostune-version"
	if [ -e "$OSTUNE_LINUX_SRC" ]; then
		mv "$OSTUNE_LINUX_SRC" "$tmp/old"
	fi
	mv "$tmp/$pkg" "$OSTUNE_LINUX_SRC"
	rm -rf "$tmp"
}

install_packages
unpack_linux_source
# The kernel's YNL client and netlink schemas (package and VM tiers).
"$OSTUNE_TOP/tests/ynl-source.sh"

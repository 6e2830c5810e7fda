#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make the kernels we test against available without installing them:
# download each image package with apt-get and unpack it into
# $OSTUNE_CACHE/kernels/<release>/. Prints one line per kernel:
#
#	<release> <vmlinuz> <KDIR>
#
# The image is fetched at exactly the version of the installed headers
# (tests/deps.sh installs them), so modules built against KDIR load into it.

set -euo pipefail

. "$(dirname "$0")/lib.sh"

fetch_kernel()
{
	local kver=$1 version dir tmp

	version=$(ostune_pkg_version "linux-headers-$kver")
	[ -n "$version" ] || ostune_die "linux-headers-$kver is not installed (run tests/deps.sh)"

	dir=$OSTUNE_CACHE/kernels/$kver
	if [ -f "$dir/.ostune-version" ] && [ "$(cat "$dir/.ostune-version")" = "$version" ]; then
		return 0
	fi

	ostune_log "fetching linux-image-$kver $version"
	mkdir -p "$OSTUNE_CACHE/kernels"
	tmp=$(mktemp -d "$OSTUNE_CACHE/kernels/.fetch.XXXXXX")
	# As root apt would hand the download to its _apt user, which cannot
	# write into our private temporary directory.
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root \
		"linux-image-$kver=$version") >&2
	dpkg-deb -x "$tmp"/linux-image-*.deb "$tmp/root"
	[ -f "$tmp/root/boot/vmlinuz-$kver" ] ||
		ostune_die "linux-image-$kver $version has no boot/vmlinuz-$kver"
	printf '%s\n' "$version" >"$tmp/root/.ostune-version"
	rm -rf "$dir"
	mv "$tmp/root" "$dir"
	rm -rf "$tmp"
}

# Assigned first: a failure inside $(...) in a for list would go unnoticed.
kvers=$(ostune_kvers)
for kver in $kvers; do
	fetch_kernel "$kver"
	printf '%s %s %s\n' "$kver" "$OSTUNE_CACHE/kernels/$kver/boot/vmlinuz-$kver" \
		"$(ostune_kdir "$kver")"
done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Unpack the kernel's own YNL netlink tools from Debian's linux-source-6.12
# into the cache, $OSTUNE_YNL_SRC: tools/net/ynl (cli.py, its lib/, and
# ynl-gen-c.py) and Documentation/netlink (the schemas genetlink*.yaml that
# cli.py validates a spec against). Only those two directories: the whole
# tree is 1.5 GB. Once per package version; an interrupted run leaves no
# half tree behind. tests/deps.sh runs it; the package and VM tiers use it.
#
# Usage: tests/ynl-source.sh

set -euo pipefail

. "$(dirname "$0")/lib.sh"

pkg=${OSTUNE_YNL_SRC##*/}
version=$(ostune_pkg_version "$pkg")
[ -n "$version" ] || ostune_die "$pkg is not installed (tests/deps.list)"
stamp=$OSTUNE_YNL_SRC/.ostune-version
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$version" ]; then
	exit 0
fi

ostune_log "unpacking tools/net/ynl and Documentation/netlink of /usr/src/$pkg.tar.xz"
mkdir -p "$OSTUNE_CACHE"
tmp=$(mktemp -d "$OSTUNE_CACHE/.unpack.XXXXXX")
tar -xJf "/usr/src/$pkg.tar.xz" -C "$tmp" "$pkg/tools/net/ynl" "$pkg/Documentation/netlink"
printf '%s\n' "$version" >"$tmp/$pkg/.ostune-version"
if [ -e "$OSTUNE_YNL_SRC" ]; then
	mv "$OSTUNE_YNL_SRC" "$tmp/old"
fi
mv "$tmp/$pkg" "$OSTUNE_YNL_SRC"
rm -rf "$tmp"

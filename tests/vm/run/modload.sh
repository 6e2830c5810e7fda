#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init has loaded $OSTUNE_KO: check that it is there, unloads cleanly and
# loads again (leaving it loaded for the run scripts after this one).
# One TAP test case.

kver=$(uname -r)
fail=

check()
{
	if ! "$@"; then
		echo "# failed: $*"
		fail=1
	fi
}

echo "TAP version 13"
echo "1..1"
check test -d /sys/module/ostune
check rmmod ostune
check test ! -e /sys/module/ostune
check insmod "$OSTUNE_KO"
check test -d /sys/module/ostune
echo "${fail:+not }ok 1 module loads and unloads cleanly on $kver"
[ -z "$fail" ]

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Run the selftest programs listed in /ostune/selftests.list (from
# `make -C selftests print-vm-tests`), each printing kselftest TAP. A
# "# program: NAME" line before each tells the host whose TAP follows.

rc=0
progs=$(cat /ostune/selftests.list 2>/dev/null)
if [ -z "$progs" ]; then
	echo "# program: selftests"
	printf 'TAP version 13\n1..1\nnot ok 1 no selftest program in the initramfs (selftests/ not built?)\n'
	exit 1
fi

for prog in $progs; do
	echo "# program: $prog"
	if [ ! -x "/ostune/bin/$prog" ]; then
		printf 'TAP version 13\n1..1\nnot ok 1 %s is not in the initramfs\n' "$prog"
		rc=1
		continue
	fi
	"/ostune/bin/$prog" || rc=1
done
exit $rc

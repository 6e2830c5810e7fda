#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash
#
# The nic class's coalescing and ring knobs on the two e1000e NICs that
# tests/vm/run.sh adds to the boots running this script (a QEMU hub joins
# them): selftests/ostune_niccoal_test loads the image's e1000e.ko (or
# finds it built in), moves the second NIC into a network namespace, and
# checks every knob with Debian's ethtool, the restore paths, the
# refusals, a driver unbind while held, and the interrupt rate under the
# same load at two rx_usecs. kselftest TAP.

echo "# program: ostune_niccoal_test"
if [ ! -x /ostune/bin/ostune_niccoal_test ]; then
	printf 'TAP version 13\n1..1\nnot ok 1 ostune_niccoal_test is not in the initramfs\n'
	exit 1
fi
command -v ethtool >/dev/null ||
	echo "# no ethtool in the initramfs (tests/vm/workloads.list): its checks fail"
exec /ostune/bin/ostune_niccoal_test

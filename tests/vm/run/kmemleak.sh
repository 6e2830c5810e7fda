#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Last in the debug tier: unload ostune.ko and ask kmemleak for what is
# left unreferenced since run/kunit.sh cleared its list. Anything at all
# fails: the module and what it made the kernel allocate must leave
# nothing behind. Two scans, as objects freed late (RCU) may look lost
# to the first.

L=/sys/kernel/debug/kmemleak
echo "TAP version 13"
echo "1..2"
if rmmod ostune && [ ! -e /sys/module/ostune ]; then
	echo "ok 1 - ostune unloads at the end of the run"
else
	echo "not ok 1 - ostune unloads at the end of the run"
fi
if [ ! -w $L ]; then
	echo "not ok 2 - kmemleak: no leak after rmmod ostune # no $L"
	exit 1
fi
echo scan >$L
sleep 1
echo scan >$L
leaks=$(cat $L)
if [ -z "$leaks" ]; then
	echo "ok 2 - kmemleak: no leak after rmmod ostune"
	exit 0
fi
echo "$leaks" | head -n 60 | sed -e 's/^/# /'
echo "not ok 2 - kmemleak: no leak after rmmod ostune ($(echo "$leaks" | grep -c '^unreferenced object') objects)"
exit 1

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Allocation failures in the module's requests (selftests/ostune_fault.c),
# with the fixture drivers loaded so every knob class is in the
# transactions. Each injected failure dumps its stack into the kernel log,
# hundreds of them: the console shows only errors meanwhile (KASAN still
# does), and ostune_fault itself looks for any other splat in the log.

for ko in fake_cpuidle fake_cpufreq; do
	[ -f "$OSTUNE_FIXTURES/$ko.ko" ] && insmod "$OSTUNE_FIXTURES/$ko.ko"
done
read -r printk </proc/sys/kernel/printk
echo 4 >/proc/sys/kernel/printk
echo "# program: ostune_fault"
ostune_fault
rc=$?
echo "$printk" >/proc/sys/kernel/printk
rmmod fake_cpufreq fake_cpuidle 2>/dev/null
exit $rc

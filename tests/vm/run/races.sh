#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The race tests (selftests/ostune_race.c), with the fixture drivers
# loaded for the per-CPU knobs of the CPU hotplug test.

for ko in fake_cpuidle fake_cpufreq; do
	[ -f "$OSTUNE_FIXTURES/$ko.ko" ] && insmod "$OSTUNE_FIXTURES/$ko.ko"
done
echo "# program: ostune_race"
ostune_race
rc=$?
rmmod fake_cpufreq fake_cpuidle 2>/dev/null
exit $rc

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The netlink fuzzer (selftests/ostune_fuzz.c) with the fixture drivers
# loaded, so that idle, pmqos and freq knobs exist to be changed.
# OSTUNE_FUZZ_MESSAGES (default 100000), OSTUNE_FUZZ_SECONDS (a time
# budget, default none: the run ends at whichever comes first) and
# OSTUNE_FUZZ_SEED come from the kernel command line
# (ostune.fuzz_messages=, ostune.fuzz_seconds=, ostune.fuzz_seed=).
# The fuzzer drops to nobody (65534) and makes a user namespace of its
# own: the run script stays root.

messages=100000
seconds=0
for arg in $(cat /proc/cmdline); do
	case $arg in
	ostune.fuzz_messages=*) messages=${arg#*=} ;;
	ostune.fuzz_seconds=*) seconds=${arg#*=} ;;
	ostune.fuzz_seed=*) export OSTUNE_FUZZ_SEED=${arg#*=} ;;
	esac
done

for ko in fake_cpuidle fake_cpufreq; do
	[ -f "$OSTUNE_FIXTURES/$ko.ko" ] && insmod "$OSTUNE_FIXTURES/$ko.ko"
done
echo "# program: ostune_fuzz"
ostune_fuzz -n "$messages" -t "$seconds"
rc=$?
rmmod fake_cpufreq fake_cpuidle 2>/dev/null
exit $rc

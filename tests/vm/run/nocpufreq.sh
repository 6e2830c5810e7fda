#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash
#
# Booted with cpufreq.off=1: cpufreq refuses the module's policy notifier,
# so the freq class has nothing to stand on. The module must load all the
# same, refuse freq knobs saying why, and serve every other class.
# TAP, one line per check; the plan comes last.

TAP_PREFIX="no cpufreq: "
. /ostune/tap.sh

KNOB=sysctl.vm.swappiness
PROCF=/proc/sys/vm/swappiness

loaded()
{
	[ -d /sys/module/ostune ] || { diag "ostune is not loaded"; return 1; }
}

logged()
{
	dmesg | grep -q "ostune: no freq knobs: cpufreq refused" ||
		{ diag "no log line about the freq class"; return 1; }
}

# freq_refused KNOB=VALUE
freq_refused()
{
	local out

	out=$(ostune set "$1" 2>&1) &&
		{ diag "set $1 succeeded: $out"; return 1; }
	case $out in
	*"cpufreq is disabled"*) return 0 ;;
	esac
	diag "the refusal does not say cpufreq is disabled: $out"
	return 1
}

sysctl_works()
{
	local orig new

	orig=$(cat "$PROCF")
	new=$((orig + 1))
	ostune set "$KNOB=$new" >/dev/null || { diag "set $KNOB failed"; return 1; }
	[ "$(cat "$PROCF")" = "$new" ] || { diag "$PROCF is not $new"; return 1; }
	ostune restore >/dev/null || { diag "restore failed"; return 1; }
	[ "$(cat "$PROCF")" = "$orig" ] || { diag "$PROCF is not back at $orig"; return 1; }
}

check "the module loads" loaded
check "the kernel log says why there are no freq knobs" logged
check "a freq knob is refused, saying cpufreq is disabled" freq_refused freq.policy0.max_khz=1000000
check "a governor is refused, saying cpufreq is disabled" freq_refused freq.policy0.governor=performance
check "boost is refused, saying cpufreq is disabled" freq_refused freq.boost=1
check "an intel_pstate knob is refused, saying cpufreq is disabled" freq_refused freq.pstate.no_turbo=1
check "a sysctl is set and restored" sysctl_works
check "the module unloads" rmmod ostune
tap_done

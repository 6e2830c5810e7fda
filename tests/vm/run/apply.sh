#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, which has "local" too
#
# A profile applied and put back through whichever module and CLI the VM
# has (the package tier boots the ostune.ko DKMS built and the CLI of the
# ostune package): they are one release; `ostune apply` sets every knob
# of the profile; `ostune restore` puts the originals back, and so does
# unloading the module; a profile with one bad value changes nothing.
# TAP, one line per check; the plan comes last.

. /ostune/tap.sh

PROFILE=/tmp/apply-profile.json
SWAPPINESS=/proc/sys/vm/swappiness
STAT_INTERVAL=/proc/sys/vm/stat_interval
orig_swappiness=$(cat "$SWAPPINESS")
orig_stat_interval=$(cat "$STAT_INTERVAL")
new_swappiness=$((orig_swappiness + 7))
new_stat_interval=$((orig_stat_interval + 2))

same_release()
{
	local module cli

	module=$(cat /sys/module/ostune/version 2>/dev/null)
	cli=$(ostune --version)
	[ -n "$module" ] && [ "$cli" = "ostune $module" ] ||
		{ diag "module '$module', CLI '$cli'"; return 1; }
}

# holds SWAPPINESS STAT_INTERVAL: what the two files read
holds()
{
	local swappiness stat_interval

	swappiness=$(cat "$SWAPPINESS")
	stat_interval=$(cat "$STAT_INTERVAL")
	[ "$swappiness" = "$1" ] && [ "$stat_interval" = "$2" ] ||
		{ diag "swappiness $swappiness, stat_interval $stat_interval; expected $1, $2"; return 1; }
}

# apply_profile SWAPPINESS STAT_INTERVAL
apply_profile()
{
	printf '{"knobs": {"sysctl.vm.swappiness": %s, "sysctl.vm.stat_interval": %s}}\n' \
		"$1" "$2" >"$PROFILE"
	ostune apply "$PROFILE" >/tmp/apply.out 2>&1 ||
		{ diag "ostune apply: $(cat /tmp/apply.out)"; return 1; }
}

applies()
{
	apply_profile "$new_swappiness" "$new_stat_interval" &&
		holds "$new_swappiness" "$new_stat_interval"
}

restores()
{
	ostune restore >/tmp/restore.out 2>&1 ||
		{ diag "ostune restore: $(cat /tmp/restore.out)"; return 1; }
	holds "$orig_swappiness" "$orig_stat_interval"
}

unload_restores()
{
	apply_profile "$new_swappiness" "$new_stat_interval" || return 1
	rmmod ostune || { diag "rmmod ostune failed"; return 1; }
	holds "$orig_swappiness" "$orig_stat_interval" || return 1
	insmod "$OSTUNE_KO" || { diag "insmod $OSTUNE_KO failed"; return 1; }
}

# swappiness takes 0..200: the profile fails as a whole, saying which knob
bad_value_changes_nothing()
{
	local out

	printf '{"knobs": {"sysctl.vm.stat_interval": %s, "sysctl.vm.swappiness": 999}}\n' \
		"$new_stat_interval" >"$PROFILE"
	out=$(ostune apply "$PROFILE" 2>&1) && { diag "ostune apply succeeded: $out"; return 1; }
	case $out in
	*sysctl.vm.swappiness*) ;;
	*) diag "the error does not name the knob: $out"; return 1 ;;
	esac
	holds "$orig_swappiness" "$orig_stat_interval"
}

check "the module and the CLI are one release" same_release
check "ostune apply sets every knob of a profile" applies
check "ostune restore puts the originals back" restores
check "unloading the module puts the originals back" unload_restores
check "a profile with a bad value fails, naming it, and changes nothing" bad_value_changes_nothing
tap_done

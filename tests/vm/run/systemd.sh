#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, which has "local" too
#
# dist/systemd/ostune-apply.service under a real systemd (Debian 12's 252
# as PID 1: the systemd flavour of the initramfs, tests/vm/systemd-files.sh).
#
# "setup", run by ostune-vm-setup.service before ostune-apply.service at
# boot, notes the original vm.stat_interval, sched.migration_cost_ns
# (debugfs) and vm.dirty_ratio, and writes an /etc/ostune/profile.json changing both. Then,
# run by tests/vm/init as ostune-vm.service:
#
#   - the unit is active after the boot, /proc and debugfs hold the
#     profile's values, the journal has what ExecStart printed, and the
#     units of its After= were active before it started;
#   - systemctl stop puts the originals back;
#   - a profile the kernel refuses fails systemctl start, the unit is
#     failed, nothing changed, and the journal has the kernel's message;
#   - with no profile the unit is skipped by its conditions, not failed;
#   - started again, the power off stops it and "shutdown", run by
#     ostune-vm-setup.service's ExecStop after the unit's, finds the
#     originals back.
#
# TAP, one line per check; the plan comes last.

UNIT=ostune-apply.service
STATE=/run/ostune-vm
STAT=/proc/sys/vm/stat_interval
MIGRATION=/sys/kernel/debug/sched/migration_cost_ns
DIRTY=/proc/sys/vm/dirty_ratio

TAP_PREFIX="systemd: "
. /ostune/tap.sh

# STAT MIGRATION: the profile the boot applies.
write_profile()
{
	mkdir -p /etc/ostune
	echo "{\"knobs\": {\"sysctl.vm.stat_interval\": $1, \"sched.migration_cost_ns\": $2}}" \
		>/etc/ostune/profile.json
}

if [ "${1:-}" = setup ]; then
	mkdir -p $STATE
	read -r stat <$STAT
	read -r migration <$MIGRATION
	read -r dirty <$DIRTY
	echo "$stat $migration $((stat + 2)) $((migration + 100000)) $dirty" >$STATE/values
	write_profile $((stat + 2)) $((migration + 100000))
	exit 0
fi

# FILE WANT: FILE reads WANT.
holds()
{
	local got

	read -r got <"$1"
	[ "$got" = "$2" ] || { diag "$1 is $got, want $2"; return 1; }
}

at_originals()
{
	holds $STAT "$STAT0" && holds $MIGRATION "$MIGRATION0" && holds $DIRTY "$DIRTY0"
}

holds_nothing()
{
	ostune status | grep -q '^held:    none' || { diag "$(ostune status)"; return 1; }
}

# STATE: `systemctl is-active` of the unit says STATE.
state_is()
{
	local want=$1 got

	got=$(systemctl is-active $UNIT)
	[ "$got" = "$want" ] || { diag "$UNIT is $got, want $want"; return 1; }
}

# UNIT PROPERTY: its value, as systemctl shows it.
prop()
{
	systemctl show -p "$2" --value "$1"
}

# UNIT: active before ostune-apply.service began to start, in the
# monotonic microseconds systemd notes for each state change.
active_before()
{
	local entered began

	entered=$(prop "$1" ActiveEnterTimestampMonotonic)
	began=$(prop $UNIT InactiveExitTimestampMonotonic)
	diag "$1 active at ${entered} us, $UNIT starting at ${began} us"
	[ "$entered" -gt 0 ] && [ "$entered" -le "$began" ]
}

after_names()
{
	local after unit res=0

	after=" $(prop $UNIT After) "
	for unit in "$@"; do
		case $after in
		*" $unit "*) ;;
		*) diag "After= lacks $unit: $after"; res=1 ;;
		esac
	done
	return $res
}

# TEXT: the journal of the unit (this boot) has TEXT.
journal_has()
{
	journalctl --sync
	journalctl -b -u $UNIT -o cat --no-pager | grep -q -F "$1" ||
		{ diag "journal: $(journalctl -b -u $UNIT -o cat --no-pager | tail -n 5)"; return 1; }
}

read -r STAT0 MIGRATION0 STAT1 MIGRATION1 DIRTY0 <$STATE/values

# At the power off, ostune-vm-setup.service's ExecStop: after the unit's
# (ostune-vm-setup.service is ordered before it), on the second serial
# port as a run of its own, "systemd-shutdown", after tests/vm/init's
# last line.
if [ "${1:-}" = shutdown ]; then
	{
		echo "OSTUNE-VM: BEGIN systemd-shutdown"
		echo "TAP version 13"
		check "at shutdown, $UNIT was stopped first" state_is inactive
		check "its ExecStop put the originals back" at_originals
		check "the module holds nothing" holds_nothing
		tap_done
		echo "OSTUNE-VM: END systemd-shutdown rc=$? secs=0"
	} >>/dev/ttyS1 2>&1
	exit 0
fi

echo "TAP version 13"
diag "originals: vm.stat_interval $STAT0, sched.migration_cost_ns $MIGRATION0; profile: $STAT1, $MIGRATION1"
diag "systemd started $(systemctl show -p UserspaceTimestampMonotonic --value) us after the kernel," \
	"$UNIT was active at $(prop $UNIT ActiveEnterTimestampMonotonic) us"

# 1. At boot.
check "$UNIT is active after the boot" state_is active
check "ExecStartPre's modprobe loaded the module from /lib/modules" grep -q '^ostune ' /proc/modules
check "vm.stat_interval is the profile's $STAT1" holds $STAT "$STAT1"
check "sched.migration_cost_ns (debugfs) is the profile's $MIGRATION1" holds $MIGRATION "$MIGRATION1"
check "the journal has ExecStart's stdout" journal_has "applied 2 knobs"
check "After= names modules-load, udev-trigger and network.target" \
	after_names systemd-modules-load.service systemd-udev-trigger.service network.target
if [ -s /etc/modules-load.d/ostune-vm.conf ]; then
	check "systemd-modules-load loaded modules-load.d's tcp_bbr" grep -q '^tcp_bbr ' /proc/modules
	check "systemd-modules-load.service was active before $UNIT started" \
		active_before systemd-modules-load.service
else
	skip "systemd-modules-load.service was active before $UNIT started" \
		"no modules-load.d entry: the kernel image's modules were not there"
fi
check "systemd-udev-trigger.service was active before $UNIT started" \
	active_before systemd-udev-trigger.service
check "network.target was active before $UNIT started" active_before network.target
check "it stops at shutdown, before the network goes down (Conflicts=, Before= shutdown.target)" \
	sh -c "systemctl show -p Conflicts -p Before $UNIT | grep -c shutdown.target | grep -qx 2"

# 2. Stop.
check "systemctl stop succeeds" systemctl stop $UNIT
check "the unit is inactive" state_is inactive
check "the originals are back" at_originals
check "the module holds nothing" holds_nothing

# 3. A profile the kernel refuses, after a good entry: all or nothing.
echo "{\"knobs\": {\"sysctl.vm.stat_interval\": $STAT1, \"sysctl.vm.dirty_ratio\": 500}}" \
	>/etc/ostune/profile.json
systemctl start $UNIT 2>/dev/null
rc=$?
check "systemctl start of a refused profile fails (exit $rc)" [ $rc -ne 0 ]
check "systemctl is-failed says failed" sh -c "[ \"\$(systemctl is-failed $UNIT)\" = failed ]"
check "nothing changed: every knob at its original" at_originals
check "nothing changed: the module holds nothing" holds_nothing
check "journalctl -u has the kernel's message naming the entry" \
	journal_has "ostune: apply: Invalid argument: entry 2 (sysctl.vm.dirty_ratio)"
systemctl reset-failed $UNIT

# 4. No profile: skipped, not failed.
rm -f /etc/ostune/profile.json
check "with no profile, systemctl start succeeds" systemctl start $UNIT
check "the unit is not active" state_is inactive
check "nor failed" sh -c "[ \"\$(systemctl is-failed $UNIT)\" != failed ]"
check "its conditions were not met" sh -c "[ \"\$(systemctl show -p ConditionResult --value $UNIT)\" = no ]"
check "nothing changed" at_originals

# 5. Applied again, so that the power off stops it: run systemd-shutdown.
write_profile "$STAT1" "$MIGRATION1"
check "systemctl start applies the profile again" systemctl start $UNIT
check "vm.stat_interval is $STAT1 again" holds $STAT "$STAT1"

tap_done

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, which has "local" too
#
# dist/systemd/ostune-apply.service without systemd: its ExecStartPre,
# ExecStart and ExecStop lines, read from the unit and run as systemd
# runs them (split on blanks: the lines have no quotes, variables or
# specifiers, which this checks), against profiles in /etc/ostune:
#
#   - ExecStartPre loads the module (modprobe, from /lib/modules);
#   - ExecStart applies /etc/ostune/profile.json and profiles.d/*.json in
#     name order as one transaction, the later value winning, an IRQ named
#     by its handler (ttyS0) included; /proc and /sys hold the values;
#   - ExecStop puts every original back;
#   - a profile the kernel refuses fails ExecStart with the kernel's
#     message on stderr, and nothing changed;
#   - a handler that appears only later (fake_irq.ko loaded 2 s after
#     ExecStart began) is waited for, and then applied.
#
# TAP, one line per check; the plan comes last.

UNIT=/ostune/systemd/ostune-apply.service
T=/tmp/boot-test
TAP_PREFIX="boot: "
. /ostune/tap.sh

F=${OSTUNE_FIXTURES:-/ostune/fixtures}

unit_line()
{
	sed -n -e "s/^$1=//p" "$UNIT"
}

# The unit's command line KEY, run as systemd would; its stdout and
# stderr in $T/KEY.out and $T/KEY.err.
run_unit()
{
	local key=$1 line

	line=$(unit_line "$key")
	# shellcheck disable=SC2086 # split on blanks, as systemd does here
	set -- $line
	"$@" >"$T/$key.out" 2>"$T/$key.err"
}

# The lines hold nothing systemd would expand or unquote differently.
plain_lines()
{
	local key line res=0

	for key in ExecStartPre ExecStart ExecStop; do
		line=$(unit_line $key)
		[ -n "$line" ] || { diag "no $key"; res=1; }
		case $line in
		*[\"\'\$%\\\;]*) diag "$key has quotes, variables or specifiers: $line"; res=1 ;;
		esac
	done
	return $res
}

irq_of()
{
	sed -n -e "s/^ *\([0-9]*\):.* $1\$/\1/p" /proc/interrupts | head -n 1
}

sysctl_file()
{
	echo "/proc/sys/$(echo "$1" | tr . /)"
}

# NAME WANT: the sysctl reads WANT.
holds()
{
	local got

	got=$(cat "$(sysctl_file "$1")")
	[ "$got" = "$2" ] || { diag "$1 is $got, want $2"; return 1; }
}

irq_holds()
{
	local got

	got=$(cat "/proc/irq/$1/smp_affinity_list")
	[ "$got" = "$2" ] || { diag "IRQ $1 is $got, want $2"; return 1; }
}

at_originals()
{
	holds vm.swappiness "$SWAPPINESS" && holds vm.stat_interval "$STAT_INTERVAL" &&
		holds vm.dirty_ratio "$DIRTY_RATIO" && irq_holds "$TTY_IRQ" "$TTY_AFFINITY"
}

holds_nothing()
{
	ostune status | grep -q '^held:    none' || { diag "$(ostune status)"; return 1; }
}

stderr_has()
{
	grep -q -F "$2" "$T/$1.err" || { diag "$1 said: $(cat "$T/$1.err")"; return 1; }
}

echo "TAP version 13"
rm -rf $T /etc/ostune
mkdir -p $T /etc/ostune/profiles.d /usr/sbin /sbin
ln -sf /ostune/bin/ostune /usr/sbin/ostune
[ -x /sbin/modprobe ] || ln -sf /bin/busybox /sbin/modprobe
# modprobe finds the module where a package puts it
mkdir -p "/lib/modules/$(uname -r)/updates"
cp "$OSTUNE_KO" "/lib/modules/$(uname -r)/updates/ostune.ko"
echo "updates/ostune.ko:" >"/lib/modules/$(uname -r)/modules.dep"

SWAPPINESS=$(cat /proc/sys/vm/swappiness)
STAT_INTERVAL=$(cat /proc/sys/vm/stat_interval)
DIRTY_RATIO=$(cat /proc/sys/vm/dirty_ratio)
TTY_IRQ=$(irq_of ttyS0)
TTY_AFFINITY=$(cat "/proc/irq/$TTY_IRQ/smp_affinity_list")
diag "originals: swappiness $SWAPPINESS, stat_interval $STAT_INTERVAL, ttyS0 is IRQ $TTY_IRQ on $TTY_AFFINITY"
case $TTY_AFFINITY in 1) NEW_AFFINITY=0 ;; *) NEW_AFFINITY=1 ;; esac

check "the unit's command lines are plain words" plain_lines

rmmod ostune
check "ExecStartPre (modprobe ostune) loads the module" \
	sh -c "$(unit_line ExecStartPre) && grep -q '^ostune ' /proc/modules"

cat >/etc/ostune/profile.json <<EOJ
{"knobs": {"sysctl.vm.swappiness": 13, "irq.action:ttyS0.affinity": "$NEW_AFFINITY"}}
EOJ
echo '{"knobs": {"sysctl.vm.stat_interval": 3}}' >/etc/ostune/profiles.d/20-b.json
echo '{"knobs": {"sysctl.vm.swappiness": 17, "sysctl.vm.stat_interval": 2}}' \
	>/etc/ostune/profiles.d/10-a.json
check "ExecStart applies profile.json and profiles.d/ as one transaction" run_unit ExecStart
check "ExecStart says so" grep -q -x 'applied 3 knobs (txn [0-9]*)' $T/ExecStart.out
check "the later profile's value wins (10-a, then 20-b)" \
	sh -c "holds() { [ \"\$(cat /proc/sys/vm/\$1)\" = \$2 ]; }; holds swappiness 17 && holds stat_interval 3"
check "the IRQ named by its handler, ttyS0, is IRQ $TTY_IRQ, now on CPU $NEW_AFFINITY" \
	irq_holds "$TTY_IRQ" "$NEW_AFFINITY"
check "ostune restore by the handler's name puts that IRQ back, and only it" \
	sh -c "ostune restore irq.action:ttyS0.affinity >/dev/null &&
		[ \$(cat /proc/irq/$TTY_IRQ/smp_affinity_list) = $TTY_AFFINITY ] &&
		[ \$(cat /proc/sys/vm/swappiness) = 17 ]"
check "ExecStop (ostune restore) succeeds" run_unit ExecStop
check "ExecStop put every original back" at_originals
check "the module holds nothing after ExecStop" holds_nothing

# A refused value after a good one: all or nothing, the kernel's words.
echo '{"knobs": {"sysctl.vm.dirty_ratio": 500}}' >/etc/ostune/profiles.d/30-bad.json
run_unit ExecStart
rc=$?
check "a profile the kernel refuses fails ExecStart (exit 1, got $rc)" [ $rc -eq 1 ]
check "its stderr has the kernel's message naming the entry" \
	stderr_has ExecStart "ostune: apply: Invalid argument: entry 4 (sysctl.vm.dirty_ratio)"
check "nothing changed: every knob at its original" at_originals
check "nothing changed: the module holds nothing" holds_nothing
rm /etc/ostune/profiles.d/30-bad.json

echo '{"knobs": {"sysctl.vm.swappiness": "x y"}}' >/etc/ostune/profiles.d/30-bad.json
rm -f /etc/ostune/profile.json
run_unit ExecStart
rc=$?
check "without profile.json, a bad profiles.d/ entry still fails (exit 1, got $rc)" [ $rc -eq 1 ]
check "nothing changed then either" at_originals
rm -rf /etc/ostune/profiles.d/*

# A handler that appears after ExecStart began: it waits, then applies.
if [ -f "$F/fake_irq.ko" ]; then
	echo '{"knobs": {"irq.action:fake_irq.affinity": "1", "sysctl.vm.swappiness": 21}}' \
		>/etc/ostune/profile.json
	run_unit ExecStart &
	pid=$!
	sleep 2
	check "ExecStart is still waiting for fake_irq after 2 s" kill -0 $pid
	check "nothing applied while it waits" holds vm.swappiness "$SWAPPINESS"
	insmod "$F/fake_irq.ko"
	wait $pid
	rc=$?
	check "once fake_irq.ko requested its IRQ, ExecStart applied (exit $rc)" [ $rc -eq 0 ]
	check "it said what it waited for" stderr_has ExecStart \
		"waiting up to 60 s for the knobs to appear: irq.action:fake_irq.affinity: no IRQ has a handler of that name"
	FAKE_IRQ=$(cat /sys/module/fake_irq/parameters/irq)
	check "fake_irq's IRQ $FAKE_IRQ is on CPU 1" irq_holds "$FAKE_IRQ" 1
	check "and the sysctl of the same transaction holds" holds vm.swappiness 21
	check "ExecStop restores" run_unit ExecStop
	check "back at the originals" sh -c "[ \$(cat /proc/sys/vm/swappiness) = $SWAPPINESS ]"
	rmmod fake_irq
else
	skip "ExecStart waits for a handler that appears later" "no $F/fake_irq.ko (selftests/fixtures not built)"
fi
rm -rf /etc/ostune
check "the module holds nothing at the end" holds_nothing

tap_done

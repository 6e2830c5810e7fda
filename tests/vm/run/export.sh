#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, which has "local" too
#
# What `ostune tune` leaves behind, used: a short real run (hackbench),
# then `ostune report` and every `ostune export` format loaded back the
# way its own tool loads it, checked against /proc and /sys directly:
#
#   profile  ostune apply --plan lists every knob, ostune apply sets them;
#            the IRQ of the space, named by its handler (ttyS0), is
#            exported by that name and applied to the same IRQ
#   sysctl   busybox sysctl -p sets its sysctls and nothing else
#   shell    sh runs the script, which sets every knob it lists
#   cmdline  sh reads the GRUB drop-in as the settings it says
#
# (TuneD's loader reads the tuned format on the host: tests/tier-package.sh.)
# Between the loads the values are put back. TAP, one line per check; the
# plan comes last.

T=/tmp/export-test
RUN=$T/run
TTY_IRQ=$(sed -n -e 's/^ *\([0-9]*\):.* ttyS0$/\1/p' /proc/interrupts)
KNOBS="sysctl.vm.swappiness sysctl.vm.stat_interval sched.migration_cost_ns irq.$TTY_IRQ.affinity"
TAP_PREFIX="export: "
. /ostune/tap.sh

# The knob's plain name: an IRQ named by its handler (best.json keeps the
# space's name) is irq.N.affinity.
plain_name()
{
	case $1 in
	irq.action:ttyS0.affinity) echo "irq.$TTY_IRQ.affinity" ;;
	*) echo "$1" ;;
	esac
}

# The file a knob lives in, as the exports write it.
file_of()
{
	case $(plain_name "$1") in
	sysctl.*) echo "/proc/sys/$(echo "${1#sysctl.}" | tr . /)" ;;
	sched.*) echo "/sys/kernel/debug/sched/${1#sched.}" ;;
	irq.*) echo "/proc/irq/$(plain_name "$1" | cut -d . -f 2)/smp_affinity_list" ;;
	esac
}

# NAME=VALUE per line for the knobs of a profile (best.json's format).
profile_knobs()
{
	{ tr -d '\n' <"$1"; echo; } | sed -e 's/.*"knobs": *{\([^}]*\)}.*/\1/' | tr ',' '\n' |
		sed -n -e 's/^ *"\([^"]*\)": *"\([^"]*\)" *$/\1=\2/p'
}

# Every knob of the best profile reads, in its own file, what was exported.
files_hold_best()
{
	local kv name want got res=0

	for kv in $(profile_knobs "$RUN/best.json"); do
		name=${kv%%=*}
		want=${kv#*=}
		got=$(cat "$(file_of "$name")")
		[ "$got" = "$want" ] || { diag "$name is $got, exported $want"; res=1; }
	done
	return $res
}

# Only the sysctls of it (what the sysctl.d file carries); the others
# still have their original values.
sysctls_hold_best()
{
	local kv name want got res=0

	for kv in $(profile_knobs "$RUN/best.json"); do
		name=$(plain_name "${kv%%=*}")
		want=${kv#*=}
		got=$(cat "$(file_of "$name")")
		case $name in
		sysctl.*) [ "$got" = "$want" ] || { diag "$name is $got, exported $want"; res=1; } ;;
		*) [ "$got" = "$(original "$name")" ] || { diag "$name changed to $got"; res=1; } ;;
		esac
	done
	return $res
}

original()
{
	sed -n -e "s/^$1=//p" $T/originals
}

# Writes the originals back into the files.
put_back()
{
	local kv

	for kv in $(cat $T/originals); do
		echo "${kv#*=}" >"$(file_of "${kv%%=*}")"
	done
}

at_originals()
{
	local kv got res=0

	for kv in $(cat $T/originals); do
		got=$(cat "$(file_of "${kv%%=*}")")
		[ "$got" = "${kv#*=}" ] || { diag "${kv%%=*} is $got, was ${kv#*=}"; res=1; }
	done
	return $res
}

plan_lists_every_knob()
{
	local kv name out res=0

	out=$(ostune apply --plan "$RUN/profile.json") || return 1
	for kv in $(profile_knobs "$RUN/best.json"); do
		name=$(plain_name "${kv%%=*}")
		echo "$out" | grep -q -x -F "$name: $(original "$name") -> ${kv#*=}" ||
			{ diag "--plan lacks $name: $(original "$name") -> ${kv#*=}: $out"; res=1; }
	done
	return $res
}

echo "TAP version 13"
rm -rf $T
mkdir -p $T
for name in $KNOBS; do
	echo "$name=$(cat "$(file_of "$name")")"
done >$T/originals
diag "originals: $(tr '\n' ' ' <$T/originals)"

# Values unlike the host's, so that the best configuration differs from
# it; no verification, so that there is a best.json to export whatever
# the noise of an emulated host (run/tune.sh verifies).
cat >$T/config.json <<EOC
{"target": {"type": "hackbench", "groups": 2, "fds": 10},
 "space": {"sysctl.vm.swappiness": [7, 33],
           "sysctl.vm.stat_interval": [1, 2],
           "sched.migration_cost_ns": {"min": 100000, "max": 2000000, "scale": "log"},
           "irq.action:ttyS0.affinity": ["0", "1"]},
 "tuner": {"name": "random"}, "seed": 5,
 "window": {"seconds": 0.3, "warmup": 0, "repeats": 2, "settle_s": 0.05,
            "max_spread": 1},
 "budget": {"iterations": 3}, "verify": false, "watchdog_s": 5, "output": "$RUN"}
EOC
ostune tune $T/config.json >$T/tune.out 2>$T/tune.err
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' $T/tune.err | tail -n 20
check "a short tune on hackbench exits 0" [ $rc -eq 0 ]
check "its best configuration is in best.json" test -s $RUN/best.json
check "tune restored the knobs" at_originals

check "ostune report writes one HTML file" sh -c "ostune report $RUN >$T/report.out"
check "report prints its path" grep -q -x -F "$RUN/report.html" $T/report.out
check "the report has its charts (inline SVG) and the recommendation" \
	sh -c "grep -q '<svg ' $RUN/report.html && grep -q 'id=\"recommendation\"' $RUN/report.html"

for f in profile sysctl shell tuned; do
	check "ostune export --format $f" sh -c "ostune export $RUN --format $f >>$T/export.out"
done
check "the exports are where export said" \
	sh -c "for f in \$(cat $T/export.out); do test -s \$f || exit 1; done"

check "profile: the IRQ is named by its handler, irq.action:ttyS0.affinity" \
	grep -q '"irq.action:ttyS0.affinity": "' $RUN/profile.json
check "profile: ostune apply --plan lists every knob, original -> exported" plan_lists_every_knob
check "profile: ostune apply applies it" sh -c "ostune apply $RUN/profile.json >/dev/null"
check "profile: every knob holds the exported value" files_hold_best
check "profile: ostune restore puts the originals back" sh -c "ostune restore >/dev/null"
check "profile: back at the originals" at_originals

check "sysctl: sysctl -p loads the sysctl.d file" sh -c "sysctl -p $RUN/99-ostune.conf >/dev/null"
check "sysctl: its sysctls hold the exported values, the other knobs are untouched" \
	sysctls_hold_best
put_back

check "shell: the script runs" sh -c "sh $RUN/ostune-apply.sh >$T/shell.out"
printed=$(grep -c ' -> ' $T/shell.out)
knobs=$(($(profile_knobs "$RUN/best.json" | wc -l)))
check "shell: it printed each old value ($printed of $knobs)" [ "$printed" -eq "$knobs" ]
check "shell: every knob holds the exported value" files_hold_best
put_back
# The kernel command line: the VM's 2 CPUs, CPU 1 isolated; the run's
# one IRQ list gives way to CPU 0 if it has CPU 1, and is CPU 0 if not.
check "cmdline: ostune export --format cmdline --isolate 1 writes a GRUB drop-in" \
	sh -c "ostune export $RUN --format cmdline --isolate 1 -o $T/ostune.cfg >/dev/null"
check "cmdline: sh reads it as one command line" \
	sh -c ". $T/ostune.cfg; [ \"\$GRUB_CMDLINE_LINUX_DEFAULT\" = ' isolcpus=1 nohz_full=1 rcu_nocbs=1 irqaffinity=0' ]"
check "cmdline: --isolate 2 is refused, CPU 2 is not one of the VM's" \
	sh -c "! ostune export $RUN --format cmdline --isolate 2 2>$T/cmdline.err &&
		grep -q 'CPU 2 is not one of this host.s CPUs (0-1)' $T/cmdline.err"
check "the originals are back, and ostune holds nothing" \
	sh -c "ostune status | grep -q '^held:    none'"

tap_done

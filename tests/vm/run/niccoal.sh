#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, which has "local" too
#
# The nic class's coalescing and ring knobs on the two e1000e NICs that
# tests/vm/run.sh adds to the boots running this script (a QEMU hub joins
# them): selftests/ostune_niccoal_test loads the image's e1000e.ko (or
# finds it built in), moves the second NIC into a network namespace, and
# checks every knob with Debian's ethtool, the restore paths, the
# refusals, a driver unbind while held, and the interrupt rate under the
# same load at two rx_usecs. kselftest TAP.
#
# First the CLI's discovery of them (program "cli", TAP, the plan last),
# with e1000e loaded here and both NICs in the initial namespace:
# `ostune knobs` lists each e1000e's rx_usecs and rings with the values and
# maxima `ethtool -c`/`-g` show, and not tx_usecs (e1000e has none); a
# pattern nic.*.rx_usecs in `ostune set` and in a profile sets every
# e1000e's, as ethtool shows, and restore puts them back; doctor's
# niccoal line names them.

echo "# program: cli"
cli_start=$(date +%s)
export TAP_PREFIX="cli: "
. /ostune/tap.sh
PROFILE=/tmp/niccoal-profile.json

# The e1000e interfaces of the initial namespace, one per line.
e1000e_nics()
{
	local dev

	for dev in /sys/class/net/*; do
		case $(readlink "$dev/device/driver") in
		*/e1000e) echo "${dev##*/}" ;;
		esac
	done
}

two_nics() { [ "$(e1000e_nics | wc -l)" -eq 2 ]; }

both_here() { two_nics || { diag "e1000e NICs: $(e1000e_nics | tr '\n' ' ')"; return 1; }; }

# ethtool_usecs IF: rx-usecs as `ethtool -c` shows it
ethtool_usecs() { ethtool -c "$1" | sed -n 's/^rx-usecs:[[:space:]]*//p'; }

# ethtool_ring IF WHICH(RX|TX) N: the Nth "WHICH:" line of `ethtool -g`
# (1: the maximum, 2: the current size)
ethtool_ring() { ethtool -g "$1" | sed -n "s/^$2:[[:space:]]*//p" | sed -n "$3p"; }

# knob_field NAME FIELD: a column of `ostune knobs NAME` (3 value,
# 4 domain, 5 the details)
knob_field()
{
	ostune knobs "$1" 2>/dev/null | awk -v n="$1" -v f="$2" '$1 == n {
		if (f < 5) { print $f; exit }
		sub(/^[^ ]+ +[^ ]+ +[^ ]+ +[^ ]+ +/, ""); print; exit }'
}

lists_rx_usecs_as_ethtool()
{
	local nic want got detail res=0

	for nic in $(e1000e_nics); do
		want=$(ethtool_usecs "$nic")
		got=$(knob_field "nic.$nic.rx_usecs" 3)
		detail=$(knob_field "nic.$nic.rx_usecs" 5)
		if [ -z "$want" ] || [ "$got" != "$want" ]; then
			diag "nic.$nic.rx_usecs: ostune knobs '$got', ethtool -c '$want'"
			res=1
		fi
		case $detail in
		*driver=e1000e*supported=rx_usecs,rx_ring,tx_ring*) ;;
		*) diag "nic.$nic.rx_usecs details: $detail"; res=1 ;;
		esac
	done
	return $res
}

lists_rings_with_maxima()
{
	local nic ring which res=0

	for nic in $(e1000e_nics); do
		for ring in rx tx; do
			which=$(echo "$ring" | tr '[:lower:]' '[:upper:]')
			if [ "$(knob_field "nic.$nic.${ring}_ring" 3)" != "$(ethtool_ring "$nic" "$which" 2)" ] ||
			   [ "$(knob_field "nic.$nic.${ring}_ring" 4)" != "1..$(ethtool_ring "$nic" "$which" 1)" ]; then
				diag "nic.$nic.${ring}_ring: $(ostune knobs "nic.$nic.${ring}_ring" 2>&1); ethtool -g: $(ethtool -g "$nic" | tr '\n' ' ')"
				res=1
			fi
		done
	done
	return $res
}

pattern_lists_every_nic()
{
	local out

	out=$(ostune knobs 'nic.*.rx_usecs' 2>&1) || { diag "$out"; return 1; }
	[ "$(echo "$out" | grep -c '^nic\.')" -eq "$(e1000e_nics | wc -l)" ] ||
		{ diag "$out"; return 1; }
}

# e1000e has no tx-usecs: the pattern matches nothing, exit 2
unsupported_is_no_knob()
{
	local out rc=0

	out=$(ostune knobs 'nic.*.tx_usecs' 2>&1) || rc=$?
	[ "$rc" -eq 2 ] || { diag "exit $rc: $out"; return 1; }
}

# every_nic_usecs N: ethtool -c shows rx-usecs N on every e1000e
every_nic_usecs()
{
	local nic got res=0

	for nic in $(e1000e_nics); do
		got=$(ethtool_usecs "$nic")
		[ "$got" = "$1" ] || { diag "$nic: rx-usecs $got, expected $1"; res=1; }
	done
	return $res
}

restores()
{
	local out

	[ -n "$orig" ] || { diag "ethtool -c showed no rx-usecs to compare with"; return 1; }
	out=$(ostune restore 2>&1) || { diag "ostune restore: $out"; return 1; }
	every_nic_usecs "$orig"
}

set_pattern()
{
	local out

	out=$(ostune set 'nic.*.rx_usecs=100' 2>&1) || { diag "ostune set: $out"; return 1; }
	every_nic_usecs 100
}

profile_pattern()
{
	local out

	echo '{"knobs": {"nic.*.rx_usecs": 50}}' >"$PROFILE"
	out=$(ostune apply "$PROFILE" --plan 2>&1) || { diag "--plan: $out"; return 1; }
	[ "$(echo "$out" | grep -c "^nic\..*\.rx_usecs: $orig -> 50$")" -eq "$(e1000e_nics | wc -l)" ] ||
		{ diag "--plan: $out"; return 1; }
	out=$(ostune apply "$PROFILE" 2>&1) || { diag "ostune apply: $out"; return 1; }
	every_nic_usecs 50
}

doctor_names_them()
{
	local line n

	n=$(e1000e_nics | wc -l)
	line=$(ostune doctor 2>&1 | grep ' niccoal ')
	case $line in
	"ok    niccoal       "*" nic coalescing and ring knobs on $n device"*" (e1000e)") ;;
	*) diag "doctor: '$line'"; return 1 ;;
	esac
}

# The selftest loads e1000e too, unless it is there (or built in).
[ -d /sys/module/e1000e ] || insmod "${OSTUNE_FIXTURES:-/ostune/fixtures}/e1000e.ko" ||
	diag "insmod e1000e.ko failed"
wait_for 10 two_nics
check "both e1000e NICs are in the initial namespace" both_here
[ -d /sys/module/ostune ] || insmod "$OSTUNE_KO"
orig=$(ethtool_usecs "$(e1000e_nics | head -n 1)")
every_nic_usecs "$orig" >/dev/null ||
	diag "the NICs start with different rx-usecs: the restore checks compare with the first's"
check "ostune knobs lists each e1000e's rx_usecs as ethtool -c shows it" lists_rx_usecs_as_ethtool
check "ostune knobs lists its rings with the sizes and maxima of ethtool -g" lists_rings_with_maxima
check "the pattern nic.*.rx_usecs lists every e1000e's" pattern_lists_every_nic
check "nic.*.tx_usecs matches nothing on e1000e (exit 2)" unsupported_is_no_knob
check "ostune set nic.*.rx_usecs=100 sets every e1000e's" set_pattern
check "ostune restore puts them back" restores
check "a profile with nic.*.rx_usecs plans and applies every e1000e's" profile_pattern
check "ostune restore puts them back after the profile" restores
check "doctor's niccoal line counts them and names e1000e" doctor_names_them
tap_done
cli=$?
echo "# the CLI's checks took $(($(date +%s) - cli_start)) s"

echo "# program: ostune_niccoal_test"
if [ ! -x /ostune/bin/ostune_niccoal_test ]; then
	printf 'TAP version 13\n1..1\nnot ok 1 ostune_niccoal_test is not in the initramfs\n'
	exit 1
fi
command -v ethtool >/dev/null ||
	echo "# no ethtool in the initramfs (tests/vm/workloads.list): its checks fail"
/ostune/bin/ostune_niccoal_test || exit 1

[ "$cli" -eq 0 ]

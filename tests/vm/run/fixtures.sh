#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, which has "local" too
#
# The fixture modules of selftests/fixtures/, in $OSTUNE_FIXTURES: drivers
# QEMU lacks, which the idle and freq knobs need. Checks that
#
#   fake_cpuidle.ko  gives every CPU cpuidle/state0..3 (POLL, FAKE-C1..C3);
#                    the governor uses the enabled states (their "usage"
#                    grows) and leaves a state alone once "disable" is 1;
#   fake_cpufreq.ko  gives a policy per CPU with the files of a real driver;
#                    scaling_cur_freq stays within scaling_max_freq (a freq
#                    QoS request) under load, and follows it; EPP takes the
#                    words it offers and refuses others; boost takes 0 or 1;
#
# that both survive CPU hotplug (second CPU offline and back), take their
# parameters, unload cleanly, and that the kernel log has no splat.
# TAP, one line per check; the plan comes last.

C=/sys/devices/system/cpu
F=${OSTUNE_FIXTURES:-/ostune/fixtures}
FREQS="800000 1200000 1600000 2000000 2400000"
. /ostune/tap.sh
bg_pids=

rd()
{
	local v

	read -r v <"$1" 2>/dev/null || return 1
	printf '%s\n' "$v"
}

# "0-2,5" -> "0 1 2 5"
expand_list()
{
	echo "$1" | tr , '\n' | while IFS=- read -r a b; do
		[ -n "$a" ] && seq "$a" "${b:-$a}"
	done | tr '\n' ' '
}

online_cpus()
{
	expand_list "$(rd $C/online)"
}

# Wakes every online CPU from time to time, so that each goes idle often
# and its idle-state counters move even on a quiet machine.
start_tickers()
{
	local cpu

	for cpu in $(online_cpus); do
		taskset -c "$cpu" sh -c 'while :; do usleep 20000; done' &
		bg_pids="$bg_pids $!"
	done
}

# start_busy "CPU...": one spinning process on each.
start_busy()
{
	local cpu

	for cpu in $1; do
		taskset -c "$cpu" sh -c 'while :; do :; done' &
		bg_pids="$bg_pids $!"
	done
}

stop_bg()
{
	local pid

	for pid in $bg_pids; do
		kill "$pid" 2>/dev/null
	done
	for pid in $bg_pids; do
		wait "$pid" 2>/dev/null
	done
	bg_pids=
}

trap stop_bg EXIT

# ---------------------------------------------------------------- cpuidle

usage()
{
	rd "$C/cpu$1/cpuidle/state$2/usage"
}

# set_disable VALUE STATE "CPU...": write "disable" of the state on the CPUs.
set_disable()
{
	local v="$1" s="$2" cpu

	for cpu in $3; do
		echo "$v" >"$C/cpu$cpu/cpuidle/state$s/disable" || return 1
	done
	# A CPU idle in the state since before the write leaves it now.
	for cpu in $(online_cpus); do
		taskset -c "$cpu" true
	done
	sleep 0.2
}

# usage_moves STATE "CPU...": the state's usage grows on each CPU within 1 s.
# usage_still STATE "CPU...": it does not change.
snapshot()
{
	local s="$1" cpu

	for cpu in $2; do
		printf '%s:%s ' "$cpu" "$(usage "$cpu" "$s")"
	done
}

compare_usage()
{
	local want="$1" s="$2" before after pair cpu b a res=0

	before=$(snapshot "$s" "$3")
	sleep 1
	after=$(snapshot "$s" "$3")
	for pair in $before; do
		cpu=${pair%%:*}
		b=${pair#*:}
		a=$(echo " $after" | sed -n "s/.* $cpu:\([0-9]*\).*/\1/p")
		case $want in
		moves) [ -n "$b" ] && [ -n "$a" ] && [ "$a" -gt "$b" ] ;;
		still) [ -n "$b" ] && [ "$a" = "$b" ] ;;
		esac || { diag "cpu$cpu state$s usage $b -> $a, expected it to be $want"; res=1; }
	done
	return $res
}

usage_moves()
{
	compare_usage moves "$@"
}

usage_still()
{
	compare_usage still "$@"
}

idle_files()
{
	local cpu s f res=0

	for cpu in $(online_cpus); do
		for s in 0 1 2 3; do
			for f in name desc latency residency disable usage time; do
				[ -r "$C/cpu$cpu/cpuidle/state$s/$f" ] ||
					{ diag "no cpu$cpu/cpuidle/state$s/$f"; res=1; }
			done
		done
		[ ! -e "$C/cpu$cpu/cpuidle/state4" ] || { diag "cpu$cpu has a state4"; res=1; }
	done
	return $res
}

idle_table()
{
	local cpu s got want res=0

	for cpu in $(online_cpus); do
		for s in 0 1 2 3; do
			got="$(rd "$C/cpu$cpu/cpuidle/state$s/name") $(rd "$C/cpu$cpu/cpuidle/state$s/latency") $(rd "$C/cpu$cpu/cpuidle/state$s/residency")"
			case $s in
			0) want="POLL 0 0" ;;
			1) want="FAKE-C1 2 10" ;;
			2) want="FAKE-C2 50 150" ;;
			3) want="FAKE-C3 200 800" ;;
			esac
			[ "$got" = "$want" ] || { diag "cpu$cpu state$s: '$got', expected '$want'"; res=1; }
		done
	done
	return $res
}

# all_disable VALUE STATE...: "disable" of these states reads VALUE everywhere.
all_disable()
{
	local v="$1" cpu s got res=0

	shift
	for cpu in $(online_cpus); do
		for s in "$@"; do
			got=$(rd "$C/cpu$cpu/cpuidle/state$s/disable")
			[ "$got" = "$v" ] || { diag "cpu$cpu state$s disable=$got"; res=1; }
		done
	done
	return $res
}

test_cpuidle()
{
	local cpus

	check "fake_cpuidle.ko loads" insmod "$F/fake_cpuidle.ko"
	check "the cpuidle driver is fake_cpuidle" \
		test "$(rd $C/cpuidle/current_driver)" = fake_cpuidle
	diag "cpuidle governor: $(rd $C/cpuidle/current_governor_ro)"
	cpus=$(online_cpus)
	check "every CPU has cpuidle/state0..3 with name, latency, disable, usage" idle_files
	check "states are POLL, FAKE-C1..C3 with the declared latency and residency" idle_table
	check "all states are enabled after loading" all_disable 0 0 1 2 3

	start_tickers
	check "FAKE-C3 usage grows on every CPU" usage_moves 3 "$cpus"
	check "state3/disable takes 1 on every CPU" set_disable 1 3 "$cpus"
	check "state3/disable reads back 1" all_disable 1 3
	check "state3 disabled: the governor no longer enters it" usage_still 3 "$cpus"
	check "state3 disabled: FAKE-C2 usage grows instead" usage_moves 2 "$cpus"
	set_disable 1 2 "$cpus"
	check "state2+3 disabled: the governor enters neither" usage_still 2 "$cpus"
	check "state2+3 disabled: FAKE-C1 usage grows instead" usage_moves 1 "$cpus"
	set_disable 1 1 "$cpus"
	check "state1-3 disabled: none is entered" usage_still 1 "$cpus"
	check "state1-3 disabled: POLL usage grows" usage_moves 0 "$cpus"
	set_disable 0 1 "$cpus"
	set_disable 0 2 "$cpus"
	set_disable 0 3 "$cpus"
	check "disable 0 re-enables them" all_disable 0 1 2 3
	check "re-enabled: FAKE-C3 usage grows again" usage_moves 3 "$cpus"
	if [ -e $C/cpu1/cpuidle/state3 ]; then
		set_disable 1 3 1
		check "state3 disabled on cpu1 only: cpu1 leaves it alone" usage_still 3 1
		check "state3 disabled on cpu1 only: cpu0 still uses it" usage_moves 3 0
		set_disable 0 3 1
	else
		skip "state3 disabled on cpu1 only: cpu1 leaves it alone" "no cpu1"
		skip "state3 disabled on cpu1 only: cpu0 still uses it" "no cpu1"
	fi
	stop_bg
}

# ---------------------------------------------------------------- cpufreq

P=$C/cpufreq

pol()
{
	rd "$P/policy$1/$2"
}

policies()
{
	local cpu res=0 f

	for cpu in $(online_cpus); do
		[ -d "$P/policy$cpu" ] || { diag "no policy$cpu"; res=1; continue; }
		for f in scaling_min_freq scaling_max_freq scaling_available_frequencies \
			 scaling_cur_freq cpuinfo_min_freq cpuinfo_max_freq \
			 cpuinfo_cur_freq scaling_governor scaling_driver affected_cpus; do
			[ -r "$P/policy$cpu/$f" ] || { diag "no policy$cpu/$f"; res=1; }
		done
		[ "$(pol "$cpu" affected_cpus)" = "$cpu" ] ||
			{ diag "policy$cpu affected_cpus: $(pol "$cpu" affected_cpus)"; res=1; }
		[ "$(pol "$cpu" scaling_driver)" = fake_cpufreq ] ||
			{ diag "policy$cpu scaling_driver: $(pol "$cpu" scaling_driver)"; res=1; }
	done
	return $res
}

# policy_is CPU FILE=VALUE...
policy_is()
{
	local cpu="$1" kv f v got res=0

	shift
	for kv in "$@"; do
		f=${kv%%=*}
		v=${kv#*=}
		got=$(pol "$cpu" "$f")
		# scaling_available_frequencies ends with a blank
		got=${got% }
		[ "$got" = "$v" ] || { diag "policy$cpu $f: '$got', expected '$v'"; res=1; }
	done
	return $res
}

all_policies_are()
{
	local cpu res=0

	for cpu in $(online_cpus); do
		policy_is "$cpu" "$@" || res=1
	done
	return $res
}

# set_all FILE VALUE: on every policy.
set_all()
{
	local cpu

	for cpu in $(online_cpus); do
		echo "$2" >"$P/policy$cpu/$1" || return 1
	done
}

cur_is_get()
{
	local cpu cur get tries res=0

	for cpu in $(online_cpus); do
		# The governor may switch between the two reads: compare pairs
		# read back to back until one agrees, for two seconds at most.
		tries=20
		while :; do
			cur=$(pol "$cpu" scaling_cur_freq)
			get=$(pol "$cpu" cpuinfo_cur_freq)
			[ "$cur" = "$get" ] && break
			tries=$((tries - 1))
			[ "$tries" -gt 0 ] || break
			sleep 0.1
		done
		case " $FREQS " in
		*" $get "*) ;;
		*) diag "policy$cpu cpuinfo_cur_freq $get is not in the table"; res=1 ;;
		esac
		[ "$cur" = "$get" ] || { diag "policy$cpu scaling_cur_freq $cur, cpuinfo_cur_freq $get"; res=1; }
	done
	return $res
}

# sample_cur SECONDS: scaling_cur_freq of every policy, ten times a second;
# sets $cur_max (highest seen, all policies) and $cur_min (lowest).
sample_cur()
{
	local i=0 cpu v

	cur_max=0
	cur_min=999999999
	while [ $i -lt $(($1 * 10)) ]; do
		for cpu in $(online_cpus); do
			read -r v <"$P/policy$cpu/scaling_cur_freq"
			[ "$v" -gt "$cur_max" ] && cur_max=$v
			[ "$v" -lt "$cur_min" ] && cur_min=$v
		done
		usleep 100000
		i=$((i + 1))
	done
	diag "scaling_cur_freq seen: $cur_min..$cur_max"
}

cur_at_most()
{
	[ "$cur_max" -le "$1" ] || { diag "scaling_cur_freq reached $cur_max, above $1"; return 1; }
}

cur_at_least()
{
	[ "$cur_min" -ge "$1" ] || { diag "scaling_cur_freq fell to $cur_min, below $1"; return 1; }
}

cur_reaches()
{
	[ "$cur_max" -ge "$1" ] || { diag "scaling_cur_freq never reached $1 (max $cur_max)"; return 1; }
}

test_cpufreq()
{
	local cpus

	check "fake_cpufreq.ko loads" insmod "$F/fake_cpufreq.ko"
	cpus=$(online_cpus)
	check "a policy per CPU with the files of a real driver" policies
	check "table, cpuinfo and default limits as the driver declares" all_policies_are \
		"scaling_available_frequencies=$FREQS" cpuinfo_min_freq=800000 \
		cpuinfo_max_freq=2400000 scaling_min_freq=800000 scaling_max_freq=2400000 \
		cpuinfo_transition_latency=10000
	check "scaling_cur_freq is what ->get() says, a table frequency" cur_is_get
	diag "cpufreq governor: $(pol 0 scaling_governor)"

	start_busy "$cpus"
	check "scaling_max_freq takes 1200000" set_all scaling_max_freq 1200000
	check "scaling_max_freq reads back 1200000" all_policies_are scaling_max_freq=1200000
	sample_cur 2
	check "under load, scaling_cur_freq stays at or below scaling_max_freq" cur_at_most 1200000
	set_all scaling_max_freq 2400000
	sample_cur 2
	check "max raised back: under load scaling_cur_freq goes above 1200000" cur_reaches 1600000
	stop_bg

	check "the performance governor can be selected" set_all scaling_governor performance
	sleep 0.2
	check "performance: scaling_cur_freq is scaling_max_freq" \
		all_policies_are scaling_cur_freq=2400000
	set_all scaling_max_freq 1600000
	sleep 0.2
	check "performance, max 1600000: scaling_cur_freq follows it down" \
		all_policies_are scaling_cur_freq=1600000 cpuinfo_cur_freq=1600000
	set_all scaling_max_freq 1000000
	sleep 0.2
	# The core resolves the limits to table frequencies: scaling_max_freq
	# shows 800000, though the freq QoS request holds 1000000.
	check "max 1000000, between table entries: max and cur resolve to 800000" \
		all_policies_are scaling_max_freq=800000 scaling_cur_freq=800000
	set_all scaling_max_freq 2400000
	set_all scaling_governor schedutil

	check "scaling_min_freq takes 2000000" set_all scaling_min_freq 2000000
	sample_cur 1
	check "idle, min 2000000: scaling_cur_freq stays at or above it" cur_at_least 2000000
	set_all scaling_min_freq 800000
	check "limits restored" all_policies_are scaling_min_freq=800000 \
		scaling_max_freq=2400000 scaling_governor=schedutil

	check "EPP: the words intel_pstate and amd-pstate offer, balance_performance at first" \
		all_policies_are "energy_performance_available_preferences=default performance balance_performance balance_power power" \
		energy_performance_preference=balance_performance
	check "EPP: power is taken" set_all energy_performance_preference power
	check "EPP: power reads back" all_policies_are energy_performance_preference=power
	check "EPP: a word not offered is refused" sh -c "! echo turbo >$P/policy0/energy_performance_preference 2>/dev/null"
	check "EPP: a raw number is refused" sh -c "! echo 128 >$P/policy0/energy_performance_preference 2>/dev/null"
	set_all energy_performance_preference default
	check "EPP: default reads back as balance_performance" \
		all_policies_are energy_performance_preference=balance_performance
	check "boost: off at first" test "$(rd $P/boost)" = 0
	check "boost: 1 is taken and reads back" sh -c "echo 1 >$P/boost && test \"\$(cat $P/boost)\" = 1"
	check "boost: 2 is refused" sh -c "! echo 2 >$P/boost 2>/dev/null"
	echo 0 >$P/boost
	# See fake_cpufreq.c: no transition notifiers, so the TSC stays as it was.
	check "frequency changes did not mark the TSC unstable" \
		sh -c "! dmesg | grep -q 'TSC unstable due to cpufreq'"
}

# ---------------------------------------------------------------- hotplug

offline_policy_inactive()
{
	[ -d $P/policy1 ] || { diag "policy1 is gone"; return 1; }
	if rd $P/policy1/scaling_max_freq >/dev/null; then
		diag "policy1/scaling_max_freq readable while cpu1 is offline"
		return 1
	fi
}

test_hotplug()
{
	local name

	if [ ! -w $C/cpu1/online ]; then
		for name in "cpu1 goes offline" "offline: policy1 stays, inactive" \
			    "offline: cpu1/cpuidle stays, idle" "offline: state disable is writable" \
			    "cpu1 comes back online" "online: policy1 active, its max kept" \
			    "online: the governor comes back" "online: the disable written offline holds" \
			    "online: cpu1 idles in its enabled states again"; do
			skip "hotplug: $name" "no hotpluggable cpu1"
		done
		return 0
	fi

	echo 1600000 >$P/policy1/scaling_max_freq
	check "hotplug: cpu1 goes offline" sh -c "echo 0 >$C/cpu1/online && test \"\$(cat $C/online)\" = 0"
	check "hotplug: offline: policy1 stays, inactive" offline_policy_inactive
	check "hotplug: offline: cpu1/cpuidle stays, idle" usage_still 3 1
	check "hotplug: offline: state disable is writable" sh -c "echo 1 >$C/cpu1/cpuidle/state3/disable"
	check "hotplug: cpu1 comes back online" sh -c "echo 1 >$C/cpu1/online && test \"\$(cat $C/online)\" = 0-1"
	sleep 0.5
	start_tickers
	check "hotplug: online: policy1 active, its max kept" policy_is 1 affected_cpus=1 \
		scaling_max_freq=1600000
	check "hotplug: online: the governor comes back" policy_is 1 scaling_governor=schedutil
	check "hotplug: online: the disable written offline holds" usage_still 3 1
	check "hotplug: online: cpu1 idles in its enabled states again" usage_moves 2 1
	stop_bg
	echo 0 >$C/cpu1/cpuidle/state3/disable
	echo 2400000 >$P/policy1/scaling_max_freq
}

# ---------------------------------------------------------------- unload, parameters

# Unloading while CPUs go in and out of the idle states: no CPU may be left
# in the module's code.
load_unload_cycles()
{
	local i=0

	while [ $i -lt "$1" ]; do
		if ! { insmod "$F/fake_cpuidle.ko" && insmod "$F/fake_cpufreq.ko" &&
		       usleep 50000 && rmmod fake_cpufreq && rmmod fake_cpuidle; }; then
			diag "cycle $i failed"
			return 1
		fi
		i=$((i + 1))
	done
}

test_unload()
{
	check "fake_cpufreq unloads" rmmod fake_cpufreq
	check "no policy left" sh -c "! ls -d $P/policy* 2>/dev/null"
	check "fake_cpuidle unloads" rmmod fake_cpuidle
	check "no cpuidle driver left" test "$(rd $C/cpuidle/current_driver)" = none
	check "no cpuidle states left" test ! -e $C/cpu0/cpuidle

	check "fake_cpuidle nr_states=2 off_mask=2 loads" \
		insmod "$F/fake_cpuidle.ko" nr_states=2 off_mask=2
	check "nr_states=2: POLL and FAKE-C1 only" sh -c \
		"test -e $C/cpu0/cpuidle/state1 && test ! -e $C/cpu0/cpuidle/state2"
	check "off_mask=2: state1 starts disabled" all_disable 1 1
	check "fake_cpuidle unloads again" rmmod fake_cpuidle
	check "nr_states=5 is refused" sh -c "! insmod $F/fake_cpuidle.ko nr_states=5 2>/dev/null"
	check "off_mask beyond nr_states is refused" \
		sh -c "! insmod $F/fake_cpuidle.ko off_mask=16 2>/dev/null"

	start_tickers
	check "20 load/unload cycles of both while the CPUs idle" load_unload_cycles 20
	stop_bg

	check "fake_cpufreq shared=1 loads" insmod "$F/fake_cpufreq.ko" shared=1
	if [ -e $C/cpu1 ]; then
		check "shared=1: one policy, policy0, for all CPUs" sh -c \
			"test ! -e $P/policy1 && test \"\$(cat $P/policy0/related_cpus)\" = '0 1'"
	else
		skip "shared=1: one policy, policy0, for all CPUs" "no cpu1"
	fi
	check "fake_cpufreq unloads again" rmmod fake_cpufreq
	check "fake_cpufreq epp=0 boost=0: neither EPP nor boost" sh -c \
		"insmod $F/fake_cpufreq.ko epp=0 boost=0 && test ! -e $P/boost && test ! -e $P/policy0/energy_performance_preference && rmmod fake_cpufreq"
}

kernel_log_clean()
{
	local splat

	splat=$(dmesg | grep -E 'WARNING:|BUG:|Oops|Call Trace|leaked IRQ state|rcu.*stall|lockdep|possible recursive|inconsistent lock|general protection')
	[ -z "$splat" ] || { printf '%s\n' "$splat" | sed -e 's/^/# /' | head -n 20; return 1; }
}

echo "TAP version 13"
diag "kernel $(uname -r), CPUs online: $(rd $C/online)"
test_cpuidle
test_cpufreq
test_hotplug
test_unload
check "kernel log: no WARN, BUG, IRQ-state, RCU or lockdep report" kernel_log_clean
tap_done

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, which has "local" too
#
# Energy in the VM, and the network servers of issue 14. fake_rapl.ko is a
# powercap "intel-rapl" zone whose energy_uj integrates a power model (its
# header comment: idle power plus, per CPU, busy time x C x f x V(f)^2);
# fake_cpufreq.ko with duty_us makes a lower frequency slower. Checks that
#
#   the zone looks as on an Intel machine (intel-rapl:0, package-0,
#   energy_uj, max_energy_range_uj) and `ostune doctor` finds it;
#   power grows with load: two busy CPUs draw more than idle ones;
#   a lower frequency is slower and draws less power: at 800 MHz the duty
#   thread takes CPU time from the work, and two busy CPUs draw less than
#   at 2.4 GHz; the energy per unit of work is printed;
#   `ostune tune` reads the zone (energy_j, power_w in its history) on
#   sockperf ping-pong and on memcached driven by memcaslap, each server in
#   another network namespace across a veth pair, with their latency and
#   throughput metrics, every knob back at the end.
#
# TAP, one line per check; the plan comes last.

. /ostune/tap.sh
F=${OSTUNE_FIXTURES:-/ostune/fixtures}
Z=/sys/class/powercap/intel-rapl:0
T=/tmp/energy-test
bg_pids=

rd()
{
	local v

	read -r v <"$1" 2>/dev/null || return 1
	printf '%s\n' "$v"
}

# The uptime in centiseconds.
now_cs()
{
	local up

	read -r up _ </proc/uptime
	echo $((${up%.*} * 100 + 1${up#*.} - 100))
}

# measure NAME COMMAND...: runs COMMAND, sets NAME_cs (its time) and
# NAME_uj (the zone's energy over it, the counter's wrap undone).
measure()
{
	local name=$1 e0 e1 t0 t1

	shift
	e0=$(rd $Z/energy_uj)
	t0=$(now_cs)
	"$@"
	t1=$(now_cs)
	e1=$(rd $Z/energy_uj)
	[ "$e1" -ge "$e0" ] || e1=$((e1 + $(rd $Z/max_energy_range_uj)))
	eval "${name}_cs=$((t1 - t0)) ${name}_uj=$((e1 - e0))"
}

idle_2s()
{
	sleep 2
}

# ran_ns PID: the time PID has run, in ns (its schedstat's first field).
ran_ns()
{
	local ns

	read -r ns _ <"/proc/$1/schedstat" || return 1
	echo "$ns"
}

# duty_pids: the fixture's duty threads, one per CPU.
duty_pids()
{
	grep -l '^fake_cpufreq/' /proc/[0-9]*/comm | cut -d/ -f3 | tr '\n' ' '
}

# busy_2s: a loop pinned to each CPU for 2 s. Sets work_ns (the time the
# loops ran) and duty_ns (the time the duty threads ran meanwhile).
busy_2s()
{
	local pid t0 t1 w0 w1

	taskset -c 0 sh -c 'while :; do :; done' &
	bg_pids="$!"
	taskset -c 1 sh -c 'while :; do :; done' &
	bg_pids="$bg_pids $!"
	# both from here: the loops' start-up is not in the duty threads' time
	t0=0 w0=0
	for pid in $(duty_pids); do
		t0=$((t0 + $(ran_ns "$pid")))
	done
	for pid in $bg_pids; do
		w0=$((w0 + $(ran_ns "$pid")))
	done
	sleep 2
	t1=0 w1=0
	for pid in $bg_pids; do
		w1=$((w1 + $(ran_ns "$pid")))
	done
	for pid in $(duty_pids); do
		t1=$((t1 + $(ran_ns "$pid")))
	done
	duty_ns=$((t1 - t0)) work_ns=$((w1 - w0))
	# shellcheck disable=SC2086 # a list of pids
	kill $bg_pids
	wait 2>/dev/null
	bg_pids=
}

# at_khz POLICY KHZ: both limits of POLICY (a name or a pattern) at KHZ,
# the minimum too, so the governor starts there rather than ramping up;
# the limit that moves toward the other first. The core applies a limit
# from a work item: waits up to 2 s for CPU 0 to run at KHZ.
at_khz()
{
	local tries=20

	if [ "$2" -gt 800000 ]; then
		ostune set "freq.$1.max_khz=$2" "freq.$1.min_khz=$2" >/dev/null
	else
		ostune set "freq.$1.min_khz=$2" "freq.$1.max_khz=$2" >/dev/null
	fi
	while [ "$(rd /sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq)" != "$2" ] &&
		[ $((tries -= 1)) -gt 0 ]; do
		sleep 0.1
	done
}

cleanup()
{
	# shellcheck disable=SC2086 # a list of pids
	[ -n "$bg_pids" ] && kill $bg_pids 2>/dev/null
	[ -n "${ns_pid:-}" ] && kill "$ns_pid" 2>/dev/null
	ostune restore >/dev/null 2>&1
}
trap cleanup EXIT

mkdir -p $T
rmmod fake_rapl 2>/dev/null
rmmod fake_cpufreq 2>/dev/null
# 100 ms: under TCG a wake-up costs up to 2 ms of the guest's time, which
# at 20 ms periods made 800 MHz 4.4x slower instead of 3x
check "fake_cpufreq loads with a 100 ms duty period" insmod "$F/fake_cpufreq.ko" duty_us=100000
check "fake_rapl loads" insmod "$F/fake_rapl.ko"
check "intel-rapl:0 is the package-0 zone" [ "$(rd $Z/name)" = package-0 ]
check "max_energy_range_uj is the default range" \
	[ "$(rd $Z/max_energy_range_uj)" = 262143328850 ]
grows()
{
	local a

	a=$(rd $Z/energy_uj)
	sleep 0.3
	[ "$(rd $Z/energy_uj)" -gt "$a" ]
}
check "energy_uj counts (a number, growing)" grows
check "ostune doctor finds the zone" \
	sh -c 'ostune doctor 2>&1 | grep -q "energy readings (powercap intel-rapl:0)"'

# ---- power grows with load (mW: uJ per cs / 10)
measure idle idle_2s
measure busy busy_2s
idle_mw=$((idle_uj * 10 / idle_cs / 100))
busy_mw=$((busy_uj * 10 / busy_cs / 100))
diag "idle: $idle_mw mW, two busy CPUs at 2.4 GHz: $busy_mw mW"
# the model: 2000 mW idle; a busy CPU at 2.4 GHz 10 W more (22 W for two,
# and a little over from timing 2 s to 10 ms)
# idle: the VM's own activity (ticks are slow under TCG) measured 2.6 to
# 4.3 W
check "idle power is the model's idle power and a little (2 to 6 W: $idle_mw mW)" \
	[ "$idle_mw" -ge 2000 -a "$idle_mw" -le 6000 ]
check "two busy CPUs draw 14 to 23 W ($busy_mw mW)" \
	[ "$busy_mw" -ge 14000 -a "$busy_mw" -le 23000 ]

# ---- a lower frequency: slower, and less power
# Both CPUs busy all the time (the work, or the duty thread standing for
# the slower cycles), at each frequency. The power is the model's figure
# whatever the host's load. So is the work's share of the CPUs, in the
# guest's own time; the wall time of a fixed piece of work is not: the
# host runs this VM beside other work whose load comes in bursts of
# seconds (CI measured 1.5x to 6x for the model's 3x that way).
at_khz 'policy*' 800000
khz_low=$(rd /sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq)
measure low busy_2s
low_share=$((work_ns / ((work_ns + duty_ns) / 1000)))
at_khz 'policy*' 2400000
khz_high=$(rd /sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq)
measure high busy_2s
high_share=$((work_ns / ((work_ns + duty_ns) / 1000)))
ostune restore >/dev/null
check "the CPUs ran at the limits (800000 and 2400000 kHz: $khz_low, $khz_high)" \
	[ "$khz_low" = 800000 -a "$khz_high" = 2400000 ]
diag "the work's share of the CPUs: $low_share per mille at 800 MHz, $high_share at 2.4 GHz"
# duty: a third of the CPU at 800 MHz in the model; under TCG the work
# measured 21% to 28% (6.1 lower than 6.12): the rest of its third goes
# to what runs beside it (ticks, switches), which the duty thread's
# busy-wait triples too. At 2.4 GHz a wake-up each 100 ms (up to 2 ms
# each under TCG, a host preemption in one charged to the duty thread).
check "at 800 MHz the work gets 15% to 42% of the CPUs (the model 33%)" \
	[ "$low_share" -ge 150 -a "$low_share" -le 420 ]
check "at 2.4 GHz the work gets at least 90% of the CPUs" \
	[ "$high_share" -ge 900 ]
low_mw=$((low_uj * 10 / low_cs / 100))
high_mw=$((high_uj * 10 / high_cs / 100))
diag "power: $low_mw mW at 800 MHz, $high_mw mW at 2.4 GHz"
# the model: 2 W + 2 x 1.37 W busy at 800 MHz, 2 W + 2 x 10 W at 2.4 GHz
check "two busy CPUs at 800 MHz draw 3.5 to 7 W ($low_mw mW; the model 4.74 W)" \
	[ "$low_mw" -ge 3500 -a "$low_mw" -le 7000 ]
check "at most 0.35x the power at 2.4 GHz ($((low_mw * 100 / high_mw))%; the model 0.22x)" \
	[ $((low_mw * 100 / high_mw)) -le 35 ]
# Energy per unit of work: the power over the work's share, the model's
# 0.22 / 0.33 = 0.65x. Printed, not judged: with the 21% to 28% the work
# gets under TCG it measured 0.76x to 1.01x, and the idle power (2 W of
# the 4.7 W) decides it. tests/vm/run/study.sh is where the trade-off is
# tuned: its sockperf windows are fixed in time, so energy per window
# falls with the frequency whatever the work's share.
diag "energy per unit of work at 800 MHz: $((low_mw * high_share * 100 / high_mw / low_share))% of 2.4 GHz's"

# ---- servers in another network namespace, ostune tune reading the zone
insmod "$F/veth.ko" 2>/dev/null
unshare -n sleep 600 &
ns_pid=$!
own_netns()
{
	[ "$(readlink /proc/$ns_pid/ns/net)" != "$(readlink /proc/self/ns/net)" ]
}
wait_for 10 own_netns || diag "the namespace did not appear within 10 s"
net_up()
{
	# busybox ip takes no "peer name": the kernel names the peer veth0
	ip link add ost-c type veth && ip link set veth0 name ost-s &&
		ip link set ost-s netns "$ns_pid" &&
		ip addr add 10.77.0.1/24 dev ost-c && ip link set ost-c up &&
		nsenter -t "$ns_pid" -n ip addr add 10.77.0.2/24 dev ost-s &&
		nsenter -t "$ns_pid" -n ip link set ost-s up &&
		nsenter -t "$ns_pid" -n ip link set lo up &&
		ping -c 1 -W 2 10.77.0.2 >/dev/null
}
check "a veth pair joins the VM and a network namespace (10.77.0.2 answers)" net_up

before=$(ostune get freq.policy0.max_khz freq.policy1.max_khz 2>&1)

# tune NAME TARGET OBJECTIVE: two configurations of the frequency limit,
# one 1 s window each, into $T/NAME.
tune()
{
	cat >$T/$1.json <<EOC
{"target": $2,
 "objective": $3,
 "space": {"freq.policy*.max_khz": [800000, 2400000]},
 "tuner": {"name": "grid"}, "seed": 1,
 "window": {"seconds": 1, "warmup": 0, "repeats": 1, "settle_s": 0.1},
 "budget": {"iterations": 2}, "watchdog_s": 10, "verify": false,
 "output": "$T/$1"}
EOC
	ostune tune $T/$1.json >$T/$1.out 2>$T/$1.err
	rc=$?
	[ $rc -eq 0 ] || { diag "$1: exit $rc"; sed 's/^/# /' $T/$1.err | tail -n 15; }
	check "$1: a short tune exits 0" [ $rc -eq 0 ]
}

# has NAME METRIC: at least 2 windows measured, and every one that was
# has METRIC > 0 (a failed window, which the run records and goes on
# from, is shown with its error)
has()
{
	local lines with

	lines=$(grep -c '"ok":true' $T/$1/history.jsonl 2>/dev/null)
	with=$(grep '"ok":true' $T/$1/history.jsonl |
		grep -c "\"$2\":{\"value\":[0-9]*[1-9.][0-9.e+-]*,")
	grep '"ok":false' $T/$1/history.jsonl | grep -o '"error":"[^"]*"' |
		sed "s/^/# $1: failed window: /"
	[ "${lines:-0}" -ge 2 ] && [ "$with" -eq "$lines" ] ||
		{ diag "$1: $with of ${lines:-0} measured windows with $2"; return 1; }
}

tune sockperf '{"type": "service",
  "start": ["nsenter", "-t", "'$ns_pid'", "-n", "sockperf", "server", "-i", "10.77.0.2", "-p", "11111"],
  "package": "sockperf", "ready": {"delay_s": 1},
  "load": {"type": "sockperf", "host": "10.77.0.2", "port": 11111}}' \
	'{"metric": "latency_p99_us", "goal": "minimize"}'
for metric in latency_p50_us latency_p99_us latency_p999_us throughput energy_j power_w; do
	check "sockperf: every result has $metric" has sockperf $metric
done
grep '"result"' $T/sockperf/history.jsonl | sed -n -e 's/.*"knobs":{\([^}]*\)}.*"latency_p99_us":{"value":\([0-9.e+-]*\).*"energy_j":{"value":\([0-9.e+-]*\).*/# \1: p99 \2 us, \3 J/p'

tune memcached '{"type": "memcached", "host": "10.77.0.2", "port": 11311,
  "wrapper": ["nsenter", "-t", "'$ns_pid'", "-n"],
  "load": {"concurrency": 8}}' \
	'{"metric": "throughput", "goal": "maximize"}'
for metric in throughput latency_avg_us energy_j power_w; do
	check "memcached: every result has $metric" has memcached $metric
done
grep '"result"' $T/memcached/history.jsonl | sed -n -e 's/.*"knobs":{\([^}]*\)}.*"throughput":{"value":\([0-9.e+-]*\).*"energy_j":{"value":\([0-9.e+-]*\).*/# \1: \2 ops\/s, \3 J/p'
check "memcached was stopped at the end" sh -c '! grep -qsx memcached /proc/[0-9]*/comm'
check "the frequency limits are back" \
	[ "$(ostune get freq.policy0.max_khz freq.policy1.max_khz 2>&1)" = "$before" ]

kill "$ns_pid" 2>/dev/null
ns_pid=
check "fake_rapl unloads" rmmod fake_rapl
check "fake_cpufreq unloads with its duty threads" rmmod fake_cpufreq
check "no duty thread is left" sh -c '! grep -qs "^fake_cpufreq/" /proc/[0-9]*/comm'
tap_done

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash
#
# ostune watch (docs/watch.md) against conditions made with real traffic.
# The lab: this (the initial) network namespace, 10.77.0.1/16 on wv0, and
# a peer namespace (unshare -n) holding wv1, 10.77.0.2/16 and 10.77.1.1 to
# .64, joined by a veth pair; iperf3, ping and nc cross it. Every
# condition is first made without the daemon, and its kernel counter must
# move, so the test proves the condition is real:
#
#	tcp_buffers     bulk TCP into a tcp_rmem max of 32 KiB: sockets'
#	                receive buffers pinned at the max (sock_diag, ss)
#	neigh           64 addresses pinged with gc_thresh3 16: table_fulls
#	                of /proc/net/stat/arp_cache
#	ipfrag          8000-byte UDP datagrams over MTU 1500 with an
#	                ipfrag_high_thresh of 8 KiB: ReasmFails (/proc/net/snmp)
#	somaxconn       a listener that never accepts, somaxconn 2, 16
#	                clients: ListenOverflows (/proc/net/netstat)
#	congestion      bulk TCP out through netem loss: RetransSegs
#	netdev_backlog  bulk TCP with netdev_max_backlog 1: the dropped
#	                column of /proc/net/softnet_stat
#
# Then, when the CLI has `watch`, the daemon on each condition: its log
# line names the rule and the knob, /proc holds the value it logged, the
# value moved the way the rule says; the TCP throughput before and after
# the raise, side by side (a ratio, no absolute figure); an
# administrator's sysctl -w disables the rule, which then leaves the knob
# alone; kill -9 in held mode puts every value back; SIGTERM in kept mode
# leaves them and `ostune restore` puts them back; --plan changes
# nothing. Every wait has a limit. A kernel without network namespaces or
# veth (the debug kernel) gets one skip saying which. TAP, one line per
# check; the plan comes last.

TAP_PREFIX="watch: "
. /ostune/tap.sh

IP=/ostune/iproute2/ip
TC=/ostune/iproute2/tc
SS=/ostune/iproute2/ss
T=/tmp/watch-test
HOST=10.77.0.1
PEERIP=10.77.0.2
NEIGHBOURS=64
# The sysctls the conditions set, put back at the end.
SAVED="net.ipv4.tcp_rmem net.ipv4.tcp_congestion_control
net.ipv4.neigh.default.gc_thresh1 net.ipv4.neigh.default.gc_thresh2
net.ipv4.neigh.default.gc_thresh3 net.ipv4.ipfrag_high_thresh
net.ipv4.ipfrag_low_thresh net.core.somaxconn net.core.netdev_max_backlog"

mkdir -p $T

# proc_of SYSCTL: its /proc/sys path
proc_of()
{
	echo "/proc/sys/$(echo "$1" | tr . /)"
}

# get SYSCTL: its value, whitespace folded to one space
get()
{
	echo $(cat "$(proc_of "$1")")
}

# put SYSCTL VALUE: write it as an administrator would (no session)
put()
{
	echo "$2" >"$(proc_of "$1")" || diag "cannot write $2 to $1"
}

save_sysctls()
{
	local s

	for s in $SAVED; do
		get $s >"$T/orig.$s"
	done
}

# The conditions' low values leave the kernel: ipfrag_low_thresh must
# stay below ipfrag_high_thresh on the way back.
restore_sysctls()
{
	local s

	put net.ipv4.ipfrag_high_thresh "$(cat $T/orig.net.ipv4.ipfrag_high_thresh)"
	for s in $SAVED; do
		put $s "$(cat "$T/orig.$s")"
	done
}

# in_peer COMMAND...: run it in the peer namespace
in_peer()
{
	nsenter -t "$peer" -n "$@"
}

# ---------------------------------------------------------------- counters

# snmp FILE PROTO FIELD: a counter of /proc/net/snmp or netstat, whose
# lines come in pairs (names, then values)
snmp()
{
	awk -v p="$2:" -v f="$3" '$1 == p {
		if (!c) { for (i = 2; i <= NF; i++) if ($i == f) c = i; next }
		print $c; exit }' "$1"
}

# hexsum FILE COLUMN [HEADER]: the sum over the lines (CPUs) of a column
# of hex numbers; with HEADER, the first line names the columns and
# COLUMN is a name
hexsum()
{
	local v sum=0

	for v in $(awk -v c="$2" -v h="${3:-}" '
		h && NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) c = i; next }
		{ print $c }' "$1"); do
		sum=$((sum + 0x$v))
	done
	echo $sum
}

table_fulls()
{
	hexsum /proc/net/stat/arp_cache table_fulls header
}

reasm_fails()
{
	snmp /proc/net/snmp Ip ReasmFails
}

listen_overflows()
{
	snmp /proc/net/netstat TcpExt ListenOverflows
}

retrans_segs()
{
	snmp /proc/net/snmp Tcp RetransSegs
}

softnet_dropped()
{
	hexsum /proc/net/softnet_stat 2
}

# ---------------------------------------------------------------- the lab

# lab_missing: why this kernel cannot have the lab, or nothing. veth may
# be built in (a debug kernel) or the image's module.
lab_missing()
{
	[ -e /proc/self/ns/net ] || { echo "no network namespaces (CONFIG_NET_NS)"; return; }
	unshare -n true 2>$T/unshare.err ||
		{ echo "no network namespace for a peer (CONFIG_NET_NS): $(cat $T/unshare.err)"; return; }
	[ -x $IP ] || { echo "no iproute2 ip in the initramfs"; return; }
	command -v iperf3 >/dev/null || { echo "no iperf3 in the initramfs"; return; }
	[ -d /sys/module/veth ] || [ ! -f $OSTUNE_FIXTURES/veth.ko ] ||
		insmod $OSTUNE_FIXTURES/veth.ko 2>/dev/null
	if ! $IP link add wvprobe0 type veth peer name wvprobe1 2>$T/veth.err; then
		echo "no veth (CONFIG_VETH): $(cat $T/veth.err)"
		return
	fi
	$IP link del wvprobe0
}

# Optional modules: without them a condition is skipped, saying so.
load_optional()
{
	local m

	for m in sch_netem tcp_bbr inet_diag tcp_diag; do
		[ -d /sys/module/$m ] || insmod $OSTUNE_FIXTURES/$m.ko 2>/dev/null ||
			diag "no $m.ko for this kernel"
	done
}

peer_has_own_netns()
{
	[ "$(readlink /proc/$peer/ns/net)" != "$(readlink /proc/self/ns/net)" ]
}

lab_up()
{
	local i

	unshare -n sleep 100000 &
	peer=$!
	wait_for 10 peer_has_own_netns ||
		{ diag "the peer namespace did not appear within 10 s"; return 1; }
	$IP link add wv0 type veth peer name wv1 &&
	$IP link set wv1 netns "$peer" &&
	$IP addr add $HOST/16 dev wv0 &&
	$IP link set wv0 up &&
	in_peer $IP link set lo up &&
	in_peer $IP addr add $PEERIP/16 dev wv1 &&
	in_peer $IP link set wv1 up || { diag "the veth pair did not come up"; return 1; }
	# The neighbours: the peer answers ARP for each of its addresses.
	for i in $(seq 1 $NEIGHBOURS); do
		echo "addr add 10.77.1.$i/16 dev wv1"
	done >$T/neighbours.batch
	in_peer $IP -batch $T/neighbours.batch || { diag "the peer's addresses failed"; return 1; }
	wait_for 20 ping -c 1 -W 1 $PEERIP >/dev/null ||
		{ diag "no answer from $PEERIP within 20 s"; return 1; }
}

# What the conditions need beyond the lab, built in or loaded
# (load_optional): each says what is missing, or nothing.
lacks_netem()
{
	$TC qdisc replace dev wv0 root netem delay 0ms 2>/dev/null &&
		$TC qdisc del dev wv0 root && return
	echo "no netem qdisc (CONFIG_NET_SCH_NETEM)"
}

lacks_sockdiag()
{
	# Only sock_diag's dump has the buffers (skmem); /proc/net/tcp has not.
	$SS -ltmnH "( sport = :5201 )" 2>/dev/null | grep -q skmem ||
		echo "no TCP sock_diag (CONFIG_INET_TCP_DIAG)"
}

lacks_bbr()
{
	grep -qw bbr /proc/sys/net/ipv4/tcp_available_congestion_control ||
		echo "no bbr congestion control (CONFIG_TCP_CONG_BBR)"
}

# qdisc ARGS...: wv0's egress qdisc (replace), or none with "off"
qdisc()
{
	if [ "$1" = off ]; then
		$TC qdisc del dev wv0 root 2>/dev/null
		return 0
	fi
	$TC qdisc replace dev wv0 root netem "$@" ||
		{ diag "tc netem $* failed"; return 1; }
}

# listening PORT: something listens on TCP PORT here
listening()
{
	$SS -ltnH "( sport = :$1 )" | grep -q LISTEN
}

server_up()
{
	iperf3 -s -B $HOST -p 5201 >$T/iperf3-server.log 2>&1 &
	server=$!
	wait_for 20 listening 5201 ||
		{ diag "iperf3 -s did not listen within 20 s"; return 1; }
}

# iperf ARGS...: one iperf3 client from the peer to this namespace's
# server, at most 30 s; its output in $T/iperf.out
iperf()
{
	in_peer timeout 30 iperf3 -c $HOST -p 5201 "$@" >$T/iperf.out 2>&1 ||
		{ diag "iperf3 -c $* failed: $(tail -n 2 $T/iperf.out)"; return 1; }
}

# kbits: the receiver's rate of the last iperf run, in Kbit/s
kbits()
{
	awk '/receiver/ { for (i = 1; i < NF; i++) if ($(i + 1) == "Kbits/sec") r = $i }
	     END { printf "%d\n", r }' $T/iperf.out
}

# ---------------------------------------------------------------- conditions

# Traffic in the background until stop_traffic, for the daemon to see.
# traffic NAME: one of the loads below, again and again
traffic()
{
	rm -f $T/stop $T/stopped
	(while [ ! -e $T/stop ]; do "$1" >/dev/null 2>&1; done; touch $T/stopped) &
	traffic_pid=$!
}

# (A child that has exited stays a zombie until waited for, and kill -0
# finds a zombie: the loop says itself when it is done.)
stop_traffic()
{
	[ -n "${traffic_pid:-}" ] || return 0
	touch $T/stop
	# Each load is bounded (timeouts below); 60 s is far more than one.
	wait_for 60 test -e $T/stopped ||
		diag "the traffic loop did not stop within 60 s"
	wait $traffic_pid 2>/dev/null
	traffic_pid=
}

# Four streams: the rule counts sockets at the max with data waiting in
# their receive queue, and an instant when one of four has some is more
# likely than for one.
load_bulk()
{
	iperf -t 3 -f k -P 4
}

load_bulk_out()
{
	iperf -t 3 -f k -R
}

load_neighbours()
{
	local i

	for i in $(seq 1 $NEIGHBOURS); do
		ping -c 1 -W 1 10.77.1.$i >/dev/null 2>&1 &
	done
	wait
}

load_fragments()
{
	iperf -u -l 8000 -b 20M -t 2
}

# listener_up PORT BACKLOG: a listener that never accepts
listener_up()
{
	python3 -c "
import socket, time
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('$HOST', $1))
s.listen($2)
time.sleep(100000)" &
	listeners="${listeners:-} $!"
	wait_for 60 listening $1 ||
		{ diag "the listener on $1 did not start within 60 s"; return 1; }
}

# load_connects [PORT]: 16 clients, one every 50 ms (to 5300 unless
# PORT): once the accept queue is full, each of them overflows it, for
# more than one of the daemon's intervals in a row
load_connects()
{
	local i

	for i in $(seq 1 16); do
		in_peer timeout 3 nc -w 2 $HOST ${1:-5300} </dev/null >/dev/null 2>&1 &
		sleep 0.05
	done
	wait
}

# rcvbuf_pinned MAX: a socket of the iperf3 server has its receive buffer
# at MAX while a transfer runs
rcvbuf_pinned()
{
	$SS -tmnH state established "( sport = :5201 )" >$T/ss.out 2>&1
	grep -q "rb$1," $T/ss.out
}

# moves NAME COUNTER LOAD: LOAD makes COUNTER rise. The load runs in a
# subshell, where its `wait` waits for its own children only.
moves()
{
	local before after

	before=$($2)
	($3) >/dev/null 2>&1
	after=$($2)
	diag "$1: $2 $before -> $after"
	[ "$after" -gt "$before" ]
}

cond_tcp_buffers()
{
	put net.ipv4.tcp_rmem "4096 16384 32768"
	# 10 ms each way: the window, not the emulated CPU, bounds the rate.
	qdisc delay 10ms || return 1
	traffic load_bulk
	wait_for 30 rcvbuf_pinned 32768
	local rc=$?
	stop_traffic
	[ $rc -eq 0 ] || diag "no socket at rb32768: $(head -n 4 $T/ss.out)"
	return $rc
}

cond_neigh()
{
	put net.ipv4.neigh.default.gc_thresh1 4
	put net.ipv4.neigh.default.gc_thresh2 8
	put net.ipv4.neigh.default.gc_thresh3 16
	moves neigh table_fulls load_neighbours || return 1
	dmesg | grep -q "neighbor table overflow" ||
		{ diag "no 'neighbor table overflow' in the kernel log"; return 1; }
}

cond_ipfrag()
{
	put net.ipv4.ipfrag_low_thresh 0
	put net.ipv4.ipfrag_high_thresh 8192
	moves ipfrag reasm_fails load_fragments
}

cond_somaxconn()
{
	put net.core.somaxconn 2
	# Its backlog is far over somaxconn, which is what caps the queue.
	listener_up 5300 128 || return 1
	moves somaxconn listen_overflows load_connects
}

cond_congestion()
{
	qdisc loss 5% || return 1
	moves congestion retrans_segs load_bulk_out
}

# Whether a backlog of 1 overflows depends on how the emulated CPUs
# interleave the senders and the softirq: one 3-second run dropped
# nothing once with two VMs on the host's cores, so up to three.
cond_backlog()
{
	local try

	put net.core.netdev_max_backlog 1
	for try in 1 2 3; do
		moves netdev_backlog softnet_dropped load_bulk && return 0
	done
	return 1
}

# ---------------------------------------------------------------- the daemon

WLOG=$T/watch.log

has_watch()
{
	ostune help 2>&1 | grep -q '^  watch '
}

# watch_start ARGS...: ostune watch in the background, every 200 ms,
# its log in $WLOG, its pid in $T/watch.pid, its status in $T/watch.rc
# once it has exited
watch_start()
{
	rm -f $T/watch.pid $T/watch.rc
	: >$WLOG
	(sh -c 'echo $$ >'$T/watch.pid'; exec ostune watch "$@"' sh \
		--interval 200 --lease 2000 --state $T/watch.json "$@" 2>$WLOG
	 echo $? >$T/watch.rc) &
	wait_for 30 grep -q "^ostune watch: started" $WLOG ||
		{ diag "no 'started' line within 30 s: $(tail -n 3 $WLOG)"; return 1; }
}

# watch_stop SIGNAL: signal the daemon, wait at most 30 s for its exit
watch_stop()
{
	[ -f $T/watch.pid ] || return 0
	kill -"$1" "$(cat $T/watch.pid)"
	wait_for 30 test -e $T/watch.rc ||
		{ diag "ostune watch did not exit within 30 s of SIG$1"; return 1; }
	rm -f $T/watch.pid
}

watch_exit()
{
	[ "$(cat $T/watch.rc 2>/dev/null)" = "$1" ] ||
		{ diag "ostune watch exited $(cat $T/watch.rc 2>/dev/null), not $1"; return 1; }
}

logged()
{
	grep -q "$1" $WLOG || { diag "no line '$1': $(tail -n 3 $WLOG)"; return 1; }
}

# change_line RULE KNOB [would]: the last "change" line of RULE for KNOB
change_line()
{
	grep "^ostune watch: $1: .*: ${3:+would }change $2 from (.*) -> (.*)\$" $WLOG | tail -n 1
}

# until_changed RULE KNOB LOAD [would]: LOAD again and again until the
# daemon logs a change of KNOB by RULE ($CHANGE_WAIT s at most: the
# tcp_buffers rule wants three samples in a row with data waiting in a
# receive queue at the max, which under TCG on a busy machine took up to
# 45 s)
CHANGE_WAIT=90
until_changed()
{
	traffic "$3"
	wait_for $CHANGE_WAIT grep -q "^ostune watch: $1: .*: ${4:+would }change $2 from" $WLOG
	local rc=$?
	[ $rc -eq 0 ] || [ "$1" != tcp_buffers ] || buffers_seen
	stop_traffic
	[ $rc -eq 0 ] ||
		diag "no ${4:+would }change of $2 by $1 within $CHANGE_WAIT s: $(tail -n 3 $WLOG)"
	return $rc
}

# What the tcp_buffers rule had to go on, while the traffic still runs:
# the segments of one second and the server's sockets' buffers.
buffers_seen()
{
	local in out

	in=$(snmp /proc/net/snmp Tcp InSegs)
	out=$(snmp /proc/net/snmp Tcp OutSegs)
	sleep 1
	diag "in 1 s: $(($(snmp /proc/net/snmp Tcp InSegs) - in)) segments in, $(($(snmp /proc/net/snmp Tcp OutSegs) - out)) out; tcp_rmem $(get net.ipv4.tcp_rmem)"
	$SS -tmnH state established "( sport = :5201 )" | grep -o 'skmem:([^)]*)' | head -n 4 |
		while read -r line; do diag "$line"; done
	diag "state file: $(cat $T/watch.json 2>/dev/null)"
}

# old_of RULE KNOB, new_of RULE KNOB: the values of the last change
old_of()
{
	change_line "$1" "$2" | sed -e 's/.* from (\(.*\)) -> (.*)$/\1/'
}

new_of()
{
	change_line "$1" "$2" | sed -e 's/.* -> (\(.*\))$/\1/'
}

# changed_right RULE KNOB HOW: /proc holds the value the log gave, and it
# moved HOW: "up" (a number grew), "max" (the third field grew) or "cc"
# (another of the kernel's congestion controls)
changed_right()
{
	local old new now sysctl=${2#sysctl.} tries=0

	# The rule may change the knob again between the two reads (a slow
	# kernel's next interval still counts the last traffic): the value
	# and the log agree once its write and its line are both out.
	while :; do
		now=$(get "$sysctl")
		old=$(old_of "$1" "$2")
		new=$(new_of "$1" "$2")
		[ "$now" != "$new" ] && [ $tries -lt 5 ] || break
		tries=$((tries + 1))
		sleep 1
	done
	[ "$now" = "$new" ] ||
		{ diag "$sysctl is '$now', the log says '$new'"; return 1; }
	diag "$2: $old -> $new"
	case $3 in
	up) [ "$new" -gt "$old" ] ;;
	max) [ "$(echo $new | cut -d ' ' -f 3)" -gt "$(echo $old | cut -d ' ' -f 3)" ] ;;
	cc) [ "$new" != "$old" ] &&
		grep -qw "$new" /proc/sys/net/ipv4/tcp_available_congestion_control ;;
	esac || { diag "$2 did not move $3 from '$old' to '$new'"; return 1; }
}

# snapshot NAME: every saved sysctl's value now, in $T/NAME
snapshot()
{
	local s

	for s in $SAVED; do
		echo "$s=$(get $s)"
	done >$T/$1
}

# same_as NAME: every saved sysctl has its value of snapshot NAME
same_as()
{
	snapshot now
	cmp -s $T/$1 $T/now && return 0
	diag "not as in $1: $(diff $T/$1 $T/now | grep '^[-+][a-z]' | tr '\n' ' ')"
	return 1
}

# rule_changes RULE KNOB LOAD HOW: one rule's condition with the daemon
rule_changes()
{
	until_changed "$1" "$2" "$3" || return 1
	changed_right "$1" "$2" "$4"
}

# rate: the better of two 3-second runs, in Kbit/s. The window bounds
# the rate from above; a run of the emulated CPUs starved by the rest of
# the machine only falls below it, so the better run is the window's.
rate()
{
	local best=0 r

	for r in 1 2; do
		iperf -t 3 -f k || return 1
		r=$(kbits)
		[ "$r" -le "$best" ] || best=$r
	done
	[ "$best" -gt 0 ] || { diag "no rate in: $(tail -n 3 $T/iperf.out)"; return 1; }
	echo "$best"
}

# tcp_buffers, held: the raise, the throughput before and after it side
# by side, then an administrator's write, which disables the rule.
watch_tcp_buffers()
{
	local before after raised wait

	# A 16 KiB buffer through 100 ms: the window bounds the rate (about
	# 650 Kbit/s) at half what the emulated CPUs carried with two other
	# VMs on the host's cores (a 32 KiB one through 50 ms was CPU-bound
	# then, and the raise did not show), so the raise shows in it.
	put net.ipv4.tcp_rmem "4096 16384 16384"
	qdisc delay 100ms || return 1
	snapshot start
	before=$(rate)
	# A 3000 ms interval: the rule looks at sockets only in an interval
	# that moved 100 segments, and this window-bound transfer moves about
	# 56 a second.
	check "tcp_buffers: ostune watch starts (held)" watch_start --rules tcp_buffers --interval 3000
	check "tcp_buffers: raises tcp_rmem's max under bulk TCP, logging it" \
		rule_changes tcp_buffers sysctl.net.ipv4.tcp_rmem load_bulk max
	raised=$(date +%s)
	after=$(rate)
	diag "iperf3 through 100 ms, the better of two runs: $before Kbit/s before the raise, $after after"
	check "tcp_buffers: throughput rises after the raise (after/before > 1)" \
		awk -v b="${before:-0}" -v a="${after:-0}" \
		'BEGIN { if (b > 0) printf "# ratio %.2f\n", a / b; exit !(b > 0 && a > b) }'

	put net.ipv4.tcp_rmem "4096 16384 49152"
	traffic load_bulk
	wait_for 30 grep -q "^ostune watch: tcp_buffers: sysctl.net.ipv4.tcp_rmem changed by someone else (.* -> 4096 16384 49152): rule disabled" $WLOG
	local rc=$?
	[ $rc -eq 0 ] || diag "no 'rule disabled' line within 30 s: $(tail -n 3 $WLOG)"
	check "tcp_buffers: an administrator's sysctl -w disables the rule, logged" test $rc -eq 0
	# Sockets still sit at the new max: traffic until 12 s after the
	# raise, past the rule's rate limit (10 s), would have it raise again.
	wait=$((raised + 12 - $(date +%s)))
	[ "$wait" -le 0 ] || sleep "$wait"
	stop_traffic
	check "tcp_buffers: the disabled rule leaves the administrator's value" \
		test "$(get net.ipv4.tcp_rmem)" = "4096 16384 49152"
	check "tcp_buffers: no change logged after the rule was disabled" \
		sh -c "! sed -n '/rule disabled/,\$p' $WLOG | grep -q ': change '"
	check "tcp_buffers: SIGTERM stops it" watch_stop TERM
	check "tcp_buffers: exit status 0, summary says the rule is disabled" \
		sh -c "[ \"\$(cat $T/watch.rc)\" = 0 ] && grep -q '^ostune watch: summary: tcp_buffers: .*disabled' $WLOG"
	qdisc off
	put net.ipv4.tcp_rmem "4096 16384 32768"
}

# The other rules in one held daemon, each condition in turn; then kill -9,
# which must put every value back.
watch_rules()
{
	snapshot start
	check "held: ostune watch starts with neigh,ipfrag,somaxconn,netdev_backlog,congestion" \
		watch_start --rules neigh,ipfrag,somaxconn,netdev_backlog,congestion
	check "neigh: raises gc_thresh3 when pings overflow the table, logging it" \
		rule_changes neigh sysctl.net.ipv4.neigh.default.gc_thresh3 load_neighbours up
	check "ipfrag: raises ipfrag_high_thresh when reassembly fails, logging it" \
		rule_changes ipfrag sysctl.net.ipv4.ipfrag_high_thresh load_fragments up
	check "somaxconn: raises somaxconn on listen overflows, logging it" \
		rule_changes somaxconn sysctl.net.core.somaxconn load_connects up
	check "netdev_backlog: raises netdev_max_backlog on softnet drops, logging it" \
		rule_changes netdev_backlog sysctl.net.core.netdev_max_backlog load_bulk up
	if [ -z "$lacks_congestion" ]; then
		qdisc loss 5%
		check "congestion: switches congestion control under loss, logging it" \
			rule_changes congestion sysctl.net.ipv4.tcp_congestion_control load_bulk_out cc
		qdisc off
	else
		skip "congestion: switches congestion control under loss" "$lacks_congestion"
	fi
	check "held: kill -9 ends it" watch_stop KILL
	check "held: after kill -9 every value is back (read in /proc)" \
		wait_for 30 same_as start
	same_as start >/dev/null || restore_to start
}

# restore_to NAME: back to snapshot NAME, whatever a failed check left
restore_to()
{
	local line

	while read -r line; do
		put "${line%%=*}" "${line#*=}"
	done <$T/$1
}

# kept: SIGTERM leaves the change, ostune restore puts it back.
watch_kept()
{
	snapshot start
	check "kept: ostune watch --kept starts" watch_start --kept --rules neigh
	check "kept: neigh raises gc_thresh3" \
		rule_changes neigh sysctl.net.ipv4.neigh.default.gc_thresh3 load_neighbours up
	local new
	new=$(new_of neigh sysctl.net.ipv4.neigh.default.gc_thresh3)
	check "kept: SIGTERM stops it" watch_stop TERM
	check "kept: exit status 0 and 'changes kept'" \
		sh -c "[ \"\$(cat $T/watch.rc)\" = 0 ] && grep -q '^ostune watch: changes kept' $WLOG"
	check "kept: gc_thresh3 keeps the daemon's value after it stopped" \
		test "$(get net.ipv4.neigh.default.gc_thresh3)" = "$new"
	check "kept: ostune restore puts the original back" \
		sh -c "ostune restore >/dev/null && [ \"\$(cat /proc/sys/net/ipv4/neigh/default/gc_thresh3)\" = \"$(grep gc_thresh3 $T/start | cut -d = -f 2)\" ]"
	same_as start >/dev/null || restore_to start
}

# --plan: what would change is logged, nothing changes.
watch_plan()
{
	snapshot start
	check "plan: ostune watch --plan starts" watch_start --plan --rules neigh,somaxconn
	check "plan: logs what neigh would change" \
		until_changed neigh sysctl.net.ipv4.neigh.default.gc_thresh3 load_neighbours would
	check "plan: logs what somaxconn would change" \
		until_changed somaxconn sysctl.net.core.somaxconn load_connects would
	watch_stop TERM
	check "plan: nothing changed (every value as before, in /proc)" same_as start
	check "plan: no line says a change was made" \
		sh -c "! grep -q ': change ' $WLOG"
	same_as start >/dev/null || restore_to start
}

# At its ceiling a rule logs so and raises nothing: an application's own
# backlog of 1 overflows with somaxconn already past what this memory
# allows.
watch_limit()
{
	local limit

	put net.core.somaxconn 65535
	listener_up 5301 1 || return 1
	check "limit: ostune watch starts" watch_start --rules somaxconn
	traffic load_connects_5301
	wait_for 60 grep -q "^ostune watch: somaxconn: .*: sysctl.net.core.somaxconn at its limit ([0-9]*): not raised" $WLOG
	local rc=$?
	stop_traffic
	[ $rc -eq 0 ] || diag "no 'at its limit' line within 60 s: $(tail -n 3 $WLOG)"
	check "limit: somaxconn over its ceiling is logged at its limit, not raised" test $rc -eq 0
	limit=$(sed -n -e 's/.*sysctl.net.core.somaxconn at its limit (\([0-9]*\)).*/\1/p' $WLOG | head -n 1)
	check "limit: somaxconn stays 65535, over the logged limit ($limit)" \
		sh -c "[ \"\$(cat /proc/sys/net/core/somaxconn)\" = 65535 ] && [ '${limit:-0}' -gt 0 ] && [ '${limit:-0}' -le 65535 ]"
	watch_stop TERM
}

load_connects_5301()
{
	load_connects 5301
}

# timed NAME: run NAME, saying how long it took (the VM time this costs)
timed()
{
	local began=$(date +%s)

	"$1"
	diag "$1: $(($(date +%s) - began)) s"
}

watch_tests()
{
	if [ -z "$lacks_buffers" ]; then
		timed watch_tcp_buffers
	else
		skip "tcp_buffers with the daemon" "$lacks_buffers"
	fi
	timed watch_rules
	timed watch_kept
	timed watch_plan
	timed watch_limit
}

# ---------------------------------------------------------------- main

why=$(lab_missing)
if [ -n "$why" ]; then
	skip "the network namespace lab" "$why"
	tap_done
	exit
fi
save_sysctls
load_optional
if ! lab_up; then
	not_ok "the lab: two namespaces joined by veth"
	tap_done
	exit
fi
ok "the lab: two namespaces joined by veth, $NEIGHBOURS neighbours"
check "iperf3 server listens" server_up

conditions_began=$(date +%s)
lacks_buffers=$(echo $(lacks_netem) $(lacks_sockdiag))
lacks_congestion=$(echo $(lacks_netem) $(lacks_bbr))
if [ -z "$lacks_buffers" ]; then
	check "condition tcp_buffers: bulk TCP pins receive buffers at tcp_rmem's max" cond_tcp_buffers
	qdisc off
else
	skip "condition tcp_buffers" "$lacks_buffers"
fi
check "condition neigh: pings overflow the neighbour table (table_fulls)" cond_neigh
check "condition ipfrag: fragmented UDP fails reassembly (ReasmFails)" cond_ipfrag
check "condition somaxconn: a full accept queue overflows (ListenOverflows)" cond_somaxconn
if [ -z "$(lacks_netem)" ]; then
	check "condition congestion: netem loss makes TCP retransmit (RetransSegs)" cond_congestion
	qdisc off
else
	skip "condition congestion" "$(lacks_netem)"
fi
check "condition netdev_backlog: a backlog of 1 drops packets (softnet_stat)" cond_backlog
diag "the conditions without the daemon: $(($(date +%s) - conditions_began)) s"

if has_watch; then
	watch_tests
else
	skip "ostune watch with the conditions" "this ostune has no watch command"
fi

restore_sysctls
stop_traffic
kill $listeners $server $peer 2>/dev/null
tap_done

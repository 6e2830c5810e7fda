#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The cost of ostune watch: its CPU share (of one core) and its wakeups
# per second, idle and under load, side by side in one run. It runs with
# --plan against this host's /proc (no module needed; a change would cost
# one netlink request more, at most once per rule per 10 s). Load: many
# established loopback TCP connections (each one more socket in every
# sock_diag dump) and a few bulk transfers (counters moving, buffers at
# their maxima). Goal: under 0.5% of a core under load.
#
# CPU time from /proc/PID/schedstat (nanoseconds on the CPU; stat's
# utime+stime in clock ticks when schedstats are off), wakeups from the
# voluntary context switches of /proc/PID/status.
#
# Usage: bench/watch/run.sh [SECONDS (30)] [IDLE_CONNECTIONS (1000)]
#        OSTUNE=path/to/ostune (default: user/ostune of this tree)

set -euo pipefail

secs=${1:-30}
nconn=${2:-1000}
top=$(cd "$(dirname "$0")/../.." && pwd)
ostune=${OSTUNE:-$top/user/ostune}
work=$(mktemp -d)
watch_pid= load_pid=

cleanup()
{
	[ -z "$load_pid" ] || kill "$load_pid" 2>/dev/null || true
	[ -z "$watch_pid" ] || kill "$watch_pid" 2>/dev/null || true
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

[ -x "$ostune" ] || { echo "bench/watch: no $ostune: make -C user" >&2; exit 1; }

# cpu_ns PID: nanoseconds PID has run
cpu_ns()
{
	local f
	if [ -r "/proc/$1/schedstat" ]; then
		read -r f _ <"/proc/$1/schedstat"
		echo "$f"
	else
		awk -v hz="$(getconf CLK_TCK)" '{ printf "%.0f\n", ($14 + $15) * 1e9 / hz }' "/proc/$1/stat"
	fi
}

wakeups()
{
	awk '/^voluntary_ctxt_switches/ { print $2 }' "/proc/$1/status"
}

# measure LABEL: one window of $secs seconds
measure()
{
	local c0 c1 w0 w1
	c0=$(cpu_ns "$watch_pid"); w0=$(wakeups "$watch_pid")
	sleep "$secs"
	c1=$(cpu_ns "$watch_pid"); w1=$(wakeups "$watch_pid")
	awk -v l="$1" -v c=$((c1 - c0)) -v w=$((w1 - w0)) -v s="$secs" -v d="$2" \
		'BEGIN { printf "%-6s cpu %.4f%% of a core, %.2f wakeups/s (%d s%s)\n", l, c / (s * 1e9) * 100, w / s, s, d }'
	echo $((c1 - c0)) >"$work/$1.ns"
}

"$ostune" watch --plan --interval 1000 --state "$work/watch.json" 2>"$work/watch.log" &
watch_pid=$!
sleep 2
kill -0 "$watch_pid" || { cat "$work/watch.log" >&2; exit 1; }

echo "ostune watch --plan --interval 1000, all rules, on $(nproc) CPUs"
measure idle ""

# The load: nconn idle connections and 4 bulk transfers over loopback.
python3 - "$nconn" <<'PY' &
import socket, sys, threading
n = int(sys.argv[1])
srv = socket.socket()
srv.bind(("127.0.0.1", 0))
srv.listen(4096)
addr = srv.getsockname()
keep = []
def accept():
    while True:
        c, _ = srv.accept()
        keep.append(c)
        threading.Thread(target=drain, args=(c,), daemon=True).start()
def drain(c):
    while c.recv(1 << 16):
        pass
threading.Thread(target=accept, daemon=True).start()
for _ in range(n):
    keep.append(socket.create_connection(addr))
def bulk():
    s = socket.create_connection(addr)
    buf = b"x" * (1 << 16)
    while True:
        s.sendall(buf)
for _ in range(4):
    threading.Thread(target=bulk, daemon=True).start()
threading.Event().wait()
PY
load_pid=$!
sleep 3
measure load ", $nconn idle + 4 bulk loopback TCP connections"
awk -v i="$(cat "$work/idle.ns")" -v l="$(cat "$work/load.ns")" \
	'BEGIN { if (i > 0) printf "ratio  load/idle cpu %.2f\n", l / i }'

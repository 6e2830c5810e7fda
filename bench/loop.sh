#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The measurement loop's own cost: time per iteration outside the measured
# windows (suggest, validate, apply as one transaction, record, heartbeat)
# and ostune's CPU time during a window as a share of the window. Goals:
# under 50 ms per iteration, under 1% of one core.
#
# Measured twice, with the same config (20 configurations of 4 knobs, each
# one window of an idle `sleep 1`, so the window's content costs ostune
# nothing but waiting):
#   - host: ostune on the client double (tests/ostune-fake), at native
#     speed, everything but the kernel's part of an apply;
#   - VM: the real module in Debian's kernels under QEMU TCG, whose
#     emulation makes every instruction several times slower.
#
# Usage: bench/loop.sh [ITERATIONS]

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"

iterations=${1:-20}
export OSTUNE_BENCH_ITERATIONS=$iterations

# The loop figures of a summary.json on stdin, as one line.
figures()
{
	python3 -c '
import json, sys
loop = json.load(sys.stdin)["loop"]
o, c = loop["overhead_ms_per_iteration"], loop["ostune_cpu_pct_of_window"]
print("loop cost per iteration outside the window: median %.1f ms, max %.1f ms;"
      " ostune CPU during a window: median %.3f%%, max %.3f%% of one core"
      % (o["median"], o["max"], c["median"], c["max"]))'
}

"$top/tests/deps.sh" >/dev/null
"$top/tests/kernels.sh" >/dev/null
OSTUNE_RESULTS=$(mktemp) "$top/tests/tier-build.sh" >/dev/null || true
make -s --no-print-directory -C "$top/user" all tests/ostune-fake

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
echo "== host, client double ($iterations iterations)"
PATH="$top/user/tests:$PATH"
sed -e "s|/tmp/bench-loop|$tmp/run|" "$top/tests/vm/run/bench-loop.sh" >"$tmp/bench.sh"
# the double answers as the module would, with no kernel behind it
sed -i -e 's/^ostune tune /ostune-fake tune /' "$tmp/bench.sh"
sh "$tmp/bench.sh" | sed -n '/^OSTUNE-BENCH-LOOP-BEGIN/,/^OSTUNE-BENCH-LOOP-END/p' |
	sed '1d;$d' | figures

for kver in $(ostune_kvers); do
	echo "== $kver in QEMU TCG, ostune.ko ($iterations iterations)"
	OSTUNE_VM_APPEND=quiet OSTUNE_VM_TIMEOUT=600 "$top/tests/vm/run.sh" "$kver" bench-loop |
		tr -d '\r' | sed -n '/^OSTUNE-BENCH-LOOP-BEGIN/,/^OSTUNE-BENCH-LOOP-END/p' |
		sed '1d;$d' | figures
done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Records bench/tuners/landscape-hackbench.tsv: boots Debian's kernel in
# QEMU with ostune.ko and measures hackbench over a grid of two scheduler
# knobs (tests/vm/run/landscape.sh), then keeps each measured window's
# knob values and time. The benchmark replays these windows; recording is
# needed only to refresh them (about 10 minutes).
#
# Usage: bench/tuners/record-landscape.sh

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/tests/lib.sh"

export OSTUNE_KERNEL_METAS=${OSTUNE_LANDSCAPE_KERNEL:-6.12-amd64}
"$top/tests/deps.sh" >/dev/null
"$top/tests/kernels.sh" >/dev/null
kver=$(ostune_kvers)
OSTUNE_RESULTS=$(mktemp) "$top/tests/tier-build.sh" >/dev/null || true
make -s -C "$top/user" >/dev/null

OSTUNE_VM_APPEND=quiet OSTUNE_VM_TIMEOUT=1200 \
	"$top/tests/vm/run.sh" "$kver" landscape >/dev/null 2>&1 || true
log=$OSTUNE_BUILD/vm/$kver/landscape.log
tr -d '\r' <"$log" | sed -n '/^OSTUNE-LANDSCAPE-BEGIN/,/^OSTUNE-LANDSCAPE-END/p' |
	sed '1d;$d' | base64 -d | gunzip | /usr/bin/python3 -c '
import json, sys
print("# hackbench time_s per measured window, recorded in QEMU (TCG) on '"$kver"'")
print("# sched.migration_cost_ns\tsched.nr_migrate\ttime_s")
for line in sys.stdin:
    w = json.loads(line)
    if w.get("phase") != "measure" or w.get("baseline") or not w.get("ok"):
        continue
    k = w["knobs"]
    print("%s\t%s\t%s" % (k["sched.migration_cost_ns"], k["sched.nr_migrate"],
                          w["metrics"]["time_s"]["value"]))
' >"$here/landscape-hackbench.tsv"
wc -l "$here/landscape-hackbench.tsv"

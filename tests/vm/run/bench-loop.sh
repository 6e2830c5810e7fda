#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash
#
# bench/loop.sh, inside the VM: an `ostune tune` run whose windows hold
# an idle one-second command, so that what is measured is the loop itself:
# its time per iteration outside the windows (suggest, validate, apply,
# record, heartbeat) and its own CPU time during a window. Prints the
# summary's "loop" figures between marker lines.

out=/tmp/bench-loop
cat >/tmp/bench-loop.json <<EOC
{"target": {"type": "command", "shell": "sleep {window}"},
 "objective": {"metric": "elapsed_s", "goal": "minimize"},
 "space": {"sched.migration_cost_ns": {"min": 100000, "max": 2000000, "scale": "log"},
           "sched.nr_migrate": {"min": 4, "max": 128, "scale": "log"},
           "sysctl.vm.stat_interval": [1, 2],
           "sysctl.vm.swappiness": {"min": 0, "max": 100}},
 "window": {"seconds": 1, "warmup": 0, "repeats": 1, "settle_s": 0},
 "budget": {"iterations": ${OSTUNE_BENCH_ITERATIONS:-20}}, "seed": 1,
 "output": "$out"}
EOC
ostune tune /tmp/bench-loop.json >/tmp/bench-loop.out 2>&1 || cat /tmp/bench-loop.out
echo "OSTUNE-BENCH-LOOP-BEGIN"
cat $out/summary.json
echo
echo "OSTUNE-BENCH-LOOP-END"

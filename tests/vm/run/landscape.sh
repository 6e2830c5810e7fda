#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# shellcheck shell=dash # busybox ash
#
# Records a landscape for bench/tuners: hackbench's time over a 5 x 5 grid
# of two scheduler knobs every kernel has, 4 measured windows per point,
# none re-measured (the noise is part of what is recorded). The history
# goes out as gzip + base64 between two marker lines, for
# bench/tuners/record-landscape.sh to pick up on the host.

out=/tmp/landscape
cat >/tmp/landscape.json <<'JSON'
{
  "target": { "type": "hackbench", "groups": 4, "fds": 20, "loops": 104 },
  "objective": { "metric": "time_s", "goal": "minimize" },
  "space": {
    "sched.migration_cost_ns": { "min": 50000, "max": 5000000, "scale": "log" },
    "sched.nr_migrate": { "min": 2, "max": 128, "scale": "log" }
  },
  "tuner": { "name": "grid", "levels": 5 },
  "seed": 1,
  "window": { "seconds": 1.0, "warmup": 1, "repeats": 4, "remeasure": 0 },
  "budget": { "iterations": 25 },
  "output": "/tmp/landscape"
}
JSON
echo "landscape: ostune tune /tmp/landscape.json"
ostune tune /tmp/landscape.json 2>&1 | cat
echo "OSTUNE-LANDSCAPE-BEGIN"
gzip -c $out/history.jsonl | base64
echo "OSTUNE-LANDSCAPE-END"

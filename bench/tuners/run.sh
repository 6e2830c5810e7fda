#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The tuner benchmark: ostune's tuners and Optuna's TPE sampler on Branin
# and Hartmann6 with 0, 5, 10 and 20% relative noise per window (each
# evaluation the loop's default 3 windows, told as their median and
# spread), and on a landscape of hackbench windows recorded in the VM
# (landscape-hackbench.tsv, made by record-landscape.sh) replayed, 20 seeds
# each (budgets 60, 100 and 50 evaluations), side by side, scoring the
# configuration each would recommend (bench.c). Runs on the host; see
# docs/tuners.md for how long it takes. Not part of make check (which only
# builds it).
#
# Usage: bench/tuners/run.sh [SEEDS]   (raw lines kept in bench/tuners/results/)

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
seeds=${1:-20}

if ! /usr/bin/python3 -c 'import optuna' 2>/dev/null; then
	apt-get install -y -qq python3-optuna >/dev/null
fi
make -s --no-print-directory -C "$here" >/dev/null

out=${OUT:-$here/results}
mkdir -p "$out"
# Two cores: ostune's tuners on one, Optuna on the other. Timings are
# per suggestion, each process on its own core.
land=$here/landscape-hackbench.tsv
"$here/tuners-bench" -t bo,random,coordinate,grid -s "$seeds" -l "$land" >"$out/ostune.tsv" &
ostune_pid=$!
/usr/bin/python3 "$here/optuna_tpe.py" -s "$seeds" -l "$land" >"$out/optuna.tsv"
wait "$ostune_pid"
cat "$out/ostune.tsv" "$out/optuna.tsv" | /usr/bin/python3 "$here/table.py" | tee "$out/table.txt"

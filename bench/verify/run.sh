#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The verdict benchmark: simulated verifications (throughput, lognormal
# window noise 0/5/10/20% with a slow random-walk drift of 0.2% a window),
# ostune's sequential verdict (tune/verify.c: up to 20 rounds, alpha 0.05)
# against the fixed 5-round test it replaced, and against that test and
# the one-sided t test given the sequential verdict's average rounds.
# Rates are the share of runs that recommended a candidate: false
# recommendations in the null and worse cells (must be at most alpha),
# power in the others. Then, at +5% and 10% noise, the power per
# verify.rounds against the old test at the same rounds on average; then
# the sizing table: per noise level, the planned rounds a 5% effect needs
# for 80% power. Then a two-objective pick whose second objective breaks
# what the rule asks (at the limit, 1% and 2% past it): the constrained
# rule's false "met" of its bound and the knee's false "not worse by more
# than max_loss", per noise shape (lognormal, normal), drift, and noise
# (must be at most alpha). Runs on the host in a few minutes; not part of
# make check (which only builds it).
#
# Usage: bench/verify/run.sh [RUNS]   (default 10000 per cell; the sizing 2000,
# the two-objective cells 4000)

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
runs=${1:-10000}

make -s --no-print-directory -C "$here" >/dev/null
out=$here/results
mkdir -p "$out"
"$here/verify-bench" -n "$runs" >"$out/table.tsv"
"$here/verify-bench" -n "$runs" -w >"$out/windows.tsv"
"$here/verify-bench" -n $((runs < 2000 ? runs : 2000)) -s >"$out/sizing.tsv"
"$here/verify-bench" -n $((runs < 4000 ? runs : 4000)) -c >"$out/pairs.tsv"
echo "# false recommendations (null, worse) and power; rounds on average"
column -t "$out/table.tsv"
echo
echo "# +5%, 10% noise: power per verify.rounds, the old test at the same rounds"
column -t "$out/windows.tsv"
echo
echo "# sizing: planned rounds (verify.rounds) for a 5% effect, 80% power"
column -t "$out/sizing.tsv"
echo
echo "# two objectives, the second past its limit: false \"met\" (constrained), false \"not worse\" (knee)"
column -t "$out/pairs.tsv"

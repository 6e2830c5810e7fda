#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Side-by-side table of tuners-bench and optuna_tpe.py lines (stdin).

Evaluations to reach 1% and 5% of the optimum: median and quartiles over
the seeds, runs that never got there counting as infinitely many (">B"
where B is the budget), and how many runs got there. Suggestion times
(CPU time of the suggesting process): the median at 50 and 200
observations, and the slowest suggestion of all runs.
"""
import math
import statistics
import sys
from collections import defaultdict

BUDGET = {"branin": 100, "hartmann6": 201, "hackbench": 50}
ORDER = ["bo", "optuna-tpe", "random", "coordinate", "grid"]


def fmt(x, budget):
    return ">%d" % budget if math.isinf(x) else "%g" % x


def evals_cell(col, budget):
    vals = sorted(math.inf if v < 0 else v for v in col)
    n = len(vals)
    got = sum(1 for v in col if v >= 0)
    return "%5s [%s-%s] %2d/%d" % (fmt(statistics.median(vals), budget),
                                  fmt(vals[n // 4], budget),
                                  fmt(vals[(3 * n) // 4], budget), got, n)


def ms(col):
    vals = [v for v in col if v >= 0]
    return "%6.1f" % statistics.median(vals) if vals else "     -"


def main():
    runs = defaultdict(list)
    for line in sys.stdin:
        f = line.rstrip("\n").split("\t")
        if len(f) != 10:
            continue
        runs[(f[1], f[2], f[0])].append(
            (int(f[4]), int(f[5]), float(f[6]), float(f[7]), float(f[8])))
    print("%-10s %-6s %-11s %-22s %-22s %7s %7s %8s" %
          ("function", "noise", "tuner", "evals to 1% med[IQR]",
           "evals to 5% med[IQR]", "t50 ms", "t200 ms", "max ms"))
    for fn in ("branin", "hartmann6", "hackbench"):
        for variant in ("exact", "noisy", "recorded"):
            tuners = sorted({k[2] for k in runs if k[:2] == (fn, variant)},
                            key=lambda t: ORDER.index(t) if t in ORDER else 99)
            for t in tuners:
                r = runs[(fn, variant, t)]
                print("%-10s %-6s %-11s %-22s %-22s %7s %7s %8.1f" %
                      (fn, variant, t,
                       evals_cell([x[0] for x in r], BUDGET[fn]),
                       evals_cell([x[1] for x in r], BUDGET[fn]),
                       ms([x[2] for x in r]), ms([x[3] for x in r]),
                       max(x[4] for x in r)))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Side-by-side table of tuners-bench and optuna_tpe.py lines (stdin).

Per function and noise level, per tuner: evaluations until the
recommended configuration is within 1%, 2% and 5% of the optimum, median
over the seeds (runs that never got there counting as infinitely many,
">B" where B is the budget) and how many seeds got there; the recommended
point's final gap to the optimum (median over seeds); the suggestion (and
ranking) CPU time at 50 observations, median, and the slowest of all runs.
"""
import math
import statistics
import sys
from collections import defaultdict

BUDGET = {"branin": 60, "hartmann6": 100, "hackbench": 50}
ORDER = ["bo", "optuna-tpe", "random", "coordinate", "grid"]


def cell(col, budget):
    vals = sorted(math.inf if v < 0 else v for v in col)
    med = statistics.median(vals)
    got = sum(1 for v in col if v >= 0)
    return "%4s %2d/%d" % (">%d" % budget if math.isinf(med) else "%g" % med,
                           got, len(col))


def ms(col):
    vals = [v for v in col if v >= 0]
    return "%6.1f" % statistics.median(vals) if vals else "     -"


def noise_key(v):
    return math.inf if v == "recorded" else float(v)


def main():
    runs = defaultdict(list)
    for line in sys.stdin:
        f = line.rstrip("\n").split("\t")
        if len(f) != 10:
            continue
        runs[(f[1], f[2], f[0])].append(
            (int(f[4]), int(f[5]), int(f[6]), float(f[7]), float(f[8]),
             float(f[9])))
    print("%-10s %-8s %-11s %-12s %-12s %-12s %9s %7s %8s" %
          ("function", "noise", "tuner", "to 1% med n", "to 2% med n",
           "to 5% med n", "final gap", "t50 ms", "max ms"))
    for fn in ("branin", "hartmann6", "hackbench"):
        noises = sorted({k[1] for k in runs if k[0] == fn}, key=noise_key)
        for noise in noises:
            tuners = sorted({k[2] for k in runs if k[:2] == (fn, noise)},
                            key=lambda t: ORDER.index(t) if t in ORDER else 99)
            for t in tuners:
                r = runs[(fn, noise, t)]
                print("%-10s %-8s %-11s %-12s %-12s %-12s %8.2f%% %7s %8.1f" %
                      (fn, noise if noise == "recorded" else
                       "%g%%" % (100 * float(noise)), t,
                       cell([x[0] for x in r], BUDGET[fn]),
                       cell([x[1] for x in r], BUDGET[fn]),
                       cell([x[2] for x in r], BUDGET[fn]),
                       100 * statistics.median(x[5] for x in r),
                       ms([x[3] for x in r]), max(x[4] for x in r)))


if __name__ == "__main__":
    main()

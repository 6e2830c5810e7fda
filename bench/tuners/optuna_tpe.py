#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Optuna's TPE sampler on the benchmark's functions, seeds and noise.

Prints the same tab-separated lines as tuners-bench (see bench.c), with
"optuna-tpe" as the tuner, so that run.sh can put both side by side.
The functions, the noise and the 3 windows per evaluation are
functions.c's and bench.c's, step for step; TPE is told the windows'
median. What is scored after each evaluation is study.best_trial, the
trial Optuna hands its users.

Usage: optuna_tpe.py [-f FUNCTION[,FUNCTION]] [-n CV[,CV]]
                     [-s SEEDS] [-b BUDGET] [-l LANDSCAPE.tsv]
"""
import argparse
import math
import statistics
import time

import optuna

MASK = (1 << 64) - 1
WINDOWS = 3
LEVELS = (0.01, 0.02, 0.05)


def branin(x):
    a, b, c = 1.0, 5.1 / (4 * math.pi ** 2), 5 / math.pi
    r, s, t = 6.0, 10.0, 1 / (8 * math.pi)
    q = x[1] - b * x[0] ** 2 + c * x[0] - r
    return a * q * q + s * (1 - t) * math.cos(x[0]) + s


ALPHA = [1.0, 1.2, 3.0, 3.2]
A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14],
     [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886],
     [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
     [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650],
     [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    return -sum(ALPHA[i] * math.exp(-sum(A[i][j] * (x[j] - P[i][j]) ** 2
                                          for j in range(6)))
                for i in range(4))


FUNCTIONS = {
    "branin": (branin, [(-5, 10), (0, 15)], 0.397887357729738, 60),
    "hartmann6": (hartmann6, [(0, 1)] * 6, -3.32236801141551, 100),
}


def splitmix(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def gauss(seed, k):
    st = (seed * 1000003 + k) & MASK
    st, a = splitmix(st)
    st, b = splitmix(st)
    u1 = ((a >> 11) + 1) * 2.0 ** -53
    u2 = (b >> 11) * 2.0 ** -53
    return math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)


def pick(seed, k, n):
    _, z = splitmix((seed * 1000003 + k + 0x5BD1E995) & MASK)
    return z % n


class Landscape:
    """functions.c's replayed landscape, step for step."""

    def __init__(self, path):
        self.points = {}
        with open(path) as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                a, b, v = line.split()
                self.points.setdefault((float(a), float(b)), []).append(float(v))
        self.keys = list(self.points)
        self.lo = [min(k[j] for k in self.keys) for j in range(2)]
        self.hi = [max(k[j] for k in self.keys) for j in range(2)]
        self.median = {k: statistics.median(v) for k, v in self.points.items()}
        self.fmin = min(self.median.values())

    def unit(self, j, v):
        return math.log(v / self.lo[j]) / math.log(self.hi[j] / self.lo[j])

    def nearest(self, x):
        return min(self.keys, key=lambda k: sum(
            (self.unit(j, x[j]) - self.unit(j, k[j])) ** 2 for j in range(2)))


def run(name, cv, seed, budget, land=None):
    if land:
        fn, fmin, default_budget = None, land.fmin, 50
        bounds = list(zip(land.lo, land.hi))
    else:
        fn, bounds, fmin, default_budget = FUNCTIONS[name]
    budget = budget or default_budget
    study = optuna.create_study(sampler=optuna.samplers.TPESampler(seed=seed))
    at, t50, tmax, gap = [-1] * len(LEVELS), -1.0, 0.0, math.inf
    truth = {}
    for k in range(budget):
        t0 = time.process_time()
        trial = study.ask()
        if land:
            x = [trial.suggest_int("x%d" % i, int(lo), int(hi), log=True)
                 for i, (lo, hi) in enumerate(bounds)]
        else:
            x = [trial.suggest_float("x%d" % i, lo, hi)
                 for i, (lo, hi) in enumerate(bounds)]
        dt = (time.process_time() - t0) * 1e3
        if land:
            p = land.nearest(x)
            windows = land.points[p]
            truth[trial.number] = land.median[p]
            w = [windows[pick(seed, WINDOWS * k + j, len(windows))]
                 for j in range(WINDOWS)]
        else:
            f = fn(x)
            truth[trial.number] = f
            w = [f * (1 + cv * gauss(seed, WINDOWS * k + j))
                 for j in range(WINDOWS)]
        study.tell(trial, statistics.median(w))
        t0 = time.process_time()
        best = study.best_trial.number
        dt += (time.process_time() - t0) * 1e3
        tmax = max(tmax, dt)
        if k == 50:
            t50 = dt
        gap = abs(truth[best] - fmin) / abs(fmin)
        for j, level in enumerate(LEVELS):
            if at[j] < 0 and gap <= level:
                at[j] = k + 1
    print("optuna-tpe\t%s\t%s\t%d\t%d\t%d\t%d\t%.2f\t%.2f\t%.6f" %
          (name, "recorded" if land else "%g" % cv, seed, at[0], at[1], at[2],
           t50, tmax, gap), flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("-f", default="branin,hartmann6,hackbench")
    ap.add_argument("-n", default="0,0.05,0.1,0.2")
    ap.add_argument("-s", type=int, default=20)
    ap.add_argument("-b", type=int, default=0)
    ap.add_argument("-l", help="a recorded landscape (hackbench)")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    for name in args.f.split(","):
        if name == "hackbench":
            if args.l:
                land = Landscape(args.l)
                for seed in range(1, args.s + 1):
                    run(name, 0, seed, args.b, land)
            continue
        for cv in args.n.split(","):
            for seed in range(1, args.s + 1):
                run(name, float(cv), seed, args.b)


if __name__ == "__main__":
    main()

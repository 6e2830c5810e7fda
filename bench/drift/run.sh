#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The drift correction's simulation: the share of runs whose drift is
# corrected, with none (noise alone, sigma 5%: about 5% at most) and with
# a linear drift of 10% over the run, for 3, 5, 10 and 20 anchors of 1
# or 3 windows each. A few seconds on the host; not part of make check
# (which only builds it).
#
# Usage: bench/drift/run.sh [RUNS]   (default 10000 per cell)

set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
make -s --no-print-directory -C "$here" >/dev/null
"$here/drift-bench" -n "${1:-10000}"

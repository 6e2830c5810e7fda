#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boots each test kernel in QEMU and runs the benchmarks there: apply and
# restore of 1, 8 and 64 knobs through ostune.ko, side by side with writing
# the same files from userspace one by one and with one `sysctl -w` process
# per knob, and the time from kill -9 of a session's owner until its 64
# knobs read their originals. Prints the figures per kernel. Under TCG
# absolute times are inflated; the ratios of one run are what compares.
#
# Usage: bench/run.sh   (make bench)

set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/tests/lib.sh"

"$top/tests/deps.sh" >/dev/null
"$top/tests/kernels.sh" >/dev/null
# The module for every kernel, as the build tier makes it.
OSTUNE_RESULTS=$(mktemp) "$top/tests/tier-build.sh" >/dev/null
make -s --no-print-directory -C "$top/user"
make -s --no-print-directory -C "$top/bench"

for kver in $(ostune_kvers); do
	echo "== $kver"
	# quiet: as on a real host, the per-change log lines are not written
	# out to a (here emulated, slow) serial console.
	OSTUNE_VM_APPEND=quiet OSTUNE_VM_TIMEOUT=600 "$top/tests/vm/run.sh" "$kver" bench |
		sed -n -e 's/\r$//' -e '/^bench:/,/^OSTUNE-VM: END/p' | grep -v '^OSTUNE-VM'
done

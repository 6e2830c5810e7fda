#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# `make demo`: see ostune tune a kernel. Installs what it needs
# (tests/deps.sh), builds the module for Debian's 6.12 kernel and the CLI,
# boots that kernel in QEMU with the module loaded, and runs the embedded
# default tuning session there (hackbench; a random search over the sched
# knobs the kernel has and a few sysctls), showing its progress. Ends with
# the best settings and the improvement over the baseline with its spread,
# then the verification's verdict (the recommended settings with their
# confidence interval, or "defaults stand: why"), and leaves the run's output directory on the host in build/demo/.
#
# Usage: tests/demo.sh   (make demo)

set -euo pipefail

. "$(dirname "$0")/lib.sh"

# Only the 6.12 kernel: one boot is the demo.
export OSTUNE_KERNEL_METAS=${OSTUNE_DEMO_KERNEL:-6.12-amd64}
start=$SECONDS
dest=$OSTUNE_BUILD/demo
logs=$OSTUNE_BUILD/logs
mkdir -p "$logs"

step()
{
	printf '\n== %s (%ds)\n' "$*" $((SECONDS - start))
}

step "installing what the demo needs (tests/deps.sh; log: $logs/deps.log)"
"$OSTUNE_TOP/tests/deps.sh" >"$logs/deps.log" 2>&1 || { tail -n 20 "$logs/deps.log"; exit 1; }
"$OSTUNE_TOP/tests/kernels.sh" >"$logs/kernels.log" 2>&1 || { tail -n 20 "$logs/kernels.log"; exit 1; }
kver=$(ostune_kvers)

step "building ostune.ko for $kver and the ostune CLI"
OSTUNE_RESULTS=$(mktemp) "$OSTUNE_TOP/tests/tier-build.sh" >"$logs/demo-build.log" 2>&1 || true
[ -f "$OSTUNE_BUILD/$kver/kmod/ostune.ko" ] ||
	{ tail -n 20 "$logs/demo-build.log"; ostune_die "the module did not build"; }
make -s -C "$OSTUNE_TOP/user" >>"$logs/demo-build.log" 2>&1 ||
	{ tail -n 20 "$logs/demo-build.log"; ostune_die "the CLI did not build"; }

step "booting $kver in QEMU (TCG) with ostune.ko; ostune tune runs inside"
log=$OSTUNE_BUILD/vm/$kver/demo.log
rm -f "$log"
# quiet: every knob change is a kernel log line, slow on an emulated console.
OSTUNE_VM_APPEND=quiet OSTUNE_VM_TIMEOUT=${OSTUNE_DEMO_TIMEOUT:-480} \
	"$OSTUNE_TOP/tests/vm/run.sh" "$kver" demo >/dev/null 2>&1 &
vm=$!
# Show the run as it happens: the log grows as the VM writes its serial port.
until [ -f "$log" ]; do sleep 0.2; done
tail -n +1 -f --pid="$vm" "$log" | tr -d '\r' |
	awk '/^OSTUNE-DEMO-TAR-BEGIN/ { skip = 1 } !skip && !/^OSTUNE-VM: / { print; fflush() }
	     /^OSTUNE-DEMO-TAR-END/ { skip = 0 }'
wait "$vm" || ostune_log "the VM did not end cleanly; see $OSTUNE_BUILD/vm/$kver/demo.console.log"

step "copying the output directory back"
rm -rf "$dest"
mkdir -p "$dest"
tr -d '\r' <"$log" | sed -n '/^OSTUNE-DEMO-TAR-BEGIN/,/^OSTUNE-DEMO-TAR-END/p' |
	sed '1d;$d' | base64 -d | tar -xzf - -C "$dest"
[ -f "$dest/ostune-demo/summary.json" ] || ostune_die "no results came back; see $log"

step "result"
cat "$dest/ostune-demo/report.txt"
echo
echo "The run's files are in $dest/ostune-demo/:"
ls -l "$dest/ostune-demo"
printf '\nmake demo took %ds.\n' $((SECONDS - start))

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot one of the test kernels in QEMU (TCG: -enable-kvm hangs on these
# machines) with a fresh initramfs (tests/vm/mkinitramfs.sh) and run the
# run scripts named, tests/vm/run/NAME.sh, in one boot. The two serial
# ports go to
#
#	build/vm/<release>/<names>.console.log	kernel messages, /init's lines
#	build/vm/<release>/<names>.log		what the run scripts printed
#
# and the second is printed when the VM is done. With NAME "shell" among
# them, the console is this terminal instead, for an interactive shell
# (Ctrl-A X quits QEMU), with no time limit. With NAME "systemd" among
# them, the VM boots the systemd flavour of the initramfs (systemd as
# PID 1, tests/vm/systemd-files.sh), which has no selftests, benchmarks or
# python: run it alone.
#
# Usage: tests/vm/run.sh RELEASE [NAME[,NAME...]]   (default modload,selftests)
# Environment: OSTUNE_VM_TIMEOUT  seconds each run script may take (600)
#              OSTUNE_VM_APPEND   more kernel command line
#              OSTUNE_VM_KERNEL   the kernel image, when RELEASE is not one
#                                 of tests/kernels.sh (the debug tier's)
#              OSTUNE_VM_MODULE   the ostune.ko to load, OSTUNE_VM_CLI the
#                                 ostune CLI, instead of the tree's
#                                 (tests/vm/mkinitramfs.sh)
#
# Exits 0 when the VM powered off by itself, 1 when it panicked, hung or
# timed out; whether the tests passed is in the log (tests/tier-vm.sh).

set -euo pipefail

. "$(dirname "$0")/../lib.sh"

kver=${1:?usage: $0 RELEASE [NAME[,NAME...]]}
runs=${2:-modload,selftests}
per_run=${OSTUNE_VM_TIMEOUT:-600}

vmlinuz=${OSTUNE_VM_KERNEL:-$OSTUNE_CACHE/kernels/$kver/boot/vmlinuz-$kver}
[ -f "$vmlinuz" ] || ostune_die "no $vmlinuz (run tests/kernels.sh)"
flavour=busybox
[[ ",$runs," != *,systemd,* ]] || flavour=systemd
initrd=$("$OSTUNE_TOP/tests/vm/mkinitramfs.sh" "$kver" "$flavour")
logs=$OSTUNE_BUILD/vm/$kver
log=$logs/${runs//,/+}.log
console=$logs/${runs//,/+}.console.log

# panic=-1 with -no-reboot: a panic ends QEMU at once instead of waiting
# for the timeout; oops=panic, because after an oops in our module the
# remaining tests would only measure the damage.
# tsc=unstable: QEMU's default CPU has no constant TSC, and a frequency
# change of the fake cpufreq driver would otherwise make the kernel switch
# sched_clock away from the TSC at run time (seen to oops 6.12 under TCG).
append="console=ttyS0 panic=-1 oops=panic tsc=unstable ostune.run=$runs ostune.timeout=$per_run"
append+=" ${OSTUNE_VM_APPEND:-}"
qemu=(qemu-system-x86_64 -accel tcg -m 1024 -smp 2 -nodefaults -display none
      -no-reboot -kernel "$vmlinuz" -initrd "$initrd" -append "$append")
# The niccoal and study runs' lab: two e1000e NICs (a driver with
# coalescing whose QEMU model honours it) on one QEMU hub, so frames one
# sends the other receives. Only in boots that run one of them; the guest
# has no driver for them until the run loads e1000e.ko.
if [[ ",$runs," == *,niccoal,* || ",$runs," == *,study,* ]]; then
	qemu+=(-netdev hubport,hubid=0,id=nic0 -device e1000e,netdev=nic0
	       -netdev hubport,hubid=0,id=nic1 -device e1000e,netdev=nic1)
fi

rm -f "$log" "$console"
if [[ ",$runs," == *,shell,* ]]; then
	exec "${qemu[@]}" -serial mon:stdio -serial "file:$log"
fi

# Every run script gets its own limit inside the VM; this one catches a
# kernel that hangs, plus two minutes to boot and power off.
limit=$(( per_run * $(tr , '\n' <<<"$runs" | wc -l) + 120 ))
rc=0
# Wall and CPU time side by side say how much of a run was the guest
# waiting (sleeps, watchdog expiries) rather than emulating.
TIMEFORMAT="-- qemu $kver $runs: %0Rs wall, %0Us user + %0Ss system CPU"
time timeout -k 10 "$limit" "${qemu[@]}" -serial "file:$console" -serial "file:$log" </dev/null || rc=$?
cat "$log"
if [ "$rc" -ne 0 ]; then
	ostune_log "qemu exited $rc (124: timed out after ${limit}s); see $console"
	exit 1
fi
if ! grep -q '^OSTUNE-VM: poweroff' "$log"; then
	ostune_log "the VM did not power off by itself (panic?); see $console"
	exit 1
fi

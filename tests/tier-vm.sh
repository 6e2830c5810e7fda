#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier 3, the VM tier: build the selftests, then boot every kernel of
# tests/kernels.sh once in QEMU (tests/vm/run.sh) with the module built by
# tests/tier-build.sh, and run the run scripts in $OSTUNE_VM_RUNS (default
# modload,fixtures,selftests,tune,llm,ynl,export,boot,watch,fuzz,energy,niccoal,study; then the boots
# below). Each TAP result is a case (tests/vm/tap.awk), and so is a clean
# kernel log per boot: no splat on the console.
#
# fuzz: selftests/ostune_fuzz, OSTUNE_FUZZ_MESSAGES (100000) messages as
# root, nobody and a user namespace's root; about a minute per kernel.
#
# Usage: tests/tier-vm.sh  (results to $OSTUNE_RESULTS, see tests/lib.sh)
# Environment: OSTUNE_VM_RUNS, OSTUNE_FUZZ_MESSAGES, OSTUNE_FUZZ_SEED

set -euo pipefail

. "$(dirname "$0")/lib.sh"

runs=${OSTUNE_VM_RUNS:-modload,fixtures,selftests,tune,llm,ynl,export,boot,watch,fuzz,energy,niccoal,study}
export OSTUNE_VM_TIMEOUT=${OSTUNE_VM_TIMEOUT:-300}
OSTUNE_VM_APPEND="${OSTUNE_VM_APPEND:-} ostune.fuzz_messages=${OSTUNE_FUZZ_MESSAGES:-100000}"
[ -z "${OSTUNE_FUZZ_SEED:-}" ] || OSTUNE_VM_APPEND+=" ostune.fuzz_seed=$OSTUNE_FUZZ_SEED"
export OSTUNE_VM_APPEND

# Kernel messages that mean something went wrong, whoever caused it.
SPLAT='BUG:|kernel BUG|WARNING:|Oops|general protection|Call Trace|kernel read not supported'
SPLAT+='|UBSAN|KASAN|lockdep|Kernel panic|soft lockup|hard LOCKUP|detected stall'
SPLAT+='|blocked for more than|list_(add|del) corruption|refcount_t:'

selftests_case()
{
	local log=$OSTUNE_BUILD/logs/selftests-build.log

	mkdir -p "${log%/*}"
	if [ ! -f "$OSTUNE_TOP/selftests/Makefile" ]; then
		ostune_result FAIL "vm: selftests build" "cannot run: selftests/Makefile does not exist"
	elif make -C "$OSTUNE_TOP/selftests" >"$log" 2>&1; then
		ostune_result PASS "vm: selftests build"
	else
		tail -n 20 "$log"
		ostune_result FAIL "vm: selftests build" "see $log"
	fi
}

vm_kernel()
{
	local kver=$1 log console start secs splat

	if [ ! -f "$OSTUNE_BUILD/$kver/kmod/ostune.ko" ]; then
		ostune_result FAIL "vm $kver: boots" "cannot run: the module did not build for $kver"
		return 0
	fi

	log=$OSTUNE_BUILD/vm/$kver/${runs//,/+}.log
	console=$OSTUNE_BUILD/vm/$kver/${runs//,/+}.console.log
	start=$(date +%s)
	rm -f "$log" "$console"
	# Its exit status only says whether the VM powered off by itself; the
	# log says more.
	"$OSTUNE_TOP/tests/vm/run.sh" "$kver" "$runs" || true
	secs=$(( $(date +%s) - start ))
	if [ ! -f "$log" ] || [ ! -f "$console" ]; then
		ostune_result FAIL "vm $kver: boots" "QEMU did not run, see the tier's log"
		return 0
	fi
	ostune_log "vm $kver: ${secs}s (boot to /init: $(sed -n -e 's/\r$//' \
		-e 's/^OSTUNE-VM: boot .* uptime=//p' "$log")s), logs: $log $console"

	awk -v kver="$kver" -v runs="$runs${also_runs:+,$also_runs}" -f "$OSTUNE_TOP/tests/vm/tap.awk" "$log" |
		while IFS=$'\t' read -r status name reason; do
			ostune_result "$status" "$name" "$reason"
		done

	# Only the kernel's lines: they carry a [timestamp]; what the tests
	# print could contain the words too.
	splat=$(tr -d '\r' <"$console" | grep -E '^\[ *[0-9]+\.[0-9]+\]' |
		grep -E -m1 "$SPLAT" || true)
	if [ -n "$splat" ]; then
		ostune_result FAIL "vm $kver: kernel log clean" "$splat (see $console)"
	else
		ostune_result PASS "vm $kver: kernel log clean"
	fi
}

# The user tier builds it; the VM tests need it.
[ -x "$OSTUNE_TOP/user/ostune" ] ||
	ostune_result FAIL "vm: user/ostune is in the VM" "not built (make -C user)"
selftests_case
# Assigned first: a failure inside $(...) in a for list would go unnoticed.
kvers=$(ostune_kvers)
for kver in $kvers; do
	vm_kernel "$kver"
done
# Unless the runs were chosen by hand, two more short boots per kernel: a
# host without cpufreq, and systemd as PID 1 running ostune-apply.service
# (the systemd flavour of the initramfs, run/systemd.sh).
if [ -z "${OSTUNE_VM_RUNS:-}" ]; then
	for kver in $kvers; do
		runs=modload,nocpufreq OSTUNE_VM_APPEND=cpufreq.off=1 vm_kernel "$kver"
		# ostune-vm-setup.service runs systemd-shutdown at the power off.
		runs=systemd also_runs=systemd-shutdown vm_kernel "$kver"
	done
fi

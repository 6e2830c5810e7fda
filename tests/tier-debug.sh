#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier 4, the debug kernel: linux-source-6.1 built with KUnit, KASAN,
# lockdep, atomic-sleep checks, kmemleak and failslab (tests/debug-kernel.sh,
# cached), the module and fixtures built against it (with KUnit suites,
# W=1, -Werror), then one boot in QEMU running
#
#	kunit      the module's KUnit suites (kmod/tests/)
#	modload    unload and load again
#	selftests  the VM tier's selftests
#	watch      ostune watch on traffic between network namespaces; one
#	           skip while this kernel has no NET_NS or VETH
#	fuzz       the netlink fuzzer as root, nobody and a user namespace's
#	           root (this kernel has no user namespaces: nobody in a
#	           mount namespace of decoys instead), 100000 messages or
#	           240 s, whichever comes first
#	fault      allocation failures in every request
#	races      kill -9, watchdog, rmmod, readers and CPU hotplug races
#	niccoal    the nic coalescing knobs on two e1000e NICs (built in),
#	           a driver unbind while held among them
#	kmemleak   rmmod, then kmemleak must find nothing
#
# Every TAP result is a case (tests/vm/tap.awk), and so is a clean kernel
# log: any KASAN report, lockdep splat, WARN, BUG, sleeping in atomic
# context and the like fails it. The stacks failslab prints for the
# failures ostune_fault injects on purpose are not splats.
#
# Beside the rest, on the host: the libFuzzer harnesses of user/fuzz/
# (knob names, profiles, tuning configs), each for OSTUNE_USER_FUZZ_SECONDS
# (25), one case each; then the unit tests under valgrind (make -C user
# memcheck), one case. They run at nice 19, on what the VMs leave of the
# CPUs: the fuzzers are bounded by time, not by inputs.
#
# Usage: tests/tier-debug.sh  (results to $OSTUNE_RESULTS, see tests/lib.sh)
# Environment: OSTUNE_DEBUG_RUNS      run scripts (the list above)
#              OSTUNE_FUZZ_MESSAGES   messages the fuzzer sends (100000)
#              OSTUNE_FUZZ_SECONDS    the fuzzer's time budget (240)
#              OSTUNE_FUZZ_SEED       the fuzzer's seed (default: the time)
#              OSTUNE_USER_FUZZ_SECONDS  each libFuzzer harness's run (25)

set -euo pipefail

. "$(dirname "$0")/lib.sh"

runs=${OSTUNE_DEBUG_RUNS:-kunit,modload,selftests,watch,fuzz,fault,races,niccoal,kmemleak}
# KASAN and lockdep make everything several times slower.
export OSTUNE_VM_TIMEOUT=${OSTUNE_DEBUG_VM_TIMEOUT:-900}
JOBS=${JOBS:-$(nproc)}
FIXTURES=selftests/fixtures
logs=$OSTUNE_BUILD/logs/debug
mkdir -p "$logs"

SPLAT='BUG:|kernel BUG|WARNING:|Oops|general protection|Call Trace|kernel read not supported'
SPLAT+='|UBSAN|KASAN|lockdep is turned off|DEBUG_LOCKS_WARN_ON|Kernel panic|soft lockup|hard LOCKUP|detected stall'
SPLAT+='|blocked for more than|list_(add|del) corruption|refcount_t:'
SPLAT+='|sleeping function called from invalid context|inconsistent lock state'
SPLAT+='|possible (circular|recursive) locking|suspicious RCU usage|bad unlock balance'
SPLAT+='|held lock freed|lock held when returning|suspected memory leaks|kmemleak_object'

user_fuzz()
{
	local secs=${OSTUNE_USER_FUZZ_SECONDS:-25} h log
	local fz=(make -C "$OSTUNE_TOP/user/fuzz" OUT="$OSTUNE_BUILD/fuzz")

	if ! "${fz[@]}" >"$logs/user-fuzz-build.log" 2>&1; then
		ostune_result FAIL "debug: libFuzzer harnesses build" "see $logs/user-fuzz-build.log"
		return 0
	fi
	for h in $("${fz[@]}" -s --no-print-directory print-harnesses); do
		log=$logs/user-$h.log
		if "${fz[@]}" run HARNESSES="$h" SECONDS="$secs" >"$log" 2>&1; then
			ostune_result PASS "debug: $h, ${secs}s of libFuzzer ($(sed -n 's/^stat::number_of_executed_units: //p' "$log") inputs)"
		else
			ostune_result FAIL "debug: $h, ${secs}s of libFuzzer" "$(grep -m1 -E 'ERROR|SUMMARY' "$log"), see $log"
		fi
	done
}

user_memcheck()
{
	local log=$logs/user-memcheck.log
	local name="debug: the unit tests under valgrind: no memory error, no definite leak"

	if make -C "$OSTUNE_TOP/user" memcheck >"$log" 2>&1; then
		ostune_result PASS "$name"
	else
		ostune_result FAIL "$name" "$(grep -m1 -E '^==[0-9]+== [A-Z]|FAIL' "$log"), see $log"
	fi
}

(renice -n 19 -p "$BASHPID" >/dev/null; user_fuzz; user_memcheck) &
user_fuzz_pid=$!
# Every exit waits for them: their cases belong to this tier's results.
trap 'wait "$user_fuzz_pid" || true' EXIT

if ! kdir=$("$OSTUNE_TOP/tests/debug-kernel.sh" 2>"$logs/kernel.log"); then
	tail -n 20 "$logs/kernel.log"
	ostune_result FAIL "debug: kernel builds" "see $logs/kernel.log"
	exit 0
fi
ostune_result PASS "debug: kernel builds ($(grep -o 'built in [0-9]*s' "$logs/kernel.log" || echo cached))"
kver=$(cat "$kdir/include/config/kernel.release")
bdir=$OSTUNE_BUILD/$kver

# As tests/tier-build.sh does it: a copy laid out as the tree, so that
# tests/vm/mkinitramfs.sh finds build/<release>/kmod/ostune.ko and the
# fixtures as for any other kernel.
mkdir -p "$bdir"
cp -p "$OSTUNE_TOP/Kbuild" "$bdir/Kbuild"
[ ! -f "$OSTUNE_TOP/VERSION" ] || cp -p "$OSTUNE_TOP/VERSION" "$bdir/VERSION"
ostune_mirror_sources "$OSTUNE_TOP/kmod" "$bdir/kmod"
ostune_mirror_sources "$OSTUNE_TOP/include" "$bdir/include"
ostune_mirror_sources "$OSTUNE_TOP/$FIXTURES" "$bdir/$FIXTURES"

for m in "$bdir" "$bdir/$FIXTURES"; do
	name=${m#"$bdir"}
	name="debug: ${name:+fixtures }build against $kver with KUnit (W=1, -Werror)"
	log=$logs/build${m#"$bdir"}.log
	log=${log//\/selftests\/fixtures/-fixtures}
	if make -C "$kdir" M="$m" W=1 KCFLAGS=-Werror -j"$JOBS" modules >"$log" 2>&1 &&
	   ! grep -i 'warning:' "$log" | grep -q -v -E '^make(\[[0-9]+\])?: '; then
		ostune_result PASS "$name"
	else
		ostune_result FAIL "$name" "see $log"
	fi
done
if [ ! -f "$bdir/kmod/ostune.ko" ]; then
	ostune_result FAIL "debug: boots" "cannot run: the module did not build"
	exit 0
fi
if ! make -C "$OSTUNE_TOP/selftests" >"$logs/selftests-build.log" 2>&1; then
	ostune_result FAIL "debug: selftests build" "see $logs/selftests-build.log"
fi

log=$OSTUNE_BUILD/vm/$kver/${runs//,/+}.log
console=$OSTUNE_BUILD/vm/$kver/${runs//,/+}.console.log
start=$SECONDS
rm -f "$log" "$console"
# KASAN and lockdep slow every request: the fuzzer's run is bounded by
# time too, so that the boot fits in CI's time beside the VM tier.
append="log_buf_len=16M ostune.fuzz_messages=${OSTUNE_FUZZ_MESSAGES:-100000}"
# The e1000e NICs' IRQ routing at boot (ACPI's _PRT run by the AML
# interpreter under KASAN and TCG) held a CPU 26 s on a loaded machine:
# RCU's 21 s stall warning fired. A real stall lasts; 90 s still sees it.
append+=" rcupdate.rcu_cpu_stall_timeout=90"
append+=" ostune.fuzz_seconds=${OSTUNE_FUZZ_SECONDS:-240}"
[ -z "${OSTUNE_FUZZ_SEED:-}" ] || append+=" ostune.fuzz_seed=$OSTUNE_FUZZ_SEED"
OSTUNE_VM_KERNEL=$kdir/arch/x86/boot/bzImage OSTUNE_VM_APPEND="$append" \
	"$OSTUNE_TOP/tests/vm/run.sh" "$kver" "$runs" || true
if [ ! -f "$log" ] || [ ! -f "$console" ]; then
	ostune_result FAIL "debug: boots" "QEMU did not run, see the tier's log"
	exit 0
fi
ostune_log "debug $kver: $((SECONDS - start))s in QEMU, logs: $log $console"

awk -v kver="$kver" -v runs="$runs" -f "$OSTUNE_TOP/tests/vm/tap.awk" "$log" |
	while IFS=$'\t' read -r status name reason; do
		ostune_result "$status" "$name" "$reason"
	done

# The kernel's own lines (they carry a [timestamp]), less the stacks of
# the failures injected on purpose: each runs from its FAULT_INJECTION
# line to the end of its trace.
splat=$(tr -d '\r' <"$console" | grep -E '^\[ *[0-9]+\.[0-9]+\]' |
	awk '/FAULT_INJECTION: forcing a failure/ { skip = 1 }
	     !skip { print }
	     skip && /<\/TASK>/ { skip = 0 }' |
	grep -E -m1 "$SPLAT" || true)
if [ -n "$splat" ]; then
	ostune_result FAIL "debug $kver: kernel log clean" "$splat (see $console)"
else
	ostune_result PASS "debug $kver: kernel log clean"
fi

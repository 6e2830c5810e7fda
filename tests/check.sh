#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make check`: install the prerequisites, then run the test tiers and
# count their cases. The last line is "N passed, N failed" (", N skipped"
# when any were); the exit status is non-zero when anything failed or a
# tier could not run.
#
#	user	tests/tier-user.sh   host unit tests of userspace
#	build	tests/tier-build.sh  module build matrix, sparse, checkpatch
#	package	tests/tier-package.sh  DKMS, make install, the Debian packages
#	                             (built, installed, booted, purged), man page,
#	                             completion, netlink spec, exports and reports
#	vm	tests/tier-vm.sh     the module, CLI and selftests in QEMU
#	debug	tests/tier-debug.sh  KUnit, selftests, fuzzing, faults and races
#	                             on a debug kernel (KASAN, lockdep, kmemleak)
#
# The user, build and package tiers run side by side, and so does the debug
# kernel's build (tests/debug-kernel.sh, once: it is cached). Then the VM
# and debug tiers run side by side too: each QEMU keeps about one core busy,
# and the debug tier's boot is the longest part of the check, so the VM
# tier's two boots fit beside it. Both need the user and build tiers'
# products and the selftests, built once here before they start.
#
# Usage: tests/check.sh [TIER...]   (default: all)

set -euo pipefail

. "$(dirname "$0")/lib.sh"

tiers=("$@")
[ ${#tiers[@]} -gt 0 ] || tiers=(user build package vm debug)
for tier in "${tiers[@]}"; do
	case $tier in
	user | build | package | vm | debug) ;;
	*) ostune_die "unknown tier '$tier' (user, build, package, vm, debug)" ;;
	esac
done

results=$OSTUNE_BUILD/results
logs=$OSTUNE_BUILD/logs
rm -rf "$results"
mkdir -p "$results" "$logs"
# Only there to stop a hang: the whole check takes minutes.
TIER_TIMEOUT=${TIER_TIMEOUT:-1800}

selected()
{
	[[ " ${tiers[*]} " == *" $1 "* ]]
}

# run_tier NAME: tests/tier-NAME.sh, its output to the tier's log. A tier
# script that exits non-zero without a failed case could not run: say so.
run_tier()
{
	local tier=$1 rc=0 start=$SECONDS

	export OSTUNE_RESULTS=$results/$tier.tsv
	touch "$OSTUNE_RESULTS"
	timeout "$TIER_TIMEOUT" "$OSTUNE_TOP/tests/tier-$tier.sh" >"$logs/$tier.log" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ] && ! grep -q '^FAIL' "$OSTUNE_RESULTS"; then
		ostune_result FAIL "$tier: tier runs" \
			"tests/tier-$tier.sh exited $rc, see $logs/$tier.log" >>"$logs/$tier.log"
	fi
	echo $((SECONDS - start)) >"$results/$tier.secs"
}

# Without these no tier can run: each selected tier then fails for it.
prerequisites()
{
	local step start tier

	for step in deps kernels; do
		start=$SECONDS
		if ! "$OSTUNE_TOP/tests/$step.sh" >"$logs/$step.log" 2>&1; then
			cat "$logs/$step.log"
			for tier in "${tiers[@]}"; do
				OSTUNE_RESULTS=$results/$tier.tsv ostune_result FAIL "$tier: tier runs" \
					"not run: tests/$step.sh failed, see $logs/$step.log" >/dev/null
			done
			return 1
		fi
		echo "-- tests/$step.sh: $((SECONDS - start))s"
	done
}

count()
{
	grep -c "^$1	" "$2" || true
}

report_tier()
{
	local tier=$1 file=$results/$1.tsv secs

	secs=$(cat "$results/$tier.secs" 2>/dev/null || echo -)
	printf '== %-5s %3d passed %3d failed %3d skipped  %4ss  %s\n' "$tier" \
		"$(count PASS "$file")" "$(count FAIL "$file")" "$(count SKIP "$file")" \
		"$secs" "${logs#"$OSTUNE_TOP"/}/$tier.log"
	# The user tier may count its cases without naming them.
	awk -F '\t' '$1 == "FAIL" { print "   FAIL " $2 ($3 != "" ? ": " $3 : "") }' "$file" |
		uniq -c | sed -E 's/^ *1 //; s/^ *([0-9]+) (.*)/\2 (x\1)/'
}

if prerequisites; then
	pids=()
	for tier in user build package; do
		if selected "$tier"; then
			run_tier "$tier" &
			pids+=($!)
		fi
	done
	# Its time shows in the debug tier's log, which finds it cached.
	if selected debug; then
		"$OSTUNE_TOP/tests/debug-kernel.sh" >"$logs/debug-kernel.log" 2>&1 &
		pids+=($!)
	fi
	for pid in "${pids[@]}"; do
		wait "$pid" || true
	done
	# Each tier reports a failure of this build as its own case.
	if selected vm || selected debug; then
		make -C "$OSTUNE_TOP/selftests" >"$logs/selftests-build.log" 2>&1 || true
	fi
	pids=()
	for tier in vm debug; do
		if selected "$tier"; then
			run_tier "$tier" &
			pids+=($!)
		fi
	done
	for pid in "${pids[@]}"; do
		wait "$pid" || true
	done
fi

for tier in "${tiers[@]}"; do
	report_tier "$tier"
done

all=$(cat "$results"/*.tsv)
passed=$(grep -c '^PASS' <<<"$all" || true)
failed=$(grep -c '^FAIL' <<<"$all" || true)
skipped=$(grep -c '^SKIP' <<<"$all" || true)
if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Tier 1, host unit tests of userspace: `make -C user` (the CLI, which the
# VM tier needs too), `make -C bench` and `make -C user check`. The counts are taken from
# the check's output: its last "N passed, N failed[, N skipped]" line, or
# else its TAP lines, or else its exit status as one case.
#
# Usage: tests/tier-user.sh  (results to $OSTUNE_RESULTS, see tests/lib.sh)

set -euo pipefail

. "$(dirname "$0")/lib.sh"

logs=$OSTUNE_BUILD/logs
mkdir -p "$logs"

if [ ! -f "$OSTUNE_TOP/user/Makefile" ]; then
	ostune_result FAIL "user: unit tests" "cannot run: user/Makefile does not exist"
	exit 0
fi

if make -C "$OSTUNE_TOP/user" >"$logs/user-build.log" 2>&1; then
	ostune_result PASS "user: ostune builds"
else
	tail -n 20 "$logs/user-build.log"
	ostune_result FAIL "user: ostune builds" "see $logs/user-build.log"
fi

# The benchmarks are not run here (make bench), but they must build.
if make -C "$OSTUNE_TOP/bench" >"$logs/bench-build.log" 2>&1; then
	ostune_result PASS "user: benchmarks build"
else
	tail -n 20 "$logs/bench-build.log"
	ostune_result FAIL "user: benchmarks build" "see $logs/bench-build.log"
fi

log=$logs/user-check.log
rc=0
make -C "$OSTUNE_TOP/user" check >"$log" 2>&1 || rc=$?
cat "$log"

summary=$(grep -E '^([A-Za-z]+: )?[0-9]+ passed, [0-9]+ failed(, [0-9]+ skipped)?$' "$log" |
	tail -n1 || true)
if [ -n "$summary" ]; then
	read -r passed failed skipped <<<"$(sed -E 's/^([A-Za-z]+: )?//; s/[^0-9]+/ /g' <<<"$summary")"
	for _ in $(seq "$passed"); do ostune_result PASS "user: unit test" >/dev/null; done
	for _ in $(seq "${skipped:-0}"); do ostune_result SKIP "user: unit test" >/dev/null; done
	for _ in $(seq "$failed"); do ostune_result FAIL "user: unit test" "see $log" >/dev/null; done
	printf 'user: %s\n' "$summary"
	(( rc == 0 || failed > 0 )) ||
		ostune_result FAIL "user: make check exits 0" "exited $rc, see $log"
elif grep -q -E '^(not )?ok [0-9]+' "$log"; then
	failed=0
	while read -r line; do
		case $line in
		"not ok"*)
			failed=$((failed + 1))
			ostune_result FAIL "user: ${line#not ok }" "see $log" ;;
		*"# SKIP"* | *"# skip"*)
			ostune_result SKIP "user: ${line#ok }" ;;
		*)
			ostune_result PASS "user: ${line#ok }" ;;
		esac
	done < <(grep -E '^(not )?ok [0-9]+' "$log")
	(( rc == 0 || failed > 0 )) ||
		ostune_result FAIL "user: make check exits 0" "exited $rc, see $log"
elif [ "$rc" -eq 0 ]; then
	ostune_result PASS "user: make check"
else
	ostune_result FAIL "user: make check" "exited $rc, see $log"
fi

# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash
#
# TAP for the run scripts, sourced from /ostune/tap.sh: one line per check,
# the plan last (tap_done). Set TAP_PREFIX before sourcing to name every
# test ("ynl: "); each diagnostic is a "# " line. wait_for waits for
# what a check looks at next.

n=0
nfailed=0

ok()
{
	n=$((n + 1))
	echo "ok $n - ${TAP_PREFIX:-}$*"
}

not_ok()
{
	n=$((n + 1))
	nfailed=$((nfailed + 1))
	echo "not ok $n - ${TAP_PREFIX:-}$*"
}

# skip DESCRIPTION WHY
skip()
{
	n=$((n + 1))
	echo "ok $n - ${TAP_PREFIX:-}$1 # SKIP $2"
}

diag()
{
	echo "# $*"
}

# check DESCRIPTION COMMAND...: one test, passed when COMMAND succeeds;
# COMMAND explains a failure with diag lines.
check()
{
	local desc="$1"

	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
	fi
}

# wait_for SECONDS COMMAND...: until COMMAND succeeds, or false.
wait_for()
{
	local limit=$(($(date +%s) + $1))

	shift
	until "$@"; do
		[ "$(date +%s)" -lt "$limit" ] || return 1
		sleep 0.2
	done
}

# The plan; the status says whether every test passed.
tap_done()
{
	echo "1..$n"
	[ "$nfailed" -eq 0 ]
}

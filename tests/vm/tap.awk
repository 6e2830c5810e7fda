# SPDX-License-Identifier: GPL-2.0
#
# Turn the log of one VM boot (tests/vm/run.sh, protocol in tests/vm/init)
# into test cases, one per line: STATUS<TAB>NAME<TAB>REASON, STATUS being
# PASS, FAIL or SKIP. Every TAP "ok"/"not ok" line of a run script is a
# case, named "vm <release> <run>[/<program>]: <description>"; so is every
# way a run can fall short: fewer results than its plan, no result at all,
# a non-zero exit with nothing failed, no END marker (hang, panic, timeout),
# or never started.
#
# Usage: awk -v kver=RELEASE -v runs=NAME[,NAME...] -f tap.awk LOG

function result(status, name, reason)
{
	printf "%s\t%s\t%s\n", status, name, reason
}

function where()
{
	return "vm " kver " " run (prog != "" ? "/" prog : "")
}

# A TAP stream ends at the next "TAP version", "# program:" or END.
function end_stream()
{
	if (plan > count)
		result("FAIL", where() ": all tests report",
		       "only " count " of the " plan " planned tests reported")
	plan = -1
	count = 0
}

BEGIN {
	n = split(runs, wanted, ",")
	run = ""
	plan = -1
}

{ sub(/\r$/, "") }

/^OSTUNE-VM: BEGIN / && $3 != "dmesg" {
	run = $3
	prog = ""
	started[run] = 1
	run_results = 0
	run_failed = 0
	diag = ""
	next
}

/^OSTUNE-VM: END / && run != "" {
	end_stream()
	prog = ""
	rc = $4
	sub(/^rc=/, "", rc)
	if (rc == 137)
		result("FAIL", where() ": finishes in time",
		       "killed at ostune.timeout; the blocked tasks are in the console log")
	else if (run_results == 0)
		result("FAIL", where() ": reports results", "no TAP result at all (rc=" rc ")")
	else if (rc != 0 && run_failed == 0)
		result("FAIL", where() ": exits 0", "exited " rc " with no failed test")
	finished[run] = 1
	run = ""
	next
}

run == "" { next }

/^# program: / {
	end_stream()
	prog = substr($0, length("# program: ") + 1)
	diag = ""
	next
}

/^TAP version / { end_stream(); diag = ""; next }

# kselftest_harness.h announces each test; 6.1's prints no name on a SKIP.
/^#  RUN / { last_run = $3; diag = ""; next }

# A program that sums up (the fuzzer) names what went wrong as a
# "problem" ("# root: problem: ..."): that, before anything else it said.
/^# ([a-z-]+: )?problem: / && diag !~ /problem: / { diag = substr($0, 3); next }

# The first thing a test says about itself names a failure best.
/^# / && diag == "" && $2 !~ /^(OK|FAIL|SKIP|PASSED:|FAILED:|Totals:|Starting)$/ {
	diag = substr($0, 3)
	next
}

/^1\.\.[0-9]+/ { plan = substr($1, 4) + 0; next }

/^(not )?ok [0-9]+/ {
	failed = ($1 == "not")
	desc = $0
	sub(/^(not )?ok [0-9]+ *(- *)?/, "", desc)
	directive = ""
	if (desc ~ /^# /) {
		directive = substr(desc, 3)
		desc = last_run != "" ? last_run : "test " (failed ? $3 : $2)
	} else if ((i = index(desc, " # ")) > 0) {
		directive = substr(desc, i + 3)
		desc = substr(desc, 1, i - 1)
	}
	last_run = ""
	count++
	run_results++
	if (toupper(directive) ~ /^SKIP/) {
		sub(/^[Ss][Kk][Ii][Pp] */, "", directive)
		result("SKIP", where() ": " desc, directive)
	} else if (failed) {
		run_failed++
		result("FAIL", where() ": " desc, directive != "" ? directive : \
		       diag != "" ? substr(diag, 1, 200) : "see the log")
	} else {
		result("PASS", where() ": " desc, "")
	}
	diag = ""
}

END {
	if (run != "") {
		end_stream()
		prog = ""
		result("FAIL", where() ": finishes",
		       "no END marker: the VM hung, panicked or timed out")
		finished[run] = 1
	}
	for (i = 1; i <= n; i++) {
		if (!(wanted[i] in started)) {
			run = wanted[i]
			prog = ""
			result("FAIL", where() ": starts", "the VM never ran it")
		}
	}
}

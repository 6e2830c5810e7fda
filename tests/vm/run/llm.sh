#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash
#
# ostune tune with the llm tuner in the VM, on the module, against the
# scripted endpoint (/ostune/llm/scripted-server.py, user/tests/llm/).
# The script mixes a good proposal, out-of-domain values with a dangerous
# sysctl and a knob outside the space, an answer naming no knob of the
# space, a 500 and prose. Checks the history's reasons and llm.jsonl;
# that the module's own event stream (ostune monitor) saw only knobs of
# the space with values inside their domains; that every knob is back at
# the end; that the API key is in no file of the run directory and not
# in what ostune printed; and that a run killed with -9 and resumed
# replays the recorded answer instead of asking again. Then llm+bo: the
# model's point, bo inside its ranges, a 429 and an answer slower than
# timeout_s falling back to bo, the session held through the wait (well
# past watchdog_s) and nothing restored by the watchdog. TAP, one line
# per check; the plan comes last.

. /ostune/tap.sh
T=/tmp/llm-test
KEY=sk-vm-5e0d1c2b3a49-SECRET
export OSTUNE_TEST_LLM_KEY=$KEY
KNOBS="sysctl.vm.swappiness sched.nr_migrate"

# serve NAME: the scripted server answering $T/NAME.script in $T/NAME.server;
# its port in $port, its pid in $server.
serve()
{
	mkdir -p $T/$1.server
	python3 /ostune/llm/scripted-server.py $T/$1.script $T/$1.server &
	server=$!
	wait_for 120 test -f $T/$1.server/port || diag "the server wrote no port within 120 s"
	port=$(cat $T/$1.server/port)
}

# config NAME ITERATIONS TARGET_SHELL [TUNER WATCHDOG_S TIMEOUT_S OPTIONS]:
# the run's config, $T/NAME.json; llm, 10 s, 60 s and none unless given
config()
{
	cat >$T/$1.json <<EOC
{"target": {"type": "command", "shell": "$3",
            "metrics": {"lat": {"key": "lat"}}},
 "objective": {"metric": "lat", "goal": "minimize"},
 "space": {"sysctl.vm.swappiness": {"min": 0, "max": 100},
           "sched.nr_migrate": {"min": 4, "max": 128}},
 "window": {"seconds": 0.05, "warmup": 0, "repeats": 2, "settle_s": 0,
            "max_spread": 10, "anchor_every": 0},
 "budget": {"iterations": $2}, "seed": 3, "watchdog_s": ${5:-10}, "verify": false,
 "tuner": {"name": "${4:-llm}", "endpoint": "http://127.0.0.1:$port/v1", "model": "scripted",
           "api_key_env": "OSTUNE_TEST_LLM_KEY", "timeout_s": ${6:-60}${7:-}},
 "output": "$T/$1"}
EOC
}

# why NAME ITERATION TEXT: the history of run NAME gives ITERATION a
# reason holding TEXT
why()
{
	grep "^{\"iteration\":$2,.*\"why\":" $T/$1/history.jsonl | grep -q -F "$3"
}

# applied NAME ITERATION KNOB LOW HIGH: run NAME applied to KNOB at
# ITERATION a value from LOW to HIGH
applied()
{
	local v

	v=$(grep "^{\"iteration\":$2,.*\"knobs\":" $T/$1/history.jsonl | head -n 1 |
		grep -o "\"$3\": *\"-*[0-9]*\"" | cut -d '"' -f 4)
	[ -n "$v" ] && [ "$v" -ge "$4" ] && [ "$v" -le "$5" ] && return 0
	diag "$3 at iteration $2: '$v'"
	return 1
}

# ended NAME RC ITERATIONS: run NAME exited RC; its server is stopped,
# its last errors shown; it exited 0 with a result for the baseline and
# each of its ITERATIONS configurations
ended()
{
	kill $server
	sed 's/^/# /' $T/$1.err | tail -n 5
	check "$1: tune against the scripted server exits 0 ($2)" [ "$2" -eq 0 ]
	check "$1: each configuration has its result (the baseline and $3)" \
		[ "$(grep '"result"' $T/$1/history.jsonl | grep -o '"iteration":[0-9]*' | sort -u | wc -l)" -eq $(($3 + 1)) ]
}

session_none()
{
	ostune status | grep -q '^session: none'
}

# Every event after the first SKIP lines of $T/events: a knob of the
# space, its value inside its domain; what is not is listed.
events_in_space()
{
	python3 - $T/events "$1" <<'EOF'
import json, sys
domain = {"sysctl.vm.swappiness": (0, 100), "sched.nr_migrate": (4, 128)}
bad = 0
for line in open(sys.argv[1]).read().splitlines()[int(sys.argv[2]):]:
    e = json.loads(line)
    lo, hi = domain.get(e["name"], (1, 0))
    if not (e["value"].lstrip("-").isdigit() and lo <= int(e["value"]) <= hi):
        print("# outside the space: " + line)
        bad = 1
sys.exit(bad)
EOF
}

# The last event is the marker's restore: no more of it is to come.
marker_seen()
{
	tail -n 1 $T/events | grep '"name": *"sysctl.vm.stat_interval"' | grep -v -q '"reason": *"apply"'
}

mkdir -p $T
before=$(ostune get $KNOBS 2>&1)
diag "knobs before: $(echo "$before" | tr '\n' ' ')"

# The module's event stream for the whole test; a marker change (applied
# and restored by exec) says the listener has joined.
ostune monitor --json >$T/events 2>$T/monitor.err &
monitor=$!
wait_for 120 sh -c 'ostune exec -s sysctl.vm.stat_interval=2 -- true; grep -q stat_interval '$T/events
wait_for 60 marker_seen || diag "the monitor saw no marker within 60 s"
skip=$(wc -l <$T/events)

# ---- proposals, refusals and fallbacks
cat >$T/mixed.script <<'EOF'
[{"content": "{\"knobs\": {\"sysctl.vm.swappiness\": 10, \"sched.nr_migrate\": 8}, \"reason\": \"less swapping\"}"},
 {"content": "{\"knobs\": {\"sysctl.vm.swappiness\": 150, \"sched.nr_migrate\": 100000, \"sysctl.kernel.modprobe\": \"/tmp/evil\", \"sysctl.kernel.sched_rt_runtime_us\": -1}, \"reason\": \"more\"}"},
 {"status": 500, "body": "oops"},
 {"content": "I think you should lower the swappiness."},
 {"content": "{\"knobs\": {\"sysctl.kernel.modprobe\": \"/tmp/evil\"}, \"reason\": \"escape\"}"}]
EOF
serve mixed
config mixed 5 'echo lat=$OSTUNE_WINDOW_S'
ostune tune $T/mixed.json >$T/mixed.out 2>$T/mixed.err
ended mixed $? 5
check "a good proposal is tried with its reason" why mixed 1 '"why":"llm: less swapping"'
check "out-of-domain values are projected into the domain" \
	why mixed 2 'sysctl.vm.swappiness 150 projected to 100'
check "a dangerous sysctl is refused as outside the space" \
	why mixed 2 'refused sysctl.kernel.modprobe: not in the space'
check "llm.jsonl notes every projection and refusal, the history's why being short" \
	sh -c 'grep -q -F "\"notes\":\"sysctl.vm.swappiness 150 projected to 100; sched.nr_migrate 100000 projected to 128; refused sysctl.kernel.modprobe: not in the space; refused sysctl.kernel.sched_rt_runtime_us: not in the space\"" "$0"' \
	$T/mixed/llm.jsonl
check "a 500 falls back to bo and says so" why mixed 3 'bo, as the model failed (HTTP 500)'
check "prose falls back to bo and says so" \
	why mixed 4 'bo, as the model failed (the answer holds no JSON object'
check "an answer naming no knob of the space falls back to bo" \
	why mixed 5 'bo, as the model failed (the answer sets no knob of the space)'
check "llm.jsonl has a record per suggestion (5)" [ "$(wc -l <$T/mixed/llm.jsonl)" -eq 5 ]
check "llm.jsonl records the 500 as a fallback" \
	sh -c 'grep "\"status\":500" "$0" | grep -q "\"fallback\":true"' $T/mixed/llm.jsonl
check "summary.json counts the calls (5) and the fallbacks (3)" \
	sh -c 'grep -E -q "\"calls\": 5([^0-9]|$)" "$0" && grep -E -q "\"fallbacks\": 3([^0-9]|$)" "$0"' $T/mixed/summary.json
check "the endpoint got the key in its header" \
	[ "$(grep -c -F "\"authorization\": \"Bearer $KEY\"" $T/mixed.server/requests.jsonl)" -eq 5 ]
check "the key is in no file of the run directory" [ -z "$(grep -r -l -F "$KEY" $T/mixed)" ]
check "the key is not in what ostune printed" \
	sh -c '! grep -q -F "$0" "$1" "$2"' "$KEY" $T/mixed.out $T/mixed.err
check "every knob is back at its original value" [ "$before" = "$(ostune get $KNOBS 2>&1)" ]
check "no session is left open" session_none

# ---- kill -9 while suggestion 2 is measured, then --resume
cat >$T/resume.script <<'EOF'
[{"content": "{\"knobs\": {\"sysctl.vm.swappiness\": 5, \"sched.nr_migrate\": 4}, \"reason\": \"try 0\"}"},
 {"content": "{\"knobs\": {\"sysctl.vm.swappiness\": 12, \"sched.nr_migrate\": 13}, \"reason\": \"try 1\"}"},
 {"content": "{\"knobs\": {\"sysctl.vm.swappiness\": 19, \"sched.nr_migrate\": 22}, \"reason\": \"try 2\"}"},
 {"content": "{\"knobs\": {\"sysctl.vm.swappiness\": 26, \"sched.nr_migrate\": 31}, \"reason\": \"try 3\"}"},
 {"content": "{\"knobs\": {\"sysctl.vm.swappiness\": 33, \"sched.nr_migrate\": 40}, \"reason\": \"try 4\"}"}]
EOF
serve resume
# The target stalls once, on suggestion 2's swappiness.
config resume 4 "if [ \$(cat /proc/sys/vm/swappiness) = 19 ] && [ ! -e $T/stalled ]; then touch $T/stalled; sleep 20; fi; echo lat=1"
ostune tune $T/resume.json >$T/killed.out 2>$T/killed.err &
pid=$!
wait_for 200 test -e $T/stalled || diag "suggestion 2 was not measured within 200 s"
kill -9 $pid
wait $pid 2>/dev/null
check "killed while measuring suggestion 2: llm.jsonl has its 3 answers" \
	[ "$(wc -l <$T/resume/llm.jsonl)" -eq 3 ]
check "kill -9: every knob is back at its original value" [ "$before" = "$(ostune get $KNOBS 2>&1)" ]
ostune tune --resume $T/resume >$T/resume.out 2>$T/resume.err
rc=$?
kill $server
sed 's/^/# /' $T/resume.err | tail -n 5
check "--resume exits 0 ($rc)" [ $rc -eq 0 ]
check "--resume replays the recorded answer: iteration 3 is 'try 2'" why resume 3 '"why":"llm: try 2"'
check "--resume asks for the rest: iteration 4 is 'try 3'" why resume 4 '"why":"llm: try 3"'
check "each suggestion was asked once (4 requests)" \
	[ "$(wc -l <$T/resume.server/requests.jsonl)" -eq 4 ]
check "llm.jsonl has a record per suggestion (4)" [ "$(wc -l <$T/resume/llm.jsonl)" -eq 4 ]
check "--resume: the key is in no file of the run directory" \
	[ -z "$(grep -r -l -F "$KEY" $T/resume)" ]
check "--resume: the key is not in what ostune printed" \
	sh -c '! grep -q -F "$0" "$1" "$2" "$3" "$4"' "$KEY" $T/killed.out $T/killed.err \
	$T/resume.out $T/resume.err
check "--resume: every knob is back at its original value" [ "$before" = "$(ostune get $KNOBS 2>&1)" ]
check "--resume: no session is left open" session_none

# ---- llm+bo: the model's point, bo inside its ranges, a 429, an answer
# slower than timeout_s (8 s) while the lease (watchdog_s 2) runs on
cat >$T/dual.script <<'EOF'
[{"content": "{\"points\": [{\"sysctl.vm.swappiness\": 10, \"sched.nr_migrate\": 8}], \"ranges\": {\"sysctl.vm.swappiness\": {\"min\": 30, \"max\": 40}}, \"reason\": \"low\"}"},
 {"status": 429, "body": "{\"error\": \"rate limited\"}"},
 {"delay_s": 30, "content": "{\"points\": [], \"ranges\": {}, \"reason\": \"late\"}"}]
EOF
serve dual
config dual 5 'echo lat=$OSTUNE_WINDOW_S' llm+bo 2 8 ', "reask_every": 2, "points": 1'
ostune tune $T/dual.json >$T/dual.out 2>$T/dual.err &
pid=$!
wait_for 300 sh -c '[ "$(wc -l <"$0" 2>/dev/null)" = 3 ]' $T/dual.server/requests.jsonl ||
	diag "the third question was not asked within 300 s"
sleep 4
ostune status >$T/dual.status 2>&1
wait $pid
ended dual $? 5
check "llm+bo asks every reask_every (2) suggestions: 3 requests" \
	[ "$(wc -l <$T/dual.server/requests.jsonl)" -eq 3 ]
check "llm+bo: llm.jsonl has a record per question (3)" [ "$(wc -l <$T/dual/llm.jsonl)" -eq 3 ]
check "llm+bo measures the model's point first" why dual 1 '"why":"llm: point 1 of 1: low'
check "llm+bo: the point's swappiness (10) is applied" applied dual 1 sysctl.vm.swappiness 10 10
check "then bo searches inside the model's ranges" why dual 2 "bo inside the model's ranges: "
check "bo's swappiness is inside the model's range (30..40)" applied dual 2 sysctl.vm.swappiness 30 40
check "a 429 falls back to bo and says so" why dual 3 'bo, as the model failed (HTTP 429 (rate-limited))'
check "the failed plan stands until the next ask: bo again" \
	why dual 4 'bo, as the model failed (HTTP 429 (rate-limited))'
check "an answer slower than timeout_s falls back to bo and says so" \
	why dual 5 'bo, as the model failed (no answer within 8 s)'
sed 's/^/# /' $T/dual.status
check "4 s into the slow answer (watchdog_s 2) the run still holds its session" \
	grep -q "^session: [0-9]* owned by pid $pid " $T/dual.status
check "llm+bo: the key is in no file of the run directory" [ -z "$(grep -r -l -F "$KEY" $T/dual)" ]
check "llm+bo: every knob is back at its original value" [ "$before" = "$(ostune get $KNOBS 2>&1)" ]
check "llm+bo: no session is left open" session_none

# ---- what reached the module
kill $monitor
wait $monitor
diag "$(($(wc -l <$T/events) - skip)) knob changes seen by the monitor"
check "the module's events show the projected values applied (swappiness 100, nr_migrate 128)" \
	sh -c 'tail -n +$(($1 + 1)) "$0" | grep -q "\"name\": *\"sysctl.vm.swappiness\".*\"value\": *\"100\"" &&
	       tail -n +$(($1 + 1)) "$0" | grep -q "\"name\": *\"sched.nr_migrate\".*\"value\": *\"128\""' \
	$T/events "$skip"
check "the module's events show only knobs of the space, values inside their domains" \
	events_in_space "$skip"
check "the watchdog restored nothing: the heartbeat kept every lease" \
	sh -c '! grep -q "\"reason\": *\"watchdog\"" "$0"' $T/events
check "the module's events never name kernel.modprobe or sched_rt_runtime_us" \
	sh -c '! grep -q "modprobe\|sched_rt_runtime" "$0"' $T/events
check "the key is not in the event stream" sh -c '! grep -q -F "$0" "$1"' "$KEY" $T/events

tap_done

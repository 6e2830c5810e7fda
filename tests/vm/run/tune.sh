#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash
#
# ostune tune in the VM, on a real workload (hackbench), with the module
# loaded. Checks that a short run writes a valid history, summary and a
# best profile `ostune apply` takes, and puts every knob back; that
# `kill -9` of a running tune is restored by the kernel; that --resume
# continues where the killed run stopped; that SIGTERM (as Ctrl-C) stops
# it restored with its results saved; that a run with the bo tuner ends
# verified (a recommendation, or the defaults stand) and restored; that a
# target that fails or prints garbage is recorded as failed windows and
# the run goes on; that a pattern in the space sets every knob it
# matches to one value; that the baseline is measured again (anchors)
# and the drift reported; that fixed knobs are held for the baseline and
# every configuration, a pinned target runs on its CPUs with ostune on
# the others, and two load phases are measured in every round and
# reported; and that a target failing on the baseline, or on every
# configuration, stops the run with exit 1 and its error.
# TAP, one line per check; the plan comes last.

. /ostune/tap.sh
T=/tmp/tune-test
KNOBS="sched.migration_cost_ns sched.nr_migrate sysctl.vm.stat_interval"

values()
{
	ostune get $KNOBS 2>&1
}

# config DIR ITERATIONS: a short run over knobs both kernels have. No
# sysctl behind a static key (kernel.timer_migration): under TCG the
# kernel patching its own text while the other vCPU runs it can oops.
config()
{
	cat <<EOC
{"target": {"type": "hackbench", "groups": 2, "fds": 10},
 "space": {"sched.migration_cost_ns": {"min": 100000, "max": 2000000, "scale": "log"},
           "sched.nr_migrate": {"min": 4, "max": 128, "scale": "log"},
           "sysctl.vm.stat_interval": [1, 2]},
 "tuner": {"name": "random"}, "seed": 3,
 "window": {"seconds": 0.4, "warmup": 0, "repeats": 2, "settle_s": 0.05,
            "max_spread": 1, "max_windows": 2, "anchor_every": 2},
 "budget": {"iterations": $2}, "watchdog_s": 5, "verify": false, "output": "$1"}
EOC
}

# command_config NAME SPACE REPEATS ITERATIONS [TARGET_KEYS [KEYS]]: a run
# of $T/NAME.sh, which prints value=N, into $T/NAME; more keys of the
# target and of the config ('"KEY": VALUE,') when given.
command_config()
{
	cat <<EOC
{"target": {"type": "command", "argv": ["$T/$1.sh"], ${5:-}
            "metrics": {"value": {"key": "value", "unit": "ms"}}},
 "objective": {"metric": "value", "goal": "minimize"}, ${6:-}
 "space": $2,
 "window": {"seconds": 0.1, "warmup": 0, "repeats": $3, "settle_s": 0},
 "budget": {"iterations": $4}, "watchdog_s": 5, "verify": false,
 "output": "$T/$1"}
EOC
}

# verified DIR: the decision in summary.json, whatever its wording: a
# recommendation with its best.json, or the defaults stand and none; each
# candidate with its interval either way.
verified()
{
	grep -q '"interval": "' "$1/summary.json" || return 1
	if grep -q '"recommended": true' "$1/summary.json"; then
		[ -f "$1/best.json" ] &&
			grep -q '"why": "candidate [0-9]* is better than the baseline: [0-9.e+-]*x, [^ ]*% CI ' "$1/summary.json"
	else
		grep -q '"recommended": false' "$1/summary.json" && [ ! -f "$1/best.json" ]
	fi
}

# results DIR: the number of configurations history.jsonl completed
# (measured again, as the baseline's anchors, they count once)
results()
{
	grep '"result"' "$1/history.jsonl" 2>/dev/null |
		grep -o '"iteration":[0-9]*' | sort -u | wc -l
}

session_none()
{
	ostune status | grep -q '^session: none'
}

# The open session holds changed knobs (a tuned configuration is applied).
session_holds()
{
	[ "$(ostune status | grep -c ' session')" -gt 0 ]
}

# at_least N DIR: DIR's run has completed N configurations.
at_least()
{
	[ "$(results "$2")" -ge "$1" ] 2>/dev/null
}

mkdir -p $T
before=$(values)
diag "knobs before: $(echo "$before" | tr '\n' ' ')"

# ---- a short run
config $T/short 3 >$T/short.json
ostune tune $T/short.json >$T/short.out 2>$T/short.err
rc=$?
if [ $rc -ne 0 ]; then
	diag "exit $rc"
	sed 's/^/# /' $T/short.err | tail -n 20
fi
check "a short tune on hackbench exits 0" [ $rc -eq 0 ]
sed 's/^/# /' $T/short.out
lines=$(wc -l <$T/short/history.jsonl 2>/dev/null || echo 0)
check "history.jsonl has a line per window (4 configurations and 2 anchors x 2 windows: $lines)" \
	[ "$lines" -eq 12 ]
check "every history line is a JSON object with knobs, metrics and timestamps" \
	[ "$(grep -c '^{"iteration":[0-9]*,"window":[0-9]*,.*"knobs":{.*"start":"20[0-9-]*T.*"metrics":{.*}$' \
		$T/short/history.jsonl)" -eq "$lines" ]
check "history states units (time_s in s, cpu_busy_pct in %)" \
	grep -q '"time_s":{"value":[0-9.e-]*,"unit":"s"}.*"cpu_busy_pct":{"value":[0-9.e-]*,"unit":"%"}' \
	$T/short/history.jsonl
check "each configuration has its result (4)" [ "$(results $T/short)" -eq 4 ]
check "the baseline is measured again after iteration 2 and at the end" \
	[ "$(grep -c '"phase":"anchor".*"result"' $T/short/history.jsonl)" -eq 2 ]
check "summary.json lists the 3 baseline anchors and the drift" \
	sh -c '[ "$(grep -c "\"configurations\": [0-9]*$" "$0")" -eq 3 ] &&
	       grep -q "\"drift_pct\": [-0-9]" "$0"' $T/short/summary.json
# corrected, or not where the anchors' own noise is larger than it
check "the report gives the drift over the anchors" \
	grep -Eq '^drift:     ([-+]|not corrected: .*[-+])[0-9.]*% over 3 baseline anchors' $T/short.out
check "report.html draws the anchors" grep -q 'baseline anchor 3, around window' $T/short/report.html
check "summary.json names the baseline and the best" \
	grep -q '"best": {' $T/short/summary.json
check "config.json is the resolved config (calibrated loops)" \
	grep -q '"loops": [0-9]' $T/short/config.json
check "best.json is a profile 'ostune apply --plan' takes" \
	ostune apply --plan $T/short/best.json
check "the report gives the best and the improvement over the baseline" \
	grep -q '^improvement over baseline: [-+][0-9.]*% ± [0-9.]*%' $T/short.out
after=$(values)
check "every knob is back at its original value" [ "$before" = "$after" ]
check "no session is left open" session_none

# ---- bo, then verification: the baseline and 2 candidates measured again
cat >$T/verify.json <<EOC
{"target": {"type": "hackbench", "groups": 2, "fds": 10},
 "space": {"sched.migration_cost_ns": {"min": 100000, "max": 2000000, "scale": "log"},
           "sched.nr_migrate": {"min": 4, "max": 128, "scale": "log"},
           "sysctl.vm.stat_interval": [1, 2]},
 "tuner": {"name": "bo", "initial": 4}, "seed": 3,
 "window": {"seconds": 1, "warmup": 0, "repeats": 1, "settle_s": 0.05,
            "max_spread": 1},
 "budget": {"iterations": 6}, "watchdog_s": 5,
 "verify": {"rounds": 3, "candidates": 2}, "output": "$T/verify"}
EOC
ostune tune $T/verify.json >$T/verify.out 2>$T/verify.err
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' $T/verify.err | tail -n 20
check "bo with verification exits 0" [ $rc -eq 0 ]
grep '^verified:' $T/verify.out | sed 's/^/# /'
check "verification: a verified recommendation with best.json, or 'defaults stand' and none" \
	verified $T/verify
check "verification windows are in history.jsonl, marked (3 rounds x 3)" \
	[ "$(grep -c '"phase":"verify".*"verify":true' $T/verify/history.jsonl)" -eq 9 ]
check "verification: every knob is back at its original value" [ "$before" = "$(values)" ]

# ---- kill -9, then --resume
config $T/killed 6 >$T/killed.json
ostune tune $T/killed.json >$T/killed.out 2>$T/killed.err &
pid=$!
# Until a tuned configuration is applied (after the baseline).
wait_for 200 session_holds || diag "the session held no knobs within 200 s"
held=$(ostune status | grep -c ' session')
kill -9 $pid
wait $pid 2>/dev/null
diag "killed after $(results $T/killed) configurations; $held knobs were held by the session"
check "the killed run had changed knobs" [ "$held" -gt 0 ]
check "kill -9: every knob is back at its original value" [ "$before" = "$(values)" ]
check "kill -9: no session is left open" session_none
done_before=$(results $T/killed)
ostune tune --resume $T/killed >$T/resume.out 2>$T/resume.err
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' $T/resume.err | tail -n 20
check "--resume exits 0" [ $rc -eq 0 ]
check "--resume completes the budget (7 configurations, had $done_before)" \
	[ "$(results $T/killed)" -eq 7 ]
iters=$(grep -o '"iteration":[0-9]*' $T/killed/history.jsonl | uniq | tr '\n' ' ')
check "--resume continues the iterations without gaps ($iters)" \
	[ "$(grep '"result"' $T/killed/history.jsonl | grep -o '"iteration":[0-9]*' | sort -t: -k2 -n -u | tr '\n' ' ')" = \
	  '"iteration":0 "iteration":1 "iteration":2 "iteration":3 "iteration":4 "iteration":5 "iteration":6 ' ]
check "--resume measures the baseline again first" \
	grep -q '"why":"baseline anchor: resumed"' $T/killed/history.jsonl
check "--resume: every knob is back at its original value" [ "$before" = "$(values)" ]

# ---- SIGTERM (as Ctrl-C: a background job of a script ignores SIGINT)
config $T/stopped 20 >$T/stopped.json
ostune tune $T/stopped.json >$T/stopped.out 2>$T/stopped.err &
pid=$!
wait_for 200 at_least 2 $T/stopped || diag "not 2 configurations within 200 s"
kill -TERM $pid
wait $pid
rc=$?
check "SIGTERM: tune stops with 128+15 ($rc)" [ $rc -eq 143 ]
check "SIGTERM: the results so far are saved" \
	grep -q '"stopped": "interrupted"' $T/stopped/summary.json
check "SIGTERM: it says how to resume" grep -q -- "--resume $T/stopped" $T/stopped.err
check "SIGTERM: every knob is back at its original value" [ "$before" = "$(values)" ]
check "SIGTERM: no session is left open" session_none

# ---- a target that fails or prints garbage
cat >$T/flaky.sh <<'EOS'
#!/bin/sh
# the baseline's 4 windows: a value; then of every 4, 2 a value, 1
# garbage, 1 exit 3 (half of them count: the configuration stands)
c=$(cat /tmp/tune-test/flaky.count 2>/dev/null || echo 0)
c=$((c + 1))
echo $c >/tmp/tune-test/flaky.count
[ $c -le 4 ] && { echo "value=1.5"; exit 0; }
case $((c % 4)) in
1|3) echo "value=1.5" ;;
2) echo "garbage" ;;
0) echo "it broke" >&2; exit 3 ;;
esac
EOS
chmod +x $T/flaky.sh
command_config flaky '{"sysctl.vm.stat_interval": [1, 2]}' 4 2 >$T/flaky.json
ostune tune $T/flaky.json >$T/flaky.out 2>$T/flaky.err
rc=$?
check "a flaky target: the run goes on and exits 0" [ $rc -eq 0 ]
check "a window printing garbage is recorded as failed with its error" \
	grep -q '"ok":false,.*"error":"no metrics in the output.*garbage' $T/flaky/history.jsonl
check "a window exiting 3 is recorded as failed with its error" \
	grep -q '"ok":false,.*"error":"[^"]*flaky.sh exited 3: it broke"' $T/flaky/history.jsonl
check "all 3 configurations were measured" [ "$(results $T/flaky)" -eq 3 ]
check "failed windows are counted in the summary" \
	grep -q '"failed_windows": [1-9]' $T/flaky/summary.json
check "a flaky target: every knob is back at its original value" [ "$before" = "$(values)" ]

# ---- a pattern as one dimension: every CPU's request takes its value
cat >$T/tied.sh <<'EOS'
#!/bin/sh
ostune get pmqos.cpu0.resume_latency_us pmqos.cpu1.resume_latency_us |
	awk '{ printf "%s ", $3 } END { print "" }' >>/tmp/tune-test/tied.seen
echo "value=1"
EOS
chmod +x $T/tied.sh
command_config tied '{"pmqos.cpu*.resume_latency_us": ["20", "50", "100"]}' 1 3 >$T/tied.json
ostune tune $T/tied.json >$T/tied.out 2>$T/tied.err
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' $T/tied.err | tail -n 20
diag "cpu0 cpu1 in each window: $(tr '\n' ',' <$T/tied.seen)"
check "a pattern in the space: the run exits 0" [ $rc -eq 0 ]
check "a pattern: both CPUs' requests were the same in every window" \
	awk '$1 != $2 { bad = 1 } END { exit bad || NR != 5 }' $T/tied.seen
check "a pattern: the tuned windows set them (3 of 5 windows: the baseline's are first and last)" \
	[ "$(grep -c -v '^none none' $T/tied.seen)" -eq 3 ]
check "a pattern: the history names the pattern" \
	grep -q '"pmqos.cpu\*.resume_latency_us":"' $T/tied/history.jsonl
check "a pattern: summary.json lists the knobs it set" \
	sh -c 'grep -q "\"pmqos.cpu0.resume_latency_us\"" "$0" &&
	       grep -q "\"pmqos.cpu1.resume_latency_us\"" "$0"' $T/tied/summary.json
check "a pattern: both requests are dropped afterwards" \
	[ "$(ostune get pmqos.cpu0.resume_latency_us pmqos.cpu1.resume_latency_us | awk '{ printf "%s ", $3 }')" = "none none " ]

# script NAME: $T/NAME.sh from stdin, executable
script()
{
	cat >$T/$1.sh
	chmod +x $T/$1.sh
}

# run_command NAME SPACE REPEATS ITERATIONS: ostune tune on $T/NAME.sh
# (command_config), its exit status in rc
run_command()
{
	command_config "$@" >$T/$1.json
	ostune tune $T/$1.json >$T/$1.out 2>$T/$1.err
	rc=$?
	sed 's/^/# /' $T/$1.err | tail -n 3
}

# restored WHAT: every knob is back and no session is left
restored()
{
	check "$1: every knob is at its original value" [ "$before" = "$(values)" ]
	check "$1: no session is left open" session_none
}

# ---- fixed knobs, a pinned target and two load phases on hackbench:
# stat_interval held at 2 for the baseline and every configuration,
# hackbench on CPU 1 and ostune on CPU 0, every configuration measured
# with 1 group and with 2
stat_before=$(cat /proc/sys/vm/stat_interval)
cat >$T/held.json <<EOC
{"target": {"type": "hackbench", "groups": 2, "fds": 10, "cpus": "1"},
 "space": {"sched.migration_cost_ns": {"min": 100000, "max": 2000000, "scale": "log"},
           "sched.nr_migrate": {"min": 4, "max": 128, "scale": "log"}},
 "fixed": {"sysctl.vm.stat_interval": 2},
 "phases": [{"name": "light", "groups": 1}, {"name": "heavy", "groups": 2}],
 "tuner": {"name": "random"}, "seed": 3,
 "window": {"seconds": 0.4, "warmup": 0, "repeats": 2, "settle_s": 0.05,
            "max_spread": 1, "max_windows": 2, "anchor_every": 0},
 "budget": {"iterations": 2}, "watchdog_s": 5, "verify": false, "output": "$T/held"}
EOC
check "fixed, pinned, phases: --plan accepts the config" \
	sh -c 'ostune tune --plan "$0" >/dev/null' $T/held.json
ostune tune $T/held.json >$T/held.out 2>$T/held.err
rc=$?
[ $rc -eq 0 ] || sed 's/^/# /' $T/held.err | tail -n 20
sed 's/^/# /' $T/held.out
check "fixed and pinned: the run exits 0" [ $rc -eq 0 ]
check "fixed and pinned: the report gives the fixed knob and its value before" \
	grep -q "^fixed:     sysctl.vm.stat_interval = 2 (was $stat_before); held for the baseline and every configuration" $T/held.out
check "fixed and pinned: the report gives the CPUs" \
	grep -q '^pinned:    the target on CPUs 1, ostune on 0$' $T/held.out
lines=$(wc -l <$T/held/history.jsonl)
check "fixed and pinned: every history line has the fixed knob and the target's CPUs ($lines)" \
	[ "$(grep -c '"fixed":{"sysctl.vm.stat_interval":"2"},"target_cpus":"1"' $T/held/history.jsonl)" -eq "$lines" ]
check "fixed and pinned: best.json holds the fixed knob, for 'ostune apply'" \
	grep -q '"sysctl.vm.stat_interval": "2"' $T/held/best.json
check "fixed and pinned: report.html says what was held" \
	grep -q 'fixed for the baseline and every configuration: sysctl.vm.stat_interval = 2;' $T/held/report.html
check "phases: every round is a light and a heavy window ($lines lines)" \
	sh -c '[ "$(grep -c "\"load_phase\":\"light\"" "$0")" -eq $(($1 / 2)) ] &&
	       [ "$(grep -c "\"load_phase\":\"heavy\"" "$0")" -eq $(($1 / 2)) ]' \
	$T/held/history.jsonl "$lines"
check "phases: each phase was calibrated on its own (config.json keeps its loops)" \
	[ "$(grep -c '"loops": [0-9]' $T/held/config.json)" -eq 2 ]
check "phases: the report gives each phase's medians, baseline and best" \
	sh -c 'grep -q "^phases:    2 load phases; a configuration.s value is the mean of its ratios" "$0" &&
	       grep -q "^  light  *[0-9.e+-]*  *[0-9.e+-]*  *[0-9.e+-]*x$" "$0" &&
	       grep -q "^  heavy  *[0-9.e+-]*  *[0-9.e+-]*  *[0-9.e+-]*x$" "$0"' $T/held.out
check "phases: summary.json has both phases' medians" \
	sh -c 'grep -q "\"name\": \"light\"" "$0" && grep -q "\"name\": \"heavy\"" "$0" &&
	       grep -q "\"score\": \"mean\"" "$0"' $T/held/summary.json
check "phases: report.html shows the phases" grep -q '<h2 id="phases">Load phases</h2>' $T/held/report.html
restored "fixed and pinned"

# The same on a command that reports where it ran and what it saw.
cat >$T/where.sh <<'EOS'
#!/bin/sh
echo "$(cat /proc/sys/vm/stat_interval) $(grep Cpus_allowed_list /proc/self/status | cut -f2) $(grep Cpus_allowed_list /proc/$PPID/status | cut -f2)" >>/tmp/tune-test/where.seen
echo "value=1"
EOS
chmod +x $T/where.sh
run_command where '{"sched.nr_migrate": [8, 16]}' 1 2 '"cpus": "1",' \
	'"fixed": {"sysctl.vm.stat_interval": 3},'
diag "stat_interval, the target's CPUs, ostune's CPUs in each window: $(tr '\n' ',' <$T/where.seen)"
check "a pinned command with a fixed knob: the run exits 0" [ $rc -eq 0 ]
check "every window (baseline included) ran with the fixed value, on CPU 1, ostune on CPU 0" \
	awk '$0 != "3 1 0" { bad = 1 } END { exit bad || NR != 4 }' $T/where.seen
restored "a pinned command with a fixed knob"

# ---- a target that fails on the baseline: nothing more is tried
script broken <<'EOS'
#!/bin/sh
echo "broken: no such database" >&2
exit 1
EOS
run_command broken '{"sysctl.vm.stat_interval": [1, 2]}' 2 5
check "a target failing on the baseline: exit 1 ($rc)" [ $rc -eq 1 ]
check "it says the baseline failed, with the target's error" \
	grep -q 'ostune: tune: the baseline failed: [^ ]*broken.sh exited 1: broken: no such database; nothing was changed' $T/broken.err
check "no configuration was tried" [ "$(grep -c '"baseline":false' $T/broken/history.jsonl)" -eq 0 ]
check "summary.json says why it stopped" grep -q '"stopped": "baseline failed"' $T/broken/summary.json
restored "a failed baseline"

# ---- a target that fails on every configuration (it wants the host's value)
script picky <<'EOS'
#!/bin/sh
[ "$(cat /proc/sys/vm/stat_interval)" = 1 ] && { echo "value=1"; exit 0; }
echo "picky: wrong stat_interval" >&2
exit 2
EOS
run_command picky '{"sysctl.vm.stat_interval": [2, 3]}' 2 2
check "every configuration failing: exit 1 ($rc)" [ $rc -eq 1 ]
check "it says every configuration failed, with the last error" \
	grep -q 'ostune: tune: every configuration failed (2 of 2), the last: [^ ]*picky.sh exited 2: picky: wrong stat_interval' $T/picky.err
restored "every configuration failing"

tap_done

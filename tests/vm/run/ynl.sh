#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash, which has "local" too
#
# docs/netlink/ostune.yaml is real: the kernel's own generic netlink client,
# tools/net/ynl/cli.py of Debian's linux-source-6.12 (tests/vm/ynl-files.sh
# puts it in /ostune/ynl), validates the spec against the kernel's schema
# and drives the module with nothing but the spec: status dump, knob
# reads, a kept apply with its event, restore, a held session ended by
# the client's exit, an error with the module's extack message, and the
# admin-only operations (knob reads included) refused to an unprivileged
# caller. Each result
# is checked against /proc/sys, not against the tool.
# TAP, one line per check; the plan comes last.

YNL_DIR=/ostune/ynl
SPEC=$YNL_DIR/netlink/specs/ostune.yaml
KNOB=sysctl.vm.swappiness
PROCF=/proc/sys/vm/swappiness
TAP_PREFIX="ynl: "
. /ostune/tap.sh

# ynl ARGS...: cli.py on our spec, JSON output in $out, status in $rc.
# cli.py finds the schema, ../genetlink.yaml, by itself and validates.
ynl()
{
	out=$(python3 "$YNL_DIR/cli.py" --spec "$SPEC" --output-json "$@" 2>&1)
	rc=$?
	[ "$rc" -eq 0 ] || diag "cli.py $* exited $rc: $out"
}

# has TEXT: $out contains TEXT (fixed string).
has()
{
	case $out in
	*"$1"*) return 0 ;;
	esac
	diag "cli.py's output lacks '$1': $out"
	return 1
}

# /proc/sys answers only a read at offset 0: busybox's "read" takes one
# byte at a time, so cat it.
hasnt()
{
	case $out in
	*"$1"*) diag "cli.py's output has '$1': $out"; return 1 ;;
	esac
	return 0
}

proc_is()
{
	local v

	v=$(cat "$PROCF")
	[ "$v" = "$1" ] || { diag "$PROCF is $v, expected $1"; return 1; }
}

# subscribed PID: PID's generic netlink socket (protocol 16) has joined a
# multicast group, as /proc/net/netlink shows; waits up to 20 s.
subscribed()
{
	local i=0

	while [ $i -lt 200 ]; do
		awk -v pid="$1" '$2 == 16 && $3 == pid && $4 != "00000000" { found = 1 }
			END { exit !found }' /proc/net/netlink && return 0
		usleep 100000
		i=$((i + 1))
	done
	diag "no generic netlink socket of pid $1 in a group: $(cat /proc/net/netlink)"
	return 1
}

# nobody ARGS...: cli.py as user nobody, without capabilities.
nobody()
{
	out=$(su -s /bin/sh -c "python3 $YNL_DIR/cli.py --spec $SPEC --output-json $*" nobody 2>&1)
}

echo "TAP version 13"
if [ ! -f "$YNL_DIR/cli.py" ]; then
	not_ok "cli.py is in the VM" "(tests/ynl-source.sh did not run?)"
	tap_done
	exit 1
fi
orig=$(cat "$PROCF")
new=$((orig == 17 ? 18 : 17))
modver=$(cat /sys/module/ostune/version)

ynl --list-ops
check "the spec validates against the kernel's genetlink schema; cli.py lists its operations" \
	sh -c '[ "$0" -eq 0 ] && for op in get-status get-knobs session-open session-close heartbeat apply restore; do
		echo "$1" | grep -q "^$op " || { echo "# no operation $op"; exit 1; }; done' "$rc" "$out"

ynl --dump get-status
check "get-status dump: family version 1, module-version $modver, nothing held" \
	sh -c '[ "$0" -eq 0 ]' "$rc"
check "get-status dump reply decoded by the spec" has "\"version\": 1, \"module-version\": \"$modver\", \"held-count\": 0"

ynl --do get-knobs --json "{\"knob\": [{\"name\": \"$KNOB\"}, {\"name\": \"sysctl.vm.dirty_ratio\"}]}"
check "get-knobs with two knob nests (multi-attr) answers both" has "\"name\": \"sysctl.vm.dirty_ratio\""
check "get-knobs reads $KNOB as /proc/sys has it" has "{\"name\": \"$KNOB\", \"value\": \"$orig\"}"
# x86's timer: IRQF_NOBALANCING, whatever 6.1's /proc/irq/0 mode says.
ynl --do get-knobs --json '{"knob": [{"name": "irq.0.affinity"}]}'
check "get-knobs flags irq.0.affinity (the timer) fixed" has '"flags": ["fixed"]'

# The listener is a process of its own: 6.12's cli.py cannot take an event
# in the middle of its own request (--subscribe with --do). It listens for
# 20 s: the apply's own cli.py can take several seconds to start under
# emulation beside another VM, and a change after the listener stopped
# would not be seen.
python3 "$YNL_DIR/cli.py" --spec "$SPEC" --output-json --subscribe events --sleep 20 \
	>/tmp/ynl-events 2>&1 &
listener=$!
check "a second cli.py joins the events group" subscribed "$listener"
ynl --do apply --json "{\"knob\": [{\"name\": \"$KNOB\", \"value\": \"$new\"}]}"
check "apply (no session: kept) succeeds and returns a txn-id" has "\"txn-id\": "
check "apply changed $PROCF to $new" proc_is "$new"
wait "$listener"
out=$(cat /tmp/ynl-events)
check "the events group delivers the change (reason apply, old, new)" \
	has "\"name\": \"event\", \"msg\": {\"reason\": \"apply\""
check "the event names the knob with old and new values, flags decoded" \
	has "\"knob\": [{\"name\": \"$KNOB\", \"old\": \"$orig\", \"value\": \"$new\", \"flags\": []}]"

ynl --dump get-status
check "get-status dump lists the held knob: original, last-written, current" \
	has "{\"name\": \"$KNOB\", \"original\": \"$orig\", \"last-written\": \"$new\", \"value\": \"$new\", \"flags\": []}"
check "get-status summary counts it" has "\"held-count\": 1"

ynl --do apply --json '{"knob": [{"name": "sysctl.kernel.core_pattern", "value": "|/bin/sh"}]}'
check "apply outside the sysctl allowlist fails (exit 1)" sh -c '[ "$0" -eq 1 ]' "$rc"
check "the error carries the module's extack message naming the entry" \
	has "entry 1 (sysctl.kernel.core_pattern)"
check "the extack's bad attribute decodes, by the spec, to the knob nest" \
	has "'bad-attr': '.knob'"
check "nothing changed by the refused apply" proc_is "$new"

ynl --do restore --json '{}'
check "restore (no knob nests: all) succeeds" sh -c '[ "$0" -eq 0 ]' "$rc"
check "restore put $PROCF back to $orig" proc_is "$orig"

ynl --multi session-open '{"watchdog-ms": 5000}' \
	--multi heartbeat '{"watchdog-ms": 6000}' \
	--multi apply "{\"knob\": [{\"name\": \"$KNOB\", \"value\": \"$new\"}]}" \
	--multi get-knobs "{\"knob\": [{\"name\": \"$KNOB\"}]}"
check "session-open, heartbeat, apply, get-knobs in one request (--multi)" \
	has "{\"session\": {\"id\": "
check "inside the session the knob reads $new" has "{\"knob\": [{\"name\": \"$KNOB\", \"value\": \"$new\"}]}"
check "the held change ended with cli.py's socket (socket-close)" proc_is "$orig"
check "the kernel log says why" sh -c \
	"dmesg | grep -q '$KNOB: $new -> $orig (pid [0-9]* .*, restore: socket-close)'"

ynl --multi session-open '{}' --multi session-close '{}'
check "session-open with the default lease, then session-close" sh -c '[ "$0" -eq 0 ]' "$rc"

nobody --do get-knobs --json "'{\"knob\": [{\"name\": \"$KNOB\"}]}'"
check "an unprivileged read is refused (admin-perm)" has "Operation not permitted"
check "and shows no value" hasnt "\"value\""
nobody --do apply --json "'{\"knob\": [{\"name\": \"$KNOB\", \"value\": \"$new\"}]}'"
check "an unprivileged apply is refused (admin-perm)" has "Operation not permitted"
check "and changes nothing" proc_is "$orig"

tap_done

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The package tier: what people install and read, and what other tools
# read. In a copy of the tree (build/package/tree; the user tier builds in
# the tree itself at the same time), with nothing installed on the host
# and nothing loaded:
#
#   version     VERSION is the release of the CLI, dkms.conf and the module
#   install     make install / uninstall with PREFIX and DESTDIR: the files,
#               the installed CLI, man page and modprobe.d example work,
#               and uninstall leaves no file behind
#   dkms        make dkms-install / dkms-remove: a real dkms build and
#               install for every kernel (tests/kernels.sh) into dkms trees
#               of its own (--dkmstree, --installtree, --no-depmod, a
#               throwaway signing key); the module has the release and the
#               vermagic of the image the VM tier boots
#   man         docs/ostune.8 formats without a groff warning and documents
#               every command and option `ostune help` knows
#   completion  the bash completion completes commands, options, knob
#               names and export formats
#   systemd     systemd-analyze verify passes the units of dist/systemd/
#               without a warning (their command lines run in the VM:
#               tests/vm/run/boot.sh)
#   spec        docs/netlink/ostune.yaml validates against the kernel's
#               genetlink schema (YNL, linux-source-6.12) and numbers
#               everything as include/uapi/linux/ostune.h does
#   config      every example config in docs/tuning-config.md is one
#               `ostune tune --plan` accepts
#   export      of user/tests/data/tune-run (a real run): TuneD's own
#               profile loader reads the tuned format and finds every knob
#               (tests/tuned-check.py); the shell script parses
#   report      of user/tests/data/tune-run-verified (a real run, verified)
#               given two objectives: headless Chromium renders it with no
#               console error and all 9 charts laid out, and takes a
#               screenshot (build/logs/package/report.png)
#
# Usage: tests/tier-package.sh  (results to $OSTUNE_RESULTS, see tests/lib.sh)

set -euo pipefail

. "$(dirname "$0")/lib.sh"

work=$OSTUNE_BUILD/package
tree=$work/tree
logs=$OSTUNE_BUILD/logs/package
version=$(sed -n '/^[^#]/p' "$OSTUNE_TOP/VERSION")
ynl=$OSTUNE_YNL_SRC/tools/net/ynl
schema=$OSTUNE_YNL_SRC/Documentation/netlink/genetlink.yaml
python=/usr/bin/python3

rm -rf "$work"
mkdir -p "$tree" "$logs"

# case NAME COMMAND...: one test case; COMMAND says why it failed on its
# stdout, which goes to the log with the case.
case_()
{
	local name="package: $1" out

	shift
	if out=$("$@" 2>&1); then
		ostune_result PASS "$name"
	else
		printf '%s\n' "$out"
		ostune_result FAIL "$name" "$(printf '%s\n' "$out" | tail -n1)"
	fi
}

# The sources, without what builds leave behind.
copy_tree()
{
	(cd "$OSTUNE_TOP" &&
	 find . \( -path ./build -o -path ./.git \) -prune -o -type f \
		! -name '*.[oda]' ! -name '*.ko' ! -name '*.mod' ! -name '*.mod.c' \
		! -name '.*.cmd' ! -path ./user/ostune ! -path ./user/tests/unit-tests \
		! -path ./user/tests/ostune-fake -print0 |
	 cpio -0 -pdm --quiet "$tree")
}

# ---------------------------------------------------------------- version

version_everywhere()
{
	local cli conf

	[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+ ]] || { echo "VERSION says '$version'"; return 1; }
	cli=$("$tree/user/ostune" --version)
	[ "$cli" = "ostune $version" ] || { echo "ostune --version: '$cli'"; return 1; }
	# dkms reads dkms.conf with bash, from wherever it is
	conf=$(cd / && bash -c '. "$1"; echo "$PACKAGE_VERSION"' _ "$tree/dkms.conf")
	[ "$conf" = "$version" ] || { echo "dkms.conf: PACKAGE_VERSION '$conf'"; return 1; }
}

# ---------------------------------------------------------------- install

INSTALLED_USR="etc/modprobe.d/ostune.conf
usr/sbin/ostune
usr/share/bash-completion/completions/ostune
usr/share/man/man8/ostune.8
usr/share/ostune/netlink/ostune.yaml"

files_under()
{
	(cd "$1" && find . ! -type d | sed -e 's|^\./||' | LC_ALL=C sort)
}

install_files()
{
	local dest=$work/destdir got

	make -C "$tree" install PREFIX=/usr DESTDIR="$dest" >"$logs/install.log" 2>&1 ||
		{ tail -n 5 "$logs/install.log"; return 1; }
	got=$(files_under "$dest")
	[ "$got" = "$INSTALLED_USR" ] || { printf 'installed:\n%s\n' "$got"; echo "not the expected files"; return 1; }
	[ -x "$dest/usr/sbin/ostune" ] || { echo "usr/sbin/ostune is not executable"; return 1; }
}

installed_works()
{
	local dest=$work/destdir out

	out=$("$dest/usr/sbin/ostune" --version)
	[ "$out" = "ostune $version" ] || { echo "installed ostune --version: '$out'"; return 1; }
	out=$(MANWIDTH=80 man -l "$dest/usr/share/man/man8/ostune.8" 2>&1)
	grep -q "ostune $version" <<<"$out" || { echo "installed man page lacks 'ostune $version'"; return 1; }
	grep -q '^EXIT STATUS' <<<"$out" || { echo "installed man page does not render"; return 1; }
}

# The example, uncommented, is a modprobe configuration for a parameter
# the module has.
modprobe_example()
{
	local conf=$work/destdir/etc/modprobe.d/ostune.conf line param ko

	line=$(sed -n -e 's/^#\(options ostune .*\)/\1/p' "$conf")
	[ -n "$line" ] || { echo "no commented 'options ostune' line"; return 1; }
	! grep -q '^options' "$conf" || { echo "the example sets something"; return 1; }
	printf '%s\n' "$line" >"$work/modprobe-test.conf"
	grep -q -x -F "$line" <<<"$(modprobe -C "$work/modprobe-test.conf" --showconfig)" ||
		{ echo "modprobe does not read '$line'"; return 1; }
	ko=$(find "$work/dkms/install" -name 'ostune.ko*' -print -quit)
	[ -n "$ko" ] || { echo "no DKMS-built module to ask"; return 1; }
	for param in $(sed -e 's/^options ostune //' -e 's/=[^ ]*//g' <<<"$line"); do
		grep -q "^$param:" <<<"$(modinfo -F parm "$ko")" ||
			{ echo "ostune.ko has no parameter $param"; return 1; }
	done
}

default_prefix()
{
	local dest=$work/destdir-local got

	make -C "$tree" install DESTDIR="$dest" >"$logs/install-local.log" 2>&1 ||
		{ tail -n 5 "$logs/install-local.log"; return 1; }
	got=$(files_under "$dest")
	[ "$got" = "$(sed -e 's|^usr/|usr/local/|' <<<"$INSTALLED_USR")" ] ||
		{ printf 'installed:\n%s\n' "$got"; echo "PREFIX is not /usr/local by default"; return 1; }
	make -C "$tree" uninstall DESTDIR="$dest" >>"$logs/install-local.log" 2>&1
	got=$(files_under "$dest")
	[ -z "$got" ] || { printf 'left:\n%s\n' "$got"; return 1; }
}

uninstall_clean()
{
	local dest=$work/destdir got

	make -C "$tree" uninstall PREFIX=/usr DESTDIR="$dest" >"$logs/uninstall.log" 2>&1 ||
		{ tail -n 5 "$logs/uninstall.log"; return 1; }
	got=$(files_under "$dest")
	[ -z "$got" ] || { printf 'left:\n%s\n' "$got"; echo "uninstall left files"; return 1; }
}

# ---------------------------------------------------------------- dkms

dkms_make()
{
	local d=$work/dkms

	# the signing key dkms would otherwise create in /var/lib/dkms
	mok_signing_key=$d/mok.key mok_certificate=$d/mok.pub \
		make -C "$tree" "$1" KERNELS="${kvers//$'\n'/ }" DKMS_SOURCE_TREE="$d/src" \
		DKMS_FLAGS="--dkmstree $d/tree --installtree $d/install --no-depmod"
}

# vermagic of a module shipped in the image the VM tier boots
image_vermagic()
{
	local ko

	ko=$(find "$OSTUNE_CACHE/kernels/$1/lib/modules/$1/kernel" -name '*.ko*' -print -quit)
	modinfo -F vermagic "$ko"
}

dkms_install()
{
	local d=$work/dkms kver

	mkdir -p "$d/tree" "$d/src"
	for kver in $kvers; do
		mkdir -p "$d/install/$kver"
	done
	dkms_make dkms-install >"$logs/dkms-install.log" 2>&1 ||
		{ grep -h -A20 -i 'error' "$logs/dkms-install.log" "$d"/tree/ostune/*/build/make.log 2>/dev/null | head -n 30
		  echo "make dkms-install failed, see $logs/dkms-install.log"; return 1; }
}

dkms_module()
{
	local kver=$1 d=$work/dkms ko want got

	ko=$(find "$d/install/$kver" -name 'ostune.ko*' -print -quit)
	[ -n "$ko" ] || { echo "no ostune.ko installed for $kver"; return 1; }
	got=$(modinfo -F vermagic "$ko")
	want=$(image_vermagic "$kver")
	[ "$got" = "$want" ] || { echo "vermagic '$got', the image's '$want'"; return 1; }
	got=$(modinfo -F version "$ko")
	[ "$got" = "$version" ] || { echo "module version '$got', VERSION '$version'"; return 1; }
	got=$(modinfo -F signer "$ko")
	[ "$got" = "DKMS module signing key" ] || { echo "signer '$got'"; return 1; }
	got=$(dkms_make_status)
	grep -q "^ostune/$version, $kver, [^:]*: installed$" <<<"$got" ||
		{ printf '%s\n' "$got"; echo "dkms status does not say installed"; return 1; }
}

dkms_make_status()
{
	local d=$work/dkms

	dkms --dkmstree "$d/tree" --sourcetree "$d/src" --installtree "$d/install" status 2>/dev/null
}

dkms_remove()
{
	local d=$work/dkms left

	dkms_make dkms-remove >"$logs/dkms-remove.log" 2>&1 ||
		{ tail -n 5 "$logs/dkms-remove.log"; return 1; }
	[ -z "$(dkms_make_status)" ] || { dkms_make_status; echo "dkms still lists it"; return 1; }
	left=$(find "$d/install" "$d/src" "$d/tree" ! -type d)
	[ -z "$left" ] || { printf '%s\n' "$left"; echo "files left behind"; return 1; }
}

# ---------------------------------------------------------------- man page

man_clean()
{
	local out

	out=$(groff -t -man -ww -z "$tree/docs/ostune.8" 2>&1)
	[ -z "$out" ] || { printf '%s\n' "$out"; echo "groff warns"; return 1; }
	out=$(MANWIDTH=80 man --warnings -l "$tree/docs/ostune.8" 2>&1 >/dev/null)
	[ -z "$out" ] || { printf '%s\n' "$out"; echo "man warns"; return 1; }
}

# The man page's text of one command: from its subsection's heading (the
# command name, indented by 3) to the next heading.
man_section()
{
	MANWIDTH=200 man -l "$tree/docs/ostune.8" 2>/dev/null |
		awk -v cmd="$1" '/^   [^ ]/ { on = ($1 == cmd) } /^[^ ]/ { on = 0 } on'
}

man_covers_cli()
{
	local cli=$tree/user/ostune cmd opt text res=0

	for cmd in $("$cli" help | awk '/^commands:/ { on = 1; next } on && /^  [a-z]/ { print $1 } on && /^$/ { exit }'); do
		text=$(man_section "$cmd")
		if [ -z "$text" ]; then
			echo "no subsection for '$cmd' under COMMANDS"
			res=1
			continue
		fi
		for opt in $("$cli" help "$cmd" | sed -n -e '1s/^usage: //p' | grep -o -e '--[a-z][a-z-]*' | sort -u); do
			grep -q -e "$opt" <<<"$text" || { echo "'$cmd $opt' is not in the man page"; res=1; }
		done
	done
	return $res
}

# ---------------------------------------------------------------- completion

# complete WORD...: what the completion offers for the last word.
complete_words()
{
	PATH=$tree/user:$PATH bash -c '
		. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		_ostune 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}" | sort -u | tr "\n" " "' \
		_ "$tree/dist/bash-completion/ostune" "$@"
}

# expect "WANTED" WORD...
expect_completion()
{
	local want=$1 got

	shift
	got=$(complete_words "$@")
	[ "$got" = "$want " ] || { echo "'$*' completes to '$got', expected '$want'"; return 1; }
}

completion()
{
	local root=$work/sysroot

	mkdir -p "$root/proc/sys/vm"
	echo 60 >"$root/proc/sys/vm/swappiness"
	echo 20 >"$root/proc/sys/vm/dirty_ratio"
	expect_completion "status" ostune sta &&
	expect_completion "--json" ostune status --j &&
	expect_completion "--iterations" ostune tune --it &&
	expect_completion "sysctl.vm.swappiness" ostune --sysroot "$root" get sysctl.vm.sw &&
	expect_completion "sysctl.vm.dirty_ratio= sysctl.vm.swappiness=" ostune --sysroot "$root" set sysctl.vm. &&
	expect_completion "sysctl.vm.dirty_ratio=" ostune --sysroot "$root" exec -s sysctl.vm.d &&
	expect_completion "shell sysctl" ostune export run --format s &&
	expect_completion "cmdline" ostune export run --format c &&
	expect_completion "--isolate" ostune export --is &&
	expect_completion "--missing-ok" ostune apply --mi &&
	expect_completion "exec export" ostune help ex
}

# ---------------------------------------------------------------- systemd

# systemd-analyze verify of each unit of dist/systemd/ as the package
# installs it: no warning at all, its ExecStart binaries present (the CLI
# just built stands in for /usr/sbin/ostune) and its man page found (the
# tree's). What the command lines do is run/boot.sh's, in the VM.
units_verify()
{
	local dir=$work/systemd unit out res=0

	rm -rf "$dir"
	mkdir -p "$dir/units" "$dir/man/man8"
	cp "$tree/docs/ostune.8" "$dir/man/man8/"
	for unit in "$tree"/dist/systemd/*.service; do
		sed -e "s#/usr/sbin/ostune #$tree/user/ostune #" "$unit" >"$dir/units/${unit##*/}"
		out=$(MANPATH=$dir/man systemd-analyze verify "$dir/units/${unit##*/}" 2>&1) ||
			{ echo "${unit##*/}: systemd-analyze verify failed"; res=1; }
		[ -z "$out" ] || { printf '%s\n' "$out"; res=1; }
	done
	return $res
}

# ---------------------------------------------------------------- netlink spec

spec_validates()
{
	env -i "$python" -I - "$ynl" "$tree/docs/netlink/ostune.yaml" "$schema" <<'EOF'
import sys
sys.path.insert(0, sys.argv[1])
from lib.nlspec import SpecFamily
SpecFamily(sys.argv[2], sys.argv[3])
EOF
}

spec_matches_uapi()
{
	local c=$work/spec-uapi.c

	env -i "$python" -I "$tree/tests/ynl-spec-check.py" "$ynl" \
		"$tree/docs/netlink/ostune.yaml" "$schema" >"$c" &&
	gcc -Wall -Werror -I "$tree/include/uapi" -o "$work/spec-uapi" "$c" &&
	"$work/spec-uapi"
}

# ---------------------------------------------------------------- tuning configs

# Each ```json block of the guide is a config `ostune tune --plan` takes.
config_examples()
{
	local dir=$work/configs n=0 f res=0

	mkdir -p "$dir"
	awk -v dir="$dir" '/^```json$/ { on = 1; n++; next } /^```$/ { on = 0 }
		on { print > (dir "/" n ".json") }' "$tree/docs/tuning-config.md"
	for f in "$dir"/*.json; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		"$tree/user/ostune" tune "$f" --plan >/dev/null 2>"$f.err" ||
			{ echo "example $(basename "$f" .json): $(cat "$f.err")"; res=1; }
	done
	[ "$n" -ge 4 ] || { echo "only $n examples"; return 1; }
	return $res
}

# ---------------------------------------------------------------- export, report

RUN_FIXTURE=user/tests/data/tune-run
VERIFIED_FIXTURE=user/tests/data/tune-run-verified

export_tuned_loads()
{
	local run=$work/export-run

	rm -rf "$run"
	cp -r "$tree/$RUN_FIXTURE" "$run"
	"$tree/user/ostune" export "$run" --format tuned >/dev/null &&
	"$tree/user/ostune" export "$run" --format profile >/dev/null &&
	env -i "$python" -I "$tree/tests/tuned-check.py" "$run/tuned/ostune" "$run/profile.json"
}

export_shell_parses()
{
	local run=$work/export-run

	"$tree/user/ostune" export "$run" --format shell >/dev/null &&
	sh -n "$run/ostune-apply.sh" && busybox sh -n "$run/ostune-apply.sh"
}

# The report, with a probe: a copy of the page that records every error
# and console message, and what rendered, into the DOM Chromium dumps.
PROBE_HEAD='<script>window.__errors=[];
window.addEventListener("error",function(e){window.__errors.push(e.message||("failed to load "+(e.target.src||e.target.href)))},true);
["error","warn"].forEach(function(k){var f=console[k];console[k]=function(){window.__errors.push(k+": "+Array.prototype.join.call(arguments," "));f.apply(console,arguments)}});
</script>'
PROBE_TAIL='<script>(function(){var r=[],e=window.__errors;
document.querySelectorAll("svg").forEach(function(s){var b=s.getBoundingClientRect();
if(b.width<100||b.height<100)e.push("svg "+s.getAttribute("aria-label")+" is "+b.width+"x"+b.height);
r.push(s.getAttribute("aria-label")+": "+s.querySelectorAll("circle").length+" points")});
if(document.documentElement.scrollWidth>window.innerWidth)e.push("the page is wider than the window");
var p=document.createElement("pre");p.id="ostune-probe";
p.textContent="errors: "+e.length+"\n"+e.join("\n")+"\n"+r.join("\n");document.body.appendChild(p)})();
</script>'

chromium_run()
{
	timeout 120 chromium --headless --no-sandbox --disable-gpu \
		--disable-background-networking --disable-component-update \
		--disable-sync --no-first-run --user-data-dir="$(mktemp -d "$work/chromium.XXXXXX")" \
		--enable-logging=stderr --v=0 "$@"
}

report_two_objectives()
{
	local run=$work/report-run

	rm -rf "$run"
	cp -r "$tree/$VERIFIED_FIXTURE" "$run"
	"$python" - "$run/config.json" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))
config['objectives'] = [config['objective'],
                        {'metric': 'ctx_switches_per_s', 'goal': 'minimize'}]
json.dump(config, open(sys.argv[1], 'w'), indent=1)
EOF
	"$tree/user/ostune" report "$run" >/dev/null
}

report_renders()
{
	local run=$work/report-run probe dom out

	probe=$run/report-probe.html
	{ sed -e '/<\/head>/,$d' "$run/report.html"
	  printf '%s\n</head>\n' "$PROBE_HEAD"
	  sed -n -e '/<\/head>/,$p' "$run/report.html" | sed -e '1d' -e '/<\/body>/,$d'
	  printf '%s\n</body></html>\n' "$PROBE_TAIL"; } >"$probe"
	chromium_run --window-size=1100,900 --dump-dom "file://$probe" >"$work/report.dom" \
		2>"$logs/chromium-dom.log"
	dom=$(sed -n -e '/<pre id="ostune-probe">/,/<\/pre>/p' "$work/report.dom")
	printf '%s\n' "$dom"
	[ -n "$dom" ] || { echo "the probe did not run (see $logs/chromium-dom.log)"; return 1; }
	grep -q 'errors: 0$' <<<"$dom" || { echo "errors in the page"; return 1; }
	out=$(grep -c ': [0-9]* points' <<<"$dom")
	[ "$out" -eq 9 ] || { echo "$out charts rendered, expected 9"; return 1; }
	! grep -q ': 0 points' <<<"$dom" || { echo "a chart without points"; return 1; }
	out=$(grep -E 'CONSOLE|Uncaught' "$logs/chromium-dom.log" || true)
	[ -z "$out" ] || { printf '%s\n' "$out"; echo "console messages"; return 1; }
}

report_screenshot()
{
	local png=$logs/report.png size

	rm -f "$png"
	chromium_run --window-size=1100,3200 --hide-scrollbars --screenshot="$png" \
		"file://$work/report-run/report.html" >"$logs/chromium-shot.log" 2>&1
	[ -f "$png" ] || { echo "no screenshot (see $logs/chromium-shot.log)"; return 1; }
	# the PNG signature, then IHDR's width and height
	size=$(od -A n -t x1 -N 24 "$png" | tr -d ' \n')
	[ "${size:0:16}" = 89504e470d0a1a0a ] || { echo "$png is not a PNG"; return 1; }
	[ "$((16#${size:32:8}))x$((16#${size:40:8}))" = 1100x3200 ] ||
		{ echo "$png is $((16#${size:32:8}))x$((16#${size:40:8}))"; return 1; }
	# a blank page compresses to a few kB; charts and tables do not
	[ "$(stat -c %s "$png")" -gt 100000 ] || { echo "$png looks blank"; return 1; }
	echo "screenshot: $png"
}

# ----------------------------------------------------------------

copy_tree
if make -C "$tree/user" ostune >"$logs/user-build.log" 2>&1; then
	ostune_result PASS "package: the CLI builds in a copy of the tree"
else
	tail -n 20 "$logs/user-build.log"
	ostune_result FAIL "package: the CLI builds in a copy of the tree" "see $logs/user-build.log"
fi
kvers=$(ostune_kvers)

case_ "VERSION is the release of ostune --version and dkms.conf" version_everywhere

case_ "make dkms-install builds and installs ostune.ko for every kernel (real dkms, own trees)" dkms_install
for kver in $kvers; do
	case_ "dkms: ostune.ko for $kver has the image's vermagic, VERSION, the signing key" \
		dkms_module "$kver"
done

case_ "make install PREFIX=/usr DESTDIR=...: CLI, man page, completion, modprobe.d, spec" install_files
case_ "the installed CLI and man page carry VERSION" installed_works
case_ "the modprobe.d example is commented out, parses, and names the module's parameters" \
	modprobe_example
case_ "make uninstall leaves no file" uninstall_clean
case_ "PREFIX defaults to /usr/local; install and uninstall there" default_prefix
case_ "make dkms-remove removes it from every kernel and leaves no file" dkms_remove

case_ "ostune.8 formats without groff or man warnings" man_clean
case_ "ostune.8 documents every command and option of 'ostune help'" man_covers_cli

case_ "bash completion: commands, options, knob names, formats" completion

case_ "systemd-analyze verify: dist/systemd/*.service, no warning" units_verify

case_ "netlink spec validates against the kernel's genetlink schema (YNL of 6.12)" spec_validates
case_ "netlink spec numbers operations, attributes and enums as the UAPI header" spec_matches_uapi

case_ "every example config of docs/tuning-config.md passes 'ostune tune --plan'" config_examples

case_ "export tuned: TuneD's profile loader reads it, with every knob or a reason" export_tuned_loads
case_ "export shell: the script parses (sh -n, busybox sh -n)" export_shell_parses
case_ "report of a verified run with two objectives is written" report_two_objectives
case_ "report renders in headless Chromium: no console error, 9 charts laid out" report_renders
case_ "report screenshot by headless Chromium (build/logs/package/report.png)" report_screenshot

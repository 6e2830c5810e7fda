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
#   deb         make deb builds ostune and ostune-dkms (debian/); the
#               changelog, the packages and their dkms.conf carry VERSION;
#               lintian has nothing to say; the dependencies and contents
#               are right. As root, on this machine for real: apt-get
#               install of both, with uname -r saying the newest kernel as
#               on a Debian machine that runs it (dkms's postinst then
#               builds for that one alone, ours for the others); DKMS
#               built ostune.ko for every kernel (the image's vermagic,
#               VERSION); that module and the packaged CLI boot
#               in the VM on each kernel (run/modload.sh, run/apply.sh);
#               apt-get purge leaves nothing; and the host is as the tier
#               found it, put back by a trap whatever fails (dkms's signing
#               key and depmod's files included). Skipped when ostune is
#               installed on the machine already.
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

# What make install PREFIX=/usr installs: these, and each unit of
# dist/systemd/.
INSTALLED_USR=$({ printf '%s\n' etc/modprobe.d/ostune.conf usr/sbin/ostune \
			usr/share/bash-completion/completions/ostune \
			usr/share/man/man8/ostune.8 usr/share/ostune/netlink/ostune.yaml
		  for unit in "$OSTUNE_TOP"/dist/systemd/*.service; do
			  [ ! -f "$unit" ] || echo "usr/lib/systemd/system/${unit##*/}"
		  done; } | LC_ALL=C sort)

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

# module_built KO RELEASE: a module DKMS built for the image the VM tier
# boots, at VERSION, signed with DKMS's key
module_built()
{
	local ko=$1 kver=$2 want got

	got=$(modinfo -F vermagic "$ko")
	want=$(image_vermagic "$kver")
	[ "$got" = "$want" ] || { echo "vermagic '$got', the image's '$want'"; return 1; }
	got=$(modinfo -F version "$ko")
	[ "$got" = "$version" ] || { echo "module version '$got', VERSION '$version'"; return 1; }
	got=$(modinfo -F signer "$ko")
	[ "$got" = "DKMS module signing key" ] || { echo "signer '$got'"; return 1; }
}

dkms_module()
{
	local kver=$1 d=$work/dkms ko got

	ko=$(find "$d/install/$kver" -name 'ostune.ko*' -print -quit)
	[ -n "$ko" ] || { echo "no ostune.ko installed for $kver"; return 1; }
	module_built "$ko" "$kver" || return 1
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

# ---------------------------------------------------------------- Debian packages

DEB_DIR=$tree/build/deb
DEBS=("ostune_${version}_amd64.deb" "ostune-dkms_${version}_all.deb")
# What dkms and depmod may add under these, and only that, is taken away
# again when the tier ends (restore_host).
HOST_DKMS=/var/lib/dkms
HOST_SRC=/usr/src
# Set before the install: the tier's own packages, to purge whatever
# happens. (The cases run in subshells: they cannot set it.)
deb_installed=

deb_builds()
{
	local deb

	make -C "$tree" deb >"$logs/deb-build.log" 2>&1 ||
		{ tail -n 20 "$logs/deb-build.log"; echo "make deb failed, see $logs/deb-build.log"; return 1; }
	for deb in "${DEBS[@]}"; do
		[ -f "$DEB_DIR/$deb" ] || { ls "$DEB_DIR"; echo "no $deb"; return 1; }
	done
}

deb_field()
{
	dpkg-deb -f "$DEB_DIR/$1" "$2"
}

deb_versions()
{
	local got deb conf

	got=$(dpkg-parsechangelog -l "$tree/debian/changelog" -SVersion)
	[ "$got" = "$version" ] || { echo "debian/changelog says '$got', VERSION '$version'"; return 1; }
	for deb in "${DEBS[@]}"; do
		got=$(deb_field "$deb" Version)
		[ "$got" = "$version" ] || { echo "$deb has Version '$got'"; return 1; }
	done
	# dh_dkms reads PACKAGE_VERSION as text: the packaged dkms.conf has it written out
	conf=$(dpkg-deb --fsys-tarfile "$DEB_DIR/ostune-dkms_${version}_all.deb" |
		tar -x -O "./usr/src/ostune-$version/dkms.conf")
	grep -q -x "PACKAGE_VERSION=\"$version\"" <<<"$conf" ||
		{ grep PACKAGE_VERSION <<<"$conf"; echo "the packaged dkms.conf does not say $version"; return 1; }
}

# Every tag, whatever its level; overrides (debian/*.lintian-overrides)
# carry their reasons and are not shown.
deb_lintian()
{
	local out

	out=$(lintian --pedantic --display-info --display-experimental --tag-display-limit 0 \
		"$DEB_DIR/ostune_${version}_amd64.changes" 2>&1 | grep -v 'root privileges')
	printf '%s\n' "$out" >"$logs/lintian.log"
	[ -z "$out" ] || { printf '%s\n' "$out"; echo "lintian: $(wc -l <<<"$out") tags"; return 1; }
}

deb_depends()
{
	local deps lib

	deps=$(deb_field "ostune_${version}_amd64.deb" Depends)
	for lib in libmnl0 libjansson4 libgsl27 libnlopt0 libcurl4 libc6; do
		grep -q -w "$lib" <<<"$deps" || { echo "ostune: Depends: $deps"; echo "no $lib"; return 1; }
	done
	deps=$(deb_field "ostune-dkms_${version}_all.deb" Depends)
	grep -q -w dkms <<<"$deps" || { echo "ostune-dkms: Depends: $deps"; return 1; }
}

# The files of a package, without directories, its /usr/share/doc and its
# lintian overrides (what Debian's tools read about the package, not what
# it installs for its users).
deb_files()
{
	dpkg-deb --fsys-tarfile "$DEB_DIR/$1" | tar -t | sed -n -e 's|^\./||' -e '/\/$/d' \
		-e '/^$/d' -e '/^usr\/share\/doc\//d' \
		-e '/^usr\/share\/lintian\/overrides\//d' -e 'p' | LC_ALL=C sort
}

# ostune: what `make install PREFIX=/usr` puts (units under
# /lib/systemd/system, for bookworm's dh_installsystemd), the man page
# compressed; ostune-dkms: the module's sources and dkms.conf.
deb_contents()
{
	local want got

	want=$(sed -e 's|man8/ostune\.8$|man8/ostune.8.gz|' -e 's|^usr/lib/systemd/|lib/systemd/|' \
		<<<"$INSTALLED_USR" | LC_ALL=C sort)
	got=$(deb_files "ostune_${version}_amd64.deb")
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); echo "ostune has other files"; return 1; }
	rm -rf "$work/dkms-sources"
	want=$(make -s --no-print-directory -C "$tree" dkms-sources DKMS_SOURCE_TREE="$work/dkms-sources" &&
	       cd "$work/dkms-sources" && find . -type f | sed -e 's|^\./|usr/src/|' | LC_ALL=C sort)
	got=$(deb_files "ostune-dkms_${version}_all.deb")
	[ "$got" = "$want" ] || { diff <(echo "$want") <(echo "$got"); echo "ostune-dkms has other files"; return 1; }
}

# What the packages, dkms and depmod touch, as it is now: names (and for
# depmod's files their sums) under the DKMS trees, /usr/src, each
# /lib/modules/<release>/, and the units.
host_state()
{
	local dir

	find "$HOST_DKMS" "$HOST_SRC" -maxdepth 1 | LC_ALL=C sort
	for dir in /lib/modules/*/; do
		find "$dir" -maxdepth 1 ! -name 'modules.*' | LC_ALL=C sort
		(cd "$dir" && find . -maxdepth 1 -name 'modules.*' -exec md5sum {} + | LC_ALL=C sort -k2)
	done
	find /etc/systemd/system /lib/systemd/system -name 'ostune*' | LC_ALL=C sort
	dpkg-query -W -f '${Package} ${db:Status-Abbrev}\n' ostune ostune-dkms 2>/dev/null || true
}

# Purge what this tier installed, then take away what dkms and depmod
# left that was not there before: the signing key dkms makes on its first
# build, depmod's files of a kernel that had none, empty updates/.
restore_host()
{
	local path kver

	if [ -n "$deb_installed" ] && { dpkg -s ostune || dpkg -s ostune-dkms; } >/dev/null 2>&1; then
		DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=600 \
			ostune ostune-dkms >>"$logs/deb-restore.log" 2>&1 || true
	fi
	for path in "$HOST_DKMS"/mok.key "$HOST_DKMS"/mok.pub "$HOST_DKMS"/ostune \
		    "$HOST_SRC"/ostune-* /lib/modules/*/modules.* /lib/modules/*/updates; do
		[ -e "$path" ] || continue
		grep -q -x -F "$path" "$work/host-names-before" || rm -rf "$path"
	done
	# depmod's files as they were, should a purge have left a module behind
	for kver in $kvers; do
		if grep -q -x -F "/lib/modules/$kver/modules.dep" "$work/host-names-before"; then
			depmod "$kver"
		fi
	done
}

# uname -r of a Debian machine running Debian's kernel $1, for dkms's
# common.postinst: the host's own kernel is not one of those installed.
uname_shim()
{
	local dir=$work/uname-shim real

	real=$(command -v uname)
	mkdir -p "$dir"
	printf '#!/bin/sh\nif [ "$*" = -r ]; then echo %s; else exec %s "$@"; fi\n' "$1" "$real" >"$dir/uname"
	chmod +x "$dir/uname"
	printf '%s\n' "$dir"
}

# Installed as on a machine that runs the newest kernel: dkms's
# common.postinst then builds for that one only, and ostune-dkms's own
# postinst for every other kernel with headers (deb_module checks each).
deb_install()
{
	local running=$1 path

	path=$(uname_shim "$running"):$(apt-config dump --format '%v%n' DPkg::Path)
	# apt runs dpkg with DPkg::Path as PATH, not its own
	(cd "$DEB_DIR" && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends -o APT::Sandbox::User=root -o DPkg::Lock::Timeout=600 \
		-o DPkg::Path="$path" "${DEBS[@]/#/./}") >"$logs/deb-install.log" 2>&1 ||
		{ tail -n 20 "$logs/deb-install.log"; echo "apt-get install failed, see $logs/deb-install.log"; return 1; }
	# apt's log lines end in \r\n
	tr -d '\r' <"$logs/deb-install.log" | grep -q -x -F "Building for $running" ||
		{ grep '^Building for' "$logs/deb-install.log"; echo "dkms's postinst did not build for $running alone"; return 1; }
	dpkg -L ostune ostune-dkms >"$work/deb-files"
	[ "$(/usr/sbin/ostune --version)" = "ostune $version" ] || { echo "ostune --version: $(/usr/sbin/ostune --version)"; return 1; }
	grep -q "ostune $version" <<<"$(MANWIDTH=80 man 8 ostune 2>&1)" || { echo "man 8 ostune does not show $version"; return 1; }
}

deb_module_path()
{
	find "/lib/modules/$1/updates/dkms" -name 'ostune.ko*' -print -quit 2>/dev/null
}

deb_module()
{
	local kver=$1 ko got

	ko=$(deb_module_path "$kver")
	[ -n "$ko" ] || { echo "no ostune.ko in /lib/modules/$kver/updates/dkms"; return 1; }
	module_built "$ko" "$kver" || return 1
	got=$(dkms status -m ostune -v "$version" -k "$kver" 2>/dev/null)
	grep -q ": installed$" <<<"$got" || { printf '%s\n' "$got"; echo "dkms status does not say installed"; return 1; }
}

# Boot the module DKMS built, with the packaged CLI: every TAP result of
# run/modload.sh and run/apply.sh is a case.
deb_vm()
{
	local kver=$1 ko runs=modload,apply vmbuild=$work/vm log status name reason

	ko=$(deb_module_path "$kver")
	if [ -z "$ko" ]; then
		ostune_result FAIL "package: vm $kver: boots" "no ostune.ko DKMS built for $kver"
		return 0
	fi
	OSTUNE_BUILD=$vmbuild OSTUNE_VM_MODULE=$ko OSTUNE_VM_CLI=/usr/sbin/ostune OSTUNE_VM_TIMEOUT=120 \
		"$OSTUNE_TOP/tests/vm/run.sh" "$kver" "$runs" >"$logs/deb-vm-$kver.log" 2>&1 || true
	log=$vmbuild/vm/$kver/${runs//,/+}.log
	if [ ! -f "$log" ]; then
		ostune_result FAIL "package: vm $kver: boots" "QEMU did not run, see $logs/deb-vm-$kver.log"
		return 0
	fi
	awk -v kver="$kver" -v runs="$runs" -f "$OSTUNE_TOP/tests/vm/tap.awk" "$log" |
		while IFS=$'\t' read -r status name reason; do
			ostune_result "$status" "package: $name (DKMS-built module)" "$reason"
		done
}

deb_purge()
{
	local left

	DEBIAN_FRONTEND=noninteractive apt-get purge -y -q -o DPkg::Lock::Timeout=600 \
		ostune ostune-dkms >"$logs/deb-purge.log" 2>&1 ||
		{ tail -n 20 "$logs/deb-purge.log"; return 1; }
	left=$(while read -r path; do
		       [ -d "$path" ] || [ ! -e "$path" ] || echo "$path"
	       done <"$work/deb-files"
	       find "$HOST_DKMS" "$HOST_SRC" -maxdepth 1 -name 'ostune*'
	       find /lib/modules/*/updates -name 'ostune.ko*' 2>/dev/null
	       find /etc/systemd/system /lib/systemd/system -name 'ostune*')
	[ -z "$left" ] || { printf '%s\n' "$left"; echo "purge left these"; return 1; }
	[ -z "$(ostune_pkg_version ostune)$(ostune_pkg_version ostune-dkms)" ] ||
		{ echo "dpkg still has them"; return 1; }
}

host_as_found()
{
	restore_host
	host_state >"$work/host-after"
	diff "$work/host-before" "$work/host-after" || { echo "the host changed"; return 1; }
}

deb_cases()
{
	local kver running start=$SECONDS

	case_ "make deb builds ostune and ostune-dkms (dpkg-buildpackage, debhelper, dh-dkms)" deb_builds
	case_ "debian/changelog, both packages and the packaged dkms.conf carry VERSION" deb_versions
	case_ "lintian: no tag at any level, pedantic and experimental too" deb_lintian
	case_ "ostune depends on the libraries it links, ostune-dkms on dkms" deb_depends
	case_ "ostune has what make install installs, ostune-dkms the module's sources" deb_contents
	if [ "$(id -u)" -ne 0 ]; then
		ostune_result SKIP "package: apt-get install, DKMS, VM and purge of the packages" \
			"not root: apt-get install needs it"
		return 0
	fi
	if [ -n "$(ostune_pkg_version ostune)$(ostune_pkg_version ostune-dkms)$(find "$HOST_DKMS" \
		"$HOST_SRC" -maxdepth 1 -name 'ostune*')" ]; then
		ostune_result SKIP "package: apt-get install, DKMS, VM and purge of the packages" \
			"ostune is installed on this machine (package or make dkms-install): not touched"
		return 0
	fi
	if [ ! -f "$DEB_DIR/ostune-dkms_${version}_all.deb" ]; then
		ostune_result FAIL "package: apt-get install ./ostune*.deb" "cannot run: make deb failed"
		return 0
	fi
	host_state >"$work/host-before"
	find "$HOST_DKMS" "$HOST_SRC" /lib/modules/*/ -maxdepth 1 >"$work/host-names-before"
	# whatever happens from here, the host is put back as it was
	trap restore_host EXIT
	trap 'exit 143' TERM INT
	running=$(tail -n 1 <<<"$kvers")
	deb_installed=yes
	case_ "apt-get install ./ostune*.deb running $running: dkms builds for it, the CLI and man page work" \
		deb_install "$running"
	for kver in $kvers; do
		case_ "DKMS built ostune.ko for $kver: the image's vermagic, VERSION, signed, installed" \
			deb_module "$kver"
	done
	for kver in $kvers; do
		deb_vm "$kver"
	done
	case_ "apt-get purge leaves no file of theirs, DKMS tree, built module or unit" deb_purge
	case_ "the host is as the tier found it (DKMS trees, /usr/src, /lib/modules, units)" host_as_found
	trap - EXIT TERM INT
	ostune_log "Debian packages: $((SECONDS - start))s"
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

deb_cases

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

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the initramfs the VM tier boots for one kernel release:
#
#	/init                     tests/vm/init
#	/bin/                     busybox-static and its applets
#	/ostune/ostune.ko         build/<release>/kmod/ostune.ko (tests/tier-build.sh),
#	                          or $OSTUNE_VM_MODULE (uncompressed if it is .ko.xz
#	                          or .ko.zst: busybox insmod reads plain ELF only)
#	/ostune/fixtures/*.ko     the selftests/fixtures/ modules built for <release>,
#	                          and the image's dummy.ko and 8021q.ko with its
#	                          dependencies (the nic tests' devices); veth.ko,
#	                          sch_netem.ko, tcp_bbr.ko, inet_diag.ko and
#	                          tcp_diag.ko (run/watch.sh's lab); e1000e.ko
#	                          (run/niccoal.sh's NICs)
#	/ostune/bin/              user/ostune (or $OSTUNE_VM_CLI) and the selftests' VM binaries,
#	                          and the workloads of tests/vm/workloads.list
#	/ostune/run/*.sh          tests/vm/run/*.sh
#	/ostune/tap.sh            tests/vm/tap.sh, the TAP helpers they source
#	/ostune/systemd/          dist/systemd/*.service (run/boot.sh)
#	/ostune/selftests.list    the selftest programs run/selftests.sh runs
#	/ostune/ynl/, /usr/lib/python3*/   the kernel's YNL client, tests/vm/ynl-files.sh
#	/ostune/llm/scripted-server.py   user/tests/llm/'s OpenAI-compatible endpoint (run/llm.sh)
#	/lib*/                    the binaries' shared libraries, as ldd finds them
#	/etc/passwd, /etc/group   root, and nobody (65534) for unprivileged tests
#
# FLAVOUR systemd (the `systemd` run of tests/vm/run.sh) leaves out the
# selftests, benchmarks, workloads and python, and makes the host's
# systemd PID 1 instead (tests/vm/systemd-files.sh): /init is
# /lib/systemd/systemd, and tests/vm/init, as /ostune/init, is a unit.
#
# The selftests Makefile names what goes into the VM: `make -C selftests
# print-vm-bins` the binaries to copy, `print-vm-tests` the programs to run
# (paths relative to selftests/); both default to ostune_test. Anything
# missing is left out with a warning; the run scripts then fail on it.
#
# Usage: tests/vm/mkinitramfs.sh RELEASE [busybox|systemd]  (prints the
#        initramfs path)
# Environment: OSTUNE_VM_MODULE  the ostune.ko to load instead of the tree's,
#                                e.g. /lib/modules/RELEASE/updates/dkms/ostune.ko
#              OSTUNE_VM_CLI     the ostune CLI instead of user/ostune,
#                                e.g. /usr/sbin/ostune of the ostune package

set -euo pipefail

. "$(dirname "$0")/../lib.sh"

kver=${1:?usage: $0 RELEASE [busybox|systemd]}
flavour=${2:-busybox}
out=$OSTUNE_BUILD/vm/$kver
case $flavour in
busybox) root=$out/root cpio=$out/initramfs.cpio ;;
systemd) root=$out/root-systemd cpio=$out/initramfs-systemd.cpio ;;
*) ostune_die "no initramfs flavour $flavour (busybox, systemd)" ;;
esac
kbuild=$OSTUNE_BUILD/$kver
module=${OSTUNE_VM_MODULE:-$kbuild/kmod/ostune.ko}
cli=${OSTUNE_VM_CLI:-$OSTUNE_TOP/user/ostune}

# make -C selftests TARGET, or DEFAULT when there is no such target yet.
selftests_list()
{
	local target=$1 default=$2
	local -a mk=(make -s --no-print-directory -C "$OSTUNE_TOP/selftests")

	# make -q exits 2, and only then, when it has no rule for the target.
	if [ -f "$OSTUNE_TOP/selftests/Makefile" ] &&
	   { "${mk[@]}" -q "$target" 2>/dev/null; [ $? -ne 2 ]; }; then
		"${mk[@]}" "$target"
	else
		printf '%s\n' "$default"
	fi
}

# Copy a binary to /ostune/bin with the shared libraries it needs
# (ostune_install_libs).
install_bin()
{
	local bin=$1

	if [ ! -x "$bin" ]; then
		ostune_log "warning: $bin is not built; the VM will not have it"
		return 0
	fi
	cp "$bin" "$root/ostune/bin/"
	ostune_install_libs "$root" "$bin"
}

rm -rf "$root"
mkdir -p "$root"/{bin,dev,etc,proc,root,sys,tmp,usr} "$root"/ostune/{bin,fixtures,run}
ln -s bin "$root/sbin"
ln -s ../bin "$root/usr/bin"
ln -s ../bin "$root/usr/sbin"
# The kernel opens the console before /init mounts devtmpfs.
mknod -m 600 "$root/dev/console" c 5 1

busybox=$(command -v busybox)
ldd "$busybox" >/dev/null 2>&1 && ostune_die "$busybox is not static (install busybox-static)"
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done

if [ "$flavour" = systemd ]; then
	install -m 755 "$OSTUNE_TOP/tests/vm/init" "$root/ostune/init"
else
	install -m 755 "$OSTUNE_TOP/tests/vm/init" "$root/init"
fi
install -m 644 "$OSTUNE_TOP"/tests/vm/run/*.sh "$root/ostune/run/"
install -m 644 "$OSTUNE_TOP/tests/vm/tap.sh" "$root/ostune/tap.sh"
# The systemd units, whose command lines run/boot.sh runs.
install -D -m 644 -t "$root/ostune/systemd" "$OSTUNE_TOP"/dist/systemd/*.service
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' \
	>"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

[ -z "${OSTUNE_VM_MODULE:-}" ] || [ -f "$module" ] || ostune_die "no $module (OSTUNE_VM_MODULE)"
case $module in
*.ko.xz) xz -dc "$module" >"$root/ostune/ostune.ko" ;;
*.ko.zst) zstd -q -dc "$module" >"$root/ostune/ostune.ko" ;;
*)
	if [ -f "$module" ]; then
		cp "$module" "$root/ostune/ostune.ko"
	else
		ostune_log "warning: $module is not built (run tests/tier-build.sh)"
	fi
	;;
esac
# The kernel image's own dummy.ko, for the nic tests' network devices with
# as many queues as they ask for (QEMU's VM here has no NIC, lo one queue),
# and 8021q.ko with what it needs, for a VLAN's dotted name; run/watch.sh's
# lab joins two network namespaces with veth, delays and drops with netem,
# has bbr as a second congestion control and sock_diag for TCP (ss, and
# ostune watch's view of sockets at their buffer maxima).
kmods=$OSTUNE_CACHE/kernels/$kver/lib/modules/$kver/kernel
for ko in "$kmods"/drivers/net/dummy.ko* "$kmods"/drivers/net/veth.ko* \
	  "$kmods"/net/llc/llc.ko* \
	  "$kmods"/net/802/stp.ko* "$kmods"/net/802/garp.ko* \
	  "$kmods"/net/802/mrp.ko* "$kmods"/net/8021q/8021q.ko* \
	  "$kmods"/net/sched/sch_netem.ko* \
	  "$kmods"/net/ipv4/tcp_bbr.ko* "$kmods"/net/ipv4/inet_diag.ko* \
	  "$kmods"/net/ipv4/tcp_diag.ko* \
	  "$kmods"/drivers/net/ethernet/intel/e1000e/e1000e.ko*; do
	name=${ko##*/}
	name=${name%%.ko*}
	case $ko in
	*.ko.xz) xz -dc "$ko" >"$root/ostune/fixtures/$name.ko" ;;
	*.ko.zst) zstd -q -dc "$ko" >"$root/ostune/fixtures/$name.ko" ;;
	*.ko) cp "$ko" "$root/ostune/fixtures/$name.ko" ;;
	esac
done
if [ -f "$kbuild/selftests/fixtures/modules.order" ]; then
	for ko in $(sed -e 's/\.o$/.ko/' "$kbuild/selftests/fixtures/modules.order"); do
		cp "$ko" "$root/ostune/fixtures/"
	done
fi

install_bin "$cli"
if [ "$flavour" = systemd ]; then
	"$OSTUNE_TOP/tests/vm/systemd-files.sh" "$root" "$kver"
else
	for bin in $(selftests_list print-vm-bins ostune_test); do
		install_bin "$OSTUNE_TOP/selftests/$bin"
	done
	# The benchmarks, when bench/ has been built (make bench).
	for bin in $(make -s --no-print-directory -C "$OSTUNE_TOP/bench" print-vm-bins); do
		if [ -x "$bin" ]; then
			install_bin "$bin"
		fi
	done
	selftests_list print-vm-tests ostune_test | sed -e 's|.*/||' >"$root/ostune/selftests.list"
	# The workloads `ostune tune` measures in the VM (tests/vm/workloads.list),
	# from the host's packages (tests/deps.list installs them).
	for bin in $(sed -e 's/#.*//' "$OSTUNE_TOP/tests/vm/workloads.list"); do
		if command -v "$bin" >/dev/null; then
			install_bin "$(command -v "$bin")"
		else
			ostune_log "warning: $bin is not installed; the VM will not have it"
		fi
	done
	# python3 and the kernel's YNL client with our netlink spec (run/ynl.sh),
	# and the scripted endpoint the llm tuner talks to (run/llm.sh).
	install_bin /usr/bin/python3
	"$OSTUNE_TOP/tests/vm/ynl-files.sh" "$root"
	install -D -m 644 -t "$root/ostune/llm" "$OSTUNE_TOP/user/tests/llm/scripted-server.py"
	# iproute2's ip, tc and ss for run/watch.sh (veth pairs, netem, socket
	# buffers), beside busybox's ip, which the other scripts keep.
	mkdir -p "$root/ostune/iproute2"
	for bin in /usr/sbin/ip /usr/sbin/tc /usr/bin/ss; do
		cp "$bin" "$root/ostune/iproute2/"
		ostune_install_libs "$root" "$bin"
	done
fi

# Uncompressed: the guest unpacks it faster than it could decompress it.
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet) >"$cpio"
printf '%s\n' "$cpio"

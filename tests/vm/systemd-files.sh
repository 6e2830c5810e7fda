#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Make an initramfs tree boot the host's systemd (Debian 12's 252) as
# PID 1, for tests/vm/run/systemd.sh (tests/vm/mkinitramfs.sh systemd):
#
#	/init -> /lib/systemd/systemd
#	/lib/systemd/, /bin/     systemd, journald, udevd, modules-load,
#	                         shutdown, systemctl, journalctl, udevadm and
#	                         kmod (modprobe), with their shared libraries
#	/bin/ostune              /ostune/bin/ostune, where the unit runs it
#	/lib/systemd/system/     the host's units of tests/vm/systemd/units.list,
#	                         dist/systemd/*.service and the test units of
#	                         tests/vm/systemd/; enabled by `systemctl
#	                         --root`, ostune-apply.service as a user would
#	/lib/modules/<release>/  updates/ostune.ko, and tcp_bbr from the kernel
#	                         image (tests/kernels.sh), loaded by
#	                         systemd-modules-load (/etc/modules-load.d), so
#	                         that its place before ostune-apply shows;
#	                         indexed by depmod, so `modprobe ostune` works
#
# Usage: tests/vm/systemd-files.sh ROOT RELEASE

set -euo pipefail

. "$(dirname "$0")/../lib.sh"

root=${1:?usage: $0 ROOT RELEASE}
kver=${2:?usage: $0 ROOT RELEASE}
here=$OSTUNE_TOP/tests/vm/systemd
units=/lib/systemd/system
mods=$root/lib/modules/$kver
image_mods=$OSTUNE_CACHE/kernels/$kver/lib/modules/$kver

[ -x /lib/systemd/systemd ] || ostune_die "no /lib/systemd/systemd (install systemd: tests/deps.list)"

for bin in /lib/systemd/systemd /lib/systemd/systemd-journald /lib/systemd/systemd-modules-load \
	   /lib/systemd/systemd-shutdown /bin/systemctl /bin/journalctl /bin/udevadm /bin/kmod; do
	mkdir -p "$root${bin%/*}"
	# Over busybox's applet of that name, if it has one.
	rm -f "$root$bin"
	cp -L "$bin" "$root$bin"
	ostune_install_libs "$root" "$bin"
done
ln -s ../../bin/udevadm "$root/lib/systemd/systemd-udevd"
ln -sf kmod "$root/bin/modprobe"
# The unit's /usr/sbin/ostune (/usr/sbin is /bin here).
ln -s /ostune/bin/ostune "$root/bin/ostune"
ln -s lib/systemd/systemd "$root/init"
cp -L /etc/os-release "$root/etc/os-release"
echo ostune-vm >"$root/etc/hostname"
# Empty, not missing: not a first boot, whose presets would enable units
# where only `systemctl enable` below should.
: >"$root/etc/machine-id"

mkdir -p "$root$units"
sed -e 's/#.*//' "$here/units.list" | while read -r unit target; do
	[ -n "$unit" ] || continue
	cp "$units/$unit" "$root$units/"
	if [ -n "$target" ]; then
		mkdir -p "$root$units/$target.wants"
		ln -s "../$unit" "$root$units/$target.wants/$unit"
	fi
done
install -m 644 -t "$root$units" "$OSTUNE_TOP"/dist/systemd/*.service "$here"/*.service
systemctl --root="$root" -q set-default multi-user.target
systemctl --root="$root" -q enable ostune-apply.service ostune-vm-setup.service ostune-vm.service

mkdir -p "$mods/updates"
if [ -f "$root/ostune/ostune.ko" ]; then
	cp "$root/ostune/ostune.ko" "$mods/updates/"
fi
if [ -d "$image_mods" ]; then
	cp "$image_mods"/modules.builtin* "$image_mods"/modules.order "$mods/"
	bbr=$(cd "$image_mods" && find kernel -name 'tcp_bbr.ko*')
	install -D -m 644 "$image_mods/$bbr" "$mods/$bbr"
	mkdir -p "$root/etc/modules-load.d"
	echo tcp_bbr >"$root/etc/modules-load.d/ostune-vm.conf"
else
	ostune_log "warning: no $image_mods (tests/kernels.sh): systemd-modules-load will have nothing to load"
fi
depmod -b "$root" "$kver"

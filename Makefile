# SPDX-License-Identifier: GPL-2.0
#
# make                 the module (kmod/ostune.ko) against KDIR, and user/ostune
# make modules | user  one of them
# make check           install prerequisites, run every test tier (tests/check.sh);
#                      the last line is "N passed, N failed"
# make check-user | check-build | check-package | check-vm | check-debug
#                      one tier (the package tier: install, DKMS, the
#                      Debian packages, docs, netlink spec, export and report)
# make bench           boot the test kernels and print the benchmarks' figures
# make demo            see ostune tune a kernel: Debian's 6.12 in QEMU (tests/demo.sh)
# make vm [KVER=...] [RUN=name[,name]]       boot a test kernel (RUN=shell: a shell)
# make install | uninstall [PREFIX=/usr/local] [DESTDIR=]   the CLI, man page,
#                      bash completion, an example /etc/modprobe.d/ostune.conf,
#                      the systemd units of dist/systemd/
# make dkms-install | dkms-remove   ostune.ko through DKMS, for every kernel
#                      with headers in /lib/modules (KERNELS=... to choose)
# make deb             the Debian packages ostune and ostune-dkms, built in
#                      a copy of the tree, into build/deb/ (debian/)
# make clean
#
# Kbuild reads ./Kbuild, not this file, when it builds the module.

KDIR ?= /lib/modules/$(shell uname -r)/build
# Downloads and unpacked trees the tests need, kept outside the clone.
OSTUNE_CACHE ?= /var/cache/ostune
export OSTUNE_CACHE

all: modules user

modules:
	@test -d "$(KDIR)" || { \
		echo "No kernel headers at $(KDIR): set KDIR=/usr/src/linux-headers-<release>" >&2; \
		exit 1; }
	$(MAKE) -C "$(KDIR)" M="$(CURDIR)" modules

user:
	$(MAKE) -C user

check:
	tests/check.sh

check-user check-build check-package check-vm check-debug:
	tests/check.sh $(@:check-%=%)

bench:
	bench/run.sh

demo:
	tests/demo.sh

KVER ?= $(firstword $(shell tests/kernels.sh | cut -d' ' -f1))
vm:
	tests/vm/run.sh "$(KVER)" $(RUN)

# Without KDIR too: what an in-tree module build leaves behind.
clean:
	rm -f kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd kmod/modules.order
	rm -f .*.cmd .module-common.o Module.symvers modules.order
	rm -rf build
	if [ -f user/Makefile ]; then $(MAKE) -C user clean; fi
	if [ -f selftests/Makefile ]; then $(MAKE) -C selftests clean; fi
	$(MAKE) -C bench clean

.PHONY: all modules user check check-user check-build check-package check-vm check-debug
.PHONY: vm bench demo clean

# The release, written once in VERSION (kmod/Kbuild, user/Makefile and
# dkms.conf read it too).
VERSION := $(shell sed -n '/^[^#]/p' VERSION)

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
# modprobe reads /etc/modprobe.d whatever the prefix
SYSCONFDIR ?= /etc
# systemd reads units from /usr/local/lib/systemd/system too
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install

# What `make install` puts where, as SOURCE:DESTINATION:MODE.
INSTALL_FILES := user/ostune:$(SBINDIR)/ostune:755 \
	docs/ostune.8:$(MANDIR)/man8/ostune.8:644 \
	dist/bash-completion/ostune:$(BASHCOMPDIR)/ostune:644 \
	dist/modprobe.d/ostune.conf:$(SYSCONFDIR)/modprobe.d/ostune.conf:644 \
	docs/netlink/ostune.yaml:$(DATADIR)/ostune/netlink/ostune.yaml:644 \
	$(foreach u,$(wildcard dist/systemd/*.service),$(u):$(SYSTEMDUNITDIR)/$(notdir $(u)):644)

install: user
	@set -e; for f in $(INSTALL_FILES); do \
		src=$${f%%:*}; rest=$${f#*:}; \
		echo "  INSTALL $(DESTDIR)$${rest%:*}"; \
		$(INSTALL) -D -m "$${rest##*:}" "$$src" "$(DESTDIR)$${rest%:*}"; \
	done
	sed -i -e 's/@VERSION@/$(VERSION)/' "$(DESTDIR)$(MANDIR)/man8/ostune.8"
	@# a unit names the CLI as /usr/sbin/ostune, where the package puts
	@# it: here, where this install put it
	@set -e; for u in $(notdir $(wildcard dist/systemd/*.service)); do \
		sed -i -e 's|/usr/sbin/ostune|$(SBINDIR)/ostune|g' "$(DESTDIR)$(SYSTEMDUNITDIR)/$$u"; \
	done

uninstall:
	@set -e; for f in $(INSTALL_FILES); do \
		rest=$${f#*:}; \
		echo "  RM      $(DESTDIR)$${rest%:*}"; \
		rm -f "$(DESTDIR)$${rest%:*}"; \
	done; \
	rmdir "$(DESTDIR)$(DATADIR)/ostune/netlink" "$(DESTDIR)$(DATADIR)/ostune" 2>/dev/null || true

# DKMS. DKMS_FLAGS go to every dkms call (the tests use --dkmstree,
# --installtree and --no-depmod to stay out of the host's trees);
# DKMS_SOURCE_TREE is dkms's --sourcetree, where the sources are copied.
DKMS ?= dkms
DKMS_FLAGS ?=
DKMS_SOURCE_TREE ?= /usr/src
KERNELS ?= $(sort $(notdir $(patsubst %/build,%,$(wildcard /lib/modules/*/build))))
DKMS_SOURCES := Kbuild VERSION dkms.conf include/uapi/linux/ostune.h kmod/Kbuild \
	$(filter-out %.mod.c,$(wildcard kmod/*.[ch]))
dkms := $(DKMS) --sourcetree "$(DKMS_SOURCE_TREE)" $(DKMS_FLAGS)

# The module's sources where dkms looks for them (ostune-dkms is made of
# these).
dkms-sources:
	mkdir -p "$(DKMS_SOURCE_TREE)/ostune-$(VERSION)"
	cp --parents $(DKMS_SOURCES) "$(DKMS_SOURCE_TREE)/ostune-$(VERSION)/"

# Replaces an earlier dkms-install of the same version.
dkms-install: dkms-remove
	@test -n "$(KERNELS)" || { echo "no kernel headers in /lib/modules/*/build" >&2; exit 1; }
	$(MAKE) dkms-sources
	$(dkms) add ostune/$(VERSION)
	set -e; for k in $(KERNELS); do $(dkms) install ostune/$(VERSION) -k "$$k"; done

dkms-remove:
	if [ -n "$$($(dkms) status ostune/$(VERSION))" ]; then \
		$(dkms) remove ostune/$(VERSION) --all; fi
	rm -rf "$(DKMS_SOURCE_TREE)/ostune-$(VERSION)"

.PHONY: install uninstall dkms-sources dkms-install dkms-remove check-package

# Debian packages (debian/), built in a copy of the tree without the .git
# and build/ of this one: dpkg-buildpackage writes them next to the copy,
# into build/deb/, and cleans the copy first.
DEB_DIR ?= $(CURDIR)/build/deb
deb:
	rm -rf "$(DEB_DIR)"
	mkdir -p "$(DEB_DIR)/ostune-$(VERSION)"
	tar -c --exclude=./.git --exclude=./build . | tar -x -C "$(DEB_DIR)/ostune-$(VERSION)"
	cd "$(DEB_DIR)/ostune-$(VERSION)" && dpkg-buildpackage -b -us -uc
	@ls "$(DEB_DIR)"/*.deb

.PHONY: deb

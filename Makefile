# SPDX-License-Identifier: GPL-2.0
#
# make                 the module (kmod/ostune.ko) against KDIR, and user/ostune
# make modules | user  one of them
# make check           install prerequisites, run every test tier (tests/check.sh);
#                      the last line is "N passed, N failed"
# make check-user | check-build | check-vm   one tier
# make bench           boot the test kernels and print the benchmarks' figures
# make vm [KVER=...] [RUN=name[,name]]       boot a test kernel (RUN=shell: a shell)
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

check-user check-build check-vm:
	tests/check.sh $(@:check-%=%)

bench:
	bench/run.sh

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

.PHONY: all modules user check check-user check-build check-vm vm bench clean

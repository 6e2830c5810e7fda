#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmarks of bench/ (make bench), inside the VM with the module
# loaded.
exec /ostune/bin/apply_restore

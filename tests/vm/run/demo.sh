#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=dash # busybox ash
#
# make demo, inside the VM: the embedded default tuning session
# (`ostune tune` without a config), then its output directory as a
# gzipped tar in base64 between two marker lines, for tests/demo.sh to
# put back together on the host.

out=/tmp/ostune-demo
echo "demo: ostune doctor"
ostune doctor 2>&1 | sed 's/^/  /'
echo "demo: ostune tune --output $out   (the embedded default config)"
# Through a pipe: the serial port is a terminal, but a log file reads it,
# so plain progress lines rather than one line redrawn in place.
ostune tune --output $out 2>&1 | cat
echo "demo: ostune tune done"
echo "OSTUNE-DEMO-TAR-BEGIN"
tar -C /tmp -cf - ostune-demo | gzip | base64
echo "OSTUNE-DEMO-TAR-END"

#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The KUnit suites built into ostune.ko on a kernel with KUnit (the debug
# tier's, see kmod/tests/). They run whenever the module loads. The module
# is loaded again here, after kmemleak has been told to forget what the boot
# left (run/kmemleak.sh scans at the end), so that the suites run under its
# eye too. Their KTAP goes to the kernel log (debugfs keeps only the first
# 512 bytes of a test's log); each test, and each parameter of a
# parameterised test, is one TAP case of its suite's stream.

K=/sys/kernel/debug/kunit
L=/sys/kernel/debug/kmemleak

rmmod ostune 2>/dev/null
if [ -w $L ]; then
	echo scan >$L
	echo clear >$L
fi
mark="ostune-kunit: loading $OSTUNE_KO"
echo "$mark" >/dev/kmsg
insmod "$OSTUNE_KO" || echo "# insmod $OSTUNE_KO failed"

if [ -z "$(ls -d $K/ostune_* 2>/dev/null)" ]; then
	echo "# program: kunit"
	printf 'TAP version 13\n1..1\nnot ok 1 KUnit suites of ostune.ko in %s\n' $K
	exit 1
fi

# "    # Subtest: S" opens suite S, "ok N S" at the margin closes it;
# "    ok N T" is test T, "        ok N P" parameter P of the test whose
# "        # Subtest: T" came before; a parameterised test's own line only
# repeats its parameters' verdict.
dmesg | sed -e 's/^\[[^]]*\] //' | awk -v mark="$mark" '
	!seen { seen = index($0, mark); next }
	/^    # Subtest: / {
		suite = $3; n = 0
		print "# program: kunit/" suite
		print "TAP version 13"
		next
	}
	suite == "" { next }
	/^        # Subtest: / { param = $3; next }
	/^        (not )?ok [0-9]+ / {
		bad = ($1 == "not"); desc = $0
		sub(/^ *(not )?ok [0-9]+ /, "", desc)
		printf "%sok %d - %s [%s]\n", bad ? "not " : "", ++n, param, desc
		params = 1; failed += bad
		next
	}
	/^    (not )?ok [0-9]+ / {
		bad = ($1 == "not")
		if (params && !bad) { params = 0; next }
		params = 0; desc = $0
		sub(/^ *(not )?ok [0-9]+ /, "", desc)
		printf "%sok %d - %s\n", bad ? "not " : "", ++n, desc
		failed += bad
		next
	}
	/^(not )?ok [0-9]+ / { print "1.." n; suite = ""; next }
	/^ +# / { d = $0; sub(/^ +/, "", d); print d }
	END { exit failed ? 1 : 0 }
'

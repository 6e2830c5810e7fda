#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Put the kernel's generic netlink client into an initramfs tree, for
# tests/vm/run/ynl.sh, laid out as in the kernel source so that cli.py
# finds the schema next to the spec's directory by itself, with the
# Python modules the scripted LLM endpoint (run/llm.sh) needs too:
#
#	/ostune/ynl/cli.py, lib/         tools/net/ynl of linux-source-6.12
#	/ostune/ynl/netlink/*.yaml       Documentation/netlink: the schemas
#	/ostune/ynl/netlink/specs/ostune.yaml   docs/netlink/ostune.yaml
#	/usr/lib/python3*/...            the Python modules cli.py and
#	                                 user/tests/llm/scripted-server.py use
#
# The python3 binary itself goes to /ostune/bin with mkinitramfs.sh's
# install_bin (it needs its shared libraries). Which modules cli.py uses
# is found by running its imports and the spec's validation against the
# schema on the host with Debian's python3, and the scripted server's
# imports (http.server brings email, html, mimetypes, urllib and
# socketserver), and listing what got loaded:
# standard library modules file by file (with their compiled .pyc, so the
# guest need not compile them), packages from dist-packages whole (with
# their data: jsonschema's metaschemas). Without the unpacked source
# (tests/ynl-source.sh) this warns and adds nothing; run/ynl.sh and
# run/llm.sh then fail.
#
# Usage: tests/vm/ynl-files.sh ROOT

set -euo pipefail

. "$(dirname "$0")/../lib.sh"

root=${1:?usage: $0 ROOT}
ynl=$OSTUNE_YNL_SRC/tools/net/ynl
schemas=$OSTUNE_YNL_SRC/Documentation/netlink
python=/usr/bin/python3

if [ ! -f "$ynl/cli.py" ]; then
	ostune_log "warning: no $ynl/cli.py (run tests/ynl-source.sh); the VM will not have it"
	exit 0
fi

mkdir -p "$root/ostune/ynl/lib" "$root/ostune/ynl/netlink/specs"
cp "$ynl/cli.py" "$root/ostune/ynl/"
cp "$ynl"/lib/*.py "$root/ostune/ynl/lib/"
cp "$schemas"/*.yaml "$root/ostune/ynl/netlink/"
cp "$OSTUNE_TOP/docs/netlink/ostune.yaml" "$root/ostune/ynl/netlink/specs/"

# One path per line: a standard library file, or a dist-packages entry
# (package directory or single module) to copy whole. A spec the schema
# rejects is run/ynl.sh's to report; the modules are loaded either way.
probe()
{
	env -i LC_ALL=C "$python" -I - "$ynl" "$root/ostune/ynl/netlink/specs/ostune.yaml" <<'EOF'
import os, sys, traceback
sys.path.insert(0, sys.argv[1])
import argparse, json, pprint, time
import http.server, threading   # user/tests/llm/scripted-server.py
import encodings.idna           # its socket.getfqdn, loaded when called
from lib import YnlFamily, Netlink, NlError
from lib.nlspec import SpecFamily
try:
    SpecFamily(sys.argv[2])     # validates against ../genetlink.yaml
except Exception:
    traceback.print_exc()
out = set()
for mod in list(sys.modules.values()):
    path = getattr(mod, '__file__', None)
    if not path or not path.startswith('/') or path.startswith(sys.argv[1]):
        continue
    for site in sys.path:
        if 'packages' in site and path.startswith(site + '/'):
            out.add(os.path.join(site, path[len(site) + 1:].split('/')[0]))
            break
    else:
        out.add(path)
print('\n'.join(sorted(out)))
EOF
}

for path in $(probe); do
	mkdir -p "$root${path%/*}"
	cp -a "$path" "$root$path"
	for pyc in "${path%/*}/__pycache__/$(basename "$path" .py)".cpython-*.pyc; do
		if [ -f "$pyc" ]; then
			mkdir -p "$root${pyc%/*}"
			cp -p "$pyc" "$root$pyc"
		fi
	done
done

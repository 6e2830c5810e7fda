#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The layers of user/ (user/README.md): each folder may include its own
# headers and those of the folders below it, never those above, and names
# the folder of every header it includes ("knobs/changeset.h"), so that
# the direction of every dependency shows in the include line. From the
# top:
#
#	cmd      the command line: main, the subcommand table, cmd_*
#	watch    ostune watch: the counters, the rules, the daemon loop
#	output   run directories, the report, exports
#	tune     the measurement loop, its config, results, verification
#	search   the search space, the tuners, the GP
#	measure  targets, workloads, metrics, proxies
#	knobs    names, discovery, the knob set, profiles, the module layer
#	lib      the netlink client (also linked by selftests/ and bench/)
#	base     numbers, RNG, statistics, child processes and the clock
#
# lib/ is included from outside user/ as "client.h" too, so its own
# files include each other without a folder. user/tests/ and user/fuzz/
# exercise every layer and are not one.
#
# Prints each offending include as FILE:LINE: WHY; exits 1 if there is
# one, or a folder of user/ with C sources that has no place above.
#
# Usage: tests/check-layers.sh [USER_DIR]   (default: user/ of this tree)

set -euo pipefail

user=${1:-$(cd "$(dirname "$0")/.." && pwd)/user}
layers=(cmd watch output tune search measure knobs lib base)
exempt=" tests fuzz "
bad=0

# rank LAYER: its position from the top, or nothing for a folder that is
# not a layer.
rank()
{
	local i

	for i in "${!layers[@]}"; do
		if [ "${layers[$i]}" = "$1" ]; then
			echo "$i"
			return
		fi
	done
}

complain()
{
	printf '%s\n' "$1"
	bad=1
}

cd "$user"
while IFS= read -r -d '' file; do
	file=${file#./}
	case $file in
	*/*) folder=${file%%/*} ;;
	*) complain "$file: a source outside every layer folder"; continue ;;
	esac
	[[ $exempt == *" $folder "* ]] && continue
	own=$(rank "$folder")
	if [ -z "$own" ]; then
		complain "$file: '$folder/' is not a layer (tests/check-layers.sh lists them)"
		continue
	fi
	while IFS=: read -r line header; do
		if [[ $header != */* ]]; then
			[ "$folder" = lib ] && continue
			complain "$file:$line: \"$header\" does not name its layer"
			continue
		fi
		dep=$(rank "${header%%/*}")
		if [ -z "$dep" ]; then
			complain "$file:$line: \"$header\" is in no layer"
		elif [ "$dep" -lt "$own" ]; then
			complain "$file:$line: \"$header\" is from ${header%%/*}/, a layer above $folder/"
		fi
	done < <(grep -n -E '^[[:space:]]*#[[:space:]]*include[[:space:]]+"' "$file" |
		 sed -E 's/^([0-9]+):[^"]*"([^"]+)".*/\1:\2/' || true)
done < <(find . -type f -name '*.[ch]' -print0 | sort -z)
exit "$bad"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# apt-suite.sh CACHE SUITE apt-get|apt-cache ARGS... : run apt for one Debian suite family
# without touching the machine's apt configuration. bookworm is the host's own suite and
# uses its configuration as it is; trixie (with trixie-updates, -security and -backports)
# and sid get a private sources.list and package lists under CACHE/apt/SUITE, refreshed
# when older than a day (APT_REFRESH=1 forces it). Mirrors come from the machine's apt
# sources (MIRROR and SECURITY override them).
set -euo pipefail
cache=$(realpath -m "$1")
suite=$2
shift 2

apt_uri() {
	grep -rhoE 'https?://[^ ]+' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null |
		grep -E "$1" | head -1 || true
}

if [ "$suite" = bookworm ]; then
	exec "$@"
fi
d=$cache/apt/$suite
mirror=${MIRROR:-$(apt_uri '/debian/?$')}
security=${SECURITY:-$(apt_uri '/debian-security/?$')}
case $suite in
trixie)
	list="deb $mirror trixie main
deb $mirror trixie-updates main
deb $security trixie-security main
deb $mirror trixie-backports main" ;;
sid)
	list="deb $mirror sid main" ;;
*)
	echo "apt-suite: unknown suite $suite" >&2
	exit 1 ;;
esac
if [ -z "$mirror" ] || [ -z "$security" ]; then
	echo "apt-suite: no Debian mirror in the apt sources; set MIRROR and SECURITY" >&2
	exit 1
fi
mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
[ -f "$d/sources.list" ] && [ "$(cat "$d/sources.list")" = "$list" ] || {
	echo "$list" >"$d/sources.list"
	rm -f "$d/updated"
}
opts=(-o "Dir::Etc::sourcelist=$d/sources.list" -o Dir::Etc::sourceparts=/nonexistent
	-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache")
if [ -n "${APT_REFRESH:-}" ] || [ -z "$(find "$d/updated" -mmin -1440 2>/dev/null)" ]; then
	echo "apt-suite: refreshing the package lists of $suite" >&2
	apt-get "${opts[@]}" update >/dev/null
	touch "$d/updated"
fi
cmd=$1
shift
exec "$cmd" "${opts[@]}" "$@"

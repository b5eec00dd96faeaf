#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# ensure-tools.sh CMD:PACKAGE... : install the Debian package for every missing host command.
set -euo pipefail
missing=()
for spec in "$@"; do
	cmd=${spec%%:*}
	pkg=${spec#*:}
	command -v "$cmd" >/dev/null 2>&1 || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ensure-tools: installing ${missing[*]}" >&2
if [ "$(id -u)" != 0 ]; then
	echo "ensure-tools: need root to install ${missing[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 ||
	{ apt-get -o DPkg::Lock::Timeout=600 update >/dev/null && apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends "${missing[@]}"; }

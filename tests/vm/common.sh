# SPDX-License-Identifier: MIT
# Host-side helpers shared by the tests/vm scripts. Sourced, not run.
# shellcheck shell=bash

# shellcheck disable=SC2034 # used by the scripts that source this
VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DMBOOT_CACHE=${DMBOOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/dmboot}
VMWORK=${VMWORK:-${TMPDIR:-/tmp}/vmwork}

die() { printf '%s: %s\n' "${0##*/}" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "${0##*/}" "$*" >&2; }

# need_pkgs WHAT:PKG... installs the packages whose WHAT is missing: a
# command, or, for a header, library or data file (which no command
# shows), an absolute path, which may be a glob. CI starts from a bare
# Debian 12 as root, so apt-get update runs once, and only when something
# is actually missing.
_apt_updated=
need_pkgs() {
	local want=() pair cmd pkg
	for pair in "$@"; do
		cmd=${pair%%:*} pkg=${pair#*:}
		case $cmd in
		/*) compgen -G "$cmd" >/dev/null && continue ;;
		*) command -v "$cmd" >/dev/null 2>&1 || [ -x "/usr/sbin/$cmd" ] ||
			[ -x "/sbin/$cmd" ] && continue ;;
		esac
		[[ " ${want[*]} " == *" $pkg "* ]] || want+=("$pkg")
	done
	[ ${#want[@]} -eq 0 ] && return 0
	[ "$(id -u)" -eq 0 ] || die "missing packages: ${want[*]} (run as root or install them)"
	note "installing ${want[*]}"
	if [ -z "$_apt_updated" ]; then
		# One index out of sync on a mirror (a foreign architecture's,
		# say) fails the update as a whole; the install says whether
		# what we need was among it.
		apt-get update -qq >&2 || note "apt-get update reported errors; installing anyway"
		_apt_updated=1
	fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${want[@]}" >&2 || die "apt-get install ${want[*]} failed"
}

# Debian keeps depmod/modprobe/dmsetup in /sbin, which is not on every PATH.
case ":$PATH:" in *:/usr/sbin:*) ;; *) PATH=$PATH:/usr/sbin:/sbin ;; esac
export PATH

#!/bin/bash
# SPDX-License-Identifier: MIT
# The test command on a bare Debian 12, where a missing install step cannot
# hide behind what this machine already has (docs/FRESH-ROOT.md).
#
#   tests/fresh-root.sh [-k] [-r REV] [-w DIR] [-t SECONDS] [--refresh] [-- CMD...]
#
# Makes a fresh Debian 12 (bookworm, amd64, debootstrap's minbase: what a
# container image of Debian 12 has) from deb.debian.org, puts a clean
# `git clone` of the repository at REV (default HEAD) in its /src, and runs
# as root inside it, with no standard input and a clean environment, what
# CI runs:
#
#   cd /src && CI=true bash .ci/run </dev/null
#
# or CMD instead (tests/fresh-root.sh -- make demo). It prints the exit code
# and the step lines and count of tests/run-all.sh; the whole output goes to
# build/fresh-root.log (FRESH_LOG). Exit code: the command's.
#
# Runs as root on a Debian host (it installs debootstrap if missing). The
# debootstrap result is cached, untouched, as a tarball under
# $DMBOOT_CACHE/fresh-root/ (--refresh makes it again); every run extracts
# a fresh copy into a work dir under ${TMPDIR:-/var/tmp} (-w DIR), which is
# deleted afterwards unless -k. Only the copy is changed: its apt sources
# are those of a fresh Debian 12 (bookworm, bookworm-updates,
# bookworm-security from deb.debian.org), /etc/resolv.conf is the host's,
# /proc, /sys, /dev and /run are mounted into it and unmounted on every way
# out. The host's apt configuration is never touched.
#
# The whole script is one { } block: bash reads it all before running any
# of it, so editing or checking out this file during an hour-long run
# cannot change what the run does next.
{
set -eu
. "$(dirname "$0")/vm/common.sh"

MIRROR=http://deb.debian.org/debian
SECURITY=http://deb.debian.org/debian-security
SUITE=bookworm
VARIANT=minbase

keep='' rev=HEAD workbase=${TMPDIR:-/var/tmp} limit=10800 refresh=''
usage() { sed -n '4,5s/^# \{0,3\}//p' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	-k) keep=1 ;;
	-r) [ $# -ge 2 ] || usage; rev=$2; shift ;;
	-w) [ $# -ge 2 ] || usage; workbase=$2; shift ;;
	-t) [ $# -ge 2 ] || usage; limit=$2; shift ;;
	--refresh) refresh=1 ;;
	--) shift; break ;;
	-h | --help) usage ;;
	*) usage ;;
	esac
	shift
done
[ "$(id -u)" -eq 0 ] || die "run as root (chroot, mount, debootstrap)"
repo=$(git -C "$(dirname "$0")" rev-parse --show-toplevel) || die "not in a git checkout"
sha=$(git -C "$repo" rev-parse --verify "$rev^{commit}") || die "no commit $rev"
log=${FRESH_LOG:-$repo/build/fresh-root.log}
mkdir -p "$(dirname "$log")" "$workbase"

# The pristine debootstrap result, made once.
cache=$DMBOOT_CACHE/fresh-root/$SUITE-amd64-$VARIANT.tar.gz
if [ -n "$refresh" ] || [ ! -s "$cache" ]; then
	command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] ||
		need_pkgs debootstrap:debootstrap
	mkdir -p "${cache%/*}"
	boot=$(mktemp -d "$workbase/dmboot-debootstrap.XXXXXX")
	note "debootstrap $SUITE ($VARIANT) from $MIRROR into $boot"
	if ! debootstrap --variant="$VARIANT" --arch=amd64 "$SUITE" "$boot" "$MIRROR" \
		>"$boot.log" 2>&1; then
		tail -n 20 "$boot.log" >&2
		grep -q " $boot/" /proc/self/mounts || rm -rf --one-file-system "$boot"
		die "debootstrap failed (log: $boot.log)"
	fi
	grep -q " $boot/" /proc/self/mounts && die "debootstrap left mounts under $boot"
	if ! tar --numeric-owner --xattrs -C "$boot" -czf "$cache.tmp" .; then
		rm -f "$cache.tmp"
		die "cannot write $cache"
	fi
	mv "$cache.tmp" "$cache"
	rm -rf --one-file-system "$boot" "$boot.log"
fi

work=$(mktemp -d "$workbase/dmboot-fresh.XXXXXX")
root=$work/root
case $root in *[[:space:]]*) die "work dir has white space: $root" ;; esac

# mounts_under DIR: the mount points at or below DIR, deepest first.
# shellcheck disable=SC2317 # cleanup runs from the trap
mounts_under() {
	awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts |
		sort -r
}
# shellcheck disable=SC2317
cleanup() {
	local rc=$? pid m left
	trap - EXIT INT TERM HUP
	[ -z "${cmd:-}" ] || kill "$cmd" 2>/dev/null
	# Whatever still runs inside the root (a guest, a daemon apt started).
	for sig in TERM KILL; do
		for pid in /proc/[0-9]*; do
			[ "$(readlink "$pid/root" 2>/dev/null)" = "$root" ] &&
				kill -s "$sig" "${pid#/proc/}" 2>/dev/null
		done
		[ "$sig" = TERM ] && sleep 2
	done
	for m in $(mounts_under "$root"); do
		umount "$m" 2>/dev/null || umount -l "$m" || note "cannot unmount $m"
	done
	left=$(mounts_under "$root")
	if [ -n "$left" ]; then
		note "still mounted, $work left in place: $left"
	elif [ -n "$keep" ]; then
		note "kept $root"
	else
		rm -rf --one-file-system "$work"
	fi
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

mkdir "$root"
tar --numeric-owner --xattrs -xpzf "$cache" -C "$root" || die "cannot extract $cache"

# apt sources as a fresh Debian 12 has them (deb822, like this host's).
rm -f "$root/etc/apt/sources.list"
cat >"$root/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: $SUITE $SUITE-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $SECURITY
Suites: $SUITE-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# A chroot has no init: services that packages would start stay stopped,
# so nothing outlives the run.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod 755 "$root/usr/sbin/policy-rc.d"
cp -L /etc/resolv.conf "$root/etc/resolv.conf"

# A clean checkout: a clone, not the working tree (no build/, no edits).
git clone -q --no-checkout "$repo" "$root/src" || die "git clone $repo failed"
git -C "$root/src" -c advice.detachedHead=false checkout -q --detach "$sha" ||
	die "commit $sha is not on a branch of $repo"
[ -z "$(git -C "$repo" status --porcelain --untracked-files=no)" ] ||
	note "note: uncommitted changes in $repo are not part of the check"

mount -t proc proc "$root/proc"
mount --rbind /sys "$root/sys" && mount --make-rslave "$root/sys"
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev"
mount -t tmpfs -o mode=755,nosuid,nodev tmpfs "$root/run"

if [ $# -eq 0 ]; then
	set -- bash .ci/run
	what="CI=true bash .ci/run"
else
	what="$*"
fi
note "running '$what' in a fresh $SUITE root at ${sha:0:12} (log: $log)"
start=$(date +%s)
# In the background: a signal to this script then runs its trap at once
# (bash holds traps until a foreground command ends).
timeout -k 30 "$limit" chroot "$root" /usr/bin/env -i HOME=/root TERM=dumb CI=true \
	PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	/bin/bash -c 'cd /src && exec "$@" </dev/null' bash "$@" >"$log" 2>&1 &
cmd=$!
rc=0
wait "$cmd" || rc=$?
cmd=''
secs=$(($(date +%s) - start))
echo "---- fresh-root: $what at ${sha:0:12}: exit $rc after $secs s ($(date -u '+%F %H:%M UTC'))" |
	tee -a "$log"
grep -E '^==== |^[0-9]+ passed, [0-9]+ failed' "$log" || true
echo "---- last lines:"
tail -n 15 "$log"
[ "$rc" -ne 124 ] || note "timed out after $limit s (-t)"
exit "$rc"
}

#!/bin/sh
# Remakes the LUKS fixtures of tests/unit/test-luks.c with cryptsetup
# (2.6.1 made the checked-in ones): 4 MiB images, minimal KDF costs, fixed
# UUIDs; kept: LUKS1's first 4 KiB, LUKS2's two 16 KiB header copies.
# The tests check values luksDump printed for these files (salts, digests):
# remaking them means updating those.
set -eu
cd "$(dirname "$0")"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
pw() { printf 'dmboot-test'; }
truncate -s 4M "$t/l1" "$t/p" "$t/a"
pw | cryptsetup luksFormat -q --type luks1 --key-size 512 --hash sha256 \
	--pbkdf-force-iterations 1000 --uuid 11111111-2222-3333-4444-555555555555 \
	--key-file - "$t/l1"
pw | cryptsetup luksFormat -q --type luks2 --luks2-metadata-size=16k \
	--luks2-keyslots-size=1m --pbkdf pbkdf2 --pbkdf-force-iterations 1000 \
	--uuid 22222222-2222-3333-4444-555555555555 --label fixture --key-file - "$t/p"
pw | cryptsetup luksFormat -q --type luks2 --luks2-metadata-size=16k \
	--luks2-keyslots-size=1m --pbkdf argon2id --pbkdf-memory 32 \
	--pbkdf-force-iterations 4 --pbkdf-parallel 1 --sector-size 4096 \
	--uuid 33333333-2222-3333-4444-555555555555 --key-file - "$t/a"
printf 'second' >"$t/k2"
pw | cryptsetup luksAddKey -q --pbkdf argon2i --pbkdf-memory 32 \
	--pbkdf-force-iterations 4 --pbkdf-parallel 1 --key-file - "$t/a" "$t/k2"
cryptsetup token add --key-description dmboot:fixture --key-slot 1 "$t/a"
cryptsetup config --priority prefer --key-slot 1 "$t/a"
dd if="$t/l1" of=luks1.hdr bs=4096 count=1 2>/dev/null
dd if="$t/p" of=luks2-pbkdf2.hdr bs=32768 count=1 2>/dev/null
dd if="$t/a" of=luks2-argon2.hdr bs=32768 count=1 2>/dev/null

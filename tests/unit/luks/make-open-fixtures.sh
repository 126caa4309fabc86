#!/bin/sh
# Remakes the images tests/unit/test-crypt-luks.c opens, with cryptsetup
# (2.6.1 made the checked-in ones): a known volume key (32 printable
# bytes, for the tests to look for), fixed UUIDs, minimal KDF costs, two
# keyslots each ("dmboot-test" and "second"); the luksDump output of each
# (its path written DEVICE) for the dump test. Kept: the bytes up to the
# end of the last keyslot area; the tests put them at the start of a
# larger data file (the rest reads as zeros, as the headers expect).
set -eu
cd "$(dirname "$0")"
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
printf '0123456789abcdef' >"$t/vk1"
printf '0123456789abcdefghijklmnopqrstuv' >"$t/vk"
printf 'dmboot-test' >"$t/pw"
printf 'second' >"$t/k2"
truncate -s 8M "$t/l1" "$t/l2"
# LUKS1: aes-cbc-essiv:sha256, 128-bit key, sha1 (cryptsetup's old
# default).
cryptsetup luksFormat -q --type luks1 --cipher aes-cbc-essiv:sha256 \
	--key-size 128 --hash sha1 --pbkdf-force-iterations 1000 \
	--volume-key-file "$t/vk1" \
	--uuid 11111111-aaaa-bbbb-cccc-000000000001 --key-file "$t/pw" "$t/l1"
cryptsetup luksAddKey -q --pbkdf-force-iterations 1000 --key-file "$t/pw" \
	"$t/l1" "$t/k2"
# LUKS2: aes-xts-plain64 (two 128-bit keys), 4096-byte sectors, data at
# 1 MiB; slot 0 pbkdf2-sha256, slot 1 argon2id with a luks2-keyring token.
cryptsetup luksFormat -q --type luks2 --cipher aes-xts-plain64 \
	--key-size 256 --sector-size 4096 --offset 2048 \
	--luks2-metadata-size=16k --luks2-keyslots-size=512k \
	--pbkdf pbkdf2 --pbkdf-force-iterations 1000 --volume-key-file "$t/vk" \
	--uuid 22222222-aaaa-bbbb-cccc-000000000002 --label open-fixture \
	--key-file "$t/pw" "$t/l2"
cryptsetup luksAddKey -q --pbkdf argon2id --pbkdf-memory 32 \
	--pbkdf-force-iterations 4 --pbkdf-parallel 1 --key-file "$t/pw" \
	"$t/l2" "$t/k2"
cryptsetup token add --key-description dmboot:open-fixture --key-slot 1 "$t/l2"
# Up to the end of the used keyslot areas.
end1=$(cryptsetup luksDump "$t/l1" | awk '/MK bits/ { b = $NF } /Key material offset/ { o = $NF } END { print o + int((b / 8 * 4000 + 511) / 512) }')
dd if="$t/l1" of=open-luks1.img bs=512 count="$end1" 2>/dev/null
end2=$(cryptsetup luksDump "$t/l2" | awk -F'[:[]' '/Area offset/ { o = $2 } /Area length/ { l = $2 } END { print int((o + l + 4095) / 4096) }')
dd if="$t/l2" of=open-luks2.img bs=4096 count="$end2" 2>/dev/null
cryptsetup luksDump "$t/l1" | sed "1s|$t/l1|DEVICE|" >open-luks1.dump
cryptsetup luksDump "$t/l2" >open-luks2.dump

#!/bin/sh
# SPDX-License-Identifier: MIT
# luks_read and luks_unlock (tests/vm/luks-probe.c) on the test kernel's
# AF_ALG skcipher against cryptsetup 2.6.1's --dump-volume-key, one volume
# per cipher, IV mode, hash and KDF; a wrong passphrase opens nothing.
# The unit tests do the same with OpenSSL in the kernel's place; this is
# where kcapi.c meets the kernel.
# shellcheck disable=SC1091,SC2086 # lib.sh; $L1, $L2: option words
. /test/lib.sh

cd /tmp || exit 1
printf 'pw' >pw
printf 'px' >px
# cryptsetup's volume key, in hex
vk() {
	cryptsetup luksDump -q --dump-volume-key --key-file pw "$1" |
		awk '/MK dump:/ { f = 1; sub(/.*MK dump:/, "") }
			f { gsub(/[ \t]/, ""); printf "%s", $0 } END { print "" }'
}
n=0
try() { # luksFormat options
	n=$((n + 1))
	rm -f v.img
	truncate -s 4M v.img
	if ! cryptsetup luksFormat -q "$@" --key-file pw v.img >err 2>&1; then
		fail "$n: luksFormat $*" "$(cat err)"
		return
	fi
	expect_out "$n: $*" "$(vk v.img) 0" luks-probe v.img pw
	expect_rc "$n: wrong passphrase" 1 luks-probe v.img px
	expect_out "$n: wrong passphrase: -EPERM" "error -1: " \
		sh -c 'luks-probe v.img px || :'
}
P="--pbkdf-force-iterations 1000"
L1="--type luks1 $P"
try $L1 --hash sha256 --cipher aes-xts-plain64 --key-size 512
try $L1 --hash sha1 --cipher aes-cbc-essiv:sha256 --key-size 256
try $L1 --hash sha512 --cipher aes-cbc-plain64 --key-size 256
try $L1 --hash sha256 --cipher aes-cbc-plain --key-size 128
try $L1 --hash sha256 --cipher aes-cbc-plain64be --key-size 192
try $L1 --hash sha256 --cipher aes-cbc-benbi --key-size 256
try $L1 --hash sha256 --cipher aes-cbc-null --key-size 256
try $L1 --hash sha256 --cipher aes-ecb --key-size 256
try $L1 --hash sha256 --cipher serpent-xts-plain64 --key-size 512
try $L1 --hash sha256 --cipher twofish-cbc-essiv:sha256 --key-size 256
try $L1 --hash sha256 --cipher serpent-cbc-plain64 --key-size 256
L2="--type luks2 $P --luks2-metadata-size 16k --luks2-keyslots-size 1m"
try $L2 --pbkdf pbkdf2 --hash sha256
try $L2 --pbkdf pbkdf2 --hash sha512 --cipher aes-cbc-essiv:sha256 --key-size 256
try --type luks2 --pbkdf argon2i --pbkdf-memory 32 --pbkdf-force-iterations 4 --pbkdf-parallel 1
try --type luks2 --pbkdf argon2id --pbkdf-memory 64 --pbkdf-force-iterations 4 \
	--pbkdf-parallel 2 --sector-size 4096
# The same volume: --key-slot, and a slot that is not active.
expect_out "named slot 0" "$(vk v.img) 0" luks-probe v.img pw 0
expect_out "slot 3 is not active: -ENOENT" "error -2: " \
	sh -c 'luks-probe v.img pw 3 || :'

/* SPDX-License-Identifier: MIT */
/* xts-plain64 KEY IN OUT: IN encrypted as dm-crypt's aes-xts-plain64 stores
 * it under KEY (64 bytes: AES-256-XTS), 512-byte sectors, each one's number
 * its tweak; what tests/vm/verity-root.sh's xts_plain64 does in perl, at
 * the speed a 1 GiB root image needs. A test tool, built by tests/distro.sh
 * against OpenSSL's libcrypto. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#define SECTOR 512

int main(int argc, char **argv)
{
	unsigned char key[64], in[SECTOR], out[SECTOR], iv[16];
	FILE *k, *fi, *fo;
	EVP_CIPHER_CTX *ctx;
	uint64_t sector = 0;
	size_t n;
	int len, i;

	if (argc != 4) {
		fprintf(stderr, "usage: xts-plain64 KEY IN OUT\n");
		return 2;
	}
	k = fopen(argv[1], "rb");
	if (!k || fread(key, 1, sizeof(key), k) != sizeof(key) ||
	    fgetc(k) != EOF) {
		fprintf(stderr, "xts-plain64: %s: not a 64-byte key\n",
			argv[1]);
		return 1;
	}
	fclose(k);
	fi = fopen(argv[2], "rb");
	fo = fopen(argv[3], "wb");
	ctx = EVP_CIPHER_CTX_new();
	if (!fi || !fo || !ctx) {
		perror("xts-plain64");
		return 1;
	}
	while ((n = fread(in, 1, SECTOR, fi)) > 0) {
		if (n != SECTOR) {
			fprintf(stderr, "xts-plain64: %s: not whole sectors\n",
				argv[2]);
			return 1;
		}
		memset(iv, 0, sizeof(iv));
		for (i = 0; i < 8; i++)
			iv[i] = (unsigned char)(sector >> (8 * i));
		if (!EVP_EncryptInit_ex(ctx, EVP_aes_256_xts(), NULL, key,
					iv) ||
		    !EVP_EncryptUpdate(ctx, out, &len, in, SECTOR) ||
		    len != SECTOR || fwrite(out, 1, SECTOR, fo) != SECTOR) {
			fprintf(stderr, "xts-plain64: sector %llu failed\n",
				(unsigned long long)sector);
			return 1;
		}
		sector++;
	}
	EVP_CIPHER_CTX_free(ctx);
	memset(key, 0, sizeof(key));
	if (ferror(fi) || fclose(fo)) {
		perror("xts-plain64");
		return 1;
	}
	return 0;
}

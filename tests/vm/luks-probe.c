/* SPDX-License-Identifier: MIT */
/* The VM's view of src/luks-unlock.c: reads the LUKS header of IMG and
 * opens a keyslot with PASSPHRASE through the test kernel's AF_ALG, then
 * prints the volume key in hex and the slot ("VK SLOT"), or "error -N:
 * WHY". Linked with the full build's objects (tests/vm.sh), so that the
 * keyslot scenario compares dmboot's unlock with cryptsetup's
 * --dump-volume-key on the same kernel, cipher by cipher.
 *   luks-probe IMG PASSPHRASE [SLOT] */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "luks-unlock.h"

static struct luks_volume v;

int main(int argc, char **argv)
{
	struct act_err e = {0};
	struct stat st;
	uint8_t vk[LUKS_MAX_KEY_BYTES];
	int fd, le, used, r;
	uint32_t i;

	if (argc < 3 || argc > 4) {
		fputs("usage: luks-probe IMG PASSPHRASE [SLOT]\n", stderr);
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st)) {
		perror(argv[1]);
		return 1;
	}
	r = luks_read(fd, (uint64_t)st.st_size, 0, &v, &le, &e);
	if (!r)
		r = luks_unlock(fd, &v, argc > 3 ? atoi(argv[3]) : -1, ~0u,
				argv[2], strlen(argv[2]), vk, &used, &e);
	if (r) {
		printf("error %d: %s%s%s\n", r, e.what ? e.what : "",
		       e.what ? ": " : "", e.why ? e.why : "");
		return 1;
	}
	for (i = 0; i < v.key_size; i++)
		printf("%02x", vk[i]);
	printf(" %d\n", used);
	return 0;
}

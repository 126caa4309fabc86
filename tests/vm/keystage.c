/* SPDX-License-Identifier: MIT */
/* keystage: an earlier boot stage as /init, as firmware or a TPM unseal
 * would be: puts /etc/keystage.key's bytes into the user keyring as the
 * logon key "fw:secret", unlinks the file, then execs /bin/dmboot with the
 * kernel's arguments (PID 1 stays PID 1). For init-boot.sh's keyring
 * boot: dmboot must use the key without ever reading it. */
#include <fcntl.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

#define KEY_FILE "/etc/keystage.key"
#define KEY_DESC "fw:secret"
#define KEY_SPEC_USER_KEYRING -4

int main(int argc, char **argv)
{
	char key[128];
	ssize_t n;
	int fd = open(KEY_FILE, O_RDONLY);

	(void)argc;
	n = fd < 0 ? -1 : read(fd, key, sizeof(key));
	if (n <= 0 || syscall(SYS_add_key, "logon", KEY_DESC, key, (size_t)n,
			      KEY_SPEC_USER_KEYRING) < 0) {
		perror("keystage: " KEY_FILE);
		return 1;
	}
	close(fd);
	unlink(KEY_FILE);
	fprintf(stderr, "keystage: logon key " KEY_DESC ", %zd bytes\n", n);
	execv("/bin/dmboot", argv);
	perror("keystage: /bin/dmboot");
	return 1;
}

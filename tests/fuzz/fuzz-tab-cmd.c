/* veritytab and crypttab through the tab command: each line mapped to the
 * verity or crypt command line it means and run against the fake kernel.
 * Byte 0: bit 0 crypttab, bit 1 --dry-run; the rest is the file. Devices
 * named in it lead into the fake root, where none exist but /dev/null. */
#include "fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "world.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *args[4];
	int n = 0, fd;

	if (!size)
		return 0;
	world_reset(NULL);
	/* world_reset made the fake root the working directory. */
	fd = open("tab", O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, data + 1, size - 1) != (ssize_t)(size - 1))
		abort();
	close(fd);
	args[n++] = (char *)"tab";
	args[n++] = (char *)(data[0] & 1 ? "--crypt" : "--verity");
	if (data[0] & 2)
		args[n++] = (char *)"--dry-run";
	args[n++] = (char *)"tab";
	(void)world_run(n, args);
	world_done();
	return 0;
}

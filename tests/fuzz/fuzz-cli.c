/* SPDX-License-Identifier: MIT */
/* dmsetup command lines: the real main against the fake kernel. The input
 * is the argument list, split at NUL bytes. Paths outside the fake /dev
 * are refused; init mode (mounts, switch_root) is left out, and tab
 * (default files under /etc) has its own harness, fuzz-tab-cmd. */
#include "fuzz.h"

#include "world.h"

#define MAX_ARGS 64

static int allowed(const char *a)
{
	if (!strcmp(a, "init") || !strcmp(a, "tab") || strstr(a, ".."))
		return 0;
	return !strchr(a, '/') || !strncmp(a, "/dev/", 5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size), *args[MAX_ARGS], *p = s;
	int n = 0;

	while (p < s + size && n < MAX_ARGS) {
		args[n] = p;
		if (!allowed(p))
			goto out;
		n++;
		p += strlen(p) + 1;
	}
	if (p < s + size)
		goto out; /* more words than main's callers ever pass here */
	world_reset(NULL);
	(void)world_run(n, args, 0);
	world_done();
out:
	free(s);
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* The kernel command line, as init mode reads /proc/cmdline. */
#include "fuzz.h"

#include "cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_str(data, size);
	struct boot_cfg c;
	char *p, *param, *val;
	int n = 0;

	memset(&c, 0, sizeof(c));
	(void)boot_cfg_parse(&c, s);
	memcpy(s, data, size);
	for (p = s; *p && n++ < 100000;)
		p = cmdline_next(p, &param, &val);
	free(s);
	return 0;
}

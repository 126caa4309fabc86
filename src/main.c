/* SPDX-License-Identifier: MIT */
/* Entry point: /init when the kernel starts us as PID 1, the command
 * line (dispatch.c) otherwise. */
#include <unistd.h>

#include "cli.h"
#include "init.h"

int main(int argc, char **argv)
{
	/* As /init: the kernel's leftover words are not our options. */
	if (CFG_CMD_INIT && getpid() == 1)
		return init_main(argc, argv);
	return dispatch_main(argc, argv);
}

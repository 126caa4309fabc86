/* SPDX-License-Identifier: MIT */
/* /sbin/init of the faults scenario's verity root (img_root_init): says
 * that it ran and which device / is, so that the scenario can tell a
 * verified root (the dm device) from anything else. */
#include <stdio.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

int main(void)
{
	struct stat st;
	char line[80];
	int n;

	if (stat("/", &st))
		return 3;
	n = snprintf(line, sizeof(line),
		     "ROOT-INIT-REACHED: / is %u:%u, pid %d\n",
		     major(st.st_dev), minor(st.st_dev), (int)getpid());
	/* fd 3 too, if whoever started the boot left it open: dmboot may
	 * have put the console on 0, 1 and 2. */
	if (write(1, line, (size_t)n) != n)
		return 4;
	if (write(3, line, (size_t)n) != n) {
		/* not there: the line on stdout is all */
	}
	return 0;
}

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

	if (stat("/", &st))
		return 3;
	printf("ROOT-INIT-REACHED: / is %u:%u, pid %d\n", major(st.st_dev),
	       minor(st.st_dev), (int)getpid());
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* pid1: runs a program as PID 1 of its own PID and mount namespaces,
 * chrooted into DIR, with FILE bind-mounted over its /proc/cmdline: dmboot
 * as the kernel starts /init, on a guest that lives on after it. For the
 * faults scenario, which runs dmboot's whole boot (activation, mount,
 * switch_root, exec of the root's init) under strace many times over.
 *
 *   pid1 DIR FILE PROG [ARG...]    exit status: PROG's (128+N: signal N)
 *
 * Its own system calls are few and made before the fork (unshare, mount,
 * clone, wait4), so strace's per-process counts of the child's are
 * dmboot's from its execve on. */
#define _GNU_SOURCE 1
#include <sched.h>
#include <stdio.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int st;
	pid_t pid;

	if (argc < 4) {
		fputs("usage: pid1 DIR CMDLINE-FILE PROG [ARG...]\n", stderr);
		return 2;
	}
	if (unshare(CLONE_NEWPID | CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		perror("pid1: namespaces");
		return 2;
	}
	pid = fork();
	if (pid < 0) {
		perror("pid1: fork");
		return 2;
	}
	if (!pid) {
		/* proc of the new PID namespace, its cmdline ours. */
		if (chdir(argv[1]) || mount("proc", "proc", "proc", 0, NULL) ||
		    mount(argv[2], "proc/cmdline", NULL, MS_BIND, NULL) ||
		    chroot(".")) {
			perror("pid1: chroot");
			_exit(2);
		}
		execv(argv[3], argv + 3);
		perror("pid1: exec");
		_exit(2);
	}
	if (waitpid(pid, &st, 0) != pid) {
		perror("pid1: wait");
		return 2;
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* SPDX-License-Identifier: MIT */
/* dmwire CMD [ARG...]: runs CMD under ptrace and prints, for every
 * device-mapper ioctl it makes, "NR MAJOR.MINOR.PATCH" -- the request
 * number and the interface version in the header it sent, read from its
 * memory at the syscall entry. An independent check of the version table
 * that also covers the requests strace 6.1 cannot decode
 * (DM_GET_TARGET_VERSION). Follows forks (CMD may be a shell). Exits
 * with CMD's status. x86-64 only. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/ptrace.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#define NR_IOCTL 16
#define DM_REQUEST_BASE 0xc138fd00UL

/* Syscall-entry or -exit, per traced task. */
static struct {
	pid_t pid;
	int inside;
} tasks[64];

static int *inside(pid_t pid)
{
	size_t i, free_slot = 0;

	for (i = 0; i < sizeof(tasks) / sizeof(tasks[0]); i++) {
		if (tasks[i].pid == pid)
			return &tasks[i].inside;
		if (!tasks[i].pid && !free_slot)
			free_slot = i + 1;
	}
	if (!free_slot)
		return NULL;
	tasks[free_slot - 1].pid = pid;
	tasks[free_slot - 1].inside = 0;
	return &tasks[free_slot - 1].inside;
}

int main(int argc, char **argv)
{
	int status, rc = 2;
	pid_t pid, child;

	if (argc < 2) {
		fprintf(stderr, "usage: dmwire CMD [ARG...]\n");
		return 2;
	}
	child = fork();
	if (child < 0)
		return 2;
	if (!child) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	waitpid(child, &status, 0);
	ptrace(PTRACE_SETOPTIONS, child, NULL,
	       (void *)(PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEFORK |
			PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE));
	ptrace(PTRACE_SYSCALL, child, NULL, NULL);
	while ((pid = waitpid(-1, &status, __WALL)) > 0) {
		struct user_regs_struct regs;
		int *in, sig = 0;

		if (WIFEXITED(status) || WIFSIGNALED(status)) {
			if (pid == child)
				rc = WIFEXITED(status) ? WEXITSTATUS(status)
						       : 128 + WTERMSIG(status);
			if ((in = inside(pid)))
				*in = 0;
			continue;
		}
		if (WSTOPSIG(status) == (SIGTRAP | 0x80) &&
		    (in = inside(pid))) {
			ptrace(PTRACE_GETREGS, pid, NULL, &regs);
			if (!*in && regs.orig_rax == NR_IOCTL &&
			    (regs.rsi & 0xffffff00UL) == DM_REQUEST_BASE) {
				long w0, w1;

				errno = 0;
				w0 = ptrace(PTRACE_PEEKDATA, pid,
					    (void *)regs.rdx, NULL);
				w1 = ptrace(PTRACE_PEEKDATA, pid,
					    (void *)(regs.rdx + 8), NULL);
				if (!errno)
					fprintf(stderr,
						"dmwire: %lu %u.%u.%u\n",
						(unsigned long)(regs.rsi &
								0xff),
						(uint32_t)w0,
						(uint32_t)((unsigned long)w0 >>
							   32),
						(uint32_t)w1);
			}
			*in = !*in;
		} else if (WSTOPSIG(status) != SIGTRAP &&
			   WSTOPSIG(status) != SIGSTOP) {
			sig = WSTOPSIG(status); /* pass real signals on */
		}
		ptrace(PTRACE_SYSCALL, pid, NULL, (void *)(long)sig);
	}
	return rc;
}

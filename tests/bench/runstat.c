/* SPDX-License-Identifier: MIT */
/* runstat: the figures busybox cannot give the benchmark guest.
 *
 *   runstat now                       CLOCK_MONOTONIC in microseconds
 *   runstat [-m] [-o FILE] CMD [ARG...]
 *       run CMD and append "WALL_US RSS_KB STATUS" to FILE (default
 *       stderr); exit with CMD's status. RSS_KB is ru_maxrss from wait4(),
 *       or with -m the peak resident set measured as below.
 *
 * busybox date has no %N, and no applet reports a child's rusage. Nor is
 * ru_maxrss good for tools this small: the kernel batches RSS counter
 * updates per task (64 faults on 6.1), so a process touching a few dozen
 * pages reports 0 kB. -m therefore runs CMD under ptrace and reads
 * /proc/PID/smaps_rollup, which walks the page tables, just before every
 * syscall that can shrink the resident set (munmap, brk, mremap, madvise,
 * exit) and at the exit stop: the largest of those readings is the peak.
 * x86-64 only (syscall numbers, orig_rax). */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000LL + ts.tv_nsec / 1000;
}

static long rss_kb(pid_t pid)
{
	char path[64], line[256];
	long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Rss: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static int shrinks_rss(long nr)
{
	/* munmap brk mremap madvise exit exit_group */
	return nr == 11 || nr == 12 || nr == 25 || nr == 28 || nr == 60 ||
	       nr == 231;
}

/* Steps the traced child from syscall to syscall until it is gone. */
static long trace_peak(pid_t pid, int *status, struct rusage *ru)
{
	struct user_regs_struct regs;
	long peak = 0, kb;
	int sig;

	if (waitpid(pid, status, 0) < 0 || !WIFSTOPPED(*status))
		return -1;
	ptrace(PTRACE_SETOPTIONS, pid, 0,
	       PTRACE_O_TRACESYSGOOD | PTRACE_O_TRACEEXIT | PTRACE_O_EXITKILL);
	sig = 0;
	for (;;) {
		ptrace(PTRACE_SYSCALL, pid, 0, sig);
		if (wait4(pid, status, 0, ru) < 0)
			return -1;
		if (WIFEXITED(*status) || WIFSIGNALED(*status))
			return peak;
		sig = 0;
		if (WSTOPSIG(*status) == (SIGTRAP | 0x80)) {
			ptrace(PTRACE_GETREGS, pid, 0, &regs);
			if (!shrinks_rss((long)regs.orig_rax))
				continue;
		} else if ((*status >> 8) !=
			   (SIGTRAP | (PTRACE_EVENT_EXIT << 8))) {
			if (WSTOPSIG(*status) != SIGTRAP)
				sig = WSTOPSIG(*status);
			continue;
		}
		kb = rss_kb(pid);
		if (kb > peak)
			peak = kb;
	}
}

int main(int argc, char **argv)
{
	struct rusage ru;
	long long t0, t1;
	int status, rc, i = 1, peak_mode = 0;
	FILE *out = stderr;
	long kb;
	pid_t pid;

	if (argc == 2 && !strcmp(argv[1], "now")) {
		printf("%lld\n", now_us());
		return 0;
	}
	for (; i + 1 < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "-m")) {
			peak_mode = 1;
		} else if (!strcmp(argv[i], "-o") && i + 2 < argc) {
			out = fopen(argv[++i], "a");
			if (!out) {
				perror(argv[i]);
				return 127;
			}
		} else {
			break;
		}
	}
	if (i >= argc || argv[i][0] == '-') {
		fputs("usage: runstat now | runstat [-m] [-o FILE] CMD "
		      "[ARG...]\n",
		      stderr);
		return 2;
	}
	fflush(out);
	t0 = now_us();
	pid = fork();
	if (pid < 0) {
		perror("fork");
		return 127;
	}
	if (pid == 0) {
		if (out != stderr)
			fclose(out);
		if (peak_mode && ptrace(PTRACE_TRACEME, 0, 0, 0) < 0)
			_exit(127);
		execvp(argv[i], argv + i);
		perror(argv[i]);
		_exit(127);
	}
	if (peak_mode) {
		kb = trace_peak(pid, &status, &ru);
		if (kb < 0) {
			perror("ptrace");
			return 127;
		}
	} else {
		if (wait4(pid, &status, 0, &ru) < 0) {
			perror("wait4");
			return 127;
		}
		kb = ru.ru_maxrss;
	}
	t1 = now_us();
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(out, "%lld %ld %d\n", t1 - t0, kb, rc);
	return rc;
}

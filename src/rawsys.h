/* SPDX-License-Identifier: MIT */
/* Libc calls that dmboot makes as plain system calls where libc's
 * wrappers carry what dmboot never uses, and libc's own elsewhere. */
#ifndef DMBOOT_RAWSYS_H
#define DMBOOT_RAWSYS_H

#include <fcntl.h>
#include <sys/stat.h>

/* openat and fchmod everywhere but dietlibc (which has no syscall()):
 * musl's are variadic, handle modes and O_PATH descriptors dmboot never
 * uses (150 and 140 bytes). O_LARGEFILE as libc's open adds it: 32-bit
 * kernels want it for big files (it is 0 where offsets are 64-bit). */
#ifdef __dietlibc__
#define sys_openat openat
#define sys_fchmod fchmod
#else
#include <sys/syscall.h>
#define sys_openat(dirfd, name, flags)                                         \
	((int)syscall(SYS_openat, dirfd, name, (flags) | O_LARGEFILE))
#define sys_fchmod(fd, mode) ((int)syscall(SYS_fchmod, fd, mode))
#endif

/* open, stat, lstat, fstat, mmap, nanosleep, socket, ioctl, readlink,
 * prctl, madvise, mlock, munlock and the one-call wrappers below on
 * musl for x86_64 and aarch64, where the kernel's struct stat and struct
 * timespec are musl's own and mmap takes a byte offset. musl's stat,
 * lstat and fstat go through a 550-byte fstatat that copies between the
 * layouts of other architectures (and, for fstat, falls back to
 * /proc/self/fd for kernels before 2.6.39); open sets FD_CLOEXEC again
 * for kernels before 2.6.23; mmap checks offsets and waits on a lock for
 * threads; nanosleep is clock_nanosleep with cancellation; socket retries
 * without SOCK_CLOEXEC for kernels before 2.6.27; readlink works around
 * a zero-size buffer; open, ioctl and prctl are variadic (prctl: 114
 * bytes). dietlibc, glibc (whose calls the unit tests wrap) and 32-bit
 * musl keep their libc's. */
#if !defined(__dietlibc__) && !defined(__GLIBC__) &&                           \
	(defined(__x86_64__) || defined(__aarch64__))
#include <unistd.h>
#define DMBOOT_RAWSYS 1
/* One function, not a macro: each call stays as small as open's. */
int sys_open(const char *path, int flags, mode_t mode);
#define sys_fstatat(dirfd, path, st, flags)                                    \
	((int)syscall(SYS_newfstatat, dirfd, path, st, flags))
#define sys_fstat(fd, st) ((int)syscall(SYS_fstat, fd, st))
/* syscall() reads every argument as a long; the kernel cuts its int
 * parameters back to int, but mmap takes all six as longs. */
#define sys_mmap(addr, len, prot, flags, fd, off)                              \
	((void *)syscall(SYS_mmap, addr, len, (long)(prot), (long)(flags),     \
			 (long)(fd), (long)(off)))
#define sys_nanosleep(req, rem) ((int)syscall(SYS_nanosleep, req, rem))
#define sys_socket(domain, type, proto)                                        \
	((int)syscall(SYS_socket, domain, type, proto))
#define sys_stat(path, st) sys_fstatat(AT_FDCWD, path, st, 0)
#define sys_lstat(path, st) sys_fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW)
#define sys_ioctl(fd, req, arg) ((int)syscall(SYS_ioctl, fd, req, arg))
#define sys_readlink(path, buf, len)                                           \
	((ssize_t)syscall(SYS_readlinkat, AT_FDCWD, path, buf, len))
/* secret.c's (the process's dumpable flag, its key pages) */
#define sys_prctl(op, arg) ((int)syscall(SYS_prctl, op, arg, 0L, 0L, 0L))
#define sys_madvise(p, len, advice) ((int)syscall(SYS_madvise, p, len, advice))
#define sys_mlock(p, len) ((int)syscall(SYS_mlock, p, len))
#define sys_munlock(p, len) ((int)syscall(SYS_munlock, p, len))
/* Wrappers of one system call each, which musl aligns to 16 bytes and
 * routes through its cancellation point or thread lock (read directory,
 * rewind, block reads, unmapping; switch_root's; AF_ALG's): a call of
 * syscall() is smaller than each wrapper and its padding. off_t is a
 * long here, and send is sendto without an address. Those whose result
 * callers may ignore stay longs, not casts (-Wunused-value). */
#define sys_getdents64(fd, buf, len)                                           \
	((ssize_t)syscall(SYS_getdents64, fd, buf, len))
#define sys_lseek(fd, off, whence) syscall(SYS_lseek, fd, (long)(off), whence)
#define sys_pread(fd, buf, len, off)                                           \
	((ssize_t)syscall(SYS_pread64, fd, buf, len, (long)(off)))
#define sys_munmap(p, len) syscall(SYS_munmap, p, len)
#define sys_chdir(path) ((int)syscall(SYS_chdir, path))
#define sys_chroot(path) ((int)syscall(SYS_chroot, path))
#define sys_unlinkat(dirfd, name, flags)                                       \
	syscall(SYS_unlinkat, dirfd, name, flags)
#define sys_statfs(path, buf) ((int)syscall(SYS_statfs, path, buf))
#define sys_bind(fd, addr, len) ((int)syscall(SYS_bind, fd, addr, len))
#define sys_accept(fd, addr, len) ((int)syscall(SYS_accept, fd, addr, len))
#define sys_send(fd, buf, len, flags)                                          \
	((ssize_t)syscall(SYS_sendto, fd, buf, len, flags, (void *)0, 0L))
#define sys_sendmsg(fd, msg, flags)                                            \
	((ssize_t)syscall(SYS_sendmsg, fd, msg, flags))
#define sys_setsockopt(fd, level, name, val, len)                              \
	((int)syscall(SYS_setsockopt, fd, level, name, val, len))
/* Argon2's workers (argon2.c): musl's fork runs atfork handlers and takes
 * malloc's and stdio's locks, which pulls malloc in (4 KiB); these
 * children only compute, talk over a socket pair and _exit. clone with
 * SIGCHLD and nothing else is fork (aarch64 has no SYS_fork). */
#define sys_fork() ((pid_t)syscall(SYS_clone, (long)SIGCHLD, 0L, 0L, 0L, 0L))
#define sys_waitpid(pid, st) ((pid_t)syscall(SYS_wait4, pid, st, 0, (void *)0))
#define sys_socketpair(domain, type, proto, sv)                                \
	((int)syscall(SYS_socketpair, domain, type, proto, sv))
#define sys_recv(fd, buf, len, flags)                                          \
	((ssize_t)syscall(SYS_recvfrom, fd, buf, len, flags, (void *)0,        \
			  (void *)0))
#else
#define DMBOOT_RAWSYS 0
#define sys_open open
#define sys_fstatat fstatat
#define sys_fstat fstat
#define sys_mmap mmap
#define sys_nanosleep nanosleep
#define sys_socket socket
#define sys_stat stat
#define sys_lstat lstat
#define sys_ioctl ioctl
#define sys_readlink readlink
#define sys_prctl(op, arg) prctl(op, arg, 0L, 0L, 0L)
#define sys_madvise madvise
#define sys_mlock mlock
#define sys_munlock munlock
#define sys_getdents64 getdents64
#define sys_lseek lseek
#define sys_pread pread
#define sys_munmap munmap
#define sys_chdir chdir
#define sys_chroot chroot
#define sys_unlinkat unlinkat
#define sys_statfs statfs
#define sys_bind bind
#define sys_accept accept
#define sys_send send
#define sys_sendmsg sendmsg
#define sys_setsockopt setsockopt
#define sys_fork fork
#define sys_waitpid(pid, st) waitpid(pid, st, 0)
#define sys_socketpair socketpair
#define sys_recv recv
#endif

#endif

/* SPDX-License-Identifier: MIT */
/* Passphrases (src/passphrase.c) as cryptsetup 2.6.1 reads them: key
 * files with offsets, sizes and the 8 MiB limit, stdin through a pipe,
 * the terminal prompt over a pseudo-terminal (echo off while it reads,
 * restored after, timeout, end of input, signals), a pipe's one line,
 * the kernel keyring's user keys; every byte in secret memory, wiped.
 * The cryptsetup behaviour each case follows is recorded, with the
 * commands that showed it, at the top of src/passphrase.c. */
#include "harness.h"
#include "fake-sys.h"
#include "keyring.h"
#include "passphrase.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define MIB (1024u * 1024u)

static char path[512];

static void key_file(const char *name, const void *bytes, size_t len)
{
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", host.root, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(bytes, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* A file of len bytes of c. */
static void big_file(const char *name, size_t len, int c)
{
	char *b = malloc(len);

	assert_non_null(b);
	memset(b, c, len);
	key_file(name, b, len);
	free(b);
}

static struct pass_src src(const char *file, uint64_t offset, uint64_t size)
{
	struct pass_src s;

	memset(&s, 0, sizeof(s));
	s.key_file = file;
	s.keyfile_offset = offset;
	s.keyfile_size = size;
	s.in_fd = s.out_fd = -1;
	s.device = "/dev/vdb";
	return s;
}

/* pass_get, with every read() of it checked to land in guarded memory
 * (fake-sys.c counts those that do not). */
static int get(const struct pass_src *s, struct pass *p, const char **why)
{
	int unlocked = 0, r;

	fsys.in_keyfile = 1;
	r = pass_get(s, p, &unlocked, why);
	fsys.in_keyfile = 0;
	assert_int_equal(unlocked, 0);
	assert_int_equal(fsys.key_unguarded, 0);
	if (r) {
		assert_null(p->buf);
		assert_int_equal(p->len, 0);
	} else {
		assert_null(*why);
		assert_true(fsys.undumpable);
		assert_true(fsys_guarded(p->buf, p->size));
	}
	return r;
}

/* The passphrase is want (len bytes); freed, nothing left. */
static void expect_pass(struct pass *p, const void *want, size_t len)
{
	assert_int_equal(p->len, len);
	assert_memory_equal(p->buf, want, len);
	pass_free(p);
	assert_null(p->buf);
	assert_int_equal(fsys_locked(), 0);
	assert_int_equal(fsys.unlocked_dirty, 0);
	assert_int_equal(host.live, 0);
	assert_int_equal(host.freed_dirty, 0);
}

static void expect_refused(int r, int err, const char *why, const char *want)
{
	assert_int_equal(r, err);
	if (want)
		assert_string_equal(why, want);
	else
		assert_null(why);
	assert_int_equal(fsys_locked(), 0);
	assert_int_equal(host.live, 0);
	assert_int_equal(host.freed_dirty, 0);
}

static int pass_setup(void **state)
{
	setup(state);
	fsys_reset();
	return 0;
}

static void test_key_file_bytes(void **state)
{
	struct pass_src s = src(NULL, 0, 0);
	const char *why;
	struct pass p;

	(void)state;
	/* every byte, newlines and NULs kept */
	key_file("k", "ab\ncd\0e\n", 8);
	s.key_file = path;
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "ab\ncd\0e\n", 8);

	/* cryptsetup: an empty key file is the empty passphrase */
	key_file("empty", "", 0);
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "", 0);

	/* the key file wins over a keyring key and the prompt */
	key_file("k", "pw", 2);
	s.key_desc = "dmboot-test:none";
	s.in_fd = 0;
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "pw", 2);
}

static void test_key_file_offset_size(void **state)
{
	struct pass_src s = src(NULL, 2, 2);
	const char *why;
	struct pass p;
	int r;

	(void)state;
	key_file("k", "XXpwYY", 6);
	s.key_file = path;
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "pw", 2);

	s.keyfile_size = 0; /* to EOF */
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "pwYY", 4);

	s.keyfile_offset = 6; /* at the end: the empty passphrase */
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "", 0);

	s.keyfile_offset = 2;
	s.keyfile_size = 5;
	r = get(&s, &p, &why);
	expect_refused(r, -ENODATA, why,
		       "Cannot read requested amount of data.");

	s.keyfile_offset = 10;
	s.keyfile_size = 0;
	r = get(&s, &p, &why);
	expect_refused(r, -EINVAL, why,
		       "Cannot seek to requested keyfile offset.");

	snprintf(path, sizeof(path), "%s/none", host.root);
	s.keyfile_offset = 0;
	r = get(&s, &p, &why);
	expect_refused(r, -ENOENT, why, NULL);

	/* a directory */
	r = get(&(struct pass_src){.key_file = host.root,
				   .in_fd = -1,
				   .out_fd = -1},
		&p, &why);
	expect_refused(r, -EISDIR, why, NULL);
}

static void test_key_file_limit(void **state)
{
	struct pass_src s = src(NULL, 0, 0);
	const char *why;
	struct pass p;
	int r;

	(void)state;
	big_file("8m", PASS_MAX, 'a');
	s.key_file = path;
	assert_int_equal(get(&s, &p, &why), 0);
	assert_int_equal(p.len, PASS_MAX);
	assert_int_equal(p.buf[PASS_MAX - 1], 'a');
	pass_free(&p);
	assert_int_equal(host.live, 0);
	assert_int_equal(host.freed_dirty, 0);

	big_file("8m1", PASS_MAX + 1, 'b');
	r = get(&s, &p, &why);
	expect_refused(r, -E2BIG, why, "Maximum keyfile size exceeded.");

	/* past the limit from an offset within it: still too much */
	s.keyfile_offset = 1;
	assert_int_equal(get(&s, &p, &why), 0);
	assert_int_equal(p.len, PASS_MAX);
	pass_free(&p);

	/* an explicit --keyfile-size may be larger (cryptsetup: 9 MiB of
	 * a 9 MiB file opens; exit 2 "No key available") */
	s.keyfile_offset = 0;
	s.keyfile_size = PASS_MAX + 1;
	assert_int_equal(get(&s, &p, &why), 0);
	assert_int_equal(p.len, PASS_MAX + 1);
	pass_free(&p);
	assert_int_equal(host.live, 0);
}

/* What a pipe cannot hold, written by a thread. */
struct writer {
	int fd;
	const char *bytes;
	size_t len;
	pthread_t th;
	int running;
};
static struct writer writer;

static void *writer_run(void *arg)
{
	struct writer *w = arg;

	while (w->len) {
		ssize_t n = syscall(SYS_write, w->fd, w->bytes, w->len);

		if (n <= 0)
			break;
		w->bytes += n;
		w->len -= (size_t)n;
	}
	close(w->fd);
	return NULL;
}

/* fd 0 reads the other end of a pipe that gets bytes (len of them) and
 * is closed. Returns the saved stdin for restore_stdin. */
static int stdin_pipe(const void *bytes, size_t len)
{
	int fds[2], saved = dup(0);

	assert_true(saved >= 0);
	assert_int_equal(pipe(fds), 0);
	if (len > 4096) {
		writer = (struct writer){fds[1], bytes, len, 0, 1};
		assert_int_equal(
			pthread_create(&writer.th, NULL, writer_run, &writer),
			0);
	} else {
		assert_int_equal(write(fds[1], bytes, len), (ssize_t)len);
		close(fds[1]);
	}
	assert_int_equal(dup2(fds[0], 0), 0);
	close(fds[0]);
	return saved;
}

/* stdin back; the writer, if any, done (its pipe closed by the dup2). */
static void restore_stdin(int saved)
{
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
	if (writer.running) {
		assert_int_equal(pthread_join(writer.th, NULL), 0);
		writer.running = 0;
	}
}

static void test_key_file_stdin(void **state)
{
	struct pass_src s = src("-", 0, 0);
	const char *why;
	struct pass p;
	char *big;
	int saved, r;

	(void)state;
	/* "-": every byte, the newline kept */
	saved = stdin_pipe("pw\n", 3);
	assert_int_equal(get(&s, &p, &why), 0);
	restore_stdin(saved);
	expect_pass(&p, "pw\n", 3);

	saved = stdin_pipe("", 0);
	r = get(&s, &p, &why);
	restore_stdin(saved);
	expect_refused(r, -ECANCELED, why, "Nothing to read on input.");

	/* stdin from an empty file is nothing too (cryptsetup < empty) */
	key_file("empty", "", 0);
	{
		int fd = open(path, O_RDONLY);

		saved = dup(0);
		assert_true(fd >= 0 && saved >= 0);
		assert_int_equal(dup2(fd, 0), 0);
		close(fd);
		r = get(&s, &p, &why);
		restore_stdin(saved);
		expect_refused(r, -ECANCELED, why, "Nothing to read on input.");
	}

	/* an offset on a pipe: read and dropped */
	s.keyfile_offset = 2;
	saved = stdin_pipe("XXpw", 4);
	assert_int_equal(get(&s, &p, &why), 0);
	restore_stdin(saved);
	expect_pass(&p, "pw", 2);

	saved = stdin_pipe("X", 1);
	r = get(&s, &p, &why);
	restore_stdin(saved);
	expect_refused(r, -EINVAL, why,
		       "Cannot seek to requested keyfile offset.");

	s.keyfile_offset = 0;
	s.keyfile_size = 2;
	saved = stdin_pipe("p", 1);
	r = get(&s, &p, &why);
	restore_stdin(saved);
	expect_refused(r, -ENODATA, why,
		       "Cannot read requested amount of data.");

	/* the limit on a pipe, whose length nobody knows beforehand */
	s.keyfile_size = 0;
	big = malloc(PASS_MAX + 1);
	assert_non_null(big);
	memset(big, 'c', PASS_MAX + 1);
	saved = stdin_pipe(big, PASS_MAX + 1);
	r = get(&s, &p, &why);
	restore_stdin(saved);
	expect_refused(r, -E2BIG, why, "Maximum keyfile size exceeded.");

	saved = stdin_pipe(big, PASS_MAX);
	assert_int_equal(get(&s, &p, &why), 0);
	restore_stdin(saved);
	assert_int_equal(p.len, PASS_MAX);
	assert_memory_equal(p.buf, big, PASS_MAX);
	pass_free(&p);
	free(big);
	assert_int_equal(host.live, 0);
}

/* No key file, in_fd not a terminal: one line, no prompt. */
static void test_line_from_pipe(void **state)
{
	struct pass_src s = src(NULL, 0, 0);
	const char *why;
	struct pass p;
	char rest[8];
	int fds[2], r;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	s.in_fd = fds[0];
	s.out_fd = fds[1]; /* nothing may be written there */
	assert_int_equal(write(fds[1], "pw\nxx", 5), 5);
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "pw", 2);
	/* what follows the line stays for the next try */
	assert_int_equal(read(fds[0], rest, sizeof(rest)), 2);
	assert_memory_equal(rest, "xx", 2);

	/* an empty line is the empty passphrase; "\r" is kept */
	assert_int_equal(write(fds[1], "\npw\r\n", 5), 5);
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "", 0);
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "pw\r", 3);

	/* --keyfile-offset and --keyfile-size apply */
	s.keyfile_offset = 2;
	s.keyfile_size = 2;
	assert_int_equal(write(fds[1], "XXpwzz\n", 7), 7);
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "pw", 2);
	assert_int_equal(read(fds[0], rest, sizeof(rest)), 3);
	s.keyfile_offset = 0;
	assert_int_equal(write(fds[1], "p\n", 2), 2);
	r = get(&s, &p, &why);
	expect_refused(r, -ENODATA, why,
		       "Cannot read requested amount of data.");

	/* the last line without its newline, then nothing */
	s.keyfile_size = 0;
	assert_int_equal(write(fds[1], "pw", 2), 2);
	close(fds[1]);
	s.out_fd = -1;
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, "pw", 2);
	r = get(&s, &p, &why);
	expect_refused(r, -ECANCELED, why, "Nothing to read on input.");
	close(fds[0]);

	/* no terminal at all */
	s.in_fd = -1;
	r = get(&s, &p, &why);
	expect_refused(r, -ENOTTY, why,
		       "no terminal to ask for the passphrase on");
}

/* ---- the prompt, over a pseudo-terminal ---- */

struct typist {
	int master;
	const char *type; /* what to type once the prompt is shown */
	int type_eof, signal; /* type VEOF instead; or send the signal */
	pthread_t reader; /* the thread in pass_get */
	char seen[256]; /* what the terminal showed before typing */
	int echo_seen; /* ECHO was on while the prompt waited */
};

/* Waits for the prompt's ": ", looks at the terminal's modes and types.
 * No cmocka asserts here: another thread. */
static void *typist_run(void *arg)
{
	struct typist *t = arg;
	size_t n = 0;
	struct termios tio;

	while (n < sizeof(t->seen) - 1 && !strstr(t->seen, ": ")) {
		struct pollfd pfd = {t->master, POLLIN, 0};
		ssize_t k;

		if (poll(&pfd, 1, 5000) <= 0)
			return NULL;
		k = syscall(SYS_read, t->master, t->seen + n,
			    sizeof(t->seen) - 1 - n);
		if (k <= 0)
			return NULL;
		n += (size_t)k;
		t->seen[n] = 0;
	}
	/* pass_get turns echo off after the prompt (flushing what came
	 * before): wait for it, two seconds at most */
	for (n = 0; n < 200; n++) {
		if (tcgetattr(t->master, &tio))
			return NULL;
		t->echo_seen = !!(tio.c_lflag & ECHO);
		if (!t->echo_seen)
			break;
		usleep(10 * 1000);
	}
	if (t->signal)
		pthread_kill(t->reader, t->signal);
	else if (t->type_eof)
		(void)!syscall(SYS_write, t->master, &tio.c_cc[VEOF], 1L);
	else if (t->type)
		(void)!syscall(SYS_write, t->master, t->type, strlen(t->type));
	return NULL;
}

struct pty {
	int master, slave;
	struct termios was;
};

static void pty_open(struct pty *t)
{
	t->master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(t->master >= 0);
	assert_int_equal(grantpt(t->master), 0);
	assert_int_equal(unlockpt(t->master), 0);
	t->slave = open(ptsname(t->master), O_RDWR | O_NOCTTY);
	assert_true(t->slave >= 0);
	assert_int_equal(tcgetattr(t->slave, &t->was), 0);
	assert_true(t->was.c_lflag & ECHO);
}

/* What the terminal shows after the typist's part; the mode restored. */
static void pty_close(struct pty *t, const char *after)
{
	struct termios now;
	char buf[64];
	ssize_t n;

	assert_int_equal(tcgetattr(t->slave, &now), 0);
	assert_int_equal(now.c_lflag, t->was.c_lflag);
	n = 0;
	if (poll(&(struct pollfd){t->master, POLLIN, 0}, 1, 200) > 0)
		n = syscall(SYS_read, t->master, buf, sizeof(buf) - 1);
	assert_true(n >= 0);
	buf[n] = 0;
	assert_string_equal(buf, after);
	close(t->slave);
	close(t->master);
}

/* pass_get on the pty's slave while a typist acts on the master. */
static int prompt(struct pty *t, struct typist *ty, struct pass_src *s,
		  struct pass *p, const char **why)
{
	pthread_t th;
	int unlocked = 0, r;

	ty->master = t->master;
	ty->reader = pthread_self();
	s->in_fd = t->slave;
	s->out_fd = -1; /* the terminal itself, as cryptsetup's /dev/tty */
	assert_int_equal(pthread_create(&th, NULL, typist_run, ty), 0);
	r = pass_get(s, p, &unlocked, why);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(unlocked, 0);
	if (!r)
		assert_true(fsys_guarded(p->buf, p->size));
	return r;
}

static void test_prompt(void **state)
{
	struct pass_src s = src(NULL, 0, 0);
	struct typist ty = {.type = "sec ret\n"};
	const char *why;
	struct pty t;
	struct pass p;

	(void)state;
	pty_open(&t);
	assert_int_equal(prompt(&t, &ty, &s, &p, &why), 0);
	assert_string_equal(ty.seen, "Enter passphrase for /dev/vdb: ");
	assert_false(ty.echo_seen);
	expect_pass(&p, "sec ret", 7);
	/* nothing echoed; the newline after the line is the prompt's */
	pty_close(&t, "\r\n");

	/* an empty line is the empty passphrase; --keyfile-size has no
	 * say on a terminal; "-" on a terminal is the prompt too */
	pty_open(&t);
	memset(&ty, 0, sizeof(ty));
	ty.type = "\n";
	s.keyfile_size = 1;
	assert_int_equal(prompt(&t, &ty, &s, &p, &why), 0);
	expect_pass(&p, "", 0);
	pty_close(&t, "\r\n");
}

static void test_prompt_refusals(void **state)
{
	struct pass_src s = src(NULL, 0, 0);
	struct typist ty;
	char line[PASS_PROMPT_MAX + 3];
	const char *why;
	struct pty t;
	struct pass p;
	time_t t0;
	int r;

	(void)state;
	/* end of input before a line */
	pty_open(&t);
	memset(&ty, 0, sizeof(ty));
	ty.type_eof = 1;
	r = prompt(&t, &ty, &s, &p, &why);
	expect_refused(r, -ECANCELED, why, "end of input before a line");
	assert_false(ty.echo_seen);
	pty_close(&t, "\r\n");

	/* longer than the limit: refused, not cut */
	memset(line, 'x', sizeof(line));
	line[PASS_PROMPT_MAX + 1] = '\n';
	line[PASS_PROMPT_MAX + 2] = 0;
	pty_open(&t);
	memset(&ty, 0, sizeof(ty));
	ty.type = line;
	r = prompt(&t, &ty, &s, &p, &why);
	expect_refused(r, -E2BIG, why, "passphrase longer than 512 bytes");
	pty_close(&t, "\r\n");
	/* the limit itself is fine */
	line[PASS_PROMPT_MAX] = '\n';
	line[PASS_PROMPT_MAX + 1] = 0;
	pty_open(&t);
	memset(&ty, 0, sizeof(ty));
	ty.type = line;
	assert_int_equal(prompt(&t, &ty, &s, &p, &why), 0);
	expect_pass(&p, line, PASS_PROMPT_MAX);
	pty_close(&t, "\r\n");

	/* the timeout: nothing typed for a second */
	pty_open(&t);
	memset(&ty, 0, sizeof(ty));
	s.timeout_ms = 1000;
	t0 = time(NULL);
	r = prompt(&t, &ty, &s, &p, &why);
	expect_refused(r, -ETIMEDOUT, why, "timed out");
	assert_true(time(NULL) - t0 >= 1 && time(NULL) - t0 <= 3);
	assert_false(ty.echo_seen);
	pty_close(&t, "\r\n");
	s.timeout_ms = 0;

	/* a signal ends the wait with the terminal restored; the signal's
	 * own handling is back after */
	pty_open(&t);
	memset(&ty, 0, sizeof(ty));
	ty.signal = SIGINT;
	r = prompt(&t, &ty, &s, &p, &why);
	expect_refused(r, -EINTR, why, "interrupted");
	assert_false(ty.echo_seen);
	pty_close(&t, "\r\n");
	{
		struct sigaction now;

		assert_int_equal(sigaction(SIGINT, NULL, &now), 0);
		assert_true(now.sa_handler == SIG_DFL);
	}

	/* cryptsetup: "Cannot use offset with terminal input." */
	pty_open(&t);
	memset(&ty, 0, sizeof(ty));
	s.keyfile_offset = 1;
	s.in_fd = t.slave;
	r = pass_get(&s, &p, &(int){0}, &why);
	expect_refused(r, -EINVAL, why,
		       "Cannot use offset with terminal input.");
	pty_close(&t, "");
}

/* The line between tries goes to the terminal, never into a file that
 * stands in for it. */
static void test_say(void **state)
{
	struct pass_src s = src(NULL, 0, 0);
	char buf[64];
	struct pty t;
	int fd;

	(void)state;
	pty_open(&t);
	s.in_fd = t.slave;
	pass_say(&s, "No key available with this passphrase.");
	pty_close(&t, "No key available with this passphrase.\r\n");

	key_file("in", "pw\n", 3);
	fd = open(path, O_RDWR);
	assert_true(fd >= 0);
	s.in_fd = fd;
	pass_say(&s, "No key available with this passphrase.");
	assert_int_equal(pread(fd, buf, sizeof(buf), 0), 3);
	assert_memory_equal(buf, "pw\n", 3);
	close(fd);

	/* out_fd named: there */
	{
		int fds[2];

		assert_int_equal(pipe(fds), 0);
		s.out_fd = fds[1];
		pass_say(&s, "again");
		assert_int_equal(read(fds[0], buf, sizeof(buf)), 6);
		assert_memory_equal(buf, "again\n", 6);
		close(fds[0]);
		close(fds[1]);
	}
}

/* ---- the kernel keyring (the machine's: the syscalls themselves) ---- */

#define KEYCTL_UNLINK 9
#define KEY_DESC "dmboot-test:passphrase"

static void test_keyring(void **state)
{
	static const char pw[] = "key ring\npass";
	const char *why;
	struct pass_src s = src(NULL, 0, 0);
	struct pass p;
	long key;
	int r;

	(void)state;
	key = syscall(SYS_add_key, "user", KEY_DESC, pw, sizeof(pw) - 1,
		      KEY_SPEC_PROCESS_KEYRING);
	if (key < 0) {
		fprintf(stderr,
			"test-passphrase: SKIPPED keyring: add_key: %s\n",
			strerror(errno));
		skip();
	}
	r = pass_keyring(KEY_DESC, &p, &(int){0});
	assert_int_equal(r, 0);
	assert_true(fsys_guarded(p.buf, p.size));
	expect_pass(&p, pw, sizeof(pw) - 1);

	s.key_desc = KEY_DESC;
	s.in_fd = 0; /* no prompt: the key is there */
	assert_int_equal(get(&s, &p, &why), 0);
	expect_pass(&p, pw, sizeof(pw) - 1);

	assert_int_equal(syscall(SYS_keyctl, KEYCTL_UNLINK, key,
				 KEY_SPEC_PROCESS_KEYRING),
			 0);
	r = pass_keyring(KEY_DESC, &p, &(int){0});
	expect_refused(r, -ENOKEY, NULL, NULL);
	assert_null(p.buf);
	r = get(&s, &p, &why);
	expect_refused(r, -ENOENT, why,
		       "no such user key in the kernel keyring");
	/* a logon key of that name is not a user key */
	key = syscall(SYS_add_key, "logon", "dmboot-test:logon", pw, 4L,
		      KEY_SPEC_PROCESS_KEYRING);
	if (key >= 0) {
		r = pass_keyring("dmboot-test:logon", &p, &(int){0});
		expect_refused(r, -ENOKEY, NULL, NULL);
		syscall(SYS_keyctl, KEYCTL_UNLINK, key,
			KEY_SPEC_PROCESS_KEYRING);
	}
}

/* Out of memory on the way: nothing held, nothing left. */
static void test_alloc_failure(void **state)
{
	struct pass_src s = src(NULL, 0, 0);
	const char *why;
	struct pass p;
	int r;

	(void)state;
	key_file("k", "pw", 2);
	s.key_file = path;
	host.alloc_fail_at = 1;
	r = get(&s, &p, &why);
	expect_refused(r, -ENOMEM, why, NULL);
	host.alloc_fail_at = 0;

	/* a pipe's buffer grows (a regular file's is sized at once): the
	 * second buffer fails, the first is wiped and freed */
	{
		char b[3 * 4096];
		int saved;

		memset(b, 'z', sizeof(b));
		s.key_file = "-";
		saved = stdin_pipe(b, sizeof(b));
		host.alloc_fail_at = host.allocs + 2;
		r = get(&s, &p, &why);
		host.alloc_fail_at = 0;
		restore_stdin(saved);
		expect_refused(r, -ENOMEM, why, NULL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, pass_setup, teardown)
		T(test_key_file_bytes),	 T(test_key_file_offset_size),
		T(test_key_file_limit),	 T(test_key_file_stdin),
		T(test_line_from_pipe),	 T(test_prompt),
		T(test_prompt_refusals), T(test_keyring),
		T(test_alloc_failure),	 T(test_say),
#undef T
	};

	return cmocka_run_group_tests_name("passphrase", tests, NULL, NULL);
}

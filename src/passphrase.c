/* SPDX-License-Identifier: MIT */
#include "passphrase.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <termios.h>
#include <unistd.h>

#include "config.h"
#include "keyring.h"
#include "rawsys.h"
#include "secret.h"

/* What cryptsetup 2.6.1 does, checked on an image file (luksFormat
 * --key-file -, then open --test-passphrase IMG), and what dmboot does:
 * - --key-file FILE: every byte after --keyfile-offset up to
 *   --keyfile-size or EOF, newlines kept; an empty file is the empty
 *   passphrase (exit 2, "No key available with this passphrase.").
 *   More than 8 MiB without --keyfile-size: "Maximum keyfile size
 *   exceeded." (exit 1); an explicit --keyfile-size may be larger. Fewer
 *   bytes than --keyfile-size: "Cannot read requested amount of data.";
 *   an offset beyond a regular file's end: "Cannot seek to requested
 *   keyfile offset." (exit 1 both); no such file: "Failed to open key
 *   file." (exit 1).
 * - --key-file - with stdin a pipe: the same, read from stdin; nothing
 *   at all on it: "Nothing to read on input." (exit 1), also with stdin
 *   an empty file (< empty).
 * - No key file, stdin a pipe: no prompt, one line (printf 'pw\nxx'
 *   opens with "pw"; "pw" without a newline too; "pw\r\n" does not; "\n"
 *   is the empty passphrase), --keyfile-offset and --keyfile-size still
 *   apply ("p\n" with --keyfile-size 2: "Cannot read requested amount
 *   of data."); an empty pipe: "Nothing to read on input." (exit 1).
 * - No key file or --key-file -, stdin a terminal: "Enter passphrase for
 *   IMG: " on the terminal itself (/dev/tty: with 2>file the prompt stays
 *   on the terminal, the errors go to the file), ECHO off while it
 *   reads, "\n" written after the line; --keyfile-size ignored;
 *   --keyfile-offset: "Cannot use offset with terminal input." (exit 1);
 *   --timeout 1 with nothing typed: "Error reading passphrase from
 *   terminal." (exit 1); an empty line is the empty passphrase; a wrong
 *   one: "No key available with this passphrase." on stderr, exit 2.
 * dmboot differs on purpose in two places: a typed line longer than
 * PASS_PROMPT_MAX is refused (cryptsetup cuts it to 511 bytes), and the
 * newline after the prompt is written on every path, so that an error
 * starts a line of its own. */

#define PASS_CHUNK 4096u /* the first buffer for input of unknown length */

/* read_into's ends */
enum { PASS_EOF, PASS_EOL, PASS_FULL };

/* p->buf with room for need bytes (need - 1 < cap), what it held moved
 * over: doubling from PASS_CHUNK, at most cap rounded to pages. */
static int pass_room(struct pass *p, size_t need, size_t cap, int *unlocked)
{
	size_t size = p->size ? p->size : PASS_CHUNK;
	char *buf;

	if (need <= p->size)
		return 0;
	while (size < need)
		size *= 2;
	cap = (cap + PASS_CHUNK - 1) / PASS_CHUNK * PASS_CHUNK;
	if (size > cap && cap >= need)
		size = cap;
	buf = secret_alloc(size, unlocked);
	if (!buf)
		return -ENOMEM;
	if (p->len)
		memcpy(buf, p->buf, p->len);
	secret_free(p->buf, p->size);
	p->buf = buf;
	p->size = size;
	return 0;
}

/* Bytes from fd after p's until EOF, max bytes in all, or (eol) a
 * newline, which is not kept: one byte a read, so that what follows the
 * line stays in the pipe for the next try, as cryptsetup leaves it.
 * PASS_EOF, PASS_EOL, PASS_FULL or -errno. */
static int read_into(int fd, struct pass *p, size_t max, int eol, int *unlocked)
{
	for (;;) {
		ssize_t n;
		int r;

		if (p->len == max)
			return PASS_FULL;
		r = pass_room(p, p->len + 1, max, unlocked);
		if (r)
			return r;
		n = read(fd, p->buf + p->len,
			 eol ? 1
			     : (max - p->len < p->size - p->len
					? max - p->len
					: p->size - p->len));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return PASS_EOF;
		if (eol && p->buf[p->len] == '\n') {
			p->buf[p->len] = 0;
			return PASS_EOL;
		}
		p->len += (size_t)n;
	}
}

/* Drops offset bytes of a pipe, read through p's secret memory: a key
 * file may hold other keys there. 0, 1 if it ends first, or -errno. */
static int skip_bytes(int fd, uint64_t offset, struct pass *p, int *unlocked)
{
	int r = pass_room(p, PASS_CHUNK, PASS_CHUNK, unlocked);

	while (!r && offset) {
		ssize_t n = read(fd, p->buf,
				 offset < p->size ? (size_t)offset : p->size);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			r = n ? -errno : 1;
		else
			offset -= (uint64_t)n;
	}
	if (p->buf)
		wipe(p->buf, p->size);
	return r;
}

/* A key file's bytes (named: not stdin) or (eol) stdin's line, from
 * fd, as cryptsetup reads them: --keyfile-offset skipped, then --keyfile-size bytes exactly or,
 * without it, up to EOF (or the newline) and at most PASS_MAX. */
static int read_key(const struct pass_src *s, int fd, int named, int eol,
		    struct pass *p, int *unlocked, const char **why)
{
	uint64_t want = s->keyfile_size;
	size_t max = PASS_MAX;
	struct stat st;
	int r = 0, regular;

	if (sys_fstat(fd, &st))
		return -errno;
	regular = S_ISREG(st.st_mode);
	if (want) {
		if (want > SIZE_MAX - PASS_CHUNK)
			return -E2BIG;
		max = (size_t)want;
	}
	if (regular) {
		long cur = (long)sys_lseek(fd, 0, SEEK_CUR);
		uint64_t at = cur > 0 ? (uint64_t)cur : 0;

		if (at > (uint64_t)st.st_size ||
		    s->keyfile_offset > (uint64_t)st.st_size - at ||
		    sys_lseek(fd, (off_t)s->keyfile_offset, SEEK_CUR) < 0) {
			*why = "Cannot seek to requested keyfile offset.";
			return -EINVAL;
		}
		at += s->keyfile_offset;
		if (!want && !eol && (uint64_t)st.st_size - at > PASS_MAX) {
			*why = "Maximum keyfile size exceeded.";
			return -E2BIG;
		}
		/* one buffer of the right size, not a doubling */
		if (!eol && (uint64_t)st.st_size - at < max)
			r = pass_room(p,
				      (size_t)((uint64_t)st.st_size - at) + 1,
				      max + 1, unlocked);
		if (r)
			return r;
	} else if (s->keyfile_offset) {
		r = skip_bytes(fd, s->keyfile_offset, p, unlocked);
		if (r > 0)
			*why = "Cannot seek to requested keyfile offset.";
		if (r)
			return r > 0 ? -EINVAL : r;
	}
	r = read_into(fd, p, max, eol, unlocked);
	if (r == PASS_FULL && !want) {
		/* one byte more says whether there is more than the limit */
		size_t len = p->len;

		r = pass_room(p, len + 1, len + 1, unlocked);
		if (!r)
			r = read_into(fd, p, len + 1, eol, unlocked);
		if (r == PASS_FULL) {
			*why = "Maximum keyfile size exceeded.";
			return -E2BIG;
		}
	}
	if (r < 0)
		return r;
	if (want && p->len != want) {
		*why = "Cannot read requested amount of data.";
		return -ENODATA;
	}
	/* cryptsetup: an empty named file is the empty passphrase, an
	 * empty stdin (even from a file) or pipe is nothing */
	if (!p->len && r == PASS_EOF && (!regular || !named)) {
		*why = "Nothing to read on input.";
		return -ECANCELED;
	}
	return 0;
}

static int key_file(const struct pass_src *s, struct pass *p, int *unlocked,
		    const char **why)
{
	int stdin_key = !strcmp(s->key_file, "-");
	int fd = stdin_key ? STDIN_FILENO
			   : sys_open(s->key_file, O_RDONLY | O_CLOEXEC, 0);
	int r;

	if (fd < 0)
		return -errno;
	r = read_key(s, fd, !stdin_key, 0, p, unlocked, why);
	if (!stdin_key)
		close(fd);
	return r;
}

static int prompt_write(int fd, const char *a, const char *b, const char *c)
{
	struct iovec v[3] = {{(void *)a, strlen(a)},
			     {(void *)b, strlen(b)},
			     {(void *)c, strlen(c)}};
	ssize_t n;

	do
		n = writev(fd, v, 3);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

/* The signals that would leave the terminal with echo off: blocked
 * while the prompt waits and read from a signalfd beside the terminal,
 * so that one ends the wait (-EINTR, the terminal restored, the caller
 * exits as cryptsetup does: "Error reading passphrase from terminal.",
 * exit 1) and none is lost. No handler: musl's sigaction (900 bytes)
 * stays out, and dietlibc's ppoll passes the kernel no sigset size. */
static const int pass_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP};
#define PASS_NSIGNALS (sizeof(pass_signals) / sizeof(pass_signals[0]))

/* One line from the terminal in, echo off: its bytes without the
 * newline, at most PASS_PROMPT_MAX. The timeout is each wait's, as
 * cryptsetup's (one wait: the terminal hands over whole lines). */
static int tty_line(const struct pass_src *s, int sigfd, struct pass *p,
		    const char **why)
{
	struct pollfd pfd[2] = {{s->in_fd, POLLIN, 0}, {sigfd, POLLIN, 0}};
	int ms = s->timeout_ms > INT_MAX ? INT_MAX
		 : s->timeout_ms	 ? (int)s->timeout_ms
					 : -1;

	for (;;) {
		struct signalfd_siginfo si;
		ssize_t n;
		size_t i;
		int r = poll(pfd, 2, ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (!r) {
			*why = "timed out";
			return -ETIMEDOUT;
		}
		if (pfd[1].revents) {
			/* taken, so that it is not delivered later */
			(void)!read(sigfd, &si, sizeof(si));
			*why = "interrupted";
			return -EINTR;
		}
		n = read(s->in_fd, p->buf + p->len, p->size - p->len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0)
			return -errno;
		if (!n) {
			*why = "end of input before a line";
			return -ECANCELED;
		}
		for (i = p->len, p->len += (size_t)n; i < p->len; i++) {
			if (p->buf[i] != '\n')
				continue;
			/* bytes after the newline (no ICANON) go too */
			wipe(p->buf + i, p->len - i);
			p->len = i;
			return p->len > PASS_PROMPT_MAX ? -E2BIG : 0;
		}
		if (p->len > PASS_PROMPT_MAX)
			return -E2BIG;
	}
}

/* cryptsetup's prompt on the terminal in (written to out, or to in
 * itself, as cryptsetup writes to /dev/tty), echo off, the terminal and
 * the signals restored on every return. */
static int tty_prompt(const struct pass_src *s, struct termios *was,
		      struct pass *p, int *unlocked, const char **why)
{
	int out = s->out_fd >= 0 ? s->out_fd : s->in_fd;
	sigset_t block, was_mask;
	struct termios quiet = *was;
	size_t i;
	int r, sigfd;

	if (s->keyfile_offset) {
		*why = "Cannot use offset with terminal input.";
		return -EINVAL;
	}
	/* the newline's byte and one more say "too long" */
	r = pass_room(p, PASS_PROMPT_MAX + 2, PASS_PROMPT_MAX + 2, unlocked);
	if (r)
		return r;
	r = prompt_write(out, "Enter passphrase for ",
			 s->device ? s->device : "", ": ");
	if (r)
		return r;

	sigemptyset(&block);
	for (i = 0; i < PASS_NSIGNALS; i++)
		sigaddset(&block, pass_signals[i]);
	sigprocmask(SIG_BLOCK, &block, &was_mask);
	/* SFD_CLOEXEC is O_CLOEXEC; dietlibc names only the latter */
	sigfd = signalfd(-1, &block, O_CLOEXEC);

	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	if (sigfd < 0 || tcsetattr(s->in_fd, TCSAFLUSH, &quiet))
		r = -errno;
	else
		r = tty_line(s, sigfd, p, why);
	/* TCSAFLUSH: what was typed beyond the line goes too */
	tcsetattr(s->in_fd, TCSAFLUSH, was);
	if (sigfd >= 0)
		close(sigfd);
	sigprocmask(SIG_SETMASK, &was_mask, NULL);
	(void)prompt_write(out, "", "", "\n");
	if (r == -E2BIG)
		*why = "passphrase longer than 512 bytes";
	return r;
}

/* No key file, no keyring key: the prompt, or stdin's line. */
static int pass_ask(const struct pass_src *s, struct pass *p, int *unlocked,
		    const char **why)
{
	struct termios was;

	if (!CFG_CRYPT_PASSPHRASE) {
		*why = "no passphrase prompt in this build (CRYPT_PASSPHRASE "
		       "off): use a key file or a keyring key";
		return -ENOTSUP;
	}
	if (s->in_fd < 0) {
		*why = "no terminal to ask for the passphrase on";
		return -ENOTTY;
	}
	if (tcgetattr(s->in_fd, &was))
		return read_key(s, s->in_fd, 0, 1, p, unlocked, why);
	return tty_prompt(s, &was, p, unlocked, why);
}

int pass_keyring(const char *desc, struct pass *p, int *unlocked)
{
	int32_t key = keyring_search("user", desc);
	long n;
	int r;

	memset(p, 0, sizeof(*p));
	if (key == -ENOKEY || key == -ENOENT || key == -EKEYEXPIRED ||
	    key == -EKEYREVOKED)
		return -ENOKEY;
	if (key < 0)
		return key;
	/* the payload's length, then the payload; again if it grew */
	for (;;) {
		n = keyring_read(key, NULL, 0);
		if (n < 0)
			break;
		r = pass_room(p, (size_t)n + 1, (size_t)n + 1, unlocked);
		if (r) {
			n = r;
			break;
		}
		n = keyring_read(key, p->buf, p->size);
		if (n < 0 || (size_t)n <= p->size)
			break;
	}
	if (n < 0) {
		pass_free(p);
		return n == -EKEYREVOKED || n == -EKEYEXPIRED ? -ENOKEY
							      : (int)n;
	}
	p->len = (size_t)n;
	return 0;
}

int pass_get(const struct pass_src *s, struct pass *p, int *unlocked,
	     const char **why)
{
	int r;

	memset(p, 0, sizeof(*p));
	*why = NULL;
	/* "-" on a terminal is the prompt, as in cryptsetup */
	if (s->key_file &&
	    !(!strcmp(s->key_file, "-") && isatty(STDIN_FILENO))) {
		r = key_file(s, p, unlocked, why);
	} else if (s->key_desc) {
		r = pass_keyring(s->key_desc, p, unlocked);
		if (r == -ENOKEY) {
			*why = "no such user key in the kernel keyring";
			r = -ENOENT;
		}
	} else {
		r = pass_ask(s, p, unlocked, why);
	}
	if (r)
		pass_free(p);
	return r;
}

void pass_say(const struct pass_src *s, const char *line)
{
	/* in_fd only as the terminal: never into a file given as stdin */
	int out = s->out_fd >= 0		      ? s->out_fd
		  : s->in_fd >= 0 && isatty(s->in_fd) ? s->in_fd
						      : -1;

	if (out >= 0)
		(void)prompt_write(out, line, "", "\n");
}

void pass_free(struct pass *p)
{
	secret_free(p->buf, p->size);
	memset(p, 0, sizeof(*p));
}

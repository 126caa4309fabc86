/* SPDX-License-Identifier: MIT */
#include "harness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fake-sys.h"
#include "out.h"
#include "tab-open.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/common_interface_defs.h>
#endif

struct run_result R;

const uint32_t want_minor[FK_NR_COUNT] = {
	[FK_LIST_VERSIONS] = 1,	      [FK_TARGET_MSG] = 2,
	[FK_DEV_SET_GEOMETRY] = 6,    [FK_DEV_ARM_POLL] = 37,
	[FK_GET_TARGET_VERSION] = 41,
};

static void result_free(void)
{
	free(R.out);
	free(R.err);
	memset(&R, 0, sizeof(R));
}

static char *slurp(int fd, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *p = malloc(cap);
	ssize_t k;

	if (!p || lseek(fd, 0, SEEK_SET) < 0)
		abort();
	while ((k = read(fd, p + n, cap - n - 1)) > 0) {
		n += (size_t)k;
		if (cap - n - 1 == 0) {
			cap *= 2;
			p = realloc(p, cap);
			if (!p)
				abort();
		}
	}
	p[n] = 0;
	*len = n;
	close(fd);
	return p;
}

/* Sanitizer reports go to the real stderr even while fd 2 is captured. */
static void report_fd_once(void)
{
#if defined(__SANITIZE_ADDRESS__)
	static int done;

	if (!done) {
		__sanitizer_set_report_fd((void *)(intptr_t)dup(2));
		done = 1;
	}
#endif
}

int run_cmd(const char *in, const char *const *args)
{
	int fin = memfd_create("stdin", 0), fout = memfd_create("stdout", 0);
	int ferr = memfd_create("stderr", 0);
	int save[3], argc = 1, i;
	char *argv[64], *keep[64];
	size_t live = host.live;

	report_fd_once();
	result_free();
	if (fin < 0 || fout < 0 || ferr < 0)
		abort();
	if (in && write(fin, in, strlen(in)) != (ssize_t)strlen(in))
		abort();
	lseek(fin, 0, SEEK_SET);
	argv[0] = strdup("dmboot");
	for (i = 0; args[i]; i++) {
		if (argc >= (int)NELEM(argv) - 1)
			abort();
		argv[argc++] = strdup(args[i]);
	}
	argv[argc] = NULL;
	memcpy(keep, argv, sizeof(argv)); /* main compacts argv */

	fflush(stdout);
	fflush(stderr);
	for (i = 0; i < 3; i++)
		save[i] = dup(i);
	dup2(fin, 0);
	dup2(fout, 1);
	dup2(ferr, 2);
	R.rc = dmboot_main(argc, argv);
	out_flush();
	for (i = 0; i < 3; i++) {
		dup2(save[i], i);
		close(save[i]);
	}
	close(fin);
	R.out = slurp(fout, &R.out_len);
	R.err = slurp(ferr, &R.err_len);
	for (i = 0; i < argc; i++)
		free(keep[i]);
	if (host.live != live)
		fail_msg("the command left %zu page buffer(s) allocated",
			 host.live - live);
	assert_int_equal(host.freed_dirty, 0);
	return R.rc;
}

void ok_(int rc, const char *file, int line)
{
	if (rc)
		fail_msg("%s:%d: exit %d, stderr: %s", file, line, rc, R.err);
}

int setup(void **state)
{
	(void)state;
	fk_reset();
	host_reset();
	return 0;
}

int teardown(void **state)
{
	(void)state;
	fk_free();
	host_free();
	result_free();
	return 0;
}

int err_lines(void)
{
	int n = 0;
	size_t i;

	for (i = 0; i < R.err_len; i++)
		n += R.err[i] == '\n';
	return n;
}

void expect_one_error(const char *want)
{
	if (R.rc != 1 || R.out_len || err_lines() != 1 ||
	    strncmp(R.err, "dmboot: ", 8) || R.err[R.err_len - 1] != '\n' ||
	    (want && !strstr(R.err, want)))
		fail_msg("want exit 1, no stdout, one error line with \"%s\"; "
			 "got exit %d, stdout \"%s\", stderr \"%s\"",
			 want ? want : "", R.rc, R.out, R.err);
}

void expect_nrs_(const unsigned *nrs, size_t n, const char *file, int line)
{
	char got[1024] = "", want[1024] = "";
	size_t i;
	int same = fk_count() == n;

	for (i = 0; i < n; i++) {
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
			 " %s", fk_nr_name[nrs[i]]);
		if (same && fk_rec(i)->nr != nrs[i])
			same = 0;
	}
	for (i = 0; i < fk_count() && strlen(got) < 900; i++)
		snprintf(got + strlen(got), sizeof(got) - strlen(got), " %s",
			 fk_rec(i)->nr < FK_NR_COUNT ? fk_nr_name[fk_rec(i)->nr]
						     : "?");
	if (!same)
		fail_msg("%s:%d: requests:%s; want:%s", file, line, got, want);
}

void expect_req(size_t i, unsigned nr, uint32_t flags, const char *name,
		const char *uuid)
{
	const struct fk_rec *r = fk_rec(i);

	assert_non_null(r);
	assert_int_equal(r->nr, nr);
	assert_int_equal(r->request, REQ(nr));
	assert_int_equal(r->hdr.version[0], 4);
	assert_int_equal(r->hdr.version[1], want_minor[nr]);
	assert_int_equal(r->hdr.version[2], 0);
	assert_int_equal(r->hdr.data_start, 312);
	assert_int_equal(r->hdr.data_size, 16 * KB);
	assert_int_equal(r->hdr.flags, flags);
	assert_int_equal(r->hdr.open_count, 0);
	assert_int_equal(r->hdr.padding, 0);
	assert_non_null(memchr(r->hdr.name, 0, sizeof(r->hdr.name)));
	assert_non_null(memchr(r->hdr.uuid, 0, sizeof(r->hdr.uuid)));
	assert_string_equal(r->hdr.name, name);
	assert_string_equal(r->hdr.uuid, uuid);
	assert_true(r->fd >= 0);
}

uint32_t rd32_at(const unsigned char *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

uint64_t rd64_at(const unsigned char *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

const char *tab_open_given(const struct tab_open *t)
{
	static char out[1024];
	int verity = t->kind == TAB_VERITY, f;
	uint64_t given = verity ? t->verity.given : t->crypt.given;
	size_t n = 0;

	/* verity's positional inputs have no option name */
	static const char *const args[] = {"data-device", "name", "hash-device",
					   "root-hash"};

	out[0] = 0;
	for (f = 0; f < (verity ? (int)VO_COUNT : (int)CO_COUNT); f++)
		if ((given >> f) & 1)
			n += (size_t)snprintf(
				out + n, sizeof(out) - n, "%s%s", n ? " " : "",
				!verity	       ? crypt_field_name(f)
				: f >= VO_DATA ? args[f - VO_DATA]
					       : verity_field_name(f));
	return out;
}

void verity_blkdev_pair(char *data, char *hash)
{
	char *path[2] = {data, hash};
	FILE *f;
	int i;

	snprintf(data, 512, "%s/vdd", host.root);
	snprintf(hash, 512, "%s/vde", host.root);
	for (i = 0; i < 2; i++) {
		f = fopen(path[i], "w");
		assert_non_null(f);
		fclose(f);
		fsys_blkdev(path[i], 8, 48 + 16 * (uint32_t)i);
	}
}

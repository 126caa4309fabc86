/* SPDX-License-Identifier: MIT */
/* Malformed replies: every one must give exit 1 and one error line, never
 * a crash or a read past the reply (ASan/valgrind watch the buffers; the
 * fake kernel fills what lies past data_size with garbage). */
#include "harness.h"

#include <stdio.h>
#include <string.h>

typedef void corrupt_fn(struct dm_ioctl *k, size_t size);

struct bad_case {
	const char *what;
	unsigned nr; /* the reply to corrupt */
	corrupt_fn *corrupt;
	const char *args[6];
	const char *error; /* expected error line, without "\n" */
};

static const struct bad_case *current;

static int corrupt_hook(unsigned nr, struct dm_ioctl *k, size_t size, int r)
{
	if (!r && nr == current->nr)
		current->corrupt(k, size);
	return r;
}

static char *payload(struct dm_ioctl *k)
{
	return (char *)k + k->data_start;
}

static size_t payload_len(struct dm_ioctl *k)
{
	return k->data_size - k->data_start;
}

static void put32(char *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

/* ---- header ---- */
static void short_size(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->data_size = 304;
}
static void size_past_buffer(struct dm_ioctl *k, size_t size)
{
	k->data_size = (uint32_t)size + 8;
}
static void name_no_nul(struct dm_ioctl *k, size_t size)
{
	(void)size;
	memset(k->name, 'N', sizeof(k->name));
}
static void uuid_no_nul(struct dm_ioctl *k, size_t size)
{
	(void)size;
	memset(k->uuid, 'U', sizeof(k->uuid));
}

/* ---- payload position ---- */
static void start_past_size(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->data_start = k->data_size + 8;
}
static void start_in_header(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->data_start = 300;
}

/* ---- name lists (two devices) ---- */
static void names_next_back(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k) + 8, (uint32_t)-8);
}
static void names_next_no_progress(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k) + 8, 4); /* inside its own header */
}
static void names_next_outside(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k) + 8, (uint32_t)payload_len(k) + 64);
}
static void names_no_nul(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k) + 8, 0); /* one entry running to the end */
	memset(payload(k) + 12, 'x', payload_len(k) - 12);
}
static void names_short(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->data_size = k->data_start + 10; /* dev, but no room for next */
}

/* ---- target specs (a table of two) ---- */
static void spec_next_outside(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k) + 20, (uint32_t)payload_len(k) + 8);
}
static void spec_next_back(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k) + 20, 0); /* the second spec would be the first */
}
static void spec_params_no_nul(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->target_count = 1;
	memset(payload(k) + 40, 'p', payload_len(k) - 40);
}
static void spec_type_no_nul(struct dm_ioctl *k, size_t size)
{
	(void)size;
	memset(payload(k) + 24, 't', 16);
}
static void spec_count_too_big(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->target_count = 5;
}
static void spec_truncated(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->data_size = k->data_start + 30;
}

/* ---- versions ---- */
static void vers_name_no_nul(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k), 0);
	memset(payload(k) + 16, 'v', payload_len(k) - 16);
}
static void vers_next_outside(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k), (uint32_t)payload_len(k) + 8);
}
static void vers_next_no_progress(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k), 8);
}
static void vers_empty(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->data_size = k->data_start;
}

/* ---- deps ---- */
static void deps_count_too_big(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k), 3); /* two are there */
}
static void deps_huge_count(struct dm_ioctl *k, size_t size)
{
	(void)size;
	put32(payload(k), 0xffffffffu);
}
static void deps_short(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->data_size = k->data_start + 4;
}
static void deps_misaligned(struct dm_ioctl *k, size_t size)
{
	(void)size;
	memmove(payload(k) + 4, payload(k), payload_len(k));
	k->data_start += 4;
	k->data_size += 4;
}

/* ---- message text ---- */
static void msg_no_nul(struct dm_ioctl *k, size_t size)
{
	(void)size;
	memset(payload(k), 'm', payload_len(k));
}
static void msg_no_payload(struct dm_ioctl *k, size_t size)
{
	(void)size;
	k->data_size = 305;
}

#define MAL "malformed reply from the kernel"

static const struct bad_case cases[] = {
	{"data_size < 305",
	 FK_DEV_STATUS,
	 short_size,
	 {"info", "a"},
	 "dmboot: info: a: " MAL},
	{"data_size > buffer",
	 FK_DEV_STATUS,
	 size_past_buffer,
	 {"info", "a"},
	 "dmboot: info: a: " MAL},
	{"name without NUL",
	 FK_DEV_STATUS,
	 name_no_nul,
	 {"info", "a"},
	 "dmboot: info: a: " MAL},
	{"uuid without NUL",
	 FK_DEV_SUSPEND,
	 uuid_no_nul,
	 {"resume", "a"},
	 "dmboot: resume: a: " MAL},
	{"list: data_start > data_size",
	 FK_LIST_DEVICES,
	 start_past_size,
	 {"ls"},
	 "dmboot: ls: list: " MAL},
	{"list: data_start in the header",
	 FK_LIST_DEVICES,
	 start_in_header,
	 {"ls"},
	 "dmboot: ls: list: " MAL},
	{"list: next backwards",
	 FK_LIST_DEVICES,
	 names_next_back,
	 {"ls"},
	 "dmboot: ls: list: " MAL},
	{"list: next inside the entry",
	 FK_LIST_DEVICES,
	 names_next_no_progress,
	 {"ls"},
	 "dmboot: ls: list: " MAL},
	{"list: next outside",
	 FK_LIST_DEVICES,
	 names_next_outside,
	 {"ls"},
	 "dmboot: ls: list: " MAL},
	{"list: name without NUL",
	 FK_LIST_DEVICES,
	 names_no_nul,
	 {"ls"},
	 "dmboot: ls: list: " MAL},
	{"list: entry cut short",
	 FK_LIST_DEVICES,
	 names_short,
	 {"ls"},
	 "dmboot: ls: list: " MAL},
	{"info: list: next outside",
	 FK_LIST_DEVICES,
	 names_next_outside,
	 {"info"},
	 "dmboot: info: list: " MAL},
	{"table: spec next outside",
	 FK_TABLE_STATUS,
	 spec_next_outside,
	 {"table", "a"},
	 "dmboot: table: a: " MAL},
	{"table: spec next backwards",
	 FK_TABLE_STATUS,
	 spec_next_back,
	 {"table", "a"},
	 "dmboot: table: a: " MAL},
	{"table: params without NUL",
	 FK_TABLE_STATUS,
	 spec_params_no_nul,
	 {"table", "a"},
	 "dmboot: table: a: " MAL},
	{"table: type without NUL",
	 FK_TABLE_STATUS,
	 spec_type_no_nul,
	 {"table", "a"},
	 "dmboot: table: a: " MAL},
	{"status: more targets than specs",
	 FK_TABLE_STATUS,
	 spec_count_too_big,
	 {"status", "a"},
	 "dmboot: status: a: " MAL},
	{"status: spec cut short",
	 FK_TABLE_STATUS,
	 spec_truncated,
	 {"status", "a"},
	 "dmboot: status: a: " MAL},
	{"wait: name without NUL",
	 FK_DEV_WAIT,
	 name_no_nul,
	 {"wait", "a"},
	 NULL},
	{"targets: name without NUL",
	 FK_LIST_VERSIONS,
	 vers_name_no_nul,
	 {"targets"},
	 "dmboot: targets: list: " MAL},
	{"targets: next outside",
	 FK_LIST_VERSIONS,
	 vers_next_outside,
	 {"targets"},
	 "dmboot: targets: list: " MAL},
	{"targets: next inside the entry",
	 FK_LIST_VERSIONS,
	 vers_next_no_progress,
	 {"targets"},
	 "dmboot: targets: list: " MAL},
	{"target-version: empty",
	 FK_GET_TARGET_VERSION,
	 vers_empty,
	 {"target-version", "linear"},
	 "dmboot: target-version: linear: " MAL},
	{"deps: count too large",
	 FK_TABLE_DEPS,
	 deps_count_too_big,
	 {"deps", "a"},
	 "dmboot: deps: a: " MAL},
	{"deps: count 2^32-1",
	 FK_TABLE_DEPS,
	 deps_huge_count,
	 {"deps", "a"},
	 "dmboot: deps: a: " MAL},
	{"deps: no room for the count",
	 FK_TABLE_DEPS,
	 deps_short,
	 {"deps", "a"},
	 "dmboot: deps: a: " MAL},
	{"deps: misaligned",
	 FK_TABLE_DEPS,
	 deps_misaligned,
	 {"deps", "a"},
	 "dmboot: deps: a: " MAL},
	{"message: text without NUL",
	 FK_TARGET_MSG,
	 msg_no_nul,
	 {"message", "a", "0", "hi"},
	 "dmboot: message: a: " MAL},
	{"message: DATA_OUT without text",
	 FK_TARGET_MSG,
	 msg_no_payload,
	 {"message", "a", "0", "hi"},
	 "dmboot: message: a: " MAL},
};

static int case_setup(void **state)
{
	struct fk_dev *d;

	setup(NULL);
	current = *state;
	d = fk_add_dev("a", NULL);
	fk_set_table(d, 1, "0 8 linear 7:0 0\n8 8 zero");
	d->deps[0] = fk_encode_dev(8, 1);
	d->deps[1] = fk_encode_dev(8, 2);
	d->ndeps = 2;
	d->msg_reply = "hello";
	fk_set_table(fk_add_dev("b", NULL), 1, "0 8 zero");
	fk.post = corrupt_hook;
	return 0;
}

static void test_bad_reply(void **state)
{
	const struct bad_case *c = *state;

	RUN_OK(c->args[0], c->args[1], c->args[2], c->args[3], c->args[4]);
}

/* The same run without the corruption succeeds: the hook is what fails
 * each case, not the command line. */
static void test_case_valid(void **state)
{
	(void)state;
	fk.post = NULL;
	test_bad_reply(state);
}

static void test_case_malformed(void **state)
{
	const struct bad_case *c = *state;

	RUN(c->args[0], c->args[1], c->args[2], c->args[3], c->args[4]);
	assert_true(fk_count_nr(c->nr) > 0);
	if (c->error) {
		char want[256];

		snprintf(want, sizeof(want), "%s\n", c->error);
		if (R.rc != 1 || strcmp(R.err, want))
			fail_msg("%s: exit %d, stderr \"%s\", want \"%s\"",
				 c->what, R.rc, R.err, c->error);
	} else {
		expect_one_error(MAL);
	}
}

static const struct bad_case force_case = {
	"remove -f", FK_TABLE_STATUS, spec_next_outside, {NULL}, NULL};

/* A malformed table status stops remove --force before it loads
 * anything over the device. */
static void test_force_remove_stops(void **state)
{
	(void)state;
	RUN("remove", "-f", "a");
	expect_one_error("dmboot: remove: a: " MAL);
	EXPECT_NRS(FK_DEV_STATUS, FK_TABLE_STATUS);
}

int main(void)
{
	struct CMUnitTest tests[2 * NELEM(cases) + 1];
	size_t i, n = 0;
	static char names[2 * NELEM(cases)][96];

	for (i = 0; i < NELEM(cases); i++) {
		snprintf(names[2 * i], sizeof(names[0]), "valid: %s",
			 cases[i].what);
		snprintf(names[2 * i + 1], sizeof(names[0]), "%s",
			 cases[i].what);
		tests[n++] = (struct CMUnitTest){names[2 * i], test_case_valid,
						 case_setup, teardown,
						 (void *)&cases[i]};
		tests[n++] = (struct CMUnitTest){
			names[2 * i + 1], test_case_malformed, case_setup,
			teardown, (void *)&cases[i]};
	}
	tests[n++] = (struct CMUnitTest){"remove -f stops on a bad status",
					 test_force_remove_stops, case_setup,
					 teardown, (void *)&force_case};
	return _cmocka_run_group_tests("malformed replies", tests, n, NULL,
				       NULL);
}

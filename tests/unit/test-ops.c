/* SPDX-License-Identifier: MIT */
/* Multi-request operations: create's rollback, remove --retry, --force. */
#include "harness.h"

#include <errno.h>
#include <string.h>

static void test_create_load_fails(void **state)
{
	(void)state;
	fk_fail(FK_TABLE_LOAD, EIO, 0, 1);
	fk_fail(FK_DEV_SUSPEND, ENOMEM, 0, -1); /* must not be reached */
	RUN("create", "x", "--table", "0 8 zero");
	expect_one_error("dmboot: create: x: Input/output error\n");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_REMOVE);
	expect_req(2, FK_DEV_REMOVE, 0, "x", "");
	assert_int_equal(fk.ndevs, 0);
	assert_int_equal(host.nops, 0);
}

static void test_create_resume_fails(void **state)
{
	(void)state;
	fk_fail(FK_DEV_SUSPEND, EIO, 0, 1);
	RUN("create", "x", "--table", "0 8 zero");
	expect_one_error("dmboot: create: x: Input/output error\n");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND, FK_DEV_REMOVE);
	expect_req(3, FK_DEV_REMOVE, 0, "x", "");
	assert_int_equal(fk.ndevs, 0);
	assert_int_equal(host.nops, 0); /* no node for a device gone again */
}

/* A device without its /dev/mapper node is no success: a script or
 * init's root=/dev/mapper/NAME would not find it (faults scenario:
 * create, mknod#1 EINTR exited 0 without the node). */
static void test_create_node_fails(void **state)
{
	char text[64];

	(void)state;
	host.mknod_errno = EINTR;
	RUN("create", "x", "--table", "0 8 zero");
	expect_one_error("dmboot: create: x: Interrupted system call\n");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND, FK_DEV_REMOVE);
	assert_int_equal(fk.ndevs, 0);
	assert_int_equal(host_node("x", text, sizeof(text)), 0);
}

static void test_create_rollback_fails_too(void **state)
{
	(void)state;
	fk_fail(FK_TABLE_LOAD, EIO, 0, 1);
	fk_fail(FK_DEV_REMOVE, EBUSY, 0, -1);
	RUN("create", "x", "--table", "0 8 zero");
	/* The first error is the one reported. */
	expect_one_error("dmboot: create: x: Input/output error\n");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_REMOVE);
}

static void test_create_exists(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("x", NULL), 1, "0 8 zero");
	RUN("create", "x", "--table", "0 8 zero");
	expect_one_error("dmboot: create: x: Device or resource busy\n");
	/* Never removes the device that was there. */
	EXPECT_NRS(FK_DEV_CREATE);
	assert_non_null(fk_find("x"));
	fk_add_dev("y", "U-1");
	RUN("create", "z", "-u", "U-1", "--table", "0 8 zero");
	expect_one_error("Device or resource busy");
	EXPECT_NRS(FK_DEV_CREATE, FK_DEV_CREATE);
}

static void test_create_kernel_rejects_table(void **state)
{
	(void)state;
	/* A type the kernel does not have: the error names it. */
	RUN("create", "x", "--table", "0 8 nosuchtarget");
	expect_one_error("dmboot: create: x: target type nosuchtarget not in "
			 "the kernel (module missing?)\n");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_REMOVE,
		   FK_LIST_VERSIONS);
	assert_int_equal(fk.ndevs, 0);
	/* Types it has, refused for another reason. */
	fk_fail(FK_TABLE_LOAD, EINVAL, 0, 1);
	RUN("create", "x", "--table", "0 8 zero\n8 8 error");
	expect_one_error("dmboot: create: x: ");
	assert_non_null(strstr(R.err, "Invalid argument"));
	assert_int_equal(fk.ndevs, 0);
}

static void test_remove_retry(void **state)
{
	(void)state;
	fk_add_dev("a", NULL);
	fk_fail(FK_DEV_REMOVE, EBUSY, 0, 2);
	RUN_OK("remove", "--retry", "a");
	EXPECT_NRS(FK_DEV_REMOVE, FK_DEV_REMOVE, FK_DEV_REMOVE);
	expect_req(2, FK_DEV_REMOVE, 0, "a", "");
	assert_int_equal(host.sleeps, 2);
	assert_int_equal(host.slept_ns, 2 * 200000000LL);
	assert_int_equal(fk.ndevs, 0);
}

static void test_remove_retry_gives_up(void **state)
{
	(void)state;
	fk_add_dev("a", NULL)->open_count = 1;
	RUN("remove", "--retry", "a");
	expect_one_error("dmboot: remove: a: Device or resource busy\n");
	assert_int_equal(fk_count_nr(FK_DEV_REMOVE), 25);
	assert_int_equal(fk_count(), 25);
	assert_int_equal(host.sleeps, 24);
	assert_int_equal(host.nops, 0);
}

static void test_remove_no_retry(void **state)
{
	(void)state;
	fk_add_dev("a", NULL)->open_count = 1;
	RUN("remove", "a");
	expect_one_error("Device or resource busy");
	EXPECT_NRS(FK_DEV_REMOVE);
	assert_int_equal(host.sleeps, 0);
	/* Only EBUSY is retried. */
	RUN("remove", "--retry", "nosuch");
	expect_one_error("dmboot: remove: nosuch: No such device or address\n");
	EXPECT_NRS(FK_DEV_REMOVE, FK_DEV_REMOVE);
}

static void test_remove_force(void **state)
{
	const struct fk_rec *r;
	const unsigned char *p;

	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 linear 7:0 0\n8 16 zero");
	fk_find("a")->open_count = 0;
	RUN_OK("remove", "-f", "a");
	EXPECT_NRS(FK_DEV_STATUS, FK_TABLE_STATUS, FK_TABLE_LOAD,
		   FK_DEV_SUSPEND, FK_DEV_REMOVE);
	expect_req(0, FK_DEV_STATUS, 0, "a", "");
	expect_req(1, FK_TABLE_STATUS, 0, "a", "");
	expect_req(2, FK_TABLE_LOAD, 0, "a", "");
	r = fk_rec(2);
	assert_int_equal(r->hdr.target_count, 1);
	p = fk_payload(r);
	assert_int_equal(rd64_at(p), 0);
	assert_int_equal(rd64_at(p + 8), 24); /* the whole device */
	assert_int_equal(rd32_at(p + 20), 48);
	assert_string_equal((const char *)p + 24, "error");
	assert_string_equal((const char *)p + 40, "");
	expect_req(3, FK_DEV_SUSPEND, DM_NOFLUSH_FLAG | DM_SKIP_LOCKFS_FLAG,
		   "a", "");
	expect_req(4, FK_DEV_REMOVE, 0, "a", "");
	assert_int_equal(fk.ndevs, 0);
}

static void test_remove_force_readonly_and_empty(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("ro", NULL), 1, "0 8 zero");
	fk_find("ro")->live.readonly = 1;
	fk_add_dev("empty", NULL);
	RUN_OK("remove", "--force", "ro", "empty");
	EXPECT_NRS(FK_DEV_STATUS, FK_TABLE_STATUS, FK_TABLE_LOAD,
		   FK_DEV_SUSPEND, FK_DEV_REMOVE, FK_DEV_STATUS, FK_DEV_REMOVE);
	expect_req(2, FK_TABLE_LOAD, DM_READONLY_FLAG, "ro", "");
	expect_req(5, FK_DEV_STATUS, 0, "empty", "");
	/* Still busy after the error table: reported, nothing more. */
	fk_reset();
	fk_set_table(fk_add_dev("b", NULL), 1, "0 8 zero");
	fk_find("b")->open_count = 1;
	RUN("remove", "-f", "b");
	expect_one_error("dmboot: remove: b: Device or resource busy\n");
	EXPECT_NRS(FK_DEV_STATUS, FK_TABLE_STATUS, FK_TABLE_LOAD,
		   FK_DEV_SUSPEND, FK_DEV_REMOVE);
	assert_string_equal(fk_find("b")->live.t[0].type, "error");
}

static void test_remove_all_force(void **state)
{
	(void)state;
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	fk_find("a")->open_count = 1;
	fk_add_dev("b", NULL);
	RUN_OK("remove_all", "-f");
	EXPECT_NRS(FK_LIST_DEVICES, FK_DEV_STATUS, FK_TABLE_STATUS,
		   FK_TABLE_LOAD, FK_DEV_SUSPEND, FK_DEV_REMOVE, FK_DEV_STATUS,
		   FK_DEV_REMOVE, FK_REMOVE_ALL, FK_LIST_DEVICES);
	/* a stays (open) with the error table; b is gone. */
	assert_int_equal(fk.ndevs, 1);
	assert_string_equal(fk_find("a")->live.t[0].type, "error");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_create_load_fails),
		T(test_create_resume_fails),
		T(test_create_node_fails),
		T(test_create_rollback_fails_too),
		T(test_create_exists),
		T(test_create_kernel_rejects_table),
		T(test_remove_retry),
		T(test_remove_retry_gives_up),
		T(test_remove_no_retry),
		T(test_remove_force),
		T(test_remove_force_readonly_and_empty),
		T(test_remove_all_force),
	};

	return cmocka_run_group_tests_name("operations: rollback, retry, force",
					   tests, NULL, NULL);
}

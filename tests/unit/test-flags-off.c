/* SPDX-License-Identifier: MIT */
/* Built with tiny_defconfig, not the full configuration (run.sh: a test
 * whose name is in OTHER_CONFIG_TESTS): a gated flag whose DM_FLAG_
 * symbol is off is refused before anything is sent, in one message,
 * while the flags that tiny's commands select still go out gated by the
 * kernel's version. */
#include "harness.h"
#include "dm.h"
#include "passphrase.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

static void expect_refused(struct dm_ctx *ctx, enum dm_cmd cmd, uint32_t flags)
{
	struct dm_req req = {.name = "a", .flags = flags};
	char buf[96];

	assert_int_equal(dm_call(ctx, cmd, &req), -DM_ERR_NOCMD);
	EXPECT_NO_REQUESTS();
	assert_string_equal(dm_strerror(ctx, -DM_ERR_NOCMD, buf, sizeof(buf)),
			    "request not built into this dmboot");
}

static void test_flags_not_built(void **state)
{
	struct dm_ctx ctx;
	struct dm_req req = {.name = "a"};

	(void)state;
	/* What this build is: the request is in, the flags are not. */
	assert_true(CFG_DM_IOCTL_DEV_STATUS && CFG_DM_IOCTL_DEV_SUSPEND);
	assert_false(CFG_DM_FLAG_QUERY_INACTIVE_TABLE || CFG_DM_FLAG_UUID);
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	dm_init(&ctx);
	expect_refused(&ctx, DM_CMD_DEV_STATUS, DM_QUERY_INACTIVE_TABLE_FLAG);
	expect_refused(&ctx, DM_CMD_DEV_STATUS, DM_UUID_FLAG);
	/* With a flag that is built in beside it: still nothing sent. */
	expect_refused(&ctx, DM_CMD_DEV_SUSPEND,
		       DM_NOFLUSH_FLAG | DM_QUERY_INACTIVE_TABLE_FLAG);
	/* The same requests without them go. */
	assert_int_equal(dm_call(&ctx, DM_CMD_DEV_STATUS, &req), 0);
	EXPECT_NRS(FK_DEV_STATUS);
	dm_done(&ctx);
}

/* A flag tiny's resume selects: asked the version for, then sent. */
static void test_flag_built_in(void **state)
{
	struct dm_ctx ctx;
	struct dm_req req = {.name = "a", .flags = DM_NOFLUSH_FLAG};

	(void)state;
	assert_true(CFG_DM_FLAG_NOFLUSH);
	fk_set_table(fk_add_dev("a", NULL), 1, "0 8 zero");
	dm_init(&ctx);
	assert_int_equal(dm_call(&ctx, DM_CMD_DEV_SUSPEND, &req), 0);
	EXPECT_NRS(FK_VERSION, FK_DEV_SUSPEND);
	expect_req(1, FK_DEV_SUSPEND, DM_NOFLUSH_FLAG, "a", "");
	dm_done(&ctx);
}

/* tiny's commands through main: none of them can reach a refusal. */
static void test_commands(void **state)
{
	(void)state;
	RUN_OK("create", "a", "--table", "0 8 zero");
	RUN_OK("info", "a");
	RUN_OK("remove", "a");
	/* Not a tiny command (it would send DM_UUID_FLAG with --setuuid). */
	RUN("rename", "a", "b");
	expect_one_error("unknown command");
	EXPECT_NRS(FK_DEV_CREATE, FK_TABLE_LOAD, FK_DEV_SUSPEND, FK_DEV_STATUS,
		   FK_DEV_REMOVE);
}

/* Without CRYPT_PASSPHRASE no prompt, not even a pipe's line; a key
 * file still reads. */
static void test_no_passphrase_prompt(void **state)
{
	struct pass_src s = {.in_fd = -1, .out_fd = -1, .device = "vdb"};
	const char *why;
	struct pass p;
	int fds[2], unlocked = 0, saved = dup(0);

	(void)state;
	assert_false(CFG_CRYPT_PASSPHRASE);
	assert_true(saved >= 0);
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "pw\n", 3), 3);
	s.in_fd = fds[0];
	assert_int_equal(pass_get(&s, &p, &unlocked, &why), -ENOTSUP);
	assert_string_equal(why, "no passphrase prompt in this build "
				 "(CRYPT_PASSPHRASE off): use a key file or a "
				 "keyring key");
	assert_null(p.buf);
	s.key_file = "-";
	assert_int_equal(dup2(fds[0], 0), 0);
	close(fds[1]);
	assert_int_equal(pass_get(&s, &p, &unlocked, &why), 0);
	assert_int_equal(p.len, 3);
	assert_memory_equal(p.buf, "pw\n", 3);
	pass_free(&p);
	close(fds[0]);
	assert_int_equal(dup2(saved, 0), 0);
	close(saved);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_flags_not_built, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_flag_built_in, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_passphrase_prompt,
						setup, teardown),
	};
	return cmocka_run_group_tests_name("flags not built in", tests, NULL,
					   NULL);
}

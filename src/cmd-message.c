/* SPDX-License-Identifier: MIT */
/* CMD(message, "message", MESSAGE, 3, 255, dmsetup_opts, "NAME SECTOR MESSAGE...") */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "ops.h"
#include "out.h"

int cmd_message(struct cli *c)
{
	struct buf msg = {0};
	struct dm_target_msg hdr = {0};
	struct dm_req req = {.name = c->argv[0], .flags = DM_SECURE_DATA_FLAG};
	const char *text;
	int i, r;

	if (parse_u64(c->argv[1], strlen(c->argv[1]), &hdr.sector))
		return cli_usage(c, "invalid sector");
	r = buf_add(&msg, &hdr, sizeof(hdr));
	for (i = 2; !r && i < c->argc; i++) {
		if (i > 2)
			r = buf_add(&msg, " ", 1);
		if (!r)
			r = buf_add(&msg, c->argv[i], strlen(c->argv[i]));
	}
	if (!r)
		r = buf_add(&msg, "", 1);
	req.data = msg.p;
	req.data_len = msg.len;
	/* Messages may carry keys ("key set"): secure and wiped. The flag
	 * is dropped on kernels before 4.20, which only asks a version when
	 * nothing told it yet. */
	if (!r)
		r = dm_call(&c->dm, DM_CMD_TARGET_MSG, &req);
	buf_free(&msg);
	if (!r)
		r = dm_reply_text(c->dm.io, &text);
	if (r)
		return cli_fail(c, c->argv[0], r);
	if (text && *text) {
		out_str(text);
		if (text[strlen(text) - 1] != '\n')
			out_ch('\n');
	}
	return 0;
}

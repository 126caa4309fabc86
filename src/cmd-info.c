/* SPDX-License-Identifier: MIT */
/* CMD(info, "info", INFO, 0, 255, dmsetup_opts, "[NAME...] [-c|-C|--columns] [--noheadings]") */
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "each.h"
#include "ops.h"
#include "out.h"
#include "rawsys.h"

#define LABEL_WIDTH 19

static void label(const char *l)
{
	out_lpad(l, LABEL_WIDTH);
}

/* dmsetup reads bdi/read_ahead_kb and reports 512-byte sectors. */
static int read_ahead(uint32_t major, uint32_t minor, uint64_t *sectors)
{
	char path[64] = "/sys/dev/block/", num[24];
	char *p = path + strlen(path);
	ssize_t n;
	int fd;

	p += fmt_u64(p, major);
	*p++ = ':';
	p += fmt_u64(p, minor);
	memcpy(p, "/bdi/read_ahead_kb", sizeof("/bdi/read_ahead_kb"));
	fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	n = read(fd, num, sizeof(num) - 1);
	close(fd);
	while (n > 0 && (num[n - 1] == '\n' || num[n - 1] == ' '))
		n--;
	if (n <= 0 || parse_u64(num, (size_t)n, sectors))
		return -1;
	*sectors *= 2;
	return 0;
}

static void print_long(const struct dm_info *i)
{
	static const char *const tables[] = {"None", "LIVE", "INACTIVE",
					     "LIVE & INACTIVE"};
	uint64_t ra;

	label("Name:");
	out_str(i->name);
	out_ch('\n');
	label("State:");
	out_str(i->flags & DM_SUSPEND_FLAG ? "SUSPENDED" : "ACTIVE");
	if (i->flags & DM_READONLY_FLAG)
		out_str(" (READ-ONLY)");
	if (i->flags & DM_DEFERRED_REMOVE_FLAG)
		out_str(" (DEFERRED REMOVE)");
	out_ch('\n');
	if (!read_ahead(i->major, i->minor, &ra)) {
		label("Read Ahead:");
		out_u64(ra);
		out_ch('\n');
	}
	label("Tables present:");
	out_str(tables[(!!(i->flags & DM_ACTIVE_PRESENT_FLAG)) |
		       !!(i->flags & DM_INACTIVE_PRESENT_FLAG) << 1]);
	out_ch('\n');
	label("Open count:");
	out_i64(i->open_count);
	out_ch('\n');
	label("Event number:");
	out_u64(i->event_nr);
	out_ch('\n');
	label("Major, minor:");
	out_u64(i->major);
	out_str(", ");
	out_u64(i->minor);
	out_ch('\n');
	label("Number of targets:");
	out_u64(i->target_count);
	out_ch('\n');
	if (i->uuid[0]) {
		out_str("UUID: ");
		out_str(i->uuid);
		out_ch('\n');
	}
	out_ch('\n');
}

/* info -c keeps every row (ctx: a struct buf of struct dm_info) to size
 * the columns first, as dmsetup's report does. */
static int one(struct cli *c, const char *name, int multi, void *ctx)
{
	struct buf *rows = ctx;
	struct dm_info info;
	int r = dm_get_info(&c->dm, name, 0, &info);

	(void)multi;
	if (r)
		return cli_dev_fail(c, name, r);
	if (CFG_INFO_COLUMNS && (opt(c, OPT_COLUMNS) || opt(c, OPT_COLUMNS_C)))
		return buf_add(rows, &info, sizeof(info))
			       ? cli_fail(c, name, -12)
			       : 0;
	print_long(&info);
	return 0;
}

static size_t digits(uint64_t v)
{
	char b[24];

	return fmt_u64(b, v);
}

static void attr(const struct dm_info *i, char s[5])
{
	s[0] = i->flags & DM_ACTIVE_PRESENT_FLAG ? 'L' : '-';
	s[1] = i->flags & DM_INACTIVE_PRESENT_FLAG ? 'I' : '-';
	s[2] = i->flags & DM_SUSPEND_FLAG ? 's' : '-';
	s[3] = i->flags & DM_READONLY_FLAG ? 'r' : 'w';
	s[4] = 0;
}

enum {
	COL_NAME,
	COL_MAJ,
	COL_MIN,
	COL_STAT,
	COL_OPEN,
	COL_TARG,
	COL_EVENT,
	COL_UUID,
	NCOLS
};

static void print_columns(const struct buf *rows, int headings)
{
	static const char heads[NCOLS][6] = {"Name", "Maj",  "Min",   "Stat",
					     "Open", "Targ", "Event", "UUID"};
	size_t w[NCOLS] = {16, 3, 3, 4, 4, 4, 6, 32};
	const struct dm_info *i, *end;
	char a[5];
	int k;

	if (!rows->len) /* rows->p is NULL then: no arithmetic on it */
		return;
	i = (const struct dm_info *)(const void *)rows->p;
	end = i + rows->len / sizeof(*i);
	for (; i < end; i++) {
		size_t v[NCOLS] = {strlen(i->name),
				   digits(i->major),
				   digits(i->minor),
				   4,
				   digits((uint32_t)i->open_count) +
					   (i->open_count < 0),
				   digits(i->target_count),
				   digits(i->event_nr),
				   strlen(i->uuid)};

		for (k = 0; k < NCOLS; k++)
			if (v[k] > w[k])
				w[k] = v[k];
	}
	if (headings) {
		for (k = 0; k < NCOLS; k++) {
			out_lpad(heads[k], w[k]);
			out_ch(k < NCOLS - 1 ? ' ' : '\n');
		}
	}
	for (i = (const struct dm_info *)(const void *)rows->p; i < end; i++) {
		attr(i, a);
		if (!headings) {
			out_str(i->name);
			out_ch(':');
			out_u64(i->major);
			out_ch(':');
			out_u64(i->minor);
			out_ch(':');
			out_str(a);
			out_ch(':');
			out_i64(i->open_count);
			out_ch(':');
			out_u64(i->target_count);
			out_ch(':');
			out_u64(i->event_nr);
			out_ch(':');
			out_str(i->uuid);
			out_ch('\n');
			continue;
		}
		out_lpad(i->name, w[COL_NAME]);
		out_ch(' ');
		out_rpad_u64(i->major, w[COL_MAJ]);
		out_ch(' ');
		out_rpad_u64(i->minor, w[COL_MIN]);
		out_ch(' ');
		out_lpad(a, w[COL_STAT]);
		out_ch(' ');
		if (i->open_count < 0) {
			out_i64(i->open_count);
		} else {
			out_rpad_u64((uint32_t)i->open_count, w[COL_OPEN]);
		}
		out_ch(' ');
		out_rpad_u64(i->target_count, w[COL_TARG]);
		out_ch(' ');
		out_rpad_u64(i->event_nr, w[COL_EVENT]);
		out_ch(' ');
		out_lpad(i->uuid, w[COL_UUID]);
		out_ch('\n');
	}
}

int cmd_info(struct cli *c)
{
	struct buf rows = {0};
	int r = cli_each_device(c, one, &rows);

	if (CFG_INFO_COLUMNS && (opt(c, OPT_COLUMNS) || opt(c, OPT_COLUMNS_C)))
		print_columns(&rows, !opt(c, OPT_NOHEADINGS));
	buf_free(&rows);
	return r;
}

/* The table a create or load names: --table TEXT, a file, or stdin. */
#include "cli-table.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "out.h"

static int read_fd(int fd, struct buf *b)
{
	for (;;) {
		ssize_t n;
		int r = buf_reserve(b, 4096);

		if (r)
			return r;
		n = read(fd, b->p + b->len, b->cap - b->len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		b->len += (size_t)n;
	}
}

int cli_read_table(struct cli *c, const char *file, struct table *t)
{
	struct buf text = {0};
	const char *p;
	size_t len;
	int r = 0;

	if (opt(c, OPT_TABLE)) {
		p = c->arg[OPT_TABLE];
		len = strlen(p);
	} else {
		int fd = file ? open(file, O_RDONLY | O_CLOEXEC) : 0;

		if (fd < 0)
			return cli_fail(c, file, -errno);
		r = read_fd(fd, &text);
		if (file)
			close(fd);
		if (r) {
			buf_free(&text);
			return cli_fail(c, file ? file : "stdin", r);
		}
		p = text.p ? text.p : "";
		len = text.len;
	}
	r = table_parse(t, p, len);
	buf_free(&text); /* wiped: tables may hold keys */
	if (r) {
		char where[32] = "table line ";

		fmt_u64(where + 11, t->line);
		err_line(c->cmd, where, t->err);
		table_free(t);
		return 1;
	}
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Kernel replies straight into the walkers: the input is the whole ioctl
 * buffer, header included. data_size is held to the buffer, as dm_call's
 * reply check holds it; everything else is as the "kernel" wrote it. */
#include "fuzz.h"

#include "dm.h"

#define MAX_ITEMS 100000 /* a walker that does not end is a bug */

/* Item k's string lies in the payload, NUL-terminated there. */
static void check(int k, const char *s, const struct dm_walk *w)
{
	if (k > MAX_ITEMS || s < w->base || s >= w->base + w->len ||
	    !memchr(s, 0, (size_t)(w->base + w->len - s)))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n =
		size < sizeof(struct dm_ioctl) ? sizeof(struct dm_ioctl) : size;
	struct dm_ioctl *io = calloc(1, n);
	struct dm_walk w;
	struct dm_name name;
	struct dm_target t;
	struct dm_version_item v;
	const uint64_t *devs;
	const char *text;
	uint32_t count, i;
	int k;

	if (!io)
		abort();
	memcpy(io, data, size);
	if (io->data_size > n)
		io->data_size = (uint32_t)n;
	if (io->data_size < DM_MIN_DATA_SIZE)
		io->data_size = DM_MIN_DATA_SIZE;

	if (!dm_walk_start(io, &w))
		for (k = 0; dm_walk_names(&w, &name) > 0; k++)
			check(k, name.name, &w);
	if (!dm_walk_start(io, &w))
		for (k = 0; dm_walk_versions(&w, &v) > 0; k++)
			check(k, v.name, &w);
	if (!dm_walk_start(io, &w))
		for (k = 0; dm_walk_targets(&w, &t) > 0; k++)
			check(k, t.params, &w);
	if (!dm_reply_deps(io, &devs, &count)) {
		uint64_t sum = 0;

		for (i = 0; i < count; i++)
			sum += devs[i]; /* ASan: every one inside the buffer */
		(void)sum;
	}
	if (!dm_reply_text(io, &text) && text)
		(void)strlen(text);
	free(io);
	return 0;
}

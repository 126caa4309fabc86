/* SPDX-License-Identifier: MIT */
/* Kernel replies of every type through the commands that read them. The
 * first byte picks a command; the rest is a chain of chunks (2-byte LE
 * length, then the bytes), one per request, each rewriting the reply the
 * fake kernel's model gave:
 *   byte 0: what to change: 1 target_count, 2 flags (xor), 4 data_start,
 *           8 data_size, 16 name, 32 uuid, 64 keep the model's payload,
 *           128 fail with the errno in the next byte;
 *   the fields so chosen (4 bytes each, name 128, uuid 129), in that order;
 *   the rest: the payload, written at data_start (data_size follows it
 *           unless set). */
#include "fuzz.h"

#include "world.h"

static const char *const cmds[][8] = {
	{"ls"},
	{"ls", "--target", "linear"},
	{"ls", "-o", "devname"},
	{"ls", "-o", "blkdevname"},
	{"ls", "-o", "devno"},
	{"info"},
	{"info", "-c"},
	{"info", "-C", "--noheadings"},
	{"info", "root"},
	{"table"},
	{"table", "--showkeys"},
	{"table", "--concise"},
	{"table", "--target", "crypt"},
	{"table", "--inactive", "secret"},
	{"status"},
	{"status", "--inactive"},
	{"status", "--target", "verity"},
	{"deps"},
	{"deps", "-o", "devname"},
	{"deps", "-o", "blkdevname"},
	{"targets"},
	{"target-version", "linear", "crypt"},
	{"message", "root", "0", "hello"},
	{"version"},
	{"remove_all"},
	{"mknodes"},
	{"remove", "root"},
	{"remove", "-f", "--retry", "plain"},
	{"create", "n", "--table", "0 8 zero"},
	{"rename", "root", "r2"},
	{"rename", "root", "--setuuid", "U"},
	{"verity", "status", "root"},
	{"crypt", "status", "secret"},
	{"cryptsetup", "status", "secret"},
	{"veritysetup", "status", "root"},
	{"wait", "root"},
	{"suspend", "root"},
	{"resume", "root"},
	{"clear", "root"},
	{"setgeometry", "root", "1", "2", "3", "4"},
	{"load", "root", "--table", "0 8 zero"},
};

static const uint8_t *in, *in_end;
static int fulls;

static uint32_t take32(const uint8_t **p, const uint8_t *end)
{
	uint32_t v = 0;
	int i;

	for (i = 0; i < 4 && *p < end; i++)
		v |= (uint32_t) * (*p)++ << (8 * i);
	return v;
}

static void take(void *dst, size_t n, const uint8_t **p, const uint8_t *end)
{
	if ((size_t)(end - *p) < n)
		n = (size_t)(end - *p);
	memcpy(dst, *p, n);
	*p += n;
}

static int post(unsigned nr, struct dm_ioctl *k, size_t size, int r)
{
	const uint8_t *p, *end;
	uint32_t start, len;
	uint8_t m;

	(void)nr;
	if (r || in_end - in < 2)
		return r;
	len = (uint32_t)(in[0] | in[1] << 8);
	p = in + 2;
	if ((size_t)(in_end - p) < len)
		len = (uint32_t)(in_end - p);
	end = p + len;
	in = end;
	if (!len)
		return r;
	m = *p++;
	if (m & 128)
		return p < end ? -(int)(*p % 140) : -5;
	if (m & 1)
		k->target_count = take32(&p, end);
	if (m & 2)
		k->flags ^= take32(&p, end);
	/* Growing without end is the buffer cap's test, not this one's. */
	if ((k->flags & DM_BUFFER_FULL_FLAG) && ++fulls > 3)
		k->flags &= ~DM_BUFFER_FULL_FLAG;
	if (m & 4)
		k->data_start = take32(&p, end);
	if (m & 8)
		k->data_size = take32(&p, end);
	if (m & 16)
		take(k->name, sizeof(k->name), &p, end);
	if (m & 32)
		take(k->uuid, sizeof(k->uuid), &p, end);
	if (m & 64)
		return r;
	start = k->data_start >= sizeof(*k) && k->data_start < size
			? k->data_start
			: (uint32_t)sizeof(*k);
	len = (uint32_t)(end - p);
	if (len > size - start)
		len = (uint32_t)(size - start);
	memcpy((char *)k + start, p, len);
	if (!(m & 8))
		k->data_size = start + len;
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const *c;
	char *args[8];
	int n;

	if (!size)
		return 0;
	c = cmds[data[0] % (sizeof(cmds) / sizeof(cmds[0]))];
	for (n = 0; n < 8 && c[n]; n++)
		args[n] = (char *)c[n];
	in = data + 1;
	in_end = data + size;
	fulls = 0;
	world_reset(NULL);
	fk.post = post;
	(void)world_run(n, args, 0);
	world_done();
	return 0;
}

/* SPDX-License-Identifier: MIT */
/* Finding block devices by name, partition table or superblock, the way
 * findfs and the kernel's root= do, through /sys/class/block and /dev
 * (devtmpfs) alone: no udev, no /dev/disk/by-* links. */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "blkdev.h"
#include "blkid.h"
#include "config.h"
#include "devname.h"
#include "dirscan.h"
#include "rawsys.h"
#include "util.h"

#define SYS_BLOCK "/sys/class/block/"
#define NAME_MAX_LEN 64 /* the kernel's are at most 32 */
#define LBS_MAX 4096

#define RESOLVE_PARTS (CFG_RESOLVE_PARTUUID || CFG_RESOLVE_PARTLABEL)
#define RESOLVE_FS                                                             \
	(CFG_RESOLVE_UUID_EXT4 || CFG_RESOLVE_UUID_EROFS ||                    \
	 CFG_RESOLVE_UUID_VERITY || CFG_RESOLVE_UUID_LUKS)

enum by { BY_PARTUUID, BY_PARTLABEL, BY_UUID, BY_LABEL, BY_COUNT };
static const char tags[] = "PARTUUID=\0PARTLABEL=\0UUID=\0LABEL=";

struct want {
	enum by by;
	const char *val;
};

#define RESOLVE_LABEL /* verity superblocks have none */                       \
	(CFG_RESOLVE_UUID_EXT4 || CFG_RESOLVE_UUID_EROFS)

static int enabled(enum by by)
{
	switch (by) {
	case BY_PARTUUID:
		return CFG_RESOLVE_PARTUUID;
	case BY_PARTLABEL:
		return CFG_RESOLVE_PARTLABEL;
	case BY_LABEL:
		return RESOLVE_LABEL;
	default:
		return RESOLVE_FS;
	}
}

/* UUIDs compare without regard to case; we print them in lower case. */
static int same(const struct want *w, const char *have)
{
	const char *a = w->val;

	/* Labels only where they are built in (enabled()). */
	if ((CFG_RESOLVE_PARTLABEL && w->by == BY_PARTLABEL) ||
	    (RESOLVE_LABEL && w->by == BY_LABEL))
		return !strcmp(a, have);
	for (; *a && *have; a++, have++)
		if ((*a >= 'A' && *a <= 'Z' ? *a + 32 : *a) != *have)
			return 0;
	return !*a && !*have;
}

/* dst = a b c, NUL-terminated; -ENAMETOOLONG if it does not fit. */
static int join(char *dst, size_t len, const char *a, const char *b,
		const char *c)
{
	size_t na = strlen(a), nb = strlen(b), nc = strlen(c);

	if (na + nb + nc >= len)
		return -ENAMETOOLONG;
	memcpy(dst, a, na);
	memcpy(dst + na, b, nb);
	memcpy(dst + na + nb, c, nc + 1);
	return 0;
}

/* A sysfs attribute of device name (or name/child): its first line. */
static int sys_read(const char *name, const char *attr, char *out, size_t size)
{
	char path[160];
	ssize_t n;
	int fd;

	if (join(path, sizeof(path), SYS_BLOCK, name, attr))
		return -ENAMETOOLONG;
	fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	n = read(fd, out, size - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	while (n > 0 && out[n - 1] == '\n')
		n--;
	out[n] = 0;
	return 0;
}

static int sys_u32(const char *name, const char *attr, uint32_t *v)
{
	char buf[24];
	int r = sys_read(name, attr, buf, sizeof(buf));

	return r ? r : parse_u32(buf, v);
}

static int dev_path(char *path, size_t len, const char *name)
{
	int r = join(path, len, "/dev/", name, "");

	if (!r && access(path, F_OK))
		r = -ENOENT;
	return r;
}

/* Bytes at off of /dev/NAME; -errno. */
static int dev_read(const char *name, void *buf, size_t n, uint64_t off)
{
	char path[NAME_MAX_LEN + 8];
	int fd, r = join(path, sizeof(path), "/dev/", name, "");

	if (r)
		return r;
	fd = blkdev_open(path);
	if (fd < 0)
		return fd;
	r = blkdev_read(fd, buf, n, off);
	close(fd);
	return r;
}

/* Every device a search matched: the names of the first MATCH_MAX. */
#define MATCH_MAX 8
struct matches {
	unsigned n;
	char name[MATCH_MAX][NAME_MAX_LEN];
};

/* How many of disk's partitions w names, the numbers of the first
 * MATCH_MAX in num[]; -errno. A disk that names two is an ambiguity too. */
static int disk_find(const char *disk, const struct want *w, int num[MATCH_MAX])
{
	uint8_t b[2 * LBS_MAX], *a;
	struct part p[4];
	struct gpt g;
	uint32_t lbs = 512, i;
	size_t n;
	int r, k = 0;

	if (sys_u32(disk, "/queue/logical_block_size", &lbs) || lbs < 512 ||
	    lbs > LBS_MAX || lbs & (lbs - 1))
		lbs = 512;
	r = dev_read(disk, b, 2 * lbs, 0);
	if (r)
		return r;
	r = mbr_parse(b, p);
	if (CFG_RESOLVE_MBR && w->by == BY_PARTUUID && r > 0) {
		for (i = 0; i < (uint32_t)r; i++)
			if (same(w, p[i].uuid) && k++ < MATCH_MAX)
				num[k - 1] = (int)p[i].num;
		return k;
	}
	if (r != -EMEDIUMTYPE || gpt_header_parse(&g, b + lbs, lbs) ||
	    g.entries_lba > UINT64_MAX / lbs)
		return 0;
	n = gpt_entries_len(&g);
	a = mem_alloc(n);
	if (!a)
		return -ENOMEM;
	r = dev_read(disk, a, n, g.entries_lba * lbs);
	if (!r && !gpt_entries_check(&g, a, n)) {
		for (i = 0; i < g.count; i++)
			if (gpt_entry(&g, a, n, i, p) > 0 &&
			    same(w,
				 CFG_RESOLVE_PARTLABEL && w->by == BY_PARTLABEL
					 ? p->label
					 : p->uuid) &&
			    k++ < MATCH_MAX)
				num[k - 1] = (int)p->num;
	}
	mem_free(a, n);
	return r ? r : k;
}

/* The kernel name of disk's partition number num, into name. */
static int part_name(const char *disk, int num, char *name)
{
	char sub[2 * NAME_MAX_LEN + 2];
	struct dirscan d;
	const char *e;
	uint32_t v;
	int r = -ENOENT;

	if (join(sub, sizeof(sub), SYS_BLOCK, disk, ""))
		return -ENAMETOOLONG;
	if (dirscan_open(&d, sub))
		return r;
	while (r && (e = dirscan_next(&d))) {
		if (!str_prefix(e, disk) || strlen(e) >= NAME_MAX_LEN ||
		    join(sub, sizeof(sub), disk, "/", e) ||
		    sys_u32(sub, "/partition", &v) || v != (uint32_t)num)
			continue;
		memcpy(name, e, strlen(e) + 1);
		r = 0;
	}
	dirscan_close(&d);
	return r;
}

static void match_add(struct matches *m, const char *name)
{
	if (m->n < MATCH_MAX)
		memcpy(m->name[m->n], name, strlen(name) + 1);
	m->n++;
}

/* Adds device name to m if it matches w (a disk: its partitions that
 * do); 0, or -errno when it could not be read. */
static int dev_match(const char *name, const struct want *w, struct matches *m)
{
	uint8_t b[FS_PROBE_LEN];
	char part[NAME_MAX_LEN];
	struct fs_id id;
	uint32_t v;
	int r, num[MATCH_MAX], i;

	if (sys_u32(name, "/size", &v) == 0 && !v)
		return 0; /* no medium, unbound loop device */
	/* Constant conditions first, so that what Kconfig leaves out goes. */
	if (w->by <= BY_PARTLABEL) {
		if (!RESOLVE_PARTS || !sys_u32(name, "/partition", &v))
			return 0; /* partitions are found through their disk */
		r = disk_find(name, w, num);
		/* A partition the kernel has not made yet is not there to
		 * be found; if the disk names more than one, the disk stands
		 * for it: an ambiguity all the same. */
		for (i = 0; i < r; i++)
			if (i < MATCH_MAX && !part_name(name, num[i], part))
				match_add(m, part);
			else if (r > 1)
				match_add(m, name);
		return r < 0 ? r : 0;
	}
	if (!RESOLVE_FS)
		return 0;
	r = dev_read(name, b, sizeof(b), 0);
	if (r)
		return r == -EIO ? 0 : r; /* shorter than a superblock */
	if (!fs_probe(b, sizeof(b), &id) &&
	    same(w, RESOLVE_LABEL && w->by == BY_LABEL ? id.label : id.uuid))
		match_add(m, name);
	return 0;
}

/* Is device name held by top, directly or through devices between
 * (depth of them at most)? top NULL: by anything. */
static int held_by(const char *name, const char *top, int depth)
{
	char path[sizeof(SYS_BLOCK) + NAME_MAX_LEN + 8];
	struct dirscan d;
	const char *e;
	int r = 0;

	if (join(path, sizeof(path), SYS_BLOCK, name, "/holders") ||
	    dirscan_open(&d, path))
		return 0;
	while (!r && (e = dirscan_next(&d)))
		r = !top || !strcmp(e, top) ||
		    (depth > 0 && strlen(e) < NAME_MAX_LEN &&
		     held_by(e, top, depth - 1));
	dirscan_close(&d);
	return r;
}

static int parse_devno(const char *s, uint32_t *maj, uint32_t *min)
{
	const char *colon = str_chr(s, ':');
	uint64_t v;

	if (!colon || parse_u64(s, (size_t)(colon - s), &v) || v > UINT32_MAX)
		return -EINVAL;
	*maj = (uint32_t)v;
	return parse_u32(colon + 1, min) ? -EINVAL : 0;
}

/* The device number of device name, from sysfs. */
static int sys_devno(const char *name, uint64_t *dev)
{
	char buf[24];
	uint32_t maj, min;
	int r = sys_read(name, "/dev", buf, sizeof(buf));

	if (!r && !(r = parse_devno(buf, &maj, &min)))
		*dev = DEV_PACK(maj, min);
	return r;
}

static int is_dm(const char *name)
{
	char path[sizeof(SYS_BLOCK) + NAME_MAX_LEN + 4];

	return !join(path, sizeof(path), SYS_BLOCK, name, "/dm") &&
	       !access(path, F_OK);
}

int dev_set_has(const struct dev_set *s, uint64_t dev)
{
	unsigned i;

	for (i = 0; i < s->n; i++)
		if (s->dev[i] == dev)
			return 1;
	return 0;
}

int dev_set_add_dm(struct dev_set *s, const struct dev_set *old)
{
	struct dirscan d;
	const char *e;
	uint64_t dev;
	int r = dirscan_open(&d, SYS_BLOCK);

	if (r)
		return r;
	while ((e = dirscan_next(&d))) {
		if (strlen(e) >= NAME_MAX_LEN || !is_dm(e) ||
		    sys_devno(e, &dev) || (old && dev_set_has(old, dev)) ||
		    dev_set_has(s, dev))
			continue;
		if (s->n < DEV_SET_MAX)
			s->dev[s->n++] = dev;
		else
			s->full = 1;
	}
	dirscan_close(&d);
	return s->full ? -ENOSPC : 0;
}

/* Within a boot, a dm device it made; outside one, any dm device. */
static int trusted(const struct resolver *rs, const char *name)
{
	uint64_t dev;

	if (!is_dm(name))
		return 0;
	return !rs->ours ||
	       (!sys_devno(name, &dev) && dev_set_has(rs->ours, dev));
}

/* Nested dm devices deeper than this are not looked through. */
#define HOLDER_DEPTH 4

/* The one device of m meant (resolve.h), or -ENOTUNIQ with the names in
 * rs->matches. */
static int pick(struct resolver *rs, const char *spec, struct matches *m,
		char *path, size_t len)
{
	const char *top = NULL, *end = rs->matches + sizeof(rs->matches) - 5;
	char *p;
	unsigned i, unheld = 0;

	if (m->n == 1)
		return dev_path(path, len, m->name[0]);
	for (i = 0; i < m->n && m->n <= MATCH_MAX; i++)
		if (!held_by(m->name[i], NULL, 0)) {
			top = m->name[i];
			unheld++;
		}
	if (unheld == 1 && trusted(rs, top)) {
		for (i = 0; i < m->n; i++)
			if (m->name[i] != top &&
			    !held_by(m->name[i], top, HOLDER_DEPTH))
				break;
		if (i == m->n)
			return dev_path(path, len, top);
	}
	p = str_put(str_put(rs->matches, end, spec), end, " matches ");
	for (i = 0; i < m->n && i < MATCH_MAX; i++)
		p = str_put(str_put(p, end, i ? ", " : ""), end, m->name[i]);
	if (m->n > MATCH_MAX)
		str_put(p, end + 4, ", ...");
	return -ENOTUNIQ;
}

/* The fingerprint of the block devices: each name, number, size and
 * disk sequence number (which the kernel moves on at every media
 * change and loop device rebinding). */
static uint32_t devices_fp(struct dirscan *d, uint32_t fp)
{
	static const char attrs[] = "/dev\0/size\0/diskseq\0";
	const char *e, *a;
	char buf[32];

	while ((e = dirscan_next(d))) {
		fp = crc32_le(fp, e, strlen(e) + 1);
		for (a = attrs; *a; a += strlen(a) + 1)
			if (strlen(e) < NAME_MAX_LEN &&
			    !sys_read(e, a, buf, sizeof(buf)))
				fp = crc32_le(fp, buf, strlen(buf) + 1);
	}
	dirscan_rewind(d);
	return fp;
}

int resolve(struct resolver *rs, const char *spec, char *path, size_t len)
{
	char name[NAME_MAX_LEN];
	struct matches m;
	struct dirscan d;
	struct want w;
	const char *t = tags, *e;
	uint32_t maj, min, fp;
	int r, errors = 0;

	rs->matches[0] = 0;
	if (spec[0] == '/') {
		r = blkdev_devno(spec, &maj, &min);
		return r ? r : join(path, len, spec, "", "");
	}
	if (!parse_devno(spec, &maj, &min)) {
		if (blkdev_name(maj, min, name, sizeof(name)))
			return -ENOENT;
		return dev_path(path, len, name);
	}
	for (w.by = 0; w.by < BY_COUNT; w.by++, t += strlen(t) + 1)
		if (str_prefix(spec, t))
			break;
	if (w.by == BY_COUNT || !spec[strlen(t)])
		return -EINVAL;
	if (!enabled(w.by))
		return -EOPNOTSUPP;
	w.val = spec + strlen(t);

	if ((r = dirscan_open(&d, SYS_BLOCK)))
		return r;
	fp = devices_fp(&d, crc32_le(0, spec, strlen(spec) + 1));
	if (rs->valid && rs->miss == fp && ++rs->hits < RESOLVE_RECHECK) {
		dirscan_close(&d);
		return -ENOENT;
	}
	m.n = 0;
	while ((e = dirscan_next(&d)))
		if (e[0] != '.' && strlen(e) < NAME_MAX_LEN &&
		    dev_match(e, &w, &m) < 0)
			errors++;
	dirscan_close(&d);
	r = m.n ? pick(rs, spec, &m, path, len) : -ENOENT;
	/* A device that failed to read may read later: no shortcut then. */
	rs->valid = r == -ENOENT && !errors;
	rs->hits = 0;
	rs->miss = fp;
	return r;
}

int resolve_device(const char *spec, char *path, size_t len)
{
	struct resolver rs;

	memset(&rs, 0, sizeof(rs));
	return resolve(&rs, spec, path, len);
}

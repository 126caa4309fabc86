/* SPDX-License-Identifier: MIT */
/* The fake kernel: see fake-kernel.h. Written after drivers/md/dm-ioctl.c
 * (ctl_ioctl, check_version, copy_params, validate_params, the commands,
 * retrieve_status, list_devices, __list_versions, target_message). */
#include "fake-kernel.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dm.h"

struct fk fk;

const uint32_t fk_min_minor[FK_NR_COUNT] = {
	[FK_LIST_VERSIONS] = 1,	      [FK_TARGET_MSG] = 2,
	[FK_DEV_SET_GEOMETRY] = 6,    [FK_DEV_ARM_POLL] = 37,
	[FK_GET_TARGET_VERSION] = 41,
};

const char *const fk_nr_name[FK_NR_COUNT] = {
	"VERSION",	    "REMOVE_ALL",    "LIST_DEVICES",
	"DEV_CREATE",	    "DEV_REMOVE",    "DEV_RENAME",
	"DEV_SUSPEND",	    "DEV_STATUS",    "DEV_WAIT",
	"TABLE_LOAD",	    "TABLE_CLEAR",   "TABLE_DEPS",
	"TABLE_STATUS",	    "LIST_VERSIONS", "TARGET_MSG",
	"DEV_SET_GEOMETRY", "DEV_ARM_POLL",  "GET_TARGET_VERSION",
};

#define ALIGN(n) (((n) + 7) & ~(size_t)7)
#define DATA_OFF offsetof(struct dm_ioctl, data)
#define FK_DM_MAJOR 253

static void *xmalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	return s ? strcpy(xmalloc(strlen(s) + 1), s) : NULL;
}

uint64_t fk_encode_dev(uint32_t major, uint32_t minor)
{
	return (minor & 0xffu) | ((uint64_t)major << 8) |
	       ((uint64_t)(minor & ~0xffu) << 12);
}

static void table_free(struct fk_table *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		free(t->t[i].params);
		free(t->t[i].status);
	}
	free(t->t);
	memset(t, 0, sizeof(*t));
}

static void devs_free(void)
{
	size_t i;

	for (i = 0; i < fk.ndevs; i++) {
		table_free(&fk.devs[i].live);
		table_free(&fk.devs[i].inactive);
	}
	free(fk.devs);
	fk.devs = NULL;
	fk.ndevs = fk.devs_cap = 0;
}

static void recs_free(void)
{
	size_t i;

	for (i = 0; i < fk.nrecs; i++) {
		memset(fk.recs[i].buf, 0, fk.recs[i].len);
		free(fk.recs[i].buf);
	}
	free(fk.recs);
	fk.recs = NULL;
	fk.nrecs = fk.recs_cap = 0;
}

void fk_free(void)
{
	devs_free();
	recs_free();
	if (fk.fd > 0)
		close(fk.fd);
	fk.fd = -1;
}

static void add_version(const char *name, uint32_t a, uint32_t b, uint32_t c)
{
	struct fk_version_item *v = &fk.targets[fk.ntargets++];

	snprintf(v->name, sizeof(v->name), "%s", name);
	v->v[0] = a;
	v->v[1] = b;
	v->v[2] = c;
}

void fk_reset(void)
{
	fk_free();
	memset(&fk, 0, sizeof(fk));
	fk.fd = -1;
	fk_set_version(4, 47, 0);
	fk.record_max = (size_t)64 << 20;
	add_version("crypt", 1, 24, 0);
	add_version("striped", 1, 6, 0);
	add_version("linear", 1, 4, 0);
	add_version("error", 1, 6, 0);
	add_version("zero", 1, 2, 0);
	add_version("verity", 1, 9, 0);
	add_version("integrity", 1, 10, 0);
}

void fk_set_version(uint32_t major, uint32_t minor, uint32_t patch)
{
	fk.kver[0] = major;
	fk.kver[1] = minor;
	fk.kver[2] = patch;
}

void fk_fail(unsigned nr, int err, int skip, int times)
{
	fk.fail_err[nr] = err;
	fk.fail_skip[nr] = skip;
	fk.fail_times[nr] = times;
}

struct fk_dev *fk_find(const char *name)
{
	size_t i;

	for (i = 0; i < fk.ndevs; i++)
		if (!strcmp(fk.devs[i].name, name))
			return &fk.devs[i];
	return NULL;
}

static struct fk_dev *find_uuid(const char *uuid)
{
	size_t i;

	for (i = 0; i < fk.ndevs; i++)
		if (fk.devs[i].uuid[0] && !strcmp(fk.devs[i].uuid, uuid))
			return &fk.devs[i];
	return NULL;
}

static int minor_used(uint32_t minor)
{
	size_t i;

	for (i = 0; i < fk.ndevs; i++)
		if (fk.devs[i].minor == minor)
			return 1;
	return 0;
}

static struct fk_dev *new_dev(const char *name, const char *uuid,
			      uint32_t minor)
{
	struct fk_dev *d;

	if (fk.ndevs == fk.devs_cap) {
		fk.devs_cap = fk.devs_cap ? fk.devs_cap * 2 : 16;
		fk.devs = realloc(fk.devs, fk.devs_cap * sizeof(*fk.devs));
		if (!fk.devs)
			abort();
	}
	d = &fk.devs[fk.ndevs++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->uuid, sizeof(d->uuid), "%s", uuid ? uuid : "");
	d->major = FK_DM_MAJOR;
	d->minor = minor;
	return d;
}

static uint32_t free_minor(void)
{
	while (minor_used(fk.next_minor))
		fk.next_minor++;
	return fk.next_minor++;
}

struct fk_dev *fk_add_dev(const char *name, const char *uuid)
{
	return new_dev(name, uuid, free_minor());
}

static void del_dev(struct fk_dev *d)
{
	size_t i = (size_t)(d - fk.devs);

	table_free(&d->live);
	table_free(&d->inactive);
	memmove(d, d + 1, (fk.ndevs - i - 1) * sizeof(*d));
	fk.ndevs--;
}

void fk_add_target(struct fk_dev *d, int live, uint64_t start, uint64_t length,
		   const char *type, const char *params, const char *status)
{
	struct fk_table *t = live ? &d->live : &d->inactive;
	struct fk_target *x;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4;
		t->t = realloc(t->t, t->cap * sizeof(*t->t));
		if (!t->t)
			abort();
	}
	x = &t->t[t->n++];
	memset(x, 0, sizeof(*x));
	x->start = start;
	x->length = length;
	snprintf(x->type, sizeof(x->type), "%s", type);
	x->params = xstrdup(params);
	x->status = xstrdup(status);
	t->present = 1;
}

void fk_set_table(struct fk_dev *d, int live, const char *text)
{
	char *copy = xstrdup(text), *line, *save = NULL;

	table_free(live ? &d->live : &d->inactive);
	for (line = strtok_r(copy, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		unsigned long long start, len;
		char type[32];
		int n = 0;

		if (sscanf(line, "%llu %llu %31s %n", &start, &len, type, &n) <
		    3)
			abort();
		fk_add_target(d, live, start, len, type, line + n, NULL);
	}
	(live ? &d->live : &d->inactive)->present = 1;
	free(copy);
}

/* ---- the log ---- */

size_t fk_count(void)
{
	return fk.nrecs;
}

const struct fk_rec *fk_rec(size_t i)
{
	return i < fk.nrecs ? &fk.recs[i] : NULL;
}

size_t fk_count_nr(unsigned nr)
{
	size_t i, n = 0;

	for (i = 0; i < fk.nrecs; i++)
		n += fk.recs[i].nr == nr;
	return n;
}

const struct fk_rec *fk_find_nr(unsigned nr, size_t nth)
{
	size_t i;

	for (i = 0; i < fk.nrecs; i++)
		if (fk.recs[i].nr == nr && !nth--)
			return &fk.recs[i];
	return NULL;
}

const unsigned char *fk_payload(const struct fk_rec *r)
{
	return r->buf + r->hdr.data_start;
}

int fk_mem_has(const void *hay, size_t len, const char *needle)
{
	return memmem(hay, len, needle, strlen(needle)) != NULL;
}

static struct fk_rec *record(unsigned long request, int fd,
			     const struct dm_ioctl *io)
{
	struct fk_rec *r;
	size_t len = io->data_size;

	if (len < sizeof(struct dm_ioctl))
		len = sizeof(struct dm_ioctl);
	if (len > fk.record_max)
		len = fk.record_max;
	if (fk.nrecs == fk.recs_cap) {
		fk.recs_cap = fk.recs_cap ? fk.recs_cap * 2 : 32;
		fk.recs = realloc(fk.recs, fk.recs_cap * sizeof(*fk.recs));
		if (!fk.recs)
			abort();
	}
	r = &fk.recs[fk.nrecs++];
	memset(r, 0, sizeof(*r));
	r->request = request;
	r->nr = (unsigned)(request & 0xff);
	r->fd = fd;
	memcpy(&r->hdr, io, sizeof(r->hdr));
	r->buf = xmalloc(len);
	memcpy(r->buf, io, len);
	r->len = len;
	return r;
}

/* ---- the kernel's helpers ---- */

/* get_result_buffer(): output starts at the header rounded to 8. */
static char *result_buffer(struct dm_ioctl *k, size_t size, size_t *len)
{
	k->data_start = (uint32_t)ALIGN(sizeof(struct dm_ioctl));
	*len = k->data_start < size ? size - k->data_start : 0;
	return (char *)k + k->data_start;
}

/* invalid_str(): a string must end before end. */
static int invalid_str(const char *s, const char *end)
{
	return s >= end || !memchr(s, 0, (size_t)(end - s));
}

static int check_name(const char *name)
{
	if (strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, "..") ||
	    !strcmp(name, "control"))
		return -EINVAL;
	return 0;
}

static int known_target(const char *type)
{
	size_t i;

	for (i = 0; i < fk.ntargets; i++)
		if (!strcmp(fk.targets[i].name, type))
			return 1;
	return 0;
}

/* __find_device_hash_cell() and the sneaky name/uuid copy of find_device. */
static struct fk_dev *lookup(struct dm_ioctl *k)
{
	struct fk_dev *d = NULL;
	size_t i;

	if (k->uuid[0])
		d = find_uuid(k->uuid);
	else if (k->name[0])
		d = fk_find(k->name);
	else
		for (i = 0; i < fk.ndevs; i++)
			if (fk_encode_dev(fk.devs[i].major, fk.devs[i].minor) ==
			    k->dev)
				d = &fk.devs[i];
	if (!d)
		return NULL;
	memcpy(k->name, d->name, sizeof(k->name));
	memcpy(k->uuid, d->uuid, sizeof(k->uuid));
	if (d->inactive.present)
		k->flags |= DM_INACTIVE_PRESENT_FLAG;
	else
		k->flags &= ~DM_INACTIVE_PRESENT_FLAG;
	return d;
}

static void dev_status(const struct fk_dev *d, struct dm_ioctl *k)
{
	k->flags &= ~(DM_SUSPEND_FLAG | DM_READONLY_FLAG |
		      DM_ACTIVE_PRESENT_FLAG | DM_INACTIVE_PRESENT_FLAG);
	if (d->suspended)
		k->flags |= DM_SUSPEND_FLAG;
	if (d->deferred)
		k->flags |= DM_DEFERRED_REMOVE_FLAG;
	k->dev = fk_encode_dev(d->major, d->minor);
	k->open_count = d->open_count;
	k->event_nr = d->event_nr;
	k->target_count = 0;
	if (d->live.present) {
		if (!(k->flags & DM_QUERY_INACTIVE_TABLE_FLAG)) {
			if (d->live.readonly)
				k->flags |= DM_READONLY_FLAG;
			k->target_count = d->live.n;
		}
		k->flags |= DM_ACTIVE_PRESENT_FLAG;
	}
	if ((k->flags & DM_QUERY_INACTIVE_TABLE_FLAG) && d->inactive.present) {
		if (d->inactive.readonly)
			k->flags |= DM_READONLY_FLAG;
		k->target_count = d->inactive.n;
	}
	if (d->inactive.present)
		k->flags |= DM_INACTIVE_PRESENT_FLAG;
	memcpy(k->name, d->name, sizeof(k->name));
	memcpy(k->uuid, d->uuid, sizeof(k->uuid));
}

/* ---- the commands ---- */

static int remove_all(struct dm_ioctl *k)
{
	size_t i = 0;

	while (i < fk.ndevs) {
		struct fk_dev *d = &fk.devs[i];

		if (d->open_count) {
			if (k->flags & DM_DEFERRED_REMOVE_FLAG)
				d->deferred = 1;
			i++;
			continue;
		}
		del_dev(d);
	}
	k->data_size = 0; /* nothing but the version is copied back */
	return 0;
}

static int list_devices(struct dm_ioctl *k, size_t size)
{
	int with_event = fk.kver[1] >= 37;
	int with_uuid = fk.kver[1] >= 45 && (k->flags & DM_UUID_FLAG);
	size_t needed = 0, len, i;
	char *out, *p, *old = NULL;

	for (i = 0; i < fk.ndevs; i++) {
		needed += ALIGN(offsetof(struct dm_name_list, name) +
				strlen(fk.devs[i].name) + 1);
		if (with_event)
			needed += 8;
		if (with_uuid)
			needed += ALIGN(strlen(fk.devs[i].uuid) + 1);
	}
	out = result_buffer(k, size, &len);
	if (len < needed || len < sizeof(uint64_t)) {
		k->flags |= DM_BUFFER_FULL_FLAG;
		return 0;
	}
	k->data_size = (uint32_t)(k->data_start + needed);
	memset(out, 0, sizeof(uint64_t)); /* dev 0: no devices */
	p = out;
	for (i = 0; i < fk.ndevs; i++) {
		const struct fk_dev *d = &fk.devs[i];
		uint64_t dev = fk_encode_dev(d->major, d->minor);
		uint32_t zero = 0, *ev;

		if (old) {
			uint32_t next = (uint32_t)(p - old);

			memcpy(old + offsetof(struct dm_name_list, next), &next,
			       4);
		}
		memcpy(p, &dev, 8);
		memcpy(p + offsetof(struct dm_name_list, next), &zero, 4);
		strcpy(p + offsetof(struct dm_name_list, name), d->name);
		old = p;
		p += ALIGN(offsetof(struct dm_name_list, name) +
			   strlen(d->name) + 1);
		if (with_event) {
			ev = (uint32_t *)(void *)p;
			ev[0] = d->event_nr;
			ev[1] = with_uuid ? 1u : 0u;
			p += 8;
		}
		if (with_uuid) {
			strcpy(p, d->uuid);
			p += ALIGN(strlen(d->uuid) + 1);
		}
	}
	return 0;
}

static int dev_create(struct dm_ioctl *k)
{
	uint32_t minor;
	struct fk_dev *d;

	if (check_name(k->name))
		return -EINVAL;
	if (fk_find(k->name) || (k->uuid[0] && find_uuid(k->uuid)))
		return -EBUSY;
	if (k->flags & DM_PERSISTENT_DEV_FLAG) {
		minor = (uint32_t)((k->dev & 0xff) |
				   ((k->dev >> 12) & 0xfff00));
		if (minor_used(minor))
			return -EBUSY;
	} else {
		minor = free_minor();
	}
	d = new_dev(k->name, k->uuid, minor);
	dev_status(d, k);
	return 0;
}

static int dev_remove(struct dm_ioctl *k)
{
	struct fk_dev *d = lookup(k);

	if (!d)
		return -ENXIO;
	if (d->open_count) {
		if (k->flags & DM_DEFERRED_REMOVE_FLAG) {
			d->deferred = 1;
			return 0;
		}
		return -EBUSY;
	}
	del_dev(d);
	k->flags |= DM_UEVENT_GENERATED_FLAG;
	return 0;
}

static int dev_rename(struct dm_ioctl *k, size_t size)
{
	int uuid = !!(k->flags & DM_UUID_FLAG);
	char *new_data = (char *)k + k->data_start;
	struct fk_dev *d;

	if (k->data_start < DATA_OFF ||
	    invalid_str(new_data, (char *)k + size) || !*new_data ||
	    strlen(new_data) > (uuid ? DM_UUID_LEN - 1 : DM_NAME_LEN - 1))
		return -EINVAL;
	if (!uuid && check_name(new_data))
		return -EINVAL;
	d = lookup(k);
	if (!d)
		return -ENXIO;
	if (uuid) {
		if (d->uuid[0])
			return -EINVAL;
		if (find_uuid(new_data))
			return -EBUSY;
		snprintf(d->uuid, sizeof(d->uuid), "%s", new_data);
	} else {
		if (fk_find(new_data))
			return -EBUSY;
		snprintf(d->name, sizeof(d->name), "%s", new_data);
	}
	dev_status(d, k);
	k->flags |= DM_UEVENT_GENERATED_FLAG;
	return 0;
}

static int dev_suspend(struct dm_ioctl *k)
{
	struct fk_dev *d = lookup(k);

	if (!d)
		return -ENXIO;
	if (k->flags & DM_SUSPEND_FLAG) {
		d->suspended = 1;
	} else {
		if (d->inactive.present) {
			table_free(&d->live);
			d->live = d->inactive;
			memset(&d->inactive, 0, sizeof(d->inactive));
			d->event_nr++;
		}
		d->suspended = 0;
	}
	dev_status(d, k);
	return 0;
}

static int dev_status_cmd(struct dm_ioctl *k)
{
	struct fk_dev *d = lookup(k);

	if (!d)
		return -ENXIO;
	dev_status(d, k);
	return 0;
}

/* retrieve_status(), output specs counted from data_start. */
static void retrieve_status(const struct fk_table *t, struct dm_ioctl *k,
			    size_t size)
{
	size_t len, used = 0, remaining, l;
	char *outbuf = result_buffer(k, size, &len), *outptr = outbuf;
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		const struct fk_target *x = &t->t[i];
		const char *text = k->flags & DM_STATUS_TABLE_FLAG
					   ? x->params
					   : (x->status ? x->status : "");
		struct dm_target_spec spec = {0};
		char *at = outptr;

		remaining = len - (size_t)(outptr - outbuf);
		if (remaining <= sizeof(spec)) {
			k->flags |= DM_BUFFER_FULL_FLAG;
			break;
		}
		spec.sector_start = x->start;
		spec.length = x->length;
		memcpy(spec.target_type, x->type, sizeof(spec.target_type) - 1);
		outptr += sizeof(spec);
		remaining = len - (size_t)(outptr - outbuf);
		l = strlen(text) + 1;
		if (l >= remaining) {
			k->flags |= DM_BUFFER_FULL_FLAG;
			break;
		}
		memcpy(outptr, text, l);
		outptr += l;
		used = k->data_start + (size_t)(outptr - outbuf);
		outptr = outbuf + ALIGN((size_t)(outptr - outbuf));
		spec.next = (uint32_t)(outptr - outbuf);
		memcpy(at, &spec, sizeof(spec));
	}
	if (used)
		k->data_size = (uint32_t)used;
	k->target_count = t->n;
}

static const struct fk_table *status_table(const struct fk_dev *d,
					   const struct dm_ioctl *k)
{
	static const struct fk_table none;

	if (k->flags & DM_QUERY_INACTIVE_TABLE_FLAG)
		return d->inactive.present ? &d->inactive : &none;
	return &d->live;
}

static int table_status(struct dm_ioctl *k, size_t size)
{
	struct fk_dev *d = lookup(k);

	if (!d)
		return -ENXIO;
	dev_status(d, k);
	retrieve_status(status_table(d, k), k, size);
	return 0;
}

static int dev_wait(struct dm_ioctl *k, size_t size)
{
	struct fk_dev *d = lookup(k);

	if (!d)
		return -ENXIO;
	d->wait_event = k->event_nr;
	dev_status(d, k);
	retrieve_status(status_table(d, k), k, size);
	return 0;
}

/* populate_table() and next_target(). */
static int table_load(struct dm_ioctl *k, size_t size)
{
	const char *end = (const char *)k + size;
	const char *last = (const char *)k;
	uint32_t next = k->data_start, i;
	struct fk_dev *d = lookup(k);
	struct fk_table t = {0};
	struct fk_dev tmp;

	if (!d)
		return -ENXIO;
	if (!k->target_count)
		return -EINVAL;
	memset(&tmp, 0, sizeof(tmp));
	for (i = 0; i < k->target_count; i++) {
		size_t remaining = (size_t)(end - last);
		struct dm_target_spec spec;
		const char *params;

		if (remaining - sizeof(spec) <= next || next % 8)
			goto inval;
		last += next;
		memcpy(&spec, last, sizeof(spec));
		params = last + sizeof(spec);
		if (invalid_str(params, end))
			goto inval;
		if (!memchr(spec.target_type, 0, sizeof(spec.target_type)) ||
		    !known_target(spec.target_type) || !spec.length)
			goto inval;
		if (spec.sector_start !=
		    (tmp.inactive.n
			     ? tmp.inactive.t[tmp.inactive.n - 1].start +
				       tmp.inactive.t[tmp.inactive.n - 1].length
			     : 0))
			goto inval;
		fk_add_target(&tmp, 0, spec.sector_start, spec.length,
			      spec.target_type, params, NULL);
		next = spec.next;
	}
	t = tmp.inactive;
	t.readonly = !!(k->flags & DM_READONLY_FLAG);
	table_free(&d->inactive);
	d->inactive = t;
	dev_status(d, k);
	return 0;
inval:
	table_free(&tmp.inactive);
	return -EINVAL;
}

static int table_clear(struct dm_ioctl *k)
{
	struct fk_dev *d = lookup(k);

	if (!d)
		return -ENXIO;
	table_free(&d->inactive);
	dev_status(d, k);
	return 0;
}

static int table_deps(struct dm_ioctl *k, size_t size)
{
	struct fk_dev *d = lookup(k);
	size_t len, needed;
	char *out;

	if (!d)
		return -ENXIO;
	dev_status(d, k);
	out = result_buffer(k, size, &len);
	needed = sizeof(struct dm_target_deps) + d->ndeps * sizeof(uint64_t);
	if (len < needed) {
		k->flags |= DM_BUFFER_FULL_FLAG;
		return 0;
	}
	memset(out, 0, 8);
	memcpy(out, &d->ndeps, 4);
	memcpy(out + 8, d->deps, d->ndeps * sizeof(uint64_t));
	k->data_size = (uint32_t)(k->data_start + needed);
	return 0;
}

static int list_versions(struct dm_ioctl *k, size_t size, const char *only)
{
	size_t needed = 0, len, i;
	char *out, *p, *old = NULL;

	for (i = 0; i < fk.ntargets; i++)
		if (!only || !strcmp(only, fk.targets[i].name))
			needed += ALIGN(
				offsetof(struct dm_target_versions, name) +
				strlen(fk.targets[i].name) + 1);
	if (only && !needed)
		return -EINVAL;
	out = result_buffer(k, size, &len);
	if (len < needed) {
		k->flags |= DM_BUFFER_FULL_FLAG;
		return 0;
	}
	p = out;
	for (i = 0; i < fk.ntargets; i++) {
		const struct fk_version_item *v = &fk.targets[i];
		uint32_t zero = 0;

		if (only && strcmp(only, v->name))
			continue;
		if (old) {
			uint32_t next = (uint32_t)(p - old);

			memcpy(old, &next, 4);
		}
		memcpy(p, &zero, 4);
		memcpy(p + 4, v->v, 12);
		strcpy(p + offsetof(struct dm_target_versions, name), v->name);
		old = p;
		p += ALIGN(offsetof(struct dm_target_versions, name) +
			   strlen(v->name) + 1);
	}
	k->data_size = (uint32_t)(k->data_start + needed);
	return 0;
}

static int target_message(struct dm_ioctl *k, size_t size)
{
	struct dm_target_msg msg;
	const char *text = (const char *)k + k->data_start + sizeof(msg);
	struct fk_dev *d = lookup(k);
	size_t len;
	char *result;
	uint32_t i;

	if (!d)
		return -ENXIO;
	if (k->data_start < DATA_OFF || k->data_start + sizeof(msg) > size ||
	    invalid_str(text, (const char *)k + size))
		return -EINVAL;
	memcpy(&msg, (const char *)k + k->data_start, sizeof(msg));
	if (!*text)
		return -EINVAL; /* "Empty message received." */
	d->msg_sector = msg.sector;
	snprintf(d->msg, sizeof(d->msg), "%s", text);
	if (!d->live.present)
		return -EINVAL;
	for (i = 0; i < d->live.n; i++)
		if (msg.sector >= d->live.t[i].start &&
		    msg.sector - d->live.t[i].start < d->live.t[i].length)
			break;
	if (i == d->live.n)
		return -EINVAL; /* "Target message sector outside device." */
	dev_status(d, k);
	if (!d->msg_reply)
		return 0;
	result = result_buffer(k, size, &len);
	k->flags |= DM_DATA_OUT_FLAG;
	if (strlen(d->msg_reply) + 1 >= len) {
		k->flags |= DM_BUFFER_FULL_FLAG;
		return 0;
	}
	strcpy(result, d->msg_reply);
	k->data_size = (uint32_t)(k->data_start + strlen(result) + 1);
	return 0;
}

static int set_geometry(struct dm_ioctl *k, size_t size)
{
	const char *geo = (const char *)k + k->data_start;
	unsigned long a, b, c, s;
	struct fk_dev *d = lookup(k);
	char dummy;

	if (!d)
		return -ENXIO;
	if (k->data_start < DATA_OFF ||
	    invalid_str(geo, (const char *)k + size))
		return -EINVAL;
	if (sscanf(geo, "%lu %lu %lu %lu%c", &a, &b, &c, &s, &dummy) != 4)
		return -EINVAL;
	snprintf(d->geometry, sizeof(d->geometry), "%s", geo);
	return 0;
}

static int run_cmd(unsigned nr, struct dm_ioctl *k, size_t size)
{
	switch (nr) {
	case FK_REMOVE_ALL:
		return remove_all(k);
	case FK_LIST_DEVICES:
		return list_devices(k, size);
	case FK_DEV_CREATE:
		return dev_create(k);
	case FK_DEV_REMOVE:
		return dev_remove(k);
	case FK_DEV_RENAME:
		return dev_rename(k, size);
	case FK_DEV_SUSPEND:
		return dev_suspend(k);
	case FK_DEV_STATUS:
		return dev_status_cmd(k);
	case FK_DEV_WAIT:
		return dev_wait(k, size);
	case FK_TABLE_LOAD:
		return table_load(k, size);
	case FK_TABLE_CLEAR:
		return table_clear(k);
	case FK_TABLE_DEPS:
		return table_deps(k, size);
	case FK_TABLE_STATUS:
		return table_status(k, size);
	case FK_LIST_VERSIONS:
		return list_versions(k, size, NULL);
	case FK_TARGET_MSG:
		return target_message(k, size);
	case FK_DEV_SET_GEOMETRY:
		return set_geometry(k, size);
	case FK_GET_TARGET_VERSION:
		return list_versions(k, size, k->name);
	default:
		return -ENOTTY;
	}
}

static int injected(unsigned nr)
{
	if (!fk.fail_err[nr] || !fk.fail_times[nr])
		return 0;
	if (fk.fail_skip[nr] > 0) {
		fk.fail_skip[nr]--;
		return 0;
	}
	if (fk.fail_times[nr] > 0)
		fk.fail_times[nr]--;
	return -fk.fail_err[nr];
}

int dm_sys_open(void)
{
	if (fk.open_err)
		return -fk.open_err;
	if (fk.fd < 0)
		fk.fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	fk.opens++;
	/* dmboot closes what it gets: hand out a duplicate. */
	return dup(fk.fd);
}

/* ctl_ioctl(): version check, lookup, copy in, validate, call, copy out. */
static int ctl_ioctl(unsigned long request, struct dm_ioctl *io)
{
	unsigned nr = (unsigned)(request & 0xff);
	size_t size;
	struct dm_ioctl *k;
	int r, secure;

	if (((request >> 8) & 0xff) != DM_IOCTL_TYPE ||
	    (request >> 16) != 0xc138)
		return -ENOTTY;
	/* check_version(): the kernel's version goes back in any case. */
	r = io->version[0] != fk.kver[0] ||
	    (io->version[1] > fk.kver[1] && !fk.no_version_check);
	memcpy(io->version, fk.kver, sizeof(fk.kver));
	if (r)
		return -EINVAL;
	if (nr == FK_VERSION)
		return 0;
	if (nr >= FK_NR_COUNT || nr == FK_DEV_ARM_POLL ||
	    fk_min_minor[nr] > fk.kver[1])
		return -ENOTTY;
	if (fk.pre && (r = fk.pre(nr, io)) != FK_PASS)
		return r;
	size = io->data_size;
	if (size < DATA_OFF)
		return -EINVAL;
	if (size < fk.full_below[nr]) {
		io->flags |= DM_BUFFER_FULL_FLAG;
		return 0;
	}
	if ((r = injected(nr)))
		return r;
	k = xmalloc(size < sizeof(*k) ? sizeof(*k) : size);
	memcpy(k, io, size);
	secure = (io->flags & DM_SECURE_DATA_FLAG) && fk.kver[1] >= 20;
	if (secure) { /* copy_params(): clear_user() of the whole buffer */
		memset(io, 0, size);
		fk.secure_clears++;
	}
	/* validate_params() */
	k->flags &= ~(DM_BUFFER_FULL_FLAG | DM_UEVENT_GENERATED_FLAG |
		      DM_SECURE_DATA_FLAG | DM_DATA_OUT_FLAG);
	if (nr == FK_DEV_CREATE) {
		if (!k->name[0])
			r = -EINVAL;
	} else if (nr != FK_REMOVE_ALL && nr != FK_LIST_DEVICES &&
		   nr != FK_LIST_VERSIONS && k->uuid[0] && k->name[0]) {
		r = -EINVAL;
	}
	if (!r) {
		k->name[DM_NAME_LEN - 1] = 0;
		k->uuid[DM_UUID_LEN - 1] = 0;
		k->data_size = DATA_OFF;
		r = run_cmd(nr, k, size);
	}
	if (fk.post)
		r = fk.post(nr, k, size, r);
	if (!r) {
		size_t n = k->data_size < size ? k->data_size : size;

		memcpy(io, k, n);
		/* The kernel copies back data_size bytes; what lies beyond is
		 * whatever was there. Garbage makes a reader that goes past
		 * data_size visible. */
		if (n < DATA_OFF) /* nothing copied: the header stays */
			n = sizeof(struct dm_ioctl);
		if (!fk.no_garbage && n < size)
			memset((char *)io + n, 0xa5, size - n);
	}
	memset(k, 0, size);
	free(k);
	return r;
}

int dm_sys_ioctl(int fd, unsigned long request, struct dm_ioctl *io)
{
	struct fk_rec *rec = record(request, fd, io);
	size_t i = (size_t)(rec - fk.recs);
	int r = ctl_ioctl(request, io);

	rec = &fk.recs[i];
	rec->ret = r;
	memcpy(&rec->reply_hdr, io, sizeof(rec->reply_hdr));
	return r;
}

/* SPDX-License-Identifier: MIT */
/* The keyslot metadata as an open reads and uses it: luks_read over a
 * device whose first bytes are the input, the volume it derived checked
 * against the header's own layout, then luks_unlock with a wrong
 * passphrase and the KDF costs capped, its reads of the device checked:
 * which keyslots, in which order, where and how many bytes.
 *
 * The input's last 4 bytes are not device bytes: [0] the version asked
 * (% 3: 0 any, 1, 2); [1] bit 7: name keyslot bits 0-4 (--key-slot),
 * else try all; bit 6: leave LUKS2 checksums as they are (else the
 * harness rewrites the sha256 of each copy it finds, so mutations of the
 * binary header and JSON reach the keyslots); bit 5: the kernel lacks
 * every cipher; [2..3] the device size in 64 KiB units, big-endian (at
 * least the input's size). The device is a memfd holding the rest of the
 * input, zeros to its size.
 *
 * luks_unlock runs for real: PBKDF2 and Argon2 with the header's
 * parameters capped (iterations 16, Argon2 2 passes, 128 KiB, 2 lanes),
 * the area "decrypted" by the fake AF_ALG (tests/unit/fake-alg.h) that
 * echoes it, every request's control messages checked as the kernel
 * would, every socket closed after; then the AF merge and the digest
 * check, which a wrong passphrase fails.
 */
#include "fuzz.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake-alg.h"
#include "hash.h"
#include "luks-unlock.h"
#include "world.h"

#define TRAILER 4
#define DEV_UNIT 0x10000u
#define CAP_ITER 16u
#define CAP_TIME 2u
#define CAP_KIB 128u
#define CAP_LANES 2u
#define CSUM_OFF 448
#define CSUM_FIELD 64

static struct luks_volume vol, capped;

static uint64_t be64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

/* Each LUKS2 copy's checksum made right: at 0, and at every place a
 * secondary may sit whose magic is there. */
static void fix_csums(uint8_t *p, size_t len)
{
	static const uint8_t m1[6] = {'L', 'U', 'K', 'S', 0xba, 0xbe},
			     m2[6] = {'S', 'K', 'U', 'L', 0xba, 0xbe};
	uint64_t at, sz;

	for (at = 0; at <= LUKS2_MAX_HDR_SIZE;
	     at = at ? at << 1 : LUKS2_MIN_HDR_SIZE) {
		if (at + LUKS2_BIN_SIZE > len ||
		    memcmp(p + at, at ? m2 : m1, 6) || p[at + 6] ||
		    p[at + 7] != 2)
			continue;
		sz = be64(p + at + 8);
		if (sz < LUKS2_MIN_HDR_SIZE || sz > LUKS2_MAX_HDR_SIZE ||
		    (sz & (sz - 1)) || sz > len - at)
			continue;
		memset(p + at + CSUM_OFF, 0, CSUM_FIELD);
		hash_digest(&hash_sha256, p + at, (size_t)sz,
			    p + at + CSUM_OFF);
	}
}

static int terminated(const char *s, size_t size)
{
	return memchr(s, 0, size) != NULL;
}

/* What every volume luks_read accepts must satisfy. */
static void check_volume(const struct luks_volume *v, int version, uint64_t dev)
{
	int i;

	if (v->version != 1 && v->version != 2)
		abort();
	if (version && v->version != version)
		abort();
	if (!terminated(v->uuid, sizeof(v->uuid)) || !luks_uuid_ok(v->uuid))
		abort();
	if (!terminated(v->label, sizeof(v->label)) ||
	    !terminated(v->subsystem, sizeof(v->subsystem)))
		abort();
	if (!terminated(v->cipher, sizeof(v->cipher)) ||
	    !luks_spec_ok(v->cipher))
		abort();
	if (v->sector_size != 512 && v->sector_size != 1024 &&
	    v->sector_size != 2048 && v->sector_size != 4096)
		abort();
	if (v->hdr_bytes != dev)
		abort();
	if (v->version == 1) {
		const struct luks1_hdr *h = &v->u.l1;

		if (v->offset != h->payload_offset ||
		    v->key_size != h->key_bytes ||
		    v->key_size < LUKS_MIN_KEY_BYTES ||
		    v->key_size > LUKS_MAX_KEY_BYTES)
			abort();
		for (i = 0; i < LUKS1_KEYSLOTS; i++) {
			uint64_t at, n;

			if (!h->ks[i].active)
				continue;
			/* The key material: on the device, after the header. */
			at = (uint64_t)h->ks[i].offset * LUKS_SECTOR;
			n = luks1_keyslot_sectors(h->key_bytes,
						  h->ks[i].stripes) *
			    LUKS_SECTOR;
			if (at < LUKS1_HDR_SIZE || at > dev || n > dev - at)
				abort();
		}
	} else {
		const struct luks2_meta *m = &v->u.l2.meta;
		const struct luks2_digest *d;
		uint64_t start = 2 * v->u.l2.bin.hdr_size;
		int bound = 0;

		if (v->digest < 0 || v->digest >= LUKS2_DIGESTS)
			abort();
		d = &m->digests[v->digest];
		if (!d->used || !(d->segments & 1) || !m->segments[0].used)
			abort();
		if (v->offset * LUKS_SECTOR != m->segments[0].offset ||
		    v->sector_size != m->segments[0].sector_size)
			abort();
		for (i = 0; i < LUKS2_KEYSLOTS; i++) {
			const struct luks2_keyslot *ks = &m->keyslots[i];

			if (!ks->used)
				continue;
			/* The area: inside the keyslots area and the device,
			 * big enough for the AF material. */
			if (ks->area.offset < start ||
			    ks->area.offset > start + m->keyslots_size ||
			    ks->area.size > start + m->keyslots_size -
						    ks->area.offset ||
			    ks->area.offset > dev ||
			    ks->area.size > dev - ks->area.offset ||
			    ks->area.size <
				    (uint64_t)ks->key_size * ks->af_stripes ||
			    !luks_spec_ok(ks->area.encryption))
				abort();
			if (d->keyslots & (1u << i))
				bound = 1;
		}
		/* The volume key's size from a keyslot bound to the digest;
		 * 0 when none is (every keyslot removed). */
		if (bound ? v->key_size < LUKS_MIN_KEY_BYTES ||
				    v->key_size > LUKS_MAX_KEY_BYTES
			  : v->key_size != 0)
			abort();
	}
}

/* The KDF costs a fuzzer may ask for (4 GiB of Argon2, 2^32 iterations)
 * capped; values under the caps, zeros included, kept. */
static void cap_costs(struct luks_volume *v)
{
	int i;

	if (v->version == 1) {
		struct luks1_hdr *h = &v->u.l1;

		if (h->mk_iterations > CAP_ITER)
			h->mk_iterations = CAP_ITER;
		for (i = 0; i < LUKS1_KEYSLOTS; i++)
			if (h->ks[i].iterations > CAP_ITER)
				h->ks[i].iterations = CAP_ITER;
		return;
	}
	for (i = 0; i < LUKS2_KEYSLOTS; i++) {
		struct luks2_keyslot *ks = &v->u.l2.meta.keyslots[i];

		if (ks->kdf.iterations > CAP_ITER)
			ks->kdf.iterations = CAP_ITER;
		if (ks->kdf.time > CAP_TIME)
			ks->kdf.time = CAP_TIME;
		if (ks->kdf.memory > CAP_KIB)
			ks->kdf.memory = CAP_KIB;
		if (ks->kdf.cpus > CAP_LANES)
			ks->kdf.cpus = CAP_LANES;
	}
	for (i = 0; i < LUKS2_DIGESTS; i++)
		if (v->u.l2.meta.digests[i].iterations > CAP_ITER)
			v->u.l2.meta.digests[i].iterations = CAP_ITER;
}

/* The keyslot whose key material starts at off, or -1. */
static int slot_at(const struct luks_volume *v, uint64_t off, uint64_t *size,
		   int *prio)
{
	int i;

	for (i = 0; i < (v->version == 1 ? LUKS1_KEYSLOTS : LUKS2_KEYSLOTS);
	     i++) {
		if (v->version == 1) {
			const struct luks1_hdr *h = &v->u.l1;

			if (h->ks[i].active &&
			    (uint64_t)h->ks[i].offset * LUKS_SECTOR == off) {
				*size = luks1_keyslot_sectors(
						h->key_bytes,
						h->ks[i].stripes) *
					LUKS_SECTOR;
				*prio = 1;
				return i;
			}
		} else {
			const struct luks2_keyslot *ks =
				&v->u.l2.meta.keyslots[i];

			if (ks->used && ks->area.offset == off) {
				*size = ks->area.size;
				*prio = ks->priority;
				return i;
			}
		}
	}
	return -1;
}

/* luks_unlock's reads: each one keyslot's AF material, inside its area,
 * a keyslot the caller allowed (never an "ignore" one unless named),
 * each once, in priority order (prefer, then normal), by id within a
 * priority; -EPERM only after a slot was read; vk wiped on failure. */
static void check_unlock(const struct luks_volume *v, int named, int r,
			 const uint8_t *vk, int used)
{
	int i, s, prio, last = -1, last_prio = 3;
	uint32_t k, kb, stripes;
	uint32_t seen = 0;
	uint64_t size, want;

	if (r == 0 || used != -1)
		abort(); /* a wrong passphrase opened a keyslot */
	if (r != -EPERM && r != -ENOENT && r != -ENOSYS && r != -ENOMEM &&
	    r != -EINVAL && r != -EIO)
		abort();
	if (r == -EPERM && !fuzz_reads.n)
		abort();
	for (k = 0; k < v->key_size; k++)
		if (vk[k])
			abort();
	for (i = 0; i < fuzz_reads.n; i++) {
		s = slot_at(v, fuzz_reads.off[i], &size, &prio);
		if (s < 0 || (seen & (1u << s)))
			abort();
		seen |= 1u << s;
		if (named >= 0 ? s != named : prio != 1 && prio != 2)
			abort();
		/* The AF material: key size × stripes, whole sectors. */
		if (v->version == 1) {
			kb = v->u.l1.key_bytes;
			stripes = v->u.l1.ks[s].stripes;
		} else {
			kb = v->u.l2.meta.keyslots[s].key_size;
			stripes = v->u.l2.meta.keyslots[s].af_stripes;
		}
		want = ((uint64_t)kb * stripes + LUKS_SECTOR - 1) /
		       LUKS_SECTOR * LUKS_SECTOR;
		if (fuzz_reads.len[i] != want || want > size ||
		    fuzz_reads.off[i] + want > v->hdr_bytes)
			abort();
		if (prio > last_prio || (prio == last_prio && s < last))
			abort();
		last = s;
		last_prio = prio;
	}
}

/* Memory after luks_read and luks_unlock: every page buffer freed and
 * wiped first (fake-host.c), no secret memory left locked or unlocked
 * before it was wiped (fake-sys.c). */
static void check_memory(size_t live)
{
	int i;

	if (host.live != live || host.freed_dirty || fsys.unlocked_dirty)
		abort();
	for (i = 0; i < fsys.nsecrets; i++)
		if (fsys.secrets[i].locked)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char pw[] = "not-the-passphrase";
	const uint8_t *t;
	uint8_t vk[LUKS_MAX_KEY_BYTES], *dev_bytes;
	struct act_err e;
	uint64_t dev;
	size_t len, live;
	int fd, version, named, luks_err = 0, used = -1, r;

	if (size < TRAILER)
		return 0;
	fsys_reset();
	fake_alg_reset();
	falg.echo = 1;
	fsys.alg = &fake_alg;
	host.freed_dirty = 0;
	live = host.live;
	len = size - TRAILER;
	t = data + len;
	falg.lacks_all = t[1] & 0x20;
	version = t[0] % 3;
	named = t[1] & 0x80 ? t[1] & 0x1f : -1;
	dev = (uint64_t)(t[2] << 8 | t[3]) * DEV_UNIT;
	if (dev < len)
		dev = len;
	dev_bytes = fuzz_copy(data, len);
	if (!(t[1] & 0x40))
		fix_csums(dev_bytes, len);
	fd = memfd_create("luks", MFD_CLOEXEC);
	if (fd < 0 || write(fd, dev_bytes, len) != (ssize_t)len ||
	    ftruncate(fd, (off_t)dev))
		abort();
	free(dev_bytes);

	memset(&e, 0, sizeof(e));
	r = luks_read(fd, dev, version, &vol, &luks_err, &e);
	if (r == -EINVAL && (!luks_err || !e.what))
		abort(); /* a malformed header names its field */
	if (r == -ENOTSUP && !e.why)
		abort(); /* an unsupported one says why */
	if (!r) {
		check_volume(&vol, version, dev);
		capped = vol;
		cap_costs(&capped);
		memset(vk, 0xa5, sizeof(vk));
		memset(&e, 0, sizeof(e));
		fuzz_reads.n = 0;
		fuzz_reads.on = 1;
		r = luks_unlock(fd, &capped, named, 0xffffffffu, pw,
				sizeof(pw) - 1, vk, &used, &e);
		fuzz_reads.on = 0;
		check_unlock(&capped, named, r, vk, used);
		if (fake_alg_open())
			abort(); /* a socket the unlock left open */
	}
	fake_alg_reset();
	check_memory(live);
	close(fd);
	return 0;
}

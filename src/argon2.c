/* SPDX-License-Identifier: MIT */
/* Argon2d, Argon2i and Argon2id after RFC 9106 section 3, version 0x13.
 *
 * The memory area (m_cost_kib KiB, up to 4 GiB for LUKS2) holds blocks
 * derived from the passphrase. It is an anonymous mapping, never heap:
 * the process is made non-dumpable and the pages are left out of core
 * dumps (MADV_DONTDUMP), and the area is wiped before it is unmapped, on
 * every path. It is not mlocked: locking a GiB either fails under
 * RLIMIT_MEMLOCK or pins what the rest of boot needs, and early boot has
 * no swap to keep it from; the small buffers (H0, the working blocks)
 * live on the stack and are wiped.
 *
 * Lanes run in parallel in forked workers over a MAP_SHARED mapping
 * (ARGON2_WORKERS), not threads: musl has pthreads, dietlibc's are
 * limited, and cryptsetup's threads need libgcc_s in an initramfs. */
#include "argon2.h"
#include "argon2-sse2.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "blake2b.h"
#include "config.h"
#include "le.h"
#include "rawsys.h"
#include "secret.h"

#define ARGON2_VERSION 0x13
#define ARGON2_BLOCK 1024
#define ARGON2_WORDS (ARGON2_BLOCK / 8)
#define ARGON2_SLICES 4 /* sync points per pass */
#define ARGON2_H0 64
/* Pseudo-random references per address block (Argon2i, Argon2id). */
#define ARGON2_ADDRESSES ARGON2_WORDS

struct argon2_block {
	uint64_t v[ARGON2_WORDS];
};

struct argon2_ctx {
	struct argon2_block *mem;
	uint32_t lanes, lane_len, seg_len, passes, blocks;
	enum argon2_type type;
};

/* What one segment's filling needs besides the area; wiped once after
 * the segment, not after each block. */
struct argon2_scratch {
	struct argon2_block r, t, input, addr;
	struct argon2_block zero; /* G's first argument for addresses: on the
				   * stack, not 1 KiB of .rodata */
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static void hash32(struct blake2b *s, uint32_t v)
{
	uint8_t b[4];

	put32(b, v);
	blake2b_update(s, b, sizeof(b));
}

/* H' (RFC 9106 section 3.3): outlen bytes of in, 32 per BLAKE2b-512 call
 * while more than 64 remain, the rest from one call of that length. */
static void argon2_hprime(void *out, size_t outlen, const void *in,
			  size_t inlen)
{
	struct blake2b s;
	uint8_t v[BLAKE2B_OUTMAX];
	uint8_t *o = out;

	blake2b_init(&s, outlen <= BLAKE2B_OUTMAX ? outlen : BLAKE2B_OUTMAX);
	hash32(&s, (uint32_t)outlen);
	blake2b_update(&s, in, inlen);
	/* V1, V2...: 32 bytes of each while more than 64 remain; the last
	 * hash is as long as what is left, all of it out. */
	while (outlen > BLAKE2B_OUTMAX) {
		blake2b_final(&s, v);
		memcpy(o, v, 32);
		o += 32;
		outlen -= 32;
		blake2b_init(&s, outlen <= BLAKE2B_OUTMAX ? outlen
							  : BLAKE2B_OUTMAX);
		blake2b_update(&s, v, sizeof(v));
	}
	blake2b_final(&s, o);
	wipe(v, sizeof(v));
}

static inline uint64_t ror64(uint64_t x, unsigned n)
{
	return x >> n | x << (64 - n);
}

/* BLAKE2b's G with the multiplications that make Argon2's GB. */
static inline uint64_t blamka(uint64_t x, uint64_t y)
{
	return x + y + 2 * (uint64_t)(uint32_t)x * (uint32_t)y;
}

/* The permutation P on sixteen words: word j at v[(j / 2) * step + j % 2]
 * (step 2: a row of the block, step 16: a column of register pairs). */
static void argon2_p(uint64_t *v, size_t step)
{
	static const uint16_t quads[8] = {0x048c, 0x159d, 0x26ae, 0x37bf,
					  0x05af, 0x16bc, 0x278d, 0x349e};
	int i;

	for (i = 0; i < 8; i++) {
		unsigned q = quads[i], ja = q >> 12, jb = q >> 8 & 15,
			 jc = q >> 4 & 15, jd = q & 15;
		uint64_t *a = &v[(ja >> 1) * step + (ja & 1)],
			 *b = &v[(jb >> 1) * step + (jb & 1)],
			 *c = &v[(jc >> 1) * step + (jc & 1)],
			 *d = &v[(jd >> 1) * step + (jd & 1)];

		*a = blamka(*a, *b);
		*d = ror64(*d ^ *a, 32);
		*c = blamka(*c, *d);
		*b = ror64(*b ^ *c, 24);
		*a = blamka(*a, *b);
		*d = ror64(*d ^ *a, 16);
		*c = blamka(*c, *d);
		*b = ror64(*b ^ *c, 63);
	}
}

/* out = G(x, y), or out ^= G(x, y) (passes after the first, 0x13); out
 * may be y. On x86 the SSE2 code (argon2-sse2.h, ARGON2_SSE2) does it in
 * registers, without the copy t: twice as fast at -Oz. */
static void argon2_g(struct argon2_scratch *s, const struct argon2_block *x,
		     const struct argon2_block *y, struct argon2_block *out,
		     int xor_out)
{
	int i;

	if (CFG_ARGON2_SSE2 && ARGON2_SSE2) {
		argon2_g_sse2(s->r.v, x->v, y->v, out->v, xor_out);
		return;
	}
	for (i = 0; i < ARGON2_WORDS; i++)
		s->r.v[i] = x->v[i] ^ y->v[i];
	for (i = 0; i < ARGON2_WORDS; i++)
		s->t.v[i] = xor_out ? s->r.v[i] ^ out->v[i] : s->r.v[i];
	for (i = 0; i < 8; i++)
		argon2_p(s->r.v + 16 * i, 2);
	for (i = 0; i < 8; i++)
		argon2_p(s->r.v + 2 * i, 16);
	for (i = 0; i < ARGON2_WORDS; i++)
		out->v[i] = s->t.v[i] ^ s->r.v[i];
}

/* The next address block: G(0, G(0, input)) with the counter raised. */
static void argon2_addresses(struct argon2_scratch *s)
{
	s->input.v[6]++;
	argon2_g(s, &s->zero, &s->input, &s->addr, 0);
	argon2_g(s, &s->zero, &s->addr, &s->addr, 0);
}

/* The reference block's index in its lane (RFC 9106 section 3.4.2). */
static uint32_t argon2_ref_index(const struct argon2_ctx *c, uint32_t pass,
				 uint32_t slice, uint32_t i, uint32_t j1,
				 int same_lane)
{
	uint64_t area, start = 0, x;

	if (pass == 0) {
		if (slice == 0)
			area = i - 1;
		else if (same_lane)
			area = (uint64_t)slice * c->seg_len + i - 1;
		else
			area = (uint64_t)slice * c->seg_len - (i == 0);
	} else {
		if (same_lane)
			area = (uint64_t)c->lane_len - c->seg_len + i - 1;
		else
			area = (uint64_t)c->lane_len - c->seg_len - (i == 0);
		if (slice != ARGON2_SLICES - 1)
			start = (uint64_t)(slice + 1) * c->seg_len;
	}
	x = (uint64_t)j1 * j1 >> 32;
	x = area - 1 - (area * x >> 32);
	return (uint32_t)((start + x) % c->lane_len);
}

static void argon2_segment(const struct argon2_ctx *c, uint32_t pass,
			   uint32_t lane, uint32_t slice)
{
	struct argon2_scratch s;
	uint32_t i, first = pass == 0 && slice == 0 ? 2 : 0;
	uint64_t cur, prev;
	int indep = c->type == ARGON2_I ||
		    (c->type == ARGON2_ID && pass == 0 && slice < 2);

	memset(&s, 0, sizeof(s));
	if (indep) {
		s.input.v[0] = pass;
		s.input.v[1] = lane;
		s.input.v[2] = slice;
		s.input.v[3] = c->blocks;
		s.input.v[4] = c->passes;
		s.input.v[5] = (uint64_t)c->type;
		if (first)
			argon2_addresses(&s);
	}
	cur = (uint64_t)lane * c->lane_len + (uint64_t)slice * c->seg_len +
	      first;
	prev = cur % c->lane_len ? cur - 1 : cur + c->lane_len - 1;
	for (i = first; i < c->seg_len; i++, cur++, prev = cur - 1) {
		uint64_t rnd;
		uint32_t ref_lane;

		if (indep) {
			if (i % ARGON2_ADDRESSES == 0)
				argon2_addresses(&s);
			rnd = s.addr.v[i % ARGON2_ADDRESSES];
		} else {
			rnd = c->mem[prev].v[0];
		}
		ref_lane = pass == 0 && slice == 0
				   ? lane
				   : (uint32_t)((rnd >> 32) % c->lanes);
		argon2_g(&s, &c->mem[prev],
			 &c->mem[(uint64_t)ref_lane * c->lane_len +
				 argon2_ref_index(c, pass, slice, i,
						  (uint32_t)rnd,
						  ref_lane == lane)],
			 &c->mem[cur], pass != 0);
	}
	wipe(&s, sizeof(s));
}

static uint32_t argon2_workers(uint32_t lanes)
{
	if (!CFG_ARGON2_WORKERS)
		return 1;
	return lanes < ARGON2_MAX_WORKERS ? lanes : ARGON2_MAX_WORKERS;
}

/* Workers are forked once, after the first blocks, and live through every
 * pass: a worker forked per slice would fault in its page tables for the
 * shared area again each time (measured: eight times the system time).
 * One socket pair per worker carries a byte each way per slice, "go"
 * (the number of workers, which decides the lanes each takes) and
 * "done"; send with MSG_NOSIGNAL, so a dead worker is an error here and
 * not SIGPIPE. Worker w (this process is 0) fills lanes w, w + n... */
struct argon2_pool {
	int fd[ARGON2_MAX_WORKERS]; /* this process's end, per worker */
	pid_t pid[ARGON2_MAX_WORKERS];
	uint32_t n; /* workers, this process included */
};

static ssize_t argon2_recv(int fd, uint8_t *b)
{
	ssize_t got;

	do
		got = sys_recv(fd, b, 1, 0);
	while (got < 0 && errno == EINTR);
	return got;
}

static void argon2_worker(const struct argon2_ctx *c, uint32_t w, int fd)
{
	uint32_t pass, slice, l;
	uint8_t n;

	for (pass = 0; pass < c->passes; pass++)
		for (slice = 0; slice < ARGON2_SLICES; slice++) {
			if (argon2_recv(fd, &n) != 1 || !n)
				_exit(1);
			for (l = w; l < c->lanes; l += n)
				argon2_segment(c, pass, l, slice);
			if (sys_send(fd, &n, 1, MSG_NOSIGNAL) != 1)
				_exit(1);
		}
	_exit(0);
}

/* As many workers as fork gives, up to one a lane: the lanes of those
 * it refuses fall to the ones that run. */
static void argon2_pool_start(struct argon2_pool *pool,
			      const struct argon2_ctx *c)
{
	uint32_t want = argon2_workers(c->lanes), k;

	for (pool->n = 1; pool->n < want; pool->n++) {
		int sv[2];
		pid_t pid;

		if (sys_socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
			break;
		pid = sys_fork();
		if (pid < 0) {
			close(sv[0]);
			close(sv[1]);
			break;
		}
		if (pid == 0) {
			/* Only its own pair: a worker that dies must be seen
			 * at once (EOF), not kept open by a sibling. */
			for (k = 1; k < pool->n; k++)
				close(pool->fd[k]);
			close(sv[0]);
			argon2_worker(c, pool->n, sv[1]);
		}
		close(sv[1]);
		pool->fd[pool->n] = sv[0];
		pool->pid[pool->n] = pid;
	}
}

/* One slice of one pass, every lane: the segments of a slice depend only
 * on earlier slices, so they are filled at once. */
static int argon2_slice(const struct argon2_ctx *c, struct argon2_pool *pool,
			uint32_t pass, uint32_t slice)
{
	uint8_t b = (uint8_t)pool->n;
	uint32_t w, l;
	int r = 0;

	for (w = 1; w < pool->n; w++)
		if (sys_send(pool->fd[w], &b, 1, MSG_NOSIGNAL) != 1)
			r = -ECHILD;
	for (l = 0; l < c->lanes; l += pool->n)
		argon2_segment(c, pass, l, slice);
	for (w = 1; w < pool->n; w++)
		if (argon2_recv(pool->fd[w], &b) != 1)
			r = -ECHILD;
	return r;
}

/* Closing its socket ends a worker still waiting (after an error); one
 * that did not exit 0 fails the hash. */
static int argon2_pool_stop(struct argon2_pool *pool, int r)
{
	uint32_t w;

	for (w = 1; w < pool->n; w++)
		close(pool->fd[w]);
	for (w = 1; w < pool->n; w++) {
		pid_t got;
		int st;

		do
			got = sys_waitpid(pool->pid[w], &st);
		while (got < 0 && errno == EINTR);
		if (!r && (got < 0 || !WIFEXITED(st) || WEXITSTATUS(st)))
			r = -ECHILD;
	}
	return r;
}

static void argon2_h0(uint8_t h0[ARGON2_H0], enum argon2_type type,
		      uint32_t t_cost, uint32_t m_cost_kib, uint32_t lanes,
		      const struct argon2_in *in, size_t outlen)
{
	const uint32_t params[] = {lanes,  (uint32_t)outlen, m_cost_kib,
				   t_cost, ARGON2_VERSION,   (uint32_t)type};
	/* pwd, salt, secret, ad: each its length, then its bytes */
	const void *const data[] = {in->pwd, in->salt, in->secret, in->ad};
	const size_t len[] = {in->pwdlen, in->saltlen, in->secretlen,
			      in->adlen};
	struct blake2b s;
	size_t i;

	blake2b_init(&s, ARGON2_H0);
	for (i = 0; i < 6; i++)
		hash32(&s, params[i]);
	for (i = 0; i < 4; i++) {
		hash32(&s, (uint32_t)len[i]);
		blake2b_update(&s, data[i], len[i]);
	}
	blake2b_final(&s, h0);
}

/* The area, shared with the workers when they run. NULL: -ENOMEM. */
static struct argon2_block *argon2_map(size_t size, int shared)
{
	void *p = sys_mmap(NULL, size, PROT_READ | PROT_WRITE,
			   (shared ? MAP_SHARED : MAP_PRIVATE) | MAP_ANONYMOUS,
			   -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (CFG_SECRET_MEMORY) {
		(void)sys_prctl(PR_SET_DUMPABLE, 0L);
		(void)sys_madvise(p, size, MADV_DONTDUMP);
	}
	return p;
}

static void argon2_unmap(struct argon2_block *p, size_t size)
{
	wipe(p, size);
	sys_munmap(p, size);
}

int argon2_ext(enum argon2_type type, uint32_t t_cost, uint32_t m_cost_kib,
	       uint32_t lanes, const struct argon2_in *in, void *out,
	       size_t outlen)
{
	/* H0 then 4 + 4 bytes (block number, lane) for H'. */
	uint8_t seed[ARGON2_H0 + 8], tag[ARGON2_BLOCK];
	struct argon2_ctx c;
	struct argon2_pool pool;
	uint64_t size;
	uint32_t l, pass, slice;
	int i, r = 0;

	if (type != ARGON2_D && type != ARGON2_I && type != ARGON2_ID)
		return -EINVAL;
	if (!t_cost || !lanes || lanes > ARGON2_LANES_MAX ||
	    m_cost_kib / 8 < lanes || in->saltlen < ARGON2_MIN_SALT ||
	    outlen < ARGON2_MIN_OUT || outlen > UINT32_MAX ||
	    in->pwdlen > UINT32_MAX || in->saltlen > UINT32_MAX ||
	    in->secretlen > UINT32_MAX || in->adlen > UINT32_MAX)
		return -EINVAL;
	c.type = type;
	c.lanes = lanes;
	c.passes = t_cost;
	c.seg_len = m_cost_kib / (ARGON2_SLICES * lanes);
	c.lane_len = c.seg_len * ARGON2_SLICES;
	c.blocks = c.lane_len * lanes;
	size = (uint64_t)c.blocks * ARGON2_BLOCK;
	if (size > SIZE_MAX)
		return -ENOMEM;
	c.mem = argon2_map((size_t)size, argon2_workers(lanes) > 1);
	if (!c.mem)
		return -ENOMEM;

	argon2_h0(seed, type, t_cost, m_cost_kib, lanes, in, outlen);
	for (l = 0; l < lanes; l++) {
		for (i = 0; i < 2; i++) {
			struct argon2_block *b =
				&c.mem[(uint64_t)l * c.lane_len + (uint32_t)i];
			int w;

			put32(seed + ARGON2_H0, (uint32_t)i);
			put32(seed + ARGON2_H0 + 4, l);
			argon2_hprime(tag, sizeof(tag), seed, sizeof(seed));
			for (w = 0; w < ARGON2_WORDS; w++)
				b->v[w] = le64(tag + 8 * w);
		}
	}
	/* Before the fork: no worker's copy of this stack holds H0. */
	wipe(seed, sizeof(seed));
	wipe(tag, sizeof(tag));
	argon2_pool_start(&pool, &c);
	for (pass = 0; !r && pass < t_cost; pass++)
		for (slice = 0; !r && slice < ARGON2_SLICES; slice++)
			r = argon2_slice(&c, &pool, pass, slice);
	r = argon2_pool_stop(&pool, r);
	if (!r) {
		struct argon2_block *last = &c.mem[c.lane_len - 1];

		for (l = 1; l < lanes; l++) {
			const struct argon2_block *b =
				&c.mem[(uint64_t)l * c.lane_len + c.lane_len -
				       1];

			for (i = 0; i < ARGON2_WORDS; i++)
				last->v[i] ^= b->v[i];
		}
		for (i = 0; i < ARGON2_WORDS; i++) {
			put32(tag + 8 * i, (uint32_t)last->v[i]);
			put32(tag + 8 * i + 4, (uint32_t)(last->v[i] >> 32));
		}
		argon2_hprime(out, outlen, tag, sizeof(tag));
	}
	wipe(seed, sizeof(seed));
	wipe(tag, sizeof(tag));
	argon2_unmap(c.mem, (size_t)size);
	return r;
}

int argon2(enum argon2_type type, uint32_t t_cost, uint32_t m_cost_kib,
	   uint32_t lanes, const void *pwd, size_t pwdlen, const void *salt,
	   size_t saltlen, void *out, size_t outlen)
{
	struct argon2_in in = {
		.pwd = pwd, .pwdlen = pwdlen, .salt = salt, .saltlen = saltlen};

	return argon2_ext(type, t_cost, m_cost_kib, lanes, &in, out, outlen);
}

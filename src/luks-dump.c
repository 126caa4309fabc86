/* SPDX-License-Identifier: MIT */
/* cryptsetup 2.6.1's luksDump layout, for what dmboot reads of a header
 * (never the volume key). */
#include <string.h>

#include "crypt-luks.h"
#include "out.h"

/* Bytes as "xx " each, a line break and cont after every wrap bytes. */
static void out_hex(const uint8_t *p, size_t n, size_t wrap, const char *cont)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		if (i && !(i % wrap)) {
			out_ch('\n');
			out_str(cont);
		}
		out_ch(digits[p[i] >> 4]);
		out_ch(digits[p[i] & 15]);
		out_ch(' ');
	}
	out_ch('\n');
}

static void out_u64_line(const char *label, uint64_t v, const char *tail)
{
	out_str(label);
	out_u64(v);
	out_str(tail);
}

static void dump_luks1(const struct luks1_hdr *h, const char *path)
{
	int i;

	out_str("LUKS header information for ");
	out_str(path);
	out_str("\n\nVersion:       \t1\n");
	out_kv("Cipher name:   \t", h->cipher_name);
	out_kv("Cipher mode:   \t", h->cipher_mode);
	out_kv("Hash spec:     \t", h->hash);
	out_u64_line("Payload offset:\t", h->payload_offset, "\n");
	out_u64_line("MK bits:       \t", (uint64_t)h->key_bytes * 8, "\n");
	out_str("MK digest:     \t");
	out_hex(h->mk_digest, LUKS1_DIGEST_SIZE, LUKS1_DIGEST_SIZE, "");
	out_str("MK salt:       \t");
	out_hex(h->mk_salt, LUKS_SALT_SIZE, 16, "               \t");
	out_u64_line("MK iterations: \t", h->mk_iterations, "\n");
	out_kv("UUID:          \t", h->uuid);
	out_ch('\n');
	for (i = 0; i < LUKS1_KEYSLOTS; i++) {
		const struct luks1_keyslot *k = &h->ks[i];

		out_u64_line("Key Slot ", (uint64_t)i,
			     k->active ? ": ENABLED\n" : ": DISABLED\n");
		if (!k->active)
			continue;
		out_u64_line("\tIterations:         \t", k->iterations, "\n");
		out_str("\tSalt:               \t");
		out_hex(k->salt, LUKS_SALT_SIZE, 16,
			"\t                      \t");
		out_u64_line("\tKey material offset:\t", k->offset, "\n");
		out_u64_line("\tAF stripes:            \t", k->stripes, "\n");
	}
}

static void out_bits(const char *label, uint32_t bytes)
{
	out_u64_line(label, (uint64_t)bytes * 8, " bits\n");
}

static void dump_keyslots(const struct luks2_meta *m)
{
	static const char *const prio[] = {"ignored", "normal", "preferred"};
	int i, d;

	out_str("Keyslots:\n");
	for (i = 0; i < LUKS2_KEYSLOTS; i++) {
		const struct luks2_keyslot *k = &m->keyslots[i];

		if (!k->used)
			continue;
		out_u64_line("  ", (uint64_t)i, ": luks2\n");
		out_bits("\tKey:        ", k->key_size);
		out_kv("\tPriority:   ",
		       prio[k->priority <= 2 ? k->priority : 1]);
		out_kv("\tCipher:     ", k->area.encryption);
		out_bits("\tCipher key: ", k->area.key_size);
		out_kv("\tPBKDF:      ",
		       k->kdf.type == LUKS2_KDF_PBKDF2	  ? "pbkdf2"
		       : k->kdf.type == LUKS2_KDF_ARGON2I ? "argon2i"
							  : "argon2id");
		if (k->kdf.type == LUKS2_KDF_PBKDF2) {
			out_kv("\tHash:       ", k->kdf.hash);
			out_u64_line("\tIterations: ", k->kdf.iterations, "\n");
		} else {
			out_u64_line("\tTime cost:  ", k->kdf.time, "\n");
			out_u64_line("\tMemory:     ", k->kdf.memory, "\n");
			out_u64_line("\tThreads:    ", k->kdf.cpus, "\n");
		}
		out_str("\tSalt:       ");
		out_hex(k->kdf.salt, k->kdf.salt_len, 16, "\t            ");
		out_u64_line("\tAF stripes: ", k->af_stripes, "\n");
		out_kv("\tAF hash:    ", k->af_hash);
		out_u64_line("\tArea offset:", k->area.offset, " [bytes]\n");
		out_u64_line("\tArea length:", k->area.size, " [bytes]\n");
		for (d = 0; d < LUKS2_DIGESTS; d++)
			if (m->digests[d].used &&
			    ((m->digests[d].keyslots >> i) & 1))
				out_u64_line("\tDigest ID:  ", (uint64_t)d,
					     "\n");
	}
}

static void dump_tokens_digests(const struct luks2_meta *m)
{
	int i, k;

	out_str("Tokens:\n");
	for (i = 0; i < LUKS2_TOKENS; i++) {
		const struct luks2_token *t = &m->tokens[i];

		if (!t->used)
			continue;
		out_u64_line("  ", (uint64_t)i, ": ");
		out_kv("", t->type);
		if (!strcmp(t->type, "luks2-keyring"))
			out_kv("\tKey description: ", t->key_description);
		for (k = 0; k < LUKS2_KEYSLOTS; k++)
			if ((t->keyslots >> k) & 1)
				out_u64_line("\tKeyslot:    ", (uint64_t)k,
					     "\n");
	}
	out_str("Digests:\n");
	for (i = 0; i < LUKS2_DIGESTS; i++) {
		const struct luks2_digest *d = &m->digests[i];

		if (!d->used)
			continue;
		out_u64_line("  ", (uint64_t)i, ": pbkdf2\n");
		out_kv("\tHash:       ", d->hash);
		out_u64_line("\tIterations: ", d->iterations, "\n");
		out_str("\tSalt:       ");
		out_hex(d->salt, d->salt_len, 16, "\t            ");
		out_str("\tDigest:     ");
		out_hex(d->digest, d->digest_len, 16, "\t            ");
	}
}

static void dump_luks2(const struct luks_volume *v)
{
	/* config.flags as cryptsetup names them, in LUKS2_FLAG_* order */
	static const char flags[] = "allow-discards same-cpu-crypt "
				    "submit-from-crypt-cpus no-read-workqueue "
				    "no-write-workqueue ";
	const struct luks2_meta *m = &v->u.l2.meta;
	const char *f = flags, *e;
	int i;

	out_str("LUKS header information\nVersion:       \t2\n");
	out_u64_line("Epoch:         \t", v->u.l2.bin.seqid, "\n");
	out_u64_line("Metadata area: \t", v->u.l2.bin.hdr_size, " [bytes]\n");
	out_u64_line("Keyslots area: \t", m->keyslots_size, " [bytes]\n");
	out_kv("UUID:          \t", v->uuid);
	out_kv("Label:         \t", v->label[0] ? v->label : "(no label)");
	out_kv("Subsystem:     \t",
	       v->subsystem[0] ? v->subsystem : "(no subsystem)");
	out_str("Flags:       \t");
	if (!m->flags)
		out_str("(no flags)");
	for (i = 0; *f; i++, f = e + 1) {
		e = strchr(f, ' ');
		if ((m->flags >> i) & 1)
			out_mem(f, (size_t)(e - f) + 1);
	}
	out_str("\n\nData segments:\n");
	for (i = 0; i < LUKS2_SEGMENTS; i++) {
		const struct luks2_segment *s = &m->segments[i];

		if (!s->used)
			continue;
		out_u64_line("  ", (uint64_t)i, ": crypt\n");
		out_u64_line("\toffset: ", s->offset, " [bytes]\n");
		if (s->dynamic)
			out_str("\tlength: (whole device)\n");
		else
			out_u64_line("\tlength: ", s->size, " [bytes]\n");
		out_kv("\tcipher: ", s->encryption);
		out_u64_line("\tsector: ", s->sector_size, " [bytes]\n\n");
	}
	dump_keyslots(m);
	dump_tokens_digests(m);
}

void luks_dump(const struct luks_volume *v, const char *path)
{
	if (CFG_CRYPT_LUKS1 && v->version == 1)
		dump_luks1(&v->u.l1, path);
	else if (CFG_CRYPT_LUKS2 && v->version == 2)
		dump_luks2(v);
}

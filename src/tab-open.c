/* SPDX-License-Identifier: MIT */
/* A tab line into what it stands for, then its activation. */
#include "tab-open.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "blkdev.h"
#include "devwait.h"
#include "rawsys.h"
#include "luks.h"
#include "ops.h"
#include "out.h"
#include "resolve.h"
#include "util.h"

/* A tab key and what it becomes, in a byte: the activation's field
 * (enum verity_field or crypt_field) in the low 6 bits, and how the key
 * reads in the top 2: VALUE takes "=val", FLAG none, NOT_NO sets the
 * field (a flag) when its value is false ("superblock=no"), LOCAL keys
 * are the tab's own business. */
enum { FLAG = 0, VALUE = 0x40, NOT_NO = 0x80, LOCAL = 0xc0, FIELD = 0x3f };
_Static_assert((int)VO_COUNT <= (int)FIELD && (int)CO_COUNT <= (int)FIELD,
	       "a field in 6 bits");
#define BIT(f) ((uint64_t)1 << (f))
#define LUKS_MAGIC_LEN 6
/* crypttab's tries=0, "ask for ever", in crypt_open's terms. */
#define TRIES_FOREVER "4294967295"
/* Most keys are the option of the same name (veritysetup's for every
 * veritytab one): these fields, looked up by their names; whether they
 * take a value is the option's. */
#define VERITY_SAME                                                            \
	(BIT(VO_IGNORE_CORRUPTION) | BIT(VO_RESTART) | BIT(VO_PANIC) |         \
	 BIT(VO_IGNORE_ZERO) | BIT(VO_AT_MOST_ONCE) | BIT(VO_SIGNATURE) |      \
	 BIT(VO_FORMAT) | BIT(VO_DATA_BLOCK_SIZE) | BIT(VO_HASH_BLOCK_SIZE) |  \
	 BIT(VO_DATA_BLOCKS) | BIT(VO_HASH_OFFSET) | BIT(VO_SALT) |            \
	 BIT(VO_UUID) | BIT(VO_HASH) | BIT(VO_FEC_DEVICE) |                    \
	 BIT(VO_FEC_OFFSET) | BIT(VO_FEC_ROOTS))
#define CRYPT_SAME                                                             \
	(BIT(CO_CIPHER) | BIT(CO_HASH) | BIT(CO_OFFSET) | BIT(CO_SKIP) |       \
	 BIT(CO_SECTOR_SIZE) | BIT(CO_KEYFILE_OFFSET) | BIT(CO_KEYFILE_SIZE) | \
	 BIT(CO_READONLY) | BIT(CO_HEADER) | BIT(CO_KEY_SLOT) | BIT(CO_TRIES))
#define VERITY_TAKES(id, s, l, a) | ((uint64_t)(a) << VO_##id)
#define CRYPT_TAKES(id, s, l, a) | ((uint64_t)(a) << CO_##id)
/* The other keys: one X-list each, expanded into the names (one
 * string, no pointers) and their bytes; veritytab's come first, then
 * those both files have, then crypttab's: each file's are a range. */
#define VERITY_KEYS(X) X("superblock", NOT_NO | VO_NO_SUPERBLOCK)
#define BOTH_KEYS(X)                                                           \
	X("noauto", LOCAL)                                                     \
	X("nofail", LOCAL)                                                     \
	X("_netdev", LOCAL)                                                    \
	X("x-initrd.attach", LOCAL)                                            \
	X("x-systemd.device-timeout", LOCAL)
/* cryptsetup's --perf-* options are dm-crypt's flags: crypttab spells
 * them with '-'. */
#define CRYPT_KEYS(X)                                                          \
	X("plain", LOCAL)                                                      \
	X("luks", LOCAL)                                                       \
	X("timeout", LOCAL)                                                    \
	X("headless", LOCAL)                                                   \
	X("size", VALUE | CO_KEY_SIZE)                                         \
	X("discard", FLAG | CO_ALLOW_DISCARDS)                                 \
	X("read-only", FLAG | CO_READONLY)                                     \
	X("same-cpu-crypt", FLAG | CO_SAME_CPU_CRYPT)                          \
	X("submit-from-crypt-cpus", FLAG | CO_SUBMIT_FROM_CRYPT_CPUS)          \
	X("no-read-workqueue", FLAG | CO_NO_READ_WORKQUEUE)                    \
	X("no-write-workqueue", FLAG | CO_NO_WRITE_WORKQUEUE)
#define KEY_NAME(key, code) key "\0"
#define KEY_CODE(key, code) code,
#define KEY_COUNT(key, code) +1
static const char keys[] =
	VERITY_KEYS(KEY_NAME) BOTH_KEYS(KEY_NAME) CRYPT_KEYS(KEY_NAME);
static const uint8_t codes[] = {VERITY_KEYS(KEY_CODE) BOTH_KEYS(KEY_CODE)
					CRYPT_KEYS(KEY_CODE)};
enum {
	CRYPT_FROM = 0 VERITY_KEYS(KEY_COUNT),
	VERITY_TO = CRYPT_FROM BOTH_KEYS(KEY_COUNT),
};

/* key's byte in a file of this kind, or -1. */
static int key_code(enum tab_kind kind, const char *key)
{
	int verity = kind == TAB_VERITY;
	uint64_t same = verity ? VERITY_SAME : CRYPT_SAME;
	uint64_t takes = verity ? 0 VERITY_OPTIONS(VERITY_TAKES)
				: 0 CRYPT_OPTIONS(CRYPT_TAKES);
	unsigned i, from = verity ? 0 : CRYPT_FROM,
		    to = verity ? VERITY_TO : sizeof(codes);
	const char *k = keys;
	int f;

	for (f = 0; f <= FIELD; f++)
		if (((same >> f) & 1) &&
		    !strcmp(verity ? verity_field_name(f) : crypt_field_name(f),
			    key))
			return ((takes >> f) & 1 ? VALUE : FLAG) | f;
	for (i = 0; i < to; i++, k += strlen(k) + 1)
		if (i >= from && !strcmp(k, key))
			return codes[i];
	return -1;
}

/* The options of a line by field, before they go in: the activation
 * sees them in field order, as its command line gives them. */
struct tab_fields {
	uint64_t given;
	const char *val[FIELD + 1];
};

static void field_add(struct tab_fields *fl, int f, const char *val)
{
	fl->given |= (uint64_t)1 << f;
	fl->val[f] = val;
}

/* A device as the activation wants it: names like UUID= resolved into
 * t->paths; 0, or -ENODEV after the line's error. */
static int add_dev(const struct dm_ctx *ctx, const char *cmd,
		   struct tab_open *t, const char *spec, const char **out)
{
	struct resolver rs = {.ours = NULL};
	char *path = NULL;
	int r = -E2BIG;

	struct stat st;

	/* A path that is there is taken as it is (an image file too); with
	 * x-systemd.device-timeout= one that is not is waited for. */
	if (spec[0] == '/' && (!t->wait || !sys_stat(spec, &st))) {
		*out = spec;
		return 0;
	}
	if (t->npaths < ARRAY_SIZE(t->paths)) {
		path = t->paths[t->npaths];
		r = t->wait ? dev_wait(&rs, spec, t->budget, path, TAB_PATH_LEN)
			    : resolve(&rs, spec, path, TAB_PATH_LEN);
		if (r == -ENOTBLK && spec[0] == '/') { /* a file came */
			*out = spec;
			return 0;
		}
	}
	if (r) {
		char buf[96];

		err_line(cmd, r == -ENOTUNIQ ? rs.matches : spec,
			 r == -ENOTUNIQ ? "refusing an ambiguous device"
			 : r == -ENOENT ? "no such device"
			 : r == -EOPNOTSUPP
				 ? "this kind of name is not built in"
			 : r == -EINVAL ? "not a device name"
			 : r == -ETIMEDOUT
				 ? "not there within x-systemd.device-timeout="
				 : dm_strerror(ctx, r, buf, sizeof(buf)));
		return -ENODEV;
	}
	t->npaths++;
	*out = path;
	return 0;
}

static int in_words(const char *v, const char *w)
{
	for (; v && *w; w += strlen(w) + 1)
		if (!strcmp(v, w))
			return 1;
	return 0;
}

static int is_false(const char *v)
{
	return in_words(v, "0\0no\0false\0off\0");
}

/* systemd's booleans: 1, 0, or -1 for anything else. */
static int bool_value(const char *v)
{
	return in_words(v, "1\0yes\0y\0true\0t\0on\0")	  ? 1
	       : in_words(v, "0\0no\0n\0false\0f\0off\0") ? 0
							  : -1;
}

/* Each option of e through its file's keys into fl, or the line's
 * error. An option given twice counts once, as its last value
 * (tab_opt's rule, and systemd's). */
static int map_options(const struct dm_ctx *ctx, const char *cmd,
		       const struct tab_entry *e, struct tab_open *t,
		       struct tab_fields *fl)
{
	unsigned i;

	for (i = 0; i < e->nopt; i++) {
		const struct tab_opt *o = &e->opt[i];
		const char *val = o->val;
		int code, how;

		if (tab_opt(e, o->key) != o)
			continue;
		code = key_code(t->kind, o->key);
		if (code < 0) {
			char what[64];

			str_put(str_put(what, what + 63, "unsupported option "),
				what + 63, o->key);
			err_line(cmd, e->name, what);
			return -EINVAL;
		}
		how = code & ~FIELD;
		if (how == LOCAL || (how == NOT_NO && !is_false(val)))
			continue;
		if (how != NOT_NO && (how == VALUE) != (val != NULL)) {
			err_line(cmd, o->key,
				 val ? "takes no value" : "needs a value");
			return -EINVAL;
		}
		if (how != VALUE)
			val = NULL;
		else if (((code & FIELD) == VO_FEC_DEVICE &&
			  t->kind == TAB_VERITY) ||
			 ((code & FIELD) == CO_HEADER &&
			  t->kind == TAB_CRYPT)) {
			if (add_dev(ctx, cmd, t, val, &val)) /* names too */
				return -ENODEV;
		} else if ((code & FIELD) == CO_TRIES && t->kind == TAB_CRYPT &&
			   !strcmp(val, "0")) {
			val = TRIES_FOREVER; /* systemd's tries=0 */
		}
		field_add(fl, code & FIELD, val);
	}
	return 0;
}

/* Field f as veritysetup's and cryptsetup's command lines spell it in
 * their messages: as their option ("--hash-offset"), a positional one
 * by its name. */
static const char *field_text(enum tab_kind kind, int f, char *buf, size_t size)
{
	const char *name =
		kind == TAB_VERITY ? verity_field_name(f) : crypt_field_name(f);
	int dashes = kind == TAB_VERITY || f < CO_OPTION_COUNT;

	str_put(str_put(buf, buf + size - 1, dashes ? "--" : ""),
		buf + size - 1, name);
	return buf;
}

/* A refused input, as those command lines say it; returns err. */
static int fail_field(const struct dm_ctx *ctx, enum tab_kind kind,
		      const struct act_err *e, int err)
{
	char opt[40];

	act_fail(ctx, kind == TAB_VERITY ? "verity" : "crypt",
		 field_text(kind, e->field, opt, sizeof(opt)), e, err);
	return err;
}

/* A veritytab line's inputs into fl. */
static int gather_verity(const struct dm_ctx *ctx, const char *cmd,
			 const struct tab_entry *e, struct tab_open *t,
			 struct tab_fields *fl)
{
	const char *data, *hash;

	if (add_dev(ctx, cmd, t, e->dev, &data) ||
	    add_dev(ctx, cmd, t, e->hash, &hash) ||
	    map_options(ctx, cmd, e, t, fl))
		return -EINVAL;
	field_add(fl, VO_DATA, data);
	field_add(fl, VO_NAME, e->name);
	field_add(fl, VO_HASH_DEVICE, hash);
	field_add(fl, VO_ROOT_HASH, e->roothash);
	return 0;
}

/* Is there a LUKS header at path: the primary's magic at 0, or (a
 * damaged primary) a LUKS2 secondary's at one of the offsets the header
 * sizes allow, as cryptsetup's load looks for it. 1, 0, or -errno. */
static int luks_probe(const char *path)
{
	static const uint8_t magic[2][LUKS_MAGIC_LEN] = {
		{'L', 'U', 'K', 'S', 0xba, 0xbe},
		{'S', 'K', 'U', 'L', 0xba, 0xbe}};
	uint8_t m[LUKS_MAGIC_LEN];
	uint64_t off = 0, size = 0;
	int fd = blkdev_open(path), r;

	if (fd < 0)
		return fd;
	r = blkdev_size(fd, &size);
	while (!r && off + sizeof(m) <= size) {
		if (!(r = blkdev_read(fd, m, sizeof(m), off)) &&
		    !memcmp(m, magic[off != 0], sizeof(m))) {
			r = 1;
			break;
		}
		if (off == LUKS2_MAX_HDR_SIZE)
			break;
		off = off ? off * 2 : LUKS2_MIN_HDR_SIZE;
	}
	close(fd);
	return r;
}

/* The line's type, as systemd-cryptsetup picks it: "luks" or "plain"
 * if an option says so, else LUKS where the device (or header=) has a
 * LUKS header, plain where not. NULL after the line's error. */
static const char *crypt_type(const struct dm_ctx *ctx, const char *cmd,
			      const struct tab_entry *e, const char *dev,
			      const struct tab_fields *fl)
{
	const char *hdr =
		(fl->given >> CO_HEADER) & 1 ? fl->val[CO_HEADER] : dev;
	int luks = tab_opt(e, "luks") != NULL, r;
	char buf[96];

	if (luks && tab_opt(e, "plain")) {
		err_line(cmd, e->name, "luks and plain exclude each other");
		return NULL;
	}
	if (tab_opt(e, "plain"))
		return "plain";
	if (!CFG_CRYPT_LUKS) {
		err_line(cmd, e->name,
			 luks ? "LUKS is not built into this dmboot"
			      : "only plain mode is supported (add the "
				"\"plain\" option)");
		return NULL;
	}
	if (luks)
		return "luks";
	if ((r = luks_probe(hdr)) < 0) {
		err_line(cmd, hdr, dm_strerror(ctx, r, buf, sizeof(buf)));
		return NULL;
	}
	return r ? "luks" : "plain";
}

/* A crypttab line's inputs into fl. */
static int gather_crypt(const struct dm_ctx *ctx, const char *cmd,
			const struct tab_entry *e, struct tab_open *t,
			struct tab_fields *fl)
{
	/* What the LUKS header gives, which systemd ignores on a LUKS line;
	 * what only LUKS has, which a plain line may not name. */
	const uint64_t from_header = BIT(CO_CIPHER) | BIT(CO_HASH) |
				     BIT(CO_KEY_SIZE) | BIT(CO_OFFSET) |
				     BIT(CO_SKIP) | BIT(CO_SECTOR_SIZE),
		       luks_only = BIT(CO_HEADER) | BIT(CO_KEY_SLOT);
	const char *dev, *type;

	if (add_dev(ctx, cmd, t, e->dev, &dev) ||
	    map_options(ctx, cmd, e, t, fl) ||
	    !(type = crypt_type(ctx, cmd, e, dev, fl)))
		return -EINVAL;
	if (*type == 'l') {
		fl->given &= ~from_header;
	} else if (fl->given & luks_only) {
		err_line(cmd,
			 crypt_field_name((fl->given >> CO_HEADER) & 1
						  ? CO_HEADER
						  : CO_KEY_SLOT),
			 "for LUKS lines only");
		return -EINVAL;
	}
	if (!e->key && (*type == 'p' || !CFG_CRYPT_PASSPHRASE)) {
		err_line(cmd, e->name,
			 *type == 'p' ? "needs a key file: dmboot hashes no "
					"plain passphrases"
				      : "needs a key file: no passphrase "
					"prompts in this dmboot");
		return -EINVAL;
	}
	field_add(fl, CO_TYPE, type);
	/* dmboot's own: a key field "%logon:DESC" names a key already in the
	 * kernel keyring (systemd would take it for a file name). No key
	 * file: the passphrase prompt. */
	if (e->key)
		field_add(fl,
			  *e->key == '%' ? CO_VOLUME_KEY_KEYRING : CO_KEY_FILE,
			  e->key);
	field_add(fl, CO_DEVICE, dev);
	field_add(fl, CO_NAME, e->name);
	return 0;
}

/* Option key of e as a systemd time span into *ms (0 and infinity:
 * UINT64_MAX): 0 without it, 1 with it, or -EINVAL after the line's
 * error naming the key. */
static int span_opt(const char *cmd, const struct tab_entry *e, const char *key,
		    uint64_t *ms)
{
	const struct tab_opt *t = tab_opt(e, key);
	char what[80];

	if (!t)
		return 0;
	if (t->val && !parse_timespan_ms(t->val, ms)) {
		if (!*ms)
			*ms = UINT64_MAX;
		return 1;
	}
	str_put(str_put(what, what + 79, key), what + 79,
		"=: not a time span (30, 30s, 1min 30s, 500ms...)");
	err_line(cmd, e->name, what);
	return -EINVAL;
}

/* timeout=: not cryptsetup's whole seconds; 0 and infinity wait for
 * ever. */
static int set_timeout(const char *cmd, const struct tab_entry *e,
		       struct crypt_open *o)
{
	uint64_t ms;
	int r = span_opt(cmd, e, "timeout", &ms);

	if (r > 0) {
		o->timeout_ms = ms == UINT64_MAX ? 0 : ms;
		o->given |= BIT(CO_TIMEOUT);
	}
	return r;
}

/* headless: no passphrase prompt; a LUKS line without a key file has
 * its tokens only. */
static int set_headless(const char *cmd, const struct tab_entry *e,
			struct crypt_open *o)
{
	const struct tab_opt *h = tab_opt(e, "headless");
	int on = h ? (h->val ? bool_value(h->val) : 1) : 0;

	if (on < 0) {
		err_line(cmd, e->name, "headless=: not a boolean (yes, no...)");
		return -EINVAL;
	}
	if (on && !e->key)
		o->token_only = CRYPT_HEADLESS;
	return 0;
}

int tab_device_timeout(const char *cmd, const struct tab_entry *e, uint32_t *ms)
{
	uint64_t v;
	int r = span_opt(cmd, e, "x-systemd.device-timeout", &v);

	/* for ever: 0; past 49 days, as good as */
	if (r > 0)
		*ms = v == UINT64_MAX  ? 0
		      : v > UINT32_MAX ? UINT32_MAX
				       : (uint32_t)v;
	return r;
}

int tab_open_fill(const struct dm_ctx *ctx, const char *cmd, enum tab_kind kind,
		  const struct tab_entry *e, struct tab_open *t)
{
	/* CFG_ first: a build without one keeps none of it */
	int verity = CFG_VERITY && kind == TAB_VERITY, f, r;
	struct tab_fields fl = {0};
	struct act_err ae = {0};

	memset(t, 0, sizeof(*t));
	t->kind = kind;
	if ((kind == TAB_VERITY && !CFG_VERITY) ||
	    (kind != TAB_VERITY && !CFG_CRYPT)) {
		err_line(cmd, e->name,
			 kind == TAB_VERITY
				 ? "veritytab lines are not built into this "
				   "dmboot"
				 : "crypttab lines are not built into this "
				   "dmboot");
		return -EOPNOTSUPP;
	}
	if ((r = tab_device_timeout(cmd, e, &t->budget_ms)) < 0)
		return r;
	t->wait = r;
	t->budget = t->budget_ms ? &t->budget_ms : NULL;
	r = verity ? gather_verity(ctx, cmd, e, t, &fl)
		   : gather_crypt(ctx, cmd, e, t, &fl);
	if (r)
		return r;
	if (verity)
		verity_open_init(&t->verity);
	else
		crypt_open_init(&t->crypt);
	/* In field order, as the command lines give them. */
	for (f = 0; f <= FIELD; f++)
		if (((fl.given >> f) & 1) &&
		    (r = verity ? verity_open_set(&t->verity, f, fl.val[f], &ae)
				: crypt_open_set(&t->crypt, f, fl.val[f], &ae)))
			return fail_field(ctx, kind, &ae, r);
	if (!verity && ((r = set_timeout(cmd, e, &t->crypt)) < 0 ||
			(r = set_headless(cmd, e, &t->crypt)) < 0))
		return r;
	return 0;
}

/* systemd-cryptsetup's warning (a warning, not a refusal): a regular key
 * file that others may read or execute. cryptsetup has none. */
static int key_file_exposed(const char *path)
{
	struct stat st;

	return path && strcmp(path, "-") && !sys_stat(path, &st) &&
	       S_ISREG(st.st_mode) && (st.st_mode & (S_IROTH | S_IXOTH));
}

int tab_open_activate(struct dm_ctx *ctx, const struct tab_open *t)
{
	struct act_err e = {0};
	unsigned warn = 0, w;
	char opt[40];
	int r;

	if (t->kind == TAB_VERITY) {
		r = CFG_VERITY ? verity_activate(ctx, &t->verity, &e)
			       : -EOPNOTSUPP;
		return r ? fail_field(ctx, TAB_VERITY, &e, r) : 0;
	}
	r = CFG_CRYPT ? crypt_activate(ctx, &t->crypt, &warn, &e) : -EOPNOTSUPP;
	if (key_file_exposed(t->crypt.key_file))
		warn |= CRYPT_WARN_KEY_READABLE;
	/* What cryptsetup warns of, as the crypt command says it. */
	for (w = CRYPT_WARN_HASH; w <= CRYPT_WARN_KEY_READABLE; w <<= 1)
		if (warn & w)
			err_line("crypt",
				 w == CRYPT_WARN_KEY_READABLE
					 ? t->crypt.key_file
					 : field_text(TAB_CRYPT,
						      w == CRYPT_WARN_HASH
							      ? CO_HASH
							      : CO_KEYFILE_SIZE,
						      opt, sizeof(opt)),
				 crypt_warn_text(w));
	return r ? fail_field(ctx, TAB_CRYPT, &e, r) : 0;
}

int tab_line_activate(struct dm_ctx *ctx, const char *cmd, enum tab_kind kind,
		      const struct tab_entry *e)
{
	static struct tab_open t; /* big: not on the stack */
	struct dm_info info;
	int r;

	if (!dm_get_info(ctx, e->name, 0, &info)) {
		out_str(e->name);
		out_str(": active, skipped\n");
		return TAB_SKIPPED;
	}
	r = tab_open_fill(ctx, cmd, kind, e, &t);
	return r ? r : tab_open_activate(ctx, &t);
}

/* A crypt key shown as the table command shows it without --showkeys:
 * its second word, unless a ":len:type:desc" keyring reference, as '0's
 * of the same length. */
static void out_params(const char *type, const char *params)
{
	const char *key = strcmp(type, "crypt") ? NULL : str_chr(params, ' ');
	const char *p;

	if (key && key[1] == ':')
		key = NULL;
	for (p = params; *p; p++) {
		char ch = *p;

		if (key && p > key && ch == ' ')
			key = NULL;
		if (key && p > key)
			ch = '0';
		out_ch(ch);
	}
}

void tab_out_table(const char *prefix, const char *name, const struct table *t)
{
	const struct dm_target_spec *spec;
	size_t off = 0;

	while ((spec = table_spec(t, &off))) {
		out_str(prefix);
		out_str(name);
		out_str(": ");
		out_target(spec->sector_start, spec->length, spec->target_type,
			   "");
		out_params(spec->target_type, (const char *)(spec + 1));
		out_ch('\n');
	}
}

void tab_err_line(const char *cmd, const char *path, const struct tab_reader *r)
{
	char what[96] = "line ";

	str_put(str_put(what + 5 + fmt_u64(what + 5, r->line), what + 95, ": "),
		what + 95, r->err);
	err_line(cmd, path, what);
}

int tab_read(struct buf *text, const char *path, struct tab_reader *rd)
{
	int r = buf_read_file(text, path);

	if (!r)
		r = buf_reserve(text, 1); /* tab_init's NUL */
	if (r) {
		buf_free(text);
		return r;
	}
	tab_init(rd, text->p, text->len);
	return 0;
}

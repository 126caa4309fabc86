/* A tab line into what it stands for, then its activation. */
#include "tab-open.h"

#include <errno.h>
#include <string.h>

#include "cli.h"
#include "crypt.h"
#include "ops.h"
#include "out.h"
#include "resolve.h"
#include "util.h"

/* A tab option and the command option it becomes: VALUE passes "=val"
 * on, FLAG takes none; LOCAL ones are the tab's own business. The maps
 * are one string (no pointers): per option its kind byte, its name, a
 * NUL, the command option's name without "--" ("" where it is the tab
 * option's own), a NUL; a 0 kind byte ends it. PERF is a FLAG whose
 * command option is "--perf-" and crypt.h's table name of the flag
 * 1 << N, the digit N given for its name: cryptsetup's --perf-* options
 * are dm-crypt's flags. veritytab's options come first, then the local
 * ones both files have, then crypttab's: each map is a range of it. */
enum { FLAG = 1, VALUE, LOCAL, NOT_NO, PERF };
#define F(tab, cmd) "\1" tab "\0" cmd "\0"
#define V(tab, cmd) "\2" tab "\0" cmd "\0"
#define L(tab) "\3" tab "\0\0"
#define P(tab, n) "\5" tab "\0" #n "\0"
/* clang-format off */
#define VERITY_MAP \
	F("ignore-corruption", "") F("restart-on-corruption", "") \
	F("panic-on-corruption", "") F("ignore-zero-blocks", "") \
	F("check-at-most-once", "") V("root-hash-signature", "") \
	V("format", "") V("data-block-size", "") V("hash-block-size", "") \
	V("data-blocks", "") V("hash-offset", "") V("salt", "") \
	V("uuid", "") V("hash", "") V("fec-device", "") \
	V("fec-offset", "") V("fec-roots", "") \
	"\4superblock\0no-superblock\0"
#define BOTH_MAP L("noauto") L("nofail") L("_netdev") L("x-initrd.attach")
static const char maps[] = VERITY_MAP BOTH_MAP
	L("plain") V("cipher", "") V("size", "key-size") V("hash", "")
	V("offset", "") V("skip", "") V("sector-size", "")
	V("keyfile-offset", "") V("keyfile-size", "")
	F("discard", "allow-discards") F("readonly", "")
	F("read-only", "readonly")
	P("same-cpu-crypt", 1) P("submit-from-crypt-cpus", 2)
	P("no-read-workqueue", 3) P("no-write-workqueue", 4)
	L("tries") L("timeout");
/* clang-format on */
#define VERITY_END (maps + sizeof(VERITY_MAP BOTH_MAP) - 1)
#define CRYPT_MAP (maps + sizeof(VERITY_MAP) - 1)

/* Always room: a line makes at most 7 arguments and one per option (a
 * repeated option counts once), and names at most 3 devices: data, hash
 * and FEC, or the crypt device. Each write is bounded all the same. */
_Static_assert(TAB_ARGS_MAX >= 7 + TAB_OPTS_MAX, "tab_open too small");
static int add_arg(struct tab_open *l, const char *a)
{
	if (l->argc >= TAB_ARGS_MAX)
		return -E2BIG;
	l->argv[l->argc++] = (char *)a;
	return 0;
}

/* A device as the activation wants it: names like UUID= resolved into
 * l->paths; 0, or -ENODEV after the line's error. */
static int add_dev(const struct dm_ctx *ctx, const char *cmd,
		   struct tab_open *l, const char *spec, const char **out)
{
	struct resolver rs = {.ours = NULL};
	char *path = NULL;
	int r = -E2BIG;

	if (spec[0] == '/') {
		*out = spec;
		return 0;
	}
	if (l->npaths < (int)ARRAY_SIZE(l->paths)) {
		path = l->paths[l->npaths];
		r = resolve(&rs, spec, path, TAB_PATH_LEN);
	}
	if (r) {
		char buf[96];

		err_line(cmd, r == -ENOTUNIQ ? rs.matches : spec,
			 r == -ENOTUNIQ ? "refusing an ambiguous device"
			 : r == -ENOENT ? "no such device"
			 : r == -EOPNOTSUPP
				 ? "this kind of name is not built in"
			 : r == -EINVAL ? "not a device name"
					: dm_strerror(ctx, r, buf, sizeof(buf)));
		return -ENODEV;
	}
	l->npaths++;
	*out = path;
	return 0;
}

static int add_dev_arg(const struct dm_ctx *ctx, const char *cmd,
		       struct tab_open *l, const char *spec)
{
	const char *path;

	return add_dev(ctx, cmd, l, spec, &path) ? -ENODEV : add_arg(l, path);
}

static int is_false(const char *v)
{
	const char *w = "0\0no\0false\0off\0";

	for (; v && *w; w += strlen(w) + 1)
		if (!strcmp(v, w))
			return 1;
	return 0;
}

/* Each option of e through the map from map to stop (or its end) into l,
 * or the line's error. An option given twice counts once, as its last
 * value (tab_opt's rule, and systemd's). */
static int map_options(const struct dm_ctx *ctx, const char *cmd_name,
		       const struct tab_entry *e, const char *map,
		       const char *stop, struct tab_open *l)
{
	unsigned i;

	for (i = 0; i < e->nopt; i++) {
		const struct tab_opt *o = &e->opt[i];
		const char *m, *cmd = NULL, *val = o->val;
		char *arg, *p;
		const char *lim;
		int how;

		if (tab_opt(e, o->key) != o)
			continue;
		for (m = map; *m && m != stop; m = cmd + strlen(cmd) + 1) {
			cmd = m + strlen(m) + 1;
			if (!strcmp(m + 1, o->key))
				break;
		}
		if (!*m || m == stop) {
			char what[64];

			str_put(str_put(what, what + 63, "unsupported option "),
				what + 63, o->key);
			err_line(cmd_name, e->name, what);
			return -EINVAL;
		}
		how = (unsigned char)*m;
		if (!*cmd)
			cmd = m + 1;
		if (how == PERF)
			cmd = crypt_opt_name((unsigned)(*cmd - '0'));
		if (how == LOCAL || (how == NOT_NO && !is_false(val)))
			continue;
		if (how != NOT_NO && (how == VALUE) != (val != NULL)) {
			err_line(cmd_name, o->key,
				 val ? "takes no value" : "needs a value");
			return -EINVAL;
		}
		if (how != VALUE)
			val = NULL;
		else if (!strcmp(o->key, "fec-device") &&
			 add_dev(ctx, cmd_name, l, val,
				 &val)) /* names resolved too */
			return -ENODEV;
		/* "--opt" or "--opt=val" (PERF's are short, with no val) */
		if (l->nopts >= TAB_ARGS_MAX ||
		    strlen(cmd) + (val ? strlen(val) : 0) + 4 >
			    sizeof(l->opts[0])) {
			err_line(cmd_name, o->key, "value too long");
			return -E2BIG;
		}
		arg = l->opts[l->nopts];
		lim = arg + sizeof(l->opts[0]) - 1;
		p = str_put(str_put(arg, lim, how == PERF ? "--perf-" : "--"),
			    lim, cmd);
		if (val)
			str_put(str_put(p, lim, "="), lim, val);
		l->nopts++;
		if (add_arg(l, arg))
			return -E2BIG;
	}
	return 0;
}

static int build_verity(const struct dm_ctx *ctx, const char *cmd,
			const struct tab_entry *e, struct tab_open *l)
{
	add_arg(l, "verity");
	add_arg(l, "open");
	if (add_dev_arg(ctx, cmd, l, e->dev) || add_arg(l, e->name) ||
	    add_dev_arg(ctx, cmd, l, e->hash) || add_arg(l, e->roothash))
		return -EINVAL;
	return map_options(ctx, cmd, e, maps, VERITY_END, l) ? -EINVAL : 0;
}

static int build_crypt(const struct dm_ctx *ctx, const char *cmd,
		       const struct tab_entry *e, struct tab_open *l)
{
	if (!tab_opt(e, "plain")) {
		err_line(cmd, e->name,
			 "only plain mode is supported (add the \"plain\" "
			 "option)");
		return -EINVAL;
	}
	if (!e->key) {
		err_line(cmd, e->name,
			 "needs a key file: no passphrase prompts at boot");
		return -EINVAL;
	}
	/* dmboot's own: a key field "%logon:DESC" names a key already in the
	 * kernel keyring (systemd would take it for a file name). */
	add_arg(l, "crypt");
	add_arg(l, "open");
	add_arg(l, "--type=plain");
	add_arg(l, *e->key == '%' ? "--volume-key-keyring" : "--key-file");
	add_arg(l, e->key);
	if (add_dev_arg(ctx, cmd, l, e->dev) || add_arg(l, e->name))
		return -EINVAL;
	return map_options(ctx, cmd, e, CRYPT_MAP, NULL, l) ? -EINVAL : 0;
}

int tab_open_fill(const struct dm_ctx *ctx, const char *cmd,
		  enum tab_kind kind, const struct tab_entry *e,
		  struct tab_open *t)
{
	memset(t, 0, sizeof(*t));
	t->kind = kind;
	return kind == TAB_VERITY ? build_verity(ctx, cmd, e, t)
				  : build_crypt(ctx, cmd, e, t);
}

int tab_open_activate(struct dm_ctx *ctx, struct tab_open *t)
{
	struct cli c = {.dm = *ctx};
	int r = cli_run(&c, t->argc, t->argv);

	*ctx = c.dm;
	return r ? -EINVAL : 0;
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

void tab_err_line(const char *cmd, const char *path,
		  const struct tab_reader *r)
{
	char what[96] = "line ";

	str_put(str_put(what + 5 + fmt_u64(what + 5, r->line), what + 95,
			": "),
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

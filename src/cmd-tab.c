/* CMD(tab, "tab", TAB, 0, 255, tab_opts, "[--dry-run] [--verity|--crypt] [FILE...]  (default /etc/veritytab /etc/crypttab)") */
/* systemd's veritytab and crypttab, line by line, through the verity and
 * crypt commands: each line becomes the veritysetup or cryptsetup command
 * line it means, so the two file formats share every check and message
 * of those commands. Device names (UUID=, PARTUUID=, ...) are resolved
 * first; active devices and noauto lines are skipped. */
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "crypt.h"
#include "ops.h"
#include "out.h"
#include "resolve.h"
#include "tab.h"

#define TAB_OPTIONS(X)                                                         \
	X(TO_DRY_RUN, "-", "dry-run", 0)                                       \
	X(TO_VERITY, "-", "verity", 0)                                         \
	X(TO_CRYPT, "-", "crypt", 0)
#define TAB_ENUM(id, s, l, a) id,
enum { TAB_OPTIONS(TAB_ENUM) };
CLI_OPTSET(tab_opts, TAB_OPTIONS);

#define PATH_LEN TAB_PATH_LEN

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
_Static_assert(TAB_ARGS_MAX >= 7 + TAB_OPTS_MAX, "tab_line too small");
static int add_arg(struct tab_line *l, const char *a)
{
	if (l->argc >= TAB_ARGS_MAX)
		return -E2BIG;
	l->argv[l->argc++] = (char *)a;
	return 0;
}

/* A device as the command wants it: names like UUID= resolved into
 * l->paths; 0, or -ENODEV after the line's error. */
static int add_dev(struct cli *c, struct tab_line *l, const char *spec,
		   const char **out)
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
		r = resolve(&rs, spec, path, PATH_LEN);
	}
	if (r) {
		char buf[96];

		err_line(c->cmd, r == -ENOTUNIQ ? rs.matches : spec,
			 r == -ENOTUNIQ ? "refusing an ambiguous device"
			 : r == -ENOENT ? "no such device"
			 : r == -EOPNOTSUPP
				 ? "this kind of name is not built in"
			 : r == -EINVAL
				 ? "not a device name"
				 : dm_strerror(&c->dm, r, buf, sizeof(buf)));
		return -ENODEV;
	}
	l->npaths++;
	*out = path;
	return 0;
}

static int add_dev_arg(struct cli *c, struct tab_line *l, const char *spec)
{
	const char *path;

	return add_dev(c, l, spec, &path) ? -ENODEV : add_arg(l, path);
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
static int map_options(struct cli *c, const struct tab_entry *e,
		       const char *map, const char *stop, struct tab_line *l)
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
			err_line(c->cmd, e->name, what);
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
			err_line(c->cmd, o->key,
				 val ? "takes no value" : "needs a value");
			return -EINVAL;
		}
		if (how != VALUE)
			val = NULL;
		else if (!strcmp(o->key, "fec-device") &&
			 add_dev(c, l, val, &val)) /* names resolved too */
			return -ENODEV;
		/* "--opt" or "--opt=val" (PERF's are short, with no val) */
		if (l->nopts >= TAB_ARGS_MAX ||
		    strlen(cmd) + (val ? strlen(val) : 0) + 4 >
			    sizeof(l->opts[0])) {
			err_line(c->cmd, o->key, "value too long");
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

static int build_verity(struct cli *c, const struct tab_entry *e,
			struct tab_line *l)
{
	add_arg(l, "verity");
	add_arg(l, "open");
	if (add_dev_arg(c, l, e->dev) || add_arg(l, e->name) ||
	    add_dev_arg(c, l, e->hash) || add_arg(l, e->roothash))
		return -EINVAL;
	return map_options(c, e, maps, VERITY_END, l) ? -EINVAL : 0;
}

static int build_crypt(struct cli *c, const struct tab_entry *e,
		       struct tab_line *l)
{
	if (!tab_opt(e, "plain")) {
		err_line(c->cmd, e->name,
			 "only plain mode is supported (add the \"plain\" "
			 "option)");
		return -EINVAL;
	}
	if (!e->key) {
		err_line(c->cmd, e->name,
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
	if (add_dev_arg(c, l, e->dev) || add_arg(l, e->name))
		return -EINVAL;
	return map_options(c, e, CRYPT_MAP, NULL, l) ? -EINVAL : 0;
}

int tab_argv(struct cli *c, enum tab_kind kind, const struct tab_entry *e,
	     struct tab_line *l)
{
	return kind == TAB_VERITY ? build_verity(c, e, l)
				  : build_crypt(c, e, l);
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

static void print_dry_run(const char *name, const char *uuid, uint32_t flags,
			  const struct table *t)
{
	(void)uuid;
	(void)flags;
	tab_out_table("", name, t);
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

/* 0, or 1 when a line that matters failed. A missing optional file is
 * no failure. */
static int run_file(struct cli *c, const char *path, enum tab_kind kind,
		    int optional)
{
	struct buf text = {0};
	struct tab_reader rd;
	struct tab_entry e;
	int r, failed = 0;

	r = tab_read(&text, path, &rd);
	if (r)
		return optional && r == -ENOENT ? 0 : cli_fail(c, path, r);
	while ((r = tab_next(&rd, kind, &e)) > 0) {
		static struct tab_line l;
		struct dm_info info;
		int nofail = tab_opt(&e, "nofail") != NULL;

		if (tab_opt(&e, "noauto"))
			continue;
		if (!dm_get_info(&c->dm, e.name, 0, &info)) {
			out_str(e.name);
			out_str(": active, skipped\n");
			continue;
		}
		memset(&l, 0, sizeof(l));
		r = tab_argv(c, kind, &e, &l);
		if (!r)
			r = cli_run(c, l.argc, l.argv);
		if (r && !nofail)
			failed = 1;
	}
	if (r < 0) {
		char what[96] = "line ";

		str_put(str_put(what + 5 + fmt_u64(what + 5, rd.line),
				what + 95, ": "),
			what + 95, rd.err);
		err_line(c->cmd, path, what);
		failed = 1;
	}
	buf_free(&text);
	return failed;
}

static int kind_of(struct cli *c, const char *path, enum tab_kind *kind)
{
	if (opt(c, TO_VERITY) || opt(c, TO_CRYPT)) {
		*kind = opt(c, TO_VERITY) ? TAB_VERITY : TAB_CRYPT;
		return 0;
	}
	if (str_find(path, "veritytab"))
		*kind = TAB_VERITY;
	else if (str_find(path, "crypttab"))
		*kind = TAB_CRYPT;
	else
		return -EINVAL;
	return 0;
}

int cmd_tab(struct cli *c)
{
	static const char *const defaults[] = {"/etc/veritytab",
					       "/etc/crypttab"};
	enum tab_kind kind;
	int i, failed = 0;

	if (opt(c, TO_DRY_RUN) && !CFG_DRY_RUN)
		return cli_usage(c, "--dry-run is not built into this dmboot");
	if (opt(c, TO_DRY_RUN))
		c->dm.dry_run = print_dry_run;
	if (!c->argc) {
		/* The defaults are optional; a named file is not. */
		for (i = 0; i < 2; i++)
			failed |= run_file(c, defaults[i],
					   i ? TAB_CRYPT : TAB_VERITY, 1);
		return failed;
	}
	for (i = 0; i < c->argc; i++) {
		if (kind_of(c, c->argv[i], &kind))
			return cli_usage(
				c, "name the file *veritytab or "
				   "*crypttab, or say --verity or --crypt");
		failed |= run_file(c, c->argv[i], kind, 0);
	}
	return failed;
}

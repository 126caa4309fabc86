/* CMD(tab, "tab", TAB, 0, 255, tab_opts, "[--dry-run] [--verity|--crypt] [FILE...]  (default /etc/veritytab /etc/crypttab)") */
/* systemd's veritytab and crypttab, line by line, through the verity and
 * crypt commands: each line becomes the veritysetup or cryptsetup command
 * line it means, so the two file formats share every check and message
 * of those commands. Device names (UUID=, PARTUUID=, ...) are resolved
 * first; active devices and noauto lines are skipped. */
#include <errno.h>
#include <string.h>

#include "cli.h"
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

#define ARGS_MAX TAB_ARGS_MAX
#define PATH_LEN TAB_PATH_LEN

/* A tab option and the command option it becomes: VALUE passes "=val"
 * on, FLAG takes none; LOCAL ones are the tab's own business. */
enum { FLAG, VALUE, LOCAL, NOT_NO };
struct opt_map {
	const char *tab, *cmd;
	unsigned char how;
};

static const struct opt_map verity_map[] = {
	{"ignore-corruption", "--ignore-corruption", FLAG},
	{"restart-on-corruption", "--restart-on-corruption", FLAG},
	{"panic-on-corruption", "--panic-on-corruption", FLAG},
	{"ignore-zero-blocks", "--ignore-zero-blocks", FLAG},
	{"check-at-most-once", "--check-at-most-once", FLAG},
	{"root-hash-signature", "--root-hash-signature", VALUE},
	{"format", "--format", VALUE},
	{"data-block-size", "--data-block-size", VALUE},
	{"hash-block-size", "--hash-block-size", VALUE},
	{"data-blocks", "--data-blocks", VALUE},
	{"hash-offset", "--hash-offset", VALUE},
	{"salt", "--salt", VALUE},
	{"uuid", "--uuid", VALUE},
	{"hash", "--hash", VALUE},
	{"fec-device", "--fec-device", VALUE},
	{"fec-offset", "--fec-offset", VALUE},
	{"fec-roots", "--fec-roots", VALUE},
	{"superblock", "--no-superblock", NOT_NO},
	{"noauto", NULL, LOCAL},
	{"nofail", NULL, LOCAL},
	{"_netdev", NULL, LOCAL},
	{"x-initrd.attach", NULL, LOCAL},
	{NULL, NULL, 0},
};

static const struct opt_map crypt_map[] = {
	{"plain", NULL, LOCAL},
	{"cipher", "--cipher", VALUE},
	{"size", "--key-size", VALUE},
	{"hash", "--hash", VALUE},
	{"offset", "--offset", VALUE},
	{"skip", "--skip", VALUE},
	{"sector-size", "--sector-size", VALUE},
	{"keyfile-offset", "--keyfile-offset", VALUE},
	{"keyfile-size", "--keyfile-size", VALUE},
	{"discard", "--allow-discards", FLAG},
	{"readonly", "--readonly", FLAG},
	{"read-only", "--readonly", FLAG},
	{"same-cpu-crypt", "--perf-same_cpu_crypt", FLAG},
	{"submit-from-crypt-cpus", "--perf-submit_from_crypt_cpus", FLAG},
	{"no-read-workqueue", "--perf-no_read_workqueue", FLAG},
	{"no-write-workqueue", "--perf-no_write_workqueue", FLAG},
	{"noauto", NULL, LOCAL},
	{"nofail", NULL, LOCAL},
	{"_netdev", NULL, LOCAL},
	{"x-initrd.attach", NULL, LOCAL},
	{"tries", NULL, LOCAL},
	{"timeout", NULL, LOCAL},
	{NULL, NULL, 0},
};

static int add_arg(struct tab_line *l, const char *a)
{
	if (l->argc >= ARGS_MAX)
		return -E2BIG;
	l->argv[l->argc++] = (char *)a;
	return 0;
}

/* A device as the command wants it: names like UUID= resolved. */
static int add_dev(struct cli *c, struct tab_line *l, const char *spec)
{
	char *path = l->paths[l->npaths];
	int r;

	if (spec[0] == '/')
		return add_arg(l, spec);
	r = resolve_device(spec, path, PATH_LEN);
	if (r) {
		char buf[96];

		err_line(c->cmd, spec,
			 r == -ENOENT ? "no such device"
			 : r == -EOPNOTSUPP
				 ? "this kind of name is not built in"
			 : r == -EINVAL
				 ? "not a device name"
				 : dm_strerror(&c->dm, r, buf, sizeof(buf)));
		return -ENODEV;
	}
	l->npaths++;
	return add_arg(l, path);
}

static int is_false(const char *v)
{
	return v && (!strcmp(v, "0") || !strcmp(v, "no") ||
		     !strcmp(v, "false") || !strcmp(v, "off"));
}

/* "--opt" or "--opt=val" into out. */
static int join_opt(char *out, size_t size, const char *opt, const char *val)
{
	size_t a = strlen(opt), b = val ? strlen(val) : 0;

	if (a + b + 2 > size)
		return -E2BIG;
	memcpy(out, opt, a);
	if (val) {
		out[a++] = '=';
		memcpy(out + a, val, b);
	}
	out[a + b] = 0;
	return 0;
}

/* Each option of e through map into l, or the line's error. */
static int map_options(struct cli *c, const struct tab_entry *e,
		       const struct opt_map *map, struct tab_line *l)
{
	unsigned i;

	for (i = 0; i < e->nopt; i++) {
		const struct tab_opt *o = &e->opt[i];
		const struct opt_map *m;
		char *arg = l->opts[l->nopts];
		const char *val;

		for (m = map; m->tab && strcmp(m->tab, o->key); m++)
			;
		if (!m->tab) {
			char what[64] = "unsupported option ";

			strncat(what, o->key, sizeof(what) - strlen(what) - 1);
			err_line(c->cmd, e->name, what);
			return -EINVAL;
		}
		if (m->how == LOCAL || (m->how == NOT_NO && !is_false(o->val)))
			continue;
		if (m->how != NOT_NO && (m->how == VALUE) != (o->val != NULL)) {
			err_line(c->cmd, o->key,
				 o->val ? "takes no value" : "needs a value");
			return -EINVAL;
		}
		val = o->val;
		if (m->how == VALUE && !strcmp(o->key, "fec-device") &&
		    val[0] != '/') {
			/* devices by name, like the others */
			char *path = l->paths[l->npaths];

			if (resolve_device(val, path, PATH_LEN))
				return -ENODEV;
			l->npaths++;
			val = path;
		}
		if (join_opt(arg, sizeof(l->opts[0]), m->cmd,
			     m->how == VALUE ? val : NULL))
			return -E2BIG;
		l->nopts++;
		if (add_arg(l, arg))
			return -E2BIG;
	}
	return 0;
}

static int build_verity(struct cli *c, const struct tab_entry *e,
			struct tab_line *l)
{
	return add_arg(l, "verity") || add_arg(l, "open") ||
			       add_dev(c, l, e->dev) || add_arg(l, e->name) ||
			       add_dev(c, l, e->hash) ||
			       add_arg(l, e->roothash) ||
			       map_options(c, e, verity_map, l)
		       ? -EINVAL
		       : 0;
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
	return add_arg(l, "crypt") || add_arg(l, "open") ||
			       add_arg(l, "--type=plain") ||
			       add_arg(l, *e->key == '%'
						  ? "--volume-key-keyring"
						  : "--key-file") ||
			       add_arg(l, e->key) || add_dev(c, l, e->dev) ||
			       add_arg(l, e->name) ||
			       map_options(c, e, crypt_map, l)
		       ? -EINVAL
		       : 0;
}

int tab_argv(struct cli *c, enum tab_kind kind, const struct tab_entry *e,
	     struct tab_line *l)
{
	return kind == TAB_VERITY ? build_verity(c, e, l)
				  : build_crypt(c, e, l);
}

static void print_dry_run(const char *name, const char *uuid, uint32_t flags,
			  const struct table *t)
{
	const struct dm_target_spec *spec;
	size_t off = 0;

	(void)uuid;
	(void)flags;
	while ((spec = table_spec(t, &off))) {
		out_str(name);
		out_str(": ");
		out_target(spec->sector_start, spec->length, spec->target_type,
			   (const char *)(spec + 1));
		out_ch('\n');
	}
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

	r = buf_read_file(&text, path);
	if (!r)
		r = buf_reserve(&text, 1); /* tab_init's NUL */
	if (r) {
		buf_free(&text);
		return optional && r == -ENOENT ? 0 : cli_fail(c, path, r);
	}
	tab_init(&rd, text.p, text.len);
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
		size_t n = 5 + fmt_u64(what + 5, rd.line);

		strncat(what + n, ": ", sizeof(what) - n - 1);
		strncat(what, rd.err, sizeof(what) - strlen(what) - 1);
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

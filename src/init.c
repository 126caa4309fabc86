/* SPDX-License-Identifier: MIT */
/* The boot sequence of dmboot as /init: mount the kernel's file systems,
 * load modules, read the kernel command line, wait for devices, activate
 * dm-mod.create=, mount root=, switch_root to the real init. Every failure
 * is one line on the console and in /dev/kmsg, then dmboot.onfail=. */
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "blkdev.h"
#include "boot.h"
#include "cmdline.h"
#include "devwait.h"
#include "dminit.h"
#include "ops.h"
#include "out.h"
#include "rawsys.h"
#include "resolve.h"
#include "tab-open.h"
#include "util.h"

#define CMDLINE_MAX 65536
#define PATH_LEN 256
#define TAB_MADE_MAX 32 /* lines of a tab file whose names are remembered */
/* Printing the plan is compiled in with DRY_RUN only. */
#define DRY(mode) (CFG_DRY_RUN && (mode) == INIT_DRY_RUN)
/* The kernel's fallbacks when init= is not given. */
static const char default_inits[] =
	"/sbin/init\0/etc/init\0/bin/init\0/bin/sh\0";

struct boot {
	struct dm_ctx *dm;
	enum init_mode mode;
	struct boot_cfg cfg;
	int kmsg;
	uint32_t budget; /* ms of waiting left for devices (dmboot.timeout=) */
	/* Verity is configured (dm-mod.create= with a verity target,
	 * roothash= or systemd.verity_root_*, a line in /etc/veritytab):
	 * the root must be a verity device this boot made (root_verified). */
	int verity_wanted;
	/* The dm devices there when /init started, and those that came
	 * since, which only this boot's steps make: the ones it made. */
	struct dev_set before, ours;
	char root[PATH_LEN];
};

/* Big and used once: not on the stack. */
static struct dminit dmi;

extern char **environ;

/* Nowhere else to report a failed write to. */
static void write_best(int fd, const void *p, size_t n)
{
	ssize_t w = write(fd, p, n);

	(void)w;
}

static void out_kn(const char *key, uint64_t n)
{
	out_str(key);
	out_u64(n);
	out_ch('\n');
}

/* "FIRST W1 W2...\n", NULL words left out. */
static void out_words(const char *first, const char *const *w, int n)
{
	int i;

	out_str(first);
	for (i = 0; i < n; i++) {
		if (w[i]) {
			out_ch(' ');
			out_str(w[i]);
		}
	}
	out_ch('\n');
}

/* Or'd into an error's level: for kmsg alone, the console has its line. */
#define KMSG_ONLY 8

/* "dmboot: init: a: b: c" on stderr and, as "<level>...", in /dev/kmsg.
 * Info (level > 3) goes to kmsg only: the console stays the real init's.
 * The kernel lets a process write 10 lines to kmsg in 5 s and drops the
 * rest: info is kept to one line per boot, so an error always gets in. */
static void say(struct boot *b, int level, const char *a, const char *s2,
		const char *s3)
{
	const char *parts[5] = {"dmboot", "init", a, s2, s3};
	char line[600];
	size_t n;

	line[0] = '<';
	line[1] = (char)('0' + (level & 7));
	line[2] = '>';
	n = 3 + msg_join(line + 3, sizeof(line) - 3, parts, 5);
	if (level <= 3) {
		out_flush();
		write_best(2, line + 3, n - 3);
	}
	if (b->kmsg >= 0 && !DRY(b->mode))
		write_best(b->kmsg, line, n);
}

static const char *reason(struct boot *b, int err, char *buf, size_t len)
{
	switch (-err) {
	case ETIMEDOUT:
		return "timed out";
	case SWITCH_ERR_NOT_PID1:
		return "not PID 1";
	case SWITCH_ERR_NOT_MOUNT:
		return "not a mount point";
	case SWITCH_ERR_NOT_INITRAMFS:
		return "/ is not ramfs or tmpfs";
	}
	return dm_strerror(b->dm, err, buf, len);
}

static __attribute__((noreturn)) void onfail(struct boot *b)
{
	static const char *const sh[] = {"sh", NULL};

	sync();
	switch (b->cfg.onfail) {
	case ONFAIL_SHELL:
		if (!access("/bin/sh", X_OK)) {
			say(b, 3, "onfail", "starting /bin/sh", NULL);
			execve("/bin/sh", (char **)sh, environ);
		}
		say(b, 3, "onfail", "no /bin/sh: panic instead", NULL);
		break;
	case ONFAIL_REBOOT:
		reboot(RB_AUTOBOOT);
		break;
	case ONFAIL_HALT:
		reboot(RB_HALT_SYSTEM);
		break;
	case ONFAIL_POWEROFF:
		reboot(RB_POWER_OFF);
		break;
	case ONFAIL_PANIC:
		break;
	}
	/* PID 1 exiting is a kernel panic: no unverified root is booted. */
	_exit(1);
}

/* The one way out of a failed step: the line, then the policy. */
static int fail(struct boot *b, const char *what, const char *detail,
		const char *why)
{
	say(b, 3, what, detail, why);
	if (b->mode == INIT_PID1)
		onfail(b);
	return 1;
}

/* A command init ran (verity, tab) failed and said why on stderr, where
 * one line is enough; kmsg, which it does not write to, gets init's. */
static int fail_ran(struct boot *b, const char *what, const char *detail)
{
	say(b, 3 | KMSG_ONLY, what, detail, NULL);
	if (b->mode == INIT_PID1)
		onfail(b);
	return 1;
}

static int fail_err(struct boot *b, const char *what, const char *detail,
		    int err)
{
	char buf[96];

	return fail(b, what, detail, reason(b, err, buf, sizeof(buf)));
}

/* The file NUL-terminated, -EFBIG from max bytes on. */
static int read_file(const char *path, struct buf *out, size_t max)
{
	int r = buf_read_file(out, path);

	if (!r && out->len >= max)
		r = -EFBIG;
	if (!r && !(r = buf_reserve(out, 1)))
		out->p[out->len] = 0;
	return r;
}

/* proc, sysfs, devtmpfs, tmpfs: mounted unless a script did already. */
static int mount_kernel_fs(struct boot *b)
{
	/* Fixed-size names, not pointers; the last two get mode=0755. */
	static const struct {
		char type[9], dir[6];
		unsigned char flags;
	} fs[] = {
		{"proc", "/proc", MS_NOSUID | MS_NOEXEC | MS_NODEV},
		{"sysfs", "/sys", MS_NOSUID | MS_NOEXEC | MS_NODEV},
		{"devtmpfs", "/dev", MS_NOSUID},
		{"tmpfs", "/run", MS_NOSUID | MS_NODEV},
	};
	struct stat root, st;
	size_t i;

	if (sys_stat("/", &root))
		return fail_err(b, "stat", "/", -errno);
	for (i = 0; i < ARRAY_SIZE(fs); i++) {
		mkdir(fs[i].dir, 0755);
		/* Mounted already (by a script, or on a running system): a
		 * second mount would hide the first. */
		if (!sys_stat(fs[i].dir, &st) && st.st_dev != root.st_dev)
			continue;
		if (mount(fs[i].type, fs[i].dir, fs[i].type, fs[i].flags,
			  i > 1 ? "mode=0755" : NULL) &&
		    errno != EBUSY)
			return fail_err(b, "mount", fs[i].dir, -errno);
	}
	/* Without /dev/console in the initramfs the kernel gave us no
	 * stdin, stdout or stderr. */
	if (write(2, "", 0) < 0) {
		int fd = sys_open("/dev/console", O_RDWR, 0);

		if (fd >= 0) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	b->kmsg = sys_open("/dev/kmsg", O_WRONLY | O_CLOEXEC, 0);
	return 0;
}

/* INIT_MODULES_LIST: a module a line, a path or a name under
 * INIT_MODULES_DIR (".ko" added), then its parameters; '#' comments. */
static int load_modules(struct boot *b)
{
	struct buf list = {0};
	char *line, *next;
	int r = read_file(INIT_MODULES_LIST, &list, 1 << 20);

	if (r == -ENOENT)
		return 0;
	if (r) {
		buf_free(&list);
		return fail_err(b, "read", INIT_MODULES_LIST, r);
	}
	for (line = list.p; line && !r; line = next) {
		char path[PATH_LEN], *params, *end;
		/* A name is looked for in the directory, with ".ko" added
		 * unless it has it, all cut to fit. */
		const char *dir = "", *ko = "", *cut = path + sizeof(path) - 1;
		int fd;

		next = str_chr(line, '\n');
		if (next)
			*next++ = 0;
		while (is_space(*line))
			line++;
		if (!*line || *line == '#')
			continue;
		for (end = line; *end && !is_space(*end); end++)
			;
		params = end;
		while (is_space(*params))
			params++;
		*end = 0;
		if (!str_chr(line, '/')) {
			dir = INIT_MODULES_DIR;
			if (end - line <= 3 || memcmp(end - 3, ".ko", 3))
				ko = ".ko";
			cut -= 3;
		}
		str_put(str_put(str_put(path, cut, dir), cut, line),
			path + sizeof(path) - 1, ko);
		if (DRY(b->mode)) {
			out_words(
				"module:",
				(const char *[]){path, *params ? params : NULL},
				2);
			continue;
		}
		fd = sys_open(path, O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0)
			r = fail_err(b, "module", path, -errno);
		else if ((r = module_load_fd(fd, params)))
			r = fail_err(b, "module rejected by the kernel", path,
				     r);
		if (fd >= 0)
			close(fd);
	}
	buf_free(&list);
	return r;
}

/* After a step that makes dm devices: the new ones are this boot's. A
 * list of those before that did not fit leaves ours empty: strict. */
static void mark_ours(struct boot *b)
{
	if (!DRY(b->mode) && !b->before.full && !b->ours.full)
		dev_set_add_dm(&b->ours, &b->before);
}

/* Waits from *budget (NULL: without limit; without INIT_WAIT: looks
 * once), ms given in all; the message names the device and the time, or
 * every device an ambiguous name matches. */
static int wait_budget(struct boot *b, const char *what, const char *spec,
		       uint32_t *budget, uint64_t ms, char *path)
{
	struct resolver rs = {.ours = &b->ours};
	char why[48];
	uint32_t none = 0;
	int r;

	r = dev_wait(&rs, spec, CFG_INIT_WAIT ? budget : &none, path, PATH_LEN);
	if (r == -ENOTUNIQ)
		return fail(b, what, rs.matches,
			    "refusing an ambiguous device");
	if (r == -ETIMEDOUT) {
		char *p = why;

		memcpy(p, "timed out after ", 16);
		p += 16;
		p += fmt_u64(p, ms % 1000 ? ms : ms / 1000);
		memcpy(p, ms % 1000 ? " ms" : " s", 4);
		return fail(b, what, spec, why);
	}
	if (r == -EINVAL)
		return fail(b, what, spec, "not a device name dmboot knows");
	if (r == -EOPNOTSUPP)
		return fail(b, what, spec, "this kind of name is not built in");
	return r ? fail_err(b, what, spec, r) : 0;
}

/* Waits from b->budget, secs given in all (0: without limit). */
static int wait_dev(struct boot *b, const char *what, const char *spec,
		    uint32_t secs, char *path)
{
	return wait_budget(b, what, spec, secs ? &b->budget : NULL,
			   secs * 1000ull, path);
}

static void print_plan_device(const struct dminit_dev *d)
{
	out_str("create: ");
	out_str(d->name);
	out_ch(',');
	out_str(d->uuid);
	out_ch(',');
	if (d->flags & DM_PERSISTENT_DEV_FLAG)
		out_u64(d->dev);
	out_str(d->flags & DM_READONLY_FLAG ? ",ro\n" : ",rw\n");
	tab_out_table("table: ", d->name, &d->t);
}

/* dm-mod.create=: parse, then create each device in order as dm-init
 * does, with its /dev/mapper node and udev database entry. */
static int activate(struct boot *b)
{
	char where[160], *p;
	unsigned i;
	int r;

	if (!CFG_INIT_DM_MOD_CREATE || !b->cfg.dm_create)
		return 0;
	r = dminit_parse(&dmi, b->cfg.dm_create);
	if (r) {
		/* device N (NAME), target N: "WORD": the name cut to 64
		 * bytes, the word to what fits before its closing quote. */
		const char *n = dmi.err_dev && dmi.err_dev <= dmi.n
					? dmi.dev[dmi.err_dev - 1].name
					: NULL;
		const char *end = where + sizeof(where) - 3;

		p = str_put(where, end, "device ");
		p += fmt_u64(p, dmi.err_dev);
		if (n && *n) {
			p = str_put(p, end, " (");
			p = str_put(str_put(p, p + 64, n), end, ")");
		}
		if (dmi.err_target) {
			p = str_put(p, end, ", target ");
			p += fmt_u64(p, dmi.err_target);
		}
		if (dmi.err_word)
			str_put(str_put(str_put(p, end, ": \""), end,
					dmi.err_word),
				end + 1, "\"");
		/* One dminit_free below: nothing said needs dmi's tables. */
		r = fail(b, "dm-mod.create", dmi.err_dev ? where : NULL,
			 dmi.err);
	}
	for (i = 0; i < dmi.n && !r; i++) {
		struct dminit_dev *d = &dmi.dev[i];
		const struct dm_target_spec *spec;
		uint32_t major, minor;
		size_t off = 0;
		char num[24];

		while ((spec = table_spec(&d->t, &off)))
			if (!strcmp(spec->target_type, "verity"))
				b->verity_wanted = 1;

		if (DRY(b->mode)) {
			print_plan_device(d);
			continue;
		}
		r = dm_create(b->dm, d->name, *d->uuid ? d->uuid : NULL, d->dev,
			      d->flags, &d->t);
		if (r) {
			r = fail_err(b, "dm-mod.create", d->name, r);
			break;
		}
		major = dm_dev_major(b->dm->io->dev);
		minor = dm_dev_minor(b->dm->io->dev);
		p = num + fmt_u64(num, major);
		*p++ = ':';
		fmt_u64(p, minor);
		if (CFG_INIT_UDEV_DB && (r = udev_db_add(major, minor)))
			r = fail_err(b, "udev database", num, r);
	}
	dminit_free(&dmi);
	mark_ours(b);
	return r;
}

/* The udev database entry of a device a command made (verity, tab);
 * one that is not there is an error only if it must be. */
static int udev_db_name(struct boot *b, const char *name, int must)
{
	struct dm_info info;
	int r;

	if (!CFG_INIT_UDEV_DB || DRY(b->mode))
		return 0;
	r = dm_get_info(b->dm, name, 0, &info);
	if (r == -ENXIO && !must)
		return 0;
	if (!r)
		r = udev_db_add(info.major, info.minor);
	return r ? fail_err(b, "udev database", name, r) : 0;
}

/* Is spec /dev/mapper/NAME for a NAME among made[n]? */
static int made_before(const char *spec, const char *const *made, unsigned n)
{
	static const char mapper[] = "/dev/mapper/";

	if (!str_prefix(spec, mapper))
		return 0;
	while (n--)
		if (!strcmp(spec + sizeof(mapper) - 1, made[n]))
			return 1;
	return 0;
}

/* With LOOP_FILES a line may name an image file, in the initramfs or on
 * a file system mounted before: there is nothing to wait for. */
static int image_file(const char *spec)
{
	struct stat st;

	return CFG_LOOP_FILES && !sys_stat(spec, &st) && S_ISREG(st.st_mode);
}

/* The lines of a tab file (and, for crypttab, rd.luks.*) so far. */
struct tab_run {
	const char *path;
	enum tab_kind kind;
	/* Names of the lines so far: a line may name the device an earlier
	 * line of the file made. */
	const char *made[TAB_MADE_MAX];
	unsigned nmade;
	int failed;
};

/* One line: waits for the devices it names, from the budget (nofail
 * ones are looked for once, as systemd does not hold the boot for
 * them), is made active on the devices found (tab_line_activate, as
 * the tab command does), and gets its udev database entry. A line that
 * fails says why and sets tr->failed; 0, or what wait_dev returned. */
static int run_line(struct boot *b, struct tab_run *tr, struct tab_entry *e)
{
	const char **dev[2] = {&e->dev,
			       tr->kind == TAB_VERITY ? &e->hash : NULL};
	static char where[2][PATH_LEN];
	int nofail = tab_opt(e, "nofail") != NULL, made_it, r = 0, span;
	uint32_t none = 0, span_ms = 0, left;
	unsigned i;

	/* Any line, noauto or nofail too: the root is to be one. */
	if (tr->kind == TAB_VERITY)
		b->verity_wanted = 1;
	if (tab_opt(e, "noauto"))
		return 0;
	/* x-systemd.device-timeout=: the line's devices wait that long
	 * (0: for ever) instead of from dmboot.timeout='s budget. */
	span = tab_device_timeout("tab", e, &span_ms);
	left = span_ms;
	for (i = 0; i < 2 && dev[i] && !r && span >= 0; i++) {
		if (made_before(*dev[i], tr->made, tr->nmade) ||
		    image_file(*dev[i]))
			continue;
		if (DRY(b->mode)) {
			out_kv("waitfor: ", *dev[i]);
		} else if (nofail) {
			struct resolver rs = {.ours = &b->ours};

			/* Not there: the line says so itself. */
			if (!dev_wait(&rs, *dev[i], &none, where[i],
				      sizeof(where[i])))
				*dev[i] = where[i];
		} else if (!(r = span ? wait_budget(b, tr->path, *dev[i],
						    span_ms ? &left : NULL,
						    span_ms, where[i])
				      : wait_dev(b, tr->path, *dev[i],
						 b->cfg.timeout, where[i]))) {
			*dev[i] = where[i];
		}
	}
	if (tr->nmade < TAB_MADE_MAX)
		tr->made[tr->nmade++] = e->name;
	if (span < 0) /* said already: fails as any line */
		tr->failed |= !nofail;
	if (r || DRY(b->mode))
		return r;
	made_it =
		span < 0 ? span : tab_line_activate(b->dm, "tab", tr->kind, e);
	mark_ours(b);
	if (made_it < 0)
		tr->failed |= !nofail;
	else
		r = udev_db_name(b, e->name, !nofail);
	return r;
}

/* The LUKS UUID a crypttab line names: its device UUID=... or
 * /dev/disk/by-uuid/..., or its name luks-..., as systemd's generator
 * matches lines to rd.luks.uuid=; NULL for none. */
static const char *tab_luks_uuid(const struct tab_entry *e)
{
	static const char by[] = "/dev/disk/by-uuid/";

	if (str_prefix(e->dev, "UUID="))
		return e->dev + 5;
	if (str_prefix(e->dev, by))
		return e->dev + sizeof(by) - 1;
	return str_prefix(e->name, "luks-") ? e->name + 5 : NULL;
}

/* e's options replaced by opts (rd.luks.options=), split in a copy:
 * the text stays as given for another line. 0, or the error's. */
static int luks_options(struct boot *b, struct tab_entry *e, const char *opts,
			char *copy, size_t size)
{
	struct tab_reader rd = {0};

	e->nopt = 0;
	if (!opts)
		return 0;
	if (strlen(opts) >= size)
		return fail(b, "rd.luks.options", opts, "too long");
	memcpy(copy, opts, strlen(opts) + 1);
	if (tab_opts_parse(&rd, copy, e))
		return fail(b, "rd.luks.options", opts, rd.err);
	return 0;
}

#define LUKS_OPTS_LEN 1024
/* The volumes rd.luks.uuid= and rd.luks.name= name that no crypttab line
 * did, as lines of their own: named luks-UUID unless named, on UUID=,
 * with their key file and options or the ones given for all. */
static int run_luks_lines(struct boot *b, struct tab_run *tr)
{
	static char names[BOOT_MAX_LUKS][DM_NAME_LEN],
		devs[BOOT_MAX_LUKS][PATH_LEN];
	static char opts[BOOT_MAX_LUKS][LUKS_OPTS_LEN];
	static struct tab_entry e;
	const struct boot_luks *all = &b->cfg.luks[BOOT_LUKS_DEFAULT];
	unsigned i;
	int r = 0;

	for (i = 0; CFG_INIT_LUKS && i < b->cfg.nluks && !r; i++) {
		const struct boot_luks *l = &b->cfg.luks[i];
		const char *key = l->key ? l->key : all->key;
		size_t n = strlen(l->uuid);

		if (!l->create)
			continue;
		if (n + 6 > sizeof(devs[i]) ||
		    (!l->name && n + 6 > DM_NAME_LEN))
			return fail(b, "rd.luks.uuid", l->uuid, "too long");
		memset(&e, 0, sizeof(e));
		str_put(str_put(devs[i], devs[i] + PATH_LEN - 1, "UUID="),
			devs[i] + PATH_LEN - 1, l->uuid);
		if (!l->name)
			str_put(str_put(names[i], names[i] + DM_NAME_LEN - 1,
					"luks-"),
				names[i] + DM_NAME_LEN - 1, l->uuid);
		e.name = l->name ? l->name : names[i];
		e.dev = devs[i];
		/* crypttab's spellings of "no key file": the prompt */
		e.key = !key || !*key || !strcmp(key, "none") ||
					!strcmp(key, "-")
				? NULL
				: key;
		if ((r = luks_options(b, &e,
				      l->options ? l->options : all->options,
				      opts[i], LUKS_OPTS_LEN)))
			return r;
		if (DRY(b->mode))
			out_words("rd.luks:",
				  (const char *[]){e.name, e.dev,
						   e.key ? e.key : "none",
						   l->options ? l->options
							      : all->options},
				  4);
		r = run_line(b, tr, &e);
	}
	return r;
}

/* A tab file, read once, its lines in order (noauto ones aside), each
 * through run_line; for crypttab, the lines rd.luks.* makes then join
 * (and, once it names UUIDs, only crypttab lines of those run, with the
 * options it gives them). A line that fails says why and the others
 * still run; then the file fails. */
static int run_tab(struct boot *b, const char *path, enum tab_kind kind,
		   int file)
{
	static char opts[LUKS_OPTS_LEN];
	struct buf text = {0};
	struct tab_reader rd;
	static struct tab_entry e;
	static struct tab_run tr;
	int r = file ? tab_read(&text, path, &rd) : -ENOENT, n = 0;
	int luks = CFG_INIT_LUKS && kind == TAB_CRYPT, read = !r;

	memset(&tr, 0, sizeof(tr));
	tr.path = path;
	tr.kind = kind;
	if (r && r != -ENOENT)
		return fail_err(b, "read", path, r);
	if (!luks && !read)
		return 0;
	r = 0;
	while (read && !r && (n = tab_next(&rd, kind, &e)) > 0) {
		const char *uuid = luks ? tab_luks_uuid(&e) : NULL;
		struct boot_luks *l =
			uuid ? boot_luks_find(&b->cfg, uuid) : NULL;

		if (luks && b->cfg.luks_allow_list && !l)
			continue; /* not named on the command line */
		if (l) {
			l->create = 0; /* this line stands for it */
			if (l->options &&
			    (r = luks_options(b, &e, l->options, opts,
					      sizeof(opts))))
				break;
		}
		r = run_line(b, &tr, &e);
	}
	/* A line the parser refuses fails the file, as in the tab command;
	 * a dry run prints the waits up to it. */
	if (!r && n < 0 && !DRY(b->mode)) {
		tab_err_line("tab", path, &rd);
		tr.failed = 1;
	}
	if (!r && luks)
		r = run_luks_lines(b, &tr);
	buf_free(&text);
	if (r)
		return r;
	if (DRY(b->mode) && read)
		out_kv("tab: ", path);
	/* Without the file, the lines were all rd.luks.*'s. */
	return tr.failed ? fail_ran(b, read ? path : "rd.luks",
				    "not every line was activated")
			 : 0;
}

/* /etc/crypttab, then /etc/veritytab: a verity line may name a crypt
 * device. */
static int run_tabs(struct boot *b)
{
	static const char *const files[] = {"/etc/crypttab", "/etc/veritytab"};
	unsigned i;
	int r = 0;

	for (i = 0; CFG_INIT_TABS && i < 2 && !r; i++) {
		/* systemd.verity=no, veritytab=no, luks=no, luks.crypttab=no
		 * (rd.luks.uuid= still counts) */
		if (i ? b->cfg.no_verity || b->cfg.no_veritytab
		      : b->cfg.no_luks || (b->cfg.no_crypttab && !b->cfg.nluks))
			continue;
		r = run_tab(b, files[i], i ? TAB_VERITY : TAB_CRYPT,
			    i || !b->cfg.no_crypttab);
	}
	return r;
}

int init_verity_open(const struct dm_ctx *ctx, struct boot_cfg *cfg,
		     const char *data, const char *hash, struct tab_open *t)
{
	struct tab_reader rd = {0};
	struct tab_entry e; /* t points into what e points to, not e */

	memset(&e, 0, sizeof(e));
	e.name = "root";
	e.dev = data;
	e.hash = hash;
	e.roothash = cfg->roothash;
	if (cfg->verity_options) {
		/* Split in place, once. */
		if (tab_opts_parse(&rd, cfg->verity_options, &e)) {
			err_line("init", "systemd.verity_root_options", rd.err);
			return -E2BIG;
		}
		cfg->verity_options = NULL;
	}
	return tab_open_fill(ctx, "init", TAB_VERITY, &e, t);
}

/* roothash=: /dev/mapper/root through "verity open", on the devices
 * named or on the GPT partitions the hash names. */
static int verity_root(struct boot *b)
{
	static const char *const what[2] = {"systemd.verity_root_data",
					    "systemd.verity_root_hash"};
	static struct tab_open t;
	char spec[2][ROOTHASH_PARTUUID_SIZE], path[2][PATH_LEN];
	const char *dev[2] = {b->cfg.verity_data, b->cfg.verity_hash};
	unsigned i;
	int r;

	/* rd.systemd.verity=0 dropped roothash= but not the others. A
	 * build without roothash= cannot make the root it asks for. */
	if (b->cfg.roothash ||
	    (!b->cfg.no_verity && (b->cfg.verity_data || b->cfg.verity_hash)))
		b->verity_wanted = 1;
	if (!CFG_INIT_SYSTEMD_VERITY || !b->cfg.roothash)
		return 0;
	for (i = 0; i < 2; i++) {
		if (!dev[i]) {
			roothash_partuuid(b->cfg.roothash, (int)i, spec[i]);
			dev[i] = spec[i];
		}
		if (DRY(b->mode))
			continue;
		if ((r = wait_dev(b, what[i], dev[i], b->cfg.timeout, path[i])))
			return r;
		dev[i] = path[i];
	}
	if (DRY(b->mode)) {
		out_words("verity: root",
			  (const char *[]){dev[0], dev[1], b->cfg.roothash,
					   b->cfg.verity_options},
			  4);
		return 0;
	}
	if (init_verity_open(b->dm, &b->cfg, dev[0], dev[1], &t))
		return fail_ran(b, "roothash",
				"systemd.verity_root_options refused");
	r = tab_open_activate(b->dm, &t);
	mark_ours(b);
	if (r)
		return fail_ran(b, "roothash", "/dev/mapper/root not made");
	return udev_db_name(b, "root", 1);
}

/* Nested dm devices under the root deeper than this are refused. */
#define VERIFIED_DEPTH 8
#define VERIFIED_DEPS_MAX 16

/* Is dev (dm's encoding) a device this boot made whose every byte is
 * verified: all its targets verity, or its targets (crypt, linear...)
 * on devices that are so themselves, and at least one? Asks the kernel
 * for the tables, not what the configuration said. */
static int verified_dev(struct boot *b, uint64_t dev, int depth)
{
	struct dm_req req = {.dev = dev, .flags = DM_STATUS_TABLE_FLAG};
	uint64_t deps[VERIFIED_DEPS_MAX];
	const uint64_t *d;
	struct dm_target t;
	struct dm_walk w;
	uint32_t n, i, targets = 0, verity = 0;
	int r;

	if (depth < 0 ||
	    !dev_set_has(&b->ours,
			 DEV_PACK(dm_dev_major(dev), dm_dev_minor(dev))) ||
	    dm_call_walk(b->dm, DM_CMD_TABLE_STATUS, &req, &w))
		return 0;
	while ((r = dm_walk_targets(&w, &t)) > 0) {
		targets++;
		verity += !strcmp(t.type, "verity");
	}
	if (r < 0 || !targets)
		return 0;
	if (verity == targets)
		return 1;
	req.flags = 0;
	if (dm_call(b->dm, DM_CMD_TABLE_DEPS, &req) ||
	    dm_reply_deps(b->dm->io, &d, &n) || !n || n > VERIFIED_DEPS_MAX)
		return 0;
	memcpy(deps, d, n * sizeof(*d));
	for (i = 0; i < n; i++)
		if (!verified_dev(b, deps[i], depth - 1))
			return 0;
	return 1;
}

/* With verity configured, the root mounted is a verified device this
 * boot made (verified_dev), checked on the device node just before the
 * mount; its device number in *dev, for the check after. */
static int root_verified(struct boot *b, uint64_t *dev)
{
	uint32_t major, minor;
	int r = blkdev_devno(b->root, &major, &minor);

	if (r)
		return fail_err(b, "root", b->root, r);
	*dev = DEV_PACK(major, minor);
	if (!verified_dev(b, dm_dev_encode(major, minor), VERIFIED_DEPTH))
		return fail(b, "root", b->root,
			    "verity is configured, but this is not a verity "
			    "device this boot made");
	return 0;
}

static int try_mount(const char *dev, const char *type, unsigned long flags,
		     const char *data)
{
	return mount(dev, INIT_NEWROOT, type, flags | MS_SILENT, data) ? -errno
								       : 0;
}

/* As the kernel mounts root=: each type of rootfstype= (or every block
 * file system the kernel knows), read-only if asked or if read-write
 * is refused. */
static int mount_root(struct boot *b)
{
	struct buf types = {0};
	unsigned long flags = b->cfg.ro ? MS_RDONLY : 0;
	const char *data = b->cfg.rootflags;
	char *t, *end, sep = ',';
	int r, proc = !b->cfg.rootfstype;

	mkdir(INIT_NEWROOT, 0755);
	if (proc) {
		/* "nodev\tproc\n" or "\text4\n": the block ones. */
		r = read_file("/proc/filesystems", &types, 1 << 16);
		sep = '\n';
	} else {
		/* "ext4,squashfs", its NUL left out of len as read_file
		 * leaves it (on failure len does not matter) */
		r = buf_add(&types, b->cfg.rootfstype,
			    strlen(b->cfg.rootfstype) + 1);
		types.len--;
	}
	if (r) {
		buf_free(&types);
		return fail_err(b, "mount", b->root, r);
	}
	/* The names NUL-terminated in place; the first empty one ends the
	 * list. */
	end = types.p + types.len;
	for (t = types.p; (t = str_chr(t, sep));)
		*t++ = 0;
	for (;;) {
		r = -ENODEV;
		for (t = types.p; t < end; t += strlen(t) + 1) {
			char *name = t;

			if (proc && str_prefix(t, "nodev"))
				continue;
			while (proc && is_space(*name))
				name++;
			if (!*name)
				break;
			r = try_mount(b->root, name, flags, data);
			if (r != -EINVAL && r != -ENODEV && r != -EACCES &&
			    r != -ENOTBLK)
				break;
		}
		if (!r || flags & MS_RDONLY ||
		    (r != -EACCES && r != -EROFS && r != -EINVAL))
			break;
		flags |= MS_RDONLY;
	}
	buf_free(&types);
	return r ? fail_err(b, "mount", b->root, r) : 0;
}

/* The init to run: init= or the first of the kernel's fallbacks that is
 * on the new root (looked up without following links: they point into
 * the new root, not into the initramfs). */
static const char *pick_init(struct boot *b)
{
	const char *p = b->cfg.init ? b->cfg.init : default_inits;
	char path[PATH_LEN];
	struct stat st;

	for (; *p; p += strlen(p) + 1) {
		size_t n = strlen(p);

		if (n + sizeof(INIT_NEWROOT) > sizeof(path))
			continue;
		memcpy(path, INIT_NEWROOT, sizeof(INIT_NEWROOT) - 1);
		memcpy(path + sizeof(INIT_NEWROOT) - 1, p, n + 1);
		if (!sys_lstat(path, &st) || b->cfg.init)
			return p;
	}
	return NULL;
}

static int run_init(struct boot *b, int argc, char **args)
{
	const char *init, *step;
	char *argv[258];
	int i, r;

	if (DRY(b->mode))
		init = b->cfg.init ? b->cfg.init : default_inits;
	else
		init = pick_init(b);
	if (!init)
		return fail(b, "no init on the new root",
			    "tried /sbin/init, /etc/init, /bin/init, /bin/sh",
			    NULL);
	if (argc > 256)
		argc = 256;
	argv[0] = (char *)init;
	for (i = 0; i < argc; i++)
		argv[i + 1] = args[i];
	argv[argc + 1] = NULL;
	if (DRY(b->mode)) {
		out_words("init:", (const char *const *)argv, argc + 1);
		return 0;
	}
	if (!CFG_INIT_SWITCH_ROOT)
		return fail(b, "switch_root", "not built into this dmboot",
			    NULL);
	say(b, 6, "switch_root", INIT_NEWROOT, init);
	r = switch_root(INIT_NEWROOT, &step);
	if (r)
		return fail_err(b, "switch_root", step, r);
	execve(init, argv, environ);
	return fail_err(b, "exec", init, -errno);
}

static void print_plan(struct boot *b)
{
	const char *n = ONFAIL_NAMES;
	unsigned i;

	for (i = 0; i < b->cfg.onfail; i++)
		n += strlen(n) + 1;
	out_kv("onfail: ", n);
	out_kn("timeout: ", b->cfg.timeout);
	if (b->cfg.rootdelay)
		out_kn("rootdelay: ", b->cfg.rootdelay);
	for (i = 0; i < b->cfg.nwaitfor; i++) {
		out_kv("waitfor: ", b->cfg.waitfor[i]);
	}
}

static void print_root(struct boot *b)
{
	out_kv("root: ", b->cfg.root);
	out_kv("rootfstype: ", b->cfg.rootfstype ? b->cfg.rootfstype : "auto");
	if (b->cfg.rootflags)
		out_kv("rootflags: ", b->cfg.rootflags);
	out_str(b->cfg.ro ? "mount: ro\n" : "mount: rw\n");
	if (b->cfg.rootwait && b->cfg.rootwait_s)
		out_kn("rootwait: ", b->cfg.rootwait_s);
	else if (b->cfg.rootwait)
		out_kv("rootwait: ", "forever");
}

int init_run(struct dm_ctx *dm, enum init_mode mode, const char *cmdline,
	     int argc, char **args)
{
	struct boot b = {.dm = dm, .mode = mode, .kmsg = -1};
	struct buf line = {0};
	unsigned i;
	int r;

	if (!DRY(mode) && (r = mount_kernel_fs(&b)))
		return r;
	/* Before anything that could make a dm device; an earlier stage's
	 * are not this boot's. Without /sys/class/block none are. */
	if (!DRY(mode) && dev_set_add_dm(&b.before, NULL) == -ENOSPC)
		b.ours.full = 1;
	if (cmdline)
		r = buf_add(&line, cmdline, strlen(cmdline) + 1);
	else
		r = read_file("/proc/cmdline", &line, CMDLINE_MAX);
	if (r) {
		buf_free(&line);
		return fail_err(&b, "read", "/proc/cmdline", r);
	}
	while (line.len &&
	       (line.p[line.len - 1] == '\n' || !line.p[line.len - 1]))
		line.p[--line.len] = 0;
	if (DRY(mode))
		out_kv("cmdline: ", line.p);
	if (boot_cfg_parse(&b.cfg, line.p)) {
		r = fail(&b, "kernel command line", b.cfg.err_param, b.cfg.err);
		goto out;
	}
	if (DRY(mode))
		print_plan(&b);
	if (CFG_INIT_MODULES && (r = load_modules(&b)))
		goto out;
	if (b.cfg.rootdelay && !DRY(mode))
		sleep_ms(b.cfg.rootdelay * 1000);
	b.budget = b.cfg.timeout * 1000;
	for (i = 0; i < b.cfg.nwaitfor && !DRY(mode); i++) {
		char path[PATH_LEN];

		if ((r = wait_dev(&b, "dm-mod.waitfor", b.cfg.waitfor[i],
				  b.cfg.timeout, path)))
			goto out;
	}
	if ((r = activate(&b)) || (r = run_tabs(&b)) || (r = verity_root(&b)) ||
	    mode == INIT_ACTIVATE)
		goto out;
	if (!b.cfg.root || !*b.cfg.root) {
		r = fail(&b, "no root= on the kernel command line", NULL, NULL);
		goto out;
	}
	if (DRY(mode)) {
		print_root(&b);
	} else {
		uint32_t secs = b.cfg.timeout;
		uint64_t dev = 0;
		struct stat st;

		/* rootwait: without limit; rootwait=N: N seconds. */
		if (b.cfg.rootwait) {
			secs = b.cfg.rootwait_s;
			b.budget = secs * 1000;
		}
		if ((r = wait_dev(&b, "root", b.cfg.root, secs, b.root)) ||
		    (b.verity_wanted && (r = root_verified(&b, &dev))) ||
		    (r = mount_root(&b)))
			goto out;
		/* The node could have been swapped between the check and
		 * the mount: what is mounted is what was checked. */
		if (b.verity_wanted &&
		    (sys_stat(INIT_NEWROOT, &st) ||
		     DEV_PACK(major(st.st_dev), minor(st.st_dev)) != dev)) {
			umount2(INIT_NEWROOT, MNT_DETACH);
			r = fail(&b, "root", b.root,
				 "the mounted device is not the one checked");
			goto out;
		}
	}
	r = run_init(&b, argc, args);
out:
	buf_free(&line);
	return r;
}

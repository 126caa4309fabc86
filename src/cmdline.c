/* SPDX-License-Identifier: MIT */
#include "cmdline.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "config.h"
#include "util.h"

/* The kernel's isspace(): Latin-1's no-break space is one too. */
static int kspace(int c)
{
	return is_space(c) || (unsigned char)c == 0xa0;
}

static char *skip_kspace(char *s)
{
	while (kspace(*s))
		s++;
	return s;
}

char *cmdline_next(char *args, char **param, char **val)
{
	unsigned i, equals = 0;
	int in_quote = 0, quoted = 0;

	if (*args == '"') {
		args++;
		in_quote = quoted = 1;
	}
	for (i = 0; args[i]; i++) {
		if (kspace(args[i]) && !in_quote)
			break;
		/* "=x=y": a '=' in the first place does not count. */
		if (!equals && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}
	*param = args;
	*val = NULL;
	if (equals) {
		args[equals] = 0;
		*val = args + equals + 1;
		if (**val == '"') {
			(*val)++;
			if (args[i - 1] == '"')
				args[i - 1] = 0;
		}
	}
	if (quoted && i && args[i - 1] == '"')
		args[i - 1] = 0;
	if (args[i])
		args[i++] = 0;
	return skip_kspace(args + i);
}

int cmdline_param_eq(const char *a, const char *b)
{
	for (;; a++, b++) {
		char x = *a == '-' ? '_' : *a, y = *b == '-' ? '_' : *b;

		if (x != y)
			return 0;
		if (!x)
			return 1;
	}
}

/* Leading decimal digits, as simple_strtoul reads them; junk after is
 * ignored (rootdelay=, rootwait= are that lenient in the kernel). */
static int lenient_u32(const char *s, uint32_t *out)
{
	size_t n = 0;
	uint64_t v;

	while (s[n] >= '0' && s[n] <= '9')
		n++;
	if (!n || n > 9 || parse_u64(s, n, &v))
		return -EINVAL;
	/* Kept where seconds in milliseconds fit 32 bits (46 days). */
	*out = v > CMDLINE_MAX_SECONDS ? CMDLINE_MAX_SECONDS : (uint32_t)v;
	return 0;
}

static int fail(struct boot_cfg *c, const char *param, const char *why)
{
	c->err = why;
	c->err_param = param;
	return -EINVAL;
}

static int split_waitfor(struct boot_cfg *c, const char *param, char *v)
{
	c->nwaitfor = 0;
	for (;;) {
		char *comma = str_chr(v, ',');

		if (c->nwaitfor == BOOT_MAX_WAITFOR)
			return fail(c, param, "can only take 256 arguments");
		if (comma)
			*comma = 0;
		if (!*v)
			return fail(c, param, "empty device name");
		c->waitfor[c->nwaitfor++] = v;
		if (!comma)
			return 0;
		v = comma + 1;
	}
}

/* The index of s among the strings of list (kernel parameter names:
 * '-' and '_' alike), -1 if none; *list then points at it. */
static int find_word(const char **list, const char *s)
{
	int i;

	for (i = 0; **list; i++, *list += strlen(*list) + 1)
		if (cmdline_param_eq(s, *list))
			return i;
	return -1;
}

/* Even-length hex, as veritysetup takes a root hash. */
static size_t hex_len(const char *s)
{
	size_t n;

	for (n = 0; s[n]; n++)
		if (!((s[n] >= '0' && s[n] <= '9') ||
		      ((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'f')))
			return 0;
	return n & 1 ? 0 : n;
}

void roothash_partuuid(const char *roothash, int last, char *out)
{
	const char *h = roothash + (last ? strlen(roothash) - 32 : 0);
	unsigned i;

	memcpy(out, "PARTUUID=", 9);
	out += 9;
	for (i = 0; i < 32; i++) {
		if (i == 8 || i == 12 || i == 16 || i == 20)
			*out++ = '-';
		*out++ = (char)(h[i] | (h[i] >= 'A' ? 0x20 : 0));
	}
	*out = 0;
}

/* systemd's generators: roothash= alone finds its partitions by the
 * hash and makes /dev/mapper/root, which then is root= unless given. */
static int systemd_verity_check(struct boot_cfg *c)
{
	size_t n;

	if (!c->roothash)
		return 0;
	n = hex_len(c->roothash);
	if (!n)
		return fail(c, "roothash", "not a hexadecimal hash");
	if (n < ROOTHASH_MIN_HEX && (!c->verity_data || !c->verity_hash))
		return fail(c, "roothash",
			    "under 128 bits: name systemd.verity_root_data= "
			    "and systemd.verity_root_hash=");
	if (!c->root)
		c->root = (char *)"/dev/mapper/root";
	return 0;
}

/* systemd's parse_boolean(): 1, 0, or -1 for neither. */
static int sd_bool(const char *v)
{
	const char *w = "1\0yes\0y\0true\0t\0on\0"
			"0\0no\0n\0false\0f\0off\0";
	int i = find_word(&w, v);

	return i < 0 ? -1 : i < 6;
}

/* systemd's switches, with or without "rd.": dmboot is always the initrd,
 * where both spellings count and the last one given wins. A value that is
 * no boolean is ignored, as systemd ignores it. */
static void sd_switch(struct boot_cfg *c, const char *param, const char *val)
{
	const char *n = "systemd.verity\0veritytab\0luks\0luks.crypttab\0";
	static const unsigned char off[] = {
		offsetof(struct boot_cfg, no_verity),
		offsetof(struct boot_cfg, no_veritytab),
		offsetof(struct boot_cfg, no_luks),
		offsetof(struct boot_cfg, no_crypttab)};
	int i, b;

	if (str_prefix(param, "rd."))
		param += 3;
	i = find_word(&n, param);
	if (i >= 0 && (b = sd_bool(val)) >= 0)
		((uint8_t *)c)[off[i]] = (uint8_t)!b;
}

/* systemd's UUID characters: the part before '=' in rd.luks.name=,
 * .options= and .key=; 0 when s has none but them up to end. */
static size_t uuid_span(const char *s, const char *end)
{
	size_t n;

	for (n = 0; s + n < end; n++)
		if (!((s[n] >= '0' && s[n] <= '9') || s[n] == '-' ||
		      ((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'f')))
			return 0;
	return n;
}

struct boot_luks *boot_luks_find(struct boot_cfg *c, const char *uuid)
{
	unsigned i;

	for (i = 0; i < c->nluks; i++) {
		const char *a = c->luks[i].uuid, *b = uuid;

		while (*a && (*a | 0x20) == (*b | 0x20))
			a++, b++;
		if (!*a && !*b)
			return &c->luks[i];
	}
	return NULL;
}

/* rd.luks.uuid=, .name=, .options=, .key= (luks.* alike): which (0 to
 * 3) with val. A UUID=VALUE form names an entry, made here; options and
 * key without one are the default. .data= (4), a detached header's data
 * device, is refused: ignored, the header device would be opened as the
 * volume. */
static int luks_param(struct boot_cfg *c, const char *param, int which,
		      char *val)
{
	char *eq = str_chr(val, '='), *uuid = val;
	struct boot_luks *l = &c->luks[BOOT_LUKS_DEFAULT];

	if (which == 4)
		return fail(c, param,
			    "a detached header's data device is not "
			    "supported: use a crypttab line with header=");

	if (which == 0) {
		eq = val + strlen(val);
		if (str_prefix(uuid, "luks-"))
			uuid += 5;
	}
	if (eq && eq > uuid && uuid_span(uuid, eq) == (size_t)(eq - uuid)) {
		*eq = 0;
		if (!(l = boot_luks_find(c, uuid))) {
			if (c->nluks == BOOT_MAX_LUKS)
				return fail(c, param,
					    "can only name 16 LUKS UUIDs");
			l = &c->luks[c->nluks++];
			l->uuid = uuid;
		}
		val = which ? eq + 1 : eq;
	} else if (which < 2) {
		return fail(c, param,
			    which ? "not UUID=NAME" : "not a LUKS UUID");
	}
	switch (which) {
	case 0:
		l->create = c->luks_allow_list = 1;
		break;
	case 1:
		if (!*val)
			return fail(c, param, "empty name");
		l->name = val;
		l->create = c->luks_allow_list = 1;
		break;
	case 2:
		l->options = val;
		break;
	default:
		/* KEYFILE:KEYDEV: the key on a device to mount first */
		if (str_chr(val, ':'))
			return fail(c, param,
				    "a key file on another device "
				    "(KEYFILE:KEYDEV) is not supported: "
				    "put it in the initramfs");
		l->key = val;
	}
	return 0;
}

/* The parameters that take a value, by index: the first ones are strings
 * kept as given, at str_at's offsets of the struct (STR_SD ones only for
 * systemd's verity root). */
static const char val_params[] =
	"root\0rootfstype\0rootflags\0init\0dm-mod.create\0"
	"roothash\0systemd.verity_root_data\0systemd.verity_root_hash\0"
	"systemd.verity_root_options\0"
	"rootdelay\0rootwait\0dm-mod.waitfor\0dmboot.timeout\0dmboot.onfail\0";
enum { STR_SD = 5, ROOTDELAY = 9, ROOTWAIT, WAITFOR, TIMEOUT, ONFAIL };
static const unsigned char str_at[] = {
	offsetof(struct boot_cfg, root),
	offsetof(struct boot_cfg, rootfstype),
	offsetof(struct boot_cfg, rootflags),
	offsetof(struct boot_cfg, init),
	offsetof(struct boot_cfg, dm_create),
	offsetof(struct boot_cfg, roothash),
	offsetof(struct boot_cfg, verity_data),
	offsetof(struct boot_cfg, verity_hash),
	offsetof(struct boot_cfg, verity_options),
};

int boot_cfg_parse(struct boot_cfg *c, char *line)
{
	char *p = skip_kspace(line), *param, *val;

	memset(c, 0, sizeof(*c));
	c->ro = 1;
	c->timeout = BOOT_DEFAULT_TIMEOUT;
	while (*p) {
		const char *name = val_params;
		int i, k;

		p = cmdline_next(p, &param, &val);
		if (!val) {
			if (!strcmp(param, "--"))
				break; /* the rest is init's */
			name = "ro\0rw\0rootwait\0";
			i = find_word(&name, param);
			if (i == 2)
				c->rootwait = 1, c->rootwait_s = 0;
			else if (i >= 0)
				c->ro = !i;
			continue;
		}
		i = find_word(&name, param);
		k = -1;
		if (i < 0 && CFG_INIT_LUKS) {
			name = "luks.uuid\0luks.name\0luks.options\0luks.key\0"
			       "luks.data\0";
			k = find_word(
				&name,
				param + (str_prefix(param, "rd.") ? 3 : 0));
		}
		if (k >= 0) {
			if (luks_param(c, param, k, val))
				return -EINVAL;
		} else if (i < 0) {
			/* systemd's switches, where anything reads them */
			if (CFG_INIT_SYSTEMD_VERITY || CFG_INIT_TABS)
				sd_switch(c, param, val);
		} else if (i < ROOTDELAY) {
			if (i < STR_SD || CFG_INIT_SYSTEMD_VERITY)
				*(char **)((char *)c + str_at[i]) = val;
		} else if (i == ROOTDELAY) {
			if (lenient_u32(val, &c->rootdelay))
				c->rootdelay = 0;
		} else if (i == ROOTWAIT) {
			/* An invalid value means waiting without limit. */
			c->rootwait = 1;
			if (lenient_u32(val, &c->rootwait_s))
				c->rootwait_s = 0;
		} else if (i == WAITFOR) {
			if (split_waitfor(c, name, val))
				return -EINVAL;
		} else if (i == TIMEOUT) {
			if (parse_u32(val, &c->timeout) ||
			    c->timeout > CMDLINE_MAX_SECONDS)
				return fail(c, name,
					    "not a number of seconds (0 to "
					    "4000000)");
		} else {
			k = find_word(&(const char *){ONFAIL_NAMES}, val);
			if (k < 0)
				return fail(c, name,
					    "not panic, reboot, shell, halt or "
					    "poweroff");
			c->onfail = (enum onfail)k;
		}
	}
	if (c->no_verity)
		c->roothash = NULL;
	return CFG_INIT_SYSTEMD_VERITY ? systemd_verity_check(c) : 0;
}

# SPDX-License-Identifier: MIT
# dmboot: make [CROSS_COMPILE=prefix-] [CC=...] [LIBC=musl|dietlibc|glibc]
#              [O=builddir] [CONFIG=.config] [V=1]
# See README.md. Generated files live under $(O), never in src/.

VERSION := $(shell cat VERSION)
# The compiler. CROSS_COMPILE=aarch64-linux-gnu- as the kernel and busybox
# spell it (CROSS= is the older name); CC= names a compiler outright (an
# external musl toolchain's, say). The C library is the compiler's own,
# asked of its <features.h>, unless LIBC= says otherwise. With no CC=,
# a Debian gcc (glibc) builds for musl through Debian's musl specs file
# (musl-gcc on this machine, /usr/lib/TRIPLE-musl*/musl-gcc.specs of
# musl-dev:ARCH for a cross gcc): the default, static and small. Where
# there is none, the compiler's glibc is linked static, and the size line
# says so.
CROSS ?=
CROSS_COMPILE ?= $(CROSS)
CC_GIVEN := $(filter-out default undefined,$(origin CC))
LIBC_GIVEN := $(filter-out undefined,$(origin LIBC))
TOOLCC := $(if $(CC_GIVEN),$(CC),$(CROSS_COMPILE)gcc)

# What <features.h> says; musl says nothing (by design), so it is what is
# left when the header is there and names no other libc.
LIBC_PROBE := printf '\043include <features.h>\n\043if defined __UCLIBC__\nlibc=uclibc\n\043elif defined __GLIBC__\nlibc=glibc\n\043elif defined __dietlibc__\nlibc=dietlibc\n\043else\nlibc=musl\n\043endif\n'
cc_libc = $(shell $(LIBC_PROBE) | $(1) -E -P -x c - 2>/dev/null | sed -n 's/^libc=//p')
# Debian's musl specs for a glibc gcc: the triple's -gnu become -musl.
debian_specs = $(firstword $(wildcard /usr/lib/$(subst -gnu,-musl,$(shell $(1) -dumpmachine 2>/dev/null))/musl-gcc.specs))
# A musl toolchain's own start files, as its link line names them.
cc_crt = $(shell $(1) -static -no-pie -\#\#\# -o x x.o 2>&1 | tr ' ' '\n' | tr -d '"' | grep -E '^/.*/(S?crt1|crti|crtn)\.o$$')

LIBC_NOTE :=
ifneq ($(filter-out musl dietlibc glibc,$(LIBC)),)
$(error dmboot: make: LIBC=$(LIBC): LIBC must be musl, dietlibc or glibc)
endif
ifeq ($(LIBC),dietlibc)
CC := diet $(TOOLCC)
else ifeq ($(CC_GIVEN)$(CROSS_COMPILE)$(filter-out musl,$(LIBC)),)
# The Debian way on this machine: musl-gcc.
LIBC := musl
MUSL_SPECS := $(shell sed -n 's/.*-specs "\([^"]*\)".*/\1/p' "$$(command -v musl-gcc)" 2>/dev/null)
CC := musl-gcc
else
CC_LIBC := $(call cc_libc,$(TOOLCC))
ifeq ($(CC_LIBC),)
$(error dmboot: make: $(TOOLCC) cannot preprocess <features.h>: set CC= or CROSS_COMPILE= to a C compiler with its C library)
else ifeq ($(CC_LIBC),uclibc)
$(error dmboot: make: $(TOOLCC) uses uClibc, which dmboot is not built or tested with: use a musl toolchain)
endif
ifeq ($(LIBC_GIVEN),)
LIBC := $(if $(and $(filter glibc,$(CC_LIBC)),$(if $(CC_GIVEN),,$(call debian_specs,$(TOOLCC)))),musl,$(CC_LIBC))
endif
ifeq ($(LIBC)-$(CC_LIBC),musl-glibc)
MUSL_SPECS := $(call debian_specs,$(TOOLCC))
ifeq ($(MUSL_SPECS),)
$(error dmboot: make: LIBC=musl: $(TOOLCC) uses glibc and there is no musl specs file for it ($(shell $(TOOLCC) -dumpmachine)): install Debian's musl-dev for that architecture, or set CROSS_COMPILE= to a musl toolchain)
endif
CC := $(TOOLCC) -specs $(MUSL_SPECS)
else ifeq ($(LIBC),$(CC_LIBC))
CC := $(TOOLCC)
ifeq ($(LIBC),glibc)
ifeq ($(LIBC_GIVEN),)
LIBC_NOTE := , static: the compiler's own; LIBC=musl or a musl toolchain for a small binary
endif
endif
else
$(error dmboot: make: LIBC=$(LIBC) but $(TOOLCC) uses $(CC_LIBC): drop LIBC= or pick a $(LIBC) compiler)
endif
endif

ifeq ($(LIBC),musl)
# musl's start files alone, without gcc's crtbegin/crtend: musl runs
# init_array itself, and what those add (transactional-memory clones,
# frame registration for unwinding: about 250 bytes) serves C++ and
# exceptions, which dmboot has neither of. From the specs file's folder
# (Debian), or as a musl toolchain's link line names them; the
# compiler's own start files if neither says.
MUSL_CRT := $(if $(MUSL_SPECS),$(addprefix $(dir $(MUSL_SPECS)),crt1.o crti.o crtn.o),$(call cc_crt,$(CC)))
ifeq ($(words $(MUSL_CRT)),3)
LDSTATIC := -static -nostartfiles $(wordlist 1,2,$(MUSL_CRT))
LDEND := $(word 3,$(MUSL_CRT))
else
LDSTATIC := -static
endif
else ifeq ($(filter dietlibc glibc,$(LIBC)),)
$(error dmboot: make: LIBC must be musl, dietlibc or glibc)
else
LDSTATIC := -static
endif
O ?= build/$(CROSS_COMPILE)$(LIBC)
CONFIG ?= .config
KCONFIG := Kconfig
# The default configuration when no .config exists yet.
DEFCONFIG ?= full_defconfig

# make V=1 prints every command in full.
Q := $(if $(filter 1,$(V)),,@)

WARN := -Wall -Wextra -Wshadow -Wundef -Wwrite-strings -Wstrict-prototypes \
	-Wmissing-prototypes -Werror=implicit-function-declaration
# What makes dmboot small. OPT_LEVEL comes after the user's CFLAGS, so a
# packager's -O2 does not silently bloat it; `make OPT_LEVEL=` lets the
# user's -O level win.
# -fno-inline-functions-called-once and -fno-caller-saves: measured 300 to
# 900 bytes smaller on every defconfig; -fno-optimize-sibling-calls 64 to
# 300 (a call and a ret where a tail jump made gcc copy the epilogue;
# docs/SIZE.md).
OPT_LEVEL ?= -Oz
SIZEFLAGS := $(OPT_LEVEL) -flto -flto-partition=one -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-ident -fno-pie -fmerge-all-constants \
	-fno-inline-functions-called-once -fno-caller-saves -fno-optimize-sibling-calls
# x86's arrays of 32 bytes or more are aligned for vector loads dmboot never
# does; the ABI's alignment alone drops the padding between them (docs/SIZE.md).
SIZEFLAGS += $(if $(filter x86_64% i%86%,$(shell $(CC) -dumpmachine 2>/dev/null)),-malign-data=abi)

# The flags a packager passes (CFLAGS, CPPFLAGS, LDFLAGS, from the
# environment or the command line) are added to dmboot's own, never in
# their place: the user's come first and dmboot's after them, so the
# last word on what the binary is stays dmboot's: static, not
# position-independent (-fno-pie, -no-pie, whatever -fPIE, -pie or
# -static-pie came before), garbage-collected sections, no build id,
# musl's start files, stripped (LDFLAGS_STRIP=, for an unstripped one).
# The source tree's path is mapped away (-ffile-prefix-map), so two
# trees at different paths build the same bytes. EXTRA_CFLAGS
# (-Werror, say) comes last of all.
DMBOOT_CPPFLAGS = -D_GNU_SOURCE -DDMBOOT_VERSION='"$(VERSION)"' -I$(O)/gen -Isrc
ifneq ($(TEST_TOO_NEW),)
DMBOOT_CPPFLAGS += -DDMBOOT_TEST_TOO_NEW=$(TEST_TOO_NEW)
endif
DMBOOT_CFLAGS = $(SIZEFLAGS) -ffile-prefix-map=$(CURDIR)=.
LDFLAGS_STRIP ?= -s
DMBOOT_LDFLAGS = $(LDSTATIC) -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=64 \
	$(LDFLAGS_STRIP)

SRCS := $(wildcard src/*.c)
LIB_SRCS := $(filter-out src/main.c src/dm-sys.c,$(SRCS))
OBJS := $(SRCS:src/%.c=$(O)/%.o)

.PHONY: all clean distclean menuconfig savedefconfig olddefconfig \
	allnoconfig allyesconfig randconfig size test unit configs-test demo \
	vm-test test-faults bench deps initramfs fuzz analyze cross \
	install install-links uninstall test-distro
all: $(O)/dmboot

# A defconfig lists what a build has, on top of nothing (allnoconfig), so
# that features added later stay out of it until it names them; one that
# says "# base: allyesconfig" (full) lists what it leaves out instead.
# The Kconfig programs: kconfig-frontends' by default (Debian's
# kconfig-frontends package). KCONFIG_CONF= names another conf, such as
# the one Buildroot builds for itself (output/build/buildroot-config/conf,
# which reads BR2_CONFIG and CONFIG_ instead of KCONFIG_CONFIG: both are
# set, so either kind writes $(CONFIG) with CONFIG_ names).
KCONFIG_CONF ?= kconfig-conf
KCONFIG_MCONF ?= kconfig-mconf
KCONF_ENV = KCONFIG_CONFIG=$(CONFIG) BR2_CONFIG=$(CONFIG) CONFIG_=CONFIG_
KCONF_CHECK = command -v $(KCONFIG_CONF) >/dev/null 2>&1 || { echo "dmboot: make: $(KCONFIG_CONF): not found: install kconfig-frontends (Debian's package) or set KCONFIG_CONF= to a Kconfig conf program (Buildroot's output/build/buildroot-config/conf)" >&2; exit 1; }

define kconfig_from
	$(Q)mkdir -p $(dir $(CONFIG))
	$(Q)$(KCONF_CHECK)
	$(Q)if grep -q '^# base: allyesconfig' $(1); then base=--allyesconfig; else base=--allnoconfig; fi; \
	KCONFIG_ALLCONFIG=$(1) $(KCONF_ENV) $(KCONFIG_CONF) -s $$base $(KCONFIG) >/dev/null
	$(Q)echo "$(notdir $(1)) $$(grep -v '^#' $(CONFIG) | cksum)" > $(CONFIG).defconfig
endef
# Which defconfig made CONFIG, if one did and it is unchanged since.
config_origin = $$(set -- $$(cat $(CONFIG).defconfig 2>/dev/null); \
	[ -z "$$1" ] || { d=$$1; shift; [ "$$*" = "$$(grep -v '^\#' $(CONFIG) | cksum)" ] && echo " ($$d)" || echo " (made from $$d, changed since)"; } )

$(CONFIG):
	@echo "  no $(CONFIG): using configs/$(DEFCONFIG)"
	$(call kconfig_from,configs/$(DEFCONFIG))

# CFG_X for every symbol of Kconfig: 1/0 for bools, the value otherwise,
# so code says if (CFG_X) and disabled code is still type-checked.
# A .config older than Kconfig gets the new symbols' defaults first.
$(O)/gen/config.h: $(CONFIG) $(KCONFIG)
	$(Q)mkdir -p $(@D)
	$(Q)$(KCONF_CHECK)
	$(Q)$(KCONF_ENV) $(KCONFIG_CONF) -s --olddefconfig $(KCONFIG) >/dev/null
	$(Q)awk -f src/config.awk $(KCONFIG) $(CONFIG) > $@.tmp && mv $@.tmp $@

# The command list: the CMD(...) comment at the top of each command file.
# cmds-all.h declares every command (all are compiled, for type checks);
# cmds.h lists the selected ones, for dispatch and help.
$(O)/gen/cmds-all.h: $(SRCS)
	$(Q)mkdir -p $(@D)
	$(Q)sed -n 's,^/\* *\(CMD(.*)\) *\*/$$,\1,p' $(SRCS) | LC_ALL=C sort > $@.tmp && mv $@.tmp $@
$(O)/gen/cmds.h: $(O)/gen/cmds-all.h $(O)/gen/config.h
	$(Q)awk -F'[(,]' 'FNR == NR { if ($$0 ~ /^#define CFG_CMD_/ && $$NF ~ / 1$$/) { split($$0, w, " "); on[w[2]] = 1 } next } \
		{ s = $$4; gsub(/ /, "", s); if (on["CFG_CMD_" s]) print }' $(O)/gen/config.h $< > $@.tmp && mv $@.tmp $@

# Objects follow the flags too: a changed compiler, LIBC, CFLAGS or
# TEST_TOO_NEW rebuilds them.
FLAGS_SIG = $(CC) $(DMBOOT_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(DMBOOT_CFLAGS) $(EXTRA_CFLAGS) $(LDFLAGS) $(DMBOOT_LDFLAGS) $(LDEND)
$(O)/gen/flags: FORCE
	$(Q)mkdir -p $(@D)
	@echo '$(FLAGS_SIG)' | cmp -s - $@ || echo '$(FLAGS_SIG)' > $@
FORCE:

$(O)/%.o: src/%.c $(O)/gen/config.h $(O)/gen/cmds.h $(O)/gen/cmds-all.h $(O)/gen/flags $(wildcard src/*.h)
	$(Q)mkdir -p $(@D)
	$(if $(Q),@echo "  CC $@")
	$(Q)$(CC) $(DMBOOT_CPPFLAGS) $(CPPFLAGS) $(CFLAGS) $(DMBOOT_CFLAGS) $(WARN) $(EXTRA_CFLAGS) -c -o $@ $<

# A binary with an ELF interpreter, or a position-independent one, cannot
# be /init: initramfs/static-check.sh refuses it (and removes it).
$(O)/dmboot: $(OBJS) $(O)/gen/flags
	$(Q)$(CC) $(CFLAGS) $(DMBOOT_CFLAGS) $(LDFLAGS) $(DMBOOT_LDFLAGS) -o $@ $(OBJS) $(LDEND)
	$(Q)sh initramfs/static-check.sh $@ || { rm -f $@; exit 1; }
	$(Q)if [ -n "$(LDFLAGS_STRIP)" ]; then sh initramfs/sstrip.sh $@; fi
	@echo "  $@: $$(stat -c %s $@) bytes ($(LIBC)$(LIBC_NOTE))"

clean:
	rm -rf build

distclean: clean
	rm -f .config .config.old .config.defconfig defconfig

# Kconfig front ends (kconfig-frontends). KCONFIG_CONFIG picks the file.
menuconfig:
	$(KCONF_ENV) $(KCONFIG_MCONF) $(KCONFIG)
olddefconfig:
	$(KCONF_ENV) $(KCONFIG_CONF) -s --olddefconfig $(KCONFIG)
# What the configuration has, as a defconfig (on an allnoconfig base):
# every symbol set, less the ioctls the commands select.
savedefconfig:
	@grep -E '^CONFIG_[A-Z0-9_]+=' $(CONFIG) | grep -v '^CONFIG_DM_IOCTL_' > defconfig
	@echo "  wrote defconfig"
allnoconfig allyesconfig randconfig:
	$(KCONF_ENV) $(KCONFIG_CONF) -s --$@ $(KCONFIG) >/dev/null
%_defconfig: configs/%_defconfig
	$(call kconfig_from,$<)

# Stripped size of every defconfig with each static libc.
size:
	@tests/size.sh

deps:
	@tests/deps.sh

unit:
	@tests/unit/run.sh

# Each fuzz harness for FUZZ_SECONDS (60): tests/fuzz/run.sh.
fuzz:
	@tests/fuzz/run.sh -t $${FUZZ_SECONDS:-60} -j 2

analyze:
	@tests/analyze.sh

cross:
	@tests/cross.sh

configs-test:
	@tests/configs.sh

vm-test:
	@tests/vm.sh

# Every system call of the activation paths failed in turn, two errnos
# each besides EINTR, on the real kernel: tests/faults.sh, docs/FAULTS.md.
test-faults: deps
	@tests/faults.sh --full

# The shell-less initramfs of initramfs/dmboot.list with this build as
# /init (add modules with a list of your own: initramfs/README.md).
initramfs: $(O)/dmboot
	@DMBOOT=$(O)/dmboot initramfs/mkcpio.sh initramfs/dmboot.list | gzip -9 -n > build/initramfs.cpio.gz
	@echo "  build/initramfs.cpio.gz: $$(stat -c %s build/initramfs.cpio.gz) bytes; /init: $(O)/dmboot, built from $(CONFIG)$(config_origin)"

test: deps
	@tests/run-all.sh

# Debian 12 booting a dm-verity (and a LUKS2) root that Debian's own
# initramfs-tools and dracut open with dmboot (dist/): tests/distro.sh,
# docs/DISTRO.md. ARGS: variants, -k, --refresh, --static.
test-distro:
	@tests/distro.sh $(ARGS)

# The demo installs only what it needs (tests/deps.sh demo) and builds
# its own dmboot binaries, whatever .config this tree has.
demo:
	@tests/deps.sh demo
	@tests/demo.sh $(ARGS)

# make install [DESTDIR=...] [PREFIX=/usr/local] [SBINDIR=...] [MANDIR=...]
#   [LINKS="dmsetup veritysetup cryptsetup"]: the binary that make built
# with the same O= and CONFIG=, never a rebuild (as root, with other
# flags); the man page; LINKS, multi-call symlinks beside the binary.
# make install-links: install, with a link for each multi-call name the
# build answers to (dmsetup, and veritysetup/cryptsetup when configured).
PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
LINKS ?=
INSTALL ?= install
# The multi-call names this build answers to: dmsetup always, the others
# when their command is configured.
BUILD_LINKS = dmsetup $$(sed -n 's/^CMD([a-z_]*, *"\(veritysetup\|cryptsetup\)",.*/\1/p' $(O)/gen/cmds.h)
install:
	@[ -f $(O)/dmboot ] || { echo "dmboot: make install: no $(O)/dmboot: run make first (with the same O=, CONFIG=, CC= or CROSS_COMPILE=)" >&2; exit 1; }
	$(INSTALL) -d $(DESTDIR)$(SBINDIR)
	$(INSTALL) -m 0755 $(O)/dmboot $(DESTDIR)$(SBINDIR)/dmboot
	$(INSTALL) -d $(DESTDIR)$(MANDIR)/man8
	$(INSTALL) -m 0644 docs/dmboot.8 $(DESTDIR)$(MANDIR)/man8/dmboot.8
	@for l in $(LINKS); do \
		case $$l in */* | dmboot) echo "dmboot: make install: LINKS: $$l: a name beside dmboot, not a path" >&2; exit 1 ;; esac; \
		echo "ln -sf dmboot $(DESTDIR)$(SBINDIR)/$$l"; \
		ln -sf dmboot $(DESTDIR)$(SBINDIR)/$$l || exit 1; \
	done
install-links: install
	@[ -f $(O)/gen/cmds.h ] || { echo "dmboot: make install-links: no $(O)/gen/cmds.h: run make first" >&2; exit 1; }
	@for l in $(or $(LINKS),$(BUILD_LINKS)); do \
		echo "ln -sf dmboot $(DESTDIR)$(SBINDIR)/$$l"; \
		ln -sf dmboot $(DESTDIR)$(SBINDIR)/$$l || exit 1; \
	done
# Removes the binary, the man page and the links to dmboot it finds
# beside it (any multi-call name; nothing else).
uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/dmboot $(DESTDIR)$(MANDIR)/man8/dmboot.8
	@for l in dmsetup veritysetup cryptsetup $(LINKS); do \
		f=$(DESTDIR)$(SBINDIR)/$$l; \
		if [ -L "$$f" ] && [ "$$(readlink "$$f")" = dmboot ]; then echo "rm -f $$f"; rm -f "$$f"; fi; \
	done

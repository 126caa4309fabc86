# SPDX-License-Identifier: MIT
# dmboot: make [LIBC=musl|dietlibc|glibc] [CROSS=prefix-] [O=builddir] [CONFIG=.config]
# See README.md. Generated files live under $(O), never in src/.

VERSION := 0.1.0
LIBC ?= musl
# CROSS=aarch64-linux-gnu- (a Debian cross gcc's prefix): musl through
# Debian's multiarch musl-dev:ARCH specs file, glibc linked static.
CROSS ?=
O ?= build/$(CROSS)$(LIBC)
CONFIG ?= .config
KCONFIG := Kconfig
# The default configuration when no .config exists yet.
DEFCONFIG ?= full_defconfig

ifeq ($(LIBC),musl)
MUSL_SPECS := $(if $(CROSS),/usr/lib/$(subst -gnu,-musl,$(CROSS:-=))/musl-gcc.specs,$(shell sed -n 's/.*-specs "\([^"]*\)".*/\1/p' "$$(command -v musl-gcc)" 2>/dev/null))
CC := $(if $(CROSS),$(CROSS)gcc -specs $(MUSL_SPECS),musl-gcc)
# musl's start files alone, without gcc's crtbegin/crtend: musl runs
# init_array itself, and what those add (transactional-memory clones,
# frame registration for unwinding: about 250 bytes) serves C++ and
# exceptions, which dmboot has neither of.
MUSL_LIB := $(dir $(MUSL_SPECS))
LDSTATIC := -static -nostartfiles $(MUSL_LIB)crt1.o $(MUSL_LIB)crti.o
LDEND := $(MUSL_LIB)crtn.o
else ifeq ($(LIBC),dietlibc)
CC := diet gcc
LDSTATIC := -static
else ifeq ($(LIBC),glibc)
CC := $(if $(CROSS),$(CROSS)gcc,$(CC))
LDSTATIC ?= $(if $(CROSS),-static)
else
$(error LIBC must be musl, dietlibc or glibc)
endif

WARN := -Wall -Wextra -Wshadow -Wundef -Wwrite-strings -Wstrict-prototypes \
	-Wmissing-prototypes -Werror=implicit-function-declaration
# -fno-inline-functions-called-once and -fno-caller-saves: measured 300 to
# 900 bytes smaller on every defconfig; -fno-optimize-sibling-calls 64 to
# 300 (a call and a ret where a tail jump made gcc copy the epilogue;
# docs/SIZE.md).
SIZEFLAGS := -Oz -flto -flto-partition=one -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables \
	-fno-unwind-tables -fno-ident -fno-pie -fmerge-all-constants \
	-fno-inline-functions-called-once -fno-caller-saves -fno-optimize-sibling-calls
# x86's arrays of 32 bytes or more are aligned for vector loads dmboot never
# does; the ABI's alignment alone drops the padding between them (docs/SIZE.md).
SIZEFLAGS += $(if $(filter x86_64% i%86%,$(shell $(CC) -dumpmachine 2>/dev/null)),-malign-data=abi)
CFLAGS ?= $(SIZEFLAGS)
CPPFLAGS += -D_GNU_SOURCE -DDMBOOT_VERSION='"$(VERSION)"' -I$(O)/gen -Isrc
ifneq ($(TEST_TOO_NEW),)
CPPFLAGS += -DDMBOOT_TEST_TOO_NEW=$(TEST_TOO_NEW)
endif
LDFLAGS ?= $(LDSTATIC) -no-pie -Wl,--gc-sections -Wl,--build-id=none \
	-Wl,-z,noseparate-code -Wl,-z,norelro -Wl,-z,common-page-size=64 \
	$(LDFLAGS_STRIP)
LDFLAGS_STRIP ?= -s

SRCS := $(wildcard src/*.c)
LIB_SRCS := $(filter-out src/main.c src/dm-sys.c,$(SRCS))
OBJS := $(SRCS:src/%.c=$(O)/%.o)

.PHONY: all clean distclean menuconfig savedefconfig olddefconfig \
	allnoconfig allyesconfig randconfig size test unit configs-test demo \
	vm-test test-faults bench deps initramfs fuzz analyze cross test-distro
all: $(O)/dmboot

# A defconfig lists what a build has, on top of nothing (allnoconfig), so
# that features added later stay out of it until it names them; one that
# says "# base: allyesconfig" (full) lists what it leaves out instead.
define kconfig_from
	@mkdir -p $(dir $(CONFIG))
	@if grep -q '^# base: allyesconfig' $(1); then base=--allyesconfig; else base=--allnoconfig; fi; \
	KCONFIG_ALLCONFIG=$(1) KCONFIG_CONFIG=$(CONFIG) kconfig-conf -s $$base $(KCONFIG) >/dev/null
endef

$(CONFIG):
	@echo "  no $(CONFIG): using configs/$(DEFCONFIG)"
	$(call kconfig_from,configs/$(DEFCONFIG))

# CFG_X for every symbol of Kconfig: 1/0 for bools, the value otherwise,
# so code says if (CFG_X) and disabled code is still type-checked.
# A .config older than Kconfig gets the new symbols' defaults first.
$(O)/gen/config.h: $(CONFIG) $(KCONFIG)
	@mkdir -p $(@D)
	@KCONFIG_CONFIG=$(CONFIG) kconfig-conf -s --olddefconfig $(KCONFIG) >/dev/null
	@awk -f src/config.awk $(KCONFIG) $(CONFIG) > $@.tmp && mv $@.tmp $@

# The command list: the CMD(...) comment at the top of each command file.
# cmds-all.h declares every command (all are compiled, for type checks);
# cmds.h lists the selected ones, for dispatch and help.
$(O)/gen/cmds-all.h: $(SRCS)
	@mkdir -p $(@D)
	@sed -n 's,^/\* *\(CMD(.*)\) *\*/$$,\1,p' $(SRCS) | LC_ALL=C sort > $@.tmp && mv $@.tmp $@
$(O)/gen/cmds.h: $(O)/gen/cmds-all.h $(O)/gen/config.h
	@awk -F'[(,]' 'FNR == NR { if ($$0 ~ /^#define CFG_CMD_/ && $$NF ~ / 1$$/) { split($$0, w, " "); on[w[2]] = 1 } next } \
		{ s = $$4; gsub(/ /, "", s); if (on["CFG_CMD_" s]) print }' $(O)/gen/config.h $< > $@.tmp && mv $@.tmp $@

# Objects follow the flags too: a changed LIBC, CFLAGS or TEST_TOO_NEW
# rebuilds them.
FLAGS_SIG := $(CC) $(CPPFLAGS) $(CFLAGS) $(EXTRA_CFLAGS) $(LDFLAGS)
$(O)/gen/flags: FORCE
	@mkdir -p $(@D)
	@echo '$(FLAGS_SIG)' | cmp -s - $@ || echo '$(FLAGS_SIG)' > $@
FORCE:

$(O)/%.o: src/%.c $(O)/gen/config.h $(O)/gen/cmds.h $(O)/gen/cmds-all.h $(O)/gen/flags $(wildcard src/*.h)
	@mkdir -p $(@D)
	@echo "  CC $@"
	@$(CC) $(CPPFLAGS) $(CFLAGS) $(WARN) $(EXTRA_CFLAGS) -c -o $@ $<

$(O)/dmboot: $(OBJS) $(O)/gen/flags
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS) $(LDEND)
	@if [ -n "$(LDFLAGS_STRIP)" ]; then sh initramfs/sstrip.sh $@; fi
	@echo "  $@: $$(stat -c %s $@) bytes ($(LIBC))"

clean:
	rm -rf build

distclean: clean
	rm -f .config .config.old defconfig

# Kconfig front ends (kconfig-frontends). KCONFIG_CONFIG picks the file.
menuconfig:
	KCONFIG_CONFIG=$(CONFIG) kconfig-mconf $(KCONFIG)
olddefconfig:
	KCONFIG_CONFIG=$(CONFIG) kconfig-conf -s --olddefconfig $(KCONFIG)
# What the configuration has, as a defconfig (on an allnoconfig base):
# every symbol set, less the ioctls the commands select.
savedefconfig:
	@grep -E '^CONFIG_[A-Z0-9_]+=' $(CONFIG) | grep -v '^CONFIG_DM_IOCTL_' > defconfig
	@echo "  wrote defconfig"
allnoconfig allyesconfig randconfig:
	KCONFIG_CONFIG=$(CONFIG) kconfig-conf -s --$@ $(KCONFIG) >/dev/null
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
	@echo "  build/initramfs.cpio.gz: $$(stat -c %s build/initramfs.cpio.gz) bytes"

test: deps
	@tests/run-all.sh

# Debian 12 booting a dm-verity (and a LUKS2) root that Debian's own
# initramfs-tools and dracut open with dmboot (dist/): tests/distro.sh,
# docs/DISTRO.md. ARGS: variants, -k, --refresh, --static.
test-distro:
	@tests/distro.sh $(ARGS)

demo: deps
	@tests/demo.sh $(ARGS)

# SPDX-License-Identifier: GPL-2.0
# Copyright (C) 2026 The qlink authors
#
# qlink: one Makefile for the library, tools, tests, benchmarks and the
# kernel module (through Kbuild). `make help` lists the targets.

VERSION := 0.1.0
ABI := 1

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
DESTDIR ?=
# /etc for PREFIX=/usr (as packagers want), $(PREFIX)/etc otherwise
SYSCONFDIR ?= $(if $(filter /usr,$(PREFIX)),/etc,$(PREFIX)/etc)
DATADIR ?= $(PREFIX)/share
MANDIR ?= $(DATADIR)/man
DOCDIR ?= $(DATADIR)/doc/qlink
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
UDEVDIR ?= $(PREFIX)/lib/udev
MODLOADDIR ?= $(PREFIX)/lib/modules-load.d
INITDIR ?= $(SYSCONFDIR)/init.d
INITSCRIPT ?= qlink
# qlink-sim and qlink-fotapkg need libcurl and libcrypto; WITH_SIM=0 leaves them out
WITH_SIM ?= 1
# the systemd unit (and modules-load.d); WITH_SYSTEMD=0 for a sysvinit or busybox image
WITH_SYSTEMD ?= 1
# the udev rule and its helper: with eudev or mdev-less udev too, not only with systemd
WITH_UDEV ?= $(WITH_SYSTEMD)
# the SysV/BusyBox init script, as $(INITDIR)/$(INITSCRIPT)
WITH_SYSVINIT ?= 0

# Cross builds: make CROSS_COMPILE=aarch64-linux-gnu-
CROSS_COMPILE ?=
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifeq ($(origin AR),default)
AR := $(CROSS_COMPILE)ar
endif
CLANG ?= clang

CFLAGS ?= -O2 -g
CPPFLAGS ?=
LDFLAGS ?=
O ?= build

# -Werror in the project's own builds only (scripts/run-tests, so make
# check and CI, set WERROR=1): a distribution's rebuild with a newer compiler
# must not fail on a warning that compiler adds.
WERROR ?= 0
WERROR_CFLAGS := $(if $(filter 1,$(WERROR)),-Werror)
# What the project requires, whatever the caller's CFLAGS say. CPPFLAGS
# (Debian's -D_FORTIFY_SOURCE=2, say) go to every compile.
QCFLAGS := -std=c11 -D_GNU_SOURCE -Wall -Wextra $(WERROR_CFLAGS) -Wshadow -Wstrict-prototypes \
	   -Wmissing-prototypes -Wno-unused-parameter -fvisibility=hidden \
	   -Iinclude -Iinclude/uapi -DQLINK_VERSION='"$(VERSION)"' $(EXTRA_CFLAGS)
QLDFLAGS := $(EXTRA_LDFLAGS)

# The library in five wings: core (transports, parser, channel), module
# (PDP, files, revision, line discipline), ftp, fota, board (GPIO, power,
# config). Only the library and white-box tests see its private headers.
LIB_WINGS := core module ftp fota board
LIB_SRCS := $(foreach w,$(LIB_WINGS),$(wildcard userspace/lib/$(w)/*.c))
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
LIB_PRIV_CFLAGS := -Iuserspace/lib
$(LIB_OBJS): QCFLAGS += $(LIB_PRIV_CFLAGS)
LIB_A := $(O)/libqlink.a
LIB_SO := $(O)/libqlink.so.$(ABI).0.0
LIB_SONAME := libqlink.so.$(ABI)
LIB_MAP := userspace/lib/libqlink.map

SIM_SRCS := $(wildcard userspace/sim/*.c)
SIM_OBJS := $(SIM_SRCS:%.c=$(O)/%.o)
CURL_CFLAGS := $(shell pkg-config --cflags libcurl 2>/dev/null)
CURL_LIBS := $(shell pkg-config --libs libcurl 2>/dev/null || echo -lcurl)
CRYPTO_LIBS := $(shell pkg-config --libs libcrypto 2>/dev/null || echo -lcrypto)

TOOL_SRCS := $(wildcard userspace/tools/*.c)
TOOL_OBJS := $(TOOL_SRCS:%.c=$(O)/%.o)

TEST_COMMON_SRCS := $(wildcard tests/common/*.c)
TEST_COMMON_OBJS := $(TEST_COMMON_SRCS:%.c=$(O)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test-*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
PTY_SRCS := $(wildcard tests/pty/test-*.c)
PTY_BINS := $(PTY_SRCS:tests/pty/%.c=$(O)/tests/%)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)
# Optional dependencies, found by pkg-config when the Makefile is read.
# What was found is written to $(BUILD_CONFIG), which every object depends
# on: installing libgpiod-dev or libmnl-dev later (make deps) rebuilds what
# it changes. A build without one says so when it builds (a warning naming
# the option); asking for one that is not there (WITH_GPIOD=1) fails.
#
# libmnl: the URC reader's netlink source and qlink_ldisc_query_stats()
# (qlink urc --netlink, qlink stats). WITH_LIBMNL=0, or no libmnl: those
# fail with ENOTSUP.
HAVE_LIBMNL := $(if $(shell pkg-config --exists libmnl 2>/dev/null && echo y),1,0)
WITH_LIBMNL ?= $(HAVE_LIBMNL)
ifeq ($(WITH_LIBMNL),1)
MNL_CFLAGS := -DQLINK_HAVE_LIBMNL $(shell pkg-config --cflags libmnl 2>/dev/null)
MNL_LIBS := $(shell pkg-config --libs libmnl 2>/dev/null || echo -lmnl)
endif
$(O)/userspace/lib/module/genl.o: QCFLAGS += $(MNL_CFLAGS)
# libcurl: the FOTA pre-flight asks the package's server over http, https
# and ftp (redirects, proxies as curl does them). WITH_CURL=0, or no libcurl:
# the library's own HEAD over plain http:// only, and the build says so.
WITH_CURL ?= $(if $(shell pkg-config --exists libcurl 2>/dev/null && echo y),1,0)
ifeq ($(WITH_CURL),1)
FETCH_CFLAGS := -DQLINK_HAVE_CURL $(shell pkg-config --cflags libcurl 2>/dev/null)
# loaded at run time (dlopen) when a probe needs it: only its headers here
FETCH_LIBS :=
endif
$(O)/userspace/lib/fota/fota-probe.o: QCFLAGS += $(FETCH_CFLAGS)
# libgpiod 1.x or 2.x, by the major version pkg-config reports (gpio.c has
# both). WITH_GPIOD=0, or no libgpiod: DTR, PWRKEY and RESET_N on GPIO
# lines fail with ENOTSUP (qlink: exit 2, naming WITH_GPIOD).
GPIOD_VERSION := $(shell pkg-config --modversion libgpiod 2>/dev/null)
GPIOD_API := $(filter 1 2,$(firstword $(subst ., ,$(GPIOD_VERSION))))
WITH_GPIOD ?= $(if $(GPIOD_API),1,0)
ifeq ($(WITH_GPIOD)$(if $(GPIOD_API),y),1y)
GPIOD_CFLAGS := -DQLINK_GPIOD_API=$(GPIOD_API) $(shell pkg-config --cflags libgpiod)
GPIOD_LIBS := $(shell pkg-config --libs libgpiod)
endif
$(O)/userspace/lib/board/gpio.o: QCFLAGS += $(GPIOD_CFLAGS)
# sd-bus (libsystemd): ModemManager inhibition (qlink_mm_*; qlink fota and
# ftp, --inhibit-mm). WITH_SDBUS=0, or no libsystemd: qlink_mm_inhibit()
# fails with ENOTSUP, and the build says so.
WITH_SDBUS ?= $(if $(shell pkg-config --exists libsystemd 2>/dev/null && echo y),1,0)
ifeq ($(WITH_SDBUS),1)
SDBUS_CFLAGS := -DQLINK_HAVE_SDBUS $(shell pkg-config --cflags libsystemd 2>/dev/null)
SDBUS_LIBS := $(shell pkg-config --libs libsystemd 2>/dev/null || echo -lsystemd)
endif
$(O)/userspace/lib/board/mm.o: QCFLAGS += $(SDBUS_CFLAGS)

BUILD_CONFIG := $(O)/build-config
# Rewritten only when it changes, so that a rebuild is a real change's.
$(BUILD_CONFIG): FORCE
	@mkdir -p $(@D)
	@if [ "$(WITH_GPIOD)" = 1 ] && [ -z "$(GPIOD_API)" ]; then \
		echo "WITH_GPIOD=1, but pkg-config finds no libgpiod 1.x or 2.x" \
			"(Debian: apt-get install libgpiod-dev)" >&2; exit 1; fi
	@if [ "$(WITH_LIBMNL)" = 1 ] && [ "$(HAVE_LIBMNL)" != 1 ]; then \
		echo "WITH_LIBMNL=1, but pkg-config finds no libmnl" \
			"(Debian: apt-get install libmnl-dev)" >&2; exit 1; fi
	@if [ "$(WITH_GPIOD)" != 1 ]; then \
		echo "warning: qlink without libgpiod (WITH_GPIOD=0): DTR, PWRKEY and RESET_N" \
			"on GPIO lines fail; install libgpiod-dev, or build with WITH_GPIOD=1" >&2; fi
	@if [ "$(WITH_LIBMNL)" != 1 ]; then \
		echo "warning: qlink without libmnl (WITH_LIBMNL=0): qlink urc --netlink and" \
			"qlink stats fail; install libmnl-dev, or build with WITH_LIBMNL=1" >&2; fi
	@if [ "$(WITH_SDBUS)" != 1 ]; then \
		echo "warning: libqlink without sd-bus (WITH_SDBUS=0): ModemManager inhibition" \
			"(qlink --inhibit-mm, automatic in fota and ftp) fails; install libsystemd-dev," \
			"or build with WITH_SDBUS=1" >&2; fi
	@if [ "$(WITH_CURL)" != 1 ]; then \
		echo "warning: libqlink without libcurl (WITH_CURL=0): the FOTA pre-flight checks" \
			"http:// packages only; install libcurl4-openssl-dev, or build with WITH_CURL=1" >&2; fi
	@printf '%s\n' '# what this build found: a change rebuilds the objects' \
		'WITH_CURL=$(WITH_CURL) $(FETCH_CFLAGS) $(FETCH_LIBS)' \
		'WITH_LIBMNL=$(WITH_LIBMNL) $(MNL_CFLAGS) $(MNL_LIBS)' \
		'WITH_SDBUS=$(WITH_SDBUS) $(SDBUS_CFLAGS) $(SDBUS_LIBS)' \
		'WITH_GPIOD=$(WITH_GPIOD) $(GPIOD_VERSION) $(GPIOD_CFLAGS) $(GPIOD_LIBS)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
VM_SRCS := $(wildcard tests/vm/test-*.c)
VM_BINS := $(VM_SRCS:tests/vm/%.c=$(O)/vm/%)

FUZZ_SRCS := $(wildcard tests/fuzz/fuzz-*.c)
FUZZ_BINS := $(FUZZ_SRCS:tests/fuzz/%.c=$(O)/fuzz/%)
FUZZ_SECONDS ?= 20

BENCH_BINS := $(O)/bench/bench-at-parser

.PHONY: FORCE all lib tools tests asan-build fuzz-build check check-unit check-pty check-asan check-valgrind \
	check-sim check-fuzz check-fota check-fleet check-vm check-vm-debug vm-build fuzz bench bench-build check-bench demo deps install install-lib install-tools install-fleet modules \
	modules_install clean format help install-data data dist cross-build check-pkg check-deb check-cross check-matrix check-vm-arm64 \
	dtbs check-dts check-hil check-hil-sim

all: lib tools

help:
	@echo "make            library and tools into $(O)/"
	@echo "make check      every test: unit, pty, ASan/UBSan, valgrind, short fuzz"
	@echo "make demo       the main job end to end against a simulated module"
	@echo "make bench      one table: parser cost (callgrind, against oFono's gatchat), FTP rate and"
	@echo "                CPU/MB, FOTA upload ratios, qlink-sim's CPU, peak RSS, qlink.ko in the VM"
	@echo "make fuzz       libFuzzer on parser and channel (FUZZ_SECONDS=$(FUZZ_SECONDS))"
	@echo "make install    PREFIX=$(PREFIX) DESTDIR= LIBDIR=$(LIBDIR) WITH_SIM=$(WITH_SIM) WITH_SYSTEMD=$(WITH_SYSTEMD)"
	@echo "                WITH_UDEV=$(WITH_UDEV) WITH_SYSVINIT=$(WITH_SYSVINIT) WITH_GPIOD=$(WITH_GPIOD) WITH_LIBMNL=$(WITH_LIBMNL)"
	@echo "make dist       qlink-$(VERSION).tar.gz from git HEAD (reproducible)"
	@echo "make modules    kernel module, KDIR=/lib/modules/\$$(uname -r)/build"
	@echo "make check-vm   the kernel module's tests under qemu (part of make check)"
	@echo "make check-vm-debug  the same in a lockdep/KASAN/kmemleak kernel (part of make check)"
	@echo "make check-hil  the tests against a real module and servers (HIL_CONFIG=FILE or HIL_* vars;"
	@echo "                README \"Hardware in the loop\"); check-hil-sim: the same against qlink-sim"
	@echo "make dtbs       the Raspberry Pi overlay(s) in dts/ (dtc; warnings fail)"
	@echo "make deps       install the Debian packages the build and tests need"
	@echo "make format     clang-format the userspace C (not kmod/ nor include/uapi/)"

lib: $(LIB_A) $(LIB_SO) $(O)/libqlink.pc
SIM_TOOLS := $(if $(filter 1,$(WITH_SIM)),$(O)/qlink-sim $(O)/qlink-fotapkg)
tools: $(O)/qlink $(SIM_TOOLS)

$(O)/%.o: %.c $(BUILD_CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) -fPIC -MMD -MP -c -o $@ $<

$(LIB_A): $(LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(LIB_SO): $(LIB_OBJS) $(LIB_MAP)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) -shared -Wl,-soname,$(LIB_SONAME) \
		-Wl,--version-script=$(LIB_MAP) -Wl,--no-undefined $(LDFLAGS) $(QLDFLAGS) \
		-o $@ $(LIB_OBJS) $(MNL_LIBS) $(GPIOD_LIBS) $(SDBUS_LIBS) $(FETCH_LIBS)
	ln -sf $(notdir $@) $(O)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(O)/libqlink.so

# Regenerated whenever the paths change, so `make install PREFIX=/usr`
# after a plain `make` does not install a file pointing at /usr/local.
$(O)/libqlink.pc: userspace/lib/libqlink.pc.in Makefile FORCE
	@mkdir -p $(@D)
	@sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
	    -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
	    -e 's|@LIBS_PRIVATE@|$(MNL_LIBS) $(GPIOD_LIBS) $(SDBUS_LIBS) $(FETCH_LIBS)|' $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

FORCE:

# The tool's default configuration file is the one make install puts under
# SYSCONFDIR and the unit and udev helper read; rewritten only when it
# changes, so a new SYSCONFDIR rebuilds the tool and nothing else.
$(O)/gen/qlink-paths.h: Makefile FORCE
	@mkdir -p $(@D)
	@printf '#define QLINK_TOOL_CONFIG_PATH "%s"\n' '$(SYSCONFDIR)/qlink.conf' > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(O)/userspace/tools/qlink.o: $(O)/gen/qlink-paths.h
$(TOOL_OBJS): QCFLAGS += -I$(O)/gen

# The tools link the static library: one file to copy onto a board.
$(O)/qlink: $(TOOL_OBJS) $(LIB_A)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) $(LDFLAGS) $(QLDFLAGS) -o $@ $(TOOL_OBJS) $(LIB_A) $(MNL_LIBS) $(GPIOD_LIBS) $(SDBUS_LIBS) $(FETCH_LIBS)

# The simulator shares nothing with libqlink but the result-code table, and
# the credential masking its log uses (it is no part of its AT handling).
$(O)/userspace/sim/%.o: userspace/sim/%.c $(BUILD_CONFIG)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) $(CURL_CFLAGS) -Iuserspace/sim -MMD -MP -c -o $@ $<

$(O)/qlink-sim: $(SIM_OBJS) $(O)/userspace/lib/core/codes.o $(O)/userspace/lib/core/redact.o \
		$(O)/userspace/lib/core/url.o
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) $(LDFLAGS) $(QLDFLAGS) -o $@ $^ $(CURL_LIBS) $(CRYPTO_LIBS)

# Packages in qlink-sim's simulated FOTA format, for tests and the demo.
$(O)/qlink-fotapkg: userspace/fotapkg/qlink-fotapkg.c $(O)/userspace/sim/fota-pkg.o
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) -Iuserspace/sim $(LDFLAGS) $(QLDFLAGS) -o $@ $^ $(CRYPTO_LIBS)

# ---------------------------------------------------------------- tests
tests: $(UNIT_BINS) $(PTY_BINS) tools

$(O)/tests/test-%: tests/unit/test-%.c $(TEST_COMMON_OBJS) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) $(LIB_PRIV_CFLAGS) -Itests/common -MMD -MP $(LDFLAGS) $(QLDFLAGS) -o $@ \
		$< $(TEST_COMMON_OBJS) $(LIB_A) $(CMOCKA_LIBS) $(MNL_LIBS) $(GPIOD_LIBS) $(SDBUS_LIBS) $(FETCH_LIBS)

$(O)/tests/test-%: tests/pty/test-%.c $(TEST_COMMON_OBJS) $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) -Itests/common -MMD -MP $(LDFLAGS) $(QLDFLAGS) -o $@ \
		$< $(TEST_COMMON_OBJS) $(LIB_A) $(CMOCKA_LIBS) $(MNL_LIBS) $(GPIOD_LIBS) $(SDBUS_LIBS) $(FETCH_LIBS)

# Run inside the VM (tests/vm/run): against qlink.ko, so not on the host.
$(O)/vm/test-%: tests/vm/test-%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) -MMD -MP $(LDFLAGS) $(QLDFLAGS) -o $@ \
		$< $(LIB_A) $(CMOCKA_LIBS) $(MNL_LIBS) $(GPIOD_LIBS) $(SDBUS_LIBS) $(FETCH_LIBS) -lpthread

$(O)/bench/bench-kmod: bench/bench-kmod.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) $(LDFLAGS) $(QLDFLAGS) -o $@ $< $(LIB_A) $(MNL_LIBS) $(GPIOD_LIBS) $(SDBUS_LIBS) $(FETCH_LIBS) -lpthread -lm

vm-build: $(VM_BINS) $(O)/bench/bench-kmod $(O)/qlink $(O)/qlink-sim

SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
	     -fno-omit-frame-pointer

deps:
	scripts/deps --ensure

RUN_TESTS = O=$(O) FUZZ_SECONDS=$(FUZZ_SECONDS) MAKE="$(MAKE)" scripts/run-tests

check: deps
	$(RUN_TESTS) all

check-unit check-pty check-sim check-asan check-valgrind check-fuzz check-fota check-fleet check-vm check-vm-debug check-vm-arm64 check-pkg check-deb check-cross check-matrix check-bench: deps
	$(RUN_TESTS) $(@:check-%=%)

# A real module on the bench: no deps (a board need not have the test servers).
check-hil: tools
	tests/hil/run $(O)

check-hil-sim: deps
	$(RUN_TESTS) hil

# Used by scripts/run-tests: the same tests built with sanitizers.
asan-build:
	$(MAKE) --no-print-directory O=$(O)/asan CFLAGS="$(SAN_FLAGS)" \
		EXTRA_LDFLAGS="-fsanitize=address,undefined" tests

# --------------------------------------------------------------- fuzzing
FUZZ_CFLAGS := -std=c11 -D_GNU_SOURCE -g -O1 -Wall -Wextra $(WERROR_CFLAGS) -Wno-unused-parameter \
	       -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	       -Iinclude -Iinclude/uapi $(LIB_PRIV_CFLAGS) -Itests/common -DQLINK_VERSION='"$(VERSION)"'

$(O)/fuzz/fuzz-%: tests/fuzz/fuzz-%.c $(LIB_SRCS) $(TEST_COMMON_SRCS)
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CFLAGS) -o $@ $< $(LIB_SRCS) $(TEST_COMMON_SRCS)

fuzz-build: $(FUZZ_BINS)

# deps first, then a make that reads the Makefile again: what pkg-config
# finds is what deps installed (demo, bench and fuzz alike)
fuzz: deps
	$(MAKE) --no-print-directory fuzz-build
	$(RUN_TESTS) fuzz

# ------------------------------------------------------------ benchmarks
$(O)/bench/bench-%: bench/bench-%.c $(LIB_A)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(QCFLAGS) $(LIB_PRIV_CFLAGS) $(LDFLAGS) $(QLDFLAGS) -o $@ $< $(LIB_A) $(MNL_LIBS) $(GPIOD_LIBS) $(SDBUS_LIBS) $(FETCH_LIBS)

# make bench: every benchmark, then one table (bench/run); make check runs
# bench/run --short (suite bench) so that none of them can rot unnoticed.
bench: deps
	$(MAKE) --no-print-directory $(BENCH_BINS) tools vm-build
	bench/run $(O)

bench-build: $(BENCH_BINS) tools

# ------------------------------------------------------------------ demo
demo: deps
	$(MAKE) --no-print-directory all
	scripts/demo $(O)

# --------------------------------------------------------------- install
install: install-lib install-tools install-data

# The update agents' integrations (README "Fleet updates"), for images
# that ship SWUpdate or Mender; not part of install.
LUADIR ?= $(PREFIX)/share/lua/5.3
MENDERMODDIR ?= $(PREFIX)/share/mender/modules/v3
install-fleet:
	install -d $(DESTDIR)$(LUADIR) $(DESTDIR)$(MENDERMODDIR)
	install -m 0644 packaging/swupdate/qlink_modem_handler.lua $(DESTDIR)$(LUADIR)/
	install -m 0644 packaging/swupdate/swupdate_handlers.lua $(DESTDIR)$(LUADIR)/
	install -m 0755 packaging/mender/qlink-modem-fw $(DESTDIR)$(MENDERMODDIR)/

install-lib: lib
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR)/qlink $(DESTDIR)$(INCLUDEDIR)/linux \
		$(DESTDIR)$(PKGCONFIGDIR)
	install -m 0644 $(LIB_A) $(DESTDIR)$(LIBDIR)/
	install -m 0755 $(LIB_SO) $(DESTDIR)$(LIBDIR)/
	ln -sf $(notdir $(LIB_SO)) $(DESTDIR)$(LIBDIR)/$(LIB_SONAME)
	ln -sf $(LIB_SONAME) $(DESTDIR)$(LIBDIR)/libqlink.so
	install -m 0644 include/qlink/*.h $(DESTDIR)$(INCLUDEDIR)/qlink/
	@# qlink.ko's ABI, for programs that read /dev/qlink-urc or the netlink family
	install -m 0644 include/uapi/linux/qlink.h include/uapi/linux/qlink-urc-prefixes.h \
		$(DESTDIR)$(INCLUDEDIR)/linux/
	install -m 0644 $(O)/libqlink.pc $(DESTDIR)$(PKGCONFIGDIR)/

install-tools: tools
	install -d $(DESTDIR)$(BINDIR)
	install -m 0755 $(O)/qlink $(SIM_TOOLS) $(DESTDIR)$(BINDIR)/

# Manual pages, shell completion, the systemd unit, the udev rule and the
# example configuration. Files with @DIR@ placeholders are generated into
# $(O)/data/ for the paths of this install.
MAN_PAGES := $(O)/data/man/qlink.1 $(O)/data/man/libqlink.3 \
	$(if $(filter 1,$(WITH_SIM)),$(O)/data/man/qlink-sim.1 $(O)/data/man/qlink-fotapkg.1)
SYSTEMD_DATA := $(O)/data/packaging/systemd/qlink.service
UDEV_DATA := $(O)/data/packaging/udev/99-qlink.rules $(O)/data/packaging/udev/qlink-port
SYSVINIT_DATA := $(O)/data/packaging/sysvinit/qlink
DATA := $(MAN_PAGES) $(O)/data/packaging/qlink.conf \
	$(if $(filter 1,$(WITH_SYSTEMD)),$(SYSTEMD_DATA)) $(if $(filter 1,$(WITH_UDEV)),$(UDEV_DATA)) \
	$(if $(filter 1,$(WITH_SYSVINIT)),$(SYSVINIT_DATA))

SUBST := -e 's|@VERSION@|$(VERSION)|g' -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	-e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' -e 's|@UDEVDIR@|$(UDEVDIR)|g' -e 's|@DOCDIR@|$(DOCDIR)|g'

$(O)/data/man/%: man/%.in Makefile FORCE
	@mkdir -p $(@D)
	@sed $(SUBST) $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(O)/data/packaging/%: packaging/%.in Makefile FORCE
	@mkdir -p $(@D)
	@sed $(SUBST) $< > $@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

data: $(DATA)

install-data: data
	install -d $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3 $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(DOCDIR) $(DESTDIR)$(SYSCONFDIR)
	install -m 0644 $(filter %.1,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man1/
	install -m 0644 $(filter %.3,$(MAN_PAGES)) $(DESTDIR)$(MANDIR)/man3/
	install -m 0644 packaging/bash-completion/qlink $(DESTDIR)$(BASHCOMPDIR)/qlink
	install -m 0644 $(O)/data/packaging/qlink.conf $(DESTDIR)$(DOCDIR)/qlink.conf.example
	@# never over an administrator's configuration
	@if [ -e $(DESTDIR)$(SYSCONFDIR)/qlink.conf ]; then \
		echo "keeping $(DESTDIR)$(SYSCONFDIR)/qlink.conf (example in $(DOCDIR))"; \
	else \
		echo install -m 0644 $(O)/data/packaging/qlink.conf $(DESTDIR)$(SYSCONFDIR)/qlink.conf; \
		install -m 0644 $(O)/data/packaging/qlink.conf $(DESTDIR)$(SYSCONFDIR)/qlink.conf; \
	fi
ifeq ($(WITH_SYSTEMD),1)
	install -d $(DESTDIR)$(SYSTEMDUNITDIR)
	install -m 0644 $(O)/data/packaging/systemd/qlink.service $(DESTDIR)$(SYSTEMDUNITDIR)/
	@# the module has no tty-ldisc alias: systemd-modules-load loads it at boot
	install -d $(DESTDIR)$(MODLOADDIR)
	install -m 0644 packaging/modules-load.d/qlink.conf $(DESTDIR)$(MODLOADDIR)/
endif
ifeq ($(WITH_UDEV),1)
	install -d $(DESTDIR)$(UDEVDIR)/rules.d
	install -m 0644 $(O)/data/packaging/udev/99-qlink.rules $(DESTDIR)$(UDEVDIR)/rules.d/
	install -m 0755 $(O)/data/packaging/udev/qlink-port $(DESTDIR)$(UDEVDIR)/
endif
ifeq ($(WITH_SYSVINIT),1)
	@# starts qlink attach only once qlink.conf names a port
	install -d $(DESTDIR)$(INITDIR)
	install -m 0755 $(O)/data/packaging/sysvinit/qlink $(DESTDIR)$(INITDIR)/$(INITSCRIPT)
endif

# ------------------------------------------------------------------ dist
# The release tarball: git-tracked files of HEAD, dated by HEAD's commit,
# gzip without a name or a time stamp, so the same commit gives the same bytes.
DIST := qlink-$(VERSION)
DIST_REF ?= HEAD

dist:
	@git rev-parse --verify -q $(DIST_REF)^{commit} >/dev/null || { \
		echo "make dist: needs a git checkout (DIST_REF=$(DIST_REF))" >&2; exit 1; }
	@git diff --quiet $(DIST_REF) -- 2>/dev/null || \
		echo "make dist: note: uncommitted changes are not in the tarball ($(DIST_REF) is)" >&2
	@mkdir -p $(O)
	git archive --format=tar --prefix=$(DIST)/ $(DIST_REF) | gzip -9n > $(O)/$(DIST).tar.gz.tmp
	@mv $(O)/$(DIST).tar.gz.tmp $(O)/$(DIST).tar.gz
	@echo "$(O)/$(DIST).tar.gz"

# What the cross suite builds: the library, qlink and the unit tests (no
# simulator: its libcurl is not needed to test the library on the target).
cross-build: lib $(O)/qlink $(UNIT_BINS)

# ---------------------------------------------------------- kernel module
KDIR ?= /lib/modules/$(shell uname -r)/build

modules modules_install:
	@test -d "$(KDIR)" || { echo "KDIR=$(KDIR) does not exist: install kernel headers" \
		"or pass KDIR=" >&2; exit 1; }
	@# our O= means the userspace build directory, not Kbuild's: keep it out
	env -u MAKEFLAGS -u MFLAGS $(MAKE) -C $(KDIR) M=$(CURDIR) $(if $(ARCH),ARCH=$(ARCH)) \
		$(if $(CROSS_COMPILE),CROSS_COMPILE=$(CROSS_COMPILE)) \
		$(if $(INSTALL_MOD_PATH),INSTALL_MOD_PATH=$(INSTALL_MOD_PATH),$(if $(DESTDIR),INSTALL_MOD_PATH=$(DESTDIR))) \
		$(if $(INSTALL_MOD_DIR),INSTALL_MOD_DIR=$(INSTALL_MOD_DIR)) $@

# ---------------------------------------------------------- device tree
# Raspberry Pi overlays: -@ keeps the labels the firmware resolves. dtc has
# no -Werror, so any warning on stderr fails the build.
DTS_SRCS := $(wildcard dts/*-overlay.dts)
DTBOS := $(DTS_SRCS:dts/%-overlay.dts=$(O)/dts/%.dtbo)
DTC ?= dtc
# dtc knows __overlay__ but not the firmware's __dormant__ (a fragment a
# parameter switches on): the Raspberry Pi kernel's own overlay build
# silences the same check
DTC_FLAGS := -Wno-unit_address_vs_reg

dtbs: $(DTBOS)

$(O)/dts/%.dtbo: dts/%-overlay.dts
	@mkdir -p $(@D)
	$(DTC) -@ $(DTC_FLAGS) -I dts -O dtb -o $@ $< 2>$@.log; rc=$$?; cat $@.log >&2; \
		if [ $$rc -ne 0 ] || [ -s $@.log ]; then rm -f $@; exit 1; fi

check-dts: deps
	$(RUN_TESTS) dts

# ------------------------------------------------------------------ misc
# make format: clang-format (.clang-format) over all the userspace C: library,
# tools, simulator, tests and benchmarks. Not kmod/ nor include/uapi/, which
# the kernel module builds: those follow checkpatch.
FORMAT_SRCS := $(sort $(wildcard userspace/*/*.[ch] userspace/lib/*/*.[ch] include/qlink/*.h \
	tests/common/*.[ch] tests/unit/*.[ch] tests/pty/*.[ch] tests/fuzz/*.[ch] \
	tests/vm/*.[ch] bench/*.[ch]))
format:
	clang-format -i $(FORMAT_SRCS)

clean:
	rm -rf $(O)

-include $(shell find $(O) -name '*.d' -type f 2>/dev/null)

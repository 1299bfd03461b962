# cpkit for Windows (issue 21; docs/WINDOWS.md), included by the Makefile.
# Nothing here runs in `make all` or `make test`: only `make windows` and
# `make windows-deps` use it, with the mingw-w64 cross compiler
# (`sh scripts/setup.sh --windows` installs it) and the dependencies that
# scripts/win-deps.sh cross-builds from Debian's sources.
#
# So far it builds the lowest layer, container/, and one program on it,
# cpkit-smoke.exe (tests/win/smoke.c), statically linked: the only DLLs it
# imports are the system's. The POSIX code of the other layers waits for
# the port layer that docs/WINDOWS.md describes.

WIN_HOST	= x86_64-w64-mingw32
# the posix threads flavour of the toolchain: winpthreads (cpkit's
# scanners use pthreads), linked statically with -static
WIN_CC		= $(WIN_HOST)-gcc-posix
WIN_AR		= $(WIN_HOST)-ar
WIN_BUILD	?= build-win
WIN_DEPS	?= $(WIN_BUILD)/deps
WIN_LAYERS	= $(LAYERS)
# files with no Windows counterpart, replaced by one in compat/win/:
# offline hives need hivex (docs/WINDOWS.md §2; hive_none.c); the places
# searched without a PATH and the system's facts (discover_win.c,
# facts_win.c); images and devices for carving (image_win.c);
# open_memstream (memstream_win.c)
WIN_LIB_EXCLUDE	= media/media_hive.c diag/discover_places.c \
		  diag/facts_system.c recovery/image_sys.c diag/memstream.c
# registry: refused where there is no live registry; Windows reads it
# (media/win/media_reg_live.c)
WIN_LIB_EXCLUDE	+= media/reg_live_none.c
WIN_LIB_SRC	= $(filter-out $(WIN_LIB_EXCLUDE), \
		  $(foreach l,$(WIN_LAYERS),$(wildcard $(l)/*.c)))
# the POSIX calls mingw-w64 lacks, done over Win32 (compat/win/), and
# the Windows-only media (win/: the live registry); every file but the
# program objects below goes into the library
WIN_COMPAT_SRC	= $(filter-out compat/win/gost_static.c compat/win/wmain.c, \
		  $(wildcard compat/win/*.c)) $(wildcard media/win/*.c)
WIN_LIB_OBJ	= $(WIN_LIB_SRC:%.c=$(WIN_BUILD)/%.o) \
		  $(WIN_COMPAT_SRC:%.c=$(WIN_BUILD)/%.o)
WIN_LIB		= $(WIN_BUILD)/libcpkit.a
# linked as objects into every program, not from the archive:
# gost_static's constructor registers gost-engine, and nothing refers to
# it; wmain is the entry point (-municode) that gives main UTF-8 arguments
WIN_PROG_OBJ	= $(WIN_BUILD)/compat/win/gost_static.o \
		  $(WIN_BUILD)/compat/win/wmain.o
# the file of a program's main(): renamed cpk_main, called by wmain
WIN_MAIN_CFLAGS	= -Dmain=cpk_main -include compat/win/wmain.h
WIN_TOOLS	= $(TOOLS) cpkit
WIN_BIN		= $(WIN_TOOLS:%=$(WIN_BUILD)/bin/%.exe) \
		  $(WIN_BUILD)/bin/cpkit-smoke.exe
# test programs for tests/win/ (not in the zip)
WIN_TEST_BIN	= $(WIN_BUILD)/tests/win/iconv_check.exe \
		  $(WIN_BUILD)/tests/win/fs_probe.exe
# the tools' POSIX side, replaced by compat/win/cli_sys_win.c (in the
# library) and, for cpkit, compat/win/cpkit_sys_win.c
WIN_CLI_EXCLUDE	= $(BUILD)/tools/cli_sys.o
WIN_CLI_OBJ	= $(patsubst $(BUILD)/%,$(WIN_BUILD)/%, \
		  $(filter-out $(WIN_CLI_EXCLUDE),$(CLI_OBJ)))

# -include posix.h maps the calls mingw-w64 has under other names;
# compat/win/include stands in for the headers it has not (iconv.h,
# gnu/libc-version.h). _FORTIFY_SOURCE and -fPIE are left out: mingw-w64
# has no fortified CRT, and PE images are relocatable (ASLR) already.
# __USE_MINGW_ANSI_STDIO: mingw-w64's C99 printf (%zu, %lld), not
# msvcrt's, in the files that do not include libintl.h (which routes the
# printf family to its own)
WIN_CFLAGS	= -std=c11 -DOPENSSL_API_COMPAT=30000 $(WARN) -O2 -g \
		  -D__USE_MINGW_ANSI_STDIO=1 -D_FILE_OFFSET_BITS=64 \
		  -fstack-protector-strong -include compat/win/posix.h -Icompat/win \
		  -Icompat/win/include -isystem $(WIN_DEPS)/include \
		  $(LAYER_INC) -Itools -MMD -MP
# -static: libgcc, winpthreads and the CRT glue inside the .exe; the
# DLLs left are the system's (kernel32, advapi32, msvcrt, ws2_32...).
WIN_LDFLAGS	= -static -municode -fstack-protector-strong \
		  -Wl,--dynamicbase,--nxcompat,--high-entropy-va \
		  -Wl,--wrap=OSSL_LIB_CTX_new -L$(WIN_DEPS)/lib
# libgcrypt and libgpg-error for the KDF (issue on its speed); unused
# archives add nothing to the .exe
WIN_LIBS	= -lgost -lcrypto -lzip -lz -lintl -lgcrypt -lgpg-error \
		  -lwinscard -lws2_32 -lcrypt32 -lbcrypt -ladvapi32 -luser32 -pthread
WIN_VERSION_DEFS = -DCPK_VERSION=\"$(VERSION)\" \
		  -DCPK_HIVEX_VERSION=\"none\" -DCPK_HIVEX_MISSING=1 \
		  -DCPK_PCSCLITE_VERSION=\"winscard.dll\" \
		  -DCPK_PCSC_LABEL=\"PC/SC\" -DCPK_PCSC_BUILD_TIME=0 \
		  -DCPK_LIBC_LABEL='"C runtime"'

.PHONY: windows windows-deps windows-clean windows-zip test-windows

# the programs, with beside them what they look for there: the Russian
# catalog (locale\ru\LC_MESSAGES) and the man pages as text (man\), so
# that build-win/bin runs as the unpacked zip does
WIN_MO		= $(LINGUAS:%=$(WIN_BUILD)/bin/locale/%/LC_MESSAGES/cpkit.mo)
WIN_MAN		= $(patsubst man/%.1,$(WIN_BUILD)/bin/man/%.txt,$(wildcard man/*.1))
WIN_ZIPDIR	= cpkit-$(VERSION)-win64
WIN_ZIP		= $(WIN_BUILD)/$(WIN_ZIPDIR).zip

windows: windows-deps
	@$(MAKE) --no-print-directory $(WIN_BIN) $(WIN_TEST_BIN) $(WIN_MO) \
	    $(WIN_MAN)
	@sh scripts/win-dlls.sh $(WIN_BIN)
	@$(MAKE) --no-print-directory $(WIN_ZIP)

$(WIN_BUILD)/bin/locale/%/LC_MESSAGES/cpkit.mo: $(BUILD)/locale/%/LC_MESSAGES/cpkit.mo
	@mkdir -p $(dir $@)
	cp $< $@

# groff's plain text (no escape sequences or overstrikes), lines ended
# CR LF for Notepad on Windows 7 and 8.1
$(WIN_BUILD)/bin/man/%.txt: man/%.1
	@mkdir -p $(dir $@)
	LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou $< 2>/dev/null | \
	    sed 's/$$/\r/' >$@.tmp && mv $@.tmp $@

# The zip: the tools (not the smoke program) without their debug
# information (14 MB each with it, 6 MB without; build-win/bin keeps
# it), the catalog, the man pages and a README, under one folder; every file dated by the last commit and
# stored in sorted order, so the same tree gives the same zip.
WIN_ZIP_DATE	= $(shell git log -1 --format=%cd --date=format:%Y%m%d%H%M.%S 2>/dev/null || echo 202601010000)
$(WIN_ZIP): $(WIN_TOOLS:%=$(WIN_BUILD)/bin/%.exe) $(WIN_MO) $(WIN_MAN) \
    compat/win/README-zip.txt mk/windows.mk
	@rm -rf $(WIN_BUILD)/zip $@
	@mkdir -p $(WIN_BUILD)/zip/$(WIN_ZIPDIR)
	cp $(WIN_TOOLS:%=$(WIN_BUILD)/bin/%.exe) $(WIN_BUILD)/zip/$(WIN_ZIPDIR)/
	$(WIN_HOST)-strip $(WIN_TOOLS:%=$(WIN_BUILD)/zip/$(WIN_ZIPDIR)/%.exe)
	cp -r $(WIN_BUILD)/bin/locale $(WIN_BUILD)/bin/man \
	    $(WIN_BUILD)/zip/$(WIN_ZIPDIR)/
	sed -e 's/@VERSION@/$(VERSION)/' -e 's/$$/\r/' \
	    compat/win/README-zip.txt >$(WIN_BUILD)/zip/$(WIN_ZIPDIR)/README.txt
	find $(WIN_BUILD)/zip -exec touch -t $(WIN_ZIP_DATE) {} +
	cd $(WIN_BUILD)/zip && find $(WIN_ZIPDIR) | LC_ALL=C sort | \
	    TZ=UTC zip -q -X -D -@ $(CURDIR)/$@.tmp
	mv $@.tmp $@
	@rm -rf $(WIN_BUILD)/zip
	@echo "windows: $@ ($$(du -k $@ | cut -f1) KiB)"

# The Windows build under wine (issue 21): set-up of the toolchain and
# wine, the build, then the e2e subset against the Linux build's tools.
test-windows:
	@sh scripts/setup.sh --windows
	@$(MAKE) --no-print-directory all
	@$(MAKE) --no-print-directory windows
	@sh tests/win/run.sh

windows-deps:
	@CPKIT_WIN_DEPS_OUT=$(CURDIR)/$(WIN_DEPS) sh scripts/win-deps.sh

windows-clean:
	rm -rf $(foreach l,$(WIN_LAYERS) tools compat tests bin zip,$(WIN_BUILD)/$(l)) \
	    $(WIN_LIB) $(WIN_ZIP)

$(WIN_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_CFLAGS) $(FILE_CFLAGS_$*) -c $< -o $@

$(WIN_BUILD)/container/version.o: WIN_CFLAGS += $(WIN_VERSION_DEFS)
# the SDK's <winscard.h> (mingw-w64's), not pcsc-lite's from PCSC_CFLAGS
$(WIN_BUILD)/token/pcsc.o: FILE_CFLAGS_token/pcsc =
$(WIN_BUILD)/tests/vtoken/vtprobe.o: FILE_CFLAGS_tests/vtoken/vtprobe =
# gost-engine's entry points are declared by compat/win/gost_static.h
$(WIN_BUILD)/compat/win/gost_static.o: WIN_CFLAGS += -Icompat/win
$(WIN_BUILD)/tests/win/smoke.o: WIN_CFLAGS += $(WIN_MAIN_CFLAGS)
$(WIN_TOOLS:%=$(WIN_BUILD)/tools/%.o): WIN_CFLAGS += $(WIN_MAIN_CFLAGS)

$(WIN_LIB): $(WIN_LIB_OBJ)
	@rm -f $@
	$(WIN_AR) rcs $@ $^

$(WIN_BUILD)/bin/cpkit-smoke.exe: $(WIN_BUILD)/tests/win/smoke.o \
    $(WIN_PROG_OBJ) $(WIN_LIB)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $(WIN_BUILD)/tests/win/smoke.o \
	    $(WIN_PROG_OBJ) $(WIN_LIB) $(WIN_LIBS)

$(WIN_BUILD)/tests/win/iconv_check.o: WIN_CFLAGS += -Wno-cast-qual
$(WIN_BUILD)/tests/win/iconv_check.exe: $(WIN_BUILD)/tests/win/iconv_check.o \
    $(WIN_BUILD)/compat/win/iconv.o
	$(WIN_CC) $(filter-out -municode,$(WIN_LDFLAGS)) -o $@ $^

# the live registry backend alone (tests/win/regls.c, tests/win/e2e_registry.sh):
# its stand-in for the media core comes first, so the archive gives the
# backend, container/ and compat/, not media.c; also the test's set-up
# (--deny: a key nobody may read)
WIN_TEST_BIN	+= $(WIN_BUILD)/tests/win/regls.exe
$(WIN_BUILD)/tests/win/regls.o: WIN_CFLAGS += $(WIN_MAIN_CFLAGS)
$(WIN_BUILD)/tests/win/regls.exe: $(WIN_BUILD)/tests/win/regls.o \
    $(WIN_PROG_OBJ) $(WIN_LIB)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $(filter %.o,$^) $(WIN_LIB) $(WIN_LIBS)

# the tools: the same objects as the Linux build's (Makefile), then the
# program objects and the libraries
$(WIN_BUILD)/bin/cpkit-passwd.exe: $(WIN_BUILD)/tools/passwd_recover.o \
    $(WIN_BUILD)/tools/passwd_state.o $(WIN_BUILD)/tools/passwd_space.o
$(WIN_BUILD)/bin/cpkit-fix.exe: $(WIN_BUILD)/tools/fix_certs.o
$(WIN_BUILD)/bin/cpkit-diag.exe: $(WIN_BUILD)/tools/diag_merge.o
$(WIN_BUILD)/bin/cpkit-token.exe: $(WIN_BUILD)/tools/token_pinq.o \
    $(WIN_BUILD)/tools/token_cmds.o $(WIN_BUILD)/tools/token_walkout.o
$(WIN_BUILD)/bin/%.exe: $(WIN_BUILD)/tools/%.o $(WIN_CLI_OBJ) \
    $(WIN_PROG_OBJ) $(WIN_LIB)
	@mkdir -p $(dir $@)
	$(WIN_CC) $(WIN_LDFLAGS) -o $@ $(sort $(filter %.o,$^)) \
	    $(WIN_LIB) $(WIN_LIBS)

# the header dependencies, read only when a Windows target is asked for
# (`make all` and `make test` never look into build-win/)
ifneq ($(filter windows% $(WIN_BUILD)/%,$(MAKECMDGOALS)),)
-include $(shell find $(WIN_BUILD) -name '*.d' -not -path '*/deps/*' 2>/dev/null)
endif

# the files-and-folders port layer alone (tests/win/fs_probe.c,
# tests/win/e2e_fs.sh)
WIN_FS_OBJ	= $(patsubst %.c,$(WIN_BUILD)/%.o,$(wildcard compat/win/fs_*.c))
$(WIN_BUILD)/tests/win/fs_probe.exe: $(WIN_BUILD)/tests/win/fs_probe.o \
    $(WIN_FS_OBJ)
	$(WIN_CC) $(filter-out -municode,$(WIN_LDFLAGS)) -o $@ $^ -lbcrypt \
	    -ladvapi32

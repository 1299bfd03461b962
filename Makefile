# cpkit: plain make, C11. `make demo` and `make test` first run the set-up
# step (scripts/setup.sh) that installs missing Debian packages.

PREFIX	?= /usr/local
DESTDIR	?=
# the library's folder; the Debian package sets the multiarch one
LIBDIR	?= $(PREFIX)/lib
BUILD	?= build
CC	?= cc

WARN	= -Wall -Wextra -Werror -Wshadow -Wcast-qual -Wwrite-strings \
	  -Wstrict-prototypes -Wmissing-prototypes -Wimplicit-fallthrough \
	  -Wconversion -Wsign-conversion -pedantic
HARDEN	= -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -DOPENSSL_API_COMPAT=30000 \
	  $(WARN) $(HARDEN) $(CFLAGS) $(SAN) $(LAYER_INC) -Itools -MMD -MP
# The library's layers, lowest first (ARCHITECTURE.md): the codec and
# crypto, the media, the tokens, then the findings and the recovery.
LAYERS	= container media token diag recovery
LAYER_INC = $(LAYERS:%=-I%) -Iinclude
LDFLAGS	?=
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(SAN) $(LDFLAGS)
# libgcrypt computes the KDF's hashes (container/gcry_md.c, issue 20)
GCRYPT_LIBS := $(shell pkg-config --libs libgcrypt 2>/dev/null || libgcrypt-config --libs 2>/dev/null || echo -lgcrypt)
LIBS	= -lcrypto -lhivex -lzip -lpcsclite $(GCRYPT_LIBS) -pthread
# only token/pcsc.c (and the test card's probe) include <winscard.h>
PCSC_CFLAGS := $(shell pkg-config --cflags libpcsclite 2>/dev/null || echo -I/usr/include/PCSC)

# the public headers, installed and the export map's source (defined
# before any rule that lists them)
HEADERS	= include/cpkit.h container/err.h container/blob.h \
	  container/display.h container/json.h container/container.h \
	  container/key.h media/media.h token/tokens.h diag/diag.h \
	  diag/pinq.h recovery/recovery.h
LIB_SRC	= $(foreach l,$(LAYERS),$(wildcard $(l)/*.c))
LIB_OBJ	= $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB	= $(BUILD)/libcpkit.a

TOOLS	= cpkit-list cpkit-test cpkit-fix cpkit-export cpkit-import \
	  cpkit-passwd cpkit-carve cpkit-diag cpkit-token
TOOL_BIN = $(TOOLS:%=$(BUILD)/bin/%)
CLI_OBJ	= $(BUILD)/tools/cli.o $(BUILD)/tools/cli_pin.o \
	  $(BUILD)/tools/cli_pwlist.o $(BUILD)/tools/cli_stdout.o \
	  $(BUILD)/tools/cli_discover.o $(BUILD)/tools/cli_progress.o \
	  $(BUILD)/tools/cli_usage.o $(BUILD)/tools/cli_sys.o

TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_HELPER = $(BUILD)/tests/helpers.o $(BUILD)/tests/mkhive.o \
	      $(BUILD)/tests/certissue.o \
	      $(BUILD)/tests/hdrpatch.o

FUZZERS	= fuzz_codec fuzz_cert fuzz_reg fuzz_hive fuzz_fat fuzz_apdu \
	  fuzz_space fuzz_display fuzz_faults fuzz_json
FUZZ_BIN = $(FUZZERS:%=$(BUILD)/fuzz/%)
GEN	= $(BUILD)/tests/gen_samples
GENX	= $(BUILD)/tests/gen_expiry
GENW	= $(BUILD)/tests/gen_wide

# One product: the cpkit front binary, the version, the shared library and
# its pkg-config file (rules in the "shared library" block below).
VERSION	= 0.9.0
FRONT	= $(BUILD)/bin/cpkit
# The ABI's major number: bumped when a public struct, a function's
# signature or the set of exported functions changes incompatibly (1: issue
# 17, cpk_container and cpk_findings grew, internal symbols unexported,
# cpk_cert_issue left for tests/). The installed file is SOFILE.
SOVERSION = 2
SONAME	= libcpkit.so.$(SOVERSION)
SOFILE	= $(SONAME).0.0
SOLIB	= $(BUILD)/$(SONAME)
PIC_OBJ	= $(LIB_SRC:%.c=$(BUILD)/pic/%.o)
PCFILE	= $(BUILD)/cpkit.pc
# message catalogs, po/LANG.po (the "translations" block below)
LINGUAS	= ru
MO	= $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/cpkit.mo)

.PHONY: all setup demo test unit e2e fuzz-replay asan fuzz install valgrind \
	uninstall clean samples check-headers bench pot e2e-ru exports layers \
	deb

all: $(LIB) $(TOOL_BIN) $(FRONT) $(MO)

setup:
	@sh scripts/setup.sh

# Flags of single files, by path without .c; every build of the file (the
# static and the PIC objects, the fuzzers) takes them from here.
# ENGINE is deprecated in OpenSSL 3; this is the one file allowed to use it.
FILE_CFLAGS_container/gost_engine = -Wno-deprecated-declarations
# only these include <winscard.h>
FILE_CFLAGS_token/pcsc = $(PCSC_CFLAGS)
FILE_CFLAGS_tests/vtoken/vtprobe = $(PCSC_CFLAGS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FILE_CFLAGS_$*) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/cpkit-passwd: $(BUILD)/tools/passwd_recover.o \
    $(BUILD)/tools/passwd_state.o $(BUILD)/tools/passwd_space.o
$(BUILD)/bin/cpkit-fix: $(BUILD)/tools/fix_certs.o
$(BUILD)/bin/cpkit-diag: $(BUILD)/tools/diag_merge.o
# the front command's POSIX side (compat/win/cpkit_sys_win.c on Windows)
$(BUILD)/bin/cpkit: $(BUILD)/tools/cpkit_sys.o
$(BUILD)/bin/cpkit-token: $(BUILD)/tools/token_pinq.o $(BUILD)/tools/token_cmds.o \
    $(BUILD)/tools/token_walkout.o

# The virtual Rutoken (tests/vtoken): a card for vpcd, no library code.
VTOKEN_SRC = $(filter-out tests/vtoken/vtprobe.c,$(wildcard tests/vtoken/*.c))
VTOKEN	= $(BUILD)/tests/vtoken/vtoken
VTPROBE	= $(BUILD)/tests/vtoken/vtprobe
$(VTOKEN): $(VTOKEN_SRC:%.c=$(BUILD)/%.o)
	$(CC) $(ALL_LDFLAGS) -o $@ $^
$(VTPROBE): $(BUILD)/tests/vtoken/vtprobe.o
	$(CC) $(ALL_LDFLAGS) -o $@ $^ -lpcsclite

$(BUILD)/bin/%: $(BUILD)/tools/%.o $(CLI_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(sort $(filter %.o,$^)) $(filter %.a,$^) $(LIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_HELPER) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lcriterion

# test_pcsc_faults answers PC/SC in process with vtoken's card model and
# fails the Nth SCard* call (tests/test_pcsc_faults.c)
PCSC_WRAP = SCardEstablishContext SCardReleaseContext SCardListReaders \
	SCardConnect SCardDisconnect SCardBeginTransaction \
	SCardEndTransaction SCardStatus SCardTransmit
VTOKEN_CARD_OBJ = $(patsubst %.c,$(BUILD)/%.o,$(filter-out \
	tests/vtoken/main.c tests/vtoken/wire.c,$(VTOKEN_SRC)))
FILE_CFLAGS_tests/test_pcsc_faults = $(PCSC_CFLAGS) -Itests
$(BUILD)/tests/test_pcsc_faults: $(VTOKEN_CARD_OBJ)
$(BUILD)/tests/test_pcsc_faults: ALL_LDFLAGS += \
	$(PCSC_WRAP:%=-Wl,--wrap=%)

# test_faults makes chosen library calls fail (tests/test_faults.c)
$(BUILD)/tests/test_faults: ALL_LDFLAGS += -Wl,--wrap=realloc \
	-Wl,--wrap=strdup -Wl,--wrap=cpk_gost_mac4 \
	-Wl,--wrap=cpk_masks_check_mac -Wl,--wrap=cpk_password_check \
	-Wl,--wrap=cpk_key_sign_verify

$(GEN): $(BUILD)/tests/gen_samples.o $(BUILD)/tests/genkey.o \
	$(BUILD)/tests/certissue.o \
	$(BUILD)/tests/mkhive.o $(BUILD)/tests/hdrpatch.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# the containers tests/e2e_expiry.sh judges, written at each run
$(GENX): $(BUILD)/tests/gen_expiry.o $(BUILD)/tests/genkey.o \
	$(BUILD)/tests/certissue.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# 300-character subjects for the report's layout test (e2e_report.sh)
$(GENW): $(BUILD)/tests/gen_wide.o $(BUILD)/tests/genkey.o \
	$(BUILD)/tests/certissue.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/standalone.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# fuzz_faults makes the library's Nth allocation fail (its header comment)
FAULT_WRAP = -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup
$(BUILD)/fuzz/fuzz_faults: ALL_LDFLAGS += $(FAULT_WRAP)

# ---- shared library, pkg-config, version (one product) ----
# hivex and pcsc-lite have no run-time version call: the version built
# against, from pkg-config, goes into container/version.c.
VERSION_DEFS = -DCPK_VERSION=\"$(VERSION)\" \
	  -DCPK_HIVEX_VERSION=\"$(shell pkg-config --modversion hivex 2>/dev/null || echo unknown)\" \
	  -DCPK_PCSCLITE_VERSION=\"$(shell pkg-config --modversion libpcsclite 2>/dev/null || echo unknown)\"
$(BUILD)/container/version.o $(BUILD)/pic/container/version.o: \
	ALL_CFLAGS += $(VERSION_DEFS)

# libcpkit.so from position-independent objects in their own tree; the
# static library and the binaries are built as before.
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FILE_CFLAGS_$*) -fPIC -c $< -o $@

# It exports exactly the functions the public headers declare (issue 17
# §2): the version script is made from them by the compiler, and
# tests/e2e_exports.sh checks the library against them both ways.
EXPORT_MAP = $(BUILD)/libcpkit.map
$(EXPORT_MAP): $(HEADERS) scripts/exports.sh
	@mkdir -p $(dir $@)
	sh scripts/exports.sh --map $(CC) $(HEADERS) >$@.tmp && mv $@.tmp $@

$(SOLIB): $(PIC_OBJ) $(EXPORT_MAP)
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,-z,defs -Wl,-z,relro,-z,now \
	    -Wl,--version-script=$(EXPORT_MAP) $(SAN) $(LDFLAGS) -o $@ \
	    $(PIC_OBJ) $(LIBS)

# Remade on every run (PREFIX may have changed), rewritten only when the
# text differs.
$(PCFILE): cpkit.pc.in FORCE
	@mkdir -p $(dir $@)
	@sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' \
	    -e 's|@VERSION@|$(VERSION)|g' cpkit.pc.in >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
.PHONY: FORCE
FORCE:

# ---- translations (gettext, domain "cpkit") ----
# po/cpkit.pot from the marked messages (`make pot`); each po/LANG.po
# compiled, checked, into $(BUILD)/locale/LANG/LC_MESSAGES/cpkit.mo. The
# tools look in LOCALEDIR unless CPKIT_LOCALEDIR says otherwise (the
# tests point it at $(BUILD)/locale). LOCALEDIR goes into cli.o only;
# like the .pc file it is remade when PREFIX changes.
LOCALEDIR ?= $(PREFIX)/share/locale
# `cpkit help X` shows <bin>/../../man/cpkit-X.1 (the source tree's, for a
# build tree), else `man cpkit-X`, else MANDIR's page by `man -l`.
MANDIR	?= $(PREFIX)/share/man
POT	?= po/cpkit.pot
XGETTEXT_OPTS = --language=C --from-code=UTF-8 --add-comments=TRANSLATORS: \
	  --keyword=_ --keyword=N_ --keyword=P_:1,2 --keyword=C_:1c,2 \
	  --keyword=dgettext:2 --keyword=dngettext:2,3 --keyword=X:4 \
	  --flag=cli_error:1:c-format --flag=cli_out:2:c-format \
	  --flag=cpk_finding_add:3:c-format \
	  --flag=cpk_finding_evidence:2:c-format --flag=fix_note:3:c-format \
	  --flag=fix_refuse:3:c-format --flag=cpk_carve_note:2:c-format \
	  --flag=cpk_media_warn:2:c-format --flag=rwarn:3:c-format \
	  --package-name=cpkit --package-version=$(VERSION)
# X:4 is the text of each CPK_ERRORS entry in container.h
POT_SRC	= container/err.h container/container.h tools/cli.h $(sort $(LIB_SRC) \
	  $(wildcard tools/*.c) $(wildcard compat/win/*.c media/win/*.c))

$(BUILD)/locale/%/LC_MESSAGES/cpkit.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check --statistics -o $@ $<

$(BUILD)/localedir: FORCE
	@mkdir -p $(dir $@)
	@echo '$(LOCALEDIR) $(MANDIR)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi
$(BUILD)/tools/cli.o: $(BUILD)/localedir
$(BUILD)/tools/cli.o: ALL_CFLAGS += -DCPK_LOCALEDIR=\"$(LOCALEDIR)\"
$(BUILD)/tools/cpkit_sys.o: $(BUILD)/localedir
$(BUILD)/tools/cpkit_sys.o: ALL_CFLAGS += -DCPK_MANDIR=\"$(MANDIR)\"

pot:
	xgettext $(XGETTEXT_OPTS) -o $(POT) $(POT_SRC)

# The samples are judged at a fixed date (samples/README.md): their GOST
# 2012 keys are past the 15-month usage period from 2026-04-01 on.
DEMO_NOW ?= 2025-06-01
demo: setup all
	@CPKIT_NOW=$(DEMO_NOW) sh scripts/demo.sh $(BUILD)/bin

# The tests make their folders under TMPDIR: a fresh one per run, which
# must be empty afterwards (a test that leaks a container copy fails here).
unit: $(TEST_BIN)
	@set -e; tmpd=$$(mktemp -d /tmp/cpkit-unit.XXXXXX); \
	    for t in $(TEST_BIN); do echo "== $$t"; \
	    TMPDIR=$$tmpd CPK_FIXTURES=$(CURDIR)/../shared/fixtures/real \
	    $$t --jobs 1 || { rm -rf "$$tmpd"; exit 1; }; done; \
	    left=$$(ls -A "$$tmpd"); \
	    if [ -n "$$left" ]; then echo "unit tests left in TMPDIR:" $$left; \
	    rm -rf "$$tmpd"; exit 1; fi; rmdir "$$tmpd"

fuzz-replay: $(FUZZ_BIN)
	@set -e; for f in $(FUZZERS); do \
	    $(BUILD)/fuzz/$$f tests/fuzz/corpus/$${f#fuzz_}/*; done

# The end-to-end scripts (tests/NAME.sh), in the order they run; the one
# list for `make e2e` and `make valgrind`. Each takes the binaries' folder,
# or the arguments its E2E_ARGS_NAME gives.
E2E	= e2e e2e_fix e2e_reg e2e_export e2e_recover e2e_carve e2e_diag \
	  e2e_report e2e_vtoken e2e_token e2e_opensc e2e_badinput e2e_hostile \
	  e2e_expiry e2e_locked e2e_certs e2e_address e2e_pairs e2e_parse \
	  e2e_list e2e_first e2e_deb e2e_fleet e2e_merge e2e_stream e2e_part \
	  e2e_slurm
E2E_ARGS_e2e_vtoken = $(VTOKEN) $(VTPROBE)
E2E_ARGS_e2e_token = $(BUILD)/bin $(VTOKEN) $(VTPROBE)
E2E_ARGS_e2e_opensc = $(BUILD)/bin $(VTOKEN) $(VTPROBE)
E2E_ARGS_e2e_report = $(BUILD)/bin $(GENW)
# may exit 77 (skipped) when what they test against is not installed;
# e2e_deb when not root, or when a cpkit is already installed (it never
# removes someone's install); e2e_slurm when not root (slurmd needs it)
E2E_MAY_SKIP = e2e_opensc e2e_report e2e_deb e2e_slurm
# What memcheck leaves out, and why:
# e2e_recover, e2e_part: their interrupt, kill -9 and periodic-save tests
#   are timed, and memcheck's slowdown breaks the timing, not the code
#   (ASan covers it);
# e2e_vtoken: runs the virtual card only, no cpkit binary;
# e2e_opensc: OpenSC's tools against the card, cpkit-token only to set a PIN;
# e2e_report: headless Chromium on the report, one cpkit-diag run;
# e2e_deb: runs the packaged binaries in /usr/bin, not the build tree's;
# e2e_fleet: cpkit-diag runs on the far side of ssh, started by Ansible,
#   not by the script (its scan is e2e_diag's, which memcheck covers);
# e2e_slurm: cpkit-passwd runs in Slurm's job steps, not under the
#   script (its runs are e2e_part's, which ASan covers);
# the others: not yet run under memcheck, which makes them take hours;
#   `make asan` covers them.
E2E_NO_VG = e2e_recover e2e_report e2e_vtoken e2e_opensc e2e_deb \
	  e2e_hostile e2e_expiry e2e_locked e2e_certs e2e_address e2e_pairs \
	  e2e_parse e2e_fleet e2e_part e2e_slurm

# What `make asan` leaves out: e2e_deb builds and installs the package, a
# build of its own that the sanitizers are not in.
E2E_NO_ASAN = e2e_deb
E2E_SKIP ?=
e2e: all $(VTOKEN) $(VTPROBE) $(GENX) $(GENW)
	@$(foreach s,$(filter-out $(E2E_SKIP),$(E2E)),{ sh tests/$(s).sh $(or $(E2E_ARGS_$(s)),$(BUILD)/bin) \
	    $(if $(filter $(s),$(E2E_MAY_SKIP)),|| [ $$? -eq 77 ]); } && ) :

# The same end-to-end tests in Russian (tests/e2e_l10n.sh), and the
# checks of the catalog itself (tests/e2e_lang.sh).
e2e-ru: all
	@E2E_LANG=ru E2E_LOCALEDIR=$(abspath $(BUILD))/locale \
	    $(MAKE) --no-print-directory e2e
	@MAKE=$(MAKE) sh tests/e2e_lang.sh $(BUILD)

test: setup check-headers all unit fuzz-replay e2e e2e-ru exports layers
	@MAKE=$(MAKE) sh tests/e2e_install.sh $(BUILD)
	@echo "all test suites passed"

# The whole suite under AddressSanitizer + UBSan, in its own build tree.
# A sanitizer report or a leak ends the program with 86/87, which no test
# accepts (cpkit's own exit codes are 0-4).
asan: setup
	@ASAN_OPTIONS=exitcode=86 \
	    LSAN_OPTIONS=exitcode=87:suppressions=$(CURDIR)/tests/lsan.supp \
	    $(MAKE) --no-print-directory BUILD=build-asan CFLAGS="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    E2E_SKIP="$(E2E_NO_ASAN)" unit fuzz-replay e2e

# The end-to-end tests with each binary under Valgrind memcheck: all of
# E2E but E2E_NO_VG.
VG_TESTS = $(patsubst %,tests/%.sh,$(filter-out $(E2E_NO_VG),$(E2E)))
valgrind: setup all $(VTOKEN) $(VTPROBE)
	@sh scripts/valgrind.sh $(BUILD)/bin $(VG_TESTS)

# libFuzzer with clang; FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
fuzz: setup
	@set -e; mkdir -p build-fuzz; for f in $(FUZZERS); do \
	    clang -std=c11 -D_DEFAULT_SOURCE -DOPENSSL_API_COMPAT=30000 -g -O1 \
	    -fsanitize=fuzzer,address,undefined $(LAYER_INC) $(WARN) \
	    $(FILE_CFLAGS_container/gost_engine) $(PCSC_CFLAGS) \
	    tests/fuzz/$$f.c $(LIB_SRC) \
	    `[ $$f = fuzz_faults ] && echo '$(FAULT_WRAP)'` \
	    -o build-fuzz/$$f $(LIBS); \
	    mkdir -p tests/fuzz/corpus-run/$${f#fuzz_}; \
	    build-fuzz/$$f -max_total_time=$(FUZZ_SECONDS) \
	        tests/fuzz/corpus-run/$${f#fuzz_} tests/fuzz/corpus/$${f#fuzz_}; \
	done

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Benchmarks against the same-run reference of PERFORMANCE.md.
bench: setup all $(BUILD)/bench/kdf $(BUILD)/bench/threads \
    $(BUILD)/bench/regparse
	@sh bench/run.sh $(BUILD) 3

samples: $(GEN)
	rm -rf samples/flash samples/registry samples/duplicate samples/forms
	$(GEN) samples/flash samples/registry samples/duplicate samples/forms
	sh scripts/mkimage.sh

# Tools include only the public headers; each public header compiles alone.
# The library's layers call and include only what they may (tests/layers.sh)
layers: $(LIB)
	@sh tests/layers.sh $(BUILD)

exports: $(SOLIB)
	@sh tests/e2e_exports.sh "$(CC)" $(SOLIB) $(HEADERS)

check-headers:
	@! grep -nE '(internal|_int)\.h"' tools/*.c tools/*.h
	@for h in $(HEADERS); do \
	    echo "#include \"$$h\"" | $(CC) -std=c11 -D_DEFAULT_SOURCE \
	    $(LAYER_INC) -fsyntax-only -x c - || exit 1; done

# Everything goes under $(DESTDIR)$(PREFIX); uninstall removes exactly
# what install put there, and include/cpkit once it is empty.
DEST	= $(DESTDIR)$(PREFIX)
DLIB	= $(DESTDIR)$(LIBDIR)
COMPDIR	= $(DEST)/share/bash-completion/completions
MANPAGES = $(wildcard man/*.1)

install: all $(SOLIB) $(PCFILE)
	install -d $(DEST)/bin $(DLIB)/pkgconfig $(DEST)/include/cpkit \
	    $(DEST)/share/man/man1 $(COMPDIR)
	install -m 0755 $(TOOL_BIN) $(FRONT) $(DEST)/bin/
	install -m 0644 $(LIB) $(DLIB)/
	install -m 0755 $(SOLIB) $(DLIB)/$(SOFILE)
	ln -sf $(SOFILE) $(DLIB)/$(SONAME)
	ln -sf $(SONAME) $(DLIB)/libcpkit.so
	install -m 0644 $(PCFILE) $(DLIB)/pkgconfig/
	install -m 0644 $(HEADERS) $(DEST)/include/cpkit/
	install -m 0644 $(MANPAGES) $(DEST)/share/man/man1/
	install -m 0644 completion/cpkit.bash $(COMPDIR)/cpkit
	for t in $(TOOLS); do ln -sf cpkit $(COMPDIR)/$$t || exit 1; done
	for l in $(LINGUAS); do install -D -m 0644 \
	    $(BUILD)/locale/$$l/LC_MESSAGES/cpkit.mo \
	    $(DEST)/share/locale/$$l/LC_MESSAGES/cpkit.mo || exit 1; done

uninstall:
	rm -f $(TOOLS:%=$(DEST)/bin/%) $(DEST)/bin/cpkit \
	    $(DLIB)/libcpkit.a $(DLIB)/$(SOFILE) \
	    $(DLIB)/$(SONAME) $(DLIB)/libcpkit.so \
	    $(DLIB)/pkgconfig/cpkit.pc \
	    $(addprefix $(DEST)/include/cpkit/,$(notdir $(HEADERS))) \
	    $(MANPAGES:man/%=$(DEST)/share/man/man1/%) \
	    $(COMPDIR)/cpkit $(TOOLS:%=$(COMPDIR)/%)
	if [ -d $(DEST)/include/cpkit ]; then \
	    rmdir --ignore-fail-on-non-empty $(DEST)/include/cpkit; fi
	rm -f $(LINGUAS:%=$(DEST)/share/locale/%/LC_MESSAGES/cpkit.mo)

# ---- Debian package ----
# cpkit_$(VERSION)_amd64.deb, libcpkit$(SOVERSION) and libcpkit-dev (and
# their -dbgsym) into $(DEBDIR), with dpkg-buildpackage and debian/. It
# builds in a copy of the tree (no build folders, no VCS files) so that
# the package's clean step and its PREFIX=/usr objects never meet this
# tree's build/, and without this make's MAKEFLAGS (`make asan`'s SAN and
# BUILD would reach debian/rules' make otherwise). debian/changelog must
# carry VERSION: the package's version is read from there.
DEBDIR	= $(BUILD)/deb
DEBSRC	= $(DEBDIR)/cpkit-$(VERSION)
deb:
	@v=$$(dpkg-parsechangelog -l debian/changelog -S Version) && \
	    [ "$$v" = "$(VERSION)" ] || { echo "debian/changelog has" \
	    "version $$v, the Makefile $(VERSION)" >&2; exit 1; }
	rm -rf $(DEBDIR)
	mkdir -p $(DEBSRC)
	tar -c --exclude-vcs --exclude=./build --exclude='./build-*' \
	    --exclude=./tests/fuzz/corpus-run --exclude='*.o' --exclude='*.d' \
	    . | tar -x -C $(DEBSRC)
	cd $(DEBSRC) && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	    dpkg-buildpackage -us -uc -b -j2
	rm -rf $(DEBSRC)
	@ls $(DEBDIR)/*.deb

clean:
	rm -rf build build-asan build-fuzz

# keep intermediate objects: no "rm" after the last test line
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
include mk/windows.mk

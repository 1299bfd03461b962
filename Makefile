# cpkit: plain make, C11. `make demo` and `make test` first run the set-up
# step (scripts/setup.sh) that installs missing Debian packages.

PREFIX	?= /usr/local
DESTDIR	?=
BUILD	?= build
CC	?= cc

WARN	= -Wall -Wextra -Werror -Wshadow -Wcast-qual -Wwrite-strings \
	  -Wstrict-prototypes -Wmissing-prototypes -Wimplicit-fallthrough \
	  -Wconversion -Wsign-conversion -pedantic
HARDEN	= -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
CFLAGS	?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -DOPENSSL_API_COMPAT=30000 \
	  $(WARN) $(HARDEN) $(CFLAGS) $(SAN) -Icontainer -Idiag -Irecovery -Itools \
	  -MMD -MP
LDFLAGS	?=
ALL_LDFLAGS = -pie -Wl,-z,relro,-z,now $(SAN) $(LDFLAGS)
LIBS	= -lcrypto -lhivex -lzip

LIB_SRC	= $(wildcard container/*.c) $(wildcard diag/*.c) \
	  $(wildcard recovery/*.c)
LIB_OBJ	= $(LIB_SRC:%.c=$(BUILD)/%.o)
LIB	= $(BUILD)/libcpkit.a

TOOLS	= cpkit-list cpkit-test cpkit-fix cpkit-export cpkit-import \
	  cpkit-passwd cpkit-carve cpkit-diag
TOOL_BIN = $(TOOLS:%=$(BUILD)/bin/%)
CLI_OBJ	= $(BUILD)/tools/cli.o

TEST_SRC = $(wildcard tests/test_*.c)
TEST_BIN = $(TEST_SRC:tests/%.c=$(BUILD)/tests/%)
TEST_HELPER = $(BUILD)/tests/helpers.o $(BUILD)/tests/mkhive.o

FUZZERS	= fuzz_codec fuzz_cert fuzz_reg fuzz_hive fuzz_fat
FUZZ_BIN = $(FUZZERS:%=$(BUILD)/fuzz/%)
GEN	= $(BUILD)/tests/gen_samples

.PHONY: all setup demo test unit e2e fuzz-replay asan fuzz install \
	uninstall clean samples check-headers bench

all: $(LIB) $(TOOL_BIN)

setup:
	@sh scripts/setup.sh

# ENGINE is deprecated in OpenSSL 3; this is the one file allowed to use it
$(BUILD)/container/gost_engine.o: ALL_CFLAGS += -Wno-deprecated-declarations

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/bin/cpkit-passwd: $(BUILD)/tools/passwd_recover.o

$(BUILD)/bin/%: $(BUILD)/tools/%.o $(CLI_OBJ) $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $(filter %.o,$^) $(filter %.a,$^) $(LIBS)

$(BUILD)/tests/test_%: $(BUILD)/tests/test_%.o $(TEST_HELPER) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) -lcriterion

$(GEN): $(BUILD)/tests/gen_samples.o $(BUILD)/tests/mkhive.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/fuzz/%: $(BUILD)/tests/fuzz/%.o $(BUILD)/tests/fuzz/standalone.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

demo: setup all
	@sh scripts/demo.sh $(BUILD)/bin

unit: $(TEST_BIN)
	@set -e; for t in $(TEST_BIN); do echo "== $$t"; \
	    CPK_FIXTURES=$(CURDIR)/../shared/fixtures/real $$t --jobs 1; done

fuzz-replay: $(FUZZ_BIN)
	@set -e; for f in $(FUZZERS); do \
	    $(BUILD)/fuzz/$$f tests/fuzz/corpus/$${f#fuzz_}/*; done

e2e: all
	@sh tests/e2e.sh $(BUILD)/bin
	@sh tests/e2e_fix.sh $(BUILD)/bin
	@sh tests/e2e_reg.sh $(BUILD)/bin
	@sh tests/e2e_export.sh $(BUILD)/bin
	@sh tests/e2e_recover.sh $(BUILD)/bin
	@sh tests/e2e_carve.sh $(BUILD)/bin
	@sh tests/e2e_diag.sh $(BUILD)/bin

test: setup check-headers all unit fuzz-replay e2e
	@echo "all test suites passed"

# The whole suite under AddressSanitizer + UBSan, in its own build tree.
asan: setup
	@$(MAKE) --no-print-directory BUILD=build-asan CFLAGS="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
	    unit fuzz-replay e2e

# libFuzzer with clang; FUZZ_SECONDS per target.
FUZZ_SECONDS ?= 60
fuzz: setup
	@set -e; mkdir -p build-fuzz; for f in $(FUZZERS); do \
	    clang -std=c11 -D_DEFAULT_SOURCE -DOPENSSL_API_COMPAT=30000 -g -O1 \
	    -fsanitize=fuzzer,address,undefined -Icontainer \
	    -Wno-deprecated-declarations \
	    tests/fuzz/$$f.c container/*.c recovery/*.c -Irecovery \
	    -o build-fuzz/$$f -lcrypto -lhivex; \
	    mkdir -p tests/fuzz/corpus-run/$${f#fuzz_}; \
	    build-fuzz/$$f -max_total_time=$(FUZZ_SECONDS) \
	        tests/fuzz/corpus-run/$${f#fuzz_} tests/fuzz/corpus/$${f#fuzz_}; \
	done

$(BUILD)/bench/%: $(BUILD)/bench/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

# Benchmarks against the same-run reference of PERFORMANCE.md.
bench: setup all $(BUILD)/bench/kdf $(BUILD)/bench/threads
	@sh bench/run.sh $(BUILD) 3

samples: $(GEN)
	rm -rf samples/flash samples/registry
	$(GEN) samples/flash samples/registry
	sh scripts/mkimage.sh

# Tools include only the public headers; each public header compiles alone.
check-headers:
	@! grep -n 'internal\.h' tools/*.c tools/*.h
	@for h in container/container.h diag/diag.h recovery/recovery.h; do \
	    echo "#include \"$$h\"" | $(CC) -std=c11 -D_DEFAULT_SOURCE -Icontainer \
	    -Idiag -Irecovery -fsyntax-only -x c - || exit 1; done

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib \
	    $(DESTDIR)$(PREFIX)/include/cpkit $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 $(TOOL_BIN) $(DESTDIR)$(PREFIX)/bin/
	install -m 0644 $(LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 0644 container/container.h diag/diag.h recovery/recovery.h \
	    $(DESTDIR)$(PREFIX)/include/cpkit/
	install -m 0644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/

uninstall:
	rm -f $(TOOLS:%=$(DESTDIR)$(PREFIX)/bin/%) \
	    $(DESTDIR)$(PREFIX)/lib/libcpkit.a \
	    $(TOOLS:%=$(DESTDIR)$(PREFIX)/share/man/man1/%.1)
	rm -rf $(DESTDIR)$(PREFIX)/include/cpkit

clean:
	rm -rf build build-asan build-fuzz

# keep intermediate objects: no "rm" after the last test line
.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

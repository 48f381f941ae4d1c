# SPDX-License-Identifier: GPL-2.0
#
# binfmt_rs. The module itself is described by Kbuild; this file drives it and the
# rest of the project:
#
#   make [KDIR=DIR] [LLVM=-19]   build binfmt_rs.ko (default KDIR: the cached test kernel)
#   make demo                    boot the test guest and show what exec leaves in a process
#   make check                   every test, in KTAP; ends with "N passed, N failed"
#   make check-debug             the guest suites on the sanitizer (debug) kernel
#   make bench                   exec through binfmt_rs against the kernel's loader
#   make fuzz [FUZZ_SECONDS=N]   long libFuzzer runs of the core, growing its corpus
#   make htmldocs                Documentation/ as HTML in build/htmldocs
#   make docs-examples           capture again the outputs Documentation/ shows
#   make setup | kernel | execprobe | execprobe-arm64 | samples | clean
#
# The module also builds the usual way: make -C $KDIR M=$PWD LLVM=-19

export KDIR
# rustup's tools, wherever make is started from (CI starts it with a bare PATH).
export PATH := $(HOME)/.cargo/bin:$(PATH)
TARGET := x86_64-unknown-linux-gnu
EXECPROBE := target/$(TARGET)/release/execprobe

# Plain make only builds: what it needs is installed by make setup (make demo and
# make check run it themselves).
module:
	tools/build-module

setup:
	tools/setup

kernel:
	tools/kernel/build >/dev/null

# execprobe runs in a guest with no libc: a static glibc binary; beside it the
# static i386 child through which `execprobe vdso32` calls the 32-bit vDSO.
execprobe:
	CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C target-feature=+crt-static" \
		cargo build --release --locked --target $(TARGET) -p execprobe
	$(CC) -m32 -static -O2 -Wall -Wextra -Werror -o $(dir $(EXECPROBE))execprobe-vdso32 \
		tools/execprobe/vdso32/vdso32.c

# execprobe for the arm64 guest: cross-built for AArch64 with clang and lld against
# the cross sysroot's glibc (/usr/aarch64-linux-gnu), static like the x86_64 one.
# It has no vdso32 child: that one calls the i386 vDSO of an x86-64 kernel.
TARGET_ARM64 := aarch64-unknown-linux-gnu
execprobe-arm64:
	CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=clang-19 \
	CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C link-arg=--target=aarch64-linux-gnu \
		-C link-arg=-fuse-ld=lld -C target-feature=+crt-static" \
		cargo build --release --locked --target $(TARGET_ARM64) -p execprobe

samples:
	$(MAKE) -C samples OUT=$(CURDIR)/build/samples

# The arm64 lab's AArch64 and AArch32 samples, cross-built with clang.
samples-arm64:
	$(MAKE) -C samples/arm64 OUT=$(CURDIR)/build/samples-arm64

# The test helpers the arm64 guest runs, cross-built as the samples are, and its
# malformed-ELF corpus, from its samples and the cross sysroots' two ld.so.
ARM64_TEST_HELPERS := exec-snapshot exec-outcomes exec-fail-nth reload-loop
test-helpers-arm64: $(addprefix build/tests-arm64/,$(ARM64_TEST_HELPERS)) \
	build/tests-arm64/corpus/MANIFEST

define arm64_test_helper
build/tests-arm64/$(1): tools/tests/$(subst -,_,$(1)).c tools/tests/outcome.h
	mkdir -p $$(dir $$@)
	clang-19 --target=aarch64-linux-gnu -fuse-ld=lld -static -O2 -Wall -Wextra -Werror \
		-o $$@ $$<
endef
$(foreach helper,$(ARM64_TEST_HELPERS),$(eval $(call arm64_test_helper,$(helper))))

build/tests-arm64/corpus/MANIFEST: tools/tests/elf_corpus.py samples-arm64
	rm -rf build/tests-arm64/corpus
	tools/tests/elf_corpus.py --arch arm64 --seed $(CORPUS_SEED) --random $(CORPUS_RANDOM) \
		build/samples-arm64 /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 \
		/usr/arm-linux-gnueabihf/lib/ld-linux-armhf.so.3 build/tests-arm64/corpus

# The guest's test helpers in C, each tools/tests/NAME.c with _ for - in NAME,
# built static: the guest has no libc.
C_TEST_HELPERS := exec-errno exec-snapshot run-as exec-outcomes reload-loop bench-exec \
	exec-fail-nth fanotify-deny exec-io

define c_test_helper
build/tests/$(1): tools/tests/$(subst -,_,$(1)).c tools/tests/outcome.h
	mkdir -p $$(dir $$@)
	$$(CC) -O2 -Wall -Wextra -Werror -static -o $$@ $$<
endef
$(foreach helper,$(C_TEST_HELPERS),$(eval $(call c_test_helper,$(helper))))

test-helpers: $(addprefix build/tests/,$(C_TEST_HELPERS)) build/tests/at-zero \
	build/tests/interp/expected build/tests/corpus/MANIFEST build/tests/edge/prog

# The malformed-ELF corpus: deterministic, from the samples and the host's two ld.so.
CORPUS_SEED ?= 1
CORPUS_RANDOM ?= 200
build/tests/corpus/MANIFEST: tools/tests/elf_corpus.py samples
	rm -rf build/tests/corpus
	tools/tests/elf_corpus.py --seed $(CORPUS_SEED) --random $(CORPUS_RANDOM) \
		build/samples /lib64/ld-linux-x86-64.so.2 /lib/ld-linux.so.2 build/tests/corpus

build/tests/interp/expected: tools/tests/interp_cases.py build/samples/dynamic-pie \
    build/samples/dynamic-pie32
	tools/tests/interp_cases.py build/samples/dynamic-pie build/tests/interp \
		build/samples/dynamic-pie32

build/samples/dynamic-pie: samples

build/tests/edge/prog: tools/tests/edge_programs.py
	tools/tests/edge_programs.py build/tests/edge

kselftests:
	tools/tests/build-kselftests

# The exec, vDSO and arm64 (bti, abi) selftests for the arm64 test kernel, and the
# vDSO tests as AArch32 programs, into build/kselftest-arm64/.
.PHONY: kselftests-arm64
kselftests-arm64:
	tools/tests/build-kselftests-arm64

userland:
	tools/tests/build-userland

# make demo ARCH=arm64: the same on the arm64 guest, for AArch64 and AArch32
# programs and their special pages.
demo: setup
ifeq ($(ARCH),arm64)
	KERNEL_ARCH=arm64 tools/build-module
	$(MAKE) samples-arm64 execprobe-arm64
	tools/demo --arch arm64
else
	$(MAKE) module execprobe samples
	tools/demo
endif

check:
	tools/check

# Documentation/ as HTML, in build/htmldocs; any Sphinx warning is an error.
htmldocs:
	@command -v sphinx-build >/dev/null || { echo "htmldocs: sphinx-build is missing (run make setup)" >&2; exit 1; }
	sphinx-build -b html -W --keep-going -q -d build/htmldocs/.doctrees Documentation build/htmldocs

# The outputs Documentation/ shows, captured anew in the guest (Documentation/examples).
docs-examples: module execprobe samples samples-arm64 test-helpers-arm64
	tools/docs-examples

# Long libFuzzer runs of the core, FUZZ_SECONDS per target; the inputs that reach new
# coverage are added to the saved corpus (rust/core/fuzz/corpus), to be committed.
FUZZ_SECONDS ?= 300
fuzz:
	tools/fuzz --seconds $(FUZZ_SECONDS) --merge

# fork+exec+wait times under both loaders, in one boot, then the guest instructions
# inside each loader and where they went (tools/bench-insns); the tables go to
# build/bench/results.txt and build/bench/insns.txt (BENCH_OUT, BENCH_INSNS_OUT).
# make bench ARCH=arm64: the instruction counts on the arm64 guest (wall time under
# TCG tells nothing there either).
bench: module samples build/tests/bench-exec
ifeq ($(ARCH),arm64)
	KERNEL_ARCH=arm64 tools/build-module
	$(MAKE) samples-arm64
	KERNEL_ARCH=arm64 BENCH_INSNS_OUT=build/bench/insns-arm64.txt tools/bench-insns --by-function
else
	tools/bench
	tools/bench-insns --by-function
endif

# The TCG plugin tools/bench-insns boots the guest with.
build/bench/loader_insns.so: tools/qemu-plugins/loader_insns.c
	mkdir -p $(dir $@)
	$(CC) -O2 -Wall -Wextra -Werror -shared -fPIC -fvisibility=hidden -o $@ $<

# The same guest suites on a kernel with KASAN, kmemleak, lockdep and Rust debug
# assertions (tools/kernel/debug.fragment; built once, cached like the other).
check-debug:
	tools/check --debug

clean-module:
	if [ -d "$$(tools/kernel/build 2>/dev/null)" ]; then \
		$(MAKE) -C "$$(tools/kernel/build)" M=$(CURDIR) clean; fi
	rm -f rust/bindings_generated.rs

clean: clean-module
	rm -rf build target

.PHONY: module setup kernel execprobe execprobe-arm64 samples samples-arm64 test-helpers test-helpers-arm64 kselftests userland demo check \
	check-debug bench fuzz htmldocs docs-examples clean clean-module

build/tests/at-zero: tools/tests/at_zero.S
	mkdir -p $(dir $@)
	$(CC) -nostdlib -static -Wl,-Ttext-segment=0 -o $@ $<

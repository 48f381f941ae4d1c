# shellcheck shell=bash
# Shared settings for the project's scripts: toolchain pins, the kernel to build and
# where its build is cached. Sourced, never run.

BINFMT_RS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# The Rust toolchain used for the kernel, the module and execprobe. 6.12 accepts it,
# and it is the one installed with rustup on the project's machines.
RUST_TOOLCHAIN=${RUST_TOOLCHAIN:-1.95.0}
# bindgen-cli, installed with cargo; 6.12 needs at least 0.65.1.
BINDGEN_VERSION=${BINDGEN_VERSION:-0.72.1}
# The LLVM suffix for LLVM=: clang-19, ld.lld-19, llvm-ar-19, ...
LLVM_SUFFIX=${LLVM_SUFFIX:--19}

export RUSTUP_TOOLCHAIN=$RUST_TOOLCHAIN
export LIBCLANG_PATH=${LIBCLANG_PATH:-/usr/lib/llvm-19/lib}
export PATH="$HOME/.cargo/bin:$PATH"

CACHE_ROOT=${XDG_CACHE_HOME:-$HOME/.cache}/binfmt-rs
KERNEL_TARBALL=${KERNEL_TARBALL:-/usr/src/linux-source-6.12.tar.xz}

# Debian's package version of linux-source-6.12, e.g. 6.12.117-1~deb12u1.
kernel_pkg_version() {
	dpkg-query -W -f='${Version}' linux-source-6.12 2>/dev/null
}

# The test kernel's variant: empty for the usual one, "debug" for the sanitizer
# kernel of `make check-debug`, "alt" for the kernel with COMPAT_BRK and RSEQ the
# other way (tools/kernel/VARIANT.fragment on top).
KERNEL_VARIANT=${KERNEL_VARIANT:-}
case $KERNEL_VARIANT in
"" | debug | alt) ;;
*)
	echo "KERNEL_VARIANT must be empty, debug or alt, not '$KERNEL_VARIANT'" >&2
	exit 1
	;;
esac

# The test kernel's architecture, and the guest's: x86_64 (the host's) or arm64,
# cross-built with the same LLVM and run under qemu-system-aarch64.
KERNEL_ARCH=${KERNEL_ARCH:-x86_64}
case $KERNEL_ARCH in
x86_64 | arm64) ;;
*)
	echo "KERNEL_ARCH must be x86_64 or arm64, not '$KERNEL_ARCH'" >&2
	exit 1
	;;
esac

# Where binfmt_rs.ko is built for KERNEL_ARCH's kernels. Kbuild builds an external
# module in its source directory (6.12 has no MO=), so the x86_64 one is built in
# the tree and the arm64 one in a copy of its sources of this tree's own, outside
# it (Kbuild's clean of the tree removes objects in every directory below it):
# the two never replace each other's objects.
module_dir() {
	case $KERNEL_ARCH in
	x86_64) echo "$BINFMT_RS_TOP" ;;
	arm64) echo "$CACHE_ROOT/module-arm64-$(printf %s "$BINFMT_RS_TOP" | sha256sum | cut -c1-12)" ;;
	esac
}

# The file naming the kernel tree the module in module_dir was built for.
module_kdir_stamp() {
	case $KERNEL_ARCH in
	x86_64) echo "$BINFMT_RS_TOP/build/module-kdir" ;;
	arm64) echo "$(module_dir)/.kdir" ;;
	esac
}

# The image QEMU boots, in the build directory of KERNEL_ARCH's kernel.
kernel_image() {
	case $KERNEL_ARCH in
	x86_64) echo arch/x86/boot/bzImage ;;
	arm64) echo arch/arm64/boot/Image ;;
	esac
}
case $KERNEL_ARCH/$KERNEL_VARIANT in
arm64/alt)
	echo "the alt kernel is an x86_64 one (its options are IA32_EMULATION's)" >&2
	exit 1
	;;
esac

# The config fragments of the architecture and variant, merged in this order onto
# tinyconfig.
kernel_fragments() {
	echo "$BINFMT_RS_TOP/tools/kernel/common.fragment"
	echo "$BINFMT_RS_TOP/tools/kernel/$KERNEL_ARCH.fragment"
	[ -z "$KERNEL_VARIANT" ] || echo "$BINFMT_RS_TOP/tools/kernel/$KERNEL_VARIANT.fragment"
}

# The cache key of the test kernel: kernel version, architecture, config fragments,
# build script and toolchain versions. Anything that changes the image or
# Module.symvers changes it.
kernel_cache_key() {
	{
		kernel_pkg_version
		echo "$KERNEL_ARCH"
		# shellcheck disable=SC2046 # one path per line, no spaces
		cat $(kernel_fragments) "$BINFMT_RS_TOP/tools/kernel/build"
		rustc --version
		"clang$LLVM_SUFFIX" --version | head -n1
		bindgen --version
	} | sha256sum | cut -c1-16
}

# The directory of the cached test kernel build (holds its image and
# Module.symvers).
# KDIR, when given, names a tree the user built; it is used as it is.
kernel_build_dir() {
	if [ -n "${KDIR:-}" ]; then
		echo "$KDIR"
	else
		echo "$CACHE_ROOT/kernel-$(kernel_pkg_version | cut -d- -f1)-$KERNEL_ARCH${KERNEL_VARIANT:+-$KERNEL_VARIANT}-$(kernel_cache_key)"
	fi
}

# The guest's busybox for architecture $1: the host's on x86_64; on arm64, Debian's
# busybox-static for arm64, which tools/setup unpacks into the cache.
guest_busybox() {
	case $1 in
	x86_64) echo /bin/busybox ;;
	*) echo "$CACHE_ROOT/busybox-$1/bin/busybox" ;;
	esac
}

die() {
	printf '%s\n' "$*" >&2
	exit 1
}

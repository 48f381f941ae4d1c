//! Calls into C and into code the kernel provides: the only unsafe code of
//! execprobe besides stack.rs. Each function here has a safe signature; what makes
//! the call inside it sound is said at its `unsafe` block.
//!
//! - `getauxval`: glibc's view of the auxiliary vector.
//! - Raw syscalls (`syscall(2)`), deliberately not glibc's wrappers: glibc's
//!   clock_gettime, gettimeofday, time and getcpu go through the vDSO themselves, so
//!   comparing the vDSO with them would compare it with itself.
//! - `VdsoFns`: the vDSO's functions, called through pointers to them: x86-64's
//!   `__vdso_*` or arm64's `__kernel_*`.
//! - `in_child`: runs something that may kill the process (the vsyscall page) in a
//!   forked child, and reports how the child ended; x86-64 only, since arm64 has
//!   no vsyscall page.

#![allow(unsafe_code)]

use std::ffi::{c_int, c_long, c_uint, c_void};

use crate::error::Error;
use crate::parse::maps::Mapping;

extern "C" {
    // glibc (static or dynamic) exports it; sys/auxv.h declares it with unsigned long,
    // which is u64 on x86-64 and AArch64.
    fn getauxval(type_: u64) -> u64;
}

/// glibc's `getauxval(tag)`: 0 when the tag is absent.
pub fn glibc_getauxval(tag: u64) -> u64 {
    // SAFETY: getauxval reads glibc's copy of the auxv pointer (_dl_auxv or
    // GLRO(dl_hwcap)), set up before main; it takes and returns plain integers.
    unsafe { getauxval(tag) }
}

/// A time as the kernel returns it, in nanoseconds (or microseconds for
/// gettimeofday, seconds for time): i64 nanoseconds since the epoch last until 2262.
pub type Nanos = i64;

fn timespec_ns(ts: &libc::timespec) -> Nanos {
    ts.tv_sec
        .saturating_mul(1_000_000_000)
        .saturating_add(ts.tv_nsec)
}

fn timeval_us(tv: &libc::timeval) -> i64 {
    tv.tv_sec
        .saturating_mul(1_000_000)
        .saturating_add(tv.tv_usec)
}

fn zero_timespec() -> libc::timespec {
    libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    }
}

/// The result of a raw syscall: the value, or `-errno`.
fn check(ret: c_long) -> Result<c_long, Error> {
    if ret < 0 {
        Err(Error::new(std::io::Error::last_os_error().to_string()))
    } else {
        Ok(ret)
    }
}

/// `clock_gettime(2)` through the syscall instruction, in nanoseconds.
pub fn sys_clock_gettime(clock: c_int) -> Result<Nanos, Error> {
    let mut ts = zero_timespec();
    // SAFETY: SYS_clock_gettime takes a clock id and a pointer to a struct
    // __kernel_timespec, which on x86-64 and AArch64 is libc::timespec; `ts` is a
    // live local.
    check(unsafe { libc::syscall(libc::SYS_clock_gettime, clock, &mut ts) })?;
    Ok(timespec_ns(&ts))
}

/// `clock_getres(2)` through the syscall instruction, in nanoseconds.
pub fn sys_clock_getres(clock: c_int) -> Result<Nanos, Error> {
    let mut ts = zero_timespec();
    // SAFETY: as for clock_gettime; the kernel writes one timespec.
    check(unsafe { libc::syscall(libc::SYS_clock_getres, clock, &mut ts) })?;
    Ok(timespec_ns(&ts))
}

/// `gettimeofday(2)` through the syscall instruction, in microseconds.
pub fn sys_gettimeofday() -> Result<i64, Error> {
    let mut tv = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    // SAFETY: SYS_gettimeofday takes a struct __kernel_old_timeval (libc::timeval on
    // x86-64 and AArch64) and a timezone pointer that may be NULL.
    check(unsafe {
        libc::syscall(
            libc::SYS_gettimeofday,
            &mut tv,
            std::ptr::null_mut::<c_void>(),
        )
    })?;
    Ok(timeval_us(&tv))
}

/// `time(2)` through the syscall instruction, in seconds. x86-64 only: arm64, like
/// every architecture after it, has no time syscall (nor a vDSO time).
#[cfg(target_arch = "x86_64")]
pub fn sys_time() -> Result<i64, Error> {
    // SAFETY: SYS_time accepts a NULL pointer and then only returns the time.
    check(unsafe { libc::syscall(libc::SYS_time, std::ptr::null_mut::<c_void>()) })
}

/// `getcpu(2)` through the syscall instruction: (cpu, node). Compared with
/// x86-64's `__vdso_getcpu`; arm64's vDSO has none.
#[cfg(target_arch = "x86_64")]
pub fn sys_getcpu() -> Result<(u32, u32), Error> {
    let (mut cpu, mut node): (c_uint, c_uint) = (0, 0);
    // SAFETY: SYS_getcpu writes one unsigned int through each of its first two
    // pointers, which point to live locals; the third (the unused cache) may be NULL.
    check(unsafe {
        libc::syscall(
            libc::SYS_getcpu,
            &mut cpu,
            &mut node,
            std::ptr::null_mut::<c_void>(),
        )
    })?;
    Ok((cpu, node))
}

/// `getrandom(2)` through the syscall instruction.
pub fn sys_getrandom(buf: &mut [u8]) -> Result<usize, Error> {
    // SAFETY: the kernel writes at most buf.len() bytes to buf.
    let n = check(unsafe { libc::syscall(libc::SYS_getrandom, buf.as_mut_ptr(), buf.len(), 0) })?;
    usize::try_from(n)
        .map_err(|e| e.to_string())
        .map_err(Error::new)
}

/// The number of CPUs the kernel was configured for (glibc's get_nprocs_conf):
/// every CPU number getcpu can return is below it.
#[cfg(target_arch = "x86_64")]
pub fn configured_cpus() -> Result<u32, Error> {
    // SAFETY: sysconf takes and returns integers.
    let n = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_CONF) };
    u32::try_from(n)
        .map_err(|_| format!("sysconf(_SC_NPROCESSORS_CONF) = {n}"))
        .map_err(Error::new)
}

/// Runs `f` with this thread pinned to `cpu`, then restores the affinity it had.
#[cfg(target_arch = "x86_64")]
pub fn pinned_to<T>(cpu: u32, f: impl FnOnce() -> T) -> Result<T, Error> {
    let size = std::mem::size_of::<libc::cpu_set_t>();
    let cpu = usize::try_from(cpu).map_err(|e| e.to_string())?;
    if cpu >= 8 * size {
        return Err(Error::new(format!("cpu {cpu} does not fit in a cpu_set_t")));
    }
    // SAFETY: cpu_set_t is a plain bit array; all zeroes is the empty set.
    let mut old: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: pid 0 is this thread; the kernel writes at most `size` bytes to `old`.
    if unsafe { libc::sched_getaffinity(0, size, &mut old) } != 0 {
        return Err(Error::new(format!(
            "sched_getaffinity: {}",
            std::io::Error::last_os_error()
        )));
    }
    // SAFETY: as above.
    let mut one: libc::cpu_set_t = unsafe { std::mem::zeroed() };
    // SAFETY: cpu < 8 * size_of::<cpu_set_t>(), checked above, so CPU_SET stays
    // inside `one`.
    unsafe { libc::CPU_SET(cpu, &mut one) };
    // SAFETY: the kernel reads `size` bytes of `one`.
    if unsafe { libc::sched_setaffinity(0, size, &one) } != 0 {
        return Err(Error::new(format!(
            "sched_setaffinity: {}",
            std::io::Error::last_os_error()
        )));
    }
    let result = f();
    // SAFETY: restores the set read above; failing to restore only leaves this
    // short-lived process pinned.
    unsafe { libc::sched_setaffinity(0, size, &old) };
    Ok(result)
}

/// A pointer to code at `addr`, for transmuting into a function pointer: the vDSO
/// and the vsyscall page are no Rust allocation, so the address carries no
/// provenance of its own.
fn code(addr: u64) -> *const () {
    std::ptr::with_exposed_provenance(addr as usize)
}

/// The vDSO functions execprobe calls, each the address of the symbol of that name
/// in the image the kernel mapped at AT_SYSINFO_EHDR.
///
/// On x86-64 the kernel defines them with the C prototypes used below
/// (arch/x86/entry/vdso/vclock_gettime.c, vgetcpu.c, vgetrandom.c) and exports them
/// under these names with version LINUX_2.6 (vdso.lds.S), which is how glibc finds
/// them too (`dl_vdso_vsym`, sysdeps/unix/sysv/linux/dl-vdso.h). On arm64 they are
/// `__kernel_clock_gettime`, `__kernel_clock_getres`, `__kernel_gettimeofday`
/// (arch/arm64/kernel/vdso/vgettimeofday.c) and `__kernel_getrandom`
/// (vgetrandom.c), with the same prototypes, version LINUX_2.6.39
/// (arch/arm64/kernel/vdso/vdso.lds.S); there is no time and no getcpu.
#[derive(Debug, Default, Clone, Copy)]
pub struct VdsoFns {
    clock_gettime: Option<u64>,
    clock_getres: Option<u64>,
    gettimeofday: Option<u64>,
    #[cfg(target_arch = "x86_64")]
    time: Option<u64>,
    #[cfg(target_arch = "x86_64")]
    getcpu: Option<u64>,
    getrandom: Option<u64>,
}

/// The names `VdsoFns::new` looks up.
#[cfg(target_arch = "x86_64")]
pub const VDSO_FUNCTIONS: [&str; 6] = [
    "__vdso_clock_gettime",
    "__vdso_clock_getres",
    "__vdso_gettimeofday",
    "__vdso_time",
    "__vdso_getcpu",
    "__vdso_getrandom",
];
/// The names `VdsoFns::new` looks up.
#[cfg(target_arch = "aarch64")]
pub const VDSO_FUNCTIONS: [&str; 4] = [
    "__kernel_clock_gettime",
    "__kernel_clock_getres",
    "__kernel_gettimeofday",
    "__kernel_getrandom",
];
pub const CLOCK_GETTIME: &str = VDSO_FUNCTIONS[0];
pub const CLOCK_GETRES: &str = VDSO_FUNCTIONS[1];
pub const GETTIMEOFDAY: &str = VDSO_FUNCTIONS[2];
#[cfg(target_arch = "x86_64")]
pub const TIME: &str = VDSO_FUNCTIONS[3];
#[cfg(target_arch = "x86_64")]
pub const GETCPU: &str = VDSO_FUNCTIONS[4];
pub const GETRANDOM: &str = VDSO_FUNCTIONS[VDSO_FUNCTIONS.len() - 1];

impl VdsoFns {
    /// Looks each function up by name with `lookup`, which must answer with the
    /// address of the STT_FUNC symbol of that name in the vDSO image mapped at `text`.
    /// Addresses outside `text`, which must be the process's executable [vdso]
    /// mapping, are dropped, so nothing can make these calls jump elsewhere.
    pub fn new(text: &Mapping, lookup: impl Fn(&str) -> Option<u64>) -> VdsoFns {
        let is_vdso_text = text.name == "[vdso]" && text.perms.starts_with("r-x");
        let find = |name: &str| {
            lookup(name).filter(|&addr| is_vdso_text && text.start <= addr && addr < text.end)
        };
        VdsoFns {
            clock_gettime: find(CLOCK_GETTIME),
            clock_getres: find(CLOCK_GETRES),
            gettimeofday: find(GETTIMEOFDAY),
            #[cfg(target_arch = "x86_64")]
            time: find(TIME),
            #[cfg(target_arch = "x86_64")]
            getcpu: find(GETCPU),
            getrandom: find(GETRANDOM),
        }
    }

    /// `__vdso_clock_gettime(clock, &ts)` (arm64: `__kernel_clock_gettime`): its
    /// return value and the time in ns.
    pub fn clock_gettime(&self, clock: c_int) -> Option<(c_int, Nanos)> {
        type F = unsafe extern "C" fn(c_int, *mut libc::timespec) -> c_int;
        let addr = self.clock_gettime?;
        let mut ts = zero_timespec();
        // SAFETY: `addr` is __vdso_clock_gettime (arm64: __kernel_clock_gettime) in
        // the kernel's vDSO text (see `new`), defined as `int
        // __vdso_clock_gettime(clockid_t, struct __kernel_timespec *)`, which is F on
        // x86-64 and AArch64. It writes one timespec to the live local `ts` and
        // reads only the vvar pages.
        let ret = unsafe {
            let f: F = std::mem::transmute::<*const (), F>(code(addr));
            f(clock, &mut ts)
        };
        Some((ret, timespec_ns(&ts)))
    }

    /// `__vdso_clock_getres(clock, &ts)` (arm64: `__kernel_clock_getres`): its
    /// return value and the resolution in ns.
    pub fn clock_getres(&self, clock: c_int) -> Option<(c_int, Nanos)> {
        type F = unsafe extern "C" fn(c_int, *mut libc::timespec) -> c_int;
        let addr = self.clock_getres?;
        let mut ts = zero_timespec();
        // SAFETY: as for clock_gettime: `int __vdso_clock_getres(clockid_t, struct
        // __kernel_timespec *)`.
        let ret = unsafe {
            let f: F = std::mem::transmute::<*const (), F>(code(addr));
            f(clock, &mut ts)
        };
        Some((ret, timespec_ns(&ts)))
    }

    /// `__vdso_gettimeofday(&tv, NULL)` (arm64: `__kernel_gettimeofday`): its
    /// return value and the time in µs.
    pub fn gettimeofday(&self) -> Option<(c_int, i64)> {
        type F = unsafe extern "C" fn(*mut libc::timeval, *mut c_void) -> c_int;
        let addr = self.gettimeofday?;
        let mut tv = libc::timeval {
            tv_sec: 0,
            tv_usec: 0,
        };
        // SAFETY: `int __vdso_gettimeofday(struct __kernel_old_timeval *, struct
        // timezone *)`; the timezone may be NULL. It writes one timeval to `tv`.
        let ret = unsafe {
            let f: F = std::mem::transmute::<*const (), F>(code(addr));
            f(&mut tv, std::ptr::null_mut())
        };
        Some((ret, timeval_us(&tv)))
    }

    /// `__vdso_time(NULL)`, in seconds.
    #[cfg(target_arch = "x86_64")]
    pub fn time(&self) -> Option<i64> {
        type F = unsafe extern "C" fn(*mut libc::time_t) -> libc::time_t;
        let addr = self.time?;
        // SAFETY: `__kernel_old_time_t __vdso_time(__kernel_old_time_t *)`, which
        // accepts NULL and then only returns the time.
        Some(unsafe {
            let f: F = std::mem::transmute::<*const (), F>(code(addr));
            f(std::ptr::null_mut())
        })
    }

    /// `__vdso_getcpu(&cpu, &node, NULL)`: its return value, cpu and node.
    #[cfg(target_arch = "x86_64")]
    pub fn getcpu(&self) -> Option<(c_long, u32, u32)> {
        type F = unsafe extern "C" fn(*mut c_uint, *mut c_uint, *mut c_void) -> c_long;
        let addr = self.getcpu?;
        let (mut cpu, mut node): (c_uint, c_uint) = (c_uint::MAX, c_uint::MAX);
        // SAFETY: `long __vdso_getcpu(unsigned *, unsigned *, struct getcpu_cache *)`:
        // writes one unsigned through each non-NULL pointer; the cache is unused.
        let ret = unsafe {
            let f: F = std::mem::transmute::<*const (), F>(code(addr));
            f(&mut cpu, &mut node, std::ptr::null_mut())
        };
        Some((ret, cpu, node))
    }

    /// Fills `buf` with `__vdso_getrandom` (arm64: `__kernel_getrandom`), the way its comment in
    /// lib/vdso/getrandom.c says to: ask for the opaque state's parameters
    /// (buffer, len and flags 0, opaque_len ~0), mmap a state with the prot and
    /// flags they give, then call it with that state. Returns what the final call
    /// returned.
    pub fn getrandom(&self, buf: &mut [u8]) -> Option<Result<isize, Error>> {
        self.getrandom.map(|addr| vdso_getrandom(addr, buf))
    }
}

fn vdso_getrandom(addr: u64, buf: &mut [u8]) -> Result<isize, Error> {
    type F = unsafe extern "C" fn(*mut c_void, usize, c_uint, *mut c_void, usize) -> isize;
    // SAFETY: `addr` is __vdso_getrandom (arm64: __kernel_getrandom) in the vDSO
    // text (see VdsoFns::new), defined as `ssize_t __vdso_getrandom(void *buffer,
    // size_t len, unsigned int flags, void *opaque_state, size_t opaque_len)`, which
    // is F on x86-64 and AArch64.
    let f: F = unsafe { std::mem::transmute::<*const (), F>(code(addr)) };
    // struct vgetrandom_opaque_params (include/uapi/linux/random.h): size, prot,
    // flags and 13 reserved u32s.
    let mut params = [0u32; 16];
    // SAFETY: with buffer NULL, len 0, flags 0 and opaque_len ~0UL, the function only
    // writes a struct vgetrandom_opaque_params (64 bytes) to opaque_state.
    let ret = unsafe {
        f(
            std::ptr::null_mut(),
            0,
            0,
            params.as_mut_ptr().cast(),
            usize::MAX,
        )
    };
    if ret != 0 {
        return Err(Error::new(format!("the parameter query returned {ret}")));
    }
    let [size, prot, flags, ..] = params;
    let len = usize::try_from(size).map_err(|e| e.to_string())?;
    let (prot, flags) = (
        c_int::try_from(prot).map_err(|e| e.to_string())?,
        c_int::try_from(flags).map_err(|e| e.to_string())?,
    );
    // SAFETY: a fresh anonymous mapping (flags from the kernel include
    // MAP_ANONYMOUS), at an address the kernel picks, of at least `len` bytes.
    let state = unsafe { libc::mmap(std::ptr::null_mut(), len, prot, flags, -1, 0) };
    if state == libc::MAP_FAILED {
        return Err(Error::new(format!(
            "mmap of the opaque state: {}",
            std::io::Error::last_os_error()
        )));
    }
    // SAFETY: `state` is a page-aligned mapping of `len` bytes, owned by this call
    // alone, as the function requires (one state per thread, not straddling a page:
    // `len` is smaller than a page); it writes at most buf.len() bytes to `buf`.
    let ret = unsafe { f(buf.as_mut_ptr().cast(), buf.len(), 0, state, len) };
    // SAFETY: unmaps exactly the mapping made above, which nothing refers to now.
    unsafe { libc::munmap(state, len) };
    Ok(ret)
}

/// How a child process ended.
#[cfg(target_arch = "x86_64")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChildEnd {
    /// It ran to the end and sent back these bytes.
    Returned(Vec<u8>),
    /// A signal killed it.
    Signal(i32),
    /// It exited otherwise (a failed write back).
    Exited(i32),
}

/// The three things `in_child` can do; each may fault, depending on the vsyscall
/// mode, and each writes what it got to `out`.
#[cfg(target_arch = "x86_64")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VsyscallJob {
    /// Calls gettimeofday at its vsyscall entry point: return value, then µs.
    Gettimeofday,
    /// Calls time at its vsyscall entry point: the seconds it returns.
    Time,
    /// Reads the first 8 bytes of the vsyscall page.
    ReadPage,
}

#[cfg(target_arch = "x86_64")]
fn run_job(job: VsyscallJob, out: &mut [u8; 16]) {
    use crate::parse::vsyscall::{GETTIMEOFDAY, TIME, VSYSCALL_ADDR};
    match job {
        VsyscallJob::Gettimeofday => {
            type F = unsafe extern "C" fn(*mut libc::timeval, *mut c_void) -> c_long;
            let mut tv = libc::timeval {
                tv_sec: 0,
                tv_usec: 0,
            };
            // SAFETY: the legacy entry point of gettimeofday(2), whose C signature F
            // is the syscall's. Executing it faults; in emulate and xonly mode
            // emulate_vsyscall (arch/x86/entry/vsyscall/vsyscall_64.c) performs the
            // syscall and returns to the caller; otherwise SIGSEGV ends this child,
            // which is what `in_child` is there for.
            let ret = unsafe {
                let f: F = std::mem::transmute::<*const (), F>(code(GETTIMEOFDAY));
                f(&mut tv, std::ptr::null_mut())
            };
            out[..8].copy_from_slice(&ret.to_ne_bytes());
            out[8..].copy_from_slice(&timeval_us(&tv).to_ne_bytes());
        }
        VsyscallJob::Time => {
            type F = unsafe extern "C" fn(*mut libc::time_t) -> libc::time_t;
            // SAFETY: the legacy entry point of time(2), as above; NULL is allowed.
            let t = unsafe {
                let f: F = std::mem::transmute::<*const (), F>(code(TIME));
                f(std::ptr::null_mut())
            };
            out[..8].copy_from_slice(&t.to_ne_bytes());
        }
        VsyscallJob::ReadPage => {
            // SAFETY: a volatile 8-byte read of the vsyscall page, aligned. It is
            // mapped readable in emulate mode; otherwise the read faults and SIGSEGV
            // ends this child. Nothing else aliases the page.
            let word = unsafe { std::ptr::read_volatile(code(VSYSCALL_ADDR).cast::<u64>()) };
            out[..8].copy_from_slice(&word.to_ne_bytes());
        }
    }
}

/// Runs `job` in a forked child and says how the child ended. The child does only
/// async-signal-safe things (setrlimit, the job, write, _exit), so this is sound
/// even if the parent had other threads.
#[cfg(target_arch = "x86_64")]
pub fn in_child(job: VsyscallJob) -> Result<ChildEnd, Error> {
    let mut fds = [0 as c_int; 2];
    // SAFETY: pipe2 writes two file descriptors to the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(Error::new(format!(
            "pipe2: {}",
            std::io::Error::last_os_error()
        )));
    }
    let [read_fd, write_fd] = fds;
    // SAFETY: fork has no preconditions; the child below calls only
    // async-signal-safe functions and leaves with _exit, never returning into Rust
    // code that might run destructors or touch locks held by other threads.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // The child: no core dump for an expected SIGSEGV, the job, its result to
        // the parent, and out without running any atexit handler or destructor.
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads one struct rlimit; it is async-signal-safe.
        unsafe { libc::setrlimit(libc::RLIMIT_CORE, &no_core) };
        let mut out = [0u8; 16];
        run_job(job, &mut out);
        // SAFETY: write reads 16 bytes of the live local `out`; async-signal-safe.
        let written = unsafe { libc::write(write_fd, out.as_ptr().cast(), out.len()) };
        // SAFETY: _exit ends the child at once; async-signal-safe.
        unsafe { libc::_exit(if written == 16 { 0 } else { 1 }) }
    }
    // SAFETY: closes the parent's copy of the write end, which it owns.
    unsafe { libc::close(write_fd) };
    if pid < 0 {
        let e = std::io::Error::last_os_error();
        // SAFETY: closes the read end, which nothing else uses.
        unsafe { libc::close(read_fd) };
        return Err(Error::new(format!("fork: {e}")));
    }
    let mut got = [0u8; 16];
    // SAFETY: reads at most 16 bytes into `got`; the child wrote 16 or died.
    let n = unsafe { libc::read(read_fd, got.as_mut_ptr().cast(), got.len()) };
    // SAFETY: closes the read end, which this function owns.
    unsafe { libc::close(read_fd) };
    let mut status: c_int = 0;
    // SAFETY: waits for our own child and writes its status to a live local.
    if unsafe { libc::waitpid(pid, &mut status, 0) } != pid {
        return Err(Error::new(format!(
            "waitpid: {}",
            std::io::Error::last_os_error()
        )));
    }
    Ok(if libc::WIFSIGNALED(status) {
        ChildEnd::Signal(libc::WTERMSIG(status))
    } else if libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0 && n == 16 {
        ChildEnd::Returned(got.to_vec())
    } else {
        ChildEnd::Exited(libc::WEXITSTATUS(status))
    })
}

/// How a program run by [`spawn_traced`] came to a halt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TracedStart {
    /// The exec succeeded: the child is stopped before its first instruction
    /// (the SIGTRAP a tracee gets after exec).
    AtEntry,
    /// The child stopped with another signal first: the exec failed after the
    /// point of no return (SIGSEGV), or something else came.
    Signal(c_int),
    /// `execve()` returned this errno.
    ExecFailed(c_int),
    /// The child ended before any stop.
    Ended(c_int),
}

/// Forks a child that asks to be traced (`PTRACE_TRACEME`) and execs `argv` (the
/// program looked up in `PATH` as execvp(3) does), and waits for its first stop.
/// Returns the child's pid and how it halted; unless it ended, it stays stopped
/// until [`release_traced`].
pub fn spawn_traced(argv: &[std::ffi::CString]) -> Result<(libc::pid_t, TracedStart), Error> {
    let os = |what: &str| Error::new(format!("{what}: {}", std::io::Error::last_os_error()));
    if argv.is_empty() {
        return Err(Error::new("no program to run".to_owned()));
    }
    // Built before the fork: the child may not allocate.
    let mut ptrs: Vec<*const libc::c_char> = argv.iter().map(|a| a.as_ptr()).collect();
    ptrs.push(std::ptr::null());
    let mut fds = [0 as c_int; 2];
    // SAFETY: pipe2 writes two file descriptors to the array.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(os("pipe2"));
    }
    let [read_fd, write_fd] = fds;
    // SAFETY: fork has no preconditions; the child calls only async-signal-safe
    // functions (ptrace, execvp, write, _exit) on memory prepared before the fork.
    let pid = unsafe { libc::fork() };
    if pid == 0 {
        // SAFETY: PTRACE_TRACEME takes no pointers; execvp reads the NULL-ended
        // argument array built above; on its failure errno is written to the
        // close-on-exec pipe, whose end the parent reads.
        unsafe {
            libc::ptrace(libc::PTRACE_TRACEME, 0, 0, 0);
            libc::execvp(ptrs[0], ptrs.as_ptr());
            let errno = *libc::__errno_location();
            libc::write(write_fd, (&raw const errno).cast(), 4);
            libc::_exit(127)
        }
    }
    // SAFETY: closes the parent's copy of the write end, which it owns.
    unsafe { libc::close(write_fd) };
    if pid < 0 {
        let e = os("fork");
        // SAFETY: closes the read end, which nothing else uses.
        unsafe { libc::close(read_fd) };
        return Err(e);
    }
    let mut status: c_int = 0;
    // SAFETY: waits for our own child and writes its status to a live local.
    if unsafe { libc::waitpid(pid, &mut status, 0) } != pid {
        return Err(os("waitpid"));
    }
    let mut errno = [0u8; 4];
    let start = if libc::WIFSTOPPED(status) {
        match libc::WSTOPSIG(status) {
            libc::SIGTRAP => TracedStart::AtEntry,
            sig => TracedStart::Signal(sig),
        }
    // SAFETY: reads at most 4 bytes into `errno`; the child has ended, so the
    // pipe holds what it wrote, or nothing.
    } else if unsafe { libc::read(read_fd, errno.as_mut_ptr().cast(), 4) } == 4 {
        TracedStart::ExecFailed(c_int::from_ne_bytes(errno))
    } else {
        TracedStart::Ended(status)
    };
    // SAFETY: closes the read end, which this function owns.
    unsafe { libc::close(read_fd) };
    Ok((pid, start))
}

/// Lets a child [`spawn_traced`] stopped go on, with `signal` (0 for none)
/// delivered, and waits for it to end: its wait status.
pub fn release_traced(pid: libc::pid_t, signal: c_int) -> Result<c_int, Error> {
    // SAFETY: PTRACE_DETACH of our own stopped tracee; the data argument is the
    // signal number, no pointer.
    if unsafe { libc::ptrace(libc::PTRACE_DETACH, pid, 0, signal as libc::c_long) } != 0 {
        return Err(Error::new(format!(
            "ptrace(PTRACE_DETACH): {}",
            std::io::Error::last_os_error()
        )));
    }
    let mut status: c_int = 0;
    // SAFETY: waits for our own child and writes its status to a live local.
    if unsafe { libc::waitpid(pid, &mut status, 0) } != pid {
        return Err(Error::new(format!(
            "waitpid: {}",
            std::io::Error::last_os_error()
        )));
    }
    Ok(status)
}

// SPDX-License-Identifier: GPL-2.0
/*
 * exec-snapshot [-p PERSONALITY] [-a RUNS] [-j FILE] PROG [ARG...]: runs PROG stopped
 * before its first instruction and prints what exec left: the outcome, the registers,
 * /proc/PID/maps, the auxv from /proc/PID/auxv and from the stack, the mm fields
 * of /proc/PID/stat, and a digest of the whole initial stack with the 16
 * AT_RANDOM bytes left out. Two loaders that build the same process print the
 * same text. -p sets personality(2) before the exec, e.g. 0x40000 for
 * ADDR_NO_RANDOMIZE. -j also writes `execprobe --json maps PID` of the stopped
 * process to FILE (execprobe from $PATH), for `execprobe diff`.
 *
 * -a RUNS execs PROG RUNS times (for ASLR studies) and prints one line per run:
 *
 *	aslr: SHAPE FILE STACK VDSO BRK
 *
 * SHAPE is a digest of the mappings' sizes, protections, offsets and names, in
 * address order sorted as text (so that where the vDSO lands among the program's
 * mappings does not count); FILE is where PROG's first mapping starts, STACK where
 * [stack] ends, VDSO where [vdso] starts and BRK mm->start_brk, all in hex.
 *
 * The stop comes from PTRACE_TRACEME: a successful execve() stops the child with
 * SIGTRAP before it runs anything. An execve() that fails before the point of no
 * return reports its errno; one killed after it reports the signal.
 *
 * It builds for x86_64 (registers by PTRACE_GETREGS; an i386 tracee shows in
 * them) and for aarch64 (by PTRACE_GETREGSET, NT_PRSTATUS, which gives an
 * AArch32 tracee's 18 32-bit registers).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/ptrace.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __aarch64__
#include <elf.h>
#include <asm/ptrace.h>
#endif

#define AT_NULL 0
#define AT_RANDOM 25
#define STACK_MAX (1 << 20)

extern char **environ;

static void print_file(pid_t pid, const char *name)
{
	char path[64], buf[4096];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, name);
	f = fopen(path, "r");
	if (!f) {
		printf("%s: unreadable (%s)\n", name, strerror(errno));
		return;
	}
	while (fgets(buf, sizeof(buf), f))
		printf("%s: %s", name, buf);
	fclose(f);
}

/* The tracee's registers, and the word size of its elf_addr_t. */
struct regs {
#ifdef __x86_64__
	struct user_regs_struct r;
#else
	union {
		struct user_pt_regs r;
		/* An AArch32 tracee's r0-r15, cpsr and orig_r0. */
		uint32_t compat[18];
	};
	size_t len;
#endif
};

static int get_regs(pid_t pid, struct regs *regs)
{
#ifdef __x86_64__
	return ptrace(PTRACE_GETREGS, pid, NULL, &regs->r);
#else
	struct iovec iov = { .iov_base = &regs->r, .iov_len = sizeof(regs->r) };
	int ret = ptrace(PTRACE_GETREGSET, pid, (void *)NT_PRSTATUS, &iov);

	regs->len = iov.iov_len;
	return ret;
#endif
}

/*
 * The word size of the tracee's elf_addr_t: 4 for a 32-bit process (an i386
 * one's code segment is __USER32_CS, 0x23; an AArch32 one's register set is 18
 * words), 8 otherwise. /proc/PID/auxv and the initial stack hold words of that
 * size.
 */
static size_t word_size(const struct regs *regs)
{
#ifdef __x86_64__
	return regs->r.cs == 0x23 ? 4 : 8;
#else
	return regs->len == sizeof(regs->compat) ? 4 : 8;
#endif
}

/* The stack pointer: rsp, sp, or AArch32's r13. */
static uint64_t stack_pointer(const struct regs *regs)
{
#ifdef __x86_64__
	return regs->r.rsp;
#else
	return word_size(regs) == 4 ? regs->compat[13] : regs->r.sp;
#endif
}

/* The word of size w at p, zero-extended. */
static uint64_t word_at(const unsigned char *p, size_t w)
{
	uint32_t w32;
	uint64_t w64;

	if (w == 4) {
		memcpy(&w32, p, 4);
		return w32;
	}
	memcpy(&w64, p, 8);
	return w64;
}

static void print_auxv_file(pid_t pid, size_t w)
{
	char path[64];
	unsigned char pair[16];
	uint64_t id;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/auxv", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return;
	while (read(fd, pair, 2 * w) == (ssize_t)(2 * w)) {
		id = word_at(pair, w);
		printf("auxv: %lu 0x%lx\n", (unsigned long)id, (unsigned long)word_at(pair + w, w));
		if (id == AT_NULL)
			break;
	}
	close(fd);
}

static int read_mem(int fd, uint64_t addr, void *buf, size_t len)
{
	return pread(fd, buf, len, (off_t)addr) == (ssize_t)len ? 0 : -1;
}

/* FNV-1a, enough to tell two stack images apart. */
static uint64_t digest(const unsigned char *p, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ull;
	}
	return h;
}

/* The word of size w at addr of the tracee. */
static int read_word(int fd, uint64_t addr, size_t w, uint64_t *word)
{
	unsigned char buf[8];

	if (read_mem(fd, addr, buf, w))
		return -1;
	*word = word_at(buf, w);
	return 0;
}

static void print_stack(pid_t pid, uint64_t sp, size_t w)
{
	uint64_t word = 0, top = 0, random_at = 0, argc, i;
	static unsigned char image[STACK_MAX];
	char path[64], line[512];
	uint64_t at = sp;
	FILE *maps;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	while (maps && fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && lo <= sp && sp < hi)
			top = hi;
	}
	if (maps)
		fclose(maps);
	snprintf(path, sizeof(path), "/proc/%d/mem", pid);
	fd = open(path, O_RDONLY);
	if (fd < 0 || !top || read_word(fd, at, w, &argc)) {
		printf("stack: unreadable\n");
		return;
	}
	printf("stack: argc %lu\n", (unsigned long)argc);
	at += w;
	for (i = 0; i <= argc; i++, at += w) {
		read_word(fd, at, w, &word);
		printf("stack: argv[%lu] 0x%lx\n", (unsigned long)i, (unsigned long)word);
	}
	for (i = 0;; i++, at += w) {
		if (read_word(fd, at, w, &word))
			break;
		printf("stack: envp[%lu] 0x%lx\n", (unsigned long)i, (unsigned long)word);
		if (!word)
			break;
	}
	for (at += w;; at += 2 * w) {
		uint64_t id, value;

		if (read_word(fd, at, w, &id) || read_word(fd, at + w, w, &value))
			break;
		printf("stack: auxv %lu 0x%lx\n", (unsigned long)id, (unsigned long)value);
		if (id == AT_RANDOM)
			random_at = value;
		if (id == AT_NULL)
			break;
	}
	if (top - sp > STACK_MAX || read_mem(fd, sp, image, top - sp)) {
		printf("stack: image unreadable\n");
	} else {
		if (random_at >= sp && random_at + 16 <= top)
			memset(image + (random_at - sp), 0, 16);
		printf("stack: image %lu bytes, digest %016lx (AT_RANDOM bytes zeroed)\n",
		       (unsigned long)(top - sp), (unsigned long)digest(image, top - sp));
	}
	close(fd);
}

static void print_regs(pid_t pid, const struct regs *regs)
{
#ifdef __x86_64__
	const struct user_regs_struct *r = &regs->r;

	printf("regs: rip 0x%llx rsp 0x%llx eflags 0x%llx cs 0x%llx ss 0x%llx\n",
	       r->rip, r->rsp, r->eflags, r->cs, r->ss);
	printf("regs: rax 0x%llx rbx 0x%llx rcx 0x%llx rdx 0x%llx rsi 0x%llx rdi 0x%llx rbp 0x%llx\n",
	       r->rax, r->rbx, r->rcx, r->rdx, r->rsi, r->rdi, r->rbp);
	printf("regs: r8 0x%llx r9 0x%llx r10 0x%llx r11 0x%llx r12 0x%llx r13 0x%llx r14 0x%llx r15 0x%llx\n",
	       r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15);
	printf("regs: fs_base 0x%llx gs_base 0x%llx ds 0x%llx es 0x%llx fs 0x%llx gs 0x%llx\n",
	       r->fs_base, r->gs_base, r->ds, r->es, r->fs, r->gs);
#else
	int i;

	if (word_size(regs) == 4) {
		printf("regs: pc 0x%x sp 0x%x cpsr 0x%x orig_r0 0x%x\n", regs->compat[15],
		       regs->compat[13], regs->compat[16], regs->compat[17]);
		printf("regs:");
		for (i = 0; i < 15; i++)
			printf(" r%d 0x%x", i, regs->compat[i]);
	} else {
		printf("regs: pc 0x%llx sp 0x%llx pstate 0x%llx\n", regs->r.pc, regs->r.sp,
		       regs->r.pstate);
		printf("regs:");
		for (i = 0; i < 31; i++)
			printf(" x%d 0x%llx", i, regs->r.regs[i]);
	}
	printf("\n");
#endif
	print_file(pid, "personality");
}

static unsigned long persona;
static int set_persona;

/*
 * Forks and execs argv[0] under ptrace. Returns the child's pid stopped before its
 * first instruction, or 0 after printing the outcome of an exec that did not get
 * there; -1 if fork or wait failed.
 */
static pid_t spawn_stopped(char **argv)
{
	int status, err_pipe[2], err = 0;
	pid_t pid;

	if (pipe(err_pipe))
		return -1;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(err_pipe[0]);
		fcntl(err_pipe[1], F_SETFD, FD_CLOEXEC);
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		if (set_persona && personality(persona) < 0)
			_exit(125);
		execve(argv[0], argv, environ);
		err = errno;
		if (write(err_pipe[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(err_pipe[1]);
	if (read(err_pipe[0], &err, sizeof(err)) == sizeof(err)) {
		close(err_pipe[0]);
		printf("outcome: errno %d (%s)\n", err, strerror(err));
		waitpid(pid, &status, 0);
		return 0;
	}
	close(err_pipe[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFSIGNALED(status)) {
		printf("outcome: killed by signal %d during exec\n", WTERMSIG(status));
		return 0;
	}
	if (WIFSTOPPED(status) && WSTOPSIG(status) != SIGTRAP) {
		/*
		 * An exec that fails past the point of no return ends in
		 * force_fatal_sig(SIGSEGV); a tracer sees that signal's stop first.
		 */
		printf("outcome: killed by signal %d during exec\n", WSTOPSIG(status));
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 0;
	}
	if (!WIFSTOPPED(status)) {
		printf("outcome: status 0x%x\n", status);
		return 0;
	}
	return pid;
}

#define STAT_FIELDS 52

/*
 * Fields 3 to 51 of /proc/PID/stat (proc(5)) into field[3..51], read once; -1 if
 * the file is unreadable. The command name may hold spaces and parentheses:
 * fields resume after the last ')'.
 */
static int read_stat(pid_t pid, unsigned long field[STAT_FIELDS])
{
	char path[64], buf[4096], *p;
	int n = 2;
	FILE *f;

	memset(field, 0, STAT_FIELDS * sizeof(field[0]));
	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	p = fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
	fclose(f);
	if (!p)
		return -1;
	while ((p = strchr(p, ' ')) && ++n < STAT_FIELDS)
		field[n] = strtoul(++p, NULL, 10);
	return 0;
}

/* The mm fields of /proc/PID/stat: 26-28 and 45-51. */
static void print_stat(pid_t pid)
{
	static const struct { int field; const char *name; } fields[] = {
		{ 26, "startcode" }, { 27, "endcode" }, { 28, "startstack" },
		{ 45, "start_data" }, { 46, "end_data" }, { 47, "start_brk" },
		{ 48, "arg_start" }, { 49, "arg_end" }, { 50, "env_start" },
		{ 51, "env_end" },
	};
	unsigned long field[STAT_FIELDS];
	unsigned i;

	if (read_stat(pid, field)) {
		printf("stat: unreadable\n");
		return;
	}
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		printf("stat: %s 0x%lx\n", fields[i].name, field[fields[i].field]);
}

static int compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

#define MAX_MAPS 256

/* The "aslr:" line of a process stopped at its first instruction (see the top). */
static void print_aslr(pid_t pid, const char *prog)
{
	unsigned long file = 0, stack = 0, vdso = 0, lo, hi, offset;
	char path[64], line[512], perms[8], name[256], *shapes[MAX_MAPS];
	uint64_t h = 0xcbf29ce484222325ull;
	unsigned long stat[STAT_FIELDS];
	int n = 0, i;
	FILE *maps;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	while (maps && n < MAX_MAPS && fgets(line, sizeof(line), maps)) {
		name[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %lx %*s %*s %255s", &lo, &hi, perms, &offset, name) < 4)
			continue;
		if (!file && strcmp(name, prog) == 0)
			file = lo;
		if (strcmp(name, "[stack]") == 0)
			stack = hi;
		if (strcmp(name, "[vdso]") == 0)
			vdso = lo;
		if (asprintf(&shapes[n], "%lu %s %08lx %s\n", hi - lo, perms, offset, name) < 0)
			break;
		n++;
	}
	if (maps)
		fclose(maps);
	qsort(shapes, n, sizeof(shapes[0]), compare_lines);
	for (i = 0; i < n; i++) {
		h ^= digest((const unsigned char *)shapes[i], strlen(shapes[i]));
		h *= 0x100000001b3ull;
		free(shapes[i]);
	}
	printf("aslr: %016lx %lx %lx %lx %lx\n", (unsigned long)h, file, stack, vdso,
	       read_stat(pid, stat) ? 0 : stat[47]);
}

/* execprobe --json maps PID >FILE; its exit status. */
static int execprobe_maps(pid_t pid, const char *file)
{
	char pidstr[16];
	int status, fd;
	pid_t probe;

	snprintf(pidstr, sizeof(pidstr), "%d", pid);
	fflush(stdout);
	probe = fork();
	if (probe < 0)
		return -1;
	if (probe == 0) {
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, 1) < 0)
			_exit(127);
		execlp("execprobe", "execprobe", "--json", "maps", pidstr, (char *)NULL);
		_exit(127);
	}
	if (waitpid(probe, &status, 0) != probe || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct regs regs;
	int status, runs = 0, i;
	const char *json = NULL;
	pid_t pid;

	for (;;) {
		if (argc > 3 && strcmp(argv[1], "-p") == 0) {
			persona = strtoul(argv[2], NULL, 0);
			set_persona = 1;
		} else if (argc > 3 && strcmp(argv[1], "-a") == 0) {
			runs = atoi(argv[2]);
		} else if (argc > 3 && strcmp(argv[1], "-j") == 0) {
			json = argv[2];
		} else {
			break;
		}
		argv += 2;
		argc -= 2;
	}
	if (argc < 2) {
		fprintf(stderr, "usage: exec-snapshot [-p PERSONALITY] [-a RUNS] [-j FILE] PROG [ARG...]\n");
		return 2;
	}
	for (i = 0; i < runs; i++) {
		pid = spawn_stopped(argv + 1);
		if (pid < 0)
			return 1;
		if (pid == 0)
			continue;
		print_aslr(pid, argv[1]);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
	}
	if (runs)
		return 0;
	pid = spawn_stopped(argv + 1);
	if (pid <= 0)
		return pid < 0;
	printf("outcome: stopped at the first instruction\n");
	if (get_regs(pid, &regs) == 0) {
		print_regs(pid, &regs);
		print_file(pid, "maps");
		print_auxv_file(pid, word_size(&regs));
		print_stat(pid);
		print_stack(pid, stack_pointer(&regs), word_size(&regs));
	}
	if (json)
		printf("execprobe: exit status %d\n", execprobe_maps(pid, json));
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * binfmt_rs's trace events: one per step of load_elf_binary() after which binfmt_rs
 * can film the address space (rust/core/src/film.rs names them), and one for the
 * return of load_elf_binary() itself. Each carries the step's C call as the film
 * shows it, "function(args) = result", and the result as a number to filter on.
 *
 * The events' registration callbacks tell binfmt_rs that someone listens, so an
 * exec that is neither filmed nor traced formats nothing (rust/wrappers/trace_events.rs).
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM binfmt_rs

#if !defined(_BINFMT_RS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _BINFMT_RS_TRACE_H

#include <linux/tracepoint.h>

int binfmt_rs_trace_reg(void);
void binfmt_rs_trace_unreg(void);

DECLARE_EVENT_CLASS(binfmt_rs_call,
	TP_PROTO(const char *call, long result),
	TP_ARGS(call, result),
	TP_STRUCT__entry(
		__string(call, call)
		__field(long, result)
	),
	TP_fast_assign(
		__assign_str(call);
		__entry->result = result;
	),
	TP_printk("%s", __get_str(call))
);

#define BINFMT_RS_STEP_EVENT(name)					\
	DEFINE_EVENT_FN(binfmt_rs_call, name,				\
		TP_PROTO(const char *call, long result),		\
		TP_ARGS(call, result),					\
		binfmt_rs_trace_reg, binfmt_rs_trace_unreg)

/* In the order of enum FilmStep (rust/core/src/film.rs). */
BINFMT_RS_STEP_EVENT(bprm_mm_init);
BINFMT_RS_STEP_EVENT(begin_new_exec);
BINFMT_RS_STEP_EVENT(setup_arg_pages);
BINFMT_RS_STEP_EVENT(elf_load);
BINFMT_RS_STEP_EVENT(load_elf_interp);
BINFMT_RS_STEP_EVENT(arch_setup_additional_pages);
BINFMT_RS_STEP_EVENT(create_elf_tables);
BINFMT_RS_STEP_EVENT(set_brk);
BINFMT_RS_STEP_EVENT(map_page_zero);
BINFMT_RS_STEP_EVENT(start_thread);
/* load_elf_binary()'s return: 0, or the errno the exec fails with. */
BINFMT_RS_STEP_EVENT(load_elf_binary);

#endif /* _BINFMT_RS_TRACE_H */

#undef TRACE_INCLUDE_PATH
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_PATH .
#define TRACE_INCLUDE_FILE binfmt_rs_trace
#include <trace/define_trace.h>

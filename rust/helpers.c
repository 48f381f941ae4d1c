// SPDX-License-Identifier: GPL-2.0
/*
 * The C side of binfmt_rs: macros and static inlines that Rust cannot call.
 *
 * The module! macro of 6.12 declares no parameters, so module_param_cb() (a macro
 * that places a struct kernel_param in the __param section) lives here; the
 * callbacks themselves are Rust functions (rust/claim.rs, rust/stats.rs).
 */

#include <linux/moduleparam.h>
#include <asm/cpufeature.h>

#include "bindings_helper.h"

/* cpu_feature_enabled() is a macro over alternatives; see rust/symbols.rs. */
bool binfmt_rs_ibt_enforced(void)
{
	return cpu_feature_enabled(X86_FEATURE_IBT);
}

int binfmt_rs_claim_set(const char *val, const struct kernel_param *kp);
int binfmt_rs_claim_get(char *buffer, const struct kernel_param *kp);
int binfmt_rs_read_only_set(const char *val, const struct kernel_param *kp);
int binfmt_rs_stats_get(char *buffer, const struct kernel_param *kp);

static const struct kernel_param_ops claim_ops = {
	.set = binfmt_rs_claim_set,
	.get = binfmt_rs_claim_get,
};
module_param_cb(claim, &claim_ops, NULL, 0644);
MODULE_PARM_DESC(claim,
	"ELF files binfmt_rs loads itself: none (every file falls through to the kernel's loader) or all");

static const struct kernel_param_ops stats_ops = {
	.set = binfmt_rs_read_only_set,
	.get = binfmt_rs_stats_get,
};
module_param_cb(stats, &stats_ops, NULL, 0444);
MODULE_PARM_DESC(stats, "what binfmt_rs has seen since it was loaded (read-only)");

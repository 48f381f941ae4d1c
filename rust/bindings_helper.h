/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The C declarations binfmt_rs uses, for bindgen. rust/bindgen_parameters lists the
 * items taken from them; everything else stays out of the generated file.
 */

#include <linux/binfmts.h>
#include <linux/elf.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/uaccess.h>

/* rust/helpers.c */
bool binfmt_rs_ibt_enforced(void);

// SPDX-License-Identifier: GPL-2.0

//! Helpers of the fuzz targets: [`mm`], a model of the address space the PT_LOAD
//! loops map into.

pub mod mm;

//! Checking: what was gathered against independent sources (the kernel's own
//! record, glibc's getauxval(3)), and one report against another (`diff`).

pub mod checks;
pub mod diff;

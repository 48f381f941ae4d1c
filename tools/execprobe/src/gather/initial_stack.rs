//! The initial stack of this process, copied and parsed, and the formatting its
//! bytes are shown with.

use crate::error::Error;
use crate::gather::stack::{self, Captured};
use crate::parse::layout::Layout;
use crate::parse::maps::Mapping;
use crate::parse::snapshot::Snapshot;

/// The initial stack of this process, found and parsed.
pub struct InitialStack {
    pub captured: Captured,
    pub vma: Mapping,
    pub snapshot: Snapshot,
    pub layout: Layout,
}

impl InitialStack {
    /// Copies the initial stack and finds its parts.
    pub fn read() -> Result<InitialStack, Error> {
        let stack::Copied {
            captured,
            vma,
            snapshot,
        } = stack::copy_initial_stack()?;
        let layout = Layout::parse(&snapshot)?;
        Ok(InitialStack {
            captured,
            vma,
            snapshot,
            layout,
        })
    }
}

/// Bytes as text, invalid UTF-8 replaced.
pub fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Bytes as lowercase hex, two digits each.
pub fn hex_bytes(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The initial stack of the running test binary.
#[cfg(test)]
pub fn for_this_process() -> InitialStack {
    InitialStack::read().expect("initial stack found")
}

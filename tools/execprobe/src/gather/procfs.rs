//! Reading files of /proc.

use crate::gather::initial_stack::lossy;

/// Reads a file of /proc whole.
pub fn read(path: &str) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("reading {path}: {e}"))
}

/// Reads a text file of /proc; mapped file names need not be UTF-8.
pub fn read_text(path: &str) -> Result<String, String> {
    read(path).map(|bytes| lossy(&bytes))
}

//! Reading files of /proc.

use crate::error::{Context, Error};
use crate::gather::initial_stack::lossy;

/// Reads a file of /proc whole.
pub fn read(path: &str) -> Result<Vec<u8>, Error> {
    std::fs::read(path).with_context(|| format!("reading {path}"))
}

/// Reads a text file of /proc; mapped file names need not be UTF-8.
pub fn read_text(path: &str) -> Result<String, Error> {
    read(path).map(|bytes| lossy(&bytes))
}

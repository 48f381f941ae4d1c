//! execprobe's errors: what failed, and the context it failed in, shown
//! outermost first ("reading /proc/self/maps: Permission denied").

use std::fmt;

/// An error with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// Where it happened, outermost first.
    context: Vec<String>,
    /// What happened.
    cause: String,
}

impl Error {
    pub fn new(cause: impl fmt::Display) -> Self {
        Error {
            context: Vec::new(),
            cause: cause.to_string(),
        }
    }

    /// The same error, met while doing `what`.
    pub fn context(mut self, what: impl fmt::Display) -> Self {
        self.context.insert(0, what.to_string());
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for what in &self.context {
            write!(f, "{what}: ")?;
        }
        f.write_str(&self.cause)
    }
}

impl std::error::Error for Error {}

impl From<String> for Error {
    fn from(cause: String) -> Self {
        Error::new(cause)
    }
}

impl From<&str> for Error {
    fn from(cause: &str) -> Self {
        Error::new(cause)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::new(e)
    }
}

impl From<serde_json::Error> for Error {
    fn from(e: serde_json::Error) -> Self {
        Error::new(e)
    }
}

/// `Result` with execprobe's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Adds context to a failing result.
pub trait Context<T> {
    /// On failure, the error met while doing `what`.
    fn context(self, what: impl fmt::Display) -> Result<T>;
    /// As [`Context::context`], with the context computed only on failure.
    fn with_context<D: fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T>;
}

impl<T, E: Into<Error>> Context<T> for std::result::Result<T, E> {
    fn context(self, what: impl fmt::Display) -> Result<T> {
        self.map_err(|e| e.into().context(what))
    }

    fn with_context<D: fmt::Display>(self, what: impl FnOnce() -> D) -> Result<T> {
        self.map_err(|e| e.into().context(what()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn context_reads_outermost_first() {
        let inner: Result<()> = Err(Error::new("Permission denied"));
        let e = inner
            .context("reading /proc/self/maps")
            .context("maps")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "maps: reading /proc/self/maps: Permission denied"
        );
    }
}

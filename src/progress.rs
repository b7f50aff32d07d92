//! Progress of the long stages (rendering, writing), reported to whoever listens: a progress
//! bar when a person watches a terminal, nothing otherwise.

/// Receives progress. Implementations must be cheap to call from many threads at once.
pub trait Progress: Sync {
    /// A stage of `total` steps begins.
    fn begin(&self, stage: &'static str, total: usize);
    /// `n` more steps are done.
    fn advance(&self, n: usize);
    /// The stage is over.
    fn end(&self);
}

/// Reports nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct Silent;

impl Progress for Silent {
    fn begin(&self, _: &'static str, _: usize) {}
    fn advance(&self, _: usize) {}
    fn end(&self) {}
}

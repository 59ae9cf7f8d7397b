//! Text → objects and diagnostics. Never fails: every problem becomes a located diagnostic.

pub mod diagnostic;

pub use diagnostic::{Diagnostic, Severity};

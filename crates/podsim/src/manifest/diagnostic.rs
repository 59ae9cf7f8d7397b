//! Diagnostics: every message about the user's text, with where it points.

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The object is rejected (syntax, type or validation error).
    Error,
    /// Accepted, but probably not what was meant (an unknown field).
    Warning,
    /// Accepted, noted (a field the simulator does not model).
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One message about the input, located in the source text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Index of the YAML document (0-based) in a multi-document input.
    pub doc: usize,
    /// The field path (`spec.containers[0].image`), empty for whole-document messages.
    pub path: String,
    /// 1-based line and column of the field (or of the syntax error) in the source text.
    pub line: u32,
    pub column: u32,
    /// The message in Kubernetes' words, e.g. `spec.containers[0].image: Required value`.
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn severities_print_in_lowercase_and_sort_by_seriousness() {
        assert_eq!([Severity::Error, Severity::Warning, Severity::Info].map(Severity::as_str), ["error", "warning", "info"]);
        assert!(Severity::Error < Severity::Warning && Severity::Warning < Severity::Info);
    }
}

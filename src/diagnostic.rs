//! Findings as data. Renderers (in the binary) turn them into text.

use crate::document::Span;
use crate::rules::Severity;

/// One finding: which rule, how severe, what and where, and its fix if it has one.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// Index of the rule in the rule set; [`crate::Linter::rule`] gives the rule itself.
    pub rule: usize,
    /// The rule's severity, or the one the configuration gave it.
    pub severity: Severity,
    /// What is wrong, in the linter's language.
    pub message: String,
    /// What to do about it, and the gateway error code it predicts when there is one.
    pub help: String,
    /// 0-based index of the document in its file.
    pub document: usize,
    /// RFC 6901 pointer into that document.
    pub pointer: String,
    /// Byte range in the file of the offending key or value.
    pub span: Span,
    /// Other places involved: the first of two duplicates, the field that made another required.
    pub related: Vec<Related>,
    /// A short stable hash of the offending value (or of the kind of a collection), filled in by
    /// [`crate::lint_bytes`]: with the rule, file and pointer it keys baselines and fingerprints.
    pub value_hash: String,
    /// How to fix it, when its rule declares a fix and the source is in a shape the fix handles.
    pub fix: Option<crate::fix::Fix>,
}

/// Another place a finding involves, with what it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Related {
    pub message: String,
    pub pointer: String,
    pub span: Span,
}

/// Sorts findings by position in the file, then by rule: the order every output uses.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by_key(|d| (d.span.start, d.span.end, d.rule));
}

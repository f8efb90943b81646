//! Human output: one miette report per finding, then a one-line summary.

use std::fmt;

use apig_lint::document::Span;
use apig_lint::rules::{RuleSet, Severity};
use apig_lint::{Diagnostic, FileReport};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents};

use super::json::Summary;

/// A file's text under its name, borrowed (miette's `NamedSource` wants owned, `'static` text).
struct Source<'a> {
    name: &'a str,
    text: &'a str,
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner = self.text.read_span(span, before, after)?;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_owned(),
            inner.data(),
            *inner.span(),
            inner.line(),
            inner.column(),
            inner.line_count(),
        )))
    }
}

/// One finding as miette sees it.
struct Report<'a> {
    diagnostic: &'a Diagnostic,
    code: String,
    help: String,
    source: &'a Source<'a>,
    /// Found while loading or at the document level (syntax, encoding, limits).
    document_level: bool,
}

impl Report<'_> {
    /// A UTF-16 file has no text to show.
    fn shows_source(&self) -> bool {
        !self.source.text.is_empty() && self.diagnostic.span.end <= self.source.text.len()
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.diagnostic.message)
    }
}

impl std::error::Error for Report<'_> {}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new(span.start.into(), span.len())
}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.shows_source().then_some(self.source as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.shows_source() {
            return None;
        }
        let d = self.diagnostic;
        let pointer = if !d.pointer.is_empty() {
            d.pointer.clone()
        } else if self.document_level {
            "here".to_owned()
        } else {
            "document root".to_owned()
        };
        let primary = LabeledSpan::new_primary_with_span(Some(pointer), source_span(d.span));
        let related =
            d.related.iter().map(|r| LabeledSpan::new_with_span(Some(r.message.clone()), source_span(r.span)));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

pub fn render(rules: &RuleSet, reports: &[FileReport], color: bool, width: usize) -> String {
    let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
    let handler = GraphicalReportHandler::new_themed(theme).with_links(false).with_width(width);
    let mut out = String::new();
    for report in reports {
        let source = Source { name: &report.path, text: &report.text };
        for d in &report.diagnostics {
            let rule = &rules.rules[d.rule];
            let mut help = d.help.clone();
            if let Some(code) = &rule.gateway_code {
                help.push_str(&format!("\nthe gateway would answer {code}"));
            }
            let shown = Report {
                diagnostic: d,
                code: format!("{} {}", rule.id, rule.name),
                help,
                source: &source,
                document_level: matches!(rule.check, apig_lint::rules::Check::Document { .. }),
            };
            if handler.render_report(&mut out, &shown).is_err() {
                out.push_str(&format!("{}: {} [{}]\n", report.path, d.message, rule.id));
            }
            out.push('\n');
        }
    }
    out.push_str(&summary_line(&Summary::of(reports)));
    out
}

fn summary_line(s: &Summary) -> String {
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    if s.errors + s.warnings + s.infos == 0 {
        return format!("No problems found in {}.\n", plural(s.files, "file"));
    }
    format!(
        "Found {}, {} and {} in {} ({} checked).\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info"),
        plural(s.files, "file"),
        plural(s.documents, "document"),
    )
}

//! Human output: one miette report per finding, then a one-line summary.

use std::fmt;

use crate::document::{LineIndex, Span};
use crate::escape::{same_width, text};
use crate::rules::{RuleSet, Severity};
use crate::{Diagnostic, FileReport, Lang};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents};

use super::json::Summary;

/// A file's text under its name, with its line index. miette's own `read_span` rescans the text
/// from the start for every report (quadratic in findings) and panics on label columns past
/// 65,535; this one takes time proportional to what it shows and keeps windows narrow.
struct Source<'a> {
    name: &'a str,
    text: &'a str,
    index: LineIndex,
}

/// Widest source window shown around a finding, in bytes; longer lines are cut around the span.
const WINDOW: usize = 240;
/// Longest label underlined, in bytes; a longer span is marked by its start.
const LABEL: usize = 120;

fn floor_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let (text, index) = (self.text, &self.index);
        let start = span.offset();
        let end = start + span.len();
        if end > text.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first = index.line_of(start);
        let last = index.line_of(end.saturating_sub(1).max(start));
        let mut from_line = first.saturating_sub(before);
        let mut to_line = (last + after).min(index.line_count() - 1);
        // Context lines too long to show whole are dropped; a long line of the span is cut.
        while from_line < first && index.line_range(text, from_line).1 - index.line_range(text, from_line).0 > WINDOW {
            from_line += 1;
        }
        while to_line > last && index.line_range(text, to_line).1 - index.line_range(text, to_line).0 > WINDOW {
            to_line -= 1;
        }
        let mut from = index.line_range(text, from_line).0;
        let mut to = index.line_range(text, to_line).1;
        if first == last && to - from > WINDOW {
            // Only the span's own line, cut around the span.
            (from_line, to_line) = (first, last);
            let (line_start, line_end) = index.line_range(text, first);
            from = floor_boundary(text, line_start.max(start.saturating_sub(WINDOW / 3)));
            to = floor_boundary(text, line_end.min(end.max(from + WINDOW)));
        }
        // Without context lines miette reads the location from the contents: they start at the
        // span, and the column counts characters (as the JSON output does).
        if before == 0 {
            from = start;
        }
        let column = index.position(text, from).1 - 1;
        Ok(Box::new(miette::MietteSpanContents::new_named(
            self.name.to_owned(),
            &text.as_bytes()[from..to],
            (from, to - from).into(),
            from_line,
            column,
            to_line + 1,
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
    lang: Lang,
}

impl Report<'_> {
    /// A UTF-16 file has no text to show.
    fn shows_source(&self) -> bool {
        !self.source.text.is_empty() && self.diagnostic.span.end <= self.source.text.len()
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&text(&self.diagnostic.message))
    }
}

/// The message; a finding with no source to show (an empty, UTF-16 or oversized file) names its
/// file here, since no snippet header will.
impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.shows_source() {
            write!(f, "{}: ", text(self.source.name))?;
        }
        f.write_str(&text(&self.diagnostic.message))
    }
}

impl std::error::Error for Report<'_> {}

/// A label's range: a span over several lines is cut to its first line, and any span to its
/// first `LABEL` bytes (at a character boundary).
fn label_span(text: &str, span: Span) -> SourceSpan {
    let slice = text.get(span.start..span.end).unwrap_or_default();
    let mut end = match slice.find('\n') {
        Some(line_end) if line_end > 0 => span.start + slice[..line_end].trim_end_matches('\r').len(),
        _ => span.end,
    };
    if end - span.start > LABEL {
        end = floor_boundary(text, span.start + LABEL);
    }
    SourceSpan::new(span.start.into(), end - span.start)
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
            text(&d.pointer).into_owned()
        } else if self.document_level {
            self.lang.pick("here", "此处").to_owned()
        } else {
            self.lang.pick("document root", "文档根").to_owned()
        };
        let primary = LabeledSpan::new_primary_with_span(Some(pointer), label_span(self.source.text, d.span));
        let related = d.related.iter().map(|r| {
            LabeledSpan::new_with_span(Some(text(&r.message).into_owned()), label_span(self.source.text, r.span))
        });
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// Each finding as miette draws it, with its source lines, labels and help, file by file.
pub fn render(rules: &RuleSet, reports: &[FileReport], color: bool, width: usize, lang: Lang) -> String {
    let renderer = Renderer::new(color, width, lang);
    let mut out = String::new();
    reports.iter().for_each(|report| renderer.file(rules, report, &mut out));
    out
}

/// [`render`]'s settings, made once a run and shared by the threads that render files apart.
pub struct Renderer {
    handler: GraphicalReportHandler,
    lang: Lang,
}

impl Renderer {
    pub fn new(color: bool, width: usize, lang: Lang) -> Self {
        let theme = if color { GraphicalTheme::unicode() } else { GraphicalTheme::unicode_nocolor() };
        let handler = GraphicalReportHandler::new_themed(theme).with_links(false).with_width(width);
        Renderer { handler, lang }
    }

    /// [`render`] for one file, appended to `out` (files can be rendered apart and joined).
    pub fn file(&self, rules: &RuleSet, report: &FileReport, out: &mut String) {
        if report.diagnostics.is_empty() {
            return;
        }
        let (handler, lang) = (&self.handler, self.lang);
        // The file's name and text as shown: escaped, and the text with every unsafe character
        // replaced by one of the same length, so spans still fit.
        let name = text(&report.path);
        let shown = same_width(&report.text);
        let source = Source { name: &name, text: &shown, index: LineIndex::new(&shown) };
        for d in &report.diagnostics {
            let rule = &rules.rules[d.rule];
            let mut help = text(&d.help).into_owned();
            if let Some(code) = &rule.gateway_code {
                help.push_str(&match lang {
                    Lang::En => format!("\nthe gateway would answer {code}"),
                    Lang::ZhCn => format!("\n网关会返回 {code}"),
                });
            }
            // `[*]` marks a finding `--fix` fixes, as ruff does; an unsafe fix is named as such.
            let mut marker = "";
            if let Some(fix) = &d.fix {
                let message = text(&fix.message);
                match fix.applicability {
                    crate::fix::Applicability::Safe => {
                        marker = " [*]";
                        help.push_str(&format!("\nfix: {message}"));
                    }
                    crate::fix::Applicability::Unsafe => {
                        help.push_str(&format!("\nunsafe fix (--unsafe-fixes): {message}"));
                    }
                }
            }
            let shown = Report {
                diagnostic: d,
                code: format!("{} {}{marker}", rule.id, rule.name),
                help,
                source: &source,
                document_level: matches!(rule.check, crate::rules::Check::Document { .. }),
                lang,
            };
            if handler.render_report(out, &shown).is_err() {
                out.push_str(&format!("{}: {} [{}]\n", name, text(&d.message), rule.id));
            }
            out.push('\n');
        }
    }
}

/// `1 finding`, `2 findings`.
pub fn count(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

/// `Found 1 error, 2 warnings and 0 infos in 3 files (3 documents checked).` An unreadable file
/// never stands beside "No problems found", and skipped files are counted.
pub fn summary_line(s: &Summary, lang: Lang) -> String {
    if lang == Lang::ZhCn {
        return summary_line_zh(s);
    }
    let plural = count;
    let mut suppressed =
        if s.suppressed > 0 { format!(" {} suppressed.", plural(s.suppressed, "finding")) } else { String::new() };
    if s.skipped > 0 {
        let what = if s.skipped == 1 {
            "1 file skipped as not a VPC channel".to_owned()
        } else {
            format!("{} files skipped as not VPC channels", s.skipped)
        };
        suppressed.push_str(&format!(" {what} (--show-skipped lists them)."));
    }
    if s.unreadable > 0 {
        suppressed.push_str(&format!(" {} could not be read.", plural(s.unreadable, "file")));
    }
    if s.errors + s.warnings + s.infos == 0 && s.unreadable == 0 {
        return format!("No problems found in {}.{suppressed}\n", plural(s.files, "file"));
    }
    if s.errors + s.warnings + s.infos == 0 {
        return format!("No findings in the {} read.{suppressed}\n", plural(s.files, "file"));
    }
    format!(
        "Found {}, {} and {} in {} ({} checked).{suppressed}\n",
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.infos, "info"),
        plural(s.files, "file"),
        plural(s.documents, "document"),
    )
}

fn summary_line_zh(s: &Summary) -> String {
    let mut notes = String::new();
    if s.suppressed > 0 {
        notes.push_str(&format!("已抑制 {} 个问题。", s.suppressed));
    }
    if s.skipped > 0 {
        notes.push_str(&format!("{} 个文件不是 VPC 通道，已跳过（--show-skipped 可列出）。", s.skipped));
    }
    if s.unreadable > 0 {
        notes.push_str(&format!("{} 个文件无法读取。", s.unreadable));
    }
    let found = s.errors + s.warnings + s.infos;
    if found == 0 && s.unreadable == 0 {
        return format!("检查了 {} 个文件，未发现问题。{notes}\n", s.files);
    }
    if found == 0 {
        return format!("已读取的 {} 个文件中未发现问题。{notes}\n", s.files);
    }
    format!(
        "在 {} 个文件中发现 {} 个错误、{} 个警告、{} 个提示（检查了 {} 个文档）。{notes}\n",
        s.files, s.errors, s.warnings, s.infos, s.documents
    )
}

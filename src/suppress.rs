//! Suppressions with reasons: `# apig-lint: ignore <rule> -- <reason>` comments in YAML (on the
//! line before a finding or at the end of its line), `# apig-lint: ignore-file <rule> -- <reason>`,
//! and the configuration's `[[suppress]]` entries, which work for JSON too. A suppression without
//! a reason, one that suppresses nothing, or one that cannot be read is itself a finding.

use crate::diagnostic::Diagnostic;
use crate::document::{Comment, LineIndex, Span};
use crate::rules::{DocumentProblem, RuleSet};

/// A directive read from a comment.
#[derive(Clone, Debug, PartialEq)]
pub struct Directive {
    /// The comment it was read from.
    pub span: Span,
    /// The 0-based line whose findings it covers, or `None` for the whole file.
    pub line: Option<usize>,
    /// Rule indices.
    pub rules: Vec<usize>,
    pub reason: Option<String>,
}

/// A finding about a suppression itself, before it becomes a diagnostic.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub kind: DocumentProblem,
    pub detail: String,
    pub span: Span,
}

const PREFIX: &str = "apig-lint:";

/// Reads the directives among a file's comments; a comment that starts with `apig-lint:` but is
/// not a well-formed directive is a problem.
pub fn directives(
    text: &str,
    index: &LineIndex,
    comments: &[Comment],
    rules: &RuleSet,
) -> (Vec<Directive>, Vec<Problem>) {
    let mut directives = Vec::new();
    let mut problems = Vec::new();
    for comment in comments {
        let Some(body) = comment.text.trim().strip_prefix(PREFIX) else { continue };
        let malformed =
            |detail: String| Problem { kind: DocumentProblem::MalformedSuppression, detail, span: comment.span };
        let (head, reason) = match body.split_once("--") {
            Some((head, reason)) => (head, Some(reason.trim()).filter(|r| !r.is_empty()).map(str::to_owned)),
            None => (body, None),
        };
        let mut words = head.split(|c: char| c == ',' || c.is_whitespace()).filter(|w| !w.is_empty());
        let line = match words.next() {
            Some("ignore") => Some(target_line(text, index, comment.span)),
            Some("ignore-file") => None,
            other => {
                let found = other.map_or_else(|| "nothing".to_owned(), |w| format!("`{w}`"));
                problems
                    .push(malformed(format!("expected `ignore` or `ignore-file` after `apig-lint:`, found {found}")));
                continue;
            }
        };
        let mut found = Vec::new();
        for word in words {
            match rules.find(word) {
                Some(rule) => found.push(rule),
                None => problems.push(malformed(format!("unknown rule `{word}` in a suppression"))),
            }
        }
        if found.is_empty() {
            if problems.last().is_none_or(|p| p.span != comment.span) {
                problems.push(malformed("a suppression must name the rules it silences".into()));
            }
            continue;
        }
        directives.push(Directive { span: comment.span, line, rules: found, reason });
    }
    (directives, problems)
}

/// The line a comment speaks for: its own when it ends a line of content, else the next line
/// that holds more than blanks and comments.
fn target_line(text: &str, index: &LineIndex, comment: Span) -> usize {
    let own = index.line_of(comment.start);
    let (start, _) = index.line_range(text, own);
    if !text.get(start..comment.start).unwrap_or_default().trim().is_empty() {
        return own;
    }
    let mut line = own + 1;
    while line < index.line_count() {
        let (start, end) = index.line_range(text, line);
        let content = text.get(start..end).unwrap_or_default().trim();
        if !content.is_empty() && !content.starts_with('#') {
            break;
        }
        line += 1;
    }
    line
}

/// Removes the findings the directives cover and reports, for each directive and rule, what is
/// wrong with it: no reason, or nothing suppressed. `enabled` tells a rule that is switched off
/// (a suppression of it is moot) from one that simply found nothing there.
pub fn apply(
    directives: &[Directive],
    diagnostics: &mut Vec<Diagnostic>,
    index: &LineIndex,
    rules: &RuleSet,
    enabled: impl Fn(usize) -> bool,
) -> (usize, Vec<Problem>) {
    let mut used: Vec<Vec<bool>> = directives.iter().map(|d| vec![false; d.rules.len()]).collect();
    let before = diagnostics.len();
    diagnostics.retain(|finding| {
        let line = index.line_of(finding.span.start);
        let mut keep = true;
        for (d, directive) in directives.iter().enumerate() {
            if directive.line.is_some_and(|l| l != line) {
                continue;
            }
            if let Some(r) = directive.rules.iter().position(|&rule| rule == finding.rule) {
                used[d][r] = true;
                keep = false;
            }
        }
        keep
    });
    let mut problems = Vec::new();
    for (d, directive) in directives.iter().enumerate() {
        if directive.reason.is_none() {
            problems.push(Problem {
                kind: DocumentProblem::SuppressionWithoutReason,
                detail: format!("this suppression of {} gives no reason", names(rules, &directive.rules)),
                span: directive.span,
            });
        }
        for (r, &rule) in directive.rules.iter().enumerate() {
            if used[d][r] {
                continue;
            }
            let id = &rules.rules[rule].id;
            let detail = match directive.line {
                _ if !enabled(rule) => {
                    format!("this suppression of `{id}` suppresses nothing: the rule is not enabled")
                }
                Some(line) => {
                    format!("this suppression of `{id}` suppresses nothing: no `{id}` finding on line {}", line + 1)
                }
                None => format!("this suppression of `{id}` suppresses nothing: no `{id}` finding in this file"),
            };
            problems.push(Problem { kind: DocumentProblem::UnusedSuppression, detail, span: directive.span });
        }
    }
    (before - diagnostics.len(), problems)
}

fn names(rules: &RuleSet, indices: &[usize]) -> String {
    let ids: Vec<String> = indices.iter().map(|&i| format!("`{}`", rules.rules[i].id)).collect();
    ids.join(", ")
}

/// Does `pointer` lie at or under `prefix`? Segments of `prefix` may be `*`.
pub fn pointer_within(pointer: &str, prefix: &str) -> bool {
    if prefix.is_empty() || prefix == "/" {
        return true;
    }
    let mut have = pointer.split('/').skip(1);
    prefix.split('/').skip(1).all(|want| have.next().is_some_and(|segment| want == "*" || want == segment))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Comment;

    fn read(text: &str) -> (Vec<Directive>, Vec<Problem>) {
        let rules = RuleSet::builtin().unwrap();
        let comments: Vec<Comment> = text
            .match_indices('#')
            .map(|(at, _)| {
                let end = text[at..].find('\n').map_or(text.len(), |n| at + n);
                Comment { span: Span::new(at, end), text: text[at + 1..end].to_owned() }
            })
            .collect();
        directives(text, &LineIndex::new(text), &comments, rules)
    }

    #[test]
    fn directives_name_rules_a_line_and_a_reason() {
        let (found, problems) =
            read("a: 1\n# apig-lint: ignore AL401, timeout-not-below-interval -- known\n\n# other\nb: 2\n");
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].line, Some(4), "the next line with content");
        assert_eq!(found[0].rules.len(), 2);
        assert_eq!(found[0].reason.as_deref(), Some("known"));
        let (found, _) = read("a: 1 # apig-lint: ignore AL401\n");
        assert_eq!((found[0].line, found[0].reason.as_deref()), (Some(0), None), "end of line, no reason");
        let (found, _) = read("# apig-lint: ignore-file AL401 -- legacy\na: 1\n");
        assert_eq!(found[0].line, None);
    }

    #[test]
    fn malformed_directives_are_problems() {
        for text in [
            "# apig-lint: ignor AL401 -- x\n",
            "# apig-lint: ignore AL999 -- x\n",
            "# apig-lint: ignore -- x\n",
            "# apig-lint:\n",
        ] {
            let (found, problems) = read(text);
            assert!(found.is_empty(), "{text}");
            assert_eq!(problems.len(), 1, "{text}: {problems:?}");
            assert_eq!(problems[0].kind, DocumentProblem::MalformedSuppression);
        }
        assert_eq!(read("# mentions apig-lint in passing\n"), (Vec::new(), Vec::new()));
    }

    #[test]
    fn pointers_match_at_or_under_a_prefix() {
        assert!(pointer_within("/members/0/host", "/members"));
        assert!(pointer_within("/members", "/members"));
        assert!(pointer_within("/members/3/host", "/members/*/host"));
        assert!(!pointer_within("/members_x", "/members"));
        assert!(!pointer_within("/members/3/weight", "/members/*/host"));
        assert!(pointer_within("/anything", ""));
    }
}

//! Suppressions with reasons: `# apig-lint: ignore <rule> -- <reason>` comments in YAML (on the
//! line before a finding or at the end of its line), `# apig-lint: ignore-file <rule> -- <reason>`,
//! and the configuration's `[[suppress]]` entries, which work for JSON too. A suppression without
//! a reason, one that suppresses nothing, or one that cannot be read is itself a finding.

use crate::diagnostic::Diagnostic;
use crate::document::{Comment, LineIndex, Span};
use crate::rules::{DocumentProblem, RuleSet};

/// A directive read from a comment.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Directive {
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
    // Where each line's stack of comments ends: computed once, when a directive needs it, so that
    // thousands of stacked directive lines cost one pass, not one scan each.
    let mut next_content: Option<Vec<usize>> = None;
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
            Some("ignore") => {
                let lines = next_content.get_or_insert_with(|| content_lines(text, index));
                Some(target_line(text, index, lines, comment.span))
            }
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
                Some(rule) if rules.is_mandatory(rule) => problems.push(malformed(format!(
                    "`{word}` cannot be suppressed: its findings mean the file was not checked"
                ))),
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

/// For each line, the first line at or after it that holds more than blanks and comments (the
/// line count when none does), in one pass from the end.
fn content_lines(text: &str, index: &LineIndex) -> Vec<usize> {
    let count = index.line_count();
    let mut next = vec![count; count + 1];
    for line in (0..count).rev() {
        let (start, end) = index.line_range(text, line);
        let content = text.get(start..end).unwrap_or_default().trim();
        next[line] = if !content.is_empty() && !content.starts_with('#') { line } else { next[line + 1] };
    }
    next
}

/// The line a comment speaks for: its own when it ends a line of content, else the next line
/// that holds more than blanks and comments.
fn target_line(text: &str, index: &LineIndex, next_content: &[usize], comment: Span) -> usize {
    let own = index.line_of(comment.start);
    let (start, _) = index.line_range(text, own);
    if !text.get(start..comment.start).unwrap_or_default().trim().is_empty() {
        return own;
    }
    next_content.get(own + 1).copied().unwrap_or(index.line_count())
}

/// Removes the findings the directives cover and reports, for each directive and rule, what is
/// wrong with it: no reason, or nothing suppressed. `enabled` tells a rule that is switched off
/// (a suppression of it is moot) from one that simply found nothing there; `capped` rules had
/// findings left out by the findings cap, so a directive of theirs that matched nothing is not
/// called unused (its finding may be among those left out). Directives are looked up by line and
/// rule, so the cost is directives plus findings, not their product.
pub fn apply(
    directives: &[Directive],
    diagnostics: &mut Vec<Diagnostic>,
    index: &LineIndex,
    rules: &RuleSet,
    enabled: impl Fn(usize) -> bool,
    capped: impl Fn(usize) -> bool,
) -> (usize, Vec<Problem>) {
    use std::collections::HashMap;
    let mut used: Vec<Vec<bool>> = directives.iter().map(|d| vec![false; d.rules.len()]).collect();
    // (line or None for the whole file, rule) → the directives' (index, rule position), and
    // whether they have been marked used yet.
    type Matches = (Vec<(usize, usize)>, bool);
    let mut by_target: HashMap<(Option<usize>, usize), Matches> = HashMap::new();
    for (d, directive) in directives.iter().enumerate() {
        for (r, &rule) in directive.rules.iter().enumerate() {
            by_target.entry((directive.line, rule)).or_default().0.push((d, r));
        }
    }
    let before = diagnostics.len();
    diagnostics.retain(|finding| {
        if rules.is_mandatory(finding.rule) {
            return true;
        }
        let line = index.line_of(finding.span.start);
        let mut keep = true;
        for target in [(Some(line), finding.rule), (None, finding.rule)] {
            if let Some((matches, marked)) = by_target.get_mut(&target) {
                keep = false;
                if !*marked {
                    *marked = true;
                    for &(d, r) in matches.iter() {
                        used[d][r] = true;
                    }
                }
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
            if used[d][r] || capped(rule) {
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
pub(crate) fn pointer_within(pointer: &str, prefix: &str) -> bool {
    // `""` is the whole document; `/` is the key `""` at the top (RFC 6901), not the same thing.
    if prefix.is_empty() {
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
        assert!(!pointer_within("/anything", "/"), "`/` is the key \"\", not the document");
        assert!(pointer_within("//x", "/"));
    }

    #[test]
    fn mandatory_rules_cannot_be_suppressed() {
        let (found, problems) = read("# apig-lint: ignore AL001, syntax-error -- broken on purpose\na: 1\n");
        assert!(found.is_empty());
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].detail.contains("cannot be suppressed"), "{problems:?}");
    }

    #[test]
    fn stacked_directives_cost_one_pass() {
        // Stacked directive lines above one key all speak for it (the hostile suite runs 60,000).
        let mut text = "# apig-lint: ignore AL401 -- r\n\n".repeat(1_000);
        text.push_str("timeout: 1\n");
        let (found, _) = read(&text);
        assert_eq!(found.len(), 1_000);
        assert!(found.iter().all(|d| d.line == Some(2_000)));
    }
}

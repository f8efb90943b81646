//! Rule documentation, generated from the rule files: the `apig-lint rules` table, the README
//! table, `apig-lint explain` and `docs/rules.md`. Never written by hand.

use std::fmt::Write as _;

use super::{RuleSet, samples_of};

/// Plain-text table for a terminal.
pub fn table(rules: &RuleSet) -> String {
    let mut out = String::new();
    let width = rules.rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for r in &rules.rules {
        let code = r.gateway_code.as_deref().unwrap_or("-");
        let _ = writeln!(out, "{:<6} {:<width$}  {:<8} {:<10} {}", r.id, r.name, r.severity.as_str(), code, r.summary);
    }
    out
}

/// Markdown table, as kept in the README between the generated-table markers.
pub fn markdown_table(rules: &RuleSet) -> String {
    let mut out = String::from("| id | name | severity | gateway code | what it finds |\n|---|---|---|---|---|\n");
    for r in &rules.rules {
        let code = r.gateway_code.as_deref().map_or_else(|| "–".to_owned(), |c| format!("`{c}`"));
        let _ = writeln!(out, "| {} | `{}` | {} | {} | {} |", r.id, r.name, r.severity.as_str(), code, r.summary);
    }
    out
}

/// One rule's full documentation with its samples, as `apig-lint explain` prints it.
pub fn explain(rules: &RuleSet, index: usize) -> String {
    let r = &rules.rules[index];
    let mut out = String::new();
    let _ = writeln!(out, "# {} {}\n", r.id, r.name);
    let _ = writeln!(out, "{}\n", capitalise(&r.summary));
    let _ = writeln!(out, "- severity: {}", r.severity.as_str());
    let _ = writeln!(
        out,
        "- gateway error code: {}",
        r.gateway_code.as_deref().unwrap_or("none (the gateway accepts the body)")
    );
    let fix = match &r.fix {
        Some(fix) if fix.applicability == crate::fix::Applicability::Safe => {
            format!("safe, applied by `check --fix`: {}", fix.message)
        }
        Some(fix) => format!("unsafe, applied by `check --fix --unsafe-fixes`: {}", fix.message),
        None => "none; the right change depends on what the channel is meant to do".to_owned(),
    };
    let _ = writeln!(out, "- fix: {fix}");
    let _ = writeln!(out, "- source: {}\n", r.source);
    let _ = writeln!(out, "## Why\n\n{}\n", r.docs.trim());
    let samples: Vec<_> = samples_of(&r.name).collect();
    for (heading, prefix) in [("Invalid", "invalid"), ("Valid", "valid")] {
        // The plain `valid.*` / `invalid.*` sample when there is one, else the first of its kind.
        let plain = samples.iter().find(|(p, _)| file_name(p).split('.').next() == Some(prefix));
        let Some((path, text)) = plain.or_else(|| samples.iter().find(|(p, _)| file_name(p).starts_with(prefix)))
        else {
            continue;
        };
        let lang = if path.ends_with(".json") { "json" } else { "yaml" };
        let _ = writeln!(out, "## {heading} example (`{path}`)\n\n```{lang}\n{}\n```\n", text.trim_end());
    }
    out
}

/// Every rule's documentation in one Markdown file (`docs/rules.md`).
pub fn reference(rules: &RuleSet) -> String {
    let mut out = String::from(
        "# apig-lint rules\n\n<!-- Generated from rules/*.toml by `apig-lint rules --format markdown` and \
         `apig-lint explain`; tests fail when this file is stale. Do not edit by hand. -->\n\n",
    );
    out.push_str(&markdown_table(rules));
    for index in 0..rules.rules.len() {
        out.push('\n');
        out.push_str(&explain(rules, index).replacen("# ", "## ", 1).replace("\n## ", "\n### "));
    }
    out
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

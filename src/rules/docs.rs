//! Rule documentation, generated from the rule files: the `apig-lint rules` table, the README
//! table, `apig-lint explain` and `docs/rules.md`. Never written by hand.

use std::fmt::Write as _;

use super::{RuleSet, Severity, samples_of};
use crate::Lang;

/// A severity as prose names it (the machine formats always say `error`, `warning`, `info`).
pub(crate) fn severity_word(severity: Severity, lang: Lang) -> &'static str {
    match (severity, lang) {
        (_, Lang::En) => severity.as_str(),
        (Severity::Error, Lang::ZhCn) => "错误",
        (Severity::Warning, Lang::ZhCn) => "警告",
        (Severity::Info, Lang::ZhCn) => "提示",
    }
}

/// Plain-text table for a terminal.
pub fn table(rules: &RuleSet, lang: Lang) -> String {
    let mut out = String::new();
    let width = rules.rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
    for r in rules.rules.iter() {
        let code = r.gateway_code.as_deref().unwrap_or("-");
        let summary = r.text(lang).summary;
        let severity = severity_word(r.severity, lang);
        let _ = writeln!(out, "{:<6} {:<width$}  {severity:<8} {code:<10} {summary}", r.id, r.name);
    }
    out
}

/// Markdown table, as kept in the README between the generated-table markers.
pub fn markdown_table(rules: &RuleSet, lang: Lang) -> String {
    let header = lang.pick(
        "| id | name | severity | gateway code | what it finds |",
        "| 编号 | 名称 | 级别 | 网关错误码 | 检查内容 |",
    );
    let mut out = format!("{header}\n|---|---|---|---|---|\n");
    for r in rules.rules.iter() {
        let code = r.gateway_code.as_deref().map_or_else(|| "–".to_owned(), |c| format!("`{c}`"));
        let severity = severity_word(r.severity, lang);
        let _ = writeln!(out, "| {} | `{}` | {severity} | {code} | {} |", r.id, r.name, r.text(lang).summary);
    }
    out
}

/// One rule's full documentation with its samples, as `apig-lint explain` prints it.
pub fn explain(rules: &RuleSet, index: usize, lang: Lang) -> String {
    let r = &rules.rules[index];
    let text = r.text(lang);
    let mut out = String::new();
    let _ = writeln!(out, "# {} {}\n", r.id, r.name);
    let _ = writeln!(out, "{}\n", capitalise(text.summary));
    let _ = writeln!(out, "- {}: {}", lang.pick("severity", "级别"), severity_word(r.severity, lang));
    let code = match (&r.gateway_code, &r.no_gateway_code, lang) {
        (Some(code), _, _) => code.to_string(),
        (None, Some(why), Lang::En) => format!("none: {why}"),
        (None, Some(_), Lang::ZhCn) => "无：没有公开资料记载网关返回的错误码，或网关接受该请求体".to_owned(),
        (None, None, Lang::En) => "none (the gateway accepts the body)".to_owned(),
        (None, None, Lang::ZhCn) => "无（网关接受该请求体）".to_owned(),
    };
    let _ = writeln!(out, "- {}: {code}", lang.pick("gateway error code", "网关错误码"));
    // The fix's message is a template filled per finding; here its placeholders read "…".
    let template = |text: &str| super::text::substitute(text, "{", |_| Some("…".to_owned()));
    let fix = match (&r.fix, lang) {
        (Some(fix), Lang::En) if fix.applicability == crate::fix::Applicability::Safe => {
            format!("safe, applied by `check --fix`: {}", template(&fix.message))
        }
        (Some(fix), Lang::En) => format!("unsafe, applied by `check --fix --unsafe-fixes`: {}", template(&fix.message)),
        (Some(fix), Lang::ZhCn) if fix.applicability == crate::fix::Applicability::Safe => {
            format!("安全，由 `check --fix` 应用：{}", template(fix.message_in(lang)))
        }
        (Some(fix), Lang::ZhCn) => {
            format!("不安全，由 `check --fix --unsafe-fixes` 应用：{}", template(fix.message_in(lang)))
        }
        (None, Lang::En) => "none; the right change depends on what the channel is meant to do".to_owned(),
        (None, Lang::ZhCn) => "无；正确的修改取决于该VPC通道的用途".to_owned(),
    };
    let _ = writeln!(out, "- {}: {fix}", lang.pick("fix", "修复"));
    let _ = writeln!(out, "- {}: {}\n", lang.pick("source", "来源"), r.source);
    let _ = writeln!(out, "## {}\n\n{}\n", lang.pick("Why", "说明"), text.docs.trim());
    let samples: Vec<_> = samples_of(&r.name).collect();
    for (heading, prefix) in
        [(lang.pick("Invalid example", "错误示例"), "invalid"), (lang.pick("Valid example", "正确示例"), "valid")]
    {
        // The plain `valid.*` / `invalid.*` sample when there is one, else the first of its kind.
        let plain = samples.iter().find(|(p, _)| file_name(p).split('.').next() == Some(prefix));
        let Some((path, text)) = plain.or_else(|| samples.iter().find(|(p, _)| file_name(p).starts_with(prefix)))
        else {
            continue;
        };
        let syntax = if path.ends_with(".json") { "json" } else { "yaml" };
        let _ = writeln!(out, "## {heading} (`{path}`)\n\n```{syntax}\n{}\n```\n", text.trim_end());
    }
    out
}

/// Every rule's documentation in one Markdown file (`docs/rules.md`, `docs/rules.zh-CN.md`).
pub fn reference(rules: &RuleSet, lang: Lang) -> String {
    let title = lang.pick("# apig-lint rules", "# apig-lint 规则");
    let mut out = format!(
        "{title}\n\n<!-- Generated from rules/*.toml by `apig-lint rules --format markdown` and \
         `apig-lint explain`; tests fail when this file is stale. Do not edit by hand. -->\n\n",
    );
    out.push_str(&markdown_table(rules, lang));
    for index in 0..rules.rules.len() {
        out.push('\n');
        out.push_str(&explain(rules, index, lang).replacen("# ", "## ", 1).replace("\n## ", "\n### "));
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

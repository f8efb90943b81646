//! Baselines: today's findings recorded so that only new ones are reported. Keyed on the file, the
//! rule, the document, the pointer and a hash of the offending value, never on line numbers, so
//! reformatting a file or inserting lines above a finding does not bring it back.

use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::FileReport;
use crate::render::uri::Base;
use crate::rules::RuleSet;

const VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct BaselineFile {
    version: u32,
    findings: Vec<Entry>,
}

#[derive(Serialize, Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Entry {
    file: String,
    rule: String,
    document: usize,
    pointer: String,
    value: String,
    /// For the reader of the file only; not part of the key.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    message: String,
}

type Key = (String, String, usize, String, String);

impl Entry {
    fn key(&self) -> Key {
        (self.file.clone(), self.rule.clone(), self.document, self.pointer.clone(), self.value.clone())
    }
}

/// A file's name as recorded: relative to the baseline file's directory (`base`'s root), with
/// forward slashes, so the baseline matches from whatever directory the run starts; a file
/// outside that directory keeps its absolute path.
fn normal(base: &Base, path: &str) -> String {
    base.relative(path).unwrap_or_else(|| base.absolute(path).replace('\\', "/"))
}

fn entries<'a>(reports: &'a [FileReport], rules: &'a RuleSet, base: &'a Base) -> impl Iterator<Item = Entry> + 'a {
    reports.iter().flat_map(move |report| {
        // Findings that mean a file was not checked are never recorded: they could never be
        // matched (see `apply`), and a baseline must not make a broken file pass.
        report.diagnostics.iter().filter(|d| !rules.is_mandatory(d.rule)).map(move |d| Entry {
            file: normal(base, &report.path),
            rule: rules.rules[d.rule].id.to_string(),
            document: d.document,
            pointer: d.pointer.clone(),
            value: d.value_hash.clone(),
            message: d.message.clone(),
        })
    })
}

/// The baseline of these reports, as the JSON written by `--write-baseline`, and how many
/// findings it holds. `base` is rooted at the directory of the baseline file.
pub fn write(reports: &[FileReport], rules: &RuleSet, base: &Base) -> (String, usize) {
    let mut findings: Vec<Entry> = entries(reports, rules, base).collect();
    findings.sort_by_key(Entry::key);
    let count = findings.len();
    let mut text = serde_json::to_string_pretty(&BaselineFile { version: VERSION, findings }).unwrap_or_default();
    text.push('\n');
    (text, count)
}

/// A baseline read back.
pub struct Baseline {
    counts: HashMap<Key, usize>,
    files: BTreeSet<String>,
}

/// What applying a baseline did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Findings hidden because the baseline has them.
    pub hidden: usize,
    /// Baseline entries for files checked in this run that no finding matched any more.
    pub gone: usize,
}

impl Baseline {
    pub fn parse(text: &str) -> Result<Baseline, String> {
        let file: BaselineFile = serde_json::from_str(text).map_err(|e| format!("not an apig-lint baseline: {e}"))?;
        if file.version != VERSION {
            return Err(format!("baseline version {} is not supported (expected {VERSION})", file.version));
        }
        let mut counts = HashMap::new();
        let mut files = BTreeSet::new();
        for entry in file.findings {
            files.insert(entry.file.clone());
            *counts.entry(entry.key()).or_insert(0) += 1;
        }
        Ok(Baseline { counts, files })
    }

    /// Removes the findings the baseline records (each entry hides one finding). `base` is rooted
    /// at the directory of the baseline file.
    pub fn apply(&self, reports: &mut [FileReport], rules: &RuleSet, base: &Base) -> Outcome {
        let mut left = self.counts.clone();
        let mut outcome = Outcome::default();
        let mut checked = BTreeSet::new();
        for report in reports.iter_mut() {
            let file = normal(base, &report.path);
            checked.insert(file.clone());
            if !self.files.contains(&file) {
                continue;
            }
            report.diagnostics.retain(|d| {
                if rules.is_mandatory(d.rule) {
                    return true;
                }
                let key = (
                    file.clone(),
                    rules.rules[d.rule].id.to_string(),
                    d.document,
                    d.pointer.clone(),
                    d.value_hash.clone(),
                );
                match left.get_mut(&key) {
                    Some(count) if *count > 0 => {
                        *count -= 1;
                        outcome.hidden += 1;
                        false
                    }
                    _ => true,
                }
            });
        }
        outcome.gone = left.iter().filter(|(key, _)| checked.contains(&key.0)).map(|(_, &count)| count).sum();
        outcome
    }
}

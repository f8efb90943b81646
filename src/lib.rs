//! apig-lint: an offline linter for Huawei Cloud API Gateway (APIG) VPC-channel request bodies,
//! the JSON and YAML bodies of `POST /v2/{project_id}/apigw/instances/{instance_id}/vpc-channels`.
//!
//! This is the library behind the `apig-lint` binary. It loads documents, runs the built-in rules
//! and returns findings and fixes as data; it never prints, and never writes files.
//!
//! # Embedding
//!
//! [`Linter`] is the API for embedding: lint a string ([`Linter::lint_str`]) or a file
//! ([`Linter::lint_file`]), read the [`Diagnostic`]s of the [`FileReport`], and apply their
//! fixes ([`Linter::fix_str`]).
//!
//! ```
//! use apig_lint::{Linter, Severity};
//!
//! let linter = Linter::new()?;
//! let body = "\
//! name: orders
//! port: 8080
//! balance_strategy: 1
//! member_type: ip
//! vpc_channel_type: builtin
//! members:
//!   - host: 192.168.0.5
//! vpc_health_config:
//!   protocol: TCP
//!   threshold_normal: 2
//!   threshold_abnormal: 2
//!   time_interval: 5
//!   timeout: 30
//! ";
//! // The name chooses the syntax: `.json` is strict JSON, anything else YAML.
//! let report = linter.lint_str("orders.yaml", body);
//! let finding = &report.diagnostics[0];
//! let rule = linter.rule(finding);
//! assert_eq!((&*rule.id, &*rule.name), ("AL401", "timeout-above-interval"));
//! assert_eq!(finding.severity, Severity::Error);
//! assert_eq!(finding.pointer, "/vpc_health_config/timeout");
//! assert_eq!(report.position(finding.span.start), (13, 12)); // line and column, 1-based
//! println!("{}", finding.message); // `timeout` 30 is greater than `time_interval` 5
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Findings with a fix carry it ([`Diagnostic::fix`]: byte [`Edit`]s of the text, safe or
//! unsafe); [`Linter::fix_str`] applies them, re-checks and repeats until nothing changes:
//!
//! ```
//! use apig_lint::{Applicability, Linter};
//!
//! let linter = Linter::new()?;
//! let body = r#"{"name": "orders", "port": "8080", "member_type": "IP", "balance_strategy": 1,
//!   "vpc_channel_type": "builtin", "members": [{"host": "192.168.0.5"}]}"#;
//! let report = linter.lint_str("orders.json", body);
//! let fix = report.diagnostics.iter().find_map(|d| d.fix.as_ref()).expect("a fixable finding");
//! assert_eq!(fix.applicability, Applicability::Safe);
//!
//! let fixed = linter.fix_str("orders.json", body, false);
//! assert!(fixed.changed);
//! assert!(fixed.text.contains(r#""port": 8080"#) && fixed.text.contains(r#""member_type": "ip""#));
//! assert!(fixed.report.diagnostics.is_empty()); // the findings of the fixed text
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Rules can be chosen by id or name, and messages written in Simplified Chinese:
//!
//! ```
//! use apig_lint::{Lang, Linter};
//!
//! let linter = Linter::new()?.with_lang(Lang::ZhCn).with_selection(&["AL102"], &[])?;
//! let report = linter.lint_str("orders.yaml", "name: orders\nport: \"8080\"\n");
//! assert!(report.diagnostics.iter().all(|d| linter.rule(d).id == "AL102"));
//! assert!(report.diagnostics[0].message.contains("整数"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # The rest
//!
//! The other modules are public for the `apig-lint` binary, its tests and fuzz targets (output
//! formats, configuration files, baselines); they are hidden from these docs and may change in
//! any release.

#![forbid(unsafe_code)]

#[doc(hidden)]
pub mod baseline;
#[doc(hidden)]
pub mod config;
mod diagnostic;
#[doc(hidden)]
pub mod document;
#[doc(hidden)]
pub mod engine;
#[doc(hidden)]
pub mod escape;
mod fingerprint;
#[doc(hidden)]
pub mod fix;
mod lang;
#[doc(hidden)]
pub mod lint;
#[doc(hidden)]
pub mod lsp;
#[doc(hidden)]
pub mod read;
#[doc(hidden)]
pub mod render;
#[doc(hidden)]
pub mod rules;
#[doc(hidden)]
pub mod settings;
mod suppress;

use std::path::Path;

pub use diagnostic::{Diagnostic, Related};
pub use document::{Limits, Span};
#[doc(hidden)]
pub use engine::{Engine, Tally};
pub use fix::{Applicability, Edit, Fix, Fixed};
pub use lang::Lang;
pub use lint::FileReport;
#[doc(hidden)]
pub use lint::{FilePolicy, Options, lint_bytes};
pub use rules::{Rule, RuleError, SPEC_PAGE_UPDATED, Severity};

/// Lints VPC-channel bodies with the built-in rules. Cheap to clone; the rules are parsed once
/// per process and shared.
#[derive(Clone, Debug)]
pub struct Linter {
    engine: Engine<'static>,
    limits: Limits,
}

impl Linter {
    /// Every built-in rule at its default severity, messages in English, the default [`Limits`].
    ///
    /// # Errors
    /// Only if the rule data built into the library is broken (a bug, caught by its tests).
    pub fn new() -> Result<Linter, &'static RuleError> {
        Ok(Linter { engine: Engine::new(rules::RuleSet::builtin()?), limits: Limits::default() })
    }

    /// Writes messages, help and fix descriptions in `lang`.
    pub fn with_lang(mut self, lang: Lang) -> Linter {
        self.engine = self.engine.with_lang(lang);
        self
    }

    /// Runs only the rules in `select` (all when empty) and none in `ignore`; rules are named by
    /// id (`AL401`) or name (`timeout-above-interval`).
    ///
    /// # Errors
    /// A rule that does not exist, with what was meant if it is a near miss.
    pub fn with_selection(mut self, select: &[&str], ignore: &[&str]) -> Result<Linter, String> {
        let owned = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect::<Vec<_>>();
        self.engine = self.engine.with_selection(&owned(select), &owned(ignore))?;
        Ok(self)
    }

    /// Sets the limits on input (file size, nesting, aliases, time, findings); past one, a
    /// finding says what was left unchecked.
    pub fn with_limits(mut self, limits: Limits) -> Linter {
        self.limits = limits;
        self
    }

    /// Lints `text`. `name` is reported as the file and chooses the syntax: a name ending in
    /// `.json` is strict JSON, anything else YAML (a stream of documents). Every document is
    /// checked, whether or not it looks like a VPC channel.
    pub fn lint_str(&self, name: &str, text: &str) -> FileReport {
        self.lint_bytes(name, text.as_bytes())
    }

    /// Lints bytes, which need not be UTF-8: an invalid encoding is a finding, as are a UTF-16
    /// or UTF-32 file's.
    pub fn lint_bytes(&self, name: &str, bytes: &[u8]) -> FileReport {
        lint_bytes(&self.engine, name, bytes, &self.options())
    }

    /// Reads and lints a file, named in the report as `path` is written. A file larger than the
    /// size limit is reported without being read whole.
    ///
    /// # Errors
    /// The file cannot be opened or read, or is not a regular file (a directory, a FIFO, a
    /// device: `InvalidInput`).
    pub fn lint_file(&self, path: impl AsRef<Path>) -> std::io::Result<FileReport> {
        let path = path.as_ref();
        let name = path.to_string_lossy();
        let limit = self.limits.max_file_size;
        // The reader the binary uses: a regular file only (a FIFO or a device is an error, never
        // a blocking read), and nothing past the limit.
        Ok(match read::regular_bytes(path, limit, read::Seen::Unknown)? {
            Some(bytes) => lint_bytes(&self.engine, name, bytes, &self.options()),
            None => lint::oversized(&self.engine, name, limit),
        })
    }

    /// Applies the safe fixes of `text`'s findings (and the unsafe ones with `unsafe_fixes`),
    /// re-checks, and repeats until nothing changes. [`Fixed::text`] is the result (the input
    /// when a fix would leave the text parsing worse, which [`Fixed::problem`] says) and
    /// [`Fixed::report`] its findings. Edits touch only the bytes they must: comments,
    /// indentation, quoting and line ends elsewhere stay as they were.
    pub fn fix_str(&self, name: &str, text: &str, unsafe_fixes: bool) -> Fixed {
        let mode = fix::FixMode { unsafe_fixes };
        fix::fix_bytes(&self.engine, name, text.as_bytes(), &self.options(), mode)
    }

    /// The rule a finding comes from: its `id`, `name`, documentation and gateway code.
    pub fn rule(&self, diagnostic: &Diagnostic) -> &'static Rule {
        &self.engine.rules.rules[diagnostic.rule]
    }

    /// Every built-in rule, in id order.
    pub fn rules(&self) -> &'static [Rule] {
        &self.engine.rules.rules
    }

    fn options(&self) -> Options<'static> {
        Options { limits: self.limits, ..Options::default() }
    }
}

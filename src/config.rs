//! The configuration file, `apig-lint.toml` (or `.apig-lint.toml`): which files, which rules at
//! what severity, overrides by path glob and JSON pointer, `[[suppress]]` entries and the fail
//! level. Parsed here from text; finding the file is the binary's business. Anything unknown is an
//! error naming its line, never ignored.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;
use toml::Spanned;

use crate::document::{LineIndex, Span};
use crate::lint::{EntrySuppression, FilePolicy, LevelChange};
use crate::rules::{DocumentProblem, RuleSet, Severity};
use crate::suppress::Problem;

/// The names looked for, in each directory from the checked path upwards.
pub const FILE_NAMES: [&str; 2] = ["apig-lint.toml", ".apig-lint.toml"];

/// A rule's level in the configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Off,
    Info,
    Warning,
    Error,
}

impl Level {
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Off => None,
            Level::Info => Some(Severity::Info),
            Level::Warning => Some(Severity::Warning),
            Level::Error => Some(Severity::Error),
        }
    }

    pub fn as_str(self) -> &'static str {
        self.severity().map_or("off", Severity::as_str)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct Raw {
    include: Option<Spanned<Vec<Spanned<String>>>>,
    exclude: Option<Spanned<Vec<Spanned<String>>>>,
    fail_level: Option<Spanned<Severity>>,
    lang: Option<Spanned<String>>,
    select: Option<Spanned<Vec<Spanned<String>>>>,
    ignore: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    rules: BTreeMap<Spanned<String>, Spanned<Level>>,
    #[serde(default)]
    overrides: Vec<Spanned<RawOverride>>,
    #[serde(default)]
    suppress: Vec<Spanned<RawSuppress>>,
    fix: Option<Spanned<bool>>,
    unsafe_fixes: Option<Spanned<bool>>,
    /// Rules whose fixes are never applied (ruff's `unfixable`).
    #[serde(default)]
    unfixable: Vec<Spanned<String>>,
    /// Rules whose fixes count as unsafe, or as safe (ruff's `extend-unsafe-fixes`, `extend-safe-fixes`).
    #[serde(default)]
    extend_unsafe_fixes: Vec<Spanned<String>>,
    #[serde(default)]
    extend_safe_fixes: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    path: Spanned<String>,
    rules: BTreeMap<Spanned<String>, Spanned<Level>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSuppress {
    path: Spanned<String>,
    #[serde(default)]
    pointer: Option<Spanned<String>>,
    rule: Spanned<String>,
    #[serde(default)]
    reason: Option<Spanned<String>>,
}

/// A value and where the configuration sets it.
#[derive(Clone, Debug)]
pub struct Setting<T> {
    pub value: T,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct RuleLevel {
    pub rule: usize,
    pub level: Level,
    pub span: Span,
}

/// Levels for files matching a glob, optionally only at or under a JSON pointer.
#[derive(Debug)]
pub struct Override {
    pub pattern: String,
    pub pointer: String,
    pub rules: Vec<RuleLevel>,
    pub span: Span,
    glob: GlobSet,
}

/// A `[[suppress]]` entry.
#[derive(Debug)]
pub struct Suppression {
    pub pattern: String,
    pub pointer: String,
    pub rule: usize,
    pub reason: Option<String>,
    pub span: Span,
    glob: GlobSet,
}

#[derive(Debug)]
pub struct Config {
    /// The file's name as shown in messages.
    pub name: String,
    pub text: String,
    pub include: Option<Setting<Vec<String>>>,
    pub exclude: Option<Setting<Vec<String>>>,
    pub fail_level: Option<Setting<Severity>>,
    /// The language of messages (`en` or `zh-CN`); `--lang` wins over it.
    pub lang: Option<Setting<crate::Lang>>,
    /// Sorted by rule.
    pub rules: Vec<RuleLevel>,
    pub overrides: Vec<Override>,
    pub suppress: Vec<Suppression>,
    /// `fix = true`: `check` applies safe fixes as with `--fix`.
    pub fix: Option<Setting<bool>>,
    /// `unsafe-fixes = true`: unsafe fixes too, as with `--unsafe-fixes`.
    pub unsafe_fixes: Option<Setting<bool>>,
    /// Per-rule fix changes, in the order `extend-safe-fixes`, `extend-unsafe-fixes`,
    /// `unfixable` (later wins): `None` drops the fix.
    pub fix_changes: Vec<(usize, Option<crate::fix::Applicability>)>,
    include_set: Option<GlobSet>,
    exclude_set: GlobSet,
}

/// Parsing state: the text for line numbers, the rules to resolve names against.
struct Reader<'a> {
    name: &'a str,
    text: &'a str,
    index: LineIndex,
    rules: &'a RuleSet,
}

impl Reader<'_> {
    fn error(&self, span: Span, message: &str) -> String {
        let (line, column) = self.index.position(self.text, span.start);
        format!("{}:{line}:{column}: {message}", self.name)
    }

    fn span<T>(value: &Spanned<T>) -> Span {
        Span::new(value.span().start, value.span().end)
    }

    fn rule(&self, name: &Spanned<String>) -> Result<usize, String> {
        self.rules.find(name.get_ref()).ok_or_else(|| {
            let message = format!("unknown rule `{}` (`apig-lint rules` lists them)", name.get_ref());
            self.error(Self::span(name), &message)
        })
    }

    /// A rule whose level may be set or that may be suppressed: any but the mandatory ones.
    fn changeable(&self, name: &Spanned<String>) -> Result<usize, String> {
        let rule = self.rule(name)?;
        if self.rules.is_mandatory(rule) {
            return Err(self.error(Self::span(name), &crate::engine::mandatory_message(self.rules, rule)));
        }
        Ok(rule)
    }

    fn levels(&self, table: &BTreeMap<Spanned<String>, Spanned<Level>>) -> Result<Vec<RuleLevel>, String> {
        let mut out: Vec<RuleLevel> = Vec::new();
        for (name, level) in table {
            let rule = self.changeable(name)?;
            if out.iter().any(|r| r.rule == rule) {
                let message = format!("`{}` is set twice (by id and by name)", self.rules.rules[rule].id);
                return Err(self.error(Self::span(name), &message));
            }
            out.push(RuleLevel { rule, level: *level.get_ref(), span: Self::span(name).join(Self::span(level)) });
        }
        out.sort_by_key(|r| r.rule);
        Ok(out)
    }

    /// `select` and `ignore` switch rules off as `"off"` in `[rules]` would; a rule both left out
    /// by them and given a level in `[rules]` is a contradiction.
    fn selection(&self, raw: &Raw, mut levels: Vec<RuleLevel>) -> Result<Vec<RuleLevel>, String> {
        let resolve = |list: &Option<Spanned<Vec<Spanned<String>>>>,
                       find: &dyn Fn(&Spanned<String>) -> Result<usize, String>|
         -> Result<Option<(Vec<usize>, Span)>, String> {
            let Some(list) = list else { return Ok(None) };
            let rules = list.get_ref().iter().map(find).collect::<Result<_, _>>()?;
            Ok(Some((rules, Self::span(list))))
        };
        let select = resolve(&raw.select, &|name| self.rule(name))?;
        let ignore = resolve(&raw.ignore, &|name| self.changeable(name))?;
        // `select` never leaves out the mandatory rules: a file that was not checked is reported.
        for rule in (0..self.rules.rules.len()).filter(|&rule| !self.rules.is_mandatory(rule)) {
            let dropped = match (&select, &ignore) {
                (_, Some((ignored, span))) if ignored.contains(&rule) => Some(*span),
                (Some((selected, span)), _) if !selected.contains(&rule) => Some(*span),
                _ => None,
            };
            let Some(span) = dropped else { continue };
            if let Some(set) = levels.iter().find(|r| r.rule == rule && r.level != Level::Off) {
                let id = &self.rules.rules[rule].id;
                return Err(
                    self.error(set.span, &format!("`{id}` is given a level here but left out by `select` or `ignore`"))
                );
            }
            if !levels.iter().any(|r| r.rule == rule) {
                levels.push(RuleLevel { rule, level: Level::Off, span });
            }
        }
        levels.sort_by_key(|r| r.rule);
        Ok(levels)
    }

    /// A glob set matching `pattern` and, so that a directory names all it holds, `pattern/**`.
    fn glob(&self, patterns: &[&Spanned<String>]) -> Result<GlobSet, String> {
        let mut set = GlobSetBuilder::new();
        for pattern in patterns {
            let text = pattern.get_ref().trim_start_matches("./").trim_end_matches('/');
            for variant in [text.to_owned(), format!("{text}/**")] {
                let glob = GlobBuilder::new(&variant).literal_separator(true).build().map_err(|e| {
                    self.error(Self::span(pattern), &format!("bad glob `{}`: {}", pattern.get_ref(), e.kind()))
                })?;
                set.add(glob);
            }
        }
        set.build().map_err(|e| self.error(Span::new(0, 0), &e.to_string()))
    }

    /// An RFC 6901 pointer: empty (the whole document) or `/`-separated tokens in which `~` is
    /// only ever `~0` or `~1`. `/` alone is the key `""`, not the document.
    fn pointer(&self, pointer: &str, span: Span) -> Result<String, String> {
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(self.error(span, &format!("`{pointer}` is not a JSON pointer (they start with `/`)")));
        }
        let bytes = pointer.as_bytes();
        for (at, _) in pointer.match_indices('~') {
            if !matches!(bytes.get(at + 1), Some(b'0' | b'1')) {
                let message = format!(
                    "`{pointer}` is not a JSON pointer: `~` must be followed by 0 or 1 (`~0` is `~`, `~1` is `/`)"
                );
                return Err(self.error(span, &message));
            }
        }
        Ok(pointer.to_owned())
    }
}

impl Config {
    /// Reads a configuration; `name` is how errors refer to the file.
    pub fn parse(name: &str, text: &str, rules: &RuleSet) -> Result<Config, String> {
        let reader = Reader { name, text, index: LineIndex::new(text), rules };
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let span = e.span().map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
            reader.error(span, e.message().trim_end())
        })?;
        let list = |setting: &Option<Spanned<Vec<Spanned<String>>>>| {
            setting.as_ref().map(|s| Setting {
                value: s.get_ref().iter().map(|p| p.get_ref().clone()).collect(),
                span: Reader::span(s),
            })
        };
        let include_set = match &raw.include {
            Some(include) => Some(reader.glob(&include.get_ref().iter().collect::<Vec<_>>())?),
            None => None,
        };
        let exclude_set = reader.glob(&raw.exclude.iter().flat_map(|e| e.get_ref()).collect::<Vec<_>>())?;
        let mut overrides = Vec::new();
        for entry in &raw.overrides {
            let (pattern, pointer) = match entry.get_ref().path.get_ref().split_once('#') {
                Some((pattern, pointer)) => (pattern.to_owned(), pointer.to_owned()),
                None => (entry.get_ref().path.get_ref().clone(), String::new()),
            };
            let path_span = Reader::span(&entry.get_ref().path);
            let glob_source = Spanned::new(path_span.start..path_span.end, pattern.clone());
            overrides.push(Override {
                glob: reader.glob(&[&glob_source])?,
                pointer: reader.pointer(&pointer, path_span)?,
                pattern,
                rules: reader.levels(&entry.get_ref().rules)?,
                span: Reader::span(entry),
            });
        }
        let mut suppress = Vec::new();
        for entry in &raw.suppress {
            let e = entry.get_ref();
            let pointer = match &e.pointer {
                Some(p) => reader.pointer(p.get_ref(), Reader::span(p))?,
                None => String::new(),
            };
            suppress.push(Suppression {
                glob: reader.glob(&[&e.path])?,
                pattern: e.path.get_ref().clone(),
                pointer,
                rule: reader.changeable(&e.rule)?,
                reason: e.reason.as_ref().map(|r| r.get_ref().trim().to_owned()).filter(|r| !r.is_empty()),
                span: Reader::span(entry),
            });
        }
        let mut fix_changes = Vec::new();
        let lists = [
            (&raw.extend_safe_fixes, Some(crate::fix::Applicability::Safe)),
            (&raw.extend_unsafe_fixes, Some(crate::fix::Applicability::Unsafe)),
            (&raw.unfixable, None),
        ];
        for (names, change) in lists {
            for name in names {
                fix_changes.push((reader.rule(name)?, change));
            }
        }
        let flag =
            |f: &Option<Spanned<bool>>| f.as_ref().map(|f| Setting { value: *f.get_ref(), span: Reader::span(f) });
        Ok(Config {
            fix: flag(&raw.fix),
            unsafe_fixes: flag(&raw.unsafe_fixes),
            fix_changes,
            name: name.to_owned(),
            text: text.to_owned(),
            include: list(&raw.include),
            exclude: list(&raw.exclude),
            fail_level: raw.fail_level.as_ref().map(|f| Setting { value: *f.get_ref(), span: Reader::span(f) }),
            lang: match &raw.lang {
                Some(lang) => Some(Setting {
                    value: crate::Lang::parse(lang.get_ref()).ok_or_else(|| {
                        reader
                            .error(Reader::span(lang), &format!("unknown language `{}` (en or zh-CN)", lang.get_ref()))
                    })?,
                    span: Reader::span(lang),
                }),
                None => None,
            },
            rules: reader.selection(&raw, reader.levels(&raw.rules)?)?,
            overrides,
            suppress,
            include_set,
            exclude_set,
        })
    }

    /// Is a file (its path relative to the configuration's directory) to be checked? Excluded
    /// files never are; `include`, when set, limits what a directory walk picks up.
    pub fn selects(&self, relative: &str, named: bool) -> bool {
        if self.exclude_set.is_match(relative) {
            return false;
        }
        named || self.include_set.as_ref().is_none_or(|set| set.is_match(relative))
    }

    /// Does `include` name this file? Files it names are channels by definition: they are
    /// checked without asking whether they look like one.
    pub fn includes(&self, relative: &str) -> bool {
        self.include_set.as_ref().is_some_and(|set| set.is_match(relative))
    }

    /// Each rule's level where no override applies: `None` to leave the default. A rule off here
    /// but switched on by an override still runs; [`Config::policy`] drops it elsewhere.
    pub fn engine_levels(&self) -> Vec<(usize, Option<Severity>)> {
        self.rules
            .iter()
            .filter(|r| r.level != Level::Off || !self.revived(r.rule))
            .map(|r| (r.rule, r.level.severity()))
            .collect()
    }

    /// Does an override switch this rule on somewhere?
    fn revived(&self, rule: usize) -> bool {
        self.overrides.iter().flat_map(|o| &o.rules).any(|r| r.rule == rule && r.level != Level::Off)
    }

    /// What applies to one file (its path relative to the configuration's directory).
    pub fn policy(&self, relative: &str) -> FilePolicy {
        let mut levels: Vec<LevelChange> = self
            .rules
            .iter()
            .filter(|r| r.level == Level::Off && self.revived(r.rule))
            .map(|r| LevelChange { pointer: String::new(), rule: r.rule, level: None })
            .collect();
        for o in self.overrides.iter().filter(|o| o.glob.is_match(relative)) {
            levels.extend(o.rules.iter().map(|r| LevelChange {
                pointer: o.pointer.clone(),
                rule: r.rule,
                level: r.level.severity(),
            }));
        }
        let suppress = self
            .suppress
            .iter()
            .enumerate()
            .filter(|(_, s)| s.glob.is_match(relative))
            .map(|(entry, s)| EntrySuppression { entry, pointer: s.pointer.clone(), rule: s.rule })
            .collect();
        FilePolicy { levels, suppress, fixes: self.fix_changes.clone() }
    }

    /// What is wrong with the `[[suppress]]` entries after a run: those without a reason, and
    /// those that matched a checked file (`matched`) yet removed nothing (`used`).
    pub fn entry_problems(&self, rules: &RuleSet, matched: &[bool], used: &[bool]) -> Vec<Problem> {
        let mut problems = Vec::new();
        for (i, entry) in self.suppress.iter().enumerate() {
            let id = &rules.rules[entry.rule].id;
            if entry.reason.is_none() {
                let detail = format!("this `[[suppress]]` entry for `{id}` gives no reason");
                problems.push(Problem { kind: DocumentProblem::SuppressionWithoutReason, detail, span: entry.span });
            }
            if matched.get(i).copied().unwrap_or(false) && !used.get(i).copied().unwrap_or(false) {
                let at = if entry.pointer.is_empty() { String::new() } else { format!(" at `{}`", entry.pointer) };
                let detail = format!(
                    "this `[[suppress]]` entry suppresses nothing: no `{id}` finding{at} in the files matching `{}`",
                    entry.pattern
                );
                problems.push(Problem { kind: DocumentProblem::UnusedSuppression, detail, span: entry.span });
            }
        }
        problems
    }

    /// `file:line` of a place in the configuration.
    pub fn place(&self, span: Span) -> String {
        let index = LineIndex::new(&self.text);
        format!("{}:{}", self.name, index.line_of(span.start) + 1)
    }

    /// The effective configuration as TOML, each value with where it came from.
    pub fn show(config: Option<&Config>, rules: &RuleSet) -> String {
        let mut out = String::new();
        let from = |span: Option<Span>| match (config, span) {
            (Some(c), Some(span)) => c.place(span),
            _ => "default".to_owned(),
        };
        let _ =
            writeln!(out, "# configuration file: {}", config.map_or("none (built-in defaults)", |c| c.name.as_str()));
        let fail = config.and_then(|c| c.fail_level.as_ref());
        let _ = writeln!(
            out,
            "fail-level = \"{}\"  # {}",
            fail.map_or(Severity::Error, |f| f.value),
            from(fail.map(|f| f.span))
        );
        match config.and_then(|c| c.lang.as_ref()) {
            Some(lang) => {
                let _ = writeln!(out, "lang = \"{}\"  # {}", lang.value, from(Some(lang.span)));
            }
            None => {
                let _ = writeln!(out, "# lang: not set, so --lang or the locale (LC_ALL, LC_MESSAGES, LANG) decides");
            }
        }
        let lists = [
            ("include", config.and_then(|c| c.include.as_ref())),
            ("exclude", config.and_then(|c| c.exclude.as_ref())),
        ];
        for (key, setting) in lists {
            match setting {
                Some(s) => {
                    let _ = writeln!(out, "{key} = {}  # {}", toml_list(&s.value), from(Some(s.span)));
                }
                None if key == "include" => {
                    let _ = writeln!(out, "# include: not set, so every .json, .yaml and .yml file a walk finds");
                }
                None => {
                    let _ = writeln!(out, "# exclude: not set, so nothing is excluded");
                }
            }
        }
        for (key, setting) in [
            ("fix", config.and_then(|c| c.fix.as_ref())),
            ("unsafe-fixes", config.and_then(|c| c.unsafe_fixes.as_ref())),
        ] {
            let _ = writeln!(out, "{key} = {}  # {}", setting.is_some_and(|s| s.value), from(setting.map(|s| s.span)));
        }
        for (c, _) in config.map(|c| c.fix_changes.as_slice()).unwrap_or_default().iter().zip(0..) {
            let (rule, change) = c;
            let how = change
                .map_or("unfixable", |a| if a == crate::fix::Applicability::Safe { "safe fix" } else { "unsafe fix" });
            let _ = writeln!(out, "# {}: {how}", rules.rules[*rule].id);
        }
        let _ = writeln!(out, "\n[rules]");
        for (index, rule) in rules.rules.iter().enumerate() {
            let set = config.and_then(|c| c.rules.iter().find(|r| r.rule == index));
            let level = set.map_or(rule.severity.as_str(), |r| r.level.as_str());
            let _ = writeln!(out, "{} = \"{level}\"  # {}, {}", rule.id, rule.name, from(set.map(|r| r.span)));
        }
        for o in config.map(|c| c.overrides.as_slice()).unwrap_or_default() {
            let path = if o.pointer.is_empty() { o.pattern.clone() } else { format!("{}#{}", o.pattern, o.pointer) };
            let _ = writeln!(out, "\n[[overrides]]  # {}\npath = {}", from(Some(o.span)), toml_string(&path));
            let levels: Vec<String> =
                o.rules.iter().map(|r| format!("{} = \"{}\"", rules.rules[r.rule].id, r.level.as_str())).collect();
            let _ = writeln!(out, "rules = {{ {} }}", levels.join(", "));
        }
        for s in config.map(|c| c.suppress.as_slice()).unwrap_or_default() {
            let _ = writeln!(out, "\n[[suppress]]  # {}", from(Some(s.span)));
            let _ = writeln!(out, "path = {}", toml_string(&s.pattern));
            if !s.pointer.is_empty() {
                let _ = writeln!(out, "pointer = {}", toml_string(&s.pointer));
            }
            let _ = writeln!(out, "rule = \"{}\"", rules.rules[s.rule].id);
            if let Some(reason) = &s.reason {
                let _ = writeln!(out, "reason = {}", toml_string(reason));
            }
        }
        out
    }
}

fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_owned()).to_string()
}

fn toml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| toml_string(i)).collect();
    format!("[{}]", quoted.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, String> {
        Config::parse("apig-lint.toml", text, RuleSet::builtin().unwrap())
    }

    #[test]
    fn unknown_keys_rules_and_bad_values_name_their_line() {
        let cases = [
            ("fail-level = \"error\"\nfail-levl = \"warning\"\n", "apig-lint.toml:2:1: unknown field `fail-levl`"),
            ("[rules]\nAL401 = \"off\"\nAL999 = \"error\"\n", "apig-lint.toml:3:1: unknown rule `AL999`"),
            ("[rules]\nAL401 = \"loud\"\n", "apig-lint.toml:2:9: unknown variant `loud`"),
            ("[[suppress]]\npath = \"a.json\"\nrule = \"AL401\"\npointer = \"members\"\n", "apig-lint.toml:4:11:"),
            ("[rules]\nAL401 = \"off\"\ntimeout-not-below-interval = \"error\"\n", "is set twice"),
            ("exclude = [\"a/[\"]\n", "apig-lint.toml:1:12: bad glob"),
            ("ignore = [\"AL401\"]\n[rules]\nAL401 = \"warning\"\n", "apig-lint.toml:3:1: `AL401` is given a level"),
            ("select = [\"AL4O1\"]\n", "apig-lint.toml:1:11: unknown rule `AL4O1`"),
            ("[[suppress]]\npath = \"a.json\"\nrule = \"AL401\"\npointer = \"/zz~2\"\n", "apig-lint.toml:4:11:"),
            ("[[suppress]]\npath = \"a.json\"\nrule = \"AL401\"\npointer = \"/z~\"\n", "must be followed by 0 or 1"),
            ("[[overrides]]\npath = \"a.json#/a~x\"\nrules = { AL401 = \"off\" }\n", "apig-lint.toml:2:8:"),
            ("[rules]\nAL001 = \"off\"\n", "apig-lint.toml:2:1: `AL001` (syntax-error) cannot be switched off"),
            ("[rules]\nempty-document = \"warning\"\n", "cannot be switched off"),
            ("ignore = [\"AL002\"]\n", "apig-lint.toml:1:11: `AL002`"),
            ("[[overrides]]\npath = \"*.json\"\nrules = { AL004 = \"off\" }\n", "`AL004`"),
            ("[[suppress]]\npath = \"a.json\"\nrule = \"AL005\"\nreason = \"x\"\n", "`AL005`"),
        ];
        for (text, expected) in cases {
            let error = parse(text).expect_err(text);
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn overrides_apply_by_glob_and_pointer_in_order() {
        let config = parse(
            "[rules]\nAL401 = \"off\"\n\n[[overrides]]\npath = \"legacy/*.yaml\"\nrules = { AL401 = \"warning\", AL301 = \"off\" }\n\n\
             [[overrides]]\npath = \"legacy/*.yaml#/members\"\nrules = { AL301 = \"info\" }\n",
        )
        .unwrap();
        let rules = RuleSet::builtin().unwrap();
        let al401 = rules.find("AL401").unwrap();
        assert_eq!(config.engine_levels(), Vec::new(), "AL401 runs, since an override switches it on");
        let elsewhere = config.policy("channels/a.yaml");
        assert_eq!(elsewhere.levels.len(), 1);
        assert_eq!((elsewhere.levels[0].rule, elsewhere.levels[0].level), (al401, None), "off by default");
        let legacy = config.policy("legacy/a.yaml");
        assert_eq!(legacy.levels.len(), 4);
        assert_eq!(legacy.levels[3].pointer, "/members");
        assert!(config.policy("legacy/deeper/a.yaml").levels.len() == 1, "`*` stays within a directory");
    }

    #[test]
    fn select_and_ignore_switch_rules_off() {
        let rules = RuleSet::builtin().unwrap();
        let config = parse("select = [\"AL401\", \"AL402\"]\nignore = [\"AL402\"]\n").unwrap();
        let on: Vec<&str> = (0..rules.rules.len())
            .filter(|&i| !config.engine_levels().iter().any(|&(rule, level)| rule == i && level.is_none()))
            .map(|i| &*rules.rules[i].id)
            .collect();
        assert_eq!(on, ["AL001", "AL002", "AL004", "AL005", "AL401"], "select keeps the mandatory rules");
    }

    #[test]
    fn include_and_exclude_select_files() {
        let config = parse("include = [\"channels\"]\nexclude = [\"channels/archive\", \"**/*.tmp.json\"]\n").unwrap();
        assert!(config.selects("channels/a.yaml", false));
        assert!(!config.selects("other/a.yaml", false));
        assert!(config.selects("other/a.yaml", true), "a file named on the command line is checked");
        assert!(!config.selects("channels/archive/old.yaml", true), "an excluded one never is");
        assert!(!config.selects("channels/x/a.tmp.json", false));
    }
}

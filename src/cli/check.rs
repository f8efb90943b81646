//! `apig-lint check`: gather the inputs and their configurations, lint them in parallel, apply the
//! baseline, render, choose the exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use apig_lint::baseline::{self, Baseline};
use apig_lint::config::Config;
use apig_lint::document::Limits;
use apig_lint::rules::{RuleSet, Severity};
use apig_lint::{Engine, FileReport, Lang, Options, lint_bytes};

use apig_lint::render::{gitlab, human, json, junit, lines, sarif};
use rayon::prelude::*;

use super::settings::{self, Settings};
use super::{CheckArgs, Color, Level, OutputFormat, print, read, walk};

/// One input to check: a path on disk or standard input.
struct Input {
    /// How reports name it ([`walk::display`]).
    name: String,
    /// The OS path (for standard input, the `--stdin-filename` it stands for).
    path: std::path::PathBuf,
    /// Named on the command line (always checked) rather than found by walking.
    explicit: bool,
    stdin: bool,
}

/// How a file is told to be a channel.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Channel {
    /// Named on the command line, or under the configuration's `include`: checked as a channel.
    Given,
    /// Found by an unconfigured walk, or named to the hook (`--channels-only`): checked if it
    /// looks like one.
    Sniffed,
}

/// An input with its configuration (an index into [`Settings::found`]) and its path relative to
/// that configuration's directory.
struct Job {
    input: Input,
    config: Option<usize>,
    relative: Option<String>,
    channel: Channel,
}

/// What a run found: a report per file with the fail level that applies to it, and for each
/// configuration which `[[suppress]]` entries matched a file and which removed a finding.
#[derive(Default)]
struct Outcome {
    checked: Vec<(FileReport, Severity)>,
    /// Files that were not channels, so not checked.
    skipped: Vec<String>,
    matched: Vec<Vec<usize>>,
    used: Vec<Vec<usize>>,
    io_errors: Vec<String>,
    /// Inputs that could not be read (a subset of the errors).
    unreadable: usize,
}

/// Most threads `--threads` starts: more only cost memory and start-up (a thread per file of a
/// large walk would be thousands), and the output is the same for any number.
const MAX_THREADS: usize = 256;

pub fn run(rules: &RuleSet, args: CheckArgs, lang: Option<Lang>) -> Result<ExitCode, String> {
    if let Some(asked) = args.threads {
        let threads = asked.clamp(1, MAX_THREADS);
        if threads != asked {
            eprintln!("apig-lint: --threads {asked} is out of range; using {threads} (1 to {MAX_THREADS})");
        }
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()
            .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    }
    if let Some(both) =
        args.select.iter().find(|s| args.ignore.iter().any(|i| rules.find(i).is_some_and(|r| rules.find(s) == Some(r))))
    {
        return Err(format!("`{both}` is both selected and ignored; name it in one of --select and --ignore"));
    }
    let mut settings = Settings::new(rules, args.config.as_deref(), args.no_config)?;
    // One language for the run: --lang, else the configuration that governs the working
    // directory (or --config), else the locale.
    let configured = settings.for_path(std::path::Path::new("."))?.and_then(|c| settings.found[c].config.lang.as_ref());
    let lang = super::choose_lang(lang, configured.map(|l| l.value));
    let (found, io_errors) = inputs(&args)?;
    let jobs = plan(&mut settings, found, args.channels_only)?;
    refuse_overwriting_inputs(&args, &jobs, &settings)?;
    // One engine per configuration, and a last one for files without; command-line selection on top.
    let mut engines = Vec::new();
    for found in settings.found.iter().map(Some).chain([None]) {
        let levels = found.map(|f| f.config.engine_levels()).unwrap_or_default();
        engines
            .push(Engine::new(rules).with_lang(lang).with_levels(&levels).with_selection(&args.select, &args.ignore)?);
    }
    let mut outcome = lint_all(&settings, &engines, &args, &jobs);
    outcome.io_errors.splice(0..0, io_errors);
    outcome.skipped.sort();
    // A run that checked nothing must not look like a clean one (an empty directory, a typo in
    // `include`), except in the hook, where staged files that are not channels are normal.
    if outcome.checked.is_empty() && outcome.io_errors.is_empty() {
        let skipped = match (outcome.skipped.len(), lang) {
            (0, _) => String::new(),
            (n, Lang::En) => format!(" ({n} skipped as not VPC channels; --show-skipped lists them)"),
            (n, Lang::ZhCn) => format!("（{n} 个文件不是 VPC 通道，已跳过；--show-skipped 可列出）"),
        };
        if args.show_skipped {
            outcome.skipped.iter().for_each(|path| eprintln!("apig-lint: {}{path}", skipped_note(lang)));
        }
        if args.channels_only {
            eprintln!(
                "apig-lint: {}{skipped}",
                lang.pick("no VPC channel among the files given", "给出的文件中没有 VPC 通道")
            );
            return Ok(ExitCode::SUCCESS);
        }
        let nothing = lang.pick(
            "no files to check: the paths given hold no VPC channel",
            "没有可检查的文件：给出的路径中没有 VPC 通道",
        );
        eprintln!("apig-lint: {nothing}{skipped}");
        return Ok(ExitCode::from(2));
    }
    for (c, found) in settings.found.iter().enumerate() {
        let report = config_report(rules, &engines[c], &found.config, &outcome.matched[c], &outcome.used[c]);
        outcome.checked.extend(report.map(|r| (r, fail_level(&args, &settings, Some(c)))));
    }
    // Sorted by file, whatever order the paths were given in (and whatever the thread count).
    outcome.checked.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let (mut reports, fail_levels): (Vec<FileReport>, Vec<Severity>) = outcome.checked.into_iter().unzip();
    let mut notes = apply_baselines(rules, &args, &mut reports, lang)?;
    if args.show_skipped {
        notes.extend(outcome.skipped.iter().map(|path| format!("{}{path}", skipped_note(lang))));
    }
    let mut summary = json::Summary::of(&reports);
    summary.skipped = outcome.skipped.len();
    summary.unreadable = outcome.unreadable;
    emit(rules, &args, &reports, &fail_levels, &summary, &notes, lang)?;
    for error in &outcome.io_errors {
        eprintln!("apig-lint: {}", apig_lint::escape::text(error));
    }
    let failing = args.write_baseline.is_none()
        && reports.iter().zip(&fail_levels).any(|(r, &level)| r.diagnostics.iter().any(|d| d.severity >= level));
    Ok(ExitCode::from(if !outcome.io_errors.is_empty() {
        2
    } else if failing && !args.exit_zero {
        1
    } else {
        0
    }))
}

/// `-o FILE` or `--write-baseline FILE` naming an input (or the configuration or baseline being
/// read) would overwrite it with the report: refused before anything is written.
fn refuse_overwriting_inputs(args: &CheckArgs, jobs: &[Job], settings: &Settings) -> Result<(), String> {
    let outputs = [("--output", &args.output), ("--write-baseline", &args.write_baseline)];
    for (flag, output) in outputs {
        let Some(output) = output else { continue };
        if !output.exists() {
            continue;
        }
        let inputs = jobs.iter().filter(|j| !j.input.stdin).map(|j| j.input.path.as_path());
        let configs = settings.found.iter().map(|f| f.path.as_path());
        let baseline = args.baseline.iter().map(|b| b.as_path());
        if let Some(clash) = inputs.chain(configs).chain(baseline).find(|p| read::same_file(p, output)) {
            return Err(format!(
                "{flag} {} would overwrite {}, which this run reads; write the report elsewhere",
                output.display(),
                walk::display(clash)
            ));
        }
    }
    Ok(())
}

/// Finds each input's configuration and keeps the inputs it selects. Under `--channels-only`
/// (the hook) a named file is treated as a walk would find it: `include` applies, and outside a
/// configured `include` it is checked only if it looks like a channel.
fn plan(settings: &mut Settings, found: Vec<Input>, channels_only: bool) -> Result<Vec<Job>, String> {
    let mut jobs = Vec::new();
    for input in found {
        let config = settings.for_path(&input.path)?;
        let relative = config.map(|c| settings.relative(c, &input.path));
        let named = input.explicit && !channels_only;
        let (selected, included) = match (config, &relative) {
            (Some(c), Some(relative)) => {
                let config = &settings.found[c].config;
                (config.selects(relative, named), config.includes(relative))
            }
            _ => (true, false),
        };
        let channel = if named || included { Channel::Given } else { Channel::Sniffed };
        if selected {
            jobs.push(Job { input, config, relative, channel });
        }
    }
    Ok(jobs)
}

/// Lints every job, in parallel when there are several.
fn lint_all(settings: &Settings, engines: &[Engine], args: &CheckArgs, jobs: &[Job]) -> Outcome {
    let limits = Limits {
        max_file_size: args.max_file_size,
        max_depth: args.max_depth,
        alias_budget: args.alias_budget,
        time_budget: args.time_budget,
        max_documents: args.max_documents,
        max_findings: args.max_findings,
        max_findings_per_rule: args.max_findings_per_rule,
    };
    let lint_one = |job: &Job| {
        let policy = job.config.zip(job.relative.as_deref()).map(|(c, r)| settings.found[c].config.policy(r));
        let engine = &engines[job.config.unwrap_or(engines.len() - 1)];
        let skip_foreign = job.channel == Channel::Sniffed;
        let mut options = Options { skip_foreign, limits, policy: policy.as_ref(), syntax: None };
        let report = match read(&job.input, limits.max_file_size)? {
            Some(bytes) => {
                if job.input.stdin && args.stdin_filename.is_none() {
                    options.syntax = Some(stdin_syntax(&bytes));
                }
                lint_bytes(engine, &job.input.name, &bytes, &options)
            }
            None => apig_lint::lint::oversized(engine, &job.input.name, limits.max_file_size),
        };
        let matched: Vec<usize> = policy.map(|p| p.suppress.iter().map(|s| s.entry).collect()).unwrap_or_default();
        Ok::<_, String>((report, job.config, matched))
    };
    let results: Vec<_> =
        if jobs.len() > 1 { jobs.par_iter().map(lint_one).collect() } else { jobs.iter().map(lint_one).collect() };
    let mut outcome = Outcome {
        matched: vec![Vec::new(); settings.found.len()],
        used: vec![Vec::new(); settings.found.len()],
        ..Outcome::default()
    };
    for result in results {
        match result {
            Ok((report, config, matched)) => {
                if let Some(c) = config {
                    outcome.matched[c].extend(matched);
                    outcome.used[c].extend(report.used_entries.iter().copied());
                }
                if report.skipped {
                    outcome.skipped.push(report.path);
                } else {
                    outcome.checked.push((report, fail_level(args, settings, config)));
                }
            }
            Err(error) => {
                outcome.unreadable += 1;
                outcome.io_errors.push(error);
            }
        }
    }
    outcome
}

/// The lowest severity that fails the run for a file: `--fail-level`, else its configuration's,
/// else error.
fn fail_level(args: &CheckArgs, settings: &Settings, config: Option<usize>) -> Severity {
    match args.fail_level {
        Some(Level::Error) => Severity::Error,
        Some(Level::Warning) => Severity::Warning,
        Some(Level::Info) => Severity::Info,
        None => config.and_then(|c| settings.found[c].config.fail_level.as_ref()).map_or(Severity::Error, |f| f.value),
    }
}

/// `--write-baseline` and `--baseline`; returns the lines to add to the summary.
fn skipped_note(lang: Lang) -> &'static str {
    lang.pick("skipped (not a VPC channel): ", "已跳过（不是 VPC 通道）：")
}

fn apply_baselines(
    rules: &RuleSet,
    args: &CheckArgs,
    reports: &mut [FileReport],
    lang: Lang,
) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    if let Some(path) = &args.write_baseline {
        let (text, count) = baseline::write(reports, rules, &settings::baseline_base(path));
        std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        notes.push(match lang {
            Lang::En => format!("wrote {} to the baseline {}", human::count(count, "finding"), path.display()),
            Lang::ZhCn => format!("已将 {count} 个问题写入基线 {}", path.display()),
        });
    }
    if let Some(path) = &args.baseline {
        let text = read::text(path, read::MAX_BASELINE)?;
        let baseline = Baseline::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let outcome = baseline.apply(reports, rules, &settings::baseline_base(path));
        let hidden = human::count(outcome.hidden, "finding");
        let mut note = match lang {
            Lang::En => format!("{hidden} hidden by the baseline {}", path.display()),
            Lang::ZhCn => format!("基线 {} 隐藏了 {} 个问题", path.display(), outcome.hidden),
        };
        if outcome.gone > 0 && lang == Lang::ZhCn {
            note.push_str(&format!("；基线中有 {} 个问题已不存在，可以缩减（用 --write-baseline 重写）", outcome.gone));
        } else if outcome.gone > 0 {
            note.push_str(&format!(
                "; {} gone, so it can shrink (rewrite it with --write-baseline)",
                if outcome.gone == 1 {
                    "1 baselined finding is".to_owned()
                } else {
                    format!("{} baselined findings are", outcome.gone)
                }
            ));
        }
        notes.push(note);
    }
    Ok(notes)
}

/// Findings about the configuration's own `[[suppress]]` entries, as a report on that file.
fn config_report(
    rules: &RuleSet,
    engine: &Engine,
    config: &Config,
    matched: &[usize],
    used: &[usize],
) -> Option<FileReport> {
    let flags = |indices: &[usize]| {
        let mut flags = vec![false; config.suppress.len()];
        for &i in indices {
            flags[i] = true;
        }
        flags
    };
    let problems = config.entry_problems(rules, &flags(matched), &flags(used));
    let diagnostics: Vec<_> =
        problems.into_iter().filter_map(|p| engine.finding(p.kind, p.detail, p.span, 0)).collect();
    if diagnostics.is_empty() {
        return None;
    }
    Some(FileReport::new(&config.name, config.text.clone(), diagnostics))
}

/// Standard input without a name: JSON when it starts (after blanks) with `{` or `[`, else YAML.
fn stdin_syntax(bytes: &[u8]) -> apig_lint::document::Syntax {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match text.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{' | b'[') => apig_lint::document::Syntax::Json,
        _ => apig_lint::document::Syntax::Yaml,
    }
}

/// The files to check (directories walked, `-` for standard input), and the paths that failed.
/// `--stdin-filename` alone reads standard input; beside a path other than `-` it is a usage error.
fn inputs(args: &CheckArgs) -> Result<(Vec<Input>, Vec<String>), String> {
    if args.stdin_filename.is_some() && args.paths.iter().any(|p| p.as_os_str() != "-") {
        return Err("--stdin-filename names standard input: give `-` or no path with it".into());
    }
    let paths = match (args.paths.is_empty(), args.stdin_filename.is_some()) {
        (true, true) => vec!["-".into()],
        (true, false) => vec![".".into()],
        (false, _) => args.paths.clone(),
    };
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in &paths {
        if path.as_os_str() == "-" {
            let name = args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".to_owned());
            inputs.push(Input { path: name.clone().into(), name, explicit: true, stdin: true });
            continue;
        }
        let (found, walk_errors) = walk::expand(path);
        inputs.extend(found.into_iter().map(|(path, explicit)| Input {
            name: walk::display(&path),
            path,
            explicit,
            stdin: false,
        }));
        errors.extend(walk_errors);
    }
    Ok((inputs, errors))
}

/// An input's bytes, or `None` when it is larger than `limit` (a file known to be is not opened;
/// nothing is read past the limit). Files go through the bounded, regular-file-only reader.
fn read(input: &Input, limit: u64) -> Result<Option<Vec<u8>>, String> {
    if !input.stdin {
        return read::regular_file(&input.path, &apig_lint::escape::text(&input.name), limit);
    }
    let bytes =
        read::limited(std::io::stdin().lock(), limit).map_err(|e| format!("cannot read standard input: {e}"))?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Renders the reports in the chosen format, to standard output or `--output`.
fn emit(
    rules: &RuleSet,
    args: &CheckArgs,
    reports: &[FileReport],
    fail_levels: &[Severity],
    summary: &json::Summary,
    notes: &[String],
    lang: Lang,
) -> Result<(), String> {
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let mut output = match (args.format, args.statistics) {
        (OutputFormat::Human | OutputFormat::Concise, true) => lines::statistics(rules, reports),
        (_, true) => return Err("--statistics works with the human and concise formats".into()),
        (OutputFormat::Human, false) => human::render(rules, reports, color, terminal_width(), lang),
        (OutputFormat::Json, false) => json::render(rules, reports, summary),
        (OutputFormat::Concise, false) => lines::concise(rules, reports),
        (OutputFormat::Github, false) => lines::github(rules, reports),
        (OutputFormat::Sarif, false) => sarif::render(rules, reports, &settings::uri_base(), lang),
        (OutputFormat::Junit, false) => junit::render(rules, reports, fail_levels),
        (OutputFormat::Gitlab, false) => gitlab::render(rules, reports, &settings::uri_base()),
    };
    let mut summary = human::summary_line(summary, lang);
    for note in notes {
        summary.push_str(note);
        summary.push('\n');
    }
    match &args.output {
        Some(path) => {
            std::fs::write(path, &output).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            if !args.quiet {
                print(&summary)?;
            }
        }
        // `--write-baseline` says what it wrote; the findings it recorded are in the baseline (and
        // in `--output`, when asked for).
        None if args.write_baseline.is_some() => print(&summary)?,
        None => {
            if matches!(args.format, OutputFormat::Human | OutputFormat::Concise) && !args.quiet {
                output.push_str(&summary);
            }
            print(&output)?;
        }
    }
    Ok(())
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}

//! `apig-lint check`: gather the inputs and their configurations, lint them in parallel, apply the
//! baseline, render, choose the exit code.

use std::io::IsTerminal;
use std::process::ExitCode;

use apig_lint::baseline::{self, Baseline};
use apig_lint::config::Config;
use apig_lint::document::Limits;
use apig_lint::fix::Applicability;
use apig_lint::rules::{RuleSet, Severity};
use apig_lint::{Engine, FileReport, Lang, Options, lint_bytes};

use apig_lint::render::{gitlab, human, json, junit, lines, sarif};
use rayon::prelude::*;

use super::inputs::{self, Input, Order, Unread};
use super::settings::{self, Settings};
use super::threads::{MAX_THREADS, Workers};
use super::{CheckArgs, Color, Level, OutputFormat, print, read, walk};

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
/// configuration which `[[suppress]]` entries matched a file and which removed a finding. Errors
/// and fixes carry their input's place on the command line until [`Outcome::settle`] puts them in
/// that order (a late round, for paths that turned out to be directories, adds out of order).
#[derive(Default)]
struct Outcome {
    /// A report per file checked, and the severity that fails the run for it.
    reports: Vec<FileReport>,
    fail_levels: Vec<Severity>,
    /// Each report's findings as written, when they were written on the thread that checked the
    /// file ([`early_format`]); empty otherwise.
    blocks: Vec<String>,
    /// Files that were not channels, so not checked.
    skipped: Vec<String>,
    matched: Vec<Vec<usize>>,
    used: Vec<Vec<usize>>,
    path_errors: inputs::PathErrors,
    read_errors: Vec<(Order, String)>,
    fixes: Vec<(Order, FileFix)>,
    /// Findings left with an unsafe fix that the run did not apply.
    unsafe_fixable: usize,
    /// Paths named as files that are directories, to walk.
    directories: Vec<(usize, std::path::PathBuf)>,
}

/// `theirs` after `mine`; moved, not copied, when `mine` is empty and has no room for them.
fn append<T>(mine: &mut Vec<T>, theirs: Vec<T>) {
    if mine.is_empty() && mine.capacity() < theirs.len() {
        *mine = theirs;
    } else {
        mine.extend(theirs);
    }
}

/// The errors and fixes of a run, in input order.
struct Settled {
    /// The errors of paths (missing, or a walk that failed), then those of inputs that could not
    /// be read.
    io_errors: Vec<String>,
    /// Inputs that could not be read (a subset of the errors).
    unreadable: usize,
    /// What fixing did to each file it looked at.
    fixes: Vec<FileFix>,
}

impl Outcome {
    fn absorb(&mut self, other: Outcome) {
        // Reports are moved, not copied, where there are none yet (the run's first round): a list
        // of thousands of reports, copied, is as many fresh pages again.
        append(&mut self.reports, other.reports);
        append(&mut self.fail_levels, other.fail_levels);
        append(&mut self.blocks, other.blocks);
        self.skipped.extend(other.skipped);
        for (mine, theirs) in [(&mut self.matched, other.matched), (&mut self.used, other.used)] {
            mine.resize(mine.len().max(theirs.len()), Vec::new());
            for (m, t) in mine.iter_mut().zip(theirs) {
                m.extend(t);
            }
        }
        self.path_errors.extend(other.path_errors);
        self.read_errors.extend(other.read_errors);
        self.fixes.extend(other.fixes);
        self.unsafe_fixable += other.unsafe_fixable;
        self.directories.extend(other.directories);
    }

    /// Errors and fixes in input order: the errors of paths first (as a walk that looks at every
    /// path before reading any would meet them), then those of reading.
    fn settle(&mut self) -> Settled {
        let mut paths = std::mem::take(&mut self.path_errors);
        let mut reads = std::mem::take(&mut self.read_errors);
        let mut fixes = std::mem::take(&mut self.fixes);
        paths.sort_by_key(|(i, _)| *i);
        reads.sort_by_key(|(order, _)| *order);
        fixes.sort_by_key(|(order, _)| *order);
        let unreadable = paths.len() + reads.len();
        let io_errors = paths.into_iter().map(|(_, e)| e).chain(reads.into_iter().map(|(_, e)| e)).collect();
        Settled { io_errors, unreadable, fixes: fixes.into_iter().map(|(_, f)| f).collect() }
    }
}

/// What checking one file gave: its report, its configuration, the `[[suppress]]` entries that
/// matched it, what fixing did (boxed: most runs do not fix), whether unsafe fixes were on, and
/// its findings as written (when they are written as files are checked).
type Linted = (FileReport, Option<usize>, Vec<usize>, Option<Box<FileFix>>, bool, Option<String>);

/// What `--fix` or `--diff` did to one file.
struct FileFix {
    name: String,
    path: std::path::PathBuf,
    stdin: bool,
    /// The text as read, and as fixed (the same when nothing changed).
    original: String,
    text: String,
    applied: usize,
    problem: Option<String>,
}

/// Does a file's run fix, and with unsafe fixes? The command line wins over the configuration.
fn fix_mode(args: &CheckArgs, settings: &Settings, config: Option<usize>) -> (bool, bool) {
    let config = config.map(|c| &settings.found[c].config);
    let set = |flag: bool, off: bool, setting: Option<&apig_lint::config::Setting<bool>>| {
        flag || (!off && setting.is_some_and(|s| s.value))
    };
    let fixing = args.diff || set(args.fix, args.no_fix, config.and_then(|c| c.fix.as_ref()));
    let unsafe_fixes = set(args.unsafe_fixes, args.no_unsafe_fixes, config.and_then(|c| c.unsafe_fixes.as_ref()));
    (fixing, unsafe_fixes)
}

pub fn run(rules: &RuleSet, mut args: CheckArgs, lang: Option<Lang>) -> Result<ExitCode, String> {
    if let Some(asked) = args.threads {
        let threads = asked.clamp(1, MAX_THREADS);
        if threads != asked {
            eprintln!("apig-lint: --threads {asked} is out of range; using {threads} (1 to {MAX_THREADS})");
        }
        args.threads = Some(threads);
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
    let workers = Workers::new(args.threads);
    let file_format = FileFormat::of(&args, lang);
    let early = early_format(&args, file_format.as_ref());
    let (mut found, path_errors) = inputs::gather(&mut args, || workers.ready())?;
    let mut outcome = Outcome { path_errors, ..Outcome::default() };
    // Each round's jobs, kept to the end of the run (see the `forget` below).
    let mut jobs = Vec::new();
    let engines = loop {
        let round = plan(&mut settings, found, args.channels_only, &mut outcome)?;
        refuse_overwriting_inputs(&args, &round, &settings)?;
        // After planning, which finds the configurations the engines follow.
        let engines = self::engines(rules, &settings, lang, &args)?;
        outcome.absorb(lint_all(rules, &settings, &engines, &args, &round, &workers, early));
        jobs.push(round);
        // Paths named as files that are directories (rare: `configs.json/`) are walked now, and
        // their files checked as a walk of them would have been: a second round, and the last
        // (what a walk finds is not a named path).
        let directories = std::mem::take(&mut outcome.directories);
        if directories.is_empty() {
            break engines;
        }
        let path_errors;
        (found, path_errors) = inputs::walk_late(directories);
        outcome.path_errors.extend(path_errors);
    };
    // A path that does not exist, or a walk that fails, is a file (or more) that was not read.
    let mut settled = outcome.settle();
    outcome.skipped.sort();
    // A run that checked nothing must not look like a clean one (an empty directory, a typo in
    // `include`), except in the hook, where staged files that are not channels are normal.
    if outcome.reports.is_empty() && settled.io_errors.is_empty() {
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
        if let Some(report) = report {
            if let Some(format) = &early {
                outcome.blocks.push(format.block(rules, &report));
            }
            outcome.reports.push(report);
            outcome.fail_levels.push(fail_level(&args, &settings, Some(c)));
        }
    }
    // Sorted by file, whatever order the paths were given in (and whatever the thread count).
    let (mut reports, fail_levels, blocks) = sorted_by_path(outcome.reports, outcome.fail_levels, outcome.blocks);
    let mut notes = apply_baselines(rules, &args, &mut reports, lang)?;
    if args.show_skipped {
        notes.extend(outcome.skipped.iter().map(|path| format!("{}{path}", skipped_note(lang))));
    }
    let fixing = !settled.fixes.is_empty() || args.fix || args.diff;
    let (fix_notes, changed, stdin_text, diffs) = settle_fixes(&args, &settled.fixes, &mut settled.io_errors);
    notes.extend(fix_notes);
    let mut summary = json::Summary::of(&reports);
    summary.skipped = outcome.skipped.len();
    summary.unreadable = settled.unreadable;
    let left = summary.errors + summary.warnings + summary.infos;
    let applied: usize = settled.fixes.iter().map(|f| f.applied).sum();
    let safe_fixable = reports
        .iter()
        .flat_map(|r| &r.diagnostics)
        .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Safe))
        .count();
    let zh = lang == Lang::ZhCn;
    if args.diff {
        notes.push(if zh {
            format!("将修复 {applied} 个问题（剩余 {left} 个）。")
        } else {
            format!("Would fix {} ({left} left).", human::count(applied, "finding"))
        });
    } else if fixing {
        notes.push(if zh {
            format!("已修复 {applied} 个问题（剩余 {left} 个）。")
        } else {
            format!("Fixed {} ({left} left).", human::count(applied, "finding"))
        });
    } else if safe_fixable > 0 {
        notes.push(if zh {
            format!("{safe_fixable} 个问题可用 `--fix` 修复。")
        } else {
            format!("{safe_fixable} fixable with `--fix`.")
        });
    }
    if outcome.unsafe_fixable > 0 {
        notes.push(if zh {
            format!("另有 {} 个问题可用 `--unsafe-fixes` 修复。", outcome.unsafe_fixable)
        } else {
            format!("{} more fixable with `--unsafe-fixes`.", outcome.unsafe_fixable)
        });
    }
    if args.diff {
        // The diff on standard output, the summary on standard error (as ruff does).
        print(&diffs)?;
        if !args.quiet {
            eprint!("{}", notes.iter().map(|n| format!("{n}\n")).collect::<String>());
        }
        for error in &settled.io_errors {
            eprintln!("apig-lint: {}", apig_lint::escape::text(error));
        }
        return Ok(ExitCode::from(if !settled.io_errors.is_empty() {
            2
        } else if changed > 0 {
            1
        } else {
            0
        }));
    }
    let footer = Footer { summary: &summary, notes: &notes, lang };
    // The findings in a per-file format: written already, or now (on the threads, when there are
    // several).
    let written = match (&early, &file_format) {
        (Some(_), _) => blocks.concat(),
        (None, Some(format)) => {
            let parallel = reports.len() > 1 && workers.ready();
            per_file(&reports, parallel, &|report, out| format.render(rules, report, out))
        }
        (None, None) => String::new(),
    };
    emit(rules, &args, &reports, written, &fail_levels, &footer, stdin_text.is_some())?;
    if let Some(text) = stdin_text {
        print(&text)?;
    }
    for error in &settled.io_errors {
        eprintln!("apig-lint: {}", apig_lint::escape::text(error));
    }
    let failing = args.write_baseline.is_none()
        && reports.iter().zip(&fail_levels).any(|(r, &level)| r.diagnostics.iter().any(|d| d.severity >= level));
    let code = if !settled.io_errors.is_empty() {
        2
    } else if failing && !args.exit_zero {
        1
    } else {
        0
    };
    // The process ends after this: the reports, jobs and arguments (a few allocations a file)
    // are left to it rather than freed one by one.
    std::mem::forget((reports, jobs, args));
    Ok(ExitCode::from(code))
}

/// One engine per configuration, and a last one for files without; command-line selection on top.
fn engines<'r>(
    rules: &'r RuleSet,
    settings: &Settings,
    lang: Lang,
    args: &CheckArgs,
) -> Result<Vec<Engine<'r>>, String> {
    let mut engines = Vec::new();
    for found in settings.found.iter().map(Some).chain([None]) {
        let levels = found.map(|f| f.config.engine_levels()).unwrap_or_default();
        engines
            .push(Engine::new(rules).with_lang(lang).with_levels(&levels).with_selection(&args.select, &args.ignore)?);
    }
    Ok(engines)
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
/// A path named as a file and not looked at yet that is not selected is looked at now, as a walk
/// would have: a missing one is an error of `outcome`'s, a directory is walked later.
fn plan(
    settings: &mut Settings,
    found: Vec<Input>,
    channels_only: bool,
    outcome: &mut Outcome,
) -> Result<Vec<Job>, String> {
    let mut jobs = Vec::with_capacity(found.len());
    for input in found {
        let named = input.explicit && !channels_only;
        let place = settings.place(&input.path, !input.stdin, named)?;
        let channel = if named || place.included { Channel::Given } else { Channel::Sniffed };
        if place.selected {
            jobs.push(Job { input, config: place.config, relative: place.relative, channel });
        } else if matches!(input.known, inputs::Known::Named) {
            match inputs::look_at_excluded(&input) {
                Ok(Some(directory)) => outcome.directories.push((input.order.0, directory)),
                Ok(None) => {}
                Err(error) => outcome.path_errors.push((input.order.0, error)),
            }
        }
    }
    Ok(jobs)
}

/// Lints every job, in parallel when there are several.
fn lint_all(
    rules: &RuleSet,
    settings: &Settings,
    engines: &[Engine],
    args: &CheckArgs,
    jobs: &[Job],
    workers: &Workers,
    early: Option<&FileFormat>,
) -> Outcome {
    let limits = Limits {
        max_file_size: args.max_file_size,
        max_depth: args.max_depth,
        alias_budget: args.alias_budget,
        time_budget: args.time_budget,
        max_documents: args.max_documents,
        max_findings: args.max_findings,
        max_findings_per_rule: args.max_findings_per_rule,
    };
    // Values are hashed only for what uses the hashes: baselines, and formats with fingerprints.
    let hashes = args.baseline.is_some() || args.write_baseline.is_some() || args.format.has_fingerprints();
    let lint_one = |job: &Job, opener: &mut read::Opener| {
        let policy = settings.policy(job.config, job.relative.as_deref());
        let engine = &engines[job.config.unwrap_or(engines.len() - 1)];
        let skip_foreign = job.channel == Channel::Sniffed;
        let mut options =
            Options { skip_foreign, limits, policy: policy.as_ref(), syntax: None, skip_value_hash: !hashes };
        let (fixing, unsafe_fixes) = fix_mode(args, settings, job.config);
        let mut file_fix = None;
        let name = job.input.name();
        let mut report = match inputs::read(&job.input, &name, limits.max_file_size, opener)? {
            Some(bytes) => {
                if job.input.stdin && args.stdin_filename.is_none() {
                    options.syntax = Some(stdin_syntax(&bytes));
                }
                if fixing {
                    let mode = apig_lint::fix::FixMode { unsafe_fixes };
                    let fixed = apig_lint::fix::fix_bytes(engine, &name, &bytes, &options, mode);
                    file_fix = Some(Box::new(FileFix {
                        name,
                        path: job.input.path.clone(),
                        stdin: job.input.stdin,
                        original: String::from_utf8_lossy(&bytes).into_owned(),
                        text: fixed.text,
                        applied: fixed.applied,
                        problem: fixed.problem,
                    }));
                    fixed.report
                } else {
                    lint_bytes(engine, name, bytes, &options)
                }
            }
            None => apig_lint::lint::oversized(engine, name, limits.max_file_size),
        };
        // A report keeps its file's text to place its findings; a clean file's goes at once, so
        // a run over many files does not hold them all until the end.
        if report.diagnostics.is_empty() {
            report.text = String::new();
        }
        // Written here, on the thread that checked the file, the findings need the text no more.
        let block = early.filter(|_| !report.skipped).map(|format| {
            let block = format.block(rules, &report);
            report.text = String::new();
            block
        });
        let matched: Vec<usize> = policy.map(|p| p.suppress.iter().map(|s| s.entry).collect()).unwrap_or_default();
        Ok::<_, Unread>((report, job.config, matched, file_fix, unsafe_fixes, block))
    };
    let lint_one = |job: &Job, opener: &mut read::Opener| (job.input.order, lint_one(job, opener));
    let configs = settings.found.len();
    let mut outcome = Outcome {
        fail_levels: Vec::with_capacity(jobs.len()),
        matched: vec![Vec::new(); configs],
        used: vec![Vec::new(); configs],
        ..Outcome::default()
    };
    // What a file's result leaves for the list of reports, the rest taken into `outcome`.
    let mut take = |(order, result): (Order, Result<Linted, Unread>)| match result {
        Ok((report, config, matched, file_fix, unsafe_fixes, block)) => {
            outcome.fixes.extend(file_fix.map(|fix| (order, *fix)));
            if !unsafe_fixes {
                outcome.unsafe_fixable += report
                    .diagnostics
                    .iter()
                    .filter(|d| d.fix.as_ref().is_some_and(|f| f.applicability == Applicability::Unsafe))
                    .count();
            }
            if let Some(c) = config {
                outcome.matched[c].extend(matched);
                outcome.used[c].extend(report.used_entries.iter().copied());
            }
            if report.skipped {
                outcome.skipped.push(report.path);
                None
            } else {
                outcome.fail_levels.push(fail_level(args, settings, config));
                outcome.blocks.extend(block);
                Some(report)
            }
        }
        Err(Unread::Error(error)) => {
            outcome.read_errors.push((order, error));
            None
        }
        Err(Unread::Path(error)) => {
            outcome.path_errors.push((order.0, error));
            None
        }
        Err(Unread::Directory(path)) => {
            outcome.directories.push((order.0, path));
            None
        }
    };
    // On several threads, each file's result is written into its place in one list by the thread
    // that checks it, and the reports are then taken out of that list where they lie (a collect
    // in place). Results gathered per thread and joined were copied once more, by this thread
    // alone, into fresh memory: a list of thousands of reports is as many pages again.
    let reports = if jobs.len() > 1 && workers.ready() {
        let mut linted = Vec::with_capacity(jobs.len());
        // Each thread's run of files has an opener of its own, so that the files of a directory
        // are opened relative to it.
        jobs.par_iter()
            .map_init(read::Opener::default, |opener, job| lint_one(job, opener))
            .collect_into_vec(&mut linted);
        linted.into_iter().filter_map(&mut take).collect()
    } else {
        let mut opener = read::Opener::default();
        let mut reports = Vec::with_capacity(jobs.len());
        reports.extend(jobs.iter().filter_map(|job| take(lint_one(job, &mut opener))));
        reports
    };
    outcome.reports = reports;
    outcome
}

/// The reports in the order of their paths, with their fail levels; as they are when the paths
/// were given in order (the usual case: a walk's order, or a shell's sorted glob), without moving
/// them.
fn sorted_by_path(
    reports: Vec<FileReport>,
    fail_levels: Vec<Severity>,
    blocks: Vec<String>,
) -> (Vec<FileReport>, Vec<Severity>, Vec<String>) {
    debug_assert!(blocks.is_empty() || blocks.len() == reports.len(), "a block for each report, or none");
    if reports.is_sorted_by(|a, b| a.path <= b.path) {
        return (reports, fail_levels, blocks);
    }
    // The written findings, when there are any, go with their reports.
    let mut blocks = blocks.into_iter();
    let mut rows: Vec<(FileReport, Severity, Option<String>)> =
        reports.into_iter().zip(fail_levels).map(|(report, level)| (report, level, blocks.next())).collect();
    rows.sort_by(|a, b| a.0.path.cmp(&b.0.path));
    let mut sorted = (Vec::with_capacity(rows.len()), Vec::with_capacity(rows.len()), Vec::new());
    for (report, level, block) in rows {
        sorted.0.push(report);
        sorted.1.push(level);
        sorted.2.extend(block);
    }
    sorted
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

/// What follows the findings: the summary, the notes (baselines, fixes, skipped files), in the
/// run's language.
struct Footer<'a> {
    summary: &'a json::Summary,
    notes: &'a [String],
    lang: Lang,
}

/// A format written one block per file.
enum FileFormat {
    /// Boxed: the renderer is large, and made once a run.
    Human(Box<human::Renderer>),
    Concise,
    Github,
}

impl FileFormat {
    /// The run's format, if it is written one block per file (each file rendered on its own, the
    /// blocks joined in the reports' order: the same text as one loop).
    fn of(args: &CheckArgs, lang: Lang) -> Option<FileFormat> {
        if args.statistics {
            return None;
        }
        match args.format {
            OutputFormat::Human => {
                Some(FileFormat::Human(Box::new(human::Renderer::new(color(args), terminal_width(), lang))))
            }
            OutputFormat::Concise => Some(FileFormat::Concise),
            OutputFormat::Github => Some(FileFormat::Github),
            OutputFormat::Json | OutputFormat::Sarif | OutputFormat::Junit | OutputFormat::Gitlab => None,
        }
    }

    /// One file's block, appended to `out`.
    fn render(&self, rules: &RuleSet, report: &FileReport, out: &mut String) {
        match self {
            FileFormat::Human(renderer) => renderer.file(rules, report, out),
            FileFormat::Concise => lines::concise_file(rules, report, out),
            FileFormat::Github => lines::github_file(rules, report, out),
        }
    }

    /// One file's block on its own.
    fn block(&self, rules: &RuleSet, report: &FileReport) -> String {
        let mut out = String::new();
        self.render(rules, report, &mut out);
        out
    }
}

/// The run's per-file format, when each file's lines can be written by the thread that checked
/// it, as soon as it is checked: nothing changes a report afterwards (no baseline to apply or to
/// write) and the findings are printed (not `--diff`). The file's text is then let go at once,
/// and the threads are not woken again after the checking to render. The output is the same
/// either way.
///
/// Only the one-line formats, and not on one thread (bench/RESULTS.md, thirteenth pass): on
/// 2,000 files on two threads, concise output took 0.2 ms less this way. The human format took
/// 0.1 ms more, and so did concise output on one thread (0.2 ms), where no thread is woken again
/// to save: probably because the renderer's code, run between the checks instead of after them,
/// crowds theirs out of the caches.
fn early_format<'f>(args: &CheckArgs, format: Option<&'f FileFormat>) -> Option<&'f FileFormat> {
    format.filter(|format| {
        !matches!(format, FileFormat::Human(_))
            && args.threads != Some(1)
            && args.baseline.is_none()
            && args.write_baseline.is_none()
            && !args.diff
    })
}

/// The reports' blocks (rendered on the threads, when `parallel`), joined in the reports' order.
fn per_file(reports: &[FileReport], parallel: bool, render: &(dyn Fn(&FileReport, &mut String) + Sync)) -> String {
    if parallel {
        return reports
            .par_iter()
            .map(|report| {
                let mut out = String::new();
                render(report, &mut out);
                out
            })
            .collect();
    }
    let mut out = String::new();
    reports.iter().for_each(|report| render(report, &mut out));
    out
}

/// Colours: `--color`, else when standard output is a terminal and `NO_COLOR` is not set.
fn color(args: &CheckArgs) -> bool {
    match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

/// Renders the reports in the chosen format, to standard output or `--output`; `written` is the
/// reports as a per-file format writes them ([`FileFormat`]).
fn emit(
    rules: &RuleSet,
    args: &CheckArgs,
    reports: &[FileReport],
    written: String,
    fail_levels: &[Severity],
    footer: &Footer,
    to_stderr: bool,
) -> Result<(), String> {
    let Footer { summary, notes, lang } = *footer;
    let mut output = match (args.format, args.statistics) {
        (OutputFormat::Human | OutputFormat::Concise, true) => lines::statistics(rules, reports),
        (_, true) => return Err("--statistics works with the human and concise formats".into()),
        (OutputFormat::Human | OutputFormat::Concise | OutputFormat::Github, false) => written,
        (OutputFormat::Json, false) => json::render(rules, reports, summary),
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
            if to_stderr {
                // Standard output carries the fixed document.
                eprint!("{output}");
            } else {
                print(&output)?;
            }
        }
    }
    Ok(())
}

/// Writes the fixed files (or, with `--diff`, renders what would change), and returns the notes
/// for the summary, how many files changed, the fixed standard input, and the diffs.
fn settle_fixes(
    args: &CheckArgs,
    fixes: &[FileFix],
    io_errors: &mut Vec<String>,
) -> (Vec<String>, usize, Option<String>, String) {
    let mut notes = Vec::new();
    let mut changed = 0;
    let mut stdin_text = None;
    let mut diffs = String::new();
    for fix in fixes {
        if let Some(problem) = &fix.problem {
            notes.push(apig_lint::escape::text(problem).into_owned());
        }
        let differs = fix.text != fix.original;
        changed += usize::from(differs);
        if args.diff {
            if differs {
                let diff = similar::TextDiff::from_lines(&fix.original, &fix.text);
                diffs.push_str(&diff.unified_diff().context_radius(3).header(&fix.name, &fix.name).to_string());
            }
        } else if fix.stdin {
            stdin_text = Some(fix.text.clone());
        } else if differs && let Err(error) = write_atomically(&fix.path, &fix.text) {
            io_errors.push(format!("cannot write the fixes to {}: {error}", fix.name));
        }
    }
    (notes, changed, stdin_text, diffs)
}

/// Replaces a regular file's contents at once: a temporary file beside it, the same permissions,
/// then a rename over it. A symbolic link is followed to the file it names, which is replaced.
fn write_atomically(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::metadata(&target)?;
    if !meta.is_file() {
        return Err(std::io::Error::other("it is not a regular file"));
    }
    let dir = target.parent().ok_or_else(|| std::io::Error::other("it has no directory"))?;
    let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temporary = dir.join(format!(".{name}.apig-lint-{}.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&temporary)?;
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        std::fs::set_permissions(&temporary, meta.permissions())?;
        std::fs::rename(&temporary, &target)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}

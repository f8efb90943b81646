//! `apig-lint check`: gather the inputs, lint them in parallel, render, choose the exit code.

use std::io::{IsTerminal, Read};
use std::process::ExitCode;

use apig_lint::document::Limits;
use apig_lint::rules::{RuleSet, Severity};
use apig_lint::{Engine, FileReport, Options, lint_bytes};
use rayon::prelude::*;

use super::{CheckArgs, Color, Level, OutputFormat, gitlab, human, json, junit, lines, print, sarif, walk};

/// One input to check: a path on disk or standard input.
struct Input {
    name: String,
    /// Named on the command line (always checked) rather than found by walking.
    explicit: bool,
    stdin: bool,
}

pub fn run(rules: &RuleSet, args: CheckArgs) -> Result<ExitCode, String> {
    let engine = Engine::new(rules).with_selection(&args.select, &args.ignore)?;
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    }
    let (inputs, mut io_errors) = inputs(&args);
    let limits = Limits {
        max_file_size: args.max_file_size,
        max_depth: args.max_depth,
        alias_budget: args.alias_budget,
        time_budget: args.time_budget,
    };
    let lint_one = |input: &Input| -> Result<FileReport, String> {
        let options = Options { skip_foreign: !input.explicit || args.channels_only, limits };
        match read(input, limits.max_file_size)? {
            Some(bytes) => Ok(lint_bytes(&engine, &input.name, &bytes, &options)),
            None => Ok(apig_lint::lint::oversized(&engine, &input.name, limits.max_file_size)),
        }
    };
    let results: Vec<Result<FileReport, String>> = if inputs.len() > 1 {
        inputs.par_iter().map(lint_one).collect()
    } else {
        inputs.iter().map(lint_one).collect()
    };
    let mut reports = Vec::new();
    for result in results {
        match result {
            Ok(report) if !report.skipped => reports.push(report),
            Ok(_) => {}
            Err(error) => io_errors.push(error),
        }
    }
    // Sorted by file, whatever order the paths were given in (and whatever the thread count).
    reports.sort_by(|a, b| a.path.cmp(&b.path));
    emit(rules, &args, &reports)?;
    for error in &io_errors {
        eprintln!("apig-lint: {error}");
    }
    let fail_level = match args.fail_level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    };
    let failing = reports.iter().flat_map(|r| &r.diagnostics).any(|d| d.severity >= fail_level);
    Ok(ExitCode::from(if !io_errors.is_empty() {
        2
    } else if failing && !args.exit_zero {
        1
    } else {
        0
    }))
}

/// The files to check (directories walked, `-` for standard input), and the paths that failed.
fn inputs(args: &CheckArgs) -> (Vec<Input>, Vec<String>) {
    let paths = if args.paths.is_empty() { vec![".".to_owned()] } else { args.paths.clone() };
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in &paths {
        if path == "-" {
            let name = args.stdin_filename.clone().unwrap_or_else(|| "<stdin>".to_owned());
            inputs.push(Input { name, explicit: true, stdin: true });
            continue;
        }
        match walk::expand(path) {
            Ok(found) => {
                inputs.extend(found.into_iter().map(|(name, explicit)| Input { name, explicit, stdin: false }))
            }
            Err(error) => errors.push(error),
        }
    }
    (inputs, errors)
}

/// An input's bytes, or `None` when it is larger than `limit` (a file known to be is not opened;
/// nothing is read past the limit).
fn read(input: &Input, limit: u64) -> Result<Option<Vec<u8>>, String> {
    let bytes = if input.stdin {
        read_limited(std::io::stdin().lock(), limit).map_err(|e| format!("cannot read standard input: {e}"))?
    } else {
        let size = std::fs::metadata(&input.name).map(|m| m.len()).unwrap_or(0);
        if size > limit {
            return Ok(None);
        }
        let file = std::fs::File::open(&input.name).map_err(|e| format!("cannot read {}: {e}", input.name))?;
        read_limited(file, limit).map_err(|e| format!("cannot read {}: {e}", input.name))?
    };
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Reads at most `limit + 1` bytes: enough to tell an oversized input without holding it all.
fn read_limited(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut buffer)?;
    Ok(buffer)
}

/// Renders the reports in the chosen format, to standard output or `--output`.
fn emit(rules: &RuleSet, args: &CheckArgs, reports: &[FileReport]) -> Result<(), String> {
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let mut output = match (args.format, args.statistics) {
        (OutputFormat::Human | OutputFormat::Concise, true) => lines::statistics(rules, reports),
        (_, true) => return Err("--statistics works with the human and concise formats".into()),
        (OutputFormat::Human, false) => human::render(rules, reports, color, terminal_width()),
        (OutputFormat::Json, false) => json::render(rules, reports),
        (OutputFormat::Concise, false) => lines::concise(rules, reports),
        (OutputFormat::Github, false) => lines::github(rules, reports),
        (OutputFormat::Sarif, false) => sarif::render(rules, reports),
        (OutputFormat::Junit, false) => junit::render(rules, reports),
        (OutputFormat::Gitlab, false) => gitlab::render(rules, reports),
    };
    let summary = human::summary_line(&json::Summary::of(reports));
    match &args.output {
        Some(path) => {
            std::fs::write(path, &output).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
            if !args.quiet {
                print(&summary)?;
            }
        }
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

//! Command line: `check`, `rules`, `explain`. Exit codes: 0 clean, 1 findings at or above the
//! fail level, 2 usage, IO or internal error.

mod human;
mod json;
mod walk;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use apig_lint::rules::{RuleSet, Severity};
use apig_lint::{Engine, FileReport, lint_bytes};
use clap::{Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

#[derive(Parser)]
#[command(
    name = "apig-lint",
    version,
    about = "Lint Huawei Cloud APIG VPC-channel definitions (JSON and YAML) offline"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check files and directories (default: the current directory).
    Check(CheckArgs),
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value = "table")]
        format: RulesFormat,
    },
    /// Show a rule's documentation and examples.
    Explain {
        /// Rule id (AL401) or name (timeout-not-below-interval).
        rule: String,
    },
}

#[derive(clap::Args)]
struct CheckArgs {
    /// Files or directories; `-` reads standard input.
    paths: Vec<String>,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Lowest severity that makes the exit code 1.
    #[arg(long, value_enum, default_value = "error")]
    fail_level: Level,
    /// Run only these rules (ids or names, comma-separated or repeated).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules (ids or names).
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    #[arg(long, value_enum, default_value = "auto")]
    color: Color,
    /// The name to report (and to choose JSON or YAML by) for standard input.
    #[arg(long)]
    stdin_filename: Option<String>,
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum Level {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

pub fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    let rules = match RuleSet::builtin() {
        Ok(rules) => rules,
        Err(error) => return fail(&error.to_string()),
    };
    let result = match args.command {
        Command::Check(check) => run_check(rules, check),
        Command::Rules { format } => {
            let text = match format {
                RulesFormat::Table => apig_lint::rules::docs::table(rules),
                RulesFormat::Markdown => apig_lint::rules::docs::markdown_table(rules),
                RulesFormat::Json => json::rules(rules),
            };
            print(&text).map(|()| ExitCode::SUCCESS)
        }
        Command::Explain { rule } => match rules.find(&rule) {
            Some(index) => print(&apig_lint::rules::docs::explain(rules, index)).map(|()| ExitCode::SUCCESS),
            None => Err(format!("unknown rule `{rule}`; `apig-lint rules` lists them")),
        },
    };
    result.unwrap_or_else(|message| fail(&message))
}

fn fail(message: &str) -> ExitCode {
    eprintln!("apig-lint: {message}");
    ExitCode::from(2)
}

fn print(text: &str) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    // A closed pipe (`apig-lint … | head`) is not an error worth a message.
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(format!("cannot write output: {e}")),
        _ => Ok(()),
    }
}

/// One input to check: a path on disk or standard input.
struct Input {
    name: String,
    /// Named on the command line (always checked) rather than found by walking.
    explicit: bool,
    stdin: bool,
}

fn run_check(rules: &RuleSet, args: CheckArgs) -> Result<ExitCode, String> {
    let engine = Engine::new(rules).with_selection(&args.select, &args.ignore)?;
    let paths = if args.paths.is_empty() { vec![".".to_owned()] } else { args.paths.clone() };
    let mut io_errors = Vec::new();
    let mut inputs = Vec::new();
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
            Err(error) => io_errors.push(error),
        }
    }
    let lint_one = |input: &Input| -> Result<FileReport, String> {
        let bytes = if input.stdin {
            let mut buffer = Vec::new();
            std::io::stdin().read_to_end(&mut buffer).map_err(|e| format!("cannot read standard input: {e}"))?;
            buffer
        } else {
            std::fs::read(&input.name).map_err(|e| format!("cannot read {}: {e}", input.name))?
        };
        Ok(lint_bytes(&engine, &input.name, &bytes, !input.explicit))
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
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let output = match args.format {
        OutputFormat::Human => human::render(rules, &reports, color, terminal_width()),
        OutputFormat::Json => json::render(rules, &reports),
    };
    print(&output)?;
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
    } else if failing {
        1
    } else {
        0
    }))
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}

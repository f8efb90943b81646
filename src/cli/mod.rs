//! Command line: `check`, `rules`, `explain`. Exit codes: 0 clean, 1 findings at or above the
//! fail level, 2 usage, IO or internal error.

mod human;
mod json;
mod lines;
mod walk;

use std::io::{IsTerminal, Read, Write};
use std::process::ExitCode;

use apig_lint::document::Limits;
use apig_lint::rules::{RuleSet, Severity};
use apig_lint::{Engine, FileReport, Options, lint_bytes};
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
    /// Print a JSON Schema (2020-12) of the request body, for editors' language servers.
    Schema,
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
    /// Skip documents that are plainly not VPC channels in named files too, as directory walks do
    /// (for hooks that pass every staged JSON and YAML file).
    #[arg(long)]
    channels_only: bool,
    /// Write the report to this file; the summary line still goes to the terminal.
    #[arg(long, short)]
    output: Option<std::path::PathBuf>,
    /// Exit 0 even when there are findings (usage and IO errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Print findings only, without the summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Print how many findings each rule has instead of the findings (human and concise formats).
    #[arg(long)]
    statistics: bool,
    /// Threads to check files with (default: one per core). Output is the same for any number.
    #[arg(long)]
    threads: Option<usize>,
    /// Largest file read (bytes, or with a KiB/MiB/GiB suffix); a larger one is reported unread.
    #[arg(long, value_parser = parse_size, default_value = "10MiB")]
    max_file_size: u64,
    /// Deepest nesting of collections accepted.
    #[arg(long, default_value_t = Limits::default().max_depth)]
    max_depth: usize,
    /// How many nodes the YAML aliases of one document may stand for in total.
    #[arg(long, default_value_t = Limits::default().alias_budget)]
    alias_budget: u64,
}

/// `1048576`, `512KiB`, `10MiB`, `1GiB` (also `K`, `M`, `G`, `KB`, `MB`, `GB` as binary units).
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (digits, unit) = text.split_at(split);
    let number: u64 = digits.parse().map_err(|_| format!("`{text}` is not a size such as 10MiB"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}` (use KiB, MiB or GiB)")),
    };
    number.checked_mul(factor).ok_or_else(|| format!("`{text}` is too large"))
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum OutputFormat {
    /// miette reports and a summary line
    Human,
    /// the JSON contract: version, diagnostics, summary
    Json,
    /// `file:line:col: severity[id] message`, one a line
    Concise,
    /// GitHub Actions workflow commands (annotations)
    Github,
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
        Command::Schema => {
            let schema = apig_lint::rules::json_schema::generate(rules);
            print(&format!("{}\n", serde_json::to_string_pretty(&schema).unwrap_or_default()))
                .map(|()| ExitCode::SUCCESS)
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
    let limits =
        Limits { max_file_size: args.max_file_size, max_depth: args.max_depth, alias_budget: args.alias_budget };
    let lint_one = |input: &Input| -> Result<FileReport, String> {
        let options = Options { skip_foreign: !input.explicit || args.channels_only, limits };
        let bytes = if input.stdin {
            read_limited(std::io::stdin().lock(), limits.max_file_size)
                .map_err(|e| format!("cannot read standard input: {e}"))?
        } else {
            // Not even opened when it is known to be too large; read no further than the limit.
            let size = std::fs::metadata(&input.name).map(|m| m.len()).unwrap_or(0);
            if size > limits.max_file_size {
                return Ok(apig_lint::lint::oversized(&engine, &input.name, limits.max_file_size));
            }
            let file = std::fs::File::open(&input.name).map_err(|e| format!("cannot read {}: {e}", input.name))?;
            read_limited(file, limits.max_file_size).map_err(|e| format!("cannot read {}: {e}", input.name))?
        };
        Ok(lint_bytes(&engine, &input.name, &bytes, &options))
    };
    if let Some(threads) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads.max(1))
            .build_global()
            .map_err(|e| format!("cannot start {threads} threads: {e}"))?;
    }
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
    let mut output = match (args.format, args.statistics) {
        (OutputFormat::Human | OutputFormat::Concise, true) => lines::statistics(rules, &reports),
        (OutputFormat::Json | OutputFormat::Github, true) => {
            return Err("--statistics works with the human and concise formats".into());
        }
        (OutputFormat::Human, false) => human::render(rules, &reports, color, terminal_width()),
        (OutputFormat::Json, false) => json::render(rules, &reports),
        (OutputFormat::Concise, false) => lines::concise(rules, &reports),
        (OutputFormat::Github, false) => lines::github(rules, &reports),
    };
    let summary = human::summary_line(&json::Summary::of(&reports));
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

/// Reads at most `limit + 1` bytes: enough to tell an oversized input without holding it all.
fn read_limited(reader: impl Read, limit: u64) -> std::io::Result<Vec<u8>> {
    let mut buffer = Vec::new();
    reader.take(limit.saturating_add(1)).read_to_end(&mut buffer)?;
    Ok(buffer)
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS").ok().and_then(|c| c.parse().ok()).filter(|&w| w >= 40).unwrap_or(100)
}

//! Command line: `check`, `rules`, `explain`, `schema`, `config`, `completions`, `man`. Exit codes: 0 clean, 1 findings at or above the
//! fail level, 2 usage, IO or internal error.

mod argv;
mod check;
mod inputs;
mod lsp;
mod read;
mod settings;
mod threads;
mod walk;

use std::io::Write;
use std::process::ExitCode;

use apig_lint::document::Limits;
use apig_lint::rules::RuleSet;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

#[derive(Parser, Debug)]
#[command(name = "apig-lint", about = "Lint Huawei Cloud APIG VPC-channel definitions (JSON and YAML) offline")]
struct Args {
    /// Language of messages, help and rule docs: en or zh-CN (default: the configuration's
    /// `lang`, then LC_ALL, LC_MESSAGES, LANG).
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<apig_lint::Lang>,
    #[command(subcommand)]
    command: Command,
}

fn parse_lang(text: &str) -> Result<apig_lint::Lang, String> {
    apig_lint::Lang::parse(text).ok_or_else(|| format!("`{text}` is not a language apig-lint speaks (en, zh-CN)"))
}

/// The language of this run: `--lang`, then the configuration's, then the locale.
fn choose_lang(flag: Option<apig_lint::Lang>, configured: Option<apig_lint::Lang>) -> apig_lint::Lang {
    flag.or(configured).unwrap_or_else(|| apig_lint::Lang::from_env(|name| std::env::var(name).ok()))
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check files and directories (default: the current directory).
    Check(Box<CheckArgs>),
    /// List the rules.
    Rules {
        #[arg(long, value_enum, default_value = "table")]
        format: RulesFormat,
    },
    /// Print a JSON Schema (2020-12) of the request body, for editors' language servers.
    Schema,
    /// Show the effective configuration and where each value comes from.
    Config {
        /// Print the effective configuration (the only action so far).
        #[arg(long)]
        show: bool,
        /// The file or directory whose configuration to show (default: the current directory).
        #[arg(default_value = ".")]
        path: String,
        /// Show this configuration file instead of the one found from PATH.
        #[arg(long, conflicts_with = "no_config")]
        config: Option<std::path::PathBuf>,
        /// Show the built-in defaults.
        #[arg(long)]
        no_config: bool,
    },
    /// Run the language server on standard input and output (for editors).
    Lsp,
    /// Show a rule's documentation and examples.
    Explain {
        /// Rule id (AL401) or name (timeout-not-below-interval).
        rule: String,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell or elvish).
    ///
    /// bash: `apig-lint completions bash > ~/.local/share/bash-completion/completions/apig-lint`;
    /// zsh: into a directory of `$fpath` as `_apig-lint`; fish: `~/.config/fish/completions/apig-lint.fish`;
    /// PowerShell: `apig-lint completions powershell | Out-String | Invoke-Expression` in `$PROFILE`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `apig-lint man | man -l -`, or `apig-lint man check` for a
    /// subcommand's page.
    Man {
        /// The subcommand whose page to print (default: the page of apig-lint itself).
        subcommand: Option<String>,
    },
}

/// What `--version` says: the version, the commit built from, how many rules, and the date of
/// the API page they follow.
fn version() -> &'static str {
    static LINE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    LINE.get_or_init(|| {
        // Counted, not read: every command line builds this text, and most never need the rules.
        let rules = apig_lint::rules::builtin_rule_count();
        format!(
            "{} (commit {}, {rules} rules, API page of {})",
            env!("CARGO_PKG_VERSION"),
            env!("APIG_LINT_COMMIT"),
            apig_lint::rules::SPEC_PAGE_UPDATED
        )
    })
}

/// The command definition every use shares: parsing, `completions` and `man`.
fn command() -> clap::Command {
    Args::command().version(version())
}

fn completions(shell: clap_complete::Shell) -> Result<ExitCode, String> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut command(), "apig-lint", &mut out);
    print(&String::from_utf8_lossy(&out)).map(|()| ExitCode::SUCCESS)
}

fn man(subcommand: Option<&str>) -> Result<ExitCode, String> {
    let root = command();
    let page = match subcommand {
        None => root,
        Some(name) => {
            let Some(sub) = root.get_subcommands().find(|s| s.get_name() == name) else {
                return Err(format!("unknown subcommand `{name}`; `apig-lint --help` lists them"));
            };
            // Named as git names its pages: apig-lint-check(1).
            let sub = sub.clone();
            let title = format!("apig-lint-{name}");
            sub.name(title.clone()).bin_name(format!("apig-lint {name}")).display_name(title).version(version())
        }
    };
    let mut out = Vec::new();
    clap_mangen::Man::new(page).render(&mut out).map_err(|e| format!("cannot render the manual page: {e}"))?;
    print(&String::from_utf8_lossy(&out)).map(|()| ExitCode::SUCCESS)
}

#[derive(clap::Args, Debug)]
struct CheckArgs {
    /// Files or directories; `-` reads standard input.
    paths: Vec<std::path::PathBuf>,
    #[arg(long, value_enum, default_value = "human")]
    format: OutputFormat,
    /// Lowest severity that makes the exit code 1 (default: the configuration's, else error).
    #[arg(long, value_enum)]
    fail_level: Option<Level>,
    /// Use this configuration file instead of looking for apig-lint.toml from each checked path up.
    #[arg(long, conflicts_with = "no_config")]
    config: Option<std::path::PathBuf>,
    /// Use no configuration file.
    #[arg(long)]
    no_config: bool,
    /// Report only findings that are not in this baseline file.
    #[arg(long, conflicts_with = "write_baseline")]
    baseline: Option<std::path::PathBuf>,
    /// Record today's findings in this baseline file (and exit 0).
    #[arg(long)]
    write_baseline: Option<std::path::PathBuf>,
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
    /// List the files that were skipped as not VPC channels.
    #[arg(long)]
    show_skipped: bool,
    /// Write the report to this file; the summary line still goes to the terminal.
    #[arg(long, short)]
    output: Option<std::path::PathBuf>,
    /// Exit 0 even when there are findings (usage and IO errors still exit 2).
    #[arg(long)]
    exit_zero: bool,
    /// Apply the safe fixes and write the files (standard input: print the fixed document on
    /// standard output and the findings on standard error).
    #[arg(long, overrides_with = "no_fix")]
    fix: bool,
    /// Do not fix, even if the configuration says `fix = true`.
    #[arg(long, overrides_with = "fix")]
    no_fix: bool,
    /// Apply unsafe fixes too (with --fix or --diff), and count them as fixable.
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    unsafe_fixes: bool,
    /// Do not apply unsafe fixes, even if the configuration says `unsafe-fixes = true`.
    #[arg(long, overrides_with = "unsafe_fixes")]
    no_unsafe_fixes: bool,
    /// Print a unified diff of what --fix would write, and write nothing (exit 1 when there is a
    /// change).
    #[arg(long)]
    diff: bool,
    /// Print findings only, without the summary line.
    #[arg(long, short)]
    quiet: bool,
    /// Print how many findings each rule has instead of the findings (human and concise formats).
    #[arg(long)]
    statistics: bool,
    /// Threads to check files with (default: one per core, at most 256). Output is the same for
    /// any number.
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
    /// How long loading and checking one file may take (`500ms`, `5s`); past it, the rest of the
    /// file is reported unchecked.
    #[arg(long, value_parser = humantime::parse_duration, default_value = "5s")]
    time_budget: std::time::Duration,
    /// Most documents of one YAML stream checked; the rest of the file is reported unchecked.
    #[arg(long, default_value_t = Limits::default().max_documents)]
    max_documents: usize,
    /// Most findings reported for one file; past it, one finding says how many were left out.
    #[arg(long, default_value_t = Limits::default().max_findings)]
    max_findings: usize,
    /// Most findings of one rule reported for one file; past it, one finding says so.
    #[arg(long, default_value_t = Limits::default().max_findings_per_rule)]
    max_findings_per_rule: usize,
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

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum, Debug)]
enum OutputFormat {
    /// miette reports and a summary line
    Human,
    /// the JSON contract: version, diagnostics, summary
    Json,
    /// `file:line:col: severity[id] message`, one a line
    Concise,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers
    Sarif,
    /// JUnit XML: a test suite per file, a test case per document, a failure per finding
    Junit,
    /// GitLab Code Quality JSON
    Gitlab,
}

impl OutputFormat {
    /// Does the format print each finding's fingerprint (which hashes the value it is about)?
    fn has_fingerprints(self) -> bool {
        matches!(self, OutputFormat::Sarif | OutputFormat::Gitlab)
    }
}

#[derive(Clone, Copy, ValueEnum, Debug)]
enum RulesFormat {
    Table,
    Json,
    Markdown,
}

#[derive(Clone, Copy, ValueEnum, Debug)]
enum Level {
    Error,
    Warning,
    Info,
}

#[derive(Clone, Copy, ValueEnum, Debug)]
enum Color {
    Auto,
    Always,
    Never,
}

pub fn main() -> ExitCode {
    let args = match parse(std::env::args_os().collect()) {
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
        Command::Check(check_args) => check::run(rules, *check_args, args.lang),
        Command::Rules { format } => {
            let text = match format {
                RulesFormat::Table => apig_lint::rules::docs::table(rules, choose_lang(args.lang, None)),
                RulesFormat::Markdown => apig_lint::rules::docs::markdown_table(rules, choose_lang(args.lang, None)),
                RulesFormat::Json => apig_lint::render::json::rules(rules),
            };
            print(&text).map(|()| ExitCode::SUCCESS)
        }
        Command::Schema => {
            let schema = apig_lint::rules::json_schema::generate(rules, choose_lang(args.lang, None));
            print(&format!("{}\n", serde_json::to_string_pretty(&schema).unwrap_or_default()))
                .map(|()| ExitCode::SUCCESS)
        }
        Command::Config { show, path, config, no_config } => {
            show_config(rules, show, &path, config.as_deref(), no_config)
        }
        Command::Lsp => Ok(lsp::run()),
        Command::Explain { rule } => match rules.find(&rule) {
            Some(index) => print(&apig_lint::rules::docs::explain(rules, index, choose_lang(args.lang, None)))
                .map(|()| ExitCode::SUCCESS),
            None => Err(format!("unknown rule `{rule}`; `apig-lint rules` lists them")),
        },
        Command::Completions { shell } => completions(shell),
        Command::Man { subcommand } => man(subcommand.as_deref()),
    };
    result.unwrap_or_else(|message| fail(&message))
}

/// The command line, parsed: by clap, with the paths of a plain `check` command line taken out
/// first ([`argv::split_paths`]) and put back into the arguments clap made of the rest. Should clap
/// find an error in the rest, it parses the whole command line instead, for its own message.
fn parse(argv: Vec<std::ffi::OsString>) -> Result<Args, clap::Error> {
    let mut definition = command();
    let split = argv::split_paths(&definition, argv);
    // Taken out of the matches rather than copied from them (`from_arg_matches` clones all the
    // matches first).
    let mut parse = |argv: &[std::ffi::OsString]| {
        definition.try_get_matches_from_mut(argv).and_then(|mut matches| Args::from_arg_matches_mut(&mut matches))
    };
    match split {
        Ok(split) => match parse(&split.rest) {
            Ok(mut args) => {
                if let Command::Check(check) = &mut args.command {
                    check.paths = split.paths;
                }
                Ok(args)
            }
            Err(_) => parse(&split.whole()),
        },
        Err(argv) => parse(&argv),
    }
}

fn show_config(
    rules: &RuleSet,
    show: bool,
    path: &str,
    config: Option<&std::path::Path>,
    no_config: bool,
) -> Result<ExitCode, String> {
    if !show {
        // `apig-lint config` alone: its help, as `git config` or `cargo` subcommands do.
        let mut command = command();
        let help = command.find_subcommand_mut("config").map(|c| c.render_help().to_string()).unwrap_or_default();
        return print(&help).map(|()| ExitCode::SUCCESS);
    }
    if std::fs::metadata(path).is_err() {
        return Err(format!("{path}: no such file or directory"));
    }
    let mut settings = settings::Settings::new(rules, config, no_config)?;
    let found = settings.for_path(std::path::Path::new(path))?;
    let config = found.map(|index| &settings.found[index].config);
    print(&apig_lint::config::Config::show(config, rules)).map(|()| ExitCode::SUCCESS)
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

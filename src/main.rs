//! The `apig-lint` binary: parses arguments, finds files and configurations, and writes what the
//! library found and rendered.

#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}

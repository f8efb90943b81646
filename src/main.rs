//! The `apig-lint` binary: parses arguments, walks paths, renders what the library found.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}

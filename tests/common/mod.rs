//! Helpers shared by the integration tests: run the real binary from the crate root.

#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary with `args` in `dir`, its output piped, in English at width 100 whatever the
/// environment (the locale must not change what tests see).
fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_apig-lint"));
    command
        .args(args)
        .current_dir(dir)
        .env("COLUMNS", "100")
        .env_remove("NO_COLOR")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C.UTF-8")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command
}

/// Reads both pipes while the child runs, or a child with much to say blocks on a full pipe.
fn drain(child: &mut std::process::Child) -> (std::thread::JoinHandle<Vec<u8>>, std::thread::JoinHandle<Vec<u8>>) {
    let reader = |mut pipe: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut buffer = Vec::new();
            let _ = pipe.read_to_end(&mut buffer);
            buffer
        })
    };
    let out = child.stdout.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>);
    let err = child.stderr.take().map(|p| Box::new(p) as Box<dyn std::io::Read + Send>);
    (reader(out.expect("piped stdout")), reader(err.expect("piped stderr")))
}

/// Runs `apig-lint` with `args` in `dir`, feeding `stdin`.
pub fn run_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = command(dir, args)
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .spawn()
        .expect("the binary starts");
    let (out_reader, err_reader) = drain(&mut child);
    if let Some(bytes) = stdin {
        // The child may exit before reading everything; that is its business.
        let _ = child.stdin.take().expect("piped stdin").write_all(bytes);
    }
    // A watchdog, not a speed test: a hang is killed and reported instead of stalling the suite.
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be polled") {
            break status;
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            panic!("apig-lint {args:?} hung for two minutes and was killed");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Output {
        status,
        stdout: out_reader.join().expect("stdout reader"),
        stderr: err_reader.join().expect("stderr reader"),
    }
}

pub fn run(args: &[&str]) -> Output {
    run_in(&root(), args, None)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", stdout(output)))
}

/// Path of `file` relative to the crate root, with forward slashes.
pub fn relative(file: &Path) -> String {
    file.strip_prefix(root()).unwrap_or(file).to_string_lossy().replace('\\', "/")
}

/// The rule a sample belongs to: `samples/rules/<name>/…`.
pub fn sample_rule(relative: &str) -> Option<&str> {
    relative.strip_prefix("samples/rules/")?.split('/').next()
}

/// What [`run_watched`] saw: the output, the wall time and the peak resident memory.
pub struct Watched {
    pub output: Output,
    pub elapsed: Duration,
    /// Peak resident set in KiB (`VmHWM`, sampled while the process runs; 0 where `/proc` is
    /// missing).
    pub peak_kib: u64,
}

/// Runs `apig-lint` under a watchdog that kills it after `limit` (and fails the test), sampling
/// its peak memory as it goes. Not a speed test: the limits are generous ceilings that a
/// quadratic pass or an unbounded buffer blows through by an order of magnitude.
pub fn run_watched(dir: &Path, args: &[&str], limit: Duration) -> Watched {
    let mut child = command(dir, args).stdin(Stdio::null()).spawn().expect("the binary starts");
    let (out_reader, err_reader) = drain(&mut child);
    let status_file = format!("/proc/{}/status", child.id());
    let started = Instant::now();
    let mut peak_kib = 0;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kib = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
            peak_kib = peak_kib.max(kib);
        }
        if let Some(status) = child.try_wait().expect("the child can be polled") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("apig-lint {args:?} ran past its {limit:?} watchdog and was killed (peak {peak_kib} KiB)");
        }
        std::thread::sleep(Duration::from_millis(2));
    };
    let elapsed = started.elapsed();
    Watched {
        output: Output {
            status,
            stdout: out_reader.join().expect("stdout reader"),
            stderr: err_reader.join().expect("stderr reader"),
        },
        elapsed,
        peak_kib,
    }
}

/// A fresh, empty directory for one test (unique per test process and name).
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("apig-lint-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Writes `text` to `dir/name`, making the directories on the way.
pub fn write(dir: &Path, name: &str, text: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

//! Embeds every file under `rules/` (and the rule samples, shown by `apig-lint explain`) so the
//! binary needs no data files at run time. Files are discovered, never listed by hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::{env, fs};

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// Rule files are TOML for people; the binary embeds them as JSON, which reads several times
/// faster at start-up. A file that is not valid TOML fails the build, naming the file.
///
/// The prose (docs, sources, messages, field descriptions: three quarters of the bytes) is not
/// parsed at start-up at all: each such string becomes a string literal of the `TEXTS` table, and
/// the JSON holds its index there (`rules::text::prose` reads either form).
fn rule_as_json(file: &Path, texts: &mut Vec<String>) -> String {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let mut value = serde_json::to_value(&table).unwrap();
    let mut intern = |value: &mut serde_json::Value, keys: &[&str]| {
        for key in keys {
            if let Some(slot) = value.get_mut(*key)
                && let Some(text) = slot.as_str()
            {
                texts.push(text.to_owned());
                *slot = serde_json::Value::from(texts.len() - 1);
            }
        }
    };
    // The places `rules::Rule`, `rules::Texts`, `rules::ObjectDef` and `rules::FieldDef` read prose.
    intern(&mut value, &["summary", "message", "help", "source", "docs"]);
    if let Some(zh) = value.get_mut("zh-CN") {
        intern(zh, &["summary", "message", "help", "docs"]);
    }
    for field in value.get_mut("field").and_then(|f| f.as_array_mut()).into_iter().flatten() {
        intern(field, &["doc", "doc_zh"]);
    }
    serde_json::to_string(&value).unwrap()
}

fn embed(root: &Path, dir: &str, name: &str, code: &mut String, texts: &mut Vec<String>) {
    let mut files = Vec::new();
    collect(&root.join(dir), &mut files);
    files.sort();
    println!("cargo:rerun-if-changed={dir}");
    writeln!(code, "pub static {name}: &[(&str, &str)] = &[").unwrap();
    for file in files {
        // Samples of broken encodings cannot be embedded as text; they are still tested from disk.
        if fs::read(&file).map(|b| String::from_utf8(b).is_err()).unwrap_or(true) {
            continue;
        }
        let relative = file.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        if relative.ends_with(".toml") {
            let json = rule_as_json(&file, texts);
            writeln!(code, "    (\"{relative}.json\", {json:?}),").unwrap();
        } else {
            writeln!(code, "    ({relative:?}, include_str!({:?})),", file.display().to_string()).unwrap();
        }
        println!("cargo:rerun-if-changed={}", file.display());
    }
    writeln!(code, "];").unwrap();
}

/// Runs git in `root`; `None` when git is missing, `root` is no checkout, or git fails.
fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").arg("-C").arg(root).args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

/// The commit the binary is built from, for `--version`: `APIG_LINT_COMMIT` when set (a release
/// built from a source archive), else git's, else "unknown". Never fails the build.
fn commit(root: &Path) -> String {
    println!("cargo:rerun-if-env-changed=APIG_LINT_COMMIT");
    if let Ok(commit) = env::var("APIG_LINT_COMMIT")
        && commit.chars().any(|c| c.is_ascii_graphic())
    {
        // A full hash (`github.sha`) is shortened as git would.
        let commit: String = commit.chars().filter(char::is_ascii_graphic).take(40).collect();
        let hex = commit.chars().all(|c| c.is_ascii_hexdigit());
        return if hex { commit.chars().take(12).collect() } else { commit };
    }
    // Only this repository's own checkout counts, not one the sources happen to sit in (a vendored
    // copy inside another project).
    let toplevel = git(root, &["rev-parse", "--show-toplevel"]).and_then(|t| fs::canonicalize(t).ok());
    if toplevel.is_none() || toplevel != fs::canonicalize(root).ok() {
        return "unknown".to_owned();
    }
    let Some(hash) = git(root, &["rev-parse", "--short=12", "HEAD"]) else {
        return "unknown".to_owned();
    };
    // Rebuild when HEAD moves: HEAD itself, the branch it names, and packed refs. Only files that
    // exist are named (cargo reruns a script on every build for a missing one).
    let mut watched = Vec::new();
    if let Some(dir) = git(root, &["rev-parse", "--absolute-git-dir"]) {
        watched.push(PathBuf::from(dir).join("HEAD"));
    }
    if let (Some(common), Some(branch)) =
        (git(root, &["rev-parse", "--git-common-dir"]), git(root, &["symbolic-ref", "-q", "HEAD"]))
    {
        let common = root.join(common);
        watched.push(common.join(branch));
        watched.push(common.join("packed-refs"));
    }
    for path in watched.iter().filter(|p| p.is_file()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    hash
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    println!("cargo:rustc-env=APIG_LINT_COMMIT={}", commit(&root));
    let mut code = String::new();
    let mut texts = Vec::new();
    embed(&root, "rules", "RULE_FILES", &mut code, &mut texts);
    embed(&root, "samples/rules", "SAMPLE_FILES", &mut code, &mut texts);
    writeln!(code, "pub static TEXTS: &[&str] = &{texts:?};").unwrap();
    fs::write(PathBuf::from(env::var("OUT_DIR").unwrap()).join("embedded.rs"), code).unwrap();
}

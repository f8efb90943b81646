//! Compiles every file under `rules/` into the binary as Rust data (and embeds the rule samples,
//! shown by `apig-lint explain`), so the binary needs no data files and reads none at start-up.

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

/// The rule data's types, shared with the library.
#[path = "src/rules/model.rs"]
#[allow(dead_code)]
mod model;

/// Rule files are TOML for people; the binary holds them as Rust: `RULES` and `OBJECTS` are
/// `&'static` data written by databake from the files read into the library's own types
/// (`rules::model`), so start-up reads nothing. Files are discovered, never listed by hand.
fn rule_tables(root: &Path, code: &mut String) {
    let mut files = Vec::new();
    collect(&root.join("rules"), &mut files);
    files.retain(|f| f.extension().is_some_and(|e| e == "toml"));
    files.sort();
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=src/rules/model.rs");
    let mut texts = Vec::new();
    for file in &files {
        println!("cargo:rerun-if-changed={}", file.display());
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let relative = file.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        texts.push((relative, text));
    }
    // A file that is not valid (TOML, or rule data) fails the build, naming the file.
    let (rules, objects) =
        model::read(texts.iter().map(|(path, text)| (path.as_str(), text.as_str()))).unwrap_or_else(|e| panic!("{e}"));
    let env = databake::CrateEnv::default();
    let baked_rules = databake::Bake::bake(&rules.as_slice(), &env);
    let baked_objects = databake::Bake::bake(&objects.as_slice(), &env);
    writeln!(code, "pub static RULES: &[crate::rules::model::Rule] = {baked_rules};").unwrap();
    writeln!(code, "pub static OBJECTS: &[crate::rules::model::ObjectDef] = {baked_objects};").unwrap();
    let by_length: Vec<String> = names_by_length(&objects).iter().map(|names| format!("&{names:?}")).collect();
    writeln!(code, "pub static NAMES_BY_LENGTH: &[&[&str]] = &[{}];", by_length.join(", ")).unwrap();
}

/// Every field name of the tables, by length (then by name): a document's keys that are field
/// names are not allocated one by one.
fn names_by_length(objects: &[model::ObjectDef]) -> Vec<Vec<String>> {
    let mut names: Vec<String> = objects.iter().flat_map(|o| o.fields.iter()).map(|f| f.name.to_string()).collect();
    names.sort_by(|a, b| a.len().cmp(&b.len()).then(a.cmp(b)));
    names.dedup();
    let mut by_length = vec![Vec::new(); names.last().map_or(0, String::len) + 1];
    for name in names {
        by_length[name.len()].push(name);
    }
    by_length
}

/// Embeds the rule samples as text, shown by `apig-lint explain`.
fn samples(root: &Path, code: &mut String) {
    let mut files = Vec::new();
    collect(&root.join("samples/rules"), &mut files);
    files.sort();
    println!("cargo:rerun-if-changed=samples/rules");
    writeln!(code, "pub static SAMPLE_FILES: &[(&str, &str)] = &[").unwrap();
    for file in files {
        // Samples of broken encodings cannot be embedded as text; they are still tested from disk.
        if fs::read(&file).map(|b| String::from_utf8(b).is_err()).unwrap_or(true) {
            continue;
        }
        let relative = file.strip_prefix(root).unwrap().to_string_lossy().replace('\\', "/");
        writeln!(code, "    ({relative:?}, include_str!({:?})),", file.display().to_string()).unwrap();
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
    rule_tables(&root, &mut code);
    samples(&root, &mut code);
    fs::write(PathBuf::from(env::var("OUT_DIR").unwrap()).join("embedded.rs"), code).unwrap();
}

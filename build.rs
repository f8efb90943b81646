//! Embeds every file under `rules/` (and the rule samples, shown by `apig-lint explain`) so the
//! binary needs no data files at run time. Files are discovered, never listed by hand.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
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
fn rule_as_json(file: &Path) -> String {
    let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let table: toml::Table = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    serde_json::to_string(&table).unwrap()
}

fn embed(root: &Path, dir: &str, name: &str, code: &mut String) {
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
            let json = rule_as_json(&file);
            writeln!(code, "    (\"{relative}.json\", {json:?}),").unwrap();
        } else {
            writeln!(code, "    ({relative:?}, include_str!({:?})),", file.display().to_string()).unwrap();
        }
        println!("cargo:rerun-if-changed={}", file.display());
    }
    writeln!(code, "];").unwrap();
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut code = String::new();
    embed(&root, "rules", "RULE_FILES", &mut code);
    embed(&root, "samples/rules", "SAMPLE_FILES", &mut code);
    fs::write(PathBuf::from(env::var("OUT_DIR").unwrap()).join("embedded.rs"), code).unwrap();
}

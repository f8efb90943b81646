//! Expands command-line paths into files: directories recursively over `*.json`, `*.yaml` and
//! `*.yml`, honouring `.gitignore` and skipping hidden entries; sorted, so output is stable.

use std::path::Path;

const EXTENSIONS: &[&str] = &["json", "yaml", "yml"];

/// The files under `path` with whether each was named explicitly.
pub fn expand(path: &str) -> Result<Vec<(String, bool)>, String> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("{path}: no such file or directory"),
        _ => format!("{path}: {e}"),
    })?;
    if !meta.is_dir() {
        return Ok(vec![(path.to_owned(), true)]);
    }
    let mut files = Vec::new();
    let walker =
        ignore::WalkBuilder::new(path).hidden(true).git_ignore(true).require_git(false).follow_links(false).build();
    for entry in walker {
        let Ok(entry) = entry else { continue };
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let file = entry.path();
        let wanted = file
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.iter().any(|x| x.eq_ignore_ascii_case(e)));
        if wanted {
            files.push(display(file));
        }
    }
    files.sort();
    Ok(files.into_iter().map(|f| (f, false)).collect())
}

fn display(path: &Path) -> String {
    let text = path.to_string_lossy();
    text.strip_prefix("./").unwrap_or(&text).to_owned()
}

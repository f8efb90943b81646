//! Expands command-line paths into files: directories recursively over `*.json`, `*.yaml` and
//! `*.yml`, honouring `.gitignore`, skipping hidden entries and following symbolic links to files
//! (not to directories); sorted, so output is stable. Paths stay OS paths (a file name need not be
//! UTF-8); [`display`] is how one is shown.

use std::path::{Path, PathBuf};

use apig_lint::read::Seen;

/// The endings of the files a walk checks, compared in any case.
const ENDINGS: [&[u8]; 3] = [b".json", b".yaml", b".yml"];

/// A file to check, as the walk found it.
pub struct Found {
    pub path: PathBuf,
    /// Named on the command line rather than found in a directory.
    pub explicit: bool,
    /// What the walk already knows of it, so that reading it does not look again.
    pub seen: Seen,
}

/// What a path named on the command line stands for.
pub enum Expanded {
    /// A file, or anything else that is not a directory (refused when it is read).
    File(Found),
    /// A directory's files, in walk order, and the errors met walking it (an unreadable
    /// directory, a path too long): each is reported, none stops the walk.
    Dir(Vec<Found>, Vec<String>),
    /// The path cannot be looked at (it does not exist, say).
    Error(String),
}

/// The files `path` stands for: itself, or a directory's files walked recursively.
pub fn expand(path: PathBuf) -> Expanded {
    let meta = match std::fs::metadata(&path) {
        Ok(meta) => meta,
        Err(e) => return Expanded::Error(path_error(&path, &e)),
    };
    if !meta.is_dir() {
        // Anything but a regular file is looked at again, and refused, when it is read.
        let seen = if meta.is_file() { Seen::Stat { len: meta.len() } } else { Seen::Unknown };
        return Expanded::File(Found { path, explicit: true, seen });
    }
    let path = path.as_path();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    let walker =
        ignore::WalkBuilder::new(path).hidden(true).git_ignore(true).require_git(false).follow_links(false).build();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                errors.push(format!("cannot walk {}", apig_lint::escape::text(&error.to_string())));
                continue;
            }
        };
        let Some(kind) = entry.file_type() else { continue };
        let file = entry.path();
        if kind.is_dir() || !has_channel_extension(file) {
            continue;
        }
        let Some(seen) = seen_in_walk(kind, file) else { continue };
        files.push(Found { path: file.strip_prefix("./").unwrap_or(file).to_path_buf(), explicit: false, seen });
    }
    files.sort_unstable_by(|a, b| walk_order(&a.path, &b.path));
    errors.sort();
    Expanded::Dir(files, errors)
}

/// What a walk knows of a channel file's name it met, of this type: a regular file is read as
/// seen. A symbolic link is followed to a file (as ruff does), read through as when it is named,
/// and reported under its own name; one to a directory is not walked into (a link can lead out
/// of the tree, or back into it: `None`, skipped). Anything else the name leads to (a link that
/// leads nowhere, a FIFO, a device) is looked at when it is read, and reported as unreadable
/// there rather than passed over without a word.
fn seen_in_walk(kind: std::fs::FileType, file: &Path) -> Option<Seen> {
    if kind.is_file() {
        return Some(Seen::RegularFile);
    }
    if kind.is_symlink() && std::fs::metadata(file).is_ok_and(|meta| meta.is_dir()) {
        return None;
    }
    Some(Seen::Unknown)
}

/// The error for a path that cannot be looked at: `x.json: no such file or directory`.
pub fn path_error(path: &Path, error: &std::io::Error) -> String {
    if error.kind() == std::io::ErrorKind::NotFound {
        format!("{}: no such file or directory", display(path))
    } else {
        format!("{}: {error}", display(path))
    }
}

/// Does the path name a file a walk would check (`*.json`, `*.yaml`, `*.yml`, in any case)? As
/// `Path::extension` tells it (a name that is only the ending, `.json`, has none), compared on the
/// bytes: parsing the components was a third of the cost of gathering 2,000 named paths.
pub fn has_channel_extension(path: &Path) -> bool {
    let bytes = path.as_os_str().as_encoded_bytes();
    ENDINGS.iter().any(|end| {
        let Some(stem) = bytes.len().checked_sub(end.len()) else { return false };
        stem > 0 && !std::path::is_separator(char::from(bytes[stem - 1])) && bytes[stem..].eq_ignore_ascii_case(end)
    })
}

/// `Path`'s own order (component by component), compared on the bytes: with `/` ranked below
/// every other byte, that is the same order for the normalised paths a walk gives (no `.`, no
/// doubled or trailing separators), without splitting each path into components at every
/// comparison (which was most of the walk on 2,000 files).
#[cfg(unix)]
fn walk_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    use std::os::unix::ffi::OsStrExt;
    let (a, b) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
    // Sibling paths share a long prefix: skip it eight bytes at a time.
    let whole = a.chunks_exact(8).zip(b.chunks_exact(8)).take_while(|(x, y)| x == y).count() * 8;
    let common = whole + a[whole..].iter().zip(&b[whole..]).take_while(|(x, y)| x == y).count();
    let rank = |byte: u8| if byte == b'/' { 0 } else { byte };
    match (a.get(common), b.get(common)) {
        (Some(&x), Some(&y)) => rank(x).cmp(&rank(y)),
        _ => a.len().cmp(&b.len()),
    }
}

#[cfg(not(unix))]
fn walk_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    a.cmp(b)
}

/// A path as reports name it: without a leading `./`, and with any bytes that are not UTF-8
/// written as `\xFF` (so two names that differ only there stay two names).
pub fn display(path: &Path) -> String {
    // Nearly every path is UTF-8: written out as it is, with one copy.
    if let Some(text) = path.to_str() {
        return text.strip_prefix("./").unwrap_or(text).to_owned();
    }
    let text = os_text(path);
    text.strip_prefix("./").map(str::to_owned).unwrap_or(text)
}

#[cfg(unix)]
fn os_text(path: &Path) -> String {
    use std::os::unix::ffi::OsStrExt;
    let mut out = String::new();
    for chunk in path.as_os_str().as_bytes().utf8_chunks() {
        out.push_str(chunk.valid());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02X}"));
        }
    }
    out
}

#[cfg(not(unix))]
fn os_text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    /// The byte comparison tells a channel file's name as `Path::extension` does.
    #[test]
    fn channel_extensions_are_those_of_path_extension() {
        use std::path::Path;
        let names = [
            "a.json",
            "a.JSON",
            "b.Yaml",
            "c.yml",
            "dir/d.yaml",
            ".json",
            "dir/.yml",
            "x",
            "json",
            "a.jsonl",
            "a.json.bak",
            "a..json",
            "a.yml/",
            "dir.json/x",
            "a.ym",
            "a.yaml.",
        ];
        for name in names {
            let by_extension = Path::new(name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| ["json", "yaml", "yml"].iter().any(|x| x.eq_ignore_ascii_case(e)));
            let trailing_separator = name.ends_with('/');
            assert_eq!(super::has_channel_extension(Path::new(name)), by_extension && !trailing_separator, "{name}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn walk_order_is_path_order() {
        use std::path::PathBuf;
        let names =
            ["a/b", "a/b/c", "ab", "a.b/c", "a/c", "a-b", "a/b-c", "a/b/c/d", "b", "a/\u{e9}", "a/z", "a/B", "a"];
        let mut by_path: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut by_bytes = by_path.clone();
        by_path.sort();
        by_bytes.sort_unstable_by(|a, b| super::walk_order(a, b));
        assert_eq!(by_path, by_bytes);
    }

    /// The walk's order is `Path`'s, whatever order the directory lists its entries in (a
    /// walker that sorts each directory by name gives it too, but cost twice the whole walk).
    #[test]
    fn a_walk_is_in_path_order() {
        let dir = std::env::temp_dir().join(format!("apig-lint-walk-{}", std::process::id()));
        let names = ["a/b.json", "a/b/c.json", "ab.json", "a.b/c.json", "a/c.json", "a-b.json", "a/b-c.json", "b.yaml"];
        for name in names {
            let file = dir.join(name);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(&file, "{}").unwrap();
        }
        let super::Expanded::Dir(walked, errors) = super::expand(dir.clone()) else { panic!("not walked") };
        let walked: Vec<_> = walked.into_iter().map(|found| found.path).collect();
        let mut sorted = walked.clone();
        sorted.sort();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(walked.len(), names.len());
        assert_eq!(walked, sorted);
    }

    /// A link to a file is walked as a file of its own name, looked at when read; a link to a
    /// directory is not walked into; a link that leads nowhere and a FIFO are kept, to be reported
    /// as unreadable when read, not passed over.
    #[cfg(unix)]
    #[test]
    fn a_walk_follows_links_to_files_only() {
        use apig_lint::read::Seen;
        use std::os::unix::fs::symlink;
        let dir = std::env::temp_dir().join(format!("apig-lint-walk-links-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sub")).unwrap();
        std::fs::write(dir.join("a.json"), "{}").unwrap();
        std::fs::write(dir.join("sub/c.yaml"), "{}").unwrap();
        symlink(dir.join("a.json"), dir.join("link.json")).unwrap();
        symlink(dir.join("missing.json"), dir.join("dangling.yaml")).unwrap();
        symlink(dir.join("sub"), dir.join("linked-dir.json")).unwrap();
        symlink(dir.join("sub"), dir.join("linked-dir")).unwrap();
        let fifo = std::process::Command::new("mkfifo").arg(dir.join("pipe.json")).status().is_ok_and(|s| s.success());
        let super::Expanded::Dir(walked, errors) = super::expand(dir.clone()) else { panic!("not walked") };
        let walked: Vec<(String, Seen)> = walked
            .into_iter()
            .map(|found| (found.path.strip_prefix(&dir).unwrap().display().to_string(), found.seen))
            .collect();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(errors.is_empty(), "{errors:?}");
        let mut expected = vec![
            ("a.json".to_owned(), Seen::RegularFile),
            ("dangling.yaml".to_owned(), Seen::Unknown),
            ("link.json".to_owned(), Seen::Unknown),
            ("sub/c.yaml".to_owned(), Seen::RegularFile),
        ];
        if fifo {
            expected.insert(3, ("pipe.json".to_owned(), Seen::Unknown));
        }
        assert_eq!(walked, expected);
    }

    #[cfg(unix)]
    #[test]
    fn names_that_are_not_utf8_are_shown_byte_for_byte() {
        use std::ffi::OsStr;
        use std::os::unix::ffi::OsStrExt;
        let broken = std::path::Path::new(OsStr::from_bytes(b"./dir/a\xff.json"));
        assert_eq!(super::display(broken), "dir/a\\xFF.json");
        assert_ne!(super::display(broken), super::display(std::path::Path::new("dir/a\u{FFFD}.json")));
    }
}

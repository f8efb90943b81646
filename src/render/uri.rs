//! File names as the machine formats want them: relative to the repository root (SARIF, GitLab)
//! and percent-encoded where a URI is expected.

use std::path::{Component, Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What RFC 3986 lets stand unencoded in a path segment, besides letters and digits.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Where paths are made relative to: a root directory (the enclosing git work tree, say), with the
/// working directory that relative paths start from. Pure: the binary finds both.
pub struct Base {
    cwd: PathBuf,
    root: PathBuf,
}

impl Base {
    pub fn new(cwd: PathBuf, root: PathBuf) -> Self {
        Base { cwd, root }
    }

    /// The path relative to the root with `/` separators, or `None` when it lies outside.
    pub fn relative(&self, path: &str) -> Option<String> {
        self.relative_path(Path::new(path))
    }

    /// [`Base::relative`] of an OS path.
    pub fn relative_path(&self, path: &Path) -> Option<String> {
        let absolute = lexical(&self.cwd, path);
        let rest = absolute.strip_prefix(&self.root).ok()?;
        let parts: Vec<String> = rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        Some(parts.join("/"))
    }

    /// The path made absolute against the working directory, lexically.
    pub fn absolute(&self, path: &str) -> String {
        lexical(&self.cwd, Path::new(path)).to_string_lossy().into_owned()
    }

    /// A URI for the file: relative to the root when it lies inside, else `file://`.
    pub fn uri(&self, path: &str) -> String {
        match self.relative(path) {
            Some(relative) => encode(&relative),
            None => format!("file://{}", encode(&lexical(&self.cwd, Path::new(path)).to_string_lossy())),
        }
    }
}

/// `path` made absolute against `cwd`, with `.` removed and `..` folded, without touching the
/// file system.
pub fn lexical(cwd: &Path, path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in cwd.join(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Percent-encodes each `/`-separated segment.
pub(crate) fn encode(path: &str) -> String {
    path.split('/').map(|segment| utf8_percent_encode(segment, SEGMENT).to_string()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::{Base, encode};
    use std::path::PathBuf;

    #[test]
    fn paths_are_made_relative_to_the_root_lexically() {
        let base = Base::new(PathBuf::from("/repo/channels"), PathBuf::from("/repo"));
        assert_eq!(base.relative("./a/../b.yaml").as_deref(), Some("channels/b.yaml"));
        assert_eq!(base.uri("../x y.json"), "x%20y.json");
        assert_eq!(base.uri("/elsewhere/a.json"), "file:///elsewhere/a.json");
    }

    #[test]
    fn segments_are_percent_encoded_and_slashes_kept() {
        assert_eq!(encode("channels/orders v2/100%.yaml"), "channels/orders%20v2/100%25.yaml");
        assert_eq!(encode("渠道/a#b.json"), "%E6%B8%A0%E9%81%93/a%23b.json");
    }
}

//! File names as the machine formats want them: relative to the repository root (SARIF, GitLab)
//! and percent-encoded where a URI is expected.

use std::path::{Path, PathBuf};

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use super::settings::absolute;

/// What RFC 3986 lets stand unencoded in a path segment, besides letters and digits.
const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Where paths are made relative to: the enclosing git work tree of the current directory, or
/// the current directory itself.
pub struct Base {
    root: Option<PathBuf>,
}

impl Base {
    pub fn discover() -> Self {
        let cwd = std::env::current_dir().ok();
        let root =
            cwd.as_deref().and_then(|cwd| cwd.ancestors().find(|dir| dir.join(".git").exists())).map(Path::to_path_buf);
        Base { root: root.or(cwd) }
    }

    /// The path relative to the base with `/` separators, or `None` when it lies outside.
    pub fn relative(&self, path: &str) -> Option<String> {
        let absolute = absolute(Path::new(path));
        let rest = absolute.strip_prefix(self.root.as_ref()?).ok()?;
        let parts: Vec<String> = rest.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        Some(parts.join("/"))
    }

    /// A URI for the file: relative to the repository root when it lies inside, else `file://`.
    pub fn uri(&self, path: &str) -> String {
        match self.relative(path) {
            Some(relative) => encode(&relative),
            None => format!("file://{}", encode(&absolute(Path::new(path)).to_string_lossy())),
        }
    }
}

/// Percent-encodes each `/`-separated segment.
pub fn encode(path: &str) -> String {
    path.split('/').map(|segment| utf8_percent_encode(segment, SEGMENT).to_string()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::encode;

    #[test]
    fn segments_are_percent_encoded_and_slashes_kept() {
        assert_eq!(encode("channels/orders v2/100%.yaml"), "channels/orders%20v2/100%25.yaml");
        assert_eq!(encode("渠道/a#b.json"), "%E6%B8%A0%E9%81%93/a%23b.json");
    }
}

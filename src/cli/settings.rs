//! Where the binary's outputs name files from. Finding configurations is the library's
//! ([`apig_lint::settings`]), shared with the language server.

use apig_lint::render::uri::{Base, lexical};
pub use apig_lint::settings::Settings;

/// What SARIF and GitLab paths are relative to: the git work tree around the working directory,
/// else the working directory itself.
/// Baseline entries name files relative to the baseline file's own directory.
pub fn baseline_base(baseline: &std::path::Path) -> Base {
    let cwd = std::env::current_dir().unwrap_or_default();
    let file = lexical(&cwd, baseline);
    let root = file.parent().map_or_else(|| cwd.clone(), std::path::Path::to_path_buf);
    Base::new(cwd, root)
}

pub fn uri_base() -> Base {
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = cwd.ancestors().find(|dir| dir.join(".git").exists()).unwrap_or(&cwd).to_path_buf();
    Base::new(cwd, root)
}

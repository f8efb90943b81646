//! Finding and reading configuration files (for the CLI and the language server alike): from each checked path upwards, the first directory
//! holding `apig-lint.toml` or `.apig-lint.toml`; or the file `--config` names; or none with
//! `--no-config`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::config::{Config, FILE_NAMES};
use crate::render::uri::{Base, lexical};
use crate::rules::RuleSet;

/// A configuration with the directory its globs are relative to.
pub struct Found {
    pub config: Config,
    pub dir: PathBuf,
    /// The file it was read from.
    pub path: PathBuf,
}

/// A file's place in its configuration ([`Settings::place`]).
pub struct Placement {
    pub config: Option<usize>,
    pub relative: Option<String>,
    pub selected: bool,
    pub included: bool,
}

/// Every configuration a run uses, and which one each directory resolved to.
pub struct Settings<'r> {
    rules: &'r RuleSet,
    pub found: Vec<Found>,
    fixed: Option<Option<usize>>,
    by_dir: HashMap<PathBuf, Option<usize>>,
    by_file: HashMap<PathBuf, usize>,
    cwd: PathBuf,
    /// The directory, as given, of the last file looked up, and its answer: the walk gives the
    /// files of a directory one after another.
    last_dir: Option<(PathBuf, Option<usize>)>,
}

impl<'r> Settings<'r> {
    /// Configurations found from each path upwards, as the CLI without `--config` finds them.
    pub fn discover(rules: &'r RuleSet) -> Self {
        Settings {
            rules,
            found: Vec::new(),
            fixed: None,
            by_dir: HashMap::new(),
            by_file: HashMap::new(),
            cwd: std::env::current_dir().unwrap_or_default(),
            last_dir: None,
        }
    }

    /// `explicit`: the `--config` file; `disabled`: `--no-config`.
    pub fn new(rules: &'r RuleSet, explicit: Option<&Path>, disabled: bool) -> Result<Self, String> {
        let mut settings = Settings::discover(rules);
        if disabled {
            settings.fixed = Some(None);
        } else if let Some(path) = explicit {
            let index = settings.read(path)?;
            settings.fixed = Some(Some(index));
        }
        Ok(settings)
    }

    /// The configuration for a file or directory (or standard input named `path`), if any.
    pub fn for_path(&mut self, path: &Path) -> Result<Option<usize>, String> {
        if let Some(fixed) = self.fixed {
            return Ok(fixed);
        }
        let absolute = lexical(&self.cwd, path);
        let start = match absolute.parent() {
            Some(parent) if !absolute.is_dir() => parent.to_path_buf(),
            _ => absolute.clone(),
        };
        self.for_dir(&start)
    }

    /// [`Settings::for_path`] for a path known to name a file (found by the walk), without
    /// looking at it again.
    pub fn for_file(&mut self, path: &Path) -> Result<Option<usize>, String> {
        if let Some(fixed) = self.fixed {
            return Ok(fixed);
        }
        let given = path.parent();
        if let (Some(given), Some((dir, found))) = (given, &self.last_dir)
            && given == dir
        {
            return Ok(*found);
        }
        let absolute = lexical(&self.cwd, path);
        let found = match absolute.parent() {
            Some(parent) => self.for_dir(parent)?,
            None => self.for_dir(&absolute)?,
        };
        self.last_dir = given.map(|dir| (dir.to_path_buf(), found));
        Ok(found)
    }

    /// Where a file stands in its configuration: which one (if any), the path relative to its
    /// directory, whether the file is checked at all (`named`: given by name, which `exclude`
    /// alone can drop), and whether `include` names it (then it is a channel, not sniffed).
    /// `known_file`: the walk has just seen it as a file ([`Settings::for_file`]).
    pub fn place(&mut self, path: &Path, known_file: bool, named: bool) -> Result<Placement, String> {
        let config = if known_file { self.for_file(path)? } else { self.for_path(path)? };
        let relative = config.map(|c| self.relative(c, path));
        let (selected, included) = match (config, &relative) {
            (Some(c), Some(relative)) => {
                let found = &self.found[c].config;
                (found.selects(relative, named), found.includes(relative))
            }
            _ => (true, false),
        };
        Ok(Placement { config, relative, selected, included })
    }

    /// What a file's configuration says of it (levels, suppressions, fixes), where it has one;
    /// `relative` is the file's path from that configuration's directory.
    pub fn policy(&self, config: Option<usize>, relative: Option<&str>) -> Option<crate::lint::FilePolicy> {
        Some(self.found.get(config?)?.config.policy(relative?))
    }

    fn for_dir(&mut self, dir: &Path) -> Result<Option<usize>, String> {
        if let Some(&known) = self.by_dir.get(dir) {
            return Ok(known);
        }
        // Anything by a configuration's name counts (a FIFO there is refused when read, not
        // passed over for a file further up).
        let present: Vec<PathBuf> =
            FILE_NAMES.iter().map(|name| dir.join(name)).filter(|p| std::fs::metadata(p).is_ok()).collect();
        // The search stops at the repository root (a `.git` directory, or a `.git` file in a work
        // tree or submodule): a configuration above it belongs to someone else.
        let repository_root = std::fs::symlink_metadata(dir.join(".git")).is_ok();
        let found = match present.as_slice() {
            [] if repository_root => None,
            [] => match dir.parent() {
                Some(parent) => self.for_dir(parent)?,
                None => None,
            },
            [one] => Some(self.read(one)?),
            [first, second, ..] => {
                return Err(format!("both {} and {} exist; keep one", first.display(), second.display()));
            }
        };
        self.by_dir.insert(dir.to_path_buf(), found);
        Ok(found)
    }

    fn read(&mut self, path: &Path) -> Result<usize, String> {
        let absolute = lexical(&self.cwd, path);
        if let Some(&index) = self.by_file.get(&absolute) {
            return Ok(index);
        }
        let text = crate::read::text(path, crate::read::MAX_CONFIG)?;
        // Named in messages relative to the working directory when inside it.
        let shown = Base::new(self.cwd.clone(), self.cwd.clone()).relative(&absolute.to_string_lossy());
        let config = Config::parse(&shown.unwrap_or_else(|| absolute.display().to_string()), &text, self.rules)?;
        let dir = absolute.parent().map_or_else(|| PathBuf::from("/"), Path::to_path_buf);
        self.found.push(Found { config, dir, path: absolute.clone() });
        self.by_file.insert(absolute, self.found.len() - 1);
        Ok(self.found.len() - 1)
    }

    /// `path` relative to the directory of configuration `index`, with `/` separators (the path
    /// as given when it lies outside).
    pub fn relative(&self, index: usize, path: &Path) -> String {
        let base = Base::new(self.cwd.clone(), self.found[index].dir.clone());
        base.relative_path(path).unwrap_or_else(|| path.to_string_lossy().into_owned())
    }
}

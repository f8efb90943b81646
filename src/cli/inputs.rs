//! What `check` is given to read: the paths of the command line, expanded into inputs in order,
//! and how each input is read.
//!
//! A path named with a channel file's extension (`*.json`, `*.yaml`, `*.yml`) is not looked at
//! before it is checked: the thread that checks it opens it and tells what it is from the open
//! file ([`read::Opener::named`]), so the path is looked up once, where a `stat` and then an open
//! looked it up twice (a tenth of a run over 2,000 named files went to the second lookup). Such a path
//! that turns out to be missing or a directory is reported, or walked, as if it had been looked
//! at first: every error and every file keeps the place its path has on the command line.

use std::path::PathBuf;

use rayon::prelude::*;

use super::{CheckArgs, read, walk};

/// Where an input comes from: the position of its path on the command line, and its position
/// among the files of that path (a directory's walk). Errors and fixes are listed in this order.
pub type Order = (usize, usize);

/// Errors of paths (missing, or a walk that failed), each with the position of its path.
pub type PathErrors = Vec<(usize, String)>;

/// One input to check: a path on disk or standard input.
pub struct Input {
    /// The OS path (for standard input, the `--stdin-filename` it stands for, or `<stdin>`).
    pub path: PathBuf,
    /// Named on the command line (always checked) rather than found by walking.
    pub explicit: bool,
    pub stdin: bool,
    pub known: Known,
    pub order: Order,
}

/// What is known of an input before it is read.
#[derive(Clone, Copy)]
pub enum Known {
    /// What the walk saw of it (a directory entry's type, the `stat` of a named path).
    Seen(read::Seen),
    /// Named with a channel file's extension and not looked at yet: it may still be missing, a
    /// directory, or anything else.
    Named,
}

impl Input {
    /// How reports name it: [`walk::display`] of its path, or standard input's name as given.
    /// Made by the thread that checks the input, which moves it into the report: not made for
    /// every named file on the thread that gathers them, then copied.
    pub fn name(&self) -> String {
        if self.stdin { self.path.to_string_lossy().into_owned() } else { walk::display(&self.path) }
    }

    fn found(found: walk::Found, order: Order) -> Input {
        Input { path: found.path, explicit: found.explicit, stdin: false, known: Known::Seen(found.seen), order }
    }
}

/// What one path of the command line stands for: an input (a file, or standard input), a
/// directory's files with the errors met walking it, or an error.
enum Gathered {
    Input(Input),
    Walked(Vec<Input>, Vec<String>),
    Error(String),
}

/// The inputs the command line names, in order (directories walked, `-` for standard input), and
/// the errors met finding them, each with the position of its path. `--stdin-filename` alone
/// reads standard input; beside a path other than `-` it is a usage error. `parallel`: whether
/// the paths may be looked at on several threads.
pub fn gather(args: &mut CheckArgs, parallel: impl FnOnce() -> bool) -> Result<(Vec<Input>, PathErrors), String> {
    if args.stdin_filename.is_some() && args.paths.iter().any(|p| p.as_os_str() != "-") {
        return Err("--stdin-filename names standard input: give `-` or no path with it".into());
    }
    let paths = match (args.paths.is_empty(), args.stdin_filename.is_some()) {
        (true, true) => vec!["-".into()],
        (true, false) => vec![".".into()],
        (false, _) => std::mem::take(&mut args.paths),
    };
    let stdin_name = args.stdin_filename.as_deref().unwrap_or("<stdin>");
    // What each path is taken for, told once: whether to look at paths on several threads
    // depends on it, and so does what each path is gathered as.
    let kinds: Vec<PathKind> = paths.iter().map(|path| PathKind::of(path)).collect();
    let one = |(i, (path, kind)): (usize, (PathBuf, PathKind))| match kind {
        PathKind::Stdin => Gathered::Input(Input {
            path: stdin_name.into(),
            explicit: true,
            stdin: true,
            known: Known::Seen(read::Seen::Unknown),
            order: (i, 0),
        }),
        // Opened before it is looked at; either way it is read as what it turns out to be.
        PathKind::Named => {
            Gathered::Input(Input { path, explicit: true, stdin: false, known: Known::Named, order: (i, 0) })
        }
        PathKind::LookedAt => expanded(walk::expand(path), i),
    };
    // Paths that are looked at first (directories, mostly) are looked at on the threads that
    // will check their files, when there are several. Named channel files and `-` are not looked
    // at here: thousands of them are gathered faster in a plain loop than handed to threads.
    let paths = paths.into_iter().zip(kinds.iter().copied());
    if kinds.iter().filter(|&&kind| kind == PathKind::LookedAt).nth(1).is_some() && parallel() {
        let gathered: Vec<Gathered> = paths.collect::<Vec<_>>().into_par_iter().enumerate().map(one).collect();
        return Ok(flatten(gathered.into_iter().enumerate()));
    }
    // On this thread each path goes straight into the list of inputs, with no list of what each
    // path stood for in between: for 2,000 paths that list cost 43 page faults, on the thread
    // that everything else waits for (a first touch of a page takes about a microsecond on the
    // benchmark's virtual machine).
    Ok(flatten(paths.enumerate().map(|(i, path)| (i, one((i, path))))))
}

/// What a path of the command line is taken for.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PathKind {
    /// `-`: standard input.
    Stdin,
    /// A channel file's name (`*.json`, `*.yaml`, `*.yml`): opened, not looked at first.
    Named,
    /// Anything else (a directory, mostly): looked at first.
    LookedAt,
}

impl PathKind {
    fn of(path: &std::path::Path) -> PathKind {
        if path.as_os_str() == "-" {
            PathKind::Stdin
        } else if walk::has_channel_extension(path) {
            PathKind::Named
        } else {
            PathKind::LookedAt
        }
    }
}

/// The inputs of the directories that paths named as files turned out to be (`(position, path)`),
/// and the errors met walking them.
pub fn walk_late(directories: Vec<(usize, PathBuf)>) -> (Vec<Input>, PathErrors) {
    flatten(directories.into_iter().map(|(i, path)| (i, expanded(walk::expand(path), i))))
}

/// The inputs and errors of each path, in order, each error with its path's position.
fn flatten(gathered: impl ExactSizeIterator<Item = (usize, Gathered)>) -> (Vec<Input>, PathErrors) {
    let mut inputs = Vec::with_capacity(gathered.len());
    let mut errors = Vec::new();
    for (i, one) in gathered {
        match one {
            Gathered::Input(input) => inputs.push(input),
            Gathered::Walked(found, walk_errors) => {
                inputs.extend(found);
                errors.extend(walk_errors.into_iter().map(|e| (i, e)));
            }
            Gathered::Error(error) => errors.push((i, error)),
        }
    }
    (inputs, errors)
}

fn expanded(expanded: walk::Expanded, i: usize) -> Gathered {
    match expanded {
        walk::Expanded::File(found) => Gathered::Input(Input::found(found, (i, 0))),
        walk::Expanded::Dir(found, errors) => Gathered::Walked(
            found.into_iter().enumerate().map(|(k, found)| Input::found(found, (i, k))).collect(),
            errors,
        ),
        walk::Expanded::Error(error) => Gathered::Error(error),
    }
}

/// Why an input was not read.
pub enum Unread {
    /// It cannot be read: the message.
    Error(String),
    /// A path named as a file is missing or cannot be looked at: the message, an error of the
    /// path's, as for any path that is looked at first.
    Path(String),
    /// A path named as a file is this directory, to walk.
    Directory(PathBuf),
}

/// An input's bytes, or `None` when it is larger than `limit` (nothing is read past the limit).
/// Files go through the bounded, regular-file-only reader, told what the walk saw of each (a
/// directory entry's type, or the `stat` of a named path); a path named as a file is opened and
/// told apart by what was opened. `name` is the input's [`Input::name`], for messages; `opener`
/// opens the files of the thread's share of the run ([`read::Opener`]).
pub fn read(input: &Input, name: &str, limit: u64, opener: &mut read::Opener) -> Result<Option<Vec<u8>>, Unread> {
    if input.stdin {
        let bytes = read::limited(std::io::stdin().lock(), limit)
            .map_err(|e| Unread::Error(format!("cannot read standard input: {e}")))?;
        return Ok((bytes.len() as u64 <= limit).then_some(bytes));
    }
    let seen = match input.known {
        Known::Seen(seen) => seen,
        Known::Named => match opener.named(&input.path, limit) {
            Ok(read::Named::File(bytes)) => return Ok(bytes),
            Ok(read::Named::Directory) => return Err(Unread::Directory(input.path.clone())),
            Ok(read::Named::Other(seen)) => seen,
            Err(error) => return Err(Unread::Path(walk::path_error(&input.path, &error))),
        },
    };
    let name = apig_lint::escape::text(name);
    opener
        .regular_file(&input.path, &name, limit, seen)
        .map_err(|error| Unread::Error(broken_link(&input.path, &name).unwrap_or(error)))
}

/// What to say of a symbolic link that leads nowhere (a walk keeps such links, to say so), said
/// as such rather than as a missing file the user can see listed; `None` for anything else.
fn broken_link(path: &std::path::Path, name: &str) -> Option<String> {
    let target = std::fs::read_link(path).ok()?;
    let missing = std::fs::metadata(path).is_err_and(|e| e.kind() == std::io::ErrorKind::NotFound);
    missing.then(|| {
        let target = apig_lint::escape::text(&walk::display(&target)).into_owned();
        format!("cannot read {name}: it is a symbolic link to {target}, which does not exist")
    })
}

/// What a path named as a file, which the run does not check (its configuration excludes it),
/// turns out to be, as a walk would have told before: missing (the error), a directory (to walk,
/// as its files may be included), or a file (nothing to do).
pub fn look_at_excluded(input: &Input) -> Result<Option<PathBuf>, String> {
    match std::fs::metadata(&input.path) {
        Ok(meta) if meta.is_dir() => Ok(Some(input.path.clone())),
        Ok(_) => Ok(None),
        Err(error) => Err(walk::path_error(&input.path, &error)),
    }
}

//! The paths of a long `check` command line, taken out before clap parses the rest.
//!
//! clap copies each value it is given twice and wraps it in a reference-counted box: for a CI run
//! that names 2,000 files that was 0.48 ms of the main thread, before any file could be read
//! (`apig-lint check FILES --format bogus`, which stops after parsing, against `--format bogus`
//! first, which stops at the first path; 81 alternated runs). Taking the paths out first made the
//! run over those files 0.58 ms shorter (11.74 against 12.32 ms, medians of 81 alternated runs
//! on two threads).
//!
//! A command line of the plain shape, `apig-lint [--lang L] check [options and paths]`, has its
//! paths moved out as they are, and clap parses the options alone; clap's own description of each
//! option (its long and short names, whether it takes a value) tells a path from an option's
//! value. Anything else (`--`, `-` for standard input, an empty path, a token that starts with `-`
//! and is not a known option, an option that takes other than one value) is left to clap whole,
//! and so is a command line in whose options clap finds an error: every error message and every
//! odd case is clap's.

use std::ffi::OsString;
use std::path::PathBuf;

/// A command line of the plain shape, its paths taken out.
pub struct Split {
    /// The command line without the paths, for clap.
    pub rest: Vec<OsString>,
    /// The paths, in order.
    pub paths: Vec<PathBuf>,
    /// Which tokens of the whole command line were paths.
    is_path: Vec<bool>,
}

impl Split {
    /// The command line as it was given, for clap to parse whole when it finds an error in the
    /// rest: its message then names what it would have named (its usage line lists the
    /// arguments given, paths among them).
    pub fn whole(self) -> Vec<OsString> {
        let mut rest = self.rest.into_iter();
        let mut paths = self.paths.into_iter();
        self.is_path
            .into_iter()
            .filter_map(|is_path| if is_path { paths.next().map(PathBuf::into_os_string) } else { rest.next() })
            .collect()
    }
}

/// `argv` split into its paths and the rest, or given back untouched when it is not of the plain
/// shape.
pub fn split_paths(command: &clap::Command, argv: Vec<OsString>) -> Result<Split, Vec<OsString>> {
    let Some(is_path) = plain_paths(command, &argv) else { return Err(argv) };
    let count = is_path.iter().filter(|&&p| p).count();
    let mut rest = Vec::with_capacity(argv.len() - count);
    let mut paths = Vec::with_capacity(count);
    for (token, &is_path) in argv.into_iter().zip(&is_path) {
        if is_path {
            paths.push(PathBuf::from(token));
        } else {
            rest.push(token);
        }
    }
    Ok(Split { rest, paths, is_path })
}

/// Which tokens of `argv` are paths of `check`, or `None` when the command line is not of the
/// plain shape.
fn plain_paths(command: &clap::Command, argv: &[OsString]) -> Option<Vec<bool>> {
    let check = command.find_subcommand("check")?;
    // The options `check` accepts: its own, the global ones, and help.
    let globals = command.get_arguments().filter(|a| a.is_global_set());
    let options: Vec<&clap::Arg> = check.get_arguments().chain(globals).collect();
    let mut is_path = vec![false; argv.len()];
    let mut tokens = argv.iter().enumerate().skip(1);
    // Before the subcommand: global options only.
    loop {
        let (_, token) = tokens.next()?;
        if token == "check" {
            break;
        }
        if option(&options, token.to_str()?)? == Takes::NextToken {
            tokens.next()?;
        }
    }
    while let Some((i, token)) = tokens.next() {
        if token.is_empty() {
            // clap refuses an empty path.
            return None;
        }
        if !token.as_encoded_bytes().starts_with(b"-") {
            is_path[i] = true;
        } else if option(&options, token.to_str()?)? == Takes::NextToken {
            tokens.next()?;
        }
    }
    Some(is_path)
}

/// What an option token takes: nothing more, or the next token as its value.
#[derive(PartialEq, Eq)]
enum Takes {
    Nothing,
    NextToken,
}

/// What the option token `token` (`--name`, `--name=value`, `-x`, `-xyz`, `-ovalue`) takes, or
/// `None` when it is not one clap would read as known options in the plain way.
fn option(options: &[&clap::Arg], token: &str) -> Option<Takes> {
    if let Some(long) = token.strip_prefix("--") {
        let (name, attached) = match long.split_once('=') {
            Some((name, _)) => (name, true),
            None => (long, false),
        };
        if name.is_empty() {
            return None;
        }
        if name == "help" {
            return (!attached).then_some(Takes::Nothing);
        }
        let arg = options.iter().find(|a| a.get_long() == Some(name))?;
        return match (one_value(arg)?, attached) {
            (true, true) => Some(Takes::Nothing),
            (true, false) => Some(Takes::NextToken),
            (false, false) => Some(Takes::Nothing),
            (false, true) => None,
        };
    }
    let shorts = token.strip_prefix('-').filter(|s| !s.is_empty())?;
    for (at, c) in shorts.char_indices() {
        if c == 'h' {
            continue;
        }
        let arg = options.iter().find(|a| a.get_short() == Some(c))?;
        if one_value(arg)? {
            // The rest of the token is the value, or else the next token is.
            let rest = &shorts[at + c.len_utf8()..];
            return Some(if rest.is_empty() { Takes::NextToken } else { Takes::Nothing });
        }
    }
    Some(Takes::Nothing)
}

/// Does `arg` take exactly one value an occurrence (`Some(true)`) or none (`Some(false)`)? `None`
/// for anything else (several values, an optional value), which is left to clap.
fn one_value(arg: &clap::Arg) -> Option<bool> {
    if arg.is_positional() {
        return None;
    }
    let takes = arg.get_action().takes_values();
    match arg.get_num_args() {
        None => Some(takes),
        Some(range) if takes && range.min_values() == 1 && range.max_values() == 1 => Some(true),
        Some(range) if !takes && range.max_values() == 0 => Some(false),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;

    use clap::FromArgMatches;

    /// The arguments parsed, or the error as it would be printed.
    fn shown(parsed: Result<super::super::Args, clap::Error>) -> Result<String, String> {
        parsed.map(|args| format!("{args:?}")).map_err(|e| format!("{:?}: {}", e.kind(), e.render()))
    }

    /// What clap makes of a command line given to it whole.
    fn by_clap_alone(argv: &[OsString]) -> Result<String, String> {
        shown(
            super::super::command()
                .try_get_matches_from(argv)
                .and_then(|mut m| super::super::Args::from_arg_matches_mut(&mut m)),
        )
    }

    /// Command lines made of every kind of token, with and without paths among them, parse to the
    /// same arguments, or fail with the same error, whether the paths are taken out first or not;
    /// and more than a quarter of them are of the plain shape, so the comparison is not of clap
    /// with itself.
    #[test]
    fn taking_the_paths_out_first_changes_nothing() {
        let heads: [&[&str]; 5] = [&["check"], &["--lang", "zh-CN", "check"], &["--lang=en", "check"], &["rules"], &[]];
        let pool = [
            "a.json",
            "dir/b.yaml",
            "c",
            "é.yml",
            "check",
            "--format",
            "concise",
            "--format=json",
            "--format=bogus",
            "-q",
            "-o",
            "out.txt",
            "-qo",
            "-oout.txt",
            "-o=x",
            "-qx",
            "--select",
            "AL101,AL102",
            "--ignore=AL301",
            "--fix",
            "--no-fix",
            "--fix=true",
            "--lang",
            "zh-CN",
            "--",
            "-",
            "--bogus",
            "--threads",
            "2",
            "--threads=x",
            "--help",
            "-h",
            "--config",
            "x.toml",
            "--no-config",
            "--max-file-size",
            "1KiB",
            "--time-budget",
            "1s",
            "-V",
            "--version",
            "--stdin-filename",
            "s.json",
            "--statistics",
            "--=x",
            "--diff",
            "",
        ];
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        let (mut plain, mut cases) = (0, 0);
        for _ in 0..4000 {
            let mut argv: Vec<OsString> = vec!["apig-lint".into()];
            argv.extend(heads[next(heads.len())].iter().map(OsString::from));
            let paths_only = next(4) == 0;
            for _ in 0..next(9) {
                let token = if paths_only { pool[next(4)] } else { pool[next(pool.len())] };
                argv.push(token.into());
            }
            let expected = by_clap_alone(&argv);
            let taken_out = super::plain_paths(&super::super::command(), &argv).is_some();
            if let Ok(split) = super::split_paths(&super::super::command(), argv.clone()) {
                assert_eq!(split.whole(), argv, "put back together");
            }
            let got = shown(super::super::parse(argv.clone()));
            assert_eq!(got, expected, "{argv:?}");
            cases += 1;
            plain += usize::from(taken_out);
        }
        assert!(plain * 4 > cases, "only {plain} of {cases} command lines had their paths taken out");
    }

    /// The plain shape: paths among options that take a value, attached or not, and in short
    /// clusters; anything else is left to clap.
    #[test]
    fn tells_paths_from_values() {
        let command = super::super::command();
        let shape = |argv: &[&str]| {
            let argv: Vec<OsString> = argv.iter().map(OsString::from).collect();
            super::plain_paths(&command, &argv).map(|flags| {
                argv.iter()
                    .zip(flags)
                    .filter(|(_, p)| *p)
                    .map(|(t, _)| t.to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
            })
        };
        assert_eq!(
            shape(&[
                "apig-lint",
                "--lang",
                "en",
                "check",
                "a.json",
                "-qo",
                "out",
                "b.json",
                "--select",
                "AL101",
                "c",
                "-oout",
                "d"
            ]),
            Some(vec!["a.json".into(), "b.json".into(), "c".into(), "d".into()])
        );
        assert_eq!(shape(&["apig-lint", "check", "--format=json", "x", "--threads", "2"]), Some(vec!["x".into()]));
        for odd in [
            &["apig-lint", "check", "a", "-", "b"][..],
            &["apig-lint", "check", "a", "--", "b"],
            &["apig-lint", "check", "--bogus", "a"],
            &["apig-lint", "rules"],
            &["apig-lint", "check", "a", ""],
            &["apig-lint", "check", "a", "--format"],
        ] {
            assert_eq!(shape(odd), None, "{odd:?}");
        }
    }
}

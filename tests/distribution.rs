//! What comes with the binary besides checking: `--version`, shell completions and the manual
//! page, all from the one clap command definition; and the library's embedding API as an
//! embedder calls it.

mod common;

use std::process::Command;

use apig_lint::{Linter, SPEC_PAGE_UPDATED};
use common::{root, run, stdout};

const SUBCOMMANDS: &[&str] = &["check", "rules", "schema", "config", "explain", "completions", "man"];

#[test]
fn version_names_the_commit_the_rules_and_the_page_date() {
    let output = run(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    let line = stdout(&output);
    let rules = Linter::new().unwrap().rules().len();
    let expected_tail = format!(", {rules} rules, API page of {SPEC_PAGE_UPDATED})\n");
    assert!(line.starts_with(&format!("apig-lint {} (commit ", env!("CARGO_PKG_VERSION"))), "{line}");
    assert!(line.ends_with(&expected_tail), "{line}");
    let commit = &line[line.find("(commit ").unwrap() + 8..line.find(',').unwrap()];
    assert!(commit == "unknown" || commit.chars().all(|c| c.is_ascii_hexdigit()), "{commit}");
    // Built in this checkout (when git is here), the commit is HEAD's.
    let head = Command::new("git").args(["-C", &root().to_string_lossy(), "rev-parse", "HEAD"]).output();
    if let Ok(head) = head
        && head.status.success()
        && std::env::var_os("APIG_LINT_COMMIT").is_none()
    {
        assert!(String::from_utf8_lossy(&head.stdout).starts_with(commit), "{commit} is not HEAD");
    }
    assert_eq!(stdout(&run(&["-V"])), line, "-V and --version say the same");
    assert_eq!(SPEC_PAGE_UPDATED, "2024-11-11", "the 更新时间 of the page in shared/spec");
}

#[test]
fn completions_know_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = run(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = stdout(&output);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completion lacks `{sub}`");
        }
        assert!(script.contains("channels-only") && script.contains("max-file-size"), "{shell}: check's flags");
    }
    assert_eq!(run(&["completions", "tcsh"]).status.code(), Some(2), "an unknown shell is a usage error");
}

/// bash itself loads the script and registers the completion (when bash is here).
#[test]
fn bash_loads_the_completion_script() {
    let script = stdout(&run(&["completions", "bash"]));
    let Ok(output) = Command::new("bash")
        .args(["--norc", "-c", "eval \"$APIG_LINT_COMPLETION\" && complete -p apig-lint"])
        .env("APIG_LINT_COMPLETION", script)
        .output()
    else {
        eprintln!("no bash here; skipped");
        return;
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(String::from_utf8_lossy(&output.stdout).contains("apig-lint"));
}

#[test]
fn man_pages_have_a_header_and_every_subcommand() {
    let page = stdout(&run(&["man"]));
    assert!(page.contains(".TH apig-lint 1 "), "{page}");
    assert!(page.contains(".SH SYNOPSIS") && page.contains(".SH SUBCOMMANDS"));
    for sub in SUBCOMMANDS {
        assert!(page.contains(&format!("apig\\-lint\\-{sub}(1)")), "apig-lint(1) does not list {sub}");
        let sub_page = stdout(&run(&["man", sub]));
        assert!(sub_page.contains(&format!(".TH apig-lint-{sub} 1 ")), "{sub}: {sub_page}");
    }
    let check = stdout(&run(&["man", "check"]));
    assert!(check.contains("channels\\-only") && check.contains("max\\-file\\-size"), "check's options");
    let unknown = run(&["man", "lint"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// `man -l` renders the page (when man is here: CI installs man-db).
#[test]
fn man_renders_the_page() {
    let dir = std::env::temp_dir().join(format!("apig-lint-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("apig-lint.1");
    std::fs::write(&file, stdout(&run(&["man"]))).unwrap();
    let output = Command::new("man").arg("-l").arg(&file).env("MANPAGER", "cat").env("MANWIDTH", "100").output();
    let _ = std::fs::remove_dir_all(&dir);
    let Ok(output) = output else {
        eprintln!("no man here; skipped");
        return;
    };
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(text.contains("NAME") && text.contains("SUBCOMMANDS"), "{text}");
    assert!(text.contains("apig-lint-check(1)") || text.contains("apig‐lint‐check(1)"), "{text}");
}

#[test]
fn the_library_lints_a_file_and_fixes_a_string() {
    let linter = Linter::new().unwrap();
    let report = linter.lint_file(root().join("samples/rules/timeout-above-interval/invalid-greater.yaml")).unwrap();
    let ids: Vec<&str> = report.diagnostics.iter().map(|d| &*linter.rule(d).id).collect();
    assert_eq!(ids, ["AL401"]);
    assert!(linter.lint_file(root().join("samples/valid/builtin-ip.yaml")).unwrap().diagnostics.is_empty());
    assert!(linter.lint_file(root().join("does/not/exist.yaml")).is_err());
    // A file past the size limit is reported, not read whole.
    let small = Linter::new().unwrap().with_limits(apig_lint::Limits { max_file_size: 10, ..Default::default() });
    let report = small.lint_file(root().join("samples/valid/builtin-ip.yaml")).unwrap();
    assert_eq!(report.diagnostics.iter().map(|d| &*small.rule(d).id).collect::<Vec<_>>(), ["AL004"]);
    assert!(Linter::new().unwrap().with_selection(&["no-such-rule"], &[]).is_err());
}

#![no_main]
//! Fixes on mutated inputs (seeded from samples/ and tests/fixes/): every fix, safe and unsafe,
//! applied to a fixpoint. Never a panic; when the input parsed, the result parses; and fixing
//! the result again changes nothing.

use apig_lint::document::{self, Limits, ProblemKind, Syntax};
use apig_lint::fix::{FixMode, fix_bytes};
use apig_lint::rules::RuleSet;
use apig_lint::{Engine, Options};
use libfuzzer_sys::fuzz_target;

fn parses(bytes: &[u8], syntax: Syntax) -> bool {
    let loaded = document::load(bytes, syntax, Limits::default());
    !loaded.documents.is_empty()
        && !loaded.problems.iter().any(|p| matches!(p.kind, ProblemKind::Syntax | ProblemKind::Encoding))
}

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = RuleSet::builtin() else { return };
    let engine = Engine::new(rules);
    let mode = FixMode { unsafe_fixes: true };
    for (name, syntax) in [("channel.json", Syntax::Json), ("channel.yaml", Syntax::Yaml)] {
        let fixed = fix_bytes(&engine, name, data, &Options::default(), mode);
        if !fixed.changed {
            continue;
        }
        if parses(data, syntax) {
            assert!(parses(fixed.text.as_bytes(), syntax), "a fix broke {name}: {:?}", fixed.text);
        }
        if fixed.problem.is_none() {
            let again = fix_bytes(&engine, name, fixed.text.as_bytes(), &Options::default(), mode);
            assert_eq!(again.text, fixed.text, "fixing twice differs from once");
        }
    }
});

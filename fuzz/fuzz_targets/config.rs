#![no_main]
//! Configuration parsing on arbitrary text: never panics; a configuration that parses can be
//! shown, matched against paths and judged for its `[[suppress]]` entries.

use apig_lint::config::Config;
use apig_lint::rules::RuleSet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(rules) = RuleSet::builtin() else { return };
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(config) = Config::parse("apig-lint.toml", text, rules) else { return };
    let _ = Config::show(Some(&config), rules);
    let _ = config.engine_levels();
    for path in ["channels/a.yaml", "a.json", "x/y/z.yml", ""] {
        let _ = config.selects(path, false);
        let policy = config.policy(path);
        for change in &policy.levels {
            assert!(!rules.is_mandatory(change.rule), "a mandatory rule was re-levelled");
        }
    }
    let flags = vec![true; config.suppress.len()];
    let _ = config.entry_problems(rules, &flags, &vec![false; config.suppress.len()]);
});

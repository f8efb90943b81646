//! No input makes the linter panic: every sample, mutated thousands of ways (bytes flipped,
//! deleted, duplicated, spliced with structural characters), goes through loading, every rule,
//! and the line index used by renderers. Deterministic (a fixed xorshift seed), so a failure
//! reproduces.

mod common;

use std::fs;

use apig_lint::document::LineIndex;
use apig_lint::render::{gitlab, human, json, junit, lines, sarif, uri::Base};
use apig_lint::rules::RuleSet;
use apig_lint::{Engine, Options, lint_bytes};
use std::path::PathBuf;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPLICES: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b":",
    b",",
    b"\"",
    b"'",
    b"-",
    b"\n",
    b"\n  ",
    b"&a ",
    b"*a",
    b"<<: ",
    b"---\n",
    b"#",
    b"\\u",
    b"\0",
    b"\xff",
    b"\xe4\xb8",
    b"!!int ",
    b"|\n",
    b"? ",
];

fn mutate(rng: &mut Rng, input: &[u8]) -> Vec<u8> {
    let mut bytes = input.to_vec();
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(5) {
            0 if at < bytes.len() => bytes[at] = rng.next() as u8,
            1 if at < bytes.len() => {
                let end = (at + 1 + rng.below(16)).min(bytes.len());
                bytes.drain(at..end);
            }
            2 => {
                let splice = SPLICES[rng.below(SPLICES.len())];
                bytes.splice(at..at, splice.iter().copied());
            }
            3 if at < bytes.len() => {
                let end = (at + 1 + rng.below(64)).min(bytes.len());
                let chunk = bytes[at..end].to_vec();
                bytes.splice(at..at, chunk);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

#[test]
fn mutated_samples_never_panic() {
    let rules = RuleSet::builtin().expect("rules load");
    let engine = Engine::new(rules);
    let mut samples = Vec::new();
    let suppressions = ["suppression-without-reason", "unused-suppression", "malformed-suppression"];
    let dirs = ["samples/spec".to_owned(), "samples/valid".to_owned()]
        .into_iter()
        .chain(suppressions.iter().map(|rule| format!("samples/rules/{rule}")));
    for dir in dirs {
        for entry in fs::read_dir(common::root().join(dir)).unwrap().flatten() {
            samples.push((entry.file_name().to_string_lossy().into_owned(), fs::read(entry.path()).unwrap()));
        }
    }
    samples.sort();
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    // `APIG_LINT_MUTATION_ROUNDS=50000 cargo test --release --test mutations` searches longer.
    let rounds = std::env::var("APIG_LINT_MUTATION_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(400);
    for round in 0..rounds {
        for (name, bytes) in &samples {
            let mutated = mutate(&mut rng, bytes);
            let options = Options { skip_foreign: round % 2 == 0, ..Options::default() };
            let report = lint_bytes(&engine, name, &mutated, &options);
            let index = LineIndex::new(&report.text);
            for d in &report.diagnostics {
                assert!(
                    d.span.start <= d.span.end && d.span.end <= report.text.len().max(mutated.len()),
                    "{name}: {d:?}"
                );
                let _ = index.position(&report.text, d.span.start);
                let _ = index.position(&report.text, d.span.end);
                for r in &d.related {
                    let _ = index.position(&report.text, r.span.start);
                }
            }
            // Every output format, on a tenth of the rounds (human output is the slow one).
            if round % 10 == 0 {
                let reports = [report];
                let base = Base::new(PathBuf::from("/repo"), PathBuf::from("/repo"));
                let lang = if round % 20 == 0 { apig_lint::Lang::ZhCn } else { apig_lint::Lang::En };
                assert!(
                    !human::render(rules, &reports, false, 80, lang).is_empty() || reports[0].diagnostics.is_empty()
                );
                for text in [
                    json::render(rules, &reports, &json::Summary::of(&reports)),
                    sarif::render(rules, &reports, &base, lang),
                    junit::render(rules, &reports, &[]),
                    gitlab::render(rules, &reports, &base),
                ] {
                    assert!(!text.is_empty(), "{name}: a renderer gave nothing");
                }
                let _ = (lines::concise(rules, &reports), lines::github(rules, &reports));
            }
        }
    }
}

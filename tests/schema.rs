//! The JSON Schema `apig-lint schema` prints is never stricter than apig-lint: every sample
//! document the schema rejects gets an error from apig-lint. And it is not vacuous: it rejects
//! many of the invalid samples.

mod common;

use std::fs;
use std::path::Path;

use apig_lint::document::{self, Limits, Syntax};
use apig_lint::rules::{RuleSet, Severity, json_schema};
use apig_lint::{Engine, Options, lint_bytes};

fn sample_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            sample_files(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[test]
fn a_document_the_schema_rejects_gets_an_error() {
    let rules = RuleSet::builtin().unwrap();
    let schema = json_schema::generate(rules, apig_lint::Lang::En);
    let validator = jsonschema::validator_for(&schema).expect("the generated schema is a valid 2020-12 schema");
    let engine = Engine::new(rules);
    let mut files = Vec::new();
    sample_files(&common::root().join("samples"), &mut files);
    files.sort();
    // What a schema can express: the invalid samples of these rules must all be rejected by it.
    let expressible = [
        "missing-required-field",
        "wrong-type",
        "value-not-in-enum",
        "value-out-of-range",
        "length-out-of-range",
        "pattern-mismatch",
        "item-count-out-of-range",
    ];
    let mut checked = 0;
    for file in files {
        let name = common::relative(&file);
        let bytes = fs::read(&file).unwrap();
        let loaded = document::load(&bytes, Syntax::from_path(&name), Limits::default());
        let report = lint_bytes(&engine, &name, &bytes, &Options::default());
        for (index, doc) in loaded.documents.iter().enumerate() {
            let Some(root) = doc.root() else { continue };
            checked += 1;
            let instance = doc.to_json(root);
            let must_reject = common::sample_rule(&name).is_some_and(|rule| expressible.contains(&rule))
                && name.rsplit('/').next().is_some_and(|f| f.starts_with("invalid"));
            if validator.is_valid(&instance) {
                assert!(!must_reject, "{name}: the schema should reject this document");
                continue;
            }
            let errors =
                report.diagnostics.iter().filter(|d| d.document == index && d.severity == Severity::Error).count();
            let why: Vec<String> = validator.iter_errors(&instance).map(|e| e.to_string()).collect();
            assert!(
                errors > 0,
                "{name} (document {index}): the schema rejects it ({why:?}) but apig-lint finds no error"
            );
        }
    }
    assert!(checked > 150, "only {checked} documents checked");
}

#[test]
fn the_schema_command_prints_the_generated_schema() {
    let out = common::run(&["schema"]);
    assert_eq!(out.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, json_schema::generate(RuleSet::builtin().unwrap(), apig_lint::Lang::En));
    assert_eq!(printed["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

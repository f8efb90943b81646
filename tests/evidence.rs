//! Bodies that public clients sent to the live gateway in passing acceptance runs
//! (`tests/evidence/`, each cited in `tests/evidence/SOURCES.md`). The gateway accepted every one,
//! so apig-lint must not report an error on any of them: evidence beats the page's prose.

mod common;

use std::fs;

use common::{json, root, run};

fn bodies() -> Vec<String> {
    let mut found: Vec<String> = fs::read_dir(root().join("tests/evidence"))
        .expect("tests/evidence exists")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    found.sort();
    found
}

#[test]
fn accepted_bodies_get_no_error() {
    let bodies = bodies();
    assert!(bodies.len() >= 10, "the corpus is there: {bodies:?}");
    for body in &bodies {
        let path = format!("tests/evidence/{body}");
        let output = run(&["check", &path, "--format", "json"]);
        let report = json(&output);
        let errors: Vec<&serde_json::Value> =
            report["diagnostics"].as_array().unwrap().iter().filter(|d| d["severity"] == "error").collect();
        assert!(errors.is_empty(), "{path}: the gateway accepted this body, yet: {errors:#?}");
        assert_eq!(output.status.code(), Some(0), "{path}");
        assert_eq!(report["summary"]["files"], 1, "{path} was checked, not skipped");
    }
}

#[test]
fn every_body_cites_its_source() {
    let sources = fs::read_to_string(root().join("tests/evidence/SOURCES.md")).unwrap();
    for body in bodies() {
        assert!(sources.contains(&format!("| {body} |")), "{body} is not cited in tests/evidence/SOURCES.md");
    }
}

/// The warnings that replaced errors say what the page asks and what the gateway does.
#[test]
fn evidence_turns_errors_into_warnings() {
    let expect = [
        ("tf-channel-builtin-ip-no-members.json", "AL205"),
        ("tf-member-groups-no-member-type.json", "AL111"),
        ("tf-channel-builtin-ecs-health.json", "AL408"),
    ];
    for (body, rule) in expect {
        let report = json(&run(&["check", &format!("tests/evidence/{body}"), "--format", "json"]));
        let found = report["diagnostics"].as_array().unwrap().iter().find(|d| d["rule"] == rule);
        let finding = found.unwrap_or_else(|| panic!("{body}: no {rule} in {report:#}"));
        assert_eq!(finding["severity"], "warning", "{body}");
        assert!(finding["gateway_code"].is_null(), "{body}: a warning about an accepted body predicts no rejection");
    }
}

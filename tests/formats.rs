//! The machine formats for CI: SARIF (validated against the official 2.1.0 schema, fingerprints
//! stable when lines move), JUnit XML and GitLab Code Quality.

mod common;

use std::collections::HashSet;
use std::fs;
use std::path::Path;

use common::{json, root, run, run_in, stdout, temp_dir};

fn sarif_in(dir: &Path, args: &[&str]) -> serde_json::Value {
    json(&run_in(dir, &[&["check", "--format", "sarif"], args].concat(), None))
}

fn results(sarif: &serde_json::Value) -> &Vec<serde_json::Value> {
    sarif["runs"][0]["results"].as_array().unwrap()
}

#[test]
fn sarif_for_every_sample_validates_against_the_official_schema() {
    let schema: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(root().join("tests/data/sarif-schema-2.1.0.json")).unwrap()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the SARIF schema loads");
    let sarif = sarif_in(&root(), &["samples"]);
    let errors: Vec<String> =
        validator.iter_errors(&sarif).map(|e| format!("{} at {}", e, e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validator.is_valid(&broken), "the validator does reject a bad log");

    // Not vacuous: every finding of the JSON output is there, with its rule described.
    let plain = json(&run(&["check", "--format", "json", "samples"]));
    let results = results(&sarif);
    assert_eq!(results.len(), plain["diagnostics"].as_array().unwrap().len());
    assert!(results.len() > 50);
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let rule = &rules[result["ruleIndex"].as_u64().unwrap() as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        assert!(rule["help"]["markdown"].as_str().unwrap().contains(rule["id"].as_str().unwrap()));
        let uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
        assert!(uri.starts_with("samples/"), "repository-relative: {uri}");
        assert!(["error", "warning", "note"].contains(&result["level"].as_str().unwrap()));
    }
    assert_eq!(sarif["runs"][0]["columnKind"], "unicodeCodePoints");
    let with_related = results.iter().filter(|r| r.get("relatedLocations").is_some()).count();
    assert!(with_related > 10, "secondary labels become relatedLocations");
}

/// Fingerprints follow content: inserting lines above a finding, or reformatting the file,
/// leaves them equal while the lines change; changing the offending value changes it.
#[test]
fn sarif_fingerprints_survive_inserted_lines_and_reformatting() {
    let dir = temp_dir("fingerprints");
    fs::create_dir(dir.join(".git")).unwrap();
    let original =
        fs::read_to_string(root().join("samples/rules/timeout-above-interval/invalid-greater.yaml")).unwrap();
    let fingerprints = |text: &str| -> Vec<(String, u64)> {
        fs::write(dir.join("channel.yaml"), text).unwrap();
        results(&sarif_in(&dir, &["channel.yaml"]))
            .iter()
            .map(|r| {
                let line = r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64().unwrap();
                (r["partialFingerprints"]["apigLint/v1"].as_str().unwrap().to_owned(), line)
            })
            .collect()
    };
    let before = fingerprints(&original);
    assert_eq!(before.len(), 1);
    let shifted = fingerprints(&format!("# a comment\n# and another\n\n{original}"));
    assert_eq!(shifted[0].0, before[0].0, "same fingerprint");
    assert_eq!(shifted[0].1, before[0].1 + 3, "the line moved");
    let reindented = original.replace("  ", "    ");
    assert_eq!(fingerprints(&reindented)[0].0, before[0].0, "indentation does not matter");
    let changed = original.replace("timeout: 20", "timeout: 21");
    assert_ne!(fingerprints(&changed)[0].0, before[0].0, "a different offending value is a different finding");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn sarif_uris_are_repository_relative_and_percent_encoded() {
    let dir = temp_dir("uris");
    fs::create_dir(dir.join(".git")).unwrap();
    fs::create_dir_all(dir.join("channels/orders v2")).unwrap();
    let invalid = fs::read(root().join("samples/rules/timeout-above-interval/invalid-greater.yaml")).unwrap();
    fs::write(dir.join("channels/orders v2/100%.yaml"), invalid).unwrap();
    let sarif = sarif_in(&dir.join("channels"), &["orders v2"]);
    let uri = &results(&sarif)[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "channels/orders%20v2/100%25.yaml", "relative to the repository root, not the working directory");
    let _ = fs::remove_dir_all(dir);
}

#[test]
fn junit_is_well_formed_with_a_suite_per_file_and_a_failure_per_finding() {
    let paths = ["samples/spec", "samples/rules/duplicate-key"];
    let plain = json(&run(&["check", "--format", "json", paths[0], paths[1]]));
    let all = plain["diagnostics"].as_array().unwrap();
    let errors = all.iter().filter(|d| d["severity"] == "error").count() as u64;
    assert!(errors > 0 && (errors as usize) < all.len(), "the samples have errors and warnings");
    // By default only errors fail; with `--fail-level warning` every finding is a failure.
    for (level, expected) in [("error", errors), ("warning", all.len() as u64)] {
        let (suites, cases, failures) =
            junit_counts(&["check", "--format", "junit", "--fail-level", level, paths[0], paths[1]]);
        assert_eq!(suites, plain["summary"]["files"].as_u64().unwrap());
        assert_eq!(cases, plain["summary"]["documents"].as_u64().unwrap());
        assert_eq!(failures, expected, "failures at --fail-level {level}");
    }
}

/// Test suites, test cases and failures in the JUnit output of a run.
fn junit_counts(args: &[&str]) -> (u64, u64, u64) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(1));
    let xml = stdout(&out);
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures) = (0, 0, 0);
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("not well-formed XML ({e}):\n{xml}")) {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => match e.name().as_ref() {
                "testsuite" => suites += 1,
                "testcase" => cases += 1,
                "failure" => failures += 1,
                _ => {}
            },
            _ => {}
        }
    }
    let testsuites = xml.lines().find(|l| l.contains("<testsuites ")).unwrap_or_default();
    assert!(testsuites.contains(&format!("failures=\"{failures}\"")), "{testsuites}");
    (suites, cases, failures)
}

#[test]
fn junit_escapes_what_xml_cannot_hold() {
    let out = run_in(
        &root(),
        &["check", "--format", "junit", "-", "--stdin-filename", "a<&>\".yaml"],
        Some(b"member_type: ip\nname: \"x\\u0001<y>\"\n"),
    );
    let xml = stdout(&out);
    let mut reader = quick_xml::Reader::from_str(&xml);
    while !matches!(reader.read_event().unwrap_or_else(|e| panic!("{e}: {xml}")), quick_xml::events::Event::Eof) {}
    assert!(xml.contains("a&lt;&amp;&gt;&quot;.yaml"), "{xml}");
    assert!(!xml.contains('\u{1}'));
}

#[test]
fn gitlab_code_quality_has_unique_fingerprints() {
    let out = run(&["check", "--format", "gitlab", "samples"]);
    let issues = json(&out);
    let issues = issues.as_array().unwrap();
    assert!(issues.len() > 50);
    let mut seen = HashSet::new();
    for issue in issues {
        assert!(seen.insert(issue["fingerprint"].as_str().unwrap().to_owned()), "duplicate fingerprint: {issue}");
        assert!(["info", "minor", "major"].contains(&issue["severity"].as_str().unwrap()));
        assert!(issue["location"]["path"].as_str().unwrap().starts_with("samples/"));
        assert!(issue["location"]["positions"]["begin"]["line"].as_u64().unwrap() >= 1);
        assert!(issue["check_name"].as_str().unwrap().starts_with("AL"));
    }
}

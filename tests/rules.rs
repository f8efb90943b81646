//! The rules' own contracts: every example executes with exact counts, and the conventions of
//! architecture.md §2 hold (unique ids, names, messages, samples, generated docs).

mod common;

use apig_lint::Lang;
use std::collections::BTreeSet;
use std::fs;

use apig_lint::engine::message::placeholders;
use apig_lint::rules::{Check, RuleSet, Severity, docs};
use apig_lint::{Engine, Options, lint_bytes};
use common::root;

fn rules() -> &'static RuleSet {
    RuleSet::builtin().expect("the built-in rules load")
}

/// `(rule name, file name, bytes)` for every sample of every rule, read from disk.
fn rule_samples() -> Vec<(String, String, Vec<u8>)> {
    let mut out = Vec::new();
    for dir in fs::read_dir(root().join("samples/rules")).unwrap().flatten() {
        let rule = dir.file_name().to_string_lossy().into_owned();
        for file in fs::read_dir(dir.path()).unwrap().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            out.push((rule.clone(), name, fs::read(file.path()).unwrap()));
        }
    }
    out.sort();
    out
}

#[test]
fn examples_yield_exactly_their_finding() {
    let rules = rules();
    let engine = Engine::new(rules);
    for (rule, name, bytes) in rule_samples() {
        let index = rules.find(&rule).unwrap_or_else(|| panic!("samples/rules/{rule}: no such rule"));
        let report = lint_bytes(&engine, format!("samples/rules/{rule}/{name}"), &bytes, &Options::default());
        let own = report.diagnostics.iter().filter(|d| d.rule == index).count();
        if name.starts_with("invalid") {
            assert_eq!(own, 1, "{rule}/{name} must yield exactly one {rule}: {:#?}", report.diagnostics);
        } else if name.starts_with("valid") {
            assert_eq!(own, 0, "{rule}/{name} must not yield {rule}: {:#?}", report.diagnostics);
            let errors: Vec<_> = report.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
            assert!(errors.is_empty(), "{rule}/{name} is valid, yet has errors: {errors:#?}");
        } else {
            panic!("{rule}/{name}: sample names start with `valid` or `invalid`");
        }
    }
}

#[test]
fn every_rule_has_valid_and_invalid_samples_and_no_sample_is_orphaned() {
    let samples = rule_samples();
    let dirs: BTreeSet<&str> = samples.iter().map(|(rule, _, _)| rule.as_str()).collect();
    for rule in rules().rules.iter() {
        let mine: Vec<_> = samples.iter().filter(|(r, _, _)| *r == rule.name).collect();
        assert!(mine.iter().any(|(_, n, _)| n.starts_with("invalid")), "{} has no invalid sample", rule.name);
        assert!(mine.iter().any(|(_, n, _)| n.starts_with("valid")), "{} has no valid sample", rule.name);
    }
    for dir in dirs {
        assert!(rules().find(dir).is_some(), "samples/rules/{dir} belongs to no rule");
    }
}

#[test]
fn ids_and_names_follow_the_conventions() {
    let mut ids = BTreeSet::new();
    let mut names = BTreeSet::new();
    for rule in rules().rules.iter() {
        assert!(ids.insert(&rule.id), "duplicate id {}", rule.id);
        assert!(names.insert(&rule.name), "duplicate name {}", rule.name);
        let id_ok = rule.id.len() == 5 && rule.id.starts_with("AL") && rule.id[2..].bytes().all(|b| b.is_ascii_digit());
        assert!(id_ok, "{}: ids are AL plus three digits", rule.id);
        let kebab = rule
            .name
            .split('-')
            .all(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
        assert!(kebab, "{}: names are kebab-case", rule.name);
        for prefix in ["avoid-", "use-", "no-", "prefer-"] {
            assert!(!rule.name.starts_with(prefix), "{}: a name describes the problem, not the cure", rule.name);
        }
    }
}

#[test]
fn messages_are_lowercase_sentences_without_a_period_and_use_known_placeholders() {
    for rule in rules().rules.iter() {
        for (what, text) in [("message", &rule.message), ("help", &rule.help), ("summary", &rule.summary)] {
            let first = text.chars().next().unwrap_or(' ');
            assert!(!first.is_uppercase(), "{} {what} starts with a capital: {text}", rule.id);
            assert!(!text.trim_end().ends_with('.'), "{} {what} ends with a period: {text}", rule.id);
        }
        let allowed = rule.check.variables();
        for text in [&rule.message, &rule.help] {
            for name in placeholders(text) {
                assert!(
                    allowed.contains(&name),
                    "{}: `{{{name}}}` is not filled by its check kind ({allowed:?})",
                    rule.id
                );
            }
        }
        assert!(
            !rule.docs.trim().is_empty() && !rule.source.trim().is_empty(),
            "{}: docs and source are required",
            rule.id
        );
    }
}

/// Every rule speaks Chinese, with exactly the placeholders of its English text (issue #12).
#[test]
fn every_rule_has_chinese_texts_with_the_same_placeholders() {
    fn sorted(text: &str) -> Vec<&str> {
        let mut names = placeholders(text);
        names.sort_unstable();
        names
    }
    for rule in rules().rules.iter() {
        let zh = rule.zh.as_ref().unwrap_or_else(|| panic!("{} has no [zh-CN] texts", rule.id));
        for (what, en, cn) in [("message", &rule.message, &zh.message), ("help", &rule.help, &zh.help)] {
            assert_eq!(sorted(en), sorted(cn), "{} {what}: the Chinese text's placeholders differ", rule.id);
        }
        for (what, text) in [("summary", &zh.summary), ("message", &zh.message), ("help", &zh.help), ("docs", &zh.docs)]
        {
            assert!(!text.trim().is_empty(), "{} zh-CN {what} is empty", rule.id);
            // A template that is only a placeholder (`{detail}`) is translated where it is filled.
            let words = placeholders(text).iter().fold(text.to_string(), |t, p| t.replace(&format!("{{{p}}}"), ""));
            let chinese = words.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
            assert!(chinese || words.trim().is_empty(), "{} zh-CN {what} is not Chinese", rule.id);
        }
        assert!(!zh.message.trim_end().ends_with(['。', '.']), "{} zh-CN message ends with a full stop", rule.id);
    }
    for object in rules().objects.iter() {
        for field in object.fields.iter() {
            assert!(field.doc_zh.is_some(), "{}.{} has no doc_zh", object.name, field.name);
        }
    }
}

/// The Chinese texts use the glossary's terms, never the variants it lists to avoid.
#[test]
fn chinese_texts_follow_the_glossary() {
    let glossary = fs::read_to_string(root().join("docs/glossary.zh-CN.md")).expect("docs/glossary.zh-CN.md");
    let avoid: Vec<String> = glossary
        .lines()
        .filter(|l| l.starts_with('|') && !l.starts_with("|---") && !l.contains("| avoid"))
        .filter_map(|l| l.trim_matches('|').split('|').nth(2).map(str::trim).map(str::to_owned))
        .flat_map(|cell| {
            cell.split([',', '，', '、']).map(|t| t.trim().trim_matches('`').to_owned()).collect::<Vec<_>>()
        })
        .filter(|t| !t.is_empty() && t != "–" && t != "-")
        .collect();
    assert!(!avoid.is_empty(), "the glossary lists variants to avoid");
    for rule in rules().rules.iter() {
        let Some(zh) = &rule.zh else { continue };
        for text in [&zh.summary, &zh.message, &zh.help, &zh.docs] {
            for term in &avoid {
                assert!(
                    !text.contains(term.as_str()),
                    "{}: `{term}` is listed to avoid in the glossary: {text}",
                    rule.id
                );
            }
        }
    }
}

#[test]
fn errors_name_the_gateway_code_they_predict() {
    for rule in rules().rules.iter() {
        if let Some(code) = &rule.gateway_code {
            let ok = code.len() == 9 && code.starts_with("APIG.") && code[5..].bytes().all(|b| b.is_ascii_digit());
            assert!(ok, "{}: `{code}` is not an APIG.nnnn code", rule.id);
        }
        let limit = matches!(rule.check, Check::Document { .. });
        if rule.severity == Severity::Error && !limit {
            assert!(
                rule.gateway_code.is_some() != rule.no_gateway_code.is_some(),
                "{}: an error names the code it predicts, or says why it predicts none (not both)",
                rule.id
            );
        }
    }
}

/// Replaces the text between the generated-table markers.
fn with_generated(readme: &str, table: &str) -> Option<String> {
    let (start, end) = ("<!-- rules:start -->\n", "<!-- rules:end -->");
    let from = readme.find(start)? + start.len();
    let to = readme.find(end)?;
    Some(format!("{}{table}{}", &readme[..from], &readme[to..]))
}

/// Generated documents are current. `APIG_LINT_BLESS=1 cargo test` rewrites them.
#[test]
fn generated_docs_are_current() {
    let bless = std::env::var_os("APIG_LINT_BLESS").is_some();
    for (lang, readme, reference) in
        [(Lang::En, "README.md", "docs/rules.md"), (Lang::ZhCn, "README.zh-CN.md", "docs/rules.zh-CN.md")]
    {
        let readme_path = root().join(readme);
        let text = fs::read_to_string(&readme_path).unwrap_or_else(|_| panic!("{readme} exists"));
        let expected = with_generated(&text, &docs::markdown_table(rules(), lang))
            .unwrap_or_else(|| panic!("{readme} has the rules markers"));
        let reference_path = root().join(reference);
        let generated = docs::reference(rules(), lang);
        if bless {
            fs::write(&readme_path, &expected).unwrap();
            fs::write(&reference_path, &generated).unwrap();
            continue;
        }
        assert!(text == expected, "the {readme} rules table is stale: run `APIG_LINT_BLESS=1 cargo test --test rules`");
        let current = fs::read_to_string(&reference_path).unwrap_or_default();
        assert!(current == generated, "{reference} is stale: run `APIG_LINT_BLESS=1 cargo test --test rules`");
    }
}

#[test]
fn no_orphan_snapshots() {
    for entry in fs::read_dir(root().join("tests/snapshots")).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        // `samples/…` for tests/snapshots.rs and the Chinese rendering, `tests/fixes/…` for tests/fixes.rs.
        let found = [
            ("snapshots__samples@", "samples"),
            ("chinese__zh-CN__", "samples"),
            ("fixes__fixed_samples@", "tests/fixes"),
        ]
        .into_iter()
        .find_map(|(prefix, dir)| Some((name.strip_prefix(prefix)?.strip_suffix(".snap")?, dir)));
        let Some((sample, dir)) = found else {
            panic!("unexpected snapshot {name}");
        };
        let path = root().join(dir).join(sample.replace("__", "/"));
        assert!(path.exists(), "snapshot {name} has no sample at {}", path.display());
    }
}

#[test]
fn every_builtin_pattern_compiles() {
    rules().compile_patterns().expect("the field tables' patterns compile");
}

#[test]
fn the_embedded_rules_are_the_rule_files() {
    // The build compiles rules/ into Rust data; reading the TOML sources must give the same set.
    let mut files = Vec::new();
    for dir in ["rules", "rules/objects"] {
        for entry in fs::read_dir(root().join(dir)).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".toml") {
                files.push((format!("{dir}/{name}"), fs::read_to_string(entry.path()).unwrap()));
            }
        }
    }
    // In the build's order: the tables' order decides the indices the fields hold.
    files.sort();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (p.as_str(), t.as_str())).collect();
    let from_sources = RuleSet::from_files(&borrowed).expect("the TOML sources load");
    assert_eq!(format!("{:?}", from_sources.rules), format!("{:?}", rules().rules));
    assert_eq!(format!("{:?}", from_sources.objects), format!("{:?}", rules().objects));
}

#[test]
fn field_tables_cover_every_object_of_the_spec() {
    let expected = [
        "VpcCreate",
        "MemberGroupCreate",
        "MicroserviceLabel",
        "MemberInfo",
        "VpcHealthConfig",
        "MicroServiceCreate",
        "MicroServiceInfoCSEBase",
        "MicroServiceInfoCCEBase",
        "MicroServiceInfoCCEServiceBase",
        "MicroServiceInfoNacosBase",
        "NacosServerConfig",
        "NacosUserInfo",
    ];
    for name in expected {
        assert!(rules().object(name).is_some(), "no field table for {name}");
    }
    assert_eq!(rules().objects.len(), expected.len());
}

#[test]
fn broken_rule_data_is_refused_with_its_file() {
    let base: Vec<(&str, &str)> = vec![(
        "rules/objects/root.toml",
        "name = \"R\"\nroot = true\nsource = \"s\"\n[[field]]\nname = \"a\"\ntype = \"string\"\ndoc = \"d\"\n",
    )];
    let bad_pattern = [
        base.clone(),
        vec![(
            "rules/objects/x.toml",
            "name = \"X\"\nsource = \"s\"\n[[field]]\nname = \"b\"\ntype = \"string\"\npattern = \"[\"\ndoc = \"d\"\n",
        )],
    ]
    .concat();
    let error = RuleSet::from_files(&bad_pattern).and_then(|set| set.compile_patterns()).unwrap_err();
    assert!(error.0.contains("X.b"), "{}", error.0);
    let bad_path = [base.clone(), vec![("rules/r.toml", "id = \"AL999\"\nname = \"x\"\nseverity = \"error\"\nsummary = \"s\"\nmessage = \"m\"\nhelp = \"h\"\nsource = \"s\"\ndocs = \"d\"\n[check]\nkind = \"flag\"\nscope = \"\"\ntargets = [\"nope\"]\n")]].concat();
    let error = RuleSet::from_files(&bad_path).unwrap_err();
    assert!(error.0.contains("nope"), "{}", error.0);
    let dotted = bad_path.iter().map(|&(path, text)| (path, text.replace("\"nope\"", "\"a.b\""))).collect::<Vec<_>>();
    let dotted: Vec<(&str, &str)> = dotted.iter().map(|(p, t)| (*p, t.as_str())).collect();
    let error = RuleSet::from_files(&dotted).unwrap_err();
    assert!(error.0.contains("`a.b` is not a field name"), "{}", error.0);
    let unknown_key = [base, vec![("rules/r.toml", "id = \"AL999\"\nname = \"x\"\nseverity = \"fatal\"\n")]].concat();
    let error = RuleSet::from_files(&unknown_key).unwrap_err();
    assert!(error.0.contains("rules/r.toml"), "{}", error.0);
}

use super::*;

fn yaml(src: &str) -> Loaded {
    load(src.as_bytes(), Syntax::Yaml, Limits::default())
}
fn json(src: &str) -> Loaded {
    load(src.as_bytes(), Syntax::Json, Limits::default())
}
fn root_entries(doc: &Document) -> Vec<(String, Value)> {
    match doc.value(doc.root().unwrap()) {
        Value::Object(entries) => {
            entries.iter().map(|e| (e.key.name.to_string(), doc.value(e.value).clone())).collect()
        }
        other => panic!("root is {other:?}"),
    }
}

#[test]
fn yaml_core_schema_types_scalars() {
    let loaded = yaml("a: 22\nb: \"22\"\nc: yes\nd: ~\ne: 1.5\nf: 0x1F\ng: true\nh: !!str 7\n");
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let entries = root_entries(&loaded.documents[0]);
    let values: Vec<Value> = entries.into_iter().map(|(_, v)| v).collect();
    assert_eq!(
        values,
        vec![
            Value::Int(22),
            Value::Str("22".into()),
            Value::Str("yes".into()),
            Value::Null,
            Value::Float(1.5),
            Value::Int(31),
            Value::Bool(true),
            Value::Str("7".into()),
        ]
    );
}

#[test]
fn spans_are_byte_exact_for_keys_and_values() {
    let src = "name: \"VPC_demo\"\nport: 22\n";
    let loaded = yaml(src);
    let doc = &loaded.documents[0];
    let Value::Object(entries) = doc.value(doc.root().unwrap()) else { panic!() };
    assert_eq!(&src[entries[0].key.span.start..entries[0].key.span.end], "name");
    let value = doc.node(entries[0].value).span;
    assert_eq!(&src[value.start..value.end], "\"VPC_demo\"");
    let port = doc.node(entries[1].value).span;
    assert_eq!(&src[port.start..port.end], "22");

    let src = "{\n  \"name\": \"x\", \"name\": 1\n}";
    let loaded = json(src);
    let doc = &loaded.documents[0];
    let Value::Object(entries) = doc.value(doc.root().unwrap()) else { panic!() };
    assert_eq!(entries.len(), 2, "duplicates are kept");
    assert_eq!(&src[entries[1].key.span.start..entries[1].key.span.end], "\"name\"");
    assert_eq!(doc.get(doc.root().unwrap(), "name").map(|e| doc.value(e.value).clone()), Some(Value::Int(1)));
}

#[test]
fn bom_and_crlf_keep_file_offsets() {
    let src = "\u{FEFF}{\r\n  \"port\": 22\r\n}";
    let loaded = json(src);
    assert!(loaded.problems.is_empty());
    let doc = &loaded.documents[0];
    let entry = doc.get(doc.root().unwrap(), "port").unwrap();
    assert_eq!(&src[entry.key.span.start..entry.key.span.end], "\"port\"");
    let index = LineIndex::new(src);
    assert_eq!(index.position(src, entry.key.span.start), (2, 3));
    assert_eq!(index.position(src, 3), (1, 1), "the BOM is not a column");
}

#[test]
fn strict_json_rejects_comments_and_trailing_commas() {
    for src in ["{\"a\": 1,}", "{\"a\": 1 // c\n}", "{'a': 1}", "{a: 1}", "[1,]"] {
        let loaded = json(src);
        assert_eq!(loaded.problems.len(), 1, "{src}");
        assert_eq!(loaded.problems[0].kind, ProblemKind::Syntax, "{src}");
    }
}

#[test]
fn syntax_errors_point_at_their_position() {
    let loaded = json("{\n  \"a\": 1\n  \"b\": 2\n}");
    let problem = &loaded.problems[0];
    assert_eq!(problem.kind, ProblemKind::Syntax);
    assert_eq!(problem.span.start, 10, "right after `1`, where the comma is missing: {problem:?}");

    let loaded = yaml("a: [1, 2\nb: 3\n");
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].kind, ProblemKind::Syntax);
}

#[test]
fn encodings_are_reported_not_decoded() {
    let loaded = load(b"{\"a\": \"\xff\"}", Syntax::Json, Limits::default());
    assert_eq!(loaded.problems[0].kind, ProblemKind::Encoding);
    assert_eq!(loaded.problems[0].span.start, 7);
    let utf16: Vec<u8> = "{\"a\": 1}".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    let loaded = load(&utf16, Syntax::Json, Limits::default());
    assert_eq!(loaded.problems[0].kind, ProblemKind::Encoding);
    assert!(loaded.problems[0].message.contains("UTF-16"));
}

#[test]
fn deep_nesting_is_a_limit_not_a_crash() {
    let deep = "[".repeat(1_000_000);
    let loaded = json(&deep);
    assert!(loaded.problems.iter().any(|p| matches!(p.kind, ProblemKind::Limit | ProblemKind::Syntax)));
    let deep_yaml: String = (0..1_000_000).map(|_| "- ").collect();
    let loaded = yaml(&deep_yaml);
    assert!(loaded.problems.iter().any(|p| p.kind == ProblemKind::Limit), "{:?}", loaded.problems);
    let flow = "[".repeat(1_000_000);
    let loaded = yaml(&flow);
    assert!(!loaded.problems.is_empty());
}

#[test]
fn alias_bomb_hits_the_budget() {
    let mut src = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        src.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let loaded = yaml(&src);
    let problem = loaded.problems.iter().find(|p| p.kind == ProblemKind::Limit).expect("budget problem");
    assert!(problem.message.contains("alias"), "{problem:?}");
}

#[test]
fn aliases_resolve_to_their_anchor() {
    let loaded = yaml("base: &b {port: 80}\nother: *b\n");
    let doc = &loaded.documents[0];
    let other = doc.get(doc.root().unwrap(), "other").unwrap();
    assert!(matches!(doc.node(other.value).value, Value::Alias { .. }));
    let port = doc.get(other.value, "port").unwrap();
    assert_eq!(doc.value(port.value), &Value::Int(80));
}

#[test]
fn multi_document_streams_give_one_tree_each() {
    let loaded = yaml("a: 1\n---\nb: 2\n---\nc: [\n---\nd: 4\n");
    assert_eq!(loaded.documents.len(), 3, "{:?}", loaded.problems);
    assert_eq!(loaded.problems.len(), 1);
    assert_eq!(loaded.problems[0].document, 2);
}

#[test]
fn empty_input_is_a_problem() {
    for src in ["", "   \n", "\u{FEFF}"] {
        let loaded = yaml(src);
        assert_eq!(loaded.problems[0].kind, ProblemKind::Empty, "{src:?}");
    }
}

#[test]
fn raw_control_characters_in_json_strings_are_syntax_errors() {
    for (src, at) in [("{\"a\": \"x\ny\"}", 8), ("{\"a\": \"x\0\"}", 8), ("{\"k\tk\": 1}", 3)] {
        let loaded = json(src);
        assert!(loaded.documents.is_empty(), "{src:?}");
        assert_eq!(loaded.problems[0].kind, ProblemKind::Syntax, "{src:?}");
        assert_eq!(loaded.problems[0].span.start, at, "{src:?}");
    }
    assert!(json("{\"a\": \"x\\ny\\t\"}").problems.is_empty(), "escaped ones are fine");
}

#[test]
fn yaml_merge_keys_merge_and_explicit_keys_win() {
    let loaded =
        yaml("base: &b {port: 80, weight: 1}\nmore: &m {weight: 5, status: 1}\nx:\n  <<: [*b, *m]\n  weight: 9\n");
    let doc = &loaded.documents[0];
    let x = doc.get(doc.root().unwrap(), "x").unwrap().value;
    let value = |key: &str| doc.get(x, key).map(|e| doc.value(e.value).clone());
    assert_eq!(value("weight"), Some(Value::Int(9)), "explicit keys win");
    assert_eq!(value("port"), Some(Value::Int(80)));
    assert_eq!(value("status"), Some(Value::Int(1)));
    let names: Vec<&str> = doc.entries(x).iter().map(|e| e.key.name.as_str()).collect();
    assert_eq!(names, ["weight", "port", "status"], "own entries first, merge key not an entry");

    let quoted = yaml("x:\n  \"<<\": {port: 80}\n");
    let doc = &quoted.documents[0];
    let x = doc.get(doc.root().unwrap(), "x").unwrap().value;
    assert!(doc.get(x, "port").is_none(), "a quoted `<<` is an ordinary key");
    assert!(doc.get(x, "<<").is_some());
}

/// A long commented-out block between a key and its value is not an error, with or without
/// apig-lint directives in the file (granit-parser buffers only 96 comments by default).
#[test]
fn long_comment_blocks_load() {
    let block: String = (0..300).map(|i| format!("  # line {i}\n")).collect();
    for head in ["", "# apig-lint: ignore AL101 -- test\n"] {
        let text = format!("{head}members:\n{block}  - host: 10.0.0.1\nport: [1,\n{block}  2]\n");
        let loaded = yaml(&text);
        assert!(loaded.problems.is_empty(), "{head}: {:?}", loaded.problems);
        assert_eq!(loaded.comments.len(), head.len().min(1), "only directive-like comments are kept");
    }
}

/// RFC 8259 white space is space, tab, LF and CR; jsonc-parser takes any Unicode white space.
#[test]
fn json_white_space_is_only_what_rfc_8259_allows() {
    for (src, bad) in [
        ("\u{c}{\"name\": \"x\"}", '\u{c}'),
        ("{\"name\":\u{b}\"x\"}", '\u{b}'),
        ("{\"name\": \"x\"}\u{a0}", '\u{a0}'),
        ("{\u{2028}\"name\": \"x\"}", '\u{2028}'),
    ] {
        let loaded = json(src);
        assert_eq!(loaded.problems.len(), 1, "{src:?}");
        assert_eq!(loaded.problems[0].kind, ProblemKind::Syntax, "{src:?}");
        assert_eq!(loaded.problems[0].span.start, src.find(bad).unwrap(), "{src:?}");
    }
    let fine = json("{\"name\": \" \u{a0}\u{2028}\", \"a\\\"\": 1}\r\n\t ");
    assert!(fine.problems.is_empty(), "inside strings they are content: {:?}", fine.problems);
}

/// Nothing but comments, `...` or directives-free markers: no document, as an empty file.
#[test]
fn yaml_without_a_document_is_empty() {
    for src in ["# just a comment\n# and another\n", "...\n", "# c\n...\n...\n"] {
        let loaded = yaml(src);
        assert!(loaded.documents.is_empty(), "{src:?}");
        assert_eq!(loaded.problems.len(), 1, "{src:?}");
        assert_eq!(loaded.problems[0].kind, ProblemKind::Empty, "{src:?}");
    }
}

#[test]
fn merge_keys_need_mappings() {
    for src in ["a: 1\n<<: 5\n", "<<: null\nname: x\n", "<<: [1]\n", "b: &b [1]\nx:\n  <<: *b\n", "<<: [{a: 1}, 2]\n"] {
        let loaded = yaml(src);
        assert_eq!(loaded.problems.len(), 1, "{src:?}");
        assert_eq!(loaded.problems[0].kind, ProblemKind::Syntax, "{src:?}");
        assert!(loaded.problems[0].message.contains("merge key"), "{src:?}");
    }
    let tagged = yaml("base: &b {port: 80}\nx:\n  !!merge <<: *b\n  name: y\n");
    assert!(tagged.problems.is_empty(), "{:?}", tagged.problems);
    let doc = &tagged.documents[0];
    let x = doc.get(doc.root().unwrap(), "x").unwrap().value;
    assert!(doc.get(x, "port").is_some(), "`!!merge <<` is a merge key");
    assert!(doc.get(x, "<<").is_none());
}

/// Merge chains are followed to any depth (they were cut at 32, so a field merged from further
/// away went missing).
#[test]
fn merge_chains_have_no_depth_limit() {
    let mut src = String::from("l0: &l0 {deep: 1}\n");
    for i in 1..=60 {
        src.push_str(&format!("l{i}: &l{i} {{<<: *l{}, k{i}: {i}}}\n", i - 1));
    }
    src.push_str("x:\n  <<: *l60\n");
    let loaded = load(src.as_bytes(), Syntax::Yaml, Limits { alias_budget: u64::MAX, ..Limits::default() });
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = &loaded.documents[0];
    let x = doc.get(doc.root().unwrap(), "x").unwrap().value;
    assert_eq!(doc.get(x, "deep").map(|e| doc.value(e.value).clone()), Some(Value::Int(1)));
    assert_eq!(doc.entries(x).len(), 61);
}

#[test]
fn documents_per_file_are_capped() {
    let src = "---\nname: x\n".repeat(50);
    let loaded = load(src.as_bytes(), Syntax::Yaml, Limits { max_documents: 10, ..Limits::default() });
    assert_eq!(loaded.documents.len(), 10);
    assert_eq!(loaded.problems.len(), 1, "{:?}", loaded.problems);
    assert_eq!(loaded.problems[0].kind, ProblemKind::Limit);
    assert!(loaded.problems[0].message.contains("--max-documents"));
    assert_eq!(loaded.problems[0].span.start, src.match_indices("---").nth(10).unwrap().0);
}

/// A lone CR ends a line for YAML too: the second key is on line 2.
#[test]
fn carriage_return_line_ends_load() {
    let src = "name: x\rport: 22\r";
    let loaded = yaml(src);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = &loaded.documents[0];
    let port = doc.get(doc.root().unwrap(), "port").unwrap();
    assert_eq!(LineIndex::new(src).position(src, port.key.span.start), (2, 1));
}

/// Head spans of deep sequences are found without recursion.
#[test]
fn head_span_of_a_deep_sequence() {
    let depth = 100_000;
    let src = format!("{}1", "- ".repeat(depth));
    let limits = Limits { max_depth: depth + 10, ..Limits::default() };
    let loaded = load(src.as_bytes(), Syntax::Yaml, limits);
    assert!(loaded.problems.is_empty(), "{:?}", loaded.problems);
    let doc = loaded.documents[0].clone();
    let head = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || doc.head_span(doc.root().unwrap()))
        .unwrap()
        .join()
        .unwrap();
    assert_eq!(head.start, 0);
}

/// Does the one-pass JSON reader accept `text`? Where it does, it must build what the
/// `jsonc-parser` path builds.
fn same_as_jsonc(text: &str) -> bool {
    assert_json_readers_agree(text);
    json_reader::read(text, 0, Limits::default()).is_some()
}

#[test]
fn the_json_reader_builds_what_jsonc_parser_builds() {
    let mut accepted = 0;
    let mut files = Vec::new();
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut dirs = vec![root.join("samples"), root.join("tests")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "json") {
                files.push(path);
            }
        }
    }
    for file in &files {
        let Ok(text) = std::fs::read_to_string(file) else { continue };
        accepted += usize::from(same_as_jsonc(text.strip_prefix('\u{FEFF}').unwrap_or(&text)));
    }
    assert!(accepted >= 60, "the reader read only {accepted} of {} sample files", files.len());
    let valid = [
        "{}",
        "[]",
        " \t\r\n{ \"a\" : [ 1 , -0 , 0.5 , -1.5e+10 , 2E-3 , 1e999 , 123456789012345678901234567890123456789012 ] } \n",
        r#"{"a":1,"a":2,"":null,"t":true,"f":false}"#,
        r#"{"esc":"\"\\\/\b\f\n\r\t \u0041 \u00e9 \u4e2d \ud83d\ude00 \u0000","k\u00e9y":"v"}"#,
        r#""top""#,
        "42",
        r#"[[[[{"deep":[{}]}]]]]"#,
        "{\"中文\":\"值（全角）\",\"emoji\":\"😀\"}",
    ];
    for text in valid {
        assert!(same_as_jsonc(text), "the reader refused valid JSON: {text:?}");
    }
    let refused = [
        "",
        "   ",
        "{,}",
        "[1,]",
        r#"{"a":1,}"#,
        "01",
        "1.",
        ".5",
        "+1",
        "-",
        "1e",
        "NaN",
        "{'a':1}",
        "{a:1}",
        r#""\ud800""#,
        r#""\udc00x""#,
        r#""\x41""#,
        "\"tab\there\"",
        "\u{c}{}",
        "{}\u{a0}",
        r#"{"a":1}x"#,
        r#"{"a" 1}"#,
        "[1 2]",
        "// c\n{}",
        "tru",
        "nul",
    ];
    for text in refused {
        assert!(!same_as_jsonc(text), "the reader accepted {text:?}");
    }
    let deep = format!("{}{}", "[".repeat(300), "]".repeat(300));
    assert!(json_reader::read(&deep, 0, Limits { max_depth: 1000, ..Limits::default() }).is_none());
}

#[test]
fn the_extension_chooses_the_syntax_whatever_its_case() {
    for (path, syntax) in [
        ("a.json", Syntax::Json),
        ("dir/A.JSON", Syntax::Json),
        (".json", Syntax::Json),
        ("json", Syntax::Yaml),
        ("a.json.yaml", Syntax::Yaml),
        ("a.yml", Syntax::Yaml),
        ("é.json", Syntax::Json),
        ("a.jsoné", Syntax::Yaml),
        ("", Syntax::Yaml),
    ] {
        assert_eq!(Syntax::from_path(path), syntax, "{path}");
    }
}

#![no_main]
//! The YAML loader on arbitrary bytes: never panics, never expands an alias bomb, spans stay
//! inside the file.

use apig_lint::document::{Limits, Syntax, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = load(data, Syntax::Yaml, Limits::default());
    for doc in &loaded.documents {
        for node in doc.nodes() {
            assert!(node.span.start <= node.span.end && node.span.end <= loaded.text.len());
        }
    }
});

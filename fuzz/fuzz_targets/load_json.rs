#![no_main]
//! The JSON loader on arbitrary bytes: never panics, spans stay inside the file; and the one-pass
//! reader builds what `jsonc-parser` builds for every text it accepts.

use apig_lint::document::{Limits, Syntax, assert_json_readers_agree, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        assert_json_readers_agree(text);
    }
    let loaded = load(data, Syntax::Json, Limits::default());
    for problem in &loaded.problems {
        assert!(problem.span.start <= problem.span.end && problem.span.end <= data.len().max(loaded.text.len()));
    }
});

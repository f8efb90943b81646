#![no_main]
//! The JSON loader on arbitrary bytes: never panics, spans stay inside the file.

use apig_lint::document::{Limits, Syntax, load};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let loaded = load(data, Syntax::Json, Limits::default());
    for problem in &loaded.problems {
        assert!(problem.span.start <= problem.span.end && problem.span.end <= data.len().max(loaded.text.len()));
    }
});

//! Reading inputs: the library's [`apig_lint::read`], shared with the language server.

pub use apig_lint::read::*;

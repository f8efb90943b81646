//! Reports as text, one module per output format. Every function returns a `String`; the binary
//! decides where it goes. Living in the library, the renderers are fuzzed with the checks.

pub mod gitlab;
pub mod human;
pub mod json;
pub mod junit;
pub mod lines;
pub mod sarif;
pub mod uri;

//! apig-lint: an offline linter for Huawei Cloud API Gateway VPC-channel request bodies.
//!
//! The library loads documents, runs the rules and returns diagnostics as data; it never prints.
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod fingerprint;
pub mod lint;
pub mod rules;

pub use diagnostic::{Diagnostic, Related};
pub use engine::Engine;
pub use lint::{FileReport, Options, lint_bytes};

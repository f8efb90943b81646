//! apig-lint: an offline linter for Huawei Cloud API Gateway VPC-channel request bodies.
//!
//! The library loads documents, runs the rules and returns diagnostics as data, and renders them
//! as text for each output format; it never prints.

#![forbid(unsafe_code)]

pub mod baseline;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod engine;
pub mod escape;
pub mod fingerprint;
pub mod fix;
pub mod lang;
pub mod lint;
pub mod lsp;
pub mod read;
pub mod render;
pub mod rules;
pub mod settings;
pub mod suppress;

pub use diagnostic::{Diagnostic, Related};
pub use engine::{Engine, Tally};
pub use lang::Lang;
pub use lint::{FilePolicy, FileReport, Options, lint_bytes};

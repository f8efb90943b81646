//! apig-lint: an offline linter for Huawei Cloud API Gateway VPC-channel request bodies.
pub mod document;

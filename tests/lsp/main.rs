//! The language server in process: a scripted client over an in-memory connection.

mod client;
mod features;
mod protocol;

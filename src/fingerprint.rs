//! Content keys for findings: what a baseline records and what SARIF and GitLab call a
//! fingerprint. Built from the rule, the document, the pointer and the offending value, never from
//! line numbers, so reformatting a file or inserting lines above a finding leaves them unchanged.

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::document::{Document, Value};

/// A short stable hash of what a finding is about: the scalar its pointer names (as JSON, so
/// `'a'` and `"a"` agree), or just the kind of a collection (a collection's finding is about the
/// place, and editing its other fields must not change it). A finding outside any parsed document
/// (a syntax error) hashes the source text it points at.
pub fn value_hash(text: &str, document: Option<&Document>, diagnostic: &Diagnostic) -> String {
    let node = document.and_then(|doc| Some((doc, doc.at_pointer(&diagnostic.pointer)?)));
    let canonical = match node {
        Some((doc, id)) => match doc.value(id) {
            Value::Object(_) => "{object}".to_owned(),
            Value::Array(_) => "[array]".to_owned(),
            _ => doc.to_json(id).to_string(),
        },
        None => text.get(diagnostic.span.start..diagnostic.span.end).unwrap_or_default().to_owned(),
    };
    hex(&Sha256::digest(canonical.as_bytes())[..8])
}

/// The fingerprint of a finding within its file: rule, document, pointer and value hash.
pub fn fingerprint(rule_id: &str, diagnostic: &Diagnostic) -> String {
    let mut hasher = Sha256::new();
    for part in [rule_id, &diagnostic.document.to_string(), &diagnostic.pointer, &diagnostic.value_hash] {
        hasher.update(part.as_bytes());
        hasher.update([0]);
    }
    hex(&hasher.finalize()[..16])
}

/// The same, made unique across a report: the file and, for findings that would otherwise share
/// one, their order of occurrence.
pub fn unique(file: &str, fingerprint: &str, occurrence: usize) -> String {
    let digest = Sha256::digest(format!("{file}\0{fingerprint}\0{occurrence}").as_bytes());
    hex(&digest[..16])
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

//! Content keys for findings: what a baseline records and what SARIF and GitLab call a
//! fingerprint. Built from the rule, the document, the pointer and the offending value, never from
//! line numbers, so reformatting a file or inserting lines above a finding leaves them unchanged.

use std::borrow::Cow;
use std::collections::HashMap;

use sha2::{Digest, Sha256};

use crate::diagnostic::Diagnostic;
use crate::document::{Document, NodeId, Value};

/// A short stable hash of what a finding is about: the scalar its pointer names (as JSON, so
/// `'a'` and `"a"` agree), or just the kind of a collection (a collection's finding is about the
/// place, and editing its other fields must not change it). A finding outside any parsed document
/// (a syntax error) hashes the source text it points at.
pub(crate) fn value_hash(text: &str, document: Option<&Document>, diagnostic: &Diagnostic) -> String {
    let mut resolver = document.map(Resolver::new);
    value_hash_in(text, resolver.as_mut(), diagnostic)
}

/// [`value_hash`] through a [`Resolver`] kept for all the findings of one document, so that many
/// findings in one large object cost one pass over it, not one each.
pub(crate) fn value_hash_in(text: &str, resolver: Option<&mut Resolver>, diagnostic: &Diagnostic) -> String {
    let node = resolver.and_then(|r| Some((r.doc, r.at_pointer(&diagnostic.pointer)?)));
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

/// Objects with more entries than this (or with merge keys) are indexed once, not scanned.
const SCAN_LIMIT: usize = 16;

/// Finds the nodes RFC 6901 pointers (`/members/0/host`) name in one document, aliases and merge
/// keys followed, with each large object indexed by key the first time a pointer goes through it:
/// resolving a finding per key of an object with 100,000 keys is then linear, not quadratic.
pub(crate) struct Resolver<'d> {
    doc: &'d Document,
    index: HashMap<NodeId, HashMap<&'d str, NodeId>>,
}

impl<'d> Resolver<'d> {
    pub fn new(doc: &'d Document) -> Self {
        Resolver { doc, index: HashMap::new() }
    }

    /// The node `pointer` names, aliases and merge keys followed.
    pub(crate) fn at_pointer(&mut self, pointer: &str) -> Option<NodeId> {
        let doc = self.doc;
        let mut id = doc.root()?;
        for token in pointer.split('/').skip(1) {
            let token: Cow<str> =
                if token.contains('~') { token.replace("~1", "/").replace("~0", "~").into() } else { token.into() };
            let object = doc.resolve(id);
            id = match doc.value(object) {
                Value::Object(entries) if entries.len() <= SCAN_LIMIT && !entries.iter().any(|e| e.key.merge) => {
                    doc.get(object, &token)?.value
                }
                Value::Object(_) => {
                    let keys = self.index.entry(object).or_insert_with(|| {
                        // Later own entries overwrite earlier ones (the last of duplicates wins);
                        // merged entries come after, each a key the object does not define.
                        doc.entries(object).into_iter().map(|e| (e.key.name.as_str(), e.value)).collect()
                    });
                    *keys.get(token.as_ref())?
                }
                Value::Array(items) => *items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(doc.resolve(id))
    }
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
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 0xF)]));
    }
    out
}

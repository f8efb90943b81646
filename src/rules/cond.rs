//! Conditions under which a cross-field check applies. Every predicate given must hold.

use serde::Deserialize;

use super::{Literal, Path};

/// The kinds of channel the gateway distinguishes (`vpc_channel_type`, resolved as in §2.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelKind {
    Builtin,
    Microservice,
    Reference,
}

impl ChannelKind {
    /// The kind as the page names it in Chinese (服务器类型 without 类型, which messages add).
    pub fn zh(self) -> &'static str {
        match self {
            ChannelKind::Builtin => "服务器",
            ChannelKind::Microservice => "微服务",
            ChannelKind::Reference => "引用",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ChannelKind::Builtin => "builtin",
            ChannelKind::Microservice => "microservice",
            ChannelKind::Reference => "reference",
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cond {
    /// The channel resolves to one of these kinds.
    pub channel: Option<Vec<ChannelKind>>,
    /// The field the predicates below test.
    pub path: Option<Path>,
    /// The field is set (not missing, not null, not one of its "unset" values).
    pub present: Option<bool>,
    /// The field is set and, for a string, array or object, not empty.
    pub non_empty: Option<bool>,
    /// The field equals one of these (case-insensitively where its table says so).
    pub equals: Option<Vec<Literal>>,
    /// The field is an integer greater than this.
    pub greater_than: Option<i64>,
    /// The field is an array with more items than this.
    pub more_items_than: Option<usize>,
    pub all: Option<Vec<Cond>>,
    pub any: Option<Vec<Cond>>,
    pub not: Option<Box<Cond>>,
}

impl Cond {
    /// Every path the condition reads.
    pub fn paths(&self) -> Vec<&Path> {
        let mut out: Vec<&Path> = self.path.iter().collect();
        for nested in self.all.iter().chain(self.any.iter()).flatten() {
            out.extend(nested.paths());
        }
        if let Some(nested) = &self.not {
            out.extend(nested.paths());
        }
        out
    }
}

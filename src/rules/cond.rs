//! Conditions under which a cross-field check applies. Every predicate given must hold.

use super::{ChannelKind, Cond, Path};

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

impl Cond {
    /// Every path the condition reads.
    pub fn paths(&self) -> Vec<&Path> {
        let mut out: Vec<&Path> = self.path.iter().collect();
        for nested in self.all.iter().chain(&self.any).chain(&self.not).flat_map(|list| list.iter()) {
            out.extend(nested.paths());
        }
        out
    }
}

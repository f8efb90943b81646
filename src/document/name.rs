//! A key's name. Nearly every key of a channel is a field name of the rule tables; such a name is
//! held as the tables' own static text instead of a copy per key (keys were a fifth of a
//! document's allocations).

use std::borrow::{Borrow, Cow};
use std::fmt;
use std::ops::Deref;

/// The text of an object key, unescaped. Dereferences to `str`.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name(Cow<'static, str>);

impl Name {
    /// The name `text`, copied only when it is not a field name of the built-in tables.
    pub fn new(text: &str) -> Name {
        Name(crate::rules::field_name(text).map_or_else(|| Cow::Owned(text.to_owned()), Cow::Borrowed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        match crate::rules::field_name(&text) {
            Some(known) => Name(Cow::Borrowed(known)),
            None => Name(Cow::Owned(text)),
        }
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0.into_owned()
    }
}

impl Deref for Name {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::Name;
    use std::borrow::Cow;

    #[test]
    fn field_names_are_not_copied_and_others_are() {
        assert!(matches!(Name::new("balance_strategy").0, Cow::Borrowed(_)));
        assert!(matches!(Name::from("member_type".to_owned()).0, Cow::Borrowed(_)));
        assert!(matches!(Name::new("balance_strategies").0, Cow::Owned(_)));
        assert!(matches!(Name::new("").0, Cow::Owned(_)));
        assert_eq!(Name::new("port"), "port");
        assert_eq!(Name::new("p\u{f6}rt").as_str(), "p\u{f6}rt");
    }
}

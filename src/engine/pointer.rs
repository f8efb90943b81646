//! JSON pointers (RFC 6901), built lazily: a located node holds its path as tokens that borrow
//! keys from the document, and the text is made only for a finding that is reported.
//!
//! The tokens live inline (no allocation, a copy on clone): the paths the rules and field tables
//! walk are a handful of steps deep. Only the document-wide walk goes as deep as the input, and it
//! keeps its own chain of frames instead of a pointer per node.

use std::fmt::Write as _;

use smallvec::SmallVec;

/// The deepest path of the field tables is five steps
/// (`microservice_info.nacos_info.server_config[0].ip_address`); deeper ones spill to the heap.
const INLINE: usize = 5;

#[derive(Clone, Debug, Default)]
pub struct Pointer<'a>(SmallVec<[Token<'a>; INLINE]>);

#[derive(Clone, Copy, Debug)]
pub(crate) enum Token<'a> {
    Key(&'a str),
    Index(usize),
}

impl<'a> Pointer<'a> {
    pub fn root() -> Self {
        Pointer(SmallVec::new())
    }

    /// The pointer of these tokens, from the root down.
    pub(crate) fn from_tokens(tokens: impl IntoIterator<Item = Token<'a>>) -> Self {
        Pointer(tokens.into_iter().collect())
    }

    pub fn key(&self, key: &'a str) -> Self {
        self.with(Token::Key(key))
    }

    pub fn index(&self, index: usize) -> Self {
        self.with(Token::Index(index))
    }

    fn with(&self, token: Token<'a>) -> Self {
        let mut tokens = SmallVec::with_capacity(self.0.len() + 1);
        tokens.extend_from_slice(&self.0);
        tokens.push(token);
        Pointer(tokens)
    }

    /// The tokens from the root down.
    fn tokens(&self) -> &[Token<'a>] {
        &self.0
    }

    /// The place as a user reads it in a message: `` `members[1]` ``, `` `vpc_health_config` ``,
    /// or "the top-level object".
    pub fn display(&self, lang: crate::Lang) -> String {
        let tokens = self.tokens();
        if tokens.is_empty() {
            return lang.pick("the top-level object", "顶层对象").to_owned();
        }
        let mut out = String::from("`");
        for (i, token) in tokens.iter().enumerate() {
            match token {
                Token::Key(key) if i == 0 => out.push_str(key),
                Token::Key(key) => {
                    out.push('.');
                    out.push_str(key);
                }
                Token::Index(index) => {
                    let _ = write!(out, "[{index}]");
                }
            }
        }
        out.push('`');
        out
    }

    /// The pointer's text, `~` and `/` in keys escaped; `""` for the document itself.
    pub fn render(&self) -> String {
        let tokens = self.tokens();
        let mut out = String::new();
        for token in tokens {
            out.push('/');
            match token {
                Token::Key(key) if key.contains(['~', '/']) => out.push_str(&key.replace('~', "~0").replace('/', "~1")),
                Token::Key(key) => out.push_str(key),
                Token::Index(index) => {
                    let _ = write!(out, "{index}");
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn renders_rfc_6901() {
        assert_eq!(Pointer::root().render(), "");
        assert_eq!(Pointer::root().key("members").index(3).key("host").render(), "/members/3/host");
        assert_eq!(Pointer::root().key("a/b").key("c~d").render(), "/a~1b/c~0d");
    }

    #[test]
    fn displays_places_as_users_write_them() {
        assert_eq!(Pointer::root().display(crate::Lang::En), "the top-level object");
        assert_eq!(Pointer::root().key("members").index(1).display(crate::Lang::En), "`members[1]`");
        assert_eq!(
            Pointer::root().key("microservice_info").key("cce_info").display(crate::Lang::En),
            "`microservice_info.cce_info`"
        );
    }
}

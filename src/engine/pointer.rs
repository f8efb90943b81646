//! JSON pointers (RFC 6901), built lazily: a located node shares its parent's path and adds one
//! step, and the text is made only for a finding that is reported. Keys borrow from the document.

use std::fmt::Write as _;
use std::rc::Rc;

#[derive(Clone, Debug, Default)]
pub struct Pointer<'a>(Option<Rc<Step<'a>>>);

#[derive(Debug)]
struct Step<'a> {
    parent: Pointer<'a>,
    token: Token<'a>,
}

#[derive(Debug)]
enum Token<'a> {
    Key(&'a str),
    Index(usize),
}

/// Dropping the last handle on a deep chain would drop each step's parent inside the step's own
/// drop, one stack frame per level of the input: unlink the chain in a loop instead.
impl Drop for Pointer<'_> {
    fn drop(&mut self) {
        let mut next = self.0.take();
        while let Some(step) = next {
            next = match Rc::try_unwrap(step) {
                Ok(mut step) => step.parent.0.take(),
                Err(_) => None,
            };
        }
    }
}

impl<'a> Pointer<'a> {
    pub fn root() -> Self {
        Pointer(None)
    }

    pub fn key(&self, key: &'a str) -> Self {
        Pointer(Some(Rc::new(Step { parent: self.clone(), token: Token::Key(key) })))
    }

    pub fn index(&self, index: usize) -> Self {
        Pointer(Some(Rc::new(Step { parent: self.clone(), token: Token::Index(index) })))
    }

    /// The tokens from the root down.
    fn tokens(&self) -> Vec<&Token<'a>> {
        let mut tokens = Vec::new();
        let mut at = &self.0;
        while let Some(step) = at {
            tokens.push(&step.token);
            at = &step.parent.0;
        }
        tokens.reverse();
        tokens
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

    #[test]
    fn a_deep_chain_drops_without_recursion() {
        // Run on a thread with a small stack: a recursive drop of a million steps overflows it.
        let dropped = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(|| {
                let mut pointer = Pointer::root();
                for i in 0..1_000_000 {
                    pointer = pointer.index(i);
                }
                drop(pointer);
            })
            .unwrap()
            .join();
        assert!(dropped.is_ok());
    }
}

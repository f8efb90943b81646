//! JSON pointers (RFC 6901), built lazily: a located node holds its place on a [`Trail`] (a
//! number), the trail holds each place as the place above it and one token that borrows a key
//! from the document, and a [`Pointer`]'s text is made only for a finding that is reported.
//!
//! The document-wide walk goes as deep as the input, and keeps its own chain of frames instead.

use std::cell::RefCell;
use std::fmt::Write as _;

use smallvec::SmallVec;

use crate::document::NodeId;

/// A place on a [`Trail`]: copied with a located node instead of its path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct PlaceId(u32);

impl PlaceId {
    /// The document itself.
    pub const ROOT: PlaceId = PlaceId(0);
}

/// The places the checks of one document have located. A node reached the usual way (not
/// through a YAML alias or merge key) has one place, made the first time it is located and found
/// again after; one reached through an alias gets a place for each way it is reached, as the
/// path differs. So memory follows the document's size, not how often rules look at a node.
pub(crate) struct Trail<'a> {
    /// Each place's parent and last token; the first is the document itself.
    steps: RefCell<Vec<(PlaceId, Token<'a>)>>,
    /// The place of each node (by id) reached the usual way, once made (the root's place, 0,
    /// where none is made yet: no node but the root has it).
    by_node: RefCell<Vec<PlaceId>>,
}

impl<'a> Trail<'a> {
    pub fn new(nodes: usize) -> Self {
        // About one place a node; more only for nodes reached through aliases.
        let mut steps = Vec::with_capacity(nodes + 1);
        steps.push((PlaceId::ROOT, Token::Index(0)));
        Trail { steps: RefCell::new(steps), by_node: RefCell::new(vec![PlaceId::ROOT; nodes]) }
    }

    /// The place of `token` under `parent`; `node` is the node it holds when it is reached the
    /// usual way (then its place is made once).
    pub fn step(&self, parent: PlaceId, token: Token<'a>, node: Option<NodeId>) -> PlaceId {
        let known = node.and_then(|n| self.by_node.borrow().get(n).copied()).filter(|&p| p != PlaceId::ROOT);
        if let Some(place) = known {
            return place;
        }
        let mut steps = self.steps.borrow_mut();
        // More places than a u32 counts cannot be: the file size limit comes first.
        let place = PlaceId(u32::try_from(steps.len()).unwrap_or(u32::MAX));
        steps.push((parent, token));
        if let Some(n) = node
            && let Some(slot) = self.by_node.borrow_mut().get_mut(n)
        {
            *slot = place;
        }
        place
    }

    /// The pointer of a place.
    pub fn pointer(&self, place: PlaceId) -> Pointer<'a> {
        let steps = self.steps.borrow();
        let mut tokens: SmallVec<[Token<'a>; INLINE]> = SmallVec::new();
        let mut at = place;
        while at != PlaceId::ROOT {
            let Some(&(parent, token)) = steps.get(at.0 as usize) else { break };
            tokens.push(token);
            at = parent;
        }
        tokens.reverse();
        Pointer(tokens)
    }
}

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
    /// The pointer of these tokens, from the root down.
    pub(crate) fn from_tokens(tokens: impl IntoIterator<Item = Token<'a>>) -> Self {
        Pointer(tokens.into_iter().collect())
    }

    /// This pointer and one key more.
    pub fn key(mut self, key: &'a str) -> Self {
        self.0.push(Token::Key(key));
        self
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
    use super::{PlaceId, Pointer, Token, Trail};

    #[test]
    fn renders_rfc_6901() {
        assert_eq!(Pointer::from_tokens([]).render(), "");
        let member_host = [Token::Key("members"), Token::Index(3), Token::Key("host")];
        assert_eq!(Pointer::from_tokens(member_host).render(), "/members/3/host");
        assert_eq!(Pointer::from_tokens([Token::Key("a/b")]).key("c~d").render(), "/a~1b/c~0d");
    }

    #[test]
    fn displays_places_as_users_write_them() {
        assert_eq!(Pointer::from_tokens([]).display(crate::Lang::En), "the top-level object");
        let member = [Token::Key("members"), Token::Index(1)];
        assert_eq!(Pointer::from_tokens(member).display(crate::Lang::En), "`members[1]`");
        let cce = [Token::Key("microservice_info"), Token::Key("cce_info")];
        assert_eq!(Pointer::from_tokens(cce).display(crate::Lang::En), "`microservice_info.cce_info`");
    }

    #[test]
    fn a_node_reached_the_usual_way_has_one_place_and_an_aliased_one_a_place_per_path() {
        let trail = Trail::new(4);
        let members = trail.step(PlaceId::ROOT, Token::Key("members"), Some(1));
        let first = trail.step(members, Token::Index(0), Some(2));
        assert_eq!(trail.step(members, Token::Index(0), Some(2)), first, "made once");
        assert_eq!(trail.pointer(first).render(), "/members/0");
        // The same node through an alias elsewhere: its own place, and the usual one stays.
        let other = trail.step(PlaceId::ROOT, Token::Key("other"), None);
        let aliased = trail.step(other, Token::Key("host"), None);
        assert_eq!(trail.pointer(aliased).render(), "/other/host");
        assert_eq!(trail.pointer(trail.step(members, Token::Index(0), Some(2))).render(), "/members/0");
        assert_eq!(trail.pointer(PlaceId::ROOT).render(), "");
    }
}

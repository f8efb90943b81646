//! What the checks see of a document: located nodes, paths, conditions, the channel kind.

use std::cell::RefCell;
use std::collections::HashMap;

use super::Place;
use super::pointer::{PlaceId, Pointer, Token, Trail};
use crate::diagnostic::Related;
use crate::document::{Document, Entry, NodeId, Span, Value};
use crate::rules::{ChannelKind, Cond, FieldDef, Literal, ObjectDef, Path, RuleSet, Step};
use smallvec::SmallVec;

/// A node found by a path, with where it sits and what the field tables say of it.
#[derive(Clone, Debug)]
pub(crate) struct Loc<'a> {
    /// The node, aliases resolved.
    pub id: NodeId,
    /// Where it sits, on the context's trail ([`Ctx::place`] and [`Ctx::display`] write it out).
    pub pointer: PlaceId,
    /// The key it is the value of, if any.
    pub key: Option<Span>,
    /// The node's own range (for an alias, the alias use).
    pub span: Span,
    /// The field it is the value of (for an array item: the array's field).
    pub def: Option<&'a FieldDef>,
    /// The table its entries (or, for an array, its items' entries) are described by.
    pub object: Option<&'a ObjectDef>,
    /// Where a YAML alias (or merge key) brought this node in, if one did on the way here.
    pub via: Option<Span>,
    /// The misspelt key this node (or one above it) is read through, and the field it nearly
    /// names: `vpc_health_confg` read as `vpc_health_config`.
    pub typo: Option<(Span, &'a str)>,
}

impl Loc<'_> {
    /// Where a label about the node as a whole goes: its key, else its head.
    pub(crate) fn anchor(&self, doc: &Document) -> Span {
        self.key.unwrap_or_else(|| doc.head_span(self.id))
    }
}

pub struct Ctx<'a> {
    pub doc: &'a Document,
    pub rules: &'a RuleSet,
    pub root: NodeId,
    pub channel: Option<ChannelKind>,
    /// The language of messages and labels.
    pub lang: crate::Lang,
    /// Misspelt keys found by the field-table pass, per object: the field each nearly names and
    /// the entry that stands for it. Every later rule reads the entry as that field.
    typos: RefCell<HashMap<NodeId, Vec<(&'a str, &'a Entry)>>>,
    /// Has any been found? Most documents have none, and every lookup of an absent field asks.
    any_typo: std::cell::Cell<bool>,
    /// Where located nodes sit.
    trail: Trail<'a>,
}

impl<'a> Ctx<'a> {
    pub fn new(doc: &'a Document, rules: &'a RuleSet, root: NodeId, lang: crate::Lang) -> Self {
        let trail = Trail::new(doc.nodes().len());
        let mut ctx =
            Ctx { doc, rules, root, channel: None, lang, typos: RefCell::default(), any_typo: false.into(), trail };
        ctx.channel = ctx.resolve_channel();
        ctx
    }

    pub(crate) fn root_loc(&self) -> Loc<'a> {
        Loc {
            id: self.root,
            pointer: PlaceId::ROOT,
            key: None,
            span: self.doc.node(self.root).span,
            def: None,
            object: Some(self.rules.root_object()),
            via: None,
            typo: None,
        }
    }

    /// A finding's place at `span` of the node at `loc`, labelled with the alias use that brought
    /// it in.
    pub(crate) fn place(&self, loc: &Loc<'_>, span: Span) -> Place {
        let pointer = self.render(loc);
        let mut place = Place::new(pointer.clone(), span);
        if let Some(via) = loc.via.filter(|via| !(via.start <= span.start && span.end <= via.end)) {
            place.related.push(Related {
                message: self.lang.pick("used here through a YAML alias", "通过 YAML 别名在此处使用").into(),
                pointer: pointer.clone(),
                span: via,
            });
        }
        if let Some((key, intended)) = loc.typo.filter(|(key, _)| *key != span) {
            let message = match self.lang {
                crate::Lang::En => format!("checked as `{intended}`, the field this misspelt key nearly names"),
                crate::Lang::ZhCn => format!("按 `{intended}` 检查：这个拼错的键最接近该字段"),
            };
            place.related.push(Related { message, pointer, span: key });
        }
        place
    }

    /// A secondary label at `span` of the node at `loc`.
    pub(crate) fn related(&self, message: &str, loc: &Loc<'_>, span: Span) -> Related {
        Related { message: message.to_owned(), pointer: self.render(loc), span }
    }

    /// The pointer of the node at `loc`.
    pub(crate) fn pointer(&self, loc: &Loc<'_>) -> Pointer<'a> {
        self.trail.pointer(loc.pointer)
    }

    /// The pointer's text (RFC 6901).
    pub(crate) fn render(&self, loc: &Loc<'_>) -> String {
        self.pointer(loc).render()
    }

    /// The place as a message names it: `` `members[1]` ``, or "the top-level object".
    pub(crate) fn display(&self, loc: &Loc<'_>) -> String {
        self.pointer(loc).display(self.lang)
    }

    /// Records that `entry` of `object` is a misspelling of the absent field `intended`.
    pub(crate) fn add_typo(&self, object: NodeId, intended: &'a str, entry: &'a Entry) {
        self.typos.borrow_mut().entry(object).or_default().push((intended, entry));
        self.any_typo.set(true);
    }

    /// The misspelt key of `object` that stands for the absent field `name`, if any. The flag is
    /// read where the lookup is made (in line); the map only when a misspelling was found.
    #[inline]
    fn typo_for(&self, object: NodeId, name: &str) -> Option<&'a Entry> {
        if self.any_typo.get() { self.typo_in_map(object, name) } else { None }
    }

    fn typo_in_map(&self, object: NodeId, name: &str) -> Option<&'a Entry> {
        let typos = self.typos.borrow();
        typos.get(&object)?.iter().find(|(intended, _)| *intended == name).map(|(_, entry)| *entry)
    }

    /// The entry `name` of the object at `loc` (the last one, as the gateway reads duplicates),
    /// whatever its value.
    /// A misspelling of an absent field (`vpc_health_confg`) stands for that field.
    pub fn child(&self, loc: &Loc<'a>, name: &str) -> Option<Loc<'a>> {
        let (entry, def, misspelt) = self.entry(loc.id, loc.object, name)?;
        let typo = match (misspelt, def) {
            (true, Some(def)) => Some((entry.key.span, &*def.name)),
            _ => loc.typo,
        };
        Some(self.located(loc, entry, def, typo))
    }

    /// The value of `entry`, an entry of the object at `loc` (own or merged in), as the field
    /// `def`: [`Ctx::child`] for an entry already in hand.
    pub(crate) fn located(
        &self,
        loc: &Loc<'a>,
        entry: &'a Entry,
        def: Option<&'a FieldDef>,
        typo: Option<(Span, &'a str)>,
    ) -> Loc<'a> {
        let node = self.doc.node(entry.value);
        let merged = matches!(self.doc.value(loc.id), Value::Object(_)) && !self.doc.owns(loc.id, entry);
        let via = match node.value {
            Value::Alias { .. } => Some(node.span),
            _ if merged => self.doc.merge_span(loc.id).or(loc.via),
            _ => loc.via,
        };
        let pointer = self.trail.step(loc.pointer, Token::Key(&entry.key.name), via.is_none().then_some(entry.value));
        Loc {
            id: self.doc.resolve(entry.value),
            pointer,
            key: Some(entry.key.span),
            span: node.span,
            def,
            object: def.and_then(|d| self.rules.object_of(d)),
            via,
            typo,
        }
    }

    /// Is `field` of the object at `loc` set ([`Ctx::field_named`] without locating it)?
    pub(crate) fn is_field_set(&self, loc: &Loc<'a>, field: &'a FieldDef) -> bool {
        self.set_value(self.entry_with(loc.id, &field.name, || Some(field))).is_some()
    }

    /// The entry `name` of the object `id` (described by `object`): the last one, as the gateway
    /// reads duplicates, else the misspelt key that stands for that field (`true`); with the field.
    fn entry(
        &self,
        id: NodeId,
        object: Option<&'a ObjectDef>,
        name: &str,
    ) -> Option<(&'a Entry, Option<&'a FieldDef>, bool)> {
        self.entry_with(id, name, || object.and_then(|o| o.field(name)))
    }

    /// [`Ctx::entry`], looking the field up only when there is an entry for it to describe (most
    /// lookups are of optional fields a document does not set).
    fn entry_with(
        &self,
        id: NodeId,
        name: &str,
        def: impl FnOnce() -> Option<&'a FieldDef>,
    ) -> Option<(&'a Entry, Option<&'a FieldDef>, bool)> {
        match self.doc.get(id, name) {
            Some(entry) => Some((entry, def(), false)),
            None => {
                let typo = self.typo_for(id, name)?;
                Some((typo, Some(def()?), true))
            }
        }
    }

    /// The node at `path` from `scope` (as [`Ctx::field`]) with its field, if it is set; without
    /// locating it for a message (conditions only look at values).
    fn peek(&self, scope: &Loc<'a>, path: &Path) -> Option<(NodeId, Option<&'a FieldDef>)> {
        let (mut id, mut object, mut def) = if path.is_absolute() {
            (self.root, Some(self.rules.root_object()), None)
        } else {
            (scope.id, scope.object, scope.def)
        };
        for step in path.steps() {
            let (entry, field, _) = self.entry(id, object, &step.name)?;
            id = self.doc.resolve(entry.value);
            def = field;
            object = field.and_then(|f| self.rules.object_of(f));
        }
        self.is_set_at(id, def).then_some((id, def))
    }

    /// The field `name` of the object at `scope`, if it is set: its node and its field, without
    /// locating it for a message ([`Ctx::field_named`] for a check that usually finds nothing).
    pub(crate) fn peek_named(&self, scope: &Loc<'a>, name: &str) -> Option<(NodeId, Option<&'a FieldDef>)> {
        self.set_value(self.entry(scope.id, scope.object, name))
    }

    /// The value of an entry [`Ctx::entry`] found, with its field, if it is set.
    #[inline]
    fn set_value(
        &self,
        found: Option<(&'a Entry, Option<&'a FieldDef>, bool)>,
    ) -> Option<(NodeId, Option<&'a FieldDef>)> {
        let (entry, def, _) = found?;
        let id = self.doc.resolve(entry.value);
        self.is_set_at(id, def).then_some((id, def))
    }

    /// [`Ctx::applies`] for a field in hand, not yet located.
    pub(crate) fn applies_to(&self, parent: &Loc<'a>, def: Option<&FieldDef>) -> bool {
        self.channel.is_none() || def.and_then(|d| d.when.as_ref()).is_none_or(|when| self.holds(when, parent))
    }

    /// Does the gateway read the field at `loc` where it stands (its table's `when`, with the
    /// object `parent` as the scope)? A field it ignores is reported once and not looked into.
    /// On a channel of unknown kind (`vpc_channel_type` out of its enum) everything applies.
    pub fn applies(&self, parent: &Loc<'a>, loc: &Loc<'a>) -> bool {
        self.applies_to(parent, loc.def)
    }

    /// The items of the array at `loc`, located one at a time (an array of millions never holds
    /// a place for each).
    pub fn items<'s>(&'s self, loc: Loc<'a>) -> impl Iterator<Item = Loc<'a>> + 's {
        let items: &'a [NodeId] = match self.doc.value(loc.id) {
            Value::Array(items) => items,
            _ => &[],
        };
        items.iter().enumerate().map(move |(i, &item)| self.item(&loc, i, item))
    }

    /// Item `i` (node `item`) of the array at `loc`.
    pub fn item(&self, loc: &Loc<'a>, i: usize, item: NodeId) -> Loc<'a> {
        let node = self.doc.node(item);
        let via = if matches!(node.value, Value::Alias { .. }) { Some(node.span) } else { loc.via };
        Loc {
            id: self.doc.resolve(item),
            pointer: self.trail.step(loc.pointer, Token::Index(i), via.is_none().then_some(item)),
            key: None,
            span: node.span,
            def: None,
            object: loc.object,
            via,
            typo: loc.typo,
        }
    }

    /// Every node an absolute path selects (only objects are walked through, and not into fields
    /// the gateway ignores where they stand), in document order.
    /// Lazily: a rule over `members[*]` visits each member in turn.
    pub fn select<'s>(&'s self, path: &'s Path) -> Select<'s, 'a> {
        let mut pending = SmallVec::new();
        pending.push(Pending::Node(self.root_loc(), 0));
        Select { ctx: self, steps: path.steps(), pending }
    }
    /// The node at a path relative to `scope` (or absolute with `$.`), if it is *set*: present,
    /// not null, and not one of the field's "unset" values.
    pub fn field(&self, scope: &Loc<'a>, path: &Path) -> Option<Loc<'a>> {
        let mut loc = if path.is_absolute() { self.root_loc() } else { scope.clone() };
        for step in path.steps() {
            loc = self.child(&loc, &step.name)?;
        }
        self.is_set(&loc).then_some(loc)
    }

    /// [`Ctx::field`] for a field of the scope object (rules name fields by plain names:
    /// `RuleSet::validate`).
    pub(crate) fn field_named(&self, scope: &Loc<'a>, name: &str) -> Option<Loc<'a>> {
        self.child(scope, name).filter(|loc| self.is_set(loc))
    }

    pub(crate) fn is_set(&self, loc: &Loc) -> bool {
        self.is_set_at(loc.id, loc.def)
    }

    pub(crate) fn is_set_at(&self, id: NodeId, def: Option<&FieldDef>) -> bool {
        let value = self.doc.value(id);
        if matches!(value, Value::Null) {
            return false;
        }
        let unset = def.map_or(&[][..], |d| &d.unset);
        !unset.iter().any(|u| u.matches(value, false))
    }

    pub(crate) fn is_non_empty(&self, loc: &Loc) -> bool {
        self.is_non_empty_at(loc.id)
    }

    pub(crate) fn is_non_empty_at(&self, id: NodeId) -> bool {
        match self.doc.value(id) {
            Value::Array(items) => !items.is_empty(),
            Value::Object(entries) => !entries.is_empty(),
            Value::Str(s) => !s.is_empty(),
            _ => true,
        }
    }

    pub fn str(&self, loc: &Loc) -> Option<&'a str> {
        match self.doc.value(loc.id) {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Does the value at `loc` equal one of `literals` (case-insensitively where its field says)?
    pub(crate) fn equals_any(&self, loc: &Loc, literals: &[Literal]) -> bool {
        self.equals_any_at(loc.id, loc.def, literals)
    }

    pub(crate) fn equals_any_at(&self, id: NodeId, def: Option<&FieldDef>, literals: &[Literal]) -> bool {
        let ignore_case = def.is_some_and(|d| d.ignore_case);
        let value = self.doc.value(id);
        literals.iter().any(|l| l.matches(value, ignore_case))
    }

    /// Evaluates a rule condition for one scope node.
    pub fn holds(&self, cond: &Cond, scope: &Loc<'a>) -> bool {
        if let Some(kinds) = &cond.channel
            && !self.channel.is_some_and(|c| kinds.contains(&c))
        {
            return false;
        }
        if let Some(path) = &cond.path {
            let target = self.peek(scope, path);
            if let Some(want) = cond.present
                && target.is_some() != want
            {
                return false;
            }
            if let Some(want) = cond.non_empty
                && target.is_some_and(|(id, _)| self.is_non_empty_at(id)) != want
            {
                return false;
            }
            if let Some(literals) = &cond.equals
                && !target.is_some_and(|(id, def)| self.equals_any_at(id, def, literals))
            {
                return false;
            }
            if let Some(bound) = cond.more_items_than
                && !target
                    .is_some_and(|(id, _)| matches!(self.doc.value(id), Value::Array(items) if items.len() > bound))
            {
                return false;
            }
            if let Some(bound) = cond.greater_than
                && target
                    .and_then(|(id, _)| match self.doc.value(id) {
                        Value::Int(v) => Some(*v),
                        _ => None,
                    })
                    .is_none_or(|v| v <= i128::from(bound))
            {
                return false;
            }
        }
        cond.all.iter().flat_map(|all| all.iter()).all(|c| self.holds(c, scope))
            && cond.any.as_ref().is_none_or(|any| any.iter().any(|c| self.holds(c, scope)))
            && !cond.not.iter().flat_map(|not| not.iter()).any(|c| self.holds(c, scope))
    }

    /// The channel kind, resolved as the gateway does (spec table 3; constraints.md §2.1):
    /// `vpc_channel_type` when set; otherwise `type: 3` with a non-empty `microservice_info` is a
    /// microservice channel and everything else a server (builtin) channel. `None` when
    /// `vpc_channel_type` holds an unknown value.
    fn resolve_channel(&self) -> Option<ChannelKind> {
        let root = self.root_loc();
        let value = |name| self.peek_named(&root, name).map(|(id, _)| self.doc.value(id));
        if let Some(kind) = value("vpc_channel_type") {
            return match kind {
                Value::Str(s) if s == "builtin" => Some(ChannelKind::Builtin),
                Value::Str(s) if s == "microservice" => Some(ChannelKind::Microservice),
                Value::Str(s) if s == "reference" => Some(ChannelKind::Reference),
                _ => None,
            };
        }
        let is_three = matches!(value("type"), Some(Value::Int(3)));
        let has_info = matches!(value("microservice_info"), Some(Value::Object(e)) if !e.is_empty());
        Some(if is_three && has_info { ChannelKind::Microservice } else { ChannelKind::Builtin })
    }
}

/// The iterator of [`Ctx::select`]: a depth-first walk along the path's steps that holds one entry
/// per step (an array's items are taken one at a time), so it allocates nothing for the paths of
/// the rules and never holds a place per item.
pub(crate) struct Select<'s, 'a> {
    ctx: &'s Ctx<'a>,
    steps: &'s [Step],
    /// One entry per `[*]` step of the path being walked, and the node in hand: rule paths have
    /// at most one `[*]`.
    pending: SmallVec<[Pending<'a>; 2]>,
}

enum Pending<'a> {
    /// A node that has taken this many steps.
    Node(Loc<'a>, usize),
    /// The items from `next` on of the array at `array`, which has taken this many steps.
    Items { array: Loc<'a>, next: usize, taken: usize },
}

impl<'a> Iterator for Select<'_, 'a> {
    type Item = Loc<'a>;

    fn next(&mut self) -> Option<Loc<'a>> {
        loop {
            // The next item of an array is taken where the array waits, without moving it.
            let (loc, taken) = match self.pending.last_mut()? {
                Pending::Items { array, next, taken } => {
                    let item = match self.ctx.doc.value(array.id) {
                        Value::Array(items) => items.get(*next).copied(),
                        _ => None,
                    };
                    let Some(item) = item else {
                        self.pending.pop();
                        continue;
                    };
                    *next += 1;
                    (self.ctx.item(array, *next - 1, item), *taken)
                }
                Pending::Node(..) => match self.pending.pop() {
                    Some(Pending::Node(loc, taken)) => (loc, taken),
                    _ => continue,
                },
            };
            let Some(step) = self.steps.get(taken) else { return Some(loc) };
            let Some(child) = self.ctx.child(&loc, &step.name).filter(|child| self.ctx.applies(&loc, child)) else {
                continue;
            };
            self.pending.push(if step.each {
                Pending::Items { array: child, next: 0, taken: taken + 1 }
            } else {
                Pending::Node(child, taken + 1)
            });
        }
    }
}

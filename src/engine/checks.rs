//! The cross-field check kinds, each implemented once. Rules only choose a kind and fill it in.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};

use smallvec::SmallVec;

use super::Sink;
use super::context::{Ctx, Loc};
use super::message::{one_of, show};
use super::schema::suggest;
use crate::document::{Span, Value};
use crate::fix::{FixKind, NewValue, Proposal};
use crate::rules::{Check, CompareOp, FieldDef, Format, Str};

/// Runs a check over a whole document: the kinds that compare across the items of an array or
/// across places (`unique`, `reference`). The others run per scope object, through [`run_at`].
pub fn run(ctx: &Ctx, sink: &mut Sink, rule: usize, check: &Check) {
    match check {
        Check::Unique { .. } => unique(ctx, sink, rule, check),
        Check::Reference { .. } => reference(ctx, sink, rule, check),
        _ => {}
    }
}

/// Runs one per-object check on one object its scope selects (`Check::scope`): one function per
/// kind, below. The engine locates each scope once for all the rules that share it.
pub fn run_at<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check, loc: &Loc<'a>) {
    if !matches!(ctx.doc.value(loc.id), Value::Object(_)) {
        // Anything else is a type error, reported by the schema pass.
        return;
    }
    match check {
        Check::Required { .. } => required(ctx, sink, rule, check, loc),
        Check::Flag { .. } => flag(ctx, sink, rule, check, loc),
        Check::Ignored { .. } => ignored(ctx, sink, rule, check, loc),
        Check::Compare { .. } => compare(ctx, sink, rule, check, loc),
        Check::Conflict { .. } => conflict(ctx, sink, rule, check, loc),
        Check::Format { .. } => format(ctx, sink, rule, check, loc),
        Check::OneOf { .. } => one_of_present(ctx, sink, rule, check, loc),
        Check::Document { .. } | Check::Schema { .. } | Check::Unique { .. } | Check::Reference { .. } => {}
    }
}

/// `fields` must be present (and with `non_empty`, not empty) in each scope object where `when` holds.
fn required<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check, loc: &Loc<'a>) {
    let Check::Required { fields, when, non_empty, because, because_zh, .. } = check else { return };
    // Nearly always the fields are there: looked at before the condition, and located only
    // for a finding.
    let present = |name: &Str| ctx.peek_named(loc, name).is_some_and(|(id, _)| !*non_empty || ctx.is_non_empty_at(id));
    if fields.iter().all(present) || !ctx.holds(when, loc) {
        return;
    }
    for name in fields.iter() {
        let target = ctx.field_named(loc, name);
        if target.as_ref().is_some_and(|t| !*non_empty || ctx.is_non_empty(t)) {
            continue;
        }
        // An empty value where it is; `null` (or an "unset" value) with its key.
        let place = match (&target, ctx.child(loc, name)) {
            (Some(empty), _) => ctx.place(empty, empty.span),
            (None, Some(null)) => ctx.place(&null, null.key.map_or(null.span, |key| key.join(null.span))),
            (None, None) => ctx.place(loc, loc.anchor(ctx.doc)),
        };
        let related = when
            .paths()
            .into_iter()
            .filter_map(|p| ctx.field(loc, p))
            .map(|cause| {
                let because = match (ctx.lang, because_zh) {
                    (crate::Lang::En, _) => &**because,
                    (crate::Lang::ZhCn, Some(zh)) => &**zh,
                    (crate::Lang::ZhCn, None) => "因为此处的设置而成为必填",
                };
                ctx.related(because, &cause, cause.span)
            })
            .collect();
        let scope_name = ctx.display(loc);
        sink.emit(rule, &[("field", name.to_string()), ("scope", scope_name)], place.with(related));
    }
}

/// Each of `targets` that is set in a scope object where `when` holds is a finding.
fn flag<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check, loc: &Loc<'a>) {
    let Check::Flag { targets, when, .. } = check else { return };
    let channel = || channel_name(ctx);
    // Nearly always no target is set: looked at before the condition.
    if !targets.iter().any(|name| ctx.peek_named(loc, name).is_some()) || !ctx.holds(when, loc) {
        return;
    }
    for name in targets.iter() {
        let Some(target) = ctx.field_named(loc, name) else {
            continue;
        };
        let span = flagged_span(ctx, &target);
        let count = match ctx.doc.value(target.id) {
            Value::Array(items) => items.len().to_string(),
            _ => String::new(),
        };
        let vars = [
            ("field", name.to_string()),
            ("value", show(ctx.doc, ctx.lang, target.id)),
            ("channel", channel()),
            ("count", count),
        ];
        let mut place = ctx.place(&target, span);
        if let Some(fix) = flag_fix(ctx, rule, loc, &target) {
            place = place.fixing(fix);
        }
        sink.emit(rule, &vars, place);
    }
}

/// Each field a scope object sets where its table's `when` does not hold: the gateway ignores it there.
fn ignored<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check, loc: &Loc<'a>) {
    let Check::Ignored { fields, .. } = check else { return };
    let channel = || channel_name(ctx);
    let Some(object) = loc.object else { return };
    let chosen = |name: &Str| fields.is_empty() || fields.contains(name);
    for field in object.fields.iter().filter(|f| f.when.is_some() && chosen(&f.name)) {
        // Located only when the gateway ignores it here.
        if ctx.peek_named(loc, &field.name).is_none_or(|(_, def)| ctx.applies_to(loc, def)) {
            continue;
        }
        let Some(target) = ctx.field_named(loc, &field.name) else {
            continue;
        };
        let vars = [
            ("field", field.name.to_string()),
            ("value", show(ctx.doc, ctx.lang, target.id)),
            ("channel", channel()),
            ("applies", field.applies_in(ctx.lang).unwrap_or_default().to_owned()),
        ];
        sink.emit(rule, &vars, ctx.place(&target, flagged_span(ctx, &target)));
    }
}

/// `left op right` must hold where a scope object sets both as integers.
fn compare<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check, loc: &Loc<'a>) {
    let Check::Compare { left, op, right, .. } = check else { return };
    let int = |name: &str| match ctx.doc.value(ctx.peek_named(loc, name)?.0) {
        Value::Int(i) => Some(*i),
        _ => None,
    };
    let (Some(lv), Some(rv)) = (int(left), int(right)) else {
        return;
    };
    let holds = match op {
        CompareOp::Less => lv < rv,
        CompareOp::LessOrEqual => lv <= rv,
        CompareOp::NotEqual => lv != rv,
    };
    if !holds && let Some((l, r)) = field_pair(ctx, loc, left, right) {
        pair_finding(ctx, sink, rule, (left, &l, lv.to_string()), (right, &r, rv.to_string()));
    }
}

/// Where a scope object sets both, `(left, right)` must be one of `pairs`.
fn conflict<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check, loc: &Loc<'a>) {
    let Check::Conflict { left, right, pairs, .. } = check else { return };
    let (Some((lid, ldef)), Some((rid, rdef))) = (ctx.peek_named(loc, left), ctx.peek_named(loc, right)) else {
        return;
    };
    // Values outside their enums are reported by `value-not-in-enum`.
    let in_enum =
        |id, def: Option<&FieldDef>| def.and_then(|d| d.allowed.as_ref()).is_none_or(|a| ctx.equals_any_at(id, def, a));
    if !in_enum(lid, ldef) || !in_enum(rid, rdef) {
        return;
    }
    let paired = pairs.iter().any(|(a, b)| {
        ctx.equals_any_at(lid, ldef, std::slice::from_ref(a)) && ctx.equals_any_at(rid, rdef, std::slice::from_ref(b))
    });
    if paired {
        return;
    }
    if let Some((l, r)) = field_pair(ctx, loc, left, right) {
        pair_finding(
            ctx,
            sink,
            rule,
            (left, &l, show(ctx.doc, ctx.lang, l.id)),
            (right, &r, show(ctx.doc, ctx.lang, r.id)),
        );
    }
}

/// The items of an array must differ in their identifying fields.
fn unique<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check) {
    let Check::Unique { scope, keys, unset_as } = check else { return };
    for array in ctx.select(scope) {
        // What an unset field counts as, where that is a place outside the items (`$.port`):
        // located once, not per item.
        let fallbacks: Vec<(&Str, Option<Loc>)> =
            unset_as.iter().filter(|(_, p)| p.is_absolute()).map(|(f, p)| (f, ctx.field(&array, p))).collect();
        let unset = |item: &Loc<'a>, f: &Str| match fallbacks.iter().find(|(name, _)| *name == f) {
            Some((_, fallback)) => fallback.clone(),
            None => unset_as.iter().find(|(name, _)| name == f).and_then(|(_, p)| ctx.field(item, p)),
        };
        // Identities are compared as values; they are written out only for a finding.
        // Each identity's first item, by index: located again only for a finding (a place is a
        // few hundred bytes, and an array may hold millions of distinct items).
        let mut seen = Seen::new(ctx.doc.value(array.id));
        for (index, item) in ctx.items(array.clone()).enumerate() {
            if !matches!(ctx.doc.value(item.id), Value::Object(_)) {
                continue;
            }
            // The first set of keys whose first field the item sets.
            let Some((set, fields, first_field)) =
                keys.iter().enumerate().find_map(|(set, ks)| Some((set, ks, ctx.field_named(&item, ks.first()?)?)))
            else {
                continue;
            };
            let located: SmallVec<[Option<Loc>; 2]> = std::iter::once(Some(first_field.clone()))
                .chain(fields[1..].iter().map(|f| ctx.field_named(&item, f).or_else(|| unset(&item, f))))
                .collect();
            let identity: Identity = located.iter().map(|l| Part::of(ctx, l.as_ref())).collect();
            let Some(at) = seen.first(set, identity, index) else { continue };
            let item_at = match ctx.doc.value(array.id) {
                Value::Array(items) => items.get(at).map(|&node| ctx.item(&array, at, node)),
                _ => None,
            };
            let Some(first) = item_at.and_then(|i| ctx.field_named(&i, &fields[0])) else {
                continue;
            };
            let first = &first;
            let shown =
                |l: &Option<Loc>| l.as_ref().map_or_else(|| "none".to_owned(), |l| show(ctx.doc, ctx.lang, l.id));
            let value = if fields.len() == 1 {
                show(ctx.doc, ctx.lang, first_field.id)
            } else {
                let described: Vec<String> =
                    fields.iter().zip(&located).map(|(f, l)| format!("{f} {}", shown(l))).collect();
                described.join(ctx.lang.pick(", ", "、"))
            };
            let vars = [("field", fields[0].to_string()), ("value", value), ("first", ctx.display(first))];
            let first_here = ctx.lang.pick("first defined here", "首次定义于此");
            let related = vec![ctx.related(first_here, first, first.span)];
            let mut place = ctx.place(&first_field, first_field.span).with(related);
            if array.via.is_none() && item.via.is_none() {
                place = place.fixing(Proposal::RemoveItem { array: array.id, index });
            }
            sink.emit(rule, &vars, place);
        }
    }
}

/// Arrays with more items than this get a hash map to find an identity's first item; shorter
/// ones (nearly all: a channel has a few members) are scanned, without hashing.
const SCAN_LIMIT: usize = 16;

/// The identities met so far in an array, each with its first item.
enum Seen<'a> {
    Scanned(Vec<((usize, Identity<'a>), usize)>),
    Hashed(HashMap<(usize, Identity<'a>), usize>),
}

impl<'a> Seen<'a> {
    fn new(array: &Value) -> Self {
        match array {
            Value::Array(items) if items.len() > SCAN_LIMIT => Seen::Hashed(HashMap::new()),
            Value::Array(items) => Seen::Scanned(Vec::with_capacity(items.len())),
            _ => Seen::Scanned(Vec::new()),
        }
    }

    /// The first item with the identity `(set, identity)`, else `None` and item `index` is now
    /// its first.
    fn first(&mut self, set: usize, identity: Identity<'a>, index: usize) -> Option<usize> {
        match self {
            Seen::Scanned(seen) => {
                let found = seen.iter().find(|((s, id), _)| *s == set && *id == identity).map(|(_, first)| *first);
                if found.is_none() {
                    seen.push(((set, identity), index));
                }
                found
            }
            Seen::Hashed(seen) => match seen.entry((set, identity)) {
                Entry::Occupied(first) => Some(*first.get()),
                Entry::Vacant(slot) => {
                    slot.insert(index);
                    None
                }
            },
        }
    }
}

/// What identifies an item: one part per identifying field.
type Identity<'a> = SmallVec<[Part<'a>; 2]>;

/// One field's part of an identity. Two values are the same part exactly when a message would
/// show them the same way (`8080` and `"8080"` differ; two objects do not).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Part<'a> {
    Unset,
    Str(&'a str),
    Int(i128),
    Shown(String),
}

impl<'a> Part<'a> {
    fn of(ctx: &Ctx<'a>, loc: Option<&Loc<'a>>) -> Part<'a> {
        let Some(loc) = loc else { return Part::Unset };
        match ctx.doc.value(loc.id) {
            Value::Str(s) => Part::Str(s),
            Value::Int(i) => Part::Int(*i),
            _ => Part::Shown(show(ctx.doc, ctx.lang, loc.id)),
        }
    }
}

/// Every value at `from` must be one of the values at `to`.
fn reference(ctx: &Ctx, sink: &mut Sink, rule: usize, check: &Check) {
    let Check::Reference { from, to } = check else { return };
    // Suggestions compare names pairwise, so they are bounded: at most this many
    // comparisons for the whole check (then none; the finding stays), names no longer
    // than 256 bytes, and one answer per distinct name. Deterministic, unlike a clock.
    const COMPARISONS: usize = 200_000;
    const LONGEST: usize = 256;
    // Most channels refer to nothing: the names referred to are gathered only for a reference.
    let mut referring = ctx.select(from).peekable();
    if referring.peek().is_none() {
        return;
    }
    let defined: HashSet<&str> = ctx.select(to).filter_map(|l| ctx.str(&l)).collect();
    let mut candidates: Vec<&str> = defined.iter().copied().filter(|d| d.len() <= LONGEST).collect();
    candidates.sort_unstable();
    let mut left = COMPARISONS;
    let mut answered: HashMap<&str, String> = HashMap::new();
    for loc in referring {
        let Some(name) = ctx.str(&loc) else { continue };
        if defined.contains(&name) {
            continue;
        }
        let suggestion = match answered.get(name) {
            Some(known) => known.clone(),
            None if name.len() <= LONGEST && candidates.len() <= left => {
                left -= candidates.len();
                let found = suggest(name, candidates.iter().copied())
                    .map(|s| super::schema::did_you_mean(&format!("\"{s}\""), ctx.lang))
                    .unwrap_or_default();
                answered.insert(name, found.clone());
                found
            }
            None => String::new(),
        };
        let vars = [
            ("field", from.last_name().to_owned()),
            ("value", show(ctx.doc, ctx.lang, loc.id)),
            ("suggestion", suggestion),
        ];
        sink.emit(rule, &vars, ctx.place(&loc, loc.span));
    }
}

/// The string at `field` must follow a named grammar.
fn format<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check, loc: &Loc<'a>) {
    let Check::Format { field, format, .. } = check else { return };
    let Some(Value::Str(text)) = ctx.peek_named(loc, field).map(|(id, _)| ctx.doc.value(id)) else {
        return;
    };
    if let Err(reason) = super::formats::check(*format, text)
        && let Some(target) = ctx.field_named(loc, field)
    {
        let reason = crate::lang::localize_detail(&reason, ctx.lang);
        let vars = [("field", field.to_string()), ("value", show(ctx.doc, ctx.lang, target.id)), ("reason", reason)];
        let mut place = ctx.place(&target, target.span);
        if let Some(normal) = normalise(*format, text).filter(|_| target.via.is_none()) {
            place = place.fixing(Proposal::ReplaceValue { node: target.id, value: NewValue::Str(normal) });
        }
        sink.emit(rule, &vars, place);
    }
}

/// One of `alternatives` must be present in full, and none in part.
fn one_of_present<'a>(ctx: &Ctx<'a>, sink: &mut Sink, rule: usize, check: &Check, loc: &Loc<'a>) {
    let Check::OneOf { alternatives, .. } = check else { return };
    // Each alternative is all or nothing, and one must be complete. Fields are located only for
    // a finding.
    let set_in = |alt: &[Str]| alt.iter().filter(|f| ctx.peek_named(loc, f).is_some()).count();
    let counts: SmallVec<[usize; 4]> = alternatives.iter().map(|alt| set_in(alt)).collect();
    let complete = alternatives.iter().zip(&counts).any(|(alt, &found)| found == alt.len());
    let partial: Vec<usize> =
        (0..alternatives.len()).filter(|&i| counts[i] > 0 && counts[i] < alternatives[i].len()).collect();
    if complete && partial.is_empty() {
        return;
    }
    let set: Vec<Vec<Loc>> =
        alternatives.iter().map(|alt| alt.iter().filter_map(|f| ctx.field_named(loc, f)).collect()).collect();
    let lang = ctx.lang;
    let names =
        |fields: &[Str]| fields.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(lang.pick(" and ", " 和 "));
    let both = |alt: &[Str]| match lang {
        crate::Lang::En => format!("both {}", names(alt)),
        crate::Lang::ZhCn => format!("同时设置 {}", names(alt)),
    };
    let missing = match partial.first() {
        Some(&i) => match lang {
            crate::Lang::En => format!("both {} together", names(&alternatives[i])),
            crate::Lang::ZhCn => format!("同时设置 {}", names(&alternatives[i])),
        },
        None => {
            let described: Vec<String> =
                alternatives.iter().map(|alt| if alt.len() == 1 { names(alt) } else { both(alt) }).collect();
            one_of(&described, lang)
        }
    };
    let half_label = lang.pick("set without the rest of its group", "只设置了这一组中的部分字段");
    let related = partial.iter().flat_map(|&i| &set[i]).map(|half| ctx.related(half_label, half, half.span)).collect();
    let vars = [("scope", ctx.render(loc)), ("missing", missing)];
    sink.emit(rule, &vars, ctx.place(loc, loc.anchor(ctx.doc)).with(related));
}

/// The channel kind as messages name it.
fn channel_name(ctx: &Ctx) -> String {
    match (ctx.channel, ctx.lang) {
        (None, lang) => lang.pick("unknown", "未知").to_owned(),
        (Some(kind), crate::Lang::En) => kind.as_str().to_owned(),
        (Some(kind), crate::Lang::ZhCn) => kind.zh().to_owned(),
    }
}

/// The fix a flag rule's file declares, for the flagged entry of the object at `scope`:
/// `remove_entry`, or `set_key` with the value its `values` map the flagged one to.
fn flag_fix<'a>(ctx: &Ctx<'a>, rule: usize, scope: &Loc<'a>, target: &Loc<'a>) -> Option<Proposal> {
    let def = ctx.rules.rules[rule].fix.as_ref()?;
    if scope.via.is_some() {
        return None;
    }
    let key = target.key?;
    let Value::Object(own) = &ctx.doc.node(scope.id).value else { return None };
    let index = own.iter().position(|e| e.key.span == key)?;
    match def.kind {
        FixKind::RemoveEntry => Some(Proposal::RemoveEntry { object: scope.id, index }),
        FixKind::SetKey => {
            let new_key = def.key.clone()?;
            // An entry of that name already there (unset, or empty) would become a duplicate.
            if own.iter().any(|e| *e.key.name == *new_key) {
                return None;
            }
            let map = def
                .values
                .iter()
                .find(|m| ctx.equals_any(target, std::slice::from_ref(&m.from)) && ctx.holds(&m.when, scope))?;
            Some(Proposal::SetKey { object: scope.id, index, key: new_key.to_string(), value: NewValue::from(&map.to) })
        }
        _ => None,
    }
}

/// A value of a grammar written with spaces or repeated items, as the grammar wants it, if that
/// is then valid: `200, 201, 201` → `200,201`.
fn normalise(format: Format, text: &str) -> Option<String> {
    if format != Format::HttpCode {
        return None;
    }
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut items: Vec<&str> = Vec::new();
    for item in compact.split(',') {
        if !items.contains(&item) {
            items.push(item);
        }
    }
    let normal = items.join(",");
    (normal != text && super::formats::check(format, &normal).is_ok()).then_some(normal)
}

/// Where a flagged field is shown: the whole `key: value` for a scalar; just the key for an
/// object or array.
fn flagged_span(ctx: &Ctx, target: &Loc) -> Span {
    let container = matches!(ctx.doc.value(target.id), Value::Object(_) | Value::Array(_));
    match target.key {
        Some(key) if container => key,
        Some(key) => key.join(target.span),
        None => target.span,
    }
}

/// Both fields, where a scope object sets both.
fn field_pair<'a>(ctx: &Ctx<'a>, loc: &Loc<'a>, left: &str, right: &str) -> Option<(Loc<'a>, Loc<'a>)> {
    Some((ctx.field_named(loc, left)?, ctx.field_named(loc, right)?))
}

/// A finding about two fields: at the left one, with a label on the right one.
fn pair_finding(
    ctx: &Ctx,
    sink: &mut Sink,
    rule: usize,
    (left, l, lv): (&str, &Loc, String),
    (right, r, rv): (&str, &Loc, String),
) {
    let label = match ctx.lang {
        crate::Lang::En => format!("`{right}` is {rv} here"),
        crate::Lang::ZhCn => format!("此处 `{right}` 为 {rv}"),
    };
    let label = ctx.related(&label, r, r.span);
    let vars = [("left", left.to_owned()), ("left_value", lv), ("right", right.to_owned()), ("right_value", rv)];
    sink.emit(rule, &vars, ctx.place(l, l.span).with(vec![label]));
}

#[cfg(test)]
mod tests {
    use super::{Part, Seen};
    use crate::document::Value;
    use smallvec::smallvec;

    /// A short array's identities are scanned and a long one's hashed; both find the same first
    /// items.
    #[test]
    fn scanned_and_hashed_identities_agree() {
        let short = Value::Array(vec![0; 3]);
        let long = Value::Array(vec![0; 100]);
        let (mut scanned, mut hashed) = (Seen::new(&short), Seen::new(&long));
        assert!(matches!(scanned, Seen::Scanned(_)) && matches!(hashed, Seen::Hashed(_)));
        let items = [(0, "a", 1), (0, "b", 1), (1, "a", 1), (0, "a", 1), (0, "a", 2), (1, "a", 1), (0, "b", 1)];
        let firsts: Vec<[Option<usize>; 2]> = items
            .iter()
            .enumerate()
            .map(|(index, &(set, text, number))| {
                let identity = || smallvec![Part::Str(text), Part::Int(number)];
                [scanned.first(set, identity(), index), hashed.first(set, identity(), index)]
            })
            .collect();
        let expected = [None, None, None, Some(0), None, Some(2), Some(1)];
        assert_eq!(firsts, expected.map(|e| [e, e]));
    }
}

//! The field-table pass: required fields, types, enums, ranges, lengths, patterns, item counts,
//! unknown and response-only keys. Every object of the spec is checked by the same code.

use super::context::{Ctx, Loc};
use super::message::{one_of, quote, show, type_name};
use std::collections::HashMap;

use super::{Place, Sink, charset};
use crate::document::{Entry, NodeId, Value, same_name};
use crate::fix::{NewValue, Proposal};
use crate::rules::{Constraint, FieldDef, ObjectDef, Type};

pub fn check<'a>(ctx: &Ctx<'a>, sink: &mut Sink) {
    object(ctx, sink, &ctx.root_loc(), ctx.rules.root_object());
}

/// Objects with more entries than this get a hash map to find the last of duplicate keys.
const SCAN_LIMIT: usize = 16;

fn object<'a>(ctx: &Ctx<'a>, sink: &mut Sink, loc: &Loc<'a>, def: &'a ObjectDef) {
    if !matches!(ctx.doc.value(loc.id), Value::Object(_)) {
        return;
    }
    // Own entries, then those merged in with YAML `<<` (which is not itself a field).
    let entries = ctx.doc.entries(loc.id);
    // Small objects (a member, a health check) are scanned; a hash map pays off only for large ones.
    let last_of: Option<HashMap<&str, usize>> = (entries.len() > SCAN_LIMIT)
        .then(|| entries.iter().enumerate().map(|(i, e)| (e.key.name.as_str(), i)).collect());
    let has = |name: &str| match &last_of {
        Some(map) => map.contains_key(name),
        None => entries.iter().any(|e| same_name(&e.key.name, name)),
    };
    let is_last = |i: usize, name: &str| match &last_of {
        Some(map) => map.get(name) == Some(&i),
        None => !entries[i + 1..].iter().any(|e| same_name(&e.key.name, name)),
    };
    // Each entry's field, looked up once.
    let fields: smallvec::SmallVec<[Option<&'a FieldDef>; 16]> =
        entries.iter().map(|e| def.field(&e.key.name)).collect();
    // Unknown keys, each with the known field it nearly names; one that nearly names a field the
    // object lacks is a misspelling, and every rule reads it as that field.
    // Indexed by entry: `None` for a known field, else the closest known name (if any is close).
    let unknown: smallvec::SmallVec<[Option<Option<&'a str>>; 16]> = entries
        .iter()
        .zip(&fields)
        .map(|(e, field)| field.is_none().then(|| suggest(&e.key.name, def.request_fields().map(|f| &*f.name))))
        .collect();
    let mut misspelt: Vec<(usize, &'a str)> = Vec::new();
    for (i, suggestion) in unknown.iter().enumerate() {
        let Some(suggestion) = suggestion else { continue };
        if let Some(intended) = suggestion.filter(|s| !has(s) && !misspelt.iter().any(|(_, m)| m == s)) {
            misspelt.push((i, intended));
            ctx.add_typo(loc.id, intended, entries[i]);
        }
    }
    // Written out only for a finding.
    let object_name = || ctx.display(loc);
    for (i, entry) in entries.iter().enumerate() {
        let name = &entry.key.name;
        let pointer = || ctx.pointer(loc).key(name).render();
        let Some(field) = fields[i] else {
            if let Some(&(_, intended)) = misspelt.iter().find(|(at, _)| *at == i) {
                let vars = [("field", name.to_string()), ("object", object_name()), ("intended", intended.to_owned())];
                let mut place = Place::new(pointer(), entry.key.span);
                if let Some(index) = own_index(ctx, loc, entry) {
                    place = place.fixing(Proposal::RenameKey { object: loc.id, index, to: intended.to_owned() });
                }
                sink.schema(Constraint::Misspelt, &vars, place);
                if let (Some(child), Some(field)) = (ctx.child(loc, intended), def.field(intended))
                    && ctx.applies(loc, &child)
                {
                    value(ctx, sink, child.id, &|| child.clone(), field, intended);
                }
                continue;
            }
            let suggestion =
                unknown[i].flatten().map(|s| did_you_mean(&format!("`{s}`"), ctx.lang)).unwrap_or_default();
            let vars = [("field", name.to_string()), ("object", object_name()), ("suggestion", suggestion)];
            sink.schema(Constraint::UnknownKey, &vars, Place::new(pointer(), entry.key.span));
            continue;
        };
        if field.response_only {
            let vars = [("field", name.to_string()), ("object", object_name())];
            let mut place = Place::new(pointer(), entry.key.span);
            if let Some(index) = own_index(ctx, loc, entry) {
                place = place.fixing(Proposal::RemoveEntry { object: loc.id, index });
            }
            sink.schema(Constraint::ResponseOnly, &vars, place);
            continue;
        }
        // Of duplicate keys the gateway keeps the last; the earlier ones are reported elsewhere.
        if !is_last(i, name) {
            continue;
        }
        // A field the gateway ignores where it stands is reported once by its own rule, and
        // nothing inside it is checked.
        // An own entry in hand is the one the gateway reads (the last of its name); one merged
        // in with `<<` is looked up as the reader finds it (the last in its mapping).
        // The value is located only to look inside it or to report on it.
        if ctx.doc.owns(loc.id, entry) {
            if ctx.applies_to(loc, Some(field)) {
                let locate = || ctx.located(loc, entry, Some(field), loc.typo);
                value(ctx, sink, ctx.doc.resolve(entry.value), &locate, field, name);
            }
        } else if let Some(child) = ctx.child(loc, name).filter(|child| ctx.applies(loc, child)) {
            value(ctx, sink, child.id, &|| child.clone(), field, name);
        }
    }
    for field in def.fields.iter().filter(|f| f.required || f.defaulted) {
        if ctx.is_field_set(loc, field) {
            continue;
        }
        let (constraint, default) = match &field.default {
            Some(d) if !field.required => (Constraint::Defaulted, d.to_string()),
            Some(d) => (
                Constraint::Required,
                ctx.lang.pick(" (the documented default is ", "（文档给出的默认值为 ").to_owned()
                    + &format!("{d}")
                    + ctx.lang.pick(")", "）"),
            ),
            None => (Constraint::Required, String::new()),
        };
        let vars = [("field", field.name.to_string()), ("object", object_name()), ("default", default)];
        // A `null` (or "unset") value is reported where it is written.
        let place = match ctx.child(loc, &field.name) {
            Some(null) => ctx.place(&null, null.span),
            None => ctx.place(loc, loc.anchor(ctx.doc)),
        };
        sink.schema(constraint, &vars, place);
    }
}

/// Checks the value `id` of `field`; `locate` gives its place, for a finding or to look inside it.
fn value<'a>(
    ctx: &Ctx<'a>,
    sink: &mut Sink,
    id: NodeId,
    locate: &dyn Fn() -> Loc<'a>,
    field: &'a FieldDef,
    label: &str,
) {
    // Absent (null, or one of the field's "unset" values): the required check speaks for it.
    if !ctx.is_set_at(id, Some(field)) {
        return;
    }
    let v = ctx.doc.value(id);
    if !type_fits(field.ty, v) {
        let loc = &locate();
        let vars = [
            ("field", label.to_owned()),
            ("expected", article(field.ty, ctx.lang)),
            ("actual", type_name(v, ctx.lang).to_owned()),
            ("hint", type_hint(field.ty, ctx.lang).to_owned()),
        ];
        let mut place = ctx.place(loc, loc.span);
        if let Some(value) = coerce(field, v).filter(|_| loc.via.is_none()) {
            place = place.fixing(Proposal::ReplaceValue { node: loc.id, value });
        }
        sink.schema(Constraint::Type, &vars, place);
        return;
    }
    if let Some(allowed) = &field.allowed
        && !allowed.iter().any(|a| a.matches(v, field.ignore_case))
    {
        let loc = &locate();
        let shown: Vec<String> = allowed.iter().map(ToString::to_string).collect();
        let vars = [
            ("field", label.to_owned()),
            ("value", show(ctx.doc, ctx.lang, loc.id)),
            ("allowed", one_of(&shown, ctx.lang)),
        ];
        let mut place = ctx.place(loc, loc.span);
        // A string that differs from a member only by case means that member.
        if let Value::Str(s) = v
            && loc.via.is_none()
            && let Some(member) = allowed.iter().find_map(|a| match a {
                crate::rules::Literal::Str(m) if m.eq_ignore_ascii_case(s) => Some(m),
                _ => None,
            })
        {
            place = place.fixing(Proposal::ReplaceValue { node: loc.id, value: NewValue::Str(member.to_string()) });
        }
        sink.schema(Constraint::Enum, &vars, place);
        return;
    }
    match v {
        Value::Int(n) => {
            if let Some((min, max)) = field.range
                && (*n < i128::from(min) || *n > i128::from(max))
            {
                let vars = [
                    ("field", label.to_owned()),
                    ("value", n.to_string()),
                    ("min", min.to_string()),
                    ("max", max.to_string()),
                ];
                let loc = &locate();
                sink.schema(Constraint::Range, &vars, ctx.place(loc, loc.span));
            }
        }
        Value::Str(s) => string(ctx, sink, locate, field, label, s),
        Value::Array(_) => array(ctx, sink, &locate(), field, label),
        Value::Object(_) => {
            if let Some(def) = field.object.is_some().then(|| ctx.rules.object_of(field)).flatten() {
                object(ctx, sink, &locate(), def);
            }
        }
        _ => {}
    }
}

fn string<'a>(ctx: &Ctx<'a>, sink: &mut Sink, locate: &dyn Fn() -> Loc<'a>, field: &FieldDef, label: &str, s: &str) {
    let lang = ctx.lang;
    // Characters, as the tables' limits count them; nearly every value is ASCII, one per byte.
    let length = if s.is_ascii() { s.len() } else { s.chars().count() };
    let bounds = |constraint, (min, max): (usize, usize), sink: &mut Sink| {
        if length < min || length > max {
            let vars = [
                ("field", label.to_owned()),
                ("length", length.to_string()),
                ("min", min.to_string()),
                ("max", max.to_string()),
            ];
            let loc = &locate();
            sink.schema(constraint, &vars, ctx.place(loc, loc.span));
            true
        } else {
            false
        }
    };
    if let Some(limits) = field.length
        && bounds(Constraint::Length, limits, sink)
    {
        return;
    }
    if let Some(advised) = field.advised_length {
        bounds(Constraint::AdvisedLength, advised, sink);
    }
    // The tables' patterns compile: `RuleSet::from_files` checked them at load.
    let Ok(compiled) = ctx.rules.compiled(field) else {
        return;
    };
    let mut hint = None;
    let mut advice = None;
    // Where the first character not allowed is, within the value.
    let mut offending = None;
    if let Some(pattern) = &compiled.pattern
        && !pattern.is_match(s)
    {
        let allowed = field.pattern_hint_in(lang).unwrap_or(lang.pick("the documented characters", "文档规定的字符"));
        // Underline the first character not allowed where it stands, and name it.
        let found = field.pattern.as_deref().and_then(|source| charset::offending(source, s));
        hint = Some(match found {
            Some((at, c, place)) => {
                offending = Some((at, c));
                let shown = charset::describe(c);
                match (place, lang) {
                    (charset::Place::Start, crate::Lang::En) => {
                        format!("starts with {shown}, which is not allowed there")
                    }
                    (charset::Place::Anywhere, crate::Lang::En) => {
                        format!("contains {shown}, which is not allowed there")
                    }
                    (charset::Place::End, crate::Lang::En) => format!("ends with {shown}, which is not allowed there"),
                    (charset::Place::Start, crate::Lang::ZhCn) => format!("以 {shown} 开头，此处不允许"),
                    (charset::Place::Anywhere, crate::Lang::ZhCn) => format!("包含 {shown}，此处不允许"),
                    (charset::Place::End, crate::Lang::ZhCn) => format!("以 {shown} 结尾，此处不允许"),
                }
            }
            None => format!("{}{allowed}", lang.pick("may contain only ", "只能包含")),
        });
        advice = Some(format!("`{label}` {}{allowed}", lang.pick("may contain only ", "只能包含")));
    }
    if hint.is_none() {
        hint = compiled.forbid.iter().find(|(re, _, _)| re.is_match(s)).map(|(_, en, zh)| lang.pick(en, zh).to_owned());
        advice = hint.as_ref().map(|h| format!("`{label}` {h}"));
    }
    if let (Some(hint), Some(advice)) = (hint, advice) {
        let vars = [("field", label.to_owned()), ("value", quote(s)), ("hint", hint), ("advice", advice)];
        let loc = &locate();
        let span = offending.and_then(|(at, c)| charset::char_span(loc.span, s, at, c)).unwrap_or(loc.span);
        sink.schema(Constraint::Pattern, &vars, ctx.place(loc, span));
    }
}

fn array<'a>(ctx: &Ctx<'a>, sink: &mut Sink, loc: &Loc<'a>, field: &'a FieldDef, label: &str) {
    // Items are located one at a time: an array of millions must not hold a place for each.
    let Value::Array(items) = ctx.doc.value(loc.id) else { return };
    if let Some((min, max)) = field.count
        && (items.len() < min || items.len() > max)
    {
        let vars = [
            ("field", label.to_owned()),
            ("count", items.len().to_string()),
            ("min", min.to_string()),
            ("max", max.to_string()),
        ];
        sink.schema(Constraint::Items, &vars, ctx.place(loc, loc.span));
    }
    let Some(item_type) = field.items.as_deref() else {
        return;
    };
    let object_def = ctx.rules.object_of(field);
    let expected = object_def.map_or_else(|| Type::from_name(item_type).unwrap_or(Type::String), |_| Type::Object);
    for (i, &id) in items.iter().enumerate() {
        let item = &ctx.item(loc, i, id);
        let v = ctx.doc.value(item.id);
        if !type_fits(expected, v) {
            let vars = [
                ("field", format!("{label}[{i}]")),
                ("expected", article(expected, ctx.lang)),
                ("actual", type_name(v, ctx.lang).to_owned()),
                ("hint", type_hint(expected, ctx.lang).to_owned()),
            ];
            sink.schema(Constraint::Type, &vars, ctx.place(item, item.span));
        } else if let Some(def) = object_def {
            object(ctx, sink, item, def);
        }
    }
}

/// The index of `entry` among the entries written in the object at `loc`, if it is one of them
/// (not merged in with `<<`) and the object is not reached through an alias (editing it would
/// change every use of the anchor).
fn own_index(ctx: &Ctx, loc: &Loc, entry: &Entry) -> Option<usize> {
    if loc.via.is_some() {
        return None;
    }
    match &ctx.doc.node(loc.id).value {
        Value::Object(own) => own.iter().position(|e| std::ptr::eq(e, entry)),
        _ => None,
    }
}

/// The value a wrongly typed one unambiguously means: `"8080"` for an integer field (a canonical
/// integer in the field's range), `"true"`/`"false"` for a boolean one.
fn coerce(field: &FieldDef, v: &Value) -> Option<NewValue> {
    let Value::Str(s) = v else { return None };
    match field.ty {
        Type::Integer => {
            let n: i64 = s.parse().ok()?;
            let (min, max) = field.range.unwrap_or((i64::from(i32::MIN), i64::from(i32::MAX)));
            (n.to_string() == *s && (min..=max).contains(&n)).then_some(NewValue::Int(i128::from(n)))
        }
        Type::Boolean => match s.as_str() {
            "true" => Some(NewValue::Bool(true)),
            "false" => Some(NewValue::Bool(false)),
            _ => None,
        },
        _ => None,
    }
}

fn type_fits(ty: Type, v: &Value) -> bool {
    matches!(
        (ty, v),
        (Type::String, Value::Str(_))
            | (Type::Integer, Value::Int(_))
            | (Type::Boolean, Value::Bool(_))
            | (Type::Object, Value::Object(_))
            | (Type::Array, Value::Array(_))
    )
}

/// How to write a value of the type, for the help of a type error.
fn type_hint(ty: Type, lang: crate::Lang) -> &'static str {
    if lang == crate::Lang::ZhCn {
        return match ty {
            Type::Integer => "：直接写数字（`22`）；在 YAML 中加引号就成了字符串（`\"22\"`）",
            Type::Boolean => "：`true` 或 `false`，不加引号；在 YAML 1.2 中 `yes`、`no`、`on`、`off` 是字符串",
            Type::String => "：在 YAML 中加引号（`\"2\"`），以免被读成数字或布尔值",
            Type::Object => "：`键: 值` 形式（JSON 中为 `{}`）",
            Type::Array => "：列表（YAML 中为 `- 项`，JSON 中为 `[…]`）",
        };
    }
    match ty {
        Type::Integer => ": bare digits (`22`); in YAML quotes make a string (`\"22\"`)",
        Type::Boolean => ": `true` or `false`, without quotes; `yes`, `no`, `on` and `off` are strings in YAML 1.2",
        Type::String => ": in YAML, quote it (`\"2\"`) so it is not read as a number or a boolean",
        Type::Object => ": `key: value` pairs (`{}` in JSON)",
        Type::Array => ": a list (`- item` in YAML, `[…]` in JSON)",
    }
}

fn article(ty: Type, lang: crate::Lang) -> String {
    if lang == crate::Lang::ZhCn {
        let word = match ty {
            Type::Integer => "整数",
            Type::Boolean => "布尔值",
            Type::String => "字符串",
            Type::Object => "对象",
            Type::Array => "数组",
        };
        return word.to_owned();
    }
    match ty {
        Type::Integer | Type::Object | Type::Array => format!("an {}", ty.as_str()),
        Type::String | Type::Boolean => format!("a {}", ty.as_str()),
    }
}

/// The known name closest to `name`, if it is close enough to be a likely typo.
pub(crate) fn suggest<'a>(name: &str, known: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    known
        .map(|k| (strsim::jaro_winkler(&name.to_ascii_lowercase(), k), k))
        .filter(|(score, _)| *score >= 0.85)
        // Ties go to the alphabetically first name, so the answer never depends on input order.
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, k)| k)
}

/// `; did you mean `x`?` after a message, in `lang`.
pub(crate) fn did_you_mean(shown: &str, lang: crate::Lang) -> String {
    match lang {
        crate::Lang::En => format!("; did you mean {shown}?"),
        crate::Lang::ZhCn => format!("；是否想写 {shown}？"),
    }
}

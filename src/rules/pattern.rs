//! The field tables' patterns. Nearly all are a character class or two in a fixed shape
//! (`^[A-Za-z][A-Za-z0-9_.\-]*$`); those are matched directly, one pass over the characters with
//! a bit per ASCII character, which is some twenty times faster than regex-lite's PikeVM and
//! compiles in microseconds where the `regex` crate takes milliseconds (docs/dependencies.md). Any
//! other pattern is handed to regex-lite, so the tables stay free to use the rest of its syntax;
//! a test holds the two to the same answer on every built-in pattern.

use regex_lite::Regex;

/// A compiled pattern.
#[derive(Debug)]
pub enum Pattern {
    Classes(Shape),
    Regex(Regex),
}

impl Pattern {
    pub fn new(source: &str) -> Result<Pattern, regex_lite::Error> {
        match Shape::parse(source) {
            Some(shape) => Ok(Pattern::Classes(shape)),
            None => Regex::new(source).map(Pattern::Regex),
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Classes(shape) => shape.is_match(text),
            Pattern::Regex(regex) => regex.is_match(text),
        }
    }
}

/// The shapes matched directly.
#[derive(Debug, PartialEq)]
pub enum Shape {
    /// `^[body]*$`, or with `+`, `^[body]+$`.
    Run { body: Class, non_empty: bool },
    /// `^[first][body]*$`
    Head { first: Class, body: Class },
    /// `^[first]([body]*[last])?$`
    HeadTail { first: Class, body: Class, last: Class },
    /// `[class]`, unanchored: the text contains one of its characters.
    Contains(Class),
}

impl Shape {
    /// The shape of `source`, if it has one of the four.
    pub fn parse(source: &str) -> Option<Shape> {
        let Some(anchored) = source.strip_prefix('^') else {
            let (class, rest) = Class::parse(source)?;
            return rest.is_empty().then_some(Shape::Contains(class));
        };
        let body = anchored.strip_suffix('$')?;
        let (first, rest) = Class::parse(body)?;
        match rest {
            "*" | "+" => return Some(Shape::Run { body: first, non_empty: rest == "+" }),
            "" => return None,
            _ => {}
        }
        if let Some(group) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(")?")) {
            let (body, rest) = Class::parse(group)?;
            let (last, rest) = Class::parse(rest.strip_prefix('*')?)?;
            return rest.is_empty().then_some(Shape::HeadTail { first, body, last });
        }
        let (body, rest) = Class::parse(rest)?;
        (rest == "*").then_some(Shape::Head { first, body })
    }

    pub fn is_match(&self, text: &str) -> bool {
        let mut chars = text.chars();
        match self {
            Shape::Run { body, non_empty } => !(*non_empty && text.is_empty()) && chars.all(|c| body.has(c)),
            Shape::Head { first, body } => chars.next().is_some_and(|c| first.has(c)) && chars.all(|c| body.has(c)),
            Shape::HeadTail { first, body, last } => {
                if !chars.next().is_some_and(|c| first.has(c)) {
                    return false;
                }
                match chars.next_back() {
                    None => true,
                    Some(end) => last.has(end) && chars.all(|c| body.has(c)),
                }
            }
            Shape::Contains(class) => text.chars().any(|c| class.has(c)),
        }
    }
}

/// A bracketed character class without negation: literal characters, `\`-escaped punctuation,
/// `\x{…}` code points, and ranges of those.
#[derive(Clone, Debug, PartialEq)]
pub struct Class {
    /// Each ASCII character's membership, a bit in one of two words (a `u128` took a
    /// double-word shift per character).
    ascii: [u64; 2],
    /// Ranges beyond ASCII, inclusive.
    wide: Vec<(char, char)>,
}

impl Class {
    pub fn has(&self, c: char) -> bool {
        match u32::from(c) {
            code @ 0..128 => self.ascii[code as usize / 64] >> (code % 64) & 1 == 1,
            _ => self.wide.iter().any(|&(low, high)| low <= c && c <= high),
        }
    }

    /// Reads one class at the start of `text`: the class and what follows it. `None` for anything
    /// this reader does not know (negation, named classes, a bare `-`), which then goes to regex-lite.
    pub fn parse(text: &str) -> Option<(Class, &str)> {
        let mut rest = text.strip_prefix('[')?;
        let mut class = Class { ascii: [0; 2], wide: Vec::new() };
        if rest.starts_with('^') {
            return None;
        }
        loop {
            if let Some(after) = rest.strip_prefix(']') {
                return (class.ascii != [0; 2] || !class.wide.is_empty()).then_some((class, after));
            }
            let (low, after) = Self::member(rest)?;
            rest = after;
            let high = match rest.strip_prefix('-') {
                Some(after) => {
                    let (high, after) = Self::member(after)?;
                    rest = after;
                    high
                }
                None => low,
            };
            if high < low {
                return None;
            }
            class.add(low, high);
        }
    }

    /// One member character: a literal, an escaped punctuation character, or `\x{…}`.
    fn member(text: &str) -> Option<(char, &str)> {
        let mut chars = text.chars();
        match chars.next()? {
            '\\' => {
                let escaped = chars.next()?;
                if escaped == 'x' {
                    let hex = chars.as_str().strip_prefix('{')?;
                    let close = hex.find('}')?;
                    let c = char::from_u32(u32::from_str_radix(&hex[..close], 16).ok()?)?;
                    return Some((c, &hex[close + 1..]));
                }
                escaped.is_ascii_punctuation().then_some((escaped, chars.as_str()))
            }
            '[' | ']' | '-' | '^' | '&' | '~' => None,
            c => Some((c, chars.as_str())),
        }
    }

    fn add(&mut self, low: char, high: char) {
        for code in u32::from(low)..=u32::from(high).min(127) {
            self.ascii[code as usize / 64] |= 1 << (code % 64);
        }
        if u32::from(high) >= 128 {
            let low = if u32::from(low) < 128 { '\u{80}' } else { low };
            self.wide.push((low, high));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_shapes_of_the_tables() {
        let cases = [
            (r"^[A-Za-z0-9_\-]*$", "Run"),
            (r"^[A-Za-z0-9_\-]+$", "Run"),
            (r"^[A-Za-z\x{4E00}-\x{9FFC}][A-Za-z0-9\x{4E00}-\x{9FFC}._\-]*$", "Head"),
            (r"^[a-z]([a-z0-9\-]*[a-z0-9])?$", "HeadTail"),
            (r"[\x{4E00}-\x{9FFC}]", "Contains"),
        ];
        for (source, shape) in cases {
            let parsed = Shape::parse(source).unwrap_or_else(|| panic!("{source}"));
            assert!(format!("{parsed:?}").starts_with(shape), "{source}: {parsed:?}");
        }
    }

    /// Characters at and around every edge of the built-in classes, and a few others.
    fn alphabet(shapes: &[&Shape]) -> Vec<char> {
        let mut out: Vec<char> = "aZz09-_./:()（）：@\\[]^$ \t\né中😀\u{7f}\u{80}\u{4DFF}\u{9FFD}".chars().collect();
        for shape in shapes {
            let classes = match shape {
                Shape::Run { body, .. } | Shape::Contains(body) => vec![body],
                Shape::Head { first, body } => vec![first, body],
                Shape::HeadTail { first, body, last } => vec![first, body, last],
            };
            for class in classes {
                let ascii = (0..128u32).filter(|&c| class.has(char::from(c as u8)));
                let edges = class.wide.iter().flat_map(|&(l, h)| [u32::from(l), u32::from(h)]);
                for code in ascii.chain(edges) {
                    out.extend([code.wrapping_sub(1), code, code + 1].into_iter().filter_map(char::from_u32));
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn agrees_with_regex_lite_on_every_built_in_pattern() {
        let rules = crate::rules::RuleSet::builtin().unwrap();
        let mut sources: Vec<&str> = Vec::new();
        for field in rules.objects.iter().flat_map(|o| o.fields.iter()) {
            if let Some(pattern) = field.pattern.as_deref() {
                // Every pattern of the tables takes the direct path.
                assert!(Shape::parse(pattern).is_some(), "{}: {pattern} is not matched directly", field.name);
                sources.push(pattern);
            }
            sources.extend(field.forbid.iter().map(|f| &*f.regex));
        }
        assert!(sources.len() >= 15, "{sources:?}");
        let shapes: Vec<Shape> = sources.iter().filter_map(|s| Shape::parse(s)).collect();
        let alphabet = alphabet(&shapes.iter().collect::<Vec<_>>());
        // Every text of up to two characters, and pseudo-random longer ones (a fixed LCG).
        let mut texts: Vec<String> = vec![String::new()];
        texts.extend(alphabet.iter().map(|c| c.to_string()));
        texts.extend(alphabet.iter().flat_map(|a| alphabet.iter().map(move |b| format!("{a}{b}"))));
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..3000 {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            let len = 3 + (seed >> 60) as usize;
            let text = (0..len)
                .map(|i| alphabet[((seed >> (i * 5 % 50)) as usize + i * 7) % alphabet.len()])
                .collect::<String>();
            texts.push(text);
        }
        for source in sources {
            let (direct, regex) = (Pattern::new(source).unwrap(), Regex::new(source).unwrap());
            for text in &texts {
                assert_eq!(direct.is_match(text), regex.is_match(text), "{source} on {text:?}");
            }
        }
    }

    #[test]
    fn leaves_other_syntax_to_regex_lite() {
        for source in ["^@", "@@", r"^[^a]*$", r"^\w+$", "^[a-]*$", "^[a]{2}$", "^[a]$", "^[a]*", "[a]*", "^(a|b)$"] {
            assert!(Shape::parse(source).is_none(), "{source}");
            assert!(matches!(Pattern::new(source), Ok(Pattern::Regex(_))), "{source}");
        }
    }
}

//! Where the cursor is, read from the text alone: which object (by the field names leading to it)
//! and whether a key or a value is being typed. Completion uses this instead of the parsed tree,
//! so it works the same while the line being typed does not parse yet.

/// What is being typed at the cursor.
#[derive(Debug, PartialEq, Eq)]
pub struct Context {
    /// Field names from the top level to the object at the cursor (array items are passed
    /// through: `members` leads to a member).
    pub path: Vec<String>,
    /// Keys the object already has (also below the cursor).
    pub present: Vec<String>,
    pub kind: Kind,
    /// Byte range the completion replaces: the partial word (with an opening quote in JSON).
    pub replace: (usize, usize),
    /// Indentation of the key at the cursor, in columns (YAML).
    pub indent: usize,
}

#[derive(Debug, PartialEq, Eq)]
pub enum Kind {
    Key,
    /// The value of this field of the object at `path`.
    Value(String),
}

/// The completion context in a YAML text.
pub fn yaml(text: &str, cursor: usize) -> Option<Context> {
    let cursor = floor(text, cursor);
    let line_start = text[..cursor].rfind('\n').map_or(0, |i| i + 1);
    let before = &text[line_start..cursor];
    let cursor_line = Line::read(before);
    if cursor_line.comment {
        return None;
    }
    let content = &before[cursor_line.content..];
    let key_col = cursor_line.content;
    let (kind, replace) = match split_key(content) {
        Some((key, value)) => {
            if value.starts_with(['{', '[', '&', '*', '|', '>']) {
                return None;
            }
            let start = cursor - value.len();
            (Kind::Value(key), (start, cursor))
        }
        None => {
            if !content.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '"' || c == '\'') {
                return None;
            }
            (Kind::Key, (line_start + key_col, cursor))
        }
    };
    let lines: Vec<(usize, &str)> = line_spans(text).collect();
    let here = lines.iter().position(|&(start, _)| start == line_start).unwrap_or(lines.len());
    let mut path = Vec::new();
    let mut present = Vec::new();
    // Keys of the object at the cursor sit at column `col`; `item` is the column of the dash of
    // the array item that object is, once known.
    let mut col = key_col;
    let mut item = cursor_line.dash;
    let mut collecting = item.is_none();
    for &(_, raw) in lines[..here].iter().rev() {
        let line = Line::read(raw);
        if line.blank || line.comment {
            continue;
        }
        if raw.starts_with("---") || raw.starts_with("...") {
            break;
        }
        let key = split_key(&raw[line.content..]);
        if let Some(dash) = item {
            // Looking for the key that owns the array this item is in.
            if line.dash == Some(dash) || line.content > dash {
                continue;
            }
            match key {
                Some((name, value)) if value.trim().is_empty() => {
                    path.push(name);
                    col = line.content;
                    item = line.dash;
                }
                _ => return None,
            }
            continue;
        }
        if line.content > col {
            continue;
        }
        if line.content == col {
            if collecting && let Some((name, _)) = &key {
                present.push(name.clone());
            }
            if let Some(dash) = line.dash {
                // The first key of the array item the object is.
                item = Some(dash);
                collecting = false;
            }
            continue;
        }
        match key {
            Some((name, value)) if value.trim().is_empty() || value.trim_start().starts_with(['&', '#']) => {
                path.push(name);
                col = line.content;
                item = line.dash;
                collecting = false;
            }
            _ => return None,
        }
    }
    path.reverse();
    // Keys below the cursor, up to the end of the object.
    for &(_, raw) in lines.iter().skip(here + 1) {
        let line = Line::read(raw);
        if line.blank || line.comment {
            continue;
        }
        if raw.starts_with("---") || raw.starts_with("...") || line.content < key_col {
            break;
        }
        if line.dash.is_some_and(|d| d < key_col) {
            break;
        }
        if line.content == key_col
            && let Some((name, _)) = split_key(&raw[line.content..])
        {
            present.push(name);
        }
    }
    Some(Context { path, present, kind, replace, indent: key_col })
}

/// A YAML line's shape: where its content starts (after indentation and `- ` markers) and where
/// its first dash is.
struct Line {
    content: usize,
    dash: Option<usize>,
    blank: bool,
    comment: bool,
}

impl Line {
    fn read(raw: &str) -> Line {
        let raw = raw.trim_end_matches('\r');
        let bytes = raw.as_bytes();
        let mut at = 0;
        let mut dash = None;
        loop {
            while at < bytes.len() && bytes[at] == b' ' {
                at += 1;
            }
            if at < bytes.len() && bytes[at] == b'-' && (at + 1 == bytes.len() || bytes[at + 1] == b' ') {
                dash.get_or_insert(at);
                at += 1;
                continue;
            }
            break;
        }
        let rest = &raw[at..];
        Line { content: at, dash, blank: rest.trim().is_empty() && dash.is_none(), comment: rest.starts_with('#') }
    }
}

/// `key: value` (or `key:` alone) split into the key without quotes and the text after the colon.
fn split_key(content: &str) -> Option<(String, &str)> {
    let content = content.trim_end_matches('\r');
    let (key, rest) = if let Some(quoted) = content.strip_prefix('"') {
        let end = quoted.find('"')?;
        (&quoted[..end], quoted[end + 1..].strip_prefix(':')?)
    } else if let Some(quoted) = content.strip_prefix('\'') {
        let end = quoted.find('\'')?;
        (&quoted[..end], quoted[end + 1..].strip_prefix(':')?)
    } else {
        let colon = content
            .match_indices(':')
            .find(|&(i, _)| content[i + 1..].is_empty() || content[i + 1..].starts_with([' ', '\t']))?;
        (&content[..colon.0], &content[colon.0 + 1..])
    };
    if key.is_empty() || key.contains('#') {
        return None;
    }
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    Some((key.trim().to_owned(), rest.trim_start()))
}

fn line_spans(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let at = start;
        start += line.len() + 1;
        (at, line)
    })
}

fn floor(text: &str, mut offset: usize) -> usize {
    offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// An open container while scanning JSON.
struct Frame {
    object: bool,
    /// The key whose value this container is (`None` for array items and the top level).
    owner: Option<String>,
    keys: Vec<String>,
}

/// The completion context in a JSON text (strict or not: this is a scan, not a parse).
pub fn json(text: &str, cursor: usize) -> Option<Context> {
    let cursor = floor(text, cursor);
    let bytes = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut string_start: Option<usize> = None;
    let mut escape = false;
    let mut last_string: Option<String> = None;
    // The key after whose colon the scan stands.
    let mut pending: Option<String> = None;
    for (i, &b) in bytes[..cursor].iter().enumerate() {
        if let Some(start) = string_start {
            if escape {
                escape = false;
            } else if b == b'\\' {
                escape = true;
            } else if b == b'"' {
                last_string = Some(text[start + 1..i].to_owned());
                string_start = None;
            } else if b == b'\n' {
                string_start = None;
            }
            continue;
        }
        match b {
            b'"' => string_start = Some(i),
            b':' => {
                pending = last_string.take();
                if let (Some(frame), Some(key)) = (stack.last_mut(), &pending)
                    && frame.object
                {
                    frame.keys.push(key.clone());
                }
            }
            b'{' | b'[' => stack.push(Frame { object: b == b'{', owner: pending.take(), keys: Vec::new() }),
            b'}' | b']' => {
                stack.pop();
                pending = None;
            }
            b',' => {
                pending = None;
                last_string = None;
            }
            _ => {}
        }
    }
    let frame = stack.last()?;
    if !frame.object {
        return None;
    }
    let word = |from: usize| {
        let mut start = from;
        while start > 0 && (bytes[start - 1].is_ascii_alphanumeric() || b"_.-".contains(&bytes[start - 1])) {
            start -= 1;
        }
        start
    };
    let (kind, mut replace) = match (&pending, string_start) {
        // A value being typed: a string or a bare word after the colon.
        (Some(key), Some(start)) => (Kind::Value(key.clone()), (start, cursor)),
        (Some(key), None) => (Kind::Value(key.clone()), (word(cursor), cursor)),
        (None, Some(start)) => (Kind::Key, (start, cursor)),
        (None, None) => (Kind::Key, (word(cursor), cursor)),
    };
    // A closing quote the editor put after the cursor is replaced too.
    if string_start.is_some() && bytes.get(cursor) == Some(&b'"') {
        replace.1 = cursor + 1;
    }
    let path: Vec<String> = stack.iter().filter_map(|f| f.owner.clone()).collect();
    let mut present = frame.keys.clone();
    present.extend(keys_after(text, cursor, string_start.is_some()));
    let line_start = text[..cursor].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..].len() - text[line_start..].trim_start().len();
    Some(Context { path, present, kind, replace, indent })
}

/// Keys of the current object after the cursor, up to where it closes.
fn keys_after(text: &str, cursor: usize, in_string: bool) -> Vec<String> {
    let bytes = text.as_bytes();
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut at = cursor;
    if in_string {
        // Skip the rest of the string being typed.
        while at < bytes.len() && bytes[at] != b'"' && bytes[at] != b'\n' {
            at += 1;
        }
        at += 1;
    }
    while at < bytes.len() {
        match bytes[at] {
            b'"' => {
                let start = at + 1;
                at += 1;
                while at < bytes.len() && bytes[at] != b'"' && bytes[at] != b'\n' {
                    at += if bytes[at] == b'\\' { 2 } else { 1 };
                }
                let end = at.min(bytes.len());
                let after = text.get(end + 1..).unwrap_or("").trim_start();
                if depth == 0
                    && after.starts_with(':')
                    && let Some(key) = text.get(start..end)
                {
                    keys.push(key.to_owned());
                }
            }
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
        at += 1;
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> (String, usize) {
        let cursor = text.find('|').unwrap_or(text.len());
        (text.replacen('|', "", 1), cursor)
    }

    #[test]
    fn yaml_keys_of_a_member_while_the_line_does_not_parse() {
        let (text, cursor) = at("name: a\nmembers:\n  - host: 1.1.1.1\n    wei|\n    port: 80\n  - host: b\nport: 1\n");
        let context = yaml(&text, cursor).unwrap_or_else(|| panic!("a context"));
        assert_eq!(context.path, ["members"]);
        assert_eq!(context.kind, Kind::Key);
        assert_eq!(context.present, ["host", "port"]);
        assert_eq!(&text[context.replace.0..context.replace.1], "wei");
    }

    #[test]
    fn yaml_value_of_a_nested_field() {
        let (text, cursor) = at("vpc_health_config:\n  protocol: |\n");
        let context = yaml(&text, cursor).unwrap_or_else(|| panic!("a context"));
        assert_eq!(context.path, ["vpc_health_config"]);
        assert_eq!(context.kind, Kind::Value("protocol".into()));
        let (text, cursor) = at("members:\n- host: a\n- |\n");
        let context = yaml(&text, cursor).unwrap_or_else(|| panic!("a context"));
        assert_eq!((context.path, context.present), (vec!["members".to_owned()], vec![]));
    }

    #[test]
    fn json_keys_and_values() {
        let (text, cursor) = at("{\"name\": \"a\", \"members\": [{\"host\": \"x\", \"|\"}], \"port\": 1}");
        let context = json(&text, cursor).unwrap_or_else(|| panic!("a context"));
        assert_eq!(
            (context.path.clone(), context.present.clone()),
            (vec!["members".to_owned()], vec!["host".to_owned()])
        );
        assert_eq!(&text[context.replace.0..context.replace.1], "\"\"");
        let (text, cursor) = at("{\"balance_strategy\": |, \"port\": 1");
        let context = json(&text, cursor).unwrap_or_else(|| panic!("a context"));
        assert_eq!(context.kind, Kind::Value("balance_strategy".into()));
        assert_eq!(context.present, ["balance_strategy", "port"]);
    }
}

//! YAML 1.2 core-schema typing of plain scalars, so that `port: 22` is an integer while
//! `port: "22"` and `enabled: yes` are strings.

use super::{Ambiguity, Value};

/// Types a plain (unquoted, untagged) scalar by the core schema's resolution rules.
pub(super) fn plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    if let Some(int) = integer(text) {
        return Value::Int(int);
    }
    if is_float(text)
        && let Ok(float) = text.parse::<f64>()
    {
        return Value::Float(float);
    }
    Value::Str(text.into())
}

/// Applies an explicit core-schema tag (`!!str`, `!!int`, …); `None` when the text does not fit.
pub(super) fn tagged(suffix: &str, text: &str) -> Option<Value> {
    match suffix {
        "str" => Some(Value::Str(text.into())),
        "null" => matches!(plain(text), Value::Null).then_some(Value::Null),
        "bool" => matches!(plain(text), Value::Bool(_)).then(|| plain(text)),
        "int" => integer(text).map(Value::Int),
        "float" => match plain(text) {
            Value::Int(i) => Some(Value::Float(i as f64)),
            v @ Value::Float(_) => Some(v),
            _ => None,
        },
        _ => None,
    }
}

/// `[-+]?[0-9]+`, `0o[0-7]+`, `0x[0-9a-fA-F]+`; values past `i128` saturate.
fn integer(text: &str) -> Option<i128> {
    let (digits, radix) = if let Some(octal) = text.strip_prefix("0o") {
        (octal, 8)
    } else if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else {
        (text, 10)
    };
    let (negative, unsigned) = match digits.as_bytes().first() {
        Some(b'-') if radix == 10 => (true, &digits[1..]),
        Some(b'+') if radix == 10 => (false, &digits[1..]),
        _ => (false, digits),
    };
    if unsigned.is_empty() || !unsigned.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = i128::from_str_radix(unsigned, radix).unwrap_or(i128::MAX);
    Some(if negative { -magnitude } else { magnitude })
}

/// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
fn is_float(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(at) => (&body[..at], Some(&body[at + 1..])),
        None => (body, None),
    };
    let (whole, fraction) = match mantissa.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (mantissa, None),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match fraction {
        Some(f) => digits(whole) && digits(f) && !(whole.is_empty() && f.is_empty()),
        None => !whole.is_empty() && digits(whole),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// How YAML 1.1 reads a plain scalar, when that differs from the YAML 1.2 `value`: 1.1 booleans
/// (`yes`, `no`, `on`, `off`, `y`, `n`, in any case), leading-zero integers (octal, or a string
/// when not octal), `0o` and `0x` forms, sexagesimal numbers (`1:30`) and digit separators (`1_000`).
pub(super) fn yaml11_reading(text: &str, value: &Value) -> Option<Ambiguity> {
    // The fix keeps the YAML 1.2 value, which is what apig-lint checked: a string is quoted, an
    // integer written in plain decimal.
    let quoted = || serde_json::to_string(text).unwrap_or_default();
    let ambiguity = |yaml11: String, spelling: String, yaml11_zh: String, spelling_zh: String| {
        let fixed = match value {
            Value::Int(n) => n.to_string(),
            _ => quoted(),
        };
        Some(Ambiguity { yaml11, spelling, yaml11_zh, spelling_zh, fixed })
    };
    let lower = text.to_ascii_lowercase();
    if let (Value::Str(_), Some(truth)) = (value, yaml11_bool(&lower)) {
        return ambiguity(
            format!("the boolean {truth}"),
            format!("`{text:?}` for a string, `{truth}` for a boolean"),
            format!("布尔值 {truth}"),
            format!("`{text:?}`（字符串）或 `{truth}`（布尔值）"),
        );
    }
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if let Value::Int(n) = value {
        if unsigned.len() > 1 && unsigned.starts_with('0') && unsigned.bytes().all(|b| b.is_ascii_digit()) {
            let octal = unsigned.bytes().all(|b| (b'0'..=b'7').contains(&b));
            let (yaml11, yaml11_zh) = match i128::from_str_radix(unsigned, 8) {
                Ok(v) if octal => {
                    let decimal = if text.starts_with('-') { -v } else { v };
                    (
                        format!("the octal integer {text} (decimal {decimal})"),
                        format!("八进制整数 {text}（十进制 {decimal}）"),
                    )
                }
                _ => (format!("the string {text:?}"), format!("字符串 {text:?}")),
            };
            return ambiguity(yaml11, format!("`{n}`"), yaml11_zh, format!("`{n}`"));
        }
        if lower.starts_with("0o") {
            return ambiguity(
                format!("the string {text:?}"),
                format!("`{n}`"),
                format!("字符串 {text:?}"),
                format!("`{n}`"),
            );
        }
        if lower.starts_with("0x") {
            return ambiguity(
                "a hexadecimal integer only some tools accept".to_owned(),
                format!("`{n}`"),
                "只有部分工具接受的十六进制整数".to_owned(),
                format!("`{n}`"),
            );
        }
    }
    if let Value::Str(_) = value {
        let digits_and = |extra: u8| !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit() || b == extra);
        if digits_and(b':') && unsigned.starts_with(|c: char| c.is_ascii_digit()) && sexagesimal(unsigned) {
            return ambiguity(
                "a base-60 integer".to_owned(),
                format!("`{text:?}`"),
                "六十进制整数".to_owned(),
                format!("`{text:?}`"),
            );
        }
        if digits_and(b'_') && unsigned.starts_with(|c: char| c.is_ascii_digit()) && !unsigned.ends_with('_') {
            let n: String = unsigned.chars().filter(|c| *c != '_').collect();
            return ambiguity(
                format!("the integer {n}"),
                format!("`{n}` for a number, `{text:?}` for a string"),
                format!("整数 {n}"),
                format!("`{n}`（数字）或 `{text:?}`（字符串）"),
            );
        }
    }
    None
}

fn yaml11_bool(lower: &str) -> Option<bool> {
    match lower {
        "y" | "yes" | "on" => Some(true),
        "n" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// `1:30`, `190:20:30`: a first part, then parts of one or two digits below 60.
fn sexagesimal(text: &str) -> bool {
    let mut parts = text.split(':');
    parts.next().is_some_and(|first| !first.is_empty())
        && parts.clone().next().is_some()
        && parts.all(|p| !p.is_empty() && p.len() <= 2 && p.parse::<u8>().is_ok_and(|v| v < 60))
}

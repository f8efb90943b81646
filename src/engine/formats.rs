//! The named grammars of `format` checks. Each returns why a value does not fit.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::rules::Format;

pub fn check(format: Format, value: &str) -> Result<(), String> {
    match format {
        Format::HttpCode => http_code(value),
        Format::Host => host(value),
        Format::SecretReference => secret_reference(value),
    }
}

/// `list := item ("," item)*`, `item := code | code "-" code`, code 100–599, low ≤ high.
fn http_code(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("it is empty".into());
    }
    if value.chars().any(char::is_whitespace) {
        return Err("it contains spaces".into());
    }
    let code = |text: &str| -> Result<u16, String> {
        if text.is_empty() {
            return Err("a code is missing (two separators in a row, or one at an end)".into());
        }
        if !text.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!("`{text}` is not a number"));
        }
        match text.parse::<u16>() {
            Ok(n) if (100..=599).contains(&n) && text.len() == 3 => Ok(n),
            _ => Err(format!("`{text}` is not an HTTP status code from 100 to 599")),
        }
    };
    let mut seen: Vec<&str> = Vec::new();
    for item in value.split(',') {
        if seen.contains(&item) {
            return Err(format!("`{item}` is listed twice"));
        }
        seen.push(item);
        match item.split_once('-') {
            Some((low, high)) => {
                let (low_n, high_n) = (code(low)?, code(high)?);
                if low_n > high_n {
                    return Err(format!("the range `{item}` runs backwards"));
                }
            }
            None => {
                code(item)?;
            }
        }
    }
    Ok(())
}

/// An IPv4 or IPv6 address or a host name, nothing else. Labels are as DNS allows them in practice
/// (RFC 2181): letters (any script, for internationalised names), digits, inner `-`, and `_`,
/// which internal names use; the page sets no stricter rule.
fn host(value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("it is empty".into());
    }
    if value.contains("://") {
        return Err("it is a URL; give only the host".into());
    }
    if value.chars().any(char::is_whitespace) {
        return Err("it contains spaces".into());
    }
    if value.contains('/') {
        return Err("it contains a path".into());
    }
    if value.parse::<Ipv4Addr>().is_ok() || value.parse::<Ipv6Addr>().is_ok() {
        return Ok(());
    }
    if let Some(inner) = value.strip_prefix('[').and_then(|v| v.strip_suffix(']')) {
        return if inner.parse::<Ipv6Addr>().is_ok() { Ok(()) } else { Err("it is not an IPv6 address".into()) };
    }
    if let Some((_, port)) = value.rsplit_once(':') {
        if port.bytes().all(|b| b.is_ascii_digit()) && !value.contains("::") {
            return Err("it includes a port; put the port in the member's `port`".into());
        }
        return Err("it is not an IPv6 address".into());
    }
    let all_numeric = value.split('.').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()));
    if all_numeric {
        return Err("it is not a valid IPv4 address".into());
    }
    if value.len() > 253 {
        return Err("a host name is at most 253 characters".into());
    }
    let name = value.strip_suffix('.').unwrap_or(value);
    for label in name.split('.') {
        let ok = !label.is_empty()
            && label.len() <= 63
            && label.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            && !label.starts_with('-')
            && !label.ends_with('-');
        if !ok {
            return Err(format!(
                "`{label}` is not a valid host-name label (letters, digits, `_` and inner `-`, at most 63)"
            ));
        }
    }
    Ok(())
}

/// `${VAR}`, `{{ var }}` or `%{var}`-style placeholders substituted at deploy time.
fn secret_reference(value: &str) -> Result<(), String> {
    let v = value.trim();
    let placeholder = (v.starts_with("${") || v.starts_with("{{") || v.starts_with("%{")) && v.ends_with('}');
    if placeholder { Ok(()) } else { Err("it is a literal secret".into()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_code_grammar() {
        for ok in ["200", "200,201,202", "200-299", "201,202,210-299", "100", "599", "500", "200-200"] {
            assert_eq!(http_code(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            "99",
            "600",
            "2000",
            "200,",
            ",200",
            "200-",
            "299-200",
            "200, 201",
            "abc",
            "200--299",
            "200-299-300",
            "020",
        ] {
            assert!(http_code(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn host_grammar() {
        for ok in [
            "192.168.0.5",
            "fe80::1",
            "::1",
            "backend.internal",
            "a-b.example.com",
            "localhost",
            "example.com.",
            "my_host.internal",
            "中文.example",
        ] {
            assert_eq!(host(ok), Ok(()), "{ok}");
        }
        for bad in ["", "http://1.2.3.4", "1.2.3.4:80", "1.2.3.4/x", "a b", "256.1.1.1", "-a.com", "a!b.com", "1.2.3"] {
            assert!(host(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn secrets() {
        assert!(secret_reference("${NACOS_PASSWORD}").is_ok());
        assert!(secret_reference("{{ nacos.password }}").is_ok());
        assert!(secret_reference("hunter2").is_err());
    }
}

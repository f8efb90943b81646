//! The language of a run's messages: English, or Simplified Chinese (`zh-CN`). Chosen once per
//! run; rule ids, names, pointers, positions, gateway codes, fingerprints and baselines never
//! depend on it.

use std::fmt;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    /// `en` or `zh-CN` (also `zh`, `zh_CN`, any letter case), as `--lang` and the configuration
    /// take them.
    pub fn parse(text: &str) -> Option<Lang> {
        match text.to_ascii_lowercase().replace('_', "-").as_str() {
            "en" | "en-us" | "en-gb" => Some(Lang::En),
            "zh" | "zh-cn" | "zh-hans" => Some(Lang::ZhCn),
            _ => None,
        }
    }

    /// The language a POSIX locale value asks for: any `zh_*` is Simplified Chinese (`zh_TW` and
    /// `zh_HK` too, until there is a Traditional translation); anything else English.
    pub(crate) fn from_locale(value: &str) -> Lang {
        if value.to_ascii_lowercase().starts_with("zh") { Lang::ZhCn } else { Lang::En }
    }

    /// From the environment as POSIX reads it: the first of `LC_ALL`, `LC_MESSAGES` and `LANG`
    /// that is set and not empty decides; none set means English.
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Lang {
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .find_map(|name| var(name).filter(|v| !v.is_empty()))
            .map_or(Lang::En, |value| Lang::from_locale(&value))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// A text of the rule data in this language: its Chinese where the data has one, else the
    /// English (every rule, field and fix text has an optional `_zh` or `[zh-CN]` twin).
    pub fn translated<'a>(self, en: &'a str, zh: Option<&'a str>) -> &'a str {
        match (self, zh) {
            (Lang::ZhCn, Some(zh)) => zh,
            _ => en,
        }
    }

    /// The English or the Chinese of a pair.
    pub fn pick<'a>(self, en: &'a str, zh: &'a str) -> &'a str {
        match self {
            Lang::En => en,
            Lang::ZhCn => zh,
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::Lang;

    #[test]
    fn locales_choose_the_language_in_posix_order() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(Lang::from_env(env(&[("LANG", "zh_CN.UTF-8")])), Lang::ZhCn);
        assert_eq!(Lang::from_env(env(&[("LANG", "zh_TW.UTF-8")])), Lang::ZhCn, "until a Traditional translation");
        assert_eq!(Lang::from_env(env(&[("LC_ALL", "en_US.UTF-8"), ("LANG", "zh_CN.UTF-8")])), Lang::En);
        assert_eq!(Lang::from_env(env(&[("LC_ALL", ""), ("LC_MESSAGES", "zh_CN"), ("LANG", "C")])), Lang::ZhCn);
        assert_eq!(Lang::from_env(env(&[])), Lang::En);
        assert_eq!(Lang::parse("zh_CN"), Some(Lang::ZhCn));
        assert_eq!(Lang::parse("fr"), None);
    }
}

/// English details of document-level findings (from the loader, the limits, suppressions) and
/// their Chinese, as `(pattern, template)`: `$1`… are the pattern's groups. Parser messages after
/// "invalid JSON:" or "invalid YAML:" come from the parser crates and stay as they are.
const DETAILS_ZH: &[(&str, &str)] = &[
    (r"^the file is empty; the gateway needs a JSON object$", "文件为空；网关需要一个 JSON 对象"),
    (r"^invalid JSON: (.*)$", "JSON 无效：$1"),
    (r"^invalid YAML: (.*)$", "YAML 无效：$1"),
    (r"^nesting is deeper than (\d+) levels$", "嵌套超过 $1 层"),
    (
        r"^the file has more than (\d+) documents \(--max-documents\), so the rest was not checked$",
        "文件中的文档超过 $1 个（--max-documents），其余部分未检查",
    ),
    (r"^aliases expand to more than (\d+) nodes \(an alias bomb\?\)$", "别名展开后超过 $1 个节点（别名炸弹？）"),
    (
        r"^the file is larger than (\d+) bytes \(--max-file-size\), so it was not checked$",
        "文件大于 $1 字节（--max-file-size），未检查",
    ),
    (
        r"^the file is UTF-16; the gateway reads UTF-8, so save it as UTF-8$",
        "文件是 UTF-16 编码；网关读取 UTF-8，请另存为 UTF-8",
    ),
    (
        r"^invalid UTF-8 at byte offset (\d+); save the file as UTF-8$",
        "字节偏移 $1 处不是有效的 UTF-8；请将文件另存为 UTF-8",
    ),
    (
        r"^checking took longer than the (\d+) ms per-file budget \(--time-budget\), so the rest of the file was not checked$",
        "检查耗时超过每个文件 $1 毫秒的预算（--time-budget），文件的其余部分未检查",
    ),
    (
        r"^more than (\d+) `([^`]+)` \((AL\d+)\) findings in this file \(--max-findings-per-rule\), so the rest are not reported$",
        "此文件中 `$2`（$3）的问题超过 $1 个（--max-findings-per-rule），其余不再报告",
    ),
    (
        r"^more than (\d+) findings in this file \(--max-findings\), so the rest are not reported$",
        "此文件中的问题超过 $1 个（--max-findings），其余不再报告",
    ),
    (r"^this suppression of (.+) gives no reason$", "对 $1 的抑制没有写明原因"),
    (
        r"^this suppression of `([^`]+)` suppresses nothing: the rule is not enabled$",
        "对 `$1` 的抑制没有抑制任何问题：该规则未启用",
    ),
    (
        r"^this suppression of `([^`]+)` suppresses nothing: no `[^`]+` finding on line (\d+)$",
        "对 `$1` 的抑制没有抑制任何问题：第 $2 行没有 `$1` 问题",
    ),
    (
        r"^this suppression of `([^`]+)` suppresses nothing: no `[^`]+` finding in this file$",
        "对 `$1` 的抑制没有抑制任何问题：此文件中没有 `$1` 问题",
    ),
    (r"^this `\[\[suppress\]\]` entry for `([^`]+)` gives no reason$", "针对 `$1` 的 `[[suppress]]` 条目没有写明原因"),
    (
        r"^this `\[\[suppress\]\]` entry suppresses nothing: no `([^`]+)` finding(?: at `([^`]*)`)? in the files matching `(.*)`$",
        "该 `[[suppress]]` 条目没有抑制任何问题：匹配 `$3` 的文件中没有 `$1` 问题",
    ),
    (
        r"^expected `ignore` or `ignore-file` after `apig-lint:`, found (.*)$",
        "`apig-lint:` 之后应为 `ignore` 或 `ignore-file`，实际为 $1",
    ),
    (r"^unknown rule `([^`]+)` in a suppression$", "抑制中的规则 `$1` 不存在"),
    (
        r"^`([^`]+)` cannot be suppressed: its findings mean the file was not checked$",
        "`$1` 不能被抑制：它的问题表示文件未被检查",
    ),
    // Reasons of the named grammars (`http_code`, `host`, secrets).
    (r"^it is empty$", "值为空"),
    (r"^it contains spaces$", "包含空格"),
    (
        r"^a code is missing \(two separators in a row, or one at an end\)$",
        "缺少状态码（两个分隔符相连，或分隔符位于开头或结尾）",
    ),
    (r"^`(.*)` is not a number$", "`$1` 不是数字"),
    (r"^`(.*)` is not an HTTP status code from 100 to 599$", "`$1` 不是 100 到 599 之间的 HTTP 状态码"),
    (r"^`(.*)` is listed twice$", "`$1` 重复出现"),
    (r"^the range `(.*)` runs backwards$", "范围 `$1` 的起止颠倒"),
    (r"^it is a URL; give only the host$", "这是一个 URL；只需填写主机"),
    (r"^it contains a path$", "包含路径"),
    (r"^it is not an IPv6 address$", "不是有效的 IPv6 地址"),
    (r"^it includes a port; put the port in the member's `port`$", "包含端口；请把端口写在后端实例的 `port` 中"),
    (r"^it is not a valid IPv4 address$", "不是有效的 IPv4 地址"),
    (r"^a host name is at most 253 characters$", "主机名最多 253 个字符"),
    (
        r"^`(.*)` is not a valid host-name label \(letters, digits, `_` and inner `-`, at most 63\)$",
        "`$1` 不是有效的主机名标签（字母、数字、`_` 和中间的 `-`，最多 63 个字符）",
    ),
    (r"^it is a literal secret$", "这是明文密钥"),
];

/// A document-level finding's detail in `lang` (English details are the source).
pub(crate) fn localize_detail(detail: &str, lang: Lang) -> String {
    use std::sync::OnceLock;
    static COMPILED: OnceLock<Vec<(regex_lite::Regex, &'static str)>> = OnceLock::new();
    if lang == Lang::En {
        return detail.to_owned();
    }
    let table = COMPILED.get_or_init(|| {
        DETAILS_ZH.iter().filter_map(|(pattern, zh)| Some((regex_lite::Regex::new(pattern).ok()?, *zh))).collect()
    });
    table
        .iter()
        .find_map(|(re, zh)| re.is_match(detail).then(|| re.replace(detail, *zh).into_owned()))
        .unwrap_or_else(|| detail.to_owned())
}

#[cfg(test)]
mod details {
    use super::{DETAILS_ZH, Lang, localize_detail};

    #[test]
    fn every_detail_pattern_compiles_and_translates() {
        for (pattern, _) in DETAILS_ZH {
            assert!(regex_lite::Regex::new(pattern).is_ok(), "{pattern}");
        }
        assert_eq!(localize_detail("nesting is deeper than 128 levels", Lang::ZhCn), "嵌套超过 128 层");
        assert_eq!(
            localize_detail(
                "this suppression of `AL401` suppresses nothing: no `AL401` finding on line 16",
                Lang::ZhCn
            ),
            "对 `AL401` 的抑制没有抑制任何问题：第 16 行没有 `AL401` 问题"
        );
        assert_eq!(localize_detail("invalid YAML: x", Lang::En), "invalid YAML: x");
    }
}

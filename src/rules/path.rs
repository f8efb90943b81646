//! The tiny path grammar rules use to select nodes: `members[*].host`. A path starting with `$.`
//! is absolute (from the document root); otherwise it is relative to the rule's scope.

use std::fmt;

use serde::Deserialize;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Step {
    pub name: String,
    /// `name[*]`: every item of the array at `name`.
    pub each: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash, Default)]
pub struct Path {
    absolute: bool,
    steps: Vec<Step>,
}

impl Path {
    pub fn parse(text: &str) -> Result<Path, String> {
        let (absolute, rest) = match text.strip_prefix('$') {
            Some(rest) => (true, rest.strip_prefix('.').unwrap_or(rest)),
            None => (false, text),
        };
        let mut steps = Vec::new();
        for part in rest.split('.').filter(|p| !p.is_empty()) {
            let (name, each) = match part.strip_suffix("[*]") {
                Some(name) => (name, true),
                None => (part, false),
            };
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
                return Err(format!("bad path `{text}`"));
            }
            steps.push(Step { name: name.to_owned(), each });
        }
        Ok(Path { absolute, steps })
    }

    pub(crate) fn steps(&self) -> &[Step] {
        &self.steps
    }
    pub(crate) fn is_root(&self) -> bool {
        self.steps.is_empty()
    }
    pub(crate) fn is_absolute(&self) -> bool {
        self.absolute
    }
    /// `self` followed by a relative path such as `timeout` or `cce_info.app_name`.
    pub fn join(&self, relative: &str) -> Path {
        let mut joined = self.clone();
        if let Ok(tail) = Path::parse(relative) {
            joined.steps.extend(tail.steps);
        }
        joined
    }
    /// This path as seen from the root, given the scope it is relative to.
    pub(crate) fn absolute_from(&self, scope: &Path) -> Path {
        if self.absolute {
            Path { absolute: false, steps: self.steps.clone() }
        } else {
            let mut joined = scope.clone();
            joined.steps.extend(self.steps.iter().cloned());
            joined
        }
    }
    /// The last step's name, used as the field name in messages.
    pub(crate) fn last_name(&self) -> &str {
        self.steps.last().map_or("", |s| s.name.as_str())
    }
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.absolute {
            f.write_str("$")?;
        }
        for (i, step) in self.steps.iter().enumerate() {
            if i > 0 || self.absolute {
                f.write_str(".")?;
            }
            f.write_str(&step.name)?;
            if step.each {
                f.write_str("[*]")?;
            }
        }
        Ok(())
    }
}

impl<'de> Deserialize<'de> for Path {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Path::parse(&text).map_err(serde::de::Error::custom)
    }
}

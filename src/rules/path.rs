//! The tiny path grammar rules use to select nodes: `members[*].host`. A path starting with `$.`
//! is absolute (from the document root); otherwise it is relative to the rule's scope.

use std::fmt;

use super::{Path, Step};

impl Path {
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
            joined.steps.to_mut().extend(tail.steps.iter().cloned());
        }
        joined
    }
    /// This path as seen from the root, given the scope it is relative to.
    pub(crate) fn absolute_from(&self, scope: &Path) -> Path {
        if self.absolute {
            Path { absolute: false, steps: self.steps.clone() }
        } else {
            let mut joined = scope.clone();
            joined.steps.to_mut().extend(self.steps.iter().cloned());
            joined
        }
    }
    /// The last step's name, used as the field name in messages.
    pub(crate) fn last_name(&self) -> &str {
        self.steps.last().map_or("", |s| &s.name)
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

//! Lexical path helpers: no file-system access, so results do not depend on
//! symlinks or on what exists.

use somon_fs::PathStyle;
use std::path::{Path, PathBuf};

/// Removes `.` components and folds `a/..`, without touching the file
/// system. A `..` that would climb above the root is dropped; leading `..`
/// of a relative path are kept (host paths; `somon_fs::PathStyle` is the
/// one implementation).
pub fn normalize(path: &Path) -> PathBuf {
    PathStyle::native().normalize(path)
}

/// `path` if it is absolute, else `base.join(path)`; normalized.
pub fn absolutize(base: &Path, path: &Path) -> PathBuf {
    let style = PathStyle::native();
    style.normalize(&style.join(base, path))
}

/// The folder a file is in (`.` for a bare file name).
pub(crate) fn parent_dir(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_lexically() {
        assert_eq!(normalize(Path::new("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(normalize(Path::new("/../a")), PathBuf::from("/a"));
        assert_eq!(normalize(Path::new("../a/./b")), PathBuf::from("../a/b"));
        assert_eq!(normalize(Path::new("a/..")), PathBuf::from("."));
        assert_eq!(
            absolutize(Path::new("/p/q"), Path::new("../dist")),
            PathBuf::from("/p/dist")
        );
        assert_eq!(
            absolutize(Path::new("/p/q"), Path::new("/abs")),
            PathBuf::from("/abs")
        );
        assert_eq!(parent_dir(Path::new("x.json")), PathBuf::from("."));
    }
}

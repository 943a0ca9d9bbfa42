//! Lexical path helpers: no file-system access, so results do not depend on
//! symlinks or on what exists.

use std::path::{Component, Path, PathBuf};

/// Removes `.` components and folds `a/..`, without touching the file
/// system. A `..` that would climb above the root is dropped; leading `..`
/// of a relative path are kept.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => match out.last() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                _ => out.push(c),
            },
            _ => out.push(c),
        }
    }
    if out.is_empty() {
        return PathBuf::from(".");
    }
    out.iter().collect()
}

/// `path` if it is absolute, else `base.join(path)`; normalized.
pub fn absolutize(base: &Path, path: &Path) -> PathBuf {
    if path.is_absolute() {
        normalize(path)
    } else {
        normalize(&base.join(path))
    }
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

//! File helpers: atomic writes and relative paths.

use std::io::Write;
use std::path::{Component, Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// then a rename, so readers never see a half-written file and a failure
/// leaves any previous file untouched. Creates missing parent folders.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A key that is equal for two paths naming the same existing file (links
/// resolved); a path that does not exist yet is its own key, normalized.
pub(crate) fn file_key(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| normalize(p))
}

pub(crate) use somon_project::fs::normalize;

/// The deepest folder that contains all of `paths` (normalized, absolute).
pub(crate) fn common_ancestor(paths: &[PathBuf]) -> PathBuf {
    let mut iter = paths.iter();
    let Some(first) = iter.next() else {
        return PathBuf::new();
    };
    let mut common: Vec<Component> = first.components().collect();
    for p in iter {
        let same = common
            .iter()
            .zip(p.components())
            .take_while(|(a, b)| **a == *b)
            .count();
        common.truncate(same);
    }
    common.iter().collect()
}

pub use somon_project::fs::relative_path;

/// Where the source map of `output` goes: `<name>.map` beside it.
pub(crate) fn map_path(output: &Path) -> PathBuf {
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    output.with_file_name(format!("{name}.map"))
}

/// Writes a compiled output and, when there is one, its source map (map
/// first, at [`map_path`], named by a `sourceMappingURL` comment appended
/// to the code), each atomically. With `keep_identical`, an output whose
/// bytes would not change is left alone (its map is still written). On
/// failure, the file that could not be written.
pub(crate) fn write_output(
    output: &Path,
    mut code: String,
    map: Option<&str>,
    keep_identical: bool,
) -> Result<(), (PathBuf, std::io::Error)> {
    if let Some(map) = map {
        let map_file = map_path(output);
        if !code.ends_with('\n') {
            code.push('\n');
        }
        let name = map_file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        code.push_str(&format!("//# sourceMappingURL={name}\n"));
        write_atomic(&map_file, map.as_bytes()).map_err(|e| (map_file, e))?;
    }
    if keep_identical && std::fs::read(output).is_ok_and(|old| old == code.as_bytes()) {
        return Ok(());
    }
    write_atomic(output, code.as_bytes()).map_err(|e| (output.to_path_buf(), e))
}

/// Whether `dir` exists as a writable folder or could be created: its
/// nearest existing ancestor must be a folder that is not read-only. Only
/// reads metadata; nothing is created.
pub(crate) fn dir_creatable(dir: &Path) -> bool {
    let mut cur = Some(dir);
    while let Some(d) = cur {
        if let Ok(meta) = std::fs::metadata(d) {
            return meta.is_dir() && !meta.permissions().readonly();
        }
        cur = d.parent();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths() {
        assert_eq!(
            relative_path(Path::new("/a/dist"), Path::new("/a/src/м.som")),
            "../src/м.som"
        );
        assert_eq!(
            relative_path(Path::new("/a/src"), Path::new("/a/src/м.som")),
            "м.som"
        );
    }

    #[test]
    fn common_ancestors() {
        let paths = |ps: &[&str]| ps.iter().map(PathBuf::from).collect::<Vec<_>>();
        assert_eq!(
            common_ancestor(&paths(&["/a/src/x", "/a/src/y/z", "/a/src"])),
            PathBuf::from("/a/src")
        );
        assert_eq!(
            common_ancestor(&paths(&["/a/src", "/a/lib"])),
            PathBuf::from("/a")
        );
        assert_eq!(common_ancestor(&paths(&["/a/б"])), PathBuf::from("/a/б"));
        assert_eq!(common_ancestor(&paths(&["/x", "/y"])), PathBuf::from("/"));
    }
}

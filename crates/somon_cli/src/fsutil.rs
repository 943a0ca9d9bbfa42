//! File helpers: atomic writes and relative paths.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Writes `bytes` to `path` atomically: a temporary file in the same folder,
/// then a rename, so readers never see a half-written file and a failure
/// leaves any previous file untouched. Creates missing parent folders; a
/// replaced file keeps its permissions (mode bits). The write of the
/// project's one file-system trait (`somon_fs::RealFs`).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use somon_project::fs::FileSystem;
    somon_project::fs::RealFs.write(path, bytes)
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

/// The files a build read (sources, JSON, JavaScript, the configuration
/// file), by [`file_key`]: no output may replace one of them.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReadFiles(HashMap<PathBuf, PathBuf>);

impl ReadFiles {
    pub(crate) fn insert(&mut self, path: &Path) {
        self.0
            .entry(file_key(path))
            .or_insert_with(|| path.to_path_buf());
    }

    /// The file read that writing `output` would replace, if any.
    pub(crate) fn replaced_by(&self, output: &Path) -> Option<&Path> {
        if self.0.is_empty() {
            return None;
        }
        self.0.get(&file_key(output)).map(PathBuf::as_path)
    }
}

impl<P: AsRef<Path>> Extend<P> for ReadFiles {
    fn extend<I: IntoIterator<Item = P>>(&mut self, iter: I) {
        for p in iter {
            self.insert(p.as_ref());
        }
    }
}

/// Why an output was not written.
#[derive(Debug)]
pub(crate) enum WriteError {
    /// The output names a file the build read.
    IsInput {
        output: PathBuf,
        input: PathBuf,
    },
    /// The output exists and is read-only: it is left as it is.
    ReadOnly(PathBuf),
    Io(PathBuf, std::io::Error),
}

/// Whether `output` may be written: not a file the build read, not an
/// existing read-only file.
pub(crate) fn check_writable(output: &Path, read: &ReadFiles) -> Result<(), WriteError> {
    if let Some(input) = read.replaced_by(output) {
        return Err(WriteError::IsInput {
            output: output.to_path_buf(),
            input: input.to_path_buf(),
        });
    }
    if std::fs::metadata(output).is_ok_and(|m| m.is_file() && m.permissions().readonly()) {
        return Err(WriteError::ReadOnly(output.to_path_buf()));
    }
    Ok(())
}

/// Writes a compiled output through `fs` and, when there is one, its
/// source map (map first, at [`map_path`], named by a `sourceMappingURL` comment appended
/// to the code), each atomically. Nothing is written when either would
/// replace a file of `read` or an existing read-only file. With
/// `keep_identical`, an output whose bytes would not change is left alone
/// (its map is still written).
pub(crate) fn write_output(
    fs: &dyn somon_project::fs::FileSystem,
    output: &Path,
    mut code: String,
    map: Option<&str>,
    keep_identical: bool,
    read: &ReadFiles,
) -> Result<(), WriteError> {
    let map_file = map.map(|_| map_path(output));
    if let Some(map_file) = &map_file {
        check_writable(map_file, read)?;
        if !code.ends_with('\n') {
            code.push('\n');
        }
        let name = map_file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        code.push_str(&format!("//# sourceMappingURL={name}\n"));
    }
    let unchanged = keep_identical && fs.read(output).is_ok_and(|old| old == code.as_bytes());
    if unchanged {
        // Only the read files matter: an unchanged output is not written.
        if let Some(input) = read.replaced_by(output) {
            return Err(WriteError::IsInput {
                output: output.to_path_buf(),
                input: input.to_path_buf(),
            });
        }
    } else {
        check_writable(output, read)?;
    }
    if let (Some(map), Some(map_file)) = (map, map_file) {
        fs.write(&map_file, map.as_bytes())
            .map_err(|e| WriteError::Io(map_file, e))?;
    }
    if unchanged {
        return Ok(());
    }
    fs.write(output, code.as_bytes())
        .map_err(|e| WriteError::Io(output.to_path_buf(), e))
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
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use somon_project::fs::RealFs;

    /// A fresh folder of this test (removed first if a previous run left it).
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("somon-fsutil-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn outputs_never_replace_a_file_read() {
        let dir = scratch("read");
        std::fs::write(dir.join("lib.som"), "x").unwrap();
        std::fs::create_dir(dir.join("sub")).unwrap();
        let mut read = ReadFiles::default();
        read.insert(&dir.join("lib.som"));
        // The same file by another name: `..`, `.`, a symbolic link.
        for other in [
            dir.join("sub/../lib.som"),
            dir.join("./lib.som"),
            dir.join("link.som"),
        ] {
            #[cfg(unix)]
            if other.ends_with("link.som") {
                std::os::unix::fs::symlink(dir.join("lib.som"), &other).unwrap();
            }
            match write_output(&RealFs, &other, "code".into(), None, false, &read) {
                Err(WriteError::IsInput { output, input }) => {
                    assert_eq!(output, other);
                    assert_eq!(input, dir.join("lib.som"));
                }
                r => panic!("{other:?}: {r:?}"),
            }
        }
        // The source map is an output too, checked before anything is written.
        read.insert(&dir.join("out.js.map"));
        std::fs::write(dir.join("out.js.map"), "input").unwrap();
        let r = write_output(
            &RealFs,
            &dir.join("out.js"),
            "code".into(),
            Some("{}"),
            false,
            &read,
        );
        assert!(matches!(r, Err(WriteError::IsInput { .. })), "{r:?}");
        assert!(!dir.join("out.js").exists());
        assert_eq!(std::fs::read_to_string(dir.join("lib.som")).unwrap(), "x");
        assert_eq!(
            std::fs::read_to_string(dir.join("out.js.map")).unwrap(),
            "input"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn read_only_outputs_are_refused_and_replaced_ones_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = scratch("mode");
        let (ro, rw) = (dir.join("ro.js"), dir.join("rw.js"));
        std::fs::write(&ro, "old").unwrap();
        std::fs::write(&rw, "old").unwrap();
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o444)).unwrap();
        std::fs::set_permissions(&rw, std::fs::Permissions::from_mode(0o751)).unwrap();
        let none = ReadFiles::default();
        let r = write_output(&RealFs, &ro, "new".into(), None, false, &none);
        assert!(
            matches!(r, Err(WriteError::ReadOnly(ref p)) if *p == ro),
            "{r:?}"
        );
        assert_eq!(std::fs::read_to_string(&ro).unwrap(), "old");
        // Unchanged bytes are not a write, so read-only is fine then.
        write_output(&RealFs, &ro, "old".into(), None, true, &none).unwrap();
        write_output(&RealFs, &rw, "new".into(), None, false, &none).unwrap();
        assert_eq!(std::fs::read_to_string(&rw).unwrap(), "new");
        let mode = std::fs::metadata(&rw).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o751);
        std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o644)).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
    }

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

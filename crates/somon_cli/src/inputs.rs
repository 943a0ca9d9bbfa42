//! What a build reads and writes, as data: the file system every command
//! builds through records each file it reads (sources, JSON, JavaScript,
//! `package.json` files; the configuration file is added by the settings),
//! and the commands add what they write. `--deps-file` prints both in the
//! Make/Ninja depfile format, `module-info --json` as JSON. Under
//! `--hermetic` the same file system refuses files outside the project
//! folder (the working folder) and the `node_modules` packages the build
//! imports: such a file does not exist for the resolver, and the command
//! reports it as `HERMETIC_READ`.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;

use somon_project::fs::{FileSystem, RealFs};

/// The file system a command reaches files through: the disk ([`RealFs`],
/// the default) or, in tests, an in-memory tree.
#[derive(Clone)]
pub struct Files(pub std::sync::Arc<dyn FileSystem + Send>);

impl Default for Files {
    fn default() -> Self {
        Files(std::sync::Arc::new(RealFs))
    }
}

impl std::fmt::Debug for Files {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Files")
    }
}

/// The recording (and, when hermetic, guarding) file system of one command,
/// over the environment's [`Files`]: every read of the command goes through
/// it, so the "never overwrite an input" check and `--deps-file` see them
/// all.
#[derive(Debug, Default)]
pub(crate) struct Tracked {
    inner: Files,
    /// The project folder under `--hermetic` (and its real path).
    hermetic: Option<(PathBuf, PathBuf)>,
    /// Real folders of the `node_modules` packages the build reached (a
    /// workspace package links to a folder outside the project).
    packages: Mutex<BTreeSet<PathBuf>>,
    read: Mutex<BTreeSet<PathBuf>>,
    written: Mutex<BTreeSet<PathBuf>>,
    refused: Mutex<BTreeSet<PathBuf>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The folder of the package a `node_modules` path is in
/// (`…/node_modules/name` or `…/node_modules/@scope/name`).
fn package_folder(path: &Path) -> Option<PathBuf> {
    let parts: Vec<Component> = path.components().collect();
    let at = parts
        .iter()
        .rposition(|c| c.as_os_str() == "node_modules")?;
    let first = parts.get(at + 1)?;
    let take = if first.as_os_str().to_string_lossy().starts_with('@') {
        at + 3
    } else {
        at + 2
    };
    if take > parts.len() {
        return None;
    }
    Some(parts.iter().take(take).collect())
}

impl Tracked {
    /// `hermetic`: the project folder, when only it and `node_modules`
    /// packages may be read.
    pub(crate) fn new(hermetic: Option<&Path>, inner: Files) -> Self {
        Tracked {
            hermetic: hermetic.map(|root| {
                let root = somon_project::fs::normalize(root);
                let real = inner.0.real_path(&root);
                (root, real)
            }),
            inner,
            ..Tracked::default()
        }
    }

    /// The file system below the recording: for writes the command notes
    /// itself, and for reads of its outputs.
    pub(crate) fn files(&self) -> &dyn FileSystem {
        &*self.inner.0
    }

    /// The bytes of a file the command does not build from (an output it
    /// compares before writing): not recorded as read, not guarded.
    pub(crate) fn peek(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.inner.0.read(path)
    }

    pub(crate) fn is_hermetic(&self) -> bool {
        self.hermetic.is_some()
    }

    /// The project folder of `--hermetic`.
    pub(crate) fn root(&self) -> Option<&Path> {
        self.hermetic.as_ref().map(|(r, _)| r.as_path())
    }

    /// Whether the build may read `path`.
    fn allowed(&self, path: &Path) -> bool {
        let Some((root, real_root)) = &self.hermetic else {
            return true;
        };
        let path = somon_project::fs::normalize(path);
        path.starts_with(root)
            || path.starts_with(real_root)
            || path.components().any(|c| c.as_os_str() == "node_modules")
            || lock(&self.packages).iter().any(|p| path.starts_with(p))
    }

    /// Refuses a read outside the hermetic inputs (noting an existing file).
    fn guard(&self, path: &Path) -> std::io::Result<()> {
        if self.allowed(path) {
            return Ok(());
        }
        if self.inner.0.is_file(path) {
            self.refuse(path);
        }
        Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "outside the hermetic inputs",
        ))
    }

    fn refuse(&self, path: &Path) {
        lock(&self.refused).insert(somon_project::fs::normalize(path));
    }

    /// A file the command read itself (an input, the configuration).
    pub(crate) fn note_read(&self, path: &Path) {
        lock(&self.read).insert(somon_project::fs::normalize(path));
    }

    /// A file the command wrote.
    pub(crate) fn note_written(&self, path: &Path) {
        lock(&self.written).insert(somon_project::fs::normalize(path));
    }

    /// Every file read, sorted.
    pub(crate) fn reads(&self) -> Vec<PathBuf> {
        lock(&self.read).iter().cloned().collect()
    }

    /// Every file written, sorted.
    pub(crate) fn writes(&self) -> Vec<PathBuf> {
        lock(&self.written).iter().cloned().collect()
    }

    /// Files `--hermetic` kept the build from reading, sorted.
    pub(crate) fn refused(&self) -> Vec<PathBuf> {
        lock(&self.refused).iter().cloned().collect()
    }
}

impl FileSystem for Tracked {
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        self.guard(path)?;
        let text = self.inner.0.read_to_string(path)?;
        self.note_read(path);
        Ok(text)
    }

    fn read(&self, path: &Path) -> std::io::Result<Vec<u8>> {
        self.guard(path)?;
        let bytes = self.inner.0.read(path)?;
        self.note_read(path);
        Ok(bytes)
    }

    fn is_file(&self, path: &Path) -> bool {
        let exists = self.inner.0.is_file(path);
        if exists && !self.allowed(path) {
            self.refuse(path);
            return false;
        }
        exists
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.allowed(path) && self.inner.0.is_dir(path)
    }

    fn exists(&self, path: &Path) -> bool {
        self.allowed(path) && self.inner.0.exists(path)
    }

    fn read_dir(&self, path: &Path) -> std::io::Result<Vec<somon_project::fs::DirEntry>> {
        if !self.allowed(path) {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                "outside the hermetic inputs",
            ));
        }
        self.inner.0.read_dir(path)
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        self.inner.0.write(path, bytes)?;
        self.note_written(path);
        Ok(())
    }

    fn real_path(&self, path: &Path) -> PathBuf {
        let real = self.inner.0.real_path(path);
        if self.is_hermetic() && real != path && self.allowed(path) {
            // A package reached through `node_modules` may live elsewhere
            // (a workspace link): its real folder is part of the build.
            if let Some(folder) = package_folder(path) {
                let real_folder = self.inner.0.real_path(&folder);
                lock(&self.packages).insert(real_folder);
            }
        }
        real
    }

    fn style(&self) -> somon_project::fs::PathStyle {
        self.inner.0.style()
    }
}

/// A path as reports show it: relative to `cwd` (with `/`) when inside it,
/// otherwise absolute.
pub(crate) fn shown(path: &Path, cwd: &Path) -> String {
    match path.strip_prefix(cwd) {
        Ok(rel) => rel.to_string_lossy().replace('\\', "/"),
        Err(_) => path.to_string_lossy().replace('\\', "/"),
    }
}

/// One path in a depfile: spaces, `#` and `\` escaped with `\`, `$` doubled
/// (what both Make and Ninja read back).
fn depfile_word(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for ch in path.chars() {
        match ch {
            ' ' | '#' | '\\' => {
                out.push('\\');
                out.push(ch);
            }
            '$' => out.push_str("$$"),
            _ => out.push(ch),
        }
    }
    out
}

/// The Make/Ninja depfile: `targets: prerequisites`, one path a line.
pub(crate) fn depfile(targets: &[PathBuf], reads: &[PathBuf], cwd: &Path) -> String {
    let mut out = String::new();
    let targets: Vec<String> = targets
        .iter()
        .map(|t| depfile_word(&shown(t, cwd)))
        .collect();
    out.push_str(&targets.join(" "));
    out.push(':');
    for r in reads {
        out.push_str(" \\\n  ");
        out.push_str(&depfile_word(&shown(r, cwd)));
    }
    out.push('\n');
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn depfile_escapes_what_make_and_ninja_read_back() {
        let cwd = Path::new("/п");
        let text = depfile(
            &[PathBuf::from("/п/dist/a b.js")],
            &[
                PathBuf::from("/п/src/ас#ос.som"),
                PathBuf::from("/other/$x.json"),
            ],
            cwd,
        );
        assert_eq!(
            text,
            "dist/a\\ b.js: \\\n  src/ас\\#ос.som \\\n  /other/$$x.json\n"
        );
    }

    #[test]
    fn package_folders_of_plain_and_scoped_packages() {
        assert_eq!(
            package_folder(Path::new("/w/node_modules/@ws/b/src/x.som")),
            Some(PathBuf::from("/w/node_modules/@ws/b"))
        );
        assert_eq!(
            package_folder(Path::new("/w/node_modules/lodash/index.js")),
            Some(PathBuf::from("/w/node_modules/lodash"))
        );
        assert_eq!(package_folder(Path::new("/w/src/x.som")), None);
    }

    #[test]
    fn hermetic_refuses_existing_files_outside_the_project() {
        let dir = std::env::temp_dir().join(format!("somon-hermetic-{}", std::process::id()));
        let project = dir.join("project");
        std::fs::create_dir_all(&project).unwrap();
        std::fs::write(dir.join("outside.som"), "тағ х = 1;").unwrap();
        std::fs::write(project.join("inside.som"), "тағ х = 1;").unwrap();
        let fs = Tracked::new(Some(&project), Files::default());
        assert!(fs.is_file(&project.join("inside.som")));
        assert!(!fs.is_file(&dir.join("outside.som")));
        assert!(fs.read_to_string(&dir.join("outside.som")).is_err());
        assert_eq!(fs.refused(), vec![dir.join("outside.som")]);
        assert_eq!(
            fs.read_to_string(&project.join("inside.som")).unwrap(),
            "тағ х = 1;"
        );
        assert_eq!(fs.reads(), vec![project.join("inside.som")]);
        // Not hermetic: everything may be read.
        let open = Tracked::new(None, Files::default());
        assert!(open.is_file(&dir.join("outside.som")));
        assert!(open.refused().is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

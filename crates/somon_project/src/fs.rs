//! File access behind a trait, so resolution and graph building can be
//! tested on an in-memory tree (and the core never touches the disk
//! directly).

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};

pub trait FileSystem: Sync {
    fn read_to_string(&self, path: &Path) -> std::io::Result<String>;
    fn is_file(&self, path: &Path) -> bool;
    fn is_dir(&self, path: &Path) -> bool;
    /// The path with symbolic links resolved (as Node resolves package
    /// files); the path itself when it has none or cannot be resolved.
    fn real_path(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

/// The real file system.
pub struct RealFs;

impl FileSystem for RealFs {
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn real_path(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// An in-memory tree of files (tests).
#[derive(Default)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, String>,
}

impl MemoryFs {
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        MemoryFs {
            files: files
                .into_iter()
                .map(|(p, c)| (PathBuf::from(p), c.to_string()))
                .collect(),
        }
    }
}

impl MemoryFs {
    /// Adds a file or replaces its content.
    pub fn insert(&mut self, path: &str, content: &str) {
        self.files.insert(PathBuf::from(path), content.to_string());
    }

    /// Deletes a file; whether it existed.
    pub fn remove(&mut self, path: &str) -> bool {
        self.files.remove(Path::new(path)).is_some()
    }
}

impl FileSystem for MemoryFs {
    fn read_to_string(&self, path: &Path) -> std::io::Result<String> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "no such file"))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(path)
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.files.keys().any(|k| k.starts_with(path) && k != path)
    }
}

/// Removes `.` and resolves `..` lexically (paths are absolute here).
pub fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// `to` relative to the folder `from`, with `/` separators.
pub fn relative_path(from: &Path, to: &Path) -> String {
    let from = normalize(from);
    let to = normalize(to);
    let f: Vec<Component> = from.components().collect();
    let t: Vec<Component> = to.components().collect();
    let common = f.iter().zip(t.iter()).take_while(|(a, b)| a == b).count();
    let mut parts: Vec<String> = Vec::new();
    for _ in common..f.len() {
        parts.push("..".into());
    }
    for c in t.iter().skip(common) {
        parts.push(c.as_os_str().to_string_lossy().to_string());
    }
    parts.join("/")
}

/// Folders a project walk passes over: `node_modules` and dot-folders
/// (`.git` …).
pub fn is_skipped_folder(name: &str) -> bool {
    name == "node_modules" || name.starts_with('.')
}

/// Every `.som` file named in `inputs` or below a folder named there
/// (skipping `node_modules` and dot-folders), sorted and without duplicates.
pub fn collect_som_files(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if entry.file_type()?.is_dir() {
                if !is_skipped_folder(&name) {
                    walk(&path, out)?;
                }
            } else if name.ends_with(".som") {
                out.push(path);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for input in inputs {
        if input.is_dir() {
            walk(input, &mut out)?;
        } else {
            out.push(input.clone());
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

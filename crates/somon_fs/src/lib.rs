//! The one file-system trait of SomonScript.
//!
//! Configuration loading, module resolution, the module graph, the bundler,
//! the CLI's writes and the watchers' folder lists all reach files through
//! [`FileSystem`], and handle paths by its [`PathStyle`] (not by the host's
//! `std::path` rules), so the same code runs on the disk ([`RealFs`]) and
//! on in-memory trees ([`MemoryFs`]) with the semantics of each platform
//! ([`Semantics`]): Unix, Windows (drive letters, `\`, UNC shares,
//! case-insensitive names, reserved device names) and macOS
//! (case-insensitive, Unicode names compared in NFD). What the project
//! prints from paths (bundle keys, source-map `sources`) uses `/` on every
//! platform.

mod memory;
mod path;

pub use memory::{MemoryFs, Semantics};
pub use path::PathStyle;

use std::io;
use std::path::{Path, PathBuf};

/// One entry of a folder.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct DirEntry {
    /// The name as stored.
    pub name: String,
    pub is_dir: bool,
}

/// What the project needs of a file system.
pub trait FileSystem: Sync {
    fn read_to_string(&self, path: &Path) -> io::Result<String>;
    /// The bytes of a file (assets copied as they are, inputs that may not
    /// be UTF-8). Trees that hold text read it as its UTF-8 bytes.
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.read_to_string(path).map(String::into_bytes)
    }
    fn is_file(&self, path: &Path) -> bool;
    fn is_dir(&self, path: &Path) -> bool;
    /// Whether anything is at `path` (on the disk also a device or a pipe,
    /// such as `/dev/stdin`).
    fn exists(&self, path: &Path) -> bool {
        self.is_file(path) || self.is_dir(path)
    }
    /// The entries of a folder, in no particular order.
    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>>;
    /// Replaces (or creates) a file with `bytes` as one step: a reader
    /// sees the old content or the new, never a part; an existing file
    /// keeps its permissions. Missing folders are created.
    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()>;
    /// The path with symbolic links resolved (as Node resolves package
    /// files); the path itself when it has none or cannot be resolved.
    fn real_path(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
    /// How paths are spelled on this file system.
    fn style(&self) -> PathStyle {
        PathStyle::native()
    }
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl FileSystem for RealFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }

    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn is_dir(&self, path: &Path) -> bool {
        path.is_dir()
    }

    fn exists(&self, path: &Path) -> bool {
        path.exists()
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let mut out = Vec::new();
        for entry in std::fs::read_dir(path)? {
            let entry = entry?;
            out.push(DirEntry {
                name: entry.file_name().to_string_lossy().into_owned(),
                is_dir: entry.file_type()?.is_dir(),
            });
        }
        Ok(out)
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        write_atomic(path, bytes)
    }

    fn real_path(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// Writes `bytes` to a temporary file next to `path`, then renames it over
/// `path`, so a reader never sees a half-written file. A file that is
/// replaced keeps its permissions (the new file gets them before the
/// rename).
fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let old = std::fs::metadata(path).ok().filter(|m| m.is_file());
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if let Some(old) = &old {
            f.set_permissions(old.permissions())?;
        }
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Folders a project walk passes over: `node_modules` and dot-folders
/// (`.git` …).
pub fn is_skipped_folder(name: &str) -> bool {
    name == "node_modules" || name.starts_with('.')
}

/// Every `.som` file named in `inputs` or below a folder named there
/// (skipping `node_modules` and dot-folders), sorted and without
/// duplicates.
pub fn collect_som_files(fs: &dyn FileSystem, inputs: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let style = fs.style();
    let mut out = Vec::new();
    for input in inputs {
        if !fs.is_dir(input) {
            out.push(input.clone());
            continue;
        }
        let mut stack = vec![input.clone()];
        while let Some(dir) = stack.pop() {
            let mut entries = fs.read_dir(&dir)?;
            entries.sort();
            for e in entries.into_iter().rev() {
                let path = style.join(&dir, &e.name);
                if e.is_dir {
                    if !is_skipped_folder(&e.name) {
                        stack.push(path);
                    }
                } else if e.name.ends_with(".som") {
                    out.push(path);
                }
            }
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The `.som` files below the folder `dir` (as [`collect_som_files`]
/// finds them); none when `dir` is not a readable folder. For tools and
/// tests that walk a corpus which may be absent.
pub fn som_files_below(fs: &dyn FileSystem, dir: &Path) -> Vec<PathBuf> {
    if !fs.is_dir(dir) {
        return Vec::new();
    }
    collect_som_files(fs, &[dir.to_path_buf()]).unwrap_or_default()
}

/// `root` and the folders below it (skipping `node_modules` and
/// dot-folders), sorted, at most `limit` of them (whether the list was
/// cut is the second value): the folders a watcher watches one by one.
pub fn folders_below(fs: &dyn FileSystem, root: &Path, limit: usize) -> (Vec<PathBuf>, bool) {
    let style = fs.style();
    let mut out = Vec::new();
    let mut cut = false;
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        if out.len() >= limit {
            cut = true;
            break;
        }
        let Ok(entries) = fs.read_dir(&dir) else {
            continue;
        };
        for e in entries {
            if e.is_dir && !is_skipped_folder(&e.name) {
                stack.push(style.join(&dir, &e.name));
            }
        }
        out.push(dir);
    }
    out.sort();
    (out, cut)
}

/// The nearest existing folder above `path` (for a watched folder that was
/// removed: its return is seen there).
pub fn nearest_existing_ancestor(fs: &dyn FileSystem, path: &Path) -> Option<PathBuf> {
    fs.style()
        .ancestors(path)
        .into_iter()
        .skip(1)
        .find(|a| fs.is_dir(a))
}

/// Running one test on every platform's semantics.
pub mod testing {
    use crate::{MemoryFs, Semantics};
    use std::path::PathBuf;

    /// A platform a test runs on: semantics and the root its tree lives
    /// under.
    #[derive(Clone, Copy, Debug)]
    pub struct Platform {
        pub semantics: Semantics,
        /// Written in place of the leading `/` of a test's paths.
        pub root: &'static str,
        pub name: &'static str,
    }

    /// Unix, Windows on a drive, Windows on a UNC share, macOS.
    pub const PLATFORMS: [Platform; 4] = [
        Platform {
            semantics: Semantics::Unix,
            root: "/",
            name: "unix",
        },
        Platform {
            semantics: Semantics::Windows,
            root: r"C:\",
            name: "windows",
        },
        Platform {
            semantics: Semantics::Windows,
            root: r"\\сервер\ҳисса\",
            name: "windows-unc",
        },
        Platform {
            semantics: Semantics::MacOs,
            root: "/",
            name: "macos",
        },
    ];

    impl Platform {
        /// A test's `/`-spelled absolute path on this platform
        /// (`/п/a.som` → `C:\п\a.som`).
        pub fn path(&self, unix: &str) -> PathBuf {
            let rest = unix.trim_start_matches('/');
            match self.semantics {
                Semantics::Windows => {
                    PathBuf::from(format!("{}{}", self.root, rest.replace('/', "\\")))
                }
                _ => PathBuf::from(format!("{}{rest}", self.root)),
            }
        }

        /// A tree of `files` (`/`-spelled paths, text) on this platform.
        pub fn tree<'a>(&self, files: impl IntoIterator<Item = (&'a str, &'a str)>) -> MemoryFs {
            let mut fs = MemoryFs::with_semantics(self.semantics);
            for (p, t) in files {
                fs.insert(self.path(p), t);
            }
            fs
        }
    }

    /// Runs `test` once per platform.
    pub fn each_platform(mut test: impl FnMut(&Platform)) {
        for p in &PLATFORMS {
            test(p);
        }
    }
}

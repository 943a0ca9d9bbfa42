//! Finding and reading configuration files, through a small file-system
//! trait so that tests (and the napi binding) can use in-memory trees.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use crate::error::{ConfigError, Origin, Problem, ReadReason};
use crate::paths::{absolutize, normalize};
use crate::validate::{parse_config, LoadedConfig};

/// The file names discovery looks for, in order of preference: when one
/// folder has both, `somon.config.json` wins and `.somonrc` is ignored.
/// Both hold the same JSON schema.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["somon.config.json", ".somonrc"];

/// The file-system operations configuration loading needs.
pub trait ConfigFs {
    fn is_file(&self, path: &Path) -> bool;
    fn read_to_string(&self, path: &Path) -> io::Result<String>;
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct RealFs;

impl ConfigFs for RealFs {
    fn is_file(&self, path: &Path) -> bool {
        path.is_file()
    }

    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        std::fs::read_to_string(path)
    }
}

/// An in-memory tree of files (absolute paths → text).
#[derive(Clone, Debug, Default)]
pub struct MemoryFs {
    files: BTreeMap<PathBuf, String>,
}

impl MemoryFs {
    pub fn new() -> Self {
        MemoryFs::default()
    }

    pub fn insert(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> &mut Self {
        self.files.insert(normalize(&path.into()), text.into());
        self
    }
}

impl ConfigFs for MemoryFs {
    fn is_file(&self, path: &Path) -> bool {
        self.files.contains_key(&normalize(path))
    }

    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        self.files
            .get(&normalize(path))
            .cloned()
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound))
    }
}

/// The first configuration file in `start_dir` or any folder above it, up to
/// the root (`start_dir` should be absolute). In each folder
/// `somon.config.json` is tried before `.somonrc`.
pub fn discover(fs: &dyn ConfigFs, start_dir: &Path) -> Option<PathBuf> {
    let start = normalize(start_dir);
    for dir in start.ancestors() {
        if dir.as_os_str().is_empty() {
            break;
        }
        for name in CONFIG_FILE_NAMES {
            let candidate = dir.join(name);
            if fs.is_file(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// Reads and validates one configuration file.
pub fn load_config(fs: &dyn ConfigFs, path: &Path) -> Result<LoadedConfig, Vec<ConfigError>> {
    match fs.read_to_string(path) {
        Ok(text) => parse_config(&text, path),
        Err(err) => Err(vec![ConfigError::new(
            Problem::ReadFailed(ReadReason::from_io(&err)),
            Origin::File {
                path: normalize(path),
                span: None,
            },
        )]),
    }
}

/// The configuration for one command: the `--config` file when one is given
/// (relative to `cwd`; it must exist), else the file discovered from
/// `start_dir` (relative to `cwd`), else `None`.
pub fn find_and_load(
    fs: &dyn ConfigFs,
    cwd: &Path,
    start_dir: &Path,
    explicit: Option<&Path>,
) -> Result<Option<LoadedConfig>, Vec<ConfigError>> {
    let path = match explicit {
        Some(file) => Some(absolutize(cwd, file)),
        None => discover(fs, &absolutize(cwd, start_dir)),
    };
    match path {
        Some(p) => load_config(fs, &p).map(Some),
        None => Ok(None),
    }
}

//! Finding and reading configuration files, through the project's one
//! file-system trait (`somon_fs`), so that tests can use in-memory trees
//! of every platform.

use std::path::{Path, PathBuf};

use crate::error::{ConfigError, Origin, Problem, ReadReason};
use crate::validate::{parse_config, LoadedConfig};
use somon_fs::FileSystem;

/// The file names discovery looks for, in order of preference: when one
/// folder has both, `somon.config.json` wins and `.somonrc` is ignored.
/// Both hold the same JSON schema.
pub const CONFIG_FILE_NAMES: [&str; 2] = ["somon.config.json", ".somonrc"];

/// The first configuration file in `start_dir` or any folder above it, up to
/// the root (`start_dir` should be absolute). In each folder
/// `somon.config.json` is tried before `.somonrc`.
pub fn discover(fs: &dyn FileSystem, start_dir: &Path) -> Option<PathBuf> {
    let style = fs.style();
    let start = style.normalize(start_dir);
    for dir in style.ancestors(&start) {
        if dir.as_os_str().is_empty() {
            break;
        }
        for name in CONFIG_FILE_NAMES {
            let candidate = style.join(&dir, name);
            if fs.is_file(&candidate) {
                return Some(candidate);
            }
        }
    }
    None
}

/// Reads and validates one configuration file.
pub fn load_config(fs: &dyn FileSystem, path: &Path) -> Result<LoadedConfig, Vec<ConfigError>> {
    match fs.read_to_string(path) {
        Ok(text) => parse_config(&text, path),
        Err(err) => Err(vec![ConfigError::new(
            Problem::ReadFailed(ReadReason::from_io(&err)),
            Origin::File {
                path: fs.style().normalize(path),
                span: None,
            },
        )]),
    }
}

/// The configuration for one command: the `--config` file when one is given
/// (relative to `cwd`; it must exist), else the file discovered from
/// `start_dir` (relative to `cwd`), else `None`.
pub fn find_and_load(
    fs: &dyn FileSystem,
    cwd: &Path,
    start_dir: &Path,
    explicit: Option<&Path>,
) -> Result<Option<LoadedConfig>, Vec<ConfigError>> {
    let style = fs.style();
    let absolutize = |p: &Path| style.normalize(&style.join(cwd, p));
    let path = match explicit {
        Some(file) => Some(absolutize(file)),
        None => discover(fs, &absolutize(start_dir)),
    };
    match path {
        Some(p) => load_config(fs, &p).map(Some),
        None => Ok(None),
    }
}

//! File access: the project's one file-system trait, from `somon_fs`
//! (real and in-memory trees; paths handled by the file system's own
//! [`PathStyle`]). The helpers here work on the host's paths.

pub use somon_fs::{
    folders_below, is_skipped_folder, nearest_existing_ancestor, testing, DirEntry, FileSystem,
    MemoryFs, PathStyle, RealFs, Semantics,
};
use std::path::{Path, PathBuf};

/// Removes `.` and resolves `..` lexically (host paths).
pub fn normalize(p: &Path) -> PathBuf {
    PathStyle::native().normalize(p)
}

/// `to` relative to the folder `from`, with `/` separators (host paths).
pub fn relative_path(from: &Path, to: &Path) -> String {
    PathStyle::native().relative(from, to)
}

/// Every `.som` file named in `inputs` or below a folder named there
/// (skipping `node_modules` and dot-folders) on the disk, sorted and
/// without duplicates.
pub fn collect_som_files(inputs: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    somon_fs::collect_som_files(&RealFs, inputs)
}

/// The `.som` files below the folder `dir` on the disk (none when it is
/// not a readable folder).
pub fn som_files_below(dir: &Path) -> Vec<PathBuf> {
    somon_fs::som_files_below(&RealFs, dir)
}

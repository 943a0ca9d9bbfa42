//! In-memory file trees with the semantics of a platform (tests), after
//! esbuild's mock file system: the same project can be laid out as a Unix,
//! a Windows and a macOS tree and must resolve, build and bundle the same.

use crate::{DirEntry, FileSystem, PathStyle};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::RwLock;

/// How an in-memory tree spells and compares names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Semantics {
    /// `/` paths; names compared byte for byte.
    Unix,
    /// `C:\…` and `\\server\share\…` paths, `/` accepted as a separator;
    /// names compared without case (stored case kept); the device names
    /// `CON`, `PRN`, `AUX`, `NUL`, `COM0`…`COM9`, `LPT0`…`LPT9` (with any
    /// extension) are refused.
    Windows,
    /// `/` paths; names compared without case and in Unicode NFD, so a
    /// file created as NFC `ӣ` is found under its NFD spelling `ӣ` and
    /// the other way round.
    MacOs,
}

impl Semantics {
    pub const ALL: [Semantics; 3] = [Semantics::Unix, Semantics::Windows, Semantics::MacOs];

    pub fn style(self) -> PathStyle {
        match self {
            Semantics::Windows => PathStyle::Windows,
            Semantics::Unix | Semantics::MacOs => PathStyle::Unix,
        }
    }

    fn fold(self, name: &str) -> String {
        match self {
            Semantics::Unix => name.to_string(),
            Semantics::Windows => name.to_lowercase(),
            Semantics::MacOs => nfd(name).to_lowercase(),
        }
    }
}

/// The canonical decomposition of `s`.
pub fn nfd(s: &str) -> String {
    icu_normalizer::DecomposingNormalizerBorrowed::new_nfd()
        .normalize(s)
        .into_owned()
}

/// The canonical composition of `s`.
#[cfg(test)]
fn nfc(s: &str) -> String {
    icu_normalizer::ComposingNormalizerBorrowed::new_nfc()
        .normalize(s)
        .into_owned()
}

/// Whether Windows refuses `name` as a file or folder name (a device).
pub fn is_reserved_windows_name(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or(name).trim_end_matches(' ');
    let upper = stem.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => upper
            .strip_prefix("COM")
            .or_else(|| upper.strip_prefix("LPT"))
            .is_some_and(|digit| digit.len() == 1 && digit.bytes().all(|b| b.is_ascii_digit())),
    }
}

struct Stored {
    /// The path as it was written (its case and normal form).
    path: PathBuf,
    text: String,
}

/// An in-memory tree of files (absolute paths → text).
pub struct MemoryFs {
    semantics: Semantics,
    /// Folded key (root, then names joined by `/`) → the file.
    files: RwLock<BTreeMap<String, Stored>>,
}

impl Default for MemoryFs {
    fn default() -> Self {
        MemoryFs::with_semantics(Semantics::Unix)
    }
}

impl std::fmt::Debug for MemoryFs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let files = self.read_files();
        f.debug_struct("MemoryFs")
            .field("semantics", &self.semantics)
            .field(
                "files",
                &files.values().map(|s| &s.path).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl Clone for MemoryFs {
    fn clone(&self) -> Self {
        let files = self
            .read_files()
            .iter()
            .map(|(k, s)| {
                (
                    k.clone(),
                    Stored {
                        path: s.path.clone(),
                        text: s.text.clone(),
                    },
                )
            })
            .collect();
        MemoryFs {
            semantics: self.semantics,
            files: RwLock::new(files),
        }
    }
}

fn invalid(what: String) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, what)
}

impl MemoryFs {
    /// A Unix tree of `files` (path, text).
    pub fn new<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> Self {
        let mut fs = MemoryFs::default();
        for (p, t) in files {
            fs.insert(p, t);
        }
        fs
    }

    /// An empty tree with the given semantics.
    pub fn with_semantics(semantics: Semantics) -> Self {
        MemoryFs {
            semantics,
            files: RwLock::new(BTreeMap::new()),
        }
    }

    pub fn semantics(&self) -> Semantics {
        self.semantics
    }

    fn read_files(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, Stored>> {
        self.files.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write_files(&self) -> std::sync::RwLockWriteGuard<'_, BTreeMap<String, Stored>> {
        self.files.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The key a path is stored under: normalised, names folded as the
    /// semantics compare them. Refused names are an error.
    fn key(&self, path: &Path) -> io::Result<String> {
        let style = self.semantics.style();
        let norm = style.normalize(path);
        let (root, names) = style
            .parts(&norm)
            .ok_or_else(|| invalid(format!("not Unicode: {}", path.display())))?;
        let mut key = match self.semantics {
            Semantics::Windows => root.replace('\\', "/").to_lowercase(),
            _ => root,
        };
        for (i, name) in names.iter().enumerate() {
            if self.semantics == Semantics::Windows && is_reserved_windows_name(name) {
                return Err(invalid(format!("reserved name on Windows: {name}")));
            }
            if i > 0 {
                key.push('/');
            }
            key.push_str(&self.semantics.fold(name));
        }
        Ok(key)
    }

    /// Adds a file or replaces its text (a replaced file keeps the
    /// spelling it was created with, as case-insensitive systems do).
    pub fn try_insert(&self, path: impl AsRef<Path>, text: impl Into<String>) -> io::Result<()> {
        let path = path.as_ref();
        let key = self.key(path)?;
        let mut files = self.write_files();
        let text = text.into();
        match files.get_mut(&key) {
            Some(stored) => stored.text = text,
            None => {
                files.insert(
                    key,
                    Stored {
                        path: path.to_path_buf(),
                        text,
                    },
                );
            }
        }
        Ok(())
    }

    /// [`Self::try_insert`] for trees written by tests.
    ///
    /// # Panics
    /// When the semantics refuse the name (a test that means it uses
    /// `try_insert`).
    pub fn insert(&mut self, path: impl AsRef<Path>, text: impl Into<String>) -> &mut Self {
        let path = path.as_ref();
        if let Err(e) = self.try_insert(path, text) {
            panic!("MemoryFs::insert({}): {e}", path.display());
        }
        self
    }

    /// Deletes a file; whether it existed.
    pub fn remove(&mut self, path: impl AsRef<Path>) -> bool {
        match self.key(path.as_ref()) {
            Ok(k) => self.write_files().remove(&k).is_some(),
            Err(_) => false,
        }
    }

    /// The prefix every key below the folder `key` starts with.
    fn below(key: &str) -> String {
        if key.ends_with('/') {
            key.to_string()
        } else {
            format!("{key}/")
        }
    }
}

impl FileSystem for MemoryFs {
    fn read_to_string(&self, path: &Path) -> io::Result<String> {
        let key = self.key(path)?;
        self.read_files()
            .get(&key)
            .map(|s| s.text.clone())
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file"))
    }

    fn is_file(&self, path: &Path) -> bool {
        self.key(path)
            .is_ok_and(|k| self.read_files().contains_key(&k))
    }

    fn is_dir(&self, path: &Path) -> bool {
        let Ok(key) = self.key(path) else {
            return false;
        };
        let prefix = Self::below(&key);
        self.read_files()
            .range(prefix.clone()..)
            .next()
            .is_some_and(|(k, _)| k.starts_with(&prefix))
    }

    fn read_dir(&self, path: &Path) -> io::Result<Vec<DirEntry>> {
        let key = self.key(path)?;
        let prefix = Self::below(&key);
        let style = self.semantics.style();
        let depth = style
            .parts(&style.normalize(path))
            .map_or(0, |(_, names)| names.len());
        let files = self.read_files();
        let mut seen: BTreeMap<String, DirEntry> = BTreeMap::new();
        for (k, stored) in files.range(prefix.clone()..) {
            let Some(rest) = k.strip_prefix(&prefix) else {
                break;
            };
            let (folded, is_dir) = match rest.split_once('/') {
                Some((first, _)) => (first, true),
                None => (rest, false),
            };
            if seen.contains_key(folded) {
                continue;
            }
            let stored_norm = style.normalize(&stored.path);
            let name = style
                .parts(&stored_norm)
                .and_then(|(_, names)| names.get(depth).map(|n| (*n).to_string()))
                .unwrap_or_else(|| folded.to_string());
            seen.insert(folded.to_string(), DirEntry { name, is_dir });
        }
        if seen.is_empty() {
            return Err(io::Error::new(io::ErrorKind::NotFound, "no such folder"));
        }
        Ok(seen.into_values().collect())
    }

    fn write(&self, path: &Path, bytes: &[u8]) -> io::Result<()> {
        let text = String::from_utf8(bytes.to_vec())
            .map_err(|_| invalid("in-memory files hold text".to_string()))?;
        self.try_insert(path, text)
    }

    fn style(&self) -> PathStyle {
        self.semantics.style()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn windows_names() {
        let mut fs = MemoryFs::with_semantics(Semantics::Windows);
        fs.insert(r"C:\Лоиҳа\Main.som", "а");
        fs.insert(r"\\сервер\ҳисса\lib\x.som", "б");
        assert!(fs.is_file(Path::new(r"c:\лоиҳа\MAIN.SOM")));
        assert!(fs.is_file(Path::new("C:/Лоиҳа/Main.som")));
        assert!(fs.is_dir(Path::new(r"C:\ЛОИҲА")));
        assert!(fs.is_dir(Path::new(r"C:\")));
        assert!(fs.is_file(Path::new(r"\\СЕРВЕР\ҲИССА\lib\X.som")));
        assert!(!fs.is_file(Path::new(r"D:\Лоиҳа\Main.som")));
        let entries = fs.read_dir(Path::new(r"c:\лоиҳа")).unwrap();
        assert_eq!(
            entries,
            vec![DirEntry {
                name: "Main.som".into(),
                is_dir: false
            }]
        );
        for reserved in ["CON", "nul.som", "Com1.js", "lpt9", "aux .txt"] {
            let p = format!(r"C:\Лоиҳа\{reserved}");
            assert!(fs.try_insert(&p, "x").is_err(), "{reserved}");
            assert!(!fs.is_file(Path::new(&p)));
        }
        for allowed in ["CONSOLE.som", "com10.js", "nulls", "COM"] {
            assert!(fs.try_insert(format!(r"C:\Лоиҳа\{allowed}"), "x").is_ok());
        }
    }

    #[test]
    fn macos_names() {
        let composed = "\u{04E3}"; // ӣ
        let decomposed = "\u{0438}\u{0304}";
        assert_eq!(nfd(composed), decomposed);
        assert_eq!(nfc(decomposed), composed);
        let mut fs = MemoryFs::with_semantics(Semantics::MacOs);
        fs.insert(format!("/п/{composed}.som"), "а");
        fs.insert(format!("/п/Д{decomposed}/x.som"), "б");
        assert!(fs.is_file(Path::new(&format!("/п/{decomposed}.som"))));
        assert!(fs.is_file(Path::new(&format!("/П/{}.SOM", composed.to_uppercase()))));
        assert!(fs.is_dir(Path::new(&format!("/п/д{composed}"))));
        let names: Vec<String> = fs
            .read_dir(Path::new("/п"))
            .unwrap()
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert!(names.contains(&format!("{composed}.som")));
        // Unix compares bytes.
        let mut unix = MemoryFs::default();
        unix.insert(format!("/п/{composed}.som"), "а");
        assert!(!unix.is_file(Path::new(&format!("/п/{decomposed}.som"))));
        assert!(!unix.is_file(Path::new("/П/ӣ.som")));
    }
}

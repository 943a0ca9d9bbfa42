//! Paths by the rules of a file system, not of the host: a Windows tree
//! (drive letters, `\` and `/` separators, UNC shares) is handled the same
//! on a Linux test machine as on Windows. Everything here is lexical: no
//! file-system access, so results do not depend on links or on what
//! exists.
//!
//! Paths stay `PathBuf`s (what the rest of the project passes around); a
//! path that is not valid Unicode is handled by `std::path` (only the
//! host's own paths can be such).

use std::path::{Component, Path, PathBuf};

/// The syntax of paths on a file system.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PathStyle {
    /// `/` separates, `/` is the root (Linux, macOS).
    Unix,
    /// `\` (or `/`) separates; roots are `C:\`, `\\server\share\` and `\`.
    Windows,
}

impl Default for PathStyle {
    fn default() -> Self {
        PathStyle::native()
    }
}

impl PathStyle {
    /// The style of the machine this runs on.
    pub const fn native() -> PathStyle {
        if cfg!(windows) {
            PathStyle::Windows
        } else {
            PathStyle::Unix
        }
    }

    /// The separator this style writes.
    pub const fn separator(self) -> char {
        match self {
            PathStyle::Unix => '/',
            PathStyle::Windows => '\\',
        }
    }

    pub fn is_separator(self, c: char) -> bool {
        c == '/' || (self == PathStyle::Windows && c == '\\')
    }

    /// Splits `s` into its root (`/`, `C:\`, `\\server\share\`, `\`, or
    /// empty for a relative path) and the rest.
    fn split_root(self, s: &str) -> (&str, &str) {
        match self {
            PathStyle::Unix => match s.strip_prefix('/') {
                Some(_) => s.split_at(1),
                None => ("", s),
            },
            PathStyle::Windows => {
                let b = s.as_bytes();
                let sep = |i: usize| b.get(i).is_some_and(|&c| c == b'\\' || c == b'/');
                if sep(0) && sep(1) {
                    // `\\server\share\rest`
                    let after = |from: usize| {
                        s.get(from..)
                            .and_then(|r| r.find(['\\', '/']))
                            .map_or(s.len(), |i| from + i)
                    };
                    let server_end = after(2);
                    let share_end = after((server_end + 1).min(s.len()));
                    let end = (share_end + 1).min(s.len());
                    return s.split_at(end);
                }
                if b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':' {
                    return s.split_at(if sep(2) { 3 } else { 2 });
                }
                if sep(0) {
                    return s.split_at(1);
                }
                ("", s)
            }
        }
    }

    /// The root in this style's own spelling (`C:/` → `C:\`).
    fn canonical_root(self, root: &str) -> String {
        match self {
            PathStyle::Unix => root.to_string(),
            PathStyle::Windows => root.replace('/', "\\"),
        }
    }

    /// Root and the names after it (`.` and `..` kept, empty ones dropped).
    pub fn parts(self, path: &Path) -> Option<(String, Vec<&str>)> {
        let s = path.to_str()?;
        let (root, rest) = self.split_root(s);
        let names = rest
            .split(|c| self.is_separator(c))
            .filter(|n| !n.is_empty())
            .collect();
        Some((self.canonical_root(root), names))
    }

    fn assemble(self, root: &str, names: &[&str]) -> PathBuf {
        let mut s = root.to_string();
        for (i, n) in names.iter().enumerate() {
            if i > 0 {
                s.push(self.separator());
            }
            s.push_str(n);
        }
        PathBuf::from(s)
    }

    /// Whether the path starts at a root: `/`; on Windows a drive's root
    /// (`C:\`) or a share (`\\server\share\`).
    pub fn is_absolute(self, path: &Path) -> bool {
        match path.to_str() {
            Some(s) => {
                let (root, _) = self.split_root(s);
                match self {
                    PathStyle::Unix => !root.is_empty(),
                    // `C:x` is relative to the drive's current folder,
                    // `\x` to the current drive (as `std::path` on Windows).
                    PathStyle::Windows => root.len() > 2,
                }
            }
            None => path.is_absolute(),
        }
    }

    /// Removes `.` and folds `a/..`, lexically. A `..` that would climb
    /// above the root is dropped; leading `..` of a relative path are kept;
    /// an empty result is `.`. Separators become this style's own.
    pub fn normalize(self, path: &Path) -> PathBuf {
        let Some((root, names)) = self.parts(path) else {
            return normalize_std(path);
        };
        let mut out: Vec<&str> = Vec::new();
        for n in names {
            match n {
                "." => {}
                ".." => match out.last() {
                    Some(&last) if last != ".." => {
                        out.pop();
                    }
                    _ if !root.is_empty() => {}
                    _ => out.push(n),
                },
                _ => out.push(n),
            }
        }
        if root.is_empty() && out.is_empty() {
            return PathBuf::from(".");
        }
        self.assemble(&root, &out)
    }

    /// `rel` below `base` (`rel` itself when it is absolute), not
    /// normalised; `/` in `rel` is written as this style's separator.
    pub fn join(self, base: &Path, rel: impl AsRef<Path>) -> PathBuf {
        let rel = rel.as_ref();
        let (Some(b), Some(r)) = (base.to_str(), rel.to_str()) else {
            return base.join(rel);
        };
        let r = match self {
            PathStyle::Unix => r.to_string(),
            PathStyle::Windows => r.replace('/', "\\"),
        };
        if self.is_absolute(Path::new(&r)) {
            return PathBuf::from(r);
        }
        if self == PathStyle::Windows && r.starts_with('\\') {
            // Rooted on the drive of `base`.
            let (root, _) = self.split_root(b);
            let drive = root.trim_end_matches(['\\', '/']);
            return PathBuf::from(format!("{drive}{r}"));
        }
        if b.is_empty() {
            return PathBuf::from(r);
        }
        let mut s = b.to_string();
        if !s.ends_with(|c| self.is_separator(c)) {
            s.push(self.separator());
        }
        s.push_str(&r);
        PathBuf::from(s)
    }

    /// The folder the path is in; `None` for a root or an empty path.
    pub fn parent(self, path: &Path) -> Option<PathBuf> {
        let Some((root, names)) = self.parts(path) else {
            return path.parent().map(Path::to_path_buf);
        };
        let (_, rest) = names.split_last()?;
        Some(self.assemble(&root, rest))
    }

    /// The folders above the path, nearest first, up to the root.
    pub fn ancestors(self, path: &Path) -> Vec<PathBuf> {
        let mut out = vec![path.to_path_buf()];
        let mut p = path.to_path_buf();
        while let Some(parent) = self.parent(&p) {
            if parent.as_os_str().is_empty() {
                break;
            }
            out.push(parent.clone());
            p = parent;
        }
        out
    }

    /// The last name of the path (not `..`).
    pub fn file_name(self, path: &Path) -> Option<String> {
        let Some((_, names)) = self.parts(path) else {
            return path.file_name().map(|n| n.to_string_lossy().into_owned());
        };
        names
            .last()
            .filter(|n| **n != "..")
            .map(|n| (*n).to_string())
    }

    /// What follows the last `.` of the file name (not a leading one).
    pub fn extension(self, path: &Path) -> Option<String> {
        let name = self.file_name(path)?;
        let dot = name.rfind('.').filter(|&i| i > 0)?;
        name.get(dot + 1..).map(str::to_string)
    }

    /// Whether `path` is `base` or below it (whole names compared).
    pub fn starts_with(self, path: &Path, base: &Path) -> bool {
        match (self.parts(path), self.parts(base)) {
            (Some((r1, n1)), Some((r2, n2))) => r1 == r2 && n1.starts_with(&n2),
            _ => path.starts_with(base),
        }
    }

    /// `path` below `base`, as the names after it; `None` when it is not
    /// below.
    pub fn strip_prefix(self, path: &Path, base: &Path) -> Option<Vec<String>> {
        match (self.parts(path), self.parts(base)) {
            (Some((r1, n1)), Some((r2, n2))) => {
                let rest = n1.strip_prefix(n2.as_slice()).filter(|_| r1 == r2)?;
                Some(rest.iter().map(|n| (*n).to_string()).collect())
            }
            _ => path.strip_prefix(base).ok().map(|r| {
                r.components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect()
            }),
        }
    }

    /// `to` relative to the folder `from`, with `/` separators on every
    /// style (bundle keys, source-map `sources`, messages). When the two
    /// have different roots (two drives) there is no relative path: `to`
    /// itself, with `/` separators.
    pub fn relative(self, from: &Path, to: &Path) -> String {
        let from = self.normalize(from);
        let to = self.normalize(to);
        let (Some((fr, f)), Some((tr, t))) = (self.parts(&from), self.parts(&to)) else {
            return relative_std(&from, &to);
        };
        let f: Vec<&str> = f.into_iter().filter(|n| *n != ".").collect();
        let t: Vec<&str> = t.into_iter().filter(|n| *n != ".").collect();
        if fr != tr {
            return to.to_string_lossy().replace('\\', "/");
        }
        let common = f.iter().zip(t.iter()).take_while(|(a, b)| a == b).count();
        let mut parts: Vec<&str> = Vec::new();
        parts.extend(std::iter::repeat_n("..", f.len() - common));
        parts.extend(t.iter().skip(common).copied());
        parts.join("/")
    }

    /// The path with its extension replaced (or added).
    pub fn with_extension(self, path: &Path, ext: &str) -> PathBuf {
        let (Some(s), Some(name)) = (path.to_str(), self.file_name(path)) else {
            return path.with_extension(ext);
        };
        let stem_len = match name.rfind('.').filter(|&i| i > 0) {
            Some(dot) => name.len() - dot,
            None => 0,
        };
        let trimmed = s.trim_end_matches(|c| self.is_separator(c));
        let base = trimmed.get(..trimmed.len() - stem_len).unwrap_or(trimmed);
        if ext.is_empty() {
            PathBuf::from(base)
        } else {
            PathBuf::from(format!("{base}.{ext}"))
        }
    }
}

fn normalize_std(path: &Path) -> PathBuf {
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

fn relative_std(from: &Path, to: &Path) -> String {
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

#[cfg(test)]
mod tests {
    use super::PathStyle::{Unix, Windows};
    use super::*;

    fn p(s: &str) -> &Path {
        Path::new(s)
    }

    #[test]
    fn unix_paths() {
        assert_eq!(Unix.normalize(p("/a/./b/../c")), PathBuf::from("/a/c"));
        assert_eq!(Unix.normalize(p("/../a")), PathBuf::from("/a"));
        assert_eq!(Unix.normalize(p("../a/./b")), PathBuf::from("../a/b"));
        assert_eq!(Unix.normalize(p("a/..")), PathBuf::from("."));
        assert_eq!(Unix.normalize(p("/a//b/")), PathBuf::from("/a/b"));
        assert_eq!(Unix.join(p("/a"), "b/c"), PathBuf::from("/a/b/c"));
        assert_eq!(Unix.join(p("/a/"), "b"), PathBuf::from("/a/b"));
        assert_eq!(Unix.join(p("/a"), "/x"), PathBuf::from("/x"));
        assert_eq!(Unix.parent(p("/a/b")), Some(PathBuf::from("/a")));
        assert_eq!(Unix.parent(p("/a")), Some(PathBuf::from("/")));
        assert_eq!(Unix.parent(p("/")), None);
        assert_eq!(Unix.relative(p("/a/b"), p("/a/c/d.som")), "../c/d.som");
        assert_eq!(Unix.extension(p("/a.b/c")), None);
        assert_eq!(Unix.extension(p("/a/.som")), None);
        assert_eq!(Unix.extension(p("/a/x.som")), Some("som".into()));
        assert_eq!(
            Unix.with_extension(p("/a/x.som"), "js"),
            PathBuf::from("/a/x.js")
        );
        assert_eq!(
            Unix.ancestors(p("/a/b")),
            vec![
                PathBuf::from("/a/b"),
                PathBuf::from("/a"),
                PathBuf::from("/")
            ]
        );
    }

    #[test]
    fn windows_paths() {
        assert_eq!(
            Windows.normalize(p(r"C:\п\.\lib\..\main.som")),
            PathBuf::from(r"C:\п\main.som")
        );
        assert_eq!(
            Windows.normalize(p("C:/п/lib/../x")),
            PathBuf::from(r"C:\п\x")
        );
        assert_eq!(Windows.normalize(p(r"C:\..\x")), PathBuf::from(r"C:\x"));
        assert_eq!(
            Windows.normalize(p(r"\\сервер\ҳисса\a\..\b")),
            PathBuf::from(r"\\сервер\ҳисса\b")
        );
        assert!(Windows.is_absolute(p(r"C:\x")));
        assert!(Windows.is_absolute(p(r"\\s\h\x")));
        assert!(!Windows.is_absolute(p(r"C:x")));
        assert!(!Windows.is_absolute(p(r"x\y")));
        assert!(!Unix.is_absolute(p(r"C:\x")));
        assert_eq!(
            Windows.join(p(r"C:\п"), "./lib/a.som"),
            PathBuf::from(r"C:\п\.\lib\a.som")
        );
        assert_eq!(Windows.join(p(r"C:\п"), r"D:\x"), PathBuf::from(r"D:\x"));
        assert_eq!(Windows.join(p(r"C:\п"), "/x"), PathBuf::from(r"C:\x"));
        assert_eq!(Windows.parent(p(r"C:\п\a")), Some(PathBuf::from(r"C:\п")));
        assert_eq!(Windows.parent(p(r"C:\п")), Some(PathBuf::from(r"C:\")));
        assert_eq!(Windows.parent(p(r"C:\")), None);
        assert_eq!(
            Windows.parent(p(r"\\s\h\a")),
            Some(PathBuf::from(r"\\s\h\"))
        );
        assert_eq!(Windows.parent(p(r"\\s\h\")), None);
        assert_eq!(
            Windows.relative(p(r"C:\п"), p(r"C:\п\lib\a.som")),
            "lib/a.som"
        );
        assert_eq!(
            Windows.relative(p(r"C:\п\x"), p(r"C:\п\lib\a.som")),
            "../lib/a.som"
        );
        assert_eq!(Windows.relative(p(r"C:\п"), p(r"D:\a")), "D:/a");
        assert_eq!(Windows.file_name(p(r"C:\п\a.som")), Some("a.som".into()));
        assert_eq!(Windows.extension(p(r"C:\п.d\a")), None);
        assert!(Windows.starts_with(p(r"C:\п\a"), p("C:/п")));
        assert!(!Windows.starts_with(p(r"C:\пп\a"), p(r"C:\п")));
        assert_eq!(
            Windows.strip_prefix(p(r"C:\п\a\b"), p(r"C:\п")),
            Some(vec!["a".to_string(), "b".to_string()])
        );
    }
}

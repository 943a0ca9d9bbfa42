//! Where every key and value of a JSON text is: a small scanner run over text
//! that `serde_json` has already accepted, so that problems found in the
//! `Value` tree can be reported at the exact line and column of the key or
//! value they are about.

use std::collections::{HashMap, HashSet};

/// One step of a path into a JSON document.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Seg {
    Key(String),
    Index(usize),
}

/// Renders a path as `compilerOptions.target`, `bundle.external[2]`.
pub(crate) fn display_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Seg::Index(i) => {
                out.push('[');
                out.push_str(&i.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Byte ranges of one member: its key (for object members) and its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Loc {
    pub key: Option<(usize, usize)>,
    pub value: (usize, usize),
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Locations {
    map: HashMap<Vec<Seg>, Loc>,
    /// Keys that appear more than once in one object: the path and the byte
    /// range of each repeated occurrence after the first.
    pub duplicates: Vec<(Vec<Seg>, (usize, usize))>,
}

impl Locations {
    pub fn get(&self, path: &[Seg]) -> Option<Loc> {
        self.map.get(path).copied()
    }

    /// The range of the key of `path` if it has one, else of its value.
    pub fn key_range(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.get(path).map(|l| l.key.unwrap_or(l.value))
    }

    pub fn value_range(&self, path: &[Seg]) -> Option<(usize, usize)> {
        self.get(path).map(|l| l.value)
    }
}

/// Scans `text` (valid JSON) and records every member's position. On a
/// surprise (invalid JSON) it stops and returns what it found so far.
pub(crate) fn scan(text: &str) -> Locations {
    let mut scanner = Scanner {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        out: Locations::default(),
    };
    let mut path = Vec::new();
    let _ = scanner.value(&mut path, None);
    scanner.out
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    out: Locations,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    /// At a `"`: moves past the closing quote.
    fn skip_string(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            match self.peek()? {
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                b'\\' => self.pos += 2,
                _ => self.pos += 1,
            }
        }
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        if self.peek()? == byte {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    fn value(&mut self, path: &mut Vec<Seg>, key: Option<(usize, usize)>) -> Option<()> {
        self.skip_ws();
        let start = self.pos;
        match self.peek()? {
            b'{' => self.object(path)?,
            b'[' => self.array(path)?,
            b'"' => self.skip_string()?,
            _ => {
                while let Some(b) = self.peek() {
                    if matches!(b, b',' | b']' | b'}' | b' ' | b'\t' | b'\n' | b'\r') {
                        break;
                    }
                    self.pos += 1;
                }
            }
        }
        // Inserted after the value, so a repeated key ends up with the range
        // of its last occurrence: the one `serde_json::Value` keeps.
        self.out.map.insert(
            path.clone(),
            Loc {
                key,
                value: (start, self.pos),
            },
        );
        Some(())
    }

    fn object(&mut self, path: &mut Vec<Seg>) -> Option<()> {
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b'}' {
            self.pos += 1;
            return Some(());
        }
        let mut seen = HashSet::new();
        loop {
            self.skip_ws();
            let key_start = self.pos;
            if self.peek()? != b'"' {
                return None;
            }
            self.skip_string()?;
            let key_end = self.pos;
            // Decoding through serde_json handles escapes such as `\u0074`.
            let name: String = serde_json::from_str(self.text.get(key_start..key_end)?).ok()?;
            self.expect(b':')?;
            path.push(Seg::Key(name.clone()));
            if !seen.insert(name) {
                self.out
                    .duplicates
                    .push((path.clone(), (key_start, key_end)));
            }
            self.value(path, Some((key_start, key_end)))?;
            path.pop();
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b'}' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, path: &mut Vec<Seg>) -> Option<()> {
        self.pos += 1;
        self.skip_ws();
        if self.peek()? == b']' {
            self.pos += 1;
            return Some(());
        }
        let mut index = 0;
        loop {
            path.push(Seg::Index(index));
            self.value(path, None)?;
            path.pop();
            index += 1;
            self.skip_ws();
            match self.peek()? {
                b',' => self.pos += 1,
                b']' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn key(s: &str) -> Seg {
        Seg::Key(s.to_string())
    }

    #[test]
    fn records_keys_values_and_elements() {
        let text = "{\n  \"a\": { \"b\": [1, \"x\"] },\n  \"c\": true\n}";
        let locs = scan(text);
        let b = locs.get(&[key("a"), key("b")]).unwrap();
        assert_eq!(&text[b.key.unwrap().0..b.key.unwrap().1], "\"b\"");
        assert_eq!(&text[b.value.0..b.value.1], "[1, \"x\"]");
        let x = locs.get(&[key("a"), key("b"), Seg::Index(1)]).unwrap();
        assert_eq!(&text[x.value.0..x.value.1], "\"x\"");
        let c = locs.get(&[key("c")]).unwrap();
        assert_eq!(&text[c.value.0..c.value.1], "true");
        let root = locs.get(&[]).unwrap();
        assert_eq!(root.value, (0, text.len()));
    }

    #[test]
    fn escaped_keys_and_duplicates() {
        let text = r#"{"\u0074arget": 1, "x": {}, "target": 2}"#;
        let locs = scan(text);
        assert_eq!(locs.duplicates.len(), 1);
        let (path, range) = &locs.duplicates[0];
        assert_eq!(path, &vec![key("target")]);
        assert_eq!(&text[range.0..range.1], "\"target\"");
        // The last occurrence wins, as in serde_json::Value.
        let v = locs.value_range(&[key("target")]).unwrap();
        assert_eq!(&text[v.0..v.1], "2");
    }

    #[test]
    fn display_paths() {
        assert_eq!(
            display_path(&[key("bundle"), key("external"), Seg::Index(2)]),
            "bundle.external[2]"
        );
        assert_eq!(display_path(&[]), "");
    }
}

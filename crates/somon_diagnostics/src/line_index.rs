/// Maps byte offsets of one text to 1-based lines and character columns.
/// Columns cost at most [`CHECKPOINT_BYTES`] of counting, however long the
/// line (a minified file is one line): long lines have checkpoints.
#[derive(Clone, Debug)]
pub struct LineIndex {
    /// Byte offset at which each line starts; always begins with 0.
    line_starts: Vec<u32>,
    /// In lines longer than [`CHECKPOINT_BYTES`]: a byte offset (a
    /// character boundary) about every [`CHECKPOINT_BYTES`] and the number
    /// of characters from its line's start to it; sorted.
    checkpoints: Vec<(u32, u32)>,
}

/// Distance between column checkpoints in long lines.
pub const CHECKPOINT_BYTES: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub column: u32,
}

impl LineIndex {
    /// Lines end, as in JavaScript, at LF, CR (alone or before LF), U+2028
    /// and U+2029.
    pub fn new(text: &str) -> Self {
        let to_u32 = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let mut line_starts = vec![0];
        let mut checkpoints = Vec::new();
        // The last checkpoint (or line start) and its characters.
        let (mut mark, mut mark_chars) = (0usize, 0usize);
        let bytes = text.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            let next_line = match b {
                b'\n' => Some(i + 1),
                b'\r' if bytes.get(i + 1) != Some(&b'\n') => Some(i + 1),
                // U+2028 and U+2029 are E2 80 A8 / E2 80 A9.
                0xE2 if bytes.get(i + 1) == Some(&0x80)
                    && matches!(bytes.get(i + 2), Some(0xA8 | 0xA9)) =>
                {
                    Some(i + 3)
                }
                _ => None,
            };
            if let Some(start) = next_line {
                line_starts.push(to_u32(start));
                (mark, mark_chars) = (start, 0);
            } else if i >= mark && i - mark >= CHECKPOINT_BYTES && text.is_char_boundary(i) {
                mark_chars += text.get(mark..i).map_or(0, |s| s.chars().count());
                mark = i;
                checkpoints.push((to_u32(i), to_u32(mark_chars)));
            }
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> u32 {
        let i = (line.max(1) - 1) as usize;
        self.line_starts.get(i).copied().unwrap_or(0)
    }

    /// 1-based line and column (counted in Unicode scalar values; a tab is one
    /// column) of byte offset `offset`. Offsets past the end clamp to the end.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = (offset as usize).min(text.len());
        let line_idx = match self.line_starts.binary_search(&(offset as u32)) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        };
        let start = self.line_starts.get(line_idx).copied().unwrap_or(0) as usize;
        // Count from the nearest checkpoint of this line before `offset`.
        let (from, chars_before) = match self
            .checkpoints
            .partition_point(|&(b, _)| b as usize <= offset)
            .checked_sub(1)
            .and_then(|i| self.checkpoints.get(i))
        {
            Some(&(b, c)) if b as usize >= start => (b as usize, c),
            _ => (start, 0),
        };
        let prefix = text.get(from..offset).unwrap_or("");
        let mut column = chars_before + prefix.chars().count() as u32 + 1;
        // A leading byte-order mark is not a column of the first line.
        if line_idx == 0 && offset >= 3 && text.starts_with('\u{feff}') {
            column -= 1;
        }
        LineCol {
            line: line_idx as u32 + 1,
            column,
        }
    }

    /// The snippet for a diagnostic at byte `offset`: its line, or for a
    /// line of more than [`crate::SNIPPET_MAX_CHARS`] characters a window
    /// around it with `…` where it was cut; and the snippet's offset (see
    /// [`crate::ResolvedDiagnostic::snippet_offset`]). Costs O(window), not
    /// O(line).
    pub fn snippet(&self, text: &str, offset: u32) -> (String, u32) {
        let at = self.line_col(text, offset);
        let line = self.line_text(text, at.line);
        let bom = if at.line == 1 && text.starts_with('\u{feff}') {
            3
        } else {
            0
        };
        let line_lo = self.line_start(at.line) as usize + bom;
        let within = (offset as usize).saturating_sub(line_lo).min(line.len());
        crate::snippet_window(line, within, at.column)
    }

    /// The text of the 1-based `line` without its line terminator.
    pub fn line_text<'t>(&self, text: &'t str, line: u32) -> &'t str {
        let i = (line.max(1) - 1) as usize;
        let start = self.line_starts.get(i).copied().unwrap_or(0) as usize;
        let end = self
            .line_starts
            .get(i + 1)
            .map_or(text.len(), |&e| e as usize);
        let s = text.get(start..end.max(start)).unwrap_or("");
        let s = ["\r\n", "\n", "\r", "\u{2028}", "\u{2029}"]
            .iter()
            .find_map(|t| s.strip_suffix(t))
            .unwrap_or(s);
        s.strip_prefix('\u{feff}').unwrap_or(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_not_bytes() {
        let text = "тағ х = 1;\nчоп.сабт(х);\n";
        let idx = LineIndex::new(text);
        let x = text.find('х').unwrap_or(0) as u32;
        assert_eq!(idx.line_col(text, x), LineCol { line: 1, column: 5 });
        let second = text.find("сабт").unwrap_or(0) as u32;
        assert_eq!(idx.line_col(text, second), LineCol { line: 2, column: 5 });
        assert_eq!(
            idx.line_col(text, text.len() as u32),
            LineCol { line: 3, column: 1 }
        );
        assert_eq!(idx.line_text(text, 2), "чоп.сабт(х);");
    }

    #[test]
    fn columns_in_long_lines_use_checkpoints() {
        // A minified line: multi-byte characters, far longer than the
        // distance between checkpoints.
        let text = format!("а\n{}б{}", "ҷ".repeat(10_000), "x".repeat(9_000));
        let idx = LineIndex::new(&text);
        assert!(!idx.checkpoints.is_empty());
        for offset in [0, 3, 4000, 8191, 20_002, 20_004, text.len() - 1, text.len()] {
            let offset = (0..=offset)
                .rev()
                .find(|&o| text.is_char_boundary(o))
                .unwrap_or(0);
            let line_start = if offset >= 3 { 3 } else { 0 };
            let expected = text[line_start..offset].chars().count() as u32 + 1;
            assert_eq!(
                idx.line_col(&text, offset as u32).column,
                expected,
                "{offset}"
            );
        }
    }

    #[test]
    fn crlf_and_bom() {
        let text = "\u{feff}а\r\nб";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_text(text, 1), "а");
        assert_eq!(idx.line_text(text, 2), "б");
    }

    #[test]
    fn every_javascript_line_terminator_ends_a_line() {
        let text = "а\rб\r\nв\nг\u{2028}д\u{2029}е";
        let idx = LineIndex::new(text);
        let lines: Vec<_> = (1..=6).map(|l| idx.line_text(text, l)).collect();
        assert_eq!(lines, ["а", "б", "в", "г", "д", "е"]);
        let e = text.find('е').unwrap_or(0) as u32;
        assert_eq!(idx.line_col(text, e), LineCol { line: 6, column: 1 });
        assert_eq!(idx.line_count(), 6);
    }
}

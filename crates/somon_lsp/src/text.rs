//! Positions as the protocol counts them: lines split at `\n`, `\r\n` and
//! `\r`, characters in UTF-16 code units. The compiler counts bytes; this
//! is the one place that converts, and it never fails: positions past a
//! line's end or the text's end are clamped.

use lsp_types::{Position, Range, TextDocumentContentChangeEvent};
use somon_diagnostics::Span;

/// Byte offsets where each line starts.
#[derive(Clone, Debug)]
pub struct LineMap {
    starts: Vec<u32>,
    len: u32,
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl LineMap {
    pub fn new(text: &str) -> LineMap {
        let mut starts = vec![0];
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            match bytes.get(i) {
                Some(b'\n') => starts.push(to_u32(i + 1)),
                Some(b'\r') => {
                    if bytes.get(i + 1) == Some(&b'\n') {
                        i += 1;
                    }
                    starts.push(to_u32(i + 1));
                }
                _ => {}
            }
            i += 1;
        }
        LineMap {
            starts,
            len: to_u32(text.len()),
        }
    }

    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding byte `offset`.
    pub fn line_of(&self, offset: u32) -> u32 {
        let offset = offset.min(self.len);
        to_u32(
            self.starts
                .partition_point(|&s| s <= offset)
                .saturating_sub(1),
        )
    }

    /// Byte range of a line's text, without its terminator.
    fn line_bounds(&self, text: &str, line: u32) -> (usize, usize) {
        let start = self.starts.get(line as usize).copied().unwrap_or(self.len) as usize;
        let next = self
            .starts
            .get(line as usize + 1)
            .copied()
            .unwrap_or(self.len) as usize;
        let mut end = next.min(text.len());
        let bytes = text.as_bytes();
        while end > start && matches!(bytes.get(end - 1), Some(b'\n' | b'\r')) {
            end -= 1;
        }
        (start.min(text.len()), end)
    }

    /// The protocol position of byte `offset` (inside a character: its
    /// start).
    pub fn position(&self, text: &str, offset: u32) -> Position {
        let mut offset = (offset as usize).min(text.len());
        while offset > 0 && !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_of(to_u32(offset));
        let (start, end) = self.line_bounds(text, line);
        let upto = offset.min(end).max(start);
        let character = text
            .get(start..upto)
            .map(|s| s.encode_utf16().count())
            .unwrap_or(0);
        Position {
            line,
            character: to_u32(character),
        }
    }

    /// The byte offset of a protocol position (clamped to the line's end
    /// and the text's end; inside a surrogate pair: the character's start).
    pub fn offset(&self, text: &str, pos: Position) -> u32 {
        if pos.line as usize >= self.starts.len() {
            return self.len;
        }
        let (start, end) = self.line_bounds(text, pos.line);
        let mut units = 0u32;
        let Some(line) = text.get(start..end) else {
            return to_u32(start);
        };
        for (i, ch) in line.char_indices() {
            let w = to_u32(ch.len_utf16());
            if units + w > pos.character {
                return to_u32(start + i);
            }
            units += w;
        }
        to_u32(end)
    }

    pub fn range(&self, text: &str, span: Span) -> Range {
        Range {
            start: self.position(text, span.lo),
            end: self.position(text, span.hi.max(span.lo)),
        }
    }

    pub fn span(&self, text: &str, range: Range) -> Span {
        let lo = self.offset(text, range.start);
        let hi = self.offset(text, range.end);
        Span {
            lo: lo.min(hi),
            hi: hi.max(lo),
        }
    }
}

/// Applies one change of `textDocument/didChange` (a range edit, or the
/// whole text when it has no range).
pub fn apply_change(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        None => *text = change.text.clone(),
        Some(range) => {
            let map = LineMap::new(text);
            let span = map.span(text, range);
            let (lo, hi) = (span.lo as usize, span.hi as usize);
            if text.is_char_boundary(lo) && text.is_char_boundary(hi) && lo <= hi {
                text.replace_range(lo..hi, &change.text);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(line: u32, character: u32) -> Position {
        Position { line, character }
    }

    #[test]
    fn positions_count_utf16_units() {
        // `𝒳` is one character, two UTF-16 units, four bytes; Tajik
        // letters are two bytes and one unit.
        let text = "тағ а = 1;\n𝒳ҷ = 2\r\nб\rв";
        let map = LineMap::new(text);
        assert_eq!(map.line_count(), 4);
        let x = text.find('𝒳').unwrap_or(0) as u32;
        assert_eq!(map.position(text, x), pos(1, 0));
        let j = text.find('ҷ').unwrap_or(0) as u32;
        assert_eq!(map.position(text, j), pos(1, 2));
        assert_eq!(map.offset(text, pos(1, 2)), j);
        // Inside the surrogate pair: the character's start.
        assert_eq!(map.offset(text, pos(1, 1)), x);
        // `а` after `тағ `: 4 units, 7 bytes.
        assert_eq!(map.offset(text, pos(0, 4)), 7);
        assert_eq!(map.position(text, 7), pos(0, 4));
        // CRLF and CR end lines.
        let b = text.find('б').unwrap_or(0) as u32;
        let v = text.find('в').unwrap_or(0) as u32;
        assert_eq!(map.position(text, b), pos(2, 0));
        assert_eq!(map.position(text, v), pos(3, 0));
    }

    #[test]
    fn out_of_range_positions_are_clamped() {
        let text = "аб\nв";
        let map = LineMap::new(text);
        // Past the line's end: the end of the line, not the next line.
        assert_eq!(map.offset(text, pos(0, 99)), 4);
        assert_eq!(map.offset(text, pos(9, 0)), text.len() as u32);
        assert_eq!(map.position(text, 999), pos(1, 1));
        // Inside a two-byte character: its start.
        assert_eq!(map.position(text, 1), pos(0, 0));
    }

    #[test]
    fn incremental_edits_apply_in_order() {
        let mut text = String::from("тағ а = 1;\nчоп.лог(а);\n");
        let edit = |text: &mut String, l0, c0, l1, c1, t: &str| {
            apply_change(
                text,
                &TextDocumentContentChangeEvent {
                    range: Some(Range {
                        start: pos(l0, c0),
                        end: pos(l1, c1),
                    }),
                    range_length: None,
                    text: t.to_string(),
                },
            )
        };
        edit(&mut text, 0, 4, 0, 5, "𝒳ҷ");
        assert_eq!(text, "тағ 𝒳ҷ = 1;\nчоп.лог(а);\n");
        // After the edit, `1` is at unit 10 (`тағ ` 4, `𝒳` 2, `ҷ` 1, ` = ` 3).
        edit(&mut text, 0, 10, 0, 11, "2");
        assert_eq!(text, "тағ 𝒳ҷ = 2;\nчоп.лог(а);\n");
        // Across lines, and an insertion at the very end.
        edit(&mut text, 0, 12, 1, 0, "\n\n");
        assert_eq!(text, "тағ 𝒳ҷ = 2;\n\nчоп.лог(а);\n");
        edit(&mut text, 9, 0, 9, 0, "// охир");
        assert_eq!(text, "тағ 𝒳ҷ = 2;\n\nчоп.лог(а);\n// охир");
        // A change without a range replaces everything.
        apply_change(
            &mut text,
            &TextDocumentContentChangeEvent {
                range: None,
                range_length: None,
                text: "нав".into(),
            },
        );
        assert_eq!(text, "нав");
    }
}

//! The side table of trivia: comments and blank lines, recorded by the
//! lexer while it skips them. The parser never sees them; the formatter
//! (`somon_fmt`) and the language server (doc comments above a declaration)
//! read them from [`crate::ParseResult::trivia`].
//!
//! Cheap by construction: one entry per comment and one per run of blank
//! lines, in source order, found by binary search.

use somon_diagnostics::Span;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `// …` (to the end of its line, the line break not included).
    Line,
    /// `/* … */`
    Block,
    /// `/** … */` — documents the declaration that follows it.
    Doc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Comment {
    pub kind: CommentKind,
    /// The whole comment, delimiters included.
    pub span: Span,
    /// Whether only whitespace precedes the comment on its line (or it
    /// starts the file).
    pub own_line: bool,
    /// Whether a line break follows before the next token or comment.
    pub nl_after: bool,
}

impl Comment {
    /// The comment's text, delimiters included.
    pub fn text<'s>(&self, src: &'s str) -> &'s str {
        src.get(self.span.lo as usize..self.span.hi as usize)
            .unwrap_or("")
    }
}

/// Comments and blank lines of one source, in source order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trivia {
    pub comments: Vec<Comment>,
    /// `(offset, count)`: `count` (≥ 1) blank lines end right before the
    /// token or comment that starts at `offset`.
    pub blank_lines: Vec<(u32, u32)>,
}

impl Trivia {
    /// The number of blank lines right before the token or comment that
    /// starts at `offset` (0 when there are none).
    pub fn blank_lines_before(&self, offset: u32) -> u32 {
        match self
            .blank_lines
            .binary_search_by_key(&offset, |&(at, _)| at)
        {
            Ok(i) => self.blank_lines.get(i).map_or(0, |&(_, n)| n),
            Err(_) => 0,
        }
    }

    /// The comments that lie entirely inside `lo..hi`.
    pub fn comments_in(&self, lo: u32, hi: u32) -> &[Comment] {
        let start = self.comments.partition_point(|c| c.span.lo < lo);
        let end = self.comments.partition_point(|c| c.span.hi <= hi);
        self.comments.get(start..end.max(start)).unwrap_or(&[])
    }

    /// The doc comment (`/** … */`) documenting the declaration that starts
    /// at `decl_start`: the last comment before it, when it is a doc comment
    /// separated from the declaration by whitespace only, without a blank
    /// line. The language server calls
    /// this with the start of a declaration's span (for `содир` declarations,
    /// the span of the export).
    pub fn doc_comment_before(&self, src: &str, decl_start: u32) -> Option<Comment> {
        let i = self.comments.partition_point(|c| c.span.hi <= decl_start);
        let c = *self.comments.get(i.checked_sub(1)?)?;
        if c.kind != CommentKind::Doc || self.blank_lines_before(decl_start) > 0 {
            return None;
        }
        let between = src.get(c.span.hi as usize..decl_start as usize)?;
        between
            .chars()
            .all(|ch| ch.is_whitespace() && ch != '\u{a0}')
            .then_some(c)
    }
}

/// The text of a doc comment without its delimiters and without the
/// leading `*` of each line, trimmed; lines joined with `\n`.
pub fn doc_text(comment: &str) -> String {
    let body = comment
        .strip_prefix("/**")
        .and_then(|b| b.strip_suffix("*/"))
        .unwrap_or(comment);
    let lines: Vec<&str> = body
        .lines()
        .map(|l| {
            let t = l.trim_start();
            t.strip_prefix('*')
                .map(|r| r.strip_prefix(' ').unwrap_or(r))
                .unwrap_or(t)
                .trim_end()
        })
        .collect();
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(first, |i| i + 1);
    lines.get(first..last).unwrap_or(&[]).join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse;

    #[test]
    fn records_comments_and_blank_lines() {
        let src = "// сар\nтағ а = 1; /* дар */\n\n\n/** Ҳуҷҷат.\n * дуюм */\nфунксия ф() {}\n";
        let t = parse(src).trivia;
        let kinds: Vec<_> = t
            .comments
            .iter()
            .map(|c| (c.kind, c.own_line, c.nl_after))
            .collect();
        assert_eq!(
            kinds,
            [
                (CommentKind::Line, true, true),
                (CommentKind::Block, false, true),
                (CommentKind::Doc, true, true)
            ]
        );
        assert_eq!(t.comments[0].text(src), "// сар");
        let doc_at = src.find("/**").unwrap_or(0) as u32;
        assert_eq!(t.blank_lines_before(doc_at), 2);
        let decl = src.find("функсия").unwrap_or(0) as u32;
        let doc = t
            .doc_comment_before(src, decl)
            .map(|c| doc_text(c.text(src)));
        assert_eq!(doc.as_deref(), Some("Ҳуҷҷат.\nдуюм"));
        // A blank line between comment and declaration: not its doc.
        let src2 = "/** х */\n\nфунксия ф() {}";
        let decl2 = src2.find("функсия").unwrap_or(0) as u32;
        assert_eq!(parse(src2).trivia.doc_comment_before(src2, decl2), None);
    }
}

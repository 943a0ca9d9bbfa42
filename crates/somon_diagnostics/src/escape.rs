//! The one escaping routine for text from outside (file names, source
//! lines, values in messages) that is printed to a terminal or a log:
//! control characters (escape sequences that retitle or rewrite the
//! terminal, NUL, line breaks that forge lines), bidirectional controls
//! (Trojan Source reordering) and zero-width characters become visible
//! `\u{…}` escapes. Used by the diagnostic renderings and by the service's
//! logger.

use std::borrow::Cow;
use std::fmt::Write as _;

/// A bidirectional control character: embeddings and overrides
/// (U+202A–U+202E), isolates (U+2066–U+2069) and the marks U+200E, U+200F
/// and U+061C.
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{61c}')
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

/// A character that is invisible or changes how the text around it is
/// shown: controls (C0, DEL, C1), line and paragraph separators,
/// bidirectional controls and zero-width characters.
pub fn is_unsafe_char(c: char) -> bool {
    c.is_control()
        || is_bidi_control(c)
        || matches!(
            c,
            '\u{2028}'
                | '\u{2029}'
                | '\u{200b}'
                | '\u{200c}'
                | '\u{200d}'
                | '\u{2060}'
                | '\u{feff}'
        )
}

/// Appends `text` to `out` with `\n`, `\r`, `\t` spelled so and every
/// other [`is_unsafe_char`] as `\u{…}`. With `quoted` (a value written
/// between double quotes, as the logs do), `\` and `"` are escaped too, so
/// a value cannot end its quotes.
pub fn push_escaped(out: &mut String, text: &str, quoted: bool) {
    for c in text.chars() {
        push_escaped_char(out, c, quoted);
    }
}

/// [`push_escaped`] for one character.
pub fn push_escaped_char(out: &mut String, c: char, quoted: bool) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\\' | '"' if quoted => {
            out.push('\\');
            out.push(c);
        }
        c if is_unsafe_char(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        c => out.push(c),
    }
}

/// `text` safe to print: every [`is_unsafe_char`] escaped (borrowed when
/// there is none).
pub fn escape_control(text: &str) -> Cow<'_, str> {
    if !text.chars().any(is_unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    push_escaped(&mut out, text, false);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_and_reordering_characters_become_visible() {
        assert_eq!(
            escape_control("a\u{1b}]0;title\u{7}b"),
            "a\\u{1b}]0;title\\u{7}b"
        );
        assert_eq!(
            escape_control("x\u{202e}y\u{2066}z\u{200b}\u{0}"),
            "x\\u{202e}y\\u{2066}z\\u{200b}\\u{0}"
        );
        assert_eq!(escape_control("a\nINFO forged"), "a\\nINFO forged");
        assert!(matches!(
            escape_control("салом \"ҷаҳон\""),
            Cow::Borrowed(_)
        ));
        let mut quoted = String::new();
        push_escaped(&mut quoted, "a\"b\\c", true);
        assert_eq!(quoted, "a\\\"b\\\\c");
    }

    #[test]
    fn bidi_controls_are_exactly_the_listed_ones() {
        for c in [
            '\u{202a}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{200e}', '\u{200f}', '\u{61c}',
        ] {
            assert!(is_bidi_control(c), "{c:?}");
        }
        for c in ['\u{2029}', '\u{200b}', '\u{2065}', '\u{202f}', 'а'] {
            assert!(!is_bidi_control(c), "{c:?}");
        }
    }
}

//! Compile-time validation of regular-expression literals with the
//! ECMAScript pattern parser swc uses (`swc_ecma_regexp`): a pattern or
//! flags that JavaScript would refuse when the module loads is a `REGEX`
//! diagnostic instead.

use somon_diagnostics::Message;
use swc_ecma_regexp::{LiteralParser, Options};

/// Nesting of groups and classes beyond which a pattern is not parsed
/// (the parser recurses; such a pattern is left to the engine).
const MAX_PATTERN_NESTING: usize = 1000;

/// The problem of `/pattern/flags`, if JavaScript would refuse it.
pub fn validate(pattern: &str, flags: &str) -> Option<Message> {
    if let Some(message) = check_flags(flags) {
        return Some(message);
    }
    if nesting(pattern) > MAX_PATTERN_NESTING {
        return None;
    }
    let error = LiteralParser::new(pattern, Some(flags), Options::default())
        .parse()
        .err()?;
    let text = error.to_string();
    let detail = text
        .strip_prefix("Invalid regular expression:")
        .unwrap_or(&text)
        .trim()
        .to_string();
    let lower = detail.to_ascii_lowercase();
    Some(if lower.contains("duplicated capturing group") {
        Message::RegexDuplicateGroupName
    } else if lower.contains("quantifier") && lower.contains("out of order") {
        Message::RegexQuantifierOrder
    } else if lower.contains("range") && lower.contains("out of order") {
        Message::RegexRangeOrder
    } else {
        Message::RegexInvalid { detail }
    })
}

fn check_flags(flags: &str) -> Option<Message> {
    let mut seen = String::new();
    for c in flags.chars() {
        if !"dgimsuvy".contains(c) {
            return Some(Message::RegexUnknownFlag { flag: c.into() });
        }
        if seen.contains(c) {
            return Some(Message::RegexDuplicateFlag { flag: c.into() });
        }
        seen.push(c);
    }
    (seen.contains('u') && seen.contains('v')).then_some(Message::RegexUnicodeFlags)
}

/// The deepest nesting of `(` and `[` in a pattern (escapes skipped).
fn nesting(pattern: &str) -> usize {
    let (mut depth, mut max) = (0usize, 0usize);
    let mut escaped = false;
    for c in pattern.chars() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '(' | '[' => {
                depth += 1;
                max = max.max(depth);
            }
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    max
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_patterns_and_flags() {
        let code = |p: &str, f: &str| validate(p, f).map(|m| m.code());
        assert_eq!(code("a", "gg"), Some("REGEX"));
        assert_eq!(
            validate("a", "x"),
            Some(Message::RegexUnknownFlag { flag: "x".into() })
        );
        assert_eq!(
            validate("a", "gg"),
            Some(Message::RegexDuplicateFlag { flag: "g".into() })
        );
        assert_eq!(validate("a", "uv"), Some(Message::RegexUnicodeFlags));
        assert_eq!(validate("a{2,1}", ""), Some(Message::RegexQuantifierOrder));
        assert_eq!(validate("[z-a]", ""), Some(Message::RegexRangeOrder));
        assert_eq!(
            validate("(?<н>a)(?<н>b)", ""),
            Some(Message::RegexDuplicateGroupName)
        );
        assert!(matches!(
            validate("\\u{110000}", "u"),
            Some(Message::RegexInvalid { .. })
        ));
        assert!(matches!(
            validate("(", ""),
            Some(Message::RegexInvalid { .. })
        ));
    }

    #[test]
    fn accepted_patterns() {
        for (p, f) in [
            ("a", "dgimsy"),
            ("\\p{L}+", "u"),
            ("[\\p{L}--\\p{Ll}]", "v"),
            ("(?<год>\\d{4})-(?<моҳ>\\d{2})", ""),
            ("(?<=а)б", ""),
            ("салом|хайр", "i"),
            ("\\u{1F30D}", "u"),
            ("a{1,2}", ""),
            ("[а-я]", ""),
            ("", ""),
            ("]", ""),
            ("{", ""),
        ] {
            assert_eq!(validate(p, f), None, "/{p}/{f}");
        }
    }
}

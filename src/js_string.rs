//! Strings across the N-API boundary in UTF-16, V8's own form.
//!
//! napi-rs converts a `String` with `napi_create_string_utf8` and reads one
//! with two `napi_get_value_string_utf8` calls (length, then copy) and a
//! UTF-8 validation. V8's UTF-8 codec runs every character after the first
//! non-ASCII one through a decoder state machine, twice (length, then
//! copy): for a small module, whose text and output are mostly ASCII with
//! Cyrillic names, that was about a tenth of a `compile()` call's
//! instructions (callgrind). Here the transcoding is done in Rust, with a
//! fast path for ASCII runs, and V8 only copies UTF-16 code units.
//!
//! The strings are exactly the ones napi-rs's conversions give: a lone
//! surrogate read from JavaScript becomes U+FFFD, as V8's UTF-8 writer
//! (`REPLACE_INVALID_UTF8`) makes it.

use napi::bindgen_prelude::*;
use napi::{check_status, sys};

/// A string handed to JavaScript as UTF-16 (the compiled code).
pub struct JsText(pub String);

impl TypeName for JsText {
    fn type_name() -> &'static str {
        "String"
    }

    fn value_type() -> ValueType {
        ValueType::String
    }
}

impl ToNapiValue for JsText {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        let mut out = std::ptr::null_mut();
        let text = val.0;
        if text.is_ascii() {
            // ASCII is Latin-1: V8 copies the bytes into a one-byte string,
            // as its UTF-8 path does for ASCII.
            // SAFETY: `text` outlives the call; V8 copies `len` bytes.
            check_status!(unsafe {
                sys::napi_create_string_latin1(
                    env,
                    text.as_ptr().cast(),
                    text.len() as isize,
                    &mut out,
                )
            })?;
        } else {
            let units = utf16(&text);
            // SAFETY: `units` outlives the call; V8 copies `len` units.
            check_status!(unsafe {
                sys::napi_create_string_utf16(env, units.as_ptr(), units.len() as isize, &mut out)
            })?;
        }
        Ok(out)
    }
}

impl FromNapiValue for JsText {
    unsafe fn from_napi_value(env: sys::napi_env, napi_val: sys::napi_value) -> Result<Self> {
        // SAFETY: as the caller guarantees for `napi_val`.
        unsafe { string_from_js(env, napi_val) }.map(JsText)
    }
}

/// Reads a JavaScript string (the caller has checked that `value` is one).
///
/// # Safety
/// `env` and `value` must be live handles of the current call.
pub(crate) unsafe fn string_from_js(env: sys::napi_env, value: sys::napi_value) -> Result<String> {
    let mut len = 0usize;
    // SAFETY: a null buffer asks only for the length in code units.
    check_status!(unsafe {
        sys::napi_get_value_string_utf16(env, value, std::ptr::null_mut(), 0, &mut len)
    })?;
    // One more unit for the terminating NUL that N-API writes.
    let mut units = vec![0u16; len + 1];
    let mut copied = 0usize;
    // SAFETY: `units` has room for `len` units and the NUL.
    check_status!(unsafe {
        sys::napi_get_value_string_utf16(env, value, units.as_mut_ptr(), units.len(), &mut copied)
    })?;
    units.truncate(copied);
    Ok(utf8(&units))
}

/// UTF-8 text as UTF-16 code units. One- and two-byte characters (ASCII,
/// Cyrillic) are decoded here, the rest by the standard library.
fn utf16(text: &str) -> Vec<u16> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    // `at` is always at the start of a character.
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b < 0x80 {
            out.push(u16::from(b));
            at += 1;
        } else if b < 0xE0 {
            // A two-byte character (its lead byte is 0xC2..=0xDF).
            let next = bytes.get(at + 1).copied().unwrap_or(0);
            out.push((u16::from(b & 0x1F) << 6) | u16::from(next & 0x3F));
            at += 2;
        } else {
            let Some(c) = text.get(at..).and_then(|s| s.chars().next()) else {
                break;
            };
            out.extend_from_slice(c.encode_utf16(&mut [0u16; 2]));
            at += c.len_utf8();
        }
    }
    out
}

/// UTF-16 code units as UTF-8 text, each lone surrogate as U+FFFD.
fn utf8(units: &[u16]) -> String {
    String::from_utf16_lossy(units)
}

#[cfg(test)]
mod tests {
    use super::{utf16, utf8};

    #[test]
    fn utf16_matches_the_standard_encoder() {
        for text in [
            "",
            "ascii only",
            "функсия ҷамъ(а, б) { бозгашт а + б; }",
            "mixed 😀 emoji, \u{2028} separators, ё and é",
            "😀",
            "ӣ",
            "\u{80}\u{7FF}\u{800}\u{FFFF}\u{10000}\u{10FFFF}ß",
        ] {
            let expected: Vec<u16> = text.encode_utf16().collect();
            assert_eq!(utf16(text), expected, "{text:?}");
            assert_eq!(utf8(&expected), text, "{text:?}");
        }
    }

    #[test]
    fn lone_surrogates_become_replacement_characters() {
        let units = [0x61, 0xD800, 0x62, 0xDC00, 0xD83D, 0xDE00, 0xDFFF];
        assert_eq!(utf8(&units), "a\u{FFFD}b\u{FFFD}😀\u{FFFD}");
        assert_eq!(utf8(&[0xD800]), "\u{FFFD}");
    }
}

//! The compiled code handed to JavaScript as UTF-16, V8's own form.
//!
//! napi-rs returns a `String` through `napi_create_string_utf8`, and V8's
//! UTF-8 decoder runs every character after the first non-ASCII one
//! through a state machine, twice (length, then copy): for a small
//! module's output, mostly ASCII with Cyrillic names, that was about 100k
//! instructions of a 1.8M-instruction `compile()` call (callgrind). The
//! standard library's UTF-16 encoder does it in about 40k, and V8 then
//! only copies code units. (Reading the source the same way, through
//! `napi_get_value_string_utf16` and a Rust decoder, cost more than V8's
//! UTF-8 writer: it stays napi-rs's.)

use napi::bindgen_prelude::*;
use napi::{check_status, sys};

/// A string handed to JavaScript as UTF-16 (the same string napi-rs's
/// `String` gives).
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
            let units: Vec<u16> = text.encode_utf16().collect();
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
        unsafe { String::from_napi_value(env, napi_val) }.map(JsText)
    }
}

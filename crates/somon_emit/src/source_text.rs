//! The source text a compile reads, borrowed or owned.
//!
//! swc's source map keeps the text of every file it maps (code
//! generation reads it to keep the source's line breaks in lists). An
//! owned text is handed to it shared, not copied: for a large module the
//! copy would be as big as the input, the largest single allocation of a
//! compile that emits statement by statement.

use bytes_str::BytesStr;

/// A module's source: borrowed (swc gets a copy of it when the module is
/// emitted) or owned (swc shares it). Reads as a `&str`.
#[derive(Clone, Debug)]
pub enum SourceText<'a> {
    Borrowed(&'a str),
    Owned(BytesStr),
}

impl SourceText<'_> {
    /// The text as swc's source map holds it: shared when owned.
    pub(crate) fn to_shared(&self) -> BytesStr {
        match self {
            SourceText::Borrowed(text) => BytesStr::from_str_slice(text),
            SourceText::Owned(text) => text.clone(),
        }
    }
}

impl std::ops::Deref for SourceText<'_> {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            SourceText::Borrowed(text) => text,
            SourceText::Owned(text) => text.as_str(),
        }
    }
}

impl<'a> From<&'a str> for SourceText<'a> {
    fn from(text: &'a str) -> Self {
        SourceText::Borrowed(text)
    }
}

impl<'a> From<&'a String> for SourceText<'a> {
    fn from(text: &'a String) -> Self {
        SourceText::Borrowed(text)
    }
}

impl From<String> for SourceText<'_> {
    /// Takes the string's buffer as it is (no copy).
    fn from(text: String) -> Self {
        SourceText::Owned(BytesStr::from_string(text))
    }
}

#[cfg(test)]
mod tests {
    use super::SourceText;

    #[test]
    fn an_owned_text_is_shared_not_copied() {
        let text = String::from("тағ х = 1;");
        let at = text.as_ptr();
        let source = SourceText::from(text);
        assert_eq!(&*source, "тағ х = 1;");
        assert_eq!(source.to_shared().as_ptr(), at);
    }

    #[test]
    fn a_borrowed_text_is_copied_for_swc() {
        let text = "тағ х = 1;";
        let source = SourceText::from(text);
        assert_eq!(source.as_ptr(), text.as_ptr());
        let shared = source.to_shared();
        assert_eq!(shared.as_str(), text);
        assert_ne!(shared.as_ptr(), text.as_ptr());
    }
}

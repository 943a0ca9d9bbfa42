//! The whole catalogue in English, Tajik and Russian, in one snapshot: a
//! message missing in a language, or an accidental change, shows up here.

use somon_diagnostics::{Lang, Message};

#[test]
fn every_message_in_every_language() {
    let mut out = String::new();
    for m in Message::samples() {
        out.push_str(&format!("[{}]\n", m.code()));
        for lang in [Lang::En, Lang::Tg, Lang::Ru] {
            out.push_str(&format!("  {}: {}\n", lang.as_str(), m.render(lang)));
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn every_code_has_a_sample() {
    let codes: std::collections::BTreeSet<&str> =
        Message::samples().iter().map(Message::code).collect();
    for code in [
        "LEX",
        "SYNTAX",
        "DEPTH",
        "TOP_LEVEL_AWAIT",
        "TYPE_NOT_ASSIGNABLE",
        "UNDEFINED_IDENTIFIER",
        "ARGUMENT_COUNT_MISMATCH",
        "ARGUMENT_TYPE_MISMATCH",
        "CLASS_NOT_FOUND",
        "INVALID_EXTENDS",
        "CIRCULAR_INHERITANCE",
    ] {
        assert!(codes.contains(code), "no sample message for {code}");
    }
}

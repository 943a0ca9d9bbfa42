//! Source maps, made reviewable: the map's `mappings` are decoded and
//! printed one segment a line, as
//! `out LINE:COL "output text" -> som LINE:COL "source text"`
//! (1-based lines and columns), in one snapshot with the input and the
//! output.

use somon_compiler::{compile, CompileOptions, SourceMapKind};

const SOURCE: &str = "\
функсия ҷамъ(а: рақам, б: рақам): рақам {
  бозгашт а + б;
}

собит номҳо = [\"Аҳмад\", \"Зарина\"];
барои (собит ном аз номҳо) {
  агар (ном.дарозӣ > 5) чоп.сабт(`Салом, ${ном}!`);
}
чоп.сабт(ҷамъ(2, 3) * (4 - 1));
";

const FILE_NAME: &str = "src/салом.som";

fn options(inline_sources: bool) -> CompileOptions {
    CompileOptions {
        file_name: FILE_NAME.into(),
        output_name: Some("салом.js".into()),
        source_map: SourceMapKind::Separate,
        inline_sources,
        ..Default::default()
    }
}

/// One decoded segment: generated line and column, then (when the segment
/// has them) source index, original line and original column. All 0-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    gen_line: usize,
    gen_col: i64,
    source: Option<(i64, i64, i64)>,
}

fn base64_digit(c: u8) -> Option<i64> {
    let v = match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => return None,
    };
    Some(i64::from(v))
}

/// Decodes one field list of base64 VLQs ("AAAA" → [0, 0, 0, 0]).
fn decode_vlqs(text: &str) -> Vec<i64> {
    let mut values = Vec::new();
    let mut value = 0_i64;
    let mut shift = 0;
    for c in text.bytes() {
        let Some(digit) = base64_digit(c) else {
            panic!("invalid base64 digit {:?} in {text:?}", c as char);
        };
        value |= (digit & 0b11111) << shift;
        if digit & 0b100000 != 0 {
            shift += 5;
        } else {
            let magnitude = value >> 1;
            values.push(if value & 1 == 1 {
                -magnitude
            } else {
                magnitude
            });
            value = 0;
            shift = 0;
        }
    }
    assert_eq!(shift, 0, "unfinished VLQ in {text:?}");
    values
}

/// Decodes `mappings` (fields are deltas: columns within a line, the rest
/// across the whole map).
fn decode_mappings(mappings: &str) -> Vec<Segment> {
    let mut out = Vec::new();
    let (mut source, mut line, mut col) = (0_i64, 0_i64, 0_i64);
    for (gen_line, text) in mappings.split(';').enumerate() {
        let mut gen_col = 0_i64;
        for seg in text.split(',').filter(|s| !s.is_empty()) {
            let f = decode_vlqs(seg);
            assert!(
                matches!(f.len(), 1 | 4 | 5),
                "segment {seg:?} has {} fields",
                f.len()
            );
            gen_col += f[0];
            let mapped = if f.len() >= 4 {
                source += f[1];
                line += f[2];
                col += f[3];
                Some((source, line, col))
            } else {
                None
            };
            out.push(Segment {
                gen_line,
                gen_col,
                source: mapped,
            });
        }
    }
    out
}

/// The token of `line` that starts at UTF-16 column `col` (source-map
/// columns count UTF-16 code units): a word, a string or template piece,
/// a number, or a run of operator characters.
fn token_at(line: &str, col: i64) -> String {
    let units: Vec<u16> = line.encode_utf16().collect();
    let Some(rest) = usize::try_from(col).ok().and_then(|c| units.get(c..)) else {
        return "<past the end of the line>".into();
    };
    let rest = String::from_utf16_lossy(rest);
    let mut chars = rest.chars().peekable();
    let Some(first) = chars.next() else {
        return String::new();
    };
    let mut token = String::from(first);
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    match first {
        '"' | '\'' => {
            for c in chars.by_ref() {
                token.push(c);
                if c == first {
                    break;
                }
            }
        }
        '`' => {
            // Up to the template's end or its next `${`; a closing backtick
            // (nothing of the template follows on the line) stays alone.
            let mut piece = String::new();
            while let Some(c) = chars.next() {
                piece.push(c);
                if c == '`' || (c == '$' && chars.peek() == Some(&'{')) {
                    token.push_str(&piece);
                    break;
                }
            }
        }
        c if word(c) || c == '#' => {
            while let Some(&c) = chars.peek() {
                if !word(c) {
                    break;
                }
                token.push(c);
                chars.next();
            }
        }
        c if "=+-*/%<>!&|^?.:~".contains(c) => {
            while let Some(&c) = chars.peek() {
                if !"=+-*/%<>!&|^?.:~".contains(c) {
                    break;
                }
                token.push(c);
                chars.next();
            }
        }
        _ => {}
    }
    token
}

fn render(code: &str, map_json: &str) -> String {
    let map: serde_json::Value =
        serde_json::from_str(map_json).unwrap_or_else(|e| panic!("the map is not JSON: {e}"));
    let mappings = map["mappings"].as_str().unwrap_or_default();
    let out_lines: Vec<&str> = code.lines().collect();
    let som_lines: Vec<&str> = SOURCE.lines().collect();
    let mut text = String::new();
    for seg in decode_mappings(mappings) {
        let out_line = out_lines.get(seg.gen_line).copied().unwrap_or_default();
        let out_token = token_at(out_line, seg.gen_col);
        text.push_str(&format!(
            "out {}:{} {out_token:?}",
            seg.gen_line + 1,
            seg.gen_col + 1
        ));
        match seg.source {
            Some((source, line, col)) => {
                assert_eq!(source, 0, "one source only");
                let som_line = usize::try_from(line)
                    .ok()
                    .and_then(|l| som_lines.get(l))
                    .copied()
                    .unwrap_or_else(|| panic!("original line {} is out of range", line + 1));
                text.push_str(&format!(
                    " -> som {}:{} {:?}\n",
                    line + 1,
                    col + 1,
                    token_at(som_line, col)
                ));
            }
            None => text.push_str(" (unmapped)\n"),
        }
    }
    text
}

#[test]
fn mapping_snapshot() {
    let out = compile(SOURCE, &options(false));
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let (Some(code), Some(map)) = (&out.code, &out.map) else {
        panic!("no code or no map");
    };
    let review = format!(
        "--- input ({FILE_NAME}) ---\n{SOURCE}\n--- output ---\n{code}\n--- mappings ---\n{}",
        render(code, map)
    );
    insta::assert_snapshot!(review);
}

/// Every JavaScript keyword of the output maps to the SomonScript keyword
/// it was written as (ARCHITECTURE.md: every lowered node carries the span
/// of the Somon node it came from).
#[test]
fn keywords_map_to_the_keywords_they_came_from() {
    const KEYWORDS: &[(&str, &str)] = &[
        ("function", "функсия"),
        ("return", "бозгашт"),
        ("const", "собит"),
        ("let", "тағ"),
        ("for", "барои"),
        ("if", "агар"),
    ];
    let out = compile(SOURCE, &options(false));
    let (Some(code), Some(map)) = (&out.code, &out.map) else {
        panic!("no code or no map");
    };
    let rendered = render(code, map);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for line in rendered.lines() {
        for (js, som) in KEYWORDS {
            if line.contains(&format!(" {js:?} -> ")) {
                checked += 1;
                if !line.ends_with(&format!(" {som:?}")) {
                    wrong.push(line);
                }
            }
        }
    }
    assert_eq!(checked, 6, "keywords found in the mappings:\n{rendered}");
    assert!(
        wrong.is_empty(),
        "keywords mapped elsewhere:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn sources_are_the_relative_file_name_without_content() {
    let out = compile(SOURCE, &options(false));
    let map: serde_json::Value = serde_json::from_str(out.map.as_deref().unwrap_or_default())
        .unwrap_or_else(|e| panic!("the map is not JSON: {e}"));
    assert_eq!(map["version"], 3);
    assert_eq!(map["sources"], serde_json::json!([FILE_NAME]));
    assert_eq!(map["file"], "салом.js");
    assert!(
        map.get("sourcesContent").is_none(),
        "sourcesContent without inline_sources: {map}"
    );
}

#[test]
fn inline_sources_put_the_text_in_sources_content() {
    let out = compile(SOURCE, &options(true));
    let map: serde_json::Value = serde_json::from_str(out.map.as_deref().unwrap_or_default())
        .unwrap_or_else(|e| panic!("the map is not JSON: {e}"));
    assert_eq!(map["sources"], serde_json::json!([FILE_NAME]));
    assert_eq!(map["sourcesContent"], serde_json::json!([SOURCE]));
}

#[test]
fn vlq_decoding() {
    assert_eq!(decode_vlqs("AAAA"), [0, 0, 0, 0]);
    assert_eq!(decode_vlqs("CADD"), [1, 0, -1, -1]);
    assert_eq!(decode_vlqs("gBAAuB"), [16, 0, 0, 23]);
    assert_eq!(
        decode_mappings("AAAA,EAAE;;IACA"),
        [
            Segment {
                gen_line: 0,
                gen_col: 0,
                source: Some((0, 0, 0))
            },
            Segment {
                gen_line: 0,
                gen_col: 2,
                source: Some((0, 0, 2))
            },
            Segment {
                gen_line: 2,
                gen_col: 4,
                source: Some((0, 1, 2))
            },
        ]
    );
}

//! Parser tests: one helper per kind of expectation.

use super::parse;
use somon_diagnostics::{Lang, LineIndex};

/// `CODE line:column` of every diagnostic, sorted.
fn diagnostics(src: &str) -> Vec<String> {
    let r = parse(src);
    let idx = LineIndex::new(src);
    let mut v: Vec<String> = r
        .diagnostics
        .iter()
        .map(|d| {
            let lc = idx.line_col(src, d.span.lo);
            format!(
                "{} {}:{} {}",
                d.code(),
                lc.line,
                lc.column,
                d.message.render(Lang::En)
            )
        })
        .collect();
    v.sort();
    v
}

fn assert_parses(src: &str) {
    let d = diagnostics(src);
    assert!(d.is_empty(), "unexpected diagnostics for {src:?}: {d:#?}");
}

#[test]
fn accepts_the_whole_expression_grammar() {
    for src in [
        "тағ а = 1 + 2 * 3 - (4 - 5) / 6 % 7 ** 2 ** 3;",
        "а ??= б ?? в; а ||= б || в; а &&= б && в;",
        "о?.б?.[в]?.(г); ф?.();",
        "тағ х = а ? б : в ? г : д;",
        "тағ [а, , б = 2, ...в] = х; ({а, б: {в}, ...г} = х);",
        "[а, б] = [б, а];",
        "тағ ф = ҳамзамон (х, у = 1, ...з) => { бозгашт интизор х; };",
        "тағ ф = ҳамзамон х => х; тағ г = <Т>(х: Т): Т => х;",
        "тағ о = { а, б: 1, [в]: 2, 'г д': 3, 4: 5, усул() {}, гир х() { бозгашт 1; }, гузор х(в) {}, ...з, ҳамзамон ф() {}, *ген() {} };",
        "навъи х; нобуд о.п; х намунаи Хато; 'а' дар о;",
        "ф<рақам>(1); а < б && в > (г);",
        "тағ т = `а${б}${в}г${`д${е}`}`; тег`х${1}`;",
        "тағ р = /аб[/]+/gi.test(с);",
        "тағ б = 10n ** 2n; тағ ҳ = 0xFF_FF;",
        "х!.у; тағ з = х чун сатр;",
        "функсия* г() { ҳосил 1; ҳосил* г(); }",
        "тағ к = синф мерос Асос { #х = 1; статикӣ { } гир у() { бозгашт ин.#х; } };",
        "нав Модул.Синф(1); нав Сана; нав.target;",
    ] {
        assert_parses(src);
    }
}

#[test]
fn accepts_statements_and_declarations() {
    for src in [
        "агар (а)\n{\n}\nвагарна агар (б) х(); вагарна { }",
        "барои (тағ и = 0, ҷ = 1; и < 10; и++) {} барои (собит к дар о) {} барои (собит [к, қ] аз м) {} барои (х аз м) {}",
        "берун: барои (;;) { дарун: то (дуруст) { давом берун; шикастан дарун; } }",
        "иҷро { х++; } то (х < 10);",
        "кӯшиш { } гирифтан { } кӯшиш {} гирифтан (х) {} ниҳоят {}",
        "интихоб (х) { ҳолат 1: ҳолат 2: шикастан; пешфарз: х(); }",
        "мавҳум синф Ш<Т> мерос А<Т> татбиқ И, Ҷ { хосусӣ ном: сатр; статикӣ ш = 0; мавҳум м(): рақам; конструктор(ҷамъиятӣ х: рақам) { супер(); } ҳамзамон а() {} }",
        "интерфейс И<Т> мерос А, Б { ном: сатр; синну?: рақам; танҳохонӣ р: Т[]; [к: сатр]: ҳар; м(х: рақам): беҷавоб }",
        "навъ Ф = (а: рақам) => сатр; навъ К<Т> = Т мерос сатр ? 'а' : Т[][]; навъ М = { [К дар калидҳои Т]?: Т[К] };",
        "навъ Ж = | 'а' | 'б'; навъ Н = Map<сатр, Map<сатр, рақам>>; навъ Т = [а: рақам, б?: сатр, ...в: рақам[]];",
        "номгӯ Ранг { Сурх, Сабз = 5, 'Кабуд' } собит номгӯ Р { А = 1 }",
        "номфазо А.Б { содир функсия ф() {} содир собит к = 1; }",
        "ворид п, { а, б чун в } аз './м'; ворид * чун Н аз 'fs'; ворид './х'; ворид навъ { Т } аз './т';",
        "содир { а, б чун в }; содир * аз './м'; содир * чун Н аз './н'; содир пешфарз функсия () {} ",
        "содир пешфарз 1 + 2; содир ҳамзамон функсия ф() {} содир мавҳум синф А {}",
        "тағ а, б, в; а = б = в = 7;",
    ] {
        assert_parses(src);
    }
}

#[test]
fn newlines_follow_javascript_asi() {
    assert_parses("тағ а = 1\nтағ б = а\n+ 2\nчоп.сабт(а)\n");
    // `бозгашт` followed by a line break returns nothing.
    let r = parse("функсия ф() {\n бозгашт\n 1\n}");
    assert!(r.diagnostics.is_empty());
    assert_eq!(
        diagnostics("тағ х = 5 тағ у = 6;"),
        ["SYNTAX 1:11 expected `;` or a line break before this statement"]
    );
}

#[test]
fn reports_errors_where_the_corpus_expects_them() {
    let d = diagnostics("тағ н = 100;\nтағ а = н * ;\nтағ = 7;\nтағ б = ф(1, , 2);\nсобит р = [1, 2, 3;\nтағ в = 1 тағ г = 2;\n");
    let positions: Vec<String> = d
        .iter()
        .map(|s| s.split(' ').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        positions,
        [
            "SYNTAX 2:13",
            "SYNTAX 3:5",
            "SYNTAX 4:14",
            "SYNTAX 5:19",
            "SYNTAX 6:11"
        ]
    );
}

#[test]
fn reserved_words_are_reported_once_and_used_as_names() {
    let d = diagnostics("функсия барои() {}\nтағ агар = 1;");
    assert_eq!(d.len(), 2, "{d:#?}");
}

#[test]
fn deep_nesting_is_a_depth_diagnostic() {
    for (open, close) in [("(", ")"), ("[", "]"), ("{", "}")] {
        let prefix = if open == "{" { "" } else { "тағ х = " };
        let src = format!("{prefix}{}1{}", open.repeat(10_000), close.repeat(10_000));
        let d = diagnostics(&src);
        assert!(
            !d.is_empty() && d.iter().all(|s| s.starts_with("DEPTH 1:")),
            "{open}: {d:?}"
        );
    }
}

#[test]
fn array_type_suffixes_count_as_nesting() {
    let deep = format!("тағ х: рақам{} = [];", "[]".repeat(10_000));
    let d = diagnostics(&deep);
    assert!(
        !d.is_empty() && d.iter().all(|s| s.starts_with("DEPTH 1:")),
        "{d:?}"
    );
    assert!(diagnostics(&format!("тағ х: рақам{} = [];", "[]".repeat(50))).is_empty());
}

#[test]
fn never_panics_on_truncated_input() {
    let src = "синф А мерос Б { конструктор(х: рақам) { супер(х); } гир а(): сатр { бозгашт `${ин.х}`; } }\nтағ ф = ҳамзамон ({а, б}: Т = {}) => [а, ...б];";
    for end in 0..=src.len() {
        if src.is_char_boundary(end) {
            let _ = parse(&src[..end]);
        }
    }
}

#[test]
fn binary_precedence_and_associativity() {
    use crate::ast::{BinaryOp, Expr, Stmt};
    let shape = |src: &str| -> String {
        fn show(e: &Expr) -> String {
            match e {
                Expr::Binary {
                    op, left, right, ..
                } => format!("({} {:?} {})", show(left), op, show(right)),
                Expr::Num(n, _) => n.to_string(),
                _ => "?".into(),
            }
        }
        match parse(src).program.body.first() {
            Some(Stmt::Expr(e, _)) => show(e),
            _ => String::new(),
        }
    };
    let _ = BinaryOp::Add;
    assert_eq!(shape("1 + 2 * 3;"), "(1 Add (2 Mul 3))");
    assert_eq!(shape("1 - 2 - 3;"), "((1 Sub 2) Sub 3)");
    assert_eq!(shape("2 ** 3 ** 2;"), "(2 Exp (3 Exp 2))");
    assert_eq!(shape("1 | 2 ^ 3 & 4;"), "(1 BitOr (2 BitXor (3 BitAnd 4)))");
    assert_eq!(shape("1 < 2 == 3 > 4;"), "((1 Lt 2) EqEq (3 Gt 4))");
}

#[test]
fn latin_lookalikes_get_a_hint() {
    use somon_diagnostics::Message;
    // `тaғ` is written with a Latin `a`.
    let r = parse("тaғ х = 1;");
    let note = r.diagnostics.first().and_then(|d| d.notes.first()).cloned();
    assert_eq!(
        note,
        Some(Message::LatinLookalike {
            latin: 'a',
            cyrillic: 'а'
        })
    );
    assert_eq!(super::latin_lookalike("xml"), None);
    assert_eq!(super::latin_lookalike("чоп"), None);
}

#[test]
fn stray_lookalikes_in_names() {
    use super::stray_lookalike;
    assert_eq!(stray_lookalike("нaрх"), Some(('a', 'а')));
    assert_eq!(stray_lookalike("хa"), Some(('a', 'а')));
    assert_eq!(stray_lookalike("м\u{4f}л"), Some(('O', 'О')));
    assert_eq!(stray_lookalike("форматиHTML"), None);
    assert_eq!(stray_lookalike("нуқтаX"), None);
    assert_eq!(stray_lookalike("api_калид"), None);
    assert_eq!(stray_lookalike("name"), None);
    assert_eq!(stray_lookalike("нарх"), None);
}

/// JavaScript refuses a lexical declaration as the whole body of `if`, a
/// loop or a label (the output would not load); a block, a function and an
/// expression statement are fine there.
#[test]
fn a_declaration_as_a_whole_body_needs_a_block() {
    let d = diagnostics(
        "агар (х) тағ а = 1;\nвагарна собит б = 2;\nто (х) синф В {}\nбарои (тағ и = 0; и < 1; и++) тағ г = и;\nнишона: синф Д {}\n",
    );
    assert_eq!(
        d,
        [
            "SYNTAX 1:10 a `тағ` declaration cannot be the whole body of `агар`, `вагарна`, a loop or a label: put it inside `{ … }`",
            "SYNTAX 2:9 a `собит` declaration cannot be the whole body of `агар`, `вагарна`, a loop or a label: put it inside `{ … }`",
            "SYNTAX 3:13 a `синф` declaration cannot be the whole body of `агар`, `вагарна`, a loop or a label: put it inside `{ … }`",
            "SYNTAX 4:31 a `тағ` declaration cannot be the whole body of `агар`, `вагарна`, a loop or a label: put it inside `{ … }`",
            "SYNTAX 5:14 a `синф` declaration cannot be the whole body of `агар`, `вагарна`, a loop or a label: put it inside `{ … }`",
        ]
    );
    assert_parses("агар (х) { тағ а = 1; }\nто (х) х = х - 1;\nагар (х) функсия ф() {}\n");
}

/// Runs longer than the tokens the parser holds ahead, read in chunks:
/// every loop that steps over tokens must read on (a step that did not
/// would see the end of the file too early; debug builds also assert it).
#[test]
fn long_runs_read_in_chunks_parse_as_a_whole() {
    let n = 3 * super::LOOKAHEAD;
    let commas = ",".repeat(n);
    let ones = "1,".repeat(n);
    for src in [
        format!("тағ [{commas}] = [];\nтағ б = 1;\n"),
        format!("тағ а = [{commas}];\nтағ б = 1;\n"),
        format!("тағ о = {{{commas}}};\nтағ б = 1;\n"),
        format!("ф({ones});\nтағ б = 1;\n"),
        format!("тағ а = `{}`;\n", "${1}".repeat(n)),
        format!("{}тағ б = 1;\n", ";".repeat(n)),
        format!("тағ а = 1 {}\nтағ б = 1;\n", ") ".repeat(n)),
    ] {
        for chunk in [7, 4096] {
            if let Some(difference) = super::chunked_parse_difference(&src, chunk) {
                panic!(
                    "{}…: {difference}",
                    src.chars().take(30).collect::<String>()
                );
            }
        }
    }
    let pattern = format!("тағ [{commas}] = [];\n");
    assert_parses(&pattern);
}

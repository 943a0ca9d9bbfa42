//! Checker tests: `CODE line:column` of every diagnostic for a snippet.

use somon_diagnostics::LineIndex;

fn codes(src: &str) -> Vec<String> {
    let parsed = somon_syntax::parse(src);
    assert!(
        parsed.diagnostics.is_empty(),
        "syntax errors in test input: {:?}",
        parsed.diagnostics
    );
    let idx = LineIndex::new(src);
    super::check(&parsed.program)
        .iter()
        .map(|d| {
            let lc = idx.line_col(src, d.span.lo);
            format!("{} {}:{}", d.code(), lc.line, lc.column)
        })
        .collect()
}

#[test]
fn initializers_in_deep_positions() {
    let src = "функсия ф() {\n  агар (дуруст) {\n    барои (;;) {\n      собит х: рақам = \"як\";\n      шикастан;\n    }\n  }\n}\n";
    assert_eq!(codes(src), ["TYPE_NOT_ASSIGNABLE 4:7"]);
}

#[test]
fn undefined_names_in_every_position() {
    let src = "агар (а > 1) {}\nфунксия ф() { бозгашт б * 2; }\nтағ в = `${г}`;\nтағ о = { д };\nсобит т = () => е;\n";
    assert_eq!(
        codes(src),
        [
            "UNDEFINED_IDENTIFIER 1:7",
            "UNDEFINED_IDENTIFIER 2:23",
            "UNDEFINED_IDENTIFIER 3:12",
            "UNDEFINED_IDENTIFIER 4:11",
            "UNDEFINED_IDENTIFIER 5:17"
        ]
    );
}

#[test]
fn globals_hoisting_and_scopes_are_known() {
    let src = "setTimeout(() => ф(), 1);\nфунксия ф() { бозгашт process.argv.length + Риёзӣ.PI; }\nсинф А мерос Хато {}\nкӯшиш { } гирифтан (х) { чоп.сабт(х); }\nтағ рӯйхат = [1];\nчоп.сабт(рӯйхат, require, Buffer, fetch, globalThis);\n";
    assert_eq!(codes(src), Vec::<String>::new());
}

#[test]
fn arguments_count_and_types() {
    let src = "функсия ҷамъ(а: рақам, б?: рақам): рақам { бозгашт а; }\nҷамъ();\nҷамъ(1, 2, 3);\nҷамъ(\"1\");\nҷамъ(1, 2);\n";
    assert_eq!(
        codes(src),
        [
            "ARGUMENT_COUNT_MISMATCH 2:1",
            "ARGUMENT_COUNT_MISMATCH 3:1",
            "ARGUMENT_TYPE_MISMATCH 4:6"
        ]
    );
}

#[test]
fn method_calls_point_at_the_method_name() {
    let src = "синф К { усул(х: рақам) {} }\nнав К().усул();\n";
    assert_eq!(codes(src), ["ARGUMENT_COUNT_MISMATCH 2:9"]);
}

#[test]
fn class_hierarchy_checks() {
    let src = "интерфейс И {}\nсинф А мерос И {}\nсинф Б мерос Нест {}\nсинф В мерос В {}\nсинф Г {}\nсинф Д мерос Г {}\nсинф Е мерос Д {}\n";
    assert_eq!(
        codes(src),
        [
            "INVALID_EXTENDS 2:1",
            "CLASS_NOT_FOUND 3:1",
            "CIRCULAR_INHERITANCE 4:1"
        ]
    );
}

#[test]
fn returns_and_assignments_are_checked() {
    let src = "функсия ф(): рақам {\n  бозгашт \"не\";\n}\nтағ х: сатр = \"а\";\nх = 5;\n";
    assert_eq!(
        codes(src),
        ["TYPE_NOT_ASSIGNABLE 2:11", "TYPE_NOT_ASSIGNABLE 5:5"]
    );
}

#[test]
fn object_literals_against_interfaces() {
    let src =
        "интерфейс Н { х: рақам; у?: рақам; }\nсобит а: Н = { х: 1 };\nсобит б: Н = { у: 1 };\n";
    assert_eq!(codes(src), ["TYPE_NOT_ASSIGNABLE 3:1"]);
}

#[test]
fn a_misspelled_name_gets_a_suggestion() {
    let parsed = somon_syntax::parse("тағ нарх = 1;\nчоп.сабт(нарҳ);");
    let d = super::check(&parsed.program);
    assert_eq!(
        d.first().and_then(|d| d.suggestion.clone()),
        Some(somon_diagnostics::Message::DidYouMean {
            name: "нарх".into()
        })
    );
}

#[test]
fn property_excess_abstract_and_callable_checks() {
    let src = "интерфейс Н { х: рақам; }\nсобит а: Н = { х: 1, у: 2 };\nчоп.сабт(а.з);\nмавҳум синф Ш {}\nнав Ш();\nсобит р = 5;\nр();\n";
    assert_eq!(
        codes(src),
        [
            "EXCESS_PROPERTY 2:22",
            "PROPERTY_NOT_FOUND 3:12",
            "ABSTRACT_INSTANTIATION 5:1",
            "NOT_CALLABLE 7:1"
        ]
    );
}

/// Every check, hit deep inside nested functions, classes, arrows, loops
/// and conditions.
#[test]
fn every_check_in_a_deep_position() {
    let src = "\
интерфейс Н { х: рақам; }
мавҳум синф Ш {}
функсия ф(а: рақам): рақам { бозгашт а; }
синф К {
  усул() {
    барои (собит и аз [1]) {
      агар (и > 0) {
        собит т = () => {
          тағ б: сатр = 1;
          ф(\"2\");
          ф();
          б = 3;
          чоп.сабт(нест, а2);
          собит н: Н = { х: 1, з: 2 };
          чоп.сабт(н.у);
          нав Ш();
          собит р = 1;
          р();
          синф Л мерос Нест {}
          бозгашт `${и}`;
        };
        т();
      }
    }
  }
}
";
    assert_eq!(
        codes(src),
        [
            "TYPE_NOT_ASSIGNABLE 9:11",
            "ARGUMENT_TYPE_MISMATCH 10:13",
            "ARGUMENT_COUNT_MISMATCH 11:11",
            "TYPE_NOT_ASSIGNABLE 12:15",
            "UNDEFINED_IDENTIFIER 13:20",
            "UNDEFINED_IDENTIFIER 13:26",
            "EXCESS_PROPERTY 14:32",
            "PROPERTY_NOT_FOUND 15:22",
            "ABSTRACT_INSTANTIATION 16:11",
            "NOT_CALLABLE 18:11",
            "CLASS_NOT_FOUND 19:11",
        ]
    );
}

#[test]
fn tuples_and_arrays() {
    let src = "собит т: [рақам, сатр] = [1, \"а\", 2];\nсобит м: рақам[] = [1, \"а\"];\nсобит н: рақам[] = [];\n";
    assert_eq!(
        codes(src),
        ["TYPE_NOT_ASSIGNABLE 1:1", "TYPE_NOT_ASSIGNABLE 2:1"]
    );
}

#[test]
fn narrowing_by_control_flow() {
    // Each of these is correct TypeScript-style code.
    let src = r#"интерфейс Корбар { ном: сатр; синну: рақам; }
функсия синнуи(к: Корбар | холӣ): рақам {
  агар (к === холӣ) бозгашт -1;
  бозгашт к.синну;
}
функсия ҷамъ(р: (рақам | холӣ)[]): рақам {
  тағ с = 0;
  барои (собит х аз р) {
    агар (х === холӣ) давом;
    с += х;
  }
  бозгашт с;
}
функсия матн(қ: сатр | рақам): сатр {
  агар (навъи қ === "string") {
    бозгашт қ;
  }
  бозгашт қ.toFixed(2);
}
функсия дароз(с: сатр | беқимат): рақам {
  агар (с == холӣ) {
    бозгашт 0;
  } вагарна {
    бозгашт с.length;
  }
}
навъ Шакл = { навъ: "доира"; радиус: рақам } | { навъ: "мураббаъ"; тараф: рақам };
функсия масоҳат(ш: Шакл): рақам {
  интихоб (ш.навъ) {
    ҳолат "доира":
      бозгашт ш.радиус * ш.радиус * 3;
    ҳолат "мураббаъ":
      бозгашт ш.тараф * ш.тараф;
    пешфарз:
      собит ҳеҷ: абадан = ш;
      бозгашт ҳеҷ;
  }
}
функсия номи(х: сатр | рақам[] | холӣ): рақам {
  агар (!х) бозгашт 0;
  агар (Array.isArray(х)) { собит р: рақам[] = х; бозгашт р.length; }
  собит с: сатр = х;
  бозгашт с.length;
}
функсия ф(а: сатр | холӣ, б: рақам | беқимат): сатр {
  собит в: сатр = а ?? "";
  собит г: рақам = б || 0;
  собит д: сатр = а !== холӣ ? а : "х";
  собит е: мантиқӣ = а !== холӣ && а.length > 0;
  тағ ж: сатр | холӣ = холӣ;
  ж = "а";
  собит з: сатр = ж;
  бозгашт в + г + д + е + з;
}
"#;
    assert_eq!(codes(src), Vec::<String>::new());
}

#[test]
fn narrowing_still_finds_mistakes() {
    let src = r#"функсия ф(а: сатр | холӣ): сатр {
  агар (а === холӣ) {
    собит б: сатр = а;
  }
  бозгашт а;
}
"#;
    assert_eq!(
        codes(src),
        ["TYPE_NOT_ASSIGNABLE 3:5", "TYPE_NOT_ASSIGNABLE 5:11"]
    );
}

#[test]
fn inference_of_operators_loops_and_callbacks() {
    let src = r#"тағ х: ҳар = 1;
собит с: сатр = х * 2;
функсия дучанд(н: рақам): рақам { бозгашт н * 2; }
собит о = { а: 1 };
барои (собит калид дар о) { дучанд(калид); }
[1, 2].forEach((н) => { собит т: сатр = н; });
собит ҳ: сатр[] = [1, 2].map((н) => н * 2);
интерфейс Донишҷӯ { ном: сатр; }
тағ б: Донишҷӯ = "нест";
"#;
    assert_eq!(
        codes(src),
        [
            "TYPE_NOT_ASSIGNABLE 2:1",
            "ARGUMENT_TYPE_MISMATCH 5:36",
            "TYPE_NOT_ASSIGNABLE 6:25",
            "TYPE_NOT_ASSIGNABLE 7:1",
            "TYPE_NOT_ASSIGNABLE 9:1"
        ]
    );
}

#[test]
fn duplicates_and_constant_assignments() {
    let src = "тағ а = 1;\nтағ а = 2;\nсобит б = 1;\nб = 2;\nфунксия ф() {}\nфунксия ф() {}\nномгӯ Р { А }\nР.А = 3;\nб++;\n";
    assert_eq!(
        codes(src),
        [
            "DUPLICATE_DECLARATION 2:5",
            "CONST_ASSIGNMENT 4:1",
            "CONST_ASSIGNMENT 8:1",
            "CONST_ASSIGNMENT 9:1"
        ]
    );
}

/// Byte offset of the `n`th occurrence (0-based) of `needle`.
fn offset_of(src: &str, needle: &str, n: usize) -> u32 {
    src.match_indices(needle)
        .nth(n)
        .map(|(i, _)| i as u32)
        .unwrap_or(u32::MAX)
}

fn type_at(m: &super::SemanticModel, offset: u32) -> String {
    m.type_at(offset).map(|t| m.display(t)).unwrap_or_default()
}

fn model_of(src: &str) -> super::SemanticModel {
    let parsed = somon_syntax::parse(src);
    super::check_module(
        &parsed.program,
        &super::NoImports,
        super::CheckOptions { record_model: true },
    )
    .model
}

#[test]
fn the_model_answers_definition_references_and_types() {
    let src = "функсия ҷамъ(а: рақам, б: рақам): рақам {\n  бозгашт а + б;\n}\nсобит натиҷа = ҷамъ(1, 2);\nчоп.сабт(натиҷа, ҷамъ(3, 4));\n";
    let m = model_of(src);
    // Definition: the use of `ҷамъ` on line 4 leads to its declaration.
    let use_at = offset_of(src, "ҷамъ", 1);
    let decl = m.definition(use_at);
    assert_eq!(
        decl.map(|d| (d.lo, d.hi)),
        Some((offset_of(src, "ҷамъ", 0), offset_of(src, "(а:", 0)))
    );
    // References: both calls, in source order.
    let sym = m.symbol_at(use_at).unwrap_or(u32::MAX);
    let refs: Vec<u32> = m.references_to(sym).iter().map(|s| s.lo).collect();
    assert_eq!(refs, [offset_of(src, "ҷамъ", 1), offset_of(src, "ҷамъ", 2)]);
    // Types: of the function, of a parameter use, of the inferred constant.
    assert_eq!(
        type_at(&m, offset_of(src, "ҷамъ", 0)),
        "(а: рақам, б: рақам) => рақам"
    );
    assert_eq!(type_at(&m, offset_of(src, "а + б", 0)), "рақам");
    assert_eq!(type_at(&m, offset_of(src, "натиҷа", 1)), "рақам");
    // What is visible inside the function: its parameters and the
    // top-level names.
    let names: Vec<&str> = m
        .visible_at(offset_of(src, "а + б", 0))
        .into_iter()
        .filter_map(|id| m.symbol(id).map(|s| &*s.name))
        .collect();
    for expected in ["а", "б", "ҷамъ", "натиҷа"] {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
}

#[test]
fn the_model_sees_narrowed_types_and_shadowing() {
    let src = "функсия ф(х: сатр | холӣ): рақам {\n  агар (х === холӣ) бозгашт 0;\n  бозгашт х.length;\n}\nтағ х = 1;\n";
    let m = model_of(src);
    assert_eq!(type_at(&m, offset_of(src, "х.length", 0)), "сатр");
    // The top-level `х` is another symbol than the parameter.
    let param = m.symbol_at(offset_of(src, "х:", 0));
    let top = m.symbol_at(offset_of(src, "х = 1", 0));
    assert!(param.is_some() && top.is_some() && param != top);
    let refs = m.references_to(param.unwrap_or_default());
    assert_eq!(refs.len(), 2);
}

/// A chain of members (or of binary operators) is as deep as it is long,
/// with no nesting limit: the check runs on a small stack (N-API's
/// `compile()` checks on the calling JavaScript thread) and in time linear
/// in the chain (each member's narrowing key is looked up only so far).
/// The trees are made and freed on a large stack, as the pipeline does.
#[test]
fn long_chains_check_on_a_small_stack() {
    let big_stack = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(|| {
            let sum = format!("1{}", " + 1".repeat(40_000));
            let members = "!.в".repeat(40_000);
            for src in [
                format!("тағ а: ҳар = {{}};\nтағ б = а{};\n", "?.в".repeat(40_000)),
                format!("тағ с = {sum};\n"),
                // A case test, a case body and an assignment target are
                // narrowed without copying them.
                format!("тағ а: ҳар = 1;\nинтихоб (а) {{ ҳолат {sum}: а = {sum}; }}\n"),
                format!("тағ а: ҳар = {{}};\nа{members} = 1;\nа{members}++;\n"),
            ] {
                let parsed = somon_syntax::parse(&src);
                assert!(parsed.diagnostics.is_empty());
                let program = &parsed.program;
                let found = std::thread::scope(|scope| {
                    std::thread::Builder::new()
                        .stack_size(512 * 1024)
                        .spawn_scoped(scope, || super::check(program).len())
                        .map(|t| t.join())
                });
                assert!(matches!(found, Ok(Ok(0))), "{}", &src[..20]);
            }
        })
        .map(|t| t.join());
    assert!(matches!(big_stack, Ok(Ok(()))));
}

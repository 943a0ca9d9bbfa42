//! Many functions declaring the same name (issue 17: renaming was
//! quadratic): the output keeps every binding apart where it must — nested
//! shadowing, closures, names used by inner functions, a top-level name
//! of the same spelling — and runs to the same result. Executed under Node.

use somon_compiler::{compile, CompileOptions};

fn run(code: &str) -> Option<String> {
    let dir = std::env::temp_dir().join(format!("somon-shared-names-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let file = dir.join("out.js");
    std::fs::write(&file, code).ok()?;
    let out = std::process::Command::new("node").arg(&file).output();
    let _ = std::fs::remove_dir_all(&dir);
    let out = out.ok()?;
    assert!(
        out.status.success(),
        "node failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn functions_sharing_a_parameter_name_keep_their_meaning() {
    let mut source = String::from("тағ а = 1000;\n");
    for i in 0..2_000 {
        source.push_str(&format!("функсия ф{i}(а) {{ бозгашт а + {i}; }}\n"));
    }
    source.push_str(
        "функсия берун(а) {
  функсия дарун(б) { бозгашт а + б; }
  тағ г = (а) => а * 2;
  { тағ а = 7; чоп.сабт(а); }
  бозгашт дарун(г(а));
}
функсия соя(а) { функсия ичк(а) { бозгашт а + 1; } бозгашт ичк(а) + а; }
чоп.сабт(ф0(1), ф1999(1), берун(3), соя(10), а);
",
    );
    let out = compile(&source, &CompileOptions::default());
    assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    let code = out.code.unwrap_or_default();
    // ф0(1) = 1, ф1999(1) = 2000, берун(3): 7 then 3 + 6 = 9, соя(10) = 21.
    if let Some(printed) = run(&code) {
        assert_eq!(printed, "7\n1 2000 9 21 1000\n");
    }
}

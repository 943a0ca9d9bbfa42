//! A large module (at least `somon_emit::LARGE_INPUT_BYTES` of text) is
//! type-checked beside its lowering and emission, and so is every module
//! compiled with a `CheckRunner` (N-API's `compile()`: the check runs on
//! the calling thread): the result must be exactly that of the sequential
//! pipeline — the same code, and no code with the same diagnostics when
//! the check finds an error.

use somon_compiler::{
    analyze_parsed, check, compile, compile_with_runner, CheckRunner, CompileOptions, NoImports,
    CONCURRENT_CHECK_STAGE, LEX_BESIDE_STAGE,
};
use std::sync::mpsc::{channel, Sender};
use std::sync::Mutex;

/// Runs each job on a thread of its own, as the calling thread of N-API's
/// `compile()` does; counts them.
struct OtherThread {
    started: Mutex<Vec<std::thread::JoinHandle<()>>>,
}

impl OtherThread {
    fn new() -> Self {
        OtherThread {
            started: Mutex::new(Vec::new()),
        }
    }
    fn jobs(&self) -> usize {
        self.started.lock().map_or(0, |s| s.len())
    }
}

impl CheckRunner for OtherThread {
    fn start(&self, job: Box<dyn FnOnce() + Send>) -> Result<(), Box<dyn FnOnce() + Send>> {
        // A small stack: the checker grows its own where it recurses.
        let handle = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(job)
            .map_err(|_| -> Box<dyn FnOnce() + Send> { Box::new(|| {}) })?;
        if let Ok(mut started) = self.started.lock() {
            started.push(handle);
        }
        Ok(())
    }
}

/// Refuses every job: the check then runs on the pipeline's thread.
struct Refusing(Sender<()>);

impl CheckRunner for Refusing {
    fn start(&self, job: Box<dyn FnOnce() + Send>) -> Result<(), Box<dyn FnOnce() + Send>> {
        let _ = self.0.send(());
        Err(job)
    }
}

/// A program of `units` classes and uses, each unit about 120 bytes.
fn program(units: usize) -> String {
    let mut s = String::new();
    for i in 0..units {
        s.push_str(&format!(
            "синф Нуқта{i} {{\n  x: рақам = {i};\n}}\nтағ н{i} = нав Нуқта{i}();\nчоп.сабт(н{i}?.x ?? 0);\n"
        ));
    }
    s
}

fn large_program() -> String {
    let mut units = 1;
    while program(units).len() < somon_emit::LARGE_INPUT_BYTES {
        units *= 2;
    }
    program(units)
}

fn stage_names(options: &CompileOptions, source: &str) -> Vec<&'static str> {
    compile(source, options)
        .timings
        .iter()
        .map(|(name, _)| *name)
        .collect()
}

#[test]
fn a_large_clean_module_gets_the_code_of_the_unchecked_pipeline() {
    let source = large_program();
    let checked = compile(&source, &CompileOptions::default());
    let unchecked = compile(
        &source,
        &CompileOptions {
            type_check: false,
            ..Default::default()
        },
    );
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
    assert!(checked.code.is_some());
    assert_eq!(checked.code, unchecked.code);
}

#[test]
fn a_type_error_in_a_large_module_means_no_code_and_the_checks_diagnostics() {
    let mut source = large_program();
    source.push_str("собит хато: рақам = \"матн\";\n");
    let out = compile(&source, &CompileOptions::default());
    assert_eq!(out.code, None);
    assert!(out.has_errors());
    assert_eq!(out.diagnostics, check(&source, &CompileOptions::default()));
}

#[test]
fn the_timings_name_the_check_that_ran_beside_emission_only_for_a_large_module() {
    let options = CompileOptions {
        timings: true,
        ..Default::default()
    };
    let large = stage_names(&options, &large_program());
    assert_eq!(
        large.iter().take(4).copied().collect::<Vec<_>>(),
        [
            LEX_BESIDE_STAGE,
            "parse",
            CONCURRENT_CHECK_STAGE,
            "type-only imports"
        ]
    );
    assert!(large.contains(&"wait for bind + check"));
    assert!(!large.contains(&"bind + check"));
    let small = stage_names(&options, &program(3));
    assert_eq!(small.get(..2), Some(&["lex", "parse"][..]));
    assert!(small.contains(&"bind + check"));
    assert!(!small.contains(&CONCURRENT_CHECK_STAGE));
}

/// A large module is lexed on a thread of its own while it is parsed: its
/// syntax errors, the lexer's and the parser's, near its start, in its
/// middle and at its end, are exactly those of parsing it after lexing
/// it all first.
#[test]
fn a_large_module_lexed_beside_its_parse_has_the_same_diagnostics() {
    let units = large_program();
    // The start of the line after the middle byte.
    let middle = units
        .char_indices()
        .find(|&(i, c)| i >= units.len() / 2 && c == '\n')
        .map_or(units.len(), |(i, _)| i + 1);
    assert!(middle < units.len());
    let source = format!(
        "тағ а = 'бе охир\n{}тағ б = `${{ 1 +\n;\nтағ в = \"\\x\";\n{}собит = ;\n/* бе охир",
        &units[..middle],
        &units[middle..],
    );
    let options = CompileOptions::default();
    let out = compile(&source, &options);
    assert_eq!(out.code, None);
    let index = somon_diagnostics::LineIndex::new(&source);
    let lexed_first = somon_syntax::parse_lexed(&source, somon_syntax::lexer::tokenize(&source));
    let expected: Vec<_> = analyze_parsed(lexed_first, &options, &NoImports, Vec::new())
        .diagnostics
        .iter()
        .map(|d| d.resolve(&options.file_name, &index, &source, options.lang))
        .collect();
    assert!(expected.len() >= 4, "{expected:?}");
    assert_eq!(out.diagnostics, expected);
}

/// A long run the parser steps over without a nested call (140,000 holes
/// in an array pattern: more tokens than it holds ahead) is read on as
/// the lexer hands it over: a valid program, not "expected `]`".
#[test]
fn a_large_module_of_one_long_pattern_compiles() {
    let source = format!("тағ [{}а] = [1];\nчоп.сабт(а);\n", ",".repeat(140_000));
    assert!(source.len() >= somon_emit::LARGE_INPUT_BYTES);
    let out = compile(&source, &CompileOptions::default());
    assert!(!out.has_errors(), "{:?}", out.diagnostics);
    assert!(out
        .code
        .is_some_and(|code| code.contains("чоп") || code.contains("console")));
}

#[test]
fn a_runner_checks_small_modules_beside_emission_with_the_same_results() {
    let clean = program(3);
    let with_error = format!("{clean}собит хато: рақам = \"матн\";\n");
    let syntax_error = format!("{clean}тағ = ;\n");
    let unchecked = CompileOptions {
        type_check: false,
        ..Default::default()
    };
    for (source, options) in [
        (&clean, CompileOptions::default()),
        (&with_error, CompileOptions::default()),
        (&syntax_error, CompileOptions::default()),
        (&with_error, unchecked.clone()),
        (&large_program(), CompileOptions::default()),
    ] {
        let runner = OtherThread::new();
        let through = compile_with_runner(source, &options, &runner);
        assert_eq!(through, compile(source, &options));
        // Only a clean module that is type-checked gives the runner a job.
        let expected = usize::from(options.type_check && source != &syntax_error);
        assert_eq!(runner.jobs(), expected, "{}", &source[source.len() - 40..]);
        let (sent, refused) = channel();
        let here = compile_with_runner(source, &options, &Refusing(sent));
        assert_eq!(here, through);
        assert_eq!(refused.try_iter().count(), expected);
    }
}

#[test]
fn with_a_runner_the_timings_name_the_concurrent_check() {
    let options = CompileOptions {
        timings: true,
        ..Default::default()
    };
    let names: Vec<&str> = compile_with_runner(program(3), &options, &OtherThread::new())
        .timings
        .iter()
        .map(|(name, _)| *name)
        .collect();
    assert_eq!(
        names.iter().take(3).copied().collect::<Vec<_>>(),
        ["lex", "parse", CONCURRENT_CHECK_STAGE]
    );
    assert!(!names.contains(&"bind + check"));
}

/// `1+1+…+1` nests the tree one level per operator: a large module of it
/// is freed on a thread whose stack is sized for that (the check's share
/// is handed back to be freed there too), not on a default-sized one.
#[test]
fn a_large_module_of_one_long_chain_compiles_and_is_freed() {
    let source = format!("тағ а = 1{};\nчоп.сабт(а);\n", "+1".repeat(70_000));
    assert!(source.len() >= somon_emit::LARGE_INPUT_BYTES);
    for _ in 0..2 {
        let out = compile(&source, &CompileOptions::default());
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        assert!(out.code.is_some_and(|c| c.contains("1 + 1")));
    }
    // The background frees finish before the process ends.
    std::thread::sleep(std::time::Duration::from_millis(300));
}

/// Loses every job (a runner whose thread is gone): the compile panics
/// (the N-API boundary turns that into a JavaScript error) and never
/// waits forever.
struct Losing;

impl CheckRunner for Losing {
    fn start(&self, job: Box<dyn FnOnce() + Send>) -> Result<(), Box<dyn FnOnce() + Send>> {
        drop(job);
        Ok(())
    }
}

#[test]
fn a_check_that_never_answers_is_a_panic_not_a_hang() {
    let out = std::panic::catch_unwind(|| {
        compile_with_runner(program(3), &CompileOptions::default(), &Losing)
    });
    assert!(out.is_err());
}

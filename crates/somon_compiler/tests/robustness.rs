//! "Never panic, never hang": deterministic fuzzing of `compile`.
//!
//! A small seeded PRNG generates three kinds of input: arbitrary bytes
//! (through `String::from_utf8_lossy`), random sequences of SomonScript
//! tokens, and mutations of real programs (the conformance corpus's `run/`
//! folder and this crate's fixtures). Each input is compiled under several
//! option sets; the only assertions are that `compile` returns, that an
//! output has code exactly when it has no error diagnostic, and that
//! parsing from tokens lexed in chunks gives what parsing does. Every file in
//! `tests/fuzz-regressions/` is compiled the same way.
//!
//! A failing input is shrunk and printed, and written to
//! `CARGO_TARGET_TMPDIR`; save it in `tests/fuzz-regressions/` (see the
//! README there). `SOMON_FUZZ_SEED` and `SOMON_FUZZ_ITERATIONS` run other
//! or longer campaigns locally (`SOMON_FUZZ_KEEP_GOING`, `SOMON_FUZZ_LOG`);
//! the defaults keep the test to a few seconds.

use somon_compiler::{compile, CompileOptions, CompileOutput, ModuleKind, SourceMapKind, Target};
use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

// ---------------------------------------------------------------------------
// PRNG

/// SplitMix64: tiny, fast and good enough to drive a fuzzer.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `1 / n`.
    fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

// ---------------------------------------------------------------------------
// Vocabulary

const KEYWORDS: &[&str] = &[
    "тағ",
    "тағйирёбанда",
    "собит",
    "функсия",
    "агар",
    "вагарна",
    "барои",
    "аз",
    "дар",
    "синф",
    "мерос",
    "нав",
    "ин",
    "бозгашт",
    "ҳамзамон",
    "интизор",
    "ворид",
    "содир",
    "пешфарз",
    "чун",
    "интерфейс",
    "навъ",
    "номгӯ",
    "номфазо",
    "то",
    "иҷро",
    "шикастан",
    "давом",
    "интихоб",
    "ҳолат",
    "кӯшиш",
    "гирифтан",
    "ниҳоят",
    "партофтан",
    "дуруст",
    "нодуруст",
    "холӣ",
    "беқимат",
    "навъи",
    "намунаи",
    "нобуд",
    "гир",
    "гузор",
    "статикӣ",
    "супер",
    "конструктор",
    "ҳосил",
    "татбиқ",
    "хосусӣ",
    "мавҳум",
    "танҳохонӣ",
    "калидҳои",
    "сатр",
    "рақам",
    "мантиқӣ",
    "ҳар",
    "ношинос",
    "абадан",
    "беҷавоб",
    "объект",
    "ваъда",
    "ТАҒ",
    "Функсия",
    "тaғ", // Latin `a`: a look-alike
];

const PUNCTUATION: &[&str] = &[
    "{", "}", "(", ")", "[", "]", ";", ",", ".", "...", "?.", "??", "??=", "=>", ":", "?", "+",
    "-", "*", "/", "%", "**", "++", "--", "<<", ">>", ">>>", "<", ">", "<=", ">=", "==", "!=",
    "===", "!==", "&", "|", "^", "!", "~", "&&", "||", "&&=", "||=", "=", "+=", "-=", "*=", "/=",
    "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=", "^=", "@", "#", "\\", "№", "§", "¤",
];

const IDENTIFIERS: &[&str] = &[
    "а",
    "б",
    "х",
    "ном",
    "чоп",
    "сабт",
    "рӯйхат",
    "Риёзӣ",
    "Хато",
    "Ваъда",
    "JSON",
    "сатрӣ",
    "дарозӣ",
    "харита",
    "баъд",
    "ҳама",
    "х1",
    "_а",
    "$б",
    "#хос",
    "Ҳисоб",
    "require",
    "module",
    "exports",
    "console",
    "process",
    "undefined",
    "eval",
    "arguments",
    "await",
    "yield",
    "target",
    "ҷамъ",
    "\u{200D}",
    "a\u{301}",
];

const NUMBERS: &[&str] = &[
    "0",
    "7",
    "42",
    "3.14",
    ".5",
    "5.",
    "0x1F",
    "0XfF",
    "0b101",
    "0B1",
    "0o17",
    "0O7",
    "1_000",
    "1_000_000.000_1",
    "1e3",
    "1E-7",
    "2e+10",
    "10n",
    "0xFFn",
    "0b1n",
    "007",
    "08",
    "010",
    "1__0",
    "1_",
    "0x",
    "0b2",
    "0o8",
    "1e",
    "1e+",
    "1n2",
    "9007199254740993n",
    "1.5n",
    "0.0e0",
];

const STRINGS: &[&str] = &[
    "\"салом\"",
    "'а'",
    "''",
    "\"\"",
    "'а\\'б'",
    "\"\\u0041\"",
    "\"\\u{1F600}\"",
    "\"\\u{110000}\"",
    "\"\\x4\"",
    "\"\\\n\"",
    "\"сатри\nнав\"",
    "\"бе охир",
    "'бе охир",
    "\"\\",
];

const TEMPLATES: &[&str] = &[
    "`",
    "`салом`",
    "`а${",
    "${",
    "}б`",
    "}`",
    "`${а}`",
    "`${`${х}`}`",
    "`\\``",
    "`\\${`",
    "`\\u{`",
    "сатр.хоми`\\n`",
];

const REGEXES: &[&str] = &[
    "/а+/g",
    "/[/]/",
    "/(?<н>\\d)/u",
    "/\\//",
    "/a/gimsuyd",
    "/[/",
    "/(/",
    "/a/zz",
    "/*/",
];

const TRIVIA: &[&str] = &[
    "\n",
    "\n",
    "\r\n",
    "\r",
    " ",
    "\t",
    "\u{2028}",
    "\u{FEFF}",
    "\u{A0}",
    "// шарҳ\n",
    "/* шарҳ */",
    "/* сатр\n сатр */",
    "/** ",
    "/*",
    "//",
    "#!/usr/bin/env somon\n",
    "\0",
];

fn random_token(rng: &mut Rng) -> &'static str {
    match rng.below(16) {
        0..=3 => rng.pick(KEYWORDS),
        4..=7 => rng.pick(PUNCTUATION),
        8..=9 => rng.pick(IDENTIFIERS),
        10 => rng.pick(NUMBERS),
        11 => rng.pick(STRINGS),
        12 => rng.pick(TEMPLATES),
        13 => rng.pick(REGEXES),
        _ => rng.pick(TRIVIA),
    }
}

// ---------------------------------------------------------------------------
// Generators

/// Arbitrary bytes, biased towards ASCII punctuation and Cyrillic UTF-8.
fn random_bytes(rng: &mut Rng) -> String {
    const INTERESTING: &[u8] = b"{}()[];,.`'\"/\\*+-=<>!?:$#@\n\r\t 0123456789xbonea_";
    let len = rng.below(160);
    let mut bytes = Vec::with_capacity(len);
    while bytes.len() < len {
        match rng.below(4) {
            0 => bytes.push(rng.next_u64() as u8),
            1 => bytes.push(rng.pick(INTERESTING)),
            2 => {
                // A Cyrillic letter (U+0400..U+04FF) as two bytes.
                let c = char::from_u32(0x400 + rng.below(0x100) as u32).unwrap_or('а');
                let mut buf = [0; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            _ => bytes.extend_from_slice(random_token(rng).as_bytes()),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// A random sequence of tokens; sometimes one token repeated many times
/// (deep nesting, long chains).
fn random_tokens(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.one_in(12) {
        let open = rng.pick(&["(", "[", "{", "-", "!", "а=>", "`${", "агар(1)", "нав "]);
        let n = 100 + rng.below(700);
        for _ in 0..n {
            out.push_str(open);
        }
        out.push_str(random_token(rng));
        if rng.one_in(2) {
            let close = rng.pick(&[")", "]", "}", "}`"]);
            for _ in 0..n {
                out.push_str(close);
            }
        }
        return out;
    }
    let len = 1 + rng.below(60);
    for _ in 0..len {
        out.push_str(random_token(rng));
        match rng.below(5) {
            0 => {}
            1 => out.push('\n'),
            _ => out.push(' '),
        }
    }
    out
}

/// Token-sized slices of `s`: runs of word characters, runs of spaces,
/// and single other characters. Returns byte offsets of slice starts
/// (always including 0 and `s.len()`).
fn slice_bounds(s: &str) -> Vec<usize> {
    #[derive(PartialEq, Clone, Copy)]
    enum Class {
        Word,
        Space,
        Other,
    }
    let class = |c: char| {
        if c.is_alphanumeric() || c == '_' || c == '$' {
            Class::Word
        } else if c == ' ' || c == '\t' {
            Class::Space
        } else {
            Class::Other
        }
    };
    let mut bounds = vec![0];
    let mut prev: Option<Class> = None;
    for (i, c) in s.char_indices() {
        let k = class(c);
        if i > 0 && (k == Class::Other || Some(k) != prev) {
            bounds.push(i);
        }
        prev = Some(k);
    }
    if !s.is_empty() {
        bounds.push(s.len());
    }
    bounds
}

/// A random range `start..end` of 1 to 8 slices (byte offsets), mostly short.
fn random_range(rng: &mut Rng, bounds: &[usize]) -> (usize, usize) {
    let slices = bounds.len() - 1;
    let a = rng.below(slices);
    let longest = if rng.one_in(2) { 2 } else { 8 };
    let b = (a + 1 + rng.below(longest)).min(slices);
    (bounds[a], bounds[b])
}

/// The slices of `s` that are words: names, keywords, numbers.
fn word_slices(s: &str, bounds: &[usize]) -> Vec<(usize, usize)> {
    bounds
        .windows(2)
        .map(|w| (w[0], w[1]))
        .filter(|&(a, b)| {
            s[a..b]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '$')
        })
        .collect()
}

/// A few edits of token-sized slices of a real program: deletions,
/// duplications, swaps, insertions, and word replacements (which often
/// keep the program valid, so the later stages get exercised too).
fn mutate(rng: &mut Rng, seed: &str) -> String {
    let mut s = seed.to_string();
    let edits = if rng.one_in(2) { 1 } else { 1 + rng.below(4) };
    for _ in 0..edits {
        let bounds = slice_bounds(&s);
        if bounds.len() < 2 {
            s.push_str(random_token(rng));
            continue;
        }
        let (a, b) = random_range(rng, &bounds);
        match rng.below(7) {
            0 => s.replace_range(a..b, ""),
            1 => {
                let piece = s[a..b].to_string();
                let at = rng.pick(&bounds);
                s.insert_str(at, &piece);
            }
            2 => {
                let (c, d) = random_range(rng, &bounds);
                if b <= c || d <= a {
                    let (first, second) = if b <= c {
                        ((a, b), (c, d))
                    } else {
                        ((c, d), (a, b))
                    };
                    let x = s[first.0..first.1].to_string();
                    let y = s[second.0..second.1].to_string();
                    s.replace_range(second.0..second.1, &x);
                    s.replace_range(first.0..first.1, &y);
                }
            }
            3 => {
                let at = rng.pick(&bounds);
                s.insert_str(at, random_token(rng));
            }
            4 | 5 => {
                let words = word_slices(&s, &bounds);
                if words.is_empty() {
                    continue;
                }
                let (a, b) = rng.pick(&words);
                let replacement = if rng.one_in(2) {
                    let (c, d) = rng.pick(&words);
                    s[c..d].to_string()
                } else {
                    let pool = rng.pick(&[KEYWORDS, IDENTIFIERS, NUMBERS]);
                    rng.pick(pool).to_string()
                };
                s.replace_range(a..b, &replacement);
            }
            _ => {
                let at = rng.pick(&bounds);
                s.insert(at, '\n');
            }
        }
    }
    s
}

// ---------------------------------------------------------------------------
// Checking

fn option_sets() -> Vec<(&'static str, CompileOptions)> {
    vec![
        ("default", CompileOptions::default()),
        (
            "es5",
            CompileOptions {
                target: Target::Es5,
                ..Default::default()
            },
        ),
        (
            "esm",
            CompileOptions {
                module: ModuleKind::Esm,
                ..Default::default()
            },
        ),
        (
            "minify",
            CompileOptions {
                minify: true,
                ..Default::default()
            },
        ),
        // Building the map resolves every output span against the source.
        (
            "source-map",
            CompileOptions {
                source_map: SourceMapKind::Separate,
                ..Default::default()
            },
        ),
    ]
}

thread_local! {
    /// Set while shrinking, so the many expected panics stay quiet.
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

fn install_quiet_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

/// Whether the compile produced code, or what went wrong with it.
fn check(source: &str, options: &CompileOptions) -> Result<bool, String> {
    let out: CompileOutput = match catch_unwind(AssertUnwindSafe(|| compile(source, options))) {
        Ok(out) => out,
        Err(payload) => {
            let message = somon_diagnostics::panic_text(payload.as_ref())
                .unwrap_or("(non-string panic payload)");
            return Err(format!("panic: {message}"));
        }
    };
    match (&out.code, out.has_errors()) {
        (Some(_), true) => Err(format!(
            "code returned together with errors: {:?}",
            out.legacy_errors()
        )),
        (None, false) => Err(format!(
            "no code and no error diagnostic: {:?}",
            out.diagnostics
        )),
        (code, _) => Ok(code.is_some()),
    }
}

/// The failure with numbers left out, so that shrinking keeps to the same
/// failure even when it names positions or lengths.
fn failure_shape(failure: &str) -> String {
    failure
        .lines()
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_ascii_digit())
        .collect()
}

/// For each slice, the slice of its matching closing bracket (when the
/// slice is an opening bracket).
fn matching_brackets(s: &str, bounds: &[usize]) -> Vec<Option<usize>> {
    let mut matches = vec![None; bounds.len()];
    let mut open: Vec<(usize, char)> = Vec::new();
    for i in 0..bounds.len().saturating_sub(1) {
        match &s[bounds[i]..bounds[i + 1]] {
            "(" => open.push((i, ')')),
            "[" => open.push((i, ']')),
            "{" => open.push((i, '}')),
            t @ (")" | "]" | "}") => {
                if let Some(&(j, close)) = open.last() {
                    if t.starts_with(close) {
                        matches[j] = Some(i);
                        open.pop();
                    }
                }
            }
            _ => {}
        }
    }
    matches
}

/// Greedy delta debugging over token-sized slices: the smallest input
/// (found cheaply) that still fails in the same way. Two kinds of cut:
/// aligned runs of slices, halving in length, and a few slices up to the
/// end of the bracket group that follows them (`функсия ф() {…}`).
fn shrink(source: &str, options: &CompileOptions, failure: &str) -> String {
    let wanted = failure_shape(failure);
    let budget = Cell::new(3000);
    let fails = |s: &str| {
        budget.set(budget.get() - 1);
        check(s, options)
            .err()
            .is_some_and(|f| failure_shape(&f) == wanted)
    };
    let cut = |s: &str, from: usize, to: usize| {
        let mut c = s.to_string();
        c.replace_range(from..to, "");
        c
    };
    QUIET.with(|q| q.set(true));
    let mut best = source.to_string();
    let mut progress = true;
    while progress && budget.get() > 0 {
        progress = false;
        let mut chunk = slice_bounds(&best).len() / 2;
        while chunk >= 1 && budget.get() > 0 {
            let mut i = 0;
            loop {
                let bounds = slice_bounds(&best);
                if i + 1 >= bounds.len() || budget.get() <= 0 {
                    break;
                }
                let candidate = cut(&best, bounds[i], bounds[(i + chunk).min(bounds.len() - 1)]);
                if fails(&candidate) {
                    best = candidate;
                    progress = true;
                } else {
                    i += chunk;
                }
            }
            chunk /= 2;
        }
        let mut i = 0;
        loop {
            let bounds = slice_bounds(&best);
            if i + 1 >= bounds.len() || budget.get() <= 0 {
                break;
            }
            let matches = matching_brackets(&best, &bounds);
            let group_end = (i..bounds.len().min(i + 6)).find_map(|j| matches[j]);
            match group_end {
                Some(end) if fails(&cut(&best, bounds[i], bounds[end + 1])) => {
                    best = cut(&best, bounds[i], bounds[end + 1]);
                    progress = true;
                }
                _ => i += 1,
            }
        }
    }
    QUIET.with(|q| q.set(false));
    best
}

/// Compiles `source` under every option set. Returns how many of the
/// compiles produced code, or a report of the first failure (with the
/// input shrunk and saved for the regression folder) and its shape.
fn check_all(label: &str, source: &str) -> Result<usize, (String, String)> {
    // The parser reads a large module's tokens in chunks while it is lexed:
    // that must change nothing (every token boundary a chunk's here).
    if let Some(difference) = somon_syntax::chunked_parse_difference(source, 1) {
        let report = format!("{label}: {difference}\n  input: {source:?}");
        return Err((report, "chunked parse differs".to_string()));
    }
    let mut with_code = 0;
    for (name, options) in option_sets() {
        match check(source, &options) {
            Ok(code) => with_code += usize::from(code),
            Err(failure) => {
                let small = shrink(source, &options, &failure);
                let saved = save_failure(&small);
                let report = format!(
                    "{label} [{name}]: {failure}\n  \
                     shrunk input ({} bytes, saved to {}): {small:?}\n  \
                     original input: {source:?}",
                    small.len(),
                    saved.display(),
                );
                return Err((report, failure_shape(&failure)));
            }
        }
    }
    Ok(with_code)
}

fn save_failure(source: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("fuzz-failures");
    let _ = std::fs::create_dir_all(&dir);
    let hash = source.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    });
    let path = dir.join(format!("{hash:016x}.som"));
    let _ = std::fs::write(&path, source);
    path
}

/// Runs `work`, which announces each input through the callback; prints an
/// input that is still being compiled a minute after it was announced, so
/// that a hang names its input. (A message only; nothing is timed.)
fn with_watchdog(work: impl FnOnce(&dyn Fn(&str))) {
    // The number of inputs announced so far, and the latest one.
    let current = std::sync::Mutex::new((0_u64, String::new()));
    let (done, finished) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        // Owned here, so a panic in `work` drops it and ends the watchdog.
        let done = done;
        let current = &current;
        scope.spawn(move || {
            let mut seen = 0;
            while let Err(mpsc::RecvTimeoutError::Timeout) =
                finished.recv_timeout(Duration::from_secs(60))
            {
                if let Ok(c) = current.lock() {
                    if c.0 == seen {
                        eprintln!("robustness: one input is taking over a minute: {:?}", c.1);
                    }
                    seen = c.0;
                }
            }
        });
        let note = |input: &str| {
            if let Ok(mut c) = current.lock() {
                c.0 += 1;
                input.clone_into(&mut c.1);
            }
        };
        work(&note);
        let _ = done.send(());
    });
}

// ---------------------------------------------------------------------------
// Inputs on disk

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn regressions_dir() -> PathBuf {
    manifest_dir().join("tests/fuzz-regressions")
}

fn read_lossy(p: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(p).unwrap_or_default()).into_owned()
}

/// Real programs to mutate: the corpus's `run/` programs and the fixtures.
/// (Not the regression inputs: a known crash would fail this test too, and
/// adding one would change every input after it.)
fn seed_programs() -> Vec<String> {
    let corpus_run = manifest_dir().join("../../../shared/conformance/run");
    if !corpus_run.is_dir() {
        eprintln!(
            "robustness: no conformance corpus at {}; mutating the fixtures only",
            corpus_run.display()
        );
    }
    let mut files = somon_fs::som_files_below(&somon_fs::RealFs, &corpus_run);
    files.extend(somon_fs::som_files_below(
        &somon_fs::RealFs,
        &manifest_dir().join("tests/fixtures"),
    ));
    files.iter().map(|p| read_lossy(p)).collect()
}

/// Every file of the regressions folder but its README, sorted.
fn regression_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(regressions_dir())
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    files.sort();
    files
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or(default)
}

// ---------------------------------------------------------------------------
// Tests

#[test]
fn fuzz_regressions_compile_without_panic() {
    install_quiet_panic_hook();
    let files = regression_files();
    let failures: Vec<String> = files
        .iter()
        .filter_map(|f| check_all(&f.display().to_string(), &read_lossy(f)).err())
        .map(|(report, _)| report)
        .collect();
    eprintln!("robustness: {} regression input(s) checked", files.len());
    assert!(
        failures.is_empty(),
        "{} of {} regression input(s) still fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

fn campaign(name: &str, default_iterations: u64, generate: impl Fn(&mut Rng) -> String) {
    install_quiet_panic_hook();
    let seed = env_number("SOMON_FUZZ_SEED", 0x50_4D_4F_4E);
    let iterations = env_number("SOMON_FUZZ_ITERATIONS", default_iterations);
    // Each campaign has its own stream, so adding one does not change the
    // inputs of the others.
    let stream = name
        .bytes()
        .fold(seed, |h, b| h.rotate_left(5) ^ u64::from(b));
    let mut rng = Rng::new(stream);
    let log = std::env::var_os("SOMON_FUZZ_LOG").is_some();
    let keep_going = std::env::var_os("SOMON_FUZZ_KEEP_GOING").is_some();
    let mut with_code = 0;
    // One report per distinct failure.
    let mut failures: Vec<(String, String)> = Vec::new();
    with_watchdog(|note| {
        for i in 0..iterations {
            let input = generate(&mut rng);
            note(&input);
            if log {
                eprintln!("{name} #{i}: {input:?}");
            }
            match check_all(&format!("{name} #{i} (seed {seed})"), &input) {
                Ok(n) => with_code += n,
                Err((report, _)) if !keep_going => panic!("{report}"),
                Err((report, shape)) => {
                    if failures.iter().all(|(_, s)| *s != shape) {
                        eprintln!("robustness: {report}");
                        failures.push((report, shape));
                    }
                }
            }
        }
    });
    let compiles = iterations * option_sets().len() as u64;
    eprintln!("robustness: {name}: {compiles} compiles, {with_code} produced code");
    assert!(
        failures.is_empty(),
        "{} distinct failure(s):\n{}",
        failures.len(),
        failures
            .iter()
            .map(|(r, _)| r.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn fuzz_arbitrary_bytes() {
    campaign("bytes", 600, random_bytes);
}

#[test]
fn fuzz_token_sequences() {
    campaign("tokens", 600, random_tokens);
}

#[test]
fn fuzz_mutated_programs() {
    let programs = seed_programs();
    let seeds: Vec<&str> = programs.iter().map(String::as_str).collect();
    assert!(!seeds.is_empty(), "no programs to mutate");
    campaign("mutations", 300, |rng| {
        let seed = rng.pick(&seeds);
        mutate(rng, seed)
    });
}

/// Inputs longer than the parser holds ahead (`somon_syntax::LOOKAHEAD`
/// tokens), so that chunks arrive while it parses: random token sequences
/// (recovery skipping far) and mutated programs, each joined until it is
/// some 400 KB long, parse in chunks exactly as they do whole.
#[test]
fn fuzz_long_inputs_parse_the_same_in_chunks() {
    let programs = seed_programs();
    let seeds: Vec<&str> = programs.iter().map(String::as_str).collect();
    let seed = env_number("SOMON_FUZZ_SEED", 0x50_4D_4F_4E);
    let mut rng = Rng::new(seed ^ 0x4C_4F_4E_47);
    let iterations = env_number("SOMON_FUZZ_ITERATIONS", 600) / 100 + 2;
    for i in 0..iterations {
        let mut input = String::new();
        while input.len() < 400_000 {
            let piece = if i % 2 == 0 || seeds.is_empty() {
                random_tokens(&mut rng)
            } else {
                let program = rng.pick(&seeds);
                mutate(&mut rng, program)
            };
            input.push_str(&piece);
            input.push('\n');
        }
        if let Some(difference) = somon_syntax::chunked_parse_difference(&input, 64) {
            let saved = save_failure(&input);
            panic!(
                "long input #{i} (seed {seed}, saved to {}): {difference}",
                saved.display()
            );
        }
    }
}

#[test]
fn slice_bounds_are_char_boundaries() {
    let s = "тағ а = 1_000; // шарҳ\n";
    let b = slice_bounds(s);
    assert!(b.iter().all(|&i| s.is_char_boundary(i)));
    let pieces: Vec<&str> = b.windows(2).map(|w| &s[w[0]..w[1]]).collect();
    assert_eq!(
        pieces,
        ["тағ", " ", "а", " ", "=", " ", "1_000", ";", " ", "/", "/", " ", "шарҳ", "\n"]
    );
}

//! The keyword table. Keywords are case-insensitive: the lexer lower-cases a
//! word and looks it up here, and the token keeps its original spelling.

/// A keyword. Reserved ones can never be names; all others are contextual
/// and act as keywords only where the grammar asks for them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kw {
    // Reserved.
    Let,
    Const,
    Function,
    If,
    Else,
    For,
    Return,
    Class,
    New,
    This,
    True,
    False,
    Undefined,
    Import,
    Export,
    Default,
    As,
    Break,
    Continue,
    Switch,
    Try,
    Finally,
    Throw,
    Async,
    Await,
    Promise,
    Bigint,
    Symbol,
    Interface,
    // Contextual.
    While,
    Do,
    Case,
    Catch,
    Super,
    Constructor,
    Extends,
    Implements,
    Public,
    Private,
    Protected,
    Static,
    Abstract,
    Readonly,
    Null,
    From,
    In,
    Typeof,
    Instanceof,
    Delete,
    Get,
    Set,
    Yield,
    Enum,
    Type,
    Namespace,
    Keyof,
    Infer,
    Unique,
    Is,
    Asserts,
    // Type keywords (contextual).
    String,
    Number,
    Boolean,
    Any,
    Unknown,
    Never,
    Void,
    Object,
}

impl Kw {
    pub fn is_reserved(self) -> bool {
        use Kw::*;
        matches!(
            self,
            Let | Const
                | Function
                | If
                | Else
                | For
                | Return
                | Class
                | New
                | This
                | True
                | False
                | Undefined
                | Import
                | Export
                | Default
                | As
                | Break
                | Continue
                | Switch
                | Try
                | Finally
                | Throw
                | Async
                | Await
                | Promise
                | Bigint
                | Symbol
                | Interface
        )
    }

    /// Looks up an already lower-cased word.
    pub fn lookup(lower: &str) -> Option<Kw> {
        use Kw::*;
        Some(match lower {
            "тағйирёбанда" | "тағ" => Let,
            "собит" => Const,
            "функсия" | "функция" => Function,
            "агар" => If,
            "вагарна" | "чунин" => Else,
            "барои" => For,
            "бозгашт" => Return,
            "синф" => Class,
            "нав" => New,
            "ин" => This,
            "дуруст" => True,
            "нодуруст" => False,
            "беқимат" => Undefined,
            "ворид" => Import,
            "содир" => Export,
            "пешфарз" => Default,
            "чун" => As,
            "шикастан" => Break,
            "давом" => Continue,
            "интихоб" => Switch,
            "кӯшиш" => Try,
            "ниҳоят" => Finally,
            "партофтан" => Throw,
            "ҳамзамон" => Async,
            "интизор" => Await,
            "ваъда" => Promise,
            "калонрақам" => Bigint,
            "рамз" => Symbol,
            "интерфейс" => Interface,
            "то" => While,
            "иҷро" => Do,
            "ҳолат" => Case,
            "гирифтан" => Catch,
            "супер" => Super,
            "конструктор" => Constructor,
            "мерос" => Extends,
            "татбиқ" => Implements,
            "ҷамъиятӣ" => Public,
            "хосусӣ" => Private,
            "муҳофизатшуда" => Protected,
            "статикӣ" => Static,
            "мавҳум" => Abstract,
            "танҳохонӣ" => Readonly,
            "холӣ" => Null,
            "аз" => From,
            "дар" => In,
            "навъи" => Typeof,
            "намунаи" => Instanceof,
            "нобуд" => Delete,
            "гир" => Get,
            "гузор" => Set,
            "ҳосил" => Yield,
            "номгӯ" => Enum,
            "навъ" => Type,
            "номфазо" => Namespace,
            "калидҳои" => Keyof,
            "инфер" | "хулоса" => Infer,
            "беназир" => Unique,
            "аст" => Is,
            "бармесоё" => Asserts,
            "сатр" => String,
            "рақам" => Number,
            "мантиқӣ" => Boolean,
            "ҳар" => Any,
            "ношинос" => Unknown,
            "абадан" => Never,
            "беҷавоб" | "беджавоб" => Void,
            "объект" => Object,
            _ => return None,
        })
    }
}

/// Words that are reserved in JavaScript (strict mode) and so cannot be
/// emitted as identifiers.
pub fn is_js_reserved(name: &str) -> bool {
    matches!(
        name,
        "break"
            | "case"
            | "catch"
            | "class"
            | "const"
            | "continue"
            | "debugger"
            | "default"
            | "delete"
            | "do"
            | "else"
            | "enum"
            | "export"
            | "extends"
            | "false"
            | "finally"
            | "for"
            | "function"
            | "if"
            | "import"
            | "in"
            | "instanceof"
            | "new"
            | "null"
            | "return"
            | "super"
            | "switch"
            | "this"
            | "throw"
            | "true"
            | "try"
            | "typeof"
            | "var"
            | "void"
            | "while"
            | "with"
            | "yield"
            | "let"
            | "static"
            | "implements"
            | "interface"
            | "package"
            | "private"
            | "protected"
            | "public"
            | "await"
            | "arguments"
            | "eval"
    )
}

/// Keywords a learner's mistake is hinted towards, each with its spellings
/// (the usual one first). Kept beside [`Kw::lookup`]; a test checks they
/// agree.
pub const HINTABLE: &[(Kw, &[&str])] = &[
    (Kw::Let, &["тағ", "тағйирёбанда"]),
    (Kw::Const, &["собит"]),
    (Kw::Function, &["функсия"]),
    (Kw::Async, &["ҳамзамон"]),
    (Kw::If, &["агар"]),
    (Kw::Else, &["вагарна"]),
    (Kw::For, &["барои"]),
    (Kw::While, &["то"]),
    (Kw::Do, &["иҷро"]),
    (Kw::Return, &["бозгашт"]),
    (Kw::Throw, &["партофтан"]),
    (Kw::Try, &["кӯшиш"]),
    (Kw::Catch, &["гирифтан"]),
    (Kw::Finally, &["ниҳоят"]),
    (Kw::Switch, &["интихоб"]),
    (Kw::Case, &["ҳолат"]),
    (Kw::Default, &["пешфарз"]),
    (Kw::Break, &["шикастан"]),
    (Kw::Continue, &["давом"]),
    (Kw::Class, &["синф"]),
    (Kw::Extends, &["мерос"]),
    (Kw::Implements, &["татбиқ"]),
    (Kw::Interface, &["интерфейс"]),
    (Kw::Enum, &["номгӯ"]),
    (Kw::New, &["нав"]),
    (Kw::Import, &["ворид"]),
    (Kw::Export, &["содир"]),
    (Kw::From, &["аз"]),
    (Kw::In, &["дар"]),
    (Kw::Await, &["интизор"]),
    (Kw::Yield, &["ҳосил"]),
    (Kw::Typeof, &["навъи"]),
    (Kw::Delete, &["нобуд"]),
    (Kw::This, &["ин"]),
    (Kw::True, &["дуруст"]),
    (Kw::False, &["нодуруст"]),
];

/// The usual Somon spelling of a hintable keyword.
pub fn spelling(kw: Kw) -> &'static str {
    HINTABLE
        .iter()
        .find(|(k, _)| *k == kw)
        .and_then(|(_, s)| s.first().copied())
        .unwrap_or("")
}

/// The Somon keyword a JavaScript keyword stands for (`const` → собит).
/// `null`, `undefined`, `NaN`, `Infinity` are values, not mistakes.
pub fn js_keyword(word: &str) -> Option<Kw> {
    Some(match word {
        "let" | "var" => Kw::Let,
        "const" => Kw::Const,
        "function" => Kw::Function,
        "async" => Kw::Async,
        "if" => Kw::If,
        "else" => Kw::Else,
        "for" => Kw::For,
        "while" => Kw::While,
        "do" => Kw::Do,
        "return" => Kw::Return,
        "throw" => Kw::Throw,
        "try" => Kw::Try,
        "catch" => Kw::Catch,
        "finally" => Kw::Finally,
        "switch" => Kw::Switch,
        "case" => Kw::Case,
        "default" => Kw::Default,
        "break" => Kw::Break,
        "continue" => Kw::Continue,
        "class" => Kw::Class,
        "extends" => Kw::Extends,
        "implements" => Kw::Implements,
        "interface" => Kw::Interface,
        "enum" => Kw::Enum,
        "new" => Kw::New,
        "import" => Kw::Import,
        "export" => Kw::Export,
        "from" | "of" => Kw::From,
        "in" => Kw::In,
        "await" => Kw::Await,
        "yield" => Kw::Yield,
        "typeof" => Kw::Typeof,
        "delete" => Kw::Delete,
        "this" => Kw::This,
        "true" => Kw::True,
        "false" => Kw::False,
        _ => return None,
    })
}

/// How a word missed its keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HintKind {
    /// A JavaScript keyword.
    JavaScript,
    /// Tajik letters typed as their Russian neighbours (ғ→г, ҳ→х, ӯ→у,
    /// ӣ→и, ҷ→ч, қ→к).
    RussianKeyboard,
    /// A typo (a letter missing, extra, wrong or swapped; Latin look-alike
    /// letters count as their Cyrillic twins).
    Misspelled,
}

/// Tajik letters replaced by what a Russian keyboard types instead.
fn russian_keyboard(c: char) -> char {
    match c {
        'ғ' => 'г',
        'ҳ' => 'х',
        'ӯ' => 'у',
        'ӣ' => 'и',
        'ҷ' => 'ч',
        'қ' => 'к',
        other => other,
    }
}

/// Latin look-alike letters as their Cyrillic twins (lower case).
fn cyrillic_twin(c: char) -> char {
    match c {
        'a' => 'а',
        'e' => 'е',
        'o' => 'о',
        'p' => 'р',
        'c' => 'с',
        'x' => 'х',
        'y' => 'у',
        'k' => 'к',
        'm' => 'м',
        'h' => 'н',
        'b' => 'в',
        't' => 'т',
        other => other,
    }
}

/// The keyword among `candidates` that a plain word most likely meant.
pub fn keyword_hint(word: &str, candidates: &[Kw]) -> Option<(Kw, HintKind)> {
    if let Some(kw) = js_keyword(word) {
        return candidates
            .contains(&kw)
            .then_some((kw, HintKind::JavaScript));
    }
    let lower = word.to_lowercase();
    let has_cyrillic = lower.chars().any(|c| ('\u{400}'..='\u{52f}').contains(&c));
    if !has_cyrillic {
        return None;
    }
    let normal: String = lower.chars().map(cyrillic_twin).collect();
    let spellings = || {
        HINTABLE
            .iter()
            .filter(|(kw, _)| candidates.contains(kw))
            .flat_map(|(kw, s)| s.iter().map(move |s| (*kw, *s)))
    };
    if normal != lower {
        if let Some((kw, _)) = spellings().find(|(_, s)| *s == normal) {
            return Some((kw, HintKind::Misspelled));
        }
    }
    if let Some((kw, _)) = spellings().find(|(_, s)| {
        let russian: String = s.chars().map(russian_keyboard).collect();
        russian != *s && russian == normal
    }) {
        return Some((kw, HintKind::RussianKeyboard));
    }
    let len = normal.chars().count();
    if len < 3 {
        return None;
    }
    spellings()
        .filter_map(|(kw, s)| {
            let n = s.chars().count();
            let limit = match n {
                0..=2 => 0,
                3..=5 => 1,
                _ => 2,
            };
            let d = edit_distance(&normal, s);
            (d > 0 && d <= limit).then_some((d, kw))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, kw)| (kw, HintKind::Misspelled))
}

/// Optimal string alignment distance (insert, delete, replace, swap of
/// neighbours) over characters; words are short, so quadratic is fine.
fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > 2 || a.len() > 64 {
        return usize::MAX;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for (i, row) in d.chunks_mut(w).enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i;
        }
    }
    for (j, cell) in d.iter_mut().take(w).enumerate() {
        *cell = j;
    }
    let at = |d: &[usize], i: usize, j: usize| d.get(i * w + j).copied().unwrap_or(usize::MAX);
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let (ca, cb) = (a.get(i - 1), b.get(j - 1));
            let cost = usize::from(ca != cb);
            let mut v = (at(&d, i - 1, j).saturating_add(1))
                .min(at(&d, i, j - 1).saturating_add(1))
                .min(at(&d, i - 1, j - 1).saturating_add(cost));
            if i > 1 && j > 1 && ca == b.get(j - 2) && a.get(i - 2) == cb {
                v = v.min(at(&d, i - 2, j - 2).saturating_add(1));
            }
            if let Some(cell) = d.get_mut(i * w + j) {
                *cell = v;
            }
        }
    }
    at(&d, a.len(), b.len())
}

#[cfg(test)]
mod hint_tests {
    use super::*;

    #[test]
    fn hintable_spellings_are_keywords() {
        for (kw, spellings) in HINTABLE {
            for s in *spellings {
                assert_eq!(Kw::lookup(s), Some(*kw), "{s}");
            }
        }
    }

    #[test]
    fn hints() {
        let all: Vec<Kw> = HINTABLE.iter().map(|(k, _)| *k).collect();
        let h = |w: &str| keyword_hint(w, &all).map(|(k, kind)| (spelling(k), kind));
        use HintKind::*;
        assert_eq!(h("const"), Some(("собит", JavaScript)));
        assert_eq!(h("собт"), Some(("собит", Misspelled)));
        assert_eq!(h("агр"), Some(("агар", Misspelled)));
        assert_eq!(h("таг"), Some(("тағ", RussianKeyboard)));
        assert_eq!(h("хамзамон"), Some(("ҳамзамон", RussianKeyboard)));
        assert_eq!(h("кушиш"), Some(("кӯшиш", RussianKeyboard)));
        assert_eq!(h("нихоят"), Some(("ниҳоят", RussianKeyboard)));
        assert_eq!(h("ичро"), Some(("иҷро", RussianKeyboard)));
        assert_eq!(h("тaғ"), Some(("тағ", Misspelled)));
        assert_eq!(h("функсяи"), Some(("функсия", Misspelled)));
        assert_eq!(h("null"), None);
        assert_eq!(h("ном"), None);
        assert_eq!(h("of"), Some(("аз", JavaScript)));
        assert_eq!(keyword_hint("of", &[Kw::Const]), None);
    }
}

//! The catalogue: every user-visible diagnostic text, with its stable code,
//! in English, Tajik and Russian. One `match` arm per message keeps the three
//! languages side by side so none can be forgotten.

use crate::Lang;

/// What the parser found where it expected something else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Token(String),
    EndOfFile,
}

impl Found {
    fn render(&self, lang: Lang) -> String {
        match self {
            Found::Token(t) => format!("`{t}`"),
            Found::EndOfFile => match lang {
                Lang::En => "the end of the file".to_string(),
                Lang::Tg => "охири файл".to_string(),
                Lang::Ru => "конец файла".to_string(),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    // ---- LEX ----
    UnexpectedCharacter { ch: char },
    UnterminatedString,
    UnterminatedTemplate,
    UnterminatedComment,
    UnterminatedRegex,
    InvalidNumber { text: String },
    InvalidEscape,
    // ---- SYNTAX ----
    Expected { expected: String, found: Found },
    UnexpectedToken { found: Found },
    ReservedWordAsName { word: String },
    JsReservedWordAsName { word: String },
    ConstWithoutInitializer { name: String },
    BreakOutsideLoop,
    ContinueOutsideLoop,
    UndefinedLabel { label: String },
    InvalidAssignmentTarget,
    DuplicateDefault,
    TryWithoutHandler,
    MissingSemicolon,
    LineBreakBeforeArrow,
    InvalidRestPosition,
    YieldOutsideGenerator,
    // ---- DEPTH ----
    TooDeeplyNested { limit: u32 },
    // ---- TOP_LEVEL_AWAIT ----
    TopLevelAwait,
    // ---- notes and suggestions ----
    LatinLookalike { latin: char, cyrillic: char },
    NonBreakingSpace,
    DidYouMean { name: String },
}

impl Message {
    /// The stable code, shared with the old compiler where it had one.
    pub fn code(&self) -> &'static str {
        use Message::*;
        match self {
            UnexpectedCharacter { .. }
            | UnterminatedString
            | UnterminatedTemplate
            | UnterminatedComment
            | UnterminatedRegex
            | InvalidNumber { .. }
            | InvalidEscape => "LEX",
            Expected { .. }
            | UnexpectedToken { .. }
            | ReservedWordAsName { .. }
            | JsReservedWordAsName { .. }
            | ConstWithoutInitializer { .. }
            | BreakOutsideLoop
            | ContinueOutsideLoop
            | UndefinedLabel { .. }
            | InvalidAssignmentTarget
            | DuplicateDefault
            | TryWithoutHandler
            | MissingSemicolon
            | LineBreakBeforeArrow
            | InvalidRestPosition
            | YieldOutsideGenerator => "SYNTAX",
            TooDeeplyNested { .. } => "DEPTH",
            TopLevelAwait => "TOP_LEVEL_AWAIT",
            LatinLookalike { .. } | NonBreakingSpace | DidYouMean { .. } => "NOTE",
        }
    }

    /// Every message once, with sample arguments: used by tests that print
    /// the whole catalogue in every language.
    pub fn samples() -> Vec<Message> {
        use Message::*;
        let tok = |s: &str| Found::Token(s.to_string());
        vec![
            UnexpectedCharacter { ch: '@' },
            UnterminatedString,
            UnterminatedTemplate,
            UnterminatedComment,
            UnterminatedRegex,
            InvalidNumber { text: "0x".into() },
            InvalidEscape,
            Expected {
                expected: "`)`".into(),
                found: tok(";"),
            },
            Expected {
                expected: "`}`".into(),
                found: Found::EndOfFile,
            },
            UnexpectedToken { found: tok("+") },
            ReservedWordAsName {
                word: "агар".into(),
            },
            JsReservedWordAsName {
                word: "class".into(),
            },
            ConstWithoutInitializer { name: "х".into() },
            BreakOutsideLoop,
            ContinueOutsideLoop,
            UndefinedLabel {
                label: "берун".into(),
            },
            InvalidAssignmentTarget,
            DuplicateDefault,
            TryWithoutHandler,
            MissingSemicolon,
            LineBreakBeforeArrow,
            InvalidRestPosition,
            YieldOutsideGenerator,
            TooDeeplyNested { limit: 1000 },
            TopLevelAwait,
            LatinLookalike {
                latin: 'a',
                cyrillic: 'а',
            },
            NonBreakingSpace,
            DidYouMean {
                name: "ном".into()
            },
        ]
    }

    pub fn render(&self, lang: Lang) -> String {
        use Lang::*;
        use Message::*;
        match (self, lang) {
            (UnexpectedCharacter { ch }, En) => format!("unexpected character `{ch}`"),
            (UnexpectedCharacter { ch }, Tg) => format!("аломати ғайричашмдошт `{ch}`"),
            (UnexpectedCharacter { ch }, Ru) => format!("неожиданный символ `{ch}`"),

            (UnterminatedString, En) => "unterminated string literal".into(),
            (UnterminatedString, Tg) => "сатр пӯшида нашудааст".into(),
            (UnterminatedString, Ru) => "незакрытая строка".into(),

            (UnterminatedTemplate, En) => "unterminated template literal".into(),
            (UnterminatedTemplate, Tg) => "қолаби сатр пӯшида нашудааст".into(),
            (UnterminatedTemplate, Ru) => "незакрытый шаблонный литерал".into(),

            (UnterminatedComment, En) => "unterminated block comment".into(),
            (UnterminatedComment, Tg) => "шарҳи бисёрсатра пӯшида нашудааст".into(),
            (UnterminatedComment, Ru) => "незакрытый блочный комментарий".into(),

            (UnterminatedRegex, En) => "unterminated regular expression".into(),
            (UnterminatedRegex, Tg) => "ифодаи муқаррарӣ пӯшида нашудааст".into(),
            (UnterminatedRegex, Ru) => "незакрытое регулярное выражение".into(),

            (InvalidNumber { text }, En) => format!("invalid number `{text}`"),
            (InvalidNumber { text }, Tg) => format!("рақами нодуруст `{text}`"),
            (InvalidNumber { text }, Ru) => format!("неверное число `{text}`"),

            (InvalidEscape, En) => "invalid escape sequence".into(),
            (InvalidEscape, Tg) => "пайдарпаии эскейпи нодуруст".into(),
            (InvalidEscape, Ru) => "неверная escape-последовательность".into(),

            (Expected { expected, found }, En) => format!("expected {expected} but found {}", found.render(En)),
            (Expected { expected, found }, Tg) => format!("{expected} интизор мерафт, аммо {} омад", found.render(Tg)),
            (Expected { expected, found }, Ru) => format!("ожидалось {expected}, но найдено {}", found.render(Ru)),

            (UnexpectedToken { found }, En) => format!("unexpected {}", found.render(En)),
            (UnexpectedToken { found }, Tg) => format!("{} дар ин ҷо ғайричашмдошт аст", found.render(Tg)),
            (UnexpectedToken { found }, Ru) => format!("неожиданный {}", found.render(Ru)),

            (ReservedWordAsName { word }, En) => format!("`{word}` is a reserved word and cannot be used as a name"),
            (ReservedWordAsName { word }, Tg) => format!("`{word}` калимаи маҳфуз аст ва ҳамчун ном истифода намешавад"),
            (ReservedWordAsName { word }, Ru) => format!("`{word}` — зарезервированное слово и не может быть именем"),

            (JsReservedWordAsName { word }, En) => format!("`{word}` is reserved in JavaScript and cannot be used as a name"),
            (JsReservedWordAsName { word }, Tg) => format!("`{word}` дар JavaScript маҳфуз аст ва ҳамчун ном истифода намешавад"),
            (JsReservedWordAsName { word }, Ru) => format!("`{word}` зарезервировано в JavaScript и не может быть именем"),

            (ConstWithoutInitializer { name }, En) => format!("constant `{name}` must be initialized"),
            (ConstWithoutInitializer { name }, Tg) => format!("собити `{name}` бояд қимати аввала дошта бошад"),
            (ConstWithoutInitializer { name }, Ru) => format!("константа `{name}` должна быть инициализирована"),

            (BreakOutsideLoop, En) => "`шикастан` can only be used inside a loop or `интихоб`".into(),
            (BreakOutsideLoop, Tg) => "`шикастан` танҳо дар дохили давра ё `интихоб` истифода мешавад".into(),
            (BreakOutsideLoop, Ru) => "`шикастан` можно использовать только внутри цикла или `интихоб`".into(),

            (ContinueOutsideLoop, En) => "`давом` can only be used inside a loop".into(),
            (ContinueOutsideLoop, Tg) => "`давом` танҳо дар дохили давра истифода мешавад".into(),
            (ContinueOutsideLoop, Ru) => "`давом` можно использовать только внутри цикла".into(),

            (UndefinedLabel { label }, En) => format!("label `{label}` is not defined"),
            (UndefinedLabel { label }, Tg) => format!("нишонаи `{label}` муайян нашудааст"),
            (UndefinedLabel { label }, Ru) => format!("метка `{label}` не определена"),

            (InvalidAssignmentTarget, En) => "invalid assignment target".into(),
            (InvalidAssignmentTarget, Tg) => "ба ин ифода қимат додан мумкин нест".into(),
            (InvalidAssignmentTarget, Ru) => "недопустимая цель присваивания".into(),

            (DuplicateDefault, En) => "an `интихоб` can have only one `пешфарз` case".into(),
            (DuplicateDefault, Tg) => "`интихоб` танҳо як `пешфарз` дошта метавонад".into(),
            (DuplicateDefault, Ru) => "в `интихоб` может быть только один `пешфарз`".into(),

            (TryWithoutHandler, En) => "`кӯшиш` needs a `гирифтан` or `ниҳоят` block".into(),
            (TryWithoutHandler, Tg) => "`кӯшиш` бояд блоки `гирифтан` ё `ниҳоят` дошта бошад".into(),
            (TryWithoutHandler, Ru) => "`кӯшиш` требует блока `гирифтан` или `ниҳоят`".into(),

            (MissingSemicolon, En) => "expected `;` or a line break before this statement".into(),
            (MissingSemicolon, Tg) => "пеш аз ин ифода `;` ё сатри нав лозим аст".into(),
            (MissingSemicolon, Ru) => "перед этой инструкцией ожидалась `;` или перевод строки".into(),

            (LineBreakBeforeArrow, En) => "`=>` must be on the same line as the parameters".into(),
            (LineBreakBeforeArrow, Tg) => "`=>` бояд дар як сатр бо параметрҳо бошад".into(),
            (LineBreakBeforeArrow, Ru) => "`=>` должна стоять на одной строке с параметрами".into(),

            (InvalidRestPosition, En) => "a rest element must be last".into(),
            (InvalidRestPosition, Tg) => "унсури боқимонда бояд охирин бошад".into(),
            (InvalidRestPosition, Ru) => "остаточный элемент должен быть последним".into(),

            (YieldOutsideGenerator, En) => "`ҳосил` can only be used inside a generator function".into(),
            (YieldOutsideGenerator, Tg) => "`ҳосил` танҳо дар дохили функсияи генератор истифода мешавад".into(),
            (YieldOutsideGenerator, Ru) => "`ҳосил` можно использовать только внутри функции-генератора".into(),

            (TooDeeplyNested { limit }, En) => format!("nesting is deeper than the supported limit of {limit} levels"),
            (TooDeeplyNested { limit }, Tg) => format!("чуқурии ҷойгиршавӣ аз ҳадди {limit} зиёд аст"),
            (TooDeeplyNested { limit }, Ru) => format!("вложенность превышает допустимый предел в {limit} уровней"),

            (TopLevelAwait, En) => "`интизор` is only allowed inside a `ҳамзамон` function in CommonJS output".into(),
            (TopLevelAwait, Tg) => "дар хуруҷи CommonJS `интизор` танҳо дар дохили функсияи `ҳамзамон` иҷозат аст".into(),
            (TopLevelAwait, Ru) => "в выводе CommonJS `интизор` допускается только внутри функции `ҳамзамон`".into(),

            (LatinLookalike { latin, cyrillic }, En) => format!("the Latin letter `{latin}` looks like the Cyrillic `{cyrillic}`; did you mean `{cyrillic}`?"),
            (LatinLookalike { latin, cyrillic }, Tg) => format!("ҳарфи лотинии `{latin}` ба ҳарфи кириллии `{cyrillic}` монанд аст; шояд `{cyrillic}` дар назар буд?"),
            (LatinLookalike { latin, cyrillic }, Ru) => format!("латинская буква `{latin}` похожа на кириллическую `{cyrillic}`; возможно, имелась в виду `{cyrillic}`?"),

            (NonBreakingSpace, En) => "this is a non-breaking space (U+00A0); use an ordinary space".into(),
            (NonBreakingSpace, Tg) => "ин фосилаи ношикан (U+00A0) аст; фосилаи оддиро истифода баред".into(),
            (NonBreakingSpace, Ru) => "это неразрывный пробел (U+00A0); используйте обычный пробел".into(),

            (DidYouMean { name }, En) => format!("did you mean `{name}`?"),
            (DidYouMean { name }, Tg) => format!("шояд `{name}` дар назар буд?"),
            (DidYouMean { name }, Ru) => format!("возможно, имелось в виду `{name}`?"),
        }
    }
}

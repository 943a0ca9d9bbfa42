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

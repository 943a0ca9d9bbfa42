//! Every user-visible text of this crate, in English, Tajik (Cyrillic) and
//! Russian. Keys, values, codes and paths are never translated.

use somon_diagnostics::Lang;

use crate::error::{Expected, ParseReason, Problem, ReadReason, Suggestion};
use crate::provenance::Source;

pub(crate) fn problem(p: &Problem, lang: Lang) -> String {
    use Lang::*;
    match (p, lang) {
        (Problem::ReadFailed(r), En) => format!("cannot read the configuration file: {}", read_reason(r, lang)),
        (Problem::ReadFailed(r), Tg) => format!("файли танзимотро хондан мумкин нест: {}", read_reason(r, lang)),
        (Problem::ReadFailed(r), Ru) => format!("не удалось прочитать файл конфигурации: {}", read_reason(r, lang)),

        (Problem::Parse(r), En) => format!("invalid JSON: {}", parse_reason(r, lang)),
        (Problem::Parse(r), Tg) => format!("JSON-и нодуруст: {}", parse_reason(r, lang)),
        (Problem::Parse(r), Ru) => format!("некорректный JSON: {}", parse_reason(r, lang)),

        (Problem::UnknownKey { key, section, known }, _) => {
            let known = known.join(", ");
            match (section.is_empty(), lang) {
                (true, En) => format!("unknown key `{key}` (valid keys: {known})"),
                (true, Tg) => format!("калиди номаълуми `{key}` (калидҳои дуруст: {known})"),
                (true, Ru) => format!("неизвестный ключ `{key}` (допустимые ключи: {known})"),
                (false, En) => format!("unknown key `{key}` in `{section}` (valid keys: {known})"),
                (false, Tg) => format!("калиди номаълуми `{key}` дар `{section}` (калидҳои дуруст: {known})"),
                (false, Ru) => format!("неизвестный ключ `{key}` в `{section}` (допустимые ключи: {known})"),
            }
        }

        (Problem::InvalidValue { key, expected: e, found }, _) => {
            let e = expected(e, lang);
            match (found, lang) {
                (Some(f), En) if key.is_empty() => format!("invalid value {f}: expected {e}"),
                (Some(f), Tg) if key.is_empty() => format!("қимати нодуруст {f}: {e} интизор мерафт"),
                (Some(f), Ru) if key.is_empty() => format!("недопустимое значение {f}: ожидалось {e}"),
                (Some(f), En) => format!("invalid value {f} for `{key}`: expected {e}"),
                (Some(f), Tg) => format!("қимати нодуруст {f} барои `{key}`: {e} интизор мерафт"),
                (Some(f), Ru) => format!("недопустимое значение {f} для `{key}`: ожидалось {e}"),
                (None, En) => format!("missing value for `{key}`: expected {e}"),
                (None, Tg) => format!("барои `{key}` қимат дода нашудааст: {e} интизор мерафт"),
                (None, Ru) => format!("не указано значение для `{key}`: ожидалось {e}"),
            }
        }

        (Problem::DuplicateKey { key }, En) => format!("key `{key}` appears more than once"),
        (Problem::DuplicateKey { key }, Tg) => format!("калиди `{key}` якчанд маротиба омадааст"),
        (Problem::DuplicateKey { key }, Ru) => format!("ключ `{key}` встречается более одного раза"),

        (Problem::ProductionTypeCheck { because }, En) => format!(
            "`compilerOptions.typeCheck` cannot be false in production mode (production mode is on: {})",
            production_reason(because, lang)
        ),
        (Problem::ProductionTypeCheck { because }, Tg) => format!(
            "дар реҷаи истеҳсолӣ `compilerOptions.typeCheck` наметавонад false бошад (реҷаи истеҳсолӣ фаъол аст: {})",
            production_reason(because, lang)
        ),
        (Problem::ProductionTypeCheck { because }, Ru) => format!(
            "в производственном режиме `compilerOptions.typeCheck` не может быть false (производственный режим включён: {})",
            production_reason(because, lang)
        ),

        (Problem::UnknownFlag { flag }, En) => format!("no configuration key for the command-line option `{flag}`"),
        (Problem::UnknownFlag { flag }, Tg) => format!("барои параметри сатри фармони `{flag}` калиди танзимот нест"),
        (Problem::UnknownFlag { flag }, Ru) => format!("для параметра командной строки `{flag}` нет ключа конфигурации"),

        // ---- files of the previous SomonScript compiler ----
        (Problem::LegacyKey { key, replacement, inverted: false }, En) => format!(
            "`{key}` is a key of the previous SomonScript compiler: it is read as `{replacement}` (`somon config --migrate` rewrites the file)"
        ),
        (Problem::LegacyKey { key, replacement, inverted: false }, Tg) => format!(
            "`{key}` калиди компилятори пешинаи SomonScript аст: он ҳамчун `{replacement}` хонда мешавад (`somon config --migrate` файлро бо калидҳои нав аз нав менависад)"
        ),
        (Problem::LegacyKey { key, replacement, inverted: false }, Ru) => format!(
            "`{key}` — ключ прежнего компилятора SomonScript: он читается как `{replacement}` (`somon config --migrate` перепишет файл)"
        ),
        (Problem::LegacyKey { key, replacement, inverted: true }, En) => format!(
            "`{key}` is a key of the previous SomonScript compiler: it is read as `{replacement}` with the opposite value (`{key}: true` means `{replacement}: false`; `somon config --migrate` rewrites the file)"
        ),
        (Problem::LegacyKey { key, replacement, inverted: true }, Tg) => format!(
            "`{key}` калиди компилятори пешинаи SomonScript аст: он ҳамчун `{replacement}` бо қимати баръакс хонда мешавад (`{key}: true` яъне `{replacement}: false`; `somon config --migrate` файлро бо калидҳои нав аз нав менависад)"
        ),
        (Problem::LegacyKey { key, replacement, inverted: true }, Ru) => format!(
            "`{key}` — ключ прежнего компилятора SomonScript: он читается как `{replacement}` с противоположным значением (`{key}: true` означает `{replacement}: false`; `somon config --migrate` перепишет файл)"
        ),
        (Problem::LegacyValue { key, old, new }, En) => format!(
            "{old} is how the previous SomonScript compiler wrote this value of `{key}`: it is read as {new}"
        ),
        (Problem::LegacyValue { key, old, new }, Tg) => format!(
            "{old} — қимати `{key}` дар навишти компилятори пешинаи SomonScript аст: он ҳамчун {new} хонда мешавад"
        ),
        (Problem::LegacyValue { key, old, new }, Ru) => format!(
            "{old} — так прежний компилятор SomonScript записывал это значение `{key}`: оно читается как {new}"
        ),
        (Problem::IgnoredKey { key }, En) => format!(
            "`{key}` is a key of the previous SomonScript compiler that means nothing to this one: it is ignored"
        ),
        (Problem::IgnoredKey { key }, Tg) => format!(
            "`{key}` калиди компилятори пешинаи SomonScript аст, ки барои ин компилятор маъное надорад: он ба назар гирифта намешавад"
        ),
        (Problem::IgnoredKey { key }, Ru) => format!(
            "`{key}` — ключ прежнего компилятора SomonScript, который ничего не значит для этого компилятора: он игнорируется"
        ),
    }
}

fn read_reason(r: &ReadReason, lang: Lang) -> String {
    use Lang::*;
    match (r, lang) {
        (ReadReason::NotFound, En) => "file not found".into(),
        (ReadReason::NotFound, Tg) => "файл ёфт нашуд".into(),
        (ReadReason::NotFound, Ru) => "файл не найден".into(),
        (ReadReason::PermissionDenied, En) => "permission denied".into(),
        (ReadReason::PermissionDenied, Tg) => "иҷозати дастрасӣ нест".into(),
        (ReadReason::PermissionDenied, Ru) => "доступ запрещён".into(),
        (ReadReason::NotUtf8, En) => "the file is not valid UTF-8".into(),
        (ReadReason::NotUtf8, Tg) => "файл UTF-8-и дуруст нест".into(),
        (ReadReason::NotUtf8, Ru) => "файл не является корректным UTF-8".into(),
        (ReadReason::Other(text), _) => text.clone(),
    }
}

fn parse_reason(r: &ParseReason, lang: Lang) -> String {
    use Lang::*;
    use ParseReason::*;
    let text = match (r, lang) {
        (UnexpectedEnd, En) => "unexpected end of file",
        (UnexpectedEnd, Tg) => "файл ногаҳон ба охир расид",
        (UnexpectedEnd, Ru) => "неожиданный конец файла",
        (ExpectedValue, En) => "expected a value",
        (ExpectedValue, Tg) => "қимат интизор мерафт",
        (ExpectedValue, Ru) => "ожидалось значение",
        (ExpectedColon, En) => "expected `:`",
        (ExpectedColon, Tg) => "`:` интизор мерафт",
        (ExpectedColon, Ru) => "ожидалось `:`",
        (ExpectedCommaOrBrace, En) => "expected `,` or `}`",
        (ExpectedCommaOrBrace, Tg) => "`,` ё `}` интизор мерафт",
        (ExpectedCommaOrBrace, Ru) => "ожидалось `,` или `}`",
        (ExpectedCommaOrBracket, En) => "expected `,` or `]`",
        (ExpectedCommaOrBracket, Tg) => "`,` ё `]` интизор мерафт",
        (ExpectedCommaOrBracket, Ru) => "ожидалось `,` или `]`",
        (KeyMustBeString, En) => "keys must be strings in double quotes",
        (KeyMustBeString, Tg) => "калидҳо бояд сатрҳо дар нохунаки дукарата бошанд",
        (KeyMustBeString, Ru) => "ключи должны быть строками в двойных кавычках",
        (TrailingComma, En) => "trailing comma",
        (TrailingComma, Tg) => "вергули зиёдатӣ",
        (TrailingComma, Ru) => "лишняя запятая",
        (TrailingCharacters, En) => "unexpected text after the JSON value",
        (TrailingCharacters, Tg) => "пас аз қимати JSON матни зиёдатӣ ҳаст",
        (TrailingCharacters, Ru) => "лишний текст после значения JSON",
        (InvalidNumber, En) => "invalid number",
        (InvalidNumber, Tg) => "рақами нодуруст",
        (InvalidNumber, Ru) => "неверное число",
        (InvalidEscape, En) => "invalid escape sequence",
        (InvalidEscape, Tg) => "пайдарпаии эскейпи нодуруст",
        (InvalidEscape, Ru) => "неверная escape-последовательность",
        (ControlCharacter, En) => "control character inside a string",
        (ControlCharacter, Tg) => "аломати идоракунӣ дар дохили сатр",
        (ControlCharacter, Ru) => "управляющий символ внутри строки",
        (InvalidLiteral, En) => "invalid literal (expected true, false or null)",
        (InvalidLiteral, Tg) => "калимаи нодуруст (true, false ё null интизор мерафт)",
        (InvalidLiteral, Ru) => "неверный литерал (ожидалось true, false или null)",
        (TooDeep, En) => "nesting is too deep",
        (TooDeep, Tg) => "ҷойгиршавӣ аз ҳад чуқур аст",
        (TooDeep, Ru) => "слишком глубокая вложенность",
        (Other(text), _) => return text.clone(),
    };
    text.to_string()
}

pub(crate) fn expected(e: &Expected, lang: Lang) -> String {
    use Lang::*;
    match (e, lang) {
        (Expected::Object, En) => "an object".into(),
        (Expected::Object, Tg | Ru) => "объект".into(),
        (Expected::Boolean, En) => "true or false".into(),
        (Expected::Boolean, Tg) => "true ё false".into(),
        (Expected::Boolean, Ru) => "true или false".into(),
        (Expected::BooleanOrInline, En) => "true, false or \"inline\"".into(),
        (Expected::BooleanOrInline, Tg) => "true, false ё \"inline\"".into(),
        (Expected::BooleanOrInline, Ru) => "true, false или \"inline\"".into(),
        (Expected::Text, En) => "a non-empty string".into(),
        (Expected::Text, Tg) => "сатри ғайрихолӣ".into(),
        (Expected::Text, Ru) => "непустая строка".into(),
        (Expected::OneOf(names), _) => {
            let names = names.join(", ");
            match lang {
                En => format!("one of: {names}"),
                Tg => format!("яке аз инҳо: {names}"),
                Ru => format!("одно из: {names}"),
            }
        }
        (Expected::Integer { min, max }, _) => match (*max == u64::MAX, lang) {
            (true, En) => format!("an integer of at least {min}"),
            (true, Tg) => format!("адади бутуни на камтар аз {min}"),
            (true, Ru) => format!("целое число не меньше {min}"),
            (false, En) => format!("an integer from {min} to {max}"),
            (false, Tg) => format!("адади бутун аз {min} то {max}"),
            (false, Ru) => format!("целое число от {min} до {max}"),
        },
        (Expected::TextList, En) => "an array of non-empty strings".into(),
        (Expected::TextList, Tg) => "рӯйхати сатрҳои ғайрихолӣ".into(),
        (Expected::TextList, Ru) => "массив непустых строк".into(),
        (Expected::PathMap, En) => "an object mapping each pattern to an array of strings".into(),
        (Expected::PathMap, Tg) => {
            "объекте, ки ҳар қолабро ба рӯйхати сатрҳо мувофиқ мекунад".into()
        }
        (Expected::PathMap, Ru) => "объект, сопоставляющий каждому шаблону массив строк".into(),
        (Expected::CodeList, En) => "an array of diagnostic codes".into(),
        (Expected::CodeList, Tg) => "рӯйхати рамзҳои ташхис".into(),
        (Expected::CodeList, Ru) => "массив кодов диагностик".into(),
        (Expected::Code, En) => {
            "a diagnostic code such as TYPE_NOT_ASSIGNABLE (capital letters, digits and _)".into()
        }
        (Expected::Code, Tg) => {
            "рамзи ташхис, масалан TYPE_NOT_ASSIGNABLE (ҳарфҳои калон, рақамҳо ва _)".into()
        }
        (Expected::Code, Ru) => {
            "код диагностики, например TYPE_NOT_ASSIGNABLE (заглавные буквы, цифры и _)".into()
        }
        (Expected::PathOrPaths, En) => {
            "the path of an entry module, or a non-empty array of such paths".into()
        }
        (Expected::PathOrPaths, Tg) => "роҳи файли вуруд ё рӯйхати ғайрихолии чунин роҳҳо".into(),
        (Expected::PathOrPaths, Ru) => {
            "путь к входному модулю или непустой массив таких путей".into()
        }
        (Expected::NewEntry { first }, En) => {
            format!("an entry not listed before (it is already element {first})")
        }
        (Expected::NewEntry { first }, Tg) => {
            format!("вуруде, ки пештар номбар нашудааст (вай аллакай унсури {first} аст)")
        }
        (Expected::NewEntry { first }, Ru) => {
            format!("вход, которого ещё нет в списке (он уже указан как элемент {first})")
        }
    }
}

pub(crate) fn suggestion(s: &Suggestion, lang: Lang) -> String {
    use Lang::*;
    match (s, lang) {
        (Suggestion::Key(k), En) => format!("did you mean `{k}`?"),
        (Suggestion::Key(k), Tg) => format!("шояд `{k}` дар назар буд?"),
        (Suggestion::Key(k), Ru) => format!("возможно, имелось в виду `{k}`?"),
        (Suggestion::Path(p), En) => format!("this key belongs in another section: did you mean `{p}`?"),
        (Suggestion::Path(p), Tg) => format!("ин калид ба бахши дигар тааллуқ дорад: шояд `{p}` дар назар буд?"),
        (Suggestion::Path(p), Ru) => format!("этот ключ относится к другому разделу: возможно, имелось в виду `{p}`?"),
        (Suggestion::EnableTypeCheck, En) => {
            "remove `typeCheck: false` or `--no-type-check`, or turn production mode off with `--no-production`".into()
        }
        (Suggestion::EnableTypeCheck, Tg) => {
            "`typeCheck: false` ё `--no-type-check`-ро хориҷ кунед ё реҷаи истеҳсолиро бо `--no-production` хомӯш кунед".into()
        }
        (Suggestion::EnableTypeCheck, Ru) => {
            "уберите `typeCheck: false` или `--no-type-check` либо выключите производственный режим флагом `--no-production`".into()
        }
        (Suggestion::Value(v), En) => format!("did you mean {v}?"),
        (Suggestion::Value(v), Tg) => format!("шояд {v} дар назар буд?"),
        (Suggestion::Value(v), Ru) => format!("возможно, имелось в виду {v}?"),
        (Suggestion::Opposite { key, positive }, En) => format!(
            "`{positive}` is the opposite of `{key}`: write `{positive}` with the opposite value (`{key}: true` is `{positive}: false`)"
        ),
        (Suggestion::Opposite { key, positive }, Tg) => format!(
            "`{positive}` баръакси `{key}` аст: `{positive}`-ро бо қимати баръакс нависед (`{key}: true` яъне `{positive}: false`)"
        ),
        (Suggestion::Opposite { key, positive }, Ru) => format!(
            "`{positive}` — противоположность `{key}`: напишите `{positive}` с противоположным значением (`{key}: true` — это `{positive}: false`)"
        ),
    }
}

pub(crate) fn source(s: &Source, lang: Lang) -> String {
    use Lang::*;
    match (s, lang) {
        (Source::Default, En) => "default".into(),
        (Source::Default, Tg) => "пешфарз".into(),
        (Source::Default, Ru) => "по умолчанию".into(),
        (Source::ProductionDefault, En) => "default in production mode".into(),
        (Source::ProductionDefault, Tg) => "пешфарзи реҷаи истеҳсолӣ".into(),
        (Source::ProductionDefault, Ru) => "по умолчанию в производственном режиме".into(),
        (Source::ConfigFile(p), En) => format!("config file {}", p.display()),
        (Source::ConfigFile(p), Tg) => format!("файли танзимот {}", p.display()),
        (Source::ConfigFile(p), Ru) => format!("файл конфигурации {}", p.display()),
        (Source::Environment(v), En) => format!("environment {v}"),
        (Source::Environment(v), Tg) => format!("тағйирёбандаи муҳит {v}"),
        (Source::Environment(v), Ru) => format!("переменная окружения {v}"),
        (Source::CommandLine(f), En) => format!("command line {f}"),
        (Source::CommandLine(f), Tg) => format!("сатри фармон {f}"),
        (Source::CommandLine(f), Ru) => format!("командная строка {f}"),
    }
}

/// Why production mode is on or off: the source, with the value for
/// `NODE_ENV` (`environment NODE_ENV=production`).
pub(crate) fn production_reason(s: &Source, lang: Lang) -> String {
    match s {
        Source::Environment(v) if v == "NODE_ENV" => format!("{}=production", source(s, lang)),
        _ => source(s, lang),
    }
}

/// Words of `render_effective`.
pub(crate) enum Word {
    ConfigFile,
    NoConfigFile,
    ProductionMode,
    On,
    Off,
    NotSet,
}

pub(crate) fn word(w: Word, lang: Lang) -> &'static str {
    use Lang::*;
    match (w, lang) {
        (Word::ConfigFile, En) => "configuration file",
        (Word::ConfigFile, Tg) => "файли танзимот",
        (Word::ConfigFile, Ru) => "файл конфигурации",
        (Word::NoConfigFile, En) => "no configuration file",
        (Word::NoConfigFile, Tg) => "файли танзимот нест",
        (Word::NoConfigFile, Ru) => "файла конфигурации нет",
        (Word::ProductionMode, En) => "production mode",
        (Word::ProductionMode, Tg) => "реҷаи истеҳсолӣ",
        (Word::ProductionMode, Ru) => "производственный режим",
        (Word::On, En) => "on",
        (Word::On, Tg) => "фаъол",
        (Word::On, Ru) => "включён",
        (Word::Off, En) => "off",
        (Word::Off, Tg) => "ғайрифаъол",
        (Word::Off, Ru) => "выключен",
        (Word::NotSet, En) => "(not set)",
        (Word::NotSet, Tg) => "(муқаррар нашудааст)",
        (Word::NotSet, Ru) => "(не задано)",
    }
}

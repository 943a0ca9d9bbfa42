//! Help in Tajik and Russian. The command tree is declared once (in
//! English, with clap's derive); for another language the descriptions,
//! headings and built-in flags are replaced before parsing, so `--help`
//! of every command speaks the user's language. Command and option names
//! stay the same (English names always work).

use clap::{Arg, ArgAction, Command};
use somon_diagnostics::Lang;

/// Tajik and Russian texts for a command (`""` = the root) or for one of
/// its arguments (`command/arg-id`).
fn text(key: &str, lang: Lang) -> Option<&'static str> {
    let (tj, ru) = match key {
        "" => (
            "Компилятори SomonScript: барномаҳо бо калимаҳои тоҷикӣ ба JavaScript",
            "Компилятор SomonScript: программы с таджикскими ключевыми словами в JavaScript",
        ),
        "compile" => (
            "Файлҳои .som-ро (ё ҳамаи .som-ҳои ҷузвдонро) ба JavaScript табдил медиҳад",
            "Компилирует файлы .som (или все .som в папках) в JavaScript",
        ),
        "run" => (
            "Барномаро бо ҳамаи модулҳояш ҷамъ карда, бо Node.js иҷро мекунад",
            "Собирает программу со всеми модулями и запускает её в Node.js",
        ),
        "check" => (
            "Навъҳоро бе навиштани файл месанҷад",
            "Проверяет типы, ничего не записывая",
        ),
        "bundle" => (
            "Модули асосӣ ва ҳамаи воридоти онро дар як файл ҷамъ мекунад",
            "Собирает входной модуль и всё, что он импортирует, в один файл",
        ),
        "module-info" => (
            "Графи модулҳо, омор ва воридоти давриро нишон медиҳад",
            "Показывает граф модулей, статистику и циклические импорты",
        ),
        "resolve" => (
            "Нишон медиҳад, ки воридот ба куҷо мебарад",
            "Показывает, куда ведёт спецификатор импорта",
        ),
        "init" => (
            "Лоиҳаи нави SomonScript месозад",
            "Создаёт новый проект SomonScript",
        ),
        "watch" => (
            "Компайл мекунад ва файлҳои тағйирёфтаро аз нав компайл мекунад",
            "Компилирует и перекомпилирует изменённые файлы",
        ),
        "serve" => (
            "Хидмати сохтан: месозад, назорат мекунад ва аз нав месозад, бо нуқтаи идоракунӣ (/health, /ready, /metrics)",
            "Сервис сборки: собирает, следит и пересобирает, с точкой управления (/health, /ready, /metrics)",
        ),
        "config" => (
            "Танзимоти амалкунанда ва манбаи ҳар қиматро нишон медиҳад",
            "Показывает действующую конфигурацию и источник каждого значения",
        ),
        "lsp" => (
            "Сервери забон барои муҳаррирҳо (Language Server Protocol тавассути stdin/stdout)",
            "Языковой сервер для редакторов (Language Server Protocol через stdin/stdout)",
        ),
        "*/stdio" => (
            "Тавассути stdin/stdout гуфтугӯ мекунад (ягона роҳ; муштариёни муҳаррир онро мефиристанд)",
            "Обмен через stdin/stdout (единственный способ; клиенты редакторов передают этот флаг)",
        ),
        // somon fmt (issue 14):
        "fmt" => (
            "Файлҳои .som-ро бо як шакли ягонаи муқаррарӣ аз нав менависад (--check барои CI)",
            "Переписывает файлы .som в едином каноническом виде (--check для CI)",
        ),
        "*/check" => (
            "Чизе наменависад: файлҳои тартибнадодаро номбар мекунад ва агар бошанд, бо рамзи 1 анҷом меёбад (барои CI)",
            "Ничего не записывает: перечисляет неотформатированные файлы и завершается с кодом 1, если они есть (для CI)",
        ),
        "*/diff" => (
            "Чизе наменависад: тағйиротеро, ки тартибдиҳӣ меорад, ҳамчун diff нишон медиҳад",
            "Ничего не записывает: показывает изменения форматирования в виде diff",
        ),
        "*/stdin" => (
            "Барномаро аз вуруди стандартӣ хонда, тартибдодаашро ба баромади стандартӣ менависад",
            "Читает программу со стандартного ввода и пишет отформатированную на стандартный вывод",
        ),
        "help" => ("Кӯмак", "Справка"),
        // ---- monorepo builds: hermetic mode, depfiles, the Bazel worker ----
        "worker" => (
            "Коргари доимии Bazel: WorkRequest-ҳои JSON аз stdin, WorkResponse-ҳо ба stdout, кешҳо байни дархостҳо нигоҳ дошта мешаванд",
            "Постоянный воркер Bazel: JSON WorkRequest из stdin, WorkResponse в stdout, кэши сохраняются между запросами",
        ),
        "*/persistent_worker" => (
            "Парчаме, ки Bazel коргари доимиро бо он оғоз мекунад (бе он ҳам ҳамин тавр кор мекунад)",
            "Флаг, с которым Bazel запускает постоянный воркер (без него воркер работает так же)",
        ),
        "*/flagfile" => (
            "Бе --persistent_worker: `@файл` (дар ҳар сатр як аргумент) як бор иҷро мешавад, чунон ки Bazel амалро бе коргарон иҷро мекунад",
            "Без --persistent_worker: `@файл` (по аргументу в строке) выполняется один раз, как Bazel выполняет действие без воркеров",
        ),
        "*/no_config_lookup" => (
            "Ҷуз файли --config ягон файли танзимотро намехонад (аз боло ҷустуҷӯ намекунад)",
            "Не читает никакой файл конфигурации, кроме указанного в --config (без поиска вверх по дереву)",
        ),
        "*/hermetic" => (
            "Сохтани ҳерметикӣ: --no-config-lookup, ягон тағйирёбандаи муҳит натиҷаро дигар намекунад (паёмҳо бо англисӣ, агар --lang набошад) ва ҳеҷ файли берун аз ҷузвдони ҷорӣ ва бастаҳои node_modules-и воридшуда хонда намешавад (HERMETIC_READ)",
            "Герметичная сборка: --no-config-lookup, никакая переменная окружения не меняет результат (сообщения на английском, если нет --lang), и не читается ни один файл вне текущей папки и импортируемых пакетов node_modules (HERMETIC_READ)",
        ),
        "*/deps_file" => (
            "Файли depfile-и Make/Ninja менависад: файлҳои навишташуда, сипас ҳар файли хондашуда",
            "Записывает depfile Make/Ninja: записанные файлы, затем каждый прочитанный файл",
        ),
        // ---- bundle reporting (bundlex) ----
        "*/metafile" => (
            "Файли JSON-и metafile менависад (шакли esbuild): андоза ва воридоти ҳар файли вуруд, андозаи ҳар баромад ва чанд байти он аз ҳар файли вуруд аст",
            "Записывает JSON-метафайл (в формате esbuild): размер и импорты каждого входного файла, размер каждого выхода и сколько байт в нём от каждого входа",
        ),
        "*/analyze" => (
            "Модулҳои калонтарини бандлро бо ҳиссаашон ва сабаби дохил шудани ҳар кадом (занҷири воридот аз нуқтаи вуруд) чоп мекунад",
            "Печатает самые большие модули бандла с их долей и причиной включения каждого (цепочку импортов от точки входа)",
        ),
        "*/precompress" => (
            "Дар паҳлуи баромад нусхаҳои фишурдаи .gz ва .br менависад (масалан gzip,br ё gzip=9,br=11 бо сатҳҳо)",
            "Записывает рядом с выходом сжатые копии .gz и .br (например gzip,br или gzip=9,br=11 с уровнями)",
        ),
        "*/define" => (
            "Номи умумӣ ё роҳи нуқтадорро бо ифодаи доимӣ иваз мекунад ва шохаҳои мурдаро мепартояд (такроршаванда): --define process.env.NODE_ENV='\"production\"'",
            "Заменяет глобальное имя или путь через точку постоянным выражением и убирает мёртвые ветви (можно повторять): --define process.env.NODE_ENV='\"production\"'",
        ),
        "*/drop" => (
            "Даъватҳои console ва/ё дастурҳои debugger-ро хориҷ мекунад (console,debugger)",
            "Удаляет вызовы console и/или инструкции debugger (console,debugger)",
        ),
        "*/json" => (
            "Он чиро, ки `somon bundle`-и ҳамин модул мехонад ва менависад, бо модулҳо ба шакли JSON чоп мекунад",
            "Печатает в JSON, что читает и записывает `somon bundle` этого модуля, вместе с модулями",
        ),
        "*/watch" => (
            "Кор карданро давом медиҳад: тағйиротро аз нав месозад",
            "Продолжает работу: пересобирает при изменениях",
        ),
        "*/management_port" => (
            "/health, /ready ва /metrics-ро дар ин порт медиҳад (0: ҳар порти озод; --watch-ро дар назар дорад)",
            "Отдаёт /health, /ready и /metrics на этом порту (0: любой свободный; подразумевает --watch)",
        ),
        "*/management_host" => (
            "Суроғаи нуқтаи идоракунӣ [пешфарз: 127.0.0.1]",
            "Адрес точки управления [по умолчанию: 127.0.0.1]",
        ),
        "*/log_level" => (
            "Сатҳи сабт: error, warn, info, debug ё trace (инчунин SOMON_LOG)",
            "Уровень журнала: error, warn, info, debug или trace (также SOMON_LOG)",
        ),
        "*/log_format" => (
            "Шакли сабт дар stderr: text ё json (json дар истеҳсолот)",
            "Формат журнала в stderr: text или json (json в production)",
        ),
        "*/shutdown_timeout" => (
            "Миллисонияҳое, ки қатъи нарм гирифта метавонад",
            "Миллисекунды, отведённые на плавную остановку",
        ),
        "*/config" => (
            "Файли танзимот (пешфарз: somon.config.json ё .somonrc аз боло)",
            "Файл конфигурации (по умолчанию: somon.config.json или .somonrc выше по дереву)",
        ),
        "*/production" => (
            "Реҷаи истеҳсолот (инчунин NODE_ENV=production)",
            "Режим production (также NODE_ENV=production)",
        ),
        "*/no_production" => (
            "Реҷаи истеҳсолот не, новобаста аз NODE_ENV",
            "Не режим production, независимо от NODE_ENV",
        ),
        "*/migrate" => (
            "Файли танзимоти компилятори пешинаи SomonScript-ро бо калидҳои ҳамин компилятор аз нав менависад (файли кӯҳна ҳамчун нусхаи эҳтиётӣ нигоҳ дошта мешавад)",
            "Переписывает файл конфигурации прежнего компилятора SomonScript ключами этого компилятора (старый файл сохраняется как резервная копия)",
        ),
        "*/path" => (
            "Файл ё ҷузвдоне, ки танзимоти онро нишон додан лозим аст",
            "Файл или папка, чью конфигурацию показать",
        ),
        "*/target" => ("Сатҳи забони натиҷа", "Уровень языка результата"),
        "*/module" => ("Формати модулҳои натиҷа", "Формат модулей результата"),
        "*/minify" => (
            "Натиҷаро бо минификатори swc кӯтоҳ мекунад",
            "Минифицирует результат минификатором swc",
        ),
        "*/no_compress" => ("Бо --minify: фишурда накунад", "С --minify: не сжимать"),
        "*/no_mangle" => (
            "Бо --minify: номҳоро иваз накунад",
            "С --minify: не переименовывать",
        ),
        "*/keep_names" => (
            "Бо --minify: `.name`-и функсияҳо ва синфҳоро нигоҳ медорад",
            "С --minify: сохраняет `.name` функций и классов",
        ),
        "*/no_type_check" => ("Санҷиши навъҳоро мегузарад", "Пропускает проверку типов"),
        "*/lang" => ("Забони паёмҳо: en, tj, ru", "Язык сообщений: en, tj, ru"),
        "*/diagnostics" => ("Шакли чопи хатоҳо", "Формат вывода диагностик"),
        "*/max_diagnostics_per_file" => (
            "Аз ҳар файл ҳамин қадар хато ва огоҳӣ чоп мешавад [пешфарз: 100]; 0: бе маҳдудият",
            "Не более стольких диагностик на файл [по умолчанию: 100]; 0: без ограничения",
        ),
        "*/max_diagnostics" => (
            "Дар як фармон ё сохтан ҳамин қадар хато ва огоҳӣ чоп мешавад [пешфарз: 1000]; 0: бе маҳдудият",
            "Не более стольких диагностик за команду или сборку [по умолчанию: 1000]; 0: без ограничения",
        ),
        "*/inputs" => (
            "Файлҳо ё ҷузвдонҳо (ҷузвдон — ҳамаи .som-ҳои дохили он)",
            "Файлы или папки (папка — все .som внутри неё)",
        ),
        "*/input" => ("Файли асосии .som", "Входной файл .som"),
        "*/output" => ("Файли натиҷа", "Выходной файл"),
        "*/out_dir" => (
            "Ҷузвдони натиҷа (сохтори ҷузвдонҳо нигоҳ дошта мешавад)",
            "Папка результата (структура папок сохраняется)",
        ),
        "*/source_map" => (
            "Харитаи манбаъ: файли алоҳида ё дарунӣ",
            "Карта исходников: отдельный файл или встроенная",
        ),
        "*/inline_sources" => (
            "Матни .som-ро ба харитаи манбаъ дохил мекунад",
            "Включает текст .som в карту исходников",
        ),
        "*/args" => (
            "Аргументҳои барнома (пас аз `--`)",
            "Аргументы программы (после `--`)",
        ),
        "*/format" => ("Формати баста", "Формат сборки"),
        "*/platform" => (
            "Баста дар куҷо кор мекунад: node (модулҳои дарунсохти Node.js иҷозат дода мешаванд), browser ё neutral [пешфарз: bundle.platform, вагарна node]",
            "Где работает сборка: node (встроенные модули Node.js разрешены), browser или neutral [по умолчанию: bundle.platform, иначе node]",
        ),
        "*/global_name" => (
            "Номи тағйирёбандаи умумӣ барои iife ва umd",
            "Имя глобальной переменной для iife и umd",
        ),
        "*/external" => (
            "Бастаҳое, ки ворид боқӣ мемонанд (бо вергул)",
            "Пакеты, которые остаются импортами (через запятую)",
        ),
        "*/circular" => (
            "Воридоти даврӣ огоҳӣ аст ё хато",
            "Циклический импорт: предупреждение или ошибка",
        ),
        "*/more_inputs" => (
            "Нуқтаҳои вуруди дигар: ҳар кадом бандли худро дар --outdir мегирад (бо --splitting қисмҳои умумӣ доранд)",
            "Другие точки входа: каждая получает свой бандл в --outdir (с --splitting у них общие чанки)",
        ),
        "*/outdir" => (
            "Ҷузвдони натиҷаҳо, ҳар кадом бо номи нуқтаи вурудаш (асосӣ.som → асосӣ.js)",
            "Папка результатов, каждый назван по своей точке входа (вход.som → вход.js)",
        ),
        "*/splitting" => (
            "Тақсими код (бо --format esm ва --outdir): ҳар ҳадафи ворид(…) ва ҳар нуқтаи вуруд қисми алоҳида мешавад, модулҳои умумӣ дар қисмҳои умумӣ",
            "Разделение кода (с --format esm и --outdir): каждая цель ворид(…) и точка входа — отдельный чанк, общие модули — в общих чанках",
        ),
        "*/chunk_names" => (
            "Қолаби номи қисмҳое, ки нуқтаи вуруд нестанд ([name] — номи модул, [hash] — хеши мундариҷа; пешфарз: ном-хеш)",
            "Шаблон имён чанков, которые не являются точками входа ([name] — имя модуля, [hash] — хеш содержимого; по умолчанию: имя-хеш)",
        ),
        "*/no_tree_shaking" => (
            "Рамзеро, ки ҳеҷ нуқтаи воридшавӣ ба он намерасад, нигоҳ медорад (бе ин парчам он хориҷ карда мешавад)",
            "Сохраняет код, до которого не доходит ни одна точка входа (без этого флага он удаляется)",
        ),
        "*/graph" => (
            "Дарахти вобастагиҳоро чоп мекунад",
            "Печатает дерево зависимостей",
        ),
        "*/stats" => ("Оморро чоп мекунад", "Печатает статистику"),
        "*/specifier" => (
            "Роҳи воридот, чунон ки навишта шудааст",
            "Спецификатор, как он написан в импорте",
        ),
        "*/from" => ("Файле, ки ворид мекунад", "Импортирующий файл"),
        "*/name" => ("Ҷузвдон ва номи лоиҳа", "Папка и имя проекта"),
        "*/yes" => (
            "Ҳамаи пешфарзҳоро бе савол қабул мекунад",
            "Принимает все значения по умолчанию без вопросов",
        ),
        "*/no_gitignore" => (".gitignore насозад", "Не создавать .gitignore"),
        "*/no_readme" => ("README.md насозад", "Не создавать README.md"),
        "*/template" => (
            "Лоиҳа бо чӣ сохта мешавад: node (ба dist/ компайл), vite (саҳифаи веб бо сервери Vite) ё library (бастаи китобхона барои npm)",
            "Чем собирается проект: node (компиляция в dist/), vite (веб-страница с dev-сервером Vite) или library (сборка пакета для npm)",
        ),
        "*/help" => ("Кӯмакро чоп мекунад", "Печатает справку"),
        "*/version" => ("Версияро чоп мекунад", "Печатает версию"),
        _ => return None,
    };
    match lang {
        Lang::En => None,
        Lang::Tg => Some(tj),
        Lang::Ru => Some(ru),
    }
}

fn template(lang: Lang) -> &'static str {
    match lang {
        Lang::Tg => "{about-with-newline}\nИстифода: {usage}\n\n{all-args}{after-help}",
        Lang::Ru => "{about-with-newline}\nИспользование: {usage}\n\n{all-args}{after-help}",
        Lang::En => "{about-with-newline}\nUsage: {usage}\n\n{all-args}{after-help}",
    }
}

fn headings(lang: Lang) -> (&'static str, &'static str, &'static str) {
    match lang {
        Lang::Tg => ("Фармонҳо", "Аргументҳо", "Имконот"),
        Lang::Ru => ("Команды", "Аргументы", "Параметры"),
        Lang::En => ("Commands", "Arguments", "Options"),
    }
}

/// Translates the help of `cmd` and all its subcommands into `lang`.
pub fn localize(cmd: Command, lang: Lang) -> Command {
    if lang == Lang::En {
        return cmd;
    }
    let mut cmd = localize_one(cmd, "", lang);
    // The `help` command exists once the tree is built.
    cmd.build();
    let (about, arg) = match lang {
        Lang::Ru => (
            "Печатает эту справку или справку указанной команды",
            "Команда, справку которой показать",
        ),
        _ => (
            "Ҳамин кӯмак ё кӯмаки фармони зикршударо чоп мекунад",
            "Фармоне, ки кӯмаки онро нишон додан лозим аст",
        ),
    };
    let (commands, arguments, _) = headings(lang);
    cmd.mut_subcommand("help", |h| {
        let ids: Vec<String> = h.get_arguments().map(|a| a.get_id().to_string()).collect();
        let mut h = h
            .about(about)
            .help_template(template(lang))
            .subcommand_help_heading(commands);
        for id in ids {
            h = h.mut_arg(id.as_str(), |a| a.help(arg).help_heading(arguments));
        }
        // `somon help help`.
        if h.find_subcommand("help").is_some() {
            h = h.mut_subcommand("help", |inner| inner.about(about));
        }
        h
    })
}

/// "values" before a list of the values an option takes.
fn values_word(lang: Lang) -> &'static str {
    match lang {
        Lang::Ru => "значения",
        _ => "қиматҳо",
    }
}

fn localize_one(mut cmd: Command, key: &str, lang: Lang) -> Command {
    let (commands, arguments, options) = headings(lang);
    if let Some(about) = text(key, lang) {
        cmd = cmd.about(about).long_about(None);
    }
    cmd = cmd
        .help_template(template(lang))
        .subcommand_help_heading(commands)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help(text("*/help", lang).unwrap_or("Print help"))
                .help_heading(options),
        );
    if key.is_empty() {
        cmd = cmd.disable_version_flag(true).arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help(text("*/version", lang).unwrap_or("Print version"))
                .help_heading(options),
        );
    }
    let ids: Vec<(String, bool)> = cmd
        .get_arguments()
        .map(|a| (a.get_id().to_string(), a.is_positional()))
        .collect();
    for (id, positional) in ids {
        if id == "help" || id == "version" {
            continue;
        }
        let help = text(&format!("*/{id}"), lang);
        let heading = if positional { arguments } else { options };
        cmd = cmd.mut_arg(id.as_str(), |a| {
            // clap lists possible values (with their English
            // descriptions) under an English heading: the values go into
            // the translated text instead.
            let takes_values = matches!(a.get_action(), ArgAction::Set | ArgAction::Append);
            let values: Vec<String> = a
                .get_possible_values()
                .iter()
                .filter(|_| takes_values)
                .filter(|v| !v.is_hide_set())
                .map(|v| v.get_name().to_string())
                .collect();
            let a = a.help_heading(heading);
            let a = if values.is_empty() {
                a
            } else {
                a.hide_possible_values(true)
            };
            match help {
                Some(h) if values.is_empty() => a.help(h),
                Some(h) => a.help(format!(
                    "{h} [{}: {}]",
                    values_word(lang),
                    values.join(", ")
                )),
                None => a,
            }
        });
    }
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|c| c.get_name().to_string())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name.as_str(), |sub| localize_one(sub, &name, lang));
    }
    cmd
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    /// Every command and every argument has its Tajik and Russian text.
    #[test]
    fn every_command_and_argument_is_translated() {
        fn walk(cmd: &Command, key: &str, missing: &mut Vec<String>) {
            if text(key, Lang::Tg).is_none() {
                missing.push(format!("command `{key}`"));
            }
            for a in cmd.get_arguments() {
                let id = a.get_id().as_str();
                if id != "help" && id != "version" && text(&format!("*/{id}"), Lang::Tg).is_none() {
                    missing.push(format!("{key}/{id}"));
                }
            }
            for sub in cmd.get_subcommands() {
                walk(sub, sub.get_name(), missing);
            }
        }
        let mut missing = Vec::new();
        walk(&crate::Cli::command(), "", &mut missing);
        assert!(missing.is_empty(), "no Tajik/Russian help for: {missing:?}");
    }

    /// The Tajik and Russian help of every command has no English left
    /// (only names: commands, options, values, files and tools).
    #[test]
    fn translated_help_has_no_english_words() {
        fn english_words(text: &str) -> Vec<String> {
            const NAMES: &[&str] = &[
                "somon",
                "SomonScript",
                "JavaScript",
                "Node",
                "NODE_ENV",
                "SOMON_LOG",
                "swc",
                "json",
                "text",
                "iife",
                "umd",
                "cjs",
                "esm",
                "node",
                "browser",
                "neutral",
                "error",
                "warn",
                "info",
                "debug",
                "trace",
                "health",
                "ready",
                "metrics",
                "bundle",
                "platform",
                "README",
                "gitignore",
                "somonrc",
                "config",
                "production",
                "vite",
                "library",
                "dist",
                "npm",
                "name",
                "file",
                "inline",
                "pretty",
                "Vite",
                "COMMAND",
                "INPUT",
                "OPTIONS",
                "ARGS",
                "PATH",
                "PORT",
                "ADDRESS",
                "LEVEL",
                "FORMAT",
                "TARGET",
                "MODULE",
                "FILE",
                "LANG",
                "NAME",
                "SPECIFIER",
                "OUTPUT",
                "DIR",
                "MS",
                "GLOBAL_NAME",
                "EXTERNAL",
                "CIRCULAR",
                "PLATFORM",
                "SOURCE_MAP",
                "TEMPLATE",
                "OUT_DIR",
                "DIAGNOSTICS",
                "CONFIG",
                "FROM",
                "INPUTS",
                "dev",
                "LOG_FORMAT",
                "LOG_LEVEL",
                "stderr",
                "help",
                "version",
                "compile",
                "watch",
                "run",
                "check",
                "module",
                "info",
                "resolve",
                "serve",
                "init",
                "warning",
                "som",
                "map",
                "json",
                "js",
                // Commands, tools, protocols and codes named in the help of
                // `fmt`, `worker` and `--hermetic`/`--deps-file`.
                "fmt",
                "worker",
                "Bazel",
                "WorkRequest",
                "WorkResponse",
                "FLAGFILE",
                "HERMETIC_READ",
                // `somon bundle a.som b.som`: the more entries' value name.
                "MORE_INPUTS",
                // `--chunk-names` placeholders (`[name]`, `[hash]`).
                "hash",
                "JSON",
                "Make",
                "Ninja",
                "depfile",
                "node_modules",
                "stdout",
                // `bundle --precompress`: the codecs' names.
                "gzip",
                "CODECS",
                "MORE_INPUTS",
                // `bundle --define`/`--drop`: names of JavaScript.
                "VALUE",
                "WHAT",
                "process",
                "env",
                "NODE_ENV",
                "console",
                "debugger",
                // `somon lsp`: the protocol's own name.
                "lsp",
                "Language",
                "Server",
                "Protocol",
            ];
            text.split(|c: char| !c.is_ascii_alphabetic() && c != '_')
                .filter(|w| w.len() >= 3)
                .filter(|w| !w.starts_with("es"))
                .filter(|w| !NAMES.contains(w))
                .map(str::to_string)
                .collect()
        }
        for lang in [Lang::Tg, Lang::Ru] {
            let mut root = localize(crate::Cli::command(), lang);
            let mut found = english_words(&root.render_long_help().to_string());
            let names: Vec<String> = root
                .get_subcommands()
                .map(|c| c.get_name().to_string())
                .collect();
            for name in names {
                if let Some(sub) = root.find_subcommand_mut(&name) {
                    found.extend(english_words(&sub.render_long_help().to_string()));
                }
            }
            found.sort();
            found.dedup();
            // Option names (`--max-diagnostics`) are split into words:
            // those words are names too.
            found.retain(|w| {
                !crate::Cli::command()
                    .get_subcommands()
                    .flat_map(|c| c.get_arguments())
                    .chain(crate::Cli::command().get_arguments())
                    .filter_map(|a| a.get_long())
                    .any(|l| l.split('-').any(|part| part == w))
            });
            assert!(
                found.is_empty(),
                "{lang:?} help has English words: {found:?}"
            );
        }
    }
}

//! `somon init`: a new project. With `--yes` every default is taken;
//! otherwise a short wizard asks on standard input (a terminal, or answers
//! piped in; the end of input takes the remaining defaults).

use crate::{
    display_path, usage_error, write_atomic, Environment, InitArgs, ModuleArg, Outcome,
    TemplateArg, VERSION,
};
use somon_compiler::Target;
use somon_diagnostics::{Lang, Message};
use std::io::{BufRead, IsTerminal, Write};

struct Answers {
    name: String,
    target: Target,
    esm: bool,
    gitignore: bool,
    readme: bool,
    template: TemplateArg,
}

fn ask(lang: Lang) -> [&'static str; 6] {
    match lang {
        Lang::En => [
            "Project name",
            "Target (es5 … es2022, esnext)",
            "Module format (cjs, esm)",
            "Add a .gitignore? (y/n)",
            "Add a README? (y/n)",
            "Template (node, vite, library)",
        ],
        Lang::Tg => [
            "Номи лоиҳа",
            "Сатҳи забон (es5 … es2022, esnext)",
            "Формати модул (cjs, esm)",
            ".gitignore илова шавад? (y/n)",
            "README илова шавад? (y/n)",
            "Намуна (node, vite, library)",
        ],
        Lang::Ru => [
            "Имя проекта",
            "Целевой уровень (es5 … es2022, esnext)",
            "Формат модулей (cjs, esm)",
            "Добавить .gitignore? (y/n)",
            "Добавить README? (y/n)",
            "Шаблон (node, vite, library)",
        ],
    }
}

/// A valid npm package name for any project name: lower case, Tajik and
/// Russian letters written in Latin ones, spaces and other characters npm
/// refuses as `-`, at most 214 characters, never starting with `.`, `_`
/// or `-`; `somon-project` when nothing is left.
pub(crate) fn package_name(name: &str) -> String {
    let mut out = String::new();
    for c in name.trim().to_lowercase().chars() {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "g",
            'ғ' => "gh",
            'д' => "d",
            'е' | 'э' => "e",
            'ё' => "yo",
            'ж' => "zh",
            'з' => "z",
            'и' | 'ӣ' | 'і' => "i",
            'й' => "y",
            'к' => "k",
            'қ' => "q",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' | 'ӯ' => "u",
            'ф' => "f",
            'х' => "kh",
            'ҳ' => "h",
            'ч' => "ch",
            'ҷ' => "j",
            'ш' => "sh",
            'щ' => "shch",
            'ъ' | 'ь' => "",
            'ы' => "y",
            'ю' => "yu",
            'я' => "ya",
            c if c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_') => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        out.push_str(latin);
    }
    // One `-` between words, none at either end.
    let mut name = String::with_capacity(out.len());
    for c in out.chars() {
        if c == '-' && (name.is_empty() || name.ends_with('-')) {
            continue;
        }
        name.push(c);
    }
    let name: String = name
        .trim_start_matches(['.', '_', '-'])
        .trim_end_matches('-')
        .chars()
        .take(214)
        .collect();
    let name = name.trim_end_matches('-').to_string();
    if name.is_empty() || name == "node_modules" || name == "favicon.ico" {
        "somon-project".to_string()
    } else {
        name
    }
}

/// Reads one answer; `None` at the end of input.
fn prompt(
    question: &str,
    default: &str,
    input: &mut dyn BufRead,
    interactive: bool,
) -> Option<String> {
    if interactive {
        let mut err = std::io::stderr().lock();
        let _ = write!(err, "{question} [{default}]: ");
        let _ = err.flush();
    }
    let mut line = String::new();
    match input.read_line(&mut line) {
        Ok(0) | Err(_) => None,
        Ok(_) => {
            let t = line.trim();
            Some(if t.is_empty() {
                default.to_string()
            } else {
                t.to_string()
            })
        }
    }
}

fn yes(s: &str) -> bool {
    matches!(
        s.trim().to_lowercase().as_str(),
        "y" | "yes" | "ҳа" | "да" | "true" | "1"
    )
}

pub(crate) fn init_command(a: InitArgs, env: &Environment) -> Outcome {
    let dir = match &a.name {
        Some(n) => env.cwd.join(n),
        None => env.cwd.clone(),
    };
    if let Ok(mut entries) = std::fs::read_dir(&dir) {
        if entries.next().is_some() {
            return usage_error(
                env,
                Message::FolderNotEmpty {
                    path: if a.name.is_some() {
                        display_path(&dir, env)
                    } else {
                        ".".into()
                    },
                },
            );
        }
    }
    let default_name = dir
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "somon-project".into());
    let mut answers = Answers {
        name: default_name,
        target: a.target.unwrap_or(Target::Es2020),
        esm: a.module == Some(ModuleArg::Esm),
        gitignore: !a.no_gitignore,
        readme: !a.no_readme,
        template: a.template.unwrap_or(TemplateArg::Node),
    };
    // The wizard is a development convenience: production mode takes the
    // defaults (and the flags) without asking.
    let production = std::env::var("NODE_ENV").is_ok_and(|v| v == "production");
    if !a.yes && !production {
        let stdin = std::io::stdin();
        let interactive = stdin.is_terminal();
        let mut input = stdin.lock();
        let q = ask(env.lang);
        let target_default = Target::ALL
            .iter()
            .find(|(_, t)| *t == answers.target)
            .map_or("es2020", |(n, _)| *n);
        if let Some(v) = prompt(q[0], &answers.name, &mut input, interactive) {
            answers.name = v;
        }
        if let Some(v) = prompt(q[1], target_default, &mut input, interactive) {
            match Target::parse(&v) {
                Some(t) => answers.target = t,
                None => {
                    return usage_error(
                        env,
                        Message::InvalidValue {
                            option: "target".into(),
                            value: v,
                            valid: Target::ALL.map(|(n, _)| n).join(", "),
                        },
                    )
                }
            }
        }
        if let Some(v) = prompt(
            q[2],
            if answers.esm { "esm" } else { "cjs" },
            &mut input,
            interactive,
        ) {
            answers.esm = v.trim().eq_ignore_ascii_case("esm");
        }
        if let Some(v) = prompt(
            q[3],
            if answers.gitignore { "y" } else { "n" },
            &mut input,
            interactive,
        ) {
            answers.gitignore = yes(&v);
        }
        if let Some(v) = prompt(
            q[4],
            if answers.readme { "y" } else { "n" },
            &mut input,
            interactive,
        ) {
            answers.readme = yes(&v);
        }
        if a.template.is_none() {
            if let Some(v) = prompt(q[5], "node", &mut input, interactive) {
                answers.template = match v.trim().to_lowercase().as_str() {
                    "node" => TemplateArg::Node,
                    "vite" => TemplateArg::Vite,
                    "library" => TemplateArg::Library,
                    _ => {
                        return usage_error(
                            env,
                            Message::InvalidValue {
                                option: "template".into(),
                                value: v,
                                valid: "node, vite, library".into(),
                            },
                        )
                    }
                };
            }
        }
    }
    // A Vite project is made of ES modules.
    if answers.template == TemplateArg::Vite {
        answers.esm = true;
    }
    match write_project(&dir, &answers) {
        Ok(()) => {
            let mut out = std::io::stdout().lock();
            let shown = if a.name.is_some() {
                display_path(&dir, env)
            } else {
                ".".into()
            };
            let _ = match env.lang {
                Lang::En => writeln!(out, "Created SomonScript project '{}' in {shown}\nNext: cd {shown} && npm install && npm run dev", answers.name),
                Lang::Tg => writeln!(out, "Лоиҳаи SomonScript '{}' дар {shown} сохта шуд\nБаъд: cd {shown} && npm install && npm run dev", answers.name),
                Lang::Ru => writeln!(out, "Проект SomonScript '{}' создан в {shown}\nДалее: cd {shown} && npm install && npm run dev", answers.name),
            };
            Outcome::exit(0)
        }
        Err(e) => usage_error(
            env,
            Message::CannotWrite {
                path: display_path(&dir, env),
                reason: e.to_string(),
            },
        ),
    }
}

fn json_string(s: &str) -> String {
    serde_json::Value::String(s.to_string()).to_string()
}

/// The files of a new project, by path relative to its folder.
fn project_files(a: &Answers) -> Vec<(&'static str, String)> {
    let target = Target::ALL
        .iter()
        .find(|(_, t)| *t == a.target)
        .map_or("es2020", |(n, _)| *n);
    let module = if a.esm { "esm" } else { "cjs" };
    let name = json_string(&package_name(&a.name));
    let version = json_string(&format!("^{VERSION}"));
    // `"type": "module"` makes Node.js load the emitted `.js` files as ES
    // modules, as `module: "esm"` writes them.
    let type_line = if a.esm {
        "  \"type\": \"module\",\n"
    } else {
        ""
    };
    let mut files: Vec<(&'static str, String)> = Vec::new();
    let mut config_extra = String::new();
    let main_som = "// Барномаи аввал\nфунксия салом(ном: сатр): сатр {\n  бозгашт `Салом, ${ном}!`;\n}\n\nчоп.сабт(салом(\"ҷаҳон\"));\n";
    let readme_lines = match a.template {
        TemplateArg::Node => {
            files.push((
                "package.json",
                format!(
                    "{{\n  \"name\": {name},\n  \"version\": \"0.1.0\",\n  \"private\": true,\n{type_line}  \"scripts\": {{\n    \"build\": \"somon compile src --out-dir dist\",\n    \"dev\": \"somon watch src --out-dir dist\",\n    \"start\": \"node dist/main.js\",\n    \"test\": \"somon check src\"\n  }},\n  \"devDependencies\": {{\n    \"somonscript\": {version}\n  }}\n}}\n"
                ),
            ));
            files.push(("src/main.som", main_som.to_string()));
            "- `npm run dev` compiles `src/` into `dist/` and recompiles what changes\n- `npm run build` compiles `src/` into `dist/`; `npm start` runs `dist/main.js`\n- `npm test` type-checks `src/`\n"
        }
        TemplateArg::Vite => {
            files.push((
                "package.json",
                format!(
                    "{{\n  \"name\": {name},\n  \"version\": \"0.1.0\",\n  \"private\": true,\n{type_line}  \"scripts\": {{\n    \"dev\": \"vite\",\n    \"build\": \"somon check src && vite build\",\n    \"preview\": \"vite preview\",\n    \"test\": \"somon check src\"\n  }},\n  \"devDependencies\": {{\n    \"somonscript\": {version},\n    \"vite\": \"^8.0.0\"\n  }}\n}}\n"
                ),
            ));
            files.push((
                "vite.config.js",
                "import somon from 'somonscript/vite';\nimport { defineConfig } from 'vite';\n\nexport default defineConfig({\n  plugins: [somon()],\n});\n".to_string(),
            ));
            files.push((
                "index.html",
                format!(
                    "<!doctype html>\n<html lang=\"tg\">\n  <head>\n    <meta charset=\"utf-8\" />\n    <title>{}</title>\n  </head>\n  <body>\n    <div id=\"app\"></div>\n    <script type=\"module\" src=\"/src/main.som\"></script>\n  </body>\n</html>\n",
                    html_text(&a.name)
                ),
            ));
            files.push((
                "src/main.som",
                "// Барномаи аввал\nфунксия салом(ном: сатр): сатр {\n  бозгашт `Салом, ${ном}!`;\n}\n\nсобит ҷой = globalThis.document?.querySelector(\"#app\");\nагар (ҷой) {\n  ҷой.textContent = салом(\"ҷаҳон\");\n}\nчоп.сабт(салом(\"ҷаҳон\"));\n".to_string(),
            ));
            config_extra.push_str(",\n  \"bundle\": {\n    \"platform\": \"browser\"\n  }");
            "- `npm run dev` starts Vite's dev server (edits reload at once)\n- `npm run build` type-checks `src/` and builds the site into `dist/`\n- `npm test` type-checks `src/`\n"
        }
        TemplateArg::Library => {
            let format = if a.esm { "esm" } else { "cjs" };
            files.push((
                "package.json",
                format!(
                    "{{\n  \"name\": {name},\n  \"version\": \"0.1.0\",\n{type_line}  \"main\": \"dist/index.js\",\n  \"exports\": {{\n    \".\": \"./dist/index.js\"\n  }},\n  \"files\": [\n    \"dist\"\n  ],\n  \"scripts\": {{\n    \"build\": \"somon bundle src/index.som -o dist/index.js --format {format} --source-map\",\n    \"dev\": \"somon bundle src/index.som -o dist/index.js --format {format} --source-map --watch\",\n    \"test\": \"somon check src\",\n    \"prepublishOnly\": \"npm run build\"\n  }},\n  \"devDependencies\": {{\n    \"somonscript\": {version}\n  }}\n}}\n"
                ),
            ));
            files.push((
                "src/index.som",
                "// Функсияҳои китобхона\nсодир функсия салом(ном: сатр): сатр {\n  бозгашт `Салом, ${ном}!`;\n}\n".to_string(),
            ));
            config_extra.push_str(&format!(
                ",\n  \"bundle\": {{\n    \"entry\": \"src/index.som\",\n    \"output\": \"dist/index.js\",\n    \"format\": \"{format}\"\n  }}"
            ));
            "- `npm run dev` bundles `src/index.som` into `dist/index.js` and rebuilds on changes\n- `npm run build` bundles it once (with a source map); `npm publish` builds first\n- `npm test` type-checks `src/`\n"
        }
    };
    files.push((
        "somon.config.json",
        format!(
            "{{\n  \"compilerOptions\": {{\n    \"target\": \"{target}\",\n    \"module\": \"{module}\",\n    \"outDir\": \"dist\"\n  }}{config_extra}\n}}\n"
        ),
    ));
    if a.gitignore {
        files.push((".gitignore", "node_modules/\ndist/\n".to_string()));
    }
    if a.readme {
        files.push((
            "README.md",
            format!("# {}\n\nA SomonScript project.\n\n{readme_lines}", a.name),
        ));
    }
    files
}

/// `s` as HTML text.
fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn write_project(dir: &std::path::Path, a: &Answers) -> std::io::Result<()> {
    std::fs::create_dir_all(dir.join("src"))?;
    for (path, text) in project_files(a) {
        write_atomic(&dir.join(path), text.as_bytes())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::package_name;

    #[test]
    fn package_names_are_valid_npm_names() {
        for (name, expected) in [
            ("лоиҳа", "loiha"),
            ("Лоиҳаи Нав", "loihai-nav"),
            ("Мой проект", "moy-proekt"),
            ("ҷадвали ғизо", "jadvali-ghizo"),
            ("My App!", "my-app"),
            ("_secret", "secret"),
            (".hidden", "hidden"),
            ("  ", "somon-project"),
            ("😀", "somon-project"),
            ("node_modules", "somon-project"),
            ("a--b  c", "a-b-c"),
            ("ok.name_1", "ok.name_1"),
        ] {
            assert_eq!(package_name(name), expected, "{name}");
        }
        let long = "а".repeat(300);
        assert_eq!(package_name(&long).len(), 214);
    }
}

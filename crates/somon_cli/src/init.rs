//! `somon init`: a new project. With `--yes` every default is taken;
//! otherwise a short wizard asks on standard input (a terminal, or answers
//! piped in; the end of input takes the remaining defaults).

use crate::{
    display_path, usage_error, write_atomic, Environment, InitArgs, ModuleArg, Outcome, VERSION,
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
}

fn ask(lang: Lang) -> [&'static str; 5] {
    match lang {
        Lang::En => [
            "Project name",
            "Target (es5 … es2022, esnext)",
            "Module format (cjs, esm)",
            "Add a .gitignore? (y/n)",
            "Add a README? (y/n)",
        ],
        Lang::Tg => [
            "Номи лоиҳа",
            "Сатҳи забон (es5 … es2022, esnext)",
            "Формати модул (cjs, esm)",
            ".gitignore илова шавад? (y/n)",
            "README илова шавад? (y/n)",
        ],
        Lang::Ru => [
            "Имя проекта",
            "Целевой уровень (es5 … es2022, esnext)",
            "Формат модулей (cjs, esm)",
            "Добавить .gitignore? (y/n)",
            "Добавить README? (y/n)",
        ],
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

fn write_project(dir: &std::path::Path, a: &Answers) -> std::io::Result<()> {
    let target = Target::ALL
        .iter()
        .find(|(_, t)| *t == a.target)
        .map_or("es2020", |(n, _)| *n);
    let module = if a.esm { "esm" } else { "cjs" };
    let package = format!(
        "{{\n  \"name\": {},\n  \"version\": \"0.1.0\",\n  \"private\": true,\n  \"scripts\": {{\n    \"build\": \"somon compile src --out-dir dist\",\n    \"dev\": \"somon run src/main.som\",\n    \"test\": \"somon check src\"\n  }},\n  \"devDependencies\": {{\n    \"somonscript\": \"^{VERSION}\"\n  }}\n}}\n",
        json_string(&a.name)
    );
    let config = format!(
        "{{\n  \"compilerOptions\": {{\n    \"target\": \"{target}\",\n    \"module\": \"{module}\",\n    \"outDir\": \"dist\"\n  }}\n}}\n"
    );
    let main = "// Барномаи аввал\nфунксия салом(ном: сатр): сатр {\n  бозгашт `Салом, ${ном}!`;\n}\n\nчоп.сабт(салом(\"ҷаҳон\"));\n";
    std::fs::create_dir_all(dir.join("src"))?;
    write_atomic(&dir.join("package.json"), package.as_bytes())?;
    write_atomic(&dir.join("somon.config.json"), config.as_bytes())?;
    write_atomic(&dir.join("src").join("main.som"), main.as_bytes())?;
    if a.gitignore {
        write_atomic(&dir.join(".gitignore"), b"node_modules/\ndist/\n")?;
    }
    if a.readme {
        let readme = format!(
            "# {}\n\nA SomonScript project.\n\n- `npm run dev` runs `src/main.som`\n- `npm run build` compiles `src/` into `dist/`\n- `npm test` type-checks `src/`\n",
            a.name
        );
        write_atomic(&dir.join("README.md"), readme.as_bytes())?;
    }
    Ok(())
}

//! Members of classes across files (for references and rename): a
//! method, field or accessor is its declaration in the class body plus
//! every `x.name` whose `x` is, by the semantic model, an instance of that
//! class or of a class that inherits it (or the class itself, for static
//! members).

use crate::workspace::World;
use somon_check::types::Ty;
use somon_check::SemanticModel;
use somon_diagnostics::Span;
use somon_syntax::ast::{Class, ClassMember, ExportDecl, PropName, Stmt};
use somon_syntax::token::{TokenKind, P};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// A member of a class, by the class's name and its own.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub class: String,
    pub name: String,
}

/// The top-level classes of a program (also exported ones).
fn classes(body: &[Stmt]) -> impl Iterator<Item = &Class> {
    body.iter().filter_map(|s| match s {
        Stmt::Class(c) => Some(&**c),
        Stmt::Export(e) => match &**e {
            ExportDecl::Decl(Stmt::Class(c), _) | ExportDecl::DefaultDecl(Stmt::Class(c), _) => {
                Some(&**c)
            }
            _ => None,
        },
        _ => None,
    })
}

/// The name a member's key declares, with its span.
fn member_key(m: &ClassMember) -> Option<(&str, Span)> {
    match m {
        ClassMember::Method {
            key: PropName::Ident(i),
            ..
        }
        | ClassMember::Field {
            key: PropName::Ident(i),
            ..
        } => Some((&i.name, i.span)),
        _ => None,
    }
}

/// The class name a receiver's type names (`Ном<…>` → `Ном`).
fn class_of(model: &SemanticModel, ty: &Ty) -> Option<String> {
    let shown = match ty {
        Ty::Instance(_) => model.display(ty),
        Ty::ClassValue(_) => model.display(ty).strip_prefix("навъи ")?.to_string(),
        _ => return None,
    };
    Some(shown.split('<').next().unwrap_or(&shown).to_string())
}

/// The widest expression ending exactly at `end`.
fn type_ending_at(model: &SemanticModel, end: u32) -> Option<&Ty> {
    model
        .expr_types
        .iter()
        .filter(|(s, _)| s.hi == end)
        .min_by_key(|(s, _)| s.lo)
        .map(|(_, t)| t)
}

/// Every `.name` of a text with the class its receiver is an instance of
/// (when the model knows it): `(class, name, span of name)`.
fn accesses(text: &str, model: &SemanticModel) -> Vec<(String, String, Span)> {
    let tokens = somon_syntax::lexer::tokenize(text).tokens;
    let mut out = Vec::new();
    for pair in tokens.windows(2) {
        let [dot, word] = pair else { continue };
        if !(dot.is(P::Dot) || dot.is(P::QuestionDot)) || word.kind != TokenKind::Word {
            continue;
        }
        let receiver_end = text
            .get(..dot.span.lo as usize)
            .map(|h| h.trim_end().len() as u32)
            .unwrap_or(dot.span.lo);
        let Some(class) = type_ending_at(model, receiver_end).and_then(|t| class_of(model, t))
        else {
            continue;
        };
        let name = text
            .get(word.span.lo as usize..word.span.hi as usize)
            .unwrap_or("");
        out.push((class, name.to_string(), word.span));
    }
    out
}

/// The member at `off` of `path`: on its declaration in a class body or
/// on a `.name` of an instance. With the span of the name.
pub fn member_at(w: &mut World, path: &Path, off: u32) -> Option<(Member, Span)> {
    let a = w.analysis(path)?;
    let project = w.project_of(path)?;
    let id = project.module_id(path)?;
    let program = somon_project::typecheck::somon_program(&project.graph, id)?;
    for c in classes(&program.body) {
        let Some(class) = &c.name else { continue };
        for m in &c.members {
            if let Some((name, span)) = member_key(m) {
                if span.lo <= off && off <= span.hi {
                    let member = Member {
                        class: class.name.to_string(),
                        name: name.to_string(),
                    };
                    return Some((member, span));
                }
            }
        }
    }
    accesses(&a.text, &a.model)
        .into_iter()
        .find(|(_, _, s)| s.lo <= off && off <= s.hi)
        .map(|(class, name, span)| (Member { class, name }, span))
}

/// Every place of `member` in the project's Somon files: its declaration
/// (and those of classes that inherit it and declare it again) and every
/// access through an instance of its class or one that inherits it.
pub fn member_occurrences(
    w: &mut World,
    path: &Path,
    member: &Member,
) -> Vec<(PathBuf, Vec<Span>)> {
    let files: Vec<PathBuf> = match w.project_of(path) {
        Some(p) => p.own_files(),
        None => vec![path.to_path_buf()],
    };
    // The class and every class that inherits it (by name, across the
    // project's files).
    let mut family: BTreeSet<String> = BTreeSet::from([member.class.clone()]);
    let mut bases: Vec<(String, String)> = Vec::new();
    if let Some(p) = w.project_of(path) {
        for (i, _) in p.graph.modules.iter().enumerate() {
            let Some(program) = somon_project::typecheck::somon_program(&p.graph, i) else {
                continue;
            };
            for c in classes(&program.body) {
                if let (Some(n), Some(somon_syntax::ast::Expr::Ident(b))) =
                    (&c.name, &c.super_class)
                {
                    bases.push((n.name.to_string(), b.name.to_string()));
                }
            }
        }
    }
    // Bounded: each round adds a class or stops.
    for _ in 0..bases.len() {
        let before = family.len();
        for (class, base) in &bases {
            if family.contains(base) {
                family.insert(class.clone());
            }
        }
        if family.len() == before {
            break;
        }
    }
    let mut out = Vec::new();
    for f in files {
        if w.token.is_cancelled() {
            return Vec::new();
        }
        let Some(a) = w.analysis(&f) else { continue };
        let mut spans = Vec::new();
        if let Some(program) = w.project_of(&f).and_then(|p| {
            p.module_id(&f)
                .and_then(|id| somon_project::typecheck::somon_program(&p.graph, id))
        }) {
            for c in classes(&program.body) {
                let Some(class) = &c.name else { continue };
                if !family.contains(&*class.name) {
                    continue;
                }
                for m in &c.members {
                    if let Some((name, span)) = member_key(m) {
                        if name == member.name {
                            spans.push(span);
                        }
                    }
                }
            }
        }
        for (class, name, span) in accesses(&a.text, &a.model) {
            if name == member.name && family.contains(&class) {
                spans.push(span);
            }
        }
        if !spans.is_empty() {
            spans.sort_by_key(|s| (s.lo, s.hi));
            spans.dedup();
            out.push((f, spans));
        }
    }
    out
}

//! The answers to editor requests, from the semantic model of each file
//! and the project graph. Every function takes a file and a protocol
//! position and answers in protocol types; nothing here reads the
//! protocol's messages.

// `WorkspaceEdit::changes` is keyed by `Uri`, whose parser caches a field
// in a `Cell`; the keys are never changed once inserted.
#![allow(clippy::mutable_key_type)]

use crate::text::LineMap;
use crate::uri::uri_of;
use crate::workspace::{FileAnalysis, World};

use lsp_types::*;
use somon_check::model::SymbolId;
use somon_check::types::Ty;
use somon_check::{SemanticModel, SymbolKind as SK};
use somon_diagnostics::{Diagnostic as SDiag, Lang, Message, Span};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

fn inside(s: &Span, offset: u32) -> bool {
    s.lo <= offset && offset <= s.hi
}

/// A location in any file (read from its buffer or the disk).
pub fn location(w: &World, path: &Path, span: Span) -> Option<Location> {
    let text = w.text_of(path)?;
    let map = LineMap::new(&text);
    Some(Location {
        uri: uri_of(path)?,
        range: map.range(&text, span),
    })
}

fn kind_word(k: SK) -> &'static str {
    match k {
        SK::Variable => "тағ",
        SK::Constant => "собит",
        SK::Function => "функсия",
        SK::Parameter => "параметр",
        SK::Class => "синф",
        SK::Interface => "интерфейс",
        SK::TypeAlias => "навъ",
        SK::Enum => "номгӯ",
        SK::Namespace => "номфазо",
        SK::Import => "ворид",
    }
}

// ---------------------------------------------------------------- diagnostics

/// A checker diagnostic in protocol form, with its notes and suggestion
/// appended and, when it concerns a name imported from another file, that
/// name's declaration as related information.
/// `starts`: the analysis's [`expression_starts`].
pub fn to_lsp_diagnostic(
    w: &World,
    a: &FileAnalysis,
    d: &SDiag,
    lang: Lang,
    starts: &[(u32, u32)],
) -> lsp_types::Diagnostic {
    let mut message = d.message.render(lang);
    for n in &d.notes {
        message.push('\n');
        message.push_str(&n.render(lang));
    }
    if let Some(s) = &d.suggestion {
        message.push('\n');
        message.push_str(&s.render(lang));
    }
    lsp_types::Diagnostic {
        range: a.lines.range(&a.text, d.span),
        severity: Some(if d.is_error() {
            DiagnosticSeverity::ERROR
        } else {
            DiagnosticSeverity::WARNING
        }),
        code: Some(NumberOrString::String(d.code().to_string())),
        source: Some("somon".into()),
        message,
        related_information: related(w, a, d, lang, starts),
        ..Default::default()
    }
}

/// The declaration a diagnostic refers to, from the semantic model: for
/// an argument that does not fit, the function called; otherwise the
/// first name of the expression the diagnostic is at (the value that
/// does not fit: `ҷамъ` in `собит х: сатр = ҷамъ(1, 2)`). In this file
/// or, for an imported name, in the module it comes from.
fn related(
    w: &World,
    a: &FileAnalysis,
    d: &SDiag,
    lang: Lang,
    starts: &[(u32, u32)],
) -> Option<Vec<DiagnosticRelatedInformation>> {
    let id = related_symbol(a, d, starts)?;
    let s = a.model.symbol(id)?;
    let (path, span) = match &s.import {
        Some((spec, exported)) => import_declaration(w, &a.path, spec, exported)?,
        None => (a.path.clone(), s.span),
    };
    let location = if path == a.path {
        // This file's lines are at hand (a file with many diagnostics
        // would index its text again for each).
        Location {
            uri: uri_of(&path)?,
            range: a.lines.range(&a.text, span),
        }
    } else {
        location(w, &path, span)?
    };
    Some(vec![DiagnosticRelatedInformation {
        location,
        message: Message::DeclaredHere {
            name: s.name.to_string(),
        }
        .render(lang),
    }])
}

/// The symbol [`related`] points at.
fn related_symbol(a: &FileAnalysis, d: &SDiag, starts: &[(u32, u32)]) -> Option<SymbolId> {
    let refs = &a.model.references;
    let at = d.span.lo;
    if matches!(
        d.message,
        Message::ArgumentTypeMismatch { .. } | Message::ArgumentCountMismatch { .. }
    ) {
        // The call the argument is in (looked for in the text just
        // before it: calls do not span thousands of bytes).
        let mut base = (at as usize).saturating_sub(4000);
        while base > 0 && !a.text.is_char_boundary(base) {
            base -= 1;
        }
        let window = a.text.get(base..at as usize)?;
        // Start at a line: a window cut inside a token would mislead.
        let skip = if base == 0 {
            0
        } else {
            window.find('\n').map_or(0, |i| i + 1)
        };
        let window = window.get(skip..)?;
        if let Some((open, _)) = crate::context::call_at(window, window.len()) {
            let callee_end = (base + skip + window.get(..open)?.trim_end().len()) as u32;
            if let Some(r) = refs.iter().find(|r| r.span.hi == callee_end) {
                return Some(r.symbol);
            }
        }
    }
    // The widest expression starting where the diagnostic is; at a
    // declaration's keyword (`собит х: сатр = …`), the first expression
    // after it, its value.
    let i = starts.partition_point(|(lo, _)| *lo < at);
    let &(lo, hi) = starts.get(i)?;
    let between = a
        .text
        .get(d.span.hi.min(lo) as usize..lo as usize)
        .unwrap_or(";");
    if lo != at && between.contains([';', '\n', '{', '}']) {
        return None;
    }
    let from = refs.partition_point(|r| r.span.lo < lo);
    refs.get(from..)?
        .iter()
        .take_while(|r| r.span.lo < hi.max(lo + 1))
        .map(|r| r.symbol)
        .next()
}

/// The model's expression spans as `(lo, hi)`, by start, the widest first.
pub fn expression_starts(a: &FileAnalysis) -> Vec<(u32, u32)> {
    let mut v: Vec<(u32, u32)> = a
        .model
        .expr_types
        .iter()
        .map(|(s, _)| (s.lo, s.hi))
        .collect();
    v.sort_by(|x, y| x.0.cmp(&y.0).then(y.1.cmp(&x.1)));
    v.dedup_by_key(|x| x.0);
    v
}

// ---------------------------------------------------------------- definitions

/// Where a name imported by `file` from `specifier` as `exported` is
/// declared: in a Somon module, its declaration; in JavaScript (a package
/// in `node_modules`), the `.d.ts` beside the file when there is one, at
/// the name's export where it can be found.
pub fn import_declaration(
    w: &World,
    file: &Path,
    specifier: &str,
    exported: &str,
) -> Option<(PathBuf, Span)> {
    let project = w.project_of(file)?;
    let id = project.import_target(file, specifier)?;
    let module = project.graph.modules.get(id)?;
    if let Some(e) = project.exports_of(id) {
        if let Some(span) = e.declaration(exported) {
            return Some((module.path.clone(), span));
        }
        return Some((module.path.clone(), Span::at(0)));
    }
    let path = declaration_file(&module.path);
    let text = w.text_of(&path).unwrap_or_default();
    Some((path, find_js_export(&text, exported)))
}

/// A JavaScript file's `.d.ts` twin when it exists.
fn declaration_file(js: &Path) -> PathBuf {
    let stem = js.file_stem().map(|s| s.to_string_lossy().to_string());
    if let (Some(stem), Some(dir)) = (stem, js.parent()) {
        let dts = dir.join(format!("{stem}.d.ts"));
        if dts.is_file() {
            return dts;
        }
    }
    js.to_path_buf()
}

/// Where `name` is exported in JavaScript or declaration text (its first
/// whole-word use on a line with `export`, else its first whole-word use,
/// else the start).
fn find_js_export(text: &str, name: &str) -> Span {
    if name.is_empty() || name == "default" {
        return Span::at(0);
    }
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut first = None;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let mut from = 0;
        while let Some(i) = line.get(from..).and_then(|l| l.find(name)) {
            let at = from + i;
            let before = line.get(..at).and_then(|s| s.chars().last());
            let after = line.get(at + name.len()..).and_then(|s| s.chars().next());
            if !before.is_some_and(is_word) && !after.is_some_and(is_word) {
                let lo = (offset + at) as u32;
                let span = Span {
                    lo,
                    hi: lo + name.len() as u32,
                };
                if line.contains("export") {
                    return span;
                }
                first.get_or_insert(span);
            }
            from = at + name.len().max(1);
        }
        offset += line.len();
    }
    first.unwrap_or(Span::at(0))
}

pub fn definition(w: &mut World, path: &Path, pos: Position) -> Option<Location> {
    let a = w.analysis(path)?;
    let off = a.lines.offset(&a.text, pos);
    // On an import's specifier: the module it leads to.
    if let Some(project) = w.project_of(path) {
        if let Some(m) = project
            .module_id(path)
            .and_then(|id| project.graph.modules.get(id))
        {
            if let Some(i) = m.imports.iter().find(|i| inside(&i.span, off)) {
                if let Some(t) = project.import_target(path, &i.specifier) {
                    let target = project.graph.modules.get(t)?.path.clone();
                    return location(w, &declaration_file(&target), Span::at(0));
                }
            }
        }
    }
    let id = a.model.symbol_at(off)?;
    let sym = a.model.symbol(id)?;
    if let Some((spec, exported)) = &sym.import {
        if let Some((p, span)) = import_declaration(w, path, spec, exported) {
            return location(w, &p, span);
        }
    }
    location(w, path, sym.span)
}

/// The declaration of the type of the value at a position (a class, an
/// interface or an alias, in this file or the one it is imported from).
pub fn type_definition(w: &mut World, path: &Path, pos: Position) -> Option<Location> {
    let a = w.analysis(path)?;
    let off = a.lines.offset(&a.text, pos);
    let ty = a.model.type_at(off)?.clone();
    let name = match &ty {
        Ty::Instance(_) | Ty::ClassValue(_) => a.model.display(&ty),
        Ty::Shape(s) => s.name.as_ref()?.to_string(),
        Ty::Enum(n, _) => n.to_string(),
        _ => return None,
    };
    let name = name.split('<').next().unwrap_or(&name).to_string();
    let sym = a.model.symbols.iter().find(|s| {
        *s.name == *name.as_str()
            && matches!(
                s.kind,
                SK::Class | SK::Interface | SK::TypeAlias | SK::Enum | SK::Import
            )
    })?;
    if let Some((spec, exported)) = &sym.import {
        if let Some((p, span)) = import_declaration(w, path, spec, exported) {
            return location(w, &p, span);
        }
    }
    location(w, path, sym.span)
}

// ---------------------------------------------------------------- references

/// A name across files: the module that declares it and its exported
/// name, when it is exported or imported.
struct Origin {
    module_path: PathBuf,
    exported: String,
}

fn origin_of(w: &World, a: &FileAnalysis, id: SymbolId) -> Option<Origin> {
    let sym = a.model.symbol(id)?;
    let project = w.project_of(&a.path)?;
    if let Some((spec, exported)) = &sym.import {
        if *sym.name != **exported {
            // `ворид { а чун б }`: `б` is this file's own name; the
            // module's `а` is not renamed with it.
            return None;
        }
        let t = project.import_target(&a.path, spec)?;
        return Some(Origin {
            module_path: project.graph.modules.get(t)?.path.clone(),
            exported: exported.clone(),
        });
    }
    let own = project.module_id(&a.path)?;
    let exports = project.exports_of(own)?;
    let js = somon_syntax::names::property_name(&sym.name);
    (exports.declaration(js) == Some(sym.span)).then(|| Origin {
        module_path: a.path.clone(),
        exported: js.to_string(),
    })
}

/// The places in `file` that spell `origin`'s exported name without being
/// its symbol: the exported name of `содир { а чун б }` in the module
/// that declares it, and the imported name of `ворид { б чун в }` in
/// modules that import it under another name (whose own name and its
/// uses stay).
fn alias_spans(w: &World, file: &Path, origin: &Origin) -> Vec<Span> {
    use somon_syntax::ast::{ExportDecl, ImportSpecifier, Stmt};
    let mut out = Vec::new();
    let Some(project) = w.project_of(file) else {
        return out;
    };
    let Some(program) = project
        .module_id(file)
        .and_then(|id| somon_project::typecheck::somon_program(&project.graph, id))
    else {
        return out;
    };
    for stmt in &program.body {
        match stmt {
            Stmt::Export(e) if file == origin.module_path => {
                if let ExportDecl::Named {
                    specifiers,
                    source: None,
                    ..
                } = &**e
                {
                    for sp in specifiers {
                        if let Some(exported) = &sp.exported {
                            if exported.name() == origin.exported
                                && sp.orig.name() != exported.name()
                            {
                                out.push(exported.span());
                            }
                        }
                    }
                }
            }
            Stmt::Import(i) => {
                let leads_to_origin = project
                    .import_target(file, &i.source)
                    .and_then(|t| project.graph.modules.get(t))
                    .is_some_and(|m| m.path == origin.module_path);
                if !leads_to_origin {
                    continue;
                }
                for sp in &i.specifiers {
                    if let ImportSpecifier::Named {
                        imported, local, ..
                    } = sp
                    {
                        if imported.name() == origin.exported && *local.name != *imported.name() {
                            out.push(imported.span());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Every occurrence of the symbol at a position, by file: its declaration
/// (when `with_decl`) and its uses, following exports into the files that
/// import them. Where another name stands for it (`чун` in an import or
/// export), only its own name there is an occurrence.
pub fn occurrences(
    w: &mut World,
    path: &Path,
    pos: Position,
    with_decl: bool,
) -> Option<Vec<(PathBuf, Vec<Span>)>> {
    let a = w.analysis(path)?;
    let off = a.lines.offset(&a.text, pos);
    let id = a.model.symbol_at(off)?;
    let origin = origin_of(w, &a, id);
    let local = |a: &FileAnalysis, id: SymbolId| -> Vec<Span> {
        let mut v = Vec::new();
        if with_decl {
            if let Some(s) = a.model.symbol(id) {
                v.push(s.span);
            }
        }
        v.extend(a.model.references_to(id));
        v
    };
    let Some(origin) = origin else {
        return Some(vec![(path.to_path_buf(), local(&a, id))]);
    };
    let mut out: Vec<(PathBuf, Vec<Span>)> = Vec::new();
    let files: Vec<PathBuf> = match w.project_of(path) {
        Some(p) => p.own_files(),
        None => vec![path.to_path_buf()],
    };
    for f in files {
        if w.token.is_cancelled() {
            return None;
        }
        let Some(fa) = w.analysis(&f) else { continue };
        let mut spans = Vec::new();
        for (sid, s) in fa.model.symbols.iter().enumerate() {
            let sid = sid as SymbolId;
            let hit = if f == origin.module_path && s.import.is_none() {
                let js = somon_syntax::names::property_name(&s.name);
                js == origin.exported
                    && w.project_of(&f)
                        .and_then(|p| p.module_id(&f).and_then(|m| p.exports_of(m)))
                        .and_then(|e| e.declaration(js))
                        == Some(s.span)
            } else if let Some((spec, exported)) = &s.import {
                *exported == origin.exported
                    && *s.name == **exported
                    && w.project_of(&f).is_some_and(|p| {
                        p.import_target(&f, spec)
                            .and_then(|t| p.graph.modules.get(t))
                            .is_some_and(|m| m.path == origin.module_path)
                    })
            } else {
                false
            };
            if hit {
                if with_decl || s.import.is_some() {
                    spans.push(s.span);
                }
                spans.extend(fa.model.references_to(sid));
            }
        }
        spans.extend(alias_spans(w, &f, &origin));
        if !spans.is_empty() {
            spans.sort_by_key(|s| (s.lo, s.hi));
            spans.dedup();
            out.push((f, spans));
        }
    }
    Some(out)
}

pub fn references(
    w: &mut World,
    path: &Path,
    pos: Position,
    with_decl: bool,
) -> Option<Vec<Location>> {
    let occ = occurrences_or_members(w, path, pos, with_decl)?;
    let mut out = Vec::new();
    for (f, spans) in occ {
        for s in spans {
            out.extend(location(w, &f, s));
        }
    }
    Some(out)
}

pub fn highlight(w: &mut World, path: &Path, pos: Position) -> Option<Vec<DocumentHighlight>> {
    let a = w.analysis(path)?;
    let off = a.lines.offset(&a.text, pos);
    let id = a.model.symbol_at(off)?;
    let sym = a.model.symbol(id)?;
    let mut out = vec![DocumentHighlight {
        range: a.lines.range(&a.text, sym.span),
        kind: Some(DocumentHighlightKind::WRITE),
    }];
    for s in a.model.references_to(id) {
        out.push(DocumentHighlight {
            range: a.lines.range(&a.text, s),
            kind: Some(DocumentHighlightKind::READ),
        });
    }
    Some(out)
}

// ---------------------------------------------------------------- rename

/// Why a new name cannot be used, if it cannot.
pub fn invalid_name(name: &str) -> Option<Message> {
    let lower = name.to_lowercase();
    if somon_syntax::keywords::Kw::lookup(&lower).is_some_and(|k| k.is_reserved()) {
        return Some(Message::RenameKeyword {
            name: name.to_string(),
        });
    }
    let mut chars = name.chars();
    let ok = chars
        .next()
        .is_some_and(|c| c == '_' || c == '$' || unicode_ident::is_xid_start(c))
        && chars.all(|c| {
            c == '$' || c == '\u{200c}' || c == '\u{200d}' || unicode_ident::is_xid_continue(c)
        });
    (!ok).then(|| Message::RenameInvalidName {
        name: name.to_string(),
    })
}

pub fn prepare_rename(w: &mut World, path: &Path, pos: Position) -> Result<Range, Message> {
    let a = w.analysis(path).ok_or(Message::RenameNothing)?;
    let off = a.lines.offset(&a.text, pos);
    let span = a.model.symbol_at(off).and_then(|id| {
        let sym = a.model.symbol(id)?;
        std::iter::once(sym.span)
            .chain(a.model.references_to(id))
            .find(|s| inside(s, off))
    });
    let span = match span {
        Some(s) => s,
        // A member of a class.
        None => {
            crate::members::member_at(w, path, off)
                .ok_or(Message::RenameNothing)?
                .1
        }
    };
    Ok(a.lines.range(&a.text, span))
}

/// The occurrences [`rename`] and [`references`] work on: of the symbol at
/// `pos`, else of the class member there.
fn occurrences_or_members(
    w: &mut World,
    path: &Path,
    pos: Position,
    with_decl: bool,
) -> Option<Vec<(PathBuf, Vec<Span>)>> {
    let a = w.analysis(path)?;
    let off = a.lines.offset(&a.text, pos);
    if a.model.symbol_at(off).is_some() {
        return occurrences(w, path, pos, with_decl);
    }
    let (member, _) = crate::members::member_at(w, path, off)?;
    Some(crate::members::member_occurrences(w, path, &member))
}

pub fn rename(
    w: &mut World,
    path: &Path,
    pos: Position,
    new_name: &str,
) -> Result<WorkspaceEdit, Message> {
    if let Some(m) = invalid_name(new_name) {
        return Err(m);
    }
    prepare_rename(w, path, pos)?;
    let occ = occurrences_or_members(w, path, pos, true).ok_or(Message::RenameNothing)?;
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (f, spans) in occ {
        let Some(text) = w.text_of(&f) else { continue };
        let map = LineMap::new(&text);
        let Some(uri) = uri_of(&f) else { continue };
        let edits = changes.entry(uri).or_default();
        for s in spans {
            edits.push(TextEdit {
                range: map.range(&text, s),
                new_text: new_name.to_string(),
            });
        }
    }
    Ok(WorkspaceEdit {
        changes: Some(changes),
        ..Default::default()
    })
}

// ---------------------------------------------------------- formatting

/// `textDocument/formatting` (`lines: None`) and `rangeFormatting` (the
/// first and last line of the range): the edits that turn the buffer into
/// what `somon fmt` prints, one per changed run of lines (only the runs
/// that touch `lines`). A program with syntax errors gets no edits (its
/// diagnostics already say why), as `somon fmt` refuses it.
pub fn formatting(w: &World, path: &Path, lines: Option<(u32, u32)>) -> Option<Vec<TextEdit>> {
    let text = w.text_of(path)?;
    let formatted = somon_fmt::format(&text, &w.format_options(path)).ok()?;
    Some(line_edits(&text, &formatted, lines))
}

/// The changed runs of lines between `old` and `new` as edits on `old`
/// (whole lines, so positions need no UTF-16 columns but at the end).
fn line_edits(old: &str, new: &str, lines: Option<(u32, u32)>) -> Vec<TextEdit> {
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let at = |line: usize| -> Position {
        match old_lines.get(line) {
            Some(_) => Position::new(line as u32, 0),
            None => match old_lines.last() {
                Some(last) if !last.ends_with('\n') => Position::new(
                    old_lines.len().saturating_sub(1) as u32,
                    last.encode_utf16().count() as u32,
                ),
                _ => Position::new(old_lines.len() as u32, 0),
            },
        }
    };
    let diff = similar::TextDiff::from_slices(&old_lines, &new_lines);
    let mut edits = Vec::new();
    for op in diff.ops() {
        if op.tag() == similar::DiffTag::Equal {
            continue;
        }
        let (o, n) = (op.old_range(), op.new_range());
        if let Some((lo, hi)) = lines {
            let (start, end) = (o.start as u32, o.end as u32);
            let touches = if start == end {
                start >= lo && start <= hi.saturating_add(1)
            } else {
                start <= hi && end > lo
            };
            if !touches {
                continue;
            }
        }
        edits.push(TextEdit {
            range: Range::new(at(o.start), at(o.end)),
            new_text: new_lines.get(n).unwrap_or_default().concat(),
        });
    }
    edits
}

// ---------------------------------------------------------------- hover

/// The comment written right above the declaration on the line of
/// `offset` — a `/** … */` doc comment, a `/* … */` block or a run of `//`
/// lines, with no blank line between — without its markers. Comments come
/// from the lexer's trivia table, so nothing inside a string or template
/// is taken for one.
pub fn doc_comment(text: &str, offset: u32) -> Option<String> {
    use somon_syntax::trivia::{doc_text, CommentKind};
    let head = text.get(..offset as usize)?;
    let line_start = head.rfind('\n').map_or(0, |i| i + 1);
    let line_head = text.get(line_start..offset as usize)?;
    let decl_start = (line_start + line_head.len() - line_head.trim_start().len()) as u32;
    let trivia = somon_syntax::parse(text).trivia;
    if let Some(c) = trivia.doc_comment_before(text, decl_start) {
        let doc = doc_text(c.text(text));
        return (!doc.is_empty()).then_some(doc);
    }
    // Only whitespace, at most one line break and no blank line between
    // a comment and what follows it.
    let attached = |hi: u32, next: u32| {
        trivia.blank_lines_before(next) == 0
            && text
                .get(hi as usize..next as usize)
                .is_some_and(|gap| gap.trim().is_empty() && gap.matches('\n').count() <= 1)
    };
    let before = trivia.comments.partition_point(|c| c.span.hi <= decl_start);
    let mut lines: Vec<String> = Vec::new();
    let mut next = decl_start;
    for c in trivia.comments.get(..before)?.iter().rev() {
        if !c.own_line || !attached(c.span.hi, next) {
            break;
        }
        let body = c.text(text);
        match c.kind {
            CommentKind::Line => {
                lines.push(body.trim_start_matches('/').trim().to_string());
                next = c.span.lo;
            }
            CommentKind::Block | CommentKind::Doc if lines.is_empty() => {
                let inner = body.trim_start_matches("/*").trim_end_matches("*/");
                for l in inner.lines().rev() {
                    let t = l.trim();
                    lines.push(t.strip_prefix('*').map_or(t, str::trim).to_string());
                }
                break;
            }
            _ => break,
        }
    }
    lines.reverse();
    while lines.first().is_some_and(|l| l.is_empty()) {
        lines.remove(0);
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    (!lines.is_empty()).then(|| lines.join("\n"))
}

pub fn hover(w: &mut World, path: &Path, pos: Position) -> Option<Hover> {
    if std::env::var_os("SOMON_INTERNAL_TEST_PANIC").is_some_and(|v| v == "lsp-hover") {
        panic!("SOMON_INTERNAL_TEST_PANIC=lsp-hover");
    }
    let a = w.analysis(path)?;
    let off = a.lines.offset(&a.text, pos);
    let sym = a.model.symbol_at(off).and_then(|id| a.model.symbol(id));
    let ty = a.model.type_at(off).or(sym.map(|s| &s.ty))?;
    let shown = a.model.display(ty);
    let mut value = String::from("```somon\n");
    let mut doc = None;
    match sym {
        Some(s) => {
            let (kind, decl) = match &s.import {
                Some((spec, exported)) => {
                    let decl = import_declaration(w, path, spec, exported);
                    ("ворид", decl)
                }
                None => (kind_word(s.kind), Some((path.to_path_buf(), s.span))),
            };
            value.push_str(&format!("({kind}) {}: {shown}", s.name));
            if let Some((p, span)) = decl {
                if let Some(text) = w.text_of(&p) {
                    doc = doc_comment(&text, span.lo);
                }
            }
        }
        None => {
            // A member (`.дарозӣ`): its name, the JavaScript name it
            // stands for, and its type.
            let text = &a.text;
            let start = word_start(text, off as usize);
            let end = text
                .get(off as usize..)
                .and_then(|rest| {
                    rest.char_indices()
                        .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '$'))
                        .map(|(i, _)| off as usize + i)
                })
                .unwrap_or(text.len());
            let word = text.get(start..end).unwrap_or("");
            let after_dot = text
                .get(..start)
                .is_some_and(|h| h.trim_end().ends_with('.'));
            match somon_syntax::names::property_alias(word) {
                Some(js) if after_dot && !word.is_empty() => {
                    value.push_str(&format!("{word} — {js}: {shown}"))
                }
                _ if after_dot && !word.is_empty() => value.push_str(&format!("{word}: {shown}")),
                _ => value.push_str(&shown),
            }
        }
    }
    value.push_str("\n```");
    if let Some(d) = doc {
        value.push_str("\n\n---\n\n");
        value.push_str(&d);
    }
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range: None,
    })
}

// ---------------------------------------------------------------- symbols

fn symbol_kind(k: SK, ty: &Ty) -> lsp_types::SymbolKind {
    match k {
        SK::Variable => lsp_types::SymbolKind::VARIABLE,
        SK::Constant => lsp_types::SymbolKind::CONSTANT,
        SK::Function => lsp_types::SymbolKind::FUNCTION,
        SK::Parameter => lsp_types::SymbolKind::VARIABLE,
        SK::Class => lsp_types::SymbolKind::CLASS,
        SK::Interface => lsp_types::SymbolKind::INTERFACE,
        SK::TypeAlias => lsp_types::SymbolKind::TYPE_PARAMETER,
        SK::Enum => lsp_types::SymbolKind::ENUM,
        SK::Namespace => lsp_types::SymbolKind::NAMESPACE,
        SK::Import => match ty {
            Ty::Func(_) => lsp_types::SymbolKind::FUNCTION,
            Ty::ClassValue(_) => lsp_types::SymbolKind::CLASS,
            _ => lsp_types::SymbolKind::VARIABLE,
        },
    }
}

/// The symbols declared at the top level of a file (imports left out);
/// a function with its parameters and top-level locals as children.
#[allow(deprecated)]
pub fn document_symbols(w: &mut World, path: &Path) -> Option<Vec<DocumentSymbol>> {
    let a = w.analysis(path)?;
    let m = &a.model;
    let top = m.scopes.first()?;
    let mut out = Vec::new();
    for &id in &top.symbols {
        let Some(s) = m.symbol(id) else { continue };
        if s.kind == SK::Import {
            continue;
        }
        let selection_range = a.lines.range(&a.text, s.span);
        // A function's own scope (it covers the declaration): its whole
        // range, and its parameters and top-level locals as children.
        let own = (s.kind == SK::Function)
            .then(|| {
                m.scopes.iter().find(|sc| {
                    sc.parent == Some(0)
                        && sc
                            .span
                            .is_some_and(|sp| sp.lo <= s.span.lo && s.span.hi <= sp.hi)
                })
            })
            .flatten();
        let range = own
            .and_then(|sc| sc.span)
            .map(|sp| a.lines.range(&a.text, sp))
            .unwrap_or(selection_range);
        let children: Option<Vec<DocumentSymbol>> = own.map(|sc| {
            sc.symbols
                .iter()
                .filter_map(|&c| m.symbol(c))
                .filter(|c| c.span != s.span)
                .map(|c| {
                    let r = a.lines.range(&a.text, c.span);
                    DocumentSymbol {
                        name: c.name.to_string(),
                        detail: Some(m.display(&c.ty)),
                        kind: symbol_kind(c.kind, &c.ty),
                        tags: None,
                        deprecated: None,
                        range: r,
                        selection_range: r,
                        children: None,
                    }
                })
                .collect()
        });
        out.push(DocumentSymbol {
            name: s.name.to_string(),
            detail: Some(m.display(&s.ty)),
            kind: symbol_kind(s.kind, &s.ty),
            tags: None,
            deprecated: None,
            range,
            selection_range,
            children,
        });
    }
    out.sort_by_key(|s| {
        (
            s.selection_range.start.line,
            s.selection_range.start.character,
        )
    });
    Some(out)
}

#[allow(deprecated)]
pub fn workspace_symbols(w: &mut World, query: &str) -> Vec<SymbolInformation> {
    w.rebuild();
    let q = query.to_lowercase();
    let mut files: Vec<PathBuf> = w.projects.values().flat_map(|p| p.own_files()).collect();
    files.sort();
    files.dedup();
    let mut out = Vec::new();
    for f in files {
        if w.token.is_cancelled() {
            return out;
        }
        let Some(a) = w.analysis(&f) else { continue };
        let Some(uri) = uri_of(&f) else { continue };
        let Some(top) = a.model.scopes.first() else {
            continue;
        };
        for &id in &top.symbols {
            let Some(s) = a.model.symbol(id) else {
                continue;
            };
            if s.kind == SK::Import || !s.name.to_lowercase().contains(&q) {
                continue;
            }
            out.push(SymbolInformation {
                name: s.name.to_string(),
                kind: symbol_kind(s.kind, &s.ty),
                tags: None,
                deprecated: None,
                location: Location {
                    uri: uri.clone(),
                    range: a.lines.range(&a.text, s.span),
                },
                container_name: f.file_name().map(|n| n.to_string_lossy().to_string()),
            });
            if out.len() >= 500 {
                return out;
            }
        }
    }
    out
}

// ---------------------------------------------------------------- completion

/// JavaScript property name → its Tajik aliases, read from the method
/// table of `somon_syntax::names` (the one table lowering uses).
fn aliases() -> &'static HashMap<String, Vec<String>> {
    static ALIASES: OnceLock<HashMap<String, Vec<String>>> = OnceLock::new();
    ALIASES.get_or_init(|| {
        const NAMES: &str = include_str!("../../somon_syntax/src/names.rs");
        let mut out: HashMap<String, Vec<String>> = HashMap::new();
        let body = NAMES
            .split("pub fn property_alias")
            .nth(1)
            .and_then(|b| b.split("_ => return None").next())
            .unwrap_or("");
        for line in body.lines() {
            let Some((lhs, rhs)) = line.split_once("=>") else {
                continue;
            };
            let js = rhs.trim().trim_end_matches(',').trim_matches('"');
            for alt in lhs.split('|') {
                let tj = alt.trim().trim_matches('"');
                // Only the names the alias table maps (spelled as in Somon).
                if !tj.is_empty() && somon_syntax::names::property_alias(tj) == Some(js) {
                    out.entry(js.to_string()).or_default().push(tj.to_string());
                }
            }
        }
        out
    })
}

/// Static members of free built-in receivers (`ваъда.ҳама` → `all`).
const RECEIVER_ALIASES: &[(&str, &[&str])] = &[
    (
        "Promise",
        &[
            "ҳама",
            "ҳалШуда",
            "радШуда",
            "мусобиқа",
            "ҳамаҲалШуда",
            "ягон",
        ],
    ),
    ("JSON", &["сатрӣ", "таҳлил"]),
];

const FREE_BUILTINS: &[&str] = &[
    "рӯйхат",
    "сатр",
    "объект",
    "математика",
    "Риёзӣ",
    "Хато",
    "чоп",
    "ваъда",
    "Ваъда",
    "JSON",
    "Map",
    "Set",
    "Date",
    "RegExp",
    "Number",
    "Promise",
    "console",
    "Math",
    "Object",
    "Array",
    "String",
];

const TYPE_WORDS: &[&str] = &[
    "сатр",
    "рақам",
    "мантиқӣ",
    "ҳар",
    "ношинос",
    "абадан",
    "беҷавоб",
    "объект",
    "калонрақам",
    "рамз",
    "холӣ",
    "беқимат",
];

const SNIPPETS: &[(&str, &str)] = &[
    ("агар", "агар (${1:шарт}) {\n\t$0\n}"),
    (
        "агар … вагарна",
        "агар (${1:шарт}) {\n\t$2\n} вагарна {\n\t$0\n}",
    ),
    (
        "барои … аз",
        "барои (собит ${1:унсур} аз ${2:рӯйхат}) {\n\t$0\n}",
    ),
    ("то", "то (${1:шарт}) {\n\t$0\n}"),
    ("функсия", "функсия ${1:ном}(${2}) {\n\t$0\n}"),
    (
        "синф",
        "синф ${1:Ном} {\n\tконструктор(${2}) {\n\t\t$0\n\t}\n}",
    ),
    (
        "кӯшиш … гирифтан",
        "кӯшиш {\n\t$1\n} гирифтан (${2:хато}) {\n\t$0\n}",
    ),
    ("ворид … аз", "ворид { ${2:ном} } аз \"${1:./модул}\";"),
    ("чоп.сабт", "чоп.сабт(${1});"),
];

/// The byte offset where the identifier that ends at `off` starts.
fn word_start(text: &str, off: usize) -> usize {
    let head = text.get(..off).unwrap_or("");
    let mut start = off;
    for (i, c) in head.char_indices().rev() {
        if c.is_alphanumeric() || c == '_' || c == '$' || c == '\u{200c}' || c == '\u{200d}' {
            start = i;
        } else {
            break;
        }
    }
    start
}

/// The widest expression of a model ending exactly at `end`.
fn type_ending_at(model: &SemanticModel, end: u32) -> Option<Ty> {
    model
        .expr_types
        .iter()
        .filter(|(s, _)| s.hi == end)
        .min_by_key(|(s, _)| s.lo)
        .map(|(_, t)| t.clone())
}

const PLACEHOLDER: &str = "ҷ__ҷ";

fn item(label: String, kind: CompletionItemKind, detail: Option<String>) -> CompletionItem {
    CompletionItem {
        label,
        kind: Some(kind),
        detail,
        ..Default::default()
    }
}

pub fn completion(w: &mut World, path: &Path, pos: Position) -> Option<Vec<CompletionItem>> {
    let text = w.text_of(path)?;
    let map = LineMap::new(&text);
    let off = map.offset(&text, pos) as usize;
    let line_start = text.get(..off)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line_head = text.get(line_start..off)?;
    // Inside the string of an import: paths, or names of that module.
    if let Some(items) = import_completion(w, path, line_head) {
        return Some(items);
    }
    let start = word_start(&text, off);
    let before = text.get(..start)?.trim_end_matches([' ', '\t']);
    if let Some(head) = before.strip_suffix('.').filter(|h| !h.ends_with('.')) {
        let dot = head.len() as u32;
        return Some(member_completion(w, path, &text, start, off, dot));
    }
    // Names in scope, keywords, built-ins, snippets.
    let mut patched = String::with_capacity(text.len() + PLACEHOLDER.len());
    patched.push_str(text.get(..start)?);
    patched.push_str(text.get(off..)?);
    let model = w.analyze_text(path, &patched)?;
    let mut items = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for id in model.visible_at(start as u32) {
        let Some(s) = model.symbol(id) else { continue };
        // Names declared after the cursor in the same scope still count
        // (hoisting); each name once, innermost first.
        if !seen.insert(s.name.to_string()) {
            continue;
        }
        let kind = match s.kind {
            SK::Function => CompletionItemKind::FUNCTION,
            SK::Class => CompletionItemKind::CLASS,
            SK::Interface => CompletionItemKind::INTERFACE,
            SK::Enum => CompletionItemKind::ENUM,
            SK::Namespace => CompletionItemKind::MODULE,
            SK::TypeAlias => CompletionItemKind::TYPE_PARAMETER,
            SK::Constant => CompletionItemKind::CONSTANT,
            _ => CompletionItemKind::VARIABLE,
        };
        items.push(item(s.name.to_string(), kind, Some(model.display(&s.ty))));
    }
    for name in FREE_BUILTINS {
        if seen.insert(name.to_string()) {
            let js = somon_syntax::names::builtin_global(name).unwrap_or(name);
            items.push(item(
                name.to_string(),
                CompletionItemKind::MODULE,
                Some(if js == *name {
                    js.to_string()
                } else {
                    format!("{name} — {js}")
                }),
            ));
        }
    }
    // Keywords only where they may stand.
    use crate::context::{self as cx, Place};
    let place = cx::place_at(&text, start);
    let words: &[&[&str]] = match place {
        Place::Statement => &[cx::STATEMENT_WORDS, cx::EXPRESSION_WORDS],
        Place::Expression => &[cx::EXPRESSION_WORDS],
        Place::AfterOperand => &[cx::INFIX_WORDS],
        Place::Type => &[TYPE_WORDS, cx::TYPE_KEYWORDS],
        Place::Member => &[cx::MEMBER_WORDS],
        Place::NewName => &[],
    };
    for w in words.iter().flat_map(|ws| ws.iter()) {
        if seen.insert(w.to_string()) {
            items.push(item(w.to_string(), CompletionItemKind::KEYWORD, None));
        }
    }
    if matches!(place, Place::AfterOperand | Place::NewName | Place::Member) {
        // No operand may start here: names and snippets would not fit.
        items.retain(|i| i.kind == Some(CompletionItemKind::KEYWORD));
        return Some(items);
    }
    if place != Place::Statement {
        return Some(items);
    }
    for (label, body) in SNIPPETS {
        items.push(CompletionItem {
            label: label.to_string(),
            kind: Some(CompletionItemKind::SNIPPET),
            insert_text: Some(body.to_string()),
            insert_text_format: Some(InsertTextFormat::SNIPPET),
            filter_text: label.split(' ').next().map(str::to_string),
            ..Default::default()
        });
    }
    Some(items)
}

fn member_completion(
    w: &mut World,
    path: &Path,
    text: &str,
    start: usize,
    off: usize,
    dot: u32,
) -> Vec<CompletionItem> {
    let mut patched = String::with_capacity(text.len() + PLACEHOLDER.len());
    patched.push_str(text.get(..start).unwrap_or(""));
    patched.push_str(PLACEHOLDER);
    patched.push_str(text.get(off..).unwrap_or(""));
    let Some(model) = w.analyze_text(path, &patched) else {
        return Vec::new();
    };
    let receiver_end = text
        .get(..dot as usize)
        .map(|h| h.trim_end().len() as u32)
        .unwrap_or(dot);
    let receiver = text
        .get(word_start(text, receiver_end as usize)..receiver_end as usize)
        .unwrap_or("");
    let mut ty = type_ending_at(&model, receiver_end);
    if ty.as_ref().is_none_or(|t| *t == Ty::Any) {
        // A free built-in the checker did not record (`чоп`).
        let js = somon_syntax::names::builtin_global(receiver).unwrap_or(receiver);
        if let Some(t) = SemanticModel::global_type(js) {
            ty = Some(t);
        }
    }
    let mut items = Vec::new();
    let js_receiver = somon_syntax::names::builtin_global(receiver).unwrap_or(receiver);
    for (recv, names) in RECEIVER_ALIASES {
        if *recv == js_receiver {
            for n in names.iter() {
                if let Some(js) = somon_syntax::names::receiver_member(recv, n) {
                    items.push(item(
                        n.to_string(),
                        CompletionItemKind::METHOD,
                        Some(format!("{n} — {js}")),
                    ));
                }
            }
        }
    }
    let Some(ty) = ty else { return items };
    for (js, t) in model.members(&ty) {
        let kind = if matches!(t, Ty::Func(_)) {
            CompletionItemKind::METHOD
        } else {
            CompletionItemKind::PROPERTY
        };
        let shown = model.display(&t);
        for tj in aliases().get(&js).into_iter().flatten() {
            items.push(CompletionItem {
                label: tj.clone(),
                kind: Some(kind),
                detail: Some(format!("{tj} — {js}: {shown}")),
                label_details: Some(CompletionItemLabelDetails {
                    detail: None,
                    description: Some(js.clone()),
                }),
                // The Tajik names first, then the JavaScript ones.
                sort_text: Some(format!("0{tj}")),
                ..Default::default()
            });
        }
        let mut js_item = item(js.clone(), kind, Some(format!("{js}: {shown}")));
        js_item.sort_text = Some(format!("1{js}"));
        items.push(js_item);
    }
    items
}

/// In `ворид … аз "…` (or `содир … аз "…`): project paths; in
/// `ворид { …` with a known module: the names it exports.
fn import_completion(w: &mut World, path: &Path, line_head: &str) -> Option<Vec<CompletionItem>> {
    let quotes = line_head.matches(['"', '\'']).count();
    let is_import = line_head.trim_start().starts_with("ворид") || line_head.contains(" аз ");
    if is_import && quotes % 2 == 1 {
        let typed = line_head.rsplit(['"', '\'']).next().unwrap_or("");
        return Some(path_completion(path, typed));
    }
    let t = line_head.trim_start();
    if t.starts_with("ворид") && t.contains('{') && !t.contains('}') {
        // The module named later on the line is not known while typing:
        // the names every project module exports.
        w.rebuild();
        let project = w.project_of(path)?;
        let mut items = Vec::new();
        for (i, m) in project.graph.modules.iter().enumerate() {
            if m.path == path || !project.is_own_somon(i) {
                continue;
            }
            if let Some(e) = project.exports_of(i) {
                let dir = path.parent().unwrap_or(Path::new("/"));
                let rel = import_specifier(dir, &m.path);
                for n in e.names() {
                    items.push(item(n, CompletionItemKind::VARIABLE, Some(rel.clone())));
                }
            }
        }
        return Some(items);
    }
    None
}

/// The specifier that imports `target` from folder `dir` (`./асбоб`).
pub fn import_specifier(dir: &Path, target: &Path) -> String {
    let rel = somon_project::fs::relative_path(dir, target);
    let rel = rel.strip_suffix(".som").unwrap_or(&rel).to_string();
    if rel.starts_with("../") {
        rel
    } else {
        format!("./{rel}")
    }
}

fn path_completion(path: &Path, typed: &str) -> Vec<CompletionItem> {
    let dir = path.parent().unwrap_or(Path::new("/"));
    let (folder, _) = typed.rsplit_once('/').unwrap_or(("", typed));
    let base = if typed.starts_with('.') {
        somon_project::fs::normalize(&dir.join(folder))
    } else {
        return Vec::new();
    };
    let mut items = Vec::new();
    let Ok(entries) = std::fs::read_dir(&base) else {
        return items;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let p = e.path();
        if p == path || name.starts_with('.') || name == "node_modules" {
            continue;
        }
        if p.is_dir() {
            items.push(item(name, CompletionItemKind::FOLDER, None));
        } else if let Some(stem) = name.strip_suffix(".som") {
            items.push(item(
                stem.to_string(),
                CompletionItemKind::FILE,
                Some(name.clone()),
            ));
        } else if [".js", ".mjs", ".cjs", ".json"]
            .iter()
            .any(|x| name.ends_with(x))
        {
            items.push(item(name, CompletionItemKind::FILE, None));
        }
    }
    items.sort_by(|a, b| a.label.cmp(&b.label));
    items
}

// ---------------------------------------------------------------- signature help

pub fn signature_help(w: &mut World, path: &Path, pos: Position) -> Option<SignatureHelp> {
    let text = w.text_of(path)?;
    let map = LineMap::new(&text);
    let off = map.offset(&text, pos) as usize;
    // The innermost unclosed `(` before the cursor and the arguments
    // before it, counted on the lexer's tokens (brackets and commas in
    // strings, templates and comments are not counted).
    let head = text.get(..off)?;
    let (open, commas) = crate::context::call_at(&text, off)?;
    let callee_end = text.get(..open)?.trim_end().len() as u32;
    // Close the call so the text parses.
    let mut patched = String::with_capacity(text.len() + 1);
    patched.push_str(head);
    patched.push(')');
    patched.push_str(text.get(off..)?);
    let model = w.analyze_text(path, &patched)?;
    let ty = type_ending_at(&model, callee_end).or_else(|| {
        let id = model.symbol_at(callee_end.saturating_sub(1))?;
        Some(model.symbol(id)?.ty.clone())
    })?;
    let sig = model.signature(&ty)?;
    let callee = text
        .get(word_start(&text, callee_end as usize)..callee_end as usize)
        .unwrap_or("");
    let params: Vec<String> = sig
        .params
        .iter()
        .map(|p| {
            format!(
                "{}{}{}: {}",
                if p.rest { "..." } else { "" },
                p.name,
                if p.optional { "?" } else { "" },
                model.display(&p.ty)
            )
        })
        .collect();
    let label = format!(
        "{callee}({}): {}",
        params.join(", "),
        model.display(&sig.ret)
    );
    let active = if sig.params.last().is_some_and(|p| p.rest) {
        commas.min(sig.params.len().saturating_sub(1) as u32)
    } else {
        commas
    };
    Some(SignatureHelp {
        signatures: vec![SignatureInformation {
            label,
            documentation: None,
            parameters: Some(
                params
                    .into_iter()
                    .map(|p| ParameterInformation {
                        label: ParameterLabel::Simple(p),
                        documentation: None,
                    })
                    .collect(),
            ),
            active_parameter: Some(active),
        }],
        active_signature: Some(0),
        active_parameter: Some(active),
    })
}

// ---------------------------------------------------------------- code actions

/// Quick fixes for the diagnostics of a range: the keyword a misspelled
/// word stands for, Cyrillic letters for Latin look-alikes, the name a
/// misspelled one probably is, and an import of a name another project
/// module exports.
pub fn code_actions(
    w: &mut World,
    path: &Path,
    range: Range,
    lang: Lang,
) -> Option<Vec<CodeActionOrCommand>> {
    let a = w.analysis(path)?;
    let span = a.lines.span(&a.text, range);
    let uri = uri_of(path)?;
    let mut out = Vec::new();
    let mut fix = |d: &SDiag, new_text: String, edit_span: Span| {
        let title = Message::ReplaceWith {
            text: new_text.clone(),
        }
        .render(lang);
        out.push((d.clone(), title, vec![(edit_span, new_text)]));
    };
    for d in &a.diagnostics {
        if d.span.hi < span.lo || d.span.lo > span.hi {
            continue;
        }
        let written = a
            .text
            .get(d.span.lo as usize..d.span.hi as usize)
            .unwrap_or("");
        match &d.message {
            Message::MisspelledKeyword { keyword, .. }
            | Message::JsKeyword { keyword, .. }
            | Message::RussianKeyboardKeyword { keyword, .. } => {
                fix(d, keyword.to_string(), d.span)
            }
            Message::LookalikeInName {
                latin, cyrillic, ..
            } => fix(d, written.replace(*latin, &cyrillic.to_string()), d.span),
            _ => {}
        }
        if let Some(Message::DidYouMean { name }) = &d.suggestion {
            fix(d, name.clone(), d.span);
        }
        for n in &d.notes {
            if let Message::LatinLookalike { latin, cyrillic } = n {
                if written.contains(*latin) {
                    fix(d, written.replace(*latin, &cyrillic.to_string()), d.span);
                }
            }
        }
    }
    let mut actions: Vec<CodeActionOrCommand> = Vec::new();
    let starts = expression_starts(&a);
    let to_action = |d: &SDiag, title: String, edits: Vec<(Span, String)>| {
        let mut changes = HashMap::new();
        changes.insert(
            uri.clone(),
            edits
                .into_iter()
                .map(|(s, t)| TextEdit {
                    range: a.lines.range(&a.text, s),
                    new_text: t,
                })
                .collect(),
        );
        CodeActionOrCommand::CodeAction(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![to_lsp_diagnostic(w, &a, d, lang, &starts)]),
            edit: Some(WorkspaceEdit {
                changes: Some(changes),
                ..Default::default()
            }),
            is_preferred: Some(true),
            ..Default::default()
        })
    };
    for (d, title, edits) in out {
        actions.push(to_action(&d, title, edits));
    }
    // Names no scope declares that another module exports.
    if let Some(project) = w.project_of(path) {
        let insert_at = import_insertion(&a.text);
        for d in &a.diagnostics {
            if d.code() != "UNDEFINED_IDENTIFIER" || d.span.hi < span.lo || d.span.lo > span.hi {
                continue;
            }
            let name = a
                .text
                .get(d.span.lo as usize..d.span.hi as usize)
                .unwrap_or("");
            for (i, m) in project.graph.modules.iter().enumerate() {
                if m.path == path || !project.is_own_somon(i) {
                    continue;
                }
                let exports = project.exports_of(i);
                if !exports.is_some_and(|e| e.has(name) && !e.is_type_only(name)) {
                    continue;
                }
                let dir = path.parent().unwrap_or(Path::new("/"));
                let spec = import_specifier(dir, &m.path);
                let title = Message::AddImport {
                    name: name.to_string(),
                    specifier: spec.clone(),
                }
                .render(lang);
                let line = format!("ворид {{ {name} }} аз \"{spec}\";\n");
                actions.push(to_action(d, title, vec![(Span::at(insert_at), line)]));
            }
        }
    }
    Some(actions)
}

/// Where a new import goes: after the last line that starts with
/// `ворид`, else at the start.
fn import_insertion(text: &str) -> u32 {
    let mut at = 0usize;
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        if line.trim_start().starts_with("ворид") {
            at = offset;
        }
    }
    at as u32
}

// ---------------------------------------------------------------- semantic tokens

pub const TOKEN_TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::KEYWORD,
    SemanticTokenType::VARIABLE,
    SemanticTokenType::PARAMETER,
    SemanticTokenType::FUNCTION,
    SemanticTokenType::METHOD,
    SemanticTokenType::PROPERTY,
    SemanticTokenType::CLASS,
    SemanticTokenType::INTERFACE,
    SemanticTokenType::TYPE,
    SemanticTokenType::ENUM,
    SemanticTokenType::NAMESPACE,
    SemanticTokenType::STRING,
    SemanticTokenType::NUMBER,
    SemanticTokenType::REGEXP,
];

pub const TOKEN_MODIFIERS: &[SemanticTokenModifier] = &[
    SemanticTokenModifier::DECLARATION,
    SemanticTokenModifier::READONLY,
    SemanticTokenModifier::DEFAULT_LIBRARY,
];

fn token_type_of_symbol(k: SK, ty: &Ty) -> u32 {
    match k {
        SK::Function => 3,
        SK::Parameter => 2,
        SK::Class => 6,
        SK::Interface => 7,
        SK::TypeAlias => 8,
        SK::Enum => 9,
        SK::Namespace => 10,
        SK::Import => match ty {
            Ty::Func(_) => 3,
            Ty::ClassValue(_) => 6,
            _ => 1,
        },
        SK::Variable | SK::Constant => {
            if matches!(ty, Ty::Func(_)) {
                3
            } else {
                1
            }
        }
    }
}

pub fn semantic_tokens(w: &mut World, path: &Path) -> Option<SemanticTokens> {
    use somon_syntax::token::{TokenKind, P};
    let a = w.analysis(path)?;
    let m = &a.model;
    let lexed = somon_syntax::lexer::tokenize(&a.text);
    // Symbols by the span of their name: declarations and uses.
    let mut by_span: HashMap<(u32, u32), (SymbolId, bool)> = HashMap::new();
    for (i, s) in m.symbols.iter().enumerate() {
        by_span.insert((s.span.lo, s.span.hi), (i as SymbolId, true));
    }
    for r in &m.references {
        by_span.insert((r.span.lo, r.span.hi), (r.symbol, false));
    }
    // Type names in annotations are not references of the model: found
    // by name among the declared types.
    let mut types: HashMap<&str, u32> = HashMap::new();
    for s in &m.symbols {
        if matches!(s.kind, SK::Class | SK::Interface | SK::TypeAlias | SK::Enum) {
            types.insert(&s.name, token_type_of_symbol(s.kind, &s.ty));
        }
    }
    let mut raw: Vec<(Span, u32, u32)> = Vec::new();
    let tokens = &lexed.tokens;
    for (i, t) in tokens.iter().enumerate() {
        let after_dot = i > 0
            && tokens
                .get(i - 1)
                .is_some_and(|p| p.is(P::Dot) || p.is(P::QuestionDot));
        let class = match t.kind {
            TokenKind::Word => {
                if let Some((id, decl)) = by_span.get(&(t.span.lo, t.span.hi)) {
                    let Some(s) = m.symbol(*id) else { continue };
                    let mut mods = 0;
                    if *decl {
                        mods |= 1;
                    }
                    if s.kind == SK::Constant {
                        mods |= 2;
                    }
                    Some((token_type_of_symbol(s.kind, &s.ty), mods))
                } else if after_dot {
                    let call = tokens.get(i + 1).is_some_and(|n| n.is(P::LParen));
                    Some((if call { 4 } else { 5 }, 0))
                } else if let Some(ty) = types.get(t.name(&a.text)).filter(|_| t.kw.is_none()) {
                    Some((*ty, 0))
                } else if t.kw.is_some_and(|k| k.is_reserved()) {
                    Some((0, 0))
                } else if t.kw.is_some() {
                    // Type words and contextual keywords.
                    let word = t.name(&a.text).to_lowercase();
                    if TYPE_WORDS.contains(&word.as_str()) {
                        Some((8, 4))
                    } else {
                        Some((0, 0))
                    }
                } else if somon_syntax::names::builtin_global(t.name(&a.text)).is_some() {
                    Some((1, 4))
                } else {
                    None
                }
            }
            TokenKind::Num | TokenKind::BigInt => Some((12, 0)),
            TokenKind::Str
            | TokenKind::Template
            | TokenKind::TemplateHead
            | TokenKind::TemplateMiddle
            | TokenKind::TemplateTail => Some((11, 0)),
            TokenKind::Regex => Some((13, 0)),
            _ => None,
        };
        if let Some((ty, mods)) = class {
            raw.push((t.span, ty, mods));
        }
    }
    // Encode, one token per line piece, relative to the previous one.
    let mut data = Vec::new();
    let (mut last_line, mut last_col) = (0u32, 0u32);
    for (span, ty, mods) in raw {
        let start = a.lines.position(&a.text, span.lo);
        let end = a.lines.position(&a.text, span.hi);
        let mut pieces = Vec::new();
        if start.line == end.line {
            pieces.push((start.line, start.character, end.character - start.character));
        } else {
            // A multi-line template or string: one piece per line.
            for line in start.line..=end.line {
                let from = if line == start.line {
                    start.character
                } else {
                    0
                };
                let to = if line == end.line {
                    end.character
                } else {
                    let next = a.lines.offset(
                        &a.text,
                        Position {
                            line,
                            character: u32::MAX,
                        },
                    );
                    a.lines.position(&a.text, next).character
                };
                if to > from {
                    pieces.push((line, from, to - from));
                }
            }
        }
        for (line, col, len) in pieces {
            if len == 0 {
                continue;
            }
            let delta_line = line - last_line;
            let delta_start = if delta_line == 0 { col - last_col } else { col };
            data.push(SemanticToken {
                delta_line,
                delta_start,
                length: len,
                token_type: ty,
                token_modifiers_bitset: mods,
            });
            last_line = line;
            last_col = col;
        }
    }
    Some(SemanticTokens {
        result_id: None,
        data,
    })
}

// ---------------------------------------------------------------- folding

/// Brackets that span lines, and runs of comment lines.
pub fn folding_ranges(w: &World, path: &Path) -> Option<Vec<FoldingRange>> {
    use somon_syntax::token::{TokenKind, P};
    let text = w.text_of(path)?;
    let map = LineMap::new(&text);
    let lexed = somon_syntax::lexer::tokenize(&text);
    let mut stack: Vec<u32> = Vec::new();
    let mut out = Vec::new();
    let mut prev_end = 0u32;
    for t in &lexed.tokens {
        // Block comments live in the gaps between tokens.
        if let Some(gap) = text.get(prev_end as usize..t.span.lo as usize) {
            let mut from = 0;
            while let Some(i) = gap.get(from..).and_then(|g| g.find("/*")) {
                let lo = prev_end + (from + i) as u32;
                let Some(j) = gap.get(from + i..).and_then(|g| g.find("*/")) else {
                    break;
                };
                let hi = prev_end + (from + i + j) as u32;
                let (l0, l1) = (map.line_of(lo), map.line_of(hi));
                if l1 > l0 {
                    out.push(FoldingRange {
                        start_line: l0,
                        end_line: l1,
                        kind: Some(FoldingRangeKind::Comment),
                        ..Default::default()
                    });
                }
                from += i + j + 2;
            }
        }
        prev_end = t.span.hi;
        match t.kind {
            TokenKind::Punct(P::LBrace | P::LBracket | P::LParen) => stack.push(t.span.lo),
            TokenKind::Punct(P::RBrace | P::RBracket | P::RParen) => {
                if let Some(lo) = stack.pop() {
                    let (l0, l1) = (map.line_of(lo), map.line_of(t.span.lo));
                    if l1 > l0 + 1 || (l1 > l0 && l1 - l0 >= 1) {
                        out.push(FoldingRange {
                            start_line: l0,
                            end_line: l1.saturating_sub(1).max(l0),
                            ..Default::default()
                        });
                    }
                }
            }
            _ => {}
        }
    }
    out.retain(|r| r.end_line > r.start_line || r.kind.is_some());
    Some(out)
}

/// The analysis the server publishes for a file.
pub fn diagnostics_of(w: &World, a: &Arc<FileAnalysis>, lang: Lang) -> Vec<lsp_types::Diagnostic> {
    if a.diagnostics.is_empty() {
        return Vec::new();
    }
    let starts = expression_starts(a);
    a.diagnostics
        .iter()
        .take(1000)
        .map(|d| to_lsp_diagnostic(w, a, d, lang, &starts))
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod formatting_tests {
    use super::{doc_comment, line_edits};
    use lsp_types::{Position, Range};

    /// Applies edits (whole-line ranges, as `line_edits` makes them).
    fn apply(old: &str, edits: &[lsp_types::TextEdit]) -> String {
        let lines: Vec<&str> = old.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut line = 0usize;
        for e in edits {
            let start = e.range.start.line as usize;
            out.push_str(&lines[line..start].concat());
            out.push_str(&e.new_text);
            line = (e.range.end.line as usize).max(start);
            if e.range.end.character > 0 {
                line += 1;
            }
        }
        out.push_str(&lines[line.min(lines.len())..].concat());
        out
    }

    #[test]
    fn whole_document_edits_give_the_formatted_text() {
        let old = "тағ а=1\nтағ б = 2;\n\n\n\nчоп.сабт(а,б)\n";
        let new = somon_fmt::format(old, &somon_fmt::FormatOptions::default()).unwrap();
        let edits = line_edits(old, &new, None);
        assert!(edits.len() >= 2, "{edits:?}");
        assert_eq!(apply(old, &edits), new);
    }

    #[test]
    fn range_edits_touch_only_the_lines_asked_for() {
        let old = "тағ а=1\nтағ б = 2;\nтағ в=3\n";
        let new = somon_fmt::format(old, &somon_fmt::FormatOptions::default()).unwrap();
        let edits = line_edits(old, &new, Some((2, 2)));
        assert_eq!(
            edits.iter().map(|e| e.range).collect::<Vec<_>>(),
            vec![Range::new(Position::new(2, 0), Position::new(3, 0))]
        );
        assert_eq!(apply(old, &edits), "тағ а=1\nтағ б = 2;\nтағ в = 3;\n");
    }

    #[test]
    fn a_last_line_without_a_line_break_ends_at_its_utf16_length() {
        let old = "тағ а=1";
        let edits = line_edits(old, "тағ а = 1;\n", None);
        assert_eq!(edits.len(), 1);
        assert_eq!(edits[0].range.end, Position::new(0, 7));
    }

    #[test]
    fn doc_comments_come_from_the_trivia_table() {
        let src = "/** Ҷамъ мекунад.\n * Ду адад. */\nфунксия ҷамъ(а, б) { баргардон а + б; }\n\n// якум\n// дуюм\nтағ х = 1;\nтағ с = \"// не\";\nтағ й = 2;\n";
        let at = |name: &str| src.find(name).unwrap() as u32;
        assert_eq!(
            doc_comment(src, at("ҷамъ(")).as_deref(),
            Some("Ҷамъ мекунад.\nДу адад.")
        );
        assert_eq!(doc_comment(src, at("х =")).as_deref(), Some("якум\nдуюм"));
        // A `//` inside the string above is not a comment.
        assert_eq!(doc_comment(src, at("й =")), None);
    }
}

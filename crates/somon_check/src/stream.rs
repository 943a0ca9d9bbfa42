//! The type check of a module whose statements arrive one at a time
//! (`somon_syntax::parse_each`), so that the whole tree never has to be
//! held: a large module is parsed twice, and each statement is dropped
//! once it has been checked and emitted.
//!
//! It gives exactly [`crate::check_module`]'s diagnostics for a module
//! without imports and exports (their statements are not taken: a caller
//! checks such a module whole). `check_module` hoists the types of the
//! top level one statement after the other, then its values: the first
//! pass ([`StreamedCheck::declare`]) hoists each statement's types as it
//! comes and keeps only what hoisting its values reads (a *declaration
//! skeleton*: signatures, annotations, class members without bodies), and
//! the names functions write from outside; [`StreamedCheck::start`] hoists
//! the values, freeing each skeleton once read; the second pass checks
//! each statement ([`StreamedCheck::check`]) against that state, and
//! [`StreamedCheck::finish`] gives the diagnostics.

use crate::assigned::{self, Assigned};
use crate::{CheckOptions, Checker, ModuleImports};
use somon_diagnostics::{Diagnostic, Span};
use somon_syntax::ast::*;

pub struct StreamedCheck<'a> {
    checker: Checker<'a>,
    /// The value declarations of the first pass, as skeletons.
    skeletons: Vec<Skeleton>,
}

/// What hoisting reads of a value declaration, kept small: a large module
/// has tens of thousands (a whole statement is 112 bytes and a variable's
/// declarator, with room for its initializer, 128).
enum Skeleton {
    /// A variable declaration's patterns.
    Var(VarKind, Box<[Pat]>),
    /// Any other value declaration (without bodies).
    Function(Box<Function>),
    Class(Box<Class>),
    Namespace(Box<NamespaceDecl>),
    Enum(Box<EnumDecl>),
}

impl<'a> StreamedCheck<'a> {
    /// The check of a module whose whole source `program_span` covers.
    pub fn new(imports: &'a dyn ModuleImports, options: CheckOptions, program_span: Span) -> Self {
        let mut checker = Checker::new(Assigned::default(), imports, options);
        checker.push_scope_span(Some(program_span));
        StreamedCheck {
            checker,
            skeletons: Vec::new(),
        }
    }

    /// The first pass: one top-level statement, in source order. Returns
    /// `false`, taking nothing, for an import or export.
    pub fn declare(&mut self, stmt: &Stmt) -> bool {
        if stmt.is_import_or_export() {
            return false;
        }
        // Names written from outside count wherever they are written (no
        // hoisting reads them).
        let found = assigned::scan_stmts(std::slice::from_ref(stmt));
        self.checker.assigned.captured.extend(found.captured);
        self.checker.hoist_type(stmt);
        if let Some(skeleton) = skeleton(stmt) {
            self.skeletons.push(skeleton);
        }
        true
    }

    /// Between the passes: the values of the top level are hoisted.
    pub fn start(&mut self) {
        for skeleton in std::mem::take(&mut self.skeletons) {
            let c = &mut self.checker;
            match skeleton {
                Skeleton::Var(kind, patterns) => c.hoist_var(kind, patterns.iter()),
                Skeleton::Function(f) => c.hoist_value(&Stmt::Function(f)),
                Skeleton::Class(class) => c.hoist_value(&Stmt::Class(class)),
                Skeleton::Namespace(n) => c.hoist_value(&Stmt::Namespace(n)),
                Skeleton::Enum(e) => c.hoist_value(&Stmt::Enum(e)),
            }
        }
    }

    /// The second pass: one top-level statement, in source order (the
    /// same statements [`Self::declare`] saw).
    pub fn check(&mut self, stmt: &Stmt) {
        let c = &mut self.checker;
        c.start_statement_symbols();
        c.stmt(stmt);
        c.forget_statement_symbols();
    }

    /// The diagnostics, in source order.
    pub fn finish(mut self) -> Vec<Diagnostic> {
        let c = &mut self.checker;
        c.pop_scope();
        crate::in_source_order(std::mem::take(&mut c.diags))
    }
}

/// What hoisting a top-level statement's values reads of it (`None`:
/// nothing).
fn skeleton(stmt: &Stmt) -> Option<Skeleton> {
    Some(match stmt {
        Stmt::Var(d) => Skeleton::Var(d.kind, d.decls.iter().map(|v| v.pat.clone()).collect()),
        Stmt::Function(f) => Skeleton::Function(Box::new(signature(f))),
        Stmt::Class(c) => Skeleton::Class(Box::new(class_skeleton(c))),
        Stmt::Namespace(n) => Skeleton::Namespace(Box::new(NamespaceDecl {
            path: n.path.clone(),
            body: Vec::new(),
            span: n.span,
        })),
        Stmt::Enum(e) => Skeleton::Enum(e.clone()),
        _ => return None,
    })
}

/// A function without its body's statements (whether it has one decides
/// between a function and an overload).
fn signature(f: &Function) -> Function {
    Function {
        name: f.name.clone(),
        type_params: f.type_params.clone(),
        params: f.params.clone(),
        return_type: f.return_type.clone(),
        body: f.body.as_ref().map(|b| Block {
            stmts: Vec::new(),
            span: b.span,
        }),
        is_async: f.is_async,
        is_generator: f.is_generator,
        span: f.span,
    }
}

/// A class's members without bodies or initial values.
fn class_skeleton(c: &Class) -> Class {
    let members = c
        .members
        .iter()
        .filter_map(|m| match m {
            ClassMember::Constructor { function, span } => Some(ClassMember::Constructor {
                function: Box::new(signature(function)),
                span: *span,
            }),
            ClassMember::Method {
                key,
                kind,
                function,
                is_static,
                is_abstract,
                is_optional,
                span,
            } => Some(ClassMember::Method {
                key: key.clone(),
                kind: *kind,
                function: Box::new(signature(function)),
                is_static: *is_static,
                is_abstract: *is_abstract,
                is_optional: *is_optional,
                span: *span,
            }),
            ClassMember::Field {
                key,
                ty,
                is_static,
                is_abstract,
                is_optional,
                is_definite,
                span,
                ..
            } => Some(ClassMember::Field {
                key: key.clone(),
                value: None,
                ty: ty.clone(),
                is_static: *is_static,
                is_abstract: *is_abstract,
                is_optional: *is_optional,
                is_definite: *is_definite,
                span: *span,
            }),
            ClassMember::StaticBlock(_) | ClassMember::IndexSignature(_) => None,
        })
        .collect();
    Class {
        name: c.name.clone(),
        type_params: c.type_params.clone(),
        super_class: c.super_class.clone(),
        super_type_args: c.super_type_args.clone(),
        implements: c.implements.clone(),
        members,
        is_abstract: c.is_abstract,
        span: c.span,
        keyword_span: c.keyword_span,
    }
}

//! Where names are written, for narrowing: a call forgets what is known
//! of a `тағ` that some function writes from outside (a captured write:
//! found by a pre-pass over the program), and a loop or `кӯшиш` block
//! starts from what is known before it minus the names it writes (found
//! when the check reaches it, and only when something is known).

use rustc_hash::FxHashSet as HashSet;
use somon_syntax::ast::*;

#[derive(Default)]
pub(crate) struct Assigned {
    /// Names written inside a function that does not declare them.
    pub captured: HashSet<Box<str>>,
}

fn node_key<T>(node: &T) -> usize {
    node as *const T as usize
}

pub(crate) fn scan(program: &Program) -> Assigned {
    scan_stmts(&program.body)
}

/// [`scan`] of some of a program's top-level statements (names written
/// inside functions are found statement by statement: the names the top
/// level declares do not matter, as only writes inside a function count).
pub(crate) fn scan_stmts(stmts: &[Stmt]) -> Assigned {
    let mut w = Walker::new(None);
    w.stmts(stmts);
    Assigned {
        captured: w.captured.into_iter().map(Box::from).collect(),
    }
}

/// The names a loop statement writes in its test, update and body, or a
/// `кӯшиш` statement in its block (anywhere inside, functions included).
pub(crate) fn written_in(s: &Stmt) -> HashSet<&str> {
    let mut w = Walker::new(Some(node_key(s)));
    w.stmt(s);
    w.written
}

struct Walker<'a> {
    /// The loop or `кӯшиш` whose written names are wanted (`written`),
    /// by address; `None`: the captured names are wanted (`captured`).
    frame: Option<usize>,
    /// Inside that loop's or `кӯшиш`'s part that counts.
    in_frame: bool,
    written: HashSet<&'a str>,
    captured: HashSet<&'a str>,
    /// The enclosing functions, each with the names it declares once a
    /// write inside it asks (most functions write no outer name).
    functions: Vec<(FunctionNode<'a>, Option<HashSet<&'a str>>)>,
    depth: usize,
}

#[derive(Clone, Copy)]
enum FunctionNode<'a> {
    Function(&'a Function),
    Arrow(&'a Arrow),
}

impl<'a> FunctionNode<'a> {
    /// The names the function declares: its parameters, its own name, and
    /// the declarations of its body.
    fn declared(self) -> HashSet<&'a str> {
        let mut declared = HashSet::default();
        match self {
            FunctionNode::Function(f) => {
                for p in &f.params {
                    pat_names(&p.pat, &mut declared);
                }
                if let Some(n) = &f.name {
                    declared.insert(&*n.name);
                }
                if let Some(b) = &f.body {
                    declared_in(&b.stmts, &mut declared);
                }
            }
            FunctionNode::Arrow(a) => {
                for p in &a.params {
                    pat_names(&p.pat, &mut declared);
                }
                if let ArrowBody::Block(b) = &a.body {
                    declared_in(&b.stmts, &mut declared);
                }
            }
        }
        declared
    }
}

const MAX_DEPTH: usize = 2000;

impl<'a> Walker<'a> {
    fn new(frame: Option<usize>) -> Self {
        Walker {
            frame,
            in_frame: false,
            written: HashSet::default(),
            captured: HashSet::default(),
            functions: Vec::new(),
            depth: 0,
        }
    }

    fn write(&mut self, name: &'a str) {
        if self.frame.is_some() {
            if self.in_frame {
                self.written.insert(name);
            }
            return;
        }
        if self.captured.contains(name) {
            return;
        }
        let Some((node, declared)) = self.functions.last_mut() else {
            return;
        };
        let node = *node;
        if !declared
            .get_or_insert_with(|| node.declared())
            .contains(name)
        {
            self.captured.insert(name);
        }
    }

    /// `f` walks the part of loop or `кӯшиш` `key` whose writes count.
    fn framed(&mut self, key: usize, f: impl FnOnce(&mut Self)) {
        let enters = self.frame == Some(key) && !self.in_frame;
        self.in_frame |= enters;
        f(self);
        if enters {
            self.in_frame = false;
        }
    }

    fn stmts(&mut self, stmts: &'a [Stmt]) {
        for s in stmts {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &'a Stmt) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.stmt_inner(s));
        self.depth -= 1;
    }

    fn stmt_inner(&mut self, s: &'a Stmt) {
        match s {
            Stmt::Var(d) => self.var_decl(d),
            Stmt::Function(f) => self.function(f),
            Stmt::Class(c) => self.class(c),
            Stmt::Enum(e) => {
                for m in &e.members {
                    if let Some(i) = &m.init {
                        self.expr(i);
                    }
                }
            }
            Stmt::Namespace(n) => self.stmts(&n.body),
            Stmt::Export(e) => match &**e {
                ExportDecl::Decl(inner, _) | ExportDecl::DefaultDecl(inner, _) => self.stmt(inner),
                ExportDecl::DefaultExpr(e, _) => self.expr(e),
                _ => {}
            },
            Stmt::Expr(e, _) => self.expr(e),
            Stmt::Block(b) => self.stmts(&b.stmts),
            Stmt::If {
                test, cons, alt, ..
            } => {
                self.expr(test);
                self.stmt(cons);
                if let Some(a) = alt {
                    self.stmt(a);
                }
            }
            Stmt::While { test, body, .. } | Stmt::DoWhile { body, test, .. } => {
                self.framed(node_key(s), |w| {
                    w.expr(test);
                    w.stmt(body);
                })
            }
            Stmt::For {
                init,
                test,
                update,
                body,
                ..
            } => {
                match init.as_deref() {
                    Some(ForInit::Var(d)) => self.var_decl(d),
                    Some(ForInit::Expr(e)) => self.expr(e),
                    None => {}
                }
                self.framed(node_key(s), |w| {
                    if let Some(t) = test {
                        w.expr(t);
                    }
                    if let Some(u) = update {
                        w.expr(u);
                    }
                    w.stmt(body);
                })
            }
            Stmt::ForIn {
                left, right, body, ..
            }
            | Stmt::ForOf {
                left, right, body, ..
            } => {
                self.expr(right);
                self.framed(node_key(s), |w| {
                    match &**left {
                        ForHead::Var(_, p, _) => w.pat_defaults(p),
                        ForHead::Pat(p) => w.target(p),
                    }
                    w.stmt(body);
                })
            }
            Stmt::Return { arg: Some(e), .. } | Stmt::Throw { arg: e, .. } => self.expr(e),
            Stmt::Try {
                block,
                handler,
                finalizer,
                ..
            } => {
                self.framed(node_key(s), |w| w.stmts(&block.stmts));
                if let Some(h) = handler {
                    if let Some(p) = &h.param {
                        self.pat_defaults(p);
                    }
                    self.stmts(&h.body.stmts);
                }
                if let Some(f) = finalizer {
                    self.stmts(&f.stmts);
                }
            }
            Stmt::Switch { disc, cases, .. } => {
                self.expr(disc);
                for c in cases {
                    if let Some(t) = &c.test {
                        self.expr(t);
                    }
                    self.stmts(&c.cons);
                }
            }
            Stmt::Labeled { body, .. } => self.stmt(body),
            _ => {}
        }
    }

    fn var_decl(&mut self, d: &'a VarDecl) {
        for dd in &d.decls {
            self.pat_defaults(&dd.pat);
            if let Some(i) = &dd.init {
                self.expr(i);
            }
        }
    }

    fn function(&mut self, f: &'a Function) {
        self.functions.push((FunctionNode::Function(f), None));
        for p in &f.params {
            self.pat_defaults(&p.pat);
        }
        if let Some(b) = &f.body {
            self.stmts(&b.stmts);
        }
        self.functions.pop();
    }

    fn arrow(&mut self, a: &'a Arrow) {
        self.functions.push((FunctionNode::Arrow(a), None));
        for p in &a.params {
            self.pat_defaults(&p.pat);
        }
        match &a.body {
            ArrowBody::Block(b) => self.stmts(&b.stmts),
            ArrowBody::Expr(e) => self.expr(e),
        }
        self.functions.pop();
    }

    fn class(&mut self, c: &'a Class) {
        if let Some(s) = &c.super_class {
            self.expr(s);
        }
        for m in &c.members {
            match m {
                ClassMember::Constructor { function, .. } => self.function(function),
                ClassMember::Method { key, function, .. } => {
                    self.prop_name(key);
                    self.function(function);
                }
                ClassMember::Field { key, value, .. } => {
                    self.prop_name(key);
                    if let Some(v) = value {
                        self.expr(v);
                    }
                }
                ClassMember::StaticBlock(b) => self.stmts(&b.stmts),
                ClassMember::IndexSignature(_) => {}
            }
        }
    }

    fn prop_name(&mut self, k: &'a PropName) {
        if let PropName::Computed(e, _) = k {
            self.expr(e);
        }
    }

    /// Default values inside a binding pattern.
    fn pat_defaults(&mut self, p: &'a Pat) {
        match p {
            Pat::Assign { left, right, .. } => {
                self.expr(right);
                self.pat_defaults(left);
            }
            Pat::Array { elems, .. } => {
                for e in elems.iter().flatten() {
                    self.pat_defaults(e);
                }
            }
            Pat::Object { props, .. } => {
                for prop in props {
                    match prop {
                        ObjectPatProp::KeyValue { key, value } => {
                            self.prop_name(key);
                            self.pat_defaults(value);
                        }
                        ObjectPatProp::Shorthand {
                            default: Some(d), ..
                        } => self.expr(d),
                        ObjectPatProp::Shorthand { .. } => {}
                        ObjectPatProp::Rest(r) => self.pat_defaults(r),
                    }
                }
            }
            Pat::Rest { arg, .. } => self.pat_defaults(arg),
            Pat::Ident { .. } => {}
            Pat::Expr(e) => self.expr(e),
        }
    }

    /// An assignment target: every name in it is written.
    fn target(&mut self, p: &'a Pat) {
        match p {
            Pat::Ident { ident, .. } => self.write(&ident.name),
            Pat::Expr(e) => {
                if let Some(root) = root_name(e) {
                    self.write(root);
                }
                self.expr(e)
            }
            Pat::Array { elems, .. } => {
                for e in elems.iter().flatten() {
                    self.target(e);
                }
            }
            Pat::Object { props, .. } => {
                for prop in props {
                    match prop {
                        ObjectPatProp::KeyValue { key, value } => {
                            self.prop_name(key);
                            self.target(value);
                        }
                        ObjectPatProp::Shorthand { ident, default } => {
                            self.write(&ident.name);
                            if let Some(d) = default {
                                self.expr(d);
                            }
                        }
                        ObjectPatProp::Rest(r) => self.target(r),
                    }
                }
            }
            Pat::Rest { arg, .. } => self.target(arg),
            Pat::Assign { left, right, .. } => {
                self.target(left);
                self.expr(right);
            }
        }
    }

    fn expr(&mut self, e: &'a Expr) {
        if self.depth > MAX_DEPTH {
            return;
        }
        self.depth += 1;
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(e));
        self.depth -= 1;
    }

    fn expr_inner(&mut self, e: &'a Expr) {
        match e {
            Expr::Template(t) => {
                for x in &t.exprs {
                    self.expr(x);
                }
            }
            Expr::TaggedTemplate { tag, tpl, .. } => {
                self.expr(tag);
                for x in &tpl.exprs {
                    self.expr(x);
                }
            }
            Expr::Array { elems, .. } => {
                for el in elems.iter().flatten() {
                    self.expr(&el.expr);
                }
            }
            Expr::Object { props, .. } => {
                for p in props {
                    match p {
                        Prop::KeyValue { key, value } => {
                            self.prop_name(key);
                            self.expr(value);
                        }
                        Prop::Shorthand(_) => {}
                        Prop::Method { key, function, .. } => {
                            self.prop_name(key);
                            self.function(function);
                        }
                        Prop::Spread(x) => self.expr(x),
                    }
                }
            }
            Expr::Function(f) => self.function(f),
            Expr::Arrow(a) => self.arrow(a),
            Expr::Class(c) => self.class(c),
            Expr::Unary { arg, .. } | Expr::Await { arg, .. } | Expr::DynImport { arg, .. } => {
                self.expr(arg)
            }
            Expr::Update { arg, .. } => {
                if let Some(root) = root_name(arg) {
                    self.write(root);
                }
                self.expr(arg);
            }
            Expr::Binary { left, right, .. } => {
                self.expr(left);
                self.expr(right);
            }
            Expr::PrivateIn { right, .. } => self.expr(right),
            Expr::Assign { target, value, .. } => {
                self.target(target);
                self.expr(value);
            }
            Expr::Cond {
                test, cons, alt, ..
            } => {
                self.expr(test);
                self.expr(cons);
                self.expr(alt);
            }
            Expr::Call { callee, args, .. } => {
                self.expr(callee);
                for a in args {
                    self.expr(&a.expr);
                }
            }
            Expr::New { callee, args, .. } => {
                self.expr(callee);
                for a in args.iter().flatten() {
                    self.expr(&a.expr);
                }
            }
            Expr::Member { obj, prop, .. } => {
                self.expr(obj);
                if let MemberProp::Computed(p) = prop {
                    self.expr(p);
                }
            }
            Expr::Seq { exprs, .. } => {
                for x in exprs {
                    self.expr(x);
                }
            }
            Expr::Yield { arg: Some(a), .. } => self.expr(a),
            Expr::Paren { expr, .. } | Expr::As { expr, .. } | Expr::NonNull { expr, .. } => {
                self.expr(expr)
            }
            _ => {}
        }
    }
}

/// The variable at the root of `х`, `х.а.б`, `х[и]` (after parentheses).
pub(crate) fn root_name(mut e: &Expr) -> Option<&str> {
    // A loop: member chains have no nesting limit.
    loop {
        match e {
            Expr::Ident(i) => return Some(&i.name),
            Expr::Member { obj, .. } => e = obj,
            Expr::Paren { expr, .. } | Expr::NonNull { expr, .. } | Expr::As { expr, .. } => {
                e = expr
            }
            _ => return None,
        }
    }
}

fn pat_names<'p>(p: &'p Pat, out: &mut HashSet<&'p str>) {
    let mut idents = Vec::new();
    pat_idents(p, &mut idents);
    out.extend(idents.into_iter().map(|i| &*i.name));
}

/// The names a binding pattern binds.
pub(crate) fn pat_idents<'p>(p: &'p Pat, out: &mut Vec<&'p Ident>) {
    match p {
        Pat::Ident { ident, .. } => out.push(ident),
        Pat::Array { elems, .. } => {
            for e in elems.iter().flatten() {
                pat_idents(e, out);
            }
        }
        Pat::Object { props, .. } => {
            for prop in props {
                match prop {
                    ObjectPatProp::KeyValue { value, .. } => pat_idents(value, out),
                    ObjectPatProp::Shorthand { ident, .. } => out.push(ident),
                    ObjectPatProp::Rest(r) => pat_idents(r, out),
                }
            }
        }
        Pat::Rest { arg, .. } | Pat::Assign { left: arg, .. } => pat_idents(arg, out),
        Pat::Expr(_) => {}
    }
}

/// Names declared by statements of a function body (through blocks, not
/// into nested functions).
fn declared_in<'s>(stmts: &'s [Stmt], out: &mut HashSet<&'s str>) {
    let mut stack: Vec<&Stmt> = stmts.iter().rev().collect();
    while let Some(s) = stack.pop() {
        match s {
            Stmt::Var(d) => {
                for dd in &d.decls {
                    pat_names(&dd.pat, out);
                }
            }
            Stmt::Function(f) => {
                if let Some(n) = &f.name {
                    out.insert(&n.name);
                }
            }
            Stmt::Class(c) => {
                if let Some(n) = &c.name {
                    out.insert(&n.name);
                }
            }
            Stmt::Enum(e) => {
                out.insert(&e.name.name);
            }
            Stmt::Block(b) => stack.extend(b.stmts.iter()),
            Stmt::If { cons, alt, .. } => {
                stack.push(cons);
                if let Some(a) = alt {
                    stack.push(a);
                }
            }
            Stmt::While { body, .. } | Stmt::DoWhile { body, .. } | Stmt::Labeled { body, .. } => {
                stack.push(body)
            }
            Stmt::For { init, body, .. } => {
                if let Some(ForInit::Var(d)) = init.as_deref() {
                    for dd in &d.decls {
                        pat_names(&dd.pat, out);
                    }
                }
                stack.push(body);
            }
            Stmt::ForIn { left, body, .. } | Stmt::ForOf { left, body, .. } => {
                if let ForHead::Var(_, p, _) = &**left {
                    pat_names(p, out);
                }
                stack.push(body);
            }
            Stmt::Try {
                block,
                handler,
                finalizer,
                ..
            } => {
                stack.extend(block.stmts.iter());
                if let Some(h) = handler {
                    if let Some(p) = &h.param {
                        pat_names(p, out);
                    }
                    stack.extend(h.body.stmts.iter());
                }
                if let Some(f) = finalizer {
                    stack.extend(f.stmts.iter());
                }
            }
            Stmt::Switch { cases, .. } => {
                for c in cases {
                    stack.extend(c.cons.iter());
                }
            }
            Stmt::Export(e) => {
                if let ExportDecl::Decl(inner, _) | ExportDecl::DefaultDecl(inner, _) = &**e {
                    stack.push(inner);
                }
            }
            _ => {}
        }
    }
}

//! Control-flow narrowing, as TypeScript does it, on the structured tree.
//!
//! The checker carries a `Flow`: what is known, at the current point, of
//! variables and property paths (`х`, `ин.кеш`, `т.порт`) beyond their
//! declared types, and whether the point is reachable at all. A condition
//! yields two flows (where it is true, where it is false); branches start
//! from them and meet again with `Flow::join` (the union of what each
//! branch knows; an unreachable branch adds nothing). `бозгашт`,
//! `партофтан`, `давом` and `шикастан` make the rest of a block
//! unreachable, so `агар (х === холӣ) бозгашт;` narrows what follows.
//! Loops and `кӯшиш` forget what they write before they start (the
//! `assigned` pre-pass); a call forgets captured `тағ` that a function
//! writes; an assignment replaces what is known of its target.

use crate::types::Ty;
use crate::{strip_parens, Checker, DeclKind, SymbolFacts};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use somon_syntax::ast::*;
use std::sync::Arc;

/// A variable (by symbol) and a property path below it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct RefKey {
    pub root: u32,
    pub path: Vec<Arc<str>>,
}

/// The root of paths below `ин`.
pub(crate) const THIS_ROOT: u32 = u32::MAX;

#[derive(Clone, Debug, Default)]
pub(crate) struct Flow {
    pub facts: HashMap<RefKey, Ty>,
    /// No path reaches this point.
    pub dead: bool,
}

impl Flow {
    pub fn dead() -> Flow {
        Flow {
            facts: HashMap::default(),
            dead: true,
        }
    }

    /// The flow where two paths meet.
    pub fn join(a: Flow, b: Flow) -> Flow {
        if a.dead {
            return b;
        }
        if b.dead {
            return a;
        }
        let mut facts = HashMap::default();
        for (k, ta) in a.facts {
            if let Some(tb) = b.facts.get(&k) {
                facts.insert(k, Ty::union(vec![ta, tb.clone()]));
            }
        }
        Flow { facts, dead: false }
    }

    pub fn join_all(flows: impl IntoIterator<Item = Flow>) -> Flow {
        flows.into_iter().fold(Flow::dead(), Flow::join)
    }

    /// Forgets what is known of `key` and of every path below it.
    pub fn forget(&mut self, key: &RefKey) {
        self.facts
            .retain(|k, _| !(k.root == key.root && k.path.starts_with(&key.path)));
    }

    /// Forgets everything known of the variables `drop` selects.
    pub fn forget_roots(&mut self, drop: impl Fn(u32) -> bool) {
        self.facts.retain(|k, _| !drop(k.root));
    }
}

/// The longest property path narrowing follows (in members; `!` steps
/// are free, so every spelling of a path has the same key or none).
const MAX_REF_PATH: usize = 32;

/// What a comparison is against.
enum Lit {
    Null,
    Undefined,
    Ty(Ty),
}

impl Checker<'_> {
    /// The variable or property path an expression names, if any. Paths
    /// longer than [`MAX_REF_PATH`] are never narrowed: each member of a
    /// chain asks for its own key, so walking whole chains would be
    /// quadratic (and they can be far deeper than the stack).
    pub(crate) fn ref_key(&self, e: &Expr) -> Option<RefKey> {
        let mut path = Vec::new();
        let mut e = e;
        loop {
            match strip_parens(e) {
                Expr::Ident(i) => {
                    let root = self.lookup(&i.name)?.sym;
                    path.reverse();
                    return Some(RefKey { root, path });
                }
                Expr::This(_) => {
                    path.reverse();
                    return Some(RefKey {
                        root: THIS_ROOT,
                        path,
                    });
                }
                Expr::NonNull { expr, .. } => e = expr,
                Expr::Member {
                    obj,
                    prop: MemberProp::Ident(p),
                    ..
                } => {
                    if path.len() == MAX_REF_PATH {
                        return None;
                    }
                    path.push(Arc::from(crate::property_name(&p.name)));
                    e = obj;
                }
                _ => return None,
            }
        }
    }

    /// The type of a reference at this point, without diagnostics.
    pub(crate) fn ref_type(&self, e: &Expr) -> Ty {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.ref_type_inner(e))
    }

    fn ref_type_inner(&self, e: &Expr) -> Ty {
        if let Some(k) = self.ref_key(e) {
            if let Some(t) = self.flow.facts.get(&k) {
                return t.clone();
            }
        }
        match strip_parens(e) {
            Expr::Ident(i) => self
                .lookup(&i.name)
                .map(|b| b.ty.clone())
                .unwrap_or(Ty::Any),
            Expr::This(_) => self.this_stack.last().cloned().unwrap_or(Ty::Any),
            Expr::NonNull { expr, .. } => non_nullish(&self.ref_type(expr)),
            Expr::Member {
                obj,
                prop: MemberProp::Ident(p),
                ..
            } => {
                let o = self.ref_type(obj);
                self.member_type(&o, &p.name)
            }
            _ => Ty::Any,
        }
    }

    /// Walks a condition and returns the flows where it is true and where
    /// it is false.
    pub(crate) fn condition(&mut self, e: &Expr) -> (Flow, Flow) {
        let (_, t, f) = self.condition_typed(e);
        (t, f)
    }

    /// Walks a condition: its type, and the flows where it is true and
    /// where it is false.
    pub(crate) fn condition_typed(&mut self, e: &Expr) -> (Ty, Flow, Flow) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.condition_inner(e))
    }

    fn condition_inner(&mut self, e: &Expr) -> (Ty, Flow, Flow) {
        match e {
            Expr::Paren { expr, .. } => self.condition_typed(expr),
            Expr::Unary {
                op: UnaryOp::Not,
                arg,
                ..
            } => {
                let (_, t, f) = self.condition_typed(arg);
                (Ty::Boolean, f, t)
            }
            Expr::Binary {
                op: op @ (BinaryOp::And | BinaryOp::Or),
                left,
                right,
                ..
            } => {
                let (l, lt, lf) = self.condition_typed(left);
                if *op == BinaryOp::And {
                    self.flow = lt;
                    let (r, rt, rf) = self.condition_typed(right);
                    let ty = match falsy(&l) {
                        Ty::Never => r,
                        Ty::Any => Ty::Any,
                        f => Ty::union(vec![f, r]),
                    };
                    (ty, rt, Flow::join(lf, rf))
                } else {
                    self.flow = lf;
                    let (r, rt, rf) = self.condition_typed(right);
                    let ty = match truthy(&l) {
                        Ty::Any => Ty::Any,
                        t => Ty::union(vec![t, r]),
                    };
                    (ty, Flow::join(lt, rt), rf)
                }
            }
            Expr::Bool(b, _) => {
                let ty = self.expr(e);
                if *b {
                    (ty, self.flow.clone(), Flow::dead())
                } else {
                    (ty, Flow::dead(), self.flow.clone())
                }
            }
            _ => {
                let ty = self.expr(e);
                let mut t = self.flow.clone();
                let mut f = self.flow.clone();
                self.narrow_into(e, &mut t, &mut f);
                (ty, t, f)
            }
        }
    }

    /// The flows where `интихоб (disc)` matches the case `test` and where
    /// it does not, from `flow`.
    pub(crate) fn case_flows(&mut self, disc: &Expr, test: &Expr, flow: Flow) -> (Flow, Flow) {
        // What `disc === test` would narrow (without building that
        // expression: a copy of a deep tree recurses).
        let (mut yes, mut no) = (flow.clone(), flow.clone());
        self.flow = flow;
        self.narrow_equality(disc, test, true, &mut yes, &mut no);
        (yes, no)
    }

    /// Adds what a simple condition (already walked) tells about its
    /// references to the true and false flows.
    fn narrow_into(&self, e: &Expr, t: &mut Flow, f: &mut Flow) {
        match strip_parens(e) {
            Expr::Binary {
                op, left, right, ..
            } => match op {
                BinaryOp::EqEqEq | BinaryOp::NotEqEq | BinaryOp::EqEq | BinaryOp::NotEq => {
                    let strict = matches!(op, BinaryOp::EqEqEq | BinaryOp::NotEqEq);
                    let negated = matches!(op, BinaryOp::NotEqEq | BinaryOp::NotEq);
                    let (yes, no) = if negated { (f, t) } else { (t, f) };
                    self.narrow_equality(left, right, strict, yes, no);
                    // `х === у` where only one side is a reference
                    // is handled above; nothing else narrows.
                }
                BinaryOp::Instanceof => {
                    let Some(key) = self.ref_key(left) else {
                        return;
                    };
                    let Expr::Ident(class) = strip_parens(right) else {
                        return;
                    };
                    let current = self.ref_type(left);
                    if let Some(id) = self.class_id(&class.name) {
                        let is_it = |m: &Ty| matches!(m, Ty::Instance(c) if self.derives_from_known(*c, id));
                        let yes = match &current {
                            Ty::Any | Ty::Unknown => Ty::Instance(id),
                            other => {
                                let kept = other.filter(|m| {
                                    is_it(m)
                                        || matches!(m, Ty::Object | Ty::Shape(_) | Ty::Builtin(..))
                                });
                                if kept == Ty::Never {
                                    Ty::Instance(id)
                                } else {
                                    kept
                                }
                            }
                        };
                        set(t, &key, yes);
                        set(f, &key, current.filter(|m| !is_it(m)));
                    } else if let Some(b) = builtin_instance(&class.name) {
                        if matches!(current, Ty::Unknown | Ty::Any) {
                            set(t, &key, b);
                        } else {
                            let kept = current.filter(|m| !is_primitive(m));
                            set(t, &key, kept);
                        }
                    }
                }
                BinaryOp::In => {
                    let (Expr::Str(name, _), Some(key)) = (strip_parens(left), self.ref_key(right))
                    else {
                        return;
                    };
                    let current = self.ref_type(right);
                    if !matches!(current, Ty::Union(_)) {
                        return;
                    }
                    let name = crate::property_name(name);
                    let has = |m: &Ty| self.has_property(m, name);
                    set(t, &key, current.filter(|m| has(m) != Some(false)));
                    set(f, &key, current.filter(|m| has(m) != Some(true)));
                }
                _ => {}
            },
            Expr::Call { callee, args, .. } => {
                // `Array.isArray(х)` / `рӯйхат.isArray(х)`.
                let Expr::Member {
                    obj,
                    prop: MemberProp::Ident(m),
                    ..
                } = strip_parens(callee)
                else {
                    return;
                };
                let Expr::Ident(recv) = strip_parens(obj) else {
                    return;
                };
                let is_array_ctor =
                    matches!(&*recv.name, "Array" | "рӯйхат") && self.lookup(&recv.name).is_none();
                if !is_array_ctor || crate::property_name(&m.name) != "isArray" {
                    return;
                }
                let Some(arg) = args.first().filter(|a| !a.spread) else {
                    return;
                };
                let Some(key) = self.ref_key(&arg.expr) else {
                    return;
                };
                let current = self.ref_type(&arg.expr);
                let is_arr = |m: &Ty| matches!(m, Ty::Array(_) | Ty::Tuple(_));
                let yes = match &current {
                    Ty::Unknown => Ty::Array(Box::new(Ty::Any)),
                    other => other.filter(|m| is_arr(m) || matches!(m, Ty::Object)),
                };
                set(t, &key, yes);
                set(f, &key, current.filter(|m| !is_arr(m)));
            }
            other => {
                // Truthiness of a reference.
                let Some(key) = self.ref_key(other) else {
                    return;
                };
                let current = self.ref_type(other);
                set(t, &key, truthy(&current));
                set(f, &key, current.filter(|m| !always_truthy(m)));
                // `агар (ш.ранг)` also tells which members of a union `ш`
                // can have a truthy `ранг`.
                self.narrow_parent(other, t, |m| !always_falsy(m));
                self.narrow_parent(other, f, |m| !always_truthy(m));
            }
        }
    }

    fn narrow_equality(
        &self,
        left: &Expr,
        right: &Expr,
        strict: bool,
        yes: &mut Flow,
        no: &mut Flow,
    ) {
        // `навъи х === "сатр"`.
        for (a, b) in [(left, right), (right, left)] {
            if let (
                Expr::Unary {
                    op: UnaryOp::Typeof,
                    arg,
                    ..
                },
                Expr::Str(tag, _),
            ) = (strip_parens(a), strip_parens(b))
            {
                let Some(key) = self.ref_key(arg) else {
                    return;
                };
                let current = self.ref_type(arg);
                let matches_tag = |m: &Ty| typeof_matches(m, tag);
                let y = match &current {
                    Ty::Unknown => typeof_type(tag).unwrap_or(Ty::Unknown),
                    other => other.filter(|m| matches_tag(m) != Some(false)),
                };
                set(yes, &key, y);
                set(no, &key, current.filter(|m| matches_tag(m) != Some(true)));
                return;
            }
        }
        for (a, b) in [(left, right), (right, left)] {
            let Some(lit) = literal_of(b) else { continue };
            let Some(key) = self.ref_key(a) else { continue };
            let current = self.ref_type(a);
            let (y, n) = match &lit {
                Lit::Null | Lit::Undefined if !strict => (
                    current.filter(|m| m.is_nullish()),
                    current.filter(|m| !m.is_nullish()),
                ),
                Lit::Null => (
                    current.filter(|m| matches!(m, Ty::Null)),
                    current.filter(|m| !matches!(m, Ty::Null)),
                ),
                Lit::Undefined => (
                    current.filter(|m| matches!(m, Ty::Undefined | Ty::Void)),
                    current.filter(|m| !matches!(m, Ty::Undefined | Ty::Void)),
                ),
                Lit::Ty(l) => (
                    current.filter(|m| literal_may_equal(m, l)),
                    current.filter(|m| m != l),
                ),
            };
            let y = match (&current, &lit) {
                (Ty::Unknown, Lit::Null) if strict => Ty::Null,
                (Ty::Unknown, Lit::Undefined) if strict => Ty::Undefined,
                (Ty::Unknown, Lit::Ty(l)) => l.clone(),
                _ => y,
            };
            set(yes, &key, y);
            set(no, &key, n);
            // A discriminant: `ш.навъ === "доира"` narrows `ш`.
            if let Lit::Ty(l) = &lit {
                let l = l.clone();
                self.narrow_parent(a, yes, |m| literal_may_equal(m, &l));
                self.narrow_parent(a, no, |m| *m != l);
            } else {
                let is_null = matches!(lit, Lit::Null);
                self.narrow_parent(a, yes, |m| {
                    if strict {
                        if is_null {
                            matches!(m, Ty::Null | Ty::Any | Ty::Unknown)
                        } else {
                            matches!(m, Ty::Undefined | Ty::Void | Ty::Any | Ty::Unknown)
                        }
                    } else {
                        m.is_nullish() || matches!(m, Ty::Any | Ty::Unknown)
                    }
                });
                self.narrow_parent(a, no, |m| !m.is_nullish() || !strict);
            }
            return;
        }
    }

    /// For a property path `о.п`, keeps the members of a union `о` whose
    /// `п` satisfies `keep`.
    fn narrow_parent(&self, e: &Expr, flow: &mut Flow, keep: impl Fn(&Ty) -> bool) {
        let Expr::Member {
            obj,
            prop: MemberProp::Ident(p),
            ..
        } = strip_parens(e)
        else {
            return;
        };
        let Some(key) = self.ref_key(obj) else { return };
        let parent = flow
            .facts
            .get(&key)
            .cloned()
            .unwrap_or_else(|| self.ref_type(obj));
        if matches!(parent, Ty::Any | Ty::Unknown | Ty::Never) {
            return;
        }
        let members = parent.members();
        // Only a union of object types is narrowed by a property.
        if members.len() < 2 && !matches!(parent, Ty::Shape(_)) {
            return;
        }
        let kept: Vec<Ty> = members
            .iter()
            .filter(|m| {
                if matches!(m, Ty::Null | Ty::Undefined) {
                    return false;
                }
                match self.declared_member(m, &p.name) {
                    Some(t) => t.members().iter().any(&keep),
                    None => true,
                }
            })
            .cloned()
            .collect();
        flow.facts.insert(key, Ty::union(kept));
    }

    /// Whether a type certainly has (`Some(true)`), certainly lacks
    /// (`Some(false)`) a property, or may have it.
    fn has_property(&self, t: &Ty, name: &str) -> Option<bool> {
        match t {
            Ty::Shape(s) => {
                match s
                    .props
                    .iter()
                    .find(|p| crate::property_name(&p.name) == name)
                {
                    Some(p) if !p.optional => Some(true),
                    Some(_) => None,
                    None if s.open => None,
                    None => Some(false),
                }
            }
            Ty::Instance(_) => self.declared_member(t, name).map(|_| true),
            _ => None,
        }
    }

    /// Assignment narrowing: after `х = значение`, `х` has the members of
    /// its declared type that the value can be.
    pub(crate) fn narrow_assignment(&mut self, target: &Expr, declared: &Ty, value: &Ty) {
        let Some(key) = self.ref_key(target) else {
            return;
        };
        self.flow.forget(&key);
        if let Ty::Union(_) = declared {
            let narrowed = declared.filter(|m| self.assignable(value, m));
            if narrowed != Ty::Never {
                self.flow.facts.insert(key, narrowed);
            }
        } else if matches!(declared, Ty::Unknown) && !matches!(value, Ty::Any) {
            self.flow.facts.insert(key, value.widen());
        }
    }

    /// What a function body may assume of the flow it is written in.
    pub(crate) fn flow_for_function(&self, is_arrow: bool) -> Flow {
        let mut flow = self.flow.clone();
        flow.dead = false;
        flow.forget_roots(|root| {
            if root == THIS_ROOT {
                return !is_arrow;
            }
            match self.symbols.get(root as usize) {
                Some(s) => s.decl == DeclKind::Let || self.assigned.captured.contains(&*s.name),
                None => true,
            }
        });
        flow
    }

    /// A call may run a function that writes captured variables.
    pub(crate) fn forget_captured(&mut self) {
        forget_named(&mut self.flow, &self.symbols, &self.assigned.captured);
    }

    /// Forgets what is known of the names a loop or `кӯшиш` writes (found
    /// when something is known: a walk of the statement, just before the
    /// check walks it).
    pub(crate) fn forget_written(&mut self, s: &Stmt) {
        if self.flow.facts.is_empty() {
            return;
        }
        let names = crate::assigned::written_in(s);
        forget_named(&mut self.flow, &self.symbols, &names);
    }
}

/// Forgets what a flow knows of the variables with one of `names`.
fn forget_named<S: std::borrow::Borrow<str> + std::hash::Hash + Eq>(
    flow: &mut Flow,
    symbols: &[SymbolFacts],
    names: &HashSet<S>,
) {
    if names.is_empty() || flow.facts.is_empty() {
        return;
    }
    flow.forget_roots(|root| {
        root != THIS_ROOT
            && symbols
                .get(root as usize)
                .is_some_and(|s| names.contains(&*s.name))
    });
}

fn set(flow: &mut Flow, key: &RefKey, ty: Ty) {
    if flow.dead {
        return;
    }
    flow.facts.insert(key.clone(), ty);
}

fn literal_of(e: &Expr) -> Option<Lit> {
    Some(match strip_parens(e) {
        Expr::Null(_) => Lit::Null,
        Expr::Undefined(_) => Lit::Undefined,
        Expr::Ident(i) if &*i.name == "undefined" => Lit::Undefined,
        Expr::Str(s, _) => Lit::Ty(Ty::StrLit(Arc::from(&**s))),
        Expr::Num(n, _) => Lit::Ty(Ty::NumLit(*n)),
        Expr::Bool(b, _) => Lit::Ty(Ty::BoolLit(*b)),
        Expr::Unary {
            op: UnaryOp::Minus,
            arg,
            ..
        } => match strip_parens(arg) {
            Expr::Num(n, _) => Lit::Ty(Ty::NumLit(-*n)),
            _ => return None,
        },
        _ => return None,
    })
}

/// Whether a value of type `m` may equal the literal `l`.
fn literal_may_equal(m: &Ty, l: &Ty) -> bool {
    match (m, l) {
        (Ty::Any | Ty::Unknown | Ty::Enum(..), _) => true,
        (Ty::StrLit(_), _) | (Ty::NumLit(_), _) | (Ty::BoolLit(_), _) => m == l,
        (Ty::String, Ty::StrLit(_))
        | (Ty::Number, Ty::NumLit(_))
        | (Ty::Boolean, Ty::BoolLit(_)) => true,
        (Ty::Param(_), _) => true,
        _ => false,
    }
}

/// `навъи` of a type: `Some(true)` when it surely gives `tag`.
fn typeof_matches(m: &Ty, tag: &str) -> Option<bool> {
    let t = match m {
        Ty::String | Ty::StrLit(_) => "string",
        Ty::Number | Ty::NumLit(_) => "number",
        Ty::Boolean | Ty::BoolLit(_) => "boolean",
        Ty::BigInt => "bigint",
        Ty::Symbol => "symbol",
        Ty::Undefined | Ty::Void => "undefined",
        Ty::Func(_) | Ty::ClassValue(_) => "function",
        Ty::Null | Ty::Array(_) | Ty::Tuple(_) | Ty::Instance(_) => "object",
        Ty::Builtin(..) => "object",
        // Shapes may be callable; `объект` may be a function.
        Ty::Shape(_) | Ty::Object => {
            return if tag == "object" || tag == "function" {
                None
            } else {
                Some(false)
            }
        }
        _ => return None,
    };
    Some(t == tag)
}

fn typeof_type(tag: &str) -> Option<Ty> {
    Some(match tag {
        "string" => Ty::String,
        "number" => Ty::Number,
        "boolean" => Ty::Boolean,
        "bigint" => Ty::BigInt,
        "symbol" => Ty::Symbol,
        "undefined" => Ty::Undefined,
        "object" => Ty::union(vec![Ty::Object, Ty::Null]),
        _ => return None,
    })
}

fn is_primitive(m: &Ty) -> bool {
    matches!(
        m,
        Ty::String
            | Ty::StrLit(_)
            | Ty::Number
            | Ty::NumLit(_)
            | Ty::Boolean
            | Ty::BoolLit(_)
            | Ty::BigInt
            | Ty::Symbol
            | Ty::Null
            | Ty::Undefined
            | Ty::Void
    )
}

fn builtin_instance(name: &str) -> Option<Ty> {
    match name {
        "Array" | "рӯйхат" => Some(Ty::Array(Box::new(Ty::Any))),
        "Error" | "Хато" | "TypeError" | "RangeError" | "SyntaxError" | "Date" | "RegExp"
        | "Map" | "Set" | "Promise" | "Ваъда" | "WeakMap" | "WeakSet" => Some(Ty::Object),
        _ => None,
    }
}

pub(crate) fn non_nullish(t: &Ty) -> Ty {
    t.filter(|m| !m.is_nullish())
}

/// Whether every value of the type is falsy.
fn always_falsy(m: &Ty) -> bool {
    match m {
        Ty::Null | Ty::Undefined | Ty::Void => true,
        Ty::BoolLit(b) => !b,
        Ty::StrLit(s) => s.is_empty(),
        Ty::NumLit(n) => *n == 0.0 || n.is_nan(),
        _ => false,
    }
}

/// Whether every value of the type is truthy.
fn always_truthy(m: &Ty) -> bool {
    match m {
        Ty::BoolLit(b) => *b,
        Ty::StrLit(s) => !s.is_empty(),
        Ty::NumLit(n) => *n != 0.0 && !n.is_nan(),
        other => other.is_object_like(),
    }
}

/// The truthy part of a type.
pub(crate) fn truthy(t: &Ty) -> Ty {
    t.filter(|m| !always_falsy(m))
}

/// The part of a type that may be falsy (for `а && б`).
pub(crate) fn falsy(t: &Ty) -> Ty {
    match t {
        Ty::Any | Ty::Unknown => t.clone(),
        _ => Ty::union(
            t.members()
                .into_iter()
                .filter_map(|m| match m {
                    Ty::Boolean => Some(Ty::BoolLit(false)),
                    Ty::String => Some(Ty::StrLit(Arc::from(""))),
                    Ty::Number => Some(Ty::NumLit(0.0)),
                    m if always_truthy(&m) => None,
                    m => Some(m),
                })
                .collect(),
        ),
    }
}

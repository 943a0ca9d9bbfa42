//! The JavaScript built-ins the checker knows, read once from `lib.som`
//! (declarations in SomonScript's own type syntax, compiled into the
//! binary) with the same resolver as user types.

use crate::types::{Sig, Ty};
use crate::{CheckOptions, Checker, NoImports, TypeDef};
use rustc_hash::FxHashMap as HashMap;
use somon_syntax::ast::{Stmt, TypeMember};
use std::sync::{Arc, OnceLock};

const LIB: &str = include_str!("lib.som");

/// One built-in interface: its type parameters and members (JavaScript
/// names), and its call and construct signatures.
#[derive(Debug, Default)]
pub(crate) struct BuiltinInterface {
    pub params: Vec<Arc<str>>,
    pub members: HashMap<Box<str>, Ty>,
    pub call: Option<Arc<Sig>>,
    pub construct: Option<Arc<Sig>>,
}

#[derive(Debug, Default)]
pub(crate) struct Builtins {
    pub interfaces: HashMap<Box<str>, BuiltinInterface>,
    /// Types of global values (`Math`, `parseInt`, `Map` …).
    pub globals: HashMap<Box<str>, Ty>,
}

impl Builtins {
    /// A member of a built-in interface with the interface's type
    /// arguments substituted.
    pub fn member(&self, interface: &str, args: &[Ty], name: &str) -> Option<Ty> {
        let iface = self.interfaces.get(interface)?;
        let t = iface.members.get(name)?;
        Some(substitute_params(t, &iface.params, args))
    }
}

/// Replaces an interface's type parameters by its arguments; the method's
/// own parameters stay for inference at the call.
pub(crate) fn substitute_params(t: &Ty, params: &[Arc<str>], args: &[Ty]) -> Ty {
    if params.is_empty() || !t.has_params() {
        return t.clone();
    }
    t.substitute(&|name| {
        let i = params.iter().position(|p| &**p == name)?;
        Some(args.get(i).cloned().unwrap_or(Ty::Any))
    })
}

/// The built-ins, read on first use.
pub(crate) fn builtins() -> &'static Builtins {
    static BUILTINS: OnceLock<Builtins> = OnceLock::new();
    BUILTINS.get_or_init(load)
}

fn load() -> Builtins {
    let parsed = somon_syntax::parse(LIB);
    let program = parsed.program;
    let mut c = Checker::new(Default::default(), &NoImports, CheckOptions::default());
    c.loading_builtins = true;
    c.push_scope();
    // Type parameters are resolved by name (`T`, `U`, `K`, `V`) and
    // substituted at each use.
    for p in ["T", "U", "K", "V"] {
        c.declare_type(p, TypeDef::Param);
    }
    let mut out = Builtins::default();
    for s in &program.body {
        if let Stmt::Interface(i) = s {
            c.declare_type(&i.name.name, TypeDef::Builtin);
        }
    }
    for s in &program.body {
        let Stmt::Interface(i) = s else { continue };
        let mut iface = BuiltinInterface {
            params: i
                .type_params
                .iter()
                .map(|p| Arc::from(&*p.name.name))
                .collect(),
            ..Default::default()
        };
        for m in &i.members {
            match m {
                TypeMember::Property {
                    key, ty, optional, ..
                } => {
                    if let Some(name) = crate::prop_key(key) {
                        let mut t = ty.as_ref().map(|t| c.resolve(t)).unwrap_or(Ty::Any);
                        if *optional {
                            t = Ty::union(vec![t, Ty::Undefined]);
                        }
                        iface.members.insert(name.into(), t);
                    }
                }
                TypeMember::Method {
                    key, params, ret, ..
                } => {
                    if let Some(name) = crate::prop_key(key) {
                        let sig = c.signature(params, ret.as_ref());
                        iface.members.insert(name.into(), Ty::Func(sig));
                    }
                }
                TypeMember::Call { params, ret, .. } => {
                    iface.call = Some(c.signature(params, ret.as_ref()));
                }
                TypeMember::Construct { params, ret, .. } => {
                    iface.construct = Some(c.signature(params, ret.as_ref()));
                }
                TypeMember::Index { .. } => {}
            }
        }
        if &*i.name.name == "Globals" {
            out.globals = iface.members;
        } else {
            out.interfaces.insert(i.name.name.clone(), iface);
        }
    }
    out
}

/// The built-in interface behind a type's members, with its arguments.
pub(crate) fn interface_of(t: &Ty) -> Option<(&'static str, Vec<Ty>)> {
    Some(match t {
        Ty::Array(inner) => ("Array", vec![(**inner).clone()]),
        Ty::Tuple(items) if items.is_empty() => ("Array", vec![Ty::Any]),
        Ty::Tuple(items) => (
            "Array",
            vec![Ty::union(items.iter().map(Ty::widen).collect())],
        ),
        Ty::String | Ty::StrLit(_) => ("String", Vec::new()),
        Ty::Number | Ty::NumLit(_) => ("Number", Vec::new()),
        Ty::Boolean | Ty::BoolLit(_) => ("Boolean", Vec::new()),
        Ty::Builtin(name, args) => {
            let (key, _) = builtins().interfaces.get_key_value(&**name)?;
            (&**key, args.clone())
        }
        _ => return None,
    })
}

/// The built-in type a type name stands for (`Map`, `Ваъда` …).
pub(crate) fn builtin_type_name(name: &str) -> Option<&'static str> {
    let canonical = match name {
        "ваъда" | "Ваъда" | "ВАЪДА" => "Promise",
        "Хато" => "Error",
        other => other,
    };
    let (key, _) = builtins().interfaces.get_key_value(canonical)?;
    // Constructor and namespace interfaces are not instance types.
    if canonical.ends_with("Constructor") || canonical == "Console" || canonical == "JSON" {
        return None;
    }
    Some(&**key)
}

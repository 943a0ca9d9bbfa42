//! The type model. Flow-insensitive and deliberately forgiving: whatever
//! the checker cannot be sure of is `Any`, which never produces an error
//! (decisions.md §4.1: no false positives on correct programs).

use std::sync::Arc;

#[derive(Clone, Debug, PartialEq)]
pub enum Ty {
    Any,
    Never,
    Void,
    Undefined,
    Null,
    String,
    Number,
    Boolean,
    BigInt,
    Symbol,
    /// The non-primitive `объект` type.
    Object,
    StrLit(Arc<str>),
    NumLit(f64),
    BoolLit(bool),
    Array(Box<Ty>),
    Tuple(Vec<Ty>),
    Union(Vec<Ty>),
    Func(Arc<Sig>),
    /// An instance of the class with this id.
    Instance(usize),
    /// The class itself (its constructor).
    ClassValue(usize),
    /// An interface or object type.
    Shape(Arc<Shape>),
    /// `ношинос`: anything may go in, nothing certain comes out until it
    /// is narrowed.
    Unknown,
    /// A type parameter of a built-in declaration (`T` of `Array<T>`),
    /// substituted at each use.
    Param(Arc<str>),
    /// An instance of a built-in interface with its type arguments
    /// (`Map<сатр, рақам>`, `Promise<рақам>`, `Date`).
    Builtin(Arc<str>, Vec<Ty>),
    /// A member of the enum with this name (`true`: a numeric enum, whose
    /// type also takes numbers).
    Enum(Arc<str>, bool),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sig {
    pub params: Vec<ParamSig>,
    pub ret: Ty,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamSig {
    pub name: Arc<str>,
    pub ty: Ty,
    pub optional: bool,
    pub rest: bool,
}

impl Sig {
    /// Number of arguments that must be given.
    pub fn required(&self) -> usize {
        self.params
            .iter()
            .take_while(|p| !p.optional && !p.rest)
            .count()
    }

    /// Most arguments accepted, `None` with a rest parameter.
    pub fn max(&self) -> Option<usize> {
        if self.params.iter().any(|p| p.rest) {
            None
        } else {
            Some(self.params.len())
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub name: Option<Arc<str>>,
    pub props: Vec<Prop>,
    /// Has an index signature or an unknown part (spread, unresolved
    /// `мерос`): structural checks are skipped.
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Prop {
    pub name: Arc<str>,
    pub ty: Ty,
    pub optional: bool,
}

impl Ty {
    pub fn union(mut types: Vec<Ty>) -> Ty {
        let mut flat = Vec::new();
        for t in types.drain(..) {
            match t {
                Ty::Union(inner) => flat.extend(inner),
                Ty::Any => return Ty::Any,
                other => {
                    if !flat.contains(&other) {
                        flat.push(other)
                    }
                }
            }
        }
        match flat.len() {
            0 => Ty::Never,
            1 => flat.pop().unwrap_or(Ty::Any),
            _ => Ty::Union(flat),
        }
    }

    /// The type a `тағ` variable gets from its initializer: literals widen.
    pub fn widen(&self) -> Ty {
        match self {
            Ty::StrLit(_) => Ty::String,
            Ty::NumLit(_) => Ty::Number,
            Ty::BoolLit(_) => Ty::Boolean,
            Ty::Tuple(items) => {
                if items.is_empty() {
                    Ty::Array(Box::new(Ty::Any))
                } else {
                    Ty::Array(Box::new(Ty::union(items.iter().map(Ty::widen).collect())))
                }
            }
            Ty::Union(items) => Ty::union(items.iter().map(Ty::widen).collect()),
            Ty::Shape(_) => self.widen_props(),
            other => other.clone(),
        }
    }

    /// An object literal's properties widen when it is stored in a
    /// variable (even a `собит` one), as in TypeScript.
    pub fn widen_props(&self) -> Ty {
        match self {
            Ty::Shape(shape) if shape.name.is_none() => Ty::Shape(Arc::new(Shape {
                name: None,
                props: shape
                    .props
                    .iter()
                    .map(|p| Prop {
                        name: p.name.clone(),
                        ty: p.ty.widen(),
                        optional: p.optional,
                    })
                    .collect(),
                open: shape.open,
            })),
            other => other.clone(),
        }
    }

    pub fn is_object_like(&self) -> bool {
        matches!(
            self,
            Ty::Object
                | Ty::Array(_)
                | Ty::Tuple(_)
                | Ty::Func(_)
                | Ty::Instance(_)
                | Ty::ClassValue(_)
                | Ty::Shape(_)
                | Ty::Builtin(..)
        )
    }

    /// The members of a union (a single type is a union of one).
    pub fn members(&self) -> Vec<Ty> {
        match self {
            Ty::Union(items) => items.clone(),
            other => vec![other.clone()],
        }
    }

    /// Keeps the union members for which `keep` holds (`Any` and
    /// `Unknown` are returned as they are: nothing is known to filter).
    pub fn filter(&self, keep: impl Fn(&Ty) -> bool) -> Ty {
        match self {
            Ty::Any | Ty::Unknown => self.clone(),
            Ty::Union(items) => Ty::union(items.iter().filter(|t| keep(t)).cloned().collect()),
            other if keep(other) => other.clone(),
            _ => Ty::Never,
        }
    }

    /// Every type parameter left becomes `ҳар`.
    pub fn erase_params(&self) -> Ty {
        if self.has_params() {
            self.substitute(&|_| Some(Ty::Any))
        } else {
            self.clone()
        }
    }

    /// Replaces type parameters by their arguments (those `args` does not
    /// know stay).
    pub fn substitute(&self, args: &dyn Fn(&str) -> Option<Ty>) -> Ty {
        match self {
            Ty::Param(name) => args(name).unwrap_or_else(|| self.clone()),
            Ty::Array(inner) => Ty::Array(Box::new(inner.substitute(args))),
            Ty::Tuple(items) => Ty::Tuple(items.iter().map(|t| t.substitute(args)).collect()),
            Ty::Union(items) => Ty::union(items.iter().map(|t| t.substitute(args)).collect()),
            Ty::Builtin(name, items) => Ty::Builtin(
                name.clone(),
                items.iter().map(|t| t.substitute(args)).collect(),
            ),
            Ty::Func(sig) => Ty::Func(Arc::new(Sig {
                params: sig
                    .params
                    .iter()
                    .map(|p| ParamSig {
                        name: p.name.clone(),
                        ty: p.ty.substitute(args),
                        optional: p.optional,
                        rest: p.rest,
                    })
                    .collect(),
                ret: sig.ret.substitute(args),
            })),
            Ty::Shape(shape) => Ty::Shape(Arc::new(Shape {
                name: shape.name.clone(),
                props: shape
                    .props
                    .iter()
                    .map(|p| Prop {
                        name: p.name.clone(),
                        ty: p.ty.substitute(args),
                        optional: p.optional,
                    })
                    .collect(),
                open: shape.open,
            })),
            other => other.clone(),
        }
    }

    /// Whether a type parameter occurs in this type.
    pub fn has_params(&self) -> bool {
        match self {
            Ty::Param(_) => true,
            Ty::Array(inner) => inner.has_params(),
            Ty::Tuple(items) | Ty::Union(items) | Ty::Builtin(_, items) => {
                items.iter().any(Ty::has_params)
            }
            Ty::Func(sig) => sig.ret.has_params() || sig.params.iter().any(|p| p.ty.has_params()),
            Ty::Shape(shape) => shape.props.iter().any(|p| p.ty.has_params()),
            _ => false,
        }
    }

    /// Whether `null` or `undefined` is among the members.
    pub fn is_nullish(&self) -> bool {
        matches!(self, Ty::Null | Ty::Undefined | Ty::Void)
    }
}

/// How types are shown in messages (language.md §7.5).
pub fn display(ty: &Ty, class_name: &dyn Fn(usize) -> String) -> String {
    match ty {
        Ty::Any => "ҳар".into(),
        Ty::Never => "абадан".into(),
        Ty::Void => "беҷавоб".into(),
        Ty::Undefined => "беқимат".into(),
        Ty::Null => "холӣ".into(),
        Ty::String => "сатр".into(),
        Ty::Number => "рақам".into(),
        Ty::Boolean => "мантиқӣ".into(),
        Ty::BigInt => "калонрақам".into(),
        Ty::Symbol => "рамз".into(),
        Ty::Object => "объект".into(),
        Ty::Unknown => "ношинос".into(),
        Ty::Enum(name, _) => name.to_string(),
        Ty::Param(name) => name.to_string(),
        Ty::Builtin(name, args) if args.is_empty() => builtin_display_name(name).into(),
        Ty::Builtin(name, args) => format!(
            "{}<{}>",
            builtin_display_name(name),
            args.iter()
                .map(|t| display(t, class_name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ty::StrLit(s) => format!("\"{s}\""),
        Ty::NumLit(n) => format_number(*n),
        Ty::BoolLit(b) => if *b {
            "дуруст"
        } else {
            "нодуруст"
        }
        .into(),
        Ty::Array(inner) => match **inner {
            Ty::Union(_) | Ty::Func(_) => format!("({})[]", display(inner, class_name)),
            _ => format!("{}[]", display(inner, class_name)),
        },
        Ty::Tuple(items) => format!(
            "[{}]",
            items
                .iter()
                .map(|t| display(t, class_name))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Ty::Union(items) => items
            .iter()
            .map(|t| display(t, class_name))
            .collect::<Vec<_>>()
            .join(" | "),
        Ty::Func(sig) => format!(
            "({}) => {}",
            sig.params
                .iter()
                .map(|p| format!(
                    "{}{}: {}",
                    if p.rest { "..." } else { "" },
                    p.name,
                    display(&p.ty, class_name)
                ))
                .collect::<Vec<_>>()
                .join(", "),
            display(&sig.ret, class_name)
        ),
        Ty::Instance(id) => class_name(*id),
        Ty::ClassValue(id) => format!("навъи {}", class_name(*id)),
        Ty::Shape(shape) => match &shape.name {
            Some(n) => n.to_string(),
            None => format!(
                "{{ {} }}",
                shape
                    .props
                    .iter()
                    .map(|p| format!(
                        "{}{}: {}",
                        p.name,
                        if p.optional { "?" } else { "" },
                        display(&p.ty, class_name)
                    ))
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
        },
    }
}

/// Built-in interfaces are shown with their Somon names where the
/// language has one.
fn builtin_display_name(name: &str) -> &str {
    match name {
        "Promise" => "Ваъда",
        other => other,
    }
}

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

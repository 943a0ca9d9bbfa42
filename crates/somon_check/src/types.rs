//! The type model. Flow-insensitive and deliberately forgiving: whatever
//! the checker cannot be sure of is `Any`, which never produces an error
//! (decisions.md §4.1: no false positives on correct programs).

use std::rc::Rc;

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
    StrLit(Rc<str>),
    NumLit(f64),
    BoolLit(bool),
    Array(Box<Ty>),
    Tuple(Vec<Ty>),
    Union(Vec<Ty>),
    Func(Rc<Sig>),
    /// An instance of the class with this id.
    Instance(usize),
    /// The class itself (its constructor).
    ClassValue(usize),
    /// An interface or object type.
    Shape(Rc<Shape>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sig {
    pub params: Vec<ParamSig>,
    pub ret: Ty,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ParamSig {
    pub name: Rc<str>,
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
    pub name: Option<Rc<str>>,
    pub props: Vec<Prop>,
    /// Has an index signature or an unknown part (spread, unresolved
    /// `мерос`): structural checks are skipped.
    pub open: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Prop {
    pub name: Rc<str>,
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
            Ty::Shape(shape) if shape.name.is_none() => Ty::Shape(Rc::new(Shape {
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
        )
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

fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

//! The SomonScript syntax tree. Every node carries the byte span of the
//! source it came from; lowering hands these spans to swc so source maps
//! point into the `.som` file.

use somon_diagnostics::Span;

// A large program's tree is mostly these nodes, each as big as its
// largest variant: rare or bulky parts (loop heads, catch clauses,
// function bodies of methods, type annotations of patterns, tagged
// templates, `чун` types) are boxed so the common nodes stay small.
const _: () = {
    use std::mem::size_of;
    assert!(size_of::<Stmt>() <= 112);
    assert!(size_of::<Expr>() <= 72);
    assert!(size_of::<Pat>() <= 48);
    assert!(size_of::<Prop>() <= 104);
    assert!(size_of::<ClassMember>() <= 128);
};

#[derive(Clone, Debug, PartialEq)]
pub struct Program {
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: Box<str>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Block {
    pub stmts: Vec<Stmt>,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VarKind {
    Let,
    Const,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VarDecl {
    pub kind: VarKind,
    pub decls: Vec<VarDeclarator>,
    pub span: Span,
    /// The `тағ`/`собит` keyword (where `TYPE_NOT_ASSIGNABLE` points).
    pub keyword_span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VarDeclarator {
    pub pat: Pat,
    pub init: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    Var(VarDecl),
    Function(Box<Function>),
    Class(Box<Class>),
    Interface(Box<InterfaceDecl>),
    TypeAlias(Box<TypeAliasDecl>),
    Enum(Box<EnumDecl>),
    Namespace(Box<NamespaceDecl>),
    Import(Box<ImportDecl>),
    Export(Box<ExportDecl>),
    Expr(Expr, Span),
    Block(Block),
    Empty(Span),
    If {
        test: Expr,
        cons: Box<Stmt>,
        alt: Option<Box<Stmt>>,
        span: Span,
    },
    While {
        test: Expr,
        body: Box<Stmt>,
        span: Span,
    },
    DoWhile {
        body: Box<Stmt>,
        test: Expr,
        span: Span,
    },
    For {
        init: Option<Box<ForInit>>,
        test: Option<Box<Expr>>,
        update: Option<Box<Expr>>,
        body: Box<Stmt>,
        span: Span,
    },
    ForIn {
        left: Box<ForHead>,
        right: Expr,
        body: Box<Stmt>,
        span: Span,
    },
    ForOf {
        is_await: bool,
        left: Box<ForHead>,
        right: Expr,
        body: Box<Stmt>,
        span: Span,
    },
    Return {
        arg: Option<Expr>,
        span: Span,
    },
    Break {
        label: Option<Ident>,
        span: Span,
    },
    Continue {
        label: Option<Ident>,
        span: Span,
    },
    Throw {
        arg: Expr,
        span: Span,
    },
    Try {
        block: Block,
        handler: Option<Box<CatchClause>>,
        finalizer: Option<Block>,
        span: Span,
    },
    Switch {
        disc: Expr,
        cases: Vec<SwitchCase>,
        span: Span,
    },
    Labeled {
        label: Ident,
        body: Box<Stmt>,
        span: Span,
    },
}

impl Stmt {
    /// An `ворид` (import) or `содир` (export) declaration.
    pub fn is_import_or_export(&self) -> bool {
        matches!(self, Stmt::Import(_) | Stmt::Export(_))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ForInit {
    Var(VarDecl),
    Expr(Expr),
}

#[derive(Clone, Debug, PartialEq)]
pub enum ForHead {
    /// `тағ`/`собит` with its pattern; the span covers the declaration
    /// from its keyword.
    Var(VarKind, Pat, Span),
    Pat(Pat),
}

#[derive(Clone, Debug, PartialEq)]
pub struct CatchClause {
    pub param: Option<Pat>,
    pub body: Block,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SwitchCase {
    pub test: Option<Expr>,
    pub cons: Vec<Stmt>,
    pub span: Span,
}

// ---------------------------------------------------------------- functions

#[derive(Clone, Debug, PartialEq)]
pub struct Function {
    pub name: Option<Ident>,
    pub type_params: Vec<TypeParam>,
    pub params: Vec<Param>,
    pub return_type: Option<Type>,
    /// `None` for a signature without body (overloads, abstract methods).
    pub body: Option<Block>,
    pub is_async: bool,
    pub is_generator: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub pat: Pat,
    /// `ҷамъиятӣ`/`хосусӣ`/`танҳохонӣ` on a constructor parameter: a
    /// parameter property.
    pub is_property: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Arrow {
    pub type_params: Vec<TypeParam>,
    pub params: Vec<Param>,
    pub return_type: Option<Type>,
    pub body: ArrowBody,
    pub is_async: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ArrowBody {
    Block(Block),
    Expr(Box<Expr>),
}

// ------------------------------------------------------------------ classes

#[derive(Clone, Debug, PartialEq)]
pub struct Class {
    pub name: Option<Ident>,
    pub type_params: Vec<TypeParam>,
    pub super_class: Option<Expr>,
    pub super_type_args: Vec<Type>,
    pub implements: Vec<Type>,
    pub members: Vec<ClassMember>,
    pub is_abstract: bool,
    pub span: Span,
    /// The `синф` keyword, where class diagnostics point.
    pub keyword_span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MethodKind {
    Method,
    Getter,
    Setter,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ClassMember {
    Constructor {
        function: Box<Function>,
        span: Span,
    },
    Method {
        key: PropName,
        kind: MethodKind,
        function: Box<Function>,
        is_static: bool,
        is_abstract: bool,
        is_optional: bool,
        span: Span,
    },
    Field {
        key: PropName,
        value: Option<Expr>,
        ty: Option<Box<Type>>,
        is_static: bool,
        is_abstract: bool,
        is_optional: bool,
        /// `поле!: Т` — declared, assigned elsewhere.
        is_definite: bool,
        span: Span,
    },
    StaticBlock(Block),
    /// `[калид: сатр]: Т` — erased.
    IndexSignature(Span),
}

#[derive(Clone, Debug, PartialEq)]
pub enum PropName {
    Ident(Ident),
    Str(Box<str>, Span),
    Num(f64, Span),
    BigInt(Box<str>, u32, Span),
    Computed(Box<Expr>, Span),
    Private(Ident),
}

impl PropName {
    pub fn span(&self) -> Span {
        match self {
            PropName::Ident(i) | PropName::Private(i) => i.span,
            PropName::Str(_, s)
            | PropName::Num(_, s)
            | PropName::BigInt(_, _, s)
            | PropName::Computed(_, s) => *s,
        }
    }
}

// ------------------------------------------------------------- expressions

#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Ident(Ident),
    This(Span),
    Super(Span),
    Null(Span),
    Undefined(Span),
    Bool(bool, Span),
    Num(f64, Span),
    BigInt {
        digits: Box<str>,
        radix: u32,
        span: Span,
    },
    Str(Box<str>, Span),
    Regex {
        pattern: Box<str>,
        flags: Box<str>,
        span: Span,
    },
    Template(Template),
    TaggedTemplate {
        tag: Box<Expr>,
        type_args: Vec<Type>,
        tpl: Box<Template>,
        span: Span,
    },
    Array {
        elems: Vec<Option<ExprOrSpread>>,
        span: Span,
    },
    Object {
        props: Vec<Prop>,
        span: Span,
    },
    Function(Box<Function>),
    Arrow(Box<Arrow>),
    Class(Box<Class>),
    Unary {
        op: UnaryOp,
        arg: Box<Expr>,
        span: Span,
    },
    Update {
        op: UpdateOp,
        prefix: bool,
        arg: Box<Expr>,
        span: Span,
    },
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    /// `#поле дар о`
    PrivateIn {
        name: Ident,
        right: Box<Expr>,
        span: Span,
    },
    Assign {
        op: AssignOp,
        target: Box<Pat>,
        value: Box<Expr>,
        span: Span,
    },
    Cond {
        test: Box<Expr>,
        cons: Box<Expr>,
        alt: Box<Expr>,
        span: Span,
    },
    Call {
        callee: Box<Expr>,
        type_args: Vec<Type>,
        args: Vec<ExprOrSpread>,
        optional: bool,
        span: Span,
    },
    /// `ворид(…)`
    DynImport {
        arg: Box<Expr>,
        span: Span,
    },
    New {
        callee: Box<Expr>,
        type_args: Vec<Type>,
        args: Option<Vec<ExprOrSpread>>,
        span: Span,
    },
    Member {
        obj: Box<Expr>,
        prop: MemberProp,
        optional: bool,
        span: Span,
    },
    Seq {
        exprs: Vec<Expr>,
        span: Span,
    },
    Await {
        arg: Box<Expr>,
        span: Span,
    },
    Yield {
        arg: Option<Box<Expr>>,
        delegate: bool,
        span: Span,
    },
    Paren {
        expr: Box<Expr>,
        span: Span,
    },
    /// `х чун Т` — erased.
    As {
        expr: Box<Expr>,
        ty: Box<Type>,
        span: Span,
    },
    /// `х!` — erased.
    NonNull {
        expr: Box<Expr>,
        span: Span,
    },
    NewTarget(Span),
    ImportMeta(Span),
    /// Produced only by error recovery; never lowered.
    Invalid(Span),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Ident(i) => i.span,
            Expr::This(s)
            | Expr::Super(s)
            | Expr::Null(s)
            | Expr::Undefined(s)
            | Expr::Bool(_, s)
            | Expr::Num(_, s)
            | Expr::Str(_, s)
            | Expr::NewTarget(s)
            | Expr::ImportMeta(s)
            | Expr::Invalid(s) => *s,
            Expr::Template(t) => t.span,
            Expr::Function(f) => f.span,
            Expr::Arrow(a) => a.span,
            Expr::Class(c) => c.span,
            Expr::BigInt { span, .. }
            | Expr::Regex { span, .. }
            | Expr::TaggedTemplate { span, .. }
            | Expr::Array { span, .. }
            | Expr::Object { span, .. }
            | Expr::Unary { span, .. }
            | Expr::Update { span, .. }
            | Expr::Binary { span, .. }
            | Expr::PrivateIn { span, .. }
            | Expr::Assign { span, .. }
            | Expr::Cond { span, .. }
            | Expr::Call { span, .. }
            | Expr::DynImport { span, .. }
            | Expr::New { span, .. }
            | Expr::Member { span, .. }
            | Expr::Seq { span, .. }
            | Expr::Await { span, .. }
            | Expr::Yield { span, .. }
            | Expr::Paren { span, .. }
            | Expr::As { span, .. }
            | Expr::NonNull { span, .. } => *span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Template {
    /// `quasis.len() == exprs.len() + 1`
    pub quasis: Vec<TemplateQuasi>,
    pub exprs: Vec<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TemplateQuasi {
    pub cooked: Option<Box<str>>,
    pub raw: Box<str>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExprOrSpread {
    pub spread: bool,
    pub expr: Expr,
}

#[derive(Clone, Debug, PartialEq)]
pub enum MemberProp {
    Ident(Ident),
    Private(Ident),
    Computed(Box<Expr>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Prop {
    KeyValue {
        key: PropName,
        value: Expr,
    },
    Shorthand(Ident),
    Method {
        key: PropName,
        kind: MethodKind,
        function: Box<Function>,
    },
    Spread(Expr),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Minus,
    Plus,
    BitNot,
    Typeof,
    Delete,
    Void,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UpdateOp {
    Incr,
    Decr,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Exp,
    Lt,
    Gt,
    LtEq,
    GtEq,
    EqEq,
    NotEq,
    EqEqEq,
    NotEqEq,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    UShr,
    And,
    Or,
    Nullish,
    In,
    Instanceof,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    Assign,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Exp,
    BitAnd,
    BitOr,
    BitXor,
    Shl,
    Shr,
    UShr,
    And,
    Or,
    Nullish,
}

// ----------------------------------------------------------------- patterns

#[derive(Clone, Debug, PartialEq)]
pub enum Pat {
    Ident {
        ident: Ident,
        ty: Option<Box<Type>>,
        optional: bool,
    },
    Array {
        elems: Vec<Option<Pat>>,
        ty: Option<Box<Type>>,
        span: Span,
    },
    Object {
        props: Vec<ObjectPatProp>,
        ty: Option<Box<Type>>,
        span: Span,
    },
    Rest {
        arg: Box<Pat>,
        ty: Option<Box<Type>>,
        span: Span,
    },
    /// A pattern with a default value.
    Assign {
        left: Box<Pat>,
        right: Box<Expr>,
        span: Span,
    },
    /// A member expression target (`о.п = …`, `[о.а] = …`).
    Expr(Box<Expr>),
}

impl Pat {
    pub fn span(&self) -> Span {
        match self {
            Pat::Ident { ident, .. } => ident.span,
            Pat::Array { span, .. }
            | Pat::Object { span, .. }
            | Pat::Rest { span, .. }
            | Pat::Assign { span, .. } => *span,
            Pat::Expr(e) => e.span(),
        }
    }

    pub fn type_annotation(&self) -> Option<&Type> {
        match self {
            Pat::Ident { ty, .. }
            | Pat::Array { ty, .. }
            | Pat::Object { ty, .. }
            | Pat::Rest { ty, .. } => ty.as_deref(),
            Pat::Assign { left, .. } => left.type_annotation(),
            Pat::Expr(_) => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ObjectPatProp {
    KeyValue { key: PropName, value: Pat },
    Shorthand { ident: Ident, default: Option<Expr> },
    Rest(Pat),
}

// -------------------------------------------------------------------- types

#[derive(Clone, Debug, PartialEq)]
pub struct TypeParam {
    pub name: Ident,
    pub constraint: Option<Type>,
    pub default: Option<Type>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeKeyword {
    String,
    Number,
    Boolean,
    Bigint,
    Symbol,
    Any,
    Unknown,
    Never,
    Void,
    Object,
    Null,
    Undefined,
    This,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Type {
    Keyword(TypeKeyword, Span),
    /// A named type: `Корбар`, `Ном.Фазо.Т<А>`, `Ваъда<рақам>`.
    Ref {
        name: Vec<Ident>,
        args: Vec<Type>,
        span: Span,
    },
    StrLit(Box<str>, Span),
    NumLit(f64, Span),
    BoolLit(bool, Span),
    BigIntLit(Span),
    TemplateLit(Span),
    Array(Box<Type>, Span),
    Tuple(Vec<TupleElem>, Span),
    Union(Vec<Type>, Span),
    Intersection(Vec<Type>, Span),
    Function {
        type_params: Vec<TypeParam>,
        params: Vec<Param>,
        ret: Box<Type>,
        is_constructor: bool,
        span: Span,
    },
    Object(Vec<TypeMember>, Span),
    Paren(Box<Type>, Span),
    Typeof(Vec<Ident>, Span),
    Keyof(Box<Type>, Span),
    Readonly(Box<Type>, Span),
    Unique(Box<Type>, Span),
    IndexedAccess(Box<Type>, Box<Type>, Span),
    Conditional {
        check: Box<Type>,
        extends: Box<Type>,
        true_ty: Box<Type>,
        false_ty: Box<Type>,
        span: Span,
    },
    Infer(Ident, Span),
    Mapped(Span),
    /// `х аст Т` in a return type.
    Predicate(Span),
}

impl Type {
    pub fn span(&self) -> Span {
        match self {
            Type::Keyword(_, s)
            | Type::StrLit(_, s)
            | Type::NumLit(_, s)
            | Type::BoolLit(_, s)
            | Type::BigIntLit(s)
            | Type::TemplateLit(s)
            | Type::Array(_, s)
            | Type::Tuple(_, s)
            | Type::Union(_, s)
            | Type::Intersection(_, s)
            | Type::Object(_, s)
            | Type::Paren(_, s)
            | Type::Typeof(_, s)
            | Type::Keyof(_, s)
            | Type::Readonly(_, s)
            | Type::Unique(_, s)
            | Type::IndexedAccess(_, _, s)
            | Type::Infer(_, s)
            | Type::Mapped(s)
            | Type::Predicate(s) => *s,
            Type::Ref { span, .. }
            | Type::Function { span, .. }
            | Type::Conditional { span, .. } => *span,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct TupleElem {
    pub ty: Type,
    pub optional: bool,
    pub rest: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TypeMember {
    Property {
        key: PropName,
        ty: Option<Type>,
        optional: bool,
        readonly: bool,
        span: Span,
    },
    Method {
        key: PropName,
        type_params: Vec<TypeParam>,
        params: Vec<Param>,
        ret: Option<Type>,
        optional: bool,
        span: Span,
    },
    Call {
        params: Vec<Param>,
        ret: Option<Type>,
        span: Span,
    },
    Construct {
        params: Vec<Param>,
        ret: Option<Type>,
        span: Span,
    },
    Index {
        key_ty: Type,
        ty: Type,
        span: Span,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct InterfaceDecl {
    pub name: Ident,
    pub type_params: Vec<TypeParam>,
    pub extends: Vec<Type>,
    pub members: Vec<TypeMember>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TypeAliasDecl {
    pub name: Ident,
    pub type_params: Vec<TypeParam>,
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumDecl {
    pub name: Ident,
    pub is_const: bool,
    pub members: Vec<EnumMember>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct EnumMember {
    pub name: PropName,
    pub init: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NamespaceDecl {
    /// `номфазо А.Б {…}` has the path `[А, Б]`.
    pub path: Vec<Ident>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

// ------------------------------------------------------------------ modules

#[derive(Clone, Debug, PartialEq)]
pub enum ModuleExportName {
    Ident(Ident),
    Str(Box<str>, Span),
}

impl ModuleExportName {
    pub fn name(&self) -> &str {
        match self {
            ModuleExportName::Ident(i) => &i.name,
            ModuleExportName::Str(s, _) => s,
        }
    }

    pub fn span(&self) -> Span {
        match self {
            ModuleExportName::Ident(i) => i.span,
            ModuleExportName::Str(_, s) => *s,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ImportSpecifier {
    Default(Ident),
    Namespace(Ident),
    Named {
        imported: ModuleExportName,
        local: Ident,
        is_type: bool,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ImportDecl {
    pub specifiers: Vec<ImportSpecifier>,
    pub source: Box<str>,
    pub source_span: Span,
    pub type_only: bool,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ExportSpecifier {
    pub orig: ModuleExportName,
    pub exported: Option<ModuleExportName>,
    pub is_type: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ExportDecl {
    /// `содир <declaration>`
    Decl(Stmt, Span),
    /// `содир пешфарз функсия/синф …`
    DefaultDecl(Stmt, Span),
    /// `содир пешфарз <ифода>;`
    DefaultExpr(Expr, Span),
    /// `содир { а, б чун в } [аз "…"];`
    Named {
        specifiers: Vec<ExportSpecifier>,
        source: Option<(Box<str>, Span)>,
        type_only: bool,
        span: Span,
    },
    /// `содир * [чун Н] аз "…";`
    All {
        alias: Option<ModuleExportName>,
        source: (Box<str>, Span),
        span: Span,
    },
}

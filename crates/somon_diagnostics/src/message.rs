//! The catalogue: every user-visible diagnostic text, with its stable code,
//! in English, Tajik and Russian. One `match` arm per message keeps the three
//! languages side by side so none can be forgotten.

use crate::Lang;

/// What the parser found where it expected something else.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Token(String),
    EndOfFile,
}

impl Found {
    fn render(&self, lang: Lang) -> String {
        match self {
            Found::Token(t) => format!("`{t}`"),
            Found::EndOfFile => match lang {
                Lang::En => "the end of the file".to_string(),
                Lang::Tg => "охири файл".to_string(),
                Lang::Ru => "конец файла".to_string(),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Message {
    // ---- LEX ----
    UnexpectedCharacter {
        ch: char,
    },
    UnterminatedString,
    UnterminatedTemplate,
    UnterminatedComment,
    UnterminatedRegex,
    InvalidNumber {
        text: String,
    },
    InvalidEscape,
    // ---- SYNTAX ----
    Expected {
        expected: String,
        found: Found,
    },
    UnexpectedToken {
        found: Found,
    },
    ReservedWordAsName {
        word: String,
    },
    JsReservedWordAsName {
        word: String,
    },
    ConstWithoutInitializer {
        name: String,
    },
    BreakOutsideLoop,
    ContinueOutsideLoop,
    /// `тағ`/`собит`/`синф` as the whole body of `агар`/`вагарна`, a loop
    /// or a label (JavaScript refuses it: the name would have no block).
    DeclarationNeedsBlock {
        keyword: String,
    },
    UndefinedLabel {
        label: String,
    },
    InvalidAssignmentTarget,
    DuplicateDefault,
    TryWithoutHandler,
    MissingSemicolon,
    LineBreakBeforeArrow,
    InvalidRestPosition,
    YieldOutsideGenerator,
    UndeclaredPrivateName {
        name: String,
    },
    // ---- DEPTH ----
    TooDeeplyNested {
        limit: u32,
    },
    // ---- TOP_LEVEL_AWAIT ----
    TopLevelAwait,
    /// Top-level `await` in a bundled JavaScript ES module.
    JsTopLevelAwait,
    /// `import.meta` in a bundled JavaScript file, other than `.url`,
    /// `.filename`, `.dirname` (`property` is `.resolve`, or empty).
    JsImportMeta {
        property: String,
    },
    /// An import that leads to a native addon (`.node`), which a bundle
    /// cannot hold.
    NotBundlable {
        path: String,
    },
    // ---- type checker ----
    TypeNotAssignable {
        source: String,
        target: String,
    },
    PropertyNotAssignable {
        source: String,
        target: String,
        property: String,
    },
    UndefinedIdentifier {
        name: String,
    },
    ArgumentCountMismatch {
        function: String,
        expected: String,
        got: usize,
    },
    ArgumentTypeMismatch {
        index: usize,
        function: String,
        expected: String,
        got: String,
    },
    ClassNotFound {
        name: String,
    },
    ExtendsInterface {
        class: String,
        base: String,
    },
    ExtendsNonClass {
        class: String,
        base: String,
        kind: String,
    },
    CircularInheritance {
        class: String,
    },
    PropertyNotFound {
        property: String,
        ty: String,
    },
    ExcessProperty {
        property: String,
        ty: String,
    },
    AbstractInstantiation {
        class: String,
    },
    NotCallable {
        ty: String,
    },
    // ---- semantic checker (declarations, assignments, modules) ----
    DuplicateDeclaration {
        name: String,
    },
    ConstAssignment {
        name: String,
    },
    ExportNotFound {
        name: String,
        module: String,
    },
    // ---- command line ----
    CannotRead {
        path: String,
        reason: String,
    },
    NotAFile {
        path: String,
    },
    NotUtf8 {
        path: String,
    },
    NoSomFiles {
        path: String,
    },
    // somon fmt (issue 14):
    /// `somon fmt --check`/`--diff`: `count` files are not in the canonical
    /// layout.
    NotFormatted {
        count: usize,
    },
    /// Writing the output `path` would replace `input`, a file the build
    /// read (the same file, maybe by another name).
    OutputIsInput {
        path: String,
        input: String,
    },
    SameOutput {
        first: String,
        second: String,
        output: String,
    },
    OutputNeedsOneInput,
    CannotWrite {
        path: String,
        reason: String,
    },
    FolderNotEmpty {
        path: String,
    },
    /// `somon serve` without an input and without `bundle.entry`.
    ServeNeedsInput,
    /// A flag of the long-running commands given to a one-shot command.
    NeedsWatch {
        option: String,
    },
    /// The management endpoint of `serve`/`watch` cannot listen.
    ManagementUnavailable {
        address: String,
        reason: String,
    },
    InvalidValue {
        option: String,
        value: String,
        valid: String,
    },
    OutputDirNotCreatable {
        path: String,
    },
    UnsupportedNode {
        version: String,
    },
    PathsTargetMissing {
        pattern: String,
        target: String,
    },
    // ---- hardening (issue 17): outputs, untrusted text, bounded reports ----
    /// An existing output file is read-only: it is not replaced.
    OutputReadOnly {
        path: String,
    },
    /// A bidirectional control character in a string, template or comment
    /// (a warning: "Trojan Source").
    BidiControl {
        ch: char,
    },
    /// Diagnostics past the printing limits, counted in one note.
    DiagnosticsOmitted {
        omitted: usize,
        per_file: usize,
        per_run: usize,
    },
    /// A panic while a command ran: the "this is a compiler bug" page.
    CompilerBug {
        version: String,
        platform: String,
        detail: String,
    },
    // ---- modules ----
    ModuleNotFound {
        specifier: String,
    },
    TriedPaths {
        paths: String,
    },
    CircularImport {
        cycle: String,
    },
    ReadFailed {
        path: String,
        reason: String,
    },
    /// A project JavaScript file that does not parse (swc's own words).
    JsSyntax {
        detail: String,
    },
    /// A bundled JSON file that `JSON.parse` would reject (serde_json's
    /// words, without its position: the diagnostic is at it).
    JsonSyntax {
        detail: String,
    },
    // ---- bundles, run and configuration (issue 12: config --migrate, --platform) ----
    /// `somon config --migrate` found no configuration file.
    NoConfigToMigrate {
        path: String,
    },
    /// A browser or neutral bundle imports a Node.js built-in module.
    NodeBuiltinOnPlatform {
        specifier: String,
        platform: String,
    },
    // code splitting (split)
    /// `--splitting` with a format other than ESM.
    SplittingNeedsEsm {
        format: String,
    },
    /// `--splitting` without `--outdir`.
    SplittingNeedsOutdir,
    /// A module of a split build that is not an ES module.
    SplittingNeedsEsModules,
    // ---- syntax helper (issues 11 §8, 12 §8–9): keyword hints,
    // regular expressions, recovery notes ----
    /// A JavaScript keyword where a Somon keyword belongs (`const`).
    JsKeyword {
        word: String,
        keyword: String,
    },
    /// A keyword typed on a Russian keyboard layout (`таг` for `тағ`).
    RussianKeyboardKeyword {
        word: String,
        keyword: String,
    },
    /// A misspelled keyword (`собт`, `агр`).
    MisspelledKeyword {
        word: String,
        keyword: String,
    },
    /// A regular-expression literal with a flag JavaScript does not know.
    RegexUnknownFlag {
        flag: String,
    },
    /// A flag written twice (`/а/gg`).
    RegexDuplicateFlag {
        flag: String,
    },
    /// `u` and `v` together.
    RegexUnicodeFlags,
    /// The `v` flag (ES2024) in an output whose target predates it.
    RegexUnicodeSetsTarget {
        target: String,
    },
    /// `{2,1}`: the smaller number must come first.
    RegexQuantifierOrder,
    /// `[z-a]`: a range must go from the smaller character up.
    RegexRangeOrder,
    /// Two capturing groups with one name.
    RegexDuplicateGroupName,
    /// Anything else the ECMAScript pattern grammar refuses (swc's words).
    RegexInvalid {
        detail: String,
    },
    /// Note: where a bracket that the file never closes was opened.
    UnclosedBracket {
        bracket: String,
        line: u32,
        column: u32,
    },
    /// Warning: a declared name with a stray Latin look-alike letter.
    LookalikeInName {
        name: String,
        latin: char,
        cyrillic: char,
    },
    // ---- monorepo builds (hermetic mode, Bazel worker) ----
    /// `--hermetic`: the build would read a file outside the project
    /// folder and the `node_modules` packages it imports.
    HermeticOutside {
        path: String,
        root: String,
    },
    /// `somon worker`: a request line that is not a Bazel JSON WorkRequest,
    /// or one asking for a command the worker does not run.
    WorkerBadRequest {
        reason: String,
    },
    // ---- notes and suggestions ----
    LatinLookalike {
        latin: char,
        cyrillic: char,
    },
    NonBreakingSpace,
    DidYouMean {
        name: String,
    },
    // ---- language server (`somon lsp`) ----
    RenameKeyword {
        name: String,
    },
    RenameInvalidName {
        name: String,
    },
    RenameNothing,
    AddImport {
        name: String,
        specifier: String,
    },
    ReplaceWith {
        text: String,
    },
    DeclaredHere {
        name: String,
    },
    // ---- api helper (issue 15 §6): the argument parser's errors and the
    // CLI's summary lines ----
    /// A command name `somon` does not know.
    UnknownCommand {
        name: String,
        suggestion: Option<String>,
    },
    /// An option the command does not take.
    UnknownFlag {
        flag: String,
        suggestion: Option<String>,
    },
    /// A value the command takes no more of.
    UnexpectedArgument {
        arg: String,
    },
    /// Required arguments that were not given.
    MissingArgument {
        what: String,
    },
    /// Two options that exclude each other.
    ConflictingFlags {
        first: String,
        second: String,
    },
    /// A value an option cannot take (not one of a list).
    InvalidFlagValue {
        option: String,
        value: String,
    },
    /// Any other mistake on the command line (the parser's own words).
    UsageOther {
        detail: String,
    },
    /// Summary line: counts of errors and warnings.
    DiagnosticCounts {
        errors: usize,
        warnings: usize,
    },
    /// Summary line of `check` without errors.
    FilesChecked {
        files: usize,
    },
    /// Summary line of a build of the compile watcher.
    FilesCompiled {
        files: usize,
        errors: usize,
    },
    /// Report line of a written bundle.
    BundleWritten {
        path: String,
        modules: usize,
    },
    /// `module-info --stats`: the graph's figures (several lines).
    ModuleStats {
        modules: usize,
        dependencies: usize,
        average: String,
        cycles: usize,
    },
    /// `module-info --circular` without a cycle.
    NoImportCycles,
    /// `module-info --circular`: one cycle.
    ImportCycleLine {
        cycle: String,
    },
    /// `resolve`: a Node.js built-in module.
    ResolvedBuiltin {
        name: String,
    },
    /// `resolve`: a file of a package.
    ResolvedPackage {
        path: String,
        name: String,
    },
    /// `resolve` failed: one path that was tried.
    TriedPath {
        path: String,
    },
    // bundle reporting (bundlex)
    /// `bundle --analyze`: the bundle, its size.
    AnalyzeOutput {
        path: String,
        size: String,
    },
    /// `bundle --analyze`: one module, its size in the bundle and share.
    AnalyzeModule {
        path: String,
        size: String,
        share: String,
    },
    /// `bundle --analyze`: the chain of imports that brings a module in.
    AnalyzeChain {
        chain: String,
    },
    /// `bundle --analyze`: the entry is there because it is the entry.
    AnalyzeEntry,
    /// `bundle --analyze`: the bundle's own code (runtime, shared helpers).
    AnalyzeRuntime {
        size: String,
        share: String,
    },
    /// Summary of a written bundle with its precompressed sizes
    /// (`sizes`: `gzip 1.2 kB, br 1.0 kB`).
    BundleSizes {
        raw: String,
        sizes: String,
    },
    /// Two entries of one build would write the same output file.
    OutputNameCollision {
        output: String,
        first: String,
        second: String,
    },
    /// Several entries need `--outdir` (one output per entry).
    EntriesNeedOutdir {
        entries: usize,
    },
    // ---- bundle features (bfeat): `bundle.entry` arrays, reports of
    // split builds ----
    /// `somon bundle` without an entry and without `bundle.entry`.
    BundleNeedsEntry,
    /// An entry of `bundle.entry` (`key` is `bundle.entry` or
    /// `bundle.entry[1]`) names no file.
    BundleEntryMissing {
        key: String,
        path: String,
        config: String,
    },
}

impl Message {
    /// The stable code, shared with the old compiler where it had one.
    pub fn code(&self) -> &'static str {
        use Message::*;
        match self {
            UnexpectedCharacter { .. }
            | UnterminatedString
            | UnterminatedTemplate
            | UnterminatedComment
            | UnterminatedRegex
            | InvalidNumber { .. }
            | InvalidEscape => "LEX",
            Expected { .. }
            | UnexpectedToken { .. }
            | ReservedWordAsName { .. }
            | JsReservedWordAsName { .. }
            | ConstWithoutInitializer { .. }
            | BreakOutsideLoop
            | DeclarationNeedsBlock { .. }
            | ContinueOutsideLoop
            | UndefinedLabel { .. }
            | InvalidAssignmentTarget
            | DuplicateDefault
            | TryWithoutHandler
            | MissingSemicolon
            | LineBreakBeforeArrow
            | InvalidRestPosition
            | YieldOutsideGenerator
            | UndeclaredPrivateName { .. }
            | JsKeyword { .. }
            | RussianKeyboardKeyword { .. }
            | MisspelledKeyword { .. } => "SYNTAX",
            LookalikeInName { .. } => "LATIN_LOOKALIKE",
            RegexUnknownFlag { .. }
            | RegexDuplicateFlag { .. }
            | RegexUnicodeFlags
            | RegexUnicodeSetsTarget { .. }
            | RegexQuantifierOrder
            | RegexRangeOrder
            | RegexDuplicateGroupName
            | RegexInvalid { .. } => "REGEX",
            TooDeeplyNested { .. } => "DEPTH",
            TypeNotAssignable { .. } | PropertyNotAssignable { .. } => "TYPE_NOT_ASSIGNABLE",
            UndefinedIdentifier { .. } => "UNDEFINED_IDENTIFIER",
            ArgumentCountMismatch { .. } => "ARGUMENT_COUNT_MISMATCH",
            ArgumentTypeMismatch { .. } => "ARGUMENT_TYPE_MISMATCH",
            ClassNotFound { .. } => "CLASS_NOT_FOUND",
            ExtendsInterface { .. } | ExtendsNonClass { .. } => "INVALID_EXTENDS",
            CircularInheritance { .. } => "CIRCULAR_INHERITANCE",
            PropertyNotFound { .. } => "PROPERTY_NOT_FOUND",
            ExcessProperty { .. } => "EXCESS_PROPERTY",
            AbstractInstantiation { .. } => "ABSTRACT_INSTANTIATION",
            NotCallable { .. } => "NOT_CALLABLE",
            DuplicateDeclaration { .. } => "DUPLICATE_DECLARATION",
            ConstAssignment { .. } => "CONST_ASSIGNMENT",
            ExportNotFound { .. } => "EXPORT_NOT_FOUND",
            ModuleNotFound { .. } => "MODULE_NOT_FOUND",
            CannotRead { .. } | NotAFile { .. } | NotUtf8 { .. } => "INPUT_UNREADABLE",
            NoSomFiles { .. } => "INPUT_EMPTY",
            // somon fmt (issue 14):
            NotFormatted { .. } => "NOT_FORMATTED",
            NoConfigToMigrate { .. } => "CONFIG_NOT_FOUND",
            NodeBuiltinOnPlatform { .. } => "PLATFORM_NODE_BUILTIN",
            // code splitting (split)
            SplittingNeedsEsm { .. } | SplittingNeedsOutdir => "USAGE",
            SplittingNeedsEsModules => "SPLIT_NOT_ESM",
            OutputIsInput { .. } | SameOutput { .. } => "OUTPUT_IS_INPUT",
            OutputReadOnly { .. } => "OUTPUT_READ_ONLY",
            CompilerBug { .. } => "INTERNAL",
            BidiControl { .. } => "BIDI_CONTROL",
            DiagnosticsOmitted { .. } => "DIAGNOSTICS_LIMIT",
            OutputNeedsOneInput | InvalidValue { .. } => "USAGE",
            CannotWrite { .. } => "OUTPUT_UNWRITABLE",
            FolderNotEmpty { .. } => "FOLDER_NOT_EMPTY",
            ManagementUnavailable { .. } => "MANAGEMENT_UNAVAILABLE",
            ServeNeedsInput | NeedsWatch { .. } => "USAGE",
            HermeticOutside { .. } => "HERMETIC_READ",
            WorkerBadRequest { .. } => "WORKER_REQUEST",
            OutputDirNotCreatable { .. } => "OUTPUT_UNWRITABLE",
            UnsupportedNode { .. } => "NODE_VERSION",
            PathsTargetMissing { .. } => "CONFIG_PATHS_TARGET_MISSING",
            CircularImport { .. } => "CIRCULAR_IMPORT",
            ReadFailed { .. } => "READ_FAILED",
            JsSyntax { .. } => "JS_SYNTAX",
            JsonSyntax { .. } => "JSON_SYNTAX",
            TopLevelAwait | JsTopLevelAwait => "TOP_LEVEL_AWAIT",
            JsImportMeta { .. } => "UNSUPPORTED_IMPORT_META",
            NotBundlable { .. } => "UNBUNDLABLE_FILE",
            LatinLookalike { .. }
            | NonBreakingSpace
            | DidYouMean { .. }
            | TriedPaths { .. }
            | UnclosedBracket { .. } => "NOTE",
            // language server
            RenameKeyword { .. } | RenameInvalidName { .. } | RenameNothing => "RENAME_INVALID",
            AddImport { .. } | ReplaceWith { .. } => "QUICK_FIX",
            DeclaredHere { .. } => "NOTE",
            UnknownCommand { .. }
            | UnknownFlag { .. }
            | UnexpectedArgument { .. }
            | MissingArgument { .. }
            | ConflictingFlags { .. }
            | InvalidFlagValue { .. }
            | UsageOther { .. } => "USAGE",
            DiagnosticCounts { .. }
            | FilesChecked { .. }
            | FilesCompiled { .. }
            | BundleWritten { .. }
            | ModuleStats { .. }
            | NoImportCycles
            | ImportCycleLine { .. }
            | ResolvedBuiltin { .. }
            | ResolvedPackage { .. }
            | TriedPath { .. } => "SUMMARY",
            // bundle reporting (bundlex)
            AnalyzeOutput { .. }
            | AnalyzeModule { .. }
            | AnalyzeChain { .. }
            | AnalyzeEntry
            | AnalyzeRuntime { .. }
            | BundleSizes { .. } => "SUMMARY",
            OutputNameCollision { .. } => "OUTPUT_COLLISION",
            EntriesNeedOutdir { .. } => "USAGE",
            // bundle features (bfeat)
            BundleNeedsEntry => "USAGE",
            BundleEntryMissing { .. } => "BUNDLE_ENTRY_MISSING",
        }
    }

    /// Every message once, with sample arguments: used by tests that print
    /// the whole catalogue in every language.
    pub fn samples() -> Vec<Message> {
        use Message::*;
        let tok = |s: &str| Found::Token(s.to_string());
        vec![
            UnexpectedCharacter { ch: '@' },
            UnterminatedString,
            UnterminatedTemplate,
            UnterminatedComment,
            UnterminatedRegex,
            InvalidNumber { text: "0x".into() },
            InvalidEscape,
            Expected {
                expected: "`)`".into(),
                found: tok(";"),
            },
            Expected {
                expected: "`}`".into(),
                found: Found::EndOfFile,
            },
            UnexpectedToken { found: tok("+") },
            ReservedWordAsName {
                word: "агар".into(),
            },
            JsReservedWordAsName {
                word: "class".into(),
            },
            ConstWithoutInitializer { name: "х".into() },
            BreakOutsideLoop,
            DeclarationNeedsBlock {
                keyword: "тағ".into(),
            },
            ContinueOutsideLoop,
            UndefinedLabel {
                label: "берун".into(),
            },
            InvalidAssignmentTarget,
            DuplicateDefault,
            TryWithoutHandler,
            MissingSemicolon,
            LineBreakBeforeArrow,
            InvalidRestPosition,
            YieldOutsideGenerator,
            UndeclaredPrivateName { name: "х".into() },
            TooDeeplyNested { limit: 1000 },
            TopLevelAwait,
            JsTopLevelAwait,
            JsImportMeta {
                property: ".resolve".into(),
            },
            NotBundlable {
                path: "node_modules/пакет/build/addon.node".into(),
            },
            TypeNotAssignable {
                source: "сатр".into(),
                target: "рақам".into(),
            },
            PropertyNotAssignable {
                source: "сатр".into(),
                target: "рақам".into(),
                property: "нарх".into(),
            },
            UndefinedIdentifier {
                name: "андоз".into(),
            },
            ArgumentCountMismatch {
                function: "ҷамъ".into(),
                expected: "2".into(),
                got: 1,
            },
            ArgumentTypeMismatch {
                index: 1,
                function: "ҷамъ".into(),
                expected: "рақам".into(),
                got: "сатр".into(),
            },
            ClassNotFound {
                name: "Ширхӯр".into(),
            },
            ExtendsInterface {
                class: "Мошин".into(),
                base: "Ҳаракаткунанда".into(),
            },
            ExtendsNonClass {
                class: "Рақамӣ".into(),
                base: "Асос".into(),
                kind: "рақам".into(),
            },
            CircularInheritance {
                class: "Худ".into(),
            },
            PropertyNotFound {
                property: "номи".into(),
                ty: "Корманд".into(),
            },
            ExcessProperty {
                property: "ранг".into(),
                ty: "Нуқта".into(),
            },
            AbstractInstantiation {
                class: "Шакл".into(),
            },
            NotCallable {
                ty: "рақам".into()
            },
            DuplicateDeclaration {
                name: "нарх".into(),
            },
            ConstAssignment {
                name: "ҳадди_аксар".into(),
            },
            ExportNotFound {
                name: "ҷамъ".into(),
                module: "./риёзӣ".into(),
            },
            ModuleNotFound {
                specifier: "./нест".into(),
            },
            CannotRead {
                path: "а.som".into(),
                reason: "No such file or directory".into(),
            },
            NotAFile { path: "src".into() },
            NotUtf8 {
                path: "а.som".into(),
            },
            NoSomFiles { path: "src".into() },
            // somon fmt (issue 14):
            NotFormatted { count: 3 },
            NoConfigToMigrate {
                path: "лоиҳа".into(),
            },
            NodeBuiltinOnPlatform {
                specifier: "node:fs".into(),
                platform: "browser".into(),
            },
            // code splitting (split)
            SplittingNeedsEsm {
                format: "cjs".into(),
            },
            SplittingNeedsOutdir,
            SplittingNeedsEsModules,
            OutputIsInput {
                path: "lib.som".into(),
                input: "src/lib.som".into(),
            },
            OutputReadOnly {
                path: "dist/а.js".into(),
            },
            BidiControl { ch: '\u{202e}' },
            DiagnosticsOmitted {
                omitted: 199_900,
                per_file: 100,
                per_run: 1000,
            },
            BidiControl { ch: '\u{61c}' },
            CompilerBug {
                version: "0.1.0".into(),
                platform: "linux x86_64, Node.js v22.11.0".into(),
                detail: "index out of bounds (crates/somon_check/src/lib.rs:10:5)".into(),
            },
            SameOutput {
                first: "а.som".into(),
                second: "а/index.som".into(),
                output: "dist/а.js".into(),
            },
            OutputNeedsOneInput,
            CannotWrite {
                path: "dist/а.js".into(),
                reason: "Permission denied".into(),
            },
            FolderNotEmpty {
                path: "лоиҳа".into(),
            },
            ServeNeedsInput,
            NeedsWatch {
                option: "--log-format".into(),
            },
            ManagementUnavailable {
                address: "127.0.0.1:9464".into(),
                reason: "Address already in use (os error 98)".into(),
            },
            OutputDirNotCreatable {
                path: "README.md/dist".into(),
            },
            UnsupportedNode {
                version: "v18.19.0".into(),
            },
            PathsTargetMissing {
                pattern: "@lib/*".into(),
                target: "src/lib/*".into(),
            },
            InvalidValue {
                option: "target".into(),
                value: "es3".into(),
                valid: "es5, es2015, …, esnext".into(),
            },
            TriedPaths {
                paths: "нест, нест.som".into(),
            },
            CircularImport {
                cycle: "а.som -> б.som -> а.som".into(),
            },
            ReadFailed {
                path: "а.som".into(),
                reason: "permission denied".into(),
            },
            JsSyntax {
                detail: "Expected ';', got 'x'".into(),
            },
            JsonSyntax {
                detail: "expected value".into(),
            },
            JsKeyword {
                word: "const".into(),
                keyword: "собит".into(),
            },
            RussianKeyboardKeyword {
                word: "таг".into(),
                keyword: "тағ".into(),
            },
            MisspelledKeyword {
                word: "собт".into(),
                keyword: "собит".into(),
            },
            RegexUnknownFlag { flag: "x".into() },
            RegexDuplicateFlag { flag: "g".into() },
            RegexUnicodeFlags,
            RegexUnicodeSetsTarget {
                target: "es2020".into(),
            },
            RegexQuantifierOrder,
            RegexRangeOrder,
            RegexDuplicateGroupName,
            RegexInvalid {
                detail: "Lone quantifier found, expected with `?`".into(),
            },
            UnclosedBracket {
                bracket: "{".into(),
                line: 2,
                column: 45,
            },
            LookalikeInName {
                name: "нaрх".into(),
                latin: 'a',
                cyrillic: 'а',
            },
            LatinLookalike {
                latin: 'a',
                cyrillic: 'а',
            },
            NonBreakingSpace,
            DidYouMean {
                name: "ном".into()
            },
            // language server
            RenameKeyword {
                name: "агар".into(),
            },
            RenameInvalidName {
                name: "1ном".into(),
            },
            RenameNothing,
            AddImport {
                name: "ҷамъ".into(),
                specifier: "./асбоб".into(),
            },
            ReplaceWith {
                text: "собит".into(),
            },
            DeclaredHere {
                name: "ҷамъ".into(),
            },
            UnknownCommand {
                name: "compil".into(),
                suggestion: Some("compile".into()),
            },
            UnknownCommand {
                name: "бозӣ".into(),
                suggestion: None,
            },
            UnknownFlag {
                flag: "--minfy".into(),
                suggestion: Some("--minify".into()),
            },
            UnknownFlag {
                flag: "--зуд".into(),
                suggestion: None,
            },
            UnexpectedArgument {
                arg: "дигар.som".into(),
            },
            MissingArgument {
                what: "<INPUT>".into(),
            },
            ConflictingFlags {
                first: "--output".into(),
                second: "--out-dir".into(),
            },
            InvalidFlagValue {
                option: "--max-diagnostics".into(),
                value: "бисёр".into(),
            },
            UsageOther {
                detail: "equal sign is needed when assigning values to '--source-map'".into(),
            },
            DiagnosticCounts {
                errors: 2,
                warnings: 1,
            },
            FilesChecked { files: 3 },
            FilesCompiled {
                files: 4,
                errors: 0,
            },
            BundleWritten {
                path: "dist/app.js".into(),
                modules: 12,
            },
            ModuleStats {
                modules: 3,
                dependencies: 4,
                average: "1.33".into(),
                cycles: 1,
            },
            NoImportCycles,
            ImportCycleLine {
                cycle: "а.som → б.som → а.som".into(),
            },
            ResolvedBuiltin { name: "fs".into() },
            ResolvedPackage {
                path: "node_modules/lodash/lodash.js".into(),
                name: "lodash".into(),
            },
            TriedPath {
                path: "нест.som".into(),
            },
            HermeticOutside {
                path: "../асбоб/ёр.som".into(),
                root: "лоиҳа".into(),
            },
            WorkerBadRequest {
                reason: "expected value at line 1 column 1".into(),
            },
            // bundle reporting (bundlex)
            AnalyzeOutput {
                path: "dist/барнома.js".into(),
                size: "12.4 kB".into(),
            },
            AnalyzeModule {
                path: "src/китоб.som".into(),
                size: "8.1 kB".into(),
                share: "65.3%".into(),
            },
            AnalyzeChain {
                chain: "барнома.som → src/китоб.som".into(),
            },
            AnalyzeEntry,
            AnalyzeRuntime {
                size: "2.0 kB".into(),
                share: "16.1%".into(),
            },
            BundleSizes {
                raw: "12.4 kB".into(),
                sizes: "gzip 4.1 kB, br 3.6 kB".into(),
            },
            OutputNameCollision {
                output: "dist/асосӣ.js".into(),
                first: "а/асосӣ.som".into(),
                second: "б/асосӣ.som".into(),
            },
            EntriesNeedOutdir { entries: 2 },
            // bundle features (bfeat)
            BundleNeedsEntry,
            BundleEntryMissing {
                key: "bundle.entry[1]".into(),
                path: "src/админ.som".into(),
                config: "somon.config.json".into(),
            },
        ]
    }

    pub fn render(&self, lang: Lang) -> String {
        use Lang::*;
        use Message::*;
        match (self, lang) {
            (UnexpectedCharacter { ch }, En) => format!("unexpected character `{ch}`"),
            (UnexpectedCharacter { ch }, Tg) => format!("аломати ғайричашмдошт `{ch}`"),
            (UnexpectedCharacter { ch }, Ru) => format!("неожиданный символ `{ch}`"),

            (UnterminatedString, En) => "unterminated string literal".into(),
            (UnterminatedString, Tg) => "сатр пӯшида нашудааст".into(),
            (UnterminatedString, Ru) => "незакрытая строка".into(),

            (UnterminatedTemplate, En) => "unterminated template literal".into(),
            (UnterminatedTemplate, Tg) => "қолаби сатр пӯшида нашудааст".into(),
            (UnterminatedTemplate, Ru) => "незакрытый шаблонный литерал".into(),

            (UnterminatedComment, En) => "unterminated block comment".into(),
            (UnterminatedComment, Tg) => "шарҳи бисёрсатра пӯшида нашудааст".into(),
            (UnterminatedComment, Ru) => "незакрытый блочный комментарий".into(),

            (UnterminatedRegex, En) => "unterminated regular expression".into(),
            (UnterminatedRegex, Tg) => "ифодаи муқаррарӣ пӯшида нашудааст".into(),
            (UnterminatedRegex, Ru) => "незакрытое регулярное выражение".into(),

            (InvalidNumber { text }, En) => format!("invalid number `{text}`"),
            (InvalidNumber { text }, Tg) => format!("рақами нодуруст `{text}`"),
            (InvalidNumber { text }, Ru) => format!("неверное число `{text}`"),

            (InvalidEscape, En) => "invalid escape sequence".into(),
            (InvalidEscape, Tg) => "пайдарпаии эскейпи нодуруст".into(),
            (InvalidEscape, Ru) => "неверная escape-последовательность".into(),

            (Expected { expected, found }, En) => format!("expected {expected} but found {}", found.render(En)),
            (Expected { expected, found }, Tg) => format!("{expected} интизор мерафт, аммо {} омад", found.render(Tg)),
            (Expected { expected, found }, Ru) => format!("ожидалось {expected}, но найдено {}", found.render(Ru)),

            (UnexpectedToken { found }, En) => format!("unexpected {}", found.render(En)),
            (UnexpectedToken { found }, Tg) => format!("{} дар ин ҷо ғайричашмдошт аст", found.render(Tg)),
            (UnexpectedToken { found }, Ru) => format!("неожиданный {}", found.render(Ru)),

            (ReservedWordAsName { word }, En) => format!("`{word}` is a reserved word and cannot be used as a name"),
            (ReservedWordAsName { word }, Tg) => format!("`{word}` калимаи маҳфуз аст ва ҳамчун ном истифода намешавад"),
            (ReservedWordAsName { word }, Ru) => format!("`{word}` — зарезервированное слово и не может быть именем"),

            (JsReservedWordAsName { word }, En) => format!("`{word}` is reserved in JavaScript and cannot be used as a name"),
            (JsReservedWordAsName { word }, Tg) => format!("`{word}` дар JavaScript маҳфуз аст ва ҳамчун ном истифода намешавад"),
            (JsReservedWordAsName { word }, Ru) => format!("`{word}` зарезервировано в JavaScript и не может быть именем"),

            (ConstWithoutInitializer { name }, En) => format!("constant `{name}` must be initialized"),
            (ConstWithoutInitializer { name }, Tg) => format!("собити `{name}` бояд қимати аввала дошта бошад"),
            (ConstWithoutInitializer { name }, Ru) => format!("константа `{name}` должна быть инициализирована"),

            (DeclarationNeedsBlock { keyword }, En) => format!(
                "a `{keyword}` declaration cannot be the whole body of `агар`, `вагарна`, a loop or a label: put it inside `{{ … }}`"
            ),
            (DeclarationNeedsBlock { keyword }, Tg) => format!(
                "эълони `{keyword}` наметавонад худ ҷисми `агар`, `вагарна`, давра ё нишона бошад: онро дар дохили `{{ … }}` гузоред"
            ),
            (DeclarationNeedsBlock { keyword }, Ru) => format!(
                "объявление `{keyword}` не может быть всем телом `агар`, `вагарна`, цикла или метки: поместите его в `{{ … }}`"
            ),
            (BreakOutsideLoop, En) => "`шикастан` can only be used inside a loop or `интихоб`".into(),
            (BreakOutsideLoop, Tg) => "`шикастан` танҳо дар дохили давра ё `интихоб` истифода мешавад".into(),
            (BreakOutsideLoop, Ru) => "`шикастан` можно использовать только внутри цикла или `интихоб`".into(),

            (ContinueOutsideLoop, En) => "`давом` can only be used inside a loop".into(),
            (ContinueOutsideLoop, Tg) => "`давом` танҳо дар дохили давра истифода мешавад".into(),
            (ContinueOutsideLoop, Ru) => "`давом` можно использовать только внутри цикла".into(),

            (UndefinedLabel { label }, En) => format!("label `{label}` is not defined"),
            (UndefinedLabel { label }, Tg) => format!("нишонаи `{label}` муайян нашудааст"),
            (UndefinedLabel { label }, Ru) => format!("метка `{label}` не определена"),

            (InvalidAssignmentTarget, En) => "invalid assignment target".into(),
            (InvalidAssignmentTarget, Tg) => "ба ин ифода қимат додан мумкин нест".into(),
            (InvalidAssignmentTarget, Ru) => "недопустимая цель присваивания".into(),

            (DuplicateDefault, En) => "an `интихоб` can have only one `пешфарз` case".into(),
            (DuplicateDefault, Tg) => "`интихоб` танҳо як `пешфарз` дошта метавонад".into(),
            (DuplicateDefault, Ru) => "в `интихоб` может быть только один `пешфарз`".into(),

            (TryWithoutHandler, En) => "`кӯшиш` needs a `гирифтан` or `ниҳоят` block".into(),
            (TryWithoutHandler, Tg) => "`кӯшиш` бояд блоки `гирифтан` ё `ниҳоят` дошта бошад".into(),
            (TryWithoutHandler, Ru) => "`кӯшиш` требует блока `гирифтан` или `ниҳоят`".into(),

            (MissingSemicolon, En) => "expected `;` or a line break before this statement".into(),
            (MissingSemicolon, Tg) => "пеш аз ин ифода `;` ё сатри нав лозим аст".into(),
            (MissingSemicolon, Ru) => "перед этой инструкцией ожидалась `;` или перевод строки".into(),

            (LineBreakBeforeArrow, En) => "`=>` must be on the same line as the parameters".into(),
            (LineBreakBeforeArrow, Tg) => "`=>` бояд дар як сатр бо параметрҳо бошад".into(),
            (LineBreakBeforeArrow, Ru) => "`=>` должна стоять на одной строке с параметрами".into(),

            (InvalidRestPosition, En) => "a rest element must be last".into(),
            (InvalidRestPosition, Tg) => "унсури боқимонда бояд охирин бошад".into(),
            (InvalidRestPosition, Ru) => "остаточный элемент должен быть последним".into(),

            (YieldOutsideGenerator, En) => "`ҳосил` can only be used inside a generator function".into(),
            (YieldOutsideGenerator, Tg) => "`ҳосил` танҳо дар дохили функсияи генератор истифода мешавад".into(),
            (YieldOutsideGenerator, Ru) => "`ҳосил` можно использовать только внутри функции-генератора".into(),

                        (UndeclaredPrivateName { name }, En) => format!("private name `#{name}` is not declared in an enclosing class"),
            (UndeclaredPrivateName { name }, Tg) => format!("номи хусусии `#{name}` дар синфи иҳотакунанда эълон нашудааст"),
            (UndeclaredPrivateName { name }, Ru) => format!("приватное имя `#{name}` не объявлено в объемлющем классе"),

            (TooDeeplyNested { limit }, En) => format!("nesting is deeper than the supported limit of {limit} levels"),
            (TooDeeplyNested { limit }, Tg) => format!("чуқурии ҷойгиршавӣ аз ҳадди {limit} зиёд аст"),
            (TooDeeplyNested { limit }, Ru) => format!("вложенность превышает допустимый предел в {limit} уровней"),

            (TopLevelAwait, En) => "`интизор` is only allowed inside a `ҳамзамон` function in CommonJS output".into(),
            (TopLevelAwait, Tg) => "дар хуруҷи CommonJS `интизор` танҳо дар дохили функсияи `ҳамзамон` иҷозат аст".into(),
            (TopLevelAwait, Ru) => "в выводе CommonJS `интизор` допускается только внутри функции `ҳамзамон`".into(),
            (JsTopLevelAwait, En) => "top-level `await` in a JavaScript module cannot be bundled (every bundled module runs inside a function); move it into an `async` function, or mark the package `--external`".into(),
            (JsTopLevelAwait, Tg) => "`await`-и сатҳи болоӣ дар модули JavaScript ба бандл дохил карда намешавад (ҳар модули бандл дар дохили функсия иҷро мешавад); онро ба функсияи `async` гузаронед ё бастаро `--external` қайд кунед".into(),
            (JsTopLevelAwait, Ru) => "`await` верхнего уровня в модуле JavaScript нельзя включить в бандл (каждый модуль бандла выполняется внутри функции); перенесите его в функцию `async` или отметьте пакет как `--external`".into(),
            (JsImportMeta { property }, En) => format!("`import.meta{property}` cannot be bundled; a bundle supports `import.meta.url`, `import.meta.filename` and `import.meta.dirname`, which name the bundle file (mark the package `--external` to keep it as it is)"),
            (JsImportMeta { property }, Tg) => format!("`import.meta{property}` ба бандл дохил карда намешавад; бандл `import.meta.url`, `import.meta.filename` ва `import.meta.dirname`-ро дастгирӣ мекунад, ки ба файли бандл ишора мекунанд (барои нигоҳ доштани он бастаро `--external` қайд кунед)"),
            (JsImportMeta { property }, Ru) => format!("`import.meta{property}` нельзя включить в бандл; бандл поддерживает `import.meta.url`, `import.meta.filename` и `import.meta.dirname`, которые указывают на файл бандла (чтобы оставить пакет как есть, отметьте его `--external`)"),
            (NotBundlable { path }, En) => format!("`{path}` is a native addon, which cannot be bundled; mark its package `--external`"),
            (NotBundlable { path }, Tg) => format!("`{path}` модули native (.node) аст, ки ба бандл дохил карда намешавад; бастаи онро `--external` қайд кунед"),
            (NotBundlable { path }, Ru) => format!("`{path}` — нативный аддон, его нельзя включить в бандл; отметьте его пакет как `--external`"),

            (TypeNotAssignable { source, target }, En) => format!("Type '{source}' is not assignable to type '{target}'"),
            (TypeNotAssignable { source, target }, Tg) => format!("Навъи '{source}' ба навъи '{target}' мувофиқ нест"),
            (TypeNotAssignable { source, target }, Ru) => format!("Тип '{source}' нельзя присвоить типу '{target}'"),

            (PropertyNotAssignable { source, target, property }, En) => {
                format!("Type '{source}' is not assignable to type '{target}' for property '{property}'")
            }
            (PropertyNotAssignable { source, target, property }, Tg) => {
                format!("Навъи '{source}' ба навъи '{target}'-и хосияти '{property}' мувофиқ нест")
            }
            (PropertyNotAssignable { source, target, property }, Ru) => {
                format!("Тип '{source}' нельзя присвоить типу '{target}' свойства '{property}'")
            }

            (UndefinedIdentifier { name }, En) => format!("Variable '{name}' is not defined"),
            (UndefinedIdentifier { name }, Tg) => format!("Тағйирёбандаи '{name}' муайян нашудааст"),
            (UndefinedIdentifier { name }, Ru) => format!("Переменная '{name}' не определена"),

            (ArgumentCountMismatch { function, expected, got }, En) => {
                format!("Function '{function}' expected {expected} argument(s) but got {got}")
            }
            (ArgumentCountMismatch { function, expected, got }, Tg) => {
                format!("Функсияи '{function}' {expected} аргумент интизор дошт, аммо {got} гирифт")
            }
            (ArgumentCountMismatch { function, expected, got }, Ru) => {
                format!("Функция '{function}' ожидала аргументов: {expected}, но получила {got}")
            }

            (ArgumentTypeMismatch { index, function, expected, got }, En) => {
                format!("Argument {index} of '{function}' expected type '{expected}' but got '{got}'")
            }
            (ArgumentTypeMismatch { index, function, expected, got }, Tg) => {
                format!("Аргументи {index}-уми '{function}' навъи '{expected}'-ро интизор дошт, аммо '{got}' омад")
            }
            (ArgumentTypeMismatch { index, function, expected, got }, Ru) => {
                format!("Аргумент {index} функции '{function}' должен иметь тип '{expected}', а получен '{got}'")
            }

            (ClassNotFound { name }, En) => format!("Base class '{name}' not found"),
            (ClassNotFound { name }, Tg) => format!("Синфи асосии '{name}' ёфт нашуд"),
            (ClassNotFound { name }, Ru) => format!("Базовый класс '{name}' не найден"),

            (ExtendsInterface { class, base }, En) => {
                format!("Class '{class}' can only extend other classes, but '{base}' is an interface")
            }
            (ExtendsInterface { class, base }, Tg) => {
                format!("Синфи '{class}' танҳо аз синфҳо мерос гирифта метавонад, аммо '{base}' интерфейс аст")
            }
            (ExtendsInterface { class, base }, Ru) => {
                format!("Класс '{class}' может наследовать только классы, а '{base}' — интерфейс")
            }

            (ExtendsNonClass { class, base, kind }, En) => {
                format!("Class '{class}' can only extend other classes, but '{base}' is a value of type '{kind}'")
            }
            (ExtendsNonClass { class, base, kind }, Tg) => {
                format!("Синфи '{class}' танҳо аз синфҳо мерос гирифта метавонад, аммо '{base}' қимати навъи '{kind}' аст")
            }
            (ExtendsNonClass { class, base, kind }, Ru) => {
                format!("Класс '{class}' может наследовать только классы, а '{base}' — значение типа '{kind}'")
            }

            (CircularInheritance { class }, En) => format!("Circular inheritance detected: class '{class}' cannot extend itself"),
            (CircularInheritance { class }, Tg) => format!("Мероси даврӣ: синфи '{class}' аз худаш мерос гирифта наметавонад"),
            (CircularInheritance { class }, Ru) => format!("Циклическое наследование: класс '{class}' не может наследовать сам себя"),

            (PropertyNotFound { property, ty }, En) => format!("Property '{property}' does not exist on type '{ty}'"),
            (PropertyNotFound { property, ty }, Tg) => format!("Навъи '{ty}' хосияти '{property}' надорад"),
            (PropertyNotFound { property, ty }, Ru) => format!("Свойство '{property}' не существует в типе '{ty}'"),

            (ExcessProperty { property, ty }, En) => {
                format!("Object literal may only specify known properties, and '{property}' does not exist in type '{ty}'")
            }
            (ExcessProperty { property, ty }, Tg) => {
                format!("Объект танҳо хосиятҳои маълумро дошта метавонад; '{property}' дар навъи '{ty}' нест")
            }
            (ExcessProperty { property, ty }, Ru) => {
                format!("Литерал объекта может содержать только известные свойства, а '{property}' нет в типе '{ty}'")
            }

            (AbstractInstantiation { class }, En) => format!("Cannot create an instance of the abstract class '{class}'"),
            (AbstractInstantiation { class }, Tg) => format!("Аз синфи мавҳуми '{class}' намуна сохтан мумкин нест"),
            (AbstractInstantiation { class }, Ru) => format!("Нельзя создать экземпляр абстрактного класса '{class}'"),

            (NotCallable { ty }, En) => format!("This expression is not callable: type '{ty}' has no call signatures"),
            (NotCallable { ty }, Tg) => format!("Ин ифодаро даъват кардан мумкин нест: навъи '{ty}' функсия нест"),
            (NotCallable { ty }, Ru) => format!("Это выражение нельзя вызвать: у типа '{ty}' нет сигнатур вызова"),
            (DuplicateDeclaration { name }, En) => format!("'{name}' is already declared in this scope; choose another name or remove one declaration"),
            (DuplicateDeclaration { name }, Tg) => format!("'{name}' дар ҳамин доира аллакай эълон шудааст; номи дигар интихоб кунед ё яке аз эълонҳоро нест кунед"),
            (DuplicateDeclaration { name }, Ru) => format!("'{name}' уже объявлено в этой области видимости; выберите другое имя или удалите одно из объявлений"),
            (ConstAssignment { name }, En) => format!("Cannot assign to '{name}': it is a constant (`собит`), an import or an enum member; declare it with `тағ` to change it"),
            (ConstAssignment { name }, Tg) => format!("Ба '{name}' қимат додан мумкин нест: он доимӣ (`собит`), воридшуда ё узви номгӯ аст; барои тағйир додан онро бо `тағ` эълон кунед"),
            (ConstAssignment { name }, Ru) => format!("Нельзя присвоить значение '{name}': это константа (`собит`), импорт или член перечисления; чтобы изменять, объявите через `тағ`"),
            (ExportNotFound { name, module }, En) => format!("Module '{module}' has no exported member '{name}'"),
            (ExportNotFound { name, module }, Tg) => format!("Модули '{module}' узви содиршудаи '{name}' надорад"),
            (ExportNotFound { name, module }, Ru) => format!("Модуль '{module}' не экспортирует '{name}'"),

                                    (CannotRead { path, reason }, En) => format!("cannot read {path}: {reason}"),
            (CannotRead { path, reason }, Tg) => format!("{path}-ро хондан мумкин нест: {reason}"),
            (CannotRead { path, reason }, Ru) => format!("не удалось прочитать {path}: {reason}"),

            (NotAFile { path }, En) => format!("{path} is not a file"),
            (NotAFile { path }, Tg) => format!("{path} файл нест"),
            (NotAFile { path }, Ru) => format!("{path} — не файл"),

            (NotUtf8 { path }, En) => format!("{path}: the file is not valid UTF-8"),
            (NotUtf8 { path }, Tg) => format!("{path}: файл дар UTF-8 дуруст нест"),
            (NotUtf8 { path }, Ru) => format!("{path}: файл не в корректной кодировке UTF-8"),

            (NoSomFiles { path }, En) => format!("no .som files in {path}"),
            (NoSomFiles { path }, Tg) => format!("дар {path} ягон файли .som нест"),
            (NoSomFiles { path }, Ru) => format!("в {path} нет файлов .som"),
            // somon fmt (issue 14):
            (NotFormatted { count }, En) => format!("{count} file(s) not formatted: `somon fmt` rewrites them in the canonical layout"),
            (NotFormatted { count }, Tg) => format!("{count} файл тартиб дода нашудааст: `somon fmt` онҳоро ба шакли ягонаи муқаррарӣ аз нав менависад"),
            (NotFormatted { count }, Ru) => format!("файлов не отформатировано: {count}; `somon fmt` перепишет их в каноническом виде"),
            (NoConfigToMigrate { path }, En) => format!("no somon.config.json or .somonrc in {path} or any folder above it: nothing to migrate"),
            (NoConfigToMigrate { path }, Tg) => format!("дар {path} ва ҷузвдонҳои болотар аз он ягон somon.config.json ё .somonrc нест: чизе барои табдил нест"),
            (NoConfigToMigrate { path }, Ru) => format!("ни в {path}, ни в папках выше нет somon.config.json или .somonrc: переносить нечего"),
            (NodeBuiltinOnPlatform { specifier, platform }, En) => format!("'{specifier}' is a Node.js built-in module: a bundle for --platform {platform} cannot use it (bundle for --platform node, or list it in --external)"),
            (NodeBuiltinOnPlatform { specifier, platform }, Tg) => format!("'{specifier}' модули дарунсохти Node.js аст: бастаи барои --platform {platform} онро истифода бурда наметавонад (барои --platform node баста созед ё онро ба --external илова кунед)"),
            (NodeBuiltinOnPlatform { specifier, platform }, Ru) => format!("'{specifier}' — встроенный модуль Node.js: сборка для --platform {platform} не может его использовать (соберите для --platform node или укажите его в --external)"),
            // code splitting (split)
            (SplittingNeedsEsm { format }, En) => format!("--splitting makes ES module chunks that import each other: it needs --format esm, not {format}"),
            (SplittingNeedsEsm { format }, Tg) => format!("--splitting қисмҳои модули ES месозад, ки якдигарро ворид мекунанд: ба он --format esm лозим аст, на {format}"),
            (SplittingNeedsEsm { format }, Ru) => format!("--splitting создаёт чанки — ES-модули, импортирующие друг друга: нужен --format esm, а не {format}"),
            (SplittingNeedsOutdir, En) => "--splitting writes several files (the entries and their chunks): give the folder with --outdir".to_string(),
            (SplittingNeedsOutdir, Tg) => "--splitting якчанд файл менависад (нуқтаҳои вуруд ва қисмҳои онҳо): ҷузвдонро бо --outdir нишон диҳед".to_string(),
            (SplittingNeedsOutdir, Ru) => "--splitting записывает несколько файлов (точки входа и их чанки): укажите папку через --outdir".to_string(),
            (SplittingNeedsEsModules, En) => "this module is not an ES module (CommonJS, JSON, or code using require/module/exports/__filename/__dirname or import.meta): a split build keeps it in the chunk of factories, so it cannot be an entry or an import() target, nor require a module that ES modules of the build import; bundle without --splitting".to_string(),
            (SplittingNeedsEsModules, Tg) => "ин модул модули ES нест (CommonJS, JSON ё коде, ки require/module/exports/__filename/__dirname ё import.meta-ро истифода мебарад): бастаи тақсимшуда онро дар қисми функсияҳои модулӣ нигоҳ медорад, бинобар ин он наметавонад нуқтаи воридшавӣ ё ҳадафи import() бошад ва наметавонад модулеро require кунад, ки модулҳои ES-и баста онро ворид мекунанд; бе --splitting баста созед".to_string(),
            (SplittingNeedsEsModules, Ru) => "этот модуль не ES-модуль (CommonJS, JSON или код с require/module/exports/__filename/__dirname или import.meta): при разделении на чанки он хранится в чанке фабрик, поэтому не может быть точкой входа или целью import() и не может вызывать require для модуля, который импортируют ES-модули сборки; соберите без --splitting".to_string(),

            (OutputIsInput { path, input }, En) => format!("the output {path} would overwrite {input}, a file this build reads; nothing was written; choose another output with -o or --out-dir"),
            (OutputIsInput { path, input }, Tg) => format!("натиҷаи {path} файли {input}-ро, ки ҳангоми сохтан хонда мешавад, иваз мекард; ҳеҷ чиз навишта нашуд; бо -o ё --out-dir ҷои дигар интихоб кунед"),
            (OutputIsInput { path, input }, Ru) => format!("результат {path} перезаписал бы {input} — файл, который читает эта сборка; ничего не записано; выберите другой с -o или --out-dir"),
            (DiagnosticsOmitted { omitted, per_file, per_run }, En) => format!("{omitted} more error(s) and warning(s) not shown (at most {per_file} per file and {per_run} in all; change with --max-diagnostics-per-file and --max-diagnostics, 0 for no limit)"),
            (DiagnosticsOmitted { omitted, per_file, per_run }, Tg) => format!("боз {omitted} хато ва огоҳӣ нишон дода нашуд (аз ҳар файл то {per_file} ва дар маҷмӯъ то {per_run}; бо --max-diagnostics-per-file ва --max-diagnostics тағйир диҳед, 0 — бе маҳдудият)"),
            (DiagnosticsOmitted { omitted, per_file, per_run }, Ru) => format!("ещё {omitted} ошибок и предупреждений не показано (не более {per_file} на файл и {per_run} всего; измените с помощью --max-diagnostics-per-file и --max-diagnostics, 0 — без ограничения)"),
            (BidiControl { ch }, lang) => {
                let (cp, abbr, escaped) = bidi_names(*ch);
                match lang {
                    En => format!("the bidirectional control character {cp} ({abbr}) can make this code look different from what it does (\"Trojan Source\"); if you need it in a string, write the escape `{escaped}`, otherwise remove it"),
                    Tg => format!("аломати идоракунии самти матн {cp} ({abbr}) метавонад кодро дигар хел нишон диҳад, на он тавре ки иҷро мешавад (ҳамлаи «Trojan Source»); агар он дар сатр лозим бошад, ба ҷояш `{escaped}` нависед, вагарна онро нест кунед"),
                    Ru => format!("управляющий символ направления текста {cp} ({abbr}) может заставить код выглядеть не так, как он работает (атака «Trojan Source»); если он нужен в строке, запишите его как `{escaped}`, иначе удалите его"),
                }
            }
            (CompilerBug { version, platform, detail }, En) => format!("the compiler crashed. This is a bug in SomonScript, not in your program.\n\nPlease report it in the SomonScript issue tracker, with the command you ran, the input that caused it (if you can share it, or a smaller program that does the same) and these lines:\n\n  version:  somonscript {version}\n  platform: {platform}\n  panic:    {detail}\n\nUntil it is fixed, changing the code near the place you last edited often avoids the crash."),
            (CompilerBug { version, platform, detail }, Tg) => format!("компилятор аз кор монд. Ин хатои SomonScript аст, на хатои барномаи шумо.\n\nЛутфан дар саҳифаи масъалаҳои (issue tracker) SomonScript хабар диҳед: фармонеро, ки иҷро кардед, коди воридотиеро, ки ба ин оварда расонд (агар нишон дода тавонед, ё барномаи хурдтаре, ки ҳамин корро мекунад) ва ин сатрҳоро нависед:\n\n  версия:    somonscript {version}\n  платформа: {platform}\n  тафсилот:  {detail}\n\nТо ислоҳ шудани хато, тағйир додани коди наздики ҷойе, ки охирин бор таҳрир кардед, аксар вақт аз ин хато раҳо мекунад."),
            (CompilerBug { version, platform, detail }, Ru) => format!("компилятор аварийно завершился. Это ошибка в SomonScript, а не в вашей программе.\n\nПожалуйста, сообщите о ней в трекер задач SomonScript: укажите выполненную команду, код, который к этому привёл (если можете им поделиться, или меньшую программу с тем же эффектом), и эти строки:\n\n  версия:    somonscript {version}\n  платформа: {platform}\n  паника:    {detail}\n\nПока ошибка не исправлена, её часто помогает обойти изменение кода рядом с местом последней правки."),
            (OutputReadOnly { path }, En) => format!("the output {path} exists and is read-only, so it was not replaced; make it writable or choose another output with -o or --out-dir"),
            (OutputReadOnly { path }, Tg) => format!("натиҷаи {path} аллакай ҳаст ва танҳо барои хондан аст, бинобар ин иваз карда нашуд; иҷозати навиштанро диҳед ё бо -o ё --out-dir ҷои дигар интихоб кунед"),
            (OutputReadOnly { path }, Ru) => format!("результат {path} уже существует и доступен только для чтения, поэтому не перезаписан; разрешите запись или выберите другой с -o или --out-dir"),

            (SameOutput { first, second, output }, En) => format!("{first} and {second} would both be written to {output}"),
            (SameOutput { first, second, output }, Tg) => format!("{first} ва {second} ҳарду ба {output} навишта мешуданд"),
            (SameOutput { first, second, output }, Ru) => format!("{first} и {second} были бы записаны в один файл {output}"),

            (OutputNeedsOneInput, En) => "-o/--output takes exactly one input file; use --out-dir for several files or folders".into(),
            (OutputNeedsOneInput, Tg) => "-o/--output танҳо як файл мегирад; барои чанд файл ё ҷузвдон --out-dir-ро истифода баред".into(),
            (OutputNeedsOneInput, Ru) => "-o/--output принимает ровно один входной файл; для нескольких файлов или папок используйте --out-dir".into(),

            (CannotWrite { path, reason }, En) => format!("cannot write {path}: {reason}"),
            (CannotWrite { path, reason }, Tg) => format!("ба {path} навиштан мумкин нест: {reason}"),
            (CannotWrite { path, reason }, Ru) => format!("не удалось записать {path}: {reason}"),

            (FolderNotEmpty { path }, En) => format!("the folder {path} is not empty; choose a new name or an empty folder"),
            (FolderNotEmpty { path }, Tg) => format!("ҷузвдони {path} холӣ нест; номи нав ё ҷузвдони холӣ интихоб кунед"),
            (FolderNotEmpty { path }, Ru) => format!("папка {path} не пуста; выберите новое имя или пустую папку"),

            (ServeNeedsInput, En) => "somon serve needs an entry .som file or folders to compile (or `bundle.entry` in somon.config.json)".to_string(),
            (ServeNeedsInput, Tg) => "somon serve файли вуруди .som ё ҷузвдонҳо барои компайл талаб мекунад (ё `bundle.entry` дар somon.config.json)".to_string(),
            (ServeNeedsInput, Ru) => "somon serve нужен входной файл .som или папки для компиляции (или `bundle.entry` в somon.config.json)".to_string(),

            (NeedsWatch { option }, En) => format!("{option} is for the long-running commands: add --watch, or use `somon watch` or `somon serve`"),
            (NeedsWatch { option }, Tg) => format!("{option} барои фармонҳои дарозмуддат аст: --watch илова кунед ё `somon watch` ё `somon serve`-ро истифода баред"),
            (NeedsWatch { option }, Ru) => format!("{option} предназначен для долгоживущих команд: добавьте --watch или используйте `somon watch` или `somon serve`"),

            (ManagementUnavailable { address, reason }, En) => format!("the management endpoint cannot listen on {address}: {reason}; choose another port with --management-port"),
            (ManagementUnavailable { address, reason }, Tg) => format!("нуқтаи идоракунӣ дар {address} гӯш карда наметавонад: {reason}; бо --management-port порти дигар интихоб кунед"),
            (ManagementUnavailable { address, reason }, Ru) => format!("точка управления не может слушать {address}: {reason}; выберите другой порт через --management-port"),

            (InvalidValue { option, value, valid }, En) => format!("invalid {option} `{value}`; valid values: {valid}"),
            (InvalidValue { option, value, valid }, Tg) => format!("{option}-и нодуруст `{value}`; қиматҳои дуруст: {valid}"),
            (InvalidValue { option, value, valid }, Ru) => format!("недопустимое значение {option} `{value}`; допустимые: {valid}"),

                        (OutputDirNotCreatable { path }, En) => format!("the output folder {path} cannot be created or written"),
            (OutputDirNotCreatable { path }, Tg) => format!("ҷузвдони натиҷаи {path}-ро сохтан ё ба он навиштан мумкин нест"),
            (OutputDirNotCreatable { path }, Ru) => format!("папку результата {path} нельзя создать или записать"),

            (UnsupportedNode { version }, En) => format!("Node.js {version} is not supported; use Node.js 20, 22 or 24"),
            (UnsupportedNode { version }, Tg) => format!("Node.js {version} дастгирӣ намешавад; Node.js 20, 22 ё 24-ро истифода баред"),
            (UnsupportedNode { version }, Ru) => format!("Node.js {version} не поддерживается; используйте Node.js 20, 22 или 24"),

            (PathsTargetMissing { pattern, target }, En) => format!("resolution.paths `{pattern}`: the target {target} does not exist"),
            (PathsTargetMissing { pattern, target }, Tg) => format!("resolution.paths `{pattern}`: ҳадафи {target} вуҷуд надорад"),
            (PathsTargetMissing { pattern, target }, Ru) => format!("resolution.paths `{pattern}`: цель {target} не существует"),

            (ModuleNotFound { specifier }, En) => format!("Cannot find module '{specifier}'"),
            (ModuleNotFound { specifier }, Tg) => format!("Модули '{specifier}' ёфт нашуд"),
            (ModuleNotFound { specifier }, Ru) => format!("Не удалось найти модуль '{specifier}'"),

            (TriedPaths { paths }, En) => format!("tried: {paths}"),
            (TriedPaths { paths }, Tg) => format!("санҷида шуд: {paths}"),
            (TriedPaths { paths }, Ru) => format!("проверено: {paths}"),

            (CircularImport { cycle }, En) => format!("Circular import: {cycle}"),
            (CircularImport { cycle }, Tg) => format!("Воридоти даврӣ: {cycle}"),
            (CircularImport { cycle }, Ru) => format!("Циклический импорт: {cycle}"),

            (ReadFailed { path, reason }, En) => format!("Cannot read '{path}': {reason}"),
            (ReadFailed { path, reason }, Tg) => format!("'{path}'-ро хондан мумкин нест: {reason}"),
            (ReadFailed { path, reason }, Ru) => format!("Не удалось прочитать '{path}': {reason}"),
            (JsSyntax { detail }, En) => format!("JavaScript syntax error: {detail}"),
            (JsSyntax { detail }, Tg) => format!("хатои синтаксиси JavaScript: {detail}"),
            (JsSyntax { detail }, Ru) => format!("синтаксическая ошибка JavaScript: {detail}"),
            (JsonSyntax { detail }, En) => format!("JSON syntax error: {detail}"),
            (JsonSyntax { detail }, Tg) => format!("хатои синтаксиси JSON: {detail}"),
            (JsonSyntax { detail }, Ru) => format!("синтаксическая ошибка JSON: {detail}"),

            (JsKeyword { word, keyword }, En) => format!("`{word}` is a JavaScript keyword; did you mean `{keyword}`?"),
            (JsKeyword { word, keyword }, Tg) => format!("`{word}` калимаи калидии JavaScript аст; дар SomonScript шояд `{keyword}` дар назар буд?"),
            (JsKeyword { word, keyword }, Ru) => format!("`{word}` — ключевое слово JavaScript; в SomonScript, возможно, имелось в виду `{keyword}`?"),

            (RussianKeyboardKeyword { word, keyword }, En) => format!("`{word}` is typed with Russian letters; did you mean `{keyword}`?"),
            (RussianKeyboardKeyword { word, keyword }, Tg) => format!("`{word}` бо ҳарфҳои русӣ навишта шудааст (ғ, ҳ, ӯ, ӣ, ҷ, қ намерасанд); шояд `{keyword}` дар назар буд?"),
            (RussianKeyboardKeyword { word, keyword }, Ru) => format!("`{word}` набрано русскими буквами (вместо ғ, ҳ, ӯ, ӣ, ҷ, қ); возможно, имелось в виду `{keyword}`?"),

            (MisspelledKeyword { word, keyword }, En) => format!("unknown word `{word}`; did you mean the keyword `{keyword}`?"),
            (MisspelledKeyword { word, keyword }, Tg) => format!("калимаи `{word}` шинохта нашуд; шояд калимаи калидии `{keyword}` дар назар буд?"),
            (MisspelledKeyword { word, keyword }, Ru) => format!("неизвестное слово `{word}`; возможно, имелось в виду ключевое слово `{keyword}`?"),

            (RegexUnknownFlag { flag }, En) => format!("unknown regular-expression flag `{flag}` (the flags are d, g, i, m, s, u, v, y)"),
            (RegexUnknownFlag { flag }, Tg) => format!("парчами `{flag}`-и ифодаи муқаррарӣ (RegExp) вуҷуд надорад (парчамҳо: d, g, i, m, s, u, v, y)"),
            (RegexUnknownFlag { flag }, Ru) => format!("неизвестный флаг регулярного выражения `{flag}` (флаги: d, g, i, m, s, u, v, y)"),

            (RegexDuplicateFlag { flag }, En) => format!("the regular-expression flag `{flag}` is written twice"),
            (RegexDuplicateFlag { flag }, Tg) => format!("парчами `{flag}`-и ифодаи муқаррарӣ ду бор навишта шудааст"),
            (RegexDuplicateFlag { flag }, Ru) => format!("флаг регулярного выражения `{flag}` указан дважды"),

            (RegexUnicodeFlags, En) => "the regular-expression flags `u` and `v` cannot be used together".into(),
            (RegexUnicodeFlags, Tg) => "парчамҳои `u` ва `v`-и ифодаи муқаррариро якҷоя истифода бурдан мумкин нест".into(),
            (RegexUnicodeFlags, Ru) => "флаги регулярного выражения `u` и `v` нельзя использовать вместе".into(),
            (RegexUnicodeSetsTarget { target }, En) => format!("the regular-expression flag `v` is ES2024 and cannot be lowered to the target `{target}`; use `--target esnext`, or the `u` flag without set operations"),
            (RegexUnicodeSetsTarget { target }, Tg) => format!("парчами `v`-и ифодаи муқаррарӣ аз ES2024 аст ва ба ҳадафи `{target}` табдил дода намешавад; `--target esnext` ё парчами `u`-ро бе амалҳои маҷмӯъ истифода баред"),
            (RegexUnicodeSetsTarget { target }, Ru) => format!("флаг регулярного выражения `v` появился в ES2024 и не может быть понижен до цели `{target}`; используйте `--target esnext` или флаг `u` без операций над множествами"),

            (RegexQuantifierOrder, En) => "in a regular-expression quantifier `{min,max}` the first number must not be larger than the second".into(),
            (RegexQuantifierOrder, Tg) => "дар миқдорнамои `{min,max}`-и ифодаи муқаррарӣ рақами якум набояд аз дуюм калон бошад".into(),
            (RegexQuantifierOrder, Ru) => "в квантификаторе регулярного выражения `{min,max}` первое число не может быть больше второго".into(),

            (RegexRangeOrder, En) => "a character range in a regular expression must go from the smaller character to the larger (`[a-z]`, not `[z-a]`)".into(),
            (RegexRangeOrder, Tg) => "фосилаи ҳарфҳо дар ифодаи муқаррарӣ бояд аз ҳарфи хурдтар ба калонтар равад (`[a-z]`, на `[z-a]`)".into(),
            (RegexRangeOrder, Ru) => "диапазон символов в регулярном выражении должен идти от меньшего символа к большему (`[a-z]`, а не `[z-a]`)".into(),

            (RegexDuplicateGroupName, En) => "two capturing groups of this regular expression have the same name".into(),
            (RegexDuplicateGroupName, Tg) => "дар ин ифодаи муқаррарӣ ду гурӯҳи гиранда номи якхела доранд".into(),
            (RegexDuplicateGroupName, Ru) => "у двух захватывающих групп этого регулярного выражения одинаковое имя".into(),

            (RegexInvalid { detail }, En) => format!("invalid regular expression: {detail}"),
            (RegexInvalid { detail }, Tg) => format!("ифодаи муқаррарӣ (RegExp) нодуруст аст; JavaScript онро ҳангоми боркунии модул рад мекунад (тафсилот бо забони англисӣ: {detail})"),
            (RegexInvalid { detail }, Ru) => format!("некорректное регулярное выражение; JavaScript отвергнет его при загрузке модуля (подробности на английском: {detail})"),

            (UnclosedBracket { bracket, line, column }, En) => format!("the `{bracket}` opened at line {line}, column {column} is never closed"),
            (UnclosedBracket { bracket, line, column }, Tg) => format!("`{bracket}`-е, ки дар сатри {line}, сутуни {column} кушода шудааст, ҳеҷ гоҳ пӯшида намешавад"),
            (UnclosedBracket { bracket, line, column }, Ru) => format!("`{bracket}`, открытая в строке {line}, столбце {column}, так и не закрыта"),

            (LookalikeInName { name, latin, cyrillic }, En) => format!("the name `{name}` mixes Cyrillic with the Latin letter `{latin}`, which looks like the Cyrillic `{cyrillic}`; a use typed all in Cyrillic will not find it"),
            (LookalikeInName { name, latin, cyrillic }, Tg) => format!("дар номи `{name}` ҳарфи лотинии `{latin}` омадааст, ки ба ҳарфи кириллии `{cyrillic}` монанд аст; агар номро пурра бо кириллӣ нависед, он ёфт намешавад"),
            (LookalikeInName { name, latin, cyrillic }, Ru) => format!("в имени `{name}` есть латинская буква `{latin}`, похожая на кириллическую `{cyrillic}`; имя, набранное целиком кириллицей, его не найдёт"),

            (LatinLookalike { latin, cyrillic }, En) => format!("the Latin letter `{latin}` looks like the Cyrillic `{cyrillic}`; did you mean `{cyrillic}`?"),
            (LatinLookalike { latin, cyrillic }, Tg) => format!("ҳарфи лотинии `{latin}` ба ҳарфи кириллии `{cyrillic}` монанд аст; шояд `{cyrillic}` дар назар буд?"),
            (LatinLookalike { latin, cyrillic }, Ru) => format!("латинская буква `{latin}` похожа на кириллическую `{cyrillic}`; возможно, имелась в виду `{cyrillic}`?"),

            (NonBreakingSpace, En) => "this is a non-breaking space (U+00A0); use an ordinary space".into(),
            (NonBreakingSpace, Tg) => "ин фосилаи ношикан (U+00A0) аст; фосилаи оддиро истифода баред".into(),
            (NonBreakingSpace, Ru) => "это неразрывный пробел (U+00A0); используйте обычный пробел".into(),

            (DidYouMean { name }, En) => format!("did you mean `{name}`?"),
            (DidYouMean { name }, Tg) => format!("шояд `{name}` дар назар буд?"),
            (DidYouMean { name }, Ru) => format!("возможно, имелось в виду `{name}`?"),

            // ---- language server (`somon lsp`) ----
            (RenameKeyword { name }, En) => format!("cannot rename to `{name}`: it is a keyword of SomonScript; choose another name"),
            (RenameKeyword { name }, Tg) => format!("ба `{name}` иваз кардан мумкин нест: ин калимаи калидии SomonScript аст; номи дигар интихоб кунед"),
            (RenameKeyword { name }, Ru) => format!("нельзя переименовать в `{name}`: это ключевое слово SomonScript; выберите другое имя"),

            (RenameInvalidName { name }, En) => format!("cannot rename to `{name}`: a name starts with a letter, `_` or `$` and contains only letters, digits, `_` and `$`"),
            (RenameInvalidName { name }, Tg) => format!("ба `{name}` иваз кардан мумкин нест: ном бо ҳарф, `_` ё `$` сар мешавад ва танҳо аз ҳарфҳо, рақамҳо, `_` ва `$` иборат аст"),
            (RenameInvalidName { name }, Ru) => format!("нельзя переименовать в `{name}`: имя начинается с буквы, `_` или `$` и состоит только из букв, цифр, `_` и `$`"),

            (RenameNothing, En) => "there is no name here to rename; put the cursor on a variable, function, class or other declared name".into(),
            (RenameNothing, Tg) => "дар ин ҷо номе барои иваз кардан нест; курсорро ба тағйирёбанда, функсия, синф ё номи дигари эълоншуда гузоред".into(),
            (RenameNothing, Ru) => "здесь нет имени для переименования; поставьте курсор на переменную, функцию, класс или другое объявленное имя".into(),

            (AddImport { name, specifier }, En) => format!("import `{name}` from \"{specifier}\""),
            (AddImport { name, specifier }, Tg) => format!("`{name}`-ро аз \"{specifier}\" ворид кунед"),
            (AddImport { name, specifier }, Ru) => format!("импортировать `{name}` из \"{specifier}\""),

            (ReplaceWith { text }, En) => format!("replace with `{text}`"),
            (ReplaceWith { text }, Tg) => format!("бо `{text}` иваз кунед"),
            (ReplaceWith { text }, Ru) => format!("заменить на `{text}`"),

            (DeclaredHere { name }, En) => format!("`{name}` is declared here"),
            (DeclaredHere { name }, Tg) => format!("`{name}` дар ин ҷо эълон шудааст"),
            (DeclaredHere { name }, Ru) => format!("`{name}` объявлено здесь"),
            (UnknownCommand { name, suggestion }, En) => format!(
                "unknown command `{name}` (`somon --help` lists the commands){}",
                suggestion.as_ref().map(|s| format!(". Did you mean `{s}`?")).unwrap_or_default()
            ),
            (UnknownCommand { name, suggestion }, Tg) => format!(
                "фармони номаълум `{name}` (рӯйхати фармонҳоро `somon --help` нишон медиҳад){}",
                suggestion.as_ref().map(|s| format!(". Шояд `{s}` дар назар буд?")).unwrap_or_default()
            ),
            (UnknownCommand { name, suggestion }, Ru) => format!(
                "неизвестная команда `{name}` (список команд покажет `somon --help`){}",
                suggestion.as_ref().map(|s| format!(". Возможно, имелась в виду `{s}`?")).unwrap_or_default()
            ),

            (UnknownFlag { flag, suggestion }, En) => format!(
                "unknown option `{flag}` (`--help` after the command lists its options){}",
                suggestion.as_ref().map(|s| format!(". Did you mean `{s}`?")).unwrap_or_default()
            ),
            (UnknownFlag { flag, suggestion }, Tg) => format!(
                "параметри номаълум `{flag}` (параметрҳои фармонро `--help` баъд аз номи он нишон медиҳад){}",
                suggestion.as_ref().map(|s| format!(". Шояд `{s}` дар назар буд?")).unwrap_or_default()
            ),
            (UnknownFlag { flag, suggestion }, Ru) => format!(
                "неизвестный параметр `{flag}` (параметры команды покажет `--help` после её имени){}",
                suggestion.as_ref().map(|s| format!(". Возможно, имелся в виду `{s}`?")).unwrap_or_default()
            ),

            (UnexpectedArgument { arg }, En) => format!("unexpected argument `{arg}`: the command takes no more values here"),
            (UnexpectedArgument { arg }, Tg) => format!("аргументи зиёдатӣ `{arg}`: фармон дар ин ҷо дигар қимат намегирад"),
            (UnexpectedArgument { arg }, Ru) => format!("лишний аргумент `{arg}`: здесь команда больше значений не принимает"),

            (MissingArgument { what }, En) => format!("a required argument is missing: {what}"),
            (MissingArgument { what }, Tg) => format!("аргументи ҳатмӣ дода нашудааст: {what}"),
            (MissingArgument { what }, Ru) => format!("не указан обязательный аргумент: {what}"),

            (ConflictingFlags { first, second }, En) => format!("{first} cannot be used together with {second}"),
            (ConflictingFlags { first, second }, Tg) => format!("{first}-ро бо {second} якҷоя истифода бурдан мумкин нест"),
            (ConflictingFlags { first, second }, Ru) => format!("{first} нельзя использовать вместе с {second}"),

            (InvalidFlagValue { option, value }, En) => format!("invalid value `{value}` for {option}"),
            (InvalidFlagValue { option, value }, Tg) => format!("қимати нодуруст `{value}` барои {option}"),
            (InvalidFlagValue { option, value }, Ru) => format!("недопустимое значение `{value}` для {option}"),

            (UsageOther { detail }, En) => format!("the command line is not valid: {detail}"),
            (UsageOther { detail }, Tg) => format!("сатри фармон нодуруст аст: {detail}"),
            (UsageOther { detail }, Ru) => format!("неверная командная строка: {detail}"),

            (DiagnosticCounts { errors, warnings }, En) => format!("{errors} error(s), {warnings} warning(s)"),
            (DiagnosticCounts { errors, warnings }, Tg) => format!("хатоҳо: {errors}, огоҳиҳо: {warnings}"),
            (DiagnosticCounts { errors, warnings }, Ru) => format!("ошибок: {errors}, предупреждений: {warnings}"),

            (FilesChecked { files }, En) => format!("{files} file(s) checked, no errors"),
            (FilesChecked { files }, Tg) => format!("файлҳои санҷидашуда: {files}, хато нест"),
            (FilesChecked { files }, Ru) => format!("проверено файлов: {files}, ошибок нет"),

            (FilesCompiled { files, errors }, En) => format!("compiled {files} file(s), {errors} error(s)"),
            (FilesCompiled { files, errors }, Tg) => format!("файлҳои компайлшуда: {files}, хатоҳо: {errors}"),
            (FilesCompiled { files, errors }, Ru) => format!("скомпилировано файлов: {files}, ошибок: {errors}"),

            (BundleWritten { path, modules }, En) => format!("{path} ({modules} modules)"),
            (BundleWritten { path, modules }, Tg) => format!("{path} (модулҳо: {modules})"),
            (BundleWritten { path, modules }, Ru) => format!("{path} (модулей: {modules})"),

            (ModuleStats { modules, dependencies, average, cycles }, En) => format!("Modules: {modules}\nDependencies: {dependencies}\nAverage dependencies per module: {average}\nImport cycles: {cycles}"),
            (ModuleStats { modules, dependencies, average, cycles }, Tg) => format!("Модулҳо: {modules}\nВобастагиҳо: {dependencies}\nМиёнаи вобастагиҳои як модул: {average}\nВоридоти даврӣ: {cycles}"),
            (ModuleStats { modules, dependencies, average, cycles }, Ru) => format!("Модулей: {modules}\nЗависимостей: {dependencies}\nВ среднем зависимостей на модуль: {average}\nЦиклических импортов: {cycles}"),

            (NoImportCycles, En) => "No import cycles".into(),
            (NoImportCycles, Tg) => "Воридоти даврӣ нест".into(),
            (NoImportCycles, Ru) => "Циклических импортов нет".into(),

            (ImportCycleLine { cycle }, En) => format!("cycle: {cycle}"),
            (ImportCycleLine { cycle }, Tg) => format!("давра: {cycle}"),
            (ImportCycleLine { cycle }, Ru) => format!("цикл: {cycle}"),

            (ResolvedBuiltin { name }, En) => format!("{name} (Node.js built-in)"),
            (ResolvedBuiltin { name }, Tg) => format!("{name} (модули дарунсохти Node.js)"),
            (ResolvedBuiltin { name }, Ru) => format!("{name} (встроенный модуль Node.js)"),

            (ResolvedPackage { path, name }, En) => format!("{path} (package {name})"),
            (ResolvedPackage { path, name }, Tg) => format!("{path} (бастаи {name})"),
            (ResolvedPackage { path, name }, Ru) => format!("{path} (пакет {name})"),

            (TriedPath { path }, En) => format!("tried {path}"),
            (TriedPath { path }, Tg) => format!("санҷида шуд: {path}"),
            (TriedPath { path }, Ru) => format!("проверено: {path}"),
            (HermeticOutside { path, root }, En) => format!("--hermetic: {path} is outside the project folder {root} and the node_modules packages the build imports, so it was not read; move it into the project, import it as a package, or drop --hermetic"),
            (HermeticOutside { path, root }, Tg) => format!("--hermetic: файли {path} берун аз ҷузвдони лоиҳа {root} ва бастаҳои node_modules, ки сохтан ворид мекунад, ҷойгир аст, бинобар ин хонда нашуд; онро ба дохили лоиҳа гузоред, ҳамчун баста ворид кунед ё --hermetic-ро нагузоред"),
            (HermeticOutside { path, root }, Ru) => format!("--hermetic: {path} находится вне папки проекта {root} и пакетов node_modules, которые импортирует сборка, поэтому не прочитан; перенесите его в проект, импортируйте как пакет или уберите --hermetic"),

            (WorkerBadRequest { reason }, En) => format!("the worker cannot answer this request: {reason}; each line on standard input must be one JSON WorkRequest whose `arguments` are a compile, check, bundle or module-info command"),
            (WorkerBadRequest { reason }, Tg) => format!("worker ба ин дархост ҷавоб дода наметавонад: {reason}; ҳар сатри вуруди стандартӣ бояд як WorkRequest-и JSON бошад, ки `arguments`-и он фармони compile, check, bundle ё module-info аст"),
            (WorkerBadRequest { reason }, Ru) => format!("worker не может ответить на этот запрос: {reason}; каждая строка стандартного ввода должна быть одним JSON WorkRequest, чьи `arguments` — команда compile, check, bundle или module-info"),

            // bundle reporting (bundlex)
            (AnalyzeOutput { path, size }, En) => format!("{path}  {size}  (largest modules first)"),
            (AnalyzeOutput { path, size }, Tg) => format!("{path}  {size}  (аввал модулҳои калонтарин)"),
            (AnalyzeOutput { path, size }, Ru) => format!("{path}  {size}  (сначала самые большие модули)"),
            (AnalyzeModule { path, size, share }, En) => format!("{path}  {size}  {share}"),
            (AnalyzeModule { path, size, share }, Tg) => format!("{path}  {size}  {share}"),
            (AnalyzeModule { path, size, share }, Ru) => format!("{path}  {size}  {share}"),
            (AnalyzeChain { chain }, En) => format!("included because: {chain}"),
            (AnalyzeChain { chain }, Tg) => format!("дар бандл аст, зеро ворид шудааст: {chain}"),
            (AnalyzeChain { chain }, Ru) => format!("включён, потому что импортирован: {chain}"),
            (AnalyzeEntry, En) => "included because it is the entry point".into(),
            (AnalyzeEntry, Tg) => "дар бандл аст, зеро нуқтаи вуруд аст".into(),
            (AnalyzeEntry, Ru) => "включён, потому что это точка входа".into(),
            (AnalyzeRuntime { size, share }, En) => format!("(the bundle's runtime and shared helpers, no module)  {size}  {share}"),
            (AnalyzeRuntime { size, share }, Tg) => format!("(коди иҷрои бандл ва функсияҳои ёрирасони умумӣ, на аз ягон модул)  {size}  {share}"),
            (AnalyzeRuntime { size, share }, Ru) => format!("(среда выполнения бандла и общие вспомогательные функции, не модуль)  {size}  {share}"),
            (BundleSizes { raw, sizes }, En) => format!("size: {raw}; compressed: {sizes}"),
            (BundleSizes { raw, sizes }, Tg) => format!("андоза: {raw}; фишурдашуда: {sizes}"),
            (BundleSizes { raw, sizes }, Ru) => format!("размер: {raw}; сжатый: {sizes}"),
            (OutputNameCollision { output, first, second }, En) => format!("the entries {first} and {second} would both be written to {output}; give one of them another file name or bundle them into different folders"),
            (OutputNameCollision { output, first, second }, Tg) => format!("нуқтаҳои вуруди {first} ва {second} ҳарду ба як файли {output} навишта мешуданд; ба яке аз онҳо номи дигар диҳед ё онҳоро ба ҷузвдонҳои гуногун бандл кунед"),
            (OutputNameCollision { output, first, second }, Ru) => format!("точки входа {first} и {second} обе записались бы в {output}; дайте одной из них другое имя файла или собирайте их в разные папки"),
            (EntriesNeedOutdir { entries }, En) => format!("{entries} entry points give one bundle each: name the folder for them with --outdir instead of one output file"),
            (EntriesNeedOutdir { entries }, Tg) => format!("{entries} нуқтаи вуруд ҳар кадом бандли худро медиҳанд: ба ҷои як файли баромад ҷузвдони онҳоро бо --outdir нишон диҳед"),
            (EntriesNeedOutdir { entries }, Ru) => format!("{entries} точки входа дают по бандлу каждая: укажите для них папку через --outdir вместо одного выходного файла"),
            // bundle features (bfeat)
            (BundleNeedsEntry, En) => "somon bundle needs an entry .som file: name it on the command line, or set `bundle.entry` in somon.config.json".to_string(),
            (BundleNeedsEntry, Tg) => "somon bundle файли вуруди .som-ро талаб мекунад: онро дар сатри фармон нависед ё `bundle.entry`-ро дар somon.config.json муқаррар кунед".to_string(),
            (BundleNeedsEntry, Ru) => "somon bundle нужен входной файл .som: укажите его в командной строке или задайте `bundle.entry` в somon.config.json".to_string(),
            (BundleEntryMissing { key, path, config }, En) => format!("`{key}` in {config} names {path}, but there is no such file: correct the path or remove the entry"),
            (BundleEntryMissing { key, path, config }, Tg) => format!("`{key}` дар {config} файли {path}-ро нишон медиҳад, аммо чунин файл нест: роҳро ислоҳ кунед ё ин вурудро нест кунед"),
            (BundleEntryMissing { key, path, config }, Ru) => format!("`{key}` в {config} указывает на {path}, но такого файла нет: исправьте путь или удалите этот вход"),
        }
    }
}

/// A bidirectional control character's code point, its usual abbreviation
/// and the escape that writes it in a string.
fn bidi_names(ch: char) -> (String, &'static str, String) {
    let abbr = match ch {
        '\u{202a}' => "LRE",
        '\u{202b}' => "RLE",
        '\u{202c}' => "PDF",
        '\u{202d}' => "LRO",
        '\u{202e}' => "RLO",
        '\u{2066}' => "LRI",
        '\u{2067}' => "RLI",
        '\u{2068}' => "FSI",
        '\u{2069}' => "PDI",
        '\u{200e}' => "LRM",
        '\u{200f}' => "RLM",
        '\u{61c}' => "ALM",
        _ => "?",
    };
    let n = ch as u32;
    (format!("U+{n:04X}"), abbr, format!("\\u{n:04X}"))
}

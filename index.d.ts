/*
 * The typings of the `somonscript` Node.js API.
 *
 * Written by hand, not generated: `npm run build:napi` writes napi-rs's own
 * declarations to `target/napi.d.ts`. Every enumerated option is a union of
 * string literals listing exactly the values the addon accepts at run time
 * (`src/lib.rs` checks options against the same lists and throws a
 * `TypeError` for anything else, unknown keys included), so a misspelled
 * value is a compile error here and a clear error there. Needs no
 * `@types/node`: it type-checks with `lib: ["es2022"]` alone.
 */

/** Language level of the output (default `es2020`). */
export type Target =
  | 'es5'
  | 'es2015'
  | 'es2016'
  | 'es2017'
  | 'es2018'
  | 'es2019'
  | 'es2020'
  | 'es2021'
  | 'es2022'
  | 'esnext'

/** Module format of compiled files: CommonJS (default) or ES modules. */
export type ModuleKind = 'cjs' | 'esm'

/** Format of a bundle (default `cjs`). */
export type BundleFormat = 'cjs' | 'esm' | 'iife' | 'umd'

/**
 * Where a bundle runs (default `node`): only a `node` bundle may use
 * Node.js built-in modules.
 */
export type Platform = 'node' | 'browser' | 'neutral'

/** What an import cycle in a bundle is (default `warn`). */
export type CircularPolicy = 'warn' | 'error'

/** Language of messages: English, Tajik (`tj`, also `tg`), Russian. */
export type Lang = 'en' | 'tj' | 'tg' | 'ru'

/** Severity of a diagnostic. */
export type Severity = 'error' | 'warning'

/**
 * `true`: the source map as JSON in `map`; `'inline'`: a data URL at the
 * end of `code`; `false` (default): none.
 */
export type SourceMapOption = boolean | 'inline'

/**
 * What the asynchronous calls need of an `AbortSignal` (the global
 * `AbortController().signal` is one): aborting rejects the call with
 * `reason`.
 */
export interface AbortSignalLike {
  readonly aborted: boolean
  readonly reason?: unknown
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void
  removeEventListener(type: 'abort', listener: () => void): void
}

/** Code generation options shared by `compile`, `compileFiles` and `check`. */
export interface CodegenOptions {
  /** Language level of the output (default `es2020`). */
  target?: Target
  /** `cjs` (default) or `esm`. */
  module?: ModuleKind
  /** swc's minifier (default false). */
  minify?: boolean
  /** With `minify`: compress (default true). */
  compress?: boolean
  /** With `minify`: mangle names (default true). */
  mangle?: boolean
  /** With `minify`: keep `.name` of functions and classes (default false). */
  keepNames?: boolean
  /** Source map: `true` (separate, in `map`), `'inline'`, or `false` (default). */
  sourceMap?: SourceMapOption
  /** Put the `.som` text into the map's `sourcesContent` (default false). */
  inlineSources?: boolean
  /** Run the type checker (default true). */
  typeCheck?: boolean
  /** Language of messages (default `en`). */
  lang?: Lang
  /**
   * `false` keeps relative import specifiers exactly as written (`./lib`
   * stays `./lib`, for bundler plugins that resolve them back to `.som`
   * files); default true (`./lib` → `./lib.js`).
   */
  rewriteRelativeImportExtensions?: boolean
  /**
   * Internal, for profiling (`benchmark/compile.mjs --stages`): return
   * each compiler stage's time in `timings` (default false).
   */
  timings?: boolean
}

/** Options of `compile` and `compileAsync`. */
export interface CompileOptions extends CodegenOptions {
  /** File name used in diagnostics and as the source map's `sources`. */
  fileName?: string
}

/** Options of `compileFiles`. */
export interface CompileFilesOptions extends CodegenOptions {
  /**
   * Folder the outputs go to, mirroring the inputs' common folder (as
   * `somon compile --out-dir`); default: each `.js` next to its `.som`.
   */
  outDir?: string
  /**
   * Write each output (and its map) to `outputPath` (default false: only
   * return them). Never replaces a file the call reads or a read-only
   * file: such a file gets an `OUTPUT_IS_INPUT`/`OUTPUT_READ_ONLY` error.
   */
  write?: boolean
}

/** Options of `check`. */
export interface CheckOptions extends CodegenOptions {}

/**
 * Options of `bundle` and `bundleSync`: `write: true` needs `output`, the
 * file to write.
 */
export type BundleOptions = BundleOutputOptions &
  (
    | { splitting?: false; write?: false }
    | { splitting?: false; write: true; output: string }
    | BundleSplitOptions
  )

/**
 * Code splitting: `format: 'esm'` is required, and with `write: true`
 * the folder `outdir`; `metafile` is for one-file bundles.
 */
export type BundleSplitOptions = {
  splitting: true
  format: 'esm'
  metafile?: false
  /** Names of chunks that are not entries (default `[name]-[hash]`). */
  chunkNames?: string
} & ({ write?: false; outdir?: string } | { write: true; outdir: string })

/** Options of `bundle` and `bundleSync` besides `write`. */
export interface BundleOutputOptions {
  /** `cjs` (default), `esm`, `iife` or `umd`. */
  format?: BundleFormat
  /** Global variable for `iife` and `umd`. */
  globalName?: string
  /** Packages and specifiers that stay `require`s (a name covers its subpaths). */
  external?: Array<string>
  /** Where the bundle goes: map `sources` are relative to its folder. */
  output?: string
  /**
   * Write the bundle to `output` (required then), and with
   * `sourceMap: true` its map to `<output>.map`, named by a
   * `sourceMappingURL` comment. Atomic; never over a file of the module
   * graph or a read-only file.
   */
  write?: boolean
  /** Language level of the output (default `es2020`). */
  target?: Target
  minify?: boolean
  /** With `minify`: keep `.name` of functions and classes (default false). */
  keepNames?: boolean
  /** `true` for a separate map in `map`, `'inline'` for a data URL. */
  sourceMap?: SourceMapOption
  inlineSources?: boolean
  typeCheck?: boolean
  lang?: Lang
  /** `warn` (default) or `error` for import cycles. */
  circular?: CircularPolicy
  /** `node` (default), `browser` or `neutral`. */
  platform?: Platform
  /**
   * Return the bundle's metafile (esbuild's shape) as `metafile`: what
   * `somon bundle --metafile` writes.
   */
  metafile?: boolean
  /**
   * esbuild's `define`: each free global name or dotted path
   * (`process.env.NODE_ENV`) becomes the JavaScript expression given
   * (`'"production"'`: a string needs its quotes), then constant
   * conditions are folded so dead branches disappear. Packages included.
   */
  define?: Record<string, string>
  /** esbuild's `drop`: remove `console.…(…)` calls, `debugger` statements. */
  drop?: Array<'console' | 'debugger'>
}

/** Options of `formatDiagnostics`. */
export interface FormatDiagnosticsOptions {
  /** Terminal colours (default false). */
  color?: boolean
  /** Language of the summary line (default `en`). */
  lang?: Lang
}

/** A text edit: the range's text becomes `text` (lines and columns 1-based, the end exclusive). */
export interface Replacement {
  text: string
  line: number
  column: number
  endLine: number
  endColumn: number
}

/** A proposed fix: its message and, when known, the edit that applies it. */
export interface Suggestion {
  /** "did you mean `салом`?", in the language of messages. */
  message: string
  /** The edit, for editors' quick fixes. */
  replacement?: Replacement
}

/** One diagnostic. Lines and columns are 1-based; columns count characters. */
export interface Diagnostic {
  severity: Severity
  /** Stable code (`UNDEFINED_IDENTIFIER`, `SYNTAX` …). */
  code: string
  message: string
  file: string
  line: number
  column: number
  endLine: number
  endColumn: number
  /** The source line (a window of it around the column for a long line). */
  snippet: string
  notes: Array<string>
  suggestion?: Suggestion
}

export interface CompileResult {
  /** The JavaScript; empty when there are errors. */
  code: string
  /** The source map (JSON) when `sourceMap: true`. */
  map?: string
  diagnostics: Array<Diagnostic>
  /** Errors in the old compiler's one-line format. */
  errors: Array<string>
  /** Warnings in the old compiler's one-line format. */
  warnings: Array<string>
  /**
   * With `timings: true`: each stage of the compile in order (the time
   * spent outside them, in the N-API layer, is the caller's wall time
   * minus their sum). A stage whose name ends in `(concurrent)` ran beside
   * the others (the type check, on the calling thread while the pipeline
   * thread lowers and emits; a large module's lexing, on a thread of its
   * own while `parse` reads the tokens) and is not part of that sum.
   */
  timings?: Array<StageTiming>
}

/** One file of `compileFiles` or `check`. */
export interface FileResult {
  /** The `.som` file (absolute). */
  file: string
  /** The JavaScript (empty for `check` and when there are errors). */
  code: string
  map?: string
  diagnostics: Array<Diagnostic>
  /** `compileFiles`: where the JavaScript goes (next to the `.som`, or under `outDir`). */
  outputPath?: string
  /** `compileFiles` with `sourceMap: true`: where the map goes; its `sources` are relative to its folder. */
  mapPath?: string
  /** `compileFiles` with `write: true`: whether the files were written. */
  written?: boolean
}

export interface BundleResult {
  /** The bundle; empty when there are errors (no partial bundle). */
  code: string
  map?: string
  diagnostics: Array<Diagnostic>
  /** Number of modules in the graph. */
  modules: number
  /** With `write: true`: the file written. */
  outputPath?: string
  /** With `write: true` and `sourceMap: true`: the map written. */
  mapPath?: string
  /**
   * With `metafile: true` and no errors: the metafile as JSON text
   * (`JSON.parse` gives esbuild's shape: `inputs` with each module's
   * `bytes`, `imports` and `format`; `outputs` with each file's `bytes`
   * and, for the bundle, the `bytesInOutput` of each input, `imports`,
   * `exports` and `entryPoint`). Paths are relative to the working folder.
   */
  metafile?: string
  /**
   * With `splitting: true` and no errors: the entry's chunk, then every
   * other chunk (`code` is empty then). Each `import()` target is a chunk;
   * modules several chunks use are in shared chunks.
   */
  chunks?: Array<BundleChunk>
}

/** One file of a split bundle. */
export interface BundleChunk {
  /** Its path in the output folder (`main.js`, `chunk-LNQ3TZ2B.js`). */
  file: string
  code: string
  /** With `sourceMap: true`: its own map. */
  map?: string
  /** Whether it is the entry's chunk. */
  entry: boolean
  /** With `write: true`: the file written. */
  outputPath?: string
}

/** Options of `format` and `formatAsync` (the `format` section of somon.config.json). */
export interface FormatOptions {
  /** Spaces per indentation level, 1 to 16 (default 2). */
  indentWidth?: number
  /** The width lines should fit in, 20 to 1000 (default 100). */
  lineWidth?: number
  /** File name used in diagnostics (default `input.som`). */
  fileName?: string
  /** Language of diagnostics (default `en`). */
  lang?: Lang
}

/** What `format` answers. */
export interface FormatResult {
  /** The formatted program; empty when it has syntax errors. */
  code: string
  /** Whether `code` differs from the source. */
  changed: boolean
  /** The syntax errors (and warnings) when the program was refused. */
  diagnostics: Array<Diagnostic>
}

/** Where a specifier leads. */
export interface ResolveResult {
  kind: 'file' | 'builtin' | 'package'
  path?: string
  name?: string
}

/**
 * Compiles SomonScript source to JavaScript synchronously: the call returns
 * when done (the type check runs on the calling thread, lowering and code
 * generation on a helper thread of its own).
 */
export declare function compile(source: string, options?: CompileOptions | null): CompileResult

/** Compiles on the libuv thread pool; the event loop stays free. */
export declare function compileAsync(
  source: string,
  options?: CompileOptions | null,
  signal?: AbortSignalLike | null,
): Promise<CompileResult>

/**
 * Compiles files (or every `.som` below folders) in parallel, each checked
 * against what it imports. Returns each output's path; writes nothing
 * unless `write: true`.
 */
export declare function compileFiles(
  paths: Array<string>,
  options?: CompileFilesOptions | null,
  signal?: AbortSignalLike | null,
): Promise<Array<FileResult>>

/** Type-checks files (or folders) in parallel without producing code. */
export declare function check(
  paths: Array<string>,
  options?: CheckOptions | null,
  signal?: AbortSignalLike | null,
): Promise<Array<FileResult>>

/** Bundles `entry` and everything it imports, off the JavaScript thread. */
export declare function bundle(
  entry: string,
  options?: BundleOptions | null,
  signal?: AbortSignalLike | null,
): Promise<BundleResult>

/** Bundles on the calling thread. */
export declare function bundleSync(entry: string, options?: BundleOptions | null): BundleResult

/**
 * Diagnostics as `somon` prints them: each with its source line and a
 * caret, notes and the suggestion, then the "N error(s), N warning(s)"
 * line in `lang` (the command line's own renderer, without its limits).
 */
export declare function formatDiagnostics(diagnostics: Array<Diagnostic>, options?: FormatDiagnosticsOptions | null): string

/** One module compiled for a tool by `compileModule`. */
export interface ModuleResult {
  /** The JavaScript; empty when there are errors. */
  code: string
  map?: string
  diagnostics: Array<Diagnostic>
  /**
   * Absolute paths of every file whose change may change this result:
   * the module graph below the file (what its type check reads) and
   * the configuration file.
   */
  dependencies: Array<string>
  /** The `somon.config.json` (or `.somonrc`) that applies, if any. */
  configFile?: string
}

/**
 * Compiles the text `source` of the project file `file` (a bundler's
 * transform) off the JavaScript thread: type-checked against what it
 * imports, with the `resolution` settings of the configuration found
 * upward from it; `fileName` defaults to `file`.
 */
export declare function compileModule(
  file: string,
  source: string,
  options?: CompileOptions | null,
  signal?: AbortSignalLike | null,
): Promise<ModuleResult>

/**
 * `compileModule` on the calling thread (for hooks that must answer
 * synchronously: `require`, Jest's transformers).
 */
export declare function compileModuleSync(file: string, source: string, options?: CompileOptions | null): ModuleResult

/**
 * Formats a program in the canonical layout (`somon fmt`) on the calling
 * thread. A program with syntax errors is never formatted: `code` is empty
 * and `diagnostics` holds the errors.
 */
export declare function format(source: string, options?: FormatOptions | null): FormatResult

/** Formats on the libuv thread pool; the event loop stays free. */
export declare function formatAsync(
  source: string,
  options?: FormatOptions | null,
  signal?: AbortSignalLike | null,
): Promise<FormatResult>

/**
 * Resolves a module specifier as the bundler does (with the `resolution`
 * settings of the `somon.config.json` found upward from `from`). Throws an
 * error whose message lists the paths tried.
 */
export declare function resolve(specifier: string, from?: string | null): ResolveResult

/** How long one stage of a compile took (`timings: true`). */
export interface StageTiming {
  stage: string
  /** Milliseconds (fractional). */
  ms: number
}

/** The package version. */
export declare function version(): string

/**
 * Which binding artifact the generated loader loaded: `'native'` for the
 * native addon.
 */
export declare const __napiBindingTarget: 'native' | 'wasm32-wasi' | 'wasm32-wasip1'

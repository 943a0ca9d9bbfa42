import type { CompileOptions } from '../index.js';

/** A pattern of `include`/`exclude`: a substring of the module id or a regular expression. */
export type FilterPattern = string | RegExp | ReadonlyArray<string | RegExp>;

/**
 * Options of the bundler plugins: `compile`'s options that make sense in a
 * bundler (`module`, `sourceMap`, `fileName` and
 * `rewriteRelativeImportExtensions` are set by the plugin), plus which
 * `.som` files to take.
 */
export interface SomonPluginOptions
  extends Pick<CompileOptions, 'target' | 'minify' | 'compress' | 'mangle' | 'keepNames' | 'inlineSources' | 'typeCheck' | 'lang'> {
  /** Only `.som` ids that match (default: every `.som` file). */
  include?: FilterPattern;
  /** `.som` ids left alone. */
  exclude?: FilterPattern;
}

import type { WebpackPluginInstance } from 'webpack' with { 'resolution-mode': 'import' };
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for webpack: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): WebpackPluginInstance;
declare namespace somon {
  export { somon as default, SomonPluginOptions };
}
export = somon;

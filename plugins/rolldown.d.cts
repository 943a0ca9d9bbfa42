import type { Plugin } from 'rolldown' with { 'resolution-mode': 'import' };
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for rolldown: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): Plugin;
declare namespace somon {
  export { somon as default, SomonPluginOptions };
}
export = somon;

import type { RspackPluginInstance } from '@rspack/core' with { 'resolution-mode': 'import' };
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for rspack: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): RspackPluginInstance;
declare namespace somon {
  export { somon as default, SomonPluginOptions };
}
export = somon;

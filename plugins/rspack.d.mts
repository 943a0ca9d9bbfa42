import type { RspackPluginInstance } from '@rspack/core';
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for rspack: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): RspackPluginInstance;
export default somon;
export type { SomonPluginOptions };

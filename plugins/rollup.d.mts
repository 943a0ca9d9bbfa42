import type { Plugin } from 'rollup';
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for rollup: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): Plugin;
export default somon;
export type { SomonPluginOptions };

import type { Plugin } from 'esbuild';
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for esbuild: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): Plugin;
export default somon;
export type { SomonPluginOptions };

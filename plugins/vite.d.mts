import type { Plugin } from 'vite';
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for vite: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): Plugin;
export default somon;
export type { SomonPluginOptions };

import type { Plugin } from 'rolldown';
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for rolldown: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): Plugin;
export default somon;
export type { SomonPluginOptions };

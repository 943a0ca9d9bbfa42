import type { WebpackPluginInstance } from 'webpack';
import type { SomonPluginOptions } from './types.js';

/** The SomonScript plugin for webpack: `plugins: [somon({ typeCheck: true })]`. */
declare function somon(options?: SomonPluginOptions): WebpackPluginInstance;
export default somon;
export type { SomonPluginOptions };

import type { SomonPluginOptions } from './types';
import type { UnpluginInstance } from 'unplugin';

/** The SomonScript plugin for esbuild: `plugins: [somon({ typeCheck: true })]`. */
declare const somon: UnpluginInstance<SomonPluginOptions | undefined, false>['esbuild'];
export default somon;
export type { SomonPluginOptions };

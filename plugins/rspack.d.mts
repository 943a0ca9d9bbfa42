import type { SomonPluginOptions } from './types';
import type { UnpluginInstance } from 'unplugin';

/** The SomonScript plugin for rspack: `plugins: [somon({ typeCheck: true })]`. */
declare const somon: UnpluginInstance<SomonPluginOptions | undefined, false>['rspack'];
export default somon;
export type { SomonPluginOptions };

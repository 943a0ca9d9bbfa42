import type { SomonPluginOptions } from './types';
import type { UnpluginInstance } from 'unplugin';

/** The SomonScript plugin for rollup: `plugins: [somon({ typeCheck: true })]`. */
declare const somon: UnpluginInstance<SomonPluginOptions | undefined, false>['rollup'] & {
  default: UnpluginInstance<SomonPluginOptions | undefined, false>['rollup'];
};
export = somon;

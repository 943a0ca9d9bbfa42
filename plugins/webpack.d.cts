import type { SomonPluginOptions } from './types';
import type { UnpluginInstance } from 'unplugin';

/** The SomonScript plugin for webpack: `plugins: [somon({ typeCheck: true })]`. */
declare const somon: UnpluginInstance<SomonPluginOptions | undefined, false>['webpack'] & {
  default: UnpluginInstance<SomonPluginOptions | undefined, false>['webpack'];
};
export = somon;

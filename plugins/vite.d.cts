import type { SomonPluginOptions } from './types';
import type { UnpluginInstance } from 'unplugin';

/** The SomonScript plugin for vite: `plugins: [somon({ typeCheck: true })]`. */
declare const somon: UnpluginInstance<SomonPluginOptions | undefined, false>['vite'] & {
  default: UnpluginInstance<SomonPluginOptions | undefined, false>['vite'];
};
export = somon;

import type { SomonPluginOptions } from './types';
import type { UnpluginInstance } from 'unplugin';

/** The SomonScript plugin for rolldown: `plugins: [somon({ typeCheck: true })]`. */
declare const somon: UnpluginInstance<SomonPluginOptions | undefined, false>['rolldown'] & {
  default: UnpluginInstance<SomonPluginOptions | undefined, false>['rolldown'];
};
export = somon;

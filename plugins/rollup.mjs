// `somonscript/rollup`: the SomonScript plugin for rollup (see ./unplugin.mjs).
export { rollup as default } from './unplugin.mjs';

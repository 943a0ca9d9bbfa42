// `somonscript/esbuild`: the SomonScript plugin for esbuild (see ./unplugin.mjs).
export { esbuild as default } from './unplugin.mjs';

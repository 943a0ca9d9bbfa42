// `somonscript/rolldown`: the SomonScript plugin for rolldown (see ./unplugin.mjs).
export { rolldown as default } from './unplugin.mjs';

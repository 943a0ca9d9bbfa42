// `somonscript/vite`: the SomonScript plugin for vite (see ./unplugin.mjs).
export { vite as default } from './unplugin.mjs';

// `somonscript/webpack`: the SomonScript plugin for webpack (see ./unplugin.mjs).
export { webpack as default } from './unplugin.mjs';

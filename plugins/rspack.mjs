// `somonscript/rspack`: the SomonScript plugin for rspack (see ./unplugin.mjs).
export { rspack as default } from './unplugin.mjs';

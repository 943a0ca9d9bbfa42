'use strict';
// `require('somonscript/rollup')`: the same plugin for CommonJS configuration
// files (unplugin is an ES module; Node ≥ 20.19 loads it with require()).
const plugin = require('./unplugin.mjs').rollup;
module.exports = plugin;
module.exports.default = plugin;

'use strict';
// `require('somonscript/vite')`: the same plugin for CommonJS configuration
// files (unplugin is an ES module; Node ≥ 20.19 loads it with require()).
const plugin = require('./unplugin.mjs').vite;
module.exports = plugin;
module.exports.default = plugin;

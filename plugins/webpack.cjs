'use strict';
// `require('somonscript/webpack')`: the same plugin for CommonJS configuration
// files (unplugin is an ES module; Node ≥ 20.19 loads it with require()).
const plugin = require('./unplugin.mjs').webpack;
module.exports = plugin;
module.exports.default = plugin;

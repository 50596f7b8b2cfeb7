// Jest globalTeardown: see temp-folder.js.
module.exports = require('./temp-folder').globalTeardown;

// Jest globalSetup: see temp-folder.js.
module.exports = require('./temp-folder').globalSetup;

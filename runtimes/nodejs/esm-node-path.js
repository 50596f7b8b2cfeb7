// Lets ES modules find packages on NODE_PATH's node_modules folders (the runtime's AWS SDK, layers), as they do on
// Lambda's Node.js runtimes: Node's own ESM resolution ignores NODE_PATH. A bare specifier that Node cannot resolve
// from the importing file is tried again from each node_modules folder on NODE_PATH, in order.
'use strict';
const path = require('path');
const { pathToFileURL } = require('url');

let enabled = false;

function fallbackParents() {
  return (process.env.NODE_PATH || '').split(path.delimiter)
    .filter((dir) => path.basename(dir) === 'node_modules')
    .map((dir) => pathToFileURL(path.join(path.dirname(dir), 'lambda-twin-resolve.mjs')).href);
}

function isBare(specifier) {
  return !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
}

/** Installs the resolve fallback once, before the first import() of a handler. */
function enableEsmNodePath() {
  if (enabled) return;
  enabled = true;
  const mod = require('module');
  if (typeof mod.registerHooks === 'function') {
    const parents = fallbackParents();
    mod.registerHooks({
      resolve(specifier, context, nextResolve) {
        try {
          return nextResolve(specifier, context);
        } catch (err) {
          if (err && err.code === 'ERR_MODULE_NOT_FOUND' && isBare(specifier)) {
            for (const parentURL of parents) {
              try {
                return nextResolve(specifier, { ...context, parentURL });
              } catch {
                // next folder
              }
            }
          }
          throw err;
        }
      },
    });
  } else if (typeof mod.register === 'function') {
    mod.register(pathToFileURL(path.join(__dirname, 'esm-node-path-hooks.mjs')).href, {
      data: { parents: fallbackParents() },
    });
  }
}

module.exports = { enableEsmNodePath };

// Module-customization hooks for Node.js versions without module.registerHooks (see esm-node-path.js).
let parents = [];

export function initialize(data) {
  parents = (data && data.parents) || [];
}

export async function resolve(specifier, context, nextResolve) {
  try {
    return await nextResolve(specifier, context);
  } catch (err) {
    if (err && err.code === 'ERR_MODULE_NOT_FOUND' && !/^(\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier)) {
      for (const parentURL of parents) {
        try {
          return await nextResolve(specifier, { ...context, parentURL });
        } catch {
          // next folder
        }
      }
    }
    throw err;
  }
}

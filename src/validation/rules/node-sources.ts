// Shared by the Node.js source rules (LT106-LT110): the handler's file and export, each file's parsed facts (once per
// pass), how Node.js will load a file (by extension and the nearest package.json `type`), and bare-module resolution
// against the package, its layers, the built-in modules and what the runtime provides.
import { builtinModules } from 'module';
import * as path from 'path';
import { nodeRuntimeProvides, runtimeInfo } from '../../model/platform';
import type { FunctionFacts } from '../context';
import type { PackageContents } from '../package';
import { handlerProblem } from './handler-string';
import { JavaScriptFacts, analyzeJavaScript } from '../sources/javascript';

const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs', ''];
const BUILTINS = new Set(builtinModules);

/** The handler's file in the package and the name it must export; undefined when the rules cannot look. */
export interface NodeHandler {
  readonly pkg: PackageContents;
  readonly file: string;
  readonly exportName: string;
}

export function nodeHandler(fn: FunctionFacts): NodeHandler | undefined {
  return fn.once('node-handler', () => findNodeHandler(fn));
}

function findNodeHandler(fn: FunctionFacts): NodeHandler | undefined {
  if (fn.family !== 'nodejs' || !fn.options.checkHandlerInPackage || !fn.handler || handlerProblem(fn)) return undefined;
  const pkg = fn.package;
  if (!pkg) return undefined;
  const handler = fn.handler;
  const slash = handler.lastIndexOf('/');
  const dot = handler.indexOf('.', slash + 1);
  if (dot <= slash + 1) return undefined;
  const modulePath = handler.slice(0, dot);
  const file = NODE_EXTENSIONS.map((ext) => `${modulePath}${ext}`).find((c) => pkg.files.has(c));
  return file ? { pkg, file, exportName: handler.slice(dot + 1).split('.')[0] } : undefined; // LT104 reports a missing file
}

/** A file's parsed facts, once per pass; undefined when it cannot be read. */
export function javaScriptOf(fn: FunctionFacts, pkg: PackageContents, file: string): JavaScriptFacts | undefined {
  return fn.pass.packages.memo(pkg, `js:${file}`, () => {
    const text = pkg.read(file);
    return text === undefined ? undefined : analyzeJavaScript(text);
  });
}

/** How Node.js loads a file: as ESM or CommonJS, and whether the package said so (`.mjs`/`.cjs`/`"type"`). */
export interface ModuleFormat {
  readonly format: 'module' | 'commonjs';
  readonly explicit: boolean;
  /** What decided it, for messages. */
  readonly because: string;
}

export function moduleFormatOf(fn: FunctionFacts, pkg: PackageContents, file: string): ModuleFormat | undefined {
  if (file.endsWith('.mjs')) return { format: 'module', explicit: true, because: 'its extension is .mjs' };
  if (file.endsWith('.cjs')) return { format: 'commonjs', explicit: true, because: 'its extension is .cjs' };
  if (!file.endsWith('.js')) return { format: 'commonjs', explicit: true, because: 'it has no extension, so it is required' };
  let dir = path.posix.dirname(file);
  for (;;) {
    const manifest = dir === '.' ? 'package.json' : `${dir}/package.json`;
    if (pkg.files.has(manifest)) {
      const type = fn.pass.packages.memo(pkg, `type:${manifest}`, () => packageType(pkg.read(manifest)));
      if (type === null) return undefined; // unreadable package.json: do not guess
      if (type === 'module') return { format: 'module', explicit: true, because: `${manifest} says "type": "module"` };
      if (type === 'commonjs') return { format: 'commonjs', explicit: true, because: `${manifest} says "type": "commonjs"` };
      return { format: 'commonjs', explicit: false, because: `${manifest} has no "type"` };
    }
    if (dir === '.') return { format: 'commonjs', explicit: false, because: 'no package.json in the package gives a "type"' };
    dir = path.posix.dirname(dir);
  }
}

function packageType(text: string | undefined): string | undefined | null {
  if (text === undefined) return null;
  try {
    const type = (JSON.parse(text) as { type?: unknown }).type;
    return typeof type === 'string' ? type : undefined;
  } catch {
    return null;
  }
}

/** The Node.js major version of the function's runtime (NaN when unknown). */
export function nodeMajor(fn: FunctionFacts): number {
  return Number(runtimeInfo(fn.runtime)?.version ?? NaN);
}

/** Every directory of a package, as `a/b/` (once per pass). */
function directoriesOf(fn: FunctionFacts, pkg: PackageContents): ReadonlySet<string> {
  return fn.pass.packages.memo(pkg, 'dirs', () => {
    const dirs = new Set<string>();
    for (const file of pkg.files.keys()) {
      let slash = file.indexOf('/');
      while (slash > 0) {
        dirs.add(file.slice(0, slash + 1));
        slash = file.indexOf('/', slash + 1);
      }
    }
    return dirs;
  });
}

/** The package name of a bare specifier (`@scope/name` or `name`), or undefined for relative, absolute and URL ones. */
export function bareModuleName(specifier: string): string | undefined {
  if (!specifier || specifier.startsWith('.') || specifier.startsWith('/') || /^[a-z]+:/i.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Where Node.js would find a bare module for a file of the function, or undefined when it would not. */
export function resolvesBareModule(
  fn: FunctionFacts, pkg: PackageContents, layers: readonly PackageContents[], file: string, specifier: string,
): boolean {
  if (specifier.startsWith('node:') || BUILTINS.has(specifier) || BUILTINS.has(specifier.split('/')[0])) return true;
  const name = bareModuleName(specifier);
  if (!name) return true;
  if (fn.runtime && nodeRuntimeProvides(fn.runtime, name, fn.inlineCode !== undefined)) return true;
  const dirs = directoriesOf(fn, pkg);
  // node_modules in the file's folder and every folder above it, up to the package root (/var/task).
  let dir = path.posix.dirname(file);
  for (;;) {
    const prefix = dir === '.' ? '' : `${dir}/`;
    if (dirs.has(`${prefix}node_modules/${name}/`) || pkg.files.has(`${prefix}node_modules/${name}.js`)) return true;
    if (dir === '.') break;
    dir = path.posix.dirname(dir);
  }
  // NODE_PATH ends with /var/task: a bare name also resolves to a file or folder at the package root.
  if (dirs.has(`${name}/`) || pkg.files.has(`${name}.js`) || pkg.files.has(name)) return true;
  const major = nodeMajor(fn);
  return layers.some((layer) => {
    const layerDirs = directoriesOf(fn, layer);
    return layerDirs.has(`nodejs/node_modules/${name}/`) || layerDirs.has(`nodejs/node${major}/node_modules/${name}/`);
  });
}

/** The package file a relative specifier of `file` loads, if it is a JavaScript file in the package. */
export function resolveRelative(pkg: PackageContents, file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  const candidates = [base, `${base}.js`, `${base}.mjs`, `${base}.cjs`, `${base}/index.js`, `${base}/index.mjs`, `${base}/index.cjs`];
  return candidates.find((c) => /\.(c|m)?js$/.test(c) && pkg.files.has(c));
}

/** The contents of the function's layers, or undefined when one of them cannot be inspected (imported or unreadable). */
export function layerContents(fn: FunctionFacts): PackageContents[] | undefined {
  const declared = Array.isArray(fn.props.Layers) ? fn.props.Layers.length : 0;
  const local = fn.localLayers;
  if (local.length !== declared) return undefined;
  const contents: PackageContents[] = [];
  for (const layer of local) {
    const pkg = fn.layerPackage(layer);
    if (!pkg) return undefined;
    contents.push(pkg);
  }
  return contents;
}

// Reads deployment packages (asset directories, zip files via yauzl's central directory, inline code) once
// and caches them, and checks that a Python/Node.js handler's file exists and defines the handler function.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as yauzl from 'yauzl';
import type { FunctionFacts } from './context';
import { RULES } from './rules';

/** A read-only view of a deployment package: file list with uncompressed sizes, and file contents on demand. */
export interface PackageContents {
  /** Posix-style relative path → uncompressed size in bytes (files only). */
  readonly files: ReadonlyMap<string, number>;
  /** Sum of uncompressed file sizes. */
  readonly unzippedBytes: number;
  /** Size of the zip file, when the package is a zip. */
  readonly zippedBytes?: number;
  /** Text of a file, or undefined if absent/unreadable. Cached. */
  read(relativePath: string): string | undefined;
}

interface CacheEntry { readonly stamp: string; readonly contents: PackageContents }
const packageCache = new Map<string, CacheEntry>();
/** Paths whose freshness was checked in the current validation pass (synthesis is synchronous: no re-stat needed). */
const checkedThisPass = new Set<string>();
/** Handler lookups already answered for a package: `<file>#<name>` → defined? */
const handlerMemo = new WeakMap<PackageContents, Map<string, boolean>>();

/** Forget cached packages (tests). */
export function clearPackageCache(): void {
  packageCache.clear();
  checkedThisPass.clear();
}

/** Called at the end of a validation pass: the next pass re-checks that cached packages are unchanged. */
export function endPackagePass(): void {
  checkedThisPass.clear();
}

/**
 * Returns the contents of an asset directory or zip, read once per path (and re-read only if it changed).
 * Returns undefined when the path does not exist or cannot be read.
 */
export function packageAt(assetPath: string): PackageContents | undefined {
  if (checkedThisPass.has(assetPath)) return packageCache.get(assetPath)?.contents;
  if (checkedThisPass.size === 0) setImmediate(endPackagePass);
  checkedThisPass.add(assetPath);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(assetPath);
  } catch {
    return undefined;
  }
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const cached = packageCache.get(assetPath);
  if (cached && cached.stamp === stamp) return cached.contents;
  let contents: PackageContents | undefined;
  try {
    contents = stat.isDirectory() ? readDirectory(assetPath) : readZip(assetPath, stat.size);
  } catch {
    contents = undefined;
  }
  if (contents) packageCache.set(assetPath, { stamp, contents });
  return contents;
}

/** A package made of one inline source file (ZipFile code), named like Lambda names it. */
export function inlinePackage(fileName: string, source: string): PackageContents {
  const bytes = Buffer.byteLength(source);
  return {
    files: new Map([[fileName, bytes]]),
    unzippedBytes: bytes,
    read: (p) => (p === fileName ? source : undefined),
  };
}

function readDirectory(root: string): PackageContents {
  const files = new Map<string, number>();
  let total = 0;
  const walk = (dir: string, prefix: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      let isDir = entry.isDirectory();
      let isFile = entry.isFile();
      if (entry.isSymbolicLink()) {
        const target = fs.statSync(abs, { throwIfNoEntry: false });
        isDir = !!target?.isDirectory();
        isFile = !!target?.isFile();
      }
      if (isDir) {
        walk(abs, rel);
      } else if (isFile) {
        const size = fs.statSync(abs).size;
        files.set(rel, size);
        total += size;
      }
    }
  };
  walk(root, '');
  const texts = new Map<string, string | undefined>();
  return {
    files,
    unzippedBytes: total,
    read: (p) => {
      if (!files.has(p)) return undefined;
      if (!texts.has(p)) texts.set(p, safeRead(() => fs.readFileSync(path.join(root, p), 'utf8')));
      return texts.get(p);
    },
  };
}

/** yauzl reader that answers synchronously, so the central directory can be read inside CDK validation. */
class SyncFileReader extends yauzl.RandomAccessReader {
  constructor(private readonly fd: number) {
    super();
  }
  public _readStreamForRange(start: number, end: number) {
    return fs.createReadStream('', { fd: this.fd, start, end: end - 1, autoClose: false });
  }
  public read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void) {
    try {
      let done = 0;
      while (done < length) {
        const n = fs.readSync(this.fd, buffer, offset + done, length - done, position + done);
        if (n === 0) throw new Error('unexpected end of zip file');
        done += n;
      }
    } catch (e) {
      callback(e as Error);
      return;
    }
    callback(null);
  }
}

interface ZipEntryInfo { readonly offset: number; readonly compressedSize: number; readonly method: number }

function readZip(file: string, size: number): PackageContents {
  const fd = fs.openSync(file, 'r');
  const entries = new Map<string, ZipEntryInfo>();
  const files = new Map<string, number>();
  let total = 0;
  try {
    let error: Error | null = null;
    let zip: yauzl.ZipFile | undefined;
    yauzl.fromRandomAccessReader(new SyncFileReader(fd), size,
      { lazyEntries: true, autoClose: false, decodeStrings: true, validateEntrySizes: false, strictFileNames: false },
      (err, z) => { error = err; zip = z; });
    if (!zip) throw error ?? new Error(`could not read the zip central directory of ${file}`);
    const z: yauzl.ZipFile = zip;
    let seen = 0;
    z.on('entry', (e: yauzl.Entry) => {
      seen++;
      if (e.fileName.endsWith('/')) return;
      const name = e.fileName.replace(/^\.\//, '');
      files.set(name, e.uncompressedSize);
      total += e.uncompressedSize;
      entries.set(name, { offset: e.relativeOffsetOfLocalHeader, compressedSize: e.compressedSize, method: e.compressionMethod });
    });
    z.on('error', (e: Error) => { error = e; });
    while (seen < z.entryCount && !error) {
      const before = seen;
      z.readEntry();
      if (seen === before) break; // the reader did not answer synchronously: give up on the rest
    }
    if (error) throw error;
  } finally {
    fs.closeSync(fd);
  }
  const texts = new Map<string, string | undefined>();
  return {
    files,
    unzippedBytes: total,
    zippedBytes: size,
    read: (p) => {
      const entry = entries.get(p);
      if (!entry) return undefined;
      if (!texts.has(p)) texts.set(p, safeRead(() => readZipEntry(file, entry)));
      return texts.get(p);
    },
  };
}

function readZipEntry(file: string, entry: ZipEntryInfo): string {
  const fd = fs.openSync(file, 'r');
  try {
    const header = Buffer.alloc(30);
    fs.readSync(fd, header, 0, 30, entry.offset);
    if (header.readUInt32LE(0) !== 0x04034b50) throw new Error('bad local file header');
    const dataStart = entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    const data = Buffer.alloc(entry.compressedSize);
    fs.readSync(fd, data, 0, entry.compressedSize, dataStart);
    if (entry.method === 0) return data.toString('utf8');
    if (entry.method === 8) return zlib.inflateRawSync(data).toString('utf8');
    throw new Error(`unsupported compression method ${entry.method}`);
  } finally {
    fs.closeSync(fd);
  }
}

function safeRead(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Static check: does this Python source define `name` at module level? */
export function pythonDefines(source: string, name: string): boolean {
  const n = escapeRegExp(name);
  return [
    new RegExp(`^(?:async[ \\t]+)?def[ \\t]+${n}[ \\t]*\\(`, 'm'),
    new RegExp(`^class[ \\t]+${n}\\b`, 'm'),
    new RegExp(`^${n}[ \\t]*(?::[^=\\n]*)?=(?!=)`, 'm'),
    new RegExp(`^from[ \\t]+\\S+[ \\t]+import[ \\t]+[^\\n]*\\b${n}\\b`, 'm'),
    new RegExp(`^import[ \\t]+[^\\n]*\\bas[ \\t]+${n}\\b`, 'm'),
  ].some((re) => re.test(source));
}

/**
 * Static check: does this JavaScript module export `name`? Returns true when it cannot tell
 * (e.g. `module.exports = someValue`, `export * from`), so the rule never reports a false positive there.
 */
export function nodeExports(source: string, name: string): boolean {
  const n = escapeRegExp(name);
  const definite = [
    new RegExp(`\\b(?:module\\.)?exports\\.${n}\\s*=`),
    new RegExp(`\\b(?:module\\.)?exports\\[\\s*['"\`]${n}['"\`]\\s*\\]\\s*=`),
    new RegExp(`\\bmodule\\.exports\\s*=\\s*\\{[^}]*\\b${n}\\b`),
    new RegExp(`\\bexport\\s+(?:const|let|var|class|function\\*?|async\\s+function\\*?)\\s+${n}\\b`),
    new RegExp(`Object\\.defineProperty\\(\\s*(?:module\\.)?exports\\s*,\\s*['"]${n}['"]`),
  ];
  if (name === 'default' && /\bexport\s+default\b/.test(source)) return true;
  if (exportClauseNames(source).includes(name)) return true;
  if (definite.some((re) => re.test(source))) return true;
  const opaque = [
    /\bmodule\.exports\s*=(?!\s*\{)/, // module.exports = fn / require(...) / __toCommonJS(...)
    /\bexport\s*\*\s*from\b/,
    /__exportStar\(/,
  ];
  return opaque.some((re) => re.test(source));
}

/** Names exported by `export { a, b as c }` clauses (the exported side of each `as`). */
function exportClauseNames(source: string): string[] {
  const names: string[] = [];
  for (const clause of source.matchAll(/\bexport\s*\{([^}]*)\}/g)) {
    for (const spec of clause[1].split(',')) {
      const parts = spec.trim().split(/\s+as\s+/);
      const exported = parts[parts.length - 1]?.trim();
      if (exported) names.push(exported.replace(/^['"]|['"]$/g, ''));
    }
  }
  return names;
}

const PYTHON_NATIVE = ['.so', '.pyc'];
const NODE_EXTENSIONS = ['.js', '.mjs', '.cjs', ''];

/** Checks that a Python/Node.js handler's file exists in the package and defines the handler function. */
export function checkHandlerInPackage(fn: FunctionFacts, pkg: PackageContents): void {
  const handler = fn.handler;
  if (!handler || !fn.family) return;
  if (fn.family === 'python') {
    const dot = handler.lastIndexOf('.');
    if (dot <= 0) return; // LT101 reports the format
    const modulePath = handler.slice(0, dot).replace(/\./g, '/');
    const funcName = handler.slice(dot + 1);
    const candidates = [`${modulePath}.py`, `${modulePath}/__init__.py`];
    const file = candidates.find((c) => pkg.files.has(c));
    if (!file) {
      const native = [...pkg.files.keys()].some((f) => PYTHON_NATIVE.some((ext) => f.startsWith(modulePath) && f.endsWith(ext)));
      if (native) return;
      fn.report(RULES.handlerFileMissing, `Handler "${handler}": no ${candidates.join(' or ')} in the package${describeTop(pkg)}.`);
      return;
    }
    if (!memo(pkg, `${file}#${funcName}`, () => { const t = pkg.read(file); return t === undefined || pythonDefines(t, funcName); })) {
      fn.report(RULES.handlerFunctionMissing, `Handler "${handler}": ${file} has no module-level "def ${funcName}" (or assignment to ${funcName}).`);
    }
    return;
  }
  if (fn.family === 'nodejs') {
    const slash = handler.lastIndexOf('/');
    const dot = handler.indexOf('.', slash + 1);
    if (dot <= slash + 1) return;
    const modulePath = handler.slice(0, dot);
    const exportName = handler.slice(dot + 1).split('.')[0];
    const candidates = NODE_EXTENSIONS.map((ext) => `${modulePath}${ext}`);
    const file = candidates.find((c) => pkg.files.has(c));
    if (!file) {
      fn.report(RULES.handlerFileMissing, `Handler "${handler}": none of ${candidates.filter((c) => c !== modulePath).join(', ')} is in the package${describeTop(pkg)}.`);
      return;
    }
    if (!memo(pkg, `${file}#${exportName}`, () => { const t = pkg.read(file); return t === undefined || nodeExports(t, exportName); })) {
      fn.report(RULES.handlerFunctionMissing, `Handler "${handler}": ${file} does not export "${exportName}" (looked for exports.${exportName}, module.exports, export const/function ${exportName}, export { ${exportName} }).`);
    }
  }
}

function memo(pkg: PackageContents, key: string, compute: () => boolean): boolean {
  let answers = handlerMemo.get(pkg);
  if (!answers) {
    answers = new Map();
    handlerMemo.set(pkg, answers);
  }
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = compute();
    answers.set(key, answer);
  }
  return answer;
}

function describeTop(pkg: PackageContents): string {
  const top = [...new Set([...pkg.files.keys()].map((f) => f.split('/')[0]))].slice(0, 8);
  return top.length ? ` (top level: ${top.join(', ')})` : ' (the package is empty)';
}

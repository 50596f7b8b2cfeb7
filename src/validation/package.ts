// Reads deployment packages (asset directories, zip files via yauzl's central directory, inline code) once per
// validation pass, and the static checks that a Python/Node.js handler's file exists and defines the handler function.
import * as fs from 'fs';
import * as path from 'path';
import * as zlib from 'zlib';
import * as yauzl from 'yauzl';

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

/** What reading a package gave: its contents, or why it could not be read. */
export interface PackageRead {
  readonly contents?: PackageContents;
  /** Why the package could not be read (missing path, not a zip, unreadable); the rules report LT002. */
  readonly failure?: string;
}

/** Reads each deployment package of one validation pass once (the pass owns the reader). */
export class PackageReader {
  private readonly reads = new Map<string, PackageRead>();
  /** Handler lookups already answered for a package: `<file>#<name>` → defined? */
  private readonly answers = new WeakMap<PackageContents, Map<string, unknown>>();

  /** The contents of an asset directory or zip, or why it cannot be read. */
  public read(assetPath: string): PackageRead {
    let read = this.reads.get(assetPath);
    if (!read) {
      read = readPackage(assetPath);
      this.reads.set(assetPath, read);
    }
    return read;
  }

  /** The contents, or undefined when the package cannot be read (callers that report LT002 use `read`). */
  public at(assetPath: string): PackageContents | undefined {
    return this.read(assetPath).contents;
  }

  /** Computes a fact about a package once per pass (e.g. "does index.js export handler?"). */
  public memo<T>(pkg: PackageContents, key: string, compute: () => T): T {
    let answers = this.answers.get(pkg);
    if (!answers) {
      answers = new Map();
      this.answers.set(pkg, answers);
    }
    if (!answers.has(key)) answers.set(key, compute());
    return answers.get(key) as T;
  }
}

/** Reads an asset directory or zip. */
export function readPackage(assetPath: string): PackageRead {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(assetPath);
  } catch (e) {
    return { failure: `${assetPath} does not exist or cannot be opened (${(e as NodeJS.ErrnoException).code ?? String(e)})` };
  }
  try {
    return { contents: stat.isDirectory() ? readDirectory(assetPath) : readZip(assetPath, stat.size) };
  } catch (e) {
    return { failure: `${assetPath} cannot be read as a ${stat.isDirectory() ? 'directory' : 'zip file'}: ${e instanceof Error ? e.message : String(e)}` };
  }
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

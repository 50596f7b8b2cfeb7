// Safe extraction of deployment packages and layer zips. Nothing is written outside the target, whatever the
// archive holds: files and folders are written first without ever following a link (each parent folder is
// checked with lstat, files are opened with O_NOFOLLOW | O_EXCL), and symbolic links are created last, only
// after their target has been resolved through every other link of the archive and found to stay inside.
// File modes (exec bits) are kept; set-id bits are not.
/* eslint-disable no-bitwise -- zip entries carry Unix file modes, which are bit fields */
import * as fs from 'fs';
import * as path from 'path';
import * as yauzl from 'yauzl';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;
/** As the kernel's own limit on links followed while resolving one path (ELOOP). */
const MAX_LINK_HOPS = 40;
/** A link target longer than this is not a link anyone meant (PATH_MAX). */
const MAX_LINK_TARGET = 4096;

/** Extracts `zipPath` into `target`. Throws (naming the zip and entry) on an unsafe entry. */
export async function extractZip(zipPath: string, target: string): Promise<void> {
  const root = path.resolve(target);
  fs.mkdirSync(root, { recursive: true });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z!))),
  ).catch((err: Error) => {
    throw new Error(`Cannot read zip ${zipPath}: ${err.message}`);
  });
  const unsafe = (name: string, why: string) => new Error(`Unsafe zip entry '${name}' in ${zipPath}: ${why}`);
  /** Links to create once every file is written, by relative path (a later entry of the same name wins). */
  const links = new Map<string, string>();
  /** The relative paths written as files or folders, to catch a link and a file or folder sharing a path. */
  const written = new Map<string, 'file' | 'dir'>();

  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (err: Error) => {
      if (failed) return;
      failed = true;
      zip.close();
      reject(err);
    };
    const next = (work: () => void) => {
      try {
        work();
      } catch (err) {
        fail(err as Error);
      }
    };
    zip.on('error', (err: Error) => {
      // yauzl itself refuses names that climb out or are absolute: say so in the same words as our own check.
      const refused = /^(?:invalid relative path|absolute path): (.*)$/.exec(err.message);
      fail(refused
        ? unsafe(refused[1], 'it would be written outside the extraction folder')
        : new Error(`Cannot read zip ${zipPath}: ${err.message}`));
    });
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => next(() => {
      const name = entry.fileName;
      const rel = relativeName(name);
      if (rel === undefined) throw unsafe(name, 'it would be written outside the extraction folder');
      const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
      const type = mode & S_IFMT;
      const isDir = name.endsWith('/') || type === S_IFDIR;
      if (rel === '') {
        if (!isDir) throw unsafe(name, 'it names the extraction folder itself');
        zip.readEntry();
        return;
      }
      const under = linkAbove(rel, links);
      if (under) throw unsafe(name, `it would be written through the symbolic link '${under}' of the same archive`);
      if (isDir) {
        if (links.has(rel) || written.get(rel) === 'file') throw unsafe(name, 'a folder and another entry share this path');
        makeDirs(root, rel, name, unsafe);
        written.set(rel, 'dir');
        zip.readEntry();
        return;
      }
      zip.openReadStream(entry, (err, stream) => next(() => {
        if (err || !stream) throw new Error(`Cannot read entry '${name}' of ${zipPath}: ${err?.message}`);
        if (type === S_IFLNK) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', fail);
          stream.on('end', () => next(() => {
            const linkTarget = Buffer.concat(chunks).toString('utf8');
            if (written.has(rel)) throw unsafe(name, 'a symbolic link and another entry share this path');
            if (linkTarget === '' || linkTarget.length > MAX_LINK_TARGET || linkTarget.includes('\0')) {
              throw new Error(`Unsafe symlink '${name}' -> '${linkTarget.slice(0, 200)}' in ${zipPath}: it is not a valid link target`);
            }
            if (path.isAbsolute(linkTarget)) {
              throw new Error(`Unsafe symlink '${name}' -> '${linkTarget}' in ${zipPath}: it points outside the package`);
            }
            links.set(rel, linkTarget);
            zip.readEntry();
          }));
          return;
        }
        if (links.has(rel) || written.get(rel) === 'dir') throw unsafe(name, 'a file and another entry share this path');
        const parent = path.posix.dirname(rel);
        if (parent !== '.') makeDirs(root, parent, name, unsafe);
        const fd = openNewFile(path.join(root, rel), mode, name, unsafe);
        written.set(rel, 'file');
        const out = fs.createWriteStream('', { fd });
        stream.on('error', (e) => {
          out.destroy();
          fail(e);
        });
        out.on('error', (e) => fail(e));
        out.on('finish', () => zip.readEntry());
        stream.pipe(out);
      }));
    }));
    zip.readEntry();
  });

  // Links last: no write above ever went through one. Each must resolve, through all the others, inside.
  for (const [rel, linkTarget] of links) {
    const problem = escapes(rel, linkTarget, links);
    if (problem) throw new Error(`Unsafe symlink '${rel}' -> '${linkTarget}' in ${zipPath}: ${problem}`);
  }
  for (const [rel, linkTarget] of links) {
    const parent = path.posix.dirname(rel);
    if (parent !== '.') makeDirs(root, parent, rel, unsafe);
    const dest = path.join(root, rel);
    const existing = lstatOrUndefined(dest);
    if (existing) throw unsafe(rel, 'a symbolic link and another entry share this path');
    fs.symlinkSync(linkTarget, dest);
  }
}

/** The entry's path relative to the target ('' for the target itself), or undefined when it climbs out. */
function relativeName(name: string): string | undefined {
  if (name.includes('\0') || name.includes('\\') || path.posix.isAbsolute(name)) return undefined;
  const normal = path.posix.normalize(name).replace(/\/+$/, '');
  if (normal === '.' || normal === '') return '';
  if (normal === '..' || normal.startsWith('../')) return undefined;
  return normal;
}

/** The first proper prefix of `rel` that is a link of the archive, if any. */
function linkAbove(rel: string, links: Map<string, string>): string | undefined {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (links.has(prefix)) return prefix;
  }
  return undefined;
}

/** Creates each folder of `rel` under `root`, refusing any component that exists as anything but a real folder. */
function makeDirs(root: string, rel: string, name: string, unsafe: (name: string, why: string) => Error): void {
  let at = root;
  for (const part of rel.split('/')) {
    at = path.join(at, part);
    const stat = lstatOrUndefined(at);
    if (!stat) {
      fs.mkdirSync(at, { mode: 0o755 });
    } else if (stat.isSymbolicLink()) {
      throw unsafe(name, `it would be written through the symbolic link '${path.relative(root, at)}'`);
    } else if (!stat.isDirectory()) {
      throw unsafe(name, `'${path.relative(root, at)}' is a file, not a folder`);
    }
  }
}

/** Opens a new file for writing without following a link; a regular file of the same name (a duplicate entry) is replaced. */
function openNewFile(dest: string, mode: number, name: string, unsafe: (name: string, why: string) => Error): number {
  const existing = lstatOrUndefined(dest);
  if (existing) {
    if (!existing.isFile()) throw unsafe(name, 'a file and another entry share this path');
    fs.unlinkSync(dest); // a later entry of the same name wins, as with unzip; unlink never follows a link
  }
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  const fd = fs.openSync(dest, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  fs.fchmodSync(fd, (mode & 0o777) || 0o644);
  return fd;
}

function lstatOrUndefined(file: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Why the link at `rel` → `linkTarget` would lead outside the package when resolved as the kernel does, through
 * every link of the archive (a `..` after a link climbs from the link's target, not from the link), or undefined
 * when it stays inside. Resolution that leaves the package at any step counts as leaving it.
 */
function escapes(rel: string, linkTarget: string, links: Map<string, string>): string | undefined {
  const at = rel.split('/');
  at.pop(); // a link's target is relative to the folder holding it
  let pending = linkTarget.split('/');
  let hops = 0;
  while (pending.length > 0) {
    const part = pending.shift()!;
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (at.length === 0) return 'it points outside the package';
      at.pop();
      continue;
    }
    at.push(part);
    const through = links.get(at.join('/'));
    if (through === undefined) continue;
    if (++hops > MAX_LINK_HOPS) return 'it leads to a loop of symbolic links';
    if (path.isAbsolute(through)) return 'it points outside the package';
    at.pop();
    pending = [...through.split('/'), ...pending];
  }
  return undefined;
}

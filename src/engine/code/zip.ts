// Safe extraction of deployment packages and layer zips: entries that would land outside the target
// (path traversal, absolute paths, escaping symlinks) are rejected, and file modes (exec bits) are kept.
/* eslint-disable no-bitwise -- zip entries carry Unix file modes, which are bit fields */
import * as fs from 'fs';
import * as path from 'path';
import * as yauzl from 'yauzl';

const S_IFMT = 0o170000;
const S_IFLNK = 0o120000;
const S_IFDIR = 0o040000;

/** Extracts `zipPath` into `target`. Throws (naming the zip and entry) on an unsafe entry. */
export async function extractZip(zipPath: string, target: string): Promise<void> {
  const root = path.resolve(target);
  fs.mkdirSync(root, { recursive: true });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true, decodeStrings: true, validateEntrySizes: true }, (err, z) => (err ? reject(err) : resolve(z!))),
  ).catch((err: Error) => {
    throw new Error(`Cannot read zip ${zipPath}: ${err.message}`);
  });

  await new Promise<void>((resolve, reject) => {
    const fail = (err: Error) => {
      zip.close();
      reject(err);
    };
    zip.on('error', (err: Error) => {
      // yauzl itself refuses names that climb out or are absolute: say so in the same words as our own check.
      const unsafe = /^(?:invalid relative path|absolute path): (.*)$/.exec(err.message);
      fail(new Error(unsafe
        ? `Unsafe zip entry '${unsafe[1]}' in ${zipPath}: it would be written outside the extraction folder`
        : `Cannot read zip ${zipPath}: ${err.message}`));
    });
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = entry.fileName;
      const dest = path.resolve(root, name);
      if (path.isAbsolute(name) || !(dest === root || dest.startsWith(root + path.sep))) {
        fail(new Error(`Unsafe zip entry '${name}' in ${zipPath}: it would be written outside the extraction folder`));
        return;
      }
      const mode = (entry.externalFileAttributes >>> 16) & 0xffff;
      const type = mode & S_IFMT;
      if (name.endsWith('/') || type === S_IFDIR) {
        fs.mkdirSync(dest, { recursive: true });
        zip.readEntry();
        return;
      }
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) {
          fail(new Error(`Cannot read entry '${name}' of ${zipPath}: ${err?.message}`));
          return;
        }
        if (type === S_IFLNK) {
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            const linkTarget = Buffer.concat(chunks).toString('utf8');
            const resolved = path.resolve(path.dirname(dest), linkTarget);
            if (path.isAbsolute(linkTarget) || !(resolved === root || resolved.startsWith(root + path.sep))) {
              fail(new Error(`Unsafe symlink '${name}' -> '${linkTarget}' in ${zipPath}: it points outside the package`));
              return;
            }
            fs.symlinkSync(linkTarget, dest);
            zip.readEntry();
          });
          return;
        }
        const out = fs.createWriteStream(dest, { mode: (mode & 0o777) || 0o644 });
        stream.pipe(out);
        out.on('finish', () => zip.readEntry());
        out.on('error', (e) => fail(e));
      });
    });
    zip.readEntry();
  });
}

// Extraction that cannot escape: archives built with a real zip writer (yazl) whose links try to carry a later
// write, or themselves, outside the extraction folder — chains of links, links to links, a link and a folder of
// the same name, duplicate entries — and a property test over random archives.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import fc from 'fast-check';
import * as yazl from 'yazl';
import { extractZip } from '../../src/engine/code/zip';

type ZipEntry =
  | { readonly kind: 'file'; readonly name: string; readonly content?: string; readonly mode?: number }
  | { readonly kind: 'dir'; readonly name: string }
  | { readonly kind: 'link'; readonly name: string; readonly target: string };

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-zip-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
let count = 0;

/** Writes a zip of `entries`, in order, with yazl. */
async function writeZip(entries: readonly ZipEntry[]): Promise<string> {
  const file = path.join(scratch, `archive-${++count}.zip`);
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.kind === 'dir') zip.addEmptyDirectory(e.name, { mode: 0o40755 });
    else if (e.kind === 'link') zip.addBuffer(Buffer.from(e.target), e.name, { mode: 0o120777 });
    else zip.addBuffer(Buffer.from(e.content ?? 'x'), e.name, { mode: e.mode ?? 0o100644 });
  }
  zip.end();
  await new Promise<void>((resolve, reject) => {
    const out = fs.createWriteStream(file);
    zip.outputStream.pipe(out).on('close', resolve).on('error', reject);
  });
  return file;
}

/**
 * A fresh folder holding the extraction target `box/target` beside a sentinel `box/sentinel/keep.txt`: what lies
 * outside the target is then exactly ['sentinel', 'target'] with one unchanged file, unless something escaped.
 */
function freshBox(): { box: string; target: string } {
  const box = fs.mkdtempSync(path.join(scratch, 'box-'));
  fs.mkdirSync(path.join(box, 'sentinel'));
  fs.writeFileSync(path.join(box, 'sentinel', 'keep.txt'), 'keep');
  return { box, target: path.join(box, 'target') };
}

function outsideUntouched(box: string): boolean {
  return JSON.stringify(fs.readdirSync(box).sort()) === JSON.stringify(['sentinel', 'target'])
    && JSON.stringify(fs.readdirSync(path.join(box, 'sentinel'))) === JSON.stringify(['keep.txt'])
    && fs.readFileSync(path.join(box, 'sentinel', 'keep.txt'), 'utf8') === 'keep'
    && !fs.existsSync(path.join(scratch, 'escaped.txt'));
}

/** Every link in the tree that resolves at all resolves inside `root`. */
function linksStayInside(root: string): boolean {
  const real = fs.realpathSync(root);
  const walk = (dir: string): boolean => fs.readdirSync(dir, { withFileTypes: true }).every((d) => {
    const at = path.join(dir, d.name);
    if (d.isSymbolicLink()) {
      let resolved: string;
      try {
        resolved = fs.realpathSync(at);
      } catch {
        return true; // dangling, or a loop the kernel refuses: it leads nowhere
      }
      return resolved === real || resolved.startsWith(real + path.sep);
    }
    return d.isDirectory() ? walk(at) : true;
  });
  return walk(root);
}

describe('extraction that cannot escape', () => {
  it('extracts files with their modes, folders and in-package links (also links to links)', async () => {
    const zip = await writeZip([
      { kind: 'file', name: 'bin/run', content: '#!/bin/sh\n', mode: 0o104755 },
      { kind: 'dir', name: 'empty/' },
      { kind: 'file', name: 'lib/v1/data.txt', content: 'data' },
      { kind: 'link', name: 'lib/current', target: 'v1' },
      { kind: 'link', name: 'alias', target: 'lib/current/data.txt' },
      { kind: 'link', name: 'alias2', target: 'alias' },
    ]);
    const { box, target } = freshBox();
    await extractZip(zip, target);
    expect(fs.readFileSync(path.join(target, 'alias2'), 'utf8')).toBe('data');
    expect(fs.statSync(path.join(target, 'bin', 'run')).mode.toString(8).slice(-4)).toBe('0755'); // exec kept, setuid dropped
    expect(fs.statSync(path.join(target, 'empty')).isDirectory()).toBe(true);
    expect(outsideUntouched(box)).toBe(true);
  });

  it.each<[string, ZipEntry[], RegExp]>([
    ['the chain a/b → .., a/b/c → .. with a file under the deepest link', [
      { kind: 'link', name: 'a/b', target: '..' },
      { kind: 'link', name: 'a/b/c', target: '..' },
      { kind: 'file', name: 'a/b/c/escaped.txt' },
    ], /Unsafe zip entry 'a\/b\/c' .*through the symbolic link 'a\/b'/],
    ['a file under a link that stays inside', [
      { kind: 'dir', name: 'real/' },
      { kind: 'link', name: 'in', target: 'real' },
      { kind: 'file', name: 'in/x.txt' },
    ], /Unsafe zip entry 'in\/x\.txt' .*through the symbolic link 'in'/],
    ['a link to a link that climbs out', [
      { kind: 'link', name: 'd/up', target: '../..' },
      { kind: 'link', name: 'via', target: 'd/up' },
    ], /Unsafe symlink 'd\/up' -> '\.\.\/\.\.'.*outside the package/],
    ['a link whose `..` climbs from another link\'s target', [
      { kind: 'link', name: 'd1/d2/top', target: '../..' },
      { kind: 'link', name: 'x', target: 'd1/d2/top/../..' },
    ], /Unsafe symlink 'x' -> 'd1\/d2\/top\/\.\.\/\.\.'.*outside the package/],
    ['a loop of links', [
      { kind: 'link', name: 'p', target: 'q' },
      { kind: 'link', name: 'q', target: 'p/x' },
    ], /loop of symbolic links/],
    ['a link replaced by a folder later in the archive', [
      { kind: 'link', name: 'a', target: '.' },
      { kind: 'dir', name: 'a/' },
      { kind: 'file', name: 'a/f.txt' },
    ], /Unsafe zip entry 'a\/' .*share this path/],
    ['a folder replaced by a link later in the archive', [
      { kind: 'dir', name: 'a/' },
      { kind: 'link', name: 'a', target: '..' },
    ], /Unsafe zip entry 'a' .*share this path/],
    ['a file and a link of the same name', [
      { kind: 'file', name: 'same' },
      { kind: 'link', name: 'same', target: '../escaped.txt' },
    ], /Unsafe zip entry 'same' .*share this path/],
  ])('refuses %s and writes nothing outside', async (label, entries, message) => {
    const zip = await writeZip(entries);
    const { box, target } = freshBox();
    await expect(extractZip(zip, target)).rejects.toThrow(message);
    expect(outsideUntouched(box)).toBe(true);
    expect(linksStayInside(target)).toBe(true);
  });

  it('lets a later duplicate of a file replace the earlier one, never through a link', async () => {
    const zip = await writeZip([
      { kind: 'file', name: 'dup.txt', content: 'first' },
      { kind: 'file', name: 'dup.txt', content: 'second' },
    ]);
    const { box, target } = freshBox();
    await extractZip(zip, target);
    expect(fs.readFileSync(path.join(target, 'dup.txt'), 'utf8')).toBe('second');
    expect(outsideUntouched(box)).toBe(true);
  });

  it('never follows a link already in the target folder', async () => {
    const zip = await writeZip([{ kind: 'file', name: 'planted/escaped.txt' }, { kind: 'file', name: 'file.txt' }]);
    const { box, target } = freshBox();
    fs.mkdirSync(target);
    fs.symlinkSync('..', path.join(target, 'planted'));
    await expect(extractZip(zip, target)).rejects.toThrow(/through the symbolic link 'planted'/);
    fs.rmSync(path.join(target, 'planted'));
    fs.symlinkSync('../sentinel/keep.txt', path.join(target, 'file.txt'));
    await expect(extractZip(await writeZip([{ kind: 'file', name: 'file.txt', content: 'overwritten' }]), target))
      .rejects.toThrow(/share this path/);
    expect(outsideUntouched(box)).toBe(true);
  });

  it('never writes outside the target, whatever random archive it is given', async () => {
    const part = fc.constantFrom('a', 'b', 'c');
    const name = fc.array(part, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));
    const linkTarget = fc.array(fc.constantFrom('..', '.', 'a', 'b', 'c', 'sentinel', 'keep.txt', 'target'), { minLength: 1, maxLength: 5 })
      .map((parts) => parts.join('/'));
    const entry: fc.Arbitrary<ZipEntry> = fc.oneof(
      name.map((n) => ({ kind: 'file' as const, name: n })),
      name.map((n) => ({ kind: 'dir' as const, name: `${n}/` })),
      fc.tuple(name, linkTarget).map(([n, t]) => ({ kind: 'link' as const, name: n, target: t })),
    );
    await fc.assert(fc.asyncProperty(fc.array(entry, { minLength: 1, maxLength: 8 }), async (entries) => {
      const zip = await writeZip(entries);
      const { box, target } = freshBox();
      await extractZip(zip, target).catch((err: Error) => {
        if (!/^Unsafe /.test(err.message)) throw err; // refusing is fine; crashing is not
      });
      const ok = outsideUntouched(box) && linksStayInside(target);
      fs.rmSync(box, { recursive: true, force: true });
      fs.rmSync(zip);
      return ok;
    }), { numRuns: 300 });
  });
});

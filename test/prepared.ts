// What scripts/test-setup.js prepared for the tests (slow builds cached in test/.cache/), and the one way a test
// reports that a preparation is missing or failed: a single failing test that says why and how to fix it.
import * as fs from 'fs';
import * as path from 'path';

const CACHE = path.join(__dirname, '.cache');

/** A preparation's outcome: its folder when ready, else the reason and the fix. */
export interface Prepared {
  readonly ok: boolean;
  readonly dir: string;
  readonly error?: string;
  readonly fix?: string;
}

/** Reads the record scripts/test-setup.js wrote for `name@version`. */
export function prepared(name: string, version: string): Prepared {
  const dir = path.join(CACHE, `${name}-${version}`);
  const record = path.join(CACHE, `${name}-${version}.json`);
  if (!fs.existsSync(record)) {
    return { ok: false, dir, error: `${name}@${version} is not prepared (no ${path.relative(process.cwd(), record)}).`, fix: 'run `npm run test:setup` (npm test runs it first)' };
  }
  const written = JSON.parse(fs.readFileSync(record, 'utf8')) as Prepared;
  if (written.ok && !fs.existsSync(dir)) {
    return { ok: false, dir, error: `${name}@${version} was prepared but ${path.relative(process.cwd(), dir)} is gone.`, fix: 'run `npm run test:setup`' };
  }
  return { ...written, dir };
}

/**
 * `describe(title, body)` when the preparation is ready; otherwise one failing test in its place that names the
 * reason and the fix, instead of every test of the block failing in its hooks.
 */
export function describeWithPrepared(name: string, version: string, title: string, body: (dir: string) => void): void {
  const p = prepared(name, version);
  if (p.ok) {
    describe(title, () => body(p.dir));
    return;
  }
  describe(title, () => {
    it(`needs ${name}@${version}, prepared by scripts/test-setup.js`, () => {
      throw new Error(`${p.error}\nFix: ${p.fix}`);
    });
  });
}

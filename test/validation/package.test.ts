// The static source checks and the package reader on their own.
import * as fs from 'fs';
import { tempDir, tempZip } from './helpers';
import { clearPackageCache, nodeExports, packageAt, pythonDefines } from '../../src/validation/package';

describe('nodeExports', () => {
  test.each([
    ['exports.handler = x', true], ['module.exports.handler = x', true], ['module.exports = { other, handler }', true],
    ['export const handler = 1', true], ['export let handler', true], ['export function handler() {}', true],
    ['export async function handler() {}', true], ['export { handler }', true], ['export { main as handler }', true],
    ['module.exports = function () {}', true], ['export * from "./impl"', true],
    ['exports.handlers = x', false], ['const handler = 1;', false], ['export { handler as main }', false],
    ['module.exports = { other }', false],
  ])('%s → %s', (source, expected) => {
    expect(nodeExports(source, 'handler')).toBe(expected);
  });
});

describe('pythonDefines', () => {
  test.each([
    ['def handler(event, context):', true], ['async def handler(e, c):', true], ['handler = make_handler()', true],
    ['handler: Callable = make()', true], ['from impl import handler', true], ['import impl as handler', true],
    ['    def handler(self):', false], ['def handler_v2(e, c):', false], ['handler == 1', false],
  ])('%s → %s', (source, expected) => {
    expect(pythonDefines(source, 'handler')).toBe(expected);
  });
});

describe('packageAt', () => {
  test('reads a zip central directory and inflates a file on demand', () => {
    const zip = tempZip({ 'a/b.py': 'def f(): pass\n', 'c.txt': 'hello' });
    const pkg = packageAt(zip)!;
    expect([...pkg.files.keys()].sort()).toEqual(['a/b.py', 'c.txt']);
    expect(pkg.unzippedBytes).toBe('def f(): pass\n'.length + 5);
    expect(pkg.read('c.txt')).toBe('hello');
    expect(pkg.zippedBytes).toBe(fs.statSync(zip).size);
  });

  test('lists a directory once, serves later calls from the cache, and re-reads it when it changes', async () => {
    clearPackageCache();
    const dir = tempDir({ 'x/y.js': 'exports.a = 1' });
    const first = packageAt(dir)!;
    expect(packageAt(dir)).toBe(first);
    await new Promise((resolve) => setImmediate(resolve)); // the next validation pass re-checks freshness
    fs.writeFileSync(`${dir}/z.js`, '');
    fs.utimesSync(dir, new Date(), new Date(Date.now() + 5000));
    const second = packageAt(dir)!;
    expect(second).not.toBe(first);
    expect([...second.files.keys()].sort()).toEqual(['x/y.js', 'z.js']);
  });

  test('returns undefined for a missing path or a file that is not a zip', () => {
    expect(packageAt('/nonexistent/path')).toBeUndefined();
    expect(packageAt(`${tempDir({ 'f.zip': 'not a zip' })}/f.zip`)).toBeUndefined();
  });
});

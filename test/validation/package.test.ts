// The static source checks and the package reader on their own.
import * as fs from 'fs';
import { tempDir, tempZip } from './helpers';
import { PackageReader, nodeExports, pythonDefines, readPackage } from '../../src/validation/package';

const packageAt = (p: string) => readPackage(p).contents;

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

  test('a pass lists a directory once; the next pass reads it again', () => {
    const dir = tempDir({ 'x/y.js': 'exports.a = 1' });
    const reader = new PackageReader();
    const first = reader.at(dir)!;
    expect(reader.at(dir)).toBe(first);
    fs.writeFileSync(`${dir}/z.js`, '');
    expect([...reader.at(dir)!.files.keys()].sort()).toEqual(['x/y.js']);
    const second = new PackageReader().at(dir)!;
    expect([...second.files.keys()].sort()).toEqual(['x/y.js', 'z.js']);
  });

  test('says why a missing path or a file that is not a zip cannot be read', () => {
    expect(readPackage('/nonexistent/path')).toEqual({ failure: expect.stringContaining('/nonexistent/path does not exist or cannot be opened (ENOENT)') });
    expect(readPackage(`${tempDir({ 'f.zip': 'not a zip' })}/f.zip`)).toEqual({ failure: expect.stringMatching(/f\.zip cannot be read as a zip file: .+/) });
  });
});

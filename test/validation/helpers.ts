// Test helpers: apps with a temp outdir (temp folders are removed after each test file), fixture paths, tiny zip writer, and assertions on coded synth failures.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { App, Stack } from 'aws-cdk-lib';

export const FIXTURES = path.join(__dirname, 'fixtures');

/** Every temporary folder these helpers made in the current test file; removed when the file's tests are done. */
const made: string[] = [];
function madeTemp(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
/** CDK_VALIDATION as it was before newStack() turned it off; put back after the file. */
const validationBefore = process.env.CDK_VALIDATION;
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  if (validationBefore === undefined) delete process.env.CDK_VALIDATION;
  else process.env.CDK_VALIDATION = validationBefore;
});
export const fixture = (name: string) => path.join(FIXTURES, name);

/** An app whose assembly goes to a fresh temp dir; the built-in CloudFormation validator is off (reference §6 row 12). */
export function newStack(id = 'TestStack'): { app: App; stack: Stack } {
  process.env.CDK_VALIDATION = 'false';
  const app = new App({ outdir: madeTemp('lt-cdk-') });
  const stack = new Stack(app, id, { env: { account: '123456789012', region: 'us-east-1' } });
  return { app, stack };
}

/** Writes files into a fresh temp directory and returns it. */
export function tempDir(files: Record<string, string | Buffer>): string {
  const dir = madeTemp('lt-pkg-');
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/**
 * Writes a zip (deflate) with the given files and returns its path. Minimal writer: no zip64.
 * `declaredSizes` overrides the uncompressed size recorded in the central directory (to test size limits cheaply);
 * `stored` names entries written without compression (to make a large file on disk).
 */
export function tempZip(files: Record<string, string | Buffer>, declaredSizes: Record<string, number> = {}, stored: string[] = []): string {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = Buffer.from(content);
    const method = stored.includes(name) ? 0 : 8;
    const compressed = method === 0 ? data : zlib.deflateRawSync(data);
    const size = declaredSizes[name] ?? data.length;
    const nameBuf = Buffer.from(name);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt16LE(0, 6); local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10); local.writeUInt32LE(crc, 14); local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22); local.writeUInt16LE(nameBuf.length, 26); local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6); central.writeUInt16LE(0, 8);
    central.writeUInt16LE(method, 10); central.writeUInt32LE(0, 12); central.writeUInt32LE(crc, 16); central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24); central.writeUInt16LE(nameBuf.length, 28); central.writeUInt16LE(0, 30); central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34); central.writeUInt16LE(0, 36); central.writeUInt32LE(0, 38); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, compressed);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + compressed.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(Object.keys(files).length, 8); end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16);
  const file = path.join(madeTemp('lt-zip-'), 'package.zip');
  fs.writeFileSync(file, Buffer.concat([...locals, cd, end]));
  return file;
}

/** The message synthesis failed with ('' when it succeeded). */
export function synthError(app: App): string {
  try {
    app.synth({ force: true });
    return '';
  } catch (e) {
    return (e as Error).message;
  }
}

/** The LT codes in a text, sorted and unique. */
export function codesIn(text: string): string[] {
  return [...new Set(text.match(/\bLT\d{3}\b/g) ?? [])].sort();
}

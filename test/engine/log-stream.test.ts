// The log stream file: appending platform lines, and reading an invocation's slice back from its offset.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LogStream } from '../../src/engine/environment/log-stream';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

function openStream(): LogStream {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lt-log-'));
  dirs.push(dir);
  const log = new LogStream(path.join(dir, 'stream.log'));
  log.open();
  return log;
}

describe('LogStream', () => {
  it('reads each slice from its offset to the current end, the same buffer serving every short read', () => {
    const log = openStream();
    log.write('START one');
    const second = log.offset();
    log.write('START two\n');
    log.write('END two');
    expect(log.read(0)).toBe('START one\nSTART two\nEND two\n');
    expect(log.read(second)).toBe('START two\nEND two\n');
    expect(log.read(log.offset())).toBe('');
  });

  it('reads a slice longer than one chunk whole, a character split across chunks included', () => {
    const log = openStream();
    // 65 535 ASCII bytes, then 'é' (2 bytes) straddles the 64 KiB boundary, then more than another chunk.
    const text = 'a'.repeat(64 * 1024 - 1) + 'é' + 'b'.repeat(70_000);
    log.write(text);
    expect(log.read(0)).toBe(text + '\n');
    const exact = openStream();
    const chunk = 'c'.repeat(64 * 1024 - 1);
    exact.write(chunk); // with its newline: exactly one chunk, so the read after it is empty
    expect(exact.read(0)).toBe(chunk + '\n');
  });

  it('reads nothing once closed', () => {
    const log = openStream();
    log.write('line');
    log.close();
    expect(log.read(0)).toBe('');
    expect(log.offset()).toBe(0);
  });
});
